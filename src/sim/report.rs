//! What a run produced: the summary, the timeline (CSV and JSON) and the
//! figures behind them.

use serde::Serialize;

use crate::value::Timestamp;

/// What a timeline row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RowKind {
    /// A metric sample.
    Sample,
    /// An evaluation of the formula.
    Evaluation,
}

/// One row of the timeline: the pool at a sample or an evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// ms from the start.
    pub time: i64,
    /// Sample or evaluation.
    pub kind: RowKind,
    /// Dedicated target (after this row's evaluation, if any).
    pub target_dedicated: u32,
    /// Low-priority target.
    pub target_low_priority: u32,
    /// Dedicated nodes allocated.
    pub current_dedicated: u32,
    /// Low-priority nodes allocated (preempted included).
    pub current_low_priority: u32,
    /// Preempted nodes.
    pub preempted: u32,
    /// Ready tasks not running.
    pub active: u64,
    /// Running tasks.
    pub running: u64,
    /// Tasks that succeeded since the previous sample (samples only).
    pub succeeded: u64,
    /// Tasks that failed since the previous sample (samples only).
    pub failed: u64,
    /// Index into [`Report::evaluations`].
    pub evaluation: Option<usize>,
}

/// One evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalRecord {
    /// ms from the start.
    pub time: i64,
    /// Targets before.
    pub targets_before: [u32; 2],
    /// Targets applied (truncated, floored at 0, capped by the quota).
    pub targets: [u32; 2],
    /// The results string the service would return.
    pub results: String,
    /// `Code: Line L, Col C: message` when the evaluation failed.
    pub error: Option<String>,
}

/// Tasks by final state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TaskCounts {
    /// Submitted by the end.
    pub submitted: u64,
    /// Succeeded.
    pub succeeded: u64,
    /// Failed.
    pub failed: u64,
    /// Queued, ready to run.
    pub queued: u64,
    /// Waiting for a dependency.
    pub blocked: u64,
    /// Running at the end.
    pub running: u64,
    /// Not yet submitted at the end.
    pub not_arrived: u64,
    /// Requeues: running tasks put back in the queue because their node was
    /// preempted or removed with `requeue` (Azure's `requeueCount`, apart
    /// from retries). A task requeued twice counts twice.
    pub requeued: u64,
}

/// Node-hours of work thrown away, by cause: the time a stopped attempt had
/// held its slots (from its placement), in node-hours (slot-hours ÷ slots per node).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LostWork {
    /// Attempts running on a preempted node (requeued).
    pub preempted: f64,
    /// Attempts stopped by a shrink with `requeue`.
    pub requeued: f64,
    /// Attempts stopped by a shrink with `terminate` (failed).
    pub terminated: f64,
}

impl LostWork {
    /// All node-hours lost, whatever the cause (`node_hours.lost` in the summary).
    pub fn total(&self) -> f64 {
        self.preempted + self.requeued + self.terminated
    }
}

/// A job's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct JobReport {
    /// Name.
    pub name: String,
    /// Tasks.
    pub tasks: u64,
    /// Submission (ms from the start).
    pub submitted: i64,
    /// When its last task finished (ms from the start).
    pub completed: Option<i64>,
}

/// Everything a run produced.
#[derive(Debug, Clone)]
pub struct Report {
    /// The scenario's start.
    pub start: Timestamp,
    /// The end, ms from the start.
    pub end: i64,
    /// Jobs.
    pub jobs: Vec<JobReport>,
    /// Tasks by state.
    pub tasks: TaskCounts,
    /// Wait of each task from entering the queue to its first start (ms).
    pub waits: Vec<i64>,
    /// Billed node-hours: dedicated, low-priority (preempted time not billed).
    pub node_hours: [f64; 2],
    /// Node-hours of nodes running at least one task.
    pub busy_node_hours: f64,
    /// Slot-hours in use (a task holds its slots from its placement, scheduling
    /// latency included, to its end).
    pub busy_slot_hours: f64,
    /// Task slots per node, to turn node-hours into slot-hours.
    pub slots_per_node: u32,
    /// Node-hours spent being allocated (the VM's *Creating*): not billed.
    pub allocation_node_hours: f64,
    /// Node-hours spent booting and running the start task: billed, in `node_hours`.
    pub startup_node_hours: f64,
    /// Nodes whose start task failed (each left billed and unusable).
    pub start_task_failures: u64,
    /// Work thrown away, by cause.
    pub lost_node_hours: LostWork,
    /// The job (index into [`Report::jobs`]) of each entry of [`Report::waits`].
    pub wait_jobs: Vec<u32>,
    /// Prices per node-hour.
    pub prices: [f64; 2],
    /// Low-priority preemptions.
    pub preemptions: u64,
    /// The timeline.
    pub rows: Vec<Row>,
    /// Each evaluation.
    pub evaluations: Vec<EvalRecord>,
}

