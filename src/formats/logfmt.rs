//! logfmt: `key=value` pairs separated by spaces; values bare or double-quoted with escapes;
//! a bare key is `true`. Dotted keys (slog groups: `req.method=GET`) are kept whole.

use super::{NoMatch, Out};

/// Reads a logfmt line, offering every pair. Returns how many `key=value` pairs it had.
pub fn scan(out: &mut Out) -> Result<usize, NoMatch> {
    let b = out.line;
    let mut i = 0;
    let mut pairs = 0;
    while i < b.len() {
        while i < b.len() && matches!(b[i], b' ' | b'\t') {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let key_start = i;
        while i < b.len() && !matches!(b[i], b'=' | b' ' | b'\t' | b'"') {
            i += 1;
        }
        let key_end = i;
        if key_end == key_start {
            return Err(NoMatch);
        }
        let key = &b[key_start..key_end];
        if i >= b.len() || b[i] != b'=' {
            if b.get(i) == Some(&b'"') {
                return Err(NoMatch);
            }
            // A bare key: a flag.
            out.field_static(key, crate::json_scan::Kind::True, b"true");
            continue;
        }
        i += 1;
        pairs += 1;
        if b.get(i) == Some(&b'"') {
            i += 1;
            let start = i;
            let mut escaped = false;
            loop {
                match b.get(i) {
                    None => return Err(NoMatch),
                    Some(b'\\') => {
                        escaped = true;
                        i += 2;
                    }
                    Some(b'"') => break,
                    Some(_) => i += 1,
                }
            }
            let end = i.min(b.len());
            i += 1;
            if i < b.len() && !matches!(b[i], b' ' | b'\t') {
                return Err(NoMatch);
            }
            out.field_escaped(key, start, end, escaped);
        } else {
            let start = i;
            while i < b.len() && !matches!(b[i], b' ' | b'\t') {
                if b[i] == b'"' {
                    return Err(NoMatch);
                }
                i += 1;
            }
            out.bare(key, start, i);
        }
    }
    if pairs == 0 {
        return Err(NoMatch);
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str, keys: &[&str]) -> Result<Vec<Option<String>>, NoMatch> {
        crate::formats::read_keys(line, keys, |out| scan(out).map(|_| ()))
    }

    #[test]
    fn slog_text_line() {
        let got = read(
            r#"time=2024-01-01T12:00:00.123Z level=INFO msg="Request \"done\"" tool=analyze duration_ms=12 status=success req.method=GET cached"#,
            &["time", "msg", "duration_ms", "req.method", "cached", "missing"],
        )
        .unwrap();
        assert_eq!(
            got,
            vec![
                Some("2024-01-01T12:00:00.123Z".into()),
                Some("Request \"done\"".into()),
                Some("12".into()),
                Some("GET".into()),
                Some("true".into()),
                None
            ]
        );
    }

    #[test]
    fn empty_values_and_errors() {
        assert_eq!(read("a= b=1", &["a"]).unwrap(), vec![Some(String::new())]);
        assert!(read("a=\"unterminated", &["a"]).is_err());
        assert!(read("just some words", &["a"]).is_err());
        assert!(read("a=\"x\"y", &["a"]).is_err());
    }
}
