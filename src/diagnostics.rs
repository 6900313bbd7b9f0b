//! Diagnostics: error data kept apart from rendering. Renders rustc-style text
//! for people (via `annotate-snippets`), the service's `Line L, Col C: ...` form,
//! and JSON records.

use annotate_snippets::{Level, Renderer, Snippet};
use serde::Serialize;

use crate::span::{line_col, Span};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational: nothing wrong, but something could not be checked.
    Info,
    /// Probably a mistake; the service accepts it.
    Warning,
    /// The service rejects the formula or its evaluation fails.
    Error,
}

impl Severity {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A secondary span with its message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What about it.
    pub message: String,
}

/// A suggested edit: replace `span` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// The text to replace (empty to insert).
    pub span: Span,
    /// The new text.
    pub replacement: String,
}

/// One finding about a formula.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How serious.
    pub severity: Severity,
    /// The stable rule code (`undefined-symbol`, `unguarded-sample`, ...).
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// Where.
    pub span: Span,
    /// Other places involved.
    pub labels: Vec<Label>,
    /// How to fix it.
    pub help: Option<String>,
    /// A mechanical fix, when there is one.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A diagnostic without labels, help or fix.
    pub fn new(
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
        span: Span,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            span,
            labels: Vec::new(),
            help: None,
            fix: None,
        }
    }

    /// An error.
    pub fn error(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Self::new(Severity::Error, code, message, span)
    }

    /// A warning.
    pub fn warning(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Self::new(Severity::Warning, code, message, span)
    }

    /// Adds help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary label.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Adds a fix.
    pub fn with_fix(mut self, span: Span, replacement: impl Into<String>) -> Self {
        self.fix = Some(Fix {
            span,
            replacement: replacement.into(),
        });
        self
    }
}

/// `Line L, Col C: message`, as the service reports positions.
pub fn service_text(source: &str, span: Span, message: &str) -> String {
    let at = line_col(source, span.start);
    format!("Line {}, Col {}: {}", at.line, at.column, message)
}

/// Renders a diagnostic rustc-style, with the source line and a caret.
pub fn render(source: &str, origin: &str, diagnostic: &Diagnostic, color: bool) -> String {
    let level = match diagnostic.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Info,
    };
    let clamp = |span: Span| {
        let start = crate::span::floor_char_boundary(source, span.start);
        let end = crate::span::floor_char_boundary(source, span.end.max(span.start)).max(start);
        start..end
    };
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let fix_text = diagnostic.fix.as_ref().map(|fix| {
        if fix.replacement.is_empty() {
            "remove this".to_string()
        } else {
            format!("suggested fix: insert `{}`", fix.replacement)
        }
    });
    let mut snippet = Snippet::source(source)
        .origin(origin)
        .line_start(1)
        .fold(true)
        .annotation(level.span(clamp(diagnostic.span)).label(""));
    for label in &diagnostic.labels {
        snippet = snippet.annotation(Level::Info.span(clamp(label.span)).label(&label.message));
    }
    let mut message = level
        .title(&diagnostic.message)
        .id(diagnostic.code)
        .snippet(snippet);
    if let Some(text) = &fix_text {
        message = message.footer(Level::Help.title(text));
    }
    if let Some(help) = &diagnostic.help {
        message = message.footer(Level::Help.title(help));
    }
    let rendered = renderer.render(message).to_string();
    rendered
}

/// A machine-readable record of a diagnostic (for `--format json`).
#[derive(Debug, Clone, Serialize)]
pub struct Record<'a> {
    /// The file (or `-`).
    pub file: &'a str,
    /// 1-based start line.
    pub line: usize,
    /// 1-based start column.
    pub column: usize,
    /// 1-based end line.
    pub end_line: usize,
    /// 1-based end column (exclusive).
    pub end_column: usize,
    /// `error`, `warning` or `info`.
    pub severity: Severity,
    /// The rule code.
    pub code: &'a str,
    /// The message.
    pub message: &'a str,
    /// Help text, if any.
    pub help: Option<&'a str>,
}

impl<'a> Record<'a> {
    /// The record for `diagnostic` in `source`.
    pub fn new(file: &'a str, source: &str, diagnostic: &'a Diagnostic) -> Self {
        let start = line_col(source, diagnostic.span.start);
        let end = line_col(source, diagnostic.span.end);
        Record {
            file,
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            severity: diagnostic.severity,
            code: diagnostic.code,
            message: &diagnostic.message,
            help: diagnostic.help.as_deref(),
        }
    }
}
