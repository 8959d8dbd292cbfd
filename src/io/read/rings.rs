//! Rings without structure (a Shapefile polygon's parts) into polygons: each ring's place is
//! found by containment, not by order or winding, since real files get both wrong. A ring inside
//! an even number of others is an exterior; inside an odd number, a hole of the ring around it.

use crate::io::object::Coordinates;
use crate::model::twice_signed_area;

/// The lines starting at `parts` in `points` (a Shapefile polyline's parts), each with two
/// positions or more.
pub(crate) fn lines_of_parts(parts: &[usize], points: &[[f64; 2]]) -> Coordinates {
    let lines = parts
        .iter()
        .enumerate()
        .map(|(k, &start)| &points[start..parts.get(k + 1).copied().unwrap_or(points.len()).max(start)])
        .filter(|line| line.len() >= 2)
        .map(<[[f64; 2]]>::to_vec)
        .collect();
    Coordinates {
        lines,
        ..Coordinates::default()
    }
}

/// The rings starting at `parts` in `points`, grouped into polygons: exteriors first in each,
/// polygons in the order of their exteriors in the record. When the record already lists its
/// rings that way (nearly every file), `points` becomes the result without a copy.
pub(crate) fn polygons_by_containment(parts: &[usize], points: Vec<[f64; 2]>) -> Coordinates {
    if parts == [0] && !points.is_empty() {
        // One ring, as most records are: an exterior alone, nothing to sort out.
        return Coordinates {
            height: Some(3),
            ring_ends: vec![points.len()],
            polygon_ends: vec![1],
            positions: points,
            ..Coordinates::default()
        };
    }
    let rings: Vec<std::ops::Range<usize>> = parts
        .iter()
        .enumerate()
        .map(|(k, &start)| start..parts.get(k + 1).copied().unwrap_or(points.len()))
        .filter(|r| !r.is_empty())
        .collect();
    let boxes: Vec<[f64; 4]> = rings.iter().map(|r| bbox(&points[r.clone()])).collect();
    let areas: Vec<f64> = rings
        .iter()
        .map(|r| twice_signed_area(r.len(), |i| points[r.start + i]).abs())
        .collect();
    let mut order: Vec<usize> = (0..rings.len()).collect();
    order.sort_by(|&a, &b| areas[b].total_cmp(&areas[a]).then(a.cmp(&b)));
    let mut parent: Vec<Option<usize>> = vec![None; rings.len()];
    let mut depth = vec![0usize; rings.len()];
    for (k, &r) in order.iter().enumerate() {
        let probe = probe_point(&points[rings[r].clone()]);
        // The smallest ring already placed around this one.
        let around = order[..k]
            .iter()
            .rev()
            .copied()
            .find(|&c| contains_box(boxes[c], boxes[r]) && point_in_ring(probe, &points[rings[c].clone()]));
        if let Some(c) = around {
            depth[r] = depth[c] + 1;
            parent[r] = Some(c);
        }
    }
    let mut ring_order = Vec::with_capacity(rings.len());
    let mut polygon_ends = Vec::new();
    for exterior in (0..rings.len()).filter(|&r| depth[r].is_multiple_of(2)) {
        let holes = (0..rings.len()).filter(|&h| !depth[h].is_multiple_of(2) && parent[h] == Some(exterior));
        ring_order.extend(std::iter::once(exterior).chain(holes));
        polygon_ends.push(ring_order.len());
    }
    let ring_ends = ring_order
        .iter()
        .scan(0, |end, &r| {
            *end += rings[r].len();
            Some(*end)
        })
        .collect();
    let in_place = ring_order.iter().enumerate().all(|(k, &r)| k == r)
        && rings.iter().map(|r| r.len()).sum::<usize>() == points.len();
    let positions = if in_place {
        points
    } else {
        ring_order
            .iter()
            .flat_map(|&r| points[rings[r].clone()].iter().copied())
            .collect()
    };
    Coordinates {
        height: Some(3),
        positions,
        ring_ends,
        polygon_ends,
        ..Coordinates::default()
    }
}

