//! `check`'s rules (`p95 < 500ms`, `error_rate <= 1%`), the accumulator that gathers what they
//! need (overall, per group, per time bucket, or over the last N outcomes), and their
//! evaluation into OK / BREACH results.

use crate::duration::{format_ms, parse_duration, trim_float};
use crate::engine::{Accumulate, LineAt, RunStats};
use crate::fields::Extractor;
use crate::groups::GroupMap;
use crate::outcome::Outcome;
use crate::record::Record;
use crate::stats::GroupStats;
use anyhow::{anyhow, bail, Result};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

/// A figure a rule can test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Count,
    Events,
    Successes,
    Failures,
    SuccessRate,
    ErrorRate,
    Throughput,
    Min,
    Mean,
    P50,
    P90,
    P95,
    P99,
    P999,
    Max,
    Records,
    Skipped,
    SkippedRatio,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Number,
    Rate,
    Latency,
    PerSecond,
}

impl Metric {
    fn parse(name: &str) -> Option<Metric> {
        Some(match name.to_ascii_lowercase().as_str() {
            "count" | "outcomes" | "requests" => Metric::Count,
            "events" => Metric::Events,
            "successes" => Metric::Successes,
            "failures" | "errors" => Metric::Failures,
            "success_rate" => Metric::SuccessRate,
            "error_rate" => Metric::ErrorRate,
            "throughput" | "throughput_per_second" | "rps" | "req/s" => Metric::Throughput,
            "min" => Metric::Min,
            "mean" | "avg" => Metric::Mean,
            "p50" | "median" => Metric::P50,
            "p90" => Metric::P90,
            "p95" => Metric::P95,
            "p99" => Metric::P99,
            "p999" | "p99.9" => Metric::P999,
            "max" | "latency" => Metric::Max,
            "records" => Metric::Records,
            "skipped" => Metric::Skipped,
            "skipped_ratio" => Metric::SkippedRatio,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Metric::Count => "count",
            Metric::Events => "events",
            Metric::Successes => "successes",
            Metric::Failures => "failures",
            Metric::SuccessRate => "success_rate",
            Metric::ErrorRate => "error_rate",
            Metric::Throughput => "throughput",
            Metric::Min => "min",
            Metric::Mean => "mean",
            Metric::P50 => "p50",
            Metric::P90 => "p90",
            Metric::P95 => "p95",
            Metric::P99 => "p99",
            Metric::P999 => "p999",
            Metric::Max => "max",
            Metric::Records => "records",
            Metric::Skipped => "skipped",
            Metric::SkippedRatio => "skipped_ratio",
        }
    }

    fn kind(self) -> Kind {
        match self {
            Metric::SuccessRate | Metric::ErrorRate | Metric::SkippedRatio => Kind::Rate,
            Metric::Min
            | Metric::Mean
            | Metric::P50
            | Metric::P90
            | Metric::P95
            | Metric::P99
            | Metric::P999
            | Metric::Max => Kind::Latency,
            Metric::Throughput => Kind::PerSecond,
            _ => Kind::Number,
        }
    }

    /// Figures about the input as a whole, not about one group.
    pub fn is_data_quality(self) -> bool {
        matches!(
            self,
            Metric::Records | Metric::Skipped | Metric::SkippedRatio
        )
    }

    /// Formats a value of this metric for people.
    pub fn format(self, v: f64) -> String {
        match self.kind() {
            Kind::Rate => format!("{}%", trim_float(v * 100.0, 3)),
            Kind::Latency => format_ms(v),
            Kind::PerSecond => format!("{}/s", crate::render::significant(v)),
            Kind::Number => trim_float(v, 3),
        }
    }

    /// The value and unit for Nagios performance data.
    fn perf_value(self, v: f64) -> (String, &'static str) {
        match self.kind() {
            Kind::Latency => (trim_float(v, 3), "ms"),
            Kind::Rate => (trim_float(v * 100.0, 4), "%"),
            _ => (trim_float(v, 3), ""),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Op {
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
}

impl Op {
    fn symbol(self) -> &'static str {
        match self {
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }

    fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Op::Lt => value < threshold,
            Op::Le => value <= threshold,
            Op::Gt => value > threshold,
            Op::Ge => value >= threshold,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Critical,
    Warning,
}

/// Which figures a rule applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The total, and with `--by` every group too.
    Default,
    /// One group only.
    Group(String),
}

/// A threshold rule: the figure must satisfy `metric op threshold`.
#[derive(Clone, Debug)]
pub struct Rule {
    pub metric: Metric,
    pub op: Op,
    /// In the metric's base unit: a fraction, milliseconds, per second, or a count.
    pub threshold: f64,
    pub severity: Severity,
    pub scope: Scope,
    /// The rule as the user wrote it.
    pub text: String,
}

impl Rule {
    /// The rule in canonical form, e.g. `p95 <= 500ms`.
    pub fn describe(&self) -> String {
        format!(
            "{} {} {}",
            self.metric.name(),
            self.op.symbol(),
            self.metric.format(self.threshold)
        )
    }
}

fn parse_threshold(metric: Metric, text: &str, rule: &str) -> Result<f64> {
    let t = text.trim();
    let bad = |what: &str| anyhow!("invalid rule '{rule}': '{t}' is not {what}");
    let number = |s: &str| s.trim().parse::<f64>().ok().filter(|v| v.is_finite());
    match metric.kind() {
        Kind::Rate => {
            if let Some(p) = t.strip_suffix('%') {
                let v = number(p)
                    .filter(|v| (0.0..=100.0).contains(v))
                    .ok_or_else(|| bad("a percentage from 0% to 100%, such as 5% or 0.1%"))?;
                return Ok(v / 100.0);
            }
            let v = number(t)
                .ok_or_else(|| bad("a percentage such as 5% or a fraction such as 0.05"))?;
            if !(0.0..=1.0).contains(&v) {
                bail!("invalid rule '{rule}': a rate is a percentage (5%) or a fraction from 0 to 1, not '{t}'");
            }
            Ok(v)
        }
        Kind::Latency => number(t)
            .or_else(|| parse_duration(t))
            .ok_or_else(|| bad("a duration such as 500ms or 2s")),
        Kind::PerSecond => {
            let (n, per) = match t.split_once('/') {
                Some((n, unit)) => {
                    let secs = match unit.trim() {
                        "s" | "sec" | "second" => 1.0,
                        "m" | "min" | "minute" => 60.0,
                        "h" | "hour" => 3600.0,
                        _ => return Err(bad("a rate such as 10/s, 600/m or 3600/h")),
                    };
                    (n, secs)
                }
                None => (t, 1.0),
            };
            Ok(number(n).ok_or_else(|| bad("a rate such as 10/s, 600/m or 3600/h"))? / per)
        }
        Kind::Number => number(t).ok_or_else(|| bad("a number")),
    }
}

/// Parses a rule: `[warn|crit] [group=NAME:] METRIC OP VALUE`, e.g. `p95 < 500ms`,
/// `warn error_rate <= 1%`, `group=recommend: p99 < 300ms`.
pub fn parse_rule(text: &str, default_severity: Severity) -> Result<Rule> {
    let usage = || {
        anyhow!("invalid rule '{text}': expected METRIC OP VALUE, such as 'p95 < 500ms' or 'error_rate <= 1%' (optionally preceded by 'warn' and 'group=NAME:')")
    };
    let mut rest = text.trim();
    let mut severity = default_severity;
    for (word, sev) in [
        ("warn ", Severity::Warning),
        ("warning ", Severity::Warning),
        ("crit ", Severity::Critical),
        ("critical ", Severity::Critical),
    ] {
        if let Some(r) = rest.strip_prefix(word) {
            severity = sev;
            rest = r.trim_start();
        }
    }
    let mut scope = Scope::Default;
    if let Some(r) = rest.strip_prefix("group=") {
        let (name, after) = if let Some(q) = r.strip_prefix('"') {
            let end = q.find('"').ok_or_else(usage)?;
            (&q[..end], q[end + 1..].trim_start())
        } else {
            let end = r.find(':').ok_or_else(usage)?;
            (&r[..end], &r[end..])
        };
        rest = after.strip_prefix(':').ok_or_else(usage)?.trim_start();
        scope = Scope::Group(name.trim().to_string());
    }
    let pos = rest.find(['<', '>']).ok_or_else(usage)?;
    let metric_name = rest[..pos].trim();
    let metric = Metric::parse(metric_name).ok_or_else(|| {
        anyhow!("invalid rule '{text}': unknown figure '{metric_name}' (use count, events, successes, failures, success_rate, error_rate, throughput, min, mean, p50, p90, p95, p99, p999, max, records, skipped, skipped_ratio)")
    })?;
    let after = &rest[pos..];
    let (op, value) = if let Some(v) = after.strip_prefix("<=") {
        (Op::Le, v)
    } else if let Some(v) = after.strip_prefix(">=") {
        (Op::Ge, v)
    } else if let Some(v) = after.strip_prefix('<') {
        (Op::Lt, v)
    } else if let Some(v) = after.strip_prefix('>') {
        (Op::Gt, v)
    } else {
        return Err(usage());
    };
    if value.trim().is_empty() {
        return Err(usage());
    }
    let threshold = parse_threshold(metric, value, text)?;
    Ok(Rule {
        metric,
        op,
        threshold,
        severity,
        scope,
        text: text.trim().to_string(),
    })
}

/// Parses a rules file: one rule per line, `#` comments and blank lines ignored.
pub fn parse_rules_file(content: &str, name: &str) -> Result<Vec<Rule>> {
    let mut rules = Vec::new();
    for (i, line) in content.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let rule =
            parse_rule(line, Severity::Critical).map_err(|e| anyhow!("{name}:{}: {e}", i + 1))?;
        rules.push(rule);
    }
    Ok(rules)
}

/// The figures of one scope that rules read.
#[derive(Clone, Debug, Default)]
pub struct Figures {
    pub stats: GroupStats,
    /// Input-wide figures (only on the overall scope).
    pub records: u64,
    pub skipped: u64,
    pub non_blank: u64,
}

impl Figures {
    /// The value of `metric`; `None` when it is undefined (no latency, no outcomes).
    pub fn value(&self, metric: Metric) -> Option<f64> {
        let s = &self.stats;
        let h = &s.latency;
        Some(match metric {
            Metric::Count => s.count() as f64,
            Metric::Events => s.events as f64,
            Metric::Successes => s.successes as f64,
            Metric::Failures => s.failures as f64,
            Metric::SuccessRate => s.success_rate()?,
            Metric::ErrorRate => s.error_rate()?,
            Metric::Throughput => s.throughput_per_second().unwrap_or(0.0),
            Metric::Min => h.min()?,
            Metric::Mean => h.mean()?,
            Metric::P50 => h.quantile(500)?,
            Metric::P90 => h.quantile(900)?,
            Metric::P95 => h.quantile(950)?,
            Metric::P99 => h.quantile(990)?,
            Metric::P999 => h.quantile(999)?,
            Metric::Max => h.max()?,
            Metric::Records => self.records as f64,
            Metric::Skipped => self.skipped as f64,
            Metric::SkippedRatio => {
                if self.non_blank == 0 {
                    0.0
                } else {
                    self.skipped as f64 / self.non_blank as f64
                }
            }
        })
    }
}

/// What a check run gathers.
#[derive(Clone, Copy, Debug)]
pub enum CheckMode {
    /// Everything that passes the filters.
    All,
    /// The N most recent outcomes by time.
    Last(usize),
    /// Buckets of `bucket_ns` ending at `end_ns` (exclusive start, inclusive end), `buckets` of
    /// them: for sustained (`--for`) rules.
    Buckets {
        end_ns: i64,
        bucket_ns: i64,
        buckets: usize,
    },
}

/// One outcome kept for `--last N`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Recent {
    time_ns: i64,
    at: LineAt,
    group: Box<[u8]>,
    failed: bool,
    /// Latency in nanoseconds (integer so the heap can order it), `u64::MAX` for none.
    latency_ns: u64,
}

pub struct CheckAcc {
    mode: CheckMode,
    /// Per bucket, per group statistics; bucket 0 is the only one outside bucket mode.
    cells: Vec<GroupMap<GroupStats>>,
    /// Min-heap of the most recent outcomes (`--last`).
    recent: BinaryHeap<Reverse<Recent>>,
    key: Vec<u8>,
}

impl CheckAcc {
    pub fn new(mode: CheckMode) -> Self {
        let n = match mode {
            CheckMode::Buckets { buckets, .. } => buckets,
            _ => 1,
        };
        CheckAcc {
            mode,
            cells: (0..n).map(|_| GroupMap::default()).collect(),
            recent: BinaryHeap::new(),
            key: Vec::new(),
        }
    }

