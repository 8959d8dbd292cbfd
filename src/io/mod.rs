//! Reading files into the model: district layers in every format (GeoJSON the fast path), offices,
//! plans, and the tables analysis reads.

/// Crash-safe file replacement.
pub mod atomic_write;
/// Cost tables and weights as CSV.
pub mod cost_matrix_csv;
/// Where edges of a polygon cross.
pub mod crossings;
/// Coordinate systems and reprojection to WGS 84.
pub mod crs;
/// Whole-file load errors.
pub mod error;
/// From a parsed object to a district.
mod feature;
/// Tables joined to the districts by a key.
pub mod join_table;
/// The load pipeline and its progress.
pub mod load;
/// Reference layers: points, lines and polygons of any format.
pub mod load_features;
/// Typed reading of one GeoJSON object.
mod object;
/// Offices from CSV tables.
pub mod offices_csv;
/// Offices as GeoJSON points.
pub mod offices_geojson;
/// OR-Library p-median files.
pub mod orlib;
/// The plan file.
pub mod plan_file;
/// Readers of other formats and the shared reprojection pipeline.
pub mod read;
/// The planner's reading choices into load options.
pub mod read_choices;
/// Lenient reparse of a feature serde_json refused.
mod repair;
/// Structural scan of a document.
mod scan;
/// Ring and range checks.
mod validate;

pub use atomic_write::write_atomically;
pub use cost_matrix_csv::{CsvTableError, NumberTable, parse_number_table, read_number_table};
pub use crossings::first_crossing;
pub use error::LoadError;
pub use join_table::{JoinError, apply_join, join_table, read_join_table};
pub use load::{
    LoadOptions, LoadProgress, SourceFormat, load_district_layer, load_district_layer_from_bytes, no_progress,
};
pub use load_features::{feature_layer_from_source, load_feature_layer};
pub use offices_csv::offices_from_csv;
pub use offices_geojson::{OfficesError, offices_from_geojson, offices_to_geojson, read_offices};
pub use orlib::{OrlibError, OrlibInstance, parse_orlib, read_orlib};
pub use plan_file::{PLAN_SCHEMA_VERSION, PlanDocument, PlanFileError, SavedView, is_plan_file, load_plan, save_plan};
pub use read_choices::{ReadChoiceError, crs_from_text, load_options};
