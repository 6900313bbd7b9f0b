//! `batchscale tune` on a scenario whose optimum is worked out by hand: a
//! node cap against a wait limit.
//!
//! examples/scenarios/node-cap.toml: the pool holds `min($maxNodes, 8)` dedicated nodes from the first
//! evaluation (at 0). Allocation takes 3 minutes (not billed), start-up 2
//! (billed), so the nodes run tasks from minute 5. One job of 8 tasks of 10
//! minutes each is queued at 0; one slot per node, no scheduling latency.
//! With k nodes the tasks run in ⌈8 / k⌉ waves, and the last wave starts at
//! 5 + 10 (⌈8 / k⌉ − 1) minutes: the longest wait, which is also the p95 of
//! 8 waits (nearest rank ⌈0.95 × 8⌉ = 8th). The run lasts 2 hours and every
//! node is billed from minute 3 to minute 120: k × 117 / 60 node-hours, at a
//! price of 1 per node-hour.
//!
//! | k | waves | wait.p95_s        | cost.total       |
//! |---|-------|-------------------|------------------|
//! | 1 | 8     | (5 + 70) × 60 = 4500 | 1.95          |
//! | 2 | 4     | (5 + 30) × 60 = 2100 | 3.9           |
//! | 3 | 3     | (5 + 20) × 60 = 1500 | 5.85          |
//! | 4 | 2     | (5 + 10) × 60 =  900 | 7.8           |
//!
//! Under `wait.p95_s <= 1500` the cheapest feasible cap is 3; the next
//! cheaper point, 2, waits 2100 s.

use std::path::{Path, PathBuf};

use crate::common::{batchscale, close};

/// The bundled scenario (docs/tune.md runs the same command on it).
const SCENARIO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/scenarios/node-cap.toml"
);

fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bs-tune-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(SCENARIO, dir.join("cap.toml")).unwrap();
    dir
}

