//! The scenario file: TOML read with serde, every field documented, defaults as
//! the service has them, and errors that name the file, line and key.

use std::path::{Path, PathBuf};

use serde::de::{self, Deserializer};
use serde::Deserialize;
use toml::Spanned;

use super::dist::Distribution;
use crate::input::InputError;
use crate::value::{TimeInterval, Timestamp};

/// Shortest evaluation interval the service accepts.
pub const MIN_INTERVAL_MS: i64 = 5 * 60 * 1000;
/// Longest evaluation interval the service accepts.
pub const MAX_INTERVAL_MS: i64 = 168 * 3600 * 1000;
/// Longest simulation: a year and a day, so that no scenario runs for ever.
pub const MAX_DURATION_MS: i64 = 366 * 86_400 * 1000;

/// An ISO 8601 duration (`PT15M`, `P2D`), at least 0, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Duration(pub i64);

impl Duration {
    /// The duration in seconds.
    pub fn seconds(self) -> f64 {
        self.0 as f64 / 1000.0
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let interval = TimeInterval::parse_iso8601(&text).ok_or_else(|| {
            de::Error::custom(format!(
                "`{text}` is not an ISO 8601 duration such as `PT15M` or `P2D`"
            ))
        })?;
        if interval.ticks() < 0 {
            return Err(de::Error::custom(format!("`{text}` is negative")));
        }
        Ok(Duration(interval.ticks() / 10_000))
    }
}

/// An RFC 3339 instant (`2025-01-06T00:00:00Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instant(pub Timestamp);

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Timestamp::parse_rfc3339(&text).map(Instant).ok_or_else(|| {
            de::Error::custom(format!(
                "`{text}` is not an RFC 3339 time with an offset, such as `2025-01-06T00:00:00Z`"
            ))
        })
    }
}

/// A probability from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Probability(pub f64);

impl<'de> Deserialize<'de> for Probability {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let p = f64::deserialize(d)?;
        if (0.0..=1.0).contains(&p) {
            Ok(Probability(p))
        } else {
            Err(de::Error::custom(format!(
                "{p} is not a probability from 0 to 1"
            )))
        }
    }
}

/// A scenario: when, which formula, the pool, the workload and the metric pipeline.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// When the simulation starts and autoscale is enabled (RFC 3339). Default `2025-01-06T00:00:00Z` (a Monday).
    #[serde(default = "default_start")]
    pub start: Instant,
    /// The longest simulated time. Default `P7D`, at most [`MAX_DURATION_MS`] (`P366D`).
    #[serde(default = "default_spanned_duration")]
    pub duration: toml::Spanned<Duration>,
    /// Stop as soon as every task has finished and the pool is empty. Default `true`.
    #[serde(default = "yes")]
    pub stop_when_done: bool,
    /// The formula text. Exactly one of `formula` and `formula_file` is given
    /// (unless the command line supplies the formula).
    #[serde(default)]
    pub formula: Option<String>,
    /// A formula file, relative to the scenario file.
    #[serde(default)]
    pub formula_file: Option<String>,
    /// Time between evaluations: `PT5M` to `P7D` (168 hours), as the service enforces. Default `PT15M`.
    #[serde(default = "default_interval")]
    pub interval: Spanned<Duration>,
    /// The random seed; `--seed` overrides it. Default 0.
    #[serde(default)]
    pub seed: u64,
    /// The pool.
    #[serde(default)]
    pub pool: PoolSpec,
    /// The metric pipeline.
    #[serde(default)]
    pub metrics: MetricsSpec,
    /// The jobs.
    #[serde(default, rename = "job")]
    pub jobs: Vec<JobSpec>,
}

