//! `batchscale replay`: what a formula would have asked for over a pool's
//! recorded metrics.

use std::path::Path;

use clap::{Args, ValueEnum};

use super::eval::load_context;
use super::io::{err, errln, out, read_formula, stderr_color};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::diagnostics::{render, Diagnostic};
use crate::sim::chart;
use crate::sim::replay::{self, ReplayEvaluation, ReplayOptions};
use crate::value::{TimeInterval, Timestamp};
use crate::{EvalContext, Formula};

/// What `replay` prints on standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReplayFormat {
    /// The summary.
    Text,
    /// The timeline as CSV.
    Csv,
    /// The timeline as JSON.
    Json,
}

/// Arguments of `batchscale replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// Recorded metrics CSV (the `eval --metrics` format).
    #[arg(long, value_name = "CSV")]
    pub metrics: String,
    /// The pool's state before the first evaluation (the `eval --context` format).
    #[arg(long, value_name = "FILE")]
    pub context: Option<String>,
    /// Time between evaluations (ISO 8601).
    #[arg(long, value_name = "DURATION", default_value = "PT15M")]
    pub interval: String,
    /// How long a sample takes to become visible to the formula (ISO 8601).
    #[arg(long, value_name = "DURATION", default_value = "PT60S")]
    pub delay: String,
    /// The first evaluation (RFC 3339). Default: the first sample's time.
    #[arg(long, value_name = "RFC3339")]
    pub start: Option<String>,
    /// No evaluation after this (RFC 3339). Default: the last sample's time plus the delay.
    #[arg(long, value_name = "RFC3339")]
    pub end: Option<String>,
    /// What to print on standard output.
    #[arg(long, value_enum, default_value_t = ReplayFormat::Text)]
    pub format: ReplayFormat,
    /// Write `summary.txt`, `timeline.csv`, `timeline.json` and `chart.svg` here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<String>,
    /// Write the explanation of every evaluation here, one JSON object a
    /// line (the `explain --format json` shape plus its `time`).
    #[arg(long, value_name = "FILE")]
    pub explain: Option<String>,
    /// The formula file.
    #[arg(value_name = "FORMULA_FILE")]
    pub formula: String,
}

fn interval(flag: &str, text: &str) -> Result<TimeInterval, String> {
    TimeInterval::parse_iso8601(text)
        .filter(|i| i.ticks() >= 0)
        .ok_or_else(|| {
            let why = crate::value::duration_error(text, || {
                format!("`{text}` is not an ISO 8601 duration of 0 or more, such as `PT15M`")
            });
            format!("{flag}: {why}")
        })
}

fn instant(flag: &str, text: &str) -> Result<Timestamp, String> {
    Timestamp::parse_rfc3339(text).ok_or_else(|| {
        format!("{flag}: `{text}` is not an RFC 3339 time with an offset, such as `2025-01-06T00:00:00Z`")
    })
}

/// The first and last sample times over every recorded metric.
fn recorded_range(ctx: &EvalContext) -> Option<(i64, i64)> {
    let series = ctx.metrics.iter().flatten();
    let first = series
        .clone()
        .filter_map(|s| s.times().first().copied())
        .min()?;
    let last = series.filter_map(|s| s.times().last().copied()).max()?;
    Some((first, last))
}

fn options(args: &ReplayArgs, ctx: &EvalContext) -> Result<ReplayOptions, String> {
    let every = interval("--interval", &args.interval)?;
    let delay = interval("--delay", &args.delay)?;
    let range = recorded_range(ctx);
    let start = match &args.start {
        Some(text) => instant("--start", text)?,
        None => range
            .and_then(|(first, _)| Timestamp::from_ticks(first))
            .ok_or_else(|| {
                format!(
                    "{}: no sample in the file; give --start and --end",
                    args.metrics
                )
            })?,
    };
    let end = match &args.end {
        Some(text) => instant("--end", text)?,
        None => range
            .and_then(|(_, last)| Timestamp::from_ticks(last.saturating_add(delay.ticks())))
            .ok_or_else(|| format!("{}: no sample in the file; give --end", args.metrics))?,
    };
    Ok(ReplayOptions {
        start,
        end,
        interval: every,
        delay,
    })
}

fn write_outputs(
    dir: &Path,
    evaluations: &[ReplayEvaluation],
    ctx: &EvalContext,
    title: &str,
) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    let svg = chart::replay_svg(evaluations, ctx, title).map_err(|e| format!("chart: {e}"))?;
    for (name, content) in [
        ("summary.txt", replay::summary(evaluations)),
        ("timeline.csv", replay::timeline_csv(evaluations)),
        ("timeline.json", replay::timeline_json(evaluations)),
        ("chart.svg", svg),
    ] {
        super::simulate::write_output(&dir.join(name), content.as_bytes())?;
    }
    Ok(())
}

/// Runs `batchscale replay`; exit 1 when any evaluation fails.
pub fn run(args: &ReplayArgs) -> i32 {
    let text = match read_formula(&args.formula) {
        Ok(t) => t,
        Err(e) => return super::io::input_error(&e),
    };
    let formula = match Formula::parse(&text) {
        Ok(f) => f,
        Err(e) => {
            let mut d = Diagnostic::error(e.code(), e.kind.to_string(), e.span);
            d.help = e.help();
            err!("{}", render(&text, &args.formula, &d, stderr_color()));
            return EXIT_FAILED;
        }
    };
    // `now` is set by each evaluation; a placeholder keeps the wall clock out.
    let ctx = match load_context(
        args.context.as_deref(),
        Some(&args.metrics),
        Some("2000-01-01T00:00:00Z"),
        None,
    ) {
        Ok(c) => c,
        Err(e) => {
            errln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let result = options(args, &ctx)
        .and_then(|o| replay::replay(&formula, &ctx, &o).map_err(|e| format!("replay: {e}")));
    let evaluations = match result {
        Ok(e) => e,
        Err(e) => {
            errln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    if let Some(out) = &args.out {
        let name = Path::new(&args.formula)
            .file_name()
            .map_or_else(|| args.formula.clone(), |n| n.to_string_lossy().to_string());
        if let Err(e) = write_outputs(Path::new(out), &evaluations, &ctx, &name) {
            errln!("error: {e}");
            return EXIT_USAGE;
        }
    }
    if let Some(file) = &args.explain {
        let lines = super::explain::replay_lines(&formula, &ctx, &evaluations, &args.delay);
        let written = lines.and_then(|text| {
            super::io::write_atomic(Path::new(file), text.as_bytes())
                .map_err(|e| format!("{file}: cannot write: {e}"))
        });
        if let Err(e) = written {
            errln!("error: {e}");
            return EXIT_USAGE;
        }
    }
    match args.format {
        ReplayFormat::Text => out!("{}", replay::summary(&evaluations)),
        ReplayFormat::Csv => out!("{}", replay::timeline_csv(&evaluations)),
        ReplayFormat::Json => out!("{}", replay::timeline_json(&evaluations)),
    }
    if evaluations.iter().any(|e| e.error.is_some()) {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}
