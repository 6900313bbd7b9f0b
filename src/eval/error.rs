//! Evaluation errors, with the service's codes and messages.

use crate::check::CheckErrorKind;
use crate::span::Span;
use crate::value::{format_double, OpError};

/// Why an expression did not give a value: `stop()` (control flow) or an
/// error, boxed so that results stay small.
#[derive(Debug)]
pub(crate) enum Fail {
    /// `stop()` was called: the evaluation ends successfully.
    Stop,
    /// The evaluation failed.
    Error(Box<EvalError>),
}

impl From<EvalError> for Fail {
    #[cold]
    fn from(e: EvalError) -> Self {
        Fail::Error(Box::new(e))
    }
}

/// An evaluation that failed at `span`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{kind}")]
pub struct EvalError {
    /// What went wrong.
    pub kind: EvalErrorKind,
    /// Where: for insufficient samples, the `(` of the `GetSample` call.
    pub span: Span,
}

impl EvalError {
    /// The service's `Line L, Col C: message` for this error in `source`, the
    /// formula text it was raised for.
    ///
    /// ```
    /// use batchscale::{EvalContext, Formula, Timestamp};
    ///
    /// let formula = Formula::parse("$TargetDedicatedNodes = 1;\nx = nope;").unwrap();
    /// let now: Timestamp = "2025-04-24T12:00:00Z".parse().unwrap();
    /// let error = formula.evaluator().run(&EvalContext::builder(now).build()).unwrap_err();
    /// assert_eq!(error.service_text(formula.source()), "Line 2, Col 5: Undefined symbol: nope");
    /// ```
    pub fn service_text(&self, source: &str) -> String {
        crate::diagnostics::service_text(source, self.span, &self.kind.to_string())
    }
}

/// The kinds of evaluation error.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EvalErrorKind {
    /// A check-time error reached by evaluation: a name, function, method or
    /// member that does not exist (`$x = something_useless;`), an assignment
    /// to a read-only variable, a wrong arity...
    #[error("{0}")]
    Check(CheckErrorKind),
    /// A sample window with fewer samples than required:
    /// `$CPUPercent.GetSample(TimeInterval_Minute * 10, 95)` with 90% present.
    #[error("Insufficient data from data set: {metric} wanted {}%, received {}%", pct(*wanted), (received.floor() as i64))]
    InsufficientSampleData {
        /// The metric, e.g. `$PendingTasks`.
        metric: &'static str,
        /// The required percentage.
        wanted: f64,
        /// The available percentage.
        received: f64,
    },
    /// An operation outside the operations table: `"a" + 1`.
    #[error("{0}")]
    Operation(#[from] OpError),
    /// A value of the wrong type where the type is fixed: `$TargetDedicatedNodes = time()`.
    #[error("{what} takes a {expected}, not a {found}")]
    WrongType {
        /// What required the type.
        what: String,
        /// The type required.
        expected: String,
        /// The type found.
        found: crate::value::Type,
    },
    /// A function given an argument it cannot use: `avg()` of an empty list,
    /// `percentile(v, 150)`, `time("yesterday")`.
    #[error("{0}")]
    InvalidArgument(String),
    /// A target that is NaN or infinite: `$TargetDedicatedNodes = 1/0`.
    #[error("{name} is not a finite number ({value})")]
    NonFiniteTarget {
        /// The target variable.
        name: &'static str,
        /// The value, as printed.
        value: String,
    },
    /// The work budget ran out (see `Limits::max_eval_steps`).
    #[error("evaluation exceeded the work budget of {limit} steps")]
    WorkBudget {
        /// The budget.
        limit: u64,
    },
    /// A vector longer than `Limits::max_vector_len`.
    #[error("vector of {len} elements exceeds the limit of {limit}")]
    VectorTooLong {
        /// Its length.
        len: usize,
        /// The limit.
        limit: usize,
    },
}

fn pct(x: f64) -> String {
    let mut s = String::new();
    format_double(x, &mut s);
    s
}

impl EvalError {
    /// The service's error code.
    pub fn code(&self) -> &'static str {
        match self.kind {
            EvalErrorKind::InsufficientSampleData { .. } => "InsufficientSampleData",
            _ => "AutoScalingFormulaEvaluationError",
        }
    }

    /// The service's error message for the code.
    pub fn service_message(&self) -> &'static str {
        match self.kind {
            EvalErrorKind::InsufficientSampleData { .. } => {
                "Autoscale evaluation failed due to insufficient sample data"
            }
            _ => "The specified auto-scaling formula has evaluation error",
        }
    }
}
