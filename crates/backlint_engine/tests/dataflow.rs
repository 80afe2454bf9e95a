//! The string dataflow helper on its own: which expressions splice non-constant text, and
//! where.

use backlint_engine::dataflow::{is_constant, literal_parts, splices, NoPolicy};
use backlint_engine::index::Index;
use backlint_engine::{Language, NodeId};

/// Parses `src`, finds the argument of the last call to `sink(…)` and returns the text of
/// each splice point.
fn spliced(lang: Language, src: &str) -> Vec<String> {
    let mut p = tree_sitter::Parser::new();
    p.set_language(&lang.grammar()).expect("grammar");
    let tree = p.parse(src, None).expect("parse");
    let idx = Index::build(&tree, src, lang);
    let arg = (0..idx.len() as NodeId)
        .rev()
        .map(|i| idx.node(i))
        .filter(|n| matches!(n.kind(), "call_expression" | "call"))
        .find(|n| {
            n.child_by_field_name("function")
                .is_some_and(|f| idx.text(f) == "sink")
        })
        .and_then(|c| c.child_by_field_name("arguments"))
        .and_then(|a| a.named_child(0))
        .expect("a sink(…) call with an argument");
    splices(&idx, arg, &NoPolicy)
        .iter()
        .map(|s| idx.text(s.node).to_string())
        .collect()
}

fn js(src: &str) -> Vec<String> {
    spliced(Language::TypeScript, src)
}

fn py(src: &str) -> Vec<String> {
    spliced(Language::Python, src)
}

#[test]
fn template_substitutions_and_concatenation_of_parameters_are_splices() {
    assert_eq!(
        js("function f(id) { sink(`SELECT * FROM t WHERE id = ${id}`); }"),
        ["id"]
    );
    assert_eq!(
        js("function f(id) { sink('SELECT * FROM t WHERE id = ' + id); }"),
        ["id"]
    );
    assert_eq!(
        js("function f(req) { sink(`x ${req.query.email}`); }"),
        ["req.query.email"]
    );
    assert_eq!(js("function f(a) { sink('a'.concat(a)); }"), ["a"]);
    assert_eq!(js("function f(a) { sink(util.format('x %s', a)); }"), ["a"]);
    assert_eq!(
        js("function f(a) { sink(['SELECT', a].join(' ')); }"),
        ["a"]
    );
    assert_eq!(js("function f(g) { sink(`x ${g()}`); }"), ["g()"]);
}

#[test]
fn a_bare_parameter_is_passed_through_not_spliced() {
    assert!(js("function f(sql) { sink(sql); }").is_empty());
    assert!(py("def f(sql):\n    sink(sql)\n").is_empty());
}

#[test]
fn variables_are_followed_through_every_assignment() {
    let src = "function f(filters) {\n  let sql = 'SELECT * FROM users WHERE 1=1';\n  if (filters.email) {\n    sql += ` AND email = '${filters.email}'`;\n  }\n  if (filters.active) sql += ' AND active';\n  sink(sql);\n}";
    assert_eq!(js(src), ["filters.email"]);
    let all_constant =
        "function f(a) {\n  let sql = 'SELECT 1';\n  if (a) sql += ' WHERE x';\n  sink(sql);\n}";
    assert!(js(all_constant).is_empty());
    // A helper variable built from a parameter.
    assert_eq!(js("function f(t) { const where = `name = '${t}'`; sink('SELECT * FROM x WHERE ' + where); }"), ["t"]);
    // A switch that maps to literals is constant.
    let switch = "function f(sort) {\n  let col;\n  switch (sort) { case 'n': col = 'name'; break; default: col = 'id'; }\n  sink(`SELECT * FROM t ORDER BY ${col}`);\n}";
    assert!(js(switch).is_empty());
    // A cycle (`sql = sql + x`) terminates.
    assert_eq!(
        js("function f(x) { let sql = 'a'; sql = sql + x; sink(sql); }"),
        ["x"]
    );
}

#[test]
fn constants_numbers_placeholders_and_allow_lists_are_safe() {
    assert!(
        js("const TABLE = 'users'; function f() { sink(`SELECT * FROM ${TABLE}`); }").is_empty()
    );
    assert!(js(
        "import { TABLES } from './c'; function f() { sink(`SELECT * FROM ${TABLES.users}`); }"
    )
    .is_empty());
    assert!(js(
        "function f(p) { sink(`SELECT * FROM t LIMIT ${Number(p)} OFFSET ${parseInt(p, 10)}`); }"
    )
    .is_empty());
    assert!(js("function f(ids) { sink(`SELECT * FROM t WHERE id IN (${ids.map(() => '?').join(', ')})`); }").is_empty());
    assert!(
        js("function f(ids) { sink(`IN (${ids.map((_, i) => `$${i + 1}`).join(',')})`); }")
            .is_empty()
    );
    assert!(js("function f(s) { const col = ALLOWED.includes(s) ? s : 'created_at'; sink(`ORDER BY ${col}`); }").is_empty());
    assert!(
        js("function f(s) { if (!allowed.has(s)) throw new Error(); sink(`ORDER BY ${s}`); }")
            .is_empty()
    );
    assert!(
        js("const cols = { a: 'name' }; function f() { sink(`ORDER BY ${cols.a}`); }").is_empty()
    );
    // An IN list whose elements are the values themselves is not.
    assert_eq!(
        js("function f(ids) { sink(`IN (${ids.map((id) => `'${id}'`).join(',')})`); }"),
        ["id"]
    );
}

