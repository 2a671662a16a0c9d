//! Integration tests for `tlm summarize`, checked against an independent reference.
//!
//! The reference implementation (the reading of lines in `tests/common`, the summary here)
//! re-derives every figure of the JSON document from the README alone (candidate field lists, the
//! outcome rule, latency units, time formats, skip reasons) with plain `serde_json::Value`
//! handling, exact sorting and integer nearest-rank arithmetic. It shares no code with `src/`.
//!
//! Tolerances: counts are exact; latency min/mean/max and success/error rates within 1e-9
//! relative; percentiles within 0.1% relative (+1 µs, the histogram resolution); throughput and
//! span within 1e-6 relative (timestamps such as `1732540000.123` are not exact in binary).
//!
//! The reference panics with "ambiguous" on inputs whose meaning the README leaves open; fixtures
//! and generators here never produce such inputs.

mod common;

use common::{
    close, fixture, group_key, lines_of, nearest_rank, output, parse_datetime, parse_line, repo,
    show, tlm, Fields, Lcg, Outcome, Parsed, Report, Unit, EXACT_REL, PCT_ABS, PCT_REL,
    SKIP_REASONS, TIME_REL,
};
use proptest::prelude::*;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

// ================================================================================================
// The reference summary (the reading of lines is in tests/common)
// ================================================================================================

/// Quantiles in per-mille, so that ⌈q·N⌉ is computed with integers: (k·N).div_ceil(1000).
const QUANTILES: &[(&str, u64)] = &[
    ("p50", 500),
    ("p90", 900),
    ("p95", 950),
    ("p99", 990),
    ("p999", 999),
];

#[derive(Clone, Default, Debug)]
struct Acc {
    events: u64,
    count: u64,
    successes: u64,
    failures: u64,
    latencies: Vec<f64>,
    outcome_time_min: Option<f64>,
    outcome_time_max: Option<f64>,
}

impl Acc {
    fn success_rate(&self) -> Option<f64> {
        (self.count > 0).then(|| self.successes as f64 / self.count as f64)
    }
    fn error_rate(&self) -> Option<f64> {
        (self.count > 0).then(|| self.failures as f64 / self.count as f64)
    }
    fn throughput(&self) -> Option<f64> {
        let span = self.outcome_time_max? - self.outcome_time_min?;
        (span > 0.0).then(|| self.count as f64 / span)
    }
    fn sorted_latencies(&self) -> Vec<f64> {
        let mut v = self.latencies.clone();
        v.sort_by(f64::total_cmp);
        v
    }
}

#[derive(Default, Debug)]
struct Reference {
    lines: u64,
    records: u64,
    blank: u64,
    skipped: u64,
    skipped_by_reason: BTreeMap<String, u64>,
    /// `name:line` of the first skipped line
    first_bad: Option<String>,
    bytes: u64,
    overall: Acc,
    groups: BTreeMap<String, Acc>,
    errors: BTreeMap<String, u64>,
    span: Option<(f64, f64)>,
    /// role -> field -> records that used it
    field_use: BTreeMap<&'static str, BTreeMap<String, u64>>,
    time_formats: BTreeMap<&'static str, u64>,
    latency_units: BTreeMap<&'static str, Unit>,
}

