//! # batchscale
//!
//! The Azure Batch pool auto-scale formula language, offline: a pest grammar, a
//! typed syntax tree with spans, a checker that resolves every name, and an
//! evaluator that answers with the service's own `AutoScaleRun`.
//!
//! ## Tutorial
//!
//! Parse a formula, describe the pool and its metrics, evaluate:
//!
//! ```
//! use batchscale::{EvalContext, Formula, Metric, Series, TimeInterval, Timestamp};
//!
//! let formula = Formula::parse(
//!     "$samples = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 15);
//!      $tasks = $samples < 70 ? max(0, $PendingTasks.GetSample(1))
//!                             : avg($PendingTasks.GetSample(TimeInterval_Minute * 15));
//!      $TargetDedicatedNodes = max(0, min($tasks, 20));
//!      $NodeDeallocationOption = taskcompletion;",
//! )?;
//! assert!(formula.diagnostics().is_empty());
//!
//! // 30 samples, one every 30 s, the newest at `now`: 8 pending tasks throughout.
//! let now = Timestamp::parse_rfc3339("2025-04-24T12:00:00Z").unwrap();
//! let history = Series::regular(TimeInterval::from_seconds(30), now, &[Some(8.0); 31]);
//! let ctx = EvalContext::builder(now)
//!     .target_dedicated_nodes(2.0)
//!     .metric(Metric::PendingTasks, history)
//!     .build();
//!
//! let run = formula.evaluate(&ctx);
//! assert_eq!(run.error, None);
//! assert_eq!(
//!     run.results,
//!     "$TargetDedicatedNodes=8;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$samples=100;$tasks=8"
//! );
//!
//! // On a new pool the windowed sample fails, as on the service.
//! let fresh = EvalContext::builder(now).target_dedicated_nodes(2.0).build();
//! let formula = Formula::parse("$TargetDedicatedNodes = avg($PendingTasks.GetSample(TimeInterval_Minute * 15));")?;
//! let run = formula.evaluate(&fresh);
//! let error = run.error.unwrap();
//! assert_eq!(error.code, "InsufficientSampleData");
//! assert_eq!(
//!     error.values[0].value,
//!     "Line 1, Col 52: Insufficient data from data set: $PendingTasks wanted 70%, received 0%"
//! );
//! assert_eq!(run.results, "$TargetDedicatedNodes=2;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");
//! # Ok::<(), batchscale::SyntaxError>(())
//! ```
//!
//! For repeated evaluation (simulators, services), [`Formula::evaluator`] gives an
//! [`Evaluator`] that reuses its storage and returns only the targets; the results
//! string is built only when asked.
//!
//! The lints of `batchscale check` come from [`check_formula`]; the manual, with
//! every example run by the tests, is in `docs/` (start with `docs/library.md`).
//! The choices made where Microsoft's documentation is silent are listed once, in
//! `docs/compatibility.md`.
//!
//! ## Features
//!
//! - `cli` (default): the `batchscale` command and the crates only it needs
//!   (clap, rustyline, dirs). Turn default features off to build the library
//!   alone.
//! - `charts` (default, implied by `cli`): `sim::chart::svg`, drawn with plotters.
//! - `schema` (implied by `cli`): JSON Schemas of the context and scenario
//!   files, derived with schemars (`batchscale schema`).

#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

// Public: the representations a user works with (the syntax tree, lints,
// extraction, formatting, simulation, the context and CSV loaders, diagnostics
// and spans). Everything else is private and its types a user names are
// re-exported below, so that a reorganisation inside is not a breaking change.
pub mod context;
pub mod diagnostics;
pub mod extract;
pub mod format;
pub mod lint;
pub mod sim;
pub mod span;
pub mod syntax;

// The table's docs are read by the REPL's help, which only the CLI builds.
#[cfg_attr(not(feature = "cli"), allow(dead_code))]
mod builtins;
mod check;
// `batchscale.toml` and `[tool.batchscale]`: read by the command only.
#[cfg(feature = "cli")]
mod config;
mod eval;
// `explain`: the command, the REPL's `:explain` and `replay --explain`.
#[cfg(feature = "cli")]
mod explain;
mod input;
mod limits;
// The language server (`batchscale lsp`), a face of the command like the REPL.
#[cfg(feature = "cli")]
mod lsp;
mod ops;
#[cfg(feature = "cli")]
mod repl;
// Atomic rewrites of the user's files: only the command rewrites files.
#[cfg(feature = "cli")]
mod rewrite;
mod run;
// JSON Schemas of the context and scenario files (`batchscale schema`);
// only the command prints them.
#[cfg(feature = "schema")]
#[cfg_attr(not(feature = "cli"), allow(dead_code))]
mod schema;
mod suggest;
mod value;

