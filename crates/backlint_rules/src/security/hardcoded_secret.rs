//! `hardcoded-secret`: credentials written into code and config.

use backlint_engine::diagnostic::Fnv64;
use backlint_engine::{FileCtx, FileKind, Language, Node, NodeId, OptionSpec, Rule, Sink};

use crate::knowledge::secrets::{
    find_provider_secrets, is_allowed_value, is_example_file, is_provider_format,
    is_secret_name_in, is_secret_value, is_test_path, redacted, ALLOW_VALUES_OPTION, LOCK_FILES,
    SAMPLE_CODE_WORDS, SECRET_NAMES_OPTION,
};
use crate::names::words;

pub struct HardcodedSecret;

impl HardcodedSecret {
    pub const ID: &'static str = "hardcoded-secret";
}

const HELP: &str = "read it from the environment or a secret manager, rotate the exposed credential (it stays in the repository history), and add a secret scan to the pre-commit hook";

/// Calls whose second argument is a signing secret: `jwt.sign(payload, secret)`.
const JWT_SECRET_CALLS: &[&[&str]] = &[
    &["jsonwebtoken", "sign"],
    &["jsonwebtoken", "verify"],
    &["jwt", "encode"],
    &["jwt", "decode"],
];

/// Calls whose second argument is the fallback of an environment read.
const ENV_FALLBACK_CALLS: &[&[&str]] = &[
    &["os", "environ", "get"],
    &["os", "getenv"],
    &["environ", "get"],
];

impl Rule for HardcodedSecret {
    fn id(&self) -> &'static str {
        Self::ID
    }

    fn kinds(&self, lang: Language) -> &'static [&'static str] {
        if lang.is_js_like() {
            &["string", "template_string"]
        } else {
            &["string"]
        }
    }

    fn wants_text_files(&self) -> bool {
        true
    }

    fn options(&self) -> &'static [OptionSpec] {
        &[
            OptionSpec {
                name: SECRET_NAMES_OPTION,
                doc: "extra variable, key or setting names whose string value is a secret, besides password, secret, api_key, token…",
                example: "[\"PAYMENT_PIN\", \"vaultPassphrase\"]",
            },
            OptionSpec {
                name: ALLOW_VALUES_OPTION,
                doc: "exact values never reported (a published test key, a local development default)",
                example: "[\"sk_test_4eC39HqLyjWDarjtT1zdp7dc\"]",
            },
        ]
    }

    fn applies(&self, file: &FileCtx<'_>) -> bool {
        let name = file.path.rsplit('/').next().unwrap_or(file.path);
        !LOCK_FILES.contains(&name)
    }

    /// Generic secrets: a literal in a secret's place.
    fn check(&self, id: NodeId, ctx: &FileCtx<'_>, sink: &mut Sink) {
        // Test code is full of made-up credentials; a provider key there is still reported
        // (by `check_file`), a generic-looking literal is not.
        if is_example_file(ctx.path) || is_test_path(ctx.path) {
            return;
        }
        let node = ctx.node(id);
        let Some(value) = ctx.string_value(node) else {
            return;
        };
        if !is_secret_value(value)
            || is_provider_format(value)
            || is_allowed_value(ctx.options(), value)
        {
            return;
        }
        let Some(place) = secret_place(id, node, ctx) else {
            return;
        };
        if in_sample_code(id, ctx) {
            return;
        }
        sink.report(
            node,
            format!("hardcoded secret {place} (`{}`)", redacted(value)),
        )
        .help(HELP)
        .fingerprint_key(value_hash(value))
        .redact();
    }

    /// Provider formats anywhere in the text: one `RegexSet` pass.
    fn check_file(&self, ctx: &FileCtx<'_>, sink: &mut Sink) {
        let example = is_example_file(ctx.path);
        for found in find_provider_secrets(ctx.source) {
            if example && !found.format.live {
                continue;
            }
            let secret = &ctx.source[found.start..found.end];
            if is_allowed_value(ctx.options(), secret) {
                continue;
            }
            // A connection URL is reported whole; other formats at the key itself.
            let (start, end) = if found.format.id == "connection-url-password" {
                (found.match_start, found.match_end)
            } else {
                (found.start, found.end)
            };
            let where_ = match ctx.kind {
                FileKind::Text(_) => "in configuration",
                FileKind::Source(_) => "in source code",
            };
            let report = sink.report_range(
                start,
                end,
                format!("{} {where_} (`{}`)", found.format.name, redacted(secret)),
            );
            report
                .help(HELP)
                .fingerprint_key(value_hash(secret))
                .redact();
            // A key block: the key is the body after the header, up to its END line.
            if found.format.id == "private-key" {
                report.redact_range(
                    found.match_start,
                    key_block_end(ctx.source, found.match_end),
                );
            }
        }
    }
}

/// Where a private key block that starts before `from` ends: after its `-----END …-----` line,
/// or, with no END in sight, 8 KiB on (a key is never longer).
fn key_block_end(source: &str, from: usize) -> usize {
    let rest = &source[from..];
    match rest.find("-----END") {
        Some(i) => {
            let after = from + i + "-----END".len();
            source[after..]
                .find("-----")
                .map(|j| after + j + 5)
                .unwrap_or(source.len())
        }
        None => {
            let mut end = (from + 8192).min(source.len());
            while !source.is_char_boundary(end) {
                end -= 1;
            }
            end
        }
    }
}

