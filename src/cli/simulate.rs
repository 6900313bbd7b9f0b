//! `batchscale simulate`: run a formula against a scenario's workload.

use std::io::{IsTerminal, Write};
use std::path::Path;

use clap::Args;

use super::io::{err, errln, out, read_formula, stderr_color};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::diagnostics::{render, Diagnostic};
use crate::sim::report::hms;
use crate::sim::seeds::{self, Stats};
use crate::sim::{chart, simulate, LoadedScenario, Report, Summary};
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
    /// Let the scenario's `formula_file` and `trace` name files outside the
    /// scenario's folder (refused by default, so that a scenario from
    /// elsewhere cannot make batchscale read other files).
    #[arg(long)]
    pub allow_outside_paths: bool,
    /// A formula file to use instead of the scenario's formula.
    #[arg(long, value_name = "FILE", conflicts_with = "compare")]
    pub formula: Option<String>,
    /// Run two formulas on the same workload and seed, side by side.
    #[arg(long, num_args = 2, value_names = ["A", "B"])]
    pub compare: Option<Vec<String>>,
    /// Run N seeds (the base seed and the N − 1 after it) on all cores and
    /// report each figure as a mean with its 95% interval.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(2..=100_000))]
    pub seeds: Option<u64>,
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

impl Source {
    /// The origin without its folders, for chart titles and table heads:
    /// a machine's paths say nothing to the reader of a chart.
    fn label(&self) -> String {
        let (path, suffix) = match self.origin.strip_suffix(" (formula)") {
            Some(path) => (path, " (formula)"),
            None => (self.origin.as_str(), ""),
        };
        let name = Path::new(path)
            .file_name()
            .map_or_else(|| path.to_string(), |n| n.to_string_lossy().to_string());
        format!("{name}{suffix}")
    }
}

/// Writes one output file. The one place files are written, so that an atomic
/// write (temporary file and rename) can replace it in one change.
/// Writes one output file atomically (a synced sibling renamed over it), so a
/// failed or interrupted run never leaves a half-written file.
pub(super) fn write_output(path: &Path, bytes: &[u8]) -> Result<(), String> {
    super::io::write_atomic(path, bytes)
        .map_err(|e| format!("{}: cannot write: {e}", path.display()))
}

