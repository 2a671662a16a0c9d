//! nginx/Apache access logs: the common and combined formats, optionally followed by quoted
//! extras (nginx's `"$http_x_forwarded_for"`, passed over) and request times (nginx
//! `$request_time $upstream_response_time` in seconds, or Apache `%D` in µs).
//!
//! Fields: `remote_addr`, `ident`, `user`, `time`, `method`, `path` (without the query),
//! `query`, `protocol`, `status`, `bytes`, `referer`, `user_agent`, `request_time` (s),
//! `upstream_response_time` (s), `duration_us` (µs), and `route` (`METHOD /path`), the default
//! group of access logs.

use super::{NoMatch, Out};
use crate::json_scan::Kind;
use memchr::memchr;

fn token(b: &[u8], i: &mut usize) -> Result<(usize, usize), NoMatch> {
    let start = *i;
    while *i < b.len() && b[*i] != b' ' {
        *i += 1;
    }
    if *i == start {
        return Err(NoMatch);
    }
    let end = *i;
    skip_spaces(b, i);
    Ok((start, end))
}

fn skip_spaces(b: &[u8], i: &mut usize) {
    while *i < b.len() && b[*i] == b' ' {
        *i += 1;
    }
}

/// A double-quoted field with `\"` escapes; returns the content span.
fn quoted(b: &[u8], i: &mut usize) -> Result<(usize, usize, bool), NoMatch> {
    if b.get(*i) != Some(&b'"') {
        return Err(NoMatch);
    }
    *i += 1;
    let start = *i;
    let mut escaped = false;
    loop {
        match b.get(*i) {
            None => return Err(NoMatch),
            Some(b'\\') => {
                escaped = true;
                *i += 2;
            }
            Some(b'"') => break,
            Some(_) => *i += 1,
        }
    }
    let end = *i;
    *i += 1;
    skip_spaces(b, i);
    Ok((start, end, escaped))
}

