//! CSV output: a header row, a row per group, and a `(total)` row. Rates are fractions.

use super::Renderer;
use crate::failures::ErrorsReport;
use crate::slow::SlowRow;
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

/// A csv error as the I/O error inside it when there is one, so that a closed pipe stays a
/// closed pipe (csv's own conversion makes every error `Other`).
fn io_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("CSV output: {other:?}")),
    }
}

impl Renderer for CsvRenderer {
    fn summary(&self, report: &SummaryReport, out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(HEADER).map_err(io_error)?;
        for g in &report.groups {
            w.write_record(row(&g.key, &g.stats)).map_err(io_error)?;
        }
        w.write_record(row("(total)", &report.overall))
            .map_err(io_error)?;
        w.flush()
    }

    fn errors(&self, report: &ErrorsReport, out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        let by = report.errors.iter().any(|e| e.group.is_some());
        let mut header = vec![];
        if by {
            header.push("group");
        }
        header.extend([
            "template",
            "count",
            "failures",
            "error_events",
            "share",
            "first_seen",
            "last_seen",
            "groups",
            "example",
            "example_at",
        ]);
        w.write_record(&header).map_err(io_error)?;
        for e in &report.errors {
            let mut rec = vec![];
            if by {
                rec.push(e.group.clone().unwrap_or_default());
            }
            let groups: Vec<String> = e.groups.iter().map(|(g, n)| format!("{g}={n}")).collect();
            rec.extend([
                e.template.clone(),
                e.count.to_string(),
                e.failures.to_string(),
                e.error_events.to_string(),
                e.share.to_string(),
                e.first_seen.clone().unwrap_or_default(),
                e.last_seen.clone().unwrap_or_default(),
                groups.join(";"),
                e.example.clone(),
                e.example_at.clone(),
            ]);
            w.write_record(&rec).map_err(io_error)?;
        }
        w.flush()
    }

    fn slow(&self, rows: &[SlowRow], out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record([
            "file",
            "line",
            "time",
            "group",
            "latency_ms",
            "outcome",
            "error",
        ])
        .map_err(io_error)?;
        for r in rows {
            w.write_record([
                r.file.clone(),
                r.line.to_string(),
                r.time.clone().unwrap_or_default(),
                r.group.clone(),
                r.latency_ms.to_string(),
                r.outcome.to_string(),
                r.error.clone().unwrap_or_default(),
            ])
            .map_err(io_error)?;
        }
        w.flush()
    }
}
