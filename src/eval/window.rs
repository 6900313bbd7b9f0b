//! Sample methods: windows as look-back offsets from `now`, found by binary
//! search and handed out as borrowed slices. A constant window is resolved
//! once per run (its indices and percentage kept by its id); every read
//! still checks its own required percentage and counts its own samples.

use std::borrow::Cow;

use super::error::{EvalError, EvalErrorKind, Fail};
use super::expr::Frame;
use super::observe::{Observer, SampleRead};
use crate::builtins::{Method, Metric};
use crate::check::{sample_count, Node, WindowRef, DEFAULT_SAMPLE_PERCENT};
use crate::context::{Series, DEFAULT_PERIOD};
use crate::span::Span;
use crate::value::{Timestamp, Val};

/// The history of a metric the context has no samples for.
pub(super) static EMPTY: Series = Series::new(DEFAULT_PERIOD);

/// A window `[start, end)` of a series, resolved: the indices `a..b` of its
/// samples and the percentage (0-100) of its expected samples they make up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Resolved {
    pub percent: f64,
    a: usize,
    b: usize,
    start: i64,
    end: i64,
    expected: usize,
}

impl Resolved {
    /// Resolves `[start, end)` of `series`, its sample indices being `a..b`.
    #[inline]
    fn new(series: &Series, a: usize, b: usize, start: i64, end: i64) -> Resolved {
        let found = b.saturating_sub(a);
        let period = series.period().ticks().max(1);
        let length = end.saturating_sub(start);
        let expected = (length.saturating_add(period - 1) / period).max(1);
        let percent = (100.0 * found as f64 / expected as f64).min(100.0);
        Resolved {
            percent,
            a,
            b,
            start,
            end,
            expected: usize::try_from(expected).unwrap_or(usize::MAX),
        }
    }

    fn samples<'s>(&self, series: &'s Series) -> &'s [f64] {
        series
            .values()
            .get(self.a..self.b.max(self.a))
            .unwrap_or(&[])
    }
}

/// The bounds `[start, end)` of the window between `a` and `b` (ordered, as
/// a window with a negative look-back is).
#[inline]
fn ordered(a: i64, b: i64) -> (i64, i64) {
    (a.min(b), a.max(b))
}

fn time(ticks: i64) -> Timestamp {
    Timestamp::from_ticks(ticks).unwrap_or(Timestamp::UNIX_EPOCH)
}

