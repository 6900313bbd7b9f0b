//! Replay: what a formula would have done on a pool's recorded metrics.
//!
//! The formula is evaluated every `interval` from `start` to `end`; each
//! evaluation sees only the samples recorded at or before `now − delay` (the
//! service's propagation delay), and reads as `$TargetDedicatedNodes` and
//! `$TargetLowPriorityNodes` the targets the previous evaluation set, as the
//! service does. The targets do not feed back into the metrics or the node
//! counts: the recording is what it is, so a replay answers "what would this
//! formula have asked for", not "what would the pool have become" (that is
//! `simulate`).
//!
//! ```
//! use batchscale::sim::replay::{replay, ReplayOptions};
//! use batchscale::{EvalContext, Formula, Metric, Series, TimeInterval, Timestamp};
//!
//! let t0 = Timestamp::parse_rfc3339("2025-01-06T00:00:00Z").unwrap();
//! let minute = TimeInterval::from_seconds(60);
//! // Pending tasks 1, 2, ..., 10, one a minute, the last at 00:09.
//! let values: Vec<Option<f64>> = (1..=10).map(|v| Some(f64::from(v))).collect();
//! let last = t0.checked_add(TimeInterval::from_seconds(9 * 60)).unwrap();
//! let ctx = EvalContext::builder(t0)
//!     .metric(Metric::PendingTasks, Series::regular(minute, last, &values))
//!     .build();
//! let formula = Formula::parse("$TargetDedicatedNodes = max($PendingTasks.GetSample(1));").unwrap();
//! let options = ReplayOptions {
//!     start: t0.checked_add(TimeInterval::from_seconds(300)).unwrap(),
//!     end: t0.checked_add(TimeInterval::from_seconds(600)).unwrap(),
//!     interval: TimeInterval::from_seconds(300),
//!     delay: TimeInterval::from_seconds(60),
//! };
//! let evaluations = replay(&formula, &ctx, &options).unwrap();
//! // At 00:05 the newest visible sample is 00:04's (5); at 00:10, 00:09's (10).
//! let targets: Vec<u32> = evaluations.iter().map(|e| e.targets[0]).collect();
//! assert_eq!(targets, [5, 10]);
//! ```

use serde::Serialize;

use crate::builtins::Metric;
use crate::context::{EvalContext, Series};
use crate::run::{AutoScaleRun, AutoScaleRunError};
use crate::value::{TimeInterval, Timestamp};
use crate::Formula;

/// Most evaluations one replay makes: a year at the service's shortest
/// interval (5 minutes) is 105,120.
pub(crate) const MAX_EVALUATIONS: usize = 1_000_000;

/// When and how often to evaluate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReplayOptions {
    /// The first evaluation.
    pub start: Timestamp,
    /// No evaluation after this instant.
    pub end: Timestamp,
    /// Time between evaluations (above 0).
    pub interval: TimeInterval,
    /// A sample recorded at `t` is visible from `t + delay`.
    pub delay: TimeInterval,
}

/// Why a replay cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    /// `interval` is 0 or negative, e.g. `--interval PT0S`.
    #[error("the interval must be above 0")]
    Interval,
    /// `end` is before `start`.
    #[error("the end ({end}) is before the start ({start})")]
    Range {
        /// The start.
        start: String,
        /// The end.
        end: String,
    },
    /// More than 1,000,000 evaluations, e.g. a year every second.
    #[error("{count} evaluations is more than the limit of {MAX_EVALUATIONS}; use a longer interval or a shorter range")]
    TooMany {
        /// Evaluations the options ask for.
        count: i64,
    },
}

/// One evaluation of the replay.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplayEvaluation {
    /// When (RFC 3339).
    pub time: String,
    /// The results string the service would return.
    pub results: String,
    /// The targets after it: dedicated, low-priority (unchanged when it failed).
    pub targets: [u32; 2],
    /// `Code: Line L, Col C: message` when it failed.
    pub error: Option<String>,
}

