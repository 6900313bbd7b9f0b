//! The event loop: one queue of timed events, one seeded generator, the same
//! evaluator as the rest of batchscale.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rand::{Rng, RngCore};
use rand_chacha::ChaCha8Rng;

mod nodes;
mod queue;

use super::metrics::{MetricPipeline, Sample};
use super::pool::{NodeState, Pool};
use super::report::{EvalRecord, JobReport, LostWork, Report, Row, RowKind, TaskCounts};
use super::scenario::{Dependency, LoadedScenario};
use super::workload::{TaskState, Workload};
use crate::context::EvalContext;
use crate::run::{AutoScaleRun, AutoScaleRunError};
use crate::value::{NodeDeallocationOption, Timestamp};
use crate::{Evaluator, Formula};
use queue::ReadyQueue;

const HOUR_MS: f64 = 3_600_000.0;

/// Event classes; at equal times the lower class runs first, so that a sample
/// or an evaluation sees the pool after everything else that happened then.
mod class {
    pub const TASK_END: u8 = 0;
    pub const NODE_CREATED: u8 = 1;
    pub const NODE_READY: u8 = 2;
    pub const RECOVER: u8 = 3;
    pub const PREEMPT: u8 = 4;
    pub const RETENTION_DONE: u8 = 5;
    pub const FIXED_PREEMPTION: u8 = 6;
    pub const ARRIVAL: u8 = 7;
    pub const SAMPLE: u8 = 8;
    pub const EVALUATE: u8 = 9;
}

/// `(time ms, class, sequence, a, b)`.
type Event = Reverse<(i64, u8, u64, u32, u32)>;

/// How a running task is stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// Its node was removed with `requeue`: back to the queue, the attempt
    /// does not count.
    Requeue,
    /// Its node was removed with `terminate`: failed, not retried.
    Fail,
    /// Its node was preempted: back to the queue, the attempt does not count
    /// (Azure requeues it; retries are for nonzero exit codes only).
    Preempted,
}

/// A progress report: simulated fraction of the scenario's duration.
pub type Progress<'a> = &'a mut dyn FnMut(f64);

/// One simulation run.
pub struct Simulation<'f> {
    loaded: &'f LoadedScenario,
    formula: &'f Formula,
    evaluator: Evaluator,
    ctx: EvalContext,
    rng: ChaCha8Rng,
    w: Workload,
    pool: Pool,
    metrics: MetricPipeline,
    heap: BinaryHeap<Event>,
    seq: u64,
    now: i64,
    ready: ReadyQueue,
    running: u64,
    next_arrival: usize,
    period_succeeded: u64,
    period_failed: u64,
    targets: [u32; 2],
    waits: Vec<i64>,
    node_ms: [f64; 2],
    busy_ms: f64,
    busy_slot_ms: f64,
    allocation_ms: f64,
    startup_ms: f64,
    lost_ms: [f64; 3],
    requeued: u64,
    start_task_failures: u64,
    /// Targets waiting for a steady pool (`resize = "steady"`).
    deferred: Option<([u32; 2], NodeDeallocationOption)>,
    /// Most nodes of each type: the quota in nodes, within the node limit.
    node_limits: [u32; 2],
    events: u64,
    /// The job of each entry of `waits`.
    wait_jobs: Vec<u32>,
    accounted: i64,
    preemptions: u64,
    rows: Vec<Row>,
    evaluations: Vec<EvalRecord>,
}

