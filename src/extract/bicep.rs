//! Bicep: `formula: '...'`, `'''...'''`, `$'''...'''` (and `$$'''...'''`, ...),
//! and `evaluationInterval: '...'`.
//!
//! Bicep's strings, as the language has them: `'...'` has escapes and
//! interpolates `${...}`; `'''...'''` is verbatim (Azure/bicep #416), so a `${`
//! in it reaches the service as text; `$'''...'''` interpolates `${...}` and
//! each extra leading `$` adds one to the `$`s that open an interpolation
//! (`$$'''` interpolates `$${...}` only; Azure/bicep PR #18324, GA in #18666).

use super::scan;
use super::scan::{Scanner, Token};
use super::{push_interval_string, unchecked, Embedded, Extraction, Mapped};
use crate::span::Span;

/// Deepest nesting of strings inside interpolations read; deeper text is not
/// taken for a string (a hostile file must not exhaust the stack).
const MAX_NESTING: usize = 32;

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
            let hints = verbatim_hints(text, &m, span);
            out.formulas.push(Embedded {
                resolved: true,
                hints,
                ..Embedded::new(m, format!("formula at byte {}", span.start))
            });
        } else {
            push_interval_string(&mut out.diagnostics, &m, span);
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

/// In a verbatim `'''` string, each `${` is formula text: say why it is there.
fn verbatim_hints(text: &str, m: &Mapped, span: Span) -> Vec<(Span, String)> {
    if !text.get(span.start..).is_some_and(|r| r.starts_with("'''")) {
        return Vec::new();
    }
    m.text
        .match_indices("${")
        .map(|(at, _)| {
            let end = m.text.get(at..).and_then(|r| r.find('}')).map_or(at + 2, |n| at + n + 1);
            (
                Span::new(at, end),
                "Bicep does not interpolate `'''` strings, so this `${` reaches the service as text; write `$'''` to interpolate".to_string(),
            )
        })
        .collect()
}

/// Decodes a Bicep string literal at `start` (`'...'`, `'''...'''`,
/// `$'''...'''`, ...); returns the text and the offset after the literal.
pub fn string(text: &str, start: usize) -> Option<(Mapped, usize)> {
    let rest = text.get(start..)?;
    let dollars = rest.bytes().take_while(|&b| b == b'$').count();
    if rest.get(dollars..)?.starts_with("'''") {
        return multiline(text, start + dollars + 3, dollars, 0);
    }
    if dollars > 0 {
        return None;
    }
    quoted(text, start, 0)
}

/// `\u{...}` is a code point; other escapes as usual (`\'`, `\\`, `\$` stand
/// for themselves).
fn escape(rest: &str) -> Option<(char, usize)> {
    if let Some(body) = rest.strip_prefix("u{") {
        let close = body.find('}')?;
        let code = u32::from_str_radix(body.get(..close)?, 16).ok()?;
        return Some((char::from_u32(code)?, close + 3));
    }
    scan::simple_escape(rest)
}

/// A `'...'` string at `start`: escapes decoded, `${...}` cut out as holes.
fn quoted(text: &str, start: usize, depth: usize) -> Option<(Mapped, usize)> {
    let mut m = Mapped::new();
    let mut pos = start + 1;
    loop {
        let rest = text.get(pos..)?;
        let c = rest.chars().next()?;
        match c {
            '\'' => return Some((m.finish(pos), pos + 1)),
            '\n' => return None,
            '\\' => {
                let (decoded, used) = escape(text.get(pos + 1..)?)?;
                m.push(decoded, pos);
                pos += 1 + used;
            }
            '$' if rest.starts_with("${") => {
                let close = expression_end(text, pos + 2, depth + 1)?;
                m.hole(Span::new(pos, close + 1), text.get(pos + 2..close)?);
                pos = close + 1;
            }
            c => {
                m.push(c, pos);
                pos += c.len_utf8();
            }
        }
    }
}

/// The body of a multi-line string from `body` on, interpolating `${` after
/// `dollars` `$`s (none: verbatim).
fn multiline(text: &str, mut body: usize, dollars: usize, depth: usize) -> Option<(Mapped, usize)> {
    // A line break right after the opening quotes is not part of the text.
    if text.get(body..)?.starts_with("\r\n") {
        body += 2;
    } else if text.get(body..)?.starts_with('\n') {
        body += 1;
    }
    let mut m = Mapped::new();
    let mut pos = body;
    loop {
        let rest = text.get(pos..)?;
        if rest.starts_with("'''") {
            return Some((m.finish(pos), pos + 3));
        }
        let run = rest.bytes().take_while(|&b| b == b'$').count();
        if dollars > 0 && run >= dollars && rest.get(run..)?.starts_with('{') {
            // Extra `$`s before the opening ones are text.
            let open = pos + run - dollars;
            for at in pos..open {
                m.push('$', at);
            }
            let inner = pos + run + 1;
            let close = expression_end(text, inner, depth + 1)?;
            m.hole(Span::new(open, close + 1), text.get(inner..close)?);
            pos = close + 1;
            continue;
        }
        let c = rest.chars().next()?;
        m.push(c, pos);
        pos += c.len_utf8();
    }
}

/// The offset of the `}` that closes an interpolation whose expression starts
/// at `pos`: braces nest, and strings inside (with their own interpolations)
/// are skipped whole.
fn expression_end(text: &str, mut pos: usize, depth: usize) -> Option<usize> {
    if depth > MAX_NESTING {
        return None;
    }
    let mut braces = 0usize;
    loop {
        let rest = text.get(pos..)?;
        let c = rest.chars().next()?;
        match c {
            '{' => braces += 1,
            '}' if braces == 0 => return Some(pos),
            '}' => braces -= 1,
            '\'' | '$' => {
                let dollars = rest.bytes().take_while(|&b| b == b'$').count();
                let string = if rest.get(dollars..)?.starts_with("'''") {
                    multiline(text, pos + dollars + 3, dollars, depth + 1)
                } else if dollars == 0 {
                    quoted(text, pos, depth + 1)
                } else {
                    pos += dollars;
                    continue;
                };
                pos = string?.1;
                continue;
            }
            _ => {}
        }
        pos += c.len_utf8();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The decoded text with each hole shown as `<inner>`, and the offset after.
    fn read(text: &str) -> Option<(String, usize)> {
        let (m, end) = string(text, 0)?;
        let mut shown = String::new();
        let mut from = 0;
        for hole in &m.holes {
            shown.push_str(m.text.get(from..hole.at)?);
            shown.push_str(&format!("<{}>", hole.inner));
            from = hole.at;
        }
        shown.push_str(m.text.get(from..)?);
        Some((shown, end))
    }

    #[test]
    fn quoted_strings_interpolate_with_nested_quotes_and_braces() {
        assert_eq!(
            read(r"'min(${caps['max']}, 2)' x"),
            Some(("min(<caps['max']>, 2)".to_string(), 24))
        );
        assert_eq!(
            read(r"'a${ {b: 'c}'}.b }d'"),
            Some(("a<{b: 'c}'}.b>d".to_string(), 20))
        );
        assert_eq!(
            read(r"'${f('${g('x')}')}'"),
            Some(("<f('${g('x')}')>".to_string(), 19))
        );
        // `\$` is a literal dollar: no interpolation.
        assert_eq!(read(r"'\${x}'"), Some(("${x}".to_string(), 7)));
    }

    #[test]
    fn verbatim_strings_keep_dollar_braces_as_text() {
        // 3 quotes, a line break, 12 bytes of text, 3 quotes: 19 bytes.
        assert_eq!(
            read("'''\nmin(${m}, 1)'''"),
            Some(("min(${m}, 1)".to_string(), 19))
        );
        // No escapes either: a backslash is a backslash.
        assert_eq!(read(r"'''a\n'''"), Some((r"a\n".to_string(), 9)));
    }

    #[test]
    fn dollar_prefixes_choose_the_interpolation_opener() {
        assert_eq!(read("$'''${m}'''"), Some(("<m>".to_string(), 11)));
        assert_eq!(
            read("$$'''${a} $${b} $$${c}'''"),
            Some(("${a} <b> $<c>".to_string(), 25))
        );
        assert_eq!(read("$'''${x['}']}'''"), Some(("<x['}']>".to_string(), 16)));
        // A lone `$` is not a string.
        assert_eq!(read("$x"), None);
    }

    #[test]
    fn hostile_nesting_is_bounded() {
        let deep = "'${".repeat(10_000);
        assert_eq!(read(&deep), None);
    }
}
