//! The map as geometry, with no UI types: projection and districts prepared for drawing.

/// Districts triangulated and outlined for drawing.
pub mod drawing;
/// Unions of boxes and a layer's main area.
pub mod extent;
/// Reference layers' paths, points and fills in Web Mercator.
pub mod feature_drawing;
/// Triangles filling a polygon, big ones cut into pieces first.
pub mod fill_triangles;
/// Points inside polygons for labels.
pub mod label_anchor;
/// The map's colours, shared by the window and layouts.
pub mod palette;
/// Web Mercator.
pub mod projection;
/// Round lengths for scale bars.
pub mod scale;
/// Ring simplification for levels of detail.
pub mod simplify;
/// Fans filling rings that are star-shaped about their middle.
pub mod star_fan;

pub use drawing::{DistrictDrawing, LayerDrawing, RingSpan, TriangleCorners, Triangles, label_anchors_lon_lat};
pub use feature_drawing::FeatureDrawing;
pub use fill_triangles::{PolygonFill, fill_polygon};
pub use label_anchor::label_anchor;
pub use projection::{EARTH_RADIUS_M, LocalMercator, MAX_LATITUDE, lon_lat_from_mercator, mercator_from_lon_lat};
pub use simplify::simplify_ring;
pub use star_fan::{FanFrom, StarFan, star_centre, star_fan};
