//! The files generated from the tables (rule pages, VS Code grammars) are the
//! committed ones: regenerate with `cargo run -- lsp --generate .` when a table
//! changes.

use std::path::Path;

#[test]
fn committed_generated_files_match_the_tables() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for (path, expected) in crate::lsp::generate::files() {
        let committed = std::fs::read_to_string(root.join(&path)).unwrap_or_default();
        if committed != expected {
            stale.push(path);
        }
    }
    assert!(
        stale.is_empty(),
        "out of date (run `cargo run -- lsp --generate .`): {stale:?}"
    );
}

#[test]
fn every_rule_page_is_a_rule_of_the_table() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let generated: Vec<String> = crate::lsp::generate::files()
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    for entry in std::fs::read_dir(&dir).expect("docs/rules exists") {
        let name = entry.expect("a directory entry").file_name();
        let path = format!("docs/rules/{}", name.to_string_lossy());
        assert!(
            generated.contains(&path),
            "{path} is not generated from the rule table"
        );
    }
    // One page per code of the table, plus the index.
    assert_eq!(
        std::fs::read_dir(&dir).expect("docs/rules exists").count(),
        crate::lint::RULES.len() + 1
    );
}
