//! The scan: discover → per file in parallel (read once, parse, index, suppression comments,
//! dispatch) → project pass → suppressions applied → sort. Only diagnostics, notifications,
//! compact facts and the file's parsed `backlint-ignore` comments leave a worker; trees are
//! dropped with their file. Suppressions are matched after the project pass so that they
//! silence project rules' findings too ([`crate::suppress`]).

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Fnv64, Location, Notification, NotificationLevel, Related};
use crate::discover::{discover, relative_path, scan_root, DiscoverOptions, Discovered};
use crate::facts::{FactStore, FileFacts, Project};
use crate::index::Index;
use crate::lang::{FileKind, Language};
use crate::result::ScanResult;
use crate::rule::{normalised, FileCtx, ProjectSink, Report, Sink};
use crate::ruleset::RuleSet;
use crate::source::LineIndex;
use crate::suppress::SuppressionComment;

/// Files larger than this are skipped by default.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 2 * 1024 * 1024;
/// Source files at least this large whose average line is longer than
/// [`MINIFIED_AVG_LINE`] bytes are taken for minified or bundled output and skipped.
pub const MINIFIED_MIN_SIZE: usize = 4096;
pub const MINIFIED_AVG_LINE: usize = 500;

#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Files and directories to scan (relative to `cwd` or absolute).
    pub paths: Vec<PathBuf>,
    /// The directory paths are relative to; the scan root when every path is inside it.
    pub cwd: PathBuf,
    /// Keep the text of files with findings (the human reporter draws source frames).
    pub keep_sources: bool,
    pub max_file_size: u64,
    /// Where facts for the project pass come from besides the scanned paths.
    pub context: ProjectContext,
    /// Excludes from configuration and whether they apply to named files.
    pub discover: DiscoverOptions,
    /// Scan this text as the file at this path instead of any path (`--stdin-filename`).
    pub stdin: Option<StdinFile>,
    /// Keep findings silenced by `backlint-ignore` comments in `diagnostics`, marked with
    /// their [`crate::Suppression`] (otherwise they are only counted in
    /// [`ScanResult::suppressed`]). See [`crate::suppress`].
    pub include_suppressed: bool,
    /// Report suppressions that silenced nothing, as `unused-suppression` findings (when that
    /// rule is in the rule set; only for ids of rules that ran).
    pub report_unused_suppressions: bool,
    /// Every rule id that exists, enabled or not: an id outside it in a `backlint-ignore`
    /// comment is invalid. `None` accepts any id.
    pub known_rules: Option<Vec<String>>,
}

/// A file's text from standard input, and the path it stands for.
#[derive(Debug, Clone)]
pub struct StdinFile {
    pub path: PathBuf,
    pub text: Arc<str>,
}

/// The project whose files outside the scanned paths still lend facts to the project pass,
/// so that a verdict never depends on which files were named (a pre-commit run on
/// `routes/auth.ts` still sees the limiter in `app.ts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectContext {
    /// The nearest folder at or above the scan root with a project marker
    /// ([`crate::discover::project_root`]).
    Detect,
    /// This folder.
    Root(PathBuf),
    /// Only the scanned paths.
    None,
}

impl ScanOptions {
    pub fn new(paths: Vec<PathBuf>, cwd: PathBuf) -> ScanOptions {
        ScanOptions {
            paths,
            cwd,
            keep_sources: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            context: ProjectContext::Detect,
            discover: DiscoverOptions::default(),
            stdin: None,
            include_suppressed: false,
            report_unused_suppressions: false,
            known_rules: None,
        }
    }
}

#[derive(Debug)]
pub enum ScanError {
    PathNotFound(PathBuf),
    /// `--stdin-filename` names a file backlint cannot tell the language of.
    UnknownKind(PathBuf),
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScanError::PathNotFound(p) => write!(f, "path not found: {}", p.display()),
            ScanError::UnknownKind(p) => write!(
                f,
                "{}: not a file backlint reads (use a .ts, .tsx, .js, .py… name with --stdin-filename)",
                p.display()
            ),
        }
    }
}

impl std::error::Error for ScanError {}

thread_local! {
    static PARSERS: RefCell<[Option<tree_sitter::Parser>; 4]> = const { RefCell::new([None, None, None, None]) };
    static IN_FILE: Cell<bool> = const { Cell::new(false) };
}

