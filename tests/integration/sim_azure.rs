//! The simulator behaves as Azure Batch does (issue 14): requeues apart from
//! retries, allocation apart from boot, job priority and order, resize modes,
//! core quotas, slot idle time, scheduling latency, missing samples; and its
//! work is bounded (issue 18). Each outcome is worked out by hand in a comment.

use batchscale::sim::report::Report;
use batchscale::sim::{simulate, LoadedScenario};
use batchscale::Formula;

use crate::common::{close, sample_at};

const MIN: i64 = 60_000;

fn run(toml: &str) -> Report {
    let loaded = LoadedScenario::parse("azure.toml", toml).unwrap();
    let formula = Formula::parse(loaded.scenario.formula.as_deref().unwrap()).unwrap();
    simulate(&loaded, &formula, loaded.scenario.seed, None).unwrap()
}

fn run_error(toml: &str) -> String {
    let loaded = match LoadedScenario::parse("azure.toml", toml) {
        Ok(loaded) => loaded,
        Err(e) => return e.to_string(),
    };
    let text = loaded.scenario.formula.as_deref().filter(|f| !f.is_empty());
    let formula = Formula::parse(text.unwrap_or("$x = 1;")).unwrap();
    match simulate(&loaded, &formula, 0, None) {
        Ok(_) => panic!("ran: {toml}"),
        Err(e) => e.to_string(),
    }
}

/// No delays anywhere: nodes ready and tasks running the moment they are asked for.
const INSTANT: &str = r#"
        allocation_delay = { fixed = "PT0S" }
        startup = { fixed = "PT0S" }
"#;
const NO_LATENCY: &str = "[scheduling]\nlatency = { fixed = \"PT0S\" }\n";

#[test]
fn a_preempted_task_with_no_retries_is_requeued_and_its_node_restarts() {
    let r = run(&format!(
        r#"
        formula = "$TargetLowPriorityNodes = 1;"
        duration = "PT2H"
        stop_when_done = false
        {NO_LATENCY}
        [pool]
        allocation_delay = {{ fixed = "PT2M" }}
        startup = {{ fixed = "PT3M" }}
        [pool.preemption]
        at = [{{ time = "PT30M" }}]
        recovery = "PT10M"
        [[job]]
        tasks = 1
        duration = {{ fixed = "PT1H" }}
        max_task_retries = 0
    "#
    ));
    // Asked for at 0, created at 2, ready at 5: the task runs from 5. Preempted
    // at 30 (25 minutes of work lost), requeued, not failed. Capacity is back
    // at 40; the node is created again at 42 and ready at 45: the task runs
    // 45-105.
    assert_eq!(r.jobs[0].completed, Some(105 * MIN));
    assert_eq!(
        (r.tasks.succeeded, r.tasks.failed, r.tasks.requeued),
        (1, 0, 1)
    );
    close(r.lost_node_hours.preempted, 25.0 / 60.0);
    // Billed 2-30 and 42-120 (creating and preempted time are not): 106 min.
    close(r.node_hours[1], 106.0 / 60.0);
    close(r.allocation_node_hours, 4.0 / 60.0);
    close(r.startup_node_hours, 6.0 / 60.0);
    // While it is re-created the node stays in $CurrentLowPriorityNodes.
    let row = sample_at(&r, 41 * MIN);
    assert_eq!((row.current_low_priority, row.preempted), (1, 0));
}

#[test]
fn allocation_is_not_billed_and_boot_is() {
    let r = run(&format!(
        r#"
        formula = "$TargetDedicatedNodes = 1;"
        duration = "PT1H"
        stop_when_done = false
        {NO_LATENCY}
        [pool]
        allocation_delay = {{ fixed = "PT4M" }}
        startup = {{ fixed = "PT6M" }}
        [[job]]
        tasks = 1
        duration = {{ fixed = "PT10M" }}
    "#
    ));
    // Created at 4 min, ready at 10, the task runs 10-20.
    assert_eq!(r.jobs[0].completed, Some(20 * MIN));
    // Billed from creation to the end: 56 minutes, boot included.
    close(r.node_hours[0], 56.0 / 60.0);
    close(r.allocation_node_hours, 4.0 / 60.0);
    close(r.startup_node_hours, 6.0 / 60.0);
    // A node being allocated is not yet in the pool; a booting one is.
    assert_eq!(sample_at(&r, 3 * MIN).current_dedicated, 0);
    assert_eq!(sample_at(&r, 5 * MIN).current_dedicated, 1);
}

