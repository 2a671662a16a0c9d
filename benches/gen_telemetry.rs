//! Deterministic generator of Event Kit-style JSONL telemetry for benchmarks.
//!
//! ```sh
//! cargo run --release --example gen_telemetry -- --size 1GiB --seed 42 > telemetry.jsonl
//! cargo run --release --example gen_telemetry -- --lines 1000000 --seed 7 > telemetry.jsonl
//! ```
//!
//! By default every line has the same keys in the same order, as one writer would produce them
//! (`--payloads varied` gives each action a payload of its own shape instead; `--numbers
//! unrounded` prints times and latencies with every digit of their float):
//!
//! ```json
//! {"ts": 1732540000.123, "action": "recommend", "success": true, "latency_ms": 12.5, "payload": {"interests_count": 3, "top": 5, "source": "manifest", "conflicts": 2}, "error": null}
//! ```
//!
//! - `ts`: unix seconds with millisecond precision, strictly increasing from a fixed start
//!   (1732540000.000) in random steps of 1..=19 ms.
//! - `action`: 8 actions with different frequencies and lognormal latency distributions, plus a
//!   rare slow tail (0.5% of calls are 5x..60x slower), capped at 30 s.
//! - `success`: about 2.5% of records are failures (`false`) with an `error` string drawn from a
//!   small set of templates carrying ids (`"manifest not found: evt-1234"`); timeouts take
//!   about 5000 ms.
//! - Numbers are printed the way Python's `json.dumps(round(x, n))` prints them: trailing zeros
//!   dropped, at least one decimal (`12.5`, `3.0`, `1732540000.12`).
//!
//! The output is a pure function of `--seed` and `--lines`/`--size` (std only, own PRNG), so the
//! same command produces byte-identical files on every machine. `--size` stops after the first
//! complete line that reaches the requested number of bytes.

use std::io::{self, Write};
use std::process::ExitCode;

const START_MS: u64 = 1_732_540_000_000;
const FLUSH_AT: usize = 1 << 20;

/// splitmix64: tiny, fast, good enough statistically for synthetic data.
struct Rng {
    state: u64,
    spare_normal: Option<f64>,
}

impl Rng {
    fn new(seed: u64) -> Self {
        Rng {
            state: seed,
            spare_normal: None,
        }
    }

    #[inline]
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    #[inline]
    fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform integer in [0, n).
    #[inline]
    fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Standard normal (Box-Muller, both values used).
    fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare_normal.take() {
            return z;
        }
        let u1 = 1.0 - self.f64(); // (0, 1]
        let u2 = self.f64();
        let r = (-2.0 * u1.ln()).sqrt();
        let theta = std::f64::consts::TAU * u2;
        self.spare_normal = Some(r * theta.sin());
        r * theta.cos()
    }

    fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * (sigma * self.normal()).exp()
    }
}

#[derive(Clone, Copy)]
enum ErrorKind {
    ManifestNotFound,
    GraphTimeout,
    RateLimited,
    InvalidToken,
    CalendarConflict,
    IndexUnavailable,
    PayloadTooLarge,
}

struct Action {
    name: &'static str,
    /// Relative frequency (weights sum to 1000).
    weight: u32,
    median_ms: f64,
    sigma: f64,
    /// Failure probability.
    fail: f64,
    errors: &'static [ErrorKind],
}

use ErrorKind::*;

const ACTIONS: &[Action] = &[
    Action {
        name: "recommend",
        weight: 300,
        median_ms: 12.0,
        sigma: 0.6,
        fail: 0.020,
        errors: &[ManifestNotFound, GraphTimeout, RateLimited],
    },
    Action {
        name: "track_event",
        weight: 220,
        median_ms: 2.5,
        sigma: 0.5,
        fail: 0.010,
        errors: &[PayloadTooLarge, RateLimited],
    },
    Action {
        name: "search",
        weight: 150,
        median_ms: 35.0,
        sigma: 0.7,
        fail: 0.025,
        errors: &[IndexUnavailable, RateLimited],
    },
    Action {
        name: "get_manifest",
        weight: 110,
        median_ms: 8.0,
        sigma: 0.5,
        fail: 0.030,
        errors: &[ManifestNotFound],
    },
    Action {
        name: "sync_calendar",
        weight: 80,
        median_ms: 180.0,
        sigma: 0.8,
        fail: 0.045,
        errors: &[CalendarConflict, GraphTimeout, InvalidToken],
    },
    Action {
        name: "graph_query",
        weight: 70,
        median_ms: 120.0,
        sigma: 0.9,
        fail: 0.050,
        errors: &[GraphTimeout, RateLimited, InvalidToken],
    },
    Action {
        name: "export_report",
        weight: 40,
        median_ms: 650.0,
        sigma: 0.7,
        fail: 0.035,
        errors: &[PayloadTooLarge, GraphTimeout],
    },
    Action {
        name: "login",
        weight: 30,
        median_ms: 45.0,
        sigma: 0.4,
        fail: 0.040,
        errors: &[InvalidToken, RateLimited],
    },
];

