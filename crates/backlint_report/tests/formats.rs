//! Snapshots of every format over the synthetic scan, plus targeted checks of what the
//! snapshots would let slip: colour, pluralisation, columns, determinism.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use backlint_engine::{Diagnostic, ScanResult, Severity};
use backlint_report::{summary_line, Format};
use common::*;

#[test]
fn human_snapshot() {
    insta::assert_snapshot!("human", rendered(Format::Human));
}

#[test]
fn concise_snapshot() {
    insta::assert_snapshot!("concise", rendered(Format::Concise));
}

#[test]
fn json_snapshot() {
    insta::assert_snapshot!("json", rendered(Format::Json));
}

#[test]
fn format_names_round_trip() {
    let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
    assert_eq!(
        names,
        ["human", "concise", "json", "sarif", "github", "gitlab", "junit"]
    );
    for &format in Format::ALL {
        assert_eq!(Format::parse(format.as_str()), Some(format));
        assert_eq!(format.to_string(), format.as_str());
    }
    assert_eq!(Format::parse("github-actions"), None);
    assert_eq!(Format::parse("JSON"), None);
}

#[test]
fn every_format_is_deterministic() {
    for &format in Format::ALL {
        assert_eq!(
            rendered(format),
            rendered(format),
            "{format} output changes between runs"
        );
    }
}

#[test]
fn human_without_color_has_no_ansi_escape() {
    let out = rendered(Format::Human);
    assert!(
        !out.contains('\u{1b}'),
        "ANSI escape in uncoloured output:\n{out}"
    );
    // The no-source fallback takes another path through miette.
    let mut result = scan_result();
    result.sources.clear();
    let out = render_with(Format::Human, &result, &rule_docs(), false);
    assert!(
        !out.contains('\u{1b}'),
        "ANSI escape in uncoloured output:\n{out}"
    );
}

#[test]
fn human_with_color_is_coloured() {
    let out = render_with(Format::Human, &scan_result(), &rule_docs(), true);
    assert!(
        out.contains("\u{1b}["),
        "no colour although allowed:\n{out}"
    );
}

#[test]
fn no_format_but_human_is_ever_coloured() {
    for &format in Format::ALL.iter().filter(|&&f| f != Format::Human) {
        let out = render_with(format, &scan_result(), &rule_docs(), true);
        assert!(
            !out.contains('\u{1b}'),
            "{format} output contains an escape"
        );
    }
}

#[test]
fn human_shows_character_columns_in_frame_headers() {
    let out = rendered(Format::Human);
    // Character column 16, not miette's byte column 20 nor the UTF-16 column 17.
    assert!(out.contains("╭─[src/auth/login page#1.ts:2:16]"), "{out}");
    assert!(out.contains("╭─[src/db/users.ts:4:24]"), "{out}");
    // The related location in the same file is a label, the one in another file a footer line.
    assert!(out.contains("the loop starts here"), "{out}");
    assert!(
        out.contains("src/db/client.ts:2:14: `db` is a PrismaClient created here"),
        "{out}"
    );
    assert!(
        out.ends_with("\n\n3 problems (1 error, 1 warning, 1 note) in 12 files scanned in 0.04s\n"),
        "{out}"
    );
}

#[test]
fn human_without_source_prints_the_location_instead_of_a_frame() {
    let mut result = scan_result();
    result.sources.remove(USERS);
    // A source that does not match the spans is not drawn either.
    result
        .sources
        .insert(LOGIN.to_string(), Arc::from("too short"));
    let out = render_with(Format::Human, &result, &rule_docs(), false);
    assert!(!out.contains("╭─["), "{out}");
    assert!(
        out.contains("src/auth/login page#1.ts:2:16: JWT `t` is stored in localStorage"),
        "{out}"
    );
    assert!(
        out.contains("src/db/users.ts:3:3: the loop starts here"),
        "{out}"
    );
    insta::assert_snapshot!("human_without_sources", out);
}

