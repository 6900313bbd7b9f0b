//! The order of `check`: placeholders, syntax (recovering to report every
//! syntax error), the checker, then the lints.

use std::collections::HashMap;

use crate::check::{CheckError, CheckErrorKind, Hint, SymbolKind};
use crate::diagnostics::{Diagnostic, Severity};
use crate::limits::Limits;
use crate::span::Span;
use crate::syntax::{self, Ast, StatementKind, SyntaxError, SyntaxErrorKind};

/// How to check one formula.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The limits in force (the service's by default).
    pub limits: Limits,
    /// `{{name}}` placeholders are expected (a template file): report them as
    /// info and check the rest, instead of as errors.
    pub placeholders_are_info: bool,
    /// Most syntax errors to report before giving up on the formula
    /// (50 when 0).
    pub max_syntax_errors: usize,
}

/// Most syntax errors reported for one formula before `check` gives up on it, by default.
pub const MAX_SYNTAX_ERRORS: usize = 50;

/// Checks formula text, returning every diagnostic, sorted by position.
///
/// After a syntax error, the statements that parse are still checked and
/// linted; a finding that names something a broken statement named is left
/// out, since fixing the syntax error might take it away.
///
/// Inline suppressions (`// batchscale: allow(CODE)`) are applied last, so
/// every face of `check` (the command, the language server, the Python
/// package) honours them alike.
pub fn check_formula(text: &str, options: &CheckOptions) -> Vec<Diagnostic> {
    sorted(super::suppress::apply(text, diagnose(text, options)))
}

/// Every diagnostic of `text`, before suppressions.
fn diagnose(text: &str, options: &CheckOptions) -> Vec<Diagnostic> {
    let (rec, mut out) = syntax_stage(text, options);
    let Some(ast) = rec.ast.as_ref().filter(|_| !rec.gave_up) else {
        return sorted(out);
    };
    let work = rec.text.as_str();
    if rec.errors.is_empty() {
        if let Err(e) = ast.require_statement(work) {
            let mut d = syntax_diagnostic(&e);
            d.help = Some("the service takes a formula of one or more statements".to_string());
            out.push(d);
            return out;
        }
    }
    let (_, errors) = crate::check::check_errors(ast);
    let mut semantic = checker_findings(ast, &errors);
    // A warning about an expression that already has an error adds noise.
    // Error spans sorted by start, so each warning looks only at the errors
    // that start inside it (linear in practice, not warnings × errors).
    let mut errors: Vec<Span> = semantic.iter().map(|d| d.span).collect();
    errors.sort_by_key(|e| (e.start, e.end));
    let holds_error = |w: Span| {
        let from = errors.partition_point(|e| e.start < w.start);
        errors
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|e| e.start <= w.end)
            .any(|e| w.contains(*e))
    };
    semantic.extend(
        super::lint(work, ast)
            .into_iter()
            .filter(|w| !holds_error(w.span)),
    );
    let targets_removed = rec.mentions_removed("$TargetDedicatedNodes $TargetLowPriorityNodes");
    for mut d in semantic {
        let mentioned = std::iter::once(d.span)
            .chain(d.labels.iter().map(|l| l.span))
            .any(|s| rec.mentions_removed(work.get(s.start..s.end).unwrap_or("")));
        if mentioned || (targets_removed && d.code == "no-target") {
            continue;
        }
        d.span = rec.original_span(d.span);
        for l in &mut d.labels {
            l.span = rec.original_span(l.span);
        }
        if let Some(f) = &mut d.fix {
            f.span = rec.original_span(f.span);
        }
        out.push(d);
    }
    sorted(out)
}

/// What `check` reports before names are resolved: template placeholders,
/// every syntax error (with its hint, and the fix for a missing `;`) and the
/// note when it gave up, sorted by position. The REPL reports an input that
/// does not parse through this, so its codes are `check`'s.
#[cfg(feature = "cli")]
pub(crate) fn syntax_findings(text: &str, options: &CheckOptions) -> Vec<Diagnostic> {
    sorted(syntax_stage(text, options).1)
}

