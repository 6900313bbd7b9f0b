//! Terraform `azurerm_batch_pool`: `auto_scale { formula = "..." or <<EOF ... EOF,
//! evaluation_interval = "PT15M" }`.

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
    let mut m = Mapped::new();
    let mut pos = start + 1;
    loop {
        let c = text.get(pos..)?.chars().next()?;
        let at = pos;
        pos += c.len_utf8();
        match c {
            '"' => return Some((m.finish(at), pos)),
            '\n' => return None,
            '\\' => {
                let e = text.get(pos..)?.chars().next()?;
                pos += e.len_utf8();
                let decoded = match e {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    '"' => '"',
                    '\\' => '\\',
                    'u' | 'U' => {
                        let n = if e == 'u' { 4 } else { 8 };
                        let code = u32::from_str_radix(text.get(pos..pos + n)?, 16).ok()?;
                        pos += n;
                        char::from_u32(code)?
                    }
                    other => other,
                };
                m.push(decoded, at);
            }
            // `$${` and `%%{` are literal `${` and `%{`.
            '$' | '%' if text.get(pos..)?.starts_with(&format!("{c}{{")) => {
                m.push(c, at);
                pos += 1;
            }
            c => m.push(c, at),
        }
    }
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
