//! Compiling a checked program's number-typed `Node` trees into the fast
//! tier's trees, with the shared window tables and the bound on the one
//! evaluator's steps.

use super::{Arg, FastProgram, FastStmt, Leaf, NewestRef, WindowRef, F};
use crate::builtins::{Function, Metric};
use crate::check::{Constant, Node, Program, StmtKind, Target};

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

    /// A window read as an aggregate's argument: its elements are counted
    /// once when read and again when folded.
    fn folded_window(&mut self, metric: Metric, lookback: i64) -> Option<WindowRef> {
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

    /// The fast form of a number-typed `node`; `None` for anything the
    /// fast tier does not run. The nodes' steps are the statement's static
    /// cost, counted by the caller.
    fn node(&mut self, node: &Node) -> Option<F> {
        Some(match node {
            Node::Const(Constant::Num(x)) => F::Const(*x),
            Node::User { slot, .. } => {
                // Read before any assignment: the one evaluator's error.
                if !self.assigned.get(*slot).copied().unwrap_or(false) {
                    return None;
                }
                F::User(*slot)
            }
            Node::Target(kind) => F::Target(*kind),
            Node::Pool(p) => F::Pool(*p),
            Node::Latest(m) => F::Latest(self.newest(*m)?),
            Node::Percent { window, .. } => {
                F::Percent(self.window(window.metric, window.lookback.ticks())?)
            }
            Node::Fold { function, args, .. } => {
                let args = args
                    .iter()
                    .map(|a| self.node(a))
                    .collect::<Option<Vec<F>>>()?;
                self.aggregate(*function, args.into_iter().map(Arg::Num).collect())?
            }
            Node::WindowAggregate {
                function,
                window,
                wanted,
                ..
            } => {
                supported(*function)?;
                F::WindowAggregate {
                    function: *function,
                    window: self.folded_window(window.metric, window.lookback.ticks())?,
                    wanted: *wanted,
                }
            }
            Node::Call { function, args, .. } => {
                supported(*function)?;
                let args = args
                    .iter()
                    .map(|(a, _)| self.arg(a))
                    .collect::<Option<Vec<Arg>>>()?;
                self.aggregate(*function, args)?
            }
            Node::Unary {
                op,
                operand,
                numeric: true,
                ..
            } => F::Unary {
                op: *op,
                operand: Box::new(self.node(operand)?),
            },
            Node::Binary { op, a, b } => {
                let (a, b) = (self.node(a)?, self.node(b)?);
                match (Leaf::of(&a), Leaf::of(&b)) {
                    (Some(a), Some(b)) => F::BinaryLeaf { op: *op, a, b },
                    _ => F::Binary {
                        op: *op,
                        a: Box::new(a),
                        b: Box::new(b),
                    },
                }
            }
            Node::Chain {
                first,
                rest,
                numeric: true,
            } => F::Chain {
                first: Box::new(self.node(first)?),
                rest: rest
                    .iter()
                    .map(|(op, rhs, _)| Some((*op, self.node(rhs)?)))
                    .collect::<Option<_>>()?,
            },
            Node::Cond {
                branches,
                otherwise,
                numeric: true,
            } => F::Cond {
                branches: branches
                    .iter()
                    .map(|(c, _, t)| Some((self.node(c)?, self.node(t)?)))
                    .collect::<Option<_>>()?,
                otherwise: Box::new(self.node(otherwise)?),
            },
            _ => return None,
        })
    }

    /// An aggregate's argument: a window or the newest samples read in
    /// place, or a number-typed node.
    fn arg(&mut self, arg: &Node) -> Option<Arg> {
        Some(match arg {
            Node::Newest { metric, count, .. } => {
                // The elements, when folded (the count is in the static cost).
                self.samples(*metric, 1);
                Arg::Newest {
                    newest: self.newest(*metric)?,
                    count: *count,
                }
            }
            Node::Window { window, wanted, .. } => Arg::Window {
                window: self.folded_window(window.metric, window.lookback.ticks())?,
                wanted: *wanted,
            },
            other => Arg::Num(self.node(other)?),
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

/// The aggregates the fast tier folds itself; the others stay general.
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
            b.fixed_steps = b.fixed_steps.saturating_add(stmt.cost);
            let value = |b: &mut Builder, node: &Node| {
                if stmt.numeric {
                    b.node(node)
                } else {
                    None
                }
            };
            statements.push(match &stmt.kind {
                StmtKind::Assign {
                    target: Target::Dealloc,
                    value: Node::Const(Constant::Dealloc(d)),
                    ..
                } => FastStmt::Dealloc(*d),
                StmtKind::Assign {
                    target: Target::User(slot),
                    value: node,
                    ..
                } => {
                    let value = value(&mut b, node)?;
                    *b.assigned.get_mut(*slot)? = true;
                    FastStmt::User { slot: *slot, value }
                }
                StmtKind::Assign {
                    target: Target::Node { kind, alias },
                    value: node,
                    ..
                } => FastStmt::Node {
                    kind: *kind,
                    alias: *alias,
                    span: stmt.span,
                    value: value(&mut b, node)?,
                },
                StmtKind::Eval(node) => FastStmt::Eval(value(&mut b, node)?),
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
