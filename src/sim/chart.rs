//! Charts of a run: an SVG (plotters, SVG backend only) and a compact one for
//! the terminal.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::replay::ReplayEvaluation;
use super::report::{Report, Row, RowKind};
use crate::builtins::Metric;
use crate::context::{EvalContext, Series};
use crate::value::Timestamp;

const HOUR_MS: f64 = 3_600_000.0;

/// The chart's size in pixels: plots on the left, legends on the right.
const WIDTH: u32 = 1100;
const PLOT_WIDTH: u32 = 880;

/// How an entry of a legend is drawn.
#[derive(Clone, Copy)]
enum Mark {
    Line(RGBColor, u32),
    Dashed(RGBColor),
    Cross(RGBColor),
    Tick(RGBColor),
}

/// A line of the nodes panel: name, colour, dashed, and the row's value.
type NodeLine = (&'static str, RGBColor, bool, fn(&Row) -> f64);

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;
type Plot<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The x axis: wall-clock time in the start's time zone, in units chosen so
/// that ticks fall on whole hours or days.
#[derive(Debug, Clone, Copy)]
pub struct TimeAxis {
    /// The run's start.
    pub start: Timestamp,
    /// The run's length in ms.
    pub end_ms: i64,
    /// The start's offset from UTC in seconds (`+01:00` is 3600).
    pub utc_offset_s: i32,
}

impl TimeAxis {
    fn unit_ms(&self) -> f64 {
        const MIN: i64 = 60_000;
        let units = [
            5 * MIN,
            15 * MIN,
            30 * MIN,
            60 * MIN,
            120 * MIN,
            180 * MIN,
            360 * MIN,
            720 * MIN,
            1440 * MIN,
            2 * 1440 * MIN,
            7 * 1440 * MIN,
            30 * 1440 * MIN,
        ];
        let unit = units
            .iter()
            .copied()
            .find(|&u| self.end_ms / u <= 12)
            .unwrap_or(30 * 1440 * MIN);
        unit as f64
    }

    fn x(&self, ms: i64) -> f64 {
        ms as f64 / self.unit_ms()
    }

    fn range(&self) -> std::ops::Range<f64> {
        0.0..self.x(self.end_ms).max(0.5)
    }

    fn ticks(&self) -> usize {
        self.range().end.ceil() as usize + 1
    }

    fn label(&self, v: f64) -> String {
        if (v - v.round()).abs() > 1e-6 {
            return String::new();
        }
        let ms = (v.round() * self.unit_ms()) as i64;
        let ticks = self.start.ticks().saturating_add(ms.saturating_mul(10_000));
        let Some(t) = Timestamp::from_ticks(ticks) else {
            return String::new();
        };
        let Some(zone) = chrono::FixedOffset::east_opt(self.utc_offset_s)
            .or_else(|| chrono::FixedOffset::east_opt(0))
        else {
            return String::new();
        };
        let local = t.to_datetime().with_timezone(&zone);
        if self.unit_ms() >= 86_400_000.0 {
            local.format("%a %d %b").to_string()
        } else {
            local.format("%a %H:%M").to_string()
        }
    }

    fn description(&self) -> String {
        if self.utc_offset_s == 0 {
            "time (UTC)".to_string()
        } else {
            let sign = if self.utc_offset_s < 0 { '-' } else { '+' };
            let s = self.utc_offset_s.unsigned_abs();
            format!("time (UTC{sign}{:02}:{:02})", s / 3600, s / 60 % 60)
        }
    }
}

/// A y range from 0 with room above `max`, and how many labels so that an
/// integer axis shows only integers.
fn y_axis(max: f64) -> (f64, usize) {
    let top = (max * 1.1).max(5.0).ceil();
    let labels = if top <= 10.0 { top as usize + 1 } else { 11 };
    (top, labels)
}

fn integer_label(v: &f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        String::new()
    }
}

