//! The evaluation context: the instant, the pool's state and the metric histories
//! a formula is evaluated against, with a builder for library users.

mod csv;
mod json;

pub use self::csv::{load_metrics_csv, MAX_CSV_BYTES};
#[cfg(all(feature = "schema", feature = "cli"))]
pub(crate) use json::schema;
pub use json::{load_context_json, ContextFile, MAX_CONTEXT_BYTES};

use crate::builtins::Metric;
use crate::value::{NodeDeallocationOption, TimeInterval, Timestamp};

/// The pool's state before an evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolState {
    /// The current dedicated target (what `$TargetDedicatedNodes` reads before it is assigned).
    pub target_dedicated_nodes: f64,
    /// The current low-priority target.
    pub target_low_priority_nodes: f64,
    /// The current deallocation option.
    pub node_deallocation_option: NodeDeallocationOption,
    /// `$CurrentDedicatedNodes`.
    pub current_dedicated_nodes: f64,
    /// `$CurrentLowPriorityNodes` (preempted nodes included).
    pub current_low_priority_nodes: f64,
    /// `$TaskSlotsPerNode`.
    pub task_slots_per_node: f64,
    /// `$UsableNodeCount`; when absent, the sum of the current node counts.
    pub usable_node_count: Option<f64>,
}

impl Default for PoolState {
    fn default() -> Self {
        PoolState {
            target_dedicated_nodes: 0.0,
            target_low_priority_nodes: 0.0,
            node_deallocation_option: NodeDeallocationOption::Requeue,
            current_dedicated_nodes: 0.0,
            current_low_priority_nodes: 0.0,
            task_slots_per_node: 1.0,
            usable_node_count: None,
        }
    }
}

/// One metric's history: the samples that exist, oldest first.
#[derive(Debug, Clone, Default)]
pub struct Series {
    period: TimeInterval,
    times: Vec<i64>,
    values: Vec<f64>,
    /// Every sample is exactly one period after the one before it (no gaps),
    /// so a sample's index follows from its time by arithmetic. Derived from
    /// the other fields, so it takes no part in equality.
    gapless: bool,
}

impl PartialEq for Series {
    fn eq(&self, other: &Series) -> bool {
        self.period == other.period && self.times == other.times && self.values == other.values
    }
}

/// The service's sampling period.
pub const DEFAULT_PERIOD: TimeInterval = TimeInterval::from_seconds(30);

impl Series {
    /// An empty history sampled every `period`.
    pub const fn new(period: TimeInterval) -> Series {
        Series {
            period,
            times: Vec::new(),
            values: Vec::new(),
            gapless: true,
        }
    }

    /// A regular series: `values` oldest first, one every `period`, the newest
    /// at `last`; `None` is a slot without a sample.
    pub fn regular(period: TimeInterval, last: Timestamp, values: &[Option<f64>]) -> Series {
        let mut series = Series::new(period);
        let n = values.len() as i64;
        for (i, v) in values.iter().enumerate() {
            let back = (n - 1 - i as i64).saturating_mul(period.ticks());
            if let (Some(v), Some(t)) = (v, last.ticks().checked_sub(back)) {
                series.push_unchecked(t, *v);
            }
        }
        series
    }

    /// Appends a sample; returns `false` (and keeps nothing) unless `time` is
    /// after the newest sample.
    pub fn push(&mut self, time: Timestamp, value: f64) -> bool {
        if self.times.last().is_some_and(|&t| t >= time.ticks()) {
            return false;
        }
        self.push_unchecked(time.ticks(), value);
        true
    }

    /// Appends a sample known to be after the newest one.
    fn push_unchecked(&mut self, ticks: i64, value: f64) {
        let period = self.period.ticks();
        self.gapless = match self.times.last() {
            None => period > 0,
            Some(&t) => self.gapless && t.checked_add(period) == Some(ticks),
        };
        self.times.push(ticks);
        self.values.push(value);
    }

