//! The typed syntax tree. Every node carries the byte span of its source text.
//!
//! Operator chains of one precedence level (`a + b - c`) and `? :` chains in the
//! else position (`a ? b : c ? d : e`) are n-ary nodes, so the depth of the tree
//! follows the nesting of brackets rather than the length of a chain.

use crate::span::Span;

/// A parsed formula: its statements and the spans of its comments.
#[derive(Debug, Clone, PartialEq)]
pub struct Ast {
    /// Statements in source order (empty statements are not kept).
    pub statements: Vec<Statement>,
    /// Spans of `//` comments, in source order (for the formatter).
    pub comments: Vec<Span>,
}

/// One statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// What the statement is.
    pub kind: StatementKind,
    /// Its source text, without the `;`.
    pub span: Span,
}

/// The two statement forms.
#[derive(Debug, Clone, PartialEq)]
pub enum StatementKind {
    /// `name = expr`.
    Assign {
        /// The assigned variable.
        target: Name,
        /// The assigned value.
        value: Expr,
    },
    /// A bare expression, evaluated for its effect (`stop()`) or its errors.
    Expr(Expr),
}

/// A name as written, including any leading `$`.
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    /// The text, e.g. `$TargetDedicatedNodes` or `startup`.
    pub text: String,
    /// Where it was written.
    pub span: Span,
}

/// An expression node.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Its source text.
    pub span: Span,
}

/// A number literal, keeping its text so that printing round-trips (`600.0`).
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    /// The value.
    pub value: f64,
    /// The digits as written.
    pub text: String,
}

/// Expression forms.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// `3`, `0.7`.
    Number(Number),
    /// `"Thu, 13 Oct 2016 19:18:47 GMT"` (the text between the quotes).
    String(String),
    /// A variable, constant or keyword: `$PendingTasks`, `span`, `TimeInterval_Minute`, `requeue`.
    Name(Name),
    /// `name(args)`.
    Call {
        /// The function name.
        name: Name,
        /// The arguments.
        args: Vec<Expr>,
        /// The span of the argument list, from `(` to `)`.
        args_span: Span,
    },
    /// `receiver.Method(args)`.
    Method {
        /// The object the method is called on.
        receiver: Box<Expr>,
        /// The method name.
        name: Name,
        /// The arguments.
        args: Vec<Expr>,
        /// The span of the argument list, from `(` to `)`.
        args_span: Span,
    },
    /// `receiver.member`.
    Member {
        /// The timestamp whose member is read.
        receiver: Box<Expr>,
        /// The member name.
        name: Name,
    },
    /// `-x` or `!x`.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// Where the operator was written.
        op_span: Span,
        /// The operand.
        operand: Box<Expr>,
    },
    /// A left-associative chain of binary operators of one precedence level.
    Chain {
        /// The leftmost operand.
        first: Box<Expr>,
        /// The following operators and operands, in order.
        rest: Vec<Link>,
    },
    /// `c1 ? t1 : c2 ? t2 : ... : otherwise`.
    Conditional {
        /// The (condition, value) pairs, tried in order.
        branches: Vec<(Expr, Expr)>,
        /// The value when every condition is false.
        otherwise: Box<Expr>,
    },
    /// `( expr )`, kept so that printing reproduces the user's grouping.
    Paren(Box<Expr>),
}

/// One `op operand` step of a [`ExprKind::Chain`].
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The operator.
    pub op: BinaryOp,
    /// Where the operator was written.
    pub op_span: Span,
    /// The right-hand operand.
    pub rhs: Expr,
}

// The operators are the vocabulary every stage shares: defined in the leaf
// `ops` module so that values and the checker need not import the syntax.
pub use crate::ops::{BinaryOp, UnaryOp};

impl Expr {
    /// The expression without its enclosing parentheses.
    pub fn unparen(&self) -> &Expr {
        let mut e = self;
        while let ExprKind::Paren(inner) = &e.kind {
            e = inner;
        }
        e
    }

