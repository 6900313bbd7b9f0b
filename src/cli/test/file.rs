//! The test file (`*.test.toml`): its TOML shape, and loading it into cases
//! ready to run. Every error names the file, the line and column, and the
//! field (docs/test.md).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::notation::{expand, NotationError};
use crate::builtins::{hint, Metric};
use crate::context::{EvalContext, PoolState, Series};
use crate::input::InputError;
use crate::sim::scenario::Instant;
use crate::value::{NodeDeallocationOption, TimeInterval, Timestamp};

/// Largest test file read.
pub const MAX_TEST_FILE_BYTES: usize = 4 << 20;

/// Where sample 0 of every series lies when the file gives no `start`: the
/// simulator's default start, a Monday.
const DEFAULT_START: &str = "2025-01-06T00:00:00Z";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    formula: Option<Spanned<String>>,
    formula_file: Option<Spanned<String>>,
    start: Option<Instant>,
    interval: Option<Spanned<String>>,
    delay: Option<Spanned<String>>,
    #[serde(default)]
    pool: RawPool,
    #[serde(default)]
    series: BTreeMap<String, Spanned<String>>,
    #[serde(default, rename = "case")]
    cases: Vec<RawCase>,
    #[serde(default, rename = "scenario")]
    scenarios: Vec<RawScenario>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
struct RawPool {
    target_dedicated_nodes: Option<Spanned<f64>>,
    target_low_priority_nodes: Option<Spanned<f64>>,
    node_deallocation_option: Option<Spanned<String>>,
    current_dedicated_nodes: Option<Spanned<f64>>,
    current_low_priority_nodes: Option<Spanned<f64>>,
    task_slots_per_node: Option<Spanned<f64>>,
    usable_node_count: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    name: Spanned<String>,
    at: Spanned<String>,
    #[serde(default)]
    pool: RawPool,
    #[serde(default)]
    series: BTreeMap<String, Spanned<String>>,
    seed: Option<u64>,
    results: Option<String>,
    targets: Option<RawTargets>,
    error: Option<String>,
    error_message: Option<String>,
    #[serde(default)]
    variables: BTreeMap<String, Expected>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTargets {
    dedicated: Option<u32>,
    low_priority: Option<u32>,
    node_deallocation_option: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    name: Spanned<String>,
    file: Spanned<String>,
    seed: Option<u64>,
    #[serde(default)]
    expect: Vec<Spanned<String>>,
    #[serde(default)]
    never: Vec<Spanned<String>>,
}

/// An expected value of a user variable: a number (compared as a number) or
/// text (compared with the value as the results string prints it).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Expected {
    /// A number.
    Number(f64),
    /// The printed value (`[1,2]`, `2025-01-06T10:00:00.000Z`, `taskcompletion`).
    Text(String),
}

/// One thing a case expects of its evaluation.
#[derive(Debug, Clone, PartialEq)]
pub enum Expectation {
    /// The whole results string.
    Results(String),
    /// The targets as the service applies them (truncated, at least 0), and
    /// the deallocation option.
    Targets {
        /// Dedicated nodes.
        dedicated: Option<u32>,
        /// Low-priority nodes.
        low_priority: Option<u32>,
        /// `$NodeDeallocationOption`.
        option: Option<NodeDeallocationOption>,
    },
    /// A failed evaluation: its code, and its `Line L, Col C: message`.
    Error {
        /// The code (`InsufficientSampleData`).
        code: Option<String>,
        /// The detail, `Line L, Col C: ...`.
        message: Option<String>,
    },
    /// A user variable's value after the evaluation.
    Variable {
        /// As written in the formula (`$tasks`, `pendingTaskSamples`).
        name: String,
        /// The expected value.
        expected: Expected,
    },
}

/// One evaluation and what it should give.
#[derive(Debug, Clone)]
pub struct Case {
    /// Its name.
    pub name: String,
    /// The line of its `name` in the test file.
    pub line: usize,
    /// The evaluation's context: the pool and the samples visible at its time.
    pub context: EvalContext,
    /// What it should give.
    pub expect: Vec<Expectation>,
}

