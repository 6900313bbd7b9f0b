//! Formatting and code actions: every edit is made on the formula's own text
//! and mapped back to the file, and only where the file's escaping cannot be
//! broken by it.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, Diagnostic as LspDiagnostic, TextEdit, WorkspaceEdit};

use super::document::{Document, Unit};
use super::names::{referent, Referent};
use super::position::Encoding;
use crate::builtins::{self, CONSTANTS, FUNCTIONS, METHODS, SERVICE_VARIABLES};
use crate::diagnostics::{Applicability, Diagnostic, Severity};
use crate::extract::Carrier;
use crate::format::format_formula;
use crate::input::did_you_mean;
use crate::lint::directive_for;
use crate::span::Span;
use crate::syntax::{Ast, Expr, ExprKind, StatementKind};
use crate::value::NodeDeallocationOption;

/// Characters that need no escaping in a JSON, Bicep, Terraform or Nextflow
/// string: text made of these is written into a host string as it is.
fn plain_in_every_host(text: &str) -> bool {
    !text.chars().any(|c| {
        matches!(
            c,
            '"' | '\\' | '\'' | '$' | '{' | '}' | '%' | '\n' | '\r' | '\t'
        )
    })
}

/// An edit of `span` of the formula, as a file edit, when the file keeps its
/// escaping: the formula is verbatim in the file around the span, and the new
/// text needs no escape in any host.
fn host_edit(
    doc: &Document,
    unit: &Unit,
    span: Span,
    new_text: &str,
    encoding: Encoding,
) -> Option<TextEdit> {
    let host = unit.host(span);
    let verbatim_here = host.len() == span.len();
    if doc.carrier != Carrier::Plain && !(verbatim_here && plain_in_every_host(new_text)) {
        return None;
    }
    Some(TextEdit::new(
        doc.lines.range(&doc.text, host, encoding),
        new_text.to_string(),
    ))
}

/// The whole document formatted: a formula file always; in a host file, each
/// formula held verbatim in a string that already spans lines (a Bicep `'''`
/// string, a Terraform heredoc), where the new line breaks are legal.
pub(crate) fn formatting(doc: &Document, encoding: Encoding) -> Option<Vec<TextEdit>> {
    let mut edits = Vec::new();
    for unit in &doc.analysis.units {
        let text = &unit.formula.text;
        let Ok(formatted) = format_formula(text) else {
            continue;
        };
        let formatted = if doc.carrier == Carrier::Plain {
            formatted
        } else {
            if !unit.verbatim || !text.contains('\n') || formatted.contains(['\'', '$', '%', '\\'])
            {
                continue;
            }
            // Keep the string's own leading and trailing white space.
            let lead = text
                .get(..text.len() - text.trim_start().len())
                .unwrap_or("");
            let trail = text.get(text.trim_end().len()..).unwrap_or("");
            format!("{lead}{}{trail}", formatted.trim())
        };
        if formatted != *text {
            let span = unit.host(Span::new(0, text.len()));
            edits.push(TextEdit::new(
                doc.lines.range(&doc.text, span, encoding),
                formatted,
            ));
        }
    }
    Some(edits)
}

/// The quick fixes for the diagnostics of `unit` that meet `range` (file offsets).
pub(crate) fn code_actions(
    doc: &Document,
    range: Span,
    encoding: Encoding,
    to_lsp: &dyn Fn(&Unit, &Diagnostic) -> LspDiagnostic,
) -> Vec<CodeAction> {
    let mut out = Vec::new();
    for unit in &doc.analysis.units {
        for d in &unit.diagnostics {
            let host = unit.host(d.span);
            if host.end < range.start || host.start > range.end {
                continue;
            }
            if let Some(action) = suppress_action(doc, unit, d, encoding, to_lsp) {
                out.push(action);
            }
            for (title, span, new_text, preferred) in fixes(unit, d) {
                let Some(edit) = host_edit(doc, unit, span, &new_text, encoding) else {
                    continue;
                };
                out.push(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![to_lsp(unit, d)]),
                    edit: Some(WorkspaceEdit {
                        changes: Some(HashMap::from([(doc.uri.clone(), vec![edit])])),
                        ..WorkspaceEdit::default()
                    }),
                    is_preferred: Some(preferred),
                    ..CodeAction::default()
                });
            }
        }
    }
    out
}

/// "Suppress CODE for this statement": a `// batchscale: allow(CODE)` line
/// above the statement of a warning or info. In a host file only where the
/// formula is verbatim in a string that already spans lines (a Bicep `'''`
/// string, a Terraform heredoc), where a new line is legal.
fn suppress_action(
    doc: &Document,
    unit: &Unit,
    d: &Diagnostic,
    encoding: Encoding,
    to_lsp: &dyn Fn(&Unit, &Diagnostic) -> LspDiagnostic,
) -> Option<CodeAction> {
    if d.severity == Severity::Error || d.code == "unused-suppression" {
        return None;
    }
    let text = &unit.formula.text;
    let multi_line_host = unit.verbatim && text.contains('\n');
    if doc.carrier != Carrier::Plain && !multi_line_host {
        return None;
    }
    let (at, insert) = directive_for(text, d.span.start, d.code)?;
    let edit = TextEdit::new(doc.lines.range(&doc.text, unit.host(at), encoding), insert);
    Some(CodeAction {
        title: format!("Suppress `{}` for this statement", d.code),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![to_lsp(unit, d)]),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(doc.uri.clone(), vec![edit])])),
            ..WorkspaceEdit::default()
        }),
        is_preferred: Some(false),
        ..CodeAction::default()
    })
}

