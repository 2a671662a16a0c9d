//! The `tlm` binary: parses the command line, runs it, and maps the outcome to an exit code
//! (0 ok, 1 a check breached, 2 usage or input error).

use clap::Parser;
use std::io::{self, Write};

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match tlm::cli::Cli::try_parse() {
        Ok(cli) => cli,
        // A Monitoring Plugin reports a bad command line as UNKNOWN (exit 3) on stdout, not
        // as CRITICAL (clap's exit 2).
        Err(e) if e.use_stderr() && wants_nagios() => {
            let first = e.to_string();
            let first = first.lines().next().unwrap_or_default();
            println!("TLM UNKNOWN - {}", first.trim_start_matches("error: "));
            return ExitCode::from(3);
        }
        Err(e) => e.exit(),
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    match tlm::run(&cli, &mut out) {
        Ok(code) => ExitCode::from(code as u8),
        // A closed pipe (`tlm … | head`) is the reader saying it has enough.
        Err(e) if tlm::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = out.flush();
            eprintln!("tlm: {e}");
            ExitCode::from(2)
        }
    }
}

/// Is this `tlm check … --format nagios`? Read from the raw arguments, as they did not parse.
fn wants_nagios() -> bool {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let nagios = args
        .windows(2)
        .any(|w| w[0] == "--format" && w[1] == "nagios")
        || args.iter().any(|a| a == "--format=nagios");
    args.first().is_some_and(|a| a == "check") && nagios
}