    /// The sampling period.
    pub fn period(&self) -> TimeInterval {
        self.period
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Sample values, oldest first.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Sample times in ticks since the Unix epoch, oldest first.
    pub fn times(&self) -> &[i64] {
        &self.times
    }

    /// Index of the first sample at or after `ticks`: arithmetic when the
    /// series has no gaps, a binary search otherwise.
    #[inline]
    pub fn lower_bound(&self, ticks: i64) -> usize {
        match (self.gapless, self.times.first()) {
            (true, Some(&first)) => {
                gapless_index(first, self.period.ticks(), ticks, self.times.len())
            }
            _ => self.times.partition_point(|&t| t < ticks),
        }
    }

    /// Whether every sample is one period after the one before it, so that
    /// [`Series::lower_bound`] needs no search.
    #[inline]
    pub fn is_gapless(&self) -> bool {
        self.gapless
    }

    /// The samples in `[start, end)` (ticks), found by binary search.
    pub fn window(&self, start: i64, end: i64) -> &[f64] {
        let (a, b) = (self.lower_bound(start), self.lower_bound(end));
        self.values.get(a..b.max(a)).unwrap_or(&[])
    }

    /// The newest `count` samples strictly before `end`.
    pub fn newest(&self, end: i64, count: usize) -> &[f64] {
        let b = self.lower_bound(end);
        self.values.get(b.saturating_sub(count)..b).unwrap_or(&[])
    }

    /// Drops samples older than `ticks` (for long simulations).
    pub fn forget_before(&mut self, ticks: i64) {
        let cut = self.lower_bound(ticks);
        self.times.drain(..cut);
        self.values.drain(..cut);
        // Dropping the oldest samples leaves the rest evenly spaced.
        if self.times.is_empty() {
            self.gapless = self.period.ticks() > 0;
        }
    }
}

/// The first index `i < len` with `first + i * period >= ticks` (else `len`),
/// for samples at `first`, `first + period`, … (`period > 0`).
#[inline]
fn gapless_index(first: i64, period: i64, ticks: i64, len: usize) -> usize {
    if ticks <= first || period <= 0 {
        return 0;
    }
    // A difference too large for i64 lies past the newest sample.
    let Some(after) = ticks.checked_sub(first) else {
        return len;
    };
    let steps = after / period + i64::from(after % period != 0);
    usize::try_from(steps).map_or(len, |i| i.min(len))
}

/// Everything an evaluation reads besides the formula.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalContext {
    /// The instant of the evaluation: what `time()` returns.
    pub now: Timestamp,
    /// The pool's state before the evaluation.
    pub pool: PoolState,
    /// Metric histories, indexed by [`Metric::index`]; `None` = no samples at all.
    pub metrics: Vec<Option<Series>>,
    /// Seed of the generator behind `rand()`.
    pub seed: u64,
}

impl EvalContext {
    /// A context at `now` with a default pool and no metrics.
    pub fn new(now: Timestamp) -> EvalContext {
        EvalContext {
            now,
            pool: PoolState::default(),
            metrics: vec![None; Metric::COUNT],
            seed: 0,
        }
    }

    /// Starts a builder.
    pub fn builder(now: Timestamp) -> ContextBuilder {
        ContextBuilder {
            context: EvalContext::new(now),
        }
    }

    /// The history of `metric`, if any.
    pub fn series(&self, metric: Metric) -> Option<&Series> {
        self.metrics.get(metric.index()).and_then(Option::as_ref)
    }

    /// Sets the history of `metric`.
    pub fn set_series(&mut self, metric: Metric, series: Series) {
        if let Some(slot) = self.metrics.get_mut(metric.index()) {
            *slot = Some(series);
        }
    }
}

/// Builds an [`EvalContext`].
///
/// ```
/// use batchscale::{EvalContext, Metric, Series, TimeInterval, Timestamp};
/// let now = Timestamp::parse_rfc3339("2025-04-24T11:34:37Z").unwrap();
/// let ctx = EvalContext::builder(now)
///     .current_dedicated_nodes(2.0)
///     .metric(Metric::PendingTasks, Series::regular(TimeInterval::from_seconds(30), now, &[Some(4.0)]))
///     .build();
/// assert_eq!(ctx.pool.current_dedicated_nodes, 2.0);
/// ```
#[derive(Debug, Clone)]
pub struct ContextBuilder {
    context: EvalContext,
}

