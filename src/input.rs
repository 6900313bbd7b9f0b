//! Errors in files the user gave (context JSON, metric CSV, scenarios): each names
//! the file, the line and column or field, and the offending value.

use std::fmt;
use std::io::Read;

/// A bad input file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InputError {
    /// The file's path as given (`-` for standard input).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// The field, key or column concerned, when known.
    pub field: Option<String>,
    /// What is wrong, including the offending value.
    pub message: String,
}

impl InputError {
    /// An error about `file` as a whole.
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            file: file.into(),
            line: None,
            column: None,
            field: None,
            message: message.into(),
        }
    }

    /// Sets the line (and column).
    pub fn at(mut self, line: usize, column: Option<usize>) -> Self {
        self.line = Some(line);
        self.column = column;
        self
    }

    /// Sets the field.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        f.write_str(": ")?;
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// How a file's text was encoded, so a rewrite can keep it (`fmt` keeps a BOM).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    #[default]
    Utf8,
    /// UTF-8 with a byte-order mark.
    Utf8Bom,
    /// UTF-16, little-endian, with a byte-order mark.
    Utf16Le,
    /// UTF-16, big-endian, with a byte-order mark.
    Utf16Be,
}

impl Encoding {
    /// `text` as bytes in this encoding, byte-order mark included.
    #[cfg_attr(not(feature = "cli"), allow(dead_code))] // only `fmt` writes formulas back
    pub fn encode(self, text: &str) -> Vec<u8> {
        match self {
            Encoding::Utf8 => text.as_bytes().to_vec(),
            Encoding::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            Encoding::Utf16Le => std::iter::once(0xFEFF)
                .chain(text.encode_utf16())
                .flat_map(u16::to_le_bytes)
                .collect(),
            Encoding::Utf16Be => std::iter::once(0xFEFF)
                .chain(text.encode_utf16())
                .flat_map(u16::to_be_bytes)
                .collect(),
        }
    }
}

/// Reads at most `limit` bytes from `reader`; more is an error naming `file`.
/// Only `limit + 1` bytes are ever taken, so `/dev/zero` or an endless pipe ends
/// in the same error as a large file, and FIFOs and devices read as files do.
pub fn read_limited(file: &str, reader: impl Read, limit: usize) -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    reader
        .take(cap)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::new(file, format!("cannot read: {e}")))?;
    if bytes.len() > limit {
        return Err(too_large(file, limit));
    }
    Ok(bytes)
}

/// Reads the file at `path` (at most `limit` bytes, see [`read_limited`]).
pub fn read_file(path: &str, limit: usize) -> Result<Vec<u8>, InputError> {
    let file = std::fs::File::open(path)
        .map_err(|e| InputError::new(path, format!("cannot read: {e}")))?;
    read_limited(path, file, limit)
}

fn too_large(file: &str, limit: usize) -> InputError {
    InputError::new(
        file,
        format!("file is larger than the limit of {limit} bytes"),
    )
}

/// Decodes file bytes as text (UTF-8 with or without a byte-order mark, or
/// UTF-16 with one), removing the mark; anything else is an error with its
/// line and column.
pub fn decode_text(file: &str, bytes: &[u8], max_bytes: usize) -> Result<String, InputError> {
    decode(file, bytes, max_bytes).map(|(text, _)| text)
}

/// [`decode_text`], also saying which encoding the bytes were in.
pub fn decode(
    file: &str,
    bytes: &[u8],
    max_bytes: usize,
) -> Result<(String, Encoding), InputError> {
    if bytes.len() > max_bytes {
        return Err(too_large(file, max_bytes));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode_utf16(file, rest, u16::from_le_bytes).map(|t| (t, Encoding::Utf16Le));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode_utf16(file, rest, u16::from_be_bytes).map(|t| (t, Encoding::Utf16Be));
    }
    let (bytes, encoding) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, Encoding::Utf8Bom),
        None => (bytes, Encoding::Utf8),
    };
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_string(), encoding)),
        Err(e) => {
            let valid = bytes.get(..e.valid_up_to()).unwrap_or(&[]);
            // The prefix is valid UTF-8, so positions count its characters.
            let at = position(&String::from_utf8_lossy(valid));
            let bad = bytes.get(e.valid_up_to()).copied().unwrap_or(0);
            Err(InputError::new(
                file,
                format!("invalid UTF-8 (byte 0x{bad:02X}); files are read as UTF-8, or as UTF-16 when they start with a byte-order mark"),
            )
            .at(at.0, Some(at.1)))
        }
    }
}

