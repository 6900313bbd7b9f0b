//! The names of a formula as an editor sees them: every name, call, method,
//! member and literal with its span and role, what a name refers to, and the
//! type a user variable holds.

use std::collections::HashMap;

use crate::builtins::{self, ServiceVariable, VariableInfo};
use crate::span::Span;
use crate::syntax::{Ast, BinaryOp, Expr, ExprKind, StatementKind, UnaryOp};
use crate::value::Type;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// The name an assignment writes.
    Assigned,
    /// A name read in an expression.
    Read,
    /// A function's name in a call.
    Function,
    /// A sample method's name.
    Method,
    /// A timestamp member's name.
    Member,
    /// A number literal.
    Number,
    /// A string literal.
    String,
    /// An operator.
    Operator,
}

/// One token of the syntax tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub span: Span,
    pub role: Role,
    /// The name as written (empty for literals and operators).
    pub name: String,
    /// The statement it belongs to.
    pub statement: usize,
}

/// What a name written in a formula refers to.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Referent {
    Service(&'static VariableInfo),
    Constant,
    Keyword,
    User,
}

/// What `name` refers to.
pub(crate) fn referent(name: &str) -> Referent {
    if let Some(info) = builtins::service_variable(name) {
        Referent::Service(info)
    } else if builtins::constant(name).is_some() {
        Referent::Constant
    } else if builtins::keyword(name).is_some() {
        Referent::Keyword
    } else {
        Referent::User
    }
}

/// Every token, in source order.
pub(crate) fn tokens(ast: &Ast) -> Vec<Token> {
    let mut out = Vec::new();
    for (i, statement) in ast.statements.iter().enumerate() {
        let mut push = |span: Span, role: Role, name: &str| {
            out.push(Token {
                span,
                role,
                name: name.to_string(),
                statement: i,
            })
        };
        match &statement.kind {
            StatementKind::Assign { target, value } => {
                push(target.span, Role::Assigned, &target.text);
                walk(value, &mut push);
            }
            StatementKind::Expr(e) => walk(e, &mut push),
        }
    }
    out.sort_by_key(|t| (t.span.start, t.span.end));
    out
}

fn walk(e: &Expr, push: &mut impl FnMut(Span, Role, &str)) {
    match &e.kind {
        ExprKind::Number(_) => push(e.span, Role::Number, ""),
        ExprKind::String(_) => push(e.span, Role::String, ""),
        ExprKind::Name(n) => push(n.span, Role::Read, &n.text),
        ExprKind::Call { name, args, .. } => {
            push(name.span, Role::Function, &name.text);
            args.iter().for_each(|a| walk(a, push));
        }
        ExprKind::Method {
            receiver,
            name,
            args,
            ..
        } => {
            walk(receiver, push);
            push(name.span, Role::Method, &name.text);
            args.iter().for_each(|a| walk(a, push));
        }
        ExprKind::Member { receiver, name } => {
            walk(receiver, push);
            push(name.span, Role::Member, &name.text);
        }
        ExprKind::Unary {
            op_span, operand, ..
        } => {
            push(*op_span, Role::Operator, "");
            walk(operand, push);
        }
        ExprKind::Chain { first, rest } => {
            walk(first, push);
            for link in rest {
                push(link.op_span, Role::Operator, "");
                walk(&link.rhs, push);
            }
        }
        ExprKind::Conditional {
            branches,
            otherwise,
        } => {
            for (condition, value) in branches {
                walk(condition, push);
                walk(value, push);
            }
            walk(otherwise, push);
        }
        ExprKind::Paren(inner) => walk(inner, push),
    }
}

/// The token under byte `offset` (a cursor just after a name still names it).
pub(crate) fn token_at(tokens: &[Token], offset: usize) -> Option<&Token> {
    tokens
        .iter()
        .filter(|t| t.span.start <= offset && offset <= t.span.end)
        .min_by_key(|t| t.span.len())
}

/// The tokens naming the same user variable as `token`.
pub(crate) fn same_variable<'t>(tokens: &'t [Token], token: &Token) -> Vec<&'t Token> {
    if !is_user_variable(token) {
        return Vec::new();
    }
    tokens
        .iter()
        .filter(|t| is_user_variable(t) && t.name == token.name)
        .collect()
}

/// Whether the token is a user variable, written or read.
pub(crate) fn is_user_variable(token: &Token) -> bool {
    matches!(token.role, Role::Assigned | Role::Read)
        && matches!(referent(&token.name), Referent::User)
}

