//! Measuring on the map: the length of a path and the area of the polygon it closes, on the
//! WGS 84 ellipsoid (Karney's geodesics), as the measure tool and `mahalleh measure` show them.

use geo::LineString;
use geographiclib_rs::{Geodesic, InverseGeodesic};

use super::geodesic_area::{WGS84, ring_area_m2};

/// What a drawn path measures, all on the ellipsoid.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Measurement {
    /// Vertices measured.
    pub vertices: usize,
    /// Along the path from its first vertex to its last, m.
    pub length_m: f64,
    /// The last leg alone, m (0 with fewer than two vertices).
    pub last_leg_m: f64,
    /// Around the polygon the path closes (the length plus the leg back to the start), m.
    pub perimeter_m: f64,
    /// Inside the polygon the path closes, m² (0 with fewer than three vertices). A polygon
    /// whose edges cross counts each part once, whichever way it winds.
    pub area_m2: f64,
}

/// The geodesic distance between two longitude/latitude points, m.
///
/// ```
/// // One degree of longitude along the equator is 111,319.49 m on WGS 84.
/// let d = mahalleh::analysis::geodesic_distance_m([0.0, 0.0], [1.0, 0.0]);
/// assert!((d - 111_319.491).abs() < 1e-3, "{d}");
/// ```
pub fn geodesic_distance_m(from_lon_lat: [f64; 2], to_lon_lat: [f64; 2]) -> f64 {
    let geodesic: &Geodesic = &WGS84;
    geodesic.inverse(from_lon_lat[1], from_lon_lat[0], to_lon_lat[1], to_lon_lat[0])
}

/// Measures the path through `lon_lat` (longitude, latitude pairs in degrees). Vertices that
/// are not finite or out of range are left out, so a stray value cannot turn every figure into
/// NaN.
///
/// ```
/// use mahalleh::analysis::measure;
/// // Around a block of 0.01° in Yazd: 944 m east-west, 1,109 m north-south.
/// let m = measure(&[[54.36, 31.89], [54.37, 31.89], [54.37, 31.90], [54.36, 31.90]]);
/// assert_eq!(m.vertices, 4);
/// // pyproj: Geod(ellps="WGS84").line_length and polygon_area_perimeter.
/// assert!((m.length_m - 3_000.863).abs() < 1e-3, "{}", m.length_m);
/// assert!((m.area_m2 - 1_048_979.259).abs() < 1e-2, "{}", m.area_m2);
/// assert!((m.perimeter_m - 4_109.713).abs() < 1e-3, "{}", m.perimeter_m);
/// ```
pub fn measure(lon_lat: &[[f64; 2]]) -> Measurement {
    let points: Vec<[f64; 2]> = lon_lat
        .iter()
        .copied()
        .filter(|[lon, lat]| lon.is_finite() && lat.is_finite() && lon.abs() <= 360.0 && lat.abs() <= 90.0)
        .collect();
    let legs: Vec<f64> = points.windows(2).map(|w| geodesic_distance_m(w[0], w[1])).collect();
    let length_m: f64 = legs.iter().sum();
    let closing_m = match (points.first(), points.last()) {
        (Some(&a), Some(&b)) if points.len() > 2 => geodesic_distance_m(b, a),
        _ => 0.0,
    };
    let area_m2 = if points.len() > 2 {
        let mut ring: Vec<(f64, f64)> = points.iter().map(|&[x, y]| (x, y)).collect();
        ring.push(ring[0]);
        ring_area_m2(&LineString::from(ring))
    } else {
        0.0
    };
    Measurement {
        vertices: points.len(),
        length_m,
        last_leg_m: legs.last().copied().unwrap_or(0.0),
        perimeter_m: length_m + closing_m,
        area_m2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_few_points_measure_nothing_and_bad_values_are_left_out() {
        assert_eq!(measure(&[]), Measurement::default());
        let one = measure(&[[54.0, 32.0]]);
        assert_eq!((one.vertices, one.length_m, one.area_m2), (1, 0.0, 0.0));
        let two = measure(&[[54.0, 32.0], [f64::NAN, 1.0], [54.0, 32.1]]);
        assert_eq!(two.vertices, 2);
        // 0.1° of latitude at 32° N: 11,088 m (GeographicLib).
        assert!((two.length_m - 11_088.0).abs() < 2.0, "{}", two.length_m);
        assert_eq!(two.perimeter_m, two.length_m, "no closing leg for a line");
        assert_eq!(two.area_m2, 0.0);
        assert_eq!(two.last_leg_m, two.length_m);
    }

    #[test]
    fn either_winding_gives_the_same_area_and_the_perimeter_closes() {
        let ccw = [[54.0, 32.0], [54.1, 32.0], [54.1, 32.1], [54.0, 32.1]];
        let mut cw = ccw;
        cw.reverse();
        let (a, b) = (measure(&ccw), measure(&cw));
        assert!((a.area_m2 - b.area_m2).abs() < 1e-6);
        assert!(a.area_m2 > 1.0e8, "{}", a.area_m2);
        let closing = geodesic_distance_m(ccw[3], ccw[0]);
        assert!((a.perimeter_m - a.length_m - closing).abs() < 1e-9);
        assert!((a.last_leg_m - geodesic_distance_m(ccw[2], ccw[3])).abs() < 1e-9);
    }
}
