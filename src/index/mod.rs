//! Spatial indexing: an R-tree over district bounding boxes with exact refinement.

/// The district R-tree and its queries.
pub mod district_index;

/// Many point-in-district answers from latitude-banded ring edges.
pub mod point_locator;

pub use district_index::{DistrictIndex, NearbyDistrict};
pub use point_locator::PointLocator;
