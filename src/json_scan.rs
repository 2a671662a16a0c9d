//! A validating, allocation-free scanner for one JSON object per line that captures only the
//! fields a run asks for.
//!
//! Building a DOM per line costs more than reading the line: this scanner walks the bytes once,
//! checks the whole line against the JSON grammar (so invalid lines are rejected exactly as a full
//! parser would), and keeps borrowed spans for the few wanted keys. Everything else is skipped.


/// Nesting deeper than this is rejected as invalid, as serde_json does, so hostile input cannot
/// exhaust the stack.
const MAX_DEPTH: usize = 128;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    String,
    Number,
    True,
    False,
    Null,
    Object,
    Array,
}

/// A borrowed JSON value. For strings `raw` is the text between the quotes, escapes intact
/// (`escaped` tells whether there are any); for every other kind it is the value's JSON text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawValue<'a> {
    pub kind: Kind,
    pub raw: &'a [u8],
    pub escaped: bool,
}

impl<'a> RawValue<'a> {
    /// The value as text: a string unescaped, anything else as its JSON text.
    pub fn text(&self) -> std::borrow::Cow<'a, str> {
        match self.kind {
            Kind::String if self.escaped => std::borrow::Cow::Owned(unescape(self.raw)),
            _ => String::from_utf8_lossy(self.raw),
        }
    }

    /// Is this an empty string, object or array, or `false`?
    pub fn is_empty_like(&self) -> bool {
        match self.kind {
            Kind::String => self.raw.is_empty(),
            Kind::Object | Kind::Array => {
                let inner = &self.raw[1..self.raw.len().saturating_sub(1)];
                inner.iter().all(|b| is_ws(*b))
            }
            Kind::False | Kind::Null => true,
            _ => false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanError {
    /// Not well-formed JSON.
    InvalidJson,
    /// Well-formed JSON, but not an object.
    NotObject,
}

/// Where a wanted key's value goes: a slot, and the candidate's rank within that slot (lower wins).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    pub slot: u8,
    pub rank: u8,
}

#[derive(Debug, Default)]
struct Entry {
    key: Box<[u8]>,
    /// The key's first 8 bytes, zero-padded: most keys compare in one instruction.
    prefix: u64,
    targets: Vec<Target>,
    child: Option<Box<Node>>,
}

#[inline(always)]
fn prefix_u64(key: &[u8]) -> u64 {
    if key.len() >= 8 {
        return load_u64(key, 0);
    }
    key.iter()
        .rev()
        .fold(0u64, |acc, &b| (acc << 8) | b as u64)
}

#[inline]
fn load_u64(s: &[u8], i: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&s[i..i + 8]);
    u64::from_le_bytes(a)
}

/// Bytes of `v` that are zero have their high bit set in the result (the lowest such is exact).
#[inline]
fn zero_bytes(v: u64) -> u64 {
    v.wrapping_sub(0x0101_0101_0101_0101) & !v & 0x8080_8080_8080_8080
}

/// One level of the tree of wanted dotted paths.
#[derive(Debug, Default)]
struct Node {
    entries: Vec<Entry>,
    /// Open-addressing table of entry indices (`u16::MAX` is empty), hashed on the key's first
    /// 8 bytes and length: a lookup is a multiply, a load and one or two compares.
    table: Vec<u16>,
    shift: u32,
}

