//! A record: what one input line says once its fields are found and read.

use crate::json_scan::{Captures, Kind, RawValue};
use crate::outcome::Outcome;
use crate::timefmt::TimeFormat;

/// Why a non-blank line was not turned into a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipReason {
    InvalidJson,
    NotObject,
    InvalidUtf8,
    BadTime,
    BadLatency,
    BadSuccess,
    NoMatch,
}

impl SkipReason {
    pub const ALL: [SkipReason; 7] = [
        SkipReason::InvalidJson,
        SkipReason::NotObject,
        SkipReason::InvalidUtf8,
        SkipReason::BadTime,
        SkipReason::BadLatency,
        SkipReason::BadSuccess,
        SkipReason::NoMatch,
    ];
    pub const COUNT: usize = Self::ALL.len();

    pub fn name(self) -> &'static str {
        match self {
            SkipReason::InvalidJson => "invalid_json",
            SkipReason::NotObject => "not_object",
            SkipReason::InvalidUtf8 => "invalid_utf8",
            SkipReason::BadTime => "bad_time",
            SkipReason::BadLatency => "bad_latency",
            SkipReason::BadSuccess => "bad_success",
            SkipReason::NoMatch => "no_match",
        }
    }

    /// One sentence for error messages.
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::InvalidJson => "the line is not valid JSON",
            SkipReason::NotObject => "the line is JSON but not an object",
            SkipReason::InvalidUtf8 => "the line is not valid UTF-8",
            SkipReason::BadTime => "the time field does not hold a time",
            SkipReason::BadLatency => {
                "the latency field does not hold a non-negative number or duration"
            }
            SkipReason::BadSuccess => "the success field does not hold a boolean",
            SkipReason::NoMatch => "the line does not fit its file's format",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// The roles a field can play; their order is the order of their capture slots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Time = 0,
    Latency,
    Success,
    Status,
    Error,
    Level,
    Message,
    Group,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Time,
        Role::Latency,
        Role::Success,
        Role::Status,
        Role::Error,
        Role::Level,
        Role::Message,
        Role::Group,
    ];
    pub const COUNT: usize = Self::ALL.len();

    pub fn name(self) -> &'static str {
        match self {
            Role::Time => "time",
            Role::Latency => "latency",
            Role::Success => "success",
            Role::Status => "status",
            Role::Error => "error",
            Role::Level => "level",
            Role::Message => "message",
            Role::Group => "group",
        }
    }
}

/// One parsed record, borrowing its line. The values only some records need (status, error,
/// level, message) are read from the captures when asked for, so that building a record costs
/// little more than reading its time and latency.
#[derive(Debug)]
pub struct Record<'a> {
    pub line: &'a [u8],
    pub caps: &'a Captures,
    pub time_ns: Option<i64>,
    pub time_format: Option<TimeFormat>,
    pub latency_ms: Option<f64>,
    /// The latency in whole nanoseconds, [`crate::stats::to_ns`] of `latency_ms` (0 without one).
    pub latency_ns: u64,
    pub outcome: Outcome,
    /// For each role, the rank of the candidate that supplied it (for reporting what was detected).
    pub ranks: Ranks,
}

/// A rank per role, `None` for a role no field supplied. Packed a byte a role into one word, so
/// that the engine's check "named like the record before" is one compare, and so that building
/// it stays in a register (bytes stored one by one and read back as a word stall the CPU).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ranks(u64);

const _: () = assert!(Role::COUNT <= 8);

impl Ranks {
    const NONE: u8 = crate::json_scan::NO_RANK;

    pub fn none() -> Self {
        Ranks(u64::MAX)
    }

    /// The ranks of roles `0..Role::COUNT` as `rank` gives them ([`crate::json_scan::NO_RANK`]
    /// for none).
    #[inline(always)]
    pub fn from_fn(rank: impl Fn(usize) -> u8) -> Self {
        let mut r = Self::none();
        for role in 0..Role::COUNT {
            r.put(role, rank(role));
        }
        r
    }

    #[inline(always)]
    fn put(&mut self, role: usize, rank: u8) {
        let shift = 8 * role as u32;
        self.0 = self.0 & !(0xff << shift) | (rank as u64) << shift;
    }

    pub fn get(&self, role: usize) -> Option<u8> {
        (role < Role::COUNT)
            .then(|| (self.0 >> (8 * role)) as u8)
            .filter(|&r| r != Self::NONE)
    }

    /// Sets a role's rank. Rank 255 would read as `None`; no candidate list is that long.
    pub fn set(&mut self, role: Role, rank: Option<u8>) {
        self.put(role as usize, rank.unwrap_or(Self::NONE));
    }
}

