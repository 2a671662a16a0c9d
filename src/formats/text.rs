//! Any other text log (Zookeeper, Spark, Apache error logs, syslog without a tag, …): each line
//! is an event; a leading timestamp in a common layout becomes `time`, a level word (`INFO`,
//! `WARN`, `ERROR`, `[error]`, …) near the start becomes `level`, and the rest `message`.

use super::{is_level_word, Out};
use crate::json_scan::Kind;

/// The length of a leading ISO 8601 date-time (`2024-01-15T10:30:45.123+01:00`,
/// `2024-01-15 10:30:45,123`).
fn iso_len(b: &[u8]) -> Option<usize> {
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let mut i = 19;
    if matches!(b.get(i), Some(b'.' | b',')) && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    match b.get(i) {
        Some(b'Z') => i += 1,
        Some(b'+' | b'-') if b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
            i += 1;
            while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b':') {
                i += 1;
            }
        }
        _ => {}
    }
    crate::timefmt::parse_rfc3339(&b[..i]).map(|_| i)
}

/// Finds a leading timestamp, in a built-in layout or `time_layout` (`--time-format`): its span
/// in the line.
fn leading_time(b: &[u8], time_layout: Option<&str>) -> Option<(usize, usize)> {
    let in_layout = |text: &[u8]| {
        let text = std::str::from_utf8(text).ok()?;
        super::time::layout_prefix_len(text, time_layout?)
    };
    // Bracketed: `[2024-01-15 10:30:45]`, `[Wed Oct 11 14:32:52 2000]`, `[10/Oct/2000:…]`.
    if b.first() == Some(&b'[') {
        let close = b.iter().position(|&c| c == b']')?;
        let inner = &b[1..close];
        if iso_len(inner) == Some(inner.len())
            || super::time::parse_text_log_time(inner, i64::MAX / 2).is_some()
            || in_layout(inner) == Some(inner.len())
        {
            return Some((1, close));
        }
        return None;
    }
    if let Some(n) = iso_len(b) {
        return Some((0, n));
    }
    // CLF with and without its zone, ctime, `24/01/15 10:30:45`, syslog's `Oct 11 22:14:15` (and
    // `Mar 5 22:14:15`).
    for n in [26, 24, 20, 17, 15, 14] {
        if b.len() >= n
            && super::time::parse_text_log_time(&b[..n], i64::MAX / 2).is_some()
            && !b.get(n).is_some_and(u8::is_ascii_alphanumeric)
        {
            return Some((0, n));
        }
    }
    in_layout(b).map(|n| (0, n))
}