#[inline(always)]
fn key_hash(prefix: u64, len: usize, shift: u32) -> usize {
    ((prefix ^ (len as u64).wrapping_mul(0x9E37_79B9)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift)
        as usize
}

impl Node {
    fn entry_mut(&mut self, key: &[u8]) -> &mut Entry {
        if let Some(i) = self.entries.iter().position(|e| &*e.key == key) {
            return &mut self.entries[i];
        }
        self.entries.push(Entry {
            key: key.into(),
            prefix: prefix_u64(key),
            ..Entry::default()
        });
        self.rebuild();
        let last = self.entries.len() - 1;
        &mut self.entries[last]
    }

    fn rebuild(&mut self) {
        let bits = (self.entries.len() * 4).next_power_of_two().trailing_zeros().max(4);
        self.shift = 64 - bits;
        self.table = vec![u16::MAX; 1 << bits];
        let mask = self.table.len() - 1;
        for (idx, e) in self.entries.iter().enumerate() {
            let mut h = key_hash(e.prefix, e.key.len(), self.shift);
            while self.table[h] != u16::MAX {
                h = (h + 1) & mask;
            }
            self.table[h] = idx as u16;
        }
    }

    #[inline]
    fn lookup(&self, key: &[u8]) -> Option<&Entry> {
        if self.entries.is_empty() {
            return None;
        }
        let p = prefix_u64(key);
        let mask = self.table.len() - 1;
        let mut h = key_hash(p, key.len(), self.shift);
        loop {
            let idx = self.table[h];
            if idx == u16::MAX {
                return None;
            }
            let e = &self.entries[idx as usize];
            if e.prefix == p && e.key.len() == key.len() && tail_eq(&e.key, key) {
                return Some(e);
            }
            h = (h + 1) & mask;
        }
    }
}

impl Node {
    /// [`Node::lookup`] for a key whose [`prefix_u64`] is known.
    #[inline(always)]
    fn lookup_prefixed(&self, p: u64, key: &[u8]) -> Option<&Entry> {
        let mask = self.table.len().wrapping_sub(1);
        let mut h = key_hash(p, key.len(), self.shift) & mask;
        loop {
            let idx = *self.table.get(h)?;
            let e = self.entries.get(idx as usize)?;
            if e.prefix == p && e.key.len() == key.len() && tail_eq(&e.key, key) {
                return Some(e);
            }
            h = (h + 1) & mask;
        }
    }
}

/// Equality of two keys of the same length whose first 8 bytes are known to be equal.
#[inline(always)]
fn tail_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() <= 8 || a[8..].iter().zip(&b[8..]).all(|(x, y)| x == y)
}

/// The set of dotted paths a run wants, each mapped to a slot and rank.
#[derive(Debug, Default)]
pub struct FieldSet {
    root: Node,
    slots: usize,
}

impl FieldSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Wants `path` (dotted for nested objects) in `slot` with `rank` (lower ranks win).
    pub fn want(&mut self, path: &str, slot: u8, rank: u8) {
        let parts: Vec<&str> = path.split('.').collect();
        want_path(&mut self.root, &parts, Target { slot, rank });
        // A key that itself contains a dot (`"http.method": …`) is wanted verbatim too.
        if path.contains('.') {
            let entry = self.root.entry_mut(path.as_bytes());
            if !entry.targets.contains(&Target { slot, rank }) {
                entry.targets.push(Target { slot, rank });
            }
        }
        self.slots = self.slots.max(slot as usize + 1);
    }

    pub fn slots(&self) -> usize {
        self.slots
    }
}

/// A captured value's place in its line, so that one `Captures` serves every line of a chunk.
#[derive(Clone, Copy, Debug)]
struct Capture {
    rank: u8,
    kind: Kind,
    escaped: bool,
    start: usize,
    end: usize,
}

fn want_path(node: &mut Node, parts: &[&str], target: Target) {
    let entry = node.entry_mut(parts[0].as_bytes());
    if parts.len() == 1 {
        entry.targets.push(target);
    } else {
        want_path(entry.child.get_or_insert_with(Box::default), &parts[1..], target);
    }
}

/// Captured values of one line, one per slot: the best-ranked non-null candidate seen.
#[derive(Debug, Clone)]
pub struct Captures {
    values: Vec<Option<Capture>>,
}

impl Captures {
    pub fn new(slots: usize) -> Self {
        Captures {
            values: vec![None; slots],
        }
    }

    #[inline]
    pub fn clear(&mut self) {
        self.values.iter_mut().for_each(|v| *v = None);
    }

    #[inline(always)]
    fn offer(&mut self, target: Target, span: Span) {
        let Some(cell) = self.values.get_mut(target.slot as usize) else {
            return;
        };
        // Equal rank: a duplicated key, where the last one wins as in jq and Python.
        if cell.is_none_or(|c| target.rank <= c.rank) {
            *cell = Some(Capture {
                rank: target.rank,
                kind: span.kind,
                escaped: span.escaped,
                start: span.start,
                end: span.end,
            });
        }
    }

    /// Sets a slot directly (used by text formats, which find values without JSON).
    pub fn set(&mut self, slot: u8, kind: Kind, start: usize, end: usize) {
        if let Some(cell) = self.values.get_mut(slot as usize) {
            *cell = Some(Capture {
                rank: 0,
                kind,
                escaped: false,
                start,
                end,
            });
        }
    }

