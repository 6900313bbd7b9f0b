//! The `:` commands: their table (read by `:help` and completion), parsing
//! and execution.

use std::fmt::Write;

use super::{check_formula, help, pool, typed, Repl, Reply};
use crate::context::{load_context_json, load_metrics_csv, EvalContext};
use crate::diagnostics::{escape_controls, render};
use crate::input::{decode_text, did_you_mean};
use crate::limits::Limits;
use crate::value::{ParseError, Timestamp, TIME_RANGE};

/// One row of the command table.
#[derive(Debug, Clone, Copy)]
pub struct CommandInfo {
    /// The command, with its `:`.
    pub name: &'static str,
    /// Its arguments.
    pub usage: &'static str,
    /// What it does.
    pub doc: &'static str,
}

macro_rules! command {
    ($name:literal, $usage:literal, $doc:literal) => {
        CommandInfo {
            name: $name,
            usage: $usage,
            doc: $doc,
        }
    };
}

/// Every command.
pub const COMMANDS: &[CommandInfo] = &[
    command!(":help", "[NAME]", "List the commands, or show the docs of a function, method, variable, constant, member or command."),
    command!(":load", "FILE", "Run a formula file into the session."),
    command!(":context", "FILE", "Replace the evaluation context (now, pool, metrics, seed) with a context JSON file."),
    command!(":now", "RFC3339", "Set the evaluation instant, e.g. :now 2025-04-24T12:00:00Z."),
    command!(":advance", "DURATION", "Move the clock forward (5m, 90s, 1h30m, 2d, PT5M; a leading - moves it back)."),
    command!(":pool", "[FIELD=VALUE ...]", "Set pool fields (targetDedicatedNodes, targetLowPriorityNodes, nodeDeallocationOption, currentDedicatedNodes, currentLowPriorityNodes, taskSlotsPerNode, usableNodeCount); alone, show the pool."),
    command!(":samples", "$METRIC (V ... | FILE.csv)", "Replace a metric's history: values oldest first, `_` for a missing sample, the newest at now, one per sampling period (30 s unless the history had another); or the metric's column of a metrics CSV file."),
    command!(":results", "", "The results string the service would print for the statements so far, evaluated afresh against the current context."),
    command!(":json", "", "The AutoScaleRun the service would return for the statements so far."),
    command!(":explain", "", "The statements so far evaluated afresh, each with its value and why: windows read, samples found against the percentage required, branches taken, min/max picks; then the targets and the results string."),
    command!(":vars", "", "The user variables and their values."),
    command!(":type", "EXPR", "The type of an expression's value."),
    command!(":check", "", "Check the statements entered so far and list the problems found."),
    command!(":save", "FILE", "Write the statements entered so far, formatted, as a new formula file (:save! FILE replaces an existing one)."),
    command!(":reset", "", "Forget every statement and variable (the context stays)."),
    command!(":quit", "", "Leave (Ctrl-D does the same)."),
];

/// A parsed command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `:help [NAME]`
    Help(Option<String>),
    /// `:load FILE`
    Load(String),
    /// `:context FILE`
    Context(String),
    /// `:now RFC3339`
    Now(String),
    /// `:advance DURATION`
    Advance(String),
    /// `:pool FIELD=VALUE ...`
    Pool(Vec<String>),
    /// `:samples $METRIC ...`
    Samples(String, Vec<String>),
    /// `:results`
    Results,
    /// `:json`
    Json,
    /// `:explain`
    Explain,
    /// `:vars`
    Vars,
    /// `:type EXPR`
    Type(String),
    /// `:check`
    Check,
    /// `:save FILE` (`replace` false) or `:save! FILE` (`replace` true)
    Save {
        /// The file to write.
        file: String,
        /// Whether an existing file may be replaced.
        replace: bool,
    },
    /// `:reset`
    Reset,
    /// `:quit`
    Quit,
}

