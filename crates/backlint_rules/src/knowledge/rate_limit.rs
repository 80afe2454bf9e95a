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
