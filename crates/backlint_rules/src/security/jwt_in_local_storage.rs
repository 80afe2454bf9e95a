//! `jwt-in-local-storage`: an auth token written to `localStorage`/`sessionStorage`.

use backlint_engine::{FileCtx, Language, Node, NodeId, Rule, Sink};

use crate::knowledge::auth::{is_auth_endpoint, is_credential_name};
use crate::knowledge::browser::web_storage;

pub struct JwtInLocalStorage;

impl JwtInLocalStorage {
    pub const ID: &'static str = "jwt-in-local-storage";
}

/// Why the written value is an auth token.
enum Evidence<'t> {
    /// The storage key names a credential (`"accessToken"`, `TOKEN_KEY = 'app.jwt'`).
    Key(String),
    /// The value names or carries a credential; `origin` is where it was taken from when
    /// that is not at the write itself.
    Value {
        what: String,
        origin: Option<Node<'t>>,
    },
}

/// Properties that hold a whole response body, so the body of an auth response is followed
/// through them (`res.data`, `await res.json()`).
const BODY_PROPERTIES: &[&str] = &["data", "body", "result", "payload", "json", "response"];

/// Calls that wrap their argument without changing what it is.
const WRAPPERS: &[&str] = &[
    "stringify",
    "String",
    "btoa",
    "encodeURIComponent",
    "encrypt",
];

/// How many values the value analysis follows before giving up (bindings, wrappers, members).
const MAX_STEPS: usize = 16;

impl Rule for JwtInLocalStorage {
    fn id(&self) -> &'static str {
        Self::ID
    }

    fn kinds(&self, lang: Language) -> &'static [&'static str] {
        if lang.is_js_like() {
            &["call_expression", "assignment_expression"]
        } else {
            &[]
        }
    }

    fn applies(&self, file: &FileCtx<'_>) -> bool {
        file.source.contains("Storage")
    }

    fn check(&self, id: NodeId, ctx: &FileCtx<'_>, sink: &mut Sink) {
        let node = ctx.node(id);
        let found = match node.kind() {
            "call_expression" => set_item(node, ctx),
            _ => property_write(node, ctx),
        };
        let Some((storage, evidence)) = found else {
            return;
        };
        let (message, origin) = match evidence {
            Evidence::Key(key) => (
                format!(
                    "auth token written to `{storage}` under the key {key}: any script on the page, including one injected through XSS, can read it"
                ),
                None,
            ),
            Evidence::Value { what, origin } => (
                format!(
                    "auth token ({what}) written to `{storage}`: any script on the page, including one injected through XSS, can read it"
                ),
                origin,
            ),
        };
        let report = sink.report(node, message);
        report.help(
            "have the server set the token as an `httpOnly`, `Secure`, `SameSite` cookie, or keep it in memory with short-lived access tokens and refresh-token rotation",
        );
        if let Some(origin) = origin {
            report.related(origin, "the token comes from here");
        }
    }
}

/// `localStorage.setItem(key, value)` (also through `window.`/`globalThis.`/`self.` and a
/// `const store = window.localStorage` alias).
fn set_item<'t>(call: Node<'t>, ctx: &FileCtx<'t>) -> Option<(&'static str, Evidence<'t>)> {
    let callee = call.child_by_field_name("function")?;
    let method = member_name(callee, ctx)?;
    if method != "setItem" {
        return None;
    }
    let storage = storage_of(callee.child_by_field_name("object")?, ctx)?;
    let args = call.child_by_field_name("arguments")?;
    let mut cursor = args.walk();
    let mut it = args
        .named_children(&mut cursor)
        .filter(|n| n.kind() != "comment");
    let key = it.next()?;
    let value = it.next();
    if let Some(k) = key_evidence(key, ctx) {
        return Some((storage, k));
    }
    Some((storage, value_evidence(value?, ctx)?))
}

/// `localStorage.token = t`, `localStorage["jwt"] = t`.
fn property_write<'t>(assign: Node<'t>, ctx: &FileCtx<'t>) -> Option<(&'static str, Evidence<'t>)> {
    let left = assign.child_by_field_name("left")?;
    let storage = storage_of(left.child_by_field_name("object")?, ctx)?;
    let key = match left.kind() {
        "member_expression" => {
            let prop = left.child_by_field_name("property")?;
            let name = ctx.text(prop);
            is_credential_name(name).then(|| Evidence::Key(format!("`{name}`")))
        }
        "subscript_expression" => key_evidence(left.child_by_field_name("index")?, ctx),
        _ => return None,
    };
    if let Some(k) = key {
        return Some((storage, k));
    }
    Some((
        storage,
        value_evidence(assign.child_by_field_name("right")?, ctx)?,
    ))
}

