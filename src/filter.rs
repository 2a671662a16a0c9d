//! Filters shared by every subcommand: a time window (`--since`, `--until`, `--now`) and
//! `--where` conditions on fields. Records a filter rejects are counted as filtered.

use crate::duration::{decimal_ms, parse_duration, LatencyUnit};
use crate::engine::RecordFilter;
use crate::fields::{unit_from_name, Extractor};
use crate::json_scan::{Kind, RawValue};
use crate::number::parse_f64;
use crate::record::Record;
use crate::timefmt::parse_time_text;
use anyhow::{anyhow, bail, Result};
use regex::Regex;

/// A comparison in a `--where` condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Match,
    Gt,
    Ge,
    Lt,
    Le,
}

/// The right-hand side of a condition.
#[derive(Clone, Debug)]
pub enum Operand {
    Text(String),
    Number(f64),
    /// A duration, in milliseconds.
    Duration(f64),
    Regex(Regex),
}

/// One `--where` condition: `field OP value`.
#[derive(Clone, Debug)]
pub struct Condition {
    pub field: String,
    pub op: Op,
    pub value: Operand,
    /// The source text, for messages.
    pub text: String,
}

/// `latency` and `time` in a condition mean the detected latency (ms) and time, whatever
/// field holds them.
const LATENCY_ALIAS: &str = "latency";
const TIME_ALIAS: &str = "time";

impl Condition {
    /// Parses `field=value`, `field!=value`, `field~regex`, `field>N`, `field>=N`, `field<N`,
    /// `field<=N`; numbers may be durations (`250ms`).
    pub fn parse(text: &str) -> Result<Condition> {
        let bad = || {
            anyhow!("invalid --where condition '{text}': expected FIELD=VALUE, FIELD!=VALUE, FIELD~REGEX, or FIELD>N, >=, <, <= (N a number or a duration such as 250ms)")
        };
        let pos = text.find(['=', '!', '~', '<', '>']).ok_or_else(bad)?;
        let field = text[..pos].trim();
        if field.is_empty() {
            return Err(bad());
        }
        let rest = &text[pos..];
        let (op, value) = if let Some(v) = rest.strip_prefix("!=") {
            (Op::Ne, v)
        } else if let Some(v) = rest.strip_prefix(">=") {
            (Op::Ge, v)
        } else if let Some(v) = rest.strip_prefix("<=") {
            (Op::Le, v)
        } else if let Some(v) = rest.strip_prefix('=') {
            (Op::Eq, v)
        } else if let Some(v) = rest.strip_prefix('~') {
            (Op::Match, v)
        } else if let Some(v) = rest.strip_prefix('>') {
            (Op::Gt, v)
        } else if let Some(v) = rest.strip_prefix('<') {
            (Op::Lt, v)
        } else {
            return Err(bad());
        };
        let value = match op {
            Op::Match => Operand::Regex(Regex::new(value).map_err(|e| {
                anyhow!(
                    "invalid regex in --where condition '{text}': {}",
                    one_line_regex_error(&e)
                )
            })?),
            Op::Eq | Op::Ne => Operand::Text(value.to_string()),
            _ => {
                let v = value.trim();
                if let Some(n) = parse_f64(v.as_bytes()) {
                    Operand::Number(n)
                } else if let Some(ms) = parse_duration(v) {
                    Operand::Duration(ms)
                } else {
                    bail!(
                        "invalid --where condition '{text}': '{v}' is not a number or a duration"
                    );
                }
            }
        };
        Ok(Condition {
            field: field.to_string(),
            op,
            value,
            text: text.to_string(),
        })
    }

    /// The field path the extractor must capture, if any (aliases are read from the record).
    fn captured_field(&self) -> Option<&str> {
        match self.field.as_str() {
            LATENCY_ALIAS | TIME_ALIAS => None,
            f => Some(f),
        }
    }

    fn holds(&self, value: Option<Value>) -> bool {
        let Some(value) = value else {
            // As in jq: a missing field is "not equal" to anything, and matches nothing else.
            return self.op == Op::Ne;
        };
        match (&self.value, self.op) {
            (Operand::Text(t), Op::Eq) => value.equals(t),
            (Operand::Text(t), Op::Ne) => !value.equals(t),
            (Operand::Regex(r), _) => r.is_match(&value.text()),
            (Operand::Number(n), op) => value.number().is_some_and(|v| compare(v, op, *n)),
            (Operand::Duration(ms), op) => value.millis().is_some_and(|v| compare(v, op, *ms)),
            (Operand::Text(_), _) => false,
        }
    }
}

