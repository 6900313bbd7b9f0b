//! Built-in functions. List functions fold over their arguments' values
//! (borrowed slices included) without building a vector first.

use std::borrow::Cow;

use super::error::Fail;
use super::expr::Frame;
use super::observe::Observer;
use crate::builtins::Function;
use crate::check::Node;
use crate::span::Span;
use crate::value::{parse_time_string, Val};

/// The minimum or maximum of a list; NaN anywhere makes it NaN, as .NET's
/// `Math.Min`/`Math.Max` do when folded over a list. It keeps which element
/// decided it (the first NaN, else the first extreme), for the observer.
#[derive(Clone, Copy)]
pub(super) struct Extreme {
    pub(super) n: usize,
    value: f64,
    nan: bool,
    /// The index of the first extreme element seen.
    at: usize,
    /// The index of the first NaN seen.
    nan_at: usize,
}

/// `sum` plus the numbers of `s`, added in order.
#[inline]
pub(super) fn add_all(sum: f64, s: &[f64]) -> f64 {
    s.iter().fold(sum, |acc, &x| acc + x)
}

impl Extreme {
    pub(super) fn new(max: bool) -> Self {
        Extreme {
            n: 0,
            value: if max {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            },
            nan: false,
            at: 0,
            nan_at: 0,
        }
    }

    /// Folds the numbers of `s` in: the maximum when `max`, else the minimum.
    #[inline]
    pub(super) fn feed(&mut self, s: &[f64], max: bool) {
        for (i, &x) in s.iter().enumerate() {
            if x.is_nan() {
                if !self.nan {
                    self.nan = true;
                    self.nan_at = self.n + i;
                }
                continue;
            }
            let better = if max { x > self.value } else { x < self.value };
            if better || self.n + i == 0 {
                self.at = self.n + i;
            }
            self.value = if max {
                self.value.max(x)
            } else {
                self.value.min(x)
            };
        }
        self.n += s.len();
    }

    pub(super) fn result(&self) -> f64 {
        if self.nan {
            f64::NAN
        } else {
            self.value
        }
    }

    /// The index of the element the result is.
    pub(super) fn picked(&self) -> usize {
        if self.nan {
            self.nan_at
        } else {
            self.at
        }
    }
}

/// An argument list an aggregate folds over.
pub(super) trait ArgList<'a> {
    /// Calls `f` with each argument's numbers, in order.
    fn visit<O: Observer>(
        &'a self,
        frame: &mut Frame<'a, '_, O>,
        function: Function,
        f: impl FnMut(&[f64]),
    ) -> Result<(), Fail>;
}

impl<'a> ArgList<'a> for [(Node, Span)] {
    fn visit<O: Observer>(
        &'a self,
        frame: &mut Frame<'a, '_, O>,
        function: Function,
        f: impl FnMut(&[f64]),
    ) -> Result<(), Fail> {
        frame.for_each(function, self, f)
    }
}

/// One slice of samples, already counted.
impl<'a> ArgList<'a> for [f64] {
    fn visit<O: Observer>(
        &'a self,
        _frame: &mut Frame<'a, '_, O>,
        _function: Function,
        mut f: impl FnMut(&[f64]),
    ) -> Result<(), Fail> {
        f(self);
        Ok(())
    }
}

/// The name of a built-in function, for error messages only.
pub(super) fn name_of(function: Function) -> &'static str {
    crate::builtins::FUNCTIONS
        .iter()
        .find(|i| i.function == function)
        .map_or("function", |i| i.name)
}

/// Rounds half to even, as .NET's `Math.Round` does by default.
pub fn round_half_even(x: f64) -> f64 {
    x.round_ties_even()
}

