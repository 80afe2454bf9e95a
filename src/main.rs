//! `backlint`: the command line. Thin: parse arguments, load the configuration, pick the
//! rules, run the engine's scan, apply suppressions' and baselines' bookkeeping, hand the
//! result to the reporters, turn it into an exit code.
//!
//! Exit codes: 0 no finding at or above `--fail-on`; 1 findings; 2 usage, configuration or
//! internal error.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use backlint_engine::discover::DiscoverOptions;
use backlint_engine::{
    scan, NotificationLevel, ProjectContext, RuleSet, ScanOptions, ScanResult, Severity, StdinFile,
};
use backlint_report::{render, Format, ReportInput, Tool};
use clap::{Parser, Subcommand, ValueEnum};

mod baseline;
mod changed;
mod config;
mod select;

use config::{Config, ConfigError};
const TOOL: Tool = Tool {
    name: "backlint",
    version: env!("CARGO_PKG_VERSION"),
    information_uri: "https://github.com/backlint/backlint",
};

#[derive(Parser)]
#[command(
    name = "backlint",
    version,
    about = "A linter for backend anti-patterns in TypeScript, JavaScript and Python"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan files and directories for problems.
    Scan(Box<ScanArgs>),
    /// List the rules.
    Rules {
        /// Also list preview rules.
        #[arg(long)]
        preview: bool,
    },
    /// Print the documentation of a rule.
    Explain {
        /// The rule id, e.g. `jwt-in-local-storage`.
        rule: String,
    },
    /// Write a commented `backlint.toml` with every key and its default.
    Init {
        /// Where to write it (default: ./backlint.toml). `-` prints it.
        #[arg(default_value = "backlint.toml")]
        path: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Print the effective configuration for a scan of PATH (default: the current directory).
    Config {
        /// The folder (or file) whose configuration to show.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Use this configuration file instead of looking for one.
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct ScanArgs {
    /// Files or directories to scan (default: the current directory).
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = FormatArg::Human)]
    format: FormatArg,
    /// Write the report to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Also write a SARIF report to this file (one scan, several outputs).
    #[arg(long, value_name = "FILE")]
    sarif_output: Option<PathBuf>,
    /// Also write a JSON report to this file.
    #[arg(long, value_name = "FILE")]
    json_output: Option<PathBuf>,
    /// Exit with 1 when a finding has at least this severity [default: warning, or the
    /// configuration's `fail-on`].
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Run only these rules or categories (comma-separated; `all`, or `none` for none).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Do not run these rules or categories (comma-separated).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Also run preview rules.
    #[arg(long)]
    preview: bool,
    /// Use this configuration file instead of looking for `backlint.toml`, `.backlint.toml`
    /// or `[tool.backlint]` in `pyproject.toml` at or above the scanned path.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Ignore configuration files.
    #[arg(long, conflicts_with = "config")]
    isolated: bool,
    /// Apply the configuration's excludes (and the default ones) to files named on the
    /// command line too, as a pre-commit hook wants.
    #[arg(long)]
    force_exclude: bool,
    /// Report findings only in files changed since the merge base of this git ref and HEAD
    /// (plus uncommitted and untracked files); project facts still come from the whole project.
    #[arg(long, value_name = "REF")]
    changed_since: Option<String>,
    /// Read one file's content from standard input; PATH names it (language, reported path,
    /// configuration). For editors.
    #[arg(long, value_name = "PATH", conflicts_with = "changed_since")]
    stdin_filename: Option<PathBuf>,
    /// Report only findings not in this baseline file.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file (and exit 0 unless backlint failed).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<PathBuf>,
    /// With --baseline: keep findings already in the baseline (SARIF `baselineState:
    /// unchanged`) and list the ones no longer found (`absent`) in SARIF and JSON.
    #[arg(long, requires = "baseline")]
    include_baselined: bool,
    /// Keep findings silenced by `backlint-ignore` comments in SARIF (as `suppressions`) and
    /// JSON (with their reason). They never fail the scan.
    #[arg(long)]
    include_suppressed: bool,
    /// Report `backlint-ignore` comments that silence nothing (rule `unused-suppression`).
    #[arg(long)]
    report_unused_suppressions: bool,
    /// When to colour the human output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
    /// Files larger than this many bytes are skipped [default: 2097152, or the
    /// configuration's `max-file-size`].
    #[arg(long)]
    max_file_size: Option<u64>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
    Gitlab,
    Junit,
}

