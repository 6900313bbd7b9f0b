//! `check` reads batchscale.toml or [tool.batchscale] from pyproject.toml,
//! the nearest one up from each file: allow, deny, define, include, exclude,
//! per-path overrides and limits.

use std::path::Path;
use std::process::Output;

use crate::common::{check_in as check, scratch};

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
}

/// `spare` is assigned and never read: one `unused-variable` warning.
const UNUSED: &str = "spare = 1;\n$TargetDedicatedNodes = 2;\n";
/// A placeholder: an error until it is defined.
const TEMPLATE: &str = "$TargetDedicatedNodes = min({{maxNodes}}, 4);\n";

#[test]
fn deny_and_allow_from_batchscale_toml() {
    let dir = scratch("config-deny");
    write(&dir, "pool.formula", UNUSED);
    assert_eq!(check(&dir, &["pool.formula"]).status.code(), Some(0));
    write(&dir, "batchscale.toml", "deny = [\"warnings\"]\n");
    let denied = check(&dir, &["pool.formula"]);
    assert_eq!(denied.status.code(), Some(1), "{}", text(&denied));
    write(
        &dir,
        "batchscale.toml",
        "deny = [\"warnings\"]\nallow = [\"unused-variable\"]\n",
    );
    let allowed = check(&dir, &["pool.formula"]);
    assert_eq!(allowed.status.code(), Some(0), "{}", text(&allowed));
    assert!(!text(&allowed).contains("unused-variable"));
}

#[test]
fn the_nearest_configuration_wins_and_pyproject_is_read() {
    let dir = scratch("config-nearest");
    write(
        &dir,
        "pyproject.toml",
        "[project]\nname = \"x\"\n[tool.batchscale]\ndeny = [\"warnings\"]\n",
    );
    write(&dir, "a/pool.formula", UNUSED);
    write(&dir, "b/pool.formula", UNUSED);
    // b has its own file, which does not deny warnings.
    write(&dir, "b/batchscale.toml", "allow = []\n");
    assert_eq!(check(&dir, &["a/pool.formula"]).status.code(), Some(1));
    assert_eq!(check(&dir, &["b/pool.formula"]).status.code(), Some(0));
    // A pyproject.toml without [tool.batchscale] is passed over.
    let plain = scratch("config-plain");
    write(&plain, "pyproject.toml", "[project]\nname = \"x\"\n");
    write(&plain, "pool.formula", UNUSED);
    assert_eq!(check(&plain, &["pool.formula"]).status.code(), Some(0));
}

#[test]
fn define_include_exclude_and_overrides() {
    let dir = scratch("config-select");
    write(&dir, "pools/template.formula", TEMPLATE);
    write(
        &dir,
        "pools/legacy/old.formula",
        "$TargetDedicatedNodes = ;\n",
    );
    write(&dir, "pools/try/new.formula", UNUSED);
    write(
        &dir,
        "batchscale.toml",
        "deny = [\"warnings\"]\nexclude = [\"pools/legacy\"]\n[define]\nmaxNodes = \"10\"\n\
         [[overrides]]\nfiles = [\"pools/try/*.formula\"]\nallow = [\"unused-variable\"]\n",
    );
    // The template is filled, the legacy file is not walked into, and the
    // override allows the warning in pools/try.
    let out = check(&dir, &["pools"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("checked 2 files"), "{}", text(&out));
    // Named on the command line, an excluded file is still checked.
    assert_eq!(
        check(&dir, &["pools/legacy/old.formula"]).status.code(),
        Some(1)
    );
    // include narrows what a walk contributes.
    write(&dir, "batchscale.toml", "include = [\"pools/try/**\"]\n");
    let out = check(&dir, &["pools"]);
    assert!(text(&out).contains("checked 1 file:"), "{}", text(&out));
}

#[test]
fn limits_and_the_command_line_winning() {
    let dir = scratch("config-limits");
    // 27 characters (26 and the newline) against a limit of 20.
    write(&dir, "pool.formula", "$TargetDedicatedNodes = 2;\n");
    write(&dir, "batchscale.toml", "[limits]\nmax-chars = 20\n");
    let out = check(&dir, &["pool.formula"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("formula-too-long"), "{}", text(&out));
    assert_eq!(
        check(&dir, &["--max-chars", "100", "pool.formula"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn a_bad_configuration_names_its_file_line_and_key() {
    let dir = scratch("config-bad");
    write(&dir, "pool.formula", UNUSED);
    write(
        &dir,
        "batchscale.toml",
        "deny = [\"warnings\"]\nalow = [\"x\"]\n",
    );
    let out = check(&dir, &["pool.formula"]);
    assert_eq!(out.status.code(), Some(2));
    let message = text(&out);
    assert!(message.contains("batchscale.toml"), "{message}");
    assert!(
        message.contains(":2:1") || message.contains("line 2"),
        "{message}"
    );
    assert!(message.contains("alow"), "{message}");
    write(&dir, "batchscale.toml", "allow = [\"unused-variabel\"]\n");
    let out = check(&dir, &["pool.formula"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("did you mean `unused-variable`"),
        "{}",
        text(&out)
    );
}
