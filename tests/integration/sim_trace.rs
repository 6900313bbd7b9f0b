//! A workload from real history end to end: `batchscale trace import` on the
//! example service logs, then `simulate` of a scenario whose `[[job]] trace`
//! is the imported CSV. Every figure is worked by hand from the log lines.

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_batchscale");

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("batchscale-trace-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn batchscale(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `examples/traces/*.jsonl`, in the order a shell glob expands it.
fn example_logs() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/traces");
    let mut logs: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .map(|p| p.to_str().unwrap().to_string())
        .collect();
    logs.sort();
    logs
}

/// Imports the example logs into `dir/tasks.csv`, writes a scenario beside it
/// that replays them on one dedicated 4-slot node (no boot, no scheduling
/// latency, the given allocation delay), simulates it with `--out dir/out`,
/// and returns `summary.json` and `timeline.csv`.
fn import_and_simulate(dir: &Path, allocation_delay: &str) -> (serde_json::Value, String) {
    let csv = dir.join("tasks.csv");
    let mut args = vec!["trace", "import"];
    let logs = example_logs();
    args.extend(logs.iter().map(String::as_str));
    args.extend(["-o", csv.to_str().unwrap()]);
    let (code, _, stderr) = batchscale(&args);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("5 tasks; 1 started"), "{stderr}");
    let scenario = dir.join("replayed.toml");
    std::fs::write(
        &scenario,
        format!(
            r#"formula = "$TargetDedicatedNodes = 1;"
start = "2025-01-06T08:00:00Z"
duration = "PT28H"
stop_when_done = false
[pool]
task_slots_per_node = 4
allocation_delay = {{ fixed = "{allocation_delay}" }}
startup = {{ fixed = "PT0S" }}
dedicated_price = 1.0
[scheduling]
latency = {{ fixed = "PT0S" }}
[metrics]
sample_period = "PT5S"
[[job]]
trace = "tasks.csv"
"#
        ),
    )
    .unwrap();
    let out = dir.join("out");
    let (code, _, stderr) = batchscale(&[
        "simulate",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
    let timeline = std::fs::read_to_string(out.join("timeline.csv")).unwrap();
    (serde_json::from_str(&summary).unwrap(), timeline)
}

/// The first sample (every 5 s) whose running count is above 0.
fn first_running_sample(timeline: &str) -> String {
    let mut lines = timeline.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (time, kind, running) = (at("time"), at("event"), at("running_tasks"));
    lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|row| row[kind] == "sample" && row[running] != "0")
        .map(|row| row[time].to_string())
        .unwrap()
}

fn assert_close(value: &serde_json::Value, expected: f64) {
    let v = value.as_f64().unwrap();
    assert!((v - expected).abs() < 1e-9, "{v} != {expected}");
}

// The five imported rows (worked in sim_output.rs from the log lines):
//   render frame-1   submit 08:00:05 day 1,  600   s, 1 slot, exit 0
//   render frame-2   submit 08:00:07 day 1,  390.5 s, 1 slot, exit 0
//   render frame-3   submit 08:01:00 day 1,  900   s, 1 slot, exit 0
//   render frame-4   submit 09:00:00 day 1, 1200   s, 1 slot, exit 2
//   align  sample-a  submit 10:00:00 day 2, 5400   s, 4 slots, exit 0
// The scenario starts at 08:00:00 on day 1 and lasts 28 h (100,800 s).

#[test]
fn an_imported_trace_runs_on_a_fixed_pool_as_logged() {
    let dir = temp("fixed");
    let (s, timeline) = import_and_simulate(&dir, "PT0S");
    // Five tasks; frame-4's exit code 2 fails it (no retries by default).
    assert_eq!(s["tasks"]["submitted"], 5);
    assert_eq!(s["tasks"]["succeeded"], 4);
    assert_eq!(s["tasks"]["failed"], 1);
    assert_eq!(s["tasks"]["requeued"], 0);
    // One job per `job` value, in order of first appearance.
    assert_eq!(s["jobs"][0]["name"], "render");
    assert_eq!(s["jobs"][0]["tasks"], 4);
    assert_eq!(s["jobs"][1]["name"], "align");
    assert_eq!(s["jobs"][1]["tasks"], 1);
    // The node is ready at 08:00:00, so every task starts when the log says
    // it did: the first at 08:00:05, the first 5-second sample that sees it.
    assert_eq!(first_running_sample(&timeline), "2025-01-06T08:00:05.000Z");
    assert_eq!(s["wait"]["max_s"], 0.0);
    // render ends with frame-4 at 09:20:00 = 4,800 s after the start;
    // align at 10:00 + 1 h 30 on day 2 = 24 h + 3 h 30 = 99,000 s.
    assert_eq!(s["jobs"][0]["completed_after_s"], 4800.0);
    assert_eq!(s["jobs"][1]["completed_after_s"], 99000.0);
    assert_eq!(s["makespan_s"], 99000.0);
    // One node billed for the 28 h at 1.0; 4 tasks succeeded: 7 per task.
    assert_close(&s["node_hours"]["total"], 28.0);
    assert_close(&s["cost"]["total"], 28.0);
    assert_close(&s["cost"]["per_task"], 7.0);
    // The durations: slot-seconds busy 600 + 390.5 + 900 + 1200 + 4 x 5400
    // = 24,690.5 of 4 x 100,800 = 403,200.
    assert_close(&s["idle"]["slot_share"], 1.0 - 24_690.5 / 403_200.0);
    // The node is busy 08:00:05-08:16:00 (frame-3 ends at 08:01 + 900 s),
    // 09:00-09:20 and 10:00-11:30 on day 2: 955 + 1,200 + 5,400 = 7,555 s.
    assert_close(&s["idle"]["node_share"], 1.0 - 7_555.0 / 100_800.0);
}

#[test]
fn an_imported_trace_waits_for_a_node_that_is_not_there_yet() {
    let dir = temp("late");
    let (s, timeline) = import_and_simulate(&dir, "PT2M");
    // The node is created at 08:02:00 (allocation, not billed; no boot):
    // frame-1 waits 115 s, frame-2 113 s and frame-3 60 s; later tasks 0.
    // Sorted waits 0, 0, 60, 113, 115: nearest-rank p50 is the 3rd (60),
    // p95 the 5th (115).
    assert_eq!(first_running_sample(&timeline), "2025-01-06T08:02:00.000Z");
    assert_eq!(s["wait"]["p50_s"], 60.0);
    assert_eq!(s["wait"]["p95_s"], 115.0);
    assert_eq!(s["wait"]["max_s"], 115.0);
    assert_eq!(s["jobs"][0]["wait_p95_s"], 115.0);
    assert_eq!(s["jobs"][1]["wait_p95_s"], 0.0);
    // frame-3 now ends at 08:02 + 900 s = 08:17:00, still before frame-4;
    // render completes at 09:20:00 as logged, align at 99,000 s.
    assert_eq!(s["jobs"][0]["completed_after_s"], 4800.0);
    assert_eq!(s["makespan_s"], 99000.0);
    // Billed from 08:02: 28 h - 2 min.
    assert_close(&s["node_hours"]["total"], 28.0 - 2.0 / 60.0);
}
