//! The numeric form of an expression: a tree over plain `f64`s that the
//! evaluator runs without building values, for expressions that can only ever
//! yield a number (most of every formula). It is derived from the resolved
//! [`Node`] tree, so names, constants and folding are decided once, there.

use super::program::{Constant, Node};
use crate::builtins::{Function, Metric, NodeKind, PoolValue};
use crate::ops::{BinaryOp, UnaryOp};
use crate::span::Span;
use crate::value::TimeInterval;

/// An expression that always yields a number when it succeeds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NumNode {
    Const(f64),
    /// A user variable whose every assignment so far is numeric.
    User {
        slot: usize,
        span: Span,
    },
    Target(NodeKind),
    Pool(PoolValue),
    Latest(Metric),
    Percent {
        metric: Metric,
        lookback: TimeInterval,
    },
    /// `avg`, `sum`, `min` or `max` of numbers only: `max(0, min($x, 20))`.
    Fold {
        function: Function,
        args: Vec<NumNode>,
        span: Span,
    },
    /// An aggregate of one constant sample window, `avg($M.GetSample(T))`:
    /// the commonest aggregate, read without walking an argument list.
    WindowAggregate {
        function: Function,
        metric: Metric,
        lookback: TimeInterval,
        wanted: f64,
        paren: Span,
        span: Span,
    },
    /// `avg`, `sum`, `len`, `min`, `max`, `range`, `norm` or `std`.
    Aggregate {
        function: Function,
        args: Vec<NumArg>,
        span: Span,
    },
    Unary {
        op: UnaryOp,
        operand: Box<NumNode>,
    },
    Chain {
        first: Box<NumNode>,
        rest: Vec<(BinaryOp, NumNode)>,
    },
    Cond {
        branches: Vec<(NumNode, NumNode)>,
        otherwise: Box<NumNode>,
    },
}

/// An argument of an aggregate: a number, a sample window read in place, or
/// any other expression (evaluated in general, as a number or a vector).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NumArg {
    Num(NumNode),
    Newest {
        metric: Metric,
        count: usize,
        paren: Span,
    },
    Window {
        metric: Metric,
        lookback: TimeInterval,
        wanted: f64,
        paren: Span,
    },
    Any(Node, Span),
}

/// The numeric form of `node`, if it can only yield a number; `numeric[slot]`
/// says which user variables hold a number at this point of the program.
pub(crate) fn numeric(node: &Node, numeric_slots: &[bool]) -> Option<NumNode> {
    let num = |n: &Node| numeric(n, numeric_slots);
    Some(match node {
        Node::Const(Constant::Num(x)) => NumNode::Const(*x),
        Node::User { slot, span } if numeric_slots.get(*slot).copied().unwrap_or(false) => {
            NumNode::User {
                slot: *slot,
                span: *span,
            }
        }
        Node::Target(kind) => NumNode::Target(*kind),
        Node::Pool(p) => NumNode::Pool(*p),
        Node::Latest(m) => NumNode::Latest(*m),
        Node::Percent { metric, lookback } => NumNode::Percent {
            metric: *metric,
            lookback: *lookback,
        },
        Node::Call {
            function,
            args,
            span,
        } if is_aggregate(*function) => {
            let args: Vec<NumArg> = args
                .iter()
                .map(|(a, s)| aggregate_arg(a, *s, numeric_slots))
                .collect();
            let foldable = matches!(
                function,
                Function::Avg | Function::Sum | Function::Min | Function::Max
            );
            let numbers: Option<Vec<NumNode>> = args
                .iter()
                .map(|a| match a {
                    NumArg::Num(n) => Some(n.clone()),
                    _ => None,
                })
                .collect();
            match (numbers, args.as_slice()) {
                (Some(numbers), _) if foldable => NumNode::Fold {
                    function: *function,
                    args: numbers,
                    span: *span,
                },
                (
                    _,
                    [NumArg::Window {
                        metric,
                        lookback,
                        wanted,
                        paren,
                    }],
                ) => NumNode::WindowAggregate {
                    function: *function,
                    metric: *metric,
                    lookback: *lookback,
                    wanted: *wanted,
                    paren: *paren,
                    span: *span,
                },
                _ => NumNode::Aggregate {
                    function: *function,
                    args,
                    span: *span,
                },
            }
        }
        Node::Unary { op, operand, .. } => NumNode::Unary {
            op: *op,
            operand: Box::new(num(operand)?),
        },
        Node::Chain { first, rest } => NumNode::Chain {
            first: Box::new(num(first)?),
            rest: rest
                .iter()
                .map(|(op, rhs, _)| Some((*op, num(rhs)?)))
                .collect::<Option<_>>()?,
        },
        Node::Cond {
            branches,
            otherwise,
        } => NumNode::Cond {
            branches: branches
                .iter()
                .map(|(c, _, t)| Some((num(c)?, num(t)?)))
                .collect::<Option<_>>()?,
            otherwise: Box::new(num(otherwise)?),
        },
        _ => return None,
    })
}

fn aggregate_arg(node: &Node, span: Span, numeric_slots: &[bool]) -> NumArg {
    match node {
        Node::Newest {
            metric,
            count,
            paren,
        } => NumArg::Newest {
            metric: *metric,
            count: *count,
            paren: *paren,
        },
        Node::Window {
            metric,
            lookback,
            wanted,
            paren,
        } => NumArg::Window {
            metric: *metric,
            lookback: *lookback,
            wanted: *wanted,
            paren: *paren,
        },
        other => match numeric(other, numeric_slots) {
            Some(n) => NumArg::Num(n),
            None => NumArg::Any(other.clone(), span),
        },
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