/// (title, formula span, new text, preferred) for each fix of `d`.
fn fixes(unit: &Unit, d: &Diagnostic) -> Vec<(String, Span, String, bool)> {
    let text = &unit.formula.text;
    let written = text.get(d.span.start..d.span.end).unwrap_or("");
    let mut out = Vec::new();
    if let Some(fix) = &d.fix {
        let title = if fix.span.is_empty() {
            format!("Insert `{}`", fix.replacement)
        } else if fix.replacement.is_empty() {
            "Remove this".to_string()
        } else {
            format!("Replace with `{}`", fix.replacement)
        };
        let preferred = fix.applicability == Applicability::Safe;
        out.push((title, fix.span, fix.replacement.clone(), preferred));
    }
    match d.code {
        // The checker's own did-you-mean arrives as the fix above.
        "undefined-symbol" | "unknown-method" if d.fix.is_none() => {
            if let Some(name) = suggestion(unit, d, written) {
                out.push((
                    format!("Replace with `{name}`"),
                    d.span,
                    name.to_string(),
                    true,
                ));
            }
        }
        "fractional-target" => {
            out.push((
                format!("Round up: `ceil({written})`"),
                d.span,
                format!("ceil({written})"),
                true,
            ));
        }
        "negative-target" => {
            out.push((
                format!("Bound below: `max(0, {written})`"),
                d.span,
                format!("max(0, {written})"),
                true,
            ));
        }
        "unguarded-sample" => {
            if let Some(guarded) = unit.ast().and_then(|ast| guard(ast, text, d.span)) {
                out.push((
                    "Guard with `GetSamplePercent`".to_string(),
                    d.span,
                    guarded,
                    true,
                ));
            }
        }
        _ => {}
    }
    out
}

/// The closest name of the right kind to a name that does not resolve.
fn suggestion<'a>(unit: &'a Unit, d: &Diagnostic, written: &str) -> Option<&'a str> {
    if d.code == "unknown-method" {
        return did_you_mean(written, METHODS.iter().map(|m| m.name));
    }
    let is_call = unit
        .formula
        .text
        .get(d.span.end..)
        .is_some_and(|rest| rest.trim_start().starts_with('('));
    if is_call {
        return did_you_mean(written, FUNCTIONS.iter().map(|f| f.name));
    }
    let users = unit.ast().into_iter().flat_map(|ast| {
        ast.statements.iter().filter_map(|s| match &s.kind {
            StatementKind::Assign { target, .. }
                if matches!(referent(&target.text), Referent::User) =>
            {
                Some(target.text.as_str())
            }
            _ => None,
        })
    });
    did_you_mean(
        written,
        SERVICE_VARIABLES
            .iter()
            .map(|v| v.name)
            .chain(CONSTANTS.iter().map(|(n, _)| *n))
            .chain(NodeDeallocationOption::ALL.iter().map(|o| o.keyword()))
            .chain(users),
    )
}

/// `(M.GetSamplePercent(window) < 70 ? M.GetSample(1) : M.GetSample(window))`
/// for the windowed sample at `span`: on a new pool the latest sample stands in
/// for the window until 70 % of it (the default `samplePercent`) is there.
fn guard(ast: &Ast, text: &str, span: Span) -> Option<String> {
    let call = ast.statements.iter().find_map(|s| {
        let e = match &s.kind {
            StatementKind::Assign { value, .. } => value,
            StatementKind::Expr(e) => e,
        };
        find(e, span)
    })?;
    let ExprKind::Method { receiver, args, .. } = &call.kind else {
        return None;
    };
    let receiver = text.get(receiver.span.start..receiver.span.end)?;
    let window: Vec<&str> = args
        .iter()
        .take(2)
        .filter_map(|a| text.get(a.span.start..a.span.end))
        .collect();
    let original = text.get(span.start..span.end)?;
    builtins::method("GetSamplePercent")?;
    Some(format!(
        "({receiver}.GetSamplePercent({}) < 70 ? {receiver}.GetSample(1) : {original})",
        window.join(", ")
    ))
}

fn find(e: &Expr, span: Span) -> Option<&Expr> {
    if e.span == span {
        return Some(e);
    }
    if !e.span.contains(span) {
        return None;
    }
    match &e.kind {
        ExprKind::Call { args, .. } => args.iter().find_map(|a| find(a, span)),
        ExprKind::Method { receiver, args, .. } => {
            find(receiver, span).or_else(|| args.iter().find_map(|a| find(a, span)))
        }
        ExprKind::Member { receiver, .. } => find(receiver, span),
        ExprKind::Unary { operand, .. } => find(operand, span),
        ExprKind::Chain { first, rest } => {
            find(first, span).or_else(|| rest.iter().find_map(|l| find(&l.rhs, span)))
        }
        ExprKind::Conditional {
            branches,
            otherwise,
        } => branches
            .iter()
            .find_map(|(c, v)| find(c, span).or_else(|| find(v, span)))
            .or_else(|| find(otherwise, span)),
        ExprKind::Paren(inner) => find(inner, span),
        _ => None,
    }
}
