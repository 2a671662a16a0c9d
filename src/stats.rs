//! Mergeable accumulators: latency distributions, per-group outcome counts, error tallies.
//!
//! Every accumulator here merges exactly and order-independently, so a file split into chunks,
//! many files, and many threads all give the same figures as one sequential pass.

use crate::hdr_counts::HdrCounts;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Values at most this many are kept exactly; beyond it the distribution moves to a histogram.
/// Keeps many small groups cheap (a histogram is ~100 KiB) and their percentiles exact.
const EXACT_LIMIT: usize = 256;

/// Percentiles reported, as per-mille ranks (p50 … p99.9), so ranks are computed in integers.
pub const PERCENTILES: [(&str, u64); 5] = [
    ("p50", 500),
    ("p90", 900),
    ("p95", 950),
    ("p99", 990),
    ("p999", 999),
];

/// A latency distribution in milliseconds, with exact count, min, max and mean, and percentiles
/// within 0.1% (HdrHistogram, 3 significant digits, recorded in nanoseconds).
#[derive(Clone, Debug, Default)]
pub struct LatencyHistogram {
    count: u64,
    min: f64,
    max: f64,
    /// Sum in nanoseconds: integer, so the mean does not depend on the order of merging.
    sum_ns: u128,
    /// Sum of the latencies past u64 nanoseconds (584 years), in milliseconds: they would
    /// saturate `to_ns`, and even overflow `sum_ns` (a `1.5e76` in a mutated file did).
    huge_ms: f64,
    exact: Vec<f64>,
    hist: Option<HdrCounts>,
    /// With `hist`: the latencies past u64 nanoseconds, which it cannot hold, counted by their
    /// bits with 10 of the mantissa's kept ([`huge_bucket`]): within 0.05% of every value, and
    /// empty (no allocation) unless such a latency comes.
    huge: BTreeMap<u64, u64>,
}

/// The bucket of a latency in milliseconds (finite, non-negative) in [`LatencyHistogram`]'s
/// `huge`: its bits without the mantissa's last 42, so that the buckets sort as the values do
/// and each spans less than 2^-10 of its values.
fn huge_bucket(ms: f64) -> u64 {
    ms.to_bits() >> 42
}

/// The middle of a [`huge_bucket`]: within 2^-11 (0.05%) of every value in it.
fn huge_bucket_middle(bucket: u64) -> f64 {
    f64::from_bits(bucket << 42 | 1 << 41)
}

/// Milliseconds as whole nanoseconds, rounded.
#[inline]
pub fn to_ns(ms: f64) -> u64 {
    // Latencies are never negative, so adding a half and truncating rounds like `round()`
    // without its libm call; the cast saturates at u64::MAX ns (584 years).
    (ms * 1e6 + 0.5) as u64
}

impl LatencyHistogram {
    pub fn new() -> Self {
        Self::default()
    }

    /// A latency past u64 nanoseconds (584 years): summed in milliseconds, and kept exactly or
    /// in `huge`. Out of line, so that `record_ns` stays small enough to be inlined.
    #[cold]
    #[inline(never)]
    fn add_huge(&mut self, ms: f64) {
        self.huge_ms += ms;
        match &mut self.hist {
            Some(h) => Self::add_to_histogram(h, &mut self.huge, ms),
            None => {
                self.exact.push(ms);
                if self.exact.len() > EXACT_LIMIT {
                    self.promote();
                }
            }
        }
    }

