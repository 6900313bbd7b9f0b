//! The language, one formula at a time: every operator row, function, sample
//! method, member, constant and error kind, with expected values from the spec
//! or worked out by hand in the comments.

use batchscale::{EvalContext, Formula};

use crate::common::{ctx, error, eval_error, results, ts, x, SYSTEM};

#[test]
fn precedence_and_associativity() {
    assert_eq!(x("1 + 2 * 3"), "7");
    assert_eq!(x("(1 + 2) * 3"), "9");
    assert_eq!(x("2 - 1 - 1"), "0");
    assert_eq!(x("8 / 2 / 2"), "2");
    assert_eq!(x("-2 * 3"), "-6");
    assert_eq!(x("--2"), "2");
    assert_eq!(x("!0 + 1"), "2");
    assert_eq!(x("1 < 2 == 1"), "1");
    assert_eq!(x("1 || 0 && 0"), "1");
    assert_eq!(x("1 ? 2 : 0 ? 3 : 4"), "2");
    assert_eq!(x("0 ? 2 : 0 ? 3 : 4"), "4");
    assert_eq!(x("0 ? 2 : 1 ? 3 : 4"), "3");
    assert_eq!(x("1 ? 0 ? 5 : 6 : 7"), "6");
    // doAzureParallel: `+ 0.5` belongs to the else branch (service: $targetVMs=1 = 1/2 + 0.5).
    assert_eq!(x("0 > 0 ? 9 : max(0, 1/2) + 0.5"), "1");
}

#[test]
fn whole_numbers_print_in_full_and_others_as_percent_g() {
    // service-behaviour.md: whole numbers with no decimal point, others with 6
    // significant digits, like C's `%g`.
    assert_eq!(x("29 / 30 * 100"), "96.6667");
    assert_eq!(x("1 / 2"), "0.5");
    assert_eq!(x("1000000"), "1000000");
    // batch-shipyard's bound for an unlimited increment.
    assert_eq!(x("16777216"), "16777216");
    assert_eq!(x("2500000.5"), "2.5e+06");
    assert_eq!(x("0.7"), "0.7");
    assert_eq!(x("600.0"), "600");
    assert_eq!(x("ceil(-0.5)"), "0");
}

#[test]
fn comparisons_and_logic_give_one_or_zero() {
    for (e, v) in [
        ("3 > 2", "1"),
        ("3 < 2", "0"),
        ("2 <= 2", "1"),
        ("2 >= 3", "0"),
        ("2 == 2", "1"),
        ("2 != 2", "0"),
        ("2 && 3", "1"),
        ("2 && 0", "0"),
        ("0 || 0", "0"),
        ("\"a\" < \"b\"", "1"),
        ("\"B\" < \"a\"", "1"),
        ("time() > time(\"2025-01-01\")", "1"),
        ("TimeInterval_Hour > TimeInterval_Minute", "1"),
        ("TimeInterval_Hour == 60 * TimeInterval_Minute", "1"),
    ] {
        assert_eq!(x(e), v, "{e}");
    }
}

#[test]
fn vector_arithmetic() {
    assert_eq!(x("$PendingTasks.GetSample(3) * 2"), "[76,78,80]");
    assert_eq!(x("$PendingTasks.GetSample(3) - 38"), "[0,1,2]");
    assert_eq!(
        x("$PendingTasks.GetSample(2) + $PendingTasks.GetSample(2)"),
        "[78,80]"
    );
    assert_eq!(x("$PendingTasks.GetSample(2) / vec(2, 4)"), "[19.5,10]");
}

