//! Secrets: provider key formats (one table, compiled once into a `RegexSet`), what names a
//! secret, what is a placeholder, and how to show a secret without leaking it.

use std::sync::OnceLock;

use regex::{Regex, RegexSet};

use crate::names::words;

/// A provider's credential format.
#[derive(Debug)]
pub struct SecretFormat {
    pub id: &'static str,
    /// Shown in messages: "Stripe live secret key".
    pub name: &'static str,
    /// The regex; when it has a capture group 1, that group is the secret, else the match.
    pub pattern: &'static str,
    /// A live credential (reported even in `.env.example`-style files).
    pub live: bool,
}

/// Every provider format, most specific first (an overlapping later match is dropped).
pub static FORMATS: &[SecretFormat] = &[
    SecretFormat {
        id: "private-key",
        name: "private key block",
        pattern: r"-----BEGIN (?:RSA |EC |OPENSSH |DSA |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----",
        live: true,
    },
    SecretFormat {
        id: "aws-access-key-id",
        name: "AWS access key id",
        pattern: r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b",
        live: true,
    },
    SecretFormat {
        id: "aws-secret-access-key",
        name: "AWS secret access key",
        pattern: r#"(?i:aws_?secret_?access_?key|secret_?access_?key)["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"#,
        live: false,
    },
    SecretFormat {
        id: "stripe-live-secret-key",
        name: "Stripe live secret key",
        pattern: r"\b[sr]k_live_[0-9A-Za-z]{24,}\b",
        live: true,
    },
    SecretFormat {
        id: "github-fine-grained-token",
        name: "GitHub fine-grained token",
        pattern: r"\bgithub_pat_[0-9A-Za-z_]{82}\b",
        live: true,
    },
    SecretFormat {
        id: "github-token",
        name: "GitHub token",
        pattern: r"\bgh[pousr]_[0-9A-Za-z]{36}\b",
        live: true,
    },
    SecretFormat {
        id: "gitlab-token",
        name: "GitLab personal access token",
        pattern: r"\bglpat-[0-9A-Za-z_\-]{20}\b",
        live: true,
    },
    SecretFormat {
        id: "slack-webhook",
        name: "Slack webhook URL",
        pattern: r"https://hooks\.slack\.com/services/T[0-9A-Z]{8,}/B[0-9A-Z]{8,}/[0-9A-Za-z]{20,}",
        live: true,
    },
    SecretFormat {
        id: "slack-token",
        name: "Slack token",
        pattern: r"\bxox[baprs]-[0-9A-Za-z]{6,}(?:-[0-9A-Za-z]{4,}){1,4}\b",
        live: true,
    },
    SecretFormat {
        id: "google-api-key",
        name: "Google API key",
        pattern: r"\b(AIza[0-9A-Za-z_\-]{35})(?:[^0-9A-Za-z_\-]|$)",
        live: true,
    },
    SecretFormat {
        id: "sendgrid-api-key",
        name: "SendGrid API key",
        pattern: r"\bSG\.[0-9A-Za-z_\-]{22}\.[0-9A-Za-z_\-]{43}\b",
        live: true,
    },
    SecretFormat {
        id: "twilio-api-key",
        name: "Twilio API key",
        pattern: r"\bSK[0-9a-f]{32}\b",
        live: true,
    },
    SecretFormat {
        id: "mailgun-api-key",
        name: "Mailgun API key",
        pattern: r"\bkey-[0-9a-f]{32}\b",
        live: true,
    },
    SecretFormat {
        id: "npm-token",
        name: "npm access token",
        pattern: r"\bnpm_[0-9A-Za-z]{36}\b",
        live: true,
    },
    SecretFormat {
        id: "anthropic-api-key",
        name: "Anthropic API key",
        pattern: r"\bsk-ant-[0-9A-Za-z_\-]{20,}",
        live: true,
    },
    SecretFormat {
        id: "openai-api-key",
        name: "OpenAI API key",
        pattern: r"\bsk-(?:proj-)?[0-9A-Za-z_\-]{20,}",
        live: true,
    },
    SecretFormat {
        id: "jwt",
        name: "JSON Web Token",
        pattern: r"\beyJ[0-9A-Za-z_\-]{10,}\.eyJ[0-9A-Za-z_\-]{10,}\.[0-9A-Za-z_\-]{10,}",
        live: false,
    },
    SecretFormat {
        id: "connection-url-password",
        name: "connection URL with a password",
        pattern: r#"\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?)://[^\s:/@'"]*:([^\s@/'"]+)@[^\s'"/]+"#,
        live: false,
    },
];

