//! Rules, docs and fixtures agree: every registered rule has a doc in `rules/` and a fixture
//! folder, and nothing in `rules/` or `fixtures/` is an orphan; docs parse, carry every
//! required section and valid metadata; each *Example* block is flagged by its rule and each
//! *Use instead* block is not (docs are tests); fixture folders hold at least as many `ok:`
//! as `ruleid:` lines; the README's rules table is the generated one.

mod support;

use std::collections::BTreeSet;

use backlint_engine::meta::Status;

fn stems(dir: &str, want_dir: bool) -> BTreeSet<String> {
    std::fs::read_dir(support::repo_root().join(dir))
        .expect("folder exists")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir() == want_dir)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if want_dir {
                Some(name)
            } else {
                name.strip_suffix(".md").map(str::to_string)
            }
        })
        .collect()
}

#[test]
fn registry_docs_and_fixtures_have_no_orphans() {
    let registered: BTreeSet<String> = backlint_rules::registry::RULES
        .iter()
        .map(|r| {
            assert_eq!(
                r.id,
                r.rule.id(),
                "registry line for `{}` names another rule",
                r.id
            );
            r.id.to_string()
        })
        .collect();
    assert_eq!(
        registered.len(),
        backlint_rules::registry::RULES.len(),
        "a rule is registered twice"
    );
    let docs = stems("rules", false);
    let fixtures = stems("fixtures", true);
    for id in &registered {
        assert!(docs.contains(id), "rule `{id}` has no rules/{id}.md");
        assert!(
            fixtures.contains(id),
            "rule `{id}` has no fixtures/{id}/ folder"
        );
    }
    for id in &docs {
        assert!(
            registered.contains(id),
            "rules/{id}.md documents no registered rule"
        );
    }
    for id in &fixtures {
        assert!(
            registered.contains(id),
            "fixtures/{id}/ belongs to no registered rule"
        );
    }
}

#[test]
fn docs_carry_valid_metadata() {
    let languages = ["typescript", "javascript", "python", "text"];
    for (rule, doc) in backlint_rules::all() {
        let m = &doc.meta;
        assert_eq!(m.id, rule.id(), "front matter id");
        assert!(
            !m.title.ends_with('.'),
            "{}: titles have no final period",
            m.id
        );
        assert!(
            [
                "security",
                "performance",
                "reliability",
                "correctness",
                "suppression"
            ]
            .contains(&m.category.as_str()),
            "{}: unknown category {}",
            m.id,
            m.category
        );
        assert!(!m.languages.is_empty(), "{}: no languages", m.id);
        for l in &m.languages {
            assert!(
                languages.contains(&l.as_str()),
                "{}: unknown language {l}",
                m.id
            );
        }
        assert!(
            m.tags.len() + m.cwe.len() < 20,
            "{}: SARIF allows at most 20 tags",
            m.id
        );
        if m.category == "security" {
            let s = m.security_severity.unwrap_or(-1.0);
            assert!(
                (0.0..=10.0).contains(&s),
                "{}: security rules need security-severity 0..10",
                m.id
            );
            assert!(!m.cwe.is_empty(), "{}: security rules name their CWE", m.id);
        }
        assert!(
            m.since.split('.').count() == 3,
            "{}: since is a version",
            m.id
        );
        let what = doc.section("What it does").unwrap_or("");
        assert!(
            !what.is_empty() && !what.contains("FIXME"),
            "{}: What it does is empty",
            m.id
        );
        for section in backlint_engine::meta::REQUIRED_SECTIONS {
            let text = doc.section(section).unwrap_or("");
            assert!(!text.is_empty(), "{}: section `{section}` is empty", m.id);
            assert!(
                !text.contains("FIXME"),
                "{}: section `{section}` has a FIXME",
                m.id
            );
        }
    }
}

#[test]
fn every_rule_set_builds() {
    // Fails when a rule asks for a node kind its grammar does not have.
    let _ = support::all_rules();
}

fn extension(info: &str) -> Option<&'static str> {
    Some(match info.split_whitespace().next()? {
        "ts" | "typescript" => "ts",
        "tsx" => "tsx",
        "js" | "javascript" => "js",
        "jsx" => "jsx",
        "py" | "python" => "py",
        _ => return None,
    })
}