#[test]
fn concise_uses_character_columns() {
    let out = rendered(Format::Concise);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert_eq!(
        lines[0],
        "src/auth/login page#1.ts:2:16: error[jwt-in-local-storage] JWT `t` is stored in \
         localStorage, where any script on the page can read it"
    );
    assert!(lines[1].starts_with("src/db/users.ts:4:24: warning[n-plus-one-query] "));
    assert!(lines[2].starts_with("src/db/users.ts:9:9: note[missing-timeout] "));
}

#[test]
fn json_has_the_documented_shape() {
    let v: serde_json::Value = serde_json::from_str(&rendered(Format::Json)).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["tool"]["name"], "backlint");
    assert_eq!(
        v["summary"],
        serde_json::json!({
            "files_scanned": 12, "problems": 3, "errors": 1, "warnings": 1, "notes": 1,
            "suppressed": 0, "baselined": 0
        })
    );
    let d = &v["diagnostics"][0];
    assert_eq!(d["rule"], "jwt-in-local-storage");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["path"], LOGIN);
    assert_eq!(d["start"], serde_json::json!({"line": 2, "column": 16}));
    // Byte offsets, not columns: `é` and `😀` take 2 and 4 bytes.
    assert_eq!(d["start_byte"], LOGIN_TEXT.find("localStorage").unwrap());
    assert_eq!(d["related"], serde_json::json!([]));
    assert_eq!(v["diagnostics"][2]["help"], serde_json::Value::Null);
    assert_eq!(
        v["diagnostics"][1]["related"][1]["path"],
        "src/db/client.ts"
    );
    assert_eq!(v["notifications"][1]["level"], "note");
    assert!(v.get("duration").is_none() && v["summary"].get("duration").is_none());
    // Unmarked findings carry neither field.
    for d in v["diagnostics"].as_array().unwrap() {
        assert!(
            d.get("suppression").is_none() && d.get("baseline").is_none(),
            "{d}"
        );
    }
}

fn result_with(severities: &[Severity], files_scanned: usize, millis: u64) -> ScanResult {
    let template = scan_result().diagnostics.remove(0);
    ScanResult {
        diagnostics: severities
            .iter()
            .map(|&severity| Diagnostic {
                severity,
                ..template.clone()
            })
            .collect(),
        files_scanned,
        duration: Duration::from_millis(millis),
        sources: BTreeMap::new(),
        ..ScanResult::default()
    }
}

#[test]
fn summary_pluralises() {
    use Severity::*;
    let cases: &[(&[Severity], usize, u64, &str)] = &[
        (
            &[],
            0,
            0,
            "0 problems (0 errors, 0 warnings) in 0 files scanned in 0.00s",
        ),
        (
            &[Error],
            1,
            4,
            "1 problem (1 error, 0 warnings) in 1 file scanned in 0.00s",
        ),
        (
            &[Error, Warning, Warning],
            12,
            40,
            "3 problems (1 error, 2 warnings) in 12 files scanned in 0.04s",
        ),
        (
            &[Warning, Note],
            2,
            1_234,
            "2 problems (0 errors, 1 warning, 1 note) in 2 files scanned in 1.23s",
        ),
        (
            &[Note, Note, Error, Error],
            3,
            5,
            "4 problems (2 errors, 0 warnings, 2 notes) in 3 files scanned in 0.01s",
        ),
    ];
    for &(severities, files, millis, expected) in cases {
        assert_eq!(
            summary_line(&result_with(severities, files, millis)),
            expected
        );
    }
}

#[test]
fn empty_scan_renders_in_every_format() {
    let result = ScanResult {
        root: root(),
        files_scanned: 3,
        ..ScanResult::default()
    };
    assert_eq!(
        render_with(Format::Human, &result, &rule_docs(), false),
        "0 problems (0 errors, 0 warnings) in 3 files scanned in 0.00s\n"
    );
    assert_eq!(
        render_with(Format::Concise, &result, &rule_docs(), false),
        ""
    );
    let json: serde_json::Value =
        serde_json::from_str(&render_with(Format::Json, &result, &rule_docs(), false)).unwrap();
    assert_eq!(json["diagnostics"], serde_json::json!([]));
    let sarif: serde_json::Value =
        serde_json::from_str(&render_with(Format::Sarif, &result, &rule_docs(), false)).unwrap();
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert_eq!(
        render_with(Format::Github, &result, &rule_docs(), false),
        "backlint: 0 problems (0 errors, 0 warnings) in 3 files\n"
    );
    assert_eq!(
        render_with(Format::Gitlab, &result, &rule_docs(), false),
        "[]\n"
    );
    insta::assert_snapshot!(
        "junit_empty",
        render_with(Format::Junit, &result, &rule_docs(), false)
    );
}

