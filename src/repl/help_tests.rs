//! `:help` answers from the builtins table: a topic's text is the table's
//! signature and doc, so the REPL, completion and the docs cannot drift apart.

use super::commands::COMMANDS;
use super::Repl;
use crate::{builtins, EvalContext, Limits, Timestamp};

fn repl() -> Repl {
    Repl::new(
        EvalContext::builder(Timestamp::UNIX_EPOCH).build(),
        Limits::default(),
        false,
    )
}

#[test]
fn topics_come_from_the_builtins_table() {
    let mut repl = repl();
    let max = builtins::function("max").expect("max");
    let method = builtins::method("GetSamplePercent").expect("method");
    let var = builtins::service_variable("$PendingTasks").expect("variable");
    assert_eq!(
        repl.handle(":help max").text,
        format!("{}\n  {}\n", max.signature, max.doc)
    );
    assert_eq!(
        repl.handle(":help GetSamplePercent").text,
        format!(
            "{}\n  {}\n  A method of the sampled variables, e.g. $PendingTasks.GetSamplePercent(...).\n",
            method.signature, method.doc
        )
    );
    assert_eq!(
        repl.handle(":help $PendingTasks").text,
        format!("{}\n  {}\n", var.name, var.doc)
    );
}

#[test]
fn the_command_list_names_every_command() {
    let text = repl().handle(":help").text;
    for command in COMMANDS {
        assert!(text.contains(command.name), "{} missing", command.name);
    }
}
