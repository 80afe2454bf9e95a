//! Inline suppressions through whole scans, with test-only rules: findings of file rules and
//! project rules silenced by `backlint-ignore` comments, dropped or kept and marked, counted;
//! unknown ids silencing nothing; unused suppressions reported only when asked, only for rules
//! that ran, at the configured severity.

use std::path::{Path, PathBuf};

use backlint_engine::{
    scan, FileCtx, Language, NodeId, Project, ProjectSink, Rule, RuleDoc, RuleEntry, RuleSet,
    ScanOptions, ScanResult, Severity, Sink, Suppression,
};

fn doc(id: &str, category: &str, languages: &str, status: &str) -> &'static RuleDoc {
    let text = format!(
        "+++\nid = \"{id}\"\ntitle = \"Test rule\"\ncategory = \"{category}\"\nseverity = \"warning\"\n\
         languages = [{languages}]\nstatus = \"{status}\"\nsince = \"0.1.0\"\n\
         precision = \"high\"\n+++\n## What it does\nx\n## Why is this bad?\nx\n## Example\nx\n\
         ## Use instead\nx\n## Options\nx\n## Known limitations\nx\n## References\nx\n"
    );
    Box::leak(Box::new(RuleDoc::parse(&text).expect("test doc parses")))
}

const CODE: &str = "\"typescript\", \"javascript\", \"python\"";

/// Flags every identifier `flag` (and, in text files, every `FLAG`).
struct Flags;
impl Rule for Flags {
    fn id(&self) -> &'static str {
        "test-flag"
    }
    fn kinds(&self, _: Language) -> &'static [&'static str] {
        &["identifier"]
    }
    fn wants_text_files(&self) -> bool {
        true
    }
    fn check(&self, id: NodeId, ctx: &FileCtx<'_>, sink: &mut Sink) {
        if ctx.text(ctx.node(id)) == "flag" {
            sink.report(ctx.node(id), "flagged");
        }
    }
    fn check_file(&self, ctx: &FileCtx<'_>, sink: &mut Sink) {
        if ctx.language().is_some() {
            return;
        }
        for (at, _) in ctx.source.match_indices("FLAG") {
            sink.report_range(at, at + 4, "flagged text");
        }
    }
}

/// Another file rule, never found in these tests: suppressions naming it are unused.
struct Quiet;
impl Rule for Quiet {
    fn id(&self) -> &'static str {
        "test-quiet"
    }
    fn kinds(&self, _: Language) -> &'static [&'static str] {
        &["identifier"]
    }
}

/// A project rule: reports every `export` statement from `check_project`.
struct Exports;
#[derive(Debug)]
struct Exported(backlint_engine::Location, String);
impl Rule for Exports {
    fn id(&self) -> &'static str {
        "test-project"
    }
    fn kinds(&self, lang: Language) -> &'static [&'static str] {
        if lang.is_js_like() {
            &["export_statement"]
        } else {
            &[]
        }
    }
    fn check(&self, id: NodeId, ctx: &FileCtx<'_>, sink: &mut Sink) {
        let node = ctx.node(id);
        sink.fact(Exported(
            ctx.node_location(node),
            ctx.text(node).to_string(),
        ));
    }
    fn check_project(&self, project: &Project<'_>, sink: &mut ProjectSink) {
        for (_, fact) in project.facts::<Exported>() {
            sink.report(fact.0.clone(), "exported", &fact.1);
        }
    }
}

/// The engine reports for it: no kinds, no checks.
struct Unused;
impl Rule for Unused {
    fn id(&self) -> &'static str {
        backlint_engine::suppress::UNUSED_SUPPRESSION
    }
}

static FLAGS: Flags = Flags;
static QUIET: Quiet = Quiet;
static EXPORTS: Exports = Exports;
static UNUSED: Unused = Unused;

fn rules(with_unused: Option<Severity>, with_quiet: bool) -> RuleSet {
    let mut entries = vec![
        RuleEntry::new(&FLAGS, doc("test-flag", "correctness", CODE, "stable")),
        RuleEntry::new(&EXPORTS, doc("test-project", "correctness", CODE, "stable")),
    ];
    if with_quiet {
        entries.push(RuleEntry::new(
            &QUIET,
            doc("test-quiet", "correctness", CODE, "stable"),
        ));
    }
    if let Some(severity) = with_unused {
        let mut e = RuleEntry::new(
            &UNUSED,
            doc(
                "unused-suppression",
                "suppression",
                "\"typescript\", \"javascript\", \"python\", \"text\"",
                "preview",
            ),
        );
        e.severity = severity;
        entries.push(e);
    }
    RuleSet::new(entries).expect("a rule with no kinds and no checks is accepted")
}

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
}

