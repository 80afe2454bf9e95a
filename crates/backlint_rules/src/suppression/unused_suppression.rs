//! `unused-suppression`: a `backlint-ignore` comment (or one rule id in it) that silenced no
//! finding, such as one left behind after the code it excused was fixed, or one placed on the
//! wrong line.
//!
//! Whether a suppression was used is known only once every finding of the scan is, including
//! those of project rules (`missing-rate-limit` reports from its project pass). So the
//! detection lives in the engine's post-pass (`backlint_engine::suppress`), which reports under
//! this rule's id at this rule's configured severity when the scan sets
//! `ScanOptions::report_unused_suppressions` and this rule is in the rule set (the CLI's
//! `--report-unused-suppressions`). Only ids of rules that ran in the scan are reported: a
//! suppression for a rule that was not selected is not unused. This struct only gives the rule
//! an id, a doc and a place in the registry; it has no node kinds and no checks.

use backlint_engine::Rule;

pub struct UnusedSuppression;

impl UnusedSuppression {
    /// The id the engine reports under.
    pub const ID: &'static str = backlint_engine::suppress::UNUSED_SUPPRESSION;
}

impl Rule for UnusedSuppression {
    fn id(&self) -> &'static str {
        Self::ID
    }
}
