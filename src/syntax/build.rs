//! Pest pairs → AST, in one pass, with a nesting counter and no panics.
//!
//! Precedence is applied here with an operator stack (iterative), and chains
//! of one precedence level become one n-ary node, so no input can drive this
//! code deeper than the nesting limit.

use pest::iterators::Pair;

use super::ast::*;
use super::error::{SyntaxError, SyntaxErrorKind};
use super::grammar::Rule;
use crate::span::Span;

/// Builds AST nodes from pairs, refusing nesting deeper than `max_depth`.
pub struct Builder {
    max_depth: usize,
}

type Result<T> = std::result::Result<T, SyntaxError>;

/// Operands of one precedence segment, each with the operator before it.
type Segment = Vec<(Option<(BinaryOp, Span)>, Expr)>;

fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

/// A grammar/builder mismatch; reported as a syntax error rather than a panic.
fn internal(span: Span, what: &str) -> SyntaxError {
    SyntaxError {
        kind: SyntaxErrorKind::Unexpected {
            expected: vec![what.to_string()],
            found: "an unsupported construct".to_string(),
        },
        span,
    }
}

impl Builder {
    /// A builder with the given nesting limit.
    pub fn new(max_depth: usize) -> Self {
        Builder { max_depth }
    }

    /// Builds a statement from a `statement` pair.
    pub fn statement(&self, pair: Pair<'_, Rule>) -> Result<Statement> {
        let span = span_of(&pair);
        let inner = pair
            .into_inner()
            .next()
            .ok_or_else(|| internal(span, "a statement"))?;
        let kind = match inner.as_rule() {
            Rule::assignment => {
                let mut parts = inner.into_inner();
                let target = parts
                    .next()
                    .map(|p| self.name(&p))
                    .ok_or_else(|| internal(span, "a variable"))?;
                let value = parts
                    .find(|p| p.as_rule() == Rule::expr)
                    .ok_or_else(|| internal(span, "an expression"))?;
                StatementKind::Assign {
                    target,
                    value: self.expr(value, 0)?,
                }
            }
            Rule::expr => StatementKind::Expr(self.expr(inner, 0)?),
            _ => return Err(internal(span, "a statement")),
        };
        let span = match &kind {
            StatementKind::Assign { target, value } => target.span.to(value.span),
            StatementKind::Expr(e) => e.span,
        };
        Ok(Statement { kind, span })
    }

    fn name(&self, pair: &Pair<'_, Rule>) -> Name {
        Name {
            text: pair.as_str().to_string(),
            span: span_of(pair),
        }
    }

    fn check_depth(&self, depth: usize, span: Span) -> Result<()> {
        if depth > self.max_depth {
            return Err(SyntaxError {
                kind: SyntaxErrorKind::TooDeep {
                    depth,
                    limit: self.max_depth,
                },
                span,
            });
        }
        Ok(())
    }

