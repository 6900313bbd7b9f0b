//! Finding formulas in the files users keep them in (ARM templates, `az` pool
//! and job JSON, Terraform plan JSON, Bicep, Terraform), with every byte of an
//! extracted formula mapped back to its place in the file, so that diagnostics
//! name the file's own line and column.

mod bicep;
mod json;
mod nextflow;
mod scan;
mod terraform;

use crate::diagnostics::{Diagnostic, Severity};
use crate::input::InputError;
use crate::span::Span;
use crate::value::TimeInterval;

/// Text with the host-file offset of each of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mapped {
    /// The text.
    pub text: String,
    /// `map[i]` is the host offset of byte `i`; one more entry for the end.
    map: Vec<usize>,
    /// Interpolations of the host language (`${...}`), in text order, not
    /// yet in `text`: [`extract`] fills each from `--define` or with `0`.
    holes: Vec<Hole>,
}

/// An interpolation cut out of a host string.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Hole {
    /// Where in the text it goes.
    at: usize,
    /// The whole `${...}` in the host file.
    span: Span,
    /// The expression inside, as written.
    inner: String,
}

impl Mapped {
    /// Text copied verbatim from the host at `start`.
    pub fn verbatim(text: &str, start: usize) -> Self {
        Mapped {
            text: text.to_string(),
            map: (start..=start + text.len()).collect(),
            holes: Vec::new(),
        }
    }

    fn new() -> Self {
        Mapped::default()
    }

    /// Records an interpolation at host `span` (its expression `inner`) at the
    /// current end of the text.
    fn hole(&mut self, span: Span, inner: &str) {
        self.holes.push(Hole {
            at: self.text.len(),
            span,
            inner: inner.trim().to_string(),
        });
    }

    /// Whether the host string interpolates anything.
    pub fn has_holes(&self) -> bool {
        !self.holes.is_empty()
    }

    /// Appends `text`, every byte of which maps to host offset `at`.
    fn push_str_at(&mut self, text: &str, at: usize) {
        self.text.push_str(text);
        self.map.extend(std::iter::repeat_n(at, text.len()));
    }

    /// Appends `c`, which came from host offset `at`.
    fn push(&mut self, c: char, at: usize) {
        self.text.push(c);
        self.map.extend(std::iter::repeat_n(at, c.len_utf8()));
    }

    /// Closes the text: the end maps to `end`.
    fn finish(mut self, end: usize) -> Self {
        self.map.push(end);
        self
    }

    /// The host offset of byte `offset` of the text.
    pub fn host_offset(&self, offset: usize) -> usize {
        self.map
            .get(offset)
            .or_else(|| self.map.last())
            .copied()
            .unwrap_or(0)
    }

    /// The host span of a span of the text.
    pub fn host_span(&self, span: Span) -> Span {
        let start = self.host_offset(span.start);
        let end = if span.end > span.start {
            // The end of the last byte, so that an escape is covered whole.
            self.host_offset(span.end - 1) + 1
        } else {
            start
        };
        Span::new(start, end.max(start))
    }

    /// Replaces `start..end` of the text with `with`, whose bytes all map to
    /// the host offset of `start`.
    fn replace(&mut self, start: usize, end: usize, with: &str) {
        let at = self.host_offset(start);
        if self.text.get(start..end).is_none() {
            return;
        }
        self.text.replace_range(start..end, with);
        let mut map: Vec<usize> = self.map.get(..start).unwrap_or(&[]).to_vec();
        map.extend(std::iter::repeat_n(at, with.len()));
        map.extend_from_slice(self.map.get(end..).unwrap_or(&[]));
        self.map = map;
    }
}