fn run(dir: &Path, rules: &RuleSet, tune: impl FnOnce(&mut ScanOptions)) -> ScanResult {
    let mut opts = ScanOptions::new(vec![PathBuf::from(".")], dir.to_path_buf());
    opts.context = backlint_engine::ProjectContext::None;
    tune(&mut opts);
    scan(&opts, rules).expect("scan")
}

/// `(path, line, rule)` of each diagnostic.
fn found(r: &ScanResult) -> Vec<(String, u32, &'static str)> {
    r.diagnostics
        .iter()
        .map(|d| (d.location.path.clone(), d.location.span.start.line, d.rule))
        .collect()
}

const TS: &str = "\
const flag = 1; // backlint-ignore test-flag -- end of line
// backlint-ignore test-flag -- line above
// an explanation between
const flag = 2;
// backlint-ignore test-quiet -- another rule
const flag = 3;
// backlint-ignore test-flag, test-quiet -- stacked
// backlint-ignore test-project
export const flag = 4;
const s = \"// backlint-ignore test-flag\"; const flag = 5;
";

#[test]
fn findings_are_silenced_dropped_and_counted() {
    let dir = tempfile::tempdir().expect("tmp");
    write(dir.path(), &[("a.ts", TS)]);
    let r = run(dir.path(), &rules(None, true), |_| {});
    let s = |l: u32, rule: &'static str| ("a.ts".to_string(), l, rule);
    // Line 6: the comment names another rule. Line 10: the directive is inside a string.
    assert_eq!(found(&r), vec![s(6, "test-flag"), s(10, "test-flag")]);
    // Lines 1, 4 and 9 (test-flag), and 9 (test-project, from the project pass).
    assert_eq!(r.suppressed, 4);
    assert_eq!(r.active().count(), 2);
}

#[test]
fn kept_suppressed_findings_carry_their_justification() {
    let dir = tempfile::tempdir().expect("tmp");
    write(
        dir.path(),
        &[
            ("a.ts", TS),
            (
                "b.py",
                "# backlint-ignore-file test-flag -- generated\nflag = 1\nflag = 2  # backlint-ignore test-flag -- own line wins\n",
            ),
        ],
    );
    let r = run(dir.path(), &rules(None, false), |o| {
        o.include_suppressed = true
    });
    let marked: Vec<_> = r
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.location.path.as_str(),
                d.location.span.start.line,
                d.rule,
                d.suppression.clone(),
            )
        })
        .collect();
    let sup = |j: &str, file_wide: bool| {
        Some(Suppression {
            justification: j.to_string(),
            file_wide,
        })
    };
    assert_eq!(
        marked,
        vec![
            ("a.ts", 1, "test-flag", sup("end of line", false)),
            ("a.ts", 4, "test-flag", sup("line above", false)),
            ("a.ts", 6, "test-flag", None),
            // The export statement starts before its `flag`.
            ("a.ts", 9, "test-project", sup("", false)),
            ("a.ts", 9, "test-flag", sup("stacked", false)),
            ("a.ts", 10, "test-flag", None),
            ("b.py", 2, "test-flag", sup("generated", true)),
            ("b.py", 3, "test-flag", sup("own line wins", false)),
        ]
    );
    assert_eq!(r.suppressed, 6);
    assert_eq!(r.active().count(), 2);
}

#[test]
fn text_files_are_suppressed_with_hash_comments() {
    let dir = tempfile::tempdir().expect("tmp");
    write(
        dir.path(),
        &[
            (
                "app.yml",
                "a: FLAG # backlint-ignore test-flag\n# backlint-ignore test-flag -- below\nb: FLAG\nc: FLAG\n",
            ),
            ("x.json", "{\"a\": \"FLAG # backlint-ignore test-flag\"}\n"),
        ],
    );
    let r = run(dir.path(), &rules(None, false), |_| {});
    assert_eq!(
        found(&r),
        vec![
            ("app.yml".to_string(), 4, "test-flag"),
            ("x.json".to_string(), 1, "test-flag"),
        ]
    );
    assert_eq!(r.suppressed, 2);
}

