//! Integration tests for `tlm errors`, `tlm slow` and the filters every subcommand shares
//! (`--since`, `--until`, `--now`, `--where`).
//!
//! Expected figures are computed independently, never pasted from tlm's output: by hand for tiny
//! inputs, else by a small reference, which reads every line with `serde_json::Value` following
//! the README (field candidates, value formats, the outcome rule: `tests/common`) and the spec of
//! the two subcommands (below). It shares no code with `src/`. Clustering is checked against
//! templates the generator knows by construction (it writes `evt-17` knowing the template is
//! `evt-<n>`).
//!
//! The reference panics with "ambiguous" on inputs whose meaning the spec leaves open; the
//! fixtures and generators used here never produce such inputs.

mod common;

use common::{
    fixture, group_key, lines_of, lookup, parse_datetime, parse_go_duration, parse_line, repo, run,
    run_until_the_pipe_closes, t, text_of, Fields, Lcg, Outcome, Parsed, Report, EXACT_REL,
};
use regex::Regex;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::OnceLock;

// ================================================================================================
// The reference: lines, records, outcomes
// ================================================================================================

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Event,
    Success,
    /// A failed outcome, with its message (error field, else message field, else `status X`).
    Failure(String),
}

#[derive(Debug)]
struct Rec {
    obj: Map<String, Value>,
    /// unix seconds
    time: Option<f64>,
    /// milliseconds
    latency: Option<f64>,
    kind: Kind,
    /// For an event at level error or worse: its message.
    error_event: Option<String>,
}

impl Rec {
    /// The group key: `--by` fields (values joined by a space), else the first group candidate.
    fn group(&self, by: Option<&str>) -> String {
        group_key(&self.obj, by).0
    }

    fn is_outcome(&self) -> bool {
        self.kind != Kind::Event
    }

    /// The message `tlm errors` reports this record under, and whether it is a failed outcome.
    fn error_message(&self) -> Option<(&str, bool)> {
        match (&self.kind, &self.error_event) {
            (Kind::Failure(m), _) => Some((m, true)),
            (Kind::Event, Some(m)) => Some((m, false)),
            _ => None,
        }
    }
}

#[derive(Debug)]
enum What {
    Blank,
    Skipped,
    Record(Box<Rec>),
}

#[derive(Debug)]
struct Line {
    file: String,
    /// 1-based line number in its file
    no: usize,
    /// the line without its line ending
    raw: Vec<u8>,
    what: What,
}

impl Line {
    fn rec(&self) -> Option<&Rec> {
        match &self.what {
            What::Record(r) => Some(r),
            _ => None,
        }
    }
    fn at(&self) -> String {
        format!("{}:{}", self.file, self.no)
    }
}

fn classify(raw: &[u8]) -> What {
    let obj = match parse_line(raw) {
        Parsed::Blank => return What::Blank,
        Parsed::Skipped(_) => return What::Skipped,
        Parsed::Object(obj) => obj,
    };
    let Ok(f) = Fields::read(&obj) else {
        return What::Skipped;
    };
    let kind = match f.outcome() {
        Outcome::Event => Kind::Event,
        Outcome::Success => Kind::Success,
        Outcome::Failure => Kind::Failure(f.failure_message()),
    };
    let error_event = (kind == Kind::Event && f.level_error()).then(|| {
        let (_, message) = f
            .message
            .expect("ambiguous: error-level event without a message");
        text_of(message, "message")
    });
    let time = f.time.map(|(_, t, _)| t);
    let latency = f.latency.map(|(_, _, ms)| ms);
    What::Record(Box::new(Rec {
        obj,
        time,
        latency,
        kind,
        error_event,
    }))
}

/// Reads `(display name, bytes)` inputs the way tlm does: every line, in file order.
fn read_inputs(inputs: &[(String, Vec<u8>)]) -> Vec<Line> {
    let mut out = Vec::new();
    for (name, bytes) in inputs {
        for (i, raw) in lines_of(bytes).into_iter().enumerate() {
            out.push(Line {
                file: name.clone(),
                no: i + 1,
                raw: raw.to_vec(),
                what: classify(raw),
            });
        }
    }
    out
}

// ================================================================================================
// The reference: filters
// ================================================================================================

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Eq,
    Ne,
    Match,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Op {
    fn text(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Match => "~",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
        }
    }
}

#[derive(Clone, Debug)]
struct Cond {
    field: String,
    op: Op,
    value: String,
    /// the compiled `value` of a `~` condition
    re: Option<Regex>,
}

/// The unit (ms per unit) a field's name gives its bare numbers (`duration_ms`, `elapsed_s`).
fn unit_of_field(field: &str) -> Option<f64> {
    let last = field.rsplit('.').next().unwrap_or(field);
    [
        ("_ms", 1.0),
        ("_us", 1e-3),
        ("_ns", 1e-6),
        ("_s", 1e3),
        ("_seconds", 1e3),
    ]
    .iter()
    .find(|(suffix, _)| last.ends_with(suffix))
    .map(|&(_, u)| u)
}

fn compare(a: f64, op: Op, b: f64) -> bool {
    match op {
        Op::Gt => a > b,
        Op::Ge => a >= b,
        Op::Lt => a < b,
        Op::Le => a <= b,
        _ => unreachable!(),
    }
}

impl Cond {
    fn arg(&self) -> String {
        format!("{}{}{}", self.field, self.op.text(), self.value)
    }

    fn holds(&self, rec: &Rec) -> bool {
        enum V<'a> {
            Json(&'a Value),
            Millis(f64),
            Secs(f64),
        }
        let v = match self.field.as_str() {
            "latency" => rec.latency.map(V::Millis),
            "time" => rec.time.map(V::Secs),
            f => lookup(&rec.obj, f).map(V::Json),
        };
        let Some(v) = v else {
            // as in jq: a missing field is not equal to anything, and matches nothing else
            return self.op == Op::Ne;
        };
        let text = || match &v {
            V::Json(j) => text_of(j, "compared field"),
            V::Millis(ms) => ms.to_string(),
            V::Secs(_) => panic!("ambiguous: text of the time alias"),
        };
        match self.op {
            Op::Eq | Op::Ne => {
                let equal = match &v {
                    V::Json(Value::Number(n)) => {
                        Some(n.as_f64().unwrap()) == self.value.parse::<f64>().ok()
                    }
                    V::Json(_) => text() == self.value,
                    _ => panic!("ambiguous: = on an alias"),
                };
                equal == (self.op == Op::Eq)
            }
            Op::Match => self.re.as_ref().unwrap().is_match(&text()),
            op => {
                if let Ok(n) = self.value.parse::<f64>() {
                    let got = match &v {
                        V::Json(Value::Number(x)) => x.as_f64(),
                        V::Json(Value::String(s)) => s.trim().parse::<f64>().ok(),
                        V::Json(_) => None,
                        V::Millis(ms) => Some(*ms),
                        V::Secs(s) => Some(*s),
                    };
                    got.is_some_and(|g| compare(g, op, n))
                } else {
                    let ms = parse_go_duration(&self.value).expect("a duration operand");
                    let unit = unit_of_field(&self.field).unwrap_or(1.0);
                    let got = match &v {
                        V::Json(Value::Number(x)) => x.as_f64().map(|x| x * unit),
                        V::Json(Value::String(s)) => match s.trim().parse::<f64>() {
                            Ok(x) => Some(x * unit),
                            Err(_) => parse_go_duration(s),
                        },
                        V::Json(_) => None,
                        V::Millis(m) => Some(*m),
                        V::Secs(_) => panic!("ambiguous: time compared with a duration"),
                    };
                    got.is_some_and(|g| compare(g, op, ms))
                }
            }
        }
    }
}

/// Filters, as command-line arguments and as the reference applies them.
#[derive(Clone, Debug, Default)]
struct Filt {
    args: Vec<String>,
    since: Option<f64>,
    until: Option<f64>,
    conds: Vec<Cond>,
}

impl Filt {
    fn new() -> Filt {
        Filt::default()
    }
    /// `--since TEXT`, which the test works out to be unix second `at`.
    fn since(mut self, text: &str, at: f64) -> Filt {
        self.args.extend(["--since".to_string(), text.to_string()]);
        self.since = Some(at);
        self
    }
    fn until(mut self, text: &str, at: f64) -> Filt {
        self.args.extend(["--until".to_string(), text.to_string()]);
        self.until = Some(at);
        self
    }
    fn now(mut self, text: &str) -> Filt {
        self.args.extend(["--now".to_string(), text.to_string()]);
        self
    }
    fn cond(mut self, field: &str, op: Op, value: &str) -> Filt {
        let c = Cond {
            field: field.to_string(),
            op,
            value: value.to_string(),
            re: (op == Op::Match).then(|| Regex::new(value).unwrap()),
        };
        self.args.extend(["--where".to_string(), c.arg()]);
        self.conds.push(c);
        self
    }

    fn keeps(&self, rec: &Rec) -> bool {
        if self.since.is_some() || self.until.is_some() {
            let Some(t) = rec.time else {
                return false;
            };
            if self.since.is_some_and(|s| t < s) || self.until.is_some_and(|u| t >= u) {
                return false;
            }
        }
        self.conds.iter().all(|c| c.holds(rec))
    }
}

/// The records a filter keeps, with their lines, in input order.
fn kept<'a>(lines: &'a [Line], f: &Filt) -> Vec<(&'a Line, &'a Rec)> {
    lines
        .iter()
        .filter_map(|l| l.rec().map(|r| (l, r)))
        .filter(|(_, r)| f.keeps(r))
        .collect()
}

#[derive(Debug, Default, PartialEq)]
struct InputCounts {
    lines: u64,
    records: u64,
    blank: u64,
    skipped: u64,
    filtered: u64,
}

fn input_counts(lines: &[Line], f: &Filt) -> InputCounts {
    let mut c = InputCounts::default();
    for l in lines {
        c.lines += 1;
        match &l.what {
            What::Blank => c.blank += 1,
            What::Skipped => c.skipped += 1,
            What::Record(r) => {
                c.records += 1;
                if !f.keeps(r) {
                    c.filtered += 1;
                }
            }
        }
    }
    c
}

// ================================================================================================
// The reference: slow
// ================================================================================================

#[derive(Clone, Copy, Debug, Default)]
struct SlowSpec {
    over_ms: Option<f64>,
    top: Option<usize>,
    per_group: bool,
}

/// The lines `tlm slow` selects: outcomes with a latency strictly over the threshold, in input
/// order; with a top, the N slowest (slowest first, ties in input order), per group in key order.
fn ref_slow<'a>(
    lines: &'a [Line],
    f: &Filt,
    spec: SlowSpec,
    by: Option<&str>,
) -> Vec<(&'a Line, &'a Rec)> {
    let hits: Vec<(&Line, &Rec)> = kept(lines, f)
        .into_iter()
        .filter(|(_, r)| r.is_outcome())
        .filter(|(_, r)| {
            r.latency
                .is_some_and(|ms| spec.over_ms.is_none_or(|o| ms > o))
        })
        .collect();
    let slowest = |mut v: Vec<(&'a Line, &'a Rec)>, n: usize| {
        // a stable sort keeps ties in input order
        v.sort_by(|a, b| b.1.latency.unwrap().total_cmp(&a.1.latency.unwrap()));
        v.truncate(n);
        v
    };
    match spec.top {
        None => hits,
        Some(n) if spec.per_group => {
            let mut groups: BTreeMap<String, Vec<(&Line, &Rec)>> = BTreeMap::new();
            for h in hits {
                groups.entry(h.1.group(by)).or_default().push(h);
            }
            groups.into_values().flat_map(|v| slowest(v, n)).collect()
        }
        Some(n) => slowest(hits, n),
    }
}