/// A formula found in a file.
#[derive(Debug, Clone)]
pub struct Embedded {
    /// The formula, with its mapping to the file.
    pub formula: Mapped,
    /// Where it was found (`/properties/scaleSettings/autoScale/formula`, a resource name).
    pub location: String,
    /// Whether the carrier is a template (placeholders expected).
    pub template: bool,
    /// Values the carrier itself gives its placeholders (nf-azure's
    /// `vmCount`, `maxVmCount`, `scaleInterval`); `--define` wins over them.
    pub settings: Vec<(String, String)>,
    /// The reader has cut out the host's own interpolations (Bicep,
    /// Terraform), so a `${` left in the text reaches the service as text.
    pub resolved: bool,
    /// Help for errors inside a span of the formula that the host explains
    /// (a `${` in a Bicep `\'\'\'` string, which Bicep does not interpolate).
    pub hints: Vec<(Span, String)>,
}

impl Embedded {
    /// A formula from a template carrier found at `location`.
    pub fn new(formula: Mapped, location: String) -> Self {
        Embedded {
            formula,
            location,
            template: true,
            settings: Vec::new(),
            resolved: false,
            hints: Vec::new(),
        }
    }
}

/// What a file holds.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    /// The formulas to check.
    pub formulas: Vec<Embedded>,
    /// Findings about the file itself (intervals, unchecked expressions), with file spans.
    pub diagnostics: Vec<Diagnostic>,
}

/// The kinds of file `check` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carrier {
    /// A formula file (any extension).
    Plain,
    /// JSON: ARM templates, `az` pool and job JSON, Terraform plan JSON (comments allowed).
    Json,
    /// A Bicep file.
    Bicep,
    /// A Terraform configuration.
    Terraform,
    /// A Nextflow configuration (`nextflow.config`, `*.config`).
    Nextflow,
}

impl Carrier {
    /// The kind of file, for messages: `JSON`, `Bicep`, `Terraform`, `Nextflow`, `formula`.
    pub fn describe(self) -> &'static str {
        match self {
            Carrier::Plain => "formula",
            Carrier::Json => "JSON",
            Carrier::Bicep => "Bicep",
            Carrier::Terraform => "Terraform",
            Carrier::Nextflow => "Nextflow",
        }
    }

    /// The host carrier a file name's extension names (`.json`, `.jsonc`,
    /// `.bicep`, `.tf`, `.config`), if any.
    pub fn from_extension(path: &str) -> Option<Carrier> {
        let lower = path.to_ascii_lowercase();
        [
            (".bicep", Carrier::Bicep),
            (".tf", Carrier::Terraform),
            (".config", Carrier::Nextflow),
            (".json", Carrier::Json),
            (".jsonc", Carrier::Json),
        ]
        .into_iter()
        .find_map(|(end, carrier)| lower.ends_with(end).then_some(carrier))
    }

    /// Picks the carrier from the path's extension, then the content.
    pub fn detect(path: &str, text: &str) -> Carrier {
        Carrier::from_extension(path).unwrap_or(if text.trim_start().starts_with('{') {
            // A formula never starts with `{`.
            Carrier::Json
        } else {
            Carrier::Plain
        })
    }
}

/// `NAME=VALUE` pairs that fill placeholders.
pub type Defines = [(String, String)];

/// Finds the formulas in `text` (the file `path`), filling placeholders from `defines`.
pub fn extract(
    path: &str,
    text: &str,
    carrier: Carrier,
    defines: &Defines,
) -> Result<Extraction, InputError> {
    let mut found = match carrier {
        Carrier::Plain => Extraction {
            formulas: vec![Embedded {
                template: false,
                ..Embedded::new(Mapped::verbatim(text, 0), String::new())
            }],
            diagnostics: Vec::new(),
        },
        Carrier::Json => json::extract(path, text)?,
        Carrier::Bicep => bicep::extract(text),
        Carrier::Terraform => terraform::extract(path, text)?,
        Carrier::Nextflow => nextflow::extract(text),
    };
    let mut notes = Vec::new();
    for e in &mut found.formulas {
        let mut values = defines.to_vec();
        values.extend(e.settings.iter().cloned());
        fill_holes(&mut e.formula, &values, &mut notes);
        fill(&mut e.formula, &values, e.template, e.resolved, &mut notes);
    }
    found.diagnostics.extend(notes);
    Ok(found)
}

