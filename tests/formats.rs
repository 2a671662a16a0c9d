//! Integration tests for the plain-text log formats: detection, logfmt, access logs (nginx and
//! Apache), Python logging, syslog (RFC 3164 and 5424), `--pattern` with `--time-format`, the
//! `text` fallback (Zookeeper, Spark, Apache error logs), compressed and mixed inputs, and every
//! subcommand over them.
//!
//! Expected figures are computed independently, never pasted from tlm's output: by small
//! reference readers below (a logfmt tokenizer, an access-log regex, Python's `' - '` layout, a
//! syslog regex, a level-word scan for the fallback), written from the README and the formats'
//! own definitions, sharing no code with `src/`; or by hand for a few tiny inline inputs.

mod common;

use assert_cmd::Command;
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use common::{ERROR_LEVELS, FAILURE_WORDS};
use regex::Regex;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

// ================================================================================================
// Running tlm
// ================================================================================================

fn tlm() -> Command {
    let mut c = Command::cargo_bin("tlm").unwrap();
    c.env_remove("NO_COLOR").env_remove("COLUMNS");
    c
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(fixtures_dir().join(name)).unwrap()
}

/// Runs tlm in `dir` and returns (exit code, stdout, stderr).
fn run_in(dir: &Path, args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = tlm().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs tlm in `dir`, expects success, and parses its stdout as one JSON document. Every report
/// with an `inputs` block must account for every line.
fn json_in(dir: &Path, args: &[&str]) -> Value {
    let (code, stdout, stderr) = run_in(dir, args);
    assert_eq!(code, 0, "tlm {args:?} exited {code}: {stderr}");
    let v: Value = serde_json::from_slice(&stdout)
        .unwrap_or_else(|e| panic!("tlm {args:?}: stdout is not JSON ({e})"));
    if let Some(i) = v.get("inputs") {
        let n = |k: &str| i[k].as_u64().unwrap();
        assert_eq!(
            n("lines"),
            n("records") + n("blank") + n("skipped"),
            "tlm {args:?}: lines != records + blank + skipped in {i}"
        );
        let by_reason: u64 = i["skipped_by_reason"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(by_reason, n("skipped"), "tlm {args:?}: skipped_by_reason");
    }
    v
}

/// `json_in` over the fixtures directory, so reported file names are the fixture names.
fn json(args: &[&str]) -> Value {
    json_in(&fixtures_dir(), args)
}

fn summarize(extra: &[&str]) -> Value {
    let mut args = vec!["summarize", "--format", "json"];
    args.extend_from_slice(extra);
    json(&args)
}

fn format_of(report: &Value, file: &str) -> String {
    report["inputs"]["formats"][file]
        .as_str()
        .unwrap_or_else(|| panic!("no format for {file} in {}", report["inputs"]))
        .to_string()
}

fn group<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == key)
        .unwrap_or_else(|| panic!("no group {key:?} in {}", report["groups"]))
}

fn group_keys(report: &Value) -> Vec<String> {
    let mut keys: Vec<String> = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"].as_str().unwrap().to_string())
        .collect();
    keys.sort();
    keys
}

fn u(v: &Value) -> u64 {
    v.as_u64()
        .unwrap_or_else(|| panic!("not an unsigned integer: {v}"))
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// An RFC 3339 time in tlm's output, as nanoseconds since the epoch.
fn rfc3339_ns(v: &Value) -> i64 {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("not a time string: {v}"));
    DateTime::parse_from_rfc3339(s)
        .unwrap_or_else(|e| panic!("{s}: {e}"))
        .timestamp_nanos_opt()
        .unwrap()
}

fn assert_span(report: &Value, start_ns: i64, end_ns: i64, what: &str) {
    let span = &report["span"];
    assert!(span.is_object(), "{what}: no span in the report");
    assert_eq!(rfc3339_ns(&span["start"]), start_ns, "{what}: span.start");
    assert_eq!(rfc3339_ns(&span["end"]), end_ns, "{what}: span.end");
}

fn ymd_hms(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
    NaiveDate::from_ymd_opt(y, mo, d)
        .unwrap()
        .and_hms_opt(h, mi, s)
        .unwrap()
        .and_utc()
        .timestamp_nanos_opt()
        .unwrap()
}

// ================================================================================================
// Expected figures
// ================================================================================================

/// Nearest rank: the smallest value with at least ⌈q·N⌉ values <= it (q in thousandths, so the
/// rank is exact integer arithmetic).
fn nearest_rank(sorted: &[f64], q_milli: usize) -> f64 {
    let n = sorted.len();
    let rank = (q_milli * n).div_ceil(1000).clamp(1, n);
    sorted[rank - 1]
}

/// The expected figures of one group (or of everything).
#[derive(Default, Debug, Clone)]
struct Expect {
    count: u64,
    failures: u64,
    events: u64,
    latencies: Vec<f64>,
}

impl Expect {
    fn outcome(&mut self, failed: bool, latency_ms: Option<f64>) {
        self.count += 1;
        self.failures += u64::from(failed);
        self.latencies.extend(latency_ms);
    }
}

/// Checks a STATS block: counts exactly; min, max and mean exactly (up to float rounding);
/// percentiles nearest-rank within 0.1% (plus the histogram's 1 µs resolution).
fn check_stats(got: &Value, want: &Expect, what: &str) {
    assert_eq!(u(&got["count"]), want.count, "{what}: count");
    assert_eq!(u(&got["failures"]), want.failures, "{what}: failures");
    assert_eq!(
        u(&got["successes"]),
        want.count - want.failures,
        "{what}: successes"
    );
    assert_eq!(u(&got["events"]), want.events, "{what}: events");
    if want.count > 0 {
        let rate = want.failures as f64 / want.count as f64;
        assert!(
            (f(&got["error_rate"]) - rate).abs() < 1e-9,
            "{what}: error_rate {} != {rate}",
            got["error_rate"]
        );
    }
    let lat = &got["latency_ms"];
    if want.latencies.is_empty() {
        assert!(
            lat.is_null(),
            "{what}: latency_ms should be null, got {lat}"
        );
        return;
    }
    let mut v = want.latencies.clone();
    v.sort_by(f64::total_cmp);
    let exact = |name: &str, want: f64| {
        let got = f(&lat[name]);
        assert!(
            (got - want).abs() <= 1e-6 * want.abs().max(1.0),
            "{what}: latency {name} = {got}, want {want}"
        );
    };
    assert_eq!(u(&lat["count"]), v.len() as u64, "{what}: latency count");
    exact("min", v[0]);
    exact("max", v[v.len() - 1]);
    exact("mean", v.iter().sum::<f64>() / v.len() as f64);
    for (q, name) in [
        (500, "p50"),
        (900, "p90"),
        (950, "p95"),
        (990, "p99"),
        (999, "p999"),
    ] {
        let want = nearest_rank(&v, q);
        let got = f(&lat[name]);
        assert!(
            (got - want).abs() <= want * 0.001 + 0.001,
            "{what}: {name} = {got}, want {want} (nearest rank, within 0.1%)"
        );
    }
}

/// Checks every expected group and the total, and that the report has no other groups.
fn check_groups(report: &Value, want: &BTreeMap<String, Expect>, what: &str) {
    let keys: Vec<String> = want.keys().cloned().collect();
    assert_eq!(group_keys(report), keys, "{what}: group keys");
    let mut total = Expect::default();
    for (k, e) in want {
        check_stats(group(report, k), e, &format!("{what}, group {k}"));
        total.count += e.count;
        total.failures += e.failures;
        total.events += e.events;
        total.latencies.extend(&e.latencies);
    }
    check_stats(&report["overall"], &total, &format!("{what}, overall"));
}

/// Error rows of `tlm errors --format json` as {template: count}.
fn error_rows(report: &Value) -> BTreeMap<String, u64> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["template"].as_str().unwrap().to_string(), u(&e["count"])))
        .collect()
}

/// `error_events` of `summarize --format json` as {message: count}.
fn error_events(report: &Value) -> BTreeMap<String, u64> {
    report["error_events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["message"].as_str().unwrap().to_string(), u(&e["count"])))
        .collect()
}

fn levels(report: &Value) -> BTreeMap<String, u64> {
    report["levels"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), u(v)))
        .collect()
}

/// A level as the README reports it: lower case, WARNING folded to warn (and, for comparing with
/// [`canonical_levels`], one spelling of the synonyms the README leaves open).
fn level_key(level: &str) -> String {
    let l = level.to_ascii_lowercase();
    match l.as_str() {
        "warning" => "warn".into(),
        "crit" => "critical".into(),
        "emerg" => "emergency".into(),
        "err" => "error".into(),
        _ => l,
    }
}

/// Levels reported by tlm with the spellings the README leaves open (`crit` or `critical`,
/// `emerg` or `emergency`, `err` or `error`) made one; `warning` is *not* folded here, since
/// the README requires tlm to report it as `warn`.
fn canonical_levels(got: &BTreeMap<String, u64>) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for (k, n) in got {
        assert_eq!(k, &k.to_ascii_lowercase(), "levels must be lower case");
        assert_ne!(k, "warning", "WARNING is reported as warn");
        let k = match k.as_str() {
            "crit" => "critical",
            "emerg" => "emergency",
            "err" => "error",
            other => other,
        };
        *out.entry(k.to_string()).or_insert(0) += n;
    }
    out
}

fn is_error_level(level: &str) -> bool {
    let l = level.to_ascii_lowercase();
    ERROR_LEVELS.contains(&l.as_str())
}

fn non_blank_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
        .filter(|(_, l)| !l.trim().is_empty())
}

// ================================================================================================
// Reference readers
// ================================================================================================

