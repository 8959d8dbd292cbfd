//! Spatial indexing: an R-tree over district bounding boxes with exact refinement.

/// The district R-tree and its queries.
pub mod district_index;

/// The reference layers' R-tree: features in a box, the feature under the pointer.
pub mod feature_index;

/// Many point-in-district answers from latitude-banded ring edges.
pub mod point_locator;

pub use district_index::{DistrictIndex, NearbyDistrict};
pub use feature_index::FeatureIndex;
pub use point_locator::PointLocator;
