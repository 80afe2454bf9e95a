//! The fixture harness. Every file under `fixtures/<rule-id>/` is scanned with ALL rules and
//! its findings are compared with its inline annotations (semgrep's convention):
//!
//! - `// ruleid: <id>[, <id>]` directly above a line where a finding of `<id>` must start;
//! - `// ok: <id>` above a line that must not be flagged by `<id>`;
//! - `// todoruleid: <id>` / `// todook: <id>`: known misses / false alarms, which must keep
//!   failing: once one passes, the test asks to promote it (strict xfail);
//! - `// ruleid(error): <id>` (or `(warning)`, `(note)`, also on `todoruleid`): the finding must
//!   have that severity (for rules that escalate some findings); plain `ruleid:` takes any.
//!
//! Annotations may be stacked; they apply to the next line that is not an annotation. The
//! comment may be `//`, `#`, `;`, `/* … */` or JSX's `{/* … */}`. A file without comments (JSON)
//! has a sidecar `X.json.expected` instead: one `<line>: ruleid: <id>` (or `ok:`, `todoruleid:`,
//! `todook:`) per line, `#` lines are comments. Any finding not matched by a
//! `ruleid` is noisy; a file without annotations fails (it proves nothing). Loose files of a
//! rule folder are scanned together; each `app-*/` folder is scanned as its own project.
//!
//! Suppressions: scans check `backlint-ignore` ids against the registry and report unused
//! suppressions (`invalid-suppression`, `unused-suppression` run like any rule, so a comment
//! that silences nothing is a finding its annotations must expect). A `backlint-ignore`
//! comment is not an annotation, so annotations above it apply to the comment's own line
//! (where `invalid-suppression` and `unused-suppression` report), and annotations between it
//! and its code line apply to the code line: the engine treats comment-only lines between a
//! suppression and its target as transparent. A finding a suppression silences must sit on a
//! line annotated `ok: <its rule>`, so a fixture says which findings its comments silence.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use backlint_engine::{FileKind, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Mark {
    RuleId,
    Ok,
    TodoRuleId,
    TodoOk,
}

/// A mark and the severity it asks for, if any.
type Expect = (Mark, Option<Severity>);

/// `(line, rule) -> (message, severity)` of one file's findings.
type Findings = BTreeMap<(u32, String), (String, Severity)>;

/// `(line, rule) -> mark` for one file (lines 1-based).
fn annotations(text: &str) -> BTreeMap<(u32, String), Expect> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = BTreeMap::new();
    let mut pending: Vec<(Expect, String)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        match parse_annotation(line) {
            Some(marks) => pending.extend(marks),
            None => {
                for (mark, rule) in pending.drain(..) {
                    out.insert((i as u32 + 1, rule), mark);
                }
            }
        }
    }
    out
}

/// Expectations from a sidecar file: `<line>: <mark>: <id>[, <id>]` per line.
fn sidecar(text: &str) -> Result<BTreeMap<(u32, String), Expect>, String> {
    let mut out = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (n, rest) = line.split_once(':').ok_or_else(|| {
            format!(
                "sidecar line {}: expected `<line>: <mark>: <rule-id>`",
                i + 1
            )
        })?;
        let n: u32 = n.trim().parse().map_err(|_| {
            format!(
                "sidecar line {}: `{}` is not a line number",
                i + 1,
                n.trim()
            )
        })?;
        let marks = parse_annotation(rest.trim())
            .ok_or_else(|| format!("sidecar line {}: expected a ruleid/ok mark", i + 1))?;
        for (mark, rule) in marks {
            out.insert((n, rule), mark);
        }
    }
    Ok(out)
}

