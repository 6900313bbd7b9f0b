//! `batchscale explain`: evaluate a formula and say why, statement by statement.

use clap::{Args, ValueEnum};

use super::eval::{load_context, LimitArgs};
use super::io::{errln, input_error, outln, read_formula, stderr_color};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::diagnostics::{render, Diagnostic};
use crate::explain::explain;
use crate::Formula;

/// Output formats of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// A block per statement, then the targets and the results string.
    Text,
    /// The same as one JSON document.
    Json,
}

/// Arguments of `batchscale explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Evaluation context JSON (now, pool, metrics).
    #[arg(long, value_name = "FILE")]
    pub context: Option<String>,
    /// Metric series CSV (`time` column plus one column per metric).
    #[arg(long, value_name = "CSV")]
    pub metrics: Option<String>,
    /// The evaluation instant (RFC 3339); overrides the context's `now`.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Seed of `rand()`; overrides the context's `seed`.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
    #[command(flatten)]
    /// Limits.
    pub limits: LimitArgs,
    /// The formula file, or `-` for standard input.
    #[arg(value_name = "FORMULA_FILE")]
    pub formula: String,
}

/// Runs `batchscale explain`: exit 0 when the evaluation succeeds, 1 when the
/// formula does not parse or its evaluation fails, 2 for unreadable input.
pub fn run(args: &ExplainArgs) -> i32 {
    let source = match read_formula(&args.formula) {
        Ok(s) => s,
        Err(e) => return input_error(&e),
    };
    let ctx = match load_context(
        args.context.as_deref(),
        args.metrics.as_deref(),
        args.now.as_deref(),
        args.seed,
    ) {
        Ok(c) => c,
        Err(e) => {
            errln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let formula = match Formula::parse_with(&source, &args.limits.limits()) {
        Ok(f) => f,
        Err(e) => {
            let origin = if args.formula == "-" {
                "<stdin>"
            } else {
                &args.formula
            };
            let mut d = Diagnostic::error(e.code(), e.kind.to_string(), e.span);
            d.help = e.help();
            errln!("{}", render(&source, origin, &d, stderr_color()));
            return EXIT_FAILED;
        }
    };
    let explanation = explain(&formula, &ctx);
    match args.format {
        ExplainFormat::Text => outln!("{}", explanation.to_text().trim_end()),
        ExplainFormat::Json => outln!("{}", explanation.to_json()),
    }
    if explanation.failed() {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

/// `replay --explain`: each evaluation of a replay explained, one JSON line
/// each. Each evaluation's context is rebuilt as the replay builds it (the
/// samples visible at `now − delay`, the targets the previous evaluation set,
/// the seed plus the evaluation's index); an explanation whose results
/// string differs from the replay's would mean the two disagree, so that is
/// an error rather than a silent difference.
pub(super) fn replay_lines(
    formula: &Formula,
    recorded: &crate::EvalContext,
    evaluations: &[crate::sim::replay::ReplayEvaluation],
    delay: &str,
) -> Result<String, String> {
    use crate::value::{TimeInterval, Timestamp};
    use crate::{Metric, Series};
    let delay = TimeInterval::parse_iso8601(delay).ok_or_else(|| {
        let why = crate::value::duration_error(delay, || {
            format!("`{delay}` is not an ISO 8601 duration")
        });
        format!("--delay: {why}")
    })?;
    let mut ctx = recorded.clone();
    let mut cursors: Vec<(Metric, &Series, usize)> = Vec::new();
    for metric in Metric::ALL {
        if let Some(series) = recorded.series(metric) {
            ctx.set_series(metric, Series::new(series.period()));
            cursors.push((metric, series, 0));
        }
    }
    let mut targets = (
        recorded.pool.target_dedicated_nodes.max(0.0).trunc(),
        recorded.pool.target_low_priority_nodes.max(0.0).trunc(),
    );
    let mut out = String::new();
    for (i, evaluation) in evaluations.iter().enumerate() {
        let now = Timestamp::parse_rfc3339(&evaluation.time)
            .ok_or_else(|| format!("replay: `{}` is not a time", evaluation.time))?;
        let visible = now.ticks().saturating_sub(delay.ticks());
        for (metric, series, next) in &mut cursors {
            let (times, values) = (series.times(), series.values());
            while let (Some(&t), Some(&v)) = (times.get(*next), values.get(*next)) {
                if t > visible {
                    break;
                }
                if let (Some(history), Some(at)) = (
                    ctx.metrics.get_mut(metric.index()).and_then(Option::as_mut),
                    Timestamp::from_ticks(t),
                ) {
                    history.push(at, v);
                }
                *next += 1;
            }
        }
        ctx.now = now;
        ctx.pool.target_dedicated_nodes = targets.0;
        ctx.pool.target_low_priority_nodes = targets.1;
        ctx.seed = recorded.seed.wrapping_add(i as u64);
        let explanation = explain(formula, &ctx);
        if explanation.results != evaluation.results {
            return Err(format!(
                "explain disagrees with replay at {}: `{}` against `{}`",
                evaluation.time, explanation.results, evaluation.results
            ));
        }
        targets = (
            f64::from(evaluation.targets[0]),
            f64::from(evaluation.targets[1]),
        );
        let mut line = serde_json::json!({ "time": evaluation.time });
        if let (Some(map), Ok(serde_json::Value::Object(rest))) =
            (line.as_object_mut(), serde_json::to_value(&explanation))
        {
            map.extend(rest);
        }
        out.push_str(&line.to_string());
        out.push('\n');
    }
    Ok(out)
}