fn jsonl_of(hits: &[(&Line, &Rec)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (l, _) in hits {
        out.extend_from_slice(&l.raw);
        out.push(b'\n');
    }
    out
}

fn slow_args(spec: SlowSpec) -> Vec<String> {
    let mut args = Vec::new();
    if let Some(ms) = spec.over_ms {
        args.extend(["--over".to_string(), format!("{ms}ms")]);
    }
    if let Some(n) = spec.top {
        args.extend(["--top".to_string(), n.to_string()]);
    }
    if spec.per_group {
        args.push("--per-group".to_string());
    }
    args
}

/// Where the first difference between two outputs is, line by line, for a readable failure.
fn first_difference(got: &[u8], want: &[u8]) -> String {
    let g: Vec<&[u8]> = got.split(|&c| c == b'\n').collect();
    let w: Vec<&[u8]> = want.split(|&c| c == b'\n').collect();
    for i in 0..g.len().max(w.len()) {
        let (a, b) = (g.get(i), w.get(i));
        if a != b {
            let show = |x: Option<&&[u8]>| {
                x.map_or("<none>".to_string(), |x| {
                    String::from_utf8_lossy(x).into_owned()
                })
            };
            return format!(
                "output line {} differs ({} lines vs {} expected)\n  got:      {}\n  expected: {}",
                i + 1,
                g.len() - 1,
                w.len() - 1,
                show(a),
                show(b)
            );
        }
    }
    "identical".to_string()
}

#[track_caller]
fn assert_same_output(got: &[u8], want: &[u8], context: &str) {
    if got != want {
        panic!("{context}: {}", first_difference(got, want));
    }
}

// ================================================================================================
// The reference: errors
// ================================================================================================

#[derive(Debug, Default, Clone)]
struct ErrRow {
    failures: u64,
    error_events: u64,
    first: Option<f64>,
    last: Option<f64>,
    groups: BTreeMap<String, u64>,
    /// the first raw message in input order, and where it is
    example: Option<(String, String)>,
}

impl ErrRow {
    fn count(&self) -> u64 {
        self.failures + self.error_events
    }
}

#[derive(Debug, Default)]
struct ErrRef {
    /// (group when broken down by group, else "", template or raw message) -> row
    rows: BTreeMap<(String, String), ErrRow>,
    failures: u64,
    error_events: u64,
}

impl ErrRef {
    fn total(&self) -> u64 {
        self.failures + self.error_events
    }
    /// Rows in the order tlm lists them: count desc, then template (then group).
    fn ordered(&self) -> Vec<(&(String, String), &ErrRow)> {
        let mut v: Vec<_> = self.rows.iter().collect();
        v.sort_by(|a, b| {
            b.1.count()
                .cmp(&a.1.count())
                .then_with(|| a.0 .1.cmp(&b.0 .1))
                .then_with(|| a.0 .0.cmp(&b.0 .0))
        });
        v
    }
}

fn ref_errors(
    lines: &[Line],
    f: &Filt,
    by: Option<&str>,
    template: &dyn Fn(&str) -> String,
) -> ErrRef {
    let mut r = ErrRef::default();
    for (l, rec) in kept(lines, f) {
        let Some((msg, is_failure)) = rec.error_message() else {
            continue;
        };
        let group = rec.group(by);
        let key = (
            if by.is_some() {
                group.clone()
            } else {
                String::new()
            },
            template(msg),
        );
        let row = r.rows.entry(key).or_default();
        if is_failure {
            row.failures += 1;
            r.failures += 1;
        } else {
            row.error_events += 1;
            r.error_events += 1;
        }
        if let Some(t) = rec.time {
            row.first = Some(row.first.map_or(t, |x: f64| x.min(t)));
            row.last = Some(row.last.map_or(t, |x: f64| x.max(t)));
        }
        *row.groups.entry(group).or_default() += 1;
        if row.example.is_none() {
            row.example = Some((msg.to_string(), l.at()));
        }
    }
    r
}

fn raw_message(m: &str) -> String {
    m.to_string()
}

// ================================================================================================
// Comparing (the Report is in tests/common)
// ================================================================================================

fn check_inputs(rep: &mut Report, doc: &Value, c: &InputCounts) {
    rep.u64_at(doc, "/inputs/lines", c.lines);
    rep.u64_at(doc, "/inputs/records", c.records);
    rep.u64_at(doc, "/inputs/blank", c.blank);
    rep.u64_at(doc, "/inputs/skipped", c.skipped);
    rep.u64_at(doc, "/inputs/filtered", c.filtered);
    let n = |p: &str| doc.pointer(p).and_then(Value::as_u64).unwrap_or(u64::MAX);
    if n("/inputs/lines")
        != n("/inputs/records")
            .wrapping_add(n("/inputs/blank"))
            .wrapping_add(n("/inputs/skipped"))
    {
        rep.fail("inputs: lines != records + blank + skipped".to_string());
    }
}

/// Compares a `tlm errors --format json` document with the reference.
fn check_errors_doc(rep: &mut Report, doc: &Value, r: &ErrRef, top: usize, by: bool) {
    rep.u64_at(doc, "/schema_version", 1);
    rep.u64_at(doc, "/total", r.total());
    rep.u64_at(doc, "/failures", r.failures);
    rep.u64_at(doc, "/error_events", r.error_events);
    rep.u64_at(doc, "/distinct", r.rows.len() as u64);
    let Some(got) = doc["errors"].as_array() else {
        rep.fail(format!("/errors: not an array: {}", doc["errors"]));
        return;
    };
    let ordered = r.ordered();
    let want_len = top.min(ordered.len());
    if got.len() != want_len {
        rep.fail(format!(
            "/errors: expected {want_len} rows (top {top} of {}), got {}",
            ordered.len(),
            got.len()
        ));
    }
    let listed: u64 = got.iter().filter_map(|e| e["count"].as_u64()).sum();
    rep.u64_at(doc, "/not_listed", r.total() - listed);
    for (i, e) in got.iter().enumerate() {
        let tpl = e["template"]
            .as_str()
            .unwrap_or("<not a string>")
            .to_string();
        // The rows listed are the first ones in (count desc, template) order; which group
        // comes first among rows equal in both is left open.
        if let Some((k, row)) = ordered.get(i) {
            if e["count"].as_u64() != Some(row.count()) || tpl != k.1 {
                rep.fail(format!(
                    "/errors/{i}: expected {:?} (count {}) in this place, got {:?} (count {})",
                    k.1,
                    row.count(),
                    tpl,
                    e["count"]
                ));
                continue;
            }
        }
        let group = if by {
            match e["group"].as_str() {
                Some(g) => g.to_string(),
                None => {
                    rep.fail(format!("/errors/{i}/group: missing with --by: {e}"));
                    continue;
                }
            }
        } else {
            if !e["group"].is_null() {
                rep.fail(format!("/errors/{i}/group: unexpected without --by: {e}"));
            }
            String::new()
        };
        let Some(row) = r.rows.get(&(group.clone(), tpl.clone())) else {
            rep.fail(format!("/errors/{i}: unexpected row {group:?} {tpl:?}"));
            continue;
        };
        let p = format!("/errors/{i}");
        rep.u64_at(doc, &format!("{p}/count"), row.count());
        rep.u64_at(doc, &format!("{p}/failures"), row.failures);
        rep.u64_at(doc, &format!("{p}/error_events"), row.error_events);
        rep.f64_at(
            doc,
            &format!("{p}/share"),
            Some(row.count() as f64 / r.total() as f64),
            EXACT_REL,
            0.0,
        );
        rep.time_at(doc, &format!("{p}/first_seen"), row.first);
        rep.time_at(doc, &format!("{p}/last_seen"), row.last);
        let (example, at) = row.example.clone().unwrap();
        if e["example"].as_str() != Some(example.as_str()) {
            rep.fail(format!(
                "{p}/example ({tpl:?}): expected {example:?}, got {}",
                e["example"]
            ));
        }
        if e["example_at"].as_str() != Some(at.as_str()) {
            rep.fail(format!(
                "{p}/example_at ({tpl:?}): expected {at:?}, got {}",
                e["example_at"]
            ));
        }
        // groups: the top 5 with their counts
        let Some(groups) = e["groups"].as_object() else {
            rep.fail(format!("{p}/groups: not an object: {}", e["groups"]));
            continue;
        };
        if groups.len() != row.groups.len().min(5) {
            rep.fail(format!(
                "{p}/groups ({tpl:?}): expected {} groups of {:?}, got {}",
                row.groups.len().min(5),
                row.groups,
                e["groups"]
            ));
        }
        let mut least = u64::MAX;
        for (g, n) in groups {
            let n = n.as_u64().unwrap_or(u64::MAX);
            least = least.min(n);
            if row.groups.get(g) != Some(&n) {
                rep.fail(format!(
                    "{p}/groups/{g} ({tpl:?}): expected {:?}, got {n}",
                    row.groups.get(g)
                ));
            }
        }
        for (g, n) in &row.groups {
            if !groups.contains_key(g) && *n > least {
                rep.fail(format!(
                    "{p}/groups ({tpl:?}): {g} ({n}) left out for a smaller one"
                ));
            }
        }
    }
}

// ================================================================================================
// Running tlm
// ================================================================================================

/// Runs tlm, which must succeed, and returns its stdout.
fn run_ok<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Vec<u8> {
    let out = run(args);
    let shown: Vec<String> = args
        .iter()
        .map(|a| a.as_ref().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        out.code,
        Some(0),
        "tlm {} failed\nstderr: {}",
        shown.join(" "),
        out.stderr
    );
    out.stdout_bytes
}

fn run_json<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Value {
    let out = run_ok(args);
    serde_json::from_slice(&out).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON document ({e}):\n{}",
            String::from_utf8_lossy(&out)
        )
    })
}