    /// Builds an `expr` pair at nesting `depth`.
    fn expr(&self, pair: Pair<'_, Rule>, depth: usize) -> Result<Expr> {
        let span = span_of(&pair);
        self.check_depth(depth, span)?;
        let items = pair.into_inner();
        // Most expressions (arguments, right-hand sides) are one operand:
        // build it without the segment and operator-stack vectors.
        if let Some(only) = items
            .peek()
            .filter(|p| items.len() == 1 && p.as_rule() == Rule::operand)
        {
            return self.operand(only, depth);
        }
        // Split the flat run at `? :` (the loosest, right-associative operator);
        // each segment is a chain of binary operators.
        let mut segments: Vec<Segment> = vec![Vec::new()];
        let mut middles: Vec<Expr> = Vec::new();
        let mut pending_op: Option<(BinaryOp, Span)> = None;
        for item in items {
            let item_span = span_of(&item);
            match item.as_rule() {
                Rule::operand => {
                    let operand = self.operand(item, depth)?;
                    if let Some(seg) = segments.last_mut() {
                        seg.push((pending_op.take(), operand));
                    }
                }
                Rule::ternary => {
                    let middle = item
                        .into_inner()
                        .find(|p| p.as_rule() == Rule::expr)
                        .ok_or_else(|| internal(item_span, "an expression"))?;
                    middles.push(self.expr(middle, depth + 1)?);
                    segments.push(Vec::new());
                }
                _ => {
                    let op = binary_op(item.as_str())
                        .ok_or_else(|| internal(item_span, "an operator"))?;
                    pending_op = Some((op, item_span));
                }
            }
        }
        let mut built = Vec::with_capacity(segments.len());
        for seg in segments {
            built.push(reduce_segment(seg).ok_or_else(|| internal(span, "an operand"))?);
        }
        let otherwise = built.pop().ok_or_else(|| internal(span, "an operand"))?;
        if middles.is_empty() {
            return Ok(otherwise);
        }
        let branches: Vec<(Expr, Expr)> = built.into_iter().zip(middles).collect();
        let start = branches.first().map_or(otherwise.span, |(c, _)| c.span);
        Ok(Expr {
            span: start.to(otherwise.span),
            kind: ExprKind::Conditional {
                branches,
                otherwise: Box::new(otherwise),
            },
        })
    }

    /// Builds an `operand` pair: prefix operators, a primary, postfix accesses.
    fn operand(&self, pair: Pair<'_, Rule>, depth: usize) -> Result<Expr> {
        let span = span_of(&pair);
        let items = pair.into_inner();
        let mut prefixes: Vec<(UnaryOp, Span)> = Vec::new();
        let mut postfixes: Vec<Pair<'_, Rule>> = Vec::new();
        let mut primary: Option<Pair<'_, Rule>> = None;
        for item in items {
            match item.as_rule() {
                Rule::prefix => {
                    let op = if item.as_str() == "!" {
                        UnaryOp::Not
                    } else {
                        UnaryOp::Neg
                    };
                    prefixes.push((op, span_of(&item)));
                }
                Rule::postfix => postfixes.push(item),
                _ => primary = Some(item),
            }
        }
        let total = depth + prefixes.len() + postfixes.len();
        self.check_depth(total, span)?;
        let primary = primary.ok_or_else(|| internal(span, "an expression"))?;
        let mut expr = self.primary(primary, depth + prefixes.len())?;
        for post in postfixes {
            let post_span = span_of(&post);
            let mut parts = post.into_inner().filter(|p| p.as_rule() != Rule::dot);
            let name = parts
                .next()
                .map(|p| self.name(&p))
                .ok_or_else(|| internal(post_span, "a name"))?;
            // Spans end at the last token: a pair's own span may take in the
            // whitespace and comments that pest skipped before an optional part.
            expr = match parts.next() {
                Some(args) => {
                    let args_span = span_of(&args);
                    let args = self.args(args, depth)?;
                    Expr {
                        span: expr.span.to(args_span),
                        kind: ExprKind::Method {
                            receiver: Box::new(expr),
                            name,
                            args,
                            args_span,
                        },
                    }
                }
                None => Expr {
                    span: expr.span.to(name.span),
                    kind: ExprKind::Member {
                        receiver: Box::new(expr),
                        name,
                    },
                },
            };
        }
        for (op, op_span) in prefixes.into_iter().rev() {
            let whole = op_span.to(expr.span);
            expr = Expr {
                kind: ExprKind::Unary {
                    op,
                    op_span,
                    operand: Box::new(expr),
                },
                span: whole,
            };
        }
        Ok(expr)
    }

