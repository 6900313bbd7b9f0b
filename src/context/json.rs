//! The evaluation-context JSON of `../shared/conformance/README.md`.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use super::{EvalContext, PoolState, Series, DEFAULT_PERIOD};
use crate::builtins::Metric;
use crate::input::{decode_text, did_you_mean, InputError};
use crate::value::{NodeDeallocationOption, TimeInterval, Timestamp};

/// Largest context file read.
pub const MAX_CONTEXT_BYTES: usize = 64 << 20;

/// A context file as read: `now` may be absent (the caller supplies it).
#[derive(Debug, Clone)]
pub struct ContextFile {
    /// The `now` field, when present.
    pub now: Option<Timestamp>,
    /// The context, with `now` set to the field or to the Unix epoch.
    pub context: EvalContext,
}

/// An evaluation context: the time, the pool's state and the metrics'
/// sample histories (docs/eval.md).
#[derive(Default)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(deny_unknown_fields, transform = crate::schema::allow_schema_key)
)]
struct RawContext {
    /// The time of the evaluation; `--now` gives it when absent.
    now: Option<Instant>,
    /// The pool's state, each field defaulting to 0 (`taskSlotsPerNode` to 1).
    #[cfg_attr(feature = "schema", schemars(default))]
    pool: RawPool,
    /// The sample history of each metric, keyed by its name (`$PendingTasks`).
    #[cfg_attr(feature = "schema", schemars(default))]
    metrics: RawMetrics,
    /// The seed of the formula's random numbers. Default 0.
    seed: Option<u64>,
}

/// The pool's state as the formula reads it.
#[derive(Default)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(rename_all = "camelCase", deny_unknown_fields)
)]
struct RawPool {
    target_dedicated_nodes: Option<Count>,
    target_low_priority_nodes: Option<Count>,
    node_deallocation_option: Option<Keyword>,
    current_dedicated_nodes: Option<Count>,
    current_low_priority_nodes: Option<Count>,
    task_slots_per_node: Option<Count>,
    usable_node_count: Option<Count>,
}

const CONTEXT_FIELDS: &[&str] = &["$schema", "now", "pool", "metrics", "seed"];

const POOL_FIELDS: &[&str] = &[
    "targetDedicatedNodes",
    "targetLowPriorityNodes",
    "nodeDeallocationOption",
    "currentDedicatedNodes",
    "currentLowPriorityNodes",
    "taskSlotsPerNode",
    "usableNodeCount",
];

/// An unknown key, refused with the closest known one named (as unknown
/// metrics are), or the list of known keys when none is close.
fn unknown_field<E: de::Error>(name: &str, known: &[&str]) -> E {
    let hint = match did_you_mean(name, known.iter().copied()) {
        Some(s) => format!("; did you mean `{s}`?"),
        None => format!(", expected one of `{}`", known.join("`, `")),
    };
    E::custom(format!("unknown field `{name}`{hint}"))
}

/// Reads the value of `key` into `slot`, refusing a key given twice.
fn set<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    key: &str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::custom(format!("duplicate field `{key}`")));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

impl<'de> Deserialize<'de> for RawContext {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ContextVisitor;
        impl<'de> Visitor<'de> for ContextVisitor {
            type Value = RawContext;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a context object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawContext, A::Error> {
                let mut raw = RawContext::default();
                let (mut pool, mut metrics) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        // Editors bind a JSON Schema with `$schema`; its value is not read.
                        "$schema" => {
                            map.next_value::<de::IgnoredAny>()?;
                        }
                        "now" => set(&mut map, &mut raw.now, &key)?,
                        "pool" => set(&mut map, &mut pool, &key)?,
                        "metrics" => set(&mut map, &mut metrics, &key)?,
                        "seed" => set(&mut map, &mut raw.seed, &key)?,
                        other => return Err(unknown_field(other, CONTEXT_FIELDS)),
                    }
                }
                raw.pool = pool.unwrap_or_default();
                raw.metrics = metrics.unwrap_or_default();
                Ok(raw)
            }
        }
        d.deserialize_map(ContextVisitor)
    }
}

impl<'de> Deserialize<'de> for RawPool {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct PoolVisitor;
        impl<'de> Visitor<'de> for PoolVisitor {
            type Value = RawPool;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a pool object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawPool, A::Error> {
                let mut p = RawPool::default();
                while let Some(key) = map.next_key::<String>()? {
                    let k = key.as_str();
                    match k {
                        "targetDedicatedNodes" => set(&mut map, &mut p.target_dedicated_nodes, k)?,
                        "targetLowPriorityNodes" => {
                            set(&mut map, &mut p.target_low_priority_nodes, k)?
                        }
                        "nodeDeallocationOption" => {
                            set(&mut map, &mut p.node_deallocation_option, k)?
                        }
                        "currentDedicatedNodes" => {
                            set(&mut map, &mut p.current_dedicated_nodes, k)?
                        }
                        "currentLowPriorityNodes" => {
                            set(&mut map, &mut p.current_low_priority_nodes, k)?
                        }
                        "taskSlotsPerNode" => set(&mut map, &mut p.task_slots_per_node, k)?,
                        "usableNodeCount" => set(&mut map, &mut p.usable_node_count, k)?,
                        other => return Err(unknown_field(other, POOL_FIELDS)),
                    }
                }
                Ok(p)
            }
        }
        d.deserialize_map(PoolVisitor)
    }
}

