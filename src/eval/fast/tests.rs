//! The fast tier against the one evaluator, and values worked out by hand.

use super::{index_of_end, FastProgram};
use crate::eval::{EvalError, EvalErrorKind, Outcome};
use crate::{EvalContext, Formula, Limits, Metric, Series, TimeInterval, Timestamp, Value};

const SECOND: i64 = 10_000_000;

fn now() -> Timestamp {
    Timestamp::from_ticks(1_000_000 * SECOND).unwrap()
}

/// `n` samples of `$PendingTasks` valued 0, 1, …, n-1, one every 30 s,
/// the newest (n-1) at `last`.
fn counting(n: usize, last: Timestamp) -> Series {
    let values: Vec<Option<f64>> = (0..n).map(|i| Some(i as f64)).collect();
    Series::regular(TimeInterval::from_seconds(30), last, &values)
}

fn ctx(n: usize) -> EvalContext {
    EvalContext::builder(now())
        .target_dedicated_nodes(3.0)
        .metric(Metric::PendingTasks, counting(n, now()))
        .build()
}

fn formula(text: &str) -> Formula {
    Formula::parse(text).unwrap()
}

fn is_fast(f: &Formula) -> bool {
    FastProgram::compile(f.program()).is_some()
}

/// The run's outcome, the error and the results string, on the path
/// `run` picks and on the general path.
fn both(
    f: &Formula,
    ctx: &EvalContext,
    limits: Limits,
) -> [(Result<Outcome, EvalError>, String); 2] {
    let mut e = crate::eval::Evaluator::new(f.program(), limits);
    let picked = e.run(ctx);
    let picked_results = picked.as_ref().map(|o| e.results(o)).unwrap_or_default();
    let general = e.run_observed(ctx, &mut crate::eval::Silent);
    let general_results = general.as_ref().map(|o| e.results(o)).unwrap_or_default();
    [(picked, picked_results), (general, general_results)]
}

fn variable(f: &Formula, ctx: &EvalContext, name: &str) -> f64 {
    let mut e = f.evaluator();
    e.run(ctx).unwrap();
    match e.variable(name) {
        Some(Value::Double(x)) => *x,
        other => panic!("{name}: {other:?}"),
    }
}

const WINDOW: &str = "$PendingTasks.GetSample(TimeInterval_Minute * 15)";

#[test]
fn a_window_read_in_several_statements_gives_each_its_own_value() {
    // 40 samples valued 0..39, the newest (39) at now. The window
    // [now - 900 s, now) holds the samples 30 s to 900 s old: values 9
    // to 38, 30 of the 30 expected (100%), averaging 23.5.
    let text = format!(
        "$p = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 15);\n\
         $a = avg({WINDOW});\n\
         $n = len({WINDOW});\n\
         $m = max($PendingTasks.GetSample(1), avg({WINDOW}));\n\
         $ten = avg($PendingTasks.GetSample(TimeInterval_Minute * 10));"
    );
    let f = formula(&text);
    assert!(is_fast(&f));
    let ctx = ctx(40);
    assert_eq!(variable(&f, &ctx, "$p"), 100.0);
    assert_eq!(variable(&f, &ctx, "$a"), 23.5);
    assert_eq!(variable(&f, &ctx, "$n"), 30.0);
    assert_eq!(variable(&f, &ctx, "$m"), 39.0);
    // The 10-minute window is another one: values 19 to 38, average 28.5.
    assert_eq!(variable(&f, &ctx, "$ten"), 28.5);
}

#[test]
fn each_read_of_a_shared_window_checks_its_own_percentage() {
    // 20 samples valued 0..19, the newest at now: the 15-minute window
    // holds the 19 older ones, 19 of 30 expected = 63.3%.
    let ctx = ctx(20);
    let first = format!(
        "$a = avg($PendingTasks.GetSample(TimeInterval_Minute * 15, 60));\n$b = avg({WINDOW});"
    );
    let f = formula(&first);
    assert!(is_fast(&f));
    let err = f.evaluator().run(&ctx).unwrap_err();
    // The first read wants 60% and passes; the second wants 70% and fails
    // at its own parenthesis.
    let second_paren = first.rfind("GetSample(").unwrap() + "GetSample".len();
    assert_eq!(err.span.start, second_paren);
    assert!(matches!(
        err.kind,
        EvalErrorKind::InsufficientSampleData { wanted, received, .. }
            if wanted == 70.0 && (received - 1900.0 / 30.0).abs() < 1e-9
    ));
    // The other way round the first read fails, at its parenthesis.
    let swapped = format!(
        "$b = avg({WINDOW});\n$a = avg($PendingTasks.GetSample(TimeInterval_Minute * 15, 60));"
    );
    let err = formula(&swapped).evaluator().run(&ctx).unwrap_err();
    assert_eq!(
        err.span.start,
        swapped.find("GetSample(").unwrap() + "GetSample".len()
    );
    // A percentage read first does not fail, and the 60% read passes:
    // avg(0..18) = 9.
    let percent_first = "$p = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 15);\n\
         $a = avg($PendingTasks.GetSample(TimeInterval_Minute * 15, 60));";
    let f = formula(percent_first);
    assert_eq!(variable(&f, &ctx, "$a"), 9.0);
    assert!((variable(&f, &ctx, "$p") - 1900.0 / 30.0).abs() < 1e-9);
}

