//! Expression evaluation over a frame: the program's nodes, the context and the
//! variables as they stand before the current statement.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};

use rand_chacha::ChaCha8Rng;

use super::error::{EvalError, EvalErrorKind, Fail};
use super::observe::Observer;
use super::Targets;
use crate::builtins::Metric;
use crate::check::{CheckErrorKind, Constant, Node};
use crate::context::{EvalContext, Series};
use crate::limits::Limits;
use crate::ops::BinaryOp;
use crate::span::Span;
use crate::value::{self, NodeDeallocationOption, Val, Value};

/// What one statement's evaluation reads.
pub(crate) struct Frame<'a> {
    pub ctx: &'a EvalContext,
    pub vars: &'a [Option<Value>],
    /// User-variable names by slot, for errors.
    pub names: &'a [String],
    pub targets: &'a Targets,
    pub dealloc: NodeDeallocationOption,
    pub limits: &'a Limits,
    /// `limits.max_eval_steps`, at hand for every step.
    pub max_steps: u64,
    pub steps: &'a Cell<u64>,
    pub rng: Rng<'a>,
    pub bounds: &'a Bounds,
    /// Who hears the run's decisions (`explain`); `None` in ordinary runs.
    pub observer: Option<&'a RefCell<dyn Observer>>,
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
/// instant: formulas ask for the same window several times (Example 2 reads
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

impl<'a> Frame<'a> {
    /// Counts `n` units of work against the budget.
    #[inline]
    pub(super) fn tick(&self, n: u64) -> Result<(), Fail> {
        let steps = self.steps.get().saturating_add(n);
        self.steps.set(steps);
        if steps > self.max_steps {
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

    /// Evaluates a node. Recursion follows the tree, whose depth the parser bounds.
    pub(crate) fn eval(&self, node: &'a Node) -> Result<Val<'a>, Fail> {
        self.tick(1)?;
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
            Node::Target(kind) => Ok(Val::Num(self.targets.read(*kind, &self.ctx.pool))),
            Node::Dealloc => Ok(Val::Dealloc(self.dealloc)),
            Node::Pool(p) => Ok(Val::Num(super::numeric::pool_value(&self.ctx.pool, *p))),
            Node::Latest(m) => Ok(Val::Num(self.latest(*m))),
            Node::Newest {
                metric,
                count,
                paren,
            } => self.newest(*metric, *count, *paren),
            Node::Window {
                metric,
                lookback,
                wanted,
                paren,
            } => self.lookback_window(*metric, *lookback, *wanted, *paren),
            Node::Percent { metric, lookback } => {
                Ok(Val::Num(self.lookback_percent(*metric, *lookback)))
            }
            Node::Sample {
                metric,
                method,
                args,
                paren,
            } => self.sample(*metric, *method, args, *paren),
            Node::Call {
                function,
                args,
                span,
            } => self.call(*function, args, *span),
            Node::Member { of, member, span } => match self.eval(of)? {
                Val::Time(t) => Ok(Val::Num(t.member(*member))),
                other => Err(self.wrong_type("member access", "timestamp", &other, *span)),
            },
            Node::Unary { op, operand, span } => {
                let v = self.eval(operand)?;
                value::unary(*op, &v).map_err(|e| {
                    Fail::from(EvalError {
                        kind: e.into(),
                        span: *span,
                    })
                })
            }
            Node::Chain { first, rest } => {
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
                                Val::Num(if left { 1.0 } else { 0.0 })
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
            } => {
                for (cond, span, then) in branches {
                    let c = self.eval(cond)?;
                    let took_then = self.truthy(&c, *span)?;
                    if let (Some(o), Val::Num(x)) = (self.observer, &c) {
                        o.borrow_mut().branch(*span, *x, took_then);
                    }
                    if took_then {
                        return self.eval(then);
                    }
                }
                self.eval(otherwise)
            }
            Node::Fail(f) => Err(Fail::from(EvalError {
                kind: EvalErrorKind::Check(f.kind.clone()),
                span: f.span,
            })),
        }
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
