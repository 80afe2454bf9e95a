//! The route model: HTTP routes, the routers they hang on, how routers are mounted, and where
//! rate limiting applies — as per-file facts, joined in the project pass. Every HTTP rule
//! that needs "which routes exist and what wraps them" reuses it.
//!
//! Per file ([`collect`]):
//! - Express: `express()` apps and `Router()` routers (local bindings, or parameters named
//!   like one), `x.get/post/…(path, …middleware, handler)` and `x.route(path).post(…)`,
//!   `x.use([path,] …)` mounting routers (local or imported) and applying middleware;
//! - NestJS: `@Controller(prefix)` classes and their `@Get/@Post/…(path)` methods, with
//!   `@Throttle`, `@UseGuards(ThrottlerGuard)` and `@SkipThrottle` on the method or class;
//!   global guards (`{ provide: APP_GUARD, useClass: ThrottlerGuard }`,
//!   `app.useGlobalGuards(…)`);
//! - exports of routers (`module.exports = router`, `export default`, `export const`);
//! - Flask and FastAPI (see [`python`]): `Flask()`/`FastAPI()` apps, `Blueprint`/`APIRouter`
//!   routers with their prefixes, `@x.route/post/…` routes, `register_blueprint` and
//!   `include_router` mounts, Flask-Limiter/slowapi `@limiter.limit`, `@limiter.exempt`,
//!   `default_limits`, and rate-limiting `dependencies`.
//!
//! In the project pass, [`RouteGraph`] resolves each route's mount chain through imports to
//! its full path and answers whether rate limiting covers it: [`Coverage`].

mod django;
mod next;
mod python;

pub use django::{DjangoGlobalLimit, DjangoRoute, DrfAuthenticatedByDefault, ViewFact};

use backlint_engine::index::{BindingKind, Imported};
use backlint_engine::{FileCtx, Location, Node, NodeId, Project};

use crate::knowledge::auth::{auth_operation_in_name, is_password_check};
use crate::knowledge::http::{NEST_ROUTE_DECORATORS, ROUTE_REGISTRATION_METHODS};
use crate::knowledge::rate_limit::{is_limiter_name_in, NEST_SKIP_DECORATORS, RATE_LIMIT_PACKAGES};
use crate::models::db_calls::imports_any;

/// A router as a file names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouterRef {
    /// A local binding of the file (`app`, `router`).
    Local(String),
    /// An imported binding: the module specifier and the member (`None`: the default export
    /// or the whole module).
    Import(String, Option<String>),
    /// A parameter (`export default (app) => { app.post(…) }`): mounted where we cannot see.
    Param(String),
    /// The framework's single application (NestJS controllers).
    Framework,
    /// A Next.js application: routes are files, limits come from `middleware.ts` matchers.
    Next,
}

/// What a router binding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouterKind {
    /// An application (`express()`): a root.
    App,
    /// A router (`express.Router()`): reachable only through a mount.
    Router,
}

#[derive(Debug, Clone)]
pub struct RouterFact {
    pub local: String,
    pub kind: RouterKind,
    /// The router's own path prefix (`APIRouter(prefix='/auth')`,
    /// `Blueprint(…, url_prefix='/auth')`).
    pub prefix: String,
}

/// A route registration.
#[derive(Debug, Clone)]
pub struct RouteFact {
    pub method: String,
    /// The path as registered on its router (`/login`), prefix of a NestJS controller included.
    pub path: String,
    pub router: RouterRef,
    pub location: Location,
    pub fingerprint: String,
    /// The handler (inline function or same-file function), for a related location.
    pub handler: Option<Location>,
    /// Why it is authentication-sensitive (`login` in the path, `bcrypt.compare` in the
    /// handler), if it is.
    pub auth: Option<String>,
    /// Rate limited by its own middleware, decorator or guard.
    pub limited: bool,
    /// Opted out of global limiting (`@SkipThrottle()`).
    pub skip: bool,
}

/// `parent.use(prefix, …, child)`.
#[derive(Debug, Clone)]
pub struct MountFact {
    pub parent: RouterRef,
    pub prefix: String,
    pub child: RouterRef,
    /// A limiter among the mount's middleware.
    pub limited: bool,
}

/// Rate limiting applied to a router (for paths under `prefix`), or to every route.
#[derive(Debug, Clone)]
pub struct LimitFact {
    pub target: RouterRef,
    pub prefix: String,
}

/// `module.exports = router`, `export default router`, `export const authRouter = …`.
#[derive(Debug, Clone)]
pub struct ExportFact {
    pub local: String,
    /// `None`: the default export / `module.exports`.
    pub exported: Option<String>,
}

/// A limiter with default limits for every route of the app it is bound to
/// (`limiter = Limiter(key, default_limits=[…])`).
#[derive(Debug, Clone)]
pub struct DefaultLimiter {
    pub local: String,
}

/// `limiter.init_app(app)`: binds a limiter to an app (`limiter` is
/// [`RouterRef::Framework`] for a middleware that applies whichever limiter the app holds).
#[derive(Debug, Clone)]
pub struct InitLimiter {
    pub limiter: RouterRef,
    pub target: RouterRef,
}

/// The file uses a rate limiter somewhere (imports a rate-limit package or makes a limiter).
#[derive(Debug, Clone)]
pub struct UsesLimiter;

