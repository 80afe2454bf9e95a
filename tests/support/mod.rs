//! Helpers shared by the workspace-level tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use backlint_engine::{scan, RuleEntry, RuleSet, ScanOptions, ScanResult};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
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

/// Scans `paths` (relative to the repo root) with every rule.
pub fn scan_paths(paths: &[PathBuf]) -> ScanResult {
    let opts = ScanOptions::new(paths.to_vec(), repo_root());
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
