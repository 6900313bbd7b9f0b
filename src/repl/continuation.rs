//! When an input line is not finished: the multi-line continuation rule.

/// Whether `text` needs more lines: a bracket is still open, a `? :` is
/// missing its `:` or its else part, or the text ends in `?`, `:`, `,`, `=`
/// or a binary operator. An empty line ends the input regardless.
/// Brackets and `?`/`:` inside strings and `//` comments do not count;
/// `:` commands are always one line.
pub fn needs_more(text: &str) -> bool {
    if text.trim_start().starts_with(':') {
        return false;
    }
    // An empty line ends a continued input whatever is still open, so a
    // forgotten `)` cannot swallow the rest of a script.
    if text.contains('\n')
        && text
            .rsplit('\n')
            .next()
            .is_some_and(|l| l.trim().is_empty())
    {
        return false;
    }
    let mut depth = 0i64;
    let mut open_ternaries = 0i64;
    let mut last = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                // A string ends at its quote or, unterminated, at the line end.
                for s in chars.by_ref() {
                    if s == '"' || s == '\n' {
                        break;
                    }
                }
                last = Some('"');
                continue;
            }
            '/' if chars.peek() == Some(&'/') => {
                for s in chars.by_ref() {
                    if s == '\n' {
                        break;
                    }
                }
                continue;
            }
            '(' => depth += 1,
            ')' => depth -= 1,
            '?' => open_ternaries += 1,
            ':' => open_ternaries -= 1,
            _ => {}
        }
        if !c.is_whitespace() {
            last = Some(c);
        }
    }
    // Too many closing brackets cannot be mended by more lines: let the parser
    // report them now.
    if depth < 0 {
        return false;
    }
    depth > 0 || open_ternaries > 0 || last.is_some_and(|c| "?:,=+-*/&|<>!".contains(c))
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
