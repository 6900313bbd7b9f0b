//! Values of the formula language, the operations table (spec §2.3) and the
//! service's formatting of values and results.

mod format;
mod ops;
mod time;

pub use format::{format_double, format_value};
pub use ops::{binary, unary, OpError};
pub(crate) use time::{duration_error, time_error};
// The REPL's `:advance` and `:now` tell their own errors apart.
pub use time::{
    parse_time_string, Member, TimeInterval, Timestamp, TimestampError, TICKS_PER_SECOND,
};
#[cfg(feature = "cli")]
pub(crate) use time::{ParseError, DURATION_RANGE, TIME_RANGE};

use std::borrow::Cow;
use std::fmt;

/// The types of the language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Type {
    /// A number; also truth values (1/0).
    Double,
    /// A vector of numbers.
    DoubleVec,
    /// A string.
    String,
    /// A point in time (UTC).
    Timestamp,
    /// A duration.
    TimeInterval,
    /// `requeue`, `terminate`, `taskcompletion` or `retaineddata`.
    NodeDeallocationOption,
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Type::Double => "double",
            Type::DoubleVec => "doubleVec",
            Type::String => "string",
            Type::Timestamp => "timestamp",
            Type::TimeInterval => "timeinterval",
            Type::NodeDeallocationOption => "nodeDeallocationOption",
        })
    }
}

/// What happens to running tasks when nodes are removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum NodeDeallocationOption {
    /// Stop tasks at once and requeue them (the service's default).
    #[default]
    Requeue,
    /// Stop tasks at once and remove them from the queue.
    Terminate,
    /// Let running tasks finish, then remove the node.
    TaskCompletion,
    /// Let running tasks finish and their retained data expire, then remove the node.
    RetainedData,
}

impl NodeDeallocationOption {
    /// All options with their keywords.
    pub const ALL: [NodeDeallocationOption; 4] = [
        NodeDeallocationOption::Requeue,
        NodeDeallocationOption::Terminate,
        NodeDeallocationOption::TaskCompletion,
        NodeDeallocationOption::RetainedData,
    ];

    /// The lowercase keyword (`taskcompletion`).
    pub fn keyword(self) -> &'static str {
        match self {
            NodeDeallocationOption::Requeue => "requeue",
            NodeDeallocationOption::Terminate => "terminate",
            NodeDeallocationOption::TaskCompletion => "taskcompletion",
            NodeDeallocationOption::RetainedData => "retaineddata",
        }
    }

    /// The option for a keyword, exactly as written in formulas.
    pub fn from_keyword(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.keyword() == word)
    }
}

/// An owned value, as stored in variables and reported in results.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A number.
    Double(f64),
    /// A vector of numbers.
    DoubleVec(Vec<f64>),
    /// A string.
    String(String),
    /// A point in time.
    Timestamp(Timestamp),
    /// A duration.
    TimeInterval(TimeInterval),
    /// A node deallocation option.
    NodeDeallocationOption(NodeDeallocationOption),
}

impl Value {
    /// The value's type.
    pub fn type_of(&self) -> Type {
        self.as_val().type_of()
    }

    /// A borrowed view used by the operations.
    pub fn as_val(&self) -> Val<'_> {
        match self {
            Value::Double(x) => Val::Num(*x),
            Value::DoubleVec(v) => Val::Vec(Cow::Borrowed(v)),
            Value::String(s) => Val::Str(s),
            Value::Timestamp(t) => Val::Time(*t),
            Value::TimeInterval(t) => Val::Interval(*t),
            Value::NodeDeallocationOption(d) => Val::Dealloc(*d),
        }
    }
}

impl fmt::Display for Value {
    /// The value as the service prints it in `results`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        format_value(self, &mut s);
        f.write_str(&s)
    }
}

/// A value during evaluation: vectors and strings may be borrowed from the
/// metric history, the program or a variable, so that reading them copies nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Val<'a> {
    /// A number.
    Num(f64),
    /// A vector, borrowed or computed.
    Vec(Cow<'a, [f64]>),
    /// A string.
    Str(&'a str),
    /// A point in time.
    Time(Timestamp),
    /// A duration.
    Interval(TimeInterval),
    /// A node deallocation option.
    Dealloc(NodeDeallocationOption),
}

impl Val<'_> {
    /// The value's type.
    pub fn type_of(&self) -> Type {
        match self {
            Val::Num(_) => Type::Double,
            Val::Vec(_) => Type::DoubleVec,
            Val::Str(_) => Type::String,
            Val::Time(_) => Type::Timestamp,
            Val::Interval(_) => Type::TimeInterval,
            Val::Dealloc(_) => Type::NodeDeallocationOption,
        }
    }

    /// An owned copy.
    pub fn to_value(&self) -> Value {
        match self {
            Val::Num(x) => Value::Double(*x),
            Val::Vec(v) => Value::DoubleVec(v.to_vec()),
            Val::Str(s) => Value::String((*s).to_string()),
            Val::Time(t) => Value::Timestamp(*t),
            Val::Interval(t) => Value::TimeInterval(*t),
            Val::Dealloc(d) => Value::NodeDeallocationOption(*d),
        }
    }
}

#[cfg(test)]
mod totality_tests;