impl Command {
    /// Parses a command line (starting with `:`).
    pub fn parse(line: &str) -> Result<Command, String> {
        let line = line.trim();
        let (name, rest) = match line.split_once(char::is_whitespace) {
            Some((n, r)) => (n, r.trim()),
            None => (line, ""),
        };
        let words: Vec<String> = rest.split_whitespace().map(str::to_string).collect();
        let one = |what: &str| -> Result<String, String> {
            if rest.is_empty() {
                Err(format!(
                    "{name} needs {what} (:help {})",
                    name.trim_start_matches(':')
                ))
            } else {
                Ok(rest.to_string())
            }
        };
        let none = |c: Command| -> Result<Command, String> {
            if rest.is_empty() {
                Ok(c)
            } else {
                Err(format!("{name} takes no arguments, but was given `{rest}`"))
            }
        };
        match name {
            ":help" | ":h" | ":?" => {
                Ok(Command::Help((!rest.is_empty()).then(|| rest.to_string())))
            }
            ":load" => one("a formula file").map(Command::Load),
            ":context" => one("a context JSON file").map(Command::Context),
            ":now" => one("an RFC 3339 time").map(Command::Now),
            ":advance" => one("a duration such as 5m").map(Command::Advance),
            ":pool" => Ok(Command::Pool(words)),
            ":samples" => {
                let mut words = words.into_iter();
                match words.next() {
                    Some(metric) => Ok(Command::Samples(metric, words.collect())),
                    None => {
                        Err(":samples needs a metric, e.g. :samples $PendingTasks 4 5 _ 6".into())
                    }
                }
            }
            ":results" => none(Command::Results),
            ":json" => none(Command::Json),
            ":explain" => none(Command::Explain),
            ":vars" => none(Command::Vars),
            ":type" => one("an expression").map(Command::Type),
            ":check" => none(Command::Check),
            ":save" => one("a file name").map(|file| Command::Save {
                file,
                replace: false,
            }),
            ":save!" => one("a file name").map(|file| Command::Save {
                file,
                replace: true,
            }),
            ":reset" => none(Command::Reset),
            ":quit" | ":q" | ":exit" => none(Command::Quit),
            _ => {
                let hint = did_you_mean(name, COMMANDS.iter().map(|c| c.name))
                    .map(|s| format!("; did you mean {s}?"))
                    .unwrap_or_default();
                Err(format!(
                    "unknown command {name}{hint} (:help lists the commands)"
                ))
            }
        }
    }
}

impl Repl {
    /// Runs a command.
    pub(super) fn command(&mut self, command: Command) -> Reply {
        match command {
            Command::Help(topic) => match topic {
                None => Reply::ok(help::overview()),
                Some(name) => match help::topic(&name) {
                    Ok(text) => Reply::ok(text),
                    Err(e) => Reply::error(format!("error: {e}")),
                },
            },
            Command::Load(file) => self.load(&file),
            Command::Context(file) => self.load_context(&file),
            Command::Now(text) => match Timestamp::parse_rfc3339_checked(&text) {
                Ok(t) => {
                    self.context.now = t;
                    Reply::ok(format!("now = {t}"))
                }
                Err(ParseError::Malformed) => Reply::error(format!(
                    "error: `{text}` is not an RFC 3339 time with an offset (e.g. 2025-04-24T12:00:00Z)"
                )),
                Err(ParseError::OutOfRange) => {
                    Reply::error(format!("error: `{text}` is out of range: {TIME_RANGE}"))
                }
            },
            Command::Advance(text) => match pool::parse_duration(&text)
                .and_then(|d| self.context.now.checked_add(d).ok_or_else(|| format!("advancing by `{text}` leaves the range of timestamps")))
            {
                Ok(t) => {
                    self.context.now = t;
                    Reply::ok(format!("now = {t}"))
                }
                Err(e) => Reply::error(format!("error: {e}")),
            },
            Command::Pool(fields) => match pool::set_fields(&mut self.context.pool, &fields) {
                Ok(()) => Reply::ok(pool::describe(&self.context.pool)),
                Err(e) => Reply::error(format!("error: {e}")),
            },
            Command::Samples(metric, values) => match pool::set_samples(&mut self.context, &metric, &values) {
                Ok(text) => Reply::ok(text),
                Err(e) => Reply::error(format!("error: {e}")),
            },
            Command::Results => self.results(),
            Command::Json => {
                let run = self.session.run(&self.context);
                let failed = run.error.is_some();
                Reply {
                    text: run.to_json(),
                    failed,
                    quit: false,
                }
            }
            Command::Explain => {
                let text = self.session.formula_text();
                match crate::Formula::parse_with(&text, &self.session.limits()) {
                    Ok(formula) => {
                        let explanation = crate::explain::explain(&formula, &self.context);
                        Reply {
                            text: explanation.to_text(),
                            failed: explanation.failed(),
                            quit: false,
                        }
                    }
                    // A session with no statement yet is the only text that
                    // does not parse: every input was checked on entry.
                    Err(_) => Reply::error("error: no statements to explain yet"),
                }
            }
            Command::Vars => {
                let vars = self.session.variables();
                if vars.is_empty() {
                    return Reply::ok("no variables");
                }
                let mut out = String::new();
                for (name, value) in vars {
                    let _ = write!(out, "{name} = ");
                    typed(value, &mut out);
                    out.push('\n');
                }
                Reply::ok(out)
            }
            Command::Type(expr) => match self.session.value_of(&expr, &self.context) {
                Ok(value) => Reply::ok(value.type_of().to_string()),
                Err(rejected) => Reply::error(self.rejection(&expr, super::INPUT_ORIGIN, &rejected)),
            },
            Command::Check => {
                let text = self.session.formula_text();
                let diagnostics = check_formula(&text, &self.session.limits());
                if diagnostics.is_empty() {
                    return Reply::ok(format!("no problems found in {} statements", self.session.len()));
                }
                let mut out = String::new();
                for d in &diagnostics {
                    out.push_str(&render(&text, "<session>", d, self.color));
                }
                Reply::error(out)
            }
            Command::Save { file, replace } => {
                let shown = escape_controls(&file).into_owned();
                // Asking first keeps a typo from replacing a file the user
                // meant to keep; `:save!` says it is meant.
                if !replace && std::fs::symlink_metadata(&file).is_ok() {
                    return Reply::error(format!(
                        "error: {shown} exists; `:save! {shown}` replaces it"
                    ));
                }
                let text = self.session.formula_text();
                match crate::rewrite::write_atomic(std::path::Path::new(&file), text.as_bytes()) {
                    Ok(()) => Reply::ok(format!("saved {} statements to {shown}", self.session.len())),
                    Err(e) => Reply::error(format!("error: {shown}: cannot write: {e}")),
                }
            }
            Command::Reset => {
                self.session.reset();
                Reply::ok("session reset")
            }
            Command::Quit => Reply {
                text: String::new(),
                failed: false,
                quit: true,
            },
        }
    }

