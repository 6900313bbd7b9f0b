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
//!     allocation_delay = { fixed = "PT3M" }
//!     startup = { fixed = "PT2M" }
//!     [scheduling]
//!     latency = { fixed = "PT0S" }
//!     [[job]]
//!     tasks = 8
//!     duration = { fixed = "PT10M" }
//! "#).unwrap();
//! let formula = Formula::parse(scenario.scenario.formula.as_deref().unwrap()).unwrap();
//! let report = simulate(&scenario, &formula, 0, None).unwrap();
//! // Four nodes created at 3 min are ready at 5 min and run two waves of
//! // 10 minutes: done at 25 min.
//! assert_eq!(report.jobs[0].completed, Some(25 * 60 * 1000));
//! // The 3 minutes of allocation are not billed: 4 nodes × 3 min.
//! assert!((report.allocation_node_hours - 4.0 * 3.0 / 60.0).abs() < 1e-9);
//! ```

#[cfg(feature = "charts")]
pub mod chart;
// The model's parts are private (issue 12 item 5): users name the types
// below, not the modules.
mod dist;
mod engine;
mod metrics;
mod pool;
pub mod replay;
pub mod report;
pub mod scenario;
pub mod seeds;
pub mod summary;
pub mod trace_import;
mod workload;

pub use dist::Distribution;
pub use engine::{Progress, Simulation};
pub use report::Report;
pub use scenario::{LoadedScenario, Scenario};
pub use summary::Summary;
pub use workload::Workload;

use crate::input::InputError;
use crate::Formula;

/// Runs `formula` on the scenario with `seed`. Errors are the scenario's: a
/// trace or limit problem, or a run past its event budget.
pub fn simulate(
    scenario: &LoadedScenario,
    formula: &Formula,
    seed: u64,
    progress: Option<Progress<'_>>,
) -> Result<Report, InputError> {
    Simulation::new(scenario, formula, seed)?.run(progress)
}
