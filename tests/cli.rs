//! End-to-end tests of the `backlint` command line: exit codes, error messages, discovery,
//! robustness against hostile files, the output formats, colour and determinism.
//!
//! Every test runs the real binary (`assert_cmd`), either on the repository's `fixtures/`
//! (with the repository root as the working directory, so paths start with `fixtures/`) or
//! on a small project written into a temporary directory.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

/// A line the `jwt-in-local-storage` rule (error level) flags.
const FINDING: &str = "localStorage.setItem('token', t);\n";

/// The regex every `--format concise` line must match.
const CONCISE_LINE: &str = r"^[^:]+:\d+:\d+: (error|warning|note)\[[a-z0-9-]+\] .+$";

/// The regex of the human summary line.
const SUMMARY_LINE: &str = r"^\d+ problems? \(\d+ errors?, \d+ warnings?(, \d+ notes?)?\) in \d+ files? scanned in \d+\.\d+s(; \d+ suppressed)?((; |, )\d+ in baseline)?$";

// ----------------------------------------------------------------------------------------
// Helpers
// ----------------------------------------------------------------------------------------

/// The binary, with an environment that does not leak from the caller's.
fn backlint() -> Command {
    let mut cmd = Command::cargo_bin("backlint").expect("the backlint binary is built");
    cmd.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("RAYON_NUM_THREADS")
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE");
    cmd
}

fn repo_root() -> PathBuf {
    support::repo_root()
}

/// The binary, run from the repository root.
fn at_root() -> Command {
    let mut cmd = backlint();
    cmd.current_dir(repo_root());
    cmd
}

/// The binary, run from `dir`.
fn in_dir(dir: &Path) -> Command {
    let mut cmd = backlint();
    cmd.current_dir(dir);
    cmd
}

/// What one run of the binary did.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

impl Run {
    /// The paths of the `--format concise` lines, in output order.
    fn concise_paths(&self) -> Vec<String> {
        self.stdout
            .lines()
            .map(|l| l.split(':').next().unwrap_or("").to_string())
            .collect()
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// Neither output shows a panic or a backtrace hint, and the binary exited normally
    /// with 0 or 1 (findings or not), never 2 (usage/internal error) or 101 (panic).
    fn assert_no_crash(&self, what: &str) {
        self.assert_no_panic(what);
        assert!(
            self.code == 0 || self.code == 1,
            "{what}: exit code {} (expected 0 or 1)\nstdout:\n{}\nstderr:\n{}",
            self.code,
            self.stdout,
            self.stderr
        );
        assert!(
            !self.stderr.contains("internal error"),
            "{what}: internal error reported:\n{}",
            self.stderr
        );
    }

    fn assert_no_panic(&self, what: &str) {
        for (name, text) in [("stdout", &self.stdout), ("stderr", &self.stderr)] {
            for bad in ["panicked", "RUST_BACKTRACE"] {
                assert!(
                    !text.contains(bad),
                    "{what}: {name} contains `{bad}`:\n{text}"
                );
            }
        }
    }

    /// A `warning:` line on stderr mentions `file`.
    fn assert_warned_about(&self, file: &str, what: &str) {
        assert!(
            self.stderr
                .lines()
                .any(|l| l.starts_with("warning:") && l.contains(file)),
            "{what}: no `warning:` line about {file} on stderr:\n{}",
            self.stderr
        );
    }
}

fn run(cmd: &mut Command) -> Run {
    let started = Instant::now();
    let out = cmd.output().expect("the binary runs");
    let elapsed = started.elapsed();
    Run {
        code: out
            .status
            .code()
            .unwrap_or_else(|| panic!("killed by a signal: {:?}", out.status)),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        elapsed,
    }
}

/// A temporary project with `files` (`/`-separated relative paths, parents created).
fn project(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, content) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("create dirs");
        std::fs::write(&full, content).expect("write file");
    }
    dir
}

fn regex(pattern: &str) -> impl Predicate<str> {
    predicate::str::is_match(pattern).expect("valid regex")
}

/// The lines of `text` matching the human summary regex.
fn summary_lines(text: &str) -> Vec<&str> {
    let re = regex(SUMMARY_LINE);
    text.lines().filter(|l| re.eval(l)).collect()
}

/// The integers of a summary line, in order: problems, errors, warnings, [notes,] files
/// (not the suppressed and baseline counts after `;`).
fn summary_numbers(line: &str) -> Vec<usize> {
    line.split(';')
        .next()
        .unwrap_or(line)
        .split_whitespace()
        .filter_map(|t| t.trim_matches(['(', ')', ',']).parse().ok())
        .collect()
}