    /// Direct children, in source order.
    pub fn children(&self) -> Vec<&Expr> {
        match &self.kind {
            ExprKind::Number(_) | ExprKind::String(_) | ExprKind::Name(_) => Vec::new(),
            ExprKind::Call { args, .. } => args.iter().collect(),
            ExprKind::Method { receiver, args, .. } => {
                std::iter::once(&**receiver).chain(args.iter()).collect()
            }
            ExprKind::Member { receiver, .. } => vec![receiver],
            ExprKind::Unary { operand, .. } => vec![operand],
            ExprKind::Chain { first, rest } => std::iter::once(&**first)
                .chain(rest.iter().map(|l| &l.rhs))
                .collect(),
            ExprKind::Conditional {
                branches,
                otherwise,
            } => branches
                .iter()
                .flat_map(|(c, t)| [c, t])
                .chain(std::iter::once(&**otherwise))
                .collect(),
            ExprKind::Paren(inner) => vec![inner],
        }
    }
}

/// Clearing spans, so that trees can be compared by shape alone.
pub trait WithoutSpans {
    /// A copy with every span set to `0..0`.
    fn without_spans(&self) -> Self;
}

impl WithoutSpans for Name {
    fn without_spans(&self) -> Self {
        Name {
            text: self.text.clone(),
            span: Span::default(),
        }
    }
}

impl WithoutSpans for Expr {
    fn without_spans(&self) -> Self {
        let kind = match &self.kind {
            ExprKind::Number(n) => ExprKind::Number(n.clone()),
            ExprKind::String(s) => ExprKind::String(s.clone()),
            ExprKind::Name(n) => ExprKind::Name(n.without_spans()),
            ExprKind::Call { name, args, .. } => ExprKind::Call {
                name: name.without_spans(),
                args: args.iter().map(Expr::without_spans).collect(),
                args_span: Span::default(),
            },
            ExprKind::Method {
                receiver,
                name,
                args,
                ..
            } => ExprKind::Method {
                receiver: Box::new(receiver.without_spans()),
                name: name.without_spans(),
                args: args.iter().map(Expr::without_spans).collect(),
                args_span: Span::default(),
            },
            ExprKind::Member { receiver, name } => ExprKind::Member {
                receiver: Box::new(receiver.without_spans()),
                name: name.without_spans(),
            },
            ExprKind::Unary { op, operand, .. } => ExprKind::Unary {
                op: *op,
                op_span: Span::default(),
                operand: Box::new(operand.without_spans()),
            },
            ExprKind::Chain { first, rest } => ExprKind::Chain {
                first: Box::new(first.without_spans()),
                rest: rest
                    .iter()
                    .map(|l| Link {
                        op: l.op,
                        op_span: Span::default(),
                        rhs: l.rhs.without_spans(),
                    })
                    .collect(),
            },
            ExprKind::Conditional {
                branches,
                otherwise,
            } => ExprKind::Conditional {
                branches: branches
                    .iter()
                    .map(|(c, t)| (c.without_spans(), t.without_spans()))
                    .collect(),
                otherwise: Box::new(otherwise.without_spans()),
            },
            ExprKind::Paren(inner) => ExprKind::Paren(Box::new(inner.without_spans())),
        };
        Expr {
            kind,
            span: Span::default(),
        }
    }
}

impl WithoutSpans for Statement {
    fn without_spans(&self) -> Self {
        let kind = match &self.kind {
            StatementKind::Assign { target, value } => StatementKind::Assign {
                target: target.without_spans(),
                value: value.without_spans(),
            },
            StatementKind::Expr(e) => StatementKind::Expr(e.without_spans()),
        };
        Statement {
            kind,
            span: Span::default(),
        }
    }
}

impl WithoutSpans for Ast {
    fn without_spans(&self) -> Self {
        Ast {
            statements: self.statements.iter().map(|s| s.without_spans()).collect(),
            comments: Vec::new(),
        }
    }
}
