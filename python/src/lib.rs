//! The compiled half of the `batchscale` Python package: thin functions over
//! the library's public API that take and return plain Python values (str,
//! int, dict, list). The typed classes users see (`Formula`, `AutoScaleRun`,
//! `Report`…) are in `python/batchscale/`, so they pickle and cross process
//! boundaries (a `concurrent.futures` executor) as plain data.
//!
//! Every evaluation and simulation runs with the GIL released.

#![forbid(unsafe_code)]

use std::num::NonZeroUsize;

use batchscale::context::load_context_json;
use batchscale::diagnostics::Diagnostic;
use batchscale::format::format_formula;
use batchscale::InputError;
use batchscale::lint::{check_formula, rule, CheckOptions, Policy};
use batchscale::sim::{chart, simulate as run_simulation, LoadedScenario};
use batchscale::span::line_col;
use batchscale::{Formula, SyntaxError};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// Most pest rule calls one parse may make, as in the `batchscale` binary:
/// pest's limit is process-global, so it is set once, when the module loads.
const PEST_CALL_LIMIT: usize = 200_000_000;

/// Builds one of the package's exception classes (defined in Python, in
/// `batchscale.errors`) carrying the CLI's code, message and position.
fn error(
    py: Python<'_>,
    class: &str,
    code: &str,
    message: &str,
    position: Option<(usize, usize)>,
) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let errors = py.import("batchscale.errors")?;
        let (line, column) = match position {
            Some((line, column)) => (Some(line), Some(column)),
            None => (None, None),
        };
        let instance = errors.getattr(class)?.call1((code, message, line, column))?;
        Ok(PyErr::from_value(instance))
    };
    build().unwrap_or_else(|e| e)
}

fn syntax_error(py: Python<'_>, text: &str, e: &SyntaxError) -> PyErr {
    let at = line_col(text, e.span.start);
    error(
        py,
        "FormulaError",
        e.code(),
        &e.kind.to_string(),
        Some((at.line, at.column)),
    )
}

fn input_error(py: Python<'_>, e: &InputError) -> PyErr {
    let position = e.line.map(|line| (line, e.column.unwrap_or(1)));
    error(py, "InputError", "InputError", &e.to_string(), position)
}

fn diagnostic<'py>(py: Python<'py>, text: &str, d: &Diagnostic) -> PyResult<Bound<'py, PyDict>> {
    let start = line_col(text, d.span.start);
    let end = line_col(text, d.span.end.max(d.span.start));
    let out = PyDict::new(py);
    out.set_item("code", d.code)?;
    out.set_item("severity", d.severity.as_str())?;
    out.set_item("message", &d.message)?;
    out.set_item("line", start.line)?;
    out.set_item("column", start.column)?;
    out.set_item("end_line", end.line)?;
    out.set_item("end_column", end.column)?;
    out.set_item("help", d.help.as_deref())?;
    // `Fix` is a safe edit; an unsafe one (a did-you-mean name) is already
    // in `help`.
    let safe = d
        .fix
        .as_ref()
        .filter(|f| f.applicability == batchscale::diagnostics::Applicability::Safe);
    match safe {
        Some(fix) => {
            let at = line_col(text, fix.span.start);
            let f = PyDict::new(py);
            f.set_item("line", at.line)?;
            f.set_item("column", at.column)?;
            f.set_item("insert", &fix.replacement)?;
            out.set_item("fix", f)?;
        }
        None => out.set_item("fix", py.None())?,
    }
    Ok(out)
}

/// Checks `text`: every diagnostic `batchscale check` reports for a formula
/// file, after `allow` and `deny` (codes; `deny=["warnings"]` denies all).
#[pyfunction]
#[pyo3(signature = (text, allow=Vec::new(), deny=Vec::new()))]
fn check<'py>(
    py: Python<'py>,
    text: &str,
    allow: Vec<String>,
    deny: Vec<String>,
) -> PyResult<Bound<'py, PyList>> {
    let mut policy = Policy::default();
    for code in allow {
        if rule(&code).is_none() {
            return Err(PyValueError::new_err(format!("allow: unknown code `{code}`")));
        }
        policy.allow.push(code);
    }
    for code in deny {
        if code == "warnings" {
            policy.deny_warnings = true;
        } else if rule(&code).is_none() {
            return Err(PyValueError::new_err(format!("deny: unknown code `{code}`")));
        } else {
            policy.deny.push(code);
        }
    }
    let owned = text.to_string();
    let found = py.detach(move || policy.apply(check_formula(&owned, &CheckOptions::default())));
    let out = PyList::empty(py);
    for d in &found {
        out.append(diagnostic(py, text, d)?)?;
    }
    Ok(out)
}

/// Raises `FormulaError` when `text` does not parse (the service's code, the
/// message and the position); returns None otherwise.
#[pyfunction]
fn parse(py: Python<'_>, text: &str) -> PyResult<()> {
    Formula::parse(text)
        .map(|_| ())
        .map_err(|e| syntax_error(py, text, &e))
}

