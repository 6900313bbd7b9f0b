//! Inline suppressions: `// batchscale: allow(CODE, ...)` drops the named
//! warnings and infos of the next statement, `// batchscale: allow-file(CODE,
//! ...)` those of the whole formula. A directive that drops nothing, names an
//! unknown code or an error, or cannot be read is itself reported
//! (`unused-suppression`), so stale suppressions do not pile up.
//!
//! Directives are comments of the formula text, so they work the same in a
//! formula file and in a formula inside a host file, and they count toward
//! the service's 8,192 characters (docs/check.md, "Suppressing a finding").

use crate::diagnostics::{Diagnostic, Severity};
use crate::span::Span;

use super::table::rule;

/// The comment prefix that marks a directive.
const PREFIX: &str = "batchscale:";

/// The statements a directive covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// The first statement that starts after the comment (its span, up to
    /// and including its `;`).
    Statement(Span),
    /// The whole formula.
    File,
}

/// One code named in a directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Named {
    /// The code as written.
    pub(crate) code: String,
    /// Where it is written.
    pub(crate) span: Span,
}

/// A parsed directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Suppression {
    /// What it covers.
    pub(crate) scope: Scope,
    /// The codes it names.
    pub(crate) codes: Vec<Named>,
}

/// A comment that starts with `batchscale:` but is not a directive.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Malformed {
    span: Span,
}

/// The directives of `text` and the comments that look like one but are not.
fn scan(text: &str) -> (Vec<Suppression>, Vec<Malformed>) {
    let mut found = Vec::new();
    let mut malformed = Vec::new();
    for (start, end) in comments(text) {
        // `start` is at `//`.
        let body_start = start + 2;
        let Some(body) = text.get(body_start..end) else {
            continue;
        };
        let lead = body.len() - body.trim_start().len();
        let Some(rest) = body.trim_start().strip_prefix(PREFIX) else {
            continue;
        };
        let rest_at = body_start + lead + PREFIX.len();
        match directive(rest, rest_at) {
            Some((file_wide, codes)) => {
                let scope = if file_wide {
                    Scope::File
                } else {
                    match next_statement(text, end) {
                        Some(span) => Scope::Statement(span),
                        // Nothing follows: the directive covers nothing, and
                        // each of its codes is reported as unused.
                        None => Scope::Statement(Span::point(text.len())),
                    }
                };
                found.push(Suppression { scope, codes });
            }
            None => malformed.push(Malformed {
                span: Span::new(start, trim_end(text, start, end)),
            }),
        }
    }
    (found, malformed)
}

/// `end` moved back over trailing white space (a `\r` before the line feed).
fn trim_end(text: &str, start: usize, end: usize) -> usize {
    text.get(start..end)
        .map_or(end, |s| start + s.trim_end().len())
}

/// Reads `allow(CODE, ...)` or `allow-file(CODE, ...)` from `rest` (at byte
/// `at` of the text); anything after the `)` is a free-text reason.
fn directive(rest: &str, at: usize) -> Option<(bool, Vec<Named>)> {
    let trimmed = rest.trim_start();
    let mut offset = at + rest.len() - trimmed.len();
    let (file_wide, after) = if let Some(r) = trimmed.strip_prefix("allow-file") {
        (true, r)
    } else if let Some(r) = trimmed.strip_prefix("allow") {
        (false, r)
    } else {
        return None;
    };
    offset += trimmed.len() - after.len();
    let open = after.trim_start();
    offset += after.len() - open.len();
    let inner = open.strip_prefix('(')?;
    offset += 1;
    let close = inner.find(')')?;
    let list = inner.get(..close)?;
    let mut codes = Vec::new();
    let mut item_at = offset;
    for item in list.split(',') {
        let code = item.trim();
        let lead = item.len() - item.trim_start().len();
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return None;
        }
        let start = item_at + lead;
        codes.push(Named {
            code: code.to_string(),
            span: Span::new(start, start + code.len()),
        });
        item_at += item.len() + 1;
    }
    Some((file_wide, codes))
}

