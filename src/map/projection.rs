//! Web Mercator (EPSG:3857) in f64, used only for drawing. Distances and areas shown to people are
//! measured on the ellipsoid instead (see [`crate::index`] and `geo`'s geodesic measures).

use std::f64::consts::PI;

/// The sphere radius of Web Mercator, in metres.
pub const EARTH_RADIUS_M: f64 = 6_378_137.0;

/// The latitude where Web Mercator's square world ends, in degrees.
pub const MAX_LATITUDE: f64 = 85.051_128_779_806_59;

/// Web Mercator metres from longitude/latitude degrees; latitudes beyond ±85.05° are clamped.
///
/// ```
/// let [x, y] = mahalleh::map::mercator_from_lon_lat(180.0, 0.0);
/// assert!((x - 20_037_508.342789244).abs() < 1e-6 && y.abs() < 1e-9);
/// ```
pub fn mercator_from_lon_lat(lon: f64, lat: f64) -> [f64; 2] {
    let lat = lat.clamp(-MAX_LATITUDE, MAX_LATITUDE).to_radians();
    let x = EARTH_RADIUS_M * lon.to_radians();
    let y = EARTH_RADIUS_M * (PI / 4.0 + lat / 2.0).tan().ln();
    [x, y]
}

/// Longitude/latitude degrees from Web Mercator metres.
///
/// ```
/// use mahalleh::map::{lon_lat_from_mercator, mercator_from_lon_lat};
/// let [x, y] = mercator_from_lon_lat(54.367, 31.897);
/// let [lon, lat] = lon_lat_from_mercator(x, y);
/// assert!((lon - 54.367).abs() < 1e-9 && (lat - 31.897).abs() < 1e-9);
/// ```
pub fn lon_lat_from_mercator(x: f64, y: f64) -> [f64; 2] {
    let lon = (x / EARTH_RADIUS_M).to_degrees();
    let lat = (2.0 * (y / EARTH_RADIUS_M).exp().atan() - PI / 2.0).to_degrees();
    [lon, lat]
}

/// Web Mercator offsets from a fixed origin for the points of one small area (a district), fast:
/// y by a Taylor polynomial in latitude about the area's middle rather than `tan` and `ln` per
/// vertex. The polynomial is used only where its error, bounded by the Taylor remainder, is
/// below 0.01 mm (areas at most 0.23° tall, below 80° of latitude, less tall towards the
/// poles); elsewhere every point is projected exactly.
#[derive(Clone, Copy, Debug)]
pub struct LocalMercator {
    /// The origin in Web Mercator metres.
    origin_m: [f64; 2],
    /// Middle latitude in radians, the polynomial's centre.
    mid_lat_rad: f64,
    /// `y - origin_y` at `mid_lat_rad`, then the polynomial's coefficients; `None`: exact.
    series: Option<[f64; 5]>,
}

/// Largest half-height in radians (about 0.11°) for which the polynomial is used.
const SERIES_HALF_HEIGHT_RAD: f64 = 0.002;
/// Beyond this latitude (degrees) the terms grow too fast; points are projected exactly.
const SERIES_MAX_LATITUDE: f64 = 80.0;
/// The largest error of the polynomial allowed, metres.
const SERIES_MAX_ERROR_M: f64 = 1e-5;

/// The Taylor remainder's bound for the degree-4 polynomial of y over `half_height_rad` either
/// side of its centre, the fifth derivative R sec (24 tan⁴ + 28 tan² + 5) taken at the area's
/// latitude furthest from the equator, `worst_lat` degrees (where it is largest).
fn series_error_bound_m(worst_lat: f64, half_height_rad: f64) -> f64 {
    let lat = worst_lat.to_radians();
    let (sec, tan) = (1.0 / lat.cos(), lat.tan());
    let t2 = tan * tan;
    let fifth = EARTH_RADIUS_M * sec * (24.0 * t2 * t2 + 28.0 * t2 + 5.0);
    fifth / 120.0 * half_height_rad.powi(5)
}