#[test]
fn doc_examples_are_flagged_and_fixes_are_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (rule, doc) in backlint_rules::all() {
        let id = rule.id();
        for (section, must_flag) in [("Example", true), ("Use instead", false)] {
            let blocks = doc.code_blocks(section);
            assert!(!blocks.is_empty(), "{id}: `{section}` has no code block");
            for (i, (info, code)) in blocks.iter().enumerate() {
                let Some(ext) = extension(info) else {
                    panic!("{id}: `{section}` block {i} has no language (```ts, ```py…)");
                };
                let path = dir
                    .path()
                    .join(format!("{id}-{}-{i}.{ext}", section.replace(' ', "-")));
                std::fs::write(&path, code).expect("write example");
                let result = support::scan_paths(std::slice::from_ref(&path));
                let hits = result.diagnostics.iter().filter(|d| d.rule == id).count();
                if must_flag {
                    assert!(
                        hits >= 1,
                        "{id}: `{section}` block {i} is not flagged:\n{code}"
                    );
                } else {
                    assert_eq!(hits, 0, "{id}: `{section}` block {i} is flagged:\n{code}");
                }
            }
        }
    }
}

#[test]
fn fixture_folders_have_as_many_ok_as_ruleid_lines() {
    let root = support::repo_root();
    for (rule, _) in backlint_rules::all() {
        let id = rule.id();
        let (mut flagged, mut clean) = (0, 0);
        for p in support::files_under(&[root.join("fixtures").join(id)]) {
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            for line in text.lines() {
                let l = line.trim_start();
                // `<mark>:` or `<mark>(<severity>):`, then the rule ids.
                let mentions = |mark: &str| {
                    l.find(mark).is_some_and(|at| {
                        let rest = &l[at + mark.len()..];
                        let rest = match rest.strip_prefix('(') {
                            Some(r) => r.split_once(')').map(|(_, r)| r).unwrap_or(""),
                            None => rest,
                        };
                        rest.strip_prefix(':').is_some_and(|ids| {
                            ids.split(" -- ")
                                .next()
                                .unwrap_or("")
                                .split(',')
                                .any(|r| r.trim() == id)
                        })
                    })
                };
                if mentions("ruleid") && !l.contains("todoruleid") {
                    flagged += 1;
                }
                if mentions(" ok") || l.starts_with("ok:") {
                    clean += 1;
                }
            }
        }
        assert!(flagged >= 1, "{id}: fixtures have no ruleid line");
        assert!(
            clean >= flagged,
            "{id}: {clean} ok lines < {flagged} ruleid lines: precision needs as many"
        );
    }
}

/// The README's rules table, generated from the docs.
fn rules_table() -> String {
    let mut t = String::from(
        "| Rule | Category | Severity | Languages | What it finds |\n|---|---|---|---|---|\n",
    );
    for (rule, doc) in backlint_rules::all() {
        let m = &doc.meta;
        let preview = if m.status == Status::Preview {
            " (preview)"
        } else {
            ""
        };
        t.push_str(&format!(
            "| [`{id}`](rules/{id}.md){preview} | {} | {} | {} | {} |\n",
            m.category,
            m.severity,
            m.languages.join(", "),
            m.title,
            id = rule.id()
        ));
    }
    t
}

#[test]
fn readme_rules_table_is_generated() {
    let readme =
        std::fs::read_to_string(support::repo_root().join("README.md")).expect("README.md");
    let start = "<!-- rules-table:start -->\n";
    let end = "<!-- rules-table:end -->";
    let (Some(a), Some(b)) = (readme.find(start), readme.find(end)) else {
        panic!("README.md has no {start:?} … {end:?} markers");
    };
    let current = &readme[a + start.len()..b];
    let expected = rules_table();
    assert_eq!(
        current, expected,
        "README rules table is stale; replace it with:\n{expected}"
    );
}

/// Every option a rule reads is documented in its doc's `Options` section, with a TOML
/// example under `[rules.<id>]`; a rule without options says so.
#[test]
fn rule_options_are_documented() {
    for (rule, doc) in backlint_rules::all() {
        let id = rule.id();
        let section = doc
            .body
            .split("\n## ")
            .find(|s| s.starts_with("Options"))
            .unwrap_or_else(|| panic!("{id}: no `## Options` section"));
        for o in rule.options() {
            assert!(
                section.contains(&format!("{} = ", o.name)),
                "{id}: option `{}` is not shown in its doc's Options section",
                o.name
            );
            assert!(
                o.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{id}: option `{}` is not kebab-case",
                o.name
            );
        }
        if !rule.options().is_empty() {
            assert!(
                section.contains(&format!("[rules.{id}]")),
                "{id}: the Options example is not under `[rules.{id}]`"
            );
        }
    }
}
