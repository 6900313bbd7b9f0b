//! promtool's expanding notation for metric series (the `values` of its
//! `input_series`), as documented in Prometheus'
//! `docs/configuration/unit_testing_rules.md`:
//!
//! - `a+bxn` becomes `a a+b a+2b … a+nb` (n+1 values), `a-bxn` the same
//!   decreasing; `axn` is `a+0xn` (n+1 copies of `a`);
//! - `_` is a missing sample, and `_xn` is n missing samples (promtool's
//!   example: `1 _x3 stale` becomes `1 _ _ _ stale`);
//! - plain numbers stand for themselves.
//!
//! promtool's `stale` marker has no meaning for the Batch service (a metric
//! sample is there or not), so it is refused with a hint to write `_`.

/// Most values one series may expand to: two weeks of 30-second samples,
/// more than the seven days of history the service keeps. Beyond it a typo
/// such as `0x10000000000` is refused instead of filling memory.
pub const MAX_VALUES: usize = 2 * 7 * 24 * 120;

/// Why a series does not parse: the byte offset of the bad token in the text
/// and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotationError {
    /// Byte offset of the token in the series text.
    pub offset: usize,
    /// What is wrong, with what was expected.
    pub message: String,
}

/// Expands `text` into one value per sample slot (`None` for `_`).
pub fn expand(text: &str) -> Result<Vec<Option<f64>>, NotationError> {
    let mut out = Vec::new();
    for (offset, token) in tokens(text) {
        let error = |message: String| NotationError { offset, message };
        let before = out.len();
        expand_token(token, &mut out).map_err(error)?;
        if out.len() > MAX_VALUES {
            return Err(error(format!(
                "`{token}` makes the series longer than {MAX_VALUES} values (the series had {before})"
            )));
        }
    }
    if out.is_empty() {
        return Err(NotationError {
            offset: 0,
            message: "the series is empty; expected values such as \"0x10 5+5x4 _ 30\"".into(),
        });
    }
    Ok(out)
}

/// The whitespace-separated tokens of `text` with their byte offsets.
fn tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_ascii_whitespace().map(move |token| {
        // `token` is a subslice of `text`, so the difference of the two
        // addresses is its offset.
        (token.as_ptr() as usize - text.as_ptr() as usize, token)
    })
}

fn expand_token(token: &str, out: &mut Vec<Option<f64>>) -> Result<(), String> {
    if token == "stale" {
        return Err(
            "`stale` has no meaning for Azure Batch metrics; write `_` for a missing sample".into(),
        );
    }
    let Some((head, count)) = token.rsplit_once('x') else {
        out.push(sample(token)?);
        return Ok(());
    };
    let count: usize = count.parse().map_err(|_| {
        format!("`{token}`: the count after `x` must be a whole number, as in `5+5x4`")
    })?;
    if count > MAX_VALUES {
        return Err(format!(
            "`{token}`: the count {count} is more than {MAX_VALUES}"
        ));
    }
    if head == "_" {
        // promtool: "the missing sample cannot increment, so 3 missing
        // samples are produced by the '_x3' expression".
        out.extend(std::iter::repeat_n(None, count));
        return Ok(());
    }
    let (start, step) =
        split_step(head).ok_or_else(|| format!("`{token}`: expected `a+bxn`, `a-bxn` or `axn`"))?;
    let start = number(start, token)?;
    let step = match step {
        Some((sign, step)) => sign * number(step, token)?,
        None => 0.0,
    };
    for i in 0..=count {
        let value = start + step * i as f64;
        if !value.is_finite() {
            return Err(format!("`{token}` overflows at value {i}"));
        }
        out.push(Some(value));
    }
    Ok(())
}

