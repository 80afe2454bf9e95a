//! "Is this call a database round trip?" — for rules about how queries run (N+1 queries,
//! queries in transactions, unbounded queries). Built only on the data-layer tables in
//! [`crate::knowledge::data_layer`]; no library is recognised here by ad-hoc string compares.
//!
//! Recognised, for a call node:
//! - raw SQL calls ([`raw_sql_call`]); name-matched generic ones need SQL-looking text;
//! - query methods of a library's handle (`LIBRARIES[*].queries`): Prisma delegates
//!   (`prisma.user.findMany`), TypeORM repositories and managers, SQLAlchemy sessions, PyMongo
//!   collections;
//! - ORM model statics on a model class (`User.findByPk`, `Order.find`, `Item.get_or_none`):
//!   a PascalCase name imported from a relative module, defined with `mongoose.model(…)`, or a
//!   member of `db`/`models`;
//! - query-builder chains: TypeORM `createQueryBuilder…getMany()`, knex/Drizzle chains on a
//!   handle when awaited, SQLAlchemy `session.query(…)…first()`, Django
//!   `Model.objects…get()` (and QuerySets iterated or materialised, see [`queryset_chain`]);
//! - active-record writes (`user.save()` with no arguments in a file that imports an ORM).
//!
//! Only the outermost call of a chain is classified, so a chain is one round trip.

use backlint_engine::{FileCtx, Language, Node};

use crate::knowledge::data_layer::{
    db_handle, raw_sql_call, DbLibrary, HandleMatch, Lang, QueryKind, QueryMethod,
    ACTIVE_RECORD_MODULES, BUILDER_ROOTS, DISTINCTIVE_MODEL_STATICS, DJANGO_EVALUATORS,
    JS_MODEL_STATICS, LIBRARIES, MATERIALISERS, MODEL_FIND_EITHER, MODEL_MODULE_WORDS,
    PY_MODEL_STATICS, QUERY_BUILDER_TERMINALS, SQLALCHEMY_SESSION_METHODS, SQLALCHEMY_TERMINALS,
};
use crate::knowledge::sql::looks_like_sql;

/// A call that runs a query.
#[derive(Debug, Clone)]
pub struct DbCall {
    /// The library, when the file shows it.
    pub library: Option<&'static DbLibrary>,
    pub kind: QueryKind,
    /// What runs, for messages: the callee as written (`prisma.orderItem.findMany`).
    pub what: String,
}

impl DbCall {
    /// How to batch it (help text).
    pub fn batched(&self) -> &'static str {
        self.library
            .map(|l| l.batched)
            .unwrap_or("load the rows for all items with one query (an `IN` list or a join) before the loop, and batch writes")
    }
}

fn lib(id: &str) -> Option<&'static DbLibrary> {
    LIBRARIES.iter().find(|l| l.id == id)
}

fn method_kind(library: &DbLibrary, method: &str) -> Option<QueryKind> {
    library
        .queries
        .iter()
        .find(|q| q.method == method)
        .map(|q| q.kind)
}

/// The callee text, whitespace collapsed (for messages).
fn callee_text(call: Node<'_>, ctx: &FileCtx<'_>) -> String {
    let f = call.child_by_field_name("function").unwrap_or(call);
    let text = ctx.text(f);
    let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.len() > 80 {
        // Long chains: name the last method only.
        format!("….{}", ctx.last_name(f).unwrap_or("query"))
    } else {
        collapsed
    }
}

/// Whether `call` is the outermost call of a method chain: not the object of a member access
/// that is itself called (`q.where(…)` in `q.where(…).first()`); a property read after it
/// (`get(pk=1).name`) does not continue the chain.
pub fn is_chain_outer(call: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    let Some(member) = ctx
        .parent_node(call)
        .filter(|p| matches!(p.kind(), "member_expression" | "attribute"))
    else {
        return true;
    };
    if member.child_by_field_name("object").map(|o| o.id()) != Some(call.id()) {
        return true;
    }
    let called = ctx.parent_node(member).is_some_and(|g| {
        matches!(g.kind(), "call_expression" | "call")
            && g.child_by_field_name("function").map(|f| f.id()) == Some(member.id())
    });
    !called
}

