//! Hover, completion and signature help: the builtins table's docs and the
//! REPL's completer, placed at the cursor.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, Hover, HoverContents,
    MarkupContent, MarkupKind, ParameterInformation, ParameterLabel, SignatureHelp,
    SignatureInformation, TextEdit,
};

use super::document::{Document, Unit};
use super::names::{referent, token_at, tokens, variable_types, Referent, Role};
use super::position::Encoding;
use crate::builtins::{self, ServiceVariable, CONSTANTS, FUNCTIONS, METHODS};
use crate::span::Span;

fn markdown(value: String) -> MarkupContent {
    MarkupContent {
        kind: MarkupKind::Markdown,
        value,
    }
}

/// The docs of the name under the cursor.
pub(crate) fn hover(doc: &Document, host: usize, encoding: Encoding) -> Option<Hover> {
    let (unit, local) = doc.unit_at(host)?;
    let ast = unit.ast()?;
    let all = tokens(ast);
    let token = token_at(&all, local)?;
    let text = match token.role {
        Role::Function => {
            let f = builtins::function(&token.name)?;
            format!("```\n{}\n```\n{}", f.signature, f.doc)
        }
        Role::Method => {
            let m = builtins::method(&token.name)?;
            format!("```\n{}\n```\n{}", m.signature, m.doc)
        }
        Role::Member => {
            builtins::member(&token.name)?;
            format!(
                "```\ndouble timestamp.{}\n```\nA member of a timestamp (`time()`, `HistoryBeginTime()`): its {} in UTC.",
                token.name, token.name
            )
        }
        Role::Assigned | Role::Read => match referent(&token.name) {
            Referent::Service(info) => {
                let mut text = format!("```\n{}\n```\n{}", info.name, info.doc);
                if let ServiceVariable::Sampled(_) = info.variable {
                    text.push_str(
                        "\n\nA sampled metric: read bare it gives the latest sample; \
                         `.GetSample(...)` gives its history (one sample every 30 s on the service).",
                    );
                }
                text
            }
            Referent::Constant => {
                let seconds = builtins::constant(&token.name)?.as_seconds_f64();
                format!(
                    "```\ntimeinterval {}\n```\nA time interval constant: {seconds} s.",
                    token.name
                )
            }
            Referent::Keyword => format!(
                "```\nnodeDeallocationOption {}\n```\nA value of `$NodeDeallocationOption`.",
                token.name
            ),
            Referent::User => {
                let types = variable_types(ast, token.statement);
                let written = types
                    .get(&token.name)
                    .copied()
                    .flatten()
                    .map_or("type known only when evaluated".to_string(), |t| {
                        t.to_string()
                    });
                format!("```\n{} : {written}\n```\nA user variable.", token.name)
            }
        },
        _ => return None,
    };
    let range = doc.lines.range(&doc.text, unit.host(token.span), encoding);
    Some(Hover {
        contents: HoverContents::Markup(markdown(text)),
        range: Some(range),
    })
}

/// The user variables a formula assigns, read from its text so that a formula
/// that does not parse while being typed still offers them.
fn assigned_names(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts_name = |b: u8| b == b'$' || b == b'_' || b.is_ascii_alphabetic();
        if bytes.get(i).copied().is_some_and(starts_name)
            && (i == 0 || !bytes.get(i - 1).copied().is_some_and(is_name_byte))
        {
            let start = i;
            while bytes.get(i).copied().is_some_and(is_name_byte) {
                i += 1;
            }
            let name = text.get(start..i).unwrap_or("");
            let rest = text.get(i..).unwrap_or("").trim_start();
            if rest.starts_with('=')
                && !rest.starts_with("==")
                && matches!(referent(name), Referent::User)
            {
                out.push(name.to_string());
            }
        } else {
            i += 1;
        }
    }
    out.sort();
    out.dedup();
    out
}

fn is_name_byte(b: u8) -> bool {
    b == b'$' || b == b'_' || b.is_ascii_alphanumeric()
}

/// The completions at the cursor: the REPL's completer on the formula's line.
pub(crate) fn completion(doc: &Document, host: usize, encoding: Encoding) -> Vec<CompletionItem> {
    let Some((unit, local)) = doc.unit_at(host) else {
        return Vec::new();
    };
    let text = &unit.formula.text;
    let line_start = text
        .get(..local)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line = text.get(line_start..local).unwrap_or("");
    let variables = assigned_names(text);
    let (start, candidates) = crate::repl::complete(line, line.len(), &variables);
    let range = doc.lines.range(
        &doc.text,
        unit.host(Span::new(line_start + start, local)),
        encoding,
    );
    let after_dot = line.get(..start).is_some_and(|h| h.ends_with('.'));
    candidates
        .into_iter()
        .map(|c| {
            let (kind, detail, docs) = describe(&c.display, after_dot, &variables);
            CompletionItem {
                label: c.display.clone(),
                kind: Some(kind),
                detail,
                documentation: docs.map(|d| Documentation::MarkupContent(markdown(d.to_string()))),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                    range,
                    c.replacement,
                ))),
                ..CompletionItem::default()
            }
        })
        .collect()
}

