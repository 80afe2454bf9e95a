//! HTTP frameworks as data: what sends a response body, and which functions are route handlers
//! whose return value is the response. Rules ask [`response_body`] and [`returns_response`];
//! they never recognise Express or FastAPI themselves.
//!
//! A response is sent by:
//! - a method of a response object (Express/Fastify/Koa/Hono): `res.json(x)`,
//!   `res.status(200).send(x)`, `reply.send(x)`, `c.json(x)`; the receiver is named like one
//!   ([`RESPONSE_OBJECT_NAMES`], [`CONTEXT_OBJECT_NAMES`]), through status/header calls;
//! - a response constructor or helper: `NextResponse.json(x)`, `Response.json(x)`,
//!   `new Response(JSON.stringify(x))`, Python `JsonResponse(x)`, `Response(x)`, `jsonify(x)`,
//!   `render(request, template, context)`;
//! - an assignment to a Koa body: `ctx.body = x`;
//! - the return value of a route handler: a NestJS controller method (`@Get()`), a handler
//!   written inline in a route registration (`fastify.get('/users', async () => …)`), a
//!   FastAPI or Flask route function (`@router.get(…)`, `@app.route(…)`), a DRF `@api_view`.

use backlint_engine::{FileCtx, Node};

/// Methods of a response object that send their argument as the body.
pub const RESPONSE_METHODS: &[&str] = &["json", "send", "jsonp", "end", "write"];

/// Calls on a response object that return it for chaining (`res.status(404).json(…)`).
pub const RESPONSE_CHAIN_METHODS: &[&str] = &[
    "status", "code", "header", "headers", "set", "type", "cookie", "vary",
];

/// Names of response objects (Express `res`, Fastify `reply`, Node `response`).
pub const RESPONSE_OBJECT_NAMES: &[&str] = &["res", "resp", "response", "reply", "rep"];

/// Names of request contexts whose methods send a body (Hono `c.json(x)`) or whose `body`
/// property is the response body (Koa `ctx.body = x`).
pub const CONTEXT_OBJECT_NAMES: &[&str] = &["c", "ctx", "context"];

/// Context methods that send a body (Hono).
pub const CONTEXT_RESPONSE_METHODS: &[&str] = &["json", "body", "text", "html"];

/// `<Class>.json(x)` static response helpers (Next.js, Fetch API).
pub const STATIC_RESPONSE_CLASSES: &[&str] = &["NextResponse", "Response"];

/// Python calls whose arguments become a response body (Django, DRF, Flask, FastAPI,
/// Starlette), by the callee's last name.
pub const PY_RESPONSE_CALLS: &[&str] = &[
    "Response",
    "JsonResponse",
    "HttpResponse",
    "StreamingHttpResponse",
    "jsonify",
    "make_response",
    "JSONResponse",
    "ORJSONResponse",
    "UJSONResponse",
    "render",
    "render_to_response",
    "TemplateResponse",
];

/// Methods of a router or app that register a route (`app.get('/x', handler)`).
pub const ROUTE_REGISTRATION_METHODS: &[&str] = &[
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "del",
    "all",
    "head",
    "options",
    "route",
    "api_route",
];

/// NestJS method decorators that make a controller method a route handler.
pub const NEST_ROUTE_DECORATORS: &[&str] = &[
    "Get", "Post", "Put", "Patch", "Delete", "All", "Head", "Options",
];

/// Python decorators (last name of the called decorator) that make a function a route whose
/// return value is the response: FastAPI/Flask/Starlette routers, DRF `@api_view`.
pub const PY_ROUTE_DECORATORS: &[&str] = &[
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "route",
    "api_route",
    "api_view",
    "action",
];

/// Django and DRF class-based view bases (last name), whose handler methods return the
/// response.
pub const PY_VIEW_BASES: &[&str] = &[
    "View",
    "APIView",
    "GenericAPIView",
    "ViewSet",
    "GenericViewSet",
    "ModelViewSet",
    "ReadOnlyModelViewSet",
    "ListAPIView",
    "ListCreateAPIView",
    "TemplateView",
    "ListView",
    "MethodView",
    "HTTPEndpoint",
];

/// Handler method names of class-based views.
pub const PY_VIEW_METHODS: &[&str] = &[
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "list",
    "retrieve",
    "create",
    "update",
    "dispatch",
    "get_context_data",
];