#[test]
fn a_large_request_arrives_at_the_allocation_rate() {
    let r = run(&format!(
        r#"
        formula = "$TargetDedicatedNodes = 3;"
        duration = "PT10M"
        stop_when_done = false
        {NO_LATENCY}
        [pool]
        allocation_delay = {{ fixed = "PT1M" }}
        allocation_rate = 1
        startup = {{ fixed = "PT0S" }}
        [[job]]
        tasks = 1
        duration = {{ fixed = "PT1M" }}
    "#
    ));
    // One node a minute after the 1-minute delay: created at 1, 2 and 3 min.
    let current: Vec<u32> = [90, 150, 210]
        .iter()
        .map(|s| sample_at(&r, s * 1000).current_dedicated)
        .collect();
    assert_eq!(current, [1, 2, 3]);
}

#[test]
fn a_failed_start_task_leaves_a_billed_node_that_runs_nothing() {
    let r = run(&format!(
        r#"
        formula = "$TargetDedicatedNodes = 1;"
        duration = "PT1H"
        stop_when_done = false
        {NO_LATENCY}
        [pool]
        {INSTANT}
        start_task_failure = 1.0
        [[job]]
        tasks = 1
        duration = {{ fixed = "PT1M" }}
    "#
    ));
    assert_eq!(r.start_task_failures, 1);
    // It counts toward the target, so no other node replaces it.
    assert_eq!((r.tasks.succeeded, r.tasks.queued), (0, 1));
    assert_eq!(sample_at(&r, 30 * MIN).current_dedicated, 1);
    close(r.node_hours[0], 1.0);
    close(r.busy_node_hours, 0.0);
}

#[test]
fn spot_availability_caps_the_low_priority_nodes_supplied() {
    let r = run(&format!(
        r#"
        formula = "$TargetLowPriorityNodes = 4;"
        duration = "PT40M"
        stop_when_done = false
        {NO_LATENCY}
        [pool]
        {INSTANT}
        [pool.preemption]
        availability = [{{ from = "PT0S", share = 0.5 }}, {{ from = "PT20M", share = 1.0 }}]
        [[job]]
        tasks = 1
        duration = {{ fixed = "PT1M" }}
    "#
    ));
    // Evaluations at 0 and 15 min get half of 4; the one at 30 min all 4.
    assert_eq!(sample_at(&r, 25 * MIN).current_low_priority, 2);
    assert_eq!(sample_at(&r, 31 * MIN).current_low_priority, 4);
}

fn two_jobs(order: &str, priority_b: i32) -> Report {
    run(&format!(
        r#"
        formula = "$TargetDedicatedNodes = 2;"
        duration = "PT2H"
        stop_when_done = false
        [scheduling]
        order = "{order}"
        latency = {{ fixed = "PT0S" }}
        [pool]
        initial_dedicated = 2
        {INSTANT}
        [[job]]
        name = "a"
        tasks = 4
        duration = {{ fixed = "PT10M" }}
        [[job]]
        name = "b"
        priority = {priority_b}
        tasks = 4
        duration = {{ fixed = "PT10M" }}
    "#
    ))
}

fn completions(r: &Report) -> Vec<Option<i64>> {
    r.jobs.iter().map(|j| j.completed).collect()
}

#[test]
fn equal_priority_jobs_share_the_slots_uniformly() {
    // Two nodes, eight 10-minute tasks. Served in turn, a and b each run one
    // task per wave: both finish with the fourth wave at 40 min.
    let r = two_jobs("uniform", 0);
    assert_eq!(completions(&r), [Some(40 * MIN), Some(40 * MIN)]);
    // By creation time (both created at 0; the job listed first goes first),
    // a runs two waves and finishes at 20, then b at 40.
    let r = two_jobs("creation_time", 0);
    assert_eq!(completions(&r), [Some(20 * MIN), Some(40 * MIN)]);
}

#[test]
fn a_higher_priority_job_goes_first() {
    let r = two_jobs("uniform", 100);
    assert_eq!(completions(&r), [Some(40 * MIN), Some(20 * MIN)]);
}

