//! The operations table of the spec (§2.3). Anything outside it is a type error.

use std::borrow::Cow;
use std::cmp::Ordering;

use super::{TimeInterval, Type, Val};
use crate::ops::{BinaryOp, UnaryOp};

/// Why an operation failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum OpError {
    /// The table has no row for these types: `"a" + 1`.
    #[error("operator '{op}' is not defined for {lhs} and {rhs}")]
    Binary {
        /// The operator.
        op: &'static str,
        /// Left operand type.
        lhs: Type,
        /// Right operand type.
        rhs: Type,
    },
    /// The table has no row for this prefix operator and type: `!time()`.
    #[error("operator '{op}' is not defined for {operand}")]
    Unary {
        /// The operator.
        op: &'static str,
        /// Operand type.
        operand: Type,
    },
    /// Component-wise operation on vectors of different lengths.
    #[error("doubleVec operands have different lengths ({lhs} and {rhs})")]
    LengthMismatch {
        /// Left length.
        lhs: usize,
        /// Right length.
        rhs: usize,
    },
    /// A timestamp outside the years 1-9999: `time() + 1e300 * TimeInterval_Year`.
    #[error("timestamp out of range")]
    TimestampOutOfRange,
    /// A time interval too large to represent.
    #[error("timeinterval out of range")]
    IntervalOutOfRange,
}

fn truth(b: bool) -> f64 {
    if b {
        1.0
    } else {
        0.0
    }
}

fn compare(op: BinaryOp, ord: Option<Ordering>) -> f64 {
    truth(match op {
        BinaryOp::Eq => ord == Some(Ordering::Equal),
        BinaryOp::Ne => ord != Some(Ordering::Equal),
        BinaryOp::Lt => ord == Some(Ordering::Less),
        BinaryOp::Le => matches!(ord, Some(Ordering::Less | Ordering::Equal)),
        BinaryOp::Gt => ord == Some(Ordering::Greater),
        BinaryOp::Ge => matches!(ord, Some(Ordering::Greater | Ordering::Equal)),
        _ => false,
    })
}

fn arith(op: BinaryOp, a: f64, b: f64) -> f64 {
    match op {
        BinaryOp::Add => a + b,
        BinaryOp::Sub => a - b,
        BinaryOp::Mul => a * b,
        _ => a / b,
    }
}

fn scale(t: TimeInterval, factor: f64, divide: bool) -> Result<TimeInterval, OpError> {
    let ticks = t.ticks() as f64;
    let scaled = if divide {
        ticks / factor
    } else {
        ticks * factor
    };
    TimeInterval::from_ticks_f64(scaled).ok_or(OpError::IntervalOutOfRange)
}

/// Applies a binary operator (spec §2.3). `&&` and `||` are evaluated here
/// without short-circuit; the evaluator short-circuits before calling this.
pub fn binary(op: BinaryOp, lhs: &Val<'_>, rhs: &Val<'_>) -> Result<Val<'static>, OpError> {
    use BinaryOp::*;
    let mismatch = || OpError::Binary {
        op: op.symbol(),
        lhs: lhs.type_of(),
        rhs: rhs.type_of(),
    };
    Ok(match (lhs, rhs) {
        (Val::Num(a), Val::Num(b)) => Val::Num(match op {
            Add | Sub | Mul | Div => arith(op, *a, *b),
            And => truth(*a != 0.0 && *b != 0.0),
            Or => truth(*a != 0.0 || *b != 0.0),
            _ => compare(op, a.partial_cmp(b)),
        }),
        (Val::Vec(a), Val::Num(b)) if matches!(op, Add | Sub | Mul | Div) => {
            Val::Vec(Cow::Owned(a.iter().map(|x| arith(op, *x, *b)).collect()))
        }
        (Val::Vec(a), Val::Vec(b)) if matches!(op, Add | Sub | Mul | Div) => {
            if a.len() != b.len() {
                return Err(OpError::LengthMismatch {
                    lhs: a.len(),
                    rhs: b.len(),
                });
            }
            Val::Vec(Cow::Owned(
                a.iter()
                    .zip(b.iter())
                    .map(|(x, y)| arith(op, *x, *y))
                    .collect(),
            ))
        }
        (Val::Num(a), Val::Interval(t)) if op == Mul => Val::Interval(scale(*t, *a, false)?),
        (Val::Interval(t), Val::Num(b)) if matches!(op, Mul | Div) => {
            Val::Interval(scale(*t, *b, op == Div)?)
        }
        (Val::Interval(a), Val::Interval(b)) => match op {
            Add => Val::Interval(a.checked_add(*b).ok_or(OpError::IntervalOutOfRange)?),
            Sub => Val::Interval(a.checked_sub(*b).ok_or(OpError::IntervalOutOfRange)?),
            _ if op.is_comparison() => Val::Num(compare(op, Some(a.cmp(b)))),
            _ => return Err(mismatch()),
        },
        (Val::Interval(t), Val::Time(s)) | (Val::Time(s), Val::Interval(t)) if op == Add => {
            Val::Time(s.checked_add(*t).ok_or(OpError::TimestampOutOfRange)?)
        }
        (Val::Time(a), Val::Time(b)) => match op {
            Sub => Val::Interval(a.since(*b)),
            _ if op.is_comparison() => Val::Num(compare(op, Some(a.cmp(b)))),
            _ => return Err(mismatch()),
        },
        (Val::Str(a), Val::Str(b)) if op.is_comparison() => Val::Num(compare(op, Some(a.cmp(b)))),
        _ => return Err(mismatch()),
    })
}

