//! Tab completion: names from the builtins table, the session's variables and
//! the REPL's commands, chosen by what comes before the cursor.

use crate::builtins::{self, Metric, CONSTANTS, FUNCTIONS, METHODS, SERVICE_VARIABLES};
use crate::value::{Member, NodeDeallocationOption};

use super::commands::COMMANDS;

/// One candidate: the text inserted and how it is listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// What replaces the word being completed (functions and methods get a `(`).
    pub replacement: String,
    /// What the list shows.
    pub display: String,
}

/// Completes the word that ends at byte `pos` of `line`. Returns where the
/// word starts and the candidates, sorted. `variables` are the session's user
/// variables.
pub fn complete(line: &str, pos: usize, variables: &[String]) -> (usize, Vec<Candidate>) {
    let before = line.get(..pos).unwrap_or(line);
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word(c))
        .last()
        .map_or(pos, |(i, _)| i);
    let word = before.get(start..).unwrap_or("");
    let head = before.get(..start).unwrap_or("");

    let mut out: Vec<Candidate> = Vec::new();
    let mut add = |name: &str, suffix: &str| {
        if name.starts_with(word) {
            out.push(Candidate {
                replacement: format!("{name}{suffix}"),
                display: name.to_string(),
            });
        }
    };
    let trimmed_head = head.trim_start();
    if let Some(command_head) = trimmed_head.strip_prefix(':') {
        if command_head.is_empty() && head.ends_with(':') {
            // `:he|` completes the command name itself.
            let start = start.saturating_sub(1);
            let word = format!(":{word}");
            let mut out: Vec<Candidate> = COMMANDS
                .iter()
                .filter(|c| c.name.starts_with(&word))
                .map(|c| Candidate {
                    replacement: c.name.to_string(),
                    display: c.name.to_string(),
                })
                .collect();
            out.sort_by(|a, b| a.display.cmp(&b.display));
            return (start, out);
        }
        if command_head.starts_with("help") && !command_head.contains('.') {
            for name in help_names() {
                add(name, "");
            }
            for c in COMMANDS {
                add(c.name.trim_start_matches(':'), "");
            }
            return finish(start, out);
        }
    }
    if let Some(receiver) = head.strip_suffix('.') {
        let receiver_word: String = receiver
            .chars()
            .rev()
            .take_while(|&c| is_word(c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if Metric::from_name(&receiver_word).is_some() {
            for m in METHODS {
                add(m.name, "(");
            }
        } else {
            for (name, _) in Member::ALL {
                add(name, "");
            }
        }
        return finish(start, out);
    }
    if after_dealloc_assignment(head) {
        for option in NodeDeallocationOption::ALL {
            add(option.keyword(), "");
        }
        return finish(start, out);
    }
    for v in SERVICE_VARIABLES {
        add(v.name, "");
    }
    for v in variables {
        add(v, "");
    }
    if !word.starts_with('$') {
        for f in FUNCTIONS {
            add(f.name, "(");
        }
        for (name, _) in CONSTANTS {
            add(name, "");
        }
        for option in NodeDeallocationOption::ALL {
            add(option.keyword(), "");
        }
    }
    finish(start, out)
}

fn finish(start: usize, mut out: Vec<Candidate>) -> (usize, Vec<Candidate>) {
    out.sort_by(|a, b| a.display.cmp(&b.display));
    out.dedup();
    (start, out)
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// Whether `head` ends with `$NodeDeallocationOption =` (spaces allowed).
fn after_dealloc_assignment(head: &str) -> bool {
    head.trim_end()
        .strip_suffix('=')
        .is_some_and(|h| h.trim_end().ends_with("$NodeDeallocationOption"))
        && !head.trim_end().ends_with("==")
}

/// Every name `:help` knows.
pub fn help_names() -> impl Iterator<Item = &'static str> {
    builtins::all_names()
        .chain(FUNCTIONS.iter().map(|f| f.name))
        .chain(METHODS.iter().map(|m| m.name))
        .chain(Member::ALL.iter().map(|(n, _)| *n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(line: &str, vars: &[&str]) -> (usize, Vec<String>) {
        let vars: Vec<String> = vars.iter().map(|s| s.to_string()).collect();
        let (start, c) = complete(line, line.len(), &vars);
        (start, c.into_iter().map(|c| c.replacement).collect())
    }

    #[test]
    fn service_and_user_variables_by_prefix() {
        assert_eq!(
            names("$x = $Pend", &[]),
            (5, vec!["$PendingTasks".to_string()])
        );
        assert_eq!(
            names("$x = $Target", &[]).1,
            [
                "$TargetDedicated",
                "$TargetDedicatedNodes",
                "$TargetLowPriority",
                "$TargetLowPriorityNodes"
            ]
        );
        assert_eq!(
            names("$t + $ta", &["$tasks", "$total"]),
            (5, vec!["$tasks".to_string()])
        );
        assert_eq!(names("to", &["total"]).1, ["total"]);
    }

    #[test]
    fn functions_get_a_bracket_and_constants_complete() {
        assert_eq!(names("$x = ma", &[]).1, ["max("]);
        assert_eq!(
            names("$x = TimeInterval_M", &[]).1,
            [
                "TimeInterval_Microsecond",
                "TimeInterval_Millisecond",
                "TimeInterval_Minute"
            ]
        );
    }

    #[test]
    fn methods_after_a_metric_and_members_after_anything_else() {
        assert_eq!(
            names("avg($PendingTasks.GetSampleP", &[]).1,
            ["GetSamplePercent(", "GetSamplePeriod("]
        );
        assert_eq!(names("$CPUPercent.C", &[]).1, ["Count("]);
        assert_eq!(names("time().we", &[]).1, ["weekday"]);
        assert_eq!(names("$t.h", &["$t"]).1, ["hour"]);
    }

    #[test]
    fn keywords_after_dealloc_assignment() {
        assert_eq!(
            names("$NodeDeallocationOption = ", &[]).1,
            ["requeue", "retaineddata", "taskcompletion", "terminate"]
        );
        assert_eq!(
            names("$NodeDeallocationOption=t", &[]).1,
            ["taskcompletion", "terminate"]
        );
    }

    #[test]
    fn commands_and_help_topics() {
        assert_eq!(
            names(":re", &[]),
            (0, vec![":reset".into(), ":results".into()])
        );
        assert_eq!(
            names(":help GetSampleP", &[]).1,
            ["GetSamplePercent", "GetSamplePeriod"]
        );
        assert_eq!(names(":help adv", &[]).1, ["advance"]);
    }
}
