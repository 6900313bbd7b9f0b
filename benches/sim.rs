//! The Monte Carlo example (1,000,000 tasks, up to 1,000 nodes): tasks simulated per second.
//! `--seeds 16` on the render farm: all cores against one run after another,
//! each run reduced to its summary on its thread as the command does.
//!
//! `cargo bench --bench sim -- --warm-up-time 1 --measurement-time 3`

use std::path::Path;

use batchscale::sim::seeds::{available_threads, run_seeds_with};
use batchscale::sim::{simulate, LoadedScenario, Summary};
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

/// The render farm (10,000 frames on up to 500 nodes) over 16 seeds: the
/// threads `--seeds` uses against one thread, the same runs either way.
fn sixteen_seeds(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios/render-farm.toml");
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
    let seeds: Vec<u64> = (0..16).collect();
    let mut group = c.benchmark_group("seeds_16");
    group.sample_size(10);
    group.throughput(Throughput::Elements(seeds.len() as u64));
    let summarise = |r: batchscale::sim::Report| Summary::of(&r);
    group.bench_function("one_after_another", |b| {
        b.iter(|| run_seeds_with(&loaded, &formula, &seeds, 1, summarise).map(|r| r.len()))
    });
    group.bench_function("all_cores", |b| {
        b.iter(|| {
            run_seeds_with(&loaded, &formula, &seeds, available_threads(), summarise)
                .map(|r| r.len())
        })
    });
    group.finish();
}

criterion_group!(benches, monte_carlo, sixteen_seeds);
criterion_main!(benches);
