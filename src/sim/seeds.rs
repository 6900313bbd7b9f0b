//! Many seeds: runs in parallel, each figure as a mean with a 95% interval,
//! and the difference of two formulas with its interval.
//!
//! The interval is Student's t interval for the mean, `mean ± t(0.975, n−1) ·
//! sd / √n`, with the sample standard deviation (divisor n − 1): with the 5 to
//! 30 seeds people run, the normal 1.96 would make intervals too narrow
//! (t(0.975, 4) = 2.776). Two formulas are compared on the same seeds, so
//! each seed's workload is the same for both; the difference is taken seed by
//! seed (a paired interval), which removes the workload's own noise.
//!
//! ```
//! use batchscale::sim::seeds::Stats;
//! // 1, 2, 3, 4, 5: mean 3, sd √2.5, half-width 2.776 · √2.5 / √5 = 1.963.
//! let s = Stats::of(&[1.0, 2.0, 3.0, 4.0, 5.0]).unwrap();
//! assert_eq!(s.mean, 3.0);
//! assert!((s.hi.unwrap() - 4.963).abs() < 1e-3);
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{simulate, LoadedScenario, Report, Summary};
use crate::input::InputError;
use crate::Formula;

/// Runs `formula` once per seed on up to `threads` threads (at least one).
/// The reports come back in the order of `seeds`, whatever order the runs
/// finish in, so the same seeds give the same bytes.
pub fn run_seeds(
    loaded: &LoadedScenario,
    formula: &Formula,
    seeds: &[u64],
    threads: usize,
) -> Result<Vec<Report>, InputError> {
    run_seeds_with(loaded, formula, seeds, threads, |report| report)
}

/// [`run_seeds`], keeping `keep(report)` of each run. `keep` runs on the
/// run's thread, so reducing a report (to its [`Summary`], say) and freeing
/// it is parallel too, rather than left to one thread after the runs.
pub fn run_seeds_with<T: Send>(
    loaded: &LoadedScenario,
    formula: &Formula,
    seeds: &[u64],
    threads: usize,
    keep: impl Fn(Report) -> T + Sync,
) -> Result<Vec<T>, InputError> {
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Result<T, InputError>>>> =
        seeds.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, seeds.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let (Some(&seed), Some(slot)) = (seeds.get(i), slots.get(i)) else {
                    break;
                };
                let result = simulate(loaded, formula, seed, None).map(&keep);
                if let Ok(mut slot) = slot.lock() {
                    *slot = Some(result);
                }
            });
        }
    });
    slots
        .into_iter()
        .map(|slot| {
            slot.into_inner().ok().flatten().unwrap_or_else(|| {
                Err(InputError::new(&loaded.path, "a simulation thread stopped"))
            })
        })
        .collect()
}

/// The threads to use: every core the system reports.
pub fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// A figure over several seeds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// The mean.
    pub mean: f64,
    /// The sample standard deviation (divisor n − 1); `None` with one value.
    pub sd: Option<f64>,
    /// The 95% t interval's lower end; `None` with one value.
    pub lo: Option<f64>,
    /// The 95% t interval's upper end; `None` with one value.
    pub hi: Option<f64>,
    /// Seeds where the figure had a value (a job that did not complete has
    /// no completion time).
    pub n: usize,
}

impl Stats {
    /// Mean, deviation and 95% interval of `values`; `None` when empty.
    pub fn of(values: &[f64]) -> Option<Stats> {
        let n = values.len();
        if n == 0 {
            return None;
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        if n == 1 {
            return Some(Stats {
                mean,
                sd: None,
                lo: None,
                hi: None,
                n,
            });
        }
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let sd = var.sqrt();
        let half = t_975(n - 1) * sd / (n as f64).sqrt();
        Some(Stats {
            mean,
            sd: Some(sd),
            lo: Some(mean - half),
            hi: Some(mean + half),
            n,
        })
    }

    /// Whether the interval holds 0: a difference within the noise.
    pub fn holds_zero(&self) -> bool {
        match (self.lo, self.hi) {
            (Some(lo), Some(hi)) => lo <= 0.0 && 0.0 <= hi,
            _ => true,
        }
    }
}

/// Student's t quantile at 0.975 for `df` degrees of freedom: the published
/// table to 30, the Cornish-Fisher expansion beyond (2.0423 at 30 against the
/// table's 2.042).
pub(crate) fn t_975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    if let Some(&t) = df.checked_sub(1).and_then(|i| TABLE.get(i)) {
        return t;
    }
    let z = 1.959_963_984_540_054_f64;
    let d = df.max(1) as f64;
    z + (z.powi(3) + z) / (4.0 * d)
        + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * d * d)
}

/// The summaries of several seeds as one JSON tree of the same shape as one
/// `summary.json`, each number replaced by its [`Stats`] (`null` where no
/// seed had a value); texts are the first seed's that has one.
pub fn aggregate(summaries: &[Summary]) -> Value {
    let values: Vec<Value> = summaries
        .iter()
        .map(|s| serde_json::to_value(s).unwrap_or(Value::Null))
        .collect();
    let refs: Vec<&Value> = values.iter().collect();
    merge(&refs)
}