/// Whether this thread is analysing a file right now. A panic hook uses it to stay quiet
/// about panics the scan catches and reports as an internal error for that file.
pub fn in_file_analysis() -> bool {
    IN_FILE.with(Cell::get)
}

/// Runs a scan.
pub fn scan(opts: &ScanOptions, rules: &RuleSet) -> Result<ScanResult, ScanError> {
    let started = Instant::now();
    let cwd = opts.cwd.canonicalize().unwrap_or_else(|_| opts.cwd.clone());
    let mut paths = Vec::with_capacity(opts.paths.len());
    if let Some(stdin) = &opts.stdin {
        return scan_stdin(opts, rules, stdin, &cwd, started);
    }
    for p in &opts.paths {
        let abs = if p.is_absolute() {
            p.clone()
        } else {
            cwd.join(p)
        };
        let abs = abs
            .canonicalize()
            .map_err(|_| ScanError::PathNotFound(p.clone()))?;
        paths.push(abs);
    }
    let wants_text = rules.wants_text_files();
    let want = |kind: FileKind| match kind {
        FileKind::Source(_) => true,
        FileKind::Text(_) => wants_text,
    };
    let files = discover(&paths, &want, &opts.discover)?;
    scan_files(opts, rules, files, &paths, &cwd, started)
}

fn scan_files(
    opts: &ScanOptions,
    rules: &RuleSet,
    files: Vec<Discovered>,
    paths: &[PathBuf],
    cwd: &Path,
    started: Instant,
) -> Result<ScanResult, ScanError> {
    let root = scan_root(paths, cwd);
    let wants_text = rules.wants_text_files();
    let want = |kind: FileKind| match kind {
        FileKind::Source(_) => true,
        FileKind::Text(_) => wants_text,
    };
    let (root, context) = context_files(opts, rules, root, paths, &files, &want);

    let outcomes: Vec<FileOutcome> = files
        .par_iter()
        .map(|file| analyze_caught(file, &root, rules, opts))
        .collect();
    let context_facts: Vec<FileFacts> = context
        .par_iter()
        .filter_map(|file| analyze_context(file, &root, rules, opts))
        .collect();

    let mut result = ScanResult {
        root: root.clone(),
        context_files: context_facts.len(),
        ..ScanResult::default()
    };
    let mut facts = Vec::with_capacity(outcomes.len());
    let mut sources: BTreeMap<String, Arc<str>> = BTreeMap::new();
    let mut suppressions = BTreeMap::new();
    for o in outcomes {
        if !o.suppressions.is_empty() {
            suppressions.insert(o.path.clone(), o.suppressions);
        }
        result.files_scanned += usize::from(o.scanned);
        result.diagnostics.extend(o.diagnostics);
        result.notifications.extend(o.notifications);
        if let Some(src) = o.source {
            sources.insert(o.path.clone(), src);
        }
        if o.scanned {
            facts.push(FileFacts {
                path: o.path,
                kind: o.kind,
                facts: o.facts,
            });
        }
    }
    let named: std::collections::HashSet<String> = facts.iter().map(|f| f.path.clone()).collect();
    facts.extend(context_facts);
    facts.sort_by(|a, b| a.path.cmp(&b.path));
    // Findings only in the scanned files; the others lent their facts.
    result.diagnostics.extend(
        project_pass(&root, &facts, rules, &mut result.notifications)
            .into_iter()
            .filter(|d| named.contains(&d.location.path)),
    );
    result.suppressed = crate::suppress::apply(
        &mut result.diagnostics,
        &suppressions,
        rules,
        crate::suppress::ApplyOptions {
            include_suppressed: opts.include_suppressed,
            report_unused: opts.report_unused_suppressions,
        },
    );

    result
        .diagnostics
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    result.notifications.sort();
    if opts.keep_sources {
        let with_findings: std::collections::BTreeSet<&str> = result
            .diagnostics
            .iter()
            .flat_map(|d| {
                std::iter::once(d.location.path.as_str())
                    .chain(d.related.iter().map(|r| r.location.path.as_str()))
            })
            .collect();
        sources.retain(|p, _| with_findings.contains(p.as_str()));
        result.sources = sources;
    }
    result.duration = started.elapsed();
    Ok(result)
}

