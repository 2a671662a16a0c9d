//! Cutting a chunk into lines, 64 bytes at a time: where each line ends, and whether it holds a
//! byte outside printable ASCII (which asks for UTF-8 validation and the control-character check,
//! see [`crate::json_scan::needs_careful_scan`]).
//!
//! One pass over the chunk finds both, instead of a `memchr` call and a scan per line.

use crate::json_scan::is_odd_byte;

/// A line found by [`split_lines`]: its end (exclusive, the `\n` or the chunk's end) and whether
/// it needs the careful checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineEnd(usize);

impl LineEnd {
    #[inline(always)]
    fn new(end: usize, careful: bool) -> Self {
        LineEnd((end << 1) | careful as usize)
    }

    #[inline(always)]
    pub fn end(self) -> usize {
        self.0 >> 1
    }

    #[inline(always)]
    pub fn careful(self) -> bool {
        self.0 & 1 != 0
    }
}

/// Appends the lines of `data` to `out`: one per `\n`, and one for a last line without a newline.
pub fn split_lines(data: &[u8], out: &mut Vec<LineEnd>) {
    let mut state = State::default();
    let mut blocks = data.chunks_exact(64);
    let mut base = 0;
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: AVX2 was detected just above.
        base = unsafe { blocks_avx2(&mut blocks, &mut state, out) };
    }
    for block in blocks.by_ref() {
        let (nl, odd) = masks_portable(block);
        state.block(base, nl, odd, out);
        base += 64;
    }
    let rest = blocks.remainder();
    if !rest.is_empty() {
        // Spaces are neither newlines nor odd bytes.
        let mut padded = [b' '; 64];
        padded[..rest.len()].copy_from_slice(rest);
        let (nl, odd) = masks_portable(&padded);
        state.block(base, nl, odd, out);
    }
    if data.last().is_some_and(|&b| b != b'\n') {
        out.push(LineEnd::new(data.len(), state.pending_odd));
    }
}

#[derive(Default)]
struct State {
    /// An odd byte was seen since the current line began.
    pending_odd: bool,
}

impl State {
    #[inline(always)]
    fn block(&mut self, base: usize, mut nl: u64, odd: u64, out: &mut Vec<LineEnd>) {
        let mut odd = odd & !nl;
        if odd == 0 && !self.pending_odd {
            while nl != 0 {
                out.push(LineEnd::new(base + nl.trailing_zeros() as usize, false));
                nl &= nl - 1;
            }
            return;
        }
        while nl != 0 {
            let k = nl.trailing_zeros();
            let before = (1u64 << k) - 1;
            out.push(LineEnd::new(
                base + k as usize,
                self.pending_odd || odd & before != 0,
            ));
            odd &= !before;
            self.pending_odd = false;
            nl &= nl - 1;
        }
        self.pending_odd |= odd != 0;
    }
}

#[inline(always)]
fn masks_portable(block: &[u8]) -> (u64, u64) {
    let mut nl = 0u64;
    let mut odd = 0u64;
    for (i, &b) in block.iter().enumerate().take(64) {
        nl |= ((b == b'\n') as u64) << i;
        // `\n` is odd too; the caller takes newlines out.
        odd |= (is_odd_byte(b) as u64) << i;
    }
    (nl, odd)
}

/// Runs [`State::block`] over `blocks` with [`masks_avx2`], in one function compiled for AVX2 so
/// the masks are computed inline; returns the offset after the last block.
///
/// # Safety
/// The CPU must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn blocks_avx2(
    blocks: &mut std::slice::ChunksExact<'_, u8>,
    state: &mut State,
    out: &mut Vec<LineEnd>,
) -> usize {
    let mut base = 0;
    for block in blocks.by_ref() {
        // SAFETY: AVX2 is enabled here (the caller's promise); `block` is 64 readable bytes.
        let (nl, odd) = unsafe { masks_avx2(block) };
        state.block(base, nl, odd, out);
        base += 64;
    }
    base
}

