//! Integration tests for `tlm check`, checked against an independent reference.
//!
//! The reference reads the inputs with plain `serde_json::Value` handling (the README's candidate
//! fields and outcome rule, in `tests/common`), selects the records of the window the way the
//! spec of `check` defines it (`--last N`: the N most recent outcomes by time; `--window D`:
//! records in (end - D, end]; `--for D`: buckets of `--bucket` ending at `end`, bucket k being
//! (end - (k+1)·bucket, end - k·bucket]), computes every figure exactly (nearest-rank
//! percentiles over the sorted latencies) and decides each rule: a rule HOLDS when
//! `value OP threshold`; `--max-X` means `X <= t`, `--min-X` means `X >= t`; under `--for` a rule
//! is breached only when it is breached in every bucket (a bucket without a value does not
//! breach). It shares no code with `src/`.
//!
//! Each case runs `tlm check` in the three formats and compares the exit code, and in JSON every
//! result's status and measured value (rates as fractions, latencies in ms; percentiles within
//! 0.1% + 1 µs, since tlm reads them from an HdrHistogram).
//!
//! `fixtures/incident.jsonl` is a crafted checkout service log: requests every 1.7 s from
//! 12:00:01.8Z to 12:24:00Z on 2025-03-01 on three endpoints (`/search`, `/checkout`, `/login`),
//! healthy (about 1% errors, latencies 15–200 ms) until 12:20:00Z, then a 4-minute incident that
//! is still going at the newest record (`/checkout` fails every second request, 1.2–3.5 s,
//! `/search` slows to 250–750 ms with 10% errors, `/login` unaffected). The times are chosen so
//! that no record falls on a bucket or window boundary used by the incident tests. A few events
//! (pool stats, circuit breaker, an error-level health check message) carry no outcome fields,
//! and one healthy request of 12:19:45Z is written last (flushed late), so file order is not time
//! order.

mod common;

use common::{
    fixture, group_key, lines_of, lookup, nearest_rank, parse_datetime, parse_go_duration,
    parse_line, run, t, Fields, Outcome, Parsed, EXACT_REL, PCT_ABS, PCT_REL, TIME_REL,
};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

// ================================================================================================
// The reference: records and figures
// ================================================================================================

struct Rec {
    obj: Map<String, Value>,
    /// Unix seconds.
    time: Option<f64>,
    /// Milliseconds.
    latency: Option<f64>,
    outcome: Outcome,
}

impl Rec {
    /// The group key: the `--by` field(s), else the first group candidate, else `(none)`.
    fn group(&self, by: Option<&str>) -> String {
        group_key(&self.obj, by).0
    }

    fn str_field(&self, field: &str) -> &str {
        lookup(&self.obj, field)
            .and_then(Value::as_str)
            .unwrap_or("")
    }
}

/// One input file as the reference reads it.
struct Input {
    /// The path given to tlm (relative to the repository, or absolute).
    path: String,
    lines: u64,
    blank: u64,
    skipped: u64,
    /// In file order.
    records: Vec<Rec>,
}

/// `None` for a blank line, `Some(Err(()))` for a skipped one.
fn classify(line: &[u8]) -> Option<Result<Rec, ()>> {
    let obj = match parse_line(line) {
        Parsed::Blank => return None,
        Parsed::Skipped(_) => return Some(Err(())),
        Parsed::Object(obj) => obj,
    };
    let Ok(f) = Fields::read(&obj) else {
        return Some(Err(()));
    };
    let time = f.time.map(|(_, t, _)| t);
    let latency = f.latency.map(|(_, _, ms)| ms);
    let outcome = f.outcome();
    Some(Ok(Rec {
        obj,
        time,
        latency,
        outcome,
    }))
}

impl Input {
    fn from_bytes(path: &str, bytes: &[u8]) -> Input {
        let lines = lines_of(bytes);
        let mut input = Input {
            path: path.to_string(),
            lines: lines.len() as u64,
            blank: 0,
            skipped: 0,
            records: Vec::new(),
        };
        for raw in lines {
            match classify(raw) {
                None => input.blank += 1,
                Some(Err(())) => input.skipped += 1,
                Some(Ok(rec)) => input.records.push(rec),
            }
        }
        input
    }

    fn fixture(name: &str) -> Input {
        let (rel, bytes) = fixture(name);
        Input::from_bytes(&rel, &bytes)
    }

    /// The newest record time (any record, outcome or event).
    fn newest(&self) -> Option<f64> {
        self.records
            .iter()
            .filter_map(|r| r.time)
            .max_by(f64::total_cmp)
    }
}

/// The figures of a set of records.
#[derive(Default, Debug)]
struct Figures {
    count: u64,
    events: u64,
    successes: u64,
    failures: u64,
    /// Sorted.
    latencies: Vec<f64>,
    first: Option<f64>,
    last: Option<f64>,
}

impl Figures {
    fn of<'a>(recs: impl IntoIterator<Item = &'a Rec>) -> Figures {
        let mut f = Figures::default();
        for r in recs {
            match r.outcome {
                Outcome::Event => {
                    f.events += 1;
                    continue;
                }
                Outcome::Success => f.successes += 1,
                Outcome::Failure => f.failures += 1,
            }
            f.count += 1;
            if let Some(ms) = r.latency {
                f.latencies.push(ms);
            }
            if let Some(t) = r.time {
                f.first = Some(f.first.map_or(t, |x: f64| x.min(t)));
                f.last = Some(f.last.map_or(t, |x: f64| x.max(t)));
            }
        }
        f.latencies.sort_by(f64::total_cmp);
        f
    }

    /// The value of a figure; `None` when it is undefined (no outcome, no latency, no span).
    fn value(&self, metric: &str) -> Option<f64> {
        let n = self.count as f64;
        let lat = &self.latencies;
        let pct = |k| (!lat.is_empty()).then(|| nearest_rank(lat, k));
        match metric {
            "count" => Some(n),
            "events" => Some(self.events as f64),
            "successes" => Some(self.successes as f64),
            "failures" => Some(self.failures as f64),
            "success_rate" => (self.count > 0).then(|| self.successes as f64 / n),
            "error_rate" => (self.count > 0).then(|| self.failures as f64 / n),
            "throughput" => {
                let span = self.last? - self.first?;
                (span > 0.0).then(|| n / span)
            }
            "min" => lat.first().copied(),
            "max" => lat.last().copied(),
            "mean" => (!lat.is_empty()).then(|| common::readme_mean(lat)),
            "p50" => pct(500),
            "p90" => pct(900),
            "p95" => pct(950),
            "p99" => pct(990),
            "p999" => pct(999),
            other => panic!("not a per-scope figure: {other}"),
        }
    }
}

// ================================================================================================
// The reference: rules
// ================================================================================================

const FLAGS: &[(&str, &str, &str)] = &[
    ("--max-error-rate", "error_rate", "<="),
    ("--min-success-rate", "success_rate", ">="),
    ("--max-p50", "p50", "<="),
    ("--max-p90", "p90", "<="),
    ("--max-p95", "p95", "<="),
    ("--max-p99", "p99", "<="),
    ("--max-p999", "p999", "<="),
    ("--max-latency", "max", "<="),
    ("--min-throughput", "throughput", ">="),
    ("--min-count", "count", ">="),
    ("--max-failures", "failures", "<="),
    ("--max-skipped-ratio", "skipped_ratio", "<="),
    ("--min-records", "records", ">="),
];

const METRICS: &[&str] = &[
    "count",
    "events",
    "successes",
    "failures",
    "success_rate",
    "error_rate",
    "throughput",
    "min",
    "mean",
    "p50",
    "p90",
    "p95",
    "p99",
    "p999",
    "max",
    "records",
    "skipped",
    "skipped_ratio",
];

fn is_rate(metric: &str) -> bool {
    matches!(metric, "success_rate" | "error_rate" | "skipped_ratio")
}

fn is_latency(metric: &str) -> bool {
    matches!(
        metric,
        "min" | "mean" | "p50" | "p90" | "p95" | "p99" | "p999" | "max"
    )
}

fn is_data_quality(metric: &str) -> bool {
    matches!(metric, "records" | "skipped" | "skipped_ratio")
}

/// A threshold in the figure's base unit: a fraction, milliseconds, per second, or a number.
fn threshold_of(metric: &str, text: &str) -> f64 {
    let t = text.trim();
    fn fail(metric: &str, t: &str) -> ! {
        panic!("test bug: threshold {t:?} for {metric}")
    }
    if is_rate(metric) {
        match t.strip_suffix('%') {
            Some(p) => p.trim().parse::<f64>().unwrap_or_else(|_| fail(metric, t)) / 100.0,
            None => t.parse().unwrap_or_else(|_| fail(metric, t)),
        }
    } else if is_latency(metric) {
        t.parse::<f64>()
            .ok()
            .or_else(|| parse_go_duration(t))
            .unwrap_or_else(|| fail(metric, t))
    } else if metric == "throughput" {
        let (n, per) = match t.split_once('/') {
            Some((n, "s")) => (n, 1.0),
            Some((n, "m")) => (n, 60.0),
            Some((n, "h")) => (n, 3600.0),
            Some(_) => fail(metric, t),
            None => (t, 1.0),
        };
        n.trim().parse::<f64>().unwrap_or_else(|_| fail(metric, t)) / per
    } else {
        t.parse().unwrap_or_else(|_| fail(metric, t))
    }
}

