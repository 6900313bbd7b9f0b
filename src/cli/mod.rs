//! The command-line interface: one file per subcommand; this file parses
//! arguments and maps results to exit codes (0 ok, 1 invalid formula or failed
//! evaluation, 2 usage or input error).

pub mod check;
mod eval;
mod fix;
pub mod fmt;
mod io;
pub mod output;
mod repl;
mod simulate;
mod walk;

use clap::{Parser, Subcommand};

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: an invalid formula or a failed evaluation.
pub const EXIT_FAILED: i32 = 1;
/// Exit code: a usage or input error.
pub const EXIT_USAGE: i32 = 2;

/// Offline tools for Azure Batch pool auto-scale formulas.
#[derive(Debug, Parser)]
#[command(name = "batchscale", version, about, long_about = None)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate a formula as the service would and print its results.
    Eval(eval::EvalArgs),
    /// Try formulas interactively against a pool you describe.
    Repl(repl::ReplArgs),
    /// Check formulas (and the files that carry them) for errors and likely mistakes.
    Check(check::CheckArgs),
    /// Format formula files in the canonical layout.
    Fmt(fmt::FmtArgs),
    /// Run a formula against a workload over simulated days.
    Simulate(simulate::SimulateArgs),
}

/// Runs the command line in `std::env::args`, returning the exit code.
pub fn main() -> i32 {
    main_with(std::env::args_os())
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
    match cli.command {
        Command::Eval(args) => eval::run(&args),
        Command::Repl(args) => repl::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Simulate(args) => simulate::run(&args),
    }
}
