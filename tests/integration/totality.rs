//! Every builtin is total: NaN, ±∞, −0, subnormals and empty vectors give a
//! value or a typed error, never a panic; and the same inputs give the same
//! output bytes twice in one process. (The value operations themselves are
//! unit-tested in `src/value/totality_tests.rs`.)

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
