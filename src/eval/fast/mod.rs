//! The fast tier of `Evaluator::run`, for programs made only of
//! number-typed statements (and constant deallocation options), compiled
//! directly from the checked `Node` tree: plain `f64` trees with no step
//! counting, no errors built, and each distinct sample window resolved once
//! per run. It is kept because the one evaluator alone measured 2.1× its
//! instructions on Example 2 (docs/core-notes.md).
//!
//! It is exact by construction rather than by imitation:
//! - it runs only when the run's work is provably within the budget (a bound
//!   worked out at compile time from the node count and the series lengths),
//!   so the general path's counting could never have stopped it;
//! - on anything the general path would report as an error it gives up, and
//!   `run` evaluates the whole program again on the general path, which then
//!   raises that error, at its own position, with its own steps. A run is a
//!   pure function of the context (no `rand()` on the numeric path), so the
//!   second evaluation sees what the first saw.
//!
//! Window sharing is safe for the same reason: within one run `now` and the
//! series are fixed, so every read of `$M.GetSample(T)` resolves to the same
//! indices and percentage; each read still checks its own `wanted` percentage.

use super::expr::{binary, pool_value, truth};
use super::functions::{add_all, Extreme};
use super::window::EMPTY;
use super::Targets;
use crate::builtins::{Function, Metric, NodeKind, PoolValue};
use crate::context::{EvalContext, Series};
use crate::ops::{BinaryOp, UnaryOp};
use crate::span::Span;
use crate::value::{NodeDeallocationOption, Value};

/// Distinct windows (and newest-sample reads) a run remembers; any beyond
/// are resolved on every read.
const SHARED: usize = 4;

/// A program compiled for the fast path.
#[derive(Debug)]
pub(super) struct FastProgram {
    statements: Box<[FastStmt]>,
    /// Steps the general path can count, apart from sample elements.
    fixed_steps: u64,
    /// Per metric read: how many times its series' length can be counted.
    per_sample: Box<[(Metric, u64)]>,
}

#[derive(Debug)]
enum FastStmt {
    User {
        slot: usize,
        value: F,
    },
    Node {
        kind: NodeKind,
        alias: bool,
        span: Span,
        value: F,
    },
    Eval(F),
    Dealloc(NodeDeallocationOption),
}

/// A window resolved once per run: `$M.GetSample(T)` / `GetSamplePercent(T)`.
#[derive(Debug, Clone, Copy)]
struct WindowRef {
    /// Index into the run's window table.
    id: usize,
    metric: Metric,
    lookback: i64,
}

/// The newest samples of a metric, at or before now.
#[derive(Debug, Clone, Copy)]
struct NewestRef {
    /// Index into the run's newest-sample table.
    id: usize,
    metric: Metric,
}

#[derive(Debug)]
enum F {
    Const(f64),
    User(usize),
    Target(NodeKind),
    Pool(PoolValue),
    Latest(NewestRef),
    Percent(WindowRef),
    WindowAggregate {
        function: Function,
        window: WindowRef,
        wanted: f64,
    },
    /// `max`/`min` of two leaves: `min($x, 20)`.
    ExtremeLeaf {
        max: bool,
        a: Leaf,
        b: Leaf,
    },
    /// A binary operator on two leaves: `$x < 70`.
    BinaryLeaf {
        op: BinaryOp,
        a: Leaf,
        b: Leaf,
    },
    /// `max`/`min` of the newest sample (if any) and a number, in the
    /// order written.
    ExtremeNewest {
        max: bool,
        newest: NewestRef,
        newest_first: bool,
        other: Box<F>,
    },
    /// `max`/`min` of two numbers.
    Extreme2 {
        max: bool,
        a: Box<F>,
        b: Box<F>,
    },
    Aggregate {
        function: Function,
        args: Box<[Arg]>,
    },
    Unary {
        op: UnaryOp,
        operand: Box<F>,
    },
    Binary {
        op: BinaryOp,
        a: Box<F>,
        b: Box<F>,
    },
    Chain {
        first: Box<F>,
        rest: Box<[(BinaryOp, F)]>,
    },
    Cond {
        branches: Box<[(F, F)]>,
        otherwise: Box<F>,
    },
}

/// An operand read without evaluating anything.
#[derive(Debug, Clone, Copy)]
enum Leaf {
    Const(f64),
    User(usize),
    Target(NodeKind),
}

