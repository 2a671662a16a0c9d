//! `errors`' accumulator: failures and error-level events by message template (or raw
//! message), with counts, first and last seen, the groups they occur in, and an example.

use crate::cluster::write_template;
use crate::engine::{Accumulate, LineAt, RunStats};
use crate::fields::Extractor;
use crate::outcome::{level_is_error, Outcome};
use crate::record::{MessageSource, Record};
use crate::stats::Tally;
use crate::timefmt::format_rfc3339;
use rustc_hash::FxHashMap;
use serde::Serialize;

/// Distinct rows kept at most. When a new message finds the table full, the rarer half of the
/// rows is dropped ([`prune`]): memory stays bounded, the totals stay exact, and a
/// message that keeps coming back keeps its row, where refusing new rows lost any message first
/// met after the table filled (in some worker's chunk), however frequent.
const ROW_LIMIT: usize = 10_000;
/// Distinct groups tallied per row.
const GROUPS_PER_ROW: usize = 1_000;

/// What the failing records of one template (or message) have in common.
#[derive(Clone, Debug, Default)]
struct ErrorRow {
    failures: u64,
    error_events: u64,
    first_ns: Option<i64>,
    last_ns: Option<i64>,
    groups: Tally,
    /// The first raw message in input order.
    example: Option<(LineAt, String)>,
}

impl ErrorRow {
    fn merge(&mut self, o: ErrorRow) {
        self.failures += o.failures;
        self.error_events += o.error_events;
        for t in [o.first_ns, o.last_ns].into_iter().flatten() {
            self.note_time(t);
        }
        self.groups.merge(&o.groups);
        if let Some((at, ex)) = o.example {
            if self.example.as_ref().is_none_or(|(mine, _)| at < *mine) {
                self.example = Some((at, ex));
            }
        }
    }

    fn note_time(&mut self, t: i64) {
        crate::stats::widen(&mut self.first_ns, &mut self.last_ns, t);
    }
}

/// How `errors` groups messages.
#[derive(Clone, Copy, Debug)]
pub struct ErrorsOptions {
    /// Keep messages as they are instead of clustering them into templates.
    pub raw: bool,
    /// Break rows down by the group key.
    pub by_group: bool,
    /// Count failed outcomes.
    pub include_failures: bool,
    /// Count error-level events (not outcomes).
    pub include_events: bool,
}

/// A row's key: its group (empty unless rows are by group) and its template (or message).
type RowKey = (String, String);

pub struct ErrorsAcc {
    opts: ErrorsOptions,
    /// The rows in the order they were first met, and where each key is.
    rows: Vec<(RowKey, ErrorRow)>,
    index: FxHashMap<RowKey, usize>,
    /// Rows by [`MessageSource::write_key`] (after the row's group when rows are by group): a
    /// message seen before finds its row without being unescaped, clustered or copied.
    known: KnownKeys,
    /// Every failure and error event counted, whether or not its row is still kept.
    failures: u64,
    error_events: u64,
    /// What was dropped to stay within [`ROW_LIMIT`].
    pruned: Pruned,
    key: Vec<u8>,
    probe: Vec<u8>,
    /// The key of the row being looked for, reused from message to message.
    wanted: RowKey,
}

/// Rows of message keys seen lately, in a fixed table indexed by the key's hash: a message that
/// repeats (`timeout after 5000ms`) finds its row without being unescaped or clustered, and
/// one that never repeats (an id in every message) costs a slot overwritten, not an allocation.
struct KnownKeys {
    /// Empty until the first key, so that a worker that meets no errors pays nothing.
    slots: Vec<KnownSlot>,
}

#[derive(Clone)]
struct KnownSlot {
    /// The key's length (0: empty slot), its row, and its bytes.
    len: u8,
    row: u32,
    key: [u8; KNOWN_KEY_BYTES],
}

/// Slots in [`KnownKeys`] (a power of two), and the longest key kept (longer ones are looked
/// up by their text every time).
const KNOWN_SLOTS: usize = 1024;
const KNOWN_KEY_BYTES: usize = 91;