fn member_name<'t>(callee: Node<'t>, ctx: &FileCtx<'t>) -> Option<&'t str> {
    match callee.kind() {
        "member_expression" => Some(ctx.text(callee.child_by_field_name("property")?)),
        "subscript_expression" => ctx.string_value(callee.child_by_field_name("index")?),
        _ => None,
    }
}

/// The Web Storage object an expression is, if it is one: the global itself, or a constant
/// alias of it (`const store = remember ? localStorage : sessionStorage` counts when both
/// branches are Web Storage).
fn storage_of<'t>(object: Node<'t>, ctx: &FileCtx<'t>) -> Option<&'static str> {
    if let Some(q) = ctx.qualified_name(object) {
        return web_storage(&q);
    }
    let value = match object.kind() {
        "identifier" => ctx.const_value(object)?,
        _ => object,
    };
    if value.kind() == "ternary_expression" {
        let a = storage_of_global(value.child_by_field_name("consequence")?, ctx)?;
        let b = storage_of_global(value.child_by_field_name("alternative")?, ctx)?;
        return Some(if a == b { a } else { "Web Storage" });
    }
    storage_of_global(value, ctx)
}

fn storage_of_global<'t>(expr: Node<'t>, ctx: &FileCtx<'t>) -> Option<&'static str> {
    web_storage(&ctx.qualified_name(expr)?)
}

