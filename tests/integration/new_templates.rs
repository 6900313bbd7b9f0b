//! `batchscale new`: the templates are written as shipped, pass `check` with
//! no warning, take `--set` on their parameter lines only, and refuse unknown
//! templates and parameters with a clear message.

use std::path::PathBuf;

use crate::common::batchscale;

const TEMPLATES: [&str; 6] = [
    "queue-spot",
    "cpu-hysteresis",
    "working-hours",
    "guarded-start",
    "preemption-replace",
    "drain-shrink",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = batchscale(args, "", &[]);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("batchscale-new-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn list_shows_every_template_with_its_parameters() {
    let (code, stdout, _) = run(&["new", "--list"]);
    assert_eq!(code, 0);
    for name in TEMPLATES {
        assert!(
            stdout.lines().any(|l| l.starts_with(name)),
            "{name}:\n{stdout}"
        );
    }
    assert!(
        stdout.contains("maxNodes=40 dedicatedFloor=1 spotShare=0.75"),
        "{stdout}"
    );
}

#[test]
fn each_template_is_written_as_shipped_and_checks_clean() {
    for name in TEMPLATES {
        let (code, stdout, stderr) = run(&["new", name]);
        assert_eq!(code, 0, "{name}: {stderr}");
        let shipped =
            std::fs::read_to_string(root().join(format!("templates/{name}.formula"))).unwrap();
        assert_eq!(stdout, shipped, "{name}");
        // `--deny warnings` turns any warning into a failure.
        let file = root().join(format!("templates/{name}.formula"));
        let (code, stdout, stderr) = run(&["check", "--deny", "warnings", file.to_str().unwrap()]);
        assert_eq!(code, 0, "{name}:\n{stdout}\n{stderr}");
        let (code, stdout, _) = run(&["check", "--format", "json", file.to_str().unwrap()]);
        assert_eq!(code, 0, "{name}");
        assert_eq!(stdout.trim(), "", "{name}: diagnostics reported:\n{stdout}");
    }
}

#[test]
fn set_replaces_the_named_constants_only() {
    let (code, stdout, stderr) = run(&[
        "new",
        "queue-spot",
        "--set",
        "maxNodes=10",
        "--set",
        "$spotShare=0.5",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let shipped = std::fs::read_to_string(root().join("templates/queue-spot.formula")).unwrap();
    let changed: Vec<(&str, &str)> = shipped
        .lines()
        .zip(stdout.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        changed,
        [
            ("$maxNodes = 40;", "$maxNodes = 10;"),
            ("$spotShare = 0.75;", "$spotShare = 0.5;")
        ]
    );
    assert_eq!(shipped.lines().count(), stdout.lines().count());
}

#[test]
fn unknown_names_and_values_are_refused() {
    let (code, stdout, stderr) = run(&["new", "queue-spot", "--set", "maxNode=10"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "error: --set `maxNode=10`: `queue-spot` has no parameter `maxNode`; did you mean `maxNodes`?; \
         its parameters are `maxNodes`, `dedicatedFloor`, `spotShare`\n"
    );
    let (code, _, stderr) = run(&["new", "queue-spot", "--set", "maxNodes=1e3"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("`1e3` is not a number"), "{stderr}");
    let (code, _, stderr) = run(&["new", "queue-spots"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no template `queue-spots`; did you mean `queue-spot`?"),
        "{stderr}"
    );
}

#[test]
fn output_writes_a_new_file_and_keeps_an_existing_one() {
    let dir = temp("output");
    let file = dir.join("pool.formula");
    let args = [
        "new",
        "drain-shrink",
        "--set",
        "shrinkStep=1",
        "-o",
        file.to_str().unwrap(),
    ];
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.contains("\n$shrinkStep = 1;\n"));
    std::fs::write(&file, "kept").unwrap();
    let (code, _, stderr) = run(&args);
    assert_eq!(code, 2);
    assert!(stderr.contains("the file exists"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "kept");
}

#[test]
fn the_doc_example_writes_a_formula_that_checks() {
    let doc = std::fs::read_to_string(root().join("docs/templates.md")).unwrap();
    let console = doc
        .split("```console\n")
        .nth(2)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let mut lines = console.lines();
    let new = lines.next().unwrap().strip_prefix("$ batchscale ").unwrap();
    let check = lines.next().unwrap().strip_prefix("$ batchscale ").unwrap();
    let dir = temp("doc");
    for command in [new, check] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_batchscale"))
            .args(command.split_whitespace())
            .current_dir(&dir)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{command}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let written = std::fs::read_to_string(dir.join("pool.formula")).unwrap();
    assert!(written.contains("$maxNodes = 10;") && written.contains("$spotShare = 0.5;"));
}

#[test]
fn the_readme_example_runs() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme.split("## `batchscale new`").nth(1).unwrap();
    let console = section
        .split("```console\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let command = console
        .lines()
        .next()
        .unwrap()
        .strip_prefix("$ batchscale ")
        .unwrap();
    let dir = temp("readme");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_batchscale"))
        .args(command.split_whitespace())
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let written = std::fs::read_to_string(dir.join("pool.formula")).unwrap();
    assert!(written.contains("\n$maxNodes = 50;\n"), "{written}");
}