/// Secrets are ASCII, so word boundaries are ASCII ones: a Unicode `\b` would keep the regex
/// engine off its DFAs and make the one pass per file several times slower.
fn ascii(pattern: &str) -> String {
    pattern.replace(r"\b", r"(?-u:\b)")
}

struct Compiled {
    set: RegexSet,
    each: Vec<Regex>,
}

fn compiled() -> &'static Compiled {
    static C: OnceLock<Compiled> = OnceLock::new();
    C.get_or_init(|| Compiled {
        // The patterns are constants of this file, checked by the tests below.
        set: RegexSet::new(FORMATS.iter().map(|f| ascii(f.pattern)))
            .unwrap_or_else(|e| panic!("secret formats: {e}")),
        each: FORMATS
            .iter()
            .map(|f| {
                Regex::new(f.pattern).unwrap_or_else(|e| panic!("secret format {}: {e}", f.id))
            })
            .collect(),
    })
}

/// A provider-format secret found in a text.
#[derive(Debug, Clone)]
pub struct FoundSecret {
    pub format: &'static SecretFormat,
    /// Byte range of the secret (the capture group, or the whole match).
    pub start: usize,
    pub end: usize,
    /// Byte range of the whole match (where the finding starts).
    pub match_start: usize,
    pub match_end: usize,
}

/// Every provider-format secret in `text`: one `RegexSet` pass, then only the formats that
/// matched; overlapping matches keep the earlier (more specific) format; placeholders dropped.
pub fn find_provider_secrets(text: &str) -> Vec<FoundSecret> {
    let c = compiled();
    let mut found: Vec<FoundSecret> = Vec::new();
    for i in c.set.matches(text).iter() {
        for caps in c.each[i].captures_iter(text) {
            let Some(whole) = caps.get(0) else { continue };
            let secret = caps.get(1).unwrap_or(whole);
            let value = secret.as_str();
            if is_placeholder(value)
                || !looks_random(&FORMATS[i], value)
                || user_is_password(whole.as_str(), value)
            {
                continue;
            }
            let overlaps = found
                .iter()
                .any(|f| whole.start() < f.match_end && f.match_start < whole.end());
            if overlaps {
                continue;
            }
            found.push(FoundSecret {
                format: &FORMATS[i],
                start: secret.start(),
                end: secret.end(),
                match_start: whole.start(),
                match_end: whole.end().max(secret.end()),
            });
        }
    }
    found.sort_by_key(|f| f.match_start);
    found
}

/// `postgres://postgres:postgres@…`: a default account whose password is its user name.
fn user_is_password(url: &str, password: &str) -> bool {
    url.split_once("://")
        .and_then(|(_, rest)| rest.split_once(':'))
        .is_some_and(|(user, _)| user == password)
}

/// Keys are random: an `sk-…` key has digits and entropy (a CSS class `sk-button-large` is
/// not a key).
fn looks_random(format: &SecretFormat, value: &str) -> bool {
    // Only the loose `sk-…` shapes need it; the other formats are fixed prefixes and lengths.
    if !matches!(format.id, "openai-api-key" | "anthropic-api-key") {
        return true;
    }
    value.bytes().any(|b| b.is_ascii_digit()) && entropy(value) >= GENERIC_MIN_ENTROPY
}

