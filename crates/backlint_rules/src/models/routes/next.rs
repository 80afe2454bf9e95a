//! Next.js routes for the route model: route handlers (`app/**/route.ts` exporting `POST`…)
//! and API routes (`pages/api/**`), whose paths are their file paths, and `middleware.ts`,
//! which limits the paths its `config.matcher` names when it uses a rate limiter
//! (`@upstash/ratelimit`, a limiter call).

use backlint_engine::{FileCtx, Node, NodeId, Sink};

use super::{auth_reason, LimitFact, RouteFact, RouterRef};
use crate::knowledge::rate_limit::{is_limiter_name_in, RATE_LIMIT_PACKAGES};
use crate::models::db_calls::imports_any;

const HTTP_METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// The route path of a Next.js file: `src/app/api/auth/login/route.ts` → `/api/auth/login`,
/// `pages/api/auth/[...nextauth].ts` → `/api/auth/[...nextauth]`; `None` for other files.
pub fn next_path(path: &str) -> Option<(String, bool)> {
    let segments: Vec<&str> = path.split('/').collect();
    let file = *segments.last()?;
    let stem = file.rsplit_once('.').map(|(s, _)| s).unwrap_or(file);
    // App Router: …/app/<segments>/route.ts
    if stem == "route" {
        let app = segments.iter().rposition(|s| *s == "app")?;
        let parts: Vec<&str> = segments[app + 1..segments.len() - 1]
            .iter()
            .copied()
            // Route groups `(auth)` and private folders `_lib` are not in the URL.
            .filter(|s| !(s.starts_with('(') && s.ends_with(')')))
            .collect();
        return Some((format!("/{}", parts.join("/")), true));
    }
    // Pages Router: …/pages/api/<segments>.ts
    let pages = segments.iter().rposition(|s| *s == "pages")?;
    if segments.get(pages + 1) != Some(&"api") {
        return None;
    }
    let mut parts: Vec<&str> = segments[pages + 1..segments.len() - 1].to_vec();
    if stem != "index" {
        parts.push(stem);
    }
    Some((format!("/{}", parts.join("/")), false))
}

pub(super) fn collect(ctx: &FileCtx<'_>, sink: &mut Sink) {
    let file = ctx.path.rsplit('/').next().unwrap_or(ctx.path);
    if file.starts_with("middleware.") {
        middleware(ctx, sink);
        return;
    }
    let Some((path, app_router)) = next_path(ctx.path) else {
        return;
    };
    let root = ctx.node(0);
    let mut c = root.walk();
    for stmt in root.named_children(&mut c) {
        if stmt.kind() != "export_statement" {
            continue;
        }
        let text = ctx.text(stmt);
        let Some(decl) = stmt
            .child_by_field_name("declaration")
            .or_else(|| stmt.child_by_field_name("value"))
        else {
            continue;
        };
        // `export async function POST(req)`, `export const POST = …`, `export default handler`
        let (method, func) = match decl.kind() {
            "function_declaration" => {
                let name = decl.child_by_field_name("name").map(|n| ctx.text(n));
                match name {
                    Some(n) if app_router && HTTP_METHODS.contains(&n) => {
                        (n.to_string(), Some(decl))
                    }
                    Some(_) if !app_router && text.starts_with("export default") => {
                        (String::new(), Some(decl))
                    }
                    _ => continue,
                }
            }
            "lexical_declaration" if app_router => {
                let Some(d) = decl.named_child(0) else {
                    continue;
                };
                let name = d.child_by_field_name("name").map(|n| ctx.text(n));
                match name {
                    Some(n) if HTTP_METHODS.contains(&n) => {
                        (n.to_string(), d.child_by_field_name("value"))
                    }
                    _ => continue,
                }
            }
            _ if !app_router && text.starts_with("export default") => (String::new(), Some(decl)),
            _ => continue,
        };
        let limited = func.is_some_and(|f| calls_limiter(f, ctx));
        sink.fact(RouteFact {
            method: if method.is_empty() {
                "POST".to_string()
            } else {
                method
            },
            path: path.clone(),
            router: RouterRef::Next,
            location: ctx.node_location(stmt),
            fingerprint: format!("{} {}", ctx.path, decl.start_byte()),
            handler: func.map(|f| ctx.node_location(f)),
            auth: auth_reason(&path, func, None, ctx),
            limited,
            skip: false,
        });
    }
}

/// Whether a function calls a limiter (`await ratelimit.limit(ip)`, `limiter.check(…)`).
fn calls_limiter(f: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    let Some(id) = ctx.id_of(f) else { return false };
    (id..ctx.subtree_end(id)).any(|x: NodeId| {
        let n = ctx.node(x);
        n.kind() == "call_expression"
            && n.child_by_field_name("function")
                .is_some_and(|c| is_limiter_name_in(ctx, ctx.text(c)))
    })
}

/// `middleware.ts` that rate-limits: the paths of its `config.matcher` (all paths without one).
fn middleware(ctx: &FileCtx<'_>, sink: &mut Sink) {
    let root = ctx.node(0);
    if !(imports_any(ctx, RATE_LIMIT_PACKAGES) || calls_limiter(root, ctx)) {
        return;
    }
    let mut matchers = Vec::new();
    for id in 0..ctx.len() as NodeId {
        let n = ctx.node(id);
        if n.kind() != "pair"
            || n.child_by_field_name("key").map(|k| ctx.text(k)) != Some("matcher")
        {
            continue;
        }
        let Some(v) = n.child_by_field_name("value") else {
            continue;
        };
        match ctx.string_value(v) {
            Some(m) => matchers.push(m.to_string()),
            None => {
                let mut c = v.walk();
                matchers.extend(
                    v.named_children(&mut c)
                        .filter_map(|m| ctx.string_value(m))
                        .map(str::to_string),
                );
            }
        }
    }
    if matchers.is_empty() {
        matchers.push(String::new());
    }
    for prefix in matchers {
        sink.fact(LimitFact {
            target: RouterRef::Next,
            prefix,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::next_path;

    #[test]
    fn next_paths() {
        assert_eq!(
            next_path("src/app/api/auth/login/route.ts"),
            Some(("/api/auth/login".to_string(), true))
        );
        assert_eq!(
            next_path("app/(auth)/api/signup/route.js"),
            Some(("/api/signup".to_string(), true))
        );
        assert_eq!(
            next_path("pages/api/auth/reset-password.ts"),
            Some(("/api/auth/reset-password".to_string(), false))
        );
        assert_eq!(next_path("pages/about.tsx"), None);
        assert_eq!(next_path("src/lib/route-utils.ts"), None);
    }
}
