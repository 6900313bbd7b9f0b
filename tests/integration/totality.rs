//! Every value operation and builtin is total: NaN, ±∞, −0, subnormals and empty
//! vectors give a value or a typed error, never a panic; and the same inputs give
//! the same output bytes twice in one process.

use std::borrow::Cow;

use batchscale::syntax::{BinaryOp, UnaryOp};
use batchscale::value::{binary, format_double, unary, Val};
use batchscale::{EvalContext, Formula, Metric, Series, TimeInterval, Timestamp};
use proptest::prelude::*;

fn special() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(-0.0),
        Just(0.0),
        Just(f64::MIN_POSITIVE / 4.0),
        Just(f64::MAX),
        Just(f64::MIN),
        Just(f64::EPSILON),
        any::<f64>(),
    ]
}

fn val() -> impl Strategy<Value = Val<'static>> {
    prop_oneof![
        special().prop_map(Val::Num),
        prop::collection::vec(special(), 0..4).prop_map(|v| Val::Vec(Cow::Owned(v))),
        Just(Val::Str("")),
        Just(Val::Str("b")),
        any::<i64>().prop_map(|t| Val::Interval(TimeInterval::from_ticks(t))),
        (Timestamp::UNIX_EPOCH.ticks()..Timestamp::MAX_TICKS)
            .prop_map(|t| Val::Time(Timestamp::from_ticks(t).unwrap())),
        Just(Val::Time(
            Timestamp::from_ticks(Timestamp::MIN_TICKS).unwrap()
        )),
        Just(Val::Time(
            Timestamp::from_ticks(Timestamp::MAX_TICKS).unwrap()
        )),
    ]
}

const OPS: [BinaryOp; 12] = [
    BinaryOp::Or,
    BinaryOp::And,
    BinaryOp::Eq,
    BinaryOp::Ne,
    BinaryOp::Lt,
    BinaryOp::Le,
    BinaryOp::Gt,
    BinaryOp::Ge,
    BinaryOp::Add,
    BinaryOp::Sub,
    BinaryOp::Mul,
    BinaryOp::Div,
];

fn context(samples: Vec<Option<f64>>, target: f64) -> EvalContext {
    let now = Timestamp::parse_rfc3339("2025-01-01T12:00:00Z").unwrap();
    EvalContext::builder(now)
        .target_dedicated_nodes(target)
        .current_dedicated_nodes(target)
        .metric(
            Metric::PendingTasks,
            Series::regular(TimeInterval::from_seconds(30), now, &samples),
        )
        .build()
}

const CALLS: [&str; 24] = [
    "avg({V})",
    "len({V})",
    "lg({V})",
    "ln({V})",
    "log({V})",
    "max({V})",
    "min({V})",
    "norm({V})",
    "range({V})",
    "std({V})",
    "sum({V})",
    "ceil({V})",
    "floor({V})",
    "round({V})",
    "vec({V})",
    "percentile({V}, {S})",
    "val({V}, {S})",
    "lg({S})",
    "ln({S})",
    "log({S})",
    "ceil({S})",
    "round({S})",
    "time() + {S} * TimeInterval_Second",
    "TimeInterval_Year * {S}",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn binary_and_unary_operations_are_total(a in val(), b in val()) {
        for op in OPS {
            // Compared as text: NaN is not equal to itself.
            let first = format!("{:?}", binary(op, &a, &b));
            prop_assert_eq!(first, format!("{:?}", binary(op, &a, &b)));
        }
        for op in [UnaryOp::Neg, UnaryOp::Not] {
            let _ = unary(op, &a);
        }
    }

    #[test]
    fn formatting_is_total_and_stable(x in special()) {
        let mut a = String::new();
        let mut b = String::new();
        format_double(x, &mut a);
        format_double(x, &mut b);
        prop_assert_eq!(&a, &b);
        prop_assert!(!a.is_empty());
    }

    #[test]
    fn builtins_are_total_on_special_values(
        samples in prop::collection::vec(prop::option::of(special()), 0..6),
        target in special(),
        call in prop::sample::select(CALLS.to_vec()),
        vector in prop::sample::select(vec![
            "$PendingTasks.GetSample(5)",
            "$ActiveTasks.GetSample(5)",
            "$PendingTasks.GetSample(TimeInterval_Minute, 0)",
            "$TargetDedicatedNodes",
            "vec()",
        ]),
        scalar in prop::sample::select(vec!["$TargetDedicatedNodes", "$PendingTasks", "0", "-0", "-1", "100"]),
    ) {
        let source = format!("x = {};", call.replace("{V}", vector).replace("{S}", scalar));
        let formula = Formula::parse(&source).unwrap();
        let ctx = context(samples, target);
        let first = formula.evaluate(&ctx);
        prop_assert_eq!(first, formula.evaluate(&ctx));
    }
}
