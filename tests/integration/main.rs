//! The integration tests: one binary, one module per area (the shape of
//! ripgrep's `tests/tests.rs`). Add a test to the module of its area; add a
//! module only for a new area. The allocation test (`tests/alloc.rs`) stays a
//! binary of its own because it installs a counting global allocator.
//!
//! Tests of one module's internals are unit tests in that module; these test
//! what a user sees: the library's public API and the `batchscale` command.

/// The benches' fixtures: the docs' formulas, sample series and hand-written
/// baselines.
#[path = "../../benches/common/mod.rs"]
mod bench_common;
/// The one-line formula DSL and the runner of the `batchscale` binary.
mod common;

// The language: every operator, function, sample method and error, one
// formula at a time; limits; deep nesting; spans.
mod deep_nesting;
mod language;
mod limits;
mod limits_samples;
mod spans;

// What the service answers: its conformance cases, the docs' examples and the
// real-world corpus.
mod conformance;
mod corpus;
mod examples;

// The checker's diagnostics and the lints of `batchscale check`, on formulas
// and inside ARM, az, Bicep, Terraform and Nextflow files.
mod check_ci_flags;
mod check_cli;
mod check_config;
// Completions, man pages and JSON Schemas regenerate as committed.
mod check_conventions;
mod check_corpus;
mod check_extract;
mod check_files;
mod check_fix;
mod check_lints;
mod check_readme;
// Inline `// batchscale: allow(CODE)` suppressions and `unused-suppression`.
mod check_suppress;
// `check --fix --unsafe-fixes`: did-you-mean names, in formulas and host files.
mod check_unsafe_fixes;
mod check_walk;
mod checker;

// `batchscale eval`, and broken input files with their golden messages.
mod broken_inputs;
mod cli_eval;

// `batchscale fmt` and the canonical layout.
mod fmt_diff;
mod fmt_layout;
mod fmt_props;

// `batchscale repl`, piped and on a pseudo-terminal.
mod repl_codes;
mod repl_piped;
mod repl_readme;
mod repl_terminal;

// `batchscale simulate`: the pool and workload model, properties of any run,
// and the command line.
mod sim_azure;
mod sim_cli;
mod sim_model;
mod sim_output;
mod sim_properties;
mod sim_trace;
mod sim_workload;

// `batchscale test` (formula unit tests) and `batchscale new` (templates).
mod new_templates;
mod test_files;
// `batchscale explain` (the docs' examples worked by hand) and `batchscale
// tune` (a grid whose optimum is worked by hand).
mod explain_examples;
mod tune_grid;

// The promises of docs/guarantees-io.md at the command line: closed pipes,
// full disks, bounded reads, atomic rewrites, escaped control characters.
mod guarantees_cli;

// The shape of the library: no cycle between the top-level modules of src/,
// and the core types shared between threads.
mod architecture;
mod eval_threads;

// Properties over generated formulas and values, and the fuzz corpus replayed.
mod fuzz_corpus;
mod properties;
mod totality;

// The hand-written baselines the benches compare against.
mod baseline;

// The README's command examples (the other pages' run in their areas).
mod docs;

// Durations and times past the representable range are named as such in every input.
mod duration_ranges;