fn parse_annotation(line: &str) -> Option<Vec<(Expect, String)>> {
    let mut t = line.trim();
    for open in ["{/*", "/*", "//", "#", ";"] {
        if let Some(rest) = t.strip_prefix(open) {
            t = rest.trim();
            break;
        }
    }
    let t = t.trim_end_matches("*/}").trim_end_matches("*/").trim();
    let (mark, rest) = [
        ("todoruleid", Mark::TodoRuleId),
        ("todook", Mark::TodoOk),
        ("ruleid", Mark::RuleId),
        ("ok", Mark::Ok),
    ]
    .into_iter()
    .find_map(|(p, m)| t.strip_prefix(p).map(|r| (m, r)))?;
    // `ruleid(error):` asks for a severity.
    let (severity, rest) = match rest.strip_prefix('(') {
        Some(r) => {
            let (sev, r) = r.split_once("):")?;
            (Some(Severity::parse(sev.trim())?), r)
        }
        None => (None, rest.strip_prefix(':')?),
    };
    // Anything after ` -- ` or ` // ` is a reason, not a rule id.
    let ids = rest
        .split(" -- ")
        .next()
        .unwrap_or("")
        .split(" //")
        .next()
        .unwrap_or("");
    Some(
        ids.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .map(|id| ((mark, severity), id))
            .collect(),
    )
}

fn is_fixture_file(path: &Path) -> bool {
    path.is_file() && FileKind::of(path).is_some()
}

/// The groups of files scanned together: loose files of each rule folder, and each `app-*`.
fn groups(root: &Path) -> Vec<Vec<PathBuf>> {
    let mut groups = Vec::new();
    let mut rules: Vec<PathBuf> = std::fs::read_dir(root.join("fixtures"))
        .expect("fixtures/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    rules.sort();
    for dir in rules {
        let mut loose = Vec::new();
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("rule fixture folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                groups.push(vec![p]);
            } else if is_fixture_file(&p) {
                loose.push(p);
            }
        }
        if !loose.is_empty() {
            groups.push(loose);
        }
    }
    groups
}

fn files_of(group: &[PathBuf]) -> Vec<PathBuf> {
    support::files_under(group)
        .into_iter()
        .filter(|p| is_fixture_file(p) && p.file_name().is_some_and(|n| n != "backlint.toml"))
        .collect()
}