/// A metric's samples, newest last: `values[i]` was taken
/// `(len - 1 - i) * interval` before `last`; `null` is a missing sample.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(extend(
        "if" = { "required": ["values"], "properties": { "values": { "minItems": 1 } } },
        "then" = { "required": ["last"] }
    ))
)]
struct UncheckedSeries {
    interval: Option<Duration>,
    last: Option<Instant>,
    // A missing sample is `null`.
    #[cfg_attr(
        feature = "schema",
        schemars(extend("items" = { "type": ["number", "null"] }))
    )]
    values: Vec<Option<f64>>,
}

/// A series whose `last` is present whenever it has values (checked while
/// reading, so that the error carries a line and column).
#[derive(Deserialize)]
#[serde(try_from = "UncheckedSeries")]
struct RawSeries {
    interval: Option<Duration>,
    last: Option<Instant>,
    values: Vec<Option<f64>>,
}

impl TryFrom<UncheckedSeries> for RawSeries {
    type Error = String;
    fn try_from(s: UncheckedSeries) -> Result<Self, String> {
        if s.last.is_none() && !s.values.is_empty() {
            return Err("a series with values needs `last`, the time of its newest value".into());
        }
        Ok(RawSeries {
            interval: s.interval,
            last: s.last,
            values: s.values,
        })
    }
}

#[derive(Default)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(
        with = "BTreeMap<String, UncheckedSeries>",
        transform = crate::schema::metric_names
    )
)]
struct RawMetrics(BTreeMap<Metric, RawSeries>);

/// An RFC 3339 time with an offset (`2025-04-24T11:34:37.971Z`).
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(with = "String", extend("format" = "date-time"))
)]
struct Instant(Timestamp);
/// A positive ISO 8601 duration (`PT30S`). Default `PT30S`.
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(with = "String", extend("examples" = ["PT30S", "PT1M"]))
)]
struct Duration(TimeInterval);
/// A count: a number of at least 0.
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(with = "f64", extend("minimum" = 0))
)]
struct Count(f64);
/// A `$NodeDeallocationOption` keyword. Default `requeue`.
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(with = "String", transform = crate::schema::deallocation_keywords)
)]
struct Keyword(NodeDeallocationOption);

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Timestamp::parse_rfc3339(&text).map(Instant).ok_or_else(|| {
            de::Error::custom(crate::value::time_error(&text, || {
                format!(
                    "`{text}` is not an RFC 3339 time with an offset (e.g. 2025-04-24T11:34:37.971Z)"
                )
            }))
        })
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        match TimeInterval::parse_iso8601(&text) {
            Some(t) if t.ticks() > 0 => Ok(Duration(t)),
            _ => Err(de::Error::custom(crate::value::duration_error(
                &text,
                || format!("`{text}` is not a positive ISO 8601 duration (e.g. PT30S)"),
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = f64::deserialize(d)?;
        if n.is_finite() && n >= 0.0 {
            Ok(Count(n))
        } else {
            Err(de::Error::custom(format!(
                "`{n}` is not a count (a number >= 0)"
            )))
        }
    }
}

impl<'de> Deserialize<'de> for Keyword {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        NodeDeallocationOption::from_keyword(&text)
            .map(Keyword)
            .ok_or_else(|| {
                de::Error::custom(format!(
                    "`{text}` is not a deallocation option (requeue, terminate, taskcompletion, retaineddata)"
                ))
            })
    }
}

impl<'de> Deserialize<'de> for RawMetrics {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MetricsVisitor;
        impl<'de> Visitor<'de> for MetricsVisitor {
            type Value = RawMetrics;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of metric series keyed by `$Name`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawMetrics, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(name) = map.next_key::<String>()? {
                    let Some(metric) = Metric::from_name(&name) else {
                        let hint = crate::builtins::hint(did_you_mean(
                            &name,
                            Metric::ALL.iter().map(|m| m.name()),
                        ));
                        return Err(de::Error::custom(format!("unknown metric `{name}`{hint}")));
                    };
                    let series: RawSeries = map.next_value()?;
                    if out.insert(metric, series).is_some() {
                        return Err(de::Error::custom(format!("duplicate metric `{name}`")));
                    }
                }
                Ok(RawMetrics(out))
            }
        }
        d.deserialize_map(MetricsVisitor)
    }
}

/// The JSON Schema of a context file (`batchscale schema context`).
#[cfg(all(feature = "schema", feature = "cli"))]
pub(crate) fn schema() -> schemars::Schema {
    crate::schema::root::<RawContext>("batchscale evaluation context")
}