/// The calls of a method chain from the outermost inwards, and its base expression:
/// `knex('t').where(…).first()` → calls `[first(), where(…), knex('t')]`, base `knex`.
pub fn chain<'t>(call: Node<'t>) -> (Vec<Node<'t>>, Node<'t>) {
    let mut calls = Vec::new();
    let mut n = call;
    loop {
        match n.kind() {
            "call_expression" | "call" => {
                calls.push(n);
                match n.child_by_field_name("function") {
                    Some(f) => n = f,
                    None => return (calls, n),
                }
            }
            "member_expression" | "attribute" => match n.child_by_field_name("object") {
                Some(o) => n = o,
                None => return (calls, n),
            },
            "await_expression" | "await" | "parenthesized_expression" | "non_null_expression" => {
                match n.named_child(0) {
                    Some(c) => n = c,
                    None => return (calls, n),
                }
            }
            _ => return (calls, n),
        }
    }
}

/// The method a call calls (`where` for `q.where(…)`); `None` for a plain function call.
pub fn method_of<'t>(call: Node<'t>, ctx: &FileCtx<'t>) -> Option<&'t str> {
    let f = call.child_by_field_name("function")?;
    if matches!(f.kind(), "member_expression" | "attribute") {
        ctx.last_name(f)
    } else {
        None
    }
}

/// Whether a call is awaited where it stands (through parentheses and casts).
pub fn is_awaited(call: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    let mut n = call;
    while let Some(p) = ctx.parent_node(n) {
        match p.kind() {
            "await_expression" | "await" => return true,
            "parenthesized_expression" | "non_null_expression" | "as_expression" => n = p,
            _ => return false,
        }
    }
    false
}

/// Whether the file imports one of `modules` (or a submodule of one).
pub fn imports_any(ctx: &FileCtx<'_>, modules: &[&str]) -> bool {
    ctx.imports().iter().any(|i| {
        let m = i.module.as_str();
        let top = m.split(['/', '.']).next().unwrap_or(m);
        modules.contains(&m) || modules.contains(&top)
    })
}

/// A model class for `method`: a PascalCase name imported from a module of the project (for
/// generic method names, a module that looks like a models module), a class of this file, a
/// `mongoose.model(…)` / `sequelize.define(…)` result, or `db.User` / `models.User`.
pub fn is_model_class(receiver: Node<'_>, method: &str, ctx: &FileCtx<'_>) -> bool {
    let pascal = |s: &str| {
        s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && s.chars().any(|c| c.is_ascii_lowercase())
    };
    match receiver.kind() {
        "identifier" => {
            let name = ctx.text(receiver);
            if !pascal(name) {
                return false;
            }
            let Some(b) = ctx.resolve(receiver) else {
                return false;
            };
            let binding = ctx.binding(b);
            match binding.kind {
                backlint_engine::index::BindingKind::Import(i) => {
                    let module = &ctx.imports()[i as usize].module;
                    let model_module = crate::names::words(module)
                        .iter()
                        .any(|w| MODEL_MODULE_WORDS.contains(&w.as_str()));
                    DISTINCTIVE_MODEL_STATICS.contains(&method) || model_module
                }
                backlint_engine::index::BindingKind::Class => {
                    // A class of this file is a model when it extends one (`extends Model`,
                    // `class Order(Model)`, `BaseEntity`, `Document`).
                    ctx.parent_node(binding.node).is_some_and(|class| {
                        let mut c = class.walk();
                        let bases: Vec<&str> = class
                            .children(&mut c)
                            .filter(|n| matches!(n.kind(), "class_heritage" | "argument_list"))
                            .map(|n| ctx.text(n))
                            .collect();
                        bases.iter().any(|b| {
                            crate::names::words(b).iter().any(|w| {
                                matches!(w.as_str(), "model" | "entity" | "document" | "table")
                            })
                        })
                    })
                }
                _ => binding.value.is_some_and(|v| {
                    let (calls, _) = chain(v);
                    calls.iter().any(|c| {
                        matches!(method_of(*c, ctx), Some("model" | "define"))
                            || ctx.last_name(c.child_by_field_name("function").unwrap_or(*c))
                                == Some("model")
                    })
                }),
            }
        }
        "member_expression" | "attribute" => {
            let (Some(obj), Some(prop)) = (
                receiver.child_by_field_name("object"),
                ctx.last_name(receiver),
            ) else {
                return false;
            };
            pascal(prop)
                && obj.kind() == "identifier"
                && matches!(ctx.text(obj), "db" | "models" | "model" | "Models" | "orm")
        }
        _ => false,
    }
}

