//! The metric pipeline: a sample every period, visible to the formula only
//! once its propagation delay has passed.

use std::collections::VecDeque;

use crate::builtins::Metric;
use crate::context::{EvalContext, Series};
use crate::value::{TimeInterval, Timestamp};

/// How long samples stay in the histories the formula reads.
pub(crate) const HISTORY_MS: i64 = 7 * 24 * 3_600_000;

/// The metrics the simulator produces. The others (memory, disk, network,
/// wall clock) have no samples: a formula that asks for them gets what the
/// service gives for a metric without data.
pub const PRODUCED: [Metric; 10] = [
    Metric::ActiveTasks,
    Metric::RunningTasks,
    Metric::PendingTasks,
    Metric::SucceededTasks,
    Metric::FailedTasks,
    Metric::CpuPercent,
    Metric::SampleNodeCount,
    Metric::PreemptedNodeCount,
    Metric::CurrentDedicatedNodes,
    Metric::CurrentLowPriorityNodes,
];

/// One sample of the pool, taken at `time` (ms from the start).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// When it was taken.
    pub time: i64,
    /// Tasks ready to run (dependencies met), not running.
    pub active: f64,
    /// Running tasks.
    pub running: f64,
    /// Tasks that succeeded since the previous sample.
    pub succeeded: f64,
    /// Tasks that failed since the previous sample.
    pub failed: f64,
    /// Busy share of the reporting nodes' slots; `None` without such nodes.
    pub cpu: Option<f64>,
    /// Reporting nodes; `None` when there are none.
    pub sample_nodes: Option<f64>,
    /// Preempted nodes.
    pub preempted: f64,
    /// Dedicated nodes.
    pub dedicated: f64,
    /// Low-priority nodes, preempted ones included.
    pub low_priority: f64,
}

impl Sample {
    fn value(&self, metric: Metric) -> Option<f64> {
        Some(match metric {
            Metric::ActiveTasks => self.active,
            Metric::RunningTasks => self.running,
            Metric::PendingTasks => self.active + self.running,
            Metric::SucceededTasks => self.succeeded,
            Metric::FailedTasks => self.failed,
            Metric::CpuPercent => return self.cpu,
            Metric::SampleNodeCount => return self.sample_nodes,
            Metric::PreemptedNodeCount => self.preempted,
            Metric::CurrentDedicatedNodes => self.dedicated,
            Metric::CurrentLowPriorityNodes => self.low_priority,
            _ => return None,
        })
    }
}

/// Samples on their way to the formula.
#[derive(Debug, Clone)]
pub struct MetricPipeline {
    in_flight: VecDeque<Sample>,
    delay: i64,
}

impl MetricPipeline {
    /// A pipeline with `delay` ms of propagation; gives `ctx` empty histories
    /// sampled every `period` ms for the produced metrics.
    pub fn new(ctx: &mut EvalContext, period: i64, delay: i64) -> Self {
        let period = TimeInterval::from_ticks(period.saturating_mul(10_000));
        for metric in PRODUCED {
            ctx.set_series(metric, Series::new(period));
        }
        MetricPipeline {
            in_flight: VecDeque::new(),
            delay,
        }
    }

    /// Takes a sample.
    pub fn record(&mut self, sample: Sample) {
        self.in_flight.push_back(sample);
    }

    /// Moves into `ctx` every sample whose time plus the delay is at or before
    /// `now`, and forgets history older than a week. `ticks` maps ms from the
    /// start to timestamp ticks.
    pub fn publish(&mut self, ctx: &mut EvalContext, now: i64, ticks: impl Fn(i64) -> i64) {
        while let Some(sample) = self.in_flight.front() {
            if sample.time.saturating_add(self.delay) > now {
                break;
            }
            let at = Timestamp::from_ticks(ticks(sample.time));
            for metric in PRODUCED {
                let value = sample.value(metric);
                if let (Some(series), Some(v), Some(at)) = (
                    ctx.metrics.get_mut(metric.index()).and_then(Option::as_mut),
                    value,
                    at,
                ) {
                    series.push(at, v);
                }
            }
            self.in_flight.pop_front();
        }
        let cut = ticks(now.saturating_sub(HISTORY_MS));
        for metric in PRODUCED {
            if let Some(series) = ctx.metrics.get_mut(metric.index()).and_then(Option::as_mut) {
                series.forget_before(cut);
            }
        }
    }
}
