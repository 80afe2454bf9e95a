//! Rate limiters as data: the packages, factories, guards and decorators that limit how often
//! a route can be called. Rules ask [`is_limiter_name`] and the tables; the route model
//! ([`crate::models::routes`]) applies them to middleware, decorators and global guards.

use crate::names::words;

/// Packages whose import marks rate limiting (JS and Python top-level modules).
pub const RATE_LIMIT_PACKAGES: &[&str] = &[
    "express-rate-limit",
    "express-slow-down",
    "rate-limiter-flexible",
    "express-brute",
    "@fastify/rate-limit",
    "fastify-rate-limit",
    "@nestjs/throttler",
    "hono-rate-limiter",
    "koa-ratelimit",
    "@upstash/ratelimit",
    "flask_limiter",
    "slowapi",
    "django_ratelimit",
    "ratelimit",
];

/// NestJS decorators of `@nestjs/throttler` that opt a route out of a throttling guard.
/// (`@Throttle(…)` only configures the guard; guards are recognised by name.)
pub const NEST_SKIP_DECORATORS: &[&str] = &["SkipThrottle"];

/// The `missing-rate-limit` option naming a project's own limiters.
pub const LIMITER_NAMES_OPTION: &str = "limiter-names";

/// [`is_limiter_name`], or one of the names the project configured as limiters
/// (`limiter-names`, matched against the whole name or its last dotted part).
pub fn is_limiter_name_in(ctx: &backlint_engine::FileCtx<'_>, name: &str) -> bool {
    is_limiter_name(name) || is_configured_limiter(ctx.options(), name)
}

/// Whether `name` is one of the configured `limiter-names`.
pub fn is_configured_limiter(options: &backlint_engine::RuleOptions, name: &str) -> bool {
    let extra = options.list(LIMITER_NAMES_OPTION);
    !extra.is_empty() && {
        let name = name.trim_start_matches('@');
        let callee = name.split('(').next().unwrap_or(name).trim();
        let last = callee.rsplit('.').next().unwrap_or(callee);
        extra.iter().any(|e| e == name || e == callee || e == last)
    }
}

/// Whether a name (a middleware, a factory, a guard, a package) says it limits request
/// rates: `rateLimit`, `loginLimiter`, `authRateLimiter`, `throttle`, `ThrottlerGuard`,
/// `slowDown`, `bruteforce`, `express-rate-limit`.
pub fn is_limiter_name(name: &str) -> bool {
    let w = words(name);
    let has = |x: &str| w.iter().any(|y| y == x);
    let joined = w.concat();
    has("limiter")
        || has("ratelimit")
        || has("ratelimiter")
        || (has("rate") && (has("limit") || has("limited") || has("limits")))
        || has("throttle")
        || has("throttler")
        || has("throttling")
        || (has("slow") && has("down"))
        || has("brute")
        || has("bruteforce")
        || joined.contains("ratelimit")
        || joined.contains("throttl")
}

#[cfg(test)]
mod tests {
    use super::is_limiter_name;

    #[test]
    fn limiter_names() {
        for yes in [
            "rateLimit",
            "loginLimiter",
            "authRateLimiter",
            "express-rate-limit",
            "ThrottlerGuard",
            "slowDown",
            "rate_limit",
            "RateLimiterMemory",
            "bruteforce",
            "flask_limiter",
        ] {
            assert!(is_limiter_name(yes), "{yes}");
        }
        for no in [
            "limit",
            "pageLimit",
            "authRouter",
            "validate",
            "timeLimitMs",
            "cors",
        ] {
            assert!(!is_limiter_name(no), "{no}");
        }
    }
}