    /// The value in `slot` of `line` (the line these captures were made from), with its rank.
    #[inline]
    pub fn get<'a>(&self, slot: u8, line: &'a [u8]) -> Option<(u8, RawValue<'a>)> {
        let c = (*self.values.get(slot as usize)?)?;
        Some((
            c.rank,
            RawValue {
                kind: c.kind,
                raw: line.get(c.start..c.end)?,
                escaped: c.escaped,
            },
        ))
    }
}

#[inline]
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Does the line hold a byte outside printable ASCII? Only such lines need UTF-8 validation and
/// the control-character check inside strings. Written as a branch-free fold so it vectorises.
#[inline]
pub fn needs_careful_scan(line: &[u8]) -> bool {
    line.iter()
        .fold(false, |acc, &b| acc | (b.wrapping_sub(0x20) >= 0x5f))
}

/// Scans `line` as one JSON object, filling `out` with the wanted fields.
///
/// `careful` must be true when the line holds control characters or non-ASCII bytes (see
/// [`needs_careful_scan`]); the caller has validated UTF-8.
pub fn scan_object(
    line: &[u8],
    fields: &FieldSet,
    out: &mut Captures,
    careful: bool,
) -> Result<(), ScanError> {
    let mut p = Parser {
        b: line,
        i: 0,
        careful,
    };
    let c = p.ws();
    if c != b'{' {
        // Tell "valid JSON but not an object" from "not JSON".
        p.skip_value(c, 0).map_err(|_| ScanError::InvalidJson)?;
        p.ws();
        return Err(if p.i == p.b.len() {
            ScanError::NotObject
        } else {
            ScanError::InvalidJson
        });
    }
    p.object(&fields.root, out, 0)
        .map_err(|_| ScanError::InvalidJson)?;
    p.ws();
    if p.i != p.b.len() {
        return Err(ScanError::InvalidJson);
    }
    Ok(())
}

struct Bad;

type Parsed<T> = Result<T, Bad>;

const QUOTES: u64 = 0x2222_2222_2222_2222;
const BACKSLASHES: u64 = 0x5c5c_5c5c_5c5c_5c5c;

