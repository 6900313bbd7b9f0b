//! Text → syntax tree. pest stays inside this module.

mod ast;
mod build;
mod error;
mod grammar;
mod hint;
mod prescan;
mod print;
mod recover;

pub use ast::*;
pub use error::{SyntaxError, SyntaxErrorKind};
pub use hint::hint;
pub use recover::{parse_recovering, Recovery};

use pest::error::{ErrorVariant, InputLocation};
use pest::Parser;

use crate::limits::Limits;
use crate::span::Span;
use grammar::{FormulaParser, Rule};

/// Parses formula text into a syntax tree, enforcing `limits`.
///
/// ```
/// use batchscale::{syntax, Limits};
/// let ast = syntax::parse("$TargetDedicatedNodes = max(0, 2 + 3);", &Limits::default()).unwrap();
/// assert_eq!(ast.to_string(), "$TargetDedicatedNodes = max(0, 2 + 3);\n");
/// ```
pub fn parse(text: &str, limits: &Limits) -> Result<Ast, SyntaxError> {
    let limits = limits.clamped();
    check_length(text, &limits)?;
    let scan = prescan::prescan(text, limits.max_nesting)?;
    let mut pairs = FormulaParser::parse(Rule::formula, text).map_err(|e| convert(text, e))?;
    let builder = build::Builder::new(limits.max_nesting);
    let mut statements = Vec::new();
    let formula = pairs.next().map(|p| p.into_inner()).into_iter().flatten();
    for pair in formula.filter(|p| p.as_rule() == Rule::statement) {
        statements.push(builder.statement(pair)?);
    }
    if statements.len() > limits.max_statements {
        let span = statements
            .get(limits.max_statements)
            .map_or(Span::default(), |s| s.span);
        return Err(SyntaxError {
            kind: SyntaxErrorKind::TooManyStatements {
                count: statements.len(),
                limit: limits.max_statements,
            },
            span,
        });
    }
    Ok(Ast {
        statements,
        comments: scan.comments,
    })
}

impl Ast {
    /// The service takes "one or more statements" (spec §1.1): a formula that
    /// is empty, or only comments and `;`, fails here, pointing at the end of
    /// its text. [`parse`] accepts such text because `fmt` formats it.
    pub fn require_statement(&self, text: &str) -> Result<(), SyntaxError> {
        if !self.statements.is_empty() {
            return Ok(());
        }
        Err(SyntaxError {
            kind: SyntaxErrorKind::Unexpected {
                expected: vec!["a statement".to_string()],
                found: "end of formula".to_string(),
            },
            span: Span::point(end_of_text(text)),
        })
    }
}

fn check_length(text: &str, limits: &Limits) -> Result<(), SyntaxError> {
    let too_long = |chars: usize, limit: usize, at: usize| SyntaxError {
        kind: SyntaxErrorKind::TooLong { chars, limit },
        span: Span::new(at, text.len()),
    };
    if text.len() > Limits::MAX_FORMULA_BYTES {
        let chars = text.chars().count();
        let at = crate::span::floor_char_boundary(text, Limits::MAX_FORMULA_BYTES);
        return Err(too_long(chars, limits.max_chars, at));
    }
    if text.len() > limits.max_chars {
        let chars = text.chars().count();
        if chars > limits.max_chars {
            let at = text
                .char_indices()
                .nth(limits.max_chars)
                .map_or(text.len(), |(i, _)| i);
            return Err(too_long(chars, limits.max_chars, at));
        }
    }
    Ok(())
}

