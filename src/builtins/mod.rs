//! One table of the language's names: service variables, constants, keywords,
//! functions, sample methods and timestamp members. The checker, the evaluator,
//! the REPL's help and completion, and the docs all read it.

use crate::value::{Member, NodeDeallocationOption, TimeInterval, Type, TICKS_PER_SECOND};

/// The two kinds of node a pool has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// Dedicated nodes.
    Dedicated,
    /// Low-priority (Spot) nodes.
    LowPriority,
}

/// A sampled metric: a read-only service variable with a sample history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Metric {
    /// `$CPUPercent`
    CpuPercent,
    /// `$WallClockSeconds`
    WallClockSeconds,
    /// `$MemoryBytes`
    MemoryBytes,
    /// `$DiskBytes`
    DiskBytes,
    /// `$DiskReadBytes`
    DiskReadBytes,
    /// `$DiskWriteBytes`
    DiskWriteBytes,
    /// `$DiskReadOps`
    DiskReadOps,
    /// `$DiskWriteOps`
    DiskWriteOps,
    /// `$NetworkInBytes`
    NetworkInBytes,
    /// `$NetworkOutBytes`
    NetworkOutBytes,
    /// `$SampleNodeCount`
    SampleNodeCount,
    /// `$ActiveTasks`
    ActiveTasks,
    /// `$RunningTasks`
    RunningTasks,
    /// `$PendingTasks`
    PendingTasks,
    /// `$SucceededTasks`
    SucceededTasks,
    /// `$FailedTasks`
    FailedTasks,
    /// `$PreemptedNodeCount`
    PreemptedNodeCount,
    /// `$CurrentDedicatedNodes` (its history; a bare read gives the pool's value)
    CurrentDedicatedNodes,
    /// `$CurrentLowPriorityNodes` (its history; a bare read gives the pool's value)
    CurrentLowPriorityNodes,
}

impl Metric {
    /// Number of metrics.
    pub const COUNT: usize = 19;

    /// All metrics, in table order.
    pub const ALL: [Metric; Metric::COUNT] = [
        Metric::CpuPercent,
        Metric::WallClockSeconds,
        Metric::MemoryBytes,
        Metric::DiskBytes,
        Metric::DiskReadBytes,
        Metric::DiskWriteBytes,
        Metric::DiskReadOps,
        Metric::DiskWriteOps,
        Metric::NetworkInBytes,
        Metric::NetworkOutBytes,
        Metric::SampleNodeCount,
        Metric::ActiveTasks,
        Metric::RunningTasks,
        Metric::PendingTasks,
        Metric::SucceededTasks,
        Metric::FailedTasks,
        Metric::PreemptedNodeCount,
        Metric::CurrentDedicatedNodes,
        Metric::CurrentLowPriorityNodes,
    ];

    /// The index of this metric in [`Metric::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The variable name, with `$`.
    pub fn name(self) -> &'static str {
        match self {
            Metric::CpuPercent => "$CPUPercent",
            Metric::WallClockSeconds => "$WallClockSeconds",
            Metric::MemoryBytes => "$MemoryBytes",
            Metric::DiskBytes => "$DiskBytes",
            Metric::DiskReadBytes => "$DiskReadBytes",
            Metric::DiskWriteBytes => "$DiskWriteBytes",
            Metric::DiskReadOps => "$DiskReadOps",
            Metric::DiskWriteOps => "$DiskWriteOps",
            Metric::NetworkInBytes => "$NetworkInBytes",
            Metric::NetworkOutBytes => "$NetworkOutBytes",
            Metric::SampleNodeCount => "$SampleNodeCount",
            Metric::ActiveTasks => "$ActiveTasks",
            Metric::RunningTasks => "$RunningTasks",
            Metric::PendingTasks => "$PendingTasks",
            Metric::SucceededTasks => "$SucceededTasks",
            Metric::FailedTasks => "$FailedTasks",
            Metric::PreemptedNodeCount => "$PreemptedNodeCount",
            Metric::CurrentDedicatedNodes => "$CurrentDedicatedNodes",
            Metric::CurrentLowPriorityNodes => "$CurrentLowPriorityNodes",
        }
    }

    /// The metric with this exact name (`$PendingTasks`); the legacy
    /// `$CurrentDedicated` names the dedicated node count's history.
    pub fn from_name(name: &str) -> Option<Metric> {
        if name == "$CurrentDedicated" {
            return Some(Metric::CurrentDedicatedNodes);
        }
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }
}