/// The `batchscale` command; only its entry point is public, for `main.rs`.
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod cli;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;

pub use builtins::{Metric, NodeKind};
pub use check::{CheckError, CheckErrorKind, Hint, SymbolKind};
pub use context::{ContextBuilder, EvalContext, PoolState, Series};
pub use diagnostics::{Diagnostic, Fix, Label, Severity};
pub use eval::{EvalError, EvalErrorKind, Evaluator, Outcome};
pub use input::InputError;
pub use limits::Limits;
pub use lint::{check_formula, CheckOptions};
pub use run::{AutoScaleRun, AutoScaleRunError, NameValuePair};
pub use span::Span;
pub use syntax::{SyntaxError, SyntaxErrorKind};
pub use value::{
    Member, NodeDeallocationOption, OpError, TimeInterval, Timestamp, TimestampError, Type, Value,
};

use check::Program;

/// The examples of README.md and docs/, compiled and run as doctests.
#[cfg(doctest)]
mod doc_examples {
    #[doc = include_str!("../README.md")]
    pub struct Readme;
    #[doc = include_str!("../docs/library.md")]
    pub struct Library;
    #[doc = include_str!("../docs/performance.md")]
    pub struct Performance;
}

/// A parsed and checked formula, compiled once: evaluating it compiles
/// nothing, and its evaluators share its compiled program.
#[derive(Debug, Clone)]
pub struct Formula {
    source: String,
    ast: syntax::Ast,
    compiled: std::sync::Arc<eval::Compiled>,
    diagnostics: Vec<Diagnostic>,
    limits: Limits,
}

/// The result of one evaluation, with the evaluator state needed for `results`.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The outcome, or the error that stopped the evaluation.
    pub outcome: Result<Outcome, EvalError>,
    /// The `AutoScaleRun` the service would return.
    pub run: AutoScaleRun,
}

impl Formula {
    /// Parses and checks `text` under the service's limits.
    ///
    /// Only syntax errors, limit violations and a formula with no statement at
    /// all fail here; names that do not
    /// resolve are reported in [`Formula::diagnostics`] and fail when evaluation
    /// reaches them, as on the service.
    pub fn parse(text: &str) -> Result<Formula, SyntaxError> {
        Self::parse_with(text, &Limits::default())
    }

    /// Parses and checks `text` under `limits`.
    pub fn parse_with(text: &str, limits: &Limits) -> Result<Formula, SyntaxError> {
        let ast = syntax::parse(text, limits)?;
        ast.require_statement(text)?;
        let (program, diagnostics) = check::check(&ast);
        Ok(Formula {
            source: text.to_string(),
            ast,
            compiled: std::sync::Arc::new(eval::Compiled::new(program)),
            diagnostics,
            limits: *limits,
        })
    }

    /// The formula text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The syntax tree.
    pub fn ast(&self) -> &syntax::Ast {
        &self.ast
    }

    /// The checked program.
    pub fn program(&self) -> &Program {
        self.compiled.program()
    }

    /// Errors and warnings found by the checker.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// An evaluator for repeated runs. It shares this formula's compiled
    /// program (no copy, no compilation) and does not borrow the formula.
    pub fn evaluator(&self) -> Evaluator {
        Evaluator::shared(std::sync::Arc::clone(&self.compiled), self.limits)
    }

    /// Evaluates against `ctx`, giving the service's `AutoScaleRun`.
    pub fn evaluate(&self, ctx: &EvalContext) -> AutoScaleRun {
        self.run(ctx).run
    }

    /// Evaluates against `ctx`, giving the outcome and the `AutoScaleRun`.
    pub fn run(&self, ctx: &EvalContext) -> Evaluation {
        // Used once: no room kept for recycling vector buffers.
        let mut evaluator = Evaluator::once(std::sync::Arc::clone(&self.compiled), self.limits);
        let outcome = evaluator.run(ctx);
        let run = match &outcome {
            Ok(o) => {
                // Sized for the system variables and a few user ones, so
                // that most results strings are written without regrowing.
                let mut results =
                    String::with_capacity(128 + 32 * self.program().user_variables().len());
                evaluator.write_results(o, &mut results);
                AutoScaleRun {
                    timestamp: run::service_timestamp(ctx.now),
                    results,
                    error: None,
                }
            }
            Err(e) => AutoScaleRun::failed(ctx, AutoScaleRunError::from_eval(&self.source, e)),
        };
        Evaluation { outcome, run }
    }
}
