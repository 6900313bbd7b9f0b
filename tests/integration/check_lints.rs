//! Each lint on one-line (or few-line) formulas: the code, the severity and the
//! position are worked out by hand from the formula text.

use batchscale::lint::{check_formula, explain, CheckOptions, Policy, RULES};
use batchscale::span::line_col;
use batchscale::{Diagnostic, Severity};

fn check(text: &str) -> Vec<Diagnostic> {
    check_formula(text, &CheckOptions::default())
}

/// (code, line, column) of every diagnostic.
fn codes(text: &str) -> Vec<(&'static str, usize, usize)> {
    check(text)
        .iter()
        .map(|d| {
            let at = line_col(text, d.span.start);
            (d.code, at.line, at.column)
        })
        .collect()
}

fn only(text: &str, code: &str) -> Vec<(usize, usize)> {
    codes(text)
        .into_iter()
        .filter(|(c, _, _)| *c == code)
        .map(|(_, l, c)| (l, c))
        .collect()
}

#[test]
fn unguarded_window_warns_and_guarded_does_not() {
    let bad =
        "$TargetDedicatedNodes = max(0, avg($PendingTasks.GetSample(TimeInterval_Minute * 15)));";
    assert_eq!(only(bad, "unguarded-sample"), vec![(1, 36)]);
    let guarded = "$p = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 15);\n\
                   $TargetDedicatedNodes = $p < 70 ? 1 : max(0, avg($PendingTasks.GetSample(TimeInterval_Minute * 15)));";
    assert!(only(guarded, "unguarded-sample").is_empty());
    let with_percent = "$TargetDedicatedNodes = max(0, avg($PendingTasks.GetSample(TimeInterval_Minute * 15, 50)));";
    assert!(only(with_percent, "unguarded-sample").is_empty());
    // A count is not a window.
    let count = "$TargetDedicatedNodes = max(0, avg($PendingTasks.GetSample(10)));";
    assert!(only(count, "unguarded-sample").is_empty());
}

#[test]
fn batch_shipyard_138_is_found_on_its_line() {
    // The statement of batch-shipyard #138 that failed: it averages a window
    // with no percentage while its neighbours are guarded.
    let text = "sli = TimeInterval_Second * 600.0;\n\
                pct = $PreemptedNodeCount.GetSamplePercent(sli);\n\
                last = val($PreemptedNodeCount.GetSample(1), 0);\n\
                preemptedavg = avg($PreemptedNodeCount.GetSample(sli));\n\
                n = pct < 70 ? max(0, last) : max(last, preemptedavg);\n\
                $TargetDedicatedNodes = ceil(n);";
    // Line 4, the `$` of `$PreemptedNodeCount` after `preemptedavg = avg(` (19 characters).
    assert_eq!(only(text, "unguarded-sample"), vec![(4, 20)]);
}

#[test]
fn lone_latest_sample() {
    let text = "$TargetDedicatedNodes = max(0, val($PendingTasks.GetSample(1), 0));";
    assert_eq!(only(text, "lone-latest-sample"), vec![(1, 36)]);
    let with_window = "$TargetDedicatedNodes = max($PendingTasks.GetSample(1), avg($PendingTasks.GetSample(TimeInterval_Minute, 50)));";
    assert!(only(with_window, "lone-latest-sample").is_empty());
}

#[test]
fn fractional_and_negative_targets() {
    let half = "$TargetDedicatedNodes = $CurrentDedicatedNodes / 2;";
    assert_eq!(only(half, "fractional-target"), vec![(1, 25)]);
    assert!(only(half, "negative-target").is_empty());
    let minus = "$TargetDedicatedNodes = $CurrentDedicatedNodes - 1;";
    assert_eq!(only(minus, "negative-target"), vec![(1, 25)]);
    assert!(only(minus, "fractional-target").is_empty());
    let fixed = "$TargetDedicatedNodes = max(0, ceil($CurrentDedicatedNodes / 2));";
    assert!(only(fixed, "fractional-target").is_empty());
    assert!(only(fixed, "negative-target").is_empty());
    let help = check(half)
        .into_iter()
        .find(|d| d.code == "fractional-target")
        .and_then(|d| d.help)
        .unwrap();
    assert!(help.contains("ceil($CurrentDedicatedNodes / 2)"), "{help}");
}