    /// Adds `rec` to the cell of `bucket` and the current group key.
    fn add_to_cell(&mut self, bucket: usize, rec: &Record) {
        add_to(self.cells[bucket].entry(&self.key), rec);
    }
}

fn add_to(g: &mut GroupStats, rec: &Record) {
    match rec.outcome {
        Outcome::Event => g.events += 1,
        Outcome::Success => g.successes += 1,
        Outcome::Failure => g.failures += 1,
    }
    if rec.outcome != Outcome::Event {
        if let Some(ms) = rec.latency_ms {
            g.latency.record(ms);
        }
        if let Some(t) = rec.time_ns {
            g.note_outcome_time(t);
        }
    }
}

impl Accumulate for CheckAcc {
    fn add(&mut self, ex: &Extractor, rec: &Record, at: LineAt) {
        ex.group_key(rec, &mut self.key);
        match self.mode {
            CheckMode::All => self.add_to_cell(0, rec),
            CheckMode::Buckets {
                end_ns,
                bucket_ns,
                buckets,
            } => {
                let Some(t) = rec.time_ns else {
                    return;
                };
                if t > end_ns {
                    return;
                }
                // Bucket 0 is the newest: (end - bucket, end]; bucket k is k buckets older.
                let b = (end_ns - t) / bucket_ns;
                let b = usize::try_from(b).unwrap_or(usize::MAX);
                if b < buckets {
                    self.add_to_cell(b, rec);
                }
            }
            CheckMode::Last(n) => {
                if rec.outcome == Outcome::Event {
                    return;
                }
                let Some(t) = rec.time_ns else {
                    return;
                };
                let item = Recent {
                    time_ns: t,
                    at,
                    group: self.key.as_slice().into(),
                    failed: rec.outcome == Outcome::Failure,
                    latency_ns: rec
                        .latency_ms
                        .map_or(u64::MAX, |ms| (ms * 1e6).round() as u64),
                };
                push_recent(&mut self.recent, item, n);
            }
        }
    }

