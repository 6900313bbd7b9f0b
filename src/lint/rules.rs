//! The lints: each walks the syntax tree and reports warnings with a stable code.

use std::collections::{HashMap, HashSet};

use super::conditions::truth;
use super::facts::{Env, Facts, Kind};
use crate::builtins::{self, Metric, ServiceVariable};
use crate::diagnostics::Diagnostic;
use crate::span::Span;
use crate::syntax::{Ast, Expr, ExprKind, Name, StatementKind};

/// Runs every lint over `ast` (the formula text is `source`).
pub fn lint(source: &str, ast: &Ast) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut env = Env::default();
    let mut percent_vars: HashSet<String> = HashSet::new();
    let mut any_target = false;
    let mut samples = SampleUse::default();
    for statement in &ast.statements {
        let value = match &statement.kind {
            StatementKind::Assign { value, .. } | StatementKind::Expr(value) => value,
        };
        unguarded(&env, &percent_vars, value, false, &mut out);
        samples.collect(&env, value);
        bare_metrics(value, &mut out);
        constant_conditions(&env, value, &mut out);
        if let StatementKind::Assign { target, value } = &statement.kind {
            let is_target = matches!(
                builtins::service_variable(&target.text).map(|i| i.variable),
                Some(ServiceVariable::Target { .. })
            );
            if is_target {
                any_target = true;
                target_value(source, &env, target, value, &mut out);
            } else if builtins::service_variable(&target.text).is_none() {
                similar_name(target, &mut out);
            }
            if mentions_percent(&percent_vars, value) {
                percent_vars.insert(target.text.clone());
            } else {
                percent_vars.remove(&target.text);
            }
            env.assign(&target.text, env.facts(value));
        }
    }
    samples.report(&mut out);
    unused(ast, &mut out);
    two_spellings(ast, &mut out);
    if !any_target {
        let span = ast.statements.first().map_or(Span::point(0), |s| s.span);
        out.push(
            Diagnostic::warning(
                "no-target",
                "the formula assigns no target: the pool keeps its current size",
                span,
            )
            .with_help(
                "assign `$TargetDedicatedNodes` or `$TargetLowPriorityNodes` (names are case-sensitive)",
            ),
        );
    }
    out
}

/// Every expression in `e`, parents before children.
fn each<'a>(e: &'a Expr, f: &mut impl FnMut(&'a Expr)) {
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        f(e);
        let children = e.children();
        stack.extend(children.into_iter().rev());
    }
}

fn sampled_metric(e: &Expr) -> Option<Metric> {
    let ExprKind::Name(name) = &e.unparen().kind else {
        return None;
    };
    match builtins::service_variable(&name.text)?.variable {
        ServiceVariable::Sampled(m) => Some(m),
        ServiceVariable::Pool(p) => p.history(),
        _ => None,
    }
}

fn mentions_percent(percent_vars: &HashSet<String>, e: &Expr) -> bool {
    let mut found = false;
    each(e, &mut |x| match &x.kind {
        ExprKind::Method { name, .. } if name.text == "GetSamplePercent" => found = true,
        ExprKind::Name(n) if percent_vars.contains(&n.text) => found = true,
        _ => {}
    });
    found
}

/// Whether a `GetSample` call reads a window without a `samplePercent`.
fn unguarded_window(env: &Env, args: &[Expr]) -> bool {
    let kind = |i: usize| args.get(i).map(|a| env.facts(a).kind);
    let windowed = matches!(kind(0), Some(Kind::Interval | Kind::Time));
    let percent = match args.len() {
        3 => true,
        2 => kind(1) == Some(Kind::Number),
        _ => false,
    };
    windowed && !percent
}

fn unguarded(
    env: &Env,
    percent_vars: &HashSet<String>,
    e: &Expr,
    guarded: bool,
    out: &mut Vec<Diagnostic>,
) {
    match &e.kind {
        ExprKind::Conditional {
            branches,
            otherwise,
        } => {
            let mut guarded = guarded;
            for (cond, then) in branches {
                unguarded(env, percent_vars, cond, guarded, out);
                guarded |= mentions_percent(percent_vars, cond);
                unguarded(env, percent_vars, then, guarded, out);
            }
            unguarded(env, percent_vars, otherwise, guarded, out);
            return;
        }
        ExprKind::Method {
            receiver,
            name,
            args,
            args_span,
        } if name.text == "GetSample" && !guarded && unguarded_window(env, args) => {
            if let Some(metric) = sampled_metric(receiver) {
                let m = metric.name();
                out.push(
                    Diagnostic::warning(
                        "unguarded-sample",
                        format!(
                            "this windowed `GetSample` needs 70% of the window's samples of {m}: \
                             on a new pool it fails with InsufficientSampleData"
                        ),
                        e.span,
                    )
                    .with_label(
                        Span::new(args_span.start, args_span.start + 1),
                        "the service reports the failure at this `(`",
                    )
                    .with_help(format!(
                        "guard it (`{m}.GetSamplePercent(window) < 70 ? fallback : ...`) \
                         or pass the share of samples you accept (`GetSample(window, 50)`)"
                    )),
                );
            }
        }
        _ => {}
    }
    for child in e.children() {
        unguarded(env, percent_vars, child, guarded, out);
    }
}

