//! Small scenarios whose outcome is worked out by hand, asserted exactly.

use batchscale::sim::report::Report;
use batchscale::sim::scenario::Duration;
use batchscale::sim::Distribution;
use batchscale::sim::{simulate, LoadedScenario};
use batchscale::Formula;

use crate::common::{close, sample_at};

const MIN: i64 = 60_000;
const SYS0: &str =
    "$TargetDedicatedNodes=0;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue";

/// Runs a scenario. These scenarios were worked out before allocation delay
/// and scheduling latency existed; unless a scenario sets them, both are 0
/// here so that each test's arithmetic stays about what it tests
/// (tests/sim_azure.rs covers the two delays).
fn run(toml: &str) -> Report {
    let mut loaded = LoadedScenario::parse("test.toml", toml).unwrap();
    let zero = Distribution::Fixed(Duration(0));
    if !toml.contains("allocation_delay") {
        loaded.scenario.pool.allocation_delay = zero.clone();
    }
    if !toml.contains("latency") {
        loaded.scenario.scheduling.latency = zero;
    }
    let formula = Formula::parse(loaded.scenario.formula.as_deref().unwrap()).unwrap();
    simulate(&loaded, &formula, loaded.scenario.seed, None).unwrap()
}

#[test]
fn eight_tasks_of_ten_minutes_on_four_nodes() {
    let r = run(r#"
        formula = "$TargetDedicatedNodes = 4;"
        duration = "PT1H"
        stop_when_done = false
        [pool]
        startup = { fixed = "PT5M" }
        dedicated_price = 1.5
        [[job]]
        tasks = 8
        duration = { fixed = "PT10M" }
    "#);
    // Nodes ready at 5 min; two waves: 5-15 and 15-25.
    assert_eq!(r.jobs[0].completed, Some(25 * MIN));
    assert_eq!(r.tasks.succeeded, 8);
    // 4 nodes from 0 to 60 min, start-up included.
    close(r.node_hours[0], 4.0);
    close(r.cost()[0], 6.0);
    // Busy: 4 nodes x 20 min of 240 node-minutes.
    close(r.idle_share(), (240.0 - 80.0) / 240.0);
    // Four tasks waited 5 minutes, four 15 minutes (nearest rank).
    assert_eq!(r.wait_stats(), Some((5 * MIN, 15 * MIN, 15 * MIN)));
    // Evaluations at 0, 15, 30, 45, 60 minutes, all the same.
    let times: Vec<i64> = r.evaluations.iter().map(|e| e.time).collect();
    assert_eq!(times, [0, 15 * MIN, 30 * MIN, 45 * MIN, 60 * MIN]);
    for e in &r.evaluations {
        assert_eq!(
            e.results,
            "$TargetDedicatedNodes=4;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue"
        );
        assert_eq!(e.targets, [4, 0]);
    }
    let resizes = r.resizes();
    assert_eq!(
        (resizes.count, resizes.largest_step, resizes.flaps),
        (1, 4, 0)
    );
}

#[test]
fn the_pool_stops_when_work_is_done_and_nodes_are_gone() {
    let r = run(r#"
        formula = "$TargetDedicatedNodes = $PendingTasks > 0 ? 2 : 0;"
        interval = "PT5M"
        [metrics]
        delay = "PT0S"
        [pool]
        startup = { fixed = "PT0S" }
        [[job]]
        tasks = 2
        duration = { fixed = "PT7M" }
    "#);
    // Bare $PendingTasks reads the newest sample: none at 0 (target 0), 2 at 5 min.
    // Nodes ready at 5, tasks run 5-12; the sample at 15 min shows 0 pending,
    // the evaluation at 15 min sets 0 and the pool is empty at once.
    let targets: Vec<[u32; 2]> = r.evaluations.iter().map(|e| e.targets).collect();
    assert_eq!(targets, [[0, 0], [2, 0], [2, 0], [0, 0]]);
    assert_eq!(r.jobs[0].completed, Some(12 * MIN));
    assert_eq!(r.end, 15 * MIN);
    close(r.node_hours[0], 2.0 * 10.0 / 60.0);
}

#[test]
fn samples_reach_the_formula_only_after_the_delay() {
    let scenario = |delay: &str| {
        format!(
            r#"
        formula = "$n = $PendingTasks.Count(); $p = val($PendingTasks.GetSample(1), 0);"
        duration = "PT10M"
        interval = "PT5M"
        [metrics]
        delay = "{delay}"
        [[job]]
        submit = "PT4M30S"
        tasks = 3
        duration = {{ fixed = "PT1M" }}
    "#
        )
    };
    let r = run(&scenario("PT60S"));
    // At 5 min the samples of 30 s ... 4 min are visible (8); the one of 4:30,
    // the first with 3 tasks, is not yet.
    let results: Vec<&str> = r.evaluations.iter().map(|e| e.results.as_str()).collect();
    assert_eq!(
        results,
        [
            format!("{SYS0};$n=0;$p=0"),
            format!("{SYS0};$n=8;$p=0"),
            format!("{SYS0};$n=18;$p=3"),
        ]
    );
    let r = run(&scenario("PT0S"));
    let results: Vec<&str> = r.evaluations.iter().map(|e| e.results.as_str()).collect();
    assert_eq!(
        results,
        [
            format!("{SYS0};$n=0;$p=0"),
            format!("{SYS0};$n=10;$p=3"),
            format!("{SYS0};$n=20;$p=3"),
        ]
    );
}

#[test]
fn a_failed_evaluation_keeps_the_targets_and_is_counted() {
    let r = run(r#"
        formula = "$TargetDedicatedNodes = max(1, avg($PendingTasks.GetSample(TimeInterval_Minute * 10)));"
        duration = "PT30M"
        stop_when_done = false
        [pool]
        initial_dedicated = 2
        [[job]]
        submit = "P1D"
        tasks = 1
        duration = { fixed = "PT1M" }
    "#);
    // At 0 there is no sample: the evaluation fails and the pool keeps its 2 nodes.
    let first = &r.evaluations[0];
    assert_eq!(first.targets, [2, 0]);
    assert_eq!(
        first.results,
        "$TargetDedicatedNodes=2;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue"
    );
    assert_eq!(
        first.error.as_deref(),
        Some("InsufficientSampleData: Line 1, Col 59: Insufficient data from data set: $PendingTasks wanted 70%, received 0%")
    );
    assert_eq!(sample_at(&r, 10 * MIN).current_dedicated, 2);
    // At 15 min, 10 minutes of samples exist with 0 pending: target max(1, 0) = 1.
    assert_eq!(r.evaluations[1].targets, [1, 0]);
    assert_eq!(r.evaluations[1].error, None);
    assert_eq!(r.errors().0, 1);
}

#[test]
fn targets_are_truncated_floored_and_capped_by_the_quota() {
    let r = run(r#"
        formula = "$TargetDedicatedNodes = 10; $TargetLowPriorityNodes = 7.9;"
        duration = "PT20M"
        stop_when_done = false
        [pool]
        dedicated_quota = 4
        low_priority_quota = 5
        startup = { fixed = "PT0S" }
        [[job]]
        tasks = 1
        duration = { fixed = "PT1M" }
    "#);
    let e = &r.evaluations[0];
    // 7.9 prints truncated toward zero, as the service prints targets (batch-shipyard#239).
    assert_eq!(
        e.results,
        "$TargetDedicatedNodes=10;$TargetLowPriorityNodes=7;$NodeDeallocationOption=requeue"
    );
    assert_eq!(e.targets, [4, 5]);
    let row = sample_at(&r, MIN);
    assert_eq!((row.current_dedicated, row.current_low_priority), (4, 5));

    let r = run(r#"
        formula = "$TargetDedicatedNodes = -3; $TargetLowPriorityNodes = 3.9;"
        duration = "PT20M"
        stop_when_done = false
        [[job]]
        tasks = 1
        duration = { fixed = "PT1M" }
    "#);
    assert_eq!(r.evaluations[0].targets, [0, 3]);
}

/// Two nodes run one 60-minute task each; at 10 minutes the target drops to 1.
fn shrink_with(option: &str, extra: &str) -> Report {
    run(&format!(
        r#"
        formula = "$TargetDedicatedNodes = time() >= time(\"2025-01-06T00:10:00Z\") ? 1 : 2; $NodeDeallocationOption = {option};"
        duration = "PT3H"
        stop_when_done = false
        interval = "PT5M"
        [pool]
        initial_dedicated = 2
        startup = {{ fixed = "PT0S" }}
        [[job]]
        tasks = 2
        duration = {{ fixed = "PT1H" }}
        {extra}
    "#
    ))
}

#[test]
fn requeue_stops_the_task_and_runs_it_again_later() {
    let r = shrink_with("requeue", "");
    // The second node goes at 10 min; its task waits for the first node (free
    // at 60 min) and runs 60-120. Requeuing does not use up a retry.
    assert_eq!(r.jobs[0].completed, Some(120 * MIN));
    assert_eq!((r.tasks.succeeded, r.tasks.failed), (2, 0));
    assert_eq!(sample_at(&r, 30 * MIN).current_dedicated, 1);
    close(r.node_hours[0], 3.0 + 10.0 / 60.0);
}

#[test]
fn terminate_fails_the_running_task() {
    let r = shrink_with("terminate", "");
    assert_eq!(r.jobs[0].completed, Some(60 * MIN));
    assert_eq!((r.tasks.succeeded, r.tasks.failed), (1, 1));
    assert_eq!(sample_at(&r, 30 * MIN).current_dedicated, 1);
    close(r.node_hours[0], 3.0 + 10.0 / 60.0);
}

#[test]
fn taskcompletion_drains_the_node_first() {
    let r = shrink_with("taskcompletion", "");
    assert_eq!(r.jobs[0].completed, Some(60 * MIN));
    assert_eq!((r.tasks.succeeded, r.tasks.failed), (2, 0));
    // The draining node is still allocated until its task ends at 60 min.
    assert_eq!(sample_at(&r, 30 * MIN).current_dedicated, 2);
    assert_eq!(sample_at(&r, 61 * MIN).current_dedicated, 1);
    close(r.node_hours[0], 3.0 + 1.0);
}

#[test]
fn retaineddata_drains_then_waits_for_the_retention_time() {
    let r = shrink_with("retaineddata", r#"retention = "PT30M""#);
    assert_eq!(r.jobs[0].completed, Some(60 * MIN));
    assert_eq!(sample_at(&r, 89 * MIN).current_dedicated, 2);
    assert_eq!(sample_at(&r, 90 * MIN).current_dedicated, 1);
    close(r.node_hours[0], 3.0 + 1.5);
}

fn preempted(retries: u32) -> Report {
    run(&format!(
        r#"
        formula = "$TargetLowPriorityNodes = 1;"
        duration = "PT2H"
        stop_when_done = false
        [pool]
        startup = {{ fixed = "PT0S" }}
        [pool.preemption]
        at = [{{ time = "PT30M" }}]
        recovery = "PT10M"
        [[job]]
        tasks = 1
        duration = {{ fixed = "PT1H" }}
        max_task_retries = {retries}
    "#
    ))
}

#[test]
fn a_preempted_task_is_requeued_without_using_a_retry() {
    for retries in [0, 1] {
        let r = preempted(retries);
        assert_eq!(r.preemptions, 1);
        // Lost at 30 min and requeued (not failed, retries or not); the node is
        // back after 10 min of recovery, allocated and started again in 0 s
        // here, and the task runs 40-100.
        assert_eq!(r.jobs[0].completed, Some(100 * MIN));
        assert_eq!((r.tasks.succeeded, r.tasks.failed), (1, 0));
        assert_eq!(r.tasks.requeued, 1);
        // The 30 minutes the attempt had run are lost: one 1-slot node, 0.5 h.
        close(r.lost_node_hours.preempted, 0.5);
        // A preempted node is still counted in $CurrentLowPriorityNodes.
        let row = sample_at(&r, 35 * MIN);
        assert_eq!((row.current_low_priority, row.preempted), (1, 1));
        assert_eq!(sample_at(&r, 40 * MIN).preempted, 0);
        // Preempted time is not billed: 120 - 10 minutes.
        close(r.node_hours[1], 110.0 / 60.0);
    }
}

fn pipeline(dependency: &str, failure: f64) -> Report {
    run(&format!(
        r#"
        formula = "$TargetDedicatedNodes = 1;"
        duration = "PT2H"
        stop_when_done = false
        [pool]
        startup = {{ fixed = "PT0S" }}
        [[job]]
        failure_probability = {failure}
        [[job.stage]]
        name = "a"
        tasks = 2
        duration = {{ fixed = "PT10M" }}
        [[job.stage]]
        name = "b"
        tasks = 2
        depends_on = "a"
        dependency = "{dependency}"
        duration = {{ fixed = "PT10M" }}
    "#
    ))
}

#[test]
fn one_to_one_dependencies_release_each_task_when_its_parent_succeeds() {
    let r = pipeline("one_to_one", 0.0);
    // a0 0-10, a1 10-20, b0 20-30, b1 30-40.
    assert_eq!(r.jobs[0].completed, Some(40 * MIN));
    // At 5 min only a1 is ready: b0 and b1 wait and are not active.
    let row = sample_at(&r, 5 * MIN);
    assert_eq!((row.active, row.running), (1, 1));
    // At 15 min b0 (released by a0 at 10) is ready.
    let row = sample_at(&r, 15 * MIN);
    assert_eq!((row.active, row.running), (1, 1));
}

#[test]
fn all_dependencies_wait_for_the_whole_stage() {
    let r = pipeline("all", 0.0);
    assert_eq!(r.jobs[0].completed, Some(40 * MIN));
    let row = sample_at(&r, 15 * MIN);
    assert_eq!((row.active, row.running), (0, 1));
}

#[test]
fn a_failed_parent_blocks_its_dependents() {
    let r = pipeline("one_to_one", 1.0);
    assert_eq!((r.tasks.failed, r.tasks.blocked), (2, 2));
    assert_eq!(r.jobs[0].completed, None);
}

fn fill(kind: &str) -> Report {
    run(&format!(
        r#"
        formula = "$TargetDedicatedNodes = 2;"
        duration = "PT20M"
        stop_when_done = false
        [pool]
        task_slots_per_node = 2
        fill_type = "{kind}"
        startup = {{ fixed = "PT0S" }}
        [[job]]
        submit = "PT1M"
        tasks = 2
        duration = {{ fixed = "PT10M" }}
    "#
    ))
}

#[test]
fn spread_uses_both_nodes_and_pack_one() {
    // Both nodes are ready when the tasks arrive at 1 min. 40 node-minutes;
    // spread keeps both nodes busy 10 min, pack one node.
    close(fill("spread").idle_share(), 20.0 / 40.0);
    close(fill("pack").idle_share(), 30.0 / 40.0);
}

#[test]
fn failed_attempts_are_retried_up_to_the_limit() {
    let r = run(r#"
        formula = "$TargetDedicatedNodes = 1;"
        duration = "PT1H"
        stop_when_done = false
        [pool]
        startup = { fixed = "PT0S" }
        [[job]]
        tasks = 1
        duration = { fixed = "PT10M" }
        failure_probability = 1.0
        max_task_retries = 2
    "#);
    // Three attempts: 0-10, 10-20, 20-30.
    assert_eq!(r.jobs[0].completed, Some(30 * MIN));
    assert_eq!(r.tasks.failed, 1);
}

#[test]
fn tasks_past_the_wall_clock_limit_fail_without_retry() {
    let r = run(r#"
        formula = "$TargetDedicatedNodes = 1;"
        duration = "PT3H"
        stop_when_done = false
        [pool]
        startup = { fixed = "PT0S" }
        [[job]]
        tasks = 1
        duration = { fixed = "PT2H" }
        max_wall_clock = "PT1H"
        max_task_retries = 2
    "#);
    assert_eq!(r.jobs[0].completed, Some(60 * MIN));
    assert_eq!(r.tasks.failed, 1);
}

#[test]
fn cpu_samples_exist_only_with_nodes() {
    let r = run(r#"
        formula = "$TargetDedicatedNodes = avg($CPUPercent.GetSample(TimeInterval_Minute * 10)) > 50 ? 1 : 1;"
        duration = "PT30M"
        [[job]]
        tasks = 1
        duration = { fixed = "PT1M" }
    "#);
    assert_eq!(r.errors().0, r.evaluations.len());
    assert!(r.rows.iter().all(|row| row.current_dedicated == 0));
}

#[test]
fn resizes_steps_and_flapping_are_counted() {
    let r = run(r#"
        formula = "$TargetDedicatedNodes = time().minute < 30 ? 3 : 1;"
        duration = "PT2H"
        stop_when_done = false
        [[job]]
        tasks = 1
        duration = { fixed = "PT1M" }
    "#);
    // Evaluations at 0, 15, ..., 120 min give 3 3 1 1 3 3 1 1 3: five resizes
    // (0->3, 3->1, 1->3, 3->1, 1->3), the largest 3, four reversals.
    let targets: Vec<u32> = r.evaluations.iter().map(|e| e.targets[0]).collect();
    assert_eq!(targets, [3, 3, 1, 1, 3, 3, 1, 1, 3]);
    let resizes = r.resizes();
    assert_eq!(
        (resizes.count, resizes.largest_step, resizes.flaps),
        (5, 3, 4)
    );
}
