//! Charts of a run: an SVG (plotters, SVG backend only) and a compact one for
//! the terminal.

#[cfg(feature = "charts")]
use plotters::prelude::*;

use super::report::{Report, RowKind};

#[cfg(feature = "charts")]
const HOUR_MS: f64 = 3_600_000.0;

/// A value of a timeline row to plot.
#[cfg(feature = "charts")]
type RowValue = Box<dyn Fn(&super::report::Row) -> f64>;

/// The SVG chart: nodes by type with targets above, pending tasks below,
/// evaluation ticks (red where an evaluation failed).
#[cfg(feature = "charts")]
pub fn svg(report: &Report, title: &str) -> Result<String, String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (960, 600)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let (top, bottom) = root.split_vertically(380);
        let hours = (report.end as f64 / HOUR_MS).max(1.0 / 60.0);
        let samples: Vec<_> = report
            .rows
            .iter()
            .filter(|r| r.kind == RowKind::Sample)
            .collect();
        let max_nodes = report
            .rows
            .iter()
            .map(|r| {
                (r.target_dedicated + r.target_low_priority)
                    .max(r.current_dedicated + r.current_low_priority)
            })
            .max()
            .unwrap_or(0)
            .max(1);
        let y_top = f64::from(max_nodes) * 1.1;
        let mut chart = ChartBuilder::on(&top)
            .caption(title, ("sans-serif", 20))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..hours, 0.0..y_top)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .y_desc("nodes")
            .x_desc("hours")
            .draw()
            .map_err(|e| e.to_string())?;
        let x = |t: i64| t as f64 / HOUR_MS;
        let series: [(&str, RGBColor, RowValue); 5] = [
            (
                "target (all)",
                BLACK,
                Box::new(|r| f64::from(r.target_dedicated + r.target_low_priority)),
            ),
            (
                "dedicated",
                BLUE,
                Box::new(|r| f64::from(r.current_dedicated)),
            ),
            (
                "low-priority",
                GREEN,
                Box::new(|r| f64::from(r.current_low_priority)),
            ),
            (
                "target low-priority",
                RGBColor(0, 150, 0),
                Box::new(|r| f64::from(r.target_low_priority)),
            ),
            ("preempted", RED, Box::new(|r| f64::from(r.preempted))),
        ];
        for (name, color, value) in series {
            chart
                .draw_series(LineSeries::new(
                    steps(report.rows.iter().map(|r| (x(r.time), value(r)))),
                    color.stroke_width(if name.starts_with("target") { 1 } else { 2 }),
                ))
                .map_err(|e| e.to_string())?
                .label(name)
                .legend(move |(lx, ly)| PathElement::new(vec![(lx, ly), (lx + 20, ly)], color));
        }
        let tick = y_top / 40.0;
        for e in &report.evaluations {
            let color = if e.error.is_some() {
                RED
            } else {
                RGBColor(120, 120, 120)
            };
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x(e.time), 0.0), (x(e.time), tick)],
                    color.stroke_width(if e.error.is_some() { 2 } else { 1 }),
                )))
                .map_err(|e| e.to_string())?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(|e| e.to_string())?;
        let max_pending = samples
            .iter()
            .map(|r| r.active + r.running)
            .max()
            .unwrap_or(0)
            .max(1);
        let mut lower = ChartBuilder::on(&bottom)
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..hours, 0.0..(max_pending as f64 * 1.1))
            .map_err(|e| e.to_string())?;
        lower
            .configure_mesh()
            .y_desc("pending tasks")
            .x_desc("hours")
            .draw()
            .map_err(|e| e.to_string())?;
        lower
            .draw_series(LineSeries::new(
                samples
                    .iter()
                    .map(|r| (x(r.time), (r.active + r.running) as f64)),
                MAGENTA.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// Drops the points inside runs of equal values (the first and last of each
/// run stay), so that a week of 30-second samples stays a small file with the
/// same picture.
#[cfg(feature = "charts")]
fn steps(points: impl Iterator<Item = (f64, f64)>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    let mut pending: Option<(f64, f64)> = None;
    for p in points {
        match out.last() {
            Some(last) if last.1 == p.1 => pending = Some(p),
            _ => {
                if let Some(q) = pending.take() {
                    out.push(q);
                }
                out.push(p);
            }
        }
    }
    if let Some(q) = pending {
        out.push(q);
    }
    out
}

/// A compact terminal chart: allocated nodes (`#`), target (`-` where above
/// the nodes) per column, and pending tasks as a sparkline below.
pub fn terminal(report: &Report, width: usize, height: usize) -> String {
    let samples: Vec<_> = report
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Sample)
        .collect();
    if samples.is_empty() || width == 0 || height == 0 {
        return String::new();
    }
    let column = |c: usize| {
        let i = c * samples.len() / width;
        samples.get(i.min(samples.len() - 1))
    };
    let nodes = |r: &super::report::Row| u64::from(r.current_dedicated + r.current_low_priority);
    let target = |r: &super::report::Row| u64::from(r.target_dedicated + r.target_low_priority);
    let top = samples
        .iter()
        .map(|r| nodes(r).max(target(r)))
        .max()
        .unwrap_or(0)
        .max(1);
    let mut out = String::new();
    for level in (1..=height).rev() {
        let threshold = (top as f64) * (level as f64 - 0.5) / height as f64;
        let label = if level == height {
            format!("{top:>6} ")
        } else {
            "       ".to_string()
        };
        out.push_str(&label);
        out.push('|');
        for c in 0..width {
            let ch = match column(c) {
                Some(r) if nodes(r) as f64 >= threshold => '#',
                Some(r) if target(r) as f64 >= threshold => '-',
                _ => ' ',
            };
            out.push(ch);
        }
        out.push('\n');
    }
    out.push_str("     0 +");
    out.push_str(&"-".repeat(width));
    out.push('\n');
    let bars = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let pending_top = samples
        .iter()
        .map(|r| r.active + r.running)
        .max()
        .unwrap_or(0)
        .max(1);
    out.push_str("pending ");
    for c in 0..width {
        let p = column(c).map_or(0, |r| r.active + r.running);
        let i = if p == 0 {
            None
        } else {
            Some(((p * 7) / pending_top) as usize)
        };
        out.push(i.and_then(|i| bars.get(i)).copied().unwrap_or(' '));
    }
    out.push('\n');
    out.push_str(&format!(
        "        0 .. {} (nodes: # allocated, - target above allocation; pending peak {pending_top})\n",
        super::report::hms(report.end)
    ));
    out
}
