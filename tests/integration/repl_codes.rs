//! The REPL names a mistake with the same rule code as `check` (issue 13):
//! each formula below holds one mistake. The same file is given to
//! `check --format json` and to a piped REPL session with `:load`, and, when
//! it is one line, typed at the prompt as one input; every run must report
//! the same error codes, the code the rule table documents for that mistake
//! (docs/rules/CODE.md).

use crate::common::batchscale;

/// (formula, the code docs/rules gives for its one mistake).
const CASES: &[(&str, &str)] = &[
    // A missing argument separator: the parser cannot take `2`.
    ("$x = max(1 2);", "syntax-error"),
    // Two statements on two lines with no `;` between them (only a file can
    // hold two lines in one input).
    ("$a = 1\n$TargetDedicatedNodes = 2;", "missing-semicolon"),
    // Template text left in the formula.
    (
        "$TargetDedicatedNodes = {{maxNodes}};",
        "template-placeholder",
    ),
    // A misspelt service variable.
    (
        "$TargetDedicatedNodes = $PendingTask + 1;",
        "undefined-symbol",
    ),
    // A misspelt metric as the receiver of GetSample: `check` calls it an
    // undefined symbol with a did-you-mean, not "not sampled".
    (
        "$TargetDedicatedNodes = avg($PendingTask.GetSample(1));",
        "undefined-symbol",
    ),
    // `$b` is assigned, but only after it is read.
    (
        "$a = $b; $b = 1; $TargetDedicatedNodes = $a;",
        "read-before-assigned",
    ),
    (
        "$TargetDedicatedNodes = $PendingTasks.GetSampel(1);",
        "unknown-method",
    ),
    ("$TargetDedicatedNodes = time().hours;", "unknown-member"),
    // `max` takes at least one argument.
    ("$TargetDedicatedNodes = max();", "wrong-arity"),
    // A string in arithmetic.
    ("$TargetDedicatedNodes = \"a\" + 1;", "type-mismatch"),
    // The rule's own example (docs/rules/read-only-assignment.md).
    ("$PendingTasks = 3;", "read-only-assignment"),
    // A service variable that is not a metric has no samples.
    (
        "$TargetDedicatedNodes = $TargetLowPriorityNodes.GetSample(1);",
        "not-sampled",
    ),
];

/// Writes `formula` to a fresh file.
fn file_of(formula: &str) -> std::path::PathBuf {
    let file = crate::common::scratch("repl-codes").join("case.formula");
    std::fs::write(&file, formula).unwrap();
    file
}

/// The codes `check --format json` reports as errors for `formula`.
fn check_errors(formula: &str) -> Vec<String> {
    let file = file_of(formula);
    let out = batchscale(
        &["check", "--format", "json", file.to_str().unwrap()],
        "",
        &[("NO_COLOR", "1")],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut codes: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .flat_map(|l| {
            let value: serde_json::Value = serde_json::from_str(l).unwrap_or_else(|e| {
                panic!("check --format json printed {l:?}: {e}");
            });
            match value {
                serde_json::Value::Array(all) => all,
                one => vec![one],
            }
        })
        .filter(|d| d["severity"] == "error")
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

/// The codes a piped REPL session reports as errors (`error[CODE]: ...`)
/// for `script`.
fn repl_errors(script: &str) -> Vec<String> {
    let out = batchscale(&["repl"], script, &[("NO_COLOR", "1")]);
    let text = String::from_utf8_lossy(&out.stdout);
    let mut codes: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("error["))
        .filter_map(|l| l.split(']').next())
        .map(str::to_string)
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

#[test]
fn the_repl_and_check_name_each_mistake_alike() {
    for (formula, code) in CASES {
        let from_check = check_errors(formula);
        assert_eq!(from_check, [*code], "check on {formula:?}");
        let file = file_of(formula);
        let loaded = repl_errors(&format!(":load {}\n", file.display()));
        assert_eq!(loaded, from_check, "the REPL's :load of {formula:?}");
        if !formula.contains('\n') {
            let typed = repl_errors(&format!("{formula}\n"));
            assert_eq!(typed, from_check, "the REPL's input {formula:?}");
        }
    }
}