/// A scenario run and the bounds on its figures.
#[derive(Debug, Clone)]
pub struct ScenarioCheck {
    /// Its name.
    pub name: String,
    /// The line of its `name`.
    pub line: usize,
    /// The scenario file, resolved against the test file's folder.
    pub file: Located,
    /// The seed, when the test file overrides the scenario's.
    pub seed: Option<u64>,
    /// `summary.json` bounds (`jobs[0].completed_after_s <= 21600`).
    pub expect: Vec<Located>,
    /// Timeline predicates that must never hold (`zero_target_while_pending for PT30M`).
    pub never: Vec<Located>,
}

/// A loaded test file.
#[derive(Debug, Clone)]
pub struct TestFile {
    /// The formula's text.
    pub formula: String,
    /// The cases, in file order.
    pub cases: Vec<Case>,
    /// The scenario checks, in file order.
    pub scenarios: Vec<ScenarioCheck>,
}

/// Text of a file and its path, for errors with positions.
struct Source<'a> {
    path: &'a str,
    text: &'a str,
}

impl Source<'_> {
    /// 1-based line and column of byte `offset`.
    fn line_col(&self, offset: usize) -> (usize, usize) {
        let before = self.text.get(..offset.min(self.text.len())).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    }

    fn line(&self, offset: usize) -> usize {
        self.line_col(offset).0
    }

    fn error(&self, offset: usize, field: &str, message: impl Into<String>) -> InputError {
        let (line, column) = self.line_col(offset);
        InputError::new(self.path, message)
            .at(line, Some(column))
            .field(field)
    }
}

/// Reads and loads a test file.
pub fn read(path: &str) -> Result<TestFile, InputError> {
    let bytes = crate::input::read_file(path, MAX_TEST_FILE_BYTES)?;
    let text = crate::input::decode_text(path, &bytes, MAX_TEST_FILE_BYTES)?;
    let formula_file = |relative: &str| -> Result<(String, String), String> {
        let base = Path::new(path).parent().unwrap_or(Path::new(""));
        let full = base.join(relative).to_string_lossy().into_owned();
        let source = crate::cli::io::read_formula(&full).map_err(|e| e.to_string())?;
        Ok((full, source))
    };
    load(path, &text, formula_file)
}

/// Loads a test file's `text`; `formula_file` reads a formula named relative
/// to it, giving its path and text.
pub fn load(
    path: &str,
    text: &str,
    formula_file: impl Fn(&str) -> Result<(String, String), String>,
) -> Result<TestFile, InputError> {
    let source = Source { path, text };
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let err = InputError::new(path, e.message().to_string());
        match e.span() {
            Some(span) => {
                let (line, column) = source.line_col(span.start);
                err.at(line, Some(column))
            }
            None => err,
        }
    })?;
    let formula = match (&raw.formula, &raw.formula_file) {
        (Some(text), None) => text.get_ref().clone(),
        (None, Some(file)) => {
            formula_file(file.get_ref())
                .map_err(|e| source.error(file.span().start, "formula_file", e))?
                .1
        }
        (Some(text), Some(_)) => {
            return Err(source.error(
                text.span().start,
                "formula",
                "give either `formula` or `formula_file`, not both",
            ))
        }
        (None, None) => {
            return Err(InputError::new(
                path,
                "the file names no formula; add `formula_file = \"NAME.formula\"` or `formula = \"...\"`",
            ))
        }
    };
    let start = match raw.start {
        Some(Instant(t)) => t,
        None => Timestamp::parse_rfc3339(DEFAULT_START).unwrap_or(Timestamp::UNIX_EPOCH),
    };
    let interval = match &raw.interval {
        None => crate::context::DEFAULT_PERIOD,
        Some(text) => duration(&source, text, "interval", 1)?,
    };
    let delay = match &raw.delay {
        None => TimeInterval::from_ticks(0),
        Some(text) => duration(&source, text, "delay", 0)?,
    };
    let series = expand_all(&source, &raw.series, "series")?;
    if raw.cases.is_empty() && raw.scenarios.is_empty() {
        return Err(InputError::new(
            path,
            "the file has no `[[case]]` and no `[[scenario]]`: nothing to test",
        ));
    }
    let timing = Timing {
        start,
        interval,
        delay,
    };
    let cases = raw
        .cases
        .iter()
        .enumerate()
        .map(|(i, case)| load_case(&source, &timing, &raw.pool, &series, i, case))
        .collect::<Result<Vec<_>, _>>()?;
    let scenarios = raw
        .scenarios
        .iter()
        .map(|s| {
            let base = Path::new(path).parent().unwrap_or(Path::new(""));
            ScenarioCheck {
                name: s.name.get_ref().clone(),
                line: source.line(s.name.span().start),
                file: {
                    let (line, column) = source.line_col(s.file.span().start);
                    Located {
                        text: base.join(s.file.get_ref()).to_string_lossy().into_owned(),
                        line,
                        column,
                    }
                },
                seed: s.seed,
                expect: spanned_lines(&source, &s.expect),
                never: spanned_lines(&source, &s.never),
            }
        })
        .collect();
    Ok(TestFile {
        formula,
        cases,
        scenarios,
    })
}

