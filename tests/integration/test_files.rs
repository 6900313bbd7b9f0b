//! `batchscale test`: the shipped test files pass; a formula with a changed
//! constant fails with a readable diff, valid JUnit and GitHub annotations;
//! every bad input names the file, the line and column, and the field.

use std::path::{Path, PathBuf};

use crate::common::batchscale;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh folder for one test.
fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("batchscale-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `batchscale ARGS`: (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = batchscale(args, "", &[]);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn every_example_formula_and_template_has_a_test_file() {
    for dir in ["examples/formulas", "examples/scenarios", "templates"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let p = entry.unwrap().path();
            if p.extension().is_some_and(|e| e == "formula") {
                let test = p.with_extension("test.toml");
                assert!(test.exists(), "{} has no {}", p.display(), test.display());
            }
        }
    }
}

#[test]
fn the_shipped_test_files_pass() {
    let (code, stdout, stderr) = run(&[
        "test",
        path(&root().join("examples")),
        path(&root().join("templates")),
    ]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(!stdout.contains("FAIL"), "{stdout}");
    // 22 example formulas, 6 scenario formulas and 6 templates, each with its file.
    let files = stdout.lines().filter(|l| l.ends_with(".test.toml")).count();
    assert_eq!(files, 34, "{stdout}");
    assert!(
        stdout.ends_with(" failed, 0 files with errors\n"),
        "{stdout}"
    );
}

/// e01 with `maxNumberofVMs = 25` changed to 24, next to its test file.
fn changed_e01(name: &str) -> PathBuf {
    let dir = temp(name);
    let formula =
        std::fs::read_to_string(root().join("examples/formulas/e01-pending-tasks.formula"))
            .unwrap();
    assert!(formula.contains("maxNumberofVMs = 25;"));
    std::fs::write(
        dir.join("e01-pending-tasks.formula"),
        formula.replace("maxNumberofVMs = 25;", "maxNumberofVMs = 24;"),
    )
    .unwrap();
    std::fs::copy(
        root().join("examples/formulas/e01-pending-tasks.test.toml"),
        dir.join("e01-pending-tasks.test.toml"),
    )
    .unwrap();
    dir.join("e01-pending-tasks.test.toml")
}

#[test]
fn a_changed_constant_fails_with_a_diff() {
    let test = changed_e01("diff");
    let (code, stdout, _) = run(&["test", path(&test)]);
    assert_eq!(code, 1, "{stdout}");
    // The first two cases print maxNumberofVMs in their results; the third
    // is capped at the constant: min(24, 100) = 24, not 25.
    assert!(
        stdout.contains("  FAIL  the 3-minute average of the queue (line 22)\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("          maxNumberofVMs: expected 25, actual 24\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "        targets.dedicated\n          expected: 25\n          actual:   24\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("0 passed, 3 failed, 0 files with errors\n"),
        "{stdout}"
    );
}

/// Checks that `xml` is one well-formed element tree (tags balanced and
/// nested, attributes quoted, no raw `<` or `&` in text) and returns the
/// names of its start tags in order.
fn well_formed(xml: &str) -> Vec<String> {
    let body = xml
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .expect("an XML declaration");
    let mut stack: Vec<String> = Vec::new();
    let mut names = Vec::new();
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        assert!(!text.contains('>'), "a raw `>` in text: {text}");
        for (i, _) in text.match_indices('&') {
            let entity = &text[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#"]
                    .iter()
                    .any(|e| entity.starts_with(e)),
                "a raw `&`: {entity}"
            );
        }
        let close = rest[open..].find('>').expect("a closed tag") + open;
        let tag = &rest[open + 1..close];
        assert!(!tag.contains('<'), "`<` inside a tag: {tag}");
        assert_eq!(tag.matches('"').count() % 2, 0, "unbalanced quotes: {tag}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "mismatched </{name}>");
        } else {
            let name = tag.split([' ', '/']).next().unwrap().to_string();
            names.push(name.clone());
            if !tag.ends_with('/') {
                stack.push(name);
            }
        }
        rest = &rest[close + 1..];
        if stack.is_empty() {
            break;
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    assert_eq!(rest.trim(), "", "content after the root element");
    names
}

/// The value of attribute `name` in the first tag that starts with `tag`.
fn attribute(xml: &str, tag: &str, name: &str) -> String {
    let start = xml.find(tag).unwrap();
    let rest = &xml[start..];
    let end = rest.find('>').unwrap();
    let key = format!(" {name}=\"");
    let at = rest[..end].find(&key).unwrap() + key.len();
    rest[at..].split('"').next().unwrap().to_string()
}

#[test]
fn junit_of_a_failing_file_is_well_formed_and_counts_agree() {
    let test = changed_e01("junit");
    let (code, stdout, _) = run(&["test", "--format", "junit", path(&test)]);
    assert_eq!(code, 1);
    let names = well_formed(&stdout);
    let count = |n: &str| names.iter().filter(|x| *x == n).count();
    // The JUnit shape CI readers take: testsuites > testsuite > testcase > failure.
    assert_eq!(names[0], "testsuites");
    assert_eq!(count("testsuite"), 1);
    assert_eq!(count("testcase"), 3);
    assert_eq!(count("failure"), 3);
    // The attributes Jenkins' junit-10.xsd (xunit-plugin) requires: name,
    // tests, failures and errors on a testsuite; name on a testcase.
    for tag in stdout.split("<testsuite ").skip(1) {
        let tag = tag.split('>').next().unwrap();
        for required in ["name=", "tests=", "failures=", "errors="] {
            assert!(tag.contains(required), "{required} missing: {tag}");
        }
    }
    for tag in stdout.split("<testcase ").skip(1) {
        assert!(tag.split('>').next().unwrap().contains("name="), "{tag}");
    }
    assert_eq!(attribute(&stdout, "<testsuites", "tests"), "3");
    assert_eq!(attribute(&stdout, "<testsuites", "failures"), "3");
    assert_eq!(attribute(&stdout, "<testsuite ", "failures"), "3");
    assert_eq!(attribute(&stdout, "<testcase", "line"), "15");
    assert!(
        stdout.contains("maxNumberofVMs: expected 25, actual 24"),
        "{stdout}"
    );
    // A passing file: testcases without failures.
    let (code, stdout, _) = run(&[
        "test",
        "--format",
        "junit",
        path(&root().join("examples/formulas/e08-monday.test.toml")),
    ]);
    assert_eq!(code, 0);
    let names = well_formed(&stdout);
    assert_eq!(names.iter().filter(|n| *n == "testcase").count(), 2);
    assert!(!names.iter().any(|n| n == "failure"));
}

#[test]
fn github_annotations_point_at_the_failed_cases() {
    let test = changed_e01("github");
    let (code, stdout, _) = run(&["test", "--format", "github", path(&test)]);
    assert_eq!(code, 1);
    let errors: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("::error "))
        .collect();
    assert_eq!(errors.len(), 3, "{stdout}");
    let file = path(&test).replace(':', "%3A").replace(',', "%2C");
    assert!(
        errors[1].starts_with(&format!("::error file={file},line=22,title=batchscale test%3A the 3-minute average of the queue::")),
        "{}",
        errors[1]
    );
    // One line each: line breaks of the message are escaped.
    assert!(errors[1].contains("%0A"));
    assert!(stdout.ends_with("::notice title=batchscale test::0 passed, 3 failed, 0 with errors\n"));
}

#[test]
fn run_selects_cases_by_name() {
    let test = changed_e01("run");
    let (code, stdout, _) = run(&["test", "--run", "capped", path(&test)]);
    assert_eq!(code, 1);
    assert!(
        stdout.ends_with("0 passed, 1 failed, 0 files with errors\n"),
        "{stdout}"
    );
    let (code, stdout, _) = run(&["test", "--run", "too few*", path(&test)]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("FAIL  too few samples"), "{stdout}");
    let (code, _, stderr) = run(&["test", "--run", "no such case", path(&test)]);
    assert_eq!(code, 2);
    assert!(stderr.contains("matches no case"), "{stderr}");
}

/// Runs `batchscale test` on a file with `text` and returns (code, stderr).
fn bad(name: &str, text: &str) -> (i32, String, String) {
    let dir = temp(name);
    std::fs::write(dir.join("f.formula"), "$TargetDedicatedNodes = 1;\n").unwrap();
    let file = dir.join("t.test.toml");
    std::fs::write(&file, text).unwrap();
    let (code, _, stderr) = run(&["test", path(&file)]);
    (code, stderr, path(&file).to_string())
}

#[test]
fn bad_input_names_the_file_line_column_and_field() {
    let case = "[[case]]\nname = \"c\"\nat = \"PT1M\"\ntargets = { dedicated = 1 }\n";
    // A bad token: the series' opening quote is at column 19, `5+x4` five
    // characters into the string, so column 19 + 1 + 5 = 25.
    let (code, stderr, file) = bad(
        "notation",
        &format!(
            "formula_file = \"f.formula\"\n[series]\n\"$PendingTasks\" = \"0x10 5+x4\"\n{case}"
        ),
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&format!("{file}:3:25: series.\"$PendingTasks\": `5+x4`: ")),
        "{stderr}"
    );
    let (code, stderr, file) = bad(
        "metric",
        &format!("formula_file = \"f.formula\"\n[series]\n\"$PendingTask\" = \"1x3\"\n{case}"),
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&format!(
            "{file}:3:18: series.\"$PendingTask\": unknown metric `$PendingTask`; did you mean `$PendingTasks`?"
        )),
        "{stderr}"
    );
    let (code, stderr, file) = bad(
        "before",
        "formula_file = \"f.formula\"\nstart = \"2025-01-06T00:00:00Z\"\n[[case]]\nname = \"c\"\nat = \"2025-01-05T23:59:00Z\"\ntargets = { dedicated = 1 }\n",
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&format!(
            "{file}:5:6: case[0].at: `2025-01-05T23:59:00Z` is before the series start"
        )),
        "{stderr}"
    );
    let (code, stderr, file) = bad(
        "field",
        "formula_file = \"f.formula\"\n[[case]]\nname = \"c\"\nat = \"PT1M\"\nexpected = \"x\"\n",
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&format!("{file}:5:1: unknown field `expected`")),
        "{stderr}"
    );
    let (code, stderr, file) = bad(
        "no-formula",
        &format!("formula_file = \"missing.formula\"\n{case}"),
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&format!("{file}:1:16: formula_file: ")),
        "{stderr}"
    );
    let (code, stderr, file) = bad(
        "nothing",
        "formula_file = \"f.formula\"\n[[case]]\nname = \"c\"\nat = \"PT1M\"\n",
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&format!(
            "{file}:3:8: case[0].name: the case expects nothing"
        )),
        "{stderr}"
    );
    let (code, stderr, file) = bad(
        "pool",
        &format!("formula_file = \"f.formula\"\n[pool]\ncurrent_dedicated_nodes = -1\n{case}"),
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&format!(
            "{file}:3:27: pool.current_dedicated_nodes: `-1` is not a count"
        )),
        "{stderr}"
    );
}

