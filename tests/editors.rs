//! What editors read from backlint: SARIF regions and URIs (SARIF viewers, GitHub code
//! scanning) and the `concise` line format (VS Code problem matchers), checked against the
//! real binary on lines with non-ASCII text before the finding.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use regex::Regex;
use serde_json::Value;
use tempfile::TempDir;

/// The problem-matcher regex the README documents for `--format concise`:
/// file, line, column, severity, code, message.
const PROBLEM_MATCHER: &str = r"^(.+):(\d+):(\d+): (error|warning|note)\[([a-z0-9-]+)\] (.*)$";

/// A file name with a space and a non-ASCII character, in a folder.
const FILE: &str = "src/login page é.ts";
/// `FILE` as a relative URI: every byte but `A-Z a-z 0-9 - . _ ~` percent-encoded.
const FILE_URI: &str = "src/login%20page%20%C3%A9.ts";
/// What `jwt-in-local-storage` flags on the second line.
const FLAGGED: &str = "localStorage.setItem(\"token\", jwt)";
/// Before the flagged call: an emoji outside the BMP (`📦`: 1 character, 2 UTF-16 units,
/// 4 bytes), CJK (1 character, 1 unit, 3 bytes each) and a BMP symbol (`✅`), so character,
/// UTF-16 and byte columns all differ.
const TEXT: &str =
    "// Orders 📦\nconst note = \"📦 注文 ✅\"; localStorage.setItem(\"token\", jwt);\n";

fn backlint() -> Command {
    let mut cmd = Command::cargo_bin("backlint").expect("the backlint binary is built");
    cmd.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("RAYON_NUM_THREADS");
    cmd
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .canonicalize()
        .expect("repo root")
}

/// A project holding `FILE` (a `package.json` marks it as a project of its own).
fn project() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("package.json"), "{}\n").unwrap();
    let file = dir.path().join(FILE);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, TEXT).unwrap();
    dir
}

/// `backlint scan . --format FORMAT` run in `dir`: its stdout (exit code 1: there are
/// findings).
fn scan(dir: &Path, format: &str) -> String {
    let out = backlint()
        .current_dir(dir)
        .args(["scan", ".", "--format", format])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("output is UTF-8")
}

/// RFC 3986 percent-encoding of one path segment, as the SARIF reporter documents it.
fn encode_segment(segment: &str) -> String {
    let mut out = String::new();
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `file:` URI of a directory, as the SARIF reporter must write it (Unix paths).
fn directory_uri(dir: &Path) -> String {
    let mut uri = String::from("file://");
    for c in dir.components() {
        if let std::path::Component::Normal(s) = c {
            uri.push('/');
            uri.push_str(&encode_segment(&s.to_string_lossy()));
        }
    }
    uri.push('/');
    uri
}

/// Decodes `%XX` escapes.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).expect("a %XX escape"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("a UTF-8 path")
}

#[test]
fn sarif_regions_select_the_flagged_text_in_utf16_code_units() {
    let dir = project();
    let v: Value = serde_json::from_str(&scan(dir.path(), "sarif")).expect("SARIF is JSON");
    let run = &v["runs"][0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{results:?}");
    let result = &results[0];
    assert_eq!(result["ruleId"], "jwt-in-local-storage");
    let physical = &result["locations"][0]["physicalLocation"];
    let region = &physical["region"];
    assert_eq!(region["startLine"], 2);
    assert_eq!(region["endLine"], 2);
    let start = region["startColumn"].as_u64().unwrap() as usize;
    let end = region["endColumn"].as_u64().unwrap() as usize;

    // Applied to the line in UTF-16 code units, [startColumn, endColumn) is the flagged call.
    let line: Vec<u16> = TEXT.lines().nth(1).unwrap().encode_utf16().collect();
    let selected = String::from_utf16(&line[start - 1..end - 1]).unwrap();
    assert_eq!(selected, FLAGGED);
    // The test tells the units apart: a character column would be one less (the emoji).
    let line_text = TEXT.lines().nth(1).unwrap();
    let char_column = line_text[..line_text.find(FLAGGED).unwrap()]
        .chars()
        .count()
        + 1;
    assert_eq!(start, char_column + 1);
}

#[test]
fn sarif_uris_are_relative_to_an_absolute_srcroot() {
    let dir = project();
    let v: Value = serde_json::from_str(&scan(dir.path(), "sarif")).unwrap();
    let run = &v["runs"][0];
    let artifact = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
    // The space and the `é` are percent-encoded, in UTF-8.
    assert_eq!(artifact["uri"], FILE_URI);

    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .expect("originalUriBaseIds.%SRCROOT%.uri");
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "not an absolute file:// directory URI: {base}"
    );
    if cfg!(unix) {
        let canonical = dir.path().canonicalize().unwrap();
        assert!(
            base == directory_uri(&canonical) || base == directory_uri(dir.path()),
            "{base} is not the scan root {}",
            canonical.display()
        );
        // Resolving the artifact URI against the base gives the file.
        let resolved = percent_decode(&format!("{base}{}", artifact["uri"].as_str().unwrap()));
        let path = PathBuf::from(resolved.strip_prefix("file://").unwrap());
        assert_eq!(std::fs::read_to_string(path).unwrap(), TEXT);
    }
}

#[test]
fn concise_lines_match_the_problem_matcher() {
    let matcher = Regex::new(PROBLEM_MATCHER).unwrap();
    let out = backlint()
        .current_dir(repo_root())
        .args(["scan", "fixtures/hardcoded-secret", "--format", "concise"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines.len() > 5, "too few findings to test:\n{stdout}");
    for line in &lines {
        let caps = matcher
            .captures(line)
            .unwrap_or_else(|| panic!("the problem matcher does not match: {line}"));
        // The file is relative to the folder the matcher resolves against (the workspace).
        let file = repo_root().join(&caps[1]);
        assert!(file.is_file(), "{} is not a file: {line}", file.display());
        let line_no: usize = caps[2].parse().unwrap();
        let column: usize = caps[3].parse().unwrap();
        assert!(line_no >= 1 && column >= 1, "{line}");
        assert!(!caps[6].is_empty(), "empty message: {line}");
    }
}

#[test]
fn concise_columns_count_characters_on_non_ascii_lines() {
    let dir = project();
    let out = scan(dir.path(), "concise");
    let matcher = Regex::new(PROBLEM_MATCHER).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "{out}");
    let caps = matcher
        .captures(lines[0])
        .unwrap_or_else(|| panic!("the problem matcher does not match: {}", lines[0]));
    assert_eq!(&caps[1], FILE);
    assert_eq!(&caps[4], "error");
    assert_eq!(&caps[5], "jwt-in-local-storage");
    let line_no: usize = caps[2].parse().unwrap();
    let column: usize = caps[3].parse().unwrap();
    let text = std::fs::read_to_string(dir.path().join(&caps[1])).unwrap();
    let line = text.lines().nth(line_no - 1).unwrap();
    let from_column: String = line.chars().skip(column - 1).collect();
    assert!(
        from_column.starts_with(FLAGGED),
        "column {column} points at `{from_column}`, not at the flagged call"
    );
}