enum LineResult {
    Blank,
    Skipped(&'static str),
    Record(Box<Rec>),
}

struct Rec {
    group: String,
    time: Option<(f64, &'static str)>,
    latency: Option<f64>,
    /// `None` for an event, `Some(Some(message))` for a failure, `Some(None)` for a success
    outcome: Option<Option<String>>,
    used: Vec<(&'static str, String)>,
    latency_field: Option<(&'static str, Unit)>,
}

/// One line of an input (without its line ending), as the reference reads it.
fn classify_line(line: &[u8], by: Option<&str>) -> LineResult {
    let obj = match parse_line(line) {
        Parsed::Blank => return LineResult::Blank,
        Parsed::Skipped(reason) => return LineResult::Skipped(reason),
        Parsed::Object(obj) => obj,
    };
    let f = match Fields::read(&obj) {
        Ok(f) => f,
        Err(reason) => return LineResult::Skipped(reason),
    };
    let mut used = Vec::new();
    for (role, found) in [
        ("time", f.time.map(|(field, _, _)| field)),
        ("latency", f.latency.map(|(field, _, _)| field)),
        ("success", f.success.map(|(field, _)| field)),
        ("status", f.status.map(|(field, _)| field)),
        ("error", f.error.map(|(field, _)| field)),
        ("level", f.level.map(|(field, _)| field)),
        ("message", f.message.map(|(field, _)| field)),
    ] {
        if let Some(field) = found {
            used.push((role, field.to_string()));
        }
    }
    let (group, group_field) = group_key(&obj, by);
    if let Some(field) = group_field {
        used.push(("group", field));
    }

    let outcome = match f.outcome() {
        Outcome::Event => None,
        Outcome::Success => Some(None),
        Outcome::Failure => Some(Some(f.failure_message())),
    };
    LineResult::Record(Box::new(Rec {
        group,
        time: f.time.map(|(_, t, format)| (t, format)),
        latency: f.latency.map(|(_, _, ms)| ms),
        outcome,
        used,
        latency_field: f.latency.map(|(field, unit, _)| (field, unit)),
    }))
}

fn min_opt(a: Option<f64>, b: f64) -> Option<f64> {
    Some(a.map_or(b, |a| a.min(b)))
}
fn max_opt(a: Option<f64>, b: f64) -> Option<f64> {
    Some(a.map_or(b, |a| a.max(b)))
}

fn add_to(acc: &mut Acc, rec: &Rec) {
    match &rec.outcome {
        None => acc.events += 1,
        Some(failure) => {
            acc.count += 1;
            if failure.is_some() {
                acc.failures += 1;
            } else {
                acc.successes += 1;
            }
            if let Some(ms) = rec.latency {
                acc.latencies.push(ms);
            }
            if let Some((t, _)) = rec.time {
                acc.outcome_time_min = min_opt(acc.outcome_time_min, t);
                acc.outcome_time_max = max_opt(acc.outcome_time_max, t);
            }
        }
    }
}

impl Reference {
    /// `inputs`: (display name, decompressed bytes), in the order tlm reads them.
    fn compute(inputs: &[(String, Vec<u8>)], by: Option<&str>) -> Reference {
        let mut r = Reference::default();
        for (name, bytes) in inputs {
            r.bytes += bytes.len() as u64;
            for (i, line) in lines_of(bytes).into_iter().enumerate() {
                r.lines += 1;
                match classify_line(line, by) {
                    LineResult::Blank => r.blank += 1,
                    LineResult::Skipped(reason) => {
                        r.skipped += 1;
                        *r.skipped_by_reason.entry(reason.to_string()).or_default() += 1;
                        if r.first_bad.is_none() {
                            r.first_bad = Some(format!("{name}:{}", i + 1));
                        }
                    }
                    LineResult::Record(rec) => r.add(&rec),
                }
            }
        }
        r
    }

    fn add(&mut self, rec: &Rec) {
        self.records += 1;
        add_to(&mut self.overall, rec);
        add_to(self.groups.entry(rec.group.clone()).or_default(), rec);
        if let Some(Some(msg)) = &rec.outcome {
            *self.errors.entry(msg.clone()).or_default() += 1;
        }
        if let Some((t, fmt)) = rec.time {
            self.span = Some(match self.span {
                None => (t, t),
                Some((a, b)) => (a.min(t), b.max(t)),
            });
            *self.time_formats.entry(fmt).or_default() += 1;
        }
        for (role, field) in &rec.used {
            *self
                .field_use
                .entry(*role)
                .or_default()
                .entry(field.clone())
                .or_default() += 1;
        }
        if let Some((field, unit)) = rec.latency_field {
            self.latency_units.insert(field, unit);
        }
    }

    /// The most used field for a role (all of them on a tie); empty when the role was never seen.
    fn most_used(&self, role: &str) -> BTreeSet<String> {
        most_of(self.field_use.get(role).into_iter().flatten())
    }
}

fn most_of<'a, K: ToString + 'a>(counts: impl Iterator<Item = (K, &'a u64)>) -> BTreeSet<String> {
    let all: Vec<(String, u64)> = counts.map(|(k, v)| (k.to_string(), *v)).collect();
    let best = all.iter().map(|(_, v)| *v).max().unwrap_or(0);
    all.into_iter()
        .filter(|(_, v)| *v == best && best > 0)
        .map(|(k, _)| k)
        .collect()
}

// ================================================================================================
// Comparing tlm's JSON with the reference
// ================================================================================================

fn set_of(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

struct Expect<'a> {
    /// display names tlm should list under `inputs.files` (None: don't check names/bytes)
    files: Option<&'a [String]>,
    by: Option<&'a str>,
    /// check the `fields` block (single-system inputs only)
    fields: bool,
}

fn compare_stats(rep: &mut Report, doc: &Value, ptr: &str, acc: &Acc) {
    rep.u64_at(doc, &format!("{ptr}/events"), acc.events);
    rep.u64_at(doc, &format!("{ptr}/count"), acc.count);
    rep.u64_at(doc, &format!("{ptr}/successes"), acc.successes);
    rep.u64_at(doc, &format!("{ptr}/failures"), acc.failures);
    rep.f64_at(
        doc,
        &format!("{ptr}/success_rate"),
        acc.success_rate(),
        EXACT_REL,
        0.0,
    );
    rep.f64_at(
        doc,
        &format!("{ptr}/error_rate"),
        acc.error_rate(),
        EXACT_REL,
        0.0,
    );
    rep.f64_at(
        doc,
        &format!("{ptr}/throughput_per_second"),
        acc.throughput(),
        TIME_REL,
        0.0,
    );
    let lat_ptr = format!("{ptr}/latency_ms");
    let sorted = acc.sorted_latencies();
    if sorted.is_empty() {
        if !doc.pointer(&lat_ptr).is_some_and(Value::is_null) {
            rep.fail(format!(
                "{lat_ptr}: expected null (no latencies), got {}",
                show(doc.pointer(&lat_ptr))
            ));
        }
        return;
    }
    rep.u64_at(doc, &format!("{lat_ptr}/count"), sorted.len() as u64);
    let mean = common::readme_mean(&sorted);
    rep.f64_at(
        doc,
        &format!("{lat_ptr}/min"),
        Some(sorted[0]),
        EXACT_REL,
        0.0,
    );
    rep.f64_at(
        doc,
        &format!("{lat_ptr}/max"),
        sorted.last().copied(),
        EXACT_REL,
        0.0,
    );
    rep.f64_at(doc, &format!("{lat_ptr}/mean"), Some(mean), EXACT_REL, 0.0);
    for &(name, per_mille) in QUANTILES {
        let exp = nearest_rank(&sorted, per_mille);
        rep.f64_at(
            doc,
            &format!("{lat_ptr}/{name}"),
            Some(exp),
            PCT_REL,
            PCT_ABS,
        );
    }
}

fn compare(rep: &mut Report, doc: &Value, r: &Reference, ex: &Expect) {
    rep.u64_at(doc, "/schema_version", 1);

    // inputs
    if let Some(files) = ex.files {
        let want: Vec<Value> = files.iter().map(|f| Value::String(f.clone())).collect();
        if doc.pointer("/inputs/files") != Some(&Value::Array(want.clone())) {
            rep.fail(format!(
                "/inputs/files: expected {}, got {}",
                Value::Array(want),
                show(doc.pointer("/inputs/files"))
            ));
        }
        for f in files {
            let ptr = format!(
                "/inputs/formats/{}",
                f.replace('~', "~0").replace('/', "~1")
            );
            rep.str_at(doc, &ptr, &set_of(&["json"]));
        }
        rep.u64_at(doc, "/inputs/bytes", r.bytes);
    }
    rep.u64_at(doc, "/inputs/lines", r.lines);
    rep.u64_at(doc, "/inputs/records", r.records);
    rep.u64_at(doc, "/inputs/blank", r.blank);
    rep.u64_at(doc, "/inputs/skipped", r.skipped);
    let got_reasons: BTreeMap<String, u64> = doc
        .pointer("/inputs/skipped_by_reason")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_u64().filter(|&n| n > 0).map(|n| (k.clone(), n)))
                .collect()
        })
        .unwrap_or_default();
    if got_reasons != r.skipped_by_reason {
        rep.fail(format!(
            "/inputs/skipped_by_reason: expected {:?}, got {}",
            r.skipped_by_reason,
            show(doc.pointer("/inputs/skipped_by_reason"))
        ));
    }
    for reason in got_reasons.keys() {
        if !SKIP_REASONS.contains(&reason.as_str()) {
            rep.fail(format!(
                "/inputs/skipped_by_reason: unknown reason {reason:?}"
            ));
        }
    }

    // group_by and fields
    match ex.by {
        Some(by) => rep.str_at(doc, "/group_by", &set_of(&[by])),
        None => {
            let most = r.most_used("group");
            if !most.is_empty() {
                rep.str_at(doc, "/group_by", &most);
            }
        }
    }
    if ex.fields {
        for role in [
            "time", "latency", "success", "status", "error", "level", "message",
        ] {
            rep.str_at(doc, &format!("/fields/{role}"), &r.most_used(role));
        }
        match ex.by {
            Some(by) if !by.contains(',') => rep.str_at(doc, "/fields/group", &set_of(&[by])),
            Some(_) => {}
            None => rep.str_at(doc, "/fields/group", &r.most_used("group")),
        }
        rep.str_at(
            doc,
            "/fields/time_format",
            &most_of(r.time_formats.iter().map(|(k, v)| (*k, v))),
        );
        let units: BTreeSet<String> = r
            .most_used("latency")
            .iter()
            .map(|f| r.latency_units[f.as_str()].label().to_string())
            .collect();
        rep.str_at(doc, "/fields/latency_unit", &units);
    }

    // percentiles block
    rep.str_at(
        doc,
        "/percentiles/method",
        &set_of(&["nearest-rank over HdrHistogram, 3 significant digits"]),
    );
    rep.f64_at(
        doc,
        "/percentiles/max_relative_error",
        Some(0.001),
        1e-12,
        0.0,
    );

    // span
    match r.span {
        None => {
            if !doc.pointer("/span").is_some_and(Value::is_null) {
                rep.fail(format!(
                    "/span: expected null, got {}",
                    show(doc.pointer("/span"))
                ));
            }
        }
        Some((start, end)) => {
            rep.f64_at(doc, "/span/seconds", Some(end - start), TIME_REL, 1e-6);
            for (ptr, exp) in [("/span/start", start), ("/span/end", end)] {
                let got = doc
                    .pointer(ptr)
                    .and_then(Value::as_str)
                    .and_then(parse_datetime);
                if !got.is_some_and(|g| (g - exp).abs() <= 0.001_001) {
                    rep.fail(format!(
                        "{ptr}: expected an RFC 3339 time within 1 ms of unix {exp}, got {}",
                        show(doc.pointer(ptr))
                    ));
                }
            }
        }
    }

    // overall and groups
    compare_stats(rep, doc, "/overall", &r.overall);
    let got_groups: Vec<&Value> = doc
        .pointer("/groups")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let mut seen = BTreeSet::new();
    for (i, g) in got_groups.iter().enumerate() {
        let Some(key) = g.get("key").and_then(Value::as_str) else {
            rep.fail(format!(
                "/groups/{i}/key: not a string: {}",
                show(g.get("key"))
            ));
            continue;
        };
        if !seen.insert(key.to_string()) {
            rep.fail(format!("/groups: key {key:?} appears twice"));
        }
        match r.groups.get(key) {
            Some(acc) => compare_stats(rep, doc, &format!("/groups/{i}"), acc),
            None => rep.fail(format!("/groups: unexpected group {key:?}")),
        }
    }
    for key in r.groups.keys() {
        if !seen.contains(key) {
            rep.fail(format!("/groups: missing group {key:?}"));
        }
    }

    // top errors
    compare_errors(rep, doc, &r.errors);

    // the document's own bookkeeping
    let n = |p: &str| doc.pointer(p).and_then(Value::as_u64).unwrap_or(u64::MAX);
    if n("/inputs/lines")
        != n("/inputs/records")
            .wrapping_add(n("/inputs/blank"))
            .wrapping_add(n("/inputs/skipped"))
    {
        rep.fail("inputs: lines != records + blank + skipped".to_string());
    }
    if n("/inputs/records") != n("/overall/events").wrapping_add(n("/overall/count")) {
        rep.fail("records != overall.events + overall.count".to_string());
    }
}

fn compare_errors(rep: &mut Report, doc: &Value, expected: &BTreeMap<String, u64>) {
    let Some(got) = doc.pointer("/errors").and_then(Value::as_array) else {
        rep.fail(format!(
            "/errors: not an array: {}",
            show(doc.pointer("/errors"))
        ));
        return;
    };
    let mut listed = BTreeSet::new();
    let mut previous = u64::MAX;
    for (i, e) in got.iter().enumerate() {
        let (Some(msg), Some(count)) = (
            e.get("message").and_then(Value::as_str),
            e.get("count").and_then(Value::as_u64),
        ) else {
            rep.fail(format!("/errors/{i}: malformed entry {e}"));
            continue;
        };
        if count > previous {
            rep.fail(format!(
                "/errors: not sorted by count at {i} ({msg:?}: {count})"
            ));
        }
        previous = count;
        listed.insert(msg.to_string());
        match expected.get(msg) {
            Some(&c) if c == count => {}
            Some(&c) => rep.fail(format!("/errors: {msg:?} expected count {c}, got {count}")),
            None => rep.fail(format!(
                "/errors: unexpected message {msg:?} (count {count})"
            )),
        }
    }
    // Every error must be listed when there are at most 5 distinct messages; beyond that the
    // list may be a top-N, but nothing left out may outnumber something listed.
    let min_listed = got
        .iter()
        .filter_map(|e| e.get("count").and_then(Value::as_u64))
        .min()
        .unwrap_or(0);
    for (msg, &count) in expected {
        if listed.contains(msg) {
            continue;
        }
        if expected.len() <= 5 || count > min_listed {
            rep.fail(format!("/errors: missing {msg:?} (count {count})"));
        }
    }
}

// ================================================================================================
// Running tlm
// ================================================================================================

/// `tlm summarize ARGS…`, with `stdin` on its standard input.
fn run(args: &[&str], stdin: Option<&[u8]>) -> common::Run {
    let mut cmd = tlm();
    cmd.timeout(Duration::from_secs(120))
        .arg("summarize")
        .args(args);
    if let Some(input) = stdin {
        cmd.write_stdin(input.to_vec());
    }
    output(&mut cmd)
}

/// `tlm summarize --format json ARGS…` must succeed and print one JSON document.
fn run_json(args: &[&str], stdin: Option<&[u8]>) -> Value {
    // The reference counts raw messages; clustering is tested in tests/errors_slow.rs.
    let mut all = vec!["--format", "json", "--raw-errors"];
    all.extend_from_slice(args);
    let out = run(&all, stdin);
    assert_eq!(
        out.code,
        Some(0),
        "tlm summarize {all:?} failed\nstderr: {}",
        out.stderr
    );
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "tlm summarize {all:?}: stdout is not one JSON document ({e}):\n{}",
            out.stdout
        )
    })
}

