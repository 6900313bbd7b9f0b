//! `batchscale explain` on the docs' Example 2 (E13, task-based) and Example 3
//! (E14, parallel tasks) against hand-made contexts: every value, window and
//! percentage below is worked out by hand in the comments.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::batchscale;

const EXAMPLE_2: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/formulas/e13-task-based.formula"
);
const EXAMPLE_3: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/formulas/e14-parallel-tasks.formula"
);

/// A context file in a fresh folder: now 12:00, a pool whose current
/// dedicated target is `target`, and `metric` sampled once a minute, the
/// newest sample at 11:59.
fn context(name: &str, target: f64, metric: &str, values: &[f64]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bs-explain-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let json = serde_json::json!({
        "now": "2025-04-24T12:00:00Z",
        "pool": { "targetDedicatedNodes": target, "targetLowPriorityNodes": 0 },
        "metrics": { metric: {
            "interval": "PT1M",
            "last": "2025-04-24T11:59:00Z",
            "values": values,
        }},
    });
    let path = dir.join("context.json");
    std::fs::write(&path, json.to_string()).unwrap();
    path
}

fn explain_json(context: &Path, formula: &str) -> (Option<i32>, Value) {
    let out = batchscale(
        &[
            "explain",
            "--format",
            "json",
            "--context",
            context.to_str().unwrap(),
            formula,
        ],
        "",
        &[],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    (
        out.status.code(),
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}")),
    )
}

fn why(report: &Value, statement: usize) -> &Vec<Value> {
    report["statements"][statement]["why"].as_array().unwrap()
}

fn value(report: &Value, statement: usize) -> &str {
    report["statements"][statement]["value"].as_str().unwrap()
}

#[test]
fn example_2_with_a_full_history_takes_the_larger_of_newest_and_average() {
    // 15 samples, 1 to 15, at 11:45 ... 11:59: the 15-minute window
    // [11:45, 12:00) holds all 15 of the 15 a 1-minute period gives: 100%.
    let values: Vec<f64> = (1..=15).map(f64::from).collect();
    let ctx = context("e2-full", 5.0, "$PendingTasks", &values);
    let (code, r) = explain_json(&ctx, EXAMPLE_2);
    assert_eq!(code, Some(0));
    // Five statements: $samples, $tasks, $targetVMs, the target, the option.
    assert_eq!(r["statements"].as_array().unwrap().len(), 5);

    // $samples = GetSamplePercent(15 min) = 15 / 15 = 100.
    assert_eq!(value(&r, 0), "100");
    let read = &why(&r, 0)[0];
    assert_eq!(read["kind"], "sample");
    assert_eq!(read["call"], "$PendingTasks.GetSamplePercent");
    assert_eq!(read["from"], "2025-04-24T11:45:00.000Z");
    assert_eq!(read["to"], "2025-04-24T12:00:00.000Z");
    assert_eq!(
        (read["found"].as_u64(), read["expected"].as_u64()),
        (Some(15), Some(15))
    );
    assert_eq!(read["percent"].as_f64(), Some(100.0));
    assert!(read["required"].is_null());

    // $tasks: `$samples < 70` is 100 < 70 = 0, so the else branch:
    // max(GetSample(1) = [15], avg(GetSample(15 min)) = (1 + ... + 15) / 15 = 8)
    // = 15, the first element.
    assert_eq!(value(&r, 1), "15");
    let w = why(&r, 1);
    assert_eq!(w[0]["kind"], "branch");
    assert_eq!(w[0]["condition"], "$samples < 70");
    assert_eq!(
        (w[0]["value"].as_f64(), w[0]["took"].as_str()),
        (Some(0.0), Some("else"))
    );
    // GetSample(1): the newest sample (11:59), 1 of the 1 asked for.
    assert_eq!(w[1]["call"], "$PendingTasks.GetSample");
    assert_eq!(w[1]["from"], "2025-04-24T11:59:00.000Z");
    assert_eq!(
        (w[1]["found"].as_u64(), w[1]["expected"].as_u64()),
        (Some(1), Some(1))
    );
    // GetSample(15 min) with the default 70% required: 15 of 15, 100%.
    assert_eq!(w[2]["from"], "2025-04-24T11:45:00.000Z");
    assert_eq!(
        (w[2]["found"].as_u64(), w[2]["percent"].as_f64()),
        (Some(15), Some(100.0))
    );
    assert_eq!(w[2]["required"].as_f64(), Some(70.0));
    assert_eq!(w[3]["kind"], "pick");
    assert_eq!(
        (w[3]["function"].as_str(), w[3]["argument"].as_u64()),
        (Some("max"), Some(1))
    );
    assert_eq!(w[3]["value"].as_f64(), Some(15.0));

    // $targetVMs: `$tasks > 0` is 1, the then branch: 15.
    assert_eq!(value(&r, 2), "15");
    assert_eq!(
        (
            why(&r, 2)[0]["value"].as_f64(),
            why(&r, 2)[0]["took"].as_str()
        ),
        (Some(1.0), Some("then"))
    );

    // $TargetDedicatedNodes = max(0, min(15, 20)): min picks its first
    // argument (15), then max its second (15).
    assert_eq!(value(&r, 3), "15");
    let w = why(&r, 3);
    assert_eq!(
        (w[0]["function"].as_str(), w[0]["argument"].as_u64()),
        (Some("min"), Some(1))
    );
    assert_eq!(
        (w[1]["function"].as_str(), w[1]["argument"].as_u64()),
        (Some("max"), Some(2))
    );

    assert_eq!(r["targets"]["dedicated"]["applied"].as_u64(), Some(15));
    assert_eq!(r["targets"]["dedicated"]["assigned"], true);
    assert_eq!(r["targets"]["low_priority"]["assigned"], false);
    assert_eq!(
        r["results"],
        "$TargetDedicatedNodes=15;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$samples=100;$targetVMs=15;$tasks=15"
    );
}