impl<'f> Simulation<'f> {
    /// Prepares a run of `formula` on `loaded` with `seed`.
    pub fn new(
        loaded: &'f LoadedScenario,
        formula: &'f Formula,
        seed: u64,
    ) -> Result<Self, crate::input::InputError> {
        use rand::SeedableRng;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let w = Workload::build(loaded, &mut rng)?;
        let s = &loaded.scenario;
        check_budget(loaded, &w)?;
        let jobs = w.jobs.iter().map(|j| (j.priority, j.created)).collect();
        let slots = *s.pool.task_slots_per_node.get_ref() as u16;
        let period = s.metrics.sample_period.get_ref().0;
        let mut ctx = EvalContext::new(s.start.0);
        ctx.pool.task_slots_per_node = f64::from(slots);
        ctx.pool.target_dedicated_nodes = f64::from(s.pool.initial_dedicated);
        ctx.pool.target_low_priority_nodes = f64::from(s.pool.initial_low_priority);
        let mut sim = Simulation {
            loaded,
            formula,
            evaluator: formula.evaluator(),
            metrics: MetricPipeline::new(&mut ctx, period, s.metrics.delay.0),
            ctx,
            rng,
            pool: Pool::new(slots, s.pool.fill_type),
            w,
            heap: BinaryHeap::new(),
            seq: 0,
            now: 0,
            ready: ReadyQueue::new(s.scheduling.order, jobs),
            running: 0,
            next_arrival: 0,
            period_succeeded: 0,
            period_failed: 0,
            targets: [0, 0],
            waits: Vec::new(),
            node_ms: [0.0; 2],
            busy_ms: 0.0,
            busy_slot_ms: 0.0,
            allocation_ms: 0.0,
            startup_ms: 0.0,
            lost_ms: [0.0; 3],
            requeued: 0,
            start_task_failures: 0,
            deferred: None,
            node_limits: s.pool.node_limits(s.limits.nodes),
            events: 0,
            wait_jobs: Vec::new(),
            accounted: 0,
            preemptions: 0,
            rows: Vec::new(),
            evaluations: Vec::new(),
        };
        // The initial targets are allocated when the pool is created, within the quota.
        let [d, l] = sim.node_limits;
        sim.resize(
            [
                s.pool.initial_dedicated.min(d),
                s.pool.initial_low_priority.min(l),
            ],
            NodeDeallocationOption::Requeue,
        );
        if let Some(&first) = sim.w.arrival_order.first() {
            let at = sim.w.tasks.get(first as usize).map_or(0, |t| t.arrival);
            sim.push(at, class::ARRIVAL, 0, 0);
        }
        for (i, event) in s.pool.preemption.at.iter().enumerate() {
            sim.push(event.time.0, class::FIXED_PREEMPTION, i as u32, 0);
        }
        sim.push(period, class::SAMPLE, 0, 0);
        sim.push(0, class::EVALUATE, 0, 0);
        Ok(sim)
    }

    fn push(&mut self, time: i64, class: u8, a: u32, b: u32) {
        self.seq += 1;
        self.heap.push(Reverse((time, class, self.seq, a, b)));
    }

    /// Runs to the end and reports. Fails only when the run passes its event
    /// budget (`[limits] events`).
    pub fn run(
        mut self,
        mut progress: Option<Progress<'_>>,
    ) -> Result<Report, crate::input::InputError> {
        let s = &self.loaded.scenario;
        let end = s.duration.get_ref().0;
        let (interval, period) = (s.interval.get_ref().0, s.metrics.sample_period.get_ref().0);
        let budget = s.limits.events;
        let mut stopped = false;
        while let Some(Reverse((time, class, _, a, b))) = self.heap.pop() {
            if time > end {
                break;
            }
            self.events += 1;
            if self.events > budget {
                return Err(crate::input::InputError::new(
                    &self.loaded.path,
                    format!(
                        "the run passed the simulator's budget of {budget} events at +{} \
                         (preemptions, retries, node changes and samples add up); raise \
                         `[limits] events` to let it go on",
                        super::report::hms(time)
                    ),
                )
                .field("limits.events"));
            }
            self.account(time);
            self.now = time;
            match class {
                class::TASK_END => self.task_end(a, b),
                class::NODE_CREATED => self.node_created(a, b),
                class::NODE_READY => self.node_ready(a, b),
                class::RECOVER => self.recover(a, b),
                class::PREEMPT => {
                    if self
                        .pool
                        .node(a)
                        .is_some_and(|n| n.state == NodeState::Ready && n.epoch == b)
                    {
                        self.preempt(a);
                    }
                }
                class::RETENTION_DONE => {
                    if self
                        .pool
                        .node(a)
                        .is_some_and(|n| n.state == NodeState::Retaining && n.epoch == b)
                    {
                        self.pool.set_state(a, NodeState::Removed);
                    }
                }
                class::FIXED_PREEMPTION => self.fixed_preemption(a),
                class::ARRIVAL => self.arrivals(),
                class::SAMPLE => {
                    self.sample();
                    self.push(time + period, class::SAMPLE, 0, 0);
                    if let Some(p) = progress.as_mut() {
                        p(time as f64 / end.max(1) as f64);
                    }
                }
                _ => {
                    self.evaluate();
                    self.push(time + interval, class::EVALUATE, 0, 0);
                }
            }
            if self.pool.changing == 0 {
                if let Some((targets, option)) = self.deferred.take() {
                    self.apply(targets, option);
                }
            }
            self.schedule();
            if s.stop_when_done
                && class >= class::SAMPLE
                && self.done()
                && self.pool.alive == [0, 0]
                && self.pool.kept == [0, 0]
            {
                stopped = true;
                break;
            }
        }
        let finish = if stopped { self.now } else { end };
        self.account(finish);
        self.now = finish;
        Ok(self.report())
    }

