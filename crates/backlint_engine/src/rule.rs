//! The rule trait, what rules see (`FileCtx`) and where they report (`Sink`).
//!
//! A rule is a unit struct with an `ID`; its metadata and human text live in its doc
//! (`rules/<id>.md`). It declares the node kinds it wants per language; the engine hands it
//! only those nodes, in one linear pass over the file's index. Rules that need the whole file
//! use `check_file`; rules that need the whole project leave facts and use `check_project`.

use std::cell::Cell;
use std::ops::Deref;

use tree_sitter::Node;

use crate::diagnostic::Location;
use crate::facts::{FactStore, Project};
use crate::index::{Index, NodeId};
use crate::lang::{FileKind, Language};
use crate::options::{OptionSpec, RuleOptions};
use crate::source::LineIndex;
use crate::suppress::SuppressionComment;

pub trait Rule: Send + Sync + 'static {
    /// The rule id, stable forever; equals the `id` in its doc's front matter.
    fn id(&self) -> &'static str;

    /// Named node kinds this rule wants in files of `lang` (checked against the grammar
    /// when the rule set is built: an unknown name is an error).
    fn kinds(&self, _lang: Language) -> &'static [&'static str] {
        &[]
    }

    /// Whether the rule reads files that are not parsed (`.env`, YAML, JSON…).
    fn wants_text_files(&self) -> bool {
        false
    }

    /// A cheap pre-check, once per file, before any node is dispatched (e.g. "does the text
    /// mention `localStorage` at all?"). A rule that answers `false` sees nothing of the file.
    fn applies(&self, _file: &FileCtx<'_>) -> bool {
        true
    }

    /// Called for each node of a kind from `kinds`, in pre-order.
    fn check(&self, _node: NodeId, _ctx: &FileCtx<'_>, _sink: &mut Sink) {}

    /// Called once per file after every node (for text files, the only call).
    fn check_file(&self, _ctx: &FileCtx<'_>, _sink: &mut Sink) {}

    /// Called once per scan after every file, with the facts all files left.
    fn check_project(&self, _project: &Project<'_>, _sink: &mut ProjectSink) {}

    /// For rules whose project pass needs facts from files the user did not name (a
    /// pre-commit run on three files still needs the settings module): the words a file must
    /// contain to hold such facts. Those files of the project are analysed by this rule for
    /// facts only; their findings are dropped. `None` (the default): no facts from outside
    /// the scanned paths. `Some(&[])`: any file may hold some.
    fn context_words(&self) -> Option<&'static [&'static str]> {
        None
    }

    /// The options this rule reads from its configuration table (see [`crate::options`]).
    fn options(&self) -> &'static [OptionSpec] {
        &[]
    }
}

/// What a rule knows about the file it is looking at. Derefs to the semantic [`Index`]
/// (empty for text files).
pub struct FileCtx<'a> {
    /// Path relative to the scan root, forward slashes.
    pub path: &'a str,
    pub kind: FileKind,
    pub source: &'a str,
    pub lines: &'a LineIndex,
    pub index: &'a Index<'a>,
    /// The scan's rules and which of them is running (set by the engine before each call):
    /// an index rather than a reference in the `Cell`, so `FileCtx` stays covariant.
    rules: &'a [crate::ruleset::RuleEntry],
    current: Cell<usize>,
    /// The file's `backlint-ignore` comments, parsed once by the engine.
    suppressions: &'a [SuppressionComment],
}

impl<'a> Deref for FileCtx<'a> {
    type Target = Index<'a>;
    fn deref(&self) -> &Index<'a> {
        self.index
    }
}

impl<'a> FileCtx<'a> {
    pub fn new(
        path: &'a str,
        kind: FileKind,
        source: &'a str,
        lines: &'a LineIndex,
        index: &'a Index<'a>,
    ) -> FileCtx<'a> {
        FileCtx {
            path,
            kind,
            source,
            lines,
            index,
            rules: &[],
            current: Cell::new(0),
            suppressions: &[],
        }
    }

    /// The context with the file's parsed suppression comments ([`crate::suppress::parse`]).
    pub fn with_suppressions(mut self, suppressions: &'a [SuppressionComment]) -> FileCtx<'a> {
        self.suppressions = suppressions;
        self
    }

    /// The file's `backlint-ignore` / `backlint-ignore-file` comments, in file order, valid or
    /// not (the engine applies them to findings after the project pass; the
    /// `invalid-suppression` rule reports the broken ones). Empty for files without the marker.
    pub fn suppressions(&self) -> &'a [SuppressionComment] {
        self.suppressions
    }

    /// The context of a file a scan runs `rules` on.
    pub(crate) fn with_rules(mut self, rules: &'a crate::ruleset::RuleSet) -> FileCtx<'a> {
        self.rules = rules.entries();
        self
    }

    /// The configured options of the rule being run (knowledge helpers read them too).
    pub fn options(&self) -> &'a RuleOptions {
        self.rules
            .get(self.current.get())
            .map_or(RuleOptions::empty(), |e| &e.options)
    }

    /// Marks the `i`th rule of the scan's rule set as the one running.
    pub(crate) fn set_rule(&self, i: usize) {
        self.current.set(i);
    }

    pub fn language(&self) -> Option<Language> {
        self.kind.language()
    }

    /// A location in this file, for facts that outlive it.
    pub fn location(&self, start_byte: usize, end_byte: usize) -> Location {
        Location {
            path: self.path.to_string(),
            span: self.lines.span(self.source, start_byte, end_byte),
        }
    }

    pub fn node_location(&self, node: Node<'_>) -> Location {
        self.location(node.start_byte(), node.end_byte())
    }

    /// The normalised text of a byte range, as fingerprints hash it: whitespace runs
    /// collapsed to one space, at most 256 bytes.
    pub fn fingerprint_text(&self, start_byte: usize, end_byte: usize) -> String {
        normalised(self.source.get(start_byte..end_byte).unwrap_or(""))
    }
}

