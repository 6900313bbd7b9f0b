//! The front end: parse, parse+check and one-shot parse+check+evaluate of every
//! example formula of the docs (formula-spec §8) and of the real-world corpus,
//! in bytes per second. Example 2 gets its own group at the command line's
//! measurement settings; the sweep over all formulas uses short settings.
//!
//! `cargo bench --bench parse -- --warm-up-time 1 --measurement-time 3`

mod common;

use std::hint::black_box;
use std::time::Duration;

use batchscale::{syntax, Formula, Limits};
use common::formulas::{corpus, EXAMPLE2, EXAMPLE2_RHAI, EXAMPLES};
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};

fn parse_only(text: &str) -> bool {
    syntax::parse(text, &Limits::default()).is_ok()
}

fn parse_check(text: &str) -> bool {
    Formula::parse(text).is_ok_and(|f| f.diagnostics().is_empty())
}

fn one_shot(text: &str, ctx: &batchscale::EvalContext) -> Option<String> {
    Formula::parse(text).ok().map(|f| f.evaluate(ctx).results)
}

fn example2(c: &mut Criterion) {
    let ctx = common::example2_context();
    assert!(parse_check(EXAMPLE2));
    let mut group = c.benchmark_group("example2_front_end");
    group.throughput(Throughput::Bytes(EXAMPLE2.len() as u64));
    group.bench_function("parse", |b| b.iter(|| parse_only(black_box(EXAMPLE2))));
    group.bench_function("parse_check", |b| {
        b.iter(|| parse_check(black_box(EXAMPLE2)))
    });
    group.bench_function("one_shot", |b| {
        b.iter(|| one_shot(black_box(EXAMPLE2), black_box(&ctx)))
    });
    group.finish();
}

/// The least any pest grammar can cost on Example 2: cutting it into tokens,
/// with no structure and no AST, under the same `WHITESPACE` as ours.
mod tokens_only {
    #[derive(pest_derive::Parser)]
    #[grammar_inline = r#"
WHITESPACE = _{ " " | '\t'..'\n' | '\u{0C}'..'\r' | "//" ~ comment_text | "\u{FEFF}" }
comment_text = @{ (!"\n" ~ ANY)* }
formula = { SOI ~ token* ~ EOI }
token = _{ name | punct | number }
number = @{ ASCII_DIGIT+ ~ ("." ~ ASCII_DIGIT+)? }
name = @{ "$"? ~ (ASCII_ALPHA | "_") ~ (ASCII_ALPHANUMERIC | "_")* }
punct = @{ "||" | "&&" | "==" | "!=" | "<=" | ">=" | "<" | ">" | "+" | "-" | "*" | "/" | "=" | "!" | ";" | "(" | ")" | "," | "." | "?" | ":" }
"#]
    pub struct Tokens;
}

fn tokens_only(text: &str) -> bool {
    use pest::Parser;
    tokens_only::Tokens::parse(tokens_only::Rule::formula, text).is_ok()
}

/// The issue's parse target names rhai's compile of the same formula; both
/// are measured here, in the same run, rather than quoted from elsewhere,
/// beside the floor any pest grammar starts from.
fn example2_vs_rhai(c: &mut Criterion) {
    let engine = rhai::Engine::new();
    assert!(engine.compile(EXAMPLE2_RHAI).is_ok());
    assert!(parse_check(EXAMPLE2));
    assert!(tokens_only(EXAMPLE2));
    let mut group = c.benchmark_group("example2_vs_rhai");
    group.bench_function("rhai_compile", |b| {
        b.iter(|| engine.compile(black_box(EXAMPLE2_RHAI)).is_ok())
    });
    group.bench_function("batchscale_parse_check", |b| {
        b.iter(|| parse_check(black_box(EXAMPLE2)))
    });
    group.bench_function("pest_tokens_only", |b| {
        b.iter(|| tokens_only(black_box(EXAMPLE2)))
    });
    group.finish();
}

fn sweep<'c>(
    c: &'c mut Criterion,
    name: &str,
) -> BenchmarkGroup<'c, criterion::measurement::WallTime> {
    let mut group = c.benchmark_group(name);
    group.warm_up_time(Duration::from_millis(200));
    group.measurement_time(Duration::from_millis(600));
    group.sample_size(20);
    group
}

fn all_formulas() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = EXAMPLES
        .iter()
        .map(|(id, text)| ((*id).to_string(), (*text).to_string()))
        .collect();
    for (i, (_, text, valid)) in corpus().into_iter().enumerate() {
        if valid {
            out.push((format!("corpus{:02}", i + 1), text));
        }
    }
    out
}

fn every_formula(c: &mut Criterion) {
    let formulas = all_formulas();
    let ctx = common::shipyard_context();
    for (id, text) in &formulas {
        assert!(parse_only(text), "{id} does not parse");
    }
    let mut group = sweep(c, "parse");
    for (id, text) in &formulas {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(id.as_str(), |b| b.iter(|| parse_only(black_box(text))));
    }
    group.finish();
    let mut group = sweep(c, "parse_check");
    for (id, text) in &formulas {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(id.as_str(), |b| b.iter(|| parse_check(black_box(text))));
    }
    group.finish();
    let mut group = sweep(c, "one_shot");
    for (id, text) in &formulas {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(id.as_str(), |b| {
            b.iter(|| one_shot(black_box(text), black_box(&ctx)))
        });
    }
    group.finish();
}

criterion_group!(benches, example2, example2_vs_rhai, every_formula);
criterion_main!(benches);
