//! `batchscale test`: formula unit tests in `*.test.toml` files kept next to
//! the formulas (docs/test.md). Each case evaluates the formula at a time over
//! metric series written in promtool's expanding notation and compares the
//! results string, the targets, the error or a variable; each scenario check
//! simulates a scenario and bounds its `summary.json` figures.

mod bound;
mod file;
mod notation;
mod predicate;
mod report;
mod run;

use std::path::Path;

use clap::{Args, ValueEnum};

use super::io::{errln, out};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use report::FileResult;

/// Output formats of `test`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    /// Each case, and expected against actual for a failed one.
    Text,
    /// JUnit XML for CI test tabs.
    Junit,
    /// GitHub Actions annotations.
    Github,
}

/// Arguments of `batchscale test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = TestFormat::Text)]
    pub format: TestFormat,
    /// Run only the cases and scenario checks whose name matches: a glob
    /// (`grow*`), or, without `*`, `?` or `[`, any name containing it.
    #[arg(long, value_name = "PATTERN")]
    pub run: Option<String>,
    /// Test files, or folders searched for `*.test.toml` (default: `.`).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<String>,
}

/// Deepest folder nesting searched for test files.
const MAX_DEPTH: usize = 32;

/// The test files under `paths`, in a stable order.
fn discover(paths: &[String]) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    let defaults = [".".to_string()];
    let paths = if paths.is_empty() {
        &defaults[..]
    } else {
        paths
    };
    for path in paths {
        let p = Path::new(path);
        if p.is_dir() {
            walk(p, 0, &mut found).map_err(|e| format!("{path}: cannot list the folder: {e}"))?;
        } else if p.exists() {
            found.push(path.clone());
        } else {
            return Err(format!("{path}: no such file or folder"));
        }
    }
    Ok(found)
}

fn walk(dir: &Path, depth: usize, found: &mut Vec<String>) -> std::io::Result<()> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if path.is_dir() {
            // Build output and hidden folders hold no tests of the user's.
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                walk(&path, depth + 1, found)?;
            }
        } else if name.ends_with(".test.toml") {
            found.push(path.to_string_lossy().into_owned());
        }
    }
    Ok(())
}

/// `--run`'s pattern as a matcher of names.
fn matcher(pattern: Option<&str>) -> Result<Option<globset::GlobMatcher>, String> {
    let Some(pattern) = pattern else {
        return Ok(None);
    };
    let glob = if pattern.contains(['*', '?', '[']) {
        pattern.to_string()
    } else {
        format!("*{pattern}*")
    };
    globset::Glob::new(&glob)
        .map(|g| Some(g.compile_matcher()))
        .map_err(|e| format!("--run: `{pattern}` is not a glob: {e}"))
}

/// Runs one test file's selected cases and checks.
fn run_file(path: &str, selected: &dyn Fn(&str) -> bool) -> FileResult {
    let mut result = FileResult {
        path: path.to_string(),
        outcomes: Vec::new(),
        error: None,
    };
    let file = match file::read(path) {
        Ok(f) => f,
        Err(e) => {
            result.error = Some(e);
            return result;
        }
    };
    let formula = run::parse(&file);
    for case in file.cases.iter().filter(|c| selected(&c.name)) {
        result
            .outcomes
            .push(run::run_case(&formula, &file.formula, case));
    }
    for (i, check) in file.scenarios.iter().enumerate() {
        if !selected(&check.name) {
            continue;
        }
        match run::run_scenario(path, i, &formula, check) {
            Ok(o) => result.outcomes.push(o),
            Err(e) => {
                result.error = Some(e);
                break;
            }
        }
    }
    result
}

/// Runs `batchscale test`: 0 when every selected case passed, 1 when one
/// failed, 2 when a file is bad input or nothing was selected.
pub fn run(args: &TestArgs) -> i32 {
    let files = match discover(&args.paths) {
        Ok(f) => f,
        Err(e) => {
            errln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    if files.is_empty() {
        errln!("error: no `*.test.toml` file found");
        return EXIT_USAGE;
    }
    let matcher = match matcher(args.run.as_deref()) {
        Ok(m) => m,
        Err(e) => {
            errln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let selected = |name: &str| matcher.as_ref().is_none_or(|m| m.is_match(name));
    let results: Vec<FileResult> = files.iter().map(|f| run_file(f, &selected)).collect();
    let totals = report::totals(&results);
    match args.format {
        TestFormat::Text => out!("{}", report::text(&results)),
        TestFormat::Junit => out!("{}", report::junit(&results)),
        TestFormat::Github => out!("{}", report::github(&results)),
    }
    for e in results.iter().filter_map(|r| r.error.as_ref()) {
        errln!("error: {}", e);
    }
    if totals.errors > 0 {
        return EXIT_USAGE;
    }
    if totals.passed + totals.failed == 0 {
        if let Some(pattern) = &args.run {
            errln!("error: --run `{pattern}` matches no case");
            return EXIT_USAGE;
        }
    }
    if totals.failed > 0 {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}
