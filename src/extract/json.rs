//! JSON with comments (`//`, `/* */`) and trailing commas, parsed with byte
//! positions so that a formula's characters map back to the file; then the
//! formula-bearing keys of ARM templates, `az` pool/job JSON and Terraform plan
//! JSON are looked up.

use super::{push_interval, unchecked, Embedded, Extraction, Mapped};
use crate::input::InputError;
use crate::span::{line_col, Span};

/// A JSON value with its position.
#[derive(Debug, Clone)]
enum Value {
    Object(Vec<(String, Value)>),
    Array(Vec<Value>),
    String(Mapped, Span),
    Other,
}

struct Parser<'a> {
    path: &'a str,
    text: &'a str,
    pos: usize,
    depth: usize,
}

const MAX_DEPTH: usize = 256;

impl<'a> Parser<'a> {
    fn error(&self, message: impl Into<String>) -> InputError {
        let at = line_col(self.text, self.pos);
        InputError::new(self.path, message).at(at.line, Some(at.column))
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_trivia(&mut self) -> Result<(), InputError> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\r' | b'\n') => self.pos += 1,
                Some(b'/') => {
                    let rest = self.text.get(self.pos..).unwrap_or("");
                    if rest.starts_with("//") {
                        self.pos += rest.find('\n').unwrap_or(rest.len());
                    } else if rest.starts_with("/*") {
                        let end = rest
                            .get(2..)
                            .and_then(|r| r.find("*/"))
                            .ok_or_else(|| self.error("unterminated `/*` comment"))?;
                        self.pos += end + 4;
                    } else {
                        return Err(self.error("unexpected `/`"));
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn value(&mut self) -> Result<Value, InputError> {
        self.skip_trivia()?;
        match self.peek() {
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => {
                let (m, span) = self.string()?;
                Ok(Value::String(m, span))
            }
            Some(_) => {
                let rest = self.text.get(self.pos..).unwrap_or("");
                let len = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.')))
                    .unwrap_or(rest.len());
                if len == 0 {
                    let found = rest.chars().next().unwrap_or(' ');
                    return Err(self.error(format!("unexpected `{found}`")));
                }
                self.pos += len;
                Ok(Value::Other)
            }
            None => Err(self.error("unexpected end of file")),
        }
    }

    fn nested(
        &mut self,
        f: fn(&mut Self) -> Result<Value, InputError>,
    ) -> Result<Value, InputError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("nested deeper than {MAX_DEPTH}")));
        }
        let v = f(self);
        self.depth -= 1;
        v
    }

    fn expect(&mut self, b: u8) -> Result<(), InputError> {
        self.skip_trivia()?;
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(format!("expected `{}`", b as char)))
        }
    }

    fn object(&mut self) -> Result<Value, InputError> {
        self.expect(b'{')?;
        let mut members = Vec::new();
        loop {
            self.skip_trivia()?;
            if self.peek() == Some(b'}') {
                self.pos += 1;
                return Ok(Value::Object(members));
            }
            let (key, _) = self.string()?;
            self.expect(b':')?;
            let value = self.value()?;
            members.push((key.text, value));
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {}
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    fn array(&mut self) -> Result<Value, InputError> {
        self.expect(b'[')?;
        let mut items = Vec::new();
        loop {
            self.skip_trivia()?;
            if self.peek() == Some(b']') {
                self.pos += 1;
                return Ok(Value::Array(items));
            }
            items.push(self.value()?);
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {}
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    /// A string literal: its decoded text mapped to the file, and the literal's span.
    fn string(&mut self) -> Result<(Mapped, Span), InputError> {
        self.skip_trivia()?;
        if self.peek() != Some(b'"') {
            return Err(self.error("expected a string"));
        }
        let start = self.pos;
        self.pos += 1;
        let mut out = Mapped::new();
        loop {
            let at = self.pos;
            let Some(c) = self.text.get(at..).and_then(|r| r.chars().next()) else {
                return Err(self.error("unterminated string"));
            };
            self.pos += c.len_utf8();
            match c {
                '"' => return Ok((out.finish(at), Span::new(start, self.pos))),
                '\\' => {
                    let e = self
                        .peek()
                        .ok_or_else(|| self.error("unterminated string"))?;
                    self.pos += 1;
                    let decoded = match e {
                        b'n' => '\n',
                        b't' => '\t',
                        b'r' => '\r',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'u' => self.unicode()?,
                        _ => {
                            self.pos = at;
                            return Err(self.error(format!("invalid escape `\\{}`", e as char)));
                        }
                    };
                    out.push(decoded, at);
                }
                '\n' => {
                    self.pos = at;
                    return Err(self.error("line break inside a string"));
                }
                c => out.push(c, at),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, InputError> {
        let digits = self.text.get(self.pos..self.pos + 4).unwrap_or("");
        let n = u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid `\\u` escape"))?;
        self.pos += 4;
        Ok(n)
    }

    fn unicode(&mut self) -> Result<char, InputError> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first)
            && self.text.get(self.pos..self.pos + 2) == Some("\\u")
        {
            self.pos += 2;
            let second = self.hex4()?;
            0x10000 + ((first - 0xD800) << 10) + (second.wrapping_sub(0xDC00) & 0x3FF)
        } else {
            first
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid `\\u` escape"))
    }
}

/// Parses `text` and collects its formulas.
pub fn extract(path: &str, text: &str) -> Result<Extraction, InputError> {
    let mut parser = Parser {
        path,
        text,
        pos: 0,
        depth: 0,
    };
    let root = parser.value()?;
    parser.skip_trivia()?;
    if parser.pos < text.len() {
        return Err(parser.error("unexpected text after the JSON value"));
    }
    let mut out = Extraction::default();
    walk(&root, "", None, &mut out);
    Ok(out)
}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Visits every object; `parent` is the key the object (or its array) sits under.
fn walk(v: &Value, pointer: &str, parent: Option<&str>, out: &mut Extraction) {
    match v {
        Value::Object(members) => {
            let get = |k: &str| members.iter().find(|(key, _)| key == k).map(|(_, v)| v);
            let in_autoscale = matches!(parent, Some("autoScale" | "auto_scale"));
            let (formula_key, interval_key) = if get("autoScaleFormula").is_some() {
                ("autoScaleFormula", "autoScaleEvaluationInterval")
            } else if in_autoscale && parent == Some("auto_scale") {
                ("formula", "evaluation_interval")
            } else if in_autoscale {
                ("formula", "evaluationInterval")
            } else {
                ("", "")
            };
            if !formula_key.is_empty() {
                if let Some(Value::String(m, span)) = get(formula_key) {
                    formula(m, *span, format!("{pointer}/{formula_key}"), out);
                }
                if let Some(Value::String(m, span)) = get(interval_key) {
                    push_interval(&mut out.diagnostics, &m.text, *span);
                }
            }
            for (key, value) in members {
                let p = format!("{pointer}/{}", escape_pointer(key));
                walk(value, &p, Some(key), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{pointer}/{i}"), parent, out);
            }
        }
        _ => {}
    }
}

fn formula(m: &Mapped, span: Span, location: String, out: &mut Extraction) {
    let trimmed = m.text.trim_start();
    if trimmed.starts_with("[[") {
        // `[[` escapes a literal `[` in ARM.
        let mut m = m.clone();
        let at = m.text.len() - trimmed.len();
        m.replace(at, at + 1, "");
        // The removed byte's mapping goes with it; the rest keeps theirs.
        out.formulas.push(Embedded {
            formula: m,
            location,
            template: true,
            settings: Vec::new(),
        });
    } else if trimmed.starts_with('[') && trimmed.trim_end().ends_with(']') {
        out.diagnostics.push(unchecked("formula", span));
    } else {
        out.formulas.push(Embedded {
            formula: m.clone(),
            location,
            template: true,
            settings: Vec::new(),
        });
    }
}
