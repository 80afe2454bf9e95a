//! Flask and FastAPI routes for the route model: apps (`Flask(__name__)`, `FastAPI()`),
//! routers with their prefixes (`Blueprint(…, url_prefix=…)`, `APIRouter(prefix=…)`),
//! decorated route functions, mounts (`register_blueprint`, `include_router`) and rate
//! limits (Flask-Limiter and slowapi `@limiter.limit`, `@limiter.exempt`, a `Limiter` with
//! `default_limits`, `dependencies=[Depends(RateLimiter(…))]`).

use backlint_engine::index::{BindingKind, ScopeKind};
use backlint_engine::{FileCtx, Node, NodeId, Sink};

use super::{
    auth_reason, import_ref, python_module_of, DefaultLimiter, ExportFact, InitLimiter, LimitFact,
    MountFact, RouteFact, RouterFact, RouterKind, RouterRef, UsesLimiter,
};
use crate::knowledge::rate_limit::{is_limiter_name_in, RATE_LIMIT_PACKAGES};
use crate::models::db_calls::imports_any;

/// App and router constructors: (qualified name, kind, keyword holding the prefix).
const CONSTRUCTORS: &[(&[&str], RouterKind, &str)] = &[
    (&["flask", "Flask"], RouterKind::App, ""),
    (&["fastapi", "FastAPI"], RouterKind::App, ""),
    (&["flask", "Blueprint"], RouterKind::Router, "url_prefix"),
    (&["fastapi", "APIRouter"], RouterKind::Router, "prefix"),
    (
        &["fastapi", "routing", "APIRouter"],
        RouterKind::Router,
        "prefix",
    ),
];

/// Words of names that hold an app or router (`app`, `auth_bp`, `api_router`).
const ROUTER_NAME_WORDS: &[&str] = &[
    "app",
    "router",
    "bp",
    "blueprint",
    "api",
    "routes",
    "server",
];

/// Decorator methods that register a route, and the method they imply.
const ROUTE_DECORATORS: &[(&str, &str)] = &[
    ("get", "GET"),
    ("post", "POST"),
    ("put", "PUT"),
    ("patch", "PATCH"),
    ("delete", "DELETE"),
    ("route", ""),
    ("api_route", ""),
];

pub(super) fn collect(ctx: &FileCtx<'_>, sink: &mut Sink) {
    if imports_any(ctx, RATE_LIMIT_PACKAGES) {
        sink.fact(UsesLimiter);
    }
    for id in 0..ctx.len() as NodeId {
        let n = ctx.node(id);
        match n.kind() {
            "assignment" => router_binding(n, ctx, sink),
            "decorated_definition" => route(n, ctx, sink),
            "call" => {
                mount(n, ctx, sink);
                global_limiter(n, ctx, sink);
                init_app(n, ctx, sink);
            }
            _ => {}
        }
    }
}

fn args<'t>(call: Node<'t>) -> Vec<Node<'t>> {
    let Some(a) = call.child_by_field_name("arguments") else {
        return Vec::new();
    };
    let mut c = a.walk();
    a.named_children(&mut c)
        .filter(|n| n.kind() != "comment")
        .collect()
}

fn keyword<'t>(call: Node<'t>, name: &str, ctx: &FileCtx<'t>) -> Option<Node<'t>> {
    args(call).into_iter().find_map(|a| {
        (a.kind() == "keyword_argument"
            && a.child_by_field_name("name").map(|n| ctx.text(n)) == Some(name))
        .then(|| a.child_by_field_name("value"))
        .flatten()
    })
}

fn positional<'t>(call: Node<'t>) -> Vec<Node<'t>> {
    args(call)
        .into_iter()
        .filter(|a| a.kind() != "keyword_argument")
        .collect()
}

/// Whether a `dependencies=[…]` list (or any expression) holds a rate limiter
/// (`Depends(RateLimiter(times=5, seconds=60))`).
fn has_limiter(e: Option<Node<'_>>, ctx: &FileCtx<'_>) -> bool {
    e.is_some_and(|e| is_limiter_name_in(ctx, ctx.text(e)) || ctx.text(e).contains("RateLimiter"))
}

