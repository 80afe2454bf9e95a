//! `concise`: one `path:line:col: severity[rule-id] message` line per finding that counts
//! ([`backlint_engine::ScanResult::active`]), nothing else. The column is the 1-based
//! character column ([`backlint_engine::Position::column`]).

use std::io;

use crate::{location_text, one_line, ReportInput};

pub(crate) fn render(input: &ReportInput, out: &mut dyn io::Write) -> io::Result<()> {
    for d in input.result.active() {
        writeln!(
            out,
            "{}: {}[{}] {}",
            location_text(&d.location),
            d.severity,
            d.rule,
            one_line(&d.message)
        )?;
    }
    Ok(())
}
