//! Runs a checked program over an evaluation context, with the service's semantics.

mod error;
mod expr;
mod fast;
mod functions;
mod observe;
// The REPL session (only the CLI builds the REPL) resumes evaluations.
#[cfg(feature = "cli")]
mod resume;
#[cfg(test)]
mod tests;
mod window;

use error::Fail;
pub use error::{EvalError, EvalErrorKind};
// Named by `explain`, built with the CLI.
#[cfg_attr(not(feature = "cli"), allow(unused_imports))]
pub(crate) use observe::SampleRead;
pub(crate) use observe::{Observer, Silent};
#[cfg(feature = "cli")]
pub(crate) use resume::Suspended;

use std::cell::{Cell, RefCell};
use std::sync::Arc;

#[cfg(feature = "cli")]
use rand_chacha::ChaCha8Rng;

use crate::builtins::NodeKind;
use crate::check::{Constant, Node, Program, Stmt, StmtKind, Target};
use crate::context::{EvalContext, PoolState};
use crate::limits::Limits;
use crate::span::Span;
use crate::value::{format_double, format_value, NodeDeallocationOption, Val, Value};
use expr::{Bounds, Frame, Rng};
use fast::FastProgram;
use window::Resolved;

/// How a statement run by the REPL session ended.
#[cfg(feature = "cli")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// It ran to its end.
    Ran,
    /// It called `stop()`.
    Stopped,
}

/// One target's state during an evaluation.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct TargetSlot {
    /// Value assigned to the full name (`$TargetDedicatedNodes`).
    full: Option<(f64, Span)>,
    /// Value assigned to the alias (`$TargetDedicated`).
    alias: Option<(f64, Span)>,
    /// The latest value assigned to either spelling (what reads see).
    latest: Option<f64>,
}

impl TargetSlot {
    /// The final value: the full name wins when both spellings were assigned.
    fn resolved(&self) -> Option<(f64, Span)> {
        self.full.or(self.alias)
    }
}

/// Both targets.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Targets {
    dedicated: TargetSlot,
    low_priority: TargetSlot,
}

impl Targets {
    fn slot(&self, kind: NodeKind) -> &TargetSlot {
        match kind {
            NodeKind::Dedicated => &self.dedicated,
            NodeKind::LowPriority => &self.low_priority,
        }
    }

    /// What a read of the target gives: the latest assignment, else the pool's target.
    pub(crate) fn read(&self, kind: NodeKind, pool: &PoolState) -> f64 {
        self.slot(kind).latest.unwrap_or(match kind {
            NodeKind::Dedicated => pool.target_dedicated_nodes,
            NodeKind::LowPriority => pool.target_low_priority_nodes,
        })
    }

    fn assign(&mut self, kind: NodeKind, alias: bool, value: f64, span: Span) {
        let slot = match kind {
            NodeKind::Dedicated => &mut self.dedicated,
            NodeKind::LowPriority => &mut self.low_priority,
        };
        if alias {
            slot.alias = Some((value, span));
        } else {
            slot.full = Some((value, span));
        }
        slot.latest = Some(value);
    }
}

/// The result of a successful evaluation: what the service would apply.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// The dedicated target as assigned (or the pool's, when unassigned).
    pub target_dedicated_nodes: f64,
    /// The low-priority target as assigned (or the pool's, when unassigned).
    pub target_low_priority_nodes: f64,
    /// The deallocation option.
    pub node_deallocation_option: NodeDeallocationOption,
    /// Whether `stop()` ended the evaluation.
    pub stopped: bool,
}

impl Outcome {
    /// The dedicated node count the service applies: truncated toward zero,
    /// never below 0.
    pub fn dedicated_nodes(&self) -> u32 {
        applied(self.target_dedicated_nodes)
    }

    /// The low-priority node count the service applies.
    pub fn low_priority_nodes(&self) -> u32 {
        applied(self.target_low_priority_nodes)
    }
}

fn applied(x: f64) -> u32 {
    if x.is_finite() && x > 0.0 {
        x.trunc().min(f64::from(u32::MAX)) as u32
    } else {
        0
    }
}

