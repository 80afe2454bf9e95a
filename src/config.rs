//! Configuration: `backlint.toml`, `.backlint.toml` or `[tool.backlint]` in `pyproject.toml`,
//! the nearest one at or above the scanned paths (`--config FILE` names one).
//!
//! The file is parsed with `toml_edit`, which keeps the span of every key and value, so a
//! mistake (an unknown key, a misspelt rule id, a wrong type, a bad glob) is reported as a
//! miette diagnostic that points at the line in the file and suggests the closest valid
//! key. Every key is checked against a table here or against the options a rule declares
//! ([`backlint_engine::Rule::options`]): nothing is silently ignored.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use backlint_engine::meta::Status;
use backlint_engine::Severity;
use globset::{Glob, GlobSet, GlobSetBuilder};
use miette::{LabeledSpan, NamedSource, SourceSpan};
use toml_edit::{ImDocument, Item, TableLike};

use crate::select::{closest, rule_or_category_known};

/// Config file names, in the order they are looked for in each folder.
pub const FILE_NAMES: &[&str] = &["backlint.toml", ".backlint.toml", "pyproject.toml"];

/// Top-level keys, with what they hold (for `backlint init` and suggestions).
pub const KEYS: &[(&str, &str)] = &[
    (
        "include",
        "globs; when set, only matching files are scanned",
    ),
    (
        "exclude",
        "globs; replaces the default excludes (node_modules, dist, build, .venv…)",
    ),
    (
        "extend-exclude",
        "globs excluded on top of `exclude` or the defaults",
    ),
    (
        "max-file-size",
        "files larger than this many bytes are skipped",
    ),
    (
        "select",
        "rule ids or categories to run (`all` for every stable rule)",
    ),
    ("ignore", "rule ids or categories not to run"),
    ("preview", "also run preview rules"),
    (
        "fail-on",
        "exit 1 on findings at or above: error, warning, note, never",
    ),
    (
        "rules",
        "per-rule tables: enabled, severity and the rule's options",
    ),
    (
        "per-file-ignores",
        "glob = [rule ids or categories] not reported in matching files",
    ),
];

/// Keys every `[rules.<id>]` table accepts besides the rule's own options.
pub const RULE_KEYS: &[&str] = &["enabled", "severity"];

pub const FAIL_ON: &[&str] = &["error", "warning", "note", "never"];

/// A loaded configuration. Empty (every default) when no file was found.
#[derive(Debug, Default)]
pub struct Config {
    /// The file it came from.
    pub file: Option<PathBuf>,
    /// The folder globs are relative to (the config file's).
    pub base: PathBuf,
    pub include: Vec<String>,
    pub exclude: Option<Vec<String>>,
    pub extend_exclude: Vec<String>,
    pub max_file_size: Option<u64>,
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub preview: Option<bool>,
    pub fail_on: Option<String>,
    pub rules: BTreeMap<&'static str, RuleConfig>,
    pub per_file_ignores: Vec<(String, Vec<String>)>,
}

/// One `[rules.<id>]` table.
#[derive(Debug, Default, Clone)]
pub struct RuleConfig {
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
    pub options: Vec<(&'static str, Vec<String>)>,
}

/// A mistake in a configuration file, with where it is (boxed: errors are rare, results
/// common).
#[derive(Debug)]
pub struct ConfigError(Box<ErrorData>);

#[derive(Debug)]
pub struct ErrorData {
    pub message: String,
    pub help: Option<String>,
    pub source: NamedSource<String>,
    pub span: Option<SourceSpan>,
    pub label: String,
}

impl std::ops::Deref for ConfigError {
    type Target = ErrorData;
    fn deref(&self) -> &ErrorData {
        &self.0
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

impl miette::Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("backlint::config"))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h.clone()) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.span.is_some().then_some(&self.source as _)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(self.label.clone()), span),
        )))
    }
}