/// Whether `expr` is a Django QuerySet chain: calls and attributes down to a `.objects`
/// manager (`Order.objects.filter(…).exclude(…)`).
pub fn queryset_chain(expr: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    if ctx.language() != Some(Language::Python) {
        return false;
    }
    let mut n = expr;
    loop {
        let next = match n.kind() {
            "attribute" => {
                if ctx.last_name(n) == Some("objects") {
                    return true;
                }
                n.child_by_field_name("object")
            }
            "call" => n.child_by_field_name("function"),
            _ => None,
        };
        match next {
            Some(x) => n = x,
            None => return false,
        }
    }
}

/// Classifies a call: the outermost call of a chain; chain-level shapes are judged on the
/// whole chain, method-level ones on any call of it (`User.findById(id).lean()`,
/// `session.execute(stmt).scalar_one()`).
pub fn db_call(call: Node<'_>, ctx: &FileCtx<'_>) -> Option<DbCall> {
    if !is_chain_outer(call, ctx) {
        return None;
    }
    let lang = Lang::of(ctx.language()?);
    let (calls, base) = chain(call);
    let found = |c: Node<'_>, library: Option<&'static DbLibrary>, kind| {
        Some(DbCall {
            library,
            kind,
            what: callee_text(c, ctx),
        })
    };
    // Raw SQL.
    if let Some(raw) = raw_sql_call(call, ctx) {
        let sqlish = !raw.weak
            || raw
                .sql
                .iter()
                .any(|s| looks_like_sql(&backlint_engine::dataflow::literal_parts(ctx.index, *s)));
        if sqlish {
            return found(call, raw.library, QueryKind::Read);
        }
    }
    if let Some((library, kind)) = chain_query(call, &calls, base, lang, ctx) {
        return found(call, library, kind);
    }
    for c in &calls {
        if let Some((library, kind)) = method_query(*c, lang, ctx) {
            return found(*c, library, kind);
        }
    }
    // The project's own round-trip methods (`db-methods`).
    let configured = ctx
        .options()
        .list(crate::knowledge::data_layer::DB_METHODS_OPTION);
    if !configured.is_empty() {
        for c in &calls {
            let text = callee_text(*c, ctx);
            let method = text.rsplit('.').next().unwrap_or(&text);
            if configured.iter().any(|m| m == method) {
                return found(*c, None, QueryKind::Read);
            }
        }
    }
    None
}

