//! JSON with comments (`//`, `/* */`) and trailing commas, parsed with byte
//! positions so that a formula's characters map back to the file; then the
//! formula-bearing keys of ARM templates, `az` pool/job JSON and Terraform plan
//! JSON are looked up.

use super::{push_interval, unchecked, Embedded, Extraction, Mapped};
use crate::diagnostics::Diagnostic;
use crate::input::InputError;
use crate::span::{line_col, Span};

/// A JSON value with its position.
#[derive(Debug, Clone)]
enum Value {
    Object(Vec<Member>),
    Array(Vec<Value>),
    String(Mapped, Span),
    Bool(bool),
    Other,
}

/// One `"key": value` of an object, with the key's span for messages.
#[derive(Debug, Clone)]
struct Member {
    key: String,
    key_span: Span,
    value: Value,
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
                let word = rest.get(..len).unwrap_or("");
                let value = match word {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "null" => Value::Other,
                    _ if is_number(word) => Value::Other,
                    _ => {
                        let found = match word {
                            "" => rest.chars().next().map(String::from).unwrap_or_default(),
                            _ => word.to_string(),
                        };
                        return Err(self.error(format!(
                            "expected a JSON value (a string, number, object, array, `true`, `false` or `null`), found `{found}`"
                        )));
                    }
                };
                self.pos += len;
                Ok(value)
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
            let (key, key_span) = self.string()?;
            self.expect(b':')?;
            let value = self.value()?;
            members.push(Member {
                key: key.text,
                key_span,
                value,
            });
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
    walk(&root, &Trail::Root, None, &mut out);
    Ok(out)
}

/// Whether `word` is a JSON number (`-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`).
fn is_number(word: &str) -> bool {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let rest = word.strip_prefix('-').unwrap_or(word);
    let int = digits(rest);
    if int == 0 || (int > 1 && rest.starts_with('0')) {
        return false;
    }
    let mut rest = rest.get(int..).unwrap_or("");
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = digits(fraction);
        if n == 0 {
            return false;
        }
        rest = fraction.get(n..).unwrap_or("");
    }
    if let Some(exponent) = rest.strip_prefix(['e', 'E']) {
        let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        let n = digits(exponent);
        return n > 0 && n == exponent.len();
    }
    rest.is_empty()
}

/// Where a value sits. A JSON pointer is built from it only when a formula is
/// found: a file of deeply nested keys must not cost a string per level.
enum Trail<'a> {
    Root,
    Key(&'a Trail<'a>, &'a str),
    Index(&'a Trail<'a>, usize),
}

impl Trail<'_> {
    /// The JSON pointer (RFC 6901) of this place.
    fn pointer(&self) -> String {
        let mut steps = Vec::new();
        let mut at = self;
        loop {
            match at {
                Trail::Root => break,
                Trail::Key(parent, key) => {
                    steps.push(escape_pointer(key));
                    at = parent;
                }
                Trail::Index(parent, i) => {
                    steps.push(i.to_string());
                    at = parent;
                }
            }
        }
        steps.iter().rev().fold(String::new(), |mut p, s| {
            p.push('/');
            p.push_str(s);
            p
        })
    }
}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The keys that carry a formula and its interval in one kind of object.
struct Keys {
    formula: &'static str,
    interval: &'static str,
    /// The object turns auto-scaling on, so a missing formula is a mistake.
    enabled: Option<Span>,
}

/// Which formula keys an object with these members under `parent` has:
/// `az` pool and job JSON (`enableAutoScale`, `autoScaleFormula`), ARM
/// (`scaleSettings.autoScale.formula`), Terraform plan JSON
/// (`auto_scale[].formula`).
fn keys(members: &[Member], parent: Option<(&str, Span)>) -> Option<Keys> {
    let enable = members
        .iter()
        .find(|m| m.key == "enableAutoScale")
        .map(|m| (m.key_span, matches!(m.value, Value::Bool(true))));
    let pool_like = enable.is_some()
        || members.iter().any(|m| {
            near_miss(&m.key, "autoScaleFormula").is_some() || m.key == "autoScaleFormula"
        });
    match parent {
        _ if pool_like => Some(Keys {
            formula: "autoScaleFormula",
            interval: "autoScaleEvaluationInterval",
            enabled: enable.and_then(|(span, on)| on.then_some(span)),
        }),
        // A plan's unknown values are left out of `after`: no warning there.
        Some(("auto_scale", _)) => Some(Keys {
            formula: "formula",
            interval: "evaluation_interval",
            enabled: None,
        }),
        Some(("autoScale", span)) => Some(Keys {
            formula: "formula",
            interval: "evaluationInterval",
            enabled: Some(span),
        }),
        _ => None,
    }
}

/// `key` when it is a near miss of `wanted` (another case, a letter off).
fn near_miss<'a>(key: &str, wanted: &'a str) -> Option<&'a str> {
    if key == wanted {
        return None;
    }
    crate::input::did_you_mean(key, [wanted])
}

