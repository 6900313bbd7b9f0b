//! Running a test file: each case is one evaluation compared with what it
//! expects; each scenario check is one simulation whose figures are bounded.

use super::file::{Case, Expectation, Expected, ScenarioCheck, TestFile};
use crate::input::InputError;
use crate::run::{AutoScaleRun, AutoScaleRunError};
use crate::sim::{simulate, LoadedScenario, Report, Summary};
use crate::value::format_value;
use crate::value::{TimeInterval, Value};
use crate::Formula;

/// One way a case or a check did not give what it expected.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// What was compared (`results`, `targets.dedicated`, `$tasks`, a bound).
    pub what: String,
    /// The expected value, as written.
    pub expected: String,
    /// What the formula gave.
    pub actual: String,
    /// Lines that explain the difference (a pair-by-pair diff, the error).
    pub detail: Vec<String>,
}

/// The outcome of one case or scenario check.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Its name.
    pub name: String,
    /// Its line in the test file.
    pub line: usize,
    /// Empty when it passed.
    pub failures: Vec<Failure>,
}

/// The parsed formula, or the run every evaluation gives when it does not parse.
pub enum Parsed {
    /// It parsed.
    Ok(Formula),
    /// It did not: the syntax error, as the service reports it.
    Err(AutoScaleRunError),
}

/// Parses the file's formula once for all its cases.
pub fn parse(file: &TestFile) -> Parsed {
    match Formula::parse(&file.formula) {
        Ok(f) => Parsed::Ok(f),
        Err(e) => Parsed::Err(AutoScaleRunError::from_syntax(&file.formula, &e)),
    }
}