/// Shapes judged on a whole chain (its outermost call is `call`).
fn chain_query<'t>(
    call: Node<'t>,
    calls: &[Node<'t>],
    base: Node<'t>,
    lang: Lang,
    ctx: &FileCtx<'t>,
) -> Option<(Option<&'static DbLibrary>, QueryKind)> {
    let method = method_of(call, ctx).unwrap_or("");
    let receiver = call
        .child_by_field_name("function")
        .and_then(|f| f.child_by_field_name("object"));
    match lang {
        Lang::Js => {
            // TypeORM query builder terminal.
            if QUERY_BUILDER_TERMINALS.contains(&method)
                && calls
                    .iter()
                    .any(|c| method_of(*c, ctx) == Some("createQueryBuilder"))
            {
                return Some((lib("typeorm"), QueryKind::Read));
            }
            if is_awaited(call, ctx) && calls.len() >= 2 {
                let root = *calls.last()?;
                // `knex('users')…`: the base is a handle called as a function.
                let root_fn = root.child_by_field_name("function");
                if root_fn.is_some_and(|f| f.id() == base.id())
                    && matches!(base.kind(), "identifier" | "member_expression")
                {
                    let library = match db_handle(base, ctx)? {
                        HandleMatch::Origin(l) => Some(l),
                        HandleMatch::Name => None,
                    };
                    if library.is_none_or(|l| l.id == "knex") {
                        return Some((library.or(lib("knex")), QueryKind::Read));
                    }
                }
                // `db.select()…`, `db.insert(t).values(…)`
                let root_method = method_of(root, ctx).unwrap_or("");
                let root_recv = root
                    .child_by_field_name("function")
                    .and_then(|f| f.child_by_field_name("object"));
                if BUILDER_ROOTS.contains(&root_method) {
                    if let Some(h) = root_recv.and_then(|r| db_handle(r, ctx)) {
                        let library = match h {
                            HandleMatch::Origin(l) => Some(l),
                            HandleMatch::Name => None,
                        };
                        let kind = if root_method == "select" {
                            QueryKind::Read
                        } else {
                            QueryKind::Write
                        };
                        return Some((library, kind));
                    }
                }
            }
            // `db.query.users.findFirst(…)` (Drizzle relational queries)
            if calls.len() == 1
                && matches!(method, "findFirst" | "findMany")
                && base.kind() == "identifier"
                && ctx
                    .text(call.child_by_field_name("function")?)
                    .contains(".query.")
                && db_handle(base, ctx).is_some()
            {
                return Some((lib("drizzle"), QueryKind::Read));
            }
            // better-sqlite3 statements: `db.prepare(sql).get(x)`, `stmt.all()`.
            if matches!(method, "get" | "all" | "run" | "iterate") {
                let r = receiver?;
                let stmt = match r.kind() {
                    "call_expression" => Some(r),
                    "identifier" => ctx.const_value(r).filter(|v| v.kind() == "call_expression"),
                    _ => None,
                }?;
                if method_of(stmt, ctx) == Some("prepare") {
                    let h = stmt
                        .child_by_field_name("function")
                        .and_then(|f| f.child_by_field_name("object"));
                    if h.and_then(|h| db_handle(h, ctx)).is_some() {
                        let kind = if method == "run" {
                            QueryKind::Write
                        } else {
                            QueryKind::Read
                        };
                        return Some((lib("better-sqlite3"), kind));
                    }
                }
            }
            None
        }
        Lang::Py => {
            // Django: an evaluating method on a QuerySet, or a QuerySet that is iterated by
            // a loop or materialised (`list(qs)`, `len(qs)`).
            if let Some(r) = receiver {
                if DJANGO_EVALUATORS.contains(&method) && queryset_chain(r, ctx) {
                    let write = matches!(
                        method,
                        "create"
                            | "update"
                            | "delete"
                            | "bulk_create"
                            | "bulk_update"
                            | "get_or_create"
                            | "update_or_create"
                    );
                    return Some((
                        lib("django"),
                        if write {
                            QueryKind::Write
                        } else {
                            QueryKind::Read
                        },
                    ));
                }
            }
            if queryset_chain(call, ctx) && queryset_evaluated(call, ctx) {
                return Some((lib("django"), QueryKind::Read));
            }
            // SQLAlchemy `session.query(X)….first()`
            if SQLALCHEMY_TERMINALS.contains(&method) {
                let q = calls
                    .iter()
                    .skip(1)
                    .find(|c| method_of(**c, ctx) == Some("query"))?;
                let r = q
                    .child_by_field_name("function")
                    .and_then(|f| f.child_by_field_name("object"));
                if r.and_then(|r| db_handle(r, ctx)).is_some() {
                    return Some((lib("sqlalchemy"), QueryKind::Read));
                }
            }
            None
        }
    }
}

