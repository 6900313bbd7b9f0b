//! Harnesses shared by the fuzz targets in `fuzz/` and by the test that replays
//! their corpus. Each checks an invariant and panics when it breaks, which is
//! what a fuzzer looks for; the library proper never panics.

#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

use arbitrary::{Arbitrary, Unstructured};

/// The language server's loop, for its benchmark (`benches/lsp.rs`); not part
/// of the library's API.
#[cfg(feature = "cli")]
pub use crate::lsp::serve as serve_lsp;
/// The REPL's incremental continuation, for the complexity benchmark
/// (`benches/robust.rs`); not part of the library's API.
#[cfg(feature = "cli")]
pub use crate::repl::Continuation;
/// The did-you-mean index, for the complexity benchmark; not part of the
/// library's API.
pub use crate::suggest::NameIndex;

use crate::builtins::Metric;
use crate::context::{load_context_json, load_metrics_csv, EvalContext, Series};
use crate::syntax::{self, WithoutSpans};
use crate::value::{format_double, TimeInterval, Timestamp};
use crate::{Formula, Limits};

fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// Parsing arbitrary bytes returns a tree or a syntax error.
pub fn parse(data: &[u8]) {
    let _ = Formula::parse(&text(data));
    let _ = Formula::parse_with(&text(data), &Limits::LIFTED);
}

/// A formula that parses prints to text that parses to the same tree.
pub fn roundtrip(data: &[u8]) {
    let source = text(data);
    let Ok(ast) = syntax::parse(&source, &Limits::LIFTED) else {
        return;
    };
    let printed = ast.to_string();
    let reparsed = syntax::parse(&printed, &Limits::LIFTED)
        .unwrap_or_else(|e| panic!("printed formula does not parse: {e}\n{printed}"));
    assert_eq!(
        ast.without_spans(),
        reparsed.without_spans(),
        "round trip changed the tree"
    );
}

/// Checking never panics, and diagnostics point inside the text.
pub fn check(data: &[u8]) {
    let source = text(data);
    if let Ok(formula) = Formula::parse(&source) {
        for d in formula.diagnostics() {
            assert!(d.span.end <= source.len(), "diagnostic span past the end");
        }
    }
}

/// A pool and metric history built from fuzzer bytes.
#[derive(Debug, Arbitrary)]
pub struct FuzzContext {
    now_seconds: i32,
    target_dedicated: f64,
    target_low_priority: f64,
    current_dedicated: f64,
    slots: f64,
    pending: Vec<Option<f64>>,
    cpu: Vec<Option<f64>>,
    period_seconds: u16,
    seed: u64,
}

impl FuzzContext {
    /// The evaluation context.
    pub fn context(&self) -> EvalContext {
        let now = Timestamp::from_ticks(i64::from(self.now_seconds) * 10_000_000)
            .unwrap_or(Timestamp::UNIX_EPOCH);
        let period = TimeInterval::from_seconds(i64::from(self.period_seconds.max(1)));
        EvalContext::builder(now)
            .target_dedicated_nodes(self.target_dedicated)
            .target_low_priority_nodes(self.target_low_priority)
            .current_dedicated_nodes(self.current_dedicated)
            .task_slots_per_node(self.slots)
            .metric(
                Metric::PendingTasks,
                Series::regular(period, now, &self.pending),
            )
            .metric(Metric::CpuPercent, Series::regular(period, now, &self.cpu))
            .seed(self.seed)
            .build()
    }
}

/// Evaluation of an arbitrary formula on an arbitrary context never panics
/// and gives the same bytes twice.
pub fn evaluate(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(fuzz) = FuzzContext::arbitrary(&mut u) else {
        return;
    };
    let rest = u.take_rest();
    let Ok(formula) = Formula::parse(&text(rest)) else {
        return;
    };
    let ctx = fuzz.context();
    let first = formula.evaluate(&ctx);
    assert_eq!(
        first,
        formula.evaluate(&ctx),
        "evaluation is not deterministic"
    );
    // A warm evaluator, run twice, answers as a fresh one: nothing of one
    // run (variables, resolved windows, targets) leaks into the next.
    // Compared through `Debug` so that NaN and -0 count.
    let mut evaluator = formula.evaluator();
    let once = evaluator.run(&ctx);
    let once_results = once.as_ref().map(|o| evaluator.results(o)).ok();
    let again = evaluator.run(&ctx);
    let again_results = again.as_ref().map(|o| evaluator.results(o)).ok();
    assert_eq!(
        format!("{once:?} {once_results:?}"),
        format!("{again:?} {again_results:?}"),
        "a reused evaluator answers differently"
    );
    // The path `run` picks (the fast tier when the program has one)
    // answers exactly as the one evaluator alone.
    let general = evaluator.run_observed(&ctx, &mut crate::eval::Silent);
    let general_results = general.as_ref().map(|o| evaluator.results(o)).ok();
    assert_eq!(
        format!("{once:?} {once_results:?}"),
        format!("{general:?} {general_results:?}"),
        "the fast tier and the one evaluator disagree"
    );
    let first_results = once.is_ok().then(|| first.results.clone());
    assert_eq!(
        once_results, first_results,
        "Formula::evaluate and Evaluator::run disagree"
    );
}

