//! `slow`'s accumulator: outcomes over a latency threshold in input order, or the N slowest
//! (overall or per group) in bounded heaps, each kept with its original line.

use crate::engine::{Accumulate, LineAt, RunStats};
use crate::fields::Extractor;
use crate::formats::LineFormat;
use crate::outcome::Outcome;
use crate::record::Record;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One slow outcome.
#[derive(Clone, Debug)]
pub struct SlowHit {
    pub at: LineAt,
    pub latency_ms: f64,
    pub time_ns: Option<i64>,
    pub group: String,
    pub failed: bool,
    pub error: Option<String>,
    /// The original line, byte for byte (without its line ending).
    pub line: Vec<u8>,
}

/// Slowest first; among equals, earliest in the input first.
fn slower_first(a: &SlowHit, b: &SlowHit) -> Ordering {
    b.latency_ms
        .total_cmp(&a.latency_ms)
        .then_with(|| a.at.cmp(&b.at))
}

/// Heap order: the "greatest" hit is the one to evict first (fastest, then latest).
struct ByEviction(SlowHit);

impl PartialEq for ByEviction {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for ByEviction {}
impl PartialOrd for ByEviction {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for ByEviction {
    fn cmp(&self, o: &Self) -> Ordering {
        slower_first(&self.0, &o.0)
    }
}

/// The N slowest hits seen, in memory bounded by N.
#[derive(Default)]
struct TopN {
    n: usize,
    heap: BinaryHeap<ByEviction>,
}

impl TopN {
    fn new(n: usize) -> Self {
        TopN {
            n,
            heap: BinaryHeap::new(),
        }
    }

    /// Would a hit with this latency and position make the cut?
    fn admits(&self, latency_ms: f64, at: LineAt) -> bool {
        if self.heap.len() < self.n {
            return true;
        }
        self.heap.peek().is_some_and(|worst| {
            latency_ms > worst.0.latency_ms || (latency_ms == worst.0.latency_ms && at < worst.0.at)
        })
    }

    fn push(&mut self, hit: SlowHit) {
        if self.n == 0 {
            return;
        }
        self.heap.push(ByEviction(hit));
        if self.heap.len() > self.n {
            self.heap.pop();
        }
    }

    fn into_sorted(self) -> Vec<SlowHit> {
        let mut v: Vec<SlowHit> = self.heap.into_iter().map(|b| b.0).collect();
        v.sort_by(slower_first);
        v
    }
}

/// What `slow` selects.
#[derive(Clone, Copy, Debug)]
pub struct SlowOptions {
    /// Only outcomes slower than this (ms).
    pub over_ms: Option<f64>,
    /// Keep only the N slowest.
    pub top: Option<usize>,
    /// With `top`: the N slowest of each group.
    pub per_group: bool,
}

pub struct SlowAcc {
    opts: SlowOptions,
    all: Vec<SlowHit>,
    top: TopN,
    per_group: FxHashMap<String, TopN>,
    key: Vec<u8>,
}

impl SlowAcc {
    pub fn new(opts: SlowOptions) -> Self {
        SlowAcc {
            opts,
            all: Vec::new(),
            top: TopN::new(opts.top.unwrap_or(0)),
            per_group: FxHashMap::default(),
            key: Vec::new(),
        }
    }

    fn hit(&self, rec: &Record, at: LineAt, latency_ms: f64, group: String) -> SlowHit {
        SlowHit {
            at,
            latency_ms,
            time_ns: rec.time_ns,
            group,
            failed: rec.outcome == Outcome::Failure,
            error: (rec.outcome == Outcome::Failure).then(|| rec.failure_message()),
            line: rec.line.to_vec(),
        }
    }

    /// With `--over` alone: takes the hits found so far, in input order, leaving none (the
    /// engine calls this between batches, when everything before them is complete).
    pub fn take_in_order(&mut self) -> Vec<SlowHit> {
        let mut v = std::mem::take(&mut self.all);
        v.sort_by_key(|h| h.at);
        v
    }

