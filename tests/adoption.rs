//! End-to-end tests of what a team needs to adopt backlint on an existing codebase:
//! configuration files (and their errors), rule options, `init` and `config`, excludes for
//! files named on the command line, `--changed-since`, `--stdin-filename`, baselines, several
//! reports from one run, the CI formats (`github`, `gitlab`, `junit`) and inline
//! suppressions.
//!
//! Every test runs the real binary (`assert_cmd`) on small projects written into temporary
//! directories; none reads or writes the repository's files.

use std::path::Path;
use std::process::Command as StdCommand;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// A line `jwt-in-local-storage` (security, error) flags.
const FINDING: &str = "localStorage.setItem('token', t);\n";

/// A line `hardcoded-secret` (security, error) flags at column 31.
const SECRET: &str = "export const ADMIN_PASSWORD = 'yvKf7NCWqU_LyaDUrV';\n";

/// A file `n-plus-one-query` (performance, warning) flags on line 5.
const N_PLUS_ONE: &str = "import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function load(ids: string[]) {
  for (const id of ids) {
    await prisma.user.findUnique({ where: { id } });
  }
}
";

/// A clean TypeScript file.
const CLEAN: &str = "export const x = 1;\n";

/// What `backlint` reports for a file holding [`FINDING`] only.
fn jwt(path: &str, line: u32) -> String {
    format!("{path}:{line} error[jwt-in-local-storage]")
}

/// A provider-format key (a Stripe live key), assembled so no scanner flags this file.
fn stripe_key(tail: &str) -> String {
    format!("{}_{}_{tail}", "sk", "live")
}

// ----------------------------------------------------------------------------------------
// Helpers
// ----------------------------------------------------------------------------------------

/// The binary, with an environment that does not leak from the caller's (no colour
/// settings, no git repository of the caller).
fn backlint() -> Command {
    let mut cmd = Command::cargo_bin("backlint").expect("the backlint binary is built");
    cmd.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("RAYON_NUM_THREADS")
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE");
    isolate_git(&mut cmd);
    cmd
}

/// The binary, run from `dir`.
fn in_dir(dir: &Path) -> Command {
    let mut cmd = backlint();
    cmd.current_dir(dir);
    cmd
}

/// Variables a git hook (or the caller's configuration) would set that would make `git -C`
/// act on another repository or sign commits.
const GIT_ENV: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_PREFIX",
    "GIT_CEILING_DIRECTORIES",
];

fn isolate_git<C: GitEnv>(cmd: &mut C) {
    for v in GIT_ENV {
        cmd.remove(v);
    }
    cmd.set("GIT_CONFIG_GLOBAL", "/dev/null");
    cmd.set("GIT_CONFIG_NOSYSTEM", "1");
}

/// Environment edits on both command types.
trait GitEnv {
    fn remove(&mut self, key: &str);
    fn set(&mut self, key: &str, value: &str);
}

impl GitEnv for Command {
    fn remove(&mut self, key: &str) {
        self.env_remove(key);
    }
    fn set(&mut self, key: &str, value: &str) {
        self.env(key, value);
    }
}

impl GitEnv for StdCommand {
    fn remove(&mut self, key: &str) {
        self.env_remove(key);
    }
    fn set(&mut self, key: &str, value: &str) {
        self.env(key, value);
    }
}

/// What one run of the binary did.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Both outputs, for assertion messages.
    fn dump(&self) -> String {
        format!(
            "exit code {}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    fn json(&self) -> Value {
        parse_json(&self.stdout, &self.dump())
    }

    /// The `--format concise` lines as `path:line severity[rule]`, in output order.
    fn brief(&self) -> Vec<String> {
        let re = regex::Regex::new(r"^(.+?):(\d+):(\d+): (error|warning|note)\[([a-z0-9-]+)\] .+$")
            .expect("valid regex");
        self.stdout
            .lines()
            .map(|l| {
                let c = re
                    .captures(l)
                    .unwrap_or_else(|| panic!("not a concise line: {l:?}\n{}", self.dump()));
                format!("{}:{} {}[{}]", &c[1], &c[2], &c[4], &c[5])
            })
            .collect()
    }

    /// Exits with `code`, and its concise output is exactly `expected` (see [`Run::brief`]).
    fn assert_brief<S: AsRef<str>>(&self, code: i32, expected: &[S], what: &str) {
        let expected: Vec<&str> = expected.iter().map(AsRef::as_ref).collect();
        assert_eq!(self.brief(), expected, "{what}\n{}", self.dump());
        assert_eq!(self.code, code, "{what}\n{}", self.dump());
    }

    /// Exit 2 with exactly one `error:` line on stderr holding `fragment`, nothing on stdout.
    fn assert_one_line_error(&self, fragment: &str, what: &str) {
        assert_eq!(self.code, 2, "{what}\n{}", self.dump());
        assert!(
            self.stderr.starts_with("error: ") && self.stderr.lines().count() == 1,
            "{what}: not a one-line error\n{}",
            self.dump()
        );
        assert!(
            self.stderr.contains(fragment),
            "{what}: `{fragment}` not in the error\n{}",
            self.dump()
        );
        assert_eq!(self.stdout, "", "{what}");
        self.assert_no_panic(what);
    }

    fn assert_no_panic(&self, what: &str) {
        for text in [&self.stdout, &self.stderr] {
            assert!(
                !text.contains("panicked") && !text.contains("RUST_BACKTRACE"),
                "{what}: panic\n{}",
                self.dump()
            );
        }
    }
}

fn parse_json(text: &str, context: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{context}"))
}

fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("the binary runs");
    Run {
        code: out
            .status
            .code()
            .unwrap_or_else(|| panic!("killed by a signal: {:?}", out.status)),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// `backlint scan ARGS` run from `dir`.
fn scan(dir: &Path, args: &[&str]) -> Run {
    run(in_dir(dir).arg("scan").args(args))
}

/// `backlint scan ARGS --format concise` run from `dir`.
fn concise(dir: &Path, args: &[&str]) -> Run {
    run(in_dir(dir)
        .arg("scan")
        .args(args)
        .args(["--format", "concise"]))
}

/// Writes `content` at `path` (`/`-separated, relative to `dir`), creating parents.
fn write(dir: &Path, path: &str, content: &str) {
    let full = dir.join(path);
    std::fs::create_dir_all(full.parent().expect("parent")).expect("create dirs");
    std::fs::write(&full, content).expect("write file");
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// A temporary project with `files` (`/`-separated relative paths, parents created).
fn project(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, content) in files {
        write(dir.path(), path, content);
    }
    dir
}

/// The results of a SARIF log's only run as `(ruleId, baselineState, uri, startLine)`.
fn sarif_results(sarif: &Value) -> Vec<(String, String, String, u64)> {
    sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().expect("ruleId").to_string(),
                r["baselineState"].as_str().unwrap_or("-").to_string(),
                loc["artifactLocation"]["uri"]
                    .as_str()
                    .expect("uri")
                    .to_string(),
                loc["region"]["startLine"].as_u64().expect("startLine"),
            )
        })
        .collect()
}

fn result(rule: &str, state: &str, uri: &str, line: u64) -> (String, String, String, u64) {
    (rule.into(), state.into(), uri.into(), line)
}

/// The number of problems of the human summary line (`N problems (…) in F files…`).
fn summary_problems(stdout: &str) -> usize {
    let re = regex::Regex::new(r"^(\d+) problems? \(\d+ errors?, \d+ warnings?(, \d+ notes?)?\) in \d+ files? scanned in \d+\.\d+s")
        .expect("valid regex");
    let counts: Vec<usize> = stdout
        .lines()
        .filter_map(|l| re.captures(l))
        .map(|c| c[1].parse().expect("a number"))
        .collect();
    assert_eq!(counts.len(), 1, "one summary line expected in:\n{stdout}");
    counts[0]
}

/// The `[header]` section of a TOML text: its lines up to the next header.
fn section<'a>(text: &'a str, header: &str) -> &'a str {
    let start = text
        .find(&format!("\n{header}\n"))
        .unwrap_or_else(|| panic!("no {header} in:\n{text}"))
        + header.len()
        + 2;
    let rest = &text[start..];
    let end = rest.find("\n[").map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

// ----------------------------------------------------------------------------------------
// 1. Configuration files
// ----------------------------------------------------------------------------------------

const JWT_AS_WARNING: &str = "[rules.jwt-in-local-storage]\nseverity = \"warning\"\n";
const JWT_AS_NOTE: &str = "[rules.jwt-in-local-storage]\nseverity = \"note\"\n";

