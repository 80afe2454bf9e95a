//! `unbounded-query`: list queries with no limit.
//!
//! A list query is found by shape, from the data-layer tables:
//! - option-limited calls (Prisma `findMany`, TypeORM `find`/`findBy`, Sequelize `findAll`,
//!   Drizzle `db.query.x.findMany`, Mongoose `Model.find`): [`query_method_call`];
//! - builder chains run where they stand (TypeORM `createQueryBuilder…getMany()`, knex and
//!   Drizzle chains on a handle, SQLAlchemy `session.query(…)…all()` and
//!   `session.scalars(select(…)).all()`);
//! - Django QuerySets evaluated whole (iterated, materialised, serialised with `many=True`,
//!   sent in a response), directly or through a local;
//! - DRF list views and Django `ListView`s without pagination (DRF's default comes from the
//!   project's settings, so those are judged in the project pass);
//! - constant raw `SELECT` text with no `LIMIT`, sent to a driver whose rows are all loaded.
//!
//! It is bounded by a limit anywhere in its options, chain or builder variable, by an
//! aggregate, a lookup by key, streaming, or slicing; an argument or builder that escapes to
//! code we cannot see is given the benefit of the doubt. A finding is escalated (warning →
//! error) when the rows flow into an HTTP response of a route handler ([`crate::knowledge::http`]).

use std::collections::HashSet;

use backlint_engine::dataflow::literal_parts;
use backlint_engine::index::{BindingId, BindingKind};
use backlint_engine::{
    FileCtx, Language, Location, Node, NodeId, Project, ProjectSink, Rule, Sink,
};

use crate::knowledge::data_layer::{
    db_handle, is_key_field, is_list_method, is_offline_script_path, is_schema_sized_name,
    query_entry, raw_sql_call, DbLibrary, HandleMatch, Lang, Limit, AGGREGATE_METHODS,
    BUILDER_WRITE_METHODS, CALLABLE_BUILDER_NAMES, DJANGO_LIST_VIEW_BASES, LIBRARIES,
    LIMITING_METHODS, LIST_VIEW_BASES, MATERIALISERS, QUERYSET_REFINERS, SERIALIZER_SUFFIXES,
    STREAMING_METHODS,
};
use crate::knowledge::http::{
    class_bases, class_methods, is_response_body_target, response_body, returns_response,
};
use crate::knowledge::secrets::is_test_path;
use crate::knowledge::sql::is_unbounded_select;
use crate::models::db_calls::{
    chain, is_awaited, is_chain_outer, is_model_class, method_of, query_method_call, queryset_chain,
};

pub struct UnboundedQuery;

impl UnboundedQuery {
    pub const ID: &'static str = "unbounded-query";
}

const GENERIC_HELP: &str = "add a limit with a maximum page size (`LIMIT`, `take`, `.limit()`) and paginate (offset or, better, cursor/keyset pagination); in jobs, stream or walk the table in batches";

const DJANGO_HELP: &str = "slice the QuerySet (`qs[:100]`) or paginate it (`Paginator`, a DRF `pagination_class`); in jobs, stream it with `.iterator(chunk_size=2000)`";

const DRF_HELP: &str = "set `pagination_class` on the view (e.g. `LimitOffsetPagination` with a `max_limit`), or `DEFAULT_PAGINATION_CLASS` and `PAGE_SIZE` in `REST_FRAMEWORK`";

/// How deep derived locals are followed (`users` → `dtos` → `body`).
const TAINT_ROUNDS: usize = 4;

/// A DRF list view with no `pagination_class`: unbounded only if the project's settings set
/// no default pagination class.
#[derive(Debug)]
pub struct UnpaginatedDrfView {
    pub location: Location,
    pub view: String,
    pub fingerprint: String,
}

/// A Django settings module's `REST_FRAMEWORK`, and whether it paginates by default.
#[derive(Debug)]
pub struct DrfSettings {
    pub default_pagination: bool,
}

impl Rule for UnboundedQuery {
    fn id(&self) -> &'static str {
        Self::ID
    }

    fn options(&self) -> &'static [backlint_engine::OptionSpec] {
        &[crate::knowledge::data_layer::DB_RECEIVERS_SPEC]
    }

    fn kinds(&self, lang: Language) -> &'static [&'static str] {
        match lang {
            Language::Python => &["call", "class_definition"],
            _ => lang.call_kinds(),
        }
    }

    fn applies(&self, file: &FileCtx<'_>) -> bool {
        // Tests load fixtures; migrations run once, offline.
        !is_test_path(file.path) && !is_offline_script_path(file.path)
    }

    fn check(&self, id: NodeId, ctx: &FileCtx<'_>, sink: &mut Sink) {
        let node = ctx.node(id);
        let Some(lang) = ctx.language() else { return };
        let found = match node.kind() {
            "class_definition" => {
                check_view_class(node, ctx, sink);
                None
            }
            _ if lang.is_js_like() => js_query(node, ctx),
            _ => py_query(node, ctx),
        };
        let Some(f) = found else { return };
        // `const [owner] = await …`, `rows[0]`: the code expects one row.
        if single_row_use(f.result, f.raw, ctx) {
            return;
        }
        // `ContentType.objects.all()`, `prisma.migration.findMany()`: as many rows as the
        // schema has.
        let callee = f
            .report
            .child_by_field_name("function")
            .map(|c| ctx.text(c))
            .unwrap_or("");
        if is_schema_sized_name(callee.split(['(', '\n']).next().unwrap_or(callee)) {
            return;
        }
        let to_response = f.to_response || flows_to_response(f.result, ctx);
        let goes = if to_response {
            "its rows are sent in the HTTP response"
        } else {
            "every matching row is loaded into memory"
        };
        let report = sink.report(f.report, format!("`{}` has no limit: {goes}", f.what));
        report.help(f.help);
        if to_response {
            report.escalate();
        }
    }

    fn check_file(&self, ctx: &FileCtx<'_>, sink: &mut Sink) {
        if ctx.language() == Some(Language::Python) && ctx.source().contains("REST_FRAMEWORK") {
            if let Some(s) = drf_settings(ctx) {
                sink.fact(s);
            }
        }
    }

    /// A pre-commit run on `views.py` still reads the settings module's `REST_FRAMEWORK`.
    fn context_words(&self) -> Option<&'static [&'static str]> {
        Some(&["REST_FRAMEWORK"])
    }

    fn check_project(&self, project: &Project<'_>, sink: &mut ProjectSink) {
        let mut settings = project.facts::<DrfSettings>().peekable();
        // With no settings in the scan, the default pagination is unknown: say nothing.
        if settings.peek().is_none() {
            return;
        }
        if settings.any(|(_, s)| s.default_pagination) {
            return;
        }
        for (_, v) in project.facts::<UnpaginatedDrfView>() {
            sink.report(
                v.location.clone(),
                format!(
                    "`{}` lists its QuerySet with no pagination (no `pagination_class`, and `REST_FRAMEWORK` sets no `DEFAULT_PAGINATION_CLASS`): every row is sent in the HTTP response",
                    v.view
                ),
                v.fingerprint.clone(),
            )
            .help(DRF_HELP)
            .escalate();
        }
    }
}

