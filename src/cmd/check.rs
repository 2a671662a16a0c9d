//! `tlm check`: threshold rules over the figures `summarize` reports, for cron and CI. Exits 1
//! when a critical rule is breached (Nagios format: 0/1/2/3).

use crate::check::{
    build_report, parse_rule, parse_rules_file, CheckAcc, CheckMode, CheckReport, Rule, Severity,
    Verdict, WindowJson,
};
use crate::cli::{FieldArgs, FilterArgs, InputArgs};
use crate::duration::parse_duration;
use crate::engine::{self, Accumulate, LineAt};
use crate::fields::Extractor;
use crate::record::Record;
use crate::render::check::{render_check, CheckFormat};
use crate::source::Input;
use crate::timefmt::format_rfc3339;
use anyhow::{anyhow, bail, Context, Result};
use std::io::Write;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub fields: FieldArgs,
    #[command(flatten)]
    pub filter: FilterArgs,

    /// Breach when the error rate is above this (`5%`, or a fraction `0.05`).
    #[arg(long, value_name = "RATE")]
    pub max_error_rate: Option<String>,
    /// Breach when the success rate is below this (`99.9%`).
    #[arg(long, value_name = "RATE")]
    pub min_success_rate: Option<String>,
    /// Breach when p50 latency is above this (`50ms`).
    #[arg(long, value_name = "DURATION")]
    pub max_p50: Option<String>,
    /// Breach when p90 latency is above this.
    #[arg(long, value_name = "DURATION")]
    pub max_p90: Option<String>,
    /// Breach when p95 latency is above this.
    #[arg(long, value_name = "DURATION")]
    pub max_p95: Option<String>,
    /// Breach when p99 latency is above this.
    #[arg(long, value_name = "DURATION")]
    pub max_p99: Option<String>,
    /// Breach when p99.9 latency is above this.
    #[arg(long, value_name = "DURATION")]
    pub max_p999: Option<String>,
    /// Breach when the slowest outcome is above this.
    #[arg(long, value_name = "DURATION")]
    pub max_latency: Option<String>,
    /// Breach when throughput is below this (`10/s`, `600/m`, `3600/h`).
    #[arg(long, value_name = "RATE")]
    pub min_throughput: Option<String>,
    /// Breach when there are fewer outcomes than this.
    #[arg(long, value_name = "N")]
    pub min_count: Option<String>,
    /// Breach when there are more failures than this.
    #[arg(long, value_name = "N")]
    pub max_failures: Option<String>,
    /// Breach when more than this share of non-blank lines could not be read (`1%`).
    #[arg(long, value_name = "RATE")]
    pub max_skipped_ratio: Option<String>,
    /// Breach when fewer records than this were read.
    #[arg(long, value_name = "N")]
    pub min_records: Option<String>,

    /// A rule on any figure: 'p95 < 500ms', 'error_rate <= 1%', 'count >= 100',
    /// 'group=recommend: p99 < 2s'. Repeatable.
    #[arg(long = "rule", value_name = "RULE")]
    pub rules: Vec<String>,
    /// A file of rules, one per line, `#` comments.
    #[arg(long = "rules", value_name = "FILE")]
    pub rules_file: Option<std::path::PathBuf>,
    /// A warning-level rule (same syntax as --rule). Repeatable.
    #[arg(long = "warn", value_name = "RULE")]
    pub warn: Vec<String>,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub fail_on_warn: bool,
    /// Pass when there are no outcomes in the window (by default "no data" is a breach).
    #[arg(long)]
    pub allow_empty: bool,

    /// Only the N most recent outcomes by time ("errors in the last 100 requests").
    #[arg(long, value_name = "N", conflicts_with_all = ["window", "sustained"])]
    pub last: Option<usize>,
    /// Only the span of this length ending at the newest record (or at --now): `5m`.
    #[arg(long, value_name = "DURATION")]
    pub window: Option<String>,
    /// Sustained: a rule is breached only if it is breached in every bucket of this span
    /// ending at the newest record (or --now), like Prometheus `for:`.
    #[arg(long = "for", id = "sustained", value_name = "DURATION")]
    pub sustained: Option<String>,
    /// Bucket size for --for.
    #[arg(long, value_name = "DURATION", default_value = "1m")]
    pub bucket: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