/// A program with everything the evaluator derives from it, built once per
/// formula and shared (read-only) by every evaluator of that formula.
#[derive(Debug)]
pub(crate) struct Compiled {
    program: Program,
    /// The program's fast tier, when every statement has one.
    fast: Option<FastProgram>,
    /// User-variable slots in the order the results string lists them
    /// (ordinal order of their names), so a run never sorts.
    results_order: Box<[usize]>,
}

impl Compiled {
    /// Derives the fast tier and the results order from `program`.
    pub(crate) fn new(program: Program) -> Self {
        let fast = FastProgram::compile(&program);
        let names = &program.symbols.names;
        let mut results_order: Vec<usize> = (0..names.len()).collect();
        results_order.sort_by(|&a, &b| names.get(a).cmp(&names.get(b)));
        Compiled {
            fast,
            results_order: results_order.into_boxed_slice(),
            program,
        }
    }

    /// The checked program.
    pub(crate) fn program(&self) -> &Program {
        &self.program
    }
}

/// Evaluates a program repeatedly, reusing its variable storage: a warm
/// evaluation allocates nothing unless the formula builds vectors.
///
/// It shares the compiled program with the [`Formula`](crate::Formula) it came
/// from, so it can be kept beside that formula (or moved to another thread)
/// without borrowing it.
#[derive(Debug)]
pub struct Evaluator {
    compiled: Arc<Compiled>,
    limits: Limits,
    vars: Vec<Option<Value>>,
    spare: Vec<Vec<f64>>,
    targets: Targets,
    dealloc: Option<NodeDeallocationOption>,
    /// The program's constant windows as resolved in the current run.
    windows: Box<[Option<Resolved>]>,
    /// Whether `vars` hold only what a successful fast run left: numbers in
    /// the slots the program assigns, which the next fast run overwrites
    /// before reading.
    vars_fast: bool,
}

impl Evaluator {
    /// An evaluator for a copy of `program` under `limits` (this compiles
    /// it; [`Formula::evaluator`](crate::Formula::evaluator) shares the
    /// formula's compiled form instead).
    pub fn new(program: &Program, limits: Limits) -> Self {
        Self::shared(Arc::new(Compiled::new(program.clone())), limits)
    }

    /// An evaluator sharing `compiled`, for repeated runs.
    pub(crate) fn shared(compiled: Arc<Compiled>, limits: Limits) -> Self {
        Self::build(compiled, limits, true)
    }

    /// An evaluator for one run: without the room kept for recycling
    /// vector buffers, which only repeated runs use.
    pub(crate) fn once(compiled: Arc<Compiled>, limits: Limits) -> Self {
        Self::build(compiled, limits, false)
    }

    fn build(compiled: Arc<Compiled>, limits: Limits, repeated: bool) -> Self {
        let slots = compiled.program.symbols.names.len();
        Evaluator {
            // Sized by the first run of the one evaluator: a formula
            // evaluated once on the fast tier never needs it.
            windows: Box::default(),
            compiled,
            limits: limits.clamped(),
            vars: vec![None; slots],
            // Room for every slot's buffer, so that recycling never grows it.
            spare: Vec::with_capacity(if repeated { slots } else { 0 }),
            targets: Targets::default(),
            dealloc: None,
            vars_fast: false,
        }
    }

    /// Evaluates the program against `ctx`.
    ///
    /// A program whose statements are all number-typed runs on the fast
    /// tier when its work provably fits the budget; anything the one
    /// evaluator would report as an error sends the run there, which then
    /// reports it (a run is a pure function of its context).
    pub fn run(&mut self, ctx: &EvalContext) -> Result<Outcome, EvalError> {
        let Evaluator {
            compiled,
            limits,
            vars,
            spare,
            targets,
            dealloc,
            vars_fast,
            ..
        } = self;
        if let Some(fast) = &compiled.fast {
            if fast.fits(ctx, limits.max_eval_steps, limits.max_vector_len) {
                if !*vars_fast {
                    reset_vars(vars, spare);
                }
                *targets = Targets::default();
                *dealloc = None;
                *vars_fast = fast.run(ctx, vars, targets, dealloc);
                if *vars_fast {
                    return self.outcome(ctx, false);
                }
            }
        }
        self.run_observed(ctx, &mut Silent)
    }

