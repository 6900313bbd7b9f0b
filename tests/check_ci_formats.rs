//! `check`'s CI formats (SARIF, JUnit, GitLab Code Quality, Azure Pipelines,
//! Checkstyle), `--output-file`, `--exit-zero` and `--color`: golden files of
//! every format on the same three files, and the positions that matter worked
//! out by hand. Review a changed snapshot with `cargo insta review`.

use std::process::{Command, Output, Stdio};

use batchscale::cli::check::{check_text, CheckFormat, FileReport};
use batchscale::cli::output::render;
use batchscale::lint::{CheckOptions, Policy};

/// A formula file that lost a `;` at the end of line 1 (column 44: the line
/// `$tasks = val($PendingTasks.GetSample(1), 0)` has 43 characters) and
/// halves its target (a warning on line 2).
const FORMULA: &str =
    "$tasks = val($PendingTasks.GetSample(1), 0)\n$TargetDedicatedNodes = max($tasks, 1) / 2;\n";
const CLEAN: &str = "$TargetDedicatedNodes = 2;\n";
const BICEP: &str = include_str!("fixtures/check/main.bicep");

fn reports() -> Vec<FileReport> {
    let options = CheckOptions::default();
    let policy = Policy::default();
    [
        ("pools/scale.formula", FORMULA),
        ("pools/main.bicep", BICEP),
        ("pools/clean.formula", CLEAN),
    ]
    .iter()
    .map(|(name, text)| check_text(name, text, &[], &options, &policy).unwrap())
    .collect()
}

fn batchscale(args: &[&str], stdin: &str, envs: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_batchscale"));
    command
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .envs(envs.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn golden_files_of_every_ci_format() {
    let reports = reports();
    for (name, format) in [
        ("sarif", CheckFormat::Sarif),
        ("junit", CheckFormat::Junit),
        ("gitlab", CheckFormat::Gitlab),
        ("azure", CheckFormat::Azure),
        ("checkstyle", CheckFormat::Checkstyle),
    ] {
        insta::assert_snapshot!(format!("ci_{name}"), render(format, &reports, false));
    }
}

#[test]
fn sarif_places_results_in_the_host_file_with_their_fix() {
    let log: serde_json::Value =
        serde_json::from_str(&render(CheckFormat::Sarif, &reports(), false)).unwrap();
    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    let results = run["results"].as_array().unwrap();
    let missing: Vec<_> = results
        .iter()
        .filter(|r| r["ruleId"] == "missing-semicolon")
        .collect();
    assert_eq!(
        missing.len(),
        2,
        "one in the formula file, one in the Bicep file"
    );
    // In main.bicep the formula starts on line 18; its second statement, on
    // line 19, is `$tasks = $samples < 70 ? 0 : avg($PendingTasks.GetSample(
    // TimeInterval_Minute * 15))`, 83 characters, so the `;` goes at column 84.
    let bicep = missing[1];
    let location = &bicep["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "pools/main.bicep");
    assert_eq!(location["region"]["startLine"], 19);
    assert_eq!(location["region"]["startColumn"], 84);
    let replacement = &bicep["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["insertedContent"]["text"], ";");
    assert_eq!(replacement["deletedRegion"]["startColumn"], 84);
    assert_eq!(replacement["deletedRegion"]["endColumn"], 84);
    // The formula file's `;` goes after the 43 characters of line 1.
    let formula = &missing[0]["locations"][0]["physicalLocation"];
    assert_eq!(formula["region"]["startLine"], 1);
    assert_eq!(formula["region"]["startColumn"], 44);
    // Every rule has its page, and each result names its rule's index.
    for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
        let uri = rule["helpUri"].as_str().unwrap();
        assert!(uri.ends_with(&format!("#{}", rule["id"].as_str().unwrap())));
    }
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            run["tool"]["driver"]["rules"][index]["id"],
            result["ruleId"]
        );
    }
}

#[test]
fn junit_counts_add_up() {
    let xml = render(CheckFormat::Junit, &reports(), false);
    let failures = xml.matches("<failure ").count();
    let cases = xml.matches("<testcase ").count();
    // The clean file is one passing test case; each diagnostic a failing one.
    assert_eq!(cases, failures + 1);
    assert!(xml.contains(&format!("tests=\"{cases}\" failures=\"{failures}\"")));
    assert!(xml.contains("<testcase classname=\"pools/clean.formula\" name=\"check\""));
}

#[test]
fn azure_commands_carry_file_line_and_column() {
    let text = render(CheckFormat::Azure, &reports(), false);
    assert!(text.lines().any(|l| l.starts_with(
        "##vso[task.logissue type=error;sourcepath=pools/scale.formula;linenumber=1;columnnumber=44;code=missing-semicolon;]"
    )));
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
