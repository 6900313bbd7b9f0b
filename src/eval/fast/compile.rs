//! Compiling a checked program's numeric trees into the fast path's trees,
//! with the shared window tables and the bound on the general path's steps.

use super::{Arg, FastProgram, FastStmt, Leaf, NewestRef, WindowRef, F};
use crate::builtins::{Function, Metric};
use crate::check::{Constant, Node, NumArg, NumNode, Program, StmtKind, Target};

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

    /// A window read as an aggregate's argument: one step for the argument,
    /// its elements once when read and again when folded.
    fn folded_window(&mut self, metric: Metric, lookback: i64) -> Option<WindowRef> {
        self.step(1);
        self.samples(metric, 2);
        self.window(metric, lookback)
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
                supported(*function)?;
                F::WindowAggregate {
                    function: *function,
                    window: self.folded_window(*metric, lookback.ticks())?,
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
            NumArg::Newest { metric, count, .. } => {
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
            } => Arg::Window {
                window: self.folded_window(*metric, lookback.ticks())?,
                wanted: *wanted,
            },
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
        let newest_at = match args.as_slice() {
            [Arg::Newest { newest, count: 1 }, Arg::Num(_)] => Some((*newest, true)),
            [Arg::Num(_), Arg::Newest { newest, count: 1 }] => Some((*newest, false)),
            _ => None,
        };
        if let (true, Some((newest, newest_first))) = (extreme, newest_at) {
            let other = args.into_iter().find_map(|a| match a {
                Arg::Num(other) => Some(other),
                _ => None,
            })?;
            return Some(F::ExtremeNewest {
                max,
                newest,
                newest_first,
                other: Box::new(other),
            });
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
    pub(in crate::eval) fn compile(program: &Program) -> Option<FastProgram> {
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
}
