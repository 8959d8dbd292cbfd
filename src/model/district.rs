//! One district (or neighbourhood): its shape in longitude/latitude and every property it came with.

use geo::{BoundingRect, MultiPolygon, Rect};
use serde_json::{Map, Value};

/// The smallest rectangle holding both `a` and `b`.
///
/// ```
/// use geo::{coord, Rect};
/// let u = mahalleh::model::union_rect(Rect::new(coord! {x: 0., y: 0.}, coord! {x: 1., y: 1.}),
///                                     Rect::new(coord! {x: 2., y: -1.}, coord! {x: 3., y: 0.5}));
/// assert_eq!((u.min().x, u.min().y, u.max().x, u.max().y), (0., -1., 3., 1.));
/// ```
pub fn union_rect(a: Rect<f64>, b: Rect<f64>) -> Rect<f64> {
    Rect::new(
        geo::coord! {x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y)},
        geo::coord! {x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y)},
    )
}

/// A polygonal area read from a boundary file.
#[derive(Clone, Debug, PartialEq)]
pub struct District {
    /// Position of the source feature in the file's feature list, 0-based. Messages and reports
    /// name districts by this index, so it survives skipped features.
    pub feature_index: usize,
    /// The shape in WGS 84 longitude/latitude degrees; rings are closed, exteriors first.
    pub shape_lon_lat: MultiPolygon<f64>,
    /// Every property of the feature, nested objects included, in file order.
    pub properties: Map<String, Value>,
    /// The feature's `id` member, if it had one.
    pub id: Option<Value>,
    /// Bounding box of `shape_lon_lat`.
    pub bbox_lon_lat: Rect<f64>,
}

impl District {
    /// A district from its shape; `None` when the shape has no coordinates.
    pub fn new(feature_index: usize, shape_lon_lat: MultiPolygon<f64>, properties: Map<String, Value>) -> Option<Self> {
        let bbox_lon_lat = shape_lon_lat.bounding_rect()?;
        Some(Self {
            feature_index,
            shape_lon_lat,
            properties,
            id: None,
            bbox_lon_lat,
        })
    }

    /// Number of positions in all rings (closing positions included).
    pub fn vertex_count(&self) -> usize {
        self.shape_lon_lat
            .iter()
            .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
            .sum()
    }
}
