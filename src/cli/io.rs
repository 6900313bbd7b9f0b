//! Reading the user's files and writing to the terminal.

use std::io::{IsTerminal, Read};

use crate::input::{decode_text, InputError};
use crate::limits::Limits;

/// Reads a file's bytes (`-` for standard input).
pub fn read_bytes(path: &str) -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::new();
    let result = if path == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes).map(|_| ()))
    };
    result.map_err(|e| InputError::new(path, format!("cannot read: {e}")))?;
    Ok(bytes)
}

/// Reads a formula file as text (BOM removed; at most the hard size cap).
pub fn read_formula(path: &str) -> Result<String, InputError> {
    let bytes = read_bytes(path)?;
    // Leave room past the cap so that the parser reports the length itself.
    decode_text(path, &bytes, Limits::MAX_FORMULA_BYTES * 4)
}

/// Whether to colour output on stderr: a terminal, and `NO_COLOR` unset.
pub fn stderr_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Prints an input error and returns the usage exit code.
pub fn input_error(e: &InputError) -> i32 {
    eprintln!("error: {e}");
    super::EXIT_USAGE
}