#[test]
fn config_is_found_at_or_above_the_scanned_folder() {
    let dir = project(&[
        ("backlint.toml", JWT_AS_WARNING),
        ("sub/deep/a.ts", FINDING),
        // A pyproject.toml without a [tool.backlint] table is not a configuration.
        ("sub/deep/pyproject.toml", "[project]\nname = \"x\"\n"),
    ]);
    let root = dir.path();
    let expected = ["sub/deep/a.ts:1 warning[jwt-in-local-storage]"];
    concise(&root.join("sub/deep"), &["."]).assert_brief(1, &expected, "from inside");
    concise(root, &["sub/deep"]).assert_brief(1, &expected, "from the root");
    concise(root, &["sub/deep/a.ts"]).assert_brief(1, &expected, "a file");
    // Now a warning: --fail-on error passes.
    concise(root, &["sub/deep", "--fail-on", "error"]).assert_brief(0, &expected, "fail-on");

    // The nearest configuration wins (and makes sub/ the project paths are relative to).
    write(root, "sub/backlint.toml", JWT_AS_NOTE);
    concise(&root.join("sub/deep"), &["."]).assert_brief(
        0,
        &["deep/a.ts:1 note[jwt-in-local-storage]"],
        "nearest",
    );
}

#[test]
fn config_in_pyproject_and_dot_backlint_toml() {
    let dir = project(&[
        (
            "pyproject.toml",
            "[project]\nname = \"x\"\n\n[tool.backlint.rules.jwt-in-local-storage]\nseverity = \"note\"\n",
        ),
        ("a.ts", FINDING),
    ]);
    let root = dir.path();
    concise(root, &["."]).assert_brief(0, &["a.ts:1 note[jwt-in-local-storage]"], "pyproject");

    // In one folder: backlint.toml, then .backlint.toml, then pyproject.toml.
    write(root, ".backlint.toml", JWT_AS_WARNING);
    concise(root, &["."]).assert_brief(
        1,
        &["a.ts:1 warning[jwt-in-local-storage]"],
        ".backlint.toml before pyproject.toml",
    );
    write(root, "backlint.toml", "ignore = []\n");
    concise(root, &["."]).assert_brief(1, &[jwt("a.ts", 1)], "backlint.toml first");
}

#[test]
fn config_option_overrides_the_search_and_isolated_ignores_it() {
    let dir = project(&[("backlint.toml", JWT_AS_NOTE), ("a.ts", FINDING)]);
    let elsewhere = project(&[("other.toml", JWT_AS_WARNING)]);
    let root = dir.path();
    let other = elsewhere.path().join("other.toml");
    let other = other.to_str().expect("UTF-8 path");

    concise(root, &["."]).assert_brief(0, &["a.ts:1 note[jwt-in-local-storage]"], "found");
    concise(root, &[".", "--config", other]).assert_brief(
        1,
        &["a.ts:1 warning[jwt-in-local-storage]"],
        "--config",
    );
    concise(root, &[".", "--isolated"]).assert_brief(1, &[jwt("a.ts", 1)], "--isolated");

    let r = concise(root, &[".", "--config", "missing.toml"]);
    r.assert_one_line_error(
        "configuration file not found: missing.toml",
        "--config missing",
    );
}

#[test]
fn severity_override_changes_the_reported_severity_and_the_exit_code() {
    let dir = project(&[("secret.ts", SECRET), ("loop.ts", N_PLUS_ONE)]);
    let root = dir.path();
    let defaults = [
        "loop.ts:5 warning[n-plus-one-query]",
        "secret.ts:1 error[hardcoded-secret]",
    ];
    concise(root, &[".", "--fail-on", "error"]).assert_brief(1, &defaults, "defaults");

    write(
        root,
        "backlint.toml",
        "[rules.hardcoded-secret]\nseverity = \"warning\"\n",
    );
    let lowered = [
        "loop.ts:5 warning[n-plus-one-query]",
        "secret.ts:1 warning[hardcoded-secret]",
    ];
    concise(root, &[".", "--fail-on", "error"]).assert_brief(0, &lowered, "error → warning");
    concise(root, &["."]).assert_brief(1, &lowered, "warnings still fail by default");

    write(
        root,
        "backlint.toml",
        "[rules.hardcoded-secret]\nseverity = \"note\"\n[rules.n-plus-one-query]\nseverity = \"error\"\n",
    );
    let r = concise(root, &[".", "--fail-on", "error"]);
    r.assert_brief(
        1,
        &[
            "loop.ts:5 error[n-plus-one-query]",
            "secret.ts:1 note[hardcoded-secret]",
        ],
        "warning → error",
    );
    // The JSON summary counts the configured severities.
    let json = scan(root, &[".", "--format", "json"]).json();
    assert_eq!(json["summary"]["errors"], 1, "{json}");
    assert_eq!(json["summary"]["notes"], 1, "{json}");
    assert_eq!(json["diagnostics"][1]["severity"], "note", "{json}");
}

#[test]
fn include_exclude_and_extend_exclude() {
    let dir = project(&[
        ("src/a.ts", FINDING),
        ("src/gen/b.ts", FINDING),
        ("gen/c.ts", FINDING),
        ("node_modules/pkg/d.ts", FINDING),
        ("top.ts", FINDING),
    ]);
    let root = dir.path();
    let cases: &[(&str, &[&str])] = &[
        ("", &["gen/c.ts", "src/a.ts", "src/gen/b.ts", "top.ts"]),
        ("include = [\"src/**\"]", &["src/a.ts", "src/gen/b.ts"]),
        // Without `/`: a name at any depth. The default excludes still hold.
        ("extend-exclude = [\"gen\"]", &["src/a.ts", "top.ts"]),
        // With `/`: anchored at the configuration's folder.
        (
            "extend-exclude = [\"src/gen\"]",
            &["gen/c.ts", "src/a.ts", "top.ts"],
        ),
        (
            "extend-exclude = [\"/gen\"]",
            &["src/a.ts", "src/gen/b.ts", "top.ts"],
        ),
        (
            "extend-exclude = [\"*.ts\"]\ninclude = [\"src/**\"]",
            &[] as &[&str],
        ),
        // `exclude` replaces the default excludes.
        (
            "exclude = []",
            &[
                "gen/c.ts",
                "node_modules/pkg/d.ts",
                "src/a.ts",
                "src/gen/b.ts",
                "top.ts",
            ],
        ),
        (
            "exclude = [\"src\"]",
            &["gen/c.ts", "node_modules/pkg/d.ts", "top.ts"],
        ),
    ];
    for (config, files) in cases {
        write(root, "backlint.toml", config);
        let expected: Vec<String> = files.iter().map(|f| jwt(f, 1)).collect();
        let code = i32::from(!files.is_empty());
        concise(root, &["."]).assert_brief(code, &expected, config);
    }
}

#[test]
fn globs_are_relative_to_the_configuration_folder() {
    let dir = project(&[
        ("app/backlint.toml", "extend-exclude = [\"legacy/*.ts\"]\n"),
        ("app/legacy/a.ts", FINDING),
        ("app/src/legacy/b.ts", FINDING),
        ("app/c.ts", FINDING),
    ]);
    let root = dir.path();
    let expected = [jwt("app/c.ts", 1), jwt("app/src/legacy/b.ts", 1)];
    concise(root, &["app"]).assert_brief(1, &expected, "from above");
    let expected = [jwt("c.ts", 1), jwt("src/legacy/b.ts", 1)];
    concise(&root.join("app"), &["."]).assert_brief(1, &expected, "from inside");

    // --config FILE: relative to that file's folder, not to the current directory.
    let r = concise(root, &["app", "--config", "app/backlint.toml"]);
    r.assert_brief(
        1,
        &[jwt("app/c.ts", 1), jwt("app/src/legacy/b.ts", 1)],
        "--config",
    );
}

/// One finding of each of three rules: two security rules (errors) and a performance one.
fn three_rules_project() -> TempDir {
    project(&[
        ("jwt.ts", FINDING),
        ("secret.ts", SECRET),
        ("loop.ts", N_PLUS_ONE),
    ])
}

const JWT: &str = "jwt.ts:1 error[jwt-in-local-storage]";
const SECRET_FOUND: &str = "secret.ts:1 error[hardcoded-secret]";
const LOOP: &str = "loop.ts:5 warning[n-plus-one-query]";

#[test]
fn select_ignore_and_enabled() {
    let dir = three_rules_project();
    let root = dir.path();
    let cases: &[(&str, &[&str], &[&str])] = &[
        ("", &[], &[JWT, LOOP, SECRET_FOUND]),
        ("select = [\"jwt-in-local-storage\"]", &[], &[JWT]),
        ("select = [\"security\"]", &[], &[JWT, SECRET_FOUND]),
        // --select replaces the configuration's select.
        (
            "select = [\"jwt-in-local-storage\"]",
            &["--select", "hardcoded-secret"],
            &[SECRET_FOUND],
        ),
        ("ignore = [\"hardcoded-secret\"]", &[], &[JWT, LOOP]),
        ("ignore = [\"security\"]", &[], &[LOOP]),
        // --ignore adds to the configuration's ignore.
        (
            "ignore = [\"hardcoded-secret\"]",
            &["--ignore", "performance"],
            &[JWT],
        ),
        // enabled = false turns a rule off…
        (
            "[rules.hardcoded-secret]\nenabled = false",
            &[],
            &[JWT, LOOP],
        ),
        // …unless --select names it…
        (
            "[rules.hardcoded-secret]\nenabled = false",
            &["--select", "hardcoded-secret"],
            &[SECRET_FOUND],
        ),
        // …by its id: its category does not.
        (
            "[rules.hardcoded-secret]\nenabled = false",
            &["--select", "security"],
            &[JWT],
        ),
        // enabled = true does not bring back a rule outside `select`.
        (
            "select = [\"performance\"]\n[rules.hardcoded-secret]\nenabled = true",
            &[],
            &[LOOP],
        ),
    ];
    for (config, args, expected) in cases {
        write(root, "backlint.toml", config);
        let mut all = vec!["."];
        all.extend_from_slice(args);
        let code = i32::from(!expected.is_empty());
        concise(root, &all).assert_brief(code, expected, &format!("{config} {args:?}"));
    }
}

