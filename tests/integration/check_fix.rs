//! `check --fix`: the missing `;` inserted in formula files and inside Bicep,
//! Terraform and JSON files, whose escaping stays valid.

use std::process::Output;

use crate::common::{check_in as check, scratch};

fn fix_one(name: &str, before: &str) -> (String, Output) {
    let dir = scratch(&format!("fix-{}", name.split('.').next_back().unwrap()));
    std::fs::write(dir.join(name), before).unwrap();
    let out = check(&dir, &["--fix", name]);
    (std::fs::read_to_string(dir.join(name)).unwrap(), out)
}

#[test]
fn a_formula_file_gets_its_semicolons() {
    // Two statements lack their `;`: after `4` on line 1 and after `$tasks`
    // on line 2; the last statement may end without one.
    let (after, out) = fix_one(
        "pool.formula",
        "$tasks = 4\n$TargetDedicatedNodes = $tasks\n$NodeDeallocationOption = taskcompletion\n",
    );
    assert_eq!(
        after,
        "$tasks = 4;\n$TargetDedicatedNodes = $tasks;\n$NodeDeallocationOption = taskcompletion\n"
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("fixed 2 problems"));
}

#[test]
fn inside_bicep_the_fix_lands_in_the_host_file() {
    let bicep = include_str!("../fixtures/check/main.bicep");
    let (after, out) = fix_one("main.bicep", bicep);
    // Line 19 of the fixture is the statement without `;` (83 characters).
    let line =
        "$tasks = $samples < 70 ? 0 : avg($PendingTasks.GetSample(TimeInterval_Minute * 15))";
    assert_eq!(
        after,
        bicep.replacen(&format!("{line}\n"), &format!("{line};\n"), 1)
    );
    // The other pool's type error is still there, so the check still fails.
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("missing-semicolon"), "{stdout}");
    assert!(stdout.contains("type-mismatch"), "{stdout}");
}

#[test]
fn inside_terraform_and_json_strings() {
    // The `;` is offered where the next statement starts on a new line.
    let tf = "resource \"azurerm_batch_pool\" \"p\" {\n  auto_scale {\n    evaluation_interval = \"PT15M\"\n    formula = <<-EOF\n      $tasks = 4\n      $TargetDedicatedNodes = $tasks;\n    EOF\n  }\n}\n";
    let (after, out) = fix_one("main.tf", tf);
    assert_eq!(after, tf.replace("$tasks = 4\n", "$tasks = 4;\n"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // In JSON the formula's line break is the escape `\n`; the `;` goes
    // before it.
    let json = "{\n  \"autoScaleFormula\": \"$tasks = 4\\n$TargetDedicatedNodes = $tasks;\"\n}\n";
    let (after, out) = fix_one("pool.json", json);
    assert_eq!(after, json.replace("$tasks = 4\\n", "$tasks = 4;\\n"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn without_fix_nothing_is_written() {
    let dir = scratch("fix-none");
    let text = "$tasks = 4\n$TargetDedicatedNodes = $tasks;\n";
    std::fs::write(dir.join("p.formula"), text).unwrap();
    assert_eq!(check(&dir, &["p.formula"]).status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(dir.join("p.formula")).unwrap(),
        text
    );
}
