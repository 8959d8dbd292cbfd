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

    #[test]
    fn poles_are_clamped() {
        let [_, y] = mercator_from_lon_lat(0.0, 90.0);
        assert!((y - 20_037_508.342789244).abs() < 1e-3, "{y}");
    }
}