/// Collects the route facts of a file into `sink`.
pub fn collect(ctx: &FileCtx<'_>, sink: &mut backlint_engine::Sink) {
    let Some(lang) = ctx.language() else { return };
    // Test apps register routes to exercise them, not to serve them.
    if crate::knowledge::secrets::is_test_path(ctx.path) {
        return;
    }
    if !lang.is_js_like() {
        python::collect(ctx, sink);
        django::collect(ctx, sink);
        return;
    }
    let uses = imports_any(ctx, RATE_LIMIT_PACKAGES);
    if uses {
        sink.fact(UsesLimiter);
    }
    next::collect(ctx, sink);
    let mut found_limiter = false;
    // Cheap text gates, once per file: most files have no controller and no global guard.
    let nest = ctx.source().contains("Controller");
    let app_guard = ctx.source().contains("APP_GUARD");
    for id in 0..ctx.len() as NodeId {
        let n = ctx.node(id);
        match n.kind() {
            "variable_declarator" => router_binding(n, ctx, sink),
            "call_expression" => {
                found_limiter |= express_call(n, ctx, sink) || nest_global_guards_call(n, ctx, sink)
            }
            "class_declaration" if nest => nest_controller(n, ctx, sink),
            "assignment_expression" | "export_statement" => export(n, ctx, sink),
            "object" if app_guard => found_limiter |= nest_global_guard(n, ctx, sink),
            _ => {}
        }
    }
    if found_limiter && !uses {
        sink.fact(UsesLimiter);
    }
}

fn text_of<'t>(n: Node<'t>, ctx: &FileCtx<'t>) -> &'t str {
    ctx.text(n)
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

/// `const app = express()`, `const router = express.Router()`, `Router()`.
fn router_binding(decl: Node<'_>, ctx: &FileCtx<'_>, sink: &mut backlint_engine::Sink) {
    let (Some(name), Some(value)) = (
        decl.child_by_field_name("name"),
        decl.child_by_field_name("value"),
    ) else {
        return;
    };
    if name.kind() != "identifier" {
        return;
    }
    if let Some(kind) = router_kind(value, ctx) {
        sink.fact(RouterFact {
            local: text_of(name, ctx).to_string(),
            kind,
            prefix: router_prefix(value, ctx),
        });
    }
}

fn router_kind(value: Node<'_>, ctx: &FileCtx<'_>) -> Option<RouterKind> {
    let call = match value.kind() {
        "call_expression" | "new_expression" => value,
        _ => return None,
    };
    let callee = call
        .child_by_field_name("function")
        .or_else(|| call.child_by_field_name("constructor"))?;
    // `express()`, `express.Router()`, `Router()` from express — or from a project's own
    // wrapper of it (`require('../shared/express')`).
    let q = ctx.qualified_name(callee)?;
    let is_express =
        |module: &str| module == "express" || module.rsplit('/').next() == Some("express");
    match q.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [m] if is_express(m) => Some(RouterKind::App),
        [m, "Router"] if is_express(m) => Some(RouterKind::Router),
        // Koa, Fastify, Hono apps; Koa routers.
        ["koa"] | ["fastify"] | ["fastify", "fastify" | "default"] | ["hono", "Hono"] => {
            Some(RouterKind::App)
        }
        ["@koa/router"] | ["koa-router"] | ["@koa/router" | "koa-router", "Router"] => {
            Some(RouterKind::Router)
        }
        _ => None,
    }
}

/// A Koa router's `prefix` option (`new Router({ prefix: '/auth' })`).
fn router_prefix(value: Node<'_>, ctx: &FileCtx<'_>) -> String {
    let Some(opts) = args(value).into_iter().find(|a| a.kind() == "object") else {
        return String::new();
    };
    let mut c = opts.walk();
    let found = opts.named_children(&mut c).find_map(|p| {
        (p.kind() == "pair"
            && p.child_by_field_name("key").map(|k| text_of(k, ctx)) == Some("prefix"))
        .then(|| p.child_by_field_name("value"))
        .flatten()
        .and_then(|v| ctx.string_value(v))
    });
    found.unwrap_or("").to_string()
}

/// The router a route or `use` call hangs on.
fn router_ref(object: Node<'_>, ctx: &FileCtx<'_>) -> Option<RouterRef> {
    if object.kind() != "identifier" {
        return None;
    }
    let name = text_of(object, ctx).to_string();
    let b = ctx.resolve(object)?;
    let binding = ctx.binding(b);
    match binding.kind {
        // `(app) => { app.post(…) }`, `function routes(router)`: named like one.
        BindingKind::Parameter => crate::names::words(&name)
            .iter()
            .any(|w| ROUTER_PARAM_WORDS.contains(&w.as_str()))
            .then_some(RouterRef::Param(name)),
        // An app or router of the project (`import app from './app'`); a package's default
        // export (`axios`) is no router.
        BindingKind::Import(i) => ctx.imports()[i as usize]
            .module
            .starts_with('.')
            .then(|| import_ref(ctx, i)),
        _ => {
            let v = binding.value?;
            router_kind(v, ctx)?;
            Some(RouterRef::Local(name))
        }
    }
}

/// Words of parameter names that hold an app or router.
const ROUTER_PARAM_WORDS: &[&str] = &[
    "app", "router", "server", "routes", "api", "fastify", "instance",
];