    fn merge(&mut self, other: Self) {
        for (mine, theirs) in self.cells.iter_mut().zip(other.cells) {
            mine.merge_with(theirs, |m, g| m.merge(&g));
        }
        if let CheckMode::Last(n) = self.mode {
            for Reverse(r) in other.recent {
                push_recent(&mut self.recent, r, n);
            }
        }
    }
}

fn push_recent(heap: &mut BinaryHeap<Reverse<Recent>>, item: Recent, n: usize) {
    if n == 0 {
        return;
    }
    heap.push(Reverse(item));
    if heap.len() > n {
        heap.pop();
    }
}

/// Figures per scope: the total first, then each group (sorted), per bucket.
pub struct Gathered {
    /// `buckets[b]` maps group → stats; bucket 0 only outside bucket mode.
    pub buckets: Vec<FxHashMap<String, GroupStats>>,
}

impl CheckAcc {
    pub fn gather(self) -> Gathered {
        let n = match self.mode {
            CheckMode::Buckets { buckets, .. } => buckets,
            _ => 1,
        };
        let mut buckets: Vec<FxHashMap<String, GroupStats>> = vec![FxHashMap::default(); n];
        for (b, cells) in self.cells.into_iter().enumerate() {
            for (key, g) in cells {
                let name = String::from_utf8_lossy(&key).into_owned();
                buckets[b].entry(name).or_default().merge(&g);
            }
        }
        for Reverse(r) in self.recent {
            let name = String::from_utf8_lossy(&r.group).into_owned();
            let g = buckets[0].entry(name).or_default();
            if r.failed {
                g.failures += 1;
            } else {
                g.successes += 1;
            }
            if r.latency_ns != u64::MAX {
                g.latency.record(r.latency_ns as f64 / 1e6);
            }
            g.note_outcome_time(r.time_ns);
        }
        Gathered { buckets }
    }
}

/// One rule's verdict on one scope.
#[derive(Serialize, Debug, Clone)]
pub struct RuleResult {
    pub status: &'static str,
    pub rule: String,
    pub metric: Metric,
    pub op: Op,
    pub threshold: f64,
    /// The measured value; with `--for`, the least bad value across the buckets.
    pub value: Option<f64>,
    pub severity: Severity,
    pub scope: String,
    #[serde(skip)]
    pub value_text: String,
    #[serde(skip)]
    pub threshold_text: String,
}

impl RuleResult {
    pub fn breached(&self) -> bool {
        self.status == "breach"
    }
}

/// Evaluates `rule` on one scope across buckets: it is breached when it fails in every bucket
/// (a single bucket outside `--for`). Returns the value shown (the last bucket's, or the one
/// closest to holding).
fn evaluate(rule: &Rule, per_bucket: &[Option<&Figures>]) -> (bool, Option<f64>) {
    let mut breached_all = true;
    let mut shown: Option<f64> = None;
    for figures in per_bucket {
        let value = figures.and_then(|f| f.value(rule.metric));
        let holds = match value {
            Some(v) => rule.op.holds(v, rule.threshold),
            // Undefined (no latency in this bucket): nothing to breach.
            None => true,
        };
        if holds {
            breached_all = false;
        }
        if let Some(v) = value {
            shown = Some(match shown {
                None => v,
                // Across buckets, report the value closest to holding.
                Some(s) => match rule.op {
                    Op::Lt | Op::Le => s.min(v),
                    Op::Gt | Op::Ge => s.max(v),
                },
            });
        }
    }
    (breached_all && !per_bucket.is_empty(), shown)
}

/// The whole verdict of a check run.
#[derive(Serialize, Debug, Clone)]
pub struct CheckReport {
    pub schema_version: u32,
    /// `ok`, `warning` or `breach`.
    pub status: &'static str,
    pub window: WindowJson,
    pub inputs: crate::summary::InputsJson,
    pub outcomes: u64,
    pub no_data: bool,
    pub results: Vec<RuleResult>,
    pub breached_critical: usize,
    pub breached_warning: usize,
}

#[derive(Serialize, Debug, Clone, Default)]
pub struct WindowJson {
    pub description: String,
    pub start: Option<String>,
    pub end: Option<String>,
}

pub struct Verdict<'a> {
    pub rules: &'a [Rule],
    pub by_group: bool,
    pub allow_empty: bool,
    pub window: WindowJson,
}

