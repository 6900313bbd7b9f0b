//! The simulator: run a formula against a workload over simulated days and see
//! what the pool does and costs.
//!
//! ```
//! use batchscale::sim::{simulate, LoadedScenario};
//! use batchscale::Formula;
//!
//! let scenario = LoadedScenario::parse("demo.toml", r#"
//!     formula = "$TargetDedicatedNodes = 4;"
//!     [pool]
//!     startup = { fixed = "PT5M" }
//!     [[job]]
//!     tasks = 8
//!     duration = { fixed = "PT10M" }
//! "#).unwrap();
//! let formula = Formula::parse(scenario.scenario.formula.as_deref().unwrap()).unwrap();
//! let report = simulate(&scenario, &formula, 0, None).unwrap();
//! // Four nodes ready at 5 min run two waves of 10 minutes: done at 25 min.
//! assert_eq!(report.jobs[0].completed, Some(25 * 60 * 1000));
//! ```

pub mod chart;
pub mod dist;
pub mod engine;
pub mod metrics;
pub mod pool;
pub mod replay;
pub mod report;
pub mod scenario;
pub mod seeds;
pub mod summary;
pub mod trace_import;
pub mod workload;

pub use engine::{Progress, Simulation};
pub use report::Report;
pub use scenario::{LoadedScenario, Scenario};
pub use summary::Summary;

use crate::input::InputError;
use crate::Formula;

/// Runs `formula` on the scenario with `seed`.
pub fn simulate(
    scenario: &LoadedScenario,
    formula: &Formula,
    seed: u64,
    progress: Option<Progress<'_>>,
) -> Result<Report, InputError> {
    Ok(Simulation::new(scenario, formula, seed)?.run(progress))
}