/// Resize statistics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resizes {
    /// Evaluations that changed a target.
    pub count: u32,
    /// Largest change of the total target in one evaluation.
    pub largest_step: u32,
    /// Resizes that reversed the direction of the previous resize within
    /// an hour (3,600,000 ms) of it.
    pub flaps: u32,
}

/// The index of the nearest-rank `p`th percentile among `len` sorted values.
fn rank_index(len: usize, p: f64) -> usize {
    let rank = ((p / 100.0) * len as f64).ceil().max(1.0) as usize;
    rank.min(len).saturating_sub(1)
}

/// Nearest-rank p50, p95 and the maximum of `v`, which it reorders; `None`
/// when empty. Two selections instead of a sort: a million waits are
/// summarised in linear time, and the values are those of the sorted list.
pub(crate) fn wait_percentiles(v: &mut [i64]) -> Option<(i64, i64, i64)> {
    if v.is_empty() {
        return None;
    }
    let (i50, i95) = (rank_index(v.len(), 50.0), rank_index(v.len(), 95.0));
    let (below, &mut p95, above) = v.select_nth_unstable(i95);
    let max = above.iter().copied().fold(p95, i64::max);
    // The median is among the values below the 95th percentile's place
    // (`below` holds i95 of them), or is that value itself.
    let p50 = if i50 < i95 {
        *below.select_nth_unstable(i50).1
    } else {
        p95
    };
    Some((p50, p95, max))
}

/// `1h 02m 03s`-style length of `ms`.
pub(crate) fn hms(ms: i64) -> String {
    let s = ms / 1000;
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    if h >= 24 {
        format!("{}d {:02}h {:02}m {:02}s", h / 24, h % 24, m, sec)
    } else if h > 0 {
        format!("{h}h {m:02}m {sec:02}s")
    } else {
        format!("{m}m {sec:02}s")
    }
}

impl Report {
    /// Wait percentiles p50, p95 and the maximum (ms).
    pub fn wait_stats(&self) -> Option<(i64, i64, i64)> {
        wait_percentiles(&mut self.waits.clone())
    }

    /// Cost by node type.
    pub fn cost(&self) -> [f64; 2] {
        [
            self.node_hours[0] * self.prices[0],
            self.node_hours[1] * self.prices[1],
        ]
    }

    /// Share of billed node-hours with no task running (start-up included).
    pub fn idle_share(&self) -> f64 {
        let total = self.node_hours[0] + self.node_hours[1];
        if total > 0.0 {
            ((total - self.busy_node_hours) / total).max(0.0)
        } else {
            0.0
        }
    }

    /// Resizes, the largest step and flapping (a reversal within
    /// an hour (3,600,000 ms) of the resize before).
    pub fn resizes(&self) -> Resizes {
        let mut r = Resizes::default();
        let mut last_direction = 0i64;
        let mut last_time = i64::MIN;
        for e in &self.evaluations {
            let before = i64::from(e.targets_before[0]) + i64::from(e.targets_before[1]);
            let after = i64::from(e.targets[0]) + i64::from(e.targets[1]);
            if e.targets == e.targets_before {
                continue;
            }
            r.count += 1;
            r.largest_step = r.largest_step.max((after - before).unsigned_abs() as u32);
            let direction = (after - before).signum();
            if direction != 0 {
                let soon = e.time.saturating_sub(last_time) <= super::summary::FLAP_WINDOW_MS;
                if last_direction != 0 && direction != last_direction && soon {
                    r.flaps += 1;
                }
                last_direction = direction;
                last_time = e.time;
            }
        }
        r
    }

    /// Failed evaluations and the first error.
    pub fn errors(&self) -> (usize, Option<&str>) {
        let mut errors = self.evaluations.iter().filter_map(|e| e.error.as_deref());
        let first = errors.next();
        (usize::from(first.is_some()) + errors.count(), first)
    }

    /// The summary printed on the terminal (and in `summary.txt`).
    pub fn summary(&self) -> String {
        super::summary::Summary::of(self).text()
    }

    fn time_text(&self, ms: i64) -> String {
        let ticks = self.start.ticks().saturating_add(ms.saturating_mul(10_000));
        Timestamp::from_ticks(ticks).map_or_else(String::new, |t| t.to_string())
    }

