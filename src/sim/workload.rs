//! The workload: jobs, stages and tasks drawn from the scenario with the seeded
//! generator, or read from a CSV trace.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution as _, Exp};

use super::scenario::{excerpt, Arrival, Dependency, JobSpec, LoadedScenario};
use crate::input::InputError;
use crate::value::{TimeInterval, Timestamp};

const HOUR_MS: f64 = 3_600_000.0;

/// Most tasks in one scenario: about 50 bytes each, so at most a gigabyte or two.
pub const MAX_TASKS: u64 = 20_000_000;

/// A task's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskState {
    /// Not yet submitted.
    NotArrived,
    /// Submitted; a dependency has not succeeded.
    Blocked,
    /// In the queue, ready to run (`$ActiveTasks`).
    Ready,
    /// Running on a node.
    Running,
    /// Finished successfully.
    Succeeded,
    /// Finished unsuccessfully (after its retries).
    Failed,
}

/// One task, kept small: a million of them fit in tens of megabytes.
#[derive(Debug, Clone)]
pub struct Task {
    /// Submission, in ms from the start.
    pub arrival: i64,
    /// When it last entered the queue (for wait times).
    pub queued_at: i64,
    /// Run time of each attempt, in ms.
    pub duration: i64,
    /// The stage (index into [`Workload::stages`]).
    pub stage: u32,
    /// The node it runs on, when running.
    pub node: u32,
    /// Dependencies not yet succeeded (0 or 1).
    pub unmet: u32,
    /// Attempts started.
    pub attempts: u32,
    /// Bumped whenever a scheduled end becomes stale.
    pub epoch: u32,
    /// Slots it occupies.
    pub slots: u16,
    /// Whether it has started once (wait time recorded).
    pub started: bool,
    /// Whether every attempt fails (a trace row with a nonzero `exit_code`).
    pub fails: bool,
    /// When the current attempt took its slots, in ms.
    pub placed_at: i64,
    /// Its state.
    pub state: TaskState,
}

/// A stage: a contiguous range of tasks.
#[derive(Debug, Clone)]
pub struct Stage {
    /// The job.
    pub job: u32,
    /// First task index.
    pub first: u32,
    /// Number of tasks.
    pub count: u32,
    /// Tasks not yet succeeded (for `all` dependencies).
    pub remaining: u32,
    /// Stages that wait for this one.
    pub dependents: Vec<(u32, Dependency)>,
}

/// A job's settings and progress.
#[derive(Debug, Clone)]
pub struct Job {
    /// Name.
    pub name: String,
    /// Submission, ms from the start.
    pub submit: i64,
    /// Tasks.
    pub tasks: u64,
    /// Tasks not yet succeeded or failed.
    pub open: u64,
    /// When the last task finished.
    pub completed: Option<i64>,
    /// Failure chance per attempt.
    pub failure_probability: f64,
    /// Retries.
    pub max_task_retries: u32,
    /// Longest attempt, ms.
    pub max_wall_clock: i64,
    /// Retention after a task ends, ms.
    pub retention: i64,
    /// Priority, −1000 to 1000.
    pub priority: i32,
    /// Creation, ms from the start: the submission, or a trace job's first task.
    pub created: i64,
}

/// Everything the simulation runs.
#[derive(Debug, Clone)]
pub struct Workload {
    /// Jobs.
    pub jobs: Vec<Job>,
    /// Stages.
    pub stages: Vec<Stage>,
    /// Tasks.
    pub tasks: Vec<Task>,
    /// Task indices by arrival time.
    pub arrival_order: Vec<u32>,
}

impl Workload {
    /// Builds the workload of `loaded`, drawing from `rng`.
    pub fn build(loaded: &LoadedScenario, rng: &mut ChaCha8Rng) -> Result<Workload, InputError> {
        let mut w = Workload {
            jobs: Vec::new(),
            stages: Vec::new(),
            tasks: Vec::new(),
            arrival_order: Vec::new(),
        };
        let start = loaded.scenario.start.0;
        for (i, spec) in loaded.scenario.jobs.iter().enumerate() {
            w.add_job(loaded, i, spec, start, rng)?;
        }
        let mut order: Vec<u32> = (0..w.tasks.len() as u32).collect();
        order.sort_by_key(|&t| (w.tasks.get(t as usize).map_or(0, |t| t.arrival), t));
        w.arrival_order = order;
        Ok(w)
    }

