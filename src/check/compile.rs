//! AST → resolved program. Every name is resolved here; every error found is
//! reported (with a did-you-mean where one fits) and also compiled into a node
//! that fails when evaluation reaches it, so evaluation order decides which error
//! the service would report, as it does on the real service.

use std::borrow::Cow;

use super::error::{CheckError, CheckErrorKind as Kind, Hint, SymbolKind};
use super::program::*;
use super::DEFAULT_SAMPLE_PERCENT;
use crate::builtins::{self, Metric, ServiceVariable, MISTAKEN_METHODS};
use crate::input::did_you_mean;
use crate::span::Span;
use crate::syntax::{Ast, Expr, ExprKind, Name, StatementKind};
use crate::value::{self, Member, TimeInterval, Type, Val};

/// Compiles statements against a symbol table (shared by the REPL across inputs).
pub(crate) struct Compiler<'s> {
    pub symbols: &'s mut Symbols,
    /// Static type of each user slot's latest assignment, when known.
    pub types: Vec<Option<Type>>,
    pub errors: Vec<CheckError>,
    /// Which user slots hold a number after the statements compiled so far
    /// (proved here, in statement order; earlier inputs of a REPL prove nothing).
    pub numeric: Vec<bool>,
    /// The constant windows met so far, each once.
    pub windows: Vec<WindowRef>,
}

fn undefined(name: &str, kind: SymbolKind, span: Span) -> CheckError {
    CheckError::new(
        Kind::UndefinedSymbol {
            name: name.to_string(),
            kind,
        },
        span,
    )
}

impl<'s> Compiler<'s> {
    pub fn new(symbols: &'s mut Symbols) -> Self {
        let types = vec![None; symbols.names.len()];
        Compiler {
            symbols,
            types,
            errors: Vec::new(),
            numeric: Vec::new(),
            windows: Vec::new(),
        }
    }

    pub fn compile(&mut self, ast: &Ast) -> Vec<Stmt> {
        ast.statements
            .iter()
            .map(|statement| {
                let kind = match &statement.kind {
                    StatementKind::Assign { target, value } => self.assignment(target, value),
                    StatementKind::Expr(e) => StmtKind::Eval(self.expr(e).0),
                };
                let value = match &kind {
                    StmtKind::Assign { value, .. } | StmtKind::Eval(value) => value,
                };
                let numeric = value.is_numeric(&self.numeric);
                let cost = match &kind {
                    // The error is raised before the value is evaluated.
                    StmtKind::Assign {
                        target: Target::Invalid(_),
                        ..
                    } => 0,
                    _ => value.cost(),
                };
                if let StmtKind::Assign {
                    target: Target::User(slot),
                    ..
                } = kind
                {
                    if self.numeric.len() <= slot {
                        self.numeric.resize(slot + 1, false);
                    }
                    if let Some(n) = self.numeric.get_mut(slot) {
                        *n = numeric;
                    }
                }
                Stmt {
                    kind,
                    span: statement.span,
                    cost,
                    numeric,
                }
            })
            .collect()
    }

    fn assignment(&mut self, target: &Name, value: &Expr) -> StmtKind {
        let (node, ty) = self.expr(value);
        let name = target.text.as_str();
        let resolved = if let Some(info) = builtins::service_variable(name) {
            match info.variable {
                ServiceVariable::Target { kind, alias } => {
                    self.expect_type(ty, Type::Double, value.span, name);
                    Target::Node { kind, alias }
                }
                ServiceVariable::NodeDeallocationOption => {
                    self.expect_type(ty, Type::NodeDeallocationOption, value.span, name);
                    Target::Dealloc
                }
                _ => self.invalid_target(
                    target,
                    Kind::ReadOnlyVariable {
                        name: name.to_string(),
                    },
                ),
            }
        } else if builtins::constant(name).is_some() || builtins::keyword(name).is_some() {
            self.invalid_target(
                target,
                Kind::AssignToConstant {
                    name: name.to_string(),
                },
            )
        } else {
            let slot = self.symbols.slot_or_insert(name);
            self.symbols.mark_assigned(slot);
            if self.types.len() <= slot {
                self.types.resize(slot + 1, None);
            }
            if let Some(t) = self.types.get_mut(slot) {
                *t = ty;
            }
            Target::User(slot)
        };
        StmtKind::Assign {
            target: resolved,
            value: node,
            target_span: target.span,
        }
    }

