//! Expression evaluation over a frame: the program's nodes, the context and the
//! variables as they stand before the current statement. One frame, two entry
//! points: [`Frame::num`] for number-typed nodes (plain `f64`, no value built)
//! and [`Frame::eval`] for the rest.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};

use rand_chacha::ChaCha8Rng;

use super::error::{EvalError, EvalErrorKind, Fail};
use super::observe::Observer;
use super::window::Resolved;
use super::Targets;
use crate::builtins::{Metric, PoolValue};
use crate::check::{CheckErrorKind, Constant, Node};
use crate::context::{EvalContext, PoolState, Series};
use crate::limits::Limits;
use crate::ops::{BinaryOp, UnaryOp};
use crate::span::Span;
use crate::value::{self, NodeDeallocationOption, Val, Value};

/// What one statement's evaluation reads, and the observer it reports to.
pub(crate) struct Frame<'a, 'o, O> {
    pub ctx: &'a EvalContext,
    pub vars: &'a [Option<Value>],
    /// User-variable names by slot, for errors.
    pub names: &'a [String],
    pub targets: &'a Targets,
    pub dealloc: NodeDeallocationOption,
    pub limits: &'a Limits,
    pub steps: &'a Cell<u64>,
    pub rng: Rng<'a>,
    pub bounds: &'a Bounds,
    /// The program's constant windows, each resolved on its first read of
    /// the run (a window id past the end is resolved on every read).
    pub windows: &'a [Cell<Option<Resolved>>],
    pub observer: &'o mut O,
}

/// The first index in `lo..hi` whose time is at or after `ticks`, given that
/// every time before `lo` is earlier and every time from `hi` on is not:
/// doubling steps from `lo`, then a binary search in the last step.
fn gallop(times: &[i64], lo: usize, hi: usize, ticks: i64) -> usize {
    // Every index before `from` is early; `probe` is late, or `hi`.
    let (mut from, mut probe, mut step) = (lo, lo, 1);
    while probe < hi && times.get(probe).is_some_and(|&t| t < ticks) {
        from = probe + 1;
        probe = lo + step;
        step *= 2;
    }
    let to = probe.min(hi).max(from);
    from + times
        .get(from..to)
        .map_or(0, |w| w.partition_point(|&t| t < ticks))
}

/// Sample indices found by binary search during one run, keyed by metric and
/// instant: formulas ask for the same instants several times (Example 2 reads
/// `GetSamplePercent(15 min)` and `GetSample(15 min)`, and `GetSample(1)` twice).
#[derive(Default)]
pub(crate) struct Bounds {
    entries: [Cell<Bound>; 4],
    next: Cell<usize>,
}

#[derive(Clone, Copy, Default)]
struct Bound {
    /// `Metric::index() + 1`; 0 marks an empty entry.
    metric: usize,
    ticks: i64,
    index: usize,
}

impl Bounds {
    /// Index of the first sample of `metric` at or after `ticks`. Indices
    /// found earlier in the run bound the search, which gallops from the
    /// nearest one: the second end of a window is a few samples away.
    #[inline(always)]
    pub(super) fn lower_bound(&self, metric: Metric, series: &Series, ticks: i64) -> usize {
        // Without gaps the index is arithmetic: cheaper than the cache.
        if series.is_gapless() {
            series.lower_bound(ticks)
        } else {
            self.searched(metric, series, ticks)
        }
    }

    /// `lower_bound` of a series with gaps: a search, bounded by the cache.
    #[inline(never)]
    fn searched(&self, metric: Metric, series: &Series, ticks: i64) -> usize {
        let key = metric.index() + 1;
        let times = series.times();
        let (mut lo, mut hi) = (0, times.len());
        for e in &self.entries {
            let b = e.get();
            if b.metric == key {
                if b.ticks == ticks {
                    return b.index;
                }
                if b.ticks < ticks {
                    lo = lo.max(b.index);
                } else {
                    hi = hi.min(b.index);
                }
            }
        }
        let index = if lo == 0 && hi == times.len() {
            series.lower_bound(ticks)
        } else {
            gallop(times, lo, hi, ticks)
        };
        let slot = self.next.get();
        if let Some(e) = self.entries.get(slot) {
            e.set(Bound {
                metric: key,
                ticks,
                index,
            });
        }
        self.next.set((slot + 1) % self.entries.len());
        index
    }
}

