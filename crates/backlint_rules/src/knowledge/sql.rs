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

#[cfg(test)]
mod tests {
    use super::looks_like_sql;

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
}
