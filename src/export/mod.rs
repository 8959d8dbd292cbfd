//! Data and map output: the coverage table and map layouts (SVG, PNG, PDF).

/// The per-district coverage table as CSV.
pub mod coverage_csv;
/// Map layouts for print and meetings.
pub mod layout;

pub use coverage_csv::coverage_csv;
