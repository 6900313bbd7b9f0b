//! The line editor's helper: completion, hints, bracket highlighting and the
//! multi-line rule, plugged into rustyline.

use std::borrow::Cow;

use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter, MatchingBracketHighlighter};
use rustyline::hint::{Hint, Hinter, HistoryHinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

use super::{complete, needs_more};
use crate::builtins;

/// Completion, hints and highlighting for the REPL's line editor.
#[derive(Default)]
pub struct ReplHelper {
    variables: Vec<String>,
    files: FilenameCompleter,
    history: HistoryHinter,
    brackets: MatchingBracketHighlighter,
    color: bool,
}

impl ReplHelper {
    /// A helper; `color` enables dimmed hints and bracket matching.
    pub fn new(color: bool) -> Self {
        ReplHelper {
            color,
            ..ReplHelper::default()
        }
    }

    /// Updates the user variables offered by completion.
    pub fn set_variables(&mut self, variables: Vec<String>) {
        self.variables = variables;
    }
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        if takes_file(line) {
            return self.files.complete(line, pos, ctx);
        }
        let (start, candidates) = complete(line, pos, &self.variables);
        Ok((
            start,
            candidates
                .into_iter()
                .map(|c| Pair {
                    display: c.display,
                    replacement: c.replacement,
                })
                .collect(),
        ))
    }
}

/// Whether the word being typed is a command's file argument (`:load F`,
/// `:save F`, `:context F`, `:samples $METRIC F`).
fn takes_file(line: &str) -> bool {
    // The words before the one being typed.
    let Some((head, _)) = line.rsplit_once(char::is_whitespace) else {
        return false;
    };
    let before: Vec<&str> = head.split_whitespace().collect();
    match before.first() {
        Some(&(":load" | ":save" | ":save!" | ":context")) => before.len() == 1,
        Some(&":samples") => before.len() >= 2,
        _ => false,
    }
}

/// A hint: the rest of a history line (accepted with →), or a function's
/// signature after its `(` (shown only).
pub struct ReplHint {
    display: String,
    completion: Option<String>,
}

impl Hint for ReplHint {
    fn display(&self) -> &str {
        &self.display
    }

    fn completion(&self) -> Option<&str> {
        self.completion.as_deref()
    }
}

impl Hinter for ReplHelper {
    type Hint = ReplHint;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<ReplHint> {
        if let Some(h) = self.history.hint(line, pos, ctx) {
            return Some(ReplHint {
                completion: Some(h.clone()),
                display: h,
            });
        }
        signature_hint(line, pos).map(|display| ReplHint {
            display,
            completion: None,
        })
    }
}

/// `  max(doubleVecList)` after `max(` at the end of the line.
fn signature_hint(line: &str, pos: usize) -> Option<String> {
    if pos != line.len() {
        return None;
    }
    let before = line.strip_suffix('(')?;
    let name_start = before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    let name = before.get(name_start..)?;
    let signature = match builtins::function(name) {
        Some(f) => f.signature,
        None if before.get(..name_start)?.ends_with('.') => builtins::method(name)?.signature,
        None => return None,
    };
    Some(format!("  {signature}"))
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, pos: usize) -> Cow<'l, str> {
        if self.color {
            self.brackets.highlight(line, pos)
        } else {
            Cow::Borrowed(line)
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, line: &str, pos: usize, kind: CmdKind) -> bool {
        self.color && self.brackets.highlight_char(line, pos, kind)
    }
}

impl Validator for ReplHelper {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(if needs_more(ctx.input()) {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Valid(None)
        })
    }
}

impl Helper for ReplHelper {}

#[cfg(test)]
mod tests {
    use super::{signature_hint, takes_file};

    #[test]
    fn file_arguments_complete_as_paths() {
        assert!(takes_file(":load ex"));
        assert!(takes_file(":save "));
        assert!(takes_file(":samples $PendingTasks da"));
        assert!(!takes_file(":load"));
        assert!(!takes_file(":samples $Pend"));
        assert!(!takes_file("$x = 1"));
    }

    #[test]
    fn signatures_after_an_open_bracket() {
        assert_eq!(
            signature_hint("$x = percentile(", 16),
            Some("  double percentile(doubleVec v, double p)".into())
        );
        assert_eq!(signature_hint("$x = nothing(", 13), None);
        assert_eq!(signature_hint("$x = max(", 4), None);
    }
}
