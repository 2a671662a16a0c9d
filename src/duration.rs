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
    /// Milliseconds in one of this unit.
    pub fn to_ms(self) -> f64 {
        match self {
            LatencyUnit::Ms => 1.0,
            LatencyUnit::S => 1000.0,
            LatencyUnit::Us => 1e-3,
            LatencyUnit::Ns => 1e-6,
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

fn unit_ms(unit: &[u8]) -> Option<f64> {
    Some(match unit {
        b"ns" => 1e-6,
        b"us" | b"\xc2\xb5s" | b"\xce\xbcs" => 1e-3,
        b"ms" => 1.0,
        b"s" => 1000.0,
        b"m" => 60_000.0,
        b"h" => 3_600_000.0,
        b"d" => 86_400_000.0,
        _ => return None,
    })
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
        let value: f64 = std::str::from_utf8(&b[start..i]).ok()?.parse().ok()?;
        let ustart = i;
        while i < b.len() && !(b[i].is_ascii_digit() || b[i] == b'.') {
            i += 1;
        }
        total += value * unit_ms(&b[ustart..i])?;
    }
    Some(total)
}

/// Reads a latency given as text: a number in `unit`, or a duration string with its own unit.
/// Returns milliseconds; `None` for anything unusable, including negatives.
pub fn parse_latency_text(text: &[u8], unit: LatencyUnit) -> Option<f64> {
    let text = crate::timefmt::trim_ascii(text);
    if let Some(v) = crate::number::parse_f64(text) {
        return (v >= 0.0).then(|| v * unit.to_ms());
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
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
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
        assert_eq!(format_ms(125.0), "125ms");
        assert_eq!(format_ms(1530.0), "1.53s");
        assert_eq!(format_ms(125_000.0), "2m05s");
    }
}