/// The value `--define` gives `name` (`NAME`, `var.NAME`, `local.NAME`).
fn defined<'a>(defines: &'a Defines, name: &str) -> Option<&'a str> {
    defines.iter().find_map(|(n, v)| {
        let matches = n == name
            || name.strip_prefix("var.") == Some(n.as_str())
            || name.strip_prefix("local.") == Some(n.as_str());
        matches.then_some(v.as_str())
    })
}

/// Puts each interpolation the reader cut out back into the text: its
/// `--define` value, or `0` (a number fits wherever an interpolation can
/// stand in a formula) with an info diagnostic at the interpolation's span.
fn fill_holes(formula: &mut Mapped, defines: &Defines, notes: &mut Vec<Diagnostic>) {
    if formula.holes.is_empty() {
        return;
    }
    let old = std::mem::take(formula);
    let mut copied = 0;
    let copy_to = |out: &mut Mapped, copied: &mut usize, to: usize| {
        if let Some(part) = old.text.get(*copied..to) {
            out.text.push_str(part);
            out.map
                .extend_from_slice(old.map.get(*copied..to).unwrap_or(&[]));
            *copied = to;
        }
    };
    for hole in &old.holes {
        copy_to(formula, &mut copied, hole.at);
        match defined(defines, &hole.inner) {
            Some(v) => formula.push_str_at(v, hole.span.start),
            None => {
                let inner = &hole.inner;
                let mut note = Diagnostic::new(
                    Severity::Info,
                    "not-statically-checkable",
                    format!(
                        "`${{{inner}}}` is filled at deployment: the rest is checked with 0 in its place"
                    ),
                    hole.span,
                );
                // Only a name can be given a value on the command line.
                let is_name = inner
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
                if is_name && !inner.is_empty() {
                    note =
                        note.with_help(format!("check it with a value: `--define {inner}=VALUE`"));
                }
                notes.push(note);
                formula.push_str_at("0", hole.span.start);
            }
        }
    }
    copy_to(formula, &mut copied, old.text.len());
    formula.map.push(old.host_offset(old.text.len()));
}

/// Fills `{{NAME}}`, `{NAME}` and `${NAME}` from `defines`; in a template
/// carrier, an unfilled `${...}` becomes `0` with an info diagnostic (the
/// checker reports unfilled braces itself).
/// With `literal_dollar`, the host has already taken its interpolations out,
/// and `${NAME}` is left alone.
fn fill(
    formula: &mut Mapped,
    defines: &Defines,
    template: bool,
    literal_dollar: bool,
    notes: &mut Vec<Diagnostic>,
) {
    let mut from = 0;
    while let Some(open) = formula.text.get(from..).and_then(|r| r.find('{')) {
        let open = from + open;
        let dollar = open > 0 && formula.text.get(open - 1..open) == Some("$");
        let double = formula.text.get(open + 1..open + 2) == Some("{");
        let close = if double { "}}" } else { "}" };
        let inner_start = open + close.len();
        let Some(len) = formula.text.get(inner_start..).and_then(|r| r.find(close)) else {
            break;
        };
        let inner_end = inner_start + len;
        let end = inner_end + close.len();
        let start = if dollar { open - 1 } else { open };
        let inner = formula
            .text
            .get(inner_start..inner_end)
            .unwrap_or("")
            .trim()
            .to_string();
        if dollar && literal_dollar {
            // A `${` the host did not interpolate: formula text, and the
            // checker's own error.
            from = end;
            continue;
        }
        let value = defined(defines, &inner).map(str::to_string);
        match value {
            Some(v) => {
                formula.replace(start, end, &v);
                from = start + v.len();
            }
            None if dollar && template => {
                let host = formula.host_span(Span::new(start, end));
                notes.push(
                    Diagnostic::new(
                        Severity::Info,
                        "not-statically-checkable",
                        format!(
                            "`${{{inner}}}` is filled at deployment: the rest is checked with 0 in its place"
                        ),
                        host,
                    )
                    .with_help(format!("check it with a value: `--define {inner}=VALUE`")),
                );
                formula.replace(start, end, "0");
                from = start + 1;
            }
            None => from = end,
        }
    }
}