/// Whether the rows of a query are only read as one: destructured into at most two names
/// (`const [owner] = await …`), or a local read only at index 0 (`rows[0]`,
/// `const { rows } = …; rows[0]`). Such a query is expected to match one row.
fn single_row_use(result: Node<'_>, raw: bool, ctx: &FileCtx<'_>) -> bool {
    let root = value_root(result, ctx);
    let Some(parent) = ctx.parent_node(root) else {
        return false;
    };
    if matches!(parent.kind(), "subscript_expression" | "subscript") {
        return index_zero(parent, ctx);
    }
    let pattern = parent
        .child_by_field_name("name")
        .filter(|_| parent.kind() == "variable_declarator");
    let mut rows = None;
    if let Some(name) = pattern.filter(|n| n.kind() == "array_pattern") {
        let mut c = name.walk();
        let items: Vec<Node<'_>> = name.named_children(&mut c).collect();
        if !raw {
            return items.len() <= 2 && items.iter().all(|i| i.kind() != "rest_pattern");
        }
        // mysql2's `const [rows, fields] = await conn.query(…)`: the rows come first.
        rows = items
            .first()
            .filter(|i| i.kind() == "identifier")
            .and_then(|i| ctx.resolve(*i));
    }
    // `const { rows } = await pool.query(…)`: the destructured rows.
    let rows = rows.or_else(|| {
        let name = pattern.filter(|n| n.kind() == "object_pattern")?;
        let mut c = name.walk();
        let found = name.named_children(&mut c).find(|p| {
            p.kind() == "shorthand_property_identifier_pattern" && ctx.text(*p) == "rows"
        });
        found.and_then(|r| ctx.resolve(r))
    });
    let Some(b) = assigned_binding(root, ctx).or(rows) else {
        return false;
    };
    let mut used = false;
    for n in ctx.references(b) {
        if n.start_byte() < root.end_byte() {
            continue;
        }
        used = true;
        let at_zero = ctx.parent_node(n).is_some_and(|p| {
            matches!(p.kind(), "subscript_expression" | "subscript")
                && p.named_child(0).map(|o| o.id()) == Some(n.id())
                && index_zero(p, ctx)
        });
        if !at_zero {
            return false;
        }
    }
    used
}

fn index_zero(subscript: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    subscript
        .child_by_field_name("index")
        .or_else(|| subscript.child_by_field_name("subscript"))
        .is_some_and(|i| ctx.text(i) == "0")
}

/// A list query found unbounded.
struct Found<'t> {
    /// Where to report.
    report: Node<'t>,
    /// The expression holding its rows (followed to a response).
    result: Node<'t>,
    what: String,
    help: &'static str,
    /// Already known to be sent in a response.
    to_response: bool,
    /// A raw driver call (whose result may be a `[rows, fields]` tuple).
    raw: bool,
}

impl<'t> Found<'t> {
    fn new(report: Node<'t>, result: Node<'t>, what: String, help: &'static str) -> Self {
        Found {
            report,
            result,
            what,
            help,
            to_response: false,
            raw: false,
        }
    }
}

/// The callee as written (`prisma.user.findMany()`); a long chain is named by its base and
/// its last call (`Order.objects….values()`).
fn callee_text(call: Node<'_>, ctx: &FileCtx<'_>) -> String {
    let f = call.child_by_field_name("function").unwrap_or(call);
    let text: String = ctx.text(f).split_whitespace().collect::<Vec<_>>().join(" ");
    if text.len() <= 60 {
        return format!("{text}()");
    }
    let last = ctx.last_name(f).unwrap_or("query");
    let (_, base) = chain(call);
    let head = ctx.text(base);
    if head.len() <= 30 && !head.contains('\n') {
        format!("{head}….{last}()")
    } else {
        format!("….{last}()")
    }
}

fn library_help(library: Option<&'static DbLibrary>) -> &'static str {
    match library.map(|l| l.id) {
        Some("prisma") => "add `take` with a maximum page size (and `skip` or `cursor` for the next pages); in jobs, walk the table in batches with `cursor` + `take`",
        Some("typeorm") => "add `take` (and `skip`) with a maximum page size, or `.take()`/`.limit()` on the query builder; in jobs, stream with `.stream()` or walk in batches",
        Some("sequelize") => "add `limit` (and `offset`) with a maximum page size; in jobs, walk the table in batches",
        Some("mongoose") => "add `.limit()` with a maximum page size (and a range or `_id` cursor for the next pages); in jobs, stream with `.cursor()`",
        Some("knex") => "add `.limit()` with a maximum page size (and `.offset()` or a keyset `where` for the next pages); in jobs, use `.stream()`",
        Some("drizzle") => "add `.limit()` (relational API: `limit`) with a maximum page size; in jobs, walk the table in batches",
        Some("sqlalchemy") => "add `.limit()` with a maximum page size (`.offset()` or keyset pagination for the next pages); in jobs, stream with `.yield_per(1000)`",
        _ => GENERIC_HELP,
    }
}

fn args_of<'t>(call: Node<'t>) -> Vec<Node<'t>> {
    let Some(args) = call.child_by_field_name("arguments") else {
        return Vec::new();
    };
    let mut c = args.walk();
    args.named_children(&mut c)
        .filter(|n| n.kind() != "comment")
        .collect()
}

fn keyword_value<'t>(call: Node<'t>, name: &str, ctx: &FileCtx<'t>) -> Option<Node<'t>> {
    args_of(call).into_iter().find_map(|a| {
        (a.kind() == "keyword_argument"
            && a.child_by_field_name("name").map(|n| ctx.text(n)) == Some(name))
        .then(|| a.child_by_field_name("value"))
        .flatten()
    })
}

/// Strips `await`, parentheses and casts upwards: the expression that holds the value.
fn value_root<'t>(mut n: Node<'t>, ctx: &FileCtx<'t>) -> Node<'t> {
    while let Some(p) = ctx.parent_node(n) {
        match p.kind() {
            "await_expression"
            | "await"
            | "parenthesized_expression"
            | "non_null_expression"
            | "as_expression"
            | "satisfies_expression" => n = p,
            _ => break,
        }
    }
    n
}

// ---------------------------------------------------------------------------------------
// Options objects (Prisma, TypeORM, Sequelize, Mongoose)
// ---------------------------------------------------------------------------------------

/// What an options argument says about the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    /// A limit, an aggregate, a key lookup, streaming: bounded.
    Bounded,
    /// Built where we cannot see: say nothing.
    Opaque,
    /// Nothing bounds it.
    Unbounded,
}

fn key_name<'t>(pair: Node<'t>, ctx: &FileCtx<'t>) -> Option<&'t str> {
    let key = pair.child_by_field_name("key")?;
    Some(ctx.string_value(key).unwrap_or_else(|| ctx.text(key)))
}

/// An object literal, through `const` bindings.
fn object_of<'t>(n: Node<'t>, ctx: &FileCtx<'t>) -> Option<Node<'t>> {
    match n.kind() {
        "object" => Some(n),
        "identifier" => ctx.const_value(n).filter(|v| v.kind() == "object"),
        "parenthesized_expression" | "as_expression" | "satisfies_expression" => {
            object_of(n.named_child(0)?, ctx)
        }
        _ => None,
    }
}

/// Whether a filter object selects by key or by a list the caller holds: `{ id }`,
/// `{ _id: … }`, `{ orderId: { in: orderIds } }`, `{ sku: { $in: skus } }`.
fn object_has_key_filter(obj: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    let mut c = obj.walk();
    let found = obj.named_children(&mut c).any(|p| match p.kind() {
        "pair" => {
            key_name(p, ctx).is_some_and(is_key_field)
                || p.child_by_field_name("value")
                    .is_some_and(|v| in_list_value(v, ctx))
        }
        "shorthand_property_identifier" => is_key_field(ctx.text(p)),
        _ => false,
    });
    found
}

/// `{ in: ids }`, `{ $in: ids }`, `{ [Op.in]: ids }`, `In(ids)`: a list the caller holds (its
/// size bounds the rows: the batched form of a per-item query). A literal list of constants
/// (`{ in: ['open', 'paid'] }`) bounds nothing.
fn in_list_value(v: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    match v.kind() {
        "object" => {
            let mut c = v.walk();
            let found = v.named_children(&mut c).any(|p| {
                p.kind() == "pair"
                    && matches!(
                        ctx.text(p.child_by_field_name("key").unwrap_or(p))
                            .trim_matches(|c| c == '\'' || c == '"'),
                        "in" | "$in" | "[Op.in]"
                    )
                    && p.child_by_field_name("value")
                        .is_some_and(|x| is_held_list(x))
            });
            found
        }
        "call_expression" => {
            // `In(ids)`, or compiled: `(0, typeorm_1.In)(ids)`.
            v.child_by_field_name("function").is_some_and(|f| {
                let t = ctx.text(f).trim_end_matches(')');
                t == "In" || t.ends_with(".In")
            }) && args_of(v).first().is_some_and(|a| is_held_list(*a))
        }
        _ => false,
    }
}

