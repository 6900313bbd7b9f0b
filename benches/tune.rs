//! `batchscale tune` over 64 grid points of the working-hours scenario (4,000
//! tasks over 7 days): points per second on 2 threads against 1, the same
//! points either way.
//!
//! `cargo bench --bench tune -- --warm-up-time 1 --measurement-time 3`

use std::path::Path;

use batchscale::cli::tune_bench_grid;
use batchscale::sim::LoadedScenario;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// The scenario's formula with its two sizes as constants to vary.
const FORMULA: &str = "$day = 20;
$night = 2;
$curTime = time();
$workHours = $curTime.hour >= 8 && $curTime.hour < 18;
$isWeekday = $curTime.weekday >= 1 && $curTime.weekday <= 5;
$TargetDedicatedNodes = $workHours && $isWeekday ? $day : $night;
$NodeDeallocationOption = taskcompletion;
";

/// 8 day sizes × 8 night sizes.
const GRID: [&str; 2] = ["$day=10..45:5", "$night=0..7:1"];

fn grid_64(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios/working-hours.toml");
    let Ok(loaded) = LoadedScenario::read(&path.to_string_lossy()) else {
        return;
    };
    let mut group = c.benchmark_group("tune_64_points");
    group.sample_size(10);
    group.throughput(Throughput::Elements(64));
    for threads in [1, 2] {
        group.bench_function(format!("{threads}_threads"), |b| {
            b.iter(|| tune_bench_grid(&loaded, FORMULA, &GRID, 1, threads))
        });
    }
    group.finish();
}

criterion_group!(benches, grid_64);
criterion_main!(benches);
