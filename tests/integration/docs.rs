//! The command examples of README.md that no other area runs: each is run as
//! written and its output compared with what the page shows.

use std::path::Path;
use std::process::Command;

use crate::common;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// The body of the first block opened by `fence` (such as "```text") after
/// `marker` in `page`.
fn block_after(page: &str, marker: &str, fence: &str) -> String {
    let (_, after) = page
        .split_once(marker)
        .unwrap_or_else(|| panic!("the page has no `{marker}`"));
    let (_, rest) = after
        .split_once(&format!("{fence}\n"))
        .unwrap_or_else(|| panic!("no {fence} block after `{marker}`"));
    let (body, _) = rest.split_once("```").expect("a closing fence");
    body.to_string()
}

#[test]
fn the_repl_script() {
    let command = "printf ':now 2025-04-24T12:00:00Z\\n$TargetDedicatedNodes = 3;\\n:results\\n' | batchscale repl";
    let page = readme();
    assert!(page.contains(command));
    // What printf writes: the `\n` escapes become line breaks.
    let script = ":now 2025-04-24T12:00:00Z\n$TargetDedicatedNodes = 3;\n:results\n";
    let out = common::batchscale(&["repl"], script, &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        block_after(&page, command, "```text")
    );
}

#[test]
fn the_simulate_comparison() {
    let page = readme();
    let shown = block_after(
        &page,
        "From `examples/scenarios/`, a new pool with 400 queued tasks",
        "```console",
    );
    let mut lines = shown.lines();
    let command = lines.next().unwrap();
    assert_eq!(
        command,
        "$ batchscale simulate --compare cold-start.formula cold-start-guarded.formula cold-start.toml"
    );
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios");
    let out = Command::new(env!("CARGO_BIN_EXE_batchscale"))
        .current_dir(&dir)
        .args(command.split_whitespace().skip(2))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    // Every line shown (`...` stands for lines left out) is printed, in order.
    let mut printed = stdout.lines();
    for line in lines.filter(|l| *l != "...") {
        assert!(
            printed.any(|p| p == line),
            "`{line}` is not printed, or not in this order:\n{stdout}"
        );
    }
}
