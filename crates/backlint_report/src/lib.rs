//! backlint's reporters: turn a [`ScanResult`] into `human` (miette), `concise`, `json`,
//! `sarif`, `github` (Actions workflow commands), `gitlab` (Code Quality) or `junit` output.
//!
//! Every format is a pure function of its input: the same [`ScanResult`] and rules give the
//! same bytes (only the human summary line shows the scan duration). Diagnostics arrive
//! sorted from the engine and are written in that order.
//!
//! Which findings each format shows: `json` and `sarif` write every diagnostic of the result,
//! marking suppressed and baselined ones; the others write only the findings that count
//! ([`ScanResult::active`]) and mention the rest as counts.

use std::fmt;
use std::io;

use backlint_engine::{RuleDoc, ScanResult};

mod concise;
mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod sarif;
mod uri;

/// Who produced the report (SARIF `tool.driver`, JSON `tool`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
    /// The project's home page, e.g. `https://github.com/backlint/backlint`. Rule help links
    /// are `{information_uri}/blob/main/rules/{id}.md`.
    pub information_uri: &'static str,
}

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// miette source frames per diagnostic, then a summary line.
    Human,
    /// One `path:line:col: severity[rule] message` line per diagnostic.
    Concise,
    /// One pretty-printed JSON object (documented in the crate README).
    Json,
    /// SARIF 2.1.0, as GitHub code scanning accepts it.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…::…`), then a summary line.
    Github,
    /// A GitLab Code Quality report (a JSON array of issues).
    Gitlab,
    /// JUnit XML, for CI test-report readers.
    Junit,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: &'static [Format] = &[
        Format::Human,
        Format::Concise,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Gitlab,
        Format::Junit,
    ];

    /// Parses a format name as written on the command line (`human`, `concise`, `json`,
    /// `sarif`, `github`, `gitlab`, `junit`).
    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.iter().copied().find(|f| f.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Concise => "concise",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Gitlab => "gitlab",
            Format::Junit => "junit",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything a reporter needs.
pub struct ReportInput<'a> {
    pub result: &'a ScanResult,
    /// The enabled rules, in registry order.
    pub rules: &'a [&'a RuleDoc],
    pub tool: Tool,
    /// Whether ANSI colour is allowed (human format only; the others never colour).
    pub color: bool,
}

/// Writes the report for `input` in `format` to `out`.
///
/// Errors are I/O errors from `out`, or `InvalidData` when the input is inconsistent
/// (SARIF: a diagnostic whose rule is not among `input.rules`).
pub fn render(format: Format, input: &ReportInput, out: &mut dyn io::Write) -> io::Result<()> {
    match format {
        Format::Human => human::render(input, out),
        Format::Concise => concise::render(input, out),
        Format::Json => json::render(input, out),
        Format::Sarif => sarif::render(input, out),
        Format::Github => github::render(input, out),
        Format::Gitlab => gitlab::render(input, out),
        Format::Junit => junit::render(input, out),
    }
}

/// The human summary line, e.g. `3 problems (1 error, 2 warnings) in 12 files scanned in 0.04s`.
/// Notes are only mentioned when there are some; findings silenced by comments or held by the
/// baseline are appended when there are some (`…in 0.04s; 3 suppressed, 12 in baseline`).
pub fn summary_line(result: &ScanResult) -> String {
    format!(
        "{} scanned in {:.2}s{}",
        totals(result),
        result.duration.as_secs_f64(),
        not_shown(result)
    )
}

/// `3 problems (1 error, 2 warnings) in 12 files`: the findings that count, by severity.
pub(crate) fn totals(result: &ScanResult) -> String {
    let (errors, warnings, notes) = result.counts();
    let mut counts = format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    if notes > 0 {
        counts.push_str(", ");
        counts.push_str(&plural(notes, "note"));
    }
    format!(
        "{} ({counts}) in {}",
        plural(errors + warnings + notes, "problem"),
        plural(result.files_scanned, "file"),
    )
}

/// `; 3 suppressed, 12 in baseline`, or nothing when both counts are zero.
pub(crate) fn not_shown(result: &ScanResult) -> String {
    let mut parts = Vec::new();
    if result.suppressed > 0 {
        parts.push(format!("{} suppressed", result.suppressed));
    }
    if result.baselined > 0 {
        parts.push(format!("{} in baseline", result.baselined));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("; {}", parts.join(", "))
    }
}

pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `path:line:col` with the 1-based character column, as every text format prints it.
pub(crate) fn location_text(loc: &backlint_engine::Location) -> String {
    format!(
        "{}:{}:{}",
        loc.path, loc.span.start.line, loc.span.start.column
    )
}

/// Messages are one line in every text format; a stray newline from a rule must not break
/// `path:line:col:` parsers.
pub(crate) fn one_line(s: &str) -> String {
    if s.contains(['\n', '\r']) {
        s.split(['\n', '\r'])
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        s.to_string()
    }
}

/// The last line a span covers: a span ending at column 1 of a later line (just past a line
/// break) ends on the line before.
pub(crate) fn last_line(span: &backlint_engine::Span) -> u32 {
    let start = span.start.line.max(1);
    if span.end.line > start && span.end.column <= 1 {
        span.end.line - 1
    } else {
        span.end.line.max(start)
    }
}
