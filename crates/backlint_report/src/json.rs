//! `json`: one pretty-printed object, documented field by field in the crate README.
//! No duration and no absolute paths, so the output is a pure function of the findings.
//! Bump [`VERSION`] on any incompatible change.
//!
//! Every diagnostic of the result is written; a suppressed or baselined one carries its
//! `suppression` / `baseline` field (absent otherwise). The summary counts only the findings
//! that count ([`backlint_engine::ScanResult::active`]), plus the `suppressed` and
//! `baselined` totals.

use std::io;

use backlint_engine::{Diagnostic, Location, Notification, Position, Suppression};
use serde::Serialize;

use crate::ReportInput;

/// The version of the JSON format.
pub(crate) const VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    tool: Tool<'a>,
    summary: Summary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    notifications: Vec<JsonNotification<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct Summary {
    files_scanned: usize,
    problems: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
    suppressed: usize,
    baselined: usize,
}

#[derive(Serialize)]
struct Point {
    line: u32,
    column: u32,
}

impl From<Position> for Point {
    fn from(p: Position) -> Point {
        Point {
            line: p.line,
            column: p.column,
        }
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: &'static str,
    message: &'a str,
    path: &'a str,
    start: Point,
    end: Point,
    start_byte: usize,
    end_byte: usize,
    related: Vec<JsonRelated<'a>>,
    help: Option<&'a str>,
    fingerprint: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression: Option<JsonSuppression<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'static str>,
}

#[derive(Serialize)]
struct JsonSuppression<'a> {
    justification: &'a str,
    file_wide: bool,
}

impl<'a> From<&'a Suppression> for JsonSuppression<'a> {
    fn from(s: &'a Suppression) -> JsonSuppression<'a> {
        JsonSuppression {
            justification: &s.justification,
            file_wide: s.file_wide,
        }
    }
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    path: &'a str,
    start: Point,
    end: Point,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonNotification<'a> {
    path: &'a str,
    level: &'static str,
    message: &'a str,
}

fn diagnostic(d: &Diagnostic) -> JsonDiagnostic<'_> {
    let Location { path, span } = &d.location;
    JsonDiagnostic {
        rule: d.rule,
        severity: d.severity.as_str(),
        message: &d.message,
        path,
        start: span.start.into(),
        end: span.end.into(),
        start_byte: span.start_byte,
        end_byte: span.end_byte,
        related: d
            .related
            .iter()
            .map(|r| JsonRelated {
                path: &r.location.path,
                start: r.location.span.start.into(),
                end: r.location.span.end.into(),
                message: &r.message,
            })
            .collect(),
        help: d.help.as_deref(),
        fingerprint: &d.fingerprint,
        suppression: d.suppression.as_ref().map(JsonSuppression::from),
        baseline: d.baseline.map(|b| b.as_str()),
    }
}

fn notification(n: &Notification) -> JsonNotification<'_> {
    JsonNotification {
        path: &n.path,
        level: n.level.as_str(),
        message: &n.message,
    }
}

pub(crate) fn render(input: &ReportInput, out: &mut dyn io::Write) -> io::Result<()> {
    let result = input.result;
    let (errors, warnings, notes) = result.counts();
    let report = Report {
        version: VERSION,
        tool: Tool {
            name: input.tool.name,
            version: input.tool.version,
        },
        summary: Summary {
            files_scanned: result.files_scanned,
            problems: errors + warnings + notes,
            errors,
            warnings,
            notes,
            suppressed: result.suppressed,
            baselined: result.baselined,
        },
        diagnostics: result.diagnostics.iter().map(diagnostic).collect(),
        notifications: result.notifications.iter().map(notification).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    out.write_all(b"\n")
}
