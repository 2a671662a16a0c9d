//! Criterion micro-benchmark of tlm's per-line hot path: `json_scan::scan_object_in` with a field
//! set like the real one, and the whole `Extractor::extract_in` step (scan, then time, latency
//! and outcome parsing), on typical Event Kit, Trails and Pocket Agent lines. The lines are read
//! where they stand in one buffer, each followed by the next, as the engine reads a chunk (a line
//! alone would be copied into a padded buffer first). Throughput is in bytes of input lines.
//!
//! Run with `cargo bench --bench hot_path` (add `-- scan_object` to pick a group).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tlm::fields::{
    Extractor, FieldOverrides, LineReader, ERROR_CANDIDATES, GROUP_CANDIDATES, LATENCY_CANDIDATES,
    LEVEL_CANDIDATES, MESSAGE_CANDIDATES, STATUS_CANDIDATES, SUCCESS_CANDIDATES, TIME_CANDIDATES,
};
use tlm::json_scan::{needs_careful_scan, scan_object_in, Captures, FieldSet};
use tlm::record::Role;

/// Event Kit telemetry, as `gen_telemetry` writes it (Python `json.dumps` separators).
const EVENT_KIT: &[&str] = &[
    r#"{"ts": 1732540000.015, "action": "recommend", "success": true, "latency_ms": 20.5, "payload": {"interests_count": 2, "top": 20, "source": "graph", "conflicts": 0}, "error": null}"#,
    r#"{"ts": 1732540000.019, "action": "track_event", "success": true, "latency_ms": 2.79, "payload": {"interests_count": 8, "top": 3, "source": "manifest", "conflicts": 0}, "error": null}"#,
    r#"{"ts": 1732540000.044, "action": "sync_calendar", "success": true, "latency_ms": 370.34, "payload": {"interests_count": 3, "top": 20, "source": "cache", "conflicts": 0}, "error": null}"#,
    r#"{"ts": 1732540001.207, "action": "get_manifest", "success": false, "latency_ms": 5012.7, "payload": {"interests_count": 0, "top": 5, "source": "cache", "conflicts": 3}, "error": "Graph API timeout after 5000ms"}"#,
];

/// Trails engine logs: RFC 3339 times, messages, no latency on most lines.
const TRAILS: &[&str] = &[
    r#"{"timestamp": "2025-01-15T10:30:00Z", "level": "info", "msg": "Engine started", "worker_count": 3, "max_sessions": 10}"#,
    r#"{"timestamp": "2025-01-15T10:30:02Z", "level": "info", "msg": "Processing command", "command_type": "CreateSession", "command_id": "01ARZ3NDEKTSV4RRFFQ69G5F01"}"#,
    r#"{"timestamp": "2025-01-15T10:30:02.125Z", "level": "info", "msg": "Command processed successfully", "command_id": "01ARZ3NDEKTSV4RRFFQ69G5F01", "command_type": "CreateSession", "session_id": "01ARZ3NDEKTSV4RRFFQ69G5FBW", "duration_ms": 125, "worker_id": 2}"#,
    r#"{"timestamp": "2025-01-15T10:31:40.5Z", "level": "error", "msg": "Command processing failed", "command_type": "SendMessage", "error": "session limit exceeded", "duration_ms": 12}"#,
];

/// Pocket Agent server logs: compact separators, RFC 3339 times with milliseconds.
const POCKET_AGENT: &[&str] = &[
    r#"{"timestamp":"2024-01-01T12:00:00.123Z","level":"info","msg":"Server starting","service":"pocket-agent-server","environment":"production","addr":":8443"}"#,
    r#"{"timestamp":"2024-01-01T12:00:04.323Z","level":"info","msg":"WebSocket connection established","service":"pocket-agent-server","environment":"production","correlation_id":"req-100","remote_addr":"10.1.2.3:51522"}"#,
    r#"{"timestamp":"2024-01-01T12:00:05.7Z","level":"info","msg":"Project created","service":"pocket-agent-server","environment":"production","correlation_id":"req-101","project_id":"proj-456","duration_ms":45}"#,
    r#"{"timestamp":"2024-01-01T12:00:09.001Z","level":"error","msg":"Claude request failed","service":"pocket-agent-server","environment":"production","correlation_id":"req-102","error":"upstream timeout","duration_ms":30001}"#,
];

