//! The REPL's logic, apart from any terminal: a [`Repl`] takes one input (a
//! statement, an expression or a `:` command) and answers with text. The
//! line editor lives in `cli/repl.rs`; completion and the continuation rule
//! are plain functions so they can be tested without a terminal.

mod check;
mod commands;
mod complete;
mod continuation;
#[cfg(feature = "cli")]
mod editor;
mod help;
#[cfg(test)]
mod help_tests;
mod pool;
mod session;

pub use check::check_formula;
pub use commands::Command;
pub use complete::complete;
pub use continuation::{needs_more, Continuation};
#[cfg(feature = "cli")]
pub use editor::ReplHelper;

use crate::context::EvalContext;
use crate::diagnostics::{render, Diagnostic};
use crate::eval::EvalErrorKind;
use crate::limits::Limits;
use crate::value::{format_value, Value};
pub use session::{Effect, Entered, Rejected, Session};

/// Where a REPL input came from, for error messages.
const INPUT_ORIGIN: &str = "<input>";

/// The answer to one input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reply {
    /// What to print (each line ends with `\n`; may be empty).
    pub text: String,
    /// Whether the input failed.
    pub failed: bool,
    /// Whether the user asked to leave.
    pub quit: bool,
}

impl Reply {
    fn ok(text: impl Into<String>) -> Reply {
        Reply {
            text: text.into(),
            ..Reply::default()
        }
    }

    fn error(text: impl Into<String>) -> Reply {
        Reply {
            text: text.into(),
            failed: true,
            quit: false,
        }
    }

    fn line(mut self) -> Reply {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
        self
    }
}

/// A REPL session: the formula so far and the context it runs against.
#[derive(Debug, Clone)]
pub struct Repl {
    session: Session,
    context: EvalContext,
    color: bool,
}

impl Repl {
    /// A REPL evaluating against `context`; `color` styles error output.
    pub fn new(context: EvalContext, limits: Limits, color: bool) -> Repl {
        Repl {
            session: Session::new(limits, context.seed),
            context,
            color,
        }
    }

    /// The evaluation context.
    pub fn context(&self) -> &EvalContext {
        &self.context
    }

    /// User variables of the session, for completion.
    pub fn variable_names(&self) -> Vec<String> {
        self.session.variable_names()
    }

    /// Handles one complete input: a `:` command, or statements / an expression.
    pub fn handle(&mut self, input: &str) -> Reply {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Reply::default();
        }
        let reply = if trimmed.starts_with(':') {
            match Command::parse(trimmed) {
                Ok(command) => self.command(command),
                Err(message) => Reply::error(format!("error: {message}")),
            }
        } else {
            self.statements(input, INPUT_ORIGIN, false)
        };
        reply.line()
    }

    /// Runs formula text into the session, reporting each statement.
    fn statements(&mut self, text: &str, origin: &str, file: bool) -> Reply {
        let result = if file {
            self.session.enter_statements(text, &self.context)
        } else {
            self.session.enter(text, &self.context)
        };
        match result {
            Ok(entered) => {
                let mut out = self.describe(text, origin, &entered);
                if !entered.query {
                    out.push_str(&self.limit_warning());
                }
                Reply::ok(out)
            }
            Err(rejected) => Reply::error(self.rejection(text, origin, &rejected)),
        }
    }

    fn describe(&self, text: &str, origin: &str, entered: &Entered) -> String {
        let mut out = String::new();
        for w in &entered.warnings {
            out.push_str(&render(text, origin, w, self.color));
        }
        for effect in &entered.effects {
            match effect {
                Effect::Assigned { name, value } => {
                    out.push_str(name);
                    out.push_str(" = ");
                    shown(value, &mut out);
                }
                Effect::Value(value) => typed(value, &mut out),
                Effect::Stopped => {
                    out.push_str("stop(): the evaluation ends here; statements after it do not run")
                }
                Effect::NotRun => out.push_str("(not run: after stop())"),
            }
            out.push('\n');
        }
        out
    }

    fn rejection(&self, text: &str, origin: &str, rejected: &Rejected) -> String {
        let diagnostics: Vec<Diagnostic> = match rejected {
            Rejected::Syntax(e) => {
                let found = check::syntax_findings(text, &self.session.limits());
                if found.is_empty() {
                    // The recovering parse agrees with the plain one; kept in
                    // case it ever does not, so an error is never lost.
                    vec![crate::lint::syntax_diagnostic(e)]
                } else {
                    found
                }
            }
            Rejected::Check(all) => all.clone(),
            // A checker error met while evaluating has `check`'s code; the
            // others only an evaluation finds, and keep the service's code.
            Rejected::Eval(e) => {
                let code = match &e.kind {
                    EvalErrorKind::Check(kind) => kind.code(),
                    _ => e.code(),
                };
                vec![Diagnostic::error(code, e.kind.to_string(), e.span)]
            }
            Rejected::AfterStop => {
                return "error: stop() has ended the formula, so statements after it would never run (:reset to start over)".into()
            }
            Rejected::NotAnExpression => return "error: :type takes one expression".into(),
        };
        let mut out = String::new();
        for d in &diagnostics {
            out.push_str(&render(text, origin, d, self.color));
        }
        out
    }

    /// A warning once the session as a whole breaks the limits the service
    /// would hold the formula to (each input alone was within them).
    fn limit_warning(&self) -> String {
        let limits = self.session.limits();
        let statements = self.session.len();
        let chars = self.session.formula_text().chars().count();
        if statements > limits.max_statements {
            format!("warning: the formula now has {statements} statements, more than the limit of {}; :results will fail\n", limits.max_statements)
        } else if chars > limits.max_chars {
            format!("warning: the formula is now {chars} characters long, more than the limit of {}; :results will fail\n", limits.max_chars)
        } else {
            String::new()
        }
    }

    /// The results string the service would print for the statements so far,
    /// evaluated afresh against the current context.
    fn results(&self) -> Reply {
        let run = self.session.run(&self.context);
        let mut text = run.results.clone();
        match &run.error {
            None => Reply::ok(text),
            Some(error) => {
                for detail in &error.values {
                    text.push_str(&format!("\nerror: {}: {}", error.code, detail.value));
                }
                Reply::error(text)
            }
        }
    }
}

/// `value (type)`.
fn typed(value: &Value, out: &mut String) {
    shown(value, out);
    out.push_str(&format!(" ({})", value.type_of()));
}

/// A value as the service prints it, control characters escaped: a string
/// value is user text and must not drive the terminal.
fn shown(value: &Value, out: &mut String) {
    let mut text = String::new();
    format_value(value, &mut text);
    out.push_str(&crate::diagnostics::escape_controls(&text));
}