/// A list operand that is not a literal: `ids`, `orders.map((o) => o.id)`, `[...ids]`.
fn is_held_list(n: Node<'_>) -> bool {
    match n.kind() {
        "array" | "list" | "tuple" | "set" => {
            let mut c = n.walk();
            let spread = n
                .named_children(&mut c)
                .any(|x| matches!(x.kind(), "spread_element" | "list_splat"));
            spread
        }
        "string" | "number" | "integer" | "true" | "false" | "null" | "none" => false,
        _ => true,
    }
}

/// Judges the arguments of an option-limited query.
fn options_bound(call: Node<'_>, limit: &Limit, ctx: &FileCtx<'_>) -> Bound {
    let mut bound = Bound::Unbounded;
    for arg in args_of(call) {
        match arg.kind() {
            "string" | "template_string" | "null" | "undefined" | "array" => continue,
            _ => {}
        }
        // `manager.find(User, …)`: the entity class is not an options object.
        if arg.kind() == "identifier" && is_class_name(arg, ctx) {
            continue;
        }
        let Some(obj) = object_of(arg, ctx) else {
            return Bound::Opaque;
        };
        let mut c = obj.walk();
        for p in obj.named_children(&mut c) {
            match p.kind() {
                "spread_element" => return Bound::Opaque,
                "pair" | "shorthand_property_identifier" => {
                    let key = if p.kind() == "pair" {
                        key_name(p, ctx).unwrap_or("")
                    } else {
                        ctx.text(p)
                    };
                    if limit.keys.contains(&key) {
                        bound = Bound::Bounded;
                    }
                    if is_key_field(key)
                        || (p.kind() == "pair"
                            && p.child_by_field_name("value")
                                .is_some_and(|v| in_list_value(v, ctx)))
                    {
                        bound = Bound::Bounded;
                    }
                    if key == "where" {
                        match p
                            .child_by_field_name("value")
                            .and_then(|v| object_of(v, ctx))
                        {
                            Some(w) if object_has_key_filter(w, ctx) => bound = Bound::Bounded,
                            Some(_) => {}
                            // `where: buildWhere(q)` or `where` from elsewhere: the filter is
                            // unknown, but the limit is not; keep looking.
                            None => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }
    bound
}

/// A PascalCase name bound to an import or a class (an entity passed to an entity manager).
fn is_class_name(ident: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    let name = ctx.text(ident);
    if !name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
        return false;
    }
    matches!(
        ctx.resolve(ident).map(|b| ctx.binding(b).kind),
        Some(BindingKind::Import(_) | BindingKind::Class) | None
    )
}

// ---------------------------------------------------------------------------------------
// Chains and builder variables
// ---------------------------------------------------------------------------------------

/// Whether any call of a chain bounds it (limit, streaming, aggregate, key lookup).
fn chain_bound(calls: &[Node<'_>], extra: &[&str], ctx: &FileCtx<'_>) -> bool {
    calls.iter().any(|c| {
        let m = method_of(*c, ctx).unwrap_or("");
        extra.contains(&m)
            || LIMITING_METHODS.contains(&m)
            || STREAMING_METHODS.contains(&m)
            || AGGREGATE_METHODS.contains(&m)
            || matches!(
                m,
                "whereInIds" | "andWhereInIds" | "orWhereInIds" | "none" | "in_bulk"
            )
            || key_filter_call(*c, m, ctx)
    })
}

/// `.where({ id })`, `.where('users.id', id)`, `.whereIn('id', ids)`,
/// `.where(eq(users.id, id))`, `.where('u.id = :id', { id })`, `.filter(pk=…)`,
/// `.filter_by(id=…)`, `.filter(User.id == x)`, `.where(User.id.in_(ids))`.
fn key_filter_call(call: Node<'_>, method: &str, ctx: &FileCtx<'_>) -> bool {
    if !matches!(
        method,
        "where"
            | "andWhere"
            | "whereIn"
            | "andWhereIn"
            | "filter"
            | "filter_by"
            | "find"
            | "findBy"
    ) {
        return false;
    }
    let args = args_of(call);
    let Some(first) = args.first() else {
        return false;
    };
    // `.whereIn('order_id', orderIds)`: one batch for the caller's list.
    if matches!(method, "whereIn" | "andWhereIn") && args.get(1).is_some_and(|a| is_held_list(*a)) {
        return true;
    }
    match first.kind() {
        "object" => object_has_key_filter(*first, ctx),
        "string" => ctx
            .string_value(*first)
            .is_some_and(|s| is_key_field(s) || crate::knowledge::sql::is_key_condition(s)),
        "call_expression" => key_expression(*first, ctx),
        "keyword_argument" | "comparison_operator" | "call" => {
            args.iter().any(|a| match a.kind() {
                "keyword_argument" => {
                    let name = a
                        .child_by_field_name("name")
                        .map(|n| ctx.text(n))
                        .unwrap_or("");
                    is_key_field(name)
                        || (name.ends_with("__in")
                            && a.child_by_field_name("value").is_some_and(is_held_list))
                }
                _ => key_expression(*a, ctx),
            })
        }
        _ => false,
    }
}

/// `eq(users.id, x)`, `inArray(t.id, ids)`, `and(eq(t.id, x), …)`, `User.id == x`,
/// `User.id.in_(ids)`.
fn key_expression(e: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    match e.kind() {
        "comparison_operator" => {
            let left = e.named_child(0);
            let op = e.child(1).map(|o| ctx.text(o));
            op == Some("==")
                && left
                    .and_then(|l| ctx.last_name(l))
                    .is_some_and(is_key_field)
        }
        "call_expression" | "call" => {
            let Some(f) = e.child_by_field_name("function") else {
                return false;
            };
            let name = ctx.last_name(f).unwrap_or("");
            match name {
                "eq" => args_of(e)
                    .first()
                    .and_then(|a| ctx.last_name(*a))
                    .is_some_and(is_key_field),
                "inArray" => args_of(e).get(1).is_some_and(|a| is_held_list(*a)),
                "and" | "and_" => args_of(e).iter().any(|a| key_expression(*a, ctx)),
                "in_" => args_of(e).first().is_some_and(|a| is_held_list(*a)),
                _ => false,
            }
        }
        _ => false,
    }
}

/// How a builder kept in a local is used in its function.
#[derive(Default)]
struct Uses {
    bounded: bool,
    opaque: bool,
    awaited: bool,
}

/// The uses of a local holding a builder (knex, TypeORM, Mongoose, SQLAlchemy `select`):
/// bounded if any chain on it limits it (`qb.take(10)`, `stmt = stmt.limit(10)`), opaque if it
/// is handed to other code (`paginate(qb)`), awaited if it runs where it stands.
fn builder_uses(binding: BindingId, ctx: &FileCtx<'_>, skip: Option<Node<'_>>) -> Uses {
    let mut uses = Uses::default();
    for n in ctx.references(binding) {
        if skip.is_some_and(|s| contains(s, n)) {
            continue;
        }
        // `{ qb }`: handed on inside an object.
        if n.kind() == "shorthand_property_identifier" {
            uses.opaque = true;
            continue;
        }
        // The chain this use starts: `qb.where(…).take(10)`.
        let mut outer = n;
        let mut calls = Vec::new();
        while let Some(p) = ctx.parent_node(outer) {
            match p.kind() {
                "member_expression" | "attribute"
                    if p.child_by_field_name("object").map(|o| o.id()) == Some(outer.id()) =>
                {
                    match ctx.parent_node(p) {
                        Some(g)
                            if matches!(g.kind(), "call_expression" | "call")
                                && g.child_by_field_name("function").map(|f| f.id())
                                    == Some(p.id()) =>
                        {
                            calls.push(g);
                            outer = g;
                        }
                        _ => break,
                    }
                }
                _ => break,
            }
        }
        if chain_bound(&calls, &[], ctx) {
            uses.bounded = true;
        }
        let Some(parent) = ctx.parent_node(outer) else {
            continue;
        };
        match parent.kind() {
            "await_expression" | "await" => uses.awaited = true,
            "arguments" | "argument_list" if calls.is_empty() => uses.opaque = true,
            "return_statement" if calls.is_empty() => uses.opaque = true,
            "pair" | "array" | "list" | "dictionary" => uses.opaque = true,
            _ => {}
        }
        if calls
            .iter()
            .any(|c| matches!(method_of(*c, ctx), Some("then" | "exec")))
        {
            uses.awaited = true;
        }
    }
    uses
}

/// The local a value is assigned to (`const qb = …`, `qb = …`, Python `qs = …`).
fn assigned_binding(value: Node<'_>, ctx: &FileCtx<'_>) -> Option<BindingId> {
    let root = value_root(value, ctx);
    let parent = ctx.parent_node(root)?;
    let target = match parent.kind() {
        "variable_declarator" => parent.child_by_field_name("name")?,
        "assignment_expression" | "assignment" => parent.child_by_field_name("left")?,
        _ => return None,
    };
    if parent
        .child_by_field_name("value")
        .or_else(|| parent.child_by_field_name("right"))
        .map(|v| v.id())
        != Some(root.id())
    {
        return None;
    }
    (target.kind() == "identifier")
        .then(|| ctx.resolve(target))
        .flatten()
}

/// Whether a builder chain runs where it stands: awaited, `.then`/`.exec`-ed, returned from an
/// async function, or kept in a local that is awaited later.
fn runs_here(outer: Node<'_>, ctx: &FileCtx<'_>) -> Option<Uses> {
    if is_awaited(outer, ctx) {
        return Some(Uses::default());
    }
    let root = value_root(outer, ctx);
    if let Some(p) = ctx.parent_node(root) {
        if p.kind() == "return_statement" || is_arrow_body(root, ctx) {
            let async_fn = ctx
                .id_of(root)
                .and_then(|id| ctx.enclosing_function(id))
                .map(|f| ctx.node(f))
                .is_some_and(|f| ctx.text(f).starts_with("async"));
            return async_fn.then(Uses::default);
        }
        if p.kind() == "for_in_statement" && ctx.text(p).starts_with("for await") {
            return None;
        }
    }
    let b = assigned_binding(outer, ctx)?;
    let uses = builder_uses(b, ctx, None);
    uses.awaited.then_some(uses)
}

fn is_arrow_body(n: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    ctx.parent_node(n).is_some_and(|p| {
        p.kind() == "arrow_function"
            && p.child_by_field_name("body").map(|b| b.id()) == Some(n.id())
    })
}

// ---------------------------------------------------------------------------------------
// JavaScript / TypeScript
// ---------------------------------------------------------------------------------------

fn js_query<'t>(call: Node<'t>, ctx: &FileCtx<'t>) -> Option<Found<'t>> {
    if let Some(f) = js_option_query(call, ctx) {
        return Some(f);
    }
    if let Some(f) = js_builder_query(call, ctx) {
        return Some(f);
    }
    raw_select(call, ctx)
}

/// Prisma, TypeORM find, Sequelize findAll, Drizzle relational findMany, Mongoose find.
fn js_option_query<'t>(call: Node<'t>, ctx: &FileCtx<'t>) -> Option<Found<'t>> {
    // Most calls are no list query: decide by the method name before the receiver.
    if !is_list_method(Lang::Js, method_of(call, ctx)?) {
        return None;
    }
    let (library, q) = query_method_call(call, ctx)?;
    if !q.list {
        return None;
    }
    if AGGREGATE_METHODS.contains(&q.method) {
        return None;
    }
    if options_bound(call, &q.limit, ctx) != Bound::Unbounded {
        return None;
    }
    let what = callee_text(call, ctx);
    // Chain-limited (Mongoose): `.limit()` on the chain or the kept query, and only once run.
    let mut outer = call;
    if !q.limit.methods.is_empty() {
        while !is_chain_outer(outer, ctx) {
            let member = ctx.parent_node(outer)?;
            outer = ctx.parent_node(member)?;
        }
        let (calls, _) = chain(outer);
        if chain_bound(&calls, q.limit.methods, ctx) {
            return None;
        }
        if calls.iter().any(|c| method_of(*c, ctx) == Some("cursor")) {
            return None;
        }
        let uses = runs_here(outer, ctx)?;
        if uses.bounded || uses.opaque {
            return None;
        }
    }
    Some(Found::new(call, outer, what, library_help(library)))
}

/// TypeORM query builders, knex and Drizzle chains.
fn js_builder_query<'t>(call: Node<'t>, ctx: &FileCtx<'t>) -> Option<Found<'t>> {
    if !is_chain_outer(call, ctx) {
        return None;
    }
    let method = method_of(call, ctx);
    let (calls, base) = chain(call);
    // TypeORM: `…createQueryBuilder(…)….getMany()` or `qb.getMany()`.
    if matches!(method, Some("getMany" | "getRawMany" | "getManyAndCount")) {
        let inline = calls
            .iter()
            .any(|c| method_of(*c, ctx) == Some("createQueryBuilder"));
        let kept = (base.kind() == "identifier")
            .then(|| ctx.resolve(base))
            .flatten()
            .filter(|b| {
                ctx.binding(*b).value.is_some_and(|v| {
                    chain(v)
                        .0
                        .iter()
                        .any(|c| method_of(*c, ctx) == Some("createQueryBuilder"))
                })
            });
        if !inline && kept.is_none() {
            return None;
        }
        if chain_bound(&calls, &[], ctx) {
            return None;
        }
        if let Some(b) = kept {
            let value = ctx.binding(b).value?;
            if chain_bound(&chain(value).0, &[], ctx) {
                return None;
            }
            let uses = builder_uses(b, ctx, Some(call));
            if uses.bounded || uses.opaque {
                return None;
            }
        }
        let library = LIBRARIES.iter().find(|l| l.id == "typeorm");
        return Some(Found::new(
            call,
            call,
            callee_text(call, ctx),
            library_help(library),
        ));
    }
    // knex / Drizzle: a chain rooted at a handle, reading.
    let root = *calls.last()?;
    let root_fn = root.child_by_field_name("function")?;
    let root_method = method_of(root, ctx);
    let called_handle = !matches!(
        root_method,
        Some("select" | "from" | "selectDistinct" | "table" | "queryBuilder")
    );
    let handle = if called_handle {
        // `knex('users')…`, `this.knex('users')…`
        matches!(root_fn.kind(), "identifier" | "member_expression").then_some(root_fn)?
    } else {
        root_fn.child_by_field_name("object")?
    };
    // A handle called with a table name is a knex instance (`knex('users')`, `trx('items')`),
    // not any method of something named like a database (`manager.transaction('SERIALIZABLE')`).
    if called_handle
        && !ctx
            .last_name(handle)
            .is_some_and(|n| CALLABLE_BUILDER_NAMES.contains(&n.trim_start_matches('_')))
        && !(crate::models::db_calls::imports_any(ctx, &["knex"])
            && matches!(db_handle(handle, ctx), Some(HandleMatch::Origin(l)) if l.id == "knex"))
    {
        return None;
    }
    let library = match db_handle(handle, ctx)? {
        HandleMatch::Origin(l) if matches!(l.id, "knex" | "drizzle") => Some(l),
        HandleMatch::Origin(_) => return None,
        HandleMatch::Name => None,
    };
    // A Drizzle `select` needs its `from`; a knex root call needs a table name.
    if called_handle {
        let table = args_of(root).first().and_then(|a| ctx.string_value(*a));
        table?;
    }
    let methods: Vec<&str> = calls
        .iter()
        .filter(|c| !called_handle || c.id() != root.id())
        .filter_map(|c| method_of(*c, ctx))
        .collect();
    if methods.iter().any(|m| BUILDER_WRITE_METHODS.contains(m)) {
        return None;
    }
    if methods.iter().any(|m| {
        matches!(
            *m,
            "raw"
                | "schema"
                | "columnInfo"
                | "toSQL"
                | "toString"
                | "toQuery"
                | "prepare"
                | "$dynamic"
                | "as"
                | "clone"
        )
    }) {
        return None;
    }
    if chain_bound(&calls, &[], ctx) {
        return None;
    }
    // Drizzle: an aggregate-only select list (`select({ n: count() })`).
    if calls
        .iter()
        .any(|c| method_of(*c, ctx) == Some("select") && select_is_aggregate(*c, ctx))
    {
        return None;
    }
    let uses = runs_here(call, ctx)?;
    if uses.bounded || uses.opaque {
        return None;
    }
    let library = library.or_else(|| {
        let id = if crate::models::db_calls::imports_any(ctx, &["drizzle-orm"]) {
            "drizzle"
        } else {
            "knex"
        };
        LIBRARIES.iter().find(|l| l.id == id)
    });
    Some(Found::new(
        call,
        call,
        chain_text(root, call, ctx),
        library_help(library),
    ))
}

/// `knex('orders')….pluck()`: a builder chain named by its root and its last call.
fn chain_text(root: Node<'_>, outer: Node<'_>, ctx: &FileCtx<'_>) -> String {
    let text: String = ctx
        .text(root)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" .", ".");
    let head = if text.len() > 40 {
        callee_text(root, ctx)
    } else {
        text
    };
    match method_of(outer, ctx) {
        Some(m) if outer.id() != root.id() => format!("{head}….{m}()"),
        _ => head,
    }
}

/// `db.select({ total: count() })`, `knex.select(knex.raw('count(*) AS n'))`: a select list
/// of aggregates only.
fn select_is_aggregate(select: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    let args = args_of(select);
    let items: Vec<Node<'_>> = match args.first().and_then(|a| object_of(*a, ctx)) {
        Some(obj) => {
            let mut c = obj.walk();
            let values: Vec<Node<'_>> = obj
                .named_children(&mut c)
                .filter_map(|p| p.child_by_field_name("value"))
                .collect();
            values
        }
        None => args,
    };
    !items.is_empty()
        && items.iter().all(|v| {
            let name = match v.kind() {
                "call_expression" => v
                    .child_by_field_name("function")
                    .and_then(|f| ctx.last_name(f))
                    .unwrap_or(""),
                _ => "",
            };
            let text = ctx.text(*v).to_ascii_lowercase();
            AGGREGATE_METHODS.contains(&name)
                || crate::knowledge::sql::AGGREGATE_FUNCTIONS.contains(&name)
                || crate::knowledge::sql::AGGREGATE_FUNCTIONS
                    .iter()
                    .any(|a| text.contains(&format!("{a}(")))
        })
}

// ---------------------------------------------------------------------------------------
// Raw SQL
// ---------------------------------------------------------------------------------------

/// A constant `SELECT` with no limit, sent to a call that loads all its rows.
fn raw_select<'t>(call: Node<'t>, ctx: &FileCtx<'t>) -> Option<Found<'t>> {
    let (sql, library, method) = if let Some(t) = tagged_query(call, ctx) {
        (t, LIBRARIES.iter().find(|l| l.id == "prisma"), "$queryRaw")
    } else {
        let raw = raw_sql_call(call, ctx)?;
        let expr = *raw.sql.first()?;
        let expr = match expr.kind() {
            // `session.execute(text("…"))`
            "call" => {
                let inner = raw_sql_call(expr, ctx)?;
                *inner.sql.first()?
            }
            _ => expr,
        };
        (fixed_text(expr, ctx, 0)?, raw.library, raw.method)
    };
    if !is_unbounded_select(&sql) {
        return None;
    }
    // A call for one row or value (`fetchrow`, `fetchval`) is bounded.
    let lang = Lang::of(ctx.language()?);
    if query_entry(lang, library, method).is_some_and(|q| !q.list) {
        return None;
    }
    // Which calls load every row.
    let loads_all = match method {
        // better-sqlite3: the statement's `.all()`.
        "prepare" => prepared_all(call, ctx),
        "execute" if ctx.language() == Some(Language::Python) => fetched_all(call, ctx),
        "executemany" | "executescript" | "exec" | "SQL" | "text" | "literal" | "raw"
            if library.is_none_or(|l| l.id != "knex") =>
        {
            false
        }
        "read_sql" | "read_sql_query" => keyword_value(call, "chunksize", ctx).is_none(),
        _ => true,
    };
    if !loads_all {
        return None;
    }
    let what = callee_text(call, ctx);
    Some(Found {
        raw: true,
        ..Found::new(
        call,
        call,
        what,
        "add `LIMIT` with a maximum page size (and keyset pagination, `WHERE id > $last ORDER BY id`, for the next pages); in jobs, stream the rows with a server-side cursor or `fetchmany()`",
    )
    })
}

/// Text written out in full: a literal, a template or f-string with no substitutions, a
/// concatenation of those, or a `const` holding one. A splice, even of a constant chosen at
/// run time (`${paging}`), may hold the `LIMIT`.
fn fixed_text(expr: Node<'_>, ctx: &FileCtx<'_>, depth: u32) -> Option<String> {
    if depth > 4 {
        return None;
    }
    match expr.kind() {
        "string" | "template_string" => {
            let mut c = expr.walk();
            let spliced = expr
                .named_children(&mut c)
                .any(|n| matches!(n.kind(), "template_substitution" | "interpolation"));
            if spliced {
                return None;
            }
            Some(literal_parts(ctx.index, expr).join(""))
        }
        "concatenated_string" | "binary_expression" | "binary_operator" => {
            if expr.kind() != "concatenated_string"
                && expr.child_by_field_name("operator").map(|o| ctx.text(o)) != Some("+")
            {
                return None;
            }
            let mut c = expr.walk();
            let parts: Vec<Node<'_>> = expr
                .named_children(&mut c)
                .filter(|n| n.kind() != "comment")
                .collect();
            let mut out = String::new();
            for p in parts {
                out.push_str(&fixed_text(p, ctx, depth + 1)?);
            }
            Some(out)
        }
        "parenthesized_expression" => fixed_text(expr.named_child(0)?, ctx, depth + 1),
        "identifier" => fixed_text(ctx.const_value(expr)?, ctx, depth + 1),
        _ => None,
    }
}

/// The SQL of a tagged-template query: ``prisma.$queryRaw`SELECT …` `` (its substitutions
/// are parameters).
fn tagged_query(call: Node<'_>, ctx: &FileCtx<'_>) -> Option<String> {
    let f = call.child_by_field_name("function")?;
    let args = call.child_by_field_name("arguments")?;
    if args.kind() != "template_string" || ctx.last_name(f) != Some("$queryRaw") {
        return None;
    }
    let mut out = String::new();
    let mut c = args.walk();
    for part in args.named_children(&mut c) {
        match part.kind() {
            "string_fragment" => out.push_str(ctx.text(part)),
            _ => out.push_str(" $1 "),
        }
    }
    Some(out)
}

/// `db.prepare(sql).all()`, or a kept statement's `stmt.all()`.
fn prepared_all(prepare: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    if let Some(member) = ctx
        .parent_node(prepare)
        .filter(|p| p.kind() == "member_expression")
    {
        return ctx.last_name(member) == Some("all");
    }
    let Some(b) = assigned_binding(prepare, ctx) else {
        return false;
    };
    ctx.references(b).into_iter().any(|n| {
        ctx.parent_node(n).is_some_and(|m| {
            m.kind() == "member_expression"
                && m.child_by_field_name("object").map(|o| o.id()) == Some(n.id())
                && ctx.last_name(m) == Some("all")
        })
    })
}

/// A Python `execute` whose rows are all read: `.fetchall()`/`.all()` on it, or on its cursor
/// or result later in the function, or the cursor iterated.
fn fetched_all(execute: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    const WHOLE: &[&str] = &["fetchall", "all"];
    // `cur.execute(…).fetchall()`, `session.execute(text(…)).mappings().all()`
    let mut outer = execute;
    while !is_chain_outer(outer, ctx) {
        let Some(g) = ctx.parent_node(outer).and_then(|m| ctx.parent_node(m)) else {
            break;
        };
        outer = g;
    }
    let (calls, _) = chain(outer);
    if calls
        .iter()
        .any(|c| method_of(*c, ctx).is_some_and(|m| WHOLE.contains(&m)))
    {
        return true;
    }
    // The cursor (`cur.execute(…)` then `cur.fetchall()`) or the result (`rows = …`).
    let cursor = execute
        .child_by_field_name("function")
        .and_then(|f| f.child_by_field_name("object"))
        .filter(|o| o.kind() == "identifier");
    let holders: Vec<BindingId> = cursor
        .and_then(|c| ctx.resolve(c))
        .into_iter()
        .chain(assigned_binding(outer, ctx))
        .collect();
    let Some(func) = ctx.id_of(execute).and_then(|id| ctx.enclosing_function(id)) else {
        return false;
    };
    (func..ctx.subtree_end(func)).any(|id| {
        let n = ctx.node(id);
        if n.start_byte() < execute.end_byte() || n.kind() != "identifier" {
            return false;
        }
        let Some(b) = ctx.resolve(n) else {
            return false;
        };
        if !holders.contains(&b) {
            return false;
        }
        let parent = ctx.parent_node(n);
        match parent.map(|p| p.kind()) {
            Some("attribute") => parent
                .and_then(|p| ctx.last_name(p))
                .is_some_and(|m| WHOLE.contains(&m)),
            Some("for_statement") => true,
            _ => false,
        }
    })
}

// ---------------------------------------------------------------------------------------
// Python
// ---------------------------------------------------------------------------------------

fn py_query<'t>(call: Node<'t>, ctx: &FileCtx<'t>) -> Option<Found<'t>> {
    if let Some(f) = django_query(call, ctx) {
        return Some(f);
    }
    if let Some(f) = sqlalchemy_query(call, ctx) {
        return Some(f);
    }
    raw_select(call, ctx)
}

/// How a QuerySet expression is used where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    /// Every row is loaded here (iterated, materialised, serialised).
    Whole { response: bool },
    /// Sliced, streamed or paginated.
    Bounded,
    /// Handed to code we cannot see.
    Opaque,
    /// Counted, checked, or refined and run elsewhere.
    Neutral,
}

/// The outermost expression of a QuerySet chain that only refines `expr`
/// (`qs.filter(…).values('id')`), and whether a non-refining method ends it.
fn climb_refiners<'t>(expr: Node<'t>, ctx: &FileCtx<'t>) -> (Node<'t>, Option<&'t str>) {
    let mut outer = expr;
    loop {
        let Some(attr) = ctx.parent_node(outer).filter(|p| {
            p.kind() == "attribute"
                && p.child_by_field_name("object").map(|o| o.id()) == Some(outer.id())
        }) else {
            return (outer, None);
        };
        let Some(call) = ctx.parent_node(attr).filter(|g| {
            g.kind() == "call"
                && g.child_by_field_name("function").map(|f| f.id()) == Some(attr.id())
        }) else {
            return (outer, ctx.last_name(attr));
        };
        let m = ctx.last_name(attr).unwrap_or("");
        if QUERYSET_REFINERS.contains(&m) {
            if key_filter_call(call, m, ctx) || m == "none" {
                return (call, Some("none"));
            }
            outer = call;
        } else {
            return (call, Some(m));
        }
    }
}

/// How a QuerySet expression (the outermost of its refining chain) is used.
fn queryset_use(expr: Node<'_>, depth: u32, ctx: &FileCtx<'_>) -> Use {
    let (outer, ended) = climb_refiners(expr, ctx);
    if let Some(m) = ended {
        return if STREAMING_METHODS.contains(&m) || matches!(m, "none" | "in_bulk") {
            Use::Bounded
        } else {
            Use::Neutral
        };
    }
    let Some(parent) = ctx.parent_node(outer) else {
        return Use::Neutral;
    };
    match parent.kind() {
        "for_statement" | "for_in_clause"
            if parent.child_by_field_name("right").map(|r| r.id()) == Some(outer.id()) =>
        {
            Use::Whole { response: false }
        }
        "subscript" => Use::Bounded,
        "argument_list" | "keyword_argument" => {
            let call = if parent.kind() == "keyword_argument" {
                ctx.parent_node(parent).and_then(|a| ctx.parent_node(a))
            } else {
                ctx.parent_node(parent)
            };
            let Some(call) = call else { return Use::Opaque };
            let Some(f) = call.child_by_field_name("function") else {
                return Use::Opaque;
            };
            let name = ctx.last_name(f).unwrap_or("");
            if response_body(call, ctx).is_some_and(|b| b.iter().any(|a| contains(*a, outer))) {
                return Use::Whole { response: true };
            }
            if f.kind() == "identifier" && MATERIALISERS.contains(&name) {
                // `list(qs)` is whole where it stands; follow it to a response.
                return Use::Whole {
                    response: flows_to_response(call, ctx),
                };
            }
            if SERIALIZER_SUFFIXES.iter().any(|s| name.ends_with(s))
                && keyword_value(call, "many", ctx).is_some_and(|v| ctx.text(v) == "True")
            {
                return Use::Whole {
                    response: flows_to_response(call, ctx),
                };
            }
            Use::Opaque
        }
        "return_statement" => {
            let func = ctx
                .id_of(parent)
                .and_then(|id| ctx.enclosing_function(id))
                .map(|f| ctx.node(f));
            if func.is_some_and(|f| returns_response(f, ctx) && !is_queryset_hook(f, ctx)) {
                Use::Whole { response: true }
            } else {
                Use::Opaque
            }
        }
        "assignment" if depth < 2 => {
            let Some(b) = assigned_binding(outer, ctx) else {
                return Use::Opaque;
            };
            binding_use(b, outer, depth + 1, ctx)
        }
        "list" | "tuple" | "dictionary" | "pair" | "set" | "conditional_expression" => Use::Opaque,
        _ => Use::Neutral,
    }
}

/// `get_queryset`, `get_object`: hooks whose return value the framework paginates or reads.
fn is_queryset_hook(func: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    func.child_by_field_name("name")
        .is_some_and(|n| ctx.text(n).starts_with("get_"))
}

/// Combines the uses of a local holding a QuerySet (`qs = …; for x in qs`).
fn binding_use(b: BindingId, value: Node<'_>, depth: u32, ctx: &FileCtx<'_>) -> Use {
    let binding = ctx.binding(b);
    // A class attribute or a module-level QuerySet is read elsewhere.
    if !matches!(
        ctx.scopes()[binding.scope as usize].kind,
        backlint_engine::index::ScopeKind::Function
    ) {
        return Use::Opaque;
    }
    let mut result = Use::Neutral;
    for n in ctx.references(b) {
        if n.start_byte() < value.end_byte() {
            continue;
        }
        // The target of a later assignment: `qs = qs.filter(…)` reads `qs` on the right.
        let parent = ctx.parent_node(n);
        if parent.is_some_and(|p| {
            p.kind() == "assignment"
                && p.child_by_field_name("left").map(|l| l.id()) == Some(n.id())
        }) {
            continue;
        }
        // `qs = qs.filter(…)`: a refinement of the same local.
        let (outer, ended) = climb_refiners(n, ctx);
        if ended.is_none() && assigned_binding(outer, ctx) == Some(b) {
            continue;
        }
        match queryset_use(n, depth, ctx) {
            Use::Bounded => return Use::Bounded,
            Use::Opaque => return Use::Opaque,
            Use::Whole { response } => {
                result = match result {
                    Use::Whole { response: r } => Use::Whole {
                        response: r || response,
                    },
                    _ => Use::Whole { response },
                }
            }
            Use::Neutral => {}
        }
    }
    result
}

/// A Django QuerySet evaluated whole.
fn django_query<'t>(call: Node<'t>, ctx: &FileCtx<'t>) -> Option<Found<'t>> {
    let m = method_of(call, ctx)?;
    if !QUERYSET_REFINERS.contains(&m) || !queryset_chain(call, ctx) {
        return None;
    }
    // Only the outermost refining call of a chain; a chain that ends in another method
    // (`.count()`, `.get()`) is judged there.
    let (outer, ended) = climb_refiners(call, ctx);
    if outer.id() != call.id() || ended.is_some() {
        return None;
    }
    let (calls, _) = chain(call);
    if chain_bound(&calls, &[], ctx) {
        return None;
    }
    // Inside a model manager or the QuerySet class itself, `self.all()` is the API.
    match queryset_use(call, 0, ctx) {
        Use::Whole { response } => {
            let mut f = Found::new(call, call, queryset_text(call, ctx), DJANGO_HELP);
            f.to_response = response;
            Some(f)
        }
        _ => None,
    }
}

fn queryset_text(call: Node<'_>, ctx: &FileCtx<'_>) -> String {
    let text: String = ctx
        .text(call)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if text.len() > 60 {
        callee_text(call, ctx)
    } else {
        text
    }
}

/// SQLAlchemy: `session.query(X)….all()`, `X.query….all()`, `session.scalars(select(X)).all()`,
/// `session.execute(stmt).scalars().all()`.
fn sqlalchemy_query<'t>(call: Node<'t>, ctx: &FileCtx<'t>) -> Option<Found<'t>> {
    if !matches!(method_of(call, ctx), Some("all" | "fetchall")) || !is_chain_outer(call, ctx) {
        return None;
    }
    let (calls, base) = chain(call);
    let library = LIBRARIES.iter().find(|l| l.id == "sqlalchemy");
    let help = library_help(library);
    // Legacy Query API.
    let query_call = calls
        .iter()
        .skip(1)
        .find(|c| method_of(**c, ctx) == Some("query"));
    let legacy = match query_call {
        Some(q) => q
            .child_by_field_name("function")
            .and_then(|f| f.child_by_field_name("object"))
            .is_some_and(|r| session_like(r, ctx)),
        // Flask-SQLAlchemy: `User.query.filter_by(…).all()`.
        None => model_query_attribute(base, ctx),
    };
    if legacy {
        if chain_bound(&calls[1..], &[], ctx) {
            return None;
        }
        return Some(Found::new(call, call, callee_text(call, ctx), help));
    }
    // 2.0 style: the statement given to `scalars`/`execute`.
    let run = calls.iter().skip(1).find(|c| {
        matches!(method_of(**c, ctx), Some("scalars" | "execute"))
            && c.child_by_field_name("function")
                .and_then(|f| f.child_by_field_name("object"))
                .is_some_and(|r| session_like(r, ctx))
    })?;
    if chain_bound(&calls[1..], &[], ctx) {
        return None;
    }
    let stmt = *args_of(*run).first()?;
    if !select_unbounded(stmt, ctx) {
        return None;
    }
    Some(Found::new(call, call, callee_text(call, ctx), help))
}

/// A session or connection (`session`, `db.session`, `self.session`, a `Session(…)` handle).
fn session_like(r: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    match db_handle(r, ctx) {
        Some(HandleMatch::Origin(l)) => l.id == "sqlalchemy",
        Some(HandleMatch::Name) => {
            ctx.last_name(r).is_some_and(|n| {
                let n = n.to_ascii_lowercase();
                n.contains("session") || n == "db" || n.contains("conn")
            }) || ctx.text(r).ends_with(".session")
        }
        None => ctx.text(r).ends_with(".session"),
    }
}

/// `User.query` on a model class (Flask-SQLAlchemy).
fn model_query_attribute(base: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    let Some(attr) = ctx.parent_node(base).filter(|p| p.kind() == "attribute") else {
        return false;
    };
    ctx.last_name(attr) == Some("query")
        && base.kind() == "identifier"
        && is_model_class(base, "get", ctx)
        && (crate::models::db_calls::imports_any(
            ctx,
            &["flask_sqlalchemy", "sqlalchemy", "sqlmodel"],
        ) || model_from_models_module(base, ctx))
}

fn model_from_models_module(base: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    ctx.resolve(base).is_some_and(|b| {
        matches!(ctx.binding(b).kind, BindingKind::Import(i)
            if crate::names::words(&ctx.imports()[i as usize].module).iter().any(|w| w == "models" || w == "model"))
    })
}

/// Whether a statement is a `select(…)` chain (inline, or every assignment of a local) with
/// no limit, not handed elsewhere.
fn select_unbounded(stmt: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    let is_select = |v: Node<'_>| {
        let (calls, _) = chain(v);
        let root = calls.last().copied();
        let selects = root
            .and_then(|r| r.child_by_field_name("function"))
            .and_then(|f| ctx.last_name(f))
            .is_some_and(|n| n == "select");
        selects && !chain_bound(&calls, &[], ctx)
    };
    match stmt.kind() {
        "call" => is_select(stmt),
        "identifier" => {
            let Some(b) = ctx.resolve(stmt) else {
                return false;
            };
            let binding = ctx.binding(b);
            let Some(v) = binding.value else { return false };
            if !is_select(v) {
                return false;
            }
            // `stmt = stmt.where(…)` refines it; `stmt = stmt.limit(n)` bounds it; anything
            // else assigned is another statement.
            let refines = |v: Node<'_>| {
                let (calls, base) = chain(v);
                base.kind() == "identifier"
                    && ctx.resolve(base) == Some(b)
                    && !chain_bound(&calls, &[], ctx)
            };
            if ctx
                .assignments_of(b)
                .any(|a| !is_select(a.value) && !refines(a.value))
            {
                return false;
            }
            let uses = builder_uses(b, ctx, None);
            !uses.bounded && !opaque_stmt(b, ctx)
        }
        _ => false,
    }
}