/// A Go duration string (`1.5s`, `184ms`, `850µs`, `1m2.5s`) in milliseconds.
fn go_duration_ms(s: &str) -> Option<f64> {
    const UNITS: [(&str, f64); 7] = [
        ("ms", 1.0),
        ("ns", 1e-6),
        ("us", 1e-3),
        ("µs", 1e-3),
        ("s", 1e3),
        ("m", 6e4),
        ("h", 3.6e6),
    ];
    let mut rest = s;
    let mut total = 0.0;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if n == 0 {
            return None;
        }
        let value: f64 = rest[..n].parse().ok()?;
        rest = &rest[n..];
        let (unit, ms) = UNITS.iter().find(|(u, _)| rest.starts_with(u))?;
        total += value * ms;
        rest = &rest[unit.len()..];
    }
    Some(total)
}

/// A logfmt line as key/value pairs (a bare key is `true`; quoted values unescaped); `None`
/// when the line is not logfmt (no `key=value` pair, or a stray quote).
fn parse_logfmt(line: &str) -> Option<BTreeMap<String, String>> {
    let b: Vec<char> = line.chars().collect();
    let mut i = 0;
    let mut out = BTreeMap::new();
    let mut pairs = 0;
    loop {
        while i < b.len() && (b[i] == ' ' || b[i] == '\t') {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let start = i;
        while i < b.len() && !matches!(b[i], '=' | ' ' | '\t') {
            if b[i] == '"' {
                return None;
            }
            i += 1;
        }
        let key: String = b[start..i].iter().collect();
        if key.is_empty() {
            return None;
        }
        if i >= b.len() || b[i] != '=' {
            out.entry(key).or_insert_with(|| "true".to_string());
            continue;
        }
        i += 1;
        pairs += 1;
        let mut value = String::new();
        if b.get(i) == Some(&'"') {
            i += 1;
            loop {
                match *b.get(i)? {
                    '\\' => {
                        value.push(match *b.get(i + 1)? {
                            'n' => '\n',
                            't' => '\t',
                            c => c,
                        });
                        i += 2;
                    }
                    '"' => {
                        i += 1;
                        break;
                    }
                    c => {
                        value.push(c);
                        i += 1;
                    }
                }
            }
        } else {
            while i < b.len() && !matches!(b[i], ' ' | '\t') {
                if b[i] == '"' {
                    return None;
                }
                value.push(b[i]);
                i += 1;
            }
        }
        out.entry(key).or_insert(value);
    }
    (pairs > 0).then_some(out)
}

/// One record of a structured (key → value) log, reduced by the README's field candidates and
/// outcome rule: `None` for an event.
struct Reduced {
    group: String,
    outcome: Option<(bool, Option<f64>)>,
    level: Option<String>,
    time_ns: Option<i64>,
}

/// Reduces a logfmt record as the README describes (the candidates this fixture uses).
fn reduce_logfmt(kv: &BTreeMap<String, String>, group_field: &str) -> Reduced {
    let latency = if let Some(v) = kv.get("duration_ms") {
        Some(v.parse::<f64>().unwrap())
    } else {
        kv.get("duration")
            .map(|v| v.parse::<f64>().ok().or_else(|| go_duration_ms(v)).unwrap())
    };
    let status = kv.get("status");
    let error = kv.get("error").filter(|e| !e.is_empty());
    let level = kv.get("level").cloned();
    let is_outcome = latency.is_some() || status.is_some() || error.is_some();
    let failed = status.is_some_and(|s| {
        FAILURE_WORDS.contains(&s.to_ascii_lowercase().as_str())
            || s.parse::<u32>().is_ok_and(|n| n >= 500)
    }) || error.is_some()
        || level.as_deref().is_some_and(is_error_level);
    let time_ns = ["ts", "timestamp", "time"]
        .iter()
        .find_map(|k| kv.get(*k))
        .map(|t| {
            DateTime::parse_from_rfc3339(t)
                .unwrap()
                .timestamp_nanos_opt()
                .unwrap()
        });
    Reduced {
        group: kv
            .get(group_field)
            .cloned()
            .unwrap_or_else(|| "(none)".into()),
        outcome: is_outcome.then_some((failed, latency)),
        level,
        time_ns,
    }
}

/// One access-log line.
#[derive(Debug, Clone)]
struct Access {
    line: String,
    time_ns: i64,
    method: String,
    path: String,
    query: Option<String>,
    protocol: String,
    status: u32,
    user_agent: Option<String>,
    latency_ms: Option<f64>,
}

impl Access {
    fn route(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
    fn failed(&self) -> bool {
        self.status >= 500
    }
}

fn access_regex() -> Regex {
    Regex::new(
        r#"^(\S+) (\S+) (\S+) \[([^\]]+)\] "([^"]*)" (\d{3}) (\d+|-)(?: "([^"]*)" "([^"]*)")?((?: [^\s"]+)*)$"#,
    )
    .unwrap()
}

/// Reads an access log: its lines in the common or combined format (optionally followed by
/// `$request_time $upstream_response_time` or `%D`), and how many non-blank lines are not.
fn parse_access(text: &str) -> (Vec<Access>, u64) {
    let re = access_regex();
    let mut out = Vec::new();
    let mut no_match = 0;
    for (_, line) in non_blank_lines(text) {
        let Some(c) = re.captures(line) else {
            no_match += 1;
            continue;
        };
        let time = DateTime::parse_from_str(&c[4], "%d/%b/%Y:%H:%M:%S %z").unwrap();
        let mut request = c[5].split(' ');
        let method = request.next().unwrap().to_string();
        let target = request.next().unwrap();
        let protocol = request.next().unwrap().to_string();
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_string(), Some(q.to_string())),
            None => (target.to_string(), None),
        };
        let trailing: Vec<&str> = c[10].split_whitespace().collect();
        let latency_ms = trailing.first().and_then(|t| {
            if *t == "-" {
                None
            } else if t.contains('.') {
                Some(t.parse::<f64>().unwrap() * 1e3) // $request_time, seconds
            } else {
                Some(t.parse::<f64>().unwrap() / 1e3) // %D, microseconds
            }
        });
        out.push(Access {
            line: line.to_string(),
            time_ns: time.timestamp_nanos_opt().unwrap(),
            method,
            path,
            query,
            protocol,
            status: c[6].parse().unwrap(),
            user_agent: c.get(9).map(|m| m.as_str().to_string()),
            latency_ms,
        });
    }
    (out, no_match)
}

fn access_groups(recs: &[Access], key: impl Fn(&Access) -> String) -> BTreeMap<String, Expect> {
    let mut want: BTreeMap<String, Expect> = BTreeMap::new();
    for r in recs {
        want.entry(key(r))
            .or_default()
            .outcome(r.failed(), r.latency_ms);
    }
    want
}

/// A Python logging line (`asctime - name - levelname - message`): the message is everything
/// after the level.
struct PyLine {
    time_ns: i64,
    level: String,
    message: String,
}

fn parse_python(line: &str) -> Option<PyLine> {
    let (asctime, rest) = (line.get(..23)?, line.get(23..)?);
    let time = NaiveDateTime::parse_from_str(asctime, "%Y-%m-%d %H:%M:%S,%3f").ok()?;
    let rest = rest.strip_prefix(" - ")?;
    let (_name, rest) = rest.split_once(" - ")?;
    let (level, message) = match rest.split_once(" - ") {
        Some((l, m)) => (l, m),
        None => (rest.strip_suffix(" -")?, ""),
    };
    let known = [
        "DEBUG", "INFO", "WARNING", "WARN", "ERROR", "CRITICAL", "FATAL",
    ];
    known.contains(&level).then(|| PyLine {
        time_ns: time.and_utc().timestamp_nanos_opt().unwrap(),
        level: level.to_string(),
        message: message.to_string(),
    })
}

/// `grep ' - ERROR - \| - CRITICAL - ' | awk -F ' - ' '{print $NF}' | sort | uniq -c`, in Rust.
fn grep_awk_uniq(text: &str) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for line in text.lines() {
        if line.contains(" - ERROR - ") || line.contains(" - CRITICAL - ") {
            let last = line.rsplit(" - ").next().unwrap();
            *counts.entry(last.to_string()).or_insert(0) += 1;
        }
    }
    counts
}

/// One syslog line: severity from the priority, time from the header, the message.
struct Syslog {
    severity: Option<u32>,
    time_ns: i64,
    host: String,
    app: String,
    message: String,
}

const SEVERITY_NAMES: [&str; 8] = [
    "emergency",
    "alert",
    "critical",
    "error",
    "warn",
    "notice",
    "info",
    "debug",
];

/// RFC 3164 (`<PRI>Mmm dd hh:mm:ss host tag[pid]: msg`, the priority optional) and RFC 5424
/// (`<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG`). A 3164 date has no year: it is the most
/// recent such date not after `now`.
fn parse_syslog(line: &str, now_ns: i64) -> Option<Syslog> {
    let rfc5424 = Regex::new(
        r#"^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]"]|"(?:[^"\\]|\\.)*")*\])+)(?: (.*))?$"#,
    )
    .unwrap();
    let rfc3164 = Regex::new(
        r"^(?:<(\d{1,3})>)?([A-Z][a-z]{2}) ([ \d]\d) (\d{2}:\d{2}:\d{2}) (\S+) ([^:\[\s]+)(?:\[(\d+)\])?: ?(.*)$",
    )
    .unwrap();
    if let Some(c) = rfc5424.captures(line) {
        return Some(Syslog {
            severity: Some(c[1].parse::<u32>().unwrap() % 8),
            time_ns: DateTime::parse_from_rfc3339(&c[2])
                .unwrap()
                .timestamp_nanos_opt()
                .unwrap(),
            host: c[3].to_string(),
            app: c[4].to_string(),
            message: c.get(8).map_or("", |m| m.as_str()).to_string(),
        });
    }
    let c = rfc3164.captures(line)?;
    let now = DateTime::from_timestamp_nanos(now_ns).naive_utc();
    let at = |year: i32| {
        NaiveDateTime::parse_from_str(
            &format!("{year} {} {} {}", &c[2], c[3].trim(), &c[4]),
            "%Y %b %d %H:%M:%S",
        )
        .ok()
    };
    let year = chrono::Datelike::year(&now);
    let t = at(year).filter(|t| *t <= now).or_else(|| at(year - 1))?;
    Some(Syslog {
        severity: c.get(1).map(|p| p.as_str().parse::<u32>().unwrap() % 8),
        time_ns: t.and_utc().timestamp_nanos_opt().unwrap(),
        host: c[5].to_string(),
        app: c[6].to_string(),
        message: c[8].to_string(),
    })
}