fn bbox(ring: &[[f64; 2]]) -> [f64; 4] {
    ring.iter().fold(
        [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY],
        |b, p| [b[0].min(p[0]), b[1].min(p[1]), b[2].max(p[0]), b[3].max(p[1])],
    )
}

fn contains_box(outer: [f64; 4], inner: [f64; 4]) -> bool {
    outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3]
}

/// A point of the ring to test against others: the middle of its first edge (a vertex may be
/// shared with the ring around it, as holes touching their exterior are).
fn probe_point(ring: &[[f64; 2]]) -> [f64; 2] {
    match ring {
        [a, b, ..] => [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0],
        [a] => *a,
        [] => [f64::NAN, f64::NAN],
    }
}

/// Even-odd point in ring.
fn point_in_ring(p: [f64; 2], ring: &[[f64; 2]]) -> bool {
    let mut inside = false;
    let n = ring.len();
    for i in 0..n {
        let a = ring[i];
        let b = ring[(i + 1) % n];
        if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0] {
            inside = !inside;
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64, y: f64, s: f64) -> Vec<[f64; 2]> {
        vec![[x, y], [x, y + s], [x + s, y + s], [x + s, y], [x, y]]
    }

    fn record(rings: &[Vec<[f64; 2]>]) -> (Vec<usize>, Vec<[f64; 2]>) {
        let mut parts = Vec::new();
        let mut points = Vec::new();
        for r in rings {
            parts.push(points.len());
            points.extend_from_slice(r);
        }
        (parts, points)
    }

    #[test]
    fn holes_go_to_the_ring_around_them_whatever_the_order_and_winding() {
        // A hole listed before its exterior, an island inside the hole, and a second polygon;
        // all wound the same way.
        let (parts, points) = record(&[
            square(2.0, 2.0, 2.0),  // hole of the big square
            square(0.0, 0.0, 10.0), // exterior
            square(2.5, 2.5, 0.5),  // island in the hole: an exterior again
            square(20.0, 0.0, 1.0), // another polygon
        ]);
        let c = polygons_by_containment(&parts, points);
        assert_eq!(
            c.polygon_ends,
            vec![2, 3, 4],
            "big square with its hole, island, far square"
        );
        // The big square's polygon: exterior then hole.
        let ring = |k: usize| {
            let start = if k == 0 { 0 } else { c.ring_ends[k - 1] };
            &c.positions[start..c.ring_ends[k]]
        };
        assert_eq!(ring(0)[0], [0.0, 0.0]);
        assert_eq!(ring(1)[0], [2.0, 2.0]);
        assert_eq!(ring(2)[0], [2.5, 2.5]);
        assert_eq!(c.ring_ends, vec![5, 10, 15, 20]);
    }

    #[test]
    fn rings_in_order_are_kept_as_they_are() {
        let (parts, points) = record(&[square(0.0, 0.0, 10.0), square(2.0, 2.0, 2.0), square(20.0, 0.0, 1.0)]);
        let c = polygons_by_containment(&parts, points.clone());
        assert_eq!(c.positions, points);
        assert_eq!(c.ring_ends, vec![5, 10, 15]);
        assert_eq!(c.polygon_ends, vec![2, 3]);
    }

    #[test]
    fn one_ring_is_what_the_general_way_makes_of_it() {
        let (_, points) = record(&[square(3.0, 1.0, 2.0)]);
        let n = points.len();
        // An empty second part is dropped, so this goes the general way to the same ring.
        let general = polygons_by_containment(&[0, n], points.clone());
        assert_eq!(general.polygon_ends, vec![1]);
        assert_eq!(polygons_by_containment(&[0], points), general);
        assert!(polygons_by_containment(&[0], Vec::new()).polygon_ends.is_empty());
    }
}
