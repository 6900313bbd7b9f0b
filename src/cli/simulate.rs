//! `batchscale simulate`: run a formula against a scenario's workload.

use std::io::{IsTerminal, Write};
use std::path::Path;

use clap::Args;

use super::io::{errln, out, read_formula, stderr_color};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::diagnostics::{render, Diagnostic};
use crate::sim::{chart, simulate, LoadedScenario, Report};
use crate::Formula;

/// Arguments of `batchscale simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Write `summary.txt`, `timeline.csv`, `timeline.json` and `chart.svg` here
    /// (with `--compare`, into `DIR/a` and `DIR/b`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<String>,
    /// The random seed (overrides the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// A formula file to use instead of the scenario's formula.
    #[arg(long, value_name = "FILE", conflicts_with = "compare")]
    pub formula: Option<String>,
    /// Run two formulas on the same workload and seed, side by side.
    #[arg(long, num_args = 2, value_names = ["A", "B"])]
    pub compare: Option<Vec<String>>,
    /// Do not print the terminal chart.
    #[arg(long)]
    pub no_chart: bool,
    /// The scenario file (TOML).
    #[arg(value_name = "SCENARIO")]
    pub scenario: String,
}

/// A formula and where it came from.
struct Source {
    origin: String,
    text: String,
}

fn load_formula(args_formula: Option<&str>, loaded: &LoadedScenario) -> Result<Source, String> {
    if let Some(path) = args_formula {
        let text = read_formula(path).map_err(|e| e.to_string())?;
        return Ok(Source {
            origin: path.to_string(),
            text,
        });
    }
    let s = &loaded.scenario;
    if let Some(text) = &s.formula {
        return Ok(Source {
            origin: format!("{} (formula)", loaded.path),
            text: text.clone(),
        });
    }
    if let Some(file) = &s.formula_file {
        let path = loaded.resolve(file);
        let path = path.to_string_lossy().to_string();
        let text = read_formula(&path).map_err(|e| e.to_string())?;
        return Ok(Source { origin: path, text });
    }
    Err(format!(
        "{}: formula: the scenario has neither `formula` nor `formula_file`, and no --formula was given",
        loaded.path
    ))
}

/// Parses a formula, printing its diagnostics; `Err` holds the exit code.
fn parse(source: &Source) -> Result<Formula, i32> {
    match Formula::parse(&source.text) {
        Ok(f) => {
            for d in f.diagnostics() {
                errln!(
                    "{}",
                    render(&source.text, &source.origin, d, stderr_color())
                );
            }
            Ok(f)
        }
        Err(e) => {
            let mut d = Diagnostic::error(e.code(), e.kind.to_string(), e.span);
            d.help = e.help();
            errln!(
                "{}",
                render(&source.text, &source.origin, &d, stderr_color())
            );
            Err(EXIT_FAILED)
        }
    }
}

/// A progress bar on stderr, drawn only when stderr is a terminal.
fn progress_bar(label: String) -> Option<impl FnMut(f64)> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let mut shown = usize::MAX;
    Some(move |fraction: f64| {
        let percent = (fraction.clamp(0.0, 1.0) * 100.0) as usize;
        if percent != shown {
            shown = percent;
            let filled = percent * 30 / 100;
            let mut err = std::io::stderr();
            let _ = write!(
                err,
                "\r{label} [{}{}] {percent:3}%",
                "#".repeat(filled),
                " ".repeat(30 - filled)
            );
            let _ = err.flush();
        }
    })
}

fn clear_progress() {
    if std::io::stderr().is_terminal() {
        let _ = write!(std::io::stderr(), "\r{}\r", " ".repeat(60));
    }
}

fn run_one(
    loaded: &LoadedScenario,
    formula: &Formula,
    seed: u64,
    label: &str,
) -> Result<Report, i32> {
    let mut bar = progress_bar(label.to_string());
    let progress = bar.as_mut().map(|b| b as &mut dyn FnMut(f64));
    let report = simulate(loaded, formula, seed, progress).map_err(|e| {
        errln!("error: {e}");
        EXIT_USAGE
    });
    clear_progress();
    report
}

