//! What can be known about a value without running the formula: its likely
//! type, whether it is always a whole number, and bounds on it. The lints on
//! targets and conditions read these facts; unknown things are "anything".

use std::collections::HashMap;

use crate::builtins::{self, Metric, ServiceVariable};
use crate::syntax::{BinaryOp, Expr, ExprKind, UnaryOp};
use crate::value::Member;

/// The broad type of a value, as far as the lints need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A number (or a vector of numbers: facts describe its elements).
    Number,
    /// A time interval.
    Interval,
    /// A timestamp.
    Time,
    /// Anything else or not known.
    Other,
}

/// Facts about a value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Facts {
    /// The type.
    pub kind: Kind,
    /// Always a whole number.
    pub integer: bool,
    /// Smallest possible value, when bounded.
    pub min: Option<f64>,
    /// Largest possible value, when bounded.
    pub max: Option<f64>,
}

impl Facts {
    /// Nothing known.
    pub const ANY: Facts = Facts {
        kind: Kind::Other,
        integer: false,
        min: None,
        max: None,
    };

    fn number(integer: bool, min: Option<f64>, max: Option<f64>) -> Facts {
        Facts {
            kind: Kind::Number,
            integer,
            min,
            max,
        }
    }

    fn exact(x: f64) -> Facts {
        Facts::number(x.fract() == 0.0, Some(x), Some(x))
    }

    fn boolean() -> Facts {
        Facts::number(true, Some(0.0), Some(1.0))
    }

    fn count() -> Facts {
        Facts::number(true, Some(0.0), None)
    }

    fn of_kind(kind: Kind) -> Facts {
        Facts { kind, ..Facts::ANY }
    }

    /// Facts true of either value.
    pub fn union(self, other: Facts) -> Facts {
        Facts {
            kind: if self.kind == other.kind {
                self.kind
            } else {
                Kind::Other
            },
            integer: self.integer && other.integer,
            min: both(self.min, other.min, f64::min),
            max: both(self.max, other.max, f64::max),
        }
    }

    /// The value is a known constant.
    pub fn constant(self) -> Option<f64> {
        match (self.min, self.max) {
            (Some(a), Some(b)) if a == b => Some(a),
            _ => None,
        }
    }
}

