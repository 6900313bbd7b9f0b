//! The resolved program the evaluator runs: names are slots and builtin ids.

use super::error::{CheckError, CheckErrorKind};
use crate::builtins::{Function, Method, Metric, NodeKind, PoolValue};
use crate::ops::{BinaryOp, UnaryOp};
use crate::span::Span;
use crate::value::{Member, NodeDeallocationOption, TimeInterval, Timestamp};

/// The percentage a windowed `GetSample` requires when none is given (observed
/// on the service: `wanted 70%`). The checker writes it into the windows it
/// resolves; the evaluator applies it to windows computed at run time.
pub const DEFAULT_SAMPLE_PERCENT: f64 = 70.0;

/// A checked formula, ready to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    pub(crate) statements: Vec<Stmt>,
    pub(crate) symbols: Symbols,
}

impl Program {
    /// Names of the user variables, by slot.
    pub fn user_variables(&self) -> &[String] {
        &self.symbols.names
    }

    /// Number of statements.
    pub fn len(&self) -> usize {
        self.statements.len()
    }

    /// Whether the program has no statements.
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }
}

/// The user-variable table: name ↔ slot. Shared across inputs by the REPL.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Symbols {
    pub(crate) names: Vec<String>,
    /// Which slots are assigned by the statements compiled so far.
    pub(crate) assigned: Vec<bool>,
}

impl Symbols {
    /// The slot of `name`, if it has one.
    pub fn slot(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// The slot of `name`, creating it.
    pub(crate) fn slot_or_insert(&mut self, name: &str) -> usize {
        match self.slot(name) {
            Some(s) => s,
            None => {
                self.names.push(name.to_string());
                self.assigned.push(false);
                self.names.len() - 1
            }
        }
    }

    /// Whether `slot` has been assigned by an earlier statement.
    pub(crate) fn is_assigned(&self, slot: usize) -> bool {
        self.assigned.get(slot).copied().unwrap_or(false)
    }

    /// Names of user variables assigned so far.
    pub fn assigned_names(&self) -> impl Iterator<Item = &str> {
        self.names
            .iter()
            .zip(&self.assigned)
            .filter(|(_, a)| **a)
            .map(|(n, _)| n.as_str())
    }
}

/// A statement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
    /// The value's numeric form, when it can only be a number: what the
    /// evaluator runs instead of the general tree.
    pub numeric: Option<super::numeric::NumNode>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum StmtKind {
    Assign {
        target: Target,
        value: Node,
        target_span: Span,
    },
    Eval(Node),
}

/// What an assignment writes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Target {
    User(usize),
    Node {
        kind: NodeKind,
        alias: bool,
    },
    Dealloc,
    /// A read-only service variable, constant or keyword: an error when reached.
    Invalid(CheckErrorKind),
}

/// A constant value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Constant {
    Num(f64),
    Interval(TimeInterval),
    Time(Timestamp),
    Str(Box<str>),
    Dealloc(NodeDeallocationOption),
}

/// A resolved expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Const(Constant),
    User {
        slot: usize,
        span: Span,
    },
    Target(NodeKind),
    Dealloc,
    Pool(PoolValue),
    Latest(Metric),
    /// `$M.GetSample(n)` with a constant count: the newest `count` samples.
    Newest {
        metric: Metric,
        count: usize,
        paren: Span,
    },
    /// `$M.GetSample(interval)` or `$M.GetSample(interval, percent)` with
    /// constant arguments: the window looking back `lookback` from now.
    Window {
        metric: Metric,
        lookback: TimeInterval,
        wanted: f64,
        paren: Span,
    },
    /// `$M.GetSamplePercent(interval)` with a constant interval.
    Percent {
        metric: Metric,
        lookback: TimeInterval,
    },
    Sample {
        metric: Metric,
        method: Method,
        args: Vec<(Node, Span)>,
        paren: Span,
    },
    Call {
        function: Function,
        args: Vec<(Node, Span)>,
        span: Span,
    },
    Member {
        of: Box<Node>,
        member: Member,
        span: Span,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Node>,
        span: Span,
    },
    Chain {
        first: Box<Node>,
        rest: Vec<(BinaryOp, Node, Span)>,
    },
    Cond {
        branches: Vec<(Node, Span, Node)>,
        otherwise: Box<Node>,
    },
    /// An error known at check time, raised when evaluation reaches it.
    Fail(Box<CheckError>),
}

impl Node {
    pub(crate) fn fail(error: &CheckError) -> Node {
        Node::Fail(Box::new(CheckError::new(error.kind.clone(), error.span)))
    }
}