/// A scenario beside a test file whose formula fails on every evaluation.
fn failing_scenario(name: &str, expect: &str) -> (i32, String, String) {
    let dir = temp(name);
    std::fs::write(
        dir.join("s.toml"),
        "duration = \"PT2H\"\ninterval = \"PT5M\"\n[[job]]\ntasks = 10\nduration = { fixed = \"PT10M\" }\n",
    )
    .unwrap();
    let file = dir.join("t.test.toml");
    std::fs::write(
        &file,
        format!(
            "formula = \"$TargetDedicatedNodes = avg($CPUPercent.GetSample(TimeInterval_Minute * 10));\"\n\
             [[scenario]]\nname = \"unguarded\"\nfile = \"s.toml\"\n{expect}\n"
        ),
    )
    .unwrap();
    let (code, stdout, stderr) = run(&["test", path(&file)]);
    (code, stdout, stderr + path(&file))
}

#[test]
fn scenario_bounds_and_predicates_fail_readably() {
    // A pool without nodes has no CPU samples: every evaluation fails (one
    // every 5 minutes from the start), the target stays 0 and the 10 queued
    // tasks never run.
    let (code, stdout, _) = failing_scenario(
        "scenario",
        "expect = [\"evaluation_errors == 0\", \"jobs[0].completed_after_s != null\"]\nnever = [\"zero_target_while_pending for PT30M\"]",
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("  FAIL  unguarded (line 3)\n"), "{stdout}");
    // At least the 24 evaluations of [0, 2 h) fail.
    let errors: u32 = stdout
        .split("        evaluation_errors == 0\n          actual:   ")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(errors >= 24, "{stdout}");
    assert!(
        stdout.contains("        jobs[0].completed_after_s != null\n          actual:   null (did not happen)\n"),
        "{stdout}"
    );
    assert!(stdout.contains("        never zero_target_while_pending for PT30M\n          actual:   from 0m 00s to 2h 00m 00s"), "{stdout}");
}