const SOURCES: &[&str] = &["manifest", "graph", "cache", "user"];
const TOPS: &[u64] = &[3, 5, 10, 20];

#[inline]
fn push_u64(buf: &mut Vec<u8>, mut v: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    buf.extend_from_slice(&tmp[i..]);
}

/// Writes `units / 10^decimals` the way Python prints a float rounded to `decimals` places:
/// trailing zeros of the fraction dropped, but at least one digit after the point.
#[inline]
fn push_fixed(buf: &mut Vec<u8>, units: u64, decimals: u32) {
    let scale = 10u64.pow(decimals);
    push_u64(buf, units / scale);
    buf.push(b'.');
    let mut frac = units % scale;
    let mut digits = decimals;
    while digits > 1 && frac % 10 == 0 {
        frac /= 10;
        digits -= 1;
    }
    let start = buf.len();
    push_u64(buf, frac);
    let written = (buf.len() - start) as u32;
    if written < digits {
        // left-pad with zeros: frac 5 with 2 digits is ".05"
        let pad = (digits - written) as usize;
        buf.splice(start..start, std::iter::repeat_n(b'0', pad));
    }
}

fn push_error(buf: &mut Vec<u8>, rng: &mut Rng, kind: ErrorKind) {
    match kind {
        ManifestNotFound => {
            buf.extend_from_slice(b"manifest not found: evt-");
            push_u64(buf, 1000 + rng.below(9000));
        }
        GraphTimeout => buf.extend_from_slice(b"Graph API timeout after 5000ms"),
        RateLimited => {
            buf.extend_from_slice(b"rate limited by upstream: retry after ");
            push_u64(buf, 1 + rng.below(60));
            buf.push(b's');
        }
        InvalidToken => {
            buf.extend_from_slice(b"invalid token for user u-");
            push_u64(buf, 10000 + rng.below(90000));
        }
        CalendarConflict => {
            buf.extend_from_slice(b"calendar conflict: evt-");
            push_u64(buf, 1000 + rng.below(9000));
            buf.extend_from_slice(b" overlaps evt-");
            push_u64(buf, 1000 + rng.below(9000));
        }
        IndexUnavailable => {
            buf.extend_from_slice(b"search index unavailable: shard-");
            push_u64(buf, rng.below(32));
        }
        PayloadTooLarge => {
            buf.extend_from_slice(b"payload too large: ");
            push_u64(buf, 1_048_577 + rng.below(8_000_000));
            buf.extend_from_slice(b" bytes");
        }
    }
}

/// The layout lines are written in: the same records as JSON Lines, a Go slog text (logfmt)
/// log, an nginx access log with request times, or a Python logging application log.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    Json,
    Logfmt,
    Access,
    Python,
}

struct Generator {
    rng: Rng,
    ts_ms: u64,
    cumulative: [u32; 8],
    layout: Layout,
    /// `--payloads varied`: each action writes a payload of its own shape.
    varied: bool,
    /// `--numbers unrounded`: times and latencies with every digit of their `f64`.
    unrounded: bool,
}

impl Generator {
    fn new(seed: u64) -> Self {
        let mut cumulative = [0u32; 8];
        let mut acc = 0;
        for (i, a) in ACTIONS.iter().enumerate() {
            acc += a.weight;
            cumulative[i] = acc;
        }
        Generator {
            rng: Rng::new(seed),
            ts_ms: START_MS,
            cumulative,
            layout: Layout::Json,
            varied: false,
            unrounded: false,
        }
    }

