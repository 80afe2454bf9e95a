//! Engine behaviour with test-only rules: the semantic index, dispatch by kind, panics caught
//! per file, the project pass over facts, kind validation, determinism of the scan result.

use std::path::PathBuf;

use backlint_engine::index::{BindingKind, Index};
use backlint_engine::{
    scan, FileCtx, Language, NodeId, NotificationLevel, Project, ProjectSink, Rule, RuleDoc,
    RuleEntry, RuleSet, ScanOptions, Sink,
};

fn doc(id: &str) -> &'static RuleDoc {
    let text = format!(
        "+++\nid = \"{id}\"\ntitle = \"Test rule\"\ncategory = \"correctness\"\nseverity = \"warning\"\n\
         languages = [\"typescript\", \"javascript\", \"python\"]\nstatus = \"stable\"\nsince = \"0.1.0\"\n\
         precision = \"high\"\n+++\n## What it does\nx\n## Why is this bad?\nx\n## Example\nx\n\
         ## Use instead\nx\n## Options\nx\n## Known limitations\nx\n## References\nx\n"
    );
    Box::leak(Box::new(RuleDoc::parse(&text).expect("test doc parses")))
}

fn parse(lang: Language, src: &str) -> tree_sitter::Tree {
    let mut p = tree_sitter::Parser::new();
    p.set_language(&lang.grammar()).expect("grammar");
    p.parse(src, None).expect("parse")
}

/// The first identifier node with this text at or after `from` bytes.
fn ident<'t>(idx: &Index<'t>, name: &str, nth: usize) -> tree_sitter::Node<'t> {
    (0..idx.len() as NodeId)
        .map(|i| idx.node(i))
        .filter(|n| n.kind() == "identifier" && idx.text(*n) == name)
        .nth(nth)
        .unwrap_or_else(|| panic!("identifier {name} #{nth}"))
}

#[test]
fn index_has_parents_and_subtrees_in_preorder() {
    let src = "function f(a) { for (const x of a) { g(x); } }";
    let tree = parse(Language::TypeScript, src);
    let idx = Index::build(&tree, src, Language::TypeScript);
    let call = (0..idx.len() as NodeId)
        .find(|&i| idx.node(i).kind() == "call_expression")
        .expect("call");
    let lp = idx.enclosing_loop(call).expect("inside a loop");
    assert_eq!(idx.node(lp).kind(), "for_in_statement");
    let f = idx.enclosing_function(call).expect("inside a function");
    assert_eq!(idx.node(f).kind(), "function_declaration");
    assert!(idx.is_within(call, f) && !idx.is_within(f, call));
    assert_eq!(idx.id_of(idx.node(call)), Some(call));
    // The loop does not escape its function.
    let g = ident(&idx, "f", 0);
    assert_eq!(idx.enclosing_loop(idx.id_of(g).expect("id")), None);
}

#[test]
fn js_bindings_imports_and_qualified_names() {
    let src = r#"
import { PrismaClient as PC } from '@prisma/client';
import * as jwt from 'jsonwebtoken';
import express from 'express';
const { Pool } = require('pg');
const db = new PC();
const pool = new Pool();
let token = 'a';
token += 'b';
function h(localStorage) { localStorage.setItem('k', token); }
window.localStorage.setItem('x', 1);
jwt.sign({}, 's');
{ const token = 1; token; }
"#;
    let tree = parse(Language::TypeScript, src);
    let idx = Index::build(&tree, src, Language::TypeScript);
    let q = |n| idx.qualified_name(n).map(|v| v.join("|"));
    assert_eq!(
        q(ident(&idx, "PC", 1)).as_deref(),
        Some("@prisma/client|PrismaClient")
    );
    assert_eq!(q(ident(&idx, "Pool", 0)).as_deref(), Some("pg|Pool"));
    assert_eq!(q(ident(&idx, "express", 0)).as_deref(), Some("express"));
    let member = |text: &str| {
        (0..idx.len() as NodeId)
            .map(|i| idx.node(i))
            .find(|n| n.kind() == "member_expression" && idx.text(*n) == text)
            .expect("member")
    };
    assert_eq!(q(member("jwt.sign")).as_deref(), Some("jsonwebtoken|sign"));
    assert_eq!(
        q(member("window.localStorage")).as_deref(),
        Some("window|localStorage")
    );
    // A parameter shadows the global: no qualified name.
    assert_eq!(q(member("localStorage.setItem")), None);
    // `token` in h() resolves to the module-level `let`, which has one `+=` assignment.
    let use_in_h = ident(&idx, "token", 2);
    let b = idx.resolve(use_in_h).expect("resolves");
    assert_eq!(idx.binding(b).kind, BindingKind::Let);
    assert_eq!(idx.assignments_of(b).count(), 1);
    assert_eq!(
        idx.const_value(use_in_h),
        None,
        "reassigned bindings have no constant value"
    );
    // The block's `const token` shadows it inside the block only.
    let inner = ident(&idx, "token", 4);
    let ib = idx.resolve(inner).expect("resolves");
    assert_eq!(idx.binding(ib).kind, BindingKind::Const);
    assert_ne!(ib, b);
    let db = ident(&idx, "db", 0);
    assert_eq!(
        idx.binding(idx.resolve(db).expect("db"))
            .value
            .map(|v| v.kind()),
        Some("new_expression")
    );
}