fn tune(dir: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let scenario = dir.join("cap.toml");
    let out_dir = dir.join("out");
    let mut args = vec![
        "tune",
        scenario.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let out = batchscale(&args, "", &[]);
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `simulate --seeds`-free: the summary.json of one run of `formula`.
fn simulate(dir: &Path, formula: &Path) -> serde_json::Value {
    let out_dir = dir.join(format!(
        "sim-{}",
        formula.file_stem().unwrap().to_string_lossy()
    ));
    let out = batchscale(
        &[
            "simulate",
            dir.join("cap.toml").to_str().unwrap(),
            "--formula",
            formula.to_str().unwrap(),
            "--no-chart",
            "--out",
            out_dir.to_str().unwrap(),
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
    serde_json::from_str(&std::fs::read_to_string(out_dir.join("summary.json")).unwrap()).unwrap()
}

#[test]
fn the_cheapest_cap_that_meets_the_wait_limit_is_chosen() {
    let dir = folder("best");
    let (code, stdout, stderr) = tune(
        &dir,
        &[
            "--vary",
            "$maxNodes=1..8:1",
            "--minimize",
            "cost.total",
            "--subject-to",
            "wait.p95_s <= 1500",
            "--jobs",
            "2",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("best: $maxNodes = 3"), "{stdout}");

    // best.formula, simulated again, meets the bound: 1500 s and a cost of 5.85.
    let best = dir.join("out/best.formula");
    let text = std::fs::read_to_string(&best).unwrap();
    assert!(text.contains("$maxNodes = 3;"), "{text}");
    let summary = simulate(&dir, &best);
    close(summary["wait"]["p95_s"].as_f64().unwrap(), 1500.0);
    close(
        summary["cost"]["total"].as_f64().unwrap(),
        3.0 * 117.0 / 60.0,
    );

    // The next cheaper grid point, 2 nodes, does not: 2100 s.
    let cheaper = dir.join("cheaper.formula");
    std::fs::write(&cheaper, text.replace("$maxNodes = 3;", "$maxNodes = 2;")).unwrap();
    let summary = simulate(&dir, &cheaper);
    close(summary["wait"]["p95_s"].as_f64().unwrap(), 2100.0);
    close(
        summary["cost"]["total"].as_f64().unwrap(),
        2.0 * 117.0 / 60.0,
    );

    // points.csv: one row per cap, each with its hand-worked figures.
    let points = std::fs::read_to_string(dir.join("out/points.csv")).unwrap();
    let mut lines = points.lines();
    assert_eq!(
        lines.next(),
        Some("$maxNodes,cost.total,wait.p95_s,feasible")
    );
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 8);
    for (k, row) in (1..=8).zip(&rows) {
        let waves = (8 + k - 1) / k;
        let wait = (5 + 10 * (waves - 1)) * 60;
        assert_eq!(row[0], k.to_string());
        close(row[1].parse().unwrap(), f64::from(k) * 117.0 / 60.0);
        close(row[2].parse().unwrap(), f64::from(wait));
        assert_eq!(row[3], (wait <= 1500).to_string());
    }

    // The front of cost against wait: each point is cheaper than every point
    // that waits less. Waits: 8 → 300, 4..7 → 900 (4 cheapest), 3 → 1500,
    // 2 → 2100, 1 → 4500: the front is 8, 4, 3, 2, 1.
    let pareto = std::fs::read_to_string(dir.join("out/pareto.csv")).unwrap();
    let caps: Vec<&str> = pareto
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(caps, ["8", "4", "3", "2", "1"]);
    let svg = std::fs::read_to_string(dir.join("out/pareto.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("wait.p95_s"));
}

#[test]
fn several_seeds_give_intervals_and_the_same_choice() {
    // The scenario has no randomness (fixed durations), so every seed gives
    // the same figures: the interval is the mean itself.
    let dir = folder("seeds");
    let (code, stdout, stderr) = tune(
        &dir,
        &[
            "--vary",
            "$maxNodes=2..4:1",
            "--minimize",
            "cost.total",
            "--subject-to",
            "wait.p95_s<=1500",
            "--seeds",
            "3",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("3 points × 3 seed(s)"), "{stdout}");
    let text = std::fs::read_to_string(dir.join("out/best.formula")).unwrap();
    assert!(
        text.contains(
            "// wait.p95_s = 1500 (95% interval 1500 to 1500) (bound: wait.p95_s <= 1500)"
        ),
        "{text}"
    );
    let points = std::fs::read_to_string(dir.join("out/points.csv")).unwrap();
    assert!(
        points.starts_with("$maxNodes,cost.total,cost.total lo95,cost.total hi95,"),
        "{points}"
    );
}

#[test]
fn an_impossible_bound_is_said_plainly() {
    // Even 8 nodes wait 5 minutes (300 s) for their start-up: no cap meets 60 s.
    let dir = folder("none");
    std::fs::create_dir_all(dir.join("out")).unwrap();
    std::fs::write(dir.join("out/best.formula"), "stale").unwrap();
    let (code, stdout, _) = tune(
        &dir,
        &[
            "--vary",
            "$maxNodes=1..8:1",
            "--minimize",
            "cost.total",
            "--subject-to",
            "wait.p95_s <= 60",
        ],
    );
    assert_eq!(code, Some(1));
    assert!(stdout.contains("no point is feasible"), "{stdout}");
    assert!(
        stdout.contains("wait.p95_s <= 60: the best reached is 300 at $maxNodes = 8"),
        "{stdout}"
    );
    assert!(!dir.join("out/best.formula").exists());
    assert!(dir.join("out/points.csv").exists());
}

#[test]
fn bad_arguments_get_clear_errors() {
    let dir = folder("errors");
    for (extra, says) in [
        (
            &["--vary", "$nope=1..2:1", "--minimize", "cost.total"][..],
            "the formula assigns no `$nope`",
        ),
        (
            &["--vary", "maxNodes=1..2:1", "--minimize", "cost.total"][..],
            "did you mean `$maxNodes`?",
        ),
        (
            &[
                "--vary",
                "$TargetDedicatedNodes=1..2:1",
                "--minimize",
                "cost.total",
            ][..],
            "not a number constant",
        ),
        (
            &["--vary", "$maxNodes=3..1:1", "--minimize", "cost.total"][..],
            "LO 3 is above HI 1",
        ),
        (
            &["--vary", "$maxNodes=1..2:0", "--minimize", "cost.total"][..],
            "STEP must be above 0",
        ),
        (
            &["--vary", "$maxNodes=1..2:1", "--minimize", "cost.totl"][..],
            "`cost.totl` is not a summary.json figure; did you mean `cost.total`?",
        ),
        (
            &[
                "--vary",
                "$maxNodes=1..2:1",
                "--minimize",
                "cost.total",
                "--subject-to",
                "wait <= 1",
            ][..],
            "--subject-to: `wait` is not a summary.json figure",
        ),
        (
            &[
                "--vary",
                "$maxNodes=1..2:1",
                "--minimize",
                "cost.total",
                "--subject-to",
                "wait.p95_s = 1",
            ][..],
            "expected METRIC <= VALUE",
        ),
        (
            // 4^8 = 65,536 points: past 4096 the search is coarse to fine,
            // which takes at most 7 constants.
            &[
                "--vary",
                "$a=0..3:1",
                "--vary",
                "$b=0..3:1",
                "--vary",
                "$c=0..3:1",
                "--vary",
                "$d=0..3:1",
                "--vary",
                "$e=0..3:1",
                "--vary",
                "$f=0..3:1",
                "--vary",
                "$g=0..3:1",
                "--vary",
                "$h=0..3:1",
                "--minimize",
                "cost.total",
            ][..],
            "tune searches at most 7 constants",
        ),
    ] {
        let (code, _, stderr) = tune(&dir, extra);
        assert_eq!(code, Some(2), "{extra:?}: {stderr}");
        assert!(stderr.contains(says), "{extra:?}: {stderr}");
    }
}

/// The words of a shell command line, with '...' quoting.
fn words(line: &str) -> Vec<String> {
    let (mut out, mut word, mut quoted, mut any) = (Vec::new(), String::new(), false, false);
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut word));
                }
                any = false;
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

/// The body of the first ```lang block after `marker`.
fn block_after(page: &str, marker: &str, lang: &str) -> String {
    let after = page.split_once(marker).unwrap().1;
    let body = after.split_once(&format!("```{lang}\n")).unwrap().1;
    body.split_once("```").unwrap().0.to_string()
}

#[test]
fn the_docs_example_runs_as_shown() {
    let page =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/tune.md")).unwrap();
    let shown = block_after(&page, "## Example", "console");
    let (command, output) = shown.split_once('\n').unwrap();
    let args = words(command.strip_prefix("$ batchscale ").unwrap());
    let dir = folder("docs");
    std::fs::copy(SCENARIO, dir.join("node-cap.toml")).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_batchscale"))
        .current_dir(&dir)
        .args(&args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), output);
    let best = block_after(&page, "`tuned/best.formula`:", "formula");
    assert_eq!(
        std::fs::read_to_string(dir.join("tuned/best.formula")).unwrap(),
        best
    );
    // The README shows the same command and its choice.
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let command = command.strip_prefix("$ ").unwrap();
    assert!(readme.contains(&format!("`{command}`\nchooses `$maxNodes = 3`")));
}

#[test]
fn the_thread_count_does_not_change_the_output() {
    let dir = folder("jobs");
    let mut outputs = Vec::new();
    for jobs in ["1", "2"] {
        let out_dir = dir.join(format!("out{jobs}"));
        let out = batchscale(
            &[
                "tune",
                dir.join("cap.toml").to_str().unwrap(),
                "--vary",
                "$maxNodes=1..8:1",
                "--minimize",
                "cost.total",
                "--subject-to",
                "wait.p95_s <= 1500",
                "--seeds",
                "2",
                "--jobs",
                jobs,
                "--out",
                out_dir.to_str().unwrap(),
            ],
            "",
            &[],
        );
        assert_eq!(out.status.code(), Some(0));
        let files: Vec<Vec<u8>> = ["points.csv", "pareto.csv", "pareto.svg", "best.formula"]
            .iter()
            .map(|f| std::fs::read(out_dir.join(f)).unwrap())
            .collect();
        outputs.push((out.stdout, files));
    }
    assert_eq!(outputs[0], outputs[1]);
}

#[test]
fn a_grid_past_4096_points_is_searched_coarse_to_fine() {
    // Caps from 1 to 8 in steps of 0.001: 7001 points. A target is a whole
    // node count (fractional targets are truncated), so every cap in [3, 4)
    // gives the pool of 3 in the table above and ties at the optimum; the
    // full grid would choose its first, 3.000. The first round runs 4096
    // evenly spaced caps (3.001 among them, 2.999 just below), the next the
    // caps between the neighbours of the best (2.999 to 3.003) at the full
    // step, which adds 3.000.
    let dir = folder("coarse");
    let (code, stdout, stderr) = tune(
        &dir,
        &[
            "--vary",
            "$maxNodes=1..8:0.001",
            "--minimize",
            "cost.total",
            "--subject-to",
            "wait.p95_s <= 1500",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("of 7001 grid points (coarse to fine)"),
        "{stdout}"
    );
    assert!(stdout.contains("best: $maxNodes = 3\n"), "{stdout}");
    let best = std::fs::read_to_string(dir.join("out/best.formula")).unwrap();
    assert!(best.contains("$maxNodes = 3;"), "{best}");
    let rows = std::fs::read_to_string(dir.join("out/points.csv"))
        .unwrap()
        .lines()
        .count();
    // A header and fewer rows than the grid's 7001 points.
    assert!(rows > 4096 && rows < 7001, "{rows} rows");
    let _ = std::fs::remove_dir_all(&dir);
}
