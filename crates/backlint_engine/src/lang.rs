//! Languages and file kinds: which files backlint reads, which grammar parses them, and a
//! per-language table of node roles (function, loop, class, scope) indexed by kind id.

use std::path::Path;
use std::sync::OnceLock;

/// A language backlint parses with tree-sitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    TypeScript,
    Tsx,
    JavaScript,
    Python,
}

impl Language {
    pub const ALL: [Language; 4] = [
        Language::TypeScript,
        Language::Tsx,
        Language::JavaScript,
        Language::Python,
    ];

    /// The grammar for a file extension (without the dot), if backlint parses it.
    pub fn from_extension(ext: &str) -> Option<Language> {
        Some(match ext {
            "ts" | "mts" | "cts" => Language::TypeScript,
            "tsx" => Language::Tsx,
            "js" | "jsx" | "mjs" | "cjs" => Language::JavaScript,
            "py" | "pyi" => Language::Python,
            _ => return None,
        })
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Name used in rule docs' `languages` (TSX counts as TypeScript).
    pub fn doc_name(self) -> &'static str {
        match self {
            Language::TypeScript | Language::Tsx => "typescript",
            Language::JavaScript => "javascript",
            Language::Python => "python",
        }
    }

    /// TypeScript, TSX and JavaScript share node kind names; rules treat them alike.
    pub fn is_js_like(self) -> bool {
        !matches!(self, Language::Python)
    }

    pub fn grammar(self) -> tree_sitter::Language {
        match self {
            Language::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Language::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Language::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Language::Python => tree_sitter_python::LANGUAGE.into(),
        }
    }

    /// The node kinds of a function call (`call_expression` in JS/TS, `call` in Python), for
    /// rules whose `kinds` are "every call".
    pub fn call_kinds(self) -> &'static [&'static str] {
        if self.is_js_like() {
            &["call_expression"]
        } else {
            &["call"]
        }
    }

    /// The line-comment marker (used for fixture annotations and, later, suppressions).
    pub fn line_comment(self) -> &'static str {
        if self.is_js_like() {
            "//"
        } else {
            "#"
        }
    }

    /// Every kind id whose (named) kind is `name`. A grammar may give one name several ids
    /// (aliases), so lookups by name must collect them all.
    pub fn kind_ids(self, name: &str) -> Vec<u16> {
        kind_ids(&self.grammar(), name)
    }

    /// Role flags of every kind id, built once per language.
    pub fn roles(self) -> &'static [Roles] {
        static TABLES: [OnceLock<Vec<Roles>>; 4] = [
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
        ];
        TABLES[self.index()].get_or_init(|| build_roles(self))
    }
}

pub(crate) fn kind_ids(grammar: &tree_sitter::Language, name: &str) -> Vec<u16> {
    (0..grammar.node_kind_count() as u16)
        .filter(|&id| grammar.node_kind_is_named(id) && grammar.node_kind_for_id(id) == Some(name))
        .collect()
}

/// What a kind of node is, for the context queries rules make.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Roles(u8);

impl Roles {
    /// A function, method, arrow function or lambda: its own variable scope.
    pub const FUNCTION: Roles = Roles(1);
    /// A loop statement or comprehension whose body runs once per element.
    pub const LOOP: Roles = Roles(2);
    /// A class declaration or expression.
    pub const CLASS: Roles = Roles(4);
    /// A lexical scope that is not a function (block, module, comprehension, class body).
    pub const BLOCK_SCOPE: Roles = Roles(8);

    pub fn contains(self, other: Roles) -> bool {
        self.0 & other.0 == other.0 && other.0 != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    fn insert(&mut self, other: Roles) {
        self.0 |= other.0;
    }
}

const JS_FUNCTIONS: &[&str] = &[
    "function_declaration",
    "function_expression",
    "function",
    "arrow_function",
    "method_definition",
    "generator_function_declaration",
    "generator_function",
];
const JS_LOOPS: &[&str] = &[
    "for_statement",
    "for_in_statement",
    "while_statement",
    "do_statement",
];
const JS_CLASSES: &[&str] = &["class_declaration", "class", "abstract_class_declaration"];
const JS_BLOCK_SCOPES: &[&str] = &[
    "program",
    "statement_block",
    "for_statement",
    "for_in_statement",
    "catch_clause",
    "switch_body",
    "class_body",
];
const PY_FUNCTIONS: &[&str] = &["function_definition", "lambda"];
const PY_LOOPS: &[&str] = &[
    "for_statement",
    "while_statement",
    "list_comprehension",
    "set_comprehension",
    "dictionary_comprehension",
    "generator_expression",
];
const PY_CLASSES: &[&str] = &["class_definition"];
const PY_BLOCK_SCOPES: &[&str] = &[
    "module",
    "class_definition",
    "list_comprehension",
    "set_comprehension",
    "dictionary_comprehension",
    "generator_expression",
];

fn build_roles(lang: Language) -> Vec<Roles> {
    let grammar = lang.grammar();
    let mut table = vec![Roles::default(); grammar.node_kind_count()];
    let groups: [(&[&str], Roles); 4] = if lang.is_js_like() {
        [
            (JS_FUNCTIONS, Roles::FUNCTION),
            (JS_LOOPS, Roles::LOOP),
            (JS_CLASSES, Roles::CLASS),
            (JS_BLOCK_SCOPES, Roles::BLOCK_SCOPE),
        ]
    } else {
        [
            (PY_FUNCTIONS, Roles::FUNCTION),
            (PY_LOOPS, Roles::LOOP),
            (PY_CLASSES, Roles::CLASS),
            (PY_BLOCK_SCOPES, Roles::BLOCK_SCOPE),
        ]
    };
    for (names, role) in groups {
        for name in names {
            for id in kind_ids(&grammar, name) {
                table[id as usize].insert(role);
            }
        }
    }
    table
}

/// A non-source file that text rules (e.g. secrets) read line by line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TextKind {
    Env,
    Yaml,
    Json,
    Toml,
    Ini,
    Properties,
    Xml,
    Dockerfile,
    Terraform,
    Npmrc,
    Pypirc,
}