    /// Writes the record in a text layout (the random draws are the same as for JSON).
    fn text_line(
        &self,
        buf: &mut Vec<u8>,
        action: &str,
        failed: bool,
        latency_units: u64,
        error: &[u8],
    ) {
        let ms = self.ts_ms;
        let t = chrono::DateTime::from_timestamp_millis(ms as i64).unwrap_or_default();
        let mut lat = Vec::new();
        push_fixed(&mut lat, latency_units, 2);
        let lat = String::from_utf8_lossy(&lat);
        let line = match self.layout {
            Layout::Json => return,
            Layout::Logfmt => {
                let ts = t.format("%Y-%m-%dT%H:%M:%S%.3fZ");
                if failed {
                    format!(
                        "time={ts} level=ERROR msg=\"Request failed\" tool={action} duration_ms={lat} status=error error=\"{}\"\n",
                        String::from_utf8_lossy(error)
                    )
                } else {
                    format!("time={ts} level=INFO msg=\"Request completed\" tool={action} duration_ms={lat} status=success\n")
                }
            }
            Layout::Access => {
                let ts = t.format("%d/%b/%Y:%H:%M:%S +0000");
                let status = if failed { 503 } else { 200 };
                let secs = latency_units as f64 / 100_000.0;
                format!(
                    "10.0.{}.{} - - [{ts}] \"GET /api/v1/{action}?page={} HTTP/1.1\" {status} {} \"-\" \"event-agent/1.4\" {secs:.3} {secs:.3}\n",
                    ms % 7,
                    ms % 251,
                    ms % 5,
                    200 + ms % 5000
                )
            }
            Layout::Python => {
                let ts = t.format("%Y-%m-%d %H:%M:%S,%3f");
                if failed {
                    format!(
                        "{ts} - event_agent - ERROR - {action} failed: {}\n",
                        String::from_utf8_lossy(error)
                    )
                } else {
                    format!("{ts} - event_agent - INFO - {action} done in {lat}ms\n")
                }
            }
        };
        buf.extend_from_slice(line.as_bytes());
    }

    /// Appends one line (with its trailing newline) to `buf`.
    fn line(&mut self, buf: &mut Vec<u8>) {
        let rng = &mut self.rng;
        self.ts_ms += 1 + rng.below(19);

        let pick = rng.below(1000) as u32;
        let idx = self
            .cumulative
            .iter()
            .position(|&c| pick < c)
            .unwrap_or(ACTIONS.len() - 1);
        let action = &ACTIONS[idx];

        let failed = rng.f64() < action.fail;
        let error = if failed {
            Some(action.errors[rng.below(action.errors.len() as u64) as usize])
        } else {
            None
        };

        let mut latency = rng.lognormal(action.median_ms, action.sigma);
        if rng.below(1000) < 5 {
            latency *= 5.0 + 55.0 * rng.f64(); // rare slow tail: seconds
        }
        if let Some(GraphTimeout) = error {
            latency = 5000.0 + rng.lognormal(3.0, 0.8);
        }
        let latency_units = ((latency.min(30_000.0) * 100.0).round() as u64).max(1);
        if self.layout != Layout::Json {
            let mut err = Vec::new();
            if let Some(kind) = error {
                push_error(&mut err, &mut self.rng, kind);
            }
            self.text_line(buf, action.name, failed, latency_units, &err);
            return;
        }
        let rng = &mut self.rng;

        buf.extend_from_slice(b"{\"ts\": ");
        // As `time.time()` and `(end - start) * 1000` print in Python: the shortest text that
        // reads back as the same float, up to 17 significant digits.
        let unrounded_latency = latency.clamp(0.01, 30_000.0);
        if self.unrounded {
            let ts = self.ts_ms as f64 / 1000.0 + rng.f64() / 1000.0;
            buf.extend_from_slice(format!("{ts:?}").as_bytes());
        } else {
            push_fixed(buf, self.ts_ms, 3);
        }
        buf.extend_from_slice(b", \"action\": \"");
        buf.extend_from_slice(action.name.as_bytes());
        buf.extend_from_slice(if failed {
            b"\", \"success\": false, \"latency_ms\": "
        } else {
            b"\", \"success\": true, \"latency_ms\": "
        });
        if self.unrounded {
            buf.extend_from_slice(format!("{unrounded_latency:?}").as_bytes());
        } else {
            push_fixed(buf, latency_units, 2);
        }

        if self.varied {
            push_varied_payload(buf, rng, action.name);
        } else {
            push_uniform_payload(buf, rng);
        }
        buf.extend_from_slice(b"}, \"error\": ");
        match error {
            None => buf.extend_from_slice(b"null"),
            Some(kind) => {
                buf.push(b'"');
                push_error(buf, rng, kind);
                buf.push(b'"');
            }
        }
        buf.extend_from_slice(b"}\n");
    }
}