#[test]
fn every_fixture_matches_its_annotations() {
    let root = support::repo_root();
    let known: BTreeSet<String> = backlint_rules::all()
        .map(|(r, _)| r.id().to_string())
        .collect();
    let mut failures = Vec::new();
    let mut counted = 0usize;
    let mut silenced_total = 0usize;
    for group in groups(&root) {
        let result = support::scan_with(&group, backlint_engine::ProjectContext::None, |o| {
            o.include_suppressed = true
        });
        for n in &result.notifications {
            if n.level >= backlint_engine::NotificationLevel::Warning {
                failures.push(format!("{}: {} {}", n.path, n.level.as_str(), n.message));
            }
        }
        let mut found: BTreeMap<String, Findings> = BTreeMap::new();
        let mut silenced: BTreeMap<String, BTreeSet<(u32, String)>> = BTreeMap::new();
        for d in &result.diagnostics {
            if d.suppression.is_some() {
                silenced
                    .entry(d.location.path.clone())
                    .or_default()
                    .insert((d.location.span.start.line, d.rule.to_string()));
                continue;
            }
            found.entry(d.location.path.clone()).or_default().insert(
                (d.location.span.start.line, d.rule.to_string()),
                (d.message.clone(), d.severity),
            );
        }
        for file in files_of(&group) {
            let rel = backlint_engine::discover::relative_path(&file, &root);
            let text = std::fs::read_to_string(&file).expect("fixture is UTF-8");
            let mut side = file.clone().into_os_string();
            side.push(".expected");
            let expected = match std::fs::read_to_string(&side) {
                Ok(side_text) => match sidecar(&side_text) {
                    Ok(e) => e,
                    Err(e) => {
                        failures.push(format!("{rel}.expected: {e}"));
                        continue;
                    }
                },
                Err(_) => annotations(&text),
            };
            if expected.is_empty() {
                failures.push(format!(
                    "{rel}: no ruleid/ok annotations (a fixture must prove something)"
                ));
                continue;
            }
            counted += 1;
            let got = found.remove(&rel).unwrap_or_default();
            for (line, rule) in silenced.remove(&rel).unwrap_or_default() {
                silenced_total += 1;
                if !matches!(expected.get(&(line, rule.clone())), Some((Mark::Ok, _))) {
                    failures.push(format!(
                        "{rel}:{line}: {rule} is silenced by a backlint-ignore comment; annotate the line `ok: {rule}`"
                    ));
                }
            }
            for ((line, rule), (mark, severity)) in &expected {
                if !known.contains(rule) {
                    failures.push(format!(
                        "{rel}:{line}: annotation names unknown rule `{rule}`"
                    ));
                    continue;
                }
                let hit = got.get(&(*line, rule.clone()));
                match (mark, hit) {
                    (Mark::RuleId, None) => failures.push(format!("{rel}:{line}: missing {rule}")),
                    (Mark::RuleId, Some((message, found)))
                        if severity.is_some_and(|s| s != *found) =>
                    {
                        failures.push(format!(
                            "{rel}:{line}: {rule} is {found}, expected {} ({message})",
                            severity.map(|s| s.as_str()).unwrap_or("")
                        ))
                    }
                    (Mark::Ok, Some((message, _))) => {
                        failures.push(format!("{rel}:{line}: noisy {rule} ({message})"))
                    }
                    (Mark::TodoRuleId, Some(_)) => failures.push(format!(
                        "{rel}:{line}: todoruleid {rule} is found now: promote it to ruleid"
                    )),
                    (Mark::TodoOk, None) => failures.push(format!(
                        "{rel}:{line}: todook {rule} is clean now: promote it to ok"
                    )),
                    _ => {}
                }
            }
            for ((line, rule), (message, _)) in &got {
                let mark = expected.get(&(*line, rule.clone())).map(|(m, _)| *m);
                // `ok` and a found `todoruleid` are reported above; do not report them twice.
                if !matches!(
                    mark,
                    Some(Mark::RuleId | Mark::TodoOk | Mark::TodoRuleId | Mark::Ok)
                ) {
                    failures.push(format!("{rel}:{line}: noisy {rule} ({message})"));
                }
            }
        }
        for (path, got) in found {
            for ((line, rule), (message, _)) in got {
                failures.push(format!(
                    "{path}:{line}: noisy {rule} ({message}) in a file the harness did not expect"
                ));
            }
        }
    }
    assert!(counted > 0, "no fixture files found");
    // Proves the suppression fixtures silence real findings.
    assert!(
        silenced_total > 0,
        "no fixture finding is silenced by a backlint-ignore comment"
    );
    assert!(
        failures.is_empty(),
        "{} fixture failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn sidecars_are_read() {
    let e = sidecar("# a comment\n3: ruleid: a, b\n7: ok: c\n").expect("valid sidecar");
    assert_eq!(e.get(&(3, "a".into())), Some(&(Mark::RuleId, None)));
    assert_eq!(e.get(&(3, "b".into())), Some(&(Mark::RuleId, None)));
    assert_eq!(e.get(&(7, "c".into())), Some(&(Mark::Ok, None)));
    assert!(sidecar("x: ruleid: a").is_err());
}

#[test]
fn annotation_parser_reads_every_comment_style() {
    let text = "// ruleid: a, b\n# ok: c -- why\n{/* todoruleid: d */}\nx\n/* todook: e */\ny\n";
    let a = annotations(text);
    assert_eq!(a.get(&(4, "a".into())), Some(&(Mark::RuleId, None)));
    assert_eq!(a.get(&(4, "b".into())), Some(&(Mark::RuleId, None)));
    assert_eq!(a.get(&(4, "c".into())), Some(&(Mark::Ok, None)));
    assert_eq!(a.get(&(4, "d".into())), Some(&(Mark::TodoRuleId, None)));
    assert_eq!(a.get(&(6, "e".into())), Some(&(Mark::TodoOk, None)));
    assert_eq!(a.len(), 5);
}

#[test]
fn suppression_comments_are_not_annotations() {
    // The first annotation marks the suppression comment's line, the second the code line.
    let text = "// ruleid: invalid-suppression\n// backlint-ignore hardcoded-secrets -- typo\n// ruleid: hardcoded-secret\nconst k = 1;\n# ok: unused-suppression\n# backlint-ignore-file string-sql\nx = 1\n";
    let a = annotations(text);
    assert_eq!(
        a.get(&(2, "invalid-suppression".into())),
        Some(&(Mark::RuleId, None))
    );
    assert_eq!(
        a.get(&(4, "hardcoded-secret".into())),
        Some(&(Mark::RuleId, None))
    );
    assert_eq!(
        a.get(&(6, "unused-suppression".into())),
        Some(&(Mark::Ok, None))
    );
    assert_eq!(a.len(), 3);
}

#[test]
fn annotation_parser_reads_severities() {
    let text = "// ruleid(error): a
# todoruleid(warning): b
x
// ruleid(loud): c
y
";
    let a = annotations(text);
    assert_eq!(
        a.get(&(3, "a".into())),
        Some(&(Mark::RuleId, Some(Severity::Error)))
    );
    assert_eq!(
        a.get(&(3, "b".into())),
        Some(&(Mark::TodoRuleId, Some(Severity::Warning)))
    );
    // An unknown severity is no annotation at all (and the file would fail for having none).
    assert!(!a.keys().any(|(_, r)| r == "c"));
}

/// The findings of a file, as `(line, rule, severity)`.
fn findings_in(
    result: &backlint_engine::ScanResult,
    rel: &str,
) -> BTreeSet<(u32, String, Severity)> {
    result
        .diagnostics
        .iter()
        .filter(|d| d.location.path == rel)
        .map(|d| (d.location.span.start.line, d.rule.to_string(), d.severity))
        .collect()
}

/// A verdict never depends on which files were named: each file of a fixture project folder,
/// scanned alone (as a pre-commit hook does) with the folder as its project, gets exactly the
/// findings it gets when the whole folder is scanned, and none are reported in other files.
#[test]
fn a_file_scanned_alone_gets_the_findings_of_its_whole_project() {
    let root = support::repo_root();
    let mut context_mattered = 0;
    let mut checked = 0;
    for group in groups(&root) {
        let [dir] = group.as_slice() else { continue };
        if !dir.is_dir() {
            continue;
        }
        let whole = support::scan_paths(&group);
        for file in files_of(&group).into_iter().filter(|f| is_fixture_file(f)) {
            let rel = backlint_engine::discover::relative_path(&file, &root);
            let alone = support::scan_in_project(
                std::slice::from_ref(&file),
                backlint_engine::ProjectContext::Root(dir.clone()),
            );
            assert!(
                alone.diagnostics.iter().all(|d| d.location.path == rel),
                "{rel}: scanned alone, it reported findings in other files"
            );
            assert_eq!(
                findings_in(&alone, &rel),
                findings_in(&whole, &rel),
                "{rel}: scanned alone, its findings differ from a scan of its whole project"
            );
            let isolated = support::scan_paths(std::slice::from_ref(&file));
            if findings_in(&isolated, &rel) != findings_in(&whole, &rel) {
                context_mattered += 1;
            }
            checked += 1;
        }
    }
    assert!(checked > 0, "no project folders among the fixtures");
    // Proves the test can fail: some file needs facts from the rest of its project.
    assert!(
        context_mattered > 0,
        "no fixture file needs its project's other files; the test proves nothing"
    );
}