#[test]
fn example_2_with_a_short_history_halves_the_target_and_the_service_truncates_it() {
    // 6 samples of 0 at 11:54 ... 11:59: 6 of the window's 15, 40%.
    let ctx = context("e2-short", 5.0, "$PendingTasks", &[0.0; 6]);
    let (code, r) = explain_json(&ctx, EXAMPLE_2);
    assert_eq!(code, Some(0));
    let read = &why(&r, 0)[0];
    assert_eq!(
        (read["found"].as_u64(), read["expected"].as_u64()),
        (Some(6), Some(15))
    );
    assert_eq!(read["percent"].as_f64(), Some(40.0));
    assert_eq!(value(&r, 0), "40");
    // 40 < 70 is 1: the then branch, max(0, [0]) = 0, its first argument
    // (the first of equal values).
    let w = why(&r, 1);
    assert_eq!(
        (w[0]["value"].as_f64(), w[0]["took"].as_str()),
        (Some(1.0), Some("then"))
    );
    assert_eq!(w.last().unwrap()["argument"].as_u64(), Some(1));
    assert_eq!(value(&r, 1), "0");
    // `$tasks > 0` is 0: max(0, $TargetDedicatedNodes / 2) = max(0, 5 / 2)
    // = 2.5, the second argument.
    let w = why(&r, 2);
    assert_eq!(
        (w[0]["value"].as_f64(), w[0]["took"].as_str()),
        (Some(0.0), Some("else"))
    );
    assert_eq!(
        (w[1]["argument"].as_u64(), w[1]["value"].as_f64()),
        (Some(2), Some(2.5))
    );
    // max(0, min(2.5, 20)) = 2.5, applied as 2 (truncated toward zero), and
    // printed so in the results string; the user variable keeps 2.5.
    assert_eq!(value(&r, 3), "2.5");
    assert_eq!(r["targets"]["dedicated"]["value"].as_f64(), Some(2.5));
    assert_eq!(r["targets"]["dedicated"]["applied"].as_u64(), Some(2));
    assert_eq!(
        r["results"],
        "$TargetDedicatedNodes=2;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$samples=40;$targetVMs=2.5;$tasks=0"
    );
}