/// The Event Kit payload every action writes by default.
fn push_uniform_payload(buf: &mut Vec<u8>, rng: &mut Rng) {
    buf.extend_from_slice(b", \"payload\": {");
    push_uniform_members(buf, rng);
}

fn push_uniform_members(buf: &mut Vec<u8>, rng: &mut Rng) {
    buf.extend_from_slice(b"\"interests_count\": ");
    push_u64(buf, rng.below(13));
    buf.extend_from_slice(b", \"top\": ");
    push_u64(buf, TOPS[rng.below(TOPS.len() as u64) as usize]);
    buf.extend_from_slice(b", \"source\": \"");
    buf.extend_from_slice(SOURCES[rng.below(SOURCES.len() as u64) as usize].as_bytes());
    buf.extend_from_slice(b"\", \"conflicts\": ");
    // mostly 0, sometimes a few
    let c = rng.below(16);
    push_u64(buf, if c < 10 { 0 } else { c - 9 });
}

/// A payload whose shape depends on the action, as "action-specific data" in the Event Kit guide
/// allows: arrays of 0 to 4 items, keys present on some records only, nested objects.
fn push_varied_payload(buf: &mut Vec<u8>, rng: &mut Rng, action: &str) {
    const TAGS: [&str; 4] = ["\"ui\"", "\"beta\"", "\"mobile\"", "\"eu\""];
    buf.extend_from_slice(b", \"payload\": {");
    match action {
        "track_event" => {
            buf.extend_from_slice(b"\"event\": \"");
            buf.extend_from_slice(["click", "view", "scroll"][rng.below(3) as usize].as_bytes());
            buf.extend_from_slice(b"\", \"tags\": [");
            let n = rng.below(5) as usize;
            for (k, tag) in TAGS.iter().take(n).enumerate() {
                if k > 0 {
                    buf.extend_from_slice(b", ");
                }
                buf.extend_from_slice(tag.as_bytes());
            }
            buf.extend_from_slice(b"], \"user\": {\"id\": ");
            push_u64(buf, rng.below(100_000));
            buf.extend_from_slice(b", \"tier\": \"");
            buf.extend_from_slice(["free", "pro"][rng.below(2) as usize].as_bytes());
            buf.extend_from_slice(b"\"}");
        }
        "get_manifest" | "export_report" => {
            buf.extend_from_slice(b"\"version\": \"1.2.");
            push_u64(buf, rng.below(10));
            buf.extend_from_slice(b"\", \"cached\": ");
            buf.extend_from_slice(if rng.below(2) == 0 { b"true" } else { b"false" });
            buf.extend_from_slice(b", \"size_kb\": ");
            push_u64(buf, 1 + rng.below(999));
            if rng.below(5) == 0 {
                buf.extend_from_slice(b", \"etag\": \"e");
                push_u64(buf, rng.below(1 << 32));
                buf.push(b'"');
            }
        }
        "search" | "graph_query" => {
            buf.extend_from_slice(b"\"q\": \"term");
            push_u64(buf, rng.below(1000));
            buf.extend_from_slice(b"\", \"hits\": ");
            push_u64(buf, rng.below(500));
            buf.extend_from_slice(b", \"filters\": {");
            let mut first = true;
            for key in ["lang", "year", "kind"] {
                if rng.below(2) == 0 {
                    buf.extend_from_slice(if first { b"\"" } else { b", \"" });
                    buf.extend_from_slice(key.as_bytes());
                    buf.extend_from_slice(b"\": ");
                    push_u64(buf, rng.below(4));
                    first = false;
                }
            }
            buf.push(b'}');
        }
        "login" => {
            buf.extend_from_slice(b"\"method\": \"");
            buf.extend_from_slice(["password", "sso", "token"][rng.below(3) as usize].as_bytes());
            buf.extend_from_slice(b"\", \"mfa\": ");
            buf.extend_from_slice(if rng.below(3) == 0 { b"true" } else { b"false" });
        }
        _ => push_uniform_members(buf, rng),
    }
}

enum Limit {
    Lines(u64),
    Bytes(u64),
}

fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let num: f64 = num.parse().map_err(|_| format!("invalid size {s:?}"))?;
    let mult: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "k" | "kib" => 1024.0,
        "m" | "mib" => 1024.0 * 1024.0,
        "g" | "gib" => 1024.0 * 1024.0 * 1024.0,
        other => {
            return Err(format!(
                "unknown size unit {other:?} in {s:?} (use B, KB, MB, GB, KiB, MiB, GiB)"
            ))
        }
    };
    Ok((num * mult) as u64)
}

const USAGE: &str = "\
gen_telemetry: deterministic Event Kit-style JSONL telemetry on stdout

usage: gen_telemetry [--size SIZE | --lines N] [--seed S] [--format json|logfmt|access|python] [--out FILE]

  --size SIZE   stop after the line that reaches SIZE bytes (1GiB, 500MB, 50MiB, 1048576)
  --lines N     write exactly N lines (default 100000 when neither is given)
  --seed S      PRNG seed (default 42)
  --format F    json (default), logfmt (Go slog text), access (nginx with request times),
                python (Python logging app log): the same records in another layout
  --out FILE    write to FILE instead of stdout
  --payloads P  uniform (default: every action writes the same payload keys) or varied (a
                payload shape per action, with arrays of 0-4 items, optional keys and nested
                objects), JSON only
  --numbers N   rounded (default: ts to the millisecond, latency_ms to 2 decimals) or unrounded
                (every digit of the float, as a program that measures and does not round
                writes them: 1732540000.0189574, 29.554835384973916), JSON only
";

fn run() -> Result<(), String> {
    let mut limit = Limit::Lines(100_000);
    let mut seed: u64 = 42;
    let mut out: Option<String> = None;
    let mut layout = Layout::Json;
    let mut varied = false;
    let mut unrounded = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--size" => limit = Limit::Bytes(parse_size(&value("--size")?)?),
            "--lines" => {
                let v = value("--lines")?;
                limit = Limit::Lines(v.parse().map_err(|_| format!("invalid --lines {v:?}"))?);
            }
            "--seed" => {
                let v = value("--seed")?;
                seed = v.parse().map_err(|_| format!("invalid --seed {v:?}"))?;
            }
            "--out" | "-o" => out = Some(value("--out")?),
            "--format" => {
                layout = match value("--format")?.as_str() {
                    "json" => Layout::Json,
                    "logfmt" => Layout::Logfmt,
                    "access" => Layout::Access,
                    "python" => Layout::Python,
                    other => return Err(format!("unknown --format {other:?}")),
                }
            }
            "--payloads" => {
                varied = match value("--payloads")?.as_str() {
                    "uniform" => false,
                    "varied" => true,
                    other => return Err(format!("unknown --payloads {other:?}")),
                }
            }
            "--numbers" => {
                unrounded = match value("--numbers")?.as_str() {
                    "rounded" => false,
                    "unrounded" => true,
                    other => return Err(format!("unknown --numbers {other:?}")),
                }
            }
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?}\n\n{USAGE}")),
        }
    }

    let mut sink: Box<dyn Write> = match &out {
        Some(path) => {
            Box::new(std::fs::File::create(path).map_err(|e| format!("cannot create {path}: {e}"))?)
        }
        None => Box::new(io::stdout().lock()),
    };

    let mut generator = Generator::new(seed);
    generator.layout = layout;
    generator.varied = varied;
    generator.unrounded = unrounded;
    let mut buf: Vec<u8> = Vec::with_capacity(FLUSH_AT + 4096);
    let mut lines: u64 = 0;
    let mut bytes: u64 = 0;
    let write_err = |e: io::Error| -> String {
        if e.kind() == io::ErrorKind::BrokenPipe {
            // `gen_telemetry | head` closes the pipe early: stop quietly.
            std::process::exit(0);
        }
        e.to_string()
    };
    loop {
        let done = match limit {
            Limit::Lines(n) => lines >= n,
            Limit::Bytes(n) => bytes + buf.len() as u64 >= n,
        };
        if done {
            break;
        }
        generator.line(&mut buf);
        lines += 1;
        if buf.len() >= FLUSH_AT {
            sink.write_all(&buf).map_err(write_err)?;
            bytes += buf.len() as u64;
            buf.clear();
        }
    }
    sink.write_all(&buf).map_err(write_err)?;
    sink.flush().map_err(write_err)?;
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_telemetry: {e}");
            ExitCode::from(2)
        }
    }
}