/// The fallback reading of a plain text line: a leading timestamp (read with `layout`), a level
/// word among the first few tokens after it, and the rest of the line after the level as the
/// message.
struct TextLine {
    time_ns: Option<i64>,
    level: Option<String>,
    message: String,
}

const TEXT_LEVELS: &[&str] = &[
    "TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "WARNING", "ERROR", "FATAL", "CRITICAL", "trace",
    "debug", "info", "notice", "warn", "warning", "error", "crit", "alert", "emerg",
];

fn parse_text(line: &str, time_re: &Regex, layout: &str) -> TextLine {
    let (time_ns, rest) = match time_re.captures(line) {
        Some(c) => {
            let t = NaiveDateTime::parse_from_str(&c[1], layout).unwrap();
            (
                Some(t.and_utc().timestamp_nanos_opt().unwrap()),
                &line[c.get(0).unwrap().end()..],
            )
        }
        None => (None, line),
    };
    let mut offset = 0;
    for tok in rest.split(' ').take(6) {
        let start = offset;
        offset += tok.len() + 1;
        if tok.is_empty() || tok == "-" {
            continue;
        }
        let word = tok.trim_start_matches('[').trim_end_matches([']', ':']);
        if TEXT_LEVELS.contains(&word) {
            let message =
                rest[(start + tok.len()).min(rest.len())..].trim_start_matches([' ', '-', ':']);
            return TextLine {
                time_ns,
                level: Some(word.to_string()),
                message: message.to_string(),
            };
        }
    }
    TextLine {
        time_ns,
        level: None,
        message: rest.trim().to_string(),
    }
}

// ================================================================================================
// Detection and --input-format
// ================================================================================================

#[test]
fn each_fixture_is_detected_in_its_format() {
    for (file, want) in [
        ("containerkit_text.log", "logfmt"),
        ("nginx_access.log", "access"),
        ("apache_common.log", "access"),
        ("apache_combined_us.log", "access"),
        ("eventkit_app.log", "python"),
        ("syslog.log", "syslog"),
        ("syslog_5424.log", "syslog"),
        ("zookeeper.log", "text"),
        ("spark.log", "text"),
        ("apache_error.log", "text"),
        ("custom.log", "text"),
        ("containerkit.jsonl", "json"),
    ] {
        let r = summarize(&[file]);
        assert_eq!(format_of(&r, file), want, "detected format of {file}");
    }
    // With --pattern, the file is read with the pattern.
    let r = summarize(&["--pattern", r"^(?P<msg>.+)$", "custom.log"]);
    assert_eq!(format_of(&r, "custom.log"), "pattern");
}

#[test]
fn detection_skips_leading_blank_lines_and_reads_crlf() {
    let dir = tempfile::tempdir().unwrap();
    let access = "\n\n   \n10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET /a HTTP/1.1\" 200 5\n\
                  10.0.0.1 - - [10/Oct/2000:13:55:37 -0700] \"GET /a HTTP/1.1\" 503 5\n";
    std::fs::write(dir.path().join("a.log"), access).unwrap();
    let py = "2024-03-15 08:30:00,123 - app - INFO - up\r\n\
              2024-03-15 08:30:01,000 - app - ERROR - down\r\n";
    std::fs::write(dir.path().join("p.log"), py).unwrap();
    let r = json_in(
        dir.path(),
        &["summarize", "--format", "json", "a.log", "p.log"],
    );
    assert_eq!(format_of(&r, "a.log"), "access");
    assert_eq!(format_of(&r, "p.log"), "python");
    assert_eq!(u(&r["inputs"]["blank"]), 3);
    assert_eq!(u(&r["inputs"]["records"]), 4);
    assert_eq!(u(&r["overall"]["count"]), 2);
    assert_eq!(u(&r["overall"]["failures"]), 1);
    let e = error_events(&r);
    assert_eq!(
        e.get("down"),
        Some(&1),
        "CRLF stripped from the message: {e:?}"
    );
}

#[test]
fn input_format_overrides_detection() {
    let nginx = fixture_text("nginx_access.log");
    let non_blank = non_blank_lines(&nginx).count() as u64;

    // As text: every line is an event, none is an outcome, nothing is skipped.
    let r = summarize(&["--input-format", "text", "nginx_access.log"]);
    assert_eq!(format_of(&r, "nginx_access.log"), "text");
    assert_eq!(u(&r["overall"]["count"]), 0);
    assert_eq!(u(&r["overall"]["events"]), non_blank);
    assert_eq!(u(&r["inputs"]["skipped"]), 0);

    // As JSON: no line is JSON.
    let r = summarize(&["--input-format", "json", "nginx_access.log"]);
    assert_eq!(format_of(&r, "nginx_access.log"), "json");
    assert_eq!(u(&r["inputs"]["records"]), 0);
    assert_eq!(
        u(&r["inputs"]["skipped_by_reason"]["invalid_json"]),
        non_blank
    );

    // A logfmt file read as an access log: nothing fits.
    let ck = fixture_text("containerkit_text.log");
    let r = summarize(&["--input-format", "access", "containerkit_text.log"]);
    assert_eq!(format_of(&r, "containerkit_text.log"), "access");
    assert_eq!(u(&r["inputs"]["records"]), 0);
    assert_eq!(
        u(&r["inputs"]["skipped_by_reason"]["no_match"]),
        non_blank_lines(&ck).count() as u64
    );

    // Forcing the format a file would be detected in changes nothing; forcing it applies to
    // every input of the run.
    let detected = summarize(&["nginx_access.log"]);
    let forced = summarize(&["--input-format", "access", "nginx_access.log"]);
    assert_eq!(detected["overall"], forced["overall"]);
    let r = summarize(&[
        "--input-format",
        "text",
        "nginx_access.log",
        "eventkit_app.log",
    ]);
    assert_eq!(format_of(&r, "nginx_access.log"), "text");
    assert_eq!(format_of(&r, "eventkit_app.log"), "text");
}

// ================================================================================================
// logfmt (Container Kit's slog text handler)
// ================================================================================================

/// What the reference reader finds in a log: groups, lines not in the format, the span of
/// times, levels of events, and error-level events by message.
#[derive(Default)]
struct Found {
    groups: BTreeMap<String, Expect>,
    no_match: u64,
    span: (i64, i64),
    levels: BTreeMap<String, u64>,
    error_events: BTreeMap<String, u64>,
}

/// The Container Kit text log through the reference reader, grouped by `field`.
fn containerkit_expect(field: &str) -> Found {
    let text = fixture_text("containerkit_text.log");
    let mut want: BTreeMap<String, Expect> = BTreeMap::new();
    let mut no_match = 0;
    let mut span = (i64::MAX, i64::MIN);
    let mut lv = BTreeMap::new();
    for (_, line) in non_blank_lines(&text) {
        let Some(kv) = parse_logfmt(line) else {
            no_match += 1;
            continue;
        };
        let r = reduce_logfmt(&kv, field);
        if let Some(t) = r.time_ns {
            span = (span.0.min(t), span.1.max(t));
        }
        let g = want.entry(r.group).or_default();
        match r.outcome {
            Some((failed, latency)) => g.outcome(failed, latency),
            None => {
                g.events += 1;
                if let Some(l) = r.level {
                    *lv.entry(level_key(&l)).or_insert(0) += 1;
                }
            }
        }
    }
    Found {
        groups: want,
        no_match,
        span,
        levels: lv,
        error_events: BTreeMap::new(),
    }
}

#[test]
fn logfmt_container_kit_counts_failures_and_percentiles_per_tool() {
    let Found {
        groups: want,
        no_match,
        span,
        levels: lv,
        ..
    } = containerkit_expect("tool");
    // The fixture exercises what it should: Go duration strings, µs, several failing tools.
    assert!(want.len() >= 5 && want.values().filter(|e| e.failures > 0).count() >= 3);
    let r = summarize(&["containerkit_text.log"]);
    assert_eq!(r["group_by"], "tool");
    check_groups(&r, &want, "containerkit_text.log by tool");
    assert_eq!(u(&r["inputs"]["skipped_by_reason"]["no_match"]), no_match);
    assert_eq!(no_match, 4, "the Go panic trace at the end is not logfmt");
    assert_span(&r, span.0, span.1, "containerkit_text.log");
    assert_eq!(levels(&r), lv, "levels of events");
}

