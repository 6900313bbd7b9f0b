//! The fast path of `Evaluator::run`, for programs made only of numeric
//! statements (and constant deallocation options): plain `f64` trees with no
//! step counting, no errors built, and each distinct sample window resolved
//! once per run.
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

use super::functions::{add_all, Extreme};
use super::numeric::{binary, pool_value, truth};
use super::window::{coverage, lookback_bounds, EMPTY};
use super::Targets;
use crate::builtins::{Function, Metric, NodeKind, PoolValue};
use crate::check::{Constant, Node, NumArg, NumNode, Program, StmtKind, Target};
use crate::context::{EvalContext, Series};
use crate::span::Span;
use crate::syntax::{BinaryOp, UnaryOp};
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

/// Compile-time state: shared tables and the step bound.
#[derive(Default)]
struct Builder {
    windows: Vec<(Metric, i64)>,
    newest: Vec<Metric>,
    fixed_steps: u64,
    per_sample: Vec<(Metric, u64)>,
    /// User slots assigned by the statements compiled so far.
    assigned: Vec<bool>,
}

impl Builder {
    fn step(&mut self, n: u64) {
        self.fixed_steps = self.fixed_steps.saturating_add(n);
    }

    fn samples(&mut self, metric: Metric, times: u64) {
        match self.per_sample.iter_mut().find(|(m, _)| *m == metric) {
            Some((_, n)) => *n = n.saturating_add(times),
            None => self.per_sample.push((metric, times)),
        }
    }

    fn window(&mut self, metric: Metric, lookback: i64) -> Option<WindowRef> {
        let id = match self.windows.iter().position(|w| *w == (metric, lookback)) {
            Some(id) => id,
            None => {
                self.windows.push((metric, lookback));
                self.windows.len() - 1
            }
        };
        Some(WindowRef {
            id,
            metric,
            lookback,
        })
    }

    fn newest(&mut self, metric: Metric) -> Option<NewestRef> {
        let id = match self.newest.iter().position(|m| *m == metric) {
            Some(id) => id,
            None => {
                self.newest.push(metric);
                self.newest.len() - 1
            }
        };
        Some(NewestRef { id, metric })
    }

    /// The fast form of `node`. Every node counts one step on the general
    /// path; sample reads count their elements too (see `numeric.rs`).
    fn node(&mut self, node: &NumNode) -> Option<F> {
        self.step(1);
        Some(match node {
            NumNode::Const(x) => F::Const(*x),
            NumNode::User { slot, .. } => {
                // Read before any assignment: the general path's error.
                if !self.assigned.get(*slot).copied().unwrap_or(false) {
                    return None;
                }
                F::User(*slot)
            }
            NumNode::Target(kind) => F::Target(*kind),
            NumNode::Pool(p) => F::Pool(*p),
            NumNode::Latest(m) => F::Latest(self.newest(*m)?),
            NumNode::Percent { metric, lookback } => {
                F::Percent(self.window(*metric, lookback.ticks())?)
            }
            NumNode::Fold { function, args, .. } => {
                let args = args
                    .iter()
                    .map(|a| self.node(a))
                    .collect::<Option<Vec<F>>>()?;
                self.aggregate(*function, args.into_iter().map(Arg::Num).collect())?
            }
            NumNode::WindowAggregate {
                function,
                metric,
                lookback,
                wanted,
                ..
            } => {
                // One step for the argument, the elements when read and
                // again when folded.
                self.step(1);
                self.samples(*metric, 2);
                supported(*function)?;
                F::WindowAggregate {
                    function: *function,
                    window: self.window(*metric, lookback.ticks())?,
                    wanted: *wanted,
                }
            }
            NumNode::Aggregate { function, args, .. } => {
                let args = args
                    .iter()
                    .map(|a| self.arg(a))
                    .collect::<Option<Vec<Arg>>>()?;
                self.aggregate(*function, args)?
            }
            NumNode::Unary { op, operand } => F::Unary {
                op: *op,
                operand: Box::new(self.node(operand)?),
            },
            NumNode::Chain { first, rest } => {
                let first = self.node(first)?;
                let mut rest = rest
                    .iter()
                    .map(|(op, rhs)| Some((*op, self.node(rhs)?)))
                    .collect::<Option<Vec<_>>>()?;
                match (rest.pop(), rest.is_empty()) {
                    (Some((op, b)), true) => match (Leaf::of(&first), Leaf::of(&b)) {
                        (Some(a), Some(b)) => F::BinaryLeaf { op, a, b },
                        _ => F::Binary {
                            op,
                            a: Box::new(first),
                            b: Box::new(b),
                        },
                    },
                    (last, _) => {
                        rest.extend(last);
                        F::Chain {
                            first: Box::new(first),
                            rest: rest.into_boxed_slice(),
                        }
                    }
                }
            }
            NumNode::Cond {
                branches,
                otherwise,
            } => F::Cond {
                branches: branches
                    .iter()
                    .map(|(c, t)| Some((self.node(c)?, self.node(t)?)))
                    .collect::<Option<_>>()?,
                otherwise: Box::new(self.node(otherwise)?),
            },
        })
    }

