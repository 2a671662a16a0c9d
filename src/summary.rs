//! `summarize`'s accumulator (outcomes per group, latency, errors) and the report it reduces to.

use crate::engine::{Accumulate, LineAt, RunStats};
use crate::failures::{ErrorsAcc, ErrorsOptions};
use crate::fields::Extractor;
use crate::groups::GroupMap;
use crate::outcome::Outcome;
use crate::record::{Record, Role, SkipReason};
use crate::stats::{GroupStats, Tally, PERCENTILES};
use crate::timefmt::format_rfc3339;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Per-group statistics and the failures' messages.
pub struct SummaryAcc {
    groups: GroupMap<GroupStats>,
    errors: ErrorsAcc,
    /// Error-level events (not outcomes) by message: what matters in a plain application log.
    log_errors: ErrorsAcc,
    /// Events by level.
    levels: Tally,
    key: Vec<u8>,
}

impl SummaryAcc {
    /// `raw_errors` keeps error messages as they are instead of clustering them.
    pub fn new(raw_errors: bool) -> Self {
        SummaryAcc {
            groups: GroupMap::default(),
            errors: ErrorsAcc::new(ErrorsOptions {
                raw: raw_errors,
                by_group: false,
                include_failures: true,
                include_events: false,
            }),
            log_errors: ErrorsAcc::new(ErrorsOptions {
                raw: raw_errors,
                by_group: false,
                include_failures: false,
                include_events: true,
            }),
            levels: Tally::default(),
            key: Vec::new(),
        }
    }
}

impl Accumulate for SummaryAcc {
    // Inlined into both of the engine's line loops (see `engine::Worker::lines`): a call per line
    // saved and restored six registers.
    #[inline(always)]
    fn add(&mut self, ex: &Extractor, rec: &Record, at: LineAt) {
        let g = self.groups.entry(ex.group_key_bytes(rec, &mut self.key));
        match rec.outcome {
            Outcome::Event => {
                g.events += 1;
                if let Some(level) = rec.level() {
                    self.levels.add(&level_name(&level.text()), 1);
                    self.log_errors.add(ex, rec, at);
                }
                return;
            }
            Outcome::Success => g.successes += 1,
            Outcome::Failure => g.failures += 1,
        }
        if let Some(ms) = rec.latency_ms {
            g.latency.record_ns(ms, rec.latency_ns);
        }
        if let Some(t) = rec.time_ns {
            g.note_outcome_time(t);
        }
        if rec.outcome == Outcome::Failure {
            self.errors.add(ex, rec, at);
        }
    }

    fn merge(&mut self, other: Self) {
        self.groups
            .merge_with(other.groups, |mine, g| mine.merge(&g));
        self.errors.merge(other.errors);
        self.log_errors.merge(other.log_errors);
        self.levels.merge(&other.levels);
    }
}

impl SummaryAcc {
    /// Groups by count (then events, then key), and everything merged into one.
    pub fn into_groups(
        self,
    ) -> (
        GroupStats,
        Vec<(String, GroupStats)>,
        ErrorsAcc,
        ErrorsAcc,
        Tally,
    ) {
        let mut overall = GroupStats::default();
        let mut groups: Vec<(String, GroupStats)> = self
            .groups
            .into_iter()
            .map(|(k, g)| (String::from_utf8_lossy(&k).into_owned(), g))
            .collect();
        groups.sort_by(|a, b| {
            b.1.count()
                .cmp(&a.1.count())
                .then(b.1.events.cmp(&a.1.events))
                .then_with(|| a.0.cmp(&b.0))
        });
        for (_, g) in &groups {
            overall.merge(g);
        }
        (overall, groups, self.errors, self.log_errors, self.levels)
    }
}

#[derive(Serialize, Debug, Clone)]
pub struct LatencyJson {
    pub count: u64,
    pub min: f64,
    pub mean: f64,
    pub p50: f64,
    pub p90: f64,
    pub p95: f64,
    pub p99: f64,
    pub p999: f64,
    pub max: f64,
}

#[derive(Serialize, Debug, Clone)]
pub struct StatsJson {
    pub events: u64,
    pub count: u64,
    pub successes: u64,
    pub failures: u64,
    pub success_rate: Option<f64>,
    pub error_rate: Option<f64>,
    pub throughput_per_second: Option<f64>,
    pub latency_ms: Option<LatencyJson>,
}

