//! Runs a checked program over an evaluation context, with the service's semantics.

mod error;
mod expr;
mod fast;
mod functions;
mod numeric;
pub(crate) mod observe;
// The REPL session (only the CLI builds the REPL) resumes evaluations.
#[cfg(feature = "cli")]
mod resume;
mod window;

use error::Fail;
pub use error::{EvalError, EvalErrorKind};
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
use observe::Observer;

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
    /// The program's fast form, when every statement has one.
    fast: Option<FastProgram>,
    /// User-variable slots in the order the results string lists them
    /// (ordinal order of their names), so a run never sorts.
    results_order: Box<[usize]>,
}

impl Compiled {
    /// Derives the fast form and the results order from `program`.
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

    /// An evaluator sharing `compiled`.
    pub(crate) fn shared(compiled: Arc<Compiled>, limits: Limits) -> Self {
        let slots = compiled.program.symbols.names.len();
        Evaluator {
            compiled,
            limits: limits.clamped(),
            vars: vec![None; slots],
            // Room for every slot's buffer, so that recycling never grows it.
            spare: Vec::with_capacity(slots),
            targets: Targets::default(),
            dealloc: None,
            vars_fast: false,
        }
    }

    /// Evaluates the program against `ctx`.
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
        self.run_general(ctx)
    }

    /// `run` on the general path only: steps counted, errors built where
    /// they arise.
    pub(crate) fn run_general(&mut self, ctx: &EvalContext) -> Result<Outcome, EvalError> {
        self.run_general_with(ctx, None)
    }

    /// `run` on the general path, reporting each decision to `observer`
    /// (`explain`): the fast and numeric paths decide without saying why.
    #[cfg_attr(not(feature = "cli"), allow(dead_code))]
    pub(crate) fn run_observed<O: Observer + 'static>(
        &mut self,
        ctx: &EvalContext,
        observer: O,
    ) -> (Result<Outcome, EvalError>, O) {
        let cell = RefCell::new(observer);
        let result = self.run_general_with(ctx, Some(&cell));
        (result, cell.into_inner())
    }

    fn run_general_with(
        &mut self,
        ctx: &EvalContext,
        observer: Option<&RefCell<dyn Observer>>,
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
            let observe = observer.map(|o| (o, index));
            let names = &program.symbols.names;
            match self.statement_with(stmt, names, ctx, rng, &steps, &bounds, observe) {
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
            stmt,
            names,
            ctx,
            Rng::Seeded(rng),
            steps,
            &Bounds::default(),
            None,
        ) {
            Ok(()) => Ok(Step::Ran),
            Err(Fail::Stop) => Ok(Step::Stopped),
            Err(Fail::Error(e)) => Err(at_statement(*e, stmt)),
        }
    }

    /// Runs one statement; `observe` (the observer and the statement's
    /// index) turns the numeric shortcuts off so every decision is reported.
    #[allow(clippy::too_many_arguments)]
    fn statement_with(
        &mut self,
        stmt: &Stmt,
        names: &[String],
        ctx: &EvalContext,
        rng: Rng<'_>,
        steps: &Cell<u64>,
        bounds: &Bounds,
        observe: Option<(&RefCell<dyn Observer>, usize)>,
    ) -> Result<(), Fail> {
        let frame = Frame {
            ctx,
            vars: &self.vars,
            names,
            targets: &self.targets,
            dealloc: self.dealloc.unwrap_or(ctx.pool.node_deallocation_option),
            limits: &self.limits,
            max_steps: self.limits.max_eval_steps,
            steps,
            rng,
            bounds,
            observer: observe.map(|(o, _)| o),
        };
        let numeric = if observe.is_some() {
            None
        } else {
            stmt.numeric.as_ref()
        };
        // Numbers into variables and targets, the common case, without values.
        if let (Some(n), StmtKind::Assign { target, .. }) = (numeric, &stmt.kind) {
            match target {
                Target::User(slot) => {
                    let x = frame.num(n)?;
                    if let Some(place) = self.vars.get_mut(*slot) {
                        if let Some(Value::DoubleVec(old)) = place.replace(Value::Double(x)) {
                            self.spare.push(old);
                        }
                    }
                    return Ok(());
                }
                Target::Node { kind, alias } => {
                    let x = frame.num(n)?;
                    self.targets.assign(*kind, *alias, x, stmt.span);
                    return Ok(());
                }
                Target::Dealloc | Target::Invalid(_) => {}
            }
        }
        // `$NodeDeallocationOption = taskcompletion;`: one constant node.
        if let StmtKind::Assign {
            target: Target::Dealloc,
            value: Node::Const(Constant::Dealloc(d)),
            ..
        } = &stmt.kind
        {
            frame.tick(1)?;
            self.dealloc = Some(*d);
            if let Some((o, index)) = observe {
                o.borrow_mut()
                    .assigned(index, &Value::NodeDeallocationOption(*d));
            }
            return Ok(());
        }
        match &stmt.kind {
            StmtKind::Eval(_) if numeric.is_some() => {
                if let Some(n) = numeric {
                    frame.num(n)?;
                }
                Ok(())
            }
            StmtKind::Eval(node) => {
                let v = frame.eval(node)?;
                if let Some((o, index)) = observe {
                    o.borrow_mut().assigned(index, &v.to_value());
                }
                Ok(())
            }
            StmtKind::Assign {
                target,
                value,
                target_span,
            } => {
                if let Target::Invalid(error) = target {
                    return Err(Fail::from(EvalError {
                        kind: EvalErrorKind::Check(error.clone()),
                        span: *target_span,
                    }));
                }
                let v = match numeric {
                    Some(n) => Val::Num(frame.num(n)?),
                    None => frame.eval(value)?,
                };
                if let Some((o, index)) = observe {
                    o.borrow_mut().assigned(index, &v.to_value());
                }
                match target {
                    Target::User(slot) => {
                        let stored = store(v, &mut self.spare);
                        if let Some(place) = self.vars.get_mut(*slot) {
                            if let Some(Value::DoubleVec(old)) = place.replace(stored) {
                                self.spare.push(old);
                            }
                        }
                    }
                    Target::Node { kind, alias } => match v {
                        Val::Num(x) => self.targets.assign(*kind, *alias, x, stmt.span),
                        other => {
                            return Err(Fail::from(EvalError {
                                kind: EvalErrorKind::WrongType {
                                    what: assigned_name(*kind, *alias).to_string(),
                                    expected: "double".into(),
                                    found: other.type_of(),
                                },
                                span: *target_span,
                            }))
                        }
                    },
                    Target::Dealloc => match v {
                        Val::Dealloc(d) => self.dealloc = Some(d),
                        other => {
                            return Err(Fail::from(EvalError {
                                kind: EvalErrorKind::WrongType {
                                    what: "$NodeDeallocationOption".into(),
                                    expected: "requeue, terminate, taskcompletion or retaineddata"
                                        .into(),
                                    found: other.type_of(),
                                },
                                span: *target_span,
                            }))
                        }
                    },
                    Target::Invalid(_) => {}
                }
                Ok(())
            }
        }
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