/// An error value that says there was an error: not empty (`""`, `false`, `null`, `{}`, `[]`,
/// `0`).
#[inline]
pub fn meaningful_error(v: Option<RawValue<'_>>) -> Option<RawValue<'_>> {
    v.filter(|v| !v.is_empty_like())
}

impl<'a> Record<'a> {
    fn value(&self, role: Role) -> Option<RawValue<'a>> {
        self.caps.get(role as u8, self.line).map(|(_, v)| v)
    }

    pub fn status(&self) -> Option<RawValue<'a>> {
        self.value(Role::Status)
    }

    /// The error, unless it is empty (`""`, `false`, `null`, `{}`, `[]`, `0`).
    pub fn error(&self) -> Option<RawValue<'a>> {
        meaningful_error(self.value(Role::Error))
    }

    pub fn level(&self) -> Option<RawValue<'a>> {
        self.value(Role::Level)
    }

    /// The message, unless it is empty (`msg=""`, a syslog line without one).
    pub fn message(&self) -> Option<RawValue<'a>> {
        self.value(Role::Message).filter(|m| !m.raw.is_empty())
    }

    pub fn is_outcome(&self) -> bool {
        self.outcome != Outcome::Event
    }

    /// Where the message that describes this record's failure comes from: its error, else its
    /// message, else its status.
    pub fn failure_source(&self) -> MessageSource<'a> {
        if let Some(e) = self.error() {
            MessageSource::Error(e)
        } else if let Some(m) = self.message() {
            MessageSource::Message(m)
        } else if let Some(s) = self.status() {
            MessageSource::Status(s)
        } else {
            MessageSource::Missing
        }
    }

    /// The message that describes this record's failure (see [`Record::failure_source`]).
    pub fn failure_message(&self) -> String {
        self.failure_source().text().into_owned()
    }
}

/// Where a message comes from: a value in the record, or nothing.
#[derive(Clone, Copy, Debug)]
pub enum MessageSource<'a> {
    Error(RawValue<'a>),
    Message(RawValue<'a>),
    Status(RawValue<'a>),
    Missing,
}

impl<'a> MessageSource<'a> {
    /// The message text, borrowed from the line when it can be. An object or array is written
    /// compactly (see [`compact_json`]).
    pub fn text(&self) -> std::borrow::Cow<'a, str> {
        match self {
            MessageSource::Error(v) | MessageSource::Message(v)
                if matches!(v.kind, Kind::Object | Kind::Array) =>
            {
                match compact_json(v.raw) {
                    std::borrow::Cow::Borrowed(_) => v.text(),
                    std::borrow::Cow::Owned(b) => String::from_utf8_lossy(&b).into_owned().into(),
                }
            }
            MessageSource::Error(v) | MessageSource::Message(v) => v.text(),
            MessageSource::Status(v) => format!("status {}", v.text()).into(),
            MessageSource::Missing => "(no message)".into(),
        }
    }

    /// Appends bytes that determine [`MessageSource::text`]: equal bytes, equal messages.
    pub fn write_key(&self, out: &mut Vec<u8>) {
        let (tag, v) = match self {
            MessageSource::Error(v) => (b'e', v),
            MessageSource::Message(v) => (b'm', v),
            MessageSource::Status(v) => (b's', v),
            MessageSource::Missing => {
                out.push(b'-');
                return;
            }
        };
        out.extend_from_slice(&[tag, v.kind as u8, v.escaped as u8]);
        match v.kind {
            Kind::Object | Kind::Array => out.extend_from_slice(&compact_json(v.raw)),
            _ => out.extend_from_slice(v.raw),
        }
    }
}

/// A JSON object or array (valid JSON text) without the whitespace between its tokens, so that
/// the same error written `{"code": 1}`, `{"code":1}` or `{ "code" : 1 }` is one message;
/// borrowed when there is none.
pub fn compact_json(raw: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let is_ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
    let mut out: Option<Vec<u8>> = None;
    let (mut in_string, mut escaped) = (false, false);
    for (k, &c) in raw.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == b'\\' {
                escaped = true;
            } else if c == b'"' {
                in_string = false;
            }
        } else if c == b'"' {
            in_string = true;
        } else if is_ws(c) {
            out.get_or_insert_with(|| raw[..k].to_vec());
            continue;
        }
        if let Some(o) = &mut out {
            o.push(c);
        }
    }
    match out {
        Some(o) => std::borrow::Cow::Owned(o),
        None => std::borrow::Cow::Borrowed(raw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_lose_the_spaces_between_tokens_only() {
        for text in [r#"{"code":1}"#, r#"{"code": 1}"#, "{ \"code\" :\t1 }"] {
            assert_eq!(&*compact_json(text.as_bytes()), br#"{"code":1}"#, "{text}");
        }
        let kept = r#"{"msg":"a  b \" c"}"#;
        assert!(matches!(
            compact_json(kept.as_bytes()),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(
            &*compact_json(br#"[ "x \\", { "y" : [ 1 , 2 ] } ]"#),
            br#"["x \\",{"y":[1,2]}]"#
        );
    }

    #[test]
    fn ranks_keep_a_byte_per_role() {
        assert!(Role::ALL
            .iter()
            .all(|&r| Ranks::none().get(r as usize).is_none()));
        let mut ranks = Ranks::from_fn(|role| [3, 255, 0, 7, 255, 1, 2, 9][role]);
        // Each role's rank as `get` reads it, 255 for none.
        let got = |r: &Ranks| Role::ALL.map(|role| r.get(role as usize).unwrap_or(255));
        assert_eq!(got(&ranks), [3, 255, 0, 7, 255, 1, 2, 9]);
        ranks.set(Role::Latency, Some(4));
        ranks.set(Role::Time, None);
        assert_eq!(got(&ranks), [255, 4, 0, 7, 255, 1, 2, 9]);
        assert_eq!(ranks.get(Role::COUNT), None);
        assert_ne!(ranks, Ranks::none());
    }
}