/// A scan of one file whose text came from standard input (an editor's unsaved buffer): the
/// path names it (language, reported path, project) and need not exist.
fn scan_stdin(
    opts: &ScanOptions,
    rules: &RuleSet,
    stdin: &StdinFile,
    cwd: &Path,
    started: Instant,
) -> Result<ScanResult, ScanError> {
    let kind =
        FileKind::of(&stdin.path).ok_or_else(|| ScanError::UnknownKind(stdin.path.clone()))?;
    // The folder exists even when the file does not (yet).
    let dir = stdin
        .path
        .parent()
        .and_then(|d| d.canonicalize().ok())
        .ok_or_else(|| ScanError::PathNotFound(stdin.path.clone()))?;
    let file_name = stdin.path.file_name().unwrap_or_default();
    let abs = dir.join(file_name);
    let stdin = StdinFile {
        path: abs.clone(),
        text: stdin.text.clone(),
    };
    let opts = ScanOptions {
        stdin: Some(stdin),
        paths: vec![abs.clone()],
        ..opts.clone()
    };
    let file = Discovered {
        path: abs.clone(),
        kind,
        explicit: true,
    };
    scan_files(&opts, rules, vec![file], &[abs], cwd, started)
}

/// The files of the project outside the scanned paths, for rules that take facts from them,
/// and the root paths are then relative to (the project's, when it contains the scan root).
fn context_files(
    opts: &ScanOptions,
    rules: &RuleSet,
    root: PathBuf,
    paths: &[PathBuf],
    files: &[Discovered],
    want: &(dyn Fn(FileKind) -> bool + Sync),
) -> (PathBuf, Vec<Discovered>) {
    if !rules
        .entries()
        .iter()
        .any(|e| e.rule.context_words().is_some())
    {
        return (root, Vec::new());
    }
    let project = match &opts.context {
        ProjectContext::None => None,
        ProjectContext::Root(p) => p.canonicalize().ok(),
        ProjectContext::Detect => crate::discover::project_root(&root),
    };
    let Some(project) = project else {
        return (root, Vec::new());
    };
    // A scan of the whole project has nothing outside it.
    if paths.iter().any(|p| p == &project) {
        return (root, Vec::new());
    }
    let root = if root.starts_with(&project) {
        project.clone()
    } else if project.starts_with(&root) {
        root
    } else {
        return (root, Vec::new());
    };
    let named: std::collections::HashSet<&Path> = files.iter().map(|f| f.path.as_path()).collect();
    let others = discover(std::slice::from_ref(&project), want, &opts.discover)
        .unwrap_or_default()
        .into_iter()
        .filter(|f| !named.contains(f.path.as_path()))
        .collect();
    (root, others)
}

/// A facts-only pass over a file of the project outside the scanned paths: only the rules
/// that take facts from such files, and only when the text has one of their words. Problems
/// (unreadable, unparsable, a panic) leave no facts and say nothing: the file was not asked
/// for.
fn analyze_context(
    file: &Discovered,
    root: &Path,
    rules: &RuleSet,
    opts: &ScanOptions,
) -> Option<FileFacts> {
    let FileKind::Source(lang) = file.kind else {
        return None;
    };
    if std::fs::metadata(&file.path).ok()?.len() > opts.max_file_size {
        return None;
    }
    let text = std::fs::read_to_string(&file.path).ok()?;
    let wanted: Vec<bool> = rules
        .entries()
        .iter()
        .map(|e| {
            e.runs_on(lang)
                && e.rule
                    .context_words()
                    .is_some_and(|words| words.is_empty() || words.iter().any(|w| text.contains(w)))
        })
        .collect();
    if !wanted.iter().any(|&w| w) {
        return None;
    }
    let path = relative_path(&file.path, root);
    IN_FILE.with(|f| f.set(true));
    let facts = catch_unwind(AssertUnwindSafe(|| {
        let tree = parse(lang, &text)?;
        let lines = LineIndex::new(&text);
        let index = Index::build(&tree, &text, lang);
        let ctx = FileCtx::new(&path, file.kind, &text, &lines, &index).with_rules(rules);
        let mut sink = Sink::default();
        dispatch_some(&ctx, lang, rules, &wanted, &mut sink);
        Some(sink.facts)
    }));
    IN_FILE.with(|f| f.set(false));
    let facts = match facts {
        Ok(f) => f?,
        Err(_) => {
            PARSERS.with(|p| {
                if let Ok(mut p) = p.try_borrow_mut() {
                    *p = [None, None, None, None];
                }
            });
            return None;
        }
    };
    (!facts.is_empty()).then_some(FileFacts {
        path,
        kind: file.kind,
        facts,
    })
}

