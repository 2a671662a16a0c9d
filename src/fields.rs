//! Which fields play which role: the documented candidate lists, the user's overrides, and the
//! extractor that turns a line into a [`Record`].

use crate::duration::{parse_latency_text, LatencyUnit};
use crate::formats::{pattern::Pattern, LineFormat, NoMatch, Out};
use crate::json_scan::{scan_object_in, Captures, FieldSet, Kind, RawValue, ScanError};
use crate::number::{decimal_f64, short_decimal, POW10_U64_WIDE};
use crate::outcome::{classify, OutcomeSignals};
use crate::record::{meaningful_error, Ranks, Record, Role, SkipReason};
use crate::stats::to_ns;
use crate::timefmt::{epoch_seconds_window, parse_epoch, parse_time_text, TimeFormat};

pub const TIME_CANDIDATES: &[&str] = &[
    "ts",
    "timestamp",
    "time",
    "@timestamp",
    "datetime",
    "asctime",
    "date",
    "created_at",
];

/// Latency candidates with the unit of a bare number in each.
pub const LATENCY_CANDIDATES: &[(&str, LatencyUnit)] = &[
    ("latency_ms", LatencyUnit::Ms),
    ("duration_ms", LatencyUnit::Ms),
    ("elapsed_ms", LatencyUnit::Ms),
    ("response_time_ms", LatencyUnit::Ms),
    ("took_ms", LatencyUnit::Ms),
    ("time_ms", LatencyUnit::Ms),
    ("request_time_ms", LatencyUnit::Ms),
    ("latencyMs", LatencyUnit::Ms),
    ("durationMs", LatencyUnit::Ms),
    ("elapsedMs", LatencyUnit::Ms),
    ("responseTimeMs", LatencyUnit::Ms),
    ("latency_s", LatencyUnit::S),
    ("duration_s", LatencyUnit::S),
    ("elapsed_s", LatencyUnit::S),
    ("response_time_s", LatencyUnit::S),
    ("latency_seconds", LatencyUnit::S),
    ("duration_seconds", LatencyUnit::S),
    ("elapsed_seconds", LatencyUnit::S),
    ("request_time", LatencyUnit::S),
    ("latency_us", LatencyUnit::Us),
    ("duration_us", LatencyUnit::Us),
    ("elapsed_us", LatencyUnit::Us),
    ("latency_ns", LatencyUnit::Ns),
    ("duration_ns", LatencyUnit::Ns),
    ("elapsed_ns", LatencyUnit::Ns),
    ("latency", LatencyUnit::Ms),
    ("duration", LatencyUnit::Ms),
    ("elapsed", LatencyUnit::Ms),
    ("response_time", LatencyUnit::Ms),
    ("took", LatencyUnit::Ms),
];

pub const GROUP_CANDIDATES: &[&str] = &[
    "action",
    "command_type",
    "tool",
    "operation",
    "op",
    "command",
    "endpoint",
    "route",
    "task",
];
pub const SUCCESS_CANDIDATES: &[&str] = &["success", "ok", "succeeded", "successful"];
pub const STATUS_CANDIDATES: &[&str] = &[
    "status",
    "outcome",
    "result",
    "status_code",
    "http_status",
    "statusCode",
];
pub const ERROR_CANDIDATES: &[&str] = &[
    "error",
    "err",
    "error_message",
    "errorMessage",
    "error_msg",
    "exception",
];
pub const LEVEL_CANDIDATES: &[&str] = &["level", "severity", "lvl", "log_level", "levelname"];
pub const MESSAGE_CANDIDATES: &[&str] = &["msg", "message"];

/// The group a record falls in when it has none of the group fields.
pub const NO_GROUP: &str = "(none)";

/// The user's choices of fields; `None` means "use the candidates".
#[derive(Clone, Debug, Default)]
pub struct FieldOverrides {
    pub time: Option<String>,
    pub latency: Option<String>,
    pub latency_unit: Option<LatencyUnit>,
    pub by: Option<Vec<String>>,
    pub success: Option<String>,
    pub status: Option<String>,
    pub error: Option<String>,
    pub level: Option<String>,
    pub message: Option<String>,
    /// A strftime layout for times no built-in layout reads (`--time-format`).
    pub time_format: Option<String>,
}

