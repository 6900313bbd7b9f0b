//! Metric series from CSV: a `time` column and one column per metric
//! (`$PendingTasks` or `PendingTasks`); a blank cell is a slot without a sample.

use super::{EvalContext, Series, DEFAULT_PERIOD};
use crate::builtins::Metric;
use crate::input::{decode_text, InputError};
use crate::value::{TimeInterval, Timestamp};

/// Largest CSV file read.
pub const MAX_CSV_BYTES: usize = 256 << 20;

/// Reads metric series from CSV bytes into `context` (replacing the series of
/// the metrics it names). Rows must be in strictly increasing time order; the
/// sampling period is the smallest step between rows (30 s with a single row).
pub fn load_metrics_csv(
    file: &str,
    bytes: &[u8],
    context: &mut EvalContext,
) -> Result<(), InputError> {
    let text = decode_text(file, bytes, MAX_CSV_BYTES)?;
    if text.trim().is_empty() {
        return Err(InputError::new(
            file,
            "the file is empty; expected a header such as `time,$PendingTasks`",
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_error(file, &e))?.clone();
    let mut time_column = None;
    let mut columns: Vec<(usize, Metric)> = Vec::new();
    for (i, name) in headers.iter().enumerate() {
        if name.eq_ignore_ascii_case("time") || name.eq_ignore_ascii_case("timestamp") {
            if time_column.replace(i).is_some() {
                return Err(InputError::new(file, "duplicate `time` column")
                    .at(1, None)
                    .field(name));
            }
            continue;
        }
        let metric = match Metric::lookup(name) {
            Ok(metric) => metric,
            Err(suggestion) => {
                return Err(InputError::new(
                    file,
                    format!(
                        "unknown metric column `{name}`{}",
                        crate::builtins::hint(suggestion)
                    ),
                )
                .at(1, None)
                .field(name))
            }
        };
        if columns.iter().any(|&(_, m)| m == metric) {
            return Err(
                InputError::new(file, format!("duplicate column for {}", metric.name()))
                    .at(1, None)
                    .field(name),
            );
        }
        columns.push((i, metric));
    }
    let Some(time_column) = time_column else {
        return Err(InputError::new(file, "no `time` column in the header").at(1, None));
    };
    let mut rows: Vec<(Timestamp, Vec<Option<f64>>)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(file, &e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cell = |i: usize| record.get(i).unwrap_or("");
        let time_text = cell(time_column);
        let time = Timestamp::parse_rfc3339(time_text).ok_or_else(|| {
            InputError::new(
                file,
                crate::value::time_error(time_text, || {
                    format!("`{time_text}` is not an RFC 3339 time with an offset (e.g. 2025-04-24T11:34:37Z)")
                }),
            )
            .at(line, None)
            .field("time")
        })?;
        if let Some((previous, _)) = rows.last() {
            if time <= *previous {
                return Err(InputError::new(
                    file,
                    format!("`{time_text}` is not after the previous row's time (rows must be in increasing time order, without duplicates)"),
                )
                .at(line, None)
                .field("time"));
            }
        }
        let mut values = Vec::with_capacity(columns.len());
        for &(i, metric) in &columns {
            let text = cell(i);
            if text.is_empty() {
                values.push(None);
                continue;
            }
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() => values.push(Some(v)),
                _ => {
                    return Err(InputError::new(file, format!("`{text}` is not a number"))
                        .at(line, None)
                        .field(metric.name()))
                }
            }
        }
        rows.push((time, values));
    }
    let period = rows
        .windows(2)
        .filter_map(|w| match w {
            [a, b] => Some(b.0.since(a.0)),
            _ => None,
        })
        .min()
        .unwrap_or(DEFAULT_PERIOD);
    for (k, &(_, metric)) in columns.iter().enumerate() {
        let mut series = Series::new(if period.ticks() > 0 {
            period
        } else {
            TimeInterval::from_seconds(30)
        });
        for (time, values) in &rows {
            if let Some(Some(v)) = values.get(k) {
                series.push(*time, *v);
            }
        }
        context.set_series(metric, series);
    }
    Ok(())
}

fn csv_error(file: &str, e: &csv::Error) -> InputError {
    let line = e.position().map(|p| p.line() as usize);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("row has {len} fields, but the header has {expected_len}")
        }
        _ => e.to_string(),
    };
    let err = InputError::new(file, message);
    match line {
        Some(l) => err.at(l, None),
        None => err,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<EvalContext, String> {
        let mut ctx = EvalContext::new(Timestamp::UNIX_EPOCH);
        load_metrics_csv("m.csv", text.as_bytes(), &mut ctx).map_err(|e| e.to_string())?;
        Ok(ctx)
    }

    #[test]
    fn blank_cells_are_missing_samples() {
        let ctx = load("time,$PendingTasks,ActiveTasks\r\n2025-01-01T00:00:00Z,1,\r\n2025-01-01T00:00:30Z,,2\r\n");
        let ctx = ctx.ok();
        let values = |m| {
            ctx.as_ref()
                .and_then(|c| c.series(m))
                .map(|s| s.values().to_vec())
        };
        assert_eq!(values(Metric::PendingTasks), Some(vec![1.0]));
        assert_eq!(values(Metric::ActiveTasks), Some(vec![2.0]));
        let period = ctx
            .as_ref()
            .and_then(|c| c.series(Metric::ActiveTasks))
            .map(|s| s.period());
        assert_eq!(period, Some(TimeInterval::from_seconds(30)));
    }

    #[test]
    fn bad_files_name_line_and_field() {
        assert_eq!(
            load("time,$PendingTasks\n2025-01-01T00:00:00Z,abc\n").err(),
            Some("m.csv:2: $PendingTasks: `abc` is not a number".into())
        );
        assert_eq!(
            load("time,$PendingTask\n").err(),
            Some("m.csv:1: $PendingTask: unknown metric column `$PendingTask`; did you mean `$PendingTasks`?".into())
        );
        assert_eq!(
            load("time,$PendingTasks\n2025-01-01T00:00:00Z,1,2\n").err(),
            Some("m.csv:2: row has 3 fields, but the header has 2".into())
        );
        assert_eq!(
            load("time,$PendingTasks\n2025-01-01T00:01:00Z,1\n2025-01-01T00:00:00Z,1\n").err(),
            Some("m.csv:3: time: `2025-01-01T00:00:00Z` is not after the previous row's time (rows must be in increasing time order, without duplicates)".into())
        );
        assert_eq!(
            load("time,$PendingTasks\n2025-01-01 00:00:00,1\n").err(),
            Some("m.csv:2: time: `2025-01-01 00:00:00` is not an RFC 3339 time with an offset (e.g. 2025-04-24T11:34:37Z)".into())
        );
    }
}
