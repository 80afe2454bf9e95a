//! SQL text: what looks like SQL, and which calls build SQL safely (the dataflow policy of
//! SQL rules).

use backlint_engine::dataflow::{CallFlow, FlowPolicy};
use backlint_engine::index::Index;
use backlint_engine::Node;

/// Statement keywords SQL text starts with.
pub const SQL_START_KEYWORDS: &[&str] = &[
    "select", "insert", "update", "delete", "with", "create", "alter", "drop", "truncate",
    "replace", "merge", "call", "exec", "execute", "grant", "revoke", "set", "show", "explain",
    "pragma", "begin", "upsert", "copy", "vacuum", "analyze", "declare", "lock",
];

/// Keywords inside SQL text that mark it as SQL wherever they occur.
pub const SQL_INNER_KEYWORDS: &[&str] = &[
    "from",
    "where",
    "values",
    "join",
    "order by",
    "group by",
    "limit",
    "returning",
    "into",
];

/// Whether constant text parts (in order) look like SQL: the first part starts with a
/// statement keyword, or two inner keywords occur (`… FROM … WHERE …`).
pub fn looks_like_sql(parts: &[&str]) -> bool {
    let joined = parts.join(" ").to_ascii_lowercase();
    let first_word: String = joined
        .trim_start_matches(|c: char| c.is_whitespace() || c == '(')
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    if SQL_START_KEYWORDS.contains(&first_word.as_str()) {
        return true;
    }
    let padded = format!(
        " {} ",
        joined.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    SQL_INNER_KEYWORDS
        .iter()
        .filter(|k| padded.contains(&format!(" {k} ")))
        .count()
        >= 2
}

/// Tags of tagged templates that send their substitutions as parameters.
pub const PARAMETERISING_TAGS: &[&str] = &[
    "sql",
    "SQL",
    "$queryRaw",
    "$executeRaw",
    "Prisma.sql",
    "sqltag",
    "raw",
];

/// Functions and methods that escape or quote a value for SQL, making it safe text.
pub const ESCAPES: &[&str] = &[
    "escape",
    "escapeId",
    "escapeIdentifier",
    "escapeLiteral",
    "quoteIdentifier",
    "quote_ident",
    "quote_literal",
    "Identifier",
    "Literal",
    "Placeholder",
    "identifier",
    "literal_column",
    "bindparam",
    "bindparams",
    "quote_name",
    "quoteName",
    "escapeName",
    // knex's identifier quoting (`formatter.wrap(name)`, `client.wrapIdentifier(name)`).
    "wrap",
    "wrapIdentifier",
];

/// Leading words of quoting helpers, whatever follows (`quote_name_unless_alias`,
/// `escapeSqlIdentifier`).
pub const ESCAPE_LEADING_WORDS: &[&str] = &["quote", "escape"];

/// Whether a function or method name is an escape or quote helper.
pub fn is_escape_name(name: &str) -> bool {
    ESCAPES.contains(&name)
        || crate::names::words(name)
            .first()
            .is_some_and(|w| ESCAPE_LEADING_WORDS.contains(&w.as_str()))
}

/// Calls whose result is SQL text an ORM generated with its values kept apart as parameters
/// (Django `qs.query.sql_with_params()`, SQLAlchemy `stmt.compile()`).
pub const ORM_GENERATED_SQL: &[&str] = &["sql_with_params", "as_sql", "compile"];

/// Members that are ORM metadata, constant in practice (Django `Model._meta.db_table`).
pub const ORM_METADATA_MEMBERS: &[&[&str]] = &[
    &["_meta", "db_table"],
    &["_meta", "app_label"],
    &["_meta", "model_name"],
    &["_meta", "pk", "column"],
    &["__tablename__"],
];

/// The dataflow policy for SQL: parameterising tagged templates, escape/quote helpers and
/// psycopg's `sql.SQL(…).format(sql.Identifier(…))` composition are safe.
pub struct SqlPolicy;

impl FlowPolicy for SqlPolicy {
    fn call(&self, call: Node<'_>, idx: &Index<'_>) -> CallFlow {
        let Some(f) = call.child_by_field_name("function") else {
            return CallFlow::Unknown;
        };
        let args = call.child_by_field_name("arguments");
        let tag_or_name = idx.last_name(f).unwrap_or("");
        if args.is_some_and(|a| a.kind() == "template_string") {
            let full = idx.text(f);
            return if PARAMETERISING_TAGS.contains(&tag_or_name)
                || PARAMETERISING_TAGS.contains(&full)
            {
                CallFlow::Safe
            } else {
                CallFlow::Unknown
            };
        }
        if is_escape_name(tag_or_name) || ORM_GENERATED_SQL.contains(&tag_or_name) {
            return CallFlow::Safe;
        }
        // psycopg: `sql.SQL("… {} …").format(sql.Identifier(t))` composes safely when the
        // SQL() text itself is constant (SQL() is checked as a sink of its own).
        if tag_or_name == "format" {
            let receiver = f.child_by_field_name("object");
            if let Some(r) = receiver.filter(|r| r.kind() == "call") {
                let inner = r.child_by_field_name("function");
                let name = inner.map(|i| match i.kind() {
                    "identifier" => idx.text(i),
                    _ => i
                        .child_by_field_name("attribute")
                        .map(|a| idx.text(a))
                        .unwrap_or(""),
                });
                if matches!(name, Some("SQL" | "Composed")) {
                    return CallFlow::Safe;
                }
            }
        }
        CallFlow::Unknown
    }

    fn safe_function(&self, function: Node<'_>, idx: &Index<'_>) -> bool {
        idx.last_name(function).is_some_and(is_escape_name)
    }

    fn safe_member(&self, member: Node<'_>, idx: &Index<'_>) -> bool {
        // The chain's trailing names, innermost last: `Voucher._meta.db_table` → [_meta, db_table].
        let mut names: Vec<&str> = Vec::new();
        let mut n = member;
        while let Some(p) = n
            .child_by_field_name("property")
            .or_else(|| n.child_by_field_name("attribute"))
        {
            names.push(idx.text(p));
            match n.child_by_field_name("object") {
                Some(o) => n = o,
                None => break,
            }
        }
        names.reverse();
        ORM_METADATA_MEMBERS.iter().any(|m| names.ends_with(m))
    }
}

/// Aggregate functions: a `SELECT` of only these (and no `GROUP BY`) returns one row.
pub const AGGREGATE_FUNCTIONS: &[&str] = &[
    "count",
    "sum",
    "avg",
    "min",
    "max",
    "exists",
    "bool_and",
    "bool_or",
    "every",
    "array_agg",
    "json_agg",
    "jsonb_agg",
    "string_agg",
    "group_concat",
    "listagg",
    "stddev",
    "variance",
    "percentile_cont",
    "percentile_disc",
    "coalesce",
];

/// Schemas and tables of the database's own catalogue: as many rows as the schema has.
pub const CATALOGUE_PREFIXES: &[&str] = &[
    "information_schema",
    "pg_",
    "sqlite_master",
    "sqlite_schema",
    "sqlite_sequence",
    "sys.",
    "mysql.",
    "performance_schema",
    "all_tab",
    "user_tab",
];

/// Columns whose equality selects at most one row (or one per listed value).
pub const KEY_COLUMNS: &[&str] = &[
    "id", "uuid", "guid", "pk", "_id", "slug", "email", "username",
];

/// SQL text as lower-case tokens with their parenthesis depth; string literals and comments
/// dropped, `a.b` kept as one token.
fn sql_tokens(sql: &str) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    let mut depth = 0u32;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' | '`' => {
                // A quoted literal or identifier: keep identifiers' text, drop literals.
                let mut text = String::new();
                for d in chars.by_ref() {
                    if d == c {
                        break;
                    }
                    text.push(d);
                }
                if c != '\'' {
                    out.push((text.to_ascii_lowercase(), depth));
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
            }
            '(' => {
                out.push(("(".into(), depth));
                depth += 1;
            }
            ')' => {
                depth = depth.saturating_sub(1);
                out.push((")".into(), depth));
            }
            c if c.is_alphanumeric() || c == '_' || c == '$' || c == '.' => {
                let mut word = String::from(c);
                while let Some(&d) = chars.peek() {
                    if d.is_alphanumeric() || d == '_' || d == '$' || d == '.' {
                        word.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                // `"users"."id"`: join a quoted part to the word before it.
                out.push((word.to_ascii_lowercase(), depth));
            }
            c if c.is_whitespace() => {}
            c => out.push((c.to_string(), depth)),
        }
    }
    out
}

/// Whether constant SQL text is a `SELECT` that can return every row of a table: it reads
/// `FROM` a table of the application, with no `LIMIT`/`FETCH FIRST`/`TOP`/`ROWNUM`, is not
/// an aggregate without `GROUP BY`, and does not select by primary key
/// (`WHERE id = $1`, `WHERE u.id IN (…)`, `WHERE id = ANY($1)`).
pub fn is_unbounded_select(sql: &str) -> bool {
    let tokens = sql_tokens(sql);
    let first = tokens
        .iter()
        .find(|(t, _)| t != "(")
        .map(|(t, _)| t.as_str());
    if !matches!(first, Some("select" | "with")) {
        return false;
    }
    let word = |i: usize| tokens.get(i).map(|(t, _)| t.as_str()).unwrap_or("");
    if tokens.iter().enumerate().any(|(i, (t, _))| {
        matches!(t.as_str(), "limit" | "top" | "rownum")
            || (t == "fetch" && matches!(word(i + 1), "first" | "next"))
    }) {
        return false;
    }
    // The main query: the last `select` outside parentheses (after any `WITH` parts).
    let min_depth = tokens.iter().map(|(_, d)| *d).min().unwrap_or(0);
    let Some(select) = tokens
        .iter()
        .rposition(|(t, d)| t == "select" && *d == min_depth)
    else {
        return false;
    };
    let top = |i: usize| tokens.get(i).is_some_and(|(_, d)| *d == min_depth);
    let Some(from) = (select..tokens.len()).find(|&i| word(i) == "from" && top(i)) else {
        // `SELECT now()`, `SELECT 1`.
        return false;
    };
    if CATALOGUE_PREFIXES
        .iter()
        .any(|p| word(from + 1).starts_with(p))
    {
        return false;
    }
    let grouped = (from..tokens.len()).any(|i| word(i) == "group" && word(i + 1) == "by" && top(i));
    if !grouped {
        // Every select-list item an aggregate: `SELECT count(*), max(at) FROM …`.
        let mut items = vec![select + 1];
        items.extend(
            (select + 1..from)
                .filter(|&i| word(i) == "," && top(i))
                .map(|i| i + 1),
        );
        let aggregate = |i: usize| {
            let mut j = i;
            if word(j) == "distinct" {
                return false;
            }
            while word(j) == "(" {
                j += 1;
            }
            AGGREGATE_FUNCTIONS.contains(&word(j)) && word(j + 1) == "("
        };
        if items.iter().all(|&i| aggregate(i)) {
            return false;
        }
    }
    // A key lookup: `WHERE [t.]id = …`, `id IN (…)`, `id = ANY(…)`.
    let where_at = (from..tokens.len()).find(|&i| word(i) == "where" && top(i));
    if let Some(w) = where_at {
        if key_condition(&tokens[w + 1..], min_depth) {
            return false;
        }
    }
    true
}

/// Whether tokens of a condition compare a key column for equality (`[t.]id = …`,
/// `id IN (…)`, `id = ANY(…)`) at `depth`, or any column with a list parameter
/// (`order_id = ANY($1)`, `sku IN (?)`, `IN %s`, `IN (:ids)`): the batched form of a per-item
/// query, as many rows as the caller's list asks for.
fn key_condition(tokens: &[(String, u32)], depth: u32) -> bool {
    let word = |i: usize| tokens.get(i).map(|(t, _)| t.as_str()).unwrap_or("");
    let placeholder = |i: usize| {
        let t = word(i);
        matches!(t, "?" | "%" | ":" | "$")
            || (t.starts_with('$') && t.len() > 1)
            || t.starts_with("%(")
    };
    tokens.iter().enumerate().any(|(i, (t, d))| {
        let column = t.rsplit('.').next().unwrap_or(t);
        if *d != depth {
            return false;
        }
        if KEY_COLUMNS.contains(&column) && matches!(word(i + 1), "=" | "in") {
            return true;
        }
        // `IN (?)` / `IN ($1)` / `IN %s` / `= ANY($1)`; `IN ()` is where a built list of
        // placeholders was spliced in.
        (t == "in"
            && (placeholder(i + 1)
                || (word(i + 1) == "(" && (placeholder(i + 2) || word(i + 2) == ")"))))
            || (t == "=" && word(i + 1) == "any" && word(i + 2) == "(" && placeholder(i + 3))
    })
}

/// Whether a SQL condition fragment selects by key (`u.id = :id`, `user.id IN (:...ids)`).
pub fn is_key_condition(condition: &str) -> bool {
    let tokens = sql_tokens(condition);
    let depth = tokens.iter().map(|(_, d)| *d).min().unwrap_or(0);
    key_condition(&tokens, depth)
}

#[cfg(test)]
mod tests {
    use super::{is_key_condition, is_unbounded_select, looks_like_sql};

    #[test]
    fn sql_is_recognised_by_its_keywords() {
        assert!(looks_like_sql(&["SELECT * FROM users WHERE id = '", "'"]));
        assert!(looks_like_sql(&["  (select 1)"]));
        assert!(looks_like_sql(&["", " FROM users WHERE email = '"]));
        assert!(looks_like_sql(&["update t set a = 1"]));
        assert!(!looks_like_sql(&["{ user(id: \"", "\") { name } }"]));
        assert!(!looks_like_sql(&["/api/users/", ""]));
        assert!(!looks_like_sql(&["Selected from the list"]));
    }

    #[test]
    fn selects_without_a_bound_are_unbounded() {
        assert!(is_unbounded_select("SELECT id, email FROM users"));
        assert!(is_unbounded_select(
            "select * from orders where customer_id = $1 order by created_at"
        ));
        assert!(is_unbounded_select(
            "WITH paid AS (SELECT * FROM orders WHERE paid) SELECT * FROM paid"
        ));
        assert!(is_unbounded_select(
            "SELECT status, count(*) FROM orders GROUP BY status"
        ));
        assert!(is_unbounded_select(
            "SELECT * FROM t WHERE status IN ('open', 'paid')"
        ));
    }

    #[test]
    fn limits_aggregates_keys_and_catalogues_bound_a_select() {
        assert!(!is_unbounded_select("SELECT * FROM users LIMIT 50"));
        assert!(!is_unbounded_select(
            "SELECT * FROM users ORDER BY id FETCH FIRST 10 ROWS ONLY"
        ));
        assert!(!is_unbounded_select("SELECT TOP 10 * FROM users"));
        assert!(!is_unbounded_select(
            "SELECT count(*) FROM users WHERE active"
        ));
        assert!(!is_unbounded_select(
            "SELECT max(created_at), min(created_at) FROM events"
        ));
        assert!(!is_unbounded_select("SELECT * FROM users WHERE id = $1"));
        assert!(!is_unbounded_select(
            "SELECT * FROM users u WHERE u.id IN (?)"
        ));
        assert!(!is_unbounded_select(
            "SELECT * FROM items WHERE order_id = ANY($1)"
        ));
        assert!(!is_unbounded_select(
            "SELECT * FROM items WHERE sku IN (%s)"
        ));
        assert!(!is_unbounded_select(
            "SELECT table_name FROM information_schema.tables"
        ));
        assert!(!is_unbounded_select("SELECT now()"));
        assert!(!is_unbounded_select("INSERT INTO t (a) VALUES ($1)"));
    }

    #[test]
    fn key_conditions() {
        assert!(is_key_condition("u.id = :id"));
        assert!(is_key_condition("user.id IN (:...ids)"));
        assert!(!is_key_condition("u.status = :status"));
        assert!(!is_key_condition("u.user_id = :id"));
    }
}