/// Whether an expression is a rate limiter: a call of a rate-limit package's factory, a
/// value or import named like a limiter, following `const` bindings.
pub(super) fn is_limiter(e: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    let mut n = e;
    for _ in 0..6 {
        match n.kind() {
            "call_expression" | "new_expression" => {
                let Some(callee) = n
                    .child_by_field_name("function")
                    .or_else(|| n.child_by_field_name("constructor"))
                else {
                    return false;
                };
                if let Some(q) = ctx.qualified_name(callee) {
                    if q.iter().any(|s| {
                        RATE_LIMIT_PACKAGES.contains(&s.as_str()) || is_limiter_name_in(ctx, s)
                    }) {
                        return true;
                    }
                }
                return is_limiter_name_in(ctx, text_of(callee, ctx));
            }
            "member_expression" => {
                // `bruteforce.prevent`, `limiters.login`
                return is_limiter_name_in(ctx, text_of(n, ctx));
            }
            "identifier" => {
                if is_limiter_name_in(ctx, text_of(n, ctx)) {
                    return true;
                }
                let Some(b) = ctx.resolve(n) else {
                    return false;
                };
                let binding = ctx.binding(b);
                if let BindingKind::Import(i) = binding.kind {
                    return is_limiter_name_in(ctx, &ctx.imports()[i as usize].module);
                }
                match binding.value {
                    Some(v) => n = v,
                    None => return false,
                }
            }
            "await_expression" | "parenthesized_expression" => match n.named_child(0) {
                Some(c) => n = c,
                None => return false,
            },
            _ => return false,
        }
    }
    false
}

/// A route's handler: the last argument, inline or a function of this file.
fn handler_node<'t>(h: Node<'t>, ctx: &FileCtx<'t>) -> Option<Node<'t>> {
    match h.kind() {
        "arrow_function" | "function_expression" | "function" => Some(h),
        "identifier" => {
            let b = ctx.resolve(h)?;
            let binding = ctx.binding(b);
            match binding.kind {
                BindingKind::Function => ctx.parent_node(binding.node),
                _ => binding
                    .value
                    .filter(|v| matches!(v.kind(), "arrow_function" | "function_expression")),
            }
        }
        // `accountController.deleteAccount` on an object literal of this file.
        "member_expression" => {
            let object = h.child_by_field_name("object")?;
            let name = ctx.last_name(h)?;
            let obj = ctx.const_value(object).filter(|v| v.kind() == "object")?;
            let mut c = obj.walk();
            let found = obj.named_children(&mut c).find_map(|m| match m.kind() {
                "method_definition" => {
                    (m.child_by_field_name("name").map(|n| ctx.text(n)) == Some(name)).then_some(m)
                }
                "pair" => (m.child_by_field_name("key").map(|n| ctx.text(n)) == Some(name))
                    .then(|| m.child_by_field_name("value"))
                    .flatten()
                    .filter(|v| matches!(v.kind(), "arrow_function" | "function_expression")),
                _ => None,
            });
            found
        }
        _ => None,
    }
}

/// Why a route is authentication-sensitive: its path, its handler's name, or a password
/// check in its handler.
pub(super) fn auth_reason(
    path: &str,
    handler: Option<Node<'_>>,
    handler_name: Option<&str>,
    ctx: &FileCtx<'_>,
) -> Option<String> {
    if let Some(w) = crate::knowledge::auth::auth_operation_with(path, ctx.options()) {
        return Some(format!("`{w}` in its path"));
    }
    if let Some(w) = handler_name.and_then(auth_operation_in_name) {
        return Some(format!("`{w}` in its handler's name"));
    }
    let h = handler?;
    let id = ctx.id_of(h)?;
    (id..ctx.subtree_end(id)).find_map(|x| {
        let n = ctx.node(x);
        if !matches!(n.kind(), "call_expression" | "call") {
            return None;
        }
        let callee = n.child_by_field_name("function")?;
        let text = text_of(callee, ctx);
        is_password_check(text).then(|| format!("its handler calls `{text}`"))
    })
}

