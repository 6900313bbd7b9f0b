//! Runs every grid point over the same seeds, on all the threads asked for.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::sim::seeds::{figures, Stats};
use crate::sim::{simulate, LoadedScenario, Summary};
use crate::Formula;

/// One figure of one grid point over the seeds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Figure {
    /// Mean and interval over the seeds where the figure had a value.
    pub stats: Option<Stats>,
    /// Seeds where it had none (a job that never completed has no turnaround).
    pub missing: usize,
}

impl Figure {
    /// The mean, when every seed had a value: a figure missing in some seed
    /// (a job that never finished) cannot show that a bound holds.
    pub(super) fn mean(&self) -> Option<f64> {
        match self.stats {
            Some(s) if self.missing == 0 => Some(s.mean),
            _ => None,
        }
    }
}

/// Simulates `formulas[p]` under every seed, for every `p`, on `threads`
/// threads; gives for each point the summary of each seed, in seed order.
/// Work items are (point, seed) pairs taken in order from a shared counter,
/// so a slow point does not hold a thread idle, and the results land in
/// fixed slots: the same inputs give the same output on any thread count.
pub(super) fn run_grid(
    loaded: &LoadedScenario,
    formulas: &[Formula],
    seeds: &[u64],
    threads: usize,
) -> Result<Vec<Vec<Summary>>, String> {
    let items = formulas.len() * seeds.len();
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Result<Summary, String>>>> =
        (0..items).map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, items.max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let (Some(slot), Some(formula), Some(&seed)) = (
                    slots.get(i),
                    formulas.get(i / seeds.len().max(1)),
                    seeds.get(i % seeds.len().max(1)),
                ) else {
                    break;
                };
                let result = simulate(loaded, formula, seed, None)
                    .map(|report| Summary::of(&report))
                    .map_err(|e| e.to_string());
                let failed = result.is_err();
                if let Ok(mut slot) = slot.lock() {
                    *slot = Some(result);
                }
                if failed {
                    // Stop handing out work: the first error is reported.
                    next.store(items, Ordering::Relaxed);
                }
            });
        }
    });
    let mut summaries = Vec::with_capacity(items);
    for slot in slots {
        match slot.into_inner().ok().flatten() {
            Some(Ok(s)) => summaries.push(s),
            Some(Err(e)) => return Err(e),
            None => return Err(format!("{}: a simulation did not run", loaded.path)),
        }
    }
    let mut points = Vec::with_capacity(formulas.len());
    let mut rest = summaries.into_iter();
    for _ in formulas {
        points.push(rest.by_ref().take(seeds.len()).collect());
    }
    Ok(points)
}

/// The figure at `path` (as `summary.json` spells it, `jobs[0].wait_p95_s`)
/// over one point's seeds; `None` when no summary has that path.
pub(super) fn figure(summaries: &[Summary], path: &str) -> Option<Figure> {
    let mut values = Vec::with_capacity(summaries.len());
    let mut missing = 0;
    for summary in summaries {
        match figures(summary).into_iter().find(|(p, _)| p == path)? {
            (_, Some(x)) => values.push(x),
            (_, None) => missing += 1,
        }
    }
    Some(Figure {
        stats: Stats::of(&values),
        missing,
    })
}

/// Every figure path of a summary, for the message naming an unknown one.
pub(super) fn paths(summary: &Summary) -> Vec<String> {
    figures(summary).into_iter().map(|(p, _)| p).collect()
}
