//! `batchscale tune`: vary constants of a scenario's formula over a grid,
//! simulate every point over the same seeds, and keep the cheapest point (by
//! the figure asked) that meets every bound.

mod grid;
mod output;
mod refine;
mod search;

use std::path::Path;

use clap::Args;

use super::io::{errln, outln, read_formula};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::sim::seeds::available_threads;
use crate::sim::LoadedScenario;
use crate::Formula;
use grid::{parse_constraint, parse_vary, Constraint, Template, Vary, MAX_POINTS};
use refine::{refine, MAX_AXES};
use search::{figure, paths, run_grid, Figure};

/// Arguments of `batchscale tune`.
#[derive(Debug, Args)]
pub struct TuneArgs {
    /// A constant to vary: a variable the formula assigns a number once
    /// (`$maxNodes = 20;`), over LO, LO + STEP, ... up to HI. Repeat for a grid.
    #[arg(long, value_name = "NAME=LO..HI:STEP", required = true)]
    pub vary: Vec<String>,
    /// The `summary.json` figure to minimise (`cost.total`, `wait.p95_s`,
    /// `jobs[0].completed_after_s`).
    #[arg(long, value_name = "METRIC")]
    pub minimize: String,
    /// A bound every chosen point must meet: `'METRIC <= VALUE'` (or `<`,
    /// `>=`, `>`). Repeatable.
    #[arg(long, value_name = "'METRIC <= VALUE'")]
    pub subject_to: Vec<String>,
    /// Seeds per point (the base seed and the N − 1 after it); figures are
    /// means, reported with their 95% interval.
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub seeds: u64,
    /// The base seed (overrides the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Threads to simulate on (default: every core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub jobs: Option<u64>,
    /// A formula file to use instead of the scenario's formula.
    #[arg(long, value_name = "FILE")]
    pub formula: Option<String>,
    /// Let the scenario's `formula_file` and `trace` name files outside its folder.
    #[arg(long)]
    pub allow_outside_paths: bool,
    /// Write `points.csv`, `pareto.csv`, `pareto.svg` and `best.formula` here.
    #[arg(long, value_name = "DIR")]
    pub out: String,
    /// The scenario file (TOML).
    #[arg(value_name = "SCENARIO")]
    pub scenario: String,
}

/// One grid point and its figures.
#[derive(Debug, Clone)]
struct Point {
    /// One value per `--vary`, in order.
    values: Vec<f64>,
    /// The minimised figure.
    objective: Figure,
    /// One figure per `--subject-to`, in order.
    bounded: Vec<Figure>,
}

impl Point {
    /// Whether the mean of every bounded figure meets its bound.
    fn feasible(&self, constraints: &[Constraint]) -> bool {
        self.objective.mean().is_some()
            && self
                .bounded
                .iter()
                .zip(constraints)
                .all(|(f, c)| f.mean().is_some_and(|x| c.compare.holds(x, c.bound)))
    }
}

/// What a search was asked and what it found.
#[derive(Debug, Clone)]
struct Search {
    /// The varied constants.
    varies: Vec<Vary>,
    /// The minimised figure's path.
    minimize: String,
    /// The bounds.
    constraints: Vec<Constraint>,
    /// The seeds every point ran.
    seeds: Vec<u64>,
    /// Every point run, in grid order (the last `--vary` changing fastest).
    points: Vec<Point>,
    /// Points in the whole grid: more than `points` when the grid was
    /// searched coarse to fine (past `MAX_POINTS`).
    grid_size: usize,
}

impl Search {
    /// The feasible point with the smallest mean objective (the first in grid
    /// order on a tie).
    fn best(&self) -> Option<&Point> {
        self.points
            .iter()
            .filter(|p| p.feasible(&self.constraints))
            .filter_map(|p| p.objective.mean().map(|m| (p, m)))
            .fold(None, |best: Option<(&Point, f64)>, (p, m)| match best {
                Some((_, b)) if b <= m => best,
                _ => Some((p, m)),
            })
            .map(|(p, _)| p)
    }
}

/// Every combination of the varied values, the last changing fastest.
fn grid_points(varies: &[Vary]) -> Vec<Vec<f64>> {
    let mut points = vec![Vec::new()];
    for vary in varies {
        points = points
            .into_iter()
            .flat_map(|p| {
                vary.values.iter().map(move |&v| {
                    let mut q = p.clone();
                    q.push(v);
                    q
                })
            })
            .collect();
    }
    points
}