/// Formatting any f64 gives stable, non-empty text.
pub fn format(data: &[u8]) {
    let mut bytes = [0u8; 8];
    for (b, d) in bytes.iter_mut().zip(data) {
        *b = *d;
    }
    let x = f64::from_le_bytes(bytes);
    let mut a = String::new();
    format_double(x, &mut a);
    assert!(!a.is_empty());
    if x.is_finite() {
        let back: f64 = a.parse().unwrap_or_else(|_| panic!("{a} is not a number"));
        let tolerance = x.abs() * 1e-5;
        assert!((back - x).abs() <= tolerance, "{x} printed as {a}");
    }
}

/// Context JSON files load or fail with an error that names the file.
pub fn context_json(data: &[u8]) {
    if let Err(e) = load_context_json("fuzz.json", data) {
        assert_eq!(e.file, "fuzz.json");
    }
}

/// Metric CSV files load or fail with an error that names the file.
pub fn metrics_csv(data: &[u8]) {
    let mut ctx = EvalContext::new(Timestamp::UNIX_EPOCH);
    if let Err(e) = load_metrics_csv("fuzz.csv", data, &mut ctx) {
        assert_eq!(e.file, "fuzz.csv");
    }
}

/// Extraction from every carrier (JSON, Bicep, Terraform through hcl-edit,
/// Nextflow, plain) and `check` of what is found never panic; diagnostics
/// point inside the file.
pub fn extract(data: &[u8]) {
    use crate::extract::{extract as find, Carrier};
    use crate::lint::{check_formula, CheckOptions};
    let source = text(data);
    for carrier in [
        Carrier::Plain,
        Carrier::Json,
        Carrier::Bicep,
        Carrier::Terraform,
        Carrier::Nextflow,
    ] {
        let Ok(found) = find("fuzz", &source, carrier, &[]) else {
            continue;
        };
        // The readers' own findings (intervals, interpolations, directives,
        // near-miss keys) point inside the file too.
        for d in &found.diagnostics {
            assert!(
                d.span.start <= d.span.end && d.span.end <= source.len(),
                "a reader's finding past the end of the file"
            );
        }
        for e in &found.formulas {
            for d in check_formula(&e.formula.text, &CheckOptions::default()) {
                let host = e.formula.host_span(d.span);
                assert!(
                    host.end <= source.len(),
                    "mapped span past the end of the file"
                );
            }
        }
    }
}

/// Scenario TOML loads or fails with an error that names the file.
pub fn scenario(data: &[u8]) {
    if let Err(e) = crate::sim::scenario::LoadedScenario::parse("fuzz.toml", &text(data)) {
        assert_eq!(e.file, "fuzz.toml");
    }
}

/// `check --no-service-limits` as the CLI runs it: every diagnostic of a
/// formula up to the hard cap, rendered and recorded against one line index.
/// The complexity pass (.ci/complexity.sh) feeds it inputs at the cap.
pub fn check_lifted(data: &[u8]) {
    use crate::diagnostics::{render_indexed, Record, SourceIndex};
    use crate::lint::{check_formula, CheckOptions};
    let source = text(data);
    let options = CheckOptions {
        limits: Limits::LIFTED,
        ..CheckOptions::default()
    };
    let index = SourceIndex::new(&source);
    for d in check_formula(&source, &options) {
        assert!(d.span.end <= source.len(), "diagnostic span past the end");
        let _ = render_indexed(&index, "f", &d, false);
        let _ = Record::indexed("f", &index, &d);
    }
}

/// `fmt` of a formula with comments: every comment survives, the result parses
/// to the same tree, and formatting it again changes nothing.
pub fn fmt_comments(data: &[u8]) {
    let source = text(data);
    let Ok(ast) = syntax::parse(&source, &Limits::LIFTED) else {
        return;
    };
    let Ok(formatted) = crate::format::format_formula(&source) else {
        panic!("a formula that parses does not format");
    };
    let reparsed = syntax::parse(&formatted, &Limits::LIFTED)
        .unwrap_or_else(|e| panic!("formatted formula does not parse: {e}\n{formatted}"));
    // Every comment is still a comment, as often as before: counted by text
    // (searching the output for each one was quadratic in the harness).
    let body = |text: &str, c: &crate::span::Span| {
        text.get(c.start..c.end)
            .unwrap_or("")
            .trim_end()
            .to_string()
    };
    let mut kept: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for c in &reparsed.comments {
        *kept.entry(body(&formatted, c)).or_default() += 1;
    }
    for c in &ast.comments {
        let text = body(&source, c);
        match kept.get_mut(&text) {
            Some(n) if *n > 0 => *n -= 1,
            _ => panic!("comment {text:?} lost:\n{formatted}"),
        }
    }
    assert_eq!(
        ast.without_spans(),
        reparsed.without_spans(),
        "fmt changed the tree"
    );
    let again = crate::format::format_formula(&formatted).unwrap_or_default();
    assert_eq!(again, formatted, "fmt is not idempotent");
}