#[test]
fn fail_on_from_the_config_and_the_command_line() {
    let dir = project(&[("loop.ts", N_PLUS_ONE)]);
    let root = dir.path();
    write(root, "backlint.toml", "fail-on = \"error\"\n");
    concise(root, &["."]).assert_brief(0, &[LOOP], "config fail-on error, a warning");
    concise(root, &[".", "--fail-on", "warning"]).assert_brief(1, &[LOOP], "the CLI wins");
    concise(root, &[".", "--fail-on", "never"]).assert_brief(0, &[LOOP], "the CLI wins");

    write(root, "jwt.ts", FINDING);
    write(root, "backlint.toml", "fail-on = \"never\"\n");
    concise(root, &["."]).assert_brief(0, &[JWT, LOOP], "config fail-on never");
    concise(root, &[".", "--fail-on", "error"]).assert_brief(1, &[JWT, LOOP], "the CLI wins");
    write(root, "backlint.toml", "fail-on = \"note\"\n");
    concise(root, &["."]).assert_brief(1, &[JWT, LOOP], "config fail-on note");
}

#[test]
fn max_file_size_skips_larger_files_with_a_warning() {
    let big = format!(
        "{FINDING}{}",
        "// padding to make the file larger\n".repeat(10)
    );
    assert!(big.len() > 300);
    let dir = project(&[
        ("backlint.toml", "max-file-size = 300\n"),
        ("small.ts", FINDING),
        ("big.ts", &big),
    ]);
    let root = dir.path();
    let r = concise(root, &["."]);
    r.assert_brief(1, &[jwt("small.ts", 1)], "max-file-size = 300");
    let warnings: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", r.dump());
    assert!(
        warnings[0].contains("big.ts") && warnings[0].contains("size limit"),
        "{}",
        r.dump()
    );

    // The command line's --max-file-size wins.
    let r = concise(root, &[".", "--max-file-size", "100000"]);
    r.assert_brief(
        1,
        &[jwt("big.ts", 1), jwt("small.ts", 1)],
        "--max-file-size",
    );
    assert_eq!(r.stderr, "", "{}", r.dump());
}

#[test]
fn per_file_ignores() {
    let both = format!("{FINDING}{SECRET}");
    let dir = project(&[
        ("a.ts", &both),
        ("scripts/seed.ts", &both),
        ("legacy.ts", &both),
        ("old/legacy.ts", &both),
        ("src/scripts/x.ts", &both),
    ]);
    let root = dir.path();
    write(
        root,
        "backlint.toml",
        "[per-file-ignores]\n\"/scripts/**\" = [\"hardcoded-secret\"]\n\"legacy.ts\" = [\"security\"]\n",
    );
    concise(root, &["."]).assert_brief(
        1,
        &[
            "a.ts:1 error[jwt-in-local-storage]",
            "a.ts:2 error[hardcoded-secret]",
            "scripts/seed.ts:1 error[jwt-in-local-storage]",
            "src/scripts/x.ts:1 error[jwt-in-local-storage]",
            "src/scripts/x.ts:2 error[hardcoded-secret]",
        ],
        "per-file-ignores",
    );
    // A file named on the command line too.
    concise(root, &["old/legacy.ts"]).assert_brief(0, &[] as &[&str], "named file");
}

// ----------------------------------------------------------------------------------------
// 2. Configuration errors
// ----------------------------------------------------------------------------------------

/// Runs `scan .` with `config` as `backlint.toml`; asserts exit 2, a report naming the file
/// at `location` (`LINE:COL`) and holding every fragment, and nothing on stdout.
fn assert_config_error(file: &str, config: &str, location: &str, fragments: &[&str]) {
    let dir = project(&[(file, config), ("a.ts", FINDING)]);
    for args in [&["scan", "."][..], &["config"]] {
        let r = run(in_dir(dir.path()).args(args));
        let what = format!("{args:?} with {file}:\n{config}");
        r.assert_no_panic(&what);
        assert_eq!(r.code, 2, "{what}\n{}", r.dump());
        assert_eq!(r.stdout, "", "{what}");
        let at = format!("{file}:{location}]");
        assert!(
            r.stderr.contains(&at),
            "{what}: `{at}` not on stderr\n{}",
            r.dump()
        );
        for f in fragments {
            assert!(
                r.stderr.contains(f),
                "{what}: `{f}` not on stderr\n{}",
                r.dump()
            );
        }
    }
}

#[test]
fn unknown_top_level_key_suggests_the_closest() {
    assert_config_error(
        "backlint.toml",
        "select = [\"all\"]\nexlude = [\"a\"]\n",
        "2:1",
        &[
            "unknown key `exlude` in the configuration",
            "did you mean `exclude`?",
        ],
    );
    assert_config_error(
        "pyproject.toml",
        "[project]\nname = \"x\"\n\n[tool.backlint]\nexlude = []\n",
        "5:1",
        &[
            "unknown key `exlude` in the configuration",
            "did you mean `exclude`?",
        ],
    );
}

#[test]
fn unknown_rule_in_a_rules_table() {
    assert_config_error(
        "backlint.toml",
        "fail-on = \"warning\"\n[rules.jwt-in-localstorage]\nseverity = \"error\"\n",
        "2:8",
        &[
            "unknown rule `jwt-in-localstorage` in `rules`",
            "did you mean `jwt-in-local-storage`?",
        ],
    );
}

#[test]
fn unknown_option_of_a_rule() {
    assert_config_error(
        "backlint.toml",
        "[rules.missing-rate-limit]\nlimiter-name = [\"x\"]\n",
        "2:1",
        &[
            "unknown key `limiter-name` in `rules.missing-rate-limit`",
            "did you mean `limiter-names`?",
        ],
    );
    // An option of another rule is not an option of this one.
    assert_config_error(
        "backlint.toml",
        "[rules.jwt-in-local-storage]\ndb-receivers = [\"dal\"]\n",
        "2:1",
        &["unknown key `db-receivers` in `rules.jwt-in-local-storage`"],
    );
}

#[test]
fn wrong_types_and_values() {
    assert_config_error(
        "backlint.toml",
        "[rules.string-sql]\nseverity = 3\n",
        "2:12",
        &["`severity` must be a string"],
    );
    assert_config_error(
        "backlint.toml",
        "[rules.string-sql]\nseverity = \"eror\"\n",
        "2:12",
        &[
            "`severity` must be one of error, warning, note",
            "did you mean `error`?",
        ],
    );
    assert_config_error(
        "backlint.toml",
        "extend-exclude = \"x\"\n",
        "1:18",
        &["`extend-exclude` must be a list of strings"],
    );
    assert_config_error(
        "backlint.toml",
        "fail-on = \"warnings\"\n",
        "1:11",
        &["`fail-on` must be one of", "did you mean `warning`?"],
    );
    assert_config_error(
        "backlint.toml",
        "max-file-size = -1\n",
        "1:17",
        &["`max-file-size` must be a positive number of bytes"],
    );
    assert_config_error(
        "backlint.toml",
        "[rules.missing-rate-limit]\nlimiter-names = \"guardLogin\"\n",
        "2:17",
        &["`limiter-names` must be a list of strings"],
    );
}

#[test]
fn invalid_globs() {
    assert_config_error(
        "backlint.toml",
        "extend-exclude = [\"a[b\"]\n",
        "1:19",
        &["invalid glob `a[b`"],
    );
    assert_config_error(
        "backlint.toml",
        "[per-file-ignores]\n\"a[\" = [\"security\"]\n",
        "2:1",
        &["invalid glob `a[`"],
    );
}

#[test]
fn unknown_rule_names_in_select_and_per_file_ignores() {
    assert_config_error(
        "backlint.toml",
        "select = [\"jwt-in-localstorage\"]\n",
        "1:11",
        &[
            "unknown rule or category `jwt-in-localstorage` in `select`",
            "did you mean `jwt-in-local-storage`?",
        ],
    );
    assert_config_error(
        "backlint.toml",
        "ignore = [\"securty\"]\n",
        "1:11",
        &[
            "unknown rule or category `securty` in `ignore`",
            "did you mean `security`?",
        ],
    );
    assert_config_error(
        "backlint.toml",
        "[per-file-ignores]\n\"tests/**\" = [\"hardcoded-secrets\"]\n",
        "2:15",
        &[
            "unknown rule or category `hardcoded-secrets` in `per-file-ignores`",
            "did you mean `hardcoded-secret`?",
        ],
    );
}

