//! Latency counts in HdrHistogram's bucket layout (3 significant digits, nanoseconds), recorded
//! with each increment held back by one and its cache line prefetched.
//!
//! A group's histogram spans a few hundred KiB, and a summary keeps one per group per worker, so
//! the increment of a random bucket misses the cache on most lines. `hdrhistogram` keeps its
//! counts private, so its record path cannot be prefetched: here the index is computed exactly as
//! HdrHistogram computes it, the line is prefetched, and the increment lands on the group's next
//! record, by when the line has arrived. [`HdrCounts::to_histogram`] hands the counts back to
//! `hdrhistogram`, bucket for bucket, for the quantile arithmetic.

use hdrhistogram::Histogram;

/// log2 of half the sub-buckets: 3 significant digits give 2048 sub-buckets per bucket.
const SUB_BUCKET_HALF_MAGNITUDE: u32 = 10;
const SUB_BUCKET_HALF: usize = 1 << SUB_BUCKET_HALF_MAGNITUDE;
const SUB_BUCKET_MASK: u64 = (2 << SUB_BUCKET_HALF_MAGNITUDE) - 1;
/// 64 minus the unit magnitude (0: the lowest discernible value is 1 ns) minus log2(2048).
const LEADING_ZERO_BASE: u32 = 64 - (SUB_BUCKET_HALF_MAGNITUDE + 1);

/// Where HdrHistogram (`sigfig` 3, lowest value 1) counts `value`.
#[inline(always)]
pub fn index_of(value: u64) -> usize {
    let bucket = LEADING_ZERO_BASE - (value | SUB_BUCKET_MASK).leading_zeros();
    let sub_bucket = (value >> bucket) as usize;
    ((bucket as usize + 1) << SUB_BUCKET_HALF_MAGNITUDE) + sub_bucket - SUB_BUCKET_HALF
}

/// The lowest value counted at `index`: the inverse of [`index_of`].
pub fn lowest_at(index: usize) -> u64 {
    let bucket = (index >> SUB_BUCKET_HALF_MAGNITUDE) as u32;
    let sub_bucket = (index & (SUB_BUCKET_HALF - 1)) + SUB_BUCKET_HALF;
    match bucket.checked_sub(1) {
        // The first 2048 values each have a bucket of their own.
        None => index as u64,
        Some(bucket) => (sub_bucket as u64) << bucket,
    }
}

/// "No increment held back".
const NONE: usize = usize::MAX;

/// Counts per HdrHistogram bucket, grown to the highest value seen.
#[derive(Clone, Debug)]
pub struct HdrCounts {
    counts: Vec<u64>,
    /// The index of the last value recorded, not yet added to `counts`.
    pending: usize,
}

impl Default for HdrCounts {
    fn default() -> Self {
        HdrCounts {
            counts: Vec::new(),
            pending: NONE,
        }
    }
}

impl HdrCounts {
    #[inline]
    pub fn record(&mut self, value: u64) {
        let index = index_of(value);
        if index >= self.counts.len() {
            self.grow(index);
        }
        prefetch(self.counts.as_ptr().wrapping_add(index));
        // `pending` was below `counts.len()` when it was set, and `counts` never shrinks.
        if let Some(c) = self.counts.get_mut(self.pending) {
            *c += 1;
        }
        self.pending = index;
    }

    #[cold]
    fn grow(&mut self, index: usize) {
        // Whole buckets at a time, as HdrHistogram resizes.
        let len = (index | (SUB_BUCKET_HALF - 1)) + 1;
        self.counts.resize(len, 0);
    }

    /// The counts with the held-back increment in place.
    fn settle(&mut self) {
        if let Some(c) = self.counts.get_mut(self.pending) {
            *c += 1;
        }
        self.pending = NONE;
    }

