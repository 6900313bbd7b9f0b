//! `:help`: the command table and the builtins table's docs.

use std::fmt::Write;

use super::commands::COMMANDS;
use super::complete::help_names;
use crate::builtins::{self, CONSTANTS};
use crate::input::did_you_mean;
use crate::value::{Member, NodeDeallocationOption};

/// The command list shown by `:help`.
pub fn overview() -> String {
    let mut out = String::from(
        "Enter statements (`$x = 1;`) or an expression (`$x * 2`). Statements join the\n\
         formula; an expression without `;` is only evaluated. Commands:\n",
    );
    for c in COMMANDS {
        let head = if c.usage.is_empty() {
            c.name.to_string()
        } else {
            format!("{} {}", c.name, c.usage)
        };
        let _ = writeln!(out, "  {head:<36} {}", c.doc);
    }
    out.push_str("`:help NAME` shows a function, method, variable, constant or member.");
    out
}

/// The docs of one name: a command, function, method, service variable,
/// constant, keyword or timestamp member.
pub fn topic(name: &str) -> Result<String, String> {
    let name = name.trim();
    let bare = name.trim_start_matches('.');
    let command = if name.starts_with(':') {
        name.to_string()
    } else {
        format!(":{name}")
    };
    if let Some(c) = COMMANDS.iter().find(|c| c.name == command) {
        return Ok(format!("{} {}\n  {}", c.name, c.usage, c.doc).replace("  \n", "\n"));
    }
    if let Some(f) = builtins::function(bare) {
        return Ok(format!("{}\n  {}", f.signature, f.doc));
    }
    if let Some(m) = builtins::method(bare) {
        return Ok(format!(
            "{}\n  {}\n  A method of the sampled variables, e.g. $PendingTasks.{}(...).",
            m.signature, m.doc, m.name
        ));
    }
    if let Some(v) = builtins::service_variable(name) {
        return Ok(format!("{}\n  {}", v.name, v.doc));
    }
    if let Some(&(n, t)) = CONSTANTS.iter().find(|(n, _)| *n == name) {
        return Ok(format!("{n}\n  A timeinterval constant: {t}."));
    }
    if let Some(k) = NodeDeallocationOption::from_keyword(name) {
        return Ok(format!(
            "{}\n  A nodeDeallocationOption keyword, assigned to $NodeDeallocationOption.",
            k.keyword()
        ));
    }
    if Member::from_name(bare).is_some() {
        return Ok(format!(
            "timestamp.{bare}\n  A member of a timestamp (UTC), read as a double: year, month (1-12), day (1-31), weekday (1 = Monday ... 7 = Sunday), hour, minute, second."
        ));
    }
    let candidates = help_names().chain(COMMANDS.iter().map(|c| c.name));
    let hint = did_you_mean(name, candidates)
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default();
    Err(format!("no help for `{name}`{hint}"))
}