fn create_dir(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))
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
    // Kept inside the scenario's folder and read through its limit; errors
    // name the key and the path as written, never the file's content.
    if let Some((origin, text)) = loaded.read_formula_file().map_err(|e| e.to_string())? {
        return Ok(Source { origin, text });
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
                err!(
                    "{}",
                    render(&source.text, &source.origin, d, stderr_color())
                );
            }
            Ok(f)
        }
        Err(e) => {
            let mut d = Diagnostic::error(e.code(), e.kind.to_string(), e.span);
            d.help = e.help();
            err!(
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

/// The offset from UTC of the scenario's `start` as written (`+01:00` is
/// 3600), so that charts show the clock the user thinks in. The parsed
/// scenario keeps only the instant.
fn start_offset(loaded: &LoadedScenario) -> i32 {
    toml::from_str::<toml::Table>(&loaded.text)
        .ok()
        .and_then(|t| t.get("start")?.as_str().map(str::to_string))
        .and_then(|text| chrono::DateTime::parse_from_rfc3339(&text).ok())
        .map_or(0, |t| t.offset().local_minus_utc())
}

fn write_outputs(dir: &Path, report: &Report, title: &str, offset: i32) -> Result<(), String> {
    create_dir(dir)?;
    let svg = chart::svg_in_zone(report, title, offset).map_err(|e| format!("chart: {e}"))?;
    let summary = Summary::of(report);
    for (name, content) in [
        ("summary.txt", summary.text()),
        ("summary.json", summary.to_json()),
        ("timeline.csv", report.timeline_csv()),
        ("timeline.json", report.timeline_json()),
        ("chart.svg", svg),
    ] {
        write_output(&dir.join(name), content.as_bytes())?;
    }
    Ok(())
}

/// Runs `batchscale simulate`.
pub fn run(args: &SimulateArgs) -> i32 {
    let loaded = match LoadedScenario::read(&args.scenario) {
        Ok(mut l) => {
            l.allow_outside_paths = args.allow_outside_paths;
            l
        }
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
    let paths: Vec<Option<&str>> = match &args.compare {
        Some(pair) => pair.iter().map(|s| Some(s.as_str())).collect(),
        None => vec![args.formula.as_deref()],
    };
    let mut formulas = Vec::new();
    for path in paths {
        let source = match load_formula(path, &loaded) {
            Ok(s) => s,
            Err(e) => {
                errln!("error: {e}");
                return EXIT_USAGE;
            }
        };
        match parse(&source) {
            Ok(f) => formulas.push((source, f)),
            Err(code) => return code,
        }
    }
    if let Some(n) = args.seeds {
        return match many_seeds(args, &loaded, &formulas, seed, n) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                errln!("error: {e}");
                EXIT_USAGE
            }
        };
    }
    let mut reports = Vec::new();
    for (i, (source, formula)) in formulas.iter().enumerate() {
        let report = match run_one(&loaded, formula, seed, &source.origin) {
            Ok(r) => r,
            Err(code) => return code,
        };
        if let Some(out) = &args.out {
            let dir = if args.compare.is_some() {
                Path::new(out).join(if i == 0 { "a" } else { "b" })
            } else {
                Path::new(out).to_path_buf()
            };
            let name = format!("{title} — {}", source.label());
            if let Err(e) = write_outputs(&dir, &report, &name, start_offset(&loaded)) {
                errln!("error: {e}");
                return EXIT_USAGE;
            }
        }
        reports.push((source.label(), report));
    }
    if let (Some(out), [(a_name, a), (b_name, b)]) = (&args.out, reports.as_slice()) {
        let written = chart::compare_svg(a, b, [a_name, b_name], &title, start_offset(&loaded))
            .and_then(|svg| write_output(&Path::new(out).join("compare.svg"), svg.as_bytes()));
        if let Err(e) = written {
            errln!("error: {e}");
            return EXIT_USAGE;
        }
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

/// `--seeds N`: every formula over the same N seeds, in parallel.
fn many_seeds(
    args: &SimulateArgs,
    loaded: &LoadedScenario,
    formulas: &[(Source, Formula)],
    base: u64,
    n: u64,
) -> Result<(), String> {
    let last = base
        .checked_add(n - 1)
        .filter(|&l| l <= i64::MAX as u64)
        .ok_or_else(|| format!("--seeds: seeds {base} to {base} + {n} − 1 pass 2^63 − 1"))?;
    let seeds: Vec<u64> = (base..=last).collect();
    let threads = seeds::available_threads();
    let mut runs = Vec::new();
    for (source, formula) in formulas {
        let summaries =
            seeds::run_seeds_with(loaded, formula, &seeds, threads, |r| Summary::of(&r))
                .map_err(|e| e.to_string())?;
        runs.push((source.label(), summaries));
    }
    let head = format!(
        "{n} seeds ({base} to {last}); each figure: mean, standard deviation, 95% t interval of the mean\n"
    );
    let text = match runs.as_slice() {
        [(_, one)] => head + seeds_table(one).as_str(),
        [(a_name, a), (b_name, b)] => {
            head + compare_seeds_table(a_name, b_name, &seeds::compare(a, b)).as_str()
        }
        _ => String::new(),
    };
    if let Some(out) = &args.out {
        let out = Path::new(out);
        for (i, (_, summaries)) in runs.iter().enumerate() {
            let dir = if runs.len() == 2 {
                out.join(if i == 0 { "a" } else { "b" })
            } else {
                out.to_path_buf()
            };
            create_dir(&dir)?;
            let json = serde_json::to_string_pretty(&seeds::aggregate(summaries))
                .map_err(|e| e.to_string())?;
            write_output(&dir.join("summary.json"), (json + "\n").as_bytes())?;
            write_output(&dir.join("seeds.csv"), &seeds_csv(&seeds, summaries))?;
            if runs.len() == 1 {
                write_output(&dir.join("summary.txt"), text.as_bytes())?;
            }
        }
        if let [(_, a), (_, b)] = runs.as_slice() {
            create_dir(out)?;
            write_output(&out.join("compare.txt"), text.as_bytes())?;
            let json =
                serde_json::to_string_pretty(&seeds::compare(a, b)).map_err(|e| e.to_string())?;
            write_output(&out.join("compare.json"), (json + "\n").as_bytes())?;
        }
    }
    out!("{text}");
    Ok(())
}

/// A figure in the unit a person reads: times (`…_s`) as `1h 02m 03s`,
/// shares as percentages, the rest with two decimals.
fn show(figure: &str, value: f64) -> String {
    if figure.ends_with("_s") {
        let sign = if value < 0.0 { "-" } else { "" };
        format!("{sign}{}", hms((value.abs() * 1000.0).round() as i64))
    } else if figure.ends_with("share") {
        format!("{:.1}%", 100.0 * value)
    } else {
        format!("{value:.2}")
    }
}

fn interval(figure: &str, stats: &Stats) -> String {
    match (stats.lo, stats.hi) {
        (Some(lo), Some(hi)) => format!("[{}, {}]", show(figure, lo), show(figure, hi)),
        _ => "-".to_string(),
    }
}

fn with_count(stats: &Stats, seeds: usize) -> String {
    if stats.n < seeds {
        format!(" ({} of {seeds} seeds)", stats.n)
    } else {
        String::new()
    }
}

/// One line per figure: mean, standard deviation and interval.
fn seeds_table(summaries: &[Summary]) -> String {
    let merged = seeds::compare(summaries, summaries);
    let mut out = format!(
        "{:<34}{:>16}{:>16}  {}\n",
        "figure", "mean", "sd", "95% interval"
    );
    for d in merged {
        let line = match &d.a {
            Some(s) => format!(
                "{:<34}{:>16}{:>16}  {}{}",
                d.figure,
                show(&d.figure, s.mean),
                s.sd.map_or("-".into(), |sd| show(&d.figure, sd)),
                interval(&d.figure, s),
                with_count(s, summaries.len())
            ),
            None => format!("{:<34}{:>16}", d.figure, "none"),
        };
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// One line per figure: A's and B's means, B − A with its interval, and
/// whether the difference is within the noise.
fn compare_seeds_table(a_name: &str, b_name: &str, differences: &[seeds::Difference]) -> String {
    let mut out = format!("A: {a_name}\nB: {b_name}\n");
    out.push_str(&format!(
        "{:<34}{:>16}{:>16}  {}\n",
        "figure", "A mean", "B mean", "B − A: mean [95% interval], verdict"
    ));
    for d in differences {
        let mean = |s: &Option<Stats>| s.map_or("none".into(), |s| show(&d.figure, s.mean));
        let diff = match &d.difference {
            Some(s) => format!("{} {}", show(&d.figure, s.mean), interval(&d.figure, s)),
            None => "-".into(),
        };
        out.push_str(&format!(
            "{:<34}{:>16}{:>16}  {diff}, {}\n",
            d.figure,
            mean(&d.a),
            mean(&d.b),
            d.verdict()
        ));
    }
    out
}

/// One row per seed, one column per figure (empty where it has no value).
fn seeds_csv(seeds: &[u64], summaries: &[Summary]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if let Some(first) = summaries.first() {
        let names = seeds::figures(first);
        let mut head = vec!["seed".to_string()];
        head.extend(names.into_iter().map(|(n, _)| n));
        let _ = w.write_record(&head);
    }
    for (seed, summary) in seeds.iter().zip(summaries) {
        let mut row = vec![seed.to_string()];
        row.extend(
            seeds::figures(summary)
                .into_iter()
                .map(|(_, v)| v.map_or_else(String::new, |v| v.to_string())),
        );
        let _ = w.write_record(&row);
    }
    w.into_inner().unwrap_or_default()
}

/// The key figures of two runs side by side.
pub fn compare_table(a_name: &str, a: &Report, b_name: &str, b: &Report) -> String {
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
    out.push_str(
        "one seed: a difference may be noise; --seeds N gives each difference its interval\n",
    );
    out
}
