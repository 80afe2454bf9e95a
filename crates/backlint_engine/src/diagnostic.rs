//! The diagnostics model: what a rule reports and where.
//!
//! Locations carry byte offsets (what tree-sitter and miette speak) plus 1-based line and
//! column numbers computed once, in the worker that still holds the file's line index:
//! `column` counts Unicode scalar values (what people and editors' problem matchers read),
//! `column_utf16` counts UTF-16 code units (what SARIF consumers such as GitHub and the
//! VS Code SARIF viewer read). Reporters never need the source text to place a finding.

use std::fmt;

/// How serious a finding is. Ordered: `Note < Warning < Error`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// One step more serious (an error stays an error).
    pub fn raised(self) -> Severity {
        match self {
            Severity::Note => Severity::Warning,
            Severity::Warning | Severity::Error => Severity::Error,
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "note" | "info" => Some(Severity::Note),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A point in a file. All numbers are 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Position {
    pub line: u32,
    /// Column in Unicode scalar values (characters).
    pub column: u32,
    /// Column in UTF-16 code units (SARIF `columnKind: utf16CodeUnits`).
    #[serde(skip)]
    pub column_utf16: u32,
}

/// A half-open byte range `[start_byte, end_byte)` with its start and end positions.
/// `end` is the position just past the last character (exclusive), never column 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Span {
    pub start_byte: usize,
    pub end_byte: usize,
    pub start: Position,
    pub end: Position,
}

/// A span in a file, the path relative to the scan root with forward slashes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Location {
    pub path: String,
    #[serde(flatten)]
    pub span: Span,
}

/// A secondary location that explains the finding ("the loop starts here").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Stable across unrelated edits and across the folder backlint runs from: hash of rule
    /// id, file name, the flagged node's normalised source text and its occurrence index among
    /// identical findings in the file.
    pub fingerprint: String,
    /// Set when an inline `backlint-ignore` comment silences the finding. Suppressed findings
    /// only reach the result when the scan is asked to keep them
    /// ([`crate::ScanOptions::include_suppressed`]); they never fail a scan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression: Option<Suppression>,
    /// Set when the scan is compared with a baseline (`--baseline`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineState>,
}

/// Why a finding is silenced: the reason written after `--` in its `backlint-ignore` comment
/// (empty when none was given), and whether it came from a file-wide comment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Suppression {
    pub justification: String,
    /// The comment is `backlint-ignore-file`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub file_wide: bool,
}

/// A finding compared with a baseline (SARIF `baselineState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BaselineState {
    /// Not in the baseline.
    New,
    /// In the baseline and still found.
    Unchanged,
    /// In the baseline, no longer found.
    Absent,
}

impl BaselineState {
    pub fn as_str(self) -> &'static str {
        match self {
            BaselineState::New => "new",
            BaselineState::Unchanged => "unchanged",
            BaselineState::Absent => "absent",
        }
    }
}

impl Diagnostic {
    /// The order every output uses: path, line, column, rule, then message.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (
            &self.location.path,
            self.location.span.start.line,
            self.location.span.start.column,
            self.rule,
            &self.message,
        )
    }
}

/// Something that went wrong with one file (unreadable, not UTF-8, skipped, internal error).
/// The scan goes on; reporters show these apart from findings (SARIF `toolExecutionNotifications`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Notification {
    pub path: String,
    pub level: NotificationLevel,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NotificationLevel {
    /// A file was skipped on purpose (too large, minified, binary).
    Note,
    /// A file could not be read or decoded; it was not analysed.
    Warning,
    /// backlint itself failed on a file (a bug): its analysis is incomplete.
    Error,
}

impl NotificationLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationLevel::Note => "note",
            NotificationLevel::Warning => "warning",
            NotificationLevel::Error => "error",
        }
    }
}

/// 64-bit FNV-1a: tiny, stable across platforms and Rust versions (unlike `DefaultHasher`),
/// good enough to tell findings apart. Used for fingerprints.
#[derive(Debug, Clone, Copy)]
pub struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv64 {
    pub fn write(&mut self, bytes: &[u8]) -> &mut Self {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self
    }

    /// Writes a field followed by a separator byte that cannot occur in UTF-8 text.
    pub fn field(&mut self, s: &str) -> &mut Self {
        self.write(s.as_bytes()).write(&[0xff])
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::Severity;

    #[test]
    fn raising_a_severity_moves_it_one_step_and_stops_at_error() {
        assert_eq!(Severity::Note.raised(), Severity::Warning);
        assert_eq!(Severity::Warning.raised(), Severity::Error);
        assert_eq!(Severity::Error.raised(), Severity::Error);
    }
}