struct FileOutcome {
    path: String,
    kind: FileKind,
    scanned: bool,
    diagnostics: Vec<Diagnostic>,
    notifications: Vec<Notification>,
    facts: FactStore,
    source: Option<Arc<str>>,
    /// The file's `backlint-ignore` comments, applied after the project pass.
    suppressions: Vec<SuppressionComment>,
}

fn analyze_caught(
    file: &Discovered,
    root: &Path,
    rules: &RuleSet,
    opts: &ScanOptions,
) -> FileOutcome {
    let path = relative_path(&file.path, root);
    IN_FILE.with(|f| f.set(true));
    let outcome = catch_unwind(AssertUnwindSafe(|| analyze(file, &path, rules, opts)));
    IN_FILE.with(|f| f.set(false));
    match outcome {
        Ok(o) => o,
        Err(payload) => {
            // The parser of this thread may be mid-parse: start the next file with a new one.
            PARSERS.with(|p| {
                if let Ok(mut p) = p.try_borrow_mut() {
                    *p = [None, None, None, None];
                }
            });
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            FileOutcome {
                notifications: vec![Notification {
                    path: path.clone(),
                    level: NotificationLevel::Error,
                    message: format!(
                        "internal error while analysing this file ({what}); its findings are incomplete. Please report this bug"
                    ),
                }],
                ..FileOutcome::empty(path, file.kind)
            }
        }
    }
}

impl FileOutcome {
    fn empty(path: String, kind: FileKind) -> FileOutcome {
        FileOutcome {
            path,
            kind,
            scanned: false,
            diagnostics: Vec::new(),
            notifications: Vec::new(),
            facts: FactStore::default(),
            source: None,
            suppressions: Vec::new(),
        }
    }

    fn skipped(
        path: String,
        kind: FileKind,
        level: NotificationLevel,
        message: String,
    ) -> FileOutcome {
        let notification = Notification {
            path: path.clone(),
            level,
            message,
        };
        FileOutcome {
            notifications: vec![notification],
            ..FileOutcome::empty(path, kind)
        }
    }
}

fn analyze(file: &Discovered, path: &str, rules: &RuleSet, opts: &ScanOptions) -> FileOutcome {
    let path = path.to_string();
    let warn = NotificationLevel::Warning;
    let stdin = opts.stdin.as_ref().filter(|s| s.path == file.path);
    let size = match stdin {
        Some(s) => Ok(s.text.len() as u64),
        None => std::fs::metadata(&file.path).map(|m| m.len()),
    };
    match size {
        Ok(len) if len > opts.max_file_size => {
            return FileOutcome::skipped(
                path,
                file.kind,
                warn,
                format!(
                    "skipped: {len} bytes is over the {} byte size limit",
                    opts.max_file_size
                ),
            )
        }
        Ok(_) => {}
        Err(e) => {
            return FileOutcome::skipped(path, file.kind, warn, format!("could not read: {e}"))
        }
    }
    let read = match stdin {
        Some(s) => Ok(s.text.as_bytes().to_vec()),
        None => std::fs::read(&file.path),
    };
    let bytes = match read {
        Ok(b) => b,
        Err(e) => {
            return FileOutcome::skipped(path, file.kind, warn, format!("could not read: {e}"))
        }
    };
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return FileOutcome::skipped(path, file.kind, warn, "skipped: binary file".to_string());
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return FileOutcome::skipped(
                path,
                file.kind,
                warn,
                format!(
                    "skipped: not valid UTF-8 (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
            )
        }
    };
    let lines = LineIndex::new(&text);
    if let FileKind::Source(_) = file.kind {
        if text.len() >= MINIFIED_MIN_SIZE && text.len() / lines.line_count() > MINIFIED_AVG_LINE {
            return FileOutcome::skipped(
                path,
                file.kind,
                warn,
                format!(
                    "skipped: looks minified or bundled (average line length {} bytes)",
                    text.len() / lines.line_count()
                ),
            );
        }
    }

    let mut notifications = Vec::new();
    let mut sink = Sink::default();
    let tree = match file.kind {
        FileKind::Source(lang) => match parse(lang, &text) {
            Some(tree) => Some((lang, tree)),
            None => {
                return FileOutcome::skipped(
                    path,
                    file.kind,
                    warn,
                    "could not be parsed".to_string(),
                )
            }
        },
        FileKind::Text(_) => None,
    };
    let index = match &tree {
        Some((lang, tree)) => {
            if tree.root_node().has_error() {
                notifications.push(Notification {
                    path: path.clone(),
                    level: NotificationLevel::Note,
                    message: "has syntax errors; analysed what the parser could recover"
                        .to_string(),
                });
            }
            Index::build(tree, &text, *lang)
        }
        None => Index::empty(&text),
    };
    let suppressions = crate::suppress::parse(
        file.kind,
        &text,
        &lines,
        &index,
        opts.known_rules.as_deref(),
    );
    let ctx = FileCtx::new(&path, file.kind, &text, &lines, &index)
        .with_rules(rules)
        .with_suppressions(&suppressions);
    match &tree {
        Some((lang, _)) => dispatch(&ctx, *lang, rules, &mut sink),
        None => {
            for (i, entry) in rules.entries().iter().enumerate() {
                ctx.set_rule(i);
                if entry.rule.wants_text_files() && entry.rule.applies(&ctx) {
                    sink.rule = entry.id();
                    entry.rule.check_file(&ctx, &mut sink);
                }
            }
        }
    }
    drop(index);
    drop(tree);

    let reports = std::mem::take(&mut sink.reports);
    let secrets: Vec<(usize, usize)> = reports
        .iter()
        .filter(|r| r.redact)
        .map(|r| (r.start_byte, r.end_byte))
        .chain(reports.iter().flat_map(|r| r.mask.iter().copied()))
        .collect();
    let diagnostics = finish_reports(&path, &text, &lines, reports, rules);
    let keep = opts.keep_sources && (!diagnostics.is_empty() || !sink.facts.is_empty());
    let text = if keep { mask(text, &secrets) } else { text };
    FileOutcome {
        path,
        kind: file.kind,
        scanned: true,
        diagnostics,
        notifications,
        facts: sink.facts,
        source: keep.then(|| Arc::from(text)),
        suppressions,
    }
}