/// Turns lines into records, looking only for the fields that were asked for.
#[derive(Debug)]
pub struct Extractor {
    set: FieldSet,
    /// Candidate names by rank, per role (the group role lists its candidates or the `--by` fields).
    names: Vec<Vec<String>>,
    latency_units: Vec<LatencyUnit>,
    latency_unit_override: Option<LatencyUnit>,
    /// `--by` fields, each in its own slot; empty when the group comes from the candidates.
    by: Vec<String>,
    time_format: Option<String>,
    /// "Now", for layouts without a year (syslog).
    now_ns: i64,
}

const GROUP_SLOT: u8 = Role::Group as u8;

impl Extractor {
    pub fn new(o: &FieldOverrides) -> Self {
        Self::with_extra(o, &[])
    }

    /// An extractor that also captures `extra` fields (for `--where` filters).
    pub fn with_extra(o: &FieldOverrides, extra: &[String]) -> Self {
        let mut set = FieldSet::new();
        let mut names: Vec<Vec<String>> = vec![Vec::new(); Role::COUNT];
        let mut add = |set: &mut FieldSet, role: Role, over: &Option<String>, cands: &[&str]| {
            let list: Vec<String> = match over {
                Some(f) => vec![f.clone()],
                None => cands.iter().map(|s| s.to_string()).collect(),
            };
            for (rank, name) in list.iter().enumerate() {
                set.want(name, role as u8, rank as u8);
            }
            names[role as usize] = list;
        };
        add(&mut set, Role::Time, &o.time, TIME_CANDIDATES);
        let latency_names: Vec<&str> = LATENCY_CANDIDATES.iter().map(|(n, _)| *n).collect();
        add(&mut set, Role::Latency, &o.latency, &latency_names);
        add(&mut set, Role::Success, &o.success, SUCCESS_CANDIDATES);
        add(&mut set, Role::Status, &o.status, STATUS_CANDIDATES);
        add(&mut set, Role::Error, &o.error, ERROR_CANDIDATES);
        add(&mut set, Role::Level, &o.level, LEVEL_CANDIDATES);
        add(&mut set, Role::Message, &o.message, MESSAGE_CANDIDATES);
        let latency_units = match &o.latency {
            Some(name) => vec![o
                .latency_unit
                .or_else(|| unit_from_name(name))
                .unwrap_or(LatencyUnit::Ms)],
            None => LATENCY_CANDIDATES.iter().map(|(_, u)| *u).collect(),
        };
        let by = o.by.clone().unwrap_or_default();
        if by.is_empty() {
            add(&mut set, Role::Group, &None, GROUP_CANDIDATES);
        } else {
            for (i, name) in by.iter().enumerate() {
                set.want(name, GROUP_SLOT + i as u8, 0);
            }
            names[Role::Group as usize] = vec![by.join(",")];
        }
        let first_extra = GROUP_SLOT + by.len().max(1) as u8;
        for (i, name) in extra.iter().enumerate() {
            set.want(name, first_extra + i as u8, 0);
        }
        Extractor {
            set,
            names,
            latency_units,
            latency_unit_override: o.latency_unit,
            by,
            time_format: o.time_format.clone(),
            now_ns: chrono::Utc::now().timestamp_nanos_opt().unwrap_or(i64::MAX),
        }
    }

    /// Sets "now" (`--now`), for time layouts without a year.
    pub fn set_now(&mut self, now_ns: i64) {
        self.now_ns = now_ns;
    }

    pub fn new_captures(&self) -> Captures {
        Captures::new(self.set.slots())
    }

    /// The name of the candidate of `role` at `rank`.
    pub fn field_name(&self, role: Role, rank: u8) -> Option<&str> {
        self.names[role as usize]
            .get(rank as usize)
            .map(String::as_str)
    }

