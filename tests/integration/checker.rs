//! The checker reports every error of a formula at once, each with its span and,
//! where one fits, a did-you-mean suggestion.

use batchscale::{Formula, Severity};

fn diagnostics(source: &str) -> Vec<(String, String, String, Option<String>)> {
    let formula = Formula::parse(source).unwrap();
    formula
        .diagnostics()
        .iter()
        .map(|d| {
            let text = source
                .get(d.span.start..d.span.end)
                .unwrap_or("")
                .to_string();
            (d.code.to_string(), d.message.clone(), text, d.help.clone())
        })
        .collect()
}

#[test]
fn all_errors_are_reported_at_once_with_suggestions() {
    let source = "a = $PendingTask.GetSample(1);\nb = mx(1, 2);\nc = $ActiveTasks.GetAverage();\nd = time().hours;\n$CurrentDedicatedNodes = 1;\ne = avg();\nf = $ActiveTasks.GetSamples(1);";
    let found = diagnostics(source);
    let some = |s: &str| Some(s.to_string());
    assert_eq!(
        found,
        vec![
            ("not-sampled".into(), "$PendingTask has no sample history: GetSample applies to sampled service variables such as $PendingTasks".into(), "$PendingTask".into(), None),
            ("undefined-symbol".into(), "Undefined symbol: mx".into(), "mx".into(), some("did you mean `max`?")),
            ("unknown-method".into(), "Undefined symbol: GetAverage".into(), "GetAverage".into(), some("there is no method `GetAverage`; use `avg($X.GetSample(window))`")),
            ("unknown-member".into(), "Undefined symbol: hours".into(), "hours".into(), some("did you mean `hour`?")),
            ("read-only-assignment".into(), "Cannot assign to read-only variable $CurrentDedicatedNodes".into(), "$CurrentDedicatedNodes".into(), None),
            ("wrong-arity".into(), "avg takes at least 1 argument, but 0 were given".into(), "()".into(), some("signature: double avg(doubleVecList)")),
            ("unknown-method".into(), "Undefined symbol: GetSamples".into(), "GetSamples".into(), some("did you mean `GetSample`?")),
        ]
    );
}

#[test]
fn undefined_variables_suggest_close_names() {
    let found =
        diagnostics("totalNodes = 1; $TargetDedicatedNodes = totalNode + $CurrentDedicatedNode");
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].3.as_deref(), Some("did you mean `totalNodes`?"));
    assert_eq!(
        found[1].3.as_deref(),
        Some("did you mean `$CurrentDedicatedNodes`?")
    );
}

#[test]
fn static_type_errors_are_found_before_evaluation() {
    let found = diagnostics(
        "x = \"a\" + 1; $TargetDedicatedNodes = time(); $NodeDeallocationOption = 5; y = time(3)",
    );
    let codes: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(codes, ["type-mismatch"; 4]);
    assert_eq!(
        found[0].1,
        "operator '+' is not defined for string and double"
    );
    assert_eq!(
        found[1].1,
        "$TargetDedicatedNodes takes a double, but this is a timestamp"
    );
}

#[test]
fn valid_formulas_have_no_error() {
    let formula = Formula::parse(
        "$samples = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 15);\n$TargetDedicatedNodes = $samples < 70 ? 1 : avg($PendingTasks.GetSample(TimeInterval_Minute * 15));",
    )
    .unwrap();
    assert!(formula
        .diagnostics()
        .iter()
        .all(|d| d.severity != Severity::Error));
}
