//! Properties of `fmt` on generated formulas (random spacing, line breaks,
//! comments, redundant `;`): formatting is idempotent, keeps the syntax tree
//! (spans aside), keeps every comment, and evaluates identically.

use batchscale::format::format_formula;
use batchscale::syntax::WithoutSpans;
use batchscale::{EvalContext, Formula, Metric, Series, TimeInterval, Timestamp};
use proptest::prelude::*;

fn space() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just(""),
        Just(" "),
        Just("\n  "),
        Just(" // note\n"),
        Just("\t")
    ]
}

fn leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..20).prop_map(|n| n.to_string()),
        Just("2.5".to_string()),
        Just("a".to_string()),
        Just("b".to_string()),
        Just("$CurrentDedicatedNodes".to_string()),
        Just("$TargetDedicatedNodes".to_string()),
        Just("val($PendingTasks.GetSample(1), 0)".to_string()),
        Just("$PendingTasks.GetSamplePercent(TimeInterval_Minute * 5)".to_string()),
        Just("time().hour".to_string()),
    ]
}

fn expr() -> impl Strategy<Value = String> {
    leaf().prop_recursive(4, 24, 3, |inner| {
        let op = prop_oneof![
            Just("+"),
            Just("-"),
            Just("*"),
            Just("/"),
            Just("<"),
            Just(">="),
            Just("=="),
            Just("&&"),
            Just("||")
        ];
        prop_oneof![
            (inner.clone(), space(), op, space(), inner.clone())
                .prop_map(|(l, s1, o, s2, r)| format!("{l}{s1}{o}{s2}{r}")),
            (space(), inner.clone(), space()).prop_map(|(a, e, b)| format!("({a}{e}{b})")),
            inner.clone().prop_map(|e| format!("-{e}")),
            inner.clone().prop_map(|e| format!("!{e}")),
            (inner.clone(), space(), inner.clone(), inner.clone())
                .prop_map(|(c, s, t, e)| format!("{c}{s}?{t} : {e}")),
            (
                prop_oneof![Just("max"), Just("min"), Just("avg")],
                inner.clone(),
                space(),
                inner
            )
                .prop_map(|(f, a, s, b)| format!("{f}({a},{s}{b})")),
        ]
    })
}

fn formula() -> impl Strategy<Value = String> {
    let target = prop_oneof![
        Just("a"),
        Just("b"),
        Just("$TargetDedicatedNodes"),
        Just("$TargetLowPriorityNodes")
    ];
    let sep = prop_oneof![
        Just(";"),
        Just("; "),
        Just(";\n"),
        Just(";\n\n\n"),
        Just("; // trailing\n"),
        Just(";\n// leading\n"),
        Just(";;\n")
    ];
    let statement =
        (target, space(), expr(), sep).prop_map(|(t, s, e, sep)| format!("{t}{s}={e}{sep}"));
    let last = prop_oneof![Just(""), Just(" // end"), Just("\n// end\n"), Just(";")];
    (prop::collection::vec(statement, 1..6), any::<bool>(), last).prop_map(|(ss, header, last)| {
        // The last statement may go without its `;`, before a comment.
        let mut body = ss.concat();
        if let Some(stripped) = body.trim_end().strip_suffix(';') {
            if !stripped.trim_end().ends_with(';') && !stripped.contains("//") {
                body = format!("{stripped}{last}");
            }
        }
        if header {
            format!("// header\n\n{body}")
        } else {
            body
        }
    })
}

fn contexts() -> impl Strategy<Value = EvalContext> {
    (
        0u32..10,
        0u32..10,
        prop::collection::vec(prop::option::of(0u32..30), 0..20),
        0i64..86_400,
    )
        .prop_map(|(target, current, samples, seconds)| {
            let now = Timestamp::parse_rfc3339("2025-04-24T00:00:00Z")
                .and_then(|t| t.checked_add(TimeInterval::from_seconds(seconds)))
                .unwrap();
            let values: Vec<Option<f64>> = samples.iter().map(|s| s.map(f64::from)).collect();
            EvalContext::builder(now)
                .target_dedicated_nodes(f64::from(target))
                .current_dedicated_nodes(f64::from(current))
                .metric(
                    Metric::PendingTasks,
                    Series::regular(TimeInterval::from_seconds(30), now, &values),
                )
                .build()
        })
}

fn comment_count(text: &str) -> usize {
    text.matches("//").count()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn fmt_is_idempotent_and_keeps_the_tree(text in formula()) {
        let once = format_formula(&text).unwrap();
        let twice = format_formula(&once).unwrap();
        prop_assert_eq!(&once, &twice);
        let before = Formula::parse(&text).unwrap();
        let after = Formula::parse(&once).unwrap();
        prop_assert_eq!(before.ast().without_spans(), after.ast().without_spans());
        prop_assert_eq!(comment_count(&text), comment_count(&once));
    }

    #[test]
    fn fmt_evaluates_identically(text in formula(), ctx in contexts()) {
        let once = format_formula(&text).unwrap();
        let before = Formula::parse(&text).unwrap().evaluate(&ctx);
        let after = Formula::parse(&once).unwrap().evaluate(&ctx);
        prop_assert_eq!(&before.results, &after.results);
        // Error positions move with the layout; the error itself does not.
        prop_assert_eq!(
            before.error.as_ref().map(|e| e.code.clone()),
            after.error.as_ref().map(|e| e.code.clone())
        );
        let message = |r: &batchscale::AutoScaleRun| {
            r.error.as_ref().and_then(|e| e.values.first()).map(|v| {
                v.value.split_once(": ").map_or(v.value.clone(), |(_, m)| m.to_string())
            })
        };
        prop_assert_eq!(message(&before), message(&after));
    }
}