/// Source files (by extension) under `dir`, recursively.
fn count_read_files(dir: &Path) -> usize {
    let mut n = 0;
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            n += count_read_files(&path);
        } else if backlint_engine::FileKind::of(&path).is_some() {
            // Every file backlint reads: sources, and config files (the secrets rule reads them).
            n += 1;
        }
    }
    n
}

fn scan_fixtures(format: &str) -> Run {
    let r = run(at_root().args(["scan", "fixtures", "--format", format]));
    assert_eq!(
        r.code, 1,
        "fixtures ({format}) must have findings\nstderr:\n{}",
        r.stderr
    );
    r
}

// ----------------------------------------------------------------------------------------
// 1. Exit codes
// ----------------------------------------------------------------------------------------

#[test]
fn exit_1_when_the_fixture_has_findings() {
    at_root()
        .args(["scan", "fixtures/jwt-in-local-storage"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("jwt-in-local-storage"));
}

#[test]
fn exit_0_on_a_clean_file() {
    let dir = project(&[("ok.ts", b"export const x = 1;\n")]);
    in_dir(dir.path())
        .arg("scan")
        .assert()
        .code(0)
        // The file was really scanned (not exit 0 because nothing was read).
        .stdout(predicate::str::contains(
            "0 problems (0 errors, 0 warnings) in 1 file scanned in ",
        ));
}

#[test]
fn fail_on_never_exits_0_despite_findings() {
    at_root()
        .args([
            "scan",
            "fixtures",
            "--fail-on",
            "never",
            "--format",
            "concise",
        ])
        .assert()
        .code(0)
        // The findings are still reported.
        .stdout(predicate::str::contains("error[jwt-in-local-storage]"));
}

#[test]
fn fail_on_error_exits_1_on_error_findings() {
    at_root()
        .args(["scan", "fixtures", "--fail-on", "error"])
        .assert()
        .code(1);
    at_root()
        .args(["scan", "fixtures", "--fail-on", "note"])
        .assert()
        .code(1);
}

// ----------------------------------------------------------------------------------------
// 2. Bad inputs: exit 2, one clear line, no panic
// ----------------------------------------------------------------------------------------

#[test]
fn missing_path_is_a_one_line_error() {
    let dir = project(&[("ok.ts", b"export const x = 1;\n")]);
    let r = run(in_dir(dir.path()).args(["scan", "no/such/file.ts"]));
    r.assert_no_panic("missing path");
    assert_eq!(r.code, 2, "stderr:\n{}", r.stderr);
    assert_eq!(r.stderr, "error: path not found: no/such/file.ts\n");
    assert_eq!(r.stdout, "");
}

#[test]
fn missing_path_among_existing_ones_is_an_error_too() {
    let dir = project(&[("a.ts", FINDING.as_bytes())]);
    let r = run(in_dir(dir.path()).args(["scan", "a.ts", "gone"]));
    r.assert_no_panic("missing second path");
    assert_eq!(r.code, 2, "stderr:\n{}", r.stderr);
    assert_eq!(r.stderr, "error: path not found: gone\n");
}

#[test]
fn unknown_format_is_a_usage_error() {
    let r = run(at_root().args(["scan", "fixtures", "--format", "xml"]));
    r.assert_no_panic("--format xml");
    assert_eq!(r.code, 2, "stderr:\n{}", r.stderr);
    assert!(r.stderr.starts_with("error:"), "stderr:\n{}", r.stderr);
    assert!(
        r.stderr.contains("'xml'") && r.stderr.contains("--format"),
        "stderr:\n{}",
        r.stderr
    );
    assert_eq!(r.stdout, "");
}

#[test]
fn misspelt_rule_suggests_the_right_one() {
    let r = run(at_root().args(["scan", "fixtures", "--select", "jwt-in-localstorage"]));
    r.assert_no_panic("--select typo");
    assert_eq!(r.code, 2, "stderr:\n{}", r.stderr);
    assert!(
        r.stderr.contains("did you mean `jwt-in-local-storage`"),
        "stderr:\n{}",
        r.stderr
    );
    assert_eq!(r.stderr.lines().count(), 1, "stderr:\n{}", r.stderr);
    assert_eq!(r.stdout, "");
}

#[test]
fn unwritable_output_is_an_error() {
    let target = "/nonexistent-dir/x.sarif";
    assert!(!Path::new("/nonexistent-dir").exists());
    let r = run(at_root().args(["scan", "fixtures", "--format", "sarif", "--output", target]));
    r.assert_no_panic("--output into a missing directory");
    assert_eq!(r.code, 2, "stderr:\n{}", r.stderr);
    assert!(
        r.stderr.starts_with("error: cannot write"),
        "stderr:\n{}",
        r.stderr
    );
    assert!(r.stderr.contains(target), "stderr:\n{}", r.stderr);
    assert_eq!(r.stdout, "");
}

#[test]
fn explain_of_an_unknown_rule_is_an_error() {
    let r = run(backlint().args(["explain", "no-such-rule"]));
    r.assert_no_panic("explain no-such-rule");
    assert_eq!(r.code, 2, "stderr:\n{}", r.stderr);
    assert!(r.stderr.starts_with("error:"), "stderr:\n{}", r.stderr);
    assert!(r.stderr.contains("no-such-rule"), "stderr:\n{}", r.stderr);
    assert_eq!(r.stdout, "");
}

// ----------------------------------------------------------------------------------------
// 3. Nothing to scan
// ----------------------------------------------------------------------------------------

#[test]
fn directory_without_supported_files() {
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
    let dir = project(&[
        (
            "README.md",
            b"# Hello\n\nlocalStorage.setItem('token', t);\n",
        ),
        ("image.png", png),
    ]);

    let human = run(in_dir(dir.path()).arg("scan"));
    human.assert_no_panic("no supported files");
    assert_eq!(human.code, 0, "stderr:\n{}", human.stderr);
    let summary = summary_lines(&human.stdout);
    assert_eq!(summary.len(), 1, "stdout:\n{}", human.stdout);
    assert!(
        summary[0].contains(" in 0 files scanned in "),
        "{}",
        summary[0]
    );

    let concise = run(in_dir(dir.path()).args(["scan", "--format", "concise"]));
    assert_eq!(concise.code, 0, "stderr:\n{}", concise.stderr);
    assert_eq!(concise.stdout, "");
}

// ----------------------------------------------------------------------------------------
// 4. Robustness
// ----------------------------------------------------------------------------------------

/// Runs `scan --format json` on `dir` itself and on `file` named explicitly.
fn scan_dir_and_file(dir: &Path, file: &str) -> [(String, Run); 2] {
    [
        (
            format!("{file} (directory scan)"),
            run(in_dir(dir).args(["scan", ".", "--format", "json"])),
        ),
        (
            format!("{file} (explicit path)"),
            run(in_dir(dir).args(["scan", file, "--format", "json"])),
        ),
    ]
}

#[test]
fn binary_file_is_skipped_with_a_warning() {
    // The finding after the NUL bytes would be reported if the file were parsed.
    let mut content = b"const a = 1;\0\0\0\x01\x02\n".to_vec();
    content.extend_from_slice(FINDING.as_bytes());
    let dir = project(&[("bin.js", &content)]);
    for (what, r) in scan_dir_and_file(dir.path(), "bin.js") {
        r.assert_no_crash(&what);
        assert_eq!(r.code, 0, "{what}: stdout:\n{}", r.stdout);
        r.assert_warned_about("bin.js", &what);
        let json = r.json();
        assert_eq!(json["diagnostics"], Value::Array(vec![]), "{what}");
        assert_eq!(json["summary"]["files_scanned"], 0, "{what}");
    }
}

#[test]
fn invalid_utf8_is_skipped_and_the_scan_goes_on() {
    let mut bad = vec![0xff, 0xfe];
    bad.extend_from_slice(FINDING.as_bytes());
    let dir = project(&[("bad.ts", &bad), ("good.ts", FINDING.as_bytes())]);

    let r = run(in_dir(dir.path()).args(["scan", "--format", "concise"]));
    r.assert_no_crash("invalid UTF-8 (directory)");
    r.assert_warned_about("bad.ts", "invalid UTF-8 (directory)");
    assert_eq!(r.code, 1, "stderr:\n{}", r.stderr);
    assert_eq!(r.concise_paths(), ["good.ts"], "stdout:\n{}", r.stdout);

    let r = run(in_dir(dir.path()).args(["scan", "bad.ts", "good.ts", "--format", "concise"]));
    r.assert_no_crash("invalid UTF-8 (explicit)");
    r.assert_warned_about("bad.ts", "invalid UTF-8 (explicit)");
    assert_eq!(r.code, 1, "stderr:\n{}", r.stderr);
    assert_eq!(r.concise_paths(), ["good.ts"], "stdout:\n{}", r.stdout);

    let r = run(in_dir(dir.path()).args(["scan", "bad.ts", "--format", "concise"]));
    r.assert_no_crash("invalid UTF-8 alone");
    r.assert_warned_about("bad.ts", "invalid UTF-8 alone");
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, "");
}