#[test]
fn windows_are_resolved_again_on_every_run() {
    // One evaluator, two instants: the second run must not see the
    // first run's window or newest sample.
    let text = format!("$TargetDedicatedNodes = max($PendingTasks.GetSample(1), avg({WINDOW}));");
    let f = formula(&text);
    assert!(is_fast(&f));
    let mut e = f.evaluator();
    let mut ctx = ctx(40);
    assert_eq!(e.run(&ctx).unwrap().target_dedicated_nodes, 39.0);
    // Ten minutes earlier the newest sample is 19 and the window holds
    // the values -1..18 that exist: 0..18, 19 of 30 = 63% < 70%.
    ctx.now = Timestamp::from_ticks(now().ticks() - 600 * SECOND).unwrap();
    let err = e.run(&ctx).unwrap_err();
    assert!(matches!(
        err.kind,
        EvalErrorKind::InsufficientSampleData { .. }
    ));
    // Five minutes earlier than the end: newest 29, window values 0..28
    // (29 of 30), average 14.
    ctx.now = Timestamp::from_ticks(now().ticks() - 300 * SECOND).unwrap();
    assert_eq!(e.run(&ctx).unwrap().target_dedicated_nodes, 29.0);
    let text = format!("$TargetDedicatedNodes = avg({WINDOW});");
    let f = formula(&text);
    let mut e = f.evaluator();
    assert_eq!(e.run(&ctx).unwrap().target_dedicated_nodes, 14.0);
    ctx.now = now();
    assert_eq!(e.run(&ctx).unwrap().target_dedicated_nodes, 23.5);
}

#[test]
fn reassigned_variables_and_targets_read_their_latest_value() {
    let text = "$x = 1; $x = $x + 1; $TargetDedicatedNodes = $x * 10;\n\
                $y = $TargetDedicatedNodes + $TargetDedicated; $TargetDedicated = 5;";
    let f = formula(text);
    assert!(is_fast(&f));
    let ctx = ctx(0);
    assert_eq!(variable(&f, &ctx, "$x"), 2.0);
    // The alias reads the latest assignment to either spelling: 20 + 20.
    assert_eq!(variable(&f, &ctx, "$y"), 40.0);
    // The full name wins over the alias assigned after it.
    assert_eq!(
        f.evaluator().run(&ctx).unwrap().target_dedicated_nodes,
        20.0
    );
}

#[test]
fn the_newest_sample_beside_a_number_is_a_list_of_one_or_two() {
    let text =
        "$a = max($PendingTasks.GetSample(1), 5); $b = min(5, $PendingTasks.GetSample(1));\n\
                $c = max($PendingTasks.GetSample(1), 0/0);";
    let f = formula(text);
    assert!(is_fast(&f));
    // No samples: the number alone.
    assert_eq!(variable(&f, &ctx(0), "$a"), 5.0);
    assert_eq!(variable(&f, &ctx(0), "$b"), 5.0);
    // Newest sample 39: max 39, min 5; NaN anywhere makes NaN.
    assert_eq!(variable(&f, &ctx(40), "$a"), 39.0);
    assert_eq!(variable(&f, &ctx(40), "$b"), 5.0);
    assert!(variable(&f, &ctx(40), "$c").is_nan());
    assert!(variable(&f, &ctx(0), "$c").is_nan());
}

#[test]
fn the_end_of_a_window_is_found_as_by_search() {
    let mut gappy = Series::new(TimeInterval::from_seconds(30));
    for i in [0, 1, 3, 4] {
        gappy.push(Timestamp::from_ticks(i * 30 * SECOND).unwrap(), 1.0);
    }
    let stuck = Series::regular(
        TimeInterval::from_seconds(0),
        Timestamp::from_ticks(90 * SECOND).unwrap(),
        &[Some(1.0); 3],
    );
    let gapless = counting(5, Timestamp::from_ticks(120 * SECOND).unwrap());
    for series in [
        &gappy,
        &stuck,
        &gapless,
        &Series::new(TimeInterval::from_seconds(30)),
    ] {
        for end in (-30..=150).map(|s| s * SECOND) {
            let searched = series.times().partition_point(|&t| t < end);
            assert_eq!(index_of_end(series, end), searched, "{end}");
        }
    }
}

