//! Timestamps of text logs beyond RFC 3339 and epochs: the access-log layout
//! (`10/Oct/2000:13:55:36 -0700`), syslog's (`Oct 11 22:14:15`, no year), Apache error logs'
//! (`Wed Oct 11 14:32:52 2000`), Spark's (`24/01/15 10:30:45`), and `--time-format` (strftime).

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};

const MONTHS: [&[u8]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

fn month(b: &[u8]) -> Option<u32> {
    MONTHS.iter().position(|m| *m == b).map(|i| i as u32 + 1)
}

fn num(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(b).ok()?.parse().ok()
}

fn to_ns(dt: NaiveDateTime, offset_s: i64) -> Option<i64> {
    dt.and_utc()
        .timestamp_nanos_opt()?
        .checked_sub(offset_s * 1_000_000_000)
}

/// Reads `HH:MM:SS[.fraction]` into a time of day plus nanoseconds.
fn clock(b: &[u8]) -> Option<(u32, u32, u32, u32)> {
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let (h, m, s) = (num(&b[0..2])?, num(&b[3..5])?, num(&b[6..8])?);
    let mut nanos = 0;
    if b.len() > 8 {
        if !matches!(b[8], b'.' | b',') {
            return None;
        }
        let frac = &b[9..];
        if frac.is_empty() || frac.len() > 9 {
            return None;
        }
        nanos = num(frac)? * 10u32.pow(9 - frac.len() as u32);
    }
    Some((h, m, s, nanos))
}

fn datetime(y: i32, mo: u32, d: u32, clock: (u32, u32, u32, u32)) -> Option<NaiveDateTime> {
    NaiveDate::from_ymd_opt(y, mo, d)?.and_hms_nano_opt(clock.0, clock.1, clock.2, clock.3)
}

/// `±hhmm` or `±hh:mm` as seconds east of UTC.
fn zone_offset(b: &[u8]) -> Option<i64> {
    let (sign, rest) = match b.first()? {
        b'+' => (1, &b[1..]),
        b'-' => (-1, &b[1..]),
        _ => return None,
    };
    let digits: Vec<u8> = rest.iter().copied().filter(|c| *c != b':').collect();
    if digits.len() != 4 {
        return None;
    }
    let (h, m) = (num(&digits[..2])? as i64, num(&digits[2..])? as i64);
    Some(sign * (h * 3600 + m * 60))
}

/// Two ASCII digits.
#[inline]
fn two(b: &[u8], at: usize) -> Option<i64> {
    let (h, l) = (*b.get(at)?, *b.get(at + 1)?);
    (h.is_ascii_digit() && l.is_ascii_digit()).then(|| ((h - b'0') * 10 + (l - b'0')) as i64)
}

/// `10/Oct/2000:13:55:36 -0700` (an access log's time: one per line, so parsed by hand).
pub fn parse_clf(b: &[u8]) -> Option<i64> {
    if b.len() < 20 || b[2] != b'/' || b[6] != b'/' || b[11] != b':' {
        return None;
    }
    if b[14] != b':' || b[17] != b':' {
        return None;
    }
    let d = two(b, 0)?;
    let mo = month(&b[3..6])? as i64;
    let y = two(b, 7)? * 100 + two(b, 9)?;
    let (h, mi, sec) = (two(b, 12)?, two(b, 15)?, two(b, 18)?);
    if d < 1 || d > crate::timefmt::days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut i = 20;
    let mut frac_ns = 0i64;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let digits = &b[start..i];
        if digits.is_empty() || digits.len() > 9 {
            return None;
        }
        frac_ns = num(digits)? as i64 * 10i64.pow(9 - digits.len() as u32);
    }
    let offset = match &b[i..] {
        [] => 0,
        [b' ', zone @ ..] => zone_offset(zone)?,
        _ => return None,
    };
    let secs =
        crate::timefmt::days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec - offset;
    secs.checked_mul(1_000_000_000)?.checked_add(frac_ns)
}

