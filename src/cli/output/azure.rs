//! Azure Pipelines logging commands: `##vso[task.logissue ...]` puts an error
//! or warning on the run's summary page, with its file and position.

use std::fmt::Write as _;

use crate::cli::check::FileReport;
use crate::diagnostics::{Record, Severity};

/// Escaping of the agent's task library (`escapedata`): `%` first, as
/// `%AZP25`, then the line breaks.
fn escape_data(text: &str) -> String {
    text.replace('%', "%AZP25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value also escapes `;` (between properties) and `]` (the end of
/// the command).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(';', "%3B").replace(']', "%5D")
}

/// One file's logging commands. Azure has only errors and warnings: an info
/// becomes a plain log line instead of a warning, so that it does not mark
/// the run "partially succeeded".
pub(super) fn render(report: &FileReport) -> String {
    let mut out = String::new();
    for d in report.diagnostics() {
        let at = Record::new(report.origin(), report.source(), d);
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => {
                let _ = writeln!(
                    out,
                    "{}:{}:{}: info[{}] {}",
                    report.origin(),
                    at.line,
                    at.column,
                    d.code,
                    message
                );
                continue;
            }
        };
        let _ = writeln!(
            out,
            "##vso[task.logissue type={kind};sourcepath={};linenumber={};columnnumber={};code={};]{}",
            escape_property(report.origin()),
            at.line,
            at.column,
            escape_property(d.code),
            escape_data(&message)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_task_library() {
        assert_eq!(escape_data("50% done\nnext"), "50%AZP25 done%0Anext");
        assert_eq!(escape_property("a;b]c"), "a%3Bb%5Dc");
    }
}
