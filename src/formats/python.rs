//! Python logging's default layout: `2024-03-15 08:30:00,123 - name - LEVEL - message`, with
//! the date-time also without milliseconds or in ISO 8601 (`datefmt`).
//! Fields: `asctime`, `name`, `levelname`, `message`.

use super::{is_level_word, NoMatch, Out};
use crate::json_scan::Kind;
use memchr::memmem;

const SEP: &[u8] = b" - ";

pub fn scan(out: &mut Out) -> Result<(), NoMatch> {
    let b = out.line;
    // asctime: a date-time (`2024-03-15 08:30:00,123`, the default; `2024-03-15 08:30:00` with
    // `datefmt='%Y-%m-%d %H:%M:%S'`; ISO 8601 with `T`, a fraction or a zone), up to the first
    // ` - `. Its value is read as any time is; here only its shape is checked.
    let time_len = memmem::find(b, SEP).ok_or(NoMatch)?;
    if !looks_like_date_time(&b[..time_len]) {
        return Err(NoMatch);
    }
    let name_start = time_len + SEP.len();
    let name_len = memmem::find(&b[name_start..], SEP).ok_or(NoMatch)?;
    let level_start = name_start + name_len + SEP.len();
    let level_len = memmem::find(&b[level_start..], SEP)
        .or_else(|| {
            // `LEVEL -` at the end: an empty message.
            b[level_start..].strip_suffix(b" -").map(|l| l.len())
        })
        .ok_or(NoMatch)?;
    let level = &b[level_start..level_start + level_len];
    if !is_level_word(level) {
        return Err(NoMatch);
    }
    let msg_start = (level_start + level_len + SEP.len()).min(b.len());
    out.field(b"asctime", Kind::String, 0, time_len);
    out.field(b"name", Kind::String, name_start, name_start + name_len);
    out.field(
        b"levelname",
        Kind::String,
        level_start,
        level_start + level_len,
    );
    out.field(b"message", Kind::String, msg_start, b.len());
    Ok(())
}

/// `YYYY-MM-DD`, a space or `T`, `HH:MM:SS`, then anything (a fraction, a zone).
fn looks_like_date_time(t: &[u8]) -> bool {
    t.len() >= 19
        && t[..19].iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b' ' || c == b'T',
            13 | 16 => c == b':',
            _ => c.is_ascii_digit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_scan::{Captures, FieldSet};

    #[test]
    fn event_kit_app_log() {
        let line =
            b"2024-03-15 08:30:00,123 - event_agent - ERROR - Failed to load manifest - retrying";
        let mut set = FieldSet::new();
        for (i, k) in ["asctime", "name", "levelname", "message"]
            .iter()
            .enumerate()
        {
            set.want(k, i as u8, 0);
        }
        let mut caps = Captures::new(4);
        let mut out = Out {
            set: &set,
            caps: &mut caps,
            line,
        };
        scan(&mut out).unwrap();
        let got: Vec<String> = (0..4)
            .map(|i| caps.get(i, line).unwrap().1.text().into_owned())
            .collect();
        assert_eq!(
            got,
            [
                "2024-03-15 08:30:00,123",
                "event_agent",
                "ERROR",
                "Failed to load manifest - retrying"
            ]
        );
    }

    #[test]
    fn asctime_with_another_datefmt() {
        let mut set = FieldSet::new();
        set.want("asctime", 0, 0);
        set.want("levelname", 1, 0);
        for (line, time) in [
            (
                "2024-11-25 09:00:01 - root - INFO - started",
                "2024-11-25 09:00:01",
            ),
            (
                "2024-11-25T09:00:01.123Z - root - ERROR - Failed",
                "2024-11-25T09:00:01.123Z",
            ),
            (
                "2024-11-25T09:00:01-05:00 - app.db - WARNING - slow",
                "2024-11-25T09:00:01-05:00",
            ),
        ] {
            let mut caps = Captures::new(2);
            let mut out = Out {
                set: &set,
                caps: &mut caps,
                line: line.as_bytes(),
            };
            scan(&mut out).unwrap();
            let asctime = caps.get(0, line.as_bytes()).unwrap().1.text().into_owned();
            assert_eq!(asctime, time);
        }
    }

    #[test]
    fn rejects_other_lines() {
        let set = FieldSet::new();
        let mut caps = Captures::new(0);
        for line in [
            &b"2024-03-15 08:30:00,123 event_agent ERROR oops"[..],
            b"2024-03-15 08:30:00,123 - event_agent - LOUD - oops",
            b"hello",
            b"2024-03-15 08:30 - event_agent - ERROR - oops",
            b"15/03/2024 08:30:00 - event_agent - ERROR - oops",
        ] {
            let mut out = Out {
                set: &set,
                caps: &mut caps,
                line,
            };
            assert!(scan(&mut out).is_err());
        }
    }
}