/// How each metric's samples are read: `GetSample(1)` alone or with a window.
#[derive(Default)]
struct SampleUse {
    latest: Vec<(Metric, Span)>,
    windowed: HashSet<Metric>,
}

impl SampleUse {
    fn collect(&mut self, env: &Env, e: &Expr) {
        each(e, &mut |x| {
            let ExprKind::Method {
                receiver,
                name,
                args,
                ..
            } = &x.kind
            else {
                return;
            };
            let Some(metric) = sampled_metric(receiver) else {
                return;
            };
            if name.text != "GetSample" {
                return;
            }
            let one = match args.as_slice() {
                [a] => env.facts(a).constant() == Some(1.0),
                _ => false,
            };
            if one {
                self.latest.push((metric, x.span));
            } else {
                self.windowed.insert(metric);
            }
        });
    }

    fn report(&self, out: &mut Vec<Diagnostic>) {
        let mut seen: HashMap<Metric, usize> = HashMap::new();
        for &(metric, span) in &self.latest {
            if self.windowed.contains(&metric) {
                continue;
            }
            if let Some(&i) = seen.get(&metric) {
                if let Some(d) = out.get_mut(i) {
                    d.labels.push(crate::diagnostics::Label {
                        span,
                        message: "also read here".to_string(),
                    });
                }
                continue;
            }
            seen.insert(metric, out.len());
            let m = metric.name();
            out.push(
                Diagnostic::warning(
                    "lone-latest-sample",
                    format!("{m} is only ever read through its latest sample, `GetSample(1)`"),
                    span,
                )
                .with_help(format!(
                    "one sample follows every spike and gap of the metric; decide on a window too, \
                     e.g. `max({m}.GetSample(1), avg({m}.GetSample(TimeInterval_Minute * 5, 50)))`"
                )),
            );
        }
    }
}

fn bare_metrics(e: &Expr, out: &mut Vec<Diagnostic>) {
    // Names that receive a method call are not bare reads.
    let mut receivers: HashSet<Span> = HashSet::new();
    each(e, &mut |x| {
        if let ExprKind::Method { receiver, .. } = &x.kind {
            receivers.insert(receiver.unparen().span);
        }
    });
    each(e, &mut |x| {
        let ExprKind::Name(name) = &x.kind else {
            return;
        };
        if receivers.contains(&x.span) {
            return;
        }
        if let Some(ServiceVariable::Sampled(m)) =
            builtins::service_variable(&name.text).map(|i| i.variable)
        {
            let m = m.name();
            out.push(
                Diagnostic::warning(
                    "bare-metric",
                    format!("{m} is a sampled metric read without a sample method"),
                    x.span,
                )
                .with_help(format!(
                    "the service reads the latest sample; a windowed sample is safer, \
                     e.g. `avg({m}.GetSample(TimeInterval_Minute * 5, 50))`, \
                     or write `val({m}.GetSample(1), 0)` to read the latest on purpose"
                )),
            );
        }
    });
}

fn constant_conditions(env: &Env, e: &Expr, out: &mut Vec<Diagnostic>) {
    let mut stack = vec![e];
    while let Some(x) = stack.pop() {
        let boolean = match &x.unparen().kind {
            ExprKind::Chain { rest, .. } => rest
                .first()
                .is_some_and(|l| l.op.is_comparison() || l.op.precedence() <= 2),
            _ => false,
        };
        if boolean {
            if let Some(t) = truth(env, x) {
                let word = if t { "true" } else { "false" };
                out.push(
                    Diagnostic::warning(
                        "constant-condition",
                        format!("this condition is always {word}"),
                        x.span,
                    )
                    .with_help(
                        "compare against the range the value can take \
                         (for example `hour` is 0 to 23); `&&` needs every part to hold at once",
                    ),
                );
                continue;
            }
        }
        stack.extend(x.children().into_iter().rev());
    }
}

fn target_value(source: &str, env: &Env, target: &Name, value: &Expr, out: &mut Vec<Diagnostic>) {
    let facts: Facts = env.facts(value);
    if facts.kind != Kind::Number {
        return;
    }
    let text = source
        .get(value.span.start..value.span.end)
        .filter(|t| t.len() <= 60 && !t.contains('\n'))
        .unwrap_or("...");
    let name = &target.text;
    if !facts.integer {
        out.push(
            Diagnostic::warning(
                "fractional-target",
                format!("{name} can be given a fractional value: the service truncates it (0.5 becomes 0)"),
                value.span,
            )
            .with_label(target.span, "the target assigned")
            .with_help(format!(
                "round on purpose: `{name} = ceil({text});` (or `round(...)`, `floor(...)`)"
            )),
        );
    }
    if facts.min.is_none_or(|m| m < 0.0) {
        out.push(
            Diagnostic::warning(
                "negative-target",
                format!("{name} can be given a negative value"),
                value.span,
            )
            .with_label(target.span, "the target assigned")
            .with_help(format!("bound it: `{name} = max(0, {text});`")),
        );
    }
}

