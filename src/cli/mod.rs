//! The command-line interface: one file per subcommand; this file parses
//! arguments and maps results to exit codes (0 ok, 1 invalid formula or failed
//! evaluation, 2 usage or input error).

mod check;
mod completions;
mod eval;
mod explain;
mod fix;
mod fmt;
mod io;
mod man;
mod new;
mod output;
mod repl;
mod replay;
mod schema;
mod simulate;
mod test;
mod trace;
mod tune;
mod walk;

#[cfg(test)]
mod check_tests;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[doc(hidden)]
pub use tune::bench_grid as tune_bench_grid;

/// Exit code: success.
pub(crate) const EXIT_OK: i32 = 0;
/// Exit code: an invalid formula or a failed evaluation.
pub(crate) const EXIT_FAILED: i32 = 1;
/// Exit code: a usage or input error.
pub(crate) const EXIT_USAGE: i32 = 2;

/// Offline tools for Azure Batch pool auto-scale formulas.
#[derive(Debug, Parser)]
#[command(name = "batchscale", version, about, long_about = None)]
pub(crate) struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Evaluate a formula as the service would and print its results.
    Eval(eval::EvalArgs),
    /// Evaluate a formula and say why, statement by statement.
    Explain(explain::ExplainArgs),
    /// Search formula constants for the best simulated outcome under constraints.
    Tune(tune::TuneArgs),
    /// Try formulas interactively against a pool you describe.
    Repl(repl::ReplArgs),
    /// Check formulas (and the files that carry them) for errors and likely mistakes.
    Check(check::CheckArgs),
    /// Format formula files in the canonical layout.
    Fmt(fmt::FmtArgs),
    /// Run a formula against a workload over simulated days.
    Simulate(simulate::SimulateArgs),
    /// Evaluate a formula over a pool's recorded metrics, as the service would have.
    Replay(replay::ReplayArgs),
    /// Build task traces for `simulate` from Azure Batch service logs.
    Trace(trace::TraceArgs),
    /// Write a formula from a template (`--list` lists them).
    New(new::NewArgs),
    /// Run formula unit tests (`*.test.toml`): cases at given times and scenario bounds.
    Test(test::TestArgs),
    /// Serve the Language Server Protocol on standard input and output (for editors).
    Lsp(crate::lsp::LspArgs),
    /// Print the shell completion script for bash, zsh, fish, powershell or elvish.
    Completions(completions::CompletionsArgs),
    /// Write a man page for the command and each subcommand into a directory.
    Man(man::ManArgs),
    /// Print the JSON Schema of a context file or a scenario file.
    Schema(schema::SchemaArgs),
}

/// Runs the command line in `std::env::args`, returning the exit code (0 ok,
/// 1 invalid formula or failed evaluation, 2 usage or input error). With
/// [`main_with`], the items of this module the binary and the Python package
/// name.
pub fn main() -> ExitCode {
    // Every code is one of the three constants above, so it fits in a byte.
    ExitCode::from(u8::try_from(main_with(std::env::args_os())).unwrap_or(u8::MAX))
}

/// Runs the command line `args` (the program name first), returning the exit
/// code: the Python package's `batchscale` command enters here.
pub fn main_with(args: impl IntoIterator<Item = std::ffi::OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    let code = match cli.command {
        Command::Eval(args) => eval::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Tune(args) => tune::run(&args),
        Command::Repl(args) => repl::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Simulate(args) => simulate::run(&args),
        Command::Replay(args) => replay::run(&args),
        Command::Trace(args) => trace::run(&args),
        Command::Test(args) => test::run(&args),
        Command::New(args) => new::run(&args),
        Command::Lsp(args) => crate::lsp::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => man::run(&args),
        Command::Schema(args) => schema::run(&args),
    };
    io::exit_code(code)
}