    /// Puts a latency into the histogram, or into `huge` past u64 nanoseconds.
    fn add_to_histogram(h: &mut HdrCounts, huge: &mut BTreeMap<u64, u64>, ms: f64) {
        match to_ns(ms) {
            u64::MAX => *huge.entry(huge_bucket(ms)).or_insert(0) += 1,
            ns => h.record(ns),
        }
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// Records one latency in milliseconds (finite and non-negative, as the extractor ensures).
    #[inline]
    pub fn record(&mut self, ms: f64) {
        self.record_ns(ms, to_ns(ms));
    }

    /// [`LatencyHistogram::record`] with the nanoseconds already known: `ns` must be
    /// `to_ns(ms)` (the extractor has it from the digits, without the float conversion).
    #[inline(always)]
    pub fn record_ns(&mut self, ms: f64, ns: u64) {
        debug_assert_eq!(ns, to_ns(ms));
        if self.count == 0 || ms < self.min {
            self.min = ms;
        }
        if self.count == 0 || ms > self.max {
            self.max = ms;
        }
        self.count += 1;
        if ns == u64::MAX {
            return self.add_huge(ms);
        }
        self.sum_ns += ns as u128;
        match &mut self.hist {
            Some(h) => h.record(ns),
            None => {
                self.exact.push(ms);
                if self.exact.len() > EXACT_LIMIT {
                    self.promote();
                }
            }
        }
    }

    fn promote(&mut self) {
        let mut h = HdrCounts::default();
        for v in self.exact.drain(..) {
            Self::add_to_histogram(&mut h, &mut self.huge, v);
        }
        self.exact = Vec::new();
        self.hist = Some(h);
    }

    pub fn merge(&mut self, other: &LatencyHistogram) {
        if other.count == 0 {
            return;
        }
        if self.count == 0 || other.min < self.min {
            self.min = other.min;
        }
        if self.count == 0 || other.max > self.max {
            self.max = other.max;
        }
        self.count += other.count;
        self.sum_ns += other.sum_ns;
        self.huge_ms += other.huge_ms;
        match &other.hist {
            Some(oh) => {
                if self.hist.is_none() {
                    self.promote();
                }
                if let Some(h) = &mut self.hist {
                    h.merge(oh);
                }
                for (&bucket, &n) in &other.huge {
                    *self.huge.entry(bucket).or_insert(0) += n;
                }
            }
            None => {
                if let Some(h) = &mut self.hist {
                    for &v in &other.exact {
                        Self::add_to_histogram(h, &mut self.huge, v);
                    }
                } else {
                    self.exact.extend_from_slice(&other.exact);
                    if self.exact.len() > EXACT_LIMIT {
                        self.promote();
                    }
                }
            }
        }
    }

    pub fn min(&self) -> Option<f64> {
        (self.count > 0).then_some(self.min)
    }

    pub fn max(&self) -> Option<f64> {
        (self.count > 0).then_some(self.max)
    }

    /// The mean, rounded to the nearest nanosecond (halves up), computed from the exact integer
    /// sum; with latencies past u64 nanoseconds, in floating point.
    pub fn mean(&self) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        if self.huge_ms != 0.0 {
            return Some((self.sum_ns as f64 / 1e6 + self.huge_ms) / self.count as f64);
        }
        let n = u128::from(self.count);
        let ns = self.sum_ns / n + u128::from(self.sum_ns % n * 2 >= n);
        Some(ns as f64 / 1e6)
    }

    /// The nearest-rank quantile `per_mille`/1000: the smallest value v with at least
    /// ⌈q·N⌉ values <= v.
    pub fn quantile(&self, per_mille: u64) -> Option<f64> {
        self.quantiles(&[per_mille])[0]
    }

