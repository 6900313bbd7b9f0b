//! A task trace from Azure Batch service logs: the `TaskStartEvent`,
//! `TaskCompleteEvent` and `TaskFailEvent` records that an Azure Monitor
//! diagnostic setting writes, one JSON object a line:
//!
//! ```text
//! {"time": "2025-01-06T08:00:05.000Z", "category": "ServiceLog",
//!  "operationName": "TaskCompleteEvent", "properties": {"jobId": "render",
//!  "id": "frame-1", "requiredSlots": 1, "executionInfo": {"startTime": "…",
//!  "endTime": "…", "exitCode": 0, "retryCount": 0, "requeueCount": 0}}}
//! ```
//!
//! Each task becomes one row of `submit,duration,slots,job,exit_code`:
//!
//! - `submit`: when the task first started — the earliest of its
//!   `TaskStartEvent` record times and its attempts' `executionInfo.startTime`.
//!   The service logs carry no task creation time, so the wait the tasks had
//!   before their first start is not in the trace: a simulation of it sees the
//!   work arrive as fast as the recorded pool could start it.
//! - `duration`: the last attempt's `endTime − startTime`, in seconds.
//! - `slots`: `requiredSlots` (1 when absent); `job`: `jobId`;
//!   `exit_code`: the last attempt's `exitCode`.
//!
//! A task with a start and no end (still running when the log ends) has no
//! duration and is left out; [`Import::unfinished`] counts them. Other events
//! (pool events, `TaskScheduleFailEvent`) are skipped.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::input::InputError;
use crate::value::Timestamp;

/// One task of the trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceTask {
    /// The job's ID.
    pub job: String,
    /// The task's ID.
    pub id: String,
    /// When it first started.
    pub submit: Timestamp,
    /// The last attempt's run time, in ms.
    pub duration_ms: i64,
    /// Slots it needs.
    pub slots: u32,
    /// The last attempt's exit code.
    pub exit_code: i64,
}

/// What the logs gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Import {
    /// Finished tasks, by first start, then job and ID.
    pub tasks: Vec<TraceTask>,
    /// Tasks started and never finished in the logs (left out).
    pub unfinished: usize,
    /// Records read that were not task events (skipped).
    pub skipped: usize,
}

/// What is known of one task so far.
#[derive(Debug, Default)]
struct Seen {
    first_start: Option<Timestamp>,
    slots: Option<u32>,
    /// The last attempt: `(end, start, exit code)`.
    last: Option<(Timestamp, Timestamp, i64)>,
}

/// Reads log files in order; `files` are `(name, text)` pairs.
pub fn import<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Import, InputError> {
    let mut tasks: BTreeMap<(String, String), Seen> = BTreeMap::new();
    let mut skipped = 0;
    for (file, text) in files {
        for (i, line) in text.lines().enumerate() {
            let number = i + 1;
            if line.trim().is_empty() {
                continue;
            }
            let record: Value = serde_json::from_str(line).map_err(|e| {
                InputError::new(file, format!("not a JSON record: {e}")).at(number, None)
            })?;
            let name = record.get("operationName").and_then(Value::as_str);
            let kind = match name {
                Some("TaskStartEvent") => Kind::Start,
                Some("TaskCompleteEvent" | "TaskFailEvent") => Kind::End,
                _ => {
                    skipped += 1;
                    continue;
                }
            };
            let at = |field: &str| {
                InputError::new(file, String::new())
                    .at(number, None)
                    .field(field)
            };
            let props = record
                .get("properties")
                .ok_or_else(|| with(at("properties"), "a task event needs its `properties`"))?;
            let text_of = |v: &Value, field: &str| -> Result<String, InputError> {
                v.get(field)
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| with(at(field), "expected a string"))
            };
            let time_of = |v: &Value, field: &str| -> Result<Timestamp, InputError> {
                let text = text_of(v, field)?;
                Timestamp::parse_rfc3339(&text)
                    .ok_or_else(|| with(at(field), &format!("`{text}` is not an RFC 3339 time")))
            };
            let job = text_of(props, "jobId")?;
            let id = text_of(props, "id")?;
            let slots = match props.get("requiredSlots") {
                None | Some(Value::Null) => None,
                Some(v) => Some(
                    v.as_u64()
                        .and_then(|n| u32::try_from(n).ok())
                        .filter(|&n| n >= 1)
                        .ok_or_else(|| {
                            with(at("requiredSlots"), "expected a whole number of 1 or more")
                        })?,
                ),
            };
            let seen = tasks.entry((job, id)).or_default();
            if slots.is_some() {
                seen.slots = slots;
            }
            match kind {
                Kind::Start => {
                    let time = time_of(&record, "time")?;
                    seen.first_start = Some(seen.first_start.map_or(time, |t| t.min(time)));
                }
                Kind::End => {
                    let info = props.get("executionInfo").ok_or_else(|| {
                        with(at("executionInfo"), "a task end needs its `executionInfo`")
                    })?;
                    let start = time_of(info, "startTime")?;
                    let end = time_of(info, "endTime")?;
                    if end < start {
                        return Err(with(at("endTime"), "is before `startTime`"));
                    }
                    let exit = info
                        .get("exitCode")
                        .and_then(Value::as_i64)
                        .ok_or_else(|| with(at("exitCode"), "expected a whole number"))?;
                    seen.first_start = Some(seen.first_start.map_or(start, |t| t.min(start)));
                    if seen.last.is_none_or(|(last_end, _, _)| end >= last_end) {
                        seen.last = Some((end, start, exit));
                    }
                }
            }
        }
    }
    let mut out = Import {
        skipped,
        ..Import::default()
    };
    for ((job, id), seen) in tasks {
        match (seen.first_start, seen.last) {
            (Some(submit), Some((end, start, exit_code))) => out.tasks.push(TraceTask {
                job,
                id,
                submit,
                duration_ms: end.since(start).ticks() / 10_000,
                slots: seen.slots.unwrap_or(1),
                exit_code,
            }),
            _ => out.unfinished += 1,
        }
    }
    out.tasks
        .sort_by(|a, b| (a.submit, &a.job, &a.id).cmp(&(b.submit, &b.job, &b.id)));
    Ok(out)
}

enum Kind {
    Start,
    End,
}

fn with(error: InputError, message: &str) -> InputError {
    InputError {
        message: message.to_string(),
        ..error
    }
}

impl Import {
    /// The trace CSV: `submit,duration,slots,job,exit_code`, submit as an
    /// RFC 3339 instant, duration in seconds.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(["submit", "duration", "slots", "job", "exit_code"]);
        for t in &self.tasks {
            let seconds = format!("{}.{:03}", t.duration_ms / 1000, t.duration_ms % 1000);
            let _ = w.write_record([
                t.submit.to_string(),
                seconds
                    .trim_end_matches('0')
                    .trim_end_matches('.')
                    .to_string(),
                t.slots.to_string(),
                t.job.clone(),
                t.exit_code.to_string(),
            ]);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}