/// Express `x.METHOD(path, …)`, `x.route(path).METHOD(…)` and `x.use(…)`. Returns whether a
/// limiter is applied.
fn express_call(call: Node<'_>, ctx: &FileCtx<'_>, sink: &mut backlint_engine::Sink) -> bool {
    let Some(callee) = call.child_by_field_name("function") else {
        return false;
    };
    if callee.kind() != "member_expression" {
        return false;
    }
    let Some(method) = ctx.last_name(callee) else {
        return false;
    };
    // Most calls are no route, mount or limiter registration: decide by the method first.
    if !(ROUTE_REGISTRATION_METHODS.contains(&method) || matches!(method, "use" | "register")) {
        return false;
    }
    let Some(object) = callee.child_by_field_name("object") else {
        return false;
    };
    let a = args(call);
    // `router.route('/login').post(…)`
    let (router_obj, path, handlers) = if object.kind() == "call_expression"
        && object
            .child_by_field_name("function")
            .and_then(|f| ctx.last_name(f))
            == Some("route")
    {
        let route_args = args(object);
        let Some(p) = route_args.first().and_then(|p| ctx.string_value(*p)) else {
            return false;
        };
        let Some(o) = object
            .child_by_field_name("function")
            .and_then(|f| f.child_by_field_name("object"))
        else {
            return false;
        };
        (o, Some(p.to_string()), a.clone())
    } else {
        let p = a
            .first()
            .and_then(|p| ctx.string_value(*p))
            .map(str::to_string);
        let rest = if p.is_some() {
            a[1..].to_vec()
        } else {
            a.clone()
        };
        (object, p, rest)
    };
    let Some(router) = router_ref(router_obj, ctx) else {
        return false;
    };
    // Hono `app.route('/auth', authApp)`: a mount.
    if method == "route"
        && path.is_some()
        && handlers.len() == 1
        && handlers[0].kind() == "identifier"
    {
        if let Some(child) = mounted_ref(handlers[0], ctx) {
            sink.fact(MountFact {
                parent: router,
                prefix: path.unwrap_or_default(),
                child,
                limited: false,
            });
        }
        return false;
    }
    // Fastify `app.register(rateLimit, { max: 100 })`: global by default.
    if method == "register" {
        let limited = handlers
            .first()
            .is_some_and(|h| is_limiter(*h, ctx) || is_limiter_name_in(ctx, text_of(*h, ctx)));
        if limited {
            sink.fact(LimitFact {
                target: router,
                prefix: String::new(),
            });
        }
        return limited;
    }
    // Fastify `fastify.route({ method: 'POST', url: '/login', handler })`.
    if method == "route" && path.is_none() {
        return fastify_route(call, router, &handlers, ctx, sink);
    }
    if method == "use" {
        let prefix = path.unwrap_or_default();
        let limited = handlers.iter().any(|h| is_limiter(*h, ctx));
        if limited {
            sink.fact(LimitFact {
                target: router.clone(),
                prefix: prefix.clone(),
            });
        }
        for h in &handlers {
            if is_limiter(*h, ctx) {
                continue;
            }
            // Koa `app.use(router.routes())`
            let h = match h.kind() {
                "call_expression" => match h
                    .child_by_field_name("function")
                    .filter(|f| {
                        matches!(
                            ctx.last_name(*f),
                            Some("routes" | "middleware" | "allowedMethods")
                        )
                    })
                    .and_then(|f| f.child_by_field_name("object"))
                {
                    Some(o) => o,
                    None => continue,
                },
                "identifier" => *h,
                _ => continue,
            };
            if h.kind() != "identifier" {
                continue;
            }
            if let Some(child) = mounted_ref(h, ctx) {
                sink.fact(MountFact {
                    parent: router.clone(),
                    prefix: prefix.clone(),
                    child,
                    limited,
                });
            }
        }
        return limited;
    }
    if !ROUTE_REGISTRATION_METHODS.contains(&method) || method == "route" {
        return false;
    }
    let Some(path) = path.filter(|p| p.starts_with('/') || p == "*") else {
        return false;
    };
    let Some(&last) = handlers.last() else {
        return false;
    };
    // A handler is a function (inline, named, or a controller's method): not a request body
    // (`axios.post('/login', creds)` is a client call).
    let handler = handler_node(last, ctx);
    let function_like = handler.is_some()
        || last.kind() == "member_expression"
        || (last.kind() == "call_expression")
        || (last.kind() == "identifier"
            && ctx.resolve(last).is_some_and(|b| {
                matches!(
                    ctx.binding(b).kind,
                    BindingKind::Import(_) | BindingKind::Function
                )
            }));
    if !function_like {
        return false;
    }
    let handler_name = match last.kind() {
        "identifier" | "member_expression" => ctx.last_name(last),
        _ => handler
            .and_then(|h| h.child_by_field_name("name"))
            .map(|n| text_of(n, ctx)),
    };
    let limited = handlers.iter().any(|h| {
        is_limiter(*h, ctx) || (h.kind() == "object" && text_of(*h, ctx).contains("rateLimit"))
    });
    // `passport.authenticate('local')` as middleware: a login.
    let passport = handlers.iter().any(|h| {
        h.kind() == "call_expression"
            && h.child_by_field_name("function")
                .is_some_and(|f| is_password_check(text_of(f, ctx)))
    });
    let auth = auth_reason(&path, handler, handler_name, ctx)
        .or_else(|| passport.then(|| "its `authenticate` middleware".to_string()));
    sink.fact(RouteFact {
        method: method.to_ascii_uppercase(),
        path,
        router,
        location: ctx.node_location(call),
        fingerprint: ctx.fingerprint_text(
            call.start_byte(),
            call.end_byte().min(call.start_byte() + 200),
        ),
        handler: handler.map(|h| ctx.node_location(h)),
        auth,
        limited,
        skip: false,
    });
    limited
}

/// `fastify.route({ method: 'POST', url: '/login', preHandler, config: { rateLimit }, handler })`.
fn fastify_route(
    call: Node<'_>,
    router: RouterRef,
    handlers: &[Node<'_>],
    ctx: &FileCtx<'_>,
    sink: &mut backlint_engine::Sink,
) -> bool {
    let Some(opts) = handlers.first().filter(|o| o.kind() == "object") else {
        return false;
    };
    let pairs = object_pairs(*opts, ctx);
    let get = |k: &str| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| *v);
    let (Some(url), Some(method)) = (
        get("url")
            .or_else(|| get("path"))
            .and_then(|u| ctx.string_value(u)),
        get("method").and_then(|m| ctx.string_value(m)),
    ) else {
        return false;
    };
    let handler = get("handler").and_then(|h| handler_node(h, ctx));
    let handler_name = get("handler").and_then(|h| ctx.last_name(h));
    let limited = text_of(*opts, ctx).contains("rateLimit")
        || ["preHandler", "onRequest"]
            .iter()
            .filter_map(|k| get(k))
            .any(|v| is_limiter_name_in(ctx, text_of(v, ctx)));
    sink.fact(RouteFact {
        method: method.to_ascii_uppercase(),
        path: url.to_string(),
        router,
        location: ctx.node_location(call),
        fingerprint: format!("{method} {url}"),
        handler: handler.map(|h| ctx.node_location(h)),
        auth: auth_reason(url, handler, handler_name, ctx),
        limited,
        skip: false,
    });
    limited
}

