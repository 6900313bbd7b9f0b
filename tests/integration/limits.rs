//! Every documented limit, at the limit and one past it: an ordinary error with
//! a code, a span and the limit's value.

use batchscale::{EvalContext, Formula, Limits, SyntaxErrorKind, Timestamp};

fn ctx() -> EvalContext {
    EvalContext::new(Timestamp::UNIX_EPOCH)
}

#[test]
fn formula_length_at_and_past_8192_characters() {
    // `x = 1;` followed by spaces up to the exact length.
    let at = format!("x = 1;{}", " ".repeat(8192 - 6));
    assert_eq!(at.chars().count(), 8192);
    assert!(Formula::parse(&at).is_ok());
    let past = format!("{at} ");
    let err = Formula::parse(&past).unwrap_err();
    assert_eq!(err.code(), "AutoScalingFormulaTooLong");
    assert_eq!(
        err.kind,
        SyntaxErrorKind::TooLong {
            chars: 8193,
            limit: 8192
        }
    );
    assert_eq!(err.span.start, 8192);
    assert_eq!(
        err.to_string(),
        "the formula has 8193 characters, more than the limit of 8192"
    );
}

#[test]
fn length_counts_characters_not_bytes() {
    // 8,192 characters of which some take two bytes in UTF-8.
    let text = format!("x = 1;//{}", "é".repeat(8192 - 8));
    assert_eq!(text.chars().count(), 8192);
    assert!(text.len() > 8192);
    assert!(Formula::parse(&text).is_ok());
}

#[test]
fn statements_at_and_past_100() {
    let at = "x = 1;".repeat(100);
    assert!(Formula::parse(&at).is_ok());
    // Empty statements do not count.
    assert!(Formula::parse(&format!("{at};;;")).is_ok());
    let past = "x = 1;".repeat(101);
    let err = Formula::parse(&past).unwrap_err();
    assert_eq!(err.code(), "AutoScalingFormulaTooLong");
    assert_eq!(
        err.kind,
        SyntaxErrorKind::TooManyStatements {
            count: 101,
            limit: 100
        }
    );
    // The span is the 101st statement.
    assert_eq!(err.span.start, 600);
}

#[test]
fn limits_can_be_lifted_but_not_past_the_hard_caps() {
    let long = "x = 1;".repeat(2000);
    assert!(Formula::parse(&long).is_err());
    assert!(Formula::parse_with(&long, &Limits::LIFTED).is_ok());
    // 1 MiB is a hard cap even with limits lifted.
    let huge = format!("x = 1;{}", " ".repeat(Limits::MAX_FORMULA_BYTES));
    let err = Formula::parse_with(&huge, &Limits::LIFTED).unwrap_err();
    assert_eq!(
        err.kind,
        SyntaxErrorKind::TooLong {
            chars: Limits::MAX_FORMULA_BYTES + 6,
            limit: Limits::MAX_FORMULA_BYTES
        }
    );
    let mut limits = Limits::LIFTED;
    limits.max_nesting = 10_000;
    assert_eq!(limits.clamped().max_nesting, Limits::MAX_NESTING);
}

#[test]
fn the_evaluation_work_budget_stops_runaway_work() {
    // 1 step per node: `a = 1` takes 1; the chain takes 1 for itself and 1
    // per operand, 11 (constants would be folded, so it adds a pool value).
    let formula = format!(
        "a = 1;\nx = $TaskSlotsPerNode{};",
        " + $TaskSlotsPerNode".repeat(9)
    );
    let formula = formula.as_str();
    let run_with = |max_eval_steps| {
        let limits = Limits {
            max_eval_steps,
            ..Limits::default()
        };
        Formula::parse_with(formula, &limits)
            .unwrap()
            .evaluate(&ctx())
            .error
    };
    // 12 steps in all: a budget of 11 runs out in the second statement,
    // which the error names.
    let error = run_with(11).unwrap();
    assert_eq!(error.code, "AutoScalingFormulaEvaluationError");
    assert_eq!(
        error.values[0].value,
        "Line 2, Col 1: evaluation exceeded the work budget of 11 steps"
    );
    assert_eq!(run_with(12), None);
}

#[test]
fn vector_size_is_limited() {
    let limits = Limits {
        max_vector_len: 3,
        ..Limits::default()
    };
    let ok = Formula::parse_with("x = vec(1, 2, 3) * 2", &limits)
        .unwrap()
        .evaluate(&ctx());
    assert_eq!(ok.error, None);
    let run = Formula::parse_with("x = vec(1, 2, 3, 4)", &limits)
        .unwrap()
        .evaluate(&ctx());
    assert_eq!(
        run.error.unwrap().values[0].value,
        "Line 1, Col 5: vector of 4 elements exceeds the limit of 3"
    );
}
