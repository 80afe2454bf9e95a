//! Facts: small owned values a file-local pass leaves for the project pass (routes, rate
//! limiters, mounts, exported database handles…). Stored by type, so the engine knows no
//! model: a rule or model pushes `T`, a project rule asks for every `T` of every file.

use std::any::{Any, TypeId};
use std::collections::HashMap;

use crate::lang::FileKind;

/// The facts of one file, one `Vec<T>` per fact type.
#[derive(Default)]
pub struct FactStore {
    by_type: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
}

impl std::fmt::Debug for FactStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FactStore({} types)", self.by_type.len())
    }
}

impl FactStore {
    pub fn push<T: Any + Send + Sync>(&mut self, fact: T) {
        let slot = self
            .by_type
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Box::new(Vec::<T>::new()));
        if let Some(v) = slot.downcast_mut::<Vec<T>>() {
            v.push(fact);
        }
    }

    /// Every fact of type `T`, in the order pushed.
    pub fn get<T: Any + Send + Sync>(&self) -> &[T] {
        self.by_type
            .get(&TypeId::of::<T>())
            .and_then(|b| b.downcast_ref::<Vec<T>>())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn is_empty(&self) -> bool {
        self.by_type.is_empty()
    }
}

/// One file's facts, as the project pass sees them.
#[derive(Debug)]
pub struct FileFacts {
    /// Path relative to the scan root, forward slashes.
    pub path: String,
    pub kind: FileKind,
    pub facts: FactStore,
}

/// Everything the project pass knows: the facts of every analysed file, sorted by path.
#[derive(Debug)]
pub struct Project<'a> {
    pub root: &'a std::path::Path,
    pub files: &'a [FileFacts],
    /// The configured options of the rule whose project pass this is.
    pub options: &'a crate::options::RuleOptions,
}

impl<'a> Project<'a> {
    /// Every fact of type `T` with the file it came from, in path order.
    pub fn facts<T: Any + Send + Sync>(&self) -> impl Iterator<Item = (&'a FileFacts, &'a T)> {
        self.files
            .iter()
            .flat_map(|f| f.facts.get::<T>().iter().map(move |t| (f, t)))
    }

    pub fn file(&self, path: &str) -> Option<&'a FileFacts> {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.files[i])
    }

    /// Resolves an import specifier written in `from` (a relative path) to a scanned file:
    /// JS/TS relative specifiers with extension and `index` probing, Python relative
    /// (`.models`) and absolute dotted modules against the folders of the scanned files.
    /// `None` when the target is a package or was not scanned.
    pub fn resolve_import(&self, from: &str, specifier: &str) -> Option<&'a FileFacts> {
        let dir = from.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let is_python = from.ends_with(".py") || from.ends_with(".pyi");
        if is_python {
            return self.resolve_python(dir, specifier);
        }
        if !specifier.starts_with('.') {
            return None;
        }
        let base = normalize(&join(dir, specifier))?;
        const EXTS: &[&str] = &["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"];
        if let Some(f) = self.file(&base) {
            return Some(f);
        }
        // `./db.js` written in TypeScript sources refers to `./db.ts`.
        if let Some((stem, ext)) = base.rsplit_once('.') {
            if EXTS.contains(&ext) {
                for e in EXTS {
                    if let Some(f) = self.file(&format!("{stem}.{e}")) {
                        return Some(f);
                    }
                }
            }
        }
        for e in EXTS {
            if let Some(f) = self.file(&format!("{base}.{e}")) {
                return Some(f);
            }
        }
        for e in EXTS {
            if let Some(f) = self.file(&format!("{base}/index.{e}")) {
                return Some(f);
            }
        }
        None
    }

    fn resolve_python(&self, dir: &str, module: &str) -> Option<&'a FileFacts> {
        let dots = module.chars().take_while(|&c| c == '.').count();
        let rest = module[dots..].replace('.', "/");
        let candidates_for = |base: String| -> Option<&'a FileFacts> {
            let base = normalize(&base)?;
            let prefix = if base.is_empty() {
                String::new()
            } else {
                format!("{base}/")
            };
            let stem = base.trim_end_matches('/');
            self.file(&format!("{stem}.py"))
                .or_else(|| self.file(&format!("{prefix}__init__.py")))
        };
        if dots > 0 {
            let mut d = dir.to_string();
            for _ in 1..dots {
                d = d
                    .rsplit_once('/')
                    .map(|(p, _)| p.to_string())
                    .unwrap_or_default();
            }
            return candidates_for(join(&d, &rest));
        }
        // Absolute: try the file's folder and each of its ancestors as a package root.
        let mut d = dir.to_string();
        loop {
            if let Some(f) = candidates_for(join(&d, &rest)) {
                return Some(f);
            }
            if d.is_empty() {
                return None;
            }
            d = d
                .rsplit_once('/')
                .map(|(p, _)| p.to_string())
                .unwrap_or_default();
        }
    }
}

fn join(dir: &str, rel: &str) -> String {
    if dir.is_empty() {
        rel.to_string()
    } else {
        format!("{dir}/{rel}")
    }
}

/// Resolves `.` and `..` segments; `None` if the path leaves the root.
fn normalize(path: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            s => out.push(s),
        }
    }
    Some(out.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::{FileKind, Language};

    fn file(path: &str) -> FileFacts {
        let kind = FileKind::of(std::path::Path::new(path))
            .unwrap_or(FileKind::Source(Language::TypeScript));
        FileFacts {
            path: path.into(),
            kind,
            facts: FactStore::default(),
        }
    }

    #[test]
    fn facts_are_stored_by_type() {
        let mut s = FactStore::default();
        s.push(1u32);
        s.push(2u32);
        s.push("x");
        assert_eq!(s.get::<u32>(), &[1, 2]);
        assert_eq!(s.get::<&str>(), &["x"]);
        assert!(s.get::<u64>().is_empty());
    }

    #[test]
    fn imports_resolve_to_scanned_files() {
        let mut files = vec![
            file("src/app.ts"),
            file("src/db.ts"),
            file("src/routes/index.ts"),
            file("src/routes/auth.ts"),
            file("shop/views.py"),
            file("shop/models.py"),
            file("shop/api/__init__.py"),
        ];
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let root = std::path::Path::new("/");
        let p = Project {
            root,
            files: &files,
            options: crate::options::RuleOptions::empty(),
        };
        let r = |from: &str, spec: &str| p.resolve_import(from, spec).map(|f| f.path.clone());
        assert_eq!(r("src/app.ts", "./db").as_deref(), Some("src/db.ts"));
        assert_eq!(r("src/app.ts", "./db.js").as_deref(), Some("src/db.ts"));
        assert_eq!(
            r("src/app.ts", "./routes").as_deref(),
            Some("src/routes/index.ts")
        );
        assert_eq!(
            r("src/routes/auth.ts", "../db").as_deref(),
            Some("src/db.ts")
        );
        assert_eq!(r("src/app.ts", "express"), None);
        assert_eq!(r("src/app.ts", "../../x"), None);
        assert_eq!(
            r("shop/views.py", ".models").as_deref(),
            Some("shop/models.py")
        );
        assert_eq!(
            r("shop/views.py", "shop.models").as_deref(),
            Some("shop/models.py")
        );
        assert_eq!(
            r("shop/views.py", ".api").as_deref(),
            Some("shop/api/__init__.py")
        );
        assert_eq!(r("shop/views.py", "django.db"), None);
    }
}
