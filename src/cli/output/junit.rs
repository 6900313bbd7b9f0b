//! JUnit XML in the shape CI test tabs read (Jenkins, GitLab, Azure
//! Pipelines, GitHub test reporters): a `<testsuite>` per checked file, a
//! failed `<testcase>` per diagnostic, and one passing `check` test case for a
//! file with nothing to report, so clean files show up as passed.

use std::fmt::Write as _;

use super::xml::escape;
use crate::cli::check::FileReport;
use crate::diagnostics::Record;

/// The JUnit report of a run.
pub(super) fn render(reports: &[FileReport]) -> String {
    let cases = |r: &FileReport| r.diagnostics().count().max(1);
    let tests: usize = reports.iter().map(cases).sum();
    let failures: usize = reports.iter().map(|r| r.diagnostics().count()).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"batchscale check\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    );
    for report in reports {
        let file = escape(report.origin());
        let count = report.diagnostics().count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{file}\" tests=\"{}\" failures=\"{count}\" errors=\"0\" skipped=\"0\">",
            cases(report)
        );
        if count == 0 {
            let _ = writeln!(
                out,
                "    <testcase classname=\"{file}\" name=\"check\" file=\"{file}\"/>"
            );
        }
        for d in report.diagnostics() {
            let at = Record::new(report.origin(), report.source(), d);
            let _ = writeln!(
                out,
                "    <testcase classname=\"{file}\" name=\"{} at line {}, column {}\" file=\"{file}\" line=\"{}\">",
                d.code, at.line, at.column, at.line
            );
            let mut body = format!(
                "{}:{}:{}: {}[{}] {}",
                report.origin(),
                at.line,
                at.column,
                d.severity.as_str(),
                d.code,
                d.message
            );
            if let Some(help) = &d.help {
                let _ = write!(body, "\nhelp: {help}");
            }
            let _ = writeln!(
                out,
                "      <failure type=\"{}\" message=\"{}: {}\">{}</failure>",
                d.code,
                d.severity.as_str(),
                escape(&d.message),
                escape(&body)
            );
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