/// A rule, as given to tlm (`args`) and as the reference reads it.
#[derive(Clone, Debug)]
struct Rule {
    args: Vec<String>,
    metric: String,
    op: String,
    threshold: f64,
    warning: bool,
    group: Option<String>,
}

impl Rule {
    /// `--max-p95 500ms` and the like.
    fn flag(flag: &str, value: impl Into<String>) -> Rule {
        let value = value.into();
        let &(_, metric, op) = FLAGS
            .iter()
            .find(|(f, _, _)| *f == flag)
            .unwrap_or_else(|| panic!("test bug: unknown flag {flag}"));
        Rule {
            args: vec![flag.to_string(), value.clone()],
            metric: metric.to_string(),
            op: op.to_string(),
            threshold: threshold_of(metric, &value),
            warning: false,
            group: None,
        }
    }

    /// `--rule TEXT`.
    fn general(text: impl Into<String>) -> Rule {
        let text = text.into();
        let mut r = Rule::parse(&text, false);
        r.args = vec!["--rule".to_string(), text];
        r
    }

    /// `--warn TEXT`.
    fn warn(text: impl Into<String>) -> Rule {
        let text = text.into();
        let mut r = Rule::parse(&text, true);
        r.args = vec!["--warn".to_string(), text];
        r
    }

    /// `[warn ][group=NAME: ]METRIC OP VALUE` (no args: for rules read from a file).
    fn parse(text: &str, warning: bool) -> Rule {
        let mut rest = text.trim();
        let mut warning = warning;
        if let Some(r) = rest.strip_prefix("warn ") {
            warning = true;
            rest = r.trim_start();
        }
        let mut group = None;
        if let Some(r) = rest.strip_prefix("group=") {
            let (name, after) = r.split_once(':').expect("test bug: group without ':'");
            group = Some(name.to_string());
            rest = after.trim_start();
        }
        let pos = rest.find(['<', '>']).expect("test bug: no operator");
        let metric = rest[..pos].trim().to_string();
        assert!(METRICS.contains(&metric.as_str()), "test bug: {metric}");
        let after = &rest[pos..];
        let op_len = if after[1..].starts_with('=') { 2 } else { 1 };
        Rule {
            args: Vec::new(),
            threshold: threshold_of(&metric, &after[op_len..]),
            op: after[..op_len].to_string(),
            metric,
            warning,
            group,
        }
    }

    fn holds(&self, v: f64) -> bool {
        match self.op.as_str() {
            "<" => v < self.threshold,
            "<=" => v <= self.threshold,
            ">" => v > self.threshold,
            ">=" => v >= self.threshold,
            op => panic!("test bug: op {op}"),
        }
    }