impl StatsJson {
    pub fn from_stats(g: &GroupStats) -> StatsJson {
        let h = &g.latency;
        let latency_ms = (h.count() > 0).then(|| {
            let per_mille: Vec<u64> = PERCENTILES.iter().map(|(_, pm)| *pm).collect();
            let q: Vec<f64> = h
                .quantiles(&per_mille)
                .into_iter()
                .map(|v| v.unwrap_or(f64::NAN))
                .collect();
            LatencyJson {
                count: h.count(),
                min: h.min().unwrap_or(f64::NAN),
                mean: h.mean().unwrap_or(f64::NAN),
                p50: q[0],
                p90: q[1],
                p95: q[2],
                p99: q[3],
                p999: q[4],
                max: h.max().unwrap_or(f64::NAN),
            }
        });
        StatsJson {
            events: g.events,
            count: g.count(),
            successes: g.successes,
            failures: g.failures,
            success_rate: g.success_rate(),
            error_rate: g.error_rate(),
            throughput_per_second: g.throughput_per_second(),
            latency_ms,
        }
    }
}

#[derive(Serialize, Debug, Clone)]
pub struct GroupJson {
    pub key: String,
    #[serde(flatten)]
    pub stats: StatsJson,
}

#[derive(Serialize, Debug, Clone)]
pub struct InputsJson {
    pub files: Vec<String>,
    pub formats: BTreeMap<String, String>,
    pub compression: BTreeMap<String, String>,
    pub bytes: u64,
    pub lines: u64,
    pub records: u64,
    pub blank: u64,
    pub skipped: u64,
    pub filtered: u64,
    pub skipped_by_reason: BTreeMap<String, u64>,
}

#[derive(Serialize, Debug, Clone)]
pub struct FieldsJson {
    pub time: Option<String>,
    pub time_format: Option<String>,
    pub latency: Option<String>,
    pub latency_unit: Option<String>,
    pub group: Option<String>,
    pub success: Option<String>,
    pub status: Option<String>,
    pub error: Option<String>,
    pub level: Option<String>,
    pub message: Option<String>,
}

#[derive(Serialize, Debug, Clone)]
pub struct PercentilesJson {
    pub method: &'static str,
    pub max_relative_error: f64,
}

#[derive(Serialize, Debug, Clone)]
pub struct SpanJson {
    pub start: String,
    pub end: String,
    pub seconds: f64,
}

#[derive(Serialize, Debug, Clone)]
pub struct ErrorJson {
    /// The message's template (variable parts replaced), or the raw message with `--raw-errors`.
    pub message: String,
    pub count: u64,
    /// The first raw message of this template in the input.
    pub example: String,
}

/// A skipped line shown to the user as an example of its reason.
#[derive(Serialize, Debug, Clone)]
pub struct SkipExample {
    pub file: String,
    pub line: u64,
    pub reason: String,
}

/// What `tlm summarize` reports; every renderer draws from this alone.
#[derive(Serialize, Debug, Clone)]
pub struct SummaryReport {
    pub schema_version: u32,
    pub group_by: Option<String>,
    pub inputs: InputsJson,
    pub fields: FieldsJson,
    pub percentiles: PercentilesJson,
    pub span: Option<SpanJson>,
    pub overall: StatsJson,
    pub groups: Vec<GroupJson>,
    pub errors: Vec<ErrorJson>,
    /// Failures beyond the listed errors.
    pub errors_not_listed: u64,
    /// Rows of rare messages dropped to keep memory bounded, and the errors they held (see
    /// `tlm errors`): the listed counts are then lower bounds.
    pub errors_pruned_rows: u64,
    pub errors_pruned: u64,
    pub errors_undercount_at_most: u64,
    /// Events (records that are not outcomes) by level, most frequent first.
    pub levels: serde_json::Map<String, serde_json::Value>,
    /// Events per second over the span (`null` without a span).
    pub events_per_second: Option<f64>,
    /// Error-level events by message (template), as in a plain application log.
    pub error_events: Vec<ErrorJson>,
    pub first_skipped: Option<SkipExample>,
}

pub const PERCENTILE_METHOD: &str = "nearest-rank over HdrHistogram, 3 significant digits";

/// A level as reported: lower case, with the usual synonyms folded (`WARNING` → `warn`) and
/// pino/bunyan's numbers named (`30` → `info`). Borrowed when the level is written so already,
/// as nearly every one is: this runs for every event of a log.
pub fn level_name(level: &str) -> Cow<'_, str> {
    let level = level.trim();
    if level.bytes().any(|b| b.is_ascii_uppercase()) {
        let lower = level.to_ascii_lowercase();
        return match level_synonym(&lower) {
            Some(name) => Cow::Borrowed(name),
            None => Cow::Owned(lower),
        };
    }
    Cow::Borrowed(level_synonym(level).unwrap_or(level))
}

/// The name reported for a lower-case level spelled otherwise.
fn level_synonym(level: &str) -> Option<&'static str> {
    Some(match level {
        "warning" => "warn",
        "err" => "error",
        "crit" => "critical",
        "emerg" => "emergency",
        "10" => "trace",
        "20" => "debug",
        "30" => "info",
        "40" => "warn",
        "50" => "error",
        "60" => "fatal",
        _ => return None,
    })
}