#[test]
fn invalid_toml() {
    assert_config_error(
        "backlint.toml",
        "select = [\n",
        "2:1",
        &["is not valid TOML"],
    );
    assert_config_error(
        "backlint.toml",
        "ignore = []\nignore = []\n",
        "2:1",
        &["is not valid TOML"],
    );
}

// ----------------------------------------------------------------------------------------
// 3. Rule options
// ----------------------------------------------------------------------------------------

/// Scans `dir` without a configuration, then with `config`; asserts both concise outputs.
fn assert_option(dir: &Path, config: &str, without: &[&str], with: &[&str]) {
    let _ = std::fs::remove_file(dir.join("backlint.toml"));
    concise(dir, &["."]).assert_brief(
        i32::from(!without.is_empty()),
        without,
        "without the option",
    );
    write(dir, "backlint.toml", config);
    concise(dir, &["."]).assert_brief(i32::from(!with.is_empty()), with, config);
}

const EXPRESS_APP: &str = "const express = require('express');
const app = express();
function guardLogin(req, res, next) { next(); }
async function handler(req, res) { res.json({}); }
app.post('/login', guardLogin, handler);
app.post('/passkey', async (req, res) => { res.json({}); });
module.exports = app;
";

#[test]
fn missing_rate_limit_limiter_names() {
    let dir = project(&[("app.js", EXPRESS_APP)]);
    assert_option(
        dir.path(),
        "[rules.missing-rate-limit]\nlimiter-names = [\"guardLogin\"]\n",
        &["app.js:5 warning[missing-rate-limit]"],
        &[],
    );
    // The last dotted part of a name matches too.
    write(
        dir.path(),
        "app.js",
        &EXPRESS_APP.replace(
            "app.post('/login', guardLogin,",
            "const limits = { guardLogin };\napp.post('/login', limits.guardLogin,",
        ),
    );
    concise(dir.path(), &["."]).assert_brief(0, &[] as &[&str], "limits.guardLogin");
}

#[test]
fn missing_rate_limit_sensitive_path_words() {
    let dir = project(&[("app.js", EXPRESS_APP)]);
    let login = "app.js:5 warning[missing-rate-limit]";
    let passkey = "app.js:6 warning[missing-rate-limit]";
    assert_option(
        dir.path(),
        "[rules.missing-rate-limit]\nsensitive-path-words = [\"passkey\"]\n",
        &[login],
        &[login, passkey],
    );
    let r = concise(dir.path(), &["."]);
    assert!(
        r.stdout
            .contains("`POST /passkey` is an authentication endpoint"),
        "{}",
        r.dump()
    );
}

#[test]
fn hardcoded_secret_secret_names_and_allow_values() {
    let dir = project(&[(
        "config.ts",
        "export const ADMIN_PASSWORD = 'yvKf7NCWqU_LyaDUrV';\nexport const PAYMENT_PIN = 'q8Xz3LmT0vRk9WpB2nYs';\n",
    )]);
    assert_option(
        dir.path(),
        "[rules.hardcoded-secret]\nsecret-names = [\"payment-pin\"]\n",
        &["config.ts:1 error[hardcoded-secret]"],
        &[
            "config.ts:1 error[hardcoded-secret]",
            "config.ts:2 error[hardcoded-secret]",
        ],
    );
    assert_option(
        dir.path(),
        "[rules.hardcoded-secret]\nallow-values = [\"yvKf7NCWqU_LyaDUrV\"]\n",
        &["config.ts:1 error[hardcoded-secret]"],
        &[],
    );
}

#[test]
fn n_plus_one_query_db_methods() {
    let dir = project(&[(
        "svc.ts",
        "export async function load(registry: any, ids: string[]) {
  for (const id of ids) {
    await registry.fetchOne(id);
  }
}
",
    )]);
    assert_option(
        dir.path(),
        "[rules.n-plus-one-query]\ndb-methods = [\"fetchOne\"]\n",
        &[],
        &["svc.ts:3 warning[n-plus-one-query]"],
    );
}

#[test]
fn n_plus_one_query_db_receivers() {
    let dir = project(&[(
        "svc.ts",
        "export async function load(dal: any, ids: string[]) {
  for (const id of ids) {
    await dal.query('SELECT * FROM users WHERE id = $1', [id]);
  }
}
",
    )]);
    assert_option(
        dir.path(),
        "[rules.n-plus-one-query]\ndb-receivers = [\"dal\"]\n",
        &[],
        &["svc.ts:3 warning[n-plus-one-query]"],
    );
    let r = concise(dir.path(), &["."]);
    assert!(
        r.stdout.contains("`dal.query` runs once per iteration"),
        "{}",
        r.dump()
    );
}

// ----------------------------------------------------------------------------------------
// 4. init and config
// ----------------------------------------------------------------------------------------

#[test]
fn init_writes_a_configuration_that_scan_and_config_accept() {
    let dir = project(&[("a.ts", CLEAN)]);
    let root = dir.path();
    let r = run(in_dir(root).arg("init"));
    assert_eq!(r.code, 0, "{}", r.dump());
    assert!(r.stderr.contains("wrote backlint.toml"), "{}", r.dump());
    let text = read(&root.join("backlint.toml"));
    assert!(text.starts_with("# "), "commented:\n{text}");
    for rule in [
        "jwt-in-local-storage",
        "string-sql",
        "n-plus-one-query",
        "hardcoded-secret",
        "unbounded-query",
        "missing-rate-limit",
    ] {
        assert!(
            text.contains(&format!("\n[rules.{rule}]\n")),
            "{rule}:\n{text}"
        );
    }
    assert!(text.contains("limiter-names"), "{text}");

    let r = run(in_dir(root).arg("config"));
    assert_eq!(r.code, 0, "{}", r.dump());
    assert!(
        r.stdout.starts_with("# configuration file: ")
            && r.stdout
                .lines()
                .next()
                .unwrap_or("")
                .ends_with("backlint.toml"),
        "{}",
        r.dump()
    );
    let r = scan(root, &["."]);
    assert_eq!(r.code, 0, "{}", r.dump());
    assert_eq!(summary_problems(&r.stdout), 0, "{}", r.dump());

    // The defaults it writes change nothing: a finding is still one.
    write(root, "b.ts", FINDING);
    concise(root, &["."]).assert_brief(1, &[jwt("b.ts", 1)], "after init");

    // `init -` prints the same text and writes nothing.
    let printed = run(in_dir(root).args(["init", "-"]));
    assert_eq!(printed.code, 0, "{}", printed.dump());
    assert_eq!(printed.stdout, text);
    assert!(!root.join("-").exists());
}

#[test]
fn init_does_not_overwrite_without_force() {
    let dir = project(&[("backlint.toml", "ignore = [\"security\"]\n")]);
    let root = dir.path();
    let r = run(in_dir(root).arg("init"));
    r.assert_one_line_error("already exists", "init over a file");
    assert!(r.stderr.contains("--force"), "{}", r.dump());
    assert_eq!(
        read(&root.join("backlint.toml")),
        "ignore = [\"security\"]\n"
    );

    let r = run(in_dir(root).args(["init", "--force"]));
    assert_eq!(r.code, 0, "{}", r.dump());
    let printed = run(in_dir(root).args(["init", "-"]));
    assert_eq!(read(&root.join("backlint.toml")), printed.stdout);

    // Another path.
    let r = run(in_dir(root).args(["init", "conf/custom.toml"]));
    assert_eq!(r.code, 2, "missing folder: {}", r.dump());
    std::fs::create_dir(root.join("conf")).expect("mkdir");
    let r = run(in_dir(root).args(["init", "conf/custom.toml"]));
    assert_eq!(r.code, 0, "{}", r.dump());
    assert_eq!(read(&root.join("conf/custom.toml")), printed.stdout);
}