    /// Several nearest-rank quantiles (per-mille, ascending) in one pass over the histogram or
    /// one sort of the exact values.
    pub fn quantiles(&self, per_milles: &[u64]) -> Vec<Option<f64>> {
        if self.count == 0 {
            return vec![None; per_milles.len()];
        }
        let ranks = per_milles
            .iter()
            .map(|&pm| ((pm as u128 * self.count as u128).div_ceil(1000) as u64).max(1));
        match &self.hist {
            Some(counts) => {
                let h = counts.to_histogram();
                let mut buckets = h.iter_recorded();
                let mut seen = 0u64;
                let mut at = self.max;
                // Ranks past the histogram's values fall among the huge ones, above them all.
                let in_histogram = self.count - self.huge.values().sum::<u64>();
                let mut huge = self.huge.iter();
                ranks
                    .map(|rank| {
                        if rank > in_histogram {
                            seen = seen.max(in_histogram);
                            while seen < rank {
                                let Some((&bucket, &n)) = huge.next() else {
                                    at = self.max;
                                    break;
                                };
                                seen += n;
                                at = huge_bucket_middle(bucket).clamp(self.min, self.max);
                            }
                            return Some(at);
                        }
                        while seen < rank {
                            let Some(it) = buckets.next() else {
                                at = self.max;
                                break;
                            };
                            seen += it.count_since_last_iteration();
                            // The bucket's midpoint halves the worst-case error; the exact min
                            // and max bound every quantile.
                            let ns = h.median_equivalent(it.value_iterated_to());
                            at = (ns as f64 / 1e6).clamp(self.min, self.max);
                        }
                        Some(at)
                    })
                    .collect()
            }
            None => {
                let mut sorted = self.exact.clone();
                sorted.sort_by(f64::total_cmp);
                ranks
                    .map(|rank| sorted.get(rank as usize - 1).copied())
                    .collect()
            }
        }
    }
}

/// Widens the span `first..=last` (ns since the epoch) to include `t`.
#[inline]
pub fn widen(first: &mut Option<i64>, last: &mut Option<i64>, t: i64) {
    *first = Some(first.map_or(t, |x| x.min(t)));
    *last = Some(last.map_or(t, |x| x.max(t)));
}

/// Outcome counts and latency for one group (or overall).
#[derive(Clone, Debug, Default)]
pub struct GroupStats {
    pub events: u64,
    pub successes: u64,
    pub failures: u64,
    pub latency: LatencyHistogram,
    /// Time of the first and last outcome that had a time (ns since the epoch).
    pub first_outcome_ns: Option<i64>,
    pub last_outcome_ns: Option<i64>,
}

impl GroupStats {
    pub fn count(&self) -> u64 {
        self.successes + self.failures
    }

    pub fn note_outcome_time(&mut self, ns: i64) {
        widen(&mut self.first_outcome_ns, &mut self.last_outcome_ns, ns);
    }

    pub fn merge(&mut self, o: &GroupStats) {
        self.events += o.events;
        self.successes += o.successes;
        self.failures += o.failures;
        self.latency.merge(&o.latency);
        for t in [o.first_outcome_ns, o.last_outcome_ns]
            .into_iter()
            .flatten()
        {
            self.note_outcome_time(t);
        }
    }

    /// Outcomes per second between the first and last timed outcome; `None` when that span is 0.
    pub fn throughput_per_second(&self) -> Option<f64> {
        let (a, b) = (self.first_outcome_ns?, self.last_outcome_ns?);
        let secs = (b - a) as f64 / 1e9;
        (secs > 0.0).then(|| self.count() as f64 / secs)
    }

    pub fn success_rate(&self) -> Option<f64> {
        let n = self.count();
        (n > 0).then(|| self.successes as f64 / n as f64)
    }

    pub fn error_rate(&self) -> Option<f64> {
        let n = self.count();
        (n > 0).then(|| self.failures as f64 / n as f64)
    }
}

/// Counts by message, with a bound on distinct messages so memory stays constant on hostile
/// input; what does not fit is counted as `overflow`.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    counts: FxHashMap<String, u64>,
    pub overflow: u64,
}

/// Distinct messages kept per tally.
pub const TALLY_LIMIT: usize = 10_000;

impl Tally {
    pub fn add(&mut self, key: &str, n: u64) {
        if let Some(c) = self.counts.get_mut(key) {
            *c += n;
        } else if self.counts.len() < TALLY_LIMIT {
            self.counts.insert(key.to_string(), n);
        } else {
            self.overflow += n;
        }
    }

    pub fn merge(&mut self, o: &Tally) {
        for (k, &n) in &o.counts {
            self.add(k, n);
        }
        self.overflow += o.overflow;
    }

