//! The named predicates of `never` over a simulation's timeline: states that
//! must not last (docs/test.md).

use crate::sim::report::{Report, Row};
use crate::value::TimeInterval;

/// A state of the pool at one timeline row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Predicate {
    /// Tasks queued and both targets 0: a pool stuck at 0 (batch-shipyard #138).
    ZeroTargetWhilePending,
    /// Tasks queued and no usable node allocated.
    ZeroNodesWhilePending,
    /// Nodes allocated and nothing queued or running (nextflow #3729).
    NodesWhileIdle,
    /// A low-priority node preempted (nextflow #5545).
    PreemptedNodes,
}

/// The names users write, with their predicates.
const NAMES: &[(&str, Predicate)] = &[
    (
        "zero_target_while_pending",
        Predicate::ZeroTargetWhilePending,
    ),
    ("zero_nodes_while_pending", Predicate::ZeroNodesWhilePending),
    ("nodes_while_idle", Predicate::NodesWhileIdle),
    ("preempted_nodes", Predicate::PreemptedNodes),
];

impl Predicate {
    fn holds(self, row: &Row) -> bool {
        let targets = row.target_dedicated + row.target_low_priority;
        let nodes = row.current_dedicated + row.current_low_priority;
        match self {
            Predicate::ZeroTargetWhilePending => targets == 0 && row.active > 0,
            Predicate::ZeroNodesWhilePending => {
                nodes.saturating_sub(row.preempted) == 0 && row.active > 0
            }
            Predicate::NodesWhileIdle => nodes > 0 && row.active == 0 && row.running == 0,
            Predicate::PreemptedNodes => row.preempted > 0,
        }
    }
}

/// A predicate that must never hold for longer than `longer_than` ms (with
/// 0, at any row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Never {
    predicate: Predicate,
    longer_than: i64,
}

impl Never {
    /// `NAME` or `NAME for DURATION` (`zero_target_while_pending for PT30M`).
    pub fn parse(text: &str) -> Result<Never, String> {
        let mut words = text.split_whitespace();
        let word = words.next().unwrap_or("");
        let Some(&(name, predicate)) = NAMES.iter().find(|(n, _)| *n == word) else {
            let names = NAMES.iter().map(|(n, _)| *n);
            let hint = crate::builtins::hint(crate::suggest::did_you_mean(word, names.clone()));
            return Err(format!(
                "unknown predicate `{word}`{hint}; the predicates are `{}`",
                names.collect::<Vec<_>>().join("`, `")
            ));
        };
        let longer_than = match (words.next(), words.next(), words.next()) {
            (None, _, _) => 0,
            (Some("for"), Some(duration), None) => match TimeInterval::parse_iso8601(duration) {
                Some(t) if t.ticks() >= 0 => t.ticks() / 10_000,
                _ => {
                    return Err(crate::value::duration_error(duration, || {
                        format!("`{duration}` is not an ISO 8601 duration such as `PT30M`")
                    }))
                }
            },
            _ => {
                return Err(format!(
                    "expected `{name}` or `{name} for DURATION` (`{name} for PT30M`)"
                ))
            }
        };
        Ok(Never {
            predicate,
            longer_than,
        })
    }

    /// The first stretch (ms from the start) where the predicate holds for
    /// longer than allowed: from the first row where it holds to the first
    /// row after it where it does not, or the end of the run.
    pub fn first_violation(&self, report: &Report) -> Option<(i64, i64)> {
        let mut since: Option<i64> = None;
        for row in &report.rows {
            match (self.predicate.holds(row), since) {
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
        self.longer_than == 0 || to - from > self.longer_than
    }
}

#[cfg(test)]
mod tests {
    use super::Never;

    #[test]
    fn names_and_durations_parse() {
        assert_eq!(Never::parse("nodes_while_idle").unwrap().longer_than, 0);
        // PT30M = 1,800,000 ms.
        assert_eq!(
            Never::parse("preempted_nodes for PT30M")
                .unwrap()
                .longer_than,
            1_800_000
        );
        let e = Never::parse("nodes_while_idel").unwrap_err();
        assert!(e.contains("did you mean `nodes_while_idle`?"), "{e}");
        assert!(Never::parse("nodes_while_idle for 30m")
            .unwrap_err()
            .contains("ISO 8601"));
        assert!(Never::parse("nodes_while_idle during PT1H")
            .unwrap_err()
            .contains("`nodes_while_idle for DURATION`"));
    }
}