#[test]
fn config_prints_the_effective_configuration() {
    let dir = project(&[
        (
            "backlint.toml",
            "extend-exclude = [\"generated\"]\nfail-on = \"error\"\n\n[rules.jwt-in-local-storage]\nseverity = \"warning\"\n\n[rules.string-sql]\nenabled = false\n\n[rules.missing-rate-limit]\nlimiter-names = [\"guardLogin\", \"limits.strict\"]\n\n[per-file-ignores]\n\"scripts/**\" = [\"hardcoded-secret\"]\n",
        ),
        ("src/a.ts", CLEAN),
    ]);
    let root = dir.path();
    for (cwd, args) in [
        (root.to_path_buf(), vec!["config"]),
        (root.join("src"), vec!["config", "."]),
        (root.to_path_buf(), vec!["config", "src"]),
    ] {
        let r = run(in_dir(&cwd).args(&args));
        let what = format!("{args:?} in {}", cwd.display());
        assert_eq!(r.code, 0, "{what}\n{}", r.dump());
        let out = &r.stdout;
        let first = out.lines().next().unwrap_or("");
        assert!(
            first.starts_with("# configuration file: ") && first.ends_with("backlint.toml"),
            "{what}\n{out}"
        );
        assert!(
            out.contains("\nextend-exclude = [\"generated\"]\n"),
            "{what}\n{out}"
        );
        assert!(out.contains("\nfail-on = \"error\"\n"), "{what}\n{out}");
        assert!(
            out.contains("\"scripts/**\" = [\"hardcoded-secret\"]\n"),
            "{what}\n{out}"
        );
        let jwt = section(out, "[rules.jwt-in-local-storage]");
        assert!(jwt.contains("enabled = true\n"), "{what}\n{jwt}");
        assert!(jwt.contains("severity = \"warning\"\n"), "{what}\n{jwt}");
        let sql = section(out, "[rules.string-sql]");
        assert!(sql.contains("enabled = false\n"), "{what}\n{sql}");
        let rate = section(out, "[rules.missing-rate-limit]");
        assert!(
            rate.contains("limiter-names = [\"guardLogin\", \"limits.strict\"]\n"),
            "{what}\n{rate}"
        );
        let secret = section(out, "[rules.hardcoded-secret]");
        assert!(
            secret.contains("severity = \"error\"\n"),
            "{what}\n{secret}"
        );
    }

    // Without a configuration file: the defaults.
    let bare = project(&[("a.ts", CLEAN)]);
    let r = run(in_dir(bare.path()).arg("config"));
    assert_eq!(r.code, 0, "{}", r.dump());
    assert!(
        r.stdout.starts_with("# no configuration file found"),
        "{}",
        r.dump()
    );
    assert!(
        section(&r.stdout, "[rules.string-sql]").contains("enabled = true\n"),
        "{}",
        r.dump()
    );

    // --config names the file.
    let other = project(&[("other.toml", "[rules.string-sql]\nseverity = \"note\"\n")]);
    let path = other.path().join("other.toml");
    let r = run(in_dir(bare.path()).arg("config").arg("--config").arg(&path));
    assert_eq!(r.code, 0, "{}", r.dump());
    assert!(
        r.stdout
            .lines()
            .next()
            .unwrap_or("")
            .ends_with("other.toml"),
        "{}",
        r.dump()
    );
    assert!(
        section(&r.stdout, "[rules.string-sql]").contains("severity = \"note\"\n"),
        "{}",
        r.dump()
    );
}

// ----------------------------------------------------------------------------------------
// 5. Files named on the command line and --force-exclude
// ----------------------------------------------------------------------------------------

#[test]
fn named_files_are_scanned_unless_force_exclude() {
    let dir = project(&[
        ("backlint.toml", "extend-exclude = [\"gen\"]\n"),
        ("gen/g.ts", FINDING),
        ("node_modules/pkg/x.ts", FINDING),
        ("a.ts", FINDING),
    ]);
    let root = dir.path();
    for path in ["gen/g.ts", "node_modules/pkg/x.ts"] {
        concise(root, &[path]).assert_brief(1, &[jwt(path, 1)], path);
        concise(root, &[path, "--force-exclude"]).assert_brief(
            0,
            &[] as &[&str],
            &format!("{path} --force-exclude"),
        );
    }
    // A file the configuration does not exclude is scanned either way.
    concise(root, &["a.ts", "--force-exclude"]).assert_brief(1, &[jwt("a.ts", 1)], "a.ts");
    concise(root, &["a.ts", "gen/g.ts", "--force-exclude"]).assert_brief(
        1,
        &[jwt("a.ts", 1)],
        "a.ts and gen/g.ts",
    );
    // A directory walk excludes them whatever the flag.
    concise(root, &["."]).assert_brief(1, &[jwt("a.ts", 1)], "directory");
}

// ----------------------------------------------------------------------------------------
// 6. --changed-since
// ----------------------------------------------------------------------------------------

fn git(dir: &Path, args: &[&str]) {
    let mut cmd = StdCommand::new("git");
    isolate_git(&mut cmd);
    let out = cmd
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A git repository with `files` committed on `main`, then a `feature` branch checked out.
fn repo(files: &[(&str, &str)]) -> TempDir {
    let dir = project(files);
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "main"]);
    git(dir.path(), &["checkout", "-q", "-b", "feature"]);
    dir
}

#[test]
fn changed_since_reports_only_changed_files() {
    let dir = repo(&[("a.ts", FINDING), ("b.ts", CLEAN), ("d.ts", CLEAN)]);
    let root = dir.path();
    // Committed on the branch.
    write(root, "b.ts", &format!("{CLEAN}{FINDING}"));
    git(root, &["commit", "-q", "-am", "b"]);
    // Changed, not staged.
    write(root, "d.ts", &format!("{CLEAN}{CLEAN}{FINDING}"));
    // Untracked.
    write(root, "c.ts", FINDING);

    let expected = [jwt("b.ts", 2), jwt("c.ts", 1), jwt("d.ts", 3)];
    concise(root, &[".", "--changed-since", "main"]).assert_brief(1, &expected, "changed");
    concise(root, &["--changed-since", "main"]).assert_brief(1, &expected, "no path");
    // The whole scan still sees a.ts.
    concise(root, &["."]).assert_brief(
        1,
        &[
            jwt("a.ts", 1),
            jwt("b.ts", 2),
            jwt("c.ts", 1),
            jwt("d.ts", 3),
        ],
        "without --changed-since",
    );
    // Only changed files inside the scanned path.
    write(root, "sub/e.ts", FINDING);
    concise(root, &["sub", "--changed-since", "main"]).assert_brief(
        1,
        &[jwt("sub/e.ts", 1)],
        "sub",
    );
}

#[test]
fn changed_since_keeps_the_configuration_excludes() {
    let dir = repo(&[
        ("backlint.toml", "extend-exclude = [\"gen\"]\n"),
        ("a.ts", CLEAN),
    ]);
    let root = dir.path();
    write(root, "gen/g.ts", FINDING);
    write(root, "node_modules/p/x.ts", FINDING);
    write(root, "a.ts", FINDING);
    concise(root, &[".", "--changed-since", "main"]).assert_brief(
        1,
        &[jwt("a.ts", 1)],
        "excluded changed files",
    );
}

#[test]
fn changed_since_without_changes_and_with_a_bad_ref() {
    let dir = repo(&[("a.ts", FINDING)]);
    let root = dir.path();
    let r = concise(root, &[".", "--changed-since", "main"]);
    r.assert_brief(0, &[] as &[&str], "no change");
    assert_eq!(r.stderr, "", "{}", r.dump());
    let r = scan(root, &[".", "--changed-since", "main"]);
    assert_eq!(r.code, 0, "{}", r.dump());
    assert_eq!(summary_problems(&r.stdout), 0, "{}", r.dump());

    let r = concise(root, &[".", "--changed-since", "no-such-branch"]);
    r.assert_one_line_error("no-such-branch", "bad ref");

    let not_a_repo = project(&[("a.ts", FINDING)]);
    let r = concise(not_a_repo.path(), &[".", "--changed-since", "main"]);
    r.assert_one_line_error("git", "not a repository");
}

const APP_WITH_LIMITER: &str = "import express from 'express';
import rateLimit from 'express-rate-limit';
import authRouter from './routes/auth';

const app = express();
app.use(express.json());
app.use('/auth', rateLimit({ windowMs: 60 * 1000, limit: 10 }));
app.use('/auth', authRouter);

export default app;
";

const APP_WITHOUT_LIMITER: &str = "import express from 'express';
import authRouter from './routes/auth';

const app = express();
app.use(express.json());
app.use('/auth', authRouter);

export default app;
";

const AUTH_ROUTES_BEFORE: &str = "import { Router } from 'express';

const router = Router();

router.get('/me', (req, res) => res.json({}));

export default router;
";

const AUTH_ROUTES_AFTER: &str = "import { Router } from 'express';

const router = Router();

router.get('/me', (req, res) => res.json({}));

router.post('/login', async (req, res) => {
  res.json({ token: 'x' });
});

export default router;
";

#[test]
fn changed_since_takes_project_facts_from_unchanged_files() {
    // The limiter lives in app.ts, which does not change: the route is covered.
    let dir = repo(&[
        ("app.ts", APP_WITH_LIMITER),
        ("routes/auth.ts", AUTH_ROUTES_BEFORE),
    ]);
    write(dir.path(), "routes/auth.ts", AUTH_ROUTES_AFTER);
    let r = concise(dir.path(), &[".", "--changed-since", "main"]);
    r.assert_brief(0, &[] as &[&str], "limiter in the unchanged app.ts");
    assert_eq!(r.stderr, "", "{}", r.dump());

    // The same change in an app without a limiter is reported.
    let dir = repo(&[
        ("app.ts", APP_WITHOUT_LIMITER),
        ("routes/auth.ts", AUTH_ROUTES_BEFORE),
    ]);
    write(dir.path(), "routes/auth.ts", AUTH_ROUTES_AFTER);
    let r = concise(dir.path(), &[".", "--changed-since", "main"]);
    r.assert_brief(
        1,
        &["routes/auth.ts:7 warning[missing-rate-limit]"],
        "no limiter",
    );
    // Mounted at /auth by app.ts: the path comes from the unchanged file.
    assert!(r.stdout.contains("`POST /auth/login`"), "{}", r.dump());
}