/// Longest buffer the `repl` harness re-scans on every line to compare the
/// incremental continuation rule with the rule over the whole buffer; past
/// it, the two are compared where the input ends. Re-scanning every line of
/// a 40,000-line input made the harness itself quadratic (the complexity
/// pass's `long-continuation` input: minutes of CPU), not the REPL.
const REPL_RESCAN_BYTES: usize = 4096;

/// REPL input, line by line as a piped session feeds it: the incremental
/// continuation rule agrees with the rule over the whole input, and no input
/// panics. Commands that touch files are skipped (a fuzzer must not write).
pub fn repl(data: &[u8]) {
    use crate::repl::{needs_more, Continuation, Repl};
    let source = text(data);
    let mut repl = Repl::new(
        EvalContext::new(Timestamp::UNIX_EPOCH),
        Limits::default(),
        false,
    );
    let mut rule = Continuation::new();
    let mut buffer = String::new();
    for line in source.split('\n') {
        let word = line.trim_start();
        if [":load", ":save", ":context", ":samples"]
            .iter()
            .any(|c| word.starts_with(c))
        {
            continue;
        }
        if !buffer.is_empty() {
            buffer.push('\n');
        }
        buffer.push_str(line);
        let more = rule.push(line);
        if !more || buffer.len() <= REPL_RESCAN_BYTES {
            assert_eq!(
                more,
                needs_more(&buffer),
                "continuation differs on {buffer:?}"
            );
        }
        if more {
            continue;
        }
        let reply = repl.handle(&buffer);
        buffer.clear();
        rule = Continuation::new();
        if reply.quit {
            return;
        }
    }
    // An input still open at the end: both rules must say so.
    if !buffer.is_empty() {
        assert!(needs_more(&buffer), "continuation differs on {buffer:?}");
    }
}

/// Rendering a diagnostic anywhere in any text: no control character reaches
/// the output raw, the header names the span's true line and column, and the
/// output stays bounded however long the text's lines are.
pub fn render(data: &[u8]) {
    use crate::diagnostics::{render_indexed, Diagnostic, Record, SourceIndex};
    use crate::span::Span;
    let (head, rest) = data.split_at(data.len().min(8));
    let mut offsets = [0u8; 8];
    for (o, h) in offsets.iter_mut().zip(head) {
        *o = *h;
    }
    let source = text(rest);
    let at = |i: usize| {
        let byte = |j: usize| offsets.get(j).copied().unwrap_or(0);
        usize::from(u16::from_le_bytes([byte(i), byte(i + 1)])) % (source.len() + 2)
    };
    let (start, end) = (at(0), at(2));
    let span = Span::new(start.min(end), start.max(end));
    let label = Span::new(at(4), at(4) + at(6) % 16);
    let d = Diagnostic::error("syntax-error", "message \u{1b}[2J", span)
        .with_label(label, "label \r::error::x")
        .with_help("help \u{9b}");
    let index = SourceIndex::new(&source);
    let shown = render_indexed(&index, "f", &d, false);
    assert!(
        !shown
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "raw control character in {shown:?}"
    );
    let position = index.line_col(span.start);
    let header = format!("--> f:{}:{}\n", position.line, position.column);
    assert!(
        shown.contains(&header),
        "header is not {header:?}:\n{shown}"
    );
    // 16 lines of at most ~240 bytes, each byte escaped to at most 8: 32 KiB.
    assert!(shown.len() < 64 << 10, "{} bytes rendered", shown.len());
    let record = Record::indexed("f", &index, &d);
    assert_eq!(
        (record.line, record.column),
        (position.line, position.column)
    );
}

/// A fuzz harness: takes the fuzzer's bytes, panics when an invariant breaks.
pub type Harness = fn(&[u8]);

/// Every harness, by target name.
pub const TARGETS: &[(&str, Harness)] = &[
    ("parse", parse),
    ("roundtrip", roundtrip),
    ("check", check),
    ("evaluate", evaluate),
    ("format", format),
    ("context_json", context_json),
    ("metrics_csv", metrics_csv),
    ("extract", extract),
    ("scenario", scenario),
    ("check_lifted", check_lifted),
    ("fmt_comments", fmt_comments),
    ("repl", repl),
    ("render", render),
];
