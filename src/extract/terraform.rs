//! Terraform, read with a real HCL parser (`hcl-edit`, which keeps byte
//! spans): the formula of `resource "azurerm_batch_pool"` →
//! `auto_scale { formula, evaluation_interval }`, nowhere else.
//!
//! A formula is a quoted string or a heredoc, or a reference to a
//! `local.NAME` or a `var.NAME` default of the same file, read where that
//! literal is written. Template parts are cut out: an interpolation `${...}`
//! becomes a hole (its `--define` value, or `0`); a directive `%{ if }` is
//! checked once with every `if` branch and once with every `else` branch,
//! and a `%{ for }` body once.

use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::{Block, BlockLabel, Body};
use hcl_edit::template::{Directive, Element, Template};

use super::scan;
use super::{push_interval_string, unchecked, Embedded, Extraction, Mapped};
use crate::diagnostics::{Diagnostic, Severity};
use crate::input::InputError;
use crate::span::{line_col, Span};

/// Collects the formulas of a Terraform file; a file HCL cannot parse is an
/// input error at its line and column.
pub fn extract(path: &str, text: &str) -> Result<Extraction, InputError> {
    let body = hcl_edit::parser::parse_body(text).map_err(|e| {
        let offset = crate::span::floor_char_boundary(text, e.location().offset());
        let at = line_col(text, offset);
        InputError::new(path, format!("not valid HCL: {}", e.message()))
            .at(at.line, Some(at.column))
    })?;
    let mut out = Extraction::default();
    for pool in body
        .get_blocks("resource")
        .filter(|b| label(b, 0) == Some("azurerm_batch_pool"))
    {
        let name = label(pool, 1).unwrap_or("");
        for auto_scale in pool.body.get_blocks("auto_scale") {
            let location = format!("azurerm_batch_pool.{name}.auto_scale.formula");
            if let Some(attr) = auto_scale.body.get_attribute("formula") {
                formula(text, &body, &attr.value, location, &mut out);
            }
            if let Some(attr) = auto_scale.body.get_attribute("evaluation_interval") {
                interval(text, &attr.value, &mut out);
            }
        }
    }
    Ok(out)
}

fn label(block: &Block, i: usize) -> Option<&str> {
    block.labels.get(i).map(|l| match l {
        BlockLabel::Ident(ident) => ident.as_str(),
        BlockLabel::String(s) => s.as_str(),
    })
}

fn span_of(item: &impl hcl_edit::Span) -> Span {
    item.span()
        .map_or(Span::default(), |r| Span::new(r.start, r.end))
}

/// Which branch of each `%{ if }` a variant takes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Branch {
    If,
    Else,
}

/// Reads the formula expression `value`; `location` names it in reports.
fn formula(text: &str, body: &Body, value: &Expression, location: String, out: &mut Extraction) {
    let (value, location) = match reference(body, value) {
        Some((target, name)) => (target, format!("{name} (for {location})")),
        None => (value, location),
    };
    let variants = match value {
        Expression::String(s) => vec![quoted(text, span_of(s))],
        Expression::StringTemplate(t) => variants(text, t, true, out),
        Expression::HeredocTemplate(h) => variants(text, &h.template, false, out),
        other => {
            out.diagnostics.push(unchecked("formula", span_of(other)));
            return;
        }
    };
    for m in variants {
        out.formulas.push(Embedded {
            resolved: true,
            ..Embedded::new(m, location.clone())
        });
    }
}

/// The expression `local.NAME` or `var.NAME` stands for in this file, and
/// its name: a `locals` attribute, or a `variable` block's `default`.
fn reference<'a>(body: &'a Body, value: &Expression) -> Option<(&'a Expression, String)> {
    let Expression::Traversal(traversal) = value else {
        return None;
    };
    let Expression::Variable(root) = &traversal.expr else {
        return None;
    };
    let [operator] = traversal.operators.as_slice() else {
        return None;
    };
    let TraversalOperator::GetAttr(name) = operator.value() else {
        return None;
    };
    let name = name.as_str();
    let target = match root.as_str() {
        "local" => body
            .get_blocks("locals")
            .find_map(|b| b.body.get_attribute(name)),
        "var" => body
            .get_blocks("variable")
            .filter(|b| label(b, 0) == Some(name))
            .find_map(|b| b.body.get_attribute("default")),
        _ => None,
    }?;
    Some((&target.value, format!("{}.{name}", root.as_str())))
}

