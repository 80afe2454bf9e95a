//! `n-plus-one-query`: a database round trip once per iteration of a loop.

use backlint_engine::{FileCtx, Language, Node, NodeId, Rule, Sink};

use crate::knowledge::data_layer::{
    is_schema_sized_name, BATCHING_RECEIVER_WORDS, BATCH_METHODS, CONSUMING_METHODS,
    NOT_REPOSITORY_WORDS, REPOSITORY_METHOD_HEADS, REPOSITORY_RECEIVER_WORDS,
};
use crate::models::db_calls::{db_call, is_chain_outer, DbCall};
use crate::names::words;

pub struct NPlusOneQuery;

impl NPlusOneQuery {
    pub const ID: &'static str = "n-plus-one-query";
}

/// Array methods whose callback runs once per element.
const ITERATING_METHODS: &[&str] = &[
    "forEach",
    "map",
    "flatMap",
    "filter",
    "reduce",
    "reduceRight",
    "some",
    "every",
    "find",
    "findIndex",
    "findLast",
    "findLastIndex",
];
/// `Promise` combinators: the callbacks' queries run concurrently.
const CONCURRENT: &[&str] = &["all", "allSettled", "any", "race"];
/// A literal collection or numeric bound up to this size is a small constant.
const SMALL: usize = 10;

/// The loop a call runs in, once per iteration.
struct Iteration<'t> {
    /// What the related location points at (the iterable, the condition, the callee).
    header: Node<'t>,
    /// What is iterated, for the message.
    over: String,
    /// Inside `Promise.all(items.map(…))`.
    concurrent: bool,
}

/// What runs per iteration.
enum Found<'t> {
    Direct(DbCall),
    Repository(String),
    Indirect {
        callee: String,
        inner: Node<'t>,
        db: DbCall,
    },
}

impl Rule for NPlusOneQuery {
    fn id(&self) -> &'static str {
        Self::ID
    }

    fn options(&self) -> &'static [backlint_engine::OptionSpec] {
        &[
            crate::knowledge::data_layer::DB_RECEIVERS_SPEC,
            backlint_engine::OptionSpec {
                name: crate::knowledge::data_layer::DB_METHODS_OPTION,
                doc: "names of the project's own methods that make a database round trip (on any receiver), besides the ORM and driver methods",
                example: "[\"fetchOne\", \"runQuery\"]",
            },
        ]
    }

    fn kinds(&self, lang: Language) -> &'static [&'static str] {
        lang.call_kinds()
    }

    fn check(&self, id: NodeId, ctx: &FileCtx<'_>, sink: &mut Sink) {
        let call = ctx.node(id);
        if !is_chain_outer(call, ctx) {
            return;
        }
        let Some(it) = iteration(id, ctx) else { return };
        let found = if let Some(db) = db_call(call, ctx) {
            Found::Direct(db)
        } else if let Some(what) = repository_call(call, ctx) {
            Found::Repository(what)
        } else if let Some(found) = local_db_function(call, ctx) {
            found
        } else {
            return;
        };
        if batching_receiver(call, ctx) {
            return;
        }
        // Prisma batches `findUnique` calls made in the same tick into one query, so
        // `Promise.all(ids.map((id) => prisma.user.findUnique(…)))` is one round trip.
        if let Found::Direct(db) = &found {
            let prisma = db.library.is_some_and(|l| l.id == "prisma");
            if it.concurrent && prisma && db.what.ends_with(".findUnique") {
                return;
            }
        }
        let over = &it.over;
        let per = if it.concurrent {
            format!("once per item of `{over}` inside `Promise.all`: the N queries run concurrently but still cost N round trips and N pool connections")
        } else {
            format!("once per iteration of the loop over `{over}`: N+1 queries")
        };
        let (message, help, inner) = match &found {
            Found::Direct(db) => (format!("`{}` runs {per}", db.what), db.batched().to_string(), None),
            Found::Repository(what) => (
                format!("`{what}` loads data {per}"),
                "load the data for all items with one batch call before the loop (a `findByIds(ids)`-style method or an `IN` query), or batch with a DataLoader".to_string(),
                None,
            ),
            Found::Indirect { callee, inner, db } => (
                format!("`{callee}` queries the database (`{}`) {per}", db.what),
                db.batched().to_string(),
                Some(*inner),
            ),
        };
        let report = sink.report(call, message);
        report.help(help);
        report.related(it.header, format!("loop over `{over}` starts here"));
        if let Some(inner) = inner {
            report.related(inner, "this call queries the database");
        }
    }
}

