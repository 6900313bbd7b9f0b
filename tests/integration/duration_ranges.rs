//! A duration written correctly but longer than 100 ns ticks can hold
//! (.NET's `TimeSpan.MaxValue` is 10675199.02:48:05.4775807, so `P10675200D`
//! is one day past it), or a time past the year 9999, is called out of range,
//! with the range, in every input that takes one; a text that is no duration
//! or time keeps its own message (issue 18).

use crate::common::{batchscale, scratch};

const RANGE: &str = "is out of range: a duration is at most 10675199.02:48:05.4775807";

#[test]
fn a_scenario_duration_past_the_range() {
    let text = "formula = \"\"\n[pool]\nstartup = { fixed = \"P10675200D\" }\n";
    let e = batchscale::sim::LoadedScenario::parse("bad.toml", text)
        .err()
        .unwrap()
        .to_string();
    assert!(
        e.starts_with("bad.toml:3:11: startup: `P10675200D` "),
        "{e}"
    );
    assert!(e.contains(RANGE), "{e}");
}

#[test]
fn a_context_series_interval_past_the_range() {
    let dir = scratch("duration-context");
    let ctx = dir.join("ctx.json");
    std::fs::write(
        &ctx,
        r#"{"now": "2025-01-06T00:00:00Z", "metrics": {"$PendingTasks":
            {"interval": "P10675200D", "last": "2025-01-06T00:00:00Z", "values": [1]}}}"#,
    )
    .unwrap();
    let out = batchscale(
        &["eval", "--context", ctx.to_str().unwrap(), "-"],
        "$TargetDedicatedNodes = 1;",
        &[],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(RANGE), "{err}");
    // Not a duration at all: the old message.
    std::fs::write(
        &ctx,
        r#"{"now": "2025-01-06T00:00:00Z", "metrics": {"$PendingTasks":
            {"interval": "thirty seconds", "last": "2025-01-06T00:00:00Z", "values": [1]}}}"#,
    )
    .unwrap();
    let out = batchscale(
        &["eval", "--context", ctx.to_str().unwrap(), "-"],
        "$TargetDedicatedNodes = 1;",
        &[],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`thirty seconds` is not a positive ISO 8601 duration"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_evaluation_interval_in_a_pool_file_past_the_range() {
    let dir = scratch("duration-pool");
    let pool = dir.join("pool.json");
    std::fs::write(
        &pool,
        r#"{"id": "p", "enableAutoScale": true,
            "autoScaleFormula": "$TargetDedicatedNodes = 1;",
            "autoScaleEvaluationInterval": "P10675200D"}"#,
    )
    .unwrap();
    let out = batchscale(&["check", pool.to_str().unwrap()], "", &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!("evaluation interval `P10675200D` {RANGE}")),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_replay_flag_past_the_range() {
    let dir = scratch("duration-replay");
    let csv = dir.join("metrics.csv");
    std::fs::write(&csv, "time,$PendingTasks\n2025-01-06T00:00:00Z,1\n").unwrap();
    let out = batchscale(
        &[
            "replay",
            "--metrics",
            csv.to_str().unwrap(),
            "--interval",
            "P10675200D",
            "examples/formulas/e10-trivial.formula",
        ],
        "",
        &[],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("--interval: `P10675200D` {RANGE}")),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_context_time_past_the_year_9999() {
    // RFC 3339 has four-digit years; the same text with one (9999) parses,
    // so a five-digit year is well formed and out of range.
    let dir = scratch("time-context");
    let ctx = dir.join("ctx.json");
    std::fs::write(&ctx, r#"{"now": "10000-01-01T00:00:00Z"}"#).unwrap();
    let out = batchscale(
        &["eval", "--context", ctx.to_str().unwrap(), "-"],
        "$TargetDedicatedNodes = 1;",
        &[],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("`10000-01-01T00:00:00Z` is out of range: times run from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.9999999Z"),
        "{err}"
    );
    let csv = dir.join("metrics.csv");
    std::fs::write(&csv, "time,$PendingTasks\n10000-01-01T00:00:00Z,1\n").unwrap();
    let out = batchscale(
        &["eval", "--metrics", csv.to_str().unwrap(), "-"],
        "$TargetDedicatedNodes = 1;",
        &[],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("`10000-01-01T00:00:00Z` is out of range"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
