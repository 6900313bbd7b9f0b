//! `:check`: the problems found in the statements entered so far.

use crate::diagnostics::Diagnostic;
use crate::{Formula, Limits};

/// Every diagnostic for `text` (the session's statements as one formula)
/// under `limits`:
/// a syntax or limit error, or the checker's diagnostics. This is the one
/// place `:check` asks; further lints join the list here.
pub fn check_formula(text: &str, limits: &Limits) -> Vec<Diagnostic> {
    match Formula::parse_with(text, limits) {
        Ok(formula) => formula.diagnostics().to_vec(),
        Err(e) => {
            let mut d = Diagnostic::error(e.code(), e.kind.to_string(), e.span);
            d.help = e.help();
            vec![d]
        }
    }
}
