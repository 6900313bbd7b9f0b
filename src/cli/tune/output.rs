//! The files and the summary a search leaves: `points.csv`, `pareto.csv`,
//! `pareto.svg` and `best.formula`.

use std::fmt::Write as _;
use std::path::Path;

use plotters::prelude::*;

use super::grid::{Constraint, Template};
use super::search::Figure;
use super::{Point, Search};
use crate::cli::io::write_atomic;
use crate::value::format_double;

/// A number as the results string prints it (6 significant digits).
fn short(x: f64) -> String {
    let mut out = String::new();
    format_double(x, &mut out);
    out
}

/// A figure for a sentence: its mean, and its interval with several seeds.
fn figure_text(f: &Figure) -> String {
    match (f.stats, f.missing) {
        (Some(s), 0) => match (s.lo, s.hi) {
            (Some(lo), Some(hi)) => format!(
                "{} (95% interval {} to {})",
                short(s.mean),
                short(lo),
                short(hi)
            ),
            _ => short(s.mean),
        },
        (_, missing) => format!("none in {missing} seed(s)"),
    }
}

fn assignments(search: &Search, point: &Point) -> String {
    let parts: Vec<String> = search
        .varies
        .iter()
        .zip(&point.values)
        .map(|(v, x)| format!("{} = {}", v.name, short(*x)))
        .collect();
    parts.join(", ")
}

/// CSV cells of a figure: mean, then the interval's ends with several seeds.
fn cells(f: &Figure, seeds: usize, row: &mut Vec<String>) {
    let cell = |x: Option<f64>| x.map_or_else(String::new, |x| x.to_string());
    row.push(cell(f.mean()));
    if seeds > 1 {
        row.push(cell(f.stats.and_then(|s| s.lo).filter(|_| f.missing == 0)));
        row.push(cell(f.stats.and_then(|s| s.hi).filter(|_| f.missing == 0)));
    }
}

fn heads(metric: &str, seeds: usize, row: &mut Vec<String>) {
    row.push(metric.to_string());
    if seeds > 1 {
        row.push(format!("{metric} lo95"));
        row.push(format!("{metric} hi95"));
    }
}

fn csv(rows: &[Vec<String>]) -> Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.write_record(row).map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// Every point: the varied values, the figures, and whether it is feasible.
fn points_csv(search: &Search) -> Result<Vec<u8>, String> {
    let seeds = search.seeds.len();
    let mut head: Vec<String> = search.varies.iter().map(|v| v.name.clone()).collect();
    heads(&search.minimize, seeds, &mut head);
    for c in &search.constraints {
        heads(&c.metric, seeds, &mut head);
    }
    head.push("feasible".into());
    let mut rows = vec![head];
    for p in &search.points {
        let mut row: Vec<String> = p.values.iter().map(f64::to_string).collect();
        cells(&p.objective, seeds, &mut row);
        for f in &p.bounded {
            cells(f, seeds, &mut row);
        }
        row.push(p.feasible(&search.constraints).to_string());
        rows.push(row);
    }
    csv(&rows)
}

/// The points on the front of the minimised figure against one bounded
/// figure: no other point is at least as good on both and better on one.
/// In order of the bounded figure, best side first.
fn front<'a>(search: &'a Search, index: usize, c: &Constraint) -> Vec<(&'a Point, f64, f64)> {
    let mut all: Vec<(&Point, f64, f64)> = search
        .points
        .iter()
        .filter_map(|p| Some((p, p.objective.mean()?, p.bounded.get(index)?.mean()?)))
        .collect();
    let better = c.compare.lower_is_better();
    all.sort_by(|a, b| {
        let by_bound = if better {
            a.2.total_cmp(&b.2)
        } else {
            b.2.total_cmp(&a.2)
        };
        by_bound.then(a.1.total_cmp(&b.1))
    });
    let mut out: Vec<(&Point, f64, f64)> = Vec::new();
    for item in all {
        if out.last().is_none_or(|last| item.1 < last.1) {
            out.push(item);
        }
    }
    out
}

