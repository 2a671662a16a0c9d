//! Number parsing for the hot path: plain decimals without going through `str`.

/// Exact powers of ten representable in an f64.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Splits `-?digits(.digits)?` into sign, integer digits and fraction digits; `None` for
/// anything else (exponents, signs in the wrong place, empty parts).
#[inline]
pub fn split_decimal(b: &[u8]) -> Option<(bool, &[u8], &[u8])> {
    let (neg, b) = match b.first()? {
        b'-' => (true, &b[1..]),
        _ => (false, b),
    };
    let int_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if int_len == 0 {
        return None;
    }
    let (int, rest) = b.split_at(int_len);
    if rest.is_empty() {
        return Some((neg, int, &[]));
    }
    let frac = rest.strip_prefix(b".")?;
    if frac.is_empty() || !frac.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some((neg, int, frac))
}

/// Parses a decimal number. Plain decimals with at most 15 significant digits take Clinger's
/// fast path (an exact integer divided by an exact power of ten is correctly rounded, so the
/// result equals `str::parse`); everything else goes through `str::parse`.
#[inline]
pub fn parse_f64(b: &[u8]) -> Option<f64> {
    if let Some((neg, m, frac_len)) = plain_decimal(b) {
        let v = m as f64 / POW10[frac_len];
        return Some(if neg { -v } else { v });
    }
    parse_f64_slow(b)
}

#[inline(never)]
fn parse_f64_slow(b: &[u8]) -> Option<f64> {
    let v: f64 = std::str::from_utf8(b).ok()?.parse().ok()?;
    v.is_finite().then_some(v)
}

/// Reads `-?digits(.digits)?` with at most 15 digits in all, in one pass: the sign, all the
/// digits as one integer, and the number of fraction digits. `None` for anything else, exactly
/// when [`split_decimal`] fails or the digits number more than 15.
#[inline(always)]
fn plain_decimal(b: &[u8]) -> Option<(bool, u64, usize)> {
    let (neg, text) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    // Fifteen digits and a point at most, so `m` cannot overflow.
    if text.is_empty() || text.len() > 16 {
        return None;
    }
    let mut m = 0u64;
    let mut point = None;
    for (k, &c) in text.iter().enumerate() {
        let d = c.wrapping_sub(b'0');
        if d <= 9 {
            m = m * 10 + d as u64;
        } else if c == b'.' && point.is_none() {
            point = Some(k);
        } else {
            return None;
        }
    }
    match point {
        None if text.len() <= 15 => Some((neg, m, 0)),
        // Digits on both sides of the point.
        Some(k) if k > 0 && k + 1 < text.len() => Some((neg, m, text.len() - k - 1)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_and_odd_numbers() {
        assert_eq!(parse_f64(b"12.5"), Some(12.5));
        assert_eq!(parse_f64(b"-0.25"), Some(-0.25));
        assert_eq!(parse_f64(b"7"), Some(7.0));
        assert_eq!(parse_f64(b"1e3"), Some(1000.0));
        assert_eq!(
            parse_f64(b"12345678901234567890.5"),
            Some(12345678901234567890.5)
        );
        assert_eq!(parse_f64(b"1."), Some(1.0));
        assert_eq!(parse_f64(b"abc"), None);
        assert_eq!(parse_f64(b"inf"), None);
        assert_eq!(parse_f64(b""), None);
    }

    /// `parse_f64` as it was: `split_decimal`, then the fast path or `str::parse`.
    fn reference(b: &[u8]) -> Option<f64> {
        if let Some((neg, int, frac)) = split_decimal(b) {
            if int.len() + frac.len() <= 15 {
                let digits = |d: &[u8]| d.iter().fold(0u64, |a, &c| a * 10 + (c - b'0') as u64);
                let m = digits(int) * 10u64.pow(frac.len() as u32) + digits(frac);
                let v = m as f64 / POW10[frac.len()];
                return Some(if neg { -v } else { v });
            }
        }
        let v: f64 = std::str::from_utf8(b).ok()?.parse().ok()?;
        v.is_finite().then_some(v)
    }

    #[test]
    fn digit_counts_around_the_fast_path_limit() {
        for int_len in 0..20 {
            for frac_len in [
                None,
                Some(0),
                Some(1),
                Some(5),
                Some(14),
                Some(15),
                Some(16),
                Some(20),
            ] {
                for sign in ["", "-", "+"] {
                    let int: String = (0..int_len)
                        .map(|i| char::from(b'1' + (i % 9) as u8))
                        .collect();
                    let text = match frac_len {
                        None => format!("{sign}{int}"),
                        Some(n) => format!("{sign}{int}.{}", "7".repeat(n)),
                    };
                    let got = parse_f64(text.as_bytes());
                    assert_eq!(
                        got.map(f64::to_bits),
                        reference(text.as_bytes()).map(f64::to_bits),
                        "{text}"
                    );
                    if let Ok(v) = text.parse::<f64>() {
                        assert_eq!(got, Some(v), "{text}");
                    }
                }
            }
        }
        assert_eq!(
            parse_f64(b"-0").map(f64::to_bits),
            Some((-0.0f64).to_bits())
        );
        assert_eq!(parse_f64(b"0.000000000000001"), Some(1e-15));
        assert_eq!(parse_f64(b"1.5x"), None);
        assert_eq!(parse_f64(b"1..5"), None);
    }

    proptest! {
        #[test]
        fn matches_reference_on_any_text(text in "[-+]?[0-9]{0,18}([.][0-9]{0,18})?([eE][-+]?[0-9]{0,3})?") {
            let got = parse_f64(text.as_bytes()).map(f64::to_bits);
            prop_assert_eq!(got, reference(text.as_bytes()).map(f64::to_bits));
            prop_assert_eq!(got, text.parse::<f64>().ok().filter(|v| v.is_finite()).map(f64::to_bits));
        }

        #[test]
        fn fast_path_equals_std(int in 0u64..10_000_000, frac in 0u64..100_000_000, digits in 1usize..8) {
            let text = format!("{int}.{frac:0>digits$}");
            let text = &text[..text.len().min(text.find('.').unwrap() + 1 + digits)];
            prop_assert_eq!(parse_f64(text.as_bytes()), text.parse::<f64>().ok());
        }
    }
}