fn both(a: Option<f64>, b: Option<f64>, f: fn(f64, f64) -> f64) -> Option<f64> {
    Some(f(a?, b?))
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Facts about the metrics: counts are whole numbers, all are non-negative.
pub fn metric_facts(metric: Metric) -> Facts {
    let whole = matches!(
        metric,
        Metric::SampleNodeCount
            | Metric::ActiveTasks
            | Metric::RunningTasks
            | Metric::PendingTasks
            | Metric::SucceededTasks
            | Metric::FailedTasks
            | Metric::PreemptedNodeCount
            | Metric::CurrentDedicatedNodes
            | Metric::CurrentLowPriorityNodes
    );
    let max = (metric == Metric::CpuPercent).then_some(100.0);
    Facts::number(whole, Some(0.0), max)
}

/// The range of a timestamp member. `weekday` allows 0 to 7 because both
/// numbering conventions (Sunday 0 and Sunday 7) are in use and the service's
/// is not documented; a lint must not call a condition constant on a guess.
pub fn member_facts(member: Member) -> Facts {
    let (lo, hi) = match member {
        Member::Year => (1.0, 9999.0),
        Member::Month => (1.0, 12.0),
        Member::Day => (1.0, 31.0),
        Member::Weekday => (0.0, 7.0),
        Member::Hour => (0.0, 23.0),
        Member::Minute | Member::Second => (0.0, 59.0),
    };
    Facts::number(true, Some(lo), Some(hi))
}

/// Facts of user variables, by name, as the statements assign them in order.
#[derive(Debug, Default, Clone)]
pub struct Env {
    vars: HashMap<String, Facts>,
}

impl Env {
    /// Records an assignment.
    pub fn assign(&mut self, name: &str, facts: Facts) {
        self.vars.insert(name.to_string(), facts);
    }

    /// Facts about `e`.
    pub fn facts(&self, e: &Expr) -> Facts {
        match &e.kind {
            ExprKind::Number(n) => Facts::exact(n.value),
            ExprKind::String(_) => Facts::ANY,
            ExprKind::Paren(inner) => self.facts(inner),
            ExprKind::Name(name) => self.name(&name.text),
            ExprKind::Member { name, .. } => {
                builtins::member(&name.text).map_or(Facts::ANY, member_facts)
            }
            ExprKind::Method { receiver, name, .. } => {
                let metric = match &receiver.unparen().kind {
                    ExprKind::Name(n) => sampled(&n.text),
                    _ => None,
                };
                match name.text.as_str() {
                    "GetSample" => metric.map_or(Facts::ANY, metric_facts),
                    "GetSamplePercent" => Facts::number(false, Some(0.0), Some(100.0)),
                    "Count" => Facts::count(),
                    "GetSamplePeriod" => Facts::of_kind(Kind::Interval),
                    "HistoryBeginTime" => Facts::of_kind(Kind::Time),
                    _ => Facts::ANY,
                }
            }
            ExprKind::Call { name, args, .. } => self.call(&name.text, args),
            ExprKind::Unary { op, operand, .. } => {
                let f = self.facts(operand);
                match op {
                    UnaryOp::Not => Facts::boolean(),
                    UnaryOp::Neg => Facts {
                        kind: f.kind,
                        integer: f.integer,
                        min: f.max.map(|x| -x),
                        max: f.min.map(|x| -x),
                    },
                }
            }
            ExprKind::Chain { first, rest } => {
                let mut acc = self.facts(first);
                for link in rest {
                    acc = binary(link.op, acc, self.facts(&link.rhs));
                }
                acc
            }
            ExprKind::Conditional {
                branches,
                otherwise,
            } => branches.iter().fold(self.facts(otherwise), |acc, (_, t)| {
                acc.union(self.facts(t))
            }),
        }
    }

    fn name(&self, text: &str) -> Facts {
        if let Some(info) = builtins::service_variable(text) {
            return match info.variable {
                ServiceVariable::Target { .. } | ServiceVariable::Pool(_) => Facts::count(),
                ServiceVariable::Sampled(m) => metric_facts(m),
                ServiceVariable::NodeDeallocationOption => Facts::ANY,
            };
        }
        if builtins::constant(text).is_some() {
            return Facts::of_kind(Kind::Interval);
        }
        self.vars.get(text).copied().unwrap_or(Facts::ANY)
    }

    fn call(&self, name: &str, args: &[Expr]) -> Facts {
        let facts: Vec<Facts> = args.iter().map(|a| self.facts(a)).collect();
        let all = || {
            facts
                .iter()
                .copied()
                .reduce(Facts::union)
                .unwrap_or(Facts::ANY)
        };
        let numbers = |f: Facts| Facts::number(f.integer, f.min, f.max);
        match name {
            "time" => Facts::of_kind(Kind::Time),
            "ceil" | "floor" | "round" => {
                let f = all();
                let min = match name {
                    "ceil" => f.min.map(f64::ceil),
                    "floor" => f.min.map(f64::floor),
                    _ => f.min.map(f64::round),
                };
                let max = match name {
                    "ceil" => f.max.map(f64::ceil),
                    "floor" => f.max.map(f64::floor),
                    _ => f.max.map(f64::round),
                };
                Facts::number(true, min, max)
            }
            "max" | "min" => {
                let Some(first) = facts.first().copied() else {
                    return Facts::ANY;
                };
                let pick: fn(f64, f64) -> f64 = if name == "max" { f64::max } else { f64::min };
                let (mut lo, mut hi) = (first.min, first.max);
                let mut integer = first.integer;
                for f in facts.iter().skip(1) {
                    integer &= f.integer;
                    // max: the result is at least every argument's minimum.
                    if name == "max" {
                        lo = match (lo, f.min) {
                            (Some(a), Some(b)) => Some(pick(a, b)),
                            (a, b) => a.or(b),
                        };
                        hi = both(hi, f.max, pick);
                    } else {
                        hi = match (hi, f.max) {
                            (Some(a), Some(b)) => Some(pick(a, b)),
                            (a, b) => a.or(b),
                        };
                        lo = both(lo, f.min, pick);
                    }
                }
                Facts::number(integer, lo, hi)
            }
            "avg" | "median" | "percentile" => {
                let f = all();
                Facts::number(false, f.min, f.max)
            }
            "val" | "vec" => numbers(all()),
            "sum" => {
                let f = all();
                // A sum of non-negative elements is non-negative.
                let min = f.min.filter(|&m| m >= 0.0).map(|_| 0.0);
                Facts::number(f.integer, min, None)
            }
            "count" | "len" => Facts::count(),
            "abs" => {
                let f = all();
                Facts::number(f.integer, Some(0.0), None)
            }
            "rand" => Facts::number(false, Some(0.0), Some(1.0)),
            _ => Facts::number(false, None, None),
        }
    }
}

fn sampled(name: &str) -> Option<Metric> {
    match builtins::service_variable(name)?.variable {
        ServiceVariable::Sampled(m) => Some(m),
        ServiceVariable::Pool(p) => p.history(),
        _ => None,
    }
}

fn binary(op: BinaryOp, l: Facts, r: Facts) -> Facts {
    use BinaryOp as B;
    if op.is_comparison() || matches!(op, B::And | B::Or) {
        return Facts::boolean();
    }
    match (l.kind, r.kind) {
        (Kind::Interval, Kind::Number) | (Kind::Number, Kind::Interval)
            if matches!(op, B::Mul | B::Div) =>
        {
            return Facts::of_kind(Kind::Interval)
        }
        (Kind::Time, Kind::Interval) | (Kind::Interval, Kind::Time) => {
            return Facts::of_kind(Kind::Time)
        }
        (Kind::Time, Kind::Time) if op == B::Sub => return Facts::of_kind(Kind::Interval),
        (Kind::Interval, Kind::Interval) if matches!(op, B::Add | B::Sub) => {
            return Facts::of_kind(Kind::Interval)
        }
        (Kind::Interval, Kind::Interval) if op == B::Div => {
            return Facts::number(false, None, None)
        }
        (Kind::Number, Kind::Number) => {}
        _ => return Facts::ANY,
    }
    let corners = |f: fn(f64, f64) -> f64| -> (Option<f64>, Option<f64>) {
        let (Some(a), Some(b), Some(c), Some(d)) = (l.min, l.max, r.min, r.max) else {
            return (None, None);
        };
        let xs = [f(a, c), f(a, d), f(b, c), f(b, d)];
        if xs.iter().any(|x| !x.is_finite()) {
            return (None, None);
        }
        let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (finite(lo), finite(hi))
    };
    match op {
        B::Add => Facts::number(
            l.integer && r.integer,
            both(l.min, r.min, |a, b| a + b),
            both(l.max, r.max, |a, b| a + b),
        ),
        B::Sub => Facts::number(
            l.integer && r.integer,
            both(l.min, r.max, |a, b| a - b),
            both(l.max, r.min, |a, b| a - b),
        ),
        B::Mul => {
            let (mut lo, mut hi) = corners(|a, b| a * b);
            let non_negative = l.min.is_some_and(|x| x >= 0.0) && r.min.is_some_and(|x| x >= 0.0);
            if non_negative && lo.is_none() {
                lo = Some(0.0);
                hi = None;
            }
            Facts::number(l.integer && r.integer, lo, hi)
        }
        B::Div => {
            let divisor_positive = r.min.is_some_and(|x| x > 0.0);
            let (lo, hi) = if divisor_positive {
                corners(|a, b| a / b)
            } else {
                (None, None)
            };
            let lo =
                lo.or_else(|| (divisor_positive && l.min.is_some_and(|x| x >= 0.0)).then_some(0.0));
            Facts::number(r.constant() == Some(1.0) && l.integer, lo, hi)
        }
        _ => Facts::ANY,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse, StatementKind};
    use crate::Limits;

    /// Facts of the last statement's value, after the earlier assignments.
    fn facts(text: &str) -> Facts {
        let ast = parse(text, &Limits::default()).unwrap();
        let mut env = Env::default();
        let mut last = Facts::ANY;
        for s in &ast.statements {
            match &s.kind {
                StatementKind::Assign { target, value } => {
                    last = env.facts(value);
                    env.assign(&target.text, last);
                }
                StatementKind::Expr(e) => last = env.facts(e),
            }
        }
        last
    }

    #[test]
    fn whole_numbers_and_bounds() {
        let f = facts("$PendingTasks.GetSample(1)");
        assert_eq!((f.integer, f.min, f.max), (true, Some(0.0), None));
        let f = facts("max(0, $CurrentDedicatedNodes - 3)");
        assert_eq!((f.integer, f.min), (true, Some(0.0)));
        let f = facts("$CurrentDedicatedNodes / 2");
        assert_eq!((f.integer, f.min), (false, Some(0.0)));
        let f = facts("ceil($CurrentDedicatedNodes / 2)");
        assert!(f.integer);
        let f = facts("min(10, 2.5)");
        assert_eq!((f.integer, f.min, f.max), (false, Some(2.5), Some(2.5)));
        let f = facts("a = 3; b = a * 2 + 1; b");
        assert_eq!(f.constant(), Some(7.0));
        let f = facts("time().hour < 3 ? 1 : 4");
        assert_eq!((f.integer, f.min, f.max), (true, Some(1.0), Some(4.0)));
    }

    #[test]
    fn kinds_of_time_values() {
        assert_eq!(facts("TimeInterval_Minute * 5").kind, Kind::Interval);
        assert_eq!(facts("time() - TimeInterval_Hour").kind, Kind::Time);
        assert_eq!(facts("time() - time()").kind, Kind::Interval);
    }
}
