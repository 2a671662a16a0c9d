//! `check`'s output: a line per rule and scope, JSON, or the Monitoring Plugins (Nagios) format.

use crate::check::{perf_data, CheckReport, Rule, Severity};
use std::io::{self, Write};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// A line per rule and scope, then a summary line.
    Text,
    /// One JSON document with the same facts.
    Json,
    /// Monitoring Plugins: one status line with performance data; exit 0/1/2/3.
    Nagios,
}

pub fn render_check(
    format: CheckFormat,
    r: &CheckReport,
    rules: &[Rule],
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        CheckFormat::Json => super::json::write_json(r, out),
        CheckFormat::Text => text(r, out),
        CheckFormat::Nagios => nagios(r, rules, out),
    }
}

fn text(r: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
    let width = r.results.iter().map(|x| x.rule.len()).max().unwrap_or(0);
    for x in &r.results {
        let status = match (x.breached(), x.severity) {
            (false, _) => "OK    ",
            (true, Severity::Critical) => "BREACH",
            (true, Severity::Warning) => "WARN  ",
        };
        writeln!(
            out,
            "{status}  {:width$}  value {:>10}  threshold {:>10}  {}  [{}]",
            x.rule, x.value_text, x.threshold_text, x.scope, r.window.description
        )?;
    }
    let rules = r.results.len();
    writeln!(
        out,
        "{}: {rules} checks, {} breached ({} critical, {} warning) · {} outcomes · {}",
        match r.status {
            "breach" => "BREACH",
            "warning" => "WARNING",
            _ => "OK",
        },
        r.breached_critical + r.breached_warning,
        r.breached_critical,
        r.breached_warning,
        r.outcomes,
        r.window.description
    )
}

fn nagios(r: &CheckReport, rules: &[Rule], out: &mut dyn Write) -> io::Result<()> {
    let state = match r.status {
        "breach" => "CRITICAL",
        "warning" => "WARNING",
        _ => "OK",
    };
    let breached: Vec<String> = r
        .results
        .iter()
        .filter(|x| x.breached())
        .map(|x| format!("{} {} ({})", x.rule, x.value_text, x.scope))
        .collect();
    let summary = if breached.is_empty() {
        format!("{} checks passed, {} outcomes", r.results.len(), r.outcomes)
    } else {
        format!(
            "{} of {} checks breached: {}",
            breached.len(),
            r.results.len(),
            breached.join(", ")
        )
    };
    // Thresholds for perf data: a metric's warning and critical limits across rules. A metric
    // that several rules test (a warning and a critical one) is one label, listed once.
    let mut perf: Vec<String> = Vec::new();
    for x in &r.results {
        let limit = |sev: Severity| {
            rules
                .iter()
                .find(|rule| rule.metric == x.metric && rule.severity == sev)
                .map(|rule| rule.threshold)
        };
        if let Some(p) = perf_data(x, limit(Severity::Warning), limit(Severity::Critical)) {
            let label = p.split("'=").next().unwrap_or_default();
            if !perf.iter().any(|q| q.split("'=").next() == Some(label)) {
                perf.push(p);
            }
        }
    }
    if perf.is_empty() {
        writeln!(out, "TLM {state} - {summary}")
    } else {
        writeln!(out, "TLM {state} - {summary} | {}", perf.join(" "))
    }
}
