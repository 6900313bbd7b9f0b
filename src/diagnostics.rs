//! Diagnostics: error data kept apart from rendering. Renders rustc-style text
//! for people (via `annotate-snippets`), the service's `Line L, Col C: ...` form,
//! and JSON records.

use annotate_snippets::{Level, Renderer, Snippet};
use serde::Serialize;

use crate::span::{line_col, LineCol, Span};

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

/// Whether a fix keeps the formula's meaning as its author meant it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Applied by `check --fix`: the edit only makes the service accept what
    /// was written (the `;` a line break left out).
    #[default]
    Safe,
    /// Applied only with `check --fix --unsafe-fixes`: a guess a person
    /// should confirm (the did-you-mean name for one that does not resolve).
    Unsafe,
}

/// A suggested edit: replace `span` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// The text to replace (empty to insert).
    pub span: Span,
    /// The new text.
    pub replacement: String,
    /// Whether `check --fix` applies it without `--unsafe-fixes`.
    pub applicability: Applicability,
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

    /// Adds a safe fix.
    pub fn with_fix(mut self, span: Span, replacement: impl Into<String>) -> Self {
        self.fix = Some(Fix {
            span,
            replacement: replacement.into(),
            applicability: Applicability::Safe,
        });
        self
    }

    /// Adds an unsafe fix: applied only on request (`--unsafe-fixes`).
    pub fn with_unsafe_fix(mut self, span: Span, replacement: impl Into<String>) -> Self {
        self.fix = Some(Fix {
            span,
            replacement: replacement.into(),
            applicability: Applicability::Unsafe,
        });
        self
    }
}

/// `Line L, Col C: message`, as the service reports positions.
pub fn service_text(source: &str, span: Span, message: &str) -> String {
    let at = line_col(source, span.start);
    format!("Line {}, Col {}: {}", at.line, at.column, message)
}

/// Renders a diagnostic rustc-style, with the source line and a caret; the
/// text ends with a newline, so diagnostics can be written one after another.
/// Builds a line index of `source` first; to render many diagnostics of one
/// text, build a [`SourceIndex`] once and call [`render_indexed`].
pub fn render(source: &str, origin: &str, diagnostic: &Diagnostic, color: bool) -> String {
    render_indexed(&SourceIndex::new(source), origin, diagnostic, color)
}

/// [`render`] against a prepared index: the work is bounded by the lines shown
/// (at most [`MAX_SHOWN_LINES`], each cut to about [`MAX_SHOWN_LINE_CHARS`]
/// characters), not by the length of the text. Control characters from the
/// text, the message and the origin are shown escaped (`\u{1b}`, `\r`), so
/// nothing in a formula can drive the terminal or a CI log.
pub fn render_indexed(
    index: &SourceIndex<'_>,
    origin: &str,
    diagnostic: &Diagnostic,
    color: bool,
) -> String {
    let level = match diagnostic.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Info,
    };
    // Lines are already cut to a bounded excerpt here (`MAX_SHOWN_LINE_CHARS`),
    // so annotate-snippets is given room never to trim them itself: its
    // trimming underflows when a label sits inside a long run of leading
    // whitespace (found by the `render` fuzz target).
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .term_width(1 << 20);
    let excerpt = Excerpt::new(index, diagnostic);
    let origin = escape_controls(origin);
    let title = escape_controls(&diagnostic.message);
    // An unsafe fix is a guess its help already states (`did you mean ...`).
    let fix_text = diagnostic
        .fix
        .as_ref()
        .filter(|fix| fix.applicability == Applicability::Safe)
        .map(|fix| {
            if fix.replacement.is_empty() {
                "remove this".to_string()
            } else if fix.span.is_empty() {
                format!(
                    "suggested fix: insert `{}`",
                    escape_controls(&fix.replacement)
                )
            } else {
                format!(
                    "suggested fix: replace with `{}`",
                    escape_controls(&fix.replacement)
                )
            }
        });
    let help = diagnostic.help.as_deref().map(escape_controls);
    let labels: Vec<(Span, std::borrow::Cow<'_, str>)> = diagnostic
        .labels
        .iter()
        .map(|l| (l.span, escape_controls(&l.message)))
        .collect();
    let mut notes = Vec::new();
    let primary = excerpt.map_span(diagnostic.span);
    let mut shown = vec![primary.clone()];
    let mut snippet = Snippet::source(&excerpt.text)
        .origin(&origin)
        .line_start(excerpt.first_line)
        .fold(true)
        .annotation(level.span(primary).label(""));
    for (span, message) in &labels {
        if excerpt.shows(*span) {
            let range = excerpt.distinct(excerpt.map_span(*span), &shown);
            shown.push(range.clone());
            snippet = snippet.annotation(Level::Info.span(range).label(message));
        } else {
            let at = index.line_col(span.start);
            notes.push(format!(
                "{message} (line {}, column {})",
                at.line, at.column
            ));
        }
    }
    let mut message = level.title(&title).id(diagnostic.code).snippet(snippet);
    for note in &notes {
        message = message.footer(Level::Note.title(note));
    }
    if let Some(text) = &fix_text {
        message = message.footer(Level::Help.title(text));
    }
    if let Some(help) = &help {
        message = message.footer(Level::Help.title(help));
    }
    let rendered = renderer.render(message).to_string();
    // The renderer counts the position in the excerpt (and puts a caret on a
    // last, empty excerpt line at the line before); the header must still
    // give the position in the text.
    let at = index.line_col(diagnostic.span.start);
    let mut text = fix_header(rendered, &origin, at);
    text.push('\n');
    text
}