/// Masks secret ranges with `*` (one per byte, so offsets and ASCII columns stay put).
fn mask(text: String, secrets: &[(usize, usize)]) -> String {
    if secrets.is_empty() {
        return text;
    }
    let mut bytes = text.into_bytes();
    for &(start, end) in secrets {
        let end = end.min(bytes.len());
        for b in bytes.iter_mut().take(end).skip(start) {
            *b = b'*';
        }
    }
    // A range that cut a multi-byte character leaves invalid UTF-8: replace what is left.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn parse(lang: Language, text: &str) -> Option<tree_sitter::Tree> {
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        let slot = &mut parsers[lang.index()];
        if slot.is_none() {
            let mut p = tree_sitter::Parser::new();
            p.set_language(&lang.grammar()).ok()?;
            *slot = Some(p);
        }
        slot.as_mut()?.parse(text, None)
    })
}

/// Pass 2: one linear walk of the index; each node goes only to the rules bucketed for its
/// kind, and only to rules whose `applies` pre-check passed for this file.
fn dispatch(ctx: &FileCtx<'_>, lang: Language, rules: &RuleSet, sink: &mut Sink) {
    let all = vec![true; rules.entries().len()];
    dispatch_some(ctx, lang, rules, &all, sink)
}

/// [`dispatch`] for the rules marked in `only`.
fn dispatch_some(
    ctx: &FileCtx<'_>,
    lang: Language,
    rules: &RuleSet,
    only: &[bool],
    sink: &mut Sink,
) {
    let entries = rules.entries();
    let active: Vec<bool> = entries
        .iter()
        .zip(only)
        .enumerate()
        .map(|(i, (e, &on))| {
            ctx.set_rule(i);
            on && e.runs_on(lang) && e.rule.applies(ctx)
        })
        .collect();
    if !active.iter().any(|&a| a) {
        return;
    }
    let bucket = rules.bucket(lang);
    for id in 0..ctx.len() as u32 {
        let Some(list) = bucket.get(ctx.kind_id(id) as usize) else {
            continue;
        };
        for &r in list {
            if active[r as usize] {
                let entry = &entries[r as usize];
                sink.rule = entry.id();
                ctx.set_rule(r as usize);
                entry.rule.check(id, ctx, sink);
            }
        }
    }
    for (i, (entry, _)) in entries
        .iter()
        .zip(&active)
        .enumerate()
        .filter(|(_, (_, &a))| a)
    {
        sink.rule = entry.id();
        ctx.set_rule(i);
        entry.rule.check_file(ctx, sink);
    }
}