#[test]
fn empty_file_is_scanned() {
    let dir = project(&[("empty.py", b"")]);
    for (what, r) in scan_dir_and_file(dir.path(), "empty.py") {
        r.assert_no_crash(&what);
        assert_eq!(r.code, 0, "{what}");
        assert_eq!(r.stderr, "", "{what}");
        assert_eq!(r.json()["summary"]["files_scanned"], 1, "{what}");
    }
    let human = run(in_dir(dir.path()).arg("scan"));
    assert_eq!(human.code, 0);
    assert!(
        human.stdout.contains(" in 1 file scanned in "),
        "stdout:\n{}",
        human.stdout
    );
}

#[test]
fn huge_single_line_bundle_is_skipped_quickly() {
    // 5 MiB on one line, with a finding at the end that a parse would report.
    let mut bundle = "var a=1;".repeat(5 * 1024 * 1024 / 8).into_bytes();
    bundle.extend_from_slice(FINDING.trim_end().as_bytes());
    let dir = project(&[("bundle.js", &bundle)]);
    for (what, r) in scan_dir_and_file(dir.path(), "bundle.js") {
        r.assert_no_crash(&what);
        assert_eq!(r.code, 0, "{what}: stdout:\n{}", r.stdout);
        r.assert_warned_about("bundle.js", &what);
        assert!(
            r.stderr.contains("size limit") || r.stderr.contains("minified"),
            "{what}: stderr:\n{}",
            r.stderr
        );
        assert!(
            r.elapsed < Duration::from_secs(10),
            "{what}: took {:?}",
            r.elapsed
        );
    }
}