/// Evaluates `formula` over `recorded` (the pool state and every recorded
/// sample) at each instant of `options`.
pub fn replay(
    formula: &Formula,
    recorded: &EvalContext,
    options: &ReplayOptions,
) -> Result<Vec<ReplayEvaluation>, ReplayError> {
    let step = options.interval.ticks();
    if step <= 0 {
        return Err(ReplayError::Interval);
    }
    let span = options.end.ticks().saturating_sub(options.start.ticks());
    if span < 0 {
        return Err(ReplayError::Range {
            start: options.start.to_string(),
            end: options.end.to_string(),
        });
    }
    let count = span / step + 1;
    if count > MAX_EVALUATIONS as i64 {
        return Err(ReplayError::TooMany { count });
    }
    // The context the formula sees: the recording's pool, and histories that
    // grow as samples become visible.
    let mut ctx = recorded.clone();
    let mut cursors: Vec<(Metric, &Series, usize)> = Vec::new();
    for metric in Metric::ALL {
        if let Some(series) = recorded.series(metric) {
            ctx.set_series(metric, Series::new(series.period()));
            cursors.push((metric, series, 0));
        }
    }
    let mut evaluator = formula.evaluator();
    let mut targets = [
        whole(recorded.pool.target_dedicated_nodes),
        whole(recorded.pool.target_low_priority_nodes),
    ];
    let mut out = Vec::with_capacity(count as usize);
    for i in 0..count {
        let now_ticks = options.start.ticks().saturating_add(i.saturating_mul(step));
        let Some(now) = Timestamp::from_ticks(now_ticks) else {
            break;
        };
        let visible = now_ticks.saturating_sub(options.delay.ticks());
        for (metric, series, next) in &mut cursors {
            let (times, values) = (series.times(), series.values());
            while let (Some(&t), Some(&v)) = (times.get(*next), values.get(*next)) {
                if t > visible {
                    break;
                }
                if let (Some(history), Some(at)) = (
                    ctx.metrics.get_mut(metric.index()).and_then(Option::as_mut),
                    Timestamp::from_ticks(t),
                ) {
                    history.push(at, v);
                }
                *next += 1;
            }
        }
        ctx.now = now;
        ctx.pool.target_dedicated_nodes = f64::from(targets[0]);
        ctx.pool.target_low_priority_nodes = f64::from(targets[1]);
        // Each evaluation draws its own rand() values, the same on every replay.
        ctx.seed = recorded.seed.wrapping_add(i as u64);
        let evaluation = match evaluator.run(&ctx) {
            Ok(outcome) => {
                targets = [outcome.dedicated_nodes(), outcome.low_priority_nodes()];
                ReplayEvaluation {
                    time: now.to_string(),
                    results: evaluator.results(&outcome),
                    targets,
                    error: None,
                }
            }
            Err(e) => {
                let run =
                    AutoScaleRun::failed(&ctx, AutoScaleRunError::from_eval(formula.source(), &e));
                let error = run.error.as_ref().map(|e| {
                    let detail = e.values.first().map_or("", |v| v.value.as_str());
                    format!("{}: {}", e.code, detail)
                });
                ReplayEvaluation {
                    time: now.to_string(),
                    results: run.results,
                    targets,
                    error,
                }
            }
        };
        out.push(evaluation);
    }
    Ok(out)
}

/// A target as the pool holds it: truncated to a whole node, at least 0.
fn whole(value: f64) -> u32 {
    if value.is_finite() && value > 0.0 {
        value.min(f64::from(u32::MAX)) as u32
    } else {
        0
    }
}

/// The replay's timeline as CSV: `time,results,target_dedicated,target_low_priority,error`.
pub fn timeline_csv(evaluations: &[ReplayEvaluation]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "time",
        "results",
        "target_dedicated",
        "target_low_priority",
        "error",
    ]);
    for e in evaluations {
        let _ = w.write_record([
            e.time.as_str(),
            e.results.as_str(),
            &e.targets[0].to_string(),
            &e.targets[1].to_string(),
            e.error.as_deref().unwrap_or(""),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The replay's timeline as JSON (an array of evaluations).
pub fn timeline_json(evaluations: &[ReplayEvaluation]) -> String {
    serde_json::to_string_pretty(evaluations).unwrap_or_default() + "\n"
}

/// What a person reads first: how many evaluations, how many failed and the
/// first error, the range of the targets and how often they changed.
pub fn summary(evaluations: &[ReplayEvaluation]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let (Some(first), Some(last)) = (evaluations.first(), evaluations.last()) else {
        return "no evaluation\n".to_string();
    };
    let _ = writeln!(
        out,
        "evaluations: {} from {} to {}",
        evaluations.len(),
        first.time,
        last.time
    );
    for (k, name) in ["dedicated", "low-priority"].iter().enumerate() {
        let values = evaluations.iter().filter_map(|e| e.targets.get(k).copied());
        let (lo, hi) = values.fold((u32::MAX, 0), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let _ = writeln!(
            out,
            "target {name}: from {lo} to {hi}, last {}",
            last.targets.get(k).copied().unwrap_or(0)
        );
    }
    let changes = evaluations
        .windows(2)
        .filter(|w| matches!(w, [a, b] if a.targets != b.targets))
        .count();
    let _ = writeln!(out, "target changes: {changes}");
    let mut errors = evaluations.iter().filter_map(|e| e.error.as_deref());
    let _ = match errors.next() {
        Some(first) => writeln!(
            out,
            "evaluation errors: {} (first: {first})",
            1 + errors.count()
        ),
        None => writeln!(out, "evaluation errors: 0"),
    };
    out
}