impl LocalMercator {
    /// For points within the longitude/latitude box `lo..hi` (degrees); the origin is the middle
    /// of the box in Web Mercator.
    pub fn new(lo: [f64; 2], hi: [f64; 2]) -> Self {
        let lo_m = mercator_from_lon_lat(lo[0], lo[1]);
        let hi_m = mercator_from_lon_lat(hi[0], hi[1]);
        let origin_m = [(lo_m[0] + hi_m[0]) / 2.0, (lo_m[1] + hi_m[1]) / 2.0];
        let mid_lat = (lo[1] + hi[1]) / 2.0;
        let half_height_rad = ((hi[1] - lo[1]) / 2.0).to_radians();
        let series = (half_height_rad <= SERIES_HALF_HEIGHT_RAD
            && lo[1] >= -SERIES_MAX_LATITUDE
            && hi[1] <= SERIES_MAX_LATITUDE
            && series_error_bound_m(lo[1].abs().max(hi[1].abs()), half_height_rad) <= SERIES_MAX_ERROR_M)
            .then(|| {
                // The derivatives of y = R ln tan(pi/4 + lat/2): R sec, R sec tan, R sec (2 tan^2 + 1),
                // R sec tan (6 tan^2 + 5), divided by 1!, 2!, 3!, 4!.
                let lat = mid_lat.to_radians();
                let (sec, tan) = (1.0 / lat.cos(), lat.tan());
                let r = EARTH_RADIUS_M;
                [
                    mercator_from_lon_lat(0.0, mid_lat)[1] - origin_m[1],
                    r * sec,
                    r * sec * tan / 2.0,
                    r * sec * (2.0 * tan * tan + 1.0) / 6.0,
                    r * sec * tan * (6.0 * tan * tan + 5.0) / 24.0,
                ]
            });
        Self {
            origin_m,
            mid_lat_rad: mid_lat.to_radians(),
            series,
        }
    }

    /// The origin, in Web Mercator metres.
    pub fn origin_m(&self) -> [f64; 2] {
        self.origin_m
    }

    /// The point `lon, lat` (degrees) in Web Mercator metres from the origin.
    ///
    /// ```
    /// use mahalleh::map::{LocalMercator, mercator_from_lon_lat};
    /// let local = LocalMercator::new([54.30, 31.85], [54.42, 31.95]);
    /// let [x, y] = local.offset_m(54.33, 31.93);
    /// let exact = mercator_from_lon_lat(54.33, 31.93);
    /// let o = local.origin_m();
    /// assert!((x + o[0] - exact[0]).abs() < 1e-6 && (y + o[1] - exact[1]).abs() < 1e-4);
    /// ```
    #[inline]
    pub fn offset_m(&self, lon: f64, lat: f64) -> [f64; 2] {
        match &self.series {
            Some([c0, c1, c2, c3, c4]) => {
                let d = lat.to_radians() - self.mid_lat_rad;
                let y = c0 + d * (c1 + d * (c2 + d * (c3 + d * c4)));
                [EARTH_RADIUS_M * lon.to_radians() - self.origin_m[0], y]
            }
            None => {
                let [x, y] = mercator_from_lon_lat(lon, lat);
                [x - self.origin_m[0], y - self.origin_m[1]]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn round_trip_is_identity(lon in -180.0f64..180.0, lat in -85.0f64..85.0) {
            let [x, y] = mercator_from_lon_lat(lon, lat);
            let [lon2, lat2] = lon_lat_from_mercator(x, y);
            prop_assert!((lon - lon2).abs() < 1e-9 && (lat - lat2).abs() < 1e-9);
        }
    }

    proptest! {
        #[test]
        fn local_offsets_match_exact_projection(
            lon in -180.0f64..179.0,
            lat in -84.0f64..84.0,
            w in 0.0f64..1.0,
            h in 0.0f64..0.3,
            u in 0.0f64..1.0,
            v in 0.0f64..1.0,
        ) {
            let (lo, hi) = ([lon, lat], [lon + w, (lat + h).min(85.0)]);
            let local = LocalMercator::new(lo, hi);
            let (plon, plat) = (lo[0] + u * (hi[0] - lo[0]), lo[1] + v * (hi[1] - lo[1]));
            let [x, y] = local.offset_m(plon, plat);
            let exact = mercator_from_lon_lat(plon, plat);
            let o = local.origin_m();
            prop_assert!((x + o[0] - exact[0]).abs() < 1e-6, "x {} vs {}", x + o[0], exact[0]);
            prop_assert!((y + o[1] - exact[1]).abs() < 1e-4, "y {} vs {}", y + o[1], exact[1]);
        }
    }

    #[test]
    fn the_polynomial_is_left_where_its_error_would_show_near_80_degrees() {
        // The case proptest found: 0.22° tall at 79.3° S was 0.15 mm off.
        let (lo, hi) = ([0.0, -79.339657716886], [0.0, -79.339657716886 + 0.2210335615707472]);
        let local = LocalMercator::new(lo, hi);
        let [_, y] = local.offset_m(0.0, lo[1]);
        let exact = mercator_from_lon_lat(0.0, lo[1]);
        assert!((y + local.origin_m()[1] - exact[1]).abs() < 1e-5);
        assert!(series_error_bound_m(79.34, 0.0019) > SERIES_MAX_ERROR_M);
        // A Yazd district keeps the fast path, its error far below the allowance.
        assert!(series_error_bound_m(31.95, 0.0019) < 1e-7);
    }

    #[test]
    fn poles_are_clamped() {
        let [_, y] = mercator_from_lon_lat(0.0, 90.0);
        assert!((y - 20_037_508.342789244).abs() < 1e-3, "{y}");
    }
}