#[test]
fn time_arithmetic_and_constants() {
    assert_eq!(x("TimeInterval_Zero"), "00:00:00");
    assert_eq!(x("TimeInterval_100ns"), "00:00:00.0000001");
    assert_eq!(x("TimeInterval_Microsecond"), "00:00:00.0000010");
    assert_eq!(x("TimeInterval_Millisecond"), "00:00:00.0010000");
    assert_eq!(x("TimeInterval_Second"), "00:00:01");
    assert_eq!(x("TimeInterval_Minute * 15"), "00:15:00");
    assert_eq!(x("180 * TimeInterval_Second"), "00:03:00");
    assert_eq!(x("TimeInterval_Hour / 4"), "00:15:00");
    assert_eq!(x("TimeInterval_Day"), "1.00:00:00");
    assert_eq!(x("TimeInterval_Week"), "7.00:00:00");
    assert_eq!(x("TimeInterval_Year"), "365.00:00:00");
    assert_eq!(x("-TimeInterval_Hour"), "-01:00:00");
    assert_eq!(x("TimeInterval_Hour - TimeInterval_Minute"), "00:59:00");
    assert_eq!(x("time() + TimeInterval_Hour"), "2025-01-06T11:30:00.000Z");
    assert_eq!(x("TimeInterval_Hour + time()"), "2025-01-06T11:30:00.000Z");
    assert_eq!(x("time() - time(\"2025-01-06T10:00:00Z\")"), "00:30:00");
    // The docs' local-time shift: MDT is UTC-6.
    assert_eq!(
        x("time() + (-6 * TimeInterval_Hour)"),
        "2025-01-06T04:30:00.000Z"
    );
}

#[test]
fn timestamp_members() {
    for (m, v) in [
        ("year", "2025"),
        ("month", "1"),
        ("day", "6"),
        ("weekday", "1"),
        ("hour", "10"),
        ("minute", "30"),
        ("second", "0"),
    ] {
        assert_eq!(x(&format!("time().{m}")), v, "{m}");
    }
    // Sunday is 7 (batch-shipyard's weekend test uses weekday >= 6 && weekday <= 7).
    assert_eq!(x("time(\"2025-01-05T12:00:00Z\").weekday"), "7");
    assert_eq!(
        results("now = time(); y = now.hour"),
        format!("{SYSTEM};now=2025-01-06T10:30:00.000Z;y=10")
    );
}

#[test]
fn list_functions() {
    // GetSample(3) = [38, 39, 40].
    assert_eq!(x("avg($PendingTasks.GetSample(3), 7)"), "31");
    assert_eq!(x("len($PendingTasks.GetSample(3), 7)"), "4");
    assert_eq!(x("sum($PendingTasks.GetSample(3))"), "117");
    assert_eq!(x("max($PendingTasks.GetSample(3), 50)"), "50");
    assert_eq!(x("min($PendingTasks.GetSample(3), 50)"), "38");
    assert_eq!(x("range($PendingTasks.GetSample(3))"), "2");
    assert_eq!(x("norm(3, 4)"), "5");
    // Sample standard deviation of 2,4,4,4,5,5,7,9: sqrt(32 / 7) = 2.13809.
    assert_eq!(x("std(2, 4, 4, 4, 5, 5, 7, 9)"), "2.13809");
    assert_eq!(x("avg(1, 2)"), "1.5");
    assert_eq!(x("sum()"), "0");
    assert_eq!(x("len()"), "0");
    // The two-norm of an empty list is 0, written as no arguments or as an empty vector.
    assert_eq!(x("norm()"), "0");
    assert_eq!(x("norm(vec())"), "0");
    assert_eq!(x("vec(1, vec(2, 3))"), "[1,2,3]");
}

#[test]
fn percentile_uses_nearest_rank() {
    let v = "vec(10, 1, 9, 2, 8, 3, 7, 4, 6, 5)";
    assert_eq!(x(&format!("percentile({v}, 90)")), "9");
    assert_eq!(x(&format!("percentile({v}, 50)")), "5");
    assert_eq!(x(&format!("percentile({v}, 0)")), "1");
    assert_eq!(x(&format!("percentile({v}, 100)")), "10");
    assert_eq!(x(&format!("percentile({v}, 91)")), "10");
}

#[test]
fn val_reads_an_element_or_zero() {
    assert_eq!(x("val($PendingTasks.GetSample(3), 0)"), "38");
    assert_eq!(x("val($PendingTasks.GetSample(3), 2.9)"), "40");
    assert_eq!(x("val($PendingTasks.GetSample(3), 3)"), "0");
    assert_eq!(x("val($PendingTasks.GetSample(3), -1)"), "0");
    // batch-shipyard #138: val(GetSample(1), 0) on an empty history does not fail.
    assert_eq!(x("val($ActiveTasks.GetSample(1), 0)"), "0");
}