fn duration_flag(text: &str, flag: &str) -> Result<f64> {
    parse_duration(text).filter(|ms| *ms > 0.0).ok_or_else(|| {
        anyhow!("invalid {flag} '{text}': expected a duration such as 5m, 1h or 30s")
    })
}

/// All rules from the flags, `--rule`, `--warn` and `--rules FILE`.
fn collect_rules(a: &Args) -> Result<Vec<Rule>> {
    let mut rules = Vec::new();
    let flags: [(&Option<String>, &str, &str); 13] = [
        (&a.max_error_rate, "error_rate", "<="),
        (&a.min_success_rate, "success_rate", ">="),
        (&a.max_p50, "p50", "<="),
        (&a.max_p90, "p90", "<="),
        (&a.max_p95, "p95", "<="),
        (&a.max_p99, "p99", "<="),
        (&a.max_p999, "p999", "<="),
        (&a.max_latency, "max", "<="),
        (&a.min_throughput, "throughput", ">="),
        (&a.min_count, "count", ">="),
        (&a.max_failures, "failures", "<="),
        (&a.max_skipped_ratio, "skipped_ratio", "<="),
        (&a.min_records, "records", ">="),
    ];
    for (value, metric, op) in flags {
        if let Some(v) = value {
            rules.push(parse_rule(
                &format!("{metric} {op} {v}"),
                Severity::Critical,
            )?);
        }
    }
    for r in &a.rules {
        rules.push(parse_rule(r, Severity::Critical)?);
    }
    for r in &a.warn {
        rules.push(parse_rule(r, Severity::Warning)?);
    }
    if let Some(path) = &a.rules_file {
        let content = std::fs::read_to_string(path).map_err(|e| {
            anyhow!(
                "cannot read rules file '{}': {}",
                path.display(),
                crate::source::describe_io(&e)
            )
        })?;
        rules.extend(parse_rules_file(&content, &path.display().to_string())?);
    }
    // With no rule at all, check still gates on "there is data".
    Ok(rules)
}

/// Finds the newest record's time (first pass for --window/--for without --now).
struct Newest;

impl Accumulate for Newest {
    fn add(&mut self, _: &Extractor, _: &Record, _: LineAt) {}
    fn merge(&mut self, _: Self) {}
}

/// Stdin can be read once: spool it to a temporary file when two passes are needed.
fn spool_stdin(inputs: &mut [Input]) -> Result<Option<tempfile::NamedTempFile>> {
    if !inputs.contains(&Input::Stdin) {
        return Ok(None);
    }
    let mut tmp =
        tempfile::NamedTempFile::new().context("cannot create a temporary file for stdin")?;
    std::io::copy(&mut std::io::stdin().lock(), &mut tmp).context("cannot read '<stdin>'")?;
    for i in inputs.iter_mut() {
        if *i == Input::Stdin {
            *i = Input::Path(tmp.path().to_path_buf());
        }
    }
    Ok(Some(tmp))
}