    pub fn total(&self) -> u64 {
        self.counts.values().sum::<u64>() + self.overflow
    }

    /// The `n` most frequent, by count then message.
    pub fn top(&self, n: usize) -> Vec<(String, u64)> {
        let mut v: Vec<(String, u64)> = self.counts.iter().map(|(k, &c)| (k.clone(), c)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v.truncate(n);
        v
    }

    pub fn contains(&self, key: &str) -> bool {
        self.counts.contains_key(key)
    }

    pub fn distinct(&self) -> usize {
        self.counts.len()
    }
}

#[cfg(test)]
mod tests {
    /// Latencies past u64 nanoseconds still add up (the mean was capped at 2^64 ns).
    #[test]
    fn huge_latencies_keep_their_mean() {
        let mut h = LatencyHistogram::new();
        h.record(1.0);
        h.record(12_345_678_901_234_567.0);
        let mean = h.mean().unwrap();
        let mut huger = LatencyHistogram::new();
        huger.record(1.5e76);
        huger.record(1.5e76);
        assert_eq!(huger.mean(), Some(1.5e76));
        assert!(
            (mean / 6_172_839_450_617_284.0 - 1.0).abs() < 1e-12,
            "{mean}"
        );
    }

    use super::*;

    use proptest::prelude::*;

    #[test]
    fn the_mean_is_rounded_to_the_nanosecond() {
        let mean = |values: &[f64]| {
            let mut h = LatencyHistogram::new();
            values.iter().for_each(|&v| h.record(v));
            h.mean().unwrap()
        };
        assert_eq!(mean(&[1.0, 1.0, 2.0]), 1.333333);
        assert_eq!(mean(&[1.0, 2.0, 2.0]), 1.666667);
        assert_eq!(mean(&[0.000001, 0.000002]), 0.000002, "1.5 ns rounds up");
        assert_eq!(mean(&[0.25, 0.5]), 0.375);
    }

    /// Percentiles stay within 0.1% past u64 nanoseconds (584 years), where the histogram
    /// stops: they were all reported as 2^64 ns.
    #[test]
    fn huge_latencies_keep_their_percentiles() {
        let mut state = 7u64;
        let mut values = Vec::new();
        let mut parts = [LatencyHistogram::new(), LatencyHistogram::new()];
        for k in 0..3000u64 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let v = match k % 3 {
                0 => (state >> 40) as f64 / 1000.0,
                1 => 3e13 + (state >> 20) as f64 * 1e6,
                _ => f64::from_bits(0x4300_0000_0000_0000 + (state >> 4)),
            };
            values.push(v);
            parts[(state >> 63) as usize].record(v);
        }
        let [mut h, other] = parts;
        h.merge(&other);
        values.sort_by(f64::total_cmp);
        for (_, pm) in PERCENTILES
            .iter()
            .chain(&[("p1", 1), ("p34", 340), ("p67", 670)])
        {
            let rank = (*pm * values.len() as u64).div_ceil(1000) as usize;
            let exact = values[rank - 1];
            let got = h.quantile(*pm).unwrap();
            assert!((got / exact - 1.0).abs() < 1e-3, "p{pm}: {got} vs {exact}");
        }
        assert_eq!(h.max(), values.last().copied());
        // Two values past 2^64 ns, promoted from the exact list (p90 was 3e13).
        let mut few = LatencyHistogram::new();
        for _ in 0..200 {
            few.record(3e13);
        }
        for _ in 0..57 {
            few.record(4e13);
        }
        assert!((few.quantile(500).unwrap() / 3e13 - 1.0).abs() < 1e-3);
        assert!((few.quantile(900).unwrap() / 4e13 - 1.0).abs() < 1e-3);
    }

