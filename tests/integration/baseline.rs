//! The hand-written baselines the benches compare against compute what the
//! formulas compute: checked here against arithmetic done by hand and against
//! batchscale over the whole 30-day replay.

use crate::bench_common;

use batchscale::{Formula, Metric, NodeDeallocationOption};
use bench_common::formulas::{EXAMPLE2, EXAMPLE3};

#[test]
fn example2_baseline_matches_hand_arithmetic() {
    // Samples 210..=239 fill the 15-minute window: wave (i / 40) % 9 = 5 gives
    // 20, jitter (7 i) % 5 cycles 0..4 six times, so the average is 20 + 2 = 22;
    // the newest sample (i = 239) is 20 + 1673 % 5 = 23. $tasks = max(23, 22) = 23,
    // capped at 20.
    let ctx = bench_common::example2_context();
    let s = ctx.series(Metric::PendingTasks).unwrap();
    let native = bench_common::example2(s.times(), s.values(), ctx.now.ticks(), 3.0);
    assert_eq!(native.dedicated, 20.0);
    assert_eq!(native.dealloc, NodeDeallocationOption::TaskCompletion);
    let run = Formula::parse(EXAMPLE2).unwrap().evaluate(&ctx);
    assert_eq!(
        run.results,
        "$TargetDedicatedNodes=20;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$samples=100;$targetVMs=23;$tasks=23"
    );
}

#[test]
fn example3_baseline_matches_hand_arithmetic() {
    // $tasks = 23 as above; target 2: cores 8, extra ((23 - 8) + 3) / 4 = 4.5,
    // targetVMs 6.5, capped at 3.
    let ctx = bench_common::example3_context();
    let s = ctx.series(Metric::ActiveTasks).unwrap();
    let native = bench_common::example3(s.times(), s.values(), ctx.now.ticks(), 2.0);
    assert_eq!(native.dedicated, 3.0);
    let run = Formula::parse(EXAMPLE3).unwrap().evaluate(&ctx);
    assert_eq!(
        run.results,
        "$TargetDedicatedNodes=3;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$cores=8;$extraVMs=4.5;$samples=100;$targetVMs=6.5;$tasks=23"
    );
}

#[test]
fn a_new_history_takes_the_last_sample_branch() {
    // Five minutes in (at sample 10), the window holds samples 0..=9, 10 of
    // the 30 expected (33%): the branch max(0, newest sample). Samples 0..=39
    // are 0 + (7 i) % 5, so sample 10 is 0, $tasks = 0 and the target becomes
    // max(0, 3 / 2) = 1.5.
    let replay = bench_common::replay();
    let s = replay.context.series(Metric::PendingTasks).unwrap();
    let first = s.times()[0];
    let at_5_min = first + 10 * bench_common::PERIOD;
    let native = bench_common::example2(s.times(), s.values(), at_5_min, 3.0);
    assert_eq!(native.dedicated, 1.5);
}

#[test]
fn the_30_day_replay_agrees_with_batchscale() {
    let mut replay = bench_common::replay();
    assert_eq!(
        replay.context.series(Metric::PendingTasks).unwrap().len(),
        86_400
    );
    assert_eq!(replay.instants.len(), 8_640);
    let formula = Formula::parse(EXAMPLE2).unwrap();
    let mut evaluator = formula.evaluator();
    let native = bench_common::native_replay(&replay);
    assert!(native.is_finite() && native > 0.0);
    assert_eq!(
        bench_common::batchscale_replay(&mut evaluator, &mut replay),
        native
    );
}

/// The README's "Performance" example, verbatim.
#[test]
fn readme_repeated_evaluation_example() -> Result<(), Box<dyn std::error::Error>> {
    use batchscale::{EvalContext, Formula, Metric, Series, TimeInterval, Timestamp};

    let formula = Formula::parse(
        "$TargetDedicatedNodes = max(0, min(avg($PendingTasks.GetSample(TimeInterval_Minute * 15)), 20));",
    )?;
    let mut evaluator = formula.evaluator(); // compiled once, storage reused
    let now = Timestamp::parse_rfc3339("2025-04-24T12:00:00Z").ok_or("bad time")?;
    let history = Series::regular(TimeInterval::from_seconds(30), now, &[Some(6.0); 31]);
    let ctx = EvalContext::builder(now)
        .metric(Metric::PendingTasks, history)
        .build();
    let outcome = evaluator.run(&ctx)?; // no heap allocation once warm
    assert_eq!(outcome.dedicated_nodes(), 6);
    // The results string is built only when asked for.
    assert_eq!(
        evaluator.results(&outcome),
        "$TargetDedicatedNodes=6;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue"
    );
    Ok(())
}
