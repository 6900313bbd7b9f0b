//! The report of a `batchscale test` run: text with expected and actual side
//! by side, JUnit XML for CI test tabs, GitHub Actions annotations.

use std::fmt::Write as _;

use super::run::{Failure, Outcome};
use crate::cli::output::xml::escape;
use crate::input::InputError;

/// What one test file gave.
#[derive(Debug)]
pub struct FileResult {
    /// The test file.
    pub path: String,
    /// Its cases and scenario checks that ran, in file order.
    pub outcomes: Vec<Outcome>,
    /// Why (part of) it could not run: the file or a scenario is bad input.
    pub error: Option<InputError>,
}

/// Counts over a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    /// Cases and checks that passed.
    pub passed: usize,
    /// Cases and checks that failed.
    pub failed: usize,
    /// Files with bad input.
    pub errors: usize,
}

/// The counts of `results`.
pub fn totals(results: &[FileResult]) -> Totals {
    let mut t = Totals::default();
    for r in results {
        for o in &r.outcomes {
            if o.failures.is_empty() {
                t.passed += 1;
            } else {
                t.failed += 1;
            }
        }
        t.errors += usize::from(r.error.is_some());
    }
    t
}

fn failure_lines(f: &Failure, indent: &str, out: &mut String) {
    if f.what == f.expected {
        // A bound or a predicate: the text says what was expected.
        let _ = writeln!(out, "{indent}{}", f.what);
        let _ = writeln!(out, "{indent}  actual:   {}", f.actual);
    } else {
        let _ = writeln!(out, "{indent}{}", f.what);
        let _ = writeln!(out, "{indent}  expected: {}", f.expected);
        let _ = writeln!(out, "{indent}  actual:   {}", f.actual);
    }
    for line in &f.detail {
        let _ = writeln!(out, "{indent}  {line}");
    }
}

/// The text report.
pub fn text(results: &[FileResult]) -> String {
    let mut out = String::new();
    // A file none of whose cases `--run` selected has nothing to show.
    for r in results
        .iter()
        .filter(|r| !r.outcomes.is_empty() || r.error.is_some())
    {
        let _ = writeln!(out, "{}", r.path);
        for o in &r.outcomes {
            if o.failures.is_empty() {
                let _ = writeln!(out, "  ok    {}", o.name);
            } else {
                let _ = writeln!(out, "  FAIL  {} (line {})", o.name, o.line);
                for f in &o.failures {
                    failure_lines(f, "        ", &mut out);
                }
            }
        }
        if let Some(e) = &r.error {
            let _ = writeln!(out, "  ERROR {e}");
        }
    }
    let t = totals(results);
    let _ = writeln!(
        out,
        "{} passed, {} failed, {} {} with errors",
        t.passed,
        t.failed,
        t.errors,
        if t.errors == 1 { "file" } else { "files" }
    );
    out
}

/// The failures of an outcome as one block of text.
fn failure_text(o: &Outcome) -> String {
    let mut body = String::new();
    for f in &o.failures {
        failure_lines(f, "", &mut body);
    }
    body.trim_end().to_string()
}

/// JUnit XML: a `<testsuite>` per test file, a `<testcase>` per case or
/// scenario check, `<failure>` for a failed one and `<error>` for a file
/// that could not run.
pub fn junit(results: &[FileResult]) -> String {
    let t = totals(results);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"batchscale test\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
        t.passed + t.failed + t.errors,
        t.failed,
        t.errors
    );
    for r in results {
        let file = escape(&r.path);
        let failures = r.outcomes.iter().filter(|o| !o.failures.is_empty()).count();
        let errors = usize::from(r.error.is_some());
        let _ = writeln!(
            out,
            "  <testsuite name=\"{file}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\">",
            r.outcomes.len() + errors
        );
        for o in &r.outcomes {
            let name = escape(&o.name);
            let _ = write!(
                out,
                "    <testcase classname=\"{file}\" name=\"{name}\" file=\"{file}\" line=\"{}\"",
                o.line
            );
            match o.failures.first() {
                None => out.push_str("/>\n"),
                Some(first) => {
                    let _ = writeln!(
                        out,
                        ">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>",
                        escape(&first.what),
                        escape(&if first.what == first.expected {
                            format!("{}: actual {}", first.what, first.actual)
                        } else {
                            format!(
                                "{}: expected {}, actual {}",
                                first.what, first.expected, first.actual
                            )
                        }),
                        escape(&failure_text(o))
                    );
                }
            }
        }
        if let Some(e) = &r.error {
            let _ = writeln!(
                out,
                "    <testcase classname=\"{file}\" name=\"load\" file=\"{file}\">\n      <error type=\"input\" message=\"{}\">{}</error>\n    </testcase>",
                escape(&e.message),
                escape(&e.to_string())
            );
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions workflow commands: an `::error` at the line of each failed
/// case or check, and of each bad input; a `::notice` with the totals.
pub fn github(results: &[FileResult]) -> String {
    let mut out = String::new();
    for r in results {
        for o in r.outcomes.iter().filter(|o| !o.failures.is_empty()) {
            let _ = writeln!(
                out,
                "::error file={},line={},title={}::{}",
                escape_property(&r.path),
                o.line,
                escape_property(&format!("batchscale test: {}", o.name)),
                escape_data(&failure_text(o))
            );
        }
        if let Some(e) = &r.error {
            let mut place = format!("file={}", escape_property(&e.file));
            if let Some(line) = e.line {
                let _ = write!(place, ",line={line}");
                if let Some(col) = e.column {
                    let _ = write!(place, ",col={col}");
                }
            }
            let _ = writeln!(
                out,
                "::error {place},title=batchscale test: bad input::{}",
                escape_data(&e.to_string())
            );
        }
    }
    let t = totals(results);
    let _ = writeln!(
        out,
        "::notice title=batchscale test::{} passed, {} failed, {} with errors",
        t.passed, t.failed, t.errors
    );
    out
}
