//! Rule options: extra knowledge a project gives a rule in its configuration
//! (`[rules.missing-rate-limit] limiter-names = ["guardLogin"]`).
//!
//! A rule declares the options it reads with [`Rule::options`](crate::Rule::options); the
//! configuration loader checks keys and types against those declarations, and the values
//! reach the rule as a [`RuleOptions`] on its [`RuleEntry`](crate::RuleEntry). While a rule
//! runs, the engine points [`FileCtx::options`](crate::FileCtx::options) and
//! [`Project::options`](crate::Project::options) at that rule's values, so shared knowledge
//! helpers called from the rule (`is_limiter_name`, `db_handle`…) read the options of the rule
//! that is asking without every call passing them along.
//!
//! Every option is a list of strings that extends a built-in table; none replaces one, so a
//! configuration can only teach a rule more, never blind it by accident.

use std::collections::BTreeMap;

/// An option a rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionSpec {
    /// The key in the rule's configuration table (kebab-case).
    pub name: &'static str,
    /// One line for `backlint init` and the docs.
    pub doc: &'static str,
    /// An example value, as TOML (`["guardLogin"]`), for `backlint init`.
    pub example: &'static str,
}

/// The option values of one rule in one scan. Empty by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleOptions {
    lists: BTreeMap<&'static str, Vec<String>>,
}

static EMPTY: RuleOptions = RuleOptions {
    lists: BTreeMap::new(),
};

impl RuleOptions {
    /// Options with no values.
    pub fn empty() -> &'static RuleOptions {
        &EMPTY
    }

    /// Sets a list option. `name` must be one of the rule's [`OptionSpec`] names.
    pub fn set(&mut self, name: &'static str, values: Vec<String>) {
        self.lists.insert(name, values);
    }

    /// The values of a list option; empty when unset.
    pub fn list(&self, name: &str) -> &[String] {
        self.lists.get(name).map_or(&[], Vec::as_slice)
    }

    /// Whether `value` is one of the values of a list option (exact match).
    pub fn contains(&self, name: &str, value: &str) -> bool {
        self.list(name).iter().any(|v| v == value)
    }

    pub fn is_empty(&self) -> bool {
        self.lists.values().all(Vec::is_empty)
    }

    /// Every set option, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &[String])> {
        self.lists.iter().map(|(k, v)| (*k, v.as_slice()))
    }
}

#[cfg(test)]
mod tests {
    use super::RuleOptions;

    #[test]
    fn unset_options_read_as_empty_lists() {
        let mut o = RuleOptions::default();
        assert!(o.list("limiter-names").is_empty());
        o.set("limiter-names", vec!["guardLogin".into()]);
        assert!(o.contains("limiter-names", "guardLogin"));
        assert!(!o.contains("limiter-names", "guard"));
        assert!(RuleOptions::empty().is_empty());
    }
}
