//! `explain`: one evaluation told statement by statement — each statement's
//! value (or error) and why: the windows its sample methods read, the
//! conditions that chose its branches, the arguments `min` and `max` picked —
//! then the targets the service applies and its results string.
//!
//! The evaluator reports its decisions through [`Observer`]; this module only
//! records and renders them, so it follows whatever evaluator runs. The CLI
//! command, the REPL's `:explain` and `replay --explain` share it.

mod render;

use serde::Serialize;

use crate::builtins::{Function, FUNCTIONS, METHODS};
use crate::check::{StmtKind, Target};
use crate::context::EvalContext;
use crate::eval::{Observer, SampleRead};
use crate::run::AutoScaleRunError;
use crate::span::{line_col, Span};
use crate::value::{format_double, format_value, Value};
use crate::{Formula, NodeKind, Outcome};

/// What one evaluation did, statement by statement.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Explanation {
    /// Every statement of the formula, in source order.
    pub statements: Vec<StatementReport>,
    /// The targets the run ends with (absent when it failed).
    pub targets: Option<TargetsReport>,
    /// The results string as the service reports it.
    pub results: String,
    /// Whether `stop()` ended the evaluation.
    pub stopped: bool,
    /// The error that failed the evaluation.
    pub error: Option<ErrorReport>,
}

/// How a statement's evaluation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Status {
    /// It produced a value.
    Ran,
    /// Evaluation failed in it.
    Failed,
    /// It called `stop()`.
    Stopped,
    /// An earlier statement ended the evaluation.
    NotRun,
}

/// One statement.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StatementReport {
    /// 1-based line of its start.
    pub line: usize,
    /// 1-based column of its start.
    pub column: usize,
    /// Its source text.
    pub source: String,
    /// How it ended.
    pub status: Status,
    /// The value it produced, as the results string prints values.
    pub value: Option<String>,
    /// Why, in evaluation order.
    pub why: Vec<Reason>,
}

/// One decision inside a statement.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Reason {
    /// A sample method read a window of a metric's history.
    Sample {
        /// `$CPUPercent.GetSample`.
        call: String,
        /// Window start (inclusive), ISO 8601.
        from: String,
        /// Window end (exclusive), ISO 8601.
        to: String,
        /// Samples found in the window.
        found: usize,
        /// Samples the window holds at the metric's period.
        expected: usize,
        /// `found` against `expected`, 0-100.
        percent: f64,
        /// The percentage the call required, when it checks one.
        required: Option<f64>,
    },
    /// A conditional chose a branch.
    Branch {
        /// The condition's source.
        condition: String,
        /// The condition's value.
        value: f64,
        /// `then` or `else`.
        took: &'static str,
    },
    /// `min` or `max` picked an argument.
    Pick {
        /// The call's source.
        call: String,
        /// `min` or `max`.
        function: &'static str,
        /// The element picked, from 1, counting list elements one by one.
        argument: usize,
        /// Its value.
        value: f64,
    },
}

/// The targets a successful run ends with.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TargetsReport {
    /// `$TargetDedicatedNodes`.
    pub dedicated: TargetReport,
    /// `$TargetLowPriorityNodes`.
    pub low_priority: TargetReport,
    /// `$NodeDeallocationOption`.
    pub node_deallocation_option: String,
}

/// One target.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TargetReport {
    /// The value as computed.
    pub value: f64,
    /// The node count the service applies (truncated toward zero, at least 0).
    pub applied: u32,
    /// Whether the formula assigned it (else it is the pool's current target).
    pub assigned: bool,
}

/// The error that failed an evaluation.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ErrorReport {
    /// The service's error code.
    pub code: String,
    /// The service's message.
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What went wrong.
    pub detail: String,
}

/// Collects the evaluator's reports, statement by statement: every decision
/// belongs to the statement after the last one that finished.
#[derive(Debug, Default)]
struct Recorder {
    source: String,
    finished: Vec<(usize, Value, Vec<Reason>)>,
    pending: Vec<Reason>,
}