/// Applies a prefix operator: `-` on double and timeinterval, `!` on double.
pub fn unary(op: UnaryOp, operand: &Val<'_>) -> Result<Val<'static>, OpError> {
    match (op, operand) {
        (UnaryOp::Neg, Val::Num(x)) => Ok(Val::Num(-x)),
        (UnaryOp::Not, Val::Num(x)) => Ok(Val::Num(truth(*x == 0.0))),
        (UnaryOp::Neg, Val::Interval(t)) => Ok(Val::Interval(
            t.checked_neg().ok_or(OpError::IntervalOutOfRange)?,
        )),
        _ => Err(OpError::Unary {
            op: op.symbol(),
            operand: operand.type_of(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{TimeInterval, Timestamp};

    fn num(x: f64) -> Val<'static> {
        Val::Num(x)
    }

    fn vec(v: &[f64]) -> Val<'static> {
        Val::Vec(Cow::Owned(v.to_vec()))
    }

    fn secs(s: i64) -> Val<'static> {
        Val::Interval(TimeInterval::from_seconds(s))
    }

    fn at(s: i64) -> Val<'static> {
        Val::Time(
            Timestamp::from_ticks(s * 10_000_000).unwrap_or(Timestamp::from_ticks(0).unwrap()),
        )
    }

    #[test]
    fn double_rows() {
        assert_eq!(binary(BinaryOp::Add, &num(1.0), &num(2.0)), Ok(num(3.0)));
        assert_eq!(binary(BinaryOp::Sub, &num(1.0), &num(2.0)), Ok(num(-1.0)));
        assert_eq!(binary(BinaryOp::Mul, &num(3.0), &num(2.0)), Ok(num(6.0)));
        assert_eq!(binary(BinaryOp::Div, &num(1.0), &num(4.0)), Ok(num(0.25)));
        assert_eq!(
            binary(BinaryOp::Div, &num(1.0), &num(0.0)),
            Ok(num(f64::INFINITY))
        );
        assert_eq!(binary(BinaryOp::Lt, &num(1.0), &num(2.0)), Ok(num(1.0)));
        assert_eq!(binary(BinaryOp::Le, &num(2.0), &num(2.0)), Ok(num(1.0)));
        assert_eq!(binary(BinaryOp::Gt, &num(1.0), &num(2.0)), Ok(num(0.0)));
        assert_eq!(binary(BinaryOp::Ge, &num(1.0), &num(2.0)), Ok(num(0.0)));
        assert_eq!(binary(BinaryOp::Eq, &num(2.0), &num(2.0)), Ok(num(1.0)));
        assert_eq!(binary(BinaryOp::Ne, &num(2.0), &num(2.0)), Ok(num(0.0)));
        assert_eq!(binary(BinaryOp::And, &num(2.0), &num(0.0)), Ok(num(0.0)));
        assert_eq!(binary(BinaryOp::Or, &num(2.0), &num(0.0)), Ok(num(1.0)));
    }

    #[test]
    fn nan_compares_false_except_not_equal() {
        let nan = num(f64::NAN);
        assert_eq!(binary(BinaryOp::Eq, &nan, &nan), Ok(num(0.0)));
        assert_eq!(binary(BinaryOp::Ne, &nan, &nan), Ok(num(1.0)));
        assert_eq!(binary(BinaryOp::Lt, &nan, &num(1.0)), Ok(num(0.0)));
    }

    #[test]
    fn vector_rows() {
        assert_eq!(
            binary(BinaryOp::Mul, &vec(&[1.0, 2.0]), &num(2.0)),
            Ok(vec(&[2.0, 4.0]))
        );
        assert_eq!(
            binary(BinaryOp::Sub, &vec(&[1.0, 2.0]), &vec(&[0.5, 0.5])),
            Ok(vec(&[0.5, 1.5]))
        );
        assert_eq!(
            binary(BinaryOp::Add, &vec(&[1.0]), &vec(&[1.0, 2.0])),
            Err(OpError::LengthMismatch { lhs: 1, rhs: 2 })
        );
        assert!(binary(BinaryOp::Mul, &num(2.0), &vec(&[1.0])).is_err());
        assert!(binary(BinaryOp::Lt, &vec(&[1.0]), &num(2.0)).is_err());
    }

    #[test]
    fn time_rows() {
        assert_eq!(binary(BinaryOp::Mul, &num(15.0), &secs(60)), Ok(secs(900)));
        assert_eq!(binary(BinaryOp::Mul, &secs(60), &num(15.0)), Ok(secs(900)));
        assert_eq!(binary(BinaryOp::Div, &secs(60), &num(4.0)), Ok(secs(15)));
        assert_eq!(binary(BinaryOp::Add, &secs(60), &secs(30)), Ok(secs(90)));
        assert_eq!(binary(BinaryOp::Sub, &secs(60), &secs(30)), Ok(secs(30)));
        assert_eq!(binary(BinaryOp::Add, &at(100), &secs(30)), Ok(at(130)));
        assert_eq!(binary(BinaryOp::Add, &secs(30), &at(100)), Ok(at(130)));
        assert_eq!(binary(BinaryOp::Sub, &at(100), &at(40)), Ok(secs(60)));
        assert_eq!(binary(BinaryOp::Gt, &secs(2), &secs(1)), Ok(num(1.0)));
        assert_eq!(binary(BinaryOp::Lt, &at(1), &at(2)), Ok(num(1.0)));
        assert!(binary(BinaryOp::Div, &num(1.0), &secs(1)).is_err());
        assert!(binary(BinaryOp::Sub, &at(1), &secs(1)).is_err());
        assert!(binary(BinaryOp::Div, &secs(1), &secs(1)).is_err());
    }

    #[test]
    fn time_overflow_is_an_error() {
        assert_eq!(
            binary(BinaryOp::Mul, &num(1e300), &secs(1)),
            Err(OpError::IntervalOutOfRange)
        );
        assert_eq!(
            binary(BinaryOp::Div, &secs(1), &num(0.0)),
            Err(OpError::IntervalOutOfRange)
        );
        let year = Val::Interval(TimeInterval::from_seconds(365 * 86_400 * 9000));
        assert_eq!(
            binary(BinaryOp::Add, &at(0), &year),
            Err(OpError::TimestampOutOfRange)
        );
    }

    #[test]
    fn string_rows_compare_ordinally() {
        assert_eq!(
            binary(BinaryOp::Lt, &Val::Str("B"), &Val::Str("a")),
            Ok(num(1.0))
        );
        assert_eq!(
            binary(BinaryOp::Eq, &Val::Str("a"), &Val::Str("a")),
            Ok(num(1.0))
        );
        assert!(binary(BinaryOp::Add, &Val::Str("a"), &Val::Str("b")).is_err());
    }

    #[test]
    fn unary_rows() {
        assert_eq!(unary(UnaryOp::Neg, &num(2.0)), Ok(num(-2.0)));
        assert_eq!(unary(UnaryOp::Not, &num(2.0)), Ok(num(0.0)));
        assert_eq!(unary(UnaryOp::Not, &num(0.0)), Ok(num(1.0)));
        assert_eq!(unary(UnaryOp::Neg, &secs(5)), Ok(secs(-5)));
        assert!(unary(UnaryOp::Not, &secs(5)).is_err());
        assert!(unary(UnaryOp::Neg, &Val::Str("x")).is_err());
    }
}
