//! The resolved program the evaluator runs: names are slots and builtin ids.

use std::collections::HashMap;

use super::error::{CheckError, CheckErrorKind};
use crate::builtins::{Function, Method, Metric, NodeKind, PoolValue};
use crate::ops::{BinaryOp, UnaryOp};
use crate::span::Span;
use crate::suggest::NameIndex;
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
    /// The constant sample windows (`$M.GetSample(T)`, `GetSamplePercent(T)`),
    /// each distinct one once: a run resolves each at most once, by its id.
    pub(crate) windows: Box<[WindowRef]>,
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
///
/// Lookups go through a hash index and did-you-mean through a length index
/// of the assigned names, so checking a formula with thousands of variables
/// stays linear (issue 18: 16,000 names took seconds when each lookup scanned
/// every name).
#[derive(Debug, Clone, Default)]
pub struct Symbols {
    pub(crate) names: Vec<String>,
    /// Which slots are assigned by the statements compiled so far.
    pub(crate) assigned: Vec<bool>,
    slots: HashMap<String, usize>,
    assigned_names: NameIndex,
}

impl PartialEq for Symbols {
    // The indexes are derived from the names and flags.
    fn eq(&self, other: &Self) -> bool {
        self.names == other.names && self.assigned == other.assigned
    }
}

impl Symbols {
    /// The slot of `name`, if it has one.
    pub fn slot(&self, name: &str) -> Option<usize> {
        self.slots.get(name).copied()
    }

    /// The slot of `name`, creating it.
    pub(crate) fn slot_or_insert(&mut self, name: &str) -> usize {
        match self.slot(name) {
            Some(s) => s,
            None => {
                let slot = self.names.len();
                self.names.push(name.to_string());
                self.assigned.push(false);
                self.slots.insert(name.to_string(), slot);
                slot
            }
        }
    }

    /// Marks `slot` as assigned by a statement compiled so far.
    pub(crate) fn mark_assigned(&mut self, slot: usize) {
        if let (Some(flag), Some(name)) = (self.assigned.get_mut(slot), self.names.get(slot)) {
            if !*flag {
                *flag = true;
                self.assigned_names.insert(name);
            }
        }
    }

    /// Forgets the slots from `len` on (the REPL's scratch slot).
    #[cfg(feature = "cli")]
    pub(crate) fn truncate(&mut self, len: usize) {
        if len >= self.names.len() {
            return;
        }
        for name in self.names.drain(len..) {
            self.slots.remove(&name);
        }
        self.assigned.truncate(len);
        self.assigned_names = NameIndex::new();
        for name in self
            .assigned_names()
            .map(str::to_string)
            .collect::<Vec<_>>()
        {
            self.assigned_names.insert(&name);
        }
    }

    /// Whether `slot` has been assigned by an earlier statement.
    pub(crate) fn is_assigned(&self, slot: usize) -> bool {
        self.assigned.get(slot).copied().unwrap_or(false)
    }

    /// The assigned name closest to `word`, for a did-you-mean.
    pub(crate) fn closest_assigned(&self, word: &str) -> Option<&str> {
        self.assigned_names.closest(word)
    }

    /// Names of user variables assigned so far.
    #[cfg_attr(not(feature = "cli"), allow(dead_code))]
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
    /// The work budget's fixed charge for this statement, taken before it
    /// runs: one step per node, plus the count of each `GetSample(n)`
    /// (sample and vector lengths are counted as they are read).
    pub cost: u64,
    /// Whether the value is number-typed, so that the evaluator runs it
    /// through its number entry point.
    pub numeric: bool,
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

/// A constant window, interned in its [`Program`]: `id` indexes the run's
/// table of resolved windows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct WindowRef {
    pub id: usize,
    pub metric: Metric,
    pub lookback: TimeInterval,
}

