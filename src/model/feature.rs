//! One feature of a reference layer as read: its geometry of any kind in longitude/latitude and
//! its properties (the layer it belongs to, with its index and drawing data, is the
//! workspace's [`FeatureLayer`](crate::workspace::FeatureLayer)).

use geo::{LineString, MultiPolygon};
use serde_json::{Map, Value};

/// One feature of a reference layer.
#[derive(Clone, Debug, PartialEq)]
pub struct Feature {
    /// Its position among the file's features (skipped ones included), 0-based.
    pub file_index: usize,
    /// Its points, longitude/latitude.
    pub points: Vec<[f64; 2]>,
    /// Its lines, longitude/latitude.
    pub lines: Vec<LineString<f64>>,
    /// Its areas, rings oriented as districts' are.
    pub polygons: MultiPolygon<f64>,
    /// Every attribute.
    pub properties: Map<String, Value>,
}
