//! `check`'s CI flags at the command line: `--output-file`, `--exit-zero` and
//! `--color` (the formats themselves are unit tests in src/cli/output/).

use std::process::Output;

use crate::common::batchscale_with;

/// A formula file that lost a `;` at the end of line 1 (column 44: the line
/// `$tasks = val($PendingTasks.GetSample(1), 0)` has 43 characters) and
/// halves its target (a warning on line 2).
const FORMULA: &str =
    "$tasks = val($PendingTasks.GetSample(1), 0)\n$TargetDedicatedNodes = max($tasks, 1) / 2;\n";
const CLEAN: &str = "$TargetDedicatedNodes = 2;\n";

/// `batchscale ARGS` with only `envs` deciding colour: the colour variables
/// of the environment the tests run in are removed first.
fn batchscale(args: &[&str], stdin: &str, envs: &[(&str, &str)]) -> Output {
    batchscale_with(args, stdin, |command| {
        command
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("CLICOLOR")
            .envs(envs.iter().copied());
    })
}

#[test]
fn output_file_and_exit_zero() {
    let dir = std::env::temp_dir().join(format!("batchscale-ci-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("report.sarif");
    let path_arg = path.to_str().unwrap();
    let out = batchscale(
        &["check", "--format", "sarif", "--output-file", path_arg, "-"],
        FORMULA,
        &[],
    );
    // An error is found: exit 1, and nothing on standard output.
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(log["runs"][0]["results"][0]["ruleId"], "lone-latest-sample");
    let zero = batchscale(&["check", "--exit-zero", "-"], FORMULA, &[]);
    assert_eq!(zero.status.code(), Some(0));
    // An input error still fails.
    let missing = batchscale(&["check", "--exit-zero", "no/such/file.formula"], "", &[]);
    assert_eq!(missing.status.code(), Some(2));
    // A report file that cannot be created is a usage error, found first.
    let bad = batchscale(
        &["check", "--output-file", "no/such/dir/r.txt", "-"],
        CLEAN,
        &[],
    );
    assert_eq!(bad.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn color_flag_and_environment() {
    let colored = |args: &[&str], envs: &[(&str, &str)]| {
        let mut all = vec!["check"];
        all.extend_from_slice(args);
        all.push("-");
        let out = batchscale(&all, FORMULA, envs);
        String::from_utf8(out.stdout).unwrap().contains('\u{1b}')
    };
    // Off a terminal, auto is plain unless CLICOLOR_FORCE asks for colour,
    // and NO_COLOR beats CLICOLOR_FORCE (anstream's order).
    assert!(!colored(&[], &[]));
    assert!(colored(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!colored(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
    // The flag beats the environment.
    assert!(colored(&["--color", "always"], &[("NO_COLOR", "1")]));
    assert!(!colored(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    // Machine formats are never coloured.
    assert!(!colored(&["--color", "always", "--format", "json"], &[]));
}