    pub fn merge(&mut self, other: &HdrCounts) {
        self.settle();
        if other.counts.len() > self.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            *mine += theirs;
        }
        if let Some(c) = self.counts.get_mut(other.pending) {
            *c += 1;
        }
    }

    /// The same counts as an `hdrhistogram::Histogram` (3 significant digits), each bucket's
    /// count recorded at the bucket's lowest value, so every bucket holds what it holds here.
    pub fn to_histogram(&self) -> Histogram<u64> {
        // sigfig 3 is always a valid argument, so this cannot fail.
        let mut h = Histogram::<u64>::new(3).unwrap_or_else(|_| unreachable!());
        let pending = (self.pending != NONE).then_some((self.pending, 1));
        let counted = self.counts.iter().copied().enumerate();
        for (index, n) in counted.chain(pending).filter(|&(_, n)| n > 0) {
            // An auto-resizing histogram takes any u64; were it ever to refuse, clamp as before.
            if h.record_n(lowest_at(index), n).is_err() {
                h.saturating_record_n(lowest_at(index), n);
            }
        }
        h
    }
}

#[inline(always)]
fn prefetch(p: *const u64) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint; it never faults, whatever the address.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>(p.cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// HdrHistogram's own view of where a value goes: the lowest value of its bucket.
    fn hdr_lowest(value: u64) -> u64 {
        let h = Histogram::<u64>::new(3).unwrap();
        h.lowest_equivalent(value)
    }

    #[test]
    fn buckets_match_hdrhistogram_at_their_edges() {
        for value in [
            0,
            1,
            2047,
            2048,
            2049,
            4095,
            4096,
            1 << 40,
            u64::MAX >> 1,
            u64::MAX,
        ] {
            assert_eq!(lowest_at(index_of(value)), hdr_lowest(value), "{value}");
        }
        for index in [0, 1, 1023, 1024, 2047, 2048, 3071, 3072, 56319] {
            assert_eq!(index_of(lowest_at(index)), index, "{index}");
        }
        assert_eq!(index_of(u64::MAX), 56319);
    }

    #[test]
    fn the_held_back_increment_is_never_lost() {
        let mut a = HdrCounts::default();
        a.record(5);
        assert_eq!(a.to_histogram().count_at(5), 1);
        let mut b = HdrCounts::default();
        b.record(5);
        b.record(7_000_000);
        let mut m = HdrCounts::default();
        m.merge(&a);
        m.merge(&b);
        let h = m.to_histogram();
        assert_eq!((h.len(), h.count_at(5), h.count_at(7_000_000)), (3, 2, 1));
    }

    proptest! {
        #[test]
        fn index_agrees_with_hdrhistogram(value in any::<u64>(), shift in 0u32..64) {
            let value = value >> shift;
            prop_assert_eq!(lowest_at(index_of(value)), hdr_lowest(value));
        }

        #[test]
        fn counts_equal_a_directly_recorded_histogram(
            values in proptest::collection::vec((any::<u64>(), 0u32..64), 0..300),
            split in 0usize..300,
        ) {
            let values: Vec<u64> = values.iter().map(|&(v, s)| v >> s).collect();
            let mut direct = Histogram::<u64>::new(3).unwrap();
            let (mut a, mut b) = (HdrCounts::default(), HdrCounts::default());
            for (i, &v) in values.iter().enumerate() {
                // As tlm recorded before: grow, and clamp only what cannot be grown to.
                if direct.record(v).is_err() {
                    direct.saturating_record(v);
                }
                if i < split { a.record(v) } else { b.record(v) }
            }
            a.merge(&b);
            let got = a.to_histogram();
            prop_assert_eq!(got.len(), direct.len());
            let mine: Vec<(u64, u64)> = got
                .iter_recorded()
                .map(|v| (v.value_iterated_to(), v.count_at_value()))
                .collect();
            let theirs: Vec<(u64, u64)> = direct
                .iter_recorded()
                .map(|v| (v.value_iterated_to(), v.count_at_value()))
                .collect();
            prop_assert_eq!(mine, theirs);
        }
    }
}
