//! How authentication credentials are named: keys, variables, properties, headers, URLs.
//! Names are compared word by word (see [`crate::names::words`]), so `accessToken`,
//! `ACCESS_TOKEN` and `access-token` are the same name.

use crate::names::words;

/// Words that on their own name an auth credential.
pub const CREDENTIAL_WORDS: &[&str] = &[
    "token",
    "tokens",
    "jwt",
    "jwts",
    "bearer",
    "credential",
    "credentials",
    "authorization",
    // Run-together spellings that `words` cannot split.
    "accesstoken",
    "refreshtoken",
    "idtoken",
    "authtoken",
    "sessiontoken",
    "apitoken",
    "bearertoken",
    "jwttoken",
];

/// Word pairs that together name a credential (`sessionId`, `auth` + `data`…).
pub const CREDENTIAL_PAIRS: &[(&str, &str)] =
    &[("session", "id"), ("session", "key"), ("sess", "id")];

/// Names that are a credential as a whole (not as a word inside a longer name).
pub const CREDENTIAL_NAMES: &[&[&str]] =
    &[&["auth"], &["sid"], &["auth", "data"], &["auth", "state"]];

/// Words that turn a credential name into something that is not a credential: anti-CSRF
/// tokens (meant to be readable by the page), token counts and limits of LLM APIs, expiry
/// times, token types, endpoints.
pub const NOT_CREDENTIAL_WORDS: &[&str] = &[
    "csrf",
    "xsrf",
    "count",
    "counts",
    "limit",
    "limits",
    "max",
    "min",
    "usage",
    "used",
    "length",
    "len",
    "expires",
    "expiry",
    "expiration",
    "exp",
    "expired",
    "expire",
    "type",
    "types",
    "url",
    "uri",
    "endpoint",
    "ttl",
    "timestamp",
    "time",
    "date",
    "tokenizer",
    "tokenize",
    "tokenized",
    "remaining",
    "budget",
    "estimate",
    "cost",
    "price",
    "total",
    "input",
    "output",
    "prompt",
    "completion",
    "index",
    "position",
    "pos",
    "kind",
    "status",
    "name",
    "label",
    "provider",
    "fcm",
    "push",
    "device",
    "notification",
    "recaptcha",
    "captcha",
    "pagination",
    "page",
    "next",
    "cursor",
    "continuation",
    "cancel",
    "cancellation",
    "form",
];

/// Whether a name (variable, property, storage key, header) names an auth credential.
pub fn is_credential_name(name: &str) -> bool {
    let w = words(name);
    if w.is_empty() || w.iter().any(|x| NOT_CREDENTIAL_WORDS.contains(&x.as_str())) {
        return false;
    }
    if w.iter().any(|x| CREDENTIAL_WORDS.contains(&x.as_str())) {
        return true;
    }
    if w.windows(2)
        .any(|p| CREDENTIAL_PAIRS.contains(&(p[0].as_str(), p[1].as_str())))
    {
        return true;
    }
    // A whole-name match, ignoring a namespace prefix (`app.auth`, `myapp:auth`).
    CREDENTIAL_NAMES.iter().any(|n| {
        w.len() >= n.len()
            && w[w.len() - n.len()..]
                .iter()
                .zip(n.iter())
                .all(|(a, b)| a == b)
            && (w.len() == n.len() || has_namespace_prefix(name))
    })
}

fn has_namespace_prefix(name: &str) -> bool {
    name.contains(['.', ':', '/'])
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
    fn auth_endpoints() {
        assert!(is_auth_endpoint("/api/auth/login"));
        assert!(is_auth_endpoint("https://x.io/oauth/token"));
        assert!(!is_auth_endpoint("/api/products"));
        assert!(!is_auth_endpoint("/authors"));
    }
}