#[test]
fn logarithms_and_rounding() {
    assert_eq!(x("lg(8)"), "3");
    assert_eq!(x("ln(1)"), "0");
    assert_eq!(x("log(1000)"), "3");
    assert_eq!(x("lg(vec(8))"), "[3]");
    assert_eq!(x("log(10, 100)"), "[1,2]");
    assert_eq!(x("ln(0)"), "-Infinity");
    assert_eq!(x("ceil(1.2)"), "2");
    assert_eq!(x("floor(1.8)"), "1");
    assert_eq!(x("floor(-1.2)"), "-2");
    assert_eq!(x("round(2.5)"), "2");
    assert_eq!(x("round(3.5)"), "4");
    assert_eq!(x("round(2.6)"), "3");
    assert_eq!(x("ceil(vec(1.2, 2.5))"), "[2,3]");
    assert_eq!(x("round(0.5, 1.5)"), "[0,2]");
}

#[test]
fn time_function() {
    assert_eq!(x("time()"), "2025-01-06T10:30:00.000Z");
    assert_eq!(x("time(\"\")"), "2025-01-06T10:30:00.000Z");
    assert_eq!(x("time(\"2025-01-06\")"), "2025-01-06T00:00:00.000Z");
    assert_eq!(
        x("time(\"Tue, 14 Jan 2025 18:30:00 GMT\")"),
        "2025-01-14T18:30:00.000Z"
    );
    assert_eq!(
        x("time(\"2024-05-07T09:15:42.123456Z\")"),
        "2024-05-07T09:15:42.123Z"
    );
}

#[test]
fn rand_is_seeded_and_in_range() {
    let a = x("rand()");
    assert_eq!(a, x("rand()"), "same seed, same value");
    let v: f64 = a.parse().unwrap();
    assert!((0.0..1.0).contains(&v), "{v}");
}

#[test]
fn stop_keeps_what_was_assigned() {
    let run = Formula::parse(
        "$TargetDedicatedNodes = 5; a = 1; stop(); $TargetDedicatedNodes = 7; b = 2",
    )
    .unwrap()
    .evaluate(&ctx());
    assert_eq!(run.error, None);
    assert_eq!(
        run.results,
        "$TargetDedicatedNodes=5;$TargetLowPriorityNodes=1;$NodeDeallocationOption=requeue;a=1"
    );
}

#[test]
fn sample_methods() {
    // GetSample(count) needs no percentage.
    assert_eq!(x("$PendingTasks.GetSample(1)"), "[40]");
    assert_eq!(x("$PendingTasks.GetSample(3)"), "[38,39,40]");
    // Last 5 minutes = [10:25:00, 10:30:00): samples 32..=40, 9 of 10 expected (90%).
    assert_eq!(
        x("$PendingTasks.GetSample(TimeInterval_Minute * 5)"),
        "[32,33,34,35,36,37,38,39,40]"
    );
    assert_eq!(
        x("$PendingTasks.GetSamplePercent(TimeInterval_Minute * 5)"),
        "90"
    );
    assert_eq!(
        x("$PendingTasks.GetSample(TimeInterval_Minute * 5, 90)"),
        "[32,33,34,35,36,37,38,39,40]"
    );
    // [10:24:00, 10:29:00): 10 samples valued 30..=39; either argument order.
    let window = "[30,31,32,33,34,35,36,37,38,39]";
    assert_eq!(
        x("$PendingTasks.GetSample(1 * TimeInterval_Minute, 6 * TimeInterval_Minute)"),
        window
    );
    assert_eq!(
        x("$PendingTasks.GetSample(6 * TimeInterval_Minute, 1 * TimeInterval_Minute)"),
        window
    );
    assert_eq!(
        x("$PendingTasks.GetSample(time(\"2025-01-06T10:24:00Z\"), time(\"2025-01-06T10:29:00Z\"))"),
        window
    );
    assert_eq!(
        x("$PendingTasks.GetSample(TimeInterval_Minute, TimeInterval_Minute * 6, 100)"),
        window
    );
    assert_eq!(
        x("$PendingTasks.GetSamplePercent(TimeInterval_Minute, TimeInterval_Minute * 6)"),
        "100"
    );
    assert_eq!(x("$PendingTasks.Count()"), "40");
    assert_eq!(x("$PendingTasks.GetSamplePeriod()"), "00:00:30");
    // Oldest sample: 39 periods before 10:29:00.
    assert_eq!(
        x("$PendingTasks.HistoryBeginTime()"),
        "2025-01-06T10:09:30.000Z"
    );
    // A new pool: no samples.
    assert_eq!(x("$ActiveTasks.GetSample(1)"), "[]");
    assert_eq!(
        x("$ActiveTasks.GetSamplePercent(TimeInterval_Minute * 5)"),
        "0"
    );
    assert_eq!(x("$ActiveTasks.Count()"), "0");
}