#[test]
fn human_draws_empty_multiline_and_end_of_file_spans() {
    let text = "a();\nif (x) {\n  b();\n}";
    let mut result = scan_result();
    result.sources = BTreeMap::from([(USERS.to_string(), Arc::from(text))]);
    let template = result.diagnostics[1].clone();
    let at = |start: usize, end: usize| backlint_engine::Location {
        path: USERS.to_string(),
        span: backlint_engine::Span {
            start_byte: start,
            end_byte: end,
            start: position(text, start),
            end: position(text, end),
        },
    };
    let mut empty = template.clone();
    empty.location = at(4, 4);
    empty.related.clear();
    let mut multiline = template.clone();
    multiline.location = at(5, text.len());
    multiline.related.truncate(1);
    multiline.related[0].location = at(0, 3);
    let mut eof = template;
    eof.location = at(text.len() - 1, text.len());
    eof.related.clear();
    result.diagnostics = vec![empty, multiline, eof];
    let out = render_with(Format::Human, &result, &rule_docs(), false);
    assert!(!out.contains("Failed to read"), "{out}");
    assert!(out.contains("╭─[src/db/users.ts:1:5]"), "{out}");
    assert!(out.contains("╭─[src/db/users.ts:2:1]"), "{out}");
    assert!(out.contains("╭─[src/db/users.ts:4:1]"), "{out}");
    assert_eq!(out.matches("╭─[").count(), 3, "{out}");
}

// --- suppressed and baselined findings ---------------------------------------------------------

#[test]
fn summary_counts_suppressed_and_baselined_findings() {
    let mut result = result_with(&[Severity::Error], 2, 10);
    let base = "1 problem (1 error, 0 warnings) in 2 files scanned in 0.01s";
    assert_eq!(summary_line(&result), base);
    result.suppressed = 3;
    assert_eq!(summary_line(&result), format!("{base}; 3 suppressed"));
    result.baselined = 12;
    assert_eq!(
        summary_line(&result),
        format!("{base}; 3 suppressed, 12 in baseline")
    );
    result.suppressed = 0;
    assert_eq!(summary_line(&result), format!("{base}; 12 in baseline"));
}

#[test]
fn summary_counts_only_findings_that_count() {
    // Five diagnostics, one of which counts (the others are suppressed or baselined).
    assert_eq!(
        summary_line(&marked_scan_result()),
        "1 problem (1 error, 0 warnings) in 12 files scanned in 0.04s; 5 suppressed, 12 in baseline"
    );
}

#[test]
fn human_shows_only_findings_that_count() {
    let out = rendered_marked(Format::Human);
    assert_eq!(out.matches("╭─[").count(), 1, "{out}");
    assert!(out.contains("╭─[src/auth/login page#1.ts:2:16]"), "{out}");
    for hidden in ["token `me`", "findUnique", "`fetch`", "SQL built"] {
        assert!(!out.contains(hidden), "{hidden} shown:\n{out}");
    }
    assert!(
        out.ends_with(
            "\n\n1 problem (1 error, 0 warnings) in 12 files scanned in 0.04s; \
             5 suppressed, 12 in baseline\n"
        ),
        "{out}"
    );
}

#[test]
fn concise_shows_only_findings_that_count() {
    assert_eq!(
        rendered_marked(Format::Concise),
        "src/auth/login page#1.ts:2:16: error[jwt-in-local-storage] JWT `t` is stored in \
         localStorage, where any script on the page can read it\n"
    );
}

