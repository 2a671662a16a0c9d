//! `tlm slow`: the slowest outcomes, as their original lines (ready for `| jq`) or a table.

use crate::cli::{FieldArgs, FilterArgs, InputArgs};
use crate::duration::parse_duration;
use crate::engine;
use crate::render::{renderer, Format, Style};
use crate::slow::{rows, SlowAcc, SlowOptions};
use anyhow::{anyhow, bail, Result};
use std::io::{IsTerminal, Write};

/// `slow`'s output formats: the shared ones, plus the original lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SlowFormat {
    /// The original lines, byte for byte (the default when stdout is not a terminal).
    Jsonl,
    /// A table: time, group, latency, outcome, error, file:line (the default on a terminal).
    Table,
    /// A JSON array of the parsed records with file and line.
    Json,
    /// CSV: file, line, time, group, latency_ms, outcome, error.
    Csv,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub fields: FieldArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Every outcome slower than this (`100ms`, `1.5s`, `2m`), in input order.
    #[arg(long, value_name = "DURATION")]
    pub over: Option<String>,
    /// The N slowest, slowest first (ties in input order).
    #[arg(long, value_name = "N", value_parser = crate::cli::positive_count)]
    pub top: Option<usize>,
    /// With --top: the N slowest of each group (groups by --by, or the detected group field).
    #[arg(long, requires = "top")]
    pub per_group: bool,
    /// Output format (default: jsonl when stdout is not a terminal, table on a terminal).
    #[arg(long, value_enum)]
    pub format: Option<SlowFormat>,
}

pub fn run(args: &Args, out: &mut dyn Write) -> Result<i32> {
    if args.over.is_none() && args.top.is_none() {
        bail!("tell slow what to show: --over DURATION (e.g. --over 500ms), --top N, or both");
    }
    let over_ms = args
        .over
        .as_deref()
        .map(|o| {
            parse_duration(o).ok_or_else(|| {
                anyhow!("invalid --over '{o}': expected a duration such as 100ms, 1.5s or 2m")
            })
        })
        .transpose()?;
    let inputs = crate::source::discover(&args.input.paths)?;
    let (filter, ex) = crate::cli::prepare(&args.fields, &args.filter)?;
    let cfg = args.input.engine_config()?;
    let opts = SlowOptions {
        over_ms,
        top: args.top,
        per_group: args.per_group,
    };
    let format = args.format.unwrap_or(if std::io::stdout().is_terminal() {
        SlowFormat::Table
    } else {
        SlowFormat::Jsonl
    });
    // Original lines over a threshold stream out batch by batch, in input order, so memory
    // stays bounded however many match. (With --strict, nothing is written before the whole
    // input is known to be clean.)
    let streaming = format == SlowFormat::Jsonl && args.top.is_none() && !cfg.strict;
    let mut write_lines = |acc: &mut SlowAcc, _: engine::LineNamer| -> Result<()> {
        for h in acc.take_in_order() {
            out.write_all(&h.line)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    };
    let flush: Option<engine::Flush<'_, SlowAcc>> = if streaming {
        Some(&mut write_lines)
    } else {
        None
    };
    let (acc, stats) =
        engine::run_flushing(&inputs, &ex, &filter, &cfg, || SlowAcc::new(opts), flush)?;
    crate::check_strict(&cfg, &stats)?;
    let hits = acc.into_hits();
    let style = Style::for_stdout();
    match format {
        SlowFormat::Jsonl => {
            for h in &hits {
                out.write_all(&h.line)?;
                out.write_all(b"\n")?;
            }
        }
        SlowFormat::Table => renderer(Format::Table, style).slow(&rows(&hits, &stats), out)?,
        SlowFormat::Json => renderer(Format::Json, style).slow(&rows(&hits, &stats), out)?,
        SlowFormat::Csv => renderer(Format::Csv, style).slow(&rows(&hits, &stats), out)?,
    }
    Ok(0)
}