fn formula_text(args: &TuneArgs, loaded: &LoadedScenario) -> Result<String, String> {
    if let Some(path) = &args.formula {
        return read_formula(path).map_err(|e| e.to_string());
    }
    if let Some(text) = &loaded.scenario.formula {
        return Ok(text.clone());
    }
    if let Some((_, text)) = loaded.read_formula_file().map_err(|e| e.to_string())? {
        return Ok(text);
    }
    Err(format!(
        "{}: formula: the scenario has neither `formula` nor `formula_file`, and no --formula was given",
        loaded.path
    ))
}

/// Everything up to the runs: arguments read, the formula's constants found.
struct Plan {
    loaded: LoadedScenario,
    template: Template,
    varies: Vec<Vary>,
    constraints: Vec<Constraint>,
    seeds: Vec<u64>,
}

fn plan(args: &TuneArgs) -> Result<Plan, String> {
    let varies = args
        .vary
        .iter()
        .map(|v| parse_vary(v))
        .collect::<Result<Vec<_>, _>>()?;
    let size = varies
        .iter()
        .try_fold(1usize, |n, v| n.checked_mul(v.values.len()));
    let sizes = || {
        let sizes: Vec<String> = varies.iter().map(|v| v.values.len().to_string()).collect();
        sizes.join(" × ")
    };
    match size {
        None => {
            return Err(format!(
                "--vary: a grid of {} points is too large to count",
                sizes()
            ))
        }
        Some(n) if n > MAX_POINTS && varies.len() > MAX_AXES => {
            return Err(format!(
            "--vary: a grid of {} points is more than the {MAX_POINTS} run in full, and past that \
                 tune searches at most {MAX_AXES} constants; use larger steps or fewer constants",
            sizes()
        ))
        }
        Some(_) => {}
    }
    let constraints = args
        .subject_to
        .iter()
        .map(|c| parse_constraint(c))
        .collect::<Result<Vec<_>, _>>()?;
    let mut loaded = LoadedScenario::read(&args.scenario).map_err(|e| e.to_string())?;
    loaded.allow_outside_paths = args.allow_outside_paths;
    let text = formula_text(args, &loaded)?;
    let formula =
        Formula::parse(&text).map_err(|e| format!("the formula does not parse: {}", e.kind))?;
    let template = Template::new(&formula, &varies)?;
    let base = args.seed.unwrap_or(loaded.scenario.seed);
    let seeds = (0..args.seeds)
        .map(|i| base.checked_add(i))
        .collect::<Option<Vec<u64>>>()
        .ok_or_else(|| format!("--seeds: seeds from {base} pass 2^64 − 1"))?;
    Ok(Plan {
        loaded,
        template,
        varies,
        constraints,
        seeds,
    })
}

/// Runs the grid of `plan` on `threads` threads: every point when it has at
/// most `MAX_POINTS`, otherwise coarse to fine (`refine`). An error comes with
/// its exit code (2 for a figure that does not exist, 1 for a failed run).
fn search(plan: &Plan, minimize: &str, threads: usize) -> Result<Search, (i32, String)> {
    check_figures(plan, minimize)?;
    let sizes: Vec<usize> = plan.varies.iter().map(|v| v.values.len()).collect();
    let grid_size = sizes.iter().product();
    let values_at = |index: &[usize]| -> Vec<f64> {
        plan.varies
            .iter()
            .zip(index)
            .map(|(v, &i)| v.values.get(i).copied().unwrap_or(f64::NAN))
            .collect()
    };
    let points = if grid_size <= MAX_POINTS {
        run_points(plan, minimize, threads, grid_points(&plan.varies))?
    } else {
        let mut points: Vec<(Vec<usize>, Point)> = Vec::new();
        let mut failure = None;
        let seen = refine(&sizes, MAX_POINTS, |batch| {
            let values = batch.iter().map(|i| values_at(i)).collect();
            match run_points(plan, minimize, threads, values) {
                Ok(run) => {
                    let scores = run
                        .iter()
                        .map(|p| {
                            p.feasible(&plan.constraints)
                                .then(|| p.objective.mean())
                                .flatten()
                        })
                        .collect();
                    points.extend(batch.iter().cloned().zip(run));
                    Ok(scores)
                }
                Err(e) => {
                    let message = e.1.clone();
                    failure = Some(e);
                    Err(message)
                }
            }
        });
        if let Err(e) = seen {
            return Err(failure.unwrap_or((EXIT_FAILED, e)));
        }
        // Grid order (the last constant fastest), as a full grid lists them.
        points.sort_by(|a, b| a.0.cmp(&b.0));
        points.into_iter().map(|(_, p)| p).collect()
    };
    Ok(Search {
        varies: plan.varies.clone(),
        minimize: minimize.to_string(),
        constraints: plan.constraints.clone(),
        seeds: plan.seeds.clone(),
        points,
        grid_size,
    })
}

