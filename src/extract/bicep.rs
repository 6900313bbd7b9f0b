//! Bicep: `formula: '...'` or `formula: '''...'''`, and `evaluationInterval: '...'`.

use super::scan;
use super::scan::{Scanner, Token};
use super::{push_interval, unchecked, Embedded, Extraction, Mapped};

/// Collects the formulas of a Bicep file.
pub fn extract(text: &str) -> Extraction {
    let mut out = Extraction::default();
    let mut scanner = Scanner::bicep(text);
    while let Some(token) = scanner.next_token() {
        let Token::Ident(name, _) = token else {
            continue;
        };
        if name != "formula" && name != "evaluationInterval" {
            continue;
        }
        if !scanner.eat(':') {
            continue;
        }
        let value = match scanner.next_token() {
            Some(Token::Str(m, span)) => Some((m, span)),
            Some(Token::Ident(_, span)) | Some(Token::Other(span)) => {
                out.diagnostics
                    .push(unchecked(what(name), scanner.rest_of_line(span)));
                None
            }
            None => None,
        };
        let Some((m, span)) = value else { continue };
        if name == "formula" {
            out.formulas.push(Embedded {
                formula: m,
                location: format!("formula at byte {}", span.start),
                template: true,
                settings: Vec::new(),
            });
        } else {
            push_interval(&mut out.diagnostics, &m.text, span);
        }
    }
    out
}

fn what(key: &str) -> &'static str {
    if key == "formula" {
        "formula"
    } else {
        "evaluation interval"
    }
}

/// Decodes a Bicep string literal at `start` (`'...'` or `'''...'''`); returns
/// the text and the offset after the literal.
pub fn string(text: &str, start: usize) -> Option<(Mapped, usize)> {
    let rest = text.get(start..)?;
    if rest.starts_with("'''") {
        let mut body = start + 3;
        // A line break right after the opening quotes is not part of the text.
        if text.get(body..)?.starts_with("\r\n") {
            body += 2;
        } else if text.get(body..)?.starts_with('\n') {
            body += 1;
        }
        let len = text.get(body..)?.find("'''")?;
        let m = Mapped::verbatim(text.get(body..body + len)?, body);
        return Some((m, body + len + 3));
    }
    // `\u{...}` is a code point; other escapes as usual (`\'`, `\\`, `\$` stand for themselves).
    let escape = |rest: &str| {
        if let Some(body) = rest.strip_prefix("u{") {
            let close = body.find('}')?;
            let code = u32::from_str_radix(body.get(..close)?, 16).ok()?;
            return Some((char::from_u32(code)?, close + 3));
        }
        scan::simple_escape(rest)
    };
    scan::decode_escaped(text, start + 1, "'", false, escape, |_, _| 0)
}
