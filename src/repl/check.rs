//! `:check`: the problems found in the statements entered so far; and the
//! findings of an input that does not parse, as `check` gives them.

use crate::diagnostics::Diagnostic;
use crate::lint::CheckOptions;
use crate::Limits;

/// Every diagnostic `batchscale check` gives for `text` (the session's
/// statements as one formula) under `limits`: syntax and limit errors, the
/// checker's errors and the lints.
pub fn check_formula(text: &str, limits: &Limits) -> Vec<Diagnostic> {
    crate::lint::check_formula(text, &options(limits))
}

/// What `batchscale check` reports for `text` before names are resolved
/// (placeholders, every syntax error with its hint and fix): an input that
/// does not parse gets the same codes at the prompt as in `check`. Names are
/// left out because they depend on the session, not on the input alone.
pub fn syntax_findings(text: &str, limits: &Limits) -> Vec<Diagnostic> {
    crate::lint::syntax_findings(text, &options(limits))
}

fn options(limits: &Limits) -> CheckOptions {
    CheckOptions {
        limits: *limits,
        placeholders_are_info: false,
        max_syntax_errors: 0,
    }
}