/// A statement local passed to anything but `execute`/`scalars`.
fn opaque_stmt(b: BindingId, ctx: &FileCtx<'_>) -> bool {
    ctx.references(b).into_iter().any(|n| {
        let Some(args) = ctx.parent_node(n).filter(|p| p.kind() == "argument_list") else {
            return false;
        };
        let callee = ctx
            .parent_node(args)
            .and_then(|c| c.child_by_field_name("function"))
            .and_then(|f| ctx.last_name(f));
        !matches!(callee, Some("execute" | "scalars" | "scalar"))
    })
}

// ---------------------------------------------------------------------------------------
// Views (DRF, Django ListView)
// ---------------------------------------------------------------------------------------

/// The class-body assignments of a Python class: `name = value`.
fn class_attributes<'t>(class: Node<'t>, ctx: &FileCtx<'t>) -> Vec<(&'t str, Node<'t>, Node<'t>)> {
    let Some(body) = class.child_by_field_name("body") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut c = body.walk();
    for stmt in body.named_children(&mut c) {
        if stmt.kind() != "expression_statement" {
            continue;
        }
        let Some(a) = stmt.named_child(0).filter(|a| a.kind() == "assignment") else {
            continue;
        };
        let (Some(l), Some(r)) = (
            a.child_by_field_name("left"),
            a.child_by_field_name("right"),
        ) else {
            continue;
        };
        if l.kind() == "identifier" {
            out.push((ctx.text(l), r, a));
        }
    }
    out
}