/// The `key: value` pairs of an object literal, keys as written.
fn object_pairs<'t>(obj: Node<'t>, ctx: &FileCtx<'t>) -> Vec<(String, Node<'t>)> {
    let mut c = obj.walk();
    let pairs = obj
        .named_children(&mut c)
        .filter(|p| p.kind() == "pair")
        .filter_map(|p| {
            Some((
                text_of(p.child_by_field_name("key")?, ctx).to_string(),
                p.child_by_field_name("value")?,
            ))
        })
        .collect();
    pairs
}

/// The router reference an import stands for: its module and member (`None`: the default
/// export or the whole module).
pub(super) fn import_ref(ctx: &FileCtx<'_>, import: backlint_engine::index::ImportId) -> RouterRef {
    let imp = &ctx.imports()[import as usize];
    let member = match &imp.imported {
        Imported::Member(m) => Some(m.clone()),
        Imported::Module => None,
    };
    RouterRef::Import(imp.module.clone(), member)
}

/// The Python module an imported name stands for: `views` after `from . import views` is
/// `.views`, after `from accounts import views` `accounts.views`, after `import app.views as
/// views` `app.views`.
pub(super) fn python_module_of(ctx: &FileCtx<'_>, name: Node<'_>) -> Option<String> {
    let b = ctx.resolve(name)?;
    let BindingKind::Import(i) = ctx.binding(b).kind else {
        return None;
    };
    let imp = &ctx.imports()[i as usize];
    Some(match &imp.imported {
        Imported::Member(m) if imp.module.ends_with('.') => format!("{}{m}", imp.module),
        Imported::Member(m) => format!("{}.{m}", imp.module),
        Imported::Module => imp.module.clone(),
    })
}

/// What a `use` argument mounts: a local router, an imported module member, a parameter.
fn mounted_ref(h: Node<'_>, ctx: &FileCtx<'_>) -> Option<RouterRef> {
    let b = ctx.resolve(h)?;
    let binding = ctx.binding(b);
    match binding.kind {
        BindingKind::Import(i) => Some(import_ref(ctx, i)),
        _ => {
            let v = binding.value?;
            match router_kind(v, ctx) {
                Some(_) => Some(RouterRef::Local(binding.name.to_string())),
                // `const authRouter = require('./routes/auth')`
                None => {
                    let module = ctx.require_source(v)?;
                    Some(RouterRef::Import(module.to_string(), None))
                }
            }
        }
    }
}

