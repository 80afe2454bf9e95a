//! The registry: every rule, one line each, with the doc that holds its metadata and text.
//! Adding a rule = its module under a category, one `rule!` line here, `rules/<id>.md` and
//! `fixtures/<id>/`. The engine and reporters do not change.

use std::sync::OnceLock;

use backlint_engine::{Rule, RuleDoc};

/// A rule as registered: the rule, its id and the embedded text of its doc.
pub struct RegisteredRule {
    pub rule: &'static dyn Rule,
    pub id: &'static str,
    pub doc_text: &'static str,
}

macro_rules! rule {
    ($rule:expr, $id:literal) => {
        RegisteredRule {
            rule: &$rule,
            id: $id,
            doc_text: include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../rules/",
                $id,
                ".md"
            )),
        }
    };
}

/// Every rule, in a stable order (the order of `backlint rules` and SARIF `driver.rules`).
#[rustfmt::skip] // one line per rule, greppable
pub static RULES: &[RegisteredRule] = &[
    rule!(crate::security::jwt_in_local_storage::JwtInLocalStorage, "jwt-in-local-storage"),
    rule!(crate::security::string_sql::StringSql, "string-sql"),
    rule!(crate::performance::n_plus_one_query::NPlusOneQuery, "n-plus-one-query"),
    rule!(crate::security::hardcoded_secret::HardcodedSecret, "hardcoded-secret"),
    rule!(crate::performance::unbounded_query::UnboundedQuery, "unbounded-query"),
    rule!(crate::security::missing_rate_limit::MissingRateLimit, "missing-rate-limit"),
    rule!(crate::suppression::invalid_suppression::InvalidSuppression, "invalid-suppression"),
    rule!(crate::suppression::unused_suppression::UnusedSuppression, "unused-suppression"),
];

struct Parsed {
    docs: Vec<RuleDoc>,
}

fn parsed() -> &'static Parsed {
    static PARSED: OnceLock<Parsed> = OnceLock::new();
    PARSED.get_or_init(|| Parsed {
        docs: RULES
            .iter()
            .map(|r| {
                // Docs are embedded at build time and checked by tests/rules_meta.rs; a broken
                // one is a bug in this crate, reported with the rule id.
                RuleDoc::parse(r.doc_text).unwrap_or_else(|e| panic!("rules/{}.md: {e}", r.id))
            })
            .collect(),
    })
}

/// Every rule with its parsed doc.
pub fn all() -> impl Iterator<Item = (&'static dyn Rule, &'static RuleDoc)> {
    RULES
        .iter()
        .zip(parsed().docs.iter())
        .map(|(r, d)| (r.rule, d))
}

/// The doc of a rule id.
pub fn doc(id: &str) -> Option<&'static RuleDoc> {
    all().find(|(_, d)| d.id() == id).map(|(_, d)| d)
}

/// A rule and its doc by id.
pub fn lookup(id: &str) -> Option<(&'static dyn Rule, &'static RuleDoc)> {
    all().find(|(r, _)| r.id() == id)
}
