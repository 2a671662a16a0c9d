//! Error message templates: variable parts (numbers, ids, UUIDs, ULIDs, IP addresses, quoted
//! values, durations) become placeholders, so messages that differ only in them cluster.

use std::borrow::Cow;

const DURATION_UNITS: &[&str] = &["ns", "us", "µs", "ms", "s", "m", "h", "d"];

fn is_word(c: u8) -> bool {
    CLASS[c as usize] & WORD != 0
}

/// Byte classes for the template scan, one table lookup instead of a chain of range compares.
const WORD: u8 = 1;
const DIGIT: u8 = 2;
const QUOTE: u8 = 4;
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = if b.is_ascii_digit() {
            WORD | DIGIT
        } else if b.is_ascii_alphabetic() || b == b'_' {
            WORD
        } else if b == b'"' || b == b'\'' {
            QUOTE
        } else {
            0
        };
        c += 1;
    }
    t
};

fn is_crockford(c: u8) -> bool {
    c.is_ascii_digit() || (c.is_ascii_uppercase() && !matches!(c, b'I' | b'L' | b'O' | b'U'))
}

/// Length of a UUID (8-4-4-4-12 hex digits) at the start of `b`, if there is one.
fn uuid_len(b: &[u8]) -> Option<usize> {
    if b.len() < 36 || (b.len() > 36 && is_word(b[36])) {
        return None;
    }
    let ok = b[..36].iter().enumerate().all(|(i, &c)| match i {
        8 | 13 | 18 | 23 => c == b'-',
        _ => c.is_ascii_hexdigit(),
    });
    ok.then_some(36)
}

