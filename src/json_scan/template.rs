//! Whole-line templates: the bytes between a line's scalar values, learned from lines that
//! parsed in full, so that a later line of a shape seen before is read by comparing those bytes
//! and parsing only its values.
//!
//! Lines from one producer differ in their values, not in their keys, nesting or spacing. A
//! template is a learned line cut at its scalar values (strings, numbers, `true`, `false`,
//! `null`): `{"ts": ` · value · `, "action": ` · value · … · `}`. A line that has each literal
//! exactly where the template has it, and any scalar where the template has a value, is the same
//! JSON structure with other scalars in it: it is valid, and its keys are the learned line's keys,
//! so its values go to the same targets. Literals after a value never start with a byte a value
//! could continue with, so each value ends where it would in a full parse. Anything else (an
//! object where a scalar stood, a different key or spacing) fails the template, and the line is
//! parsed in full as before: a template can make a line faster, never read differently.
//!
//! Producers often write a few shapes (a payload per action), so the templates are kept as a
//! prefix tree: the learned lines share their nodes as far as their literals agree. Reading
//! follows the tree without backtracking, which is exact: after the same literals the parse is in
//! the same state, and two different literals cannot both be followed by a scalar there (where
//! one line has a value, the other has whitespace or an inlined `{` or `[`).

use super::{
    offer_to, short_number_len, Capture, Kind, PaddedLine, Parser, Span, Target, LINE_PADDING,
};

/// A node of the tree: a literal, then a scalar value (followed by the children) or the end of
/// the line.
#[derive(Clone, Copy, Debug)]
struct Node {
    /// The literal's first 16 bytes, zero-padded: all of it for most literals.
    head: [u8; 16],
    /// The literal's length, and the bits of its bytes in `head` (`len` ones, at most 16).
    len: u32,
    head_bits: u32,
    /// Where the literal is in [`Tree::lits`] (read from there when longer than 16 bytes).
    at: u32,
    /// The literal ends the line (no value, no children).
    last: bool,
    /// The value's targets.
    count: u8,
    targets: [Target; MAX_TARGETS],
    /// The first child, and the next sibling ([`NONE`] for none).
    child: u32,
    sibling: u32,
}

const NONE: u32 = u32::MAX;
/// Targets a templated value may have (a key wanted in more roles is read in full).
const MAX_TARGETS: usize = 3;
/// Bounds of the tree: lines past them are read in full, and a full tree starts again.
const MAX_LITERAL_BYTES: usize = 64 * 1024;
const MAX_NODES: usize = 4096;
/// Shapes that part at one point, at most: a line tries them one after another there.
const MAX_SIBLINGS: usize = 16;

/// A learned line: its literals (each but the last followed by a value with targets).
#[derive(Clone, Debug, Default)]
struct Draft {
    lits: Vec<u8>,
    /// Each value's literal end in `lits`, and its targets.
    steps: Vec<(usize, [Target; MAX_TARGETS], u8)>,
}

#[derive(Clone, Debug, Default)]
struct Tree {
    nodes: Vec<Node>,
    lits: Vec<u8>,
}

impl Tree {
    fn clear(&mut self) {
        self.nodes.clear();
        self.lits.clear();
    }

    /// Reads `p`'s line as an instance of a learned shape, offering its values into `values`,
    /// and returns the line's length; `None` when no shape fits (the values offered until then
    /// must be cleared).
    ///
    /// `line` is the same line with padding after it, so that every literal, number and string
    /// is read in 16-byte windows without looking for the line's end first. A position
    /// never passes the end (each step checks where it got to), so the windows stay within the
    /// padding; the bytes read past the end are the next line's (or zeros), and can only make a
    /// step fail, as the end check then does.
    ///
    /// `OPEN`: where the line ends is not known yet (`line`'s length only bounds the reading),
    /// and the shape must end at a `\n` (or `\r\n`), which the line's length then is. No step
    /// can pass a newline: literals hold none (they come from lines), strings must hold no control
    /// or non-ASCII byte (what the line splitter's careful flag looks for, so a line read this way
    /// is one the splitter would have passed to the templates), and numbers and `true`, `false`,
    /// `null` are made of other bytes. Strings the window reader does not settle make it fail.
    #[inline(always)]
    fn read<const OPEN: bool>(
        &self,
        p: &Parser,
        line: PaddedLine,
        values: &mut [Capture],
    ) -> Option<usize> {
        let n = line.len();
        debug_assert!(n == p.b.len() && line.text()[..n] == *p.b);
        let nodes = &self.nodes[..];
        let mut i = 0;
        let mut at = 0;
        while let Some(node) = nodes.get(at as usize) {
            if self.literal_at(line, i, node) {
                let v = i + node.len as usize;
                if node.last {
                    if OPEN {
                        if v < n {
                            let w = line.window(v);
                            if w[0] == b'\n' || (w[0] == b'\r' && w[1] == b'\n') {
                                return Some(v);
                            }
                        }
                    } else if v == n {
                        return Some(n);
                    }
                } else if v < n {
                    if let Some((span, end)) =
                        scalar_at::<OPEN>(p, line, v).filter(|&(_, e)| e <= n)
                    {
                        if span.kind != Kind::Null {
                            for &t in node.targets.iter().take(node.count as usize) {
                                offer_to(values, t, span);
                            }
                        }
                        i = end;
                        at = node.child;
                        continue;
                    }
                }
            }
            at = node.sibling;
        }
        None
    }

