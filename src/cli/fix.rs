//! `check --fix`: apply the safe fixes (today, the `;` a syntax error says is
//! missing) to the checked file, in a formula file or inside the file that
//! carries the formula.

use crate::diagnostics::Diagnostic;
use crate::extract::Carrier;

/// Whether `replacement` reads the same inside the carrier's strings as in a
/// formula file, so that inserting it keeps the host's escaping valid: no
/// quote, backslash, interpolation sign or control character, which JSON,
/// Bicep, Terraform or Groovy strings would read otherwise.
fn literal_in(carrier: Carrier, replacement: &str) -> bool {
    carrier == Carrier::Plain
        || !replacement
            .chars()
            .any(|c| c.is_control() || matches!(c, '"' | '\'' | '\\' | '$' | '%' | '{' | '}'))
}

/// `source` with the fixes of `diagnostics` applied, and how many; fixes
/// that overlap an earlier one, or whose text the host would escape, are
/// left for a person.
pub fn apply<'a>(
    source: &str,
    carrier: Carrier,
    diagnostics: impl Iterator<Item = &'a Diagnostic>,
) -> (String, usize) {
    let mut fixes: Vec<_> = diagnostics
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| literal_in(carrier, &f.replacement))
        .filter(|f| f.span.start <= f.span.end && f.span.end <= source.len())
        .filter(|f| source.is_char_boundary(f.span.start) && source.is_char_boundary(f.span.end))
        .collect();
    fixes.sort_by_key(|f| (f.span.start, f.span.end));
    let mut out = String::with_capacity(source.len() + fixes.len());
    let mut at = 0;
    let mut applied = 0;
    for fix in fixes {
        if fix.span.start < at {
            continue;
        }
        out.push_str(source.get(at..fix.span.start).unwrap_or(""));
        out.push_str(&fix.replacement);
        at = fix.span.end;
        applied += 1;
    }
    out.push_str(source.get(at..).unwrap_or(""));
    (out, applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    fn insert(at: usize, text: &str) -> Diagnostic {
        Diagnostic::error("missing-semicolon", "m", Span::new(at, at))
            .with_fix(Span::new(at, at), text)
    }

    #[test]
    fn fixes_apply_from_the_end_and_count() {
        let ds = [insert(5, ";"), insert(1, ";")];
        assert_eq!(
            apply("a = 1 b = 2", Carrier::Plain, ds.iter()),
            ("a; = 1; b = 2".to_string(), 2)
        );
    }

    #[test]
    fn a_fix_the_host_would_escape_is_left() {
        let ds = [insert(1, "\"")];
        assert_eq!(apply("ab", Carrier::Json, ds.iter()), ("ab".to_string(), 0));
        assert_eq!(
            apply("ab", Carrier::Plain, ds.iter()),
            ("a\"b".to_string(), 1)
        );
    }
}
