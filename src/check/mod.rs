//! Syntax tree → checked program: names resolved to slots and builtin ids,
//! arity and static types checked, every error reported at once.

mod compile;
mod error;

pub use error::{CheckError, CheckErrorKind, Hint, SymbolKind};

pub(crate) use compile::sample_count;
mod program;

pub(crate) use program::{is_aggregate, Constant, Node, Stmt, StmtKind, Target, WindowRef};
pub use program::{Program, Symbols, DEFAULT_SAMPLE_PERCENT};

use crate::builtins::Metric;
use crate::diagnostics::Diagnostic;
use crate::syntax::Ast;

/// Checks a syntax tree, returning the program and every diagnostic found.
///
/// A program is returned even when there are errors: each error is compiled into
/// a node that fails when evaluation reaches it, as the service reports
/// evaluation errors in statement order.
pub fn check(ast: &Ast) -> (Program, Vec<Diagnostic>) {
    let (program, errors) = check_errors(ast);
    (program, errors.iter().map(CheckError::diagnostic).collect())
}

/// [`check`], with the errors as data rather than diagnostics.
pub fn check_errors(ast: &Ast) -> (Program, Vec<CheckError>) {
    let mut symbols = Symbols::default();
    let mut compiler = compile::Compiler::new(&mut symbols);
    let statements = compiler.compile(ast);
    let (errors, windows) = (compiler.errors, compiler.windows);
    (
        Program {
            statements,
            symbols,
            windows: windows.into_boxed_slice(),
        },
        errors,
    )
}

/// Checks statements against an existing symbol table (the REPL keeps one
/// across inputs) and returns them with the errors found. Their windows are
/// not interned in a program: the REPL's runs resolve each read.
#[cfg(feature = "cli")]
pub(crate) fn check_with(ast: &Ast, symbols: &mut Symbols) -> (Vec<Stmt>, Vec<CheckError>) {
    let mut compiler = compile::Compiler::new(symbols);
    let statements = compiler.compile(ast);
    (statements, compiler.errors)
}

impl Program {
    /// The metrics this program reads.
    pub fn sampled_metrics(&self) -> Vec<Metric> {
        compile::sampled_metrics(&self.statements)
    }
}
