//! Baselines: `--write-baseline FILE` records the current findings; `--baseline FILE` then
//! reports only the findings it does not hold, so a team can switch backlint on for an old
//! codebase and fail CI on new problems only.
//!
//! A finding is identified by its rule, its file and its fingerprint — a hash of the flagged
//! code's normalised text and its occurrence among identical findings in the file, never its
//! line — so edits elsewhere in the file do not make an old finding look new. Matching is a
//! multiset: two identical findings in one file need two entries. Paths are stored relative
//! to the baseline file's folder, so the baseline works whatever folder backlint runs from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use backlint_engine::{BaselineState, Diagnostic, ScanResult};
use serde::{Deserialize, Serialize};

use crate::config::relative_to;

pub const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub tool: String,
    pub findings: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    pub fingerprint: String,
    /// Where it was when recorded; informative only (shown for absent findings).
    pub line: u32,
    pub message: String,
}

/// The folder baseline paths are relative to.
fn base_dir(file: &Path) -> PathBuf {
    let dir = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    dir.canonicalize().unwrap_or(dir)
}

fn entry_path(d: &Diagnostic, root: &Path, base: &Path) -> String {
    let abs = root.join(&d.location.path);
    relative_to(&abs, base).unwrap_or_else(|| d.location.path.clone())
}

/// The baseline of a scan's active findings.
pub fn of(result: &ScanResult, file: &Path) -> Baseline {
    let base = base_dir(file);
    let mut findings: Vec<Entry> = result
        .active()
        .map(|d| Entry {
            path: entry_path(d, &result.root, &base),
            rule: d.rule.to_string(),
            fingerprint: d.fingerprint.clone(),
            line: d.location.span.start.line,
            message: d.message.clone(),
        })
        .collect();
    findings.sort();
    Baseline {
        version: VERSION,
        tool: "backlint".into(),
        findings,
    }
}

pub fn write(baseline: &Baseline, file: &Path) -> Result<(), String> {
    let mut text = serde_json::to_string_pretty(baseline)
        .map_err(|e| format!("cannot encode the baseline: {e}"))?;
    text.push('\n');
    std::fs::write(file, text).map_err(|e| format!("cannot write {}: {e}", file.display()))
}

pub fn read(file: &Path) -> Result<Baseline, String> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        format!(
            "cannot read the baseline {}: {e} (create it with --write-baseline)",
            file.display()
        )
    })?;
    let b: Baseline = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{} is not a backlint baseline ({e}); write a new one with --write-baseline",
            file.display()
        )
    })?;
    if b.version != VERSION {
        return Err(format!(
            "{} is a version {} baseline; this backlint reads version {VERSION}: write a new one with --write-baseline",
            file.display(),
            b.version
        ));
    }
    Ok(b)
}

/// Marks each finding `New` or `Unchanged`; with `keep_old`, keeps unchanged findings and
/// adds the baseline's findings no longer found as `Absent`, otherwise drops the unchanged
/// ones and counts them in `result.baselined`.
pub fn apply(result: &mut ScanResult, baseline: &Baseline, file: &Path, keep_old: bool) {
    let base = base_dir(file);
    let mut left: BTreeMap<(String, String, String), Vec<&Entry>> = BTreeMap::new();
    for e in &baseline.findings {
        left.entry((e.path.clone(), e.rule.clone(), e.fingerprint.clone()))
            .or_default()
            .push(e);
    }
    let root = result.root.clone();
    let mut kept = Vec::with_capacity(result.diagnostics.len());
    let mut baselined = 0;
    for mut d in std::mem::take(&mut result.diagnostics) {
        if d.suppression.is_some() {
            kept.push(d);
            continue;
        }
        let key = (
            entry_path(&d, &root, &base),
            d.rule.to_string(),
            d.fingerprint.clone(),
        );
        let matched = left.get_mut(&key).and_then(Vec::pop).is_some();
        if matched {
            baselined += 1;
            if keep_old {
                d.baseline = Some(BaselineState::Unchanged);
                kept.push(d);
            }
        } else {
            d.baseline = Some(BaselineState::New);
            kept.push(d);
        }
    }
    if keep_old {
        // Absent findings are placed where they were recorded: a best effort location in a
        // file that may have changed, enough for a viewer to list them.
        for ((_, rule, _), entries) in left {
            let Some(rule) = backlint_rules::all()
                .map(|(r, _)| r.id())
                .find(|id| *id == rule)
            else {
                continue;
            };
            for e in entries {
                let abs = base.join(&e.path);
                let path = relative_to(&abs, &root).unwrap_or_else(|| e.path.clone());
                let pos = backlint_engine::Position {
                    line: e.line.max(1),
                    column: 1,
                    column_utf16: 1,
                };
                kept.push(Diagnostic {
                    rule,
                    severity: backlint_rules::doc(rule)
                        .map_or(backlint_engine::Severity::Warning, |d| d.meta.severity),
                    message: e.message.clone(),
                    location: backlint_engine::Location {
                        path,
                        span: backlint_engine::Span {
                            start_byte: 0,
                            end_byte: 0,
                            start: pos,
                            end: pos,
                        },
                    },
                    related: Vec::new(),
                    help: None,
                    fingerprint: e.fingerprint.clone(),
                    suppression: None,
                    baseline: Some(BaselineState::Absent),
                });
            }
        }
        kept.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    result.diagnostics = kept;
    result.baselined = baselined;
}
