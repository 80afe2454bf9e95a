//! `sarif`: SARIF 2.1.0 built with `serde-sarif`, shaped for GitHub code scanning.
//!
//! What GitHub needs beyond the schema, and how it is met here:
//! - exactly one run; every rule of the run listed once in `tool.driver.rules`, and each
//!   result's `ruleIndex` pointing at its `ruleId` (a result for an unlisted rule is an error);
//! - artifact URIs relative to `%SRCROOT%` (never absolute, `./` or `file:`), percent-encoded,
//!   with `originalUriBaseIds["%SRCROOT%"]` the `file:///…/` URI of the scan root;
//! - columns in UTF-16 code units (`columnKind: utf16CodeUnits`), `endColumn` ≥ 1;
//! - `properties.tags` ≤ 20, `security-severity` a numeric string;
//! - `partialFingerprints` carries our own fingerprint; no `primaryLocationLineHash`, which
//!   the upload action would otherwise compute from a file it has to read.
//!
//! Every diagnostic of the result becomes a result, including suppressed and baselined ones
//! when the scan kept them: a suppressed one carries `suppressions: [{kind: "inSource",
//! justification}]`, one compared with a baseline carries `baselineState` (`new`,
//! `unchanged`, `absent`), with its usual level.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::Path;

use backlint_engine::meta::Precision;
use backlint_engine::{
    BaselineState, Diagnostic, Location, NotificationLevel, RuleDoc, Severity, Span, Suppression,
};
use serde_json::Value;
use serde_sarif::sarif;

use crate::uri::{directory_uri, relative_to_root, relative_uri};
use crate::ReportInput;

pub(crate) const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub(crate) const SRCROOT: &str = "%SRCROOT%";
pub(crate) const FINGERPRINT_KEY: &str = "backlintFingerprint/v1";
/// GitHub code scanning reads at most this many tags per rule.
pub(crate) const MAX_TAGS: usize = 20;

pub(crate) fn render(input: &ReportInput, out: &mut dyn io::Write) -> io::Result<()> {
    let log = build(input)?;
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
}

fn build(input: &ReportInput) -> io::Result<sarif::Sarif> {
    let result = input.result;

    // Rules: each id once, in registry order. `index` maps an id to its ruleIndex.
    let mut rules = Vec::with_capacity(input.rules.len());
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(input.rules.len());
    for doc in input.rules {
        if index.contains_key(doc.id()) {
            continue;
        }
        index.insert(doc.id(), rules.len());
        rules.push(descriptor(doc, input.tool.information_uri));
    }

    let mut results = Vec::with_capacity(result.diagnostics.len());
    for d in &result.diagnostics {
        let Some(&rule_index) = index.get(d.rule) else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "diagnostic of rule `{}` at {} but that rule is not among the reported rules",
                    d.rule,
                    crate::location_text(&d.location)
                ),
            ));
        };
        results.push(sarif_result(d, rule_index, &result.root)?);
    }

    let notifications = result
        .notifications
        .iter()
        .map(|n| {
            let path = relative_to_root(&result.root, &n.path);
            let uri = relative_uri(&path);
            sarif::Notification {
                associated_rule: None,
                descriptor: None,
                exception: None,
                level: Some(Value::from(notification_level(n.level))),
                locations: if uri.is_empty() {
                    None
                } else {
                    Some(vec![sarif::Location {
                        physical_location: Some(sarif::PhysicalLocation {
                            artifact_location: Some(artifact(uri)),
                            ..Default::default()
                        }),
                        ..Default::default()
                    }])
                },
                message: text_message(n.message.clone()),
                properties: None,
                thread_id: None,
                time_utc: None,
            }
        })
        .collect::<Vec<_>>();

    let invocation = sarif::Invocation::builder()
        .execution_successful(!result.had_internal_errors())
        .tool_execution_notifications(notifications)
        .build();

    let driver = sarif::ToolComponent::builder()
        .name(input.tool.name)
        .semantic_version(input.tool.version)
        .version(input.tool.version)
        .information_uri(input.tool.information_uri)
        .rules(rules)
        .build();

    let base_ids = BTreeMap::from([(
        SRCROOT.to_string(),
        sarif::ArtifactLocation {
            uri: Some(directory_uri(&result.root)?),
            ..Default::default()
        },
    )]);

    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .original_uri_base_ids(base_ids)
        .column_kind(Value::from("utf16CodeUnits"))
        .invocations(vec![invocation])
        .results(results)
        .build();

    Ok(sarif::Sarif::builder()
        .schema(SCHEMA_URI)
        .version(Value::from("2.1.0"))
        .runs(vec![run])
        .build())
}

