//! One open file: its text, the formulas found in it (each with its mapping to
//! the file) and what `check` says about them, computed once per version.

use std::cell::OnceCell;

use lsp_types::Url;

use super::position::LineIndex;
use crate::diagnostics::Diagnostic;
use crate::extract::{extract, Carrier, Mapped};
use crate::limits::Limits;
use crate::lint::{check_formula, CheckOptions};
use crate::span::Span;
use crate::syntax::{self, Ast};

/// The language id editors give formula files.
pub(crate) const LANGUAGE_ID: &str = "azure-batch-autoscale";

/// One formula of a document.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    /// The formula with the file offset of each byte.
    pub formula: Mapped,
    /// Its syntax tree, when it parses: made when a request first needs it,
    /// so that publishing diagnostics after an edit parses the text once.
    ast: OnceCell<Option<Ast>>,
    /// `check`'s findings, at formula offsets.
    pub diagnostics: Vec<Diagnostic>,
    /// Every byte of the formula is the file's byte at the same distance from
    /// its start (no escapes, no filled placeholders): edits map back one to one.
    pub verbatim: bool,
}

impl Unit {
    fn new(formula: Mapped, template: bool) -> Unit {
        let options = CheckOptions {
            placeholders_are_info: template,
            ..CheckOptions::default()
        };
        let diagnostics = check_formula(&formula.text, &options);
        let base = formula.host_offset(0);
        let verbatim = (0..=formula.text.len()).all(|i| formula.host_offset(i) == base + i);
        Unit {
            formula,
            ast: OnceCell::new(),
            diagnostics,
            verbatim,
        }
    }

    /// The syntax tree, when the formula parses.
    pub(crate) fn ast(&self) -> Option<&Ast> {
        self.ast
            .get_or_init(|| syntax::parse(&self.formula.text, &Limits::LIFTED).ok())
            .as_ref()
    }

    /// The formula offset of file offset `host`, when it falls inside this formula.
    pub(crate) fn local(&self, host: usize) -> Option<usize> {
        let len = self.formula.text.len();
        if host < self.formula.host_offset(0) || host > self.formula.host_offset(len) {
            return None;
        }
        // The map only grows, so the first formula byte at or past `host` is found by halving.
        let (mut low, mut high) = (0, len);
        while low < high {
            let mid = low + (high - low) / 2;
            if self.formula.host_offset(mid) < host {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        Some(crate::span::floor_char_boundary(&self.formula.text, low))
    }

    /// The file span of a formula span.
    pub(crate) fn host(&self, span: Span) -> Span {
        self.formula.host_span(span)
    }
}

/// What was found in a document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Analysis {
    /// The formulas.
    pub units: Vec<Unit>,
    /// Findings about the file itself, at file offsets.
    pub file_diagnostics: Vec<Diagnostic>,
}

/// An open document.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    pub uri: Url,
    pub text: String,
    pub version: i32,
    pub carrier: Carrier,
    pub lines: LineIndex,
    pub analysis: Analysis,
    /// The text changed since `analysis` was made.
    stale: bool,
}

impl Document {
    /// A document, when it is a kind the server reads.
    pub(crate) fn open(uri: Url, language_id: &str, text: String, version: i32) -> Option<Self> {
        let carrier = carrier(&uri, language_id)?;
        let mut doc = Document {
            uri,
            text: String::new(),
            version,
            carrier,
            lines: LineIndex::default(),
            analysis: Analysis::default(),
            stale: true,
        };
        doc.set_text(text, version);
        doc.refresh();
        Some(doc)
    }

    /// Replaces the text; the analysis waits for [`Document::refresh`], so
    /// that a burst of edits is checked once.
    pub(crate) fn set_text(&mut self, text: String, version: i32) {
        self.lines = LineIndex::new(&text);
        self.version = version;
        self.text = text;
        self.stale = true;
    }

    /// Analyses the text again if it changed.
    pub(crate) fn refresh(&mut self) {
        if self.stale {
            self.analysis = analyse(self.uri.path(), &self.text, self.carrier);
            self.stale = false;
        }
    }

    /// The formula holding file offset `host`, with the formula offset.
    pub(crate) fn unit_at(&self, host: usize) -> Option<(&Unit, usize)> {
        self.analysis
            .units
            .iter()
            .find_map(|u| u.local(host).map(|local| (u, local)))
    }
}

/// The kind of file, from the language id or the path's extension.
fn carrier(uri: &Url, language_id: &str) -> Option<Carrier> {
    let path = uri.path().to_ascii_lowercase();
    if language_id == LANGUAGE_ID || path.ends_with(".formula") {
        return Some(Carrier::Plain);
    }
    Carrier::from_extension(&path)
}

fn analyse(path: &str, text: &str, carrier: Carrier) -> Analysis {
    // A host file that does not read (JSON half typed) has no formulas yet;
    // the host language's own server reports its syntax.
    let Ok(found) = extract(path, text, carrier, &[]) else {
        return Analysis::default();
    };
    Analysis {
        units: found
            .formulas
            .into_iter()
            .map(|e| Unit::new(e.formula, e.template))
            .collect(),
        file_diagnostics: found.diagnostics,
    }
}