// ----------------------------------------------------------------------------------------
// 7. --stdin-filename
// ----------------------------------------------------------------------------------------

#[test]
fn stdin_filename_scans_standard_input_as_that_file() {
    let dir = project(&[
        ("web/backlint.toml", JWT_AS_NOTE),
        ("web/disk.ts", CLEAN),
        ("api/disk.ts", FINDING),
    ]);
    let root = dir.path();
    let stdin = |path: &str, text: &str, format: &str| {
        run(in_dir(root)
            .args(["scan", "--stdin-filename", path, "--format", format])
            .write_stdin(text.to_string()))
    };
    // The file does not exist; its folder's configuration applies.
    stdin("web/new.ts", FINDING, "concise").assert_brief(
        0,
        &["web/new.ts:1 note[jwt-in-local-storage]"],
        "new file in web/",
    );
    let json = stdin("web/new.ts", FINDING, "json").json();
    assert_eq!(json["diagnostics"][0]["path"], "web/new.ts", "{json}");
    assert_eq!(json["summary"]["files_scanned"], 1, "{json}");

    // Standard input, not the file on disk, is scanned.
    stdin("web/disk.ts", &format!("{CLEAN}{FINDING}"), "concise").assert_brief(
        0,
        &["web/disk.ts:2 note[jwt-in-local-storage]"],
        "stdin over a clean file",
    );
    stdin("api/disk.ts", CLEAN, "concise").assert_brief(0, &[] as &[&str], "clean stdin");
    stdin("api/new.ts", FINDING, "concise").assert_brief(
        1,
        &[jwt("api/new.ts", 1)],
        "no configuration in api/",
    );
    // The language comes from the name.
    stdin("api/new.py", FINDING, "concise").assert_brief(0, &[] as &[&str], "Python");

    let r = stdin("notes.txt", FINDING, "concise");
    r.assert_one_line_error("notes.txt", "unknown extension");
}

/// The contract: the configuration of PATH's folder applies. Fails today when PATH does not
/// exist and goes up with `..`: the search walks `web/../api`'s lexical ancestors, so it finds
/// `web/backlint.toml` (the current folder's) instead of none.
#[test]

fn stdin_filename_in_a_sibling_folder_uses_that_folders_configuration() {
    let dir = project(&[("web/backlint.toml", JWT_AS_NOTE), ("api/disk.ts", CLEAN)]);
    let web = dir.path().join("web");
    let r = run(in_dir(&web)
        .args([
            "scan",
            "--stdin-filename",
            "../api/new.ts",
            "--format",
            "concise",
        ])
        .write_stdin(FINDING));
    assert_eq!(r.code, 1, "{}", r.dump());
    assert!(
        r.stdout.contains("error[jwt-in-local-storage]"),
        "{}",
        r.dump()
    );
}

// ----------------------------------------------------------------------------------------
// 8. Baselines
// ----------------------------------------------------------------------------------------

