//! The README's REPL transcript (`tests/repl/readme-session.txt`) replayed
//! through piped stdin: every `> ` line (and the continuation lines an open
//! bracket or `? :` asks for) is input, everything else is the expected output.
//!
//! The values in it were worked out by hand: samples 6, 8, (missing), 12, 14
//! every 30 s with the newest at now; the window [now-2 min, now) holds 6, 8
//! and 12, 3 of 4 expected (75%), average 26/3 = 8.66667; round(8.66667) = 9.

use std::io::Write;
use std::process::{Command, Stdio};

use batchscale::repl::needs_more;

const TRANSCRIPT: &str = include_str!("../repl/readme-session.txt");

/// Splits a transcript into (input script, expected output).
fn split(transcript: &str) -> (String, String) {
    let mut script = String::new();
    let mut expected = String::new();
    let mut pending = String::new();
    for line in transcript.lines() {
        let continued = !pending.is_empty() && needs_more(&pending);
        if let Some(input) = line.strip_prefix("> ").filter(|_| !continued) {
            pending = input.to_string();
            script.push_str(input);
            script.push('\n');
        } else if continued {
            pending.push('\n');
            pending.push_str(line);
            script.push_str(line);
            script.push('\n');
        } else {
            pending.clear();
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

/// Once the lead merges the transcript into README.md after a
/// `<!-- repl-transcript -->` marker, the README copy must match too.
#[test]
fn the_readme_copy_matches_when_present() {
    let Ok(readme) = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
    else {
        return;
    };
    let Some((_, after)) = readme.split_once("<!-- repl-transcript -->") else {
        return;
    };
    let block = after
        .split_once("```text\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .expect("a ```text block after the marker");
    assert_eq!(block, TRANSCRIPT);
}
