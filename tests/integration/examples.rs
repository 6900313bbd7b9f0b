//! The documented example formulas (spec §8, E1–E19) shipped under `examples/`:
//! each parses, checks without error and evaluates on both bundled contexts;
//! the results below were worked out by hand from the contexts (see comments).

use std::path::{Path, PathBuf};

use batchscale::context::load_context_json;
use batchscale::{EvalContext, Formula, Severity, SyntaxErrorKind};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn context(name: &str) -> EvalContext {
    let path = root().join("examples/contexts").join(name);
    let bytes = std::fs::read(&path).unwrap();
    load_context_json(&path.display().to_string(), &bytes)
        .unwrap()
        .context
}

fn formula(name: &str) -> Formula {
    let text = std::fs::read_to_string(
        root()
            .join("examples/formulas")
            .join(format!("{name}.formula")),
    )
    .unwrap();
    Formula::parse(&text).unwrap()
}

fn formulas() -> Vec<PathBuf> {
    // The folder also holds each formula's `*.test.toml` (docs/test.md).
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("examples/formulas"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "formula"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_example_parses_checks_and_evaluates() {
    let contexts = [context("busy-pool.json"), context("new-pool.json")];
    let files = formulas();
    assert!(files.len() >= 20);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let formula = Formula::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let errors: Vec<_> = formula
            .diagnostics()
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        for ctx in &contexts {
            let run = formula.evaluate(ctx);
            assert!(
                run.results.starts_with("$TargetDedicatedNodes="),
                "{}",
                path.display()
            );
        }
    }
}

/// The busy pool: 240 samples every 30 s, the newest 45 s before `now`
/// (Thursday 2025-04-24 11:34:37.971Z). A 15-minute window then holds 29 of
/// 30 samples (96.6667%), a 10-minute window 19 of 20, 180 s 5 of 6 (83.3333%).
/// Constant values: $PendingTasks 12, $ActiveTasks 10, $RunningTasks 2,
/// $CPUPercent 0.8, $PreemptedNodeCount 3. Pool: target 1 dedicated, 10 current.
#[test]
fn results_on_the_busy_pool() {
    let ctx = context("busy-pool.json");
    let cases = [
        (
            "e01-pending-tasks",
            "$TargetDedicatedNodes=12;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;maxNumberofVMs=25;pendingTaskSamplePercent=83.3333;pendingTaskSamples=12;startingNumberOfVMs=1",
        ),
        // min(25, [3,3,3,3,3]) = 3 dedicated; 25 - 3 = 22 low-priority.
        (
            "e02-preempted-nodes",
            "$TargetDedicatedNodes=3;$TargetLowPriorityNodes=22;$NodeDeallocationOption=taskcompletion;maxNumberofVMs=25",
        ),
        (
            "e04-sample-expressions",
            "$TargetDedicatedNodes=1;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue",
        ),
        // [now-6m, now-1m) holds 10 samples, as in the docs' displayed result.
        (
            "e05-sample-range",
            "$TargetDedicatedNodes=1;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;$runningTasksSample=[2,2,2,2,2,2,2,2,2,2]",
        ),
        (
            "e06-sample-range-percent",
            "$TargetDedicatedNodes=1;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;$runningTasksSample=[2,2]",
        ),
        // min CPU 0.8 > 0.7: 10 * 1.1 = 11.
        (
            "e07-cpu",
            "$TargetDedicatedNodes=11;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;$totalDedicatedNodes=11",
        ),
        // A Thursday: not Monday.
        ("e08-monday", "$TargetDedicatedNodes=1;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue"),
        (
            "e12-time-based",
            "$TargetDedicatedNodes=20;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$curTime=2025-04-24T11:34:37.971Z;$isWeekday=1;$isWorkingWeekdayHour=1;$workHours=1",
        ),
        (
            "e13-task-based",
            "$TargetDedicatedNodes=12;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$samples=96.6667;$targetVMs=12;$tasks=12",
        ),
        // cores = 1 * 4; extra = ((10 - 4) + 3) / 4 = 2.25; 1 + 2.25 capped at 3.
        (
            "e14-parallel-tasks",
            "$TargetDedicatedNodes=3;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$cores=4;$extraVMs=2.25;$samples=96.6667;$targetVMs=3.25;$tasks=10",
        ),
        // Past start-up; the 60-minute windows are 119/120 present and not all 0: unchanged (4).
        (
            "e15-fixed-initial-size",
            "$TargetDedicatedNodes=4;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;lifespan=00:34:37.9710000;ratio=50;span=01:00:00;startup=00:10:00",
        ),
        // `$targetDedicatedNodes` (lower-case t) is a user variable: names are case-sensitive.
        (
            "e16-legacy-rest",
            "$TargetDedicatedNodes=1;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;$targetDedicatedNodes=10;totalNodes=10",
        ),
        ("e17-rest-evaluate", "$TargetDedicatedNodes=1;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue"),
        (
            "e18-oldest",
            "$TargetDedicatedNodes=10;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;$averageActiveTaskCount=10",
        ),
        // [now-90s, now) holds 2 of 3 samples (66.7% >= 10%): min = 12.
        (
            "e19-ga4gh-tes",
            "$TargetDedicatedNodes=12;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;lifespan=00:34:37.9710000;ratio=10;span=00:01:30;startup=00:02:00",
        ),
    ];
    for (name, expected) in cases {
        let run = formula(name).evaluate(&ctx);
        assert_eq!(run.error, None, "{name}");
        assert_eq!(run.results, expected, "{name}");
    }
}

#[test]
fn results_on_a_new_pool() {
    let ctx = context("new-pool.json");
    // Guarded by GetSamplePercent: no failure, GetSample(1) is empty, so 0.
    let run = formula("e13-task-based").evaluate(&ctx);
    assert_eq!(run.error, None);
    assert_eq!(
        run.results,
        "$TargetDedicatedNodes=0;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$samples=0;$targetVMs=0;$tasks=0"
    );
    // Unguarded windows fail as on the service (batch-shipyard #138).
    let run = formula("e04-sample-expressions").evaluate(&ctx);
    let error = run.error.unwrap();
    assert_eq!(error.code, "InsufficientSampleData");
    assert_eq!(
        error.values[0].value,
        "Line 1, Col 22: Insufficient data from data set: $CPUPercent wanted 70%, received 0%"
    );
}

#[test]
fn documented_formulas_that_are_invalid_stay_invalid() {
    let dir = root().join("tests/fixtures/docs-invalid");
    // E7b (11/2020 docs) lacks the `;` after its third statement.
    let text = std::fs::read_to_string(dir.join("e07b-cpu-missing-semicolon.formula")).unwrap();
    let err = Formula::parse(&text).unwrap_err();
    assert!(matches!(err.kind, SyntaxErrorKind::MissingSemicolon { .. }));
    assert_eq!(batchscale::span::line_col(&text, err.span.start).line, 8);
    // E3 is schematic: its placeholders are undefined symbols.
    let text = std::fs::read_to_string(dir.join("e03-schematic.formula")).unwrap();
    let formula = Formula::parse(&text).unwrap();
    let codes: Vec<_> = formula.diagnostics().iter().map(|d| d.code).collect();
    assert!(codes.contains(&"undefined-symbol"), "{codes:?}");
}

#[test]
fn every_example_formula_passes_check_without_error() {
    use batchscale::lint::{check_formula, CheckOptions};
    let mut paths = formulas();
    let scenarios = root().join("examples/scenarios");
    for entry in std::fs::read_dir(scenarios).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "formula") {
            paths.push(path);
        }
    }
    assert!(paths.len() > 25);
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let errors: Vec<_> = check_formula(&text, &CheckOptions::default())
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    }
}
