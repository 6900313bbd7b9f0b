//! `batchscale eval`: evaluate a formula as the service would.

use clap::{Args, ValueEnum};

use super::io::{err, errln, input_error, outln, read_bytes, read_formula, stderr_color};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::context::{load_context_json, load_metrics_csv, EvalContext};
use crate::diagnostics::{render, Diagnostic};
use crate::run::{AutoScaleRun, AutoScaleRunError};
use crate::value::Timestamp;
use crate::{Formula, Limits};

/// Output formats of `eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    /// The results string (errors on stderr).
    Text,
    /// The `AutoScaleRun` JSON of the REST API.
    Json,
}

/// Arguments of `batchscale eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
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
    #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
    pub format: EvalFormat,
    #[command(flatten)]
    /// Limits.
    pub limits: LimitArgs,
    /// The formula file, or `-` for standard input.
    #[arg(value_name = "FORMULA_FILE")]
    pub formula: String,
}

/// Flags that override [`Limits`].
#[derive(Debug, Args, Clone, Copy)]
pub struct LimitArgs {
    /// The limits of the text, as `check` takes them.
    #[command(flatten)]
    pub text: super::check::SyntaxLimitArgs,
    /// Evaluation work budget in steps.
    #[arg(long, value_name = "N")]
    pub max_eval_steps: Option<u64>,
}

impl LimitArgs {
    /// The limits these flags select.
    pub fn limits(&self) -> Limits {
        let mut l = self.text.over(self.text.base());
        if let Some(n) = self.max_eval_steps {
            l.max_eval_steps = n;
        }
        l.clamped()
    }
}

/// Builds the evaluation context from `--context`, `--metrics`, `--now` and `--seed`.
pub fn load_context(
    context: Option<&str>,
    metrics: Option<&str>,
    now: Option<&str>,
    seed: Option<u64>,
) -> Result<EvalContext, String> {
    let mut ctx = match context {
        Some(path) => {
            let bytes =
                read_bytes(path, crate::context::MAX_CONTEXT_BYTES).map_err(|e| e.to_string())?;
            let file = load_context_json(path, &bytes).map_err(|e| e.to_string())?;
            let mut ctx = file.context;
            if file.now.is_none() && now.is_none() {
                ctx.now = wall_clock();
            }
            ctx
        }
        None => EvalContext::new(wall_clock()),
    };
    if let Some(text) = now {
        ctx.now = Timestamp::parse_rfc3339(text)
            .ok_or_else(|| format!("--now: `{text}` is not an RFC 3339 time with an offset"))?;
    }
    if let Some(path) = metrics {
        let bytes = read_bytes(path, crate::context::MAX_CSV_BYTES).map_err(|e| e.to_string())?;
        load_metrics_csv(path, &bytes, &mut ctx).map_err(|e| e.to_string())?;
    }
    if let Some(seed) = seed {
        ctx.seed = seed;
    }
    Ok(ctx)
}

/// The system clock, read only by the CLI (the library takes `now` as input).
fn wall_clock() -> Timestamp {
    Timestamp::from_datetime(chrono::Utc::now()).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// Runs `batchscale eval`.
pub fn run(args: &EvalArgs) -> i32 {
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
    let origin = if args.formula == "-" {
        "<stdin>"
    } else {
        &args.formula
    };
    let (run, diagnostic) = match Formula::parse_with(&source, &args.limits.limits()) {
        Ok(formula) => {
            let evaluation = formula.run(&ctx);
            let diagnostic = evaluation
                .outcome
                .as_ref()
                .err()
                .map(|e| Diagnostic::error(e.code(), e.kind.to_string(), e.span));
            (evaluation.run, diagnostic)
        }
        Err(e) => {
            let mut d = Diagnostic::error(e.code(), e.kind.to_string(), e.span);
            d.help = e.help();
            (
                AutoScaleRun::failed(&ctx, AutoScaleRunError::from_syntax(&source, &e)),
                Some(d),
            )
        }
    };
    match args.format {
        EvalFormat::Json => outln!("{}", run.to_json()),
        EvalFormat::Text => {
            outln!("{}", run.results);
            if let Some(d) = &diagnostic {
                err!("{}", render(&source, origin, d, stderr_color()));
            }
        }
    }
    if run.error.is_some() {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}