/// Byte ranges of the `//` comments of `text` (from the slashes to the line
/// feed), skipping `//` inside strings.
fn comments(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut in_string = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => in_string = false,
            b'"' => in_string = !in_string,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => {
                let end = line_end(text, i);
                out.push((i, end));
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn line_end(text: &str, from: usize) -> usize {
    text.get(from..)
        .and_then(|r| r.find('\n'))
        .map_or(text.len(), |n| from + n)
}

/// The span of the first statement that starts at or after `from`: from its
/// first character that is not white space or a comment, to its `;` (or the
/// end of the text), `;` in strings and comments not counting.
pub(crate) fn next_statement(text: &str, from: usize) -> Option<Span> {
    let bytes = text.as_bytes();
    let mut i = from;
    // Skip white space and whole-line comments (stacked directives).
    let start = loop {
        match bytes.get(i) {
            None => return None,
            Some(b) if b.is_ascii_whitespace() => i += 1,
            Some(b'/') if bytes.get(i + 1) == Some(&b'/') => i = line_end(text, i),
            Some(_) => break i,
        }
    };
    let mut in_string = false;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => in_string = false,
            b'"' => in_string = !in_string,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => {
                i = line_end(text, i);
                continue;
            }
            b';' if !in_string => return Some(Span::new(start, i + 1)),
            _ => {}
        }
        i += 1;
    }
    Some(Span::new(start, text.len()))
}

/// Where to insert a directive that suppresses `code` for the statement
/// holding byte `offset` of `text`, and the text to insert: a comment line
/// above the statement, at its indentation; a statement that shares its line
/// with an earlier one is moved to a line of its own first.
#[cfg_attr(not(feature = "cli"), allow(dead_code))]
pub(crate) fn directive_for(text: &str, offset: usize, code: &str) -> Option<(Span, String)> {
    let mut from = 0;
    let statement = loop {
        let s = next_statement(text, from)?;
        if offset < s.end || s.end >= text.len() {
            break s;
        }
        from = s.end;
    };
    let line_start = text
        .get(..statement.start)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |n| n + 1);
    let indent = text.get(line_start..statement.start)?;
    let comment = format!("// {PREFIX} allow({code})");
    if indent.chars().all(|c| c == ' ' || c == '\t') {
        Some((Span::point(line_start), format!("{indent}{comment}\n")))
    } else {
        Some((Span::point(statement.start), format!("\n{comment}\n")))
    }
}

/// `diagnostics` without the warnings and infos the directives of `text`
/// suppress, with an `unused-suppression` warning for each code that
/// suppressed nothing (or cannot be suppressed) and each comment that starts
/// like a directive but is not one. Errors are never suppressed: the service
/// would reject the formula whatever the comment says.
pub(crate) fn apply(text: &str, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if !text.contains(PREFIX) {
        return diagnostics;
    }
    let (directives, malformed) = scan(text);
    // With an error in the formula, some warnings are not looked for (after
    // a syntax error) or are left out (inside an expression with an error),
    // so a directive that dropped nothing may yet be needed: only its
    // unknown or error codes are reported then.
    let complete = !diagnostics.iter().any(|d| d.severity == Severity::Error);
    // used[d][c]: whether code c of directive d suppressed something.
    let mut used: Vec<Vec<bool>> = directives
        .iter()
        .map(|s| vec![false; s.codes.len()])
        .collect();
    let mut kept = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        let mut suppressed = false;
        if d.severity != Severity::Error {
            for (s, marks) in directives.iter().zip(used.iter_mut()) {
                let covers = match s.scope {
                    Scope::File => true,
                    Scope::Statement(span) => {
                        span.start <= d.span.start && d.span.start < span.end.max(span.start + 1)
                    }
                };
                if !covers {
                    continue;
                }
                for (named, mark) in s.codes.iter().zip(marks.iter_mut()) {
                    if named.code == d.code {
                        *mark = true;
                        suppressed = true;
                    }
                }
            }
        }
        if !suppressed {
            kept.push(d);
        }
    }
    for (s, marks) in directives.iter().zip(&used) {
        for (named, &was_used) in s.codes.iter().zip(marks) {
            let certain =
                complete || rule(&named.code).is_none_or(|r| r.severity == Severity::Error);
            if !was_used && certain {
                kept.push(unused(named, s.scope));
            }
        }
    }
    for m in malformed {
        kept.push(
            Diagnostic::warning(
                "unused-suppression",
                "this comment starts like a suppression but is not one",
                m.span,
            )
            .with_help("write `// batchscale: allow(CODE, ...)` for the next statement or `// batchscale: allow-file(CODE, ...)` for the whole formula"),
        );
    }
    kept
}

