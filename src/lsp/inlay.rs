//! Inlay hints with live values: when a context is configured for a file, each
//! assignment shows the value it takes under that context and the statement
//! that sets the targets shows the results string the service would return.
//!
//! The context is named by a `// batchscale: context=FILE` line in the formula,
//! or else by `context = "FILE"` in a `batchscale.toml` beside the file; a
//! relative path is read from the directory of the file that names it.

use std::path::{Path, PathBuf};

use lsp_types::{InlayHint, InlayHintLabel, InlayHintTooltip};

use super::document::{Document, Unit};
use super::names::{referent, Referent};
use super::position::Encoding;
use crate::builtins::ServiceVariable;
use crate::context::{load_context_json, EvalContext};
use crate::limits::Limits;
use crate::repl::{Effect, Rejected, Session};
use crate::span::Span;
use crate::syntax::StatementKind;
use crate::value::{format_value, Timestamp};
use crate::Formula;

/// The marker of a context line in a formula.
const CONTEXT_MARKER: &str = "batchscale: context=";

/// The context file configured for `file` whose formula is `formula`.
fn context_path(file: &Path, formula: &str) -> Option<PathBuf> {
    let dir = file.parent()?;
    let from_line = formula.lines().find_map(|line| {
        let comment = line.trim_start().strip_prefix("//")?;
        comment
            .trim()
            .strip_prefix(CONTEXT_MARKER)
            .map(|p| p.trim().to_string())
    });
    if let Some(path) = from_line.filter(|p| !p.is_empty()) {
        return Some(dir.join(path));
    }
    let toml_text = std::fs::read_to_string(dir.join("batchscale.toml")).ok()?;
    let table: toml::Table = toml::from_str(&toml_text).ok()?;
    let path = table.get("context")?.as_str()?;
    Some(dir.join(path))
}

/// The context for a formula, or why it could not be read.
fn load(file: &Path, formula: &str, now: Timestamp) -> Option<Result<EvalContext, String>> {
    let path = context_path(file, formula)?;
    let shown = path.display().to_string();
    Some(
        std::fs::read(&path)
            .map_err(|e| format!("{shown}: {e}"))
            .and_then(|bytes| load_context_json(&shown, &bytes).map_err(|e| e.to_string()))
            .map(|f| {
                let mut ctx = f.context;
                if f.now.is_none() {
                    ctx.now = now;
                }
                ctx
            }),
    )
}

/// The hints of every formula of `doc`; `now` stands in for a context without one.
pub(crate) fn hints(doc: &Document, encoding: Encoding, now: Timestamp) -> Vec<InlayHint> {
    let Ok(file) = doc.uri.to_file_path() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for unit in &doc.analysis.units {
        match load(&file, &unit.formula.text, now) {
            None => {}
            Some(Ok(ctx)) => unit_hints(doc, unit, &ctx, encoding, &mut out),
            Some(Err(message)) => {
                let at = unit.host(Span::point(0));
                out.push(hint(doc, at.start, format!("context: {message}"), encoding));
            }
        }
    }
    out
}

fn hint(doc: &Document, host: usize, label: String, encoding: Encoding) -> InlayHint {
    InlayHint {
        position: doc.lines.position(&doc.text, host, encoding),
        label: InlayHintLabel::String(label),
        kind: None,
        text_edits: None,
        tooltip: Some(InlayHintTooltip::String(
            "the value under the configured context".to_string(),
        )),
        padding_left: Some(true),
        padding_right: None,
        data: None,
    }
}

fn unit_hints(
    doc: &Document,
    unit: &Unit,
    ctx: &EvalContext,
    encoding: Encoding,
    out: &mut Vec<InlayHint>,
) {
    let Some(ast) = unit.ast() else { return };
    let text = &unit.formula.text;
    // After the statement's `;` when it has one.
    let end_of = |span: Span| {
        let semicolon = text.get(span.end..).is_some_and(|r| r.starts_with(';'));
        unit.host(Span::point(span.end + usize::from(semicolon)))
            .start
    };
    let mut session = Session::new(Limits::default(), ctx.seed);
    for statement in &ast.statements {
        let written = text
            .get(statement.span.start..statement.span.end)
            .unwrap_or("");
        let label = match session.enter_statements(&format!("{written};"), ctx) {
            Ok(entered) => match entered.effects.first() {
                Some(Effect::Assigned { value, .. }) => {
                    let mut shown = String::from("= ");
                    format_value(value, &mut shown);
                    shown
                }
                Some(Effect::Value(value)) => {
                    let mut shown = String::from("→ ");
                    format_value(value, &mut shown);
                    shown
                }
                Some(Effect::Stopped) => "stop(): the statements after it do not run".to_string(),
                Some(Effect::NotRun) | None => continue,
            },
            Err(Rejected::Eval(e)) => format!("error: {}", e.kind),
            Err(Rejected::AfterStop) => break,
            Err(_) => "not evaluated: the statement has errors".to_string(),
        };
        let failed = label.starts_with("error") || label.starts_with("not evaluated");
        out.push(hint(doc, end_of(statement.span), label, encoding));
        if failed {
            // The service stops at the first failing statement.
            break;
        }
    }
    // The results string, on the last statement that sets a target.
    let targets = ast.statements.iter().rev().find(|s| match &s.kind {
        StatementKind::Assign { target, .. } => matches!(
            referent(&target.text),
            Referent::Service(info) if matches!(info.variable, ServiceVariable::Target { .. })
        ),
        StatementKind::Expr(_) => false,
    });
    let (Some(statement), Ok(formula)) = (targets, Formula::parse(text)) else {
        return;
    };
    let run = formula.evaluate(ctx);
    let label = match &run.error {
        None => format!("results: {}", run.results),
        Some(error) => format!("results: {} ({})", run.results, error.code),
    };
    out.push(hint(doc, end_of(statement.span), label, encoding));
}
