//! Line formats: JSON, logfmt, Python logging, access logs, syslog, a custom regex, and a
//! fallback for any other text log. Each text format finds `key → value` pairs in a line and
//! offers them to the same [`FieldSet`] the JSON scanner fills, so every subcommand reads every
//! format with the same field candidates and outcome rule.

pub mod access;
pub mod logfmt;
pub mod pattern;
pub mod python;
pub mod syslog;
pub mod text;
pub mod time;

use crate::json_scan::{Captures, FieldSet, Kind};

/// How the lines of one input are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum LineFormat {
    /// One JSON object per line.
    Json,
    /// `key=value` pairs (Go's slog text handler, logrus, Heroku).
    Logfmt,
    /// Python logging's `%(asctime)s - %(name)s - %(levelname)s - %(message)s`.
    Python,
    /// nginx/Apache combined or common log format, optionally with request times.
    Access,
    /// Syslog, RFC 3164 or RFC 5424.
    Syslog,
    /// `--pattern`: a regex with named captures.
    Pattern,
    /// Any other text: a leading timestamp and a level word where there are ones.
    Text,
}

impl LineFormat {
    pub fn name(self) -> &'static str {
        match self {
            LineFormat::Json => "json",
            LineFormat::Logfmt => "logfmt",
            LineFormat::Python => "python",
            LineFormat::Access => "access",
            LineFormat::Syslog => "syslog",
            LineFormat::Pattern => "pattern",
            LineFormat::Text => "text",
        }
    }

    /// Tests whether one line is in this format.
    fn matches(self, line: &[u8]) -> bool {
        let mut set = FieldSet::new();
        set.want("x", 0, 0);
        let mut caps = Captures::new(1);
        let mut out = Out {
            set: &set,
            caps: &mut caps,
            line,
        };
        match self {
            LineFormat::Json => line.first() == Some(&b'{'),
            LineFormat::Logfmt => logfmt::scan(&mut out).is_ok_and(|pairs| pairs >= 2),
            LineFormat::Python => python::scan(&mut out).is_ok(),
            LineFormat::Access => access::scan(&mut out).is_ok(),
            LineFormat::Syslog => syslog::scan(&mut out).is_ok(),
            LineFormat::Pattern | LineFormat::Text => true,
        }
    }
}

/// Detects the format of an input from its first non-blank lines: the first format (in a fixed
/// order, most specific first) that most of them match.
pub fn detect(head: &[u8]) -> LineFormat {
    let lines: Vec<&[u8]> = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .map(|l| l.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(l))
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .take(100)
        .collect();
    // A JSON object anywhere in the head makes it JSON Lines: lines around it that are not
    // objects are bad JSON lines to count, not a reason to read the file as text.
    if lines.is_empty()
        || lines
            .iter()
            .any(|l| l.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'{'))
    {
        return LineFormat::Json;
    }
    // The last line of a head may be cut short: judge on complete lines when there are several.
    let sample = if lines.len() > 1 && !head.ends_with(b"\n") {
        &lines[..lines.len() - 1]
    } else {
        &lines[..]
    };
    for f in [
        LineFormat::Json,
        LineFormat::Access,
        LineFormat::Python,
        LineFormat::Syslog,
        LineFormat::Logfmt,
    ] {
        let hits = sample.iter().filter(|l| f.matches(l)).count();
        if hits * 2 > sample.len() {
            return f;
        }
    }
    LineFormat::Text
}

/// Where a text format puts what it finds: the wanted fields of the run.
pub struct Out<'s, 'l> {
    pub set: &'s FieldSet,
    pub caps: &'s mut Captures,
    pub line: &'l [u8],
}

impl Out<'_, '_> {
    /// Offers the value at `start..end` of the line under `key`.
    #[inline]
    pub fn field(&mut self, key: &[u8], kind: Kind, start: usize, end: usize) {
        self.set.offer(self.caps, key, kind, start, end, false);
    }

    /// Offers a quoted value that may hold escapes.
    #[inline]
    pub fn field_escaped(&mut self, key: &[u8], start: usize, end: usize, escaped: bool) {
        self.set
            .offer(self.caps, key, Kind::String, start, end, escaped);
    }

    /// Offers a value that is not in the line (a level named by a syslog priority).
    #[inline]
    pub fn field_static(&mut self, key: &[u8], kind: Kind, value: &'static [u8]) {
        self.set.offer_static(self.caps, key, kind, value);
    }

    /// Offers a bare word, typed as a number or boolean when it looks like one.
    #[inline]
    pub fn bare(&mut self, key: &[u8], start: usize, end: usize) {
        let kind = bare_kind(&self.line[start..end]);
        self.field(key, kind, start, end);
    }
}

/// The JSON kind of an unquoted word: a JSON number, `true`, `false`, or else a string.
pub fn bare_kind(word: &[u8]) -> Kind {
    match word {
        b"true" => Kind::True,
        b"false" => Kind::False,
        _ if is_json_number(word) => Kind::Number,
        _ => Kind::String,
    }
}

