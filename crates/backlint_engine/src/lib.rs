//! backlint's engine: discovery, languages, parsing, the per-file semantic index, rule
//! dispatch, diagnostics, the project-level pass. It knows no specific rule or library:
//! rules plug in through [`Rule`], library knowledge lives in the rules crate.
//!
//! The flow of one scan ([`scan::scan`]):
//! 1. [`discover`]: parallel walk honouring ignore files and default excludes; sorted paths.
//! 2. Per file, in parallel (rayon): read once, check size/binary/UTF-8/minified, parse with
//!    the thread's reused `tree_sitter::Parser`, build the [`Index`] (pass 1: one cursor walk),
//!    parse the file's `backlint-ignore` comments ([`suppress::parse`]: the index's `comment`
//!    nodes, or a line scan for text files; nothing at all without the marker), dispatch each
//!    node to the rules bucketed for its kind (pass 2), collect reports and facts. The parsed
//!    suppressions leave the worker with them (rules read them through
//!    [`FileCtx::suppressions`]). A panic is caught and reported as an internal error for that
//!    file only.
//! 3. Project pass: every rule's `check_project` sees the facts of all files.
//! 4. Suppressions (`suppress::apply`): every finding, file and project rules' alike, that a
//!    `backlint-ignore` comment of its file silences is marked and dropped (kept, marked, with
//!    [`ScanOptions::include_suppressed`]; counted in [`ScanResult::suppressed`]); with
//!    [`ScanOptions::report_unused_suppressions`], suppressions that silenced nothing are
//!    reported as `unused-suppression`.
//! 5. Sort diagnostics by path, line, column, rule: output is the same whatever the thread count.
pub mod dataflow;
pub mod diagnostic;
pub mod discover;
pub mod facts;
pub mod index;
pub mod lang;
pub mod meta;
pub mod options;
pub mod result;
pub mod rule;
pub mod ruleset;
pub mod scan;
pub mod source;
pub mod suppress;

pub use diagnostic::{
    BaselineState, Diagnostic, Location, Notification, NotificationLevel, Position, Related,
    Severity, Span, Suppression,
};
pub use facts::{FactStore, FileFacts, Project};
pub use index::{Index, NodeId};
pub use lang::{FileKind, Language, TextKind};
pub use meta::RuleDoc;
pub use options::{OptionSpec, RuleOptions};
pub use result::ScanResult;
pub use rule::{FileCtx, ProjectSink, Rule, Sink};
pub use ruleset::{RuleEntry, RuleSet};
pub use scan::{in_file_analysis, scan, ProjectContext, ScanError, ScanOptions, StdinFile};
pub use suppress::{RuleRef, SuppressionComment, SuppressionProblem, SuppressionScope};
pub use tree_sitter::Node;