/// Inside a function or class that builds sample data (`_event_sample`, `seed_demo_users`,
/// `class FakePaymentGateway`): its values are made up.
fn in_sample_code(id: NodeId, ctx: &FileCtx<'_>) -> bool {
    // Any enclosing named function or class (the literal may sit in a lambda or callback).
    ctx.ancestors(id).any(|a| {
        let n = ctx.node(a);
        matches!(
            n.kind(),
            "function_declaration"
                | "function_definition"
                | "method_definition"
                | "class_declaration"
                | "class_definition"
        ) && n.child_by_field_name("name").is_some_and(|name| {
            words(ctx.text(name))
                .iter()
                .any(|w| SAMPLE_CODE_WORDS.contains(&w.as_str()))
        })
    })
}

/// The fingerprint of a secret: a hash, never the value.
fn value_hash(value: &str) -> String {
    format!("secret:{:016x}", Fnv64::default().field(value).finish())
}

/// Where a literal stands, if that place holds a secret: "assigned to `DB_PASSWORD`".
fn secret_place<'t>(id: NodeId, node: Node<'t>, ctx: &FileCtx<'t>) -> Option<String> {
    let parent = ctx.node(ctx.parent(id)?);
    let is = |field: &str| parent.child_by_field_name(field).map(|n| n.id()) == Some(node.id());
    let named = |name: &str, what: &str| {
        is_secret_name_in(ctx.options(), name).then(|| format!("{what} `{name}`"))
    };
    match parent.kind() {
        // `const apiKey = '…'`
        "variable_declarator" if is("value") => {
            let name = parent.child_by_field_name("name")?;
            (name.kind() == "identifier").then_some(())?;
            named(ctx.text(name), "assigned to")
        }
        // `private readonly signingKey = '…'` (TS class field), `secret = '…'` (JS class field)
        "public_field_definition" | "field_definition" if is("value") => {
            let name = parent
                .child_by_field_name("name")
                .or_else(|| parent.child_by_field_name("property"))?;
            named(ctx.text(name), "assigned to")
        }
        // `config.password = '…'`, Python `DB_PASSWORD = '…'`, `self.secret = '…'`
        "assignment_expression" | "assignment" if is("right") => {
            let left = parent.child_by_field_name("left")?;
            let name = ctx.last_name(left)?;
            named(name, "assigned to")
        }
        // `{ clientSecret: '…' }`, `{"password": "…"}`
        "pair" if is("value") => {
            let key = parent.child_by_field_name("key")?;
            let name = ctx.string_value(key).unwrap_or_else(|| ctx.text(key));
            named(name, "set as")
        }
        // `connect(password='…')`
        "keyword_argument" if is("value") => {
            let name = parent.child_by_field_name("name")?;
            named(ctx.text(name), "passed as")
        }
        // `def connect(password='…')`, `function f(secret = '…')`
        "default_parameter" | "typed_default_parameter" if is("value") => {
            named(ctx.text(parent.child_by_field_name("name")?), "default of")
        }
        "assignment_pattern" if is("right") => {
            named(ctx.text(parent.child_by_field_name("left")?), "default of")
        }
        // `process.env.JWT_SECRET || '…'`, `?? '…'`
        "binary_expression" if is("right") => {
            let op = parent
                .child_by_field_name("operator")
                .map(|o| ctx.text(o))?;
            let left = parent.child_by_field_name("left")?;
            let q = ctx.qualified_name(left)?;
            // Only the fallback of a secret's variable: `process.env.SQLITE_PATH || 'notes.db'`
            // is a default, not a credential.
            (matches!(op, "||" | "??")
                && q.len() >= 3
                && q[0] == "process"
                && q[1] == "env"
                && is_secret_name_in(ctx.options(), &q[2]))
            .then(|| format!("as the fallback of `{}`", ctx.text(left)))
        }
        // `jwt.sign(payload, '…')`, `os.environ.get('SECRET_KEY', '…')`
        "arguments" | "argument_list" => {
            let call = ctx.parent_node(parent)?;
            let callee = call.child_by_field_name("function")?;
            let q = ctx.qualified_name(callee)?;
            let mut c = parent.walk();
            let position = parent
                .named_children(&mut c)
                .filter(|n| n.kind() != "comment" && n.kind() != "keyword_argument")
                .position(|n| n.id() == node.id())?;
            if position != 1 {
                return None;
            }
            let is_call = |table: &[&[&str]]| {
                table
                    .iter()
                    .any(|p| q.len() == p.len() && q.iter().zip(p.iter()).all(|(a, b)| a == b))
            };
            if is_call(JWT_SECRET_CALLS) {
                Some(format!(
                    "used as the signing secret of `{}`",
                    ctx.text(callee)
                ))
            } else if is_call(ENV_FALLBACK_CALLS) {
                // `os.environ.get("SECRET_KEY", "…")`: only for a secret's variable.
                let mut c2 = parent.walk();
                let first = parent.named_children(&mut c2).next()?;
                let var = ctx.string_value(first)?;
                is_secret_name_in(ctx.options(), var)
                    .then(|| format!("as the fallback of `{}(\"{var}\")`", ctx.text(callee)))
            } else {
                None
            }
        }
        _ => None,
    }
}
