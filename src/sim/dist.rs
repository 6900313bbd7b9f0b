//! Duration distributions: `{ fixed = "PT10M" }`, `{ uniform = { min, max } }`,
//! `{ normal = { mean, std_dev } }`, `{ lognormal = { mean, std_dev } }`,
//! `{ empirical = ["PT5M", "PT7M"] }`.

use rand::Rng;
use rand_distr::{Distribution as _, LogNormal, Normal};
use serde::Deserialize;

use super::scenario::Duration;

/// A distribution of durations.
#[derive(Debug, Clone)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(with = "RawDistribution")
)]
pub enum Distribution {
    /// Always the same.
    Fixed(Duration),
    /// Uniform between two durations (milliseconds).
    Uniform(i64, i64),
    /// Normal; draws below 0 become 0.
    Normal(Normal<f64>),
    /// Log-normal with the given mean and standard deviation.
    LogNormal(LogNormal<f64>),
    /// One of the listed durations, each equally likely.
    Empirical(Vec<Duration>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
enum RawDistribution {
    Fixed(Duration),
    Uniform { min: Duration, max: Duration },
    Normal { mean: Duration, std_dev: Duration },
    Lognormal { mean: Duration, std_dev: Duration },
    Empirical(Vec<Duration>),
}

impl<'de> Deserialize<'de> for Distribution {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let value = toml::Value::deserialize(d)?;
        if let toml::Value::String(text) = &value {
            // The commonest first try: one duration where a distribution belongs.
            let text = super::scenario::excerpt(text);
            return Err(D::Error::custom(format!(
                "a duration here is a distribution, not one value: write `{{ fixed = \"{text}\" }}` \
                 (or `uniform`, `normal`, `lognormal`, `empirical`)"
            )));
        }
        let raw = RawDistribution::deserialize(value).map_err(|e| D::Error::custom(e.message()))?;
        Distribution::try_from(raw).map_err(D::Error::custom)
    }
}

impl TryFrom<RawDistribution> for Distribution {
    type Error = String;

    fn try_from(raw: RawDistribution) -> Result<Self, String> {
        Ok(match raw {
            RawDistribution::Fixed(d) => Distribution::Fixed(d),
            RawDistribution::Uniform { min, max } => {
                if min > max {
                    return Err("uniform: `min` is greater than `max`".into());
                }
                Distribution::Uniform(min.0, max.0)
            }
            RawDistribution::Normal { mean, std_dev } => Distribution::Normal(
                Normal::new(mean.0 as f64, std_dev.0 as f64).map_err(|e| format!("normal: {e}"))?,
            ),
            RawDistribution::Lognormal { mean, std_dev } => {
                if mean.0 <= 0 {
                    return Err("lognormal: `mean` must be above 0".into());
                }
                // The parameters of the underlying normal from the mean and
                // deviation users think in.
                let (m, s) = (mean.0 as f64, std_dev.0 as f64);
                let sigma2 = (1.0 + (s * s) / (m * m)).ln();
                let mu = m.ln() - sigma2 / 2.0;
                Distribution::LogNormal(
                    LogNormal::new(mu, sigma2.sqrt()).map_err(|e| format!("lognormal: {e}"))?,
                )
            }
            RawDistribution::Empirical(v) => {
                if v.is_empty() {
                    return Err("empirical: the list is empty".into());
                }
                Distribution::Empirical(v)
            }
        })
    }
}

impl Distribution {
    /// A draw in milliseconds (never negative).
    pub fn sample<R: Rng>(&self, rng: &mut R) -> i64 {
        let ms = match self {
            Distribution::Fixed(d) => return d.0,
            Distribution::Uniform(a, b) if a == b => return *a,
            Distribution::Uniform(a, b) => rng.random_range(*a..=*b),
            Distribution::Normal(n) => n.sample(rng).round() as i64,
            Distribution::LogNormal(n) => n.sample(rng).round() as i64,
            Distribution::Empirical(v) => {
                let i = rng.random_range(0..v.len());
                v.get(i).map_or(0, |d| d.0)
            }
        };
        ms.max(0)
    }
}
