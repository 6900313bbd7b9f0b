//! `batchscale check DIR`: directories are walked for the files `check` reads.

use std::path::{Path, PathBuf};
use std::process::Command;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

/// A repository-shaped tree: a good formula, a Bicep file with a missing `;`
/// (line 3 of the file), a JSON file without formulas, a README, and a hidden
/// directory whose broken formula must not be read.
fn tree(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&root);
    write(
        &root,
        "formulas/good.formula",
        "$TargetDedicatedNodes = 2;\n",
    );
    write(
        &root,
        "infra/pool.bicep",
        "resource pool 'Microsoft.Batch/batchAccounts/pools@2024-07-01' = {\n  properties: { scaleSettings: { autoScale: {\n    formula: '$TargetDedicatedNodes = 1\\n$NodeDeallocationOption = taskcompletion;'\n  } } }\n}\n",
    );
    write(
        &root,
        "infra/settings.json",
        "{ \"name\": \"no formula here\" }\n",
    );
    write(&root, "README.md", "$TargetDedicatedNodes = = 1\n");
    write(
        &root,
        ".hidden/broken.formula",
        "$TargetDedicatedNodes = = 1\n",
    );
    root
}

fn check(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_batchscale"))
        .arg("check")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn a_directory_is_walked_for_known_files() {
    let root = tree("walk-known");
    let dir = root.to_string_lossy().into_owned();
    let (code, stdout, stderr) = check(&["--format", "service", &dir]);
    assert_eq!(
        code, 1,
        "the Bicep formula's missing `;` is an error\n{stderr}"
    );
    // The only error is the Bicep one; the hidden formula and README are not read.
    let errors: Vec<&str> = stdout.lines().collect();
    assert_eq!(errors.len(), 1, "{stdout}");
    assert!(errors[0].contains("pool.bicep"), "{stdout}");
    assert!(!stdout.contains("broken.formula") && !stdout.contains("README"));
}

#[test]
fn the_walk_is_summarised_not_silent() {
    let root = tree("walk-summary");
    let dir = root.to_string_lossy().into_owned();
    let (_, _, stderr) = check(&[&dir]);
    // good.formula, pool.bicep and settings.json: three files, two with formulas.
    assert!(
        stderr.contains(&format!("note: {dir}: 3 files of a kind `check` reads")),
        "{stderr}"
    );
    assert!(
        stderr.contains("note: 2 of the files found in directories hold formulas"),
        "{stderr}"
    );
    assert!(stderr.contains("checked 3 files: 1 error"), "{stderr}");
    // A JSON file without formulas found by the walk is counted, not named.
    assert!(
        !stderr.contains("settings.json: no formula found"),
        "{stderr}"
    );
}

#[test]
fn walked_files_come_in_name_order() {
    let root = tree("walk-order");
    let dir = root.to_string_lossy().into_owned();
    write(&root, "a.formula", "$TargetDedicatedNodes = x;\n");
    write(&root, "formulas/z.formula", "$TargetDedicatedNodes = y;\n");
    let (_, stdout, _) = check(&["--format", "service", &dir]);
    let files: Vec<&str> = stdout.lines().filter_map(|l| l.split(':').next()).collect();
    // Each directory's files first, then its subdirectories, by name.
    let at = |name: &str| {
        files
            .iter()
            .position(|f| f.ends_with(name))
            .unwrap_or_else(|| panic!("{name} not reported:\n{stdout}"))
    };
    // `formulas/` comes before `infra/` by name.
    assert!(at("a.formula") < at("z.formula"), "{stdout}");
    assert!(at("z.formula") < at("pool.bicep"), "{stdout}");
}
