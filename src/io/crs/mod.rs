//! Coordinate systems of the files read: what a file says it is in, and turning its coordinates
//! into WGS 84 longitude/latitude once, at load.

/// Coordinate systems from EPSG codes and WKT (`.prj`).
pub mod definition;
/// GeoJSON's legacy `crs` member.
pub mod geojson_member;
/// Reprojection to WGS 84.
pub mod reproject;

pub use definition::{CrsDefinition, CrsError, crs_from_epsg, crs_from_wkt, wgs84, wkt_of_epsg};
pub use geojson_member::crs_of_member;
pub use reproject::{LonLat, Projector, Reprojector, SourceXy};
