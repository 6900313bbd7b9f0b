//! `batchscale fmt`: the canonical layout of a formula. One statement per
//! line, spaces around binary operators, `;` after each statement (the syntax
//! tree's printer), with the comments kept: a comment on its own line stays on
//! its own line before the statement that follows it, a comment after a
//! statement stays at the end of that statement's line, and a blank line
//! between groups is kept (several become one). A comment written inside a
//! statement moves to the line above the statement, the only place left for it.
//! A file with CRLF line endings keeps them.
//!
//! ```
//! let text = "// the load\nx=$PendingTasks.GetSample(1);y=2;\n\n\n$TargetDedicatedNodes=max(0,\n  val(x,0)) // cap\n";
//! let out = batchscale::format::format_formula(text).unwrap();
//! assert_eq!(
//!     out,
//!     "// the load\nx = $PendingTasks.GetSample(1);\ny = 2;\n\n$TargetDedicatedNodes = max(0, val(x, 0)); // cap\n"
//! );
//! ```

use crate::limits::Limits;
use crate::span::Span;
use crate::syntax::{self, SyntaxError};

/// Formats formula text; a formula that does not parse is returned as the error.
pub fn format_formula(text: &str) -> Result<String, SyntaxError> {
    format_with(text, &Limits::LIFTED)
}

/// Formats under `limits` (the parser's limits only decide what parses).
pub fn format_with(text: &str, limits: &Limits) -> Result<String, SyntaxError> {
    let ast = syntax::parse(text, limits)?;
    enum Item {
        Statement(usize),
        Comment(Span),
    }
    // A statement's span can run over trailing comments (a last statement
    // without `;`); its own text ends at its last token.
    let spans: Vec<Span> = ast
        .statements
        .iter()
        .map(|s| Span::new(s.span.start, own_end(text, s.span, &ast.comments)))
        .collect();
    let mut items: Vec<(usize, Item)> = spans
        .iter()
        .enumerate()
        .map(|(i, s)| (s.start, Item::Statement(i)))
        .chain(ast.comments.iter().map(|c| (c.start, Item::Comment(*c))))
        .collect();
    // Comments inside a statement sort before it, as leading comments.
    // Statement spans are disjoint and in source order, so the one that can
    // hold a comment is the last starting at or before it (a search, not a
    // scan: 20,000 commented statements stay linear).
    for (key, item) in &mut items {
        if let Item::Comment(c) = item {
            let at = spans.partition_point(|s| s.start <= c.start);
            if let Some(s) = at.checked_sub(1).and_then(|i| spans.get(i)) {
                if s.contains(*c) {
                    *key = s.start;
                }
            }
        }
    }
    items.sort_by_key(|(key, item)| (*key, matches!(item, Item::Statement(_))));

    let mut out = String::new();
    let mut previous_end: Option<usize> = None;
    let mut line_open = false;
    for (key, item) in &items {
        let (_, end) = match item {
            Item::Statement(i) => {
                let s = spans.get(*i).copied().unwrap_or_default();
                (s.start, s.end)
            }
            Item::Comment(c) => (c.start, c.end),
        };
        // A comment moved before its statement counts from the statement's start.
        let start = *key;
        let gap = previous_end
            .and_then(|p| text.get(p.min(start)..start))
            .unwrap_or("");
        let same_line = previous_end.is_some() && !gap.contains('\n');
        match item {
            Item::Comment(c) => {
                let comment = text.get(c.start..c.end).unwrap_or("").trim_end();
                if same_line && line_open {
                    out.push(' ');
                } else {
                    close_line(&mut out, &mut line_open, gap);
                }
                out.push_str(comment);
                out.push('\n');
                line_open = false;
            }
            Item::Statement(i) => {
                close_line(&mut out, &mut line_open, gap);
                if let Some(s) = ast.statements.get(*i) {
                    let _ = std::fmt::Write::write_fmt(&mut out, format_args!("{s};"));
                }
                line_open = true;
            }
        }
        previous_end = Some(end.max(previous_end.unwrap_or(0)));
    }
    if line_open {
        out.push('\n');
    }
    // Keep Windows line endings where the file has them.
    if text.contains("\r\n") {
        out = out.replace('\n', "\r\n");
    }
    Ok(out)
}

/// Ends the open line, and keeps one blank line where the source had any.
fn close_line(out: &mut String, line_open: &mut bool, gap: &str) {
    if *line_open {
        out.push('\n');
        *line_open = false;
    }
    let blank = gap.matches('\n').count() >= 2;
    if blank && !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
}

/// The end of a statement's last token: trailing spaces and comments inside
/// `span` are not part of it.
fn own_end(text: &str, span: Span, comments: &[Span]) -> usize {
    let mut end = span.end;
    loop {
        let before = text.get(span.start..end).unwrap_or("");
        end = span.start + before.trim_end().len();
        // Comments are disjoint and in source order: only the last one
        // starting before `end` can run up to it.
        let before_end = comments.partition_point(|c| c.start < end);
        match before_end
            .checked_sub(1)
            .and_then(|i| comments.get(i))
            .filter(|c| c.start >= span.start && c.end >= end)
        {
            Some(c) => end = c.start,
            None => return end,
        }
    }
}