pub fn scan(out: &mut Out) -> Result<(), NoMatch> {
    let b = out.line;
    let mut i = 0;
    let addr = token(b, &mut i)?;
    let ident = token(b, &mut i)?;
    let user = token(b, &mut i)?;
    // [10/Oct/2000:13:55:36 -0700]
    if b.get(i) != Some(&b'[') {
        return Err(NoMatch);
    }
    let t_end = i + memchr(b']', &b[i..]).ok_or(NoMatch)?;
    let time = (i + 1, t_end);
    if super::time::parse_clf(&b[time.0..time.1]).is_none() {
        return Err(NoMatch);
    }
    i = t_end + 1;
    skip_spaces(b, &mut i);
    let request = quoted(b, &mut i)?;
    let status = token(b, &mut i)?;
    let s = &b[status.0..status.1];
    if s.len() != 3 || !s.iter().all(u8::is_ascii_digit) {
        return Err(NoMatch);
    }
    let bytes = token(b, &mut i)?;
    let bytes_text = &b[bytes.0..bytes.1];
    if bytes_text != b"-" && !bytes_text.iter().all(u8::is_ascii_digit) {
        return Err(NoMatch);
    }

    out.field(b"remote_addr", Kind::String, addr.0, addr.1);
    for (key, (s, e)) in [(&b"ident"[..], ident), (b"user", user)] {
        if &b[s..e] != b"-" {
            out.field(key, Kind::String, s, e);
        }
    }
    out.field(b"time", Kind::String, time.0, time.1);
    out.field_escaped(b"request", request.0, request.1, request.2);
    // "GET /path?query HTTP/1.1"
    let r = &b[request.0..request.1];
    if let Some(sp) = memchr(b' ', r) {
        let method = (request.0, request.0 + sp);
        let target_start = method.1 + 1;
        let target_end = memchr(b' ', &r[sp + 1..]).map_or(request.1, |p| target_start + p);
        let path_end =
            memchr(b'?', &b[target_start..target_end]).map_or(target_end, |p| target_start + p);
        out.field(b"method", Kind::String, method.0, method.1);
        out.field(b"path", Kind::String, target_start, path_end);
        out.field(b"route", Kind::String, method.0, path_end);
        if path_end < target_end {
            out.field(b"query", Kind::String, path_end + 1, target_end);
        }
        if target_end < request.1 {
            out.field(b"protocol", Kind::String, target_end + 1, request.1);
        }
    }
    out.field(b"status", Kind::Number, status.0, status.1);
    if bytes_text != b"-" {
        out.field(b"bytes", Kind::Number, bytes.0, bytes.1);
    }
    if i >= b.len() {
        return Ok(());
    }
    // Combined: "referer" "user agent".
    if b[i] == b'"' {
        let referer = quoted(b, &mut i)?;
        out.field_escaped(b"referer", referer.0, referer.1, referer.2);
        let ua = quoted(b, &mut i)?;
        out.field_escaped(b"user_agent", ua.0, ua.1, ua.2);
    }
    // After the standard fields: quoted extras (nginx's `"$http_x_forwarded_for"`), passed
    // over, and request times: a plain decimal, or `-` for none. Anything else does not fit.
    let mut times = 0;
    while i < b.len() {
        if b[i] == b'"' {
            quoted(b, &mut i)?;
            continue;
        }
        let (s, e) = token(b, &mut i)?;
        // Several upstreams: `0.001, 0.002` or `0.001 : 0.002` (the first one is kept).
        let (s, e) = match &b[s..e] {
            b":" => continue,
            [.., b','] => (s, e - 1),
            _ => (s, e),
        };
        let word = &b[s..e];
        if word == b"-" {
            times += 1;
            continue;
        }
        // A plain non-negative decimal, with or without a fraction.
        let has_dot = match crate::number::split_decimal(word) {
            Some((false, _, fraction)) => !fraction.is_empty(),
            _ => return Err(NoMatch),
        };
        match (times, has_dot) {
            (0, true) => out.field(b"request_time", Kind::Number, s, e),
            (0, false) => out.field(b"duration_us", Kind::Number, s, e),
            (1, _) => out.field(b"upstream_response_time", Kind::Number, s, e),
            _ => {}
        }
        times += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: [&str; 12] = [
        "remote_addr",
        "time",
        "method",
        "path",
        "query",
        "protocol",
        "status",
        "bytes",
        "user_agent",
        "request_time",
        "duration_us",
        "route",
    ];

    fn read(line: &str) -> Result<Vec<Option<String>>, NoMatch> {
        crate::formats::read_keys(line, &KEYS, scan)
    }

    #[test]
    fn nginx_combined_with_request_time() {
        let got = read(r#"10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /api/v1/x?id=3 HTTP/1.1" 503 12 "-" "curl/8.0" 0.250 0.249"#).unwrap();
        let s = |v: &str| Some(v.to_string());
        assert_eq!(
            got,
            vec![
                s("10.0.0.1"),
                s("10/Oct/2000:13:55:36 -0700"),
                s("GET"),
                s("/api/v1/x"),
                s("id=3"),
                s("HTTP/1.1"),
                s("503"),
                s("12"),
                s("curl/8.0"),
                s("0.250"),
                None,
                s("GET /api/v1/x"),
            ]
        );
    }

    #[test]
    fn apache_common_and_microseconds() {
        let got = read(
            r#"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 -"#,
        )
        .unwrap();
        assert_eq!(got[7], None);
        let got = read(
            r#"127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "POST /x HTTP/1.0" 201 5 "-" "ua" 1234"#,
        )
        .unwrap();
        assert_eq!(got[10].as_deref(), Some("1234"));
    }

    #[test]
    fn quoted_extras_are_passed_over_and_times_kept() {
        let base = r#"172.17.0.1 - - [25/Nov/2024:10:00:04 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.5.0""#;
        let request_time = |tail: &str| read(&format!("{base}{tail}")).map(|got| got[9].clone());
        // nginx's `main` format ends in the X-Forwarded-For header.
        assert_eq!(request_time(r#" "203.0.113.9""#), Ok(None));
        assert_eq!(request_time(r#" "203.0.113.9, 10.0.0.2""#), Ok(None));
        assert_eq!(
            request_time(r#" "203.0.113.9" 0.004 0.003"#),
            Ok(Some("0.004".into()))
        );
        assert_eq!(
            request_time(r#" "-" 0.004 0.001, 0.002"#),
            Ok(Some("0.004".into()))
        );
        let upstream = read(&format!("{base} 0.004 0.001 : 0.002")).unwrap();
        assert_eq!(upstream[9].as_deref(), Some("0.004"));
        for tail in [
            " -0.003 0.002",
            " abc 0.5",
            " hello world",
            " 1.2.3",
            " 0.",
            " .5",
        ] {
            assert_eq!(request_time(tail), Err(NoMatch), "{tail:?}");
        }
    }

    #[test]
    fn rejects_other_lines() {
        assert!(read("hello world").is_err());
        assert!(read(r#"1.2.3.4 - - [yesterday] "GET / HTTP/1.1" 200 1"#).is_err());
        assert!(read(r#"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" ok 1"#).is_err());
    }
}
