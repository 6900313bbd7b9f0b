//! Sample methods: windows as look-back offsets from `now`, found by binary
//! search and handed out as borrowed slices.

use std::borrow::Cow;

use super::error::{EvalError, EvalErrorKind, Fail};
use super::expr::Frame;
use super::observe::SampleRead;
use crate::builtins::{Method, Metric};
use crate::check::{sample_count, Node};
use crate::context::{Series, DEFAULT_PERIOD};
use crate::span::Span;
use crate::value::{TimeInterval, Timestamp, Val};

use crate::check::DEFAULT_SAMPLE_PERCENT;

/// The history of a metric the context has no samples for.
pub(super) static EMPTY: Series = Series::new(DEFAULT_PERIOD);

/// The samples from index `a` to `b` of the window `[start, end)` of `series`,
/// and the percentage (0-100) of the window's expected samples they make up.
#[inline]
pub(super) fn coverage(series: &Series, a: usize, b: usize, start: i64, end: i64) -> (f64, &[f64]) {
    let samples = series.values().get(a..b.max(a)).unwrap_or(&[]);
    let period = series.period().ticks().max(1);
    let length = end.saturating_sub(start);
    let expected = (length.saturating_add(period - 1) / period).max(1);
    let pct = (100.0 * samples.len() as f64 / expected as f64).min(100.0);
    (pct, samples)
}

/// The bounds `[start, end)` of the window looking back `lookback` ticks
/// from `now` (ordered, as a window with a negative look-back is).
#[inline]
pub(super) fn lookback_bounds(now: i64, lookback: i64) -> (i64, i64) {
    let start = now.saturating_sub(lookback);
    (start.min(now), start.max(now))
}

/// A resolved window `[start, end)` in ticks.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: i64,
    end: i64,
}

impl<'a> Frame<'a> {
    /// Tells the observer, if any, what a sample method read from `[start, end)`.
    #[cold]
    #[allow(clippy::too_many_arguments)]
    fn report_read(
        &self,
        metric: Metric,
        method: Method,
        span: Span,
        (start, end): (i64, i64),
        found: usize,
        expected: usize,
        required: Option<f64>,
    ) {
        let (Some(observer), Some(from), Some(to)) = (
            self.observer,
            Timestamp::from_ticks(start),
            Timestamp::from_ticks(end),
        ) else {
            return;
        };
        let percent = (100.0 * found as f64 / expected.max(1) as f64).min(100.0);
        observer.borrow_mut().sample_read(&SampleRead {
            span,
            metric,
            method,
            from,
            to,
            found,
            expected,
            percent,
            required,
        });
    }

    /// `report_read` for a window `w`, with the count `coverage` expects.
    fn report_window(
        &self,
        metric: Metric,
        method: Method,
        span: Span,
        w: Window,
        found: usize,
        required: Option<f64>,
    ) {
        if self.observer.is_none() {
            return;
        }
        let period = self.series(metric).period().ticks().max(1);
        let length = w.end.saturating_sub(w.start);
        let expected = (length.saturating_add(period - 1) / period).max(1);
        let expected = usize::try_from(expected).unwrap_or(usize::MAX);
        self.report_read(
            metric,
            method,
            span,
            (w.start, w.end),
            found,
            expected,
            required,
        );
    }

    /// `report_read` for the newest `count` samples, `found` of them: the
    /// window runs from the oldest one returned (or now, when none is) to now.
    fn report_newest(&self, metric: Metric, count: usize, found: usize, span: Span) {
        let series = self.series(metric);
        let end = self.bounds.lower_bound(metric, series, self.now_end());
        let start = series
            .times()
            .get(end.saturating_sub(found))
            .copied()
            .filter(|_| found > 0)
            .unwrap_or(self.ctx.now.ticks());
        let window = (start, self.now_end());
        self.report_read(metric, Method::GetSample, span, window, found, count, None);
    }