/// Describes a grammar rule for people, or `None` for rules not worth naming.
fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::semi => "`;`",
        Rule::assign => "`=`",
        Rule::lparen => "`(`",
        Rule::rparen => "`)`",
        Rule::comma => "`,`",
        Rule::dot | Rule::postfix => "`.`",
        Rule::colon => "`:`",
        Rule::quote => "`\"`",
        Rule::EOI => "end of formula",
        Rule::ident => "a name",
        Rule::binop | Rule::ternary | Rule::question => "an operator",
        Rule::statement | Rule::assignment => "a statement",
        Rule::expr
        | Rule::operand
        | Rule::number
        | Rule::string
        | Rule::call
        | Rule::variable
        | Rule::paren
        | Rule::prefix => "an expression",
        _ => return None,
    })
}

fn convert(text: &str, err: pest::error::Error<Rule>) -> SyntaxError {
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let end = end_of_text(text);
    let pos = pos.min(end);
    let positives = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        ErrorVariant::CustomError { message } => {
            let kind = if message.contains("call limit") {
                SyntaxErrorKind::ParserBudget
            } else {
                SyntaxErrorKind::Unexpected {
                    expected: vec!["valid syntax".to_string()],
                    found: found_at(text, pos, end).0,
                }
            };
            return SyntaxError {
                kind,
                span: Span::point(pos),
            };
        }
    };
    let mut expected: Vec<String> = Vec::new();
    for rule in &positives {
        if let Some(d) = describe(*rule) {
            if !expected.iter().any(|e| e == d) {
                expected.push(d.to_string());
            }
        }
    }
    let (found, found_len) = found_at(text, pos, end);
    if positives.contains(&Rule::semi) {
        if let Some(insert_at) = missing_semicolon(text, pos) {
            return SyntaxError {
                kind: SyntaxErrorKind::MissingSemicolon { insert_at },
                span: Span::new(pos, pos + found_len),
            };
        }
    }
    SyntaxError {
        kind: SyntaxErrorKind::Unexpected { expected, found },
        span: Span::new(pos, pos + found_len),
    }
}

/// Where "end of formula" is reported: after the last character that is not
/// whitespace, so that `a =` followed by blank lines points at the `=` line,
/// not at an empty line past the text.
pub(crate) fn end_of_text(text: &str) -> usize {
    // The grammar's WHITESPACE characters, no others.
    text.trim_end_matches([' ', '\t', '\n', '\u{0C}', '\r', '\u{FEFF}'])
        .len()
}

/// Names the token at `pos` and its length in bytes; from `end` on there is
/// only whitespace.
fn found_at(text: &str, pos: usize, end: usize) -> (String, usize) {
    let rest = text.get(pos..).unwrap_or("");
    let Some(first) = rest.chars().next().filter(|_| pos < end) else {
        return ("end of formula".to_string(), 0);
    };
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let len = if is_word(first) {
        rest.find(|c: char| !is_word(c)).unwrap_or(rest.len())
    } else {
        first.len_utf8()
    };
    let token = rest.get(..len).unwrap_or("");
    let shown = match first {
        '\n' | '\r' => "end of line".to_string(),
        _ => format!("`{token}`"),
    };
    (shown, len)
}

/// When the token at `pos` starts a line and begins a new statement, the offset
/// just after the previous statement's last token (where a `;` belongs).
fn missing_semicolon(text: &str, pos: usize) -> Option<usize> {
    let starts_statement = text
        .get(pos..)?
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$');
    if !starts_statement {
        return None;
    }
    let mut end = pos;
    let mut saw_newline = false;
    loop {
        let before = text.get(..end)?;
        let trimmed = before.trim_end();
        saw_newline |= before.get(trimmed.len()..)?.contains('\n');
        end = trimmed.len();
        let line_start = trimmed.rfind('\n').map_or(0, |i| i + 1);
        match comment_start(trimmed.get(line_start..)?) {
            // A comment runs to a line break, so one was crossed.
            Some(c) => {
                end = line_start + c;
                saw_newline = true;
            }
            None => break,
        }
    }
    (saw_newline && end > 0).then_some(end)
}

/// Byte offset of a `//` comment in `line`, outside strings.
fn comment_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut in_string = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => in_string = !in_string,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}
