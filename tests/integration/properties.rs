//! Property tests: parsing never panics, printing round-trips, child spans lie
//! inside their parents, and evaluation never panics on generated formulas and
//! contexts (NaN, infinities and empty histories included).

use batchscale::syntax::{self, Expr, StatementKind, WithoutSpans};
use batchscale::{EvalContext, Formula, Limits, Metric, Series, TimeInterval, Timestamp};
use proptest::prelude::*;

fn leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..1000).prop_map(|n| n.to_string()),
        (0u32..100, 0u32..100).prop_map(|(a, b)| format!("{a}.{b}")),
        Just("$PendingTasks".to_string()),
        Just("$CurrentDedicatedNodes".to_string()),
        Just("$TargetDedicatedNodes".to_string()),
        Just("$TaskSlotsPerNode".to_string()),
        Just("TimeInterval_Minute".to_string()),
        Just("TimeInterval_Second".to_string()),
        Just("time()".to_string()),
        Just("\"2025-01-01\"".to_string()),
        Just("a".to_string()),
        Just("$b".to_string()),
        Just("requeue".to_string()),
    ]
}

fn expr() -> impl Strategy<Value = String> {
    leaf().prop_recursive(4, 32, 3, |inner| {
        let op = prop::sample::select(vec![
            "+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "&&", "||",
        ]);
        let func = prop::sample::select(vec![
            "avg", "max", "min", "sum", "len", "std", "norm", "range", "ceil", "floor", "round",
            "lg", "ln", "log", "vec",
        ]);
        let method = prop::sample::select(vec!["GetSample", "GetSamplePercent"]);
        let metric = prop::sample::select(vec!["$PendingTasks", "$ActiveTasks", "$CPUPercent"]);
        prop_oneof![
            (inner.clone(), op, inner.clone()).prop_map(|(a, o, b)| format!("{a} {o} {b}")),
            inner.clone().prop_map(|a| format!("({a})")),
            inner.clone().prop_map(|a| format!("-{a}")),
            inner.clone().prop_map(|a| format!("!{a}")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, t, e)| format!("{c} ? {t} : {e}")),
            (func, prop::collection::vec(inner.clone(), 0..3))
                .prop_map(|(f, args)| format!("{f}({})", args.join(", "))),
            (metric, method, prop::collection::vec(inner.clone(), 1..3))
                .prop_map(|(m, f, args)| format!("{m}.{f}({})", args.join(", "))),
            (inner.clone(), 0u32..101).prop_map(|(v, p)| format!("percentile(vec({v}), {p})")),
            (inner.clone(), inner).prop_map(|(v, i)| format!("val(vec({v}), {i})")),
            Just("time().hour".to_string()),
            // Any primary can be a receiver, numbers included (`2 .hour`),
            // which the printer must not glue into a malformed number.
            (leaf(), prop::sample::select(vec![".hour", ".GetSample(1)"]))
                .prop_map(|(r, m)| format!("{r} {m}")),
        ]
    })
}

fn formula() -> impl Strategy<Value = String> {
    (expr(), expr(), expr()).prop_map(|(a, b, t)| {
        format!("a = {a};\n$b = {b}; // note\n$TargetDedicatedNodes = {t};\n$NodeDeallocationOption = taskcompletion;")
    })
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        -1e6f64..1e6,
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(-0.0),
        Just(f64::MIN_POSITIVE / 2.0),
        Just(0.0),
    ]
}

fn context() -> impl Strategy<Value = EvalContext> {
    (
        0i64..4_000_000_000,
        number(),
        number(),
        prop::collection::vec(prop::option::of(number()), 0..80),
        prop::collection::vec(prop::option::of(number()), 0..5),
        any::<u64>(),
    )
        .prop_map(|(secs, t, c, pending, cpu, seed)| {
            let now = Timestamp::from_ticks(secs * 10_000_000).unwrap();
            let last = now.checked_sub(TimeInterval::from_seconds(45)).unwrap();
            let period = TimeInterval::from_seconds(30);
            EvalContext::builder(now)
                .target_dedicated_nodes(t)
                .current_dedicated_nodes(c)
                .metric(
                    Metric::PendingTasks,
                    Series::regular(period, last, &pending),
                )
                .metric(Metric::CpuPercent, Series::regular(period, last, &cpu))
                .seed(seed)
                .build()
        })
}

fn check_spans(e: &Expr) {
    for child in e.children() {
        assert!(
            e.span.contains(child.span),
            "{:?} not inside {:?}",
            child.span,
            e.span
        );
        check_spans(child);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn parsing_never_panics_on_arbitrary_text(text in "\\PC{0,200}") {
        let _ = Formula::parse(&text);
    }

    #[test]
    fn parsing_never_panics_on_formula_like_text(text in "[-+*/()?:;.,<>=!&| $a-zA-Z0-9_\"\n]{0,200}") {
        let _ = Formula::parse(&text);
    }

    #[test]
    fn printing_round_trips(source in formula()) {
        let ast = syntax::parse(&source, &Limits::default()).unwrap();
        let printed = ast.to_string();
        let reparsed = syntax::parse(&printed, &Limits::default()).unwrap();
        prop_assert_eq!(ast.without_spans(), reparsed.without_spans());
        prop_assert_eq!(printed.clone(), reparsed.to_string());
    }

    #[test]
    fn child_spans_lie_inside_their_parents(source in formula()) {
        let ast = syntax::parse(&source, &Limits::default()).unwrap();
        for statement in &ast.statements {
            let e = match &statement.kind {
                StatementKind::Assign { target, value } => {
                    prop_assert!(statement.span.contains(target.span));
                    value
                }
                StatementKind::Expr(e) => e,
            };
            prop_assert!(statement.span.contains(e.span));
            check_spans(e);
        }
    }

    #[test]
    fn evaluation_never_panics_and_is_deterministic(source in formula(), ctx in context()) {
        let formula = Formula::parse(&source).unwrap();
        let first = formula.evaluate(&ctx);
        let second = formula.evaluate(&ctx);
        prop_assert_eq!(first, second);
    }
}
