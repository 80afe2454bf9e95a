//! Rule selection from `--select`/`--ignore`: rule ids or categories, `all`, `none`.

use backlint_engine::meta::Status;
use backlint_engine::{Rule, RuleDoc};

type Selected = Vec<(&'static dyn Rule, &'static RuleDoc)>;

/// The rules a scan runs. Unknown names are an error with the closest valid one suggested.
pub fn select(select: &[String], ignore: &[String], preview: bool) -> Result<Selected, String> {
    let all: Selected = backlint_rules::all()
        .filter(|(_, d)| preview || d.meta.status == Status::Stable)
        .collect();
    let matches = |name: &str, doc: &RuleDoc| {
        name == "all" || name == doc.meta.id || name == doc.meta.category
    };
    for name in select.iter().chain(ignore) {
        let known = name == "all"
            || name == "none"
            || backlint_rules::all().any(|(_, d)| d.meta.id == *name || d.meta.category == *name);
        if !known {
            return Err(unknown_rule_message(name));
        }
    }
    let selected = |doc: &RuleDoc| {
        let names: Vec<&String> = select.iter().filter(|s| !s.is_empty()).collect();
        names.is_empty() || names.iter().any(|s| matches(s, doc))
    };
    Ok(all
        .into_iter()
        .filter(|(_, d)| selected(d) && !ignore.iter().any(|i| matches(i, d)))
        .collect())
}

pub fn unknown_rule_message(name: &str) -> String {
    let mut candidates: Vec<String> = backlint_rules::all()
        .flat_map(|(_, d)| [d.meta.id.clone(), d.meta.category.clone()])
        .collect();
    candidates.sort();
    candidates.dedup();
    let best = candidates
        .iter()
        .map(|c| (edit_distance(name, c), c))
        .min()
        .filter(|(d, c)| *d <= c.len().max(3) / 2);
    match best {
        Some((_, c)) => format!(
            "unknown rule or category `{name}`; did you mean `{c}`? (`backlint rules` lists them)"
        ),
        None => format!("unknown rule or category `{name}` (`backlint rules` lists them)"),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
