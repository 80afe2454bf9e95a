//! `gitlab`: a GitLab Code Quality report (the Code Climate issue format GitLab reads from
//! `artifacts:reports:codequality`): a JSON array with one issue per finding that counts
//! ([`backlint_engine::ScanResult::active`]), in the engine's order; `[]` when there is none.
//!
//! ```json
//! {
//!   "description": "message",
//!   "check_name": "rule-id",
//!   "fingerprint": "32 hex digits",
//!   "severity": "critical",
//!   "location": { "path": "src/a.ts", "lines": { "begin": 4, "end": 4 } },
//!   "categories": ["Security"],
//!   "type": "issue",
//!   "engine_name": "backlint"
//! }
//! ```
//!
//! - `severity`: note → `info`, warning → `major`, error → `critical`.
//! - `fingerprint`: GitLab tells findings apart (and compares a merge request with its target
//!   branch) by this string alone, so it must be unique in the report and stable across
//!   unrelated edits. It hashes our own fingerprint (stable, see
//!   [`backlint_engine::Diagnostic::fingerprint`]) with the rule id and the path, so equal
//!   fingerprints in two files never collide; should two findings still hash alike, the later
//!   one is re-hashed with its occurrence number.
//! - `categories`: from the rule doc's `category` (`security` → `Security`, `performance` and
//!   `database` → `Performance`, …), `Bug Risk` when the category has no Code Climate
//!   counterpart or the rule is not among the reported rules.
//! - `location.lines.end` is the last line the span covers.

use std::collections::{HashMap, HashSet};
use std::io;

use backlint_engine::diagnostic::Fnv64;
use backlint_engine::{Diagnostic, Severity};
use serde::Serialize;

use crate::{last_line, ReportInput};

#[derive(Serialize)]
struct Issue<'a> {
    description: &'a str,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation<'a>,
    categories: [&'static str; 1],
    #[serde(rename = "type")]
    kind: &'static str,
    engine_name: &'a str,
}

#[derive(Serialize)]
struct IssueLocation<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Note => "info",
        Severity::Warning => "major",
        Severity::Error => "critical",
    }
}

/// The Code Climate category of a rule category.
pub(crate) fn category(rule_category: &str) -> &'static str {
    match rule_category.to_ascii_lowercase().as_str() {
        "security" => "Security",
        "performance" | "database" => "Performance",
        "style" => "Style",
        "complexity" => "Complexity",
        "clarity" | "readability" => "Clarity",
        "compatibility" => "Compatibility",
        "duplication" => "Duplication",
        _ => "Bug Risk",
    }
}

/// 32 hex digits (two FNV-1a 64 hashes with different salts) of the finding's identity.
fn hash(d: &Diagnostic, occurrence: usize) -> String {
    let half = |salt: &str| {
        let mut h = Fnv64::default();
        h.field(salt)
            .field(d.rule)
            .field(&d.location.path)
            .field(&d.fingerprint);
        if occurrence > 0 {
            h.field(&occurrence.to_string());
        }
        h.finish()
    };
    format!(
        "{:016x}{:016x}",
        half("backlint/gitlab/v1"),
        half("backlint/gitlab/v1/b")
    )
}

pub(crate) fn render(input: &ReportInput, out: &mut dyn io::Write) -> io::Result<()> {
    let categories: HashMap<&str, &'static str> = input
        .rules
        .iter()
        .map(|doc| (doc.id(), category(&doc.meta.category)))
        .collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut issues = Vec::new();
    for d in input.result.active() {
        let mut occurrence = 0;
        let mut fingerprint = hash(d, occurrence);
        while !seen.insert(fingerprint.clone()) {
            occurrence += 1;
            fingerprint = hash(d, occurrence);
        }
        let span = &d.location.span;
        let begin = span.start.line.max(1);
        issues.push(Issue {
            description: &d.message,
            check_name: d.rule,
            fingerprint,
            severity: severity(d.severity),
            location: IssueLocation {
                path: &d.location.path,
                lines: Lines {
                    begin,
                    end: last_line(span),
                },
            },
            categories: [categories.get(d.rule).copied().unwrap_or("Bug Risk")],
            kind: "issue",
            engine_name: input.tool.name,
        });
    }
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    out.write_all(b"\n")
}