fn decode_utf16(file: &str, bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, InputError> {
    let pairs = bytes.chunks_exact(2);
    let odd = !pairs.remainder().is_empty();
    let units = pairs.map(|p| {
        unit([
            p.first().copied().unwrap_or(0),
            p.get(1).copied().unwrap_or(0),
        ])
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => text.push(c),
            Err(e) => {
                let at = position(&text);
                return Err(InputError::new(
                    file,
                    format!(
                        "invalid UTF-16 (unpaired surrogate 0x{:04X})",
                        e.unpaired_surrogate()
                    ),
                )
                .at(at.0, Some(at.1)));
            }
        }
    }
    if odd {
        let at = position(&text);
        return Err(
            InputError::new(file, "invalid UTF-16 (odd number of bytes)").at(at.0, Some(at.1)),
        );
    }
    Ok(text)
}

/// Line and column (in characters) just after `text`.
fn position(text: &str) -> (usize, usize) {
    let line = text.bytes().filter(|&b| b == b'\n').count() + 1;
    let last = text.rsplit('\n').next().unwrap_or("");
    (line, last.chars().count() + 1)
}

/// The closest candidate to `word`, for "did you mean" hints (kept here for
/// the modules that name it; the index lives in [`crate::suggest`]).
pub use crate::suggest::did_you_mean;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_located() {
        let err = decode_text("m.csv", b"time\n2025\xFF", 100).err();
        assert_eq!(
            err.map(|e| e.to_string()),
            Some("m.csv:2:5: invalid UTF-8 (byte 0xFF); files are read as UTF-8, or as UTF-16 when they start with a byte-order mark".into())
        );
    }

    #[test]
    fn bom_is_removed() {
        assert_eq!(
            decode_text("f", b"\xEF\xBB\xBFabc", 100),
            Ok("abc".to_string())
        );
    }

    #[test]
    fn utf16_with_a_bom_is_decoded() {
        // "a\né" in UTF-16LE and UTF-16BE, each behind its byte-order mark.
        let le = b"\xFF\xFEa\x00\n\x00\xE9\x00";
        let be = b"\xFE\xFF\x00a\x00\n\x00\xE9";
        assert_eq!(decode("f", le, 100), Ok(("a\né".into(), Encoding::Utf16Le)));
        assert_eq!(decode("f", be, 100), Ok(("a\né".into(), Encoding::Utf16Be)));
        assert_eq!(Encoding::Utf16Le.encode("a\né"), le.to_vec());
        assert_eq!(Encoding::Utf16Be.encode("a\né"), be.to_vec());
    }

    #[test]
    fn broken_utf16_is_located_in_characters() {
        // "é\nx" then a lone high surrogate 0xD800: line 2, column 2.
        let bytes = b"\xFF\xFE\xE9\x00\n\x00x\x00\x00\xD8";
        let err = decode_text("f", bytes, 100).err().map(|e| e.to_string());
        assert_eq!(
            err,
            Some("f:2:2: invalid UTF-16 (unpaired surrogate 0xD800)".into())
        );
        let odd = decode_text("f", b"\xFF\xFEa\x00b", 100)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            odd,
            Some("f:1:2: invalid UTF-16 (odd number of bytes)".into())
        );
    }

    #[test]
    fn utf8_bom_is_remembered() {
        assert_eq!(
            decode("f", b"\xEF\xBB\xBFx", 100),
            Ok(("x".into(), Encoding::Utf8Bom))
        );
        assert_eq!(Encoding::Utf8Bom.encode("x"), b"\xEF\xBB\xBFx".to_vec());
    }

    #[test]
    fn reads_stop_one_byte_past_the_limit() {
        // An endless reader: only limit + 1 bytes are taken before the error.
        let endless = std::io::repeat(0);
        let err = read_limited("/dev/zero", endless, 10)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err,
            Some("/dev/zero: file is larger than the limit of 10 bytes".into())
        );
        assert_eq!(
            read_limited("f", &b"0123456789"[..], 10).map(|b| b.len()),
            Ok(10)
        );
    }
}