/// Whether a literal matches any provider format (so a generic check leaves it to them).
pub fn is_provider_format(value: &str) -> bool {
    compiled().set.is_match(value)
}

/// Words that mark an example or placeholder value.
pub const PLACEHOLDER_WORDS: &[&str] = &[
    "example",
    "dummy",
    "sample",
    "fake",
    "test",
    "placeholder",
    "your",
    "changeme",
    "redacted",
    "todo",
    "fixme",
    "xxx",
    "mock",
];

/// Whole values that are placeholders.
pub const PLACEHOLDER_VALUES: &[&str] = &[
    "password",
    "secret",
    "changeme",
    "change_me",
    "change-me",
    "passw0rd",
    "p@ssw0rd",
    "admin",
    "root",
    "none",
    "null",
    "undefined",
    "default",
    "token",
    "apikey",
    "api_key",
    "pass",
    "qwerty",
    "letmein",
    "tiger",
    "scott",
    "guest",
];

/// Whether a value is a placeholder or noise, not a credential: empty, a known placeholder, a
/// template (`${VAR}`, `{{ var }}`, `%(name)s`, `$VAR`, `<your-key>`), masked (`****`,
/// `xxxx`), one character class repeated, or holding an example word.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    // `password123`, `admin!`: a placeholder word with digits or punctuation after it.
    let stem = lower.trim_end_matches(|c: char| !c.is_ascii_alphabetic());
    if PLACEHOLDER_VALUES.contains(&lower.as_str()) || PLACEHOLDER_VALUES.contains(&stem) {
        return true;
    }
    if v.contains("${")
        || v.contains("{{")
        || v.contains("%(")
        || v.starts_with('$')
        || (v.starts_with('<') && v.ends_with('>'))
    {
        return true;
    }
    // Digits only (`1234567890`): a number, not a credential.
    if v.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let first = v.chars().next().unwrap_or(' ');
    if v.chars().all(|c| c == first)
        || v.chars()
            .all(|c| c == '*' || c == 'x' || c == 'X' || c == '.' || c == '-')
    {
        return true;
    }
    let w = words(v);
    if w.iter().any(|x| PLACEHOLDER_WORDS.contains(&x.as_str())) {
        return true;
    }
    // Masked or example-like spellings inside longer values.
    ["xxxx", "****", "example", "placeholder", "your_", "your-"]
        .iter()
        .any(|p| lower.contains(p))
}

/// Shannon entropy in bits per character.
pub fn entropy(value: &str) -> f64 {
    let mut counts = [0u32; 256];
    let mut n = 0u32;
    for b in value.bytes() {
        counts[b as usize] += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / f64::from(n);
            -p * p.log2()
        })
        .sum()
}

/// Minimum length and entropy of a generic secret literal.
pub const GENERIC_MIN_LEN: usize = 8;
pub const GENERIC_MIN_ENTROPY: f64 = 3.0;

/// Whether a literal could be a generic secret (long enough, random enough, not a placeholder).
pub fn is_secret_value(value: &str) -> bool {
    value.chars().count() >= GENERIC_MIN_LEN
        && !value.contains(char::is_whitespace)
        && entropy(value) >= GENERIC_MIN_ENTROPY
        && !is_placeholder(value)
        && !is_identifier_like(value)
        && !PUBLIC_KEY_PREFIXES.iter().any(|p| value.starts_with(p))
}

/// Names, not secrets: letters joined by separators and no digits (`access_token`,
/// `notes.db`, `app:session-key`), unless long and very random.
pub fn is_identifier_like(value: &str) -> bool {
    let letters_only = value
        .chars()
        .all(|c| c.is_ascii_alphabetic() || matches!(c, '_' | '-' | '.' | ':' | '/'));
    if !letters_only {
        return false;
    }
    // Words joined by separators are a name however long (`hostSettings:mailEvents:signingKey`,
    // `DEFAULT_WEBHOOK_SECRET`); one long run of random letters may be a secret.
    let has_separator = value.contains(['_', '-', '.', ':', '/']);
    has_separator || !(value.len() >= 16 && entropy(value) >= 3.8)
}