    fn severity(&self) -> &'static str {
        if self.warning {
            "warning"
        } else {
            "critical"
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Win {
    All,
    Last(usize),
    /// `--window D`
    Window(&'static str),
    /// `--for D [--bucket B]`
    For(&'static str, Option<&'static str>),
}

fn seconds(duration: &str) -> f64 {
    parse_go_duration(duration).unwrap_or_else(|| panic!("test bug: duration {duration}")) / 1e3
}

/// The reference's side of `--where`, `--since`, `--until`.
type Keep = fn(&Rec) -> bool;

/// One `tlm check` invocation.
struct Case<'a> {
    input: &'a Input,
    rules: Vec<Rule>,
    by: Option<&'static str>,
    win: Win,
    now: Option<&'static str>,
    /// Arguments for tlm (`--where`, `--since`, …) and the same condition for the reference.
    filter: Option<(Vec<&'static str>, Keep)>,
    allow_empty: bool,
    fail_on_warn: bool,
    /// More arguments for tlm only (`--rules FILE`).
    extra: Vec<String>,
}

impl<'a> Case<'a> {
    fn new(input: &'a Input, rules: Vec<Rule>) -> Case<'a> {
        Case {
            input,
            rules,
            by: None,
            win: Win::All,
            now: None,
            filter: None,
            allow_empty: false,
            fail_on_warn: false,
            extra: Vec::new(),
        }
    }
    fn by(mut self, field: &'static str) -> Self {
        self.by = Some(field);
        self
    }
    fn win(mut self, win: Win) -> Self {
        self.win = win;
        self
    }
    fn now(mut self, now: &'static str) -> Self {
        self.now = Some(now);
        self
    }
    fn filter(mut self, args: Vec<&'static str>, keep: Keep) -> Self {
        self.filter = Some((args, keep));
        self
    }
    fn allow_empty(mut self) -> Self {
        self.allow_empty = true;
        self
    }
    fn fail_on_warn(mut self) -> Self {
        self.fail_on_warn = true;
        self
    }

    fn args(&self, format: &str) -> Vec<String> {
        let mut a: Vec<String> = vec!["check".into(), "--format".into(), format.into()];
        a.push(self.input.path.clone());
        for r in &self.rules {
            a.extend(r.args.iter().cloned());
        }
        if let Some(by) = self.by {
            a.extend(["--by".into(), by.into()]);
        }
        match self.win {
            Win::All => {}
            Win::Last(n) => a.extend(["--last".into(), n.to_string()]),
            Win::Window(d) => a.extend(["--window".into(), d.into()]),
            Win::For(d, bucket) => {
                a.extend(["--for".into(), d.into()]);
                if let Some(b) = bucket {
                    a.extend(["--bucket".into(), b.into()]);
                }
            }
        }
        if let Some(now) = self.now {
            a.extend(["--now".into(), now.into()]);
        }
        if let Some((args, _)) = &self.filter {
            a.extend(args.iter().map(|s| s.to_string()));
        }
        if self.allow_empty {
            a.push("--allow-empty".into());
        }
        if self.fail_on_warn {
            a.push("--fail-on-warn".into());
        }
        a.extend(self.extra.iter().cloned());
        a
    }
}

/// The reference's verdict on one rule and scope.
#[derive(Debug)]
struct ExpResult {
    rule: Rule,
    scope: String,
    breached: bool,
    /// The value in each bucket (one bucket outside `--for`).
    values: Vec<Option<f64>>,
}

#[derive(Debug)]
struct Expected {
    results: Vec<ExpResult>,
    outcomes: u64,
    no_data: bool,
    breached_critical: usize,
    breached_warning: usize,
    /// "ok", "warning" or "breach"
    status: &'static str,
    /// Exit code in text and JSON.
    code: i32,
    /// Exit code in Nagios format.
    nagios_code: i32,
}

impl Expected {
    fn result(&self, scope: &str, metric: &str) -> &ExpResult {
        self.results
            .iter()
            .find(|r| r.scope == scope && r.rule.metric == metric)
            .unwrap_or_else(|| panic!("no expected result for {metric} on {scope}"))
    }
}

/// The records of each bucket: a single bucket except with `--for`.
fn select<'a>(case: &Case<'a>) -> Vec<Vec<&'a Rec>> {
    let keep = |r: &&Rec| case.filter.as_ref().is_none_or(|(_, f)| f(r));
    let recs: Vec<&Rec> = case.input.records.iter().filter(keep).collect();
    let end = case
        .now
        .map(|n| parse_datetime(n).expect("test bug: --now"))
        .or_else(|| recs.iter().filter_map(|r| r.time).max_by(f64::total_cmp));
    let within = |r: &Rec, from: f64, to: f64| r.time.is_some_and(|t| t > from && t <= to);
    match case.win {
        Win::All => vec![recs],
        Win::Last(n) => {
            let mut outcomes: Vec<&Rec> = recs
                .into_iter()
                .filter(|r| r.outcome != Outcome::Event && r.time.is_some())
                .collect();
            outcomes.sort_by(|a, b| b.time.unwrap().total_cmp(&a.time.unwrap()));
            outcomes.truncate(n);
            vec![outcomes]
        }
        Win::Window(d) => {
            let Some(end) = end else { return vec![vec![]] };
            let span = seconds(d);
            vec![recs
                .into_iter()
                .filter(|r| within(r, end - span, end))
                .collect()]
        }
        Win::For(d, bucket) => {
            let span = seconds(d);
            let size = seconds(bucket.unwrap_or("1m"));
            let n = (span / size).ceil() as usize;
            let Some(end) = end else {
                return vec![vec![]; n];
            };
            (0..n)
                .map(|k| {
                    let to = end - k as f64 * size;
                    let from = (end - (k + 1) as f64 * size).max(end - span);
                    recs.iter()
                        .copied()
                        .filter(|r| within(r, from, to))
                        .collect()
                })
                .collect()
        }
    }
}

fn expect(case: &Case) -> Expected {
    let buckets = select(case);
    let group_key = |r: &Rec| r.group(case.by);
    // Groups with at least one outcome: a group of log events alone has no figures to check.
    let groups: BTreeSet<String> = match case.by {
        Some(_) => buckets
            .iter()
            .flatten()
            .filter(|r| r.outcome != Outcome::Event)
            .map(|r| group_key(r))
            .collect(),
        None => BTreeSet::new(),
    };
    let input = case.input;
    let mut results = Vec::new();
    for rule in &case.rules {
        let mut scopes: Vec<(String, Option<String>)> = Vec::new();
        match &rule.group {
            Some(g) => scopes.push((format!("group {g}"), Some(g.clone()))),
            None => {
                scopes.push(("overall".to_string(), None));
                if !is_data_quality(&rule.metric) {
                    scopes.extend(
                        groups
                            .iter()
                            .map(|g| (format!("group {g}"), Some(g.clone()))),
                    );
                }
            }
        }
        for (scope, group) in scopes {
            let values: Vec<Option<f64>> = buckets
                .iter()
                .map(|b| match rule.metric.as_str() {
                    "records" => Some(input.records.len() as f64),
                    "skipped" => Some(input.skipped as f64),
                    "skipped_ratio" => {
                        let non_blank = input.lines - input.blank;
                        Some(if non_blank == 0 {
                            0.0
                        } else {
                            input.skipped as f64 / non_blank as f64
                        })
                    }
                    m => Figures::of(
                        b.iter()
                            .copied()
                            .filter(|r| group.as_ref().is_none_or(|g| group_key(r) == *g)),
                    )
                    .value(m),
                })
                .collect();
            let breached =
                !values.is_empty() && values.iter().all(|v| v.is_some_and(|v| !rule.holds(v)));
            results.push(ExpResult {
                rule: rule.clone(),
                scope,
                breached,
                values,
            });
        }
    }
    let outcomes: u64 = buckets
        .iter()
        .flatten()
        .filter(|r| r.outcome != Outcome::Event)
        .count() as u64;
    let no_data = outcomes == 0;
    let breached_critical = results
        .iter()
        .filter(|r| r.breached && !r.rule.warning)
        .count();
    let breached_warning = results
        .iter()
        .filter(|r| r.breached && r.rule.warning)
        .count();
    let critical = breached_critical > 0 || (no_data && !case.allow_empty);
    Expected {
        results,
        outcomes,
        no_data,
        breached_critical,
        breached_warning,
        status: if critical {
            "breach"
        } else if breached_warning > 0 {
            "warning"
        } else {
            "ok"
        },
        code: i32::from(critical || (case.fail_on_warn && breached_warning > 0)),
        nagios_code: if critical {
            2
        } else if breached_warning > 0 {
            1
        } else {
            0
        },
    }
}

// ================================================================================================
// Running tlm and comparing
// ================================================================================================

fn shell(args: &[String]) -> String {
    let quoted: Vec<String> = args
        .iter()
        .map(|a| {
            if a.contains([' ', '<', '>', '%', '~', '^', '(']) {
                format!("'{a}'")
            } else {
                a.clone()
            }
        })
        .collect();
    format!("tlm {}", quoted.join(" "))
}

/// A figure within its tolerance: percentiles 0.1% + 1 µs, throughput 1e-6, the rest 1e-9.
fn close(got: f64, exp: f64, metric: &str) -> bool {
    if matches!(metric, "p50" | "p90" | "p95" | "p99" | "p999") {
        common::close(got, exp, PCT_REL, PCT_ABS)
    } else if metric == "throughput" {
        common::close(got, exp, TIME_REL, 0.0)
    } else {
        common::close(got, exp, EXACT_REL, 1e-12)
    }
}

fn show(v: Option<f64>) -> String {
    v.map_or("null".to_string(), |v| v.to_string())
}

/// Runs the case in JSON, text and Nagios format and compares everything with the reference.
/// Returns the reference's verdict and tlm's JSON document.
fn run_case(case: &Case) -> (Expected, Value) {
    let exp = expect(case);
    let mut problems: Vec<String> = Vec::new();

    // JSON
    let args = case.args("json");
    let cmd = shell(&args);
    let out = run(&args);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{cmd}: stdout is not one JSON document ({e}); exit {:?}\nstdout: {}\nstderr: {}",
            out.code, out.stdout, out.stderr
        )
    });
    if out.code != Some(exp.code) {
        problems.push(format!(
            "exit code: expected {}, got {:?}",
            exp.code, out.code
        ));
    }
    if doc["status"] != exp.status {
        problems.push(format!(
            "/status: expected {:?}, got {}",
            exp.status, doc["status"]
        ));
    }
    if doc["no_data"] != exp.no_data {
        problems.push(format!(
            "/no_data: expected {}, got {}",
            exp.no_data, doc["no_data"]
        ));
    }
    if doc["outcomes"].as_u64() != Some(exp.outcomes) {
        problems.push(format!(
            "/outcomes: expected {}, got {}",
            exp.outcomes, doc["outcomes"]
        ));
    }
    if !exp.no_data {
        for (key, n) in [
            ("breached_critical", exp.breached_critical),
            ("breached_warning", exp.breached_warning),
        ] {
            if doc[key].as_u64() != Some(n as u64) {
                problems.push(format!("/{key}: expected {n}, got {}", doc[key]));
            }
        }
    }
    let empty = Vec::new();
    let got = doc["results"].as_array().unwrap_or(&empty);
    let mut matched = vec![false; got.len()];
    for e in &exp.results {
        let r = &e.rule;
        let hits: Vec<usize> = (0..got.len())
            .filter(|&i| {
                let g = &got[i];
                g["metric"] == r.metric.as_str()
                    && g["op"] == r.op.as_str()
                    && g["scope"] == e.scope.as_str()
                    && g["severity"] == r.severity()
                    && g["threshold"]
                        .as_f64()
                        .is_some_and(|t| (t - r.threshold).abs() <= r.threshold.abs() * 1e-9)
            })
            .collect();
        let what = format!(
            "{} {} {} ({}, {})",
            r.metric,
            r.op,
            r.threshold,
            r.severity(),
            e.scope
        );
        let [i] = hits[..] else {
            problems.push(format!("{what}: expected one result, found {}", hits.len()));
            continue;
        };
        matched[i] = true;
        let g = &got[i];
        let want = if e.breached { "breach" } else { "ok" };
        if g["status"] != want {
            problems.push(format!(
                "{what}: expected {want} (value {}), got {} (value {})",
                e.values
                    .iter()
                    .map(|v| show(*v))
                    .collect::<Vec<_>>()
                    .join(" / "),
                g["status"],
                g["value"]
            ));
        }
        let value = g["value"].as_f64();
        let defined: Vec<f64> = e.values.iter().flatten().copied().collect();
        let ok = match value {
            None => defined.is_empty() && (g["value"].is_null()),
            Some(v) if e.values.len() == 1 => {
                defined.first().is_some_and(|&x| close(v, x, &r.metric))
            }
            // --for: the value shown is one of the buckets' values
            Some(v) => defined.iter().any(|&x| close(v, x, &r.metric)),
        };
        if !ok {
            problems.push(format!(
                "{what}: value expected {}, got {}",
                e.values
                    .iter()
                    .map(|v| show(*v))
                    .collect::<Vec<_>>()
                    .join(if e.values.len() > 1 {
                        " or (per bucket) "
                    } else {
                        ""
                    }),
                g["value"]
            ));
        }
    }
    let mut no_data_results = 0;
    for (i, g) in got.iter().enumerate() {
        if matched[i] || g["status"] != "breach" {
            continue;
        }
        if exp.no_data && !case.allow_empty && no_data_results == 0 {
            no_data_results += 1; // the "no data" breach
            continue;
        }
        problems.push(format!("unexpected breach: {g}"));
    }

    // Text: a line per rule and scope starting OK / BREACH / WARN, then a summary line.
    let targs = case.args("text");
    let text = run(&targs);
    if text.code != Some(exp.code) {
        problems.push(format!(
            "text format: exit code expected {}, got {:?}",
            exp.code, text.code
        ));
    }
    let lines: Vec<&str> = text.stdout.lines().collect();
    if lines.len() != got.len() + 1 {
        problems.push(format!(
            "text format: expected {} result lines and a summary line, got {} lines:\n{}",
            got.len(),
            lines.len(),
            text.stdout
        ));
    } else {
        for (line, g) in lines.iter().zip(got) {
            let word = match (g["status"].as_str(), g["severity"].as_str()) {
                (Some("breach"), Some("warning")) => "WARN",
                (Some("breach"), _) => "BREACH",
                _ => "OK",
            };
            let scope = g["scope"].as_str().unwrap_or("?");
            if !line.starts_with(word) || !line.contains(scope) {
                problems.push(format!(
                    "text format: line {line:?} should start with {word} and name {scope:?}"
                ));
            }
        }
    }
    for e in exp.results.iter().filter(|e| e.breached) {
        let word = if e.rule.warning { "WARN" } else { "BREACH" };
        if !lines
            .iter()
            .any(|l| l.starts_with(word) && l.contains(&e.scope))
        {
            problems.push(format!(
                "text format: no {word} line names {:?}:\n{}",
                e.scope, text.stdout
            ));
        }
    }

    // Nagios: one status line, exit 0/1/2.
    let nargs = case.args("nagios");
    let nagios = run(&nargs);
    let state = ["OK", "WARNING", "CRITICAL"][exp.nagios_code as usize];
    if nagios.code != Some(exp.nagios_code)
        || !nagios.stdout.starts_with(&format!("TLM {state} - "))
        || nagios.stdout.lines().count() != 1
    {
        problems.push(format!(
            "nagios format: expected one line `TLM {state} - …` and exit {}, got exit {:?}:\n{}",
            exp.nagios_code, nagios.code, nagios.stdout
        ));
    }

    if !problems.is_empty() {
        panic!(
            "{cmd}\n{} mismatch(es) with the reference:\n  - {}\nstdout (json):\n{}\nstderr: {}",
            problems.len(),
            problems.join("\n  - "),
            out.stdout,
            out.stderr
        );
    }
    (exp, doc)
}

/// A JSON result by scope and metric.
fn result<'a>(doc: &'a Value, scope: &str, metric: &str) -> &'a Value {
    doc["results"]
        .as_array()
        .and_then(|rs| {
            rs.iter()
                .find(|r| r["scope"] == scope && r["metric"] == metric)
        })
        .unwrap_or_else(|| panic!("no result for {metric} on {scope} in {doc}"))
}

