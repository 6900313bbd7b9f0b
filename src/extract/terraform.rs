//! Terraform `azurerm_batch_pool`: `auto_scale { formula = "..." or <<EOF ... EOF,
//! evaluation_interval = "PT15M" }`.

use super::scan;
use super::scan::{Scanner, Token};
use super::{push_interval, unchecked, Embedded, Extraction, Mapped};

/// Collects the formulas of a Terraform file.
pub fn extract(text: &str) -> Extraction {
    let mut out = Extraction::default();
    let mut scanner = Scanner::terraform(text);
    while let Some(token) = scanner.next_token() {
        let Token::Ident(name, _) = token else {
            continue;
        };
        if name != "formula" && name != "evaluation_interval" {
            continue;
        }
        if !scanner.eat('=') {
            continue;
        }
        let what = if name == "formula" {
            "formula"
        } else {
            "evaluation interval"
        };
        match scanner.next_token() {
            Some(Token::Str(m, span)) if name == "formula" => out.formulas.push(Embedded {
                formula: m,
                location: format!("formula at byte {}", span.start),
                template: true,
                settings: Vec::new(),
            }),
            Some(Token::Str(m, span)) => push_interval(&mut out.diagnostics, &m.text, span),
            Some(Token::Ident(_, span)) | Some(Token::Other(span)) => {
                out.diagnostics
                    .push(unchecked(what, scanner.rest_of_line(span)));
            }
            None => {}
        }
    }
    out
}

/// Decodes a quoted HCL string at `start`; returns it and the offset after it.
pub fn string(text: &str, start: usize) -> Option<(Mapped, usize)> {
    // `\uXXXX` and `\UXXXXXXXX` are code points; other escapes as usual.
    let escape = |rest: &str| {
        let n = match rest.chars().next()? {
            'u' => 4,
            'U' => 8,
            _ => return scan::simple_escape(rest),
        };
        let code = u32::from_str_radix(rest.get(1..1 + n)?, 16).ok()?;
        Some((char::from_u32(code)?, 1 + n))
    };
    // `$${` and `%%{` are literal `${` and `%{`: keep one sign, skip the other.
    let pair = |c: char, rest: &str| {
        let doubled = matches!(c, '$' | '%') && rest.starts_with(c) && rest.get(1..2) == Some("{");
        usize::from(doubled)
    };
    scan::decode_escaped(text, start + 1, "\"", false, escape, pair)
}

/// Decodes a heredoc (`<<EOF` or the indented `<<-EOF`) at `start`.
pub fn heredoc(text: &str, start: usize) -> Option<(Mapped, usize)> {
    let rest = text.get(start + 2..)?;
    let (indented, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let marker_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
    let marker = rest.get(..marker_len)?;
    if marker.is_empty() {
        return None;
    }
    let header_end = start + text.get(start..)?.find('\n')? + 1;
    // The body's lines, up to the line that holds only the marker.
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut pos = header_end;
    let end = loop {
        let line_end = text.get(pos..)?.find('\n').map_or(text.len(), |n| pos + n);
        let line = text.get(pos..line_end)?;
        if line.trim() == marker {
            break line_end;
        }
        lines.push((pos, line));
        if line_end >= text.len() {
            return None;
        }
        pos = line_end + 1;
    };
    let strip = if indented {
        lines
            .iter()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(_, l)| l.len() - l.trim_start_matches([' ', '\t']).len())
            .min()
            .unwrap_or(0)
    } else {
        0
    };
    let mut m = Mapped::new();
    for (line_start, line) in lines {
        let cut = strip.min(line.len() - line.trim_start_matches([' ', '\t']).len());
        for (i, c) in line.get(cut..)?.char_indices() {
            m.push(c, line_start + cut + i);
        }
        m.push('\n', line_start + line.len());
    }
    Some((m.finish(end), end))
}
