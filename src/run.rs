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
    let mut out = String::with_capacity(28);
    write_service_timestamp(t, &mut out);
    out
}

/// Appends [`service_timestamp`] to `out`, digit by digit: every
/// `Formula::evaluate` writes one, and a formatter that interprets a
/// pattern costs more than the evaluation.
fn write_service_timestamp(t: Timestamp, out: &mut String) {
    use chrono::{Datelike, Timelike};
    let dt = t.to_datetime();
    // A timestamp's year is 1 to 9999 by construction: four digits.
    let year = u32::try_from(dt.year()).unwrap_or(0);
    let fraction = t.ticks().rem_euclid(crate::value::TICKS_PER_SECOND);
    let fraction = u32::try_from(fraction).unwrap_or(0);
    push_digits(out, year, 4);
    out.push('-');
    push_digits(out, dt.month(), 2);
    out.push('-');
    push_digits(out, dt.day(), 2);
    out.push('T');
    push_digits(out, dt.hour(), 2);
    out.push(':');
    push_digits(out, dt.minute(), 2);
    out.push(':');
    push_digits(out, dt.second(), 2);
    out.push('.');
    push_digits(out, fraction, 7);
    out.push('Z');
}

/// The last `width` decimal digits of `n`, zero-padded.
fn push_digits(out: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = n / 10u32.pow(place) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
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

#[cfg(test)]
mod tests {
    use super::service_timestamp;
    use crate::value::Timestamp;

    #[test]
    fn timestamps_are_written_as_the_service_writes_them() {
        // The service's own example (Azure Batch REST, AutoScaleRun).
        let t: Timestamp = "2016-11-22T19:39:28.5246331Z".parse().unwrap();
        assert_eq!(service_timestamp(t), "2016-11-22T19:39:28.5246331Z");
        for (text, written) in [
            ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.0000000Z"),
            (
                "9999-12-31T23:59:59.9999999Z",
                "9999-12-31T23:59:59.9999999Z",
            ),
            ("1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.5000000Z"),
            (
                "2024-02-29T07:08:09.0000001Z",
                "2024-02-29T07:08:09.0000001Z",
            ),
        ] {
            let t: Timestamp = text.parse().unwrap();
            assert_eq!(service_timestamp(t), written, "{text}");
        }
    }
}