#[test]
fn pushes_into_a_local_list_are_followed() {
    let unsafe_src = "function f(q) {\n  const where = [];\n  if (q.name) where.push(`name = '${q.name}'`);\n  sink('SELECT * FROM t WHERE ' + where.join(' AND '));\n}";
    assert_eq!(js(unsafe_src), ["q.name"]);
    let safe_src = "function f(q) {\n  const where = [];\n  if (q.name) where.push('name = ?');\n  sink('SELECT * FROM t WHERE ' + where.join(' AND '));\n}";
    assert!(js(safe_src).is_empty());
}

#[test]
fn python_formatting_forms() {
    assert_eq!(
        py("def f(e):\n    sink(f\"SELECT * FROM u WHERE e = '{e}'\")\n"),
        ["e"]
    );
    assert_eq!(
        py("def f(e):\n    sink(\"SELECT * FROM u WHERE e = '%s'\" % e)\n"),
        ["e"]
    );
    assert_eq!(
        py("def f(a, b):\n    sink(\"SELECT %s, %s\" % (a, b))\n"),
        ["a", "b"]
    );
    assert_eq!(
        py("def f(e):\n    sink(\"SELECT * FROM u WHERE e = '{}'\".format(e))\n"),
        ["e"]
    );
    assert_eq!(
        py("def f(e):\n    sql = 'SELECT * FROM u'\n    sql += ' WHERE e = ' + e\n    sink(sql)\n"),
        ["e"]
    );
    assert_eq!(
        py("def f(cols):\n    sink('SELECT ' + ', '.join(cols))\n"),
        ["cols"]
    );
    assert!(py("def f(ids):\n    sink('SELECT * FROM t WHERE id IN (%s)' % ', '.join(['%s'] * len(ids)))\n").is_empty());
    assert!(py("def f(ids):\n    sink('IN (' + ','.join('?' for _ in ids) + ')')\n").is_empty());
    assert!(py("def f(s):\n    if s not in ALLOWED:\n        raise ValueError(s)\n    sink(f'ORDER BY {s}')\n").is_empty());
    assert!(
        py("TABLE = 'users'\ndef f(n):\n    sink(f'SELECT * FROM {TABLE} LIMIT {int(n)}')\n")
            .is_empty()
    );
}

#[test]
fn constness_and_literal_parts() {
    let src = "const base = 'SELECT * FROM t';\nfunction f(x) { const q = base + ' WHERE id = ' + x; sink(q); }";
    let mut p = tree_sitter::Parser::new();
    p.set_language(&Language::TypeScript.grammar())
        .expect("grammar");
    let tree = p.parse(src, None).expect("parse");
    let idx = Index::build(&tree, src, Language::TypeScript);
    let ident = |name: &str, nth: usize| {
        (0..idx.len() as NodeId)
            .map(|i| idx.node(i))
            .filter(|n| n.kind() == "identifier" && idx.text(*n) == name)
            .nth(nth)
            .expect("identifier")
    };
    let q = ident("q", 1);
    assert!(!is_constant(&idx, q, &NoPolicy));
    assert!(is_constant(&idx, ident("base", 1), &NoPolicy));
    assert_eq!(literal_parts(&idx, q), ["SELECT * FROM t", " WHERE id = "]);
}

#[test]
fn loop_variables_are_constant_only_over_constant_lists() {
    assert!(
        js("const T = ['a']; function f() { for (const t of T) sink(`DELETE FROM ${t}`); }")
            .is_empty()
    );
    assert!(js(
        "function f() { const ts = ['a', 'b']; for (const t of ts) sink(`DELETE FROM ${t}`); }"
    )
    .is_empty());
    assert_eq!(
        js("function f(ts) { for (const t of ts) sink(`DELETE FROM ${t}`); }"),
        ["t"]
    );
    // Keys of an object are not its values.
    assert_eq!(
        js("function f(q) { for (const k in q) sink(`DELETE FROM ${k}`); }"),
        ["k"]
    );
    // Python reuses the name: each use is judged by the loop around it.
    let src = "def f(req):\n    for t in ('a', 'b'):\n        pass\n    for t in req.tables:\n        sink(f'DELETE FROM {t}')\n";
    assert_eq!(py(src), ["t"]);
    let src = "def f(req):\n    for t in req.tables:\n        pass\n    for t in ('a', 'b'):\n        sink(f'DELETE FROM {t}')\n";
    assert!(py(src).is_empty());
}

#[test]
fn allow_lists_guard_member_expressions_too() {
    let src = "function f(opts) {\n  if (['WAL', 'DELETE'].indexOf(opts.mode) !== -1) {\n    sink(`PRAGMA journal_mode = ${opts.mode}`);\n  }\n}";
    assert!(js(src).is_empty());
    assert_eq!(
        js("function f(opts) { sink(`PRAGMA journal_mode = ${opts.mode}`); }"),
        ["opts.mode"]
    );
}
