//! `batchscale repl`: try formulas interactively.
//!
//! On a terminal it runs a line editor (history in the user's data directory,
//! Emacs keys, Ctrl-C cancels the line, Ctrl-D exits); otherwise it reads
//! standard input line by line and prints plain output, so it can be scripted.

use super::io::{errln, out, outln};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;
use rustyline::config::{Config, EditMode};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{CompletionType, Editor};

use super::eval::{load_context, LimitArgs};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::repl::{needs_more, Repl, ReplHelper, Reply};

/// Arguments of `batchscale repl`.
#[derive(Debug, Args)]
pub struct ReplArgs {
    /// Evaluation context JSON (now, pool, metrics, seed).
    #[arg(long, value_name = "FILE")]
    pub context: Option<String>,
    #[command(flatten)]
    /// Limits.
    pub limits: LimitArgs,
    /// A formula file to run into the session first.
    #[arg(value_name = "FORMULA_FILE")]
    pub formula: Option<String>,
}

/// Runs `batchscale repl`. Exit code: 0, or with piped input 1 when any input
/// failed; 2 when the context cannot be read.
pub fn run(args: &ReplArgs) -> i32 {
    let context = match load_context(args.context.as_deref(), None, None, None) {
        Ok(c) => c,
        Err(e) => {
            errln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let terminal = std::io::stdin().is_terminal();
    let color = terminal
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut repl = Repl::new(context, args.limits.limits(), color);
    let mut failed = false;
    if let Some(file) = &args.formula {
        let reply = repl.load(file);
        failed |= reply.failed;
        out!("{}", reply.text);
        if !reply.text.ends_with('\n') {
            outln!();
        }
    }
    if terminal {
        interactive(repl, color)
    } else {
        match piped(&mut repl) {
            Ok(any_failed) if any_failed || failed => EXIT_FAILED,
            Ok(_) => EXIT_OK,
            Err(e) => {
                errln!("error: <stdin>: {e}");
                EXIT_USAGE
            }
        }
    }
}

/// Reads inputs from a non-terminal stdin; returns whether any failed.
fn piped(repl: &mut Repl) -> std::io::Result<bool> {
    let stdin = std::io::stdin().lock();
    let mut out = std::io::stdout().lock();
    let mut buffer = String::new();
    let mut failed = false;
    for line in stdin.lines() {
        let line = line?;
        if !buffer.is_empty() {
            buffer.push('\n');
        }
        buffer.push_str(&line);
        if needs_more(&buffer) {
            continue;
        }
        let reply = repl.handle(&buffer);
        buffer.clear();
        failed |= reply.failed;
        out.write_all(reply.text.as_bytes())?;
        if reply.quit {
            return Ok(failed);
        }
    }
    // Input ended inside an open bracket: run what there is, so the parser
    // says what is missing rather than the text being dropped.
    if !buffer.trim().is_empty() {
        let reply = repl.handle(&buffer);
        failed |= reply.failed;
        out.write_all(reply.text.as_bytes())?;
    }
    out.flush()?;
    Ok(failed)
}

/// Where history is kept: `<data dir>/batchscale/repl-history`.
fn history_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("batchscale").join("repl-history"))
}

fn interactive(mut repl: Repl, color: bool) -> i32 {
    let config = Config::builder()
        .edit_mode(EditMode::Emacs)
        .completion_type(CompletionType::List)
        .auto_add_history(false)
        .max_history_size(1000)
        .map(|b| b.build());
    let editor = config.and_then(Editor::<ReplHelper, DefaultHistory>::with_config);
    let mut editor = match editor {
        Ok(e) => e,
        Err(e) => {
            errln!("error: cannot start the line editor: {e}");
            return EXIT_USAGE;
        }
    };
    editor.set_helper(Some(ReplHelper::new(color)));
    let history = history_path();
    if let Some(path) = &history {
        // A first session has no history file yet; anything else is worth saying.
        if path.exists() {
            if let Err(e) = editor.load_history(path) {
                errln!("warning: cannot read history {}: {e}", path.display());
            }
        }
    }
    outln!(
        "batchscale repl: now = {}. :help for commands, Ctrl-D to leave.",
        repl.context().now
    );
    loop {
        if let Some(helper) = editor.helper_mut() {
            helper.set_variables(repl.variable_names());
        }
        match editor.readline("> ") {
            Ok(input) => {
                if !input.trim().is_empty() {
                    let _ = editor.add_history_entry(input.as_str());
                }
                let reply: Reply = repl.handle(&input);
                out!("{}", reply.text);
                let _ = std::io::stdout().flush();
                if reply.quit {
                    break;
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                errln!("error: {e}");
                break;
            }
        }
    }
    if let Some(path) = &history {
        let saved = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .map_err(|e| e.to_string())
            .and_then(|()| editor.save_history(path).map_err(|e| e.to_string()));
        if let Err(e) = saved {
            errln!("warning: cannot save history {}: {e}", path.display());
        }
    }
    EXIT_OK
}