impl Metric {
    /// The metric named `name`, written with or without its `$`; otherwise the
    /// closest metric name, if one is close, for a "did you mean" hint.
    pub fn lookup(name: &str) -> Result<Metric, Option<&'static str>> {
        let dollar = if name.starts_with('$') {
            std::borrow::Cow::Borrowed(name)
        } else {
            std::borrow::Cow::Owned(format!("${name}"))
        };
        Metric::from_name(&dollar).ok_or_else(|| {
            crate::input::did_you_mean(&dollar, Metric::ALL.iter().map(|m| m.name()))
        })
    }
}

/// `; did you mean `X`?` for a suggestion, or nothing.
pub fn hint(suggestion: Option<&str>) -> String {
    suggestion
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default()
}

/// Read-only pool values, read as plain numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PoolValue {
    /// `$CurrentDedicatedNodes` (and the legacy `$CurrentDedicated`)
    CurrentDedicated,
    /// `$CurrentLowPriorityNodes`
    CurrentLowPriority,
    /// `$TaskSlotsPerNode`
    TaskSlotsPerNode,
    /// `$UsableNodeCount`
    UsableNodeCount,
}

impl PoolValue {
    /// The metric holding this value's history, when it has one.
    pub fn history(self) -> Option<Metric> {
        match self {
            PoolValue::CurrentDedicated => Some(Metric::CurrentDedicatedNodes),
            PoolValue::CurrentLowPriority => Some(Metric::CurrentLowPriorityNodes),
            _ => None,
        }
    }
}

/// What a `$`-name of the service refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServiceVariable {
    /// A read-write target; `alias` for `$TargetDedicated` / `$TargetLowPriority`.
    Target {
        /// Which node kind.
        kind: NodeKind,
        /// Whether this is the short alias.
        alias: bool,
    },
    /// `$NodeDeallocationOption`
    NodeDeallocationOption,
    /// A sampled metric; read bare, it gives its latest sample.
    Sampled(Metric),
    /// A pool value read as a number.
    Pool(PoolValue),
}

/// One row of the service-variable table.
#[derive(Debug, Clone, Copy)]
pub struct VariableInfo {
    /// The name, with `$`.
    pub name: &'static str,
    /// What it refers to.
    pub variable: ServiceVariable,
    /// What it means.
    pub doc: &'static str,
}

macro_rules! var {
    ($name:literal, $v:expr, $doc:literal) => {
        VariableInfo {
            name: $name,
            variable: $v,
            doc: $doc,
        }
    };
}

use ServiceVariable as SV;