fn with_files(args: &[&str], files: &[String]) -> Vec<String> {
    let mut all = strings(args);
    all.extend(files.iter().cloned());
    all
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

fn fixture_lines(name: &str) -> (String, Vec<Line>) {
    let (rel, bytes) = fixture(name);
    let lines = read_inputs(&[(rel.clone(), bytes)]);
    (rel, lines)
}

/// A small input written to a temp file; the file lives as long as the returned dir.
fn temp_input(content: &str) -> (tempfile::TempDir, String, Vec<Line>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("input.jsonl");
    std::fs::write(&path, content).unwrap();
    let name = path.to_string_lossy().into_owned();
    let lines = read_inputs(&[(name.clone(), content.as_bytes().to_vec())]);
    (dir, name, lines)
}

fn csv_rows(out: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(out)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

// ================================================================================================
// Generated input: several MB over several files, with known error templates
// ================================================================================================

const HEX: &[u8] = b"0123456789abcdef";
const CROCKFORD: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn uuid(i: u32) -> String {
    let mut r = Lcg(0x0a11_0000 + u64::from(i));
    format!(
        "{}-{}-{}-{}-{}",
        r.chars(HEX, 8),
        r.chars(HEX, 4),
        r.chars(HEX, 4),
        r.chars(HEX, 4),
        r.chars(HEX, 12)
    )
}

/// 32 hex digits, with at least one letter and one digit.
fn hex_id(i: u32) -> String {
    let mut r = Lcg(0x0b22_0000 + u64::from(i));
    let mut s = r.chars(HEX, 32).into_bytes();
    s[5] = b'c';
    s[6] = b'7';
    String::from_utf8(s).unwrap()
}

/// A ULID: 26 Crockford base-32 characters, with letters no hex id has.
fn ulid(i: u32) -> String {
    let mut r = Lcg(0x0c33_0000 + u64::from(i));
    format!("01{}Z{}", r.chars(CROCKFORD, 8), r.chars(CROCKFORD, 15))
}

fn ipv4(i: u32) -> String {
    let mut r = Lcg(0x0d44_0000 + u64::from(i));
    format!("10.{}.{}.{}", r.below(256), r.below(256), 1 + r.below(254))
}

fn word(i: u32) -> String {
    let mut r = Lcg(0x0e55_0000 + u64::from(i));
    let n = 3 + r.below(6) as usize;
    r.chars(b"abcdefghijklmnopqrstuvwxyz", n)
}

/// An error message, and the template it must cluster into.
fn gen_message(r: &mut Lcg) -> (String, String) {
    let (m, t) = match r.below(10) {
        0 => (
            format!("manifest not found: evt-{}", r.below(300)),
            "manifest not found: evt-<n>",
        ),
        1 => (
            format!("session {} expired", uuid(r.below(100))),
            "session <uuid> expired",
        ),
        2 => (
            format!("command {} failed", ulid(r.below(100))),
            "command <ulid> failed",
        ),
        3 => (
            format!("dial tcp {}: connection refused", ipv4(r.below(60))),
            "dial tcp <ip>: connection refused",
        ),
        4 => (
            format!("trace {} dropped", hex_id(r.below(100))),
            "trace <hex> dropped",
        ),
        5 => (
            format!("user \"{}\" not found", word(r.below(40))),
            "user \"<str>\" not found",
        ),
        6 => (
            format!("Graph API timeout after {}ms", 100 * (1 + r.below(50))),
            "Graph API timeout after <duration>",
        ),
        7 => (
            format!("retry {} of {}", 1 + r.below(5), 5 + r.below(5)),
            "retry <n> of <n>",
        ),
        _ => (
            "Graph API authentication failed".to_string(),
            "Graph API authentication failed",
        ),
    };
    (m, t.to_string())
}

const BASE: i64 = 1_732_540_000; // 2024-11-25T13:06:40Z
const SPAN: u32 = 86_400;

/// (year, month, day) of a day number since 1970-01-01, the inverse of `days_from_civil`.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = (if z >= 0 { z } else { z - 146_096 }) / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// `2024-11-25T13:06:40.123` (`sep` between date and time, `frac` before the milliseconds).
fn datetime(secs: i64, ms: u32, sep: char, frac: char) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}{sep}{:02}:{:02}:{:02}{frac}{ms:03}",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

fn json_str(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

/// One generated line; error messages it writes are recorded with their template.
fn gen_line(r: &mut Lcg, templates: &mut HashMap<String, String>) -> String {
    let secs = BASE + i64::from(r.below(SPAN));
    let ms = if r.below(4) == 0 { 0 } else { r.below(1000) };
    let unix = format!("{secs}.{ms:03}");
    let region = match r.below(4) {
        0 => r#", "region": "eu""#,
        1 => r#", "region": "us""#,
        2 => r#", "region": "ap""#,
        _ => "",
    };
    let mut message = |r: &mut Lcg| {
        let (m, t) = gen_message(r);
        templates.insert(m.clone(), t);
        json_str(&m)
    };
    let latency = |r: &mut Lcg| {
        let n = r.below(2000);
        if r.below(10) < 3 {
            format!("{n}.{}", r.below(10))
        } else {
            n.to_string()
        }
    };
    match r.below(100) {
        // Event Kit: unix seconds, action, success flag, latency_ms, error
        0..=39 => {
            let fail = r.below(10) == 0;
            let error = if fail { message(r) } else { "null".to_string() };
            format!(
                r#"{{"ts": {unix}, "action": "{}", "success": {}, "latency_ms": {}{region}, "error": {error}}}"#,
                ["recommend", "explain", "export"][r.below(3) as usize],
                !fail,
                latency(r)
            )
        }
        // Trails: an event
        40..=49 => format!(
            r#"{{"timestamp": "{}Z", "level": "info", "msg": "Processing command", "command_type": "{}"{region}}}"#,
            datetime(secs, ms, 'T', '.'),
            ["CreateSession", "StartSession", "StopSession"][r.below(3) as usize]
        ),
        // Trails: an outcome in duration_ms, failed by its level (message in msg) now and then
        50..=57 => {
            let (level, msg) = if r.below(6) == 0 {
                ("error", message(r))
            } else {
                ("info", json_str("Command processed successfully"))
            };
            format!(
                r#"{{"timestamp": "{}Z", "level": "{level}", "msg": {msg}, "command_type": "{}", "duration_ms": {}{region}}}"#,
                datetime(secs, ms, 'T', '.'),
                ["CreateSession", "StartSession"][r.below(2) as usize],
                r.below(5000)
            )
        }
        // An error-level event, time with a +01:00 offset
        58..=63 => {
            let level = ["error", "ERROR", "fatal", "critical", "warn"][r.below(5) as usize];
            let msg = if level == "warn" {
                json_str("cache almost full")
            } else {
                message(r)
            };
            format!(
                r#"{{"time": "{}+01:00", "level": "{level}", "msg": {msg}, "service": "api"{region}}}"#,
                datetime(secs + 3600, ms, 'T', '.')
            )
        }
        // pino: numeric levels, unix milliseconds
        64..=67 => {
            let level = [30, 50, 60][r.below(3) as usize];
            let msg = if level == 30 {
                json_str("listening")
            } else {
                message(r)
            };
            format!(
                r#"{{"level": {level}, "time": {}{ms:03}, "pid": 7, "hostname": "web-1", "msg": {msg}}}"#,
                secs
            )
        }
        // An HTTP outcome without a latency: never in `slow`
        68..=73 => {
            let status = [r#"200"#, r#"503"#, r#""timeout""#, r#"404"#][r.below(4) as usize];
            match status {
                "503" => {
                    templates.insert("status 503".into(), "status 503".into());
                }
                r#""timeout""# => {
                    templates.insert("status timeout".into(), "status timeout".into());
                }
                _ => {}
            }
            format!(
                r#"{{"ts": {unix}, "endpoint": "/api/v{}", "status": {status}{region}}}"#,
                r.below(3)
            )
        }
        // seconds, Python-style time without a zone, ok flag, message in msg
        74..=79 => {
            let fail = r.below(5) == 0;
            let msg = if fail {
                message(r)
            } else {
                json_str("task done")
            };
            format!(
                r#"{{"@timestamp": "{}", "task": "t{}", "duration_s": {}, "ok": {}, "msg": {msg}{region}}}"#,
                datetime(secs, ms, ' ', ','),
                r.below(4),
                f64::from(r.below(12)) * 0.25,
                !fail
            )
        }
        // Go duration strings, a status word, an error in `err`
        80..=85 => {
            let d = match r.below(5) {
                0 => format!("{}ms", r.below(2000)),
                1 => format!("{}.{}s", r.below(3), r.below(10)),
                2 => format!("{}\u{b5}s", 1 + r.below(999)),
                3 => format!("1m{}.5s", r.below(60)),
                _ => "1.5s".to_string(),
            };
            let (status, err) = if r.below(4) == 0 {
                if r.below(2) == 0 {
                    ("failed", format!(r#", "err": {}"#, message(r)))
                } else {
                    templates.insert("status failed".into(), "status failed".into());
                    ("failed", String::new())
                }
            } else {
                ("ok", String::new())
            };
            format!(
                r#"{{"ts": {unix}, "op": "sync", "latency": "{d}", "status": "{status}"{err}{region}}}"#
            )
        }
        // microseconds, ties with milliseconds elsewhere
        86..=89 => format!(
            r#"{{"ts": {unix}, "route": "/r/{}", "latency_us": {}000, "success": true}}"#,
            r.below(3),
            r.below(2000)
        ),
        // no time at all: filtered out by any time filter
        90..=92 => format!(
            r#"{{"action": "recommend", "success": true, "latency_ms": {}{region}}}"#,
            latency(r)
        ),
        93..=94 => ["", "   "][r.below(2) as usize].to_string(),
        95..=96 => [
            r#"{"ts": 1732540000.5, "action": "recommend", "succ"#,
            "2024-11-25 13:07:00,412 - event_agent - INFO - Serving HTTP on port 8000",
        ][r.below(2) as usize]
            .to_string(),
        _ => format!(r#"{{"ts": {unix}, "level": "warn", "msg": "slow disk"{region}}}"#),
    }
}

struct Big {
    /// paths as passed to tlm, in order
    files: Vec<String>,
    lines: Vec<Line>,
    templates: HashMap<String, String>,
}

impl Big {
    /// The last two files and their lines (a quicker input, still two files and three chunks).
    fn tail(&self) -> (&[Line], &[String]) {
        let start = self
            .lines
            .iter()
            .position(|l| l.file == self.files[1])
            .unwrap();
        (&self.lines[start..], &self.files[1..])
    }

    fn template(&self, msg: &str) -> String {
        self.templates
            .get(msg)
            .unwrap_or_else(|| panic!("no known template for {msg:?}"))
            .clone()
    }
}

/// About 4 MB in three files (2.6 MB, 1.2 MB, 40 kB: 3, 2 and 1 chunks of 1 MiB), shared by the
/// tests that need it.
fn big() -> &'static Big {
    static BIG: OnceLock<Big> = OnceLock::new();
    BIG.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("errors_slow");
        std::fs::create_dir_all(&dir).unwrap();
        let mut r = Lcg(0x5105_e660);
        let mut templates = HashMap::new();
        let mut inputs = Vec::new();
        for (name, bytes) in [
            ("big_a.jsonl", 2_600_000),
            ("big_b.jsonl", 1_200_000),
            ("small_c.jsonl", 40_000),
        ] {
            let mut content = String::new();
            while content.len() < bytes {
                content += &gen_line(&mut r, &mut templates);
                content.push('\n');
            }
            // written aside and renamed, so a concurrent run never reads a half-written file
            let path = dir.join(name).to_string_lossy().into_owned();
            let part = format!("{path}.{}.part", std::process::id());
            std::fs::write(&part, &content).unwrap();
            std::fs::rename(&part, &path).unwrap();
            inputs.push((path, content.into_bytes()));
        }
        let lines = read_inputs(&inputs);
        Big {
            files: inputs.into_iter().map(|(p, _)| p).collect(),
            lines,
            templates,
        }
    })
}

// ================================================================================================
// slow
// ================================================================================================

#[test]
fn slow_over_matches_reference_on_eventkit() {
    let (rel, lines) = fixture_lines("eventkit_telemetry.jsonl");
    for over in ["0ms", "10ms", "40ms", "0.1s", "250ms", "1s", "2m"] {
        let ms = parse_go_duration(over).unwrap();
        let spec = SlowSpec {
            over_ms: Some(ms),
            ..SlowSpec::default()
        };
        let want = jsonl_of(&ref_slow(&lines, &Filt::new(), spec, None));
        // jsonl is the default when stdout is not a terminal
        let got = run_ok(&["slow", "--over", over, &rel]);
        assert_same_output(&got, &want, &format!("slow --over {over}"));
        let got = run_ok(&["slow", "--format", "jsonl", "--over", over, &rel]);
        assert_same_output(&got, &want, &format!("slow --format jsonl --over {over}"));
    }
    // `tlm slow --over 40ms` is `jq -c 'select(.latency_ms > 40)'` on the raw lines
    let want: Vec<u8> = std::fs::read_to_string(repo().join(&rel))
        .unwrap()
        .lines()
        .filter(|l| serde_json::from_str::<Value>(l).unwrap()["latency_ms"].as_f64() > Some(40.0))
        .flat_map(|l| format!("{l}\n").into_bytes())
        .collect();
    assert_eq!(want.iter().filter(|&&c| c == b'\n').count(), 6);
    assert_same_output(
        &run_ok(&["slow", "--over", "40ms", &rel]),
        &want,
        "slow --over 40ms vs a plain select",
    );
}

#[test]
fn slow_top_matches_reference_on_eventkit() {
    let (rel, lines) = fixture_lines("eventkit_telemetry.jsonl");
    for top in [1, 3, 10, 38, 100] {
        let spec = SlowSpec {
            top: Some(top),
            ..SlowSpec::default()
        };
        let want = jsonl_of(&ref_slow(&lines, &Filt::new(), spec, None));
        let got = run_ok(&["slow", "--top", &top.to_string(), &rel]);
        assert_same_output(&got, &want, &format!("slow --top {top}"));
    }
    // by hand: the three slowest are lines 33 (418.2), 29 (250.4), 36 (120.0)
    let got = String::from_utf8(run_ok(&["slow", "--top", "3", &rel])).unwrap();
    let lat: Vec<f64> = got
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["latency_ms"]
                .as_f64()
                .unwrap()
        })
        .collect();
    assert_eq!(lat, vec![418.2, 250.4, 120.0]);
    // --over and --top together: the N slowest of those over the threshold
    let spec = SlowSpec {
        over_ms: Some(30.0),
        top: Some(4),
        per_group: false,
    };
    let want = jsonl_of(&ref_slow(&lines, &Filt::new(), spec, None));
    assert_same_output(
        &run_ok(&["slow", "--over", "30ms", "--top", "4", &rel]),
        &want,
        "slow --over 30ms --top 4",
    );
}