/// A resolved, typed expression. The variants after `Call` are the
/// specialised shapes of common expressions (starlark's way: faster forms
/// of the same tree, not a second tree); they evaluate exactly as the
/// general shapes they replace.
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
        span: Span,
    },
    /// `$M.GetSample(interval)` or `$M.GetSample(interval, percent)` with
    /// constant arguments: the window looking back from now.
    Window {
        window: WindowRef,
        wanted: f64,
        paren: Span,
        span: Span,
    },
    /// `$M.GetSamplePercent(interval)` with a constant interval.
    Percent {
        window: WindowRef,
        span: Span,
    },
    Sample {
        metric: Metric,
        method: Method,
        args: Vec<(Node, Span)>,
        paren: Span,
        span: Span,
    },
    Call {
        function: Function,
        args: Vec<(Node, Span)>,
        span: Span,
    },
    /// An aggregate of one constant window, `avg($M.GetSample(T))`: the
    /// commonest aggregate, read without an argument list. Costs the steps
    /// of the call and of its window argument.
    WindowAggregate {
        function: Function,
        window: WindowRef,
        wanted: f64,
        paren: Span,
        sample_span: Span,
        span: Span,
    },
    /// `avg`, `sum`, `min` or `max` of number-typed arguments only:
    /// `max(0, min($x, 20))`.
    Fold {
        function: Function,
        args: Vec<Node>,
        span: Span,
    },
    Member {
        of: Box<Node>,
        member: Member,
        span: Span,
    },
    /// `numeric`: the operand is number-typed.
    Unary {
        op: UnaryOp,
        operand: Box<Node>,
        span: Span,
        numeric: bool,
    },
    /// One operator on two number-typed operands, `$x < 70`: a chain of one
    /// link, with its steps.
    Binary {
        op: BinaryOp,
        a: Box<Node>,
        b: Box<Node>,
    },
    /// `numeric`: every operand is number-typed.
    Chain {
        first: Box<Node>,
        rest: Vec<(BinaryOp, Node, Span)>,
        numeric: bool,
    },
    /// `numeric`: every condition and branch is number-typed.
    Cond {
        branches: Vec<(Node, Span, Node)>,
        otherwise: Box<Node>,
        numeric: bool,
    },
    /// An error known at check time, raised when evaluation reaches it.
    Fail(Box<CheckError>),
}

impl Node {
    pub(crate) fn fail(error: &CheckError) -> Node {
        Node::Fail(Box::new(CheckError::new(error.kind.clone(), error.span)))
    }

    /// Whether the number entry point evaluates this node without building
    /// a value (its value can only be a number).
    pub(crate) fn is_numeric(&self, numeric_slots: &[bool]) -> bool {
        match self {
            Node::Const(Constant::Num(_))
            | Node::Target(_)
            | Node::Pool(_)
            | Node::Latest(_)
            | Node::Percent { .. }
            | Node::WindowAggregate { .. }
            | Node::Fold { .. }
            | Node::Binary { .. } => true,
            Node::Call { function, .. } => is_aggregate(*function),
            Node::User { slot, .. } => numeric_slots.get(*slot).copied().unwrap_or(false),
            Node::Unary { numeric, .. }
            | Node::Chain { numeric, .. }
            | Node::Cond { numeric, .. } => *numeric,
            _ => false,
        }
    }

    /// The steps the budget charges for evaluating this node and every node
    /// under it (all branches, as a static bound), before sample lengths.
    pub(crate) fn cost(&self) -> u64 {
        fn sum<'n>(nodes: impl Iterator<Item = &'n Node>) -> u64 {
            nodes.fold(0u64, |acc, n| acc.saturating_add(n.cost()))
        }
        let below = match self {
            Node::Newest { count, .. } => *count as u64,
            // The call and its window argument.
            Node::WindowAggregate { .. } => 1,
            Node::Sample { args, .. } | Node::Call { args, .. } => sum(args.iter().map(|(n, _)| n)),
            Node::Fold { args, .. } => sum(args.iter()),
            Node::Member { of, .. } => of.cost(),
            Node::Unary { operand, .. } => operand.cost(),
            Node::Binary { a, b, .. } => a.cost().saturating_add(b.cost()),
            Node::Chain { first, rest, .. } => first
                .cost()
                .saturating_add(sum(rest.iter().map(|(_, n, _)| n))),
            Node::Cond {
                branches,
                otherwise,
                ..
            } => sum(branches.iter().flat_map(|(c, _, t)| [c, t])).saturating_add(otherwise.cost()),
            _ => 0,
        };
        below.saturating_add(1)
    }
}

/// Functions that fold a `doubleVecList` into one number.
pub(crate) fn is_aggregate(f: Function) -> bool {
    matches!(
        f,
        Function::Avg
            | Function::Sum
            | Function::Len
            | Function::Min
            | Function::Max
            | Function::Range
            | Function::Norm
            | Function::Std
    )
}
