//! The service's `AutoScaleRun`: `{timestamp, results, error}` in the REST shape.

use serde::{Deserialize, Serialize};

use crate::context::EvalContext;
use crate::diagnostics::service_text;
use crate::eval::{pre_evaluation_results, EvalError};
use crate::syntax::SyntaxError;
use crate::value::Timestamp;

/// One name/value pair of error details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameValuePair {
    /// The name (`Message`).
    pub name: String,
    /// The value (`Line 1, Col 1: Undefined symbol: x`).
    pub value: String,
}

/// Why an auto-scale run failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoScaleRunError {
    /// The service's code (`AutoScalingFormulaEvaluationError`, `InsufficientSampleData`, ...).
    pub code: String,
    /// The service's message for the code.
    pub message: String,
    /// Details: one `Message` pair with `Line L, Col C: ...`.
    #[serde(default)]
    pub values: Vec<NameValuePair>,
}

/// The result of an evaluation, as the Batch REST API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoScaleRun {
    /// When the formula was evaluated (ISO 8601 with 7 fractional digits, as the service writes it).
    pub timestamp: String,
    /// `$name=value` pairs joined by `;`.
    pub results: String,
    /// Present when the evaluation failed.
    pub error: Option<AutoScaleRunError>,
}

/// The service's timestamp format: `2016-11-22T19:39:28.5246331Z`.
pub fn service_timestamp(t: Timestamp) -> String {
    let dt = t.to_datetime();
    format!(
        "{}.{:07}Z",
        dt.format("%Y-%m-%dT%H:%M:%S"),
        t.ticks().rem_euclid(crate::value::TICKS_PER_SECOND)
    )
}

impl AutoScaleRunError {
    fn new(code: &str, message: &str, detail: String) -> Self {
        AutoScaleRunError {
            code: code.to_string(),
            message: message.to_string(),
            values: vec![NameValuePair {
                name: "Message".to_string(),
                value: detail,
            }],
        }
    }

    /// The error the service reports for an evaluation error.
    pub fn from_eval(source: &str, error: &EvalError) -> Self {
        Self::new(
            error.code(),
            error.service_message(),
            service_text(source, error.span, &error.kind.to_string()),
        )
    }

    /// The error reported for a formula that does not parse.
    pub fn from_syntax(source: &str, error: &SyntaxError) -> Self {
        Self::new(
            error.code(),
            error.service_message(),
            service_text(source, error.span, &error.kind.to_string()),
        )
    }
}

impl AutoScaleRun {
    /// A failed run: `results` holds the pool's values from before the evaluation.
    pub fn failed(ctx: &EvalContext, error: AutoScaleRunError) -> Self {
        AutoScaleRun {
            timestamp: service_timestamp(ctx.now),
            results: pre_evaluation_results(&ctx.pool),
            error: Some(error),
        }
    }

    /// The run as JSON (the data-plane REST shape).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