fn drain_then_grow(resize: &str) -> Report {
    run(&format!(
        r#"
        formula = '''
            $TargetDedicatedNodes = time() >= time("2025-01-06T00:20:00Z") ? 3 :
                (time() >= time("2025-01-06T00:10:00Z") ? 1 : 2);
            $NodeDeallocationOption = taskcompletion;
        '''
        duration = "PT2H"
        stop_when_done = false
        interval = "PT5M"
        {NO_LATENCY}
        [pool]
        initial_dedicated = 2
        resize = "{resize}"
        {INSTANT}
        [[job]]
        tasks = 2
        duration = {{ fixed = "PT1H" }}
    "#
    ))
}

#[test]
fn steady_delays_a_grow_until_the_drain_ends() {
    // At 10 min the target drops to 1: one busy node drains until its task
    // ends at 60. At 20 min the target is 3.
    let immediate = drain_then_grow("immediate");
    // Immediate: two nodes join at 20 beside the draining one.
    assert_eq!(sample_at(&immediate, 25 * MIN).current_dedicated, 4);
    let steady = drain_then_grow("steady");
    // Steady: the grow waits for the drain; at 60 the drained node leaves and
    // the two new nodes join.
    assert_eq!(sample_at(&steady, 25 * MIN).current_dedicated, 2);
    assert_eq!(sample_at(&steady, 59 * MIN).current_dedicated, 2);
    assert_eq!(sample_at(&steady, 61 * MIN).current_dedicated, 3);
    // Either way the formula's targets are the same.
    assert_eq!(steady.evaluations[4].targets, [3, 0]);
    assert_eq!(immediate.evaluations[4].targets, [3, 0]);
}

#[test]
fn quotas_are_in_cores_when_nodes_have_cores() {
    let r = run(&format!(
        r#"
        formula = "$TargetDedicatedNodes = 20; $TargetLowPriorityNodes = 20;"
        duration = "PT10M"
        stop_when_done = false
        {NO_LATENCY}
        [pool]
        {INSTANT}
        cores_per_node = 8
        dedicated_quota = 100
        low_priority_quota = 30
        [[job]]
        tasks = 1
        duration = {{ fixed = "PT1M" }}
    "#
    ));
    // 100 cores hold 12 whole 8-core nodes; 30 cores hold 3.
    assert_eq!(r.evaluations[0].targets, [12, 3]);
}

#[test]
fn a_target_past_the_node_limit_is_capped_and_an_initial_one_refused() {
    let r = run(&format!(
        r#"
        formula = "$TargetDedicatedNodes = 1000000000;"
        duration = "PT10M"
        stop_when_done = false
        {NO_LATENCY}
        [limits]
        nodes = 50
        [pool]
        {INSTANT}
        [[job]]
        tasks = 1
        duration = {{ fixed = "PT1M" }}
    "#
    ));
    assert_eq!(r.evaluations[0].targets, [50, 0]);
    let err = run_error(
        "formula = \"\"\n[pool]\ninitial_dedicated = 4294967295\n[[job]]\ntasks = 1\nduration = { fixed = \"PT1M\" }\n",
    );
    assert_eq!(
        err,
        "azure.toml: pool.initial_dedicated: 4294967295 nodes is more than the simulator's limit of 10000 nodes of each type per pool; raise `[limits] nodes` to simulate a larger pool"
    );
}

#[test]
fn slot_idle_time_is_counted_per_slot() {
    let r = run(&format!(
        r#"
        formula = "$TargetDedicatedNodes = 1;"
        duration = "PT1H"
        stop_when_done = false
        {NO_LATENCY}
        [pool]
        {INSTANT}
        task_slots_per_node = 4
        [[job]]
        tasks = 1
        duration = {{ fixed = "PT1H" }}
    "#
    ));
    // One node all hour, busy all hour with one task in one of its 4 slots:
    // busy by node, but 3 of 4 slot-hours idle.
    close(r.node_hours[0], 1.0);
    close(r.busy_node_hours, 1.0);
    close(r.busy_slot_hours, 1.0);
    assert_eq!(r.slots_per_node, 4);
    close(
        1.0 - r.busy_slot_hours / (r.node_hours[0] * f64::from(r.slots_per_node)),
        0.75,
    );
}