fn short(text: &str) -> String {
    let t: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() > 40 {
        format!("{}…", t.chars().take(39).collect::<String>())
    } else {
        t
    }
}

/// The loop around `id` that runs it once per iteration, if any (loop bodies, iterating
/// callbacks, comprehension elements); loop headers run once and are skipped; loops over a
/// small literal collection or a small numeric bound do not count.
fn iteration<'t>(id: NodeId, ctx: &FileCtx<'t>) -> Option<Iteration<'t>> {
    let mut child = ctx.node(id);
    for a in ctx.ancestors(id) {
        let n = ctx.node(a);
        let body = n.child_by_field_name("body");
        let in_body = body.is_some_and(|b| b.id() == child.id());
        match n.kind() {
            "for_statement" | "for_in_statement" | "while_statement" | "do_statement"
                if in_body && !bounded_loop(n, ctx) && walks_collection(n, ctx) =>
            {
                let header = n
                    .child_by_field_name("right")
                    .or_else(|| n.child_by_field_name("condition"))
                    .unwrap_or(n);
                let over = match n.child_by_field_name("right") {
                    Some(r) => short(ctx.text(r)),
                    None => format!("{} loop", n.kind().trim_end_matches("_statement")),
                };
                return Some(Iteration {
                    header,
                    over,
                    concurrent: false,
                });
            }
            "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression" => {
                let first_clause = {
                    let mut c = n.walk();
                    let first = n
                        .named_children(&mut c)
                        .find(|x| x.kind() == "for_in_clause");
                    first
                };
                let per_item = in_body
                    || child.kind() == "if_clause"
                    || (child.kind() == "for_in_clause"
                        && first_clause.map(|f| f.id()) != Some(child.id()));
                if per_item {
                    if let Some(clause) = first_clause {
                        let iterable = clause.child_by_field_name("right");
                        if !iterable
                            .is_some_and(|r| small_collection(r, ctx) || schema_sized(r, ctx))
                        {
                            let header = iterable.unwrap_or(clause);
                            return Some(Iteration {
                                header,
                                over: short(ctx.text(header)),
                                concurrent: false,
                            });
                        }
                    }
                }
            }
            "arrow_function" | "function_expression" | "function" => {
                return callback_iteration(n, ctx);
            }
            "function_declaration"
            | "generator_function_declaration"
            | "method_definition"
            | "function_definition"
            | "lambda"
            | "class_declaration"
            | "class_definition" => return None,
            _ => {}
        }
        child = n;
    }
    None
}

/// `items.map(async (x) => …)`: the callback runs once per element.
fn callback_iteration<'t>(func: Node<'t>, ctx: &FileCtx<'t>) -> Option<Iteration<'t>> {
    let args = ctx.parent_node(func).filter(|a| a.kind() == "arguments")?;
    if args.named_child(0).map(|c| c.id()) != Some(func.id()) {
        return None;
    }
    let call = ctx
        .parent_node(args)
        .filter(|c| c.kind() == "call_expression")?;
    let callee = call.child_by_field_name("function")?;
    let method = ctx.last_name(callee)?;
    if callee.kind() != "member_expression" || !ITERATING_METHODS.contains(&method) {
        return None;
    }
    let receiver = callee.child_by_field_name("object")?;
    if small_collection(receiver, ctx) || schema_sized(receiver, ctx) {
        return None;
    }
    // The call around `items.map(…)`: `Promise.all(…)` runs it concurrently, a batch method
    // (`prisma.$transaction(…)`) runs the operations as one batch.
    let mut outer = ctx.parent_node(call);
    while let Some(o) =
        outer.filter(|o| matches!(o.kind(), "await_expression" | "parenthesized_expression"))
    {
        outer = ctx.parent_node(o);
    }
    let around = outer
        .filter(|o| o.kind() == "arguments")
        .and_then(|a| ctx.parent_node(a))
        .and_then(|c| c.child_by_field_name("function"));
    let around_name = around.and_then(|f| ctx.last_name(f));
    if around_name.is_some_and(|m| BATCH_METHODS.contains(&m)) {
        return None;
    }
    let concurrent = around.is_some_and(|f| {
        ctx.qualified_name(f).is_some_and(|q| {
            q.len() == 2 && q[0] == "Promise" && CONCURRENT.contains(&q[1].as_str())
        })
    });
    Some(Iteration {
        header: callee,
        over: short(ctx.text(receiver)),
        concurrent,
    })
}

