//! `batchscale trace import`: a task trace for `simulate` from Azure Batch
//! service logs.

use std::path::Path;

use clap::{Args, Subcommand};

use super::io::{errln, out, read_bytes};
use super::{EXIT_OK, EXIT_USAGE};
use crate::input::decode_text;
use crate::sim::trace_import;

/// Arguments of `batchscale trace`.
#[derive(Debug, Args)]
pub struct TraceArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: TraceCommand,
}

/// `trace` subcommands.
#[derive(Debug, Subcommand)]
pub enum TraceCommand {
    /// Build a trace CSV (`submit,duration,slots,job,exit_code`) from the
    /// TaskStartEvent, TaskCompleteEvent and TaskFailEvent records of Azure
    /// Batch service logs (JSON lines, as a diagnostic setting writes them).
    Import(ImportArgs),
}

/// Arguments of `batchscale trace import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Where to write the CSV (`-` for standard output).
    #[arg(short, long, value_name = "CSV")]
    pub output: String,
    /// Service log files (JSON lines), read in order.
    #[arg(value_name = "LOG", required = true)]
    pub logs: Vec<String>,
}

/// Largest log file read.
const MAX_LOG_BYTES: usize = 1 << 30;

/// Runs `batchscale trace`.
pub fn run(args: &TraceArgs) -> i32 {
    match &args.command {
        TraceCommand::Import(args) => match import(args) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                errln!("error: {e}");
                EXIT_USAGE
            }
        },
    }
}

fn import(args: &ImportArgs) -> Result<(), String> {
    let mut texts = Vec::new();
    for path in &args.logs {
        let bytes = read_bytes(path, MAX_LOG_BYTES).map_err(|e| e.to_string())?;
        texts.push((
            path.as_str(),
            decode_text(path, &bytes, MAX_LOG_BYTES).map_err(|e| e.to_string())?,
        ));
    }
    let imported = trace_import::import(texts.iter().map(|(p, t)| (*p, t.as_str())))
        .map_err(|e| e.to_string())?;
    if imported.tasks.is_empty() {
        return Err("no finished task in the logs (no TaskCompleteEvent or TaskFailEvent)".into());
    }
    let csv = imported.to_csv();
    if args.output == "-" {
        out!("{csv}");
    } else {
        super::simulate::write_output(Path::new(&args.output), csv.as_bytes())?;
    }
    errln!(
        "{} tasks{}",
        imported.tasks.len(),
        if imported.unfinished > 0 {
            format!(
                "; {} started and never finished in the logs, left out",
                imported.unfinished
            )
        } else {
            String::new()
        }
    );
    Ok(())
}