/// `module.exports = router`, `exports.auth = router`, `export default router`,
/// `export const router = Router()`, `export { router as authRouter }`.
fn export(n: Node<'_>, ctx: &FileCtx<'_>, sink: &mut backlint_engine::Sink) {
    match n.kind() {
        "assignment_expression" => {
            let (Some(l), Some(r)) = (
                n.child_by_field_name("left"),
                n.child_by_field_name("right"),
            ) else {
                return;
            };
            if r.kind() != "identifier" {
                return;
            }
            let left = text_of(l, ctx);
            let exported = if left == "module.exports" {
                None
            } else if let Some(name) = left
                .strip_prefix("module.exports.")
                .or_else(|| left.strip_prefix("exports."))
            {
                Some(name.to_string())
            } else {
                return;
            };
            sink.fact(ExportFact {
                local: text_of(r, ctx).to_string(),
                exported,
            });
        }
        _ => {
            let text = text_of(n, ctx);
            if let Some(v) = n.child_by_field_name("value") {
                if text.starts_with("export default") && v.kind() == "identifier" {
                    sink.fact(ExportFact {
                        local: text_of(v, ctx).to_string(),
                        exported: None,
                    });
                }
                return;
            }
            let mut c = n.walk();
            for child in n.named_children(&mut c) {
                match child.kind() {
                    "lexical_declaration" | "variable_declaration" => {
                        let mut d = child.walk();
                        for decl in child.named_children(&mut d) {
                            if let Some(name) = decl
                                .child_by_field_name("name")
                                .filter(|n| n.kind() == "identifier")
                            {
                                let name = text_of(name, ctx).to_string();
                                sink.fact(ExportFact {
                                    local: name.clone(),
                                    exported: Some(name),
                                });
                            }
                        }
                    }
                    "export_clause" => {
                        let mut d = child.walk();
                        for spec in child.named_children(&mut d) {
                            let (Some(name), alias) = (
                                spec.child_by_field_name("name"),
                                spec.child_by_field_name("alias"),
                            ) else {
                                continue;
                            };
                            let local = text_of(name, ctx).to_string();
                            let exported = alias.map(|a| text_of(a, ctx).to_string());
                            let exported = match exported.as_deref() {
                                Some("default") => None,
                                Some(x) => Some(x.to_string()),
                                None => Some(local.clone()),
                            };
                            sink.fact(ExportFact { local, exported });
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// The decorators of a class or method, with their names (`Post` for `@Post('login')`).
fn decorators<'t>(def: Node<'t>, ctx: &FileCtx<'t>) -> Vec<(&'t str, Node<'t>)> {
    let mut out = Vec::new();
    let mut push = |d: Node<'t>| {
        let Some(mut e) = d.named_child(0) else {
            return;
        };
        if e.kind() == "call_expression" {
            if let Some(f) = e.child_by_field_name("function") {
                e = f;
            }
        }
        if let Some(name) = ctx.last_name(e) {
            out.push((name, d));
        }
    };
    let mut c = def.walk();
    for child in def.children(&mut c) {
        if child.kind() == "decorator" {
            push(child);
        }
    }
    // Decorators written before the definition, comments between them skipped.
    let mut prev = def.prev_named_sibling();
    while let Some(p) = prev.filter(|p| matches!(p.kind(), "decorator" | "comment")) {
        if p.kind() == "decorator" {
            push(p);
        }
        prev = p.prev_named_sibling();
    }
    if let Some(parent) = ctx
        .parent_node(def)
        .filter(|p| p.kind() == "export_statement")
    {
        let mut c = parent.walk();
        for child in parent.children(&mut c) {
            if child.kind() == "decorator" {
                push(child);
            }
        }
    }
    out
}

fn decorator_arg<'t>(d: Node<'t>, ctx: &FileCtx<'t>) -> Option<&'t str> {
    let call = d.named_child(0).filter(|c| c.kind() == "call_expression")?;
    args(call).first().and_then(|a| ctx.string_value(*a))
}

/// A decorator list that runs a throttling guard: `@UseGuards(ThrottlerGuard)`. `@Throttle(…)`
/// alone only configures a guard that must run for it to limit anything.
fn nest_limited(decs: &[(&str, Node<'_>)], ctx: &FileCtx<'_>) -> bool {
    decs.iter().any(|(name, d)| {
        *name == "UseGuards"
            && d.named_child(0)
                .filter(|c| c.kind() == "call_expression")
                .is_some_and(|c| {
                    args(c)
                        .iter()
                        .any(|a| is_limiter_name_in(ctx, text_of(*a, ctx)))
                })
    })
}

/// A NestJS controller's routes.
fn nest_controller(class: Node<'_>, ctx: &FileCtx<'_>, sink: &mut backlint_engine::Sink) {
    let decs = decorators(class, ctx);
    let Some((_, controller)) = decs.iter().find(|(n, _)| *n == "Controller") else {
        return;
    };
    let prefix = decorator_arg(*controller, ctx).unwrap_or("");
    let class_limited = nest_limited(&decs, ctx);
    let class_skip = decs.iter().any(|(n, _)| NEST_SKIP_DECORATORS.contains(n));
    let Some(body) = class.child_by_field_name("body") else {
        return;
    };
    let mut c = body.walk();
    for m in body.named_children(&mut c) {
        if m.kind() != "method_definition" {
            continue;
        }
        let mdecs = decorators(m, ctx);
        let Some((verb, route)) = mdecs
            .iter()
            .find(|(n, _)| NEST_ROUTE_DECORATORS.contains(n))
        else {
            continue;
        };
        let sub = decorator_arg(*route, ctx).unwrap_or("");
        let path = join_paths(prefix, sub);
        let name = m.child_by_field_name("name").map(|n| text_of(n, ctx));
        let skip = class_skip || mdecs.iter().any(|(n, _)| NEST_SKIP_DECORATORS.contains(n));
        // `@SkipThrottle()` opts out of every throttling guard, the class's included.
        let limited = !skip && (class_limited || nest_limited(&mdecs, ctx));
        sink.fact(RouteFact {
            method: verb.to_ascii_uppercase(),
            path: path.clone(),
            router: RouterRef::Framework,
            location: ctx.node_location(*route),
            fingerprint: format!("{} {}", verb, path),
            handler: Some(ctx.node_location(m)),
            auth: auth_reason(&path, Some(m), name, ctx),
            limited,
            skip,
        });
    }
}

/// `{ provide: APP_GUARD, useClass: ThrottlerGuard }` (an object) or
/// `app.useGlobalGuards(new ThrottlerGuard(…))` — global rate limiting for NestJS.
fn nest_global_guard(obj: Node<'_>, ctx: &FileCtx<'_>, sink: &mut backlint_engine::Sink) -> bool {
    let text = text_of(obj, ctx);
    if !text.contains("APP_GUARD") {
        return false;
    }
    let pairs = object_pairs(obj, ctx);
    let provides = pairs
        .iter()
        .any(|(k, v)| k == "provide" && text_of(*v, ctx) == "APP_GUARD");
    let limiter = pairs.iter().any(|(k, v)| {
        matches!(
            k.as_str(),
            "useClass" | "useExisting" | "useValue" | "useFactory"
        ) && is_limiter_name_in(ctx, text_of(*v, ctx))
    });
    if provides && limiter {
        sink.fact(LimitFact {
            target: RouterRef::Framework,
            prefix: String::new(),
        });
        return true;
    }
    false
}

/// `app.useGlobalGuards(new ThrottlerGuard(…))`, `app.useGlobalGuards(app.get(ThrottlerGuard))`.
fn nest_global_guards_call(
    call: Node<'_>,
    ctx: &FileCtx<'_>,
    sink: &mut backlint_engine::Sink,
) -> bool {
    let is_global = call
        .child_by_field_name("function")
        .and_then(|f| ctx.last_name(f))
        == Some("useGlobalGuards");
    if is_global
        && args(call)
            .iter()
            .any(|a| is_limiter_name_in(ctx, text_of(*a, ctx)))
    {
        sink.fact(LimitFact {
            target: RouterRef::Framework,
            prefix: String::new(),
        });
        return true;
    }
    false
}

/// Joins a prefix and a path: `('/auth/', '/login')` → `/auth/login`.
pub fn join_paths(prefix: &str, path: &str) -> String {
    let a = prefix.trim_end_matches('/');
    let b = path.trim_start_matches('/');
    let joined = match (a.is_empty(), b.is_empty()) {
        (true, true) => "/".to_string(),
        (true, false) => format!("/{b}"),
        (false, true) => a.to_string(),
        (false, false) => format!("{a}/{b}"),
    };
    if joined.starts_with('/') {
        joined
    } else {
        format!("/{joined}")
    }
}

/// Whether a limiter's path prefix covers a route path (`/auth` covers `/auth/login`, not
/// `/authors`).
pub(super) fn prefix_covers(prefix: &str, path: &str) -> bool {
    // `/auth/*` (Hono), `/api/:path*` (Next.js matchers), `/auth/(.*)`
    let p = prefix
        .split(['*', '('])
        .next()
        .unwrap_or(prefix)
        .trim_end_matches(":path")
        .trim_end_matches('/');
    p.is_empty() || path == p || path.starts_with(&format!("{p}/"))
}

/// Whether rate limiting covers a route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    Covered,
    /// Nothing covers it; its full path.
    Uncovered(String),
    /// Mounted where the project does not show.
    Unknown,
}

/// What the route model says of a Django route.
#[derive(Debug, Clone)]
pub struct DjangoVerdict {
    pub path: String,
    pub coverage: Coverage,
    pub auth: Option<String>,
    pub view: Option<Location>,
}

/// A router's identity in the project: file path and local name.
type RouterId = (String, String);

/// The project's routers, mounts and limiters, joined across files.
pub struct RouteGraph<'p> {
    project: &'p Project<'p>,
}

impl<'p> RouteGraph<'p> {
    pub fn new(project: &'p Project<'p>) -> Self {
        RouteGraph { project }
    }

    /// Whether any file of the project uses a rate limiter.
    pub fn any_limiter(&self) -> bool {
        self.project.facts::<UsesLimiter>().next().is_some()
            || self.project.facts::<LimitFact>().next().is_some()
            || self.project.facts::<DjangoGlobalLimit>().next().is_some()
    }

    /// The router a reference in `file` stands for.
    fn resolve(&self, file: &str, r: &RouterRef) -> Option<RouterId> {
        match r {
            RouterRef::Local(name) => Some((file.to_string(), name.clone())),
            RouterRef::Import(module, member) => {
                let target = self.project.resolve_import(file, module)?;
                let export = target
                    .facts
                    .get::<ExportFact>()
                    .iter()
                    .find(|e| e.exported == *member)?;
                Some((target.path.clone(), export.local.clone()))
            }
            RouterRef::Param(_) | RouterRef::Framework | RouterRef::Next => None,
        }
    }

    /// Whether a limiter (as `file` names it) has default limits.
    fn has_default_limits(&self, file: &str, limiter: &RouterRef) -> bool {
        // A middleware that applies whichever limiter the app holds (slowapi).
        if *limiter == RouterRef::Framework {
            return self.project.facts::<DefaultLimiter>().next().is_some();
        }
        self.resolve(file, limiter).is_some_and(|(f, local)| {
            self.project.file(&f).is_some_and(|f| {
                f.facts
                    .get::<DefaultLimiter>()
                    .iter()
                    .any(|d| d.local == local)
            })
        })
    }

    /// A Django route's full path (through the `include()` chain), coverage, why it is
    /// authentication-sensitive, and its view's location.
    pub fn django(&self, file: &str, route: &DjangoRoute) -> DjangoVerdict {
        let full = self.urlconf_path(file, &route.path);
        // A view is any module-level function or class of that name: no export to follow.
        let (module_file, name) = match &route.view {
            RouterRef::Local(name) => (self.project.file(file), Some(name.clone())),
            RouterRef::Import(module, member) => {
                (self.project.resolve_import(file, module), member.clone())
            }
            _ => (None, None),
        };
        let view = module_file.zip(name).and_then(|(f, name)| {
            f.facts
                .get::<ViewFact>()
                .iter()
                .find(|v| v.name == name)
                .cloned()
        });
        let by_words = crate::knowledge::auth::auth_operation_with(&full, self.project.options)
            .map(|w| format!("`{w}` in its path"))
            .or_else(|| {
                crate::knowledge::auth::auth_operation_in_name(&route.view_name)
                    .map(|w| format!("`{w}` in its view's name"))
            });
        // A view only signed-in users reach can be hammered only at what it checks itself
        // (a password): its path and name alone do not make it a target.
        let drf_authenticated = self
            .project
            .facts::<DrfAuthenticatedByDefault>()
            .next()
            .is_some();
        let auth = match &view {
            Some(v) if v.authenticated || (v.drf && drf_authenticated && !v.allow_any) => {
                v.auth.clone()
            }
            _ => by_words.or_else(|| view.as_ref().and_then(|v| v.auth.clone())),
        };
        let globals: Vec<bool> = self
            .project
            .facts::<DjangoGlobalLimit>()
            .map(|(_, g)| g.drf_only)
            .collect();
        let all = globals.iter().any(|d| !d);
        let drf_default = globals.iter().any(|d| *d);
        let coverage = match (&view, route.package_view) {
            (Some(v), _) => {
                if v.page_only || v.limited || all || (v.drf && !v.skip && drf_default) {
                    Coverage::Covered
                } else {
                    Coverage::Uncovered(full.clone())
                }
            }
            (None, Some(drf)) => {
                if all || (drf && drf_default) {
                    Coverage::Covered
                } else {
                    Coverage::Uncovered(full.clone())
                }
            }
            (None, None) => Coverage::Unknown,
        };
        DjangoVerdict {
            path: full,
            coverage,
            auth,
            view: view.map(|v| v.location),
        }
    }

    /// A urlconf path with the prefixes of the `include()` chain that reaches it.
    fn urlconf_path(&self, file: &str, path: &str) -> String {
        let mut full = join_paths("", path);
        let mut id: RouterId = (file.to_string(), "urlpatterns".to_string());
        for _ in 0..8 {
            let parent = self.project.facts::<MountFact>().find(|(f, m)| {
                self.resolve(&f.path, &m.child).as_ref() == Some(&id)
                    && matches!(&m.parent, RouterRef::Local(n) if n == "urlpatterns")
            });
            let Some((f, m)) = parent else { break };
            full = join_paths(&m.prefix, &full);
            id = (f.path.clone(), "urlpatterns".to_string());
        }
        full
    }

    /// Whether a route of `file` is covered.
    pub fn coverage(&self, file: &str, route: &RouteFact) -> Coverage {
        if route.limited {
            return Coverage::Covered;
        }
        match &route.router {
            RouterRef::Framework => {
                let global = !route.skip
                    && self
                        .project
                        .facts::<LimitFact>()
                        .any(|(_, l)| l.target == RouterRef::Framework);
                if global {
                    Coverage::Covered
                } else {
                    Coverage::Uncovered(route.path.clone())
                }
            }
            RouterRef::Param(_) => Coverage::Unknown,
            RouterRef::Next => {
                let covered = self.project.facts::<LimitFact>().any(|(_, l)| {
                    l.target == RouterRef::Next && prefix_covers(&l.prefix, &route.path)
                });
                if covered {
                    Coverage::Covered
                } else {
                    Coverage::Uncovered(route.path.clone())
                }
            }
            r => match self.resolve(file, r) {
                Some(id) => self.router_coverage(&id, &route.path, route.skip, 0),
                None => Coverage::Unknown,
            },
        }
    }

    /// Coverage of `path` (relative to router `id`) through `id` and every chain that mounts
    /// it: covered only if every chain is.
    /// `skip`: the route is exempt from every limit but its own (`@limiter.exempt`).
    fn router_coverage(&self, id: &RouterId, path: &str, skip: bool, depth: u32) -> Coverage {
        if depth > 8 {
            return Coverage::Unknown;
        }
        let (file, local) = id;
        // A router's own prefix is part of the paths its limiters and mounts see.
        let own = self
            .project
            .file(file)
            .and_then(|f| {
                f.facts
                    .get::<RouterFact>()
                    .iter()
                    .find(|r| &r.local == local)
            })
            .map(|r| r.prefix.clone())
            .unwrap_or_default();
        let full;
        let path = if own.is_empty() {
            path
        } else {
            full = join_paths(&own, path);
            full.as_str()
        };
        let limited_here = !skip
            && (self.project.facts::<LimitFact>().any(|(f, l)| {
                self.resolve(&f.path, &l.target).as_ref() == Some(id)
                    && prefix_covers(&l.prefix, path)
            }) || self.project.facts::<InitLimiter>().any(|(f, i)| {
                self.resolve(&f.path, &i.target).as_ref() == Some(id)
                    && self.has_default_limits(&f.path, &i.limiter)
            }));
        if limited_here {
            return Coverage::Covered;
        }
        let mounts: Vec<(String, &MountFact)> = self
            .project
            .facts::<MountFact>()
            .filter(|(f, m)| self.resolve(&f.path, &m.child).as_ref() == Some(id))
            .map(|(f, m)| (f.path.clone(), m))
            .collect();
        if mounts.is_empty() {
            let kind = self
                .project
                .file(file)
                .and_then(|f| {
                    f.facts
                        .get::<RouterFact>()
                        .iter()
                        .find(|r| &r.local == local)
                })
                .map(|r| r.kind);
            return match kind {
                Some(RouterKind::App) => Coverage::Uncovered(path.to_string()),
                _ => Coverage::Unknown,
            };
        }
        let mut result = Coverage::Covered;
        for (f, m) in mounts {
            if m.limited && !skip {
                continue;
            }
            let full = join_paths(&m.prefix, path);
            let parent = match &m.parent {
                RouterRef::Param(_) => None,
                r => self.resolve(&f, r),
            };
            let c = match parent {
                Some(p) => self.router_coverage(&p, &full, skip, depth + 1),
                None => Coverage::Unknown,
            };
            match c {
                Coverage::Covered => {}
                Coverage::Uncovered(p) => return Coverage::Uncovered(p),
                Coverage::Unknown => result = Coverage::Unknown,
            }
        }
        result
    }
}