    fn done(&self) -> bool {
        self.next_arrival >= self.w.arrival_order.len()
            && self.ready.is_empty()
            && self.running == 0
    }

    /// Adds node-time up to `time`.
    fn account(&mut self, time: i64) {
        let dt = (time - self.accounted).max(0) as f64;
        // Allocating and preempted nodes are not billed.
        let [d, l] = self.pool.billed;
        self.node_ms[0] += f64::from(d) * dt;
        self.node_ms[1] += f64::from(l) * dt;
        self.busy_ms += f64::from(self.pool.busy) * dt;
        self.busy_slot_ms += self.pool.used_slots as f64 * dt;
        self.allocation_ms += f64::from(self.pool.allocating) * dt;
        self.startup_ms += f64::from(self.pool.starting) * dt;
        self.accounted = self.accounted.max(time);
    }

    fn arrivals(&mut self) {
        while let Some(&t) = self.w.arrival_order.get(self.next_arrival) {
            let Some(task) = self.w.tasks.get_mut(t as usize) else {
                break;
            };
            if task.arrival > self.now {
                let at = task.arrival;
                self.push(at, class::ARRIVAL, 0, 0);
                return;
            }
            self.next_arrival += 1;
            if task.unmet > 0 {
                task.state = TaskState::Blocked;
            } else {
                self.enqueue(t);
            }
        }
    }

    fn enqueue(&mut self, t: u32) {
        let Some(task) = self.w.tasks.get_mut(t as usize) else {
            return;
        };
        task.state = TaskState::Ready;
        task.queued_at = self.now;
        let stage = task.stage;
        let job = self.w.stages.get(stage as usize).map_or(0, |s| s.job);
        self.ready.push(t, job);
    }

    /// Starts queued tasks, in the queue's order, while the next one fits a
    /// node: a task that does not fit holds back the rest (head-of-line).
    fn schedule(&mut self) {
        while let Some(t) = self.ready.peek() {
            let Some(need) = self.w.tasks.get(t as usize).map(|t| t.slots) else {
                self.ready.pop();
                continue;
            };
            let Some(node) = self.pool.pick(need) else {
                return;
            };
            self.ready.pop();
            self.start(t, node);
        }
    }

    fn start(&mut self, t: u32, node: u32) {
        let now = self.now;
        // The slot is held from placement; the task runs once the scheduler's
        // latency has passed.
        let latency = self
            .loaded
            .scenario
            .scheduling
            .latency
            .sample(&mut self.rng);
        let Some(task) = self.w.tasks.get_mut(t as usize) else {
            return;
        };
        if !task.started {
            task.started = true;
            self.waits.push(now + latency - task.queued_at);
            let job = self.w.stages.get(task.stage as usize).map_or(0, |s| s.job);
            self.wait_jobs.push(job);
        }
        task.placed_at = now;
        task.state = TaskState::Running;
        task.node = node;
        task.attempts += 1;
        task.epoch = task.epoch.wrapping_add(1);
        let (slots, epoch, duration, stage) = (task.slots, task.epoch, task.duration, task.stage);
        let wall = self
            .job_of_stage(stage)
            .map_or(i64::MAX, |j| j.max_wall_clock);
        self.running += 1;
        self.pool.occupy(node, t, slots, true);
        self.push(
            now.saturating_add(latency)
                .saturating_add(duration.min(wall)),
            class::TASK_END,
            t,
            epoch,
        );
    }

    fn job_of_stage(&self, stage: u32) -> Option<&super::workload::Job> {
        let job = self.w.stages.get(stage as usize)?.job;
        self.w.jobs.get(job as usize)
    }