    fn invalid_target(&mut self, target: &Name, kind: Kind) -> Target {
        self.errors.push(CheckError::new(kind.clone(), target.span));
        Target::Invalid(kind)
    }

    fn expect_type(&mut self, found: Option<Type>, wanted: Type, span: Span, what: &str) {
        if let Some(found) = found {
            if found != wanted {
                self.errors.push(CheckError::new(
                    Kind::TypeMismatch {
                        what: what.to_string(),
                        wanted,
                        found,
                    },
                    span,
                ));
            }
        }
    }

    /// Records `error` and returns the node that raises it when reached.
    fn fail(&mut self, error: CheckError) -> (Node, Option<Type>) {
        let node = Node::fail(&error);
        self.errors.push(error);
        (node, None)
    }

    /// Compiles an expression, returning its node and static type when known.
    fn expr(&mut self, e: &Expr) -> (Node, Option<Type>) {
        match &e.kind {
            ExprKind::Number(n) => (Node::Const(Constant::Num(n.value)), Some(Type::Double)),
            ExprKind::String(s) => (
                Node::Const(Constant::Str(s.clone().into_boxed_str())),
                Some(Type::String),
            ),
            ExprKind::Name(name) => self.name(name),
            ExprKind::Paren(inner) => self.expr(inner),
            ExprKind::Call {
                name,
                args,
                args_span,
            } => self.call(name, args, *args_span, e.span),
            ExprKind::Method {
                receiver,
                name,
                args,
                args_span,
            } => self.method(receiver, name, args, *args_span),
            ExprKind::Member { receiver, name } => {
                let (of, ty) = self.expr(receiver);
                let Some(member) = builtins::member(&name.text) else {
                    let hint = did_you_mean(&name.text, Member::ALL.iter().map(|(n, _)| *n))
                        .map(|s| Hint::DidYouMean(s.to_string()));
                    return self.fail(
                        undefined(&name.text, SymbolKind::Member, name.span).with_hint(hint),
                    );
                };
                self.expect_type(
                    ty,
                    Type::Timestamp,
                    receiver.span,
                    &format!(".{}", name.text),
                );
                (
                    Node::Member {
                        of: Box::new(of),
                        member,
                        span: name.span,
                    },
                    Some(Type::Double),
                )
            }
            ExprKind::Unary {
                op,
                op_span,
                operand,
            } => {
                let (inner, ty) = self.expr(operand);
                let ty = ty.and_then(|t| match value::unary(*op, &sample_of(t)) {
                    Ok(v) => Some(v.type_of()),
                    Err(err) => {
                        self.errors
                            .push(CheckError::new(Kind::Operation(err), *op_span));
                        None
                    }
                });
                let numeric = inner.is_numeric(&self.numeric);
                let node = Node::Unary {
                    op: *op,
                    operand: Box::new(inner),
                    span: *op_span,
                    numeric,
                };
                (fold(node), ty)
            }
            ExprKind::Chain { first, rest } => {
                let (first, mut ty) = self.expr(first);
                let mut links = Vec::with_capacity(rest.len());
                for link in rest {
                    let (rhs, rty) = self.expr(&link.rhs);
                    ty = match (ty, rty) {
                        (Some(l), Some(r)) => {
                            match value::binary(link.op, &sample_of(l), &sample_of(r)) {
                                Ok(v) => Some(v.type_of()),
                                Err(err) => {
                                    self.errors
                                        .push(CheckError::new(Kind::Operation(err), link.op_span));
                                    None
                                }
                            }
                        }
                        _ => None,
                    };
                    links.push((link.op, rhs, link.op_span));
                }
                let numeric = first.is_numeric(&self.numeric)
                    && links.iter().all(|(_, n, _)| n.is_numeric(&self.numeric));
                let node = match (numeric, links.len()) {
                    (true, 1) => match links.pop() {
                        Some((op, b, _)) => Node::Binary {
                            op,
                            a: Box::new(first),
                            b: Box::new(b),
                        },
                        None => Node::Chain {
                            first: Box::new(first),
                            rest: links,
                            numeric,
                        },
                    },
                    _ => Node::Chain {
                        first: Box::new(first),
                        rest: links,
                        numeric,
                    },
                };
                (fold(node), ty)
            }
            ExprKind::Conditional {
                branches,
                otherwise,
            } => {
                let mut out = Vec::with_capacity(branches.len());
                let mut types = Vec::new();
                for (cond, then) in branches {
                    let (c, cty) = self.expr(cond);
                    self.expect_type(cty, Type::Double, cond.span, "a `? :` condition");
                    let (t, tty) = self.expr(then);
                    types.push(tty);
                    out.push((c, cond.span, t));
                }
                let (o, oty) = self.expr(otherwise);
                types.push(oty);
                let ty = match types.first() {
                    Some(Some(t)) if types.iter().all(|x| *x == Some(*t)) => Some(*t),
                    _ => None,
                };
                let num = |n: &Node| n.is_numeric(&self.numeric);
                let numeric = num(&o) && out.iter().all(|(c, _, t)| num(c) && num(t));
                (
                    Node::Cond {
                        branches: out,
                        otherwise: Box::new(o),
                        numeric,
                    },
                    ty,
                )
            }
        }
    }

