//! `batchscale repl`: try formulas interactively.
//!
//! On a terminal it runs a line editor (history in the user's data directory,
//! Emacs keys, Ctrl-C cancels the line, Ctrl-D exits); otherwise it reads
//! standard input line by line and prints plain output, so it can be scripted.

use super::io::{errln, out, outln};
use std::io::{BufRead, IsTerminal, Read};
use std::path::PathBuf;

use clap::Args;
use rustyline::config::{Config, EditMode};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{CompletionType, Editor};

use super::eval::{load_context, LimitArgs};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::diagnostics::escape_controls;
use crate::repl::{Continuation, Repl, ReplHelper, Reply};

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
        // A formula file that cannot be read is an input error, as in every
        // other subcommand, not a failed input of the session.
        if let Err(e) = super::io::read_formula(file) {
            return super::io::input_error(&e);
        }
        let reply = repl.load(file);
        failed |= reply.failed;
        out!("{}", escape_controls(&reply.text));
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

/// Longest input (one statement, continued lines included) a piped REPL
/// holds: the hard cap on a formula's size, as no longer input could run.
const MAX_INPUT_BYTES: usize = crate::limits::Limits::MAX_FORMULA_BYTES;

/// Reads inputs from a non-terminal stdin; returns whether any failed. A line
/// that is not UTF-8, or an input longer than [`MAX_INPUT_BYTES`], fails on
/// its own and the script goes on.
fn piped(repl: &mut Repl) -> std::io::Result<bool> {
    let mut stdin = std::io::stdin().lock();
    let mut buffer = String::new();
    let mut rule = Continuation::new();
    let mut failed = false;
    let mut number = 0usize;
    let mut line = Vec::new();
    loop {
        line.clear();
        // One byte past the cap is enough to know the line is too long.
        let cap = u64::try_from(MAX_INPUT_BYTES + 1).unwrap_or(u64::MAX);
        let read = (&mut stdin).take(cap).read_until(b'\n', &mut line)?;
        if read == 0 {
            break;
        }
        number += 1;
        let complete = line.ends_with(b"\n");
        if !complete && line.len() > MAX_INPUT_BYTES {
            skip_line(&mut stdin)?;
        }
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        let too_long = (!complete && line.len() > MAX_INPUT_BYTES)
            || buffer.len() + text.len() > MAX_INPUT_BYTES;
        let problem = if too_long {
            Some(format!(
                "input is longer than the limit of {MAX_INPUT_BYTES} bytes; skipped"
            ))
        } else {
            std::str::from_utf8(text).err().map(|e| {
                let bad = text.get(e.valid_up_to()).copied().unwrap_or(0);
                format!("invalid UTF-8 (byte 0x{bad:02X}); skipped")
            })
        };
        if let Some(problem) = problem {
            // The input this line belongs to cannot run; the next one can.
            failed = true;
            buffer.clear();
            rule = Continuation::new();
            outln!("error: <stdin>:{number}: {problem}");
            continue;
        }
        let text = String::from_utf8_lossy(text);
        if !buffer.is_empty() {
            buffer.push('\n');
        }
        buffer.push_str(&text);
        if rule.push(&text) {
            continue;
        }
        rule = Continuation::new();
        let reply = repl.handle(&buffer);
        buffer.clear();
        failed |= reply.failed;
        out!("{}", escape_controls(&reply.text));
        if reply.quit {
            return Ok(failed);
        }
    }
    // Input ended inside an open bracket: run what there is, so the parser
    // says what is missing rather than the text being dropped.
    if !buffer.trim().is_empty() {
        let reply = repl.handle(&buffer);
        failed |= reply.failed;
        out!("{}", escape_controls(&reply.text));
    }
    Ok(failed)
}

/// Reads and drops the rest of an over-long line.
fn skip_line(input: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            return Ok(());
        }
        match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => {
                input.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = chunk.len();
                input.consume(n);
            }
        }
    }
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
                // Styled replies carry the renderer's own escapes, and their
                // user text is escaped where it is made; plain ones at once.
                if color {
                    out!("{}", reply.text);
                } else {
                    out!("{}", escape_controls(&reply.text));
                }
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
