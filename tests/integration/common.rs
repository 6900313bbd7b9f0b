//! What every area of the integration tests shares: the one-line formula DSL
//! (a formula against one fixed pool, its results or its error) and the runner
//! of the `batchscale` binary.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use batchscale::{EvalContext, Formula, Metric, Series, TimeInterval, Timestamp};

/// Monday 2025-01-06 10:30:00 UTC. Pool targets 2 dedicated / 1 low-priority,
/// 3 + 1 current nodes, 4 slots per node. `$PendingTasks` has 40 samples valued
/// 1..=40, one every 30 s, the newest (40) at 10:29:00 (one minute of delay), so
/// the sample at time t has value 40 - (10:29:00 - t) / 30 s. `$ActiveTasks` has none.
pub fn ctx() -> EvalContext {
    let now = ts("2025-01-06T10:30:00Z");
    let values: Vec<Option<f64>> = (1..=40).map(|v| Some(f64::from(v))).collect();
    EvalContext::builder(now)
        .target_dedicated_nodes(2.0)
        .target_low_priority_nodes(1.0)
        .current_dedicated_nodes(3.0)
        .current_low_priority_nodes(1.0)
        .task_slots_per_node(4.0)
        .metric(
            Metric::PendingTasks,
            Series::regular(
                TimeInterval::from_seconds(30),
                ts("2025-01-06T10:29:00Z"),
                &values,
            ),
        )
        .seed(7)
        .build()
}

/// A timestamp from RFC 3339 text.
pub fn ts(s: &str) -> Timestamp {
    Timestamp::parse_rfc3339(s).unwrap()
}

/// The results string of `ctx()` before any statement runs: the targets as
/// the pool has them and the default deallocation option.
pub const SYSTEM: &str =
    "$TargetDedicatedNodes=2;$TargetLowPriorityNodes=1;$NodeDeallocationOption=requeue";

/// The value of `x` after evaluating `x = <expr>`.
pub fn x(expr: &str) -> String {
    let formula = Formula::parse(&format!("x = {expr}")).unwrap();
    let run = formula.evaluate(&ctx());
    assert_eq!(run.error, None, "{expr}: {:?}", run.error);
    run.results
        .strip_prefix(SYSTEM)
        .and_then(|r| r.strip_prefix(";x="))
        .unwrap_or_else(|| panic!("{expr}: {}", run.results))
        .to_string()
}

/// The results string of a formula.
pub fn results(formula: &str) -> String {
    let run = Formula::parse(formula).unwrap().evaluate(&ctx());
    assert_eq!(run.error, None, "{formula}: {:?}", run.error);
    run.results
}

/// The `(code, Line L, Col C: message)` of a failed evaluation.
pub fn error(formula: &str) -> (String, String) {
    let run = Formula::parse(formula).unwrap().evaluate(&ctx());
    assert_eq!(
        run.results, SYSTEM,
        "a failed run reports the pre-evaluation values"
    );
    let e = run.error.unwrap_or_else(|| panic!("{formula}: no error"));
    (e.code, e.values[0].value.clone())
}

/// The message of a failed evaluation whose code is
/// `AutoScalingFormulaEvaluationError`.
pub fn eval_error(formula: &str) -> String {
    let (code, message) = error(formula);
    assert_eq!(code, "AutoScalingFormulaEvaluationError");
    message
}

/// Runs `batchscale ARGS` with `stdin` piped in and `envs` set.
pub fn batchscale(args: &[&str], stdin: &str, envs: &[(&str, &str)]) -> Output {
    batchscale_with(args, stdin, |command| {
        command.envs(envs.iter().copied());
    })
}

/// `batchscale check ARGS` run in `dir`, without colour.
pub fn check_in(dir: &Path, args: &[&str]) -> Output {
    let args: Vec<&str> = std::iter::once("check")
        .chain(args.iter().copied())
        .collect();
    batchscale_with(&args, "", |command| {
        command.current_dir(dir).env("NO_COLOR", "1");
    })
}

/// [`batchscale`] with any bytes as `stdin` and `setup` adjusting the command
/// first (a working folder, variables removed).
pub fn batchscale_with(
    args: &[&str],
    stdin: impl AsRef<[u8]>,
    setup: impl FnOnce(&mut Command),
) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_batchscale"));
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    setup(&mut cmd);
    let mut child = cmd.spawn().unwrap();
    let written = child.stdin.take().unwrap().write_all(stdin.as_ref());
    // A run that reads files rather than stdin may exit before taking it all.
    if let Err(e) = written {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

/// The simulator's timeline row of the sample taken at `ms` after the start.
pub fn sample_at(
    report: &batchscale::sim::report::Report,
    ms: i64,
) -> &batchscale::sim::report::Row {
    use batchscale::sim::report::RowKind;
    report
        .rows
        .iter()
        .find(|r| r.kind == RowKind::Sample && r.time == ms)
        .unwrap()
}

/// Asserts two figures worked out by hand agree to rounding.
pub fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

/// A fresh, empty folder for one test under the system's temporary folder;
/// `name` keeps tests apart, the process id keeps runs apart.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("batchscale-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
