//! Turning flat coordinates into checked polygons: ring length, finite values, longitude and
//! latitude ranges, closing open rings and noticing crossings.

use geo::{Coord, LineString, Polygon};

use super::crossings::first_crossing_sparing;
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
        note_crossing(&shape, polygon, warnings);
        polygons.push(shape);
    }
    Ok(polygons)
}

/// [`polygons_from`] taking `coords` whole: the exterior of a lone polygon, as most districts
/// are, stays in the buffer it was read into (its holes are copied out of it first).
pub(crate) fn polygons_from_owned(
    coords: Coordinates,
    first_polygon: usize,
    warnings: &mut Vec<LoadWarning>,
) -> Result<Vec<Polygon<f64>>, SkipReason> {
    let rings = coords.ring_ends.len();
    if coords.polygon_ends != [rings] || coords.ring_ends.last() != Some(&coords.positions.len()) {
        return polygons_from(&coords, first_polygon, warnings);
    }
    let ring_range = |r: usize| if r == 0 { 0 } else { coords.ring_ends[r - 1] }..coords.ring_ends[r];
    // Checked and warned about in ring order, as `polygons_from` does.
    for r in 0..rings {
        let ring = &coords.positions[ring_range(r)];
        check_ring(ring, first_polygon, r)?;
        if ring.first() != ring.last() {
            warnings.push(LoadWarning::RingClosed {
                polygon: first_polygon,
                ring: r,
            });
        }
    }
    let close = |ring| closed(ring).0;
    let holes: Vec<LineString<f64>> = (1..rings)
        .map(|r| {
            close(
                coords.positions[ring_range(r)]
                    .iter()
                    .map(|&[x, y]| Coord { x, y })
                    .collect(),
            )
        })
        .collect();
    let mut positions = coords.positions;
    positions.truncate(coords.ring_ends[0]);
    // Same size and alignment: collected in place.
    let exterior = close(positions.into_iter().map(|[x, y]| Coord { x, y }).collect());
    let shape = Polygon::new(exterior, holes);
    note_crossing(&shape, first_polygon, warnings);
    Ok(vec![shape])
}

/// Warns when the rings of `shape` (polygon number `polygon`) cross.
fn note_crossing(shape: &Polygon<f64>, polygon: usize, warnings: &mut Vec<LoadWarning>) {
    let ring_coords: Vec<&[Coord<f64>]> = std::iter::once(shape.exterior())
        .chain(shape.interiors())
        .map(|r| r.0.as_slice())
        .collect();
    // A ring that is star-shaped about its middle cannot cross or touch itself: a lone one is
    // spared the crossing test, and one of several only meets the other rings' edges.
    let simple: Vec<bool> = ring_coords
        .iter()
        .map(|ring| star_centre(ring.len().saturating_sub(1), |i| [ring[i].x, ring[i].y]).is_some())
        .collect();
    if simple != [true]
        && let Some(at) = first_crossing_sparing(&ring_coords, &simple)
    {
        warnings.push(LoadWarning::SelfIntersection {
            polygon,
            lon: at.x,
            lat: at.y,
        });
    }
}

fn ring_from(
    positions: &[[f64; 2]],
    polygon: usize,
    ring: usize,
    warnings: &mut Vec<LoadWarning>,
) -> Result<LineString<f64>, SkipReason> {
    check_ring(positions, polygon, ring)?;
    let mut coords: Vec<Coord<f64>> = Vec::with_capacity(positions.len() + 1);
    coords.extend(positions.iter().map(|&[x, y]| Coord { x, y }));
    Ok(closed_ring(coords, polygon, ring, warnings))
}

/// `coords` as a ring, closed with its first position (and a warning) when it is open.
fn closed_ring(
    coords: Vec<Coord<f64>>,
    polygon: usize,
    ring: usize,
    warnings: &mut Vec<LoadWarning>,
) -> LineString<f64> {
    let (ring_string, was_open) = closed(coords);
    if was_open {
        warnings.push(LoadWarning::RingClosed { polygon, ring });
    }
    ring_string
}

/// `coords` as a ring, closed with its first position when it is open; whether it was.
fn closed(mut coords: Vec<Coord<f64>>) -> (LineString<f64>, bool) {
    let open = matches!((coords.first(), coords.last()), (Some(first), Some(last)) if first != last);
    if open {
        coords.push(coords[0]);
    }
    (LineString::new(coords), open)
}

/// Why ring `ring` of polygon `polygon` cannot be used, if it cannot: too short, a coordinate
/// not finite or outside longitude/latitude range.
fn check_ring(positions: &[[f64; 2]], polygon: usize, ring: usize) -> Result<(), SkipReason> {
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
    Ok(())
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

    #[test]
    fn owned_coordinates_give_what_borrowed_ones_give() {
        let closed = [[54.0, 31.0], [54.1, 31.0], [54.1, 31.1], [54.0, 31.0]];
        let open = [[54.0, 31.0], [54.1, 31.0], [54.1, 31.1], [54.0, 31.1]];
        let bow = [[54.0, 31.0], [54.1, 31.1], [54.1, 31.0], [54.0, 31.1], [54.0, 31.0]];
        let short = [[54.0, 31.0], [54.1, 31.0], [54.0, 31.0]];
        let far = [[54.0, 31.0], [254.1, 31.0], [54.1, 31.1], [54.0, 31.0]];
        let hole = [[54.02, 31.02], [54.03, 31.02], [54.03, 31.03], [54.02, 31.02]];
        let open_hole = &hole[..3];
        let cases: [&[&[[f64; 2]]]; 11] = [
            &[&closed],
            &[&open],
            &[&bow],
            &[&short],
            &[&far],
            &[&closed, &hole],
            &[&open, open_hole, &hole],
            &[&closed, &short],
            &[&closed, &hole, &far],
            &[&bow, &hole],
            &[&hole, &closed],
        ];
        for rings in cases {
            let c = coords(rings);
            let (mut w1, mut w2) = (Vec::new(), Vec::new());
            let borrowed = polygons_from(&c, 2, &mut w1);
            assert_eq!(polygons_from_owned(c, 2, &mut w2), borrowed, "{rings:?}");
            assert_eq!(w1, w2, "{rings:?}");
        }
        let c = coords(&[&closed]);
        let buffer = c.positions.as_ptr() as usize;
        let p = polygons_from_owned(c, 0, &mut Vec::new()).unwrap();
        assert_eq!(p[0].exterior().0.as_ptr() as usize, buffer, "the ring was copied");
        let c = coords(&[&open, &hole]);
        let buffer = c.positions.as_ptr() as usize;
        let p = polygons_from_owned(c, 0, &mut Vec::new()).unwrap();
        assert_eq!(p[0].exterior().0.as_ptr() as usize, buffer, "the exterior was copied");
        assert_eq!((p[0].exterior().0.len(), p[0].interiors().len()), (5, 1));
    }
}