#[test]
fn minified_file_under_the_size_limit_is_skipped() {
    // 100 KB on one line: under the size limit, but an average line far over 500 bytes.
    let mut min = "var a=1;".repeat(100 * 1024 / 8).into_bytes();
    min.extend_from_slice(FINDING.trim_end().as_bytes());
    let dir = project(&[("app.js", &min)]);
    for (what, r) in scan_dir_and_file(dir.path(), "app.js") {
        r.assert_no_crash(&what);
        assert_eq!(r.code, 0, "{what}: stdout:\n{}", r.stdout);
        r.assert_warned_about("app.js", &what);
        assert!(r.stderr.contains("minified"), "{what}: {}", r.stderr);
    }
}

#[test]
fn short_single_line_file_is_not_taken_for_minified() {
    // 3 KB on one line: below the minified-detection threshold, so scanned normally.
    let mut line = "var a=1;".repeat(3 * 1024 / 8);
    line.push_str(FINDING);
    let dir = project(&[("small.js", line.as_bytes())]);
    for (what, r) in scan_dir_and_file(dir.path(), "small.js") {
        r.assert_no_crash(&what);
        assert_eq!(r.code, 1, "{what}: stderr:\n{}", r.stderr);
        assert_eq!(r.stderr, "", "{what}");
        let json = r.json();
        assert_eq!(json["summary"]["files_scanned"], 1, "{what}");
        assert_eq!(json["diagnostics"][0]["path"], "small.js", "{what}");
    }
}

/// Deeply nested code must neither crash the parser nor a rule's tree walk.
fn assert_survives(files: &[(&str, String)], expect_scanned: bool) {
    for (name, text) in files {
        let dir = project(&[(name, text.as_bytes())]);
        for (what, r) in scan_dir_and_file(dir.path(), name) {
            r.assert_no_crash(&what);
            if expect_scanned {
                // Really parsed and analysed, not skipped as minified.
                assert_eq!(r.json()["summary"]["files_scanned"], 1, "{what}");
                assert!(!r.stderr.contains("skipped"), "{what}: {}", r.stderr);
            }
        }
    }
}

#[test]
fn deep_nesting_on_one_line_does_not_crash() {
    // As one line these are taken for minified code; whatever happens, no crash.
    assert_survives(
        &[
            (
                "deep.ts",
                format!("const x = {}{};\n", "[".repeat(10_000), "]".repeat(10_000)),
            ),
            (
                "parens.ts",
                format!("const x = {}1{};\n", "(".repeat(10_000), ")".repeat(10_000)),
            ),
            (
                "calls.ts",
                format!("const x = {}{};\n", "f(".repeat(10_000), ")".repeat(10_000)),
            ),
            (
                "deep.py",
                format!("x = {}{}\n", "[".repeat(5_000), "]".repeat(5_000)),
            ),
        ],
        false,
    );
}

