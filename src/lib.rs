//! tlm: fast analysis of JSONL telemetry and service logs.
//!
//! Data flows one way: sources → lines → records → accumulators → merge → report → render.
//! [`source`] finds and opens inputs, [`engine`] cuts them into lines and records in parallel
//! (using [`fields`] and [`json_scan`]), accumulators ([`stats`], [`summary`]) merge, and
//! [`render`] draws the report.

pub mod check;
pub mod cli;
pub mod cluster;
pub mod cmd;
pub mod duration;
pub mod engine;
pub mod failures;
pub mod fields;
pub mod filter;
pub mod formats;
pub mod json_scan;
pub mod number;
pub mod outcome;
pub mod record;
pub mod render;
pub mod slow;
pub mod source;
pub mod stats;
pub mod summary;
pub mod timefmt;

use anyhow::{anyhow, Result};
use cli::{Cli, Command};
use std::io::Write;

/// With `--strict`, the first bad line is an error naming file:line.
pub fn check_strict(cfg: &engine::EngineConfig, stats: &engine::RunStats) -> Result<()> {
    if let (true, Some(bad)) = (cfg.strict, stats.first_bad) {
        return Err(anyhow!(
            "{}:{}: {} ({})",
            stats.inputs[bad.at.input as usize].name,
            stats.line_number(bad.at),
            bad.reason.describe(),
            bad.reason.name()
        ));
    }
    Ok(())
}

/// Is this error a closed stdout pipe (`tlm … | head`)?
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Runs a parsed command line, writing data to `out`. Returns the exit code.
pub fn run(cli: &Cli, out: &mut dyn Write) -> Result<i32> {
    let code = match &cli.command {
        Command::Summarize(a) => cmd::summarize::run(a, out)?,
        Command::Errors(a) => cmd::errors::run(a, out)?,
        Command::Slow(a) => cmd::slow::run(a, out)?,
        Command::Check(a) if a.format == render::check::CheckFormat::Nagios => {
            // Monitoring Plugins report their own failures as UNKNOWN (exit 3) on stdout.
            match cmd::check::run(a, out) {
                Ok(code) => code,
                Err(e) if is_broken_pipe(&e) => return Err(e),
                Err(e) => {
                    writeln!(out, "TLM UNKNOWN - {e}")?;
                    3
                }
            }
        }
        Command::Check(a) => cmd::check::run(a, out)?,
        Command::Completions(a) => cmd::completions::run(a, out)?,
        Command::Man => cmd::completions::man(out)?,
    };
    out.flush()?;
    Ok(code)
}
