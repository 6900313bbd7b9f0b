//! The context commands' arguments: durations, pool fields and samples.

use std::fmt::Write;

use super::commands::metrics_from_csv;
use crate::builtins::Metric;
use crate::context::{EvalContext, PoolState, Series, DEFAULT_PERIOD};
use crate::input::did_you_mean;
use crate::value::{
    format_double, NodeDeallocationOption, ParseError, TimeInterval, DURATION_RANGE,
    TICKS_PER_SECOND,
};

/// Parses `5m`, `90s`, `1h30m`, `2d`, `500ms`, an ISO 8601 duration (`PT5M`),
/// each optionally preceded by `-`.
pub fn parse_duration(text: &str) -> Result<TimeInterval, String> {
    let text = text.trim();
    let bad = || format!("`{text}` is not a duration (use e.g. 5m, 90s, 1h30m, 2d or PT5M)");
    let out_of_range = || format!("`{text}` is out of range: {DURATION_RANGE}");
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let ticks = if body.starts_with('P') {
        match TimeInterval::parse_iso8601_checked(body) {
            Ok(interval) => interval.ticks(),
            Err(ParseError::Malformed) => return Err(bad()),
            Err(ParseError::OutOfRange) => return Err(out_of_range()),
        }
    } else {
        let mut total: i64 = 0;
        let mut rest = body;
        if rest.is_empty() {
            return Err(bad());
        }
        while !rest.is_empty() {
            let digits = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            let (number, after) = rest.split_at(digits);
            if number.is_empty() {
                return Err(bad());
            }
            // Only digits remain, so a failed parse is a number too large.
            let n: i64 = number.parse().map_err(|_| out_of_range())?;
            let unit_len = after
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or(after.len());
            let (unit, after) = after.split_at(unit_len);
            let scale = match unit {
                "ms" => TICKS_PER_SECOND / 1000,
                "s" => TICKS_PER_SECOND,
                "m" => 60 * TICKS_PER_SECOND,
                "h" => 3600 * TICKS_PER_SECOND,
                "d" => 86_400 * TICKS_PER_SECOND,
                _ => return Err(bad()),
            };
            total = n
                .checked_mul(scale)
                .and_then(|t| total.checked_add(t))
                .ok_or_else(out_of_range)?;
            rest = after;
        }
        total
    };
    Ok(TimeInterval::from_ticks(if negative {
        -ticks
    } else {
        ticks
    }))
}

/// The pool fields `:pool` sets, named as in the context JSON.
pub const POOL_FIELDS: [&str; 7] = [
    "targetDedicatedNodes",
    "targetLowPriorityNodes",
    "nodeDeallocationOption",
    "currentDedicatedNodes",
    "currentLowPriorityNodes",
    "taskSlotsPerNode",
    "usableNodeCount",
];

/// Applies `FIELD=VALUE` words to `pool`; all or none are applied.
pub fn set_fields(pool: &mut PoolState, words: &[String]) -> Result<(), String> {
    let mut next = pool.clone();
    for word in words {
        let Some((field, value)) = word.split_once('=') else {
            return Err(format!(
                "`{word}` is not FIELD=VALUE (e.g. currentDedicatedNodes=3)"
            ));
        };
        let field = field.trim().trim_start_matches('$');
        let Some(&name) = POOL_FIELDS.iter().find(|f| f.eq_ignore_ascii_case(field)) else {
            let hint = did_you_mean(field, POOL_FIELDS)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            return Err(format!("unknown pool field `{field}`{hint}"));
        };
        let value = value.trim();
        if name == "nodeDeallocationOption" {
            next.node_deallocation_option = NodeDeallocationOption::from_keyword(value)
                .ok_or_else(|| {
                    format!("nodeDeallocationOption: `{value}` is not requeue, terminate, taskcompletion or retaineddata")
                })?;
            continue;
        }
        let n: f64 = value
            .parse()
            .ok()
            .filter(|n: &f64| n.is_finite() && *n >= 0.0)
            .ok_or_else(|| {
                format!("{name}: `{value}` is not a number of nodes (a finite number, 0 or more)")
            })?;
        match name {
            "targetDedicatedNodes" => next.target_dedicated_nodes = n,
            "targetLowPriorityNodes" => next.target_low_priority_nodes = n,
            "currentDedicatedNodes" => next.current_dedicated_nodes = n,
            "currentLowPriorityNodes" => next.current_low_priority_nodes = n,
            "taskSlotsPerNode" => next.task_slots_per_node = n,
            _ => next.usable_node_count = Some(n),
        }
    }
    *pool = next;
    Ok(())
}

