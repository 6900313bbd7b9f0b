//! The figures of a run as data: what `summary.json` holds and what `tune`,
//! `test` and the Python package read.
//!
//! ```
//! use batchscale::sim::{simulate, LoadedScenario, Summary};
//! use batchscale::Formula;
//!
//! let scenario = LoadedScenario::parse("demo.toml", r#"
//!     formula = "$TargetDedicatedNodes = 4;"
//!     duration = "PT1H"
//!     stop_when_done = false
//!     [pool]
//!     allocation_delay = { fixed = "PT0S" }
//!     startup = { fixed = "PT5M" }
//!     dedicated_price = 1.5
//!     [scheduling]
//!     latency = { fixed = "PT0S" }
//!     [[job]]
//!     tasks = 8
//!     duration = { fixed = "PT10M" }
//! "#).unwrap();
//! let formula = Formula::parse(scenario.scenario.formula.as_deref().unwrap()).unwrap();
//! let summary = Summary::of(&simulate(&scenario, &formula, 0, None).unwrap());
//! // Four nodes ready at 5 min run two waves of 10 minutes: done at 25 min.
//! assert_eq!(summary.jobs[0].completed_after_s, Some(1500.0));
//! // Four nodes billed for the whole hour: 4 node-hours at 1.5.
//! assert_eq!(summary.cost.total, 6.0);
//! assert_eq!(summary.cost.per_task, Some(6.0 / 8.0));
//! ```

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::report::{hms, wait_percentiles, Report};

/// Longest gap between two resizes in opposite directions for the second to
/// count as a flap: one hour. A schedule that grows at 08:00 and shrinks at
/// 18:00 does not flap; a formula that grows and shrinks within the hour does.
pub(crate) const FLAP_WINDOW_MS: i64 = 3_600_000;

/// Every figure of one run. Times are seconds, costs in the scenario's price
/// unit, shares from 0 to 1. `None` (JSON `null`) means "did not happen":
/// no task started, a job not completed, no task succeeded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The scenario's start (RFC 3339, UTC).
    pub start: String,
    /// Simulated time, in seconds.
    pub simulated_s: f64,
    /// From the start until the last job completed; `None` if a job did not.
    pub makespan_s: Option<f64>,
    /// Tasks by outcome.
    pub tasks: TaskFigures,
    /// Each job, in the scenario's order.
    pub jobs: Vec<JobFigures>,
    /// Task wait over all jobs: from entering the queue to the first start.
    pub wait: WaitFigures,
    /// Cost by node type.
    pub cost: CostFigures,
    /// Billed node-hours.
    pub node_hours: NodeHourFigures,
    /// Shares of billed capacity that ran nothing.
    pub idle: IdleFigures,
    /// Evaluations of the formula.
    pub evaluations: u64,
    /// Evaluations that failed.
    pub evaluation_errors: u64,
    /// The first failed evaluation's `Code: Line L, Col C: message`.
    pub first_error: Option<String>,
    /// Evaluations that changed a target.
    pub resizes: u64,
    /// Largest change of the total target in one evaluation, in nodes.
    pub largest_step: u64,
    /// Resizes that reverse the previous resize within an hour (3,600,000 ms).
    pub flaps: u64,
    /// Low-priority preemptions.
    pub preemptions: u64,
}

/// Tasks by outcome.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TaskFigures {
    /// Submitted by the end.
    pub submitted: u64,
    /// Succeeded.
    pub succeeded: u64,
    /// Failed (after their retries).
    pub failed: u64,
    /// Requeues (a preempted or released task put back without using a retry).
    pub requeued: u64,
    /// In the queue at the end.
    pub queued: u64,
    /// Waiting for a dependency at the end.
    pub blocked: u64,
    /// Running at the end.
    pub running: u64,
}

/// One job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobFigures {
    /// Its name.
    pub name: String,
    /// Its tasks.
    pub tasks: u64,
    /// Submission, seconds from the start.
    pub submitted_s: f64,
    /// Turnaround: from submission until its last task finished; `None` when
    /// it did not complete.
    pub completed_after_s: Option<f64>,
    /// Its tasks' wait, median (nearest rank).
    pub wait_p50_s: Option<f64>,
    /// Its tasks' wait, 95th percentile (nearest rank).
    pub wait_p95_s: Option<f64>,
    /// Its tasks' longest wait.
    pub wait_max_s: Option<f64>,
}

