//! Spatial analysis on a plan: who the offices reach.

/// Fast geodesic distances for large tables.
pub mod chord_geodesic;
/// Coverage of districts by office catchments.
pub mod coverage;
/// Areas on the ellipsoid, whichever way rings wind.
pub mod geodesic_area;
/// Geodesic circles.
pub mod geodesic_circle;
/// Location-allocation: suggesting sites.
pub mod location;
/// Lengths and areas of paths drawn on the map.
pub mod measure;

pub use chord_geodesic::EarthPoint;
pub use coverage::{Coverage, CoverageModel, CoverageSummary, DistrictCoverage};
pub use geodesic_area::{area_m2, polygon_area_m2, ring_area_m2};
pub use geodesic_circle::geodesic_circle;
pub use measure::{Measurement, geodesic_distance_m, measure};