    /// Is node `n`'s literal at `i` in `line`?
    #[inline(always)]
    fn literal_at(&self, line: PaddedLine, i: usize, n: &Node) -> bool {
        equal_bytes(line.window(i), &n.head) & n.head_bits == n.head_bits
            && (n.len <= 16 || self.rest_of_literal_at(line, i, n))
    }

    /// [`Tree::literal_at`] for a literal past 16 bytes whose first 16 matched: up to 48 bytes,
    /// the rest in two 16-byte compares from [`Tree::lits`], the second overlapping the first.
    #[inline(always)]
    fn rest_of_literal_at(&self, line: PaddedLine, i: usize, n: &Node) -> bool {
        let (at, len) = (n.at as usize, n.len as usize);
        if len > 48 {
            return self.long_literal_at(line.text(), i, n);
        }
        let (last, mid) = (len - 16, 16.min(len - 16));
        match (
            window16(&self.lits, at + mid),
            window16(&self.lits, at + last),
        ) {
            (Some(y), Some(v)) => {
                equal_bytes(line.window(i + mid), y) == 0xffff
                    && equal_bytes(line.window(i + last), v) == 0xffff
            }
            _ => self.long_literal_at(line.text(), i, n),
        }
    }

    /// [`Tree::rest_of_literal_at`] for a literal past 48 bytes: all of it at once (rare enough
    /// for a call to `memcmp`).
    #[inline(never)]
    fn long_literal_at(&self, b: &[u8], i: usize, n: &Node) -> bool {
        let (at, len) = (n.at as usize, n.len as usize);
        b.get(i..i + len) == self.lits.get(at..at + len)
    }

    /// Adds the shape of a learned line.
    fn learn(&mut self, d: &Draft) -> Learned {
        let mut parent = NONE;
        let mut from = 0;
        let mut added = false;
        let last = d.steps.len();
        for k in 0..=last {
            let (to, targets, count) = match d.steps.get(k) {
                Some(&(to, targets, count)) => (to, targets, count),
                None => (d.lits.len(), [NO_TARGET; MAX_TARGETS], 0),
            };
            let literal = &d.lits[from..to];
            from = to;
            let first = match parent {
                NONE if self.nodes.is_empty() => NONE,
                NONE => 0,
                p => self.nodes[p as usize].child,
            };
            // The child (of `parent`) with this literal, or the last child, to append after.
            let mut at = first;
            let mut prev = NONE;
            let mut siblings = 0;
            while at != NONE {
                siblings += 1;
                let n = &self.nodes[at as usize];
                let same = n.last == (k == last)
                    && n.len as usize == literal.len()
                    && self.lits[n.at as usize..][..literal.len()] == *literal;
                if same {
                    break;
                }
                prev = at;
                at = n.sibling;
            }
            if at == NONE {
                // Nothing was added above this level: the line's shape is new from here down.
                if siblings >= MAX_SIBLINGS {
                    return Learned::TooVaried;
                }
                if self.nodes.len() + (last - k) >= MAX_NODES
                    || self.lits.len() + (d.lits.len() - to + literal.len()) > MAX_LITERAL_BYTES
                {
                    return Learned::Full;
                }
                added = true;
                at = self.nodes.len() as u32;
                self.nodes
                    .push(node(literal, self.lits.len(), k == last, targets, count));
                self.lits.extend_from_slice(literal);
                match (prev, parent) {
                    (NONE, NONE) => {}
                    (NONE, p) => self.nodes[p as usize].child = at,
                    (q, _) => self.nodes[q as usize].sibling = at,
                }
            }
            parent = at;
        }
        if added {
            Learned::Added
        } else {
            Learned::Known
        }
    }
}

