//! `batchscale check`: validate every formula in the given files and report
//! every problem, as text, JSON lines, GitHub annotations or the service's form.

use std::fmt::Write as _;

use clap::{Args, ValueEnum};

use super::completions::RuleCode;
use super::io::{errln, out, read_bytes};
use super::output::{ColorWhen, Sink};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::config::{Config, Discovery};
use crate::diagnostics::{
    escape_controls, render_indexed, service_text, Diagnostic, Record, Severity, SourceIndex,
};
use crate::extract::{extract, Carrier};
use crate::input::decode_text;
use crate::limits::Limits;
use crate::lint::{check_formula, explain, rule, CheckOptions, Policy, RULES};

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Rustc-style text with the source line and a caret.
    Text,
    /// One JSON record per line.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
    /// The service's `Line L, Col C: message` text, positions within the formula.
    Service,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// JUnit XML, for CI test tabs.
    Junit,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// Azure Pipelines `##vso[task.logissue]` commands.
    Azure,
    /// Checkstyle XML.
    Checkstyle,
}

/// Arguments of `batchscale check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub output_file: Option<String>,
    /// Exit 0 even when errors are found (input and usage errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Apply the safe fixes (a missing `;`) to the files, then report what is left.
    #[arg(long)]
    pub fix: bool,
    /// With `--fix`, also apply the unsafe fixes (a did-you-mean name for
    /// one that does not resolve): guesses a person should review.
    #[arg(long, requires = "fix")]
    pub unsafe_fixes: bool,
    /// When to colour the text report.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// Do not report this code (warnings and infos only); repeatable.
    #[arg(long, value_name = "CODE", value_parser = RuleCode { warnings: false }, hide_possible_values = true)]
    pub allow: Vec<String>,
    /// Report this code as an error; `--deny warnings` denies every warning; repeatable.
    #[arg(long, value_name = "CODE", value_parser = RuleCode { warnings: true }, hide_possible_values = true)]
    pub deny: Vec<String>,
    /// Print the explanation of a code and exit; with no code, list every
    /// code with its one-line summary.
    #[arg(long, value_name = "CODE", num_args = 0..=1, default_missing_value = "", value_parser = RuleCode { warnings: false }, hide_possible_values = true)]
    pub explain: Option<String>,
    /// Fill a template placeholder (`{{NAME}}`, `{NAME}`, `${NAME}`); repeatable.
    #[arg(long, value_name = "NAME=VALUE")]
    pub define: Vec<String>,
    #[command(flatten)]
    /// Limits.
    pub limits: SyntaxLimitArgs,
    /// Read standard input (`-`) as this file: its extension picks the
    /// reader, and reports name it.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Files to check (formula files, ARM/az/Terraform-plan JSON, Bicep, Terraform, Nextflow config), `-` for stdin; a directory is walked for *.formula, *.json, *.jsonc, *.bicep, *.tf and *.config files.
    #[arg(value_name = "PATHS")]
    pub paths: Vec<std::ffi::OsString>,
    /// Leave out files and directories matching GLOB (`.gitignore` syntax,
    /// relative to the directory walked) when walking; repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
}

/// The limits `check` enforces: those of the text. `check` evaluates
/// nothing, so it offers no evaluation budget.
#[derive(Debug, Args, Clone, Copy)]
pub struct SyntaxLimitArgs {
    /// Longest formula in characters (service: 8192).
    #[arg(long, value_name = "N")]
    pub max_chars: Option<usize>,
    /// Most statements (service: 100).
    #[arg(long, value_name = "N")]
    pub max_statements: Option<usize>,
    /// Deepest expression nesting (default 64).
    #[arg(long, value_name = "N")]
    pub max_nesting: Option<usize>,
    /// Lift every limit to its hard cap.
    #[arg(long)]
    pub no_service_limits: bool,
}

impl SyntaxLimitArgs {
    /// The limits the service applies, or their hard caps with
    /// `--no-service-limits`: what the flags override.
    pub fn base(&self) -> Limits {
        if self.no_service_limits {
            Limits::LIFTED
        } else {
            Limits::default()
        }
    }

    /// `limits` with the limits these flags set put over it.
    pub fn over(&self, mut limits: Limits) -> Limits {
        if let Some(n) = self.max_chars {
            limits.max_chars = n;
        }
        if let Some(n) = self.max_statements {
            limits.max_statements = n;
        }
        if let Some(n) = self.max_nesting {
            limits.max_nesting = n;
        }
        limits
    }

    /// The limits these flags select.
    pub fn limits(&self) -> Limits {
        self.over(self.base()).clamped()
    }
}

