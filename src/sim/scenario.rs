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
pub(crate) const MIN_INTERVAL_MS: i64 = 5 * 60 * 1000;
/// Longest evaluation interval the service accepts.
pub(crate) const MAX_INTERVAL_MS: i64 = 168 * 3600 * 1000;
/// Longest simulation: a year and a day, so that no scenario runs for ever.
pub(crate) const MAX_DURATION_MS: i64 = 366 * 86_400 * 1000;

/// An ISO 8601 duration (`PT15M`, `P2D`), at least 0, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(
        with = "String",
        description = "An ISO 8601 duration such as `PT15M` or `P2D`, at least 0.",
        extend("examples" = ["PT15M", "P2D"])
    )
)]
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
            de::Error::custom(crate::value::duration_error(&text, || {
                format!("`{text}` is not an ISO 8601 duration such as `PT15M` or `P2D`")
            }))
        })?;
        if interval.ticks() < 0 {
            return Err(de::Error::custom(format!("`{text}` is negative")));
        }
        Ok(Duration(interval.ticks() / 10_000))
    }
}

/// An RFC 3339 instant (`2025-01-06T00:00:00Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(with = "String", extend("format" = "date-time"))
)]
pub struct Instant(pub Timestamp);

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Timestamp::parse_rfc3339(&text).map(Instant).ok_or_else(|| {
            de::Error::custom(crate::value::time_error(&text, || {
                format!(
                    "`{text}` is not an RFC 3339 time with an offset, such as `2025-01-06T00:00:00Z`"
                )
            }))
        })
    }
}

/// A probability from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(with = "f64", extend("minimum" = 0, "maximum" = 1))
)]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Scenario {
    /// When the simulation starts and autoscale is enabled (RFC 3339). Default `2025-01-06T00:00:00Z` (a Monday).
    #[serde(default = "default_start")]
    pub start: Instant,
    /// The longest simulated time. Default `P7D`, at most `P366D`.
    #[serde(default = "default_spanned_duration")]
    #[cfg_attr(feature = "schema", schemars(with = "Duration"))]
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
    #[cfg_attr(feature = "schema", schemars(with = "Duration"))]
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
    /// How tasks of several jobs share the pool, and how long a task takes to start.
    #[serde(default)]
    pub scheduling: SchedulingSpec,
    /// Bounds on the simulator's work, each liftable here.
    #[serde(default)]
    pub limits: LimitsSpec,
}

/// How the pool's task scheduler orders jobs and starts tasks.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SchedulingSpec {
    /// Order of jobs of equal priority: `uniform` (the service's `jobDefaultOrder`
    /// `none`, the default) or `creation_time`.
    #[serde(default)]
    pub order: JobOrder,
    /// Time from a task's placement on a node until it runs (its slot is held
    /// meanwhile). Default `{ uniform = { min = "PT2S", max = "PT5S" } }`.
    #[serde(default = "default_latency")]
    pub latency: Distribution,
}

impl Default for SchedulingSpec {
    fn default() -> Self {
        SchedulingSpec {
            order: JobOrder::Uniform,
            latency: default_latency(),
        }
    }
}

/// The order of jobs of equal priority (`jobDefaultOrder`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum JobOrder {
    /// Tasks are taken from the jobs in turn (`none`).
    #[default]
    Uniform,
    /// Tasks of the job created first go first (`creationtime`).
    CreationTime,
}

/// Bounds on the simulator's work. Each is an ordinary error when passed,
/// naming the key that lifts it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LimitsSpec {
    /// Most nodes of each type in the pool; also the quota when none is given.
    /// Default 10,000.
    #[serde(default = "default_max_nodes")]
    pub nodes: u32,
    /// Most events one run may process (task attempts, node changes,
    /// preemptions, samples, evaluations). Default 500,000,000.
    #[serde(default = "default_max_events")]
    pub events: u64,
    /// Most sample reads the evaluations may make: evaluations × samples held
    /// in the history, checked before the run. Default 10,000,000,000.
    #[serde(default = "default_max_window_reads")]
    pub window_reads: u64,
}

impl Default for LimitsSpec {
    fn default() -> Self {
        LimitsSpec {
            nodes: DEFAULT_MAX_NODES,
            events: DEFAULT_MAX_EVENTS,
            window_reads: DEFAULT_MAX_WINDOW_READS,
        }
    }
}