    /// The hits, in input order (`--over` alone) or slowest first (`--top`).
    pub fn into_hits(self) -> Vec<SlowHit> {
        match self.opts.top {
            None => {
                let mut v = self.all;
                v.sort_by_key(|h| h.at);
                v
            }
            Some(_) if self.opts.per_group => {
                let mut groups: Vec<(String, TopN)> = self.per_group.into_iter().collect();
                groups.sort_by(|a, b| a.0.cmp(&b.0));
                groups
                    .into_iter()
                    .flat_map(|(_, t)| t.into_sorted())
                    .collect()
            }
            Some(_) => self.top.into_sorted(),
        }
    }
}

impl Accumulate for SlowAcc {
    fn add(&mut self, ex: &Extractor, rec: &Record, at: LineAt) {
        if rec.outcome == Outcome::Event {
            return;
        }
        let Some(ms) = rec.latency_ms else {
            return;
        };
        if self.opts.over_ms.is_some_and(|over| ms <= over) {
            return;
        }
        match self.opts.top {
            None => {
                ex.group_key(rec, &mut self.key);
                let group = String::from_utf8_lossy(&self.key).into_owned();
                let hit = self.hit(rec, at, ms, group);
                self.all.push(hit);
            }
            Some(n) if self.opts.per_group => {
                ex.group_key(rec, &mut self.key);
                let group = String::from_utf8_lossy(&self.key).into_owned();
                let admits = self.per_group.get(&group).is_none_or(|t| t.admits(ms, at));
                if admits {
                    let hit = self.hit(rec, at, ms, group.clone());
                    self.per_group
                        .entry(group)
                        .or_insert_with(|| TopN::new(n))
                        .push(hit);
                }
            }
            Some(_) => {
                if self.top.admits(ms, at) {
                    ex.group_key(rec, &mut self.key);
                    let group = String::from_utf8_lossy(&self.key).into_owned();
                    let hit = self.hit(rec, at, ms, group);
                    self.top.push(hit);
                }
            }
        }
    }

    fn merge(&mut self, other: Self) {
        self.all.extend(other.all);
        for ByEviction(h) in other.top.heap {
            self.top.push(h);
        }
        for (g, t) in other.per_group {
            let n = t.n;
            let mine = self.per_group.entry(g).or_insert_with(|| TopN::new(n));
            for ByEviction(h) in t.heap {
                mine.push(h);
            }
        }
    }
}

/// A slow record as the table and JSON formats show it.
#[derive(Serialize, Debug, Clone)]
pub struct SlowRow {
    pub file: String,
    pub line: u64,
    pub time: Option<String>,
    pub group: String,
    pub latency_ms: f64,
    pub outcome: &'static str,
    pub error: Option<String>,
    /// The record itself: parsed from a JSON line, the line as a string from a text log.
    pub record: serde_json::Value,
}

pub fn rows(hits: &[SlowHit], stats: &RunStats) -> Vec<SlowRow> {
    hits.iter()
        .map(|h| {
            let input = stats.inputs.get(h.at.input as usize);
            let parsed = match input.map(|i| i.format) {
                Some(LineFormat::Json) => serde_json::from_slice(&h.line).ok(),
                _ => None,
            };
            SlowRow {
                file: input.map_or(String::new(), |i| i.name.clone()),
                line: stats.line_number(h.at),
                time: h.time_ns.map(crate::timefmt::format_rfc3339),
                group: h.group.clone(),
                latency_ms: h.latency_ms,
                outcome: if h.failed { "failure" } else { "success" },
                error: h.error.clone(),
                record: parsed.unwrap_or_else(|| {
                    serde_json::Value::String(String::from_utf8_lossy(&h.line).into_owned())
                }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(ms: f64, line: u64) -> SlowHit {
        SlowHit {
            at: LineAt {
                input: 0,
                chunk: 0,
                line,
            },
            latency_ms: ms,
            time_ns: None,
            group: String::new(),
            failed: false,
            error: None,
            line: Vec::new(),
        }
    }

    #[test]
    fn top_n_keeps_slowest_with_ties_in_input_order() {
        let mut t = TopN::new(3);
        for (ms, line) in [(5.0, 1), (9.0, 2), (5.0, 3), (9.0, 4), (1.0, 5), (5.0, 6)] {
            if t.admits(ms, hit(ms, line).at) {
                t.push(hit(ms, line));
            }
        }
        let got: Vec<(f64, u64)> = t
            .into_sorted()
            .iter()
            .map(|h| (h.latency_ms, h.at.line))
            .collect();
        assert_eq!(got, vec![(9.0, 2), (9.0, 4), (5.0, 1)]);
    }
}
