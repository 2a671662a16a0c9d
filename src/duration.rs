//! Durations: Go-style duration strings (`1.5s`, `125ms`, `850µs`, `1m2.5s`) and latency units.

/// The unit a bare latency number is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LatencyUnit {
    #[value(name = "ms")]
    Ms,
    #[value(name = "s")]
    S,
    #[value(name = "us")]
    Us,
    #[value(name = "ns")]
    Ns,
}

impl LatencyUnit {
    /// The power of ten that turns this unit into milliseconds.
    pub fn ms_exponent(self) -> i32 {
        match self {
            LatencyUnit::Ms => 0,
            LatencyUnit::S => 3,
            LatencyUnit::Us => -3,
            LatencyUnit::Ns => -6,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            LatencyUnit::Ms => "ms",
            LatencyUnit::S => "s",
            LatencyUnit::Us => "us",
            LatencyUnit::Ns => "ns",
        }
    }
}

/// A duration unit in milliseconds: a power of ten (exact scaling of the digits, see
/// [`decimal_ms`]) or a factor.
enum UnitMs {
    Pow10(i32),
    Times(f64),
}

fn unit_ms(unit: &[u8]) -> Option<UnitMs> {
    Some(match unit {
        b"ns" => UnitMs::Pow10(-6),
        b"us" | b"\xc2\xb5s" | b"\xce\xbcs" => UnitMs::Pow10(-3),
        b"ms" => UnitMs::Pow10(0),
        b"s" => UnitMs::Pow10(3),
        b"m" => UnitMs::Times(60_000.0),
        b"h" => UnitMs::Times(3_600_000.0),
        b"d" => UnitMs::Times(86_400_000.0),
        _ => return None,
    })
}

/// The decimal `text` (a JSON number or plain decimal, already known to be one) times
/// 10^`exponent`, correctly rounded: the milliseconds the same digits would be if written in
/// milliseconds. `4.095` s is 4095 ms exactly, where `4.095 * 1000.0` is 4094.9999999999995, so
/// `latency_s: 4.095` and `latency_ms: 4095` tie, as they should.
pub fn decimal_ms(text: &[u8], exponent: i32) -> Option<f64> {
    let v = crate::number::parse_f64(text)?;
    if exponent == 0 {
        return Some(v);
    }
    // The digits with the exponents added (`4095e-3` s is `4095e0` ms), read by the standard
    // library (rare: the usual short latencies are scaled exactly in `fields::read_latency`).
    let (digits, written) = match text.iter().position(|&c| c | 0x20 == b'e') {
        Some(at) => (&text[..at], exponent_value(&text[at + 1..])),
        None => (text, 0),
    };
    let total = written.saturating_add(i64::from(exponent));
    let mut buf = [0u8; 64];
    let mut w = &mut buf[..];
    let scaled = if std::io::Write::write_all(&mut w, digits).is_ok()
        && std::io::Write::write_fmt(&mut w, format_args!("e{total}")).is_ok()
    {
        let len = 64 - w.len();
        std::str::from_utf8(&buf[..len]).ok()?.parse::<f64>().ok()?
    } else {
        let digits = std::str::from_utf8(digits).ok()?;
        format!("{digits}e{total}").parse::<f64>().ok()?
    };
    scaled.is_finite().then_some(scaled)
}

/// The value of a number's exponent digits (after the `e`, with an optional sign), saturated:
/// past ±2^63 the number is 0 or infinite anyway.
fn exponent_value(text: &[u8]) -> i64 {
    let (negative, digits) = match text {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, text),
    };
    let magnitude = digits.iter().fold(0i64, |n, &d| {
        n.saturating_mul(10)
            .saturating_add(i64::from(d.wrapping_sub(b'0')))
    });
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

/// Parses a duration string into milliseconds: one or more `<number><unit>` terms, units `ns`,
/// `us`/`µs`, `ms`, `s`, `m`, `h`, `d`. A plain number is not a duration here (see
/// [`parse_latency_text`]). Negative durations are rejected.
pub fn parse_duration(text: &str) -> Option<f64> {
    let b = text.trim().as_bytes();
    if b.is_empty() {
        return None;
    }
    let mut i = 0;
    let mut total = 0.0;
    while i < b.len() {
        let start = i;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
            i += 1;
        }
        if i == start {
            return None;
        }
        let digits = &b[start..i];
        let ustart = i;
        while i < b.len() && !(b[i].is_ascii_digit() || b[i] == b'.') {
            i += 1;
        }
        total += match unit_ms(&b[ustart..i])? {
            UnitMs::Pow10(e) => decimal_ms(digits, e)?,
            UnitMs::Times(f) => std::str::from_utf8(digits).ok()?.parse::<f64>().ok()? * f,
        };
    }
    Some(total)
}

/// Reads a latency given as text: a number in `unit`, or a duration string with its own unit.
/// Returns milliseconds; `None` for anything unusable, including negatives.
pub fn parse_latency_text(text: &[u8], unit: LatencyUnit) -> Option<f64> {
    let text = crate::timefmt::trim_ascii(text);
    if let Some(v) = decimal_ms(text, unit.ms_exponent()) {
        // `-0` is 0: it must sort and print as 0.
        return (v >= 0.0).then_some(v + 0.0);
    }
    parse_duration(std::str::from_utf8(text).ok()?)
}

