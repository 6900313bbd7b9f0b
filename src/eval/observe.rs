//! What an evaluation can report about itself while it runs, for `explain`
//! (the CLI command, the REPL's `:explain`, `replay`'s per-evaluation
//! explanations) without a second evaluator: the one evaluator calls these
//! hooks at the points where it decides something, and an ordinary run passes
//! [`Silent`], whose empty inlined methods cost nothing.
//!
//! Every hook is called at most once per decision, in evaluation order, with
//! the span of the source that made it.

// Only `explain` (built with the CLI) reads what the hooks report.
#![cfg_attr(not(feature = "cli"), allow(dead_code))]

use crate::builtins::{Function, Method, Metric};
use crate::span::Span;
use crate::value::{Timestamp, Value};

/// One read of a metric's history by a sample method.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SampleRead {
    /// The whole call, `$CPUPercent.GetSample(TimeInterval_Minute * 5, 80)`.
    pub span: Span,
    /// The metric read.
    pub metric: Metric,
    /// The method called.
    pub method: Method,
    /// The window's older bound (inclusive).
    pub from: Timestamp,
    /// The window's newer bound (exclusive).
    pub to: Timestamp,
    /// Samples found in the window.
    pub found: usize,
    /// Samples the window should hold at the metric's period.
    pub expected: usize,
    /// `found` as a percentage (0-100) of `expected`, capped at 100.
    pub percent: f64,
    /// The percentage the call required (its second argument, or the
    /// default), when the method checks one.
    pub required: Option<f64>,
}

/// Receives what an evaluation decides, as it decides it.
pub(crate) trait Observer {
    /// Statement `index` (0-based, in source order) assigned `value`; for a
    /// target or `$NodeDeallocationOption`, also a value of the wrong type,
    /// just before the evaluation fails on it.
    #[inline(always)]
    fn assigned(&mut self, _index: usize, _value: &Value) {}

    /// A sample method read a window of a metric's history.
    #[inline(always)]
    fn sample_read(&mut self, _read: &SampleRead) {}

    /// The conditional at `span` saw `condition` and took its `then` branch
    /// (`true`) or its `else` branch (`false`).
    #[inline(always)]
    fn branch(&mut self, _span: Span, _condition: f64, _took_then: bool) {}

    /// `min` or `max` at `span` picked the argument at `index` (0-based,
    /// counting the elements of list arguments one by one) with `value`.
    #[inline(always)]
    fn pick(&mut self, _span: Span, _function: Function, _index: usize, _value: f64) {}
}

/// The observer of an ordinary run: it records nothing.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Silent;

impl Observer for Silent {}