/// `Oct 11 22:14:15` (day space-padded or not), in the latest year that puts it at most a day
/// after `now`.
pub fn parse_syslog(b: &[u8], now_ns: i64) -> Option<i64> {
    if b.len() < 14 || b[3] != b' ' {
        return None;
    }
    let mo = month(&b[0..3])?;
    // `Oct 11`, `Jan  5`, or (unpadded) `Mar 5`.
    let (d, rest) = match (b[4], b[5]) {
        (b' ', _) => (num(&b[5..6])?, &b[6..]),
        (_, b' ') => (num(&b[4..5])?, &b[5..]),
        _ => (num(&b[4..6])?, &b[6..]),
    };
    let c = clock(rest.strip_prefix(b" ")?)?;
    let this_year = DateTime::<Utc>::from_timestamp_nanos(now_ns).year();
    // Logs do not come from the future, but their times are local: a date up to a day ahead is
    // this year's, a later one from a year before. `Feb 29` goes back to the last leap year
    // (eight years at most: 2096 to 2104).
    (this_year - 8..=this_year)
        .rev()
        .filter_map(|y| to_ns(datetime(y, mo, d, c)?, 0))
        .find(|&ns| ns <= now_ns.saturating_add(86_400_000_000_000))
}

/// Is `b` a syslog timestamp (`Oct 11 22:14:15`)? Checked against a leap year, so `Feb 29` is
/// one whatever the current year.
pub fn is_syslog_time(b: &[u8]) -> bool {
    // 2024-12-31T00:00:00Z: every day of 2024 (a leap year) is on or before it.
    parse_syslog(b, 1_735_603_200_000_000_000).is_some()
}

/// `Wed Oct 11 14:32:52 2000` or `Wed Oct 11 14:32:52.123456 2000` (Apache error log).
pub fn parse_ctime(b: &[u8]) -> Option<i64> {
    let parts: Vec<&[u8]> = b.split(|&c| c == b' ').filter(|p| !p.is_empty()).collect();
    let [_, mo, d, clk, y] = parts.as_slice() else {
        return None;
    };
    let dt = datetime(num(y)? as i32, month(mo)?, num(d)?, clock(clk)?)?;
    to_ns(dt, 0)
}

/// `24/01/15 10:30:45` (Spark, log4j's `yy/MM/dd`).
pub fn parse_short_date(b: &[u8]) -> Option<i64> {
    if b.len() < 17 || b[2] != b'/' || b[5] != b'/' || b[8] != b' ' {
        return None;
    }
    let y = 2000 + num(&b[0..2])? as i32;
    let dt = datetime(y, num(&b[3..5])?, num(&b[6..8])?, clock(&b[9..])?)?;
    to_ns(dt, 0)
}

/// Any of the text-log layouts above.
pub fn parse_text_log_time(b: &[u8], now_ns: i64) -> Option<i64> {
    parse_clf(b)
        .or_else(|| parse_syslog(b, now_ns))
        .or_else(|| parse_ctime(b))
        .or_else(|| parse_short_date(b))
}

/// The length of the date-time that `text` starts with in a strftime layout (`--time-format`),
/// if it starts with one.
pub fn layout_prefix_len(text: &str, layout: &str) -> Option<usize> {
    let rest = match DateTime::parse_and_remainder(text, layout) {
        Ok((_, rest)) => rest,
        Err(_) => NaiveDateTime::parse_and_remainder(text, layout).ok()?.1,
    };
    Some(text.len() - rest.len()).filter(|&n| n > 0)
}