    /// The unit a bare latency number of candidate `rank` is in.
    pub fn latency_unit(&self, rank: u8) -> LatencyUnit {
        self.latency_unit_override
            .or_else(|| self.latency_units.get(rank as usize).copied())
            .unwrap_or(LatencyUnit::Ms)
    }

    /// How the group key is named in reports: the `--by` fields, or `None` for auto-detection.
    pub fn explicit_group(&self) -> Option<String> {
        (!self.by.is_empty()).then(|| self.by.join(","))
    }

    /// Reads one non-blank JSON line (already checked to be UTF-8) into a record.
    pub fn extract<'a>(
        &self,
        line: &'a [u8],
        caps: &'a mut Captures,
        careful: bool,
    ) -> Result<Record<'a>, SkipReason> {
        self.extract_as(&LineReader::Json, line, caps, careful)
    }

    /// Reads one non-blank line (already checked to be UTF-8) in `reader`'s format.
    #[inline]
    pub fn extract_as<'a>(
        &self,
        reader: &LineReader,
        line: &'a [u8],
        caps: &'a mut Captures,
        careful: bool,
    ) -> Result<Record<'a>, SkipReason> {
        self.extract_in(reader, line, line.len(), caps, careful)
    }

    /// [`Extractor::extract_as`] on the line `text[..len]`, where `text` goes on with what
    /// follows the line in memory: JSON templates read a little past the line's end in place of
    /// copying it (see [`scan_object_in`]).
    pub fn extract_in<'a>(
        &self,
        reader: &LineReader,
        text: &'a [u8],
        len: usize,
        caps: &'a mut Captures,
        careful: bool,
    ) -> Result<Record<'a>, SkipReason> {
        let line = text.get(..len).unwrap_or(text);
        caps.clear();
        if let LineReader::Json = reader {
            scan_object_in(text, len, &self.set, caps, careful).map_err(|e| match e {
                ScanError::InvalidJson => SkipReason::InvalidJson,
                ScanError::NotObject => SkipReason::NotObject,
            })?;
        } else {
            let mut out = Out {
                set: &self.set,
                caps,
                line,
            };
            reader
                .scan_text(&mut out, self.time_format.as_deref())
                .map_err(|_| SkipReason::NoMatch)?;
        }
        self.record(caps, line)
    }

    /// The line that starts `text` (the rest of a buffer) if a template reads it, without
    /// looking for its end first: its length, with its values in `caps`, to be made into a
    /// record by [`Extractor::record`]. `None` when no template fits, and the line is to be
    /// found and read with [`Extractor::extract_in`] (JSON lines only).
    #[inline]
    pub fn extract_open(
        &self,
        reader: &LineReader,
        text: &[u8],
        caps: &mut Captures,
    ) -> Option<usize> {
        match reader {
            LineReader::Json => {
                caps.clear();
                crate::json_scan::scan_object_open(text, &self.set, caps)
            }
            _ => None,
        }
    }

    /// The record of `line`, whose values are in `caps`.
    #[inline(always)]
    pub fn record<'a>(&self, caps: &'a Captures, line: &'a [u8]) -> Result<Record<'a>, SkipReason> {
        // Slot `r` is role `r`'s, and an empty slot's rank reads as "none".
        let mut ranks = Ranks::from_fn(|role| caps.rank(role as u8));
        if !self.by.is_empty() {
            ranks.set(
                Role::Group,
                (0..self.by.len())
                    .any(|i| caps.get(GROUP_SLOT + i as u8, line).is_some())
                    .then_some(0),
            );
        }
        let get = |role: Role| caps.get(role as u8, line);
        let (time_ns, time_format) = match get(Role::Time) {
            None => (None, None),
            Some((_, v)) => {
                let window = caps.window(Role::Time as u8, line);
                let (ns, fmt) = self.read_time(&v, window).ok_or(SkipReason::BadTime)?;
                (Some(ns), Some(fmt))
            }
        };
        let (latency_ms, latency_ns) = match get(Role::Latency) {
            None => (None, 0),
            Some((rank, v)) => {
                let window = caps.window(Role::Latency as u8, line);
                let (ms, ns) = read_latency(&v, self.latency_unit(rank), window)
                    .ok_or(SkipReason::BadLatency)?;
                (Some(ms), ns)
            }
        };
        let success = match get(Role::Success) {
            None => None,
            Some((_, v)) => Some(read_bool(&v).ok_or(SkipReason::BadSuccess)?),
        };
        let value = |role: Role| get(role).map(|(_, v)| v);
        let outcome = classify(&OutcomeSignals {
            has_latency: latency_ms.is_some(),
            success,
            status: value(Role::Status),
            error: meaningful_error(value(Role::Error)),
            level: value(Role::Level),
        });
        // Built in one go, so that it is written where it is returned, not copied there.
        Ok(Record {
            line,
            caps,
            time_ns,
            time_format,
            latency_ms,
            latency_ns,
            outcome,
            ranks,
        })
    }

    /// The record's group key as [`Extractor::group_key`] writes it, borrowed from the line when
    /// it is one unescaped value (the common case), else built in `buf`.
    #[inline]
    pub fn group_key_bytes<'r>(&self, rec: &'r Record, buf: &'r mut Vec<u8>) -> &'r [u8] {
        if self.by.is_empty() {
            if let Some((_, v)) = rec.caps.get(GROUP_SLOT, rec.line) {
                if !v.escaped {
                    return v.raw;
                }
            }
        }
        self.group_key(rec, buf);
        buf
    }

    /// Writes the record's group key into `out` as UTF-8 bytes: the group value, or the `--by`
    /// values joined by a space; [`NO_GROUP`] for a missing value.
    pub fn group_key(&self, rec: &Record, out: &mut Vec<u8>) {
        out.clear();
        let parts = self.by.len().max(1);
        // A record with none of the group fields is in the one "(none)" group.
        if (0..parts).all(|i| rec.caps.get(GROUP_SLOT + i as u8, rec.line).is_none()) {
            out.extend_from_slice(NO_GROUP.as_bytes());
            return;
        }
        for i in 0..parts {
            if i > 0 {
                out.push(b' ');
            }
            match rec.caps.get(GROUP_SLOT + i as u8, rec.line) {
                // The line is valid UTF-8 and quotes are ASCII, so the raw bytes are too.
                Some((_, v)) if !v.escaped => out.extend_from_slice(v.raw),
                Some((_, v)) => out.extend_from_slice(v.text().as_bytes()),
                None => out.extend_from_slice(NO_GROUP.as_bytes()),
            }
        }
    }

    /// Reads a time value: an epoch number, RFC 3339, a text-log layout, or `--time-format`.
    /// `window` is the value's bytes and what follows them in the line, when there are 24: the
    /// usual epoch is read from it as words.
    #[inline(always)]
    fn read_time(&self, v: &RawValue, window: Option<&[u8; 24]>) -> Option<(i64, TimeFormat)> {
        let usual = match v.kind {
            Kind::Number => window.and_then(|w| epoch_seconds_window(w, v.raw.len())),
            _ => None,
        };
        match usual {
            Some(ns) => Some((ns, TimeFormat::UnixS)),
            None => self.read_time_in_full(v),
        }
    }

    /// [`Extractor::read_time`] for every other value (out of line: the hot path is above).
    #[inline(never)]
    fn read_time_in_full(&self, v: &RawValue) -> Option<(i64, TimeFormat)> {
        let text = match v.kind {
            Kind::Number => return parse_epoch(v.raw),
            Kind::String => v.unescaped_bytes(),
            _ => return None,
        };
        let text = &text[..];
        if let Some(layout) = &self.time_format {
            if let Some(ns) = std::str::from_utf8(text)
                .ok()
                .and_then(|t| crate::formats::time::parse_with_format(t.trim(), layout))
            {
                return Some((ns, TimeFormat::Layout));
            }
        }
        parse_time_text(text).or_else(|| {
            crate::formats::time::parse_text_log_time(text, self.now_ns)
                .map(|ns| (ns, TimeFormat::Layout))
        })
    }

    /// The value of extra field `i` (see [`Extractor::with_extra`]).
    pub fn extra_value<'a>(&self, rec: &Record<'a>, i: usize) -> Option<RawValue<'a>> {
        let slot = GROUP_SLOT as usize + self.by.len().max(1) + i;
        rec.caps.get(slot as u8, rec.line).map(|(_, v)| v)
    }
}