pub fn run(args: &Args, out: &mut dyn Write) -> Result<i32> {
    let rules = collect_rules(args)?;
    let mut inputs = crate::source::discover(&args.input.paths)?;
    let (mut filter, ex) = crate::cli::prepare(&args.fields, &args.filter)?;
    let cfg = args.input.engine_config()?;
    if let Some(0) = args.last {
        bail!("invalid --last 0: give the number of most recent outcomes to check");
    }

    let span_ms = match (&args.window, &args.sustained) {
        (Some(_), Some(_)) => bail!("give either --window or --for, not both"),
        (Some(w), None) => Some(duration_flag(w, "--window")?),
        (None, Some(f)) => Some(duration_flag(f, "--for")?),
        (None, None) => None,
    };
    let mut window = WindowJson {
        description: "all records".into(),
        ..Default::default()
    };
    let mut mode = CheckMode::All;
    let _spool;
    if let Some(span_ms) = span_ms {
        let end_ns = match &args.filter.now {
            Some(_) => crate::filter::resolve_now(args.filter.now.as_deref())?,
            None => {
                _spool = spool_stdin(&mut inputs)?;
                let (_, first) = engine::run(&inputs, &ex, &filter, &cfg, || Newest)?;
                crate::check_strict(&cfg, &first)?;
                match first.last_time_ns {
                    Some(t) => t,
                    // Nothing at all to read is "no data", judged like any empty window.
                    None if args.allow_empty || first.totals().records == 0 => 0,
                    None => bail!("no record has a time, so --window/--for has nothing to end at (give --now, or check the time field with --time-field)"),
                }
            }
        };
        let span_ns = (span_ms * 1e6) as i64;
        let start_ns = end_ns - span_ns;
        // The window is (end - span, end]; the filter's bounds are [since, until).
        filter.since_ns = Some(
            filter
                .since_ns
                .map_or(start_ns + 1, |s| s.max(start_ns + 1)),
        );
        filter.until_ns = Some(filter.until_ns.map_or(end_ns + 1, |u| u.min(end_ns + 1)));
        window.start = Some(format_rfc3339(start_ns));
        window.end = Some(format_rfc3339(end_ns));
        if args.sustained.is_some() {
            let bucket_ms = duration_flag(&args.bucket, "--bucket")?;
            let buckets = (span_ms / bucket_ms).ceil().max(1.0) as usize;
            mode = CheckMode::Buckets {
                end_ns,
                bucket_ns: (bucket_ms * 1e6) as i64,
                buckets,
            };
            window.description = format!(
                "sustained for {} ({buckets} buckets of {})",
                args.sustained.as_deref().unwrap_or(""),
                args.bucket
            );
        } else {
            window.description = format!("last {}", args.window.as_deref().unwrap_or(""));
        }
    } else if let Some(n) = args.last {
        mode = CheckMode::Last(n);
        window.description = format!("last {n} outcomes");
    } else if filter.since_ns.is_some() || filter.until_ns.is_some() {
        window.description = "--since/--until".into();
        window.start = filter.since_ns.map(format_rfc3339);
        window.end = filter.until_ns.map(format_rfc3339);
    }

    let (acc, stats) = engine::run(&inputs, &ex, &filter, &cfg, || CheckAcc::new(mode))?;
    crate::check_strict(&cfg, &stats)?;
    let report: CheckReport = build_report(
        acc.gather(),
        &stats,
        &Verdict {
            rules: &rules,
            by_group: !args.fields.by.is_empty(),
            allow_empty: args.allow_empty,
            window,
        },
    );
    let code = exit_code(&report, args.format, args.fail_on_warn);
    match render_check(args.format, &report, &rules, out) {
        // A reader that closed the pipe (`tlm check … | head`) does not change the verdict.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(code),
        rendered => Ok(rendered.map(|()| code)?),
    }
}

fn exit_code(r: &CheckReport, format: CheckFormat, fail_on_warn: bool) -> i32 {
    match format {
        // Monitoring Plugins: 0 OK, 1 WARNING, 2 CRITICAL.
        CheckFormat::Nagios => {
            if r.breached_critical > 0 {
                2
            } else if r.breached_warning > 0 {
                1
            } else {
                0
            }
        }
        _ => {
            if r.breached_critical > 0 || (fail_on_warn && r.breached_warning > 0) {
                1
            } else {
                0
            }
        }
    }
}