/// `a+b` → (`a`, +1, `b`), `a-b` → (`a`, -1, `b`), `a` → (`a`, none). The
/// sign of `a` itself (`-2+4x3`) and an exponent's sign (`1e-3`) are not
/// taken for the operator.
fn split_step(head: &str) -> Option<(&str, Option<(f64, &str)>)> {
    let bytes = head.as_bytes();
    let operator = (1..bytes.len()).rev().find(|&i| {
        matches!(bytes.get(i), Some(b'+' | b'-'))
            && !matches!(bytes.get(i - 1), Some(b'e' | b'E' | b'+' | b'-'))
    });
    match operator {
        None => Some((head, None)),
        Some(i) => {
            let sign = if bytes.get(i) == Some(&b'+') {
                1.0
            } else {
                -1.0
            };
            Some((head.get(..i)?, Some((sign, head.get(i + 1..)?))))
        }
    }
}

fn sample(token: &str) -> Result<Option<f64>, String> {
    if token == "_" {
        return Ok(None);
    }
    number(token, token).map(Some)
}

fn number(text: &str, token: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!(
            "`{token}`: `{text}` is not a number; expected values such as `0x10 5+5x4 _ 30`"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::expand;

    fn some(values: &[f64]) -> Vec<Option<f64>> {
        values.iter().copied().map(Some).collect()
    }

    #[test]
    fn promtool_documented_examples() {
        // The four examples of Prometheus' unit_testing_rules.md.
        assert_eq!(expand("-2+4x3").unwrap(), some(&[-2.0, 2.0, 6.0, 10.0]));
        assert_eq!(
            expand(" 1-2x4").unwrap(),
            some(&[1.0, -1.0, -3.0, -5.0, -7.0])
        );
        assert_eq!(expand(" 1x4").unwrap(), some(&[1.0; 5]));
        assert_eq!(expand("1 _x3").unwrap(), vec![Some(1.0), None, None, None]);
    }

    #[test]
    fn the_brief_example() {
        // 0x10: eleven zeros; 5+5x4: 5 10 15 20 25; then a gap and 30.
        let mut expected = vec![Some(0.0); 11];
        expected.extend(some(&[5.0, 10.0, 15.0, 20.0, 25.0]));
        expected.extend([None, Some(30.0)]);
        assert_eq!(expand("0x10 5+5x4 _ 30").unwrap(), expected);
    }

    #[test]
    fn exponents_and_fractions() {
        assert_eq!(expand("1e-3+0.5x1").unwrap(), some(&[0.001, 0.501]));
        assert_eq!(expand("2.5").unwrap(), some(&[2.5]));
    }

    #[test]
    fn errors_point_at_the_token() {
        let e = expand("1 2 3+x4").unwrap_err();
        assert_eq!(e.offset, 4);
        assert!(e.message.contains("`3+x4`"), "{}", e.message);
        let e = expand("0x10 5+5xfour").unwrap_err();
        assert_eq!(e.offset, 5);
        assert!(e.message.contains("whole number"), "{}", e.message);
        assert_eq!(expand("1 stale").unwrap_err().offset, 2);
        assert!(expand("   ").unwrap_err().message.contains("empty"));
        assert!(expand("0x99999999999")
            .unwrap_err()
            .message
            .contains("more than"));
        assert!(expand("abc").is_err());
        assert!(expand("1e308+1e308x3")
            .unwrap_err()
            .message
            .contains("overflows"));
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::expand;

    proptest! {
        /// Any text expands or gives an error inside it; it never panics.
        #[test]
        fn never_panics(text in "[-+x_0-9. a-z]{0,40}") {
            if let Err(e) = expand(&text) {
                prop_assert!(e.offset <= text.len());
            }
        }

        /// `a+bxn` is n+1 values a, a+b, …, a+nb (promtool's definition).
        #[test]
        fn steps_expand_to_n_plus_one_values(a in -1000i32..1000, b in 0i32..100, n in 0usize..50) {
            let values = expand(&format!("{a}+{b}x{n}")).unwrap();
            prop_assert_eq!(values.len(), n + 1);
            for (i, v) in values.iter().enumerate() {
                prop_assert_eq!(*v, Some(f64::from(a) + f64::from(b) * i as f64));
            }
            let down = expand(&format!("{a}-{b}x{n}")).unwrap();
            prop_assert_eq!(down.last().copied().flatten(), Some(f64::from(a) - f64::from(b) * n as f64));
        }
    }
}