fn money_label(v: &f64) -> String {
    if (v - v.round()).abs() < 1e-9 || v.abs() >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

fn plot<'a, 'b>(
    area: &'a Area<'b>,
    axis: &TimeAxis,
    max: f64,
    y_desc: &str,
    integer: bool,
) -> Result<Plot<'a, 'b>, String> {
    let (top, labels) = if integer {
        y_axis(max)
    } else {
        ((max * 1.1).max(1.0), 6)
    };
    let mut chart = ChartBuilder::on(area)
        .margin(8)
        .x_label_area_size(34)
        .y_label_area_size(64)
        .build_cartesian_2d(axis.range(), 0.0..top)
        .map_err(|e| e.to_string())?;
    let x_label = |v: &f64| axis.label(*v);
    let y_label: &dyn Fn(&f64) -> String = if integer {
        &integer_label
    } else {
        &money_label
    };
    chart
        .configure_mesh()
        .x_labels(axis.ticks())
        .x_label_formatter(&x_label)
        .y_labels(labels)
        .y_label_formatter(y_label)
        .y_desc(y_desc)
        .x_desc(axis.description())
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(|e| e.to_string())?;
    Ok(chart)
}

/// One legend entry's sample of the line or marker, from `x0` to `x1` at `y`.
fn draw_mark(area: &Area<'_>, mark: Mark, (x0, x1): (i32, i32), y: i32) -> Result<(), String> {
    let drawn = match mark {
        Mark::Line(color, width) => area.draw(&PathElement::new(
            vec![(x0, y), (x1, y)],
            color.stroke_width(width),
        )),
        Mark::Dashed(color) => (0..4).try_for_each(|k| {
            let x = x0 + 8 * k;
            area.draw(&PathElement::new(
                vec![(x, y), (x + 4, y)],
                color.stroke_width(2),
            ))
        }),
        Mark::Cross(color) => area.draw(&Cross::new((x0 + 14, y), 5, color.stroke_width(2))),
        Mark::Tick(color) => area.draw(&PathElement::new(
            vec![(x0 + 14, y - 6), (x0 + 14, y + 6)],
            color.stroke_width(1),
        )),
    };
    drawn.map_err(|e| e.to_string())
}

/// A legend in its own area beside the plot, so that it never covers data.
fn legend(area: &Area<'_>, items: &[(String, Mark)]) -> Result<(), String> {
    let font = ("sans-serif", 14).into_font();
    for (i, (name, mark)) in items.iter().enumerate() {
        let y = 24 + 22 * i as i32;
        let (x0, x1) = (6, 34);
        draw_mark(area, *mark, (x0, x1), y)?;
        area.draw(&Text::new(name.clone(), (x1 + 8, y - 7), font.clone()))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

const ORANGE: RGBColor = RGBColor(230, 120, 0);
const GREY: RGBColor = RGBColor(150, 150, 150);
const DARK_GREEN: RGBColor = RGBColor(0, 140, 0);
const PURPLE: RGBColor = RGBColor(140, 60, 170);

/// Steps of `value` over the rows, in the axis's units.
fn line(report: &Report, axis: &TimeAxis, value: impl Fn(&Row) -> f64) -> Vec<(f64, f64)> {
    steps(report.rows.iter().map(|r| (axis.x(r.time), value(r))))
}

/// Cost accrued up to each row: each row's billed nodes times their price
/// until the next row.
fn cumulative_cost(report: &Report, axis: &TimeAxis) -> Vec<(f64, f64)> {
    let mut total = 0.0;
    let mut out = vec![(0.0, 0.0)];
    let mut previous: Option<&Row> = None;
    for row in &report.rows {
        if let Some(p) = previous {
            let hours = (row.time - p.time) as f64 / HOUR_MS;
            let low = p.current_low_priority.saturating_sub(p.preempted);
            total += hours
                * (f64::from(p.current_dedicated) * report.prices[0]
                    + f64::from(low) * report.prices[1]);
        }
        out.push((axis.x(row.time), total));
        previous = Some(row);
    }
    out
}

/// Splits the root into titled panels of the given heights, each with its
/// legend area on the right.
fn panels<'a>(root: &Area<'a>, heights: &[u32]) -> Vec<(Area<'a>, Area<'a>)> {
    let mut out = Vec::new();
    let mut rest = root.clone();
    for &h in heights {
        let (row, below) = rest.split_vertically(h);
        let (plot, legend) = row.split_horizontally(PLOT_WIDTH);
        out.push((plot, legend));
        rest = below;
    }
    out
}

/// The SVG chart of a run in UTC; see [`svg_in_zone`].
pub fn svg(report: &Report, title: &str) -> Result<String, String> {
    svg_in_zone(report, title, 0)
}

/// The SVG chart of a run: nodes by type (current solid, target dashed,
/// preempted), failed evaluations as crosses, pending tasks, and the cost
/// accrued, against the clock in the start's time zone (`utc_offset_s`).
pub fn svg_in_zone(report: &Report, title: &str, utc_offset_s: i32) -> Result<String, String> {
    let axis = TimeAxis {
        start: report.start,
        end_ms: report.end,
        utc_offset_s,
    };
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, 820)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let root = root
            .titled(title, ("sans-serif", 20))
            .map_err(|e| e.to_string())?;
        let areas = panels(&root, &[380, 200, 200]);
        let [(nodes_area, nodes_legend), (pending_area, pending_legend), (cost_area, cost_legend)] =
            areas.as_slice()
        else {
            return Err("layout".to_string());
        };
        let max_nodes = report
            .rows
            .iter()
            .map(|r| {
                r.target_dedicated
                    .max(r.target_low_priority)
                    .max(r.current_dedicated)
                    .max(r.current_low_priority)
            })
            .max()
            .unwrap_or(0);
        let mut chart = plot(nodes_area, &axis, f64::from(max_nodes), "nodes", true)?;
        let series: [NodeLine; 5] = [
            ("dedicated", BLUE, false, |r| f64::from(r.current_dedicated)),
            ("dedicated target", BLUE, true, |r| {
                f64::from(r.target_dedicated)
            }),
            ("low-priority", DARK_GREEN, false, |r| {
                f64::from(r.current_low_priority)
            }),
            ("low-priority target", DARK_GREEN, true, |r| {
                f64::from(r.target_low_priority)
            }),
            ("preempted", RED, false, |r| f64::from(r.preempted)),
        ];
        let mut items = Vec::new();
        for (name, color, dashed, value) in series {
            let points = line(report, &axis, value);
            if dashed {
                chart
                    .draw_series(DashedLineSeries::new(points, 6, 4, color.stroke_width(2)))
                    .map_err(|e| e.to_string())?;
                items.push((name.to_string(), Mark::Dashed(color)));
            } else {
                chart
                    .draw_series(LineSeries::new(points, color.stroke_width(2)))
                    .map_err(|e| e.to_string())?;
                items.push((name.to_string(), Mark::Line(color, 2)));
            }
        }
        let (top, _) = y_axis(f64::from(max_nodes));
        let tick = top / 60.0;
        chart
            .draw_series(
                report
                    .evaluations
                    .iter()
                    .filter(|e| e.error.is_none())
                    .map(|e| {
                        PathElement::new(vec![(axis.x(e.time), 0.0), (axis.x(e.time), tick)], GREY)
                    }),
            )
            .map_err(|e| e.to_string())?;
        items.push(("evaluation".to_string(), Mark::Tick(GREY)));
        let failed: Vec<_> = report
            .evaluations
            .iter()
            .filter(|e| e.error.is_some())
            .collect();
        if !failed.is_empty() {
            chart
                .draw_series(
                    failed.iter().map(|e| {
                        Cross::new((axis.x(e.time), top * 0.04), 5, ORANGE.stroke_width(2))
                    }),
                )
                .map_err(|e| e.to_string())?;
            items.push((
                format!("failed evaluation ({})", failed.len()),
                Mark::Cross(ORANGE),
            ));
        }
        legend(nodes_legend, &items)?;

        let samples: Vec<&Row> = report
            .rows
            .iter()
            .filter(|r| r.kind == RowKind::Sample)
            .collect();
        let max_pending = samples
            .iter()
            .map(|r| r.active + r.running)
            .max()
            .unwrap_or(0);
        let mut lower = plot(pending_area, &axis, max_pending as f64, "tasks", true)?;
        lower
            .draw_series(LineSeries::new(
                steps(
                    samples
                        .iter()
                        .map(|r| (axis.x(r.time), (r.active + r.running) as f64)),
                ),
                PURPLE.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?;
        lower
            .draw_series(LineSeries::new(
                steps(samples.iter().map(|r| (axis.x(r.time), r.running as f64))),
                BLACK.stroke_width(1),
            ))
            .map_err(|e| e.to_string())?;
        legend(
            pending_legend,
            &[
                (
                    "pending (queued + running)".to_string(),
                    Mark::Line(PURPLE, 2),
                ),
                ("running".to_string(), Mark::Line(BLACK, 1)),
            ],
        )?;

        let cost = cumulative_cost(report, &axis);
        let max_cost = cost.last().map_or(0.0, |c| c.1);
        let mut money = plot(cost_area, &axis, max_cost, "cost so far", false)?;
        money
            .draw_series(LineSeries::new(cost, ORANGE.stroke_width(2)))
            .map_err(|e| e.to_string())?;
        legend(
            cost_legend,
            &[("cumulative cost".to_string(), Mark::Line(ORANGE, 2))],
        )?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// Two runs of the same scenario on the same axes: nodes (current solid,
/// target dashed), pending tasks and cost accrued, A in blue, B in orange.
pub fn compare_svg(
    a: &Report,
    b: &Report,
    names: [&str; 2],
    title: &str,
    utc_offset_s: i32,
) -> Result<String, String> {
    let axis = TimeAxis {
        start: a.start,
        end_ms: a.end.max(b.end),
        utc_offset_s,
    };
    let runs = [(a, BLUE, "A"), (b, ORANGE, "B")];
    let title = format!("{title}: A = {}, B = {}", names[0], names[1]);
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, 820)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let root = root
            .titled(&title, ("sans-serif", 20))
            .map_err(|e| e.to_string())?;
        let areas = panels(&root, &[380, 200, 200]);
        let [(nodes_area, nodes_legend), (pending_area, pending_legend), (cost_area, cost_legend)] =
            areas.as_slice()
        else {
            return Err("layout".to_string());
        };
        let total = |r: &Row| f64::from(r.current_dedicated + r.current_low_priority);
        let target = |r: &Row| f64::from(r.target_dedicated + r.target_low_priority);
        let max_nodes = [a, b]
            .iter()
            .flat_map(|r| r.rows.iter().map(|row| total(row).max(target(row))))
            .fold(0.0, f64::max);
        let mut nodes = plot(nodes_area, &axis, max_nodes, "nodes (all types)", true)?;
        let mut items = Vec::new();
        for (report, color, name) in runs {
            nodes
                .draw_series(LineSeries::new(
                    line(report, &axis, total),
                    color.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?;
            nodes
                .draw_series(DashedLineSeries::new(
                    line(report, &axis, target),
                    6,
                    4,
                    color.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?;
            items.push((format!("{name} nodes"), Mark::Line(color, 2)));
            items.push((format!("{name} target"), Mark::Dashed(color)));
            let (top, _) = y_axis(max_nodes);
            let failed: Vec<_> = report
                .evaluations
                .iter()
                .filter(|e| e.error.is_some())
                .collect();
            if !failed.is_empty() {
                nodes
                    .draw_series(failed.iter().map(|e| {
                        Cross::new((axis.x(e.time), top * 0.04), 5, color.stroke_width(2))
                    }))
                    .map_err(|e| e.to_string())?;
                items.push((
                    format!("{name} failed evaluation ({})", failed.len()),
                    Mark::Cross(color),
                ));
            }
        }
        legend(nodes_legend, &items)?;
        let pending = |r: &Row| (r.active + r.running) as f64;
        let max_pending = [a, b]
            .iter()
            .flat_map(|r| r.rows.iter().map(pending))
            .fold(0.0, f64::max);
        let mut tasks = plot(pending_area, &axis, max_pending, "pending tasks", true)?;
        let mut items = Vec::new();
        for (report, color, name) in runs {
            let samples = report.rows.iter().filter(|r| r.kind == RowKind::Sample);
            tasks
                .draw_series(LineSeries::new(
                    steps(samples.map(|r| (axis.x(r.time), pending(r)))),
                    color.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?;
            items.push((format!("{name} pending"), Mark::Line(color, 2)));
        }
        legend(pending_legend, &items)?;
        let costs = [cumulative_cost(a, &axis), cumulative_cost(b, &axis)];
        let max_cost = costs
            .iter()
            .filter_map(|c| c.last().map(|p| p.1))
            .fold(0.0, f64::max);
        let mut money = plot(cost_area, &axis, max_cost, "cost so far", false)?;
        let mut items = Vec::new();
        for ((_, color, name), cost) in runs.iter().zip(costs) {
            money
                .draw_series(LineSeries::new(cost, color.stroke_width(2)))
                .map_err(|e| e.to_string())?;
            items.push((format!("{name} cumulative cost"), Mark::Line(*color, 2)));
        }
        legend(cost_legend, &items)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// A replay: the targets the formula set (failed evaluations as crosses)
/// above the recorded metrics it read.
pub fn replay_svg(
    evaluations: &[ReplayEvaluation],
    recorded: &EvalContext,
    title: &str,
) -> Result<String, String> {
    let times: Vec<Timestamp> = evaluations
        .iter()
        .filter_map(|e| Timestamp::parse_rfc3339(&e.time))
        .collect();
    let series: Vec<(Metric, &Series)> = Metric::ALL
        .iter()
        .filter_map(|&m| recorded.series(m).map(|s| (m, s)))
        .collect();
    let first_sample = series
        .iter()
        .filter_map(|(_, s)| s.times().first().copied())
        .min();
    let last_sample = series
        .iter()
        .filter_map(|(_, s)| s.times().last().copied())
        .max();
    let start_ticks = times
        .first()
        .map(|t| t.ticks())
        .into_iter()
        .chain(first_sample)
        .min()
        .unwrap_or(0);
    let end_ticks = times
        .last()
        .map(|t| t.ticks())
        .into_iter()
        .chain(last_sample)
        .max()
        .unwrap_or(start_ticks);
    let start = Timestamp::from_ticks(start_ticks).unwrap_or(Timestamp::UNIX_EPOCH);
    let axis = TimeAxis {
        start,
        end_ms: (end_ticks - start_ticks) / 10_000,
        utc_offset_s: 0,
    };
    let ms = |ticks: i64| (ticks - start_ticks) / 10_000;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, 640)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let root = root
            .titled(title, ("sans-serif", 20))
            .map_err(|e| e.to_string())?;
        let areas = panels(&root, &[300, 300]);
        let [(targets_area, targets_legend), (metrics_area, metrics_legend)] = areas.as_slice()
        else {
            return Err("layout".to_string());
        };
        let max_target = evaluations
            .iter()
            .map(|e| e.targets[0].max(e.targets[1]))
            .max()
            .unwrap_or(0);
        let mut chart = plot(
            targets_area,
            &axis,
            f64::from(max_target),
            "target nodes",
            true,
        )?;
        let mut items = Vec::new();
        for (k, name, color) in [
            (0, "dedicated target", BLUE),
            (1, "low-priority target", DARK_GREEN),
        ] {
            let points = staircase(evaluations.iter().zip(&times).map(|(e, t)| {
                (
                    axis.x(ms(t.ticks())),
                    f64::from(e.targets.get(k).copied().unwrap_or(0)),
                )
            }));
            chart
                .draw_series(LineSeries::new(points, color.stroke_width(2)))
                .map_err(|e| e.to_string())?;
            items.push((name.to_string(), Mark::Line(color, 2)));
        }
        let (top, _) = y_axis(f64::from(max_target));
        let failed: Vec<f64> = evaluations
            .iter()
            .zip(&times)
            .filter(|(e, _)| e.error.is_some())
            .map(|(_, t)| axis.x(ms(t.ticks())))
            .collect();
        if !failed.is_empty() {
            chart
                .draw_series(
                    failed
                        .iter()
                        .map(|&x| Cross::new((x, top * 0.04), 5, ORANGE.stroke_width(2))),
                )
                .map_err(|e| e.to_string())?;
            items.push((
                format!("failed evaluation ({})", failed.len()),
                Mark::Cross(ORANGE),
            ));
        }
        legend(targets_legend, &items)?;
        let max_metric = series
            .iter()
            .flat_map(|(_, s)| s.values().iter().copied())
            .fold(0.0, f64::max);
        let mut lower = plot(metrics_area, &axis, max_metric, "recorded value", false)?;
        let palette = [PURPLE, BLACK, RED, ORANGE, BLUE, DARK_GREEN, GREY];
        let mut items = Vec::new();
        for (i, (metric, s)) in series.iter().enumerate() {
            let color = palette.get(i % palette.len()).copied().unwrap_or(BLACK);
            let points: Vec<(f64, f64)> = s
                .times()
                .iter()
                .zip(s.values())
                .map(|(&t, &v)| (axis.x(ms(t)), v))
                .collect();
            lower
                .draw_series(LineSeries::new(points, color.stroke_width(2)))
                .map_err(|e| e.to_string())?;
            items.push((metric.name().to_string(), Mark::Line(color, 2)));
        }
        legend(metrics_legend, &items)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// A value that holds until the next point: each change drawn as a vertical
/// step, not a slope.
fn staircase(points: impl Iterator<Item = (f64, f64)>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (x, y) in points {
        if let Some(&(_, previous)) = out.last() {
            if previous != y {
                out.push((x, previous));
            }
        }
        out.push((x, y));
    }
    steps(out.into_iter())
}

/// Drops the points inside runs of equal values (the first and last of each
/// run stay), so that a week of 30-second samples stays a small file with the
/// same picture.
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