#[test]
fn each_task_waits_for_the_scheduling_latency() {
    let r = run(&format!(
        r#"
        formula = "$TargetDedicatedNodes = 1;"
        duration = "PT1H"
        stop_when_done = false
        [scheduling]
        latency = {{ fixed = "PT5S" }}
        [pool]
        {INSTANT}
        [[job]]
        tasks = 2
        duration = {{ fixed = "PT10M" }}
    "#
    ));
    // The first task is placed at 0 and runs 0:05-10:05; the second is placed
    // at 10:05 and runs 10:10-20:10. Waits: 5 s and 610 s.
    assert_eq!(r.jobs[0].completed, Some(20 * MIN + 10_000));
    assert_eq!(r.wait_stats(), Some((5_000, 610_000, 610_000)));
}

fn sample_percent(missing: f64) -> String {
    let r = run(&format!(
        r#"
        formula = "$p = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 10);"
        duration = "PT15M"
        stop_when_done = false
        [metrics]
        delay = "PT0S"
        missing = {missing}
        [[job]]
        tasks = 1
        duration = {{ fixed = "PT1M" }}
    "#
    ));
    r.evaluations[1].results.clone()
}

#[test]
fn missing_samples_lower_get_sample_percent() {
    const SYS0: &str =
        "$TargetDedicatedNodes=0;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue";
    // At 15 min with no delay, the last 10 minutes hold a sample every 30 s: all there.
    assert_eq!(sample_percent(0.0), format!("{SYS0};$p=100"));
    // None recorded: none there.
    assert_eq!(sample_percent(1.0), format!("{SYS0};$p=0"));
    // Some recorded: each of the 20 expected samples is 5%.
    let half = sample_percent(0.5);
    let p: f64 = half.rsplit('=').next().unwrap().parse().unwrap();
    assert!(p > 0.0 && p < 100.0 && p % 5.0 == 0.0, "{half}");
}

#[test]
fn a_single_duration_where_a_distribution_belongs_shows_the_fix() {
    let err = run_error("[[job]]\ntasks = 1\nduration = \"PT10M\"\n");
    assert_eq!(
        err,
        "azure.toml:3:12: duration: a duration here is a distribution, not one value: write `{ fixed = \"PT10M\" }` (or `uniform`, `normal`, `lognormal`, `empirical`)"
    );
}

#[test]
fn work_past_the_budgets_is_an_ordinary_error() {
    // Zero-length tasks retried without end: refused before the run.
    let err = run_error(
        "formula = \"\"\n[[job]]\ntasks = 1000\nduration = { fixed = \"PT0S\" }\nmax_task_retries = 4294967295\n",
    );
    assert!(
        err.starts_with("azure.toml: limits.events: the run needs up to "),
        "{err}"
    );
    assert!(err.ends_with("raise `[limits] events` to run it"), "{err}");
    // 1-second samples for a year: 31,622,400 evaluations' worth of reads.
    let err = run_error(
        "formula = \"\"\nduration = \"P366D\"\n[metrics]\nsample_period = \"PT1S\"\n[[job]]\ntasks = 1\nduration = { fixed = \"PT1M\" }\n",
    );
    assert!(
        err.starts_with("azure.toml: limits.window_reads: "),
        "{err}"
    );
    // A preemption storm is counted as it happens.
    let err = run_error(&format!(
        r#"
        formula = "$TargetLowPriorityNodes = 10;"
        duration = "PT2H"
        [limits]
        events = 10000
        [pool]
        {INSTANT}
        [pool.preemption]
        rate_per_node_hour = 1e300
        recovery = "PT0S"
        [[job]]
        tasks = 1
        duration = {{ fixed = "PT1M" }}
    "#
    ));
    assert!(
        err.starts_with(
            "azure.toml: limits.events: the run passed the simulator's budget of 10000 events at +"
        ),
        "{err}"
    );
}

#[test]
fn a_run_ending_after_year_9999_is_refused() {
    let err = run_error(
        "formula = \"\"\nstart = \"9999-12-30T00:00:00Z\"\nduration = \"P2D\"\n[[job]]\ntasks = 1\nduration = { fixed = \"PT1M\" }\n",
    );
    assert!(
        err.starts_with("azure.toml:3:12: duration: the run would end after 9999-12-31T23:59:59Z"),
        "{err}"
    );
}