/// Every service-defined variable (spec §4), aliases and legacy names included.
pub const SERVICE_VARIABLES: &[VariableInfo] = &[
    var!("$TargetDedicatedNodes", SV::Target { kind: NodeKind::Dedicated, alias: false },
        "Read-write. The target number of dedicated nodes; reads give the pool's current target until assigned."),
    var!("$TargetLowPriorityNodes", SV::Target { kind: NodeKind::LowPriority, alias: false },
        "Read-write. The target number of low-priority (Spot) nodes; reads give the pool's current target until assigned."),
    var!("$TargetDedicated", SV::Target { kind: NodeKind::Dedicated, alias: true },
        "Read-write. Deprecated alias of $TargetDedicatedNodes (reported under the full name)."),
    var!("$TargetLowPriority", SV::Target { kind: NodeKind::LowPriority, alias: true },
        "Read-write. Alias of $TargetLowPriorityNodes (reported under the full name)."),
    var!("$NodeDeallocationOption", SV::NodeDeallocationOption,
        "Read-write. What happens to running tasks when nodes are removed: requeue (default), terminate, taskcompletion, retaineddata."),
    var!("$CPUPercent", SV::Sampled(Metric::CpuPercent), "Sampled. Average percentage of CPU usage."),
    var!("$WallClockSeconds", SV::Sampled(Metric::WallClockSeconds), "Sampled. Number of seconds consumed."),
    var!("$MemoryBytes", SV::Sampled(Metric::MemoryBytes), "Sampled. Average number of megabytes used."),
    var!("$DiskBytes", SV::Sampled(Metric::DiskBytes), "Sampled. Average number of gigabytes used on the local disks."),
    var!("$DiskReadBytes", SV::Sampled(Metric::DiskReadBytes), "Sampled. Number of bytes read."),
    var!("$DiskWriteBytes", SV::Sampled(Metric::DiskWriteBytes), "Sampled. Number of bytes written."),
    var!("$DiskReadOps", SV::Sampled(Metric::DiskReadOps), "Sampled. Count of read disk operations."),
    var!("$DiskWriteOps", SV::Sampled(Metric::DiskWriteOps), "Sampled. Count of write disk operations."),
    var!("$NetworkInBytes", SV::Sampled(Metric::NetworkInBytes), "Sampled. Number of inbound bytes."),
    var!("$NetworkOutBytes", SV::Sampled(Metric::NetworkOutBytes), "Sampled. Number of outbound bytes."),
    var!("$SampleNodeCount", SV::Sampled(Metric::SampleNodeCount), "Sampled. Count of compute nodes."),
    var!("$ActiveTasks", SV::Sampled(Metric::ActiveTasks),
        "Sampled. Tasks ready to run but not yet running (dependencies satisfied)."),
    var!("$RunningTasks", SV::Sampled(Metric::RunningTasks), "Sampled. Tasks in the running state."),
    var!("$PendingTasks", SV::Sampled(Metric::PendingTasks), "Sampled. $ActiveTasks plus $RunningTasks."),
    var!("$SucceededTasks", SV::Sampled(Metric::SucceededTasks), "Sampled. Tasks that finished successfully."),
    var!("$FailedTasks", SV::Sampled(Metric::FailedTasks), "Sampled. Tasks that failed."),
    var!("$PreemptedNodeCount", SV::Sampled(Metric::PreemptedNodeCount),
        "Sampled. Number of nodes in the preempted state."),
    var!("$CurrentDedicatedNodes", SV::Pool(PoolValue::CurrentDedicated),
        "Read-only. Current number of dedicated nodes."),
    var!("$CurrentLowPriorityNodes", SV::Pool(PoolValue::CurrentLowPriority),
        "Read-only. Current number of low-priority nodes, preempted nodes included."),
    var!("$CurrentDedicated", SV::Pool(PoolValue::CurrentDedicated),
        "Read-only. Legacy name of $CurrentDedicatedNodes."),
    var!("$TaskSlotsPerNode", SV::Pool(PoolValue::TaskSlotsPerNode),
        "Read-only. Task slots for concurrent tasks on one node."),
    var!("$UsableNodeCount", SV::Pool(PoolValue::UsableNodeCount), "Read-only. Number of usable nodes."),
];

/// The service variable with this exact name.
pub fn service_variable(name: &str) -> Option<&'static VariableInfo> {
    SERVICE_VARIABLES.iter().find(|v| v.name == name)
}