#[test]
fn python_scopes_follow_python() {
    let src = r#"
import sqlalchemy.orm as orm
from django.db import connection
import os.path
x = 1
class C:
    x = 2
    def m(self):
        return x
def f():
    global x
    x = 3
    y = [x for x in range(3)]
    y = 4
    return y
"#;
    let tree = parse(Language::Python, src);
    let idx = Index::build(&tree, src, Language::Python);
    let q = |n| idx.qualified_name(n).map(|v| v.join("|"));
    assert_eq!(q(ident(&idx, "orm", 0)).as_deref(), Some("sqlalchemy|orm"));
    assert_eq!(
        q(ident(&idx, "connection", 0)).as_deref(),
        Some("django|db|connection")
    );
    assert_eq!(q(ident(&idx, "os", 0)).as_deref(), Some("os"));
    // `x` in the method skips the class scope: it is the module's `x = 1`.
    let in_method = ident(&idx, "x", 2);
    let b = idx.resolve(in_method).expect("x resolves");
    assert_eq!(idx.binding(b).value.map(|v| idx.text(v)), Some("1"));
    // `global x` makes `x = 3` an assignment to the module binding, not a new local.
    assert_eq!(idx.assignments_of(b).count(), 1);
    // `y` is bound once in f and reassigned once.
    let y = ident(&idx, "y", 0);
    let yb = idx.resolve(y).expect("y");
    assert_eq!(idx.assignments_of(yb).count(), 1);
}

struct Panics;
impl Rule for Panics {
    fn id(&self) -> &'static str {
        "test-panics"
    }
    fn kinds(&self, _: Language) -> &'static [&'static str] {
        &["identifier"]
    }
    fn check(&self, id: NodeId, ctx: &FileCtx<'_>, sink: &mut Sink) {
        let text = ctx.text(ctx.node(id));
        if text == "boom" {
            panic!("rule exploded");
        }
        if text == "flag" {
            sink.report(ctx.node(id), "flagged");
        }
    }
}

struct Exports;
#[derive(Debug)]
struct Exported(String, backlint_engine::Location);
impl Rule for Exports {
    fn id(&self) -> &'static str {
        "test-project"
    }
    fn kinds(&self, lang: Language) -> &'static [&'static str] {
        if lang.is_js_like() {
            &["export_statement"]
        } else {
            &[]
        }
    }
    fn check(&self, id: NodeId, ctx: &FileCtx<'_>, sink: &mut Sink) {
        let node = ctx.node(id);
        sink.fact(Exported(ctx.path.to_string(), ctx.node_location(node)));
    }
    fn check_project(&self, project: &Project<'_>, sink: &mut ProjectSink) {
        let all: Vec<_> = project.facts::<Exported>().collect();
        if all.len() >= 2 {
            for (file, fact) in all {
                sink.report(
                    fact.1.clone(),
                    format!("one of {} exports ({})", project.files.len(), fact.0),
                    &file.path,
                );
            }
        }
    }
}

static PANICS: Panics = Panics;
static EXPORTS: Exports = Exports;

fn rule_set() -> RuleSet {
    RuleSet::new(vec![
        RuleEntry::new(&PANICS, doc("test-panics")),
        RuleEntry::new(&EXPORTS, doc("test-project")),
    ])
    .expect("rule set")
}

fn write(dir: &std::path::Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
}

#[test]
fn a_panic_in_one_file_is_reported_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().expect("tmp");
    write(
        dir.path(),
        &[
            ("a.ts", "const boom = 1;"),
            ("b.ts", "const flag = 1;"),
            ("c.py", "flag = 2"),
        ],
    );
    let opts = ScanOptions::new(vec![PathBuf::from(".")], dir.path().to_path_buf());
    let result = scan(&opts, &rule_set()).expect("scan");
    let errors: Vec<_> = result
        .notifications
        .iter()
        .filter(|n| n.level == NotificationLevel::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{:?}", result.notifications);
    assert_eq!(errors[0].path, "a.ts");
    assert!(errors[0].message.contains("rule exploded"));
    let flagged: Vec<_> = result
        .diagnostics
        .iter()
        .map(|d| d.location.path.as_str())
        .collect();
    assert_eq!(flagged, ["b.ts", "c.py"]);
    assert!(result.had_internal_errors());
}

