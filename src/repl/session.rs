//! An evaluation that grows one input at a time, for the REPL.
//!
//! A [`Session`] keeps the statements accepted so far, the symbol table they
//! were checked against and the variables and targets they left behind, so a new
//! input sees exactly what a later statement of the same formula would see.
//! Each input is atomic: when any of its statements fails to parse, check or
//! evaluate, the session is left as it was before the input.

use std::cell::{Cell, RefCell};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::check::{check_with, Program, Stmt, StmtKind, Symbols, Target};
use crate::context::EvalContext;
use crate::diagnostics::{Diagnostic, Severity};
use crate::eval::{EvalError, EvalErrorKind, Evaluator, Step, Suspended};
use crate::limits::Limits;
use crate::run::{AutoScaleRun, AutoScaleRunError};
use crate::syntax::{self, Ast, Statement, StatementKind, SyntaxError};
use crate::value::Value;
use crate::Formula;

/// Name of the slot a query's value is stored in while it is evaluated; the
/// space keeps it from ever meeting a name a formula can write.
const QUERY_SLOT: &str = " query";

/// A formula built up input by input, with the state its statements left.
#[derive(Debug, Clone)]
pub struct Session {
    limits: Limits,
    program: Program,
    written: Vec<Statement>,
    state: Suspended,
    rng: ChaCha8Rng,
    seed: u64,
    stopped: bool,
}

/// What one statement of an accepted input did.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// An assignment: the name as written and the value it now holds.
    Assigned {
        /// The assigned name (`$TargetDedicatedNodes`, `$tasks`).
        name: String,
        /// Its value after the assignment.
        value: Value,
    },
    /// An expression statement or query, with its value.
    Value(Value),
    /// `stop()` was reached: the statements after it do not run.
    Stopped,
    /// A statement after `stop()` in the same input: kept, not run.
    NotRun,
}

/// An accepted input.
#[derive(Debug, Clone, PartialEq)]
pub struct Entered {
    /// One effect per statement, in order.
    pub effects: Vec<Effect>,
    /// Checker warnings about the input.
    pub warnings: Vec<Diagnostic>,
    /// Whether the input was a query (a lone expression without `;`): it was
    /// evaluated but not added to the formula.
    pub query: bool,
}

/// Why an input was not accepted (the session is unchanged).
#[derive(Debug, Clone, PartialEq)]
pub enum Rejected {
    /// The input does not parse.
    Syntax(SyntaxError),
    /// The checker found errors (warnings come along).
    Check(Vec<Diagnostic>),
    /// A statement failed when evaluated.
    Eval(EvalError),
    /// `stop()` has ended the formula, so further statements would never run.
    AfterStop,
    /// `:type` was given something other than one expression.
    NotAnExpression,
}

impl Session {
    /// An empty session under `limits`; `rand()` draws from `seed`.
    pub fn new(limits: Limits, seed: u64) -> Session {
        Session {
            limits: limits.clamped(),
            program: Program {
                statements: Vec::new(),
                symbols: Symbols::default(),
                windows: Box::default(),
            },
            written: Vec::new(),
            state: Suspended::default(),
            rng: ChaCha8Rng::seed_from_u64(seed),
            seed,
            stopped: false,
        }
    }

    /// Forgets every statement and value (the limits and seed stay).
    pub fn reset(&mut self) {
        *self = Session::new(self.limits, self.seed);
    }

    /// Changes the seed of `rand()`: the generator restarts, as a fresh
    /// evaluation with this seed would.
    pub fn reseed(&mut self, seed: u64) {
        self.seed = seed;
        self.rng = ChaCha8Rng::seed_from_u64(seed);
    }

    /// Runs `text`: a lone expression without a final `;` is a query (printed,
    /// not kept); anything else is statements added to the formula.
    pub fn enter(&mut self, text: &str, ctx: &EvalContext) -> Result<Entered, Rejected> {
        let ast = syntax::parse(text, &self.limits).map_err(Rejected::Syntax)?;
        let query = is_query(text, &ast);
        self.apply(&ast, ctx, query)
    }

    /// Runs `text` as statements of the formula (a formula file): never a query.
    pub fn enter_statements(&mut self, text: &str, ctx: &EvalContext) -> Result<Entered, Rejected> {
        let ast = syntax::parse(text, &self.limits).map_err(Rejected::Syntax)?;
        self.apply(&ast, ctx, false)
    }

    /// Evaluates one expression against the session without changing it.
    pub fn value_of(&mut self, text: &str, ctx: &EvalContext) -> Result<Value, Rejected> {
        let ast = syntax::parse(text, &self.limits).map_err(Rejected::Syntax)?;
        match ast.statements.as_slice() {
            [Statement {
                kind: StatementKind::Expr(_),
                ..
            }] => {}
            _ => return Err(Rejected::NotAnExpression),
        }
        let entered = self.apply(&ast, ctx, true)?;
        match entered.effects.into_iter().next() {
            Some(Effect::Value(v)) => Ok(v),
            _ => Err(Rejected::Eval(EvalError {
                kind: EvalErrorKind::InvalidArgument(
                    "stop() ends the evaluation: it has no value".into(),
                ),
                span: ast.statements.first().map(|s| s.span).unwrap_or_default(),
            })),
        }
    }