    fn task_end(&mut self, t: u32, epoch: u32) {
        let Some(task) = self.w.tasks.get(t as usize) else {
            return;
        };
        if task.state != TaskState::Running || task.epoch != epoch {
            return;
        }
        let (node, slots, duration, stage, attempts, fails) = (
            task.node,
            task.slots,
            task.duration,
            task.stage,
            task.attempts,
            task.fails,
        );
        let Some(job) = self.job_of_stage(stage) else {
            return;
        };
        let (wall, p, retries, retention) = (
            job.max_wall_clock,
            job.failure_probability,
            job.max_task_retries,
            job.retention,
        );
        self.running -= 1;
        self.pool.occupy(node, t, slots, false);
        if let Some(n) = self.pool.nodes.get_mut(node as usize) {
            n.retained_until = n.retained_until.max(self.now.saturating_add(retention));
        }
        self.after_task_left(node);
        if duration > wall {
            // Past the wall-clock limit the service terminates the task; it is not retried.
            self.finish(t, false);
        } else if fails || (p > 0.0 && self.rng.random::<f64>() < p) {
            if attempts <= retries {
                self.enqueue(t);
            } else {
                self.finish(t, false);
            }
        } else {
            self.finish(t, true);
        }
    }

    /// A draining node whose last task left is removed, or waits for its data.
    fn after_task_left(&mut self, node: u32) {
        let Some(n) = self.pool.node(node) else {
            return;
        };
        if n.state != NodeState::Draining || n.used > 0 {
            return;
        }
        if n.retain && n.retained_until > self.now {
            let until = n.retained_until;
            self.pool.set_state(node, NodeState::Retaining);
            let epoch = self.pool.node(node).map_or(0, |n| n.epoch);
            self.push(until, class::RETENTION_DONE, node, epoch);
        } else {
            self.pool.set_state(node, NodeState::Removed);
        }
    }

    fn finish(&mut self, t: u32, success: bool) {
        let now = self.now;
        let Some(task) = self.w.tasks.get_mut(t as usize) else {
            return;
        };
        task.state = if success {
            TaskState::Succeeded
        } else {
            TaskState::Failed
        };
        let stage = task.stage;
        let Some(st) = self.w.stages.get_mut(stage as usize) else {
            return;
        };
        let index = t - st.first;
        if success {
            st.remaining = st.remaining.saturating_sub(1);
            self.period_succeeded += 1;
        } else {
            self.period_failed += 1;
        }
        let (job, remaining, deps) = (st.job, st.remaining, st.dependents.len());
        if let Some(j) = self.w.jobs.get_mut(job as usize) {
            j.open = j.open.saturating_sub(1);
            if j.open == 0 {
                j.completed = Some(now);
            }
        }
        if !success {
            // The service's default dependency action is to block: dependents never run.
            return;
        }
        for d in 0..deps {
            let Some(&(child, how)) = self
                .w
                .stages
                .get(stage as usize)
                .and_then(|s| s.dependents.get(d))
            else {
                continue;
            };
            let Some(cs) = self.w.stages.get(child as usize) else {
                continue;
            };
            let range = match how {
                Dependency::OneToOne => cs.first + index..cs.first + index + 1,
                Dependency::All if remaining == 0 => cs.first..cs.first + cs.count,
                Dependency::All => continue,
            };
            for c in range {
                let Some(ct) = self.w.tasks.get_mut(c as usize) else {
                    continue;
                };
                ct.unmet = ct.unmet.saturating_sub(1);
                if ct.unmet == 0 && ct.state == TaskState::Blocked {
                    self.enqueue(c);
                }
            }
        }
    }

