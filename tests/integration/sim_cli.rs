//! `batchscale simulate` from the command line: outputs, determinism, errors,
//! `--compare`, and the shipped example scenarios.

use std::path::{Path, PathBuf};
use std::process::Command;

use batchscale::sim::LoadedScenario;

const BIN: &str = env!("CARGO_BIN_EXE_batchscale");

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios")
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("batchscale-sim-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn simulate(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .arg("simulate")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_same_seed_writes_the_same_bytes() {
    let scenario = examples().join("render-farm.toml");
    let scenario = scenario.to_str().unwrap();
    let (a, b) = (temp("seed-a"), temp("seed-b"));
    let (code, _, _) = simulate(&[scenario, "--seed", "7", "--out", a.to_str().unwrap()]);
    assert_eq!(code, 0);
    let (code, _, _) = simulate(&[scenario, "--seed", "7", "--out", b.to_str().unwrap()]);
    assert_eq!(code, 0);
    for file in ["summary.txt", "timeline.csv", "timeline.json", "chart.svg"] {
        let x = std::fs::read(a.join(file)).unwrap();
        let y = std::fs::read(b.join(file)).unwrap();
        assert!(!x.is_empty(), "{file} is empty");
        assert!(x == y, "{file} differs between runs with the same seed");
    }
    let c = temp("seed-c");
    simulate(&[scenario, "--seed", "8", "--out", c.to_str().unwrap()]);
    assert_ne!(
        std::fs::read(a.join("timeline.csv")).unwrap(),
        std::fs::read(c.join("timeline.csv")).unwrap()
    );
}

#[test]
fn the_cold_start_example_stays_at_zero_nodes() {
    let scenario = examples().join("cold-start.toml");
    let (code, stdout, stderr) = simulate(&[scenario.to_str().unwrap(), "--no-chart"]);
    assert_eq!(code, 0, "{stderr}");
    // 12 hours at 5 minutes: 145 evaluations, all failing for lack of CPU samples.
    assert!(
        stdout.contains("job batch: 400 tasks, not completed"),
        "{stdout}"
    );
    assert!(stdout.contains("evaluation errors: 145 (first: InsufficientSampleData: Line 3, Col 33: Insufficient data from data set: $CPUPercent wanted 70%, received 0%)"), "{stdout}");
}

