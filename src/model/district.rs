//! One district (or neighbourhood): its shape in longitude/latitude and every property it came with.

use geo::{MultiPolygon, Rect, Winding};
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

/// Turns every exterior ring counter-clockwise and every hole clockwise in longitude/latitude,
/// in place (RFC 7946). Files wind rings either way (Shapefiles and TopoJSON clockwise, most
/// GeoJSON counter-clockwise); areas on the ellipsoid take the winding as the side the area is
/// on, so a clockwise district would measure as the rest of the globe. Done once, when a
/// district is made, so everything after it can rely on it.
///
/// ```
/// use geo::{polygon, MultiPolygon, Winding};
/// let mut shape = MultiPolygon::new(vec![polygon![(x: 0., y: 0.), (x: 0., y: 1.), (x: 1., y: 1.), (x: 1., y: 0.)]]);
/// assert!(shape.0[0].exterior().is_cw());
/// mahalleh::model::orient_rings(&mut shape);
/// assert!(shape.0[0].exterior().is_ccw());
/// ```
pub fn orient_rings(shape: &mut MultiPolygon<f64>) {
    for polygon in &mut shape.0 {
        polygon.exterior_mut(|ring| orient_ring(ring, true));
        polygon.interiors_mut(|holes| {
            for hole in holes {
                orient_ring(hole, false);
            }
        });
    }
}

/// Turns `ring` counter-clockwise (or clockwise), judged by the sign of its area: one pass of
/// arithmetic, where `geo`'s winding test walks to the extreme vertex first. A ring with no
/// area, or a tie in rounding, is left to `geo`'s test.
fn orient_ring(ring: &mut geo::LineString<f64>, counter_clockwise: bool) {
    let twice_area = super::twice_signed_area(ring.0.len(), |i| [ring.0[i].x, ring.0[i].y]);
    if twice_area == 0.0 || !twice_area.is_finite() {
        if counter_clockwise {
            ring.make_ccw_winding();
        } else {
            ring.make_cw_winding();
        }
    } else if (twice_area > 0.0) != counter_clockwise {
        ring.0.reverse();
    }
}

/// The bounding box of every vertex of `shape`, in one plain pass.
fn bounding_rect_of(shape: &MultiPolygon<f64>) -> Option<Rect<f64>> {
    let mut coords = shape
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .flat_map(|ring| ring.0.iter());
    let first = *coords.next()?;
    let (lo, hi) = coords.fold(([first.x, first.y], [first.x, first.y]), |(lo, hi), c| {
        ([lo[0].min(c.x), lo[1].min(c.y)], [hi[0].max(c.x), hi[1].max(c.y)])
    });
    Some(Rect::new(
        geo::coord! {x: lo[0], y: lo[1]},
        geo::coord! {x: hi[0], y: hi[1]},
    ))
}

/// A polygonal area read from a boundary file.
#[derive(Clone, Debug, PartialEq)]
pub struct District {
    /// Position of the source feature in the file's feature list, 0-based. Messages and reports
    /// name districts by this index, so it survives skipped features.
    pub feature_index: usize,
    /// The shape in WGS 84 longitude/latitude degrees; rings are closed, exteriors first,
    /// exteriors counter-clockwise and holes clockwise (RFC 7946), whatever the file had.
    pub shape_lon_lat: MultiPolygon<f64>,
    /// Every property of the feature, nested objects included, in file order.
    pub properties: Map<String, Value>,
    /// The feature's `id` member, if it had one. Boxed: few files have one, and a JSON value
    /// held in place made every district 72 bytes bigger.
    pub id: Option<Box<Value>>,
    /// Bounding box of `shape_lon_lat`.
    pub bbox_lon_lat: Rect<f64>,
}

impl District {
    /// A district from its shape, its rings oriented as RFC 7946 says (see
    /// [`orient_rings`]); `None` when the shape has no coordinates.
    ///
    /// ```
    /// use geo::{polygon, GeodesicArea, MultiPolygon};
    /// // Clockwise, as in every Shapefile: the area is still the district's, not the rest of the globe's.
    /// let clockwise = polygon![(x: 54.0, y: 32.0), (x: 54.0, y: 32.01), (x: 54.01, y: 32.01), (x: 54.01, y: 32.0)];
    /// let d = mahalleh::model::District::new(0, MultiPolygon::new(vec![clockwise]), Default::default()).unwrap();
    /// let area_m2 = d.shape_lon_lat.geodesic_area_unsigned();
    /// assert!((area_m2 - 1_000_000.0).abs() < 100_000.0, "{area_m2}");
    /// ```
    pub fn new(
        feature_index: usize,
        mut shape_lon_lat: MultiPolygon<f64>,
        properties: Map<String, Value>,
    ) -> Option<Self> {
        orient_rings(&mut shape_lon_lat);
        let bbox_lon_lat = bounding_rect_of(&shape_lon_lat)?;
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

    /// Number of rings, exteriors and holes.
    pub fn ring_count(&self) -> usize {
        self.shape_lon_lat.iter().map(|p| 1 + p.interiors().len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{BoundingRect, LineString, Polygon};
    use proptest::prelude::*;

    /// A star-shaped ring about `(cx, cy)` (never crossing itself), clockwise when `cw`.
    fn star(cx: f64, cy: f64, radii: &[f64], cw: bool) -> LineString<f64> {
        let n = radii.len();
        let mut coords: Vec<geo::Coord<f64>> = radii
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let a = std::f64::consts::TAU * i as f64 / n as f64;
                geo::coord! {x: cx + r * a.cos(), y: cy + r * a.sin()}
            })
            .collect();
        if cw {
            coords.reverse();
        }
        coords.push(coords[0]);
        LineString::new(coords)
    }

    proptest! {
        #[test]
        fn orientation_and_box_agree_with_geo(
            cx in -1.0e6f64..1.0e6,
            cy in -1.0e6f64..1.0e6,
            radii in proptest::collection::vec(1.0e-4f64..1.0, 3..40),
            cw in any::<bool>(),
            hole_cw in any::<bool>(),
        ) {
            let hole_radii: Vec<f64> = radii.iter().map(|_| 5.0e-5).collect();
            let polygon = Polygon::new(star(cx, cy, &radii, cw), vec![star(cx, cy, &hole_radii, hole_cw)]);
            let mut shape = MultiPolygon::new(vec![polygon]);
            let geo_box = shape.bounding_rect().unwrap();
            orient_rings(&mut shape);
            prop_assert!(shape.0[0].exterior().is_ccw());
            prop_assert!(shape.0[0].interiors()[0].is_cw());
            prop_assert_eq!(bounding_rect_of(&shape), Some(geo_box));
        }
    }
}
