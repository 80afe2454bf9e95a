//! backlint never prints a secret it found: for every `hardcoded-secret` finding in the
//! fixtures, the secret's characters appear in no output format (human with source frames,
//! concise, JSON, SARIF).

mod support;

use assert_cmd::Command;

fn scan(format: &str) -> String {
    let out = Command::cargo_bin("backlint")
        .expect("binary")
        .current_dir(support::repo_root())
        .args([
            "scan",
            "fixtures/hardcoded-secret",
            "--format",
            format,
            "--color",
            "never",
        ])
        .output()
        .expect("runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The secret inside a reported span: a literal without its quotes, or the password of a
/// connection URL.
fn secret_of(span: &str) -> String {
    if let (Some(scheme), Some(at)) = (span.find("://"), span.rfind('@')) {
        let creds = &span[scheme + 3..at];
        if let Some((_, password)) = creds.split_once(':') {
            return password.to_string();
        }
    }
    span.trim_matches(|c| c == '"' || c == '\'' || c == '`')
        .to_string()
}

#[test]
fn no_secret_appears_in_any_output_format() {
    let json: serde_json::Value = serde_json::from_str(&scan("json")).expect("json output");
    let root = support::repo_root();
    let mut secrets = Vec::new();
    for d in json["diagnostics"].as_array().expect("diagnostics") {
        if d["rule"] != "hardcoded-secret" {
            continue;
        }
        let path = root.join(d["path"].as_str().expect("path"));
        let text = std::fs::read_to_string(&path).expect("fixture");
        let (s, e) = (
            d["start_byte"].as_u64().expect("start") as usize,
            d["end_byte"].as_u64().expect("end") as usize,
        );
        let span = &text[s..e];
        // A private key block: the secret is the key body after the header.
        let secret = if span.starts_with("-----BEGIN") {
            text[e..]
                .lines()
                .map(|l| l.trim().trim_matches(|c| c == '"' || c == '\'' || c == ','))
                .find(|l| l.len() >= 16 && !l.starts_with("-----"))
                .unwrap_or("")
                .chars()
                .take(40)
                .collect::<String>()
        } else {
            secret_of(span)
        };
        assert!(
            secret.chars().count() >= 8,
            "secret too short to check: {secret:?}"
        );
        secrets.push(secret);
    }
    assert!(
        secrets.len() >= 40,
        "expected the fixtures' secrets, found {}",
        secrets.len()
    );
    for format in ["human", "concise", "json", "sarif"] {
        let out = scan(format);
        for secret in &secrets {
            assert!(
                !out.contains(secret.as_str()),
                "{format} output leaks a secret ({} chars)",
                secret.len()
            );
            // Nor its random tail (prefixes such as `sk_live_` are public structure, printed
            // in the rule's own docs).
            let n = secret.chars().count();
            let tail: String = secret.chars().skip(n.saturating_sub(12)).collect();
            assert!(
                !out.contains(tail.as_str()),
                "{format} output leaks the end of a secret"
            );
        }
    }
}