    fn primary(&self, pair: Pair<'_, Rule>, depth: usize) -> Result<Expr> {
        let span = span_of(&pair);
        let kind = match pair.as_rule() {
            Rule::number => {
                let text = pair.as_str();
                let value: f64 = text.parse().map_err(|_| internal(span, "a number"))?;
                if !value.is_finite() {
                    return Err(SyntaxError {
                        kind: SyntaxErrorKind::NumberOutOfRange {
                            text: text.to_string(),
                        },
                        span,
                    });
                }
                ExprKind::Number(Number {
                    value,
                    text: text.to_string(),
                })
            }
            Rule::string => {
                let text = pair
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::string_text)
                    .map_or(String::new(), |p| p.as_str().to_string());
                ExprKind::String(text)
            }
            Rule::variable => ExprKind::Name(self.name(&pair)),
            Rule::call => {
                let mut parts = pair.into_inner();
                let name = parts
                    .next()
                    .map(|p| self.name(&p))
                    .ok_or_else(|| internal(span, "a function name"))?;
                let args = parts.next().ok_or_else(|| internal(span, "`(`"))?;
                let args_span = span_of(&args);
                ExprKind::Call {
                    name,
                    args: self.args(args, depth)?,
                    args_span,
                }
            }
            Rule::paren => {
                let inner = pair
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::expr)
                    .ok_or_else(|| internal(span, "an expression"))?;
                ExprKind::Paren(Box::new(self.expr(inner, depth + 1)?))
            }
            _ => return Err(internal(span, "an expression")),
        };
        Ok(Expr { kind, span })
    }

    fn args(&self, pair: Pair<'_, Rule>, depth: usize) -> Result<Vec<Expr>> {
        pair.into_inner()
            .filter(|p| p.as_rule() == Rule::expr)
            .map(|p| self.expr(p, depth + 1))
            .collect()
    }
}

fn binary_op(text: &str) -> Option<BinaryOp> {
    Some(match text {
        "||" => BinaryOp::Or,
        "&&" => BinaryOp::And,
        "==" => BinaryOp::Eq,
        "!=" => BinaryOp::Ne,
        "<" => BinaryOp::Lt,
        "<=" => BinaryOp::Le,
        ">" => BinaryOp::Gt,
        ">=" => BinaryOp::Ge,
        "+" => BinaryOp::Add,
        "-" => BinaryOp::Sub,
        "*" => BinaryOp::Mul,
        "/" => BinaryOp::Div,
        _ => return None,
    })
}

/// Applies precedence to `operand (op operand)*` with an operator stack; all
/// operators here are left-associative.
fn reduce_segment(items: Segment) -> Option<Expr> {
    let mut operands: Vec<Expr> = Vec::with_capacity(items.len());
    let mut ops: Vec<(BinaryOp, Span)> = Vec::new();
    for (op, operand) in items {
        if let Some((op, op_span)) = op {
            while let Some(&(top, _)) = ops.last() {
                if top.precedence() < op.precedence() {
                    break;
                }
                let (top, top_span) = ops.pop()?;
                apply(&mut operands, top, top_span)?;
            }
            ops.push((op, op_span));
        }
        operands.push(operand);
    }
    while let Some((op, op_span)) = ops.pop() {
        apply(&mut operands, op, op_span)?;
    }
    operands.pop()
}

/// Pops two operands and pushes `lhs op rhs`, extending `lhs` when it is an
/// unparenthesised chain of the same precedence.
fn apply(operands: &mut Vec<Expr>, op: BinaryOp, op_span: Span) -> Option<()> {
    let rhs = operands.pop()?;
    let lhs = operands.pop()?;
    let span = lhs.span.to(rhs.span);
    let link = Link { op, op_span, rhs };
    let merged = match lhs.kind {
        ExprKind::Chain { first, mut rest }
            if rest.first().map(|l| l.op.precedence()) == Some(op.precedence()) =>
        {
            rest.push(link);
            ExprKind::Chain { first, rest }
        }
        kind => ExprKind::Chain {
            first: Box::new(Expr {
                kind,
                span: lhs.span,
            }),
            rest: vec![link],
        },
    };
    operands.push(Expr { kind: merged, span });
    Some(())
}