/// The `TimeInterval_*` constants with their values.
pub const CONSTANTS: &[(&str, TimeInterval)] = &[
    ("TimeInterval_Zero", TimeInterval::from_ticks(0)),
    ("TimeInterval_100ns", TimeInterval::from_ticks(1)),
    ("TimeInterval_Microsecond", TimeInterval::from_ticks(10)),
    ("TimeInterval_Millisecond", TimeInterval::from_ticks(10_000)),
    (
        "TimeInterval_Second",
        TimeInterval::from_ticks(TICKS_PER_SECOND),
    ),
    ("TimeInterval_Minute", TimeInterval::from_seconds(60)),
    ("TimeInterval_Hour", TimeInterval::from_seconds(3600)),
    ("TimeInterval_Day", TimeInterval::from_seconds(86_400)),
    ("TimeInterval_Week", TimeInterval::from_seconds(7 * 86_400)),
    (
        "TimeInterval_Year",
        TimeInterval::from_seconds(365 * 86_400),
    ),
];

/// The constant with this exact name.
pub fn constant(name: &str) -> Option<TimeInterval> {
    CONSTANTS.iter().find(|(n, _)| *n == name).map(|&(_, v)| v)
}

/// The deallocation keyword with this exact name.
pub fn keyword(name: &str) -> Option<NodeDeallocationOption> {
    NodeDeallocationOption::from_keyword(name)
}

/// Built-in functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Function {
    Avg,
    Ceil,
    Floor,
    Round,
    Len,
    Lg,
    Ln,
    Log,
    Max,
    Min,
    Norm,
    Percentile,
    Rand,
    Range,
    Std,
    Stop,
    Sum,
    Time,
    Val,
    Vec,
}

/// One row of the function table.
#[derive(Debug, Clone, Copy)]
pub struct FunctionInfo {
    /// The name.
    pub name: &'static str,
    /// The function.
    pub function: Function,
    /// Fewest arguments.
    pub min_args: usize,
    /// Most arguments (`usize::MAX` for a `doubleVecList`).
    pub max_args: usize,
    /// The signature(s), as the docs write them.
    pub signature: &'static str,
    /// The result type for a statically known call, when it does not depend on arguments.
    pub returns: Option<Type>,
    /// What it does.
    pub doc: &'static str,
}

const LIST: usize = usize::MAX;

macro_rules! func {
    ($name:literal, $f:ident, $min:expr, $max:expr, $ret:expr, $sig:literal, $doc:literal) => {
        FunctionInfo {
            name: $name,
            function: Function::$f,
            min_args: $min,
            max_args: $max,
            signature: $sig,
            returns: $ret,
            doc: $doc,
        }
    };
}

const D: Option<Type> = Some(Type::Double);

