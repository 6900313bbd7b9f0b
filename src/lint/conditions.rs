//! Conditions that are always true or always false, found by interval
//! reasoning on comparisons of one expression against constants
//! (`weekday < 1 && weekday > 5` can never hold).

use super::facts::{Env, Facts};
use crate::syntax::{BinaryOp, Expr, ExprKind, UnaryOp};

/// One interval of the real line, with open or closed ends.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Interval {
    lo: f64,
    lo_open: bool,
    hi: f64,
    hi_open: bool,
}

impl Interval {
    const ALL: Interval = Interval {
        lo: f64::NEG_INFINITY,
        lo_open: true,
        hi: f64::INFINITY,
        hi_open: true,
    };

    fn is_empty(self) -> bool {
        self.lo > self.hi || (self.lo == self.hi && (self.lo_open || self.hi_open))
    }

    fn intersect(self, o: Interval) -> Interval {
        let (lo, lo_open) = if self.lo > o.lo || (self.lo == o.lo && self.lo_open) {
            (self.lo, self.lo_open)
        } else {
            (o.lo, o.lo_open)
        };
        let (hi, hi_open) = if self.hi < o.hi || (self.hi == o.hi && self.hi_open) {
            (self.hi, self.hi_open)
        } else {
            (o.hi, o.hi_open)
        };
        Interval {
            lo,
            lo_open,
            hi,
            hi_open,
        }
    }

    /// Closed whole-number bounds of the integers inside.
    fn integers(self) -> Interval {
        let lo = if self.lo_open {
            self.lo.floor() + 1.0
        } else {
            self.lo.ceil()
        };
        let hi = if self.hi_open {
            self.hi.ceil() - 1.0
        } else {
            self.hi.floor()
        };
        Interval {
            lo,
            lo_open: !lo.is_finite(),
            hi,
            hi_open: !hi.is_finite(),
        }
    }
}

/// The values a subject may take: a union of intervals.
type Set = Vec<Interval>;

fn intersect(a: &Set, b: &Set) -> Set {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            let z = x.intersect(*y);
            if !z.is_empty() {
                out.push(z);
            }
        }
    }
    out
}

/// Whether `set` covers all of `range` (`integer`: only whole numbers matter).
fn covers(set: &Set, range: Interval, integer: bool) -> bool {
    let mut parts: Vec<Interval> = set.iter().map(|i| i.intersect(range)).collect();
    if integer {
        parts = parts.into_iter().map(Interval::integers).collect();
    }
    parts.retain(|i| !i.is_empty());
    parts.sort_by(|a, b| a.lo.total_cmp(&b.lo));
    let range = if integer { range.integers() } else { range };
    if range.is_empty() {
        return true;
    }
    if integer {
        // `next` is the smallest whole number not yet covered.
        let mut next = range.lo;
        for p in parts {
            if p.lo > next {
                break;
            }
            next = next.max(p.hi + 1.0);
        }
        return next > range.hi;
    }
    // `pos` is covered up to; `open` says whether `pos` itself still needs covering.
    let (mut pos, mut open) = (range.lo, !range.lo_open);
    for p in parts {
        let reaches = p.lo < pos || (p.lo == pos && (!p.lo_open || !open));
        if !reaches {
            break;
        }
        if p.hi > pos || (p.hi == pos && !p.hi_open) {
            pos = p.hi;
            open = p.hi_open;
        }
    }
    pos > range.hi || (pos == range.hi && (!open || range.hi_open))
}

fn range_of(f: Facts) -> Interval {
    Interval {
        lo: f.min.unwrap_or(f64::NEG_INFINITY),
        lo_open: f.min.is_none(),
        hi: f.max.unwrap_or(f64::INFINITY),
        hi_open: f.max.is_none(),
    }
}

/// A comparison of a subject against a constant, as the set it allows.
struct Constraint {
    subject: String,
    facts: Facts,
    set: Set,
}

fn comparison(env: &Env, e: &Expr) -> Option<Constraint> {
    let ExprKind::Chain { first, rest } = &e.unparen().kind else {
        return None;
    };
    let [link] = rest.as_slice() else {
        return None;
    };
    if !link.op.is_comparison() {
        return None;
    }
    let (lf, rf) = (env.facts(first), env.facts(&link.rhs));
    let (subject, facts, c, op) = match (lf.constant(), rf.constant()) {
        (None, Some(c)) => (first.unparen(), lf, c, link.op),
        (Some(c), None) => (link.rhs.unparen(), rf, c, flip(link.op)),
        _ => return None,
    };
    if facts.kind != super::facts::Kind::Number {
        return None;
    }
    let below = |open| Interval {
        hi: c,
        hi_open: open,
        ..Interval::ALL
    };
    let above = |open| Interval {
        lo: c,
        lo_open: open,
        ..Interval::ALL
    };
    let set = match op {
        BinaryOp::Lt => vec![below(true)],
        BinaryOp::Le => vec![below(false)],
        BinaryOp::Gt => vec![above(true)],
        BinaryOp::Ge => vec![above(false)],
        BinaryOp::Eq => vec![below(false).intersect(above(false))],
        BinaryOp::Ne => vec![below(true), above(true)],
        _ => return None,
    };
    Some(Constraint {
        subject: subject.to_string(),
        facts,
        set,
    })
}