impl KnownKeys {
    fn new() -> Self {
        KnownKeys { slots: Vec::new() }
    }

    fn slot(key: &[u8]) -> usize {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        h.write(key);
        // FxHash's high bits are its best mixed.
        (h.finish() >> 54) as usize % KNOWN_SLOTS
    }

    fn get(&self, key: &[u8]) -> Option<usize> {
        if key.is_empty() || key.len() > KNOWN_KEY_BYTES {
            return None;
        }
        let s = self.slots.get(Self::slot(key))?;
        (s.len as usize == key.len() && s.key[..key.len()] == *key).then_some(s.row as usize)
    }

    fn insert(&mut self, key: &[u8], row: usize) {
        if key.is_empty() || key.len() > KNOWN_KEY_BYTES {
            return;
        }
        if self.slots.is_empty() {
            let empty = KnownSlot {
                len: 0,
                row: 0,
                key: [0; KNOWN_KEY_BYTES],
            };
            self.slots = vec![empty; KNOWN_SLOTS];
        }
        let s = &mut self.slots[Self::slot(key)];
        s.len = key.len() as u8;
        s.row = row as u32;
        s.key[..key.len()].copy_from_slice(key);
    }
}

impl ErrorsAcc {
    pub fn new(opts: ErrorsOptions) -> Self {
        ErrorsAcc {
            opts,
            rows: Vec::new(),
            index: FxHashMap::default(),
            known: KnownKeys::new(),
            failures: 0,
            error_events: 0,
            pruned: Pruned::default(),
            key: Vec::new(),
            probe: Vec::new(),
            wanted: RowKey::default(),
        }
    }
}

/// The source of an erroneous record's message, and whether the record is a failed outcome (as
/// opposed to an error-level event); `None` for records that are not errors.
fn error_source<'a>(rec: &Record<'a>) -> Option<(MessageSource<'a>, bool)> {
    match rec.outcome {
        Outcome::Failure => Some((rec.failure_source(), true)),
        Outcome::Event if rec.level().is_some_and(|l| level_is_error(&l)) => Some((
            rec.message()
                .map_or(MessageSource::Missing, MessageSource::Message),
            false,
        )),
        _ => None,
    }
}

impl Accumulate for ErrorsAcc {
    fn add(&mut self, ex: &Extractor, rec: &Record, at: LineAt) {
        let Some((source, is_failure)) = error_source(rec) else {
            return;
        };
        let wanted = if is_failure {
            self.opts.include_failures
        } else {
            self.opts.include_events
        };
        if !wanted {
            return;
        }
        let group_bytes = ex.group_key_bytes(rec, &mut self.key);
        let group = crate::json_scan::utf8_text(group_bytes);
        self.probe.clear();
        if self.opts.by_group {
            self.probe.extend_from_slice(group_bytes);
            self.probe.push(0xff);
        }
        source.write_key(&mut self.probe);
        let mut message = None;
        let at_row = match self.known.get(&self.probe) {
            Some(at_row) => at_row,
            None => {
                let text = source.text();
                let (wanted_group, wanted_tpl) = &mut self.wanted;
                wanted_group.clear();
                wanted_tpl.clear();
                if self.opts.by_group {
                    wanted_group.push_str(&group);
                }
                // `status 503` and `status 504` are different failures, not one with an id.
                let as_is = self.opts.raw || matches!(source, MessageSource::Status(_));
                if as_is || !write_template(&text, wanted_tpl) {
                    wanted_tpl.push_str(&text);
                }
                if self.rows.len() >= ROW_LIMIT && !self.index.contains_key(&self.wanted) {
                    let pruned = prune(&mut self.rows, &mut self.index, &mut self.known);
                    self.pruned.add(pruned);
                }
                let at_row = match self.index.get(&self.wanted) {
                    Some(&at_row) => at_row,
                    None => {
                        self.index.insert(self.wanted.clone(), self.rows.len());
                        self.rows.push((self.wanted.clone(), ErrorRow::default()));
                        self.rows.len() - 1
                    }
                };
                self.known.insert(&self.probe, at_row);
                message = Some(text);
                at_row
            }
        };
        let row = &mut self.rows[at_row].1;
        if is_failure {
            row.failures += 1;
            self.failures += 1;
        } else {
            row.error_events += 1;
            self.error_events += 1;
        }
        if let Some(t) = rec.time_ns {
            row.note_time(t);
        }
        if row.groups.distinct() < GROUPS_PER_ROW || row.groups.contains(&group) {
            row.groups.add(&group, 1);
        } else {
            row.groups.overflow += 1;
        }
        if row.example.as_ref().is_none_or(|(mine, _)| at < *mine) {
            let message = message.unwrap_or_else(|| source.text());
            row.example = Some((at, message.into_owned()));
        }
    }