fn name_of_member<'t>(callee: Node<'t>) -> Option<Node<'t>> {
    callee
        .child_by_field_name("property")
        .or_else(|| callee.child_by_field_name("attribute"))
}

/// Strips `res.status(200)` and the like down to the response object.
fn response_object<'t>(mut recv: Node<'t>, ctx: &FileCtx<'t>) -> Node<'t> {
    for _ in 0..8 {
        if recv.kind() != "call_expression" {
            break;
        }
        let Some(f) = recv.child_by_field_name("function") else {
            break;
        };
        let Some(m) = name_of_member(f) else { break };
        if !RESPONSE_CHAIN_METHODS.contains(&ctx.text(m)) {
            break;
        }
        match f.child_by_field_name("object") {
            Some(o) => recv = o,
            None => break,
        }
    }
    recv
}

/// The arguments of `call` that become an HTTP response body, when `call` sends one.
pub fn response_body<'t>(call: Node<'t>, ctx: &FileCtx<'t>) -> Option<Vec<Node<'t>>> {
    let lang = ctx.language()?;
    let args = call.child_by_field_name("arguments")?;
    let mut c = args.walk();
    let all: Vec<Node<'t>> = args
        .named_children(&mut c)
        .filter(|n| n.kind() != "comment")
        .collect();
    if lang.is_js_like() {
        if call.kind() == "new_expression" {
            // `new Response(JSON.stringify(x))`
            let ctor = call.child_by_field_name("constructor")?;
            return STATIC_RESPONSE_CLASSES
                .contains(&ctx.text(ctor))
                .then(|| all.into_iter().take(1).collect());
        }
        let callee = call.child_by_field_name("function")?;
        let method = ctx.text(name_of_member(callee)?);
        let object = callee.child_by_field_name("object")?;
        let object = response_object(object, ctx);
        let object_name = match object.kind() {
            "identifier" => ctx.text(object),
            // `this.res`, `event.reply`
            "member_expression" => ctx.last_name(object).unwrap_or(""),
            _ => return None,
        };
        let sends = (RESPONSE_OBJECT_NAMES.contains(&object_name)
            && RESPONSE_METHODS.contains(&method))
            || (CONTEXT_OBJECT_NAMES.contains(&object_name)
                && CONTEXT_RESPONSE_METHODS.contains(&method))
            || (STATIC_RESPONSE_CLASSES.contains(&object_name) && method == "json");
        sends.then(|| all.into_iter().take(1).collect())
    } else {
        let callee = call.child_by_field_name("function")?;
        let name = ctx.last_name(callee)?;
        if !PY_RESPONSE_CALLS.contains(&name) {
            return None;
        }
        // `render(request, "t.html", context)`: the context, not the request.
        let skip = usize::from(matches!(name, "render" | "TemplateResponse"));
        Some(
            all.into_iter()
                .filter(|a| a.kind() != "keyword_argument" || keyword_is_body(*a, ctx))
                .skip(skip)
                .collect(),
        )
    }
}

fn keyword_is_body(kw: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    kw.child_by_field_name("name")
        .is_some_and(|n| matches!(ctx.text(n), "data" | "content" | "context" | "body"))
}

/// Whether an assignment target is a response body (Koa `ctx.body`, `ctx.response.body`).
pub fn is_response_body_target(target: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    if target.kind() != "member_expression" || ctx.last_name(target) != Some("body") {
        return false;
    }
    let Some(object) = target.child_by_field_name("object") else {
        return false;
    };
    let name = match object.kind() {
        "identifier" | "this" => ctx.text(object),
        "member_expression" => ctx.last_name(object).unwrap_or(""),
        _ => "",
    };
    CONTEXT_OBJECT_NAMES.contains(&name) || name == "response" || name == "this"
}

/// Decorators written on a JS/TS method, class or Python definition (both the grammar's
/// `decorator` children and decorators written before it as siblings).
fn decorators<'t>(def: Node<'t>, ctx: &FileCtx<'t>) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut c = def.walk();
    out.extend(def.children(&mut c).filter(|n| n.kind() == "decorator"));
    let mut prev = def.prev_named_sibling();
    while let Some(p) = prev.filter(|p| p.kind() == "decorator") {
        out.push(p);
        prev = p.prev_named_sibling();
    }
    // `export @Controller() class X` / `@Controller() export class X`; Python
    // `decorated_definition`.
    if let Some(parent) = ctx.parent_node(def) {
        if matches!(parent.kind(), "export_statement" | "decorated_definition") {
            let mut c = parent.walk();
            out.extend(parent.children(&mut c).filter(|n| n.kind() == "decorator"));
        }
    }
    out
}

