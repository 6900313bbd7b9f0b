//! `batchscale eval` as users run it: the README's command, exit codes, and
//! bad input files reported with file, line and field.

use std::process::{Command, Output};

fn batchscale(args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_batchscale"));
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn the_readme_command_prints_the_results_string() {
    let out = batchscale(
        &[
            "eval",
            "--context",
            "examples/contexts/busy-pool.json",
            "examples/formulas/e13-task-based.formula",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        "$TargetDedicatedNodes=12;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$samples=96.6667;$targetVMs=12;$tasks=12\n"
    );
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(readme.contains(text(&out.stdout).trim()));
}

#[test]
fn evaluation_errors_exit_1_with_a_caret_on_stderr() {
    let out = batchscale(
        &["eval", "--now", "2025-01-01T00:00:00Z", "-"],
        Some("x = 1;\ny = nope + 1"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "$TargetDedicatedNodes=0;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue\n"
    );
    let err = text(&out.stderr);
    assert!(
        err.contains("error[AutoScalingFormulaEvaluationError]: Undefined symbol: nope"),
        "{err}"
    );
    assert!(err.contains("--> <stdin>:2:5"), "{err}");
    assert!(err.contains("^^^^"), "{err}");
}

#[test]
fn syntax_errors_give_a_run_with_the_syntax_error_code() {
    let out = batchscale(
        &[
            "eval",
            "--now",
            "2025-01-01T00:00:00Z",
            "--format",
            "json",
            "-",
        ],
        Some("$a = (1 +"),
    );
    assert_eq!(out.status.code(), Some(1));
    let run: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(run["error"]["code"], "AutoScalingFormulaSyntaxError");
    assert_eq!(
        run["error"]["values"][0]["value"],
        "Line 1, Col 10: expected an expression, found end of formula"
    );
}

#[test]
fn bad_context_files_exit_2_naming_file_line_and_column() {
    let dir = std::env::temp_dir().join(format!("batchscale-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ctx = dir.join("ctx.json");
    // serde_json reports the column just past the offending value.
    std::fs::write(&ctx, "{\n  \"pool\": {\"currentDedicatedNodes\": -1}\n}").unwrap();
    let out = batchscale(
        &["eval", "--context", ctx.to_str().unwrap(), "-"],
        Some("x = 1"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: {}:2:39: `-1` is not a count (a number >= 0)\n",
            ctx.display()
        )
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_formula_file_is_a_usage_error() {
    let out = batchscale(&["eval", "no/such/file.formula"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("error: no/such/file.formula: cannot read:"));
}

#[test]
fn metrics_csv_feeds_the_samples() {
    let dir = std::env::temp_dir().join(format!("batchscale-csv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("m.csv");
    std::fs::write(
        &csv,
        "time,PendingTasks\n2025-01-01T00:00:00Z,3\n2025-01-01T00:00:30Z,5\n",
    )
    .unwrap();
    let out = batchscale(
        &[
            "eval",
            "--metrics",
            csv.to_str().unwrap(),
            "--now",
            "2025-01-01T00:01:00Z",
            "-",
        ],
        Some("$TargetDedicatedNodes = max($PendingTasks.GetSample(TimeInterval_Minute))"),
    );
    assert_eq!(
        text(&out.stdout),
        "$TargetDedicatedNodes=5;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue\n"
    );
    assert_eq!(out.status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}