    fn add_job(
        &mut self,
        loaded: &LoadedScenario,
        index: usize,
        spec: &JobSpec,
        start: Timestamp,
        rng: &mut ChaCha8Rng,
    ) -> Result<(), InputError> {
        let job = self.jobs.len() as u32;
        let submit = spec.submit.map_or(0, |d| d.0);
        let first_task = self.tasks.len();
        let push_stage = |w: &mut Workload, count: u64| -> Result<u32, InputError> {
            let total = (w.tasks.len() as u64).saturating_add(count);
            if total > MAX_TASKS {
                return Err(InputError::new(
                    &loaded.path,
                    format!("{count} tasks brings the scenario past the simulator's limit of {MAX_TASKS} tasks"),
                )
                .field(format!("job[{index}].tasks")));
            }
            let count = count as u32;
            w.stages.push(Stage {
                job,
                first: w.tasks.len() as u32,
                count,
                remaining: count,
                dependents: Vec::new(),
            });
            Ok(w.stages.len() as u32 - 1)
        };
        // Independent tasks get arrival times from the pattern, in order.
        let mut clock = Arrivals::new(&spec.arrival, submit, start);
        if let (Some(n), Some(dist)) = (spec.tasks, &spec.duration) {
            let stage = push_stage(self, n)?;
            let slots = spec.slots.as_ref().map_or(1, |s| *s.get_ref()) as u16;
            for _ in 0..n {
                let arrival = clock.next(rng);
                let duration = dist.sample(rng);
                self.tasks
                    .push(Task::new(arrival, duration, stage, slots, 0));
            }
        } else if let Some(trace) = &spec.trace {
            return self.add_trace(loaded, index, spec, trace, submit, start);
        } else {
            let first_stage = self.stages.len();
            for stage_spec in &spec.stages {
                let stage = push_stage(self, stage_spec.tasks)?;
                let slots = stage_spec.slots.as_ref().map_or(1, |s| *s.get_ref()) as u16;
                let parent = stage_spec.depends_on.as_ref().and_then(|dep| {
                    spec.stages
                        .iter()
                        .position(|s| &s.name == dep.get_ref())
                        .map(|p| (first_stage + p) as u32)
                });
                if let Some(p) = parent {
                    if let Some(ps) = self.stages.get_mut(p as usize) {
                        ps.dependents.push((stage, stage_spec.dependency));
                    }
                }
                let unmet = u32::from(parent.is_some());
                for _ in 0..stage_spec.tasks {
                    let arrival = if parent.is_some() {
                        submit
                    } else {
                        clock.next(rng)
                    };
                    let duration = stage_spec.duration.sample(rng);
                    self.tasks
                        .push(Task::new(arrival, duration, stage, slots, unmet));
                }
            }
        }
        let tasks = (self.tasks.len() - first_task) as u64;
        let name = spec
            .name
            .clone()
            .unwrap_or_else(|| format!("job-{}", index + 1));
        self.jobs.push(Job::new(name, spec, submit, tasks, submit));
        Ok(())
    }

