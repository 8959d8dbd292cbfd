//! Turning flat coordinates into checked polygons: ring length, finite values, longitude and
//! latitude ranges, closing open rings and noticing crossings.

use geo::{Coord, LineString, Polygon};

use super::crossings::first_crossing;
use super::object::Coordinates;
use crate::map::star_centre;
use crate::model::{LoadWarning, SkipReason};

/// Builds the polygons of `coords`, read as polygons (height 2) or multipolygons (height 3).
/// `first_polygon` numbers the polygons in messages, for members of a collection.
pub(crate) fn polygons_from(
    coords: &Coordinates,
    first_polygon: usize,
    warnings: &mut Vec<LoadWarning>,
) -> Result<Vec<Polygon<f64>>, SkipReason> {
    let mut polygons = Vec::with_capacity(coords.polygon_ends.len());
    let mut ring_start_index = 0usize;
    for (p, &ring_end_index) in coords.polygon_ends.iter().enumerate() {
        let polygon = first_polygon + p;
        let mut rings = Vec::with_capacity(ring_end_index - ring_start_index);
        for (ring, r) in (ring_start_index..ring_end_index).enumerate() {
            let start = if r == 0 { 0 } else { coords.ring_ends[r - 1] };
            let positions = &coords.positions[start..coords.ring_ends[r]];
            rings.push(ring_from(positions, polygon, ring, warnings)?);
        }
        ring_start_index = ring_end_index;
        let mut rings = rings.into_iter();
        let Some(exterior) = rings.next() else { continue };
        let shape = Polygon::new(exterior, rings.collect());
        let ring_coords: Vec<&[Coord<f64>]> = std::iter::once(shape.exterior())
            .chain(shape.interiors())
            .map(|r| r.0.as_slice())
            .collect();
        // A lone ring that is star-shaped about its middle cannot cross itself: most districts
        // are spared the crossing test that way.
        let simple = match ring_coords.as_slice() {
            [ring] => star_centre(ring.len().saturating_sub(1), |i| [ring[i].x, ring[i].y]).is_some(),
            _ => false,
        };
        if !simple && let Some(at) = first_crossing(&ring_coords) {
            warnings.push(LoadWarning::SelfIntersection {
                polygon,
                lon: at.x,
                lat: at.y,
            });
        }
        polygons.push(shape);
    }
    Ok(polygons)
}

fn ring_from(
    positions: &[[f64; 2]],
    polygon: usize,
    ring: usize,
    warnings: &mut Vec<LoadWarning>,
) -> Result<LineString<f64>, SkipReason> {
    if positions.len() < 4 {
        return Err(SkipReason::RingTooShort {
            polygon,
            ring,
            positions: positions.len(),
        });
    }
    for (position, &[lon, lat]) in positions.iter().enumerate() {
        if !lon.is_finite() || !lat.is_finite() {
            return Err(SkipReason::NonFiniteCoordinate {
                polygon,
                ring,
                position,
            });
        }
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            return Err(SkipReason::OutOfRange {
                polygon,
                ring,
                position,
                lon,
                lat,
            });
        }
    }
    let mut coords: Vec<Coord<f64>> = Vec::with_capacity(positions.len() + 1);
    coords.extend(positions.iter().map(|&[x, y]| Coord { x, y }));
    if positions.first() != positions.last() {
        coords.push(coords[0]);
        warnings.push(LoadWarning::RingClosed { polygon, ring });
    }
    Ok(LineString::new(coords))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coords(rings: &[&[[f64; 2]]]) -> Coordinates {
        let mut c = Coordinates::default();
        for r in rings {
            c.positions.extend_from_slice(r);
            c.ring_ends.push(c.positions.len());
        }
        c.polygon_ends.push(c.ring_ends.len());
        c.height = Some(2);
        c
    }

    #[test]
    fn open_ring_is_closed_with_a_warning() {
        let mut w = Vec::new();
        let c = coords(&[&[[0., 0.], [1., 0.], [1., 1.], [0., 1.]]]);
        let p = polygons_from(&c, 0, &mut w).unwrap();
        assert_eq!(p[0].exterior().0.len(), 5);
        assert_eq!(w, vec![LoadWarning::RingClosed { polygon: 0, ring: 0 }]);
    }

    #[test]
    fn short_ring_and_bad_ranges_skip() {
        let mut w = Vec::new();
        let c = coords(&[
            &[[0., 0.], [1., 0.], [1., 1.], [0., 0.]],
            &[[0., 0.], [1., 0.], [0., 0.]],
        ]);
        assert_eq!(
            polygons_from(&c, 3, &mut w),
            Err(SkipReason::RingTooShort {
                polygon: 3,
                ring: 1,
                positions: 3
            })
        );
        let c = coords(&[&[[0., 0.], [1., 0.], [1., 95.], [0., 0.]]]);
        assert!(matches!(
            polygons_from(&c, 0, &mut w),
            Err(SkipReason::OutOfRange { position: 2, .. })
        ));
        let c = coords(&[&[[0., 0.], [f64::NAN, 0.], [1., 1.], [0., 0.]]]);
        assert!(matches!(
            polygons_from(&c, 0, &mut w),
            Err(SkipReason::NonFiniteCoordinate { position: 1, .. })
        ));
    }

    #[test]
    fn projected_coordinates_get_a_hint() {
        let mut w = Vec::new();
        let c = coords(&[&[
            [230000., 3530000.],
            [231000., 3530000.],
            [231000., 3531000.],
            [230000., 3530000.],
        ]]);
        let err = polygons_from(&c, 0, &mut w).unwrap_err();
        assert!(err.to_string().contains("projected coordinates?"), "{err}");
    }

    #[test]
    fn bowtie_is_kept_with_a_warning() {
        let mut w = Vec::new();
        let c = coords(&[&[[0., 0.], [2., 2.], [2., 0.], [0., 2.], [0., 0.]]]);
        assert_eq!(polygons_from(&c, 0, &mut w).unwrap().len(), 1);
        assert!(matches!(w[..], [LoadWarning::SelfIntersection { polygon: 0, lon, lat }] if lon == 1.0 && lat == 1.0));
    }
}
