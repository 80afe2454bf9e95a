//! Inline suppressions: `backlint-ignore` comments, as ruff's `# noqa`, eslint's
//! `eslint-disable-next-line` and semgrep's `nosemgrep` work.
//!
//! ```text
//! // backlint-ignore <rule-id>[, <rule-id>…] -- <reason>        JS/TS (also inside /* … */)
//! # backlint-ignore <rule-id> -- <reason>                        Python, YAML, .env, TOML, INI, Dockerfile, .tf…
//! # backlint-ignore-file <rule-id>[, …] -- <reason>              the whole file (a line of its own, near the top)
//! ```
//!
//! - **Where a comment applies.** A comment after code on its line silences findings that
//!   *start* on that line. A comment alone on its line silences findings that start on the
//!   next line that is not a comment-only line: stacked `backlint-ignore` comments all apply to
//!   the code below them, and so does one above a fixture annotation or an explanation. A blank
//!   line ends the search (the comment then silences nothing). `backlint-ignore-file` must be
//!   a line of its own, anywhere in the file, and silences its rules in the whole file.
//! - **Syntax.** Rule ids are separated by commas and/or spaces and end at `--`; the text
//!   after `--` is the justification (kept on the silenced findings, empty when missing). A
//!   colon after the directive is accepted (`backlint-ignore: string-sql`). The directive
//!   starts the comment (or a line of a block comment, after `*`, or follows another comment
//!   marker in the same comment: `# type: ignore  # backlint-ignore …`); a comment that merely
//!   mentions `backlint-ignore` in prose is not one. Comments are tree-sitter `comment` nodes
//!   for parsed languages, so text inside strings never counts; text files are read line by
//!   line (`#` at a line start or after whitespace, `;` too in INI-like files, `<!-- … -->` in
//!   XML; JSON has no comments).
//! - **Validity.** A comment that names no rule id, a `backlint-ignore-file` after code, and
//!   each id not in [`crate::ScanOptions::known_rules`] are reported by the
//!   `invalid-suppression` rule (which reads [`crate::FileCtx::suppressions`]) and silence
//!   nothing; the other ids of the same comment still apply.
//! - **When.** The worker parses a file's comments once, after the index is built (a
//!   `str::contains` pre-check makes files without the marker cost nothing), hands them to the
//!   rules through [`crate::FileCtx`], and carries them out in its outcome. After the project
//!   pass, `apply` matches every finding (file rules' and project rules') against them,
//!   marks or drops the silenced ones, and, when asked, reports the suppressions that silenced
//!   nothing as `unused-suppression` (only for rules that ran in the scan).

use std::collections::{BTreeMap, HashMap};

use crate::diagnostic::{Diagnostic, Location, Span, Suppression};
use crate::index::{Index, NodeId};
use crate::lang::{FileKind, TextKind};
use crate::ruleset::RuleSet;
use crate::source::LineIndex;

/// The directive every suppression comment starts with.
pub const DIRECTIVE: &str = "backlint-ignore";
/// The id of the rule the engine's post-pass reports unused suppressions under.
pub const UNUSED_SUPPRESSION: &str = "unused-suppression";
/// The rule category of the suppression rules. Such rules read text files only when another
/// rule does (see [`RuleSet::wants_text_files`]).
pub const CATEGORY: &str = "suppression";

/// Ids longer than this get no "did you mean" suggestion (keeps edit distances cheap).
const MAX_SUGGESTED_LEN: usize = 64;

/// What a suppression comment covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressionScope {
    /// Findings that start on this 1-based line (possibly past the end of the file when the
    /// comment has nothing below it).
    Line(u32),
    /// The whole file (`backlint-ignore-file`).
    File,
}

/// Why a suppression comment is invalid as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressionProblem {
    /// It names no rule id.
    NoRuleId,
    /// A `backlint-ignore-file` after code on its line.
    FileWideAfterCode,
}

