//! The text form of an explanation: a block per statement, then the targets
//! and the results string.

use std::fmt::Write as _;

use super::{number, Explanation, Reason, Status, TargetReport};

impl Explanation {
    /// The explanation as text for a terminal.
    pub(crate) fn to_text(&self) -> String {
        let mut out = String::new();
        for (index, s) in self.statements.iter().enumerate() {
            let _ = writeln!(
                out,
                "[{}] line {}: {}",
                index + 1,
                s.line,
                indent(&s.source)
            );
            match (&s.status, &s.value) {
                (Status::Ran, Some(value)) => {
                    let _ = writeln!(out, "    = {value}");
                }
                (Status::Failed, Some(value)) => {
                    let _ = writeln!(out, "    = {value}, then failed (see the error below)");
                }
                (Status::Failed, None) => {
                    let _ = writeln!(out, "    failed (see the error below)");
                }
                (Status::Stopped, _) => {
                    let _ = writeln!(out, "    stop(): the evaluation ends here");
                }
                (Status::NotRun, _) => {
                    let _ = writeln!(
                        out,
                        "    not run: an earlier statement ended the evaluation"
                    );
                }
                (Status::Ran, None) => {}
            }
            for reason in &s.why {
                let _ = writeln!(out, "    {}", reason_text(reason));
            }
        }
        if let Some(t) = &self.targets {
            out.push_str("targets\n");
            target_line(&mut out, "$TargetDedicatedNodes", &t.dedicated);
            target_line(&mut out, "$TargetLowPriorityNodes", &t.low_priority);
            let _ = writeln!(
                out,
                "    $NodeDeallocationOption = {}",
                t.node_deallocation_option
            );
        }
        if let Some(e) = &self.error {
            let _ = writeln!(
                out,
                "error {} at Line {}, Col {}: {}",
                e.code, e.line, e.column, e.detail
            );
            let _ = writeln!(
                out,
                "results (the pool's values from before the evaluation)"
            );
        } else {
            out.push_str("results\n");
        }
        let _ = writeln!(out, "    {}", self.results);
        out
    }
}

/// Continuation lines of a multi-line statement, indented under its first.
fn indent(source: &str) -> String {
    source.replace('\n', "\n        ")
}

fn reason_text(reason: &Reason) -> String {
    match reason {
        Reason::Sample {
            call,
            from,
            to,
            found,
            expected,
            percent,
            required,
        } => {
            let mut text = format!(
                "{call} read {from} to {to}: {found} of {expected} samples ({}%)",
                number(*percent)
            );
            if let Some(required) = required {
                let verdict = if percent < required {
                    "short of"
                } else {
                    "meets"
                };
                let _ = write!(text, ", {verdict} the {}% required", number(*required));
            }
            text
        }
        Reason::Branch {
            condition,
            value,
            took,
        } => format!(
            "`{condition}` is {}: took the {took} branch",
            number(*value)
        ),
        Reason::Pick {
            call,
            function,
            argument,
            value,
        } => format!(
            "{function} picked element {argument} ({}) in `{call}`",
            number(*value)
        ),
    }
}

fn target_line(out: &mut String, name: &str, t: &TargetReport) {
    let whose = if t.assigned {
        ""
    } else {
        " (not assigned: the pool's current target)"
    };
    let value = number(t.value);
    let applied = t.applied;
    let note = if t.value == f64::from(applied) {
        String::new()
    } else {
        format!(" (the service truncates {value} toward zero, at least 0)")
    };
    let _ = writeln!(out, "    {name} = {value}{whose}: {applied} nodes{note}");
}