/// How one input's lines are read.
#[derive(Debug, Clone)]
pub enum LineReader {
    Json,
    Logfmt,
    Python,
    Access,
    Syslog,
    Text,
    Pattern(std::sync::Arc<Pattern>),
}

impl LineReader {
    pub fn new(format: LineFormat, pattern: Option<&std::sync::Arc<Pattern>>) -> LineReader {
        match (format, pattern) {
            (LineFormat::Json, _) => LineReader::Json,
            (LineFormat::Logfmt, _) => LineReader::Logfmt,
            (LineFormat::Python, _) => LineReader::Python,
            (LineFormat::Access, _) => LineReader::Access,
            (LineFormat::Syslog, _) => LineReader::Syslog,
            (LineFormat::Pattern, Some(p)) => LineReader::Pattern(p.clone()),
            (LineFormat::Text | LineFormat::Pattern, _) => LineReader::Text,
        }
    }

    pub fn format(&self) -> LineFormat {
        match self {
            LineReader::Json => LineFormat::Json,
            LineReader::Logfmt => LineFormat::Logfmt,
            LineReader::Python => LineFormat::Python,
            LineReader::Access => LineFormat::Access,
            LineReader::Syslog => LineFormat::Syslog,
            LineReader::Text => LineFormat::Text,
            LineReader::Pattern(_) => LineFormat::Pattern,
        }
    }