/// Words of functions and classes that build sample data (previews, seeds, demos): the values
/// there are made up.
pub const SAMPLE_CODE_WORDS: &[&str] = &[
    "placeholder",
    "placeholders",
    "sample",
    "samples",
    "example",
    "examples",
    "demo",
    "dummy",
    "fake",
    "mock",
    "mocks",
    "preview",
    "seed",
    "seeds",
    "stub",
    "stubs",
    "fixture",
    "fixtures",
];

/// Head words of secret names.
pub const SECRET_HEADS: &[&str] = &[
    "secret",
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "credentials",
    "credential",
    "apikey",
    "token",
    "secretkey",
    "privatekey",
];
/// `key` is a secret head only after one of these (`apiKey`, `signing_key`, `SECRET_KEY`).
pub const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "private",
    "signing",
    "secret",
    "access",
    "encryption",
    "client",
    "master",
    "auth",
    "hmac",
    "jwt",
    "session",
];
/// Words that make a secret-like name something else (CSRF tokens, tokenizers, hints, names).
pub const NOT_SECRET_WORDS: &[&str] = &[
    "csrf",
    "xsrf",
    "tokenizer",
    "public",
    "publishable",
    "pk",
    "hint",
    "policy",
    "reset",
    "length",
    "min",
    "max",
    "count",
    "type",
    "name",
    "url",
    "uri",
    "endpoint",
    "field",
    "label",
    "placeholder",
    "header",
    "path",
    "file",
    "id",
    "expires",
    "expiry",
    "regex",
    "pattern",
    "prompt",
    "message",
    "error",
    "strength",
];

/// Whether a name (variable, property, keyword, key) names a secret: its last word, after
/// dropping `value`-like tails, is a secret head (`DB_PASSWORD`, `clientSecret`, `api_key`).
pub fn is_secret_name(name: &str) -> bool {
    let w = words(name);
    if w.iter().any(|x| NOT_SECRET_WORDS.contains(&x.as_str())) {
        return false;
    }
    let Some(last) = w.last().map(String::as_str) else {
        return false;
    };
    let before = w.len().checked_sub(2).map(|i| w[i].as_str());
    match last {
        "key" => before.is_some_and(|b| KEY_QUALIFIERS.contains(&b)),
        "token" => !matches!(before, Some("csrf" | "xsrf")),
        _ => SECRET_HEADS.contains(&last),
    }
}

/// The `hardcoded-secret` option adding names that hold secrets.
pub const SECRET_NAMES_OPTION: &str = "secret-names";
/// The `hardcoded-secret` option listing values that are never reported (a published test
/// key, a local development default).
pub const ALLOW_VALUES_OPTION: &str = "allow-values";

/// [`is_secret_name`], or one of the configured `secret-names`, compared without case and
/// separators (`payment-pin` matches `PAYMENT_PIN` and `paymentPin`).
pub fn is_secret_name_in(options: &backlint_engine::RuleOptions, name: &str) -> bool {
    is_secret_name(name) || {
        let extra = options.list(SECRET_NAMES_OPTION);
        !extra.is_empty() && {
            let joined = words(name).concat();
            extra.iter().any(|e| words(e).concat() == joined)
        }
    }
}

/// Whether a value is one of the configured `allow-values`.
pub fn is_allowed_value(options: &backlint_engine::RuleOptions, value: &str) -> bool {
    options.contains(ALLOW_VALUES_OPTION, value)
}

/// A secret shown safely: at most its first 4 characters and its length (`sk_l…(32 chars)`).
pub fn redacted(value: &str) -> String {
    let n = value.chars().count();
    let shown: String = value.chars().take(4.min(n / 4)).collect();
    format!("{shown}…({n} chars)")
}

/// Lock files: hashes, not secrets; skipped entirely.
pub const LOCK_FILES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "poetry.lock",
    "Cargo.lock",
    "Pipfile.lock",
    "composer.lock",
    "Gemfile.lock",
    "bun.lockb",
    "uv.lock",
];

