//! The README's guarantees at the command line, one test per finding of
//! issue 18 (and issue 13's encodings): each runs `batchscale` as a user or a
//! CI job would and asserts the ordinary error or the intact file, never time.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_batchscale");

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    crate::common::scratch(&format!("guarantees-{name}"))
}

/// Runs `batchscale ARGS` with `stdin` as standard input, without colour.
/// The command may stop reading early (a limit, an error): that is its answer.
fn run(args: &[&str], stdin: &[u8]) -> Output {
    crate::common::batchscale_with(args, stdin, |command| {
        command.env("NO_COLOR", "1");
    })
}

/// Runs a shell command line with `$0` set to the batchscale binary.
fn shell(script: &str) -> Output {
    Command::new("bash")
        .args(["-c", script, BIN])
        .env("NO_COLOR", "1")
        .output()
        .expect("bash")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn no_panic(out: &Output) {
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(out.status.code(), Some(101), "{stderr}");
}

/// 30,000 statements of 9 bytes: 270,000 bytes of output from `fmt`, more
/// than a pipe holds, so a reader that stops early closes it mid-write.
fn big_formula() -> String {
    "$x0 = 1;\n".repeat(30_000)
}

#[test]
fn broken_pipe_ends_quietly_with_the_sigpipe_status() {
    let dir = scratch("pipe");
    let file = dir.join("big.txt");
    std::fs::write(&file, big_formula()).expect("write");
    // `head -c 1` exits after one byte; 141 = 128 + SIGPIPE, the shell's code
    // for a writer to a closed pipe.
    let out = shell(&format!(
        "\"$0\" fmt - < '{}' | head -c 1 > /dev/null; echo \"${{PIPESTATUS[0]}}\"",
        file.display()
    ));
    no_panic(&out);
    assert_eq!(text(&out.stdout).trim(), "141");
    assert_eq!(
        text(&out.stderr),
        "",
        "a closed pipe is not an error to report"
    );
}

#[test]
fn full_disk_on_stdout_is_exit_2_naming_the_stream() {
    let out = shell(
        "echo '$TargetDedicatedNodes = 1;' | \"$0\" eval --now 2025-01-01T00:00:00Z - > /dev/full",
    );
    no_panic(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("error: cannot write to standard output"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn fmt_under_a_file_size_limit_leaves_the_file_intact() {
    let dir = scratch("ulimit");
    let file = dir.join("f.txt");
    // Unformatted (no spaces), so fmt rewrites it; formatting makes it larger
    // than the 4 KiB limit below (bash counts `ulimit -f` in 1024-byte blocks).
    let original = "$x=1;\n".repeat(2_000);
    std::fs::write(&file, &original).expect("write");
    let out = shell(&format!("ulimit -f 4; \"$0\" fmt '{}'", file.display()));
    assert_ne!(
        out.status.code(),
        Some(0),
        "the rewrite cannot have succeeded"
    );
    let after = std::fs::read_to_string(&file).expect("read back");
    assert_eq!(after, original, "the original must be untouched");
}

#[test]
fn dev_zero_inputs_stop_at_their_limit() {
    let formula = "$TargetDedicatedNodes = 1;\n";
    for args in [
        vec!["eval", "/dev/zero"],
        vec!["fmt", "--check", "/dev/zero"],
        vec!["eval", "--context", "/dev/zero", "-"],
        vec!["eval", "--metrics", "/dev/zero", "-"],
    ] {
        let out = run(&args, formula.as_bytes());
        no_panic(&out);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains("/dev/zero: file is larger than the limit of"),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn fifos_are_read_within_their_limit() {
    // Process substitution hands the command a pipe path (/dev/fd/N).
    let out = shell("\"$0\" eval --now 2025-01-01T00:00:00Z <(echo '$TargetDedicatedNodes = 3;')");
    no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("$TargetDedicatedNodes=3"));
}

#[test]
fn control_characters_in_a_comment_reach_no_terminal() {
    // An OSC title sequence, BEL and a bare CR that a CI runner would take for
    // a line break followed by a workflow command.
    let formula = "$x = ; // \u{1b}]0;owned\u{7} \r::stop-commands::x\n";
    let out = run(&["check", "-"], formula.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(!stdout.contains('\u{1b}') && !stdout.contains('\r') && !stdout.contains('\u{7}'));
    assert!(
        stdout.contains("// \\u{1b}]0;owned\\u{7} \\r::stop-commands::x"),
        "{stdout}"
    );
    let service = text(&run(&["check", "--format", "service", "-"], formula.as_bytes()).stdout);
    assert!(
        !service.contains('\u{1b}') && !service.contains('\r'),
        "{service}"
    );
    let github = text(&run(&["check", "--format", "github", "-"], formula.as_bytes()).stdout);
    assert!(!github.contains('\r'), "{github}");
}

#[test]
fn control_characters_in_repl_values_are_escaped() {
    let out = run(&["repl"], b"$s = \"a\x1b[2Jb\";\n");
    let stdout = text(&out.stdout);
    assert!(!stdout.contains('\u{1b}'), "{stdout}");
    assert!(stdout.contains("a\\u{1b}[2Jb"), "{stdout}");
}

#[test]
fn fmt_keeps_a_utf8_bom() {
    let dir = scratch("bom");
    let file = dir.join("f.txt");
    std::fs::write(&file, b"\xEF\xBB\xBF$TargetDedicatedNodes=1;\n").expect("write");
    let out = run(&["fmt", file.to_str().expect("utf-8 path")], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let after = std::fs::read(&file).expect("read back");
    assert_eq!(after, b"\xEF\xBB\xBF$TargetDedicatedNodes = 1;\n");
}

/// `s` in UTF-16 with a byte-order mark.
fn utf16(s: &str, little: bool) -> Vec<u8> {
    let units = std::iter::once(0xFEFF).chain(s.encode_utf16());
    if little {
        units.flat_map(u16::to_le_bytes).collect()
    } else {
        units.flat_map(u16::to_be_bytes).collect()
    }
}

#[test]
fn utf16_files_are_read_by_check_eval_and_fmt() {
    let dir = scratch("utf16");
    // The error is on line 2, column 5 in characters (é is one character).
    let formula = "// é\n$x = ;\n";
    for little in [true, false] {
        let file = dir.join(if little { "le.txt" } else { "be.txt" });
        std::fs::write(&file, utf16(formula, little)).expect("write");
        let path = file.to_str().expect("utf-8 path");
        let check = run(&["check", "--format", "json", path], b"");
        assert_eq!(check.status.code(), Some(1), "{}", text(&check.stderr));
        let stdout = text(&check.stdout);
        assert!(
            stdout.contains("\"line\":2") && stdout.contains("\"column\":6"),
            "{stdout}"
        );
        // A valid UTF-16 formula evaluates as its UTF-8 twin does.
        std::fs::write(&file, utf16("$TargetDedicatedNodes=2;", little)).expect("write");
        let eval = run(&["eval", "--now", "2025-01-01T00:00:00Z", path], b"");
        assert_eq!(eval.status.code(), Some(0), "{}", text(&eval.stderr));
        assert!(text(&eval.stdout).contains("$TargetDedicatedNodes=2"));
        // fmt rewrites it in UTF-16 still, with its mark.
        let fmt = run(&["fmt", path], b"");
        assert_eq!(fmt.status.code(), Some(0), "{}", text(&fmt.stderr));
        let after = std::fs::read(&file).expect("read back");
        assert_eq!(after, utf16("$TargetDedicatedNodes = 2;\n", little));
    }
}

#[test]
fn other_encodings_are_an_input_error_naming_the_file() {
    // Latin-1 "é" (0xE9) is not UTF-8, and there is no byte-order mark.
    let out = run(&["eval", "-"], b"// \xE9\n$TargetDedicatedNodes = 1;\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("-:1:4: invalid UTF-8 (byte 0xE9)"),
        "{}",
        text(&out.stderr)
    );
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn fmt_rewrites_through_symlinks_and_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("symlink");
    let target = dir.join("target.txt");
    let link = dir.join("link.txt");
    std::fs::write(&target, "$x=1;\n").expect("write");
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let out = run(&["fmt", path_str(&link)], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::symlink_metadata(&link)
        .expect("link")
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read_to_string(&target).expect("target"),
        "$x = 1;\n"
    );
    let mode = std::fs::metadata(&target)
        .expect("target")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
}

#[test]
fn fmt_gives_a_hard_linked_name_a_new_file() {
    // Documented in docs/guarantees-io.md: the rename replaces one name; the
    // other hard link keeps the old content.
    let dir = scratch("hardlink");
    let file = dir.join("f.txt");
    let other = dir.join("other.txt");
    std::fs::write(&file, "$x=1;\n").expect("write");
    std::fs::hard_link(&file, &other).expect("hard link");
    let out = run(&["fmt", path_str(&file)], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&file).expect("file"), "$x = 1;\n");
    assert_eq!(std::fs::read_to_string(&other).expect("other"), "$x=1;\n");
}

#[test]
fn fmt_refuses_a_read_only_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("readonly");
    let file = dir.join("f.txt");
    std::fs::write(&file, "$x=1;\n").expect("write");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let out = run(&["fmt", path_str(&file)], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("read-only"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&file).expect("file"), "$x=1;\n");
}

#[test]
fn repl_save_does_not_overwrite_without_bang() {
    let dir = scratch("save");
    let file = dir.join("kept.txt");
    std::fs::write(&file, "precious\n").expect("write");
    let path = path_str(&file);
    let script = format!("$x = 1;\n:save {path}\n");
    let out = run(&["repl"], script.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("exists; `:save! "),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(std::fs::read_to_string(&file).expect("file"), "precious\n");
    let script = format!("$x = 1;\n:save! {path}\n");
    let out = run(&["repl"], script.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(std::fs::read_to_string(&file).expect("file"), "$x = 1;\n");
}

#[test]
fn repl_invalid_utf8_line_fails_alone() {
    let out = run(&["repl"], b"$a = 1;\n$b = \"\xFF\";\n$c = 3;\n");
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("error: <stdin>:2: invalid UTF-8 (byte 0xFF)"),
        "{stdout}"
    );
    assert!(stdout.contains("$c = 3"), "the script goes on: {stdout}");
}

#[test]
fn repl_over_long_input_fails_alone() {
    // One line of 1 MiB + 1 bytes: past the limit on one input (the hard cap on
    // a formula's size), so that line fails and the next still runs.
    let mut script = vec![b'x'; (1 << 20) + 1];
    script.extend_from_slice(b"\n$c = 3;\n");
    let out = run(&["repl"], &script);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("error: <stdin>:1: input is longer than the limit"),
        "{stdout}"
    );
    assert!(stdout.contains("$c = 3"), "{stdout}");
}

#[test]
fn define_twice_is_an_error() {
    let out = run(
        &["check", "--define", "a=1", "--define", "a=2", "-"],
        b"$TargetDedicatedNodes = 1;\n",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--define `a` is given twice"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn out_of_range_duration_is_called_out_of_range() {
    // 11,000,000 days is past the ~29,227 years that 100 ns ticks in an i64 hold.
    let out = run(&["repl"], b":advance 11000000d\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("is out of range"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn long_line_diagnostic_shows_a_bounded_excerpt() {
    // A 200,005-character line with an error at its end: the rendered
    // diagnostic shows a cut excerpt, not the line.
    let formula = format!("$x = {};\n", "1 + ".repeat(50_000));
    let out = run(
        &["check", "--max-chars", "1048576", "-"],
        formula.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("expected an expression"), "{stdout}");
    assert!(stdout.len() < 4_000, "{} bytes of output", stdout.len());
}
