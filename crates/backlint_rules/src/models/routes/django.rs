//! Django and Django REST framework routes for the route model: `path()`/`re_path()` entries
//! of `urlpatterns` and the views they name, `include()` chains, per-view limits
//! (django-ratelimit `@ratelimit`, `method_decorator(ratelimit(…))`, DRF `throttle_classes`
//! and `@throttle_classes`) and project-wide ones (`REST_FRAMEWORK['DEFAULT_THROTTLE_CLASSES']`
//! for DRF views, django-axes or a rate-limit middleware in `MIDDLEWARE` for every view).

use backlint_engine::index::{BindingKind, Imported};
use backlint_engine::{FileCtx, Location, Node, NodeId, Sink};

use super::{auth_reason, python_module_of, ExportFact, MountFact, RouterRef};
use crate::knowledge::http::{class_bases, class_methods};
use crate::knowledge::rate_limit::{is_limiter_name_in, RATE_LIMIT_PACKAGES};

/// A `path(…)` entry: its route string and the view it names.
#[derive(Debug, Clone)]
pub struct DjangoRoute {
    pub path: String,
    pub view: RouterRef,
    /// The view as written, for auth words in its name (`LoginView`, `views.password_reset`).
    pub view_name: String,
    /// A view of a package (Django's `LoginView`, simplejwt's `TokenObtainPairView`): whether it
    /// is a DRF view, `None` for a view of the project.
    pub package_view: Option<bool>,
    pub location: Location,
    pub fingerprint: String,
}

/// A view function or class of the project.
#[derive(Debug, Clone)]
pub struct ViewFact {
    pub name: String,
    pub limited: bool,
    /// A DRF view (`@api_view`, `APIView`, viewsets): DRF's default throttles apply.
    pub drf: bool,
    /// `throttle_classes = []`: opted out of DRF's defaults.
    pub skip: bool,
    /// Shows a page only (a class with just `get`): nothing to hammer.
    pub page_only: bool,
    /// `permission_classes` says `AllowAny`.
    pub allow_any: bool,
    /// Only signed-in users reach it (`@login_required`, `LoginRequiredMixin`,
    /// `permission_classes = [IsAuthenticated]`).
    pub authenticated: bool,
    pub auth: Option<String>,
    pub location: Location,
}

/// `REST_FRAMEWORK['DEFAULT_PERMISSION_CLASSES']` holds `IsAuthenticated`: DRF views admit
/// only signed-in users unless they say `AllowAny`.
#[derive(Debug, Clone)]
pub struct DrfAuthenticatedByDefault;

/// Project-wide limits: DRF default throttles (`drf_only`) or a middleware for every view.
#[derive(Debug, Clone)]
pub struct DjangoGlobalLimit {
    pub drf_only: bool,
}

/// Modules of packages whose views are authentication endpoints, and whether they are DRF
/// views.
const PACKAGE_VIEW_MODULES: &[(&str, bool)] = &[
    ("django.contrib.auth.views", false),
    ("django.contrib.auth", false),
    ("allauth.account.views", false),
    ("rest_framework_simplejwt.views", true),
    ("rest_framework.authtoken.views", true),
    ("dj_rest_auth.views", true),
    ("knox.views", true),
];

/// Words (lower case) of decorators, mixins and permission classes that admit only signed-in
/// users.
const AUTHENTICATED_MARKERS: &[&str] = &[
    "login_required",
    "loginrequired",
    "permission_required",
    "permissionrequired",
    "staff_member_required",
    "user_passes_test",
    "userpassestest",
    "isauthenticated",
    "isadminuser",
    "administratorpermission",
    "staffmemberrequired",
];

/// Package views that only show a page (`GET`): the form they follow is the target.
const PAGE_ONLY_VIEWS: &[&str] = &[
    "PasswordResetDoneView",
    "PasswordResetCompleteView",
    "PasswordChangeDoneView",
    "LogoutView",
];

/// View bases that answer only what their own methods define (a subclass with just `get`
/// shows a page).
const PAGE_BASES: &[&str] = &[
    "View",
    "TemplateView",
    "APIView",
    "RetrieveAPIView",
    "ListAPIView",
];

/// Methods of a class-based view that act (a class with none of them only shows pages).
const ACTING_METHODS: &[&str] = &[
    "post",
    "put",
    "patch",
    "delete",
    "dispatch",
    "form_valid",
    "create",
    "update",
    "destroy",
    "partial_update",
];

