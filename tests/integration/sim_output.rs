//! What `simulate`, `replay` and `trace import` write: summary.json, `--seeds`
//! intervals, the replay timeline and the imported trace, each value worked
//! out by hand in a comment.

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_batchscale");

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("batchscale-out-{}-{name}", std::process::id()));
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

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Four nodes of 2 slots, eight 10-minute one-slot tasks, one hour; no
/// allocation delay or scheduling latency, so nodes are ready at 5 min.
const FOUR_NODES: &str = r#"formula = "$TargetDedicatedNodes = 4;"
duration = "PT1H"
stop_when_done = false
[pool]
task_slots_per_node = 2
allocation_delay = { fixed = "PT0S" }
startup = { fixed = "PT5M" }
dedicated_price = 1.5
[scheduling]
latency = { fixed = "PT0S" }
[[job]]
name = "frames"
tasks = 8
duration = { fixed = "PT10M" }
"#;

#[test]
fn summary_json_has_every_figure_worked_by_hand() {
    let dir = temp("summary");
    let scenario = dir.join("s.toml");
    std::fs::write(&scenario, FOUR_NODES).unwrap();
    let out = dir.join("out");
    let (code, _, stderr) = batchscale(&[
        "simulate",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let s = json(&out.join("summary.json"));
    // Eight slots ready at 5 min take all eight tasks at once: done at 15 min,
    // every wait 5 min.
    assert_eq!(s["tasks"]["submitted"], 8);
    assert_eq!(s["tasks"]["succeeded"], 8);
    assert_eq!(s["tasks"]["failed"], 0);
    assert_eq!(s["tasks"]["requeued"], 0);
    assert_eq!(s["jobs"][0]["name"], "frames");
    assert_eq!(s["jobs"][0]["completed_after_s"], 900.0);
    assert_eq!(s["jobs"][0]["wait_p95_s"], 300.0);
    assert_eq!(s["wait"]["p50_s"], 300.0);
    assert_eq!(s["wait"]["p95_s"], 300.0);
    assert_eq!(s["wait"]["max_s"], 300.0);
    assert_eq!(s["makespan_s"], 900.0);
    // 4 nodes for the hour: 4 node-hours at 1.5 = 6, 0.75 per task.
    assert_eq!(s["node_hours"]["total"], 4.0);
    assert_eq!(s["node_hours"]["lost"], 0.0);
    assert_eq!(s["cost"]["total"], 6.0);
    assert_eq!(s["cost"]["per_task"], 0.75);
    // Busy: 4 nodes x 10 min of 240 node-minutes; 8 slots x 10 min of 480
    // slot-minutes. Both 200/240 idle: every node ran two tasks at once.
    let node = s["idle"]["node_share"].as_f64().unwrap();
    let slot = s["idle"]["slot_share"].as_f64().unwrap();
    assert!((node - 200.0 / 240.0).abs() < 1e-9, "{node}");
    assert!((slot - 400.0 / 480.0).abs() < 1e-9, "{slot}");
    // Evaluations at 0, 15, 30, 45 and 60 min, none failed.
    assert_eq!(s["evaluations"], 5);
    assert_eq!(s["evaluation_errors"], 0);
    assert!(std::fs::read_to_string(out.join("summary.txt"))
        .unwrap()
        .contains("idle node-hours: 83.3%, idle slot-hours: 83.3%"));
}

#[test]
fn a_job_that_does_not_complete_has_null_completion_and_makespan() {
    let dir = temp("null");
    let scenario = dir.join("s.toml");
    std::fs::write(
        &scenario,
        FOUR_NODES.replace("$TargetDedicatedNodes = 4;", "$TargetDedicatedNodes = 0;"),
    )
    .unwrap();
    let out = dir.join("out");
    let (code, _, _) = batchscale(&[
        "simulate",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    let s = json(&out.join("summary.json"));
    assert!(s["jobs"][0]["completed_after_s"].is_null());
    assert!(s["makespan_s"].is_null());
    assert!(s["wait"]["p95_s"].is_null());
    assert!(s["cost"]["per_task"].is_null());
}

#[test]
fn seeds_report_intervals_in_seed_order_and_the_same_bytes() {
    let scenario = root().join("examples/scenarios/working-hours.toml");
    let scenario = scenario.to_str().unwrap();
    let (a, b) = (temp("seeds-a"), temp("seeds-b"));
    for dir in [&a, &b] {
        let (code, _, stderr) = batchscale(&[
            "simulate",
            scenario,
            "--seeds",
            "3",
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{stderr}");
    }
    for file in ["summary.json", "summary.txt", "seeds.csv"] {
        assert_eq!(
            std::fs::read(a.join(file)).unwrap(),
            std::fs::read(b.join(file)).unwrap(),
            "{file}"
        );
    }
    let s = json(&a.join("summary.json"));
    let csv = std::fs::read_to_string(a.join("seeds.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    let head: Vec<&str> = rows[0].split(',').collect();
    let column = head.iter().position(|h| *h == "wait.p95_s").unwrap();
    let values: Vec<f64> = rows[1..]
        .iter()
        .map(|r| r.split(',').nth(column).unwrap().parse().unwrap())
        .collect();
    // Seeds 0, 1, 2 in order, one row each.
    let seeds: Vec<&str> = rows[1..]
        .iter()
        .map(|r| r.split(',').next().unwrap())
        .collect();
    assert_eq!(seeds, ["0", "1", "2"]);
    // The interval from the three values: mean ± t(0.975, 2) · sd / √3, t = 4.303.
    let mean = values.iter().sum::<f64>() / 3.0;
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 2.0).sqrt();
    let half = 4.303 * sd / 3f64.sqrt();
    let p95 = &s["wait"]["p95_s"];
    assert!((p95["mean"].as_f64().unwrap() - mean).abs() < 1e-6);
    assert!((p95["sd"].as_f64().unwrap() - sd).abs() < 1e-6);
    assert!((p95["lo"].as_f64().unwrap() - (mean - half)).abs() < 1e-6);
    assert!((p95["hi"].as_f64().unwrap() - (mean + half)).abs() < 1e-6);
    assert_eq!(p95["n"], 3);
    assert_eq!(s["jobs"][0]["name"], "analyses");
}

#[test]
fn a_formula_compared_with_itself_is_within_the_noise() {
    let dir = root().join("examples/scenarios");
    let formula = dir.join("working-hours.formula");
    let (code, stdout, stderr) = batchscale(&[
        "simulate",
        dir.join("working-hours.toml").to_str().unwrap(),
        "--compare",
        formula.to_str().unwrap(),
        formula.to_str().unwrap(),
        "--seeds",
        "2",
    ]);
    assert_eq!(code, 0, "{stderr}");
    // Same formula, same seeds: every difference is 0 with an interval [0, 0].
    let line = stdout
        .lines()
        .find(|l| l.starts_with("cost.total "))
        .unwrap();
    assert!(
        line.ends_with("0.00 [0.00, 0.00], within the noise"),
        "{line}"
    );
}

#[test]
fn seeds_compare_a_failing_formula_figure_by_figure() {
    // A fails every evaluation (it has a first error, B has none): each
    // figure must still be set against the same figure of B.
    let dir = root().join("examples/scenarios");
    let out = temp("compare-errors");
    let (code, stdout, stderr) = batchscale(&[
        "simulate",
        "--compare",
        dir.join("cold-start.formula").to_str().unwrap(),
        dir.join("cold-start-guarded.formula").to_str().unwrap(),
        dir.join("cold-start.toml").to_str().unwrap(),
        "--seeds",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    // B runs all 400 tasks of at most 20 min on up to 20 nodes: at most
    // 20 waves of 20 min, well within the 12 hours, in both seeds.
    let line = stdout
        .lines()
        .find(|l| l.starts_with("tasks.succeeded "))
        .unwrap();
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        cells,
        [
            "tasks.succeeded",
            "0.00",
            "400.00",
            "400.00",
            "[400.00,",
            "400.00],",
            "B",
            "higher"
        ]
    );
    // One row per seed in A's seeds.csv, each as long as the header.
    let csv = std::fs::read_to_string(out.join("a/seeds.csv")).unwrap();
    let widths: Vec<usize> = csv.lines().map(|l| l.split(',').count()).collect();
    assert_eq!(widths.len(), 3, "{csv}");
    assert!(widths.iter().all(|&w| w == widths[0]), "{csv}");
}

fn replay_files(dir: &Path) -> (PathBuf, PathBuf) {
    // Pending tasks 1 to 10, one sample a minute from 00:00 to 00:09.
    let mut csv = String::from("time,$PendingTasks\n");
    for m in 0..10 {
        csv.push_str(&format!("2025-01-06T00:{m:02}:00Z,{}\n", m + 1));
    }
    let metrics = dir.join("metrics.csv");
    std::fs::write(&metrics, csv).unwrap();
    let formula = dir.join("f.formula");
    std::fs::write(
        &formula,
        "$TargetDedicatedNodes = avg($PendingTasks.GetSample(TimeInterval_Minute * 3, 70));\n\
         $TargetLowPriorityNodes = $TargetLowPriorityNodes + 1;\n",
    )
    .unwrap();
    (metrics, formula)
}

#[test]
fn replay_targets_worked_by_hand() {
    let dir = temp("replay");
    let (metrics, formula) = replay_files(&dir);
    let out = dir.join("out");
    let (code, stdout, stderr) = batchscale(&[
        "replay",
        formula.to_str().unwrap(),
        "--metrics",
        metrics.to_str().unwrap(),
        "--interval",
        "PT5M",
        "--start",
        "2025-01-06T00:05:00Z",
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    // Evaluations at 00:05 and 00:10 (the default end: the last sample, 00:09,
    // plus the 60 s delay). At 00:05 the window [00:02, 00:05) holds the
    // samples of 00:02, 00:03, 00:04 (3, 4, 5), all visible by 00:04: avg 4.
    // At 00:10, [00:07, 00:10): 8, 9, 10, avg 9. The low-priority target
    // carries over from the previous evaluation: 0 + 1, then 1 + 1.
    assert_eq!(
        stdout,
        "time,results,target_dedicated,target_low_priority,error\n\
         2025-01-06T00:05:00.000Z,$TargetDedicatedNodes=4;$TargetLowPriorityNodes=1;$NodeDeallocationOption=requeue,4,1,\n\
         2025-01-06T00:10:00.000Z,$TargetDedicatedNodes=9;$TargetLowPriorityNodes=2;$NodeDeallocationOption=requeue,9,2,\n"
    );
    for file in ["summary.txt", "timeline.csv", "timeline.json", "chart.svg"] {
        assert!(out.join(file).exists(), "{file}");
    }
    assert_eq!(
        std::fs::read_to_string(out.join("timeline.csv")).unwrap(),
        stdout
    );
}

#[test]
fn replay_sees_only_propagated_samples_and_exits_1_on_a_failure() {
    let dir = temp("replay-delay");
    let (metrics, formula) = replay_files(&dir);
    let (code, stdout, _) = batchscale(&[
        "replay",
        formula.to_str().unwrap(),
        "--metrics",
        metrics.to_str().unwrap(),
        "--interval",
        "PT5M",
        "--delay",
        "PT2M",
        "--format",
        "csv",
    ]);
    // Evaluations at 00:00, 00:05 and 00:10 (the default start is the first
    // sample; the end is 00:09 + 2 min = 00:11). At 00:00 no sample is
    // visible: 0% of 3 < 70%. At 00:05 only samples to 00:03 are visible:
    // 2 of 3 (66%) < 70%: fails, the targets stay. At 00:10, samples to
    // 00:08: [00:07, 00:10) has 00:07 and 00:08, 66% again.
    assert_eq!(code, 1);
    let rows: Vec<&str> = stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 3);
    for row in &rows {
        assert!(row.contains(",0,0,\"InsufficientSampleData: "), "{row}");
    }
    assert!(rows[1].contains("wanted 70%, received 66%"), "{}", rows[1]);
}

#[test]
fn trace_import_builds_the_csv_from_the_example_logs() {
    let dir = root().join("examples/traces");
    let out = temp("trace").join("tasks.csv");
    let (code, _, stderr) = batchscale(&[
        "trace",
        "import",
        dir.join("service-log-2025-01-06.jsonl").to_str().unwrap(),
        dir.join("service-log-2025-01-07.jsonl").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    // frame-1: one attempt 08:00:05-08:10:05 = 600 s.
    // frame-2: failed 08:00:07-08:03:07 (exit 1), retried 08:03:10-08:09:40.5:
    //   submitted at its first start, the last attempt's 390.5 s and exit 0.
    // frame-3: started 08:01 and requeued (no end), ran again 08:30-08:45 = 900 s.
    // frame-4: 09:00-09:20 = 1200 s, exit 2 (fail and complete events agree).
    // sample-a: start event 10:00:00.000, attempt 10:00:00.250-11:30:00.250 =
    //   5400 s on 4 slots; sample-b never finished and is left out.
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "submit,duration,slots,job,exit_code\n\
         2025-01-06T08:00:05.000Z,600,1,render,0\n\
         2025-01-06T08:00:07.000Z,390.5,1,render,0\n\
         2025-01-06T08:01:00.000Z,900,1,render,0\n\
         2025-01-06T09:00:00.000Z,1200,1,render,2\n\
         2025-01-07T10:00:00.000Z,5400,4,align,0\n"
    );
    assert!(
        stderr.contains("5 tasks; 1 started and never finished"),
        "{stderr}"
    );
}

#[test]
fn trace_import_errors_name_the_file_line_and_field() {
    let dir = temp("trace-bad");
    let log = dir.join("bad.jsonl");
    std::fs::write(
        &log,
        "\n{\"time\":\"2025-01-06T08:00:00Z\",\"operationName\":\"TaskCompleteEvent\",\"properties\":{\"jobId\":\"j\",\"id\":\"t\",\"executionInfo\":{\"startTime\":\"2025-01-06T08:00:00Z\",\"endTime\":\"yesterday\",\"exitCode\":0}}}\n",
    )
    .unwrap();
    let (code, _, stderr) = batchscale(&["trace", "import", log.to_str().unwrap(), "-o", "-"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("bad.jsonl:2: endTime: `yesterday` is not an RFC 3339 time"),
        "{stderr}"
    );
    std::fs::write(&log, "not json\n").unwrap();
    let (code, _, stderr) = batchscale(&["trace", "import", log.to_str().unwrap(), "-o", "-"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("bad.jsonl:1: not a JSON record"),
        "{stderr}"
    );
}

/// The fenced blocks of a docs file tagged `lang`, in order.
fn blocks(doc: &str, lang: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join("docs").join(doc)).unwrap();
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(tag)) if tag.trim() == lang => current = Some(String::new()),
            (Some(block), Some("")) => {
                out.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            _ => {}
        }
    }
    out
}

#[test]
fn the_simulate_output_doc_example_runs() {
    let dir = temp("doc-simulate");
    let scenario = dir.join("four-nodes.toml");
    std::fs::write(&scenario, &blocks("simulate-output.md", "toml")[0]).unwrap();
    let (code, stdout, stderr) =
        batchscale(&["simulate", scenario.to_str().unwrap(), "--no-chart"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, blocks("simulate-output.md", "text")[0]);
}

#[test]
fn the_replay_doc_example_runs() {
    let dir = temp("doc-replay");
    std::fs::write(dir.join("metrics.csv"), &blocks("replay.md", "csv")[0]).unwrap();
    std::fs::write(
        dir.join("three-minutes.formula"),
        &blocks("replay.md", "formula")[0],
    )
    .unwrap();
    let console = &blocks("replay.md", "console")[1];
    let (command, expected) = console.split_once('\n').unwrap();
    let args: Vec<&str> = command
        .strip_prefix("$ batchscale ")
        .unwrap()
        .split_whitespace()
        .collect();
    let out = Command::new(BIN)
        .args(&args)
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
}

#[test]
fn charts_show_the_clock_of_the_start_failed_evaluations_and_no_folders() {
    let dir = temp("chart");
    let scenario = dir.join("s.toml");
    // Starts at 09:00 in UTC+01:00; every evaluation fails (an undefined name).
    std::fs::write(
        &scenario,
        "formula = \"$TargetDedicatedNodes = nodes;\"\nstart = \"2025-01-06T09:00:00+01:00\"\nduration = \"PT2H\"\nstop_when_done = false\n[[job]]\ntasks = 1\nduration = { fixed = \"PT1M\" }\n",
    )
    .unwrap();
    let out = dir.join("out");
    let (code, _, _) = batchscale(&[
        "simulate",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    let svg = std::fs::read_to_string(out.join("chart.svg")).unwrap();
    assert!(svg.contains("time (UTC+01:00)"));
    // Two hours from 09:00 local: ticks every 15 minutes, the first Monday 09:00.
    assert!(svg.contains("\nMon 09:00\n") && svg.contains("\nMon 11:00\n"));
    // Evaluations at 0, 15, ..., 120 minutes: 9, all failed, in the legend.
    assert!(svg.contains("\nfailed evaluation (9)\n"));
    // The title names the scenario, not the folder it is in.
    assert!(svg.contains("\ns — s.toml (formula)\n"));
    assert!(!svg.contains(dir.to_str().unwrap()));
}