/// Default most nodes of each type in one pool.
pub(crate) const DEFAULT_MAX_NODES: u32 = 10_000;
/// Default most events in one run.
pub(crate) const DEFAULT_MAX_EVENTS: u64 = 500_000_000;
/// Default most sample reads by the evaluations of one run.
pub(crate) const DEFAULT_MAX_WINDOW_READS: u64 = 10_000_000_000;

/// The pool.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PoolSpec {
    /// Dedicated target before the first evaluation. Default 0.
    #[serde(default)]
    pub initial_dedicated: u32,
    /// Low-priority target before the first evaluation. Default 0.
    #[serde(default)]
    pub initial_low_priority: u32,
    /// Task slots per node (`$TaskSlotsPerNode`), 1 to 256. Default 1.
    #[serde(default = "one")]
    #[cfg_attr(feature = "schema", schemars(with = "u32"))]
    pub task_slots_per_node: Spanned<u32>,
    /// How tasks are placed: `spread` (the service's default) or `pack`.
    #[serde(default)]
    pub fill_type: FillType,
    /// Time from a resize request until the node exists (the VM's *Creating*
    /// phase: not billed, not yet counted in the pool). Default
    /// `{ uniform = { min = "PT3M", max = "PT8M" } }`.
    #[serde(default = "default_allocation_delay")]
    pub allocation_delay: Distribution,
    /// Nodes per minute one resize delivers: node *i* of a grow waits *i* ÷ rate
    /// minutes more. Default unlimited.
    #[serde(default)]
    pub allocation_rate: Option<f64>,
    /// Time from the node's creation until it runs tasks: boot and start task,
    /// billed. Default `{ fixed = "PT5M" }`.
    #[serde(default = "default_startup")]
    pub startup: Distribution,
    /// Chance that a node's start task fails: the node stays, billed and
    /// counted toward the target, and runs no task. Default 0.
    #[serde(default)]
    pub start_task_failure: Probability,
    /// Cores per node: when given, the quotas are in cores (as Azure's are).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<u32>"))]
    pub cores_per_node: Option<Spanned<u32>>,
    /// How the pool applies new targets: `immediate` or `steady` (only once no
    /// node is being allocated, starting or leaving). Default `immediate`.
    #[serde(default)]
    pub resize: ResizeMode,
    /// Most dedicated nodes (or cores, with `cores_per_node`) the quota allows.
    /// Default the node limit (`[limits] nodes`).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<u32>"))]
    pub dedicated_quota: Option<Spanned<u32>>,
    /// Most low-priority nodes (or cores) the quota allows. Default the node limit.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<u32>"))]
    pub low_priority_quota: Option<Spanned<u32>>,
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
            allocation_delay: default_allocation_delay(),
            allocation_rate: None,
            startup: default_startup(),
            start_task_failure: Probability(0.0),
            cores_per_node: None,
            resize: ResizeMode::Immediate,
            dedicated_quota: None,
            low_priority_quota: None,
            dedicated_price: 0.0,
            low_priority_price: 0.0,
            preemption: PreemptionSpec::default(),
        }
    }
}

/// When new targets take effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ResizeMode {
    /// At once, whatever the pool is doing.
    #[default]
    Immediate,
    /// Once the pool is steady: no node allocating, starting or leaving.
    Steady,
}

/// How the scheduler places tasks on nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PreemptionSpec {
    /// Preemptions per running low-priority node-hour (a Poisson process per node). Default 0.
    #[serde(default)]
    pub rate_per_node_hour: f64,
    /// Fixed preemption events (offsets from `start`).
    #[serde(default)]
    pub at: Vec<PreemptionEvent>,
    /// How long a preempted node stays preempted before it is allocated and
    /// started again. Default `PT30M`.
    #[serde(default = "default_recovery")]
    pub recovery: Duration,
    /// Share of the requested low-priority nodes Azure can supply: a number
    /// from 0 to 1, or steps `[{ from = "PT6H", share = 0.5 }]`. Default 1.
    #[serde(default)]
    pub availability: Availability,
}