    /// The timeline as CSV.
    pub fn timeline_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record([
            "time",
            "event",
            "target_dedicated",
            "target_low_priority",
            "current_dedicated",
            "current_low_priority",
            "preempted",
            "active_tasks",
            "running_tasks",
            "pending_tasks",
            "succeeded_tasks",
            "failed_tasks",
            "results",
            "error",
        ]);
        for row in &self.rows {
            let e = row.evaluation.and_then(|i| self.evaluations.get(i));
            let kind = match row.kind {
                RowKind::Sample => "sample",
                RowKind::Evaluation => "evaluation",
            };
            let _ = w.write_record([
                self.time_text(row.time),
                kind.to_string(),
                row.target_dedicated.to_string(),
                row.target_low_priority.to_string(),
                row.current_dedicated.to_string(),
                row.current_low_priority.to_string(),
                row.preempted.to_string(),
                row.active.to_string(),
                row.running.to_string(),
                (row.active + row.running).to_string(),
                row.succeeded.to_string(),
                row.failed.to_string(),
                e.map_or_else(String::new, |e| e.results.clone()),
                e.and_then(|e| e.error.clone()).unwrap_or_default(),
            ]);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// The timeline and summary figures as JSON.
    pub fn timeline_json(&self) -> String {
        #[derive(Serialize)]
        struct JsonRow<'a> {
            time: String,
            event: RowKind,
            target_dedicated: u32,
            target_low_priority: u32,
            current_dedicated: u32,
            current_low_priority: u32,
            preempted: u32,
            active_tasks: u64,
            running_tasks: u64,
            pending_tasks: u64,
            #[serde(skip_serializing_if = "Option::is_none")]
            results: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            error: Option<&'a str>,
        }
        let rows: Vec<JsonRow<'_>> = self
            .rows
            .iter()
            .map(|row| {
                let e = row.evaluation.and_then(|i| self.evaluations.get(i));
                JsonRow {
                    time: self.time_text(row.time),
                    event: row.kind,
                    target_dedicated: row.target_dedicated,
                    target_low_priority: row.target_low_priority,
                    current_dedicated: row.current_dedicated,
                    current_low_priority: row.current_low_priority,
                    preempted: row.preempted,
                    active_tasks: row.active,
                    running_tasks: row.running,
                    pending_tasks: row.active + row.running,
                    results: e.map(|e| e.results.as_str()),
                    error: e.and_then(|e| e.error.as_deref()),
                }
            })
            .collect();
        let r = self.resizes();
        let (errors, first) = self.errors();
        let waits = self.wait_stats();
        let cost = self.cost();
        let value = serde_json::json!({
            "start": self.start.to_string(),
            "end": self.time_text(self.end),
            "jobs": self.jobs.iter().map(|j| serde_json::json!({
                "name": j.name,
                "tasks": j.tasks,
                "completed": j.completed.map(|c| self.time_text(c)),
                "completion_seconds": j.completed.map(|c| (c - j.submitted) as f64 / 1000.0),
            })).collect::<Vec<_>>(),
            "tasks": {
                "submitted": self.tasks.submitted,
                "succeeded": self.tasks.succeeded,
                "failed": self.tasks.failed,
                "queued": self.tasks.queued,
                "blocked": self.tasks.blocked,
                "running": self.tasks.running,
            },
            "task_wait_seconds": waits.map(|(a, b, c)| serde_json::json!({
                "p50": a as f64 / 1000.0, "p95": b as f64 / 1000.0, "max": c as f64 / 1000.0,
            })),
            "node_hours": {"dedicated": self.node_hours[0], "low_priority": self.node_hours[1]},
            "cost": {"dedicated": cost[0], "low_priority": cost[1]},
            "idle_share": self.idle_share(),
            "evaluations": self.evaluations.len(),
            "resizes": r.count,
            "largest_step": r.largest_step,
            "flapping": r.flaps,
            "preemptions": self.preemptions,
            "evaluation_errors": errors,
            "first_error": first,
            "timeline": rows,
        });
        serde_json::to_string_pretty(&value).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The nearest-rank definition on a sorted copy: the value of rank
    /// ⌈p/100 · n⌉ (at least 1).
    fn sorted_figures(v: &[i64]) -> Option<(i64, i64, i64)> {
        let mut sorted = v.to_vec();
        sorted.sort_unstable();
        let at = |p: f64| {
            let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
            sorted[rank - 1]
        };
        Some((at(50.0), at(95.0), *sorted.last()?))
    }

    #[test]
    fn selection_gives_the_sorted_lists_percentiles() {
        assert_eq!(wait_percentiles(&mut []), None);
        // 1..=20 shuffled: p50 is rank 10, p95 rank 19, max 20.
        let mut v: Vec<i64> = (1..=20).map(|i| (i * 7) % 20 + 1).collect();
        assert_eq!(wait_percentiles(&mut v), Some((10, 19, 20)));
        // Every length to 60, with repeats, against a sort.
        for n in 1..=60i64 {
            let v: Vec<i64> = (0..n).map(|i| (i * 37 + 11) % 13 - 4).collect();
            assert_eq!(
                wait_percentiles(&mut v.clone()),
                sorted_figures(&v),
                "{v:?}"
            );
        }
    }
}
