//! `batchscale lsp`: the language server, over standard input and output.
//!
//! Synchronous, on `lsp-server` (the shape of rust-analyzer's and ruff's main
//! loops): one thread reads messages, answers requests from the documents it
//! holds, and publishes diagnostics for a changed document once edits have
//! paused for the debounce delay. Positions are counted in the encoding the
//! client negotiates (UTF-16 unless it offers UTF-8).
//!
//! Initialization options (all optional): `debounceMs` (default 200), the wait
//! after an edit before diagnostics are published; `rulesBaseUrl`, the address
//! each rule code's page (`CODE.md`) is found under.

mod actions;
mod document;
pub mod generate;
#[cfg(test)]
mod generated_tests;
mod inlay;
mod language;
mod names;
mod navigate;
mod position;
mod server;
#[cfg(test)]
mod session_tests;

pub use server::serve;

use std::path::PathBuf;

use clap::Args;
use lsp_server::Connection;

/// Arguments of `batchscale lsp`.
#[derive(Debug, Args)]
pub struct LspArgs {
    /// Write the files generated from the tables (docs/rules/*.md, the VS Code
    /// grammars) under this repository root, and exit.
    #[arg(long, value_name = "REPO", hide = true)]
    pub generate: Option<PathBuf>,
}

/// Runs `batchscale lsp`.
pub fn run(args: &LspArgs) -> i32 {
    match &args.generate {
        Some(root) => match generate::write(root) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: {}: {e}", root.display());
                2
            }
        },
        None => run_stdio(),
    }
}

/// Runs the server on standard input and output until the client says `exit`;
/// returns the process exit code (0 after a clean shutdown, 1 otherwise).
pub fn run_stdio() -> i32 {
    let (connection, io_threads) = Connection::stdio();
    let served = serve(&connection);
    drop(connection);
    let joined = io_threads.join().map_err(|e| e.to_string());
    match served.and(joined) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("batchscale lsp: {e}");
            1
        }
    }
}