/// Example config files: only live provider keys count there.
pub fn is_example_file(path: &str) -> bool {
    // A dot-separated segment of the name: `.env.example`, `config.sample.json`,
    // `settings.py.dist` — not `examples.ts` or `distance.py`.
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name.split('.')
        .any(|seg| EXAMPLE_FILE_SEGMENTS.contains(&seg))
}

/// Test code: a `test`/`tests`/`__tests__`/`spec` folder, or a test file name
/// (`test_x.py`, `x_test.py`, `x.test.ts`, `x.spec.js`, `conftest.py`).
pub fn is_test_path(path: &str) -> bool {
    let mut segments = path.split('/');
    let name = segments.next_back().unwrap_or(path).to_ascii_lowercase();
    let in_test_dir = path.split('/').rev().skip(1).any(|d| {
        matches!(
            d,
            "test" | "tests" | "__tests__" | "spec" | "specs" | "testing"
        )
    });
    in_test_dir
        || name.starts_with("test_")
        || name == "conftest.py"
        || name.contains(".test.")
        || name.contains(".spec.")
        || name
            .rsplit_once('.')
            .is_some_and(|(stem, _)| stem.ends_with("_test"))
}

/// Name segments of example config files.
pub const EXAMPLE_FILE_SEGMENTS: &[&str] =
    &["example", "sample", "template", "tmpl", "dist", "defaults"];

/// Prefixes of keys that are public or for test mode (Stripe publishable and test keys).
pub const PUBLIC_KEY_PREFIXES: &[&str] = &["pk_live_", "pk_test_", "sk_test_", "rk_test_"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_compile_and_match_their_shapes() {
        let _ = compiled();
        let found = |t: &str| {
            find_provider_secrets(t)
                .iter()
                .map(|f| f.format.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(found("k = 'AKIAQ3EGRTVBK7P2XMWN'"), ["aws-access-key-id"]);
        assert_eq!(found("AKIAIOSFODNN7EXAMPLE"), Vec::<&str>::new());
        assert_eq!(
            found("x=sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
            ["stripe-live-secret-key"]
        );
        assert_eq!(
            found("x=sk_test_4eC39HqLyjWDarjtT1zdp7dc"),
            Vec::<&str>::new()
        );
        assert_eq!(
            found("DATABASE_URL=postgres://app:Zq8vN3kLp2@db:5432/app"),
            ["connection-url-password"]
        );
        assert_eq!(
            found("DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app"),
            Vec::<&str>::new()
        );
        assert_eq!(
            found("sk-ant-api03-Xb7Kq2Lm9Np4Rs6Tv8Wx"),
            ["anthropic-api-key"]
        );
    }

    #[test]
    fn names_placeholders_and_redaction() {
        for yes in [
            "password",
            "DB_PASSWORD",
            "clientSecret",
            "api_key",
            "apiKey",
            "SECRET_KEY",
            "jwtSecret",
            "auth_token",
            "private_key",
        ] {
            assert!(is_secret_name(yes), "{yes}");
        }
        for no in [
            "passwordHint",
            "secretName",
            "tokenUrl",
            "apiKeyHeader",
            "csrfToken",
            "publicKey",
            "key",
            "primaryKey",
            "tokenizer",
        ] {
            assert!(!is_secret_name(no), "{no}");
        }
        for p in [
            "",
            "changeme",
            "xxxxxxxx",
            "********",
            "${SECRET}",
            "{{ secret }}",
            "%(pw)s",
            "<your-api-key>",
            "aaaaaaaa",
            "my-test-secret-value",
            "example-key-123",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        assert!(is_secret_value("q7Vz2LmP9xKt"));
        assert!(!is_secret_value("password123"));
        assert_eq!(
            redacted("sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
            "sk_l…(32 chars)"
        );
        assert_eq!(redacted("abcdefgh"), "ab…(8 chars)");
    }
}