/// The regex crate's errors span several lines (the pattern, a caret, the reason): keep the
/// reason, so every error stays one line.
pub fn one_line_regex_error(e: &regex::Error) -> String {
    let text = e.to_string();
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.trim().trim_start_matches("error: ").to_string())
        .unwrap_or(text)
}

fn compare(a: f64, op: Op, b: f64) -> bool {
    match op {
        Op::Gt => a > b,
        Op::Ge => a >= b,
        Op::Lt => a < b,
        Op::Le => a <= b,
        Op::Eq => a == b,
        Op::Ne => a != b,
        Op::Match => false,
    }
}

/// A field's value as a condition sees it.
enum Value<'a> {
    Raw {
        raw: RawValue<'a>,
        /// The unit a bare number is in (from the field's name), for duration comparisons.
        unit: LatencyUnit,
    },
    /// The detected latency in ms.
    Millis(f64),
    /// The detected time, ns since the epoch.
    Time(i64),
}

impl Value<'_> {
    fn text(&self) -> String {
        match self {
            Value::Raw { raw, .. } => raw.text().into_owned(),
            Value::Millis(ms) => ms.to_string(),
            Value::Time(ns) => crate::timefmt::format_rfc3339(*ns),
        }
    }

    fn number(&self) -> Option<f64> {
        match self {
            Value::Raw { raw, .. } => match raw.kind {
                Kind::Number => parse_f64(raw.raw),
                Kind::String => parse_f64(crate::timefmt::trim_ascii(&raw.unescaped_bytes())),
                _ => None,
            },
            Value::Millis(ms) => Some(*ms),
            Value::Time(ns) => Some(*ns as f64 / 1e9),
        }
    }

    fn millis(&self) -> Option<f64> {
        match self {
            // Scaled from the digits, as latencies are read: `latency_s` 4.095 is 4095 ms.
            Value::Raw { raw, unit } => match raw.kind {
                Kind::Number => decimal_ms(raw.raw, unit.ms_exponent()),
                Kind::String => {
                    let t = raw.text();
                    decimal_ms(t.trim().as_bytes(), unit.ms_exponent())
                        .or_else(|| parse_duration(&t))
                }
                _ => None,
            },
            Value::Millis(ms) => Some(*ms),
            Value::Time(_) => None,
        }
    }

    fn equals(&self, text: &str) -> bool {
        if let (Some(a), Some(b)) = (self.number(), parse_f64(text.trim().as_bytes())) {
            if !matches!(self, Value::Raw { raw, .. } if raw.kind == Kind::String) {
                return a == b;
            }
        }
        self.text() == text
    }
}

/// The time window and conditions of a run.
#[derive(Debug, Default)]
pub struct Filter {
    pub since_ns: Option<i64>,
    pub until_ns: Option<i64>,
    pub conditions: Vec<Condition>,
    /// The fields the conditions read, each once, in order: the extractor's extra fields.
    extra: Vec<String>,
    /// Index of each condition's captured field in `extra`.
    extra_index: Vec<Option<usize>>,
}

impl Filter {
    pub fn new(since_ns: Option<i64>, until_ns: Option<i64>, conditions: Vec<Condition>) -> Self {
        let mut extra: Vec<String> = Vec::new();
        let extra_index = conditions
            .iter()
            .map(|c| {
                let f = c.captured_field()?;
                Some(match extra.iter().position(|e| e == f) {
                    Some(i) => i,
                    None => {
                        extra.push(f.to_string());
                        extra.len() - 1
                    }
                })
            })
            .collect();
        Filter {
            since_ns,
            until_ns,
            conditions,
            extra,
            extra_index,
        }
    }

    /// The fields the extractor must capture for the conditions, in order.
    pub fn extra_fields(&self) -> &[String] {
        &self.extra
    }
}