impl Recorder {
    fn text(&self, span: Span) -> String {
        let text = self.source.get(span.start..span.end).unwrap_or("");
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

impl Observer for Recorder {
    fn assigned(&mut self, index: usize, value: &Value) {
        let why = std::mem::take(&mut self.pending);
        self.finished.push((index, value.clone(), why));
    }

    fn sample_read(&mut self, read: &SampleRead) {
        let method = METHODS
            .iter()
            .find(|m| m.method == read.method)
            .map_or("GetSample", |m| m.name);
        self.pending.push(Reason::Sample {
            call: format!("{}.{}", read.metric.name(), method),
            from: read.from.to_string(),
            to: read.to.to_string(),
            found: read.found,
            expected: read.expected,
            percent: read.percent,
            required: read.required,
        });
    }

    fn branch(&mut self, span: Span, condition: f64, took_then: bool) {
        let condition_text = self.text(span);
        self.pending.push(Reason::Branch {
            condition: condition_text,
            value: condition,
            took: if took_then { "then" } else { "else" },
        });
    }

    fn pick(&mut self, span: Span, function: Function, index: usize, value: f64) {
        let name = FUNCTIONS
            .iter()
            .find(|f| f.function == function)
            .map_or("max", |f| f.name);
        self.pending.push(Reason::Pick {
            call: self.text(span),
            function: name,
            argument: index + 1,
            value,
        });
    }
}

/// Evaluates `formula` against `ctx` on the general path, recording why.
pub(crate) fn explain(formula: &Formula, ctx: &EvalContext) -> Explanation {
    let source = formula.source();
    let mut evaluator = formula.evaluator();
    let mut recorder = Recorder {
        source: source.to_string(),
        ..Recorder::default()
    };
    let outcome = evaluator.run_observed(ctx, &mut recorder);
    let program = formula.program();
    let mut finished = recorder.finished.into_iter().peekable();
    let mut pending = Some(recorder.pending);
    let ended = match &outcome {
        Ok(o) if o.stopped => Status::Stopped,
        Ok(_) => Status::NotRun,
        Err(_) => Status::Failed,
    };
    let mut statements = Vec::with_capacity(program.statements.len());
    for (index, stmt) in program.statements.iter().enumerate() {
        let at = line_col(source, stmt.span.start);
        let mut report = StatementReport {
            line: at.line,
            column: at.column,
            source: source
                .get(stmt.span.start..stmt.span.end)
                .unwrap_or("")
                .to_string(),
            status: Status::NotRun,
            value: None,
            why: Vec::new(),
        };
        if let Some((_, value, why)) = finished.next_if(|(i, _, _)| *i == index) {
            let mut text = String::new();
            format_value(&value, &mut text);
            report.value = Some(text);
            report.why = why;
            report.status = Status::Ran;
            // A target assigned a value of the wrong type fails after the value.
            if let Err(e) = &outcome {
                if stmt.span.contains(e.span) && finished.peek().is_none() {
                    report.status = Status::Failed;
                    pending = None;
                }
            }
        } else if let Some(why) = pending.take() {
            report.why = why;
            report.status = ended;
        }
        statements.push(report);
    }
    let (targets, results, error, stopped) = match &outcome {
        Ok(o) => {
            let assigned = |kind: NodeKind| {
                program.statements.iter().zip(&statements).any(|(s, r)| {
                    r.status == Status::Ran
                        && matches!(&s.kind, StmtKind::Assign { target: Target::Node { kind: k, .. }, .. } if *k == kind)
                })
            };
            let targets = targets_report(
                o,
                assigned(NodeKind::Dedicated),
                assigned(NodeKind::LowPriority),
            );
            (Some(targets), evaluator.results(o), None, o.stopped)
        }
        Err(e) => {
            let service = AutoScaleRunError::from_eval(source, e);
            let at = line_col(source, e.span.start);
            let error = ErrorReport {
                code: service.code,
                message: service.message,
                line: at.line,
                column: at.column,
                detail: e.kind.to_string(),
            };
            (
                None,
                crate::eval::pre_evaluation_results(&ctx.pool),
                Some(error),
                false,
            )
        }
    };
    Explanation {
        statements,
        targets,
        results,
        stopped,
        error,
    }
}

fn targets_report(o: &Outcome, dedicated: bool, low_priority: bool) -> TargetsReport {
    TargetsReport {
        dedicated: TargetReport {
            value: o.target_dedicated_nodes,
            applied: o.dedicated_nodes(),
            assigned: dedicated,
        },
        low_priority: TargetReport {
            value: o.target_low_priority_nodes,
            applied: o.low_priority_nodes(),
            assigned: low_priority,
        },
        node_deallocation_option: o.node_deallocation_option.keyword().to_string(),
    }
}

/// A number as the results string prints it.
fn number(x: f64) -> String {
    let mut out = String::new();
    format_double(x, &mut out);
    out
}

impl Explanation {
    /// The explanation as pretty-printed JSON.
    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Whether the evaluation failed.
    pub(crate) fn failed(&self) -> bool {
        self.error.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Metric, Series, TimeInterval, Timestamp};

    fn explained(formula: &str) -> Explanation {
        let now = Timestamp::parse_rfc3339("2025-01-06T00:10:00Z").unwrap();
        let minute = TimeInterval::from_seconds(60);
        // Pending tasks 8 at 00:09 and 00:10 (the newest at now).
        let ctx = EvalContext::builder(now)
            .metric(
                Metric::PendingTasks,
                Series::regular(minute, now, &[Some(8.0), Some(8.0)]),
            )
            .build();
        explain(&Formula::parse(formula).unwrap(), &ctx)
    }

    #[test]
    fn a_bare_metric_reads_its_newest_sample() {
        // `$PendingTasks` alone is its newest sample: 8 / 4 = 2.
        let e = explained("$TargetDedicatedNodes = $PendingTasks / 4;");
        assert_eq!(e.statements[0].value.as_deref(), Some("2"));
        let Some(Reason::Sample {
            call,
            found,
            expected,
            from,
            ..
        }) = e.statements[0].why.first()
        else {
            panic!("{:?}", e.statements[0].why);
        };
        assert_eq!(
            (call.as_str(), *found, *expected),
            ("$PendingTasks.GetSample", 1, 1)
        );
        assert_eq!(from, "2025-01-06T00:10:00.000Z");
    }

    #[test]
    fn each_condition_of_a_chain_is_reported_as_tested() {
        // 8 > 10 is 0, 8 > 5 is 1: the second branch, 2.
        let e = explained("$x = $PendingTasks > 10 ? 3 : $PendingTasks > 5 ? 2 : 1;");
        let took: Vec<(f64, &str)> = e.statements[0]
            .why
            .iter()
            .filter_map(|r| match r {
                Reason::Branch { value, took, .. } => Some((*value, *took)),
                _ => None,
            })
            .collect();
        assert_eq!(took, [(0.0, "else"), (1.0, "then")]);
        assert_eq!(e.statements[0].value.as_deref(), Some("2"));
    }

    #[test]
    fn stop_ends_the_story_and_later_statements_do_not_run() {
        let e = explained("$a = 1; stop(); $b = 2;");
        let status: Vec<Status> = e.statements.iter().map(|s| s.status).collect();
        assert_eq!(status, [Status::Ran, Status::Stopped, Status::NotRun]);
        assert!(e.stopped);
        assert_eq!(
            e.results,
            "$TargetDedicatedNodes=0;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;$a=1"
        );
    }

    #[test]
    fn max_over_a_list_counts_its_elements_and_a_nan_wins() {
        // max(1, [5, 9, 9]) picks the first 9, element 3; with a NaN (0 / 0)
        // the NaN is the result, element 2.
        let e = explained("$v = max(1, vec(5, 9, 9)); $w = max(1, 0 / 0, 7);");
        let picks: Vec<(usize, bool)> = e
            .statements
            .iter()
            .flat_map(|s| &s.why)
            .filter_map(|r| match r {
                Reason::Pick {
                    argument, value, ..
                } => Some((*argument, value.is_nan())),
                _ => None,
            })
            .collect();
        assert_eq!(picks, [(3, false), (2, true)]);
    }

    #[test]
    fn a_target_assigned_a_vector_fails_after_its_value() {
        let e = explained("$TargetDedicatedNodes = vec(1, 2);");
        assert_eq!(e.statements[0].status, Status::Failed);
        assert_eq!(e.statements[0].value.as_deref(), Some("[1,2]"));
        assert!(e.error.is_some() && e.targets.is_none());
    }
}