    /// Stops every task on `node`.
    fn stop_tasks(&mut self, node: u32, how: Stop) {
        let running = match self.pool.nodes.get_mut(node as usize) {
            Some(n) => std::mem::take(&mut n.running),
            None => return,
        };
        let slots_per_node = f64::from(self.pool.slots.max(1));
        for t in running {
            let Some(task) = self.w.tasks.get_mut(t as usize) else {
                continue;
            };
            task.epoch = task.epoch.wrapping_add(1);
            let (slots, lost) = (task.slots, (self.now - task.placed_at).max(0) as f64);
            if how != Stop::Fail {
                // A requeue does not use up a retry.
                task.attempts = task.attempts.saturating_sub(1);
            }
            self.running -= 1;
            self.pool.occupy(node, t, slots, false);
            let cause = match how {
                Stop::Preempted => 0,
                Stop::Requeue => 1,
                Stop::Fail => 2,
            };
            if let Some(l) = self.lost_ms.get_mut(cause) {
                *l += lost * f64::from(slots) / slots_per_node;
            }
            match how {
                Stop::Requeue | Stop::Preempted => {
                    self.requeued += 1;
                    self.enqueue(t);
                }
                Stop::Fail => self.finish(t, false),
            }
        }
    }

    fn timestamp(&self, ms: i64) -> Timestamp {
        let ticks = self
            .loaded
            .scenario
            .start
            .0
            .ticks()
            .saturating_add(ms.saturating_mul(10_000));
        Timestamp::from_ticks(ticks).unwrap_or(self.loaded.scenario.start.0)
    }

    fn sample(&mut self) {
        let reporting = self.pool.reporting;
        let capacity = f64::from(reporting) * f64::from(self.pool.slots);
        let sample = Sample {
            time: self.now,
            active: self.ready.len() as f64,
            running: self.running as f64,
            succeeded: self.period_succeeded as f64,
            failed: self.period_failed as f64,
            cpu: (reporting > 0).then(|| 100.0 * self.pool.used_slots as f64 / capacity),
            sample_nodes: (reporting > 0).then_some(f64::from(reporting)),
            preempted: f64::from(self.pool.preempted),
            dedicated: f64::from(self.pool.alive[0]),
            low_priority: f64::from(self.pool.alive[1]),
        };
        self.period_succeeded = 0;
        self.period_failed = 0;
        let missing = self.loaded.scenario.metrics.missing.0;
        // No draw when nothing is missing, so that such runs keep their streams.
        if !(missing > 0.0 && self.rng.random::<f64>() < missing) {
            self.metrics.record(sample);
        }
        self.rows.push(self.row(RowKind::Sample, Some(&sample)));
    }

    fn row(&self, kind: RowKind, sample: Option<&Sample>) -> Row {
        Row {
            time: self.now,
            kind,
            target_dedicated: self.targets[0],
            target_low_priority: self.targets[1],
            current_dedicated: self.pool.alive[0],
            current_low_priority: self.pool.alive[1],
            preempted: self.pool.preempted,
            active: self.ready.len() as u64,
            running: self.running,
            succeeded: sample.map_or(0, |s| s.succeeded as u64),
            failed: sample.map_or(0, |s| s.failed as u64),
            evaluation: None,
        }
    }

    fn evaluate(&mut self) {
        let now = self.timestamp(self.now);
        self.metrics.publish(&mut self.ctx, self.now, |ms| {
            self.loaded
                .scenario
                .start
                .0
                .ticks()
                .saturating_add(ms.saturating_mul(10_000))
        });
        self.ctx.now = now;
        let pool = &mut self.ctx.pool;
        pool.target_dedicated_nodes = f64::from(self.targets[0]);
        pool.target_low_priority_nodes = f64::from(self.targets[1]);
        pool.node_deallocation_option = NodeDeallocationOption::Requeue;
        pool.current_dedicated_nodes = f64::from(self.pool.alive[0]);
        pool.current_low_priority_nodes = f64::from(self.pool.alive[1]);
        pool.usable_node_count = Some(f64::from(self.pool.reporting));
        self.ctx.seed = self.rng.next_u64();
        let before = self.targets;
        let record = match self.evaluator.run(&self.ctx) {
            Ok(outcome) => {
                let results = self.evaluator.results(&outcome);
                let [d_max, l_max] = self.node_limits;
                let d = outcome.dedicated_nodes().min(d_max);
                let l = outcome.low_priority_nodes().min(l_max);
                self.resize([d, l], outcome.node_deallocation_option);
                EvalRecord {
                    time: self.now,
                    targets_before: before,
                    targets: [d, l],
                    results,
                    error: None,
                }
            }
            Err(e) => {
                let error = AutoScaleRunError::from_eval(self.formula.source(), &e);
                let run = AutoScaleRun::failed(&self.ctx, error);
                let text = run.error.as_ref().map(|e| {
                    let detail = e.values.first().map_or("", |v| v.value.as_str());
                    format!("{}: {}", e.code, detail)
                });
                EvalRecord {
                    time: self.now,
                    targets_before: before,
                    targets: before,
                    results: run.results,
                    error: text,
                }
            }
        };
        let mut row = self.row(RowKind::Evaluation, None);
        row.evaluation = Some(self.evaluations.len());
        self.rows.push(row);
        self.evaluations.push(record);
    }