/// The warning about a code that suppressed nothing.
fn unused(named: &Named, scope: Scope) -> Diagnostic {
    let code = named.code.as_str();
    let (message, help) = match rule(code) {
        None => {
            let close = crate::input::did_you_mean(code, super::RULES.iter().map(|r| r.code));
            (
                format!("`{code}` is not a rule code"),
                match close {
                    Some(s) => {
                        format!("did you mean `{s}`? `batchscale check --explain` lists the codes")
                    }
                    None => "`batchscale check --explain` lists the codes".to_string(),
                },
            )
        }
        Some(r) if r.severity == Severity::Error => (
            format!("`{code}` is an error the service would report; it cannot be suppressed"),
            "fix the formula instead".to_string(),
        ),
        Some(_) => (
            match scope {
                Scope::File => format!("nothing in this formula is reported as `{code}`"),
                Scope::Statement(_) => {
                    format!("nothing in the next statement is reported as `{code}`")
                }
            },
            "remove the code from the comment".to_string(),
        ),
    };
    Diagnostic::warning("unused-suppression", message, named.span).with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suppressions(text: &str) -> Vec<Suppression> {
        scan(text).0
    }

    #[test]
    fn a_directive_covers_the_next_statement_to_its_semicolon() {
        let text =
            "a = 1;\n// batchscale: allow(unused-variable, no-target)\nb = \"x;\" ; c = 2;\n";
        let found = suppressions(text);
        assert_eq!(found.len(), 1);
        let start = text.find("b =").unwrap_or(0);
        let end = text.find(" ; c").unwrap_or(0) + 2;
        assert_eq!(found[0].scope, Scope::Statement(Span::new(start, end)));
        let codes: Vec<&str> = found[0].codes.iter().map(|n| n.code.as_str()).collect();
        assert_eq!(codes, ["unused-variable", "no-target"]);
        // Each code's span is the code as written.
        let at = found[0].codes[1].span;
        assert_eq!(text.get(at.start..at.end), Some("no-target"));
    }

    #[test]
    fn stacked_directives_cover_the_same_statement_and_reasons_are_allowed() {
        let text = "// batchscale: allow(a) because\n//batchscale:allow-file( b )\n\nx = 1;";
        let found = suppressions(text);
        let x = text.find('x').unwrap_or(0);
        assert_eq!(found[0].scope, Scope::Statement(Span::new(x, text.len())));
        assert_eq!(found[1].scope, Scope::File);
        assert_eq!(found[1].codes[0].code, "b");
    }

    #[test]
    fn a_directive_in_a_string_is_text() {
        assert!(suppressions("x = \"// batchscale: allow(a)\";").is_empty());
    }

    #[test]
    fn the_inserted_directive_covers_the_statement_it_was_made_for() {
        let text = "a = 1;\n  b = 2; c = 3;\n";
        // Indented statement on its own line: a comment line above it.
        let b = text.find('b').unwrap_or(0);
        let (at, insert) = directive_for(text, b, "unused-variable").unwrap_or_default();
        assert_eq!(at, Span::point(7));
        assert_eq!(insert, "  // batchscale: allow(unused-variable)\n");
        // A statement after another on the line: moved to a line of its own.
        let c = text.find('c').unwrap_or(0);
        let (at, insert) = directive_for(text, c, "x").unwrap_or_default();
        assert_eq!(at, Span::point(c));
        let mut edited = text.to_string();
        edited.insert_str(at.start, &insert);
        assert_eq!(
            edited,
            "a = 1;\n  b = 2; \n// batchscale: allow(x)\nc = 3;\n"
        );
        let found = suppressions(&edited);
        let c = edited.find("c =").unwrap_or(0);
        assert_eq!(found[0].scope, Scope::Statement(Span::new(c, c + 6)));
    }

    #[test]
    fn with_an_error_only_certain_mistakes_are_reported() {
        let text = "// batchscale: allow(unused-variable, no-such-code)\nx = ;";
        let error = Diagnostic::error("syntax-error", "m", Span::point(text.len() - 1));
        let out = apply(text, vec![error]);
        // The unknown code is reported; `unused-variable` may be needed once
        // the syntax error is fixed.
        let unused: Vec<&str> = out
            .iter()
            .filter(|d| d.code == "unused-suppression")
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(unused, ["`no-such-code` is not a rule code"]);
    }

    #[test]
    fn a_broken_directive_is_reported() {
        let text = "// batchscale: allw(unused-variable)\r\nx = 1;";
        let out = apply(text, Vec::new());
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].code, "unused-suppression");
        // The span stops before the `\r`.
        assert_eq!(out[0].span, Span::new(0, text.find('\r').unwrap_or(0)));
    }
}