    fn arg(&mut self, arg: &NumArg) -> Option<Arg> {
        Some(match arg {
            NumArg::Num(n) => Arg::Num(self.node(n)?),
            NumArg::Newest { metric, count } => {
                // The argument, `count` when read, the elements when folded.
                self.step(1u64.saturating_add(*count as u64));
                self.samples(*metric, 1);
                Arg::Newest {
                    newest: self.newest(*metric)?,
                    count: *count,
                }
            }
            NumArg::Window {
                metric,
                lookback,
                wanted,
                ..
            } => {
                self.step(1);
                self.samples(*metric, 2);
                Arg::Window {
                    window: self.window(*metric, lookback.ticks())?,
                    wanted: *wanted,
                }
            }
            // Evaluated in general: not on the fast path.
            NumArg::Any(..) => return None,
        })
    }

    fn aggregate(&mut self, function: Function, args: Vec<Arg>) -> Option<F> {
        supported(function)?;
        let two_numbers = matches!(args.as_slice(), [Arg::Num(_), Arg::Num(_)]);
        let extreme = matches!(function, Function::Max | Function::Min);
        let max = function == Function::Max;
        // `max($M.GetSample(1), x)` and `max(x, $M.GetSample(1))`.
        if let (true, [Arg::Newest { newest, count: 1 }, Arg::Num(_)]) = (extreme, args.as_slice())
        {
            let newest = *newest;
            if let Some(Arg::Num(other)) = args.into_iter().nth(1) {
                return Some(F::ExtremeNewest {
                    max,
                    newest,
                    newest_first: true,
                    other: Box::new(other),
                });
            }
            return None;
        }
        if let (true, [Arg::Num(_), Arg::Newest { newest, count: 1 }]) = (extreme, args.as_slice())
        {
            let newest = *newest;
            if let Some(Arg::Num(other)) = args.into_iter().next() {
                return Some(F::ExtremeNewest {
                    max,
                    newest,
                    newest_first: false,
                    other: Box::new(other),
                });
            }
            return None;
        }
        if extreme && two_numbers {
            let mut args = args.into_iter();
            return match (args.next(), args.next()) {
                (Some(Arg::Num(a)), Some(Arg::Num(b))) => {
                    let max = function == Function::Max;
                    Some(match (Leaf::of(&a), Leaf::of(&b)) {
                        (Some(a), Some(b)) => F::ExtremeLeaf { max, a, b },
                        _ => F::Extreme2 {
                            max,
                            a: Box::new(a),
                            b: Box::new(b),
                        },
                    })
                }
                _ => None,
            };
        }
        Some(F::Aggregate {
            function,
            args: args.into_boxed_slice(),
        })
    }
}

/// The aggregates the fast path folds itself; the others stay general.
fn supported(function: Function) -> Option<()> {
    matches!(
        function,
        Function::Avg | Function::Sum | Function::Len | Function::Max | Function::Min
    )
    .then_some(())
}

