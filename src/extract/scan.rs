//! A small tokenizer shared by the Bicep and Terraform readers: it skips
//! comments and strings that are not values of interest, and decodes the
//! string literals that are.

use super::{bicep, nextflow, terraform, Mapped};
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
    Terraform,
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

    /// A scanner of Terraform (HCL).
    pub fn terraform(text: &'a str) -> Self {
        Scanner {
            text,
            pos: 0,
            language: Language::Terraform,
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
            let line_comment = trimmed.starts_with("//")
                || (self.language == Language::Terraform && trimmed.starts_with('#'));
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
            (Language::Bicep, '\'') => bicep::string(self.text, start),
            (Language::Terraform, '"') => terraform::string(self.text, start),
            (Language::Groovy, '\'' | '"') => nextflow::string(self.text, start),
            (Language::Terraform, '<') if rest.starts_with("<<") => {
                terraform::heredoc(self.text, start)
            }
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