#[test]
fn statements_the_fast_path_cannot_run_leave_the_program_general() {
    for text in [
        "$PendingTasks = 1;",
        "$x = $y + 1; $y = 2;",
        "$v = $PendingTasks.GetSample(1); $x = 1;",
        "$x = rand();",
        "$x = std(1, 2, 3);",
        "$NodeDeallocationOption = 1;",
    ] {
        assert!(!is_fast(&formula(text)), "{text}");
    }
}

/// Formulas over the sample windows, errors included.
const FORMULAS: &[&str] = &[
    EXAMPLE2,
    "$TargetDedicatedNodes = avg($PendingTasks.GetSample(TimeInterval_Minute * 15, 10));",
    "$a = min($PendingTasks.GetSample(3), 7); $b = sum($PendingTasks.GetSample(TimeInterval_Minute * 5, 0)); $c = len($PendingTasks.GetSample(1));",
    "$a = max($PendingTasks.GetSample(0)); $b = 1;",
    "$a = avg($PendingTasks.GetSample(0)); $b = 1;",
    "$a = max(0/0, 1); $b = min(2, 0/0); $c = -$a; $d = !$b; $e = $a == $a;",
    "$a = 0 && $PendingTasks.GetSamplePercent(TimeInterval_Minute) > 1 || 2; $b = 1 < 2 < 3 + 4 * 5 - 6 / 0;",
    "$a = $CurrentDedicatedNodes + $TaskSlotsPerNode + $UsableNodeCount; $TargetLowPriorityNodes = 1/0;",
    "$a = max($PendingTasks.GetSample(1), avg($ActiveTasks.GetSample(TimeInterval_Minute * 15)));",
    "$a = avg($PendingTasks.GetSample(-TimeInterval_Minute * 15, 0)); $b = $PendingTasks.GetSamplePercent(-TimeInterval_Minute);",
    "$a = $PendingTasks + 1; $TargetDedicatedNodes = $a > 10 ? 1 : $a > 5 ? 2 : 3;",
    "$TargetDedicatedNodes = max($PendingTasks.GetSample(1), -0); $TargetLowPriorityNodes = min(-0, $PendingTasks.GetSample(1));",
    "$a = max(0, $PendingTasks.GetSample(1)); $b = min($PendingTasks.GetSample(1), 0/0); $c = max($PendingTasks.GetSample(1), -1/0);",
    "$a = max($ActiveTasks.GetSample(1), $PendingTasks.GetSample(1)); $b = min(1, $PendingTasks.GetSample(2));",
];

const EXAMPLE2: &str = "$samples = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 15);\n\
    $tasks = $samples < 70 ? max(0,$PendingTasks.GetSample(1)) : max( $PendingTasks.GetSample(1), avg($PendingTasks.GetSample(TimeInterval_Minute * 15)));\n\
    $targetVMs = $tasks > 0? $tasks:max(0, $TargetDedicatedNodes/2);\n\
    $TargetDedicatedNodes = max(0, min($targetVMs, 20));\n\
    $NodeDeallocationOption = taskcompletion;";

fn contexts() -> Vec<EvalContext> {
    let mut out: Vec<EvalContext> = [0, 1, 10, 20, 40, 240].into_iter().map(ctx).collect();
    // Gaps, a NaN, samples after now.
    let mut gappy = Series::new(TimeInterval::from_seconds(30));
    for (i, v) in [
        (0, 1.0),
        (2, f64::NAN),
        (3, 5.0),
        (7, 2.0),
        (30, 9.0),
        (31, 4.0),
    ] {
        gappy.push(
            Timestamp::from_ticks(now().ticks() - (30 - i) * 30 * SECOND).unwrap(),
            v,
        );
    }
    // A NaN newest sample.
    out.push(
        EvalContext::builder(now())
            .metric(
                Metric::PendingTasks,
                Series::regular(
                    TimeInterval::from_seconds(30),
                    now(),
                    &[Some(1.0), Some(f64::NAN)],
                ),
            )
            .build(),
    );
    out.push(
        EvalContext::builder(now())
            .metric(Metric::PendingTasks, gappy)
            .metric(Metric::ActiveTasks, counting(35, now()))
            .build(),
    );
    out
}