#[test]
fn the_project_pass_sees_facts_of_every_file() {
    let dir = tempfile::tempdir().expect("tmp");
    write(
        dir.path(),
        &[
            ("src/a.ts", "export const a = 1;"),
            ("src/b.js", "export function b() {}"),
            ("x.py", "y = 1"),
        ],
    );
    let opts = ScanOptions::new(vec![PathBuf::from(".")], dir.path().to_path_buf());
    let result = scan(&opts, &rule_set()).expect("scan");
    let msgs: Vec<_> = result
        .diagnostics
        .iter()
        .filter(|d| d.rule == "test-project")
        .map(|d| {
            (
                d.location.path.as_str(),
                d.location.span.start.line,
                d.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        msgs,
        [
            ("src/a.ts", 1, "one of 3 exports (src/a.ts)"),
            ("src/b.js", 1, "one of 3 exports (src/b.js)")
        ]
    );
    assert_eq!(result.files_scanned, 3);
    // Fingerprints are distinct and stable across runs.
    let again = scan(&opts, &rule_set()).expect("scan");
    let fp = |r: &backlint_engine::ScanResult| {
        r.diagnostics
            .iter()
            .map(|d| d.fingerprint.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(fp(&result), fp(&again));
    assert_ne!(fp(&result)[0], fp(&result)[1]);
}

#[test]
fn fingerprints_survive_lines_added_above() {
    let dir = tempfile::tempdir().expect("tmp");
    write(
        dir.path(),
        &[("a.ts", "const flag = 1;\nconst flag = 2;\n")],
    );
    let opts = ScanOptions::new(vec![PathBuf::from(".")], dir.path().to_path_buf());
    let before = scan(&opts, &rule_set()).expect("scan");
    write(
        dir.path(),
        &[(
            "a.ts",
            "// a comment\n\nimport x from 'y';\nconst flag = 1;\nconst flag = 2;\n",
        )],
    );
    let after = scan(&opts, &rule_set()).expect("scan");
    let fps = |r: &backlint_engine::ScanResult| {
        r.diagnostics
            .iter()
            .map(|d| d.fingerprint.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(fps(&before).len(), 2);
    assert_eq!(fps(&before), fps(&after));
    assert_ne!(
        after.diagnostics[0].location.span.start.line,
        before.diagnostics[0].location.span.start.line
    );
}

struct BadKind;
impl Rule for BadKind {
    fn id(&self) -> &'static str {
        "test-bad-kind"
    }
    fn kinds(&self, _: Language) -> &'static [&'static str] {
        &["call_expresion"]
    }
}
static BAD_KIND: BadKind = BadKind;

#[test]
fn a_misspelt_node_kind_is_an_error() {
    let err = RuleSet::new(vec![RuleEntry::new(&BAD_KIND, doc("test-bad-kind"))])
        .err()
        .expect("unknown kind rejected");
    assert!(err.contains("call_expresion"), "{err}");
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let dir = tempfile::tempdir().expect("tmp");
    // One bracket per line, so the file is not taken for minified output and is parsed.
    let js = format!(
        "const flag = {}1{};",
        "[\n".repeat(20_000),
        "]\n".repeat(20_000)
    );
    let py = format!("flag = {}1{}", "(\n".repeat(5_000), ")\n".repeat(5_000));
    write(dir.path(), &[("deep.ts", &js), ("deep.py", &py)]);
    let opts = ScanOptions::new(vec![PathBuf::from(".")], dir.path().to_path_buf());
    // The scan's workers get a small stack: any recursion on tree depth would overflow it.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .stack_size(256 * 1024)
        .build()
        .expect("pool");
    let result = pool.install(|| scan(&opts, &rule_set()).expect("scan").diagnostics.len());
    assert_eq!(result, 2, "both deep files are analysed");
}

#[test]
fn references_are_the_uses_that_resolve_to_the_binding() {
    let src = "function f(rows) {\n  const users = load();\n  send({ users });\n  if (x) { const users = 1; use(users); }\n  users = users.slice(0, 1);\n  return users[0];\n}\n";
    let tree = parse(Language::TypeScript, src);
    let idx = Index::build(&tree, src, Language::TypeScript);
    let b = idx.resolve(ident(&idx, "users", 0)).expect("binding");
    let lines: Vec<usize> = idx
        .references(b)
        .iter()
        .map(|n| n.start_position().row + 1)
        .collect();
    // The shorthand property, the reassignment and its read, the indexed read; not the
    // shadowing block's own `users`, nor the declaration.
    assert_eq!(lines, vec![3, 5, 5, 6]);
}