fn breached_scopes(doc: &Value) -> BTreeSet<String> {
    doc["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["status"] == "breach")
        .filter_map(|r| r["scope"].as_str().map(str::to_string))
        .collect()
}

// Thresholds just above / below a true value, far enough for the 0.1% percentile error.

fn ms_above(v: f64) -> String {
    format!("{:.4}ms", v * 1.005)
}
fn ms_below(v: f64) -> String {
    format!("{:.4}ms", v * 0.995)
}
/// A rate just above, as a percentage (`12.3456789%`).
fn pct_above(v: f64) -> String {
    format!("{:.7}%", v * 100.0 + 1e-4)
}
fn pct_below(v: f64) -> String {
    format!("{:.7}%", v * 100.0 - 1e-4)
}
/// A rate just above, as a fraction (`0.123456789`).
fn frac_above(v: f64) -> String {
    format!("{:.9}", v + 1e-6)
}
fn frac_below(v: f64) -> String {
    format!("{:.9}", v - 1e-6)
}

const INCIDENT_START: &str = "2025-03-01T12:20:00Z";
const INCIDENT_END: &str = "2025-03-01T12:24:00Z";

fn incident() -> Input {
    Input::fixture("incident.jsonl")
}

fn in_incident(r: &Rec) -> bool {
    r.time.is_some_and(|x| x > t(INCIDENT_START))
}

// ================================================================================================
// The incident fixture
// ================================================================================================

/// The premises the other tests rely on, checked with the reference.
#[test]
fn incident_fixture_is_what_the_tests_assume() {
    let input = incident();
    assert_eq!(input.skipped, 0);
    assert_eq!(input.newest(), Some(t(INCIDENT_END)));
    // The file's last line is older than the newest record (flushed late).
    let last = input.records.last().unwrap();
    assert!(last.time.unwrap() < t(INCIDENT_START) && last.outcome == Outcome::Success);
    // No two outcomes share a time (so "the N most recent" is well defined).
    let mut times: Vec<f64> = input
        .records
        .iter()
        .filter(|r| r.outcome != Outcome::Event)
        .map(|r| r.time.unwrap())
        .collect();
    times.sort_by(f64::total_cmp);
    times.dedup();
    assert_eq!(times.len() as u64, Figures::of(&input.records).count);
    // No record lies on a bucket or window boundary used below (they are the edge cases of
    // their own test), so the incident tests do not depend on them.
    let end = t(INCIDENT_END);
    for (last, step, n) in [
        (INCIDENT_END, 60.0, 10),
        (INCIDENT_END, 30.0, 4),
        (INCIDENT_START, 600.0, 1),
        ("2025-03-01T12:22:00Z", 60.0, 4),
        ("2025-03-01T12:25:02Z", 60.0, 4),
    ] {
        for k in 1..=n {
            let edge = t(last) - k as f64 * step;
            assert!(
                input
                    .records
                    .iter()
                    .all(|r| (r.time.unwrap() - edge).abs() > 0.001),
                "a record lies on {k} × {step}s before {last}"
            );
        }
    }
    // Every minute of the incident is bad, the minute before it is healthy.
    let minute = |k: f64| {
        Figures::of(input.records.iter().filter(|r| {
            r.time
                .is_some_and(|x| x > end - (k + 1.0) * 60.0 && x <= end - k * 60.0)
        }))
    };
    for k in 0..4 {
        let f = minute(k as f64);
        assert!(f.value("error_rate").unwrap() > 0.10, "minute {k}: {f:?}");
        assert!(f.value("p95").unwrap() > 1000.0, "minute {k}");
    }
    let before = minute(4.0);
    assert!(before.value("error_rate").unwrap() < 0.05);
    assert!(before.value("p95").unwrap() < 300.0);
    assert!(before.count > 30);
    // The healthy period as a whole.
    let healthy = Figures::of(input.records.iter().filter(|r| !in_incident(r)));
    assert!(healthy.value("error_rate").unwrap() < 0.02);
    assert!(healthy.value("p99").unwrap() < 250.0);
    let bad = Figures::of(input.records.iter().filter(|r| in_incident(r)));
    assert!(bad.value("error_rate").unwrap() > 0.15);
}

// ================================================================================================
// Thresholds just above and just below the true figures
// ================================================================================================

/// Every flag, on the lenient side of the true figure (all hold, exit 0), then each one alone on
/// the strict side (breached, exit 1); the measured values in JSON match the reference.
#[test]
fn flags_just_above_and_below_the_true_figures() {
    let input = incident();
    let f = Figures::of(&input.records);
    let v = |m: &str| f.value(m).unwrap();
    let lenient = vec![
        Rule::flag("--max-error-rate", pct_above(v("error_rate"))),
        Rule::flag("--min-success-rate", frac_below(v("success_rate"))),
        Rule::flag("--max-p50", ms_above(v("p50"))),
        Rule::flag("--max-p90", format!("{:.6}s", v("p90") * 1.005 / 1e3)),
        Rule::flag("--max-p95", ms_above(v("p95"))),
        Rule::flag("--max-p99", ms_above(v("p99"))),
        Rule::flag("--max-p999", ms_above(v("p999"))),
        Rule::flag("--max-latency", ms_above(v("max"))),
        Rule::flag(
            "--min-throughput",
            format!("{:.9}/s", v("throughput") * 0.9999),
        ),
        // The bounds are inclusive: exactly the true count holds.
        Rule::flag("--min-count", f.count.to_string()),
        Rule::flag("--max-failures", f.failures.to_string()),
    ];
    let (exp, _) = run_case(&Case::new(&input, lenient));
    assert_eq!(exp.code, 0);

    let strict = vec![
        Rule::flag("--max-error-rate", frac_below(v("error_rate"))),
        Rule::flag("--min-success-rate", pct_above(v("success_rate"))),
        Rule::flag("--max-p50", ms_below(v("p50"))),
        Rule::flag("--max-p90", ms_below(v("p90"))),
        Rule::flag("--max-p95", format!("{:.6}s", v("p95") * 0.995 / 1e3)),
        Rule::flag("--max-p99", ms_below(v("p99"))),
        Rule::flag("--max-p999", ms_below(v("p999"))),
        Rule::flag("--max-latency", ms_below(v("max"))),
        Rule::flag(
            "--min-throughput",
            format!("{:.9}/m", v("throughput") * 60.0 * 1.0001),
        ),
        Rule::flag(
            "--min-throughput",
            format!("{:.9}/h", v("throughput") * 3600.0 * 1.0001),
        ),
        Rule::flag("--min-count", (f.count + 1).to_string()),
        Rule::flag("--max-failures", (f.failures - 1).to_string()),
    ];
    for rule in strict {
        let (exp, doc) = run_case(&Case::new(&input, vec![rule.clone()]));
        assert_eq!(exp.code, 1, "{rule:?}");
        assert_eq!(doc["results"][0]["status"], "breach", "{rule:?}");
    }
}

/// General rules on every figure, with each operator, around the true values.
#[test]
fn general_rules_on_every_figure_and_operator() {
    let input = incident();
    let f = Figures::of(&input.records);
    let v = |m: &str| f.value(m).unwrap();
    let n = |m: &str| v(m) as u64;
    let holding = vec![
        Rule::general(format!("count >= {}", n("count"))),
        Rule::general(format!("count < {}", n("count") + 1)),
        Rule::general(format!("events <= {}", n("events"))),
        Rule::general(format!("successes > {}", n("successes") - 1)),
        Rule::general(format!("failures <= {}", n("failures"))),
        Rule::general(format!("error_rate < {}", pct_above(v("error_rate")))),
        Rule::general(format!("success_rate >= {}", frac_below(v("success_rate")))),
        Rule::general(format!(
            "throughput > {:.9}/m",
            v("throughput") * 60.0 * 0.9999
        )),
        Rule::general(format!("min >= {}", ms_below(v("min")))),
        Rule::general(format!("mean < {}", ms_above(v("mean")))),
        Rule::general(format!("p50 < {}", ms_above(v("p50")))),
        Rule::general(format!("p90 > {}", ms_below(v("p90")))),
        Rule::general(format!("p95 < {}", ms_above(v("p95")))),
        Rule::general(format!("p99 <= {}", ms_above(v("p99")))),
        Rule::general(format!("p999 < {}", ms_above(v("p999")))),
        Rule::general(format!("max <= {}", ms_above(v("max")))),
        Rule::general(format!("records >= {}", input.records.len())),
        Rule::general("skipped <= 0"),
        Rule::general("skipped_ratio < 0.1%"),
    ];
    let (exp, _) = run_case(&Case::new(&input, holding));
    assert_eq!(exp.code, 0);

    let breaching = vec![
        Rule::general(format!("count > {}", n("count"))),
        Rule::general(format!("events < {}", n("events"))),
        Rule::general(format!("successes >= {}", n("successes") + 1)),
        Rule::general(format!("failures < {}", n("failures"))),
        Rule::general(format!("error_rate <= {}", frac_below(v("error_rate")))),
        Rule::general(format!("success_rate > {}", pct_above(v("success_rate")))),
        Rule::general(format!("throughput >= {:.9}", v("throughput") * 1.0001)),
        Rule::general(format!("min > {}", ms_above(v("min")))),
        Rule::general(format!("mean <= {}", ms_below(v("mean")))),
        Rule::general(format!("p95 < {}", ms_below(v("p95")))),
        Rule::general(format!("p99 > {}", ms_above(v("p99")))),
        Rule::general(format!("max < {}", ms_below(v("max")))),
        Rule::general(format!("records > {}", input.records.len())),
    ];
    let (exp, doc) = run_case(&Case::new(&input, breaching.clone()));
    assert_eq!(exp.code, 1);
    assert_eq!(exp.breached_critical, breaching.len());
    assert_eq!(doc["breached_critical"], breaching.len());
}

/// `--by endpoint`: every group is checked as well as the total, and each breaching group is
/// named.
#[test]
fn per_group_thresholds_name_each_breaching_group() {
    let input = incident();
    let group = |g: &str| {
        Figures::of(
            input
                .records
                .iter()
                .filter(|r| r.str_field("endpoint") == g),
        )
    };
    let checkout = group("/checkout");
    let search = group("/search");
    let overall = Figures::of(&input.records);
    let er = |f: &Figures| f.value("error_rate").unwrap();
    // A threshold between /checkout's error rate and everyone else's.
    assert!(er(&checkout) > 0.05 && er(&search) < 0.05 && er(&overall) < 0.05);
    let (exp, doc) =
        run_case(&Case::new(&input, vec![Rule::flag("--max-error-rate", "5%")]).by("endpoint"));
    assert_eq!(exp.code, 1);
    assert_eq!(
        breached_scopes(&doc),
        BTreeSet::from(["group /checkout".to_string()])
    );
    let checkout_er = result(&doc, "group /checkout", "error_rate")["value"]
        .as_f64()
        .unwrap();
    assert!(close(checkout_er, er(&checkout), "error_rate"));

    // Just below and just above /checkout's own error rate and p95: only /checkout moves.
    for (rule, breached) in [
        (
            Rule::flag("--max-error-rate", frac_below(er(&checkout))),
            true,
        ),
        (
            Rule::flag("--max-error-rate", frac_above(er(&checkout))),
            false,
        ),
        (
            Rule::general(format!(
                "p95 <= {}",
                ms_below(checkout.value("p95").unwrap())
            )),
            true,
        ),
        (
            Rule::general(format!(
                "p95 <= {}",
                ms_above(checkout.value("p95").unwrap())
            )),
            false,
        ),
    ] {
        let (exp, doc) = run_case(&Case::new(&input, vec![rule.clone()]).by("endpoint"));
        assert_eq!(exp.code, i32::from(breached), "{rule:?}");
        let want: BTreeSet<String> = if breached {
            BTreeSet::from(["group /checkout".to_string()])
        } else {
            BTreeSet::new()
        };
        assert_eq!(breached_scopes(&doc), want, "{rule:?}");
    }

    // /login is healthy throughout; /search is not, at p99.
    let login = group("/login");
    let (exp, doc) = run_case(
        &Case::new(
            &input,
            vec![Rule::flag(
                "--max-p99",
                ms_above(login.value("p99").unwrap()),
            )],
        )
        .by("endpoint"),
    );
    assert_eq!(exp.code, 1);
    assert_eq!(
        breached_scopes(&doc),
        BTreeSet::from([
            "overall".to_string(),
            "group /checkout".to_string(),
            "group /search".to_string()
        ])
    );
}

// ================================================================================================
// Windows: --last, --window, --for
// ================================================================================================

/// `--last N`: the N most recent outcomes by time (not by file position).
#[test]
fn last_n_outcomes_around_the_incident() {
    let input = incident();
    let incident_outcomes: Vec<&Rec> = input
        .records
        .iter()
        .filter(|r| in_incident(r) && r.outcome != Outcome::Event)
        .collect();
    let n = incident_outcomes.len();
    let f = Figures::of(incident_outcomes.iter().copied());
    let er = f.value("error_rate").unwrap();
    // By file position the last N outcomes would include the late 12:19:45 line.
    let by_position: Vec<&Rec> = input
        .records
        .iter()
        .filter(|r| r.outcome != Outcome::Event)
        .rev()
        .take(n)
        .collect();
    assert!(by_position.iter().any(|r| !in_incident(r)));

    for (rule, code) in [
        (Rule::flag("--max-error-rate", frac_below(er)), 1),
        (Rule::flag("--max-error-rate", frac_above(er)), 0),
        (Rule::flag("--max-failures", f.failures.to_string()), 0),
        (
            Rule::flag("--max-failures", (f.failures - 1).to_string()),
            1,
        ),
        (
            Rule::flag("--max-p95", ms_below(f.value("p95").unwrap())),
            1,
        ),
        (
            Rule::flag("--max-p95", ms_above(f.value("p95").unwrap())),
            0,
        ),
        (
            Rule::flag(
                "--min-throughput",
                format!("{:.9}/s", f.value("throughput").unwrap() * 1.0001),
            ),
            1,
        ),
    ] {
        let (exp, doc) = run_case(&Case::new(&input, vec![rule.clone()]).win(Win::Last(n)));
        assert_eq!(exp.code, code, "{rule:?}");
        assert_eq!(doc["outcomes"], n, "{rule:?}");
    }

    // Event Kit's "more than 10 errors in the last 100 requests", on the incident.
    let last100 = Figures::of(incident_outcomes.iter().rev().take(100).copied());
    assert!(last100.failures > 10);
    let (exp, _) =
        run_case(&Case::new(&input, vec![Rule::flag("--max-failures", "10")]).win(Win::Last(100)));
    assert_eq!(exp.code, 1);
    // One more than the incident reaches into the healthy period.
    let (exp, _) = run_case(
        &Case::new(&input, vec![Rule::flag("--max-error-rate", frac_below(er))])
            .win(Win::Last(n + 1)),
    );
    assert_eq!(exp.code, 0);
    // Per group.
    let (_, doc) = run_case(
        &Case::new(&input, vec![Rule::flag("--max-p95", "1s")])
            .by("endpoint")
            .win(Win::Last(n)),
    );
    assert_eq!(
        breached_scopes(&doc),
        BTreeSet::from(["overall".to_string(), "group /checkout".to_string()])
    );
}

/// `--window D`: records in (end - D, end], end the newest record or `--now`.
#[test]
fn window_around_the_incident() {
    let input = incident();
    let bad = Figures::of(input.records.iter().filter(|r| in_incident(r)));
    let er = bad.value("error_rate").unwrap();
    // The last 4 minutes are exactly the incident.
    for (rule, code) in [
        (Rule::flag("--max-error-rate", frac_below(er)), 1),
        (Rule::flag("--max-error-rate", frac_above(er)), 0),
        (
            Rule::flag("--max-p99", ms_below(bad.value("p99").unwrap())),
            1,
        ),
        (
            Rule::flag("--max-p99", ms_above(bad.value("p99").unwrap())),
            0,
        ),
    ] {
        let (exp, doc) = run_case(&Case::new(&input, vec![rule.clone()]).win(Win::Window("4m")));
        assert_eq!(exp.code, code, "{rule:?}");
        assert_eq!(doc["outcomes"], bad.count, "{rule:?}");
    }
    // 5 minutes take in a healthy minute; 1 minute is the worst of it.
    let rules = || {
        vec![
            Rule::flag("--max-error-rate", "5%"),
            Rule::flag("--max-p95", "1s"),
            Rule::general("count >= 100"),
        ]
    };
    let (exp, _) = run_case(&Case::new(&input, rules()).win(Win::Window("5m")));
    assert_eq!(exp.code, 1);
    let (exp, _) = run_case(&Case::new(&input, rules()).win(Win::Window("1m")));
    assert_eq!(exp.code, 1);
    // Ten minutes before the incident: healthy.
    let (exp, _) = run_case(
        &Case::new(&input, rules())
            .win(Win::Window("10m"))
            .now(INCIDENT_START),
    );
    assert_eq!(exp.code, 0);
    // Ending two minutes into the incident, per group.
    let (exp, doc) = run_case(
        &Case::new(&input, rules())
            .win(Win::Window("3m"))
            .now("2025-03-01T12:22:00Z")
            .by("endpoint"),
    );
    assert_eq!(exp.code, 1);
    for metric in ["error_rate", "p95"] {
        assert_eq!(result(&doc, "group /checkout", metric)["status"], "breach");
        assert_eq!(result(&doc, "group /login", metric)["status"], "ok");
    }
    // Shared filters: --where and --since/--until.
    let (exp, _) = run_case(
        &Case::new(&input, vec![Rule::flag("--max-error-rate", "20%")])
            .win(Win::Window("4m"))
            .filter(vec!["--where", "endpoint=/checkout"], |r| {
                r.str_field("endpoint") == "/checkout"
            }),
    );
    assert_eq!(exp.code, 1);
    let (exp, _) = run_case(
        &Case::new(
            &input,
            vec![
                Rule::flag("--max-error-rate", "2%"),
                Rule::flag("--max-p99", "250ms"),
            ],
        )
        .filter(
            vec!["--since", "2025-03-01T12:10:00Z", "--until", INCIDENT_START],
            |r| {
                r.time.is_some_and(|x| {
                    x >= parse_datetime("2025-03-01T12:10:00Z").unwrap()
                        && x < parse_datetime(INCIDENT_START).unwrap()
                })
            },
        ),
    );
    assert_eq!(exp.code, 0);
}

/// `--for D`: breached only when breached in every bucket of the last D.
#[test]
fn sustained_for_around_the_incident() {
    let input = incident();
    let rules = || vec![Rule::flag("--max-error-rate", "10%")];
    // The incident fills the last 4 one-minute buckets.
    for (d, breached) in [("2m", true), ("3m", true), ("4m", true), ("5m", false)] {
        let (exp, doc) = run_case(&Case::new(&input, rules()).win(Win::For(d, None)));
        assert_eq!(exp.code, i32::from(breached), "--for {d}");
        assert_eq!(
            doc["results"][0]["status"],
            if breached { "breach" } else { "ok" },
            "--for {d}"
        );
    }
    // Just above and below the best bucket: the breach must hold in every bucket.
    let buckets = select(&Case::new(&input, vec![]).win(Win::For("3m", None)));
    assert_eq!(buckets.len(), 3);
    let best = |m: &str| {
        buckets
            .iter()
            .map(|b| Figures::of(b.iter().copied()).value(m).unwrap())
            .fold(f64::INFINITY, f64::min)
    };
    for (rule, code) in [
        (
            Rule::flag("--max-error-rate", frac_below(best("error_rate"))),
            1,
        ),
        (
            Rule::flag("--max-error-rate", frac_above(best("error_rate"))),
            0,
        ),
        (Rule::flag("--max-p95", ms_below(best("p95"))), 1),
        (Rule::flag("--max-p95", ms_above(best("p95"))), 0),
    ] {
        let (exp, _) = run_case(&Case::new(&input, vec![rule.clone()]).win(Win::For("3m", None)));
        assert_eq!(exp.code, code, "{rule:?}");
    }
    // Ending at 12:22: the third bucket back (12:19–12:20) is healthy.
    let (exp, _) = run_case(
        &Case::new(&input, rules())
            .win(Win::For("3m", None))
            .now("2025-03-01T12:22:00Z"),
    );
    assert_eq!(exp.code, 0);
    let (exp, _) = run_case(
        &Case::new(&input, rules())
            .win(Win::For("2m", None))
            .now("2025-03-01T12:22:00Z"),
    );
    assert_eq!(exp.code, 1);
    // Ending a minute after the last record: the newest bucket has no outcome, hence no error
    // rate, and cannot sustain the breach.
    let (exp, _) = run_case(
        &Case::new(&input, rules())
            .win(Win::For("3m", None))
            .now("2025-03-01T12:25:02Z"),
    );
    assert_eq!(exp.code, 0);
    assert!(exp.results[0].values[0].is_none());
    // 30-second buckets.
    let (exp, _) = run_case(&Case::new(&input, rules()).win(Win::For("2m", Some("30s"))));
    assert_eq!(exp.code, 1);
    assert_eq!(exp.results[0].values.len(), 4);
    // Latency, per group: /checkout is slow in every bucket, /login never.
    let (exp, doc) = run_case(
        &Case::new(&input, vec![Rule::flag("--max-p95", "1s")])
            .win(Win::For("3m", None))
            .by("endpoint"),
    );
    assert_eq!(exp.code, 1);
    assert!(breached_scopes(&doc).contains("group /checkout"));
    assert!(!breached_scopes(&doc).contains("group /login"));
}

fn edge_line(hh_mm: &str, ok: bool) -> String {
    format!("{{\"ts\": \"2025-03-01T12:{hh_mm}Z\", \"success\": {ok}, \"latency_ms\": 10}}\n")
}

/// Bucket k is (end - (k+1)·bucket, end - k·bucket]: a record exactly one bucket before the end
/// belongs to bucket 1, not bucket 0.
#[test]
fn sustained_buckets_are_open_at_the_older_end() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edges.jsonl");
    // end = 12:10:00; a failure at 12:09:00 (exactly one bucket back) and one at 12:10:00:
    // each of the two buckets holds one failure, so the breach is sustained.
    let content = [edge_line("09:00", false), edge_line("10:00", false)].concat();
    std::fs::write(&path, &content).unwrap();
    let input = Input::from_bytes(&path.to_string_lossy(), content.as_bytes());
    let (exp, doc) = run_case(
        &Case::new(&input, vec![Rule::flag("--max-error-rate", "10%")]).win(Win::For("2m", None)),
    );
    assert_eq!(exp.results[0].values, vec![Some(1.0), Some(1.0)]);
    assert_eq!(exp.code, 1);
    assert_eq!(doc["results"][0]["status"], "breach");
}