/// The placeholder scan and the recovering parse, with their findings.
fn syntax_stage(text: &str, options: &CheckOptions) -> (syntax::Recovery, Vec<Diagnostic>) {
    let (work, mut out) = placeholders(text, options.placeholders_are_info);
    let cap = match options.max_syntax_errors {
        0 => MAX_SYNTAX_ERRORS,
        n => n,
    };
    let rec = syntax::parse_recovering(&work, &options.limits, cap);
    for e in &rec.errors {
        let mut d = syntax_diagnostic(e);
        if d.help.is_none() {
            d.help = syntax::hint(&work, e);
        }
        // Reported, as by `eval`, at the token the parser could not take
        // (docs/check-files.md, "Positions"); the fix goes where the `;` belongs.
        if let SyntaxErrorKind::MissingSemicolon { insert_at } = e.kind {
            let point = Span::point(insert_at);
            d = d
                .with_label(point, "a `;` belongs here")
                .with_fix(point, ";");
        }
        out.push(d);
    }
    if rec.gave_up {
        out.push(Diagnostic::new(
            Severity::Info,
            "too-many-errors",
            format!(
                "stopped after {cap} syntax error{}; fix them and check again",
                if cap == 1 { "" } else { "s" }
            ),
            Span::point(0),
        ));
    }
    (rec, out)
}

/// The checker's `errors` about `ast` as `check` reports them: a name read
/// before a later assignment, a misspelt metric as a receiver. The REPL
/// reports its inputs' checker errors through this too.
pub(crate) fn checker_findings(ast: &Ast, errors: &[CheckError]) -> Vec<Diagnostic> {
    let assignments = assignments(ast);
    errors
        .iter()
        .map(|e| {
            let d = read_before_assigned(&assignments, e)
                .or_else(|| unknown_receiver(e))
                .unwrap_or_else(|| e.diagnostic());
            did_you_mean_fix(e, d)
        })
        .collect()
}

fn sorted(mut out: Vec<Diagnostic>) -> Vec<Diagnostic> {
    out.sort_by(|a, b| {
        (a.span.start, a.span.end, b.severity).cmp(&(b.span.start, b.span.end, a.severity))
    });
    out
}

/// The stable code and text of a syntax error.
pub fn syntax_diagnostic(e: &SyntaxError) -> Diagnostic {
    let code = match e.kind {
        SyntaxErrorKind::MissingSemicolon { .. } => "missing-semicolon",
        SyntaxErrorKind::TooLong { .. } => "formula-too-long",
        SyntaxErrorKind::TooManyStatements { .. } => "too-many-statements",
        SyntaxErrorKind::TooDeep { .. } => "too-deep",
        _ => "syntax-error",
    };
    let mut d = Diagnostic::error(code, e.kind.to_string(), e.span);
    d.help = e.help();
    d
}

/// The checker calls a name read before its assignment undefined; say so.
/// Each assigned name's assignment targets, in statement order.
fn assignments(ast: &Ast) -> HashMap<&str, Vec<Span>> {
    let mut map: HashMap<&str, Vec<Span>> = HashMap::new();
    for s in &ast.statements {
        if let StatementKind::Assign { target, .. } = &s.kind {
            map.entry(target.text.as_str())
                .or_default()
                .push(target.span);
        }
    }
    map
}

fn read_before_assigned(
    assignments: &HashMap<&str, Vec<Span>>,
    e: &CheckError,
) -> Option<Diagnostic> {
    let CheckErrorKind::UndefinedSymbol {
        name,
        kind: SymbolKind::Variable | SymbolKind::Function,
    } = &e.kind
    else {
        return None;
    };
    // The first assignment after the read (targets are in source order).
    let targets = assignments.get(name.as_str())?;
    let later = targets.partition_point(|t| t.start <= e.span.start);
    let assigned = *targets.get(later)?;
    let kind = CheckErrorKind::ReadBeforeAssigned { name: name.clone() };
    Some(
        CheckError::new(kind, e.span)
            .diagnostic()
            .with_label(assigned, "assigned here, later")
            .with_help("statements run in order: move the assignment above the first read"),
    )
}