/// Parses with a strftime layout (`--time-format`); a layout without a zone means UTC.
pub fn parse_with_format(text: &str, format: &str) -> Option<i64> {
    if let Ok(dt) = DateTime::parse_from_str(text, format) {
        return dt.timestamp_nanos_opt();
    }
    let dt = NaiveDateTime::parse_from_str(text, format)
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, format)
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })?;
    to_ns(dt, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 971_211_336_000_000_000; // 2000-10-10T20:55:36Z

    #[test]
    fn layouts() {
        assert_eq!(parse_clf(b"10/Oct/2000:13:55:36 -0700"), Some(T));
        assert_eq!(parse_clf(b"10/Oct/2000:20:55:36 +0000"), Some(T));
        assert_eq!(parse_ctime(b"Tue Oct 10 20:55:36 2000"), Some(T));
        assert_eq!(
            parse_ctime(b"Tue Oct 10 20:55:36.5 2000"),
            Some(T + 500_000_000)
        );
        assert_eq!(parse_short_date(b"00/10/10 20:55:36"), Some(T));
        let now = T + 3_600_000_000_000;
        assert_eq!(parse_syslog(b"Oct 10 20:55:36", now), Some(T));
        // A date after "now" is last year's.
        let jan = 978_307_200_000_000_000; // 2001-01-01T00:00:00Z
        assert_eq!(parse_syslog(b"Oct 10 20:55:36", jan), Some(T));
        assert_eq!(parse_clf(b"yesterday"), None);
        assert_eq!(parse_clf(b"10/Oct/2000:20:55:36"), Some(T));
        assert_eq!(
            parse_clf(b"10/Oct/2000:20:55:36.25 +0000"),
            Some(T + 250_000_000)
        );
        assert_eq!(parse_clf(b"31/Feb/2000:20:55:36 +0000"), None);
        assert_eq!(parse_clf(b"10/Oct/2000:24:55:36 +0000"), None);
        assert_eq!(parse_clf(b"10/Oct/2000:20:55:36 +07"), None);
        assert!(is_syslog_time(b"Feb 29 12:00:00"));
        assert!(!is_syslog_time(b"Feb 30 12:00:00"));
        assert_eq!(parse_syslog(b"Foo 10 20:55:36", now), None);
    }

    #[test]
    fn syslog_years() {
        let at = |text: &str| crate::timefmt::parse_rfc3339(text.as_bytes()).unwrap();
        for (text, now, want, why) in [
            // The last leap day, two years back; 2100 has none.
            (
                "Feb 29 10:00:00",
                "2026-03-01T00:00:00Z",
                "2024-02-29T10:00:00Z",
                "leap day",
            ),
            (
                "Feb 29 10:00:00",
                "2103-03-01T00:00:00Z",
                "2096-02-29T10:00:00Z",
                "no 2100",
            ),
            // Up to a day ahead is today's (local times east of UTC); later is last year's.
            (
                "Nov 26 23:59:00",
                "2026-11-26T12:00:00Z",
                "2026-11-26T23:59:00Z",
                "later today",
            ),
            (
                "Nov 27 12:00:00",
                "2026-11-26T12:00:00Z",
                "2026-11-27T12:00:00Z",
                "a day ahead",
            ),
            (
                "Nov 27 12:00:01",
                "2026-11-26T12:00:00Z",
                "2025-11-27T12:00:01Z",
                "past a day",
            ),
            (
                "Jan  1 00:00:00",
                "2026-11-26T12:00:00Z",
                "2026-01-01T00:00:00Z",
                "padded day",
            ),
            (
                "Mar 5 22:14:15",
                "2026-11-26T12:00:00Z",
                "2026-03-05T22:14:15Z",
                "unpadded day",
            ),
        ] {
            assert_eq!(
                parse_syslog(text.as_bytes(), at(now)),
                Some(at(want)),
                "{why}"
            );
        }
        assert_eq!(
            parse_syslog(b"Mar 5 22:14:1", at("2026-11-26T12:00:00Z")),
            None
        );
    }

    #[test]
    fn strftime_layouts() {
        assert_eq!(
            parse_with_format("10.10.2000 20:55:36", "%d.%m.%Y %H:%M:%S"),
            Some(T)
        );
        assert_eq!(
            parse_with_format("10.10.2000 22:55:36 +0200", "%d.%m.%Y %H:%M:%S %z"),
            Some(T)
        );
        assert_eq!(parse_with_format("junk", "%d.%m.%Y"), None);
    }
}