/// The window (end - D, end] leaves out a record exactly D before the end.
#[test]
fn window_is_open_at_the_older_end() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edges.jsonl");
    let content = [
        edge_line("05:00", false),
        edge_line("07:00", true),
        edge_line("10:00", true),
    ]
    .concat();
    std::fs::write(&path, &content).unwrap();
    let input = Input::from_bytes(&path.to_string_lossy(), content.as_bytes());
    for win in [Win::Window("5m"), Win::For("5m", None)] {
        let (exp, doc) =
            run_case(&Case::new(&input, vec![Rule::flag("--max-failures", "0")]).win(win));
        assert_eq!(exp.code, 0);
        assert_eq!(doc["outcomes"], 2);
    }
}

// ================================================================================================
// Severity, rules files, output formats
// ================================================================================================

#[test]
fn warnings_pass_unless_fail_on_warn() {
    let input = incident();
    let p95 = Figures::of(&input.records).value("p95").unwrap();
    let rules = || {
        vec![
            Rule::warn(format!("p95 < {}", ms_below(p95))),
            Rule::flag("--max-p95", ms_above(p95)),
        ]
    };
    let (exp, doc) = run_case(&Case::new(&input, rules()));
    assert_eq!((exp.code, exp.status), (0, "warning"));
    assert_eq!(doc["breached_warning"], 1);
    assert_eq!(doc["breached_critical"], 0);
    let warn = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["severity"] == "warning")
        .unwrap();
    assert_eq!(warn["status"], "breach");
    let (exp, _) = run_case(&Case::new(&input, rules()).fail_on_warn());
    assert_eq!(exp.code, 1);
    // With nothing breached, --fail-on-warn changes nothing.
    let (exp, _) = run_case(
        &Case::new(&input, vec![Rule::warn(format!("p95 < {}", ms_above(p95)))]).fail_on_warn(),
    );
    assert_eq!((exp.code, exp.status), (0, "ok"));
}