/// One rule id written in a suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRef {
    pub id: String,
    /// Where the id is written (byte offsets in the file).
    pub start_byte: usize,
    pub end_byte: usize,
    /// Whether the id names a rule (always, when the scan has no list of known rules).
    pub known: bool,
    /// For an unknown id: the closest known id, when close enough to be a typo.
    pub suggestion: Option<String>,
}

/// One `backlint-ignore` or `backlint-ignore-file` directive, as the engine parsed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppressionComment {
    /// The directive, from `backlint-ignore` to the end of its text (not the comment markers).
    pub span: Span,
    pub scope: SuppressionScope,
    pub rules: Vec<RuleRef>,
    /// The text after `--`, trimmed; empty when there is none.
    pub justification: String,
    pub problem: Option<SuppressionProblem>,
}

impl SuppressionComment {
    pub fn file_wide(&self) -> bool {
        self.scope == SuppressionScope::File
    }

    /// The directive as written: `backlint-ignore` or `backlint-ignore-file`.
    pub fn directive(&self) -> &'static str {
        if self.file_wide() {
            "backlint-ignore-file"
        } else {
            "backlint-ignore"
        }
    }

    /// Whether the comment silences a finding of `rule` that starts on 1-based `line`.
    pub fn silences(&self, rule: &str, line: u32) -> bool {
        self.problem.is_none()
            && match self.scope {
                SuppressionScope::File => true,
                SuppressionScope::Line(l) => l == line,
            }
            && self.rules.iter().any(|r| r.known && r.id == rule)
    }
}

/// A comment of the file: where it is, and the lines it covers.
#[derive(Debug, Clone, Copy)]
struct Comment {
    start: usize,
    end: usize,
}

/// Parses the suppression comments of a file. `index` is the file's index (empty for text
/// files); `known`: every rule id the scan knows (`None` accepts any id).
pub fn parse(
    kind: FileKind,
    text: &str,
    lines: &LineIndex,
    index: &Index<'_>,
    known: Option<&[String]>,
) -> Vec<SuppressionComment> {
    if !text.contains(DIRECTIVE) {
        return Vec::new();
    }
    let comments = match kind {
        FileKind::Source(lang) => {
            // Comment nodes are named, so the index (one walk, pre-order: sorted by start)
            // already holds them; this is a scan of its kind ids, not of the tree.
            let ids = lang.kind_ids("comment");
            (0..index.len() as NodeId)
                .filter(|&i| ids.contains(&index.kind_id(i)))
                .map(|i| {
                    let n = index.node(i);
                    Comment {
                        start: n.start_byte(),
                        end: n.end_byte(),
                    }
                })
                .collect()
        }
        FileKind::Text(t) => text_comments(t, text, lines),
    };
    let parser = Parser {
        text,
        lines,
        comments: &comments,
        kind,
        known,
    };
    let mut out = Vec::new();
    for c in &comments {
        let Some(body) = text.get(c.start..c.end) else {
            continue;
        };
        if !body.contains(DIRECTIVE) {
            continue;
        }
        parser.directives_in(*c, &mut out);
    }
    out
}

/// The comments of a text file that mention the directive: from the comment marker to the
/// end of the line (to `-->` in XML).
fn text_comments(kind: TextKind, text: &str, lines: &LineIndex) -> Vec<Comment> {
    let markers = text_markers(kind);
    if markers.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<Comment> = Vec::new();
    let mut last_line = usize::MAX;
    for (at, _) in text.match_indices(DIRECTIVE) {
        let line = lines.line_of(at);
        if line == last_line {
            continue;
        }
        last_line = line;
        let start = lines.line_start(line);
        let body = lines.line_text(text, line);
        // The first marker at the line start or after whitespace, outside a double-quoted
        // string, opens the comment.
        let mut open = None;
        let mut quoted = false;
        for (i, ch) in body.char_indices() {
            if ch == '"' {
                quoted = !quoted;
            }
            let at_boundary = i == 0 || body[..i].ends_with([' ', '\t']);
            if !quoted && at_boundary && markers.iter().any(|m| body[i..].starts_with(m)) {
                open = Some(i);
                break;
            }
        }
        let Some(open) = open else { continue };
        let mut end = body.len();
        if kind == TextKind::Xml {
            if let Some(close) = body[open..].find("-->") {
                end = open + close + 3;
            }
        }
        if start + open < at && at < start + end {
            out.push(Comment {
                start: start + open,
                end: start + end,
            });
        }
    }
    out
}