    fn report(self) -> Report {
        let mut counts = TaskCounts::default();
        for t in &self.w.tasks {
            match t.state {
                TaskState::NotArrived => counts.not_arrived += 1,
                TaskState::Blocked => counts.blocked += 1,
                TaskState::Ready => counts.queued += 1,
                TaskState::Running => counts.running += 1,
                TaskState::Succeeded => counts.succeeded += 1,
                TaskState::Failed => counts.failed += 1,
            }
        }
        counts.submitted = self.w.tasks.len() as u64 - counts.not_arrived;
        counts.requeued = self.requeued;
        let jobs = self
            .w
            .jobs
            .iter()
            .map(|j| JobReport {
                name: j.name.clone(),
                tasks: j.tasks,
                submitted: j.submit,
                completed: j.completed,
            })
            .collect();
        let s = &self.loaded.scenario;
        Report {
            start: s.start.0,
            end: self.now,
            jobs,
            tasks: counts,
            waits: self.waits,
            node_hours: [self.node_ms[0] / HOUR_MS, self.node_ms[1] / HOUR_MS],
            busy_node_hours: self.busy_ms / HOUR_MS,
            busy_slot_hours: self.busy_slot_ms / HOUR_MS,
            slots_per_node: u32::from(self.pool.slots),
            allocation_node_hours: self.allocation_ms / HOUR_MS,
            startup_node_hours: self.startup_ms / HOUR_MS,
            start_task_failures: self.start_task_failures,
            lost_node_hours: LostWork {
                preempted: self.lost_ms[0] / HOUR_MS,
                requeued: self.lost_ms[1] / HOUR_MS,
                terminated: self.lost_ms[2] / HOUR_MS,
            },
            wait_jobs: self.wait_jobs,
            prices: [s.pool.dedicated_price, s.pool.low_priority_price],
            preemptions: self.preemptions,
            rows: self.rows,
            evaluations: self.evaluations,
        }
    }
}

/// Refuses, before it starts, a run whose work is known to pass the limits:
/// task attempts and samples against `[limits] events`, and evaluations ×
/// samples held in the history against `[limits] window_reads`.
fn check_budget(loaded: &LoadedScenario, w: &Workload) -> Result<(), crate::input::InputError> {
    let s = &loaded.scenario;
    let duration = s.duration.get_ref().0.max(0) as u64;
    let period = s.metrics.sample_period.get_ref().0.max(1) as u64;
    let interval = s.interval.get_ref().0.max(1) as u64;
    let samples = duration / period;
    let evaluations = duration / interval + 1;
    let attempts = w.jobs.iter().fold(0u64, |sum, j| {
        sum.saturating_add(j.tasks.saturating_mul(u64::from(j.max_task_retries) + 1))
    });
    let events = attempts.saturating_add(samples).saturating_add(evaluations);
    if events > s.limits.events {
        return Err(crate::input::InputError::new(
            &loaded.path,
            format!(
                "the run needs up to {events} events ({attempts} task attempts with retries, \
                 {samples} samples, {evaluations} evaluations), more than the simulator's budget \
                 of {}; raise `[limits] events` to run it",
                s.limits.events
            ),
        )
        .field("limits.events"));
    }
    let held = duration.min(super::metrics::HISTORY_MS as u64) / period;
    let reads = evaluations.saturating_mul(held);
    if reads > s.limits.window_reads {
        return Err(crate::input::InputError::new(
            &loaded.path,
            format!(
                "{evaluations} evaluations over a history of up to {held} samples may read \
                 {reads} samples, more than the simulator's budget of {}; sample less often \
                 (`[metrics] sample_period`), evaluate less often, or raise `[limits] window_reads`",
                s.limits.window_reads
            ),
        )
        .field("limits.window_reads"));
    }
    Ok(())
}
