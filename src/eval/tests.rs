//! The evaluator on hand-worked inputs: windows, the work budget, the number
//! entry point's rules, and the observer hooks.

use super::observe::{Observer, SampleRead};
use super::EvalErrorKind;
use crate::builtins::{Function, Method};
use crate::span::Span;
use crate::{
    EvalContext, Formula, Limits, Metric, NodeDeallocationOption, Series, TimeInterval, Timestamp,
    Value,
};

const SECOND: i64 = 10_000_000;

fn now() -> Timestamp {
    Timestamp::from_ticks(1_000_000 * SECOND).unwrap()
}

fn ago(seconds: i64) -> Timestamp {
    Timestamp::from_ticks(now().ticks() - seconds * SECOND).unwrap()
}

/// `n` samples of `$PendingTasks` valued 0, 1, …, n-1, one every 30 s,
/// the newest (n-1) at now.
fn ctx(n: usize) -> EvalContext {
    let values: Vec<Option<f64>> = (0..n).map(|i| Some(i as f64)).collect();
    EvalContext::builder(now())
        .target_dedicated_nodes(3.0)
        .metric(
            Metric::PendingTasks,
            Series::regular(TimeInterval::from_seconds(30), now(), &values),
        )
        .build()
}

fn formula(text: &str) -> Formula {
    Formula::parse(text).unwrap()
}

fn variable(f: &Formula, ctx: &EvalContext, name: &str) -> f64 {
    let mut e = f.evaluator();
    e.run(ctx).unwrap();
    match e.variable(name) {
        Some(Value::Double(x)) => *x,
        other => panic!("{name}: {other:?}"),
    }
}