/// `n-plus-one-query` → `NPlusOneQuery`.
pub(crate) fn upper_camel_case(id: &str) -> String {
    let mut name = String::with_capacity(id.len());
    for part in id.split(['-', '_']).filter(|p| !p.is_empty()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            name.extend(first.to_uppercase());
            name.push_str(chars.as_str());
        }
    }
    name
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn result_level(severity: Severity) -> sarif::ResultLevel {
    match severity {
        Severity::Error => sarif::ResultLevel::Error,
        Severity::Warning => sarif::ResultLevel::Warning,
        Severity::Note => sarif::ResultLevel::Note,
    }
}

fn notification_level(level: NotificationLevel) -> &'static str {
    match level {
        NotificationLevel::Note => "note",
        NotificationLevel::Warning => "warning",
        NotificationLevel::Error => "error",
    }
}

fn precision(p: Precision) -> &'static str {
    p.as_str()
}

fn text(s: impl Into<String>) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder().text(s).build()
}

fn text_message(s: String) -> sarif::Message {
    sarif::Message {
        text: Some(s),
        ..Default::default()
    }
}

fn artifact(uri: String) -> sarif::ArtifactLocation {
    sarif::ArtifactLocation {
        uri: Some(uri),
        uri_base_id: Some(SRCROOT.to_string()),
        ..Default::default()
    }
}

/// Tags: the doc's tags, its category, then `external/cwe/cwe-N` per CWE; deduplicated,
/// first occurrence kept, at most [`MAX_TAGS`].
pub(crate) fn tags(doc: &RuleDoc) -> Vec<String> {
    let meta = &doc.meta;
    let mut tags: Vec<String> = Vec::new();
    let candidates = meta
        .tags
        .iter()
        .cloned()
        .chain(std::iter::once(meta.category.clone()))
        .chain(meta.cwe.iter().map(|n| format!("external/cwe/cwe-{n}")));
    for tag in candidates {
        let tag = tag.trim();
        if tag.is_empty() || tags.iter().any(|t| t == tag) {
            continue;
        }
        if tags.len() == MAX_TAGS {
            break;
        }
        tags.push(tag.to_string());
    }
    tags
}

/// GitHub's `security-severity`: a numeric string in 0.0..=10.0, one decimal, for security
/// rules only.
pub(crate) fn security_severity(doc: &RuleDoc) -> Option<String> {
    if doc.meta.category != "security" {
        return None;
    }
    let score = doc.meta.security_severity?;
    (score.is_finite() && (0.0..=10.0).contains(&score)).then(|| format!("{score:.1}"))
}

fn descriptor(doc: &RuleDoc, information_uri: &str) -> sarif::ReportingDescriptor {
    let meta = &doc.meta;
    let mut extra = BTreeMap::new();
    extra.insert(
        "precision".to_string(),
        Value::from(precision(meta.precision)),
    );
    if let Some(score) = security_severity(doc) {
        extra.insert("security-severity".to_string(), Value::from(score));
    }
    let properties = sarif::PropertyBag {
        tags: Some(tags(doc)),
        additional_properties: extra,
    };
    let configuration = sarif::ReportingConfiguration {
        level: Some(Value::from(level(meta.severity))),
        ..Default::default()
    };
    let help = sarif::MultiformatMessageString::builder()
        .text(doc.body.clone())
        .markdown(doc.body.clone())
        .build();
    sarif::ReportingDescriptor::builder()
        .id(meta.id.clone())
        .name(upper_camel_case(&meta.id))
        .short_description(text(meta.title.trim()))
        .full_description(text(doc.full_description()))
        .help(help)
        .help_uri(format!(
            "{}/blob/main/rules/{}.md",
            information_uri.trim_end_matches('/'),
            meta.id
        ))
        .default_configuration(configuration)
        .properties(properties)
        .build()
}