    fn series(&self, metric: Metric) -> &'a Series {
        self.ctx.series(metric).unwrap_or(&EMPTY)
    }

    /// A time argument as an absolute instant: intervals look back from now.
    fn instant(&self, v: &Val<'_>, span: Span) -> Result<i64, Fail> {
        match v {
            Val::Interval(t) => Ok(self.ctx.now.ticks().saturating_sub(t.ticks())),
            Val::Time(t) => Ok(t.ticks()),
            other => Err(Fail::from(EvalError {
                kind: EvalErrorKind::WrongType {
                    what: "a sample window bound".into(),
                    expected: "timeinterval or timestamp".into(),
                    found: other.type_of(),
                },
                span,
            })),
        }
    }

    fn window(&self, a: i64, b: Option<i64>) -> Window {
        let now = self.ctx.now.ticks();
        let b = b.unwrap_or(now);
        Window {
            start: a.min(b),
            end: a.max(b),
        }
    }

    /// Percentage (0-100) of the window's expected samples that exist.
    fn percent(&self, metric: Metric, w: Window) -> (f64, &'a [f64]) {
        let series = self.series(metric);
        let (a, b) = (
            self.bounds.lower_bound(metric, series, w.start),
            self.bounds.lower_bound(metric, series, w.end),
        );
        coverage(series, a, b, w.start, w.end)
    }

    /// The newest `count` samples at or before now, borrowed.
    pub(super) fn newest(
        &self,
        metric: Metric,
        count: usize,
        paren: Span,
    ) -> Result<Val<'a>, Fail> {
        self.newest_samples(metric, count, paren)
            .map(|s| Val::Vec(Cow::Borrowed(s)))
    }

    /// `newest` as a slice.
    #[inline]
    pub(super) fn newest_samples(
        &self,
        metric: Metric,
        count: usize,
        paren: Span,
    ) -> Result<&'a [f64], Fail> {
        self.tick(count as u64)?;
        let samples = self.newest_slice(metric, self.now_end(), count);
        if self.observer.is_some() {
            self.report_newest(metric, count, samples.len(), paren);
        }
        // A sample list is a vector like any other (issue 18).
        self.within_vector_limit(samples.len(), paren)?;
        Ok(samples)
    }

    /// The end (exclusive) of the history at `now`: samples stamped later are
    /// not yet recorded.
    #[inline(always)]
    fn now_end(&self) -> i64 {
        self.ctx.now.ticks().saturating_add(1)
    }

    /// The newest `count` samples strictly before `end`.
    fn newest_slice(&self, metric: Metric, end: i64, count: usize) -> &'a [f64] {
        let series = self.series(metric);
        let b = self.bounds.lower_bound(metric, series, end);
        series
            .values()
            .get(b.saturating_sub(count)..b)
            .unwrap_or(&[])
    }

    /// The samples in the window `[min(start, end), max(start, end))`, borrowed;
    /// fails at `paren` when fewer than `wanted` percent of them exist.
    fn windowed(
        &self,
        metric: Metric,
        start: i64,
        end: Option<i64>,
        wanted: f64,
        paren: Span,
    ) -> Result<Val<'a>, Fail> {
        self.window_samples(metric, start, end, wanted, paren)
            .map(|s| Val::Vec(Cow::Borrowed(s)))
    }

    /// `windowed` as a slice.
    fn window_samples(
        &self,
        metric: Metric,
        start: i64,
        end: Option<i64>,
        wanted: f64,
        paren: Span,
    ) -> Result<&'a [f64], Fail> {
        let w = self.window(start, end);
        let (received, samples) = self.percent(metric, w);
        let found = samples.len();
        self.report_window(metric, Method::GetSample, paren, w, found, Some(wanted));
        self.tick(samples.len() as u64)?;
        self.within_vector_limit(samples.len(), paren)?;
        if received < wanted {
            return Err(Fail::from(EvalError {
                kind: EvalErrorKind::InsufficientSampleData {
                    metric: metric.name(),
                    wanted,
                    received,
                },
                span: paren,
            }));
        }
        Ok(samples)
    }

    /// `GetSample(lookback[, wanted])` with constant arguments.
    pub(super) fn lookback_window(
        &self,
        metric: Metric,
        lookback: TimeInterval,
        wanted: f64,
        paren: Span,
    ) -> Result<Val<'a>, Fail> {
        self.lookback_samples(metric, lookback, wanted, paren)
            .map(|s| Val::Vec(Cow::Borrowed(s)))
    }

    /// `lookback_window` as a slice.
    #[inline]
    pub(super) fn lookback_samples(
        &self,
        metric: Metric,
        lookback: TimeInterval,
        wanted: f64,
        paren: Span,
    ) -> Result<&'a [f64], Fail> {
        let start = self.ctx.now.ticks().saturating_sub(lookback.ticks());
        self.window_samples(metric, start, None, wanted, paren)
    }

    /// `GetSamplePercent(lookback)` with a constant argument.
    pub(super) fn lookback_percent(&self, metric: Metric, lookback: TimeInterval) -> f64 {
        let start = self.ctx.now.ticks().saturating_sub(lookback.ticks());
        let w = self.window(start, None);
        let (percent, samples) = self.percent(metric, w);
        // The constant form keeps no span of its own.
        let span = Span::default();
        self.report_window(
            metric,
            Method::GetSamplePercent,
            span,
            w,
            samples.len(),
            None,
        );
        percent
    }

    #[inline(never)]
    pub(super) fn sample(
        &self,
        metric: Metric,
        method: Method,
        args: &'a [(Node, Span)],
        paren: Span,
    ) -> Result<Val<'a>, Fail> {
        let series = self.series(metric);
        let mut vals: [Option<(Val<'a>, Span)>; 3] = [None, None, None];
        for (slot, (node, span)) in vals.iter_mut().zip(args) {
            *slot = Some((self.eval(node)?, *span));
        }
        match method {
            Method::GetSample => {
                let [first, second, third] = vals;
                let Some((first, first_span)) = first else {
                    return Err(self.invalid("GetSample needs an argument", paren));
                };
                if let (Val::Num(count), None) = (&first, &second) {
                    return self.newest(metric, sample_count(*count), paren);
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
                self.windowed(metric, start, end, wanted, paren)
            }
            Method::GetSamplePercent => {
                let [first, second, _] = vals;
                let Some((first, first_span)) = first else {
                    return Err(self.invalid("GetSamplePercent needs an argument", paren));
                };
                let start = self.instant(&first, first_span)?;
                let end = match second {
                    Some((v, s)) => Some(self.instant(&v, s)?),
                    None => None,
                };
                let w = self.window(start, end);
                let (percent, samples) = self.percent(metric, w);
                let found = samples.len();
                self.report_window(metric, Method::GetSamplePercent, paren, w, found, None);
                Ok(Val::Num(percent))
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
                .filter(|&&t| t <= self.ctx.now.ticks())
                .and_then(|&t| Timestamp::from_ticks(t))
                .map(Val::Time)
                .ok_or_else(|| self.invalid(format!("{} has no samples", metric.name()), paren)),
        }
    }

    /// The newest sample of `metric`, or 0 when it has none (as `val($M.GetSample(1), 0)`).
    pub(super) fn latest(&self, metric: Metric) -> f64 {
        let newest = self.newest_slice(metric, self.now_end(), 1);
        if self.observer.is_some() {
            // Read bare (`$PendingTasks / 4`): the newest sample, no span of its own.
            self.report_newest(metric, 1, newest.len(), Span::default());
        }
        newest.first().copied().unwrap_or(0.0)
    }
}