/// Share of requested low-priority nodes Azure can supply, over time.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(untagged))]
pub enum Availability {
    /// The same share all along.
    Constant(#[cfg_attr(feature = "schema", schemars(range(min = 0.0, max = 1.0)))] f64),
    /// Steps: each share holds from its offset until the next step (1 before the first).
    Schedule(Vec<AvailabilityStep>),
}

impl Default for Availability {
    fn default() -> Self {
        Availability::Constant(1.0)
    }
}

impl Availability {
    /// The share at `ms` from the start.
    pub fn at(&self, ms: i64) -> f64 {
        match self {
            Availability::Constant(share) => *share,
            Availability::Schedule(steps) => steps
                .iter()
                .take_while(|s| s.from.0 <= ms)
                .last()
                .map_or(1.0, |s| s.share.0),
        }
    }
}

/// One step of an availability schedule.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AvailabilityStep {
    /// When the share starts to hold, as an offset from `start`.
    pub from: Duration,
    /// The share from 0 to 1.
    pub share: Probability,
}

impl<'de> Deserialize<'de> for Availability {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = toml::Value::deserialize(d)?;
        match value {
            toml::Value::Float(_) | toml::Value::Integer(_) => {
                let share =
                    Probability::deserialize(value).map_err(|e| de::Error::custom(e.message()))?;
                Ok(Availability::Constant(share.0))
            }
            toml::Value::Array(_) => {
                let steps =
                    Vec::<AvailabilityStep>::deserialize(value)
                    .map_err(|e| de::Error::custom(e.message()))?;
                if steps.windows(2).any(|w| matches!(w, [a, b] if a.from >= b.from)) {
                    return Err(de::Error::custom(
                        "the steps' `from` offsets must increase",
                    ));
                }
                Ok(Availability::Schedule(steps))
            }
            _ => Err(de::Error::custom(
                "expected a share from 0 to 1 or steps such as `[{ from = \"PT6H\", share = 0.5 }]`",
            )),
        }
    }
}

impl Default for PreemptionSpec {
    fn default() -> Self {
        PreemptionSpec {
            rate_per_node_hour: 0.0,
            at: Vec::new(),
            recovery: default_recovery(),
            availability: Availability::default(),
        }
    }
}

/// A fixed preemption event.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MetricsSpec {
    /// Time between samples. Default `PT30S`, as on the service.
    #[serde(default = "default_period")]
    #[cfg_attr(feature = "schema", schemars(with = "Duration"))]
    pub sample_period: Spanned<Duration>,
    /// How long a sample takes to become visible to the formula. Default `PT60S`.
    #[serde(default = "default_delay")]
    pub delay: Duration,
    /// Chance that a sample is not recorded (the service: "samples may not be
    /// recorded for a particular interval"). Default 0.
    #[serde(default)]
    pub missing: Probability,
}

impl Default for MetricsSpec {
    fn default() -> Self {
        MetricsSpec {
            sample_period: default_period(),
            delay: default_delay(),
            missing: Probability(0.0),
        }
    }
}

/// A job: a set of tasks in one or more stages, or a CSV trace.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct JobSpec {
    /// The job's name (in the summary). Default `job-N`.
    #[serde(default)]
    pub name: Option<String>,
    /// When the job is submitted, as an offset from `start`. Default `PT0S`.
    #[serde(default)]
    pub submit: Option<Duration>,
    /// The job's priority, −1000 to 1000: the scheduler serves higher first. Default 0.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<i32>"))]
    pub priority: Option<Spanned<i32>>,
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
    #[cfg_attr(feature = "schema", schemars(with = "Option<u32>"))]
    pub slots: Option<Spanned<u32>>,
    /// Stages, each with its own tasks.
    #[serde(default, rename = "stage")]
    pub stages: Vec<StageSpec>,
    /// A CSV trace with the columns `submit`, `duration` and optionally `slots`,
    /// `job` and `exit_code` (relative to the scenario file, inside its folder):
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StageSpec {
    /// The stage's name.
    pub name: String,
    /// Number of tasks.
    pub tasks: u64,
    /// Task duration.
    pub duration: Distribution,
    /// Slots each task takes. Default 1.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<u32>"))]
    pub slots: Option<Spanned<u32>>,
    /// The stage this one waits for.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub depends_on: Option<Spanned<String>>,
    /// `one_to_one` (task i waits for task i of `depends_on`, the default) or `all`.
    #[serde(default)]
    pub dependency: Dependency,
}