fn describe(
    name: &str,
    after_dot: bool,
    variables: &[String],
) -> (CompletionItemKind, Option<String>, Option<&'static str>) {
    if after_dot {
        if let Some(m) = builtins::method(name) {
            return (
                CompletionItemKind::METHOD,
                Some(m.signature.to_string()),
                Some(m.doc),
            );
        }
        return (CompletionItemKind::FIELD, Some("double".to_string()), None);
    }
    if let Some(f) = FUNCTIONS.iter().find(|f| f.name == name) {
        return (
            CompletionItemKind::FUNCTION,
            Some(f.signature.to_string()),
            Some(f.doc),
        );
    }
    if let Some(v) = builtins::service_variable(name) {
        return (CompletionItemKind::VARIABLE, None, Some(v.doc));
    }
    if CONSTANTS.iter().any(|(n, _)| *n == name) {
        return (
            CompletionItemKind::CONSTANT,
            Some("timeinterval".to_string()),
            None,
        );
    }
    if variables.iter().any(|v| v == name) {
        return (
            CompletionItemKind::VARIABLE,
            Some("user variable".to_string()),
            None,
        );
    }
    (
        CompletionItemKind::ENUM_MEMBER,
        Some("nodeDeallocationOption".to_string()),
        None,
    )
}

/// The signature of the call whose argument list holds the cursor.
pub(crate) fn signature_help(doc: &Document, host: usize) -> Option<SignatureHelp> {
    let (unit, local) = doc.unit_at(host)?;
    let (name, is_method, active) = open_call(unit, local)?;
    let signature = if is_method {
        METHODS.iter().find(|m| m.name == name)?.signature
    } else {
        FUNCTIONS.iter().find(|f| f.name == name)?.signature
    };
    let signatures: Vec<SignatureInformation> = signature
        .split(" | ")
        .map(|alternative| {
            let parameters = parameters(alternative);
            let active_parameter =
                u32::try_from(active.min(parameters.len().saturating_sub(1))).ok();
            SignatureInformation {
                label: alternative.to_string(),
                documentation: None,
                parameters: Some(
                    parameters
                        .into_iter()
                        .map(|p| ParameterInformation {
                            label: ParameterLabel::Simple(p.to_string()),
                            documentation: None,
                        })
                        .collect(),
                ),
                active_parameter,
            }
        })
        .collect();
    Some(SignatureHelp {
        signatures,
        active_signature: Some(0),
        active_parameter: u32::try_from(active).ok(),
    })
}

/// The parameters written between the brackets of one signature, split at its
/// top-level commas (`[, x]` stays with the `x` it introduces).
fn parameters(signature: &str) -> Vec<&str> {
    let Some(open) = signature.find('(') else {
        return Vec::new();
    };
    let Some(close) = signature.rfind(')') else {
        return Vec::new();
    };
    let inner = signature.get(open + 1..close).unwrap_or("");
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in inner.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth <= 0 => {
                out.push(inner.get(start..i).unwrap_or("").trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = inner.get(start..).unwrap_or("").trim();
    if !last.is_empty() {
        out.push(last);
    }
    // `x [, y]` splits into `x [` and `y]`: the brackets of optional parameters go.
    out.into_iter()
        .map(|p| p.trim_matches(|c: char| c == '[' || c == ']' || c.is_whitespace()))
        .filter(|p| !p.is_empty())
        .collect()
}

/// The innermost call left open before `local`: its name, whether it is a
/// method, and the index of the argument the cursor is in.
fn open_call(unit: &Unit, local: usize) -> Option<(String, bool, usize)> {
    let text = unit.formula.text.get(..local)?;
    let (mut depth, mut commas) = (0i32, 0usize);
    for (i, c) in text.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth > 0 => depth -= 1,
            '(' => {
                let head = text.get(..i)?.trim_end();
                let start = head
                    .char_indices()
                    .rev()
                    .take_while(|&(_, c)| c.is_ascii_alphanumeric() || c == '_')
                    .last()
                    .map(|(j, _)| j)?;
                let name = head.get(start..)?.to_string();
                let is_method = head.get(..start).is_some_and(|h| h.ends_with('.'));
                return Some((name, is_method, commas));
            }
            ',' if depth == 0 => commas += 1,
            ';' => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_parameters_are_split_out() {
        assert_eq!(
            parameters(
                "GetSamplePercent((timestamp|timeinterval) start [, (timestamp|timeinterval) end])"
            ),
            [
                "(timestamp|timeinterval) start",
                "(timestamp|timeinterval) end"
            ]
        );
        assert_eq!(parameters("double max(doubleVecList)"), ["doubleVecList"]);
        assert_eq!(parameters("double Count()"), Vec::<&str>::new());
    }

    #[test]
    fn assigned_names_skip_comparisons_and_service_variables() {
        assert_eq!(
            assigned_names("a = 1; $b=2; c == 3; $TargetDedicatedNodes = a;"),
            ["$b", "a"]
        );
    }
}
