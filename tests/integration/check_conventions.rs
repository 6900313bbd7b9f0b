//! The generated conventions of docs/ci.md run as written: completions, man
//! pages and JSON Schemas print or write what the repository keeps.

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_batchscale"))
        .args(args)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

fn page() -> String {
    std::fs::read_to_string(root().join("docs/ci.md")).unwrap()
}

#[test]
fn the_schemas_printed_are_the_committed_ones() {
    for (kind, file) in [
        ("context", "context"),
        ("scenario", "scenario"),
        ("config", "batchscale"),
    ] {
        let line = format!("$ batchscale schema {kind} > schemas/{file}.schema.json");
        assert!(page().contains(&line), "docs/ci.md does not show {line}");
        let (code, printed) = run(&["schema", kind]);
        assert_eq!(code, Some(0));
        let committed =
            std::fs::read_to_string(root().join(format!("schemas/{file}.schema.json"))).unwrap();
        assert_eq!(printed, committed);
    }
}

#[test]
fn completions_man_pages_and_schemas_written_are_the_committed_ones() {
    assert!(page().contains("$ batchscale completions --out completions\n"));
    assert!(page().contains("$ batchscale man --out man\n"));
    let dir = std::env::temp_dir().join(format!("batchscale-conventions-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(page().contains("$ batchscale schema --out schemas\n"));
    for (command, folder) in [
        ("completions", "completions"),
        ("man", "man"),
        ("schema", "schemas"),
    ] {
        let out = dir.join(folder);
        let (code, _) = run(&[command, "--out", out.to_str().unwrap()]);
        assert_eq!(code, Some(0));
        let mut written: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        written.sort();
        let mut committed: Vec<_> = std::fs::read_dir(root().join(folder))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        committed.sort();
        assert_eq!(written, committed, "{folder}");
        for name in written {
            assert_eq!(
                std::fs::read(out.join(&name)).unwrap(),
                std::fs::read(root().join(folder).join(&name)).unwrap(),
                "{folder}/{name:?}"
            );
        }
    }
    let (code, bash) = run(&["completions", "bash"]);
    assert_eq!(code, Some(0));
    assert!(bash.contains("unused-suppression"));
}

#[test]
fn a_context_may_name_its_schema() {
    // `$schema` is ignored; the rest is read as usual: 3 pending tasks.
    let dir = std::env::temp_dir().join(format!("batchscale-schema-key-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let context = dir.join("ctx.json");
    std::fs::write(
        &context,
        r#"{"$schema": "../schemas/context.schema.json", "now": "2025-04-24T12:00:00Z",
            "metrics": {"$PendingTasks": {"interval": "PT30S", "last": "2025-04-24T12:00:00Z", "values": [3]}}}"#,
    )
    .unwrap();
    let formula = dir.join("pool.formula");
    std::fs::write(
        &formula,
        "$TargetDedicatedNodes = max(0, $PendingTasks.GetSample(1));\n",
    )
    .unwrap();
    let (code, printed) = run(&[
        "eval",
        "--context",
        context.to_str().unwrap(),
        formula.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0));
    assert!(printed.contains("$TargetDedicatedNodes=3"), "{printed}");
}