#[test]
fn samples_stamped_after_now_are_not_yet_history() {
    // The same 40 samples, evaluated at 10:20:00: the newest 18 (10:20:30 to
    // 10:29:00) lie in the future, leaving 22 (values 1..=22, the newest at 10:20:00).
    let mut ctx = ctx();
    let rest = |f: &str, ctx: &EvalContext| {
        let results = Formula::parse(f).unwrap().evaluate(ctx).results;
        results.strip_prefix(SYSTEM).unwrap().to_string()
    };
    ctx.now = ts("2025-01-06T10:20:00Z");
    assert_eq!(
        rest(
            "a = $PendingTasks.Count(); b = $PendingTasks.GetSample(1); c = $PendingTasks",
            &ctx
        ),
        ";a=22;b=[22];c=22"
    );
    // Before the oldest sample (10:09:30) there is no history at all.
    ctx.now = ts("2025-01-06T10:09:00Z");
    assert_eq!(rest("a = $PendingTasks.Count()", &ctx), ";a=0");
    let failed = Formula::parse("a = $PendingTasks.HistoryBeginTime()")
        .unwrap()
        .evaluate(&ctx)
        .error
        .unwrap();
    assert_eq!(failed.code, "AutoScalingFormulaEvaluationError");
    // The `(` of the call is the 35th character.
    assert_eq!(
        failed.values[0].value,
        "Line 1, Col 35: $PendingTasks has no samples"
    );
}

#[test]
fn a_sampled_metric_without_a_method_reads_its_latest_sample() {
    // Azure/Batch #151: $PendingTasks / $TaskSlotsPerNode + 0.9 with 2 pending and 1 slot gave 2.9.
    assert_eq!(x("$PendingTasks"), "40");
    assert_eq!(x("$PendingTasks / $TaskSlotsPerNode + 0.9"), "10.9");
    assert_eq!(x("$ActiveTasks"), "0");
}

#[test]
fn pool_values_and_targets() {
    assert_eq!(x("$CurrentDedicatedNodes"), "3");
    assert_eq!(x("$CurrentDedicated"), "3");
    assert_eq!(x("$CurrentLowPriorityNodes"), "1");
    assert_eq!(x("$TaskSlotsPerNode"), "4");
    assert_eq!(x("$UsableNodeCount"), "4");
    // Reading a target before assigning it gives the pool's current target.
    assert_eq!(x("$TargetDedicatedNodes"), "2");
    assert_eq!(x("$TargetDedicated / 2"), "1");
    assert_eq!(x("$TargetLowPriority"), "1");
    assert_eq!(x("$NodeDeallocationOption"), "requeue");
}

#[test]
fn aliases_share_the_target_and_the_full_name_wins() {
    assert_eq!(
        results("$TargetDedicated = 3; $TargetDedicatedNodes = 4; $TargetDedicated = 5; y = $TargetDedicated"),
        "$TargetDedicatedNodes=4;$TargetLowPriorityNodes=1;$NodeDeallocationOption=requeue;y=5"
    );
    assert_eq!(
        results("$TargetLowPriority = 6; y = $TargetLowPriorityNodes"),
        "$TargetDedicatedNodes=2;$TargetLowPriorityNodes=6;$NodeDeallocationOption=requeue;y=6"
    );
}

