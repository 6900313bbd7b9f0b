//! Going between the uses of user variables (definition, references, rename,
//! highlight) and the outline of a formula (symbols, semantic tokens, folds).

use std::collections::HashMap;

use lsp_types::{
    DocumentHighlight, DocumentHighlightKind, DocumentSymbol, FoldingRange, FoldingRangeKind,
    Location, SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokensLegend,
    SymbolKind, TextEdit, WorkspaceEdit,
};

use super::document::{Document, Unit};
use super::names::{
    is_user_variable, referent, same_variable, token_at, tokens, Referent, Role, Token,
};
use super::position::Encoding;
use crate::builtins::ServiceVariable;
use crate::span::Span;
use crate::syntax::StatementKind;

/// The user-variable tokens that name the same variable as the token at `host`.
fn occurrences(doc: &Document, host: usize) -> Option<(&Unit, Token, Vec<Token>)> {
    let (unit, local) = doc.unit_at(host)?;
    let all = tokens(unit.ast()?);
    let token = token_at(&all, local)?.clone();
    let same: Vec<Token> = same_variable(&all, &token).into_iter().cloned().collect();
    (!same.is_empty()).then_some((unit, token, same))
}

/// Where the variable under the cursor was last assigned before it is read
/// (its first assignment when it is read before any).
pub(crate) fn definition(doc: &Document, host: usize, encoding: Encoding) -> Option<Location> {
    let (unit, token, same) = occurrences(doc, host)?;
    let assignments: Vec<&Token> = same.iter().filter(|t| t.role == Role::Assigned).collect();
    let target = assignments
        .iter()
        .rev()
        .find(|t| t.statement < token.statement || **t == &token)
        .or_else(|| assignments.first())?;
    Some(Location::new(
        doc.uri.clone(),
        doc.lines.range(&doc.text, unit.host(target.span), encoding),
    ))
}

/// Every use of the variable under the cursor.
pub(crate) fn references(
    doc: &Document,
    host: usize,
    declarations: bool,
    encoding: Encoding,
) -> Vec<Location> {
    let Some((unit, _, same)) = occurrences(doc, host) else {
        return Vec::new();
    };
    same.iter()
        .filter(|t| declarations || t.role != Role::Assigned)
        .map(|t| {
            Location::new(
                doc.uri.clone(),
                doc.lines.range(&doc.text, unit.host(t.span), encoding),
            )
        })
        .collect()
}

/// The uses of the variable under the cursor, writes told from reads.
pub(crate) fn highlight(doc: &Document, host: usize, encoding: Encoding) -> Vec<DocumentHighlight> {
    let Some((unit, _, same)) = occurrences(doc, host) else {
        return Vec::new();
    };
    same.iter()
        .map(|t| DocumentHighlight {
            range: doc.lines.range(&doc.text, unit.host(t.span), encoding),
            kind: Some(if t.role == Role::Assigned {
                DocumentHighlightKind::WRITE
            } else {
                DocumentHighlightKind::READ
            }),
        })
        .collect()
}

