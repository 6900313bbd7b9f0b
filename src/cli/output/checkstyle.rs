//! Checkstyle XML, read by Jenkins' warnings plugin, reviewdog and Sonar:
//! every checked file is listed, each diagnostic an `<error>` in it.

use std::fmt::Write as _;

use super::xml::escape;
use crate::cli::check::FileReport;
use crate::diagnostics::Record;

/// The Checkstyle report of a run.
pub(super) fn render(reports: &[FileReport]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<checkstyle version=\"4.3\">\n");
    for report in reports {
        let _ = writeln!(out, "  <file name=\"{}\">", escape(report.origin()));
        for d in report.diagnostics() {
            let at = Record::new(report.origin(), report.source(), d);
            let _ = writeln!(
                out,
                "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"batchscale.{}\"/>",
                at.line,
                at.column,
                d.severity.as_str(),
                escape(&d.message),
                d.code
            );
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}
