//! How authentication credentials are named: keys, variables, properties, headers, URLs.
//! Names are compared word by word (see [`crate::names::words`]), so `accessToken`,
//! `ACCESS_TOKEN` and `access-token` are the same name.

use crate::names::words;

/// Head words that name an auth credential: a name is a credential when its last word (its
/// head noun, after dropping [`NEUTRAL_TAIL_WORDS`]) is one of these (`accessToken`,
/// `id_token`, `app.jwt`, `userAuth`, `headers.authorization`), whereas `tokenExpiry` or
/// `tokenRefreshInterval` name something else about a token.
pub const CREDENTIAL_HEADS: &[&str] = &[
    "token",
    "jwt",
    "bearer",
    "auth",
    "authorization",
    "credential",
    "credentials",
    // Run-together spellings that word splitting cannot separate.
    "accesstoken",
    "refreshtoken",
    "idtoken",
    "authtoken",
    "sessiontoken",
    "apitoken",
    "bearertoken",
    "jwttoken",
    "sessionid",
];

/// `tokens` is a credential only on its own or after one of these (`authTokens`, not
/// `promptTokens`).
pub const PLURAL_TOKEN_QUALIFIERS: &[&str] = &[
    "access", "refresh", "id", "auth", "session", "oauth", "bearer", "user",
];

/// Trailing words that do not change what a name holds: `tokenValue`, `TOKEN_KEY`,
/// `jwtString`, `authTokenRaw` hold (or name the key of) the credential.
pub const NEUTRAL_TAIL_WORDS: &[&str] = &[
    "value", "val", "key", "str", "string", "raw", "encoded", "data", "json", "payload", "header",
    "item", "entry",
];

/// Words that anywhere in a name mean it is not a credential: anti-CSRF tokens (meant to be
/// read by page script), captchas, pagination cursors, push registrations, and the token
/// counts and budgets of LLM APIs.
pub const NOT_CREDENTIAL_WORDS: &[&str] = &[
    "csrf",
    "xsrf",
    "captcha",
    "recaptcha",
    "next",
    "page",
    "continuation",
    "cursor",
    "push",
    "fcm",
    "apns",
    "max",
    "min",
    "count",
    "total",
    "used",
    "usage",
    "remaining",
    "limit",
    "budget",
    "num",
    "prompt",
    "completion",
    "input",
    "output",
    "tokenizer",
    "expires",
    "expiry",
    "expiration",
    "exp",
    "type",
];

/// Whether a name (variable, property, storage key, header) names an auth credential.
pub fn is_credential_name(name: &str) -> bool {
    let mut w = words(name);
    if w.iter().any(|x| NOT_CREDENTIAL_WORDS.contains(&x.as_str())) {
        return false;
    }
    while w.len() > 1
        && w.last()
            .is_some_and(|x| NEUTRAL_TAIL_WORDS.contains(&x.as_str()))
    {
        w.pop();
    }
    let Some(head) = w.last().map(String::as_str) else {
        return false;
    };
    let before = w.len().checked_sub(2).map(|i| w[i].as_str());
    match head {
        "tokens" => before.is_none_or(|b| PLURAL_TOKEN_QUALIFIERS.contains(&b)),
        "id" | "key" => matches!(before, Some("session" | "sess")),
        "sid" => w.len() == 1,
        _ => CREDENTIAL_HEADS.contains(&head),
    }
}

/// Words in a URL path that mark an endpoint whose response carries credentials.
pub const AUTH_ENDPOINT_WORDS: &[&str] = &[
    "login",
    "signin",
    "sign-in",
    "sign_in",
    "auth",
    "authenticate",
    "oauth",
    "token",
    "tokens",
    "session",
    "sessions",
    "refresh",
    "sso",
    "callback",
];

/// Whether a URL or path (string literal text) is an authentication endpoint.
pub fn is_auth_endpoint(url: &str) -> bool {
    url.split(['/', '?', '.', '#'])
        .map(str::to_ascii_lowercase)
        .any(|seg| AUTH_ENDPOINT_WORDS.contains(&seg.as_str()))
}

/// Words of a route path or handler name that mark an operation an attacker can repeat to
/// guess a secret or flood a user (logins, sign-ups, password resets, one-time codes, token
/// refreshes, verification links). Matched word by word, and on two words run together
/// (`sign-in`, `signUp`, `magic_link`).
pub const AUTH_OPERATION_WORDS: &[&str] = &[
    "login",
    "logon",
    "signin",
    "signup",
    "register",
    "registration",
    "password",
    "passwords",
    "forgot",
    "recover",
    "recovery",
    "passwd",
    "otp",
    "2fa",
    "mfa",
    "totp",
    "token",
    "refresh",
    "unlock",
    "magiclink",
    "verify",
    "verification",
    "resend",
    "authenticate",
];

/// The subset of [`AUTH_OPERATION_WORDS`] that marks a handler or view *name*: a name often
/// holds a domain object (`UserEmergencyTokenView`, `OAuthApplicationRegistrationView`,
/// `Reset2FADriftThrottleView`) where a path names the operation.
pub const AUTH_HANDLER_NAME_WORDS: &[&str] = &[
    "login",
    "logon",
    "signin",
    "signup",
    "register",
    "password",
    "passwords",
    "passwd",
    "forgot",
    "otp",
    "totp",
    "magiclink",
    "authenticate",
    "resend",
];

