//! The Monte Carlo example (1,000,000 tasks, up to 1,000 nodes): tasks simulated per second.

use std::path::Path;

use batchscale::sim::{simulate, LoadedScenario};
use batchscale::Formula;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn monte_carlo(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios/monte-carlo.toml");
    let Ok(loaded) = LoadedScenario::read(&path.to_string_lossy()) else {
        return;
    };
    let formula_path = loaded.resolve(loaded.scenario.formula_file.as_deref().unwrap_or(""));
    let Ok(text) = std::fs::read_to_string(formula_path) else {
        return;
    };
    let Ok(formula) = Formula::parse(&text) else {
        return;
    };
    let tasks: u64 = loaded.scenario.jobs.iter().filter_map(|j| j.tasks).sum();
    let mut group = c.benchmark_group("simulate");
    group.sample_size(10);
    group.throughput(Throughput::Elements(tasks));
    group.bench_function("monte-carlo", |b| {
        b.iter(|| {
            simulate(&loaded, &formula, loaded.scenario.seed, None).map(|r| r.tasks.succeeded)
        })
    });
    group.finish();
}

criterion_group!(benches, monte_carlo);
criterion_main!(benches);