/// The pool.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolSpec {
    /// Dedicated target before the first evaluation. Default 0.
    #[serde(default)]
    pub initial_dedicated: u32,
    /// Low-priority target before the first evaluation. Default 0.
    #[serde(default)]
    pub initial_low_priority: u32,
    /// Task slots per node (`$TaskSlotsPerNode`), 1 to 256. Default 1.
    #[serde(default = "one")]
    pub task_slots_per_node: Spanned<u32>,
    /// How tasks are placed: `spread` (the service's default) or `pack`.
    #[serde(default)]
    pub fill_type: FillType,
    /// Time from allocation until a node runs tasks. Default `{ fixed = "PT5M" }`.
    #[serde(default = "default_startup")]
    pub startup: Distribution,
    /// Most dedicated nodes the account's quota allows. Default unlimited.
    #[serde(default)]
    pub dedicated_quota: Option<u32>,
    /// Most low-priority nodes the account's quota allows. Default unlimited.
    #[serde(default)]
    pub low_priority_quota: Option<u32>,
    /// Price of a dedicated node-hour. Default 0.
    #[serde(default)]
    pub dedicated_price: f64,
    /// Price of a low-priority node-hour. Default 0.
    #[serde(default)]
    pub low_priority_price: f64,
    /// Low-priority preemption.
    #[serde(default)]
    pub preemption: PreemptionSpec,
}

impl Default for PoolSpec {
    fn default() -> Self {
        PoolSpec {
            initial_dedicated: 0,
            initial_low_priority: 0,
            task_slots_per_node: Spanned::new(0..0, 1),
            fill_type: FillType::Spread,
            startup: default_startup(),
            dedicated_quota: None,
            low_priority_quota: None,
            dedicated_price: 0.0,
            low_priority_price: 0.0,
            preemption: PreemptionSpec::default(),
        }
    }
}

/// How the scheduler places tasks on nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FillType {
    /// Each task goes to the node with the most free slots.
    #[default]
    Spread,
    /// Each task goes to the busiest node that still has a free slot.
    Pack,
}

/// Low-priority preemption.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreemptionSpec {
    /// Preemptions per running low-priority node-hour (a Poisson process per node). Default 0.
    #[serde(default)]
    pub rate_per_node_hour: f64,
    /// Fixed preemption events (offsets from `start`).
    #[serde(default)]
    pub at: Vec<PreemptionEvent>,
    /// How long a preempted node stays preempted before it is back. Default `PT30M`.
    #[serde(default = "default_recovery")]
    pub recovery: Duration,
}

impl Default for PreemptionSpec {
    fn default() -> Self {
        PreemptionSpec {
            rate_per_node_hour: 0.0,
            at: Vec::new(),
            recovery: default_recovery(),
        }
    }
}

/// A fixed preemption event.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreemptionEvent {
    /// When, as an offset from `start`.
    pub time: Duration,
    /// Share of the running low-priority nodes preempted (chosen at random). Default 1 (all).
    #[serde(default = "all")]
    pub fraction: Probability,
}

/// The metric pipeline.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSpec {
    /// Time between samples. Default `PT30S`, as on the service.
    #[serde(default = "default_period")]
    pub sample_period: Spanned<Duration>,
    /// How long a sample takes to become visible to the formula. Default `PT60S`.
    #[serde(default = "default_delay")]
    pub delay: Duration,
}

impl Default for MetricsSpec {
    fn default() -> Self {
        MetricsSpec {
            sample_period: default_period(),
            delay: default_delay(),
        }
    }
}

