//! Areas on the WGS 84 ellipsoid (Karney's algorithm, GeographicLib) that do not depend on which
//! way rings are wound. geo's `geodesic_area_unsigned` takes a clockwise exterior as "everything
//! but this" and returns the rest of the globe; boolean operations on odd shapes (spikes,
//! self-touching rings) return clockwise rings even from counter-clockwise input. Every area in
//! the core goes through here.

use std::sync::LazyLock;

use geo::{LineString, MultiPolygon, Polygon};
use geographiclib_rs::{Geodesic, PolygonArea, Winding};

/// The WGS 84 ellipsoid's geodesics, built once.
pub(crate) static WGS84: LazyLock<Geodesic> = LazyLock::new(Geodesic::wgs84);

/// The area inside a ring, m², whichever way it winds (rings smaller than half the globe).
///
/// ```
/// use geo::LineString;
/// let ccw = LineString::from(vec![(54.0, 32.0), (54.01, 32.0), (54.01, 32.01), (54.0, 32.01), (54.0, 32.0)]);
/// let mut cw = ccw.clone();
/// cw.0.reverse();
/// let a = mahalleh::analysis::ring_area_m2(&ccw);
/// assert_eq!(a, mahalleh::analysis::ring_area_m2(&cw));
/// // 0.01° of latitude is 1,109 m there, 0.01° of longitude 944 m.
/// assert!((a - 1_047_748.0).abs() < 1.0, "{a}");
/// ```
pub fn ring_area_m2(ring: &LineString<f64>) -> f64 {
    if ring.0.len() < 3 {
        return 0.0;
    }
    let mut area = PolygonArea::new(&WGS84, Winding::CounterClockwise);
    for c in &ring.0 {
        area.add_point(c.y, c.x);
    }
    area.compute(true).1.abs()
}

/// A polygon's area, m²: its exterior less its holes, never below zero.
pub fn polygon_area_m2(polygon: &Polygon<f64>) -> f64 {
    let holes: f64 = polygon.interiors().iter().map(ring_area_m2).sum();
    (ring_area_m2(polygon.exterior()) - holes).max(0.0)
}

/// The area of all polygons of a shape, m².
pub fn area_m2(shape: &MultiPolygon<f64>) -> f64 {
    shape.0.iter().map(polygon_area_m2).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{GeodesicArea, polygon};

    #[test]
    fn winding_changes_nothing_and_holes_are_taken_out() {
        let p = polygon![
            exterior: [(x: 54.0, y: 32.0), (x: 54.1, y: 32.0), (x: 54.1, y: 32.1), (x: 54.0, y: 32.1)],
            interiors: [[(x: 54.02, y: 32.02), (x: 54.02, y: 32.05), (x: 54.05, y: 32.05), (x: 54.05, y: 32.02)]],
        ];
        let mut oriented = MultiPolygon::new(vec![p.clone()]);
        crate::model::orient_rings(&mut oriented);
        // On correctly wound rings, geo and this agree.
        let expected = oriented.geodesic_area_unsigned();
        assert!((area_m2(&oriented) - expected).abs() < 1e-6 * expected);
        // Any winding of any ring gives the same.
        let mut reversed = oriented.clone();
        reversed.0[0].exterior_mut(|r| r.0.reverse());
        reversed.0[0].interiors_mut(|holes| holes[0].0.reverse());
        assert!((area_m2(&reversed) - expected).abs() < 1e-6 * expected);
        let outer = ring_area_m2(oriented.0[0].exterior());
        assert!(expected < outer * 0.95, "the hole is out: {expected} of {outer}");
    }
}
