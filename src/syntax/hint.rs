//! Hints for syntax errors that come from other languages' habits: each
//! names the formula language's own form.

use super::{SyntaxError, SyntaxErrorKind};

/// A help for `e` in `text`, when the token it stopped at is a known habit.
pub fn hint(text: &str, e: &SyntaxError) -> Option<String> {
    if !matches!(e.kind, SyntaxErrorKind::Unexpected { .. }) {
        return None;
    }
    let found = text.get(e.span.start..e.span.end).unwrap_or("");
    let rest = text.get(e.span.start..).unwrap_or("");
    let statement_start = text
        .get(..e.span.start)
        .and_then(|b| b.rfind(';'))
        .map_or(0, |i| i + 1);
    let before = text.get(statement_start..e.span.start).unwrap_or("");
    let hint = match found {
        "and" => "write `&&` for \"and\": `a > 1 && b > 1`".to_string(),
        "or" => "write `||` for \"or\": `a > 1 || b > 1`".to_string(),
        "not" => "write `!` for \"not\": `!(a > 1)`".to_string(),
        "=" if before.contains('=') => {
            "to compare, write `==`: `=` only assigns, once, at the start of a statement"
                .to_string()
        }
        "[" if before.trim().is_empty() => {
            "a statement assigns one name: `x = ...;` (there is no `[...] =`)".to_string()
        }
        _ if rest.starts_with('\'') => {
            "strings are written in double quotes: `\"text\"`".to_string()
        }
        _ if exponent(number_at(rest)).is_some() => {
            let value = exponent(number_at(rest)).unwrap_or_default();
            format!("numbers have no exponent part: write `{value}`")
        }
        _ if has_if(before) => {
            "there is no `if`: write `condition ? value_if_true : value_if_false`".to_string()
        }
        _ => return None,
    };
    Some(hint)
}

/// The number-like text at the start of `rest` (`2.5E-1` in `2.5E-1;`).
fn number_at(rest: &str) -> &str {
    let mut previous = ' ';
    let len = rest
        .char_indices()
        .find(|&(_, c)| {
            let sign_after_e = matches!(c, '+' | '-') && matches!(previous, 'e' | 'E');
            previous = c;
            !(c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E') || sign_after_e)
        })
        .map_or(rest.len(), |(i, _)| i);
    rest.get(..len).unwrap_or("")
}

/// The value of a number written with an exponent (`1e3`), in full.
fn exponent(token: &str) -> Option<String> {
    let lower = token.to_ascii_lowercase();
    let (mantissa, power) = lower.split_once('e')?;
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '.');
    let power_digits = power.strip_prefix(['+', '-']).unwrap_or(power);
    if !digits(mantissa) || !power_digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let value: f64 = lower.parse().ok()?;
    value.is_finite().then(|| value.to_string())
}

/// Whether the statement so far uses `if` as a keyword (`if (...)`).
fn has_if(before: &str) -> bool {
    before.match_indices("if").any(|(at, _)| {
        let word_start = at == 0
            || !before
                .get(..at)
                .and_then(|b| b.chars().next_back())
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
        let after = before.get(at + 2..).unwrap_or("").trim_start();
        word_start && after.starts_with('(')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    fn help(text: &str) -> String {
        let Err(e) = super::super::parse(text, &Limits::default()) else {
            return String::new();
        };
        hint(text, &e).unwrap_or_default()
    }

    #[test]
    fn each_habit_gets_the_formula_form() {
        let t = "$TargetDedicatedNodes = ";
        assert!(help(&format!("{t}1e3;")).contains("`1000`"));
        assert!(help(&format!("{t}2.5E-1;")).contains("`0.25`"));
        assert!(help(&format!("{t}'text';")).contains("double quotes"));
        assert!(help(&format!("{t}1 > 2 and 2 > 1;")).contains("`&&`"));
        assert!(help(&format!("{t}1 or 2;")).contains("`||`"));
        assert!(help(&format!("{t}if (1 > 2) 3 else 4;")).contains("? value_if_true"));
        assert!(help(&format!("{t}$CurrentDedicatedNodes = 1 ? 2 : 3;")).contains("`==`"));
        assert!(help("[x] = 3;").contains("assigns one name"));
        // An ordinary mistake gets no habit hint.
        assert_eq!(help(&format!("{t}max(1;")), "");
    }
}