/// Runs one case.
pub fn run_case(formula: &Parsed, source: &str, case: &Case) -> Outcome {
    let ctx = &case.context;
    let (run, evaluator, outcome) = match formula {
        Parsed::Err(e) => (AutoScaleRun::failed(ctx, e.clone()), None, None),
        Parsed::Ok(formula) => {
            let mut evaluator = formula.evaluator();
            match evaluator.run(ctx) {
                Ok(o) => {
                    let run = AutoScaleRun {
                        timestamp: crate::run::service_timestamp(ctx.now),
                        results: evaluator.results(&o),
                        error: None,
                    };
                    (run, Some((evaluator, formula)), Some(o))
                }
                Err(e) => (
                    AutoScaleRun::failed(ctx, AutoScaleRunError::from_eval(source, &e)),
                    None,
                    None,
                ),
            }
        }
    };
    let failed_with = run.error.as_ref().map(describe_error);
    let mut failures = Vec::new();
    for expectation in &case.expect {
        match expectation {
            Expectation::Results(expected) => {
                if *expected != run.results {
                    let mut detail = pair_diff(expected, &run.results);
                    detail.extend(failed_with.clone());
                    failures.push(Failure {
                        what: "results".into(),
                        expected: expected.clone(),
                        actual: run.results.clone(),
                        detail,
                    });
                }
            }
            Expectation::Targets {
                dedicated,
                low_priority,
                option,
            } => {
                let Some(o) = &outcome else {
                    failures.push(unexpected_error("targets", &run));
                    continue;
                };
                let pairs = [
                    (
                        "targets.dedicated",
                        dedicated.map(|n| n.to_string()),
                        o.dedicated_nodes().to_string(),
                    ),
                    (
                        "targets.low_priority",
                        low_priority.map(|n| n.to_string()),
                        o.low_priority_nodes().to_string(),
                    ),
                    (
                        "targets.node_deallocation_option",
                        option.map(|k| k.keyword().to_string()),
                        o.node_deallocation_option.keyword().to_string(),
                    ),
                ];
                for (what, expected, actual) in pairs {
                    if let Some(expected) = expected {
                        if expected != actual {
                            failures.push(Failure {
                                what: what.into(),
                                expected,
                                actual,
                                detail: vec![format!("results: {}", run.results)],
                            });
                        }
                    }
                }
            }
            Expectation::Error { code, message } => match &run.error {
                None => failures.push(Failure {
                    what: "error".into(),
                    expected: [code.as_deref(), message.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(": "),
                    actual: "no error".into(),
                    detail: vec![format!("results: {}", run.results)],
                }),
                Some(error) => {
                    if let Some(code) = code {
                        if *code != error.code {
                            failures.push(Failure {
                                what: "error".into(),
                                expected: code.clone(),
                                actual: error.code.clone(),
                                detail: vec![describe_error(error)],
                            });
                        }
                    }
                    let detail = error.values.first().map_or("", |v| v.value.as_str());
                    if let Some(message) = message {
                        if message != detail {
                            failures.push(Failure {
                                what: "error_message".into(),
                                expected: message.clone(),
                                actual: detail.to_string(),
                                detail: vec![],
                            });
                        }
                    }
                }
            },
            Expectation::Variable { name, expected } => {
                let Some((evaluator, formula)) = &evaluator else {
                    failures.push(unexpected_error(name, &run));
                    continue;
                };
                let Some(value) = evaluator.variable(name) else {
                    let names = formula.program().user_variables();
                    let hint = crate::builtins::hint(crate::suggest::did_you_mean(
                        name,
                        names.iter().map(String::as_str),
                    ));
                    failures.push(Failure {
                        what: name.clone(),
                        expected: expected_text(expected),
                        actual: "not assigned".into(),
                        detail: vec![format!("the formula does not assign `{name}`{hint}")],
                    });
                    continue;
                };
                let mut printed = String::new();
                format_value(value, &mut printed);
                let same = match (expected, value) {
                    (Expected::Number(e), Value::Double(v)) => close(*e, *v),
                    (Expected::Number(_), _) => false,
                    (Expected::Text(t), _) => *t == printed,
                };
                if !same {
                    let actual = match value {
                        Value::Double(v) => format_number(*v),
                        _ => printed,
                    };
                    failures.push(Failure {
                        what: name.clone(),
                        expected: expected_text(expected),
                        actual,
                        detail: vec![],
                    });
                }
            }
        }
    }
    Outcome {
        name: case.name.clone(),
        line: case.line,
        failures,
    }
}

/// Equal within a relative 1e-9: a formula's arithmetic in doubles and the
/// test file's decimal literal may differ in the last bits (`0.1 * 3`).
fn close(expected: f64, actual: f64) -> bool {
    expected == actual || (expected - actual).abs() <= 1e-9 * expected.abs().max(actual.abs())
}

/// A double in full (shortest round-trip), as the test file would write it.
fn format_number(v: f64) -> String {
    format!("{v}")
}

fn expected_text(expected: &Expected) -> String {
    match expected {
        Expected::Number(n) => format_number(*n),
        Expected::Text(t) => t.clone(),
    }
}

fn describe_error(error: &AutoScaleRunError) -> String {
    let detail = error.values.first().map_or("", |v| v.value.as_str());
    format!("the evaluation failed: {}: {detail}", error.code)
}

fn unexpected_error(what: &str, run: &AutoScaleRun) -> Failure {
    Failure {
        what: what.to_string(),
        expected: "a successful evaluation".into(),
        actual: run
            .error
            .as_ref()
            .map_or_else(|| "no value".into(), describe_error),
        detail: vec![],
    }
}

/// The pairs of two results strings that differ: `name: expected X, actual Y`,
/// and the names only one of them has.
fn pair_diff(expected: &str, actual: &str) -> Vec<String> {
    let split = |s: &str| -> Vec<(String, String)> {
        s.split(';')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((n, v)) => (n.to_string(), v.to_string()),
                None => (p.to_string(), String::new()),
            })
            .collect()
    };
    let (e, a) = (split(expected), split(actual));
    let find = |pairs: &[(String, String)], name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let mut out = Vec::new();
    for (name, value) in &e {
        match find(&a, name) {
            Some(v) if v == *value => {}
            Some(v) => out.push(format!("{name}: expected {value}, actual {v}")),
            None => out.push(format!(
                "{name}: expected {value}, actual: not in the results"
            )),
        }
    }
    for (name, value) in &a {
        if find(&e, name).is_none() {
            out.push(format!("{name}: not expected, actual {value}"));
        }
    }
    out
}