    /// Adds the jobs of a trace: one per value of its `job` column (in order
    /// of first appearance), or one job without that column.
    fn add_trace(
        &mut self,
        loaded: &LoadedScenario,
        index: usize,
        spec: &JobSpec,
        trace: &str,
        submit: i64,
        start: Timestamp,
    ) -> Result<(), InputError> {
        let key = format!("job[{index}].trace");
        let (path, bytes) = loaded.read_reference(&key, trace)?;
        let rows = read_trace(&path, &bytes, start)?;
        if (self.tasks.len() + rows.len()) as u64 > MAX_TASKS {
            return Err(InputError::new(
                &path,
                format!(
                    "the trace brings the scenario past the simulator's limit of {MAX_TASKS} tasks"
                ),
            ));
        }
        let slots_per_node = *loaded.scenario.pool.task_slots_per_node.get_ref();
        // Rows grouped by job, each group in file order.
        let mut names: Vec<Option<String>> = Vec::new();
        let mut groups: Vec<Vec<TraceRow>> = Vec::new();
        let mut by_name: std::collections::HashMap<Option<String>, usize> =
            std::collections::HashMap::new();
        for row in rows {
            if u32::from(row.slots) > slots_per_node {
                return Err(InputError::new(
                    &path,
                    format!(
                        "{} slots is more than task_slots_per_node ({slots_per_node})",
                        row.slots
                    ),
                )
                .at(row.line, None)
                .field("slots"));
            }
            let group = *by_name.entry(row.job.clone()).or_insert_with(|| {
                names.push(row.job.clone());
                groups.push(Vec::new());
                groups.len() - 1
            });
            if let Some(g) = groups.get_mut(group) {
                g.push(row);
            }
        }
        if groups.is_empty() {
            names.push(None);
            groups.push(Vec::new());
        }
        for (name, rows) in names.into_iter().zip(groups) {
            let job = self.jobs.len() as u32;
            let count = rows.len() as u32;
            self.stages.push(Stage {
                job,
                first: self.tasks.len() as u32,
                count,
                remaining: count,
                dependents: Vec::new(),
            });
            let stage = self.stages.len() as u32 - 1;
            let mut created = i64::MAX;
            for row in rows {
                let (at, absolute) = row.submit;
                let at = if absolute {
                    at
                } else {
                    submit.saturating_add(at)
                };
                created = created.min(at);
                let mut task = Task::new(at, row.duration, stage, row.slots, 0);
                task.fails = row.exit_code.is_some_and(|c| c != 0);
                self.tasks.push(task);
            }
            let name = match (name, &spec.name) {
                (Some(n), _) => n,
                (None, Some(n)) => n.clone(),
                (None, None) => format!("job-{}", index + 1),
            };
            let created = if created == i64::MAX { submit } else { created };
            self.jobs
                .push(Job::new(name, spec, submit, u64::from(count), created));
        }
        Ok(())
    }
}

impl Job {
    fn new(name: String, spec: &JobSpec, submit: i64, tasks: u64, created: i64) -> Job {
        Job {
            name,
            submit,
            tasks,
            open: tasks,
            completed: None,
            failure_probability: spec.failure_probability.0,
            max_task_retries: spec.max_task_retries,
            max_wall_clock: spec.max_wall_clock.0,
            retention: spec.retention.0,
            priority: spec.priority.as_ref().map_or(0, |p| *p.get_ref()),
            created,
        }
    }
}

impl Task {
    fn new(arrival: i64, duration: i64, stage: u32, slots: u16, unmet: u32) -> Task {
        Task {
            arrival,
            queued_at: arrival,
            duration,
            stage,
            node: u32::MAX,
            unmet,
            attempts: 0,
            epoch: 0,
            slots,
            started: false,
            fails: false,
            placed_at: 0,
            state: TaskState::NotArrived,
        }
    }
}

/// Arrival times of a job's independent tasks.
struct Arrivals<'a> {
    arrival: &'a Arrival,
    now: f64,
    start: Timestamp,
}

impl<'a> Arrivals<'a> {
    fn new(arrival: &'a Arrival, submit: i64, start: Timestamp) -> Self {
        Arrivals {
            arrival,
            now: submit as f64,
            start,
        }
    }

    fn next(&mut self, rng: &mut ChaCha8Rng) -> i64 {
        match self.arrival {
            Arrival::AllAtOnce => {}
            Arrival::Poisson { rate_per_hour } => {
                if let Ok(exp) = Exp::new(rate_per_hour / HOUR_MS) {
                    self.now += exp.sample(rng);
                }
            }
            Arrival::Daily { rate_per_hour } => {
                // Thinning: draw at the peak rate, keep with probability rate(t)/peak.
                let peak = rate_per_hour.iter().copied().fold(0.0, f64::max);
                let Ok(exp) = Exp::new(peak / HOUR_MS) else {
                    return self.now as i64;
                };
                loop {
                    self.now += exp.sample(rng);
                    let ticks = self.start.ticks() + (self.now as i64) * 10_000;
                    // UTC has no leap seconds here: the hour of day is plain arithmetic.
                    let hour = ticks.div_euclid(3_600 * 10_000_000).rem_euclid(24) as usize;
                    let rate = rate_per_hour.get(hour).copied().unwrap_or(0.0);
                    if rng.random::<f64>() * peak < rate {
                        break;
                    }
                }
            }
        }
        self.now.round() as i64
    }
}