/// A rules file: `#` comments (whole-line and trailing), blank lines, a scoped rule and a
/// `warn` prefix.
#[test]
fn rules_file_with_comments_scoped_and_warning_rules() {
    let input = incident();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("slo.rules");
    let content = "\
# SLOs for the checkout service
error_rate <= 5%          # the whole service

group=/checkout: p99 < 2s
   # an indented comment
warn p95 < 500ms
group=/login: max <= 100ms
";
    std::fs::write(&path, content).unwrap();
    let file_rules: Vec<Rule> = content
        .lines()
        .map(|l| l.split('#').next().unwrap().trim())
        .filter(|l| !l.is_empty())
        .map(|l| Rule::parse(l, false))
        .collect();
    assert_eq!(file_rules.len(), 4);
    let case = |file_rules: Vec<Rule>| {
        let mut c = Case::new(&input, file_rules);
        c.extra = vec!["--rules".into(), path.to_string_lossy().into_owned()];
        c
    };
    // The whole file: /checkout's p99 is breached, p95 warns.
    let (exp, doc) = run_case(&case(file_rules.clone()));
    assert_eq!(exp.code, 1);
    assert_eq!(exp.breached_critical, 1);
    assert_eq!(exp.breached_warning, 1);
    assert_eq!(result(&doc, "group /checkout", "p99")["status"], "breach");
    assert_eq!(result(&doc, "group /login", "max")["status"], "ok");
    // Before the incident everything holds.
    let mut c = case(file_rules.clone());
    c.win = Win::Window("10m");
    c.now = Some(INCIDENT_START);
    let (exp, _) = run_case(&c);
    assert_eq!((exp.code, exp.status), (0, "ok"));
    // Together with --by and a flag.
    let mut rules = file_rules;
    rules.push(Rule::flag("--max-failures", "1000"));
    let (exp, _) = run_case(&case(rules).by("endpoint"));
    assert_eq!(exp.code, 1);
}