/// One formula per way through the template's directives: every `if` branch,
/// then every `else` branch (a template without directives gives one).
fn variants(text: &str, template: &Template, quoted: bool, out: &mut Extraction) -> Vec<Mapped> {
    let mut first = Mapped::new();
    let directives = build(text, template, quoted, Branch::If, &mut first, Some(out));
    let end = template_end(text, template);
    let mut found = vec![first.finish(end)];
    if directives {
        let mut second = Mapped::new();
        build(text, template, quoted, Branch::Else, &mut second, None);
        found.push(second.finish(end));
    }
    found
}

/// The host offset just past the template's last element.
fn template_end(text: &str, template: &Template) -> usize {
    template
        .iter()
        .filter_map(element_span)
        .map(|s| s.end)
        .max()
        .unwrap_or(0)
        .min(text.len())
}

fn element_span(element: &Element) -> Option<Span> {
    let span = match element {
        Element::Literal(l) => span_of(l),
        Element::Interpolation(i) => span_of(i),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(d) => span_of(d),
            Directive::For(d) => span_of(d),
        },
    };
    (span != Span::default()).then_some(span)
}

/// Appends the template's text to `m`, taking `branch` at each `%{ if }`;
/// with `notes`, reports each directive once. Returns whether it met one.
fn build(
    text: &str,
    template: &Template,
    quoted: bool,
    branch: Branch,
    m: &mut Mapped,
    mut notes: Option<&mut Extraction>,
) -> bool {
    let mut directives = false;
    for element in template.iter() {
        match element {
            Element::Literal(l) => literal(text, span_of(l), quoted, m),
            Element::Interpolation(i) => {
                let span = span_of(i);
                let inner = text.get(span.start..span.end).unwrap_or("");
                let inner = inner
                    .trim_start_matches("${")
                    .trim_end_matches('}')
                    .trim_matches('~');
                m.hole(span, inner);
            }
            Element::Directive(d) => {
                directives = true;
                let span = element_span(element).unwrap_or_default();
                if let Some(out) = notes.as_deref_mut() {
                    out.diagnostics.push(directive_note(span));
                }
                let part = match (d.as_ref(), branch) {
                    (Directive::If(d), Branch::If) => Some(&d.if_expr.template),
                    (Directive::If(d), Branch::Else) => d.else_expr.as_ref().map(|e| &e.template),
                    (Directive::For(d), _) => Some(&d.for_expr.template),
                };
                if let Some(part) = part {
                    // Directives inside a branch are reported by the outer one.
                    build(text, part, quoted, branch, m, None);
                }
            }
        }
    }
    directives
}

fn directive_note(span: Span) -> Diagnostic {
    Diagnostic::new(
        Severity::Info,
        "not-statically-checkable",
        "a template directive is chosen at deployment: the formula is checked once with every `if` branch and once with every `else` branch",
        span,
    )
}

/// A quoted string without template parts: the text between its quotes.
fn quoted(text: &str, span: Span) -> Mapped {
    let mut m = Mapped::new();
    let inner = Span::new(
        (span.start + 1).min(span.end),
        span.end.saturating_sub(1).max(span.start),
    );
    literal(text, inner, true, &mut m);
    m.finish(inner.end)
}

/// Appends the literal at host `span`: escapes decoded in a quoted string
/// (`\n`, `\"`, `\uXXXX`), and `$${` / `%%{` standing for `${` / `%{`.
fn literal(text: &str, span: Span, quoted: bool, m: &mut Mapped) {
    let mut pos = span.start;
    while pos < span.end {
        let Some(rest) = text.get(pos..span.end) else {
            return;
        };
        let Some(c) = rest.chars().next() else {
            return;
        };
        if c == '\\' && quoted {
            if let Some((decoded, used)) = text.get(pos + 1..span.end).and_then(escape) {
                m.push(decoded, pos);
                pos += 1 + used;
                continue;
            }
        }
        m.push(c, pos);
        pos += c.len_utf8();
        let doubled = matches!(c, '$' | '%')
            && rest.get(1..2) == rest.get(..1)
            && rest.get(2..3) == Some("{");
        pos += usize::from(doubled);
    }
}