/// Finds `{...}` and `{{...}}` outside strings and comments; returns the text
/// with each replaced by `0` and spaces (same length), and the diagnostics.
fn placeholders(text: &str, info: bool) -> (String, Vec<Diagnostic>) {
    let mut work = text.to_string();
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut in_string = false;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => in_string = false,
            b'"' => in_string = !in_string,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => {
                i = text
                    .get(i..)
                    .and_then(|r| r.find('\n'))
                    .map_or(text.len(), |n| i + n);
                continue;
            }
            b'{' if !in_string => {
                let double = bytes.get(i + 1) == Some(&b'{');
                let close = if double { "}}" } else { "}" };
                let open_len = close.len();
                let line_end = text
                    .get(i..)
                    .and_then(|r| r.find('\n'))
                    .map_or(text.len(), |n| i + n);
                let end = text
                    .get(i + open_len..line_end)
                    .and_then(|r| r.find(close))
                    .map(|n| i + open_len + n + close.len());
                let start = if i > 0 && bytes.get(i - 1) == Some(&b'$') {
                    i - 1
                } else {
                    i
                };
                let end = end.unwrap_or(i + open_len);
                let shown = text.get(start..end).unwrap_or("{");
                let name = shown
                    .trim_start_matches('$')
                    .trim_matches(|c| c == '{' || c == '}')
                    .trim();
                let span = Span::new(start, end);
                let d = if info && double {
                    Diagnostic::new(
                        Severity::Info,
                        "not-statically-checkable",
                        format!("`{shown}` is a template placeholder: the rest is checked with 0 in its place"),
                        span,
                    )
                } else {
                    Diagnostic::error(
                        "template-placeholder",
                        format!("template text `{shown}` left in the formula"),
                        span,
                    )
                };
                out.push(d.with_help(format!(
                    "the template was not filled; check it with a value: `--define {}=VALUE`",
                    if name.is_empty() { "NAME" } else { name }
                )));
                let filler: String = std::iter::once('0')
                    .chain(std::iter::repeat_n(' ', end - start - 1))
                    .collect();
                if work.is_char_boundary(start) && work.is_char_boundary(end) {
                    work.replace_range(start..end, &filler);
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    (work, out)
}

/// A name the checker could not resolve, with a close known name in its
/// hint, gets that name as an unsafe fix: the span is the name's own, so the
/// fix replaces it whole. Unsafe because the closest name may not be the one
/// meant (`--unsafe-fixes` applies it).
fn did_you_mean_fix(e: &CheckError, d: Diagnostic) -> Diagnostic {
    let name_unresolved = matches!(e.kind, CheckErrorKind::UndefinedSymbol { .. })
        && d.code != "read-before-assigned";
    match (&e.hint, name_unresolved, &d.fix) {
        (Some(Hint::DidYouMean(name)), true, None) => d.with_unsafe_fix(e.span, name.clone()),
        _ => d,
    }
}

/// `$PendingTask.GetSample(1)`: the checker says the receiver has no sample
/// history; the service says `Undefined symbol`, and the name is a typo.
fn unknown_receiver(e: &CheckError) -> Option<Diagnostic> {
    let CheckErrorKind::NotSampled { receiver, .. } = &e.kind else {
        return None;
    };
    let is_name = receiver.starts_with('$')
        && receiver
            .chars()
            .skip(1)
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !is_name || crate::builtins::service_variable(receiver).is_some() {
        return None;
    }
    let metrics = crate::builtins::Metric::ALL.iter().map(|m| m.name());
    let close = crate::input::did_you_mean(receiver, metrics)?;
    let kind = CheckErrorKind::UndefinedSymbol {
        name: receiver.clone(),
        kind: SymbolKind::Variable,
    };
    Some(
        CheckError::new(kind, e.span)
            .with_hint(Some(Hint::DidYouMean(close.to_string())))
            .diagnostic()
            .with_unsafe_fix(e.span, close),
    )
}