#[test]
fn no_target() {
    assert_eq!(
        only("$NodeDeallocationOption = taskcompletion;", "no-target"),
        vec![(1, 1)]
    );
    assert!(only("$TargetLowPriority = 1;", "no-target").is_empty());
}

#[test]
fn unused_and_read_before_assigned() {
    let text = "a = 1;\n$TargetDedicatedNodes = 2;";
    assert_eq!(only(text, "unused-variable"), vec![(1, 1)]);
    let early = "$TargetDedicatedNodes = n;\nn = 3;";
    let d = check(early);
    let r = d.iter().find(|d| d.code == "read-before-assigned").unwrap();
    assert_eq!(r.severity, Severity::Error);
    assert_eq!(line_col(early, r.span.start).column, 25);
    // The label points at the later assignment (line 2, column 1).
    assert_eq!(line_col(early, r.labels[0].span.start).line, 2);
}

#[test]
fn constant_conditions() {
    let shipyard = "w = time().weekday;\nisWeekend = w < 1 && w > 5;\n$TargetDedicatedNodes = isWeekend ? 0 : 2;";
    assert_eq!(only(shipyard, "constant-condition"), vec![(2, 13)]);
    let d = check(shipyard);
    let c = d.iter().find(|d| d.code == "constant-condition").unwrap();
    assert_eq!(c.message, "this condition is always false");
    let always = "$TargetDedicatedNodes = time().hour >= 0 ? 1 : 0;";
    let d = check(always);
    let c = d.iter().find(|d| d.code == "constant-condition").unwrap();
    assert_eq!(c.message, "this condition is always true");
    let fine = "h = time().hour;\n$TargetDedicatedNodes = h >= 8 && h < 18 ? 4 : 1;";
    assert!(only(fine, "constant-condition").is_empty());
}

#[test]
fn similar_names() {
    assert_eq!(
        only("$targetDedicatedNodes = 4;", "similar-name"),
        vec![(1, 1)]
    );
    let slots = "$taskSlotsPerNode = 4;\n$TargetDedicatedNodes = ceil(val($PendingTasks.GetSample(1), 0) / $taskSlotsPerNode);";
    assert_eq!(only(slots, "similar-name"), vec![(1, 1)]);
    // A reading typo is an error with a suggestion.
    let typo = "$TargetDedicatedNodes = val($PendingTask.GetSample(1), 0);";
    let d = check(typo);
    let u = d.iter().find(|d| d.code == "undefined-symbol").unwrap();
    assert_eq!(u.help.as_deref(), Some("did you mean `$PendingTasks`?"));
    let m = check("$TargetDedicatedNodes = val($PendingTasks.GetSamples(1), 0);");
    let u = m.iter().find(|d| d.code == "unknown-method").unwrap();
    assert_eq!(u.help.as_deref(), Some("did you mean `GetSample`?"));
    // Deliberate names far from the service's are not flagged.
    assert!(only(
        "$max_dedicated = 3;\n$TargetDedicatedNodes = $max_dedicated;",
        "similar-name"
    )
    .is_empty());
}

#[test]
fn mistaken_methods_get_the_real_alternative() {
    let d = check("$TargetDedicatedNodes = $PendingTasks.GetAverage();");
    let u = d.iter().find(|d| d.code == "unknown-method").unwrap();
    assert_eq!(u.severity, Severity::Error);
    assert!(u
        .help
        .as_deref()
        .unwrap()
        .contains("avg($X.GetSample(window))"));
    let d = check("$TargetDedicatedNodes = $PendingTasks.Sum();");
    let u = d.iter().find(|d| d.code == "unknown-method").unwrap();
    assert!(u
        .help
        .as_deref()
        .unwrap()
        .contains("sum($X.GetSample(window))"));
}

#[test]
fn two_spellings_of_one_name() {
    let text = "$tasks = 1;\ntasks = $tasks + 1;\n$TargetDedicatedNodes = $tasks;";
    // `tasks` (line 2, column 1) comes after `$tasks` (line 1).
    assert_eq!(only(text, "two-spellings"), vec![(2, 1)]);
    assert!(only(
        "tasks = 1;\n$TargetDedicatedNodes = tasks;",
        "two-spellings"
    )
    .is_empty());
}

#[test]
fn bare_metric() {
    let text = "$TargetDedicatedNodes = ceil($PendingTasks / 4);";
    assert_eq!(only(text, "bare-metric"), vec![(1, 30)]);
    // The same name as a method's receiver is not bare.
    assert!(only(
        "$TargetDedicatedNodes = $PendingTasks.Count();",
        "bare-metric"
    )
    .is_empty());
}

