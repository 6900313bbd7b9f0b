//! One compiled formula shared by threads (issue 12, item 2): `Formula`,
//! `Evaluator` and `EvalContext` are `Send + Sync`, an evaluator owns what it
//! runs (so it can live beside its formula in one struct), and every thread
//! gets the same bytes.

use std::sync::Arc;
use std::thread;

use batchscale::{
    AutoScaleRun, EvalContext, Evaluator, Formula, Metric, Series, TimeInterval, Timestamp,
};

/// The crate tutorial's formula: with fewer than 70% of the 15-minute window
/// present it takes the newest sample, else the window's average.
const FORMULA: &str = "$samples = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 15);
    $tasks = $samples < 70 ? max(0, $PendingTasks.GetSample(1))
                           : avg($PendingTasks.GetSample(TimeInterval_Minute * 15));
    $TargetDedicatedNodes = max(0, min($tasks, 20));
    $NodeDeallocationOption = taskcompletion;";

/// 31 samples 30 s apart, the newest at now, 8 pending tasks each: the
/// 15-minute window holds 30 of its 30 expected samples ($samples = 100), so
/// $tasks = avg(8, ..., 8) = 8 and the target is max(0, min(8, 20)) = 8.
/// Results list the system variables, then user variables by name.
const EXPECTED: &str = "$TargetDedicatedNodes=8;$TargetLowPriorityNodes=0;\
$NodeDeallocationOption=taskcompletion;$samples=100;$tasks=8";

fn context() -> EvalContext {
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

fn formula() -> Formula {
    match Formula::parse(FORMULA) {
        Ok(f) => f,
        Err(e) => panic!("{e}"),
    }
}

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn the_core_types_can_be_shared_between_threads() {
    assert_send_sync::<Formula>();
    assert_send_sync::<Evaluator>();
    assert_send_sync::<EvalContext>();
    assert_send_sync::<AutoScaleRun>();
}

#[test]
fn one_formula_evaluated_from_8_threads_gives_identical_bytes() {
    let formula = Arc::new(formula());
    let ctx = Arc::new(context());
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (formula, ctx) = (Arc::clone(&formula), Arc::clone(&ctx));
            thread::spawn(move || {
                let mut evaluator = formula.evaluator();
                // Several warm runs per thread, interleaved with the others.
                let mut runs = Vec::new();
                for _ in 0..50 {
                    let outcome = evaluator.run(&ctx).map(|o| evaluator.results(&o));
                    runs.push((formula.evaluate(&ctx).to_json(), outcome));
                }
                runs
            })
        })
        .collect();
    let single = formula.evaluate(&ctx);
    assert_eq!(single.results, EXPECTED);
    assert_eq!(single.error, None);
    let expected_json = single.to_json();
    for handle in handles {
        let runs = match handle.join() {
            Ok(runs) => runs,
            Err(_) => panic!("an evaluating thread panicked"),
        };
        for (json, results) in runs {
            assert_eq!(json, expected_json);
            assert_eq!(results.as_deref(), Ok(EXPECTED));
        }
    }
}

/// What a service keeps per pool: the compiled formula and a warm evaluator.
struct Pool {
    formula: Formula,
    evaluator: Evaluator,
}

#[test]
fn a_formula_and_its_evaluator_live_in_one_struct_and_move_to_a_thread() {
    let mut pool = Pool {
        formula: formula(),
        evaluator: formula().evaluator(),
    };
    // The evaluator keeps its formula's program alive on its own.
    pool.evaluator = pool.formula.evaluator();
    let ctx = context();
    let handle = thread::spawn(move || {
        let outcome = pool.evaluator.run(&ctx);
        let results = outcome.map(|o| pool.evaluator.results(&o));
        (results, pool.formula.evaluate(&ctx).results)
    });
    match handle.join() {
        Ok((results, evaluated)) => {
            assert_eq!(results.as_deref(), Ok(EXPECTED));
            assert_eq!(evaluated, EXPECTED);
        }
        Err(_) => panic!("the pool's thread panicked"),
    }
}

#[test]
fn an_evaluator_outlives_the_formula_it_came_from() {
    let mut evaluator = formula().evaluator();
    let outcome = evaluator.run(&context());
    assert_eq!(
        outcome.map(|o| evaluator.results(&o)).as_deref(),
        Ok(EXPECTED)
    );
}
