//! What a scan hands to the reporters.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::diagnostic::{Diagnostic, Notification};

/// The outcome of one scan, ready to render. Everything is sorted, so rendering is
/// deterministic whatever the thread count.
#[derive(Debug, Default)]
pub struct ScanResult {
    /// The absolute scan root; every `Location::path` is relative to it.
    pub root: PathBuf,
    /// Findings, sorted by path, line, column, rule, message.
    pub diagnostics: Vec<Diagnostic>,
    /// Files that could not be read, decoded or analysed, and files skipped on purpose.
    pub notifications: Vec<Notification>,
    /// Files read and analysed (parsed or scanned as text).
    pub files_scanned: usize,
    /// Files of the project outside the scanned paths analysed for project facts only (see
    /// [`crate::Rule::context_words`]).
    pub context_files: usize,
    /// Findings silenced by `backlint-ignore` comments (left out of `diagnostics` unless the
    /// scan kept them, marked with their [`crate::Suppression`]).
    pub suppressed: usize,
    /// Findings left out because a baseline already holds them (`--baseline`).
    pub baselined: usize,
    /// Wall-clock time of the scan, discovery to sorted results.
    pub duration: Duration,
    /// Source text of the files that have findings, by relative path — only kept when the
    /// scan was asked to (the human reporter draws source frames; the others need none).
    pub sources: BTreeMap<String, Arc<str>>,
}

impl ScanResult {
    /// Counts of findings by severity: `(errors, warnings, notes)`.
    pub fn counts(&self) -> (usize, usize, usize) {
        use crate::diagnostic::Severity::*;
        let mut c = (0, 0, 0);
        for d in self.active() {
            match d.severity {
                Error => c.0 += 1,
                Warning => c.1 += 1,
                Note => c.2 += 1,
            }
        }
        c
    }

    /// The findings that count: not suppressed, and not in the baseline nor absent from it.
    /// Exit codes and summaries use these; reporters may still show the others, marked.
    pub fn active(&self) -> impl Iterator<Item = &crate::Diagnostic> {
        self.diagnostics.iter().filter(|d| {
            d.suppression.is_none()
                && !matches!(
                    d.baseline,
                    Some(crate::BaselineState::Unchanged | crate::BaselineState::Absent)
                )
        })
    }

    /// Whether any notification says backlint itself failed on a file.
    pub fn had_internal_errors(&self) -> bool {
        self.notifications
            .iter()
            .any(|n| n.level == crate::diagnostic::NotificationLevel::Error)
    }
}