pub fn build_report(gathered: Gathered, stats: &RunStats, v: &Verdict) -> CheckReport {
    let totals = stats.totals();
    let n_buckets = gathered.buckets.len();
    // Overall figures per bucket, and each group's figures per bucket, built once.
    let mut overall: Vec<Figures> = Vec::with_capacity(n_buckets);
    let mut by_group: BTreeMap<String, Vec<Option<Figures>>> = BTreeMap::new();
    for (b, bucket) in gathered.buckets.into_iter().enumerate() {
        let mut all = GroupStats::default();
        for (name, g) in bucket {
            all.merge(&g);
            by_group
                .entry(name)
                .or_insert_with(|| vec![None; n_buckets])[b] = Some(Figures {
                stats: g,
                ..Default::default()
            });
        }
        overall.push(Figures {
            stats: all,
            records: totals.records - totals.filtered,
            skipped: totals.skipped_total(),
            non_blank: totals.lines - totals.blank,
        });
    }
    // Groups made only of events (log lines with no outcome) have no figures to check.
    let group_names: Vec<&String> = by_group
        .iter()
        .filter(|(_, figs)| figs.iter().flatten().any(|f| f.stats.count() > 0))
        .map(|(name, _)| name)
        .collect();
    let no_figures: Vec<Option<Figures>> = vec![None; n_buckets];
    let group_figures = |name: &str| by_group.get(name).unwrap_or(&no_figures);
    let outcomes: u64 = overall.iter().map(|f| f.stats.count()).sum();
    let mut results = Vec::new();
    let mut push = |rule: &Rule, scope: String, figures: Vec<Option<&Figures>>| {
        let (breached, value) = evaluate(rule, &figures);
        results.push(RuleResult {
            status: if breached { "breach" } else { "ok" },
            rule: rule.describe(),
            metric: rule.metric,
            op: rule.op,
            threshold: rule.threshold,
            value,
            severity: rule.severity,
            scope,
            value_text: value.map_or("n/a".into(), |x| rule.metric.format(x)),
            threshold_text: rule.metric.format(rule.threshold),
        });
    };
    for rule in v.rules {
        match &rule.scope {
            Scope::Group(name) => {
                let figs = group_figures(name);
                push(
                    rule,
                    format!("group {name}"),
                    figs.iter().map(Option::as_ref).collect(),
                );
            }
            Scope::Default => {
                push(rule, "overall".into(), overall.iter().map(Some).collect());
                if v.by_group && !rule.metric.is_data_quality() {
                    for name in &group_names {
                        let figs = group_figures(name.as_str());
                        push(
                            rule,
                            format!("group {name}"),
                            figs.iter().map(Option::as_ref).collect(),
                        );
                    }
                }
            }
        }
    }
    let no_data = outcomes == 0;
    if no_data && !v.allow_empty {
        results.push(RuleResult {
            status: "breach",
            rule: "outcomes > 0 (no data)".into(),
            metric: Metric::Count,
            op: Op::Gt,
            threshold: 0.0,
            value: Some(0.0),
            severity: Severity::Critical,
            scope: "overall".into(),
            value_text: "0".into(),
            threshold_text: "0".into(),
        });
    }
    let breached_critical = results
        .iter()
        .filter(|r| r.breached() && r.severity == Severity::Critical)
        .count();
    let breached_warning = results
        .iter()
        .filter(|r| r.breached() && r.severity == Severity::Warning)
        .count();
    CheckReport {
        schema_version: 1,
        status: if breached_critical > 0 {
            "breach"
        } else if breached_warning > 0 {
            "warning"
        } else {
            "ok"
        },
        window: v.window.clone(),
        inputs: crate::summary::inputs_json(stats),
        outcomes,
        no_data,
        results,
        breached_critical,
        breached_warning,
    }
}

