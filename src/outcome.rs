//! The outcome rule: whether a record is an event or an outcome, and whether an outcome failed.

use crate::json_scan::{Kind, RawValue};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Not a request or operation: a log event.
    Event,
    Success,
    Failure,
}

/// `text` without surrounding ASCII whitespace, lower-cased into `buf`, when it is no longer
/// than the longest word the rule knows (9 bytes): longer text is none of them.
fn short_lowercase<'b>(text: &[u8], buf: &'b mut [u8; 9]) -> Option<&'b [u8]> {
    let text = crate::timefmt::trim_ascii(text);
    let word = buf.get_mut(..text.len())?;
    for (w, c) in word.iter_mut().zip(text) {
        *w = c.to_ascii_lowercase();
    }
    Some(word)
}

/// Is `text` a failure word of a status (case-insensitive)? One `match`, where a loop of
/// comparisons over the list took 150 instructions for a status that is not one.
fn is_failure_word(text: &[u8]) -> bool {
    let mut buf = [0; 9];
    matches!(
        short_lowercase(text, &mut buf),
        Some(
            b"error"
                | b"errored"
                | b"err"
                | b"fail"
                | b"failed"
                | b"failure"
                | b"failing"
                | b"timeout"
                | b"timed_out"
                | b"timedout"
                | b"fatal"
                | b"crash"
                | b"crashed"
                | b"abort"
                | b"aborted"
                | b"exception"
                | b"panic"
                | b"rejected"
                | b"denied"
                | b"unhealthy"
                | b"ko"
                | b"killed"
        )
    )
}

/// Is `text` a level of error or worse (case-insensitive)?
fn is_error_level(text: &[u8]) -> bool {
    let mut buf = [0; 9];
    matches!(
        short_lowercase(text, &mut buf),
        Some(
            b"error"
                | b"err"
                | b"fatal"
                | b"critical"
                | b"crit"
                | b"panic"
                | b"dpanic"
                | b"alert"
                | b"emerg"
                | b"emergency"
                | b"severe"
        )
    )
}

/// The value of a run of ASCII digits, `None` when it is empty, holds another byte or
/// overflows u64.
fn digits_value(text: &[u8]) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.iter().try_fold(0u64, |n, &c| {
        let d = c.wrapping_sub(b'0');
        (d < 10).then_some(())?;
        n.checked_mul(10)?.checked_add(u64::from(d))
    })
}

/// A JSON number at least `bound`: whole numbers read as digits, others (`503.0`, `5e2`) by the
/// float parser.
fn number_at_least(raw: &[u8], bound: u64) -> Option<bool> {
    if let Some(n) = digits_value(raw) {
        return Some(n >= bound);
    }
    let n: f64 = std::str::from_utf8(raw).ok()?.parse().ok()?;
    Some(n >= bound as f64)
}

/// What a record says about its outcome, as found in its fields.
#[derive(Clone, Copy, Debug, Default)]
pub struct OutcomeSignals<'a> {
    pub has_latency: bool,
    pub success: Option<bool>,
    pub status: Option<RawValue<'a>>,
    /// Only a non-empty error.
    pub error: Option<RawValue<'a>>,
    pub level: Option<RawValue<'a>>,
}

/// Reads a status value as a failure or not. `None` when the status is not a usable scalar.
pub fn status_is_failure(status: &RawValue) -> Option<bool> {
    match status.kind {
        Kind::Number => number_at_least(status.raw, 500),
        Kind::String => {
            let unescaped = status.unescaped_bytes();
            let text = crate::timefmt::trim_ascii(&unescaped);
            Some(match digits_value(text) {
                Some(code) => code >= 500,
                None => is_failure_word(text),
            })
        }
        Kind::True | Kind::False => Some(false),
        _ => None,
    }
}

/// Is the level error or worse?
pub fn level_is_error(level: &RawValue) -> bool {
    match level.kind {
        Kind::String => {
            let unescaped = level.unescaped_bytes();
            let text = crate::timefmt::trim_ascii(&unescaped);
            // slog writes levels above ERROR as `ERROR+2`.
            let word = text
                .iter()
                .position(|&b| b == b'+')
                .map_or(text, |p| &text[..p]);
            is_error_level(word)
        }
        Kind::Number => number_at_least(level.raw, 50).unwrap_or(false),
        _ => false,
    }
}

