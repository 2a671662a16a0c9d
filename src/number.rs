//! Number parsing for the hot path: plain decimals without going through `str`.

/// Powers of ten as integers, up to 10^8.
pub const POW10_U64: [u64; 9] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
];

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
        let v = decimal_f64(m, frac_len);
        return Some(if neg { -v } else { v });
    }
    if let Some(v) = long_decimal(b) {
        return Some(v);
    }
    parse_f64_slow(b)
}

/// [`parse_f64`] for a plain decimal of 16 to 19 digits, such as a latency a program measured
/// and printed unrounded (`29.554835384973916`): `None` when it is not one, or in the rare case
/// that the checked shortcut below cannot be confirmed (then `str::parse` answers).
///
/// The digits as one integer `m` are exact in a `u64`, but not in an `f64`, so `m / 10^k` in
/// floating point can be off by one unit in the last place. The candidates around it are
/// checked in integers against the exact quotient, and the one that is correctly rounded (to
/// nearest, ties to even) is the answer `str::parse` gives. `str::parse`, with its UTF-8 check
/// and general grammar, took a fifth of `perf`'s samples on a file of such latencies; without
/// it the run is 5% faster.
#[inline(never)]
fn long_decimal(b: &[u8]) -> Option<f64> {
    let (neg, text) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    let (m, frac_len) = match long_digits_by_word(text) {
        Some(read) => read,
        None => long_digits_by_byte(text)?,
    };
    let v = correctly_rounded_quotient(m, frac_len)?;
    Some(if neg { -v } else { v })
}

/// The digits of `int.frac` (at most 19 in all, 1 to 7 before the point, 8 or more after) as
/// one integer, and the number of fraction digits, read a word at a time: where the point is
/// varies from line to line, and a byte loop mispredicts it and the end. `None` for any other
/// text, whether or not it is a plain decimal.
#[inline(always)]
fn long_digits_by_word(text: &[u8]) -> Option<(u64, usize)> {
    let len = text.len();
    let word = |at: usize| {
        text.get(at..at + 8)?
            .first_chunk::<8>()
            .map(|w| u64::from_le_bytes(*w))
    };
    // Bytes past the kept ones read as `0`s, in front of the digits (the low bytes).
    let keep_high = |w: u64, n: usize| match n {
        0 => ZEROS,
        8 => w,
        n => w >> (64 - 8 * n) << (64 - 8 * n) | ZEROS >> (8 * n),
    };
    if !(16..=20).contains(&len) {
        return None;
    }
    let first = word(0)?;
    let point = (non_digits(first).trailing_zeros() / 8) as usize;
    if point == 0 || point >= 8 || text[point] != b'.' {
        return None;
    }
    let frac_len = len - point - 1;
    if point + frac_len > 19 {
        return None;
    }
    let int = keep_high(first << (64 - 8 * point), point);
    let last = word(len - 8)?;
    let middle = keep_high(word(len - 16)?, (frac_len - 8).min(8));
    if non_digits(last) | non_digits(middle) != 0 {
        return None;
    }
    let mut frac = eight_digit_word(middle) * POW10_U64[8] + eight_digit_word(last);
    // Seventeen or eighteen fraction digits: the one or two not in either word.
    let extra = frac_len.saturating_sub(16);
    for (k, &c) in text[point + 1..point + 1 + extra].iter().enumerate() {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        frac += d as u64 * POW10_U64_WIDE[15 + extra - k];
    }
    Some((
        eight_digit_word(int) * POW10_U64_WIDE[frac_len] + frac,
        frac_len,
    ))
}

/// [`long_digits_by_word`] for any plain decimal of at most 19 digits (and a leading `-`
/// already removed), a byte at a time.
#[inline(never)]
fn long_digits_by_byte(text: &[u8]) -> Option<(u64, usize)> {
    plain_digits::<19>(text)
}