/// Summarize one fixture with tlm and with the reference, and compare everything.
fn check_fixture(name: &str, by: Option<&str>) -> Value {
    let (rel, bytes) = fixture(name);
    let reference = Reference::compute(&[(rel.clone(), bytes)], by);
    let mut args = vec![];
    if let Some(by) = by {
        args.extend(["--by", by]);
    }
    args.push(&rel);
    let doc = run_json(&args, None);
    let mut rep = Report::new(format!("{rel} (--by {by:?})"));
    let files = [rel.clone()];
    compare(
        &mut rep,
        &doc,
        &reference,
        &Expect {
            files: Some(&files),
            by,
            fields: true,
        },
    );
    rep.finish();
    doc
}

/// Write `content` under a temp dir, summarize it with tlm and the reference, compare.
fn check_bytes(content: &[u8], by: Option<&str>, context: &str) -> Value {
    check_bytes_with(content, by, &[], context)
}

/// [`check_bytes`] with more arguments for tlm.
fn check_bytes_with(content: &[u8], by: Option<&str>, extra: &[&str], context: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("input.jsonl");
    std::fs::write(&path, content).unwrap();
    let shown = path.to_string_lossy().into_owned();
    let reference = Reference::compute(&[(shown.clone(), content.to_vec())], by);
    // Generated mixes may open with lines that are not objects (or a Python log line): the
    // reference reads JSON Lines, so tlm is told the format rather than left to detect it.
    let mut args = vec!["--input-format", "json"];
    args.extend(extra);
    if let Some(by) = by {
        args.extend(["--by", by]);
    }
    args.push(&shown);
    let doc = run_json(&args, None);
    let mut rep = Report::new(context.to_string());
    let files = [shown.clone()];
    compare(
        &mut rep,
        &doc,
        &reference,
        &Expect {
            files: Some(&files),
            by,
            fields: false,
        },
    );
    if rep.problems.is_empty() {
        return doc;
    }
    let keep = std::env::temp_dir().join(format!("tlm-failing-{}.jsonl", std::process::id()));
    std::fs::write(&keep, content).unwrap();
    rep.fail(format!("input kept at {}", keep.display()));
    rep.finish();
    unreachable!()
}

/// The README's figures of a document, without what names or sizes the inputs (extra keys tlm may
/// add, such as per-file compression, are left out too).
fn figures(doc: &Value) -> Value {
    let mut inputs = Map::new();
    for key in ["lines", "records", "blank", "skipped", "skipped_by_reason"] {
        inputs.insert(key.to_string(), doc["inputs"][key].clone());
    }
    let mut out = Map::new();
    out.insert("inputs".to_string(), Value::Object(inputs));
    for key in [
        "schema_version",
        "group_by",
        "fields",
        "percentiles",
        "span",
        "overall",
        "groups",
        "errors",
    ] {
        out.insert(key.to_string(), doc[key].clone());
    }
    Value::Object(out)
}

fn group<'a>(doc: &'a Value, key: &str) -> &'a Value {
    doc["groups"]
        .as_array()
        .and_then(|gs| gs.iter().find(|g| g["key"] == key))
        .unwrap_or_else(|| panic!("no group {key:?} in {}", doc["groups"]))
}

#[track_caller]
fn assert_num(v: &Value, exp: f64) {
    let got = v
        .as_f64()
        .unwrap_or_else(|| panic!("expected number {exp}, got {v}"));
    assert!(close(got, exp, 1e-9, 1e-12), "expected {exp}, got {got}");
}

#[track_caller]
fn assert_pct(v: &Value, exp: f64) {
    let got = v
        .as_f64()
        .unwrap_or_else(|| panic!("expected percentile {exp}, got {v}"));
    assert!(
        close(got, exp, PCT_REL, PCT_ABS),
        "expected percentile {exp} (±0.1%), got {got}"
    );
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn zstd_compress(data: &[u8]) -> Vec<u8> {
    zstd::encode_all(data, 3).unwrap()
}

fn decompress_by_magic(bytes: Vec<u8>) -> Vec<u8> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&bytes[..]), &mut out)
            .unwrap();
        out
    } else if bytes.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        zstd::decode_all(&bytes[..]).unwrap()
    } else {
        bytes
    }
}

/// Files under `dir`, recursively, in sorted order.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    let mut files = Vec::new();
    for p in entries {
        if p.is_dir() {
            files.extend(walk(&p));
        } else {
            files.push(p);
        }
    }
    files
}

// ================================================================================================
// Fixtures against the reference
// ================================================================================================

#[test]
fn eventkit_matches_reference() {
    let doc = check_fixture("eventkit_telemetry.jsonl", None);
    assert_eq!(doc["group_by"], "action");
}

#[test]
fn eventkit_explicit_by_action_matches_reference() {
    check_fixture("eventkit_telemetry.jsonl", Some("action"));
}

#[test]
fn trails_matches_reference() {
    check_fixture("trails.jsonl", None);
}

#[test]
fn agenttrace_by_path_matches_reference() {
    check_fixture("agenttrace.jsonl", Some("path"));
}

#[test]
fn agenttrace_by_method_and_path_matches_reference() {
    let doc = check_fixture("agenttrace.jsonl", Some("method,path"));
    // the group key is the values joined by a space
    assert_eq!(group(&doc, "POST /api/public/traces")["count"], 17);
    assert_eq!(group(&doc, "POST /api/public/traces")["failures"], 2);
    assert_eq!(group(&doc, "GET /health")["failures"], 1);
}

