//! Speed of `check` (parse, checker, lints) and `fmt` over the real-world corpus.

use batchscale::format::format_formula;
use batchscale::lint::{check_formula, CheckOptions};
use criterion::{criterion_group, criterion_main, Criterion};

fn corpus() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/real-world.jsonl");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["formula"].as_str().map(str::to_string))
        .collect()
}

fn bench(c: &mut Criterion) {
    let formulas = corpus();
    let options = CheckOptions::default();
    c.bench_function("check corpus (16 formulas)", |b| {
        b.iter(|| {
            formulas
                .iter()
                .map(|f| check_formula(f, &options).len())
                .sum::<usize>()
        })
    });
    c.bench_function("fmt corpus (16 formulas)", |b| {
        b.iter(|| {
            formulas
                .iter()
                .filter_map(|f| format_formula(f).ok())
                .map(|s| s.len())
                .sum::<usize>()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