impl FastProgram {
    /// The fast form of `program`, when every statement has one.
    pub(super) fn compile(program: &Program) -> Option<FastProgram> {
        let mut b = Builder {
            assigned: vec![false; program.symbols.names.len()],
            ..Builder::default()
        };
        let mut statements = Vec::with_capacity(program.statements.len());
        for stmt in &program.statements {
            let value = |b: &mut Builder| stmt.numeric.as_ref().and_then(|n| b.node(n));
            statements.push(match &stmt.kind {
                StmtKind::Assign {
                    target: Target::Dealloc,
                    value: Node::Const(Constant::Dealloc(d)),
                    ..
                } => {
                    b.step(1);
                    FastStmt::Dealloc(*d)
                }
                StmtKind::Assign {
                    target: Target::User(slot),
                    ..
                } => {
                    let value = value(&mut b)?;
                    *b.assigned.get_mut(*slot)? = true;
                    FastStmt::User { slot: *slot, value }
                }
                StmtKind::Assign {
                    target: Target::Node { kind, alias },
                    ..
                } => FastStmt::Node {
                    kind: *kind,
                    alias: *alias,
                    span: stmt.span,
                    value: value(&mut b)?,
                },
                StmtKind::Eval(_) => FastStmt::Eval(value(&mut b)?),
                StmtKind::Assign { .. } => return None,
            });
        }
        Some(FastProgram {
            statements: statements.into_boxed_slice(),
            fixed_steps: b.fixed_steps,
            per_sample: b.per_sample.into_boxed_slice(),
        })
    }