    fn merge(&mut self, other: Self) {
        self.failures += other.failures;
        self.error_events += other.error_events;
        self.pruned.add(other.pruned);
        // Rows are only appended here, so `known` still points at the right ones.
        for (k, r) in other.rows {
            match self.index.get(&k) {
                Some(&at_row) => self.rows[at_row].1.merge(r),
                None => {
                    self.index.insert(k.clone(), self.rows.len());
                    self.rows.push((k, r));
                }
            }
        }
        if self.rows.len() > ROW_LIMIT {
            let pruned = prune(&mut self.rows, &mut self.index, &mut self.known);
            self.pruned.add(pruned);
        }
    }
}

/// What [`prune`] dropped: rows, the errors they held, and the sum of the counts at or below
/// which rows went. A message met again starts a new row, so a count shown is short by at most
/// that sum (also after a merge: a row kept on both sides lost at most each side's sum).
#[derive(Clone, Copy, Debug, Default)]
struct Pruned {
    rows: u64,
    errors: u64,
    undercount_at_most: u64,
}

impl Pruned {
    fn add(&mut self, o: Pruned) {
        self.rows += o.rows;
        self.errors += o.errors;
        self.undercount_at_most += o.undercount_at_most;
    }
}

/// Drops the rows whose count is at most the median count (at least half of them), and forgets
/// where the kept rows were.
#[cold]
fn prune(
    rows: &mut Vec<(RowKey, ErrorRow)>,
    index: &mut FxHashMap<RowKey, usize>,
    known: &mut KnownKeys,
) -> Pruned {
    let count = |r: &ErrorRow| r.failures + r.error_events;
    let mut counts: Vec<u64> = rows.iter().map(|(_, r)| count(r)).collect();
    let middle = counts.len() / 2;
    let threshold = *counts.select_nth_unstable(middle).1;
    let before = rows.len();
    let mut dropped = 0;
    rows.retain(|(_, r)| {
        let keep = count(r) > threshold;
        if !keep {
            dropped += count(r);
        }
        keep
    });
    index.clear();
    for (at_row, (k, _)) in rows.iter().enumerate() {
        index.insert(k.clone(), at_row);
    }
    *known = KnownKeys::new();
    Pruned {
        rows: (before - rows.len()) as u64,
        errors: dropped,
        undercount_at_most: threshold,
    }
}

#[derive(Serialize, Debug, Clone)]
pub struct ErrorRowJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub template: String,
    pub count: u64,
    pub failures: u64,
    pub error_events: u64,
    pub share: f64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub groups: serde_json::Map<String, serde_json::Value>,
    pub example: String,
    pub example_at: String,
}

#[derive(Serialize, Debug, Clone)]
pub struct ErrorsReport {
    pub schema_version: u32,
    pub clustered: bool,
    pub group_by: Option<String>,
    pub inputs: crate::summary::InputsJson,
    /// All failures and error-level events in the input (after filters).
    pub total: u64,
    pub failures: u64,
    pub error_events: u64,
    /// Rows found in all (before `--top`); at least this many when rows were pruned.
    pub distinct: usize,
    /// Errors beyond the rows shown.
    pub not_listed: u64,
    /// Rows of rare messages dropped to keep memory bounded (more distinct messages than
    /// [`ROW_LIMIT`]), and the errors they held: each count shown is then a lower bound, short
    /// by at most `undercount_at_most`.
    pub pruned_rows: u64,
    pub pruned_errors: u64,
    pub undercount_at_most: u64,
    pub errors: Vec<ErrorRowJson>,
}

