//! Syslog lines: RFC 3164 (`<34>Oct 11 22:14:15 host app[123]: message`, the priority optional
//! as in files written by rsyslog) and RFC 5424 (`<165>1 2003-10-11T22:14:15.003Z host app
//! procid msgid [sd] message`). Fields: `time`, `host`, `app`, `pid`, `msgid`, `message`, and
//! `level` from the priority's severity.

use super::{NoMatch, Out};
use crate::json_scan::Kind;

const SEVERITIES: [&[u8]; 8] = [
    b"emerg", b"alert", b"crit", b"error", b"warning", b"notice", b"info", b"debug",
];

fn word(b: &[u8], i: &mut usize) -> Result<(usize, usize), NoMatch> {
    let start = *i;
    while *i < b.len() && b[*i] != b' ' {
        *i += 1;
    }
    if *i == start {
        return Err(NoMatch);
    }
    let end = *i;
    if *i < b.len() {
        *i += 1;
    }
    Ok((start, end))
}

pub fn scan(out: &mut Out) -> Result<(), NoMatch> {
    let b = out.line;
    let mut i = 0;
    let mut severity = None;
    if b.first() == Some(&b'<') {
        let close = b.iter().take(5).position(|&c| c == b'>').ok_or(NoMatch)?;
        let pri: u32 = std::str::from_utf8(&b[1..close])
            .ok()
            .and_then(|p| p.parse().ok())
            .filter(|p| *p <= 191)
            .ok_or(NoMatch)?;
        severity = Some(SEVERITIES[(pri % 8) as usize]);
        i = close + 1;
    }
    // RFC 5424: a version digit and a space after the priority.
    if severity.is_some() && b.get(i).is_some_and(u8::is_ascii_digit) && b.get(i + 1) == Some(&b' ')
    {
        i += 2;
        let time = word(b, &mut i)?;
        let t = &b[time.0..time.1];
        if t != b"-" {
            crate::timefmt::parse_rfc3339(t).ok_or(NoMatch)?;
            out.field(b"time", Kind::String, time.0, time.1);
        }
        for key in [&b"host"[..], b"app", b"pid", b"msgid"] {
            let (s, e) = word(b, &mut i)?;
            if &b[s..e] != b"-" {
                out.field(key, Kind::String, s, e);
            }
        }
        // Structured data: `-` or one or more `[id k="v" …]` blocks.
        if b.get(i) == Some(&b'-') {
            i += 2;
        } else {
            while b.get(i) == Some(&b'[') {
                let mut in_quotes = false;
                loop {
                    i += 1;
                    match b.get(i) {
                        None => return Err(NoMatch),
                        Some(b'\\') => i += 1,
                        Some(b'"') => in_quotes = !in_quotes,
                        Some(b']') if !in_quotes => break,
                        _ => {}
                    }
                }
                i += 1;
            }
            if b.get(i) == Some(&b' ') {
                i += 1;
            }
        }
        let msg_start = i.min(b.len());
        let msg_start = if b[msg_start..].starts_with(b"\xEF\xBB\xBF") {
            msg_start + 3
        } else {
            msg_start
        };
        out.field(b"message", Kind::String, msg_start, b.len());
    } else {
        // RFC 3164: `Mmm dd hh:mm:ss host tag[pid]: message`; the day also unpadded (`Mar 5`),
        // the host also left out (`Mmm dd hh:mm:ss tag: message`, as sent to a local socket).
        let unpadded = b.get(i + 4).is_some_and(u8::is_ascii_digit) && b.get(i + 5) == Some(&b' ');
        let ts = (i, i + if unpadded { 14 } else { 15 });
        if b.len() <= ts.1 || !super::time::is_syslog_time(&b[ts.0..ts.1]) {
            return Err(NoMatch);
        }
        out.field(b"time", Kind::String, ts.0, ts.1);
        i = ts.1;
        if b.get(i) != Some(&b' ') {
            return Err(NoMatch);
        }
        i += 1;
        let next = b[i..]
            .iter()
            .position(|&c| c == b' ')
            .map_or(b.len(), |p| i + p);
        let is_tag = b[i..next].ends_with(b":") || b[i..next].contains(&b'[');
        if !is_tag {
            let host = word(b, &mut i)?;
            out.field(b"host", Kind::String, host.0, host.1);
        }
        let tag_start = i;
        while i < b.len() && !matches!(b[i], b':' | b'[' | b' ') {
            i += 1;
        }
        if i == tag_start || i >= b.len() {
            return Err(NoMatch);
        }
        out.field(b"app", Kind::String, tag_start, i);
        if b[i] == b'[' {
            let pid_start = i + 1;
            let close = b[pid_start..]
                .iter()
                .position(|&c| c == b']')
                .ok_or(NoMatch)?;
            out.field(b"pid", Kind::String, pid_start, pid_start + close);
            i = pid_start + close + 1;
        }
        if b.get(i) != Some(&b':') {
            return Err(NoMatch);
        }
        i += 1;
        if b.get(i) == Some(&b' ') {
            i += 1;
        }
        out.field(b"message", Kind::String, i, b.len());
    }
    if let Some(level) = severity {
        out.field_static(b"level", Kind::String, level);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str) -> Result<Vec<Option<String>>, NoMatch> {
        let keys = ["time", "host", "app", "pid", "message", "level"];
        crate::formats::read_keys(line, &keys, scan)
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn rfc3164() {
        assert_eq!(
            read("<34>Oct 11 22:14:15 mymachine su[42]: 'su root' failed").unwrap(),
            vec![
                s("Oct 11 22:14:15"),
                s("mymachine"),
                s("su"),
                s("42"),
                s("'su root' failed"),
                s("crit")
            ]
        );
        let got = read("Jan  5 01:02:03 host sshd: Accepted publickey").unwrap();
        assert_eq!(got[4], s("Accepted publickey"));
        assert_eq!(got[5], None);
        // The day unpadded, the host left out.
        assert_eq!(
            read("<13>Mar 5 22:14:15 app: msg").unwrap(),
            vec![
                s("Mar 5 22:14:15"),
                None,
                s("app"),
                None,
                s("msg"),
                s("notice")
            ]
        );
        assert_eq!(
            read("Oct 11 22:14:15 cron[77]: job done").unwrap(),
            vec![
                s("Oct 11 22:14:15"),
                None,
                s("cron"),
                s("77"),
                s("job done"),
                None
            ]
        );
    }

    #[test]
    fn rfc5424() {
        let got = read(r#"<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="App]"] An application event"#).unwrap();
        assert_eq!(
            got,
            vec![
                s("2003-10-11T22:14:15.003Z"),
                s("mymachine.example.com"),
                s("evntslog"),
                None,
                s("An application event"),
                s("notice")
            ]
        );
    }

    #[test]
    fn rejects_other_lines() {
        assert!(read("hello world").is_err());
        assert!(read("<999>Oct 11 22:14:15 h a: m").is_err());
        assert!(read("Oct 11 22:14:15 host").is_err());
        assert!(read("Mar 5 22:14:15").is_err());
        assert!(read("Mar 55 22:14:15 h a: m").is_err());
    }
}
