//! `tlm errors`: failures and error-level events by message, similar messages clustered.

use crate::cli::{FieldArgs, FilterArgs, InputArgs, OutputArgs};
use crate::engine;
use crate::failures::{build_report, ErrorsAcc, ErrorsOptions};
use crate::render::{renderer, Style};
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
    /// How many rows to show.
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = crate::cli::positive_count)]
    pub top: usize,
    /// Keep messages as they are, without clustering similar ones into templates.
    #[arg(long)]
    pub raw: bool,
}

pub fn run(args: &Args, out: &mut dyn Write) -> Result<i32> {
    let inputs = crate::source::discover(&args.input.paths)?;
    let (filter, ex) = crate::cli::prepare(&args.fields, &args.filter)?;
    let cfg = args.input.engine_config()?;
    let opts = ErrorsOptions {
        raw: args.raw,
        by_group: !args.fields.by.is_empty(),
        include_failures: true,
        include_events: true,
    };
    let (acc, stats) = engine::run(&inputs, &ex, &filter, &cfg, || ErrorsAcc::new(opts))?;
    crate::check_strict(&cfg, &stats)?;
    let report = build_report(acc, &stats, &ex, args.top);
    renderer(args.output.format, Style::for_stdout()).errors(&report, out)?;
    Ok(0)
}
