//! `human`: one miette graphical report per finding that counts
//! ([`backlint_engine::ScanResult::active`]), then a blank line and the summary line, which
//! also counts suppressed and baselined findings. Notifications go to stderr through the CLI,
//! not here.
//!
//! Each report shows the rule id as the miette code, the message, a source frame whose header
//! is `path:line:col` (character column, like `concise`) with the primary span underlined and
//! related locations of the same file labelled with their messages, then `help:` with the fix
//! and any related locations in other files as `path:line:col: message`.
//!
//! When the source of a file is not in [`ScanResult::sources`] (or does not match the spans),
//! the report has no frame and the message is prefixed with `path:line:col: ` instead.
//!
//! The width is fixed and colour comes only from `ReportInput::color`, so the output does not
//! depend on the terminal.

use std::fmt;
use std::io;
use std::sync::Arc;

use backlint_engine::{Diagnostic, Location, Severity};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use crate::{location_text, one_line, summary_line, ReportInput};

/// Fixed output width, so reports do not depend on the terminal.
pub(crate) const WIDTH: usize = 100;

pub(crate) fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(WIDTH)
        .with_urls(false)
        .with_break_words(false)
        .with_context_lines(1)
        .tab_width(4)
        .without_primary_span_start()
        .without_syntax_highlighting()
}

pub(crate) fn render(input: &ReportInput, out: &mut dyn io::Write) -> io::Result<()> {
    let result = input.result;
    let handler = handler(input.color);
    for d in result.active() {
        let report = HumanReport::new(d, result.sources.get(&d.location.path));
        let mut text = String::new();
        handler
            .render_report(&mut text, &report)
            .map_err(|_| io::Error::other(format!("could not render {}", report.location)))?;
        out.write_all(text.as_bytes())?;
        writeln!(out)?;
    }
    // Notifications (skipped or unreadable files) are not repeated here: the CLI prints them
    // on stderr, in every format.
    writeln!(out, "{}", summary_line(result))
}

/// A span that can be drawn on `text`: in bounds and on character boundaries.
fn drawable(text: &str, location: &Location) -> bool {
    let span = &location.span;
    span.start_byte <= span.end_byte
        && span.end_byte <= text.len()
        && text.is_char_boundary(span.start_byte)
        && text.is_char_boundary(span.end_byte)
}

/// One diagnostic as a `miette::Diagnostic`.
struct HumanReport<'a> {
    diagnostic: &'a Diagnostic,
    location: String,
    /// The first line of the report: the message, prefixed with the location when there is
    /// no source frame to show it.
    message: String,
    help: Option<String>,
    source: Option<FileSource>,
    labels: Vec<LabeledSpan>,
}

impl<'a> HumanReport<'a> {
    fn new(d: &'a Diagnostic, text: Option<&Arc<str>>) -> HumanReport<'a> {
        let location = location_text(&d.location);
        let text = text.filter(|t| drawable(t, &d.location));
        let mut footer: Vec<String> = Vec::new();
        if let Some(help) = &d.help {
            footer.push(help.clone());
        }
        let mut labels = Vec::new();
        let mut known = Vec::new();
        if text.is_some() {
            let span = &d.location.span;
            labels.push(LabeledSpan::new_primary_with_span(
                None,
                source_span(span.start_byte, span.end_byte),
            ));
            known.push((span.start_byte, span.start.line, span.start.column));
        }
        for r in &d.related {
            match text {
                Some(t) if r.location.path == d.location.path && drawable(t, &r.location) => {
                    let span = &r.location.span;
                    labels.push(LabeledSpan::new_with_span(
                        Some(one_line(&r.message)),
                        source_span(span.start_byte, span.end_byte),
                    ));
                    known.push((span.start_byte, span.start.line, span.start.column));
                }
                _ => footer.push(format!(
                    "{}: {}",
                    location_text(&r.location),
                    one_line(&r.message)
                )),
            }
        }
        let message = if text.is_some() {
            one_line(&d.message)
        } else {
            format!("{location}: {}", one_line(&d.message))
        };
        HumanReport {
            diagnostic: d,
            location,
            message,
            help: (!footer.is_empty()).then(|| footer.join("\n")),
            source: text.map(|t| FileSource {
                path: d.location.path.clone(),
                text: Arc::clone(t),
                known,
            }),
            labels,
        }
    }
}

fn source_span(start: usize, end: usize) -> SourceSpan {
    SourceSpan::new(start.into(), end.saturating_sub(start))
}

impl fmt::Debug for HumanReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HumanReport")
            .field("rule", &self.diagnostic.rule)
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for HumanReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for HumanReport<'_> {}

impl miette::Diagnostic for HumanReport<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diagnostic.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.source.is_none() || self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// A file's text for miette. Each span it hands out is named `path:line:col` after the span's
/// start, so the frame header shows the location in characters (miette's own column would
/// count bytes). Starts of the diagnostic's spans use the engine's positions.
struct FileSource {
    path: String,
    text: Arc<str>,
    /// `(start_byte, line, column)` of the spans the engine placed.
    known: Vec<(usize, u32, u32)>,
}

impl FileSource {
    fn name_at(&self, offset: usize) -> String {
        if let Some(&(_, line, column)) = self.known.iter().find(|(o, _, _)| *o == offset) {
            return format!("{}:{line}:{column}", self.path);
        }
        let bytes = self.text.as_bytes();
        let before = &bytes[..offset.min(bytes.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        format!("{}:{line}:{column}", self.path)
    }
}

impl SourceCode for FileSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner =
            self.text
                .as_ref()
                .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name_at(span.offset()),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}
