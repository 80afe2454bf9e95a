//! SARIF: the snapshot, what GitHub code scanning needs beyond the schema, and the schema
//! itself through `scripts/validate-sarif.py`.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use backlint_engine::{Notification, NotificationLevel, RuleDoc};
use backlint_report::Format;
use common::*;
use serde_json::{json, Value};

#[test]
fn sarif_snapshot() {
    insta::with_settings!({filters => vec![(r"file:///[A-Z]:/", "file:///")]}, {
        insta::assert_snapshot!("sarif", rendered(Format::Sarif));
    });
}

#[test]
fn envelope() {
    let out = rendered(Format::Sarif);
    assert!(out.ends_with("}\n") && !out.ends_with("\n\n"));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(v["runs"].as_array().unwrap().len(), 1);
    let run = &v["runs"][0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "backlint");
    assert_eq!(driver["version"], "0.1.0-test");
    assert_eq!(driver["semanticVersion"], "0.1.0-test");
    assert_eq!(
        driver["informationUri"],
        "https://github.com/backlint/backlint"
    );
}

fn results(v: &Value) -> &Vec<Value> {
    v["runs"][0]["results"].as_array().unwrap()
}

fn region(result: &Value) -> &Value {
    &result["locations"][0]["physicalLocation"]["region"]
}

#[test]
fn columns_are_utf16_code_units() {
    let v = sarif_json();
    let jwt = &results(&v)[0];
    assert_eq!(jwt["ruleId"], "jwt-in-local-storage");
    // `const é = "😀"; ` is 15 characters, 16 UTF-16 code units and 19 bytes.
    assert_eq!(
        region(jwt),
        &json!({"startLine": 2, "startColumn": 17, "endLine": 2, "endColumn": 49})
    );
    // Character columns are 16 and 48: make sure the fixture does tell them apart.
    let loc = &scan_result().diagnostics[0].location.span;
    assert_eq!((loc.start.column, loc.start.column_utf16), (16, 17));
    assert_eq!((loc.end.column, loc.end.column_utf16), (48, 49));
    for r in results(&v) {
        let region = region(r);
        assert!(region["endColumn"].as_i64().unwrap() >= 1);
        assert!(region["startColumn"].as_i64().unwrap() >= 1);
    }
}

#[test]
fn end_column_is_never_zero() {
    let mut result = scan_result();
    let span = &mut result.diagnostics[2].location.span;
    span.end.column = 0;
    span.end.column_utf16 = 0;
    let v: Value =
        serde_json::from_str(&render_with(Format::Sarif, &result, &rule_docs(), false)).unwrap();
    assert!(region(&results(&v)[2])["endColumn"].as_i64().unwrap() >= 1);
}

#[test]
fn uris_are_relative_and_percent_encoded() {
    let v = sarif_json();
    let artifact = &results(&v)[0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(
        artifact,
        &json!({"uri": "src/auth/login%20page%231.ts", "uriBaseId": "%SRCROOT%"})
    );
    let mut uris = Vec::new();
    for r in results(&v) {
        assert_eq!(r["locations"].as_array().unwrap().len(), 1);
        for loc in r["locations"].as_array().unwrap().iter().chain(
            r["relatedLocations"]
                .as_array()
                .map(|a| a.as_slice())
                .unwrap_or(&[]),
        ) {
            let a = &loc["physicalLocation"]["artifactLocation"];
            assert_eq!(a["uriBaseId"], "%SRCROOT%");
            uris.push(a["uri"].as_str().unwrap().to_string());
        }
    }
    let notifications = v["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    for n in notifications {
        let a = &n["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(a["uriBaseId"], "%SRCROOT%");
        uris.push(a["uri"].as_str().unwrap().to_string());
    }
    assert!(
        uris.contains(&"assets/legacy%20data.ts".to_string()),
        "{uris:?}"
    );
    for uri in &uris {
        assert!(
            !uri.starts_with('/') && !uri.starts_with("./") && !uri.contains(':'),
            "{uri}"
        );
        assert!(
            uri.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)),
            "{uri}"
        );
    }
}

#[test]
fn paths_are_made_relative_defensively() {
    let mut result = scan_result();
    result.diagnostics[1].location.path = "./src/db/users.ts".to_string();
    if cfg!(unix) {
        result.diagnostics[2].location.path = "/work/My Project #1/src/db/users.ts".to_string();
    }
    let v: Value =
        serde_json::from_str(&render_with(Format::Sarif, &result, &rule_docs(), false)).unwrap();
    for r in &results(&v)[1..] {
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "src/db/users.ts"
        );
    }
}