/// The name a decorator calls or names: `Get` for `@Get(':id')`, `get` for
/// `@router.get("/")`.
fn decorator_name<'t>(decorator: Node<'t>, ctx: &FileCtx<'t>) -> Option<&'t str> {
    let mut expr = decorator.named_child(0)?;
    if matches!(expr.kind(), "call_expression" | "call") {
        expr = expr.child_by_field_name("function")?;
    }
    ctx.last_name(expr)
}

/// Whether `func` (a function node) is a route handler whose return value is sent as the
/// response.
pub fn returns_response(func: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    let Some(lang) = ctx.language() else {
        return false;
    };
    if lang.is_js_like() {
        match func.kind() {
            "method_definition" => {
                let routed = decorators(func, ctx).iter().any(|d| {
                    decorator_name(*d, ctx).is_some_and(|n| NEST_ROUTE_DECORATORS.contains(&n))
                });
                routed
            }
            "arrow_function" | "function_expression" | "function" => {
                // An inline handler of `app.get('/path', handler)`.
                let Some(args) = ctx.parent_node(func).filter(|p| p.kind() == "arguments") else {
                    return false;
                };
                let Some(call) = ctx.parent_node(args) else {
                    return false;
                };
                let registers = call
                    .child_by_field_name("function")
                    .and_then(name_of_member)
                    .is_some_and(|m| ROUTE_REGISTRATION_METHODS.contains(&ctx.text(m)));
                let path_first = args
                    .named_child(0)
                    .and_then(|a| ctx.string_value(a))
                    .is_some_and(|s| s.starts_with('/'));
                registers && path_first
            }
            _ => false,
        }
    } else {
        if func.kind() != "function_definition" {
            return false;
        }
        let routed = decorators(func, ctx)
            .iter()
            .any(|d| decorator_name(*d, ctx).is_some_and(|n| PY_ROUTE_DECORATORS.contains(&n)));
        routed || is_view_method(func, ctx)
    }
}

/// Whether a Python function is a handler method of a class-based view (`def get(self,
/// request)` in an `APIView`).
fn is_view_method(func: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    let Some(name) = func.child_by_field_name("name") else {
        return false;
    };
    if !PY_VIEW_METHODS.contains(&ctx.text(name)) {
        return false;
    }
    let Some(class) = ctx
        .id_of(func)
        .and_then(|id| ctx.enclosing_class(id))
        .map(|c| ctx.node(c))
    else {
        return false;
    };
    class_has_base(class, PY_VIEW_BASES, ctx)
}

/// Whether a Python class lists a base whose last name is one of `bases` (or ends with one:
/// `ListModelMixin` for `Mixin`-style tables is matched by the caller's table).
pub fn class_has_base(class: Node<'_>, bases: &[&str], ctx: &FileCtx<'_>) -> bool {
    class_bases(class, ctx).iter().any(|b| bases.contains(b))
}

/// The last names of a Python class's bases (`generics.ListAPIView` → `ListAPIView`).
pub fn class_bases<'t>(class: Node<'t>, ctx: &FileCtx<'t>) -> Vec<&'t str> {
    let Some(supers) = class.child_by_field_name("superclasses") else {
        return Vec::new();
    };
    let mut c = supers.walk();
    supers
        .named_children(&mut c)
        .filter(|b| matches!(b.kind(), "identifier" | "attribute"))
        .filter_map(|b| ctx.last_name(b))
        .collect()
}

/// The names of a Python class's methods (decorated ones included).
pub fn class_methods<'t>(class: Node<'t>, ctx: &FileCtx<'t>) -> Vec<&'t str> {
    let Some(body) = class.child_by_field_name("body") else {
        return Vec::new();
    };
    let mut c = body.walk();
    let defs: Vec<Node<'t>> = body
        .named_children(&mut c)
        .map(|s| {
            if s.kind() == "decorated_definition" {
                s.child_by_field_name("definition").unwrap_or(s)
            } else {
                s
            }
        })
        .filter(|s| s.kind() == "function_definition")
        .collect();
    defs.iter()
        .filter_map(|d| d.child_by_field_name("name").map(|n| ctx.text(n)))
        .collect()
}
