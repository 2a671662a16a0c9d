//! `--pattern REGEX`: named captures become fields (`(?P<time>…)`, `(?P<latency_ms>…)`,
//! `(?P<level>…)`, `(?P<msg>…)`, any other name too). A line the regex does not match is
//! skipped as `no_match`.

use super::{NoMatch, Out};
use regex::bytes::Regex;

/// A compiled pattern with its capture names.
#[derive(Debug, Clone)]
pub struct Pattern {
    re: Regex,
    names: Vec<(usize, String)>,
}

impl Pattern {
    pub fn new(text: &str) -> anyhow::Result<Pattern> {
        let re = Regex::new(text).map_err(|e| {
            anyhow::anyhow!(
                "invalid --pattern: {}",
                crate::filter::one_line_regex_error(&e)
            )
        })?;
        let names: Vec<(usize, String)> = re
            .capture_names()
            .enumerate()
            .filter_map(|(i, n)| Some((i, n?.to_string())))
            .collect();
        if names.is_empty() {
            anyhow::bail!("invalid --pattern: it has no named captures such as (?P<time>…) or (?P<latency_ms>…)");
        }
        Ok(Pattern { re, names })
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|(_, n)| n.as_str())
    }

    pub fn scan(&self, out: &mut Out) -> Result<(), NoMatch> {
        let caps = self.re.captures(out.line).ok_or(NoMatch)?;
        for (i, name) in &self.names {
            if let Some(m) = caps.get(*i) {
                out.bare(name.as_bytes(), m.start(), m.end());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_scan::{Captures, FieldSet};

    #[test]
    fn named_captures_become_fields() {
        let p = Pattern::new(r"^(?P<time>\S+) (?P<op>\w+) took (?P<latency_ms>[\d.]+)ms").unwrap();
        let mut set = FieldSet::new();
        for (i, k) in ["time", "op", "latency_ms"].iter().enumerate() {
            set.want(k, i as u8, 0);
        }
        let line = b"2024-01-15T10:30:45Z fetch took 12.5ms";
        let mut caps = Captures::new(3);
        let mut out = Out {
            set: &set,
            caps: &mut caps,
            line,
        };
        p.scan(&mut out).unwrap();
        let (_, v) = caps.get(2, line).unwrap();
        assert_eq!(
            (v.kind, v.raw),
            (crate::json_scan::Kind::Number, &b"12.5"[..])
        );
        assert_eq!(caps.get(1, line).unwrap().1.raw, b"fetch");
        let mut out = Out {
            set: &set,
            caps: &mut caps,
            line: b"something else",
        };
        assert!(p.scan(&mut out).is_err());
        assert!(Pattern::new(r"\d+").is_err());
        assert!(Pattern::new(r"(?P<x>").is_err());
    }
}