/// Runs the grid's first point alone: a misspelt figure is reported before
/// the whole grid has run.
fn check_figures(plan: &Plan, minimize: &str) -> Result<(), (i32, String)> {
    let first: Vec<f64> = plan
        .varies
        .iter()
        .filter_map(|v| v.values.first().copied())
        .collect();
    let formula = Formula::parse(&plan.template.with(&first)).map_err(|e| {
        (
            EXIT_FAILED,
            format!("the formula with {first:?} does not parse: {}", e.kind),
        )
    })?;
    let first = run_grid(
        &plan.loaded,
        std::slice::from_ref(&formula),
        plan.seeds.get(..1).unwrap_or(&[]),
        1,
    )
    .map_err(|e| (EXIT_FAILED, e))?;
    if let Some(summary) = first.first().and_then(|s| s.first()) {
        let known = paths(summary);
        let wanted = std::iter::once(("--minimize", minimize)).chain(
            plan.constraints
                .iter()
                .map(|c| ("--subject-to", c.metric.as_str())),
        );
        for (flag, metric) in wanted {
            if !known.iter().any(|k| k == metric) {
                let close = crate::suggest::did_you_mean(metric, known.iter().map(String::as_str));
                let hint = close.map_or_else(String::new, |c| format!("; did you mean `{c}`?"));
                return Err((
                    EXIT_USAGE,
                    format!(
                        "{flag}: `{metric}` is not a summary.json figure{hint} (figures: {})",
                        known.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Simulates the points with `values` over the plan's seeds.
fn run_points(
    plan: &Plan,
    minimize: &str,
    threads: usize,
    values: Vec<Vec<f64>>,
) -> Result<Vec<Point>, (i32, String)> {
    let failed = |e: String| (EXIT_FAILED, e);
    let formulas = values
        .iter()
        .map(|v| {
            Formula::parse(&plan.template.with(v))
                .map_err(|e| format!("the formula with {v:?} does not parse: {}", e.kind))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(failed)?;
    let runs = run_grid(&plan.loaded, &formulas, &plan.seeds, threads).map_err(failed)?;
    let mut points = Vec::with_capacity(runs.len());
    for (values, summaries) in values.into_iter().zip(&runs) {
        let lookup = |path: &str| {
            figure(summaries, path).ok_or_else(|| format!("`{path}` is not a summary.json figure"))
        };
        points.push(Point {
            objective: lookup(minimize).map_err(failed)?,
            bounded: plan
                .constraints
                .iter()
                .map(|c| lookup(&c.metric))
                .collect::<Result<Vec<_>, _>>()
                .map_err(failed)?,
            values,
        });
    }
    Ok(points)
}

/// Runs `batchscale tune`: exit 0 with a feasible point, 1 when none is
/// feasible or a simulation fails, 2 for usage and input errors.
pub fn run(args: &TuneArgs) -> i32 {
    let plan = match plan(args) {
        Ok(p) => p,
        Err(e) => {
            errln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let threads = args
        .jobs
        .and_then(|j| usize::try_from(j).ok())
        .unwrap_or_else(available_threads);
    let found = match search(&plan, &args.minimize, threads) {
        Ok(s) => s,
        Err((code, e)) => {
            errln!("error: {e}");
            return code;
        }
    };
    let dir = Path::new(&args.out);
    let best = found.best();
    if let Err(e) = output::write_all(dir, &found, &plan.template, best) {
        errln!("error: {e}");
        return EXIT_USAGE;
    }
    outln!("{}", output::summary_text(&found, best).trim_end());
    if best.is_some() {
        EXIT_OK
    } else {
        EXIT_FAILED
    }
}

/// The figures of a search for the bench: every point of the grid of
/// `varies` on `scenario`, over `seeds`, on `threads` threads.
#[doc(hidden)]
pub fn bench_grid(
    scenario: &LoadedScenario,
    formula: &str,
    varies: &[&str],
    seeds: u64,
    threads: usize,
) -> Result<usize, String> {
    let formula = Formula::parse(formula).map_err(|e| e.kind.to_string())?;
    let varies = varies
        .iter()
        .map(|v| parse_vary(v))
        .collect::<Result<Vec<_>, _>>()?;
    let template = Template::new(&formula, &varies)?;
    let formulas = grid_points(&varies)
        .iter()
        .map(|v| Formula::parse(&template.with(v)).map_err(|e| e.kind.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    let seeds: Vec<u64> = (0..seeds).collect();
    Ok(run_grid(scenario, &formulas, &seeds, threads)?.len())
}