/// Every built-in function (spec §5, rounding functions and `vec` included).
pub const FUNCTIONS: &[FunctionInfo] =
    &[
        func!(
            "avg",
            Avg,
            1,
            LIST,
            D,
            "double avg(doubleVecList)",
            "Average of all values in the list."
        ),
        func!(
            "ceil",
            Ceil,
            1,
            LIST,
            None,
            "double ceil(double) | doubleVec ceil(doubleVecList)",
            "Smallest integer not below the value, or component-wise for a list."
        ),
        func!(
            "floor",
            Floor,
            1,
            LIST,
            None,
            "double floor(double) | doubleVec floor(doubleVecList)",
            "Largest integer not above the value, or component-wise for a list."
        ),
        func!(
            "round",
            Round,
            1,
            LIST,
            None,
            "double round(double) | doubleVec round(doubleVecList)",
            "Nearest integer, halves to even (.NET Math.Round), or component-wise for a list."
        ),
        func!(
            "len",
            Len,
            0,
            LIST,
            D,
            "double len(doubleVecList)",
            "Number of values in the list."
        ),
        func!("lg", Lg, 1, LIST, None, "double lg(double) | doubleVec lg(doubleVecList)",
        "Base-2 logarithm, or component-wise for a list (pass vec(x) for a one-element vector)."),
        func!(
            "ln",
            Ln,
            1,
            LIST,
            None,
            "double ln(double) | doubleVec ln(doubleVecList)",
            "Natural logarithm, or component-wise for a list."
        ),
        func!(
            "log",
            Log,
            1,
            LIST,
            None,
            "double log(double) | doubleVec log(doubleVecList)",
            "Base-10 logarithm, or component-wise for a list."
        ),
        func!(
            "max",
            Max,
            1,
            LIST,
            D,
            "double max(doubleVecList)",
            "Largest value in the list."
        ),
        func!(
            "min",
            Min,
            1,
            LIST,
            D,
            "double min(doubleVecList)",
            "Smallest value in the list."
        ),
        func!(
            "norm",
            Norm,
            0,
            LIST,
            D,
            "double norm(doubleVecList)",
            "Two-norm of the vector built from the list."
        ),
        func!(
            "percentile",
            Percentile,
            2,
            2,
            D,
            "double percentile(doubleVec v, double p)",
            "The p-th percentile (0-100, nearest rank) of v."
        ),
        func!(
            "rand",
            Rand,
            0,
            0,
            D,
            "double rand()",
            "A random value in [0, 1)."
        ),
        func!(
            "range",
            Range,
            1,
            LIST,
            D,
            "double range(doubleVecList)",
            "Largest minus smallest value in the list."
        ),
        func!(
            "std",
            Std,
            1,
            LIST,
            D,
            "double std(doubleVecList)",
            "Sample standard deviation of the list."
        ),
        func!(
            "stop",
            Stop,
            0,
            0,
            None,
            "stop()",
            "Ends the evaluation; targets assigned so far are kept."
        ),
        func!(
            "sum",
            Sum,
            0,
            LIST,
            D,
            "double sum(doubleVecList)",
            "Sum of all values in the list."
        ),
        func!(
            "time",
            Time,
            0,
            1,
            Some(Type::Timestamp),
            "timestamp time(string dateTime=\"\")",
            "The evaluation time, or the time parsed from a W3C-DTF or RFC 1123 string."
        ),
        func!(
            "val",
            Val,
            2,
            2,
            D,
            "double val(doubleVec v, double i)",
            "Element i (zero-based) of v; 0 when i is out of range."
        ),
        func!(
            "vec",
            Vec,
            0,
            LIST,
            Some(Type::DoubleVec),
            "doubleVec vec(doubleVecList)",
            "The list flattened into one vector (selects the vector overload of lg/ln/log)."
        ),
    ];

/// Names people bring from other languages or older documents, and what the
/// formula language calls them: `average(...)` is `avg(...)`, and Batch's
/// spot nodes are still `$TargetLowPriorityNodes` in formulas.
pub const ALIASES: &[(&str, &str)] = &[
    ("average", "avg"),
    ("mean", "avg"),
    ("stddev", "std"),
    ("$TargetSpotNodes", "$TargetLowPriorityNodes"),
    ("$CurrentSpotNodes", "$CurrentLowPriorityNodes"),
];

/// The formula language's name for `name`, when `name` is a known alias.
pub fn alias(name: &str) -> Option<&'static str> {
    ALIASES
        .iter()
        .find(|(from, _)| from.eq_ignore_ascii_case(name))
        .map(|(_, to)| *to)
}

/// The function with this exact name.
pub fn function(name: &str) -> Option<&'static FunctionInfo> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

/// Sample methods of the service's sampled variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Method {
    GetSample,
    GetSamplePercent,
    GetSamplePeriod,
    Count,
    HistoryBeginTime,
}

/// One row of the method table.
#[derive(Debug, Clone, Copy)]
pub struct MethodInfo {
    /// The name.
    pub name: &'static str,
    /// The method.
    pub method: Method,
    /// Fewest arguments.
    pub min_args: usize,
    /// Most arguments.
    pub max_args: usize,
    /// The result type.
    pub returns: Type,
    /// The signature(s).
    pub signature: &'static str,
    /// What it does.
    pub doc: &'static str,
}

