//! `junit`: JUnit XML for CI test-report readers (Jenkins, GitLab, Azure Pipelines).
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <testsuites name="backlint" tests="2" failures="1" errors="0">
//!   <testsuite name="src/a.ts" tests="1" failures="1" errors="0" skipped="0">
//!     <testcase classname="src/a.ts" name="string-sql at 4:9" file="src/a.ts">
//!       <failure type="error" message="…">src/a.ts:4:9: …
//! help: …</failure>
//!     </testcase>
//!   </testsuite>
//! </testsuites>
//! ```
//!
//! - One `<testsuite>` per file (named by its path, in path order) holding one `<testcase>`
//!   with a `<failure>` per finding that counts ([`backlint_engine::ScanResult::active`]).
//!   The failure's `type` is the severity and its body `path:line:col: message`, then the help
//!   and the related locations, one per line. Columns count characters.
//! - A notification of level error (backlint failed on a file) is a testcase
//!   `internal error` with an `<error>` in the file's suite; one of level warning (the file
//!   could not be read) a testcase `file not analysed` with `<skipped>`. Files skipped on
//!   purpose (notes) are left out.
//! - When no finding counts, a passing `<testsuite name="backlint">` with the testcase `scan`
//!   is added, so the report reads as a passed test rather than as no tests at all.
//!
//! No timestamps and no durations. Text and attributes are escaped (`&`, `<`, `>`, `"`, `'`;
//! tab, CR and LF in attributes as character references), and characters XML 1.0 does not
//! allow (C0 controls other than tab, CR, LF; U+FFFE, U+FFFF) become U+FFFD.

use std::collections::BTreeMap;
use std::io;

use backlint_engine::{Diagnostic, Notification, NotificationLevel};

use crate::{location_text, one_line, ReportInput};

/// Whether XML 1.0 allows `c` in a document (`Char` production).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `s` as XML character data.
pub(crate) fn escape_text(s: &str) -> String {
    escape(s, false)
}

/// `s` as a double-quoted XML attribute value.
pub(crate) fn escape_attribute(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Attribute-value normalisation would turn these into spaces.
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            // A literal CR is normalised away even in text.
            '\r' => out.push_str("&#13;"),
            c if !is_xml_char(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// One `<testcase>`.
enum Case<'a> {
    Finding(&'a Diagnostic),
    Notification(&'a Notification),
}

impl Case<'_> {
    fn counts(&self) -> (usize, usize, usize) {
        match self {
            Case::Finding(_) => (1, 0, 0),
            Case::Notification(n) if n.level == NotificationLevel::Error => (0, 1, 0),
            Case::Notification(_) => (0, 0, 1),
        }
    }

    fn write(&self, out: &mut dyn io::Write) -> io::Result<()> {
        match self {
            Case::Finding(d) => {
                let span = &d.location.span;
                let path = escape_attribute(&d.location.path);
                writeln!(
                    out,
                    "    <testcase classname=\"{path}\" name=\"{} at {}:{}\" file=\"{path}\">",
                    escape_attribute(d.rule),
                    span.start.line,
                    span.start.column
                )?;
                let mut body = format!("{}: {}", location_text(&d.location), one_line(&d.message));
                if let Some(help) = &d.help {
                    body.push_str("\nhelp: ");
                    body.push_str(help);
                }
                for r in &d.related {
                    body.push('\n');
                    body.push_str(&format!(
                        "{}: {}",
                        location_text(&r.location),
                        one_line(&r.message)
                    ));
                }
                writeln!(
                    out,
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                    d.severity,
                    escape_attribute(&one_line(&d.message)),
                    escape_text(&body)
                )?;
            }
            Case::Notification(n) => {
                let path = escape_attribute(&n.path);
                let name = if n.level == NotificationLevel::Error {
                    "internal error"
                } else {
                    "file not analysed"
                };
                writeln!(
                    out,
                    "    <testcase classname=\"{path}\" name=\"{name}\" file=\"{path}\">"
                )?;
                let message = escape_attribute(&one_line(&n.message));
                if n.level == NotificationLevel::Error {
                    writeln!(
                        out,
                        "      <error type=\"internal-error\" message=\"{message}\">{}: {}</error>",
                        escape_text(&n.path),
                        escape_text(&n.message)
                    )?;
                } else {
                    writeln!(out, "      <skipped message=\"{message}\"/>")?;
                }
            }
        }
        writeln!(out, "    </testcase>")
    }
}

pub(crate) fn render(input: &ReportInput, out: &mut dyn io::Write) -> io::Result<()> {
    let result = input.result;
    let mut suites: BTreeMap<&str, Vec<Case>> = BTreeMap::new();
    for d in result.active() {
        suites
            .entry(d.location.path.as_str())
            .or_default()
            .push(Case::Finding(d));
    }
    let any_finding = !suites.is_empty();
    for n in &result.notifications {
        if n.level != NotificationLevel::Note {
            suites
                .entry(n.path.as_str())
                .or_default()
                .push(Case::Notification(n));
        }
    }

    let mut tests = 0;
    let (mut failures, mut errors, mut skipped) = (0, 0, 0);
    let mut counted = Vec::with_capacity(suites.len());
    for (path, cases) in &suites {
        let (f, e, s) = cases
            .iter()
            .map(Case::counts)
            .fold((0, 0, 0), |a, c| (a.0 + c.0, a.1 + c.1, a.2 + c.2));
        tests += cases.len();
        failures += f;
        errors += e;
        skipped += s;
        counted.push((path, cases, f, e, s));
    }
    if !any_finding {
        tests += 1;
    }

    let name = escape_attribute(input.tool.name);
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<testsuites name=\"{name}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">"
    )?;
    if !any_finding {
        writeln!(
            out,
            "  <testsuite name=\"{name}\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\">"
        )?;
        writeln!(out, "    <testcase classname=\"{name}\" name=\"scan\"/>")?;
        writeln!(out, "  </testsuite>")?;
    }
    for (path, cases, f, e, s) in counted {
        writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{f}\" errors=\"{e}\" skipped=\"{s}\">",
            escape_attribute(path),
            cases.len()
        )?;
        for case in cases {
            case.write(out)?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            escape_text("a<b & \"c\" 'd'>"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
        assert_eq!(
            escape_text("x\u{1}y\u{1b}z\u{FFFE}"),
            "x\u{FFFD}y\u{FFFD}z\u{FFFD}"
        );
        assert_eq!(escape_text("a\tb\nc\r"), "a\tb\nc&#13;");
        assert_eq!(escape_attribute("a\tb\nc"), "a&#9;b&#10;c");
        assert_eq!(escape_text("é 😀 注"), "é 😀 注");
    }
}
