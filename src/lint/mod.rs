//! `batchscale check`: every problem in a formula at once. Syntax errors (with
//! recovery, so that each is reported), the checker's errors, then the lints:
//! warnings with stable codes, each explained by [`explain`].

mod conditions;
mod facts;
mod pipeline;
mod rules;
mod suppress;
mod table;

pub use pipeline::{check_formula, CheckOptions};
// The REPL reports its inputs through `check`'s stages.
#[cfg(feature = "cli")]
pub(crate) use pipeline::{checker_findings, syntax_diagnostic, syntax_findings};
pub use rules::lint;
// The language server's "suppress CODE for this statement" action.
#[cfg(feature = "cli")]
pub(crate) use suppress::directive_for;
pub use table::{explain, rule, Rule, RULES};

use crate::diagnostics::{Diagnostic, Severity};

/// Which codes are allowed (dropped) or denied (made errors).
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Codes whose diagnostics are dropped.
    pub allow: Vec<String>,
    /// Codes whose diagnostics become errors.
    pub deny: Vec<String>,
    /// Every warning becomes an error (`--deny warnings`).
    pub deny_warnings: bool,
}

impl Policy {
    /// Applies the policy to `diagnostics`.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error || !self.allow.iter().any(|c| c == d.code))
            .map(|mut d| {
                let denied = self.deny.iter().any(|c| c == d.code)
                    || (self.deny_warnings && d.severity == Severity::Warning);
                if denied && d.severity == Severity::Warning {
                    d.severity = Severity::Error;
                }
                d
            })
            .collect()
    }
}