fn pareto_csv(search: &Search) -> Result<Vec<u8>, String> {
    let mut head = vec!["constraint".to_string()];
    head.extend(search.varies.iter().map(|v| v.name.clone()));
    head.extend([
        search.minimize.clone(),
        "bounded figure".into(),
        "feasible".into(),
    ]);
    let mut rows = vec![head];
    for (i, c) in search.constraints.iter().enumerate() {
        for (p, objective, bounded) in front(search, i, c) {
            let mut row = vec![c.to_string()];
            row.extend(p.values.iter().map(f64::to_string));
            row.extend([
                objective.to_string(),
                bounded.to_string(),
                p.feasible(&search.constraints).to_string(),
            ]);
            rows.push(row);
        }
    }
    csv(&rows)
}

/// The chart: per bound, every point's minimised figure against the bounded
/// one, the front joined, the bound dashed and the best point ringed. With
/// no bound, the minimised figure against the first varied constant.
fn chart(search: &Search, best: Option<&Point>) -> Result<String, String> {
    let panels = search.constraints.len().max(1);
    let height = 60 + 380 * panels as u32;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (900, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let title = format!(
            "tune: {} over {} points",
            search.minimize,
            search.points.len()
        );
        let root = root
            .titled(&title, ("sans-serif", 20))
            .map_err(|e| e.to_string())?;
        let areas = root.split_evenly((panels, 1));
        for (i, area) in areas.iter().enumerate() {
            panel(area, search, i, best)?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

fn span_of(values: impl Iterator<Item = f64> + Clone) -> std::ops::Range<f64> {
    let lo = values.clone().fold(f64::INFINITY, f64::min);
    let hi = values.fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() || !hi.is_finite() {
        return 0.0..1.0;
    }
    let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.02).max(0.5);
    (lo - pad)..(hi + pad)
}

fn panel(
    area: &Area<'_>,
    search: &Search,
    index: usize,
    best: Option<&Point>,
) -> Result<(), String> {
    let constraint = search.constraints.get(index);
    // x of a point: the bounded figure, or the first varied value.
    let x_of = |p: &Point| match constraint {
        Some(_) => p.bounded.get(index).and_then(Figure::mean),
        None => p.values.first().copied(),
    };
    let drawn: Vec<(f64, f64, &Point)> = search
        .points
        .iter()
        .filter_map(|p| Some((x_of(p)?, p.objective.mean()?, p)))
        .collect();
    let bound = constraint.map(|c| c.bound);
    let x_range = span_of(drawn.iter().map(|d| d.0).chain(bound));
    let y_range = span_of(drawn.iter().map(|d| d.1));
    let x_desc = match constraint {
        Some(c) => c.metric.clone(),
        None => search
            .varies
            .first()
            .map_or_else(String::new, |v| v.name.clone()),
    };
    let caption = match constraint {
        Some(c) => format!("{} against {} (bound: {c})", search.minimize, c.metric),
        None => format!("{} against {x_desc}", search.minimize),
    };
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .caption(caption, ("sans-serif", 15))
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(x_range.clone(), y_range.clone())
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(search.minimize.as_str())
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(|e| e.to_string())?;
    let grey = RGBColor(150, 150, 150);
    let feasible = |p: &Point| p.feasible(&search.constraints);
    chart
        .draw_series(drawn.iter().map(|&(x, y, p)| {
            let style = if feasible(p) {
                BLUE.filled()
            } else {
                grey.filled()
            };
            Circle::new((x, y), 4, style)
        }))
        .map_err(|e| e.to_string())?
        .label("point (blue: meets every bound)")
        .legend(|(x, y)| Circle::new((x + 10, y), 4, BLUE.filled()));
    if let Some(c) = constraint {
        let line: Vec<(f64, f64)> = front(search, index, c).iter().map(|f| (f.2, f.1)).collect();
        chart
            .draw_series(LineSeries::new(line, RED.stroke_width(2)))
            .map_err(|e| e.to_string())?
            .label("front")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], RED.stroke_width(2)));
        chart
            .draw_series(DashedLineSeries::new(
                [(c.bound, y_range.start), (c.bound, y_range.end)],
                6,
                4,
                BLACK.stroke_width(1),
            ))
            .map_err(|e| e.to_string())?
            .label("bound")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BLACK.stroke_width(1)));
    }
    if let Some((x, y)) = best.and_then(|p| Some((x_of(p)?, p.objective.mean()?))) {
        chart
            .draw_series(std::iter::once(Circle::new(
                (x, y),
                9,
                GREEN.stroke_width(3),
            )))
            .map_err(|e| e.to_string())?
            .label("best")
            .legend(|(x, y)| Circle::new((x + 10, y), 6, GREEN.stroke_width(3)));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperRight)
        .draw()
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// `best.formula`: the formula with the chosen values, its figures in a
/// comment at the top.
fn best_formula(search: &Search, template: &Template, best: &Point) -> String {
    let mut out = String::new();
    let seeds = match search.seeds.as_slice() {
        [one] => format!("seed {one}"),
        [first, .., last] => format!(
            "{} seeds, {first} to {last}; means with 95% intervals",
            search.seeds.len()
        ),
        [] => String::new(),
    };
    let _ = writeln!(
        out,
        "// batchscale tune: the feasible point with the lowest {} of {} ({seeds})",
        search.minimize,
        if search.points.len() < search.grid_size {
            points_run(search)
        } else {
            search.points.len().to_string()
        }
    );
    let _ = writeln!(out, "// chosen: {}", assignments(search, best));
    let _ = writeln!(
        out,
        "// {} = {}",
        search.minimize,
        figure_text(&best.objective)
    );
    for (c, f) in search.constraints.iter().zip(&best.bounded) {
        let _ = writeln!(out, "// {} = {} (bound: {c})", c.metric, figure_text(f));
    }
    out.push_str(&template.with(&best.values));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Writes every output file into `dir`; without a feasible point, removes a
/// `best.formula` an earlier run left, so none is mistaken for this run's.
pub(super) fn write_all(
    dir: &Path,
    search: &Search,
    template: &Template,
    best: Option<&Point>,
) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        write_atomic(&path, bytes).map_err(|e| format!("{}: cannot write: {e}", path.display()))
    };
    write("points.csv", &points_csv(search)?)?;
    write("pareto.csv", &pareto_csv(search)?)?;
    write("pareto.svg", chart(search, best)?.as_bytes())?;
    let path = dir.join("best.formula");
    match best {
        Some(best) => write(
            "best.formula",
            best_formula(search, template, best).as_bytes(),
        )?,
        None if path.exists() => std::fs::remove_file(&path)
            .map_err(|e| format!("{}: cannot remove: {e}", path.display()))?,
        None => {}
    }
    Ok(())
}

