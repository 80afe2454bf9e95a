//! `--changed-since <ref>`: the files changed since the merge base of `ref` and `HEAD`, as
//! git reports them (committed, staged, unstaged and untracked, deleted files left out).
//! Runs the `git` command; backlint never changes the repository.

use std::path::{Path, PathBuf};
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("--changed-since needs the `git` command: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let err = err.lines().next().unwrap_or("").trim();
        return Err(format!("git {}: {err}", args.join(" ")));
    }
    String::from_utf8(out.stdout).map_err(|_| "git printed a path that is not UTF-8".to_string())
}

/// Absolute paths of the files changed since the merge base of `reference` and `HEAD`, in
/// the repository holding `dir`.
pub fn changed_files(dir: &Path, reference: &str) -> Result<Vec<PathBuf>, String> {
    if reference.starts_with('-') {
        return Err(format!(
            "--changed-since expects a git ref such as origin/main, not `{reference}`"
        ));
    }
    let top = git(dir, &["rev-parse", "--show-toplevel"])
        .map_err(|e| format!("--changed-since works inside a git repository ({e})"))?;
    let top = PathBuf::from(top.trim_end_matches(['\n', '\r']));
    let base = git(dir, &["merge-base", reference, "HEAD"]).map_err(|e| {
        format!("cannot find the merge base of `{reference}` and HEAD ({e}); is the ref fetched?")
    })?;
    let base = base.trim();
    let mut files: Vec<PathBuf> = Vec::new();
    let diff = git(
        &top,
        &[
            "diff",
            "--name-only",
            "-z",
            "--no-renames",
            "--diff-filter=d",
            base,
            "--",
        ],
    )?;
    let untracked = git(&top, &["ls-files", "-z", "--others", "--exclude-standard"])?;
    for name in diff.split('\0').chain(untracked.split('\0')) {
        if name.is_empty() {
            continue;
        }
        let path = top.join(name);
        if path.is_file() {
            files.push(path.canonicalize().unwrap_or(path));
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}
