//! The enabled rules of a scan, bucketed by node kind per language (oxc's rule buckets,
//! ast-grep's kind → rules table), built once per scan.

use crate::diagnostic::Severity;
use crate::lang::{kind_ids, Language};
use crate::meta::RuleDoc;
use crate::options::RuleOptions;
use crate::rule::Rule;

/// A rule with its doc and the severity it reports at in this scan.
pub struct RuleEntry {
    pub rule: &'static dyn Rule,
    pub doc: &'static RuleDoc,
    pub severity: Severity,
    /// The rule's configured options (empty unless a configuration sets some).
    pub options: RuleOptions,
}

impl RuleEntry {
    pub fn new(rule: &'static dyn Rule, doc: &'static RuleDoc) -> RuleEntry {
        RuleEntry {
            rule,
            doc,
            severity: doc.meta.severity,
            options: RuleOptions::default(),
        }
    }

    pub fn id(&self) -> &'static str {
        self.rule.id()
    }

    pub fn runs_on(&self, lang: Language) -> bool {
        self.doc.meta.languages.iter().any(|l| l == lang.doc_name())
    }
}

pub struct RuleSet {
    entries: Vec<RuleEntry>,
    /// Per language: kind id → indices into `entries`.
    buckets: [Vec<Vec<u16>>; 4],
}

impl RuleSet {
    /// Builds the buckets. Fails if a rule's id differs from its doc's or a rule asks for a
    /// node kind its grammar does not have (a typo would silently disable the rule). A rule
    /// with no kinds and no checks is accepted (`unused-suppression`, which the engine's
    /// post-pass reports for).
    pub fn new(entries: Vec<RuleEntry>) -> Result<RuleSet, String> {
        let mut buckets: [Vec<Vec<u16>>; 4] = Default::default();
        for lang in Language::ALL {
            let grammar = lang.grammar();
            let table = &mut buckets[lang.index()];
            table.resize(grammar.node_kind_count(), Vec::new());
            for (i, entry) in entries.iter().enumerate() {
                if entry.rule.id() != entry.doc.meta.id {
                    return Err(format!(
                        "rule `{}` is registered with the doc of `{}`",
                        entry.rule.id(),
                        entry.doc.meta.id
                    ));
                }
                for kind in entry.rule.kinds(lang) {
                    let ids = kind_ids(&grammar, kind);
                    if ids.is_empty() {
                        return Err(format!(
                            "rule `{}` asks for node kind `{kind}`, which the {lang:?} grammar does not have",
                            entry.rule.id()
                        ));
                    }
                    if !entry.runs_on(lang) {
                        continue;
                    }
                    for id in ids {
                        let bucket = &mut table[id as usize];
                        if !bucket.contains(&(i as u16)) {
                            bucket.push(i as u16);
                        }
                    }
                }
            }
        }
        Ok(RuleSet { entries, buckets })
    }

    pub fn entries(&self) -> &[RuleEntry] {
        &self.entries
    }

    pub fn docs(&self) -> Vec<&'static RuleDoc> {
        self.entries.iter().map(|e| e.doc).collect()
    }

    /// Whether the scan reads text files (`.env`, YAML…): when a rule does that reports on
    /// their content. Suppression rules (category [`crate::suppress::CATEGORY`]) check text
    /// files too, but only those read for another rule: they never make a scan read them.
    pub fn wants_text_files(&self) -> bool {
        self.entries
            .iter()
            .any(|e| e.rule.wants_text_files() && e.doc.meta.category != crate::suppress::CATEGORY)
    }

    pub(crate) fn bucket(&self, lang: Language) -> &[Vec<u16>] {
        &self.buckets[lang.index()]
    }

    pub fn severity_of(&self, rule: &str) -> Option<crate::diagnostic::Severity> {
        self.entries
            .iter()
            .find(|e| e.id() == rule)
            .map(|e| e.severity)
    }
}
