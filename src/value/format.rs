//! How the service prints values in the `results` string.

use std::fmt::Write;

use super::Value;

/// Formats a double as the service does. Whole numbers print as integers, all
/// their digits and no decimal point (`16777216`; `-0` prints as `0`); other
/// numbers as C's `%g` (6 significant digits, no trailing zeros, exponent form
/// below 1e-4 and from 1e6). `NaN` and infinities, which the service was never
/// seen printing, are written as .NET writes them.
pub fn format_double(x: f64, out: &mut String) {
    if x.is_nan() {
        out.push_str("NaN");
        return;
    }
    if x.is_infinite() {
        out.push_str(if x > 0.0 { "Infinity" } else { "-Infinity" });
        return;
    }
    if x.fract() == 0.0 {
        // `as i64` is exact below 2^63 and turns -0 into 0; beyond, `{:.0}`
        // writes the double's exact integer value.
        if x.abs() < 9.2e18 {
            let _ = write!(out, "{}", x as i64);
        } else {
            let _ = write!(out, "{x:.0}");
        }
        return;
    }
    // Round to 6 significant digits first; the exponent of the rounded value
    // decides the style, as in C. Formatted on the stack: this runs for every
    // number of every results string.
    let mut sci = StackText::new();
    let _ = write!(sci, "{x:.5e}");
    let (mantissa, exponent) = sci.as_str().split_once('e').unwrap_or((sci.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if !(-4..6).contains(&exponent) {
        out.push_str(trim_fraction(mantissa));
        let _ = write!(
            out,
            "e{}{:02}",
            if exponent < 0 { '-' } else { '+' },
            exponent.unsigned_abs()
        );
    } else {
        let decimals = (5 - exponent).max(0) as usize;
        let mut fixed = StackText::new();
        let _ = write!(fixed, "{x:.decimals$}");
        out.push_str(trim_fraction(fixed.as_str()));
    }
}

/// A short text buffer on the stack (long enough for any `%g` rendering).
struct StackText {
    bytes: [u8; 48],
    len: usize,
}

impl StackText {
    fn new() -> Self {
        StackText {
            bytes: [0; 48],
            len: 0,
        }
    }

    fn as_str(&self) -> &str {
        self.bytes
            .get(..self.len)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }
}

impl Write for StackText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

fn trim_fraction(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

/// Formats a value as it appears after `name=` in `results`.
pub fn format_value(value: &Value, out: &mut String) {
    match value {
        Value::Double(x) => format_double(*x, out),
        Value::DoubleVec(v) => format_vector(v, out),
        Value::String(s) => out.push_str(s),
        Value::Timestamp(t) => {
            let _ = write!(out, "{t}");
        }
        Value::TimeInterval(t) => {
            let _ = write!(out, "{t}");
        }
        Value::NodeDeallocationOption(d) => out.push_str(d.keyword()),
    }
}

/// `[v1,v2,...]` with each element as [`format_double`] prints it.
pub fn format_vector(values: &[f64], out: &mut String) {
    out.push('[');
    for (i, x) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        format_double(*x, out);
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(x: f64) -> String {
        let mut s = String::new();
        format_double(x, &mut s);
        s
    }

    #[test]
    fn whole_numbers_print_every_digit() {
        // service-behaviour.md: "Whole numbers print with no decimal point".
        assert_eq!(g(0.0), "0");
        assert_eq!(g(-0.0), "0");
        assert_eq!(g(1.0), "1");
        assert_eq!(g(100.0), "100");
        assert_eq!(g(123456.0), "123456");
        assert_eq!(g(-999999.0), "-999999");
        assert_eq!(g(1e6), "1000000");
        assert_eq!(g(16777216.0), "16777216");
        assert_eq!(g(-1234567.0), "-1234567");
        assert_eq!(g(8589934592.0), "8589934592");
        // 2^63 and 10^20 are past i64: their exact values.
        assert_eq!(g(9223372036854775808.0), "9223372036854775808");
        assert_eq!(g(1e20), "100000000000000000000");
    }

    #[test]
    fn other_numbers_match_c_percent_g() {
        // Expected strings are what C's printf("%g") prints.
        assert_eq!(g(29.0 / 30.0 * 100.0), "96.6667");
        assert_eq!(g(0.5), "0.5");
        assert_eq!(g(2.9), "2.9");
        assert_eq!(g(999999.5), "1e+06");
        assert_eq!(g(1234567.5), "1.23457e+06");
        assert_eq!(g(0.0001), "0.0001");
        assert_eq!(g(0.00001234), "1.234e-05");
        assert_eq!(g(-2.5), "-2.5");
        assert_eq!(g(1.0 / 3.0), "0.333333");
        assert_eq!(g(5e-324), "4.94066e-324");
    }

    #[test]
    fn non_finite_values_use_dotnet_spelling() {
        assert_eq!(g(f64::NAN), "NaN");
        assert_eq!(g(f64::INFINITY), "Infinity");
        assert_eq!(g(f64::NEG_INFINITY), "-Infinity");
    }

    #[test]
    fn vectors_have_no_spaces() {
        let mut s = String::new();
        format_vector(&[1.0, 0.5, 3.0], &mut s);
        assert_eq!(s, "[1,0.5,3]");
    }
}