/// Every sample method (spec §6).
pub const METHODS: &[MethodInfo] = &[
    MethodInfo {
        name: "GetSample",
        method: Method::GetSample,
        min_args: 1,
        max_args: 3,
        returns: Type::DoubleVec,
        signature: "doubleVec GetSample(double count) | GetSample((timestamp|timeinterval) start [, (timestamp|timeinterval) end] [, double samplePercent])",
        doc: "The count most recent samples, or the samples of a window (intervals look back from now); a window fails with InsufficientSampleData below samplePercent (default 70).",
    },
    MethodInfo {
        name: "GetSamplePercent",
        method: Method::GetSamplePercent,
        min_args: 1,
        max_args: 2,
        returns: Type::Double,
        signature: "double GetSamplePercent((timestamp|timeinterval) start [, (timestamp|timeinterval) end])",
        doc: "Percentage (0-100) of the window's samples that are available; never fails.",
    },
    MethodInfo {
        name: "GetSamplePeriod",
        method: Method::GetSamplePeriod,
        min_args: 0,
        max_args: 0,
        returns: Type::TimeInterval,
        signature: "timeinterval GetSamplePeriod()",
        doc: "The sampling period of the history (30 seconds on the service).",
    },
    MethodInfo {
        name: "Count",
        method: Method::Count,
        min_args: 0,
        max_args: 0,
        returns: Type::Double,
        signature: "double Count()",
        doc: "Total number of samples in the history.",
    },
    MethodInfo {
        name: "HistoryBeginTime",
        method: Method::HistoryBeginTime,
        min_args: 0,
        max_args: 0,
        returns: Type::Timestamp,
        signature: "timestamp HistoryBeginTime()",
        doc: "Time stamp of the oldest available sample.",
    },
];

/// The method with this exact name.
pub fn method(name: &str) -> Option<&'static MethodInfo> {
    METHODS.iter().find(|m| m.name == name)
}

/// Methods users reach for that do not exist, with the real alternative.
pub const MISTAKEN_METHODS: &[(&str, &str)] = &[
    ("GetAverage", "avg($X.GetSample(window))"),
    ("Average", "avg($X.GetSample(window))"),
    ("Avg", "avg($X.GetSample(window))"),
    ("Sum", "sum($X.GetSample(window))"),
    ("Max", "max($X.GetSample(window))"),
    ("Min", "min($X.GetSample(window))"),
    ("GetLastSample", "val($X.GetSample(1), 0)"),
    ("GetValue", "val($X.GetSample(1), 0)"),
    ("Last", "val($X.GetSample(1), 0)"),
];

/// The timestamp member with this exact name.
pub fn member(name: &str) -> Option<Member> {
    Member::from_name(name)
}

/// Every name a formula can use, for suggestions and completion.
pub fn all_names() -> impl Iterator<Item = &'static str> {
    SERVICE_VARIABLES
        .iter()
        .map(|v| v.name)
        .chain(CONSTANTS.iter().map(|(n, _)| *n))
        .chain(NodeDeallocationOption::ALL.iter().map(|o| o.keyword()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_indexes_follow_the_table() {
        for (i, m) in Metric::ALL.iter().enumerate() {
            assert_eq!(m.index(), i);
            assert_eq!(Metric::from_name(m.name()), Some(*m));
        }
    }

    #[test]
    fn constants_have_their_natural_values() {
        let secs = |n: &str| constant(n).map(|t| t.as_seconds_f64());
        assert_eq!(secs("TimeInterval_Second"), Some(1.0));
        assert_eq!(secs("TimeInterval_Minute"), Some(60.0));
        assert_eq!(secs("TimeInterval_Hour"), Some(3600.0));
        assert_eq!(secs("TimeInterval_Day"), Some(86_400.0));
        assert_eq!(secs("TimeInterval_Week"), Some(604_800.0));
        assert_eq!(secs("TimeInterval_Year"), Some(31_536_000.0));
        assert_eq!(constant("TimeInterval_100ns").map(|t| t.ticks()), Some(1));
        assert_eq!(
            constant("TimeInterval_Millisecond").map(|t| t.ticks()),
            Some(10_000)
        );
    }
}
