//! Errors of the syntax phase: the formula cannot be parsed.

use crate::span::Span;

/// A formula that cannot be parsed, or that breaks a size limit.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{kind}")]
pub struct SyntaxError {
    /// What went wrong.
    pub kind: SyntaxErrorKind,
    /// Where (an empty span points between characters).
    pub span: Span,
}

/// The kinds of syntax error.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SyntaxErrorKind {
    /// A token that does not fit: `$x = ;` expects an expression where `;` stands.
    #[error("expected {}, found {found}", join_expected(expected))]
    Unexpected {
        /// What would have been accepted, described for people (`` `;` ``, `an expression`).
        expected: Vec<String>,
        /// What was found (`` `)` ``, `end of formula`).
        found: String,
    },
    /// Two statements with no `;` between them:
    /// `$a = 1` newline `$b = 2`.
    #[error("missing `;` between statements")]
    MissingSemicolon {
        /// Byte offset where the `;` belongs (end of the previous statement).
        insert_at: usize,
    },
    /// A number the grammar accepts but that does not fit a double: `1` followed by 400 zeros.
    #[error("number `{text}` is out of range")]
    NumberOutOfRange {
        /// The literal.
        text: String,
    },
    /// The formula is longer than the limit: more than 8,192 characters by default.
    #[error("the formula has {chars} characters, more than the limit of {limit}")]
    TooLong {
        /// Its length in characters.
        chars: usize,
        /// The limit in force.
        limit: usize,
    },
    /// More statements than the limit: 101 statements by default.
    #[error("the formula has {count} statements, more than the limit of {limit}")]
    TooManyStatements {
        /// The number of non-empty statements.
        count: usize,
        /// The limit in force.
        limit: usize,
    },
    /// Brackets, `? :` or operators nested too deep: 65 `(` by default.
    #[error("nesting depth {depth} exceeds the limit of {limit}")]
    TooDeep {
        /// The depth reached.
        depth: usize,
        /// The limit in force.
        limit: usize,
    },
    /// The pest parser gave up after its call budget (only when a budget is set).
    #[error("the parser's call budget was exhausted")]
    ParserBudget,
}

impl SyntaxError {
    /// The error with its position as the service words it, given the formula
    /// it was found in (lines and columns from 1, columns in characters):
    ///
    /// ```
    /// let text = "$TargetDedicatedNodes = 1;\n$x = ;";
    /// let error = batchscale::Formula::parse(text).unwrap_err();
    /// // `;` is the 6th character of line 2.
    /// assert_eq!(error.service_text(text), "Line 2, Col 6: expected an expression, found `;`");
    /// ```
    pub fn service_text(&self, source: &str) -> String {
        let at = crate::span::line_col(source, self.span.start);
        format!("Line {}, Col {}: {}", at.line, at.column, self.kind)
    }

    /// The service's error code for this error.
    pub fn code(&self) -> &'static str {
        match self.kind {
            SyntaxErrorKind::TooLong { .. } | SyntaxErrorKind::TooManyStatements { .. } => {
                "AutoScalingFormulaTooLong"
            }
            _ => "AutoScalingFormulaSyntaxError",
        }
    }

    /// The service's error message for this error's code.
    pub fn service_message(&self) -> &'static str {
        match self.code() {
            "AutoScalingFormulaTooLong" => "The specified auto-scaling formula is too long",
            _ => "The specified auto-scaling formula has a syntax error",
        }
    }

    /// A hint for people, when there is one.
    pub fn help(&self) -> Option<String> {
        match &self.kind {
            SyntaxErrorKind::MissingSemicolon { .. } => Some(
                "statements must be separated by `;`: insert one after the previous statement"
                    .to_string(),
            ),
            SyntaxErrorKind::TooDeep { .. } => {
                Some("split the expression into several statements".to_string())
            }
            SyntaxErrorKind::TooLong { .. } | SyntaxErrorKind::TooManyStatements { .. } => Some(
                "the service rejects such formulas; remove comments or combine statements"
                    .to_string(),
            ),
            _ => None,
        }
    }
}

fn join_expected(expected: &[String]) -> String {
    match expected {
        [] => "something else".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}