/// Whether a QuerySet expression is run where it stands: iterated by a `for` or a
/// comprehension clause, or passed to `list()`, `len()`…
fn queryset_evaluated(expr: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    let Some(parent) = ctx.parent_node(expr) else {
        return false;
    };
    match parent.kind() {
        "for_statement" | "for_in_clause" => {
            parent.child_by_field_name("right").map(|r| r.id()) == Some(expr.id())
        }
        "argument_list" => ctx
            .parent_node(parent)
            .and_then(|c| c.child_by_field_name("function"))
            .is_some_and(|f| f.kind() == "identifier" && MATERIALISERS.contains(&ctx.text(f))),
        _ => false,
    }
}

/// Shapes judged on one call of a chain.
fn method_query(
    call: Node<'_>,
    lang: Lang,
    ctx: &FileCtx<'_>,
) -> Option<(Option<&'static DbLibrary>, QueryKind)> {
    let method = method_of(call, ctx)?;
    let callee = call.child_by_field_name("function")?;
    let receiver = callee.child_by_field_name("object")?;
    match lang {
        Lang::Js => {
            if let Some((library, q)) = query_method_call(call, ctx) {
                return Some((library, q.kind));
            }
            // Model statics outside the tables (`increment`, `max`…).
            if JS_MODEL_STATICS.contains(&method) && is_model_class(receiver, method, ctx) {
                let read =
                    method.starts_with("find") || method.starts_with("count") || method == "exists";
                return Some((
                    model_library(ctx),
                    if read {
                        QueryKind::Read
                    } else {
                        QueryKind::Write
                    },
                ));
            }
            // Active-record writes.
            if method == "save"
                && positional_args(call) == 0
                && imports_any(ctx, ACTIVE_RECORD_MODULES)
            {
                return Some((None, QueryKind::Write));
            }
            None
        }
        Lang::Py => {
            // SQLAlchemy session methods.
            if SQLALCHEMY_SESSION_METHODS.contains(&method) {
                let session_like = match db_handle(receiver, ctx) {
                    Some(HandleMatch::Origin(l)) => l.id == "sqlalchemy",
                    Some(HandleMatch::Name) => ctx
                        .last_name(receiver)
                        .is_some_and(|n| n.contains("session")),
                    None => false,
                };
                if session_like {
                    return Some((lib("sqlalchemy"), QueryKind::Read));
                }
            }
            // PyMongo collections: distinctive method names.
            if let Some(kind) = lib("pymongo").and_then(|l| method_kind(l, method)) {
                return Some((lib("pymongo"), kind));
            }
            // Peewee / Tortoise model statics.
            if PY_MODEL_STATICS.contains(&method) && is_model_class(receiver, method, ctx) {
                return Some((
                    None,
                    if method == "create" {
                        QueryKind::Write
                    } else {
                        QueryKind::Read
                    },
                ));
            }
            // Active-record writes: `obj.save()`, `obj.delete()`.
            if matches!(method, "save" | "delete")
                && positional_args(call) == 0
                && imports_any(ctx, ACTIVE_RECORD_MODULES)
                && !matches!(ctx.text(receiver), "self" | "super()")
            {
                let library = if imports_any(ctx, &["django"]) {
                    lib("django")
                } else {
                    None
                };
                return Some((library, QueryKind::Write));
            }
            None
        }
    }
}

