//! The folders and top-level modules of `src/` depend on each other in one
//! direction only (issue 12, item 4): this test reads every source file,
//! collects its `crate::module` paths with plain text parsing, and fails if
//! the modules' dependency graph has a cycle.
//!
//! Only code is read: comment lines (including doc comments, whose links
//! name other modules freely) are skipped. `lib.rs` and `main.rs` are the
//! crate root, which may name everything; paths to root items
//! (`crate::Formula`) are not edges between modules.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Cycles tolerated between top-level modules: none. An entry here (a
/// cycle's modules, sorted) needs a reason in a comment and an issue to
/// remove it.
const ALLOWED: &[&[&str]] = &[];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => panic!("cannot read {}: {e}", dir.display()),
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`src/eval/expr.rs` → `eval`);
/// `None` for the crate root.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).ok()?;
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    match name {
        "lib" | "main" => None,
        _ => Some(name.to_string()),
    }
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The module names after `crate::` in one line of code, including each
/// name of a `crate::{a, b::c}` group.
fn crate_paths(line: &str, out: &mut BTreeSet<String>) {
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        // `$crate::` in macros and `batchscale_crate::` are not this crate's paths.
        if before.is_some_and(|c| is_ident(c) || c == '$') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0usize;
            let mut item = String::new();
            let mut at_start = true;
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        at_start = true;
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 && at_start {
                    if is_ident(c) {
                        item.push(c);
                    } else if !item.is_empty() {
                        out.insert(std::mem::take(&mut item));
                        at_start = false;
                    }
                }
            }
            if !item.is_empty() {
                out.insert(item);
            }
        } else {
            let name: String = rest.chars().take_while(|&c| is_ident(c)).collect();
            // `crate::name` followed by `::` is a module path; otherwise it is
            // an item of the root (`crate::Formula`) or the module itself.
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
}

/// Module → modules it names.
fn dependencies(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| module_of(src, f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(module) = module_of(src, file) else {
            continue;
        };
        let text = match fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) => panic!("cannot read {}: {e}", file.display()),
        };
        let mut named = BTreeSet::new();
        for line in text.lines() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            crate_paths(code, &mut named);
        }
        let edges = graph.entry(module.clone()).or_default();
        for target in named {
            if target != module && modules.contains(&target) {
                edges.insert(target);
            }
        }
    }
    graph
}

/// The strongly connected components with more than one module (Tarjan).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(edges) = s.graph.get(v) {
            for w in edges {
                let w = w.as_str();
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let low = s.low[v].min(s.low[w]);
                    s.low.insert(v, low);
                } else if s.on_stack.contains(w) {
                    let low = s.low[v].min(s.index[w]);
                    s.low.insert(v, low);
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !state.index.contains_key(v.as_str()) {
            visit(&mut state, v);
        }
    }
    state.out
}

#[test]
fn the_modules_of_src_form_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = dependencies(&src);
    let found = cycles(&graph);
    let unexpected: Vec<&Vec<String>> = found
        .iter()
        .filter(|c| !ALLOWED.iter().any(|a| a.iter().eq(c.iter())))
        .collect();
    let mut report = String::new();
    for component in &unexpected {
        report.push_str(&format!("cycle among {component:?}:\n"));
        for m in component.iter() {
            let inside: Vec<&String> = graph[m].iter().filter(|t| component.contains(t)).collect();
            report.push_str(&format!("  {m} -> {inside:?}\n"));
        }
    }
    assert!(unexpected.is_empty(), "{report}");
}

#[test]
fn the_parser_of_paths_finds_groups_and_skips_other_crates() {
    let mut named = BTreeSet::new();
    crate_paths(
        "use crate::{check::{Node, Stmt}, value::Value, Formula}; $crate::x; my_crate::y; crate::eval::run(",
        &mut named,
    );
    let expected: BTreeSet<String> = ["check", "value", "Formula", "eval"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(named, expected);
}

/// A cycle is found, and a chain is not: the checker of the test itself.
#[test]
fn a_cycle_is_reported_and_a_chain_is_not() {
    let edges = |pairs: &[(&str, &str)]| {
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in pairs {
            graph
                .entry(a.to_string())
                .or_default()
                .insert(b.to_string());
            graph.entry(b.to_string()).or_default();
        }
        graph
    };
    assert!(cycles(&edges(&[
        ("syntax", "ops"),
        ("check", "syntax"),
        ("eval", "check")
    ]))
    .is_empty());
    assert_eq!(
        cycles(&edges(&[
            ("check", "eval"),
            ("eval", "check"),
            ("eval", "value")
        ])),
        vec![vec!["check".to_string(), "eval".to_string()]]
    );
}
