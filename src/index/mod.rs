//! Spatial indexing: an R-tree over district bounding boxes with exact refinement.

/// The district R-tree and its queries.
pub mod district_index;

pub use district_index::{DistrictIndex, NearbyDistrict};
