//! `GetSample` results are vectors like any other: a sample list longer than
//! `Limits::max_vector_len` is an ordinary evaluation error at the call's
//! `(` (issue 18), whether the count is given or a window is.

use batchscale::{EvalContext, Formula, Limits, Metric, Series, TimeInterval, Timestamp};

/// 31 samples 30 s apart, the newest at now, 8 pending tasks each.
fn ctx() -> EvalContext {
    let now = match Timestamp::parse_rfc3339("2025-04-24T12:00:00Z") {
        Some(t) => t,
        None => panic!("the test's timestamp does not parse"),
    };
    let history = Series::regular(TimeInterval::from_seconds(30), now, &[Some(8.0); 31]);
    EvalContext::builder(now)
        .target_dedicated_nodes(2.0)
        .metric(Metric::PendingTasks, history)
        .build()
}

const LIMIT_3: Limits = Limits {
    max_vector_len: 3,
    ..Limits::SERVICE
};

/// The error detail of evaluating `text` under a vector limit of 3, if any.
fn error_of(text: &str) -> Option<String> {
    let formula = match Formula::parse_with(text, &LIMIT_3) {
        Ok(f) => f,
        Err(e) => panic!("{text}: {e}"),
    };
    let run = formula.evaluate(&ctx());
    run.error
        .and_then(|e| e.values.into_iter().next())
        .map(|v| v.value)
}

#[test]
fn a_sample_count_over_the_limit_fails_at_the_paren() {
    // `$TargetDedicatedNodes = avg(` is 28 characters, `$PendingTasks` 13,
    // `.GetSample` 10: the `(` is column 28 + 13 + 10 + 1 = 52. Four samples
    // exist (31 do), one more than the limit of 3.
    assert_eq!(
        error_of("$TargetDedicatedNodes = avg($PendingTasks.GetSample(4));").as_deref(),
        Some("Line 1, Col 52: vector of 4 elements exceeds the limit of 3")
    );
}

#[test]
fn a_window_over_the_limit_fails_at_the_paren() {
    // The 15-minute window holds 30 samples (30 s apart, as in the crate
    // tutorial, where it is 100% full): 30 > 3. `$x = ` is 5 characters, so
    // the `(` is column 5 + 13 + 10 + 1 = 29.
    assert_eq!(
        error_of("$x = $PendingTasks.GetSample(TimeInterval_Minute * 15);").as_deref(),
        Some("Line 1, Col 29: vector of 30 elements exceeds the limit of 3")
    );
}

#[test]
fn a_sample_list_within_the_limit_is_fine_even_from_a_longer_series() {
    // Two samples of 8 from a 31-sample series: avg = 8.
    let formula = match Formula::parse_with(
        "$TargetDedicatedNodes = avg($PendingTasks.GetSample(2));",
        &LIMIT_3,
    ) {
        Ok(f) => f,
        Err(e) => panic!("{e}"),
    };
    let run = formula.evaluate(&ctx());
    assert_eq!(run.error, None);
    assert!(
        run.results.starts_with("$TargetDedicatedNodes=8;"),
        "{}",
        run.results
    );
}