/// The static type each user variable holds after statement `upto` (all
/// statements when `upto` is past the end); `None` where it depends on values.
pub(crate) fn variable_types(ast: &Ast, upto: usize) -> HashMap<String, Option<Type>> {
    let mut env = HashMap::new();
    for statement in ast.statements.iter().take(upto.saturating_add(1)) {
        if let StatementKind::Assign { target, value } = &statement.kind {
            if matches!(referent(&target.text), Referent::User) {
                let t = type_of(value, &env);
                env.insert(target.text.clone(), t);
            }
        }
    }
    env
}

/// The type of an expression, as far as it is known without running it.
fn type_of(e: &Expr, env: &HashMap<String, Option<Type>>) -> Option<Type> {
    match &e.kind {
        ExprKind::Number(_) => Some(Type::Double),
        ExprKind::String(_) => Some(Type::String),
        ExprKind::Paren(inner) => type_of(inner, env),
        ExprKind::Name(n) => match referent(&n.text) {
            Referent::Service(info) => Some(match info.variable {
                ServiceVariable::NodeDeallocationOption => Type::NodeDeallocationOption,
                _ => Type::Double,
            }),
            Referent::Constant => Some(Type::TimeInterval),
            Referent::Keyword => Some(Type::NodeDeallocationOption),
            Referent::User => env.get(&n.text).copied().flatten(),
        },
        ExprKind::Call { name, args, .. } => {
            let info = builtins::function(&name.text)?;
            info.returns.or_else(|| {
                // The rounding and logarithm functions keep a lone number a number.
                match args.as_slice() {
                    [one] if type_of(one, env) == Some(Type::Double) => Some(Type::Double),
                    _ => None,
                }
            })
        }
        ExprKind::Method { name, .. } => builtins::method(&name.text).map(|m| m.returns),
        ExprKind::Member { .. } => Some(Type::Double),
        ExprKind::Unary { op, operand, .. } => match op {
            UnaryOp::Not => Some(Type::Double),
            UnaryOp::Neg => type_of(operand, env),
        },
        ExprKind::Chain { first, rest } => {
            let mut acc = type_of(first, env);
            for link in rest {
                let rhs = type_of(&link.rhs, env);
                acc = binary(link.op, acc?, rhs?);
            }
            acc
        }
        ExprKind::Conditional {
            branches,
            otherwise,
        } => {
            let t = type_of(otherwise, env);
            branches
                .iter()
                .all(|(_, v)| type_of(v, env) == t)
                .then_some(t)
                .flatten()
        }
    }
}

/// Result types of the operators (spec §2.3) for the operand types that have one.
fn binary(op: BinaryOp, lhs: Type, rhs: Type) -> Option<Type> {
    use Type::{Double, DoubleVec, TimeInterval, Timestamp};
    match op {
        BinaryOp::Or
        | BinaryOp::And
        | BinaryOp::Eq
        | BinaryOp::Ne
        | BinaryOp::Lt
        | BinaryOp::Le
        | BinaryOp::Gt
        | BinaryOp::Ge => Some(Double),
        BinaryOp::Add | BinaryOp::Sub => match (lhs, rhs) {
            (Timestamp, TimeInterval) | (TimeInterval, Timestamp) => Some(Timestamp),
            (Timestamp, Timestamp) if op == BinaryOp::Sub => Some(TimeInterval),
            (TimeInterval, TimeInterval) => Some(TimeInterval),
            (Double, Double) => Some(Double),
            (DoubleVec, Double) | (Double, DoubleVec) | (DoubleVec, DoubleVec) => Some(DoubleVec),
            _ => None,
        },
        BinaryOp::Mul | BinaryOp::Div => match (lhs, rhs) {
            (TimeInterval, Double) | (Double, TimeInterval) => Some(TimeInterval),
            (TimeInterval, TimeInterval) if op == BinaryOp::Div => Some(Double),
            (Double, Double) => Some(Double),
            (DoubleVec, Double) | (Double, DoubleVec) | (DoubleVec, DoubleVec) => Some(DoubleVec),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    fn types(text: &str) -> HashMap<String, Option<Type>> {
        let ast = crate::syntax::parse(text, &Limits::default()).unwrap();
        variable_types(&ast, usize::MAX)
    }

    #[test]
    fn user_variable_types_follow_the_builtins_table() {
        let t = types(
            "a = $PendingTasks.GetSample(1); b = avg(a); c = TimeInterval_Minute * 5; \
             d = time() - c; e = a > 1; f = $PendingTasks.GetSamplePercent(c);",
        );
        assert_eq!(t["a"], Some(Type::DoubleVec));
        assert_eq!(t["b"], Some(Type::Double));
        assert_eq!(t["c"], Some(Type::TimeInterval));
        assert_eq!(t["d"], Some(Type::Timestamp));
        assert_eq!(t["e"], Some(Type::Double));
        assert_eq!(t["f"], Some(Type::Double));
    }
}
