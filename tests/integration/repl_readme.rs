//! The REPL transcript of docs/repl.md (`tests/repl/readme-session.txt`) replayed
//! through piped stdin: every `> ` line (and the continuation lines an open
//! bracket or `? :` asks for) is input, everything else is the expected output.
//!
//! The values in it were worked out by hand: samples 6, 8, (missing), 12, 14
//! every 30 s with the newest at now; the window [now-2 min, now) holds 6, 8
//! and 12, 3 of 4 expected (75%), average 26/3 = 8.66667; round(8.66667) = 9.

use std::io::Write;
use std::process::{Command, Stdio};

const TRANSCRIPT: &str = include_str!("../repl/readme-session.txt");

/// Splits a transcript into (input script, expected output). An input is a
/// `> ` line and the lines indented by four spaces right after it (the
/// continuation lines an open bracket or `? :` asks for); no output line of
/// the REPL starts with four spaces. Whether the REPL really asks for those
/// lines shows in its output: an input cut short would print a syntax error.
fn split(transcript: &str) -> (String, String) {
    let mut script = String::new();
    let mut expected = String::new();
    let mut in_input = false;
    for line in transcript.lines() {
        let continued = in_input && line.starts_with("    ");
        if let Some(input) = line.strip_prefix("> ") {
            in_input = true;
            script.push_str(input);
            script.push('\n');
        } else if continued {
            script.push_str(line);
            script.push('\n');
        } else {
            in_input = false;
            expected.push_str(line);
            expected.push('\n');
        }
    }
    (script, expected)
}

fn run(script: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_batchscale"))
        .arg("repl")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(1), "the transcript shows one error");
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn the_readme_transcript_is_what_the_repl_prints() {
    let (script, expected) = split(TRANSCRIPT);
    assert!(
        script.contains("? \n") || script.contains("?\n"),
        "has a continued input"
    );
    assert!(expected.ends_with(
        "$TargetDedicatedNodes=9;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$tasks=8.66667\n"
    ));
    assert_eq!(run(&script), expected);
}

/// The copy in docs/repl.md, the ```text block after the
/// `<!-- repl-transcript -->` marker, is the transcript replayed above.
#[test]
fn the_docs_copy_matches() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/repl.md"))
        .expect("docs/repl.md");
    let (_, after) = docs
        .split_once("<!-- repl-transcript -->")
        .expect("the marker in docs/repl.md");
    let block = after
        .split_once("```text\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .expect("a ```text block after the marker");
    assert_eq!(block, TRANSCRIPT);
}