#[test]
fn slow_json_format_has_file_line_time_group_latency_outcome_error_record() {
    for name in [
        "eventkit_telemetry.jsonl",
        "agenttrace.jsonl",
        "trails.jsonl",
    ] {
        let (rel, lines) = fixture_lines(name);
        let spec = SlowSpec {
            top: Some(8),
            ..SlowSpec::default()
        };
        let want = ref_slow(&lines, &Filt::new(), spec, None);
        let doc = run_json(&["slow", "--format", "json", "--top", "8", &rel]);
        let mut rep = Report::new(format!("slow --format json --top 8 {rel}"));
        let Some(got) = doc.as_array() else {
            panic!("{rel}: not an array: {doc}");
        };
        if got.len() != want.len() {
            rep.fail(format!("expected {} rows, got {}", want.len(), got.len()));
        }
        for (i, (l, r)) in want.iter().enumerate() {
            let p = format!("/{i}");
            if doc.pointer(&format!("{p}/file")).and_then(Value::as_str) != Some(&l.file) {
                rep.fail(format!("{p}/file: expected {}", l.file));
            }
            rep.u64_at(&doc, &format!("{p}/line"), l.no as u64);
            rep.time_at(&doc, &format!("{p}/time"), r.time);
            let group = r.group(None);
            if doc.pointer(&format!("{p}/group")).and_then(Value::as_str) != Some(&group) {
                rep.fail(format!("{p}/group: expected {group}"));
            }
            rep.f64_at(&doc, &format!("{p}/latency_ms"), r.latency, EXACT_REL, 0.0);
            let (outcome, error) = match &r.kind {
                Kind::Failure(m) => ("failure", Value::String(m.clone())),
                _ => ("success", Value::Null),
            };
            if doc.pointer(&format!("{p}/outcome")).and_then(Value::as_str) != Some(outcome) {
                rep.fail(format!("{p}/outcome: expected {outcome}"));
            }
            if doc.pointer(&format!("{p}/error")).unwrap_or(&Value::Null) != &error {
                rep.fail(format!("{p}/error: expected {error}"));
            }
            if doc.pointer(&format!("{p}/record")) != Some(&Value::Object(r.obj.clone())) {
                rep.fail(format!("{p}/record: expected line {} parsed", l.no));
            }
        }
        rep.finish();
    }
}

#[test]
fn slow_csv_and_table_list_the_same_rows() {
    let (rel, lines) = fixture_lines("eventkit_telemetry.jsonl");
    let spec = SlowSpec {
        over_ms: Some(100.0),
        ..SlowSpec::default()
    };
    let want = ref_slow(&lines, &Filt::new(), spec, None);
    // by hand: lines 29 (250.4), 33 (418.2) and 36 (120.0); 95.3 on line 20 is not over 100
    assert_eq!(want.len(), 3);

    let rows = csv_rows(&run_ok(&[
        "slow", "--format", "csv", "--over", "100ms", &rel,
    ]));
    assert_eq!(
        rows[0],
        strings(&[
            "file",
            "line",
            "time",
            "group",
            "latency_ms",
            "outcome",
            "error"
        ]),
    );
    assert_eq!(rows.len(), 1 + want.len(), "{rows:?}");
    for (row, (l, r)) in rows[1..].iter().zip(&want) {
        assert_eq!(row[0], l.file);
        assert_eq!(row[1], l.no.to_string());
        assert!(
            parse_datetime(&row[2]).is_some_and(|t| (t - r.time.unwrap()).abs() < 0.0011),
            "{row:?}"
        );
        assert_eq!(row[3], r.group(None));
        assert_eq!(row[4].parse::<f64>().ok(), r.latency, "{row:?}");
        let (outcome, error) = match &r.kind {
            Kind::Failure(m) => ("failure", m.as_str()),
            _ => ("success", ""),
        };
        assert_eq!((row[5].as_str(), row[6].as_str()), (outcome, error));
    }

    let table = String::from_utf8(run_ok(&[
        "slow", "--format", "table", "--over", "100ms", &rel,
    ]))
    .unwrap();
    assert!(!table.contains('\u{1b}'), "no colour without a terminal");
    let mut last = 0;
    for (l, _) in &want {
        let at = l.at();
        let pos = table
            .find(&at)
            .unwrap_or_else(|| panic!("table mentions {at}:\n{table}"));
        assert!(pos >= last, "table rows in the order of --over:\n{table}");
        last = pos;
    }
    let empty = run_ok(&["slow", "--format", "table", "--over", "1h", &rel]);
    assert!(!empty.is_empty(), "an empty table still says something");
    assert!(run_ok(&["slow", "--over", "1h", &rel]).is_empty());
}

const TIES: &str = r#"{"ts": 100, "op": "a", "latency_ms": 5}
{"ts": 101, "op": "b", "latency_ms": 9}
{"ts": 102, "op": "a", "latency_ms": 5}
{"ts": 103, "op": "a", "latency_ms": 9}
{"ts": 104, "op": "b", "latency_ms": 1}
{"ts": 105, "op": "b", "latency": "5ms"}
{"ts": 106, "msg": "Engine started"}
{"ts": 107, "op": "c", "duration_us": 9000, "success": false, "error": "boom"}
{"ts": 108, "op": "c", "status": 503}

{"ts": 109, "latency_ms": 7}
"#;

/// The line numbers `tlm slow ARGS` prints (jsonl), found by matching the raw lines.
fn slow_line_numbers(path: &str, lines: &[Line], args: &[&str]) -> Vec<usize> {
    let mut all = vec!["slow", "-j", "1"];
    all.extend_from_slice(args);
    all.push(path);
    let out = run_ok(&all);
    out.split(|&c| c == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| {
            let found: Vec<usize> = lines.iter().filter(|x| x.raw == l).map(|x| x.no).collect();
            assert_eq!(found.len(), 1, "output line is one input line: {l:?}");
            found[0]
        })
        .collect()
}

#[test]
fn slow_ties_and_per_group_by_hand() {
    let (_dir, path, lines) = temp_input(TIES);
    let n = |args: &[&str]| slow_line_numbers(&path, &lines, args);
    // latencies: 1:5 2:9 3:5 4:9 5:1 6:5 8:9 11:7; 7 is an event, 9 has no latency, 10 is blank
    assert_eq!(n(&["--top", "3"]), vec![2, 4, 8]);
    assert_eq!(n(&["--top", "5"]), vec![2, 4, 8, 11, 1]);
    assert_eq!(n(&["--top", "100"]), vec![2, 4, 8, 11, 1, 3, 6, 5]);
    // strictly slower than the threshold, in input order
    assert_eq!(n(&["--over", "5ms"]), vec![2, 4, 8, 11]);
    assert_eq!(n(&["--over", "4.999ms"]), vec![1, 2, 3, 4, 6, 8, 11]);
    assert_eq!(n(&["--over", "0.005s"]), vec![2, 4, 8, 11]);
    assert_eq!(n(&["--over", "5ms", "--top", "2"]), vec![2, 4]);
    // per group, groups in key order: (none), a, b, c
    assert_eq!(n(&["--top", "2", "--per-group"]), vec![11, 4, 1, 2, 6, 8]);
    assert_eq!(n(&["--top", "1", "--per-group"]), vec![11, 4, 2, 8]);
    // the same against the reference
    for spec in [
        SlowSpec {
            top: Some(2),
            per_group: true,
            ..SlowSpec::default()
        },
        SlowSpec {
            top: Some(3),
            over_ms: Some(1.0),
            per_group: true,
        },
    ] {
        let want = jsonl_of(&ref_slow(&lines, &Filt::new(), spec, None));
        let mut args = strings(&["slow"]);
        args.extend(slow_args(spec));
        args.push(path.clone());
        assert_same_output(&run_ok(&args), &want, &format!("{args:?}"));
    }
    // a per-group top by an explicit --by field
    let doc = run_json(&[
        "slow",
        "--format",
        "json",
        "--top",
        "1",
        "--per-group",
        "--by",
        "op",
        &path,
    ]);
    let got: Vec<(String, u64)> = doc
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["group"].as_str().unwrap().to_string(),
                h["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("(none)".to_string(), 11),
            ("a".to_string(), 4),
            ("b".to_string(), 2),
            ("c".to_string(), 8)
        ]
    );
    // the failure's error and outcome, by hand
    let hit = &doc[3];
    assert_eq!(hit["outcome"], "failure");
    assert_eq!(hit["error"], "boom");
    assert_eq!(hit["latency_ms"].as_f64(), Some(9.0));
    assert_eq!(hit["time"].as_str().and_then(parse_datetime), Some(107.0));
}

#[test]
fn slow_per_group_matches_reference() {
    for (name, by) in [
        ("eventkit_telemetry.jsonl", None),
        ("agenttrace.jsonl", Some("path")),
        ("containerkit.jsonl", None),
        ("pocketagent.jsonl", Some("fields.model")),
    ] {
        let (rel, lines) = fixture_lines(name);
        for top in [1, 2, 5] {
            let spec = SlowSpec {
                top: Some(top),
                per_group: true,
                ..SlowSpec::default()
            };
            let want = jsonl_of(&ref_slow(&lines, &Filt::new(), spec, by));
            let mut args = strings(&["slow"]);
            args.extend(slow_args(spec));
            if let Some(by) = by {
                args.extend(strings(&["--by", by]));
            }
            args.push(rel.clone());
            assert_same_output(&run_ok(&args), &want, &format!("{args:?}"));
        }
    }
}