/// A QuerySet chain with nothing bounding it (`Order.objects.filter(…)`).
fn unbounded_queryset(value: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    if value.kind() != "call" || !queryset_chain(value, ctx) {
        return false;
    }
    let (calls, _) = chain(value);
    calls
        .iter()
        .all(|c| method_of(*c, ctx).is_some_and(|m| QUERYSET_REFINERS.contains(&m)))
        && !chain_bound(&calls, &[], ctx)
}

fn check_view_class(class: Node<'_>, ctx: &FileCtx<'_>, sink: &mut Sink) {
    let bases = class_bases(class, ctx);
    // A project's own `PaginationMixin` sets `paginate_by` or a paginator for it.
    if bases
        .iter()
        .any(|b| b.to_ascii_lowercase().contains("paginat"))
    {
        return;
    }
    let drf = bases.iter().any(|b| LIST_VIEW_BASES.contains(b));
    let list_view = bases.iter().any(|b| DJANGO_LIST_VIEW_BASES.contains(b));
    if !drf && !list_view {
        return;
    }
    let attrs = class_attributes(class, ctx);
    let methods = class_methods(class, ctx);
    let attr = |name: &str| attrs.iter().find(|(n, _, _)| *n == name);
    let view = class
        .child_by_field_name("name")
        .map(|n| ctx.text(n))
        .unwrap_or("view");
    if drf {
        // An overridden `list` or paginator decides for itself.
        if methods
            .iter()
            .any(|m| matches!(*m, "list" | "paginate_queryset" | "get_paginated_response"))
        {
            return;
        }
        // `queryset = …`, or what `get_queryset` returns.
        let (qs, stmt) = match attr("queryset") {
            Some((_, v, stmt)) if unbounded_queryset(*v, ctx) => (*v, *stmt),
            Some(_) => return,
            None => match returned_queryset(class, ctx) {
                Some(v) => (v, v),
                None => return,
            },
        };
        let (qs, stmt) = (&qs, &stmt);
        match attr("pagination_class") {
            Some((_, v, _)) if ctx.text(*v) == "None" => {
                sink.report(
                    *stmt,
                    format!("`{view}` lists `{}` with pagination turned off (`pagination_class = None`): every row is sent in the HTTP response", queryset_text(*qs, ctx)),
                )
                .help(DRF_HELP)
                .escalate();
            }
            Some(_) => {}
            None => {
                let location = ctx.node_location(*stmt);
                sink.fact(UnpaginatedDrfView {
                    location,
                    view: view.to_string(),
                    fingerprint: ctx.fingerprint_text(stmt.start_byte(), stmt.end_byte()),
                });
            }
        }
        return;
    }
    // Django ListView: `paginate_by`.
    if attr("paginate_by").is_some_and(|(_, v, _)| ctx.text(*v) != "None")
        || methods.contains(&"get_paginate_by")
        || methods.contains(&"paginate_queryset")
    {
        return;
    }
    let target = match attr("queryset") {
        Some((_, v, stmt)) if unbounded_queryset(*v, ctx) => Some(*stmt),
        Some(_) => None,
        None if !methods.contains(&"get_queryset") => attr("model").map(|(_, _, s)| *s),
        None => None,
    };
    if let Some(stmt) = target {
        sink.report(
            stmt,
            format!("`{view}` is a `ListView` with no `paginate_by`: every row is rendered into the HTTP response"),
        )
        .help("set `paginate_by` on the view (and render the page links), or slice the QuerySet")
        .escalate();
    }
}