impl FormatArg {
    fn format(self) -> Format {
        let name = self
            .to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default();
        Format::parse(&name).unwrap_or(Format::Human)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

impl FailOn {
    fn parse(s: &str) -> Option<FailOn> {
        FailOn::from_str(s, false).ok()
    }

    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Note => Some(Severity::Note),
            FailOn::Never => None,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

/// An error a user can cause: one line (or a miette report for configuration files), then
/// exit 2.
enum UserError {
    Line(String),
    Config(ConfigError),
}

impl From<String> for UserError {
    fn from(s: String) -> Self {
        UserError::Line(s)
    }
}

fn user(msg: impl Into<String>) -> UserError {
    UserError::Line(msg.into())
}

fn main() -> ExitCode {
    // Panics inside a file's analysis are caught by the engine and reported per file; any
    // other panic is a bug, reported in one line rather than as a backtrace.
    std::panic::set_hook(Box::new(|info| {
        if !backlint_engine::in_file_analysis() {
            eprintln!(
                "error: internal error: {info}. This is a bug in backlint; please report it."
            );
        }
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(UserError::Line(msg))) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Ok(Err(UserError::Config(e))) => {
            let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            eprint!("{}", e.render(color));
            ExitCode::from(2)
        }
        Err(_) => ExitCode::from(2),
    }
}

fn run(cli: Cli) -> Result<u8, UserError> {
    match cli.command {
        Command::Scan(args) => run_scan(*args),
        Command::Rules { preview } => {
            let mut out = String::new();
            for (rule, doc) in backlint_rules::all() {
                let m = &doc.meta;
                if m.status == backlint_engine::meta::Status::Preview && !preview {
                    continue;
                }
                out.push_str(&format!(
                    "{:<28} {:<12} {:<8} {}\n",
                    rule.id(),
                    m.category,
                    m.severity.as_str(),
                    m.title
                ));
            }
            write_stdout(out.as_bytes())?;
            Ok(0)
        }
        Command::Explain { rule } => {
            let Some(doc) = backlint_rules::doc(&rule) else {
                return Err(user(select::unknown_rule_message(&rule)));
            };
            let m = &doc.meta;
            let mut out = format!("# {} — {}\n\n", m.id, m.title);
            out.push_str(&format!(
                "category: {} · severity: {} · languages: {}{}\n\n",
                m.category,
                m.severity,
                m.languages.join(", "),
                if m.cwe.is_empty() {
                    String::new()
                } else {
                    format!(
                        " · {}",
                        m.cwe
                            .iter()
                            .map(|c| format!("CWE-{c}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            ));
            out.push_str(&doc.body);
            if !out.ends_with('\n') {
                out.push('\n');
            }
            write_stdout(out.as_bytes())?;
            Ok(0)
        }
        Command::Init { path, force } => {
            let text = config::init_text();
            if path.as_os_str() == "-" {
                write_stdout(text.as_bytes())?;
                return Ok(0);
            }
            if path.exists() && !force {
                return Err(user(format!(
                    "{} already exists; use --force to overwrite it",
                    path.display()
                )));
            }
            std::fs::write(&path, text)
                .map_err(|e| user(format!("cannot write {}: {e}", path.display())))?;
            eprintln!("wrote {}", path.display());
            Ok(0)
        }
        Command::Config { path, config } => {
            let cwd = current_dir()?;
            let start = cwd.join(&path);
            let config = load_config(config.as_deref(), &[start], &cwd, false)?;
            let rules = select::select(
                &select::Cli {
                    select: &[],
                    ignore: &[],
                    preview: false,
                },
                &config,
            )?;
            write_stdout(effective_config(&config, &rules).as_bytes())?;
            Ok(0)
        }
    }
}

fn current_dir() -> Result<PathBuf, UserError> {
    std::env::current_dir().map_err(|e| user(format!("cannot read the current directory: {e}")))
}

/// The configuration for a scan of `paths`: `--config`, else the nearest file at or above
/// the first path, else the defaults (based at the current directory).
fn load_config(
    explicit: Option<&Path>,
    paths: &[PathBuf],
    cwd: &Path,
    isolated: bool,
) -> Result<Config, UserError> {
    let empty = || Config {
        base: cwd.to_path_buf(),
        ..Config::default()
    };
    if isolated {
        return Ok(empty());
    }
    let file = match explicit {
        Some(f) => {
            if !f.is_file() {
                return Err(user(format!(
                    "configuration file not found: {}",
                    f.display()
                )));
            }
            Some(f.to_path_buf())
        }
        None => {
            let first = paths.first().map_or(cwd.to_path_buf(), |p| cwd.join(p));
            let first = first.canonicalize().unwrap_or(first);
            let start = if first.is_dir() {
                first
            } else {
                first
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| cwd.to_path_buf())
            };
            config::find(&start)
        }
    };
    match file {
        Some(f) => config::load(&f).map_err(UserError::Config),
        None => Ok(empty()),
    }
}

/// `backlint config`: the configuration a scan would use, as TOML.
fn effective_config(c: &Config, rules: &[backlint_engine::RuleEntry]) -> String {
    use config::{toml_list, toml_string};
    let mut s = String::new();
    match &c.file {
        Some(f) => s.push_str(&format!("# configuration file: {}\n", f.display())),
        None => s.push_str("# no configuration file found: the defaults\n"),
    }
    s.push_str(&format!(
        "# globs are relative to: {}\n\n",
        c.base.display()
    ));
    s.push_str(&format!("include = {}\n", toml_list(&c.include)));
    match &c.exclude {
        Some(e) => s.push_str(&format!("exclude = {}\n", toml_list(e))),
        None => {
            let globs: Vec<String> = backlint_engine::discover::DEFAULT_EXCLUDED_DIRS
                .iter()
                .map(|d| d.to_string())
                .chain(
                    backlint_engine::discover::DEFAULT_EXCLUDED_SUFFIXES
                        .iter()
                        .map(|s| format!("*{s}")),
                )
                .collect();
            s.push_str(&format!(
                "exclude = {}  # the defaults\n",
                toml_list(&globs)
            ));
        }
    }
    s.push_str(&format!(
        "extend-exclude = {}\n",
        toml_list(&c.extend_exclude)
    ));
    s.push_str(&format!(
        "max-file-size = {}\n",
        c.max_file_size
            .unwrap_or(backlint_engine::scan::DEFAULT_MAX_FILE_SIZE)
    ));
    s.push_str(&format!(
        "fail-on = {}\n",
        toml_string(c.fail_on.as_deref().unwrap_or("warning"))
    ));
    s.push_str(&format!("preview = {}\n", c.preview.unwrap_or(false)));
    s.push_str("\n[per-file-ignores]\n");
    for (glob, names) in &c.per_file_ignores {
        s.push_str(&format!("{} = {}\n", toml_string(glob), toml_list(names)));
    }
    for (_, doc) in backlint_rules::all() {
        let id = doc.meta.id.as_str();
        let entry = rules.iter().find(|e| e.id() == id);
        s.push_str(&format!("\n[rules.{id}]\nenabled = {}\n", entry.is_some()));
        let severity = entry.map_or(doc.meta.severity, |e| e.severity);
        s.push_str(&format!("severity = {}\n", toml_string(severity.as_str())));
        if let Some(e) = entry {
            for (name, values) in e.options.iter() {
                s.push_str(&format!("{name} = {}\n", toml_list(values)));
            }
        }
    }
    s
}

/// An output file, opened before the scan so an unwritable path fails before the work.
struct Output {
    path: PathBuf,
    file: std::fs::File,
}

fn open_output(path: &Path) -> Result<Output, UserError> {
    let file = std::fs::File::create(path)
        .map_err(|e| user(format!("cannot write {}: {e}", path.display())))?;
    Ok(Output {
        path: path.to_path_buf(),
        file,
    })
}

fn run_scan(args: ScanArgs) -> Result<u8, UserError> {
    let cwd = current_dir()?;
    // The stdin file need not exist, but its folder must: resolved, so `../api/new.ts` finds
    // the configuration of `api/`, not of the current folder.
    let stdin_path = match &args.stdin_filename {
        Some(p) => {
            let abs = cwd.join(p);
            let dir = abs
                .parent()
                .and_then(|d| d.canonicalize().ok())
                .ok_or_else(|| {
                    user(format!(
                        "--stdin-filename {}: its folder does not exist",
                        p.display()
                    ))
                })?;
            Some(dir.join(abs.file_name().unwrap_or_default()))
        }
        None => None,
    };
    let config_paths: Vec<PathBuf> = match &stdin_path {
        Some(p) => vec![p.clone()],
        None => args.paths.clone(),
    };
    let config = load_config(args.config.as_deref(), &config_paths, &cwd, args.isolated)?;
    let mut entries = select::select(
        &select::Cli {
            select: &args.select,
            ignore: &args.ignore,
            preview: args.preview,
        },
        &config,
    )?;
    if args.report_unused_suppressions {
        select::add_unused_suppression(&mut entries, &config);
    }
    let rules = RuleSet::new(entries).map_err(|e| user(format!("internal error: {e}")))?;

    let format = args.format.format();
    // Open the outputs first: an unwritable path fails before the scan, not after it.
    let mut output = args.output.as_deref().map(open_output).transpose()?;
    let mut sarif_output = args.sarif_output.as_deref().map(open_output).transpose()?;
    let mut json_output = args.json_output.as_deref().map(open_output).transpose()?;
    let baseline = args.baseline.as_deref().map(baseline::read).transpose()?;
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };

    let mut opts = ScanOptions::new(args.paths.clone(), cwd.clone());
    opts.keep_sources = format == Format::Human;
    opts.include_suppressed = args.include_suppressed;
    opts.report_unused_suppressions = args.report_unused_suppressions;
    opts.known_rules = Some(
        backlint_rules::all()
            .map(|(r, _)| r.id().to_string())
            .collect(),
    );
    opts.max_file_size = args
        .max_file_size
        .or(config.max_file_size)
        .unwrap_or(backlint_engine::scan::DEFAULT_MAX_FILE_SIZE);
    opts.discover = DiscoverOptions {
        default_excludes: config.exclude.is_none(),
        filter: config::ConfigFilter::new(&config)
            .map(|f| Arc::new(f) as Arc<dyn backlint_engine::discover::PathFilter>),
        force_exclude: args.force_exclude,
        // backlint's own outputs, created before the scan, are not part of the project.
        skip_files: [
            &args.output,
            &args.sarif_output,
            &args.json_output,
            &args.write_baseline,
        ]
        .into_iter()
        .flatten()
        .filter_map(|p| cwd.join(p).canonicalize().ok())
        .collect(),
    };
    if let Some(path) = &stdin_path {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| user(format!("cannot read standard input as UTF-8 text: {e}")))?;
        opts.paths = vec![path.clone()];
        opts.stdin = Some(StdinFile {
            path: path.clone(),
            text: text.into(),
        });
    }
    let mut changed_none = false;
    if let Some(reference) = &args.changed_since {
        let start = args.paths.first().map_or(cwd.clone(), |p| cwd.join(p));
        let start = if start.is_dir() {
            start
        } else {
            start.parent().map(Path::to_path_buf).unwrap_or(cwd.clone())
        };
        let scanned: Vec<PathBuf> = args
            .paths
            .iter()
            .filter_map(|p| cwd.join(p).canonicalize().ok())
            .collect();
        if scanned.len() != args.paths.len() {
            let missing = args
                .paths
                .iter()
                .find(|p| !cwd.join(p).exists())
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            return Err(user(format!("path not found: {missing}")));
        }
        let files: Vec<PathBuf> = changed::changed_files(&start, reference)?
            .into_iter()
            .filter(|f| scanned.iter().any(|s| f.starts_with(s)))
            .collect();
        changed_none = files.is_empty();
        opts.paths = files;
        // Changed files were not named by the user: the configuration's excludes hold.
        opts.discover.force_exclude = true;
        // Findings in the changed files, facts from the project around them.
        opts.context = ProjectContext::Detect;
    }

    let mut result = if changed_none {
        ScanResult {
            root: cwd.canonicalize().unwrap_or(cwd.clone()),
            ..ScanResult::default()
        }
    } else {
        scan(&opts, &rules).map_err(|e| user(e.to_string()))?
    };

    for n in &result.notifications {
        if n.level >= NotificationLevel::Warning {
            let path = if n.path.is_empty() {
                String::new()
            } else {
                format!("{}: ", n.path)
            };
            eprintln!("{}: {path}{}", n.level.as_str(), n.message);
        }
    }

    let per_file = config::PerFileIgnores::new(&config);
    if !per_file.is_empty() {
        let root = result.root.clone();
        result.diagnostics.retain(|d| {
            let category = backlint_rules::doc(d.rule).map_or("", |doc| doc.meta.category.as_str());
            !per_file.ignores(&root.join(&d.location.path), d.rule, category)
        });
    }
    if let Some(file) = &args.write_baseline {
        let b = baseline::of(&result, file);
        baseline::write(&b, file)?;
        eprintln!(
            "wrote {} with {} finding{}",
            file.display(),
            b.findings.len(),
            if b.findings.len() == 1 { "" } else { "s" }
        );
    }
    if let (Some(b), Some(file)) = (&baseline, &args.baseline) {
        baseline::apply(&mut result, b, file, args.include_baselined);
    }

    let docs = rules.docs();
    let input = ReportInput {
        result: &result,
        rules: &docs,
        tool: TOOL,
        color,
    };
    let rendered = |format: Format| -> Result<Vec<u8>, UserError> {
        let mut buf = Vec::new();
        render(format, &input, &mut buf)
            .map_err(|e| user(format!("cannot render the report: {e}")))?;
        Ok(buf)
    };
    for (out, format) in [
        (&mut sarif_output, Format::Sarif),
        (&mut json_output, Format::Json),
        (&mut output, format),
    ] {
        if let Some(out) = out {
            let buf = rendered(format)?;
            out.file
                .write_all(&buf)
                .and_then(|_| out.file.flush())
                .map_err(|e| user(format!("cannot write {}: {e}", out.path.display())))?;
        }
    }
    if output.is_none() {
        write_stdout(&rendered(format)?)?;
    }

    if result.had_internal_errors() {
        return Ok(2);
    }
    if args.write_baseline.is_some() {
        return Ok(0);
    }
    let fail_on = args
        .fail_on
        .or_else(|| config.fail_on.as_deref().and_then(FailOn::parse))
        .unwrap_or(FailOn::Warning);
    let failed = fail_on
        .threshold()
        .is_some_and(|t| result.active().any(|d| d.severity >= t));
    Ok(u8::from(failed))
}

/// Writes to stdout; a closed pipe (`backlint … | head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<(), UserError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(user(format!("cannot write to standard output: {e}")))
        }
        _ => Ok(()),
    }
}
