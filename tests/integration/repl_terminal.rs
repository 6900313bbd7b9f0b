//! `batchscale repl` on a pseudo-terminal: tab completion, Ctrl-C, Ctrl-D and
//! history kept across sessions in the user's data directory.

#![cfg(unix)]

use std::process::Command;

use rexpect::session::{spawn_command, PtySession};

const TIMEOUT_MS: u64 = 20_000;

fn start(data: &std::path::Path) -> PtySession {
    let mut command = Command::new(env!("CARGO_BIN_EXE_batchscale"));
    command
        .arg("repl")
        .env("XDG_DATA_HOME", data)
        .env("HOME", data)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1");
    let mut session = spawn_command(command, Some(TIMEOUT_MS)).expect("spawn in a pty");
    session.exp_string("Ctrl-D to leave.").expect("the banner");
    session
}

/// Waits for the prompt (input typed before the editor switches the terminal
/// to raw mode may be discarded), then types `keys`.
fn type_at_prompt(s: &mut PtySession, keys: &str) {
    s.exp_string("> ").expect("the prompt");
    // The editor prints its prompt before it switches the terminal to raw
    // mode; keys sent in between can be lost (about one run in ten lost the
    // line after Ctrl-C). A short pause lets it settle; nothing is timed.
    std::thread::sleep(std::time::Duration::from_millis(100));
    send(s, keys);
}

fn send(s: &mut PtySession, keys: &str) {
    s.send(keys).expect("send");
    s.flush().expect("flush");
}

#[test]
fn completion_ctrl_c_ctrl_d_and_history() {
    let data = std::env::temp_dir().join(format!("batchscale-repl-pty-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).expect("data dir");

    let mut s = start(&data);
    type_at_prompt(&mut s, "$x = 2 * 21;\r");
    s.exp_string("$x = 42").expect("assignment echo");

    // `$Pend<Tab>` has one completion; `GetSamplePerc<Tab>` adds the `(`.
    // No samples: the percentage of a window is 0.
    type_at_prompt(&mut s, "$Pend\t");
    send(&mut s, ".GetSamplePerc\t");
    send(&mut s, "TimeInterval_Minute)\r");
    s.exp_string("0 (double)").expect("completed query");

    // User variables complete too.
    type_at_prompt(&mut s, "$longname = 5;\r");
    s.exp_string("$longname = 5").expect("assignment");
    type_at_prompt(&mut s, "$longn\t * 2\r");
    s.exp_string("10 (double)").expect("completed variable");

    // Ctrl-C drops the line being typed: `$dropped` is never assigned.
    type_at_prompt(&mut s, "$dropped = 1");
    s.send_control('c').expect("ctrl-c");
    type_at_prompt(&mut s, "$dropped\r");
    s.exp_string("Undefined symbol: $dropped")
        .expect("line was cancelled");

    type_at_prompt(&mut s, "6 * 7\r");
    s.exp_string("42 (double)").expect("query");

    // Ctrl-D leaves and saves the history.
    s.exp_string("> ").expect("the prompt");
    s.send_control('d').expect("ctrl-d");
    s.exp_eof().expect("exit on ctrl-d");
    let history = data.join("batchscale").join("repl-history");
    let saved = std::fs::read_to_string(&history).expect("history file");
    assert!(saved.contains("6 * 7"), "{saved}");
    assert!(!saved.contains("$dropped = 1"), "{saved}");

    // A new session recalls the last line with ↑.
    let mut s = start(&data);
    type_at_prompt(&mut s, "\x1b[A");
    send(&mut s, "\r");
    s.exp_string("42 (double)").expect("history recalled");
    type_at_prompt(&mut s, ":quit\r");
    s.exp_eof().expect("exit on :quit");
    let _ = std::fs::remove_dir_all(&data);
}