#[test]
fn compare_runs_two_formulas_on_the_same_workload() {
    let dir = examples();
    let out = temp("compare");
    let (code, stdout, stderr) = simulate(&[
        "--compare",
        dir.join("cold-start.formula").to_str().unwrap(),
        dir.join("cold-start-guarded.formula").to_str().unwrap(),
        dir.join("cold-start.toml").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let errors = stdout
        .lines()
        .find(|l| l.starts_with("evaluation errors"))
        .unwrap();
    let cells: Vec<&str> = errors.split_whitespace().collect();
    assert_eq!(cells, ["evaluation", "errors", "145", "0"]);
    let done = stdout
        .lines()
        .find(|l| l.starts_with("tasks succeeded"))
        .unwrap();
    assert_eq!(
        done.split_whitespace().collect::<Vec<_>>(),
        ["tasks", "succeeded", "0", "400"]
    );
    assert!(out.join("a/chart.svg").exists() && out.join("b/chart.svg").exists());
}

#[test]
fn timeline_rows_carry_each_evaluations_results() {
    let dir = temp("timeline");
    let scenario = dir.join("s.toml");
    std::fs::write(
        &scenario,
        "formula = \"$TargetDedicatedNodes = 1; $x = 2.5;\"\nduration = \"PT30M\"\nstop_when_done = false\n[[job]]\ntasks = 1\nduration = { fixed = \"PT1M\" }\n",
    )
    .unwrap();
    let (code, _, stderr) = simulate(&[scenario.to_str().unwrap(), "--out", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let csv = std::fs::read_to_string(dir.join("timeline.csv")).unwrap();
    let evaluations: Vec<&str> = csv.lines().filter(|l| l.contains(",evaluation,")).collect();
    // Evaluations at 0, 15 and 30 minutes.
    assert_eq!(evaluations.len(), 3);
    assert!(evaluations[0].starts_with("2025-01-06T00:00:00.000Z,evaluation,1,0,"));
    for line in evaluations {
        assert!(line.ends_with(",$TargetDedicatedNodes=1;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;$x=2.5,"), "{line}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("timeline.json")).unwrap()).unwrap();
    assert_eq!(json["evaluations"], 3);
    assert_eq!(
        json["timeline"][0]["results"],
        "$TargetDedicatedNodes=1;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;$x=2.5"
    );
}

fn scenario_error(text: &str) -> String {
    match LoadedScenario::parse("bad.toml", text) {
        Ok(_) => panic!("accepted: {text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn scenario_errors_name_the_file_line_and_key() {
    assert_eq!(
        scenario_error("formula = \"\"\ninterval = \"PT1M\"\n[[job]]\ntasks = 1\nduration = { fixed = \"PT1M\" }\n"),
        "bad.toml:2:12: interval: 00:01:00 is outside the service's range PT5M to P7D (168 hours)"
    );
    assert_eq!(
        scenario_error("formula = \"\"\n[pool]\nstartup = { fixed = \"5 minutes\" }\n"),
        "bad.toml:3:11: startup: `5 minutes` is not an ISO 8601 duration such as `PT15M` or `P2D`"
    );
    let unknown = scenario_error("formula = \"\"\n[pool]\nslots_per_node = 2\n");
    assert!(unknown.starts_with("bad.toml:3:1: "), "{unknown}");
    assert!(
        unknown.contains("unknown field `slots_per_node`"),
        "{unknown}"
    );
    assert_eq!(
        scenario_error(
            "[[job]]\nfailure_probability = 1.5\ntasks = 1\nduration = { fixed = \"PT1M\" }\n"
        ),
        "bad.toml:2:23: failure_probability: 1.5 is not a probability from 0 to 1"
    );
    assert_eq!(
        scenario_error("[[job]]\n[[job.stage]]\nname = \"b\"\ntasks = 2\ndepends_on = \"a\"\nduration = { fixed = \"PT1M\" }\n"),
        "bad.toml:5:14: depends_on: `a` is not a stage defined before `b`"
    );
    // The simulation length is bounded: P366D passes the check, P367D does not.
    let year = "formula = \"\"\nduration = \"P366D\"\n[[job]]\ntasks = 1\nduration = { fixed = \"PT1M\" }\n";
    assert!(LoadedScenario::parse("ok.toml", year).is_ok());
    assert_eq!(
        scenario_error(&year.replace("P366D", "P367D")),
        "bad.toml:2:12: duration: 367.00:00:00 is longer than the simulator's limit of P366D"
    );
}

#[test]
fn input_errors_exit_2_and_formula_errors_exit_1() {
    let dir = temp("codes");
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "interval = \"PT1M\"\n").unwrap();
    let (code, _, stderr) = simulate(&[bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("bad.toml:1:12: interval:"), "{stderr}");
    let syntax = dir.join("syntax.toml");
    std::fs::write(
        &syntax,
        "formula = \"$TargetDedicatedNodes = (1;\"\n[[job]]\ntasks = 1\nduration = { fixed = \"PT1M\" }\n",
    )
    .unwrap();
    let (code, _, _) = simulate(&[syntax.to_str().unwrap()]);
    assert_eq!(code, 1);
}

#[test]
fn every_example_scenario_loads_and_its_formula_parses() {
    for name in [
        "render-farm",
        "monte-carlo",
        "genomics",
        "working-hours",
        "cold-start",
    ] {
        let path = examples().join(format!("{name}.toml"));
        let loaded = LoadedScenario::read(path.to_str().unwrap()).unwrap();
        let file = loaded.resolve(loaded.scenario.formula_file.as_deref().unwrap());
        let text = std::fs::read_to_string(file).unwrap();
        let formula = batchscale::Formula::parse(&text).unwrap();
        assert!(
            formula.diagnostics().is_empty(),
            "{name}: {:?}",
            formula.diagnostics()
        );
    }
}

#[test]
fn formula_flag_replaces_the_scenarios_formula() {
    let dir = examples();
    let (code, stdout, stderr) = simulate(&[
        dir.join("cold-start.toml").to_str().unwrap(),
        "--formula",
        dir.join("cold-start-guarded.formula").to_str().unwrap(),
        "--no-chart",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("tasks: 400 submitted, 400 succeeded, 0 failed"),
        "{stdout}"
    );
    assert!(stdout.contains("evaluation errors: 0\n"), "{stdout}");
}

#[test]
fn an_undefined_symbol_fails_every_evaluation_and_is_reported() {
    let dir = temp("undefined");
    let scenario = dir.join("s.toml");
    std::fs::write(
        &scenario,
        "formula = \"$TargetDedicatedNodes = nodes;\"\nduration = \"PT30M\"\n[[job]]\ntasks = 1\nduration = { fixed = \"PT1M\" }\n",
    )
    .unwrap();
    let (code, stdout, stderr) = simulate(&[scenario.to_str().unwrap(), "--no-chart"]);
    // The simulation ran: its result is that the formula never worked.
    assert_eq!(code, 0);
    // Evaluations at 0, 15 and 30 minutes; the service's message for an undefined symbol.
    assert!(
        stdout.contains("evaluation errors: 3 (first: AutoScalingFormulaEvaluationError: Line 1, Col 25: Undefined symbol: nodes)"),
        "{stdout}"
    );
    // The checker's diagnostic is shown before the run.
    assert!(stderr.contains("nodes"), "{stderr}");
}

/// A scenario's `formula_file` stays inside the scenario's folder unless the
/// user allows it (issue 18: a scenario from elsewhere must not make batchscale
/// read, and echo, other files); the error names the key and the path as
/// written, never the file's content.
#[test]
fn formula_file_outside_the_scenario_folder_needs_allowing() {
    let root = temp("outside-paths");
    let inner = root.join("scenarios");
    std::fs::create_dir_all(&inner).unwrap();
    std::fs::write(
        root.join("secret.formula"),
        "$TargetDedicatedNodes = 1; // SECRET\n",
    )
    .unwrap();
    std::fs::write(
        inner.join("s.toml"),
        "formula_file = \"../secret.formula\"\nduration = \"PT1H\"\n[[job]]\ntasks = 1\nduration = { fixed = \"PT1M\" }\n",
    )
    .unwrap();
    let scenario = inner.join("s.toml");
    let scenario = scenario.to_str().unwrap();
    let (code, stdout, stderr) = simulate(&[scenario, "--no-chart"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("outside the scenario's folder"), "{stderr}");
    assert!(!stderr.contains("SECRET") && !stdout.contains("SECRET"));
    let (code, _, stderr) = simulate(&[scenario, "--no-chart", "--allow-outside-paths"]);
    assert_eq!(code, 0, "{stderr}");
}