fn text_markers(kind: TextKind) -> &'static [&'static str] {
    match kind {
        TextKind::Json => &[],
        TextKind::Xml => &["<!--"],
        TextKind::Ini | TextKind::Npmrc | TextKind::Pypirc => &["#", ";"],
        _ => &["#"],
    }
}

struct Parser<'a> {
    text: &'a str,
    lines: &'a LineIndex,
    comments: &'a [Comment],
    kind: FileKind,
    known: Option<&'a [String]>,
}

impl Parser<'_> {
    /// The directives of one comment: one per line of the comment at most.
    fn directives_in(&self, c: Comment, out: &mut Vec<SuppressionComment>) {
        let mut seg_start = c.start;
        let body = &self.text[c.start..c.end];
        for seg in body.split('\n') {
            let start = seg_start;
            seg_start += seg.len() + 1;
            let Some(at) = directive_at(seg) else {
                continue;
            };
            if let Some(s) = self.directive(c, start + at) {
                out.push(s);
            }
        }
    }

    /// Parses the directive starting at byte `at` of the file, inside comment `c`.
    fn directive(&self, c: Comment, at: usize) -> Option<SuppressionComment> {
        let line_end = self.text[at..c.end].find('\n').map_or(c.end, |i| at + i);
        let mut rest_start = at + DIRECTIVE.len();
        let mut file_wide = false;
        if self.text[rest_start..line_end].starts_with("-file") {
            file_wide = true;
            rest_start += "-file".len();
        }
        let after = &self.text[rest_start..line_end];
        // `backlint-ignored`, `backlint-ignore-next-line`: not this directive.
        match after.chars().next() {
            None | Some(':') => {}
            Some(ch) if ch.is_whitespace() => {}
            Some(_) => return None,
        }
        if after.starts_with(':') {
            rest_start += 1;
        }
        // The directive's text ends at the end of the comment's line, or at a block comment's
        // closing marker.
        let mut end = line_end;
        for close in ["*/", "-->"] {
            if let Some(i) = self.text[rest_start..end].find(close) {
                end = rest_start + i;
            }
        }
        let body = &self.text[rest_start..end];
        let body = body.trim_end();
        end = rest_start + body.len();
        let (ids_part, justification) = match body.find("--") {
            Some(i) => (&body[..i], body[i + 2..].trim()),
            None => (body, ""),
        };
        // Another comment after the ids (`# backlint-ignore x # noqa: E501`) is not an id.
        let ids_len = ["#", "//"]
            .iter()
            .filter_map(|m| ids_part.find(m))
            .min()
            .unwrap_or(ids_part.len());
        let ids_part = &ids_part[..ids_len];
        let mut rules = Vec::new();
        let mut token_start = None;
        let ends = ids_part
            .char_indices()
            .chain(std::iter::once((ids_part.len(), ',')));
        for (i, ch) in ends {
            if ch != ',' && !ch.is_whitespace() {
                token_start.get_or_insert(i);
                continue;
            }
            let Some(s) = token_start.take() else {
                continue;
            };
            let token = &ids_part[s..i];
            let start_byte = rest_start + s;
            let known = self.known.is_none_or(|k| k.iter().any(|r| r == token));
            let suggestion = match self.known {
                Some(k) if !known => closest(token, k.iter().map(String::as_str)),
                _ => None,
            };
            rules.push(RuleRef {
                id: token.to_string(),
                start_byte,
                end_byte: start_byte + token.len(),
                known,
                suggestion: suggestion.map(str::to_string),
            });
        }
        let (before_alone, after_alone) = self.alone(c);
        let scope = if file_wide {
            SuppressionScope::File
        } else {
            SuppressionScope::Line(self.target_line(c, before_alone, after_alone))
        };
        let problem = if rules.is_empty() {
            Some(SuppressionProblem::NoRuleId)
        } else if file_wide && !(before_alone && after_alone) {
            Some(SuppressionProblem::FileWideAfterCode)
        } else {
            None
        };
        Some(SuppressionComment {
            span: self.lines.span(self.text, at, end),
            scope,
            rules,
            justification: justification.to_string(),
            problem,
        })
    }

    /// 0-based lines where the comment starts and ends.
    fn comment_lines(&self, c: Comment) -> (usize, usize) {
        let first = self.lines.line_of(c.start);
        let last = self.lines.line_of(c.end.saturating_sub(1).max(c.start));
        (first, last)
    }

    /// Whether only whitespace (or JSX's `{`/`}`) precedes the comment on its first line and
    /// follows it on its last.
    fn alone(&self, c: Comment) -> (bool, bool) {
        let (first, last) = self.comment_lines(c);
        let line_start = self.lines.line_start(first).min(c.start);
        let before = self.text[line_start..c.start].trim();
        let last_text = self.lines.line_text(self.text, last);
        let last_end = self.lines.line_start(last) + last_text.len();
        let after = self
            .text
            .get(c.end..last_end.max(c.end))
            .unwrap_or("")
            .trim();
        (
            before.is_empty() || before == "{",
            after.is_empty() || after == "}",
        )
    }

    /// The 1-based line a line suppression applies to.
    fn target_line(&self, c: Comment, before_alone: bool, after_alone: bool) -> u32 {
        let (first, last) = self.comment_lines(c);
        if !before_alone {
            return first as u32 + 1;
        }
        if !after_alone {
            return last as u32 + 1;
        }
        let mut line = last + 1;
        while line < self.lines.line_count() && self.comment_only(line) {
            line += 1;
        }
        line as u32 + 1
    }

    /// Whether 0-based `line` holds comments and nothing else.
    fn comment_only(&self, line: usize) -> bool {
        let start = self.lines.line_start(line);
        let body = self.lines.line_text(self.text, line);
        match self.kind {
            FileKind::Text(t) => {
                let t_body = body.trim_start();
                text_markers(t).iter().any(|m| t_body.starts_with(m))
            }
            FileKind::Source(_) => {
                let end = start + body.len();
                let bytes = self.text.as_bytes();
                let mut pos = start;
                let mut saw = false;
                loop {
                    while pos < end && matches!(bytes[pos], b' ' | b'\t' | b'\r' | b'{' | b'}') {
                        pos += 1;
                    }
                    if pos >= end {
                        return saw;
                    }
                    let i = self.comments.partition_point(|c| c.start <= pos);
                    match i.checked_sub(1).map(|i| self.comments[i]) {
                        Some(c) if c.end > pos => {
                            saw = true;
                            pos = c.end;
                        }
                        _ => return false,
                    }
                }
            }
        }
    }
}