impl<'a, O: Observer> Frame<'a, '_, O> {
    fn series(&self, metric: Metric) -> &'a Series {
        self.ctx.series(metric).unwrap_or(&EMPTY)
    }

    /// A time argument as an absolute instant: intervals look back from now.
    fn instant(&self, v: &Val<'_>, span: Span) -> Result<i64, Fail> {
        match v {
            Val::Interval(t) => Ok(self.ctx.now.ticks().saturating_sub(t.ticks())),
            Val::Time(t) => Ok(t.ticks()),
            other => Err(self.wrong_type(
                "a sample window bound",
                "timeinterval or timestamp",
                other,
                span,
            )),
        }
    }

    /// Resolves the window `[start, end)` of `metric`.
    #[inline]
    fn resolve(&self, metric: Metric, start: i64, end: i64) -> Resolved {
        let series = self.series(metric);
        let a = self.bounds.lower_bound(metric, series, start);
        // The end is usually now, at or after the newest sample: no search.
        let b = match series.times().last() {
            Some(&last) if last < end => series.len(),
            _ => self.bounds.lower_bound(metric, series, end),
        };
        Resolved::new(series, a, b, start, end)
    }

    /// A constant window, resolved on its first read of the run.
    #[inline]
    fn constant_window(&self, window: WindowRef) -> Resolved {
        let cell = self.windows.get(window.id);
        if let Some(known) = cell.and_then(|c| c.get()) {
            return known;
        }
        let now = self.ctx.now.ticks();
        let (start, end) = ordered(now.saturating_sub(window.lookback.ticks()), now);
        let resolved = self.resolve(window.metric, start, end);
        if let Some(cell) = cell {
            cell.set(Some(resolved));
        }
        resolved
    }

    /// Tells the observer about a read.
    #[inline(always)]
    fn report(
        &mut self,
        span: Span,
        metric: Metric,
        method: Method,
        w: &Resolved,
        required: Option<f64>,
    ) {
        self.observer.sample_read(&SampleRead {
            span,
            metric,
            method,
            from: time(w.start),
            to: time(w.end),
            found: w.b.saturating_sub(w.a),
            expected: w.expected,
            percent: w.percent,
            required,
        });
    }

    /// `GetSamplePercent(lookback)` with a constant argument.
    pub(super) fn window_percent(&mut self, window: WindowRef, span: Span) -> f64 {
        let w = self.constant_window(window);
        self.report(span, window.metric, Method::GetSamplePercent, &w, None);
        w.percent
    }

    /// `GetSample(lookback[, wanted])` with constant arguments, as a slice.
    #[inline]
    pub(super) fn window_samples(
        &mut self,
        window: WindowRef,
        wanted: f64,
        paren: Span,
        span: Span,
    ) -> Result<&'a [f64], Fail> {
        let w = self.constant_window(window);
        self.report(span, window.metric, Method::GetSample, &w, Some(wanted));
        self.checked(window.metric, &w, wanted, paren)
    }

    /// The samples of a resolved window, counted; fails at `paren` past the
    /// vector limit or when fewer than `wanted` percent of them exist.
    #[inline]
    fn checked(
        &self,
        metric: Metric,
        w: &Resolved,
        wanted: f64,
        paren: Span,
    ) -> Result<&'a [f64], Fail> {
        let samples = w.samples(self.series(metric));
        self.tick(samples.len() as u64)?;
        self.within_vector_limit(samples.len(), paren)?;
        if w.percent < wanted {
            return Err(insufficient(metric, wanted, w.percent, paren));
        }
        Ok(samples)
    }

    /// The newest `count` samples at or before now, borrowed. The count is
    /// charged with the statement.
    #[inline]
    pub(super) fn newest_samples(
        &mut self,
        metric: Metric,
        count: usize,
        paren: Span,
        span: Span,
    ) -> Result<&'a [f64], Fail> {
        let series = self.series(metric);
        let b = self.newest_index(metric, series);
        let samples = series
            .values()
            .get(b.saturating_sub(count)..b)
            .unwrap_or(&[]);
        self.report_newest(span, metric, count, b, samples.len());
        // A sample list is a vector like any other (issue 18).
        self.within_vector_limit(samples.len(), paren)?;
        Ok(samples)
    }

    /// A read of the newest samples (those before index `b`), for the
    /// observer: from the oldest sample returned (now, when none) to just
    /// after now.
    #[inline(always)]
    fn report_newest(&mut self, span: Span, metric: Metric, count: usize, b: usize, found: usize) {
        let from = match found {
            0 => self.ctx.now.ticks(),
            _ => self
                .series(metric)
                .times()
                .get(b.saturating_sub(found))
                .copied()
                .unwrap_or(self.ctx.now.ticks()),
        };
        let percent = if count == 0 {
            100.0
        } else {
            (100.0 * found as f64 / count as f64).min(100.0)
        };
        self.observer.sample_read(&SampleRead {
            span,
            metric,
            method: Method::GetSample,
            from: time(from),
            to: time(self.now_end()),
            found,
            expected: count,
            percent,
            required: None,
        });
    }

    /// The end (exclusive) of the history at `now`: samples stamped later are
    /// not yet recorded.
    #[inline(always)]
    fn now_end(&self) -> i64 {
        self.ctx.now.ticks().saturating_add(1)
    }

    /// The index just past the newest sample at or before now.
    #[inline(always)]
    fn newest_index(&self, metric: Metric, series: &Series) -> usize {
        match series.times().last() {
            // Usually the newest sample is at or before now: no search.
            Some(&last) if last <= self.ctx.now.ticks() => series.len(),
            _ => self.bounds.lower_bound(metric, series, self.now_end()),
        }
    }

    /// The newest sample of `metric`, or 0 when it has none (as `val($M.GetSample(1), 0)`).
    /// A bare read has no span of its own in the program: the observer gets
    /// an empty one.
    #[inline]
    pub(super) fn latest(&mut self, metric: Metric) -> f64 {
        let series = self.series(metric);
        let b = self.newest_index(metric, series);
        let newest = series.values().get(b.saturating_sub(1)..b).unwrap_or(&[]);
        self.report_newest(Span::default(), metric, 1, b, newest.len());
        newest.first().copied().unwrap_or(0.0)
    }

    #[inline(never)]
    pub(super) fn sample(
        &mut self,
        metric: Metric,
        method: Method,
        args: &'a [(Node, Span)],
        paren: Span,
        span: Span,
    ) -> Result<Val<'a>, Fail> {
        let series = self.series(metric);
        let mut vals: [Option<(Val<'a>, Span)>; 3] = [None, None, None];
        for (slot, (node, span)) in vals.iter_mut().zip(args) {
            *slot = Some((self.eval(node)?, *span));
        }
        let now = self.ctx.now.ticks();
        match method {
            Method::GetSample => {
                let [first, second, third] = vals;
                let Some((first, first_span)) = first else {
                    return Err(self.invalid("GetSample needs an argument", paren));
                };
                if let (Val::Num(count), None) = (&first, &second) {
                    let count = sample_count(*count);
                    // Not charged with the statement: the count is known only now.
                    self.tick(count as u64)?;
                    return self
                        .newest_samples(metric, count, paren, span)
                        .map(|s| Val::Vec(Cow::Borrowed(s)));
                }
                let start = self.instant(&first, first_span)?;
                let (end, percent) = match (second, third) {
                    (None, None) => (None, None),
                    (Some((Val::Num(p), s)), None) => (None, Some((p, s))),
                    (Some((v, s)), None) => (Some(self.instant(&v, s)?), None),
                    (Some((v, s)), Some((p, ps))) => {
                        let end = self.instant(&v, s)?;
                        match p {
                            Val::Num(p) => (Some(end), Some((p, ps))),
                            other => {
                                return Err(self.wrong_type("samplePercent", "double", &other, ps))
                            }
                        }
                    }
                    (None, Some(_)) => (None, None),
                };
                let wanted = percent.map_or(DEFAULT_SAMPLE_PERCENT, |(p, _)| p);
                let (start, end) = ordered(start, end.unwrap_or(now));
                let w = self.resolve(metric, start, end);
                self.report(span, metric, method, &w, Some(wanted));
                self.checked(metric, &w, wanted, paren)
                    .map(|s| Val::Vec(Cow::Borrowed(s)))
            }
            Method::GetSamplePercent => {
                let [first, second, _] = vals;
                let Some((first, first_span)) = first else {
                    return Err(self.invalid("GetSamplePercent needs an argument", paren));
                };
                let start = self.instant(&first, first_span)?;
                let end = match second {
                    Some((v, s)) => self.instant(&v, s)?,
                    None => now,
                };
                let (start, end) = ordered(start, end);
                let w = self.resolve(metric, start, end);
                self.report(span, metric, method, &w, None);
                Ok(Val::Num(w.percent))
            }
            Method::GetSamplePeriod => Ok(Val::Interval(series.period())),
            // The history at `now`: samples stamped later (a context may hold
            // them) are invisible here as they are to `GetSample`.
            Method::Count => {
                let recorded = self.bounds.lower_bound(metric, series, self.now_end());
                Ok(Val::Num(recorded as f64))
            }
            Method::HistoryBeginTime => series
                .times()
                .first()
                .filter(|&&t| t <= now)
                .and_then(|&t| Timestamp::from_ticks(t))
                .map(Val::Time)
                .ok_or_else(|| self.invalid(format!("{} has no samples", metric.name()), paren)),
        }
    }
}

#[cold]
#[inline(never)]
fn insufficient(metric: Metric, wanted: f64, received: f64, paren: Span) -> Fail {
    Fail::from(EvalError {
        kind: EvalErrorKind::InsufficientSampleData {
            metric: metric.name(),
            wanted,
            received,
        },
        span: paren,
    })
}