#[test]
fn logfmt_quoted_values_bare_keys_and_dotted_keys() {
    let text = fixture_text("containerkit_text.log");
    // Quoted values with escapes: the error messages are unescaped.
    let mut want: BTreeMap<String, u64> = BTreeMap::new();
    for (_, line) in non_blank_lines(&text) {
        if let Some(kv) = parse_logfmt(line) {
            let r = reduce_logfmt(&kv, "tool");
            if let (Some((true, _)), Some(e)) = (r.outcome, kv.get("error")) {
                *want.entry(e.clone()).or_insert(0) += 1;
            }
        }
    }
    assert!(want.contains_key(r#"dockerfile: "FROM" instruction missing"#));
    let r = json(&[
        "errors",
        "--raw",
        "--format",
        "json",
        "containerkit_text.log",
    ]);
    assert_eq!(error_rows(&r), want, "tlm errors --raw on logfmt");

    // A bare key is a flag: `cache_hit` means cache_hit=true.
    let flagged: Vec<_> = non_blank_lines(&text)
        .filter_map(|(_, l)| parse_logfmt(l))
        .filter(|kv| kv.get("cache_hit").map(String::as_str) == Some("true"))
        .collect();
    assert!(!flagged.is_empty());
    let r = summarize(&["--where", "cache_hit=true", "containerkit_text.log"]);
    assert_eq!(
        u(&r["overall"]["count"]) + u(&r["overall"]["events"]),
        flagged.len() as u64
    );

    // Dotted keys are keys (slog groups): --by req.method.
    let want = containerkit_expect("req.method").groups;
    assert!(want.contains_key("POST"));
    let r = summarize(&["--by", "req.method", "containerkit_text.log"]);
    check_groups(&r, &want, "containerkit_text.log by req.method");
}

#[test]
fn logfmt_inline_values() {
    // Numbers, durations, quoted values with escaped quotes and backslashes, bare keys.
    let dir = tempfile::tempdir().unwrap();
    let text = concat!(
        "time=2024-01-01T12:00:00Z level=INFO msg=\"GET done\" op=fetch duration=1.5s\n",
        "time=2024-01-01T12:00:01Z level=INFO msg=done op=fetch duration=250ms retried\n",
        "time=2024-01-01T12:00:02Z level=ERROR msg=\"fetch failed\" op=fetch elapsed_ms=12.5 ",
        "error=\"path \\\"C:\\\\tmp\\\" not found\"\n",
        "time=2024-01-01T12:00:03Z level=INFO msg=\"cache warm\" op=warm duration=1m2.5s\n",
    );
    std::fs::write(dir.path().join("app.log"), text).unwrap();
    let r = json_in(dir.path(), &["summarize", "--format", "json", "app.log"]);
    assert_eq!(format_of(&r, "app.log"), "logfmt");
    let mut want = BTreeMap::new();
    let mut fetch = Expect::default();
    fetch.outcome(false, Some(1500.0));
    fetch.outcome(false, Some(250.0));
    fetch.outcome(true, Some(12.5));
    want.insert("fetch".to_string(), fetch);
    let mut warm = Expect::default();
    warm.outcome(false, Some(62_500.0));
    want.insert("warm".to_string(), warm);
    check_groups(&r, &want, "inline logfmt");
    let r = json_in(
        dir.path(),
        &["errors", "--raw", "--format", "json", "app.log"],
    );
    assert_eq!(
        error_rows(&r),
        BTreeMap::from([(r#"path "C:\tmp" not found"#.to_string(), 1)])
    );
    let r = json_in(
        dir.path(),
        &[
            "summarize",
            "--format",
            "json",
            "--where",
            "retried=true",
            "app.log",
        ],
    );
    assert_eq!(u(&r["overall"]["count"]), 1);
}

// ================================================================================================
// Access logs
// ================================================================================================

#[test]
fn nginx_access_log_by_path_and_by_route() {
    let text = fixture_text("nginx_access.log");
    let (recs, no_match) = parse_access(&text);
    assert!(recs.len() >= 40 && recs.iter().any(|r| r.query.is_some()));
    assert!(recs.iter().any(|r| r.status == 499), "499 is not a failure");

    // --by path: count, failures (status >= 500), latency from $request_time.
    let want = access_groups(&recs, |r| r.path.clone());
    let r = summarize(&["--by", "path", "nginx_access.log"]);
    assert_eq!(r["group_by"], "path");
    check_groups(&r, &want, "nginx_access.log by path");
    assert_eq!(u(&r["inputs"]["skipped_by_reason"]["no_match"]), no_match);
    assert_eq!(no_match, 1, "the truncated last line");

    // Default grouping: the route, METHOD and the path without its query.
    let want = access_groups(&recs, Access::route);
    assert!(want.contains_key("GET /api/public/traces"));
    assert!(want.contains_key("POST /api/public/traces"));
    let r = summarize(&["nginx_access.log"]);
    assert_eq!(r["group_by"], "route");
    check_groups(&r, &want, "nginx_access.log by route");

    // Time from [10/Oct/2000:13:55:36 -0700]; throughput over the outcomes' span.
    let start = recs.iter().map(|r| r.time_ns).min().unwrap();
    let end = recs.iter().map(|r| r.time_ns).max().unwrap();
    assert_span(&r, start, end, "nginx_access.log");
    let tput = recs.len() as f64 / ((end - start) as f64 / 1e9);
    assert!((f(&r["overall"]["throughput_per_second"]) - tput).abs() < 1e-9);
    assert_eq!(r["fields"]["latency"], "request_time");
    assert_eq!(r["fields"]["status"], "status");

    // The failures' message is the status.
    let mut statuses: BTreeMap<String, u64> = BTreeMap::new();
    for a in recs.iter().filter(|a| a.failed()) {
        *statuses.entry(format!("status {}", a.status)).or_insert(0) += 1;
    }
    let r = json(&["errors", "--raw", "--format", "json", "nginx_access.log"]);
    assert_eq!(error_rows(&r), statuses);
}

#[test]
fn access_log_fields() {
    let (recs, _) = parse_access(&fixture_text("nginx_access.log"));
    // user_agent, query and method are fields to filter and group on.
    let probes = recs
        .iter()
        .filter(|a| {
            a.user_agent
                .as_deref()
                .is_some_and(|ua| ua.starts_with("kube-probe"))
        })
        .count() as u64;
    assert!(probes > 0);
    let r = summarize(&["--where", "user_agent~^kube-probe", "nginx_access.log"]);
    assert_eq!(u(&r["overall"]["count"]), probes);
    let paged = recs
        .iter()
        .filter(|a| a.query.as_deref().is_some_and(|q| q.contains("page=2")))
        .count() as u64;
    let r = summarize(&["--where", "query~page=2", "nginx_access.log"]);
    assert_eq!(u(&r["overall"]["count"]), paged);
    let want = access_groups(&recs, |a| a.method.clone());
    let r = summarize(&["--by", "method", "nginx_access.log"]);
    check_groups(&r, &want, "nginx_access.log by method");
    let want = access_groups(&recs, |a| a.protocol.clone());
    let r = summarize(&["--by", "protocol", "nginx_access.log"]);
    check_groups(&r, &want, "nginx_access.log by protocol");
    let five_xx = recs.iter().filter(|a| a.status >= 500).count() as u64;
    let r = summarize(&["--where", "status>=500", "nginx_access.log"]);
    assert_eq!(u(&r["overall"]["count"]), five_xx);
    assert_eq!(u(&r["overall"]["failures"]), five_xx);
}

#[test]
fn apache_common_format_without_request_times() {
    let text = fixture_text("apache_common.log");
    let (recs, no_match) = parse_access(&text);
    assert_eq!(no_match, 0);
    assert!(recs.iter().all(|a| a.latency_ms.is_none()));
    let want = access_groups(&recs, Access::route);
    let r = summarize(&["apache_common.log"]);
    assert_eq!(format_of(&r, "apache_common.log"), "access");
    check_groups(&r, &want, "apache_common.log by route");
    assert!(r["fields"]["latency"].is_null());
    // -0700 times are read in their zone.
    let start = recs.iter().map(|r| r.time_ns).min().unwrap();
    let end = recs.iter().map(|r| r.time_ns).max().unwrap();
    assert_eq!(start, ymd_hms(2000, 10, 10, 20, 56, 15));
    assert_span(&r, start, end, "apache_common.log");
    let want = access_groups(&recs, |a| a.path.clone());
    let r = summarize(&["--by", "path", "apache_common.log"]);
    check_groups(&r, &want, "apache_common.log by path");
    // Nothing is slow: no outcome has a latency.
    let (code, out, _) = run_in(
        &fixtures_dir(),
        &["slow", "--over", "0ms", "apache_common.log"],
    );
    assert_eq!(code, 0);
    assert!(out.is_empty());
}

#[test]
fn apache_combined_format_with_microseconds() {
    let text = fixture_text("apache_combined_us.log");
    let (recs, no_match) = parse_access(&text);
    assert_eq!(no_match, 0);
    assert!(recs.iter().all(|a| a.latency_ms.is_some()));
    let want = access_groups(&recs, Access::route);
    let r = summarize(&["apache_combined_us.log"]);
    assert_eq!(format_of(&r, "apache_combined_us.log"), "access");
    check_groups(&r, &want, "apache_combined_us.log by route");
    let want = access_groups(&recs, |a| a.path.clone());
    let r = summarize(&["--by", "path", "apache_combined_us.log"]);
    check_groups(&r, &want, "apache_combined_us.log by path");
}

#[test]
fn slow_over_on_access_logs_prints_the_original_lines() {
    for (file, over, over_ms) in [
        ("nginx_access.log", "500ms", 500.0),
        ("nginx_access.log", "945ms", 945.0), // one request took exactly 945 ms: not over
        ("nginx_access.log", "1s", 1000.0),
        ("apache_combined_us.log", "100ms", 100.0),
    ] {
        let (recs, _) = parse_access(&fixture_text(file));
        let want: String = recs
            .iter()
            .filter(|a| a.latency_ms.is_some_and(|l| l > over_ms))
            .map(|a| format!("{}\n", a.line))
            .collect();
        assert!(!want.is_empty());
        for extra in [&[][..], &["--format", "jsonl"][..]] {
            let mut args = vec!["slow", "--over", over];
            args.extend_from_slice(extra);
            args.push(file);
            let (code, out, err) = run_in(&fixtures_dir(), &args);
            assert_eq!(code, 0, "{err}");
            assert_eq!(
                String::from_utf8(out).unwrap(),
                want,
                "tlm slow --over {over} {file}"
            );
        }
    }
    // --top with the table still works on an access log and names the route.
    let (code, out, _) = run_in(
        &fixtures_dir(),
        &["slow", "--top", "3", "--format", "json", "nginx_access.log"],
    );
    assert_eq!(code, 0);
    let rows: Value = serde_json::from_slice(&out).unwrap();
    let (recs, _) = parse_access(&fixture_text("nginx_access.log"));
    let mut sorted = recs.clone();
    sorted.sort_by(|a, b| b.latency_ms.unwrap().total_cmp(&a.latency_ms.unwrap()));
    assert_eq!(rows.as_array().unwrap().len(), 3);
    assert_eq!(rows[0]["group"], sorted[0].route());
    assert!((f(&rows[0]["latency_ms"]) - sorted[0].latency_ms.unwrap()).abs() < 1e-6);
    // The record of a text line is the line itself.
    let text = fixture_text("nginx_access.log");
    let line_no = rows[0]["line"].as_u64().unwrap() as usize;
    let line = text.lines().nth(line_no - 1).unwrap();
    assert_eq!(rows[0]["record"].as_str(), Some(line));
}

#[test]
fn check_max_error_rate_on_an_access_log() {
    let (recs, no_match) = parse_access(&fixture_text("nginx_access.log"));
    let rate = recs.iter().filter(|a| a.failed()).count() as f64 / recs.len() as f64 * 100.0;
    let code = |args: &[&str]| run_in(&fixtures_dir(), args).0;
    let below = format!("{:.3}%", rate - 0.05);
    let above = format!("{:.3}%", rate + 0.05);
    assert_eq!(
        code(&["check", "--max-error-rate", &below, "nginx_access.log"]),
        1,
        "error rate {rate}% > {below}"
    );
    assert_eq!(
        code(&["check", "--max-error-rate", &above, "nginx_access.log"]),
        0,
        "error rate {rate}% <= {above}"
    );
    // p95 around the true nearest-rank value.
    let mut lat: Vec<f64> = recs.iter().filter_map(|a| a.latency_ms).collect();
    lat.sort_by(f64::total_cmp);
    let p95 = nearest_rank(&lat, 950);
    let lo = format!("{}ms", (p95 * 0.99).floor());
    let hi = format!("{}ms", (p95 * 1.01).ceil());
    assert_eq!(code(&["check", "--max-p95", &lo, "nginx_access.log"]), 1);
    assert_eq!(code(&["check", "--max-p95", &hi, "nginx_access.log"]), 0);
    // Data quality: the truncated line is a skipped share of the non-blank lines.
    let skipped = no_match as f64 / (recs.len() as f64 + no_match as f64) * 100.0;
    let lo = format!("{:.2}%", skipped - 0.1);
    let hi = format!("{:.2}%", skipped + 0.1);
    assert_eq!(
        code(&["check", "--max-skipped-ratio", &lo, "nginx_access.log"]),
        1
    );
    assert_eq!(
        code(&["check", "--max-skipped-ratio", &hi, "nginx_access.log"]),
        0
    );
    // Per route: exactly the routes with a 5xx breach a 1% budget.
    let (c, out, _) = run_in(
        &fixtures_dir(),
        &[
            "check",
            "--by",
            "route",
            "--max-error-rate",
            "1%",
            "--format",
            "json",
            "nginx_access.log",
        ],
    );
    assert_eq!(c, 1);
    let report: Value = serde_json::from_slice(&out).unwrap();
    let breached: std::collections::BTreeSet<String> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "breach" && r["scope"] != "overall")
        .map(|r| r["scope"].as_str().unwrap().to_string())
        .collect();
    let want: std::collections::BTreeSet<String> = recs
        .iter()
        .filter(|a| a.failed())
        .map(|a| format!("group {}", a.route()))
        .collect();
    assert_eq!(breached, want);
}

// ================================================================================================
// Python logging (Event Kit's app log)
// ================================================================================================

#[test]
fn python_errors_raw_equals_grep_awk_uniq() {
    let text = fixture_text("eventkit_app.log");
    let want = grep_awk_uniq(&text);
    // The comparison is meaningful: the error-level messages hold no ' - ' (awk keeps the last
    // piece, tlm the whole message), while other lines do; some messages repeat.
    for line in text
        .lines()
        .filter(|l| l.contains(" - ERROR - ") || l.contains(" - CRITICAL - "))
    {
        assert_eq!(line.matches(" - ").count(), 3, "{line}");
    }
    assert!(text
        .lines()
        .any(|l| l.contains(" - INFO - ") && l.matches(" - ").count() > 3));
    assert!(want.values().any(|n| *n > 1) && want.len() >= 4);

    // The shell pipeline itself, where there is a shell with grep and awk.
    let shell = std::process::Command::new("sh")
        .current_dir(fixtures_dir())
        .arg("-c")
        .arg(r"grep ' - ERROR - \| - CRITICAL - ' eventkit_app.log | awk -F ' - ' '{print $NF}' | sort | uniq -c")
        .output();
    if let Ok(out) = shell {
        if out.status.success() {
            let mut got = BTreeMap::new();
            for l in String::from_utf8(out.stdout).unwrap().lines() {
                let (n, msg) = l.trim_start().split_once(' ').unwrap();
                got.insert(msg.to_string(), n.parse::<u64>().unwrap());
            }
            assert_eq!(
                got, want,
                "the shell pipeline and its Rust emulation differ"
            );
        }
    }

    let r = json(&["errors", "--raw", "--format", "json", "eventkit_app.log"]);
    assert_eq!(error_rows(&r), want, "tlm errors --raw eventkit_app.log");
    let total: u64 = want.values().sum();
    assert_eq!(u(&r["total"]), total);
    assert_eq!(u(&r["error_events"]), total);
    assert_eq!(u(&r["failures"]), 0);
    for e in r["errors"].as_array().unwrap() {
        assert_eq!(e["error_events"], e["count"]);
    }

    // The table marks them as log events.
    let (code, out, _) = run_in(&fixtures_dir(), &["errors", "--raw", "eventkit_app.log"]);
    assert_eq!(code, 0);
    let out = String::from_utf8(out).unwrap();
    for msg in want.keys() {
        assert!(out.contains(msg.as_str()), "{msg} missing from:\n{out}");
    }
}

#[test]
fn python_summarize_levels_and_error_events() {
    let text = fixture_text("eventkit_app.log");
    let mut lv: BTreeMap<String, u64> = BTreeMap::new();
    let mut errs: BTreeMap<String, u64> = BTreeMap::new();
    let mut no_match = 0;
    let mut span = (i64::MAX, i64::MIN);
    let mut events = 0u64;
    for (_, line) in non_blank_lines(&text) {
        let Some(p) = parse_python(line) else {
            no_match += 1;
            continue;
        };
        events += 1;
        span = (span.0.min(p.time_ns), span.1.max(p.time_ns));
        *lv.entry(level_key(&p.level)).or_insert(0) += 1;
        if is_error_level(&p.level) {
            *errs.entry(p.message).or_insert(0) += 1;
        }
    }
    assert!(lv.contains_key("warn") && lv.contains_key("critical"));
    assert_eq!(no_match, 4, "the traceback under an ERROR line");

    let r = summarize(&["--raw-errors", "--top-errors", "100", "eventkit_app.log"]);
    assert_eq!(format_of(&r, "eventkit_app.log"), "python");
    assert_eq!(levels(&r), lv, "levels");
    assert_eq!(error_events(&r), errs, "error_events");
    assert_eq!(u(&r["overall"]["count"]), 0);
    assert_eq!(u(&r["overall"]["events"]), events);
    assert!(r["overall"]["latency_ms"].is_null());
    assert_eq!(u(&r["inputs"]["skipped_by_reason"]["no_match"]), no_match);
    assert_span(&r, span.0, span.1, "eventkit_app.log");
    let eps = events as f64 / ((span.1 - span.0) as f64 / 1e9);
    assert!(
        (f(&r["events_per_second"]) - eps).abs() < 1e-9,
        "events_per_second {} != {eps}",
        r["events_per_second"]
    );
    assert_eq!(r["fields"]["time"], "asctime");
    assert_eq!(r["fields"]["level"], "levelname");
    assert_eq!(r["fields"]["message"], "message");
    for e in r["error_events"].as_array().unwrap() {
        assert_eq!(
            e["example"], e["message"],
            "raw: the example is the message"
        );
    }

    // Clustered (the default), the same total.
    let r = summarize(&["eventkit_app.log"]);
    let total: u64 = error_events(&r).values().sum();
    assert_eq!(total, errs.values().sum::<u64>());

    // The table shows events by level and the error messages, not an empty outcome table.
    let (code, out, _) = run_in(&fixtures_dir(), &["summarize", "eventkit_app.log"]);
    assert_eq!(code, 0);
    let out = String::from_utf8(out).unwrap();
    for (level, n) in &lv {
        assert!(
            out.lines()
                .any(|l| l.contains(level.as_str()) && l.contains(&n.to_string())),
            "level {level} {n} missing from:\n{out}"
        );
    }
    assert!(out.contains("Graph API authentication failed"), "{out}");
    assert!(
        !out.contains("p95"),
        "an outcome table for a log with no outcomes:\n{out}"
    );
}

#[test]
fn python_message_is_everything_after_the_level() {
    let dir = tempfile::tempdir().unwrap();
    let text = "2024-03-15 08:40:00,000 - event_agent.export - ERROR - Calendar export failed - token expired\n\
                2024-03-15 08:40:01,000 - event_agent.export - ERROR - Calendar export failed - token expired\n\
                2024-03-15 08:40:02,500 - event_agent - WARNING - Disk 91% full - cleaning up\n";
    std::fs::write(dir.path().join("app.log"), text).unwrap();
    let r = json_in(
        dir.path(),
        &["errors", "--raw", "--format", "json", "app.log"],
    );
    // awk -F ' - ' '{print $NF}' would say "token expired"; the message is the whole rest.
    assert_eq!(
        error_rows(&r),
        BTreeMap::from([("Calendar export failed - token expired".to_string(), 2)])
    );
    let r = json_in(dir.path(), &["summarize", "--format", "json", "app.log"]);
    assert_eq!(
        levels(&r),
        BTreeMap::from([("error".to_string(), 2), ("warn".to_string(), 1)])
    );
    assert!((f(&r["events_per_second"]) - 3.0 / 2.5).abs() < 1e-9);
}

// ================================================================================================
// Syslog
// ================================================================================================

/// A syslog fixture's records, with its levels, error events (raw message → count) and span.
fn syslog_expect(file: &str, now_ns: i64) -> (Vec<Syslog>, Found) {
    let text = fixture_text(file);
    let mut recs = Vec::new();
    for (n, line) in non_blank_lines(&text) {
        recs.push(parse_syslog(line, now_ns).unwrap_or_else(|| panic!("{file}:{n} is syslog")));
    }
    let mut lv = BTreeMap::new();
    let mut errs = BTreeMap::new();
    for s in &recs {
        if let Some(sev) = s.severity {
            *lv.entry(SEVERITY_NAMES[sev as usize].to_string())
                .or_insert(0) += 1;
            if sev <= 3 {
                *errs.entry(s.message.clone()).or_insert(0) += 1;
            }
        }
    }
    let span = (
        recs.iter().map(|s| s.time_ns).min().unwrap(),
        recs.iter().map(|s| s.time_ns).max().unwrap(),
    );
    let found = Found {
        span,
        levels: lv,
        error_events: errs,
        ..Found::default()
    };
    (recs, found)
}

#[test]
fn syslog_rfc3164_levels_from_priority_and_time_from_header() {
    let now = ymd_hms(2024, 12, 1, 0, 0, 0);
    let (
        recs,
        Found {
            levels: lv,
            error_events: errs,
            span,
            ..
        },
    ) = syslog_expect("syslog.log", now);
    assert!(
        recs.iter().any(|s| s.severity.is_none()),
        "lines without <PRI>"
    );
    assert!(lv.contains_key("warn") && lv.contains_key("critical") && lv.contains_key("error"));
    assert_eq!(span.0, ymd_hms(2024, 3, 15, 8, 30, 0));

    let r = summarize(&[
        "--now",
        "2024-12-01T00:00:00Z",
        "--raw-errors",
        "--top-errors",
        "100",
        "syslog.log",
    ]);
    assert_eq!(format_of(&r, "syslog.log"), "syslog");
    assert_eq!(
        canonical_levels(&levels(&r)),
        lv,
        "levels from the priority"
    );
    assert_eq!(u(&r["overall"]["events"]), recs.len() as u64);
    assert_eq!(u(&r["overall"]["count"]), 0);
    assert_eq!(error_events(&r), errs);
    assert_span(&r, span.0, span.1, "syslog.log");

    let r = json(&[
        "errors",
        "--raw",
        "--format",
        "json",
        "--now",
        "2024-12-01T00:00:00Z",
        "syslog.log",
    ]);
    assert_eq!(error_rows(&r), errs);

    // No year: the most recent such date not after now.
    let now = ymd_hms(2024, 3, 1, 0, 0, 0);
    let span = syslog_expect("syslog.log", now).1.span;
    assert_eq!(span.0, ymd_hms(2023, 3, 15, 8, 30, 0));
    let r = summarize(&["--now", "2024-03-01T00:00:00Z", "syslog.log"]);
    assert_span(&r, span.0, span.1, "syslog.log with --now 2024-03-01");

    // host and app are fields.
    let mut by_app: BTreeMap<String, Expect> = BTreeMap::new();
    for s in &recs {
        by_app.entry(s.app.clone()).or_default().events += 1;
    }
    let r = summarize(&["--by", "app", "syslog.log"]);
    check_groups(&r, &by_app, "syslog.log by app");
    assert!(recs.iter().all(|s| s.host == "web01"));
}

#[test]
fn syslog_rfc5424() {
    let (
        recs,
        Found {
            levels: lv,
            error_events: errs,
            span,
            ..
        },
    ) = syslog_expect("syslog_5424.log", 0);
    // One header carries +01:00: the time is read in its zone.
    assert_eq!(span.0, ymd_hms(2024, 3, 15, 7, 30, 7) + 250_000_000);
    let r = summarize(&["--raw-errors", "--top-errors", "100", "syslog_5424.log"]);
    assert_eq!(format_of(&r, "syslog_5424.log"), "syslog");
    assert_eq!(canonical_levels(&levels(&r)), lv);
    assert_eq!(error_events(&r), errs);
    assert!(
        errs.contains_key("Job failed"),
        "the message follows the structured data"
    );
    assert_span(&r, span.0, span.1, "syslog_5424.log");
    for (field, key) in [
        ("app", (|s: &Syslog| s.app.clone()) as fn(&Syslog) -> String),
        ("host", |s: &Syslog| s.host.clone()),
    ] {
        let mut want: BTreeMap<String, Expect> = BTreeMap::new();
        for s in &recs {
            want.entry(key(s)).or_default().events += 1;
        }
        let r = summarize(&["--by", field, "syslog_5424.log"]);
        check_groups(&r, &want, &format!("syslog_5424.log by {field}"));
    }
}

#[test]
fn syslog_rfc3164_on_a_leap_day() {
    // RFC 3164 has no year: "the most recent such date not after now" is 2024-02-29 for
    // --now 2024-03-01. A leap day is a valid syslog date and these lines are syslog.
    let dir = tempfile::tempdir().unwrap();
    let text = "<13>Feb 29 12:00:00 host app[1]: leap day\n\
                <11>Feb 29 12:00:05 host app[1]: leap failure\n";
    std::fs::write(dir.path().join("leap.log"), text).unwrap();
    let r = json_in(
        dir.path(),
        &[
            "summarize",
            "--format",
            "json",
            "--now",
            "2024-03-01T00:00:00Z",
            "leap.log",
        ],
    );
    assert_eq!(format_of(&r, "leap.log"), "syslog");
    assert_eq!(u(&r["inputs"]["records"]), 2);
    assert_span(
        &r,
        ymd_hms(2024, 2, 29, 12, 0, 0),
        ymd_hms(2024, 2, 29, 12, 0, 5),
        "leap.log",
    );
    assert_eq!(
        levels(&r),
        BTreeMap::from([("notice".to_string(), 1), ("error".to_string(), 1)])
    );
}

// ================================================================================================
// The text fallback (Zookeeper, Spark, Apache error log)
// ================================================================================================

#[test]
fn text_fallback_zookeeper_spark_apache_error() {
    let cases = [
        (
            "zookeeper.log",
            r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3})",
            "%Y-%m-%d %H:%M:%S,%3f",
        ),
        (
            "spark.log",
            r"^(\d{2}/\d{2}/\d{2} \d{2}:\d{2}:\d{2})",
            "%y/%m/%d %H:%M:%S",
        ),
        (
            "apache_error.log",
            r"^\[(\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} \d{4})\]",
            "%a %b %d %H:%M:%S %Y",
        ),
    ];
    for (file, time_re, layout) in cases {
        let text = fixture_text(file);
        let re = Regex::new(time_re).unwrap();
        let lines: Vec<TextLine> = non_blank_lines(&text)
            .map(|(_, l)| parse_text(l, &re, layout))
            .collect();
        let mut lv = BTreeMap::new();
        let mut errs = BTreeMap::new();
        for t in &lines {
            if let Some(l) = &t.level {
                *lv.entry(level_key(l)).or_insert(0) += 1;
                if is_error_level(l) {
                    *errs.entry(t.message.clone()).or_insert(0) += 1;
                }
            }
        }
        assert!(!errs.is_empty(), "{file} has error lines");
        let times: Vec<i64> = lines.iter().filter_map(|t| t.time_ns).collect();
        let span = (*times.iter().min().unwrap(), *times.iter().max().unwrap());

        let r = summarize(&["--raw-errors", "--top-errors", "100", file]);
        assert_eq!(format_of(&r, file), "text");
        // Every line is an event, stack-trace lines included; nothing is skipped.
        assert_eq!(u(&r["overall"]["events"]), lines.len() as u64, "{file}");
        assert_eq!(u(&r["overall"]["count"]), 0, "{file}");
        assert_eq!(u(&r["inputs"]["skipped"]), 0, "{file}");
        assert_eq!(canonical_levels(&levels(&r)), lv, "{file}: levels");
        assert_eq!(error_events(&r), errs, "{file}: error_events");
        assert_span(&r, span.0, span.1, file);
        let eps = lines.len() as f64 / ((span.1 - span.0) as f64 / 1e9);
        assert!((f(&r["events_per_second"]) - eps).abs() < 1e-9, "{file}");

        let r = json(&["errors", "--raw", "--format", "json", file]);
        assert_eq!(error_rows(&r), errs, "{file}: tlm errors --raw");
    }
}

#[test]
fn text_fallback_messages_by_hand() {
    // The level word's forms, and the message after it, on one line of each kind.
    let r = json(&["errors", "--raw", "--format", "json", "apache_error.log"]);
    let rows = error_rows(&r);
    assert_eq!(
        rows.get("[client 192.0.2.15] File does not exist: /var/www/html/favicon.ico"),
        Some(&2)
    );
    assert_eq!(
        rows.get("(28)No space left on device: mod_rewrite: could not create rewrite_log_lock"),
        Some(&1),
        "[crit] is error-level: {rows:?}"
    );
    // Clustered, the three favicon misses from different clients are one row.
    let r = json(&["errors", "--format", "json", "apache_error.log"]);
    assert!(r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["count"] == 3 && e["example"].as_str().unwrap().contains("favicon.ico")));
    let r = json(&["errors", "--format", "json", "spark.log"]);
    assert!(r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["count"] == 2
            && e["example"] == "Executor: Exception in task 2.0 in stage 0.0 (TID 2)"));
    assert_eq!(u(&r["total"]), 3);
}

