//! The examples of `check` and `fmt` in README.md, docs/check.md and
//! docs/fmt.md, run as written; each test also asserts that the pages show
//! the text it runs and the output it expects.

use crate::common;

use std::process::Command;

fn run(args: &[&str], stdin: &str) -> (i32, String) {
    let out = common::batchscale(args, stdin, &[]);
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

const POOL: &str = "$samples = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 15);
$tasks = $samples < 70 ? max(0, $PendingTasks.GetSample(1)) : avg($PendingTasks.GetSample(TimeInterval_Minute * 15))
$TargetDedicatedNodes = min(10, ceil($tasks));
";

/// Asserts that each of `pages` (paths from the crate root) shows `text`.
fn shown_in(pages: &[&str], text: &str) {
    for page in pages {
        let path = format!("{}/{page}", env!("CARGO_MANIFEST_DIR"));
        let doc = std::fs::read_to_string(&path).unwrap();
        assert!(doc.contains(text), "{page} does not show:\n{text}");
    }
}

fn in_file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("bs-readme-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), text).unwrap();
    dir.to_str().unwrap().to_string()
}

#[test]
fn readme_check_text() {
    let dir = in_file("pool.formula", POOL);
    let out = Command::new(env!("CARGO_BIN_EXE_batchscale"))
        .current_dir(&dir)
        .args(["check", "pool.formula"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    // The error is at the token the parser could not take, `$TargetDedicatedNodes`
    // (line 3, column 1, 21 characters); the `;` belongs after the `)` that
    // ends line 2 (116 characters long), at column 117.
    let expected = "error[missing-semicolon]: missing `;` between statements
 --> pool.formula:3:1
  |
2 | $tasks = $samples < 70 ? max(0, $PendingTasks.GetSample(1)) : avg($PendingTasks.GetSample(TimeInterval_Minute * 15))
  |                                                                                                                     - info: a `;` belongs here
3 | $TargetDedicatedNodes = min(10, ceil($tasks));
  | ^^^^^^^^^^^^^^^^^^^^^
  |
  = help: suggested fix: insert `;`
  = help: statements must be separated by `;`: insert one after the previous statement

";
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "checked 1 file: 1 error, 0 warnings, 0 info\n"
    );
    let pages = ["README.md", "docs/check.md"];
    shown_in(&pages, POOL);
    // The page shows stdout then stderr, as a terminal would.
    let shown = format!(
        "$ batchscale check pool.formula\n{expected}checked 1 file: 1 error, 0 warnings, 0 info\n"
    );
    shown_in(&pages, &shown);
}

#[test]
fn readme_check_github_and_service() {
    let dir = in_file("pool.formula", POOL);
    let github = Command::new(env!("CARGO_BIN_EXE_batchscale"))
        .current_dir(&dir)
        .args(["check", "--format", "github", "pool.formula"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(github.stdout).unwrap(),
        "::error file=pool.formula,line=3,col=1,endLine=3,endColumn=22,title=missing-semicolon::missing `;` between statements%0Ahelp: statements must be separated by `;`: insert one after the previous statement\n"
    );
    shown_in(&["docs/check.md"], "::error file=pool.formula,line=3,col=1,endLine=3,endColumn=22,title=missing-semicolon::missing `;` between statements%0Ahelp: statements must be separated by `;`: insert one after the previous statement\n");
    let service = Command::new(env!("CARGO_BIN_EXE_batchscale"))
        .current_dir(&dir)
        .args(["check", "--format", "service", "pool.formula"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(service.stdout).unwrap(),
        "pool.formula: Line 3, Col 1: missing `;` between statements [missing-semicolon]\n"
    );
    shown_in(
        &["docs/check.md"],
        "pool.formula: Line 3, Col 1: missing `;` between statements [missing-semicolon]\n",
    );
}

#[test]
fn readme_fmt() {
    let messy = "// Scale on the queue, at most 10 nodes.\ntasks=val($PendingTasks.GetSample(1),0);$TargetDedicatedNodes=min(10,tasks) // cap\n";
    let (code, out) = run(&["fmt", "-"], messy);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "// Scale on the queue, at most 10 nodes.\ntasks = val($PendingTasks.GetSample(1), 0);\n$TargetDedicatedNodes = min(10, tasks); // cap\n"
    );
    let pages = ["README.md", "docs/fmt.md"];
    shown_in(&pages, messy);
    shown_in(&pages, &out);
}

#[test]
fn readme_explain() {
    let (code, out) = run(&["check", "--explain", "bare-metric"], "");
    assert_eq!(code, 0);
    assert!(
        out.starts_with("bare-metric (warning): a sampled metric used without a sample method\n\n")
    );
    shown_in(
        &["docs/check.md"],
        "$ batchscale check --explain bare-metric\n  bare-metric (warning): a sampled metric used without a sample method\n",
    );
}