#[test]
fn unknown_ids_silence_nothing_but_known_ones_in_the_same_comment_do() {
    let dir = tempfile::tempdir().expect("tmp");
    write(
        dir.path(),
        &[(
            "a.ts",
            "// backlint-ignore test-flags -- typo\nconst flag = 1;\n// backlint-ignore test-flags, test-flag\nconst flag = 2;\n// backlint-ignore -- no id\nconst flag = 3;\n",
        )],
    );
    let known: Vec<String> = ["test-flag", "test-project"].map(String::from).to_vec();
    let r = run(dir.path(), &rules(None, false), |o| {
        o.known_rules = Some(known)
    });
    let lines: Vec<u32> = found(&r).into_iter().map(|f| f.1).collect();
    assert_eq!(lines, vec![2, 6]);
    // Without a list of known rules, any id is accepted.
    let r = run(dir.path(), &rules(None, false), |_| {});
    let lines: Vec<u32> = found(&r).into_iter().map(|f| f.1).collect();
    assert_eq!(lines, vec![2, 6]);
}

const UNUSED_TS: &str = "\
// backlint-ignore test-flag -- nothing below is flagged
const ok = 1;
// backlint-ignore test-flag, test-project -- one used, one not
const flag = 2;
// backlint-ignore test-quiet -- a rule that is not in the scan
const x = 3;
// backlint-ignore not-a-rule
const y = 4;
";

#[test]
fn unused_suppressions_are_reported_when_asked_for_rules_that_ran() {
    let dir = tempfile::tempdir().expect("tmp");
    write(dir.path(), &[("a.ts", UNUSED_TS)]);
    let known: Vec<String> = [
        "test-flag",
        "test-project",
        "test-quiet",
        "unused-suppression",
    ]
    .map(String::from)
    .to_vec();
    let with = |severity, report: bool| {
        let known = known.clone();
        run(dir.path(), &rules(severity, false), move |o| {
            o.report_unused_suppressions = report;
            o.known_rules = Some(known);
        })
    };
    // Not asked, or the rule is not in the set: nothing.
    assert!(with(Some(Severity::Warning), false).diagnostics.is_empty());
    assert!(with(None, true).diagnostics.is_empty());
    let r = with(Some(Severity::Error), true);
    let got: Vec<_> = r
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.location.span.start.line,
                d.rule,
                d.severity,
                d.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                1,
                "unused-suppression",
                Severity::Error,
                "unused suppression: no `test-flag` finding on line 2 to silence"
            ),
            (
                3,
                "unused-suppression",
                Severity::Error,
                "unused suppression: no `test-project` finding on line 4 to silence"
            ),
        ]
    );
    assert_eq!(r.suppressed, 1);
    // Fingerprints are distinct and stable.
    let again = with(Some(Severity::Error), true);
    assert_eq!(r.diagnostics, again.diagnostics);
    assert_ne!(r.diagnostics[0].fingerprint, r.diagnostics[1].fingerprint);
}

#[test]
fn unused_suppression_findings_can_be_silenced_file_wide() {
    let dir = tempfile::tempdir().expect("tmp");
    let text =
        format!("// backlint-ignore-file unused-suppression -- migration in progress\n{UNUSED_TS}");
    write(dir.path(), &[("a.ts", &text)]);
    let r = run(dir.path(), &rules(Some(Severity::Warning), false), |o| {
        o.report_unused_suppressions = true;
    });
    assert!(r.diagnostics.is_empty(), "{:?}", found(&r));
    // The test-flag finding on line 5, and both unused-suppression findings.
    assert_eq!(r.suppressed, 3);
}

#[test]
fn files_without_the_marker_have_no_suppressions() {
    let dir = tempfile::tempdir().expect("tmp");
    write(dir.path(), &[("a.ts", "const flag = 1; // ignore this\n")]);
    let r = run(dir.path(), &rules(Some(Severity::Warning), false), |o| {
        o.report_unused_suppressions = true;
        o.include_suppressed = true;
    });
    assert_eq!(found(&r), vec![("a.ts".to_string(), 1, "test-flag")]);
    assert_eq!(r.suppressed, 0);
}