/// Length of a dotted IPv4 address (with an optional `:port`) at the start of `b`.
fn ipv4_len(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    for part in 0..4 {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() && i - start < 3 {
            i += 1;
        }
        if i == start {
            return None;
        }
        if part < 3 {
            if b.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
    }
    if b.get(i).is_some_and(|&c| is_word(c) || c == b'.') {
        return None;
    }
    if b.get(i) == Some(&b':') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    Some(i)
}

/// Length of a date or date-time at the start of `b`: `YYYY-MM-DD`, then perhaps `T` or a
/// space and `HH:MM`, `:SS`, a fraction and a zone (`Z`, `±HH:MM`, `±HHMM`).
fn datetime_len(b: &[u8]) -> Option<usize> {
    let digits = |at: usize, n: usize| -> bool {
        b.get(at..at + n)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let is = |at: usize, c: u8| b.get(at) == Some(&c);
    if !(is(4, b'-') && digits(0, 4) && digits(5, 2) && is(7, b'-') && digits(8, 2)) {
        return None;
    }
    let mut i = 10;
    if matches!(b.get(i), Some(b'T' | b' '))
        && digits(i + 1, 2)
        && is(i + 3, b':')
        && digits(i + 4, 2)
    {
        i += 6;
        if is(i, b':') && digits(i + 1, 2) {
            i += 3;
            if matches!(b.get(i), Some(b'.' | b',')) && digits(i + 1, 1) {
                i += 1 + b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            }
        }
        if matches!(b.get(i), Some(b'Z' | b'z')) {
            i += 1;
        } else if matches!(b.get(i), Some(b'+' | b'-')) && digits(i + 1, 2) {
            i += 3;
            if is(i, b':') && digits(i + 1, 2) {
                i += 3;
            } else if digits(i, 2) {
                i += 2;
            }
        }
    }
    (!b.get(i).is_some_and(|&c| is_word(c))).then_some(i)
}

/// Length of a duration at the start of `b`: one or more terms of a number and a unit
/// (`1200ms`, `1.5s`, `1m30s`, `2h0m5s`), not followed by a word character.
fn duration_len(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    loop {
        let start = i;
        i += b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if i == start {
            return None;
        }
        if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1 + b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        }
        let unit = DURATION_UNITS
            .iter()
            .map(|u| u.as_bytes())
            .find(|u| b[i..].starts_with(u))?;
        i += unit.len();
        match b.get(i) {
            // Another term.
            Some(c) if c.is_ascii_digit() => continue,
            Some(&c) if is_word(c) => return None,
            _ => return Some(i),
        }
    }
}

/// The placeholder for a word of `run` bytes (`has_digit` or not) that starts `b` at a word
/// boundary, and its length, if the word is a variable part.
fn variable_in_word(b: &[u8], run: usize, has_digit: bool) -> Option<(&'static str, usize)> {
    if let Some(n) = datetime_len(b) {
        return Some(("<time>", n));
    }
    if let Some(n) = uuid_len(b) {
        return Some(("<uuid>", n));
    }
    if let Some(n) = ipv4_len(b) {
        return Some(("<ip>", n));
    }
    if b.starts_with(b"0x") && b.get(2).is_some_and(u8::is_ascii_hexdigit) {
        let n = 2 + b[2..].iter().take_while(|c| c.is_ascii_hexdigit()).count();
        if !b.get(n).is_some_and(|&c| is_word(c)) {
            return Some(("<hex>", n));
        }
    }
    let word = &b[..run];
    if run == 26 && has_digit && word.iter().all(|&c| is_crockford(c)) {
        return Some(("<ulid>", run));
    }
    // Seven: a short git commit id.
    if run >= 7 && has_digit && word.iter().all(u8::is_ascii_hexdigit) {
        return Some((
            if word.iter().all(u8::is_ascii_digit) {
                "<n>"
            } else {
                "<hex>"
            },
            run,
        ));
    }
    if !b.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    if let Some(n) = duration_len(b) {
        return Some(("<duration>", n));
    }
    // A number, with an optional fraction and exponent.
    let mut i = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1 + b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let sign = matches!(b.get(i + 1), Some(b'+' | b'-')) as usize;
        let n = b[i + 1 + sign..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if n > 0 {
            i += 1 + sign + n;
        }
    }
    let rest = &b[i..];
    if rest.first().is_some_and(|&c| is_word(c)) {
        // `3rd`, `2xx`: part of a word, not a value.
        return None;
    }
    Some(("<n>", i))
}

/// Where the quoted value that opens at `b[0]` (with quote `q`) closes, as an offset from
/// `b[1]`: quotes escaped by a backslash (`"a \"q\" b"`) are inside it.
fn closing_quote(b: &[u8], q: u8) -> Option<usize> {
    let mut k = 1;
    while let Some(&c) = b.get(k) {
        if c == q {
            return Some(k - 1);
        }
        k += if c == b'\\' { 2 } else { 1 };
    }
    None
}

/// Does `rest` (what follows a quoted string) start with a `:`, after any spaces?
fn followed_by_colon(rest: &[u8]) -> bool {
    rest.iter().find(|&&c| c != b' ') == Some(&b':')
}

/// The length of a negative number at `b[i]` (a `-` that does not follow a word, then a
/// number): `code -1` is `code <n>`, like `code 42`; `evt-123` and `1-5` keep their `-`.
fn negative_number_len(b: &[u8], i: usize) -> Option<usize> {
    if b[i] != b'-' || i.checked_sub(1).is_some_and(|k| is_word(b[k])) {
        return None;
    }
    let rest = b.get(i + 1..)?;
    let run = rest.iter().take_while(|&&c| is_word(c)).count();
    if !rest.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    match variable_in_word(rest, run, true)? {
        ("<n>", n) => Some(1 + n),
        _ => None,
    }
}

/// The template of a message. Returns the message itself when nothing in it varies.
pub fn template(msg: &str) -> Cow<'_, str> {
    let mut out = String::new();
    if write_template(msg, &mut out) {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(msg)
    }
}