/// Groups listed per row.
const GROUPS_SHOWN: usize = 5;

pub fn build_report(acc: ErrorsAcc, stats: &RunStats, ex: &Extractor, top: usize) -> ErrorsReport {
    let (failures, error_events) = (acc.failures, acc.error_events);
    let total = failures + error_events;
    let distinct = acc.rows.len();
    let mut rows = acc.rows;
    rows.sort_by(|a, b| {
        let (ca, cb) = (
            a.1.failures + a.1.error_events,
            b.1.failures + b.1.error_events,
        );
        cb.cmp(&ca)
            .then_with(|| a.0 .1.cmp(&b.0 .1))
            .then_with(|| a.0 .0.cmp(&b.0 .0))
    });
    rows.truncate(top);
    let shown: u64 = rows.iter().map(|(_, r)| r.failures + r.error_events).sum();
    let errors = rows
        .into_iter()
        .map(|((group, tpl), r)| {
            let count = r.failures + r.error_events;
            let (at, example) = r.example.unwrap_or((
                LineAt {
                    input: 0,
                    chunk: 0,
                    line: 0,
                },
                String::new(),
            ));
            ErrorRowJson {
                group: acc.opts.by_group.then_some(group),
                template: tpl,
                count,
                failures: r.failures,
                error_events: r.error_events,
                share: if total > 0 {
                    count as f64 / total as f64
                } else {
                    0.0
                },
                first_seen: r.first_ns.map(format_rfc3339),
                last_seen: r.last_ns.map(format_rfc3339),
                groups: r
                    .groups
                    .top(GROUPS_SHOWN)
                    .into_iter()
                    .map(|(g, n)| (g, serde_json::Value::from(n)))
                    .collect(),
                example,
                example_at: format!(
                    "{}:{}",
                    stats
                        .inputs
                        .get(at.input as usize)
                        .map_or("", |i| i.name.as_str()),
                    stats.line_number(at)
                ),
            }
        })
        .collect();
    ErrorsReport {
        schema_version: 1,
        clustered: !acc.opts.raw,
        group_by: ex.explicit_group().or_else(|| {
            stats
                .dominant_rank(crate::record::Role::Group)
                .and_then(|r| ex.field_name(crate::record::Role::Group, r))
                .map(str::to_string)
        }),
        inputs: crate::summary::inputs_json(stats),
        total,
        failures,
        error_events,
        distinct,
        not_listed: total - shown,
        pruned_rows: acc.pruned.rows,
        pruned_errors: acc.pruned.errors,
        undercount_at_most: acc.pruned.undercount_at_most,
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_keys_find_what_was_put_and_forget_nothing_wrongly() {
        let mut known = KnownKeys::new();
        assert_eq!(known.get(b"e timeout"), None);
        known.insert(b"e timeout", 3);
        assert_eq!(known.get(b"e timeout"), Some(3));
        assert_eq!(known.get(b"e timeou"), None);
        // Many keys: each finds its own row or none (a slot taken over), never another's.
        for i in 0..10_000usize {
            known.insert(format!("e not found: evt-{i}").as_bytes(), i);
        }
        let mut found = 0;
        for i in 0..10_000usize {
            if let Some(row) = known.get(format!("e not found: evt-{i}").as_bytes()) {
                assert_eq!(row, i);
                found += 1;
            }
        }
        assert!(found > 500, "{found} of 10000 still known");
        // Keys too long for a slot, and empty ones, are not kept.
        let long = vec![b'x'; KNOWN_KEY_BYTES + 1];
        known.insert(&long, 1);
        assert_eq!(known.get(&long), None);
        known.insert(b"", 1);
        assert_eq!(known.get(b""), None);
    }
}