#[test]
fn agenttrace_without_group_field_matches_reference() {
    let doc = check_fixture("agenttrace.jsonl", None);
    assert_eq!(doc["groups"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["groups"][0]["key"], "(none)");
}

#[test]
fn containerkit_matches_reference() {
    check_fixture("containerkit.jsonl", None);
}

#[test]
fn pocketagent_by_model_matches_reference() {
    let doc = check_fixture("pocketagent.jsonl", Some("fields.model"));
    assert_eq!(doc["group_by"], "fields.model");
}

#[test]
fn pocketagent_matches_reference() {
    check_fixture("pocketagent.jsonl", None);
}

#[test]
fn bad_input_matches_reference() {
    check_fixture("bad_input.jsonl", None);
}

#[test]
fn several_files_merge_like_one() {
    let names = [
        "eventkit_telemetry.jsonl",
        "trails.jsonl",
        "bad_input.jsonl",
    ];
    let inputs: Vec<(String, Vec<u8>)> = names.iter().map(|n| fixture(n)).collect();
    let reference = Reference::compute(&inputs, None);
    let args: Vec<&str> = inputs.iter().map(|(n, _)| n.as_str()).collect();
    let doc = run_json(&args, None);
    let files: Vec<String> = inputs.iter().map(|(n, _)| n.clone()).collect();
    let mut rep = Report::new("three fixtures at once");
    compare(
        &mut rep,
        &doc,
        &reference,
        &Expect {
            files: Some(&files),
            by: None,
            fields: false,
        },
    );
    rep.finish();
}

#[test]
fn fixtures_directory_matches_reference() {
    // The JSON Lines fixtures, copied into a directory of their own (the text-format fixtures
    // are read as their own formats, which this JSON reference does not model).
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("nested")).unwrap();
    for (i, p) in walk(&repo().join("fixtures"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .enumerate()
    {
        let sub = if i % 2 == 0 { "" } else { "nested" };
        let name = p.file_name().unwrap();
        std::fs::copy(&p, tmp.path().join(sub).join(name)).unwrap();
    }
    let inputs: Vec<(String, Vec<u8>)> = walk(tmp.path())
        .into_iter()
        .map(|p| {
            let bytes = decompress_by_magic(std::fs::read(&p).unwrap());
            (p.to_string_lossy().into_owned(), bytes)
        })
        .collect();
    assert!(inputs.len() >= 6, "the JSON fixtures are there");
    let reference = Reference::compute(&inputs, None);
    let shown = tmp.path().to_string_lossy().into_owned();
    let doc = run_json(&[&shown], None);
    let mut rep = Report::new("the JSON fixtures as a directory");
    compare(
        &mut rep,
        &doc,
        &reference,
        &Expect {
            files: None,
            by: None,
            fields: false,
        },
    );
    rep.finish();
}

/// A file of several 4 MiB chunks whose lines are nearly all of one shape, so that the engine
/// reads most chunks with templates before splitting them into lines (see `engine::process`),
/// with damaged lines among them: CRLF endings, strings with a tab, a control byte, DEL or
/// non-ASCII text, escapes, cut lines, trailing bytes, blank lines, and no newline at the end.
#[test]
fn long_file_read_with_templates_matches_reference() {
    let actions = [
        "recommend",
        "search",
        "explain",
        "track_event",
        "a much longer action name",
    ];
    let sources = ["cache", "graph", "manifest", "user"];
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = |n: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % n
    };
    let mut out = Vec::new();
    let mut i = 0u64;
    while out.len() < 14 << 20 {
        i += 1;
        let failed = next(20) == 0;
        let error = if failed {
            format!("\"timeout after {} ms\"", next(5000))
        } else {
            "null".to_string()
        };
        let mut line = format!(
            r#"{{"ts": {}.{:03}, "action": "{}", "success": {}, "latency_ms": {}.{}, "payload": {{"top": {}, "source": "{}"}}, "error": {}}}"#,
            1_732_540_000 + i / 50,
            next(1000),
            actions[next(5) as usize],
            !failed,
            next(900),
            next(100),
            next(30),
            sources[next(4) as usize],
            error,
        );
        let mut ending = "\n";
        match next(400) {
            0 => ending = "\r\n",
            1 => line = line.replace("cache", "ca\tche"),
            2 => line = line.replace("graph", "gr\u{1}aph"),
            3 => line = line.replace("user", "us\u{7f}er"),
            4 => line = line.replace("manifest", "mañifest"),
            5 => line = line.replace("search", r#"se\"arch"#),
            6 => line.truncate(next(line.len() as u64) as usize),
            7 => line.push_str(" x"),
            8 => line.clear(),
            9 => line = line.replace("\"top\": ", "\"top\": 1e"),
            10 => line.push('\r'),
            _ => {}
        }
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(ending.as_bytes());
    }
    out.extend_from_slice(br#"{"ts": 1732549999, "action": "search", "success": true, "latency_ms": 1.5, "payload": {"top": 1, "source": "user"}, "error": null}"#);
    // One thread reads the chunks one after another (all but the first with templates first);
    // two share them.
    for threads in ["1", "2"] {
        let doc = check_bytes_with(
            &out,
            None,
            &["-j", threads],
            "long file read with templates",
        );
        assert!(
            doc["inputs"]["skipped"].as_u64().unwrap() > 0,
            "damaged lines are skipped"
        );
    }
}

// ================================================================================================
// Hand-computed literals
// ================================================================================================

#[test]
fn five_lines_by_hand() {
    let input = br#"{"ts": 1732540000, "action": "recommend", "success": true, "latency_ms": 10, "error": null}
{"ts": 1732540001, "action": "recommend", "success": true, "latency_ms": 20, "error": null}
{"ts": 1732540002, "action": "explain", "success": false, "latency_ms": 30, "error": "boom"}
{"ts": 1732540003, "action": "recommend", "success": true, "latency_ms": 40, "error": null}
{"ts": 1732540004, "action": "recommend", "success": false, "latency_ms": 1000, "error": "boom"}
"#;
    let doc = check_bytes(input, None, "five lines");
    let o = &doc["overall"];
    assert_eq!(doc["inputs"]["lines"], 5);
    assert_eq!(doc["inputs"]["records"], 5);
    assert_eq!(o["events"], 0);
    assert_eq!(o["count"], 5);
    assert_eq!(o["successes"], 3);
    assert_eq!(o["failures"], 2);
    assert_num(&o["success_rate"], 0.6);
    assert_num(&o["error_rate"], 0.4);
    assert_num(&o["throughput_per_second"], 1.25); // 5 outcomes over 4 s
    let l = &o["latency_ms"];
    assert_eq!(l["count"], 5);
    assert_num(&l["min"], 10.0);
    assert_num(&l["mean"], 220.0);
    assert_num(&l["max"], 1000.0);
    assert_pct(&l["p50"], 30.0); // rank ⌈2.5⌉ = 3
    assert_pct(&l["p90"], 1000.0); // rank ⌈4.5⌉ = 5
    let rec = group(&doc, "recommend");
    assert_eq!(rec["count"], 4);
    assert_eq!(rec["failures"], 1);
    assert_pct(&rec["latency_ms"]["p50"], 20.0); // 10 20 40 1000, rank 2
    assert_num(&rec["throughput_per_second"], 1.0); // 4 over 4 s
    let exp = group(&doc, "explain");
    assert_eq!(exp["count"], 1);
    assert!(
        exp["throughput_per_second"].is_null(),
        "one outcome: span 0"
    );
    assert_eq!(
        doc["errors"],
        serde_json::json!([{"message": "boom", "count": 2, "example": "boom"}])
    );
    assert_num(&doc["span"]["seconds"], 4.0);
    assert_eq!(doc["fields"]["time_format"], "unix_s");
    assert_eq!(doc["fields"]["latency"], "latency_ms");
}

#[test]
fn trails_events_and_outcomes_by_hand() {
    let input = br#"{"timestamp": "2025-01-15T10:30:00Z", "level": "info", "msg": "Engine started", "worker_count": 3, "max_sessions": 10}
{"timestamp": "2025-01-15T10:30:01Z", "level": "info", "msg": "Processing command", "command_type": "CreateSession", "command_id": "c1"}
{"timestamp": "2025-01-15T10:30:01.125Z", "level": "info", "msg": "Command processed successfully", "command_type": "CreateSession", "duration_ms": 125}
{"timestamp": "2025-01-15T10:30:02Z", "level": "info", "msg": "Processing command", "command_type": "CreateSession", "command_id": "c2"}
{"timestamp": "2025-01-15T10:30:03Z", "level": "error", "msg": "Command processing failed", "error": "session limit exceeded", "command_type": "CreateSession"}
{"timestamp": "2025-01-15T10:30:04Z", "level": "warn", "msg": "Rate limit exceeded", "session_id": "s1", "limit_per_second": 10}
{"timestamp": "2025-01-15T10:30:05.125Z", "level": "info", "msg": "Command processed successfully", "duration_ms": 75}
"#;
    let doc = check_bytes(input, None, "trails by hand");
    let o = &doc["overall"];
    assert_eq!(o["events"], 4);
    assert_eq!(o["count"], 3);
    assert_eq!(o["failures"], 1);
    assert_num(&o["success_rate"], 2.0 / 3.0);
    assert_num(&o["throughput_per_second"], 0.75); // 3 outcomes, 10:30:01.125 .. 10:30:05.125
    assert_eq!(o["latency_ms"]["count"], 2);
    assert_num(&o["latency_ms"]["mean"], 100.0);
    assert_pct(&o["latency_ms"]["p50"], 75.0);
    let cs = group(&doc, "CreateSession");
    assert_eq!(
        (cs["events"].as_u64(), cs["count"].as_u64()),
        (Some(2), Some(2))
    );
    assert_num(&cs["throughput_per_second"], 2.0 / 1.875);
    let none = group(&doc, "(none)");
    assert_eq!(
        (none["events"].as_u64(), none["count"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(
        doc["errors"],
        serde_json::json!([{"message": "session limit exceeded", "count": 1, "example": "session limit exceeded"}])
    );
    assert_num(&doc["span"]["seconds"], 5.125);
    assert_eq!(doc["fields"]["time"], "timestamp");
    assert_eq!(doc["fields"]["time_format"], "rfc3339");
}

#[test]
fn failure_rule_by_hand() {
    let input =
        br#"{"success": true, "status": "error", "error": "x", "level": "error", "latency_ms": 1}
{"success": false, "latency_ms": 2, "msg": "boom"}
{"status": "Timeout", "latency_ms": 3}
{"status": 503}
{"status": "503", "msg": "upstream"}
{"status": 404, "level": "warn"}
{"status": "ok", "level": "ERROR", "message": "boom"}
{"error": "disk full"}
{"latency_ms": 9, "level": 50, "msg": "boom"}
{"latency_ms": 10, "level": 40, "msg": "fine"}
{"latency_ms": 11, "error": ""}
{"latency_ms": 12, "error": {}}
{"latency_ms": 13, "error": []}
{"latency_ms": 14, "error": false}
{"success": "false", "error": "disk full"}
{"ok": 0, "error": "disk full"}
{"level": "error", "msg": "just a log line"}
{"msg": "hello"}
{"status": "success", "level": "CRITICAL", "msg": "boom"}
{"success": true, "status": 500, "msg": "fine"}
{"outcome": "FAILED", "msg": "boom"}
{"status": 200, "status_code": 502}
{"result": {"rows": 3}, "latency_ms": 5}
{"http_status": 500, "error": null, "msg": "boom"}
{"success": true, "error": "ignored"}
"#;
    let doc = check_bytes(input, None, "failure rule");
    let o = &doc["overall"];
    assert_eq!(o["events"], 2); // a level alone does not make an outcome
    assert_eq!(o["count"], 23);
    assert_eq!(o["failures"], 12);
    assert_eq!(o["successes"], 11);
    assert!(o["throughput_per_second"].is_null(), "no times");
    assert!(doc["span"].is_null(), "no times");
    let l = &o["latency_ms"];
    assert_eq!(l["count"], 10); // 1 2 3 5 9 10 11 12 13 14
    assert_num(&l["mean"], 8.0);
    assert_pct(&l["p50"], 9.0);
    assert_pct(&l["p90"], 13.0);
    assert_pct(&l["p99"], 14.0);
    let errors: BTreeMap<String, u64> = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["message"].as_str().unwrap().to_string(),
                e["count"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected: BTreeMap<String, u64> = [
        ("boom", 6),
        ("disk full", 3),
        ("status Timeout", 1),
        ("status 503", 1),
        ("upstream", 1),
    ]
    .into_iter()
    .map(|(m, c)| (m.to_string(), c))
    .collect();
    assert_eq!(errors, expected);
    assert_eq!(doc["errors"][0]["message"], "boom");
    assert_eq!(doc["errors"][1]["message"], "disk full");
}

#[test]
fn numeric_error_codes_by_hand() {
    // 0 is "no error" (C's and the shell's), whatever its spelling; any other number is a code.
    let input = br#"{"latency_ms": 1, "error": 0}
{"latency_ms": 2, "error": -0.0}
{"latency_ms": 3, "error": 0e3}
{"latency_ms": 4, "error": 404}
{"latency_ms": 5, "error": 0.5}
{"error": 0, "msg": "just a log line"}
{"error": 7}
"#;
    let doc = check_bytes(input, None, "numeric error codes");
    let o = &doc["overall"];
    assert_eq!(o["events"], 1);
    assert_eq!(o["count"], 6);
    assert_eq!(o["successes"], 3);
    assert_eq!(o["failures"], 3);
    let listed: u64 = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["count"].as_u64().unwrap())
        .sum();
    assert_eq!(listed, 3);
}

#[test]
fn pino_levels_are_reported_by_name() {
    let input = br#"{"level": 30, "time": 1700000000000, "msg": "listening"}
{"level": 30, "time": 1700000001000, "msg": "listening"}
{"level": 40, "time": 1700000002000, "msg": "slow disk"}
{"level": 20, "time": 1700000003000, "msg": "tick"}
{"level": "INFO", "time": 1700000004000, "msg": "hello"}
"#;
    let doc = check_bytes(input, None, "pino levels");
    let levels: BTreeMap<String, u64> = doc["levels"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect();
    let expected: BTreeMap<String, u64> = [("info", 3), ("warn", 1), ("debug", 1)]
        .into_iter()
        .map(|(k, n)| (k.to_string(), n))
        .collect();
    assert_eq!(levels, expected);
    assert_num(&doc["events_per_second"], 5.0 / 4.0);
}

#[test]
fn events_per_second_is_zero_without_events() {
    let input = br#"{"ts": 1700000000, "latency_ms": 1}
{"ts": 1700000010, "latency_ms": 2}
"#;
    let doc = check_bytes(input, None, "no events");
    assert_eq!(doc["overall"]["events"], 0);
    assert_num(&doc["events_per_second"], 0.0);
    assert_num(&doc["overall"]["throughput_per_second"], 0.2);
}

#[test]
fn exponents_in_other_units_scale_exactly() {
    // The same 4095 ms written five ways: they tie, bit for bit.
    let input = br#"{"latency_s": 4.095}
{"latency_s": 4095e-3}
{"latency_s": "409.5E-2"}
{"latency_us": 4.095e6}
{"latency_ms": 4095}
{"latency_s": 7.738e-05}
"#;
    let doc = check_bytes(input, None, "exponents in units");
    let l = &doc["overall"]["latency_ms"];
    assert_eq!(l["min"].as_f64(), Some(0.07738), "Python's 7.738e-05 s");
    for q in ["p50", "p90", "max"] {
        assert_eq!(l[q].as_f64(), Some(4095.0), "{q}");
    }
}

#[test]
fn latency_units_by_hand() {
    let input = "{\"latency_s\": 0.25}
{\"duration_us\": 1500}
{\"elapsed_ns\": 2000000}
{\"latency\": \"1.5s\"}
{\"took\": \"125ms\"}
{\"duration\": \"850\u{b5}s\"}
{\"latency\": \"1m2.5s\"}
{\"response_time\": 7}
{\"duration_ms\": \"15.5\"}
{\"request_time\": 0.004}
{\"latencyMs\": 3}
{\"elapsed\": \"1h\"}
";
    let doc = check_bytes(input.as_bytes(), None, "latency units");
    let l = &doc["overall"]["latency_ms"];
    // 0.85 1.5 2 3 4 7 15.5 125 250 1500 62500 3600000
    assert_eq!(doc["overall"]["count"], 12);
    assert_eq!(l["count"], 12);
    assert_num(&l["min"], 0.85);
    assert_num(&l["max"], 3_600_000.0);
    assert_num(&l["mean"], 3_664_408.85 / 12.0);
    assert_pct(&l["p50"], 7.0); // rank 6
    assert_pct(&l["p90"], 62_500.0); // rank ⌈10.8⌉ = 11
    assert_pct(&l["p95"], 3_600_000.0); // rank ⌈11.4⌉ = 12
}

#[test]
fn time_formats_by_hand() {
    let input = br#"{"ts": 1700000000, "latency_ms": 1}
{"ts": 1700000001000, "latency_ms": 1}
{"ts": 1700000002000000, "latency_ms": 1}
{"ts": 1700000003000000000, "latency_ms": 1}
{"ts": "1700000004", "latency_ms": 1}
{"timestamp": "2023-11-14T22:13:25Z", "latency_ms": 1}
{"time": "2023-11-14 22:13:26,500", "latency_ms": 1}
{"@timestamp": "2023-11-14T23:13:27+01:00", "latency_ms": 1}
{"datetime": "2023-11-14T17:13:28-0500", "latency_ms": 1}
{"asctime": "2023-11-14 22:13:29.250", "latency_ms": 1}
{"created_at": "2023-11-14T22:13:30.123456789Z", "latency_ms": 1}
{"date": 1700000011.5, "latency_ms": 1}
{"ts": true, "latency_ms": 1}
{"ts": "2023-13-45T99:00:00Z", "latency_ms": 1}
"#;
    let doc = check_bytes(input, None, "time formats");
    assert_eq!(doc["inputs"]["records"], 12);
    assert_eq!(doc["inputs"]["skipped"], 2);
    assert_eq!(doc["inputs"]["skipped_by_reason"]["bad_time"], 2);
    assert_num(&doc["span"]["seconds"], 11.5); // 2023-11-14T22:13:20Z .. 22:13:31.5Z
    assert_num(&doc["overall"]["throughput_per_second"], 12.0 / 11.5);
    assert_eq!(doc["fields"]["time"], "ts");
    assert_eq!(doc["fields"]["time_format"], "rfc3339"); // 6 of 12
    let start = doc["span"]["start"].as_str().unwrap();
    assert!(
        start.starts_with("2023-11-14T22:13:20"),
        "span.start {start}"
    );
}

#[test]
fn bad_input_by_hand() {
    let doc = run_json(&["fixtures/bad_input.jsonl"], None);
    let inputs = &doc["inputs"];
    assert_eq!(inputs["lines"], 27);
    assert_eq!(inputs["blank"], 3); // empty, spaces and tab, CRLF-only
    assert_eq!(inputs["skipped"], 11);
    assert_eq!(inputs["records"], 13);
    let reasons = &inputs["skipped_by_reason"];
    assert_eq!(reasons["invalid_json"], 3); // plain text, truncated, NUL
    assert_eq!(reasons["not_object"], 3); // [1, 2], 42, "just a string"
    assert_eq!(reasons["invalid_utf8"], 1);
    assert_eq!(reasons["bad_time"], 1);
    assert_eq!(reasons["bad_latency"], 2); // -5.0, "fast"
    assert_eq!(reasons["bad_success"], 1);
    let o = &doc["overall"];
    assert_eq!(o["events"], 1); // the heartbeat
    assert_eq!(o["count"], 12);
    assert_eq!(o["failures"], 3);
    let l = &o["latency_ms"];
    // 8.25 9.5 10 11.5 12.5 13 14.25 15 27 31.75 40.5 250
    assert_num(&l["min"], 8.25);
    assert_num(&l["max"], 250.0);
    assert_num(&l["mean"], 443.25 / 12.0);
    assert_pct(&l["p50"], 13.0);
    assert_pct(&l["p90"], 40.5);
    assert_pct(&l["p95"], 250.0);
    let rec = group(&doc, "recommend");
    assert_eq!(
        (rec["count"].as_u64(), rec["events"].as_u64()),
        (Some(6), Some(1))
    );
    assert_eq!(rec["failures"], 2);
    assert_eq!(group(&doc, "explain")["count"], 3);
    assert_eq!(group(&doc, "export")["failures"], 1);
    assert_eq!(
        doc["errors"],
        serde_json::json!([
            {"message": "manifest not found: evt-123", "count": 2, "example": "manifest not found: evt-123"},
            {"message": "Graph API authentication failed", "count": 1, "example": "Graph API authentication failed"}
        ])
    );
}

#[test]
fn eventkit_by_hand() {
    let doc = run_json(&["fixtures/eventkit_telemetry.jsonl"], None);
    let o = &doc["overall"];
    assert_eq!(o["count"], 38);
    assert_eq!(o["failures"], 6);
    assert_eq!(group(&doc, "recommend")["count"], 20);
    assert_eq!(group(&doc, "explain")["count"], 10);
    assert_eq!(group(&doc, "export")["count"], 8);
    // recommend, sorted: 9.8 10.4 10.9 11.0 11.2 11.6 12.1 12.5 12.5 12.9 13.3 13.7 14.2 15.0
    //                    16.8 18.2 25.1 44.7 95.3 250.4
    let rl = &group(&doc, "recommend")["latency_ms"];
    assert_pct(&rl["p50"], 12.9); // rank 10
    assert_pct(&rl["p90"], 44.7); // rank 18
    assert_pct(&rl["p95"], 95.3); // rank 19
    assert_pct(&rl["p99"], 250.4); // rank 20
    assert_eq!(
        doc["errors"][0],
        serde_json::json!({"message": "manifest not found: evt-123", "count": 3, "example": "manifest not found: evt-123"})
    );
    assert_eq!(doc["fields"]["time_format"], "unix_s");
    assert_eq!(doc["fields"]["success"], "success");
}

// ================================================================================================
// Inputs: compression, stdin, directories, errors
// ================================================================================================

#[test]
fn gzip_and_zstd_are_detected_by_magic_bytes() {
    for name in ["eventkit_telemetry.jsonl", "bad_input.jsonl"] {
        let (rel, plain) = fixture(name);
        let expected = figures(&run_json(&[&rel], None));
        let dir = tempfile::tempdir().unwrap();
        let gz = dir.path().join("telemetry.log.1"); // not named .gz
        let zst = dir.path().join("telemetry.dat"); // not named .zst
        std::fs::write(&gz, gzip(&plain)).unwrap();
        std::fs::write(&zst, zstd_compress(&plain)).unwrap();
        for path in [&gz, &zst] {
            let shown = path.to_string_lossy().into_owned();
            let got = figures(&run_json(&[&shown], None));
            assert_eq!(got, expected, "{name} compressed as {shown}");
            compare_one_file(
                &got,
                &shown,
                &plain,
                &format!("{name} compressed as {shown}"),
            );
        }
    }
}

/// `got` (tlm's figures for the one file `shown`) against the reference computed from `plain`.
fn compare_one_file(got: &Value, shown: &str, plain: &[u8], what: &str) {
    let reference = Reference::compute(&[(shown.to_string(), plain.to_vec())], None);
    let mut rep = Report::new(what.to_string());
    let ex = Expect {
        files: None,
        by: None,
        fields: true,
    };
    compare(&mut rep, got, &reference, &ex);
    rep.finish();
}

/// A compressed stream is cut into chunks as it is read: a line longer than many chunks must
/// be read in whole chunks, not a byte at a time (that took minutes for a line of a megabyte),
/// and be counted like any other line.
#[test]
fn compressed_lines_longer_than_many_chunks() {
    let blob = "x".repeat(1 << 20);
    let mut plain = Vec::new();
    for i in 0..50 {
        writeln!(
            plain,
            r#"{{"ts": {}, "action": "export", "success": true, "latency_ms": {}.5}}"#,
            1_732_540_000 + i,
            i % 7
        )
        .unwrap();
        if i == 20 {
            writeln!(
                plain,
                r#"{{"ts": 1732540020.5, "action": "upload", "success": false, "latency_ms": 900, "blob": "{blob}", "error": "too big"}}"#
            )
            .unwrap();
            // Too long and not JSON: skipped, and counted.
            writeln!(plain, r#"{{"action": "upload", "blob": {blob}}}"#).unwrap();
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("long.jsonl.gz");
    let zst = dir.path().join("long.jsonl.zst");
    std::fs::write(&gz, gzip(&plain)).unwrap();
    std::fs::write(&zst, zstd_compress(&plain)).unwrap();
    for path in [&gz, &zst] {
        let shown = path.to_string_lossy().into_owned();
        for threads in ["1", "2"] {
            // Seconds where the byte-at-a-time reading took minutes (80 s each on 2 cores).
            let out = output(
                tlm()
                    .timeout(Duration::from_secs(30))
                    .args(["summarize", "--format", "json", "--raw-errors"])
                    .args(["--chunk-size", "4096", "-j", threads, &shown]),
            );
            assert_eq!(out.code, Some(0), "{shown}: {}", out.stderr);
            let got = figures(&serde_json::from_str(&out.stdout).unwrap());
            assert_eq!(got["inputs"]["lines"], 52, "{shown}");
            assert_eq!(got["inputs"]["skipped"], 1, "{shown}");
            compare_one_file(&got, &shown, &plain, &format!("{shown} with -j {threads}"));
        }
    }
}

#[test]
fn stdin_with_dash_and_without_path() {
    let (rel, bytes) = fixture("trails.jsonl");
    let expected = figures(&run_json(&[&rel], None));
    let dash = figures(&run_json(&["-"], Some(&bytes)));
    assert_eq!(dash, expected, "`-` reads stdin");
    let implicit = figures(&run_json(&[], Some(&bytes)));
    assert_eq!(implicit, expected, "no path with stdin piped reads stdin");
    let gz = figures(&run_json(&["-"], Some(&gzip(&bytes))));
    assert_eq!(gz, expected, "gzip on stdin");
}

#[test]
fn directory_is_walked_recursively_in_sorted_order() {
    let dir = tempfile::tempdir().unwrap();
    let (_, ek) = fixture("eventkit_telemetry.jsonl");
    let (_, trails) = fixture("trails.jsonl");
    let (_, bad) = fixture("bad_input.jsonl");
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("a.jsonl"), &ek).unwrap();
    std::fs::write(dir.path().join("sub").join("b.log"), gzip(&trails)).unwrap();
    std::fs::write(dir.path().join("sub").join("c.jsonl"), &bad).unwrap();
    let shown = dir.path().to_string_lossy().into_owned();
    let doc = run_json(&[&shown], None);

    let inputs = vec![
        ("a.jsonl".to_string(), ek),
        ("b.log".to_string(), trails),
        ("c.jsonl".to_string(), bad),
    ];
    let reference = Reference::compute(&inputs, None);
    let mut rep = Report::new("directory argument");
    let ex = Expect {
        files: None,
        by: None,
        fields: false,
    };
    compare(&mut rep, &doc, &reference, &ex);
    rep.finish();

    let files: Vec<&str> = doc["inputs"]["files"]
        .as_array()
        .expect("inputs.files")
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 3, "{files:?}");
    for (f, want) in files.iter().zip(["a.jsonl", "b.log", "c.jsonl"]) {
        assert!(f.ends_with(want), "files in sorted order: {files:?}");
    }
    assert_eq!(doc["inputs"]["lines"], 38 + 44 + 27);
}

/// A dangling link inside a directory is left out with a one-line note on stderr, and the rest
/// of the directory is read (it used to vanish without a word).
#[cfg(unix)]
#[test]
fn dangling_link_in_a_directory_is_named_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let (_, ek) = fixture("eventkit_telemetry.jsonl");
    std::fs::write(dir.path().join("a.jsonl"), &ek).unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone.jsonl"), dir.path().join("b.jsonl")).unwrap();
    let shown = dir.path().to_string_lossy().into_owned();
    let out = run(&["--format", "json", &shown], None);
    assert_eq!(out.code, Some(0), "stderr: {}", out.stderr);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["inputs"]["lines"], 38);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("b.jsonl") && out.stderr.contains("no such file"),
        "{}",
        out.stderr
    );
}

#[test]
fn missing_file_is_a_one_line_error_with_exit_2() {
    let out = run(&["fixtures/does_not_exist.jsonl"], None);
    assert_eq!(out.code, Some(2), "stderr: {}", out.stderr);
    let msg = out.stderr.trim_end();
    assert!(!msg.is_empty(), "an error message on stderr");
    assert!(!msg.contains('\n'), "one line: {msg:?}");
    assert!(
        msg.contains("fixtures/does_not_exist.jsonl"),
        "names the path: {msg:?}"
    );
    assert!(out.stdout.is_empty(), "nothing on stdout: {:?}", out.stdout);
}

#[test]
fn strict_names_the_first_bad_line() {
    let (rel, bytes) = fixture("bad_input.jsonl");
    let first_bad = Reference::compute(&[(rel.clone(), bytes)], None)
        .first_bad
        .unwrap();
    assert_eq!(first_bad, "fixtures/bad_input.jsonl:5");
    let out = run(&["--strict", &rel], None);
    assert_eq!(out.code, Some(2), "stderr: {}", out.stderr);
    let msg = out.stderr.trim_end();
    assert!(
        msg.contains("bad_input.jsonl:5"),
        "names file:line: {msg:?}"
    );
    assert!(!msg.contains('\n'), "one line: {msg:?}");
}

#[test]
fn strict_accepts_clean_input() {
    for name in ["eventkit_telemetry.jsonl", "containerkit.jsonl"] {
        let doc = run_json(&["--strict", &format!("fixtures/{name}")], None);
        assert_eq!(doc["inputs"]["skipped"], 0, "{name}");
    }
}

// ================================================================================================
// Output formats
// ================================================================================================

fn csv_cells(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cells.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(String::new()),
            _ => cells.last_mut().unwrap().push(c),
        }
    }
    cells
}

#[test]
fn csv_has_header_group_rows_and_total() {
    let out = run(
        &["--format", "csv", "fixtures/eventkit_telemetry.jsonl"],
        None,
    );
    assert_eq!(out.code, Some(0), "stderr: {}", out.stderr);
    let rows: Vec<Vec<String>> = out
        .stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(csv_cells)
        .collect();
    assert_eq!(rows.len(), 5, "header + 3 groups + total:\n{}", out.stdout);
    let header = &rows[0];
    let width = header.len();
    assert!(width > 1, "header: {header:?}");
    assert!(
        rows.iter().all(|r| r.len() == width),
        "same width:\n{}",
        out.stdout
    );
    let keys: BTreeSet<&str> = rows[1..4].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(keys, BTreeSet::from(["recommend", "explain", "export"]));
    assert_eq!(rows[4][0], "(total)");
    // the outcome count of each row: in a `count` column if there is one, else somewhere in the row
    let count_col = header.iter().position(|h| h.trim() == "count");
    for (key, count) in [
        ("recommend", "20"),
        ("explain", "10"),
        ("export", "8"),
        ("(total)", "38"),
    ] {
        let row = rows.iter().find(|r| r[0] == key).unwrap();
        match count_col {
            Some(col) => assert_eq!(row[col], count, "count of {key}: {row:?}"),
            None => assert!(row.iter().any(|c| c == count), "count {count} in {row:?}"),
        }
    }
}

#[test]
fn table_mentions_every_group_by_count_without_colour() {
    let out = run(&["--raw-errors", "fixtures/eventkit_telemetry.jsonl"], None);
    assert_eq!(out.code, Some(0), "stderr: {}", out.stderr);
    let t = &out.stdout;
    assert!(
        !t.contains('\u{1b}'),
        "no colours with NO_COLOR / no terminal"
    );
    let pos = |s: &str| {
        t.find(s)
            .unwrap_or_else(|| panic!("table mentions {s:?}:\n{t}"))
    };
    assert!(
        pos("recommend") < pos("explain") && pos("explain") < pos("export"),
        "rows by count:\n{t}"
    );
    pos("manifest not found: evt-123");

    let out = run(
        &["--by", "fields.model", "fixtures/pocketagent.jsonl"],
        None,
    );
    assert_eq!(out.code, Some(0), "stderr: {}", out.stderr);
    for key in [
        "claude-3-5-sonnet",
        "claude-3-opus",
        "claude-3-haiku",
        "(none)",
    ] {
        assert!(
            out.stdout.contains(key),
            "table mentions {key}:\n{}",
            out.stdout
        );
    }

    let out = run(&["fixtures/bad_input.jsonl"], None);
    assert_eq!(out.code, Some(0), "stderr: {}", out.stderr);
    for reason in [
        "invalid_json",
        "not_object",
        "invalid_utf8",
        "bad_time",
        "bad_latency",
        "bad_success",
    ] {
        assert!(
            out.stdout.contains(reason),
            "table lists skipped reason {reason}:\n{}",
            out.stdout
        );
    }
}

// ================================================================================================
// Generated inputs: many chunks, random mixes
// ================================================================================================

const GEN_ERRORS: &[&str] = &[
    "manifest not found: evt-123",
    "session limit exceeded",
    "Graph API authentication failed",
];

/// One line of a generated input; every kind is unambiguous under the README.
fn gen_line(kind: u32, a: u32, b: u32, c: u32) -> Vec<u8> {
    let hms = |s: u32| format!("{:02}:{:02}:{:02}", (s / 3600) % 24, (s / 60) % 60, s % 60);
    let lat3 = |us: u32| format!("{}.{:03}", us / 1000, us % 1000);
    let line = match kind % 20 {
        0..=5 => {
            let fail = c % 7 == 0;
            let error = if fail {
                format!("\"{}\"", GEN_ERRORS[(c / 7 % 3) as usize])
            } else {
                "null".to_string()
            };
            format!(
                r#"{{"ts": {}.{:03}, "action": "{}", "success": {}, "latency_ms": {}, "payload": {{"top": 5}}, "error": {}}}"#,
                1_732_540_000 + a % 86_400,
                b % 1000,
                ["recommend", "explain", "export"][(b / 1000 % 3) as usize],
                !fail,
                lat3(1 + a % 2_000_000),
                error
            )
        }
        6 => format!(
            r#"{{"timestamp": "2025-01-15T{}Z", "level": "info", "msg": "Processing command", "command_type": "{}", "command_id": "c{}"}}"#,
            hms(a),
            ["CreateSession", "StartSession", "StopSession"][(b % 3) as usize],
            c
        ),
        7 => {
            let ctype = if c % 2 == 0 {
                format!(
                    r#", "command_type": "{}""#,
                    ["CreateSession", "StartSession"][(b % 2) as usize]
                )
            } else {
                String::new()
            };
            format!(
                r#"{{"timestamp": "2025-01-15T{}.{:03}Z", "level": "info", "msg": "Command processed successfully"{}, "duration_ms": {}}}"#,
                hms(a),
                b % 1000,
                ctype,
                c % 5000
            )
        }
        8 => format!(
            r#"{{"timestamp": "2025-01-15T{}Z", "level": "error", "msg": "Command processing failed", "error": "{}", "command_type": "CreateSession"}}"#,
            hms(a),
            GEN_ERRORS[(b % 3) as usize]
        ),
        9 => {
            let status = [200, 201, 404, 429, 500, 503][(b % 6) as usize];
            let level = if status >= 500 {
                "error"
            } else if status >= 400 {
                "warn"
            } else {
                "info"
            };
            let error = if status >= 500 && c % 2 == 0 {
                r#","error":"clickhouse: connection refused""#
            } else {
                ""
            };
            format!(
                r#"{{"level":"{level}","ts":"2024-01-15T{}.{:03}Z","msg":"request completed","caller":"middleware/logging.go:42","method":"POST","path":"/api/public/traces","status":{status},"duration_ms":{}.{:02}{error}}}"#,
                hms(a),
                c % 1000,
                a % 1000,
                b % 100
            )
        }
        10 => ["", "   ", "\t", " \t "][(b % 4) as usize].to_string(),
        11 => [
            r#"{"ts": 1732540000.5, "action": "recommend", "succ"#,
            "2024-11-25 13:07:00,412 - event_agent - INFO - Serving HTTP on port 8000",
            r#"{"ts": 1732540000, "action": "recommend",}"#,
            "{not json}",
        ][(b % 4) as usize]
            .to_string(),
        12 => ["[1, 2]", "42", "\"text\"", "null", "true"][(b % 5) as usize].to_string(),
        13 => {
            let bad = [r#""yesterday""#, r#""2025-13-01T00:00:00Z""#, "true"][(b % 3) as usize];
            format!(r#"{{"ts": {bad}, "action": "recommend", "success": true, "latency_ms": 5.0}}"#)
        }
        14 => {
            let bad = ["-3.5", r#""fast""#, r#""-1s""#][(b % 3) as usize];
            format!(
                r#"{{"ts": 1732540000.5, "action": "explain", "success": true, "latency_ms": {bad}}}"#
            )
        }
        15 => {
            let bad = [r#""maybe""#, r#""yes""#, "2"][(b % 3) as usize];
            format!(
                r#"{{"ts": 1732540000.5, "action": "export", "success": {bad}, "latency_ms": 5.0}}"#
            )
        }
        16 => {
            return b"{\"ts\": 1732540000.5, \"action\": \"export\", \"error\": \"\xff\xfe\"}"
                .to_vec()
        }
        17 => {
            let ok = c % 4 != 0;
            format!(
                r#"{{"time":"2024-11-25T{}.{:03}+01:00","level":"{}","msg":"Request completed","tool":"{}","session_id":"sess-{}","duration_ms":{},"status":"{}"}}"#,
                hms(a),
                b % 1000,
                if ok { "INFO" } else { "ERROR" },
                ["analyze_repository", "build_image", "push_image"][(b % 3) as usize],
                c % 10,
                a % 4000,
                if ok { "success" } else { "error" }
            )
        }
        18 => {
            // a failure told by its level alone (no error field, no status) now and then
            let (level, msg) = if c % 5 == 0 {
                ("error", "Execution failed")
            } else {
                ("info", "Execution completed")
            };
            format!(
                r#"{{"timestamp":"2024-01-01T{}.{:03}Z","level":"{level}","msg":"{msg}","correlation_id":"req-{c}","duration_ms":{},"fields":{{"session_id":"claude-{b}","model":"{}"}}}}"#,
                hms(a),
                b % 1000,
                500 + a % 300_000,
                ["claude-3-5-sonnet", "claude-3-opus", "claude-3-haiku"][(c % 3) as usize]
            )
        }
        _ => {
            let d = match b % 4 {
                0 => format!("{}ms", a % 1000),
                1 => format!("{}.{}s", a % 10, b % 10),
                2 => format!("{}\u{b5}s", 1 + a % 999),
                _ => format!("{}m{}s", a % 3, b % 60),
            };
            format!(
                r#"{{"time": {}, "task": "t{}", "duration": "{d}"}}"#,
                1_732_540_000_000u64 + u64::from(a % 100_000_000),
                c % 4
            )
        }
    };
    line.into_bytes()
}

#[test]
fn large_generated_file_matches_reference() {
    // ~20 MB: enough for any chunked or parallel reader to split it many times.
    let mut rng = Lcg(0x7e1e_6e7a);
    let mut content = b"\xEF\xBB\xBF".to_vec();
    for _ in 0..150_000 {
        let kind = rng.next();
        // mostly well-formed records, a few of every odd kind
        let kind = if kind % 100 < 80 {
            kind % 10
        } else {
            kind % 20
        };
        content.extend(gen_line(kind, rng.next(), rng.next(), rng.next()));
        content.extend_from_slice(if rng.next() % 5 == 0 { b"\r\n" } else { b"\n" });
    }
    content.extend(gen_line(0, 1, 2, 3)); // last line without a newline
    check_bytes(&content, None, "large generated file");
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_mixes_match_reference(
        lines in prop::collection::vec((0u32..20, any::<u32>(), any::<u32>(), any::<u32>(), any::<bool>()), 0..60),
        bom in any::<bool>(),
        final_newline in any::<bool>(),
        by_model in any::<bool>(),
    ) {
        let mut content = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
        for (i, (kind, a, b, c, crlf)) in lines.iter().enumerate() {
            content.extend(gen_line(*kind, *a, *b, *c));
            if i + 1 < lines.len() || final_newline {
                content.extend_from_slice(if *crlf { b"\r\n" } else { b"\n" });
            }
        }
        let by = by_model.then_some("fields.model");
        check_bytes(&content, by, "random mix");
    }
}