/// Appends the template of `msg` to `out` if anything in it varies (and says so); leaves `out`
/// as it was otherwise. Lets a caller reuse one buffer for every message.
pub fn write_template(msg: &str, out: &mut String) -> bool {
    let b = msg.as_bytes();
    let mut changed = false;
    let mut copied = 0; // bytes of `msg` already copied into `out`
    let mut i = 0;
    let mut prev_word = false;
    let json = b.first() == Some(&b'{');
    while i < b.len() {
        let c = b[i];
        let class = CLASS[c as usize];
        // The variable part that starts here, if any: its placeholder and length.
        let found = if class == 0 {
            // Neither a word nor a quote: the common gap between words.
            negative_number_len(b, i).map(|len| ("<n>", len))
        } else if prev_word {
            None
        } else if class & QUOTE != 0 {
            match closing_quote(&b[i..], c) {
                // A key of an error object (written as JSON) names a part, as a word does.
                Some(end) if json && c == b'"' && followed_by_colon(&b[i + end + 2..]) => {
                    i += end + 2;
                    prev_word = false;
                    continue;
                }
                Some(end) => {
                    let quoted = if c == b'"' { "\"<str>\"" } else { "'<str>'" };
                    Some((quoted, end + 2))
                }
                None => None,
            }
        } else {
            // Only a word with a digit, or eight characters before a `-` (a UUID's first group),
            // can be a variable part: any other word is passed over whole.
            let mut end = i;
            let mut classes = 0;
            while let Some(&x) = b.get(end) {
                let class = CLASS[x as usize];
                if class & WORD == 0 {
                    break;
                }
                classes |= class;
                end += 1;
            }
            let may_vary = classes & DIGIT != 0 || (end - i == 8 && b.get(end) == Some(&b'-'));
            if !may_vary {
                i = end;
                prev_word = true;
                continue;
            }
            variable_in_word(&b[i..], end - i, classes & DIGIT != 0)
        };
        if let Some((placeholder, len)) = found {
            changed = true;
            out.push_str(&msg[copied..i]);
            out.push_str(placeholder);
            i += len;
            copied = i;
            prev_word = false;
            continue;
        }
        prev_word = is_word(c);
        i += 1;
    }
    if changed {
        out.push_str(&msg[copied..]);
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// [`variable_in_word`] of the word at the start of `b`.
    fn variable_at(b: &[u8]) -> Option<(&'static str, usize)> {
        let run = b.iter().take_while(|&&c| is_word(c)).count();
        variable_in_word(b, run, b[..run].iter().any(u8::is_ascii_digit))
    }

    /// `write_template` as it was before words without digits were passed over whole.
    fn reference(msg: &str) -> String {
        let b = msg.as_bytes();
        let (mut out, mut changed, mut copied, mut i, mut prev_word) =
            (String::new(), false, 0, 0, false);
        while i < b.len() {
            let c = b[i];
            if let Some(len) = negative_number_len(b, i) {
                changed = true;
                out.push_str(&msg[copied..i]);
                out.push_str("<n>");
                i += len;
                copied = i;
                prev_word = false;
                continue;
            }
            if (c == b'"' || c == b'\'') && !prev_word {
                if let Some(end) = closing_quote(&b[i..], c) {
                    let after = msg[i + end + 2..].trim_start_matches(' ');
                    if msg.starts_with('{') && c == b'"' && after.starts_with(':') {
                        i += end + 2;
                        prev_word = false;
                        continue;
                    }
                    changed = true;
                    out.push_str(&msg[copied..i]);
                    out.push(c as char);
                    out.push_str("<str>");
                    out.push(c as char);
                    i += end + 2;
                    copied = i;
                    prev_word = false;
                    continue;
                }
            }
            if !prev_word && is_word(c) {
                if let Some((placeholder, len)) = variable_at(&b[i..]) {
                    changed = true;
                    out.push_str(&msg[copied..i]);
                    out.push_str(placeholder);
                    i += len;
                    copied = i;
                    prev_word = false;
                    continue;
                }
            }
            prev_word = is_word(c);
            i += 1;
        }
        if changed {
            out.push_str(&msg[copied..]);
        }
        out
    }

    #[test]
    fn byte_classes_are_what_they_say() {
        for c in 0..=255u8 {
            let class = CLASS[c as usize];
            assert_eq!(is_word(c), c.is_ascii_alphanumeric() || c == b'_', "{c}");
            assert_eq!(class & DIGIT != 0, c.is_ascii_digit(), "{c}");
            assert_eq!(class & QUOTE != 0, c == b'"' || c == b'\'', "{c}");
        }
    }

    #[test]
    fn a_uuid_of_letters_is_still_a_uuid() {
        let msg = "id abcdefab-abcd-abcd-abcd-abcdefabcdef gone";
        assert_eq!(template(msg), "id <uuid> gone");
        assert_eq!(template(msg), reference(msg));
    }

    proptest! {
        #[test]
        fn templates_equal_the_byte_by_byte_reference(
            parts in prop::collection::vec(prop::sample::select(&[
                "user", "u-", "53762", "evt", "deadbeef", "-", "e29b", "550e8400-e29b-41d4-a716-446655440000",
                "10.0.0.12", ":5432", "0x1f", "1200ms", "1.5s", "3rd", "_x9", "\"", "'", " ", ":", ".",
                "01ARZ3NDEKTSV4RRFFQ69G5FAV", "ABCDEFGH", "abcdefab", "ü", "x", "42",
                "1e5", "1m30s", "2024-01-15T10:30:45Z", "\\", "a3f9c21", "{", "{\"k\":",
            ][..]), 0..14),
        ) {
            let msg: String = parts.concat();
            let mut got = String::new();
            let changed = write_template(&msg, &mut got);
            let want = reference(&msg);
            prop_assert_eq!(changed, !want.is_empty());
            prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn placeholders() {
        for (msg, want) in [
            ("manifest not found: evt-123", "manifest not found: evt-<n>"),
            (
                "Graph API timeout after 5000ms",
                "Graph API timeout after <duration>",
            ),
            ("took 1.5s", "took <duration>"),
            (
                "session 550e8400-e29b-41d4-a716-446655440000 expired",
                "session <uuid> expired",
            ),
            (
                "command 01ARZ3NDEKTSV4RRFFQ69G5FAV failed",
                "command <ulid> failed",
            ),
            ("dial tcp 10.0.0.12:5432: refused", "dial tcp <ip>: refused"),
            (
                "trace 4bf92f3577b34da6a3ce929d0e0e4736 dropped",
                "trace <hex> dropped",
            ),
            (
                "bad value \"abc\" for 'x'",
                "bad value \"<str>\" for '<str>'",
            ),
            ("retry 3 of 5", "retry <n> of <n>"),
            (
                "upstream HTTP 502 after 1200ms",
                "upstream HTTP <n> after <duration>",
            ),
            ("addr 0xdeadbeef", "addr <hex>"),
            (
                "can't open ipv4 socket on http2",
                "can't open ipv4 socket on http2",
            ),
            ("3rd attempt", "3rd attempt"),
            ("", ""),
            ("ünïcode 42 ok", "ünïcode <n> ok"),
            ("commit a3f9c21 failed", "commit <hex> failed"),
            ("wait 1m30s", "wait <duration>"),
            ("wait 2h0m5.5s then", "wait <duration> then"),
            ("1m30x", "1m30x"),
            ("value 1e5 too big", "value <n> too big"),
            ("value 2.5E-3 too small", "value <n> too small"),
            ("at 2024-01-15T10:30:45Z crash", "at <time> crash"),
            ("at 2024-01-15 10:30:45.123+01:00 crash", "at <time> crash"),
            ("on 2024-01-15, again", "on <time>, again"),
            ("code -1", "code <n>"),
            ("range 1-5 (-2)", "range <n>-<n> (<n>)"),
            ("evt-123", "evt-<n>"),
            (r#"bad value "a \"q\" b" here"#, r#"bad value "<str>" here"#),
            // An error object's keys name its parts; its values vary.
            (
                r#"{"code":401,"detail":"auth","retry" : "later"}"#,
                r#"{"code":<n>,"detail":"<str>","retry" : "<str>"}"#,
            ),
            (r#"key "user": missing"#, r#"key "<str>": missing"#),
        ] {
            assert_eq!(template(msg), want, "{msg}");
        }
    }

    #[test]
    fn messages_differing_in_ids_share_a_template() {
        assert_eq!(
            template("manifest not found: evt-123"),
            template("manifest not found: evt-456")
        );
        assert!(matches!(
            template("session limit exceeded"),
            Cow::Borrowed(_)
        ));
    }
}
