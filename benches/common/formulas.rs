//! The docs' example formulas (formula-spec §8), read from `examples/formulas/`
//! where the tests and the README read them, so that a bench measures the very
//! text the docs show. E7b (a missing `;`, a syntax error) and E3
//! (placeholders) live in `tests/fixtures/docs-invalid/` and are left out.

/// Example 2 (E13): the task-based adjustment.
pub const EXAMPLE2: &str = include_str!("../../examples/formulas/e13-task-based.formula");

/// Example 2 rewritten into rhai's syntax, comments kept, for the peer row of
/// the parse bench: `? :` becomes `if ... { } else { }`, `$` is dropped and
/// user variables are declared with `let`.
pub const EXAMPLE2_RHAI: &str = r#"// Get pending tasks for the past 15 minutes.
let samples = PendingTasks.GetSamplePercent(TimeInterval_Minute * 15);
// If we have fewer than 70 percent data points, we use the last sample point,
// otherwise we use the maximum of last sample point and the history average.
let tasks = if samples < 70 { max(0,PendingTasks.GetSample(1)) } else { max( PendingTasks.GetSample(1), avg(PendingTasks.GetSample(TimeInterval_Minute * 15))) };
// If number of pending tasks is not 0, set targetVM to pending tasks, otherwise
// half of current dedicated.
let targetVMs = if tasks > 0 { tasks } else { max(0, TargetDedicatedNodes/2) };
// The pool size is capped at 20, if target VM value is more than that, set it
// to 20. This value should be adjusted according to your use case.
TargetDedicatedNodes = max(0, min(targetVMs, 20));
// Set node deallocation mode - let running tasks finish before removing a node
NodeDeallocationOption = taskcompletion;
"#;

/// Example 3 (E14): accounting for parallel tasks.
pub const EXAMPLE3: &str = include_str!("../../examples/formulas/e14-parallel-tasks.formula");

/// Every example formula, by its §8 label.
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "E1",
        include_str!("../../examples/formulas/e01-pending-tasks.formula"),
    ),
    (
        "E1c",
        include_str!("../../examples/formulas/e01c-data-factory.formula"),
    ),
    (
        "E2",
        include_str!("../../examples/formulas/e02-preempted-nodes.formula"),
    ),
    (
        "E4",
        include_str!("../../examples/formulas/e04-sample-expressions.formula"),
    ),
    (
        "E5",
        include_str!("../../examples/formulas/e05-sample-range.formula"),
    ),
    (
        "E6",
        include_str!("../../examples/formulas/e06-sample-range-percent.formula"),
    ),
    (
        "E7",
        include_str!("../../examples/formulas/e07-cpu.formula"),
    ),
    (
        "E7c",
        include_str!("../../examples/formulas/e07c-cpu-2017.formula"),
    ),
    (
        "E7d",
        include_str!("../../examples/formulas/e07d-cpu-2016.formula"),
    ),
    (
        "E8",
        include_str!("../../examples/formulas/e08-monday.formula"),
    ),
    (
        "E9",
        include_str!("../../examples/formulas/e09-python-working-hours.formula"),
    ),
    (
        "E10",
        include_str!("../../examples/formulas/e10-trivial.formula"),
    ),
    (
        "E11",
        include_str!("../../examples/formulas/e11-evaluate.formula"),
    ),
    (
        "E12",
        include_str!("../../examples/formulas/e12-time-based.formula"),
    ),
    (
        "E13",
        include_str!("../../examples/formulas/e13-task-based.formula"),
    ),
    (
        "E13b",
        include_str!("../../examples/formulas/e13b-task-based-2016.formula"),
    ),
    (
        "E14",
        include_str!("../../examples/formulas/e14-parallel-tasks.formula"),
    ),
    (
        "E15",
        include_str!("../../examples/formulas/e15-fixed-initial-size.formula"),
    ),
    (
        "E16",
        include_str!("../../examples/formulas/e16-legacy-rest.formula"),
    ),
    (
        "E17",
        include_str!("../../examples/formulas/e17-rest-evaluate.formula"),
    ),
    (
        "E18",
        include_str!("../../examples/formulas/e18-oldest.formula"),
    ),
    (
        "E19",
        include_str!("../../examples/formulas/e19-ga4gh-tes.formula"),
    ),
];

/// The real-world corpus, read from `tests/corpus/real-world.jsonl` where the
/// tests read it: (source, formula, valid).
pub fn corpus() -> Vec<(String, String, bool)> {
    include_str!("../../tests/corpus/real-world.jsonl")
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|v| {
            let source = v.get("source")?.as_str()?.to_string();
            let formula = v.get("formula")?.as_str()?.to_string();
            let valid = v.get("expect")?.as_str()? == "valid";
            Some((source, formula, valid))
        })
        .collect()
}

/// The largest real-world formula: batch-shipyard's 36 statements (corpus line 1).
pub fn shipyard() -> String {
    corpus()
        .into_iter()
        .next()
        .map(|(_, f, _)| f)
        .unwrap_or_default()
}