/// Visits every object; `parent` is the key the object (or its array) sits under.
fn walk(v: &Value, trail: &Trail<'_>, parent: Option<(&str, Span)>, out: &mut Extraction) {
    match v {
        Value::Object(members) => {
            if let Some(keys) = keys(members, parent) {
                formula_of(members, &keys, trail, out);
            }
            for m in members {
                let trail = Trail::Key(trail, &m.key);
                walk(&m.value, &trail, Some((&m.key, m.key_span)), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &Trail::Index(trail, i), parent, out);
            }
        }
        _ => {}
    }
}

/// Reads the formula and interval of an object that carries them.
fn formula_of(members: &[Member], keys: &Keys, trail: &Trail<'_>, out: &mut Extraction) {
    let exact = members.iter().find(|m| m.key == keys.formula);
    let near = members
        .iter()
        .find(|m| near_miss(&m.key, keys.formula).is_some());
    match (exact, near) {
        (Some(m), _) => {
            if let Value::String(text, span) = &m.value {
                let at = Trail::Key(trail, keys.formula);
                formula(text, *span, at.pointer(), out);
            }
        }
        (None, Some(m)) => {
            out.diagnostics.push(
                Diagnostic::warning(
                    "misspelled-key",
                    format!("`{}` is not a key the service reads", m.key),
                    m.key_span,
                )
                .with_help(format!(
                    "did you mean `{}`? the formula under it is checked as if it were",
                    keys.formula
                )),
            );
            if let Value::String(text, span) = &m.value {
                let at = Trail::Key(trail, &m.key);
                formula(text, *span, at.pointer(), out);
            }
        }
        (None, None) => {
            if let Some(span) = keys.enabled {
                out.diagnostics.push(
                    Diagnostic::warning(
                        "no-formula",
                        format!(
                            "auto-scaling is enabled here but no `{}` is given",
                            keys.formula
                        ),
                        span,
                    )
                    .with_help("the service refuses to enable auto-scaling without a formula"),
                );
            }
        }
    }
    let interval = members.iter().find(|m| m.key == keys.interval);
    if let Some(Member {
        value: Value::String(m, span),
        ..
    }) = interval
    {
        push_interval(&mut out.diagnostics, &m.text, *span);
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
        out.formulas.push(Embedded::new(m, location));
    } else if trimmed.starts_with('[') && trimmed.trim_end().ends_with(']') {
        out.diagnostics.push(unchecked("formula", span));
    } else {
        out.formulas.push(Embedded::new(m.clone(), location));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Result<Vec<&'static str>, String> {
        let found = extract("f.json", text).map_err(|e| e.to_string())?;
        Ok(found.diagnostics.iter().map(|d| d.code).collect())
    }

    #[test]
    fn a_bad_literal_is_a_syntax_error_with_its_place() {
        let e = codes("{\n  \"enableAutoScale\": tru\n}")
            .err()
            .unwrap_or_default();
        // `tru` starts at column 22 of line 2.
        assert!(e.starts_with("f.json:2:22: expected a JSON value"), "{e}");
        assert!(codes("[1, -0.5e+3, true, false, null]").is_ok());
        for bad in ["[01]", "[1.]", "[.5]", "[1e]", "[+1]", "[NaN]"] {
            assert!(codes(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn enabled_without_formula_warns_and_near_misses_are_named() {
        assert_eq!(
            codes(r#"{"enableAutoScale": true}"#),
            Ok(vec!["no-formula"])
        );
        assert_eq!(codes(r#"{"enableAutoScale": false}"#), Ok(vec![]));
        let pool = r#"{"enableAutoScale": true, "autoscaleFormula": "$TargetDedicatedNodes = 1;"}"#;
        let found = extract("f.json", pool).ok().unwrap_or_default();
        assert_eq!(found.diagnostics.len(), 1);
        assert_eq!(found.diagnostics[0].code, "misspelled-key");
        // The key `"autoscaleFormula"` spans bytes 26..44.
        assert_eq!(found.diagnostics[0].span, Span::new(26, 44));
        assert_eq!(found.formulas.len(), 1);
        let arm = r#"{"scaleSettings": {"autoScale": {"formular": "x"}}}"#;
        assert_eq!(codes(arm), Ok(vec!["misspelled-key"]));
        let arm = r#"{"scaleSettings": {"autoScale": {"evaluationInterval": "PT5M"}}}"#;
        assert_eq!(codes(arm), Ok(vec!["no-formula"]));
    }

    #[test]
    fn pointers_are_built_for_formulas_only() {
        let text = r#"{"a/b": [{"autoScaleFormula": "$TargetDedicatedNodes = 1;"}]}"#;
        let found = extract("f.json", text).ok().unwrap_or_default();
        let locations: Vec<_> = found.formulas.iter().map(|f| f.location.as_str()).collect();
        assert_eq!(locations, ["/a~1b/0/autoScaleFormula"]);
    }
}