/// An unbounded QuerySet chain that a view's `get_queryset` returns.
fn returned_queryset<'t>(class: Node<'t>, ctx: &FileCtx<'t>) -> Option<Node<'t>> {
    let body = class.child_by_field_name("body")?;
    let mut c = body.walk();
    let method = body
        .named_children(&mut c)
        .map(|s| {
            if s.kind() == "decorated_definition" {
                s.child_by_field_name("definition").unwrap_or(s)
            } else {
                s
            }
        })
        .find(|d| {
            d.kind() == "function_definition"
                && d.child_by_field_name("name").map(|n| ctx.text(n)) == Some("get_queryset")
        })?;
    let id = ctx.id_of(method)?;
    (id..ctx.subtree_end(id)).find_map(|x| {
        let n = ctx.node(x);
        if n.kind() != "return_statement" || ctx.enclosing_function(x) != Some(id) {
            return None;
        }
        n.named_child(0).filter(|v| unbounded_queryset(*v, ctx))
    })
}

/// The `REST_FRAMEWORK` settings of a module, if it defines them.
fn drf_settings(ctx: &FileCtx<'_>) -> Option<DrfSettings> {
    let root = ctx.node(0);
    let mut c = root.walk();
    let mut found = None;
    for stmt in root.named_children(&mut c) {
        let Some(a) = stmt.named_child(0).filter(|a| a.kind() == "assignment") else {
            continue;
        };
        let Some(l) = a.child_by_field_name("left") else {
            continue;
        };
        let left = ctx.text(l);
        if left == "REST_FRAMEWORK" {
            let paginates = a.child_by_field_name("right").is_some_and(|d| {
                let mut c = d.walk();
                let paged = d.named_children(&mut c).any(|p| {
                    p.kind() == "pair"
                        && p.child_by_field_name("key")
                            .and_then(|k| ctx.string_value(k))
                            == Some("DEFAULT_PAGINATION_CLASS")
                        && p.child_by_field_name("value")
                            .is_some_and(|v| ctx.text(v) != "None")
                });
                paged || d.kind() != "dictionary"
            });
            found = Some(DrfSettings {
                default_pagination: paginates,
            });
        } else if left.starts_with("REST_FRAMEWORK[") && left.contains("DEFAULT_PAGINATION_CLASS") {
            found = Some(DrfSettings {
                default_pagination: true,
            });
        }
    }
    found
}

