//! Data and map output: the coverage table and map layouts (SVG, PNG, PDF).

/// The per-district coverage table as CSV.
pub mod coverage_csv;
/// Map layouts for print and meetings.
pub mod layout;
/// Districts, offices and coverage as GeoJSON, GeoPackage and Shapefile.
pub mod vector;

pub use coverage_csv::coverage_csv;
