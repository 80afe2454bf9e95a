//! Discovery: which files a scan reads.
//!
//! Directories are walked in parallel with `ignore::WalkBuilder`, honouring `.gitignore`
//! (also outside a git repository), `.ignore` and `.backlintignore`, and skipping the
//! folders no one wants linted (dependencies, build output, caches). Files named on the
//! command line are always scanned, even when an ignore file or a default exclude would
//! skip them. Paths come out sorted and de-duplicated, which makes the scan deterministic.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::lang::FileKind;
use crate::scan::ScanError;

/// Directory names skipped by default, wherever they occur.
pub const DEFAULT_EXCLUDED_DIRS: &[&str] = &[
    "node_modules",
    "bower_components",
    "jspm_packages",
    "vendor",
    "dist",
    "build",
    ".venv",
    "venv",
    "__pycache__",
    "coverage",
    ".next",
    ".nuxt",
    ".svelte-kit",
    ".turbo",
    ".git",
    ".hg",
    ".svn",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".cache",
    ".yarn",
    ".pnpm-store",
    "site-packages",
];

/// File name suffixes of minified or bundled code, skipped by default in directories.
pub const DEFAULT_EXCLUDED_SUFFIXES: &[&str] = &[
    ".min.js",
    ".min.mjs",
    ".min.cjs",
    ".bundle.js",
    ".chunk.js",
    ".min.css",
];

/// The name of backlint's own ignore file (gitignore syntax).
pub const IGNORE_FILE: &str = ".backlintignore";

#[derive(Debug, Clone)]
pub struct Discovered {
    pub path: PathBuf,
    pub kind: FileKind,
    /// Named on the command line (scanned even if an ignore rule matches).
    pub explicit: bool,
}

/// Paths a configuration excludes (`include`, `exclude`, `extend-exclude` globs), asked for
/// every walked entry so an excluded folder is never entered.
pub trait PathFilter: Send + Sync + std::fmt::Debug {
    /// Whether `path` (absolute) is excluded. Directories are asked before they are entered;
    /// files are asked too, so `include` can keep only some.
    fn excluded(&self, path: &Path, is_dir: bool) -> bool;
}

/// How discovery treats excludes.
#[derive(Debug, Clone)]
pub struct DiscoverOptions {
    /// Skip [`DEFAULT_EXCLUDED_DIRS`] and minified names (a configuration's `exclude`
    /// replaces them).
    pub default_excludes: bool,
    /// The configuration's excludes, if any.
    pub filter: Option<Arc<dyn PathFilter>>,
    /// Apply excludes to files named on the command line too (`--force-exclude`, what a
    /// pre-commit hook wants); by default a named file is always scanned.
    pub force_exclude: bool,
    /// Files never scanned, even when named: backlint's own output files (absolute).
    pub skip_files: Vec<PathBuf>,
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        DiscoverOptions {
            default_excludes: true,
            filter: None,
            force_exclude: false,
            skip_files: Vec::new(),
        }
    }
}

/// Whether a directory entry's name is excluded by default.
pub fn is_default_excluded_dir(name: &str) -> bool {
    DEFAULT_EXCLUDED_DIRS.contains(&name)
}

fn is_minified_name(name: &str) -> bool {
    DEFAULT_EXCLUDED_SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// Finds the files to scan under `paths` (absolute). `want` says which kinds the enabled
/// rules read; other files are not returned.
pub fn discover(
    paths: &[PathBuf],
    want: &(dyn Fn(FileKind) -> bool + Sync),
    opts: &DiscoverOptions,
) -> Result<Vec<Discovered>, ScanError> {
    let mut out = Vec::new();
    let mut dirs = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|_| ScanError::PathNotFound(path.clone()))?;
        if (opts.force_exclude && force_excluded(path, meta.is_dir(), opts))
            || opts.skip_files.contains(path)
        {
            continue;
        }
        if meta.is_dir() {
            dirs.push(path.clone());
        } else if let Some(kind) = FileKind::of(path).filter(|k| want(*k)) {
            out.push(Discovered {
                path: path.clone(),
                kind,
                explicit: true,
            });
        }
    }
    if !dirs.is_empty() {
        out.extend(walk(&dirs, want, opts));
    }
    out.sort_by(|a, b| a.path.cmp(&b.path).then(b.explicit.cmp(&a.explicit)));
    out.dedup_by(|later, earlier| later.path == earlier.path);
    Ok(out)
}