/// One diagnostic placed in its file.
struct Placed {
    /// In file coordinates.
    diagnostic: Diagnostic,
    /// The formula's own position, for the service form: (formula text, span in it).
    /// The formula's text (shared by its diagnostics, not copied for each)
    /// and the span in it, for the service's formula-relative position.
    formula_text: Option<(std::rc::Rc<str>, crate::span::Span)>,
}

/// Everything reported about one file.
pub struct FileReport {
    origin: String,
    source: String,
    placed: Vec<Placed>,
    formulas: usize,
}

/// Checks one file's text; `Err` is an input error (bad JSON) already rendered.
pub fn check_text(
    origin: &str,
    text: &str,
    defines: &[(String, String)],
    options: &CheckOptions,
    policy: &Policy,
) -> Result<FileReport, String> {
    let carrier = Carrier::detect(origin, text);
    let found = extract(origin, text, carrier, defines).map_err(|e| e.to_string())?;
    let mut placed: Vec<Placed> = policy
        .apply(found.diagnostics)
        .into_iter()
        .map(|diagnostic| Placed {
            diagnostic,
            formula_text: None,
        })
        .collect();
    for e in &found.formulas {
        let opts = CheckOptions {
            placeholders_are_info: e.template,
            ..options.clone()
        };
        let shared: std::rc::Rc<str> = std::rc::Rc::from(e.formula.text.as_str());
        for d in policy.apply(check_formula(&e.formula.text, &opts)) {
            let local = d.span;
            let mut host = d.clone();
            if let Some(hint) = hint_for(&e.hints, local) {
                host.help = Some(match host.help {
                    Some(help) => format!("{help}; {hint}"),
                    None => hint.to_string(),
                });
            }
            host.span = e.formula.host_span(d.span);
            for l in &mut host.labels {
                l.span = e.formula.host_span(l.span);
            }
            if let Some(f) = &host.fix {
                // An edit is only made where the formula is verbatim in the
                // file: an escape inside the span would be lost.
                let mapped = e.formula.host_span(f.span);
                host.fix = (mapped.len() == f.span.len()).then(|| crate::diagnostics::Fix {
                    span: mapped,
                    ..f.clone()
                });
            }
            placed.push(Placed {
                diagnostic: host,
                formula_text: Some((std::rc::Rc::clone(&shared), local)),
            });
        }
    }
    placed.sort_by_key(|p| (p.diagnostic.span.start, p.diagnostic.span.end));
    // Variants of one formula (a Terraform directive's branches) share text,
    // so the same finding may come from each: report it once.
    let mut seen = std::collections::HashSet::new();
    placed.retain(|p| {
        let d = &p.diagnostic;
        seen.insert((d.span, d.code, d.message.clone()))
    });
    Ok(FileReport {
        origin: origin.to_string(),
        source: text.to_string(),
        placed,
        formulas: found.formulas.len(),
    })
}

/// The help a carrier gives for a finding at `span` of its formula.
fn hint_for(hints: &[(crate::span::Span, String)], span: crate::span::Span) -> Option<&str> {
    let end = span.end.max(span.start + 1);
    hints
        .iter()
        .find(|(at, _)| span.start < at.end && at.start < end)
        .map(|(_, hint)| hint.as_str())
}

impl FileReport {
    /// Counts of errors, warnings and infos.
    pub fn counts(&self) -> [usize; 3] {
        let n = |s: Severity| {
            self.placed
                .iter()
                .filter(|p| p.diagnostic.severity == s)
                .count()
        };
        [n(Severity::Error), n(Severity::Warning), n(Severity::Info)]
    }