/// Formats milliseconds for people: `850µs`, `12.5ms`, `1.53s`, `2m05s`.
pub fn format_ms(ms: f64) -> String {
    if !ms.is_finite() {
        return "-".into();
    }
    if ms < 1.0 {
        format!("{}µs", trim_float(ms * 1000.0, 1))
    } else if ms < 1000.0 {
        format!("{}ms", trim_float(ms, if ms < 100.0 { 2 } else { 1 }))
    } else if ms < 60_000.0 {
        format!("{}s", trim_float(ms / 1000.0, 2))
    } else if ms >= 3.6e12 {
        // Past a million hours (bad data, most likely): the figure itself, not a capped clock,
        // to four significant digits as every other cell of a table.
        let figure = format!("{ms:.3e}");
        match figure.split_once('e') {
            Some((mantissa, exponent)) => format!("{}e{exponent}ms", trim_zeros(mantissa)),
            None => format!("{figure}ms"),
        }
    } else {
        let total_s = (ms / 1000.0).round() as u64;
        let (h, m, s) = (total_s / 3600, (total_s / 60) % 60, total_s % 60);
        if h > 0 {
            format!("{h}h{m:02}m{s:02}s")
        } else {
            format!("{m}m{s:02}s")
        }
    }
}

/// Formats with at most `decimals` decimals, dropping trailing zeros.
pub fn trim_float(v: f64, decimals: usize) -> String {
    trim_zeros(&format!("{v:.decimals$}")).to_string()
}

/// A decimal without the zeros that end its fraction (and the point, if nothing is left after
/// it); a whole number as it is.
fn trim_zeros(decimal: &str) -> &str {
    if decimal.contains('.') {
        decimal.trim_end_matches('0').trim_end_matches('.')
    } else {
        decimal
    }
}

#[cfg(test)]
mod tests {
    /// The same duration in any unit is the same number of milliseconds, bit for bit.
    #[test]
    fn units_scale_the_digits_exactly() {
        for (text, exponent) in [
            ("4.095", 3),
            ("4095", 0),
            ("4095000", -3),
            ("4095000000", -6),
            ("0.004095", 6),
            // Exponents written in the number are added to the unit's.
            ("4095e-3", 3),
            ("4.095e0", 3),
            ("409.5E-2", 3),
            ("4095000e-6", 3),
            ("4.095e+6", -3),
            ("0.4095e-2", 6),
        ] {
            assert_eq!(
                decimal_ms(text.as_bytes(), exponent),
                Some(4095.0),
                "{text}e{exponent}"
            );
        }
        assert_eq!(4.095 * 1000.0, 4094.9999999999995, "why this is needed");
        assert_eq!(decimal_ms(b"1.5e3", 3), Some(1_500_000.0));
        assert_eq!(decimal_ms(b"x", 3), None);
        // Python writes small floats so: 7.738e-05 s is 0.07738 ms, not 0.07737999999999999.
        assert_eq!(decimal_ms(b"7.738e-05", 3), Some(0.07738));
        assert_eq!(decimal_ms(b"1e-9", 3), Some(1e-6));
        assert_eq!(decimal_ms(b"1e-4", -3), Some(1e-7));
        // Exponents past any f64, and a mantissa too long for the stack buffer.
        assert_eq!(decimal_ms(b"1e99999999999999999999", -3), None);
        assert_eq!(decimal_ms(b"1e-99999999999999999999", 3), Some(0.0));
        let long = format!("0.{}4095e3", "0".repeat(80));
        assert_eq!(decimal_ms(long.as_bytes(), 81), Some(4095.0));
        assert_eq!(parse_duration("4.095s"), Some(4095.0));
        assert_eq!(parse_duration("4095000us"), Some(4095.0));
        assert_eq!(parse_latency_text(b"4.095", LatencyUnit::S), Some(4095.0));
        let zero = parse_latency_text(b"-0", LatencyUnit::Ms).unwrap();
        assert!(zero.is_sign_positive());
    }

    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(parse_duration("1.5s"), Some(1500.0));
        assert_eq!(parse_duration("125ms"), Some(125.0));
        assert_eq!(parse_duration("850µs"), Some(0.85));
        assert_eq!(parse_duration("850us"), Some(0.85));
        assert_eq!(parse_duration("1m2.5s"), Some(62_500.0));
        assert_eq!(parse_duration("2h"), Some(7_200_000.0));
        assert_eq!(parse_duration("3ns"), Some(3e-6));
        assert_eq!(parse_duration("5"), None);
        assert_eq!(parse_duration("-5ms"), None);
        assert_eq!(parse_duration("fast"), None);
        assert_eq!(parse_duration("5parsecs"), None);
        assert_eq!(parse_duration(""), None);
    }

    #[test]
    fn latency_text() {
        assert_eq!(parse_latency_text(b"12.5", LatencyUnit::Ms), Some(12.5));
        assert_eq!(parse_latency_text(b"1.5", LatencyUnit::S), Some(1500.0));
        assert_eq!(parse_latency_text(b"250ms", LatencyUnit::S), Some(250.0));
        assert_eq!(parse_latency_text(b"-1", LatencyUnit::Ms), None);
        assert_eq!(parse_latency_text(b"NaN", LatencyUnit::Ms), None);
        assert_eq!(parse_latency_text(b"fast", LatencyUnit::Ms), None);
    }

    #[test]
    fn human_format() {
        assert_eq!(format_ms(0.85), "850µs");
        assert_eq!(format_ms(12.5), "12.5ms");
        assert_eq!(format_ms(1e308), "1e308ms");
        assert_eq!(format_ms(1.5e13), "1.5e13ms");
        assert_eq!(format_ms(1.2346196165971149e17), "1.235e17ms");
        assert_eq!(format_ms(9.99871174870288e20), "9.999e20ms");
        assert_eq!(format_ms(3_599_999_999_000.0), "999999h59m59s");
        assert_eq!(format_ms(125.0), "125ms");
        assert_eq!(format_ms(1530.0), "1.53s");
        assert_eq!(format_ms(125_000.0), "2m05s");
    }
}
