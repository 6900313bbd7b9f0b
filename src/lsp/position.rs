//! Byte offsets ↔ LSP positions. Spans stay byte offsets everywhere else; the
//! line and column an editor wants are computed here, in the encoding the
//! client negotiated (UTF-16 code units unless it offered UTF-8).

use lsp_types::{Position, Range};

use crate::span::{floor_char_boundary, Span};

/// How a position's `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (the protocol's default).
    Utf16,
}

/// Where each line of a text starts.
#[derive(Debug, Clone, Default)]
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The position of byte `offset` (clamped to the text).
    pub(crate) fn position(&self, text: &str, offset: usize, encoding: Encoding) -> Position {
        let offset = floor_char_boundary(text, offset);
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let before = text.get(start..offset).unwrap_or("");
        let character = match encoding {
            Encoding::Utf8 => before.len(),
            Encoding::Utf16 => before.encode_utf16().count(),
        };
        Position::new(to_u32(line), to_u32(character))
    }

    /// The range of a byte span.
    pub(crate) fn range(&self, text: &str, span: Span, encoding: Encoding) -> Range {
        Range::new(
            self.position(text, span.start, encoding),
            self.position(text, span.end.max(span.start), encoding),
        )
    }

    /// The byte offset of `position`; a line or column past the end clamps to
    /// the end of the text or of the line, as the protocol asks.
    pub(crate) fn offset(&self, text: &str, position: Position, encoding: Encoding) -> usize {
        let line = position.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return text.len();
        };
        let end = self.starts.get(line + 1).map_or(text.len(), |&n| n);
        let line_text = text.get(start..end).unwrap_or("");
        let line_text = line_text.strip_suffix('\n').unwrap_or(line_text);
        let mut units = 0usize;
        for (i, c) in line_text.char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += match encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
        }
        start + line_text.len()
    }

    /// The byte span of `range`.
    pub(crate) fn span(&self, text: &str, range: Range, encoding: Encoding) -> Span {
        let start = self.offset(text, range.start, encoding);
        let end = self.offset(text, range.end, encoding);
        Span::new(start.min(end), end.max(start))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_counts_surrogate_pairs_twice_and_utf8_counts_bytes() {
        // `é` is 2 bytes and 1 UTF-16 unit; `😀` is 4 bytes and 2 units.
        let text = "a\né😀x";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap_or(0);
        assert_eq!(
            index.position(text, x, Encoding::Utf16),
            Position::new(1, 3)
        );
        assert_eq!(index.position(text, x, Encoding::Utf8), Position::new(1, 6));
        assert_eq!(index.offset(text, Position::new(1, 3), Encoding::Utf16), x);
        assert_eq!(index.offset(text, Position::new(1, 6), Encoding::Utf8), x);
        // Past the end of a line clamps to it.
        assert_eq!(index.offset(text, Position::new(0, 9), Encoding::Utf16), 1);
        assert_eq!(
            index.offset(text, Position::new(7, 0), Encoding::Utf16),
            text.len()
        );
    }
}
