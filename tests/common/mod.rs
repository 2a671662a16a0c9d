//! The independent reference shared by the integration tests (`summarize_reference`,
//! `errors_slow`, `check`), and the helpers that run the binary.
//!
//! The reference reads every line with plain `serde_json::Value` handling, following the README
//! alone: the candidate field lists, the value formats ("Values understood") and the outcome rule.
//! It shares no code with `src/`. What each subcommand makes of the records (figures, error rows,
//! slow lines, rule verdicts) stays in its own test file.
//!
//! The reference panics with "ambiguous" on inputs whose meaning the README leaves open; the
//! fixtures and generators of the tests never produce such inputs.
//!
//! Each test binary compiles this module on its own and uses part of it.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

// ================================================================================================
// The README's tables
// ================================================================================================

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

/// The unit of a latency field's bare numbers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Unit {
    Ms,
    S,
    Us,
    Ns,
    /// unit-less field: a bare number is milliseconds
    Bare,
}

impl Unit {
    pub fn label(self) -> &'static str {
        match self {
            Unit::Ms | Unit::Bare => "ms",
            Unit::S => "s",
            Unit::Us => "us",
            Unit::Ns => "ns",
        }
    }
    /// Milliseconds in one of this unit.
    pub fn ms(self) -> f64 {
        match self {
            Unit::Ms | Unit::Bare => 1.0,
            Unit::S => 1e3,
            Unit::Us => 1e-3,
            Unit::Ns => 1e-6,
        }
    }
    pub fn to_ms(self, v: f64) -> f64 {
        v * self.ms()
    }
}