    fn name(&mut self, name: &Name) -> (Node, Option<Type>) {
        let text = name.text.as_str();
        if let Some(info) = builtins::service_variable(text) {
            return match info.variable {
                ServiceVariable::Target { kind, .. } => (Node::Target(kind), Some(Type::Double)),
                ServiceVariable::NodeDeallocationOption => {
                    (Node::Dealloc, Some(Type::NodeDeallocationOption))
                }
                ServiceVariable::Sampled(m) => (Node::Latest(m), Some(Type::Double)),
                ServiceVariable::Pool(p) => (Node::Pool(p), Some(Type::Double)),
            };
        }
        if let Some(t) = builtins::constant(text) {
            return (Node::Const(Constant::Interval(t)), Some(Type::TimeInterval));
        }
        if let Some(k) = builtins::keyword(text) {
            return (
                Node::Const(Constant::Dealloc(k)),
                Some(Type::NodeDeallocationOption),
            );
        }
        match self.symbols.slot(text) {
            Some(slot) if self.symbols.is_assigned(slot) => (
                Node::User {
                    slot,
                    span: name.span,
                },
                self.types.get(slot).copied().flatten(),
            ),
            _ => {
                // The closest assigned name (from the index), then the
                // builtins: the same choice as a scan of both, in bounded work.
                let assigned = self.symbols.closest_assigned(text).map(str::to_string);
                let mut candidates: Vec<&str> = assigned.as_deref().into_iter().collect();
                for name in builtins::all_names() {
                    candidates.push(name);
                }
                let hint = if let Some(s) =
                    builtins::alias(text).or_else(|| did_you_mean(text, candidates))
                {
                    Some(Hint::DidYouMean(s.to_string()))
                } else if builtins::function(text).is_some() {
                    Some(Hint::CallIt(text.to_string()))
                } else {
                    None
                };
                self.fail(undefined(text, SymbolKind::Variable, name.span).with_hint(hint))
            }
        }
    }

    fn args(&mut self, args: &[Expr]) -> (Vec<(Node, Span)>, Vec<Option<Type>>) {
        args.iter()
            .map(|a| {
                let (n, t) = self.expr(a);
                ((n, a.span), t)
            })
            .unzip()
    }