/// Where the directive starts in one line of a comment: at the start of the comment text
/// (after `//`, `/*`, `*`, `#`, `;`, `<!--` and whitespace), or right after another comment
/// marker (`# type: ignore  # backlint-ignore …`). Prose that mentions it is no directive.
fn directive_at(seg: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = seg[from..].find(DIRECTIVE) {
        let at = from + i;
        let before = seg[..at].trim_end();
        if before.is_empty()
            || ["#", "//", "/*", "*", ";", "<!--", "{/*"]
                .iter()
                .any(|m| before.ends_with(m))
        {
            return Some(at);
        }
        from = at + DIRECTIVE.len();
    }
    None
}

/// The candidate closest to `name` by edit distance, when close enough to be a typo (ties go
/// to the alphabetically first).
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    if name.len() > MAX_SUGGESTED_LEN {
        return None;
    }
    candidates
        .filter(|c| c.len() <= MAX_SUGGESTED_LEN)
        .map(|c| (edit_distance(name, c), c))
        .min()
        .filter(|(d, c)| *d <= c.len().max(3) / 2)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = Vec::with_capacity(b.len() + 1);
    for (i, ca) in a.chars().enumerate() {
        cur.clear();
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// What [`apply`] needs from the scan options.
pub(crate) struct ApplyOptions {
    pub include_suppressed: bool,
    pub report_unused: bool,
}

/// The post-pass: marks every finding a suppression of its file silences, reports unused
/// suppressions when asked (and `unused-suppression` is in `rules`), then drops the silenced
/// findings unless they are to be kept. Returns how many findings were silenced.
pub(crate) fn apply(
    diagnostics: &mut Vec<Diagnostic>,
    by_path: &BTreeMap<String, Vec<SuppressionComment>>,
    rules: &RuleSet,
    opts: ApplyOptions,
) -> usize {
    if by_path.is_empty() {
        return 0;
    }
    // Per file, per comment, per rule id: whether it silenced something.
    let mut used: HashMap<&str, Vec<Vec<bool>>> = by_path
        .iter()
        .map(|(p, cs)| {
            (
                p.as_str(),
                cs.iter().map(|c| vec![false; c.rules.len()]).collect(),
            )
        })
        .collect();
    for d in diagnostics.iter_mut() {
        d.suppression = silence(d, by_path, &mut used);
    }
    if opts.report_unused {
        if let Some(entry) = rules
            .entries()
            .iter()
            .find(|e| e.id() == UNUSED_SUPPRESSION)
        {
            let ran = |id: &str| rules.entries().iter().any(|e| e.id() == id);
            let mut unused = Vec::new();
            let mut occurrences: HashMap<(&str, String), u32> = HashMap::new();
            for (path, comments) in by_path {
                let flags = &used[path.as_str()];
                for (c, flags) in comments.iter().zip(flags) {
                    if c.problem.is_some() {
                        continue;
                    }
                    let mut seen: Vec<&str> = Vec::new();
                    for (r, &was_used) in c.rules.iter().zip(flags) {
                        if was_used
                            || !r.known
                            || r.id == UNUSED_SUPPRESSION
                            || !ran(&r.id)
                            || seen.contains(&r.id.as_str())
                        {
                            continue;
                        }
                        seen.push(&r.id);
                        let key = format!("{} {}", r.id, c.justification);
                        let n = occurrences.entry((path, key.clone())).or_insert(0);
                        let fingerprint = crate::scan::fingerprint(entry.id(), path, &key, *n);
                        *n += 1;
                        let (message, help) = match c.scope {
                            SuppressionScope::File => (
                                format!(
                                    "unused suppression: no `{}` finding in this file to silence",
                                    r.id
                                ),
                                format!(
                                    "remove `{}` from this backlint-ignore-file comment (or the whole comment)",
                                    r.id
                                ),
                            ),
                            SuppressionScope::Line(l) => (
                                format!(
                                    "unused suppression: no `{}` finding on line {l} to silence",
                                    r.id
                                ),
                                format!(
                                    "remove `{}` from this backlint-ignore comment (or the whole comment); it must sit on the flagged line or on the line above it",
                                    r.id
                                ),
                            ),
                        };
                        unused.push(Diagnostic {
                            rule: entry.id(),
                            severity: entry.severity,
                            message,
                            location: Location {
                                path: path.clone(),
                                span: c.span,
                            },
                            related: Vec::new(),
                            help: Some(help),
                            fingerprint,
                            suppression: None,
                            baseline: None,
                        });
                    }
                }
            }
            // `backlint-ignore-file unused-suppression` silences these too.
            for d in unused.iter_mut() {
                d.suppression = silence(d, by_path, &mut used);
            }
            diagnostics.extend(unused);
        }
    }
    let silenced = diagnostics
        .iter()
        .filter(|d| d.suppression.is_some())
        .count();
    if !opts.include_suppressed {
        diagnostics.retain(|d| d.suppression.is_none());
    }
    silenced
}

/// The suppression that silences `d`, marking every comment id that does as used. A line
/// comment wins over a file-wide one for the justification; then the first in the file.
fn silence(
    d: &Diagnostic,
    by_path: &BTreeMap<String, Vec<SuppressionComment>>,
    used: &mut HashMap<&str, Vec<Vec<bool>>>,
) -> Option<Suppression> {
    let comments = by_path.get(&d.location.path)?;
    let flags = used.get_mut(d.location.path.as_str())?;
    let line = d.location.span.start.line;
    let mut best: Option<&SuppressionComment> = None;
    for (c, flags) in comments.iter().zip(flags.iter_mut()) {
        if !c.silences(d.rule, line) {
            continue;
        }
        for (r, f) in c.rules.iter().zip(flags.iter_mut()) {
            if r.known && r.id == d.rule {
                *f = true;
            }
        }
        if best.is_none_or(|b| b.file_wide() && !c.file_wide()) {
            best = Some(c);
        }
    }
    best.map(|c| Suppression {
        justification: c.justification.clone(),
        file_wide: c.file_wide(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    fn parse_source(
        lang: Language,
        src: &str,
        known: Option<&[String]>,
    ) -> Vec<SuppressionComment> {
        let mut p = tree_sitter::Parser::new();
        p.set_language(&lang.grammar()).expect("grammar");
        let tree = p.parse(src, None).expect("parses");
        let lines = LineIndex::new(src);
        let index = Index::build(&tree, src, lang);
        parse(FileKind::Source(lang), src, &lines, &index, known)
    }

    fn parse_text(kind: TextKind, src: &str) -> Vec<SuppressionComment> {
        let lines = LineIndex::new(src);
        let index = Index::empty(src);
        parse(FileKind::Text(kind), src, &lines, &index, None)
    }

    /// `(scope, ids, justification)` of each directive.
    fn summary(s: &[SuppressionComment]) -> Vec<(SuppressionScope, Vec<&str>, &str)> {
        s.iter()
            .map(|c| {
                (
                    c.scope,
                    c.rules.iter().map(|r| r.id.as_str()).collect(),
                    c.justification.as_str(),
                )
            })
            .collect()
    }

    use SuppressionScope::{File, Line};

    #[test]
    fn js_line_comments_apply_to_the_next_code_line_or_their_own() {
        let src = "\
// backlint-ignore string-sql -- reviewed: constant table names
db.query(sql);
db.query(sql); // backlint-ignore string-sql, n-plus-one-query -- batch job
/* backlint-ignore hardcoded-secret */
const k = 1;
const j = 2; /* backlint-ignore: hardcoded-secret jwt-in-local-storage -- both */
";
        let s = parse_source(Language::TypeScript, src, None);
        assert_eq!(
            summary(&s),
            vec![
                (
                    Line(2),
                    vec!["string-sql"],
                    "reviewed: constant table names"
                ),
                (Line(3), vec!["string-sql", "n-plus-one-query"], "batch job"),
                (Line(5), vec!["hardcoded-secret"], ""),
                (
                    Line(6),
                    vec!["hardcoded-secret", "jwt-in-local-storage"],
                    "both"
                ),
            ]
        );
        assert!(s.iter().all(|c| c.problem.is_none()));
        // The span is the directive, reported at the comment's line.
        assert_eq!(s[1].span.start.line, 3);
        assert_eq!(
            &src[s[0].span.start_byte..s[0].span.end_byte],
            "backlint-ignore string-sql -- reviewed: constant table names"
        );
        assert_eq!(
            &src[s[3].span.start_byte..s[3].span.end_byte],
            "backlint-ignore: hardcoded-secret jwt-in-local-storage -- both"
        );
        let id = &s[1].rules[1];
        assert_eq!(&src[id.start_byte..id.end_byte], "n-plus-one-query");
    }

    #[test]
    fn python_comments_and_a_second_marker_in_one_comment() {
        let src = "\
# backlint-ignore string-sql -- the table name is a constant
cur.execute(q)
cur.execute(q)  # type: ignore  # backlint-ignore string-sql # noqa: E501
";
        let s = parse_source(Language::Python, src, None);
        assert_eq!(
            summary(&s),
            vec![
                (Line(2), vec!["string-sql"], "the table name is a constant"),
                (Line(3), vec!["string-sql"], ""),
            ]
        );
    }

    #[test]
    fn stacked_comments_and_comment_lines_between_apply_to_the_code_below() {
        let src = "\
// backlint-ignore string-sql -- one
// backlint-ignore hardcoded-secret -- two
// ok: string-sql
/* a block
   comment */
run(q);

// backlint-ignore string-sql -- a blank line ends the search

run(q);
";
        let s = parse_source(Language::JavaScript, src, None);
        let scopes: Vec<_> = s.iter().map(|c| c.scope).collect();
        assert_eq!(scopes, vec![Line(6), Line(6), Line(9)]);
    }

    #[test]
    fn a_multi_line_block_comment_applies_below_its_end() {
        let src = "\
/*
 * backlint-ignore string-sql -- inside a doc block
 */
run(q);
/* backlint-ignore n-plus-one-query */ run(q);
";
        let s = parse_source(Language::TypeScript, src, None);
        assert_eq!(
            summary(&s),
            vec![
                (Line(4), vec!["string-sql"], "inside a doc block"),
                (Line(5), vec!["n-plus-one-query"], ""),
            ]
        );
    }

    #[test]
    fn file_wide_comments_must_be_lines_of_their_own() {
        let src = "\
// backlint-ignore-file string-sql, n-plus-one-query -- generated migrations
run(q); // backlint-ignore-file string-sql
";
        let s = parse_source(Language::TypeScript, src, None);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].scope, File);
        assert_eq!(s[0].justification, "generated migrations");
        assert_eq!(s[0].problem, None);
        assert!(s[0].silences("n-plus-one-query", 99));
        assert_eq!(s[1].problem, Some(SuppressionProblem::FileWideAfterCode));
        assert!(!s[1].silences("string-sql", 2));
    }

    #[test]
    fn a_directive_inside_a_string_or_in_prose_is_not_a_suppression() {
        let src = "\
const a = \"// backlint-ignore string-sql\";
const b = `
# backlint-ignore string-sql
`;
// Add a backlint-ignore comment to silence a finding.
// backlint-ignored string-sql
// backlint-ignore-next-line string-sql
run(a, b);
";
        assert!(parse_source(Language::TypeScript, src, None).is_empty());
        let py = "s = '# backlint-ignore string-sql'\nt = \"\"\"\n# backlint-ignore x\n\"\"\"\n";
        assert!(parse_source(Language::Python, py, None).is_empty());
    }

    #[test]
    fn missing_and_unknown_ids_are_problems_with_suggestions() {
        let known: Vec<String> = ["hardcoded-secret", "string-sql"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let src = "\
// backlint-ignore -- no ids
run(q);
// backlint-ignore
run(q);
// backlint-ignore hardcoded-secrets, string-sql, n+1 -- typo
run(q);
";
        let s = parse_source(Language::TypeScript, src, Some(&known));
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].problem, Some(SuppressionProblem::NoRuleId));
        assert_eq!(s[0].justification, "no ids");
        assert_eq!(s[1].problem, Some(SuppressionProblem::NoRuleId));
        let r = &s[2].rules;
        assert_eq!(s[2].problem, None);
        assert!(!r[0].known);
        assert_eq!(r[0].suggestion.as_deref(), Some("hardcoded-secret"));
        assert!(r[1].known);
        assert!(!r[2].known);
        assert_eq!(r[2].suggestion, None);
        // The known id still applies; the unknown ones silence nothing.
        assert!(s[2].silences("string-sql", 6));
        assert!(!s[2].silences("hardcoded-secrets", 6));
        assert!(!s[0].silences("string-sql", 2));
    }

    #[test]
    fn crlf_files_parse_like_lf_files() {
        let src = "// backlint-ignore string-sql -- why\r\n// ok: string-sql\r\nrun(q);\r\nrun(q); // backlint-ignore string-sql\r\n";
        let s = parse_source(Language::TypeScript, src, None);
        assert_eq!(
            summary(&s),
            vec![
                (Line(3), vec!["string-sql"], "why"),
                (Line(4), vec!["string-sql"], "")
            ]
        );
        let py = "# backlint-ignore string-sql -- why\r\ncur.execute(q)\r\n";
        let s = parse_source(Language::Python, py, None);
        assert_eq!(summary(&s), vec![(Line(2), vec!["string-sql"], "why")]);
        assert!(!src[s[0].span.start_byte..s[0].span.end_byte].contains('\r'));
        let env = "# backlint-ignore hardcoded-secret -- dev only\r\n# ok: hardcoded-secret\r\nKEY=abc\r\n";
        let s = parse_text(TextKind::Env, env);
        assert_eq!(
            summary(&s),
            vec![(Line(3), vec!["hardcoded-secret"], "dev only")]
        );
    }

    #[test]
    fn text_files_use_their_comment_markers() {
        let yaml = "\
env:
  # backlint-ignore hardcoded-secret -- local only
  PASSWORD: x
  TOKEN: y # backlint-ignore hardcoded-secret
  URL: http://h/#backlint-ignore
  NOTE: \"a # backlint-ignore hardcoded-secret\"
";
        let s = parse_text(TextKind::Yaml, yaml);
        assert_eq!(
            summary(&s),
            vec![
                (Line(3), vec!["hardcoded-secret"], "local only"),
                (Line(4), vec!["hardcoded-secret"], ""),
            ]
        );
        let ini = "; backlint-ignore-file hardcoded-secret -- test creds\n[db]\npassword = x\n";
        let s = parse_text(TextKind::Ini, ini);
        assert_eq!(
            summary(&s),
            vec![(File, vec!["hardcoded-secret"], "test creds")]
        );
        let json = "{\"a\": \"# backlint-ignore hardcoded-secret\"}\n";
        assert!(parse_text(TextKind::Json, json).is_empty());
        let xml = "<!-- backlint-ignore hardcoded-secret -- why -->\n<a>x</a>\n";
        let s = parse_text(TextKind::Xml, xml);
        assert_eq!(
            summary(&s),
            vec![(Line(2), vec!["hardcoded-secret"], "why")]
        );
    }

    #[test]
    fn jsx_comments_apply_to_the_next_line() {
        let src = "\
const a = (
  <div>
    {/* backlint-ignore jwt-in-local-storage -- demo */}
    <b onClick={() => save()} />
  </div>
);
";
        let s = parse_source(Language::Tsx, src, None);
        assert_eq!(
            summary(&s),
            vec![(Line(4), vec!["jwt-in-local-storage"], "demo")]
        );
    }

    #[test]
    fn a_comment_at_the_end_of_the_file_targets_past_it() {
        let s = parse_source(
            Language::TypeScript,
            "run(q);\n// backlint-ignore string-sql",
            None,
        );
        assert_eq!(s[0].scope, Line(3));
    }

    #[test]
    fn closest_ids_are_typos_only() {
        let ids = ["hardcoded-secret", "string-sql", "n-plus-one-query"];
        assert_eq!(closest("string_sql", ids.into_iter()), Some("string-sql"));
        assert_eq!(
            closest("n-plus-1-query", ids.into_iter()),
            Some("n-plus-one-query")
        );
        assert_eq!(closest("security", ids.into_iter()), None);
        assert_eq!(closest(&"x".repeat(100), ids.into_iter()), None);
    }
}