#[test]
fn slow_on_big_files_in_parallel_matches_reference() {
    let big = big();
    let outcomes = big
        .lines
        .iter()
        .filter_map(Line::rec)
        .filter(|r| r.is_outcome() && r.latency.is_some())
        .count();
    assert!(outcomes > 20_000, "the generator makes plenty of outcomes");
    // (spec, thread counts): -j 1 must print exactly what -j 2 prints
    for (spec, threads) in [
        (
            SlowSpec {
                over_ms: Some(0.0),
                ..SlowSpec::default()
            },
            &["2", "1"][..],
        ),
        (
            SlowSpec {
                top: Some(50),
                ..SlowSpec::default()
            },
            &["2", "1"][..],
        ),
        (
            SlowSpec {
                over_ms: Some(1250.0),
                top: Some(500),
                per_group: false,
            },
            &["2"][..],
        ),
        (
            SlowSpec {
                top: Some(3),
                per_group: true,
                ..SlowSpec::default()
            },
            &["2"][..],
        ),
    ] {
        let want = jsonl_of(&ref_slow(&big.lines, &Filt::new(), spec, None));
        for threads in threads {
            let mut args = strings(&["slow", "-j", threads]);
            args.extend(slow_args(spec));
            args.extend(big.files.iter().cloned());
            let got = run_ok(&args);
            assert_same_output(&got, &want, &format!("slow -j {threads} {spec:?}"));
        }
    }
    // The top 50 has ties (whole milliseconds, in several units): they must come out in input
    // order across files and chunks, which the comparison above checked.
    let top = ref_slow(
        &big.lines,
        &Filt::new(),
        SlowSpec {
            top: Some(50),
            ..SlowSpec::default()
        },
        None,
    );
    let distinct: BTreeSet<u64> = top
        .iter()
        .map(|(_, r)| r.latency.unwrap().to_bits())
        .collect();
    assert!(distinct.len() < top.len(), "the top 50 has ties");
}

#[test]
fn slow_to_a_closed_pipe_exits_quietly() {
    let big = big();
    let args = ["slow", "--over", "0ms", "-j", "2", big.files[0].as_str()];
    let (first, code, stderr) = run_until_the_pipe_closes(&args, 1);
    assert!(first[0].starts_with('{'), "first line: {first:?}");
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
}

#[test]
fn csv_to_a_closed_pipe_exits_quietly() {
    // csv wraps its I/O errors; a closed pipe must still read as one (it printed "Broken pipe"
    // and exited 2).
    let big = big();
    let args = [
        "slow",
        "--over",
        "0ms",
        "--format",
        "csv",
        big.files[0].as_str(),
    ];
    let (first, code, stderr) = run_until_the_pipe_closes(&args, 1);
    assert!(first[0].starts_with("file,line,"), "first line: {first:?}");
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
}

/// `tlm check … | head` (or a reader that closes at once): the exit code is still the verdict,
/// so that a CI gate under `pipefail` does not pass on a breach.
#[test]
fn check_keeps_its_verdict_when_the_pipe_closes() {
    for (threshold, want) in [("0.1%", 1), ("50%", 0)] {
        let args = [
            "check",
            "--max-error-rate",
            threshold,
            "fixtures/eventkit_telemetry.jsonl",
        ];
        let (_, code, stderr) = run_until_the_pipe_closes(&args, 0);
        assert_eq!((code, stderr.as_str()), (Some(want), ""), "{threshold}");
    }
}

/// More distinct messages than `errors` keeps rows for (10,000): the totals stay exact, a
/// message that keeps coming back stays listed with a count short by at most the bound the
/// report gives, and the report says rows were dropped. (Rows used to be refused once the table
/// was full: `failures` counted only the kept rows, and a frequent message first met after that
/// point was never listed.)
#[test]
fn errors_beyond_the_row_limit_keep_exact_totals_and_frequent_messages() {
    let mut text = String::new();
    let (mut failures, mut frequent) = (0u64, 0u64);
    for i in 0..40_000u64 {
        // A unique message on every line, and `frequent` on every 50th, from line 20,000 on.
        text.push_str(&format!(
            "{{\"ts\": {}, \"success\": false, \"error\": \"unique{i}x\"}}\n",
            1_700_000_000 + i
        ));
        failures += 1;
        if i >= 20_000 && i % 50 == 0 {
            text.push_str(&format!(
                "{{\"ts\": {}, \"success\": false, \"error\": \"disk full\"}}\n",
                1_700_000_000 + i
            ));
            failures += 1;
            frequent += 1;
        }
        text.push_str(&format!(
            "{{\"ts\": {}, \"success\": true}}\n",
            1_700_000_000 + i
        ));
    }
    let (_dir, path, _) = temp_input(&text);
    for threads in ["1", "2"] {
        for raw in [true, false] {
            let mut args = vec!["errors", "--format", "json", "--top", "3", "-j", threads];
            if raw {
                args.push("--raw");
            }
            let v = run_json(&with_files(&args, std::slice::from_ref(&path)));
            assert_eq!(v["failures"], failures, "-j{threads} raw {raw}");
            assert_eq!(v["total"], failures);
            assert!(v["pruned_rows"].as_u64().unwrap() > 0);
            let bound = v["undercount_at_most"].as_u64().unwrap();
            let top = &v["errors"][0];
            assert_eq!(top["example"], "disk full", "{v}");
            let count = top["count"].as_u64().unwrap();
            assert!(
                count <= frequent && count + bound >= frequent,
                "count {count}, bound {bound}, true {frequent}"
            );
            let listed: u64 = v["errors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["count"].as_u64().unwrap())
                .sum();
            assert_eq!(listed + v["not_listed"].as_u64().unwrap(), failures);
        }
    }
    let table = String::from_utf8(run_ok(&with_files(&["errors", "--raw"], &[path]))).unwrap();
    assert!(table.contains("rows of rare ones were dropped"), "{table}");
}

/// One latency written in four units ties with itself (ties in input order), and `-0` is 0.
/// (`4.095 * 1000.0` is 4094.9999999999995: the lines came out 2, 4, 1, 3, and `max` printed
/// `-0.0`.)
#[test]
fn the_same_latency_in_any_unit_ties_and_minus_zero_is_zero() {
    let lines = [
        r#"{"ts": 1700000000, "action": "a", "latency_s": 4.095}"#,
        r#"{"ts": 1700000001, "action": "a", "latency_ms": 4095}"#,
        r#"{"ts": 1700000002, "action": "a", "duration": "4.095s"}"#,
        r#"{"ts": 1700000003, "action": "a", "latency_us": 4095000}"#,
        r#"{"ts": 1700000004, "action": "a", "latency_ms": -0}"#,
        r#"{"ts": 1700000005, "action": "a", "latency_ms": 0}"#,
    ];
    let (_dir, path, _) = temp_input(&(lines.join("\n") + "\n"));
    let out = run_ok(&with_files(
        &["slow", "--top", "6"],
        std::slice::from_ref(&path),
    ));
    let want: String = lines.iter().map(|l| format!("{l}\n")).collect();
    assert_eq!(String::from_utf8(out).unwrap(), want);
    let v = run_json(&with_files(&["summarize", "--format", "json"], &[path]));
    let lat = &v["overall"]["latency_ms"];
    assert_eq!(
        (lat["max"].as_f64(), lat["min"].as_f64()),
        (Some(4095.0), Some(0.0))
    );
    assert!(lat["min"].as_f64().unwrap().is_sign_positive(), "{lat}");
}

/// One error object written with three spacings is one row, raw or clustered.
#[test]
fn error_objects_are_one_message_whatever_their_spacing() {
    let text = [
        r#"{"ts": 1, "success": false, "error": {"code":1}}"#,
        r#"{"ts": 2, "success": false, "error": {"code": 1}}"#,
        r#"{"ts": 3, "success": false, "error": { "code" : 1 }}"#,
        r#"{"ts": 4, "success": false, "error": "disk full"}"#,
    ]
    .join("\n");
    // Written directly: the test's reference reader does not take object messages.
    let dir = tempfile::tempdir().unwrap();
    let path = dir
        .path()
        .join("objects.jsonl")
        .to_string_lossy()
        .into_owned();
    std::fs::write(&path, text).unwrap();
    for raw in [true, false] {
        let mut args = vec!["errors", "--format", "json"];
        if raw {
            args.push("--raw");
        }
        let v = run_json(&with_files(&args, std::slice::from_ref(&path)));
        let rows: Vec<(u64, String)> = v["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["count"].as_u64().unwrap(),
                    e["example"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (3, r#"{"code":1}"#.to_string()),
                (1, "disk full".to_string())
            ],
            "raw {raw}"
        );
    }
}

/// `slow --format json` re-reads each record: its numbers are the correctly rounded values of
/// their text (serde_json's default reader was one unit in the last place off for this one).
#[test]
fn slow_json_records_keep_long_numbers_exact() {
    let text = r#"{"ts": 1, "action": "a", "duration_ns": 998887531967092803.0}"#;
    let (_dir, path, _) = temp_input(text);
    let v = run_json(&with_files(
        &["slow", "--top", "1", "--format", "json"],
        &[path],
    ));
    let got = v[0]["record"]["duration_ns"].as_f64().unwrap();
    assert_eq!(
        got.to_bits(),
        "998887531967092803.0".parse::<f64>().unwrap().to_bits()
    );
}

#[test]
fn slow_needs_over_or_top() {
    let out = run(&["slow", "fixtures/eventkit_telemetry.jsonl"]);
    assert_eq!(out.code, Some(2), "stderr: {}", out.stderr);
    assert!(out.stdout.is_empty());
    assert_eq!(out.stderr.trim_end().lines().count(), 1, "{}", out.stderr);
}

// ================================================================================================
// errors
// ================================================================================================

#[test]
fn errors_raw_on_eventkit_by_hand() {
    let rel = "fixtures/eventkit_telemetry.jsonl";
    let doc = run_json(&["errors", "--raw", "--format", "json", rel]);
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["clustered"], false);
    assert_eq!(doc["group_by"], "action");
    assert_eq!(doc["inputs"]["files"], serde_json::json!([rel]));
    assert_eq!(doc["inputs"]["records"], 38);
    assert_eq!(doc["inputs"]["filtered"], 0);
    assert_eq!(
        (&doc["total"], &doc["failures"], &doc["error_events"]),
        (&6.into(), &6.into(), &0.into())
    );
    assert_eq!(
        (&doc["distinct"], &doc["not_listed"]),
        (&3.into(), &0.into())
    );
    let rows = doc["errors"].as_array().unwrap();
    let brief: Vec<(&str, u64, &str, &str)> = rows
        .iter()
        .map(|e| {
            (
                e["template"].as_str().unwrap(),
                e["count"].as_u64().unwrap(),
                e["example"].as_str().unwrap(),
                e["example_at"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        brief,
        vec![
            (
                "manifest not found: evt-123",
                3,
                "manifest not found: evt-123",
                "fixtures/eventkit_telemetry.jsonl:18"
            ),
            (
                "Graph API authentication failed",
                2,
                "Graph API authentication failed",
                "fixtures/eventkit_telemetry.jsonl:19"
            ),
            (
                "session not found: s-42",
                1,
                "session not found: s-42",
                "fixtures/eventkit_telemetry.jsonl:36"
            ),
        ]
    );
    let m = &rows[0];
    assert_eq!(m["failures"], 3);
    assert_eq!(m["error_events"], 0);
    assert_eq!(m["share"].as_f64(), Some(0.5));
    assert_eq!(
        m["groups"],
        serde_json::json!({"explain": 1, "recommend": 2})
    );
    // lines 18 and 29: ts 1732541620.512 and 1732542668.999
    assert_eq!(
        m["first_seen"].as_str().and_then(parse_datetime),
        parse_datetime("2024-11-25T13:33:40.512Z")
    );
    assert_eq!(
        m["last_seen"].as_str().and_then(parse_datetime),
        parse_datetime("2024-11-25T13:51:08.999Z")
    );
    assert_eq!(rows[1]["groups"], serde_json::json!({"export": 2}));
}

#[test]
fn errors_raw_on_fixtures_match_reference() {
    for name in [
        "eventkit_telemetry.jsonl",
        "trails.jsonl",
        "agenttrace.jsonl",
        "containerkit.jsonl",
        "pocketagent.jsonl",
        "bad_input.jsonl",
        "app_errors.jsonl",
    ] {
        let (rel, lines) = fixture_lines(name);
        let r = ref_errors(&lines, &Filt::new(), None, &raw_message);
        let doc = run_json(&["errors", "--raw", "--format", "json", "--top", "1000", &rel]);
        let mut rep = Report::new(format!("errors --raw {rel}"));
        check_inputs(&mut rep, &doc, &input_counts(&lines, &Filt::new()));
        check_errors_doc(&mut rep, &doc, &r, 1000, false);
        // every failure and every error-level event is counted once
        let failures = lines
            .iter()
            .filter_map(Line::rec)
            .filter(|r| matches!(r.kind, Kind::Failure(_)))
            .count() as u64;
        let events = lines
            .iter()
            .filter_map(Line::rec)
            .filter(|r| r.error_event.is_some())
            .count() as u64;
        rep.u64_at(&doc, "/total", failures + events);
        let sum: u64 = doc["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["count"].as_u64().unwrap())
            .sum();
        if sum != failures + events {
            rep.fail(format!(
                "row counts sum to {sum}, not {failures} failures + {events} error events"
            ));
        }
        rep.finish();
    }
}

#[test]
fn errors_on_big_files_match_reference_raw_and_clustered() {
    let big = big();
    let templates = |m: &str| big.template(m);
    for (raw, tpl) in [
        (true, &raw_message as &dyn Fn(&str) -> String),
        (false, &templates),
    ] {
        let r = ref_errors(&big.lines, &Filt::new(), None, tpl);
        assert!(r.error_events > 1000 && r.failures > 1000, "a fair mix");
        let mut outputs = Vec::new();
        // -j 1 must print the same (checked for raw messages, the more rows)
        let threads: &[&str] = if raw { &["2", "1"] } else { &["2"] };
        for &threads in threads {
            let mut args = strings(&["errors", "--format", "json", "-j", threads]);
            args.extend(strings(&["--top", "100000"]));
            if raw {
                args.push("--raw".to_string());
            }
            args.extend(big.files.iter().cloned());
            let out = run_ok(&args);
            let doc: Value = serde_json::from_slice(&out).unwrap();
            let mut rep = Report::new(format!("errors (raw: {raw}) -j {threads} on big files"));
            if doc["clustered"] != Value::Bool(!raw) {
                rep.fail(format!("/clustered: {}", doc["clustered"]));
            }
            check_inputs(&mut rep, &doc, &input_counts(&big.lines, &Filt::new()));
            check_errors_doc(&mut rep, &doc, &r, 100_000, false);
            rep.finish();
            outputs.push(out);
        }
        assert!(
            outputs.windows(2).all(|w| w[0] == w[1]),
            "-j 1 and -j 2 print the same"
        );
    }
}

#[test]
fn clustering_collapses_ids_numbers_addresses_quotes_and_durations() {
    let big = big();
    let (_, files) = big.tail();
    let doc = run_json(&with_files(
        &["errors", "--format", "json", "--top", "1000"],
        files,
    ));
    // one row per kind of message the generator writes, whatever the ids in it
    let want: BTreeSet<&str> = big.templates.values().map(String::as_str).collect();
    let got: BTreeSet<&str> = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["template"].as_str().unwrap())
        .collect();
    assert_eq!(got, want);
    for t in [
        "manifest not found: evt-<n>",
        "session <uuid> expired",
        "command <ulid> failed",
        "dial tcp <ip>: connection refused",
        "trace <hex> dropped",
        "user \"<str>\" not found",
        "Graph API timeout after <duration>",
        "retry <n> of <n>",
        "status 503",
    ] {
        assert!(got.contains(t), "template {t:?} among {got:?}");
    }
    assert_eq!(doc["distinct"].as_u64(), Some(want.len() as u64));
    let sum: u64 = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["count"].as_u64().unwrap())
        .sum();
    assert_eq!(Some(sum), doc["total"].as_u64(), "counts sum to the total");
    assert_eq!(doc["not_listed"], 0);
    // messages differing only in ids are several raw rows but one template
    let raw = run_json(&with_files(
        &["errors", "--raw", "--format", "json", "--top", "1"],
        files,
    ));
    assert!(raw["distinct"].as_u64().unwrap() > 10 * want.len() as u64);
    assert_eq!(raw["total"], doc["total"]);
}

#[test]
fn clustering_by_hand() {
    let content = [
        r#"{"ts": 1, "op": "load", "success": false, "error": "manifest not found: evt-123"}"#,
        r#"{"ts": 2, "op": "load", "success": false, "error": "manifest not found: evt-456"}"#,
        r#"{"ts": 3, "op": "call", "success": false, "error": "timeout after 5000ms"}"#,
        r#"{"ts": 4, "op": "call", "success": false, "error": "timeout after 250ms"}"#,
        r#"{"ts": 5, "op": "sess", "success": false, "error": "session 550e8400-e29b-41d4-a716-446655440000 expired"}"#,
        r#"{"ts": 6, "op": "sess", "success": false, "error": "session 6ba7b810-9dad-11d1-80b4-00c04fd430c8 expired"}"#,
        r#"{"ts": 7, "op": "cmd", "success": false, "error": "command 01ARZ3NDEKTSV4RRFFQ69G5FAV failed"}"#,
        r#"{"ts": 8, "op": "cmd", "success": false, "error": "command 01BX5ZZKBKACTAV9WEVGEMMVRZ failed"}"#,
        r#"{"ts": 9, "op": "net", "success": false, "error": "connect to 10.0.0.12 refused"}"#,
        r#"{"ts": 10, "op": "net", "success": false, "error": "connect to 192.168.1.7 refused"}"#,
        r#"{"ts": 11, "op": "trace", "success": false, "error": "trace 4bf92f3577b34da6a3ce929d0e0e4736 dropped"}"#,
        r#"{"ts": 12, "op": "trace", "success": false, "error": "trace 83f1535f99ab0bf4e9d02dfd85d3e3f7 dropped"}"#,
        r#"{"ts": 13, "op": "user", "success": false, "error": "user \"alice\" not found"}"#,
        r#"{"ts": 14, "op": "user", "success": false, "error": "user \"bob\" not found"}"#,
        r#"{"ts": 15, "op": "plain", "success": false, "error": "session limit exceeded"}"#,
    ]
    .join("\n");
    let (_dir, path, _) = temp_input(&content);
    let doc = run_json(&["errors", "--format", "json", &path]);
    let rows: BTreeMap<String, (u64, String)> = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["template"].as_str().unwrap().to_string(),
                (
                    e["count"].as_u64().unwrap(),
                    e["example"].as_str().unwrap().to_string(),
                ),
            )
        })
        .collect();
    let want: BTreeMap<String, (u64, String)> = [
        (
            "manifest not found: evt-<n>",
            2,
            "manifest not found: evt-123",
        ),
        ("timeout after <duration>", 2, "timeout after 5000ms"),
        (
            "session <uuid> expired",
            2,
            "session 550e8400-e29b-41d4-a716-446655440000 expired",
        ),
        (
            "command <ulid> failed",
            2,
            "command 01ARZ3NDEKTSV4RRFFQ69G5FAV failed",
        ),
        ("connect to <ip> refused", 2, "connect to 10.0.0.12 refused"),
        (
            "trace <hex> dropped",
            2,
            "trace 4bf92f3577b34da6a3ce929d0e0e4736 dropped",
        ),
        ("user \"<str>\" not found", 2, "user \"alice\" not found"),
        ("session limit exceeded", 1, "session limit exceeded"),
    ]
    .into_iter()
    .map(|(t, n, e)| (t.to_string(), (n, e.to_string())))
    .collect();
    assert_eq!(rows, want);
    assert_eq!(doc["total"], 15);
    assert_eq!(doc["distinct"], 8);
    assert_eq!(doc["clustered"], true);
}