/// `app = Flask(__name__)`, `router = APIRouter(prefix="/auth", dependencies=[…])`.
fn router_binding(a: Node<'_>, ctx: &FileCtx<'_>, sink: &mut Sink) {
    let (Some(left), Some(right)) = (
        a.child_by_field_name("left"),
        a.child_by_field_name("right"),
    ) else {
        return;
    };
    if left.kind() != "identifier" || right.kind() != "call" {
        return;
    }
    let Some(q) = right
        .child_by_field_name("function")
        .and_then(|f| ctx.qualified_name(f))
    else {
        return;
    };
    let Some((_, kind, prefix_kw)) = CONSTRUCTORS.iter().find(|(name, _, _)| {
        q.len() == name.len() && q.iter().zip(name.iter()).all(|(a, b)| a == b)
    }) else {
        return;
    };
    let local = ctx.text(left).to_string();
    let prefix = if prefix_kw.is_empty() {
        String::new()
    } else {
        keyword(right, prefix_kw, ctx)
            .and_then(|v| ctx.string_value(v))
            .unwrap_or("")
            .to_string()
    };
    sink.fact(RouterFact {
        local: local.clone(),
        kind: *kind,
        prefix,
    });
    if has_limiter(keyword(right, "dependencies", ctx), ctx) {
        sink.fact(LimitFact {
            target: RouterRef::Local(local.clone()),
            prefix: String::new(),
        });
    }
    // Module-level names are importable: `from .auth import bp`.
    let module_level = ctx
        .resolve(left)
        .is_some_and(|b| ctx.scopes()[ctx.binding(b).scope as usize].kind == ScopeKind::Module);
    if module_level {
        sink.fact(ExportFact {
            local: local.clone(),
            exported: Some(local),
        });
    }
}

/// The router an expression names: a local app or router, or one imported from the project
/// (`from .auth import bp`, `auth.bp` after `from . import auth`).
fn router_ref(e: Node<'_>, ctx: &FileCtx<'_>) -> Option<RouterRef> {
    match e.kind() {
        "identifier" => {
            let b = ctx.resolve(e)?;
            let binding = ctx.binding(b);
            match binding.kind {
                BindingKind::Import(i) => Some(import_ref(ctx, i)),
                BindingKind::Parameter => Some(RouterRef::Param(ctx.text(e).to_string())),
                _ => {
                    let v = binding.value?;
                    let q = v
                        .child_by_field_name("function")
                        .and_then(|f| ctx.qualified_name(f))?;
                    CONSTRUCTORS
                        .iter()
                        .any(|(name, _, _)| {
                            q.len() == name.len() && q.iter().zip(name.iter()).all(|(a, b)| a == b)
                        })
                        .then(|| RouterRef::Local(binding.name.to_string()))
                }
            }
        }
        // `auth.bp` with `from . import auth` / `import app.auth as auth`
        "attribute" => {
            let module = python_module_of(ctx, e.child_by_field_name("object")?)?;
            Some(RouterRef::Import(
                module,
                Some(ctx.last_name(e)?.to_string()),
            ))
        }
        _ => None,
    }
}