/// Checks an evaluation interval given as text at `span` of the file.
pub fn check_interval(value: &str, span: Span) -> Diagnostic {
    let parsed = TimeInterval::parse_iso8601(value);
    let (min, max) = (
        TimeInterval::from_seconds(5 * 60),
        TimeInterval::from_seconds(168 * 3600),
    );
    match parsed {
        None => Diagnostic::error(
            "evaluation-interval",
            format!(
                "evaluation interval {}",
                crate::value::duration_error(value, || format!(
                    "`{value}` is not an ISO 8601 duration"
                ))
            ),
            span,
        )
        .with_help("write it like `PT15M` (the default), `PT5M` or `PT1H`"),
        Some(t) if t < min || t > max => Diagnostic::error(
            "evaluation-interval",
            format!(
                "evaluation interval `{value}` is outside the service's range of 5 minutes to 168 hours"
            ),
            span,
        )
        .with_help("the service rejects it with InvalidAutoScalingSettings; use PT5M to PT168H"),
        Some(_) => Diagnostic::new(Severity::Info, "evaluation-interval", "", span),
    }
}

/// Records the finding about an interval given as a host string.
fn push_interval_string(out: &mut Vec<Diagnostic>, value: &Mapped, span: Span) {
    if value.has_holes() {
        out.push(unchecked("evaluation interval", span));
    } else {
        push_interval(out, &value.text, span);
    }
}

/// Records the interval finding, dropping the "fine" marker.
fn push_interval(out: &mut Vec<Diagnostic>, value: &str, span: Span) {
    if value.trim_start().starts_with('[') && !value.trim_start().starts_with("[[") {
        out.push(unchecked("evaluation interval", span));
        return;
    }
    if value.contains("${") {
        out.push(unchecked("evaluation interval", span));
        return;
    }
    let d = check_interval(value, span);
    if d.severity == Severity::Error {
        out.push(d);
    }
}

fn unchecked(what: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Severity::Info,
        "not-statically-checkable",
        format!("the {what} is an expression evaluated at deployment: not statically checkable"),
        span,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fails(value: &str) -> bool {
        check_interval(value, Span::default()).severity == Severity::Error
    }

    #[test]
    fn interval_range_is_five_minutes_to_168_hours() {
        assert!(!fails("PT5M"));
        assert!(fails("PT4M59S"));
        assert!(!fails("PT168H"));
        assert!(fails("PT168H1S"));
        assert!(fails("P8D"));
        assert!(!fails("0:15:00"));
        assert!(fails("15 minutes"));
    }

    #[test]
    fn defines_fill_every_placeholder_form() {
        let defines = vec![("max".to_string(), "10".to_string())];
        for text in [
            "min({{max}}, 1)",
            "min({max}, 1)",
            "min(${max}, 1)",
            "min(${var.max}, 1)",
        ] {
            let mut m = Mapped::verbatim(text, 100);
            let mut notes = Vec::new();
            fill(&mut m, &defines, true, false, &mut notes);
            assert_eq!(m.text, "min(10, 1)", "{text}");
            assert!(notes.is_empty());
            // `1` keeps its place in the host: byte 100 + its offset in `text`.
            let one = text.find('1').map(|i| i + 100);
            assert_eq!(Some(m.host_offset(8)), one, "{text}");
        }
    }

    #[test]
    fn unfilled_interpolation_is_info_in_a_template() {
        let mut m = Mapped::verbatim("min(${max}, 1)", 0);
        let mut notes = Vec::new();
        fill(&mut m, &[], true, false, &mut notes);
        assert_eq!(m.text, "min(0, 1)");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].severity, Severity::Info);
        assert_eq!(notes[0].span, Span::new(4, 10));
    }
}