/// The pool as `field = value` pairs.
pub fn describe(pool: &PoolState) -> String {
    let number = |x: f64| {
        let mut s = String::new();
        format_double(x, &mut s);
        s
    };
    let usable = pool
        .usable_node_count
        .unwrap_or(pool.current_dedicated_nodes + pool.current_low_priority_nodes);
    let mut out = String::new();
    let _ = write!(
        out,
        "targetDedicatedNodes={} targetLowPriorityNodes={} nodeDeallocationOption={} currentDedicatedNodes={} currentLowPriorityNodes={} taskSlotsPerNode={} usableNodeCount={}",
        number(pool.target_dedicated_nodes),
        number(pool.target_low_priority_nodes),
        pool.node_deallocation_option.keyword(),
        number(pool.current_dedicated_nodes),
        number(pool.current_low_priority_nodes),
        number(pool.task_slots_per_node),
        number(usable),
    );
    out
}

/// `:samples $METRIC V ...` or `:samples $METRIC FILE.csv`: replaces the history.
pub fn set_samples(
    context: &mut EvalContext,
    name: &str,
    args: &[String],
) -> Result<String, String> {
    let metric = Metric::lookup(name).map_err(|suggestion| {
        format!(
            "`{name}` is not a sampled metric{}",
            crate::builtins::hint(suggestion)
        )
    })?;
    let period = context
        .series(metric)
        .map_or(DEFAULT_PERIOD, Series::period);
    if let [file] = args {
        if file.parse::<f64>().is_err() && file != "_" {
            let scratch = metrics_from_csv(file, context.now)?;
            let Some(series) = scratch.series(metric).cloned() else {
                return Err(format!("{file}: no column for {}", metric.name()));
            };
            let text = summary(metric, &series);
            context.set_series(metric, series);
            return Ok(text);
        }
    }
    let mut values = Vec::with_capacity(args.len());
    for (i, word) in args.iter().enumerate() {
        if word == "_" {
            values.push(None);
            continue;
        }
        match word.parse::<f64>() {
            Ok(v) if v.is_finite() => values.push(Some(v)),
            _ => {
                return Err(format!(
                    "sample {} `{word}` is not a number or `_` (a missing sample)",
                    i + 1
                ))
            }
        }
    }
    let series = Series::regular(period, context.now, &values);
    let text = summary(metric, &series);
    context.set_series(metric, series);
    Ok(text)
}

fn summary(metric: Metric, series: &Series) -> String {
    let mut seconds = String::new();
    format_double(series.period().as_seconds_f64(), &mut seconds);
    format!(
        "{}: {} samples, one every {seconds} s",
        metric.name(),
        series.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_units_and_iso() {
        let secs = |t: &str| parse_duration(t).map(|d| d.as_seconds_f64());
        assert_eq!(secs("5m"), Ok(300.0));
        assert_eq!(secs("1h30m"), Ok(5400.0));
        assert_eq!(secs("2d"), Ok(172_800.0));
        assert_eq!(secs("90s"), Ok(90.0));
        assert_eq!(secs("500ms"), Ok(0.5));
        assert_eq!(secs("PT5M"), Ok(300.0));
        assert_eq!(secs("-30s"), Ok(-30.0));
        assert!(parse_duration("5 minutes").is_err());
        // i64::MAX ticks of 100 ns is about 29,227 years: 11,000,000 days
        // (30,117 years) and a 20-digit count are past it, and say so.
        let range = |t: &str| {
            parse_duration(t)
                .err()
                .is_some_and(|e| e.contains("out of range"))
        };
        assert!(range("11000000d"));
        assert!(range("99999999999999999999s"));
        assert!(!range("5x"));
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn pool_fields_all_or_nothing() {
        let mut pool = PoolState::default();
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            set_fields(
                &mut pool,
                &words(&[
                    "currentDedicatedNodes=3",
                    "nodeDeallocationOption=terminate"
                ])
            ),
            Ok(())
        );
        assert_eq!(pool.current_dedicated_nodes, 3.0);
        assert_eq!(
            pool.node_deallocation_option,
            NodeDeallocationOption::Terminate
        );
        let err = set_fields(
            &mut pool,
            &words(&["targetDedicatedNodes=5", "currentDedicatedNode=4"]),
        );
        assert_eq!(
            err,
            Err(
                "unknown pool field `currentDedicatedNode`; did you mean `currentDedicatedNodes`?"
                    .into()
            )
        );
        assert_eq!(pool.target_dedicated_nodes, 0.0);
        assert!(set_fields(&mut pool, &words(&["taskSlotsPerNode=-1"])).is_err());
    }
}
