//! `github`: GitHub Actions workflow commands, which the runner turns into annotations on the
//! pull request and the run summary.
//!
//! One command per finding that counts ([`backlint_engine::ScanResult::active`]):
//!
//! ```text
//! ::error file=src/a.ts,line=4,col=24,endLine=4,endColumn=61,title=n-plus-one-query::message%0Ahelp: …
//! ```
//!
//! `error` → `::error`, `warning` → `::warning`, `note` → `::notice`. Columns count characters;
//! `endColumn` is exclusive, as in SARIF. The runner drops both columns of a span over several
//! lines, so such a span gets `line` and `endLine` only. The help text follows the message
//! after an escaped line break (`%0Ahelp: …`); every command stays on one line of the log.
//!
//! Notifications of level error (backlint failed on a file) and warning (a file could not be
//! read) become `::error file=…::…` and `::warning file=…::…`; skipped files (notes) do not.
//!
//! Escaping is the Actions toolkit's (`@actions/core` `command.ts`): in the message `%` → `%25`,
//! CR → `%0D`, LF → `%0A`; in property values also `:` → `%3A` and `,` → `%2C`.
//!
//! The last line is a plain summary that always states the totals, because GitHub shows at
//! most [`MAX_ANNOTATIONS`] annotations of each level per step; when a level has more, the
//! line says so.

use std::io;

use backlint_engine::{Diagnostic, Notification, NotificationLevel, ScanResult, Severity};

use crate::{last_line, not_shown, totals, ReportInput};

/// GitHub shows at most this many annotations of each level (error, warning, notice) per step.
pub(crate) const MAX_ANNOTATIONS: usize = 10;

/// A workflow command's message, escaped as `escapeData` in `@actions/core` does.
pub(crate) fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// A workflow command's property value, escaped as `escapeProperty` in `@actions/core` does.
pub(crate) fn escape_property(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' => out.push_str("%3A"),
            ',' => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

/// One annotation: the command, its properties in order, and its message.
fn write_command(
    out: &mut dyn io::Write,
    command: &str,
    properties: &[(&str, String)],
    message: &str,
) -> io::Result<()> {
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    writeln!(
        out,
        "::{command} {}::{}",
        properties.join(","),
        escape_data(message)
    )
}

fn annotation(out: &mut dyn io::Write, d: &Diagnostic) -> io::Result<()> {
    let span = &d.location.span;
    let line = span.start.line.max(1);
    let end_line = last_line(span);
    let mut properties = vec![
        ("file", d.location.path.clone()),
        ("line", line.to_string()),
    ];
    if end_line == line {
        properties.push(("col", span.start.column.max(1).to_string()));
        properties.push(("endLine", end_line.to_string()));
        if span.end.line == line {
            let end_column = span.end.column.max(span.start.column).max(1);
            properties.push(("endColumn", end_column.to_string()));
        }
    } else {
        properties.push(("endLine", end_line.to_string()));
    }
    properties.push(("title", d.rule.to_string()));
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    write_command(out, command(d.severity), &properties, &message)
}

fn notification_command(n: &Notification) -> Option<&'static str> {
    match n.level {
        NotificationLevel::Error => Some("error"),
        NotificationLevel::Warning => Some("warning"),
        NotificationLevel::Note => None,
    }
}

/// `backlint: 57 problems (3 errors, 54 warnings) in 120 files; 3 suppressed`, then the
/// annotation limit when a level goes over it.
fn summary(result: &ScanResult, per_level: [usize; 3]) -> String {
    let mut line = format!("backlint: {}{}", totals(result), not_shown(result));
    if per_level.iter().any(|&n| n > MAX_ANNOTATIONS) {
        let total: usize = per_level.iter().sum();
        line.push_str(&format!(
            ". GitHub shows the first {MAX_ANNOTATIONS} annotations of each level; \
             all {total} are listed above"
        ));
    }
    line
}

pub(crate) fn render(input: &ReportInput, out: &mut dyn io::Write) -> io::Result<()> {
    let result = input.result;
    // Annotations per level: error, warning, notice.
    let mut per_level = [0usize; 3];
    for d in result.active() {
        annotation(out, d)?;
        per_level[match d.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Note => 2,
        }] += 1;
    }
    for n in &result.notifications {
        let Some(command) = notification_command(n) else {
            continue;
        };
        let mut properties = Vec::new();
        if !n.path.is_empty() {
            properties.push(("file", n.path.clone()));
        }
        properties.push(("title", "backlint".to_string()));
        write_command(out, command, &properties, &n.message)?;
        per_level[if command == "error" { 0 } else { 1 }] += 1;
    }
    writeln!(out, "{}", summary(result, per_level))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(escape_data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("50% a:b,c\r\nd"), "50%25 a%3Ab%2Cc%0D%0Ad");
        // `%` first, so an escape is never escaped twice.
        assert_eq!(escape_data("%0A"), "%250A");
        assert_eq!(escape_property("%3A"), "%253A");
    }
}