impl ConfigError {
    /// Renders the error as miette draws it (the TOML line, the key underlined, the help).
    pub fn render(&self, color: bool) -> String {
        let theme = if color {
            miette::GraphicalTheme::unicode()
        } else {
            miette::GraphicalTheme::unicode_nocolor()
        };
        let mut out = String::new();
        let handler = miette::GraphicalReportHandler::new_themed(theme)
            .with_width(100)
            .with_urls(false);
        if handler.render_report(&mut out, self).is_err() {
            out = format!("error: {}\n", self.message);
        }
        out
    }
}

/// Finds the configuration for a scan of `start` (a folder): the nearest config file at or
/// above it. A `pyproject.toml` counts only when it has a `[tool.backlint]` table.
pub fn find(start: &Path) -> Option<PathBuf> {
    for dir in start.ancestors() {
        for name in FILE_NAMES {
            let path = dir.join(name);
            if !path.is_file() {
                continue;
            }
            if *name != "pyproject.toml" {
                return Some(path);
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            if text.contains("tool.backlint") || text.contains("[tool]") {
                let has = ImDocument::parse(text.as_str()).is_ok_and(|d| {
                    d.as_table()
                        .get("tool")
                        .and_then(Item::as_table_like)
                        .and_then(|t| t.get("backlint"))
                        .is_some()
                });
                if has {
                    return Some(path);
                }
            }
        }
    }
    None
}

/// Reads and checks a configuration file.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    // Shown relative to the current directory when inside it, as people type paths.
    let shown = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    let name = shown.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        ConfigError(Box::new(ErrorData {
            message: format!("cannot read the configuration file {name}: {e}"),
            help: None,
            source: NamedSource::new(&name, String::new()),
            span: None,
            label: String::new(),
        }))
    })?;
    let base = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let base = base.canonicalize().unwrap_or(base);
    let mut config = parse(&name, &text)?;
    config.file = Some(path.to_path_buf());
    config.base = base;
    Ok(config)
}

/// Parses configuration text (`name` is used in messages; a `pyproject.toml` is read from its
/// `[tool.backlint]` table).
pub fn parse(name: &str, text: &str) -> Result<Config, ConfigError> {
    let p = Parser {
        source: NamedSource::new(name, text.to_string()),
    };
    let doc = ImDocument::parse(text).map_err(|e| {
        p.error(
            e.span(),
            format!("{name} is not valid TOML: {}", e.message().trim()),
            "here",
            Some("fix the TOML syntax (https://toml.io)".into()),
        )
    })?;
    let is_pyproject = Path::new(name)
        .file_name()
        .is_some_and(|n| n == "pyproject.toml");
    let table: &dyn TableLike = if is_pyproject {
        match doc
            .as_table()
            .get("tool")
            .and_then(Item::as_table_like)
            .and_then(|t| t.get("backlint"))
        {
            Some(item) => p.table(item, "[tool.backlint]")?,
            None => return Ok(Config::default()),
        }
    } else {
        doc.as_table()
    };
    p.config(table)
}

struct Parser {
    source: NamedSource<String>,
}

impl Parser {
    fn error(
        &self,
        span: Option<Range<usize>>,
        message: String,
        label: &str,
        help: Option<String>,
    ) -> ConfigError {
        ConfigError(Box::new(ErrorData {
            message,
            help,
            source: self.source.clone(),
            span: span.map(|r| SourceSpan::from(r.start..r.end.max(r.start))),
            label: label.to_string(),
        }))
    }

    fn unknown_key(
        &self,
        span: Option<Range<usize>>,
        key: &str,
        place: &str,
        valid: &[&str],
    ) -> ConfigError {
        let help = match closest(key, valid.iter().copied()) {
            Some(c) => format!(
                "did you mean `{c}`? Valid keys {place}: {}",
                valid.join(", ")
            ),
            None => format!("valid keys {place}: {}", valid.join(", ")),
        };
        self.error(
            span,
            format!("unknown key `{key}` {place}"),
            "unknown key",
            Some(help),
        )
    }