#[test]
fn write_baseline_records_findings_and_exits_0() {
    let dir = project(&[("a.ts", &format!("{CLEAN}{FINDING}")), ("s.ts", SECRET)]);
    let root = dir.path();
    let r = concise(root, &[".", "--write-baseline", "base.json"]);
    // The findings are still reported, but the run passes.
    r.assert_brief(
        0,
        &[jwt("a.ts", 2), "s.ts:1 error[hardcoded-secret]".into()],
        "--write-baseline",
    );
    assert!(
        r.stderr.contains("wrote base.json with 2 findings"),
        "{}",
        r.dump()
    );
    let b = parse_json(&read(&root.join("base.json")), "base.json");
    assert_eq!(b["version"], 1, "{b}");
    let findings = b["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 2, "{b}");
    let first = &findings[0];
    assert_eq!(first["path"], "a.ts", "{b}");
    assert_eq!(first["rule"], "jwt-in-local-storage", "{b}");
    assert_eq!(first["line"], 2, "{b}");
    assert!(
        first["message"]
            .as_str()
            .is_some_and(|m| m.contains("localStorage")),
        "{b}"
    );
    assert!(
        first["fingerprint"].as_str().is_some_and(|f| !f.is_empty()),
        "{b}"
    );
    assert_eq!(findings[1]["path"], "s.ts", "{b}");
    assert_eq!(findings[1]["rule"], "hardcoded-secret", "{b}");
    // No secret in the baseline.
    assert!(!read(&root.join("base.json")).contains("yvKf7NCWqU_LyaDUrV"));

    // With the baseline: nothing to report.
    concise(root, &[".", "--baseline", "base.json"]).assert_brief(0, &[] as &[&str], "baseline");
    let r = scan(root, &[".", "--baseline", "base.json"]);
    assert_eq!(r.code, 0, "{}", r.dump());
    assert!(r.stdout.contains("; 2 in baseline"), "{}", r.dump());
    let json = scan(root, &[".", "--baseline", "base.json", "--format", "json"]).json();
    assert_eq!(json["summary"]["baselined"], 2, "{json}");
    assert_eq!(json["summary"]["problems"], 0, "{json}");

    // A new finding is the only one reported.
    write(root, "n.ts", FINDING);
    concise(root, &[".", "--baseline", "base.json"]).assert_brief(
        1,
        &[jwt("n.ts", 1)],
        "new finding",
    );
}

#[test]
fn baselined_findings_survive_edits_above_them() {
    let dir = project(&[("a.ts", &format!("{CLEAN}{FINDING}"))]);
    let root = dir.path();
    concise(root, &[".", "--write-baseline", "base.json"]).assert_brief(
        0,
        &[jwt("a.ts", 2)],
        "write",
    );
    let moved = format!("{}{CLEAN}{FINDING}", "// a comment\n".repeat(10));
    write(root, "a.ts", &moved);
    concise(root, &["."]).assert_brief(1, &[jwt("a.ts", 12)], "moved");
    concise(root, &[".", "--baseline", "base.json"]).assert_brief(0, &[] as &[&str], "matched");
}

#[test]
fn a_second_identical_finding_is_new() {
    let dir = project(&[("a.ts", FINDING)]);
    let root = dir.path();
    concise(root, &[".", "--write-baseline", "base.json"]).assert_brief(
        0,
        &[jwt("a.ts", 1)],
        "write",
    );
    write(root, "a.ts", &format!("{FINDING}{FINDING}"));
    concise(root, &[".", "--baseline", "base.json"]).assert_brief(
        1,
        &[jwt("a.ts", 2)],
        "the second is new",
    );
    // The same finding in another file is new too.
    write(root, "a.ts", FINDING);
    write(root, "b.ts", FINDING);
    concise(root, &[".", "--baseline", "base.json"]).assert_brief(
        1,
        &[jwt("b.ts", 1)],
        "another file",
    );
}

#[test]
fn sarif_baseline_states() {
    let dir = project(&[("a.ts", FINDING), ("b.ts", CLEAN)]);
    let root = dir.path();
    concise(root, &[".", "--write-baseline", "base.json"]).assert_brief(
        0,
        &[jwt("a.ts", 1)],
        "write",
    );
    write(root, "b.ts", FINDING);
    let sarif = |extra: &[&str]| {
        let mut args = vec![".", "--baseline", "base.json", "--format", "sarif"];
        args.extend_from_slice(extra);
        let r = scan(root, &args);
        (r.code, sarif_results(&r.json()))
    };
    let rule = "jwt-in-local-storage";
    assert_eq!(sarif(&[]), (1, vec![result(rule, "new", "b.ts", 1)]));
    assert_eq!(
        sarif(&["--include-baselined"]),
        (
            1,
            vec![
                result(rule, "unchanged", "a.ts", 1),
                result(rule, "new", "b.ts", 1)
            ]
        )
    );
    // Fixed: absent.
    write(root, "a.ts", CLEAN);
    assert_eq!(
        sarif(&["--include-baselined"]),
        (
            1,
            vec![
                result(rule, "absent", "a.ts", 1),
                result(rule, "new", "b.ts", 1)
            ]
        )
    );
    // Absent findings never fail the scan.
    write(root, "b.ts", CLEAN);
    assert_eq!(
        sarif(&["--include-baselined"]),
        (0, vec![result(rule, "absent", "a.ts", 1)])
    );
    let r = scan(
        root,
        &[
            ".",
            "--baseline",
            "base.json",
            "--include-baselined",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.dump());
    let json = r.json();
    assert_eq!(json["diagnostics"][0]["baseline"], "absent", "{json}");
    assert_eq!(json["summary"]["problems"], 0, "{json}");
}

#[test]
fn missing_or_malformed_baseline_is_a_one_line_error() {
    let dir = project(&[("a.ts", FINDING)]);
    let root = dir.path();
    let r = concise(root, &[".", "--baseline", "missing.json"]);
    r.assert_one_line_error("missing.json", "missing");
    for (content, what) in [
        ("not json", "not JSON"),
        ("{\"x\": 1}", "another JSON"),
        (
            "{\"version\": 2, \"tool\": \"backlint\", \"findings\": []}",
            "version 2",
        ),
    ] {
        write(root, "bad.json", content);
        let r = concise(root, &[".", "--baseline", "bad.json"]);
        r.assert_one_line_error("bad.json", what);
    }
    // Not both.
    let r = concise(
        root,
        &[".", "--baseline", "a.json", "--write-baseline", "b.json"],
    );
    assert_eq!(r.code, 2, "{}", r.dump());
}

#[test]
fn baseline_paths_are_relative_to_the_baseline_file_in_a_project() {
    // The project marker makes the scan root the same from both folders.
    let dir = project(&[("package.json", "{}"), ("sub/a.ts", FINDING)]);
    let root = dir.path();
    let sub = root.join("sub");
    concise(root, &["sub", "--write-baseline", "sub/base.json"]).assert_brief(
        0,
        &[jwt("sub/a.ts", 1)],
        "write from the parent",
    );
    let b = parse_json(&read(&sub.join("base.json")), "base.json");
    assert_eq!(b["findings"][0]["path"], "a.ts", "{b}");
    concise(&sub, &[".", "--baseline", "base.json"]).assert_brief(0, &[] as &[&str], "inside");
    concise(root, &["sub", "--baseline", "sub/base.json"]).assert_brief(
        0,
        &[] as &[&str],
        "parent",
    );
}

/// The contract: a baseline matches whatever folder backlint runs from. Fails today: the
/// fingerprint hashes the path relative to the scan root, which differs between the two runs
/// when no project marker puts the root above both.
#[test]

fn baseline_matches_from_another_working_directory() {
    let dir = project(&[("sub/a.ts", FINDING)]);
    let root = dir.path();
    let sub = root.join("sub");
    concise(root, &["sub", "--write-baseline", "sub/base.json"]).assert_brief(
        0,
        &[jwt("sub/a.ts", 1)],
        "write from the parent",
    );
    concise(&sub, &[".", "--baseline", "base.json"]).assert_brief(0, &[] as &[&str], "inside");

    concise(&sub, &[".", "--write-baseline", "../base2.json"]).assert_brief(
        0,
        &[jwt("a.ts", 1)],
        "write from inside",
    );
    concise(root, &["sub", "--baseline", "base2.json"]).assert_brief(0, &[] as &[&str], "parent");
}

// ----------------------------------------------------------------------------------------
// 9. Several outputs from one run
// ----------------------------------------------------------------------------------------

#[test]
fn sarif_and_json_outputs_with_human_on_stdout() {
    let dir = three_rules_project();
    let out = tempfile::tempdir().expect("temp dir");
    let sarif_path = out.path().join("a.sarif");
    let json_path = out.path().join("b.json");
    let r = run(in_dir(dir.path())
        .args(["scan", ".", "--sarif-output"])
        .arg(&sarif_path)
        .arg("--json-output")
        .arg(&json_path));
    assert_eq!(r.code, 1, "{}", r.dump());
    let problems = summary_problems(&r.stdout);
    assert_eq!(problems, 3, "{}", r.dump());
    let sarif = parse_json(&read(&sarif_path), "a.sarif");
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif_results(&sarif).len(), problems);
    let json = parse_json(&read(&json_path), "b.json");
    assert_eq!(json["diagnostics"].as_array().map(Vec::len), Some(problems));
    assert_eq!(json["summary"]["problems"], problems);

    // The files hold what --format would print.
    let alone = scan(dir.path(), &[".", "--format", "sarif"]);
    assert_eq!(read(&sarif_path), alone.stdout);
    let alone = scan(dir.path(), &[".", "--format", "json"]);
    assert_eq!(read(&json_path), alone.stdout);

    // With --output: nothing on stdout, three files.
    let concise_path = out.path().join("c.txt");
    let r = run(in_dir(dir.path())
        .args(["scan", ".", "--format", "concise", "--output"])
        .arg(&concise_path)
        .arg("--sarif-output")
        .arg(out.path().join("a2.sarif"))
        .arg("--json-output")
        .arg(out.path().join("b2.json")));
    assert_eq!(r.code, 1, "{}", r.dump());
    assert_eq!(r.stdout, "");
    assert_eq!(read(&concise_path).lines().count(), problems);
    assert_eq!(read(&out.path().join("a2.sarif")), read(&sarif_path));
    assert_eq!(read(&out.path().join("b2.json")), read(&json_path));

    // An unwritable extra output fails before the scan.
    let r = run(in_dir(dir.path())
        .args(["scan", ".", "--json-output"])
        .arg(out.path().join("missing/b.json")));
    r.assert_one_line_error("cannot write", "unwritable --json-output");
}

// ----------------------------------------------------------------------------------------
// 10. github, gitlab, junit
// ----------------------------------------------------------------------------------------

#[test]
fn github_format_has_one_annotation_per_finding_and_a_summary() {
    let dir = three_rules_project();
    let r = scan(dir.path(), &[".", "--format", "github"]);
    assert_eq!(r.code, 1, "{}", r.dump());
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", r.dump());
    assert!(
        lines[0].starts_with("::error file=jwt.ts,line=1,col=1,")
            && lines[0].contains("title=jwt-in-local-storage::"),
        "{}",
        r.dump()
    );
    assert!(
        lines[1].starts_with("::warning file=loop.ts,line=5,")
            && lines[1].contains("title=n-plus-one-query::"),
        "{}",
        r.dump()
    );
    assert!(
        lines[2].starts_with("::error file=secret.ts,line=1,col=31,")
            && lines[2].contains("title=hardcoded-secret::"),
        "{}",
        r.dump()
    );
    assert!(
        lines[3].starts_with("backlint: 3 problems (2 errors, 1 warning) in 3 files"),
        "{}",
        r.dump()
    );

    let clean = project(&[("a.ts", CLEAN)]);
    let r = scan(clean.path(), &[".", "--format", "github"]);
    assert_eq!(r.code, 0, "{}", r.dump());
    assert_eq!(
        r.stdout.lines().collect::<Vec<_>>(),
        ["backlint: 0 problems (0 errors, 0 warnings) in 1 file"],
        "{}",
        r.dump()
    );
}

#[test]
fn gitlab_format_is_an_array_of_the_findings() {
    let dir = three_rules_project();
    let r = scan(dir.path(), &[".", "--format", "gitlab"]);
    assert_eq!(r.code, 1, "{}", r.dump());
    let issues = r.json();
    let issues = issues.as_array().expect("an array");
    assert_eq!(issues.len(), 3, "{}", r.dump());
    let names: Vec<(&str, &str, &str)> = issues
        .iter()
        .map(|i| {
            (
                i["check_name"].as_str().unwrap_or(""),
                i["location"]["path"].as_str().unwrap_or(""),
                i["severity"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("jwt-in-local-storage", "jwt.ts", "critical"),
            ("n-plus-one-query", "loop.ts", "major"),
            ("hardcoded-secret", "secret.ts", "critical"),
        ],
        "{}",
        r.dump()
    );

    let clean = project(&[("a.ts", CLEAN)]);
    let r = scan(clean.path(), &[".", "--format", "gitlab"]);
    assert_eq!(r.code, 0, "{}", r.dump());
    assert_eq!(r.json(), Value::Array(Vec::new()), "{}", r.dump());
}

/// Checks that `xml` is well-formed enough for a CI reader: the declaration, then one root
/// element, every element closed in order, attributes quoted, `<` and `&` only as markup or
/// entities. Returns the element names in document order.
fn well_formed_xml(xml: &str) -> Vec<String> {
    let decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    let body = xml
        .strip_prefix(decl)
        .unwrap_or_else(|| panic!("no XML declaration:\n{xml}"));
    let tag =
        regex::Regex::new(r#"^<(/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(/?)>"#)
            .expect("valid regex");
    let entity =
        regex::Regex::new(r"^&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);").expect("valid regex");
    let check_text = |text: &str| {
        for (i, _) in text.match_indices('&') {
            assert!(entity.is_match(&text[i..]), "bare `&` in {text:?}");
        }
    };
    let mut stack: Vec<String> = Vec::new();
    let mut names = Vec::new();
    let mut roots = 0;
    let mut rest = body;
    while let Some(i) = rest.find('<') {
        let text = &rest[..i];
        if stack.is_empty() {
            assert!(text.trim().is_empty(), "text outside the root: {text:?}");
        }
        check_text(text);
        let c = tag
            .captures(&rest[i..])
            .unwrap_or_else(|| panic!("malformed tag at {:?}", &rest[i..rest.len().min(i + 80)]));
        let (closing, name, attrs, empty) = (&c[1] == "/", &c[2], &c[3], &c[4] == "/");
        check_text(attrs);
        if closing {
            assert_eq!(stack.pop().as_deref(), Some(name), "unbalanced </{name}>");
        } else {
            if stack.is_empty() {
                roots += 1;
            }
            names.push(name.to_string());
            if !empty {
                stack.push(name.to_string());
            }
        }
        rest = &rest[i + c[0].len()..];
    }
    assert!(rest.trim().is_empty(), "text after the root: {rest:?}");
    assert!(stack.is_empty(), "unclosed {stack:?}");
    assert_eq!(roots, 1, "one root element");
    names
}

#[test]
fn well_formed_xml_rejects_broken_documents() {
    let ok =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a x=\"1 &amp; 2\"><b/><c>t &lt; u</c></a>\n";
    assert_eq!(well_formed_xml(ok), ["a", "b", "c"]);
    for bad in [
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a><b></a></b>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>x & y</a>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a x=1></a>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a></a><b></b>",
        "<a></a>",
    ] {
        assert!(
            std::panic::catch_unwind(|| well_formed_xml(bad)).is_err(),
            "accepted: {bad}"
        );
    }
}

#[test]
fn junit_format_has_a_failure_per_finding() {
    let dir = three_rules_project();
    let r = scan(dir.path(), &[".", "--format", "junit"]);
    assert_eq!(r.code, 1, "{}", r.dump());
    let names = well_formed_xml(&r.stdout);
    assert_eq!(
        names.iter().filter(|n| *n == "failure").count(),
        3,
        "{}",
        r.dump()
    );
    assert_eq!(
        names.iter().filter(|n| *n == "testcase").count(),
        3,
        "{}",
        r.dump()
    );
    assert_eq!(
        names.iter().filter(|n| *n == "testsuite").count(),
        3,
        "{}",
        r.dump()
    );
    assert!(
        r.stdout.contains("tests=\"3\" failures=\"3\""),
        "{}",
        r.dump()
    );
    for name in [
        "name=\"jwt-in-local-storage at 1:1\"",
        "name=\"n-plus-one-query at 5:",
        "name=\"hardcoded-secret at 1:31\"",
    ] {
        assert!(r.stdout.contains(name), "{name}\n{}", r.dump());
    }
    // Messages are escaped: the JWT message quotes the key.
    assert!(r.stdout.contains("&quot;token&quot;"), "{}", r.dump());

    let clean = project(&[("a.ts", CLEAN)]);
    let r = scan(clean.path(), &[".", "--format", "junit"]);
    assert_eq!(r.code, 0, "{}", r.dump());
    let names = well_formed_xml(&r.stdout);
    assert!(!names.iter().any(|n| n == "failure"), "{}", r.dump());
    assert_eq!(
        names.iter().filter(|n| *n == "testcase").count(),
        1,
        "{}",
        r.dump()
    );
}

// ----------------------------------------------------------------------------------------
// 11. Inline suppressions
// ----------------------------------------------------------------------------------------

const SUPPRESSED_TS: &str =
    "// backlint-ignore jwt-in-local-storage -- legacy widget, removed in Q3
localStorage.setItem('token', t);
localStorage.setItem('token', u); // backlint-ignore jwt-in-local-storage -- migrating
";

#[test]
fn suppression_comments_silence_their_rule() {
    let dir = project(&[("a.ts", SUPPRESSED_TS)]);
    let root = dir.path();
    concise(root, &["."]).assert_brief(0, &[] as &[&str], "suppressed");
    let r = scan(root, &["."]);
    assert_eq!(r.code, 0, "{}", r.dump());
    assert!(r.stdout.contains("; 2 suppressed"), "{}", r.dump());
    let json = scan(root, &[".", "--format", "json"]).json();
    assert_eq!(json["summary"]["suppressed"], 2, "{json}");
    assert_eq!(json["summary"]["problems"], 0, "{json}");
    assert_eq!(json["diagnostics"], Value::Array(Vec::new()), "{json}");
    let sarif = scan(root, &[".", "--format", "sarif"]).json();
    assert!(sarif_results(&sarif).is_empty(), "{sarif}");

    // Without the comments both are reported.
    write(root, "a.ts", &format!("{FINDING}{FINDING}"));
    concise(root, &["."]).assert_brief(1, &[jwt("a.ts", 1), jwt("a.ts", 2)], "no comments");
}

#[test]
fn suppression_naming_another_rule_does_not_silence() {
    let dir = project(&[(
        "a.ts",
        "// backlint-ignore string-sql -- not this rule\nlocalStorage.setItem('token', t);\nlocalStorage.setItem('token', u); // backlint-ignore hardcoded-secret\n",
    )]);
    concise(dir.path(), &["."]).assert_brief(1, &[jwt("a.ts", 2), jwt("a.ts", 3)], "other rules");
}

#[test]
fn hash_suppressions_in_python_env_and_yaml() {
    let key1 = stripe_key("4eC39HqLyjWDarjtT1zdp7dcXy");
    let key2 = stripe_key("9fD28GqLyjWDarjtT1zdp7dcAb");
    let python = "ADMIN_PASSWORD = \"yvKf7NCWqU_LyaDUrV\"  # backlint-ignore hardcoded-secret -- rotated, dev only
# backlint-ignore hardcoded-secret -- dev default
DB_PASSWORD = \"q8Xz3LmT0vRk9WpB2nYs\"
API_PASSWORD = \"Tz7Kq2LmX9vRp4WbN8sY\"
";
    let env = format!(
        "# backlint-ignore hardcoded-secret -- local development\nSTRIPE_SECRET_KEY={key1}\nOTHER_SECRET_KEY={key2}\n"
    );
    let yaml = format!(
        "env:\n  # backlint-ignore hardcoded-secret -- test account\n  STRIPE_SECRET_KEY: {key1}\n  OTHER_SECRET_KEY: {key2}\n"
    );
    let dir = project(&[
        ("settings.py", python),
        (".env", &env),
        ("deploy.yml", &yaml),
    ]);
    let r = concise(dir.path(), &["."]);
    r.assert_brief(
        1,
        &[
            ".env:3 error[hardcoded-secret]",
            "deploy.yml:4 error[hardcoded-secret]",
            "settings.py:4 error[hardcoded-secret]",
        ],
        "# suppressions",
    );
    let json = scan(dir.path(), &[".", "--format", "json"]).json();
    assert_eq!(json["summary"]["suppressed"], 4, "{json}");
}

#[test]
fn include_suppressed_keeps_them_in_sarif_and_json() {
    let dir = project(&[("a.ts", SUPPRESSED_TS)]);
    let root = dir.path();
    let r = scan(root, &[".", "--format", "sarif", "--include-suppressed"]);
    assert_eq!(r.code, 0, "suppressed findings never fail\n{}", r.stderr);
    let sarif = r.json();
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let shown = Value::Array(results.clone());
    assert_eq!(results.len(), 2, "{shown:#}");
    assert_eq!(
        results[0]["suppressions"],
        serde_json::json!([{"kind": "inSource", "justification": "legacy widget, removed in Q3"}]),
        "{shown:#}"
    );
    assert_eq!(
        results[1]["suppressions"],
        serde_json::json!([{"kind": "inSource", "justification": "migrating"}]),
        "{shown:#}"
    );

    let r = scan(root, &[".", "--format", "json", "--include-suppressed"]);
    assert_eq!(r.code, 0, "{}", r.dump());
    let json = r.json();
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 2, "{}", r.dump());
    assert_eq!(
        diagnostics[0]["suppression"]["justification"],
        "legacy widget, removed in Q3",
        "{}",
        r.dump()
    );
    assert_eq!(json["summary"]["suppressed"], 2, "{json}");
    assert_eq!(json["summary"]["problems"], 0, "{json}");

    // Not in the formats that list only the findings that count.
    concise(root, &[".", "--include-suppressed"]).assert_brief(0, &[] as &[&str], "concise");
}

#[test]
fn unknown_rule_in_a_suppression_is_reported() {
    let dir = project(&[(
        "a.ts",
        "// backlint-ignore jwt-in-localstorage -- typo\nlocalStorage.setItem('token', t);\n",
    )]);
    let r = concise(dir.path(), &["."]);
    r.assert_brief(
        1,
        &[
            "a.ts:1 warning[invalid-suppression]".to_string(),
            jwt("a.ts", 2),
        ],
        "unknown id",
    );
    assert!(r.stdout.contains("jwt-in-localstorage"), "{}", r.dump());
}

#[test]
fn unused_suppressions_are_reported_when_asked() {
    let dir = project(&[(
        "a.ts",
        "export const x = 1;\n// backlint-ignore jwt-in-local-storage -- nothing here\nexport const y = 2;\n",
    )]);
    let root = dir.path();
    concise(root, &["."]).assert_brief(0, &[] as &[&str], "not asked");
    concise(root, &[".", "--report-unused-suppressions"]).assert_brief(
        1,
        &["a.ts:2 warning[unused-suppression]"],
        "asked",
    );
    // A used one is not reported.
    write(root, "a.ts", SUPPRESSED_TS);
    concise(root, &[".", "--report-unused-suppressions"]).assert_brief(0, &[] as &[&str], "used");
}
