//! SARIF 2.1.0 as GitHub code scanning reads it: one run, every rule with its
//! summary and explanation (as text and Markdown), each result at its place in the file
//! that holds the formula (the host file for ARM, Bicep, Terraform…), and a
//! fix where the diagnostic has one.

use serde_json::{json, Value};

use super::file_uri;
use crate::cli::check::FileReport;
use crate::diagnostics::{Applicability, Diagnostic, Severity};
use crate::lint::RULES;
use crate::span::{line_col, Span};

/// The published schema of the OASIS standard (errata 01), as `$schema`.
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

// No `helpUri` or `informationUri`: SARIF wants absolute URIs there, and the
// project has no published address (Cargo.toml names no `repository`), so the
// explanation travels in each rule's `help` instead (docs/ci.md).

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A SARIF region; columns count Unicode code points (the run says so in
/// `columnKind`), as every other format of `check` does.
fn region(source: &str, span: Span) -> Value {
    let start = line_col(source, span.start);
    let end = line_col(source, span.end.max(span.start));
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    })
}

fn location(uri: &str, source: &str, span: Span) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri },
            "region": region(source, span),
        }
    })
}

fn result(uri: &str, source: &str, d: &Diagnostic) -> Value {
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut result = serde_json::Map::new();
    result.insert("ruleId".into(), json!(d.code));
    result.insert("level".into(), json!(level(d.severity)));
    result.insert("message".into(), json!({ "text": text }));
    result.insert("locations".into(), json!([location(uri, source, d.span)]));
    if let Some(index) = RULES.iter().position(|r| r.code == d.code) {
        result.insert("ruleIndex".into(), json!(index));
    }
    if !d.labels.is_empty() {
        let related: Vec<Value> = d
            .labels
            .iter()
            .enumerate()
            .map(|(id, label)| {
                json!({
                    "id": id,
                    "message": { "text": label.message },
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri },
                        "region": region(source, label.span),
                    },
                })
            })
            .collect();
        result.insert("relatedLocations".into(), Value::Array(related));
    }
    if let Some(fix) = &d.fix {
        let description = if fix.replacement.is_empty() {
            "remove this".to_string()
        } else if fix.span.is_empty() {
            format!("insert `{}`", fix.replacement)
        } else {
            format!("replace with `{}`", fix.replacement)
        };
        let mut sarif_fix = json!({
            "description": { "text": description },
            "artifactChanges": [{
                "artifactLocation": { "uri": uri },
                "replacements": [{
                    "deletedRegion": region(source, fix.span),
                    "insertedContent": { "text": fix.replacement },
                }],
            }],
        });
        // SARIF has no notion of an unsafe fix; a property marks the fixes
        // `check --fix` applies only with `--unsafe-fixes`.
        if let (Applicability::Unsafe, Some(obj)) = (fix.applicability, sarif_fix.as_object_mut()) {
            obj.insert("properties".into(), json!({ "unsafe": true }));
        }
        result.insert("fixes".into(), json!([sarif_fix]));
    }
    Value::Object(result)
}

fn rules() -> Vec<Value> {
    RULES
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code,
                "name": rule.code,
                "shortDescription": { "text": rule.summary },
                "fullDescription": { "text": rule.summary },
                "help": {
                    "text": rule.explain,
                    "markdown": format!(
                        "**{}** ({}): {}\n\n{}",
                        rule.code,
                        rule.severity.as_str(),
                        rule.summary,
                        rule.explain
                    ),
                },
                "defaultConfiguration": { "level": level(rule.severity) },
            })
        })
        .collect()
}

/// The SARIF log of a run.
pub(super) fn render(reports: &[FileReport]) -> String {
    let mut results = Vec::new();
    let mut artifacts = Vec::new();
    for report in reports {
        let uri = file_uri(report.origin());
        for d in report.diagnostics() {
            results.push(result(&uri, report.source(), d));
        }
        artifacts.push(json!({ "location": { "uri": uri } }));
    }
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "batchscale",
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules(),
                }
            },
            "columnKind": "unicodeCodePoints",
            "artifacts": artifacts,
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}