/// The digits of `digits(.digits)?` (a sign already removed), at most `MAX` of them, as one
/// integer, and the number of fraction digits; `None` for anything else.
#[inline(always)]
fn plain_digits<const MAX: usize>(text: &[u8]) -> Option<(u64, usize)> {
    // `MAX` digits and a point at most: 19 digits fit in a u64. (`MAX + 1` digits and no
    // point may wrap, and are refused after the loop.)
    if text.is_empty() || text.len() > MAX + 1 {
        return None;
    }
    let mut m = 0u64;
    let mut point = None;
    for (k, &c) in text.iter().enumerate() {
        let d = c.wrapping_sub(b'0');
        if d <= 9 {
            m = m.wrapping_mul(10).wrapping_add(d as u64);
        } else if c == b'.' && point.is_none() {
            point = Some(k);
        } else {
            return None;
        }
    }
    match point {
        None if text.len() <= MAX => Some((m, 0)),
        // Digits on both sides of the point.
        Some(k) if k > 0 && k + 1 < text.len() => Some((m, text.len() - k - 1)),
        _ => None,
    }
}

/// Eight ASCII `0`s as a little-endian word.
pub const ZEROS: u64 = 0x3030_3030_3030_3030;

/// Powers of ten as integers, up to 10^19.
pub const POW10_U64_WIDE: [u64; 20] = {
    let mut table = [1u64; 20];
    let mut k = 1;
    while k < 20 {
        table[k] = table[k - 1] * 10;
        k += 1;
    }
    table
};

/// `m / 10^k` correctly rounded, for `k` at most 19, or `None` where this cannot confirm it
/// cheaply (values at or past 2^53, below about 2^-10, or on a power of two).
#[inline(always)]
fn correctly_rounded_quotient(m: u64, k: usize) -> Option<f64> {
    if m < 1 << 53 {
        // Both operands exact: one rounding, Clinger's fast path.
        return Some(m as f64 / POW10[k]);
    }
    // From the table: `10u128.pow(k)` is a loop of 128-bit multiplies, a fifth of this function.
    let pow = *POW10_U64_WIDE.get(k)? as u128;
    let guess = m as f64 / POW10[k];
    let bits = guess.to_bits();
    // A candidate `M * 2^E` is the correctly rounded `m / 10^k` when it is within half a unit
    // of it, |2m * 2^-E - 2M * 10^k| < 10^k, or exactly half and M even (ties to even). All in
    // u128: with E in -62..0, 2m * 2^-E < 2^128 and 2M * 10^k < 2^54 * 10^19 < 2^118.
    for candidate in [bits, bits.wrapping_sub(1), bits.wrapping_add(1)] {
        let exponent = (candidate >> 52) as i64 & 0x7ff;
        let mantissa = candidate & ((1 << 52) - 1);
        // Past a power of two the spacing halves below: not handled here.
        if exponent == 0 || mantissa == 0 {
            return None;
        }
        let e = exponent - 1075;
        if !(-62..0).contains(&e) {
            return None;
        }
        let big_m = (mantissa | 1 << 52) as u128;
        let exact = (m as u128) << (1 - e);
        let rounded = 2 * big_m * pow;
        let gap = exact.abs_diff(rounded);
        if gap < pow || (gap == pow && big_m % 2 == 0) {
            return Some(f64::from_bits(candidate));
        }
    }
    None
}

/// `digits / 10^frac_len`, correctly rounded: `digits` has at most 15 digits (so is exact in an
/// f64) and `frac_len` is at most 15.
#[inline(always)]
pub fn decimal_f64(digits: u64, frac_len: usize) -> f64 {
    digits as f64 / POW10[frac_len]
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
    plain_digits::<15>(text).map(|(m, frac_len)| (neg, m, frac_len))
}