#[test]
fn deep_nesting_over_many_lines_is_analysed_without_crashing() {
    // One bracket per line, so the files are parsed and every rule walks the deep tree.
    let inner = FINDING.trim_end().trim_end_matches(';');
    assert_survives(
        &[
            (
                "deep.ts",
                format!(
                    "const x =\n{}{inner}\n{};\n",
                    "[\n".repeat(10_000),
                    "]\n".repeat(10_000)
                ),
            ),
            (
                "parens.ts",
                format!(
                    "const x =\n{}{inner}\n{};\n",
                    "(\n".repeat(10_000),
                    ")\n".repeat(10_000)
                ),
            ),
            (
                "calls.ts",
                format!(
                    "const x =\n{}{inner}\n{};\n",
                    "f(\n".repeat(10_000),
                    ")\n".repeat(10_000)
                ),
            ),
            (
                "deep.py",
                format!("x = (\n{}{})\n", "[\n".repeat(5_000), "]\n".repeat(5_000)),
            ),
        ],
        true,
    );
}

#[test]
fn finding_at_the_bottom_of_deep_nesting_is_reported() {
    let inner = FINDING.trim_end().trim_end_matches(';');
    let text = format!(
        "const x =\n{}{inner}\n{};\n",
        "f(\n".repeat(10_000),
        ")\n".repeat(10_000)
    );
    let dir = project(&[("calls.ts", text.as_bytes())]);
    let r = run(in_dir(dir.path()).args(["scan", "--format", "concise"]));
    r.assert_no_crash("deep calls");
    assert_eq!(r.code, 1, "stderr:\n{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("calls.ts:10002:1: error[jwt-in-local-storage]"),
        "stdout:\n{}",
        r.stdout
    );
}

// ----------------------------------------------------------------------------------------
// 5. Discovery
// ----------------------------------------------------------------------------------------

const EXCLUDED_BY_DEFAULT: &[&str] = &[
    "node_modules/x.js",
    "dist/y.js",
    "vendor/z.js",
    ".venv/a.py",
    "__pycache__/b.py",
    "coverage/c.js",
    ".next/d.js",
    "build/e.js",
    "app.min.js",
];

fn discovery_project() -> TempDir {
    let mut files: Vec<(&str, &[u8])> = EXCLUDED_BY_DEFAULT
        .iter()
        .map(|p| (*p, FINDING.as_bytes()))
        .collect();
    files.extend([
        ("src/kept.ts", FINDING.as_bytes()),
        ("ignored.ts", FINDING.as_bytes()),
        ("generated/g.ts", FINDING.as_bytes()),
        (".gitignore", b"ignored.ts\n".as_slice()),
        (".backlintignore", b"generated/\n".as_slice()),
    ]);
    project(&files)
}

#[test]
fn default_excludes_and_ignore_files_apply_to_directory_scans() {
    let dir = discovery_project();
    let r = run(in_dir(dir.path()).args(["scan", "--format", "concise"]));
    r.assert_no_crash("discovery");
    assert_eq!(r.code, 1, "stderr:\n{}", r.stderr);
    assert_eq!(r.concise_paths(), ["src/kept.ts"], "stdout:\n{}", r.stdout);

    // The Python files cannot have a finding of the (JS-only) rule: prove they were not
    // even read by counting the scanned files.
    let r = run(in_dir(dir.path()).args(["scan", "--format", "json"]));
    assert_eq!(
        r.json()["summary"]["files_scanned"],
        1,
        "stdout:\n{}",
        r.stdout
    );

    // The same when the directory is given by name.
    let r = run(backlint()
        .current_dir(dir.path().parent().expect("parent"))
        .args(["scan", "--format", "json"])
        .arg(dir.path()));
    let json = r.json();
    assert_eq!(json["summary"]["files_scanned"], 1, "stdout:\n{}", r.stdout);
    let paths: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["path"].as_str().expect("path"))
        .collect();
    assert_eq!(paths.len(), 1, "{paths:?}");
    assert!(paths[0].ends_with("src/kept.ts"), "{paths:?}");
}

