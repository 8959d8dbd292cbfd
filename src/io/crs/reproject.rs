//! Turning a file's coordinates into WGS 84 longitude/latitude once, at load, with proj4rs.

use proj4rs::Proj;
use proj4rs::transform::transform;

use super::definition::{CrsDefinition, CrsError};

/// A position in a file's own coordinate system (metres, feet or degrees, as the system says).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SourceXy(pub [f64; 2]);

/// A position in WGS 84 longitude/latitude, degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LonLat(pub [f64; 2]);

/// The transformation from one coordinate system to WGS 84 longitude/latitude.
pub struct Reprojector {
    from: Option<Proj>,
    to: Proj,
    from_lat_long: bool,
}

impl std::fmt::Debug for Reprojector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reprojector")
            .field("identity", &self.from.is_none())
            .finish()
    }
}

impl Reprojector {
    /// The transformation from `crs`.
    pub fn new(crs: &CrsDefinition) -> Result<Self, CrsError> {
        let (wgs84, system, lat_long) = projections(crs)?;
        Ok(Self {
            from: system,
            to: wgs84,
            from_lat_long: lat_long,
        })
    }

    /// True when the coordinates are WGS 84 longitude/latitude already.
    pub fn is_identity(&self) -> bool {
        self.from.is_none()
    }

    /// One position in WGS 84; `None` where the system cannot place it (outside its domain).
    ///
    /// ```
    /// use mahalleh::io::crs::{crs_from_epsg, Reprojector, SourceXy};
    /// let utm39 = Reprojector::new(&crs_from_epsg(32639).unwrap()).unwrap();
    /// // The central meridian at the equator.
    /// let p = utm39.lon_lat(SourceXy([500_000.0, 0.0])).unwrap();
    /// assert!((p.0[0] - 51.0).abs() < 1e-9 && p.0[1].abs() < 1e-9);
    /// ```
    pub fn lon_lat(&self, p: SourceXy) -> Option<LonLat> {
        let Some(from) = &self.from else {
            return Some(LonLat(p.0));
        };
        let [x, y] = p.0;
        let mut point = if self.from_lat_long {
            (x.to_radians(), y.to_radians(), 0.0)
        } else {
            (x, y, 0.0)
        };
        transform(from, &self.to, &mut point).ok()?;
        let (lon, lat) = (point.0.to_degrees(), point.1.to_degrees());
        (lon.is_finite() && lat.is_finite()).then_some(LonLat([lon, lat]))
    }

    /// Every position in place; the index of the first one that cannot be placed, as an error.
    pub fn lon_lat_in_place(&self, positions: &mut [[f64; 2]]) -> Result<(), usize> {
        if self.is_identity() {
            return Ok(());
        }
        for (k, p) in positions.iter_mut().enumerate() {
            *p = self.lon_lat(SourceXy(*p)).ok_or(k)?.0;
        }
        Ok(())
    }
}

/// WGS 84 longitude/latitude, and `crs` (none when it is WGS 84 itself) with whether it is in
/// degrees: the two ends of either direction.
fn projections(crs: &CrsDefinition) -> Result<(Proj, Option<Proj>, bool), CrsError> {
    let unusable = |e: proj4rs::errors::Error| CrsError::Unusable {
        name: crs.name.clone(),
        reason: e.to_string(),
    };
    let wgs84 = Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs").map_err(unusable)?;
    if crs.is_wgs84_lon_lat {
        return Ok((wgs84, None, true));
    }
    let system = Proj::from_proj_string(&crs.proj).map_err(unusable)?;
    let lat_long = system.is_latlong();
    Ok((wgs84, Some(system), lat_long))
}

/// The transformation from WGS 84 longitude/latitude into a coordinate system: for writing files
/// in the system a municipality works in.
pub struct Projector {
    from: Proj,
    to: Option<Proj>,
    to_lat_long: bool,
}

impl std::fmt::Debug for Projector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Projector")
            .field("identity", &self.to.is_none())
            .finish()
    }
}

impl Projector {
    /// The transformation into `crs`.
    pub fn new(crs: &CrsDefinition) -> Result<Self, CrsError> {
        let (wgs84, system, lat_long) = projections(crs)?;
        Ok(Self {
            from: wgs84,
            to: system,
            to_lat_long: lat_long,
        })
    }

    /// One position in the target system; `None` where it cannot be placed.
    ///
    /// ```
    /// use mahalleh::io::crs::{crs_from_epsg, LonLat, Projector};
    /// let utm39 = Projector::new(&crs_from_epsg(32639).unwrap()).unwrap();
    /// let p = utm39.xy(LonLat([51.0, 0.0])).unwrap();
    /// assert!((p.0[0] - 500_000.0).abs() < 1e-6 && p.0[1].abs() < 1e-6);
    /// ```
    pub fn xy(&self, p: LonLat) -> Option<SourceXy> {
        let Some(to) = &self.to else {
            return Some(SourceXy(p.0));
        };
        let mut point = (p.0[0].to_radians(), p.0[1].to_radians(), 0.0);
        transform(&self.from, to, &mut point).ok()?;
        let (x, y) = if self.to_lat_long {
            (point.0.to_degrees(), point.1.to_degrees())
        } else {
            (point.0, point.1)
        };
        (x.is_finite() && y.is_finite()).then_some(SourceXy([x, y]))
    }
}

#[cfg(test)]
mod tests {
    use super::super::definition::crs_from_epsg;
    use super::*;

    #[test]
    fn projecting_and_reprojecting_come_back_within_a_millimetre() {
        for code in [32639, 2060, 3857, 2263] {
            let crs = crs_from_epsg(code).unwrap();
            let (forward, back) = (Projector::new(&crs).unwrap(), Reprojector::new(&crs).unwrap());
            let start = LonLat([
                if code == 2263 { -73.9 } else { 54.37 },
                if code == 2263 { 40.7 } else { 31.9 },
            ]);
            let there = forward.xy(start).unwrap();
            let again = back.lon_lat(there).unwrap();
            let error_m = (again.0[0] - start.0[0]).abs().max((again.0[1] - start.0[1]).abs()) * 111_000.0;
            assert!(error_m < 1e-3, "EPSG:{code}: {error_m} m");
        }
    }

    #[test]
    fn us_survey_feet_and_datum_shifts_are_applied() {
        // EPSG:2263 (NAD83 / New York Long Island, US survey feet): the projection's origin.
        let ny = Reprojector::new(&crs_from_epsg(2263).unwrap()).unwrap();
        let origin = ny.lon_lat(SourceXy([984_250.0, 0.0])).unwrap();
        assert!((origin.0[0] + 74.0).abs() < 1e-6, "{origin:?}");
        assert!((origin.0[1] - 40.1666667).abs() < 1e-6, "{origin:?}");
        // ED50(ED77) / UTM 40N against WGS 84 / UTM 40N at one point: the shift is tens of metres
        // (about 0.001° here), never zero.
        let ed = Reprojector::new(&crs_from_epsg(2060).unwrap()).unwrap();
        let wgs = Reprojector::new(&crs_from_epsg(32640).unwrap()).unwrap();
        let xy = SourceXy([236_000.0, 3_534_000.0]);
        let (a, b) = (ed.lon_lat(xy).unwrap().0, wgs.lon_lat(xy).unwrap().0);
        let apart_deg = (a[0] - b[0]).hypot(a[1] - b[1]);
        assert!(apart_deg > 5e-4 && apart_deg < 5e-3, "{apart_deg}");
    }
}