/// A job: a set of tasks in one or more stages, or a CSV trace.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobSpec {
    /// The job's name (in the summary). Default `job-N`.
    #[serde(default)]
    pub name: Option<String>,
    /// When the job is submitted, as an offset from `start`. Default `PT0S`.
    #[serde(default)]
    pub submit: Option<Duration>,
    /// How the tasks of stages without dependencies arrive. Default all at once.
    #[serde(default)]
    pub arrival: Arrival,
    /// Tasks of a single-stage job (use `stage` for several).
    #[serde(default)]
    pub tasks: Option<u64>,
    /// Task duration of a single-stage job.
    #[serde(default)]
    pub duration: Option<Distribution>,
    /// Slots each task of a single-stage job takes. Default 1.
    #[serde(default)]
    pub slots: Option<Spanned<u32>>,
    /// Stages, each with its own tasks.
    #[serde(default, rename = "stage")]
    pub stages: Vec<StageSpec>,
    /// A CSV trace `submit_time,duration[,slots]` (relative to the scenario file):
    /// times and durations in seconds or ISO 8601.
    #[serde(default)]
    pub trace: Option<String>,
    /// Chance that an attempt fails when it ends. Default 0.
    #[serde(default)]
    pub failure_probability: Probability,
    /// Retries after a failed attempt (the service's `maxTaskRetryCount`). Default 0.
    #[serde(default)]
    pub max_task_retries: u32,
    /// Longest an attempt may run (`maxWallClockTime`). Default `P7D`.
    #[serde(default = "default_duration")]
    pub max_wall_clock: Duration,
    /// How long a finished task's files are kept on its node (`retentionTime`),
    /// which `retaineddata` waits for. Default `P7D`, as on the service.
    #[serde(default = "default_duration")]
    pub retention: Duration,
}

/// A stage of a job.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageSpec {
    /// The stage's name.
    pub name: String,
    /// Number of tasks.
    pub tasks: u64,
    /// Task duration.
    pub duration: Distribution,
    /// Slots each task takes. Default 1.
    #[serde(default)]
    pub slots: Option<Spanned<u32>>,
    /// The stage this one waits for.
    #[serde(default)]
    pub depends_on: Option<Spanned<String>>,
    /// `one_to_one` (task i waits for task i of `depends_on`, the default) or `all`.
    #[serde(default)]
    pub dependency: Dependency,
}

/// How a stage's tasks wait for the stage before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dependency {
    /// Task i waits for task i of the earlier stage.
    #[default]
    OneToOne,
    /// Every task waits for all tasks of the earlier stage.
    All,
}

/// How tasks arrive.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Arrival {
    /// All at the job's submission.
    #[default]
    AllAtOnce,
    /// A Poisson process of `rate_per_hour` tasks from the submission.
    Poisson {
        /// Mean tasks per hour.
        rate_per_hour: f64,
    },
    /// A Poisson process whose rate follows the hour of day (UTC): 24 rates per hour.
    Daily {
        /// Mean tasks per hour for hours 0 to 23.
        rate_per_hour: Vec<f64>,
    },
}

fn default_start() -> Instant {
    Instant(Timestamp::parse_rfc3339("2025-01-06T00:00:00Z").unwrap_or(Timestamp::UNIX_EPOCH))
}
fn default_spanned_duration() -> toml::Spanned<Duration> {
    toml::Spanned::new(0..0, default_duration())
}

fn default_duration() -> Duration {
    Duration(7 * 24 * 3600 * 1000)
}
fn default_interval() -> Spanned<Duration> {
    Spanned::new(0..0, Duration(15 * 60 * 1000))
}
fn default_period() -> Spanned<Duration> {
    Spanned::new(0..0, Duration(30 * 1000))
}
fn default_delay() -> Duration {
    Duration(60 * 1000)
}
fn default_recovery() -> Duration {
    Duration(30 * 60 * 1000)
}
fn default_startup() -> Distribution {
    Distribution::Fixed(Duration(5 * 60 * 1000))
}
fn one() -> Spanned<u32> {
    Spanned::new(0..0, 1)
}
fn yes() -> bool {
    true
}
fn all() -> Probability {
    Probability(1.0)
}

/// A scenario read from a file, with its location (for relative paths).
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    /// The scenario.
    pub scenario: Scenario,
    /// The file it came from.
    pub path: String,
    /// The file's text (for error positions).
    pub text: String,
}