/// Reads a context file's bytes; errors name `file`, the line and column.
pub fn load_context_json(file: &str, bytes: &[u8]) -> Result<ContextFile, InputError> {
    let text = decode_text(file, bytes, MAX_CONTEXT_BYTES)?;
    if text.trim().is_empty() {
        return Err(InputError::new(
            file,
            "the file is empty; expected a JSON object",
        ));
    }
    if !text.trim_start().starts_with('{') {
        let line = text.lines().take_while(|l| l.trim().is_empty()).count() + 1;
        return Err(InputError::new(
            file,
            "expected a JSON object: { \"now\": ..., \"pool\": {...}, \"metrics\": {...} }",
        )
        .at(line, None));
    }
    let raw: RawContext = serde_json::from_str(&text).map_err(|e| {
        let message = e.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m)
            .replace("expected f64", "expected a number")
            .replace("expected u64", "expected a whole number");
        InputError::new(file, message).at(e.line(), Some(e.column()))
    })?;
    let now = raw.now.map(|i| i.0);
    let count = |c: Option<Count>, default: f64| c.map_or(default, |c| c.0);
    let pool = PoolState {
        target_dedicated_nodes: count(raw.pool.target_dedicated_nodes, 0.0),
        target_low_priority_nodes: count(raw.pool.target_low_priority_nodes, 0.0),
        node_deallocation_option: raw
            .pool
            .node_deallocation_option
            .map_or(NodeDeallocationOption::Requeue, |k| k.0),
        current_dedicated_nodes: count(raw.pool.current_dedicated_nodes, 0.0),
        current_low_priority_nodes: count(raw.pool.current_low_priority_nodes, 0.0),
        task_slots_per_node: count(raw.pool.task_slots_per_node, 1.0),
        usable_node_count: raw.pool.usable_node_count.map(|c| c.0),
    };
    let mut context = EvalContext::new(now.unwrap_or(Timestamp::UNIX_EPOCH));
    context.pool = pool;
    context.seed = raw.seed.unwrap_or(0);
    for (metric, raw) in raw.metrics.0 {
        let period = raw.interval.map_or(DEFAULT_PERIOD, |d| d.0);
        let series = match raw.last {
            Some(last) => Series::regular(period, last.0, &raw.values),
            None => Series::new(period),
        };
        context.set_series(metric, series);
    }
    Ok(ContextFile { now, context })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        load_context_json("ctx.json", text.as_bytes())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn reads_the_conformance_format() {
        let text = r#"{"now": "2025-04-24T11:34:37.971Z",
          "pool": {"targetDedicatedNodes": 1, "taskSlotsPerNode": 4},
          "metrics": {"$ActiveTasks": {"interval": "PT30S", "last": "2025-04-24T11:33:52.971Z", "values": [0, 0, null, 3]}}}"#;
        let file = load_context_json("ctx.json", text.as_bytes());
        let ctx = file.map(|f| f.context);
        let ctx = ctx.as_ref().ok();
        assert_eq!(ctx.map(|c| c.pool.task_slots_per_node), Some(4.0));
        assert_eq!(
            ctx.and_then(|c| c.series(Metric::ActiveTasks))
                .map(|s| s.values().to_vec()),
            Some(vec![0.0, 0.0, 3.0])
        );
    }

    #[test]
    fn errors_name_file_line_and_value() {
        assert_eq!(
            err("{\n \"pool\": {\"targetDedicated\": 1}}"),
            "ctx.json:2:27: unknown field `targetDedicated`; did you mean `targetDedicatedNodes`?"
        );
        // At the key's closing quote, column 9, as for the pool's key above.
        assert_eq!(
            err("{\"metric\": {}}"),
            "ctx.json:1:9: unknown field `metric`; did you mean `metrics`?"
        );
        assert!(err("{\"zebra\": 1}").contains("expected one of `$schema`, `now`"));
        assert_eq!(
            err("{\"metrics\": {\"$PendingTask\": {\"values\": []}}}"),
            "ctx.json:1:27: unknown metric `$PendingTask`; did you mean `$PendingTasks`?"
        );
        assert_eq!(
            err("{\"now\": \"2025-04-24T11:34:37\"}"),
            "ctx.json:1:30: `2025-04-24T11:34:37` is not an RFC 3339 time with an offset (e.g. 2025-04-24T11:34:37.971Z)"
        );
        assert_eq!(
            err(""),
            "ctx.json: the file is empty; expected a JSON object"
        );
    }

    #[test]
    fn a_schema_key_is_accepted() {
        let text = r#"{"$schema": "./context.schema.json", "pool": {"targetDedicatedNodes": 2}}"#;
        let file = load_context_json("ctx.json", text.as_bytes());
        let nodes = file.map(|f| f.context.pool.target_dedicated_nodes);
        assert_eq!(nodes.ok(), Some(2.0));
    }

    #[test]
    fn duplicate_metrics_are_refused() {
        let e =
            err(r#"{"metrics": {"$CPUPercent": {"values": []}, "$CPUPercent": {"values": []}}}"#);
        assert!(e.contains("duplicate metric `$CPUPercent`"), "{e}");
    }
}