/// Turns a file's reports into diagnostics: positions, severity, fingerprints. Identical
/// reports (same rule, range and message) are merged.
fn finish_reports(
    path: &str,
    text: &str,
    lines: &LineIndex,
    mut reports: Vec<Report>,
    rules: &RuleSet,
) -> Vec<Diagnostic> {
    reports.sort_by(|a, b| {
        (a.rule, a.start_byte, a.end_byte, &a.message).cmp(&(
            b.rule,
            b.start_byte,
            b.end_byte,
            &b.message,
        ))
    });
    reports.dedup_by(|b, a| {
        a.rule == b.rule
            && a.start_byte == b.start_byte
            && a.end_byte == b.end_byte
            && a.message == b.message
    });
    let mut occurrences: HashMap<(&'static str, String), u32> = HashMap::new();
    let mut out = Vec::with_capacity(reports.len());
    for r in reports {
        let key = r
            .fingerprint_key
            .clone()
            .unwrap_or_else(|| normalised(text.get(r.start_byte..r.end_byte).unwrap_or("")));
        let n = occurrences.entry((r.rule, key.clone())).or_insert(0);
        let fingerprint = fingerprint(r.rule, path, &key, *n);
        *n += 1;
        let location = |s: usize, e: usize| Location {
            path: path.to_string(),
            span: lines.span(text, s, e),
        };
        let severity = rules
            .severity_of(r.rule)
            .unwrap_or(crate::Severity::Warning);
        out.push(Diagnostic {
            rule: r.rule,
            severity: if r.escalated {
                severity.raised()
            } else {
                severity
            },
            message: r.message,
            location: location(r.start_byte, r.end_byte),
            related: r
                .related
                .into_iter()
                .map(|(s, e, message)| Related {
                    location: location(s, e),
                    message,
                })
                .collect(),
            help: r.help,
            fingerprint,
            suppression: None,
            baseline: None,
        });
    }
    out
}

/// A finding's fingerprint. It hashes the file's name, not its path: the path is relative to
/// the scan root, which changes with the folder backlint runs from, and a baseline written
/// from one folder must match a scan from another. Consumers pair it with the location's path
/// (SARIF `partialFingerprints`, the baseline's entries).
pub(crate) fn fingerprint(rule: &str, path: &str, key: &str, occurrence: u32) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let h = Fnv64::default()
        .field(rule)
        .field(name)
        .field(key)
        .write(&occurrence.to_le_bytes())
        .finish();
    format!("{h:016x}")
}

fn project_pass(
    root: &Path,
    files: &[FileFacts],
    rules: &RuleSet,
    notifications: &mut Vec<Notification>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut occurrences: HashMap<(&'static str, String, String), u32> = HashMap::new();
    for entry in rules.entries() {
        let project = Project {
            root,
            files,
            options: &entry.options,
        };
        let mut sink = ProjectSink {
            rule: entry.id(),
            reports: Vec::new(),
        };
        let run = catch_unwind(AssertUnwindSafe(|| {
            entry.rule.check_project(&project, &mut sink)
        }));
        if run.is_err() {
            notifications.push(Notification {
                path: String::new(),
                level: NotificationLevel::Error,
                message: format!(
                    "internal error in the project pass of `{}`; its project findings are incomplete. Please report this bug",
                    entry.id()
                ),
            });
            continue;
        }
        let mut reports = sink.reports;
        reports.sort_by(|a, b| {
            (&a.location.path, a.location.span.start_byte, &a.message).cmp(&(
                &b.location.path,
                b.location.span.start_byte,
                &b.message,
            ))
        });
        for r in reports {
            let n = occurrences
                .entry((r.rule, r.location.path.clone(), r.fingerprint_key.clone()))
                .or_insert(0);
            let fingerprint = fingerprint(r.rule, &r.location.path, &r.fingerprint_key, *n);
            *n += 1;
            out.push(Diagnostic {
                rule: r.rule,
                severity: if r.escalated {
                    entry.severity.raised()
                } else {
                    entry.severity
                },
                message: r.message,
                location: r.location,
                related: r
                    .related
                    .into_iter()
                    .map(|(location, message)| Related { location, message })
                    .collect(),
                help: r.help,
                fingerprint,
                suppression: None,
                baseline: None,
            });
        }
    }
    out
}