fn is_json_number(w: &[u8]) -> bool {
    let w = w.strip_prefix(b"-").unwrap_or(w);
    let int = w.iter().take_while(|c| c.is_ascii_digit()).count();
    if int == 0 || (int > 1 && w[0] == b'0') {
        return false;
    }
    let mut i = int;
    if w.get(i) == Some(&b'.') {
        let f = w[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if f == 0 {
            return false;
        }
        i += 1 + f;
    }
    if matches!(w.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(w.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let e = w[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if e == 0 {
            return false;
        }
        i += e;
    }
    i == w.len()
}

/// A line that does not fit its input's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoMatch;

/// Level words recognised in text logs, as they are written.
pub const LEVEL_WORDS: &[&str] = &[
    "TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "WARNING", "ERROR", "ERR", "SEVERE", "FATAL",
    "CRITICAL", "CRIT", "ALERT", "EMERG", "PANIC", "trace", "debug", "info", "notice", "warn",
    "warning", "error", "err", "fatal", "critical", "crit", "alert", "emerg", "panic", "Trace",
    "Debug", "Info", "Notice", "Warn", "Warning", "Error", "Fatal", "Critical",
];

pub fn is_level_word(w: &[u8]) -> bool {
    LEVEL_WORDS.iter().any(|l| l.as_bytes() == w)
}

/// For tests: runs `scan` on `line` wanting `keys`, and returns each key's value as text.
#[cfg(test)]
pub(crate) fn read_keys(
    line: &str,
    keys: &[&str],
    scan: impl FnOnce(&mut Out) -> Result<(), NoMatch>,
) -> Result<Vec<Option<String>>, NoMatch> {
    let mut set = FieldSet::new();
    for (i, k) in keys.iter().enumerate() {
        set.want(k, i as u8, 0);
    }
    let mut caps = Captures::new(keys.len());
    let mut out = Out {
        set: &set,
        caps: &mut caps,
        line: line.as_bytes(),
    };
    scan(&mut out)?;
    Ok((0..keys.len())
        .map(|i| {
            caps.get(i as u8, line.as_bytes())
                .map(|(_, v)| v.text().into_owned())
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_format() {
        let cases: [(&str, LineFormat); 7] = [
            (
                "{\"ts\": 1, \"a\": 2}\n{\"ts\": 2}\n",
                LineFormat::Json,
            ),
            (
                "time=2024-01-01T12:00:00.123Z level=INFO msg=\"Request completed\" tool=analyze duration_ms=12 status=success\n",
                LineFormat::Logfmt,
            ),
            (
                "2024-03-15 08:30:00,123 - event_agent - ERROR - Failed to load manifest\n",
                LineFormat::Python,
            ),
            (
                "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326 \"http://x/\" \"Mozilla/4.08\" 0.123\n",
                LineFormat::Access,
            ),
            (
                "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8\n",
                LineFormat::Syslog,
            ),
            (
                "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\"] An application event\n",
                LineFormat::Syslog,
            ),
            (
                "2024-01-15 10:30:45,123 [myid:1] - INFO  [main:QuorumPeer@123] - Starting quorum peer\n",
                LineFormat::Text,
            ),
        ];
        for (head, want) in cases {
            assert_eq!(detect(head.as_bytes()), want, "{head}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
        /// No line, however odd, can make a reader panic: random text, and real lines of each
        /// format cut short or with a byte changed.
        #[test]
        fn readers_never_panic(
            random in "[ -~\\t\\[\\]<>\"=:,./0-9A-Za-zµ-]{0,120}",
            template in 0usize..6,
            cut in 0usize..200,
            at in 0usize..200,
            byte in proptest::sample::select(&b" \"[]<>=:-.,\\0Z"[..]),
        ) {
            const LINES: [&str; 6] = [
                "time=2024-01-01T12:00:00.123Z level=INFO msg=\"a \\\"b\\\"\" duration_ms=12 ok",
                "2024-03-15 08:30:00,123 - event_agent - ERROR - Failed - to load",
                "10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET /a?b=1 HTTP/1.1\" 503 12 \"-\" \"ua\" 0.250 0.2",
                "<34>Oct 11 22:14:15 mymachine su[42]: 'su root' failed",
                "<165>1 2003-10-11T22:14:15.003Z host app - ID47 [x@1 a=\"]\"] msg",
                "[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] denied",
            ];
            let mut mutated = LINES[template].as_bytes().to_vec();
            mutated.truncate(cut.min(mutated.len()));
            if !mutated.is_empty() {
                let i = at % mutated.len();
                mutated[i] = byte;
            }
            let mutated = String::from_utf8_lossy(&mutated).into_owned();
            for line in [random, mutated] {
            use crate::fields::{Extractor, FieldOverrides, LineReader};
            let ex = Extractor::new(&FieldOverrides::default());
            let pattern = std::sync::Arc::new(
                pattern::Pattern::new(r"(?P<time>\S+) (?P<level>\w+) (?P<msg>.*)").unwrap(),
            );
            for f in [
                LineFormat::Json,
                LineFormat::Logfmt,
                LineFormat::Python,
                LineFormat::Access,
                LineFormat::Syslog,
                LineFormat::Pattern,
                LineFormat::Text,
            ] {
                    let reader = LineReader::new(f, Some(&pattern));
                    let mut caps = ex.new_captures();
                    let _ = ex.extract_as(&reader, line.as_bytes(), &mut caps, true);
                }
                let _ = detect(line.as_bytes());
            }
        }
    }

    #[test]
    fn bare_kinds() {
        assert_eq!(bare_kind(b"12"), Kind::Number);
        assert_eq!(bare_kind(b"-1.5e3"), Kind::Number);
        assert_eq!(bare_kind(b"012"), Kind::String);
        assert_eq!(bare_kind(b"1.5s"), Kind::String);
        assert_eq!(bare_kind(b"true"), Kind::True);
    }
}