/// Task wait over all jobs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WaitFigures {
    /// Median (nearest rank).
    pub p50_s: Option<f64>,
    /// 95th percentile (nearest rank).
    pub p95_s: Option<f64>,
    /// Longest.
    pub max_s: Option<f64>,
}

/// Cost.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CostFigures {
    /// Dedicated node-hours times their price.
    pub dedicated: f64,
    /// Low-priority node-hours times their price.
    pub low_priority: f64,
    /// The sum.
    pub total: f64,
    /// Total cost per succeeded task; `None` when none succeeded.
    pub per_task: Option<f64>,
}

/// Billed node-hours.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NodeHourFigures {
    /// Dedicated.
    pub dedicated: f64,
    /// Low-priority (preempted time is not billed).
    pub low_priority: f64,
    /// The sum.
    pub total: f64,
    /// Node-hours of work thrown away by preemptions, requeues and terminations.
    pub lost: f64,
}

/// Idle shares.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct IdleFigures {
    /// Billed node-hours with no task on the node (start-up included).
    pub node_share: f64,
    /// Billed slot-hours with no task in the slot: a 4-slot node running one
    /// task is 75% idle here and busy in `node_share`.
    pub slot_share: f64,
}

fn seconds(ms: i64) -> f64 {
    ms as f64 / 1000.0
}

/// p50, p95 and the maximum of `waits` (sorted here), in seconds.
fn wait_figures(mut waits: Vec<i64>) -> WaitFigures {
    let figures = wait_percentiles(&mut waits);
    WaitFigures {
        p50_s: figures.map(|(p50, _, _)| seconds(p50)),
        p95_s: figures.map(|(_, p95, _)| seconds(p95)),
        max_s: figures.map(|(_, _, max)| seconds(max)),
    }
}