/// Class bases of DRF views.
const DRF_BASE_WORDS: &[&str] = &["APIView", "ViewSet", "GenericAPIView"];

pub(super) fn collect(ctx: &FileCtx<'_>, sink: &mut Sink) {
    // A module that imports a rate-limit helper (`from app.helpers.ratelimit import
    // rate_limit`) limits in code, in its views or their forms: precision first.
    // A rate-limit package's decorators are applied view by view, and read there.
    let module_limits = ctx.imports().iter().any(|i| {
        let top = i.module.split('.').next().unwrap_or("");
        (is_limiter_name_in(ctx, &i.local) || is_limiter_name_in(ctx, &i.module))
            && !RATE_LIMIT_PACKAGES.contains(&top)
    });
    let root = ctx.node(0);
    let mut c = root.walk();
    for stmt in root.named_children(&mut c) {
        match stmt.kind() {
            "function_definition" | "class_definition" | "decorated_definition" => {
                view(stmt, module_limits, ctx, sink)
            }
            "expression_statement" => {
                let Some(a) = stmt.named_child(0).filter(|a| a.kind() == "assignment") else {
                    continue;
                };
                let (Some(l), Some(r)) = (
                    a.child_by_field_name("left"),
                    a.child_by_field_name("right"),
                ) else {
                    continue;
                };
                match ctx.text(l) {
                    "urlpatterns" => urlpatterns(r, ctx, sink),
                    "REST_FRAMEWORK" => {
                        if drf_throttles(r, ctx) {
                            sink.fact(DjangoGlobalLimit { drf_only: true });
                        }
                        if drf_setting_mentions(
                            r,
                            "DEFAULT_PERMISSION_CLASSES",
                            "IsAuthenticated",
                            ctx,
                        ) {
                            sink.fact(DrfAuthenticatedByDefault);
                        }
                    }
                    "MIDDLEWARE" | "MIDDLEWARE_CLASSES" if limiting_middleware(r, ctx) => {
                        sink.fact(DjangoGlobalLimit { drf_only: false });
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    // `urlpatterns += [...]`
    if !ctx.source().contains("urlpatterns") {
        return;
    }
    for id in 0..ctx.len() as NodeId {
        let n = ctx.node(id);
        if n.kind() == "augmented_assignment"
            && n.child_by_field_name("left").map(|l| ctx.text(l)) == Some("urlpatterns")
        {
            if let Some(r) = n.child_by_field_name("right") {
                urlpatterns(r, ctx, sink);
            }
        }
    }
}

fn args<'t>(call: Node<'t>) -> Vec<Node<'t>> {
    let Some(a) = call.child_by_field_name("arguments") else {
        return Vec::new();
    };
    let mut c = a.walk();
    a.named_children(&mut c)
        .filter(|n| !matches!(n.kind(), "comment" | "keyword_argument"))
        .collect()
}

/// Whether a `REST_FRAMEWORK` setting's value mentions `word`.
fn drf_setting_mentions(d: Node<'_>, key: &str, word: &str, ctx: &FileCtx<'_>) -> bool {
    if d.kind() != "dictionary" {
        return false;
    }
    let mut c = d.walk();
    let found = d.named_children(&mut c).any(|p| {
        p.kind() == "pair"
            && p.child_by_field_name("key")
                .and_then(|k| ctx.string_value(k))
                == Some(key)
            && p.child_by_field_name("value")
                .is_some_and(|v| ctx.text(v).contains(word))
    });
    found
}

/// django-axes or a rate-limiting middleware in `MIDDLEWARE`.
fn limiting_middleware(list: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    let t = ctx.text(list).to_ascii_lowercase();
    t.contains("axes") || t.contains("ratelimit") || t.contains("rate_limit")
}

/// `REST_FRAMEWORK = {"DEFAULT_THROTTLE_CLASSES": [...non-empty...]}`.
fn drf_throttles(d: Node<'_>, ctx: &FileCtx<'_>) -> bool {
    if d.kind() != "dictionary" {
        return false;
    }
    let mut c = d.walk();
    let found = d.named_children(&mut c).any(|p| {
        p.kind() == "pair"
            && p.child_by_field_name("key")
                .and_then(|k| ctx.string_value(k))
                == Some("DEFAULT_THROTTLE_CLASSES")
            && p.child_by_field_name("value")
                .is_some_and(|v| v.named_child_count() > 0)
    });
    found
}

/// The entries of a `urlpatterns` list.
fn urlpatterns(list: Node<'_>, ctx: &FileCtx<'_>, sink: &mut Sink) {
    if !matches!(list.kind(), "list" | "binary_operator") {
        return;
    }
    sink.fact(ExportFact {
        local: "urlpatterns".to_string(),
        exported: Some("urlpatterns".to_string()),
    });
    let Some(id) = ctx.id_of(list) else { return };
    for x in id..ctx.subtree_end(id) {
        let call = ctx.node(x);
        if call.kind() != "call" {
            continue;
        }
        let name = call
            .child_by_field_name("function")
            .and_then(|f| ctx.last_name(f));
        if !matches!(name, Some("path" | "re_path" | "url")) {
            continue;
        }
        let a = args(call);
        let (Some(route), Some(target)) = (a.first().and_then(|r| ctx.string_value(*r)), a.get(1))
        else {
            continue;
        };
        let path = route
            .trim_start_matches('^')
            .trim_end_matches('$')
            .to_string();
        // `include('accounts.urls')`, `include(accounts.urls)`, `include(router.urls)`
        if target.kind() == "call"
            && target
                .child_by_field_name("function")
                .and_then(|f| ctx.last_name(f))
                == Some("include")
        {
            let module = args(*target).first().and_then(|m| match m.kind() {
                "string" => ctx.string_value(*m).map(str::to_string),
                _ => module_of(*m, ctx),
            });
            if let Some(module) = module {
                sink.fact(MountFact {
                    parent: RouterRef::Local("urlpatterns".to_string()),
                    prefix: path,
                    child: RouterRef::Import(module, Some("urlpatterns".to_string())),
                    limited: false,
                });
            }
            continue;
        }
        let Some((view, view_name, package_view)) = view_ref(*target, ctx) else {
            continue;
        };
        sink.fact(DjangoRoute {
            path,
            view,
            view_name,
            package_view,
            location: ctx.node_location(call),
            fingerprint: ctx.fingerprint_text(call.start_byte(), call.end_byte()),
        });
    }
}

/// The module an expression names (`accounts.urls` after `import accounts.urls`).
fn module_of(e: Node<'_>, ctx: &FileCtx<'_>) -> Option<String> {
    let q = ctx.qualified_name(e)?;
    Some(q.join("."))
}

/// The view a `path()` entry names: `views.login_view`, `login_view`, `LoginView.as_view()`,
/// `auth_views.LoginView.as_view(template_name=…)`.
fn view_ref(target: Node<'_>, ctx: &FileCtx<'_>) -> Option<(RouterRef, String, Option<bool>)> {
    let mut e = target;
    if e.kind() == "call" {
        let f = e.child_by_field_name("function")?;
        if ctx.last_name(f) != Some("as_view") {
            return None;
        }
        e = f.child_by_field_name("object")?;
    }
    let name = ctx.last_name(e)?.to_string();
    let q = ctx.qualified_name(e)?;
    let module = q[..q.len().saturating_sub(1)].join(".");
    if PAGE_ONLY_VIEWS.contains(&name.as_str()) {
        return None;
    }
    if let Some((_, drf)) = PACKAGE_VIEW_MODULES.iter().find(|(m, _)| *m == module) {
        return Some((
            RouterRef::Import(module, Some(name.clone())),
            name,
            Some(*drf),
        ));
    }
    match e.kind() {
        "identifier" => {
            let b = ctx.resolve(e)?;
            let binding = ctx.binding(b);
            let r = match binding.kind {
                BindingKind::Import(i) => {
                    let imp = &ctx.imports()[i as usize];
                    match &imp.imported {
                        Imported::Member(m) => {
                            RouterRef::Import(imp.module.clone(), Some(m.clone()))
                        }
                        Imported::Module => return None,
                    }
                }
                _ => RouterRef::Local(name.clone()),
            };
            Some((r, name, None))
        }
        // `views.login_view` with `from . import views` / `from accounts import views`
        "attribute" => {
            let module = python_module_of(ctx, e.child_by_field_name("object")?)?;
            Some((RouterRef::Import(module, Some(name.clone())), name, None))
        }
        _ => None,
    }
}

/// A module-level view function (`def login_view(request)`) or view class.
fn view(stmt: Node<'_>, module_limits: bool, ctx: &FileCtx<'_>, sink: &mut Sink) {
    let (def, decorators) = if stmt.kind() == "decorated_definition" {
        let Some(def) = stmt.child_by_field_name("definition") else {
            return;
        };
        let mut c = stmt.walk();
        let decs: Vec<Node<'_>> = stmt
            .named_children(&mut c)
            .filter(|d| d.kind() == "decorator")
            .collect();
        (def, decs)
    } else {
        (stmt, Vec::new())
    };
    let Some(name) = def.child_by_field_name("name").map(|n| ctx.text(n)) else {
        return;
    };
    let decorated_limit = module_limits
        || decorators
            .iter()
            .any(|d| is_limiter_name_in(ctx, ctx.text(*d)));
    let decorated_drf = decorators.iter().any(|d| ctx.text(*d).contains("api_view"));
    let requires_login = |text: &str| {
        let t = text.to_ascii_lowercase();
        AUTHENTICATED_MARKERS.iter().any(|m| t.contains(m))
    };
    let decorated_auth = decorators.iter().any(|d| requires_login(ctx.text(*d)));
    match def.kind() {
        "function_definition" => {
            let first_param = def
                .child_by_field_name("parameters")
                .and_then(|p| p.named_child(0))
                .map(|p| ctx.text(p));
            if !first_param.is_some_and(|p| p.starts_with("request")) {
                return;
            }
            sink.fact(ViewFact {
                name: name.to_string(),
                limited: decorated_limit,
                drf: decorated_drf,
                skip: false,
                page_only: false,
                allow_any: decorators.iter().any(|d| ctx.text(*d).contains("AllowAny")),
                authenticated: decorated_auth,
                auth: auth_reason("", Some(def), None, ctx),
                location: ctx.node_location(def),
            });
        }
        "class_definition" => {
            let bases = class_bases(def, ctx);
            let viewish = bases
                .iter()
                .any(|b| b.ends_with("View") || b.ends_with("ViewSet") || b.ends_with("APIView"));
            if !viewish {
                return;
            }
            let drf = bases
                .iter()
                .any(|b| DRF_BASE_WORDS.iter().any(|w| b.contains(w)) || b.starts_with("ListAPI"));
            // A `TemplateView` with only `get` shows a page: nothing to hammer. (A class with no
            // methods of its own inherits them and is kept.)
            let methods = class_methods(def, ctx);
            let page_only = !methods.is_empty()
                && !methods.iter().any(|m| ACTING_METHODS.contains(m))
                && bases.iter().any(|b| PAGE_BASES.contains(b));
            let throttles = class_attribute(def, "throttle_classes", ctx);
            let skip = throttles.is_some_and(|t| t.named_child_count() == 0);
            let limited = decorated_limit
                || throttles.is_some_and(|t| t.named_child_count() > 0)
                || class_attribute(def, "ratelimit_rate", ctx).is_some();
            let permissions = class_attribute(def, "permission_classes", ctx);
            let allow_any = permissions.is_some_and(|p| ctx.text(p).contains("AllowAny"));
            let authenticated = decorated_auth
                || bases.iter().any(|b| requires_login(b))
                || permissions.is_some_and(|p| requires_login(ctx.text(p)))
                || class_attribute(def, "permission_required", ctx).is_some();
            sink.fact(ViewFact {
                name: name.to_string(),
                limited,
                drf,
                skip,
                page_only,
                allow_any,
                authenticated,
                auth: auth_reason("", Some(def), None, ctx),
                location: ctx.node_location(def),
            });
        }
        _ => {}
    }
}

fn class_attribute<'t>(class: Node<'t>, name: &str, ctx: &FileCtx<'t>) -> Option<Node<'t>> {
    let body = class.child_by_field_name("body")?;
    let mut c = body.walk();
    let found = body.named_children(&mut c).find_map(|s| {
        let a = s.named_child(0).filter(|a| a.kind() == "assignment")?;
        (a.child_by_field_name("left").map(|l| ctx.text(l)) == Some(name))
            .then(|| a.child_by_field_name("right"))
            .flatten()
    });
    found
}