    /// `run` on the one evaluator (never the fast tier), telling `observer`
    /// what the evaluation decides as it decides it (for `explain`). With
    /// [`Silent`] the hooks are empty and inlined away.
    pub(crate) fn run_observed<O: Observer>(
        &mut self,
        ctx: &EvalContext,
        observer: &mut O,
    ) -> Result<Outcome, EvalError> {
        self.reset();
        let rng = RefCell::new(None);
        let rng = Rng::Lazy {
            seed: ctx.seed,
            cell: &rng,
        };
        let steps = Cell::new(0);
        let bounds = Bounds::default();
        let compiled = Arc::clone(&self.compiled);
        let program = &compiled.program;
        let mut stopped = false;
        for (index, stmt) in program.statements.iter().enumerate() {
            let run = self.statement_with(
                index,
                stmt,
                &program.symbols.names,
                ctx,
                rng,
                &steps,
                &bounds,
                observer,
            );
            match run {
                Ok(()) => {}
                Err(Fail::Stop) => {
                    stopped = true;
                    break;
                }
                Err(Fail::Error(e)) => return Err(at_statement(*e, stmt)),
            }
        }
        self.outcome(ctx, stopped)
    }

    /// Clears variables and targets, keeping their storage.
    fn reset(&mut self) {
        self.vars_fast = false;
        reset_vars(&mut self.vars, &mut self.spare);
        self.targets = Targets::default();
        self.dealloc = None;
        let windows = self.compiled.program.windows.len();
        if self.windows.len() == windows {
            self.windows.fill(None);
        } else {
            self.windows = vec![None; windows].into_boxed_slice();
        }
    }

    fn outcome(&self, ctx: &EvalContext, stopped: bool) -> Result<Outcome, EvalError> {
        let pool = &ctx.pool;
        Ok(Outcome {
            target_dedicated_nodes: final_target(
                &self.targets.dedicated,
                pool.target_dedicated_nodes,
                "$TargetDedicatedNodes",
            )?,
            target_low_priority_nodes: final_target(
                &self.targets.low_priority,
                pool.target_low_priority_nodes,
                "$TargetLowPriorityNodes",
            )?,
            node_deallocation_option: self.dealloc.unwrap_or(pool.node_deallocation_option),
            stopped,
        })
    }

    /// Runs one statement with a generator and a step counter the caller keeps
    /// across statements (the REPL session), whose user variables are `names`.
    #[cfg(feature = "cli")]
    pub(crate) fn statement(
        &mut self,
        stmt: &Stmt,
        names: &[String],
        ctx: &EvalContext,
        rng: &RefCell<ChaCha8Rng>,
        steps: &Cell<u64>,
    ) -> Result<Step, EvalError> {
        self.vars_fast = false;
        match self.statement_with(
            0,
            stmt,
            names,
            ctx,
            Rng::Seeded(rng),
            steps,
            &Bounds::default(),
            &mut Silent,
        ) {
            Ok(()) => Ok(Step::Ran),
            Err(Fail::Stop) => Ok(Step::Stopped),
            Err(Fail::Error(e)) => Err(at_statement(*e, stmt)),
        }
    }