    fn table<'a>(&self, item: &'a Item, what: &str) -> Result<&'a dyn TableLike, ConfigError> {
        item.as_table_like().ok_or_else(|| {
            self.error(
                item.span(),
                format!("{what} must be a table"),
                "expected a table",
                None,
            )
        })
    }

    fn config(&self, table: &dyn TableLike) -> Result<Config, ConfigError> {
        let mut c = Config::default();
        let valid: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
        for (key, item) in table.iter() {
            let key_span = table.get_key_value(key).and_then(|(k, _)| k.span());
            match key {
                "include" => c.include = self.globs(item, key)?,
                "exclude" => c.exclude = Some(self.globs(item, key)?),
                "extend-exclude" => c.extend_exclude = self.globs(item, key)?,
                "max-file-size" => {
                    let n = item.as_integer().filter(|n| *n > 0).ok_or_else(|| {
                        self.error(
                            item.span(),
                            "`max-file-size` must be a positive number of bytes".into(),
                            "expected a positive integer",
                            Some("for example: max-file-size = 2097152".into()),
                        )
                    })?;
                    c.max_file_size = Some(n as u64);
                }
                "select" => c.select = Some(self.rule_names(item, key)?),
                "ignore" => c.ignore = self.rule_names(item, key)?,
                "preview" => c.preview = Some(self.boolean(item, key)?),
                "fail-on" => {
                    let s = self.string(item, key)?;
                    if !FAIL_ON.contains(&s.as_str()) {
                        return Err(self.error(
                            item.span(),
                            format!("`fail-on` must be one of {}", FAIL_ON.join(", ")),
                            "unknown level",
                            closest(&s, FAIL_ON.iter().copied())
                                .map(|c| format!("did you mean `{c}`?")),
                        ));
                    }
                    c.fail_on = Some(s);
                }
                "rules" => {
                    let rules = self.table(item, "`rules`")?;
                    for (id, rule_item) in rules.iter() {
                        let span = rules.get_key_value(id).and_then(|(k, _)| k.span());
                        let Some((rule, _)) = backlint_rules::all().find(|(r, _)| r.id() == id)
                        else {
                            let ids = backlint_rules::all().map(|(r, _)| r.id());
                            return Err(self.error(
                                span,
                                format!("unknown rule `{id}` in `rules`"),
                                "unknown rule",
                                Some(match closest(id, ids) {
                                    Some(c) => format!(
                                        "did you mean `{c}`? (`backlint rules --preview` lists them)"
                                    ),
                                    None => "`backlint rules --preview` lists the rules".into(),
                                }),
                            ));
                        };
                        let rc = self.rule(rule, rule_item)?;
                        c.rules.insert(rule.id(), rc);
                    }
                }
                "per-file-ignores" => {
                    let t = self.table(item, "`per-file-ignores`")?;
                    for (glob, names) in t.iter() {
                        let span = t.get_key_value(glob).and_then(|(k, _)| k.span());
                        self.check_glob(glob, span)?;
                        let names = self.rule_names(names, "per-file-ignores")?;
                        c.per_file_ignores.push((glob.to_string(), names));
                    }
                }
                _ => return Err(self.unknown_key(key_span, key, "in the configuration", &valid)),
            }
        }
        Ok(c)
    }

    fn rule(
        &self,
        rule: &'static dyn backlint_engine::Rule,
        item: &Item,
    ) -> Result<RuleConfig, ConfigError> {
        let id = rule.id();
        let table = self.table(item, &format!("`rules.{id}`"))?;
        let mut rc = RuleConfig::default();
        for (key, value) in table.iter() {
            let key_span = table.get_key_value(key).and_then(|(k, _)| k.span());
            match key {
                "enabled" => rc.enabled = Some(self.boolean(value, key)?),
                "severity" => {
                    let s = self.string(value, key)?;
                    let sev = Severity::parse(&s).ok_or_else(|| {
                        self.error(
                            value.span(),
                            "`severity` must be one of error, warning, note".into(),
                            "unknown severity",
                            closest(&s, ["error", "warning", "note"].into_iter())
                                .map(|c| format!("did you mean `{c}`?")),
                        )
                    })?;
                    rc.severity = Some(sev);
                }
                _ => {
                    let Some(spec) = rule.options().iter().find(|o| o.name == key) else {
                        let valid: Vec<&str> = RULE_KEYS
                            .iter()
                            .copied()
                            .chain(rule.options().iter().map(|o| o.name))
                            .collect();
                        return Err(self.unknown_key(
                            key_span,
                            key,
                            &format!("in `rules.{id}`"),
                            &valid,
                        ));
                    };
                    rc.options.push((spec.name, self.strings(value, key)?));
                }
            }
        }
        Ok(rc)
    }

    fn strings(&self, item: &Item, key: &str) -> Result<Vec<String>, ConfigError> {
        let wrong = || {
            self.error(
                item.span(),
                format!("`{key}` must be a list of strings"),
                "expected a list of strings",
                Some(format!("for example: {key} = [\"…\"]")),
            )
        };
        let array = item.as_array().ok_or_else(wrong)?;
        array
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(wrong)
    }

    fn string(&self, item: &Item, key: &str) -> Result<String, ConfigError> {
        item.as_str().map(str::to_string).ok_or_else(|| {
            self.error(
                item.span(),
                format!("`{key}` must be a string"),
                "expected a string",
                None,
            )
        })
    }

    fn boolean(&self, item: &Item, key: &str) -> Result<bool, ConfigError> {
        item.as_bool().ok_or_else(|| {
            self.error(
                item.span(),
                format!("`{key}` must be true or false"),
                "expected a boolean",
                None,
            )
        })
    }

    fn globs(&self, item: &Item, key: &str) -> Result<Vec<String>, ConfigError> {
        let globs = self.strings(item, key)?;
        if let Some(array) = item.as_array() {
            for (g, v) in globs.iter().zip(array.iter()) {
                self.check_glob(g, v.span())?;
            }
        }
        Ok(globs)
    }

    fn check_glob(&self, glob: &str, span: Option<Range<usize>>) -> Result<(), ConfigError> {
        Globs::new(std::slice::from_ref(&glob.to_string()))
            .map(|_| ())
            .map_err(|e| {
                self.error(
                    span,
                    format!("invalid glob `{glob}`: {e}"),
                    "invalid glob",
                    Some("globs use gitignore-like syntax: `tests/**`, `*.gen.ts`".into()),
                )
            })
    }

    fn rule_names(&self, item: &Item, key: &str) -> Result<Vec<String>, ConfigError> {
        let names = self.strings(item, key)?;
        if let Some(array) = item.as_array() {
            for (n, v) in names.iter().zip(array.iter()) {
                if !rule_or_category_known(n) {
                    let candidates = backlint_rules::all()
                        .flat_map(|(_, d)| [d.meta.id.as_str(), d.meta.category.as_str()])
                        .chain(["all"]);
                    return Err(self.error(
                        v.span(),
                        format!("unknown rule or category `{n}` in `{key}`"),
                        "unknown rule",
                        Some(match closest(n, candidates) {
                            Some(c) => format!("did you mean `{c}`? (`backlint rules` lists them)"),
                            None => "`backlint rules --preview` lists the rules".into(),
                        }),
                    ));
                }
            }
        }
        Ok(names)
    }
}