fn write_outputs(dir: &Path, report: &Report, title: &str) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    let svg = chart::svg(report, title).map_err(|e| format!("chart: {e}"))?;
    for (name, content) in [
        ("summary.txt", report.summary()),
        ("timeline.csv", report.timeline_csv()),
        ("timeline.json", report.timeline_json()),
        ("chart.svg", svg),
    ] {
        let path = dir.join(name);
        super::io::write_atomic(&path, content.as_bytes())
            .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
    }
    Ok(())
}

/// Runs `batchscale simulate`.
pub fn run(args: &SimulateArgs) -> i32 {
    let loaded = match LoadedScenario::read(&args.scenario) {
        Ok(l) => l,
        Err(e) => {
            errln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let seed = args.seed.unwrap_or(loaded.scenario.seed);
    let title = Path::new(&args.scenario).file_stem().map_or_else(
        || "simulation".to_string(),
        |s| s.to_string_lossy().to_string(),
    );
    let sources: Vec<Option<&str>> = match &args.compare {
        Some(pair) => pair.iter().map(|s| Some(s.as_str())).collect(),
        None => vec![args.formula.as_deref()],
    };
    let mut reports = Vec::new();
    for (i, path) in sources.iter().enumerate() {
        let source = match load_formula(*path, &loaded) {
            Ok(s) => s,
            Err(e) => {
                errln!("error: {e}");
                return EXIT_USAGE;
            }
        };
        let formula = match parse(&source) {
            Ok(f) => f,
            Err(code) => return code,
        };
        let report = match run_one(&loaded, &formula, seed, &source.origin) {
            Ok(r) => r,
            Err(code) => return code,
        };
        if let Some(out) = &args.out {
            let dir = if args.compare.is_some() {
                Path::new(out).join(if i == 0 { "a" } else { "b" })
            } else {
                Path::new(out).to_path_buf()
            };
            let name = format!("{title} — {}", source.origin);
            if let Err(e) = write_outputs(&dir, &report, &name) {
                errln!("error: {e}");
                return EXIT_USAGE;
            }
        }
        reports.push((source.origin, report));
    }
    match reports.as_slice() {
        [(_, report)] => {
            out!("{}", report.summary());
            if !args.no_chart {
                out!("\n{}", chart::terminal(report, 72, 10));
            }
        }
        [(a_name, a), (b_name, b)] => {
            out!("{}", compare_table(a_name, a, b_name, b));
        }
        _ => {}
    }
    EXIT_OK
}

/// The key figures of two runs side by side.
pub fn compare_table(a_name: &str, a: &Report, b_name: &str, b: &Report) -> String {
    use crate::sim::report::hms;
    let figures = |r: &Report| -> Vec<String> {
        let waits = r.wait_stats();
        let cost = r.cost();
        let res = r.resizes();
        let last = r
            .jobs
            .iter()
            .map(|j| j.completed)
            .collect::<Option<Vec<_>>>();
        vec![
            match last.and_then(|v| v.into_iter().max()) {
                Some(t) => hms(t),
                None => "not completed".into(),
            },
            r.tasks.succeeded.to_string(),
            r.tasks.failed.to_string(),
            waits.map_or("-".into(), |w| hms(w.0)),
            waits.map_or("-".into(), |w| hms(w.1)),
            waits.map_or("-".into(), |w| hms(w.2)),
            format!("{:.2}", r.node_hours[0]),
            format!("{:.2}", r.node_hours[1]),
            format!("{:.2}", cost[0] + cost[1]),
            format!("{:.1}%", 100.0 * r.idle_share()),
            res.count.to_string(),
            res.largest_step.to_string(),
            res.flaps.to_string(),
            r.errors().0.to_string(),
        ]
    };
    let names = [
        "all jobs completed at",
        "tasks succeeded",
        "tasks failed",
        "task wait p50",
        "task wait p95",
        "task wait max",
        "dedicated node-hours",
        "low-priority node-hours",
        "cost",
        "idle node-hours",
        "resizes",
        "largest step",
        "flapping",
        "evaluation errors",
    ];
    let (fa, fb) = (figures(a), figures(b));
    let (head_a, head_b) = (format!("A: {a_name}"), format!("B: {b_name}"));
    let mut out = format!(
        "{:<26}{head_a:<24}{head_b}
",
        ""
    );
    for ((name, x), y) in names.iter().zip(fa).zip(fb) {
        out.push_str(&format!("{name:<26}{x:<24}{y}\n"));
    }
    out
}