/// Nagios performance data for a result: `'label'=value[UOM];warn;crit;0;`.
pub fn perf_data(r: &RuleResult, warn: Option<f64>, crit: Option<f64>) -> Option<String> {
    let v = r.value?;
    let (value, uom) = r.metric.perf_value(v);
    let th = |t: Option<f64>| t.map(|t| r.metric.perf_value(t).0).unwrap_or_default();
    let label = if r.scope == "overall" {
        r.metric.name().to_string()
    } else {
        format!(
            "{} {}",
            r.scope.trim_start_matches("group "),
            r.metric.name()
        )
    };
    // Labels may hold neither `'` nor `=` (the plugin guidelines' rule).
    let label: String = label
        .chars()
        .map(|c| match c {
            '\'' => '"',
            '=' => '_',
            c => c,
        })
        .collect();
    Some(format!(
        "'{label}'={value}{uom};{};{};0;",
        th(warn),
        th(crit)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules() {
        let r = parse_rule("p95 < 500ms", Severity::Critical).unwrap();
        assert_eq!((r.metric, r.op, r.threshold), (Metric::P95, Op::Lt, 500.0));
        let r = parse_rule("warn error_rate <= 1%", Severity::Critical).unwrap();
        assert_eq!(r.severity, Severity::Warning);
        assert!((r.threshold - 0.01).abs() < 1e-12);
        let r = parse_rule("count >= 100", Severity::Critical).unwrap();
        assert_eq!(r.threshold, 100.0);
        let r = parse_rule("throughput >= 600/m", Severity::Critical).unwrap();
        assert_eq!(r.threshold, 10.0);
        let r = parse_rule("group=recommend: p99 < 2s", Severity::Critical).unwrap();
        assert_eq!(r.scope, Scope::Group("recommend".into()));
        assert_eq!(r.threshold, 2000.0);
        let r = parse_rule("group=\"GET /a:b\": max <= 1s", Severity::Critical).unwrap();
        assert_eq!(r.scope, Scope::Group("GET /a:b".into()));
    }

    #[test]
    fn malformed_rules_name_the_rule() {
        for bad in [
            "p95",
            "p95 < ",
            "p42 < 5ms",
            "p95 = 5ms",
            "error_rate < 5",
            "p95 < fast",
            "throughput > 3/week",
            "group=x p95 < 1s",
        ] {
            let e = parse_rule(bad, Severity::Critical).unwrap_err().to_string();
            assert!(e.contains(bad), "{bad}: {e}");
        }
    }

    #[test]
    fn rules_file_comments_and_line_numbers() {
        let rules =
            parse_rules_file("# SLOs\np50 < 50ms  # fast\n\nwarn p99 < 500ms\n", "slo").unwrap();
        assert_eq!(rules.len(), 2);
        let e = parse_rules_file("p50 < 50ms\nbogus\n", "slo").unwrap_err();
        assert!(e.to_string().starts_with("slo:2: "), "{e}");
    }

    #[test]
    fn sustained_rules_need_every_bucket() {
        let rule = parse_rule("error_rate < 10%", Severity::Critical).unwrap();
        let bad = Figures {
            stats: GroupStats {
                successes: 1,
                failures: 1,
                ..Default::default()
            },
            ..Default::default()
        };
        let good = Figures {
            stats: GroupStats {
                successes: 10,
                ..Default::default()
            },
            ..Default::default()
        };
        assert!(evaluate(&rule, &[Some(&bad), Some(&bad)]).0);
        assert!(!evaluate(&rule, &[Some(&bad), Some(&good)]).0);
        // A bucket with no outcomes has no error rate: it cannot sustain a breach.
        assert!(!evaluate(&rule, &[Some(&bad), None]).0);
    }
}
