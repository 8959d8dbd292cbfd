//! Reading files into the model: GeoJSON district layers, streamed feature by feature.

/// Where edges of a polygon cross.
pub mod crossings;
/// The legacy `crs` member.
pub mod crs;
/// Whole-file load errors.
pub mod error;
/// From a parsed object to a district.
mod feature;
/// The load pipeline and its progress.
pub mod load;
/// Typed reading of one GeoJSON object.
mod object;
/// Structural scan of a document.
mod scan;
/// Ring and range checks.
mod validate;

pub use crossings::first_crossing;
pub use crs::check_crs;
pub use error::LoadError;
pub use load::{LoadOptions, LoadProgress, load_district_layer, load_district_layer_from_bytes, no_progress};