/// The `inputs` block every report shares: files, formats and the accounting of every line.
pub fn inputs_json(stats: &RunStats) -> InputsJson {
    let totals = stats.totals();
    InputsJson {
        files: stats.inputs.iter().map(|i| i.name.clone()).collect(),
        formats: stats
            .inputs
            .iter()
            .map(|i| (i.name.clone(), i.format.name().to_string()))
            .collect(),
        compression: stats
            .inputs
            .iter()
            .filter_map(|i| Some((i.name.clone(), i.compression.name()?.to_string())))
            .collect(),
        bytes: totals.bytes,
        lines: totals.lines,
        records: totals.records,
        blank: totals.blank,
        skipped: totals.skipped_total(),
        filtered: totals.filtered,
        skipped_by_reason: SkipReason::ALL
            .iter()
            .filter(|r| totals.skipped[r.index()] > 0)
            .map(|r| (r.name().to_string(), totals.skipped[r.index()]))
            .collect(),
    }
}

/// Reduces a run to its report.
pub fn build_report(
    acc: SummaryAcc,
    stats: &RunStats,
    ex: &Extractor,
    top_errors: usize,
) -> SummaryReport {
    let (overall, groups, errors, log_errors, levels) = acc.into_groups();
    let name = |role: Role| {
        stats
            .dominant_rank(role)
            .and_then(|r| ex.field_name(role, r))
            .map(str::to_string)
    };
    let group_by = ex.explicit_group().or_else(|| name(Role::Group));
    let latency_unit = stats
        .dominant_rank(Role::Latency)
        .map(|r| ex.latency_unit(r).name().to_string());
    let errors = crate::failures::build_report(errors, stats, ex, top_errors);
    let log_errors = crate::failures::build_report(log_errors, stats, ex, top_errors);
    let as_json = |e: crate::failures::ErrorRowJson| ErrorJson {
        message: e.template,
        count: e.count,
        example: e.example,
    };
    let span = match (stats.first_time_ns, stats.last_time_ns) {
        (Some(a), Some(b)) => Some(SpanJson {
            start: format_rfc3339(a),
            end: format_rfc3339(b),
            seconds: (b - a) as f64 / 1e9,
        }),
        _ => None,
    };
    let events_per_second = match &span {
        Some(s) if s.seconds > 0.0 => Some(overall.events as f64 / s.seconds),
        _ => None,
    };
    SummaryReport {
        schema_version: 1,
        group_by: group_by.clone(),
        inputs: inputs_json(stats),
        fields: FieldsJson {
            time: name(Role::Time),
            time_format: stats.dominant_time_format().map(|f| f.name().to_string()),
            latency: name(Role::Latency),
            latency_unit,
            group: group_by,
            success: name(Role::Success),
            status: name(Role::Status),
            error: name(Role::Error),
            level: name(Role::Level),
            message: name(Role::Message),
        },
        percentiles: PercentilesJson {
            method: PERCENTILE_METHOD,
            max_relative_error: 0.001,
        },
        span,
        overall: StatsJson::from_stats(&overall),
        groups: groups
            .iter()
            .map(|(k, g)| GroupJson {
                key: k.clone(),
                stats: StatsJson::from_stats(g),
            })
            .collect(),
        errors_not_listed: errors.not_listed,
        errors_pruned_rows: errors.pruned_rows,
        errors_pruned: errors.pruned_errors,
        errors_undercount_at_most: errors.undercount_at_most,
        errors: errors.errors.into_iter().map(as_json).collect(),
        levels: levels
            .top(usize::MAX)
            .into_iter()
            .map(|(l, n)| (l, serde_json::Value::from(n)))
            .collect(),
        events_per_second,
        error_events: log_errors.errors.into_iter().map(as_json).collect(),
        first_skipped: stats.first_bad.map(|b| SkipExample {
            file: stats.inputs[b.at.input as usize].name.clone(),
            line: stats.line_number(b.at),
            reason: b.reason.name().to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_named_one_way() {
        for (level, name) in [
            ("info", "info"),
            (" INFO ", "info"),
            ("Warning", "warn"),
            ("warning", "warn"),
            ("ERR", "error"),
            ("crit", "critical"),
            ("EMERG", "emergency"),
            ("30", "info"),
            ("50", "error"),
            ("60", "fatal"),
            ("35", "35"),
            ("Notice", "notice"),
        ] {
            assert_eq!(level_name(level), name, "{level:?}");
        }
        assert!(matches!(level_name("info"), Cow::Borrowed(_)));
    }
}