    /// Runs statement `index`: its fixed cost charged first, then its
    /// value through the number entry point when it is number-typed.
    #[allow(clippy::too_many_arguments)] // the run's parts, borrowed apart
    fn statement_with<O: Observer>(
        &mut self,
        index: usize,
        stmt: &Stmt,
        names: &[String],
        ctx: &EvalContext,
        rng: Rng<'_>,
        steps: &Cell<u64>,
        bounds: &Bounds,
        observer: &mut O,
    ) -> Result<(), Fail> {
        let Evaluator {
            limits,
            vars,
            spare,
            targets,
            dealloc,
            windows,
            ..
        } = self;
        let mut frame = Frame {
            ctx,
            vars,
            names,
            targets,
            dealloc: dealloc.unwrap_or(ctx.pool.node_deallocation_option),
            limits,
            steps,
            rng,
            bounds,
            windows: Cell::from_mut(&mut windows[..]).as_slice_of_cells(),
            observer: &mut *observer,
        };
        frame.tick(stmt.cost)?;
        let (target, value, target_span) = match &stmt.kind {
            StmtKind::Eval(node) => {
                if stmt.numeric {
                    frame.num(node)?;
                } else {
                    frame.eval(node)?;
                }
                return Ok(());
            }
            StmtKind::Assign {
                target,
                value,
                target_span,
            } => (target, value, *target_span),
        };
        match target {
            Target::User(slot) => {
                let stored = if stmt.numeric {
                    Value::Double(frame.num(value)?)
                } else {
                    let v = frame.eval(value)?;
                    store(v, spare)
                };
                if let Some(place) = vars.get_mut(*slot) {
                    match (place, stored) {
                        // The previous run's number: nothing to drop.
                        (Some(Value::Double(old)), Value::Double(x)) => *old = x,
                        (place, stored) => {
                            if let Some(Value::DoubleVec(old)) = place.replace(stored) {
                                spare.push(old);
                            }
                        }
                    }
                    if let Some(Some(v)) = vars.get(*slot) {
                        observer.assigned(index, v);
                    }
                }
            }
            Target::Node { kind, alias } => {
                let x = if stmt.numeric {
                    frame.num(value)?
                } else {
                    match frame.eval(value)? {
                        Val::Num(x) => x,
                        other => {
                            // `explain` shows the value the target refused.
                            observer.assigned(index, &other.to_value());
                            return Err(wrong_target_type(*kind, *alias, &other, target_span));
                        }
                    }
                };
                targets.assign(*kind, *alias, x, stmt.span);
                observer.assigned(index, &Value::Double(x));
            }
            Target::Dealloc => {
                let d = match value {
                    // `$NodeDeallocationOption = taskcompletion;`: one constant node.
                    Node::Const(Constant::Dealloc(d)) => *d,
                    _ => match frame.eval(value)? {
                        Val::Dealloc(d) => d,
                        other => {
                            observer.assigned(index, &other.to_value());
                            return Err(wrong_dealloc_type(&other, target_span));
                        }
                    },
                };
                *dealloc = Some(d);
                observer.assigned(index, &Value::NodeDeallocationOption(d));
            }
            Target::Invalid(error) => {
                return Err(Fail::from(EvalError {
                    kind: EvalErrorKind::Check(error.clone()),
                    span: target_span,
                }));
            }
        }
        Ok(())
    }

    /// The `results` string for a successful run: the three system variables,
    /// then user variables in ordinal order of their names.
    pub fn results(&self, outcome: &Outcome) -> String {
        let mut out = String::with_capacity(128);
        self.write_results(outcome, &mut out);
        out
    }

    /// Appends the `results` string for a successful run to `out`.
    pub(crate) fn write_results(&self, outcome: &Outcome, out: &mut String) {
        system_results(
            out,
            outcome.target_dedicated_nodes,
            outcome.target_low_priority_nodes,
            outcome.node_deallocation_option,
        );
        let names = &self.compiled.program.symbols.names;
        for &slot in self.compiled.results_order.iter() {
            if let (Some(Some(value)), Some(name)) = (self.vars.get(slot), names.get(slot)) {
                out.push(';');
                out.push_str(name);
                out.push('=');
                format_value(value, out);
            }
        }
    }

    /// The value of a user variable after the last run, if it was assigned.
    pub fn variable(&self, name: &str) -> Option<&Value> {
        let slot = self.compiled.program.symbols.slot(name)?;
        self.vars.get(slot)?.as_ref()
    }
}

