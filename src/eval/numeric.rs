//! Evaluation of numeric trees: plain `f64`s, no values built. The rules are
//! those of the general evaluator (`expr.rs`), restricted to numbers: the
//! same steps are counted, `&&`/`||` short-circuit and `? :` is lazy.

use super::error::Fail;
use super::expr::Frame;
use super::functions::{name_of, ArgList};
use crate::builtins::{Function, PoolValue};
use crate::check::{NumArg, NumNode};
use crate::context::PoolState;
use crate::ops::{BinaryOp, UnaryOp};
use crate::span::Span;
use crate::value::{Val, Value};

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

/// One slice of samples, already counted.
impl<'a> ArgList<'a> for [f64] {
    fn visit(
        &'a self,
        _frame: &Frame<'a>,
        _function: Function,
        mut f: impl FnMut(&[f64]),
    ) -> Result<(), Fail> {
        f(self);
        Ok(())
    }
}

impl<'a> ArgList<'a> for [NumArg] {
    fn visit(
        &'a self,
        frame: &Frame<'a>,
        function: Function,
        mut f: impl FnMut(&[f64]),
    ) -> Result<(), Fail> {
        for arg in self {
            // Each argument counts one step, and a vector its length once
            // more, as in the general evaluator.
            let samples: &[f64] = match arg {
                NumArg::Num(n) => {
                    let x = frame.num(n)?;
                    f(std::slice::from_ref(&x));
                    continue;
                }
                NumArg::Newest {
                    metric,
                    count,
                    paren,
                } => {
                    frame.tick(1)?;
                    frame.newest_samples(*metric, *count, *paren)?
                }
                NumArg::Window {
                    metric,
                    lookback,
                    wanted,
                    paren,
                } => {
                    frame.tick(1)?;
                    frame.lookback_samples(*metric, *lookback, *wanted, *paren)?
                }
                NumArg::Any(node, span) => match frame.eval(node)? {
                    Val::Num(x) => {
                        f(std::slice::from_ref(&x));
                        continue;
                    }
                    Val::Vec(v) => {
                        frame.tick(v.len() as u64)?;
                        f(&v);
                        continue;
                    }
                    other => {
                        return Err(frame.wrong_type(
                            name_of(function),
                            "double or doubleVec",
                            &other,
                            *span,
                        ))
                    }
                },
            };
            frame.tick(samples.len() as u64)?;
            f(samples);
        }
        Ok(())
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

impl<'a> Frame<'a> {
    /// Evaluates a numeric tree; constants and variables without a call.
    #[inline]
    pub(crate) fn num(&self, node: &'a NumNode) -> Result<f64, Fail> {
        self.tick(1)?;
        match node {
            NumNode::Const(x) => Ok(*x),
            NumNode::User { slot, span } => self.user_num(*slot, *span),
            NumNode::Target(kind) => Ok(self.targets.read(*kind, &self.ctx.pool)),
            _ => self.num_node(node),
        }
    }

    #[inline(always)]
    fn user_num(&self, slot: usize, span: Span) -> Result<f64, Fail> {
        match self.vars.get(slot) {
            Some(Some(Value::Double(x))) => Ok(*x),
            // The checker proved this slot numeric and its assignment ran
            // before this statement; anything else is an unset variable.
            _ => Err(self.unset(slot, span)),
        }
    }

    /// `avg`, `sum`, `min`, `max` of numbers, with the rules of `aggregate`:
    /// sums in order, NaN anywhere makes `min`/`max` NaN.
    fn fold(&self, function: Function, args: &'a [NumNode], span: Span) -> Result<f64, Fail> {
        let max = function == Function::Max;
        let (mut acc, mut nan) = match function {
            Function::Max => (f64::NEG_INFINITY, false),
            Function::Min => (f64::INFINITY, false),
            _ => (0.0, false),
        };
        for arg in args {
            let x = self.num(arg)?;
            match function {
                Function::Max | Function::Min => {
                    nan |= x.is_nan();
                    acc = if max { acc.max(x) } else { acc.min(x) };
                }
                _ => acc += x,
            }
        }
        if args.is_empty() && function != Function::Sum {
            return Err(self.invalid(format!("{}() of an empty list", name_of(function)), span));
        }
        Ok(match function {
            Function::Avg => acc / args.len() as f64,
            _ if nan => f64::NAN,
            _ => acc,
        })
    }

    #[inline(never)]
    fn aggregate_num(
        &self,
        function: Function,
        args: &'a [NumArg],
        span: Span,
    ) -> Result<f64, Fail> {
        self.aggregate(function, args, span)
    }

    /// The nodes with children or sample reads (the step is already counted).
    #[inline(never)]
    fn num_node(&self, node: &'a NumNode) -> Result<f64, Fail> {
        Ok(match node {
            NumNode::Const(x) => *x,
            NumNode::User { slot, span } => self.user_num(*slot, *span)?,
            NumNode::Target(kind) => self.targets.read(*kind, &self.ctx.pool),
            NumNode::Pool(p) => pool_value(&self.ctx.pool, *p),
            NumNode::Latest(m) => self.latest(*m),
            NumNode::Percent { metric, lookback } => self.lookback_percent(*metric, *lookback),
            NumNode::Fold {
                function,
                args,
                span,
            } => self.fold(*function, args, *span)?,
            NumNode::WindowAggregate {
                function,
                metric,
                lookback,
                wanted,
                paren,
                span,
            } => {
                // The steps `ArgList::visit` counts for a window argument.
                self.tick(1)?;
                let samples = self.lookback_samples(*metric, *lookback, *wanted, *paren)?;
                self.tick(samples.len() as u64)?;
                self.aggregate(*function, samples, *span)?
            }
            NumNode::Aggregate {
                function,
                args,
                span,
            } => self.aggregate_num(*function, args.as_slice(), *span)?,
            NumNode::Unary { op, operand } => {
                let x = self.num(operand)?;
                match op {
                    UnaryOp::Neg => -x,
                    UnaryOp::Not => truth(x == 0.0),
                }
            }
            NumNode::Chain { first, rest } => {
                let mut acc = self.num(first)?;
                for (op, rhs) in rest {
                    acc = match op {
                        // Short-circuit: the right side is not evaluated when the left decides.
                        BinaryOp::And if acc == 0.0 => 0.0,
                        BinaryOp::Or if acc != 0.0 => 1.0,
                        _ => binary(*op, acc, self.num(rhs)?),
                    };
                }
                acc
            }
            NumNode::Cond {
                branches,
                otherwise,
            } => {
                for (cond, then) in branches {
                    // NaN is not zero, so it counts as true.
                    if self.num(cond)? != 0.0 {
                        return self.num(then);
                    }
                }
                self.num(otherwise)?
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::EvalErrorKind;
    use crate::{EvalContext, Formula, Limits, Metric, Series, TimeInterval, Timestamp};

    fn ctx(samples: usize) -> EvalContext {
        let now = Timestamp::from_ticks(1_000_000 * 10_000_000).unwrap();
        let values = vec![Some(4.0); samples];
        EvalContext::builder(now)
            .target_dedicated_nodes(3.0)
            .metric(
                Metric::PendingTasks,
                Series::regular(TimeInterval::from_seconds(30), now, &values),
            )
            .build()
    }

    fn steps_allowed(text: &str, steps: u64, ctx: &EvalContext) -> bool {
        let limits = Limits {
            max_eval_steps: steps,
            ..Limits::default()
        };
        let formula = Formula::parse_with(text, &limits).unwrap();
        match formula.evaluator().run(ctx) {
            Ok(_) => true,
            Err(e) => {
                assert!(matches!(e.kind, EvalErrorKind::WorkBudget { .. }), "{e:?}");
                false
            }
        }
    }

    #[test]
    fn numeric_statements_count_one_step_per_node() {
        // `1` is one node; `$x + $x` is the sum and its two operands: 4 steps.
        let text = "$x = 1; $y = $x + $x;";
        assert!(formula_is_numeric(text));
        assert!(steps_allowed(text, 4, &ctx(0)));
        assert!(!steps_allowed(text, 3, &ctx(0)));
    }

    #[test]
    fn vectors_count_their_length() {
        // $v: the window node (1) and its 30 samples; avg($v): the call (1),
        // the variable (1) and its 30 elements: 63 steps.
        let text = "$v = $PendingTasks.GetSample(TimeInterval_Minute * 15); $a = avg($v);";
        assert!(steps_allowed(text, 63, &ctx(240)));
        assert!(!steps_allowed(text, 62, &ctx(240)));
    }

    fn formula_is_numeric(text: &str) -> bool {
        let f = Formula::parse(text).unwrap();
        f.program().statements.iter().all(|s| s.numeric.is_some())
    }

    #[test]
    fn short_circuit_and_lazy_conditional_hold_on_the_numeric_path() {
        // On a pool without history the window would fail; it is never read.
        let window = "avg($PendingTasks.GetSample(TimeInterval_Minute * 15))";
        for text in [
            format!("$TargetDedicatedNodes = 1 || {window};"),
            format!("$TargetDedicatedNodes = 0 && {window};"),
            format!("$TargetDedicatedNodes = 1 ? 7 : {window};"),
        ] {
            assert!(formula_is_numeric(&text), "{text}");
            let run = Formula::parse(&text).unwrap().evaluator().run(&ctx(0));
            assert!(run.is_ok(), "{text}: {run:?}");
        }
    }

    #[test]
    fn insufficient_samples_fail_at_the_paren() {
        let text = "$TargetDedicatedNodes = max(0, avg($PendingTasks.GetSample(TimeInterval_Minute * 15)));";
        assert!(formula_is_numeric(text));
        let err = Formula::parse(text)
            .unwrap()
            .evaluator()
            .run(&ctx(10))
            .unwrap_err();
        // 10 of 30 samples: 33.3% < 70%.
        assert!(matches!(
            err.kind,
            EvalErrorKind::InsufficientSampleData { wanted, .. } if wanted == 70.0
        ));
        let paren = text.find("GetSample(").unwrap() + "GetSample".len();
        assert_eq!(err.span.start, paren);
    }

    #[test]
    fn folds_keep_nan_and_order() {
        let ctx = ctx(0);
        let run = |expr: &str| {
            let formula = Formula::parse(&format!("$r = {expr};")).unwrap();
            assert!(formula
                .program()
                .statements
                .iter()
                .all(|s| s.numeric.is_some()));
            let mut evaluator = formula.evaluator();
            evaluator.run(&ctx).unwrap();
            match evaluator.variable("$r") {
                Some(crate::Value::Double(x)) => *x,
                other => panic!("{other:?}"),
            }
        };
        assert!(run("max(0, 0/0, 5)").is_nan());
        assert!(run("min(5, 0/0)").is_nan());
        assert_eq!(run("avg(1, 2, 6)"), 3.0);
        assert_eq!(run("max(0, min(25, 20))"), 20.0);
        assert_eq!(run("sum(0.5, 0.25)"), 0.75);
    }
}