    fn call(
        &mut self,
        name: &Name,
        args: &[Expr],
        args_span: Span,
        span: Span,
    ) -> (Node, Option<Type>) {
        let (nodes, types) = self.args(args);
        let Some(info) = builtins::function(&name.text) else {
            let functions = builtins::FUNCTIONS.iter().map(|f| f.name);
            let hint = builtins::alias(&name.text)
                .or_else(|| did_you_mean(&name.text, functions))
                .map(|s| Hint::DidYouMean(s.to_string()));
            return self
                .fail(undefined(&name.text, SymbolKind::Function, name.span).with_hint(hint));
        };
        if let Some(failed) = self.arity(
            info.name,
            (info.min_args, info.max_args),
            info.signature,
            nodes.len(),
            args_span,
        ) {
            return (failed, None);
        }
        use builtins::Function as F;
        let returns = match info.function {
            F::Time => {
                if let Some(&ty) = types.first() {
                    self.expect_type(
                        ty,
                        Type::String,
                        args.first().map_or(span, |a| a.span),
                        "time()",
                    );
                }
                Some(Type::Timestamp)
            }
            F::Stop => None,
            F::Rand => Some(Type::Double),
            _ => {
                for (ty, arg) in types.iter().zip(args) {
                    if let Some(t) = ty {
                        if !matches!(t, Type::Double | Type::DoubleVec) {
                            self.errors.push(CheckError::new(
                                Kind::NotNumbers {
                                    function: info.name,
                                    found: *t,
                                },
                                arg.span,
                            ));
                        }
                    }
                }
                match info.function {
                    F::Ceil | F::Floor | F::Round | F::Lg | F::Ln | F::Log => {
                        match types.as_slice() {
                            [Some(Type::Double)] => Some(Type::Double),
                            [_] => None,
                            _ => Some(Type::DoubleVec),
                        }
                    }
                    _ => info.returns,
                }
            }
        };
        (self.specialise_call(info.function, nodes, span), returns)
    }

    fn method(
        &mut self,
        receiver: &Expr,
        name: &Name,
        args: &[Expr],
        args_span: Span,
    ) -> (Node, Option<Type>) {
        let (nodes, types) = self.args(args);
        let metric = match &receiver.unparen().kind {
            ExprKind::Name(var) => {
                match builtins::service_variable(&var.text).map(|i| i.variable) {
                    Some(ServiceVariable::Sampled(m)) => Some(m),
                    Some(ServiceVariable::Pool(p)) => p.history(),
                    _ => None,
                }
            }
            _ => None,
        };
        let Some(info) = builtins::method(&name.text) else {
            let hint =
                if let Some((_, alt)) = MISTAKEN_METHODS.iter().find(|(m, _)| *m == name.text) {
                    Some(Hint::UseMethod {
                        written: name.text.clone(),
                        instead: alt,
                    })
                } else {
                    did_you_mean(&name.text, builtins::METHODS.iter().map(|m| m.name))
                        .map(|s| Hint::DidYouMean(s.to_string()))
                };
            return self.fail(undefined(&name.text, SymbolKind::Method, name.span).with_hint(hint));
        };
        let Some(metric) = metric else {
            return self.fail(CheckError::new(
                Kind::NotSampled {
                    receiver: receiver.to_string(),
                    method: info.name,
                },
                receiver.span,
            ));
        };
        if let Some(failed) = self.arity(
            info.name,
            (info.min_args, info.max_args),
            info.signature,
            nodes.len(),
            args_span,
        ) {
            return (failed, None);
        }
        self.check_sample_args(info.method, &types, args);
        let paren = Span::new(args_span.start, args_span.start + 1);
        let span = Span::new(receiver.span.start, args_span.end);
        let node = match self.specialise(metric, info.method, &nodes, paren, span) {
            Some(node) => node,
            None => Node::Sample {
                metric,
                method: info.method,
                args: nodes,
                paren,
                span,
            },
        };
        (node, Some(info.returns))
    }

    fn check_sample_args(
        &mut self,
        method: builtins::Method,
        types: &[Option<Type>],
        args: &[Expr],
    ) {
        let time_like = |t: Type| matches!(t, Type::Timestamp | Type::TimeInterval);
        for (i, (ty, arg)) in types.iter().zip(args).enumerate() {
            let Some(t) = *ty else { continue };
            let ok = match (method, i) {
                (builtins::Method::GetSample, 0) => t == Type::Double || time_like(t),
                (builtins::Method::GetSample, 1) => t == Type::Double || time_like(t),
                (builtins::Method::GetSample, _) => t == Type::Double,
                (builtins::Method::GetSamplePercent, _) => time_like(t),
                _ => true,
            };
            if !ok {
                self.errors
                    .push(CheckError::new(Kind::SampleArgument { found: t }, arg.span));
            }
        }
    }
}