fn flip(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::Le => BinaryOp::Ge,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::Ge => BinaryOp::Le,
        other => other,
    }
}

/// Whether the condition always holds (`Some(true)`) or never does (`Some(false)`).
pub fn truth(env: &Env, e: &Expr) -> Option<bool> {
    let e = e.unparen();
    if let Some(c) = comparison(env, e) {
        let range = range_of(c.facts);
        let possible = intersect(&c.set, &vec![range]);
        if !possible.iter().any(|i| {
            let i = if c.facts.integer { i.integers() } else { *i };
            !i.is_empty()
        }) {
            return Some(false);
        }
        return covers(&c.set, range, c.facts.integer).then_some(true);
    }
    match &e.kind {
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
            ..
        } => truth(env, operand).map(|t| !t),
        ExprKind::Chain { first, rest }
            if rest.iter().all(|l| l.op == BinaryOp::And)
                || rest.iter().all(|l| l.op == BinaryOp::Or) =>
        {
            let and = rest.first().is_some_and(|l| l.op == BinaryOp::And);
            let operands: Vec<&Expr> = std::iter::once(&**first)
                .chain(rest.iter().map(|l| &l.rhs))
                .collect();
            junction(env, &operands, and)
        }
        _ => None,
    }
}

fn junction(env: &Env, operands: &[&Expr], and: bool) -> Option<bool> {
    // A constant operand that decides the whole chain.
    if operands.iter().any(|o| truth(env, o) == Some(!and)) {
        return Some(!and);
    }
    // Comparisons of the same subject, combined.
    let mut by_subject: Vec<(String, Facts, Set)> = Vec::new();
    for o in operands {
        let Some(c) = comparison(env, o) else {
            continue;
        };
        match by_subject.iter_mut().find(|(s, _, _)| *s == c.subject) {
            Some((_, _, set)) => {
                if and {
                    *set = intersect(set, &c.set);
                } else {
                    set.extend(c.set);
                }
            }
            None => by_subject.push((c.subject, c.facts, c.set)),
        }
    }
    for (_, facts, set) in &by_subject {
        let range = range_of(*facts);
        if and {
            let possible = intersect(set, &vec![range]);
            let any = possible.iter().any(|i| {
                let i = if facts.integer { i.integers() } else { *i };
                !i.is_empty()
            });
            if !any {
                return Some(false);
            }
        } else if covers(set, range, facts.integer) {
            return Some(true);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse, StatementKind};
    use crate::Limits;

    fn judge(setup: &str, cond: &str) -> Option<bool> {
        let text = format!("{setup} c = {cond};");
        let ast = parse(&text, &Limits::default()).unwrap();
        let mut env = Env::default();
        let mut result = None;
        for s in &ast.statements {
            if let StatementKind::Assign { target, value } = &s.kind {
                result = truth(&env, value);
                env.assign(&target.text, env.facts(value));
            }
        }
        result
    }

    #[test]
    fn disjoint_comparisons_never_hold() {
        assert_eq!(judge("w = time().weekday;", "w < 1 && w > 5"), Some(false));
        assert_eq!(judge("", "time().hour > 23"), Some(false));
        assert_eq!(judge("", "$PendingTasks < 0"), Some(false));
    }

    #[test]
    fn covering_comparisons_always_hold() {
        assert_eq!(judge("", "time().hour >= 0"), Some(true));
        assert_eq!(judge("w = time().weekday;", "w < 3 || w >= 3"), Some(true));
        // Whole numbers: nothing lies strictly between 2 and 3.
        assert_eq!(
            judge("", "time().hour <= 2 || time().hour >= 3"),
            Some(true)
        );
    }

    #[test]
    fn ordinary_conditions_are_not_judged() {
        assert_eq!(judge("w = time().weekday;", "w >= 1 && w <= 5"), None);
        assert_eq!(judge("", "$PendingTasks > 0"), None);
        assert_eq!(judge("", "$CPUPercent < 2.5 || $CPUPercent > 2.5"), None);
    }
}