#[test]
fn text_fallback_apache_24_error_log() {
    // Apache 2.4 (the current Apache) writes the level as [module:level] in its default
    // ErrorLogFormat; the README's fallback promises Apache error logs' level word.
    let dir = tempfile::tempdir().unwrap();
    let text = "[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 1234:tid 5678] [client 10.0.0.1:5555] AH00126: Invalid URI in request GET /%%% HTTP/1.1\n\
                [Wed Oct 11 14:32:53.000001 2000] [mpm_event:notice] [pid 1:tid 2] AH00489: Apache/2.4.58 (Unix) configured -- resuming normal operations\n\
                [Wed Oct 11 14:32:54.500000 2000] [proxy:error] [pid 1234:tid 5679] (111)Connection refused: AH00957: HTTP: attempt to connect to 127.0.0.1:8080 (localhost) failed\n";
    std::fs::write(dir.path().join("error_log"), text).unwrap();
    let r = json_in(dir.path(), &["summarize", "--format", "json", "error_log"]);
    assert_eq!(format_of(&r, "error_log"), "text");
    assert_eq!(
        canonical_levels(&levels(&r)),
        BTreeMap::from([("error".to_string(), 2), ("notice".to_string(), 1)]),
        "levels of [module:level]"
    );
    let r = json_in(
        dir.path(),
        &["errors", "--raw", "--format", "json", "error_log"],
    );
    assert_eq!(u(&r["total"]), 2);
}