pub(crate) fn normalised(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(256));
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        if out.len() >= 256 {
            let mut cut = 256;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
            break;
        }
    }
    out
}

/// A finding as a rule reports it, in byte offsets of the current file. The engine turns it
/// into a [`crate::Diagnostic`] (positions, severity from configuration, fingerprint).
#[derive(Debug, Clone)]
pub struct Report {
    pub rule: &'static str,
    pub start_byte: usize,
    pub end_byte: usize,
    pub message: String,
    pub help: Option<String>,
    pub related: Vec<(usize, usize, String)>,
    /// Replaces the flagged text in the fingerprint (e.g. a secret, which must not be hashed
    /// where a short one could be guessed back).
    pub fingerprint_key: Option<String>,
    /// The flagged text is a secret: it is masked in every source text the scan keeps, so no
    /// reporter can print it (human source frames).
    pub redact: bool,
    /// More byte ranges to mask with it (the body of a private key block).
    pub mask: Vec<(usize, usize)>,
    /// This finding is one step more serious than the rule's configured severity (an unbounded
    /// query whose rows go straight into an HTTP response).
    pub escalated: bool,
}

impl Report {
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a related location in the same file.
    pub fn related(&mut self, node: Node<'_>, message: impl Into<String>) -> &mut Self {
        self.related
            .push((node.start_byte(), node.end_byte(), message.into()));
        self
    }

    pub fn fingerprint_key(&mut self, key: impl Into<String>) -> &mut Self {
        self.fingerprint_key = Some(key.into());
        self
    }

    /// Marks the flagged range as a secret to mask in kept source text.
    pub fn redact(&mut self) -> &mut Self {
        self.redact = true;
        self
    }

    /// Raises this finding one step above the rule's configured severity (note → warning →
    /// error). Relative, so a severity the user configures for the rule still moves all of its
    /// findings together.
    pub fn escalate(&mut self) -> &mut Self {
        self.escalated = true;
        self
    }

    /// Masks another byte range of the file too (a secret that spans more than the report).
    pub fn redact_range(&mut self, start_byte: usize, end_byte: usize) -> &mut Self {
        self.mask.push((start_byte, end_byte));
        self
    }
}

/// Where rules put findings and facts while looking at one file.
#[derive(Debug, Default)]
pub struct Sink {
    pub(crate) rule: &'static str,
    pub(crate) reports: Vec<Report>,
    pub(crate) facts: FactStore,
}

impl Sink {
    /// Reports a finding at `node`.
    pub fn report(&mut self, node: Node<'_>, message: impl Into<String>) -> &mut Report {
        self.report_range(node.start_byte(), node.end_byte(), message)
    }

    /// Reports a finding at a byte range of the file.
    pub fn report_range(
        &mut self,
        start_byte: usize,
        end_byte: usize,
        message: impl Into<String>,
    ) -> &mut Report {
        self.reports.push(Report {
            rule: self.rule,
            start_byte,
            end_byte,
            message: message.into(),
            help: None,
            related: Vec::new(),
            fingerprint_key: None,
            redact: false,
            mask: Vec::new(),
            escalated: false,
        });
        let last = self.reports.len() - 1;
        &mut self.reports[last]
    }

    /// Leaves a fact for the project pass.
    pub fn fact<T: std::any::Any + Send + Sync>(&mut self, fact: T) {
        self.facts.push(fact);
    }
}

/// A finding reported by the project pass, at a location a fact carried.
#[derive(Debug, Clone)]
pub struct ProjectReport {
    pub rule: &'static str,
    pub location: Location,
    pub message: String,
    pub help: Option<String>,
    pub related: Vec<(Location, String)>,
    /// What the fingerprint hashes besides rule and path (usually the flagged node's
    /// [`FileCtx::fingerprint_text`], carried in the fact).
    pub fingerprint_key: String,
    /// See [`Report::escalate`].
    pub escalated: bool,
}

#[derive(Debug, Default)]
pub struct ProjectSink {
    pub(crate) rule: &'static str,
    pub(crate) reports: Vec<ProjectReport>,
}

impl ProjectSink {
    pub fn report(
        &mut self,
        location: Location,
        message: impl Into<String>,
        fingerprint_key: impl Into<String>,
    ) -> &mut ProjectReport {
        self.reports.push(ProjectReport {
            rule: self.rule,
            location,
            message: message.into(),
            help: None,
            related: Vec::new(),
            fingerprint_key: fingerprint_key.into(),
            escalated: false,
        });
        let last = self.reports.len() - 1;
        &mut self.reports[last]
    }
}

impl ProjectReport {
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    pub fn related(&mut self, location: Location, message: impl Into<String>) -> &mut Self {
        self.related.push((location, message.into()));
        self
    }

    /// See [`Report::escalate`].
    pub fn escalate(&mut self) -> &mut Self {
        self.escalated = true;
        self
    }
}