#[test]
fn results_list_user_variables_in_ordinal_order() {
    assert_eq!(
        results("b = 1; $a = 2; A = 3; a = 4; $NodeDeallocationOption = retaineddata"),
        "$TargetDedicatedNodes=2;$TargetLowPriorityNodes=1;$NodeDeallocationOption=retaineddata;$a=2;A=3;a=4;b=1"
    );
    assert_eq!(
        results("s = \"text\"; d = terminate"),
        format!("{SYSTEM};d=terminate;s=text")
    );
}

#[test]
fn laziness_and_short_circuit() {
    assert_eq!(
        x("1 ? 2 : avg($ActiveTasks.GetSample(TimeInterval_Minute * 5))"),
        "2"
    );
    assert_eq!(
        x("0 && avg($ActiveTasks.GetSample(TimeInterval_Minute * 5))"),
        "0"
    );
    assert_eq!(
        x("1 || avg($ActiveTasks.GetSample(TimeInterval_Minute * 5))"),
        "1"
    );
}

#[test]
fn syntax_forms() {
    assert_eq!(
        results(";; x = 1;; // comment\n y = 2 // after code\n;"),
        format!("{SYSTEM};x=1;y=2")
    );
    assert_eq!(
        results("x=(time().weekday==1?5:1)"),
        format!("{SYSTEM};x=5")
    );
    assert_eq!(results("x =\n  1 +\n  2;"), format!("{SYSTEM};x=3"));
    assert_eq!(results("1 + 1; stop()"), SYSTEM);
}

#[test]
fn insufficient_sample_data_points_at_the_paren() {
    let (code, msg) = error("x = 1;\n  y = avg($ActiveTasks.GetSample(TimeInterval_Minute * 5));");
    assert_eq!(code, "InsufficientSampleData");
    assert_eq!(
        msg,
        "Line 2, Col 33: Insufficient data from data set: $ActiveTasks wanted 70%, received 0%"
    );
    let (_, msg) = error("x = $PendingTasks.GetSample(TimeInterval_Minute * 5, 95)");
    assert_eq!(
        msg,
        "Line 1, Col 28: Insufficient data from data set: $PendingTasks wanted 95%, received 90%"
    );
}

#[test]
fn evaluation_errors() {
    assert_eq!(
        eval_error("x = y; y = 1"),
        "Line 1, Col 5: Undefined symbol: y"
    );
    assert_eq!(
        eval_error("x = 1;\n$x"),
        "Line 2, Col 1: Undefined symbol: $x"
    );
    assert_eq!(
        eval_error("x = foo(1)"),
        "Line 1, Col 5: Undefined symbol: foo"
    );
    assert_eq!(
        eval_error("x = $PendingTasks.GetAverage()"),
        "Line 1, Col 19: Undefined symbol: GetAverage"
    );
    assert_eq!(
        eval_error("x = time().hours"),
        "Line 1, Col 12: Undefined symbol: hours"
    );
    assert_eq!(
        eval_error("x = \"a\" + 1"),
        "Line 1, Col 9: operator '+' is not defined for string and double"
    );
    assert_eq!(
        eval_error("x = 2 * $PendingTasks.GetSample(2)"),
        "Line 1, Col 7: operator '*' is not defined for double and doubleVec"
    );
    assert_eq!(
        eval_error("x = vec(1, 2) + vec(1)"),
        "Line 1, Col 15: doubleVec operands have different lengths (2 and 1)"
    );
    assert_eq!(
        eval_error("$TargetDedicatedNodes = time()"),
        "Line 1, Col 1: $TargetDedicatedNodes takes a double, not a timestamp"
    );
    assert_eq!(
        eval_error("$NodeDeallocationOption = 1"),
        "Line 1, Col 1: $NodeDeallocationOption takes a requeue, terminate, taskcompletion or retaineddata, not a double"
    );
    assert_eq!(
        eval_error("$CurrentDedicatedNodes = 1"),
        "Line 1, Col 1: Cannot assign to read-only variable $CurrentDedicatedNodes"
    );
    assert_eq!(
        eval_error("$TargetDedicatedNodes = 0 / 0"),
        "Line 1, Col 1: $TargetDedicatedNodes is not a finite number (NaN)"
    );
    assert_eq!(
        eval_error("x = time(\"yesterday\")"),
        "Line 1, Col 10: String was not recognized as a valid DateTime: \"yesterday\""
    );
    assert_eq!(
        eval_error("x = avg($ActiveTasks.GetSample(1))"),
        "Line 1, Col 5: avg() of an empty list"
    );
    assert_eq!(
        eval_error("x = std(1)"),
        "Line 1, Col 5: std() needs at least 2 values, but the list has 1"
    );
    assert_eq!(
        eval_error("x = percentile(vec(1), 101)"),
        "Line 1, Col 24: percentile 101 is outside 0 to 100"
    );
}

