//! JSON output: the report structures serialised as one pretty document.

use super::Renderer;
use crate::failures::ErrorsReport;
use crate::slow::SlowRow;
use crate::summary::SummaryReport;
use std::io::{self, Write};

pub struct JsonRenderer;

pub fn write_json<T: serde::Serialize>(value: &T, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::from)?;
    writeln!(out)
}

impl Renderer for JsonRenderer {
    fn summary(&self, report: &SummaryReport, out: &mut dyn Write) -> io::Result<()> {
        write_json(report, out)
    }

    fn errors(&self, report: &ErrorsReport, out: &mut dyn Write) -> io::Result<()> {
        write_json(report, out)
    }

    fn slow(&self, rows: &[SlowRow], out: &mut dyn Write) -> io::Result<()> {
        write_json(&rows, out)
    }
}
