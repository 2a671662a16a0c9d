//! Tables for people: comfy-table, fitted to the terminal, coloured only when allowed.

use super::{Renderer, Style};
use crate::duration::{format_ms, trim_float};
use crate::failures::ErrorsReport;
use crate::slow::SlowRow;
use crate::summary::{StatsJson, SummaryReport};
use comfy_table::{presets, Attribute, Cell, CellAlignment, Color, ContentArrangement, Table};
use std::io::{self, Write};

pub struct TableRenderer {
    pub style: Style,
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn percent(rate: Option<f64>) -> String {
    match rate {
        None => "-".into(),
        Some(r) if r > 0.0 && r < 0.0001 => "<0.01%".into(),
        Some(r) => format!("{}%", trim_float(r * 100.0, 2)),
    }
}

fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{} {}", trim_float(v, 1), UNITS[u])
    }
}

/// A rate with three significant digits (`0.00342`, `1.25`, `1234`).
pub fn significant(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return "0".into();
    }
    let digits = (2 - v.abs().log10().floor() as i32).clamp(0, 12) as usize;
    trim_float(v, digits)
}

/// `3599.9` seconds as `59m 59.9s`.
pub fn span_text(seconds: f64) -> String {
    let s = seconds.max(0.0);
    if s < 60.0 {
        return format!("{}s", trim_float(s, 3));
    }
    let s = s.round() as u64;
    let (d, h, m, sec) = (s / 86_400, (s / 3600) % 24, (s / 60) % 60, s % 60);
    match (d, h) {
        (0, 0) => format!("{m}m {sec}s"),
        (0, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}

impl TableRenderer {
    fn table(&self) -> Table {
        let mut t = Table::new();
        t.load_preset(presets::UTF8_BORDERS_ONLY)
            .force_no_tty()
            .set_content_arrangement(ContentArrangement::Dynamic);
        if let Some(w) = self.style.width {
            t.set_width(w);
        }
        if self.style.color {
            t.enforce_styling();
        }
        t
    }

    fn header(&self, text: &str) -> Cell {
        let c = Cell::new(text);
        if self.style.color {
            c.add_attribute(Attribute::Bold)
        } else {
            c
        }
    }

    fn rate_cell(&self, s: &StatsJson) -> Cell {
        let c = Cell::new(percent(s.success_rate)).set_alignment(CellAlignment::Right);
        match s.success_rate {
            Some(r) if self.style.color && r < 0.99 => c.fg(Color::Red),
            Some(r) if self.style.color && r < 0.999 => c.fg(Color::Yellow),
            _ => c,
        }
    }

    fn stats_row(&self, key: &str, s: &StatsJson, with_events: bool, bold: bool) -> Vec<Cell> {
        let right = |t: String| Cell::new(t).set_alignment(CellAlignment::Right);
        let lat = |f: fn(&crate::summary::LatencyJson) -> f64| {
            right(
                s.latency_ms
                    .as_ref()
                    .map_or("-".into(), |l| format_ms(f(l))),
            )
        };
        let mut row = vec![if bold {
            self.header(key)
        } else {
            Cell::new(key)
        }];
        row.push(right(thousands(s.count)));
        if with_events {
            row.push(right(thousands(s.events)));
        }
        row.push(right(
            s.throughput_per_second.map_or("-".into(), significant),
        ));
        row.push(self.rate_cell(s));
        row.push(lat(|l| l.p50));
        row.push(lat(|l| l.p95));
        row.push(lat(|l| l.p99));
        row.push(lat(|l| l.max));
        row
    }
}

impl Renderer for TableRenderer {
    fn errors(&self, r: &ErrorsReport, out: &mut dyn Write) -> io::Result<()> {
        self.errors_impl(r, out)
    }

    fn slow(&self, rows: &[SlowRow], out: &mut dyn Write) -> io::Result<()> {
        self.slow_impl(rows, out)
    }

    fn summary(&self, r: &SummaryReport, out: &mut dyn Write) -> io::Result<()> {
        let i = &r.inputs;
        let files = match i.files.as_slice() {
            [one] => one.clone(),
            many => format!("{} files", many.len()),
        };
        let mut head = format!("{files} ({})", bytes(i.bytes));
        if let Some(span) = &r.span {
            head += &format!(
                " · {} → {} ({})",
                span.start,
                span.end,
                span_text(span.seconds)
            );
        }
        head += &format!(" · {} records", thousands(i.records));
        if i.skipped > 0 {
            head += &format!(" · {} skipped", thousands(i.skipped));
        }
        if i.filtered > 0 {
            head += &format!(" · {} filtered out", thousands(i.filtered));
        }
        writeln!(out, "{head}")?;
        let f = &r.fields;
        let mut detected = Vec::new();
        if let Some(t) = &f.time {
            detected.push(format!(
                "time={t} ({})",
                f.time_format.as_deref().unwrap_or("?")
            ));
        }
        if let Some(l) = &f.latency {
            detected.push(format!(
                "latency={l} ({})",
                f.latency_unit.as_deref().unwrap_or("ms")
            ));
        }
        if let Some(g) = &r.group_by {
            detected.push(format!("group={g}"));
        }
        let outcome: Vec<&str> = [&f.success, &f.status, &f.error]
            .into_iter()
            .filter_map(|x| x.as_deref())
            .collect();
        if !outcome.is_empty() {
            detected.push(format!("outcome={}", outcome.join(",")));
        }
        if let Some(l) = &f.level {
            detected.push(format!("level={l}"));
        }
        if !detected.is_empty() {
            writeln!(out, "fields: {}", detected.join(" · "))?;
        }
        writeln!(out)?;

        if i.records == i.filtered {
            writeln!(
                out,
                "{}",
                if i.records == 0 {
                    "no records to summarize"
                } else {
                    "no record passes the filters"
                }
            )?;
            return self.skipped_line(r, out);
        }
        if r.overall.count == 0 && r.overall.events > 0 {
            self.log_view(r, out)?;
            return self.skipped_line(r, out);
        }
        let with_events = r.overall.events > 0;
        let mut t = self.table();
        let mut header = vec![self.header(r.group_by.as_deref().unwrap_or("group"))];
        header.push(self.header("count"));
        if with_events {
            header.push(self.header("events"));
        }
        for h in ["req/s", "success", "p50", "p95", "p99", "max"] {
            header.push(self.header(h));
        }
        t.set_header(header);
        for g in &r.groups {
            t.add_row(self.stats_row(&g.key, &g.stats, with_events, false));
        }
        t.add_row(self.stats_row("(total)", &r.overall, with_events, true));
        writeln!(out, "{t}")?;

        if !r.errors.is_empty() {
            writeln!(out)?;
            let mut t = self.table();
            t.set_header(vec![
                self.header("errors"),
                self.header("count"),
                self.header("share"),
            ]);
            let failures = r.overall.failures.max(1) as f64;
            for e in &r.errors {
                t.add_row(vec![
                    Cell::new(&e.message),
                    Cell::new(thousands(e.count)).set_alignment(CellAlignment::Right),
                    Cell::new(percent(Some(e.count as f64 / failures)))
                        .set_alignment(CellAlignment::Right),
                ]);
            }
            if r.errors_not_listed > 0 {
                t.add_row(vec![
                    Cell::new("(other errors)"),
                    Cell::new(thousands(r.errors_not_listed)).set_alignment(CellAlignment::Right),
                    Cell::new(percent(Some(r.errors_not_listed as f64 / failures)))
                        .set_alignment(CellAlignment::Right),
                ]);
            }
            writeln!(out, "{t}")?;
            if r.errors_pruned_rows > 0 {
                writeln!(
                    out,
                    "{}",
                    pruned_note(
                        r.errors_pruned_rows,
                        r.errors_pruned,
                        r.errors_undercount_at_most
                    )
                )?;
            }
        }

        if !r.levels.is_empty() {
            let levels: Vec<String> = r
                .levels
                .iter()
                .map(|(l, n)| format!("{l} {}", thousands(n.as_u64().unwrap_or(0))))
                .collect();
            writeln!(out, "\nevents by level: {}", levels.join(" · "))?;
        }
        self.skipped_line(r, out)
    }
}

impl TableRenderer {
    fn skipped_line(&self, r: &SummaryReport, out: &mut dyn Write) -> io::Result<()> {
        let i = &r.inputs;
        if i.skipped > 0 {
            writeln!(out)?;
            let reasons: Vec<String> = i
                .skipped_by_reason
                .iter()
                .map(|(k, v)| format!("{k} {}", thousands(*v)))
                .collect();
            write!(out, "skipped lines: {}", reasons.join(", "))?;
            if let Some(ex) = &r.first_skipped {
                write!(out, " (first: {}:{}, {})", ex.file, ex.line, ex.reason)?;
            }
            writeln!(out)?;
        }
        Ok(())
    }
}

impl TableRenderer {
    /// A log without outcomes: events by level, events per second, error-level messages.
    fn log_view(&self, r: &SummaryReport, out: &mut dyn Write) -> io::Result<()> {
        let rate = r
            .events_per_second
            .map_or(String::new(), |e| format!(" ({}/s)", significant(e)));
        writeln!(
            out,
            "{} events{rate}, no requests or operations (no latency, success or status fields)",
            thousands(r.overall.events)
        )?;
        let total = r.overall.events.max(1) as f64;
        if !r.levels.is_empty() {
            writeln!(out)?;
            let mut t = self.table();
            t.set_header(vec![
                self.header("level"),
                self.header("events"),
                self.header("share"),
            ]);
            for (l, n) in &r.levels {
                let n = n.as_u64().unwrap_or(0);
                t.add_row(vec![
                    Cell::new(l),
                    Cell::new(thousands(n)).set_alignment(CellAlignment::Right),
                    Cell::new(percent(Some(n as f64 / total))).set_alignment(CellAlignment::Right),
                ]);
            }
            writeln!(out, "{t}")?;
        }
        if !r.error_events.is_empty() {
            writeln!(out)?;
            let mut t = self.table();
            t.set_header(vec![
                self.header("error-level messages"),
                self.header("count"),
            ]);
            for e in &r.error_events {
                t.add_row(vec![
                    Cell::new(&e.message),
                    Cell::new(thousands(e.count)).set_alignment(CellAlignment::Right),
                ]);
            }
            writeln!(out, "{t}")?;
        }
        Ok(())
    }

    fn errors_impl(&self, r: &ErrorsReport, out: &mut dyn Write) -> io::Result<()> {
        let mut head = format!(
            "{} errors ({} failures, {} error-level events) in {} records",
            thousands(r.total),
            thousands(r.failures),
            thousands(r.error_events),
            thousands(r.inputs.records)
        );
        head += if r.clustered {
            " · similar messages clustered (--raw to keep them apart)"
        } else {
            " · raw messages"
        };
        writeln!(out, "{head}")?;
        if r.errors.is_empty() {
            return writeln!(out, "no errors");
        }
        writeln!(out)?;
        let by = r.errors.iter().any(|e| e.group.is_some());
        let mut t = self.table();
        let mut header = Vec::new();
        if by {
            header.push(self.header(r.group_by.as_deref().unwrap_or("group")));
        }
        header.push(self.header(if r.clustered { "template" } else { "message" }));
        for h in ["count", "share", "first seen", "last seen", "groups"] {
            header.push(self.header(h));
        }
        t.set_header(header);
        for e in &r.errors {
            let mut row = Vec::new();
            if let Some(g) = &e.group {
                row.push(Cell::new(g));
            }
            let mut text = e.template.clone();
            if r.clustered && e.example != e.template {
                text += &format!("\n  e.g. {}", e.example);
            }
            text += &format!("\n  at {}", e.example_at);
            if e.error_events > 0 && e.failures == 0 {
                text += " [log]";
            }
            row.push(Cell::new(text));
            row.push(Cell::new(thousands(e.count)).set_alignment(CellAlignment::Right));
            row.push(Cell::new(percent(Some(e.share))).set_alignment(CellAlignment::Right));
            row.push(Cell::new(e.first_seen.as_deref().unwrap_or("-")));
            row.push(Cell::new(e.last_seen.as_deref().unwrap_or("-")));
            let groups: Vec<String> = e.groups.iter().map(|(g, n)| format!("{g} {n}")).collect();
            row.push(Cell::new(groups.join(", ")));
            t.add_row(row);
        }
        writeln!(out, "{t}")?;
        if r.not_listed > 0 {
            writeln!(
                out,
                "{} more errors in other rows (--top to see more)",
                thousands(r.not_listed)
            )?;
        }
        if r.pruned_rows > 0 {
            writeln!(
                out,
                "{}",
                pruned_note(r.pruned_rows, r.pruned_errors, r.undercount_at_most)
            )?;
        }
        Ok(())
    }

    fn slow_impl(&self, rows: &[SlowRow], out: &mut dyn Write) -> io::Result<()> {
        if rows.is_empty() {
            return writeln!(out, "no outcome matched");
        }
        let mut t = self.table();
        t.set_header(
            ["time", "group", "latency", "outcome", "error", "at"]
                .map(|h| self.header(h))
                .to_vec(),
        );
        for r in rows {
            let outcome = Cell::new(r.outcome);
            let outcome = if self.style.color && r.outcome == "failure" {
                outcome.fg(Color::Red)
            } else {
                outcome
            };
            t.add_row(vec![
                Cell::new(r.time.as_deref().unwrap_or("-")),
                Cell::new(&r.group),
                Cell::new(format_ms(r.latency_ms)).set_alignment(CellAlignment::Right),
                outcome,
                Cell::new(r.error.as_deref().unwrap_or("")),
                Cell::new(format!("{}:{}", r.file, r.line)),
            ]);
        }
        writeln!(out, "{t}")
    }
}

/// The note under an error table whose rare rows were dropped to bound memory.
fn pruned_note(rows: u64, errors: u64, undercount: u64) -> String {
    format!(
        "more distinct messages than tlm keeps: {} rows of rare ones were dropped ({} errors); \
         the counts above are lower bounds, short by at most {}",
        thousands(rows),
        thousands(errors),
        thousands(undercount)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1234), "1,234");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(percent(Some(0.985)), "98.5%");
        assert_eq!(percent(Some(1.0)), "100%");
        assert_eq!(percent(None), "-");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(span_text(3599.0), "59m 59s");
        assert_eq!(span_text(1.5), "1.5s");
        assert_eq!(span_text(119.877), "2m 0s");
        assert_eq!(span_text(7300.0), "2h 1m");
        assert_eq!(significant(0.003421), "0.00342");
        assert_eq!(significant(1.2549), "1.25");
        assert_eq!(significant(1234.6), "1235");
    }
}
