//! A small tokenizer shared by the Bicep and Nextflow readers: it skips
//! comments and strings that are not values of interest, and decodes the
//! string literals that are.

use super::{bicep, nextflow, Mapped};
use crate::span::Span;

/// A token of interest.
pub enum Token<'a> {
    /// A name, with its span.
    Ident(&'a str, Span),
    /// A decoded string literal (quoted or heredoc), with the literal's span.
    Str(Mapped, Span),
    /// Any other character.
    Other(Span),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Language {
    Bicep,
    Groovy,
}

/// Walks the text token by token.
pub struct Scanner<'a> {
    text: &'a str,
    pos: usize,
    language: Language,
}

impl<'a> Scanner<'a> {
    /// A scanner of Bicep.
    pub fn bicep(text: &'a str) -> Self {
        Scanner {
            text,
            pos: 0,
            language: Language::Bicep,
        }
    }

    /// A scanner of Groovy (Nextflow configuration).
    pub fn groovy(text: &'a str) -> Self {
        Scanner {
            text,
            pos: 0,
            language: Language::Groovy,
        }
    }

    fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or("")
    }

    fn skip_trivia(&mut self) {
        loop {
            let rest = self.rest();
            let trimmed = rest.trim_start();
            self.pos += rest.len() - trimmed.len();
            let line_comment = trimmed.starts_with("//");
            if line_comment {
                self.pos += trimmed.find('\n').unwrap_or(trimmed.len());
            } else if trimmed.starts_with("/*") {
                self.pos += trimmed
                    .get(2..)
                    .and_then(|r| r.find("*/"))
                    .map_or(trimmed.len(), |n| n + 4);
            } else {
                return;
            }
        }
    }

    /// Consumes `c` if it comes next.
    pub fn eat(&mut self, c: char) -> bool {
        self.skip_trivia();
        if self.rest().starts_with(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    /// The number starting at `start` (`3` in `vmCount = 3`), consuming it.
    pub fn number_at(&mut self, start: usize) -> Option<String> {
        let rest = self.text.get(start..)?;
        let len = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if len == 0 {
            return None;
        }
        self.pos = self.pos.max(start + len);
        Some(rest.get(..len)?.to_string())
    }

    /// From `span`'s start to the end of its line (an unchecked value).
    pub fn rest_of_line(&self, span: Span) -> Span {
        let end = self
            .text
            .get(span.start..)
            .and_then(|r| r.find('\n'))
            .map_or(self.text.len(), |n| span.start + n);
        let line = self.text.get(span.start..end).unwrap_or("").trim_end();
        Span::new(span.start, span.start + line.len())
    }

    /// The next token, or `None` at the end.
    pub fn next_token(&mut self) -> Option<Token<'a>> {
        self.skip_trivia();
        let start = self.pos;
        let rest = self.rest();
        let c = rest.chars().next()?;
        if c.is_ascii_alphabetic() || c == '_' {
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(rest.len());
            self.pos += len;
            return Some(Token::Ident(rest.get(..len)?, Span::new(start, self.pos)));
        }
        let literal = match (self.language, c) {
            (Language::Bicep, '\'' | '$') => bicep::string(self.text, start),
            (Language::Groovy, '\'' | '"') => nextflow::string(self.text, start),
            _ => None,
        };
        match literal {
            Some((m, end)) => {
                self.pos = end;
                Some(Token::Str(m, Span::new(start, end)))
            }
            None => {
                self.pos += c.len_utf8();
                Some(Token::Other(Span::new(start, self.pos)))
            }
        }
    }
}

/// Decodes a string literal's body from `pos` up to its closing `close`,
/// mapping every decoded character back to its offset in `text`. After a
/// backslash, `escape` decodes the text that follows into a character and the
/// number of bytes it used; `verbatim_pair` gives the extra bytes to skip after
/// a plain character (HCL's `$${` stands for `${`). Without `multiline` a raw
/// line break ends the literal as unterminated. Returns the decoded text and
/// the offset after `close`.
pub fn decode_escaped(
    text: &str,
    mut pos: usize,
    close: &str,
    multiline: bool,
    escape: impl Fn(&str) -> Option<(char, usize)>,
    verbatim_pair: impl Fn(char, &str) -> usize,
) -> Option<(super::Mapped, usize)> {
    let mut m = super::Mapped::new();
    loop {
        let rest = text.get(pos..)?;
        if rest.starts_with(close) {
            return Some((m.finish(pos), pos + close.len()));
        }
        let c = rest.chars().next()?;
        let at = pos;
        pos += c.len_utf8();
        match c {
            '\n' if !multiline => return None,
            '\\' => {
                let (decoded, used) = escape(text.get(pos..)?)?;
                pos += used;
                m.push(decoded, at);
            }
            c => {
                m.push(c, at);
                pos += verbatim_pair(c, text.get(pos..)?);
            }
        }
    }
}

/// The usual escapes after a backslash: `n`, `r`, `t`, and any other
/// character standing for itself. Returns the character and bytes used.
pub fn simple_escape(rest: &str) -> Option<(char, usize)> {
    let e = rest.chars().next()?;
    let decoded = match e {
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        other => other,
    };
    Some((decoded, e.len_utf8()))
}

#[cfg(test)]
mod decode_tests {
    fn decoded(
        f: fn(&str, usize) -> Option<(super::super::Mapped, usize)>,
        text: &str,
    ) -> Option<(String, usize)> {
        f(text, 0).map(|(m, end)| (m.text, end))
    }

    #[test]
    fn each_language_decodes_its_own_escapes() {
        // Bicep: \' and \u{41}.
        assert_eq!(
            decoded(super::super::bicep::string, r"'a\'b\u{41}' rest"),
            Some(("a'bA".to_string(), 12))
        );
        // Groovy: a triple-quoted string may span lines; \t is a tab.
        assert_eq!(
            decoded(super::super::nextflow::string, "'''x\\t\ny''' rest"),
            Some(("x\t\ny".to_string(), 11))
        );
        // A raw line break ends a one-line string as unterminated.
        assert_eq!(decoded(super::super::bicep::string, "'a\nb'"), None);
    }
}