#[test]
fn json_marks_suppressed_and_baselined_findings() {
    let out = rendered_marked(Format::Json);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["summary"],
        serde_json::json!({
            "files_scanned": 12, "problems": 1, "errors": 1, "warnings": 0, "notes": 0,
            "suppressed": 5, "baselined": 12
        })
    );
    let ds = v["diagnostics"].as_array().unwrap();
    assert_eq!(ds.len(), 5);
    assert_eq!(ds[0]["baseline"], "new");
    assert!(ds[0].get("suppression").is_none());
    assert_eq!(
        ds[1]["suppression"],
        serde_json::json!({"justification": "", "file_wide": true})
    );
    assert!(ds[1].get("baseline").is_none());
    assert_eq!(ds[2]["baseline"], "absent");
    assert_eq!(ds[3]["baseline"], "unchanged");
    assert_eq!(
        ds[4]["suppression"],
        serde_json::json!({"justification": "the health check has its own deadline", "file_wide": false})
    );
    insta::assert_snapshot!("json_marked", out);
}

// --- github ------------------------------------------------------------------------------------

#[test]
fn github_snapshot() {
    insta::assert_snapshot!("github", rendered(Format::Github));
}

#[test]
fn github_marked_snapshot() {
    insta::assert_snapshot!("github_marked", rendered_marked(Format::Github));
}

/// Undoes the Actions toolkit's escaping.
fn unescape(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// A workflow command line as the runner reads it: command, properties, message.
fn parse_command(line: &str) -> (String, Vec<(String, String)>, String) {
    let rest = line.strip_prefix("::").expect("a workflow command");
    let (head, data) = rest.split_once("::").expect("`::` before the message");
    let (command, props) = head.split_once(' ').unwrap_or((head, ""));
    let props = props
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').expect("key=value");
            (k.to_string(), unescape(v))
        })
        .collect();
    (command.to_string(), props, unescape(data))
}

fn prop<'a>(props: &'a [(String, String)], key: &str) -> Option<&'a str> {
    props
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

#[test]
fn github_annotations_have_the_workflow_command_shape() {
    let out = rendered(Format::Github);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "::error file=src/auth/login page#1.ts,line=2,col=16,endLine=2,endColumn=48,\
         title=jwt-in-local-storage::JWT `t` is stored in localStorage, where any script on the \
         page can read it%0Ahelp: Store the session in an HttpOnly cookie set by the server."
    );
    let (command, props, _) = parse_command(lines[1]);
    assert_eq!(command, "warning");
    assert_eq!(prop(&props, "title"), Some("n-plus-one-query"));
    let (command, props, message) = parse_command(lines[2]);
    assert_eq!(command, "notice");
    assert_eq!(prop(&props, "col"), Some("9"));
    assert_eq!(message, "`fetch` has no timeout");
    // The unreadable file is a warning; the skipped (minified) one is not annotated.
    assert_eq!(
        lines[3],
        "::warning file=assets/legacy data.ts,title=backlint::not valid UTF-8; not analysed"
    );
    assert_eq!(
        lines[4],
        "backlint: 3 problems (1 error, 1 warning, 1 note) in 12 files"
    );
    assert_eq!(lines.len(), 5, "{out}");
}

#[test]
fn github_escapes_messages_and_properties_like_the_actions_toolkit() {
    let mut result = scan_result();
    result.notifications.clear();
    result.diagnostics.truncate(1);
    let d = &mut result.diagnostics[0];
    d.location.path = "src/a,b:c%d\ne.ts".to_string();
    d.message = "100% sure: a, b\r\nnext line %0A".to_string();
    d.help = Some("first\nsecond".to_string());
    let out = render_with(Format::Github, &result, &rule_docs(), false);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "a newline leaked into the log:\n{out}");
    assert_eq!(
        lines[0],
        "::error file=src/a%2Cb%3Ac%25d%0Ae.ts,line=2,col=16,endLine=2,endColumn=48,\
         title=jwt-in-local-storage::100%25 sure: a, b%0D%0Anext line %250A%0Ahelp: first%0Asecond"
    );
    let (_, props, message) = parse_command(lines[0]);
    assert_eq!(prop(&props, "file"), Some("src/a,b:c%d\ne.ts"));
    assert_eq!(
        message,
        "100% sure: a, b\r\nnext line %0A\nhelp: first\nsecond"
    );
}