#[test]
fn example_3_grows_by_a_quarter_of_the_extra_tasks_up_to_three_nodes() {
    // 15 samples of 10 active tasks: 100%, $tasks = max(10, avg = 10) = 10.
    let ctx = context("e3", 1.0, "$ActiveTasks", &[10.0; 15]);
    let (code, r) = explain_json(&ctx, EXAMPLE_3);
    assert_eq!(code, Some(0));
    assert_eq!(value(&r, 0), "100");
    assert_eq!(why(&r, 0)[0]["call"], "$ActiveTasks.GetSamplePercent");
    assert_eq!(value(&r, 1), "10");
    // $cores = 1 × 4 = 4 (the pool's current target, 1, read before any
    // assignment); $extraVMs = ((10 − 4) + 3) / 4 = 2.25;
    // $targetVMs = 1 + 2.25 = 3.25.
    assert_eq!(value(&r, 2), "4");
    assert_eq!(value(&r, 3), "2.25");
    assert_eq!(value(&r, 4), "3.25");
    // max(0, min(3.25, 3)): min picks its second argument (3), max its second (3).
    let w = why(&r, 5);
    assert_eq!(
        (
            w[0]["function"].as_str(),
            w[0]["argument"].as_u64(),
            w[0]["value"].as_f64()
        ),
        (Some("min"), Some(2), Some(3.0))
    );
    assert_eq!(
        (w[1]["function"].as_str(), w[1]["argument"].as_u64()),
        (Some("max"), Some(2))
    );
    assert_eq!(value(&r, 6), "taskcompletion");
    assert_eq!(
        r["results"],
        "$TargetDedicatedNodes=3;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$cores=4;$extraVMs=2.25;$samples=100;$targetVMs=3.25;$tasks=10"
    );
}

#[test]
fn the_text_form_tells_the_same_story() {
    let ctx = context("e3-text", 1.0, "$ActiveTasks", &[10.0; 15]);
    let out = batchscale(
        &["explain", "--context", ctx.to_str().unwrap(), EXAMPLE_3],
        "",
        &[],
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for line in [
        "[1] line 3: $samples = $ActiveTasks.GetSamplePercent(TimeInterval_Minute * 15)",
        "    = 100",
        "    $ActiveTasks.GetSamplePercent read 2025-04-24T11:45:00.000Z to 2025-04-24T12:00:00.000Z: 15 of 15 samples (100%)",
        "    `$samples < 70` is 0: took the else branch",
        "    $ActiveTasks.GetSample read 2025-04-24T11:45:00.000Z to 2025-04-24T12:00:00.000Z: 15 of 15 samples (100%), meets the 70% required",
        "    min picked element 2 (3) in `min($targetVMs,3)`",
        "    $TargetDedicatedNodes = 3: 3 nodes",
        "    $TargetLowPriorityNodes = 0 (not assigned: the pool's current target): 0 nodes",
        "    $TargetDedicatedNodes=3;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$cores=4;$extraVMs=2.25;$samples=100;$targetVMs=3.25;$tasks=10",
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line:?} in\n{text}");
    }
}

#[test]
fn a_failed_window_names_the_percentage_it_missed() {
    // No CPU history: the service's 30-second period applies, so the
    // 10-minute window should hold 600 / 30 = 20 samples and holds 0 (0%),
    // short of the 70% asked; the evaluation fails at the call's argument list, whose
    // `(` is on line 2 after `$cpu = avg(` (11 characters), `$CPUPercent`
    // (11) and `.GetSample` (10): column 33. The results keep the pool's values.
    let ctx = context("fail", 4.0, "$PendingTasks", &[1.0]);
    let dir = ctx.parent().unwrap();
    let formula = dir.join("f.formula");
    std::fs::write(
        &formula,
        "$a = 1;\n$cpu = avg($CPUPercent.GetSample(TimeInterval_Minute * 10, 70));\n$TargetDedicatedNodes = 2;\n",
    )
    .unwrap();
    let (code, r) = explain_json(&ctx, formula.to_str().unwrap());
    assert_eq!(code, Some(1));
    assert_eq!(r["statements"][0]["status"], "ran");
    assert_eq!(r["statements"][1]["status"], "failed");
    assert_eq!(r["statements"][2]["status"], "not_run");
    let read = &why(&r, 1)[0];
    assert_eq!(
        (read["found"].as_u64(), read["expected"].as_u64()),
        (Some(0), Some(20))
    );
    assert_eq!(
        (read["percent"].as_f64(), read["required"].as_f64()),
        (Some(0.0), Some(70.0))
    );
    assert_eq!(r["error"]["code"], "InsufficientSampleData");
    assert_eq!(r["error"]["line"].as_u64(), Some(2));
    assert_eq!(r["error"]["column"].as_u64(), Some(33));
    assert!(r["targets"].is_null());
    assert_eq!(
        r["results"],
        "$TargetDedicatedNodes=4;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue"
    );
}

