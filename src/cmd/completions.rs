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

/// `tlm man`: the man page (roff), generated from the same definitions as the completions. One
/// page holds every subcommand: after the top-level sections, a section per subcommand with its
/// synopsis, description and options (clap_mangen would point to `tlm-summarize(1)` pages that
/// nobody installs).
pub fn man(out: &mut dyn Write) -> anyhow::Result<i32> {
    let mut cmd = crate::cli::Cli::command();
    cmd.build();
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut page)?;
    let mut page = String::from_utf8(page)?;
    let subs: Vec<&clap::Command> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        .collect();
    // The list of subcommands names the sections below instead of pages of their own.
    page = page.replace("tlm\\-help(1)", "tlm help");
    for sub in &subs {
        let name = sub.get_name();
        page = page.replace(
            &format!("tlm\\-{name}(1)"),
            &format!("tlm {name} (see TLM {} below)", name.to_uppercase()),
        );
    }
    // The version section stays last.
    let (body, version) = match page.find(".SH VERSION") {
        Some(at) => page.split_at(at),
        None => (page.as_str(), ""),
    };
    out.write_all(body.as_bytes())?;
    for sub in subs {
        let man = clap_mangen::Man::new(sub.clone());
        let mut part = Vec::new();
        man.render_synopsis_section(&mut part)?;
        man.render_description_section(&mut part)?;
        man.render_options_section(&mut part)?;
        let part = String::from_utf8(part)?;
        writeln!(out, ".SH \"TLM {}\"", sub.get_name().to_uppercase())?;
        // Each of its sections becomes a subsection of the subcommand's.
        for line in part.lines() {
            match line.strip_prefix(".SH ") {
                Some(heading) => writeln!(out, ".SS {heading}")?,
                None => writeln!(out, "{line}")?,
            }
        }
    }
    out.write_all(version.as_bytes())?;
    Ok(0)
}