fn spanned_lines(source: &Source<'_>, items: &[Spanned<String>]) -> Vec<Located> {
    items
        .iter()
        .map(|s| {
            let (line, column) = source.line_col(s.span().start);
            Located {
                text: s.get_ref().clone(),
                line,
                column,
            }
        })
        .collect()
}

/// A string of the test file with where it lies.
#[derive(Debug, Clone)]
pub struct Located {
    /// The string.
    pub text: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column of its opening quote.
    pub column: usize,
}

/// When sample 0 lies and how far apart samples are.
struct Timing {
    start: Timestamp,
    interval: TimeInterval,
    /// How long a sample takes to reach the formula (`delay`).
    delay: TimeInterval,
}

/// An ISO 8601 duration of at least `min_ticks`.
fn duration(
    source: &Source<'_>,
    text: &Spanned<String>,
    field: &str,
    min_ticks: i64,
) -> Result<TimeInterval, InputError> {
    match TimeInterval::parse_iso8601(text.get_ref()) {
        Some(t) if t.ticks() >= min_ticks => Ok(t),
        _ => Err(source.error(
            text.span().start,
            field,
            crate::value::duration_error(text.get_ref(), || {
                format!(
                    "`{}` is not a {} ISO 8601 duration such as `PT30S`",
                    text.get_ref(),
                    if min_ticks > 0 {
                        "positive"
                    } else {
                        "non-negative"
                    }
                )
            }),
        )),
    }
}

/// Expands every series of a `[series]` table, keyed by metric: one slot a
/// sample, `None` for a missing one.
fn expand_all(
    source: &Source<'_>,
    table: &BTreeMap<String, Spanned<String>>,
    prefix: &str,
) -> Result<BTreeMap<Metric, Vec<Option<f64>>>, InputError> {
    let mut out = BTreeMap::new();
    for (name, text) in table {
        let field = format!("{prefix}.\"{name}\"");
        let metric = Metric::lookup(name).map_err(|suggestion| {
            source.error(
                text.span().start,
                &field,
                format!("unknown metric `{name}`{}", hint(suggestion)),
            )
        })?;
        let values = expand(text.get_ref()).map_err(|NotationError { offset, message }| {
            // The span starts at the opening quote; offsets inside a basic
            // string without escapes map one to one onto the file.
            source.error(text.span().start + 1 + offset, &field, message)
        })?;
        if out.insert(metric, values).is_some() {
            return Err(source.error(
                text.span().start,
                &field,
                format!("`{}` is given twice", metric.name()),
            ));
        }
    }
    Ok(out)
}