#[test]
fn explain_agrees_with_eval_on_the_results_string() {
    // The explanation runs the general path; eval may take the fast one.
    // Both must print the same results for the bundled contexts.
    for ctx in [
        "examples/contexts/busy-pool.json",
        "examples/contexts/new-pool.json",
    ] {
        let ctx = Path::new(env!("CARGO_MANIFEST_DIR")).join(ctx);
        for formula in [EXAMPLE_2, EXAMPLE_3] {
            let eval = batchscale(
                &["eval", "--context", ctx.to_str().unwrap(), formula],
                "",
                &[],
            );
            let (_, r) = explain_json(&ctx, formula);
            let shown = String::from_utf8(eval.stdout).unwrap();
            assert_eq!(
                r["results"].as_str().unwrap(),
                shown.trim_end(),
                "{formula}"
            );
        }
    }
}

#[test]
fn the_docs_example_runs_as_shown() {
    let page =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/explain.md")).unwrap();
    let after = page.split_once("## Example").unwrap().1;
    let shown = after
        .split_once("```console\n")
        .unwrap()
        .1
        .split_once("```")
        .unwrap()
        .0;
    let (command, output) = shown.split_once('\n').unwrap();
    let args: Vec<&str> = command
        .strip_prefix("$ batchscale ")
        .unwrap()
        .split(' ')
        .collect();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_batchscale"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(&args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), output);
    // The README shows the same command.
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(readme.contains(&format!("`{}`", command.strip_prefix("$ ").unwrap())));
}

#[test]
fn the_repl_explains_the_statements_so_far() {
    // Three samples 1, 2, 3 at 11:59:00, 11:59:30 and 12:00:00 (30 s apart,
    // the newest at now): GetSample(3) reads all three, max picks the third
    // (3); `$x > 2` is 1, so the target is 5.
    let script = ":now 2025-04-24T12:00:00Z\n:samples $PendingTasks 1 2 3\n$x = max($PendingTasks.GetSample(3));\n$TargetDedicatedNodes = $x > 2 ? 5 : 1;\n:explain\n";
    let out = batchscale(&["repl"], script, &[]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for line in [
        "[1] line 1: $x = max($PendingTasks.GetSample(3))",
        "    $PendingTasks.GetSample read 2025-04-24T11:59:00.000Z to 2025-04-24T12:00:00.000Z: 3 of 3 samples (100%)",
        "    max picked element 3 (3) in `max($PendingTasks.GetSample(3))`",
        "    `$x > 2` is 1: took the then branch",
        "    $TargetDedicatedNodes=5;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;$x=3",
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line:?} in\n{text}");
    }
}

#[test]
fn replay_writes_one_explanation_per_evaluation() {
    // Pending tasks 1 to 6 a minute apart from 00:00; evaluations every 3
    // minutes from 00:00 to 00:06 (the last sample, 00:05, plus the 60 s
    // delay), each seeing the samples recorded at or before now − 60 s:
    // none at 00:00, up to 00:02's (3) at 00:03, up to 00:05's (6) at 00:06.
    let dir = std::env::temp_dir().join(format!("bs-explain-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut csv = String::from("time,$PendingTasks\n");
    for minute in 0..6 {
        csv.push_str(&format!("2025-01-06T00:0{minute}:00Z,{}\n", minute + 1));
    }
    std::fs::write(dir.join("m.csv"), csv).unwrap();
    std::fs::write(
        dir.join("f.formula"),
        "$TargetDedicatedNodes = max(1, $PendingTasks.GetSample(1));\n",
    )
    .unwrap();
    let explained = dir.join("explain.jsonl");
    let out = batchscale(
        &[
            "replay",
            dir.join("f.formula").to_str().unwrap(),
            "--metrics",
            dir.join("m.csv").to_str().unwrap(),
            "--interval",
            "PT3M",
            "--explain",
            explained.to_str().unwrap(),
        ],
        "",
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = std::fs::read_to_string(&explained)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    // (time, samples found by GetSample(1), element max picked, its value)
    let expected = [
        ("2025-01-06T00:00:00.000Z", 0, 1, 1.0),
        ("2025-01-06T00:03:00.000Z", 1, 2, 3.0),
        ("2025-01-06T00:06:00.000Z", 1, 2, 6.0),
    ];
    for (line, (time, found, argument, picked)) in lines.iter().zip(expected) {
        assert_eq!(line["time"], time);
        let why = line["statements"][0]["why"].as_array().unwrap();
        assert_eq!(why[0]["found"].as_u64(), Some(found));
        assert_eq!(
            (why[1]["argument"].as_u64(), why[1]["value"].as_f64()),
            (Some(argument), Some(picked))
        );
    }
}
