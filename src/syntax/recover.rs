//! Error recovery: on a syntax error, repair (a missing `;`) or stub out the
//! broken statement and parse again, so that every syntax error is reported
//! and the statements that do parse can still be checked.
//!
//! A broken statement that starts `NAME =` is kept as `NAME = 0` (same
//! length), so that its name stays assigned and later reads of it raise no
//! error that the fix would take away; any other broken statement becomes
//! spaces. [`Recovery::mentions_removed`] tells which findings might still
//! depend on the removed text.

use std::collections::HashSet;

use super::{parse, Ast, SyntaxError, SyntaxErrorKind};
use crate::limits::Limits;
use crate::span::Span;

/// What recovering parsing found.
#[derive(Debug, Clone)]
pub struct Recovery {
    /// Every syntax error, in the order found, with spans (and a missing
    /// `;`'s insertion point) in the original text.
    pub errors: Vec<SyntaxError>,
    /// The tree of the statements that parse, when parsing got to the end.
    pub ast: Option<Ast>,
    /// The text `ast` was parsed from: the original with each missing `;`
    /// inserted and each broken statement stubbed out.
    pub text: String,
    /// Parsing stopped after the most errors allowed.
    pub gave_up: bool,
    /// Offsets in `text` where a `;` was inserted, in order.
    inserted: Vec<usize>,
    /// The names (`$x`, `x`) the removed text mentioned, other than calls.
    removed_names: HashSet<String>,
}

impl Recovery {
    /// The original offset of offset `at` of [`Recovery::text`].
    pub fn original(&self, at: usize) -> usize {
        at - self.inserted.iter().filter(|&&i| i < at).count()
    }

    /// The original span of a span of [`Recovery::text`].
    pub fn original_span(&self, span: Span) -> Span {
        Span::new(self.original(span.start), self.original(span.end))
    }

    /// Whether `text` (a finding's source text) names something the removed
    /// statements named: such a finding might vanish once the syntax error is
    /// fixed, so it is not reported.
    pub fn mentions_removed(&self, text: &str) -> bool {
        names(text).any(|n| self.removed_names.contains(n))
    }
}

/// Parses `text`, recovering from up to `cap` syntax errors.
pub fn parse_recovering(text: &str, limits: &Limits, cap: usize) -> Recovery {
    let mut rec = Recovery {
        errors: Vec::new(),
        ast: None,
        text: text.to_string(),
        gave_up: false,
        inserted: Vec::new(),
        removed_names: HashSet::new(),
    };
    let mut stubbed: Vec<usize> = Vec::new();
    // Each round fixes or stubs one error; the cap keeps hostile input linear.
    loop {
        if rec.errors.len() >= cap {
            rec.gave_up = true;
            return rec;
        }
        let e = match parse(&rec.text, limits) {
            Ok(ast) => {
                rec.ast = Some(ast);
                return rec;
            }
            Err(e) => e,
        };
        let mut original = e.clone();
        original.span = rec.original_span(e.span);
        if let SyntaxErrorKind::MissingSemicolon { insert_at } = e.kind {
            original.kind = SyntaxErrorKind::MissingSemicolon {
                insert_at: rec.original(insert_at),
            };
            rec.errors.push(original);
            if !rec.text.is_char_boundary(insert_at) {
                return rec;
            }
            rec.text.insert(insert_at, ';');
            rec.inserted.push(insert_at);
            continue;
        }
        rec.errors.push(original);
        let recoverable = matches!(
            e.kind,
            SyntaxErrorKind::Unexpected { .. } | SyntaxErrorKind::NumberOutOfRange { .. }
        );
        if !recoverable || !stub_statement(&mut rec, e.span.start, &mut stubbed) {
            return rec;
        }
    }
}

/// Stubs out the statement around `pos`; false when nothing was left to do.
fn stub_statement(rec: &mut Recovery, pos: usize, stubbed: &mut Vec<usize>) -> bool {
    let work = &mut rec.text;
    let pos = crate::span::floor_char_boundary(work, pos);
    let start = work
        .get(..pos)
        .and_then(|b| b.rfind(';'))
        .map_or(0, |i| i + 1);
    let end = work
        .get(pos..)
        .and_then(|a| a.find(';'))
        .map_or(work.len(), |i| pos + i);
    let Some(region) = work.get(start..end) else {
        return false;
    };
    if region.chars().all(char::is_whitespace) {
        return false;
    }
    for name in names(region) {
        rec.removed_names.insert(name.to_string());
    }
    // A stub that fails again is blanked whole.
    let target = if stubbed.contains(&start) {
        None
    } else {
        assignment_target(region)
    };
    let mut blank: String = region
        .chars()
        .map(|c| match c {
            '\n' | '\r' => c.to_string(),
            _ => " ".repeat(c.len_utf8()),
        })
        .collect();
    if let Some((name_at, name, zero_at)) = target {
        blank.replace_range(name_at..name_at + name.len(), name);
        blank.replace_range(zero_at - 1..zero_at + 1, "=0");
        stubbed.push(start);
    }
    // Same length in bytes, so that offsets keep their meaning.
    work.replace_range(start..end, &blank);
    true
}