/// A set of configuration globs, matched against paths relative to the config folder with
/// `/` separators. A glob without `/` matches a file or folder name at any depth (as in
/// `.gitignore`); a glob with `/` is anchored at the config folder. A glob that matches a
/// folder matches everything in it.
#[derive(Debug, Clone)]
pub struct Globs {
    set: GlobSet,
}

impl Globs {
    pub fn new(globs: &[String]) -> Result<Globs, globset::Error> {
        let mut b = GlobSetBuilder::new();
        for g in globs {
            let g = g.trim_start_matches("./");
            let anchored = g.trim_end_matches('/').contains('/');
            let g = g.trim_start_matches('/').trim_end_matches('/');
            let base = if anchored {
                g.to_string()
            } else {
                format!("**/{g}")
            };
            for pattern in [base.clone(), format!("{base}/**")] {
                b.add(Glob::new(&pattern)?);
            }
        }
        Ok(Globs { set: b.build()? })
    }

    /// Whether `rel` (relative to the config folder, `/`-separated) matches.
    pub fn is_match(&self, rel: &str) -> bool {
        !rel.is_empty() && self.set.is_match(rel)
    }
}

/// The configuration's excludes as the engine asks for them.
#[derive(Debug)]
pub struct ConfigFilter {
    base: PathBuf,
    include: Option<Globs>,
    exclude: Option<Globs>,
}