    /// Whether the general path could count more than `max_steps` on `ctx`.
    #[inline]
    pub(super) fn fits(&self, ctx: &EvalContext, max_steps: u64) -> bool {
        let mut bound = self.fixed_steps;
        for &(metric, times) in self.per_sample.iter() {
            let len = ctx.series(metric).map_or(0, Series::len) as u64;
            bound = bound.saturating_add(len.saturating_mul(times));
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
                    if let Some(place) = run.vars.get_mut(*slot) {
                        *place = Some(Value::Double(x));
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
            if run.failed {
                return false;
            }
        }
        true
    }
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
            Leaf::User(slot) => match self.vars.get(slot) {
                Some(Some(Value::Double(x))) => *x,
                _ => self.fail(),
            },
            Leaf::Target(kind) => self.targets.read(kind, &self.ctx.pool),
        }
    }

    /// `eval`, with leaves and operators on two leaves evaluated without a call.
    #[inline(always)]
    fn operand(&mut self, f: &F) -> f64 {
        match f {
            F::Const(x) => *x,
            F::User(slot) => match self.vars.get(*slot) {
                Some(Some(Value::Double(x))) => *x,
                _ => self.fail(),
            },
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
            F::User(slot) => match self.vars.get(*slot) {
                Some(Some(Value::Double(x))) => *x,
                _ => self.fail(),
            },
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

#[cfg(test)]
mod tests {
    use super::FastProgram;
    use crate::eval::{EvalError, EvalErrorKind, Outcome};
    use crate::{EvalContext, Formula, Limits, Metric, Series, TimeInterval, Timestamp, Value};

    const SECOND: i64 = 10_000_000;

    fn now() -> Timestamp {
        Timestamp::from_ticks(1_000_000 * SECOND).unwrap()
    }

    /// `n` samples of `$PendingTasks` valued 0, 1, …, n-1, one every 30 s,
    /// the newest (n-1) at `last`.
    fn counting(n: usize, last: Timestamp) -> Series {
        let values: Vec<Option<f64>> = (0..n).map(|i| Some(i as f64)).collect();
        Series::regular(TimeInterval::from_seconds(30), last, &values)
    }

    fn ctx(n: usize) -> EvalContext {
        EvalContext::builder(now())
            .target_dedicated_nodes(3.0)
            .metric(Metric::PendingTasks, counting(n, now()))
            .build()
    }

    fn formula(text: &str) -> Formula {
        Formula::parse(text).unwrap()
    }

    fn is_fast(f: &Formula) -> bool {
        FastProgram::compile(f.program()).is_some()
    }

    /// The run's outcome, the error and the results string, on the path
    /// `run` picks and on the general path.
    fn both(
        f: &Formula,
        ctx: &EvalContext,
        limits: Limits,
    ) -> [(Result<Outcome, EvalError>, String); 2] {
        let mut e = crate::eval::Evaluator::new(f.program(), limits);
        let picked = e.run(ctx);
        let picked_results = picked.as_ref().map(|o| e.results(o)).unwrap_or_default();
        let general = e.run_general(ctx);
        let general_results = general.as_ref().map(|o| e.results(o)).unwrap_or_default();
        [(picked, picked_results), (general, general_results)]
    }

    fn variable(f: &Formula, ctx: &EvalContext, name: &str) -> f64 {
        let mut e = f.evaluator();
        e.run(ctx).unwrap();
        match e.variable(name) {
            Some(Value::Double(x)) => *x,
            other => panic!("{name}: {other:?}"),
        }
    }

    const WINDOW: &str = "$PendingTasks.GetSample(TimeInterval_Minute * 15)";

    #[test]
    fn a_window_read_in_several_statements_gives_each_its_own_value() {
        // 40 samples valued 0..39, the newest (39) at now. The window
        // [now - 900 s, now) holds the samples 30 s to 900 s old: values 9
        // to 38, 30 of the 30 expected (100%), averaging 23.5.
        let text = format!(
            "$p = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 15);\n\
             $a = avg({WINDOW});\n\
             $n = len({WINDOW});\n\
             $m = max($PendingTasks.GetSample(1), avg({WINDOW}));\n\
             $ten = avg($PendingTasks.GetSample(TimeInterval_Minute * 10));"
        );
        let f = formula(&text);
        assert!(is_fast(&f));
        let ctx = ctx(40);
        assert_eq!(variable(&f, &ctx, "$p"), 100.0);
        assert_eq!(variable(&f, &ctx, "$a"), 23.5);
        assert_eq!(variable(&f, &ctx, "$n"), 30.0);
        assert_eq!(variable(&f, &ctx, "$m"), 39.0);
        // The 10-minute window is another one: values 19 to 38, average 28.5.
        assert_eq!(variable(&f, &ctx, "$ten"), 28.5);
    }

    #[test]
    fn each_read_of_a_shared_window_checks_its_own_percentage() {
        // 20 samples valued 0..19, the newest at now: the 15-minute window
        // holds the 19 older ones, 19 of 30 expected = 63.3%.
        let ctx = ctx(20);
        let first = format!(
            "$a = avg($PendingTasks.GetSample(TimeInterval_Minute * 15, 60));\n$b = avg({WINDOW});"
        );
        let f = formula(&first);
        assert!(is_fast(&f));
        let err = f.evaluator().run(&ctx).unwrap_err();
        // The first read wants 60% and passes; the second wants 70% and fails
        // at its own parenthesis.
        let second_paren = first.rfind("GetSample(").unwrap() + "GetSample".len();
        assert_eq!(err.span.start, second_paren);
        assert!(matches!(
            err.kind,
            EvalErrorKind::InsufficientSampleData { wanted, received, .. }
                if wanted == 70.0 && (received - 1900.0 / 30.0).abs() < 1e-9
        ));
        // The other way round the first read fails, at its parenthesis.
        let swapped = format!(
            "$b = avg({WINDOW});\n$a = avg($PendingTasks.GetSample(TimeInterval_Minute * 15, 60));"
        );
        let err = formula(&swapped).evaluator().run(&ctx).unwrap_err();
        assert_eq!(
            err.span.start,
            swapped.find("GetSample(").unwrap() + "GetSample".len()
        );
        // A percentage read first does not fail, and the 60% read passes:
        // avg(0..18) = 9.
        let percent_first = "$p = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 15);\n\
             $a = avg($PendingTasks.GetSample(TimeInterval_Minute * 15, 60));";
        let f = formula(percent_first);
        assert_eq!(variable(&f, &ctx, "$a"), 9.0);
        assert!((variable(&f, &ctx, "$p") - 1900.0 / 30.0).abs() < 1e-9);
    }

    #[test]
    fn windows_are_resolved_again_on_every_run() {
        // One evaluator, two instants: the second run must not see the
        // first run's window or newest sample.
        let text =
            format!("$TargetDedicatedNodes = max($PendingTasks.GetSample(1), avg({WINDOW}));");
        let f = formula(&text);
        assert!(is_fast(&f));
        let mut e = f.evaluator();
        let mut ctx = ctx(40);
        assert_eq!(e.run(&ctx).unwrap().target_dedicated_nodes, 39.0);
        // Ten minutes earlier the newest sample is 19 and the window holds
        // the values -1..18 that exist: 0..18, 19 of 30 = 63% < 70%.
        ctx.now = Timestamp::from_ticks(now().ticks() - 600 * SECOND).unwrap();
        let err = e.run(&ctx).unwrap_err();
        assert!(matches!(
            err.kind,
            EvalErrorKind::InsufficientSampleData { .. }
        ));
        // Five minutes earlier than the end: newest 29, window values 0..28
        // (29 of 30), average 14.
        ctx.now = Timestamp::from_ticks(now().ticks() - 300 * SECOND).unwrap();
        assert_eq!(e.run(&ctx).unwrap().target_dedicated_nodes, 29.0);
        let text = format!("$TargetDedicatedNodes = avg({WINDOW});");
        let f = formula(&text);
        let mut e = f.evaluator();
        assert_eq!(e.run(&ctx).unwrap().target_dedicated_nodes, 14.0);
        ctx.now = now();
        assert_eq!(e.run(&ctx).unwrap().target_dedicated_nodes, 23.5);
    }

    #[test]
    fn reassigned_variables_and_targets_read_their_latest_value() {
        let text = "$x = 1; $x = $x + 1; $TargetDedicatedNodes = $x * 10;\n\
                    $y = $TargetDedicatedNodes + $TargetDedicated; $TargetDedicated = 5;";
        let f = formula(text);
        assert!(is_fast(&f));
        let ctx = ctx(0);
        assert_eq!(variable(&f, &ctx, "$x"), 2.0);
        // The alias reads the latest assignment to either spelling: 20 + 20.
        assert_eq!(variable(&f, &ctx, "$y"), 40.0);
        // The full name wins over the alias assigned after it.
        assert_eq!(
            f.evaluator().run(&ctx).unwrap().target_dedicated_nodes,
            20.0
        );
    }

    #[test]
    fn the_newest_sample_beside_a_number_is_a_list_of_one_or_two() {
        let text =
            "$a = max($PendingTasks.GetSample(1), 5); $b = min(5, $PendingTasks.GetSample(1));\n\
                    $c = max($PendingTasks.GetSample(1), 0/0);";
        let f = formula(text);
        assert!(is_fast(&f));
        // No samples: the number alone.
        assert_eq!(variable(&f, &ctx(0), "$a"), 5.0);
        assert_eq!(variable(&f, &ctx(0), "$b"), 5.0);
        // Newest sample 39: max 39, min 5; NaN anywhere makes NaN.
        assert_eq!(variable(&f, &ctx(40), "$a"), 39.0);
        assert_eq!(variable(&f, &ctx(40), "$b"), 5.0);
        assert!(variable(&f, &ctx(40), "$c").is_nan());
        assert!(variable(&f, &ctx(0), "$c").is_nan());
    }

    #[test]
    fn the_end_of_a_window_is_found_as_by_search() {
        let mut gappy = Series::new(TimeInterval::from_seconds(30));
        for i in [0, 1, 3, 4] {
            gappy.push(Timestamp::from_ticks(i * 30 * SECOND).unwrap(), 1.0);
        }
        let stuck = Series::regular(
            TimeInterval::from_seconds(0),
            Timestamp::from_ticks(90 * SECOND).unwrap(),
            &[Some(1.0); 3],
        );
        let gapless = counting(5, Timestamp::from_ticks(120 * SECOND).unwrap());
        for series in [
            &gappy,
            &stuck,
            &gapless,
            &Series::new(TimeInterval::from_seconds(30)),
        ] {
            for end in (-30..=150).map(|s| s * SECOND) {
                let searched = series.times().partition_point(|&t| t < end);
                assert_eq!(super::index_of_end(series, end), searched, "{end}");
            }
        }
    }

    #[test]
    fn statements_the_fast_path_cannot_run_leave_the_program_general() {
        for text in [
            "$PendingTasks = 1;",
            "$x = $y + 1; $y = 2;",
            "$v = $PendingTasks.GetSample(1); $x = 1;",
            "$x = rand();",
            "$x = std(1, 2, 3);",
            "$NodeDeallocationOption = 1;",
        ] {
            assert!(!is_fast(&formula(text)), "{text}");
        }
    }

    /// Formulas over the sample windows, errors included.
    const FORMULAS: &[&str] = &[
        EXAMPLE2,
        "$TargetDedicatedNodes = avg($PendingTasks.GetSample(TimeInterval_Minute * 15, 10));",
        "$a = min($PendingTasks.GetSample(3), 7); $b = sum($PendingTasks.GetSample(TimeInterval_Minute * 5, 0)); $c = len($PendingTasks.GetSample(1));",
        "$a = max($PendingTasks.GetSample(0)); $b = 1;",
        "$a = avg($PendingTasks.GetSample(0)); $b = 1;",
        "$a = max(0/0, 1); $b = min(2, 0/0); $c = -$a; $d = !$b; $e = $a == $a;",
        "$a = 0 && $PendingTasks.GetSamplePercent(TimeInterval_Minute) > 1 || 2; $b = 1 < 2 < 3 + 4 * 5 - 6 / 0;",
        "$a = $CurrentDedicatedNodes + $TaskSlotsPerNode + $UsableNodeCount; $TargetLowPriorityNodes = 1/0;",
        "$a = max($PendingTasks.GetSample(1), avg($ActiveTasks.GetSample(TimeInterval_Minute * 15)));",
        "$a = avg($PendingTasks.GetSample(-TimeInterval_Minute * 15, 0)); $b = $PendingTasks.GetSamplePercent(-TimeInterval_Minute);",
        "$a = $PendingTasks + 1; $TargetDedicatedNodes = $a > 10 ? 1 : $a > 5 ? 2 : 3;",
        "$TargetDedicatedNodes = max($PendingTasks.GetSample(1), -0); $TargetLowPriorityNodes = min(-0, $PendingTasks.GetSample(1));",
        "$a = max(0, $PendingTasks.GetSample(1)); $b = min($PendingTasks.GetSample(1), 0/0); $c = max($PendingTasks.GetSample(1), -1/0);",
        "$a = max($ActiveTasks.GetSample(1), $PendingTasks.GetSample(1)); $b = min(1, $PendingTasks.GetSample(2));",
    ];

    const EXAMPLE2: &str = "$samples = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 15);\n\
        $tasks = $samples < 70 ? max(0,$PendingTasks.GetSample(1)) : max( $PendingTasks.GetSample(1), avg($PendingTasks.GetSample(TimeInterval_Minute * 15)));\n\
        $targetVMs = $tasks > 0? $tasks:max(0, $TargetDedicatedNodes/2);\n\
        $TargetDedicatedNodes = max(0, min($targetVMs, 20));\n\
        $NodeDeallocationOption = taskcompletion;";

    fn contexts() -> Vec<EvalContext> {
        let mut out: Vec<EvalContext> = [0, 1, 10, 20, 40, 240].into_iter().map(ctx).collect();
        // Gaps, a NaN, samples after now.
        let mut gappy = Series::new(TimeInterval::from_seconds(30));
        for (i, v) in [
            (0, 1.0),
            (2, f64::NAN),
            (3, 5.0),
            (7, 2.0),
            (30, 9.0),
            (31, 4.0),
        ] {
            gappy.push(
                Timestamp::from_ticks(now().ticks() - (30 - i) * 30 * SECOND).unwrap(),
                v,
            );
        }
        // A NaN newest sample.
        out.push(
            EvalContext::builder(now())
                .metric(
                    Metric::PendingTasks,
                    Series::regular(
                        TimeInterval::from_seconds(30),
                        now(),
                        &[Some(1.0), Some(f64::NAN)],
                    ),
                )
                .build(),
        );
        out.push(
            EvalContext::builder(now())
                .metric(Metric::PendingTasks, gappy)
                .metric(Metric::ActiveTasks, counting(35, now()))
                .build(),
        );
        out
    }

    #[test]
    fn the_fast_path_agrees_with_the_general_one() {
        for text in FORMULAS {
            let f = formula(text);
            assert!(is_fast(&f), "{text}");
            for ctx in contexts() {
                let [picked, general] = both(&f, &ctx, Limits::default());
                // NaN outcomes compare by their bits.
                assert_eq!(format!("{picked:?}"), format!("{general:?}"), "{text}");
            }
        }
    }

    #[test]
    fn the_work_budget_is_the_general_paths_at_every_limit() {
        // Around each formula's threshold the fast path must decline
        // whenever the general path would run out of steps.
        let mut fast_within_range = 0;
        for text in FORMULAS {
            let f = formula(text);
            let fast = FastProgram::compile(f.program()).unwrap();
            for ctx in contexts() {
                for max_eval_steps in 0..140 {
                    fast_within_range += usize::from(fast.fits(&ctx, max_eval_steps));
                    let limits = Limits {
                        max_eval_steps,
                        ..Limits::default()
                    };
                    let [picked, general] = both(&f, &ctx, limits);
                    assert_eq!(
                        format!("{picked:?}"),
                        format!("{general:?}"),
                        "{text} at {max_eval_steps}"
                    );
                }
            }
        }
        // The range does reach the fast path.
        assert!(fast_within_range > 100, "{fast_within_range}");
    }
}