/// Runs one scenario check: simulates the scenario with the test file's
/// formula, then checks each bound and predicate. A scenario that does not
/// load, or a bound that names no figure, is bad input.
pub fn run_scenario(
    test_path: &str,
    index: usize,
    formula: &Parsed,
    check: &ScenarioCheck,
) -> Result<Outcome, InputError> {
    let loaded = LoadedScenario::read(&check.file)?;
    let outcome = |failures| Outcome {
        name: check.name.clone(),
        line: check.line,
        failures,
    };
    let formula = match formula {
        Parsed::Ok(f) => f,
        Parsed::Err(e) => {
            return Ok(outcome(vec![Failure {
                what: "formula".into(),
                expected: "a formula that parses".into(),
                actual: describe_error(e),
                detail: vec![],
            }]))
        }
    };
    let seed = check.seed.unwrap_or(loaded.scenario.seed);
    let report = simulate(&loaded, formula, seed, None)?;
    let summary = serde_json::to_value(Summary::of(&report)).unwrap_or_default();
    let mut failures = Vec::new();
    for (j, bound) in check.expect.iter().enumerate() {
        let field = format!("scenario[{index}].expect[{j}]");
        let located = |message: String| {
            InputError::new(test_path, message)
                .at(bound.line, Some(bound.column))
                .field(field.clone())
        };
        let parsed = super::bound::Bound::parse(&bound.text).map_err(located)?;
        let actual = parsed.resolve(&summary).map_err(located)?;
        if !parsed.holds(actual) {
            failures.push(Failure {
                what: bound.text.clone(),
                expected: bound.text.clone(),
                actual: actual.map_or_else(|| "null (did not happen)".into(), format_number),
                detail: vec![format!(
                    "{} = {}",
                    parsed.path,
                    actual.map_or_else(|| "null".into(), format_number)
                )],
            });
        }
    }
    for (j, predicate) in check.never.iter().enumerate() {
        let parsed = Never::parse(&predicate.text).map_err(|message| {
            InputError::new(test_path, message)
                .at(predicate.line, Some(predicate.column))
                .field(format!("scenario[{index}].never[{j}]"))
        })?;
        if let Some((from, to)) = parsed.first_violation(&report) {
            failures.push(Failure {
                what: format!("never {}", predicate.text),
                expected: format!("never {}", predicate.text),
                actual: format!(
                    "from {} to {} after the start",
                    crate::sim::report::hms(from),
                    crate::sim::report::hms(to)
                ),
                detail: vec![],
            });
        }
    }
    Ok(outcome(failures))
}

/// The named predicates over the timeline (docs/test.md).
const PREDICATES: &[&str] = &[
    "zero_target_while_pending",
    "zero_nodes_while_pending",
    "nodes_while_idle",
    "preempted_nodes",
];

/// A predicate that must never hold for longer than `longer_than` ms.
struct Never {
    name: &'static str,
    longer_than: i64,
}

impl Never {
    /// `NAME` or `NAME for DURATION`.
    fn parse(text: &str) -> Result<Never, String> {
        let mut words = text.split_whitespace();
        let word = words.next().unwrap_or("");
        let name = PREDICATES
            .iter()
            .copied()
            .find(|p| *p == word)
            .ok_or_else(|| {
                let hint = crate::builtins::hint(crate::suggest::did_you_mean(
                    word,
                    PREDICATES.iter().copied(),
                ));
                format!(
                    "unknown predicate `{word}`{hint}; the predicates are `{}`",
                    PREDICATES.join("`, `")
                )
            })?;
        let longer_than = match (words.next(), words.next(), words.next()) {
            (None, _, _) => 0,
            (Some("for"), Some(duration), None) => match TimeInterval::parse_iso8601(duration) {
                Some(t) if t.ticks() >= 0 => t.ticks() / 10_000,
                _ => {
                    return Err(format!(
                        "`{duration}` is not an ISO 8601 duration such as `PT30M`"
                    ))
                }
            },
            _ => {
                return Err(format!(
                    "expected `{name}` or `{name} for DURATION` (`{name} for PT30M`)"
                ))
            }
        };
        Ok(Never { name, longer_than })
    }

    fn holds(&self, row: &crate::sim::report::Row) -> bool {
        let targets = row.target_dedicated + row.target_low_priority;
        let nodes = row.current_dedicated + row.current_low_priority;
        match self.name {
            "zero_target_while_pending" => targets == 0 && row.active > 0,
            "zero_nodes_while_pending" => {
                nodes.saturating_sub(row.preempted) == 0 && row.active > 0
            }
            "nodes_while_idle" => nodes > 0 && row.active == 0 && row.running == 0,
            _ => row.preempted > 0,
        }
    }

    /// The first stretch (ms from the start) where the predicate holds for
    /// longer than allowed: from the first row where it holds to the first
    /// row after it where it does not (or the end of the run).
    fn first_violation(&self, report: &Report) -> Option<(i64, i64)> {
        let mut since: Option<i64> = None;
        for row in &report.rows {
            match (self.holds(row), since) {
                (true, None) => since = Some(row.time),
                (false, Some(from)) => {
                    if self.violated(from, row.time) {
                        return Some((from, row.time));
                    }
                    since = None;
                }
                _ => {}
            }
        }
        since
            .filter(|&from| self.violated(from, report.end))
            .map(|from| (from, report.end))
    }

    fn violated(&self, from: i64, to: i64) -> bool {
        if self.longer_than == 0 {
            return true;
        }
        to - from > self.longer_than
    }
}
