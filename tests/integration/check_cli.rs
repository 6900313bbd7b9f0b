//! The `check` command line: exit codes, policies, `--explain`, stdin, colour.

use crate::common;

use std::process::Output;

fn run(args: &[&str], stdin: &str, envs: &[(&str, &str)]) -> Output {
    common::batchscale(args, stdin, envs)
}

const CLEAN: &str = "$TargetDedicatedNodes = 2;\n";
const WARNS: &str = "a = 1;\n$TargetDedicatedNodes = 2;\n";
const BROKEN: &str = "$TargetDedicatedNodes = $PendingTasks.GetAverage();\n";

#[test]
fn exit_codes() {
    assert_eq!(run(&["check", "-"], CLEAN, &[]).status.code(), Some(0));
    // Warnings alone do not fail...
    assert_eq!(run(&["check", "-"], WARNS, &[]).status.code(), Some(0));
    // ...unless denied.
    let denied = run(&["check", "--deny", "warnings", "-"], WARNS, &[]);
    assert_eq!(denied.status.code(), Some(1));
    let one = run(&["check", "--deny", "unused-variable", "-"], WARNS, &[]);
    assert_eq!(one.status.code(), Some(1));
    assert_eq!(run(&["check", "-"], BROKEN, &[]).status.code(), Some(1));
    // Usage and input errors.
    assert_eq!(
        run(&["check", "--allow", "nope", "-"], CLEAN, &[])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["check", "--allow", "syntax-error", "-"], CLEAN, &[])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["check", "--define", "x", "-"], CLEAN, &[])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["check", "/no/such/file"], "", &[]).status.code(),
        Some(2)
    );
    assert_eq!(run(&["check"], "", &[]).status.code(), Some(2));
}

#[test]
fn allow_drops_the_warning() {
    let out = run(
        &[
            "check",
            "--allow",
            "unused-variable",
            "--format",
            "json",
            "-",
        ],
        WARNS,
        &[],
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "");
}

#[test]
fn explain_prints_the_text() {
    let out = run(&["check", "--explain", "unguarded-sample"], "", &[]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("unguarded-sample (warning): "));
    assert!(text.contains("batch-shipyard issue #138"));
    let out = run(&["check", "--explain", "unguarded-sampel"], "", &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("did you mean `unguarded-sample`?"), "{err}");
}

#[test]
fn no_colour_off_a_terminal_or_with_no_color() {
    for envs in [&[][..], &[("NO_COLOR", "1")][..]] {
        let out = run(&["check", "-"], BROKEN, envs);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains('\u{1b}'), "escape codes in {text:?}");
        assert!(text.starts_with("error[unknown-method]: Undefined symbol: GetAverage"));
    }
}

#[test]
fn define_fills_placeholders_in_plain_files() {
    let template = "$TargetDedicatedNodes = min({{maxVmCount}}, 4);\n";
    assert_eq!(run(&["check", "-"], template, &[]).status.code(), Some(1));
    let out = run(&["check", "--define", "maxVmCount=10", "-"], template, &[]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn github_annotation_shape() {
    let out = run(&["check", "--format", "github", "-"], BROKEN, &[]);
    let text = String::from_utf8(out.stdout).unwrap();
    // `GetAverage` starts at column 39 (24 + 14 for `$PendingTasks.` + 1).
    assert!(
        text.starts_with("::error file=<stdin>,line=1,col=39,endLine=1,endColumn=49,title=unknown-method::Undefined symbol: GetAverage%0Ahelp: "),
        "{text}"
    );
}
