//! `string-sql`: SQL text built from non-constant values reaching a raw-SQL call.

use backlint_engine::dataflow::{literal_parts, splices};
use backlint_engine::{FileCtx, Language, Node, NodeId, Rule, Sink};

use crate::knowledge::data_layer::raw_sql_call;
use crate::knowledge::sql::{looks_like_sql, SqlPolicy};

pub struct StringSql;

impl StringSql {
    pub const ID: &'static str = "string-sql";
}

/// Properties of a driver's query-config object that hold the SQL (`{ text, values }`).
const CONFIG_SQL_KEYS: &[&str] = &["text", "sql", "query"];

/// At most this many splice points are listed as related locations.
const MAX_RELATED: usize = 5;

const GENERIC_HELP: &str = "pass values as query parameters (placeholders such as `$1`, `?` or `%s` with a separate values argument); for identifiers such as column names, check them against an allow-list";

impl Rule for StringSql {
    fn id(&self) -> &'static str {
        Self::ID
    }

    fn options(&self) -> &'static [backlint_engine::OptionSpec] {
        &[crate::knowledge::data_layer::DB_RECEIVERS_SPEC]
    }

    fn kinds(&self, lang: Language) -> &'static [&'static str] {
        lang.call_kinds()
    }

    fn check(&self, id: NodeId, ctx: &FileCtx<'_>, sink: &mut Sink) {
        let call = ctx.node(id);
        let Some(raw) = raw_sql_call(call, ctx) else {
            return;
        };
        let mut spliced = Vec::new();
        for arg in raw.sql {
            let expr = config_sql(arg, ctx).unwrap_or(arg);
            // `session.execute(text(f"…"))`: the inner raw call is reported on its own.
            if matches!(expr.kind(), "call" | "call_expression")
                && raw_sql_call(expr, ctx).is_some()
            {
                continue;
            }
            let found = splices(ctx.index, expr, &SqlPolicy);
            if found.is_empty() {
                continue;
            }
            if raw.weak && !looks_like_sql(&literal_parts(ctx.index, expr)) {
                continue;
            }
            spliced.extend(found);
        }
        if spliced.is_empty() {
            return;
        }
        let callee = call
            .child_by_field_name("function")
            .map(|f| ctx.text(f))
            .unwrap_or("the query");
        let callee: String = callee.split_whitespace().collect::<Vec<_>>().join(" ");
        let report = sink.report(
            call,
            format!(
                "SQL built from non-constant text is passed to `{callee}`: a value with a quote in it changes the query (SQL injection)"
            ),
        );
        report.help(raw.library.map(|l| l.parameterised).unwrap_or(GENERIC_HELP));
        for s in spliced.iter().take(MAX_RELATED) {
            report.related(s.node, "non-constant text is inserted here");
        }
    }
}

/// The SQL of a driver config object argument: `query({ text: sql, values })`.
fn config_sql<'t>(arg: Node<'t>, ctx: &FileCtx<'t>) -> Option<Node<'t>> {
    if arg.kind() != "object" {
        return None;
    }
    let mut c = arg.walk();
    let found = arg
        .named_children(&mut c)
        .find_map(|pair| match pair.kind() {
            "pair" => {
                let key = pair.child_by_field_name("key")?;
                let name = ctx.string_value(key).unwrap_or_else(|| ctx.text(key));
                CONFIG_SQL_KEYS
                    .contains(&name)
                    .then(|| pair.child_by_field_name("value"))
                    .flatten()
            }
            "shorthand_property_identifier" => {
                CONFIG_SQL_KEYS.contains(&ctx.text(pair)).then_some(pair)
            }
            _ => None,
        });
    found
}
