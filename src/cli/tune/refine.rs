//! The search past [`MAX_POINTS`](super::grid::MAX_POINTS): coarse to fine
//! over the grid's indices. Each round runs an evenly spaced sub-grid of the
//! current window (both ends included, at most the round budget of points),
//! then narrows every axis to the neighbours of the best feasible point seen
//! so far, until the window is run at the full step. It is deterministic (the
//! same command gives the same points) and every point it runs is a point of
//! the grid the user asked for; it assumes the figures change gradually
//! between neighbouring values, and it can miss an optimum narrower than a
//! coarse round's spacing (docs/tune.md).

use std::collections::BTreeMap;

/// A point's score: its minimised figure when it meets every bound.
pub(super) type Score = Option<f64>;

/// Most constants a refined search varies: with more, a round's budget gives
/// fewer than three values per axis and the window stops shrinking.
pub(super) const MAX_AXES: usize = 7;

/// Searches the grid of `sizes` values per axis, at most `budget` new points
/// a round. `evaluate` scores a batch of index vectors (one index per axis);
/// the result is every point run, in grid order (the last axis fastest).
pub(super) fn refine<E>(
    sizes: &[usize],
    budget: usize,
    mut evaluate: E,
) -> Result<BTreeMap<Vec<usize>, Score>, String>
where
    E: FnMut(&[Vec<usize>]) -> Result<Vec<Score>, String>,
{
    let mut seen: BTreeMap<Vec<usize>, Score> = BTreeMap::new();
    let mut lo: Vec<usize> = vec![0; sizes.len()];
    let mut hi: Vec<usize> = sizes.iter().map(|n| n.saturating_sub(1)).collect();
    loop {
        let spans: Vec<usize> = lo.iter().zip(&hi).map(|(l, h)| h - l + 1).collect();
        let counts = per_axis(&spans, budget);
        let axes: Vec<Vec<usize>> = lo
            .iter()
            .zip(&hi)
            .zip(&counts)
            .map(|((&l, &h), &k)| spaced(l, h, k))
            .collect();
        let batch: Vec<Vec<usize>> = cartesian(&axes)
            .into_iter()
            .filter(|p| !seen.contains_key(p))
            .collect();
        if !batch.is_empty() {
            let scores = evaluate(&batch)?;
            seen.extend(batch.into_iter().zip(scores));
        }
        // The best feasible point seen: smallest score, first in grid order on a tie.
        let best = seen.iter().filter_map(|(p, s)| s.map(|s| (p, s))).fold(
            None,
            |best: Option<(&Vec<usize>, f64)>, (p, s)| match best {
                Some((_, b)) if b <= s => best,
                _ => Some((p, s)),
            },
        );
        let Some((best, _)) = best else {
            return Ok(seen);
        };
        let complete = axes.iter().zip(&spans).all(|(a, &n)| a.len() == n);
        if complete {
            return Ok(seen);
        }
        let mut narrowed = false;
        for (((axis, &at), lo), hi) in axes.iter().zip(best).zip(&mut lo).zip(&mut hi) {
            let before = axis.iter().rev().find(|&&i| i < at).copied().unwrap_or(at);
            let after = axis.iter().find(|&&i| i > at).copied().unwrap_or(at);
            narrowed |= before != *lo || after != *hi;
            *lo = before;
            *hi = after;
        }
        if !narrowed {
            return Ok(seen);
        }
    }
}

/// Values per axis for a round: as even as the budget allows, at least two
/// (both ends) and at most the axis's span.
fn per_axis(spans: &[usize], budget: usize) -> Vec<usize> {
    let wide = spans.iter().filter(|&&n| n > 1).count().max(1);
    let even = (budget as f64).powf(1.0 / wide as f64).floor().max(2.0) as usize;
    let mut counts: Vec<usize> = spans.iter().map(|&n| n.min(even)).collect();
    // Axes narrower than the even share leave budget to the others.
    loop {
        let used: usize = counts.iter().product();
        let mut grew = false;
        for (k, &n) in counts.iter_mut().zip(spans) {
            if *k < n && used / *k * (*k + 1) <= budget {
                *k += 1;
                grew = true;
                break;
            }
        }
        if !grew {
            return counts;
        }
    }
}

/// `k` indices from `lo` to `hi`, evenly spaced, both ends included.
fn spaced(lo: usize, hi: usize, k: usize) -> Vec<usize> {
    let span = hi - lo;
    if k <= 1 || span == 0 {
        return vec![lo];
    }
    let mut out: Vec<usize> = (0..k)
        .map(|i| lo + (span as u128 * i as u128 / (k - 1) as u128) as usize)
        .collect();
    out.dedup();
    out
}

/// Every combination of one index per axis, the last axis fastest.
fn cartesian(axes: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut points = vec![Vec::new()];
    for axis in axes {
        points = points
            .into_iter()
            .flat_map(|p| {
                axis.iter().map(move |&i| {
                    let mut q = p.clone();
                    q.push(i);
                    q
                })
            })
            .collect();
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_axis_finds_the_cheapest_value_meeting_a_bound() {
        // Values 0..=99,999 (index = value); cost = value, bound value >= 31,415:
        // the best is 31,415. The first round runs 4096 spaced values, the
        // next the neighbourhood of the best of them at a finer spacing.
        let mut runs = 0;
        let seen = refine(&[100_000], 4096, |batch| {
            runs += batch.len();
            Ok(batch
                .iter()
                .map(|p| (p[0] >= 31_415).then_some(p[0] as f64))
                .collect())
        })
        .unwrap();
        let best = seen
            .iter()
            .filter_map(|(p, s)| s.map(|s| (p.clone(), s)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap();
        assert_eq!(best.0, vec![31_415]);
        assert_eq!(runs, seen.len());
        assert!(runs < 100_000 / 10, "{runs} points run");
    }

    #[test]
    fn two_axes_find_the_bottom_of_a_bowl() {
        // x, y in 0..2000; cost (x - 700)² + (y - 1300)², no bound: the best
        // is (700, 1300) at 0, off every coarse round's spacing (2000 / 63).
        let seen = refine(&[2000, 2000], 4096, |batch| {
            Ok(batch
                .iter()
                .map(|p| {
                    let (x, y) = (p[0] as f64 - 700.0, p[1] as f64 - 1300.0);
                    Some(x * x + y * y)
                })
                .collect())
        })
        .unwrap();
        let best = seen
            .iter()
            .filter_map(|(p, s)| s.map(|s| (p.clone(), s)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap();
        assert_eq!(best, (vec![700, 1300], 0.0));
        assert!(seen.len() < 4 * 4096, "{} points run", seen.len());
    }

    #[test]
    fn nothing_feasible_stops_after_the_first_round() {
        let seen = refine(&[10_000], 100, |batch| Ok(vec![None; batch.len()])).unwrap();
        assert_eq!(seen.len(), 100);
    }

    #[test]
    fn rounds_never_exceed_the_budget() {
        for spans in [vec![5000], vec![70, 70], vec![3, 10_000], vec![2, 2, 2000]] {
            let counts = per_axis(&spans, 4096);
            assert!(
                counts.iter().product::<usize>() <= 4096,
                "{spans:?} {counts:?}"
            );
            assert!(counts.iter().zip(&spans).all(|(k, n)| *k >= 2.min(*n)));
        }
        assert_eq!(spaced(10, 20, 3), vec![10, 15, 20]);
        assert_eq!(spaced(0, 1, 5), vec![0, 1]);
    }
}
