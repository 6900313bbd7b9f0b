//! What `tune` searches: the varied constants (`--vary`), the figures it
//! minimises and bounds (`--minimize`, `--subject-to`), and the formula text
//! of one grid point.

use std::fmt;

use crate::syntax::{ExprKind, StatementKind, UnaryOp};
use crate::value::format_double;
use crate::Formula;

/// The largest grid `tune` runs in full, and the most points a round of the
/// coarse-to-fine search past it runs (docs/tune.md).
pub(super) const MAX_POINTS: usize = 4096;

/// Most values one `--vary` may take (the values are kept in memory).
pub(super) const MAX_VALUES: usize = 1_000_000;

/// One `--vary NAME=LO..HI:STEP`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Vary {
    /// The variable as the formula spells it.
    pub name: String,
    /// The values tried, from LO up to HI.
    pub values: Vec<f64>,
}

/// Parses `NAME=LO..HI:STEP`.
pub(super) fn parse_vary(text: &str) -> Result<Vary, String> {
    let usage = "expected NAME=LO..HI:STEP, as in `$maxNodes=2..20:2`";
    let (name, range) = text
        .split_once('=')
        .ok_or_else(|| format!("--vary `{text}`: no `=`; {usage}"))?;
    let (bounds, step) = range
        .rsplit_once(':')
        .ok_or_else(|| format!("--vary `{text}`: no `:STEP`; {usage}"))?;
    let (lo, hi) = bounds
        .split_once("..")
        .ok_or_else(|| format!("--vary `{text}`: no `LO..HI`; {usage}"))?;
    let number = |what: &str, s: &str| -> Result<f64, String> {
        s.trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("--vary `{text}`: {what} `{s}` is not a finite number"))
    };
    let (lo, hi, step) = (number("LO", lo)?, number("HI", hi)?, number("STEP", step)?);
    let name = name.trim();
    if name.is_empty() {
        return Err(format!("--vary `{text}`: no variable name; {usage}"));
    }
    if lo > hi {
        return Err(format!("--vary `{text}`: LO {lo} is above HI {hi}"));
    }
    if step <= 0.0 {
        return Err(format!("--vary `{text}`: STEP must be above 0"));
    }
    // A thousandth of a step of slack, so that 0.1..0.3:0.1 keeps 0.3.
    let steps = ((hi - lo) / step + 1e-3).floor();
    if steps >= MAX_VALUES as f64 {
        return Err(format!(
            "--vary `{text}`: {} values, more than the {MAX_VALUES} one constant may take; use a larger STEP",
            steps + 1.0
        ));
    }
    let values = (0..=steps as usize)
        .map(|i| {
            // Rounded to 12 significant digits so 0.1 * 3 prints as 0.3.
            let x = lo + step * i as f64;
            let scale = 10f64.powi(12 - x.abs().max(1e-300).log10().ceil() as i32);
            (x * scale).round() / scale
        })
        .collect();
    Ok(Vary {
        name: name.to_string(),
        values,
    })
}

/// How a constraint compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Compare {
    /// `<=`
    AtMost,
    /// `<`
    Below,
    /// `>=`
    AtLeast,
    /// `>`
    Above,
}

impl Compare {
    /// Whether `x` meets the bound.
    pub(super) fn holds(self, x: f64, bound: f64) -> bool {
        match self {
            Compare::AtMost => x <= bound,
            Compare::Below => x < bound,
            Compare::AtLeast => x >= bound,
            Compare::Above => x > bound,
        }
    }

    /// Whether smaller values are the better side of the bound.
    pub(super) fn lower_is_better(self) -> bool {
        matches!(self, Compare::AtMost | Compare::Below)
    }
}

impl fmt::Display for Compare {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Compare::AtMost => "<=",
            Compare::Below => "<",
            Compare::AtLeast => ">=",
            Compare::Above => ">",
        })
    }
}