fn similar_name(target: &Name, out: &mut Vec<Diagnostic>) {
    let text = target.text.as_str();
    let service = builtins::SERVICE_VARIABLES.iter().map(|v| v.name);
    let close = if text.starts_with('$') {
        // Closer than the checker's did-you-mean: a user variable named
        // `$max_dedicated` is deliberate, `$PendingTask` is not.
        // Names are ASCII, and an edit distance is at least the difference in
        // length: most service names are ruled out before any distance is computed.
        let lower = text.to_ascii_lowercase();
        service
            .filter(|n| n.len() >= 8 && n.len().abs_diff(lower.len()) <= 2)
            .map(|n| (strsim::levenshtein(&lower, &n.to_ascii_lowercase()), n))
            .filter(|&(d, _)| d <= 2)
            .min_by_key(|&(d, _)| d)
            .map(|(_, n)| n)
    } else {
        let exact_case = builtins::all_names()
            .chain(builtins::FUNCTIONS.iter().map(|f| f.name))
            .find(|n| n.eq_ignore_ascii_case(text));
        exact_case
    };
    let alias = builtins::alias(text);
    if let Some(close) = alias.or(close) {
        let help = match alias {
            Some(_) => format!("the formula language calls it `{close}`"),
            None => format!(
                "names are case-sensitive: write `{close}` if you meant the service's, \
                 or rename the variable to avoid confusion"
            ),
        };
        let mut d = Diagnostic::warning(
            "similar-name",
            format!("`{text}` is a user variable, not the service's `{close}`"),
            target.span,
        )
        .with_help(help);
        if matches!(
            builtins::service_variable(close).map(|i| i.variable),
            Some(ServiceVariable::Target { .. })
        ) {
            d.message.push_str(": assigning it does not scale the pool");
        }
        out.push(d);
    }
}

fn unused(ast: &Ast, out: &mut Vec<Diagnostic>) {
    let mut read: HashSet<&str> = HashSet::new();
    // First assignments in order, with a set so that thousands of names stay
    // linear (the complexity pass's 16,000-name input).
    let mut assigned: Vec<&Name> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for statement in &ast.statements {
        let value = match &statement.kind {
            StatementKind::Assign { target, value } => {
                if builtins::service_variable(&target.text).is_none()
                    && seen.insert(target.text.as_str())
                {
                    assigned.push(target);
                }
                value
            }
            StatementKind::Expr(value) => value,
        };
        each(value, &mut |x| {
            if let ExprKind::Name(n) = &x.kind {
                read.insert(n.text.as_str());
            }
        });
    }
    for name in assigned {
        if !read.contains(name.text.as_str()) && builtins::constant(&name.text).is_none() {
            out.push(
                Diagnostic::warning(
                    "unused-variable",
                    format!("`{}` is assigned but never read", name.text),
                    name.span,
                )
                .with_help(
                    "remove it, or keep it on purpose: the service lists every user variable in the run's results",
                ),
            );
        }
    }
}

/// `$tasks` and `tasks` are two variables (spec gap G4); using both is
/// almost always one name spelt two ways.
fn two_spellings(ast: &Ast, out: &mut Vec<Diagnostic>) {
    /// Each name's first occurrence, in order, with an index by name so that
    /// a formula with thousands of names stays linear.
    #[derive(Default)]
    struct First<'a> {
        order: Vec<(&'a str, Span)>,
        seen: std::collections::HashMap<&'a str, Span>,
    }
    fn note<'a>(first: &mut First<'a>, name: &'a Name) {
        let text = name.text.as_str();
        if builtins::service_variable(text).is_some()
            || builtins::constant(text).is_some()
            || builtins::keyword(text).is_some()
        {
            return;
        }
        if !first.seen.contains_key(text) {
            first.seen.insert(text, name.span);
            first.order.push((text, name.span));
        }
    }
    let mut first = First::default();
    for statement in &ast.statements {
        let value = match &statement.kind {
            StatementKind::Assign { target, value } => {
                note(&mut first, target);
                value
            }
            StatementKind::Expr(value) => value,
        };
        each(value, &mut |x| {
            if let ExprKind::Name(n) = &x.kind {
                note(&mut first, n);
            }
        });
    }
    for &(name, span) in &first.order {
        let Some(bare) = name.strip_prefix('$') else {
            continue;
        };
        let Some(&other) = first.seen.get(bare) else {
            continue;
        };
        let (later, earlier, later_name) = if span.start > other.start {
            (span, other, name)
        } else {
            (other, span, bare)
        };
        out.push(
            Diagnostic::warning(
                "two-spellings",
                format!("`{bare}` and `${bare}` are two different variables"),
                later,
            )
            .with_label(earlier, "the other spelling")
            .with_help(format!(
                "a `$` is part of the name: `{later_name}` does not read or set the other; use one spelling"
            )),
        );
    }
}