#[test]
fn huge_time_arithmetic_is_an_error_not_a_crash() {
    assert_eq!(
        eval_error("x = time() + 100000000000 * TimeInterval_Year"),
        "Line 1, Col 27: timeinterval out of range"
    );
    assert_eq!(
        eval_error("x = time() + 9000 * TimeInterval_Year"),
        "Line 1, Col 12: timestamp out of range"
    );
}

#[test]
fn errors_stop_at_the_first_failing_statement() {
    let (_, msg) =
        error("a = 1;\nb = undefined_one;\nc = $ActiveTasks.GetSample(TimeInterval_Minute)");
    assert_eq!(msg, "Line 2, Col 5: Undefined symbol: undefined_one");
}

#[test]
fn syntax_errors_name_line_column_and_expectation() {
    let err = |f: &str| {
        Formula::parse(f)
            .err()
            .map(|e| (e.code(), e.to_string(), e.span.start))
    };
    // Spec §1.1: a formula holds one or more statements.
    for (empty, end) in [("", 0), ("// only a comment\n", 17), (" ;; ", 3)] {
        assert_eq!(
            err(empty),
            Some((
                "AutoScalingFormulaSyntaxError",
                "expected a statement, found end of formula".into(),
                end
            ))
        );
    }
    // The end of the formula is reported after its last character, not on
    // the empty line after a final line break.
    assert_eq!(
        err("x = 1;\na =\n\n"),
        Some((
            "AutoScalingFormulaSyntaxError",
            "expected an expression, found end of formula".into(),
            10
        ))
    );
    assert_eq!(
        err("x = (1 + ;"),
        Some((
            "AutoScalingFormulaSyntaxError",
            "expected an expression, found `;`".into(),
            9
        ))
    );
    assert_eq!(
        err("x = 1e300"),
        Some((
            "AutoScalingFormulaSyntaxError",
            "expected an expression, found `1e300`".into(),
            4
        ))
    );
    assert_eq!(
        err("$a = 1\n$b = 2"),
        Some((
            "AutoScalingFormulaSyntaxError",
            "missing `;` between statements".into(),
            7
        ))
    );
    assert_eq!(
        err("x = max(1, 2"),
        Some((
            "AutoScalingFormulaSyntaxError",
            "expected `)`, `,`, `.` or an operator, found end of formula".into(),
            12
        ))
    );
}

/// Targets print as whole numbers, truncated toward zero (the portal's
/// "Evaluation output" in Azure/batch-shipyard#239 printed 233 / 4 = 58.25 as
/// 58), while a user variable keeps full precision and a later read of the
/// target in the same formula sees the value as assigned.
#[test]
fn fractional_targets_print_truncated_toward_zero() {
    assert_eq!(
        results("$TargetLowPriorityNodes = 233 / 4; later = $TargetLowPriorityNodes;"),
        "$TargetDedicatedNodes=2;$TargetLowPriorityNodes=58;$NodeDeallocationOption=requeue;later=58.25"
    );
    // 0.5 truncates to 0 (MicrosoftDocs/azure-docs#95350); 2.9 to 2 (Azure/Batch #151).
    assert_eq!(
        results("$TargetDedicatedNodes = 0.5; $TargetLowPriorityNodes = 2.9;"),
        "$TargetDedicatedNodes=0;$TargetLowPriorityNodes=2;$NodeDeallocationOption=requeue"
    );
    // Toward zero, not down: -2.5 prints as -2.
    assert_eq!(
        results("$TargetDedicatedNodes = -2.5;"),
        "$TargetDedicatedNodes=-2;$TargetLowPriorityNodes=1;$NodeDeallocationOption=requeue"
    );
}