/// The auth operation a handler or view name says (`handleLogin` → `login`).
pub fn auth_operation_in_name(name: &str) -> Option<String> {
    auth_operation(name).filter(|w| AUTH_HANDLER_NAME_WORDS.contains(&w.as_str()))
}

/// Calls that check a password (a handler that makes one is a login, whatever its path):
/// by the callee's last name, or its whole text.
pub const PASSWORD_CHECK_NAMES: &[&str] = &[
    "checkPassword",
    "verifyPassword",
    "comparePassword",
    "validatePassword",
    "check_password",
    "verify_password",
    "authenticate",
];
pub const PASSWORD_CHECK_CALLS: &[&str] = &[
    "bcrypt.compare",
    "bcrypt.compareSync",
    "bcryptjs.compare",
    "argon2.verify",
    "scrypt.verify",
    "bcrypt.checkpw",
    "pwd_context.verify",
];

/// The `missing-rate-limit` option adding words that make a route path sensitive.
pub const SENSITIVE_PATH_WORDS_OPTION: &str = "sensitive-path-words";

/// [`auth_operation`], also matching the project's `sensitive-path-words` (compared like the
/// built-in words: lower case, without separators, so `magic-link` matches `/magicLink`).
pub fn auth_operation_with(text: &str, options: &backlint_engine::RuleOptions) -> Option<String> {
    if let Some(w) = auth_operation(text) {
        return Some(w);
    }
    let extra: Vec<String> = options
        .list(SENSITIVE_PATH_WORDS_OPTION)
        .iter()
        .map(|w| words(w).concat())
        .filter(|w| !w.is_empty())
        .collect();
    if extra.is_empty() {
        return None;
    }
    let literal = strip_path_params(text);
    literal.split(['/', '.', ':', '?']).find_map(|segment| {
        let w = words(segment);
        (1..=w.len().min(3))
            .find_map(|n| w.windows(n).map(|p| p.concat()).find(|j| extra.contains(j)))
    })
}

/// The auth operation word a path or name holds, if any (`/auth/sign-in` → `signin`).
pub fn auth_operation(text: &str) -> Option<String> {
    // Path parameters (`:token`, `<str:token>`, `{token}`, `(?P<token>…)`) name values, not
    // operations: an unguessable token in the URL is no login.
    let literal = strip_path_params(text);
    for segment in literal.split(['/', '.', ':', '?']) {
        let w = words(segment);
        if let Some(x) = w
            .iter()
            .find(|x| AUTH_OPERATION_WORDS.contains(&x.as_str()))
        {
            return Some(x.clone());
        }
        if let Some(pair) = w
            .windows(2)
            .map(|p| format!("{}{}", p[0], p[1]))
            .find(|j| AUTH_OPERATION_WORDS.contains(&j.as_str()))
        {
            return Some(pair);
        }
    }
    None
}

/// A route path without its parameters.
fn strip_path_params(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0u32;
    let mut param = false;
    for c in path.chars() {
        match c {
            '(' | '<' | '{' => depth += 1,
            ')' | '>' | '}' => depth = depth.saturating_sub(1),
            ':' if depth == 0 && out.ends_with('/') => param = true,
            '/' => {
                param = false;
                if depth == 0 {
                    out.push(c);
                }
            }
            _ if depth == 0 && !param => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether a callee (its text) checks a password.
pub fn is_password_check(callee: &str) -> bool {
    let last = callee.rsplit('.').next().unwrap_or(callee);
    PASSWORD_CHECK_CALLS.contains(&callee) || PASSWORD_CHECK_NAMES.contains(&last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_names() {
        for yes in [
            "token",
            "jwt",
            "accessToken",
            "access_token",
            "refresh-token",
            "idToken",
            "authToken",
            "auth",
            "bearer",
            "session_token",
            "sessionId",
            "app.jwt",
            "myapp:auth",
            "TOKEN_KEY",
            "credentials",
            "authorization",
            "accesstoken",
            "tokens",
        ] {
            assert!(is_credential_name(yes), "{yes}");
        }
        for no in [
            "theme",
            "locale",
            "cart",
            "csrfToken",
            "xsrf-token",
            "tokenCount",
            "maxTokens",
            "tokenizer",
            "tokenExpiry",
            "token_type",
            "author",
            "authorName",
            "session",
            "oauthProvider",
            "fcmToken",
            "nextPageToken",
            "authorId",
            "authentic",
        ] {
            assert!(!is_credential_name(no), "{no}");
        }
    }

    #[test]
    fn auth_operations() {
        for (text, word) in [
            ("/auth/login", "login"),
            ("/sign-in", "signin"),
            ("/users/:id/password", "password"),
            ("forgotPassword", "forgot"),
            ("/mfa/verify", "mfa"),
            ("/magic-link", "magiclink"),
            ("handleSignUp", "signup"),
        ] {
            assert_eq!(auth_operation(text).as_deref(), Some(word), "{text}");
        }
        for no in [
            "/invite/(?P<token>[a-z]+)",
            "/reset/:token",
            "/confirm/<str:token>/",
            "/items/{token}",
            "/orders",
            "/users/:id",
            "/profile",
            "/tokenizer",
            "createOrder",
            "/authors",
        ] {
            assert_eq!(auth_operation(no), None, "{no}");
        }
    }

    #[test]
    fn auth_endpoints() {
        assert!(is_auth_endpoint("/api/auth/login"));
        assert!(is_auth_endpoint("https://x.io/oauth/token"));
        assert!(!is_auth_endpoint("/api/products"));
        assert!(!is_auth_endpoint("/authors"));
    }
}
