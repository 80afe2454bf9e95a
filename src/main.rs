//! `backlint`: the command line. Thin: parse arguments, pick the rules, run the engine's scan,
//! hand the result to a reporter, turn it into an exit code.
//!
//! Exit codes: 0 no finding at or above `--fail-on`; 1 findings; 2 usage or internal error.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use backlint_engine::{scan, NotificationLevel, RuleEntry, RuleSet, ScanOptions, Severity};
use backlint_report::{render, Format, ReportInput, Tool};
use clap::{Parser, Subcommand, ValueEnum};

mod select;

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
    Scan(ScanArgs),
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
    /// Exit with 1 when a finding has at least this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,
    /// Run only these rules or categories (comma-separated; `all`, or `none` for none).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Do not run these rules or categories (comma-separated).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Also run preview rules.
    #[arg(long)]
    preview: bool,
    /// When to colour the human output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
    /// Files larger than this many bytes are skipped.
    #[arg(long, default_value_t = backlint_engine::scan::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Concise,
    Json,
    Sarif,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

/// An error a user can cause: one line, then exit 2.
struct UserError(String);

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
        Ok(Err(UserError(msg))) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Err(_) => ExitCode::from(2),
    }
}

fn run(cli: Cli) -> Result<u8, UserError> {
    match cli.command {
        Command::Scan(args) => run_scan(args),
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
                return Err(UserError(select::unknown_rule_message(&rule)));
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
    }
}

fn run_scan(args: ScanArgs) -> Result<u8, UserError> {
    let selected = select::select(&args.select, &args.ignore, args.preview).map_err(UserError)?;
    let rules = RuleSet::new(
        selected
            .into_iter()
            .map(|(rule, doc)| RuleEntry::new(rule, doc))
            .collect(),
    )
    .map_err(|e| UserError(format!("internal error: {e}")))?;

    let format = match args.format {
        FormatArg::Human => Format::Human,
        FormatArg::Concise => Format::Concise,
        FormatArg::Json => Format::Json,
        FormatArg::Sarif => Format::Sarif,
    };
    // Open the output first: an unwritable path fails before the scan, not after it.
    let mut output_file = match &args.output {
        Some(path) => Some(
            std::fs::File::create(path)
                .map_err(|e| UserError(format!("cannot write {}: {e}", path.display())))?,
        ),
        None => None,
    };
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            output_file.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };

    let cwd = std::env::current_dir()
        .map_err(|e| UserError(format!("cannot read the current directory: {e}")))?;
    let mut opts = ScanOptions::new(args.paths.clone(), cwd);
    opts.keep_sources = format == Format::Human;
    opts.max_file_size = args.max_file_size;
    let result = scan(&opts, &rules).map_err(|e| UserError(e.to_string()))?;

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

    let docs = rules.docs();
    let input = ReportInput {
        result: &result,
        rules: &docs,
        tool: TOOL,
        color,
    };
    let mut buf = Vec::new();
    render(format, &input, &mut buf)
        .map_err(|e| UserError(format!("cannot render the report: {e}")))?;
    match (&mut output_file, &args.output) {
        (Some(file), Some(path)) => file
            .write_all(&buf)
            .and_then(|_| file.flush())
            .map_err(|e| UserError(format!("cannot write {}: {e}", path.display())))?,
        _ => write_stdout(&buf)?,
    }

    if result.had_internal_errors() {
        return Ok(2);
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Note => Some(Severity::Note),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| result.active().any(|d| d.severity >= t));
    Ok(u8::from(failed))
}

/// Writes to stdout; a closed pipe (`backlint … | head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<(), UserError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(UserError(format!("cannot write to standard output: {e}")))
        }
        _ => Ok(()),
    }
}
