//! `check`'s CI formats, rendered from checked reports (SARIF, JUnit, GitLab Code Quality, Azure Pipelines,
//! Checkstyle), `--output-file`, `--exit-zero` and `--color`: golden files of
//! every format on the same three files, and the positions that matter worked
//! out by hand. Review a changed snapshot with `cargo insta review`.

use crate::cli::check::{check_text, CheckFormat, FileReport};
use crate::cli::output::render;
use crate::lint::{CheckOptions, Policy};

/// A formula file that lost a `;` at the end of line 1 (column 44: the line
/// `$tasks = val($PendingTasks.GetSample(1), 0)` has 43 characters) and
/// halves its target (a warning on line 2).
const FORMULA: &str =
    "$tasks = val($PendingTasks.GetSample(1), 0)\n$TargetDedicatedNodes = max($tasks, 1) / 2;\n";
const CLEAN: &str = "$TargetDedicatedNodes = 2;\n";
const BICEP: &str = include_str!("../../../tests/fixtures/check/main.bicep");

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
        // The golden files stay where they were when this was an integration
        // test, under their old names.
        insta::with_settings!({
            snapshot_path => "../../../tests/snapshots",
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!(
                format!("check_ci_formats__ci_{name}"),
                render(format, &reports, false)
            );
        });
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
    // The error itself is where the parser stopped (docs/check-files.md,
    // "Positions"): the next statement, line 20, column 1.
    let bicep = missing[1];
    let location = &bicep["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "pools/main.bicep");
    assert_eq!(location["region"]["startLine"], 20);
    assert_eq!(location["region"]["startColumn"], 1);
    let replacement = &bicep["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["insertedContent"]["text"], ";");
    assert_eq!(replacement["deletedRegion"]["startColumn"], 84);
    assert_eq!(replacement["deletedRegion"]["endColumn"], 84);
    // The formula file's `;` goes after the 43 characters of line 1; the
    // error is at the statement the parser could not take, line 2, column 1.
    let formula = &missing[0]["locations"][0]["physicalLocation"];
    assert_eq!(formula["region"]["startLine"], 2);
    assert_eq!(formula["region"]["startColumn"], 1);
    // Every rule carries its explanation itself: with no published address,
    // a `helpUri` could only be relative, which SARIF does not allow there.
    for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
        assert!(rule.get("helpUri").is_none());
        let markdown = rule["help"]["markdown"].as_str().unwrap();
        assert!(markdown.starts_with(&format!("**{}**", rule["id"].as_str().unwrap())));
    }
    assert!(run["tool"]["driver"].get("informationUri").is_none());
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
        "##vso[task.logissue type=error;sourcepath=pools/scale.formula;linenumber=2;columnnumber=1;code=missing-semicolon;]"
    )));
}

#[test]
fn sarif_marks_an_unsafe_fix() {
    // `$PendingTask` (columns 25..37 of line 1) is one letter short of
    // `$PendingTasks`: the replacement is a guess, applied only on request.
    let text = "$TargetDedicatedNodes = $PendingTask.GetSample(1);\n";
    let report = check_text(
        "typo.formula",
        text,
        &[],
        &CheckOptions::default(),
        &Policy::default(),
    )
    .unwrap();
    let log: serde_json::Value =
        serde_json::from_str(&render(CheckFormat::Sarif, &[report], false)).unwrap();
    let fix = &log["runs"][0]["results"][0]["fixes"][0];
    assert_eq!(fix["properties"]["unsafe"], true);
    assert_eq!(fix["description"]["text"], "replace with `$PendingTasks`");
    let replacement = &fix["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["insertedContent"]["text"], "$PendingTasks");
    assert_eq!(replacement["deletedRegion"]["startColumn"], 25);
    assert_eq!(replacement["deletedRegion"]["endColumn"], 37);
}