/// What the terminal shows: the search, then the best point or plainly that
/// none is feasible (with the best each bounded figure reached).
/// "64 points", or "5,301 of 4,000,000 grid points (coarse to fine)" when
/// the grid was too large to run in full.
fn points_run(search: &Search) -> String {
    if search.points.len() < search.grid_size {
        format!(
            "{} of {} grid points (coarse to fine)",
            search.points.len(),
            search.grid_size
        )
    } else {
        format!("{} points", search.points.len())
    }
}

pub(super) fn summary_text(search: &Search, best: Option<&Point>) -> String {
    let mut out = String::new();
    let bounds: Vec<String> = search.constraints.iter().map(ToString::to_string).collect();
    let subject = if bounds.is_empty() {
        String::new()
    } else {
        format!(" subject to {}", bounds.join(", "))
    };
    let _ = writeln!(
        out,
        "{} × {} seed(s): minimising {}{subject}",
        points_run(search),
        search.seeds.len(),
        search.minimize
    );
    match best {
        Some(p) => {
            let _ = writeln!(out, "best: {}", assignments(search, p));
            let _ = writeln!(out, "  {} = {}", search.minimize, figure_text(&p.objective));
            for (c, f) in search.constraints.iter().zip(&p.bounded) {
                let _ = writeln!(out, "  {} = {} (bound: {c})", c.metric, figure_text(f));
            }
        }
        None => {
            let _ = writeln!(out, "no point is feasible: none meets every bound");
            for (i, c) in search.constraints.iter().enumerate() {
                let reached = search
                    .points
                    .iter()
                    .filter_map(|p| Some((p, p.bounded.get(i)?.mean()?)))
                    .min_by(|a, b| {
                        if c.compare.lower_is_better() {
                            a.1.total_cmp(&b.1)
                        } else {
                            b.1.total_cmp(&a.1)
                        }
                    });
                match reached {
                    Some((p, x)) => {
                        let _ = writeln!(
                            out,
                            "  {c}: the best reached is {} at {}",
                            short(x),
                            assignments(search, p)
                        );
                    }
                    None => {
                        let _ = writeln!(out, "  {c}: no point has this figure in every seed");
                    }
                }
            }
        }
    }
    out
}