#[test]
fn the_fast_path_agrees_with_the_general_one() {
    for text in FORMULAS {
        let f = formula(text);
        assert!(is_fast(&f), "{text}");
        for ctx in contexts() {
            let [picked, general] = both(&f, &ctx, Limits::default());
            // NaN outcomes compare by their bits.
            assert_eq!(format!("{picked:?}"), format!("{general:?}"), "{text}");
        }
    }
}

#[test]
fn the_work_budget_is_the_general_paths_at_every_limit() {
    // Around each formula's threshold the fast path must decline
    // whenever the general path would run out of steps.
    let mut fast_within_range = 0;
    for text in FORMULAS {
        let f = formula(text);
        let fast = FastProgram::compile(f.program()).unwrap();
        for ctx in contexts() {
            for max_eval_steps in 0..140 {
                fast_within_range += usize::from(fast.fits(&ctx, max_eval_steps, usize::MAX));
                let limits = Limits {
                    max_eval_steps,
                    ..Limits::default()
                };
                let [picked, general] = both(&f, &ctx, limits);
                assert_eq!(
                    format!("{picked:?}"),
                    format!("{general:?}"),
                    "{text} at {max_eval_steps}"
                );
            }
        }
    }
    // The range does reach the fast path.
    assert!(fast_within_range > 100, "{fast_within_range}");
}

mod generated {
    //! Generated numeric formulas: whatever path `run` picks, it answers as
    //! the general path does.

    use super::{both, contexts, formula};
    use crate::Limits;
    use proptest::prelude::*;

    fn leaf() -> impl Strategy<Value = String> {
        let window = (1u32..20, prop::option::of(0u32..101));
        prop_oneof![
            prop::sample::select(vec!["0", "1", "2.5", "20", "(0/0)", "(1/0)", "-0"])
                .prop_map(str::to_string),
            prop::sample::select(vec![
                "$x",
                "$TargetDedicatedNodes",
                "$TargetDedicated",
                "$TargetLowPriorityNodes",
                "$CurrentDedicatedNodes",
                "$UsableNodeCount",
                "$PendingTasks",
            ])
            .prop_map(str::to_string),
            (1u32..20)
                .prop_map(|k| format!("$PendingTasks.GetSamplePercent(TimeInterval_Minute * {k})")),
            (
                prop::sample::select(vec!["avg", "sum", "len", "max", "min"]),
                window
            )
                .prop_map(|(f, (k, p))| match p {
                    Some(p) => {
                        format!("{f}($PendingTasks.GetSample(TimeInterval_Minute * {k}, {p}))")
                    }
                    None => format!("{f}($ActiveTasks.GetSample(TimeInterval_Minute * {k}))"),
                }),
        ]
    }

    fn expr() -> impl Strategy<Value = String> {
        leaf().prop_recursive(3, 16, 3, |inner| {
            let op = prop::sample::select(vec![
                "+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "&&", "||",
            ]);
            let func = prop::sample::select(vec!["avg", "max", "min", "sum", "len"]);
            let newest = prop::sample::select(vec![
                "$PendingTasks.GetSample(1)",
                "$PendingTasks.GetSample(3)",
                "$ActiveTasks.GetSample(1)",
            ]);
            prop_oneof![
                (inner.clone(), op, inner.clone()).prop_map(|(a, o, b)| format!("({a} {o} {b})")),
                inner.clone().prop_map(|a| format!("-{a}")),
                inner.clone().prop_map(|a| format!("!{a}")),
                (inner.clone(), inner.clone(), inner.clone())
                    .prop_map(|(c, t, e)| format!("({c} ? {t} : {e})")),
                (func.clone(), prop::collection::vec(inner.clone(), 1..4))
                    .prop_map(|(f, args)| format!("{f}({})", args.join(", "))),
                (func, newest, inner, any::<bool>()).prop_map(|(f, n, a, first)| if first {
                    format!("{f}({n}, {a})")
                } else {
                    format!("{f}({a}, {n})")
                }),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

        #[test]
        fn the_picked_path_answers_as_the_general_one(a in expr(), b in expr(), c in expr()) {
            let text = format!(
                "$x = {a};\n$TargetDedicatedNodes = {b};\n$y = {c};\n$NodeDeallocationOption = retaineddata;"
            );
            let f = formula(&text);
            for ctx in contexts() {
                for max_eval_steps in [15, 40, 90, Limits::default().max_eval_steps] {
                    let limits = Limits { max_eval_steps, ..Limits::default() };
                    let [picked, general] = both(&f, &ctx, limits);
                    prop_assert_eq!(format!("{picked:?}"), format!("{general:?}"), "{}", text);
                }
            }
        }
    }
}