#[test]
fn scenario_paths_and_predicates_are_checked() {
    let (code, _, stderr) = failing_scenario("path", "expect = [\"jobs[0].completd_after_s < 5\"]");
    assert_eq!(code, 2);
    assert!(stderr.contains(":5:11: scenario[0].expect[0]: `jobs[0]` has no `completd_after_s`; did you mean `completed_after_s`?"), "{stderr}");
    let (code, _, stderr) = failing_scenario("predicate", "never = [\"zero_target_while_pendin\"]");
    assert_eq!(code, 2);
    assert!(stderr.contains("scenario[0].never[0]: unknown predicate `zero_target_while_pendin`; did you mean `zero_target_while_pending`?"), "{stderr}");
}

#[test]
fn a_formula_that_does_not_parse_fails_its_cases() {
    let dir = temp("syntax");
    let file = dir.join("t.test.toml");
    std::fs::write(
        &file,
        "formula = \"$TargetDedicatedNodes = ;\"\n\
         [[case]]\nname = \"expects the error\"\nat = \"PT0S\"\nerror = \"AutoScalingFormulaSyntaxError\"\n\
         [[case]]\nname = \"expects a target\"\nat = \"PT0S\"\ntargets = { dedicated = 1 }\n",
    )
    .unwrap();
    let (code, stdout, _) = run(&["test", path(&file)]);
    assert_eq!(code, 1);
    assert!(stdout.contains("  ok    expects the error\n"), "{stdout}");
    assert!(
        stdout.contains("          actual:   the evaluation failed: AutoScalingFormulaSyntaxError: Line 1, Col 25: "),
        "{stdout}"
    );
}