/// What [`Tree::learn`] made of a line.
#[derive(Debug, PartialEq, Eq)]
enum Learned {
    Added,
    /// The shape was in the tree already.
    Known,
    /// Too many shapes part at the point where this one does: it is not worth trying them all.
    TooVaried,
    /// The tree has no room for the shape.
    Full,
}

const NO_TARGET: Target = Target { slot: 0, rank: 0 };

fn node(literal: &[u8], at: usize, last: bool, targets: [Target; MAX_TARGETS], count: u8) -> Node {
    let mut head = [0; 16];
    let n = literal.len().min(16);
    head[..n].copy_from_slice(&literal[..n]);
    Node {
        head,
        len: literal.len() as u32,
        head_bits: ((1u64 << n) - 1) as u32,
        at: at as u32,
        last,
        count,
        targets,
        child: NONE,
        sibling: NONE,
    }
}

/// The scalar value at `v` in `p`'s line (`line`, padded; `v` before its end) and where it
/// ends: unescaped strings, numbers of up to 15 bytes without an exponent, `true`, `false` and
/// `null` from windows; other strings and numbers by the full parser.
/// `OPEN`: as in [`Tree::read`], strings with control or non-ASCII bytes, or that the window
/// reader does not settle, are not read.
#[inline(always)]
fn scalar_at<const OPEN: bool>(p: &Parser, line: PaddedLine, v: usize) -> Option<(Span, usize)> {
    let w = line.window(v);
    let span = |kind, start, end, escaped| Span {
        kind,
        start,
        end,
        escaped,
    };
    match w[0] {
        b'"' => {
            let (end, escaped) = match line.string_end::<OPEN>(v + 1) {
                Some(end) => (end, false),
                None if OPEN => return None,
                None => string_in_full(p, v)?,
            };
            Some((span(Kind::String, v + 1, end, escaped), end + 1))
        }
        b'-' | b'0'..=b'9' => {
            let end = match short_number_len(w) {
                Some(k) => v + k,
                None => number_in_full(p, w[0], v)?,
            };
            Some((span(Kind::Number, v, end, false), end))
        }
        b't' if w[..4] == *b"true" => Some((span(Kind::True, v, v + 4, false), v + 4)),
        b'f' if w[..5] == *b"false" => Some((span(Kind::False, v, v + 5, false), v + 5)),
        b'n' if w[..4] == *b"null" => Some((span(Kind::Null, v, v + 4, false), v + 4)),
        _ => None,
    }
}

/// A string that [`PaddedLine::string_end`] does not settle (escaped, or not closed): where it
/// closes, and whether it has escapes. Out of line, with a result that fits in two registers:
/// inlined, its set-up ran at every step of the walk.
#[inline(never)]
fn string_in_full(p: &Parser, v: usize) -> Option<(usize, bool)> {
    p.string(v).ok().map(|(_, end, escaped)| (end, escaped))
}

/// A number that [`short_number_len`] does not settle (long, with an exponent, or invalid):
/// where it ends. Out of line, as [`string_in_full`].
#[inline(never)]
fn number_in_full(p: &Parser, c: u8, v: usize) -> Option<usize> {
    p.number(c, v).ok()
}