pub const LATENCY_CANDIDATES: &[(&str, Unit)] = &[
    ("latency_ms", Unit::Ms),
    ("duration_ms", Unit::Ms),
    ("elapsed_ms", Unit::Ms),
    ("response_time_ms", Unit::Ms),
    ("took_ms", Unit::Ms),
    ("time_ms", Unit::Ms),
    ("request_time_ms", Unit::Ms),
    ("latencyMs", Unit::Ms),
    ("durationMs", Unit::Ms),
    ("elapsedMs", Unit::Ms),
    ("responseTimeMs", Unit::Ms),
    ("latency_s", Unit::S),
    ("duration_s", Unit::S),
    ("elapsed_s", Unit::S),
    ("response_time_s", Unit::S),
    ("latency_seconds", Unit::S),
    ("duration_seconds", Unit::S),
    ("elapsed_seconds", Unit::S),
    ("request_time", Unit::S),
    ("latency_us", Unit::Us),
    ("duration_us", Unit::Us),
    ("elapsed_us", Unit::Us),
    ("latency_ns", Unit::Ns),
    ("duration_ns", Unit::Ns),
    ("elapsed_ns", Unit::Ns),
    ("latency", Unit::Bare),
    ("duration", Unit::Bare),
    ("elapsed", Unit::Bare),
    ("response_time", Unit::Bare),
    ("took", Unit::Bare),
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

pub const FAILURE_WORDS: &[&str] = &[
    "error",
    "errored",
    "err",
    "fail",
    "failed",
    "failure",
    "failing",
    "timeout",
    "timed_out",
    "timedout",
    "fatal",
    "crash",
    "crashed",
    "abort",
    "aborted",
    "exception",
    "panic",
    "rejected",
    "denied",
    "unhealthy",
    "ko",
    "killed",
];
pub const ERROR_LEVELS: &[&str] = &[
    "error",
    "err",
    "fatal",
    "critical",
    "crit",
    "panic",
    "dpanic",
    "alert",
    "emerg",
    "emergency",
    "severe",
];

pub const SKIP_REASONS: &[&str] = &[
    "invalid_json",
    "not_object",
    "invalid_utf8",
    "bad_time",
    "bad_latency",
    "bad_success",
];

// ================================================================================================
// Values (README "Values understood")
// ================================================================================================

pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = (if y >= 0 { y } else { y - 399 }) / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// RFC 3339 / ISO 8601: `T` or space, optional `.frac` or `,frac`, `Z`, `±hh:mm`, `±hhmm` or
/// nothing (UTC). Returns unix seconds.
pub fn parse_datetime(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    if b.len() < 19 {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<i64> {
        let part = b.get(from..to)?;
        if part.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(part).ok()?.parse().ok()
        } else {
            None
        }
    };
    let year = num(0, 4)?;
    let month = num(5, 7)?;
    let day = num(8, 10)?;
    let hour = num(11, 13)?;
    let minute = num(14, 16)?;
    let second = num(17, 19)?;
    if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let month_days = [
        31,
        28 + i64::from(is_leap(year)),
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&month) || day < 1 || day > month_days[(month - 1) as usize] {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut i = 19;
    let mut frac = 0.0;
    if i < b.len() && (b[i] == b'.' || b[i] == b',') {
        let start = i + 1;
        i = start;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
        frac = format!("0.{}", &s[start..i]).parse().ok()?;
    }
    let offset = if i == b.len() || (matches!(b[i], b'Z' | b'z') && i + 1 == b.len()) {
        0
    } else if b[i] == b'+' || b[i] == b'-' {
        let sign = if b[i] == b'+' { 1 } else { -1 };
        let rest = &b[i + 1..];
        let (hh, mm) = match rest.len() {
            5 if rest[2] == b':' => (num(i + 1, i + 3)?, num(i + 4, i + 6)?),
            4 => (num(i + 1, i + 3)?, num(i + 3, i + 5)?),
            _ => return None,
        };
        if hh > 23 || mm > 59 {
            return None;
        }
        sign * (hh * 3600 + mm * 60)
    } else {
        return None;
    };
    let days = days_from_civil(year, month, day);
    Some((days * 86_400 + hour * 3600 + minute * 60 + second - offset) as f64 + frac)
}

/// Unix seconds of an RFC 3339 time, by the reference's parser.
pub fn t(s: &str) -> f64 {
    parse_datetime(s).unwrap()
}

pub fn unix_by_magnitude(v: f64) -> (f64, &'static str) {
    assert!(v >= 0.0, "ambiguous: negative unix time {v}");
    if v < 1e11 {
        (v, "unix_s")
    } else if v < 1e14 {
        (v / 1e3, "unix_ms")
    } else if v < 1e17 {
        (v / 1e6, "unix_us")
    } else {
        (v / 1e9, "unix_ns")
    }
}

fn is_plain_decimal(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().any(|c| c.is_ascii_digit())
        && s.bytes().all(|c| c.is_ascii_digit() || c == b'.')
        && s.bytes().filter(|&c| c == b'.').count() <= 1
}

/// `Ok((unix seconds, format))`, or `Err(())` for "not a time" (`bad_time`).
pub fn parse_time_and_format(v: &Value) -> Result<(f64, &'static str), ()> {
    match v {
        Value::Number(n) => Ok(unix_by_magnitude(n.as_f64().ok_or(())?)),
        Value::String(s) => {
            if is_plain_decimal(s) {
                Ok(unix_by_magnitude(s.parse().map_err(|_| ())?))
            } else {
                parse_datetime(s).map(|t| (t, "rfc3339")).ok_or(())
            }
        }
        _ => Err(()),
    }
}

/// Unix seconds, or `Err(())` for "not a time" (`bad_time`).
pub fn parse_time(v: &Value) -> Result<f64, ()> {
    parse_time_and_format(v).map(|(t, _)| t)
}

/// Go duration string (`"1.5s"`, `"125ms"`, `"850µs"`, `"1m2.5s"`, `"1h"`), in milliseconds.
/// `d` (days) is accepted too, for `--since 7d`.
pub fn parse_go_duration(s: &str) -> Option<f64> {
    if s == "0" {
        return Some(0.0);
    }
    let mut rest = s;
    let mut total = 0.0;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let n_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if n_end == 0 {
            return None;
        }
        let n: f64 = rest[..n_end].parse().ok()?;
        rest = &rest[n_end..];
        let u_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        total += match &rest[..u_end] {
            "ns" => n / 1e6,
            "us" | "\u{b5}s" | "\u{3bc}s" => n / 1e3,
            "ms" => n,
            "s" => n * 1e3,
            "m" => n * 60e3,
            "h" => n * 3600e3,
            "d" => n * 86_400e3,
            _ => return None,
        };
        rest = &rest[u_end..];
    }
    Some(total)
}

/// Latency in milliseconds, or `Err(())` for `bad_latency`.
pub fn parse_latency(v: &Value, unit: Unit) -> Result<f64, ()> {
    let ms = match v {
        Value::Number(n) => unit.to_ms(n.as_f64().ok_or(())?),
        Value::String(s) => match s.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => unit.to_ms(x),
            Ok(_) => return Err(()),
            Err(_) => parse_go_duration(s).ok_or(())?,
        },
        _ => return Err(()),
    };
    if ms < 0.0 || !ms.is_finite() {
        return Err(());
    }
    Ok(ms)
}