impl TextKind {
    /// The line-comment marker of this format, if it has one.
    pub fn line_comment(self) -> Option<&'static str> {
        match self {
            TextKind::Json | TextKind::Xml => None,
            TextKind::Npmrc | TextKind::Ini | TextKind::Pypirc => Some(";"),
            _ => Some("#"),
        }
    }
}

/// What backlint does with a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    /// Parsed with tree-sitter; every rule may look at it.
    Source(Language),
    /// Read as text only, for rules that want text files.
    Text(TextKind),
}

impl FileKind {
    /// Classifies a path by its name. `None`: backlint does not read such files.
    pub fn of(path: &Path) -> Option<FileKind> {
        let name = path.file_name()?.to_str()?;
        let lower = name.to_ascii_lowercase();
        if lower == ".env" || lower.starts_with(".env.") || lower.ends_with(".env") {
            return Some(FileKind::Text(TextKind::Env));
        }
        if lower == "dockerfile"
            || lower.starts_with("dockerfile.")
            || lower.ends_with(".dockerfile")
        {
            return Some(FileKind::Text(TextKind::Dockerfile));
        }
        match lower.as_str() {
            ".npmrc" => return Some(FileKind::Text(TextKind::Npmrc)),
            ".pypirc" => return Some(FileKind::Text(TextKind::Pypirc)),
            _ => {}
        }
        let ext = lower.rsplit_once('.')?.1;
        if let Some(lang) = Language::from_extension(ext) {
            return Some(FileKind::Source(lang));
        }
        Some(FileKind::Text(match ext {
            "yml" | "yaml" => TextKind::Yaml,
            "json" => TextKind::Json,
            "toml" => TextKind::Toml,
            "ini" | "cfg" | "conf" => TextKind::Ini,
            "properties" => TextKind::Properties,
            "xml" => TextKind::Xml,
            "tf" | "tfvars" => TextKind::Terraform,
            _ => return None,
        }))
    }

    pub fn language(self) -> Option<Language> {
        match self {
            FileKind::Source(lang) => Some(lang),
            FileKind::Text(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_map_to_grammars() {
        for (file, kind) in [
            ("a.ts", Some(FileKind::Source(Language::TypeScript))),
            ("a.mts", Some(FileKind::Source(Language::TypeScript))),
            ("a.cts", Some(FileKind::Source(Language::TypeScript))),
            ("a.tsx", Some(FileKind::Source(Language::Tsx))),
            ("a.jsx", Some(FileKind::Source(Language::JavaScript))),
            ("a.cjs", Some(FileKind::Source(Language::JavaScript))),
            ("a.pyi", Some(FileKind::Source(Language::Python))),
            (".env.production", Some(FileKind::Text(TextKind::Env))),
            ("Dockerfile", Some(FileKind::Text(TextKind::Dockerfile))),
            ("docker-compose.yml", Some(FileKind::Text(TextKind::Yaml))),
            ("README.md", None),
            ("Makefile", None),
        ] {
            assert_eq!(FileKind::of(Path::new(file)), kind, "{file}");
        }
    }

    #[test]
    fn role_tables_know_their_kinds() {
        for lang in Language::ALL {
            let roles = lang.roles();
            let count = |r: Roles| roles.iter().filter(|x| x.contains(r)).count();
            assert!(count(Roles::FUNCTION) >= 2, "{lang:?}");
            assert!(count(Roles::LOOP) >= 2, "{lang:?}");
            assert!(count(Roles::CLASS) >= 1, "{lang:?}");
        }
    }
}