/// A literal list of at most [`SMALL`] elements, directly or through a constant binding, or
/// Python `range(n)` with a small literal `n`.
fn small_collection(expr: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    let value = match expr.kind() {
        "identifier" => match ctx.const_value(expr) {
            Some(v) => v,
            None => return false,
        },
        _ => expr,
    };
    match value.kind() {
        "array" | "list" | "tuple" | "set" => {
            let mut c = value.walk();
            value
                .named_children(&mut c)
                .filter(|n| n.kind() != "comment")
                .count()
                <= SMALL
        }
        "call" => {
            let f = value.child_by_field_name("function");
            let args = value.child_by_field_name("arguments");
            f.is_some_and(|f| ctx.text(f) == "range")
                && args.is_some_and(|a| {
                    let mut c = a.walk();
                    let last = a.named_children(&mut c).last();
                    last.is_some_and(|n| small_number(n, ctx))
                })
        }
        _ => false,
    }
}

fn small_number(n: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    matches!(n.kind(), "number" | "integer")
        && ctx.text(n).parse::<usize>().is_ok_and(|v| v <= SMALL)
}

/// A loop bounded by a small constant: over a small literal collection, or
/// `for (let i = 0; i < 3; i++)`.
fn bounded_loop(n: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    if let Some(right) = n.child_by_field_name("right") {
        let over_keys = n
            .child_by_field_name("operator")
            .is_some_and(|o| ctx.text(o) == "in")
            && ctx.language().is_some_and(|l| l.is_js_like());
        return !over_keys && small_collection(right, ctx);
    }
    if n.kind() == "for_statement" {
        // `i < N` / `i <= N`
        let cond = n.child_by_field_name("condition");
        let cond = cond.map(|c| {
            if c.kind() == "expression_statement" {
                c.named_child(0).unwrap_or(c)
            } else {
                c
            }
        });
        if let Some(c) = cond.filter(|c| c.kind() == "binary_expression") {
            return c
                .child_by_field_name("right")
                .is_some_and(|r| small_number(r, ctx));
        }
    }
    false
}

/// An iterable named like schema objects (`tableNames`, `ContentType.objects.all()`): as
/// many iterations as tables, not as rows.
fn schema_sized(iterable: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    is_schema_sized_name(ctx.text(iterable))
}

/// Whether a loop goes over a collection: a `for` over something not schema-sized, or a
/// `while`/`do` that tests a collection's size or takes elements from one. Retry, polling and
/// page-by-page batch loops make one query per attempt or per page, not per item.
fn walks_collection(n: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    if let Some(right) = n.child_by_field_name("right") {
        return !schema_sized(right, ctx);
    }
    if n.kind() == "for_statement" && ctx.language().is_some_and(|l| l.is_js_like()) {
        // `for (let i = 0; i < items.length; i++)` walks items; `for (let skip = 0; skip < n;
        // skip += pageSize)` walks pages.
        let step = n
            .child_by_field_name("increment")
            .map(|i| ctx.text(i))
            .unwrap_or("");
        let by_page = step.contains("+=") && !step.trim_end().ends_with("+= 1");
        return !by_page;
    }
    let cond = n
        .child_by_field_name("condition")
        .map(|c| ctx.text(c))
        .unwrap_or("");
    if cond.contains(".length") || cond.contains("len(") || cond.contains(".size") {
        return true;
    }
    let Some(id) = ctx.id_of(n) else { return false };
    (id + 1..ctx.subtree_end(id)).any(|i| {
        let c = ctx.node(i);
        matches!(c.kind(), "call_expression" | "call")
            && c.child_by_field_name("function")
                .and_then(|f| ctx.last_name(f))
                .is_some_and(|m| CONSUMING_METHODS.contains(&m))
    })
}