/// A decorated function that is a route: `@bp.post("/login")`, `@app.route("/login",
/// methods=["POST"])`, with limiter decorators around it.
fn route(def: Node<'_>, ctx: &FileCtx<'_>, sink: &mut Sink) {
    let Some(func) = def
        .child_by_field_name("definition")
        .filter(|f| f.kind() == "function_definition")
    else {
        return;
    };
    let mut c = def.walk();
    let decorators: Vec<Node<'_>> = def
        .named_children(&mut c)
        .filter(|d| d.kind() == "decorator")
        .collect();
    let mut limited = false;
    let mut skip = false;
    let mut found = None;
    for d in &decorators {
        let Some(expr) = d.named_child(0) else {
            continue;
        };
        let text = ctx.text(expr);
        // `@limiter.limit("5/minute")`, `@ratelimit(key="ip", rate="5/m")`, `@limiter.exempt`
        if text.ends_with(".exempt") {
            skip = true;
            continue;
        }
        let callee = if expr.kind() == "call" {
            expr.child_by_field_name("function")
        } else {
            Some(expr)
        };
        if callee.is_some_and(|c| is_limiter_name_in(ctx, ctx.text(c))) {
            limited = true;
            continue;
        }
        if expr.kind() != "call" {
            continue;
        }
        let Some(f) = callee.filter(|f| f.kind() == "attribute") else {
            continue;
        };
        let Some(method) = ctx.last_name(f) else {
            continue;
        };
        let Some((_, implied)) = ROUTE_DECORATORS.iter().find(|(m, _)| *m == method) else {
            continue;
        };
        let Some(object) = f.child_by_field_name("object") else {
            continue;
        };
        // `@router.post(…)`, `@auth_bp.route(…)` — not `@mock.patch(…)` or `@cache.get(…)`.
        let Some(router) = router_ref(object, ctx).filter(|r| {
            matches!(r, RouterRef::Local(_))
                || ctx.last_name(object).is_some_and(|n| {
                    crate::names::words(n)
                        .iter()
                        .any(|w| ROUTER_NAME_WORDS.contains(&w.as_str()))
                })
        }) else {
            continue;
        };
        let Some(path) = positional(expr)
            .first()
            .and_then(|p| ctx.string_value(*p))
            .or_else(|| keyword(expr, "path", ctx).and_then(|p| ctx.string_value(p)))
            .or_else(|| keyword(expr, "rule", ctx).and_then(|p| ctx.string_value(p)))
        else {
            continue;
        };
        // `@app.route(…)` answers GET unless `methods=[…]` says otherwise.
        let methods: Vec<String> = if implied.is_empty() {
            match keyword(expr, "methods", ctx) {
                Some(list) => {
                    let mut c = list.walk();
                    let found: Vec<String> = list
                        .named_children(&mut c)
                        .filter_map(|m| ctx.string_value(m))
                        .map(str::to_ascii_uppercase)
                        .collect();
                    found
                }
                None => vec!["GET".to_string()],
            }
        } else {
            vec![implied.to_string()]
        };
        if has_limiter(keyword(expr, "dependencies", ctx), ctx) {
            limited = true;
        }
        found = Some((router, path.to_string(), methods, *d));
    }
    let Some((router, path, methods, decorator)) = found else {
        return;
    };
    let method = methods
        .iter()
        .find(|m| !matches!(m.as_str(), "GET" | "HEAD" | "OPTIONS"))
        .or(methods.first())
        .cloned()
        .unwrap_or_else(|| "GET".to_string());
    let name = func.child_by_field_name("name").map(|n| ctx.text(n));
    sink.fact(RouteFact {
        method,
        path: path.clone(),
        router,
        location: ctx.node_location(decorator),
        fingerprint: format!("{} {}", ctx.text(decorator), name.unwrap_or("")),
        handler: Some(ctx.node_location(func)),
        auth: auth_reason(&path, Some(func), name, ctx),
        limited,
        skip,
    });
}

