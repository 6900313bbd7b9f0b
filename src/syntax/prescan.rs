//! A linear scan before pest: bounds bracket depth (so pest's recursion is bounded
//! whatever the stack size) and collects comment spans for the formatter.

use super::error::{SyntaxError, SyntaxErrorKind};
use crate::span::Span;

/// What the scan found.
pub struct Prescan {
    /// Spans of `//` comments.
    pub comments: Vec<Span>,
}

/// Scans `text`, failing when `(` or `?` nest deeper than `max_depth`.
pub fn prescan(text: &str, max_depth: usize) -> Result<Prescan, SyntaxError> {
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    if c == b'"' || c == b'\n' {
                        break;
                    }
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let start = i;
                while let Some(&c) = bytes.get(i) {
                    if c == b'\n' {
                        break;
                    }
                    i += 1;
                }
                let end = if bytes.get(i.wrapping_sub(1)) == Some(&b'\r') {
                    i - 1
                } else {
                    i
                };
                comments.push(Span::new(start, end.max(start)));
                continue;
            }
            b'(' | b'?' => {
                depth += 1;
                if depth > max_depth {
                    return Err(SyntaxError {
                        kind: SyntaxErrorKind::TooDeep {
                            depth,
                            limit: max_depth,
                        },
                        span: Span::new(i, i + 1),
                    });
                }
            }
            b')' | b':' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(Prescan { comments })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_at_the_limit_passes_and_one_past_fails() {
        assert!(prescan(&format!("{}1{}", "(".repeat(64), ")".repeat(64)), 64).is_ok());
        let err = prescan(&"(".repeat(65), 64).err().map(|e| e.kind);
        assert_eq!(
            err,
            Some(SyntaxErrorKind::TooDeep {
                depth: 65,
                limit: 64
            })
        );
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let text = "// ((((\nx = time(\"((((\");";
        let scan = prescan(text, 1).ok().map(|p| p.comments);
        assert_eq!(scan, Some(vec![Span::new(0, 7)]));
    }
}