    fn scan_text(&self, out: &mut Out, time_layout: Option<&str>) -> Result<(), NoMatch> {
        use crate::formats::{access, logfmt, python, syslog, text};
        match self {
            LineReader::Json => Err(NoMatch),
            LineReader::Logfmt => logfmt::scan(out).map(|_| ()),
            LineReader::Python => python::scan(out),
            LineReader::Access => access::scan(out),
            LineReader::Syslog => syslog::scan(out),
            LineReader::Text => {
                text::scan(out, time_layout);
                Ok(())
            }
            LineReader::Pattern(p) => p.scan(out),
        }
    }
}

/// The unit implied by a field name's suffix (`_ms`, `_s`, `_seconds`, `_us`, `_ns`).
pub fn unit_from_name(name: &str) -> Option<LatencyUnit> {
    let lower = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
    if lower.ends_with("ms") || lower.ends_with("millis") {
        Some(LatencyUnit::Ms)
    } else if lower.ends_with("_us") || lower.ends_with("micros") {
        Some(LatencyUnit::Us)
    } else if lower.ends_with("_ns") || lower.ends_with("nanos") {
        Some(LatencyUnit::Ns)
    } else if lower.ends_with("_s") || lower.ends_with("_seconds") || lower.ends_with("_sec") {
        Some(LatencyUnit::S)
    } else {
        None
    }
}

/// Reads a latency in `unit` as milliseconds and as whole nanoseconds (`to_ns` of them).
/// `window` is the value's bytes and what follows them in the line, when there are 8: a short
/// number is read from it as one word.
#[inline(always)]
fn read_latency(v: &RawValue, unit: LatencyUnit, window: Option<&[u8; 8]>) -> Option<(f64, u64)> {
    let short = match v.kind {
        Kind::Number => window.and_then(|w| short_decimal(w, v.raw.len())),
        _ => None,
    };
    if let Some((digits, frac_len)) = short {
        // The digits scaled to milliseconds with one correctly rounded division (or exactly),
        // as `decimal_ms` computes it for the other values: `4.095` s is 4095 ms. Up to the
        // unit's nanoseconds in decimals, the nanoseconds are an exact integer, equal to
        // `to_ns(ms)`; short numbers have under 10^8 digits, so the products fit.
        let to_divide = frac_len as i32 - unit.ms_exponent();
        let ms = match usize::try_from(to_divide) {
            Ok(k) => decimal_f64(digits, k),
            Err(_) => (digits * POW10_U64_WIDE[to_divide.unsigned_abs() as usize]) as f64,
        };
        let exact = usize::try_from(unit.ms_exponent() + 6 - frac_len as i32)
            .ok()
            .and_then(|k| POW10_U64_WIDE.get(k))
            .map(|p| digits * p);
        return Some((ms, exact.unwrap_or_else(|| to_ns(ms))));
    }
    let ms = read_latency_in_full(v, unit)?;
    Some((ms, to_ns(ms)))
}