#[test]
fn github_reports_internal_errors_as_error_annotations() {
    let mut result = scan_result();
    result.notifications.push(backlint_engine::Notification {
        path: "src/crash, again.ts".to_string(),
        level: backlint_engine::NotificationLevel::Error,
        message: "internal error: rule panicked".to_string(),
    });
    let out = render_with(Format::Github, &result, &rule_docs(), false);
    assert!(
        out.contains(
            "\n::error file=src/crash%2C again.ts,title=backlint::internal error: rule panicked\n"
        ),
        "{out}"
    );
}

#[test]
fn github_multi_line_spans_have_no_columns() {
    let mut result = scan_result();
    result.notifications.clear();
    result.diagnostics.truncate(1);
    let span = &mut result.diagnostics[0].location.span;
    span.end.line = 3;
    span.end.column = 5;
    let out = render_with(Format::Github, &result, &rule_docs(), false);
    let (_, props, _) = parse_command(out.lines().next().unwrap());
    assert_eq!(prop(&props, "line"), Some("2"));
    assert_eq!(prop(&props, "endLine"), Some("3"));
    assert_eq!(prop(&props, "col"), None, "{out}");
    assert_eq!(prop(&props, "endColumn"), None, "{out}");
}

#[test]
fn github_summary_states_totals_and_the_annotation_limit() {
    let mut result = result_with(&[Severity::Warning; 10], 4, 0);
    result.suppressed = 2;
    let out = render_with(Format::Github, &result, &rule_docs(), false);
    assert_eq!(
        out.lines().filter(|l| l.starts_with("::warning ")).count(),
        10
    );
    assert_eq!(
        out.lines().last(),
        Some("backlint: 10 problems (0 errors, 10 warnings) in 4 files; 2 suppressed")
    );
    let result = result_with(
        &[&[Severity::Error][..], &[Severity::Warning; 11]].concat(),
        4,
        0,
    );
    let out = render_with(Format::Github, &result, &rule_docs(), false);
    assert_eq!(
        out.lines().last(),
        Some(
            "backlint: 12 problems (1 error, 11 warnings) in 4 files. GitHub shows the first 10 \
             annotations of each level; all 12 are listed above"
        )
    );
}

// --- gitlab ------------------------------------------------------------------------------------

#[test]
fn gitlab_snapshot() {
    insta::assert_snapshot!("gitlab", rendered(Format::Gitlab));
}

#[test]
fn gitlab_marked_snapshot() {
    insta::assert_snapshot!("gitlab_marked", rendered_marked(Format::Gitlab));
}

fn gitlab(result: &ScanResult) -> Vec<serde_json::Value> {
    let out = render_with(Format::Gitlab, result, &rule_docs(), false);
    serde_json::from_str::<serde_json::Value>(&out)
        .expect("gitlab output is JSON")
        .as_array()
        .expect("an array")
        .clone()
}

#[test]
fn gitlab_issues_have_the_code_quality_shape() {
    let issues = gitlab(&scan_result());
    assert_eq!(issues.len(), 3);
    let jwt = &issues[0];
    assert_eq!(
        jwt["description"],
        "JWT `t` is stored in localStorage, where any script on the page can read it"
    );
    assert_eq!(jwt["check_name"], "jwt-in-local-storage");
    assert_eq!(jwt["severity"], "critical");
    assert_eq!(
        jwt["location"],
        serde_json::json!({"path": LOGIN, "lines": {"begin": 2, "end": 2}})
    );
    assert_eq!(jwt["categories"], serde_json::json!(["Security"]));
    assert_eq!(jwt["type"], "issue");
    assert_eq!(jwt["engine_name"], "backlint");
    let fingerprint = jwt["fingerprint"].as_str().unwrap();
    assert!(
        fingerprint.len() == 32 && fingerprint.bytes().all(|b| b.is_ascii_hexdigit()),
        "{fingerprint}"
    );
    assert_eq!(issues[1]["severity"], "major");
    assert_eq!(issues[1]["categories"], serde_json::json!(["Performance"]));
    assert_eq!(issues[2]["severity"], "info");
    assert_eq!(issues[2]["categories"], serde_json::json!(["Bug Risk"]));
    // Only findings that count.
    let issues = gitlab(&marked_scan_result());
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0]["check_name"], "jwt-in-local-storage");
}