#[test]
fn missing_semicolon_fix_inserts_at_end_of_statement() {
    let text = "$a = 1\n$TargetDedicatedNodes = $a;";
    let d = check(text);
    let m = d.iter().find(|d| d.code == "missing-semicolon").unwrap();
    assert_eq!(m.severity, Severity::Error);
    // At the token the parser could not take, `$TargetDedicatedNodes`
    // (byte 7); the fix goes right after `1`: byte 6.
    assert_eq!(m.span.start, 7);
    let fix = m.fix.as_ref().unwrap();
    assert_eq!((fix.span.start, fix.replacement.as_str()), (6, ";"));
    // Applying the fix leaves a formula without errors.
    let mut fixed = text.to_string();
    fixed.insert_str(fix.span.start, &fix.replacement);
    assert!(check(&fixed).iter().all(|d| d.severity != Severity::Error));
}

#[test]
fn every_missing_semicolon_and_later_errors_are_reported() {
    let text = "$a = 1\n$b = 2\n$TargetDedicatedNodes = $a + $b + $c;";
    let found = codes(text);
    let semis: Vec<_> = found
        .iter()
        .filter(|c| c.0 == "missing-semicolon")
        .collect();
    assert_eq!(semis.len(), 2);
    // Each at the start of the statement that follows the missing `;`.
    assert_eq!((semis[0].1, semis[0].2), (2, 1));
    assert_eq!((semis[1].1, semis[1].2), (3, 1));
    // After the fixes, `$c` is still undefined: line 3, column 35.
    assert!(found.contains(&("undefined-symbol", 3, 35)), "{found:?}");
}

#[test]
fn every_syntax_error_is_reported() {
    let text = "$a = (1;\n$TargetDedicatedNodes = 2 +;";
    let errors: Vec<_> = codes(text)
        .into_iter()
        .filter(|c| c.0 == "syntax-error")
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!((errors[0].1, errors[1].1), (1, 2));
}

#[test]
fn template_text_left_in() {
    let text = "$TargetDedicatedNodes = min({max_nodes}, 4);";
    assert_eq!(only(text, "template-placeholder"), vec![(1, 29)]);
    let text = "$TargetDedicatedNodes = min({{ maxVmCount }}, 4);";
    let d = check(text);
    let t = d.iter().find(|d| d.code == "template-placeholder").unwrap();
    assert_eq!(t.severity, Severity::Error);
    assert!(t
        .help
        .as_deref()
        .unwrap()
        .contains("--define maxVmCount=VALUE"));
    // Braces in comments and strings are not templates.
    assert!(only("// {x}\n$TargetDedicatedNodes = 1;", "template-placeholder").is_empty());
}

#[test]
fn policy_allows_and_denies() {
    let text = "a = 1;\n$TargetDedicatedNodes = 2;";
    let all = check(text);
    let allowed = Policy {
        allow: vec!["unused-variable".into()],
        ..Policy::default()
    }
    .apply(all.clone());
    assert!(allowed.iter().all(|d| d.code != "unused-variable"));
    let denied = Policy {
        deny_warnings: true,
        ..Policy::default()
    }
    .apply(all);
    assert!(denied.iter().all(|d| d.severity == Severity::Error));
}

#[test]
fn every_code_is_explained_and_unique() {
    let mut seen = std::collections::HashSet::new();
    for r in RULES {
        assert!(seen.insert(r.code), "duplicate {}", r.code);
        assert!(r.code.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
        let text = explain(r.code).unwrap();
        assert!(text.starts_with(r.code));
        assert!(text.len() > 80, "{} is explained too briefly", r.code);
    }
    assert!(explain("no-such-code").is_none());
}

#[test]
fn every_reported_code_is_in_the_table() {
    let texts = [
        "$TargetDedicatedNodes = $PendingTasks.GetAverage() + x + time().hours + max() + $PendingTasks;",
        "$PendingTasks = 1; y = 2; y.GetSample(1); $TargetDedicatedNodes = time();",
        "$a = 1\n$b = {x}",
    ];
    for t in texts {
        for d in check(t) {
            assert!(
                RULES.iter().any(|r| r.code == d.code),
                "{} not in RULES",
                d.code
            );
        }
    }
}