/// A trace row.
#[derive(Debug, Clone)]
struct TraceRow {
    /// `(ms, absolute)`: absolute times count from the start, others from the job's submission.
    submit: (i64, bool),
    duration: i64,
    slots: u16,
    job: Option<String>,
    exit_code: Option<i64>,
    line: usize,
}

/// The columns a trace may have.
const TRACE_COLUMNS: [&str; 5] = ["submit", "duration", "slots", "job", "exit_code"];

/// Reads a CSV trace with a header naming its columns (any order): `submit`
/// (`submit_time` is read as `submit`), `duration`, and optionally `slots`,
/// `job` and `exit_code`. Times are seconds from the job's submission, ISO 8601
/// durations, or RFC 3339 instants; durations are seconds or ISO 8601. Errors
/// echo at most one offending token, cut short.
fn read_trace(path: &str, bytes: &[u8], start: Timestamp) -> Result<Vec<TraceRow>, InputError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| csv_error(path, &e, 1))?
        .clone();
    let mut columns: [Option<usize>; 5] = [None; 5];
    for (i, name) in headers.iter().enumerate() {
        let name = if name == "submit_time" {
            "submit"
        } else {
            name
        };
        let Some(k) = TRACE_COLUMNS.iter().position(|c| *c == name) else {
            return Err(InputError::new(
                path,
                format!(
                    "unknown column `{}`; the columns are `submit`, `duration` and optionally `slots`, `job`, `exit_code`",
                    excerpt(name)
                ),
            )
            .at(1, None));
        };
        match columns.get_mut(k) {
            Some(slot @ None) => *slot = Some(i),
            _ => {
                return Err(
                    InputError::new(path, format!("column `{name}` is given twice")).at(1, None),
                )
            }
        }
    }
    let [Some(submit_at), Some(duration_at), slots_at, job_at, exit_at] = columns else {
        return Err(InputError::new(
            path,
            "the header needs the columns `submit` and `duration` (and optionally `slots`, `job`, `exit_code`)",
        )
        .at(1, None));
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            csv_error(path, &e, line)
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let field = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("");
        let bad = |name: &str, value: &str, what: &str| {
            InputError::new(path, format!("`{}` is not {what}", excerpt(value)))
                .at(line, None)
                .field(name.to_string())
        };
        let submit = parse_time(field(Some(submit_at)), start).ok_or_else(|| {
            bad(
                "submit",
                field(Some(submit_at)),
                "seconds, an ISO 8601 duration or an RFC 3339 time at or after the start",
            )
        })?;
        let duration = parse_span(field(Some(duration_at))).ok_or_else(|| {
            bad(
                "duration",
                field(Some(duration_at)),
                "seconds of 0 or more or an ISO 8601 duration",
            )
        })?;
        let slots = match field(slots_at) {
            "" => 1,
            s => s
                .parse::<u16>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| bad("slots", s, "a whole number of slots from 1"))?,
        };
        let job = Some(field(job_at))
            .filter(|j| !j.is_empty())
            .map(str::to_string);
        let exit_code = match field(exit_at) {
            "" => None,
            s => Some(
                s.parse::<i64>()
                    .map_err(|_| bad("exit_code", s, "a whole number"))?,
            ),
        };
        rows.push(TraceRow {
            submit,
            duration,
            slots,
            job,
            exit_code,
            line,
        });
    }
    Ok(rows)
}

/// A CSV reader's error without any of the file's content.
fn csv_error(path: &str, e: &csv::Error, line: usize) -> InputError {
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".to_string(),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        csv::ErrorKind::Io(io) => format!("cannot read: {}", io.kind()),
        _ => "not valid CSV".to_string(),
    };
    InputError::new(path, message).at(line, None)
}

fn parse_span(text: &str) -> Option<i64> {
    let ms = match text.parse::<f64>() {
        Ok(s) => (s * 1000.0).round(),
        Err(_) => (TimeInterval::parse_iso8601(text)?.ticks() / 10_000) as f64,
    };
    (0.0..1e15).contains(&ms).then_some(ms as i64)
}

/// A trace time: `(ms, absolute)`; absolute times count from the start.
fn parse_time(text: &str, start: Timestamp) -> Option<(i64, bool)> {
    if let Some(t) = Timestamp::parse_rfc3339(text) {
        let ms = (t.ticks() - start.ticks()) / 10_000;
        return (ms >= 0).then_some((ms, true));
    }
    parse_span(text).map(|ms| (ms, false))
}