/// `app.register_blueprint(bp, url_prefix="/auth")`, `app.include_router(router,
/// prefix="/api", dependencies=[Depends(RateLimiter(…))])`.
fn mount(call: Node<'_>, ctx: &FileCtx<'_>, sink: &mut Sink) {
    let Some(f) = call
        .child_by_field_name("function")
        .filter(|f| f.kind() == "attribute")
    else {
        return;
    };
    let method = ctx.last_name(f);
    // slowapi: `app.add_middleware(SlowAPIMiddleware)` applies the default limits of the
    // project's `Limiter` to every route of the app.
    if method == Some("add_middleware") {
        let slowapi = positional(call)
            .first()
            .is_some_and(|m| ctx.text(*m).contains("SlowAPI"));
        if let (true, Some(app)) = (
            slowapi,
            f.child_by_field_name("object")
                .and_then(|o| router_ref(o, ctx)),
        ) {
            sink.fact(InitLimiter {
                limiter: RouterRef::Framework,
                target: app,
            });
        }
        return;
    }
    let prefix_kw = match method {
        Some("register_blueprint") => "url_prefix",
        Some("include_router") => "prefix",
        _ => return,
    };
    let (Some(parent), Some(child)) = (
        f.child_by_field_name("object")
            .and_then(|o| router_ref(o, ctx)),
        positional(call).first().and_then(|c| router_ref(*c, ctx)),
    ) else {
        return;
    };
    let prefix = keyword(call, prefix_kw, ctx)
        .and_then(|v| ctx.string_value(v))
        .unwrap_or("")
        .to_string();
    sink.fact(MountFact {
        parent,
        prefix,
        child,
        limited: has_limiter(keyword(call, "dependencies", ctx), ctx),
    });
}

/// `Limiter(get_remote_address, app=app, default_limits=["200 per day"])` (Flask-Limiter,
/// slowapi): every route of the app is limited. A `Limiter` without default limits limits only
/// the routes decorated with it.
fn global_limiter(call: Node<'_>, ctx: &FileCtx<'_>, sink: &mut Sink) {
    let Some(f) = call.child_by_field_name("function") else {
        return;
    };
    if ctx.last_name(f) != Some("Limiter") {
        return;
    }
    let defaults =
        keyword(call, "default_limits", ctx).or_else(|| keyword(call, "application_limits", ctx));
    let non_empty = defaults.is_some_and(|d| d.named_child_count() > 0 || d.kind() != "list");
    sink.fact(UsesLimiter);
    if !non_empty {
        return;
    }
    // `Limiter(key, app=app, …)` / `Limiter(app, …)`: that app.
    let local_app = |a: &Node<'_>| matches!(router_ref(*a, ctx), Some(RouterRef::Local(_)));
    let bound = keyword(call, "app", ctx)
        .or_else(|| positional(call).into_iter().find(local_app))
        .and_then(|a| router_ref(a, ctx));
    if let Some(target) = bound {
        sink.fact(LimitFact {
            target,
            prefix: String::new(),
        });
        return;
    }
    // `limiter = Limiter(key, default_limits=[…])`, bound later with `limiter.init_app(app)`.
    let name = ctx
        .parent_node(call)
        .filter(|p| p.kind() == "assignment")
        .and_then(|p| p.child_by_field_name("left"))
        .filter(|l| l.kind() == "identifier");
    if let Some(name) = name {
        let local = ctx.text(name).to_string();
        sink.fact(DefaultLimiter {
            local: local.clone(),
        });
        sink.fact(ExportFact {
            local: local.clone(),
            exported: Some(local),
        });
    }
}

/// `limiter.init_app(app)`: the app gets the limiter's default limits, if it has some.
fn init_app(call: Node<'_>, ctx: &FileCtx<'_>, sink: &mut Sink) {
    let Some(f) = call
        .child_by_field_name("function")
        .filter(|f| f.kind() == "attribute")
    else {
        return;
    };
    if ctx.last_name(f) != Some("init_app") {
        return;
    }
    let Some(limiter) = f.child_by_field_name("object") else {
        return;
    };
    if !is_limiter_name_in(ctx, ctx.text(limiter)) {
        return;
    }
    let Some(app) = positional(call).first().and_then(|a| router_ref(*a, ctx)) else {
        return;
    };
    let limiter = match ctx.resolve(limiter).map(|b| ctx.binding(b).kind) {
        Some(BindingKind::Import(i)) => import_ref(ctx, i),
        _ => RouterRef::Local(ctx.text(limiter).to_string()),
    };
    sink.fact(InitLimiter {
        limiter,
        target: app,
    });
}