/// `rendered` with the `--> ORIGIN:L:C` header set to `at`.
fn fix_header(rendered: String, origin: &str, at: LineCol) -> String {
    // Styled output puts colour codes between the arrow and the origin.
    let marker = format!("{origin}:");
    let Some(found) = rendered.find("-->").and_then(|arrow| {
        let line_end = rendered
            .get(arrow..)?
            .find('\n')
            .map_or(rendered.len(), |e| arrow + e);
        let within = rendered.get(arrow..line_end)?.find(&marker)?;
        Some(arrow + within)
    }) else {
        return rendered;
    };
    let start = found + marker.len();
    let rest = rendered.get(start..).unwrap_or("");
    let digits = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':'))
        .unwrap_or(rest.len());
    let wanted = format!("{}:{}", at.line, at.column);
    if rest.get(..digits) == Some(wanted.as_str()) {
        return rendered;
    }
    let mut fixed = String::with_capacity(rendered.len() + 8);
    fixed.push_str(rendered.get(..start).unwrap_or(""));
    fixed.push_str(&wanted);
    fixed.push_str(rest.get(digits..).unwrap_or(""));
    fixed
}

/// Most source lines one rendered diagnostic shows; a span over more lines is
/// shown by its first lines.
pub const MAX_SHOWN_LINES: usize = 16;

/// Longest source line shown whole, in bytes; a longer line is cut to about
/// this much text around the carets, with `…` where it was cut.
pub const MAX_SHOWN_LINE_CHARS: usize = 240;

/// How much of a long line is kept before the first caret, in bytes.
const CONTEXT_BEFORE: usize = 80;

/// Where each line starts, built once per text, so positions cost no more
/// than the line (or chunk) they fall in.
#[derive(Debug, Clone)]
pub struct SourceIndex<'a> {
    text: &'a str,
    /// Byte offset of each line's first byte.
    line_starts: Vec<usize>,
    /// For every [`CHUNK`] bytes, (a char boundary at or before it, the
    /// characters before that boundary), so columns on a huge line are cheap.
    chunks: Vec<(usize, usize)>,
}

const CHUNK: usize = 4096;

impl<'a> SourceIndex<'a> {
    /// The index of `text`.
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let mut chunks = Vec::with_capacity(text.len() / CHUNK + 1);
        let mut chars = 0;
        let mut previous = 0;
        let mut at = 0;
        while at <= text.len() {
            let boundary = crate::span::floor_char_boundary(text, at);
            chars += text
                .get(previous..boundary)
                .map_or(0, |s| s.chars().count());
            chunks.push((boundary, chars));
            previous = boundary;
            at += CHUNK;
        }
        SourceIndex {
            text,
            line_starts,
            chunks,
        }
    }

    /// The indexed text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Line and column (in characters) of byte `offset`, clamped to the text.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = crate::span::floor_char_boundary(self.text, offset);
        let line = self.line_of(offset);
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        LineCol {
            line: line + 1,
            column: self.chars_before(offset) - self.chars_before(start) + 1,
        }
    }

    /// 0-based line of byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// Byte range of 0-based `line`, without its `\n` (or `\r\n`).
    fn line_range(&self, line: usize) -> (usize, usize) {
        let start = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        let mut end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |&next| next - 1);
        if end > start && self.text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        (start, end.max(start))
    }

    /// Characters before char boundary `offset`.
    fn chars_before(&self, offset: usize) -> usize {
        let (boundary, chars) = self.chunks.get(offset / CHUNK).copied().unwrap_or((0, 0));
        chars
            + self
                .text
                .get(boundary..offset)
                .map_or(0, |s| s.chars().count())
    }
}

