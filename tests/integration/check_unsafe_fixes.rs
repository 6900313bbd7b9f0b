//! `check --fix --unsafe-fixes`: the did-you-mean name put in place of one
//! that does not resolve, in formula files and inside Bicep, Terraform and
//! JSON files; never without the flag, and never across a host's escape.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "batchscale-unsafe-fix-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn check(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_batchscale"))
        .arg("check")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// The file after `check ARGS name`, and the run's output.
fn fix_one(name: &str, before: &str, args: &[&str]) -> (String, Output) {
    let dir = scratch(&name.replace('.', "-"));
    std::fs::write(dir.join(name), before).unwrap();
    let mut all = args.to_vec();
    all.push(name);
    let out = check(&dir, &all);
    (std::fs::read_to_string(dir.join(name)).unwrap(), out)
}

// `maxx` is one letter from the built-in `max`; `tsks` one from the user
// variable `tasks`; `$CurrentDedicatedNode` one from the service's
// `$CurrentDedicatedNodes`. Each is the only name that close.
const FORMULA: &str = "tasks = 4;\n$TargetDedicatedNodes = maxx(0, tsks);\n";

#[test]
fn without_the_flag_unsafe_fixes_are_left() {
    let (after, out) = fix_one("p.formula", FORMULA, &["--fix"]);
    assert_eq!(after, FORMULA);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fixed 0 problems"), "{stderr}");
    // The run says what it left, and how to apply it.
    assert!(
        stderr.contains("note: 2 unsafe fixes left; apply them with `--unsafe-fixes`"),
        "{stderr}"
    );
    // The text report names the suggestion through its help.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("did you mean `max`?"), "{stdout}");
}

#[test]
fn the_flag_needs_fix() {
    let dir = scratch("needs-fix");
    std::fs::write(dir.join("p.formula"), FORMULA).unwrap();
    assert_eq!(
        check(&dir, &["--unsafe-fixes", "p.formula"]).status.code(),
        Some(2)
    );
}

#[test]
fn a_formula_file_gets_the_names() {
    let (after, out) = fix_one("p.formula", FORMULA, &["--fix", "--unsafe-fixes"]);
    assert_eq!(
        after,
        "tasks = 4;\n$TargetDedicatedNodes = max(0, tasks);\n"
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("fixed 2 problems"));
}

#[test]
fn inside_bicep() {
    let bicep = "resource pool 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {\n  name: 'p'\n  properties: {\n    scaleSettings: {\n      autoScale: {\n        evaluationInterval: 'PT5M'\n        formula: '$TargetDedicatedNodes = maxx(0, $CurrentDedicatedNode);'\n      }\n    }\n  }\n}\n";
    let (after, out) = fix_one("main.bicep", bicep, &["--fix", "--unsafe-fixes"]);
    // `$` followed by a letter is literal in a Bicep string.
    assert_eq!(
        after,
        bicep.replace(
            "maxx(0, $CurrentDedicatedNode)",
            "max(0, $CurrentDedicatedNodes)"
        )
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn inside_terraform() {
    let tf = "resource \"azurerm_batch_pool\" \"p\" {\n  auto_scale {\n    evaluation_interval = \"PT15M\"\n    formula = \"$TargetDedicatedNodes = maxx(0, $CurrentDedicatedNode);\"\n  }\n}\n";
    let (after, out) = fix_one("main.tf", tf, &["--fix", "--unsafe-fixes"]);
    // `$C` is literal in a Terraform string; only `${` interpolates.
    assert_eq!(
        after,
        tf.replace(
            "maxx(0, $CurrentDedicatedNode)",
            "max(0, $CurrentDedicatedNodes)"
        )
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn inside_json_but_not_across_an_escape() {
    let json = "{\n  \"enableAutoScale\": true,\n  \"autoScaleFormula\": \"tasks = 4;\\n$TargetDedicatedNodes = maxx(0, tsks);\"\n}\n";
    let (after, _) = fix_one("pool.json", json, &["--fix", "--unsafe-fixes"]);
    assert_eq!(after, json.replace("maxx(0, tsks)", "max(0, tasks)"));
    // `\u0074sks` reads `tsks`, but its text in the file is not the name:
    // replacing it would drop the escape's meaning, so it is left alone
    // (the `maxx` next to it is verbatim and fixed).
    let escaped = json.replace("tsks", "\\u0074sks");
    let (after, out) = fix_one("pool.json", &escaped, &["--fix", "--unsafe-fixes"]);
    assert_eq!(after, escaped.replace("maxx(", "max("));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn json_records_mark_the_fix_unsafe() {
    let dir = scratch("json-record");
    std::fs::write(dir.join("p.formula"), FORMULA).unwrap();
    let out = check(&dir, &["--format", "json", "p.formula"]);
    // `tasks` is reported unused first (`tsks` does not resolve to it).
    let first: serde_json::Value = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|r| r["code"] == "undefined-symbol")
        .unwrap();
    // `maxx` is line 2, columns 25..29.
    assert_eq!(
        first["fix"],
        serde_json::json!({
            "line": 2, "column": 25, "end_line": 2, "end_column": 29,
            "replace": "max", "unsafe": true,
        })
    );
}
