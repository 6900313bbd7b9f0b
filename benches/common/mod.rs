//! Fixtures shared by the benches and by the tests that check the baselines:
//! the docs' formulas, the sample series and the hand-written Rust baselines.
#![allow(dead_code)]

pub mod formulas;

use batchscale::{EvalContext, Metric, NodeDeallocationOption, Series, TimeInterval, Timestamp};

/// Ticks in one second.
const SECOND: i64 = 10_000_000;
/// The service's sampling period: one sample every 30 s.
pub const PERIOD: i64 = 30 * SECOND;
/// Example 2's and Example 3's look-back window: `TimeInterval_Minute * 15`.
const WINDOW: i64 = 15 * 60 * SECOND;
/// Samples a 15-minute window holds when complete (`ceil(window / period)`).
const EXPECTED: i64 = (WINDOW + PERIOD - 1) / PERIOD;

/// The evaluation instant of the single-evaluation benches.
pub fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2025-04-24T12:00:00Z").unwrap_or(Timestamp::UNIX_EPOCH)
}

/// A deterministic task count for sample `i`: a slow wave with jitter, 0 to 40.
pub fn tasks_at(i: usize) -> f64 {
    let wave = (i / 40) % 9;
    let jitter = (i * 7) % 5;
    (wave * 4 + jitter) as f64
}

/// `n` samples, one every 30 s, the newest at `last`.
pub fn series(n: usize, last: Timestamp) -> Series {
    let values: Vec<Option<f64>> = (0..n).map(|i| Some(tasks_at(i))).collect();
    Series::regular(TimeInterval::from_seconds(30), last, &values)
}

/// Example 2's context: 240 samples of `$PendingTasks` (two hours) ending at `now`.
pub fn example2_context() -> EvalContext {
    EvalContext::builder(now())
        .target_dedicated_nodes(3.0)
        .metric(Metric::PendingTasks, series(240, now()))
        .build()
}

/// Example 3's context: 240 samples of `$ActiveTasks` ending at `now`.
pub fn example3_context() -> EvalContext {
    EvalContext::builder(now())
        .target_dedicated_nodes(2.0)
        .metric(Metric::ActiveTasks, series(240, now()))
        .build()
}

/// The batch-shipyard formula's context: `$ActiveTasks` and `$PreemptedNodeCount`
/// histories and a pool of 3 dedicated and 2 low-priority nodes.
pub fn shipyard_context() -> EvalContext {
    let preempted: Vec<Option<f64>> = (0..240).map(|i| Some(((i / 60) % 3) as f64)).collect();
    EvalContext::builder(now())
        .target_dedicated_nodes(3.0)
        .current_dedicated_nodes(3.0)
        .current_low_priority_nodes(2.0)
        .metric(Metric::ActiveTasks, series(240, now()))
        .metric(
            Metric::PreemptedNodeCount,
            Series::regular(TimeInterval::from_seconds(30), now(), &preempted),
        )
        .build()
}

/// What a hand-written evaluation returns: the dedicated target and the
/// deallocation option (the low-priority target is the pool's, unassigned).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NativeOutcome {
    /// `$TargetDedicatedNodes`.
    pub dedicated: f64,
    /// `$NodeDeallocationOption`.
    pub dealloc: NodeDeallocationOption,
}

/// `$tasks` of Examples 2 and 3, written by hand over the sample slices: the
/// 15-minute window `[now - 15 min, now)` and the newest sample at or before `now`.
#[inline]
fn tasks(times: &[i64], values: &[f64], now: i64) -> f64 {
    let start = times.partition_point(|&t| t < now - WINDOW);
    let end = start + times[start..].partition_point(|&t| t < now);
    let newest = end + times[end..].partition_point(|&t| t <= now);
    let window = &values[start..end];
    let last = newest.checked_sub(1).map(|i| values[i]);
    let percent = (100.0 * window.len() as f64 / EXPECTED as f64).min(100.0);
    if percent < 70.0 {
        // max(0, GetSample(1)): an empty GetSample(1) leaves max(0) = 0.
        last.map_or(0.0, |x| x.max(0.0))
    } else {
        // max(GetSample(1), avg(window)); the window holds at least 70% here.
        let avg = window.iter().sum::<f64>() / window.len() as f64;
        last.map_or(avg, |x| x.max(avg))
    }
}

/// Example 2 (E13) by hand: one pass over the window slice, no allocation.
#[inline]
pub fn example2(times: &[i64], values: &[f64], now: i64, target: f64) -> NativeOutcome {
    let tasks = tasks(times, values, now);
    let target_vms = if tasks > 0.0 {
        tasks
    } else {
        (target / 2.0).max(0.0)
    };
    NativeOutcome {
        dedicated: target_vms.clamp(0.0, 20.0),
        dealloc: NodeDeallocationOption::TaskCompletion,
    }
}

/// Example 3 (E14) by hand.
#[inline]
pub fn example3(times: &[i64], values: &[f64], now: i64, target: f64) -> NativeOutcome {
    let tasks = tasks(times, values, now);
    let cores = target * 4.0;
    let extra_vms = ((tasks - cores) + 3.0) / 4.0;
    let target_vms = target + extra_vms;
    NativeOutcome {
        dedicated: target_vms.clamp(0.0, 3.0),
        dealloc: NodeDeallocationOption::TaskCompletion,
    }
}

/// The 30-day replay: 86,400 samples (one every 30 s) and one evaluation
/// every 5 minutes, each at its own instant, the pool's target carried over.
pub struct Replay {
    /// The context; `now` and the pool's target change per evaluation.
    pub context: EvalContext,
    /// The evaluation instants, in ticks.
    pub instants: Vec<i64>,
}

/// Samples in 30 days at one every 30 s.
pub const REPLAY_SAMPLES: usize = 30 * 24 * 120;

/// Builds the replay.
pub fn replay() -> Replay {
    let last = now();
    let series = series(REPLAY_SAMPLES, last);
    let first = series.times().first().copied().unwrap_or(0);
    let instants: Vec<i64> = (0..)
        .map(|k| first + k * 10 * PERIOD)
        .take_while(|&t| t <= last.ticks())
        .collect();
    let context = EvalContext::builder(last)
        .target_dedicated_nodes(1.0)
        .metric(Metric::PendingTasks, series)
        .build();
    Replay { context, instants }
}

/// The hand-written replay of Example 2: the sum of the targets, the pool's
/// target carried from one evaluation to the next.
pub fn native_replay(replay: &Replay) -> f64 {
    let Some(series) = replay.context.series(Metric::PendingTasks) else {
        return f64::NAN;
    };
    let (times, values) = (series.times(), series.values());
    let mut target = replay.context.pool.target_dedicated_nodes;
    let mut total = 0.0;
    for &now in &replay.instants {
        target = example2(times, values, now, target).dedicated;
        total += target;
    }
    total
}

/// The same replay through a precompiled batchscale evaluator.
pub fn batchscale_replay(evaluator: &mut batchscale::Evaluator, replay: &mut Replay) -> f64 {
    let start = replay.context.pool.target_dedicated_nodes;
    let mut total = 0.0;
    for &now in &replay.instants {
        replay.context.now = Timestamp::from_ticks(now).unwrap_or(Timestamp::UNIX_EPOCH);
        match evaluator.run(&replay.context) {
            Ok(outcome) => {
                replay.context.pool.target_dedicated_nodes = outcome.target_dedicated_nodes;
                total += outcome.target_dedicated_nodes;
            }
            Err(_) => total = f64::NAN,
        }
    }
    replay.context.pool.target_dedicated_nodes = start;
    total
}