fn all_numeric(f: &Formula) -> bool {
    f.program().statements.iter().all(|s| s.numeric)
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
    // One window interned for the three 15-minute reads, one for 10 minutes.
    assert_eq!(f.program().windows.len(), 2);
    assert!(all_numeric(&f));
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
    let mut e = f.evaluator();
    let mut ctx = ctx(40);
    assert_eq!(e.run(&ctx).unwrap().target_dedicated_nodes, 39.0);
    // Ten minutes earlier the newest sample is 19 and the window holds
    // the values -1..18 that exist: 0..18, 19 of 30 = 63% < 70%.
    ctx.now = ago(600);
    let err = e.run(&ctx).unwrap_err();
    assert!(matches!(
        err.kind,
        EvalErrorKind::InsufficientSampleData { .. }
    ));
    // Five minutes earlier than the end: newest 29, window values 0..28
    // (29 of 30), average 14.
    ctx.now = ago(300);
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
    assert!(all_numeric(&f));
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
fn a_variable_that_changes_type_is_read_as_it_stands() {
    // `$x` is a vector, then a number: the second statement's `$x * 2` is
    // a vector operation, the fourth's a number (2 * 2).
    let text = "$x = vec(1, 2); $v = $x * 2; $x = 2; $y = $x * 2;";
    let f = formula(text);
    let mut e = f.evaluator();
    e.run(&ctx(0)).unwrap();
    assert_eq!(e.variable("$v"), Some(&Value::DoubleVec(vec![2.0, 4.0])));
    assert_eq!(e.variable("$y"), Some(&Value::Double(4.0)));
    let numeric: Vec<bool> = f.program().statements.iter().map(|s| s.numeric).collect();
    assert_eq!(numeric, [false, false, true, true]);
}

#[test]
fn the_newest_sample_beside_a_number_is_a_list_of_one_or_two() {
    let text =
        "$a = max($PendingTasks.GetSample(1), 5); $b = min(5, $PendingTasks.GetSample(1));\n\
                $c = max($PendingTasks.GetSample(1), 0/0);";
    let f = formula(text);
    // No samples: the number alone.
    assert_eq!(variable(&f, &ctx(0), "$a"), 5.0);
    assert_eq!(variable(&f, &ctx(0), "$b"), 5.0);
    // Newest sample 39: max 39, min 5; NaN anywhere makes NaN.
    assert_eq!(variable(&f, &ctx(40), "$a"), 39.0);
    assert_eq!(variable(&f, &ctx(40), "$b"), 5.0);
    assert!(variable(&f, &ctx(40), "$c").is_nan());
    assert!(variable(&f, &ctx(0), "$c").is_nan());
}

fn steps_allowed(text: &str, steps: u64, ctx: &EvalContext) -> bool {
    let limits = Limits {
        max_eval_steps: steps,
        ..Limits::default()
    };
    let formula = Formula::parse_with(text, &limits).unwrap();
    match formula.evaluator().run(ctx) {
        Ok(_) => true,
        Err(e) => {
            assert!(matches!(e.kind, EvalErrorKind::WorkBudget { .. }), "{e:?}");
            false
        }
    }
}

#[test]
fn statements_are_charged_one_step_per_node() {
    // `1` is one node; `$x + $x` is the sum and its two operands: 4 steps.
    let text = "$x = 1; $y = $x + $x;";
    assert!(all_numeric(&formula(text)));
    assert!(steps_allowed(text, 4, &ctx(0)));
    assert!(!steps_allowed(text, 3, &ctx(0)));
}

#[test]
fn vectors_count_their_length() {
    // $v: the window node (1) and its 30 samples; avg($v): the call (1),
    // the variable (1) and its 30 elements: 63 steps.
    let text = "$v = $PendingTasks.GetSample(TimeInterval_Minute * 15); $a = avg($v);";
    assert!(steps_allowed(text, 63, &ctx(240)));
    assert!(!steps_allowed(text, 62, &ctx(240)));
    // avg of the window read in place: the call and the window (2), the
    // 30 samples read and folded (60): 62 steps.
    let text = "$a = avg($PendingTasks.GetSample(TimeInterval_Minute * 15));";
    assert!(steps_allowed(text, 62, &ctx(240)));
    assert!(!steps_allowed(text, 61, &ctx(240)));
    // GetSample(5): the node and its count (6), then the 5 elements folded.
    let text = "$a = sum($PendingTasks.GetSample(5));";
    assert!(steps_allowed(text, 12, &ctx(240)));
    assert!(!steps_allowed(text, 11, &ctx(240)));
}

#[test]
fn a_statement_is_charged_for_every_branch() {
    // `1 || $TaskSlotsPerNode + $TaskSlotsPerNode`: the `||` (1), its left
    // side (1) and the sum with its operands (3) = 5, although the sum is
    // never evaluated (docs/core-notes.md: a static charge per statement).
    let text = "$r = 1 || $TaskSlotsPerNode + $TaskSlotsPerNode;";
    assert!(steps_allowed(text, 5, &ctx(0)));
    assert!(!steps_allowed(text, 4, &ctx(0)));
}

#[test]
fn short_circuit_and_lazy_conditional_hold_on_the_number_path() {
    // On a pool without history the window would fail; it is never read.
    let window = "avg($PendingTasks.GetSample(TimeInterval_Minute * 15))";
    for text in [
        format!("$TargetDedicatedNodes = 1 || {window};"),
        format!("$TargetDedicatedNodes = 0 && {window};"),
        format!("$TargetDedicatedNodes = 1 ? 7 : {window};"),
    ] {
        assert!(all_numeric(&formula(&text)), "{text}");
        let run = formula(&text).evaluator().run(&ctx(0));
        assert!(run.is_ok(), "{text}: {run:?}");
    }
}

#[test]
fn insufficient_samples_fail_at_the_paren() {
    let text =
        "$TargetDedicatedNodes = max(0, avg($PendingTasks.GetSample(TimeInterval_Minute * 15)));";
    assert!(all_numeric(&formula(text)));
    let err = formula(text).evaluator().run(&ctx(10)).unwrap_err();
    // The 9 samples before now, of 30: 30% < 70%.
    assert!(matches!(
        err.kind,
        EvalErrorKind::InsufficientSampleData { wanted, .. } if wanted == 70.0
    ));
    let paren = text.find("GetSample(").unwrap() + "GetSample".len();
    assert_eq!(err.span.start, paren);
}

#[test]
fn folds_keep_nan_and_order() {
    let ctx = ctx(0);
    let run = |expr: &str| {
        let formula = formula(&format!("$r = {expr};"));
        assert!(all_numeric(&formula), "{expr}");
        variable(&formula, &ctx, "$r")
    };
    assert!(run("max(0, 0/0, 5)").is_nan());
    assert!(run("min(5, 0/0)").is_nan());
    assert_eq!(run("avg(1, 2, 6)"), 3.0);
    assert_eq!(run("max(0, min(25, 20))"), 20.0);
    assert_eq!(run("sum(0.5, 0.25)"), 0.75);
}

/// Everything an evaluation reports, in order.
#[derive(Default)]
struct Recording {
    assigned: Vec<(usize, Value)>,
    reads: Vec<SampleRead>,
    branches: Vec<(Span, f64, bool)>,
    picks: Vec<(Span, Function, usize, f64)>,
}

impl Observer for Recording {
    fn assigned(&mut self, index: usize, value: &Value) {
        self.assigned.push((index, value.clone()));
    }
    fn sample_read(&mut self, read: &SampleRead) {
        self.reads.push(read.clone());
    }
    fn branch(&mut self, span: Span, condition: f64, took_then: bool) {
        self.branches.push((span, condition, took_then));
    }
    fn pick(&mut self, span: Span, function: Function, index: usize, value: f64) {
        self.picks.push((span, function, index, value));
    }
}

fn observe(text: &str, ctx: &EvalContext) -> Recording {
    let mut recording = Recording::default();
    let f = formula(text);
    let _ = f.evaluator().run_observed(ctx, &mut recording);
    recording
}

/// The span of the first `part` of `text`.
fn span_of(text: &str, part: &str) -> Span {
    let start = text.find(part).unwrap();
    Span::new(start, start + part.len())
}

#[test]
fn every_assignment_is_observed_with_its_value() {
    // ctx(40): the newest two samples are 38 and 39. The expression
    // statement `5;` assigns nothing.
    let text = "$a = 2; $TargetDedicatedNodes = $a * 3; 5;\n\
                $NodeDeallocationOption = taskcompletion; $v = $PendingTasks.GetSample(2);";
    let seen = observe(text, &ctx(40)).assigned;
    assert_eq!(
        seen,
        [
            (0, Value::Double(2.0)),
            (1, Value::Double(6.0)),
            (
                3,
                Value::NodeDeallocationOption(NodeDeallocationOption::TaskCompletion)
            ),
            (4, Value::DoubleVec(vec![38.0, 39.0])),
        ]
    );
}

#[test]
fn every_sample_read_is_observed_with_its_window() {
    // ctx(20): samples 0..19, one every 30 s, 19 at now.
    let text = "$p = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 15);\n\
                $a = avg($PendingTasks.GetSample(TimeInterval_Minute * 5, 50));\n\
                $n = $PendingTasks.GetSample(3);\n\
                $w = $PendingTasks.GetSample(TimeInterval_Minute * 2, TimeInterval_Second * 0, 10);";
    let reads = observe(text, &ctx(20)).reads;
    assert_eq!(reads.len(), 4, "{reads:#?}");
    // [now - 900 s, now): the 19 samples 30 s to 570 s old of the 30
    // expected, 63.3%; no percentage required.
    let percent = &reads[0];
    assert_eq!(
        percent.span,
        span_of(
            text,
            "$PendingTasks.GetSamplePercent(TimeInterval_Minute * 15)"
        )
    );
    assert_eq!(percent.method, Method::GetSamplePercent);
    assert_eq!((percent.from, percent.to), (ago(900), now()));
    assert_eq!((percent.found, percent.expected), (19, 30));
    assert!((percent.percent - 1900.0 / 30.0).abs() < 1e-9);
    assert_eq!(percent.required, None);
    // [now - 300 s, now): 10 of 10 samples, 50% required.
    let window = &reads[1];
    assert_eq!(
        window.span,
        span_of(text, "$PendingTasks.GetSample(TimeInterval_Minute * 5, 50)")
    );
    assert_eq!((window.from, window.to), (ago(300), now()));
    assert_eq!((window.found, window.expected), (10, 10));
    assert_eq!((window.percent, window.required), (100.0, Some(50.0)));
    // The newest 3: samples 17, 18, 19, stamped 60 s ago to now; the
    // window ends just after now (samples at now are recorded).
    let newest = &reads[2];
    assert_eq!(newest.span, span_of(text, "$PendingTasks.GetSample(3)"));
    assert_eq!(newest.from, ago(60));
    assert_eq!(newest.to.ticks(), now().ticks() + 1);
    assert_eq!((newest.found, newest.expected), (3, 3));
    assert_eq!((newest.percent, newest.required), (100.0, None));
    // A window of two bounds, found at run time: [now - 120 s, now), 4 of
    // 4, 10% required.
    let computed = &reads[3];
    assert_eq!(
        computed.span,
        span_of(
            text,
            "$PendingTasks.GetSample(TimeInterval_Minute * 2, TimeInterval_Second * 0, 10)"
        )
    );
    assert_eq!((computed.from, computed.to), (ago(120), now()));
    assert_eq!((computed.found, computed.expected), (4, 4));
    assert_eq!(computed.required, Some(10.0));
}

#[test]
fn a_failed_read_is_observed_before_it_fails() {
    // ctx(10): the window [now - 900 s, now) holds the 9 samples before
    // now, of 30 expected: 30% of the 70% wanted.
    let text = "$a = avg($PendingTasks.GetSample(TimeInterval_Minute * 15));";
    let reads = observe(text, &ctx(10)).reads;
    assert_eq!(reads.len(), 1);
    assert_eq!((reads[0].found, reads[0].expected), (9, 30));
    assert_eq!(reads[0].required, Some(70.0));
}

#[test]
fn every_conditional_is_observed_with_the_branch_taken() {
    // $x = 5: `$x > 10` is 0 (else), `$x > 3` is 1 (then): $r = 2.
    let text = "$x = 5; $r = $x > 10 ? 1 : $x > 3 ? 2 : 3;";
    let seen = observe(text, &ctx(0)).branches;
    assert_eq!(
        seen,
        [
            (span_of(text, "$x > 10"), 0.0, false),
            (span_of(text, "$x > 3"), 1.0, true),
        ]
    );
    // A conditional over vectors is observed the same way.
    let text = "$v = 0 ? vec(1, 2) : vec(3);";
    assert_eq!(
        observe(text, &ctx(0)).branches,
        [(span_of(text, "0"), 0.0, false)]
    );
}

#[test]
fn every_min_and_max_is_observed_with_the_element_picked() {
    // ctx(40): the newest three samples are 37, 38, 39.
    let text = "$m = max(3, 7, 5); $n = min($PendingTasks.GetSample(3), 37.5);\n\
                $q = max(1, 0/0, 2); $s = sum(1, 2);";
    let seen = observe(text, &ctx(40)).picks;
    assert_eq!(seen.len(), 3, "{seen:?}");
    // 7 is argument 1.
    assert_eq!(
        seen[0],
        (span_of(text, "max(3, 7, 5)"), Function::Max, 1, 7.0)
    );
    // The elements are 37, 38, 39, 37.5: 37 is element 0.
    assert_eq!(
        seen[1],
        (
            span_of(text, "min($PendingTasks.GetSample(3), 37.5)"),
            Function::Min,
            0,
            37.0
        )
    );
    // NaN makes the result: the NaN is element 1.
    let (span, function, index, value) = seen[2];
    assert_eq!(
        (span, function, index),
        (span_of(text, "max(1, 0/0, 2)"), Function::Max, 1)
    );
    assert!(value.is_nan());
}