/// Why a rename cannot be made.
pub(crate) fn rename(
    doc: &Document,
    host: usize,
    new_name: &str,
    encoding: Encoding,
) -> Result<WorkspaceEdit, String> {
    let (unit, token, same) =
        occurrences(doc, host).ok_or("only a user variable can be renamed")?;
    let valid = {
        let body = new_name.strip_prefix('$').unwrap_or(new_name);
        body.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && body.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if !valid {
        return Err(format!(
            "`{new_name}` is not a variable name: a letter or `_`, then letters, digits or `_`, with an optional leading `$`"
        ));
    }
    if !matches!(referent(new_name), Referent::User)
        || crate::builtins::function(new_name).is_some()
    {
        return Err(format!("`{new_name}` is a built-in name"));
    }
    let taken = tokens(unit.ast().ok_or("the formula does not parse")?)
        .iter()
        .any(|t| is_user_variable(t) && t.name == new_name);
    if taken {
        return Err(format!(
            "`{new_name}` is already a variable of this formula"
        ));
    }
    let mut edits = Vec::new();
    for t in &same {
        let span = unit.host(t.span);
        if span.len() != t.span.len() {
            return Err(format!(
                "`{}` is written with escapes in this file",
                token.name
            ));
        }
        edits.push(TextEdit::new(
            doc.lines.range(&doc.text, span, encoding),
            new_name.to_string(),
        ));
    }
    Ok(WorkspaceEdit {
        changes: Some(HashMap::from([(doc.uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    })
}

/// One symbol per statement, named by what it assigns.
#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written.
pub(crate) fn symbols(doc: &Document, encoding: Encoding) -> Vec<DocumentSymbol> {
    let mut out = Vec::new();
    for unit in &doc.analysis.units {
        let Some(ast) = unit.ast() else { continue };
        for statement in &ast.statements {
            let range = doc
                .lines
                .range(&doc.text, unit.host(statement.span), encoding);
            let (name, kind, selection) = match &statement.kind {
                StatementKind::Assign { target, .. } => {
                    let kind = match referent(&target.text) {
                        Referent::Service(_) => SymbolKind::PROPERTY,
                        _ => SymbolKind::VARIABLE,
                    };
                    (target.text.clone(), kind, unit.host(target.span))
                }
                StatementKind::Expr(e) => {
                    let written = unit
                        .formula
                        .text
                        .get(e.span.start..e.span.end)
                        .unwrap_or("");
                    (
                        written.chars().take(40).collect(),
                        SymbolKind::FUNCTION,
                        unit.host(e.span),
                    )
                }
            };
            out.push(DocumentSymbol {
                name,
                detail: None,
                kind,
                tags: None,
                deprecated: None,
                range,
                selection_range: doc.lines.range(&doc.text, selection, encoding),
                children: None,
            });
        }
    }
    out
}

/// The token types, in legend order.
const TYPES: [SemanticTokenType; 10] = [
    SemanticTokenType::VARIABLE,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::METHOD,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::NUMBER,
    SemanticTokenType::STRING,
    SemanticTokenType::COMMENT,
    SemanticTokenType::OPERATOR,
    SemanticTokenType::ENUM_MEMBER,
    SemanticTokenType::KEYWORD,
];

const READONLY: u32 = 1;
const DEFAULT_LIBRARY: u32 = 2;
const DECLARATION: u32 = 4;

/// The legend the tokens are written in.
pub(crate) fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: vec![
            SemanticTokenModifier::READONLY,
            SemanticTokenModifier::DEFAULT_LIBRARY,
            SemanticTokenModifier::DECLARATION,
        ],
    }
}

/// (legend index, modifier bits) of a token.
fn classify(token: &Token) -> (u32, u32) {
    match token.role {
        Role::Function => (1, DEFAULT_LIBRARY),
        Role::Method => (2, DEFAULT_LIBRARY),
        Role::Member => (3, DEFAULT_LIBRARY),
        Role::Number => (4, 0),
        Role::String => (5, 0),
        Role::Operator => (7, 0),
        Role::Assigned | Role::Read => {
            let declaration = if token.role == Role::Assigned {
                DECLARATION
            } else {
                0
            };
            match referent(&token.name) {
                Referent::Service(info) => {
                    let writable = matches!(
                        info.variable,
                        ServiceVariable::Target { .. } | ServiceVariable::NodeDeallocationOption
                    );
                    let readonly = if writable { 0 } else { READONLY };
                    (0, DEFAULT_LIBRARY | readonly | declaration)
                }
                Referent::Constant => (0, DEFAULT_LIBRARY | READONLY),
                Referent::Keyword => (8, DEFAULT_LIBRARY),
                Referent::User => (0, declaration),
            }
        }
    }
}

/// Semantic tokens of every formula, delta-encoded as the protocol wants.
pub(crate) fn semantic_tokens(doc: &Document, encoding: Encoding) -> Vec<SemanticToken> {
    let mut spans: Vec<(Span, u32, u32)> = Vec::new();
    for unit in &doc.analysis.units {
        let Some(ast) = unit.ast() else { continue };
        for token in tokens(ast) {
            let (kind, modifiers) = classify(&token);
            spans.push((unit.host(token.span), kind, modifiers));
        }
        for comment in &ast.comments {
            let text = unit
                .formula
                .text
                .get(comment.start..comment.end)
                .unwrap_or("");
            let own = Span::new(comment.start, comment.start + text.trim_end().len());
            spans.push((unit.host(own), 6, 0));
        }
    }
    spans.sort_by_key(|(s, _, _)| (s.start, s.end));
    let mut out = Vec::with_capacity(spans.len());
    let (mut line, mut column) = (0u32, 0u32);
    for (span, kind, modifiers) in spans {
        let range = doc.lines.range(&doc.text, span, encoding);
        // A token the protocol cannot carry (spanning lines after unescaping) is left out.
        if range.start.line != range.end.line || range.end.character <= range.start.character {
            continue;
        }
        let delta_line = range.start.line - line;
        let delta_start = if delta_line == 0 {
            range.start.character - column
        } else {
            range.start.character
        };
        out.push(SemanticToken {
            delta_line,
            delta_start,
            length: range.end.character - range.start.character,
            token_type: kind,
            token_modifiers_bitset: modifiers,
        });
        line = range.start.line;
        column = range.start.character;
    }
    out
}

/// One fold per run of two or more comment lines.
pub(crate) fn folding(doc: &Document, encoding: Encoding) -> Vec<FoldingRange> {
    let mut lines: Vec<u32> = Vec::new();
    for unit in &doc.analysis.units {
        let Some(ast) = unit.ast() else { continue };
        for comment in &ast.comments {
            let at = doc
                .lines
                .position(&doc.text, unit.host(*comment).start, encoding);
            lines.push(at.line);
        }
    }
    lines.sort_unstable();
    lines.dedup();
    let mut out = Vec::new();
    let mut run: Option<(u32, u32)> = None;
    for line in lines.into_iter().map(Some).chain([None]) {
        match (run, line) {
            (Some((first, last)), Some(l)) if l == last + 1 => run = Some((first, l)),
            (previous, next) => {
                if let Some((first, last)) = previous.filter(|(f, l)| l > f) {
                    out.push(FoldingRange {
                        start_line: first,
                        start_character: None,
                        end_line: last,
                        end_character: None,
                        kind: Some(FoldingRangeKind::Comment),
                        collapsed_text: None,
                    });
                }
                run = next.map(|l| (l, l));
            }
        }
    }
    out
}
