//! Whole-line templates: the bytes between one line's scalar values, learned from a line that
//! parsed in full, so that a later line of the same shape is read by comparing those bytes and
//! parsing only its values.
//!
//! Lines from one producer differ in their values, not in their keys, nesting or spacing. A
//! template is the learned line cut at its scalar values (strings, numbers, `true`, `false`,
//! `null`): `{"ts": ` · value · `, "action": ` · value · … · `}`. A line that has each literal
//! exactly where the template has it, and any scalar where the template has a value, is the same
//! JSON structure with other scalars in it: it is valid, and its keys are the learned line's keys,
//! so its values go to the same targets. Literals after a value never start with a byte a value
//! could continue with, so each value ends where it would in a full parse. Anything else (an
//! object where a scalar stood, a different key or spacing) fails the template, and the line is
//! parsed in full as before: a template can make a line faster, never read differently.

use super::{offer_to, Capture, Kind, Parser, Target};

/// One scalar value of a template and the literal before it.
#[derive(Clone, Copy, Debug)]
struct Step {
    /// The literal's first 16 bytes, zero-padded: all of it for most literals.
    head: [u8; 16],
    /// The literal's length, and the bits of its bytes in `head` (`len` ones, at most 16).
    len: u32,
    head_bits: u32,
    /// Where a literal longer than 16 bytes is in [`Template::lits`].
    at: u32,
    /// The value's targets.
    count: u8,
    targets: [Target; MAX_TARGETS],
}

/// Targets a templated value may have (a key wanted in more roles is read in full).
const MAX_TARGETS: usize = 3;
/// Literal bytes kept at most per template; longer lines are read in full.
const MAX_LITERAL_BYTES: usize = 16 * 1024;
/// Values kept at most per template.
const MAX_STEPS: usize = 1024;

#[derive(Clone, Debug, Default)]
struct Template {
    steps: Vec<Step>,
    /// Every literal, one after another (the long ones are compared from here).
    lits: Vec<u8>,
    /// The literal after the last value, to the line's end.
    tail: Vec<u8>,
}

impl Template {
    fn clear(&mut self) {
        self.steps.clear();
        self.lits.clear();
        self.tail.clear();
    }

    /// Appends a step for a value after `literal`; `None` when the template would grow past its
    /// bounds or the value has too many targets.
    fn push(&mut self, literal: &[u8], targets: &[Target]) -> Option<()> {
        if self.lits.len() + literal.len() > MAX_LITERAL_BYTES
            || self.steps.len() >= MAX_STEPS
            || targets.len() > MAX_TARGETS
        {
            return None;
        }
        let mut head = [0; 16];
        let n = literal.len().min(16);
        head[..n].copy_from_slice(&literal[..n]);
        let mut inline = [Target { slot: 0, rank: 0 }; MAX_TARGETS];
        inline[..targets.len()].copy_from_slice(targets);
        self.steps.push(Step {
            head,
            len: literal.len() as u32,
            head_bits: ((1u64 << n) - 1) as u32,
            at: self.lits.len() as u32,
            count: targets.len() as u8,
            targets: inline,
        });
        self.lits.extend_from_slice(literal);
        Some(())
    }

    /// Reads `p`'s line as an instance of this template, offering its values into `values`.
    /// False at the first difference; the values offered until then must be cleared.
    #[inline(always)]
    fn read(&self, p: &Parser, values: &mut [Option<Capture>]) -> bool {
        let b = p.b;
        let mut i = 0;
        for s in &self.steps {
            if !self.literal_at(b, i, s) {
                return false;
            }
            i += s.len as usize;
            let Ok((span, end)) = p.scalar(p.at(i), i) else {
                return false;
            };
            if span.kind != Kind::Null {
                for &t in &s.targets[..s.count as usize] {
                    offer_to(values, t, span);
                }
            }
            i = end;
        }
        // Byte by byte: the tail is a `}` or two, too short for a call to `memcmp`.
        let rest = b.get(i..).unwrap_or_default();
        rest.len() == self.tail.len() && rest.iter().zip(&self.tail).all(|(x, y)| x == y)
    }

    /// Is step `s`'s literal at `b[i..]`?
    #[inline(always)]
    fn literal_at(&self, b: &[u8], i: usize, s: &Step) -> bool {
        let Some(window) = b.get(i..).and_then(|w| w.first_chunk::<16>()) else {
            return self.long_literal_at(b, i, s);
        };
        if equal_bytes(window, &s.head) & s.head_bits != s.head_bits {
            return false;
        }
        s.len <= 16 || self.long_literal_at(b, i, s)
    }

    /// [`Template::literal_at`] for a literal past 16 bytes, or near the line's end.
    #[inline(never)]
    fn long_literal_at(&self, b: &[u8], i: usize, s: &Step) -> bool {
        let (at, len) = (s.at as usize, s.len as usize);
        b.get(i..i + len) == self.lits.get(at..at + len)
    }
}

/// A bit per byte position: set where `a` and `b` hold the same byte.
#[inline(always)]
fn equal_bytes(a: &[u8; 16], b: &[u8; 16]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{__m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8};
        // SAFETY: SSE2 is always available on x86_64, both arrays are 16 readable bytes, and
        // `_mm_loadu_si128` has no alignment requirement.
        unsafe {
            let x = _mm_loadu_si128(a.as_ptr().cast::<__m128i>());
            let y = _mm_loadu_si128(b.as_ptr().cast::<__m128i>());
            _mm_movemask_epi8(_mm_cmpeq_epi8(x, y)) as u32
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        (0..16).fold(0, |bits, k| bits | ((a[k] == b[k]) as u32) << k)
    }
}

