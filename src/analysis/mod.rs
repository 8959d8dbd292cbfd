//! Spatial analysis on a plan: who the offices reach.

/// Coverage of districts by office catchments.
pub mod coverage;
/// Geodesic circles.
pub mod geodesic_circle;
/// Location-allocation: suggesting sites.
pub mod location;

pub use coverage::{Coverage, CoverageModel, CoverageSummary, DistrictCoverage, is_marginal};
pub use geodesic_circle::geodesic_circle;