#[test]
fn gitlab_lines_end_on_the_last_line_of_the_span() {
    let mut result = scan_result();
    result.diagnostics.truncate(1);
    let span = &mut result.diagnostics[0].location.span;
    span.end.line = 4;
    span.end.column = 1; // just past the line break ending line 3
    assert_eq!(
        gitlab(&result)[0]["location"]["lines"],
        serde_json::json!({"begin": 2, "end": 3})
    );
}

#[test]
fn gitlab_fingerprints_are_unique_and_stable() {
    let mut result = scan_result();
    let jwt = result.diagnostics[0].clone();
    // The same finding (same engine fingerprint) in another file, and an exact duplicate.
    let mut elsewhere = jwt.clone();
    elsewhere.location.path = "src/auth/other.ts".to_string();
    result.diagnostics = vec![jwt.clone(), jwt.clone(), elsewhere];
    let issues = gitlab(&result);
    let fingerprints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    let unique: std::collections::HashSet<&str> = fingerprints.iter().copied().collect();
    assert_eq!(unique.len(), 3, "{fingerprints:?}");
    // The same finding gets the same fingerprint in another report, whatever comes before it.
    let alone = gitlab(&ScanResult {
        diagnostics: vec![jwt.clone()],
        ..scan_result()
    });
    assert_eq!(alone[0]["fingerprint"], fingerprints[0]);
    // Another engine fingerprint (another finding) or another rule gives another one.
    let mut other = jwt.clone();
    other.fingerprint = "8d1f3c2a9b7e6f99".to_string();
    let mut other_rule = jwt;
    other_rule.rule = "string-sql";
    let changed = gitlab(&ScanResult {
        diagnostics: vec![other, other_rule],
        ..scan_result()
    });
    assert_ne!(changed[0]["fingerprint"], fingerprints[0]);
    assert_ne!(changed[1]["fingerprint"], fingerprints[0]);
}

// --- junit -------------------------------------------------------------------------------------

#[test]
fn junit_snapshot() {
    insta::assert_snapshot!("junit", rendered(Format::Junit));
}

#[test]
fn junit_marked_snapshot() {
    insta::assert_snapshot!("junit_marked", rendered_marked(Format::Junit));
}

