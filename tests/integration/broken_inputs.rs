//! Broken input files (`tests/fixtures/broken/`), each with a golden file of the
//! exit code and what `batchscale eval` prints. Regenerate with `BLESS=1` and
//! review the diff: every message must name the file, the line (and column or
//! field) and the offending value.

use std::path::Path;
use std::process::Command;

/// The formula evaluated with each file: reads the metric so that accepted
/// files show what was loaded.
const FORMULA: &str = "fixture.formula";

#[test]
fn every_broken_file_has_its_golden_message_and_exit_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("tests/fixtures/broken");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") || n.ends_with(".csv"))
        .collect();
    names.sort();
    assert!(names.len() >= 25);
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    for name in names {
        let rel = format!("tests/fixtures/broken/{name}");
        let flag = if name.ends_with(".json") {
            "--context"
        } else {
            "--metrics"
        };
        let out = Command::new(env!("CARGO_BIN_EXE_batchscale"))
            .current_dir(root)
            .env("NO_COLOR", "1")
            .args(["eval", flag, &rel, "--now", "2025-01-01T00:01:30Z"])
            .arg(format!("tests/fixtures/broken/{FORMULA}"))
            .output()
            .unwrap();
        let got = format!(
            "exit: {}\nstdout: {}stderr: {}",
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let golden = dir.join(format!("{name}.expected"));
        if bless {
            std::fs::write(&golden, &got).unwrap();
        } else if std::fs::read_to_string(&golden).ok().as_deref() != Some(got.as_str()) {
            failures.push(format!("{name}:\n{got}"));
        }
    }
    assert!(
        failures.is_empty(),
        "golden mismatch:\n{}",
        failures.join("\n")
    );
}