/// `--format nagios`: `TLM OK|WARNING|CRITICAL - …` with performance data, exit 0/1/2; UNKNOWN
/// and 3 when the input cannot be read.
#[test]
fn nagios_status_line_performance_data_and_exit_codes() {
    let input = incident();
    let p95 = Figures::of(&input.records).value("p95").unwrap();
    let nagios = |args: &[String]| {
        let mut all = vec![
            "check".to_string(),
            "--format".into(),
            "nagios".into(),
            input.path.clone(),
        ];
        all.extend(args.iter().cloned());
        (run(&all), shell(&all))
    };
    let (warn_ok, warn_bad) = (ms_above(p95), ms_below(p95));
    let crit_ok = format!("{:.4}ms", p95 * 1.01);
    let crit_bad = format!("{:.4}ms", p95 * 0.99);
    for (warn, crit, state, code) in [
        (&warn_ok, &crit_ok, "OK", 0),
        (&warn_bad, &crit_ok, "WARNING", 1),
        (&warn_bad, &crit_bad, "CRITICAL", 2),
    ] {
        let args = vec![
            "--warn".to_string(),
            format!("p95 < {warn}"),
            "--max-p95".into(),
            crit.clone(),
        ];
        let (out, cmd) = nagios(&args);
        assert_eq!(out.code, Some(code), "{cmd}\n{}{}", out.stdout, out.stderr);
        assert_eq!(out.stdout.lines().count(), 1, "{cmd}: {}", out.stdout);
        let line = out.stdout.trim_end();
        assert!(
            line.starts_with(&format!("TLM {state} - ")),
            "{cmd}: {line}"
        );
        // 'p95'=VALUEms;WARN;CRIT;0;
        let (_, perf) = line
            .split_once(" | ")
            .unwrap_or_else(|| panic!("{cmd}: no performance data: {line}"));
        let entry = perf
            .split(' ')
            .find(|e| e.starts_with("'p95'="))
            .unwrap_or_else(|| panic!("{cmd}: no 'p95' in {perf}"));
        let fields: Vec<&str> = entry["'p95'=".len()..].split(';').collect();
        assert!(fields.len() >= 4, "{cmd}: {entry}");
        let value: f64 = fields[0]
            .strip_suffix("ms")
            .unwrap_or_else(|| panic!("{cmd}: {entry} not in ms"))
            .parse()
            .unwrap();
        assert!(close(value, p95, "p95"), "{cmd}: {entry}, p95 is {p95}");
        let w: f64 = fields[1].parse().unwrap();
        let c: f64 = fields[2].parse().unwrap();
        assert!(
            (w - threshold_of("p95", warn)).abs() < 0.001,
            "{cmd}: {entry}"
        );
        assert!(
            (c - threshold_of("p95", crit)).abs() < 0.001,
            "{cmd}: {entry}"
        );
        assert_eq!(fields[3], "0", "{cmd}: {entry}");
    }
    // A missing file is UNKNOWN, exit 3, on stdout.
    let out = run(&[
        "check",
        "--format",
        "nagios",
        "--max-p95",
        "1s",
        "fixtures/no-such-file.jsonl",
    ]);
    assert_eq!(out.code, Some(3), "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.starts_with("TLM UNKNOWN - "), "{}", out.stdout);
    assert!(out.stdout.contains("no-such-file.jsonl"), "{}", out.stdout);
    assert_eq!(out.stdout.lines().count(), 1);
    // So is a malformed rule.
    let out = run(&[
        "check",
        "--format",
        "nagios",
        "--rule",
        "p95 < fast",
        "fixtures/incident.jsonl",
    ]);
    assert_eq!(out.code, Some(3), "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.starts_with("TLM UNKNOWN - "), "{}", out.stdout);
    assert!(out.stdout.contains("p95 < fast"), "{}", out.stdout);
    // And a command line the parser refuses (clap's own exit is 2, CRITICAL to Nagios).
    for bad in [&["--last", "abc"][..], &["--bogus"]] {
        let mut args = vec!["check", "--format", "nagios", "fixtures/incident.jsonl"];
        args.extend_from_slice(bad);
        let out = run(&args);
        assert_eq!(out.code, Some(3), "{bad:?}: {}{}", out.stdout, out.stderr);
        assert!(out.stdout.starts_with("TLM UNKNOWN - "), "{}", out.stdout);
        assert_eq!(out.stdout.lines().count(), 1);
    }
}

/// Performance data lists a metric once however many rules test it, labels hold no `=`, and
/// without any figure there is no `|` section.
#[test]
fn nagios_performance_labels_are_unique_and_plain() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.jsonl");
    std::fs::write(
        &path,
        "{\"op\": \"a=b\", \"latency_ms\": 5}\n{\"op\": \"c\", \"latency_ms\": 7}\n",
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let out = run(&[
        "check",
        "--format",
        "nagios",
        "--warn",
        "p95 < 100ms",
        "--max-p95",
        "1s",
        path,
    ]);
    let line = out.stdout.trim_end();
    let (_, perf) = line.split_once(" | ").unwrap();
    assert_eq!(perf, "'p95'=7ms;100;1000;0;", "{line}");
    let out = run(&[
        "check",
        "--format",
        "nagios",
        "--by",
        "op",
        "--max-p95",
        "1s",
        path,
    ]);
    assert!(out.stdout.contains("'a_b p95'="), "{}", out.stdout);
    let perf = out.stdout.split(" | ").nth(1).unwrap();
    assert_eq!(
        perf.matches('=').count(),
        perf.matches("'=").count(),
        "{perf}"
    );
    let out = run(&[
        "check",
        "--format",
        "nagios",
        "--allow-empty",
        "--max-p95",
        "1s",
        "--since",
        "2000-01-01T00:00:00Z",
        "--until",
        "2000-01-02T00:00:00Z",
        path,
    ]);
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    assert!(!out.stdout.contains('|'), "{}", out.stdout);
}

/// Text output: one line per rule and scope (`OK` / `BREACH` / `WARN`, the rule, value,
/// threshold, scope, window), then a summary line.
#[test]
fn text_output_lines_per_rule_and_scope() {
    let input = incident();
    let args: Vec<String> = [
        "check",
        "fixtures/incident.jsonl",
        "--by",
        "endpoint",
        "--window",
        "4m",
        "--max-error-rate",
        "5%",
        "--warn",
        "p95 < 1s",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let out = run(&args);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    // 2 rules × (overall + the three endpoints; the events' "(none)" group has no outcome).
    let groups: BTreeSet<String> = input
        .records
        .iter()
        .filter(|r| in_incident(r) && r.outcome != Outcome::Event)
        .map(|r| r.group(Some("endpoint")))
        .collect();
    assert_eq!(groups.len(), 3);
    assert_eq!(lines.len(), 2 * (1 + groups.len()) + 1, "{}", out.stdout);
    let find = |word: &str, scope: &str, metric: &str| {
        lines
            .iter()
            .find(|l| l.starts_with(word) && l.contains(scope) && l.contains(metric))
            .unwrap_or_else(|| panic!("no {word} line for {metric} on {scope}:\n{}", out.stdout))
    };
    let line = find("BREACH", "group /checkout", "error_rate");
    assert!(line.contains("5%"), "{line}");
    find("OK", "group /login", "error_rate");
    find("WARN", "group /checkout", "p95");
    find("WARN", "overall", "p95");
    find("OK", "group /login", "p95");
    for l in &lines[..lines.len() - 1] {
        assert!(l.contains("4m"), "the window should be named: {l}");
    }
    assert!(
        !["OK", "BREACH", "WARN"]
            .iter()
            .any(|w| lines.last().unwrap().starts_with(&format!("{w} "))),
        "the summary line should not look like a result line: {}",
        lines.last().unwrap()
    );
}

// ================================================================================================
// No data, missing files, malformed rules
// ================================================================================================

#[test]
fn no_outcomes_is_a_breach_unless_allow_empty() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    let events = dir.path().join("events.jsonl");
    let events_text = "{\"ts\": \"2025-03-01T12:00:00Z\", \"msg\": \"Engine started\"}\n\n\
                       {\"ts\": \"2025-03-01T12:00:05Z\", \"level\": \"error\", \"msg\": \"disk almost full\"}\n";
    std::fs::write(&events, events_text).unwrap();
    for (path, text) in [(&empty, ""), (&events, events_text)] {
        let input = Input::from_bytes(&path.to_string_lossy(), text.as_bytes());
        let rules = || vec![Rule::flag("--max-error-rate", "5%")];
        let (exp, doc) = run_case(&Case::new(&input, rules()));
        assert_eq!((exp.code, exp.no_data), (1, true));
        assert_eq!(doc["status"], "breach");
        let (exp, doc) = run_case(&Case::new(&input, rules()).allow_empty());
        assert_eq!(exp.code, 0);
        assert_eq!(doc["no_data"], true);
        // No rule at all still gates on data.
        let (exp, _) = run_case(&Case::new(&input, vec![]));
        assert_eq!(exp.code, 1);
    }
    // A window after the last record of a non-empty file.
    let input = incident();
    let rules = || vec![Rule::flag("--max-p95", "1s")];
    let later = || {
        Case::new(&input, rules())
            .win(Win::Window("5m"))
            .now("2025-03-01T13:00:00Z")
    };
    let (exp, _) = run_case(&later());
    assert_eq!((exp.code, exp.no_data), (1, true));
    let (exp, _) = run_case(&later().allow_empty());
    assert_eq!(exp.code, 0);
}

/// An empty log (just rotated) under `--window`, `--for` or `--last` is "no data" (exit 1, or 0
/// with --allow-empty), not an input error.
#[test]
fn empty_input_with_a_window_is_no_data() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    let shown = empty.to_string_lossy().into_owned();
    let mut wrong = Vec::new();
    for win in [["--window", "5m"], ["--for", "3m"], ["--last", "100"]] {
        for (allow, want) in [(false, 1), (true, 0)] {
            let mut args = vec!["check", "--max-error-rate", "5%", &shown, win[0], win[1]];
            if allow {
                args.push("--allow-empty");
            }
            let out = run(&args);
            if out.code != Some(want) {
                wrong.push(format!(
                    "tlm {}: expected exit {want}, got {:?} {}",
                    args.join(" "),
                    out.code,
                    out.stderr.trim_end()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn missing_file_is_exit_2_naming_it() {
    for format in ["text", "json"] {
        let out = run(&[
            "check",
            "--format",
            format,
            "--max-p95",
            "1s",
            "fixtures/no-such-file.jsonl",
        ]);
        assert_eq!(out.code, Some(2), "{format}: {}", out.stderr);
        assert_eq!(out.stderr.trim_end().lines().count(), 1, "{}", out.stderr);
        assert!(out.stderr.contains("no-such-file.jsonl"), "{}", out.stderr);
        assert!(out.stdout.is_empty(), "{}", out.stdout);
    }
    let out = run(&[
        "check",
        "--rules",
        "fixtures/no-such.rules",
        "fixtures/incident.jsonl",
    ]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("no-such.rules"), "{}", out.stderr);
}

#[test]
fn malformed_rules_are_exit_2_naming_the_rule() {
    for (flag, bad) in [
        ("--rule", "p95"),
        ("--rule", "p95 < "),
        ("--rule", "p42 < 5ms"),
        ("--rule", "p95 = 5ms"),
        ("--rule", "p95 < fast"),
        ("--rule", "error_rate <= lots"),
        ("--rule", "throughput >= 3/week"),
        ("--rule", "count >= many"),
        ("--rule", "group=/checkout p99 < 2s"),
        ("--warn", "p95 <"),
        ("--warn", "latency_p95 < 1s"),
    ] {
        let out = run(&["check", flag, bad, "fixtures/incident.jsonl"]);
        assert_eq!(
            out.code,
            Some(2),
            "{flag} {bad:?}: {}{}",
            out.stdout,
            out.stderr
        );
        assert_eq!(
            out.stderr.trim_end().lines().count(),
            1,
            "{flag} {bad:?}: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains(bad.trim()),
            "{flag} {bad:?}: the error should name the rule: {}",
            out.stderr
        );
    }
    // A malformed flag value names the value.
    for (flag, bad) in [
        ("--max-p95", "fast"),
        ("--max-error-rate", "lots"),
        ("--min-throughput", "3/week"),
        ("--max-failures", "ten"),
    ] {
        let out = run(&["check", flag, bad, "fixtures/incident.jsonl"]);
        assert_eq!(out.code, Some(2), "{flag} {bad}: {}", out.stderr);
        assert_eq!(out.stderr.trim_end().lines().count(), 1, "{}", out.stderr);
        assert!(out.stderr.contains(bad), "{flag} {bad}: {}", out.stderr);
    }
    // In a rules file: FILE:LINE and the rule.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.rules");
    std::fs::write(
        &path,
        "# SLOs\np50 < 50ms\n\np99 < soon   # oops\nmax < 1s\n",
    )
    .unwrap();
    let shown = path.to_string_lossy().into_owned();
    let out = run(&["check", "--rules", &shown, "fixtures/incident.jsonl"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert_eq!(out.stderr.trim_end().lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!("{shown}:4")),
        "should name {shown}:4: {}",
        out.stderr
    );
    assert!(out.stderr.contains("p99 < soon"), "{}", out.stderr);
}

// ================================================================================================
// Data quality
// ================================================================================================

/// `--max-skipped-ratio` is skipped / non-blank lines; `--min-records` counts records read.
#[test]
fn data_quality_on_bad_input() {
    let input = Input::fixture("bad_input.jsonl");
    let non_blank = input.lines - input.blank;
    let ratio = input.skipped as f64 / non_blank as f64;
    assert!(input.skipped > 0 && ratio > 0.1);
    let records = input.records.len() as u64;
    for (rules, code) in [
        (vec![Rule::flag("--max-skipped-ratio", pct_above(ratio))], 0),
        (vec![Rule::flag("--max-skipped-ratio", pct_below(ratio))], 1),
        (vec![Rule::flag("--max-skipped-ratio", "1%")], 1),
        (
            vec![Rule::flag("--max-skipped-ratio", frac_above(ratio))],
            0,
        ),
        (vec![Rule::flag("--min-records", records.to_string())], 0),
        (
            vec![Rule::flag("--min-records", (records + 1).to_string())],
            1,
        ),
        (
            vec![
                Rule::general(format!("skipped <= {}", input.skipped)),
                Rule::general(format!("records >= {records}")),
            ],
            0,
        ),
        (
            vec![Rule::general(format!("skipped < {}", input.skipped))],
            1,
        ),
        (
            vec![Rule::general(format!(
                "skipped_ratio <= {}",
                frac_below(ratio)
            ))],
            1,
        ),
    ] {
        let (exp, doc) = run_case(&Case::new(&input, rules.clone()));
        assert_eq!(exp.code, code, "{rules:?}");
        let v = doc["results"][0]["value"].as_f64().unwrap();
        let want = exp.results[0].values[0].unwrap();
        assert!(close(v, want, "skipped_ratio"), "{rules:?}: {v} vs {want}");
    }
    // Data quality is about the input: checked once even with --by.
    let (exp, doc) =
        run_case(&Case::new(&input, vec![Rule::flag("--max-skipped-ratio", "1%")]).by("action"));
    assert_eq!(exp.code, 1);
    assert_eq!(
        breached_scopes(&doc),
        BTreeSet::from(["overall".to_string()])
    );
}

// ================================================================================================
// The seed systems' alert rules
// ================================================================================================

/// Event Kit: "more than 10 errors in the last 100 requests".
#[test]
fn seed_eventkit_errors_in_last_100_requests() {
    let input = Input::fixture("eventkit_telemetry.jsonl");
    let (exp, doc) =
        run_case(&Case::new(&input, vec![Rule::flag("--max-failures", "10")]).win(Win::Last(100)));
    let f = Figures::of(&input.records);
    assert!(f.count < 100 && f.failures <= 10);
    assert_eq!(exp.code, 0);
    assert_eq!(doc["results"][0]["value"], f.failures as f64);
    // The same rule on a shorter memory: "more than 1 error in the last 10 requests".
    let (exp, _) =
        run_case(&Case::new(&input, vec![Rule::flag("--max-failures", "1")]).win(Win::Last(10)));
    let mut outcomes: Vec<&Rec> = input
        .records
        .iter()
        .filter(|r| r.outcome != Outcome::Event)
        .collect();
    outcomes.sort_by(|a, b| b.time.unwrap().total_cmp(&a.time.unwrap()));
    let recent = Figures::of(outcomes.into_iter().take(10));
    assert_eq!(exp.code, i32::from(recent.failures > 1));
}

/// Trails: error rate > 5%, P95 > 2s.
#[test]
fn seed_trails_error_rate_and_p95() {
    let input = Input::fixture("trails.jsonl");
    let rules = || {
        vec![
            Rule::flag("--max-error-rate", "5%"),
            Rule::flag("--max-p95", "2s"),
        ]
    };
    let (exp, _) = run_case(&Case::new(&input, rules()));
    assert_eq!(exp.code, 1);
    assert!(exp.result("overall", "error_rate").breached);
    assert!(exp.result("overall", "p95").breached);
    let (exp, _) = run_case(&Case::new(&input, rules()).by("command_type"));
    assert_eq!(exp.code, 1);
}

/// AgentTrace SLOs: P50 < 50ms, P99 < 500ms, error rate < 0.1%.
#[test]
fn seed_agenttrace_slos() {
    let input = Input::fixture("agenttrace.jsonl");
    let rules = vec![
        Rule::general("p50 < 50ms"),
        Rule::general("p99 < 500ms"),
        Rule::general("error_rate < 0.1%"),
    ];
    let (exp, _) = run_case(&Case::new(&input, rules));
    assert_eq!(exp.code, 1);
    assert!(!exp.result("overall", "p50").breached);
    assert!(exp.result("overall", "p99").breached);
    assert!(exp.result("overall", "error_rate").breached);
}

/// Container Kit: slow tool executions over 300ms, error rate by tool.
#[test]
fn seed_containerkit_slow_tools_and_error_rate_by_tool() {
    let input = Input::fixture("containerkit.jsonl");
    let (exp, doc) =
        run_case(&Case::new(&input, vec![Rule::flag("--max-latency", "300ms")]).by("tool"));
    assert_eq!(exp.code, 1);
    let slow: BTreeSet<String> = exp
        .results
        .iter()
        .filter(|r| r.breached)
        .map(|r| r.scope.clone())
        .collect();
    assert!(slow.contains("group build_image") && !slow.contains("group generate_dockerfile"));
    assert_eq!(breached_scopes(&doc), slow);
    let (exp, _) =
        run_case(&Case::new(&input, vec![Rule::flag("--max-error-rate", "25%")]).by("tool"));
    assert_eq!(exp.code, 1);
    // A tool-scoped SLO that holds.
    let (exp, _) = run_case(&Case::new(
        &input,
        vec![
            Rule::general("group=generate_dockerfile: max <= 300ms"),
            Rule::general("group=analyze_repository: error_rate <= 0%"),
        ],
    ));
    assert_eq!(exp.code, 0);
}

/// Pocket Agent: p95 execution time.
#[test]
fn seed_pocketagent_p95_execution_time() {
    let input = Input::fixture("pocketagent.jsonl");
    let executions = |r: &Rec| r.str_field("msg").starts_with("Execution");
    let f = Figures::of(input.records.iter().filter(|r| executions(r)));
    let p95 = f.value("p95").unwrap();
    for (limit, code) in [("60s", i32::from(p95 > 60_000.0)), ("5m", 0)] {
        let (exp, _) = run_case(
            &Case::new(&input, vec![Rule::flag("--max-p95", limit)])
                .filter(vec!["--where", "msg~^Execution"], |r| {
                    r.str_field("msg").starts_with("Execution")
                }),
        );
        assert_eq!(exp.code, code, "--max-p95 {limit}");
    }
    // Just around the true p95.
    for (threshold, code) in [(ms_below(p95), 1), (ms_above(p95), 0)] {
        let (exp, _) = run_case(
            &Case::new(&input, vec![Rule::flag("--max-p95", threshold)])
                .filter(vec!["--where", "msg~^Execution"], |r| {
                    r.str_field("msg").starts_with("Execution")
                }),
        );
        assert_eq!(exp.code, code);
    }
}