impl ContextBuilder {
    /// The pool's current dedicated target.
    pub fn target_dedicated_nodes(mut self, n: f64) -> Self {
        self.context.pool.target_dedicated_nodes = n;
        self
    }
    /// The pool's current low-priority target.
    pub fn target_low_priority_nodes(mut self, n: f64) -> Self {
        self.context.pool.target_low_priority_nodes = n;
        self
    }
    /// The pool's current deallocation option.
    pub fn node_deallocation_option(mut self, option: NodeDeallocationOption) -> Self {
        self.context.pool.node_deallocation_option = option;
        self
    }
    /// `$CurrentDedicatedNodes`.
    pub fn current_dedicated_nodes(mut self, n: f64) -> Self {
        self.context.pool.current_dedicated_nodes = n;
        self
    }
    /// `$CurrentLowPriorityNodes`.
    pub fn current_low_priority_nodes(mut self, n: f64) -> Self {
        self.context.pool.current_low_priority_nodes = n;
        self
    }
    /// `$TaskSlotsPerNode`.
    pub fn task_slots_per_node(mut self, n: f64) -> Self {
        self.context.pool.task_slots_per_node = n;
        self
    }
    /// The whole pool state.
    pub fn pool(mut self, pool: PoolState) -> Self {
        self.context.pool = pool;
        self
    }
    /// A metric's history.
    pub fn metric(mut self, metric: Metric, series: Series) -> Self {
        self.context.set_series(metric, series);
        self
    }
    /// The seed behind `rand()`.
    pub fn seed(mut self, seed: u64) -> Self {
        self.context.seed = seed;
        self
    }
    /// The finished context.
    pub fn build(self) -> EvalContext {
        self.context
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_series_skip_missing_slots() {
        let last =
            Timestamp::from_ticks(600 * 10_000_000).unwrap_or(Timestamp::from_ticks(0).unwrap());
        let s = Series::regular(DEFAULT_PERIOD, last, &[Some(1.0), None, Some(3.0)]);
        assert_eq!(s.values(), &[1.0, 3.0]);
        assert_eq!(s.times(), &[540 * 10_000_000, 600 * 10_000_000]);
        assert_eq!(s.window(541 * 10_000_000, 601 * 10_000_000), &[3.0]);
        assert_eq!(s.newest(600 * 10_000_000, 5), &[1.0]);
    }

    #[test]
    fn gapless_index_agrees_with_binary_search() {
        let s = 10_000_000;
        let last = Timestamp::from_ticks(600 * s).unwrap_or(Timestamp::from_ticks(0).unwrap());
        let gapless = Series::regular(DEFAULT_PERIOD, last, &[Some(1.0); 7]);
        let gappy = Series::regular(
            DEFAULT_PERIOD,
            last,
            &[Some(1.0), None, Some(3.0), Some(4.0)],
        );
        assert!(gapless.is_gapless());
        assert!(!gappy.is_gapless());
        for series in [&gapless, &gappy] {
            for ticks in (300 * s..700 * s)
                .step_by(5 * s as usize)
                .chain([i64::MIN, i64::MAX])
            {
                let searched = series.times().partition_point(|&t| t < ticks);
                assert_eq!(series.lower_bound(ticks), searched, "{ticks}");
            }
        }
        // The 7 samples are at 420 s, 450 s, …, 600 s: 421 s is after the first.
        assert_eq!(gapless.lower_bound(421 * s), 1);
        assert_eq!(gapless.lower_bound(420 * s), 0);
        assert_eq!(gapless.lower_bound(601 * s), 7);
        // A pushed sample out of step ends the arithmetic.
        let mut pushed = gapless.clone();
        assert!(pushed.push(Timestamp::from_ticks(640 * s).unwrap_or(last), 2.0));
        assert!(!pushed.is_gapless());
        assert_eq!(pushed, pushed.clone());
    }
}
