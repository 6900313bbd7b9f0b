//! `check` on the host files users keep formulas in: each fixture under
//! tests/fixtures/check/files/ is either valid (exit 0, no error) or has its
//! error at the host file's own line and column, counted in the fixture.

use std::process::Command;

use crate::common::batchscale;

use serde_json::Value;

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/check/files/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Runs `batchscale ARGS` with `stdin`; returns (exit code, stdout, stderr).
fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let out = batchscale(args, stdin, &[]);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `check --format json` on one fixture: (exit code, records).
fn check(name: &str) -> (i32, Vec<Value>) {
    let (code, stdout, _) = run(&["check", "--format", "json", &fixture(name)], "");
    let records = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON record per line"))
        .collect();
    (code, records)
}

/// (line, column, code) of every record of a severity.
fn of(records: &[Value], severity: &str) -> Vec<(u64, u64, String)> {
    records
        .iter()
        .filter(|r| r["severity"] == severity)
        .map(|r| {
            (
                r["line"].as_u64().unwrap_or(0),
                r["column"].as_u64().unwrap_or(0),
                r["code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn valid_terraform_has_no_error() {
    let (code, records) = check("valid.tf");
    assert_eq!(of(&records, "error"), [], "{records:?}");
    assert_eq!(code, 0);
    let infos = of(&records, "info");
    // Each interpolation once, at its `${`: line 22 holds two (columns 56
    // and 93); the directive at line 32, column 7; its branches' two
    // interpolations after 6 spaces, the target, ` = ` and `min(`: column
    // 6 + 23 + 3 + 4 + 1 = 37 on line 33 (`$TargetLowPriorityNodes`), and
    // 6 + 21 + 3 + 4 + 1 = 35 on line 35 (`$TargetDedicatedNodes`).
    for place in [(22, 56), (22, 93), (32, 7), (33, 37), (35, 35)] {
        let n = infos.iter().filter(|(l, c, _)| (*l, *c) == place).count();
        assert_eq!(n, 1, "{place:?} in {infos:?}");
    }
}

#[test]
fn a_variable_default_is_checked_where_it_is_written() {
    let (code, records) = check("local-error.tf");
    assert_eq!(code, 1);
    // `$PendingTask` starts at column 45 of line 2 (`  default = "` is 13
    // bytes, `$TargetDedicatedNodes = max(1, ` 31 more).
    assert_eq!(
        of(&records, "error"),
        [(2, 45, "undefined-symbol".to_string())]
    );
}

#[test]
fn valid_bicep_has_no_error() {
    let (code, records) = check("valid.bicep");
    assert_eq!(of(&records, "error"), [], "{records:?}");
    assert_eq!(code, 0);
    // `$${maxNodes}` in the `$$'''` string (line 43, column 29) is an
    // interpolation.
    assert!(of(&records, "info").contains(&(43, 29, "not-statically-checkable".to_string())));
}

#[test]
fn verbatim_bicep_reports_dollar_brace_as_formula_text() {
    let (code, records) = check("verbatim.bicep");
    assert_eq!(code, 1);
    // `${maxNodes}` at column 29 of line 9 reaches the service as text.
    assert_eq!(
        of(&records, "error"),
        [(9, 29, "template-placeholder".to_string())]
    );
    let help = records[0]["help"].as_str().unwrap_or("");
    assert!(help.contains("$'''"), "{help}");
}

#[test]
fn json_near_miss_and_missing_formula_warn() {
    let (code, records) = check("misspelled.json");
    assert_eq!(code, 0);
    assert_eq!(
        of(&records, "warning"),
        [(4, 3, "misspelled-key".to_string())]
    );
    let (code, records) = check("no-formula.json");
    assert_eq!(code, 0);
    assert_eq!(of(&records, "warning"), [(3, 3, "no-formula".to_string())]);
}

#[test]
fn invalid_json_is_an_input_error() {
    let (code, _, stderr) = run(&["check", &fixture("bad-literal.json")], "");
    assert_eq!(code, 2);
    // `tru` starts at column 22 of line 3.
    assert!(
        stderr.contains("bad-literal.json:3:22: expected a JSON value"),
        "{stderr}"
    );
}

#[test]
fn stdin_filename_picks_the_reader_and_names_the_report() {
    let tf = std::fs::read_to_string(fixture("local-error.tf")).unwrap_or_default();
    let (code, stdout, _) = run(
        &[
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "pools/main.tf",
            "-",
        ],
        &tf,
    );
    assert_eq!(code, 1);
    let record: Value =
        serde_json::from_str(stdout.lines().next().unwrap_or("")).unwrap_or_default();
    assert_eq!(record["file"], "pools/main.tf");
    assert_eq!(
        (record["line"].as_u64(), record["column"].as_u64()),
        (Some(2), Some(45))
    );
    let (code, _, stderr) = run(&["fmt", "--stdin-filename", "main.tf", "-"], &tf);
    assert_eq!(code, 2);
    assert!(stderr.contains("main.tf: a Terraform file"), "{stderr}");
}

/// A fresh directory under the target's temporary folder.
fn scratch(name: &str) -> std::path::PathBuf {
    let root = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("scratch directory");
    root
}

const BROKEN: &str = "$TargetDedicatedNodes = = 1;\n";
const GOOD: &str = "$TargetDedicatedNodes = 1;\n";

#[test]
fn walks_respect_gitignore_and_exclude() {
    let root = scratch("files-ignore");
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("parent");
        }
        std::fs::write(path, text).expect("fixture file");
    };
    write(".gitignore", "generated/\n");
    write("generated/broken.formula", BROKEN);
    write("vendor/broken.formula", BROKEN);
    write("pools/good.formula", GOOD);
    let dir = root.to_string_lossy().into_owned();
    let (code, _, stderr) = run(&["check", &dir], "");
    // `vendor/` is not ignored by `.gitignore`: its error is found.
    assert_eq!(code, 1, "{stderr}");
    let (code, _, stderr) = run(&["check", "--exclude", "vendor", &dir], "");
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("checked 1 file"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_name_that_is_not_utf8_is_read_exactly() {
    use std::os::unix::ffi::OsStrExt;
    let root = scratch("files-non-utf8");
    // Two names that display alike (U+FFFD for the bad byte): only the
    // second holds an error, and it must be the one read.
    let bad = std::ffi::OsStr::from_bytes(b"pool-\xff.formula");
    let decoy = "pool-\u{FFFD}.formula";
    std::fs::write(root.join(bad), BROKEN).expect("non-UTF-8 name");
    std::fs::write(root.join(decoy), GOOD).expect("decoy");
    let (code, stdout, stderr) = run(&["check", "--format", "json", &root.to_string_lossy()], "");
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let (_, _, stderr) = run(&["check", &root.to_string_lossy()], "");
    assert!(stderr.contains("checked 2 files: 1 error"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_loop_is_noted() {
    let root = scratch("files-loop");
    std::fs::create_dir_all(root.join("a")).expect("dir");
    std::fs::write(root.join("a/good.formula"), GOOD).expect("file");
    std::os::unix::fs::symlink("..", root.join("a/up")).expect("symlink");
    let (code, _, stderr) = run(&["check", &root.to_string_lossy()], "");
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("symbolic link loop"), "{stderr}");
}

#[test]
fn explain_without_a_code_lists_every_code() {
    let (code, stdout, _) = run(&["check", "--explain"], "");
    assert_eq!(code, 0);
    for rule in batchscale::lint::RULES {
        let line = stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(rule.code));
        assert!(
            line.is_some_and(|l| l.ends_with(rule.summary)),
            "{}",
            rule.code
        );
    }
    assert_eq!(stdout.lines().count(), batchscale::lint::RULES.len());
}

#[test]
fn names_from_other_habits_get_the_formula_name() {
    use batchscale::lint::{check_formula, CheckOptions};
    let help = |text: &str, code: &str| {
        check_formula(text, &CheckOptions::default())
            .into_iter()
            .find(|d| d.code == code)
            .and_then(|d| d.help)
            .unwrap_or_default()
    };
    let text = "$TargetDedicatedNodes = average($CurrentDedicatedNodes);";
    assert!(help(text, "undefined-symbol").contains("`avg`"));
    let text = "$TargetSpotNodes = 1;";
    assert!(help(text, "similar-name").contains("`$TargetLowPriorityNodes`"));
    let text = "$TargetDedicatedNodes = 1e3;";
    assert!(help(text, "syntax-error").contains("`1000`"));
}

#[test]
fn an_unreadable_file_is_an_input_error_everywhere() {
    let missing = fixture("no-such-file.formula");
    for args in [
        vec!["check", missing.as_str()],
        vec!["eval", missing.as_str()],
        vec!["fmt", "--check", missing.as_str()],
        vec!["repl", missing.as_str()],
    ] {
        let (code, _, stderr) = run(&args, "");
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(
            stderr.contains("no-such-file.formula"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn check_offers_no_evaluation_budget() {
    let (code, _, stderr) = run(&["check", "--max-eval-steps", "5", "-"], GOOD);
    assert_eq!(code, 2);
    assert!(stderr.contains("--max-eval-steps"), "{stderr}");
}

/// The first fenced block of `kind` in `doc`.
fn block<'a>(doc: &'a str, kind: &str) -> &'a str {
    let open = format!("```{kind}\n");
    let start = doc.find(&open).map_or(doc.len(), |i| i + open.len());
    let rest = doc.get(start..).unwrap_or("");
    rest.get(..rest.find("```").unwrap_or(rest.len()))
        .unwrap_or("")
}

#[test]
fn the_check_files_doc_example_runs() {
    let doc = std::fs::read_to_string(format!(
        "{}/docs/check-files.md",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_or_default();
    let root = scratch("files-doc");
    std::fs::write(root.join("main.tf"), block(&doc, "hcl")).expect("example file");
    let out = Command::new(env!("CARGO_BIN_EXE_batchscale"))
        .current_dir(&root)
        .args(["check", "main.tf"])
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), block(&doc, "text"));
}
