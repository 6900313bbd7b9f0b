//! Nextflow `nextflow.config` (nf-azure): `azure.batch.pools.<name>.scaleFormula`,
//! a Groovy string holding a Mustache template (`{{vmCount}}`, `{{maxVmCount}}`,
//! `{{scaleInterval}}`, `{{poolCreationTime}}`) that nf-azure fills when it
//! creates the pool. The placeholders are reported as info; `--define` fills them.

use super::scan::{Scanner, Token};
use super::{unchecked, Embedded, Extraction, Mapped};

/// Collects the formulas of a Nextflow configuration.
pub fn extract(text: &str) -> Extraction {
    let mut out = Extraction::default();
    let mut scanner = Scanner::groovy(text);
    while let Some(token) = scanner.next_token() {
        let Token::Ident(name, _) = token else {
            continue;
        };
        if name != "scaleFormula" || !scanner.eat('=') {
            continue;
        }
        match scanner.next_token() {
            Some(Token::Str(m, span)) => out.formulas.push(Embedded {
                formula: m,
                location: format!("scaleFormula at byte {}", span.start),
                template: true,
            }),
            Some(Token::Ident(_, span)) | Some(Token::Other(span)) => {
                out.diagnostics
                    .push(unchecked("formula", scanner.rest_of_line(span)));
            }
            None => {}
        }
    }
    out
}

/// Decodes a Groovy string literal at `start`: `'...'`, `"..."`, `'''...'''`
/// or `"""..."""`; backslash escapes are decoded in all four.
pub fn string(text: &str, start: usize) -> Option<(Mapped, usize)> {
    let rest = text.get(start..)?;
    let quote = rest.chars().next()?;
    let triple: String = std::iter::repeat_n(quote, 3).collect();
    let (close, mut pos) = if rest.starts_with(&triple) {
        (triple, start + 3)
    } else {
        (quote.to_string(), start + 1)
    };
    let multiline = close.len() == 3;
    let mut m = Mapped::new();
    loop {
        if text.get(pos..)?.starts_with(&close) {
            return Some((m.finish(pos), pos + close.len()));
        }
        let c = text.get(pos..)?.chars().next()?;
        let at = pos;
        pos += c.len_utf8();
        match c {
            '\n' if !multiline => return None,
            '\\' => {
                let e = text.get(pos..)?.chars().next()?;
                pos += e.len_utf8();
                let decoded = match e {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    other => other,
                };
                m.push(decoded, at);
            }
            c => m.push(c, at),
        }
    }
}