/// The newline and odd-byte masks of 64 bytes.
///
/// # Safety
/// The CPU must support AVX2, and `block` must hold at least 64 bytes.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn masks_avx2(block: &[u8]) -> (u64, u64) {
    use std::arch::x86_64::*;
    debug_assert!(block.len() >= 64);
    // SAFETY: the caller promises 64 readable bytes; unaligned loads have no other requirement.
    let (a, b) = unsafe {
        (
            _mm256_loadu_si256(block.as_ptr().cast()),
            _mm256_loadu_si256(block.as_ptr().add(32).cast()),
        )
    };
    let newline = _mm256_set1_epi8(b'\n' as i8);
    let space = _mm256_set1_epi8(0x20);
    let del = _mm256_set1_epi8(0x7f);
    // Signed compares: bytes 0x80..=0xff are negative, so `< 0x20` also takes non-ASCII.
    let odd_a = _mm256_or_si256(_mm256_cmpgt_epi8(space, a), _mm256_cmpeq_epi8(a, del));
    let odd_b = _mm256_or_si256(_mm256_cmpgt_epi8(space, b), _mm256_cmpeq_epi8(b, del));
    let nl_a = _mm256_movemask_epi8(_mm256_cmpeq_epi8(a, newline)) as u32;
    let nl_b = _mm256_movemask_epi8(_mm256_cmpeq_epi8(b, newline)) as u32;
    let odd_a = _mm256_movemask_epi8(odd_a) as u32;
    let odd_b = _mm256_movemask_epi8(odd_b) as u32;
    (
        nl_a as u64 | (nl_b as u64) << 32,
        odd_a as u64 | (odd_b as u64) << 32,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_scan::needs_careful_scan;
    use proptest::prelude::*;

    /// The lines as `memchr` and a per-line check would find them.
    fn reference(data: &[u8]) -> Vec<LineEnd> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, &b) in data.iter().enumerate() {
            if b == b'\n' {
                out.push(LineEnd::new(i, needs_careful_scan(&data[start..i])));
                start = i + 1;
            }
        }
        if start < data.len() {
            out.push(LineEnd::new(data.len(), needs_careful_scan(&data[start..])));
        }
        out
    }

    fn split(data: &[u8]) -> Vec<LineEnd> {
        let mut out = Vec::new();
        split_lines(data, &mut out);
        out
    }

    #[test]
    fn lines_and_odd_bytes_at_block_edges() {
        assert_eq!(split(b""), vec![]);
        assert_eq!(split(b"\n"), vec![LineEnd::new(0, false)]);
        for len in [1, 62, 63, 64, 65, 127, 128, 129, 200] {
            for odd_at in [None, Some(0), Some(len / 2), Some(len - 1)] {
                for odd in [0x01u8, b'\t', b'\r', 0x7f, 0x80, 0xff] {
                    let mut data = vec![b'a'; len];
                    if let Some(at) = odd_at {
                        data[at] = odd;
                    }
                    data.push(b'\n');
                    data.extend_from_slice(b"{\"next\": 1}\nlast");
                    assert_eq!(
                        split(&data),
                        reference(&data),
                        "len {len}, odd at {odd_at:?}"
                    );
                }
            }
        }
    }

    /// The AVX2 masks equal the portable ones.
    #[test]
    fn simd_masks_equal_portable_ones() {
        let mut block = [0u8; 64];
        for seed in 0..2000u32 {
            for (i, b) in block.iter_mut().enumerate() {
                *b = (seed.wrapping_mul(2654435761).rotate_left(i as u32 % 31) >> 3) as u8
                    ^ (i as u8).wrapping_mul(37);
            }
            block[(seed % 64) as usize] = b'\n';
            let want = masks_portable(&block);
            #[cfg(target_arch = "x86_64")]
            if std::is_x86_feature_detected!("avx2") {
                // SAFETY: AVX2 detected; the block is 64 bytes.
                assert_eq!(unsafe { masks_avx2(&block) }, want);
            }
        }
    }

    proptest! {
        #[test]
        fn agrees_with_a_per_line_check(
            data in prop::collection::vec(prop::sample::select(
                &b"ab{}\":, \n\n\n\r\t\x01\x7f\x80\xc3\xa9"[..]), 0..400),
        ) {
            prop_assert_eq!(split(&data), reference(&data));
        }
    }
}