/// Reads the non-negative plain decimal `digits(.digits)?` of `len` (at most 8) bytes at the
/// start of `window` (the bytes after it are ignored): what [`plain_decimal`] reads, as the
/// digits as one integer and the number of fraction digits; `None` for anything else (the
/// caller then falls back to [`parse_f64`]).
///
/// All eight bytes are handled at once: the digits right-aligned, the point's gap closed, and
/// the digits combined in pairs, fours and eights. No branch depends on where the point is or
/// how long the number is. A loop over the bytes has such branches, and on latencies, whose
/// lengths vary from line to line, it cost 4% more CPU in all than this (no hardware counters
/// here to show mispredictions directly).
#[inline(always)]
pub fn short_decimal(window: &[u8; 8], len: usize) -> Option<(u64, usize)> {
    if len == 0 || len > 8 {
        return None;
    }
    let n = len as u32;
    let keep = u64::MAX >> (64 - 8 * n);
    let x = u64::from_le_bytes(*window) & keep;
    let others = non_digits(x) & keep;
    // Right-aligned: the last byte of the number is the word's last (little-endian: highest).
    let aligned = x << (64 - 8 * n);
    let (digits, point) = if others == 0 {
        (aligned, n)
    } else {
        let at = others.trailing_zeros() / 8;
        // One point, with digits on both sides.
        if others & (others - 1) != 0 || window[at as usize] != b'.' || at == 0 || at + 1 == n {
            return None;
        }
        let gap = 8 * (at + 8 - n);
        let before = (1u64 << gap) - 1;
        (
            (aligned & before) << 8 | (aligned & !before & !(0xff << gap)),
            at,
        )
    };
    let count = n - (point != n) as u32;
    // What precedes the first digit (shifted-in zeros) becomes `0`.
    let pad = match count {
        8 => 0,
        c => u64::MAX >> (8 * c),
    };
    let digits = digits | 0x3030_3030_3030_3030 & pad;
    Some((
        eight_digit_word(digits),
        (n - point).saturating_sub(1) as usize,
    ))
}

/// The value of eight ASCII digits read little-endian (first digit in the low byte); every byte
/// must be a digit.
#[inline(always)]
pub fn eight_digit_word(w: u64) -> u64 {
    let x = w ^ 0x3030_3030_3030_3030;
    // Pairs, then quads, then all eight (each step combines neighbours, high digits first).
    let x = x.wrapping_mul(10).wrapping_add(x >> 8);
    let mask = 0x0000_00ff_0000_00ff;
    ((x & mask)
        .wrapping_mul(100 + (1_000_000 << 32))
        .wrapping_add(((x >> 16) & mask).wrapping_mul(1 + (10_000 << 32))))
        >> 32
}