const SHAPES: &[(&str, &[&str])] = &[
    ("event_kit", EVENT_KIT),
    ("trails", TRAILS),
    ("pocket_agent", POCKET_AGENT),
];

/// The field set `Extractor::new(&Default::default())` builds: every role's candidates, ranked.
fn default_field_set() -> FieldSet {
    let mut set = FieldSet::new();
    let mut add = |role: Role, names: &[&str]| {
        for (rank, name) in names.iter().enumerate() {
            set.want(name, role as u8, rank as u8);
        }
    };
    add(Role::Time, TIME_CANDIDATES);
    let latency: Vec<&str> = LATENCY_CANDIDATES.iter().map(|(n, _)| *n).collect();
    add(Role::Latency, &latency);
    add(Role::Success, SUCCESS_CANDIDATES);
    add(Role::Status, STATUS_CANDIDATES);
    add(Role::Error, ERROR_CANDIDATES);
    add(Role::Level, LEVEL_CANDIDATES);
    add(Role::Message, MESSAGE_CANDIDATES);
    add(Role::Group, GROUP_CANDIDATES);
    set
}

fn bytes_of(lines: &[&str]) -> u64 {
    lines.iter().map(|l| l.len() as u64).sum()
}

/// The lines as a chunk holds them (each ended by a newline, the whole twice over so that the
/// last line of the first copy has the next lines after it), and where each of the first copy
/// starts and how long it is.
fn in_chunk(lines: &[&str]) -> (Vec<u8>, Vec<(usize, usize)>) {
    let once: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let mut at = 0;
    let spans = lines
        .iter()
        .map(|l| {
            let span = (at, l.len());
            at += l.len() + 1;
            span
        })
        .collect();
    (once.repeat(2).into_bytes(), spans)
}

fn bench_scan_object(c: &mut Criterion) {
    let set = default_field_set();
    let mut caps = Captures::new(set.slots());
    let mut group = c.benchmark_group("scan_object");
    for (name, lines) in SHAPES {
        group.throughput(Throughput::Bytes(bytes_of(lines)));
        let (chunk, spans) = in_chunk(lines);
        group.bench_function(*name, |b| {
            b.iter(|| {
                for &(start, len) in &spans {
                    let text = black_box(&chunk[start..]);
                    caps.clear();
                    let careful = needs_careful_scan(&text[..len]);
                    let r = scan_object_in(text, len, &set, &mut caps, careful);
                    black_box(r.is_ok());
                }
            })
        });
    }
    group.finish();
}

fn bench_extract(c: &mut Criterion) {
    let ex = Extractor::new(&FieldOverrides::default());
    let mut caps = ex.new_captures();
    let mut group = c.benchmark_group("extract");
    for (name, lines) in SHAPES {
        group.throughput(Throughput::Bytes(bytes_of(lines)));
        let (chunk, spans) = in_chunk(lines);
        group.bench_function(*name, |b| {
            b.iter(|| {
                for &(start, len) in &spans {
                    let text = black_box(&chunk[start..]);
                    let careful = needs_careful_scan(&text[..len]);
                    match ex.extract_in(&LineReader::Json, text, len, &mut caps, careful) {
                        Ok(rec) => {
                            black_box((rec.time_ns, rec.latency_ms, rec.outcome));
                        }
                        Err(e) => {
                            black_box(e);
                        }
                    }
                }
            })
        });
    }
    group.finish();
}

fn bench_numbers(c: &mut Criterion) {
    let epochs: &[&[u8]] = &[b"1732540000.015", b"1732540000", b"1732540000123", b"1.7e9"];
    let latencies: &[&[u8]] = &[b"20.5", b"2.79", b"370.34", b"5012.7", b"125"];
    let mut group = c.benchmark_group("numbers");
    group.throughput(Throughput::Bytes(
        epochs.iter().map(|e| e.len() as u64).sum(),
    ));
    group.bench_function("parse_epoch", |b| {
        b.iter(|| {
            for e in epochs {
                black_box(tlm::timefmt::parse_epoch(black_box(e)));
            }
        })
    });
    group.throughput(Throughput::Bytes(
        latencies.iter().map(|e| e.len() as u64).sum(),
    ));
    group.bench_function("parse_f64", |b| {
        b.iter(|| {
            for l in latencies {
                black_box(tlm::number::parse_f64(black_box(l)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench_scan_object, bench_extract, bench_numbers);
criterion_main!(benches);