/// 1-based line and column of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The key on the line holding `offset` (`interval = "PT1M"` → `interval`).
fn key_at(text: &str, offset: usize) -> Option<String> {
    let start = text
        .get(..offset.min(text.len()))?
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = text.get(start..)?.lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_start_matches('{').trim();
    let key = key.rsplit([',', '{']).next()?.trim();
    (!key.is_empty()).then(|| key.to_string())
}

impl LoadedScenario {
    /// Parses and checks a scenario.
    pub fn parse(path: &str, text: &str) -> Result<LoadedScenario, InputError> {
        let scenario: Scenario = toml::from_str(text).map_err(|e| {
            let mut err = InputError::new(path, e.message().to_string());
            if let Some(span) = e.span() {
                let (line, column) = line_col(text, span.start);
                err = err.at(line, Some(column));
                if let Some(key) = key_at(text, span.start) {
                    err = err.field(key);
                }
            }
            err
        })?;
        let loaded = LoadedScenario {
            scenario,
            path: path.to_string(),
            text: text.to_string(),
        };
        loaded.check()?;
        Ok(loaded)
    }

    /// Reads and parses a scenario file.
    pub fn read(path: &str) -> Result<LoadedScenario, InputError> {
        let bytes =
            std::fs::read(path).map_err(|e| InputError::new(path, format!("cannot read: {e}")))?;
        let text = crate::input::decode_text(path, &bytes, 16 << 20)?;
        Self::parse(path, &text)
    }

    /// An error at a spanned value.
    pub fn error_at(&self, span: std::ops::Range<usize>, key: &str, message: String) -> InputError {
        let mut err = InputError::new(&self.path, message).field(key);
        if span.end > 0 {
            let (line, column) = line_col(&self.text, span.start);
            err = err.at(line, Some(column));
        }
        err
    }

    /// Resolves a path given in the scenario relative to the scenario file.
    pub fn resolve(&self, relative: &str) -> PathBuf {
        let base = Path::new(&self.path).parent().unwrap_or(Path::new(""));
        base.join(relative)
    }

    fn check(&self) -> Result<(), InputError> {
        let s = &self.scenario;
        let interval = s.interval.get_ref().0;
        if !(MIN_INTERVAL_MS..=MAX_INTERVAL_MS).contains(&interval) {
            return Err(self.error_at(
                s.interval.span(),
                "interval",
                format!(
                    "{} is outside the service's range PT5M to P7D (168 hours)",
                    TimeInterval::from_ticks(interval * 10_000)
                ),
            ));
        }
        if s.duration.get_ref().0 > MAX_DURATION_MS {
            return Err(self.error_at(
                s.duration.span(),
                "duration",
                format!(
                    "{} is longer than the simulator's limit of P366D",
                    TimeInterval::from_ticks(s.duration.get_ref().0.saturating_mul(10_000))
                ),
            ));
        }
        let period = s.metrics.sample_period.get_ref().0;
        if period < 1000 {
            return Err(self.error_at(
                s.metrics.sample_period.span(),
                "sample_period",
                "must be at least one second".into(),
            ));
        }
        let slots = *s.pool.task_slots_per_node.get_ref();
        if !(1..=256).contains(&slots) {
            return Err(self.error_at(
                s.pool.task_slots_per_node.span(),
                "task_slots_per_node",
                format!("{slots} is outside 1 to 256"),
            ));
        }
        let rate = s.pool.preemption.rate_per_node_hour;
        if !(rate.is_finite() && rate >= 0.0) {
            return Err(
                InputError::new(&self.path, format!("{rate} is not a rate of 0 or more"))
                    .field("pool.preemption.rate_per_node_hour"),
            );
        }
        for (key, price) in [
            ("pool.dedicated_price", s.pool.dedicated_price),
            ("pool.low_priority_price", s.pool.low_priority_price),
        ] {
            if !(price.is_finite() && price >= 0.0) {
                return Err(InputError::new(
                    &self.path,
                    format!("{price} is not a price of 0 or more"),
                )
                .field(key));
            }
        }
        if s.formula.is_some() && s.formula_file.is_some() {
            return Err(InputError::new(
                &self.path,
                "give either `formula` or `formula_file`, not both",
            )
            .field("formula_file"));
        }
        if s.jobs.is_empty() {
            return Err(InputError::new(&self.path, "the scenario has no `[[job]]`").field("job"));
        }
        for (i, job) in s.jobs.iter().enumerate() {
            self.check_job(i, job, slots)?;
        }
        Ok(())
    }