// ---------------------------------------------------------------------------------------
// Where the rows go
// ---------------------------------------------------------------------------------------

fn contains(outer: Node<'_>, inner: Node<'_>) -> bool {
    outer.start_byte() <= inner.start_byte() && inner.end_byte() <= outer.end_byte()
}

/// Whether the value of `expr` (a query call or the chain holding it) reaches an HTTP
/// response in its function: directly, or through locals derived from it.
fn flows_to_response(expr: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    let root = value_root(expr, ctx);
    let Some(func) = ctx.id_of(root).and_then(|id| ctx.enclosing_function(id)) else {
        return false;
    };
    let func_node = ctx.node(func);
    let end = ctx.subtree_end(func);
    let mut tainted: HashSet<BindingId> = HashSet::new();
    let holds = |n: Node<'_>, tainted: &HashSet<BindingId>| -> bool {
        if contains(n, root) {
            return true;
        }
        let Some(start) = ctx.id_of(n) else {
            return false;
        };
        (start..ctx.subtree_end(start)).any(|id| {
            let x = ctx.node(id);
            matches!(x.kind(), "identifier" | "shorthand_property_identifier")
                && ctx.resolve(x).is_some_and(|b| tainted.contains(&b))
        })
    };
    for _ in 0..TAINT_ROUNDS {
        let before = tainted.len();
        for id in func..end {
            let n = ctx.node(id);
            let (target, value) = match n.kind() {
                "variable_declarator" => (
                    n.child_by_field_name("name"),
                    n.child_by_field_name("value"),
                ),
                "assignment_expression" | "assignment" | "augmented_assignment" => (
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                ),
                _ => continue,
            };
            let (Some(target), Some(value)) = (target, value) else {
                continue;
            };
            if !holds(value, &tainted) {
                continue;
            }
            let tid = ctx.id_of(target).unwrap_or(id);
            for t in tid..ctx.subtree_end(tid) {
                let x = ctx.node(t);
                if matches!(
                    x.kind(),
                    "identifier" | "shorthand_property_identifier_pattern"
                ) {
                    if let Some(b) = ctx.resolve(x) {
                        tainted.insert(b);
                    }
                }
            }
        }
        if tainted.len() == before {
            break;
        }
    }
    let returns = returns_response(func_node, ctx);
    if returns && is_arrow_body(root, ctx) {
        return true;
    }
    for id in func..end {
        let n = ctx.node(id);
        match n.kind() {
            "call_expression" | "call" | "new_expression" => {
                if let Some(body) = response_body(n, ctx) {
                    if body.iter().any(|a| holds(*a, &tainted)) {
                        return true;
                    }
                }
            }
            "assignment_expression" => {
                let (Some(l), Some(r)) = (
                    n.child_by_field_name("left"),
                    n.child_by_field_name("right"),
                ) else {
                    continue;
                };
                if is_response_body_target(l, ctx) && holds(r, &tainted) {
                    return true;
                }
            }
            "return_statement"
                if returns
                    && ctx.enclosing_function(id) == Some(func)
                    && n.named_child(0).is_some_and(|v| holds(v, &tainted)) =>
            {
                return true;
            }
            _ => {}
        }
    }
    false
}