/// How a line went with the template: see [`Templates::read`].
pub(super) enum Read {
    /// The line is an instance of the template, its values offered.
    Hit,
    /// The line differs: clear what was offered and parse it in full.
    Miss,
    /// No template to try.
    None,
}

/// The largest wait, in lines, before learning again after templates that did not pay.
const MAX_WAIT: u32 = 1024;
/// Misses in a row that retire a template.
const MISSES_TO_RETIRE: u32 = 4;

/// A worker's template and what it has learned about how well templates do on its lines.
#[derive(Clone, Debug, Default)]
pub(super) struct Templates {
    /// The [`super::FieldSet::uid`] the template was learned for.
    owner: u64,
    current: Template,
    ready: bool,
    hits: u32,
    misses: u32,
    misses_in_row: u32,
    /// Lines to pass before learning again, and the last such wait (doubled while templates
    /// keep failing).
    wait: u32,
    backoff: u32,
    /// This line is being recorded into `draft`, up to `recorded_to`.
    pub(super) recording: bool,
    spoiled: bool,
    draft: Template,
    recorded_to: usize,
    /// Lines read by a template, and templates learned, for tests to see what happened.
    #[cfg(test)]
    pub(super) served: u64,
    #[cfg(test)]
    pub(super) learned: u64,
}

impl Templates {
    /// Tries the template on `p`'s line (for field set `owner`).
    #[inline(always)]
    pub(super) fn read(&mut self, p: &Parser, owner: u64, values: &mut [Option<Capture>]) -> Read {
        if self.owner != owner {
            self.forget(owner);
        }
        if !self.ready {
            return Read::None;
        }
        if self.current.read(p, values) {
            #[cfg(test)]
            {
                self.served += 1;
            }
            self.hits = self.hits.saturating_add(1);
            self.misses_in_row = 0;
            return Read::Hit;
        }
        self.missed();
        Read::Miss
    }

    /// Starts afresh for another field set.
    #[cold]
    fn forget(&mut self, owner: u64) {
        self.owner = owner;
        self.ready = false;
        self.wait = 0;
        self.backoff = 0;
    }

    #[cold]
    fn missed(&mut self) {
        self.misses = self.misses.saturating_add(1);
        self.misses_in_row += 1;
        if self.misses_in_row >= MISSES_TO_RETIRE {
            self.ready = false;
            self.wait_after(self.hits < self.misses);
        }
    }

    /// After a template is retired or a line could not be learned: learn again at once if the
    /// template paid, else after a wait that doubles each time.
    fn wait_after(&mut self, lost: bool) {
        self.backoff = if lost {
            (self.backoff * 2).clamp(1, MAX_WAIT)
        } else {
            0
        };
        self.wait = self.backoff;
    }

    /// Before a line is parsed in full: record it if a template is wanted and `eligible` (a line
    /// without control or non-ASCII bytes).
    #[inline(always)]
    pub(super) fn begin(&mut self, eligible: bool) {
        if self.ready || !eligible {
            return;
        }
        if self.wait > 0 {
            self.wait -= 1;
            return;
        }
        self.recording = true;
        self.spoiled = false;
        self.draft.clear();
        self.recorded_to = 0;
    }

    /// Notes a scalar value at `b[start..end]` going to `targets`, in document order.
    #[cold]
    pub(super) fn record(&mut self, b: &[u8], start: usize, end: usize, targets: &[Target]) {
        if self.spoiled {
            return;
        }
        let literal = b.get(self.recorded_to..start).unwrap_or_default();
        match self.draft.push(literal, targets) {
            Some(()) => self.recorded_to = end,
            None => self.spoiled = true,
        }
    }

    /// Notes a value the template cannot stand for (an object or array that is captured whole).
    #[cold]
    pub(super) fn spoil(&mut self) {
        self.spoiled = true;
    }

    /// After the line `b` was parsed in full (`ok` if it is a valid object).
    #[inline(always)]
    pub(super) fn end(&mut self, b: &[u8], ok: bool) {
        if self.recording {
            self.finish(b, ok);
        }
    }

    #[cold]
    fn finish(&mut self, b: &[u8], ok: bool) {
        self.recording = false;
        if !ok {
            // An invalid line teaches nothing; the next line is recorded instead.
            return;
        }
        let tail = b.get(self.recorded_to..).unwrap_or_default();
        match self.spoiled {
            false if tail.len() <= MAX_LITERAL_BYTES => {
                self.draft.tail.extend_from_slice(tail);
                std::mem::swap(&mut self.current, &mut self.draft);
                #[cfg(test)]
                {
                    self.learned += 1;
                }
                self.ready = true;
                self.hits = 0;
                self.misses = 0;
                self.misses_in_row = 0;
            }
            _ => self.wait_after(true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_match_at_every_length_and_offset() {
        let text: Vec<u8> = (0..80u8).map(|i| b'a' + i % 26).collect();
        for len in 1..50 {
            for at in 0..text.len() {
                let from = at.min(30);
                let lit = &text[from..(from + len).min(text.len())];
                let want = text.get(at..at + lit.len()) == Some(lit);
                let mut t = Template::default();
                t.push(lit, &[]).unwrap();
                assert_eq!(
                    t.literal_at(&text, at, &t.steps[0]),
                    want,
                    "len {len} at {at}"
                );
                if want {
                    // One byte off anywhere in it.
                    for k in 0..lit.len() {
                        let mut other = lit.to_vec();
                        other[k] ^= 1;
                        let mut t = Template::default();
                        t.push(&other, &[]).unwrap();
                        assert!(
                            !t.literal_at(&text, at, &t.steps[0]),
                            "len {len} at {at} k {k}"
                        );
                    }
                }
            }
        }
    }
}