/// In a statement's text, the `NAME` of a leading `NAME =`: its offset, the
/// name, and the offset just after the `=` (where there is room for `0`).
fn assignment_target(region: &str) -> Option<(usize, &str, usize)> {
    let mut at = 0;
    // Skip whitespace and `//` comments before the statement.
    loop {
        let rest = region.get(at..)?;
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if trimmed.starts_with("//") {
            at += trimmed.find('\n')?;
        } else {
            break;
        }
    }
    let rest = region.get(at..)?;
    let len = name_len(rest);
    if len == 0 {
        return None;
    }
    let name = rest.get(..len)?;
    let after = rest.get(len..)?;
    let eq = len + after.len() - after.trim_start().len();
    let is_assign = rest.get(eq..)?.starts_with('=') && !rest.get(eq..)?.starts_with("==");
    // `=` needs a byte after it for the `0`.
    let zero_at = at + eq + 1;
    (is_assign && zero_at < region.len()).then_some((at, name, zero_at))
}

/// Length of the name (`$x`, `x1`) at the start of `text`, 0 if none.
fn name_len(text: &str) -> usize {
    let body = text.strip_prefix('$').unwrap_or(text);
    let first_ok = body
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !first_ok {
        return 0;
    }
    let n = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(body.len());
    n + (text.len() - body.len())
}

/// The names in `text` that are variables: not calls (`max(`) or methods (`.GetSample`).
fn names(text: &str) -> impl Iterator<Item = &str> {
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(rest) = text.get(at..) {
            let c = rest.chars().next()?;
            let len = name_len(rest);
            let starts_word = at == 0
                || !text
                    .get(..at)
                    .and_then(|b| b.chars().next_back())
                    .is_some_and(|p| p.is_ascii_alphanumeric() || p == '_' || p == '$');
            if len > 0 && starts_word {
                let name = rest.get(..len)?;
                let before = text.get(..at).map(str::trim_end).unwrap_or("");
                let after = rest.get(len..).map(str::trim_start).unwrap_or("");
                at += len;
                if !before.ends_with('.') && !after.starts_with('(') {
                    return Some(name);
                }
            } else {
                at += c.len_utf8();
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recover(text: &str) -> Recovery {
        parse_recovering(text, &Limits::default(), 50)
    }

    #[test]
    fn a_broken_assignment_keeps_its_name() {
        let rec = recover("$a = 1;\n$x = max(1;\n$TargetDedicatedNodes = $x + $PendingTask;");
        assert_eq!(rec.errors.len(), 1);
        // `$x = max(1` (10 bytes) became `$x =0` and 5 spaces.
        assert_eq!(
            rec.text,
            "$a = 1;\n$x =0     ;\n$TargetDedicatedNodes = $x + $PendingTask;"
        );
        assert!(rec.ast.is_some());
        assert!(rec.mentions_removed("$x"));
        // Calls and methods are not names.
        assert!(!rec.mentions_removed("max"));
        assert!(!rec.mentions_removed("$PendingTask"));
    }

    #[test]
    fn missing_semicolons_are_inserted_and_mapped_back() {
        let rec = recover("$a = 1\n$b = 2;");
        assert_eq!(rec.text, "$a = 1;\n$b = 2;");
        assert!(!rec.mentions_removed("$a $b"));
        // `$b` is at 8 in the repaired text, 7 in the original.
        assert_eq!(rec.original(8), 7);
    }

    #[test]
    fn anything_else_is_blanked_and_errors_are_capped() {
        let rec = recover("1 + ;\n$b = 2;");
        // `1 + ` (4 bytes) becomes 4 spaces.
        assert_eq!(rec.text, "    ;\n$b = 2;");
        let rec = parse_recovering("$a = );$b = );$c = );", &Limits::default(), 2);
        assert!(rec.gave_up);
        assert_eq!(rec.errors.len(), 2);
    }

    #[test]
    fn names_skip_calls_and_methods() {
        let found: Vec<_> = names("$t = max(a, $P.GetSample(1)) + b1;").collect();
        assert_eq!(found, ["$t", "a", "$P", "b1"]);
    }
}