/// A target's final value: as assigned (the full name winning over the
/// alias), else the pool's; a non-finite assignment fails the run.
#[inline(always)]
fn final_target(slot: &TargetSlot, pool: f64, name: &'static str) -> Result<f64, EvalError> {
    match slot.resolved() {
        Some((v, _)) if v.is_finite() => Ok(v),
        Some((v, span)) => Err(non_finite(name, v, span)),
        None => Ok(pool),
    }
}

#[cold]
fn non_finite(name: &'static str, value: f64, span: Span) -> EvalError {
    let mut text = String::new();
    format_double(value, &mut text);
    EvalError {
        kind: EvalErrorKind::NonFiniteTarget { name, value: text },
        span,
    }
}

/// The work budget runs out wherever counting happens to cross it; the
/// statement being evaluated then is the place worth naming.
fn at_statement(mut e: EvalError, stmt: &Stmt) -> EvalError {
    if matches!(e.kind, EvalErrorKind::WorkBudget { .. }) {
        e.span = stmt.span;
    }
    e
}

/// Clears variables, keeping the vectors' storage in `spare`.
fn reset_vars(vars: &mut [Option<Value>], spare: &mut Vec<Vec<f64>>) {
    for v in vars {
        if let Some(Value::DoubleVec(buf)) = v.take() {
            spare.push(buf);
        }
    }
}

#[cold]
fn wrong_target_type(kind: NodeKind, alias: bool, found: &Val<'_>, span: Span) -> Fail {
    Fail::from(EvalError {
        kind: EvalErrorKind::WrongType {
            what: assigned_name(kind, alias).to_string(),
            expected: "double".into(),
            found: found.type_of(),
        },
        span,
    })
}

#[cold]
fn wrong_dealloc_type(found: &Val<'_>, span: Span) -> Fail {
    Fail::from(EvalError {
        kind: EvalErrorKind::WrongType {
            what: "$NodeDeallocationOption".into(),
            expected: "requeue, terminate, taskcompletion or retaineddata".into(),
            found: found.type_of(),
        },
        span,
    })
}

fn assigned_name(kind: NodeKind, alias: bool) -> &'static str {
    match (kind, alias) {
        (NodeKind::Dedicated, false) => "$TargetDedicatedNodes",
        (NodeKind::Dedicated, true) => "$TargetDedicated",
        (NodeKind::LowPriority, false) => "$TargetLowPriorityNodes",
        (NodeKind::LowPriority, true) => "$TargetLowPriority",
    }
}

/// Converts an evaluation value to a stored one, reusing a spare vector buffer.
fn store(v: Val<'_>, spare: &mut Vec<Vec<f64>>) -> Value {
    match v {
        Val::Num(x) => Value::Double(x),
        Val::Vec(std::borrow::Cow::Owned(v)) => Value::DoubleVec(v),
        Val::Vec(std::borrow::Cow::Borrowed(s)) => {
            let mut buf = spare.pop().unwrap_or_default();
            buf.clear();
            buf.extend_from_slice(s);
            Value::DoubleVec(buf)
        }
        other => other.to_value(),
    }
}

/// Writes the three system variables as the service prints them. Targets are
/// whole node counts there: a fractional target prints truncated toward zero
/// (`233 / 4 = 58.25` printed as `58`, Azure/batch-shipyard#239), while user
/// variables keep their full precision.
pub fn system_results(
    out: &mut String,
    dedicated: f64,
    low_priority: f64,
    dealloc: NodeDeallocationOption,
) {
    out.push_str("$TargetDedicatedNodes=");
    format_double(dedicated.trunc(), out);
    out.push_str(";$TargetLowPriorityNodes=");
    format_double(low_priority.trunc(), out);
    out.push_str(";$NodeDeallocationOption=");
    out.push_str(dealloc.keyword());
}

/// The `results` the service reports for a failed run: the pool's values from
/// before the evaluation, and no user variables.
pub fn pre_evaluation_results(pool: &PoolState) -> String {
    let mut out = String::with_capacity(96);
    system_results(
        &mut out,
        pool.target_dedicated_nodes,
        pool.target_low_priority_nodes,
        pool.node_deallocation_option,
    );
    out
}
