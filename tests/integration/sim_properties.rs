//! Properties of any run: tasks are conserved, node counts stay sane, metrics
//! never count a task twice, node-hours add up, preemptions never fail a task,
//! and the same seed gives the same bytes — with allocation, start-task
//! failures, Spot shortfalls, steady resizes, job priority and missing samples.

use batchscale::sim::report::RowKind;
use batchscale::sim::{simulate, LoadedScenario};
use batchscale::Formula;
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Params {
    tasks: u32,
    slots: u32,
    max_minutes: u32,
    failure: f64,
    retries: u32,
    rate: f64,
    option: &'static str,
    fill: &'static str,
    stages: bool,
    seed: u64,
    azure: Azure,
}

/// The states issue 14 added: allocation, start-task failures, Spot
/// shortfalls, steady resizes, job order and priority, missing samples.
#[derive(Debug, Clone)]
struct Azure {
    start_fail: f64,
    availability: f64,
    steady: bool,
    creation_time: bool,
    priority: i32,
    missing: f64,
    side_tasks: u32,
}

fn scenario(p: &Params) -> String {
    let work = if p.stages {
        format!(
            r#"
        [[job.stage]]
        name = "a"
        tasks = {t}
        duration = {{ uniform = {{ min = "PT1M", max = "PT{m}M" }} }}
        [[job.stage]]
        name = "b"
        tasks = {t}
        depends_on = "a"
        duration = {{ uniform = {{ min = "PT1M", max = "PT{m}M" }} }}
        "#,
            t = p.tasks,
            m = p.max_minutes
        )
    } else {
        format!(
            r#"
        tasks = {}
        duration = {{ uniform = {{ min = "PT1M", max = "PT{}M" }} }}
        arrival = {{ poisson = {{ rate_per_hour = 60 }} }}
        "#,
            p.tasks, p.max_minutes
        )
    };
    // Targets swing with the minute so that pools grow and shrink often.
    format!(
        r#"
        formula = '''
            $q = val($PendingTasks.GetSample(1), 0);
            $TargetDedicatedNodes = time().minute < 30 ? min(3, $q) : 1;
            $TargetLowPriorityNodes = time().minute < 20 ? min(4, $q) : 0;
            $NodeDeallocationOption = {option};
        '''
        duration = "PT8H"
        interval = "PT5M"
        seed = {seed}
        [scheduling]
        order = "{order}"
        latency = {{ uniform = {{ min = "PT0S", max = "PT30S" }} }}
        [metrics]
        missing = {missing}
        [pool]
        task_slots_per_node = {slots}
        fill_type = "{fill}"
        allocation_delay = {{ uniform = {{ min = "PT0S", max = "PT3M" }} }}
        allocation_rate = 2
        startup = {{ uniform = {{ min = "PT1M", max = "PT4M" }} }}
        start_task_failure = {start_fail}
        resize = "{resize}"
        [pool.preemption]
        rate_per_node_hour = {rate}
        recovery = "PT7M"
        at = [{{ time = "PT45M", fraction = 0.5 }}]
        availability = [{{ from = "PT0S", share = 1.0 }}, {{ from = "PT2H", share = {availability} }}]
        [[job]]
        failure_probability = {failure}
        max_task_retries = {retries}
        retention = "PT10M"
        {work}
        [[job]]
        name = "side"
        priority = {priority}
        submit = "PT20M"
        tasks = {side}
        duration = {{ fixed = "PT3M" }}
        "#,
        order = if p.azure.creation_time {
            "creation_time"
        } else {
            "uniform"
        },
        missing = p.azure.missing,
        start_fail = p.azure.start_fail,
        resize = if p.azure.steady {
            "steady"
        } else {
            "immediate"
        },
        availability = p.azure.availability,
        priority = p.azure.priority,
        side = p.azure.side_tasks,
        option = p.option,
        seed = p.seed,
        slots = p.slots,
        fill = p.fill,
        rate = p.rate,
        failure = p.failure,
        retries = p.retries,
    )
}