/// A SARIF region from a span: 1-based lines, UTF-16 columns, `endColumn` exclusive and ≥ 1.
fn region(span: &Span) -> sarif::Region {
    let start_line = span.start.line.max(1);
    let start_column = span.start.column_utf16.max(1);
    let end_line = span.end.line.max(start_line);
    let mut end_column = span.end.column_utf16.max(1);
    if end_line == start_line {
        end_column = end_column.max(start_column);
    }
    sarif::Region {
        start_line: Some(i64::from(start_line)),
        start_column: Some(i64::from(start_column)),
        end_line: Some(i64::from(end_line)),
        end_column: Some(i64::from(end_column)),
        ..Default::default()
    }
}

fn physical_location(location: &Location, root: &Path) -> io::Result<sarif::PhysicalLocation> {
    let path = relative_to_root(root, &location.path);
    let uri = relative_uri(&path);
    if uri.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("location with an empty path: `{}`", location.path),
        ));
    }
    Ok(sarif::PhysicalLocation {
        artifact_location: Some(artifact(uri)),
        region: Some(region(&location.span)),
        ..Default::default()
    })
}

fn sarif_result(d: &Diagnostic, rule_index: usize, root: &Path) -> io::Result<sarif::Result> {
    let location = sarif::Location {
        physical_location: Some(physical_location(&d.location, root)?),
        ..Default::default()
    };
    let mut related = Vec::with_capacity(d.related.len());
    for (id, r) in d.related.iter().enumerate() {
        related.push(sarif::Location {
            id: Some(id as i64),
            message: Some(text_message(r.message.clone())),
            physical_location: Some(physical_location(&r.location, root)?),
            ..Default::default()
        });
    }
    let mut result = sarif::Result::builder()
        .rule_id(d.rule)
        .rule_index(rule_index as i64)
        .level(result_level(d.severity))
        .message(text_message(d.message.clone()))
        .locations(vec![location])
        .partial_fingerprints(BTreeMap::from([(
            FINGERPRINT_KEY.to_string(),
            d.fingerprint.clone(),
        )]))
        .build();
    if !related.is_empty() {
        result.related_locations = Some(related);
    }
    if let Some(s) = &d.suppression {
        result.suppressions = Some(vec![suppression(s)?]);
    }
    if let Some(state) = d.baseline {
        result.baseline_state = Some(typed(baseline_state(state))?);
    }
    Ok(result)
}

/// A value of one of serde-sarif's typed enums, as the `Value` its model stores.
fn typed(value: impl serde::Serialize) -> io::Result<Value> {
    Ok(serde_json::to_value(value)?)
}

/// An inline `backlint-ignore` comment: `kind: "inSource"`, with the justification when the
/// comment gave one.
fn suppression(s: &Suppression) -> io::Result<sarif::Suppression> {
    Ok(sarif::Suppression {
        guid: None,
        justification: (!s.justification.trim().is_empty()).then(|| s.justification.clone()),
        kind: typed(sarif::SupressionKind::InSource)?,
        location: None,
        properties: None,
        status: None,
    })
}

fn baseline_state(state: BaselineState) -> sarif::ResultBaselineState {
    match state {
        BaselineState::New => sarif::ResultBaselineState::New,
        BaselineState::Unchanged => sarif::ResultBaselineState::Unchanged,
        BaselineState::Absent => sarif::ResultBaselineState::Absent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_upper_camel_case() {
        assert_eq!(upper_camel_case("n-plus-one-query"), "NPlusOneQuery");
        assert_eq!(
            upper_camel_case("jwt-in-local-storage"),
            "JwtInLocalStorage"
        );
        assert_eq!(upper_camel_case("string-sql"), "StringSql");
    }
}