#[test]
fn files_named_explicitly_are_always_scanned() {
    let dir = discovery_project();
    for path in [
        "node_modules/x.js",
        "ignored.ts",
        "generated/g.ts",
        "app.min.js",
        "dist/y.js",
    ] {
        let r = run(in_dir(dir.path()).args(["scan", path, "--format", "concise"]));
        r.assert_no_crash(path);
        assert_eq!(r.code, 1, "{path}: stderr:\n{}", r.stderr);
        assert_eq!(r.concise_paths(), [path], "stdout:\n{}", r.stdout);
    }
    for path in [".venv/a.py", "__pycache__/b.py"] {
        let r = run(in_dir(dir.path()).args(["scan", path, "--format", "json"]));
        r.assert_no_crash(path);
        assert_eq!(r.json()["summary"]["files_scanned"], 1, "{path}");
    }
    // Mixed with a directory: the named file is added to what the walk finds.
    let r = run(in_dir(dir.path()).args([
        "scan",
        ".",
        "node_modules/x.js",
        "ignored.ts",
        "--format",
        "concise",
    ]));
    assert_eq!(r.code, 1, "stderr:\n{}", r.stderr);
    assert_eq!(
        r.concise_paths(),
        ["ignored.ts", "node_modules/x.js", "src/kept.ts"],
        "stdout:\n{}",
        r.stdout
    );
}

// ----------------------------------------------------------------------------------------
// 6. Formats
// ----------------------------------------------------------------------------------------

#[test]
fn concise_lines_are_well_formed() {
    let r = scan_fixtures("concise");
    let re = regex(CONCISE_LINE);
    assert!(r.stdout.lines().count() > 0);
    for line in r.stdout.lines() {
        assert!(re.eval(line), "malformed concise line: {line:?}");
        assert!(line.starts_with("fixtures/"), "{line}");
    }
    assert!(r.stdout.ends_with('\n'));
}

#[test]
fn json_has_one_diagnostic_per_concise_line() {
    let concise = scan_fixtures("concise").stdout.lines().count();
    let json = scan_fixtures("json").json();
    let diagnostics = json["diagnostics"].as_array().expect("`diagnostics` array");
    assert!(concise > 0);
    assert_eq!(diagnostics.len(), concise);
    assert_eq!(json["summary"]["problems"], concise);
}