#[test]
fn errors_on_a_python_logging_app_log_by_hand() {
    let rel = "fixtures/app_errors.jsonl";
    let doc = run_json(&["errors", "--format", "json", rel]);
    assert_eq!(doc["group_by"], "endpoint");
    assert_eq!(doc["inputs"]["records"], 22);
    assert_eq!(doc["inputs"]["skipped"], 0);
    assert_eq!(
        (&doc["total"], &doc["failures"], &doc["error_events"]),
        (&13.into(), &6.into(), &7.into())
    );
    assert_eq!(doc["distinct"], 6);
    let traceback = "Traceback (most recent call last):\n  File \"<str>\", line <n>, in get_user\nValueError: invalid literal for int() with base <n>: \"<str>\"";
    let brief: Vec<(String, u64, u64, u64, String)> = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["template"].as_str().unwrap().to_string(),
                e["count"].as_u64().unwrap(),
                e["failures"].as_u64().unwrap(),
                e["error_events"].as_u64().unwrap(),
                e["example_at"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let at = |n: u32| format!("{rel}:{n}");
    assert_eq!(
        brief,
        vec![
            ("connection to <ip> refused".to_string(), 4, 0, 4, at(2)),
            ("order <n> not found".to_string(), 3, 2, 1, at(4)),
            ("payment \"<str>\" declined".to_string(), 2, 2, 0, at(15)),
            (
                "worker <n> died after <duration>".to_string(),
                2,
                0,
                2,
                at(8)
            ),
            (traceback.to_string(), 1, 1, 0, at(9)),
            ("status 502".to_string(), 1, 1, 0, at(7)),
        ]
    );
    let rows = doc["errors"].as_array().unwrap();
    assert_eq!(rows[0]["groups"], serde_json::json!({"(none)": 4}));
    assert_eq!(rows[0]["example"], "connection to 10.0.0.5 refused");
    assert_eq!(
        rows[1]["groups"],
        serde_json::json!({"/api/orders": 2, "(none)": 1})
    );
    assert_eq!(rows[5]["example"], "status 502");
    // Python's "2024-03-15 08:30:01,500" has no zone: UTC
    assert_eq!(
        rows[0]["first_seen"].as_str().and_then(parse_datetime),
        parse_datetime("2024-03-15T08:30:01.500Z")
    );
    assert_eq!(
        rows[0]["last_seen"].as_str().and_then(parse_datetime),
        parse_datetime("2024-03-15T08:30:16Z")
    );

    // raw: nothing merged
    let raw = run_json(&["errors", "--raw", "--format", "json", rel]);
    assert_eq!(raw["total"], 13);
    assert_eq!(raw["distinct"], 12);
    assert_eq!(
        raw["errors"][0]["template"],
        "connection to 10.0.0.5 refused"
    );
    assert_eq!(raw["errors"][0]["count"], 2);

    // the table marks rows made of error-level events with [log]
    let table = String::from_utf8(run_ok(&["errors", "--format", "table", rel])).unwrap();
    // a row's cell may span lines (its example below it): a row is the text from its template
    // to the next row's template
    let row_text = |from: &str, to: Option<&str>| {
        let start = table
            .find(from)
            .unwrap_or_else(|| panic!("table mentions {from:?}:\n{table}"));
        let rest = &table[start..];
        let end = to.map_or(rest.len(), |to| {
            rest.find(to)
                .unwrap_or_else(|| panic!("{to:?} after {from:?}:\n{table}"))
        });
        rest[..end].to_string()
    };
    for (from, to, log) in [
        (
            "connection to <ip> refused",
            Some("order <n> not found"),
            true,
        ),
        ("payment \"<str>\" declined", Some("worker <n>"), false),
        ("worker <n> died after <duration>", Some("Traceback"), true),
        ("Traceback", Some("status 502"), false),
        ("status 502", None, false),
    ] {
        assert_eq!(
            row_text(from, to).contains("[log]"),
            log,
            "row {from:?} is marked [log] if and only if it is made of error-level events:\n{table}"
        );
    }

    // slow on the same log: the three outcomes over 200ms, in input order
    let got = String::from_utf8(run_ok(&["slow", "--over", "200ms", rel])).unwrap();
    let lines: Vec<usize> = got
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["duration_ms"].as_u64().unwrap() as usize
        })
        .collect();
    assert_eq!(lines, vec![1500, 230, 310]);
}