/// One `--subject-to 'METRIC <= VALUE'`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Constraint {
    /// The figure's path in `summary.json`.
    pub metric: String,
    /// The comparison.
    pub compare: Compare,
    /// The bound.
    pub bound: f64,
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut bound = String::new();
        format_double(self.bound, &mut bound);
        write!(f, "{} {} {bound}", self.metric, self.compare)
    }
}

/// Parses `METRIC <= VALUE` (also `<`, `>=`, `>`).
pub(super) fn parse_constraint(text: &str) -> Result<Constraint, String> {
    // Two-character operators first, so `<=` is not read as `<`.
    let ops = [
        ("<=", Compare::AtMost),
        (">=", Compare::AtLeast),
        ("<", Compare::Below),
        (">", Compare::Above),
    ];
    let Some((at, op, compare)) = ops
        .iter()
        .find_map(|&(op, c)| text.find(op).map(|at| (at, op, c)))
    else {
        return Err(format!(
            "--subject-to `{text}`: expected METRIC <= VALUE (or <, >=, >)"
        ));
    };
    let metric = text.get(..at).unwrap_or("").trim();
    let value = text.get(at + op.len()..).unwrap_or("").trim();
    if metric.is_empty() {
        return Err(format!("--subject-to `{text}`: no metric before `{op}`"));
    }
    let bound = value
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format!("--subject-to `{text}`: `{value}` is not a finite number"))?;
    Ok(Constraint {
        metric: metric.to_string(),
        compare,
        bound,
    })
}

/// Where each varied variable's constant is written in the formula.
#[derive(Debug, Clone)]
pub(super) struct Template {
    /// The formula text.
    source: String,
    /// For each `--vary`, in order, the byte range of its constant.
    slots: Vec<std::ops::Range<usize>>,
}

impl Template {
    /// Finds each varied name's single assignment of a number constant.
    pub(super) fn new(formula: &Formula, varies: &[Vary]) -> Result<Template, String> {
        let mut slots = Vec::with_capacity(varies.len());
        for (i, vary) in varies.iter().enumerate() {
            if varies.iter().take(i).any(|v| v.name == vary.name) {
                return Err(format!("--vary: `{}` is given twice", vary.name));
            }
            slots.push(constant_of(formula, &vary.name)?);
        }
        Ok(Template {
            source: formula.source().to_string(),
            slots,
        })
    }

    /// The formula with `values` (one per `--vary`) written in.
    pub(super) fn with(&self, values: &[f64]) -> String {
        let mut order: Vec<(std::ops::Range<usize>, f64)> = self
            .slots
            .iter()
            .cloned()
            .zip(values.iter().copied())
            .collect();
        order.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
        let mut text = self.source.clone();
        for (range, value) in order {
            let mut number = String::new();
            write_number(value, &mut number);
            if text.get(range.clone()).is_some() {
                text.replace_range(range, &number);
            }
        }
        text
    }
}

/// A number as a formula literal: `-` only for negatives, full precision.
fn write_number(x: f64, out: &mut String) {
    // `{}` prints the shortest text that reads back as the same double.
    out.push_str(&format!("{x}"));
}