#[test]
fn sarif_is_valid_for_github() {
    let concise = scan_fixtures("concise").stdout.lines().count();
    let sarif = scan_fixtures("sarif").json();
    assert_eq!(sarif["version"], "2.1.0");
    let runs = sarif["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run0 = &runs[0];
    let rule_ids: Vec<&str> = run0["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["id"].as_str().expect("rule id"))
        .collect();
    let results = run0["results"].as_array().expect("results");
    assert_eq!(results.len(), concise);
    for result in results {
        let id = result["ruleId"].as_str().expect("ruleId");
        assert_eq!(
            rule_ids.iter().filter(|r| **r == id).count(),
            1,
            "{id} in {rule_ids:?}"
        );
        if let Some(index) = result["ruleIndex"].as_u64() {
            assert_eq!(rule_ids[index as usize], id);
        }
        let locations = result["locations"].as_array().expect("locations");
        assert!(!locations.is_empty());
        let related = result["relatedLocations"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for loc in locations.iter().chain(&related) {
            let uri = loc["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("artifactLocation.uri");
            assert!(
                !uri.starts_with('/') && !uri.starts_with("./") && !uri.starts_with("file:"),
                "not relative: {uri}"
            );
            assert!(uri.starts_with("fixtures/"), "{uri}");
        }
    }
}

#[test]
fn output_option_writes_the_file_and_nothing_on_stdout() {
    let out_dir = tempfile::tempdir().expect("temp dir");
    let target = out_dir.path().join("x.sarif");
    let r = run(at_root()
        .args(["scan", "fixtures", "--format", "sarif", "--output"])
        .arg(&target));
    r.assert_no_crash("--output");
    assert_eq!(r.code, 1, "stderr:\n{}", r.stderr);
    assert_eq!(r.stdout, "");
    let written = std::fs::read_to_string(&target).expect("the report file was written");
    assert_eq!(written, scan_fixtures("sarif").stdout);
}

// ----------------------------------------------------------------------------------------
// 7. No ANSI escapes unless asked for
// ----------------------------------------------------------------------------------------

#[test]
fn human_output_has_no_ansi_when_not_a_terminal() {
    let r = run(at_root().args(["scan", "fixtures"]));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("jwt-in-local-storage"));
    assert!(!r.stdout.contains("\x1b["), "ANSI in piped output");
    assert!(!r.stderr.contains("\x1b["), "ANSI on stderr");
}

#[test]
fn human_output_has_no_ansi_with_no_color() {
    for args in [
        &["scan", "fixtures"][..],
        &["scan", "fixtures", "--color", "auto"],
    ] {
        let r = run(at_root().args(args).env("NO_COLOR", "1"));
        assert_eq!(r.code, 1);
        assert!(r.stdout.contains("jwt-in-local-storage"));
        assert!(
            !r.stdout.contains("\x1b["),
            "{args:?}: ANSI with NO_COLOR=1"
        );
    }
}

#[test]
fn color_always_does_colour_and_only_the_human_format() {
    let r = run(at_root().args(["scan", "fixtures", "--color", "always"]));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("\x1b["), "no ANSI with --color always");
    for format in ["concise", "json", "sarif"] {
        let r = run(at_root().args(["scan", "fixtures", "--color", "always", "--format", format]));
        assert!(
            !r.stdout.contains("\x1b["),
            "{format}: ANSI in a machine format"
        );
    }
}

// ----------------------------------------------------------------------------------------
// 8. Determinism
// ----------------------------------------------------------------------------------------

#[test]
fn output_does_not_depend_on_the_thread_count() {
    for format in ["concise", "json", "sarif"] {
        let with = |threads: &str| {
            let out = at_root()
                .args(["scan", "fixtures", "--format", format])
                .env("RAYON_NUM_THREADS", threads)
                .output()
                .expect("runs");
            assert_eq!(out.status.code(), Some(1), "{format}");
            out.stdout
        };
        let one = with("1");
        let two = with("2");
        let again = with("2");
        assert!(!one.is_empty(), "{format}");
        assert!(one == two, "{format}: 1 thread vs 2 threads differ");
        assert!(two == again, "{format}: two runs with 2 threads differ");
    }
}

#[test]
fn output_is_deterministic_on_a_wide_tree() {
    // Many directories, so the parallel directory walk really runs in parallel and finds
    // files in a different order from run to run: the output must not show it.
    let paths: Vec<String> = (0..24)
        .flat_map(|d| (0..8).map(move |f| format!("pkg{d:02}/sub/file{f}.ts")))
        .collect();
    let files: Vec<(&str, &[u8])> = paths
        .iter()
        .map(|p| (p.as_str(), FINDING.as_bytes()))
        .collect();
    let dir = project(&files);
    for format in ["concise", "json", "sarif"] {
        let with = |threads: &str| {
            let out = in_dir(dir.path())
                .args(["scan", "--format", format])
                .env("RAYON_NUM_THREADS", threads)
                .output()
                .expect("runs");
            assert_eq!(out.status.code(), Some(1), "{format}");
            out.stdout
        };
        let runs = [with("1"), with("2"), with("2"), with("4")];
        assert!(
            runs.iter().all(|r| *r == runs[0]),
            "{format}: output differs between runs"
        );
    }
    let concise = run(in_dir(dir.path()).args(["scan", "--format", "concise"]));
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(concise.concise_paths(), sorted, "sorted by path");
}

// ----------------------------------------------------------------------------------------
// 9. Summary line
// ----------------------------------------------------------------------------------------

#[test]
fn summary_line_counts_are_right() {
    let concise = scan_fixtures("concise").stdout;
    let count = |sev: &str| {
        concise
            .lines()
            .filter(|l| l.contains(&format!(": {sev}[")))
            .count()
    };
    let problems = concise.lines().count();
    let (errors, warnings, notes) = (count("error"), count("warning"), count("note"));
    assert_eq!(errors + warnings + notes, problems);
    let files = count_read_files(&repo_root().join("fixtures"));
    assert!(problems > 0 && files > 0);

    let human = scan_fixtures("human").stdout;
    let summary = summary_lines(&human);
    assert_eq!(
        summary.len(),
        1,
        "no (or several) summary lines in:\n{human}"
    );
    let numbers = summary_numbers(summary[0]);
    let expected = if notes > 0 {
        vec![problems, errors, warnings, notes, files]
    } else {
        vec![problems, errors, warnings, files]
    };
    assert_eq!(numbers, expected, "summary: {}", summary[0]);
    assert_eq!(
        human.lines().last(),
        Some(summary[0]),
        "the summary is the last line"
    );
}

#[test]
fn summary_regex_accepts_singulars_and_notes() {
    // The checks above rely on this regex; make sure it is neither too loose nor too strict.
    let re = regex(SUMMARY_LINE);
    assert!(re.eval("1 problem (1 error, 0 warnings) in 1 file scanned in 0.00s"));
    assert!(re.eval("3 problems (1 error, 1 warning, 1 note) in 12 files scanned in 0.04s"));
    assert!(!re.eval("3 problems (1 error, 1 warning) in 12 files scanned in 0.04"));
    assert!(!re.eval("problems: 3"));
}

// ----------------------------------------------------------------------------------------
// 10. rules, explain, --version
// ----------------------------------------------------------------------------------------

#[test]
fn rules_lists_the_rule() {
    let r = run(backlint().arg("rules"));
    assert_eq!(r.code, 0, "stderr:\n{}", r.stderr);
    assert!(
        r.stdout
            .lines()
            .any(|l| l.split_whitespace().next() == Some("jwt-in-local-storage")),
        "stdout:\n{}",
        r.stdout
    );
}

#[test]
fn explain_prints_the_rule_doc() {
    backlint()
        .args(["explain", "jwt-in-local-storage"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("# jwt-in-local-storage"))
        .stdout(predicate::str::contains("## Why is this bad?"));
}

#[test]
fn version_exits_0() {
    backlint()
        .arg("--version")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
}

// ----------------------------------------------------------------------------------------
// 11. Unicode columns
// ----------------------------------------------------------------------------------------

#[test]
fn columns_are_characters_except_in_sarif() {
    let prefix = "const é = \"😀\"; ";
    let dir = project(&[(
        "u.ts",
        format!("{prefix}localStorage.setItem(\"token\", t);\n").as_bytes(),
    )]);
    // `const é = "😀"; ` is 15 characters, 16 UTF-16 code units and 19 bytes, so the
    // finding (at `localStorage`) starts at character column 16 and UTF-16 column 17.
    let chars = prefix.chars().count() as u64 + 1;
    let utf16 = prefix.encode_utf16().count() as u64 + 1;
    assert_eq!((chars, utf16, prefix.len()), (16, 17, 19));

    let concise = run(in_dir(dir.path()).args(["scan", "--format", "concise"]));
    assert_eq!(concise.code, 1, "stderr:\n{}", concise.stderr);
    assert!(
        concise
            .stdout
            .starts_with(&format!("u.ts:1:{chars}: error[jwt-in-local-storage]")),
        "stdout:\n{}",
        concise.stdout
    );

    let json = run(in_dir(dir.path()).args(["scan", "--format", "json"])).json();
    assert_eq!(json["diagnostics"][0]["start"]["line"], 1);
    assert_eq!(json["diagnostics"][0]["start"]["column"], chars);
    assert_eq!(json["diagnostics"][0]["start_byte"], prefix.len());

    let sarif = run(in_dir(dir.path()).args(["scan", "--format", "sarif"])).json();
    let run0 = &sarif["runs"][0];
    assert_eq!(run0["columnKind"], "utf16CodeUnits");
    let region = &run0["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 1);
    assert_eq!(region["startColumn"], utf16);
}

// ----------------------------------------------------------------------------------------
// 12. URIs
// ----------------------------------------------------------------------------------------

#[test]
fn sarif_uris_are_percent_encoded() {
    let dir = project(&[("dir with space/a b.ts", FINDING.as_bytes())]);
    let concise = run(in_dir(dir.path()).args(["scan", "--format", "concise"]));
    assert_eq!(concise.concise_paths(), ["dir with space/a b.ts"]);

    let r = run(in_dir(dir.path()).args(["scan", "--format", "sarif"]));
    assert_eq!(r.code, 1, "stderr:\n{}", r.stderr);
    let sarif = r.json();
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 1);
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "dir%20with%20space/a%20b.ts"
    );
}

const DRF_SETTINGS: &[u8] =
    b"REST_FRAMEWORK = {\"DEFAULT_AUTHENTICATION_CLASSES\": [\"rest_framework.authentication.SessionAuthentication\"]}\n";
const DRF_VIEWS: &[u8] = b"from rest_framework import generics\n\nfrom .models import Order\n\n\nclass OrderList(generics.ListAPIView):\n    queryset = Order.objects.all()\n";

/// A pre-commit run names one file; the project's settings, found from the nearest folder
/// with a project marker, still decide its verdict, and nothing is reported elsewhere.
#[test]
fn a_named_file_is_judged_with_facts_from_the_rest_of_its_project() {
    let dir = project(&[
        ("package.json", b"{}"),
        ("shop/settings.py", DRF_SETTINGS),
        ("shop/api/views.py", DRF_VIEWS),
        ("shop/api/other_views.py", DRF_VIEWS),
    ]);
    let r = run(in_dir(dir.path()).args(["scan", "shop/api/views.py", "--format", "concise"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", r.stdout);
    assert!(lines[0].starts_with("shop/api/views.py:7:"), "{}", r.stdout);
    assert!(lines[0].contains("error[unbounded-query]"), "{}", r.stdout);

    // Without a project marker the scan has only the named file: the default pagination is
    // unknown and the view is not reported.
    let bare = project(&[
        ("shop/settings.py", DRF_SETTINGS),
        ("shop/api/views.py", DRF_VIEWS),
    ]);
    let r = run(in_dir(bare.path()).args(["scan", "shop/api/views.py", "--format", "concise"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}