/// Evaluates `text` against the context JSON `context` (the shape of
/// `batchscale eval --context`), giving the AutoScaleRun and the targets.
#[pyfunction]
fn evaluate<'py>(py: Python<'py>, text: &str, context: &str) -> PyResult<Bound<'py, PyDict>> {
    let formula = Formula::parse(text).map_err(|e| syntax_error(py, text, &e))?;
    let loaded = load_context_json("context", context.as_bytes())
        .map_err(|e| input_error(py, &e))?;
    let evaluation = py.detach(move || formula.run(&loaded.context));
    let out = PyDict::new(py);
    out.set_item("timestamp", &evaluation.run.timestamp)?;
    out.set_item("results", &evaluation.run.results)?;
    match &evaluation.run.error {
        Some(e) => {
            let err = PyDict::new(py);
            err.set_item("code", &e.code)?;
            err.set_item("message", &e.message)?;
            let values = PyList::empty(py);
            for pair in &e.values {
                let v = PyDict::new(py);
                v.set_item("name", &pair.name)?;
                v.set_item("value", &pair.value)?;
                values.append(v)?;
            }
            err.set_item("values", values)?;
            out.set_item("error", err)?;
        }
        None => out.set_item("error", py.None())?,
    }
    match &evaluation.outcome {
        Ok(o) => {
            let targets = PyDict::new(py);
            targets.set_item("dedicated", o.dedicated_nodes())?;
            targets.set_item("low_priority", o.low_priority_nodes())?;
            targets.set_item("node_deallocation_option", o.node_deallocation_option.keyword())?;
            out.set_item("targets", targets)?;
        }
        Err(_) => out.set_item("targets", py.None())?,
    }
    Ok(out)
}

/// `text` in the canonical layout (`batchscale fmt`).
#[pyfunction]
fn format(py: Python<'_>, text: &str) -> PyResult<String> {
    format_formula(text).map_err(|e| syntax_error(py, text, &e))
}

/// Runs a scenario (TOML `text`, read from `origin`) with `formula` or the
/// scenario's own, under `seed` (the scenario's when None). Returns the
/// timeline JSON of `batchscale simulate --out`, the chart's SVG and the
/// seed used.
#[pyfunction]
#[pyo3(signature = (origin, text, formula=None, seed=None))]
fn simulate(
    py: Python<'_>,
    origin: &str,
    text: &str,
    formula: Option<String>,
    seed: Option<u64>,
) -> PyResult<(String, String, u64)> {
    let loaded = LoadedScenario::parse(origin, text).map_err(|e| input_error(py, &e))?;
    let source = match formula.or_else(|| loaded.scenario.formula.clone()) {
        Some(text) => text,
        None => match &loaded.scenario.formula_file {
            Some(file) => {
                let path = loaded.resolve(file);
                std::fs::read_to_string(&path).map_err(|e| {
                    let shown = path.display().to_string();
                    input_error(py, &InputError::new(shown, format!("cannot read: {e}")))
                })?
            }
            None => {
                return Err(input_error(
                    py,
                    &InputError::new(
                        origin,
                        "formula: the scenario has neither `formula` nor `formula_file`, and no formula was given",
                    ),
                ))
            }
        },
    };
    let parsed = Formula::parse(&source).map_err(|e| syntax_error(py, &source, &e))?;
    let seed = seed.unwrap_or(loaded.scenario.seed);
    let title = std::path::Path::new(origin)
        .file_stem()
        .map_or_else(|| "simulation".to_string(), |s| s.to_string_lossy().to_string());
    let outcome = py.detach(move || {
        run_simulation(&loaded, &parsed, seed, None).map(|report| {
            let svg = chart::svg(&report, &title);
            (report.timeline_json(), svg)
        })
    });
    let (timeline, svg) = outcome.map_err(|e| input_error(py, &e))?;
    let svg = svg.map_err(|e| error(py, "BatchscaleError", "ChartError", &e, None))?;
    Ok((timeline, svg, seed))
}

/// Runs the `batchscale` command line with `argv` (the program name first),
/// returning its exit code: the wheel's `batchscale` command.
#[pyfunction]
fn run_cli(py: Python<'_>, argv: Vec<String>) -> i32 {
    py.detach(move || batchscale::cli::main_with(argv.into_iter().map(Into::into)))
}

/// The compiled module.
#[pymodule]
fn _batchscale(module: &Bound<'_, PyModule>) -> PyResult<()> {
    pest::set_call_limit(NonZeroUsize::new(PEST_CALL_LIMIT));
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    module.add_function(wrap_pyfunction!(check, module)?)?;
    module.add_function(wrap_pyfunction!(parse, module)?)?;
    module.add_function(wrap_pyfunction!(evaluate, module)?)?;
    module.add_function(wrap_pyfunction!(format, module)?)?;
    module.add_function(wrap_pyfunction!(simulate, module)?)?;
    module.add_function(wrap_pyfunction!(run_cli, module)?)?;
    Ok(())
}