/// The shown lines of a diagnostic, escaped and cut, with the mapping of the
/// text's byte offsets into them.
struct Excerpt {
    text: String,
    first_line: usize,
    /// Per shown line: its kept byte range in the source and where it starts
    /// in `text` (after any leading `…`).
    segments: Vec<Segment>,
}

struct Segment {
    start: usize,
    end: usize,
    text_start: usize,
    source: String,
}

impl Excerpt {
    fn new(index: &SourceIndex<'_>, diagnostic: &Diagnostic) -> Excerpt {
        let text = index.text;
        let primary = diagnostic.span;
        let first = index.line_of(primary.start.min(text.len()));
        let mut last = index
            .line_of(primary.end.max(primary.start).min(text.len()))
            .max(first);
        // Labels on nearby lines share the excerpt; others become notes.
        let mut low = first;
        for label in &diagnostic.labels {
            let a = index.line_of(label.span.start.min(text.len()));
            let b = index.line_of(label.span.end.min(text.len())).max(a);
            if a + MAX_SHOWN_LINES > last && b < first + MAX_SHOWN_LINES {
                low = low.min(a);
                last = last.max(b);
            }
        }
        let last = last.min(low + MAX_SHOWN_LINES - 1);
        // Points to keep visible on each line, for cutting long lines.
        let mut points: Vec<usize> = vec![primary.start, primary.end];
        for label in &diagnostic.labels {
            points.push(label.span.start);
            points.push(label.span.end);
        }
        let mut excerpt = Excerpt {
            text: String::new(),
            first_line: low + 1,
            segments: Vec::new(),
        };
        for line in low..=last {
            let (line_start, line_end) = index.line_range(line);
            let (mut start, mut end) = (line_start, line_end);
            if end - start > MAX_SHOWN_LINE_CHARS {
                let anchor = points
                    .iter()
                    .copied()
                    .filter(|&p| p >= line_start && p <= line_end)
                    .min()
                    .unwrap_or(line_start);
                start = anchor.saturating_sub(CONTEXT_BEFORE).max(line_start);
                end = (start + MAX_SHOWN_LINE_CHARS).min(line_end);
                start = crate::span::floor_char_boundary(text, start);
                end = crate::span::floor_char_boundary(text, end);
            }
            if line > low {
                excerpt.text.push('\n');
            }
            if start > line_start {
                excerpt.text.push('…');
            }
            let source = text.get(start..end).unwrap_or("").to_string();
            let text_start = excerpt.text.len();
            // A tab is shown as one space: annotate-snippets widens tabs itself
            // and its margin arithmetic overflows on a cut line that holds them
            // (found by the `repl` fuzz target). Same byte length, so offsets
            // keep their meaning.
            excerpt
                .text
                .push_str(&escape_line(&source).replace('\t', " "));
            if end < line_end {
                excerpt.text.push('…');
            }
            excerpt.segments.push(Segment {
                start,
                end,
                text_start,
                source,
            });
        }
        excerpt
    }

    /// Whether `span` starts on a shown line.
    fn shows(&self, span: Span) -> bool {
        self.segment_of(span.start)
            .is_some_and(|s| span.start >= s.start && span.start <= s.end)
    }

    fn segment_of(&self, offset: usize) -> Option<&Segment> {
        // Lines are in order; the last segment starting at or before offset.
        let i = self.segments.partition_point(|s| s.start <= offset);
        self.segments.get(i.saturating_sub(1))
    }

    fn map(&self, offset: usize) -> usize {
        let Some(segment) = self.segment_of(offset) else {
            return 0;
        };
        let within = offset.clamp(segment.start, segment.end) - segment.start;
        let within = crate::span::floor_char_boundary(&segment.source, within);
        segment.text_start + escape_line(segment.source.get(..within).unwrap_or("")).len()
    }

    /// `range`, or, when an annotation already `shown` covers the same lines
    /// exactly, just its last character. annotate-snippets merges such
    /// duplicates itself by moving the start one *byte* back from the end,
    /// which panics when that byte is inside a character (the `render` fuzz
    /// target's finding); doing the merge here keeps it on a boundary.
    fn distinct(
        &self,
        range: std::ops::Range<usize>,
        shown: &[std::ops::Range<usize>],
    ) -> std::ops::Range<usize> {
        let multiline = self
            .text
            .get(range.clone())
            .is_some_and(|t| t.lines().count() > 1);
        if !multiline || !shown.contains(&range) {
            return range;
        }
        let last = self
            .text
            .get(..range.end)
            .and_then(|t| t.char_indices().next_back())
            .map_or(range.start, |(i, _)| i);
        last.max(range.start)..range.end
    }

