//! Rule metadata. The single source of a rule's human text is its doc, `rules/<id>.md`:
//! TOML front matter between `+++` lines, then markdown with fixed sections. The rules crate
//! embeds the docs; this module parses them into [`RuleDoc`] for `backlint rules`,
//! `backlint explain` and the SARIF rule descriptors.

use crate::diagnostic::Severity;

/// The body sections every rule doc has, in this order.
pub const REQUIRED_SECTIONS: &[&str] = &[
    "What it does",
    "Why is this bad?",
    "Example",
    "Use instead",
    "Options",
    "Known limitations",
    "References",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Precision {
    VeryHigh,
    High,
    Medium,
    Low,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::VeryHigh => "very-high",
            Precision::High => "high",
            Precision::Medium => "medium",
            Precision::Low => "low",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Preview,
    Stable,
}

/// Front matter of a rule doc.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FrontMatter {
    pub id: String,
    pub title: String,
    pub category: String,
    pub severity: Severity,
    pub languages: Vec<String>,
    pub status: Status,
    pub since: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub cwe: Vec<u32>,
    #[serde(default)]
    pub owasp: Vec<String>,
    pub precision: Precision,
    #[serde(default)]
    pub security_severity: Option<f32>,
    #[serde(default)]
    pub sources: Vec<String>,
}

/// A parsed rule doc.
#[derive(Debug, Clone)]
pub struct RuleDoc {
    pub meta: FrontMatter,
    /// The markdown body (everything after the front matter), starting at the first heading.
    pub body: String,
    /// `(heading, text)` for each `## ` section, in document order.
    pub sections: Vec<(String, String)>,
}

impl RuleDoc {
    /// Parses a rule doc. Errors name what is wrong; they are programming errors of the
    /// rules crate (docs are embedded at build time) and tests check every doc parses.
    pub fn parse(text: &str) -> Result<RuleDoc, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let rest = text.strip_prefix("+++\n").ok_or_else(|| {
            "rule doc must start with a `+++` line (TOML front matter)".to_string()
        })?;
        let end = rest
            .find("\n+++\n")
            .ok_or_else(|| "rule doc front matter is not closed by a `+++` line".to_string())?;
        let meta: FrontMatter =
            toml::from_str(&rest[..end]).map_err(|e| format!("rule doc front matter: {e}"))?;
        let body = rest[end + 5..].trim_start_matches('\n').to_string();
        let sections = split_sections(&body);
        for required in REQUIRED_SECTIONS {
            if !sections.iter().any(|(h, _)| h == required) {
                return Err(format!(
                    "rule doc `{}` has no `## {required}` section",
                    meta.id
                ));
            }
        }
        let order: Vec<&str> = sections
            .iter()
            .filter(|(h, _)| REQUIRED_SECTIONS.contains(&h.as_str()))
            .map(|(h, _)| h.as_str())
            .collect();
        if order != REQUIRED_SECTIONS {
            return Err(format!(
                "rule doc `{}` has its sections in the wrong order: {order:?}",
                meta.id
            ));
        }
        if meta.title.trim().is_empty() {
            return Err(format!("rule doc `{}` has an empty title", meta.id));
        }
        Ok(RuleDoc {
            meta,
            body,
            sections,
        })
    }

    pub fn id(&self) -> &str {
        &self.meta.id
    }

    /// The text of a `## ` section, trimmed.
    pub fn section(&self, heading: &str) -> Option<&str> {
        self.sections
            .iter()
            .find(|(h, _)| h == heading)
            .map(|(_, t)| t.trim())
    }

    /// "What it does" as one paragraph of plain text (SARIF `fullDescription`).
    pub fn full_description(&self) -> String {
        let text = self.section("What it does").unwrap_or(&self.meta.title);
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Fenced code blocks of a section: `(info string, code)`.
    pub fn code_blocks(&self, heading: &str) -> Vec<(String, String)> {
        let Some(text) = self.section(heading) else {
            return Vec::new();
        };
        let mut blocks = Vec::new();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if let Some(info) = line.trim_start().strip_prefix("```") {
                let mut code = String::new();
                for l in lines.by_ref() {
                    if l.trim_start().starts_with("```") {
                        break;
                    }
                    code.push_str(l);
                    code.push('\n');
                }
                blocks.push((info.trim().to_string(), code));
            }
        }
        blocks
    }
}

fn split_sections(body: &str) -> Vec<(String, String)> {
    let mut sections: Vec<(String, String)> = Vec::new();
    let mut in_fence = false;
    for line in body.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if !in_fence {
            if let Some(h) = line.strip_prefix("## ") {
                sections.push((h.trim().to_string(), String::new()));
                continue;
            }
        }
        if let Some((_, text)) = sections.last_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    sections
}