impl RecordFilter for Filter {
    fn keep(&self, ex: &Extractor, rec: &Record) -> bool {
        if self.since_ns.is_some() || self.until_ns.is_some() {
            // A record without a time cannot be placed in a window.
            let Some(t) = rec.time_ns else {
                return false;
            };
            if self.since_ns.is_some_and(|s| t < s) || self.until_ns.is_some_and(|u| t >= u) {
                return false;
            }
        }
        self.conditions
            .iter()
            .zip(&self.extra_index)
            .all(|(c, idx)| {
                let value = match (c.field.as_str(), idx) {
                    (LATENCY_ALIAS, _) => rec.latency_ms.map(Value::Millis),
                    (TIME_ALIAS, _) => rec.time_ns.map(Value::Time),
                    (_, Some(i)) => ex.extra_value(rec, *i).map(|raw| Value::Raw {
                        raw,
                        unit: unit_from_name(&c.field).unwrap_or(LatencyUnit::Ms),
                    }),
                    (_, None) => None,
                };
                c.holds(value)
            })
    }

    fn keeps_all(&self) -> bool {
        self.since_ns.is_none() && self.until_ns.is_none() && self.conditions.is_empty()
    }
}

/// Reads a `--since`/`--until` value: a date-time or epoch, or a duration before `now_ns`.
pub fn parse_time_bound(text: &str, now_ns: i64, flag: &str) -> Result<i64> {
    if let Some((ns, _)) = parse_time_text(text.trim().as_bytes()) {
        return Ok(ns);
    }
    if let Some(ms) = parse_duration(text) {
        return Ok(now_ns - (ms * 1e6) as i64);
    }
    bail!("invalid {flag} '{text}': expected a time (2024-01-15T10:30:00Z, or unix seconds) or a duration before now (15m, 1h, 7d)")
}

/// "Now": `--now` when given (for reproducible scripts), else the clock.
pub fn resolve_now(now: Option<&str>) -> Result<i64> {
    match now {
        Some(t) => parse_time_text(t.trim().as_bytes())
            .map(|(ns, _)| ns)
            .ok_or_else(|| anyhow!("invalid --now '{t}': expected a time such as 2024-01-15T10:30:00Z or unix seconds")),
        None => Ok(chrono::Utc::now()
            .timestamp_nanos_opt()
            .unwrap_or(i64::MAX)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::FieldOverrides;

    fn keeps(conds: &[&str], line: &str) -> bool {
        let conditions = conds.iter().map(|c| Condition::parse(c).unwrap()).collect();
        let f = Filter::new(None, None, conditions);
        let ex = Extractor::with_extra(&FieldOverrides::default(), f.extra_fields());
        let mut caps = ex.new_captures();
        let rec = ex.extract(line.as_bytes(), &mut caps, true).unwrap();
        f.keep(&ex, &rec)
    }

    const LINE: &str = r#"{"ts": 100, "action": "recommend", "latency_ms": 300, "status": 503, "payload": {"source": "graph"}, "took": "1.5s"}"#;

    #[test]
    fn conditions() {
        assert!(keeps(&["action=recommend"], LINE));
        assert!(!keeps(&["action=explain"], LINE));
        assert!(keeps(&["action!=explain"], LINE));
        assert!(keeps(&["missing!=x"], LINE));
        assert!(!keeps(&["missing=x"], LINE));
        assert!(keeps(&["payload.source~^gr"], LINE));
        assert!(keeps(&["status>=500", "status<600"], LINE));
        assert!(keeps(&["status=503"], LINE));
        assert!(keeps(&["latency>250ms"], LINE));
        assert!(!keeps(&["latency>0.5s"], LINE));
        assert!(keeps(&["latency_ms>299"], LINE));
        assert!(keeps(&["latency_ms<1s"], LINE));
        assert!(keeps(&["took>=1500ms"], LINE));
        assert!(!keeps(&["action>5"], LINE));
    }

    #[test]
    fn malformed_conditions_are_errors() {
        for bad in ["action", "=x", "latency>fast", "a~("] {
            assert!(Condition::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn time_bounds() {
        let now = 1_700_000_000_000_000_000;
        assert_eq!(
            parse_time_bound("15m", now, "--since").unwrap(),
            now - 900_000_000_000
        );
        assert_eq!(
            parse_time_bound("2023-11-14T22:13:20Z", now, "--since").unwrap(),
            now
        );
        assert!(parse_time_bound("yesterday", now, "--since").is_err());
    }
}