impl Summary {
    /// The figures of `report`.
    pub fn of(report: &Report) -> Summary {
        let t = &report.tasks;
        let wait = wait_figures(report.waits.clone());
        // A lone job's waits are all the waits: no second pass over them.
        let job_waits: Vec<WaitFigures> = if report.jobs.len() == 1 {
            vec![wait]
        } else {
            let mut job_waits: Vec<Vec<i64>> = vec![Vec::new(); report.jobs.len()];
            for (&wait, &job) in report.waits.iter().zip(&report.wait_jobs) {
                if let Some(w) = job_waits.get_mut(job as usize) {
                    w.push(wait);
                }
            }
            job_waits.into_iter().map(wait_figures).collect()
        };
        let jobs = report
            .jobs
            .iter()
            .zip(job_waits)
            .map(|(j, w)| JobFigures {
                name: j.name.clone(),
                tasks: j.tasks,
                submitted_s: seconds(j.submitted),
                completed_after_s: j.completed.map(|c| seconds(c - j.submitted)),
                wait_p50_s: w.p50_s,
                wait_p95_s: w.p95_s,
                wait_max_s: w.max_s,
            })
            .collect();
        let makespan = report
            .jobs
            .iter()
            .map(|j| j.completed)
            .collect::<Option<Vec<i64>>>()
            .map(|done| seconds(done.into_iter().max().unwrap_or(0)));
        let cost = report.cost();
        let total_cost = cost[0] + cost[1];
        let node_hours = report.node_hours[0] + report.node_hours[1];
        let slot_hours = node_hours * f64::from(report.slots_per_node);
        let slot_share = if slot_hours > 0.0 {
            ((slot_hours - report.busy_slot_hours) / slot_hours).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let (errors, first) = report.errors();
        let resizes = report.resizes();
        Summary {
            start: report.start.to_string(),
            simulated_s: seconds(report.end),
            makespan_s: makespan,
            tasks: TaskFigures {
                submitted: t.submitted,
                succeeded: t.succeeded,
                failed: t.failed,
                requeued: t.requeued,
                queued: t.queued,
                blocked: t.blocked,
                running: t.running,
            },
            jobs,
            wait,
            cost: CostFigures {
                dedicated: cost[0],
                low_priority: cost[1],
                total: total_cost,
                per_task: (t.succeeded > 0).then(|| total_cost / t.succeeded as f64),
            },
            node_hours: NodeHourFigures {
                dedicated: report.node_hours[0],
                low_priority: report.node_hours[1],
                total: node_hours,
                lost: report.lost_node_hours.total(),
            },
            idle: IdleFigures {
                node_share: report.idle_share(),
                slot_share,
            },
            evaluations: report.evaluations.len() as u64,
            evaluation_errors: errors as u64,
            first_error: first.map(str::to_string),
            resizes: u64::from(resizes.count),
            largest_step: u64::from(resizes.largest_step),
            flaps: u64::from(resizes.flaps),
            preemptions: report.preemptions,
        }
    }

    /// `summary.json`: pretty-printed, keys in a fixed order.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// `summary.txt`: the figures a person reads, one topic a line.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "simulated {} from {}",
            duration(self.simulated_s),
            self.start
        );
        for j in &self.jobs {
            let _ = match j.completed_after_s {
                Some(c) => write!(
                    out,
                    "job {}: {} tasks, completed after {} (at +{})",
                    j.name,
                    j.tasks,
                    duration(c),
                    duration(j.submitted_s + c)
                ),
                None => write!(out, "job {}: {} tasks, not completed", j.name, j.tasks),
            };
            let _ = match (j.wait_p50_s, j.wait_p95_s, j.wait_max_s) {
                (Some(p50), Some(p95), Some(max)) => writeln!(
                    out,
                    "; wait p50 {}, p95 {}, max {}",
                    duration(p50),
                    duration(p95),
                    duration(max)
                ),
                _ => writeln!(out, "; no task started"),
            };
        }
        let t = &self.tasks;
        let _ = writeln!(
            out,
            "tasks: {} submitted, {} succeeded, {} failed, {} queued, {} blocked, {} running, {} requeues",
            t.submitted, t.succeeded, t.failed, t.queued, t.blocked, t.running, t.requeued
        );
        let _ = match (self.wait.p50_s, self.wait.p95_s, self.wait.max_s) {
            (Some(p50), Some(p95), Some(max)) => writeln!(
                out,
                "task wait: p50 {}, p95 {}, max {}",
                duration(p50),
                duration(p95),
                duration(max)
            ),
            _ => writeln!(out, "task wait: no task started"),
        };
        let (n, c) = (&self.node_hours, &self.cost);
        let _ = writeln!(
            out,
            "node-hours: dedicated {:.2} (cost {:.2}), low-priority {:.2} (cost {:.2}), total cost {:.2}",
            n.dedicated, c.dedicated, n.low_priority, c.low_priority, c.total
        );
        let _ = match c.per_task {
            Some(per) => writeln!(
                out,
                "cost per succeeded task: {per:.4}; node-hours lost to stopped work: {:.2}",
                n.lost
            ),
            None => writeln!(
                out,
                "cost per succeeded task: no task succeeded; node-hours lost to stopped work: {:.2}",
                n.lost
            ),
        };
        let _ = writeln!(
            out,
            "idle node-hours: {:.1}%, idle slot-hours: {:.1}%",
            100.0 * self.idle.node_share,
            100.0 * self.idle.slot_share
        );
        let _ = writeln!(
            out,
            "evaluations: {}, resizes: {}, largest step: {} nodes, flapping: {}, preemptions: {}",
            self.evaluations, self.resizes, self.largest_step, self.flaps, self.preemptions
        );
        let _ = match &self.first_error {
            Some(first) => writeln!(
                out,
                "evaluation errors: {} (first: {first})",
                self.evaluation_errors
            ),
            None => writeln!(out, "evaluation errors: 0"),
        };
        out
    }
}

/// `1h 02m 03s` for a number of seconds (whole milliseconds).
fn duration(seconds: f64) -> String {
    hms((seconds * 1000.0).round() as i64)
}