fn load_case(
    source: &Source<'_>,
    timing: &Timing,
    pool: &RawPool,
    series: &BTreeMap<Metric, Vec<Option<f64>>>,
    index: usize,
    case: &RawCase,
) -> Result<Case, InputError> {
    let field = |name: &str| format!("case[{index}].{name}");
    let at_text = case.at.get_ref();
    let at_offset = case.at.span().start;
    let now = case_time(timing, at_text)
        .map_err(|message| source.error(at_offset, &field("at"), message))?;
    let pool = pool_state(source, pool, &case.pool, &field("pool"))?;
    let mut context = EvalContext::new(now);
    context.pool = pool;
    if let Some(seed) = case.seed {
        context.seed = seed;
    }
    let overrides = expand_all(source, &case.series, &field("series"))?;
    let mut merged: BTreeMap<Metric, &Vec<Option<f64>>> =
        series.iter().map(|(m, e)| (*m, e)).collect();
    merged.extend(overrides.iter().map(|(m, e)| (*m, e)));
    // Samples at or before the case's time less the delay are visible:
    // sample i lies at start + i × interval. None is, while the delay
    // reaches back before the start.
    let elapsed = (now.ticks() - timing.start.ticks()).saturating_sub(timing.delay.ticks());
    let visible = if elapsed < 0 {
        0
    } else {
        usize::try_from(elapsed / timing.interval.ticks() + 1).unwrap_or(usize::MAX)
    };
    for (metric, expanded) in merged {
        let count = visible.min(expanded.len());
        let Some(values) = expanded.get(..count) else {
            continue;
        };
        // count <= visible, so (count - 1) × interval <= now - start: the
        // newest visible sample lies between start and now, never past them.
        let back = TimeInterval::from_ticks(
            timing
                .interval
                .ticks()
                .saturating_mul((count as i64 - 1).max(0)),
        );
        let last = (timing.start + back).unwrap_or(timing.start);
        context.set_series(metric, Series::regular(timing.interval, last, values));
    }
    let mut expect = Vec::new();
    if let Some(results) = &case.results {
        expect.push(Expectation::Results(results.clone()));
    }
    if let Some(t) = &case.targets {
        let option = match &t.node_deallocation_option {
            None => None,
            Some(word) => Some(NodeDeallocationOption::from_keyword(word).ok_or_else(|| {
                source.error(
                    case.name.span().start,
                    &field("targets.node_deallocation_option"),
                    format!("`{word}` is not a deallocation option (requeue, terminate, taskcompletion, retaineddata)"),
                )
            })?),
        };
        expect.push(Expectation::Targets {
            dedicated: t.dedicated,
            low_priority: t.low_priority,
            option,
        });
    }
    if case.error.is_some() || case.error_message.is_some() {
        expect.push(Expectation::Error {
            code: case.error.clone(),
            message: case.error_message.clone(),
        });
    }
    for (name, expected) in &case.variables {
        expect.push(Expectation::Variable {
            name: name.clone(),
            expected: expected.clone(),
        });
    }
    if expect.is_empty() {
        return Err(source.error(
            case.name.span().start,
            &field("name"),
            "the case expects nothing; give `results`, `targets`, `error`, `error_message` or `variables`",
        ));
    }
    Ok(Case {
        name: case.name.get_ref().clone(),
        line: source.line(case.name.span().start),
        context,
        expect,
    })
}

/// A case's time: an ISO 8601 offset from `start` (`PT15M`) or an RFC 3339
/// instant, never before `start` (the first sample).
fn case_time(timing: &Timing, text: &str) -> Result<Timestamp, String> {
    let trimmed = text.trim();
    let time = if trimmed.starts_with('P') || trimmed.starts_with("-P") {
        let offset = TimeInterval::parse_iso8601(trimmed).ok_or_else(|| {
            crate::value::duration_error(trimmed, || {
                format!("`{text}` is not an ISO 8601 duration (`PT15M`) or an RFC 3339 time")
            })
        })?;
        (timing.start + offset).ok_or_else(|| format!("`{text}` is out of range"))?
    } else {
        Timestamp::parse_rfc3339(trimmed).ok_or_else(|| {
            format!("`{text}` is not an ISO 8601 duration (`PT15M`) or an RFC 3339 time")
        })?
    };
    if time.ticks() < timing.start.ticks() {
        return Err(format!(
            "`{text}` is before the series start at {}; a case's time is an offset from `start` or a later instant",
            timing.start
        ));
    }
    Ok(time)
}