    /// Runs a formula file into the session (`:load`, and the file given on the
    /// command line).
    pub fn load(&mut self, file: &str) -> Reply {
        let text = match read_text(file, Limits::MAX_FORMULA_BYTES * 4) {
            Ok(t) => t,
            Err(e) => return Reply::error(format!("error: {e}")),
        };
        let before = self.session.len();
        let mut reply = self.statements(&text, file, true);
        if !reply.failed {
            let _ = write!(
                reply.text,
                "loaded {} statements from {file}",
                self.session.len() - before
            );
        }
        reply
    }

    fn load_context(&mut self, file: &str) -> Reply {
        let bytes = match crate::input::read_file(file, crate::context::MAX_CONTEXT_BYTES) {
            Ok(b) => b,
            Err(e) => return Reply::error(format!("error: {e}")),
        };
        match load_context_json(file, &bytes) {
            Ok(loaded) => {
                let mut context: EvalContext = loaded.context;
                if loaded.now.is_none() {
                    context.now = self.context.now;
                }
                if context.seed != self.context.seed {
                    self.session.reseed(context.seed);
                }
                self.context = context;
                Reply::ok(format!(
                    "context loaded from {file}; now = {}",
                    self.context.now
                ))
            }
            Err(e) => Reply::error(format!("error: {e}")),
        }
    }
}

/// Reads a text file the user named.
pub(super) fn read_text(file: &str, max_bytes: usize) -> Result<String, crate::input::InputError> {
    let bytes = crate::input::read_file(file, max_bytes)?;
    decode_text(file, &bytes, max_bytes)
}

/// Loads a metrics CSV into a scratch context (for `:samples $M FILE.csv`).
pub(super) fn metrics_from_csv(file: &str, now: Timestamp) -> Result<EvalContext, String> {
    let bytes =
        crate::input::read_file(file, crate::context::MAX_CSV_BYTES).map_err(|e| e.to_string())?;
    let mut scratch = EvalContext::new(now);
    load_metrics_csv(file, &bytes, &mut scratch).map_err(|e| e.to_string())?;
    Ok(scratch)
}