impl<'a, O: Observer> Frame<'a, '_, O> {
    /// Calls `f` with the numbers of each argument of a `doubleVecList`
    /// argument list, as a slice (a single number is a slice of one).
    pub(super) fn for_each(
        &mut self,
        function: Function,
        args: &'a [(Node, Span)],
        mut f: impl FnMut(&[f64]),
    ) -> Result<(), Fail> {
        for (node, span) in args {
            match self.eval(node)? {
                Val::Num(x) => f(std::slice::from_ref(&x)),
                Val::Vec(v) => {
                    self.tick(v.len() as u64)?;
                    f(&v);
                }
                other => {
                    return Err(self.wrong_type(
                        name_of(function),
                        "double or doubleVec",
                        &other,
                        *span,
                    ))
                }
            }
        }
        Ok(())
    }

    /// The sum and count of a list, summed in order.
    fn sum<A: ArgList<'a> + ?Sized>(
        &mut self,
        function: Function,
        args: &'a A,
    ) -> Result<(f64, usize), Fail> {
        let (mut sum, mut n) = (0.0, 0);
        args.visit(self, function, |s| {
            sum = add_all(sum, s);
            n += s.len();
        })?;
        Ok((sum, n))
    }

    fn extreme<A: ArgList<'a> + ?Sized>(
        &mut self,
        function: Function,
        args: &'a A,
        max: bool,
    ) -> Result<Extreme, Fail> {
        let mut e = Extreme::new(max);
        args.visit(self, function, |s| e.feed(s, max))?;
        Ok(e)
    }

    /// `avg`, `sum`, `min`, `max` of number-typed arguments, with the rules
    /// of `aggregate`: sums in order, NaN anywhere makes `min`/`max` NaN.
    pub(super) fn fold(
        &mut self,
        function: Function,
        args: &'a [Node],
        span: Span,
    ) -> Result<f64, Fail> {
        let max = function == Function::Max;
        let mut e = Extreme::new(max);
        let mut sum = 0.0;
        for arg in args {
            let x = self.num(arg)?;
            match function {
                Function::Max | Function::Min => e.feed(std::slice::from_ref(&x), max),
                _ => sum += x,
            }
        }
        Ok(match function {
            Function::Max | Function::Min => {
                self.nonempty(function, e.n, span)?;
                self.observer.pick(span, function, e.picked(), e.result());
                e.result()
            }
            Function::Avg => {
                self.nonempty(function, args.len(), span)?;
                sum / args.len() as f64
            }
            _ => sum,
        })
    }

    fn nonempty(&self, function: Function, n: usize, span: Span) -> Result<(), Fail> {
        if n == 0 {
            return Err(self.invalid(format!("{}() of an empty list", name_of(function)), span));
        }
        Ok(())
    }

    fn flatten(
        &mut self,
        function: Function,
        args: &'a [(Node, Span)],
        span: Span,
    ) -> Result<Vec<f64>, Fail> {
        let mut out = Vec::new();
        let mut error = None;
        let limit = self.limits.max_vector_len;
        self.for_each(function, args, |s| {
            let room = limit.saturating_sub(out.len());
            out.extend_from_slice(s.get(..room).unwrap_or(s));
            if s.len() > room {
                error = Some(());
            }
        })?;
        if error.is_some() {
            self.check_len(self.limits.max_vector_len.saturating_add(1), span)?;
        }
        Ok(out)
    }

    /// `avg`, `sum`, `len`, `min`, `max`, `range`, `norm` and `std`: one pass
    /// over the arguments' numbers, windows read in place.
    pub(super) fn aggregate<A: ArgList<'a> + ?Sized>(
        &mut self,
        function: Function,
        args: &'a A,
        span: Span,
    ) -> Result<f64, Fail> {
        use Function as F;
        Ok(match function {
            F::Avg => {
                let (sum, n) = self.sum(function, args)?;
                self.nonempty(function, n, span)?;
                sum / n as f64
            }
            F::Sum => self.sum(function, args)?.0,
            F::Len => self.sum(function, args)?.1 as f64,
            F::Max | F::Min => {
                let e = self.extreme(function, args, function == F::Max)?;
                self.nonempty(function, e.n, span)?;
                self.observer.pick(span, function, e.picked(), e.result());
                e.result()
            }
            F::Range => {
                // One pass for both ends: evaluation must not run twice.
                let (mut lo, mut hi) = (Extreme::new(false), Extreme::new(true));
                args.visit(self, function, |s| {
                    lo.feed(s, false);
                    hi.feed(s, true);
                })?;
                self.nonempty(function, lo.n, span)?;
                hi.result() - lo.result()
            }
            F::Norm => {
                let mut sum_sq = 0.0;
                args.visit(self, function, |s| {
                    sum_sq = s.iter().fold(sum_sq, |acc, &x| acc + x * x);
                })?;
                sum_sq.sqrt()
            }
            F::Std => {
                // Welford's update, for a stable standard deviation.
                let (mut n, mut mean, mut m2) = (0usize, 0.0, 0.0);
                args.visit(self, function, |s| {
                    for &x in s {
                        n += 1;
                        let delta = x - mean;
                        mean += delta / n as f64;
                        m2 += delta * (x - mean);
                    }
                })?;
                if n < 2 {
                    return Err(self.invalid(
                        format!("std() needs at least 2 values, but the list has {n}"),
                        span,
                    ));
                }
                (m2 / (n - 1) as f64).sqrt()
            }
            _ => {
                return Err(
                    self.invalid(format!("{}() is not an aggregate", name_of(function)), span)
                )
            }
        })
    }

    pub(super) fn call(
        &mut self,
        function: Function,
        args: &'a [(Node, Span)],
        span: Span,
    ) -> Result<Val<'a>, Fail> {
        use Function as F;
        Ok(Val::Num(match function {
            F::Avg | F::Sum | F::Len | F::Max | F::Min | F::Range | F::Norm | F::Std => {
                self.aggregate(function, args, span)?
            }
            F::Ceil | F::Floor | F::Round | F::Lg | F::Ln | F::Log => {
                return self.elementwise(function, args, span)
            }
            F::Vec => {
                if let [(node, _)] = args {
                    if let Val::Vec(v) = self.eval(node)? {
                        return Ok(Val::Vec(v));
                    }
                }
                return Ok(Val::Vec(Cow::Owned(self.flatten(function, args, span)?)));
            }
            F::Percentile => return self.percentile(args, span),
            F::Val => return self.val(args),
            F::Rand => self.rng.next_f64(),
            F::Time => return self.time(args),
            F::Stop => return Err(Fail::Stop),
        }))
    }

    #[inline(never)]
    fn elementwise(
        &mut self,
        function: Function,
        args: &'a [(Node, Span)],
        span: Span,
    ) -> Result<Val<'a>, Fail> {
        let f = |x: f64| match function {
            Function::Ceil => x.ceil(),
            Function::Floor => x.floor(),
            Function::Round => round_half_even(x),
            Function::Lg => libm::log2(x),
            Function::Ln => libm::log(x),
            _ => libm::log10(x),
        };
        if let [(node, arg_span)] = args {
            return match self.eval(node)? {
                Val::Num(x) => Ok(Val::Num(f(x))),
                Val::Vec(v) => {
                    self.tick(v.len() as u64)?;
                    Ok(Val::Vec(Cow::Owned(v.iter().map(|&x| f(x)).collect())))
                }
                other => Err(self.wrong_type(
                    name_of(function),
                    "double or doubleVec",
                    &other,
                    *arg_span,
                )),
            };
        }
        let mut v = self.flatten(function, args, span)?;
        v.iter_mut().for_each(|x| *x = f(*x));
        Ok(Val::Vec(Cow::Owned(v)))
    }

    #[inline(never)]
    fn percentile(&mut self, args: &'a [(Node, Span)], span: Span) -> Result<Val<'a>, Fail> {
        let [(v_node, _), (p_node, p_span)] = args else {
            return Err(self.invalid("percentile takes 2 arguments", span));
        };
        let _ = v_node;
        let mut values = self.flatten(Function::Percentile, args.get(..1).unwrap_or(&[]), span)?;
        let p = match self.eval(p_node)? {
            Val::Num(p) => p,
            other => return Err(self.wrong_type("percentile", "double", &other, *p_span)),
        };
        if !(0.0..=100.0).contains(&p) {
            return Err(self.invalid(format!("percentile {p} is outside 0 to 100"), *p_span));
        }
        if values.is_empty() {
            return Err(self.invalid("percentile() of an empty list", span));
        }
        values.sort_by(f64::total_cmp);
        // Nearest rank: the smallest value with at least p% of values at or below it.
        let rank = ((p / 100.0) * values.len() as f64).ceil() as usize;
        let index = rank.clamp(1, values.len()) - 1;
        Ok(Val::Num(values.get(index).copied().unwrap_or(f64::NAN)))
    }

    #[inline(never)]
    fn val(&mut self, args: &'a [(Node, Span)]) -> Result<Val<'a>, Fail> {
        let [(v_node, v_span), (i_node, i_span)] = args else {
            return Err(self.invalid("val takes 2 arguments", Span::default()));
        };
        let v = self.eval(v_node)?;
        let i = match self.eval(i_node)? {
            Val::Num(i) => i,
            other => return Err(self.wrong_type("val", "double", &other, *i_span)),
        };
        let slice: &[f64] = match &v {
            Val::Vec(v) => v,
            Val::Num(x) => std::slice::from_ref(x),
            other => return Err(self.wrong_type("val", "doubleVec", other, *v_span)),
        };
        // Out of range reads 0: the service's val(GetSample(1), 0) does not fail on an empty history.
        let x = if i >= 0.0 && i < slice.len() as f64 {
            slice.get(i.trunc() as usize).copied().unwrap_or(0.0)
        } else {
            0.0
        };
        Ok(Val::Num(x))
    }

    #[inline(never)]
    fn time(&mut self, args: &'a [(Node, Span)]) -> Result<Val<'a>, Fail> {
        let Some((node, span)) = args.first() else {
            return Ok(Val::Time(self.ctx.now));
        };
        match self.eval(node)? {
            Val::Str(s) if s.trim().is_empty() => Ok(Val::Time(self.ctx.now)),
            Val::Str(s) => parse_time_string(s).map(Val::Time).ok_or_else(|| {
                self.invalid(
                    format!("String was not recognized as a valid DateTime: \"{s}\""),
                    *span,
                )
            }),
            other => Err(self.wrong_type("time", "string", &other, *span)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::round_half_even;

    #[test]
    fn rounding_is_half_to_even() {
        assert_eq!(round_half_even(0.5), 0.0);
        assert_eq!(round_half_even(1.5), 2.0);
        assert_eq!(round_half_even(2.5), 2.0);
        assert_eq!(round_half_even(-2.5), -2.0);
        assert_eq!(round_half_even(2.6), 3.0);
    }
}