/// The file's pool with the case's fields laid over it.
fn pool_state(
    source: &Source<'_>,
    file: &RawPool,
    case: &RawPool,
    case_field: &str,
) -> Result<PoolState, InputError> {
    let mut pool = PoolState::default();
    for (raw, field) in [(file, "pool"), (case, case_field)] {
        let counts = [
            (
                "target_dedicated_nodes",
                &raw.target_dedicated_nodes,
                &mut pool.target_dedicated_nodes,
            ),
            (
                "target_low_priority_nodes",
                &raw.target_low_priority_nodes,
                &mut pool.target_low_priority_nodes,
            ),
            (
                "current_dedicated_nodes",
                &raw.current_dedicated_nodes,
                &mut pool.current_dedicated_nodes,
            ),
            (
                "current_low_priority_nodes",
                &raw.current_low_priority_nodes,
                &mut pool.current_low_priority_nodes,
            ),
            (
                "task_slots_per_node",
                &raw.task_slots_per_node,
                &mut pool.task_slots_per_node,
            ),
        ];
        for (name, value, slot) in counts {
            if let Some(v) = value {
                *slot = count(source, v, &format!("{field}.{name}"))?;
            }
        }
        if let Some(v) = &raw.usable_node_count {
            pool.usable_node_count = Some(count(source, v, &format!("{field}.usable_node_count"))?);
        }
        if let Some(word) = &raw.node_deallocation_option {
            pool.node_deallocation_option = NodeDeallocationOption::from_keyword(word.get_ref())
                .ok_or_else(|| {
                    source.error(
                        word.span().start,
                        &format!("{field}.node_deallocation_option"),
                        format!(
                            "`{}` is not a deallocation option (requeue, terminate, taskcompletion, retaineddata)",
                            word.get_ref()
                        ),
                    )
                })?;
        }
    }
    Ok(pool)
}

fn count(source: &Source<'_>, v: &Spanned<f64>, field: &str) -> Result<f64, InputError> {
    let n = *v.get_ref();
    if n.is_finite() && n >= 0.0 {
        Ok(n)
    } else {
        Err(source.error(
            v.span().start,
            field,
            format!("`{n}` is not a count (a number >= 0)"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::load;

    /// Lines a test file is made of, some of them wrong.
    const LINES: &[&str] = &[
        "formula = \"$TargetDedicatedNodes = 1;\"",
        "formula_file = \"f.formula\"",
        "start = \"2025-01-06T00:00:00Z\"",
        "start = \"9999-12-31T23:59:59Z\"",
        "interval = \"PT30S\"",
        "interval = \"P99999D\"",
        "interval = \"-PT1S\"",
        "[pool]",
        "current_dedicated_nodes = 3",
        "task_slots_per_node = -1",
        "[series]",
        "\"$PendingTasks\" = \"0x10 5+5x4 _ 30\"",
        "\"$CPUPercent\" = \"1e308+1e308x3\"",
        "\"$Nope\" = \"1\"",
        "[[case]]",
        "name = \"c\"",
        "at = \"PT15M\"",
        "at = \"P100000D\"",
        "at = \"-PT1M\"",
        "at = \"9999-12-31T23:59:59Z\"",
        "targets = { dedicated = 1 }",
        "variables = { \"$x\" = \"[1]\" }",
        "series = { \"$PendingTasks\" = \"_x40000\" }",
        "[[scenario]]",
        "file = \"s.toml\"",
        "expect = [\"cost.total < 1\"]",
    ];

    proptest! {
        /// Any arrangement of these lines loads or gives an error; it never panics.
        #[test]
        fn loading_never_panics(picks in proptest::collection::vec(0..LINES.len(), 0..24)) {
            let text: String = picks.iter().map(|&i| format!("{}\n", LINES[i])).collect();
            let _ = load("t.test.toml", &text, |_| Ok(("f.formula".into(), "$TargetDedicatedNodes = 1;".into())));
        }
    }

    #[test]
    fn a_case_far_from_the_start_sees_the_whole_series() {
        let text = "formula = \"$TargetDedicatedNodes = 1;\"\nstart = \"2025-01-06T00:00:00Z\"\n\
                    [series]\n\"$PendingTasks\" = \"1x3\"\n\
                    [[case]]\nname = \"c\"\nat = \"9999-12-31T23:59:59Z\"\ntargets = { dedicated = 1 }\n";
        let file = load("t.test.toml", text, |_| Err("unused".into())).unwrap();
        let ctx = &file.cases[0].context;
        // 1x3 is four samples, all before the case's time.
        let series = ctx.series(crate::Metric::PendingTasks).unwrap();
        assert_eq!(series.len(), 4);
    }
}
