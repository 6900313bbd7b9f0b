//! The 30-day replay: 86,400 samples of `$PendingTasks` (one every 30 s) and
//! Example 2 evaluated every 5 minutes (8,640 evaluations), each at its own
//! instant and so seeing only the samples up to it; the pool's target carries
//! over from one evaluation to the next. Hand-written Rust beside batchscale.
//!
//! `cargo bench --bench replay -- --warm-up-time 1 --measurement-time 3`

mod common;

use std::hint::black_box;

use batchscale::Formula;
use common::formulas::EXAMPLE2;
use criterion::{criterion_group, Criterion, Throughput};

fn replay(c: &mut Criterion) {
    let mut replay = common::replay();
    let formula = match Formula::parse(EXAMPLE2) {
        Ok(f) => f,
        Err(e) => panic!("{e}"),
    };
    let mut evaluator = formula.evaluator();
    // Both replays agree before either is timed.
    let native = common::native_replay(&replay);
    assert_eq!(
        common::batchscale_replay(&mut evaluator, &mut replay),
        native
    );

    let mut group = c.benchmark_group("replay_30_days");
    group.throughput(Throughput::Elements(replay.instants.len() as u64));
    group.bench_function("native", |b| {
        b.iter(|| common::native_replay(black_box(&replay)))
    });
    group.bench_function("batchscale", |b| {
        b.iter(|| common::batchscale_replay(&mut evaluator, black_box(&mut replay)))
    });
    group.finish();
}

criterion_group!(benches, replay);

/// `BATCHSCALE_CALLGRIND=NAME:N` runs the replay N times and exits, for
/// instruction counts under `valgrind --tool=callgrind` (see benches/eval.rs).
/// NAME is `native` or `batchscale`.
fn callgrind(spec: &str) {
    let (name, n) = spec.split_once(':').unwrap_or((spec, "0"));
    let n: u64 = n.parse().unwrap_or(0);
    let mut replay = common::replay();
    let formula = match Formula::parse(EXAMPLE2) {
        Ok(f) => f,
        Err(e) => panic!("{e}"),
    };
    let mut evaluator = formula.evaluator();
    black_box(common::native_replay(&replay));
    black_box(common::batchscale_replay(&mut evaluator, &mut replay));
    for _ in 0..n {
        if name == "native" {
            black_box(common::native_replay(black_box(&replay)));
        } else {
            black_box(common::batchscale_replay(
                &mut evaluator,
                black_box(&mut replay),
            ));
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
