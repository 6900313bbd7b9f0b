//! Moving an evaluation's state in and out of an [`Evaluator`], for callers
//! that run statements one at a time and keep the state between them (the
//! REPL session).

use std::sync::Arc;

use super::{Compiled, Evaluator, Targets};
use crate::check::{Program, Stmt, StmtKind, Symbols, Target};
use crate::context::EvalContext;
use crate::limits::Limits;
use crate::value::{NodeDeallocationOption, Value};

/// What the variables and targets hold between statements.
#[derive(Debug, Clone, Default)]
pub(crate) struct Suspended {
    vars: Vec<Option<Value>>,
    targets: Targets,
    dealloc: Option<NodeDeallocationOption>,
}

impl Suspended {
    /// The user variables, by slot.
    pub(crate) fn variables(&self) -> &[Option<Value>] {
        &self.vars
    }

    /// Forgets the variables from `slot` on.
    pub(crate) fn truncate_variables(&mut self, slot: usize) {
        self.vars.truncate(slot);
    }
}

impl Evaluator {
    /// An evaluator holding `state`, with room for `slots` variables. Its
    /// caller runs statements with [`Evaluator::statement`], so the evaluator
    /// needs no program of its own.
    pub(crate) fn resume(slots: usize, limits: Limits, state: Suspended) -> Self {
        let empty = Program {
            statements: Vec::new(),
            symbols: Symbols::default(),
            windows: Box::default(),
        };
        let mut evaluator = Evaluator::shared(Arc::new(Compiled::new(empty)), limits);
        evaluator.vars = state.vars;
        // The caller's symbol table grows between statements.
        evaluator.vars.resize(slots.max(evaluator.vars.len()), None);
        evaluator.targets = state.targets;
        evaluator.dealloc = state.dealloc;
        evaluator
    }

    /// Takes the value out of a variable slot.
    pub(crate) fn take_variable(&mut self, slot: usize) -> Option<Value> {
        self.vars.get_mut(slot).and_then(Option::take)
    }

    /// The state, for a later [`Evaluator::resume`].
    pub(crate) fn suspend(self) -> Suspended {
        Suspended {
            vars: self.vars,
            targets: self.targets,
            dealloc: self.dealloc,
        }
    }

    /// The value `stmt`, which just ran, assigned (`None` for an expression
    /// statement or an invalid target).
    pub(crate) fn assigned_value(&self, stmt: &Stmt, ctx: &EvalContext) -> Option<Value> {
        match &stmt.kind {
            StmtKind::Assign { target, .. } => match target {
                Target::User(slot) => self.vars.get(*slot).cloned().flatten(),
                Target::Node { kind, .. } => {
                    Some(Value::Double(self.targets.read(*kind, &ctx.pool)))
                }
                Target::Dealloc => Some(Value::NodeDeallocationOption(
                    self.dealloc.unwrap_or(ctx.pool.node_deallocation_option),
                )),
                Target::Invalid(_) => None,
            },
            StmtKind::Eval(_) => None,
        }
    }
}