/// Whether a storage key names a credential: literal keys, template literals, constants
/// (`const TOKEN_KEY = 'app.jwt'`), constant-object members (`KEYS.accessToken`).
fn key_evidence<'t>(key: Node<'t>, ctx: &FileCtx<'t>) -> Option<Evidence<'t>> {
    let shown = |text: &str| Some(Evidence::Key(quote(text)));
    if let Some(text) = ctx.string_value(key) {
        return if is_credential_name(text) {
            shown(text)
        } else {
            None
        };
    }
    match key.kind() {
        "template_string" => {
            let literal: String = literal_parts(key, ctx).join(" ");
            if is_credential_name(&literal) {
                shown(ctx.text(key))
            } else {
                None
            }
        }
        "identifier" => {
            if let Some(value) = ctx.const_value(key) {
                if let Some(text) = ctx.string_value(value) {
                    return if is_credential_name(text) {
                        Some(Evidence::Key(format!(
                            "`{}` (= {})",
                            ctx.text(key),
                            quote(text)
                        )))
                    } else {
                        None
                    };
                }
            }
            let name = ctx.text(key);
            if is_credential_name(name) {
                Some(Evidence::Key(format!("`{name}`")))
            } else {
                None
            }
        }
        "member_expression" => {
            let prop = ctx.text(key.child_by_field_name("property")?);
            if is_credential_name(prop) {
                Some(Evidence::Key(format!("`{}`", ctx.text(key))))
            } else {
                None
            }
        }
        "binary_expression" => {
            let mut parts = Vec::new();
            let mut stack = vec![key];
            while let Some(n) = stack.pop() {
                if n.kind() == "binary_expression" {
                    stack.extend(n.child_by_field_name("left"));
                    stack.extend(n.child_by_field_name("right"));
                } else if let Some(s) = ctx.string_value(n) {
                    parts.push(s);
                }
            }
            if is_credential_name(&parts.join(" ")) {
                Some(Evidence::Key(format!("`{}`", ctx.text(key))))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Whether a stored value is a credential: named like one (`jwt`, `data.accessToken`,
/// `headers.authorization`), an object or JSON carrying one (`JSON.stringify({ token })`), a
/// `Bearer …` string, or the body of an authentication endpoint's response. Follows constant
/// bindings and wrapping calls a bounded number of steps, with an explicit worklist.
fn value_evidence<'t>(value: Node<'t>, ctx: &FileCtx<'t>) -> Option<Evidence<'t>> {
    let mut work: Vec<(Node<'t>, Option<Node<'t>>)> = vec![(value, None)];
    let mut steps = 0;
    while let Some((n, origin)) = work.pop() {
        steps += 1;
        if steps > MAX_STEPS {
            break;
        }
        let named = |what: String| Some(Evidence::Value { what, origin });
        match n.kind() {
            "identifier" => {
                let name = ctx.text(n);
                if is_credential_name(name) {
                    return named(format!("`{name}`"));
                }
                let Some(b) = ctx.resolve(n) else { continue };
                let binding = ctx.binding(b);
                // A destructured name is a part of its value: follow it only when it is the
                // body of a response (`const { data } = await api.post('/login')`).
                if binding.destructured && !BODY_PROPERTIES.contains(&name) {
                    continue;
                }
                if let Some(v) = ctx
                    .const_value(n)
                    .or(binding.value.filter(|_| binding.destructured))
                {
                    work.push((v, origin.or(Some(v))));
                }
            }
            "member_expression" => {
                let prop = ctx.text(n.child_by_field_name("property")?);
                if is_credential_name(prop) {
                    return named(format!("`{}`", ctx.text(n)));
                }
                if BODY_PROPERTIES.contains(&prop) {
                    work.extend(n.child_by_field_name("object").map(|o| (o, origin)));
                }
            }
            "subscript_expression" => {
                let index = n.child_by_field_name("index")?;
                if ctx.string_value(index).is_some_and(is_credential_name) {
                    return named(format!("`{}`", ctx.text(n)));
                }
            }
            "await_expression"
            | "parenthesized_expression"
            | "non_null_expression"
            | "as_expression"
            | "satisfies_expression" => {
                work.extend(n.named_child(0).map(|c| (c, origin)));
            }
            "call_expression" => {
                let callee = n.child_by_field_name("function")?;
                let callee_name = match callee.kind() {
                    "identifier" => ctx.text(callee),
                    _ => member_name(callee, ctx).unwrap_or(""),
                };
                let args = n.child_by_field_name("arguments");
                if let Some(url) = args
                    .and_then(|a| a.named_child(0))
                    .and_then(|a| url_text(a, ctx))
                {
                    if is_auth_endpoint(&url) {
                        return named(format!("the response of `{url}`"));
                    }
                }
                if is_credential_name(callee_name) {
                    return named(format!("the result of `{}()`", ctx.text(callee)));
                }
                // `res.headers.get('Authorization')`, `params.get('token')`
                if callee_name == "get" {
                    let first = args.and_then(|a| a.named_child(0));
                    if let Some(key) = first.and_then(|a| ctx.string_value(a)) {
                        if is_credential_name(key) {
                            return named(format!("`{}`", ctx.text(n)));
                        }
                    }
                }
                if WRAPPERS.contains(&callee_name) {
                    if let Some(a) = args.and_then(|a| a.named_child(0)) {
                        work.push((a, origin));
                    }
                } else if callee_name == "json" || callee_name == "text" {
                    // `await res.json()`: the body of `res`.
                    work.extend(callee.child_by_field_name("object").map(|o| (o, origin)));
                }
            }
            "object" => {
                let mut cursor = n.walk();
                for pair in n.named_children(&mut cursor) {
                    let key = match pair.kind() {
                        "shorthand_property_identifier" => Some(pair),
                        "pair" => {
                            work.extend(pair.child_by_field_name("value").map(|c| (c, origin)));
                            pair.child_by_field_name("key")
                        }
                        "spread_element" => {
                            work.extend(pair.named_child(0).map(|c| (c, origin)));
                            None
                        }
                        _ => None,
                    };
                    let Some(key) = key else { continue };
                    let text = ctx.string_value(key).unwrap_or_else(|| ctx.text(key));
                    if is_credential_name(text) {
                        return named(format!("an object with `{text}`"));
                    }
                }
            }
            "template_string" => {
                let mut cursor = n.walk();
                for sub in n.named_children(&mut cursor) {
                    if sub.kind() == "template_substitution" {
                        work.extend(sub.named_child(0).map(|c| (c, origin)));
                    }
                }
                if literal_parts(n, ctx).iter().any(|p| is_bearer(p)) {
                    return named("a `Bearer` credential".to_string());
                }
            }
            "binary_expression" => {
                work.extend(n.child_by_field_name("left").map(|c| (c, origin)));
                work.extend(n.child_by_field_name("right").map(|c| (c, origin)));
            }
            "ternary_expression" => {
                work.extend(n.child_by_field_name("consequence").map(|c| (c, origin)));
                work.extend(n.child_by_field_name("alternative").map(|c| (c, origin)));
            }
            "array" | "spread_element" => {
                let mut cursor = n.walk();
                let items: Vec<Node<'t>> = n.named_children(&mut cursor).collect();
                work.extend(items.into_iter().map(|c| (c, origin)));
            }
            // Literal secrets are the secrets rule's business; a `Bearer ` prefix glued to a
            // value marks that value as a credential.
            "string" if ctx.string_value(n).is_some_and(is_bearer) => {
                return named("a `Bearer` credential".to_string());
            }
            _ => {}
        }
    }
    None
}

fn url_text<'t>(arg: Node<'t>, ctx: &FileCtx<'t>) -> Option<String> {
    if let Some(s) = ctx.string_value(arg) {
        return Some(s.to_string());
    }
    if arg.kind() == "template_string" {
        return Some(literal_parts(arg, ctx).join("/"));
    }
    None
}

fn literal_parts<'t>(template: Node<'t>, ctx: &FileCtx<'t>) -> Vec<&'t str> {
    let mut cursor = template.walk();
    template
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "string_fragment")
        .map(|c| ctx.text(c))
        .collect()
}

fn is_bearer(text: &str) -> bool {
    text.trim_start()
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("bearer "))
}

fn quote(text: &str) -> String {
    format!("\"{text}\"")
}
