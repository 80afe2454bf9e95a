//! Identifier and key helpers shared by rules.

/// Splits an identifier or key into lower-case words: `accessToken`, `ACCESS_TOKEN`,
/// `access-token`, `app.accessToken` and `X-Access-Token` all give `["access", "token"]`
/// (with the `app` prefix where present). Digit runs are words of their own.
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let boundary = match prev {
            Some(p) if p.is_alphanumeric() => {
                (c.is_uppercase() && p.is_lowercase())
                    || (c.is_uppercase()
                        && p.is_uppercase()
                        && next.is_some_and(|n| n.is_lowercase()))
                    || (c.is_ascii_digit() != p.is_ascii_digit())
            }
            _ => false,
        };
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn splits_every_naming_style() {
        for name in [
            "accessToken",
            "ACCESS_TOKEN",
            "access-token",
            "Access Token",
            "access.token",
        ] {
            assert_eq!(words(name), ["access", "token"], "{name}");
        }
        assert_eq!(words("JWTToken"), ["jwt", "token"]);
        assert_eq!(words("app:auth_token2"), ["app", "auth", "token", "2"]);
        assert_eq!(words("X-Auth-Token"), ["x", "auth", "token"]);
        assert!(words("").is_empty());
    }
}