/// With `--force-exclude`, whether a path named on the command line is excluded: by the
/// configuration, or by a default exclude on the path itself or a folder above it.
fn force_excluded(path: &Path, is_dir: bool, opts: &DiscoverOptions) -> bool {
    if opts.filter.as_ref().is_some_and(|f| {
        f.excluded(path, is_dir) || path.ancestors().skip(1).any(|a| f.excluded(a, true))
    }) {
        return true;
    }
    opts.default_excludes
        && (path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
            (is_dir && is_default_excluded_dir(n)) || (!is_dir && is_minified_name(n))
        }) || path.parent().is_some_and(|p| {
            p.components()
                .any(|c| c.as_os_str().to_str().is_some_and(is_default_excluded_dir))
        }))
}

fn walk(
    dirs: &[PathBuf],
    want: &(dyn Fn(FileKind) -> bool + Sync),
    opts: &DiscoverOptions,
) -> Vec<Discovered> {
    let defaults = opts.default_excludes;
    let filter = opts.filter.clone();
    let skip = opts.skip_files.clone();
    let mut builder = ignore::WalkBuilder::new(&dirs[0]);
    for dir in &dirs[1..] {
        builder.add(dir);
    }
    builder
        .hidden(false)
        .parents(true)
        .ignore(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .follow_links(false)
        .add_custom_ignore_filename(IGNORE_FILE)
        .filter_entry(move |entry| {
            let name = entry.file_name().to_str().unwrap_or("");
            let is_dir = entry.file_type().is_some_and(|ft| ft.is_dir());
            if entry.depth() == 0 && is_dir {
                return true;
            }
            if filter
                .as_ref()
                .is_some_and(|f| f.excluded(entry.path(), is_dir))
                || (!is_dir && skip.iter().any(|s| s == entry.path()))
            {
                return false;
            }
            !defaults
                || if is_dir {
                    !is_default_excluded_dir(name)
                } else {
                    !is_minified_name(name)
                }
        });
    let found = Mutex::new(Vec::new());
    builder.build_parallel().run(|| {
        let found = &found;
        // Each walker thread collects into its own Vec and hands it over once, when the
        // visitor is dropped at the end of the walk: no lock per file.
        struct Flush<'a> {
            local: Vec<(PathBuf, FileKind)>,
            found: &'a Mutex<Vec<(PathBuf, FileKind)>>,
        }
        impl Drop for Flush<'_> {
            fn drop(&mut self) {
                if let Ok(mut all) = self.found.lock() {
                    all.append(&mut self.local);
                }
            }
        }
        let mut flush = Flush {
            local: Vec::new(),
            found,
        };
        Box::new(move |entry| {
            if let Ok(entry) = entry {
                if entry.file_type().is_some_and(|t| t.is_file()) {
                    if let Some(kind) = FileKind::of(entry.path()) {
                        if want(kind) {
                            flush.local.push((entry.into_path(), kind));
                        }
                    }
                }
            }
            ignore::WalkState::Continue
        })
    });
    found
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|(path, kind)| Discovered {
            path,
            kind,
            explicit: false,
        })
        .collect()
}

/// The scan root for a set of (absolute) paths: the current directory when every path is
/// inside it, else the deepest directory containing them all.
pub fn scan_root(paths: &[PathBuf], cwd: &Path) -> PathBuf {
    if paths.iter().all(|p| p.starts_with(cwd)) {
        return cwd.to_path_buf();
    }
    let mut root: Option<PathBuf> = None;
    for p in paths {
        let dir = if p.is_dir() {
            p.clone()
        } else {
            p.parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| p.clone())
        };
        root = Some(match root {
            None => dir,
            Some(r) => common_ancestor(&r, &dir),
        });
    }
    root.unwrap_or_else(|| cwd.to_path_buf())
}

fn common_ancestor(a: &Path, b: &Path) -> PathBuf {
    a.components()
        .zip(b.components())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x)
        .collect()
}

/// Files whose presence makes a folder a project root.
pub const PROJECT_MARKERS: &[&str] = &["backlint.toml", ".backlint.toml", "package.json", ".git"];

/// The project a scan root belongs to: the nearest folder at or above it holding
/// `backlint.toml` (or `.backlint.toml`), a `pyproject.toml` with a `[tool.backlint]` table, `package.json` or
/// `.git`.
pub fn project_root(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        if PROJECT_MARKERS.iter().any(|m| d.join(m).exists()) {
            return Some(d.to_path_buf());
        }
        let pyproject = d.join("pyproject.toml");
        if std::fs::read_to_string(&pyproject).is_ok_and(|t| t.contains("[tool.backlint")) {
            return Some(d.to_path_buf());
        }
        dir = d.parent();
    }
    None
}

/// `path` relative to `root`, with forward slashes.
pub fn relative_path(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut s = String::new();
    for (i, c) in rel.components().enumerate() {
        if i > 0 {
            s.push('/');
        }
        s.push_str(&c.as_os_str().to_string_lossy());
    }
    if s.is_empty() {
        s = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
    }
    s
}