impl Leaf {
    fn of(f: &F) -> Option<Leaf> {
        match f {
            F::Const(x) => Some(Leaf::Const(*x)),
            F::User(slot) => Some(Leaf::User(*slot)),
            F::Target(kind) => Some(Leaf::Target(*kind)),
            _ => None,
        }
    }
}

#[derive(Debug)]
enum Arg {
    Num(F),
    Newest { newest: NewestRef, count: usize },
    Window { window: WindowRef, wanted: f64 },
}

mod compile;
#[cfg(test)]
mod tests;

impl FastProgram {
    /// Whether the general path is sure to count at most `max_steps` on
    /// `ctx`: a window is a slice of its series, so each sample read counts
    /// at most the series' length each time it is counted.
    ///
    /// It also declines when a series it reads is longer than
    /// `max_vector_len`: a sample list taken from it could then exceed the
    /// vector limit, which only the general path reports.
    #[inline]
    pub(super) fn fits(&self, ctx: &EvalContext, max_steps: u64, max_vector_len: usize) -> bool {
        let mut bound = self.fixed_steps;
        for &(metric, times) in self.per_sample.iter() {
            let len = ctx.series(metric).map_or(0, Series::len);
            if len > max_vector_len {
                return false;
            }
            bound = bound.saturating_add((len as u64).saturating_mul(times));
        }
        bound <= max_steps
    }

    /// Runs the program into `vars`, `targets` and `dealloc` (cleared by the
    /// caller). `false` when the general path would fail: the caller then
    /// runs the general path.
    pub(super) fn run(
        &self,
        ctx: &EvalContext,
        vars: &mut [Option<Value>],
        targets: &mut Targets,
        dealloc: &mut Option<NodeDeallocationOption>,
    ) -> bool {
        let mut run = Run {
            ctx,
            now: ctx.now.ticks(),
            vars,
            targets,
            failed: false,
            windows: [None; SHARED],
            newest: [None; SHARED],
        };
        for stmt in self.statements.iter() {
            match stmt {
                FastStmt::User { slot, value } => {
                    let x = run.eval(value);
                    match run.vars.get_mut(*slot) {
                        // The previous run's number: nothing to drop.
                        Some(Some(Value::Double(old))) => *old = x,
                        Some(place) => *place = Some(Value::Double(x)),
                        None => {}
                    }
                }
                FastStmt::Node {
                    kind,
                    alias,
                    span,
                    value,
                } => {
                    let x = run.eval(value);
                    run.targets.assign(*kind, *alias, x, *span);
                }
                FastStmt::Eval(value) => {
                    run.eval(value);
                }
                FastStmt::Dealloc(d) => *dealloc = Some(*d),
            }
        }
        // Checked once: after a failure the remaining statements compute
        // meaningless numbers, cheaply, and the caller discards them.
        !run.failed
    }
}

/// The samples from index `a` to `b` of the window `[start, end)` of `series`,
/// and the percentage (0-100) of the window's expected samples they make up
/// (as the one evaluator's `Resolved`).
#[inline]
fn coverage(series: &Series, a: usize, b: usize, start: i64, end: i64) -> (f64, &[f64]) {
    let samples = series.values().get(a..b.max(a)).unwrap_or(&[]);
    let period = series.period().ticks().max(1);
    let length = end.saturating_sub(start);
    let expected = (length.saturating_add(period - 1) / period).max(1);
    let pct = (100.0 * samples.len() as f64 / expected as f64).min(100.0);
    (pct, samples)
}

/// The bounds `[start, end)` of the window looking back `lookback` ticks
/// from `now` (ordered, as a window with a negative look-back is).
#[inline]
fn lookback_bounds(now: i64, lookback: i64) -> (i64, i64) {
    let start = now.saturating_sub(lookback);
    (start.min(now), start.max(now))
}

/// `series.lower_bound(end)` for the end of a window, which is usually now:
/// at or after the newest sample, found without arithmetic.
#[inline]
fn index_of_end(series: &Series, end: i64) -> usize {
    match series.times().last() {
        Some(&last) if last < end => series.len(),
        // Without gaps the times strictly increase: the newest is the first
        // at or after `end`.
        Some(&last) if last == end && series.is_gapless() => series.len() - 1,
        _ => series.lower_bound(end),
    }
}