    fn apply(&mut self, ast: &Ast, ctx: &EvalContext, query: bool) -> Result<Entered, Rejected> {
        let symbols_before = self.program.symbols.clone();
        let (stmts, errors) = check_with(ast, &mut self.program.symbols);
        // Reported as `check` reports them, so the REPL's codes are `check`'s.
        let diagnostics = crate::lint::checker_findings(ast, &errors);
        if diagnostics.iter().any(|d| d.severity == Severity::Error) {
            self.program.symbols = symbols_before;
            return Err(Rejected::Check(diagnostics));
        }
        if self.stopped && !query && !stmts.is_empty() {
            self.program.symbols = symbols_before;
            return Err(Rejected::AfterStop);
        }
        let outcome = self.run_statements(ast, &stmts, ctx, !query);
        match outcome {
            Ok(effects) => Ok(Entered {
                effects,
                warnings: diagnostics,
                query,
            }),
            Err(e) => {
                self.program.symbols = symbols_before;
                Err(Rejected::Eval(e))
            }
        }
    }

    /// Runs statements. When `keep`, on success they join the formula and their
    /// state is kept; otherwise (a query) nothing changes, and `rand()` draws
    /// from a copy of the generator.
    fn run_statements(
        &mut self,
        ast: &Ast,
        stmts: &[Stmt],
        ctx: &EvalContext,
        keep: bool,
    ) -> Result<Vec<Effect>, EvalError> {
        // An expression statement's value is caught by assigning it to a
        // scratch slot, which evaluates exactly what the statement would.
        let scratch = stmts
            .iter()
            .any(|s| matches!(s.kind, StmtKind::Eval(_)))
            .then(|| self.program.symbols.slot_or_insert(QUERY_SLOT));
        let rng = RefCell::new(self.rng.clone());
        let steps = Cell::new(0);
        let mut evaluator = Evaluator::resume(
            self.program.symbols.names.len(),
            self.limits,
            self.state.clone(),
        );
        let names = &self.program.symbols.names;
        let mut effects = Vec::with_capacity(stmts.len());
        let mut stopped = false;
        let mut failure = None;
        for (stmt, written) in stmts.iter().zip(&ast.statements) {
            if stopped {
                effects.push(Effect::NotRun);
                continue;
            }
            let result = match (&stmt.kind, scratch) {
                (StmtKind::Eval(node), Some(slot)) => {
                    let assign = Stmt {
                        kind: StmtKind::Assign {
                            target: Target::User(slot),
                            value: node.clone(),
                            target_span: stmt.span,
                        },
                        span: stmt.span,
                        cost: stmt.cost,
                        numeric: stmt.numeric,
                    };
                    evaluator
                        .statement(&assign, names, ctx, &rng, &steps)
                        .map(|step| match step {
                            Step::Ran => match evaluator.take_variable(slot) {
                                Some(value) => Effect::Value(value),
                                None => Effect::NotRun,
                            },
                            Step::Stopped => Effect::Stopped,
                        })
                }
                _ => evaluator
                    .statement(stmt, names, ctx, &rng, &steps)
                    .map(|step| match step {
                        Step::Ran => effect(&evaluator, stmt, written, ctx),
                        Step::Stopped => Effect::Stopped,
                    }),
            };
            match result {
                Ok(Effect::Stopped) => {
                    stopped = true;
                    effects.push(Effect::Stopped);
                }
                Ok(effect) => effects.push(effect),
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        let mut state = evaluator.suspend();
        if let Some(slot) = scratch {
            // The scratch slot was the last one added; take it out again.
            self.program.symbols.truncate(slot);
            state.truncate_variables(slot);
        }
        if let Some(e) = failure {
            return Err(e);
        }
        if keep {
            self.state = state;
            self.rng = rng.into_inner();
            self.stopped |= stopped;
            self.program.statements.extend(stmts.iter().cloned());
            self.written.extend(ast.statements.iter().cloned());
        }
        Ok(effects)
    }

    /// The statements accepted so far, formatted as a formula file.
    pub fn formula_text(&self) -> String {
        Ast {
            statements: self.written.clone(),
            comments: Vec::new(),
        }
        .to_string()
    }

    /// Number of statements accepted so far.
    pub fn len(&self) -> usize {
        self.written.len()
    }

    /// Whether no statement has been accepted.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.written.is_empty()
    }

    /// The limits inputs and the whole formula are held to.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// What the service would answer for the accepted statements evaluated
    /// afresh against `ctx`: [`Session::formula_text`] run as one formula, so
    /// error positions refer to that text.
    pub fn run(&self, ctx: &EvalContext) -> AutoScaleRun {
        let text = self.formula_text();
        match Formula::parse_with(&text, &self.limits) {
            Ok(formula) => formula.evaluate(ctx),
            Err(e) => AutoScaleRun::failed(ctx, AutoScaleRunError::from_syntax(&text, &e)),
        }
    }

    /// User variables holding a value, in the service's order (ordinal by name).
    pub fn variables(&self) -> Vec<(&str, &Value)> {
        let mut out: Vec<(&str, &Value)> = self
            .program
            .symbols
            .names
            .iter()
            .zip(self.state.variables())
            .filter_map(|(name, value)| value.as_ref().map(|v| (name.as_str(), v)))
            .collect();
        out.sort_by(|a, b| a.0.cmp(b.0));
        out
    }

    /// Names of the user variables assigned so far (for completion).
    pub fn variable_names(&self) -> Vec<String> {
        self.program
            .symbols
            .assigned_names()
            .map(str::to_string)
            .collect()
    }
}

/// What a statement that just ran did, as the REPL reports it.
fn effect(evaluator: &Evaluator, stmt: &Stmt, written: &Statement, ctx: &EvalContext) -> Effect {
    let StatementKind::Assign { target: name, .. } = &written.kind else {
        return Effect::NotRun;
    };
    match evaluator.assigned_value(stmt, ctx) {
        Some(value) => Effect::Assigned {
            name: name.text.clone(),
            value,
        },
        None => Effect::NotRun,
    }
}

/// Whether the input is one expression with no `;` after it.
fn is_query(text: &str, ast: &Ast) -> bool {
    let [Statement {
        kind: StatementKind::Expr(_),
        span,
    }] = ast.statements.as_slice()
    else {
        return false;
    };
    let mut rest = text.get(span.end..).unwrap_or("");
    // Only trivia and `;` can follow the last statement; skip comments.
    loop {
        match (rest.find(';'), rest.find("//")) {
            (Some(semi), Some(comment)) if comment < semi => {
                rest = rest.get(comment..).unwrap_or("");
                rest = rest.find('\n').and_then(|n| rest.get(n..)).unwrap_or("");
            }
            (Some(_), _) => return false,
            (None, _) => return true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Timestamp;

    fn ctx() -> EvalContext {
        let now = Timestamp::parse_rfc3339("2025-04-24T12:00:00Z").unwrap_or(Timestamp::UNIX_EPOCH);
        EvalContext::builder(now)
            .target_dedicated_nodes(3.0)
            .build()
    }

    #[test]
    fn inputs_see_what_later_statements_of_one_formula_see() {
        let ctx = ctx();
        let mut session = Session::new(Limits::default(), 0);
        for input in [
            "$before = $TargetDedicatedNodes;",
            "$TargetDedicatedNodes = $before * 2; $after = $TargetDedicatedNodes",
            "$NodeDeallocationOption = terminate;",
        ] {
            assert!(session.enter(input, &ctx).is_ok(), "{input}");
        }
        // Reads before assignment give the pool's target (3); after, 6.
        let whole = Formula::parse(&session.formula_text()).map(|f| f.evaluate(&ctx).results);
        let expected =
            "$TargetDedicatedNodes=6;$TargetLowPriorityNodes=0;$NodeDeallocationOption=terminate;$after=6;$before=3";
        assert_eq!(whole.as_deref(), Ok(expected));
        assert_eq!(session.run(&ctx).results, expected);
        let vars: Vec<(&str, f64)> = session
            .variables()
            .into_iter()
            .filter_map(|(n, v)| match v {
                Value::Double(x) => Some((n, *x)),
                _ => None,
            })
            .collect();
        assert_eq!(vars, [("$after", 6.0), ("$before", 3.0)]);
    }

    #[test]
    fn a_lone_expression_without_semicolon_is_a_query() {
        let ctx = ctx();
        let mut session = Session::new(Limits::default(), 0);
        let entered = session.enter("1 + 2 // three", &ctx);
        assert_eq!(
            entered.map(|e| (e.effects, e.query)),
            Ok((vec![Effect::Value(Value::Double(3.0))], true))
        );
        assert!(session.is_empty());
        let entered = session.enter("1 + 2; // kept", &ctx);
        assert_eq!(entered.map(|e| e.query), Ok(false));
        assert_eq!(session.formula_text(), "1 + 2;\n");
    }

    #[test]
    fn a_failed_input_leaves_the_session_unchanged() {
        let ctx = ctx();
        let mut session = Session::new(Limits::default(), 0);
        let failed = session.enter("$a = 1; $b = $a / time();", &ctx);
        assert!(matches!(
            failed,
            Err(Rejected::Check(_)) | Err(Rejected::Eval(_))
        ));
        assert!(session.is_empty());
        assert!(session.variable_names().is_empty());
        assert!(matches!(
            session.value_of("$a", &ctx),
            Err(Rejected::Check(_))
        ));
    }
}
