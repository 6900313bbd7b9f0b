//! What the checker finds, as data: each kind carries the names and types
//! involved, its stable rule code and its prose; diagnostics are built from
//! it in one place ([`CheckError::diagnostic`]).

use crate::diagnostics::Diagnostic;
use crate::span::Span;
use crate::value::{OpError, Type};

/// What kind of name did not resolve (it decides the rule code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SymbolKind {
    /// A variable, constant or keyword: `$x = y;`.
    Variable,
    /// A function: `$x = average(1);`.
    Function,
    /// A sample method: `$x = $CPUPercent.GetSamples(1);`.
    Method,
    /// A timestamp member: `$x = time().Hours;`.
    Member,
}

/// An error the checker found; evaluation raises it when it reaches the
/// expression, as the service does.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CheckErrorKind {
    /// A name that does not resolve: `$TargetDedicatedNodes = pending;`,
    /// `$x = avrage(1);`, `$x = $CPUPercent.GetSamples(1);`, `$x = time().Hours;`.
    #[error("Undefined symbol: {name}")]
    UndefinedSymbol {
        /// The name as written.
        name: String,
        /// What the name was used as.
        kind: SymbolKind,
    },
    /// A user variable read before the statement that assigns it:
    /// `$a = $b; $b = 1;`.
    #[error("`{name}` is read before it is assigned: {}", CheckErrorKind::UndefinedSymbol { name: name.clone(), kind: SymbolKind::Variable })]
    ReadBeforeAssigned {
        /// The variable.
        name: String,
    },
    /// An assignment to a read-only service variable: `$PendingTasks = 1;`.
    #[error("Cannot assign to read-only variable {name}")]
    ReadOnlyVariable {
        /// The variable.
        name: String,
    },
    /// An assignment to a constant or keyword: `TimeInterval_Minute = 1;`.
    #[error("Cannot assign to constant {name}")]
    AssignToConstant {
        /// The constant or keyword.
        name: String,
    },
    /// A value whose static type does not fit where it is used:
    /// `$TargetDedicatedNodes = time();`.
    #[error("{what} takes a {wanted}, but this is a {found}")]
    TypeMismatch {
        /// What required the type (`$TargetDedicatedNodes`, `time()`, `.hour`).
        what: String,
        /// The type required.
        wanted: Type,
        /// The type found.
        found: Type,
    },
    /// An operator with no row for its operand types: `$x = "a" + 1;`.
    #[error("{0}")]
    Operation(OpError),
    /// A number function given something other than numbers: `$x = avg("a");`.
    #[error("{function} takes doubles and doubleVecs, but this is a {found}")]
    NotNumbers {
        /// The function.
        function: &'static str,
        /// The type given.
        found: Type,
    },
    /// A sample method argument of the wrong type: `$x = $CPUPercent.GetSample("a");`.
    #[error("this argument cannot be a {found}")]
    SampleArgument {
        /// The type given.
        found: Type,
    },
    /// A sample method on something without history: `$x = $a.GetSample(1);`.
    #[error("{receiver} has no sample history: {method} applies to sampled service variables such as $PendingTasks")]
    NotSampled {
        /// The receiver as printed (`$a`).
        receiver: String,
        /// The method.
        method: &'static str,
    },
    /// A call with the wrong number of arguments: `$x = max();`,
    /// `$x = time(1, 2);`.
    #[error("{name} takes {} argument{}, but {found} were given", arity_text(*min, *max), plural(*min, *max))]
    WrongArity {
        /// The function or method.
        name: &'static str,
        /// Fewest arguments.
        min: usize,
        /// Most arguments (`usize::MAX` when unbounded).
        max: usize,
        /// Arguments given.
        found: usize,
    },
}

impl CheckErrorKind {
    /// The stable rule code (`undefined-symbol`, `wrong-arity`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            CheckErrorKind::UndefinedSymbol { kind, .. } => match kind {
                SymbolKind::Variable | SymbolKind::Function => "undefined-symbol",
                SymbolKind::Method => "unknown-method",
                SymbolKind::Member => "unknown-member",
            },
            CheckErrorKind::ReadBeforeAssigned { .. } => "read-before-assigned",
            CheckErrorKind::ReadOnlyVariable { .. } | CheckErrorKind::AssignToConstant { .. } => {
                "read-only-assignment"
            }
            CheckErrorKind::TypeMismatch { .. }
            | CheckErrorKind::Operation(_)
            | CheckErrorKind::NotNumbers { .. }
            | CheckErrorKind::SampleArgument { .. } => "type-mismatch",
            CheckErrorKind::NotSampled { .. } => "not-sampled",
            CheckErrorKind::WrongArity { .. } => "wrong-arity",
        }
    }

    /// An unset user variable read at run time: the same error as a name the
    /// checker could not resolve.
    #[cold]
    pub(crate) fn undefined_variable(name: &str) -> Self {
        CheckErrorKind::UndefinedSymbol {
            name: name.to_string(),
            kind: SymbolKind::Variable,
        }
    }
}

fn arity_text(min: usize, max: usize) -> String {
    if min == max {
        format!("{min}")
    } else if max == usize::MAX {
        format!("at least {min}")
    } else {
        format!("{min} to {max}")
    }
}

fn plural(min: usize, max: usize) -> &'static str {
    if min == 1 && (max == 1 || max == usize::MAX) {
        ""
    } else {
        "s"
    }
}

/// How to fix a check error, as data.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Hint {
    /// A close known name: `did you mean `avg`?`.
    DidYouMean(String),
    /// A function named without its parentheses.
    CallIt(String),
    /// A method that does not exist, and the one to use instead.
    UseMethod {
        /// The method as written.
        written: String,
        /// The method to use.
        instead: &'static str,
    },
    /// The signature of a function called with the wrong arity.
    Signature(&'static str),
}

impl Hint {
    fn text(&self) -> String {
        match self {
            Hint::DidYouMean(name) => format!("did you mean `{name}`?"),
            Hint::CallIt(name) => format!("`{name}` is a function: call it as `{name}(...)`"),
            Hint::UseMethod { written, instead } => {
                format!("there is no method `{written}`; use `{instead}`")
            }
            Hint::Signature(signature) => format!("signature: {signature}"),
        }
    }
}

/// A check error at a place in the formula.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckError {
    /// What is wrong.
    pub kind: CheckErrorKind,
    /// Where.
    pub span: Span,
    /// How to fix it, when the checker knows.
    pub hint: Option<Hint>,
}

impl CheckError {
    /// An error without a hint.
    pub fn new(kind: CheckErrorKind, span: Span) -> Self {
        CheckError {
            kind,
            span,
            hint: None,
        }
    }

    /// The error with `hint`.
    pub fn with_hint(mut self, hint: Option<Hint>) -> Self {
        self.hint = hint;
        self
    }

    /// The diagnostic reporting this error: the one place check errors
    /// become text.
    pub fn diagnostic(&self) -> Diagnostic {
        let d = Diagnostic::error(self.kind.code(), self.kind.to_string(), self.span);
        match &self.hint {
            Some(hint) => d.with_help(hint.text()),
            None => d,
        }
    }
}