    fn map_span(&self, span: Span) -> std::ops::Range<usize> {
        // Every range handed to the renderer lies on character boundaries of
        // the excerpt, whatever span it was given (the `render` fuzz target
        // found one that did not).
        let start = crate::span::floor_char_boundary(&self.text, self.map(span.start));
        let end = self.map(span.end.max(span.start)).max(start);
        let end = crate::span::floor_char_boundary(&self.text, end).max(start);
        start..end
    }
}

/// Whether `c` is shown escaped: C0 and C1 controls and DEL, except tab.
fn is_escaped(c: char) -> bool {
    c != '\t' && (c.is_control())
}

fn escape_char(c: char, out: &mut String) {
    match c {
        '\r' => out.push_str("\\r"),
        '\n' => out.push_str("\\n"),
        c => {
            use std::fmt::Write;
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

/// One source line with its controls escaped.
fn escape_line(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.chars().any(is_escaped) {
        return std::borrow::Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        if is_escaped(c) {
            escape_char(c, &mut out);
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `text` with C0/C1 control characters (except tab and line feed) and any CR
/// not followed by a line feed written as escapes (`\u{1b}`, `\r`), for text
/// output that echoes what the user gave.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let needs = |(i, c): (usize, char)| {
        is_escaped(c) && c != '\n' && !(c == '\r' && text.as_bytes().get(i + 1) == Some(&b'\n'))
    };
    if !text.char_indices().any(needs) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.char_indices() {
        if needs((i, c)) {
            escape_char(c, &mut out);
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
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
        Self::indexed(file, &SourceIndex::new(source), diagnostic)
    }

    /// [`Record::new`] against an index built once for many diagnostics.
    pub fn indexed(file: &'a str, index: &SourceIndex<'_>, diagnostic: &'a Diagnostic) -> Self {
        let start = index.line_col(diagnostic.span.start);
        let end = index.line_col(diagnostic.span.end);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_agrees_with_counting_from_the_start() {
        // Multi-byte characters across several 4 KiB chunks and many lines.
        let text: String = (0..3000)
            .map(|i| if i % 7 == 0 { "é\n" } else { "ab€" })
            .collect();
        let index = SourceIndex::new(&text);
        for offset in (0..=text.len()).step_by(97).chain([text.len()]) {
            assert_eq!(index.line_col(offset), line_col(&text, offset), "{offset}");
        }
    }

    #[test]
    fn controls_are_escaped_but_tab_newline_and_crlf_are_kept() {
        assert_eq!(escape_controls("a\u{1b}[2J\tb"), "a\\u{1b}[2J\tb");
        assert_eq!(escape_controls("x\ry\r\nz\n"), "x\\ry\r\nz\n");
        // C1 controls (U+0080..U+009F) and DEL too.
        assert_eq!(escape_controls("\u{9b}\u{7f}"), "\\u{9b}\\u{7f}");
    }

    #[test]
    fn a_cut_line_keeps_its_true_column_and_stays_short() {
        // `$x=` (3 bytes), 10,000 `1 + ` (40,000), then `;` at byte 40,003: column 40,004.
        let text = format!("$x={};", "1 + ".repeat(10_000));
        let at = text.len() - 1;
        let d = Diagnostic::error("syntax-error", "here", Span::new(at, at + 1));
        let shown = render(&text, "f", &d, false);
        assert!(shown.contains(" --> f:1:40004"), "{shown}");
        assert!(shown.len() < 1_000, "{shown}");
        let styled = render(&text, "f", &d, true);
        assert!(styled.contains("f:1:40004"), "{styled}");
    }

    #[test]
    fn a_label_on_the_same_lines_as_the_error_ending_in_a_wide_character() {
        // Primary and label both cover `x\n€` (bytes 0..5): annotate-snippets
        // would merge the label to the byte before the end, inside `€`.
        let text = "x\n€";
        let d = Diagnostic::error("syntax-error", "here", Span::new(0, text.len()))
            .with_label(Span::new(0, text.len()), "also here");
        let shown = render(text, "f", &d, false);
        assert!(shown.contains(" --> f:1:1"), "{shown}");
        assert!(shown.contains("also here"), "{shown}");
    }

    #[test]
    fn far_labels_become_notes() {
        // The label is 100 lines away from the error: shown as a note.
        let text = format!("$a = 1;\n{}$b = ;\n", "\n".repeat(100));
        let error_at = text.find(" ;").unwrap_or(0) + 1;
        let d = Diagnostic::error("syntax-error", "here", Span::point(error_at))
            .with_label(Span::new(0, 2), "first use");
        let shown = render(&text, "f", &d, false);
        assert!(shown.contains("first use (line 1, column 1)"), "{shown}");
        assert!(!shown.contains("$a = 1"), "{shown}");
    }
}