// ================================================================================================
// --pattern and --time-format
// ================================================================================================

const CUSTOM_PATTERN: &str = r"^(?P<time>\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}\.\d{3}) \| (?P<level>[A-Z]+)\s*\| (?P<op>\w+)\s*\| (?P<msg>.*) took (?P<latency_ms>\d+(?:\.\d+)?) ms$";
const CUSTOM_TIME_FORMAT: &str = "%d.%m.%Y %H:%M:%S%.3f";

#[test]
fn pattern_with_named_captures_and_time_format() {
    let text = fixture_text("custom.log");
    let re = Regex::new(CUSTOM_PATTERN).unwrap();
    let mut want: BTreeMap<String, Expect> = BTreeMap::new();
    let mut no_match = 0;
    let mut times = Vec::new();
    let mut errs: BTreeMap<String, u64> = BTreeMap::new();
    for (_, line) in non_blank_lines(&text) {
        let Some(c) = re.captures(line) else {
            no_match += 1;
            continue;
        };
        let t = NaiveDateTime::parse_from_str(&c["time"], CUSTOM_TIME_FORMAT).unwrap();
        times.push(t.and_utc().timestamp_nanos_opt().unwrap());
        // An outcome (it has a latency); a failure by its level.
        let failed = is_error_level(&c["level"]);
        if failed {
            *errs.entry(c["msg"].to_string()).or_insert(0) += 1;
        }
        want.entry(c["op"].to_string())
            .or_default()
            .outcome(failed, Some(c["latency_ms"].parse().unwrap()));
    }
    assert_eq!(
        no_match, 3,
        "the banner, the heartbeat and the exception line"
    );
    assert!(want.values().all(|e| e.failures > 0));

    let r = summarize(&[
        "--pattern",
        CUSTOM_PATTERN,
        "--time-format",
        CUSTOM_TIME_FORMAT,
        "custom.log",
    ]);
    assert_eq!(format_of(&r, "custom.log"), "pattern");
    assert_eq!(r["group_by"], "op", "op is a group candidate");
    check_groups(&r, &want, "custom.log with --pattern");
    assert_eq!(u(&r["inputs"]["skipped_by_reason"]["no_match"]), no_match);
    assert_span(
        &r,
        *times.iter().min().unwrap(),
        *times.iter().max().unwrap(),
        "custom.log",
    );

    let r = json(&[
        "errors",
        "--raw",
        "--format",
        "json",
        "--pattern",
        CUSTOM_PATTERN,
        "--time-format",
        CUSTOM_TIME_FORMAT,
        "custom.log",
    ]);
    assert_eq!(error_rows(&r), errs, "failures by their msg capture");

    // Without --time-format, the time capture is not a time: every matched line is bad_time.
    let matched: u64 = want.values().map(|e| e.count).sum();
    let r = summarize(&["--pattern", CUSTOM_PATTERN, "custom.log"]);
    assert_eq!(u(&r["inputs"]["skipped_by_reason"]["bad_time"]), matched);
    assert_eq!(u(&r["inputs"]["skipped_by_reason"]["no_match"]), no_match);

    // A pattern without named captures is a usage error.
    let (code, _, err) = run_in(
        &fixtures_dir(),
        &["summarize", "--pattern", r"\d+", "custom.log"],
    );
    assert_eq!(code, 2, "{err}");
}

