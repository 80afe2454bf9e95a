//! Helpers shared by the workspace-level tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use backlint_engine::{scan, ProjectContext, RuleEntry, RuleSet, ScanOptions, ScanResult};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .canonicalize()
        .expect("repo root")
}

/// Every registered rule, preview ones included.
pub fn all_rules() -> RuleSet {
    RuleSet::new(
        backlint_rules::all()
            .map(|(r, d)| RuleEntry::new(r, d))
            .collect(),
    )
    .expect("every rule's kinds exist in its grammars")
}

/// Scans `paths` (relative to the repo root) with every rule, as a project of their own (no
/// facts from the rest of the repository).
pub fn scan_paths(paths: &[PathBuf]) -> ScanResult {
    scan_in_project(paths, ProjectContext::None)
}

/// Every registered rule id: what a `backlint-ignore` comment may name.
pub fn known_rules() -> Vec<String> {
    backlint_rules::all()
        .map(|(r, _)| r.id().to_string())
        .collect()
}

/// Scans `paths` with every rule, taking project facts from `context` too. Suppression
/// comments are checked against the registry and unused ones are reported (every rule runs, so
/// a suppression that silences nothing in a fixture is a finding its annotations must expect).
pub fn scan_in_project(paths: &[PathBuf], context: ProjectContext) -> ScanResult {
    scan_with(paths, context, |_| {})
}

/// [`scan_in_project`] with some options changed by `tune`.
pub fn scan_with(
    paths: &[PathBuf],
    context: ProjectContext,
    tune: impl FnOnce(&mut ScanOptions),
) -> ScanResult {
    let mut opts = ScanOptions::new(paths.to_vec(), repo_root());
    opts.context = context;
    opts.known_rules = Some(known_rules());
    opts.report_unused_suppressions = true;
    tune(&mut opts);
    scan(&opts, &all_rules()).expect("scan")
}

/// Every file under `paths` (files themselves, folders walked without recursion), sorted.
pub fn files_under(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack: Vec<PathBuf> = paths.to_vec();
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            stack.extend(
                std::fs::read_dir(&p)
                    .expect("readable folder")
                    .filter_map(|e| e.ok().map(|e| e.path())),
            );
        } else {
            files.push(p);
        }
    }
    files.sort();
    files
}
