//! `missing-rate-limit`: authentication endpoints that no rate limiting covers, decided across
//! the project on the route model ([`crate::models::routes`]): the route's own middleware or
//! decorators, its router, every router chain that mounts it, and global guards.

use backlint_engine::{FileCtx, Language, NodeId, OptionSpec, Project, ProjectSink, Rule, Sink};

use crate::models::routes::{collect, Coverage, DjangoRoute, RouteFact, RouteGraph, RouterRef};

pub struct MissingRateLimit;

impl MissingRateLimit {
    pub const ID: &'static str = "missing-rate-limit";
}

const EXPRESS_HELP: &str = "put a limiter on the route, e.g. `router.post('/login', rateLimit({ windowMs: 15 * 60 * 1000, limit: 10 }), handler)` with express-rate-limit (or `app.use('/auth', limiter)` for the whole router), and also limit per account: attempts per username as well as per IP";

const PY_HELP: &str = "decorate the route with a limit, e.g. `@limiter.limit(\"5/minute\")` (Flask-Limiter or slowapi), or set `default_limits` on the `Limiter`, or add `dependencies=[Depends(RateLimiter(times=5, seconds=60))]` (fastapi-limiter); also limit per account, not only per IP";

const DJANGO_HELP: &str = "limit the view: `@ratelimit(key=\"ip\", rate=\"5/m\", block=True)` (django-ratelimit; `method_decorator` on a class), `throttle_classes` on a DRF view or `DEFAULT_THROTTLE_CLASSES` in `REST_FRAMEWORK`, or django-axes for logins; also limit per account, not only per IP";

const NEST_HELP: &str = "register `ThrottlerGuard` (globally with `{ provide: APP_GUARD, useClass: ThrottlerGuard }`, or `@UseGuards(ThrottlerGuard)`) and set a strict limit on the route with `@Throttle({ default: { limit: 5, ttl: 60000 } })`; also limit per account, not only per IP";

/// Methods that change nothing an attacker can guess with: a `GET /login` page is not the
/// login.
const SAFE_METHODS: &[&str] = &["GET", "HEAD", "OPTIONS"];

impl Rule for MissingRateLimit {
    fn id(&self) -> &'static str {
        Self::ID
    }

    fn kinds(&self, _lang: Language) -> &'static [&'static str] {
        &[]
    }

    fn check(&self, _id: NodeId, _ctx: &FileCtx<'_>, _sink: &mut Sink) {}

    fn check_file(&self, ctx: &FileCtx<'_>, sink: &mut Sink) {
        collect(ctx, sink);
    }

    fn options(&self) -> &'static [OptionSpec] {
        &[
            OptionSpec {
                name: crate::knowledge::rate_limit::LIMITER_NAMES_OPTION,
                doc: "names of the project's own rate limiters (middleware, decorators, guards), besides the built-in ones",
                example: "[\"guardLogin\", \"limits.strict\"]",
            },
            OptionSpec {
                name: crate::knowledge::auth::SENSITIVE_PATH_WORDS_OPTION,
                doc: "extra words that make a route path authentication-sensitive, besides login, register, password…",
                example: "[\"magic-link\", \"passkey\"]",
            },
        ]
    }

    /// Limiters, mounts and exported routers live anywhere in the project.
    fn context_words(&self) -> Option<&'static [&'static str]> {
        Some(&[
            "express",
            "Router",
            ".use(",
            "imit",
            "hrottl",
            "APP_GUARD",
            "useGlobalGuards",
            "@Controller",
            "Blueprint",
            "APIRouter",
            "register_blueprint",
            "include_router",
            "Flask",
            "FastAPI",
            "fastify",
            "Hono",
            "koa",
            "NextRequest",
            "NextResponse",
            "NextApiRequest",
            "matcher",
            "urlpatterns",
            "REST_FRAMEWORK",
            "MIDDLEWARE",
            "(request",
            "self, request",
        ])
    }

    fn check_project(&self, project: &Project<'_>, sink: &mut ProjectSink) {
        let graph = RouteGraph::new(project);
        let any_limiter = graph.any_limiter();
        for (file, route) in project.facts::<RouteFact>() {
            let Some(why) = &route.auth else { continue };
            if SAFE_METHODS.contains(&route.method.as_str()) {
                continue;
            }
            let path = match graph.coverage(&file.path, route) {
                Coverage::Covered => continue,
                Coverage::Uncovered(path) => path,
                // Mounted where the project does not show: only certain when nothing in the
                // project limits anything.
                Coverage::Unknown if !any_limiter => route.path.clone(),
                Coverage::Unknown => continue,
            };
            let nest = route.router == RouterRef::Framework;
            let python = file.path.ends_with(".py");
            let skipped = match (route.skip, python) {
                (false, _) => "",
                (true, false) => " (`@SkipThrottle()` opts it out of the throttling guard)",
                (true, true) => " (`@limiter.exempt` exempts it from the limits)",
            };
            let report = sink.report(
                route.location.clone(),
                format!(
                    "`{} {path}` is an authentication endpoint ({why}) and no rate limiting covers it{skipped}: an attacker can try passwords or codes as fast as the server answers",
                    route.method
                ),
                route.fingerprint.clone(),
            );
            report.help(if nest {
                NEST_HELP
            } else if python {
                PY_HELP
            } else {
                EXPRESS_HELP
            });
            if let Some(h) = &route.handler {
                report.related(h.clone(), "the handler");
            }
        }
        for (file, route) in project.facts::<DjangoRoute>() {
            let verdict = graph.django(&file.path, route);
            let Some(why) = verdict.auth else { continue };
            let path = match verdict.coverage {
                Coverage::Covered => continue,
                Coverage::Uncovered(path) => path,
                Coverage::Unknown if !any_limiter => verdict.path,
                Coverage::Unknown => continue,
            };
            let report = sink.report(
                route.location.clone(),
                format!(
                    "`{path}` is an authentication endpoint ({why}) and no rate limiting covers its view `{}`: an attacker can try passwords or codes as fast as the server answers",
                    route.view_name
                ),
                route.fingerprint.clone(),
            );
            report.help(DJANGO_HELP);
            if let Some(v) = verdict.view {
                report.related(v, "the view");
            }
        }
    }
}