    fn check_job(&self, i: usize, job: &JobSpec, slots_per_node: u32) -> Result<(), InputError> {
        let key = |k: &str| format!("job[{i}].{k}");
        let kinds = usize::from(job.tasks.is_some())
            + usize::from(!job.stages.is_empty())
            + usize::from(job.trace.is_some());
        if kinds != 1 {
            return Err(InputError::new(
                &self.path,
                "a job has exactly one of `tasks` (with `duration`), `[[job.stage]]` or `trace`",
            )
            .field(key("tasks")));
        }
        if job.tasks.is_some() && job.duration.is_none() {
            return Err(
                InputError::new(&self.path, "`tasks` needs a `duration`").field(key("duration"))
            );
        }
        if job.tasks.is_none() && job.duration.is_some() {
            return Err(
                InputError::new(&self.path, "`duration` belongs to a job with `tasks`")
                    .field(key("duration")),
            );
        }
        match &job.arrival {
            Arrival::Poisson { rate_per_hour }
                if !(rate_per_hour.is_finite() && *rate_per_hour > 0.0) =>
            {
                return Err(InputError::new(
                    &self.path,
                    format!("{rate_per_hour} is not a rate above 0"),
                )
                .field(key("arrival.poisson.rate_per_hour")))
            }
            Arrival::Daily { rate_per_hour } => {
                let good = rate_per_hour.len() == 24
                    && rate_per_hour.iter().all(|r| r.is_finite() && *r >= 0.0)
                    && rate_per_hour.iter().any(|r| *r > 0.0);
                if !good {
                    return Err(InputError::new(
                        &self.path,
                        "needs 24 rates of 0 or more (hours 0 to 23 UTC), at least one above 0",
                    )
                    .field(key("arrival.daily.rate_per_hour")));
                }
            }
            _ => {}
        }
        let mut slot_fields: Vec<&Spanned<u32>> = job.slots.iter().collect();
        slot_fields.extend(job.stages.iter().filter_map(|s| s.slots.as_ref()));
        for s in slot_fields {
            let n = *s.get_ref();
            if n == 0 || n > slots_per_node {
                return Err(self.error_at(
                    s.span(),
                    "slots",
                    format!("{n} is outside 1 to task_slots_per_node ({slots_per_node})"),
                ));
            }
        }
        for (k, stage) in job.stages.iter().enumerate() {
            if job.stages.iter().take(k).any(|s| s.name == stage.name) {
                return Err(InputError::new(
                    &self.path,
                    format!("stage `{}` is defined twice", stage.name),
                )
                .field(format!("job[{i}].stage[{k}].name")));
            }
            if let Some(dep) = &stage.depends_on {
                let Some(parent) = job.stages.iter().take(k).find(|s| &s.name == dep.get_ref())
                else {
                    return Err(self.error_at(
                        dep.span(),
                        "depends_on",
                        format!(
                            "`{}` is not a stage defined before `{}`",
                            dep.get_ref(),
                            stage.name
                        ),
                    ));
                };
                if stage.dependency == Dependency::OneToOne && parent.tasks != stage.tasks {
                    return Err(self.error_at(
                        dep.span(),
                        "depends_on",
                        format!(
                            "a one_to_one dependency needs equal task counts: `{}` has {}, `{}` has {}",
                            parent.name, parent.tasks, stage.name, stage.tasks
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}
