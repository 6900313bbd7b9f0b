//! A bound on a `summary.json` figure: `jobs[0].completed_after_s <= 21600`,
//! `evaluation_errors == 0`, `makespan_s != null`.

use serde_json::Value as Json;

/// The comparison of a bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Comparison {
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
}

/// One part of a path: a key, then any indexes (`jobs[0]`).
#[derive(Debug, Clone, PartialEq)]
struct Step {
    key: String,
    indexes: Vec<usize>,
}

/// A parsed bound.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    /// The path as written.
    pub path: String,
    steps: Vec<Step>,
    comparison: Comparison,
    /// `None` for `null`.
    value: Option<f64>,
}

const SHAPE: &str = "expected `PATH OP VALUE`, such as `jobs[0].completed_after_s <= 21600`, \
                     with OP one of `<`, `<=`, `>`, `>=`, `==`, `!=` and VALUE a number or `null`";

impl Bound {
    /// Parses `PATH OP VALUE`.
    pub fn parse(text: &str) -> Result<Bound, String> {
        let operators = [
            ("<=", Comparison::LessOrEqual),
            (">=", Comparison::GreaterOrEqual),
            ("==", Comparison::Equal),
            ("!=", Comparison::NotEqual),
            ("<", Comparison::Less),
            (">", Comparison::Greater),
        ];
        let (at, op, comparison) = operators
            .iter()
            .filter_map(|(op, c)| text.find(op).map(|at| (at, *op, *c)))
            .min_by_key(|(at, op, _)| (*at, std::cmp::Reverse(op.len())))
            .ok_or_else(|| format!("`{text}`: {SHAPE}"))?;
        let path = text.get(..at).unwrap_or("").trim();
        let value_text = text.get(at + op.len()..).unwrap_or("").trim();
        let value = match value_text {
            "null" => None,
            v => Some(
                v.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| format!("`{value_text}` is not a number or `null`; {SHAPE}"))?,
            ),
        };
        if value.is_none() && !matches!(comparison, Comparison::Equal | Comparison::NotEqual) {
            return Err(format!(
                "`null` only compares with `==` or `!=`, not `{op}`"
            ));
        }
        let steps = path
            .split('.')
            .map(|part| {
                parse_step(part).ok_or_else(|| {
                    format!("`{path}` is not a path such as `jobs[0].completed_after_s`; {SHAPE}")
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Bound {
            path: path.to_string(),
            steps,
            comparison,
            value,
        })
    }

    /// The figure the path names in `summary` (`None` for `null`), or why
    /// it names none.
    pub fn resolve(&self, summary: &Json) -> Result<Option<f64>, String> {
        let mut here = summary;
        let mut walked = String::new();
        for step in &self.steps {
            let Json::Object(map) = here else {
                return Err(format!(
                    "`{walked}` is a figure, not an object with `{}`",
                    step.key
                ));
            };
            here = map.get(&step.key).ok_or_else(|| {
                let keys: Vec<&str> = map.keys().map(String::as_str).collect();
                let hint = crate::builtins::hint(crate::suggest::did_you_mean(
                    &step.key,
                    keys.iter().copied(),
                ));
                let place = if walked.is_empty() {
                    "summary.json".to_string()
                } else {
                    format!("`{walked}`")
                };
                format!(
                    "{place} has no `{}`{hint}; its fields are `{}`",
                    step.key,
                    keys.join("`, `")
                )
            })?;
            if !walked.is_empty() {
                walked.push('.');
            }
            walked.push_str(&step.key);
            for &i in &step.indexes {
                let Json::Array(items) = here else {
                    return Err(format!(
                        "`{walked}` is not a list, so `[{i}]` names nothing"
                    ));
                };
                here = items.get(i).ok_or_else(|| {
                    format!(
                        "`{walked}` has {} entries, so `[{i}]` names nothing",
                        items.len()
                    )
                })?;
                walked.push_str(&format!("[{i}]"));
            }
        }
        match here {
            Json::Null => Ok(None),
            Json::Number(n) => Ok(n.as_f64()),
            Json::Object(map) => Err(format!(
                "`{walked}` is a group of figures; name one: `{}`",
                map.keys()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join("`, `")
            )),
            Json::Array(items) => Err(format!(
                "`{walked}` is a list of {} entries; name one with `[N]`",
                items.len()
            )),
            other => Err(format!("`{walked}` is `{other}`, not a number")),
        }
    }

    /// Whether the figure `actual` meets the bound.
    pub fn holds(&self, actual: Option<f64>) -> bool {
        match (actual, self.value) {
            (None, None) => self.comparison == Comparison::Equal,
            (Some(_), None) => self.comparison == Comparison::NotEqual,
            (None, Some(_)) => false,
            (Some(a), Some(v)) => match self.comparison {
                Comparison::Less => a < v,
                Comparison::LessOrEqual => a <= v,
                Comparison::Greater => a > v,
                Comparison::GreaterOrEqual => a >= v,
                Comparison::Equal => a == v,
                Comparison::NotEqual => a != v,
            },
        }
    }
}

/// `jobs[0]` → key `jobs`, index 0; `cost` → key `cost`.
fn parse_step(part: &str) -> Option<Step> {
    let (key, mut rest) = match part.find('[') {
        Some(i) => (part.get(..i)?, part.get(i..)?),
        None => (part, ""),
    };
    if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let mut indexes = Vec::new();
    while !rest.is_empty() {
        let close = rest.find(']')?;
        indexes.push(rest.get(1..close)?.parse().ok()?);
        rest = rest.get(close + 1..)?;
        if !rest.is_empty() && !rest.starts_with('[') {
            return None;
        }
    }
    Some(Step {
        key: key.to_string(),
        indexes,
    })
}

#[cfg(test)]
mod tests {
    use super::Bound;
    use serde_json::json;

    #[test]
    fn bounds_parse_resolve_and_compare() {
        let summary = json!({"jobs": [{"completed_after_s": 5400.0}], "evaluation_errors": 0, "makespan_s": null, "cost": {"total": 12.5}});
        let b = Bound::parse("jobs[0].completed_after_s <= 21600").unwrap();
        assert_eq!(b.resolve(&summary), Ok(Some(5400.0)));
        assert!(b.holds(Some(5400.0)));
        assert!(!b.holds(Some(21601.0)));
        assert!(!b.holds(None));
        let b = Bound::parse("evaluation_errors == 0").unwrap();
        assert!(b.holds(b.resolve(&summary).unwrap()));
        let b = Bound::parse("makespan_s == null").unwrap();
        assert!(b.holds(b.resolve(&summary).unwrap()));
        let b = Bound::parse("cost.total<500").unwrap();
        assert!(b.holds(b.resolve(&summary).unwrap()));
    }

    #[test]
    fn bad_bounds_say_what_was_expected() {
        let summary = json!({"jobs": [{"completed_after_s": 1.0}], "cost": {"total": 1.0}});
        assert!(Bound::parse("cost.total")
            .unwrap_err()
            .contains("PATH OP VALUE"));
        assert!(Bound::parse("cost.total < abc")
            .unwrap_err()
            .contains("not a number"));
        assert!(Bound::parse("cost.total < null")
            .unwrap_err()
            .contains("only compares"));
        let e = Bound::parse("cost.totl < 5")
            .unwrap()
            .resolve(&summary)
            .unwrap_err();
        assert!(e.contains("did you mean `total`"), "{e}");
        let e = Bound::parse("jobs[3].completed_after_s < 5")
            .unwrap()
            .resolve(&summary)
            .unwrap_err();
        assert!(e.contains("has 1 entries"), "{e}");
        let e = Bound::parse("cost < 5")
            .unwrap()
            .resolve(&summary)
            .unwrap_err();
        assert!(e.contains("name one"), "{e}");
    }
}