pub fn scan(out: &mut Out, time_layout: Option<&str>) {
    let b = out.line;
    let mut i = 0;
    if let Some((s, e)) = leading_time(b, time_layout) {
        out.field(b"time", Kind::String, s, e);
        i = if s == 1 { e + 1 } else { e };
    }
    // A level word among the next few tokens: `INFO`, `[error]`, `<WARN>`, `level:`.
    let mut msg_start = i;
    let mut j = i;
    for _ in 0..6 {
        while j < b.len() && matches!(b[j], b' ' | b'\t' | b'-' | b'|' | b':') {
            j += 1;
        }
        if j >= b.len() {
            break;
        }
        let start = j;
        while j < b.len() && !matches!(b[j], b' ' | b'\t') {
            j += 1;
        }
        let tok = &b[start..j];
        let mut inner = tok;
        for open in [b'[', b'<'] {
            inner = inner.strip_prefix(&[open]).unwrap_or(inner);
        }
        for close in [b':', b']', b'>', b':'] {
            inner = inner.strip_suffix(&[close]).unwrap_or(inner);
        }
        // Apache 2.4 writes `[module:level]` (`[core:error]`, `[mpm_event:notice]`).
        if tok.starts_with(b"[") {
            if let Some(p) = inner.iter().rposition(|&c| c == b':') {
                inner = &inner[p + 1..];
            }
        }
        // Monolog (Laravel) writes `channel.LEVEL:` (`production.ERROR:`).
        if tok.ends_with(b":") {
            if let Some(p) = inner.iter().rposition(|&c| c == b'.') {
                inner = &inner[p + 1..];
            }
        }
        // A bare lower-case word (`kernel panic`) is prose; `[error]`, `error:` or `ERROR` is a
        // level.
        let marked = tok.len() != inner.len() || inner.first().is_some_and(u8::is_ascii_uppercase);
        if marked && is_level_word(inner) {
            let off = inner.as_ptr() as usize - b.as_ptr() as usize;
            out.field(b"level", Kind::String, off, off + inner.len());
            msg_start = j;
            break;
        }
    }
    while msg_start < b.len() && matches!(b[msg_start], b' ' | b'\t' | b'-' | b':' | b'|') {
        msg_start += 1;
    }
    out.field(b"message", Kind::String, msg_start, b.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str) -> Vec<Option<String>> {
        read_in(line, None)
    }

    fn read_in(line: &str, time_layout: Option<&str>) -> Vec<Option<String>> {
        let keys = ["time", "level", "message"];
        crate::formats::read_keys(line, &keys, |out| {
            scan(out, time_layout);
            Ok(())
        })
        .unwrap_or_default()
    }

    #[test]
    fn monolog_channel_and_level() {
        assert_eq!(
            read("[2024-01-15 10:30:45] production.ERROR: Undefined variable $user"),
            vec![
                s("2024-01-15 10:30:45"),
                s("ERROR"),
                s("Undefined variable $user")
            ]
        );
        assert_eq!(
            read("[2024-01-15 10:30:45] local.INFO: ok"),
            vec![s("2024-01-15 10:30:45"), s("INFO"), s("ok")]
        );
        // A dotted word that is no level stays in the message.
        assert_eq!(
            read("[2024-01-15 10:30:45] config.yaml: reloaded"),
            vec![s("2024-01-15 10:30:45"), None, s("config.yaml: reloaded")]
        );
    }

    #[test]
    fn clf_and_ctime_without_brackets() {
        assert_eq!(
            read("Wed Oct 11 14:32:52 2000 FATAL ctime"),
            vec![s("Wed Oct 11 14:32:52 2000"), s("FATAL"), s("ctime")]
        );
        assert_eq!(
            read("10/Oct/2000:13:55:36 -0700 ERROR clf"),
            vec![s("10/Oct/2000:13:55:36 -0700"), s("ERROR"), s("clf")]
        );
        assert_eq!(
            read("10/Oct/2000:13:55:36 ERROR clf"),
            vec![s("10/Oct/2000:13:55:36"), s("ERROR"), s("clf")]
        );
    }

    #[test]
    fn time_format_layouts() {
        let layout = Some("%d.%m.%Y %H:%M:%S");
        assert_eq!(
            read_in("15.03.2024 08:30:04 INFO x", layout),
            vec![s("15.03.2024 08:30:04"), s("INFO"), s("x")]
        );
        assert_eq!(
            read_in("[15.03.2024 08:30:04] ERROR y", layout),
            vec![s("15.03.2024 08:30:04"), s("ERROR"), s("y")]
        );
        assert_eq!(
            read_in("15.03.2024 INFO x", layout),
            vec![None, s("INFO"), s("x")]
        );
        // Built-in layouts still come first.
        assert_eq!(
            read_in("2024-03-15 08:30:04 INFO x", layout),
            vec![s("2024-03-15 08:30:04"), s("INFO"), s("x")]
        );
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn common_layouts() {
        assert_eq!(
            read("2024-01-15 10:30:45,123 [myid:1] - INFO  [main:QuorumPeer@123] - Starting"),
            vec![
                s("2024-01-15 10:30:45,123"),
                s("INFO"),
                s("[main:QuorumPeer@123] - Starting")
            ]
        );
        assert_eq!(
            read("24/01/15 10:30:45 ERROR Executor: Exception in task 0.0"),
            vec![
                s("24/01/15 10:30:45"),
                s("ERROR"),
                s("Executor: Exception in task 0.0")
            ]
        );
        assert_eq!(
            read("[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] client denied"),
            vec![
                s("Wed Oct 11 14:32:52 2000"),
                s("error"),
                s("[client 127.0.0.1] client denied")
            ]
        );
        assert_eq!(
            read("Oct 11 22:14:15 kernel panic"),
            vec![s("Oct 11 22:14:15"), None, s("kernel panic")]
        );
        assert_eq!(read("no time here"), vec![None, None, s("no time here")]);
        assert_eq!(
            read("[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 1234:tid 5678] AH00126: bad"),
            vec![
                s("Wed Oct 11 14:32:52.123456 2000"),
                s("error"),
                s("[pid 1234:tid 5678] AH00126: bad")
            ]
        );
        assert_eq!(
            read("2024-01-15T10:30:45Z WARN: disk almost full"),
            vec![s("2024-01-15T10:30:45Z"), s("WARN"), s("disk almost full")]
        );
    }
}
