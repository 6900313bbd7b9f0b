//! `check --fix`: apply the safe fixes (the `;` a syntax error says is
//! missing) to the checked file, in a formula file or inside the file that
//! carries the formula; with `--unsafe-fixes`, the unsafe ones too (the
//! did-you-mean name for one that does not resolve).

use crate::diagnostics::{Applicability, Diagnostic};
use crate::extract::Carrier;

/// Whether `replacement` reads the same inside the carrier's strings as in a
/// formula file, so that inserting it keeps the host's escaping valid: no
/// quote, backslash, brace, `%` or control character, which JSON, Bicep,
/// Terraform or Groovy strings would read otherwise. A `$` is literal in
/// JSON, and in Bicep and Terraform unless a `{` follows it, so it may appear
/// there inside the text (`$PendingTasks`), not at its end, where the host's
/// next character could be a `{`; Nextflow's Groovy strings interpolate
/// `$name`, so there it may not appear at all.
fn literal_in(carrier: Carrier, replacement: &str) -> bool {
    if carrier == Carrier::Plain {
        return true;
    }
    let dollar_ok = match carrier {
        Carrier::Json | Carrier::Bicep | Carrier::Terraform => !replacement.ends_with('$'),
        Carrier::Nextflow | Carrier::Plain => false,
    };
    !replacement.chars().any(|c| {
        c.is_control()
            || matches!(c, '"' | '\'' | '\\' | '%' | '{' | '}')
            || (c == '$' && !dollar_ok)
    })
}

/// Which fixes `apply` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fixes {
    /// The safe fixes only (`--fix`).
    Safe,
    /// The safe and the unsafe fixes (`--fix --unsafe-fixes`).
    SafeAndUnsafe,
}

impl Fixes {
    fn allows(self, applicability: Applicability) -> bool {
        applicability == Applicability::Safe || self == Fixes::SafeAndUnsafe
    }
}

/// `source` with the fixes of `diagnostics` applied, and how many; fixes
/// that overlap an earlier one, whose text the host would escape, or that
/// `which` leaves out, are left for a person. The spans are the host's: a fix
/// of a formula held with escapes around the edit was already dropped when
/// the diagnostic was placed in the file (`check_text`).
pub fn apply<'a>(
    source: &str,
    carrier: Carrier,
    which: Fixes,
    diagnostics: impl Iterator<Item = &'a Diagnostic>,
) -> (String, usize) {
    let mut fixes: Vec<_> = diagnostics
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| which.allows(f.applicability))
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

    fn rename(start: usize, end: usize, text: &str) -> Diagnostic {
        Diagnostic::error("undefined-symbol", "m", Span::new(start, end))
            .with_unsafe_fix(Span::new(start, end), text)
    }

    #[test]
    fn fixes_apply_from_the_end_and_count() {
        let ds = [insert(5, ";"), insert(1, ";")];
        assert_eq!(
            apply("a = 1 b = 2", Carrier::Plain, Fixes::Safe, ds.iter()),
            ("a; = 1; b = 2".to_string(), 2)
        );
    }

    #[test]
    fn a_fix_the_host_would_escape_is_left() {
        let ds = [insert(1, "\"")];
        assert_eq!(
            apply("ab", Carrier::Json, Fixes::Safe, ds.iter()),
            ("ab".to_string(), 0)
        );
        assert_eq!(
            apply("ab", Carrier::Plain, Fixes::Safe, ds.iter()),
            ("a\"b".to_string(), 1)
        );
    }

    #[test]
    fn unsafe_fixes_wait_for_the_flag() {
        // `x = avrage(1);`: `avrage` is bytes 4..10.
        let ds = [rename(4, 10, "avg")];
        let text = "x = avrage(1);";
        assert_eq!(
            apply(text, Carrier::Plain, Fixes::Safe, ds.iter()),
            (text.to_string(), 0)
        );
        assert_eq!(
            apply(text, Carrier::Plain, Fixes::SafeAndUnsafe, ds.iter()),
            ("x = avg(1);".to_string(), 1)
        );
    }

    #[test]
    fn a_dollar_name_is_literal_in_json_bicep_and_terraform_but_not_groovy() {
        for carrier in [Carrier::Json, Carrier::Bicep, Carrier::Terraform] {
            assert!(literal_in(carrier, "$PendingTasks"), "{carrier:?}");
            // `$` then the host's `{` would start an interpolation.
            assert!(!literal_in(carrier, "a$"), "{carrier:?}");
            assert!(!literal_in(carrier, "${x}"), "{carrier:?}");
        }
        assert!(!literal_in(Carrier::Nextflow, "$PendingTasks"));
        assert!(literal_in(Carrier::Nextflow, "avg"));
    }
}