/// How a stage's tasks wait for the stage before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
fn default_allocation_delay() -> Distribution {
    Distribution::Uniform(3 * 60 * 1000, 8 * 60 * 1000)
}
fn default_latency() -> Distribution {
    Distribution::Uniform(2 * 1000, 5 * 1000)
}
fn default_max_nodes() -> u32 {
    DEFAULT_MAX_NODES
}
fn default_max_events() -> u64 {
    DEFAULT_MAX_EVENTS
}
fn default_max_window_reads() -> u64 {
    DEFAULT_MAX_WINDOW_READS
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

impl PoolSpec {
    /// Most nodes of each type (dedicated, low-priority): the quota, in nodes
    /// (whole nodes of `cores_per_node` cores when given), and never more than
    /// `max_nodes`.
    pub fn node_limits(&self, max_nodes: u32) -> [u32; 2] {
        let cores = self
            .cores_per_node
            .as_ref()
            .map_or(1, |c| *c.get_ref())
            .max(1);
        [&self.dedicated_quota, &self.low_priority_quota].map(|quota| {
            quota
                .as_ref()
                .map_or(max_nodes, |q| (*q.get_ref() / cores).min(max_nodes))
        })
    }
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
    /// Whether files the scenario names (`formula_file`, `trace`) may lie
    /// outside the scenario's folder. Default `false`: a scenario from
    /// elsewhere cannot make batchscale read other files.
    pub allow_outside_paths: bool,
}

/// Most bytes of a file a scenario refers to (`formula_file`, `trace`).
pub(crate) const MAX_REFERENCED_BYTES: u64 = 256 << 20;

/// `token` cut to at most 40 characters, so that an error never echoes much of
/// a file's content.
pub(crate) fn excerpt(token: &str) -> String {
    let mut chars = token.chars();
    let head: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
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
            allow_outside_paths: false,
        };
        loaded.check()?;
        Ok(loaded)
    }

    /// Reads and parses a scenario file.
    pub fn read(path: &str) -> Result<LoadedScenario, InputError> {
        const LIMIT: usize = 16 << 20;
        // At most one byte past the limit is read (crate::input::read_file),
        // so a device or a huge file is refused without being read to its end.
        let bytes = crate::input::read_file(path, LIMIT)?;
        let text = crate::input::decode_text(path, &bytes, LIMIT)?;
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

    /// Resolves a path given in the scenario relative to the scenario file,
    /// without checking where it leads (see [`LoadedScenario::reference`]).
    pub fn resolve(&self, relative: &str) -> PathBuf {
        let base = Path::new(&self.path).parent().unwrap_or(Path::new(""));
        base.join(relative)
    }

    /// The file a scenario key (`formula_file`, `job[0].trace`) names, relative
    /// to the scenario file. Unless [`LoadedScenario::allow_outside_paths`] is
    /// set, it must stay inside the scenario's folder once `..` and symbolic
    /// links are followed. Errors name the key and the path as written, never
    /// the file's content.
    pub fn reference(&self, key: &str, relative: &str) -> Result<PathBuf, InputError> {
        let path = self.resolve(relative);
        if self.allow_outside_paths {
            return Ok(path);
        }
        let outside = || {
            InputError::new(
                &self.path,
                format!(
                    "`{}` is outside the scenario's folder; allow it with \
                     `--allow-outside-paths` (`LoadedScenario::allow_outside_paths`)",
                    excerpt(relative)
                ),
            )
            .field(key)
        };
        if Path::new(relative).is_absolute() {
            return Err(outside());
        }
        let base = Path::new(&self.path).parent().unwrap_or(Path::new(""));
        let base = if base.as_os_str().is_empty() {
            Path::new(".")
        } else {
            base
        };
        let (Ok(base), Ok(target)) = (base.canonicalize(), path.canonicalize()) else {
            // A file that does not exist: reading it reports that; `..` that
            // climbs out is refused all the same.
            let mut depth = 0i64;
            for part in Path::new(relative).components() {
                match part {
                    std::path::Component::ParentDir => depth -= 1,
                    std::path::Component::Normal(_) => depth += 1,
                    _ => {}
                }
                if depth < 0 {
                    return Err(outside());
                }
            }
            return Ok(path);
        };
        if target.starts_with(&base) {
            Ok(path)
        } else {
            Err(outside())
        }
    }

    /// Reads a file the scenario names under `key`, inside the scenario's
    /// folder (see [`LoadedScenario::reference`]), at most
    /// 256 MiB.
    pub fn read_reference(
        &self,
        key: &str,
        relative: &str,
    ) -> Result<(String, Vec<u8>), InputError> {
        use std::io::Read as _;
        let path = self.reference(key, relative)?;
        let shown = path.to_string_lossy().into_owned();
        let cannot = |e: std::io::Error| {
            InputError::new(
                &self.path,
                format!("cannot read `{}`: {}", excerpt(relative), e.kind()),
            )
            .field(key)
        };
        let file = std::fs::File::open(&path).map_err(cannot)?;
        let mut bytes = Vec::new();
        file.take(MAX_REFERENCED_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
        if bytes.len() as u64 > MAX_REFERENCED_BYTES {
            return Err(InputError::new(
                shown,
                format!("the file is larger than the limit of {MAX_REFERENCED_BYTES} bytes"),
            ));
        }
        Ok((shown, bytes))
    }

    /// The formula the scenario names with `formula_file`, read as
    /// [`LoadedScenario::read_reference`] does: `(path, text)`, or `None`
    /// without `formula_file`.
    pub fn read_formula_file(&self) -> Result<Option<(String, String)>, InputError> {
        let Some(file) = &self.scenario.formula_file else {
            return Ok(None);
        };
        let (path, bytes) = self.read_reference("formula_file", file)?;
        let text = crate::input::decode_text(&path, &bytes, MAX_REFERENCED_BYTES as usize)?;
        Ok(Some((path, text)))
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
        // Every time the run may print must be a time the service can hold.
        let end_ticks = s
            .start
            .0
            .ticks()
            .checked_add(s.duration.get_ref().0.saturating_mul(10_000));
        if end_ticks.and_then(Timestamp::from_ticks).is_none() {
            return Err(self.error_at(
                s.duration.span(),
                "duration",
                format!(
                    "the run would end after 9999-12-31T23:59:59Z, the last time there is; \
                     start it earlier than {} or make it shorter",
                    s.start.0
                ),
            ));
        }
        self.check_pool()?;
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

    fn check_pool(&self) -> Result<(), InputError> {
        let pool = &self.scenario.pool;
        let cap = self.scenario.limits.nodes;
        if let Some(cores) = &pool.cores_per_node {
            if *cores.get_ref() == 0 {
                return Err(self.error_at(
                    cores.span(),
                    "cores_per_node",
                    "must be at least 1".into(),
                ));
            }
        }
        for (key, initial) in [
            ("pool.initial_dedicated", pool.initial_dedicated),
            ("pool.initial_low_priority", pool.initial_low_priority),
        ] {
            if initial > cap {
                return Err(InputError::new(
                    &self.path,
                    format!(
                        "{initial} nodes is more than the simulator's limit of {cap} nodes of each \
                         type per pool; raise `[limits] nodes` to simulate a larger pool"
                    ),
                )
                .field(key));
            }
        }
        if let Some(rate) = pool.allocation_rate {
            if !(rate.is_finite() && rate > 0.0) {
                return Err(InputError::new(
                    &self.path,
                    format!("{rate} is not a rate above 0 (nodes per minute)"),
                )
                .field("pool.allocation_rate"));
            }
        }
        Ok(())
    }

    fn check_job(&self, i: usize, job: &JobSpec, slots_per_node: u32) -> Result<(), InputError> {
        let key = |k: &str| format!("job[{i}].{k}");
        if let Some(priority) = &job.priority {
            let p = *priority.get_ref();
            if !(-1000..=1000).contains(&p) {
                return Err(self.error_at(
                    priority.span(),
                    "priority",
                    format!("{p} is outside the service's range -1000 to 1000"),
                ));
            }
        }
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
        // Names seen so far, so that each stage is checked in constant time.
        let mut seen: std::collections::HashMap<&str, &StageSpec> =
            std::collections::HashMap::with_capacity(job.stages.len());
        for (k, stage) in job.stages.iter().enumerate() {
            if let Some(dep) = &stage.depends_on {
                let Some(&parent) = seen.get(dep.get_ref().as_str()) else {
                    return Err(self.error_at(
                        dep.span(),
                        "depends_on",
                        format!(
                            "`{}` is not a stage defined before `{}`",
                            excerpt(dep.get_ref()),
                            excerpt(&stage.name)
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
            if seen.insert(stage.name.as_str(), stage).is_some() {
                return Err(InputError::new(
                    &self.path,
                    format!("stage `{}` is defined twice", excerpt(&stage.name)),
                )
                .field(format!("job[{i}].stage[{k}].name")));
            }
        }
        Ok(())
    }
}