#[test]
fn time_format_on_a_text_log() {
    // A text log whose timestamps no built-in layout reads, told with --time-format; any other
    // capture name becomes a field.
    let dir = tempfile::tempdir().unwrap();
    let text = "2024.03.15-08h30m00s worker=7 job=resize took=125\n\
                2024.03.15-08h30m02s worker=7 job=resize took=375\n\
                2024.03.15-08h30m09s worker=8 job=thumb took=40\n";
    std::fs::write(dir.path().join("jobs.log"), text).unwrap();
    let pattern = r"^(?P<ts>\S+) worker=(?P<worker>\d+) job=(?P<job>\w+) took=(?P<latency_ms>\d+)$";
    let r = json_in(
        dir.path(),
        &[
            "summarize",
            "--format",
            "json",
            "--pattern",
            pattern,
            "--time-format",
            "%Y.%m.%d-%Hh%Mm%Ss",
            "--by",
            "worker",
            "jobs.log",
        ],
    );
    assert_span(
        &r,
        ymd_hms(2024, 3, 15, 8, 30, 0),
        ymd_hms(2024, 3, 15, 8, 30, 9),
        "jobs.log",
    );
    let mut want = BTreeMap::new();
    let mut w7 = Expect::default();
    w7.outcome(false, Some(125.0));
    w7.outcome(false, Some(375.0));
    want.insert("7".to_string(), w7);
    let mut w8 = Expect::default();
    w8.outcome(false, Some(40.0));
    want.insert("8".to_string(), w8);
    check_groups(&r, &want, "jobs.log by worker");
}

// ================================================================================================
// Compressed and mixed inputs, no_match accounting, every subcommand
// ================================================================================================

