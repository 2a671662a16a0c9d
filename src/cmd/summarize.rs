//! `tlm summarize`: throughput, success rate, latency percentiles per group, and top errors.

use crate::cli::{FieldArgs, FilterArgs, InputArgs, OutputArgs};
use crate::engine;
use crate::render::{renderer, Style};
use crate::summary::{build_report, SummaryAcc};
use anyhow::Result;
use std::io::Write;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub fields: FieldArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// How many of the most frequent errors to list.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub top_errors: usize,
    /// List error messages as they are, without clustering similar ones into templates.
    #[arg(long)]
    pub raw_errors: bool,
}

pub fn run(args: &Args, out: &mut dyn Write) -> Result<i32> {
    let inputs = crate::source::discover(&args.input.paths)?;
    let (filter, ex) = crate::cli::prepare(&args.fields, &args.filter)?;
    let cfg = args.input.engine_config()?;
    let raw = args.raw_errors;
    let (acc, stats) = engine::run(&inputs, &ex, &filter, &cfg, || SummaryAcc::new(raw))?;
    crate::check_strict(&cfg, &stats)?;
    let report = build_report(acc, &stats, &ex, args.top_errors);
    renderer(args.output.format, Style::for_stdout()).summary(&report, out)?;
    Ok(0)
}
