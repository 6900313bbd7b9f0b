//! GitLab Code Quality: a JSON array of issues, each with a fingerprint that
//! stays the same while the finding does (so merge requests show what is new).

use serde_json::{json, Value};

use crate::cli::check::FileReport;
use crate::diagnostics::Severity;
use crate::span::line_col;

/// GitLab's scale is info, minor, major, critical, blocker; an error is
/// something the service rejects, so it ranks critical.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "critical",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

/// 64-bit FNV-1a: stable across Rust releases and machines, unlike std's
/// hasher, so the fingerprint of a finding does not change with the toolchain.
fn fnv1a(bytes: impl Iterator<Item = u8>) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The fingerprint of the parts, each followed by a 0 byte so that
/// ("ab", "c") and ("a", "bc") differ.
fn fingerprint(parts: &[&str]) -> String {
    let bytes = parts.iter().flat_map(|p| p.bytes().chain([0]));
    format!("{:016x}", fnv1a(bytes))
}

/// The Code Quality report of a run.
pub(super) fn render(reports: &[FileReport]) -> String {
    let mut issues: Vec<Value> = Vec::new();
    for report in reports {
        // The line is left out of the fingerprint so that a finding keeps it
        // when lines above it move; the count of earlier identical findings
        // in the file keeps two of them apart.
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for d in report.diagnostics() {
            let occurrence = seen
                .iter()
                .filter(|(code, message)| *code == d.code && *message == d.message)
                .count()
                .to_string();
            seen.push((d.code, &d.message));
            let fingerprint = fingerprint(&[report.origin(), d.code, &d.message, &occurrence]);
            let begin = line_col(report.source(), d.span.start);
            let end = line_col(report.source(), d.span.end.max(d.span.start));
            issues.push(json!({
                "type": "issue",
                "check_name": d.code,
                "description": d.message,
                "categories": ["Bug Risk"],
                "severity": severity(d.severity),
                "fingerprint": fingerprint,
                "location": {
                    "path": report.origin(),
                    "positions": {
                        "begin": { "line": begin.line, "column": begin.column },
                        "end": { "line": end.line, "column": end.column },
                    },
                },
            }));
        }
    }
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::{fingerprint, fnv1a};

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        // From the FNV authors' test suite: the empty string gives the
        // offset basis, and "a" gives 0xaf63dc4c8601ec8c.
        assert_eq!(fnv1a("".bytes()), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a".bytes()), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn parts_are_kept_apart() {
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
    }
}