/// Success flag, or `Err(())` for `bad_success`.
pub fn parse_success(v: &Value) -> Result<bool, ()> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s == "true" => Ok(true),
        Value::String(s) if s == "false" => Ok(false),
        Value::Number(n) if n.as_u64() == Some(1) => Ok(true),
        Value::Number(n) if n.as_u64() == Some(0) => Ok(false),
        _ => Err(()),
    }
}

pub fn status_is_failure(v: &Value) -> bool {
    match v {
        Value::String(s) => {
            FAILURE_WORDS.contains(&s.to_ascii_lowercase().as_str())
                || s.trim().parse::<f64>().is_ok_and(|n| n >= 500.0)
        }
        Value::Number(n) => n.as_f64().is_some_and(|n| n >= 500.0),
        _ => false,
    }
}

pub fn error_is_set(v: &Value) -> bool {
    match v {
        Value::String(s) => !s.is_empty(),
        Value::Object(m) => !m.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Bool(b) => *b,
        Value::Null => false,
        Value::Number(n) => n.as_f64() != Some(0.0),
    }
}

pub fn level_is_error(v: &Value) -> bool {
    match v {
        Value::String(s) => ERROR_LEVELS.contains(&s.to_ascii_lowercase().as_str()),
        Value::Number(n) => n.as_f64().is_some_and(|n| n >= 50.0),
        _ => false,
    }
}

pub fn text_of(v: &Value, what: &str) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => panic!("ambiguous: {what} is {v}"),
    }
}

/// A dotted path (`fields.model`) into nested objects; `null` counts as absent.
pub fn lookup<'a>(obj: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut cur = obj.get(parts.next()?)?;
    for part in parts {
        cur = cur.as_object()?.get(part)?;
    }
    (!cur.is_null()).then_some(cur)
}

/// The first candidate present, with its name.
pub fn first_present<'a>(
    obj: &'a Map<String, Value>,
    candidates: &[&'static str],
) -> Option<(&'static str, &'a Value)> {
    candidates
        .iter()
        .find_map(|&c| lookup(obj, c).map(|v| (c, v)))
}

// ================================================================================================
// Lines, fields, outcomes
// ================================================================================================

/// The lines of one input as tlm reads them: without a leading UTF-8 BOM, split on `\n`, each
/// without its `\r`; a final newline does not open another line.
pub fn lines_of(bytes: &[u8]) -> Vec<&[u8]> {
    let data = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(bytes);
    let mut lines: Vec<&[u8]> = data.split(|&c| c == b'\n').collect();
    if data.is_empty() || data.ends_with(b"\n") {
        lines.pop();
    }
    lines
        .into_iter()
        .map(|raw| raw.strip_suffix(b"\r").unwrap_or(raw))
        .collect()
}

