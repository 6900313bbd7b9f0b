//! When an input line is not finished: the multi-line continuation rule.

/// Whether `text` needs more lines: a bracket is still open, a `? :` is
/// missing its `:` or its else part, or the text ends in `?`, `:`, `,`, `=`
/// or a binary operator. An empty line ends the input regardless.
/// Brackets and `?`/`:` inside strings and `//` comments do not count;
/// `:` commands are always one line.
pub fn needs_more(text: &str) -> bool {
    let mut continuation = Continuation::default();
    let mut more = false;
    for line in text.split('\n') {
        more = continuation.push(line);
    }
    more
}

/// The continuation rule fed one line at a time, so a long input costs each
/// line once (a piped script of many continued lines stays linear).
#[derive(Debug, Clone, Default)]
pub struct Continuation {
    lines: usize,
    seen_text: bool,
    command: bool,
    depth: i64,
    open_ternaries: i64,
    last: Option<char>,
}

impl Continuation {
    /// A rule for a new input.
    pub fn new() -> Self {
        Continuation::default()
    }

    /// Adds the next line (without its `\n`); returns whether the input so
    /// far needs more lines.
    pub fn push(&mut self, line: &str) -> bool {
        self.lines += 1;
        if !self.seen_text && !line.trim().is_empty() {
            self.seen_text = true;
            self.command = line.trim_start().starts_with(':');
        }
        if self.command {
            return false;
        }
        // An empty line ends a continued input whatever is still open, so a
        // forgotten `)` cannot swallow the rest of a script.
        if self.lines > 1 && line.trim().is_empty() {
            return false;
        }
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' => {
                    // A string ends at its quote or, unterminated, at the line end.
                    for s in chars.by_ref() {
                        if s == '"' {
                            break;
                        }
                    }
                    self.last = Some('"');
                    continue;
                }
                '/' if chars.peek() == Some(&'/') => break,
                '(' => self.depth += 1,
                ')' => self.depth -= 1,
                '?' => self.open_ternaries += 1,
                ':' => self.open_ternaries -= 1,
                _ => {}
            }
            if !c.is_whitespace() {
                self.last = Some(c);
            }
        }
        // Too many closing brackets cannot be mended by more lines: let the
        // parser report them now.
        if self.depth < 0 {
            return false;
        }
        self.depth > 0
            || self.open_ternaries > 0
            || self.last.is_some_and(|c| "?:,=+-*/&|<>!".contains(c))
    }
}

#[cfg(test)]
mod tests {
    use super::needs_more;

    #[test]
    fn open_brackets_continue() {
        assert!(needs_more("$x = max(1,"));
        assert!(needs_more("$x = max(1, min(2,\n 3)"));
        assert!(!needs_more("$x = max(1, min(2,\n 3))"));
        assert!(!needs_more("$x = max(1, 2);"));
    }

    #[test]
    fn incomplete_conditionals_continue() {
        assert!(needs_more("$x = $a > 1 ?"));
        assert!(needs_more("$x = $a > 1 ? 2"));
        assert!(needs_more("$x = $a > 1 ? 2 :"));
        assert!(needs_more("$x = $a ? 1 : $b ? 2"));
        assert!(!needs_more("$x = $a > 1 ? 2 : 3"));
        assert!(!needs_more("$x = $a ? 1 : $b ? 2 : 3;"));
    }

    #[test]
    fn trailing_operators_continue() {
        assert!(needs_more("$x = $a +"));
        assert!(needs_more("$x ="));
        assert!(needs_more("$x = $a &&"));
        assert!(needs_more("$x = $a > 1 ? 2 : 3 ||"));
        assert!(!needs_more("$x = $a + 1"));
        assert!(!needs_more("$s = \"a+\""));
    }

    #[test]
    fn strings_and_comments_do_not_count() {
        assert!(!needs_more("$s = \"((?\";"));
        assert!(!needs_more("$x = 1; // (still open?"));
        assert!(needs_more("$x = max(1, // ) closed?\n2"));
    }

    #[test]
    fn extra_closing_brackets_and_commands_stop() {
        assert!(!needs_more("$x = 1)) + ("));
        assert!(!needs_more(":type max(1,"));
        assert!(!needs_more(""));
        assert!(!needs_more("$x = max(1,\n"));
        assert!(!needs_more("$x = max(1,\n  "));
    }
}
