//! Running a test file: each case is one evaluation compared with what it
//! expects; each scenario check is one simulation whose figures are bounded.

use super::bound::Bound;
use super::file::{Case, Expectation, Expected, Located, ScenarioCheck, TestFile};
use super::predicate::Never;
use crate::input::InputError;
use crate::run::{AutoScaleRun, AutoScaleRunError};
use crate::sim::report::hms;
use crate::sim::{simulate, LoadedScenario, Summary};
use crate::value::format_value;
use crate::value::Value;
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

/// What one evaluation gave: the service's answer, and on success the
/// outcome and the evaluator holding the variables.
struct Evaluated<'a> {
    run: AutoScaleRun,
    success: Option<(crate::Outcome, crate::Evaluator, &'a Formula)>,
}

fn evaluate<'a>(formula: &'a Parsed, source: &str, case: &Case) -> Evaluated<'a> {
    let ctx = &case.context;
    match formula {
        Parsed::Err(e) => Evaluated {
            run: AutoScaleRun::failed(ctx, e.clone()),
            success: None,
        },
        Parsed::Ok(formula) => {
            let mut evaluator = formula.evaluator();
            match evaluator.run(ctx) {
                Ok(outcome) => Evaluated {
                    run: AutoScaleRun {
                        timestamp: crate::run::service_timestamp(ctx.now),
                        results: evaluator.results(&outcome),
                        error: None,
                    },
                    success: Some((outcome, evaluator, formula)),
                },
                Err(e) => Evaluated {
                    run: AutoScaleRun::failed(ctx, AutoScaleRunError::from_eval(source, &e)),
                    success: None,
                },
            }
        }
    }
}

/// Runs one case.
pub fn run_case(formula: &Parsed, source: &str, case: &Case) -> Outcome {
    let evaluated = evaluate(formula, source, case);
    let mut failures = Vec::new();
    for expectation in &case.expect {
        match expectation {
            Expectation::Results(expected) => {
                check_results(expected, &evaluated.run, &mut failures)
            }
            Expectation::Targets {
                dedicated,
                low_priority,
                option,
            } => {
                let Some((outcome, _, _)) = &evaluated.success else {
                    failures.push(unexpected_error("targets", &evaluated.run));
                    continue;
                };
                let checks = [
                    (
                        "targets.dedicated",
                        dedicated.map(|n| n.to_string()),
                        outcome.dedicated_nodes().to_string(),
                    ),
                    (
                        "targets.low_priority",
                        low_priority.map(|n| n.to_string()),
                        outcome.low_priority_nodes().to_string(),
                    ),
                    (
                        "targets.node_deallocation_option",
                        option.map(|k| k.keyword().to_string()),
                        outcome.node_deallocation_option.keyword().to_string(),
                    ),
                ];
                for (what, expected, actual) in checks {
                    if let Some(expected) = expected.filter(|e| *e != actual) {
                        failures.push(Failure {
                            what: what.into(),
                            expected,
                            actual,
                            detail: vec![format!("results: {}", evaluated.run.results)],
                        });
                    }
                }
            }
            Expectation::Error { code, message } => check_error(
                code.as_deref(),
                message.as_deref(),
                &evaluated.run,
                &mut failures,
            ),
            Expectation::Variable { name, expected } => match &evaluated.success {
                Some((_, evaluator, formula)) => {
                    failures.extend(check_variable(name, expected, evaluator, formula))
                }
                None => failures.push(unexpected_error(name, &evaluated.run)),
            },
        }
    }
    Outcome {
        name: case.name.clone(),
        line: case.line,
        failures,
    }
}

fn check_results(expected: &str, run: &AutoScaleRun, failures: &mut Vec<Failure>) {
    if expected == run.results {
        return;
    }
    let mut detail = pair_diff(expected, &run.results);
    detail.extend(run.error.as_ref().map(describe_error));
    failures.push(Failure {
        what: "results".into(),
        expected: expected.to_string(),
        actual: run.results.clone(),
        detail,
    });
}