#[test]
fn errors_by_group() {
    // by hand on Event Kit
    let rel = "fixtures/eventkit_telemetry.jsonl";
    let doc = run_json(&["errors", "--format", "json", "--by", "action", rel]);
    assert_eq!(doc["group_by"], "action");
    let rows: Vec<(String, String, u64)> = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["group"].as_str().unwrap_or("<missing>").to_string(),
                e["template"].as_str().unwrap().to_string(),
                e["count"].as_u64().unwrap(),
            )
        })
        .collect();
    let row = |g: &str, t: &str, n: u64| (g.to_string(), t.to_string(), n);
    assert_eq!(
        rows,
        vec![
            row("export", "Graph API authentication failed", 2),
            row("recommend", "manifest not found: evt-<n>", 2),
            row("explain", "manifest not found: evt-<n>", 1),
            row("explain", "session not found: s-<n>", 1),
        ]
    );
    assert_eq!(doc["distinct"], 4);

    // against the reference on the big files, by a field many records lack
    let big = big();
    let templates = |m: &str| big.template(m);
    let r = ref_errors(&big.lines, &Filt::new(), Some("region"), &templates);
    let mut args = strings(&[
        "errors", "--format", "json", "--by", "region", "--top", "10000",
    ]);
    args.extend(big.files.iter().cloned());
    let doc = run_json(&args);
    let mut rep = Report::new("errors --by region on big files");
    if doc["group_by"] != "region" {
        rep.fail(format!("/group_by: {}", doc["group_by"]));
    }
    check_errors_doc(&mut rep, &doc, &r, 10_000, true);
    rep.finish();
}

#[test]
fn errors_top_and_not_listed() {
    let big = big();
    let (lines, files) = big.tail();
    let templates = |m: &str| big.template(m);
    let r = ref_errors(lines, &Filt::new(), None, &templates);
    for top in [1, 3] {
        let mut args = strings(&["errors", "--format", "json", "--top", &top.to_string()]);
        args.extend(files.iter().cloned());
        let doc = run_json(&args);
        let mut rep = Report::new(format!("errors --top {top}"));
        check_errors_doc(&mut rep, &doc, &r, top, false);
        rep.finish();
    }
    // the default is 20: the raw messages are many more
    let r = ref_errors(lines, &Filt::new(), None, &raw_message);
    let mut args = strings(&["errors", "--format", "json", "--raw"]);
    args.extend(files.iter().cloned());
    let doc = run_json(&args);
    let mut rep = Report::new("errors --raw (default --top)");
    check_errors_doc(&mut rep, &doc, &r, 20, false);
    rep.finish();
    assert!(doc["not_listed"].as_u64().unwrap() > 0);

    // by hand on Event Kit: 3 + 2 + 1
    let doc = run_json(&[
        "errors",
        "--format",
        "json",
        "--top",
        "1",
        "fixtures/eventkit_telemetry.jsonl",
    ]);
    assert_eq!(doc["errors"].as_array().unwrap().len(), 1);
    assert_eq!(doc["not_listed"], 3);
    assert_eq!(doc["distinct"], 3);
    assert_eq!(doc["total"], 6);
}

#[test]
fn errors_csv_and_table_smoke() {
    let rel = "fixtures/app_errors.jsonl";
    let rows = csv_rows(&run_ok(&["errors", "--format", "csv", rel]));
    let header = &rows[0];
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("csv column {name} in {header:?}"))
    };
    let (t, n) = (col("template"), col("count"));
    assert!(rows.iter().all(|r| r.len() == header.len()), "{rows:?}");
    let got: Vec<(&str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[t].as_str(), r[n].as_str()))
        .collect();
    assert_eq!(got.len(), 6, "{rows:?}");
    assert_eq!(got[0], ("connection to <ip> refused", "4"));
    assert_eq!(got[1], ("order <n> not found", "3"));
    // The first raw message's place, as the README says each row has (JSON's example_at).
    assert_eq!(rows[1][col("example_at")], format!("{rel}:2"));
    let table = String::from_utf8(run_ok(&["errors", "--format", "table", rel])).unwrap();
    assert!(table.contains(&format!("at {rel}:2")), "{table}");
    assert!(
        got[4].0.starts_with("Traceback (most recent call last):\n"),
        "{got:?}"
    );

    let rows = csv_rows(&run_ok(&[
        "errors",
        "--format",
        "csv",
        "--by",
        "action",
        "fixtures/eventkit_telemetry.jsonl",
    ]));
    assert_eq!(rows.len(), 5, "{rows:?}");
    assert!(rows[0].iter().any(|h| h == "group"), "{:?}", rows[0]);

    let table =
        String::from_utf8(run_ok(&["errors", "fixtures/eventkit_telemetry.jsonl"])).unwrap();
    assert!(!table.contains('\u{1b}'));
    for needle in [
        "manifest not found: evt-<n>",
        "Graph API authentication failed",
        "session not found: s-<n>",
        "manifest not found: evt-123",
    ] {
        assert!(
            table.contains(needle),
            "table mentions {needle:?}:\n{table}"
        );
    }
    let raw = String::from_utf8(run_ok(&[
        "errors",
        "--raw",
        "fixtures/eventkit_telemetry.jsonl",
    ]))
    .unwrap();
    assert!(!raw.contains("<n>"), "{raw}");
    let none = run_ok(&[
        "errors",
        "--where",
        "success=true",
        "fixtures/eventkit_telemetry.jsonl",
    ]);
    assert!(!none.is_empty());
    let doc = run_json(&[
        "errors",
        "--format",
        "json",
        "--where",
        "success=true",
        "fixtures/eventkit_telemetry.jsonl",
    ]);
    assert_eq!(doc["total"], 0);
    assert_eq!(doc["errors"], serde_json::json!([]));
}

// ================================================================================================
// Filters
// ================================================================================================