/// `xml` parsed by Python's `xml.etree` into `{tag, attrib, text, children}`, or `None` (with
/// the reason on stderr) when python3 is not available. Panics when the XML is not well formed.
fn parse_xml(xml: &str) -> Option<serde_json::Value> {
    const SCRIPT: &str = r#"
import json, sys, xml.etree.ElementTree as ET
def tree(e):
    return {"tag": e.tag, "attrib": e.attrib, "text": e.text or "", "children": [tree(c) for c in e]}
print(json.dumps(tree(ET.fromstring(sys.stdin.buffer.read()))))
"#;
    use std::io::Write;
    let child = std::process::Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("skipped: python3 is not available to parse the XML");
        return None;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(xml.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "not well-formed XML: {}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

#[test]
fn junit_has_one_suite_per_file_and_a_failure_per_finding() {
    let out = rendered(Format::Junit);
    assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    let Some(root) = parse_xml(&out) else {
        return;
    };
    assert_eq!(root["tag"], "testsuites");
    assert_eq!(
        root["attrib"],
        serde_json::json!({"name": "backlint", "tests": "4", "failures": "3", "errors": "0", "skipped": "1"})
    );
    let suites = root["children"].as_array().unwrap();
    let names: Vec<&str> = suites
        .iter()
        .map(|s| s["attrib"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["assets/legacy data.ts", LOGIN, USERS]);
    let users = &suites[2];
    assert_eq!(users["attrib"]["tests"], "2");
    assert_eq!(users["attrib"]["failures"], "2");
    let case = &users["children"][0];
    assert_eq!(case["attrib"]["classname"], USERS);
    assert_eq!(case["attrib"]["name"], "n-plus-one-query at 4:24");
    let failure = &case["children"][0];
    assert_eq!(failure["tag"], "failure");
    assert_eq!(failure["attrib"]["type"], "warning");
    assert_eq!(
        failure["attrib"]["message"],
        "`db.user.findUnique` runs once per iteration of this loop"
    );
    assert_eq!(
        failure["text"],
        "src/db/users.ts:4:24: `db.user.findUnique` runs once per iteration of this loop\n\
         help: Load all users in one query: `db.user.findMany({ where: { id: { in: ids } } })`.\n\
         src/db/users.ts:3:3: the loop starts here\n\
         src/db/client.ts:2:14: `db` is a PrismaClient created here"
    );
    let skipped = &suites[0]["children"][0]["children"][0];
    assert_eq!(skipped["tag"], "skipped");
}

#[test]
fn junit_clean_scan_reads_as_passing() {
    let mut result = marked_scan_result();
    result.diagnostics.retain(|d| d.suppression.is_some());
    result.notifications.clear();
    let out = render_with(Format::Junit, &result, &rule_docs(), false);
    assert!(!out.contains("<failure"), "{out}");
    let Some(root) = parse_xml(&out) else {
        return;
    };
    assert_eq!(root["attrib"]["tests"], "1");
    assert_eq!(root["attrib"]["failures"], "0");
    let suites = root["children"].as_array().unwrap();
    assert_eq!(suites.len(), 1);
    assert_eq!(suites[0]["attrib"]["name"], "backlint");
    assert_eq!(suites[0]["children"][0]["attrib"]["name"], "scan");
    assert_eq!(suites[0]["children"][0]["children"], serde_json::json!([]));
}

#[test]
fn junit_escapes_markup_and_control_characters() {
    let mut result = scan_result();
    result.notifications = vec![backlint_engine::Notification {
        path: "src/<crash>.ts".to_string(),
        level: backlint_engine::NotificationLevel::Error,
        message: "internal error: `a < b` panicked".to_string(),
    }];
    result.diagnostics.truncate(1);
    let d = &mut result.diagnostics[0];
    d.location.path = "src/<a> & \"b\" 'c'.ts".to_string();
    d.message = "x < y && \"q\" 'r' \u{1}bell\u{1b}[0m\tend".to_string();
    d.help = Some("use ]]> & <![CDATA[ carefully".to_string());
    let out = render_with(Format::Junit, &result, &rule_docs(), false);
    assert!(
        !out.contains(['\u{1}', '\u{1b}']),
        "a control character XML 1.0 forbids is in the output"
    );
    assert!(!out.contains("]]>"), "{out}");
    let Some(root) = parse_xml(&out) else {
        return;
    };
    let suites = root["children"].as_array().unwrap();
    let names: Vec<&str> = suites
        .iter()
        .map(|s| s["attrib"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["src/<a> & \"b\" 'c'.ts", "src/<crash>.ts"]);
    let failure = &suites[0]["children"][0]["children"][0];
    assert_eq!(
        failure["attrib"]["message"],
        "x < y && \"q\" 'r' \u{FFFD}bell\u{FFFD}[0m\tend"
    );
    assert_eq!(
        failure["text"],
        "src/<a> & \"b\" 'c'.ts:2:16: x < y && \"q\" 'r' \u{FFFD}bell\u{FFFD}[0m\tend\n\
         help: use ]]> & <![CDATA[ carefully"
    );
    let error = &suites[1]["children"][0]["children"][0];
    assert_eq!(error["tag"], "error");
    assert_eq!(
        error["attrib"]["message"],
        "internal error: `a < b` panicked"
    );
    assert_eq!(root["attrib"]["errors"], "1");
}
