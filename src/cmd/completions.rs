//! `tlm completions SHELL` and `tlm man`: shell completions and the man page, generated from
//! the CLI definition.

use clap::CommandFactory;
use clap_complete::Shell;
use std::io::Write;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The shell to generate completions for.
    pub shell: Shell,
}

pub fn run(args: &Args, out: &mut dyn Write) -> anyhow::Result<i32> {
    let mut cmd = crate::cli::Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "tlm", out);
    Ok(0)
}

/// `tlm man`: the man page (roff), generated from the same definitions as the completions.
pub fn man(out: &mut dyn Write) -> anyhow::Result<i32> {
    let cmd = crate::cli::Cli::command();
    clap_mangen::Man::new(cmd).render(out)?;
    Ok(0)
}