/// DataLoader: batched by design.
fn batching_receiver(call: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    let receiver = call
        .child_by_field_name("function")
        .and_then(|f| f.child_by_field_name("object"));
    receiver.and_then(|r| ctx.last_name(r)).is_some_and(|name| {
        words(name)
            .iter()
            .any(|w| BATCHING_RECEIVER_WORDS.contains(&w.as_str()))
    })
}

/// `await this.products.findById(id)`, `repo.findOne(…)`, `self.orders.fetch_for(user)`.
fn repository_call(call: Node<'_>, ctx: &FileCtx<'_>) -> Option<String> {
    let callee = call.child_by_field_name("function")?;
    if !matches!(callee.kind(), "member_expression" | "attribute") {
        return None;
    }
    let method = ctx.last_name(callee)?;
    let mw = words(method);
    let head = mw.first()?.as_str();
    let data_method =
        REPOSITORY_METHOD_HEADS.contains(&head) || (head == "get" && mw.iter().any(|w| w == "by"));
    if !data_method {
        return None;
    }
    let js = ctx.language().is_some_and(|l| l.is_js_like());
    if js {
        let awaited = ctx
            .parent_node(call)
            .is_some_and(|p| p.kind() == "await_expression");
        if !awaited {
            return None;
        }
    }
    let receiver = callee.child_by_field_name("object")?;
    let (field, name) = match receiver.kind() {
        "member_expression" | "attribute" => {
            let obj = receiver.child_by_field_name("object")?;
            (
                matches!(ctx.text(obj), "this" | "self"),
                ctx.last_name(receiver)?,
            )
        }
        "identifier" => (false, ctx.text(receiver)),
        _ => return None,
    };
    let rw = words(name);
    if rw
        .iter()
        .any(|w| NOT_REPOSITORY_WORDS.contains(&w.as_str()))
    {
        return None;
    }
    let repo_named = rw
        .iter()
        .any(|w| REPOSITORY_RECEIVER_WORDS.contains(&w.as_str()));
    (field || repo_named).then(|| ctx.text(callee).split_whitespace().collect::<String>())
}

/// A call to a function or method of this file whose body queries the database directly.
fn local_db_function<'t>(call: Node<'t>, ctx: &FileCtx<'t>) -> Option<Found<'t>> {
    let callee = call.child_by_field_name("function")?;
    let func = match callee.kind() {
        "identifier" => {
            let b = ctx.binding(ctx.resolve(callee)?);
            match b.kind {
                backlint_engine::index::BindingKind::Function => ctx.parent_node(b.node)?,
                _ => b.value.filter(|v| {
                    matches!(
                        v.kind(),
                        "arrow_function" | "function_expression" | "function"
                    )
                })?,
            }
        }
        "member_expression" | "attribute" => {
            let obj = callee.child_by_field_name("object")?;
            if !matches!(ctx.text(obj), "this" | "self") {
                return None;
            }
            let name = ctx.last_name(callee)?;
            let class = ctx.enclosing_class(ctx.id_of(call)?)?;
            let end = ctx.subtree_end(class);
            (class + 1..end).map(|i| ctx.node(i)).find(|m| {
                matches!(m.kind(), "method_definition" | "function_definition")
                    && m.child_by_field_name("name")
                        .is_some_and(|n| ctx.text(n) == name)
                    && ctx.id_of(*m).and_then(|mid| ctx.enclosing_class(mid)) == Some(class)
            })?
        }
        _ => return None,
    };
    let fid = ctx.id_of(func)?;
    // Not the function the call is in (recursion).
    if ctx.is_within(ctx.id_of(call)?, fid) {
        return None;
    }
    let end = ctx.subtree_end(fid);
    (fid + 1..end).find_map(|i| {
        let n = ctx.node(i);
        if !matches!(n.kind(), "call_expression" | "call") {
            return None;
        }
        let db = db_call(n, ctx)?;
        Some(Found::Indirect {
            callee: format!(
                "{}()",
                ctx.text(callee).split_whitespace().collect::<String>()
            ),
            inner: n,
            db,
        })
    })
}