    /// The file's name as given.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The file's text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The diagnostics, in file coordinates, in order of position.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.placed.iter().map(|p| &p.diagnostic)
    }

    /// The report in `format` (`color` for text only); a document format
    /// (SARIF, JUnit…) gives the document of this one file.
    pub fn render(&self, format: CheckFormat, color: bool) -> String {
        if !matches!(
            format,
            CheckFormat::Text | CheckFormat::Json | CheckFormat::Github | CheckFormat::Service
        ) {
            return super::output::render(format, std::slice::from_ref(self), color);
        }
        let mut out = String::new();
        let index = SourceIndex::new(&self.source);
        // The line index of the formula the last diagnostic was in: one
        // formula's diagnostics are adjacent, so each text is indexed once.
        let mut formula_index: Option<(std::rc::Rc<str>, SourceIndex)> = None;
        for p in &self.placed {
            let d = &p.diagnostic;
            match format {
                CheckFormat::Text => {
                    let _ = writeln!(out, "{}", render_indexed(&index, &self.origin, d, color));
                }
                CheckFormat::Json => {
                    let record = Record::indexed(&self.origin, &index, d);
                    let mut value = serde_json::to_value(&record).unwrap_or_default();
                    if let (Some(fix), Some(obj)) = (&d.fix, value.as_object_mut()) {
                        obj.insert("fix".to_string(), json_fix(&index, fix));
                    }
                    let _ = writeln!(out, "{value}");
                }
                CheckFormat::Github => {
                    let _ = writeln!(out, "{}", github(&self.origin, &index, d));
                }
                CheckFormat::Service => {
                    let text = match &p.formula_text {
                        Some((formula, span)) => {
                            let same = formula_index
                                .as_ref()
                                .is_some_and(|(f, _)| std::rc::Rc::ptr_eq(f, formula));
                            if !same {
                                formula_index =
                                    Some((std::rc::Rc::clone(formula), SourceIndex::new(formula)));
                            }
                            match &formula_index {
                                Some((_, fi)) => {
                                    let at = fi.line_col(span.start);
                                    format!("Line {}, Col {}: {}", at.line, at.column, d.message)
                                }
                                None => service_text(formula, *span, &d.message),
                            }
                        }
                        None => {
                            let at = index.line_col(d.span.start);
                            format!("Line {}, Col {}: {}", at.line, at.column, d.message)
                        }
                    };
                    let line = format!("{}: {} [{}]", self.origin, text, d.code);
                    let _ = writeln!(out, "{}", escape_controls(&line));
                }
                _ => {}
            }
        }
        out
    }
}

/// The `fix` of a JSON record: an insertion as `insert` at a position (the
/// shape since `--fix` came), a replacement as `replace` of a range, and
/// `unsafe: true` on a fix only `--unsafe-fixes` applies.
fn json_fix(index: &SourceIndex<'_>, fix: &crate::diagnostics::Fix) -> serde_json::Value {
    let at = index.line_col(fix.span.start);
    let mut value = if fix.span.is_empty() {
        serde_json::json!({
            "line": at.line,
            "column": at.column,
            "insert": fix.replacement,
        })
    } else {
        let end = index.line_col(fix.span.end);
        serde_json::json!({
            "line": at.line,
            "column": at.column,
            "end_line": end.line,
            "end_column": end.column,
            "replace": fix.replacement,
        })
    };
    if let (crate::diagnostics::Applicability::Unsafe, Some(obj)) =
        (fix.applicability, value.as_object_mut())
    {
        obj.insert("unsafe".to_string(), serde_json::Value::Bool(true));
    }
    value
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A GitHub Actions workflow command for `d`.
fn github(origin: &str, index: &SourceIndex<'_>, d: &Diagnostic) -> String {
    let record = Record::indexed(origin, index, d);
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        escape_property(origin),
        record.line,
        record.column,
        record.end_line,
        record.end_column,
        escape_property(d.code),
        escape_data(&message)
    )
}

fn parse_defines(defines: &[String]) -> Result<Vec<(String, String)>, String> {
    let mut parsed: Vec<(String, String)> = Vec::new();
    for d in defines {
        let Some((name, value)) = d.split_once('=').filter(|(n, _)| !n.trim().is_empty()) else {
            return Err(format!("--define `{d}`: expected NAME=VALUE"));
        };
        let name = name.trim();
        // Keeping one of two values silently would check a formula nobody wrote.
        if parsed.iter().any(|(n, _)| n == name) {
            return Err(format!(
                "--define `{name}` is given twice; give each name once"
            ));
        }
        parsed.push((name.to_string(), value.to_string()));
    }
    Ok(parsed)
}

fn policy(args: &CheckArgs) -> Result<Policy, String> {
    policy_of(&args.allow, &args.deny, ("--allow", "--deny"))
}

/// The policy of `allow` and `deny` codes; `flags` name where they come from
/// in error messages.
fn policy_of(allow: &[String], deny: &[String], flags: (&str, &str)) -> Result<Policy, String> {
    let mut policy = Policy::default();
    for code in allow {
        let r = rule(code).ok_or_else(|| unknown_code(flags.0, code))?;
        if r.severity == Severity::Error {
            return Err(format!(
                "{} {code}: `{code}` is an error the service would report; it cannot be allowed",
                flags.0
            ));
        }
        policy.allow.push(code.clone());
    }
    for code in deny {
        if code == "warnings" {
            policy.deny_warnings = true;
        } else {
            rule(code).ok_or_else(|| unknown_code(flags.1, code))?;
            policy.deny.push(code.clone());
        }
    }
    Ok(policy)
}