impl Compiler<'_> {
    /// The id of the constant window `(metric, lookback)`, interning it.
    fn window(&mut self, metric: Metric, lookback: TimeInterval) -> WindowRef {
        let id = match self
            .windows
            .iter()
            .position(|w| w.metric == metric && w.lookback == lookback)
        {
            Some(id) => id,
            None => {
                self.windows.push(WindowRef {
                    id: self.windows.len(),
                    metric,
                    lookback,
                });
                self.windows.len() - 1
            }
        };
        WindowRef {
            id,
            metric,
            lookback,
        }
    }

    /// A sample method whose arguments are constants, compiled to a node
    /// that goes straight to the series (the usual `GetSample(1)`,
    /// `GetSample(TimeInterval_Minute * 15)`, `GetSamplePercent(...)`).
    fn specialise(
        &mut self,
        metric: Metric,
        method: builtins::Method,
        args: &[(Node, Span)],
        paren: Span,
        span: Span,
    ) -> Option<Node> {
        use builtins::Method as M;
        Some(match (method, args) {
            (M::GetSample, [(Node::Const(Constant::Num(count)), _)]) => Node::Newest {
                metric,
                count: sample_count(*count),
                paren,
                span,
            },
            (M::GetSample, [(Node::Const(Constant::Interval(lookback)), _)]) => Node::Window {
                window: self.window(metric, *lookback),
                wanted: DEFAULT_SAMPLE_PERCENT,
                paren,
                span,
            },
            (
                M::GetSample,
                [(Node::Const(Constant::Interval(lookback)), _), (Node::Const(Constant::Num(wanted)), _)],
            ) => Node::Window {
                window: self.window(metric, *lookback),
                wanted: *wanted,
                paren,
                span,
            },
            (M::GetSamplePercent, [(Node::Const(Constant::Interval(lookback)), _)]) => {
                Node::Percent {
                    window: self.window(metric, *lookback),
                    span,
                }
            }
            _ => return None,
        })
    }

    /// A call, in its specialised shape when it has one: an aggregate of one
    /// constant window, or a fold of numbers.
    fn specialise_call(
        &self,
        function: builtins::Function,
        mut args: Vec<(Node, Span)>,
        span: Span,
    ) -> Node {
        use builtins::Function as F;
        let window_fold = matches!(function, F::Avg | F::Sum | F::Len | F::Max | F::Min);
        if window_fold {
            if let [(
                Node::Window {
                    window,
                    wanted,
                    paren,
                    span: sample_span,
                },
                _,
            )] = args.as_slice()
            {
                return Node::WindowAggregate {
                    function,
                    window: *window,
                    wanted: *wanted,
                    paren: *paren,
                    sample_span: *sample_span,
                    span,
                };
            }
        }
        let number_fold = matches!(function, F::Avg | F::Sum | F::Max | F::Min);
        if number_fold && args.iter().all(|(a, _)| a.is_numeric(&self.numeric)) {
            return Node::Fold {
                function,
                args: args.drain(..).map(|(a, _)| a).collect(),
                span,
            };
        }
        Node::Call {
            function,
            args,
            span,
        }
    }
}

/// The count `GetSample(n)` asks for: NaN and negatives ask for none.
pub(crate) fn sample_count(n: f64) -> usize {
    if n.is_nan() || n < 0.0 {
        0
    } else {
        n.min(usize::MAX as f64) as usize
    }
}

impl Compiler<'_> {
    /// Reports a call with the wrong number of arguments, returning the node
    /// that fails when evaluation reaches it; `None` when the count fits.
    fn arity(
        &mut self,
        name: &'static str,
        (min, max): (usize, usize),
        signature: &'static str,
        found: usize,
        args_span: Span,
    ) -> Option<Node> {
        if (min..=max).contains(&found) {
            return None;
        }
        let error = CheckError::new(
            Kind::WrongArity {
                name,
                min,
                max,
                found,
            },
            args_span,
        )
        .with_hint(Some(Hint::Signature(signature)));
        Some(self.fail(error).0)
    }
}

/// A representative value of a type, for checking operator rows statically.
fn sample_of(t: Type) -> Val<'static> {
    match t {
        Type::Double => Val::Num(1.0),
        Type::DoubleVec => Val::Vec(Cow::Borrowed(&[1.0])),
        Type::String => Val::Str(""),
        Type::Timestamp => Val::Time(value::Timestamp::UNIX_EPOCH),
        Type::TimeInterval => Val::Interval(value::TimeInterval::from_seconds(1)),
        Type::NodeDeallocationOption => Val::Dealloc(value::NodeDeallocationOption::Requeue),
    }
}