#[test]
fn srcroot_is_an_absolute_file_uri_ending_in_slash() {
    let v = sarif_json();
    let uri = v["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    if cfg!(windows) {
        assert_eq!(uri, "file:///C:/work/My%20Project%20%231/");
    } else {
        assert_eq!(uri, "file:///work/My%20Project%20%231/");
    }
    let mut result = scan_result();
    result.root = root().join("nested/");
    let v: Value =
        serde_json::from_str(&render_with(Format::Sarif, &result, &rule_docs(), false)).unwrap();
    let uri = v["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        uri.starts_with("file:///") && uri.ends_with("%231/nested/"),
        "{uri}"
    );
}

#[test]
fn rules_are_listed_once_each_and_results_point_at_them() {
    let v = sarif_json();
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "jwt-in-local-storage",
            "n-plus-one-query",
            "missing-timeout",
            "string-sql"
        ]
    );
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len());
    for r in results(&v) {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
    }

    // A rule enabled twice is still listed once.
    let mut docs = rule_docs();
    docs.push(docs[1].clone());
    let v: Value =
        serde_json::from_str(&render_with(Format::Sarif, &scan_result(), &docs, false)).unwrap();
    assert_eq!(
        v["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

#[test]
fn a_result_for_an_unlisted_rule_is_an_error() {
    let docs: Vec<RuleDoc> = rule_docs().into_iter().skip(1).collect();
    let err = try_render_with(Format::Sarif, &scan_result(), &docs, false).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    assert!(err.to_string().contains("jwt-in-local-storage"), "{err}");
}

#[test]
fn rule_descriptors() {
    let v = sarif_json();
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let jwt = &rules[0];
    let doc = RuleDoc::parse(JWT_DOC).unwrap();
    assert_eq!(jwt["name"], "JwtInLocalStorage");
    assert_eq!(rules[1]["name"], "NPlusOneQuery");
    assert_eq!(
        jwt["shortDescription"]["text"],
        "JWT stored in localStorage"
    );
    assert_eq!(
        jwt["fullDescription"]["text"],
        "Flags a token written to `localStorage` or `sessionStorage`."
    );
    assert_eq!(jwt["help"]["text"], doc.body.as_str());
    assert_eq!(jwt["help"]["markdown"], doc.body.as_str());
    assert_eq!(
        jwt["helpUri"],
        "https://github.com/backlint/backlint/blob/main/rules/jwt-in-local-storage.md"
    );
    assert_eq!(jwt["defaultConfiguration"]["level"], "error");
    assert_eq!(rules[1]["defaultConfiguration"]["level"], "warning");
    assert_eq!(rules[2]["defaultConfiguration"]["level"], "note");
    assert_eq!(
        jwt["properties"],
        json!({
            "tags": ["security", "auth", "browser", "external/cwe/cwe-922", "external/cwe/cwe-522"],
            "precision": "high",
            "security-severity": "7.5"
        })
    );
    assert_eq!(rules[3]["properties"]["security-severity"], "9.8");
    // Only security rules carry a security-severity; the category tag is not repeated.
    assert_eq!(
        rules[2]["properties"],
        json!({"tags": ["reliability", "external/cwe/cwe-400"], "precision": "very-high"})
    );
    assert_eq!(
        rules[1]["properties"]["tags"],
        json!(["performance", "database"])
    );
}

#[test]
fn at_most_twenty_tags() {
    let tags: Vec<String> = (0..25).map(|i| format!("\"t{i}\"")).collect();
    let doc = doc_with(
        &format!(
            "id = \"jwt-in-local-storage\"\ntitle = \"t\"\ncategory = \"security\"\nseverity = \"error\"\n\
             languages = [\"typescript\"]\nstatus = \"stable\"\nsince = \"0.1.0\"\ntags = [{}, \"t0\"]\n\
             cwe = [1]\nprecision = \"low\"",
            tags.join(", ")
        ),
        "x",
    );
    let mut result = scan_result();
    result.diagnostics.truncate(1);
    let v: Value =
        serde_json::from_str(&render_with(Format::Sarif, &result, &[doc], false)).unwrap();
    let rule = &v["runs"][0]["tool"]["driver"]["rules"][0];
    assert_eq!(rule["properties"]["tags"].as_array().unwrap().len(), 20);
    assert_eq!(rule["properties"]["precision"], "low");
    assert!(rule["properties"].get("security-severity").is_none());
}

#[test]
fn results_carry_fingerprints_and_related_locations() {
    let v = sarif_json();
    let r = &results(&v)[1];
    assert_eq!(r["level"], "warning");
    assert_eq!(
        r["message"]["text"],
        "`db.user.findUnique` runs once per iteration of this loop"
    );
    assert_eq!(
        r["partialFingerprints"],
        json!({"backlintFingerprint/v1": "02c4e6a8b0d2f413"})
    );
    let related = r["relatedLocations"].as_array().unwrap();
    assert_eq!(related.len(), 2);
    assert_eq!(related[0]["id"], 0);
    assert_eq!(related[0]["message"]["text"], "the loop starts here");
    assert_eq!(related[1]["id"], 1);
    assert_eq!(
        related[1]["physicalLocation"]["artifactLocation"]["uri"],
        "src/db/client.ts"
    );
    assert_eq!(results(&v)[2]["level"], "note");
    assert!(results(&v)[0].get("relatedLocations").is_none());
    let text = v.to_string();
    assert!(!text.contains("primaryLocationLineHash"));
}

#[test]
fn invocation_reports_notifications_and_success() {
    let v = sarif_json();
    let inv = &v["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], true);
    let notes = inv["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0]["level"], "warning");
    assert_eq!(notes[0]["message"]["text"], "not valid UTF-8; not analysed");
    assert_eq!(notes[1]["level"], "note");

    let mut result = scan_result();
    result.notifications.push(Notification {
        path: "src/crash.ts".to_string(),
        level: NotificationLevel::Error,
        message: "internal error: rule panicked".to_string(),
    });
    let v: Value =
        serde_json::from_str(&render_with(Format::Sarif, &result, &rule_docs(), false)).unwrap();
    let inv = &v["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    assert_eq!(inv["toolExecutionNotifications"][2]["level"], "error");
}

// --- scripts/validate-sarif.py ---------------------------------------------------------------

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The validator's command, or `None` (with the reason on stderr) when Python, `jsonschema`
/// or the schema is missing.
fn validator() -> Option<Command> {
    let schema = repo_root().join("../shared/schemas/sarif-schema-2.1.0.json");
    if !schema.is_file() {
        eprintln!("skipped: no SARIF schema at {}", schema.display());
        return None;
    }
    let has_jsonschema = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !has_jsonschema {
        eprintln!("skipped: python3 with the jsonschema package is not available");
        return None;
    }
    let mut cmd = Command::new("python3");
    cmd.arg(repo_root().join("scripts/validate-sarif.py"));
    Some(cmd)
}

/// Runs the validator on each text (one file each): its exit status and output.
fn validate(sarifs: &[String]) -> Option<(bool, String)> {
    let mut cmd = validator()?;
    let dir = tempfile::tempdir().unwrap();
    for (i, sarif) in sarifs.iter().enumerate() {
        let file = dir.path().join(format!("case-{i}.sarif"));
        std::fs::write(&file, sarif).unwrap();
        cmd.arg(&file);
    }
    let out = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some((out.status.success(), text))
}

#[test]
fn sarif_passes_the_schema_and_github_checks() {
    let Some((ok, text)) = validate(&[rendered(Format::Sarif)]) else {
        return;
    };
    assert!(ok, "validate-sarif.py failed:\n{text}");
    assert!(
        text.contains("ok: ") && text.contains("(3 results)"),
        "{text}"
    );
}

/// Breaks a valid SARIF log in one way.
type Breaker = fn(&mut Value);

#[test]
fn validator_rejects_what_github_rejects() {
    let good = sarif_json();
    let cases: Vec<(&str, Breaker)> = vec![
        ("absolute uri", |v| {
            v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
                ["uri"] = json!("file:///work/src/a.ts")
        }),
        ("dot-slash uri", |v| {
            v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
                ["uri"] = json!("./src/a.ts")
        }),
        ("duplicate rule", |v| {
            let rule = v["runs"][0]["tool"]["driver"]["rules"][0].clone();
            v["runs"][0]["tool"]["driver"]["rules"]
                .as_array_mut()
                .unwrap()
                .push(rule);
        }),
        ("wrong ruleIndex", |v| {
            v["runs"][0]["results"][0]["ruleIndex"] = json!(1)
        }),
        ("unknown ruleId", |v| {
            v["runs"][0]["results"][0]["ruleId"] = json!("no-such-rule")
        }),
        ("endColumn 0", |v| {
            v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["endColumn"] =
                json!(0)
        }),
        ("numeric security-severity", |v| {
            v["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["security-severity"] =
                json!(7.5)
        }),
        ("two runs", |v| {
            let run = v["runs"][0].clone();
            v["runs"].as_array_mut().unwrap().push(run);
        }),
        ("schema violation", |v| {
            v["runs"][0]["results"][0]["level"] = json!("fatal")
        }),
    ];
    let bad: Vec<String> = cases
        .iter()
        .map(|(_, break_it)| {
            let mut bad = good.clone();
            break_it(&mut bad);
            serde_json::to_string_pretty(&bad).unwrap()
        })
        .collect();
    let Some((ok, text)) = validate(&bad) else {
        return;
    };
    assert!(!ok, "validate-sarif.py accepted broken files:\n{text}");
    for (i, (what, _)) in cases.iter().enumerate() {
        let file = format!("case-{i}.sarif");
        assert!(
            text.lines()
                .any(|l| l.starts_with("error: ") && l.contains(&file)),
            "validate-sarif.py accepted a SARIF file with {what}:\n{text}"
        );
        assert!(
            !text
                .lines()
                .any(|l| l.starts_with("ok: ") && l.contains(&file)),
            "{text}"
        );
    }
}

// --- suppressed and baselined findings ---------------------------------------------------------

fn marked_sarif() -> Value {
    serde_json::from_str(&rendered_marked(Format::Sarif)).expect("SARIF output is JSON")
}

#[test]
fn sarif_marked_snapshot() {
    insta::with_settings!({filters => vec![(r"file:///[A-Z]:/", "file:///")]}, {
        insta::assert_snapshot!("sarif_marked", rendered_marked(Format::Sarif));
    });
}

#[test]
fn suppressed_results_carry_in_source_suppressions() {
    let v = marked_sarif();
    let rs = results(&v);
    assert_eq!(rs.len(), 5, "every kept diagnostic is a result");
    // A file-wide comment without a reason: no justification.
    assert_eq!(rs[1]["suppressions"], json!([{"kind": "inSource"}]));
    assert_eq!(
        rs[4]["suppressions"],
        json!([{"kind": "inSource", "justification": "the health check has its own deadline"}])
    );
    for i in [0, 2, 3] {
        assert!(rs[i].get("suppressions").is_none(), "{}", rs[i]);
    }
    // A suppressed result keeps its level.
    assert_eq!(rs[4]["level"], "note");
    // Unmarked results carry neither property.
    for r in results(&sarif_json()) {
        assert!(r.get("suppressions").is_none() && r.get("baselineState").is_none());
    }
}

#[test]
fn baselined_results_carry_their_baseline_state() {
    let v = marked_sarif();
    let rs = results(&v);
    let states: Vec<&Value> = rs.iter().map(|r| &r["baselineState"]).collect();
    assert_eq!(
        states,
        [
            &json!("new"),
            &Value::Null,
            &json!("absent"),
            &json!("unchanged"),
            &Value::Null
        ]
    );
    // An absent finding is a result like the others, with its usual level and location.
    let absent = &rs[2];
    assert_eq!(absent["ruleId"], "string-sql");
    assert_eq!(absent["ruleIndex"], 3);
    assert_eq!(absent["level"], "error");
    assert_eq!(
        region(absent),
        &json!({"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 30})
    );
}

#[test]
fn marked_sarif_passes_the_schema_and_github_checks() {
    let Some((ok, text)) = validate(&[rendered_marked(Format::Sarif)]) else {
        return;
    };
    assert!(ok, "validate-sarif.py failed:\n{text}");
    assert!(
        text.contains("ok: ") && text.contains("(5 results)"),
        "{text}"
    );
}

#[test]
fn validator_rejects_a_malformed_suppression_or_baseline_state() {
    let good = marked_sarif();
    let cases: Vec<(&str, Breaker)> = vec![
        ("unknown suppression kind", |v| {
            v["runs"][0]["results"][1]["suppressions"][0]["kind"] = json!("inline")
        }),
        ("unknown baseline state", |v| {
            v["runs"][0]["results"][0]["baselineState"] = json!("old")
        }),
    ];
    let bad: Vec<String> = cases
        .iter()
        .map(|(_, break_it)| {
            let mut bad = good.clone();
            break_it(&mut bad);
            serde_json::to_string_pretty(&bad).unwrap()
        })
        .collect();
    let Some((ok, text)) = validate(&bad) else {
        return;
    };
    assert!(!ok, "validate-sarif.py accepted broken files:\n{text}");
    for (i, (what, _)) in cases.iter().enumerate() {
        let file = format!("case-{i}.sarif");
        assert!(
            text.lines()
                .any(|l| l.starts_with("error: ") && l.contains(&file)),
            "validate-sarif.py accepted a SARIF file with {what}:\n{text}"
        );
    }
}
