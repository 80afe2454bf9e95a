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
    assert_eq!(names, ["human", "concise", "json", "sarif"]);
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
    for format in [Format::Concise, Format::Json, Format::Sarif] {
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
        serde_json::json!({"files_scanned": 12, "problems": 3, "errors": 1, "warnings": 1, "notes": 1})
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
