//! Nextflow `nextflow.config` (nf-azure): `azure.batch.pools.<name>.scaleFormula`,
//! a Groovy string holding a Mustache template (`{{vmCount}}`, `{{maxVmCount}}`,
//! `{{scaleInterval}}`, `{{poolCreationTime}}`) that nf-azure fills when it
//! creates the pool. `vmCount`, `maxVmCount` and `scaleInterval` are taken from
//! the pool's own settings, as nf-azure does; `--define` fills the others
//! (`poolCreationTime`) or overrides them.

use super::scan;
use super::scan::{Scanner, Token};
use super::{unchecked, Embedded, Extraction, Mapped};

/// One `{ ... }` block: the settings it gives and the formulas it holds.
#[derive(Default)]
struct Block {
    settings: Vec<(String, String)>,
    formulas: Vec<usize>,
}

/// The placeholders nf-azure fills, from the pool's own settings: `vmCount`
/// and `maxVmCount` as written, `scaleInterval` in whole minutes.
fn setting(name: &str, value: &str) -> Option<(String, String)> {
    let value = value.trim();
    match name {
        "vmCount" | "maxVmCount"
            if value.chars().all(|c| c.is_ascii_digit()) && !value.is_empty() =>
        {
            Some((name.to_string(), value.to_string()))
        }
        "scaleInterval" => minutes(value).map(|m| (name.to_string(), m.to_string())),
        _ => None,
    }
}

/// Whole minutes of a Nextflow duration such as `5 min`, `5m`, `1h`, `300s`.
fn minutes(text: &str) -> Option<u64> {
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let n: u64 = text.get(..digits)?.parse().ok()?;
    let unit: u64 = match text.get(digits..)?.trim() {
        "s" | "sec" | "second" | "seconds" => 1,
        "m" | "min" | "minute" | "minutes" => 60,
        "h" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86_400,
        _ => return None,
    };
    // A duration too long to count in seconds is no duration at all.
    Some(n.checked_mul(unit)? / 60)
}

/// Collects the formulas of a Nextflow configuration.
pub fn extract(text: &str) -> Extraction {
    let mut out = Extraction::default();
    let mut scanner = Scanner::groovy(text);
    let mut blocks: Vec<Block> = vec![Block::default()];
    let close = |block: Block, out: &mut Extraction| {
        for i in block.formulas {
            if let Some(e) = out.formulas.get_mut(i) {
                e.settings = block.settings.clone();
            }
        }
    };
    while let Some(token) = scanner.next_token() {
        let name = match token {
            Token::Ident(name, _) => name,
            Token::Other(span) => {
                match text.get(span.start..span.end) {
                    Some("{") => blocks.push(Block::default()),
                    Some("}") if blocks.len() > 1 => {
                        if let Some(block) = blocks.pop() {
                            close(block, &mut out);
                        }
                    }
                    _ => {}
                }
                continue;
            }
            Token::Str(..) => continue,
        };
        if !scanner.eat('=') {
            continue;
        }
        let value = scanner.next_token();
        if name != "scaleFormula" {
            let written = match &value {
                Some(Token::Str(m, _)) => Some(m.text.clone()),
                Some(Token::Ident(v, _)) => Some(v.to_string()),
                Some(Token::Other(span)) => scanner.number_at(span.start),
                None => None,
            };
            if let (Some(v), Some(block)) = (written, blocks.last_mut()) {
                block.settings.extend(setting(name, &v));
            }
            continue;
        }
        match value {
            Some(Token::Str(m, span)) => {
                if let Some(block) = blocks.last_mut() {
                    block.formulas.push(out.formulas.len());
                }
                out.formulas.push(Embedded::new(
                    m,
                    format!("scaleFormula at byte {}", span.start),
                ));
            }
            Some(Token::Ident(_, span)) | Some(Token::Other(span)) => {
                out.diagnostics
                    .push(unchecked("formula", scanner.rest_of_line(span)));
            }
            None => {}
        }
    }
    while let Some(block) = blocks.pop() {
        close(block, &mut out);
    }
    out
}

/// Decodes a Groovy string literal at `start`: `'...'`, `"..."`, `'''...'''`
/// or `"""..."""`; backslash escapes are decoded in all four.
pub fn string(text: &str, start: usize) -> Option<(Mapped, usize)> {
    let rest = text.get(start..)?;
    let quote = rest.chars().next()?;
    let triple: String = std::iter::repeat_n(quote, 3).collect();
    let (close, pos) = if rest.starts_with(&triple) {
        (triple, start + 3)
    } else {
        (quote.to_string(), start + 1)
    };
    let multiline = close.len() == 3;
    scan::decode_escaped(text, pos, &close, multiline, scan::simple_escape, |_, _| 0)
}

#[cfg(test)]
mod tests {
    use super::minutes;

    #[test]
    fn durations_become_whole_minutes() {
        assert_eq!(minutes("5 min"), Some(5));
        assert_eq!(minutes("1h"), Some(60));
        assert_eq!(minutes("300s"), Some(5));
        assert_eq!(minutes("2d"), Some(2_880));
        assert_eq!(minutes("5 fortnights"), None);
        // 10^19 days does not fit in u64 seconds: refused, not wrapped.
        assert_eq!(minutes("10000000000000000000d"), None);
    }
}