fn merge(values: &[&Value]) -> Value {
    let Some(first) = values.iter().find(|v| !v.is_null()) else {
        return Value::Null;
    };
    match first {
        Value::Object(map) => {
            let mut out = Map::new();
            for key in map.keys() {
                let children: Vec<&Value> = values
                    .iter()
                    .map(|v| v.get(key).unwrap_or(&Value::Null))
                    .collect();
                out.insert(key.clone(), merge(&children));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            (0..items.len())
                .map(|i| {
                    let children: Vec<&Value> = values
                        .iter()
                        .map(|v| v.get(i).unwrap_or(&Value::Null))
                        .collect();
                    merge(&children)
                })
                .collect(),
        ),
        Value::Number(_) => {
            let numbers: Vec<f64> = values.iter().filter_map(|v| v.as_f64()).collect();
            Stats::of(&numbers)
                .and_then(|s| serde_json::to_value(s).ok())
                .unwrap_or(Value::Null)
        }
        other => (*other).clone(),
    }
}

/// Every number of a summary by its path (`jobs[0].wait_p95_s`), in the
/// summary's order; `None` where the figure is `null`.
pub fn figures(summary: &Summary) -> Vec<(String, Option<f64>)> {
    let mut out = Vec::new();
    if let Ok(mut value) = serde_json::to_value(summary) {
        // The first error is a text when there is one and `null` otherwise:
        // not a figure, and kept it would make runs with and without errors
        // list different figures, shifting every figure after it.
        if let Value::Object(map) = &mut value {
            map.remove("first_error");
        }
        flatten("", &value, &mut out);
    }
    out
}

fn flatten(path: &str, value: &Value, out: &mut Vec<(String, Option<f64>)>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                flatten(&join(key), v, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{path}[{i}]"), v, out);
            }
        }
        Value::Number(n) => out.push((path.to_string(), n.as_f64())),
        Value::Null => out.push((path.to_string(), None)),
        _ => {}
    }
}

/// One figure of A against B over the same seeds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    /// The figure's path in `summary.json`.
    pub figure: String,
    /// A over the seeds.
    pub a: Option<Stats>,
    /// B over the seeds.
    pub b: Option<Stats>,
    /// B − A, seed by seed, over the seeds where both have a value.
    pub difference: Option<Stats>,
}

impl Difference {
    /// `within the noise`, `B higher`, `B lower`, or why there is no verdict.
    pub fn verdict(&self) -> &'static str {
        match &self.difference {
            None => "no seed has both",
            Some(d) if d.lo.is_none() => "one seed: no interval",
            Some(d) if d.holds_zero() => "within the noise",
            Some(d) if d.mean > 0.0 => "B higher",
            Some(_) => "B lower",
        }
    }
}

/// Each figure of A and B (same seeds, same order) and their difference.
pub fn compare(a: &[Summary], b: &[Summary]) -> Vec<Difference> {
    let fa: Vec<Vec<(String, Option<f64>)>> = a.iter().map(figures).collect();
    let fb: Vec<Vec<(String, Option<f64>)>> = b.iter().map(figures).collect();
    let Some(names) = fa.first() else {
        return Vec::new();
    };
    names
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            let pick = |runs: &[Vec<(String, Option<f64>)>]| -> Vec<Option<f64>> {
                runs.iter()
                    .map(|r| r.get(i).filter(|(n, _)| n == name).and_then(|(_, v)| *v))
                    .collect()
            };
            let (xa, xb) = (pick(&fa), pick(&fb));
            let paired: Vec<f64> = xa
                .iter()
                .zip(&xb)
                .filter_map(|(x, y)| Some((*y)? - (*x)?))
                .collect();
            let only = |v: &[Option<f64>]| v.iter().flatten().copied().collect::<Vec<f64>>();
            Difference {
                figure: name.clone(),
                a: Stats::of(&only(&xa)),
                b: Stats::of(&only(&xb)),
                difference: Stats::of(&paired),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_the_published_table_and_join_it_smoothly() {
        // Student's t, 0.975 quantile: 12.706 (1), 2.262 (9), 2.042 (30).
        assert_eq!(t_975(1), 12.706);
        assert_eq!(t_975(9), 2.262);
        assert_eq!(t_975(30), 2.042);
        // Tables give 2.021 at 40 and 1.984 at 100; the normal 1.960 is the limit.
        assert!((t_975(40) - 2.021).abs() < 1e-3);
        assert!((t_975(100) - 1.984).abs() < 1e-3);
        assert!(t_975(31) < t_975(30) && t_975(1_000_000) > 1.959);
    }

    #[test]
    fn one_value_has_no_interval_and_equal_values_a_point() {
        let one = Stats::of(&[4.0]).unwrap();
        assert_eq!((one.mean, one.sd, one.lo, one.hi), (4.0, None, None, None));
        let same = Stats::of(&[2.0, 2.0, 2.0]).unwrap();
        assert_eq!((same.lo, same.hi), (Some(2.0), Some(2.0)));
        assert!(!same.holds_zero() && Stats::of(&[]).is_none());
    }
}