#[test]
fn a_missing_scenario_is_bad_input_at_its_line() {
    let (code, stderr, file) = bad(
        "missing-scenario",
        "formula_file = \"f.formula\"\n[[scenario]]\nname = \"s\"\nfile = \"nope.toml\"\nexpect = [\"evaluation_errors == 0\"]\n",
    );
    assert_eq!(code, 2);
    // `file = ` is 7 characters: the quote is at column 8 of line 4.
    assert!(
        stderr.contains(&format!("{file}:4:8: scenario[0].file: ")),
        "{stderr}"
    );
    assert!(
        stderr.contains("nope.toml` is not a scenario file"),
        "{stderr}"
    );
}

#[test]
fn the_doc_example_runs() {
    let doc = std::fs::read_to_string(root().join("docs/test.md")).unwrap();
    let toml = doc
        .split("```toml\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let console = doc
        .split("```console\n")
        .nth(2)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let dir = temp("doc");
    std::fs::write(dir.join("e01.test.toml"), toml).unwrap();
    std::fs::copy(
        root().join("examples/formulas/e01-pending-tasks.formula"),
        dir.join("e01-pending-tasks.formula"),
    )
    .unwrap();
    let (command, expected) = console.split_once('\n').unwrap();
    assert_eq!(command, "$ batchscale test e01.test.toml");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_batchscale"))
        .args(["test", "e01.test.toml"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
}

#[test]
fn the_readme_example_runs() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme.split("## `batchscale test`").nth(1).unwrap();
    let console = section
        .split("```console\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let (command, expected) = console.split_once('\n').unwrap();
    let args: Vec<&str> = command
        .strip_prefix("$ batchscale ")
        .unwrap()
        .split_whitespace()
        .collect();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_batchscale"))
        .args(&args)
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
}

#[test]
fn the_doc_scenario_example_runs() {
    let doc = std::fs::read_to_string(root().join("docs/test.md")).unwrap();
    let toml = doc
        .split("```toml\n")
        .nth(2)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let scenarios = root().join("examples/scenarios");
    let dir = temp("doc-scenario");
    let file = dir.join("guarded.test.toml");
    // The page's paths are relative to examples/formulas/.
    std::fs::write(
        &file,
        toml.replace("../scenarios/", &format!("{}/", path(&scenarios))),
    )
    .unwrap();
    let (code, stdout, stderr) = run(&["test", path(&file)]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("  ok    a cold start that starts\n"),
        "{stdout}"
    );
}

#[test]
fn wrong_expectations_say_what_the_formula_gave() {
    let dir = temp("expectations");
    let file = dir.join("t.test.toml");
    // $tasks = 3 * 0.1 is 0.30000000000000004 in doubles: within 1e-9 of 0.3.
    std::fs::write(
        &file,
        "formula = \"$tasks = 3 * 0.1; $TargetDedicatedNodes = 2;\"\n\
         [[case]]\nname = \"close enough\"\nat = \"PT0S\"\nvariables = { \"$tasks\" = 0.3 }\n\
         [[case]]\nname = \"a misspelled variable\"\nat = \"PT0S\"\nvariables = { \"$task\" = 0.3 }\n\
         [[case]]\nname = \"an error that does not happen\"\nat = \"PT0S\"\nerror = \"InsufficientSampleData\"\n",
    )
    .unwrap();
    let (code, stdout, _) = run(&["test", path(&file)]);
    assert_eq!(code, 1);
    assert!(stdout.contains("  ok    close enough\n"), "{stdout}");
    assert!(
        stdout.contains("        $task\n          expected: 0.3\n          actual:   not assigned\n          the formula does not assign `$task`; did you mean `$tasks`?\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("        error\n          expected: InsufficientSampleData\n          actual:   no error\n"),
        "{stdout}"
    );
}

#[test]
fn junit_reports_bad_input_as_an_error() {
    let (_, _, bad_file) = bad(
        "junit-error",
        "formula_file = \"f.formula\"\n[[case]]\nname = \"c\"\n",
    );
    let good = root().join("examples/formulas/e10-trivial.test.toml");
    let (code, stdout, _) = run(&["test", "--format", "junit", &bad_file, path(&good)]);
    assert_eq!(code, 2);
    let names = well_formed(&stdout);
    assert_eq!(names.iter().filter(|n| *n == "testsuite").count(), 2);
    assert_eq!(names.iter().filter(|n| *n == "error").count(), 1);
    assert_eq!(attribute(&stdout, "<testsuites", "errors"), "1");
    assert_eq!(attribute(&stdout, "<testsuites", "tests"), "2");
}

#[test]
fn delay_hides_the_newest_samples() {
    let dir = temp("delay");
    let file = dir.join("t.test.toml");
    // Sample i is i, at i × 30 s. At 600 s: with no delay the newest is
    // sample 20 and the 5-minute window [300 s, 600 s) holds samples 10-19
    // (10 of 10); with a delay of 60 s the newest is sample 18 and the window
    // holds samples 10-18 (9 of 10 = 90%).
    let text = |delay: &str| {
        format!(
            "formula = \"$latest = val($PendingTasks.GetSample(1), 0); $percent = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 5);\"\n\
             {delay}\n[series]\n\"$PendingTasks\" = \"0+1x20\"\n\
             [[case]]\nname = \"c\"\nat = \"PT10M\"\nvariables = {{ \"$latest\" = 20, \"$percent\" = 100 }}\n"
        )
    };
    std::fs::write(&file, text("")).unwrap();
    assert_eq!(run(&["test", path(&file)]).0, 0);
    std::fs::write(
        &file,
        text("delay = \"PT1M\"").replace("= 20, \"$percent\" = 100", "= 18, \"$percent\" = 90"),
    )
    .unwrap();
    let (code, stdout, _) = run(&["test", path(&file)]);
    assert_eq!(code, 0, "{stdout}");
}