/// Every code, its severity and its one-line summary, one per line.
fn list_codes() -> String {
    let width = RULES.iter().map(|r| r.code.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in RULES {
        let _ = writeln!(
            out,
            "{:<width$}  {:<7}  {}",
            r.code,
            r.severity.as_str(),
            r.summary
        );
    }
    out
}

/// What one file is checked with.
struct FileSetup {
    policy: Policy,
    defines: Vec<(String, String)>,
    options: CheckOptions,
}

/// The policy, placeholders and limits for one file: the command line's,
/// added to (for codes) or winning over (for definitions and limits) those of
/// the file's configuration.
fn file_setup(
    args: &CheckArgs,
    config: Option<&Config>,
    path: &str,
    defines: &[(String, String)],
) -> Result<FileSetup, String> {
    let Some(config) = config else {
        let options = CheckOptions {
            limits: args.limits.limits(),
            placeholders_are_info: false,
            max_syntax_errors: 0,
        };
        return Ok(FileSetup {
            policy: policy(args)?,
            defines: defines.to_vec(),
            options,
        });
    };
    let settings = config.for_file(std::path::Path::new(path));
    let shown = config.path.display();
    let allow: Vec<String> = settings.allow.iter().chain(&args.allow).cloned().collect();
    let deny: Vec<String> = settings.deny.iter().chain(&args.deny).cloned().collect();
    let names = (format!("{shown}: allow"), format!("{shown}: deny"));
    // A bad code in the file is reported against the file; one on the
    // command line was already reported against its flag.
    let policy = policy_of(&allow, &deny, (&names.0, &names.1))?;
    let mut all = defines.to_vec();
    for (name, value) in settings.define {
        if !all.iter().any(|(n, _)| *n == name) {
            all.push((name, value));
        }
    }
    // The configuration's limits over the base, the command line's over both.
    let limits = args.limits.over(config.limits(args.limits.base()));
    let options = CheckOptions {
        limits: limits.clamped(),
        placeholders_are_info: false,
        max_syntax_errors: 0,
    };
    Ok(FileSetup {
        policy,
        defines: all,
        options,
    })
}

fn unknown_code(flag: &str, code: &str) -> String {
    let mut message = format!("{flag} {code}: unknown code");
    if let Some(s) = crate::input::did_you_mean(code, RULES.iter().map(|r| r.code)) {
        let _ = write!(message, " (did you mean `{s}`?)");
    }
    message
}

/// Runs `batchscale check`.
pub fn run(args: &CheckArgs) -> i32 {
    if args.explain.as_deref() == Some("") {
        out!("{}", list_codes());
        return EXIT_OK;
    }
    if let Some(code) = &args.explain {
        return match explain(code) {
            Some(text) => {
                out!("{text}");
                EXIT_OK
            }
            None => {
                errln!("error: {}", unknown_code("--explain", code));
                EXIT_USAGE
            }
        };
    }
    // The command line's codes are checked once, before any file.
    let setup = policy(args).and_then(|_| parse_defines(&args.define));
    let defines = match setup {
        Ok(x) => x,
        Err(e) => {
            errln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    if args.paths.is_empty() {
        errln!("error: no files given (use `-` to read standard input)");
        return EXIT_USAGE;
    }
    let mut discovery = Discovery::default();
    let mut fixed_total = 0usize;
    // Unsafe fixes reported but not applied, for the note after `--fix`.
    let mut unsafe_left = 0usize;
    let color = if args.format == CheckFormat::Text {
        args.color
    } else {
        ColorWhen::Never
    };
    let mut sink = match Sink::open(args.format, color, args.output_file.as_deref()) {
        Ok(sink) => sink,
        Err(e) => {
            errln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let expanded = super::walk::expand(&args.paths, &args.exclude);
    let mut input_failed = !expanded.errors.is_empty();
    for e in &expanded.errors {
        errln!("error: {e}");
    }
    for note in &expanded.notes {
        errln!("note: {note}");
    }
    let (inputs, walks) = (expanded.inputs, expanded.walks);
    let mut totals = [0usize; 3];
    let mut files = 0;
    let mut walked_with_formulas = 0;
    for input in &inputs {
        let shown = input.display();
        let origin = match (input.is_stdin(), &args.stdin_filename) {
            (true, Some(name)) => name.as_str(),
            (true, None) => "<stdin>",
            (false, _) => shown.as_str(),
        };
        // Configuration is found by the path as shown (lossy where a name is
        // not UTF-8); the file itself is read by its exact path.
        let path = shown.as_str();
        let config = match discovery.find(path) {
            Ok(config) => config,
            Err(e) => {
                errln!("error: {e}");
                return EXIT_USAGE;
            }
        };
        // A file named on the command line is checked whatever the
        // configuration's include and exclude say; they select what a walked
        // directory contributes.
        if input.walked && config.as_ref().is_some_and(|c| !c.selects(&input.path)) {
            continue;
        }
        let FileSetup {
            policy,
            defines,
            options,
        } = match file_setup(args, config.as_deref(), path, &defines) {
            Ok(setup) => setup,
            Err(e) => {
                errln!("error: {e}");
                return EXIT_USAGE;
            }
        };
        let limit = Limits::MAX_FORMULA_BYTES * 64;
        let text = read_input(input, limit).and_then(|b| decode_text(&shown, &b, limit));
        let mut report = text
            .map_err(|e| e.to_string())
            .and_then(|t| check_text(origin, &t, &defines, &options, &policy));
        if let (true, Ok(checked)) = (args.fix && !input.is_stdin(), &report) {
            let carrier = Carrier::detect(origin, checked.source());
            let which = if args.unsafe_fixes {
                super::fix::Fixes::SafeAndUnsafe
            } else {
                super::fix::Fixes::Safe
            };
            let (fixed, count) =
                super::fix::apply(checked.source(), carrier, which, checked.diagnostics());
            if count > 0 {
                if let Err(e) = super::io::write_atomic(&input.path, fixed.as_bytes()) {
                    errln!("error: {origin}: cannot write the fixes: {e}");
                    return EXIT_USAGE;
                }
                fixed_total += count;
                // What is left is reported against the file as it now is.
                report = check_text(origin, &fixed, &defines, &options, &policy);
            }
        }
        match report {
            Ok(report) => {
                files += 1;
                unsafe_left += report
                    .diagnostics()
                    .filter_map(|d| d.fix.as_ref())
                    .filter(|f| f.applicability == crate::diagnostics::Applicability::Unsafe)
                    .count();
                for (t, c) in totals.iter_mut().zip(report.counts()) {
                    *t += c;
                }
                // A walked directory holds many JSON files without formulas;
                // they are counted in the walk's note rather than named.
                if input.walked {
                    walked_with_formulas += usize::from(report.formulas > 0);
                } else if report.formulas == 0 && args.format == CheckFormat::Text {
                    errln!("note: {origin}: no formula found");
                }
                if let Err(e) = sink.add(report) {
                    errln!("error: cannot write the report: {e}");
                    return EXIT_USAGE;
                }
            }
            Err(e) => {
                errln!("error: {e}");
                input_failed = true;
            }
        }
    }
    if let Err(e) = sink.finish() {
        errln!("error: cannot write the report: {e}");
        return EXIT_USAGE;
    }
    if args.format == CheckFormat::Text {
        for walk in &walks {
            errln!(
                "note: {}: {} file{} of a kind `check` reads (*.formula, *.json, *.jsonc, *.bicep, *.tf, *.config)",
                walk.root,
                walk.files,
                plural(walk.files)
            );
        }
        if !walks.is_empty() {
            errln!("note: {walked_with_formulas} of the files found in directories hold formulas");
        }
        if args.fix {
            errln!("fixed {fixed_total} problem{}", plural(fixed_total));
            if unsafe_left > 0 && !args.unsafe_fixes {
                errln!(
                    "note: {unsafe_left} unsafe fix{} left; apply them with `--unsafe-fixes`",
                    if unsafe_left == 1 { "" } else { "es" }
                );
            }
        }
        let [e, w, i] = totals;
        errln!(
            "checked {files} file{}: {e} error{}, {w} warning{}, {i} info",
            plural(files),
            plural(e),
            plural(w)
        );
    }
    if input_failed {
        EXIT_USAGE
    } else if totals[0] > 0 && !args.exit_zero {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

/// Reads an input's bytes, the path as it is (not UTF-8 is fine), through
/// the same limit as every other read: at most one byte past `limit`, so that
/// the size check reports a large file.
fn read_input(
    input: &super::walk::Input,
    limit: usize,
) -> Result<Vec<u8>, crate::input::InputError> {
    if input.is_stdin() {
        return read_bytes("-", limit);
    }
    let shown = input.display();
    let file = std::fs::File::open(&input.path)
        .map_err(|e| crate::input::InputError::new(&shown, format!("cannot read: {e}")))?;
    crate::input::read_limited(&shown, file, limit)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