fn check_error(
    code: Option<&str>,
    message: Option<&str>,
    run: &AutoScaleRun,
    failures: &mut Vec<Failure>,
) {
    let Some(error) = &run.error else {
        failures.push(Failure {
            what: "error".into(),
            expected: [code, message]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(": "),
            actual: "no error".into(),
            detail: vec![format!("results: {}", run.results)],
        });
        return;
    };
    if let Some(code) = code.filter(|c| *c != error.code) {
        failures.push(Failure {
            what: "error".into(),
            expected: code.to_string(),
            actual: error.code.clone(),
            detail: vec![describe_error(error)],
        });
    }
    let detail = error.values.first().map_or("", |v| v.value.as_str());
    if let Some(message) = message.filter(|m| *m != detail) {
        failures.push(Failure {
            what: "error_message".into(),
            expected: message.to_string(),
            actual: detail.to_string(),
            detail: vec![],
        });
    }
}

fn check_variable(
    name: &str,
    expected: &Expected,
    evaluator: &crate::Evaluator,
    formula: &Formula,
) -> Option<Failure> {
    let Some(value) = evaluator.variable(name) else {
        let names = formula.program().user_variables();
        let hint = crate::builtins::hint(crate::suggest::did_you_mean(
            name,
            names.iter().map(String::as_str),
        ));
        return Some(Failure {
            what: name.to_string(),
            expected: expected_text(expected),
            actual: "not assigned".into(),
            detail: vec![format!("the formula does not assign `{name}`{hint}")],
        });
    };
    let mut printed = String::new();
    format_value(value, &mut printed);
    let same = match (expected, value) {
        (Expected::Number(e), Value::Double(v)) => close(*e, *v),
        (Expected::Number(_), _) => false,
        (Expected::Text(t), _) => *t == printed,
    };
    let actual = match value {
        Value::Double(v) => format_number(*v),
        _ => printed,
    };
    (!same).then(|| Failure {
        what: name.to_string(),
        expected: expected_text(expected),
        actual,
        detail: vec![],
    })
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

/// Runs one scenario check: reads its bounds and predicates, simulates the
/// scenario with the test file's formula, then checks each. A scenario that
/// does not load, a bound or predicate that does not parse, or a bound that
/// names no figure, is bad input.
pub fn run_scenario(
    test_path: &str,
    index: usize,
    formula: &Parsed,
    check: &ScenarioCheck,
) -> Result<Outcome, InputError> {
    let at = |located: &Located, field: String, message: String| {
        InputError::new(test_path, message)
            .at(located.line, Some(located.column))
            .field(field)
    };
    let bounds = check
        .expect
        .iter()
        .enumerate()
        .map(|(j, b)| {
            Bound::parse(&b.text)
                .map(|parsed| (b, parsed))
                .map_err(|m| at(b, format!("scenario[{index}].expect[{j}]"), m))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let predicates = check
        .never
        .iter()
        .enumerate()
        .map(|(j, p)| {
            Never::parse(&p.text)
                .map(|parsed| (p, parsed))
                .map_err(|m| at(p, format!("scenario[{index}].never[{j}]"), m))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if !std::path::Path::new(&check.file.text).is_file() {
        return Err(at(
            &check.file,
            format!("scenario[{index}].file"),
            format!("`{}` is not a scenario file", check.file.text),
        ));
    }
    let loaded = LoadedScenario::read(&check.file.text)?;
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
    for (j, (located, bound)) in bounds.iter().enumerate() {
        let actual = bound
            .resolve(&summary)
            .map_err(|m| at(located, format!("scenario[{index}].expect[{j}]"), m))?;
        if !bound.holds(actual) {
            failures.push(Failure {
                what: located.text.clone(),
                expected: located.text.clone(),
                actual: actual.map_or_else(|| "null (did not happen)".into(), format_number),
                detail: vec![],
            });
        }
    }
    for (located, predicate) in &predicates {
        if let Some((from, to)) = predicate.first_violation(&report) {
            failures.push(Failure {
                what: format!("never {}", located.text),
                expected: format!("never {}", located.text),
                actual: format!("from {} to {} after the start", hms(from), hms(to)),
                detail: vec![],
            });
        }
    }
    // Why evaluations failed is the first thing to know when a bound fails.
    if let (Some(first), Some(error)) = (failures.first_mut(), summary.get("first_error")) {
        if let Some(error) = error.as_str() {
            first
                .detail
                .push(format!("first failed evaluation: {error}"));
        }
    }
    Ok(outcome(failures))
}
