//! The `tlm` binary: parses the command line, runs it, and maps the outcome to an exit code
//! (0 ok, 1 a check breached, 2 usage or input error).

use clap::Parser;
use std::io::{self, Write};

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = tlm::cli::Cli::parse();
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
