//! A validating, allocation-free scanner for one JSON object per line that captures only the
//! fields a run asks for.
//!
//! Building a DOM per line costs more than reading the line: this scanner walks the bytes once,
//! checks the whole line against the JSON grammar (so invalid lines are rejected exactly as a full
//! parser would), and keeps borrowed spans for the few wanted keys. Everything else is skipped.

use memchr::memchr2;

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

#[inline]
fn prefix_u64(key: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    let n = key.len().min(8);
    a[..n].copy_from_slice(&key[..n]);
    u64::from_le_bytes(a)
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

/// The position of the first `"` or `\\`. Strings are mostly short, so a word at a time beats
/// setting up a vector search; long strings go to memchr.
#[inline]
fn find_quote_or_backslash(s: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i + 8 <= s.len() {
        let w = load_u64(s, i);
        let m = zero_bytes(w ^ 0x2222_2222_2222_2222) | zero_bytes(w ^ 0x5c5c_5c5c_5c5c_5c5c);
        if m != 0 {
            return Some(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
        if i == 32 {
            return memchr2(b'"', b'\\', &s[i..]).map(|p| p + i);
        }
    }
    s[i..]
        .iter()
        .position(|&c| c == b'"' || c == b'\\')
        .map(|p| p + i)
}

/// One level of the tree of wanted dotted paths.
#[derive(Debug, Default)]
struct Node {
    entries: Vec<Entry>,
    /// Entry indices by key length, so a lookup compares only keys of the right length.
    by_len: Vec<Vec<u16>>,
}

impl Node {
    fn entry_mut(&mut self, key: &[u8]) -> &mut Entry {
        if let Some(i) = self.entries.iter().position(|e| &*e.key == key) {
            return &mut self.entries[i];
        }
        let idx = self.entries.len();
        self.entries.push(Entry {
            key: key.into(),
            prefix: prefix_u64(key),
            ..Entry::default()
        });
        if self.by_len.len() <= key.len() {
            self.by_len.resize(key.len() + 1, Vec::new());
        }
        self.by_len[key.len()].push(idx as u16);
        &mut self.entries[idx]
    }

    #[inline]
    fn lookup(&self, key: &[u8]) -> Option<&Entry> {
        let bucket = self.by_len.get(key.len())?;
        if bucket.is_empty() {
            return None;
        }
        let p = prefix_u64(key);
        bucket
            .iter()
            .map(|&i| &self.entries[i as usize])
            .find(|e| e.prefix == p && (key.len() <= 8 || e.key[8..] == key[8..]))
    }
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

    #[inline]
    fn offer(&mut self, target: Target, value: RawValue<'_>, line: &[u8]) {
        let Some(cell) = self.values.get_mut(target.slot as usize) else {
            return;
        };
        // Equal rank: a duplicated key, where the last one wins as in jq and Python.
        if cell.is_none_or(|c| target.rank <= c.rank) {
            let start = value.raw.as_ptr() as usize - line.as_ptr() as usize;
            *cell = Some(Capture {
                rank: target.rank,
                kind: value.kind,
                escaped: value.escaped,
                start,
                end: start + value.raw.len(),
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
pub fn scan_object<'a>(
    line: &'a [u8],
    fields: &FieldSet,
    out: &mut Captures,
    careful: bool,
) -> Result<(), ScanError> {
    let mut p = Parser {
        b: line,
        i: 0,
        careful,
    };
    p.skip_ws();
    if p.peek() != Some(b'{') {
        // Tell "valid JSON but not an object" from "not JSON".
        p.skip_value(0).map_err(|_| ScanError::InvalidJson)?;
        p.skip_ws();
        return Err(if p.i == p.b.len() {
            ScanError::NotObject
        } else {
            ScanError::InvalidJson
        });
    }
    p.object(Some(&fields.root), out, 0)
        .map_err(|_| ScanError::InvalidJson)?;
    p.skip_ws();
    if p.i != p.b.len() {
        return Err(ScanError::InvalidJson);
    }
    Ok(())
}

struct Bad;

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
    careful: bool,
}

impl<'a> Parser<'a> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline]
    fn skip_ws(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            if !is_ws(c) {
                break;
            }
            self.i += 1;
        }
    }

    #[inline]
    fn expect(&mut self, c: u8) -> Result<(), Bad> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(Bad)
        }
    }

    /// Parses a string at `self.i` (which must be `"`), returning its content span and whether it
    /// has escapes.
    #[inline]
    fn string(&mut self) -> Result<(&'a [u8], bool), Bad> {
        self.expect(b'"')?;
        let start = self.i;
        let mut escaped = false;
        loop {
            let rest = &self.b[self.i..];
            let j = find_quote_or_backslash(rest).ok_or(Bad)?;
            if rest[j] == b'"' {
                let content = &self.b[start..self.i + j];
                self.i += j + 1;
                if self.careful && content.iter().any(|&c| c < 0x20) {
                    return Err(Bad);
                }
                return Ok((content, escaped));
            }
            escaped = true;
            let esc = *rest.get(j + 1).ok_or(Bad)?;
            match esc {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.i += j + 2,
                b'u' => {
                    let hex = rest.get(j + 2..j + 6).ok_or(Bad)?;
                    if !hex.iter().all(u8::is_ascii_hexdigit) {
                        return Err(Bad);
                    }
                    self.i += j + 6;
                }
                _ => return Err(Bad),
            }
        }
    }

    #[inline]
    fn digits(&mut self) -> usize {
        let start = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<&'a [u8], Bad> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(Bad),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(Bad);
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(Bad);
            }
        }
        Ok(&self.b[start..self.i])
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), Bad> {
        if self.b[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err(Bad)
        }
    }

    /// Parses any value, returning it as a [`RawValue`].
    fn value(&mut self, depth: usize) -> Result<RawValue<'a>, Bad> {
        let start = self.i;
        let (kind, raw, escaped) = match self.peek().ok_or(Bad)? {
            b'"' => {
                let (s, e) = self.string()?;
                (Kind::String, s, e)
            }
            b'{' => {
                self.object(None, &mut Captures { values: Vec::new() }, depth)?;
                (Kind::Object, &self.b[start..self.i], false)
            }
            b'[' => {
                self.array(depth)?;
                (Kind::Array, &self.b[start..self.i], false)
            }
            b't' => {
                self.literal(b"true")?;
                (Kind::True, &self.b[start..self.i], false)
            }
            b'f' => {
                self.literal(b"false")?;
                (Kind::False, &self.b[start..self.i], false)
            }
            b'n' => {
                self.literal(b"null")?;
                (Kind::Null, &self.b[start..self.i], false)
            }
            _ => (Kind::Number, self.number()?, false),
        };
        Ok(RawValue { kind, raw, escaped })
    }

    fn skip_value(&mut self, depth: usize) -> Result<(), Bad> {
        match self.peek().ok_or(Bad)? {
            b'"' => self.string().map(|_| ()),
            b'{' => self.object(None, &mut Captures { values: Vec::new() }, depth),
            b'[' => self.array(depth),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.number().map(|_| ()),
        }
    }

    fn array(&mut self, depth: usize) -> Result<(), Bad> {
        if depth >= MAX_DEPTH {
            return Err(Bad);
        }
        self.expect(b'[')?;
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.skip_ws();
            self.skip_value(depth + 1)?;
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(Bad),
            }
        }
    }

    /// Parses an object; with `node`, captures the wanted keys into `out`.
    fn object(
        &mut self,
        node: Option<&Node>,
        out: &mut Captures,
        depth: usize,
    ) -> Result<(), Bad> {
        if depth >= MAX_DEPTH {
            return Err(Bad);
        }
        self.expect(b'{')?;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.skip_ws();
            let (key, key_escaped) = self.string()?;
            self.skip_ws();
            self.expect(b':')?;
            self.skip_ws();
            let entry = match node {
                Some(n) if key_escaped => n.lookup(unescape(key).as_bytes()),
                Some(n) => n.lookup(key),
                None => None,
            };
            match entry {
                None => self.skip_value(depth + 1)?,
                Some(e) => {
                    let start = self.i;
                    let value = match (&e.child, self.peek()) {
                        (Some(child), Some(b'{')) => {
                            self.object(Some(child), out, depth + 1)?;
                            RawValue {
                                kind: Kind::Object,
                                raw: &self.b[start..self.i],
                                escaped: false,
                            }
                        }
                        _ => self.value(depth + 1)?,
                    };
                    if value.kind != Kind::Null {
                        for &t in &e.targets {
                            out.offer(t, value, self.b);
                        }
                    }
                }
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(Bad),
            }
        }
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
    fn quote_search_matches_naive() {
        let text = br#"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"#;
        for len in 0..text.len() {
            for pos in 0..=len {
                for c in [b'"', b'\\'] {
                    let mut s = text[..len].to_vec();
                    if pos < len {
                        s[pos] = c;
                    }
                    let naive = s.iter().position(|&b| b == b'"' || b == b'\\');
                    assert_eq!(find_quote_or_backslash(&s), naive, "{len} {pos}");
                }
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