    /// What the extractor relies on for `record_ns`: a short decimal of milliseconds read as
    /// digits and fraction length has exactly `digits * 10^(6 - fraction)` nanoseconds.
    #[test]
    fn decimal_milliseconds_are_whole_nanoseconds() {
        use crate::number::{decimal_f64, POW10_U64};
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for frac in 0..=6 {
            for k in 0..20_000u64 {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                // Small values, then any below 10^8 (the most digits a short decimal has).
                let digits = if k < 10_000 {
                    k
                } else {
                    (state >> 11) % 100_000_000
                };
                let want = digits * POW10_U64[6 - frac];
                assert_eq!(
                    to_ns(decimal_f64(digits, frac)),
                    want,
                    "{digits} / 10^{frac}"
                );
            }
        }
    }

    fn nearest_rank(values: &[f64], per_mille: u64) -> f64 {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let rank = (per_mille as usize * v.len()).div_ceil(1000).max(1);
        v[rank - 1]
    }

    #[test]
    fn small_sets_are_exact() {
        let mut h = LatencyHistogram::new();
        for v in [5.0, 1.0, 3.0, 2.0, 4.0] {
            h.record(v);
        }
        assert_eq!(h.quantile(500), Some(3.0));
        assert_eq!(h.quantile(950), Some(5.0));
        assert_eq!(h.mean(), Some(3.0));
        assert_eq!((h.min(), h.max()), (Some(1.0), Some(5.0)));
    }

    #[test]
    fn rank_is_computed_in_integers() {
        // 0.95 * 100 is 95.00000000000001 in floating point; the rank must still be 95.
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        let mut h = LatencyHistogram::new();
        values.iter().for_each(|&v| h.record(v));
        assert_eq!(h.quantile(950), Some(95.0));
    }

    #[test]
    fn empty_has_no_figures() {
        let h = LatencyHistogram::new();
        assert_eq!(h.quantile(500), None);
        assert_eq!(h.mean(), None);
    }

    proptest! {
        #[test]
        fn quantiles_within_tolerance_and_merge_is_exact(
            values in prop::collection::vec(0.001f64..200_000.0, 1..3000),
            split in 0usize..3000,
        ) {
            let split = split.min(values.len());
            let mut whole = LatencyHistogram::new();
            values.iter().for_each(|&v| whole.record(v));
            let (mut a, mut b) = (LatencyHistogram::new(), LatencyHistogram::new());
            values[..split].iter().for_each(|&v| a.record(v));
            values[split..].iter().for_each(|&v| b.record(v));
            b.merge(&a);
            for (_, q) in PERCENTILES {
                let exact = nearest_rank(&values, q);
                let got = whole.quantile(q).unwrap();
                prop_assert!((got - exact).abs() <= exact * 0.001 + 1e-6, "q={q} got={got} exact={exact}");
                prop_assert_eq!(b.quantile(q), whole.quantile(q));
            }
            let all: Vec<u64> = PERCENTILES.iter().map(|(_, q)| *q).collect();
            let one_by_one: Vec<Option<f64>> = all.iter().map(|&q| whole.quantile(q)).collect();
            prop_assert_eq!(whole.quantiles(&all), one_by_one);
            prop_assert_eq!(b.mean(), whole.mean());
            prop_assert_eq!(b.count(), values.len() as u64);
        }
    }

    #[test]
    fn tally_is_bounded() {
        let mut t = Tally::default();
        for i in 0..TALLY_LIMIT + 5 {
            t.add(&format!("m{i}"), 1);
        }
        t.add("m0", 2);
        assert_eq!(t.distinct(), TALLY_LIMIT);
        assert_eq!(t.overflow, 5);
        assert_eq!(t.total(), TALLY_LIMIT as u64 + 7);
        assert_eq!(t.top(1), vec![("m0".to_string(), 3)]);
    }

    #[test]
    fn throughput_needs_a_span() {
        let mut g = GroupStats {
            successes: 10,
            ..Default::default()
        };
        assert_eq!(g.throughput_per_second(), None);
        g.note_outcome_time(0);
        assert_eq!(g.throughput_per_second(), None);
        g.note_outcome_time(5_000_000_000);
        assert_eq!(g.throughput_per_second(), Some(2.0));
    }
}
