//! `:check`: the problems found in the statements entered so far.

use crate::diagnostics::Diagnostic;
use crate::lint::CheckOptions;
use crate::Limits;

/// Every diagnostic `batchscale check` gives for `text` (the session's
/// statements as one formula) under `limits`: syntax and limit errors, the
/// checker's errors and the lints.
pub fn check_formula(text: &str, limits: &Limits) -> Vec<Diagnostic> {
    let options = CheckOptions {
        limits: *limits,
        placeholders_are_info: false,
        max_syntax_errors: 0,
    };
    crate::lint::check_formula(text, &options)
}