/// `tlm summarize` under a filter against the reference: inputs, overall and group counts,
/// latency count/min/max, and the listed error messages.
fn check_summarize(rep: &mut Report, doc: &Value, lines: &[Line], f: &Filt) {
    check_inputs(rep, doc, &input_counts(lines, f));
    #[derive(Default)]
    struct Acc {
        events: u64,
        count: u64,
        successes: u64,
        failures: u64,
        lat: Vec<f64>,
    }
    let mut overall = Acc::default();
    let mut groups: BTreeMap<String, Acc> = BTreeMap::new();
    let mut errors: BTreeMap<String, u64> = BTreeMap::new();
    for (_, r) in kept(lines, f) {
        for acc in [&mut overall, groups.entry(r.group(None)).or_default()] {
            match &r.kind {
                Kind::Event => acc.events += 1,
                k => {
                    acc.count += 1;
                    if matches!(k, Kind::Failure(_)) {
                        acc.failures += 1;
                    } else {
                        acc.successes += 1;
                    }
                    acc.lat.extend(r.latency);
                }
            }
        }
        if let Kind::Failure(m) = &r.kind {
            *errors.entry(m.clone()).or_default() += 1;
        }
    }
    let stats = |rep: &mut Report, ptr: &str, a: &Acc| {
        rep.u64_at(doc, &format!("{ptr}/events"), a.events);
        rep.u64_at(doc, &format!("{ptr}/count"), a.count);
        rep.u64_at(doc, &format!("{ptr}/successes"), a.successes);
        rep.u64_at(doc, &format!("{ptr}/failures"), a.failures);
        if a.lat.is_empty() {
            if !doc
                .pointer(&format!("{ptr}/latency_ms"))
                .is_some_and(Value::is_null)
            {
                rep.fail(format!("{ptr}/latency_ms: expected null"));
            }
        } else {
            rep.u64_at(doc, &format!("{ptr}/latency_ms/count"), a.lat.len() as u64);
            let min = a.lat.iter().copied().fold(f64::INFINITY, f64::min);
            let max = a.lat.iter().copied().fold(0.0, f64::max);
            rep.f64_at(
                doc,
                &format!("{ptr}/latency_ms/min"),
                Some(min),
                EXACT_REL,
                0.0,
            );
            rep.f64_at(
                doc,
                &format!("{ptr}/latency_ms/max"),
                Some(max),
                EXACT_REL,
                0.0,
            );
        }
    };
    stats(rep, "/overall", &overall);
    let got: Vec<&Value> = doc["groups"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let keys: BTreeSet<&str> = got.iter().filter_map(|g| g["key"].as_str()).collect();
    let want: BTreeSet<&str> = groups.keys().map(String::as_str).collect();
    if keys != want {
        rep.fail(format!("/groups: expected keys {want:?}, got {keys:?}"));
    }
    for (i, g) in got.iter().enumerate() {
        if let Some(a) = g["key"].as_str().and_then(|k| groups.get(k)) {
            stats(rep, &format!("/groups/{i}"), a);
        }
    }
    for (i, e) in doc["errors"].as_array().into_iter().flatten().enumerate() {
        let msg = e["message"].as_str().unwrap_or_default();
        if errors.get(msg).copied() != e["count"].as_u64() {
            rep.fail(format!(
                "/errors/{i}: {msg:?} expected {:?}, got {}",
                errors.get(msg),
                e["count"]
            ));
        }
    }
}

/// One filter applied by summarize, errors (raw) and slow (each spec), compared with the reference.
fn check_filter_everywhere(
    lines: &[Line],
    files: &[String],
    f: &Filt,
    slow: &[SlowSpec],
    context: &str,
) {
    let with = |cmd: &str, extra: &[&str]| {
        let mut args = strings(&[cmd]);
        args.extend(strings(extra));
        args.extend(f.args.iter().cloned());
        args.extend(files.iter().cloned());
        args
    };
    let mut rep = Report::new(format!("{context}: summarize {:?}", f.args));
    let doc = run_json(&with("summarize", &["--format", "json", "--raw-errors"]));
    check_summarize(&mut rep, &doc, lines, f);
    rep.finish();

    let mut rep = Report::new(format!("{context}: errors {:?}", f.args));
    let doc = run_json(&with(
        "errors",
        &["--format", "json", "--raw", "--top", "100000"],
    ));
    check_inputs(&mut rep, &doc, &input_counts(lines, f));
    check_errors_doc(
        &mut rep,
        &doc,
        &ref_errors(lines, f, None, &raw_message),
        100_000,
        false,
    );
    rep.finish();

    for &spec in slow {
        let want = jsonl_of(&ref_slow(lines, f, spec, None));
        let extra = slow_args(spec);
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        let got = run_ok(&with("slow", &extra));
        assert_same_output(
            &got,
            &want,
            &format!("{context}: slow {extra:?} {:?}", f.args),
        );
    }
}

const OVER_1S: SlowSpec = SlowSpec {
    over_ms: Some(1000.0),
    top: None,
    per_group: false,
};
const TOP_25: SlowSpec = SlowSpec {
    over_ms: None,
    top: Some(25),
    per_group: false,
};

#[test]
fn time_window_by_hand() {
    let (_dir, path, lines) = temp_input(TIES);
    let n = |args: &[&str]| slow_line_numbers(&path, &lines, args);
    // since <= t < until: ts 103 to 107, the outcomes with a latency among them
    assert_eq!(
        n(&["--over", "0ms", "--since", "103", "--until", "108"]),
        vec![4, 5, 6, 8]
    );
    assert_eq!(
        n(&[
            "--over",
            "0ms",
            "--since",
            "1970-01-01T00:01:43Z",
            "--until",
            "1970-01-01T00:01:48Z"
        ]),
        vec![4, 5, 6, 8]
    );
    // relative to a pinned now (110): 7s before is 103, 2s before is 108
    assert_eq!(
        n(&["--over", "0ms", "--now", "110", "--since", "7s", "--until", "2s"]),
        vec![4, 5, 6, 8]
    );
    assert_eq!(
        n(&[
            "--over",
            "0ms",
            "--now",
            "1970-01-01T00:01:50Z",
            "--since",
            "7s"
        ]),
        vec![4, 5, 6, 8, 11]
    );
    // a record without a time is filtered out by a time filter, and only then
    let untimed =
        "{\"op\": \"x\", \"latency_ms\": 3}\n{\"ts\": 100, \"op\": \"x\", \"latency_ms\": 4}\n";
    let (_dir2, path2, lines2) = temp_input(untimed);
    assert_eq!(
        slow_line_numbers(&path2, &lines2, &["--over", "0ms"]),
        vec![1, 2]
    );
    assert_eq!(
        slow_line_numbers(&path2, &lines2, &["--over", "0ms", "--since", "0"]),
        vec![2]
    );
    let doc = run_json(&["summarize", "--format", "json", "--since", "0", &path2]);
    assert_eq!(doc["inputs"]["filtered"], 1);
    assert_eq!(doc["inputs"]["records"], 2);
    assert_eq!(doc["overall"]["count"], 1);

    let doc = run_json(&[
        "summarize",
        "--format",
        "json",
        "--since",
        "103",
        "--until",
        "108",
        &path,
    ]);
    // 10 records and a blank line; kept: ts 103 to 107, one of them an event
    assert_eq!(doc["inputs"]["lines"], 11);
    assert_eq!(doc["inputs"]["records"], 10);
    assert_eq!(doc["inputs"]["blank"], 1);
    assert_eq!(doc["inputs"]["skipped"], 0);
    assert_eq!(doc["inputs"]["filtered"], 5);
    assert_eq!(doc["overall"]["events"], 1);
    assert_eq!(doc["overall"]["count"], 4);
    assert_eq!(doc["overall"]["failures"], 1);
}

#[test]
fn where_conditions_by_hand() {
    let content = r#"{"ts": 100, "action": "recommend", "latency_ms": 300, "status": 503, "region": "eu"}
{"ts": 101, "action": "explain", "latency_ms": 120, "status": 200}
{"ts": 102, "action": "export", "duration_s": 0.75, "status": 201, "region": "us"}
{"ts": 103, "action": "recommend", "duration_s": 0.25, "status": "timeout", "region": "eu"}
{"ts": 104, "action": "recommend", "latency": "1.5s", "status": 200, "region": "ap"}
{"ts": 105, "msg": "heartbeat", "region": "eu"}
"#;
    let (_dir, path, lines) = temp_input(content);
    let keep = |conds: &[&str]| {
        let mut args = vec!["slow", "-j", "1", "--over", "0ms", "--format", "csv"];
        for c in conds {
            args.extend(["--where", c]);
        }
        args.push(&path);
        csv_rows(&run_ok(&args))[1..]
            .iter()
            .map(|r| r[1].parse::<usize>().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(keep(&["action=recommend"]), vec![1, 4, 5]);
    assert_eq!(keep(&["action!=recommend"]), vec![2, 3]);
    // a missing field is "not equal", as in jq
    assert_eq!(keep(&["region!=eu"]), vec![2, 3, 5]);
    assert_eq!(keep(&["region=eu"]), vec![1, 4]);
    assert_eq!(keep(&["action~^ex"]), vec![2, 3]);
    assert_eq!(keep(&["region~."]), vec![1, 3, 4, 5]);
    assert_eq!(keep(&["status>=500"]), vec![1]);
    assert_eq!(keep(&["status<201"]), vec![2, 5]);
    assert_eq!(keep(&["status=503"]), vec![1]);
    // the detected latency, whatever its field and unit
    assert_eq!(keep(&["latency>250ms"]), vec![1, 3, 5]);
    assert_eq!(keep(&["latency>=0.3s"]), vec![1, 3, 5]);
    assert_eq!(keep(&["latency<=250ms"]), vec![2, 4]);
    assert_eq!(keep(&["latency>1s"]), vec![5]);
    assert_eq!(keep(&["latency>250"]), vec![1, 3, 5]);
    // a field with a unit suffix is read in that unit
    assert_eq!(keep(&["duration_s>500ms"]), vec![3]);
    assert_eq!(keep(&["duration_s>0.5"]), vec![3]);
    assert_eq!(keep(&["latency_ms<1s"]), vec![1, 2]);
    // the detected time, in unix seconds
    assert_eq!(keep(&["time>=102", "time<104"]), vec![3, 4]);
    // all conditions must hold
    assert_eq!(keep(&["action=recommend", "region=eu"]), vec![1, 4]);
    assert_eq!(
        keep(&["action=recommend", "latency>250ms", "region!=eu"]),
        vec![5]
    );
    // the reference agrees with every line above
    for conds in [
        vec![("region", Op::Ne, "eu")],
        vec![("latency", Op::Gt, "250ms")],
        vec![("duration_s", Op::Gt, "500ms")],
        vec![("status", Op::Ge, "500")],
        vec![("action", Op::Match, "^ex")],
        vec![("status", Op::Lt, "201"), ("latency", Op::Le, "1.5s")],
    ] {
        let f = conds
            .iter()
            .fold(Filt::new(), |f, &(field, op, v)| f.cond(field, op, v));
        let want: Vec<usize> = ref_slow(
            &lines,
            &f,
            SlowSpec {
                over_ms: Some(0.0),
                ..SlowSpec::default()
            },
            None,
        )
        .iter()
        .map(|(l, _)| l.no)
        .collect();
        let args: Vec<String> = conds
            .iter()
            .map(|&(a, o, v)| format!("{a}{}{v}", o.text()))
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_eq!(keep(&args), want, "{args:?}");
    }
    // the event (line 6) is filtered, never skipped
    let doc = run_json(&[
        "summarize",
        "--format",
        "json",
        "--where",
        "region=eu",
        &path,
    ]);
    assert_eq!(doc["inputs"]["records"], 6);
    assert_eq!(doc["inputs"]["filtered"], 3);
    assert_eq!(doc["inputs"]["skipped"], 0);
    assert_eq!(doc["overall"]["events"], 1);
    assert_eq!(doc["overall"]["count"], 2);
}

#[test]
fn filters_on_fixtures_match_reference() {
    let (rel, lines) = fixture_lines("eventkit_telemetry.jsonl");
    let files = [rel];
    for f in [
        Filt::new().since("1732541500", 1_732_541_500.0),
        Filt::new()
            .since("2024-11-25T13:30:00Z", t("2024-11-25T13:30:00Z"))
            .until("2024-11-25T14:50:00+01:00", t("2024-11-25T13:50:00Z")),
        Filt::new()
            .now("2024-11-25T14:00:00Z")
            .since("30m", t("2024-11-25T13:30:00Z")),
        Filt::new()
            .now("2024-12-02T13:45:00Z")
            .since("7d", t("2024-11-25T13:45:00Z")),
        Filt::new().cond("action", Op::Ne, "export"),
        Filt::new()
            .cond("latency", Op::Gt, "20ms")
            .cond("payload.source", Op::Eq, "manifest"),
    ] {
        check_filter_everywhere(&lines, &files, &f, &[OVER_1S, TOP_25], "eventkit");
    }
    let (rel, lines) = fixture_lines("agenttrace.jsonl");
    let files = [rel];
    for f in [
        Filt::new().cond("status", Op::Ge, "500"),
        Filt::new().cond("level", Op::Eq, "error"),
        Filt::new()
            .cond("path", Op::Match, "^/api/public/")
            .until("2024-01-15T10:30:30Z", t("2024-01-15T10:30:30Z")),
    ] {
        check_filter_everywhere(&lines, &files, &f, &[OVER_1S, TOP_25], "agenttrace");
    }
}

#[test]
fn filters_on_big_files_match_reference() {
    let big = big();
    let (lines, files) = big.tail();
    let now = (BASE + i64::from(SPAN)) as f64; // 2024-11-26T13:06:40Z
    for (i, f) in [
        Filt::new()
            .since("2024-11-25T20:00:00Z", t("2024-11-25T20:00:00Z"))
            .until("1732590000", 1_732_590_000.0),
        Filt::new()
            .now("2024-11-26T13:06:40Z")
            .since("7h", now - 7.0 * 3600.0)
            .until("1h", now - 3600.0),
        Filt::new().now("1732626400").since("1d", now - 86_400.0),
        Filt::new().cond("region", Op::Eq, "eu"),
        Filt::new()
            .cond("region", Op::Ne, "eu")
            .cond("latency", Op::Gt, "250ms")
            .cond("latency", Op::Le, "1.5s"),
        Filt::new().cond("status", Op::Ge, "500"),
        Filt::new().cond("msg", Op::Match, "^(dial|trace|session) "),
        Filt::new()
            .cond("duration_s", Op::Gt, "1500ms")
            .since("2024-11-25 18:00:00", t("2024-11-25T18:00:00Z")),
    ]
    .iter()
    .enumerate()
    {
        let slow = [[OVER_1S], [TOP_25]][i % 2];
        check_filter_everywhere(lines, files, f, &slow, "big files");
    }
}

// ================================================================================================
// Malformed arguments
// ================================================================================================

#[test]
fn malformed_filters_and_thresholds_are_exit_2_with_one_line() {
    let ek = "fixtures/eventkit_telemetry.jsonl";
    for args in [
        vec!["summarize", "--where", "action", ek],
        vec!["errors", "--where", "=recommend", ek],
        vec!["slow", "--over", "0ms", "--where", "latency>fast", ek],
        vec![
            "errors",
            "--where",
            "action=recommend",
            "--where",
            "status>=",
            ek,
        ],
        vec!["summarize", "--since", "yesterday", ek],
        vec!["errors", "--until", "2024-13-45T00:00:00Z", ek],
        vec!["slow", "--top", "3", "--since", "soon", ek],
        vec!["summarize", "--now", "noon", "--since", "1h", ek],
        vec!["slow", "--over", "fast", ek],
        vec!["slow", "--over", "", ek],
        vec!["slow", "--over", "5 parsecs", ek],
    ] {
        let out = run(&args);
        assert_eq!(out.code, Some(2), "{args:?}: stderr {}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}: stdout {}", out.stdout);
        assert_eq!(
            out.stderr.trim_end().lines().count(),
            1,
            "{args:?}: one line on stderr, got:\n{}",
            out.stderr
        );
    }
}

/// The spec asks for a one-line error for every malformed condition, an invalid regex too.
#[test]
fn malformed_where_regex_is_exit_2_with_one_line() {
    let out = run(&[
        "summarize",
        "--where",
        "action~(",
        "fixtures/eventkit_telemetry.jsonl",
    ]);
    assert_eq!(out.code, Some(2), "stderr {}", out.stderr);
    assert!(out.stdout.is_empty());
    assert_eq!(
        out.stderr.trim_end().lines().count(),
        1,
        "one line on stderr, got:\n{}",
        out.stderr
    );
}
