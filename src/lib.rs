//! tlm: fast analysis of JSONL telemetry and service logs.
//!
//! Data flows one way: sources → lines → records → accumulators → merge → report → render.
//!
//! - sources: [`source`] finds and opens inputs (files, directories, stdin, gzip, zstd);
//! - lines and records: [`engine`] cuts inputs into newline-aligned chunks for rayon workers,
//!   [`lines`] finds each chunk's lines, and [`fields`] (the candidate lists) turns each line into
//!   a [`record::Record`], reading JSON with [`json_scan`] and text logs with [`formats`];
//!   [`filter`] sets records aside;
//! - accumulators: [`stats`] (with [`groups`]), [`summary`], [`failures`] (with [`cluster`]),
//!   [`slow`], [`check`], all mergeable, so chunks, files and threads reduce the same way;
//! - report and render: each accumulator builds a serialisable report that a [`render`]er draws
//!   as a table, JSON or CSV.
//!
//! Each subcommand in [`cmd`] wires these stages together with its own clap arguments.

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
pub mod groups;
pub mod hdr_counts;
pub mod json_scan;
pub mod lines;
#[cfg(unix)]
pub mod mapped;
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
    match out.flush() {
        // `check`'s verdict stands when its reader has gone: a breach must not exit 0.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe && code != 0 => Ok(code),
        flushed => flushed.map(|()| code).map_err(Into::into),
    }
}
