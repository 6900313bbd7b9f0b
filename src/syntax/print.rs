//! The canonical printer: `Display` for the syntax tree. Printing then parsing
//! gives back the same tree (spans aside).

use std::fmt::{self, Display, Formatter, Write};

use super::ast::*;

impl Display for Ast {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for statement in &self.statements {
            writeln!(f, "{statement};")?;
        }
        Ok(())
    }
}

impl Display for Statement {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            StatementKind::Assign { target, value } => write!(f, "{} = {}", target.text, value),
            StatementKind::Expr(e) => write!(f, "{e}"),
        }
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Number(n) => f.write_str(&n.text),
            ExprKind::String(s) => write!(f, "\"{s}\""),
            ExprKind::Name(n) => f.write_str(&n.text),
            ExprKind::Call { name, args, .. } => {
                f.write_str(&name.text)?;
                write_args(f, args)
            }
            ExprKind::Method {
                receiver,
                name,
                args,
                ..
            } => {
                write!(f, "{receiver}{}{}", dot_after(receiver), name.text)?;
                write_args(f, args)
            }
            ExprKind::Member { receiver, name } => {
                write!(f, "{receiver}{}{}", dot_after(receiver), name.text)
            }
            ExprKind::Unary { op, operand, .. } => write!(f, "{}{operand}", op.symbol()),
            ExprKind::Chain { first, rest } => {
                write!(f, "{first}")?;
                for link in rest {
                    write!(f, " {} {}", link.op.symbol(), link.rhs)?;
                }
                Ok(())
            }
            ExprKind::Conditional {
                branches,
                otherwise,
            } => {
                for (cond, then) in branches {
                    write!(f, "{cond} ? {then} : ")?;
                }
                write!(f, "{otherwise}")
            }
            ExprKind::Paren(inner) => write!(f, "({inner})"),
        }
    }
}

/// The `.` before a member or method name. After a number it needs a space:
/// `2.Foo` would read as a malformed number, and `2.5.Foo` as well.
fn dot_after(receiver: &Expr) -> &'static str {
    if matches!(receiver.kind, ExprKind::Number(_)) {
        " ."
    } else {
        "."
    }
}

fn write_args(f: &mut Formatter<'_>, args: &[Expr]) -> fmt::Result {
    f.write_char('(')?;
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{arg}")?;
    }
    f.write_char(')')
}