/// The index of the first `"` or `\` at or after `i`, if any: eight bytes at a time.
#[inline(always)]
fn find_quote_or_backslash_swar(b: &[u8], mut i: usize) -> Option<usize> {
    while i + 8 <= b.len() {
        let w = load_u64(b, i);
        let m = zero_bytes(w ^ QUOTES) | zero_bytes(w ^ BACKSLASHES);
        if m != 0 {
            return Some(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    while i < b.len() {
        if b[i] == b'"' || b[i] == b'\\' {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The index of the first `"` or `\` at or after `i`, if any.
#[inline(always)]
fn find_quote_or_backslash(b: &[u8], i: usize) -> Option<usize> {
    find_quote_or_backslash_swar(b, i)
}

/// The result of scanning a value: its kind, its span in the line (for strings, the text
/// between the quotes) and whether a string has escapes.
#[derive(Clone, Copy)]
struct Span {
    kind: Kind,
    start: usize,
    end: usize,
    escaped: bool,
}

/// A recursive-descent JSON parser over one line, tuned for short tokens: the current byte is
/// read as 0 past the end (0 is invalid everywhere in JSON), which keeps bounds checks out of
/// the branches.
struct Parser<'a> {
    b: &'a [u8],
    i: usize,
    careful: bool,
}

impl Parser<'_> {
    #[inline(always)]
    fn peek(&self) -> u8 {
        match self.b.get(self.i) {
            Some(&c) => c,
            None => 0,
        }
    }

    /// Skips whitespace and returns the byte after it (0 at the end). The common case, no
    /// whitespace or one space, takes one or two compares.
    #[inline(always)]
    fn ws(&mut self) -> u8 {
        let mut c = self.peek();
        if c == b' ' {
            self.i += 1;
            c = self.peek();
        }
        if c > b' ' {
            return c;
        }
        self.ws_more(c)
    }

    #[inline(never)]
    fn ws_more(&mut self, mut c: u8) -> u8 {
        while matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
            c = self.peek();
        }
        c
    }

    #[inline(always)]
    fn check_controls(&self, start: usize, end: usize) -> Parsed<()> {
        if self.careful && self.b[start..end].iter().any(|&c| c < 0x20) {
            return Err(Bad);
        }
        Ok(())
    }

    /// Parses a string whose opening quote is at `self.i`, returning its content span and
    /// whether it has escapes.
    #[inline(always)]
    fn string(&mut self) -> Parsed<(usize, usize, bool)> {
        let start = self.i + 1;
        let Some(j) = find_quote_or_backslash(self.b, start) else {
            return Err(Bad);
        };
        if self.b[j] == b'"' {
            self.check_controls(start, j)?;
            self.i = j + 1;
            return Ok((start, j, false));
        }
        self.string_escaped(start, j)
    }

    /// The rest of a string from its first backslash at `j`.
    #[inline(never)]
    fn string_escaped(&mut self, start: usize, mut j: usize) -> Parsed<(usize, usize, bool)> {
        let b = self.b;
        loop {
            // `b[j]` is a backslash.
            match b.get(j + 1) {
                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => j += 2,
                Some(b'u') => {
                    let hex = b.get(j + 2..j + 6).ok_or(Bad)?;
                    if !hex.iter().all(u8::is_ascii_hexdigit) {
                        return Err(Bad);
                    }
                    j += 6;
                }
                _ => return Err(Bad),
            }
            j = find_quote_or_backslash(b, j).ok_or(Bad)?;
            if b[j] == b'"' {
                self.check_controls(start, j)?;
                self.i = j + 1;
                return Ok((start, j, true));
            }
        }
    }

    /// Parses a key whose opening quote is at `self.i`: its span, whether it has escapes, and
    /// (without escapes) its first 8 bytes zero-padded, as [`prefix_u64`] would give.
    #[inline(always)]
    fn key(&mut self) -> Parsed<(usize, usize, bool, u64)> {
        let b = self.b;
        let start = self.i + 1;
        if start + 8 <= b.len() {
            let w = load_u64(b, start);
            let q = zero_bytes(w ^ QUOTES);
            let m = q | zero_bytes(w ^ BACKSLASHES);
            // The lowest flagged byte is exact, and is a quote if `q` flags it.
            let low = m & m.wrapping_neg();
            if q & low != 0 {
                let len = (low.trailing_zeros() / 8) as usize;
                self.check_controls(start, start + len)?;
                self.i = start + len + 1;
                return Ok((start, start + len, false, w & ((low >> 7) - 1)));
            }
            if m == 0 {
                // Eight or more bytes: find the end from there.
                let j = find_quote_or_backslash(b, start + 8).ok_or(Bad)?;
                if b[j] == b'"' {
                    self.check_controls(start, j)?;
                    self.i = j + 1;
                    return Ok((start, j, false, w));
                }
                let (s, e, _) = self.string_escaped(start, j)?;
                return Ok((s, e, true, 0));
            }
        }
        let (s, e, escaped) = self.string()?;
        Ok((s, e, escaped, if escaped { 0 } else { prefix_u64(&b[s..e]) }))
    }

    /// Skips a run of ASCII digits from `i`, eight at a time, returning where it ends.
    #[inline(always)]
    fn digits(&self, mut i: usize) -> usize {
        let b = self.b;
        while i + 8 <= b.len() {
            let x = load_u64(b, i) ^ 0x3030_3030_3030_3030;
            // High bit set in each byte that is not a digit (x >= 10); no carries cross bytes.
            let non_digit = (((x & 0x7f7f_7f7f_7f7f_7f7f) + 0x7676_7676_7676_7676) | x)
                & 0x8080_8080_8080_8080;
            if non_digit != 0 {
                return i + (non_digit.trailing_zeros() / 8) as usize;
            }
            i += 8;
        }
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        i
    }

    #[inline(always)]
    fn at(&self, i: usize) -> u8 {
        match self.b.get(i) {
            Some(&c) => c,
            None => 0,
        }
    }

    /// Parses a number at `self.i` (whose first byte is `c`).
    #[inline(always)]
    fn number(&mut self, c: u8) -> Parsed<()> {
        let mut i = self.i;
        let mut c = c;
        if c == b'-' {
            i += 1;
            c = self.at(i);
        }
        if c == b'0' {
            i += 1;
        } else if c.wrapping_sub(b'1') < 9 {
            i = self.digits(i + 1);
        } else {
            return Err(Bad);
        }
        let mut c = self.at(i);
        if c == b'.' {
            let end = self.digits(i + 1);
            if end == i + 1 {
                return Err(Bad);
            }
            i = end;
            c = self.at(i);
        }
        if c | 0x20 == b'e' {
            i += 1;
            if matches!(self.at(i), b'+' | b'-') {
                i += 1;
            }
            let end = self.digits(i);
            if end == i {
                return Err(Bad);
            }
            i = end;
        }
        self.i = i;
        Ok(())
    }

    /// Matches the literal `word` at `self.i`.
    #[inline(always)]
    fn literal<const N: usize>(&mut self, word: &[u8; N]) -> Parsed<()> {
        match self.b.get(self.i..self.i + N) {
            Some(w) if w == word => {
                self.i += N;
                Ok(())
            }
            _ => Err(Bad),
        }
    }

    /// Parses any value whose first byte `c` is at `self.i`, returning its span.
    #[inline(always)]
    fn value(&mut self, c: u8, depth: usize) -> Parsed<Span> {
        let start = self.i;
        let kind = match c {
            b'"' => {
                let (s, e, escaped) = self.string()?;
                return Ok(Span {
                    kind: Kind::String,
                    start: s,
                    end: e,
                    escaped,
                });
            }
            b'{' => {
                self.skip_object(depth)?;
                Kind::Object
            }
            b'[' => {
                self.skip_array(depth)?;
                Kind::Array
            }
            b't' => {
                self.literal(b"true")?;
                Kind::True
            }
            b'f' => {
                self.literal(b"false")?;
                Kind::False
            }
            b'n' => {
                self.literal(b"null")?;
                Kind::Null
            }
            _ => {
                self.number(c)?;
                Kind::Number
            }
        };
        Ok(Span {
            kind,
            start,
            end: self.i,
            escaped: false,
        })
    }

    /// Skips any value whose first byte `c` is at `self.i`.
    #[inline(always)]
    fn skip_value(&mut self, c: u8, depth: usize) -> Parsed<()> {
        match c {
            b'"' => self.string().map(|_| ()),
            b'{' => self.skip_object(depth),
            b'[' => self.skip_array(depth),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.number(c),
        }
    }

    /// After a member or element: `,` (returning the byte after it and its whitespace) or
    /// `close` (returning `None`).
    #[inline(always)]
    fn next_or_close(&mut self, close: u8) -> Parsed<Option<u8>> {
        let c = self.ws();
        if c == b',' {
            self.i += 1;
            return Ok(Some(self.ws()));
        }
        if c == close {
            self.i += 1;
            return Ok(None);
        }
        Err(Bad)
    }

    /// Skips an array whose `[` is at `self.i`.
    fn skip_array(&mut self, depth: usize) -> Parsed<()> {
        if depth >= MAX_DEPTH {
            return Err(Bad);
        }
        self.i += 1;
        let mut c = self.ws();
        if c == b']' {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.skip_value(c, depth + 1)?;
            match self.next_or_close(b']')? {
                Some(n) => c = n,
                None => return Ok(()),
            }
        }
    }

    /// After a key: the `:` and whitespace around it, returning the value's first byte.
    #[inline(always)]
    fn colon(&mut self) -> Parsed<u8> {
        // The common `": "` in one compare of two bytes.
        if self.b.get(self.i..self.i + 2) == Some(b": ") {
            self.i += 2;
            let c = self.peek();
            if c > b' ' {
                return Ok(c);
            }
            return Ok(self.ws_more(c));
        }
        if self.ws() != b':' {
            return Err(Bad);
        }
        self.i += 1;
        Ok(self.ws())
    }

    /// Skips an object whose `{` is at `self.i`, checking its grammar only.
    fn skip_object(&mut self, depth: usize) -> Parsed<()> {
        if depth >= MAX_DEPTH {
            return Err(Bad);
        }
        self.i += 1;
        let mut c = self.ws();
        if c == b'}' {
            self.i += 1;
            return Ok(());
        }
        loop {
            if c != b'"' {
                return Err(Bad);
            }
            self.string()?;
            let v = self.colon()?;
            self.skip_value(v, depth + 1)?;
            match self.next_or_close(b'}')? {
                Some(n) => c = n,
                None => return Ok(()),
            }
        }
    }

    /// Parses an object whose `{` is at `self.i`, capturing the keys `node` wants into `out`.
    fn object(&mut self, node: &Node, out: &mut Captures, depth: usize) -> Parsed<()> {
        if depth >= MAX_DEPTH {
            return Err(Bad);
        }
        self.i += 1;
        let mut c = self.ws();
        if c == b'}' {
            self.i += 1;
            return Ok(());
        }
        loop {
            if c != b'"' {
                return Err(Bad);
            }
            let (ks, ke, key_escaped, prefix) = self.key()?;
            let v = self.colon()?;
            let entry = if key_escaped {
                node.lookup(unescape(&self.b[ks..ke]).as_bytes())
            } else {
                node.lookup_prefixed(prefix, &self.b[ks..ke])
            };
            match entry {
                None => self.skip_value(v, depth + 1)?,
                Some(e) => self.capture(e, v, out, depth + 1)?,
            }
            match self.next_or_close(b'}')? {
                Some(n) => c = n,
                None => return Ok(()),
            }
        }
    }

    /// Parses the value (first byte `c`) of a wanted key and offers it to the key's targets.
    #[inline(never)]
    fn capture(&mut self, e: &Entry, c: u8, out: &mut Captures, depth: usize) -> Parsed<()> {
        let span = match &e.child {
            Some(child) if c == b'{' => {
                let start = self.i;
                self.object(child, out, depth)?;
                Span {
                    kind: Kind::Object,
                    start,
                    end: self.i,
                    escaped: false,
                }
            }
            _ => self.value(c, depth)?,
        };
        if span.kind != Kind::Null {
            for &t in &e.targets {
                out.offer(t, span);
            }
        }
        Ok(())
    }
}

/// Decodes JSON string escapes. The input was validated by the scanner; a lone surrogate becomes
/// U+FFFD rather than an error, so no message is ever lost.
pub fn unescape(raw: &[u8]) -> String {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let c = raw[i];
        if c != b'\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let esc = raw.get(i + 1).copied().unwrap_or(b'\\');
        i += 2;
        let simple = match esc {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            b'/' => Some(b'/'),
            b'b' => Some(0x08),
            b'f' => Some(0x0c),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            continue;
        }
        let hex = |at: usize| -> Option<u32> {
            let h = raw.get(at..at + 4)?;
            u32::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
        };
        let Some(hi) = hex(i) else {
            out.extend_from_slice("\u{FFFD}".as_bytes());
            continue;
        };
        i += 4;
        let mut ch = char::from_u32(hi);
        if (0xD800..0xDC00).contains(&hi) && raw.get(i..i + 2) == Some(b"\\u") {
            if let Some(lo) = hex(i + 2).filter(|lo| (0xDC00..0xE000).contains(lo)) {
                ch = char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
                i += 6;
            }
        }
        let ch = ch.unwrap_or('\u{FFFD}');
        let mut buf = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(paths: &[&str]) -> FieldSet {
        let mut f = FieldSet::new();
        for (i, p) in paths.iter().enumerate() {
            f.want(p, i as u8, 0);
        }
        f
    }

    fn scan(line: &str, f: &FieldSet) -> Result<Vec<Option<String>>, ScanError> {
        let mut c = Captures::new(f.slots());
        scan_object(
            line.as_bytes(),
            f,
            &mut c,
            needs_careful_scan(line.as_bytes()),
        )?;
        Ok((0..f.slots())
            .map(|i| c.get(i as u8, line.as_bytes()).map(|(_, r)| r.text().into_owned()))
            .collect())
    }

    #[test]
    fn captures_top_level_and_nested() {
        let f = fields(&["ts", "fields.model", "error"]);
        let got = scan(
            r#"{"ts": 1.5, "x": [1, {"a": "}"}], "fields": {"model": "claude", "n": 2}, "error": null}"#,
            &f,
        )
        .unwrap();
        assert_eq!(got, vec![Some("1.5".into()), Some("claude".into()), None]);
    }

    #[test]
    fn lower_rank_wins_and_duplicates_take_last() {
        let mut f = FieldSet::new();
        f.want("time", 0, 1);
        f.want("ts", 0, 0);
        let mut c = Captures::new(1);
        let line = br#"{"time": "a", "ts": 2, "ts": 3}"#;
        scan_object(line, &f, &mut c, false).unwrap();
        assert_eq!(c.get(0, line).unwrap().1.raw, b"3");
        c.clear();
        let line = br#"{"ts": 2, "time": "a"}"#;
        scan_object(line, &f, &mut c, false).unwrap();
        assert_eq!(c.get(0, line).unwrap().1.raw, b"2");
    }

    #[test]
    fn escaped_strings_and_keys() {
        let f = fields(&["msg", "ts"]);
        let got = scan(r#"{"msg": "a\"b\\c\u00e9\ud83d\ude00", "\u0074s": 7}"#, &f).unwrap();
        assert_eq!(got, vec![Some("a\"b\\cé😀".into()), Some("7".into())]);
    }

    #[test]
    fn rejects_malformed() {
        let f = fields(&["ts"]);
        for bad in [
            "",
            "{",
            r#"{"ts": 1"#,
            r#"{"ts": 1,}"#,
            r#"{"ts" 1}"#,
            r#"{"ts": 01}"#,
            r#"{"ts": 1.}"#,
            r#"{"ts": -}"#,
            r#"{"ts": tru}"#,
            r#"{"ts": "a\x"}"#,
            r#"{"ts": "a\u12"}"#,
            r#"{"ts": 1} x"#,
            r#"{'ts': 1}"#,
            "{\"ts\": \"a\tb\"}",
            "{\"ts\": \"a\0b\"}",
            r#"{"a": [1, 2,]}"#,
            "hello world",
        ] {
            assert_eq!(scan(bad, &f), Err(ScanError::InvalidJson), "{bad:?}");
        }
    }

    #[test]
    fn numbers_of_every_length() {
        let f = fields(&["n"]);
        for len in 1..30 {
            let digits: String = (0..len).map(|i| char::from(b'1' + (i % 9) as u8)).collect();
            for n in [
                digits.clone(),
                format!("-{digits}"),
                format!("{digits}.{digits}"),
                format!("{digits}e{len}"),
                format!("{digits}.5E-{len}"),
            ] {
                let line = format!(r#"{{"n": {n}, "z": [{n}]}}"#);
                assert_eq!(scan(&line, &f).unwrap()[0].as_deref(), Some(n.as_str()));
            }
            for bad in [format!("{digits}."), format!("{digits}e"), format!("0{digits}")] {
                let line = format!(r#"{{"n": {bad}}}"#);
                assert_eq!(scan(&line, &f), Err(ScanError::InvalidJson), "{bad}");
            }
        }
    }

    #[test]
    fn tells_non_objects_apart() {
        let f = fields(&["ts"]);
        for v in ["[1, 2]", "42", "\"text\"", "null", " true "] {
            assert_eq!(scan(v, &f), Err(ScanError::NotObject), "{v:?}");
        }
    }

    #[test]
    fn deep_nesting_is_rejected_not_a_crash() {
        let f = fields(&["ts"]);
        let deep = format!("{{\"a\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(scan(&deep, &f), Err(ScanError::InvalidJson));
    }

    #[test]
    fn strings_of_every_length_with_escapes_anywhere() {
        let f = fields(&["k"]);
        let text = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        for len in 0..text.len() {
            for pos in 0..=len {
                let (head, tail) = text[..len].split_at(pos);
                let value = format!("{head}\\\"{tail}");
                let line = format!(r#"{{"k": "{value}", "z": 1}}"#);
                let got = scan(&line, &f).unwrap();
                assert_eq!(got[0].as_deref(), Some(format!("{head}\"{tail}").as_str()));
                let cut = format!(r#"{{"k": "{head}"#);
                assert_eq!(scan(&cut, &f), Err(ScanError::InvalidJson));
            }
        }
    }

    #[test]
    fn careful_check_flags_control_and_non_ascii() {
        assert!(!needs_careful_scan(b"{\"a\": \"~ok\"}"));
        assert!(needs_careful_scan(b"{\"a\": \"\t\"}"));
        assert!(needs_careful_scan("{\"a\": \"é\"}".as_bytes()));
        assert!(needs_careful_scan(b"\x7f"));
    }

    #[test]
    fn empty_like_values() {
        let f = fields(&["e"]);
        for (line, empty) in [
            (r#"{"e": ""}"#, true),
            (r#"{"e": { }}"#, true),
            (r#"{"e": []}"#, true),
            (r#"{"e": false}"#, true),
            (r#"{"e": "x"}"#, false),
            (r#"{"e": {"m": 1}}"#, false),
            (r#"{"e": true}"#, false),
        ] {
            let mut c = Captures::new(1);
            scan_object(line.as_bytes(), &f, &mut c, false).unwrap();
            assert_eq!(
                c.get(0, line.as_bytes()).unwrap().1.is_empty_like(),
                empty,
                "{line}"
            );
        }
    }
}
