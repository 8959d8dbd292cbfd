//! Suggesting office sites: location-allocation models on a table of demand × candidate costs,
//! each answer reported with a lower bound so its quality is known.

/// Cancelling a solve and watching its progress.
pub mod control;
/// Problems from the plan's map.
pub mod from_plan;
/// The Lagrangian lower bound of the p-median problem.
pub mod lagrangian;
/// The maximal covering problem.
pub mod max_covering;
/// Starts and kicks shared by the searches.
pub(crate) mod moves;
/// The p-median problem.
pub mod p_median;
/// Demand points, candidates and costs.
pub mod problem;
/// The set covering problem.
pub mod set_covering;
/// Suggesting sites on the plan's map, with what each adds.
pub mod suggest;

pub use control::{Cancelled, SolveControl};
pub use from_plan::{
    CandidateSource, DemandPoint, DemandPoints, DemandWeights, MapProblem, demand_from_layer, problem_from_plan,
    sites_from_layer,
};
pub use max_covering::{CoveringSolution, solve_max_covering};
pub use p_median::{Solution, SolveOptions, solve_p_median};
pub use problem::{Problem, ProblemError};
pub use set_covering::{SetCoverSolution, solve_set_covering};
pub use suggest::{Model, Reach, SiteCount, SuggestError, SuggestRequest, SuggestedSite, Suggestion, suggest_sites};