#[test]
fn gzip_access_log_reads_the_same() {
    let plain = fixture_text("nginx_access.log");
    let dir = tempfile::tempdir().unwrap();
    // A rotated log: gzip, with no .gz in its name.
    let file = std::fs::File::create(dir.path().join("access.log.1")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    gz.write_all(plain.as_bytes()).unwrap();
    gz.finish().unwrap();
    let r = json_in(
        dir.path(),
        &[
            "summarize",
            "--format",
            "json",
            "--by",
            "path",
            "access.log.1",
        ],
    );
    assert_eq!(format_of(&r, "access.log.1"), "access");
    let (recs, no_match) = parse_access(&plain);
    check_groups(
        &r,
        &access_groups(&recs, |a| a.path.clone()),
        "gzip access.log.1 by path",
    );
    assert_eq!(u(&r["inputs"]["skipped_by_reason"]["no_match"]), no_match);
    let p = summarize(&["--by", "path", "nginx_access.log"]);
    for k in ["overall", "groups", "span"] {
        assert_eq!(r[k], p[k], "{k}: gzip and plain differ");
    }
    // slow --over gives the same original lines from the compressed file.
    let (_, gz_out, _) = run_in(dir.path(), &["slow", "--over", "500ms", "access.log.1"]);
    let (_, plain_out, _) = run_in(
        &fixtures_dir(),
        &["slow", "--over", "500ms", "nginx_access.log"],
    );
    assert_eq!(gz_out, plain_out);
}

#[test]
fn two_files_of_different_formats_in_one_run() {
    let files = [
        "nginx_access.log",
        "eventkit_app.log",
        "containerkit_text.log",
    ];
    let r = summarize(&files);
    let formats: BTreeMap<String, String> = files
        .iter()
        .map(|f| (f.to_string(), format_of(&r, f)))
        .collect();
    assert_eq!(
        formats,
        BTreeMap::from([
            ("nginx_access.log".to_string(), "access".to_string()),
            ("eventkit_app.log".to_string(), "python".to_string()),
            ("containerkit_text.log".to_string(), "logfmt".to_string()),
        ])
    );
    // Each file read its own way: the outcomes and events add up.
    let (recs, _) = parse_access(&fixture_text("nginx_access.log"));
    let ck = containerkit_expect("tool").groups;
    let ck_count: u64 = ck.values().map(|e| e.count).sum();
    let ck_failures: u64 = ck.values().map(|e| e.failures).sum();
    let ck_events: u64 = ck.values().map(|e| e.events).sum();
    let py_events = non_blank_lines(&fixture_text("eventkit_app.log"))
        .filter(|(_, l)| parse_python(l).is_some())
        .count() as u64;
    let o = &r["overall"];
    assert_eq!(u(&o["count"]), recs.len() as u64 + ck_count);
    assert_eq!(
        u(&o["failures"]),
        recs.iter().filter(|a| a.failed()).count() as u64 + ck_failures
    );
    assert_eq!(u(&o["events"]), py_events + ck_events);
    // Lines are accounted per file and summed.
    let mut lines = 0;
    for f in files {
        lines += u(&summarize(&[f])["inputs"]["lines"]);
    }
    assert_eq!(u(&r["inputs"]["lines"]), lines);

    // Two formats in `tlm errors`: the HTTP failures and the Python error lines.
    let r = json(&[
        "errors",
        "--raw",
        "--format",
        "json",
        "nginx_access.log",
        "eventkit_app.log",
    ]);
    let py: u64 = grep_awk_uniq(&fixture_text("eventkit_app.log"))
        .values()
        .sum();
    assert_eq!(
        u(&r["failures"]),
        recs.iter().filter(|a| a.failed()).count() as u64
    );
    assert_eq!(u(&r["error_events"]), py);
}

#[test]
fn lines_that_do_not_fit_are_no_match() {
    // Each fixture's reference count of lines that are not in its format.
    let ck = containerkit_expect("tool").no_match;
    let nginx = parse_access(&fixture_text("nginx_access.log")).1;
    let py = non_blank_lines(&fixture_text("eventkit_app.log"))
        .filter(|(_, l)| parse_python(l).is_none())
        .count() as u64;
    for (file, want) in [
        ("containerkit_text.log", ck),
        ("nginx_access.log", nginx),
        ("eventkit_app.log", py),
        ("syslog.log", 0),
        ("apache_common.log", 0),
    ] {
        let r = summarize(&[file]);
        let skipped = &r["inputs"]["skipped_by_reason"];
        assert_eq!(
            skipped["no_match"].as_u64().unwrap_or(0),
            want,
            "{file}: no_match"
        );
        assert_eq!(u(&r["inputs"]["skipped"]), want, "{file}: skipped");
    }
    // Access lines in an app log are skipped the same way, wherever they are.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for i in 0..6 {
        text += &format!("2024-03-15 08:30:0{i},000 - app - INFO - tick {i}\n");
    }
    text += "10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5\n\n";
    text += "2024-03-15 08:30:09,000 - app - INFO - tock\nnot a log line\n";
    std::fs::write(dir.path().join("app.log"), &text).unwrap();
    let r = json_in(dir.path(), &["summarize", "--format", "json", "app.log"]);
    assert_eq!(format_of(&r, "app.log"), "python");
    assert_eq!(u(&r["inputs"]["lines"]), 10);
    assert_eq!(u(&r["inputs"]["records"]), 7);
    assert_eq!(u(&r["inputs"]["blank"]), 1);
    assert_eq!(u(&r["inputs"]["skipped_by_reason"]["no_match"]), 2);
    // --strict names the first such line.
    let (code, _, err) = run_in(dir.path(), &["summarize", "--strict", "app.log"]);
    assert_eq!(code, 2);
    assert!(err.contains("app.log:7"), "{err}");
}

#[test]
fn every_subcommand_reads_every_text_format() {
    let fixtures = [
        "containerkit_text.log",
        "nginx_access.log",
        "apache_common.log",
        "apache_combined_us.log",
        "eventkit_app.log",
        "syslog.log",
        "syslog_5424.log",
        "zookeeper.log",
        "spark.log",
        "apache_error.log",
        "custom.log",
    ];
    let dir = fixtures_dir();
    for file in fixtures {
        for args in [
            &["summarize"][..],
            &["summarize", "--format", "csv"],
            &["errors"],
            &["errors", "--format", "json"],
            &["slow", "--over", "0ms"],
            &["slow", "--top", "5", "--format", "table"],
            &["check", "--allow-empty", "--min-records", "1"],
        ] {
            let mut a = args.to_vec();
            a.push(file);
            let (code, out, err) = run_in(&dir, &a);
            assert_eq!(code, 0, "tlm {a:?}: {err}");
            assert!(
                !out.is_empty() || args[0] == "slow",
                "tlm {a:?} printed nothing"
            );
        }
    }
    // check on a log with no outcomes is "no data" unless allowed.
    let (code, _, _) = run_in(&dir, &["check", "--max-error-rate", "5%", "spark.log"]);
    assert_eq!(code, 1);
    let records = non_blank_lines(&fixture_text("spark.log")).count();
    let (code, _, _) = run_in(
        &dir,
        &[
            "check",
            "--allow-empty",
            "--min-records",
            &(records + 1).to_string(),
            "spark.log",
        ],
    );
    assert_eq!(code, 1, "fewer records than --min-records");
}

/// Counts by key, as the reports' maps of counts read.
fn counts(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|&(k, n)| (k.to_string(), n)).collect()
}

/// Writes `text` to a file in a temp dir and summarizes it there, with `extra` flags first.
fn summarize_text(name: &str, text: &str, extra: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    let mut args = vec!["summarize", "--format", "json"];
    args.extend_from_slice(extra);
    args.push(name);
    json_in(dir.path(), &args)
}

#[test]
fn nginx_main_format_with_forwarded_for() {
    // nginx's default `main` format ends in "$http_x_forwarded_for".
    let text = r#"172.17.0.1 - - [25/Nov/2024:10:00:04 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.5.0" "203.0.113.9"
172.17.0.1 - - [25/Nov/2024:10:00:05 +0000] "GET /a HTTP/1.1" 502 0 "-" "curl/8.5.0" "203.0.113.9, 10.0.0.2"
172.17.0.1 - - [25/Nov/2024:10:00:06 +0000] "GET /a HTTP/1.1" 200 9 "-" "curl/8.5.0" "-" 0.250 0.249
172.17.0.1 - - [25/Nov/2024:10:00:07 +0000] "GET /a HTTP/1.1" 200 9 "-" "curl/8.5.0" "-" fast
"#;
    let r = summarize_text("access.log", text, &[]);
    assert_eq!(format_of(&r, "access.log"), "access");
    assert_eq!(r["inputs"]["records"], 3);
    assert_eq!(r["inputs"]["skipped_by_reason"]["no_match"], 1);
    assert_eq!(r["overall"]["count"], 3);
    assert_eq!(r["overall"]["failures"], 1);
    assert_eq!(r["overall"]["latency_ms"]["count"], 1);
    assert_eq!(f(&r["overall"]["latency_ms"]["max"]), 250.0);
}

#[test]
fn python_logs_with_other_datefmts() {
    let text = "2024-11-25 09:00:01 - root - INFO - started
2024-11-25T09:00:02.500Z - app.db - ERROR - Failed to load manifest
2024-11-25 09:00:03,250 - root - WARNING - slow
";
    let r = summarize_text("app.log", text, &["--input-format", "python"]);
    assert_eq!(r["inputs"]["records"], 3);
    assert_span(
        &r,
        ymd_hms(2024, 11, 25, 9, 0, 1),
        ymd_hms(2024, 11, 25, 9, 0, 3) + 250_000_000,
        "python datefmts",
    );
    let want = counts(&[("info", 1), ("error", 1), ("warn", 1)]);
    assert_eq!(levels(&r), want);
}

#[test]
fn text_logs_with_bare_clf_ctime_and_time_format() {
    let text = "Wed Oct 11 14:32:52 2000 FATAL ctime
10/Oct/2000:13:55:36 -0700 ERROR clf
";
    let r = summarize_text("t.log", text, &["--input-format", "text"]);
    assert_span(
        &r,
        ymd_hms(2000, 10, 10, 20, 55, 36),
        ymd_hms(2000, 10, 11, 14, 32, 52),
        "bare clf and ctime",
    );
    let text = "15.03.2024 08:30:04 INFO x\n15.03.2024 08:30:09 ERROR y\n";
    let r = summarize_text("t.log", text, &["--time-format", "%d.%m.%Y %H:%M:%S"]);
    assert_span(
        &r,
        ymd_hms(2024, 3, 15, 8, 30, 4),
        ymd_hms(2024, 3, 15, 8, 30, 9),
        "--time-format in a text log",
    );
}

#[test]
fn syslog_leap_day_and_empty_messages() {
    let text =
        "<13>Feb 29 10:00:00 web01 app: leap day\n<11>1 2024-11-25T10:00:00Z host app 1 - -\n";
    let r = summarize_text("s.log", text, &["--now", "2026-03-01T00:00:00Z"]);
    assert_eq!(r["inputs"]["records"], 2);
    assert_span(
        &r,
        ymd_hms(2024, 2, 29, 10, 0, 0),
        ymd_hms(2024, 11, 25, 10, 0, 0),
        "syslog leap day",
    );
    let text = "time=2024-11-25T10:00:00Z level=ERROR msg=\"\"\ntime=2024-11-25T10:00:01Z level=ERROR msg=x\n";
    let r = summarize_text("l.log", text, &[]);
    let want = counts(&[("(no message)", 1), ("x", 1)]);
    assert_eq!(error_events(&r), want);
}

#[test]
fn syslog_without_host_or_padded_day() {
    let text = "<13>Mar 5 22:14:15 app: started\n<11>Oct 11 22:14:15 cron[77]: job failed\n";
    let r = summarize_text("s.log", text, &["--now", "2026-11-26T00:00:00Z"]);
    assert_eq!(format_of(&r, "s.log"), "syslog");
    assert_eq!(r["inputs"]["records"], 2);
    assert_span(
        &r,
        ymd_hms(2026, 3, 5, 22, 14, 15),
        ymd_hms(2026, 10, 11, 22, 14, 15),
        "syslog without host",
    );
    let want = counts(&[("job failed", 1)]);
    assert_eq!(error_events(&r), want);
}