/// `\uXXXX` and `\UXXXXXXXX` are code points; other escapes as usual.
fn escape(rest: &str) -> Option<(char, usize)> {
    let n = match rest.chars().next()? {
        'u' => 4,
        'U' => 8,
        _ => return scan::simple_escape(rest),
    };
    let code = u32::from_str_radix(rest.get(1..1 + n)?, 16).ok()?;
    Some((char::from_u32(code)?, 1 + n))
}

/// Checks an `evaluation_interval` given as a literal; anything else is
/// computed at deployment.
fn interval(text: &str, value: &Expression, out: &mut Extraction) {
    let span = span_of(value);
    match value {
        Expression::String(_) => {
            let m = quoted(text, span);
            push_interval_string(&mut out.diagnostics, &m, span);
        }
        _ => out.diagnostics.push(unchecked("evaluation interval", span)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Extraction {
        extract("main.tf", text).unwrap_or_default()
    }

    fn pool(formula: &str) -> String {
        format!("resource \"azurerm_batch_pool\" \"p\" {{\n  auto_scale {{\n    formula = {formula}\n  }}\n}}\n")
    }

    #[test]
    fn only_a_batch_pool_auto_scale_formula_is_read() {
        let text = "locals { formula = \"E = mc^2\" }\nresource \"x\" \"y\" { formula = \"a\" }\n";
        assert!(found(text).formulas.is_empty());
        let f = found(&pool("\"$TargetDedicatedNodes = 1;\""));
        assert_eq!(f.formulas.len(), 1);
        assert_eq!(f.formulas[0].formula.text, "$TargetDedicatedNodes = 1;");
        // The formula's `$` follows `    formula = "` (15 bytes) on its line.
        let line3 = pool("").find("    formula").unwrap_or(0);
        assert_eq!(f.formulas[0].formula.host_offset(0), line3 + 15);
    }

    #[test]
    fn escapes_and_doubled_signs_decode() {
        let f = found(&pool(r#""a\"b\u0041$${x}%%{y}""#));
        assert_eq!(f.formulas[0].formula.text, "a\"bA${x}%{y}");
    }

    #[test]
    fn interpolations_with_nested_quotes_are_holes() {
        let f = found(&pool(r#""min(${lookup(var.caps, "dedicated", 4)}, 2)""#));
        let m = &f.formulas[0].formula;
        assert_eq!(m.text, "min(, 2)");
        assert_eq!(m.holes.len(), 1);
        assert_eq!(m.holes[0].inner, r#"lookup(var.caps, "dedicated", 4)"#);
    }

    #[test]
    fn directives_give_one_formula_per_branch_and_one_note() {
        let heredoc = "<<EOF\n%{ if var.spot }\n$TargetLowPriorityNodes = 1;\n%{ else }\n$TargetDedicatedNodes = 1;\n%{ endif }\nEOF";
        let f = found(&pool(heredoc));
        let texts: Vec<_> = f
            .formulas
            .iter()
            .map(|e| e.formula.text.trim().to_string())
            .collect();
        assert_eq!(
            texts,
            ["$TargetLowPriorityNodes = 1;", "$TargetDedicatedNodes = 1;"]
        );
        assert_eq!(f.diagnostics.len(), 1);
    }

    #[test]
    fn a_local_or_a_variable_default_is_read_where_it_is_written() {
        let text = format!(
            "locals {{\n  f = \"$TargetDedicatedNodes = 2;\"\n}}\n{}",
            pool("local.f")
        );
        let f = found(&text);
        assert_eq!(f.formulas.len(), 1);
        // The literal's `$` is byte 16 of the file: `locals {\n` is 9 bytes, `  f = "` 7.
        assert_eq!(f.formulas[0].formula.host_offset(0), 16);
        let text = format!(
            "variable \"f\" {{\n  default = \"$TargetDedicatedNodes = 3;\"\n}}\n{}",
            pool("var.f")
        );
        assert_eq!(
            found(&text).formulas[0].formula.text,
            "$TargetDedicatedNodes = 3;"
        );
        // Anything else is reported, not guessed.
        let f = found(&pool("file(\"f.txt\")"));
        assert!(f.formulas.is_empty());
        assert_eq!(f.diagnostics[0].code, "not-statically-checkable");
    }

    #[test]
    fn invalid_hcl_is_an_input_error_with_its_place() {
        let e = extract("main.tf", "resource \"a\" {\n  x = \n}").err();
        assert!(e.is_some_and(|e| e.to_string().starts_with("main.tf:")));
    }
}