impl ConfigFilter {
    /// `None` when the configuration excludes nothing.
    pub fn new(c: &Config) -> Option<ConfigFilter> {
        let mut exclude: Vec<String> = c.exclude.clone().unwrap_or_default();
        exclude.extend(c.extend_exclude.iter().cloned());
        if exclude.is_empty() && c.include.is_empty() {
            return None;
        }
        // Checked when loaded.
        Some(ConfigFilter {
            base: c.base.clone(),
            include: (!c.include.is_empty())
                .then(|| Globs::new(&c.include).ok())
                .flatten(),
            exclude: (!exclude.is_empty())
                .then(|| Globs::new(&exclude).ok())
                .flatten(),
        })
    }
}

/// `path` relative to `base` with `/` separators, if inside it.
pub fn relative_to(path: &Path, base: &Path) -> Option<String> {
    let rel = path.strip_prefix(base).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

impl backlint_engine::discover::PathFilter for ConfigFilter {
    fn excluded(&self, path: &Path, is_dir: bool) -> bool {
        let Some(rel) = relative_to(path, &self.base) else {
            return false;
        };
        if self.exclude.as_ref().is_some_and(|g| g.is_match(&rel)) {
            return true;
        }
        // `include` keeps files; folders are entered so their files can match.
        !is_dir && self.include.as_ref().is_some_and(|g| !g.is_match(&rel))
    }
}

/// `per-file-ignores`, ready to match diagnostics.
pub struct PerFileIgnores {
    base: PathBuf,
    entries: Vec<(Globs, Vec<String>)>,
}

impl PerFileIgnores {
    pub fn new(c: &Config) -> PerFileIgnores {
        PerFileIgnores {
            base: c.base.clone(),
            entries: c
                .per_file_ignores
                .iter()
                .filter_map(|(g, names)| {
                    Globs::new(std::slice::from_ref(g))
                        .ok()
                        .map(|g| (g, names.clone()))
                })
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether a finding of `rule` (in `category`) in `path` (absolute) is ignored.
    pub fn ignores(&self, path: &Path, rule: &str, category: &str) -> bool {
        let Some(rel) = relative_to(path, &self.base) else {
            return false;
        };
        self.entries.iter().any(|(g, names)| {
            names
                .iter()
                .any(|n| n == "all" || n == rule || n == category)
                && g.is_match(&rel)
        })
    }
}

/// The text `backlint init` writes: every key with its default, commented, and every rule's
/// table with its severity and options.
pub fn init_text() -> String {
    let mut s = String::from(
        "# backlint configuration. Every key is optional; the values shown are the defaults.\n\
         # Globs are relative to this file: `tests/**` is anchored here, a name without `/`\n\
         # (`generated`) matches at any depth. https://github.com/backlint/backlint#configuration\n\n",
    );
    s.push_str("# Only scan files matching these globs (default: every supported file).\n");
    s.push_str("# include = [\"src/**\", \"app/**\"]\n\n");
    s.push_str(
        "# Replaces the default excludes (node_modules, vendor, dist, build, .venv, venv,\n",
    );
    s.push_str("# __pycache__, coverage, .next, caches, *.min.js…). Prefer extend-exclude.\n");
    s.push_str("# exclude = [\"node_modules\", \"dist\", \"build\"]\n\n");
    s.push_str("# Excluded on top of the defaults.\n");
    s.push_str("extend-exclude = []\n\n");
    s.push_str("# Files larger than this many bytes are skipped.\n");
    s.push_str(&format!(
        "max-file-size = {}\n\n",
        backlint_engine::scan::DEFAULT_MAX_FILE_SIZE
    ));
    s.push_str("# Rules or categories to run (`all`: every stable rule). The command line's --select wins.\n");
    s.push_str("select = [\"all\"]\n\n");
    s.push_str("# Rules or categories not to run (added to the command line's --ignore).\n");
    s.push_str("ignore = []\n\n");
    s.push_str("# Also run preview rules.\n");
    s.push_str("preview = false\n\n");
    s.push_str(
        "# Exit with 1 when a finding is at least this severe: error, warning, note, never.\n",
    );
    s.push_str("fail-on = \"warning\"\n\n");
    s.push_str("# Rules (or categories) not reported in files matching a glob.\n");
    s.push_str("[per-file-ignores]\n");
    s.push_str("# \"tests/**\" = [\"hardcoded-secret\"]\n\n");
    s.push_str(
        "# Per rule: `enabled`, `severity` (error, warning, note) and the rule's options.\n",
    );
    s.push_str("# Options add to the rule's built-in knowledge; they never replace it.\n");
    for (rule, doc) in backlint_rules::all() {
        let m = &doc.meta;
        s.push_str(&format!("\n# {} ({}): {}\n", m.id, m.category, m.title));
        s.push_str(&format!("[rules.{}]\n", m.id));
        if m.status == Status::Stable {
            s.push_str("# enabled = true\n");
        } else {
            s.push_str("# enabled = false  (a preview rule: runs with `preview = true`, --preview or enabled = true)\n");
        }
        s.push_str(&format!("severity = \"{}\"\n", m.severity));
        for o in rule.options() {
            s.push_str(&format!("# {}\n# e.g. {} = {}\n", o.doc, o.name, o.example));
            s.push_str(&format!("{} = []\n", o.name));
        }
    }
    s
}

/// A TOML string literal.
pub fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML array of strings.
pub fn toml_list<S: AsRef<str>>(items: &[S]) -> String {
    let inner: Vec<String> = items.iter().map(|s| toml_string(s.as_ref())).collect();
    format!("[{}]", inner.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_without_a_slash_match_at_any_depth_and_folders_match_their_files() {
        let g = Globs::new(&["generated".into(), "tests/**".into(), "/legacy/".into()]).unwrap();
        assert!(g.is_match("generated"));
        assert!(g.is_match("src/generated/a.ts"));
        assert!(g.is_match("tests/a/b.py"));
        assert!(!g.is_match("src/tests/b.py"));
        assert!(g.is_match("legacy/x.js"));
        assert!(!g.is_match("src/legacy/x.js"));
        assert!(!g.is_match("src/gen.ts"));
    }

    #[test]
    fn unknown_keys_point_at_the_key_and_suggest_the_closest() {
        let e = parse("backlint.toml", "exlude = [\"a\"]\n").unwrap_err();
        assert_eq!(e.message, "unknown key `exlude` in the configuration");
        assert!(e
            .help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `exclude`?"));
        let span = e.span.unwrap();
        assert_eq!((span.offset(), span.len()), (0, 6));
    }

    #[test]
    fn pyproject_without_a_backlint_table_is_no_configuration() {
        let c = parse("pyproject.toml", "[project]\nname = \"x\"\n").unwrap();
        assert!(c.select.is_none() && c.rules.is_empty());
        let c = parse(
            "pyproject.toml",
            "[tool.backlint]\nignore = [\"performance\"]\n[tool.backlint.rules.string-sql]\nseverity = \"warning\"\n",
        )
        .unwrap();
        assert_eq!(c.ignore, vec!["performance".to_string()]);
        assert_eq!(c.rules["string-sql"].severity, Some(Severity::Warning));
    }

    #[test]
    fn the_init_text_is_a_valid_configuration() {
        let c = parse("backlint.toml", &init_text()).unwrap();
        assert_eq!(c.fail_on.as_deref(), Some("warning"));
        assert_eq!(c.rules.len(), backlint_rules::all().count());
    }

    #[test]
    fn toml_strings_escape_quotes_and_controls() {
        assert_eq!(toml_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
    }
}