fn entry(library: &'static DbLibrary, method: &str) -> Option<&'static QueryMethod> {
    library.queries.iter().find(|q| q.method == method)
}

/// The ORM a file's model classes belong to, by its imports.
fn model_library(ctx: &FileCtx<'_>) -> Option<&'static DbLibrary> {
    ["mongoose", "sequelize", "typeorm"]
        .into_iter()
        .find(|m| imports_any(ctx, &[m]))
        .and_then(lib)
}

/// A JS/TS call of a query method from a library's table, with its entry: a Prisma delegate
/// (`prisma.user.findMany`), Drizzle's relational API (`db.query.users.findMany`), a TypeORM
/// repository or entity manager (`this.users.find`, `manager.find(User, …)`), or a model
/// static (`User.findAll`, `Order.find`).
pub fn query_method_call(
    call: Node<'_>,
    ctx: &FileCtx<'_>,
) -> Option<(Option<&'static DbLibrary>, &'static QueryMethod)> {
    if !ctx.language()?.is_js_like() {
        return None;
    }
    let method = method_of(call, ctx)?;
    let callee = call.child_by_field_name("function")?;
    let receiver = callee.child_by_field_name("object")?;
    // Drizzle relational queries: `<handle>.query.<table>.<method>(…)`.
    if receiver.kind() == "member_expression" {
        let query = receiver.child_by_field_name("object")?;
        if query.kind() == "member_expression" && ctx.last_name(query) == Some("query") {
            let handle = query.child_by_field_name("object")?;
            if let Some(q) = lib("drizzle").and_then(|l| entry(l, method)) {
                if db_handle(handle, ctx).is_some() {
                    return Some((lib("drizzle"), q));
                }
            }
        }
    }
    // Prisma delegate: `<handle>.<model>.<method>(…)`.
    if let Some(q) = lib("prisma").and_then(|l| entry(l, method)) {
        if receiver.kind() == "member_expression" {
            let handle = receiver.child_by_field_name("object")?;
            let prisma = match db_handle(handle, ctx) {
                Some(HandleMatch::Origin(l)) => l.id == "prisma",
                Some(HandleMatch::Name) => true,
                None => false,
            };
            if prisma {
                return Some((lib("prisma"), q));
            }
        }
    }
    // TypeORM repository / manager methods.
    if let Some(q) = lib("typeorm").and_then(|l| entry(l, method)) {
        let receiver_name = ctx.last_name(receiver).unwrap_or("");
        let w = crate::names::words(receiver_name);
        // `manager`, `entityManager`, `transactionManager` — not `workflowManager`.
        let entity_manager = w.last().is_some_and(|l| l == "manager")
            && (w.len() == 1
                || matches!(
                    w[w.len() - 2].as_str(),
                    "entity" | "transaction" | "transactional" | "em"
                ));
        let repo_like = w
            .iter()
            .any(|x| matches!(x.as_str(), "repository" | "repo"))
            || entity_manager
            || matches!(db_handle(receiver, ctx), Some(HandleMatch::Origin(l)) if l.id == "typeorm")
            || (receiver.kind() == "call_expression"
                && method_of(receiver, ctx) == Some("getRepository"));
        if repo_like {
            return Some((lib("typeorm"), q));
        }
    }
    // Model statics (Sequelize, Mongoose, TypeORM BaseEntity).
    if JS_MODEL_STATICS.contains(&method) && is_model_class(receiver, method, ctx) {
        let library = model_library(ctx);
        let q = match library {
            Some(l) => entry(l, method),
            None if method == "find" => Some(&MODEL_FIND_EITHER),
            None => ["sequelize", "mongoose", "typeorm"]
                .into_iter()
                .filter_map(lib)
                .find_map(|l| entry(l, method)),
        }?;
        return Some((library, q));
    }
    None
}

/// Positional arguments of a call (keyword arguments such as `update_fields=` do not count).
fn positional_args(call: Node<'_>) -> usize {
    call.child_by_field_name("arguments")
        .map(|a| {
            let mut c = a.walk();
            a.named_children(&mut c)
                .filter(|n| !matches!(n.kind(), "comment" | "keyword_argument"))
                .count()
        })
        .unwrap_or(0)
}