/// [`read_latency`] for every other value, in milliseconds (out of line: the hot path is above).
#[inline(never)]
fn read_latency_in_full(v: &RawValue, unit: LatencyUnit) -> Option<f64> {
    match v.kind {
        // A JSON number is already validated: no trimming, no duration syntax to try.
        // `-0` is 0: it must sort and print as 0.
        Kind::Number => crate::duration::decimal_ms(v.raw, unit.ms_exponent())
            .filter(|ms| *ms >= 0.0)
            .map(|ms| ms + 0.0),
        Kind::String => parse_latency_text(&v.unescaped_bytes(), unit),
        _ => None,
    }
}

/// A success flag. The kind is matched first: unescaping on every line, as a match on
/// `(kind, text)` did, cost 2.7% of a run for the strings hardly any line has.
#[inline]
fn read_bool(v: &RawValue) -> Option<bool> {
    match (v.kind, v.raw) {
        (Kind::True, _) => Some(true),
        (Kind::False, _) => Some(false),
        (Kind::Number, b"1") => Some(true),
        (Kind::Number, b"0") => Some(false),
        (Kind::String, _) => read_bool_text(&v.unescaped_bytes()),
        _ => None,
    }
}

fn read_bool_text(t: &[u8]) -> Option<bool> {
    if t.eq_ignore_ascii_case(b"true") {
        Some(true)
    } else if t.eq_ignore_ascii_case(b"false") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::Outcome;

    fn extract(
        o: &FieldOverrides,
        line: &str,
    ) -> Result<(Outcome, Option<f64>, String), SkipReason> {
        let ex = Extractor::new(o);
        let mut caps = ex.new_captures();
        let rec = ex.extract(line.as_bytes(), &mut caps, true)?;
        let mut key = Vec::new();
        ex.group_key(&rec, &mut key);
        Ok((rec.outcome, rec.latency_ms, String::from_utf8(key).unwrap()))
    }

    /// Escaped letters in a success flag, status or level are read as the letters.
    #[test]
    fn escaped_outcome_words() {
        let o = FieldOverrides::default();
        for (line, want) in [
            (
                r#"{"success": "\u0074rue", "latency_ms": 1}"#,
                Outcome::Success,
            ),
            (
                r#"{"success": "F\u0041LSE", "latency_ms": 1}"#,
                Outcome::Failure,
            ),
            (
                r#"{"status": "ERR\u004FR", "latency_ms": 1}"#,
                Outcome::Failure,
            ),
            (
                r#"{"status": 200, "level": "\u0065rror", "latency_ms": 1}"#,
                Outcome::Failure,
            ),
            (
                r#"{"status": "\u006fk", "level": "info", "latency_ms": 1}"#,
                Outcome::Success,
            ),
        ] {
            assert_eq!(extract(&o, line).map(|(out, _, _)| out), Ok(want), "{line}");
        }
    }

    #[test]
    fn event_kit_line() {
        let got = extract(
            &FieldOverrides::default(),
            r#"{"ts": 1732540000.123, "action": "recommend", "success": true, "latency_ms": 12.5, "payload": {"top": 5}, "error": null}"#,
        );
        assert_eq!(got, Ok((Outcome::Success, Some(12.5), "recommend".into())));
    }

    #[test]
    fn units_from_candidates_and_override() {
        let o = FieldOverrides::default();
        assert_eq!(
            extract(&o, r#"{"request_time": 0.25}"#).unwrap().1,
            Some(250.0)
        );
        assert_eq!(
            extract(&o, r#"{"duration": "1.5s"}"#).unwrap().1,
            Some(1500.0)
        );
        assert_eq!(
            extract(&o, r#"{"duration_ns": 2000000}"#).unwrap().1,
            Some(2.0)
        );
        let o = FieldOverrides {
            latency: Some("t".into()),
            latency_unit: Some(LatencyUnit::S),
            ..Default::default()
        };
        assert_eq!(extract(&o, r#"{"t": 2}"#).unwrap().1, Some(2000.0));
        let o = FieldOverrides {
            latency: Some("took_us".into()),
            ..Default::default()
        };
        assert_eq!(extract(&o, r#"{"took_us": 2000}"#).unwrap().1, Some(2.0));
    }

    #[test]
    fn skip_reasons() {
        let o = FieldOverrides::default();
        assert_eq!(
            extract(&o, r#"{"ts": "yesterday"}"#),
            Err(SkipReason::BadTime)
        );
        assert_eq!(
            extract(&o, r#"{"latency_ms": -1}"#),
            Err(SkipReason::BadLatency)
        );
        assert_eq!(
            extract(&o, r#"{"latency_ms": "fast"}"#),
            Err(SkipReason::BadLatency)
        );
        assert_eq!(
            extract(&o, r#"{"latency_ms": true}"#),
            Err(SkipReason::BadLatency)
        );
        assert_eq!(
            extract(&o, r#"{"success": "maybe"}"#),
            Err(SkipReason::BadSuccess)
        );
        assert_eq!(extract(&o, r#"[1]"#), Err(SkipReason::NotObject));
        assert_eq!(extract(&o, r#"{"ts": 1"#), Err(SkipReason::InvalidJson));
    }

    #[test]
    fn nested_and_multi_group() {
        let o = FieldOverrides {
            by: Some(vec!["method".into(), "path".into()]),
            ..Default::default()
        };
        let got = extract(&o, r#"{"method": "GET", "path": "/v1/x", "status": 503}"#).unwrap();
        assert_eq!(got, (Outcome::Failure, None, "GET /v1/x".into()));
        let o = FieldOverrides {
            by: Some(vec!["fields.model".into()]),
            ..Default::default()
        };
        let got = extract(&o, r#"{"duration_ms": 3, "fields": {"model": "claude"}}"#).unwrap();
        assert_eq!(got.2, "claude");
        let got = extract(&o, r#"{"duration_ms": 3}"#).unwrap();
        assert_eq!(got.2, NO_GROUP);
        let o = FieldOverrides {
            by: Some(vec!["method".into(), "path".into()]),
            ..Default::default()
        };
        assert_eq!(extract(&o, r#"{"latency_ms": 1}"#).unwrap().2, NO_GROUP);
        assert_eq!(
            extract(&o, r#"{"latency_ms": 1, "path": "/x"}"#).unwrap().2,
            "(none) /x"
        );
    }

    #[test]
    fn trails_events_and_outcomes() {
        let o = FieldOverrides::default();
        let ev = extract(
            &o,
            r#"{"level": "info", "msg": "Processing command", "command_type": "CreateSession"}"#,
        )
        .unwrap();
        assert_eq!(ev.0, Outcome::Event);
        assert_eq!(ev.2, "CreateSession");
        let fail = extract(&o, r#"{"level": "error", "msg": "Command processing failed", "error": "session limit exceeded"}"#).unwrap();
        assert_eq!(fail.0, Outcome::Failure);
        let empty_error = extract(&o, r#"{"level": "error", "msg": "x", "error": ""}"#).unwrap();
        assert_eq!(empty_error.0, Outcome::Event);
    }

    #[test]
    fn name_suffix_units() {
        assert_eq!(unit_from_name("took_ms"), Some(LatencyUnit::Ms));
        assert_eq!(unit_from_name("upstream.time_s"), Some(LatencyUnit::S));
        assert_eq!(unit_from_name("wait_ns"), Some(LatencyUnit::Ns));
        assert_eq!(unit_from_name("latency"), None);
    }
}