fn azure() -> impl Strategy<Value = Azure> {
    (
        0.0f64..0.3,
        0.0f64..=1.0,
        any::<bool>(),
        any::<bool>(),
        -1000i32..=1000,
        0.0f64..0.5,
        0u32..20,
    )
        .prop_map(
            |(start_fail, availability, steady, creation_time, priority, missing, side_tasks)| {
                Azure {
                    start_fail,
                    availability,
                    steady,
                    creation_time,
                    priority,
                    missing,
                    side_tasks,
                }
            },
        )
}

fn params() -> impl Strategy<Value = Params> {
    (
        (1u32..60, 1u32..4, 2u32..40, 0.0f64..0.3, 0u32..3),
        (
            0.0f64..2.0,
            prop::sample::select(vec![
                "requeue",
                "terminate",
                "taskcompletion",
                "retaineddata",
            ]),
            prop::sample::select(vec!["spread", "pack"]),
            any::<bool>(),
            0u64..(i64::MAX as u64),
        ),
        azure(),
    )
        .prop_map(
            |(
                (tasks, slots, max_minutes, failure, retries),
                (rate, option, fill, stages, seed),
                azure,
            )| {
                Params {
                    tasks,
                    slots,
                    max_minutes,
                    failure,
                    retries,
                    rate,
                    option,
                    fill,
                    stages,
                    seed,
                    azure,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn runs_keep_their_books(p in params()) {
        let text = scenario(&p);
        let loaded = LoadedScenario::parse("prop.toml", &text).unwrap();
        let formula = Formula::parse(loaded.scenario.formula.as_deref().unwrap()).unwrap();
        let r = simulate(&loaded, &formula, p.seed, None).unwrap();
        let total = u64::from(p.tasks) * if p.stages { 2 } else { 1 } + u64::from(p.azure.side_tasks);
        let t = r.tasks;
        // Conservation.
        prop_assert_eq!(t.submitted + t.not_arrived, total);
        prop_assert_eq!(t.submitted, t.succeeded + t.failed + t.queued + t.blocked + t.running);
        // Node counts and task counts stay consistent at every row.
        let (mut succeeded, mut failed) = (0, 0);
        for row in &r.rows {
            prop_assert!(row.preempted <= row.current_low_priority);
            let usable = u64::from(row.current_dedicated + row.current_low_priority - row.preempted);
            prop_assert!(row.running <= usable * u64::from(p.slots));
            prop_assert!(row.active + row.running <= total);
            if row.kind == RowKind::Sample {
                succeeded += row.succeeded;
                failed += row.failed;
            }
        }
        // Each finished task is counted in at most one sample.
        prop_assert!(succeeded <= t.succeeded);
        prop_assert!(failed <= t.failed);
        prop_assert!(r.node_hours[0] >= 0.0 && r.node_hours[1] >= 0.0);
        prop_assert!(r.busy_node_hours <= r.node_hours[0] + r.node_hours[1] + 1e-9);
        prop_assert!(r.waits.len() as u64 <= t.submitted);
        // Slot-hours in use fit in the billed slot-hours; boot time is billed
        // time; work lost was billed work.
        let billed = r.node_hours[0] + r.node_hours[1];
        prop_assert!(r.busy_slot_hours <= billed * f64::from(r.slots_per_node) + 1e-6);
        prop_assert!(r.startup_node_hours <= billed + 1e-6);
        prop_assert!(r.allocation_node_hours >= 0.0);
        let lost = r.lost_node_hours;
        prop_assert!(lost.preempted >= 0.0 && lost.requeued >= 0.0 && lost.terminated >= 0.0);
        prop_assert!(lost.preempted + lost.requeued + lost.terminated <= billed + 1e-6);
        // Preemption and requeue never fail a task: only failed attempts and
        // `terminate` do.
        if p.failure == 0.0 && p.option != "terminate" {
            prop_assert_eq!(t.failed, 0);
        }

        // Same seed, same bytes.
        let again = simulate(&loaded, &formula, p.seed, None).unwrap();
        prop_assert_eq!(r.timeline_csv(), again.timeline_csv());
        prop_assert_eq!(r.timeline_json(), again.timeline_json());
        prop_assert_eq!(r.summary(), again.summary());
    }
}
