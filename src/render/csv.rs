//! CSV output: a header row, a row per group, and a `(total)` row. Rates are fractions.

use super::Renderer;
use crate::summary::{StatsJson, SummaryReport};
use std::io::{self, Write};

pub struct CsvRenderer;

const HEADER: [&str; 17] = [
    "group",
    "events",
    "count",
    "successes",
    "failures",
    "success_rate",
    "error_rate",
    "throughput_per_second",
    "latency_count",
    "latency_min_ms",
    "latency_mean_ms",
    "latency_p50_ms",
    "latency_p90_ms",
    "latency_p95_ms",
    "latency_p99_ms",
    "latency_p999_ms",
    "latency_max_ms",
];

fn opt(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn row(key: &str, s: &StatsJson) -> Vec<String> {
    let l = s.latency_ms.as_ref();
    let lat = |f: fn(&crate::summary::LatencyJson) -> f64| opt(l.map(f));
    vec![
        key.to_string(),
        s.events.to_string(),
        s.count.to_string(),
        s.successes.to_string(),
        s.failures.to_string(),
        opt(s.success_rate),
        opt(s.error_rate),
        opt(s.throughput_per_second),
        l.map(|l| l.count).unwrap_or(0).to_string(),
        lat(|l| l.min),
        lat(|l| l.mean),
        lat(|l| l.p50),
        lat(|l| l.p90),
        lat(|l| l.p95),
        lat(|l| l.p99),
        lat(|l| l.p999),
        lat(|l| l.max),
    ]
}

impl Renderer for CsvRenderer {
    fn summary(&self, report: &SummaryReport, out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(HEADER)?;
        for g in &report.groups {
            w.write_record(row(&g.key, &g.stats))?;
        }
        w.write_record(row("(total)", &report.overall))?;
        w.flush()
    }
}