/// The 16 bytes of `s` from `from`, if there are 16.
#[inline(always)]
fn window16(s: &[u8], from: usize) -> Option<&[u8; 16]> {
    s.get(from..from + 16)?.first_chunk::<16>()
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

/// How a line went with the templates: see [`Templates::read`].
pub(super) enum Read {
    /// The line is an instance of a learned shape, its values offered.
    Hit,
    /// No learned shape fits: clear what was offered and parse the line in full.
    Miss,
    /// No templates to try.
    None,
}

/// The longest pause, in lines, in using and learning templates after they did not pay.
const MAX_WAIT: u32 = 1024;
/// Lines over which hits and misses are weighed.
const WINDOW: u32 = 1024;
/// Misses in a window that are always tolerated (the first lines of each shape).
const FREE_MISSES: u32 = 16;

/// A worker's templates, and how well they do on its lines.
#[derive(Clone, Debug, Default)]
pub(super) struct Templates {
    /// The [`super::FieldSet::uid`] the templates were learned for.
    owner: u64,
    tree: Tree,
    /// Lines read by a template, and lines that missed, in this window.
    hits: u32,
    /// Lines read by a template, ever (see [`Templates::hits_so_far`]).
    hits_so_far: u64,
    misses: u32,
    /// Lines to pass before using and learning templates again, and the last such pause
    /// (doubled while templates keep failing).
    wait: u32,
    backoff: u32,
    /// This line is being recorded into `draft`, up to `recorded_to`.
    pub(super) recording: bool,
    spoiled: bool,
    draft: Draft,
    recorded_to: usize,
    /// A line with no room after it, copied with [`LINE_PADDING`] zeros after it.
    padded: Vec<u8>,
    /// Lines tried and read by a template, and shapes learned, for tests to see what happened.
    #[cfg(test)]
    pub(super) tried: u64,
    #[cfg(test)]
    pub(super) served: u64,
    #[cfg(test)]
    pub(super) learned: u64,
}

impl Templates {
    /// Tries the templates on `p`'s line (for field set `owner`).
    #[inline(always)]
    pub(super) fn read(
        &mut self,
        p: &Parser,
        text: &[u8],
        owner: u64,
        values: &mut [Capture],
    ) -> Read {
        if self.owner != owner {
            self.forget(owner);
        }
        if self.wait > 0 || self.tree.nodes.is_empty() {
            return Read::None;
        }
        #[cfg(test)]
        {
            self.tried += 1;
        }
        let n = p.b.len();
        let line = match PaddedLine::new(text, n) {
            Some(line) => line,
            None => {
                // The last line of a buffer: a copy, with zeros after it.
                self.padded.clear();
                self.padded.extend_from_slice(p.b);
                self.padded.resize(n + LINE_PADDING, 0);
                match PaddedLine::new(&self.padded, n) {
                    Some(line) => line,
                    None => return Read::None,
                }
            }
        };
        if self.tree.read::<false>(p, line, values).is_some() {
            self.hit();
            return Read::Hit;
        }
        self.missed();
        Read::Miss
    }

    /// [`Templates::read`] for a line whose end is not known yet: `text` is the rest of the
    /// buffer from the line's start, and `p` reads `text` but for its last [`LINE_PADDING`]
    /// bytes. The line's length if a learned shape fits it, up to a `\n` (see [`Tree::read`]).
    /// A line that does not fit is not counted as a miss: it is read again as usual.
    #[inline(always)]
    pub(super) fn read_open(
        &mut self,
        p: &Parser,
        text: &[u8],
        owner: u64,
        values: &mut [Capture],
    ) -> Option<usize> {
        if self.owner != owner || self.wait > 0 || self.tree.nodes.is_empty() {
            return None;
        }
        let line = PaddedLine::new(text, p.b.len())?;
        #[cfg(test)]
        {
            self.tried += 1;
        }
        let len = self.tree.read::<true>(p, line, values)?;
        self.hit();
        Some(len)
    }

    #[inline(always)]
    fn hit(&mut self) {
        #[cfg(test)]
        {
            self.served += 1;
        }
        self.hits += 1;
        self.hits_so_far += 1;
        if self.hits + self.misses >= WINDOW {
            self.weigh();
        }
    }

    /// Lines read by a template so far: the engine reads lines without splitting them first
    /// while nearly every line is.
    pub(super) fn hits_so_far(&self) -> u64 {
        self.hits_so_far
    }

    /// Starts afresh for another field set.
    #[cold]
    fn forget(&mut self, owner: u64) {
        self.owner = owner;
        self.tree.clear();
        self.hits = 0;
        self.misses = 0;
        self.wait = 0;
        self.backoff = 0;
    }

    #[cold]
    fn missed(&mut self) {
        self.misses += 1;
        if self.misses > FREE_MISSES && self.misses * 2 > self.hits {
            // Too many lines of new shapes: the templates cost more than they save.
            self.retire();
        } else if self.hits + self.misses >= WINDOW {
            self.weigh();
        }
    }

    /// At a window's end, in which templates paid: a later loss pauses them only briefly.
    #[cold]
    fn weigh(&mut self) {
        self.backoff = 0;
        self.hits = 0;
        self.misses = 0;
    }

    /// Drops the templates, and pauses for longer each time this happens in a row.
    #[cold]
    fn retire(&mut self) {
        self.tree.clear();
        self.hits = 0;
        self.misses = 0;
        self.backoff = (self.backoff * 2).clamp(1, MAX_WAIT);
        self.wait = self.backoff;
    }

    /// Before a line is parsed in full: record it, to learn its shape, unless templates pause or
    /// the line has control or non-ASCII bytes (`eligible` false).
    #[inline(always)]
    pub(super) fn begin(&mut self, eligible: bool) {
        if self.wait > 0 {
            self.wait -= 1;
            return;
        }
        if !eligible {
            return;
        }
        self.recording = true;
        self.spoiled = false;
        self.draft.lits.clear();
        self.draft.steps.clear();
        self.recorded_to = 0;
    }

    /// Notes a scalar value at `b[start..end]` going to `targets`, in document order.
    #[cold]
    pub(super) fn record(&mut self, b: &[u8], start: usize, end: usize, targets: &[Target]) {
        let literal = b.get(self.recorded_to..start).unwrap_or_default();
        let d = &mut self.draft;
        if self.spoiled || targets.len() > MAX_TARGETS || d.lits.len() > MAX_LITERAL_BYTES {
            self.spoiled = true;
            return;
        }
        d.lits.extend_from_slice(literal);
        let mut inline = [NO_TARGET; MAX_TARGETS];
        inline[..targets.len()].copy_from_slice(targets);
        d.steps.push((d.lits.len(), inline, targets.len() as u8));
        self.recorded_to = end;
    }

    /// Notes a value a template cannot stand for (an object or array that is captured whole).
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
        if !ok || self.spoiled {
            // An invalid line teaches nothing; a spoiled one counts against templates.
            if self.spoiled {
                self.missed();
            }
            return;
        }
        let tail = b.get(self.recorded_to..).unwrap_or_default();
        self.draft.lits.extend_from_slice(tail);
        match self.tree.learn(&self.draft) {
            Learned::Full => self.retire(),
            Learned::Added => {
                #[cfg(test)]
                {
                    self.learned += 1;
                }
            }
            Learned::Known | Learned::TooVaried => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_literal(lit: &[u8]) -> Tree {
        let mut t = Tree::default();
        let draft = Draft {
            lits: lit.to_vec(),
            steps: vec![(lit.len(), [NO_TARGET; MAX_TARGETS], 0)],
        };
        assert_eq!(t.learn(&draft), Learned::Added);
        t
    }

    #[test]
    fn literals_match_at_every_length_and_offset() {
        let text: Vec<u8> = (0..80u8).map(|i| b'a' + i % 26).collect();
        // The padding is zeros, which no literal here has: a literal running past the end
        // does not match.
        let mut padded = text.clone();
        padded.resize(text.len() + LINE_PADDING, 0);
        let line = PaddedLine::new(&padded, text.len()).unwrap();
        for len in 1..50 {
            for at in 0..text.len() {
                let from = at.min(30);
                let lit = &text[from..(from + len).min(text.len())];
                let want = text.get(at..at + lit.len()) == Some(lit);
                let t = one_literal(lit);
                assert_eq!(
                    t.literal_at(line, at, &t.nodes[0]),
                    want,
                    "len {len} at {at}"
                );
                if want {
                    // One byte off anywhere in it.
                    for k in 0..lit.len() {
                        let mut other = lit.to_vec();
                        other[k] ^= 1;
                        let t = one_literal(&other);
                        assert!(
                            !t.literal_at(line, at, &t.nodes[0]),
                            "len {len} at {at} k {k}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn shapes_share_their_common_prefix() {
        let draft = |lits: &[&str]| {
            let mut d = Draft::default();
            for l in &lits[..lits.len() - 1] {
                d.lits.extend_from_slice(l.as_bytes());
                d.steps.push((d.lits.len(), [NO_TARGET; MAX_TARGETS], 0));
            }
            d.lits.extend_from_slice(lits[lits.len() - 1].as_bytes());
            d
        };
        let mut t = Tree::default();
        let added = Learned::Added;
        assert_eq!(t.learn(&draft(&[r#"{"a": "#, r#", "b": "#, "}"])), added);
        assert_eq!(t.nodes.len(), 3);
        let known = t.learn(&draft(&[r#"{"a": "#, r#", "b": "#, "}"]));
        assert_eq!((known, t.nodes.len()), (Learned::Known, 3));
        assert_eq!(t.learn(&draft(&[r#"{"a": "#, r#", "c": "#, "}"])), added);
        assert_eq!(
            t.nodes.len(),
            5,
            "only the literals after the first are new"
        );
        assert_eq!(t.nodes[1].sibling, 3);
        assert_eq!(t.learn(&draft(&[r#"{"a": "#, "}"])), added);
        assert_eq!(t.nodes.len(), 6);
        assert!(t.nodes[5].last);
        // Shapes that part at one point: a bounded number of them.
        let mut n = 0;
        while t.learn(&draft(&[r#"{"a": "#, &format!(r#", "k{n}": "#), "}"])) == added {
            n += 1;
        }
        assert_eq!(n + 3, MAX_SIBLINGS, "{n} more shapes");
        let len = t.nodes.len();
        let more = t.learn(&draft(&[r#"{"a": "#, r#", "z": "#, "}"]));
        assert_eq!((more, t.nodes.len()), (Learned::TooVaried, len));
    }
}