/// The generator behind `rand()`.
#[derive(Clone, Copy)]
pub(crate) enum Rng<'a> {
    /// Seeded from the context's seed on the first `rand()` of the run, so
    /// that formulas without `rand()` never pay for seeding.
    Lazy {
        seed: u64,
        cell: &'a RefCell<Option<ChaCha8Rng>>,
    },
    /// A generator the caller keeps across statements (the REPL).
    #[allow(dead_code)] // built by `Evaluator::statement`
    Seeded(&'a RefCell<ChaCha8Rng>),
}

impl Rng<'_> {
    /// The next number in `[0, 1)`.
    pub(super) fn next_f64(self) -> f64 {
        use rand::{Rng as _, SeedableRng};
        match self {
            Rng::Lazy { seed, cell } => cell
                .borrow_mut()
                .get_or_insert_with(|| ChaCha8Rng::seed_from_u64(seed))
                .random::<f64>(),
            Rng::Seeded(cell) => cell.borrow_mut().random::<f64>(),
        }
    }
}

/// `1.0` for true, `0.0` for false: the language's booleans.
#[inline(always)]
pub(super) fn truth(b: bool) -> f64 {
    if b {
        1.0
    } else {
        0.0
    }
}

/// A binary operator on two numbers (the double rows of spec §2.3).
#[inline]
pub(super) fn binary(op: BinaryOp, a: f64, b: f64) -> f64 {
    match op {
        BinaryOp::Add => a + b,
        BinaryOp::Sub => a - b,
        BinaryOp::Mul => a * b,
        BinaryOp::Div => a / b,
        BinaryOp::And => truth(a != 0.0 && b != 0.0),
        BinaryOp::Or => truth(a != 0.0 || b != 0.0),
        BinaryOp::Eq => truth(a == b),
        BinaryOp::Ne => truth(a != b),
        BinaryOp::Lt => truth(a < b),
        BinaryOp::Le => truth(a <= b),
        BinaryOp::Gt => truth(a > b),
        BinaryOp::Ge => truth(a >= b),
    }
}

/// A pool value read from the context.
#[inline]
pub(super) fn pool_value(pool: &PoolState, p: PoolValue) -> f64 {
    match p {
        PoolValue::CurrentDedicated => pool.current_dedicated_nodes,
        PoolValue::CurrentLowPriority => pool.current_low_priority_nodes,
        PoolValue::TaskSlotsPerNode => pool.task_slots_per_node,
        PoolValue::UsableNodeCount => pool
            .usable_node_count
            .unwrap_or(pool.current_dedicated_nodes + pool.current_low_priority_nodes),
    }
}