/// One line (without its line ending) read as JSON Lines.
pub enum Parsed {
    Blank,
    /// With the README's skip reason.
    Skipped(&'static str),
    Object(Map<String, Value>),
}

pub fn parse_line(line: &[u8]) -> Parsed {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Parsed::Blank;
    }
    let Ok(text) = std::str::from_utf8(line) else {
        return Parsed::Skipped("invalid_utf8");
    };
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return Parsed::Skipped("invalid_json");
    };
    let Value::Object(obj) = value else {
        return Parsed::Skipped("not_object");
    };
    Parsed::Object(obj)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Event,
    Success,
    Failure,
}

/// What the candidate fields give one object: for each role, the first candidate present (its
/// name, and its value parsed for time, latency and success).
pub struct Fields<'a> {
    /// (field, unix seconds, format)
    pub time: Option<(&'static str, f64, &'static str)>,
    /// (field, unit, milliseconds)
    pub latency: Option<(&'static str, Unit, f64)>,
    pub success: Option<(&'static str, bool)>,
    /// Objects and arrays in a status field are payloads, not outcomes: left out here.
    pub status: Option<(&'static str, &'a Value)>,
    pub error: Option<(&'static str, &'a Value)>,
    pub level: Option<(&'static str, &'a Value)>,
    pub message: Option<(&'static str, &'a Value)>,
}

impl<'a> Fields<'a> {
    /// `Err(reason)` (`bad_time`, `bad_latency`, `bad_success`) for a record tlm skips.
    pub fn read(obj: &'a Map<String, Value>) -> Result<Fields<'a>, &'static str> {
        let time = match first_present(obj, TIME_CANDIDATES) {
            Some((field, v)) => {
                let (t, format) = parse_time_and_format(v).map_err(|()| "bad_time")?;
                Some((field, t, format))
            }
            None => None,
        };
        let latency = match LATENCY_CANDIDATES
            .iter()
            .find_map(|&(c, unit)| lookup(obj, c).map(|v| (c, unit, v)))
        {
            Some((field, unit, v)) => {
                let ms = parse_latency(v, unit).map_err(|()| "bad_latency")?;
                Some((field, unit, ms))
            }
            None => None,
        };
        let success = match first_present(obj, SUCCESS_CANDIDATES) {
            Some((field, v)) => Some((field, parse_success(v).map_err(|()| "bad_success")?)),
            None => None,
        };
        Ok(Fields {
            time,
            latency,
            success,
            status: first_present(obj, STATUS_CANDIDATES)
                .filter(|(_, v)| !v.is_object() && !v.is_array()),
            error: first_present(obj, ERROR_CANDIDATES),
            level: first_present(obj, LEVEL_CANDIDATES),
            message: first_present(obj, MESSAGE_CANDIDATES),
        })
    }

    pub fn error_set(&self) -> bool {
        self.error.is_some_and(|(_, v)| error_is_set(v))
    }

    pub fn level_error(&self) -> bool {
        self.level.is_some_and(|(_, v)| level_is_error(v))
    }

    /// The outcome rule: a record with a latency, a success flag, a status or a set error is an
    /// outcome; it failed by its success flag if it has one, else by its status, a set error or
    /// an error level.
    pub fn outcome(&self) -> Outcome {
        let error_set = self.error_set();
        let is_outcome =
            self.latency.is_some() || self.success.is_some() || self.status.is_some() || error_set;
        if !is_outcome {
            return Outcome::Event;
        }
        let failed = match self.success {
            Some((_, flag)) => !flag,
            None => {
                self.status.is_some_and(|(_, v)| status_is_failure(v))
                    || error_set
                    || self.level_error()
            }
        };
        if failed {
            Outcome::Failure
        } else {
            Outcome::Success
        }
    }

    /// The message a failure is reported under: its error, else its message, else `status X`.
    pub fn failure_message(&self) -> String {
        if self.error_set() {
            text_of(self.error.unwrap().1, "error message")
        } else if let Some((_, m)) = self.message {
            text_of(m, "message")
        } else if let Some((_, s)) = self.status {
            format!("status {}", text_of(s, "status"))
        } else {
            panic!("ambiguous: failure without error, message or status")
        }
    }
}

/// The group key (`--by` fields, values joined by a space, else the first group candidate, else
/// `(none)`) and the field it came from.
pub fn group_key(obj: &Map<String, Value>, by: Option<&str>) -> (String, Option<String>) {
    match by {
        Some(spec) => {
            let parts: Vec<Option<&Value>> = spec.split(',').map(|p| lookup(obj, p)).collect();
            if parts.iter().all(Option::is_none) {
                ("(none)".to_string(), None)
            } else {
                let texts: Vec<String> = parts
                    .iter()
                    .map(|p| text_of(p.expect("ambiguous: partial composite key"), "group"))
                    .collect();
                (texts.join(" "), Some(spec.to_string()))
            }
        }
        None => match first_present(obj, GROUP_CANDIDATES) {
            Some((field, v)) => (text_of(v, "group"), Some(field.to_string())),
            None => ("(none)".to_string(), None),
        },
    }
}

// ================================================================================================
// Figures and tolerances
// ================================================================================================

/// The README's mean: each latency (ms) to the nanosecond, the mean of those rounded to the
/// nearest nanosecond, halves up; in floating point when a latency is past u64 nanoseconds.
pub fn readme_mean(values: &[f64]) -> f64 {
    if values.iter().any(|v| v * 1e6 >= u64::MAX as f64) {
        return values.iter().sum::<f64>() / values.len() as f64;
    }
    let sum: u128 = values.iter().map(|v| (v * 1e6).round() as u128).sum();
    let n = values.len() as u128;
    (sum / n + u128::from(sum % n * 2 >= n)) as f64 / 1e6
}

/// Nearest-rank percentile of sorted values, the quantile in per-mille, so that ⌈q·N⌉ is
/// computed with integers: (k·N).div_ceil(1000).
pub fn nearest_rank(sorted: &[f64], per_mille: u64) -> f64 {
    let n = sorted.len() as u64;
    let rank = (per_mille * n).div_ceil(1000).max(1);
    sorted[(rank - 1) as usize]
}

/// Percentiles: 0.1% relative (tlm reads them from an HdrHistogram)...
pub const PCT_REL: f64 = 0.001;
/// ... + 1 µs, the histogram resolution.
pub const PCT_ABS: f64 = 0.001;
/// Figures computed exactly (counts aside): rates, latency min/mean/max.
pub const EXACT_REL: f64 = 1e-9;
/// Figures over timestamps such as `1732540000.123`, which are not exact in binary.
pub const TIME_REL: f64 = 1e-6;

pub fn close(got: f64, exp: f64, rel: f64, abs: f64) -> bool {
    (got - exp).abs() <= exp.abs() * rel + abs
}

// ================================================================================================
// Comparing tlm's JSON with the reference
// ================================================================================================

/// Mismatches collected while comparing a document, reported together by `finish`.
pub struct Report {
    pub context: String,
    pub problems: Vec<String>,
}

impl Report {
    pub fn new(context: impl Into<String>) -> Report {
        Report {
            context: context.into(),
            problems: Vec::new(),
        }
    }
    pub fn fail(&mut self, msg: String) {
        self.problems.push(msg);
    }
    pub fn u64_at(&mut self, doc: &Value, ptr: &str, exp: u64) {
        match doc.pointer(ptr) {
            Some(v) if v.as_u64() == Some(exp) => {}
            got => self.fail(format!("{ptr}: expected {exp}, got {}", show(got))),
        }
    }
    /// A number within `exp·rel + abs` of `exp`, or null when `exp` is None.
    pub fn f64_at(&mut self, doc: &Value, ptr: &str, exp: Option<f64>, rel: f64, abs: f64) {
        let got = doc.pointer(ptr);
        match (exp, got.and_then(Value::as_f64)) {
            (None, _) if got.is_some_and(Value::is_null) => {}
            (Some(e), Some(g)) if close(g, e, rel, abs) => {}
            (e, _) => self.fail(format!(
                "{ptr}: expected {}, got {}",
                e.map_or("null".to_string(), |e| e.to_string()),
                show(got)
            )),
        }
    }
    /// One of the `allowed` strings, or null (or missing) when none is allowed.
    pub fn str_at(&mut self, doc: &Value, ptr: &str, allowed: &BTreeSet<String>) {
        let got = doc.pointer(ptr);
        let ok = match got {
            Some(Value::String(s)) => allowed.contains(s),
            Some(Value::Null) | None => allowed.is_empty(),
            _ => false,
        };
        if !ok {
            let exp = if allowed.is_empty() {
                "null".to_string()
            } else {
                format!("{allowed:?}")
            };
            self.fail(format!("{ptr}: expected {exp}, got {}", show(got)));
        }
    }
    /// An RFC 3339 time within 1 ms of unix second `exp` (or null when `exp` is None).
    pub fn time_at(&mut self, doc: &Value, ptr: &str, exp: Option<f64>) {
        let got = doc.pointer(ptr);
        let ok = match (exp, got) {
            (None, None | Some(Value::Null)) => true,
            (Some(e), Some(Value::String(s))) => {
                parse_datetime(s).is_some_and(|g| (g - e).abs() <= 0.001_001)
            }
            _ => false,
        };
        if !ok {
            self.fail(format!(
                "{ptr}: expected a time at unix {exp:?}, got {}",
                show(got)
            ));
        }
    }
    pub fn finish(self) {
        if !self.problems.is_empty() {
            panic!(
                "{}: {} mismatch(es) with the reference:\n  - {}",
                self.context,
                self.problems.len(),
                self.problems.join("\n  - ")
            );
        }
    }
}

pub fn show(v: Option<&Value>) -> String {
    v.map_or("<missing>".to_string(), Value::to_string)
}

// ================================================================================================
// Running tlm
// ================================================================================================

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tlm` run from the repository, without colour, `TLM_NOW` or `COLUMNS` from the environment,
/// killed after 60 s.
pub fn tlm() -> Command {
    let mut cmd = Command::cargo_bin("tlm").expect("the tlm binary is built");
    cmd.current_dir(repo())
        .env("NO_COLOR", "1")
        .env_remove("TLM_NOW")
        .env_remove("COLUMNS")
        .timeout(Duration::from_secs(60));
    cmd
}

pub struct Run {
    pub code: Option<i32>,
    /// stdout as text (invalid UTF-8 replaced)
    pub stdout: String,
    /// stdout, byte for byte
    pub stdout_bytes: Vec<u8>,
    pub stderr: String,
}

/// Runs a command built by [`tlm`] to the end.
pub fn output(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("tlm runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stdout_bytes: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn run<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    output(tlm().args(args))
}

/// `fixtures/NAME`: its path relative to the repository, and its bytes.
pub fn fixture(name: &str) -> (String, Vec<u8>) {
    let rel = format!("fixtures/{name}");
    let bytes = std::fs::read(repo().join(&rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    (rel, bytes)
}

/// Deterministic generator (64-bit LCG), so a failure reproduces.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }
    pub fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }
    pub fn chars(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| alphabet[self.below(alphabet.len() as u32) as usize] as char)
            .collect()
    }
}

/// Runs the built tlm as `tlm ARGS | head -n LINES` would: reads `lines` lines of its stdout
/// (with 0, closes the pipe at once), closes the pipe and waits. Returns the lines read, the
/// exit code and stderr.
pub fn run_until_the_pipe_closes<S: AsRef<std::ffi::OsStr>>(
    args: &[S],
    lines: usize,
) -> (Vec<String>, Option<i32>, String) {
    use std::io::BufRead;
    use std::process::Stdio;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tlm"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut read = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        let mut reader = std::io::BufReader::new(stdout);
        for _ in 0..lines {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            read.push(line);
        }
    }
    let out = child.wait_with_output().unwrap();
    (
        read,
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