fn folder(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("batchscale-azure-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("inner")).unwrap();
    dir
}

#[test]
fn a_trace_names_jobs_and_failing_exit_codes() {
    let dir = folder("trace");
    std::fs::write(
        dir.join("inner/tasks.csv"),
        "job,submit,duration,exit_code\nrender,0,PT10M,0\nrender,0,PT10M,\nencode,PT5M,PT10M,3\n",
    )
    .unwrap();
    let scenario = dir.join("inner/s.toml");
    std::fs::write(
        &scenario,
        format!(
            "formula = \"$TargetDedicatedNodes = 3;\"\nduration = \"PT2H\"\nstop_when_done = false\n{NO_LATENCY}[pool]\n{INSTANT}[[job]]\nmax_task_retries = 1\ntrace = \"tasks.csv\"\n"
        ),
    )
    .unwrap();
    let loaded = LoadedScenario::read(scenario.to_str().unwrap()).unwrap();
    let formula = Formula::parse(loaded.scenario.formula.as_deref().unwrap()).unwrap();
    let r = simulate(&loaded, &formula, 0, None).unwrap();
    let names: Vec<&str> = r.jobs.iter().map(|j| j.name.as_str()).collect();
    assert_eq!(names, ["render", "encode"]);
    // render: two tasks 0-10 on two of the three nodes. encode's task exits
    // with 3 each time: 5-15, retried 15-25, then failed.
    assert_eq!(r.jobs[0].completed, Some(10 * MIN));
    assert_eq!(r.jobs[1].completed, Some(25 * MIN));
    assert_eq!((r.tasks.succeeded, r.tasks.failed), (2, 1));
}

#[test]
fn referenced_files_stay_in_the_scenarios_folder() {
    let dir = folder("paths");
    std::fs::write(dir.join("secret.csv"), "root:x:0:0:root:/root:/bin/bash\n").unwrap();
    let scenario = dir.join("inner/s.toml");
    std::fs::write(
        &scenario,
        "formula = \"\"\n[[job]]\ntrace = \"../secret.csv\"\n",
    )
    .unwrap();
    let mut loaded = LoadedScenario::read(scenario.to_str().unwrap()).unwrap();
    let formula = Formula::parse("$x = 1;").unwrap();
    let err = simulate(&loaded, &formula, 0, None)
        .unwrap_err()
        .to_string();
    assert!(
        err.ends_with("job[0].trace: `../secret.csv` is outside the scenario's folder; allow it with `--allow-outside-paths` (`LoadedScenario::allow_outside_paths`)"),
        "{err}"
    );
    // Allowed, the file is read; its bad header is named by one token, cut short.
    loaded.allow_outside_paths = true;
    let err = simulate(&loaded, &formula, 0, None)
        .unwrap_err()
        .to_string();
    assert!(
        err.ends_with(":1: unknown column `root:x:0:0:root:/root:/bin/bash`; the columns are `submit`, `duration` and optionally `slots`, `job`, `exit_code`"),
        "{err}"
    );
    assert!(!err.contains("root:x:0:0:root:/root:/bin/bash\n"));
    // An absolute path is outside too, and so is the formula file.
    std::fs::write(
        &scenario,
        "formula_file = \"/etc/passwd\"\n[[job]]\ntasks = 1\nduration = { fixed = \"PT1M\" }\n",
    )
    .unwrap();
    let loaded = LoadedScenario::read(scenario.to_str().unwrap()).unwrap();
    let err = loaded.read_formula_file().unwrap_err().to_string();
    assert!(
        err.contains("formula_file: `/etc/passwd` is outside the scenario's folder"),
        "{err}"
    );
}

#[test]
fn the_model_pages_example_runs_as_described() {
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/simulator-model.md"),
    )
    .unwrap();
    let start = page.find("```toml\n").unwrap() + "```toml\n".len();
    let end = start + page[start..].find("```").unwrap();
    let r = run(&page[start..end]);
    // The page's own arithmetic: urgent done at 70 min, nightly at 130;
    // 2 nodes billed from 5 min and 2 from 65 min to 180: 580 node-minutes;
    // 4 nodes × 5 minutes of allocation, not billed.
    assert_eq!(completions(&r), [Some(130 * MIN), Some(70 * MIN)]);
    close(r.node_hours[1], 580.0 / 60.0);
    close(r.allocation_node_hours, 20.0 / 60.0);
}

#[test]
fn a_scenario_from_a_device_is_read_through_its_limit() {
    // /dev/zero never ends: the read stops one byte past 16 MiB.
    let err = LoadedScenario::read("/dev/zero").unwrap_err().to_string();
    assert_eq!(
        err,
        "/dev/zero: file is larger than the limit of 16777216 bytes"
    );
}