/// `max(a, b)` or `min(a, b)` as the aggregate folds them: NaN if either is.
#[inline(always)]
fn extreme2(max: bool, a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if max {
        a.max(b)
    } else {
        a.min(b)
    }
}

/// One run's state.
struct Run<'r> {
    ctx: &'r EvalContext,
    now: i64,
    vars: &'r mut [Option<Value>],
    targets: &'r mut Targets,
    /// Set when the general path would have failed; values are then meaningless.
    failed: bool,
    /// Each window's percentage and samples, once resolved.
    windows: [Option<(f64, &'r [f64])>; SHARED],
    /// Each metric's index just past its newest sample at or before now.
    newest: [Option<usize>; SHARED],
}

impl<'r> Run<'r> {
    #[cold]
    fn fail(&mut self) -> f64 {
        self.failed = true;
        f64::NAN
    }

    /// A user variable's number; one not (yet) holding a number sends the run
    /// to the general path.
    #[inline(always)]
    fn user(&mut self, slot: usize) -> f64 {
        match self.vars.get(slot) {
            Some(Some(Value::Double(x))) => *x,
            _ => self.fail(),
        }
    }

    fn series(&self, metric: Metric) -> &'r Series {
        self.ctx.series(metric).unwrap_or(&EMPTY)
    }

    /// The window's percentage and samples, resolved on its first read.
    #[inline(never)]
    fn window(&mut self, w: WindowRef) -> (f64, &'r [f64]) {
        if let Some(Some(known)) = self.windows.get(w.id) {
            return *known;
        }
        let series = self.series(w.metric);
        let (start, end) = lookback_bounds(self.now, w.lookback);
        let (a, b) = (series.lower_bound(start), index_of_end(series, end));
        let resolved = coverage(series, a, b, start, end);
        if let Some(slot) = self.windows.get_mut(w.id) {
            *slot = Some(resolved);
        }
        resolved
    }

    /// The newest `count` samples at or before now.
    #[inline(never)]
    fn newest(&mut self, n: NewestRef, count: usize) -> &'r [f64] {
        let series = self.series(n.metric);
        let b = match self.newest.get(n.id) {
            Some(Some(b)) => *b,
            _ => {
                // Usually the newest sample is at or before now: no search.
                let b = match series.times().last() {
                    Some(&last) if last <= self.now => series.len(),
                    _ => series.lower_bound(self.now.saturating_add(1)),
                };
                if let Some(slot) = self.newest.get_mut(n.id) {
                    *slot = Some(b);
                }
                b
            }
        };
        series
            .values()
            .get(b.saturating_sub(count)..b)
            .unwrap_or(&[])
    }

    /// A window's samples, if it holds at least `wanted` percent of them.
    #[inline]
    fn samples(&mut self, w: WindowRef, wanted: f64) -> Option<&'r [f64]> {
        let (received, samples) = self.window(w);
        if received < wanted {
            self.failed = true;
            return None;
        }
        Some(samples)
    }

    #[inline(always)]
    fn leaf(&mut self, leaf: Leaf) -> f64 {
        match leaf {
            Leaf::Const(x) => x,
            Leaf::User(slot) => self.user(slot),
            Leaf::Target(kind) => self.targets.read(kind, &self.ctx.pool),
        }
    }

    /// `eval`, with leaves and operators on two leaves evaluated without a call.
    #[inline(always)]
    fn operand(&mut self, f: &F) -> f64 {
        match f {
            F::Const(x) => *x,
            F::User(slot) => self.user(*slot),
            F::BinaryLeaf { op, a, b } => {
                let a = self.leaf(*a);
                match op {
                    // Short-circuit: the right side is not read when the left decides.
                    BinaryOp::And if a == 0.0 => 0.0,
                    BinaryOp::Or if a != 0.0 => 1.0,
                    _ => binary(*op, a, self.leaf(*b)),
                }
            }
            F::ExtremeLeaf { max, a, b } => {
                let (a, b) = (self.leaf(*a), self.leaf(*b));
                extreme2(*max, a, b)
            }
            _ => self.eval(f),
        }
    }

    /// The value of `f`; the heavier cases are calls, which keeps this
    /// function's frame small.
    fn eval(&mut self, f: &F) -> f64 {
        match f {
            F::Const(x) => *x,
            F::User(slot) => self.user(*slot),
            F::Target(kind) => self.targets.read(*kind, &self.ctx.pool),
            F::Pool(p) => pool_value(&self.ctx.pool, *p),
            F::Latest(n) => self.newest(*n, 1).first().copied().unwrap_or(0.0),
            F::Percent(w) => self.window(*w).0,
            F::WindowAggregate {
                function,
                window,
                wanted,
            } => match self.samples(*window, *wanted) {
                Some(s) => self.fold(*function, s),
                None => f64::NAN,
            },
            F::Extreme2 { max, a, b } => {
                let (a, b) = (self.operand(a), self.operand(b));
                extreme2(*max, a, b)
            }
            F::BinaryLeaf { .. } | F::ExtremeLeaf { .. } => self.operand(f),
            F::ExtremeNewest {
                max,
                newest,
                newest_first,
                other,
            } => {
                let sample = self.newest(*newest, 1).first().copied();
                let x = self.operand(other);
                match (sample, newest_first) {
                    // A list of one: the fold's start value never wins.
                    (None, _) if x.is_nan() => f64::NAN,
                    (None, _) => x,
                    (Some(y), true) => extreme2(*max, y, x),
                    (Some(y), false) => extreme2(*max, x, y),
                }
            }
            F::Aggregate { function, args } => self.aggregate(*function, args),
            F::Unary { op, operand } => {
                let x = self.operand(operand);
                match op {
                    UnaryOp::Neg => -x,
                    UnaryOp::Not => truth(x == 0.0),
                }
            }
            F::Binary { op, a, b } => {
                let a = self.operand(a);
                self.step(*op, a, b)
            }
            F::Chain { first, rest } => {
                let mut acc = self.operand(first);
                for (op, rhs) in rest.iter() {
                    acc = self.step(*op, acc, rhs);
                }
                acc
            }
            F::Cond {
                branches,
                otherwise,
            } => {
                for (cond, then) in branches.iter() {
                    // NaN is not zero, so it counts as true.
                    if self.operand(cond) != 0.0 {
                        return self.operand(then);
                    }
                }
                self.operand(otherwise)
            }
        }
    }

    /// One operator of a chain: `&&`/`||` do not evaluate a deciding right side.
    #[inline]
    fn step(&mut self, op: BinaryOp, acc: f64, rhs: &F) -> f64 {
        match op {
            BinaryOp::And if acc == 0.0 => 0.0,
            BinaryOp::Or if acc != 0.0 => 1.0,
            _ => binary(op, acc, self.operand(rhs)),
        }
    }

    #[inline(never)]
    fn aggregate(&mut self, function: Function, args: &[Arg]) -> f64 {
        let max = function == Function::Max;
        let (mut sum, mut extreme) = (0.0, Extreme::new(max));
        let mut n = 0usize;
        for arg in args {
            let x;
            let s: &[f64] = match arg {
                Arg::Num(f) => {
                    x = self.operand(f);
                    std::slice::from_ref(&x)
                }
                Arg::Newest { newest, count } => self.newest(*newest, *count),
                Arg::Window { window, wanted } => match self.samples(*window, *wanted) {
                    Some(s) => s,
                    None => return f64::NAN,
                },
            };
            match function {
                Function::Max | Function::Min => extreme.feed(s, max),
                _ => {
                    sum = add_all(sum, s);
                    n += s.len();
                }
            }
        }
        self.finish(function, sum, n, &extreme)
    }

    /// `function` of one slice of numbers.
    #[inline(never)]
    fn fold(&mut self, function: Function, s: &[f64]) -> f64 {
        let max = function == Function::Max;
        let mut extreme = Extreme::new(max);
        let mut sum = 0.0;
        match function {
            Function::Max | Function::Min => extreme.feed(s, max),
            _ => sum = add_all(sum, s),
        }
        self.finish(function, sum, s.len(), &extreme)
    }

    /// The aggregate's value from its running sums; empty lists fail as in
    /// `aggregate`.
    fn finish(&mut self, function: Function, sum: f64, n: usize, extreme: &Extreme) -> f64 {
        match function {
            Function::Sum => sum,
            Function::Len => n as f64,
            Function::Avg if n > 0 => sum / n as f64,
            Function::Max | Function::Min if extreme.n > 0 => extreme.result(),
            _ => self.fail(),
        }
    }
}
