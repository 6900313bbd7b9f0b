//! Errors in files the user gave (context JSON, metric CSV, scenarios): each names
//! the file, the line and column or field, and the offending value.

use std::fmt;

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

/// Decodes file bytes as UTF-8 text, removing a byte-order mark; invalid bytes
/// are reported with their line and column.
pub fn decode_text(file: &str, bytes: &[u8], max_bytes: usize) -> Result<String, InputError> {
    if bytes.len() > max_bytes {
        return Err(InputError::new(
            file,
            format!(
                "file is {} bytes, more than the limit of {max_bytes}",
                bytes.len()
            ),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let valid = bytes.get(..e.valid_up_to()).unwrap_or(&[]);
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            let bad = bytes.get(e.valid_up_to()).copied().unwrap_or(0);
            Err(
                InputError::new(file, format!("invalid UTF-8 (byte 0x{bad:02X})"))
                    .at(line, Some(column)),
            )
        }
    }
}

/// The closest candidate to `word`, for "did you mean" hints.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            let d = strsim::levenshtein(&lower, &c.to_ascii_lowercase());
            (d, c)
        })
        .filter(|&(d, c)| d <= (c.len() / 3).max(1) || c.eq_ignore_ascii_case(word))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_located() {
        let err = decode_text("m.csv", b"time\n2025\xFF", 100).err();
        assert_eq!(
            err.map(|e| e.to_string()),
            Some("m.csv:2:5: invalid UTF-8 (byte 0xFF)".into())
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
    fn suggestions_tolerate_case_and_small_edits() {
        let names = ["$PendingTasks", "$ActiveTasks"];
        assert_eq!(did_you_mean("$PendingTask", names), Some("$PendingTasks"));
        assert_eq!(did_you_mean("$pendingtasks", names), Some("$PendingTasks"));
        assert_eq!(did_you_mean("$Zebra", names), None);
    }
}