/// The byte range of the number constant `name` is assigned, or why none.
fn constant_of(formula: &Formula, name: &str) -> Result<std::ops::Range<usize>, String> {
    let source = formula.source();
    let mut found = Vec::new();
    let mut spelled = None;
    for statement in &formula.ast().statements {
        let StatementKind::Assign { target, value } = &statement.kind else {
            continue;
        };
        if target.text != name {
            if target.text.trim_start_matches('$') == name.trim_start_matches('$')
                || target.text.eq_ignore_ascii_case(name)
            {
                spelled = Some(target.text.clone());
            }
            continue;
        }
        found.push((statement.span, value.clone()));
    }
    let at = |offset: usize| {
        let lc = crate::span::line_col(source, offset);
        format!("Line {}, Col {}", lc.line, lc.column)
    };
    match found.as_slice() {
        [] => Err(match spelled {
            Some(s) => format!("--vary: the formula assigns no `{name}`; did you mean `{s}`?"),
            None => format!("--vary: the formula assigns no `{name}`"),
        }),
        [(_, value)] => match &value.kind {
            ExprKind::Number(_) => Ok(value.span.start..value.span.end),
            ExprKind::Unary {
                op: UnaryOp::Neg,
                operand,
                ..
            } if matches!(operand.kind, ExprKind::Number(_)) => Ok(value.span.start..value.span.end),
            _ => Err(format!(
                "--vary: `{name}` is assigned `{}` at {}, not a number constant; tune varies constants such as `{name} = 20;`",
                source.get(value.span.start..value.span.end).unwrap_or(""),
                at(value.span.start)
            )),
        },
        [(first, _), (second, _), ..] => Err(format!(
            "--vary: `{name}` is assigned {} times (at {} and {}); tune varies a constant assigned once",
            found.len(),
            at(first.start),
            at(second.start)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_include_both_ends() {
        assert_eq!(
            parse_vary("$n=2..8:2").unwrap().values,
            vec![2.0, 4.0, 6.0, 8.0]
        );
        // 0.1 + 2 × 0.1 is 0.30000000000000004 in binary; rounding keeps 0.3.
        assert_eq!(
            parse_vary("x=0.1..0.3:0.1").unwrap().values,
            vec![0.1, 0.2, 0.3]
        );
        assert_eq!(parse_vary("x=5..5:1").unwrap().values, vec![5.0]);
    }

    #[test]
    fn bad_ranges_say_what_is_wrong() {
        for (text, says) in [
            ("$n", "no `=`"),
            ("$n=1..5", "no `:STEP`"),
            ("$n=1-5:1", "no `LO..HI`"),
            ("$n=5..1:1", "above HI"),
            ("$n=1..5:0", "STEP must be above 0"),
            ("$n=1..x:1", "HI `x`"),
            ("=1..5:1", "no variable name"),
            ("$n=0..1e9:1", "more than the 1000000 one constant may take"),
        ] {
            let e = parse_vary(text).unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
    }

    #[test]
    fn constraints_parse_each_operator() {
        let c = parse_constraint("wait.p95_s <= 600").unwrap();
        assert_eq!(
            (c.metric.as_str(), c.compare, c.bound),
            ("wait.p95_s", Compare::AtMost, 600.0)
        );
        assert_eq!(parse_constraint("a>=1").unwrap().compare, Compare::AtLeast);
        assert_eq!(parse_constraint("a<1").unwrap().compare, Compare::Below);
        assert_eq!(parse_constraint("a>1").unwrap().compare, Compare::Above);
        assert!(parse_constraint("a = 1").is_err());
        assert!(parse_constraint("<= 1").is_err());
        assert!(parse_constraint("a <= many").is_err());
    }

    #[test]
    fn the_template_rewrites_only_the_constant() {
        let f = Formula::parse("$cap = 20;\n$TargetDedicatedNodes = min($cap, 20);").unwrap();
        let vary = parse_vary("$cap=1..2:1").unwrap();
        let t = Template::new(&f, &[vary]).unwrap();
        assert_eq!(
            t.with(&[7.0]),
            "$cap = 7;\n$TargetDedicatedNodes = min($cap, 20);"
        );
        assert_eq!(
            t.with(&[-0.5]),
            "$cap = -0.5;\n$TargetDedicatedNodes = min($cap, 20);"
        );
    }

    #[test]
    fn names_that_cannot_be_varied_are_refused() {
        let f = Formula::parse("$a = 1; $b = $a * 2; $c = 1; $c = 2;").unwrap();
        let one = |name: &str| Template::new(&f, &[parse_vary(&format!("{name}=1..2:1")).unwrap()]);
        assert!(one("$zz").unwrap_err().contains("assigns no `$zz`"));
        assert!(one("a").unwrap_err().contains("did you mean `$a`"));
        assert!(one("$b").unwrap_err().contains("not a number constant"));
        assert!(one("$c").unwrap_err().contains("assigned 2 times"));
    }
}