/// High bit set in each byte of `w` that is not an ASCII digit (exact: no carries cross bytes).
#[inline(always)]
pub fn non_digits(w: u64) -> u64 {
    let x = w ^ 0x3030_3030_3030_3030;
    (((x & 0x7f7f_7f7f_7f7f_7f7f) + 0x7676_7676_7676_7676) | x) & 0x8080_8080_8080_8080
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

    /// [`short_decimal`] of `text` with `tail` after it in the window, checked against
    /// [`plain_decimal`] where it reads the text.
    fn short(text: &[u8], tail: u8) -> Option<(u64, usize)> {
        let mut window = [tail; 8];
        let n = text.len().min(8);
        window[..n].copy_from_slice(&text[..n]);
        short_decimal(&window, text.len())
    }

    #[test]
    fn short_decimals_read_whole_words() {
        for text in [
            "0", "7", "20.5", "2.79", "5003.88", "12345678", "1234.567", "0.000001", "00012.5",
        ] {
            let want = plain_decimal(text.as_bytes()).map(|(_, m, f)| (m, f));
            assert_eq!(short(text.as_bytes(), b','), want, "{text}");
            assert_eq!(short(text.as_bytes(), b'7'), want, "{text}");
        }
        for text in [
            "",
            "-1",
            ".5",
            "5.",
            "1.2.3",
            "1e5",
            "123456789",
            "+1",
            "1-2",
            " 1",
            "1 ",
            "0x1",
        ] {
            assert_eq!(short(text.as_bytes(), b','), None, "{text}");
        }
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

    #[test]
    fn long_decimals_equal_std() {
        for text in [
            "29.554835384973916",
            "3.2857000532085134",
            "1732540000.0189574",
            "0.0012345678901234567",
            "9999999999999999999",
            "9007199254740993",
            "9007199254740992.5",
            "4503599627370496.5",
            "4503599627370497.5",
            "1234567890123.456789",
            "-29.554835384973916",
            "0.1000000000000000055511151231257827",
        ] {
            let want = text.parse::<f64>().ok().map(f64::to_bits);
            assert_eq!(parse_f64(text.as_bytes()).map(f64::to_bits), want, "{text}");
        }
        assert_eq!(
            long_decimal(b"29.554835384973916"),
            Some(29.554835384973916)
        );
        assert_eq!(long_decimal(b"12345678901234567890"), None);
        for (text, want) in [
            ("29.554835384973916", (29554835384973916, 15)),
            ("3.2857000532085134", (32857000532085134, 16)),
            ("0.12345678901234567", (12345678901234567, 17)),
            ("9.876543210987654321", (9876543210987654321, 18)),
            ("1234567.0123456789", (12345670123456789, 10)),
        ] {
            assert_eq!(long_digits_by_word(text.as_bytes()), Some(want), "{text}");
        }
        for text in [
            "12345678.12345678",
            "1.2345678901234567x",
            "1.234567890123456.7",
            ".1234567890123456",
        ] {
            assert_eq!(long_digits_by_word(text.as_bytes()), None, "{text}");
        }
        assert_eq!(long_decimal(b"1.2.3"), None);
        assert_eq!(long_decimal(b"1."), None);
    }

    proptest! {
        #[test]
        fn long_decimals_are_correctly_rounded(m in 0u64..10_000_000_000_000_000_000, k in 0usize..20) {
            let digits = format!("{m:020}");
            let text = format!("{}.{}", &digits[..20 - k], &digits[20 - k..]);
            let text = text.trim_end_matches('.').trim_start_matches('0');
            let text = if text.starts_with('.') || text.is_empty() { format!("0{text}") } else { text.to_string() };
            let want = text.parse::<f64>().ok().map(f64::to_bits);
            prop_assert_eq!(parse_f64(text.as_bytes()).map(f64::to_bits), want, "{}", text);
            // The shortcut, where it answers, answers the same.
            if let Some(v) = long_decimal(text.as_bytes()) {
                prop_assert_eq!(Some(v.to_bits()), want, "{}", text);
            }
        }

        #[test]
        fn long_digits_by_word_equal_by_byte(text in "[0-9]{0,8}([.][0-9]{0,19})?[x.]?") {
            if let Some(got) = long_digits_by_word(text.as_bytes()) {
                prop_assert_eq!(Some(got), long_digits_by_byte(text.as_bytes()), "{}", text);
            }
        }

        #[test]
        fn matches_reference_on_any_text(text in "[-+]?[0-9]{0,18}([.][0-9]{0,18})?([eE][-+]?[0-9]{0,3})?") {
            let got = parse_f64(text.as_bytes()).map(f64::to_bits);
            prop_assert_eq!(got, reference(text.as_bytes()).map(f64::to_bits));
            prop_assert_eq!(got, text.parse::<f64>().ok().filter(|v| v.is_finite()).map(f64::to_bits));
        }

        #[test]
        fn short_decimals_agree_with_plain_decimal(
            text in prop::collection::vec(prop::sample::select(&b"0123456789.-e+ x"[..]), 0..10),
            tail in prop::sample::select(&b"0.,}9- "[..]),
        ) {
            let got = short(&text, tail);
            let want = plain_decimal(&text).filter(|&(neg, _, _)| !neg && text.len() <= 8);
            prop_assert_eq!(got, want.map(|(_, m, f)| (m, f)), "{:?}", String::from_utf8_lossy(&text));
        }

        #[test]
        fn short_decimals_read_every_latency(int in 0u64..10_000_000, frac in 0u64..1_000_000, digits in 0usize..7) {
            let frac = format!("{frac:06}");
            let text = match digits {
                0 => format!("{int}"),
                d => format!("{int}.{}", &frac[..d]),
            };
            let want = plain_decimal(text.as_bytes()).filter(|_| text.len() <= 8);
            prop_assert_eq!(short(text.as_bytes(), b','), want.map(|(_, m, f)| (m, f)));
            prop_assert!(want.is_some() || text.len() > 8);
        }

        #[test]
        fn fast_path_equals_std(int in 0u64..10_000_000, frac in 0u64..100_000_000, digits in 1usize..8) {
            let text = format!("{int}.{frac:0>digits$}");
            let text = &text[..text.len().min(text.find('.').unwrap() + 1 + digits)];
            prop_assert_eq!(parse_f64(text.as_bytes()), text.parse::<f64>().ok());
        }
    }
}
