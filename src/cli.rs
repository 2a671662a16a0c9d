//! The command line: subcommands and the flags they share, defined once (completions are
//! generated from the same definitions).

use crate::duration::LatencyUnit;
use crate::engine::EngineConfig;
use crate::fields::FieldOverrides;
use crate::render::Format;
use clap::{Args, Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "tlm",
    version,
    about = "Fast analysis of JSONL telemetry and service logs",
    long_about = "tlm answers \"how is it doing?\" for JSONL telemetry and structured logs: \
                  throughput, success rate, latency percentiles per operation and top errors, \
                  read in parallel at disk speed.",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per run: the size difference between variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Throughput, success rate, latency percentiles per group, and top errors.
    Summarize(crate::cmd::summarize::Args),
    /// Failures and error-level events by message, similar messages clustered.
    Errors(crate::cmd::errors::Args),
    /// The slowest requests, as the original records (ready for `| jq`).
    Slow(crate::cmd::slow::Args),
    /// Threshold rules that exit 1 on breach, for cron and CI.
    Check(crate::cmd::check::Args),
    /// Print shell completions.
    Completions(crate::cmd::completions::Args),
    /// Print the man page (roff): `tlm man > tlm.1`.
    Man,
}

/// Which inputs to read and how.
#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// Files or directories to read (`-` for stdin; stdin when none is given and it is piped).
    /// gzip and zstd are decompressed transparently.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Worker threads, 1 to 1024 (default: all cores).
    #[arg(short = 'j', long, value_name = "N", value_parser = thread_count)]
    pub threads: Option<usize>,

    /// Stop at the first line that cannot be read, naming file:line (exit 2).
    #[arg(long)]
    pub strict: bool,

    /// Never show a progress bar.
    #[arg(short, long, visible_alias = "no-progress")]
    pub quiet: bool,

    /// Read every input in this format instead of detecting each file's.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<crate::formats::LineFormat>,

    /// Chunk size in bytes (for testing chunk boundaries; the default suits every input).
    #[arg(long, value_name = "BYTES", hide = true)]
    pub chunk_size: Option<usize>,

    /// Read lines with this regex; named captures become fields: `(?P<time>…)`,
    /// `(?P<latency_ms>…)`, `(?P<level>…)`, `(?P<msg>…)`, any other name.
    #[arg(long, value_name = "REGEX")]
    pub pattern: Option<String>,
}

