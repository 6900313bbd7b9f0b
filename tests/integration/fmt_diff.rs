//! `batchscale fmt --diff`: a unified diff of what formatting would change,
//! nothing written, exit 1 when something would change.

use std::process::{Command, Stdio};

fn fmt(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_batchscale"))
        .arg("fmt")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn diff_shows_the_change_and_writes_nothing() {
    let dir = std::env::temp_dir().join(format!("batchscale-fmt-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("pool.formula");
    let text = "$a=1;\n$TargetDedicatedNodes=$a;\n";
    std::fs::write(&path, text).unwrap();
    let name = path.to_str().unwrap();
    let (code, out) = fmt(&["--diff", name]);
    assert_eq!(code, Some(1));
    // Both lines change (spaces around `=`), so one hunk covers lines 1-2 of
    // the old and the new text.
    let expected = format!(
        "--- {name}\n+++ {name}\n@@ -1,2 +1,2 @@\n-$a=1;\n-$TargetDedicatedNodes=$a;\n+$a = 1;\n+$TargetDedicatedNodes = $a;\n"
    );
    assert_eq!(out, expected);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    // A formatted file gives no diff and exit 0.
    std::fs::write(&path, "$a = 1;\n$TargetDedicatedNodes = $a;\n").unwrap();
    assert_eq!(fmt(&["--diff", name]), (Some(0), String::new()));
    let _ = std::fs::remove_dir_all(&dir);
}