impl<'a, O: Observer> Frame<'a, '_, O> {
    /// Counts `n` units of work against the budget.
    #[inline]
    pub(super) fn tick(&self, n: u64) -> Result<(), Fail> {
        let steps = self.steps.get().saturating_add(n);
        self.steps.set(steps);
        if steps > self.limits.max_eval_steps {
            return Err(self.over_budget());
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn over_budget(&self) -> Fail {
        Fail::from(EvalError {
            kind: EvalErrorKind::WorkBudget {
                limit: self.limits.max_eval_steps,
            },
            span: Span::default(),
        })
    }

    /// A user variable read before any assignment to it ran.
    #[cold]
    #[inline(never)]
    pub(super) fn unset(&self, slot: usize, span: Span) -> Fail {
        let name = self.names.get(slot).map_or("", String::as_str);
        Fail::from(EvalError {
            kind: EvalErrorKind::Check(CheckErrorKind::undefined_variable(name)),
            span,
        })
    }

    #[cold]
    pub(super) fn invalid(&self, message: impl Into<String>, span: Span) -> Fail {
        Fail::from(EvalError {
            kind: EvalErrorKind::InvalidArgument(message.into()),
            span,
        })
    }

    #[cold]
    pub(super) fn wrong_type(
        &self,
        what: &str,
        expected: &str,
        found: &Val<'_>,
        span: Span,
    ) -> Fail {
        Fail::from(EvalError {
            kind: EvalErrorKind::WrongType {
                what: what.to_string(),
                expected: expected.to_string(),
                found: found.type_of(),
            },
            span,
        })
    }

    /// Counts a new vector of `len` elements, failing past the vector limit.
    pub(super) fn check_len(&self, len: usize, span: Span) -> Result<(), Fail> {
        self.within_vector_limit(len, span)?;
        self.tick(len as u64)
    }

    /// Fails when `len` is past the vector limit; counts nothing (sample
    /// lists count their elements where they are read).
    #[inline]
    pub(super) fn within_vector_limit(&self, len: usize, span: Span) -> Result<(), Fail> {
        if len > self.limits.max_vector_len {
            return Err(self.vector_too_long(len, span));
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn vector_too_long(&self, len: usize, span: Span) -> Fail {
        Fail::from(EvalError {
            kind: EvalErrorKind::VectorTooLong {
                len,
                limit: self.limits.max_vector_len,
            },
            span,
        })
    }

    fn truthy(&self, v: &Val<'_>, span: Span) -> Result<bool, Fail> {
        match v {
            // NaN is not zero, so it counts as true.
            Val::Num(x) => Ok(*x != 0.0),
            other => Err(self.wrong_type("a condition", "double", other, span)),
        }
    }

    /// A user variable's number.
    #[inline(always)]
    fn user_num(&self, slot: usize, span: Span) -> Result<f64, Fail> {
        match self.vars.get(slot) {
            Some(Some(Value::Double(x))) => Ok(*x),
            // The checker proved this slot numeric and its assignment ran
            // before this statement; anything else is an unset variable.
            _ => Err(self.unset(slot, span)),
        }
    }

    /// The number entry point, for number-typed nodes: leaves without a
    /// call, the rest in `num_node`. The budget is charged per statement.
    #[inline]
    pub(crate) fn num(&mut self, node: &'a Node) -> Result<f64, Fail> {
        match node {
            Node::Const(Constant::Num(x)) => Ok(*x),
            Node::User { slot, span } => self.user_num(*slot, *span),
            Node::Target(kind) => Ok(self.targets.read(*kind, &self.ctx.pool)),
            _ => self.num_node(node),
        }
    }

    /// The number-typed nodes with children or sample reads.
    #[inline(never)]
    fn num_node(&mut self, node: &'a Node) -> Result<f64, Fail> {
        Ok(match node {
            Node::Const(Constant::Num(x)) => *x,
            Node::User { slot, span } => self.user_num(*slot, *span)?,
            Node::Target(kind) => self.targets.read(*kind, &self.ctx.pool),
            Node::Pool(p) => pool_value(&self.ctx.pool, *p),
            Node::Latest(m) => self.latest(*m),
            Node::Percent { window, span } => self.window_percent(*window, *span),
            Node::WindowAggregate {
                function,
                window,
                wanted,
                paren,
                sample_span,
                span,
            } => {
                let samples = self.window_samples(*window, *wanted, *paren, *sample_span)?;
                // Counted again as the aggregate's argument, as a list is.
                self.tick(samples.len() as u64)?;
                self.aggregate(*function, samples, *span)?
            }
            Node::Fold {
                function,
                args,
                span,
            } => self.fold(*function, args, *span)?,
            Node::Call {
                function,
                args,
                span,
            } if crate::check::is_aggregate(*function) => {
                self.aggregate(*function, args.as_slice(), *span)?
            }
            Node::Unary {
                op,
                operand,
                numeric: true,
                ..
            } => {
                let x = self.num(operand)?;
                match op {
                    UnaryOp::Neg => -x,
                    UnaryOp::Not => truth(x == 0.0),
                }
            }
            Node::Binary { op, a, b } => {
                let a = self.num(a)?;
                self.step(*op, a, b)?
            }
            Node::Chain {
                first,
                rest,
                numeric: true,
            } => {
                let mut acc = self.num(first)?;
                for (op, rhs, _) in rest {
                    acc = self.step(*op, acc, rhs)?;
                }
                acc
            }
            Node::Cond {
                branches,
                otherwise,
                numeric: true,
            } => {
                for (cond, span, then) in branches {
                    let c = self.num(cond)?;
                    // NaN is not zero, so it counts as true.
                    let took = c != 0.0;
                    self.observer.branch(*span, c, took);
                    if took {
                        return self.num(then);
                    }
                }
                self.num(otherwise)?
            }
            // A number-typed node of a general shape (`time().hour`).
            other => match self.eval(other)? {
                Val::Num(x) => x,
                v => return Err(self.wrong_type("a number", "double", &v, Span::default())),
            },
        })
    }

    /// One numeric operator of a chain: `&&`/`||` do not evaluate a
    /// deciding right side.
    #[inline]
    fn step(&mut self, op: BinaryOp, acc: f64, rhs: &'a Node) -> Result<f64, Fail> {
        Ok(match op {
            BinaryOp::And if acc == 0.0 => 0.0,
            BinaryOp::Or if acc != 0.0 => 1.0,
            _ => binary(op, acc, self.num(rhs)?),
        })
    }

    /// The general entry point. Recursion follows the tree, whose depth the
    /// parser bounds.
    pub(crate) fn eval(&mut self, node: &'a Node) -> Result<Val<'a>, Fail> {
        match node {
            Node::Const(c) => Ok(match c {
                Constant::Num(x) => Val::Num(*x),
                Constant::Interval(t) => Val::Interval(*t),
                Constant::Time(t) => Val::Time(*t),
                Constant::Str(s) => Val::Str(s),
                Constant::Dealloc(d) => Val::Dealloc(*d),
            }),
            Node::User { slot, span } => match self.vars.get(*slot) {
                Some(Some(v)) => Ok(v.as_val()),
                _ => Err(self.unset(*slot, *span)),
            },
            Node::Dealloc => Ok(Val::Dealloc(self.dealloc)),
            Node::Newest {
                metric,
                count,
                paren,
                span,
            } => self
                .newest_samples(*metric, *count, *paren, *span)
                .map(|s| Val::Vec(Cow::Borrowed(s))),
            Node::Window {
                window,
                wanted,
                paren,
                span,
            } => self
                .window_samples(*window, *wanted, *paren, *span)
                .map(|s| Val::Vec(Cow::Borrowed(s))),
            Node::Sample {
                metric,
                method,
                args,
                paren,
                span,
            } => self.sample(*metric, *method, args, *paren, *span),
            Node::Call {
                function,
                args,
                span,
            } => self.call(*function, args, *span),
            Node::Member { of, member, span } => match self.eval(of)? {
                Val::Time(t) => Ok(Val::Num(t.member(*member))),
                other => Err(self.wrong_type("member access", "timestamp", &other, *span)),
            },
            Node::Unary {
                op,
                operand,
                span,
                numeric: false,
            } => {
                let v = self.eval(operand)?;
                value::unary(*op, &v).map_err(|e| {
                    Fail::from(EvalError {
                        kind: e.into(),
                        span: *span,
                    })
                })
            }
            Node::Chain {
                first,
                rest,
                numeric: false,
            } => {
                let mut acc = self.eval(first)?;
                for (op, rhs, span) in rest {
                    acc = match op {
                        BinaryOp::And | BinaryOp::Or => {
                            let left = match &acc {
                                Val::Num(x) => *x != 0.0,
                                _ => {
                                    return Err(self.binary_error(*op, &acc, &Val::Num(0.0), *span))
                                }
                            };
                            // Short-circuit: the right side is not evaluated when the left decides.
                            if (*op == BinaryOp::And) != left {
                                Val::Num(truth(left))
                            } else {
                                let r = self.eval(rhs)?;
                                self.binary(*op, &acc, &r, *span)?
                            }
                        }
                        _ => {
                            let r = self.eval(rhs)?;
                            self.binary(*op, &acc, &r, *span)?
                        }
                    };
                }
                Ok(acc)
            }
            Node::Cond {
                branches,
                otherwise,
                numeric: false,
            } => {
                for (cond, span, then) in branches {
                    let c = self.eval(cond)?;
                    let took = self.truthy(&c, *span)?;
                    if let Val::Num(x) = c {
                        self.observer.branch(*span, x, took);
                    }
                    if took {
                        return self.eval(then);
                    }
                }
                self.eval(otherwise)
            }
            Node::Fail(f) => Err(self.check_failure(f)),
            // Number-typed: `num` takes them without building values.
            _ => self.num_node(node).map(Val::Num),
        }
    }

    #[cold]
    fn check_failure(&self, f: &crate::check::CheckError) -> Fail {
        Fail::from(EvalError {
            kind: EvalErrorKind::Check(f.kind.clone()),
            span: f.span,
        })
    }

    fn binary(&self, op: BinaryOp, l: &Val<'_>, r: &Val<'_>, span: Span) -> Result<Val<'a>, Fail> {
        let v = value::binary(op, l, r).map_err(|e| EvalError {
            kind: e.into(),
            span,
        })?;
        if let Val::Vec(Cow::Owned(v)) = &v {
            self.check_len(v.len(), span)?;
        }
        Ok(v)
    }

    #[cold]
    fn binary_error(&self, op: BinaryOp, l: &Val<'_>, r: &Val<'_>, span: Span) -> Fail {
        match value::binary(op, l, r) {
            Err(e) => Fail::from(EvalError {
                kind: e.into(),
                span,
            }),
            Ok(_) => self.invalid("invalid operands", span),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::gallop;

    #[test]
    fn gallop_agrees_with_a_binary_search() {
        let times: Vec<i64> = (0..200).map(|i| i * 3).collect();
        for ticks in -2..610 {
            let want = times.partition_point(|&t| t < ticks);
            for (lo, hi) in [(0, 200), (0, want), (want, 200), (want / 2, 200)] {
                let (lo, hi) = (lo.min(want), hi.max(want));
                assert_eq!(gallop(&times, lo, hi, ticks), want, "{ticks} in {lo}..{hi}");
            }
        }
    }
}
