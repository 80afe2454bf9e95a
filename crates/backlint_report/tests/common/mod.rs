//! A synthetic scan, built by hand, shared by the reporter tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use backlint_engine::{
    BaselineState, Diagnostic, Location, Notification, NotificationLevel, Position, Related,
    RuleDoc, ScanResult, Severity, Span, Suppression,
};
use backlint_report::{render, Format, ReportInput, Tool};

pub const TOOL: Tool = Tool {
    name: "backlint",
    version: "0.1.0-test",
    information_uri: "https://github.com/backlint/backlint",
};

/// A path with a space and a `#`, which must be percent-encoded in SARIF.
pub const LOGIN: &str = "src/auth/login page#1.ts";
/// Line 2 has non-ASCII text before the finding: `é` (1 char, 1 UTF-16 unit, 2 bytes) and
/// `😀` (1 char, 2 UTF-16 units, 4 bytes). The finding `localStorage.setItem(…)` starts at
/// character column 16, UTF-16 column 17, byte column 20.
pub const LOGIN_TEXT: &str = "import { api } from \"./api\";\nconst é = \"😀\"; localStorage.setItem(\"token\", t)\napi.get(\"/me\");\n";
pub const USERS: &str = "src/db/users.ts";
pub const USERS_TEXT: &str = "import { db } from \"./client\";
export async function names(ids: string[]) {
  for (const id of ids) {
    const user = await db.user.findUnique({ where: { id } });
    console.log(user.name);
  }
}
export async function ping() {
  await fetch(\"https://example.com/health\");
}
";

/// A full rule doc, as `rules/<id>.md` would hold it.
pub const JWT_DOC: &str = r#"+++
id = "jwt-in-local-storage"
title = "JWT stored in localStorage"
category = "security"
severity = "error"
languages = ["typescript", "javascript"]
status = "stable"
since = "0.1.0"
tags = ["security", "auth", "browser"]
cwe = [922, 522]
precision = "high"
security-severity = 7.5
+++

## What it does

Flags a token written to `localStorage`
or `sessionStorage`.

## Why is this bad?

Any script running on the page can read web storage, so one XSS bug leaks every session.

## Example

```ts
localStorage.setItem("token", jwt);
```

## Use instead

Keep the session in an `HttpOnly`, `Secure`, `SameSite` cookie set by the server.

## Options

None.

## Known limitations

Only string-literal keys whose name looks like a token are flagged.

## References

- [OWASP HTML5 Security Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/HTML5_Security_Cheat_Sheet.html)
"#;

/// A rule doc with the given front matter and the required sections.
pub fn doc_with(front_matter: &str, what: &str) -> RuleDoc {
    let text = format!(
        "+++\n{front_matter}\n+++\n\n## What it does\n\n{what}\n\n## Why is this bad?\n\nBecause.\n\n\
         ## Example\n\n```ts\nbad();\n```\n\n## Use instead\n\n```ts\ngood();\n```\n\n## Options\n\nNone.\n\n\
         ## Known limitations\n\nNone known.\n\n## References\n\n- <https://example.com>\n"
    );
    RuleDoc::parse(&text).expect("test rule doc parses")
}

/// The enabled rules, in registry order. `string-sql` is enabled but finds nothing.
pub fn rule_docs() -> Vec<RuleDoc> {
    vec![
        RuleDoc::parse(JWT_DOC).expect("jwt doc parses"),
        doc_with(
            r#"id = "n-plus-one-query"
title = "Database query inside a loop"
category = "database"
severity = "warning"
languages = ["typescript"]
status = "stable"
since = "0.1.0"
tags = ["performance", "database"]
precision = "medium""#,
            "Flags a database query run once per iteration of a loop.",
        ),
        doc_with(
            r#"id = "missing-timeout"
title = "Outgoing HTTP request without a timeout"
category = "reliability"
severity = "note"
languages = ["typescript", "python"]
status = "preview"
since = "0.2.0"
tags = ["reliability"]
cwe = [400]
precision = "very-high"
security-severity = 5.0"#,
            "Flags an HTTP call that can wait forever.",
        ),
        doc_with(
            r#"id = "string-sql"
title = "SQL built from strings"
category = "security"
severity = "error"
languages = ["typescript", "python"]
status = "stable"
since = "0.1.0"
cwe = [89]
precision = "high"
security-severity = 9.8"#,
            "Flags SQL text spliced together from non-constant parts.",
        ),
    ]
}

/// The 1-based position of byte `offset` in `text`.
pub fn position(text: &str, offset: usize) -> Position {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let on_line = &before[line_start..];
    Position {
        line: before.matches('\n').count() as u32 + 1,
        column: on_line.chars().count() as u32 + 1,
        column_utf16: on_line.encode_utf16().count() as u32 + 1,
    }
}

/// The location of the first occurrence of `needle` in `text`.
pub fn locate(path: &str, text: &str, needle: &str) -> Location {
    let start = text.find(needle).expect("needle is in the text");
    let end = start + needle.len();
    Location {
        path: path.to_string(),
        span: Span {
            start_byte: start,
            end_byte: end,
            start: position(text, start),
            end: position(text, end),
        },
    }
}

pub fn root() -> PathBuf {
    if cfg!(windows) {
        PathBuf::from(r"C:\work\My Project #1")
    } else {
        PathBuf::from("/work/My Project #1")
    }
}

/// Three findings in two files (one error, one warning, one note), related locations in the
/// same and in another file, two notifications.
pub fn scan_result() -> ScanResult {
    let jwt = Diagnostic {
        rule: "jwt-in-local-storage",
        severity: Severity::Error,
        message: "JWT `t` is stored in localStorage, where any script on the page can read it"
            .to_string(),
        location: locate(LOGIN, LOGIN_TEXT, "localStorage.setItem(\"token\", t)"),
        related: Vec::new(),
        help: Some("Store the session in an HttpOnly cookie set by the server.".to_string()),
        fingerprint: "8d1f3c2a9b7e6f01".to_string(),
        suppression: None,
        baseline: None,
    };
    let n_plus_one = Diagnostic {
        rule: "n-plus-one-query",
        severity: Severity::Warning,
        message: "`db.user.findUnique` runs once per iteration of this loop".to_string(),
        location: locate(USERS, USERS_TEXT, "db.user.findUnique({ where: { id } })"),
        related: vec![
            Related {
                location: locate(USERS, USERS_TEXT, "for (const id of ids)"),
                message: "the loop starts here".to_string(),
            },
            Related {
                location: Location {
                    path: "src/db/client.ts".to_string(),
                    span: Span {
                        start_byte: 13,
                        end_byte: 15,
                        start: Position {
                            line: 2,
                            column: 14,
                            column_utf16: 14,
                        },
                        end: Position {
                            line: 2,
                            column: 16,
                            column_utf16: 16,
                        },
                    },
                },
                message: "`db` is a PrismaClient created here".to_string(),
            },
        ],
        help: Some(
            "Load all users in one query: `db.user.findMany({ where: { id: { in: ids } } })`."
                .to_string(),
        ),
        fingerprint: "02c4e6a8b0d2f413".to_string(),
        suppression: None,
        baseline: None,
    };
    let timeout = Diagnostic {
        rule: "missing-timeout",
        severity: Severity::Note,
        message: "`fetch` has no timeout".to_string(),
        location: locate(USERS, USERS_TEXT, "fetch(\"https://example.com/health\")"),
        related: Vec::new(),
        help: None,
        fingerprint: "5e5e5e5e00000001".to_string(),
        suppression: None,
        baseline: None,
    };
    ScanResult {
        root: root(),
        diagnostics: vec![jwt, n_plus_one, timeout],
        notifications: vec![
            Notification {
                path: "assets/legacy data.ts".to_string(),
                level: NotificationLevel::Warning,
                message: "not valid UTF-8; not analysed".to_string(),
            },
            Notification {
                path: "vendor/big.min.js".to_string(),
                level: NotificationLevel::Note,
                message: "skipped: minified".to_string(),
            },
        ],
        files_scanned: 12,
        context_files: 0,
        suppressed: 0,
        baselined: 0,
        duration: Duration::from_millis(42),
        sources: BTreeMap::from([
            (LOGIN.to_string(), Arc::from(LOGIN_TEXT)),
            (USERS.to_string(), Arc::from(USERS_TEXT)),
        ]),
    }
}

/// Renders `result` with `docs` as the enabled rules.
pub fn try_render_with(
    format: Format,
    result: &ScanResult,
    docs: &[RuleDoc],
    color: bool,
) -> std::io::Result<String> {
    let rules: Vec<&RuleDoc> = docs.iter().collect();
    let input = ReportInput {
        result,
        rules: &rules,
        tool: TOOL,
        color,
    };
    let mut out = Vec::new();
    render(format, &input, &mut out)?;
    Ok(String::from_utf8(out).expect("reports are UTF-8"))
}

pub fn render_with(format: Format, result: &ScanResult, docs: &[RuleDoc], color: bool) -> String {
    try_render_with(format, result, docs, color).expect("render succeeds")
}

/// The synthetic scan in `format`, without colour.
pub fn rendered(format: Format) -> String {
    render_with(format, &scan_result(), &rule_docs(), false)
}

pub fn sarif_json() -> serde_json::Value {
    serde_json::from_str(&rendered(Format::Sarif)).expect("SARIF output is JSON")
}

/// The synthetic scan as a baseline comparison with suppressions kept: the jwt finding is
/// new; a second jwt finding is silenced by a file-wide comment with no reason; a `string-sql`
/// finding is absent from this scan but in the baseline; the N+1 finding is unchanged since
/// the baseline; the timeout note is silenced with a reason. Only the first one counts.
/// The counts say more were silenced (5) and held by the baseline (12) than are listed.
pub fn marked_scan_result() -> ScanResult {
    let mut result = scan_result();
    let mut ds = std::mem::take(&mut result.diagnostics).into_iter();
    let (mut jwt, mut n_plus_one, mut timeout) =
        (ds.next().unwrap(), ds.next().unwrap(), ds.next().unwrap());
    jwt.baseline = Some(BaselineState::New);
    let mut file_wide = jwt.clone();
    file_wide.location = locate(LOGIN, LOGIN_TEXT, "api.get(\"/me\")");
    file_wide.message = "token `me` is stored in localStorage".to_string();
    file_wide.fingerprint = "8d1f3c2a9b7e6f02".to_string();
    file_wide.baseline = None;
    file_wide.suppression = Some(Suppression {
        justification: String::new(),
        file_wide: true,
    });
    let absent = Diagnostic {
        rule: "string-sql",
        severity: Severity::Error,
        message: "SQL built from `name` with `+`".to_string(),
        location: locate(USERS, USERS_TEXT, "import { db } from \"./client\""),
        related: Vec::new(),
        help: Some("Pass `name` as a query parameter.".to_string()),
        fingerprint: "0000aaaa0000bbbb".to_string(),
        suppression: None,
        baseline: Some(BaselineState::Absent),
    };
    n_plus_one.baseline = Some(BaselineState::Unchanged);
    timeout.suppression = Some(Suppression {
        justification: "the health check has its own deadline".to_string(),
        file_wide: false,
    });
    result.diagnostics = vec![jwt, file_wide, absent, n_plus_one, timeout];
    result.suppressed = 5;
    result.baselined = 12;
    result
}

/// The marked scan in `format`, without colour.
pub fn rendered_marked(format: Format) -> String {
    render_with(format, &marked_scan_result(), &rule_docs(), false)
}
