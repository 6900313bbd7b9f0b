//! Precompiled evaluation beside the hand-written Rust baseline (the physical
//! limit): Example 2 (E13), Example 3 (E14) and the largest real-world formula.
//!
//! `cargo bench --bench eval -- --warm-up-time 1 --measurement-time 3`

mod common;

use std::hint::black_box;

use batchscale::{Formula, Metric};
use common::formulas::{shipyard, EXAMPLE2, EXAMPLE3};
use criterion::{criterion_group, Criterion};

fn formula(text: &str) -> Formula {
    match Formula::parse(text) {
        Ok(f) if f.diagnostics().is_empty() => f,
        other => panic!("bench formula does not check: {other:?}"),
    }
}

fn example2(c: &mut Criterion) {
    let ctx = common::example2_context();
    let series = ctx
        .series(Metric::PendingTasks)
        .cloned()
        .unwrap_or_default();
    let (times, values) = (series.times(), series.values());
    let now = ctx.now.ticks();
    let target = ctx.pool.target_dedicated_nodes;
    let formula = formula(EXAMPLE2);
    let mut evaluator = formula.evaluator();
    // Both sides compute the same thing before either is timed.
    let expected = common::example2(times, values, now, target);
    let outcome = evaluator.run(&ctx).ok();
    assert_eq!(
        outcome.map(|o| (o.target_dedicated_nodes, o.node_deallocation_option)),
        Some((expected.dedicated, expected.dealloc))
    );

    let mut group = c.benchmark_group("example2");
    group.bench_function("native", |b| {
        b.iter(|| {
            common::example2(
                black_box(times),
                black_box(values),
                black_box(now),
                black_box(target),
            )
        })
    });
    group.bench_function("batchscale", |b| b.iter(|| evaluator.run(black_box(&ctx))));
    group.bench_function("batchscale_with_results", |b| {
        b.iter(|| {
            let outcome = evaluator.run(black_box(&ctx));
            outcome.map(|o| evaluator.results(&o))
        })
    });
    // The one-call API: the full `AutoScaleRun` with its results string.
    group.bench_function("formula_evaluate", |b| {
        b.iter(|| formula.evaluate(black_box(&ctx)))
    });
    group.finish();
}

fn example3(c: &mut Criterion) {
    let ctx = common::example3_context();
    let series = ctx.series(Metric::ActiveTasks).cloned().unwrap_or_default();
    let (times, values) = (series.times(), series.values());
    let now = ctx.now.ticks();
    let target = ctx.pool.target_dedicated_nodes;
    let formula = formula(EXAMPLE3);
    let mut evaluator = formula.evaluator();
    let expected = common::example3(times, values, now, target);
    let outcome = evaluator.run(&ctx).ok();
    assert_eq!(
        outcome.map(|o| (o.target_dedicated_nodes, o.node_deallocation_option)),
        Some((expected.dedicated, expected.dealloc))
    );

    let mut group = c.benchmark_group("example3");
    group.bench_function("native", |b| {
        b.iter(|| {
            common::example3(
                black_box(times),
                black_box(values),
                black_box(now),
                black_box(target),
            )
        })
    });
    group.bench_function("batchscale", |b| b.iter(|| evaluator.run(black_box(&ctx))));
    group.finish();
}

fn shipyard_largest(c: &mut Criterion) {
    let ctx = common::shipyard_context();
    let text = shipyard();
    let formula = formula(&text);
    // The corpus notes say 36; the formula has 35 `;`-separated statements.
    assert_eq!(formula.program().len(), 35);
    let mut evaluator = formula.evaluator();
    assert!(evaluator.run(&ctx).is_ok());

    let mut group = c.benchmark_group("shipyard_35_statements");
    group.bench_function("batchscale", |b| b.iter(|| evaluator.run(black_box(&ctx))));
    group.bench_function("batchscale_with_results", |b| {
        b.iter(|| {
            let outcome = evaluator.run(black_box(&ctx));
            outcome.map(|o| evaluator.results(&o))
        })
    });
    group.finish();
}

criterion_group!(benches, example2, example3, shipyard_largest);

/// `BATCHSCALE_CALLGRIND=NAME:N` runs one workload N times and exits, for
/// instruction counts under `valgrind --tool=callgrind` (load-independent,
/// unlike the timings): the count of `NAME:N` minus that of `NAME:0`, over N.
/// NAME is `native`, `run` or `evaluate` (Example 2).
fn callgrind(spec: &str) {
    let (name, n) = spec.split_once(':').unwrap_or((spec, "0"));
    let n: u64 = n.parse().unwrap_or(0);
    let ctx = common::example2_context();
    let series = ctx
        .series(Metric::PendingTasks)
        .cloned()
        .unwrap_or_default();
    let (times, values) = (series.times(), series.values());
    let (now, target) = (ctx.now.ticks(), ctx.pool.target_dedicated_nodes);
    let formula = formula(EXAMPLE2);
    let mut evaluator = formula.evaluator();
    // Warm, so that N = 0 holds every one-time cost.
    let _ = black_box(evaluator.run(&ctx));
    let _ = black_box(formula.evaluate(&ctx));
    for _ in 0..n {
        match name {
            "native" => {
                black_box(common::example2(
                    black_box(times),
                    black_box(values),
                    black_box(now),
                    black_box(target),
                ));
            }
            "run" => {
                let _ = black_box(evaluator.run(black_box(&ctx)));
            }
            _ => {
                black_box(formula.evaluate(black_box(&ctx)));
            }
        }
    }
}

fn main() {
    if let Ok(spec) = std::env::var("BATCHSCALE_CALLGRIND") {
        return callgrind(&spec);
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
