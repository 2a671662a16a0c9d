//! The outcome rule: whether a record is an event or an outcome, and whether an outcome failed.

use crate::json_scan::{Kind, RawValue};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Not a request or operation: a log event.
    Event,
    Success,
    Failure,
}

const FAILURE_WORDS: &[&str] = &[
    "error",
    "errored",
    "err",
    "fail",
    "failed",
    "failure",
    "failing",
    "timeout",
    "timed_out",
    "timedout",
    "fatal",
    "crash",
    "crashed",
    "abort",
    "aborted",
    "exception",
    "panic",
    "rejected",
    "denied",
    "unhealthy",
    "ko",
    "killed",
];

const ERROR_LEVELS: &[&str] = &[
    "error",
    "err",
    "fatal",
    "critical",
    "crit",
    "panic",
    "dpanic",
    "alert",
    "emerg",
    "emergency",
    "severe",
];

fn is_one_of(text: &[u8], words: &[&str]) -> bool {
    let text = crate::timefmt::trim_ascii(text);
    words
        .iter()
        .any(|w| text.eq_ignore_ascii_case(w.as_bytes()))
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
        Kind::Number => {
            let code: f64 = std::str::from_utf8(status.raw).ok()?.parse().ok()?;
            Some(code >= 500.0)
        }
        Kind::String => {
            let unescaped = status.unescaped_bytes();
            let text = crate::timefmt::trim_ascii(&unescaped);
            if let Some(code) = std::str::from_utf8(text)
                .ok()
                .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|t| t.parse::<u64>().ok())
            {
                return Some(code >= 500);
            }
            Some(is_one_of(text, FAILURE_WORDS))
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
            is_one_of(word, ERROR_LEVELS)
        }
        Kind::Number => std::str::from_utf8(level.raw)
            .ok()
            .and_then(|t| t.parse::<f64>().ok())
            .is_some_and(|n| n >= 50.0),
        _ => false,
    }
}

/// Applies the outcome rule (documented in the README).
pub fn classify(s: &OutcomeSignals) -> Outcome {
    let status_usable = s.status.filter(|st| status_is_failure(st).is_some());
    let is_outcome =
        s.has_latency || s.success.is_some() || status_usable.is_some() || s.error.is_some();
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
    if status_usable.and_then(|st| status_is_failure(&st)) == Some(true) {
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
