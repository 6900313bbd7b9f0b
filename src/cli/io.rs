//! Reading the user's files, rewriting them safely, and writing to the terminal.
//!
//! Reads are bounded ([`read_bytes`] takes at most its limit plus one byte).
//! Rewrites go through a sibling temporary file renamed over the original
//! ([`write_atomic`]). Output goes through [`write_out`] and [`write_err`] (the `out!`, `outln!` and `errln!` macros), which never
//! panic: the first failure is remembered, later output is dropped, and
//! [`exit_code`] turns it into the process's status (see docs/guarantees-io.md).

use std::io::{IsTerminal, Write};
use std::sync::OnceLock;

use crate::input::{decode, read_file, read_limited, Encoding, InputError};
use crate::limits::Limits;

/// Largest formula file read by `eval`, `fmt`, `repl` and `simulate`: four
/// times the hard cap on formula size, so the parser reports the length itself.
pub const MAX_FORMULA_FILE_BYTES: usize = Limits::MAX_FORMULA_BYTES * 4;

/// Reads a file's bytes (`-` for standard input), at most `limit` of them.
pub fn read_bytes(path: &str, limit: usize) -> Result<Vec<u8>, InputError> {
    if path == "-" {
        read_limited(path, std::io::stdin().lock(), limit)
    } else {
        read_file(path, limit)
    }
}

/// A formula file's text, with what is needed to rewrite it.
#[derive(Debug, Clone)]
pub struct FormulaFile {
    /// The decoded text (byte-order mark removed).
    pub text: String,
    /// The encoding the file was in.
    pub encoding: Encoding,
    /// The bytes as read, to notice a change before a rewrite.
    pub bytes: Vec<u8>,
}

/// Reads a formula file with its encoding (at most [`MAX_FORMULA_FILE_BYTES`]).
pub fn read_formula_file(path: &str) -> Result<FormulaFile, InputError> {
    let bytes = read_bytes(path, MAX_FORMULA_FILE_BYTES)?;
    let (text, encoding) = decode(path, &bytes, MAX_FORMULA_FILE_BYTES)?;
    Ok(FormulaFile {
        text,
        encoding,
        bytes,
    })
}

/// Reads a formula file as text (byte-order mark removed).
pub fn read_formula(path: &str) -> Result<String, InputError> {
    read_formula_file(path).map(|f| f.text)
}

pub use crate::rewrite::{rewrite_if_unchanged, write_atomic};

/// Whether to colour output on stderr: a terminal, and `NO_COLOR` unset.
pub fn stderr_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Prints an input error and returns the usage exit code.
pub fn input_error(e: &InputError) -> i32 {
    write_err_line(format_args!("error: {e}"));
    super::EXIT_USAGE
}

/// Exit status after a write to a closed pipe: what a shell reports for a
/// process ended by SIGPIPE (128 + 13), so `batchscale ... | head` behaves as
/// other tools in a pipeline.
pub const EXIT_BROKEN_PIPE: i32 = 141;

/// The first output failure: which stream, and the error.
static FAILURE: OnceLock<(&'static str, std::io::Error)> = OnceLock::new();

/// `out!(...)`: [`write_out`] with `format!` arguments.
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::io::write_out(format_args!($($arg)*)) };
}
/// `outln!(...)`: [`write_out_line`] with `format!` arguments.
macro_rules! outln {
    () => { $crate::cli::io::write_out(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::cli::io::write_out_line(format_args!($($arg)*)) };
}
/// `err!(...)`: [`write_err`] with `format!` arguments (for text that ends
/// with its own newline, such as a rendered diagnostic).
macro_rules! err {
    ($($arg:tt)*) => { $crate::cli::io::write_err(format_args!($($arg)*)) };
}
/// `errln!(...)`: [`write_err_line`] with `format!` arguments.
macro_rules! errln {
    () => { $crate::cli::io::write_err(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::cli::io::write_err_line(format_args!($($arg)*)) };
}
pub(crate) use {err, errln, out, outln};

/// Writes to standard output (locked, flushed, checked).
pub fn write_out(args: std::fmt::Arguments<'_>) {
    write_to("standard output", &mut std::io::stdout().lock(), args);
}

/// Writes bytes to standard output as they are (`fmt` keeps a file's encoding).
pub fn write_out_bytes(bytes: &[u8]) {
    if FAILURE.get().is_some() {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        let _ = FAILURE.set(("standard output", e));
    }
}

/// [`write_out`] with a newline.
pub fn write_out_line(args: std::fmt::Arguments<'_>) {
    write_out(format_args!("{args}\n"));
}

/// Writes to standard error (locked, flushed, checked).
pub fn write_err(args: std::fmt::Arguments<'_>) {
    write_to("standard error", &mut std::io::stderr().lock(), args);
}

/// [`write_err`] with a newline.
pub fn write_err_line(args: std::fmt::Arguments<'_>) {
    write_err(format_args!("{args}\n"));
}

fn write_to(stream: &'static str, writer: &mut dyn Write, args: std::fmt::Arguments<'_>) {
    // After a failure nothing more is written: the output is already incomplete.
    if FAILURE.get().is_some() {
        return;
    }
    if let Err(e) = writer.write_fmt(args).and_then(|()| writer.flush()) {
        let _ = FAILURE.set((stream, e));
    }
}

/// The process's exit code: `code`, unless output failed (a closed pipe:
/// [`EXIT_BROKEN_PIPE`], quietly; any other failure: 2, said on stderr when it
/// still works).
pub fn exit_code(code: i32) -> i32 {
    // Output still buffered in the standard handles is flushed first.
    if FAILURE.get().is_none() {
        if let Err(e) = std::io::stdout().lock().flush() {
            let _ = FAILURE.set(("standard output", e));
        }
    }
    match FAILURE.get() {
        None => code,
        Some((_, e)) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_BROKEN_PIPE,
        Some((stream, e)) => {
            if *stream != "standard error" {
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "error: cannot write to {stream}: {e}"
                );
            }
            super::EXIT_USAGE
        }
    }
}