/// Applies the outcome rule (documented in the README).
pub fn classify(s: &OutcomeSignals) -> Outcome {
    let status_failed = s.status.and_then(|st| status_is_failure(&st));
    let is_outcome =
        s.has_latency || s.success.is_some() || status_failed.is_some() || s.error.is_some();
    if !is_outcome {
        return Outcome::Event;
    }
    if let Some(ok) = s.success {
        return if ok {
            Outcome::Success
        } else {
            Outcome::Failure
        };
    }
    if status_failed == Some(true) {
        return Outcome::Failure;
    }
    if s.error.is_some() {
        return Outcome::Failure;
    }
    if s.level.is_some_and(|l| level_is_error(&l)) {
        return Outcome::Failure;
    }
    Outcome::Success
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> RawValue<'_> {
        RawValue {
            kind: Kind::String,
            raw: text.as_bytes(),
            escaped: false,
        }
    }

    fn n(text: &str) -> RawValue<'_> {
        RawValue {
            kind: Kind::Number,
            raw: text.as_bytes(),
            escaped: false,
        }
    }

    #[test]
    fn escaped_words_are_read_unescaped() {
        let escaped = |text: &'static str| RawValue {
            kind: Kind::String,
            raw: text.as_bytes(),
            escaped: true,
        };
        assert_eq!(status_is_failure(&escaped(r"ERR\u004FR")), Some(true));
        assert_eq!(
            status_is_failure(&escaped(r"\u0035\u0030\u0033")),
            Some(true)
        );
        assert_eq!(status_is_failure(&escaped(r"\u006fk")), Some(false));
        assert!(level_is_error(&escaped(r"\u0065rror")));
        assert!(!level_is_error(&escaped(r"\u0069nfo")));
    }

    /// The README's lists, in any case and with spaces around; nothing else, not even a prefix.
    #[test]
    fn the_readme_words_and_no_others() {
        let failure = "error errored err fail failed failure failing timeout timed_out timedout \
                       fatal crash crashed abort aborted exception panic rejected denied \
                       unhealthy ko killed";
        let levels = "error err fatal critical crit panic dpanic alert emerg emergency severe";
        for (list, read) in [
            (failure, is_failure_word as fn(&[u8]) -> bool),
            (levels, is_error_level),
        ] {
            for w in list.split_whitespace() {
                for text in [w.to_string(), w.to_uppercase(), format!(" {w}\t")] {
                    assert!(read(text.as_bytes()), "{text:?}");
                }
                for text in [&w[..w.len() - 1], &format!("{w}s"), &format!("x{w}")] {
                    assert!(!read(text.as_bytes()), "{text:?}");
                }
            }
        }
        for text in [
            "",
            "ok",
            "success",
            "exceptions",
            "unhealthy!",
            "erro r",
            "\u{e9}rror",
        ] {
            assert!(!is_failure_word(text.as_bytes()), "{text:?}");
        }
    }

    #[test]
    fn numeric_statuses_and_levels() {
        for (raw, fail) in [
            ("500", true),
            ("499", false),
            ("503.0", true),
            ("5e2", true),
            ("-503", false),
            ("99999999999999999999999", true),
        ] {
            assert_eq!(status_is_failure(&n(raw)), Some(fail), "{raw}");
        }
        for (raw, fail) in [
            ("503", Some(true)),
            (" 404 ", Some(false)),
            ("00000000000000000000000600", Some(true)),
            ("99999999999999999999999", Some(false)),
            ("", Some(false)),
        ] {
            assert_eq!(status_is_failure(&s(raw)), fail, "{raw:?}");
        }
        assert!(level_is_error(&n("50")));
        assert!(level_is_error(&n("50.5")));
        assert!(!level_is_error(&n("49.9")));
        assert!(!level_is_error(&n("30")));
    }

    #[test]
    fn events_have_no_outcome_signal() {
        let sig = OutcomeSignals {
            level: Some(s("error")),
            ..Default::default()
        };
        assert_eq!(classify(&sig), Outcome::Event);
    }

    #[test]
    fn success_flag_wins() {
        let sig = OutcomeSignals {
            success: Some(true),
            status: Some(s("failed")),
            error: Some(s("boom")),
            level: Some(s("error")),
            ..Default::default()
        };
        assert_eq!(classify(&sig), Outcome::Success);
        let sig = OutcomeSignals {
            success: Some(false),
            status: Some(n("200")),
            ..Default::default()
        };
        assert_eq!(classify(&sig), Outcome::Failure);
    }

    #[test]
    fn status_words_and_http_codes() {
        for (st, fail) in [
            (s("success"), false),
            (s("Timeout"), true),
            (s("FAILED"), true),
            (n("503"), true),
            (n("404"), false),
            (s("500"), true),
            (s("healthy"), false),
        ] {
            let sig = OutcomeSignals {
                status: Some(st),
                ..Default::default()
            };
            let want = if fail {
                Outcome::Failure
            } else {
                Outcome::Success
            };
            assert_eq!(classify(&sig), want, "{st:?}");
        }
    }

    #[test]
    fn error_then_level() {
        let with_error = OutcomeSignals {
            status: Some(s("ok")),
            error: Some(s("x")),
            ..Default::default()
        };
        assert_eq!(classify(&with_error), Outcome::Failure);
        let by_level = OutcomeSignals {
            has_latency: true,
            level: Some(s("ERROR+2")),
            ..Default::default()
        };
        assert_eq!(classify(&by_level), Outcome::Failure);
        let info = OutcomeSignals {
            has_latency: true,
            level: Some(s("warn")),
            ..Default::default()
        };
        assert_eq!(classify(&info), Outcome::Success);
        let pino = OutcomeSignals {
            has_latency: true,
            level: Some(n("50")),
            ..Default::default()
        };
        assert_eq!(classify(&pino), Outcome::Failure);
    }

    #[test]
    fn object_status_is_not_an_outcome() {
        let sig = OutcomeSignals {
            status: Some(RawValue {
                kind: Kind::Object,
                raw: b"{\"a\":1}",
                escaped: false,
            }),
            ..Default::default()
        };
        assert_eq!(classify(&sig), Outcome::Event);
    }
}