fn constant_val(c: &Constant) -> Val<'_> {
    match c {
        Constant::Num(x) => Val::Num(*x),
        Constant::Interval(t) => Val::Interval(*t),
        Constant::Time(t) => Val::Time(*t),
        Constant::Str(s) => Val::Str(s),
        Constant::Dealloc(d) => Val::Dealloc(*d),
    }
}

fn to_constant(v: Val<'_>) -> Option<Constant> {
    Some(match v {
        Val::Num(x) => Constant::Num(x),
        Val::Interval(t) => Constant::Interval(t),
        Val::Time(t) => Constant::Time(t),
        _ => return None,
    })
}

/// Folds operators over constants; an operation that fails is left for
/// evaluation to report at its own time.
fn fold(node: Node) -> Node {
    match node {
        Node::Unary {
            op,
            operand,
            span,
            numeric,
        } => match &*operand {
            Node::Const(c) => match value::unary(op, &constant_val(c))
                .ok()
                .and_then(to_constant)
            {
                Some(c) => Node::Const(c),
                None => Node::Unary {
                    op,
                    operand,
                    span,
                    numeric,
                },
            },
            _ => Node::Unary {
                op,
                operand,
                span,
                numeric,
            },
        },
        Node::Binary { op, a, b } => match (&*a, &*b) {
            (Node::Const(l), Node::Const(r)) => {
                match value::binary(op, &constant_val(l), &constant_val(r))
                    .ok()
                    .and_then(to_constant)
                {
                    Some(c) => Node::Const(c),
                    None => Node::Binary { op, a, b },
                }
            }
            _ => Node::Binary { op, a, b },
        },
        Node::Chain {
            first,
            rest,
            numeric,
        } => {
            let unfolded = |first, rest| Node::Chain {
                first,
                rest,
                numeric,
            };
            let Node::Const(c) = &*first else {
                return unfolded(first, rest);
            };
            let mut acc = constant_val(c).to_value();
            for (op, rhs, _) in &rest {
                let Node::Const(r) = rhs else {
                    return unfolded(first, rest);
                };
                match value::binary(*op, &acc.as_val(), &constant_val(r)) {
                    Ok(v) => acc = v.to_value(),
                    Err(_) => return unfolded(first, rest),
                }
            }
            match to_constant(acc.as_val()) {
                Some(c) => Node::Const(c),
                None => unfolded(first, rest),
            }
        }
        other => other,
    }
}

/// Which metrics a program samples (for tools that build contexts).
pub(crate) fn sampled_metrics(statements: &[Stmt]) -> Vec<Metric> {
    fn walk(node: &Node, out: &mut Vec<Metric>) {
        match node {
            Node::Sample { metric, args, .. } => {
                out.push(*metric);
                args.iter().for_each(|(a, _)| walk(a, out));
            }
            Node::Latest(m) | Node::Newest { metric: m, .. } => out.push(*m),
            Node::Window { window, .. }
            | Node::Percent { window, .. }
            | Node::WindowAggregate { window, .. } => out.push(window.metric),
            Node::Call { args, .. } => args.iter().for_each(|(a, _)| walk(a, out)),
            Node::Fold { args, .. } => args.iter().for_each(|a| walk(a, out)),
            Node::Member { of, .. } => walk(of, out),
            Node::Unary { operand, .. } => walk(operand, out),
            Node::Binary { a, b, .. } => {
                walk(a, out);
                walk(b, out);
            }
            Node::Chain { first, rest, .. } => {
                walk(first, out);
                rest.iter().for_each(|(_, r, _)| walk(r, out));
            }
            Node::Cond {
                branches,
                otherwise,
                ..
            } => {
                for (c, _, t) in branches {
                    walk(c, out);
                    walk(t, out);
                }
                walk(otherwise, out);
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for s in statements {
        match &s.kind {
            StmtKind::Assign { value, .. } => walk(value, &mut out),
            StmtKind::Eval(n) => walk(n, &mut out),
        }
    }
    out.sort();
    out.dedup();
    out
}
