//! Data and map output: tables now, layouts later.

/// The per-district coverage table as CSV.
pub mod coverage_csv;

pub use coverage_csv::coverage_csv;
