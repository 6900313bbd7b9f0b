//! Built-in functions. List functions fold over their arguments' values
//! (borrowed slices included) without building a vector first.

use std::borrow::Cow;

use super::error::{EvalError, EvalErrorKind};
use super::expr::Frame;
use crate::builtins::Function;
use crate::check::Node;
use crate::span::Span;
use crate::value::{parse_time_string, Val};
use rand::Rng;

/// Streaming statistics over a list.
#[derive(Default)]
struct Stats {
    n: usize,
    sum: f64,
    min: f64,
    max: f64,
    sum_sq: f64,
    mean: f64,
    m2: f64,
}

impl Stats {
    fn push(&mut self, x: f64, track_spread: bool) {
        if self.n == 0 {
            self.min = x;
            self.max = x;
        } else {
            // NaN is sticky, as in .NET's Math.Min/Math.Max.
            self.min = if x.is_nan() || self.min.is_nan() {
                f64::NAN
            } else {
                self.min.min(x)
            };
            self.max = if x.is_nan() || self.max.is_nan() {
                f64::NAN
            } else {
                self.max.max(x)
            };
        }
        self.n += 1;
        self.sum += x;
        if track_spread {
            self.sum_sq += x * x;
            // Welford's update, for a stable standard deviation.
            let delta = x - self.mean;
            self.mean += delta / self.n as f64;
            self.m2 += delta * (x - self.mean);
        }
    }
}

/// Rounds half to even, as .NET's `Math.Round` does by default.
pub fn round_half_even(x: f64) -> f64 {
    x.round_ties_even()
}

impl<'a> Frame<'a> {
    /// Calls `f` for every number in a `doubleVecList` argument list.
    fn for_each(
        &self,
        name: &str,
        args: &'a [(Node, Span)],
        mut f: impl FnMut(f64),
    ) -> Result<(), EvalError> {
        for (node, span) in args {
            match self.eval(node)? {
                Val::Num(x) => f(x),
                Val::Vec(v) => {
                    self.tick(v.len() as u64)?;
                    v.iter().for_each(|&x| f(x));
                }
                other => return Err(self.wrong_type(name, "double or doubleVec", &other, *span)),
            }
        }
        Ok(())
    }

    fn flatten(
        &self,
        name: &str,
        args: &'a [(Node, Span)],
        span: Span,
    ) -> Result<Vec<f64>, EvalError> {
        let mut out = Vec::new();
        let mut error = None;
        self.for_each(name, args, |x| {
            if out.len() < self.limits.max_vector_len {
                out.push(x);
            } else if error.is_none() {
                error = Some(());
            }
        })?;
        if error.is_some() {
            self.check_len(self.limits.max_vector_len.saturating_add(1), span)?;
        }
        Ok(out)
    }

    fn stats(
        &self,
        name: &str,
        args: &'a [(Node, Span)],
        spread: bool,
    ) -> Result<Stats, EvalError> {
        let mut stats = Stats::default();
        self.for_each(name, args, |x| stats.push(x, spread))?;
        Ok(stats)
    }

    fn nonempty(&self, name: &str, stats: &Stats, span: Span) -> Result<(), EvalError> {
        if stats.n == 0 {
            return Err(self.invalid(format!("{name}() of an empty list"), span));
        }
        Ok(())
    }

    pub(super) fn call(
        &self,
        function: Function,
        args: &'a [(Node, Span)],
        span: Span,
    ) -> Result<Val<'a>, EvalError> {
        use Function as F;
        let name = crate::builtins::FUNCTIONS
            .iter()
            .find(|i| i.function == function)
            .map_or("function", |i| i.name);
        Ok(Val::Num(match function {
            F::Avg => {
                let s = self.stats(name, args, false)?;
                self.nonempty(name, &s, span)?;
                s.sum / s.n as f64
            }
            F::Sum => self.stats(name, args, false)?.sum,
            F::Len => self.stats(name, args, false)?.n as f64,
            F::Max | F::Min | F::Range => {
                let s = self.stats(name, args, false)?;
                self.nonempty(name, &s, span)?;
                match function {
                    F::Max => s.max,
                    F::Min => s.min,
                    _ => s.max - s.min,
                }
            }
            F::Norm => self.stats(name, args, true)?.sum_sq.sqrt(),
            F::Std => {
                let s = self.stats(name, args, true)?;
                if s.n < 2 {
                    return Err(self.invalid(
                        format!("std() needs at least 2 values, but the list has {}", s.n),
                        span,
                    ));
                }
                (s.m2 / (s.n - 1) as f64).sqrt()
            }
            F::Ceil | F::Floor | F::Round | F::Lg | F::Ln | F::Log => {
                return self.elementwise(function, name, args, span)
            }
            F::Vec => {
                if let [(node, _)] = args {
                    if let Val::Vec(v) = self.eval(node)? {
                        return Ok(Val::Vec(v));
                    }
                }
                return Ok(Val::Vec(Cow::Owned(self.flatten(name, args, span)?)));
            }
            F::Percentile => return self.percentile(args, span),
            F::Val => return self.val(args),
            F::Rand => self.rng.borrow_mut().random::<f64>(),
            F::Time => return self.time(args),
            F::Stop => {
                return Err(EvalError {
                    kind: EvalErrorKind::Stopped,
                    span,
                })
            }
        }))
    }

    fn elementwise(
        &self,
        function: Function,
        name: &str,
        args: &'a [(Node, Span)],
        span: Span,
    ) -> Result<Val<'a>, EvalError> {
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
                other => Err(self.wrong_type(name, "double or doubleVec", &other, *arg_span)),
            };
        }
        let mut v = self.flatten(name, args, span)?;
        v.iter_mut().for_each(|x| *x = f(*x));
        Ok(Val::Vec(Cow::Owned(v)))
    }

    fn percentile(&self, args: &'a [(Node, Span)], span: Span) -> Result<Val<'a>, EvalError> {
        let [(v_node, _), (p_node, p_span)] = args else {
            return Err(self.invalid("percentile takes 2 arguments", span));
        };
        let _ = v_node;
        let mut values = self.flatten("percentile", args.get(..1).unwrap_or(&[]), span)?;
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

    fn val(&self, args: &'a [(Node, Span)]) -> Result<Val<'a>, EvalError> {
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

    fn time(&self, args: &'a [(Node, Span)]) -> Result<Val<'a>, EvalError> {
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
