//! Rule selection: `--select`/`--ignore` and the configuration's `select`, `ignore`,
//! `preview` and `[rules.<id>]` tables → the rules a scan runs, with their severity and
//! options.

use backlint_engine::meta::Status;
use backlint_engine::{RuleEntry, RuleOptions};

use crate::config::Config;

/// What the command line asked for.
pub struct Cli<'a> {
    pub select: &'a [String],
    pub ignore: &'a [String],
    pub preview: bool,
}

/// The rules a scan runs. Unknown names are an error with the closest valid one suggested.
///
/// Order of precedence: the command line's `--select` replaces the configuration's
/// `select`; `--ignore` adds to its `ignore`; `[rules.<id>] enabled = false` turns a rule off
/// unless `--select` names it, `enabled = true` turns it on (a preview rule too).
pub fn select(cli: &Cli, config: &Config) -> Result<Vec<RuleEntry>, String> {
    for name in cli.select.iter().chain(cli.ignore) {
        if !rule_or_category_known(name) {
            return Err(unknown_rule_message(name));
        }
    }
    let preview = cli.preview || config.preview.unwrap_or(false);
    let cli_select: Vec<&String> = cli.select.iter().filter(|s| !s.is_empty()).collect();
    let select: Vec<&String> = if cli_select.is_empty() {
        config
            .select
            .as_ref()
            .map(|s| s.iter().collect())
            .unwrap_or_default()
    } else {
        cli_select.clone()
    };
    let matches =
        |name: &str, id: &str, category: &str| name == "all" || name == id || name == category;
    let mut out = Vec::new();
    for (rule, doc) in backlint_rules::all() {
        let (id, category) = (doc.meta.id.as_str(), doc.meta.category.as_str());
        let rc = config.rules.get(rule.id());
        let named = cli_select.iter().any(|s| s.as_str() == id);
        let available = preview || doc.meta.status == Status::Stable;
        let in_select = select.is_empty() || select.iter().any(|s| matches(s, id, category));
        let on = match rc.and_then(|r| r.enabled) {
            // Turned on by its table: preview or in `ignore`, it runs if selected.
            Some(true) => in_select,
            // Turned off by its table: only `--select <id>` brings it back.
            Some(false) => named && available,
            None => {
                available && in_select && !config.ignore.iter().any(|i| matches(i, id, category))
            }
        } && !cli.ignore.iter().any(|i| matches(i, id, category));
        if !on {
            continue;
        }
        let mut entry = RuleEntry::new(rule, doc);
        if let Some(rc) = rc {
            if let Some(sev) = rc.severity {
                entry.severity = sev;
            }
            let mut options = RuleOptions::default();
            for (name, values) in &rc.options {
                options.set(name, values.clone());
            }
            entry.options = options;
        }
        out.push(entry);
    }
    Ok(out)
}

/// `--report-unused-suppressions`: the `unused-suppression` rule joins the scan (it is off by
/// default), with its configured severity.
pub fn add_unused_suppression(entries: &mut Vec<RuleEntry>, config: &Config) {
    const ID: &str = "unused-suppression";
    if entries.iter().any(|e| e.id() == ID) {
        return;
    }
    if let Some((rule, doc)) = backlint_rules::all().find(|(r, _)| r.id() == ID) {
        let mut entry = RuleEntry::new(rule, doc);
        if let Some(sev) = config.rules.get(ID).and_then(|r| r.severity) {
            entry.severity = sev;
        }
        entries.push(entry);
    }
}

/// Whether `name` is a rule id, a category, `all` or `none`.
pub fn rule_or_category_known(name: &str) -> bool {
    name == "all"
        || name == "none"
        || backlint_rules::all().any(|(_, d)| d.meta.id == name || d.meta.category == name)
}

pub fn unknown_rule_message(name: &str) -> String {
    let candidates =
        backlint_rules::all().flat_map(|(_, d)| [d.meta.id.as_str(), d.meta.category.as_str()]);
    match closest(name, candidates) {
        Some(c) => format!(
            "unknown rule or category `{name}`; did you mean `{c}`? (`backlint rules` lists them)"
        ),
        None => format!("unknown rule or category `{name}` (`backlint rules` lists them)"),
    }
}

/// The candidate closest to `name` by edit distance, when close enough to be a typo (the
/// engine's, which also suggests rule ids in suppression comments).
pub use backlint_engine::suppress::closest;
