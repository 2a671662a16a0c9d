//! Renderers: one per output format, behind one trait. They draw reports; they never compute.

pub mod check;
mod csv;
mod json;
mod table;

pub use table::significant;

use crate::failures::ErrorsReport;
use crate::slow::SlowRow;
use crate::summary::SummaryReport;
use std::io::{self, IsTerminal, Write};

/// Output formats shared by the subcommands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An aligned table for people (fits the terminal).
    Table,
    /// One JSON document.
    Json,
    /// Comma-separated values with a header row.
    Csv,
}

/// How a terminal renderer may decorate its output.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    pub color: bool,
    /// The width to fit tables in; `None` for no limit (not a terminal).
    pub width: Option<u16>,
}

impl Style {
    /// Colours only on a terminal and never with `NO_COLOR`; tables as wide as the terminal.
    pub fn for_stdout() -> Style {
        let tty = io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .or_else(|| tty.then(terminal_width).flatten());
        Style {
            color: tty && !no_color,
            width,
        }
    }
}

fn terminal_width() -> Option<u16> {
    comfy_table::Table::new().width()
}

pub trait Renderer {
    fn summary(&self, report: &SummaryReport, out: &mut dyn Write) -> io::Result<()>;
    fn errors(&self, report: &ErrorsReport, out: &mut dyn Write) -> io::Result<()>;
    fn slow(&self, rows: &[SlowRow], out: &mut dyn Write) -> io::Result<()>;
}

pub fn renderer(format: Format, style: Style) -> Box<dyn Renderer> {
    match format {
        Format::Table => Box::new(table::TableRenderer { style }),
        Format::Json => Box::new(json::JsonRenderer),
        Format::Csv => Box::new(csv::CsvRenderer),
    }
}
