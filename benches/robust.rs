//! The paths issue 18 found quadratic, each at two sizes a factor of 4 apart:
//! a time ratio near 4 between them means linear work. Run with short
//! measurement: `cargo bench --bench robust -- --warm-up-time 1 --measurement-time 3`.

use batchscale::diagnostics::{render_indexed, Diagnostic, Record, SourceIndex};
use batchscale::fuzzing::Continuation;
use batchscale::fuzzing::NameIndex;
use batchscale::lint::{check_formula, CheckOptions};
use batchscale::span::Span;
use batchscale::Limits;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

/// Sizes 4x apart (smaller where each unit of work is larger, so a run with
/// short measurement stays within minutes even in a debug build).
const SIZES: [usize; 2] = [2_000, 8_000];
const SMALL_SIZES: [usize; 2] = [500, 2_000];

/// `n` lines, each with one diagnostic, rendered and recorded against one
/// line index (was: a line count from the file start per diagnostic, and the
/// whole file handed to the renderer).
fn render_many(c: &mut Criterion) {
    let mut group = c.benchmark_group("render n diagnostics");
    group.sample_size(10);
    for n in SIZES {
        let text = "$x = ;\n".repeat(n);
        let diagnostics: Vec<Diagnostic> = (0..n)
            .map(|i| Diagnostic::error("syntax-error", "expected", Span::point(i * 7 + 5)))
            .collect();
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| {
                let index = SourceIndex::new(&text);
                diagnostics
                    .iter()
                    .map(|d| {
                        render_indexed(&index, "f", d, false).len()
                            + Record::indexed("f", &index, d).line
                    })
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

/// `n` lookups against an index of `n` names (was: every name compared with
/// every other). Each lookup compares at most `suggest::MAX_COMPARED` names.
fn suggest_many(c: &mut Criterion) {
    let mut group = c.benchmark_group("did-you-mean n x n");
    group.sample_size(10);
    for n in SMALL_SIZES {
        let names: Vec<String> = (0..n).map(|i| format!("$name{i}")).collect();
        let mut index = NameIndex::new();
        for name in &names {
            index.insert(name);
        }
        let words: Vec<String> = names.iter().map(|name| format!("{name}x")).collect();
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| words.iter().filter(|w| index.closest(w).is_some()).count())
        });
    }
    group.finish();
}

/// A REPL input continued over `n` lines (was: the whole buffer rescanned on
/// each line).
fn continuation(c: &mut Criterion) {
    let mut group = c.benchmark_group("REPL continuation n lines");
    group.sample_size(10);
    for n in SIZES {
        let lines: Vec<String> = (0..n).map(|i| format!("  max({i},")).collect();
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| {
                let mut rule = Continuation::new();
                lines.iter().filter(|l| rule.push(l)).count()
            })
        });
    }
    group.finish();
}

/// `check` of a formula with `n` unused variables and `n` misspelt uses: the
/// checker's own did-you-mean (src/check) is measured here as it stands.
fn check_many(c: &mut Criterion) {
    let mut group = c.benchmark_group("check n unused + n undefined");
    group.sample_size(10);
    let options = CheckOptions {
        limits: Limits::LIFTED,
        ..CheckOptions::default()
    };
    for n in SMALL_SIZES {
        let text: String = (0..n)
            .map(|i| format!("$v{i} = 1;\n$w{i} = $u{i};\n"))
            .collect();
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| check_formula(&text, &options).len())
        });
    }
    group.finish();
}

criterion_group!(benches, render_many, suggest_many, continuation, check_many);
criterion_main!(benches);
