//! Python logging's default layout: `2024-03-15 08:30:00,123 - name - LEVEL - message`.
//! Fields: `asctime`, `name`, `levelname`, `message`.

use super::{is_level_word, NoMatch, Out};
use crate::json_scan::Kind;
use memchr::memmem;

const SEP: &[u8] = b" - ";

pub fn scan(out: &mut Out) -> Result<(), NoMatch> {
    let b = out.line;
    // asctime: `YYYY-MM-DD HH:MM:SS,mmm`.
    if b.len() < 23 + SEP.len() || &b[23..26] != SEP {
        return Err(NoMatch);
    }
    let t = &b[..23];
    let shape_ok = t.iter().enumerate().all(|(i, &c)| match i {
        4 | 7 => c == b'-',
        10 => c == b' ',
        13 | 16 => c == b':',
        19 => c == b',' || c == b'.',
        _ => c.is_ascii_digit(),
    });
    if !shape_ok {
        return Err(NoMatch);
    }
    let name_start = 26;
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
    out.field(b"asctime", Kind::String, 0, 23);
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
    fn rejects_other_lines() {
        let set = FieldSet::new();
        let mut caps = Captures::new(0);
        for line in [
            &b"2024-03-15 08:30:00,123 event_agent ERROR oops"[..],
            b"2024-03-15 08:30:00,123 - event_agent - LOUD - oops",
            b"hello",
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