/// A count of at least 1 (`--top`): 0 would ask for nothing, most likely by mistake.
pub fn positive_count(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

/// `-j`: more threads than this only costs memory (each has its own stack and accumulators).
fn thread_count(text: &str) -> Result<usize, String> {
    match positive_count(text)? {
        n if n > 1024 => Err("must be at most 1024".into()),
        n => Ok(n),
    }
}

impl InputArgs {
    pub fn engine_config(&self) -> anyhow::Result<EngineConfig> {
        use crate::formats::LineFormat;
        match (self.input_format, &self.pattern) {
            (Some(LineFormat::Pattern), None) => {
                anyhow::bail!("--input-format pattern needs --pattern REGEX")
            }
            (Some(f), Some(_)) if f != LineFormat::Pattern => anyhow::bail!(
                "--pattern reads every line with its regex: it cannot go with --input-format {}",
                f.name()
            ),
            _ => {}
        }
        let pattern = self
            .pattern
            .as_deref()
            .map(crate::formats::pattern::Pattern::new)
            .transpose()?
            .map(std::sync::Arc::new);
        Ok(EngineConfig {
            threads: self.threads.unwrap_or(0),
            strict: self.strict,
            progress: !self.quiet && std::io::stderr().is_terminal(),
            input_format: self.input_format,
            pattern,
            chunk_size: self
                .chunk_size
                .unwrap_or(EngineConfig::default().chunk_size)
                .max(1),
        })
    }
}

/// Which fields play which role (each defaults to the documented candidate list).
#[derive(Args, Debug, Clone)]
pub struct FieldArgs {
    /// Group by these fields (comma-separated; dotted paths reach nested objects).
    #[arg(long, value_name = "FIELD[,FIELD…]", value_delimiter = ',', value_parser = field_name)]
    pub by: Vec<String>,

    /// The field holding the time.
    #[arg(long, value_name = "FIELD")]
    pub time_field: Option<String>,

    /// The field holding the latency.
    #[arg(long, value_name = "FIELD")]
    pub latency_field: Option<String>,

    /// The unit of a bare latency number (default: from the field's name, else ms).
    #[arg(long, value_name = "UNIT")]
    pub latency_unit: Option<LatencyUnit>,

    /// The field holding the success flag.
    #[arg(long, value_name = "FIELD")]
    pub success_field: Option<String>,

    /// The field holding the status (a word or an HTTP status).
    #[arg(long, value_name = "FIELD")]
    pub status_field: Option<String>,

    /// The field holding the error message.
    #[arg(long, value_name = "FIELD")]
    pub error_field: Option<String>,

    /// The field holding the log level.
    #[arg(long, value_name = "FIELD")]
    pub level_field: Option<String>,

    /// The field holding the log message.
    #[arg(long, value_name = "FIELD")]
    pub message_field: Option<String>,

    /// A strftime layout for times no built-in layout reads ('%d.%m.%Y %H:%M:%S').
    #[arg(long, value_name = "LAYOUT", value_parser = strftime_layout)]
    pub time_format: Option<String>,
}

/// A field name: not empty.
fn field_name(text: &str) -> Result<String, String> {
    match text.trim() {
        "" => Err("a field name cannot be empty".into()),
        name => Ok(name.to_string()),
    }
}

/// A strftime layout chrono can read (`%Q` is none).
fn strftime_layout(text: &str) -> Result<String, String> {
    use chrono::format::{Item, StrftimeItems};
    if StrftimeItems::new(text).any(|i| matches!(i, Item::Error)) {
        return Err("not a strftime layout chrono knows (such as '%d.%m.%Y %H:%M:%S')".into());
    }
    Ok(text.to_string())
}

impl FieldArgs {
    pub fn overrides(&self) -> FieldOverrides {
        FieldOverrides {
            time: self.time_field.clone(),
            latency: self.latency_field.clone(),
            latency_unit: self.latency_unit,
            by: (!self.by.is_empty()).then(|| self.by.clone()),
            success: self.success_field.clone(),
            status: self.status_field.clone(),
            error: self.error_field.clone(),
            level: self.level_field.clone(),
            message: self.message_field.clone(),
            time_format: self.time_format.clone(),
        }
    }
}

/// How to print the result.
#[derive(Args, Debug, Clone)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Which records take part: a time window and conditions on fields.
#[derive(Args, Debug, Clone, Default)]
pub struct FilterArgs {
    /// Only records at or after this time: RFC 3339, unix seconds, or a duration before now
    /// (`15m`, `1h`, `7d`).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,

    /// Only records before this time (same forms as --since).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,

    /// What "now" is for relative times (default: the clock), so scripts and tests repeat.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,

    /// Only records where FIELD=VALUE, FIELD!=VALUE, FIELD~REGEX, FIELD>N (also >=, <, <=; N
    /// may be a duration: `latency>250ms`). Repeatable; all must hold. `latency` and `time`
    /// mean the detected latency and time.
    #[arg(long = "where", value_name = "COND")]
    pub conditions: Vec<String>,
}

impl FilterArgs {
    pub fn build(&self) -> anyhow::Result<crate::filter::Filter> {
        use crate::filter::{parse_time_bound, resolve_now, Condition, Filter};
        let now = resolve_now(self.now.as_deref())?;
        let since = self
            .since
            .as_deref()
            .map(|t| parse_time_bound(t, now, "--since"))
            .transpose()?;
        let until = self
            .until
            .as_deref()
            .map(|t| parse_time_bound(t, now, "--until"))
            .transpose()?;
        if let (Some(s), Some(u)) = (since, until) {
            if s >= u {
                anyhow::bail!(
                    "--since ({}) is not before --until ({}): the window is empty",
                    crate::timefmt::format_rfc3339(s),
                    crate::timefmt::format_rfc3339(u)
                );
            }
        }
        let conditions = self
            .conditions
            .iter()
            .map(|c| Condition::parse(c))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Filter::new(since, until, conditions))
    }
}

/// The filter and the extractor a run needs: the extractor also captures the fields the
/// filter's conditions read, and knows "now" for time layouts without a year.
pub fn prepare(
    fields: &FieldArgs,
    filter: &FilterArgs,
) -> anyhow::Result<(crate::filter::Filter, crate::fields::Extractor)> {
    let f = filter.build()?;
    let mut ex = crate::fields::Extractor::with_extra(&fields.overrides(), f.extra_fields());
    if filter.now.is_some() {
        ex.set_now(crate::filter::resolve_now(filter.now.as_deref())?);
    }
    Ok((f, ex))
}
