//! Finding where the edges of a polygon cross or overlap, by a sweep over edges sorted by their
//! left end, so a ring of n edges costs about n log n rather than n² (small polygons test every
//! pair, which is quicker than sorting).

use geo::kernels::RobustKernel;
use geo::{Coord, Kernel, Line, LineIntersection, Orientation, line_intersection::line_intersection};

/// Up to this many edges, every pair is tested; above it, the sweep.
const SMALL_POLYGON_EDGES: usize = 48;

/// An edge of a polygon: its ring, its index within the ring, and its ends.
#[derive(Clone, Copy)]
struct Edge {
    ring: usize,
    index: usize,
    ring_len: usize,
    line: Line<f64>,
    min_x: f64,
    max_x: f64,
    min_y: f64,
    max_y: f64,
}

/// The first place (in sweep order) where two edges of the polygon made of `rings` cross, or
/// overlap along a stretch. Rings are closed coordinate lists. Edges that only share an end
/// (neighbours in a ring, or two rings touching at a vertex) do not count.
///
/// ```
/// use geo::coord;
/// let bowtie = vec![coord! {x: 0., y: 0.}, coord! {x: 2., y: 2.}, coord! {x: 2., y: 0.},
///                   coord! {x: 0., y: 2.}, coord! {x: 0., y: 0.}];
/// let at = mahalleh::io::first_crossing(&[&bowtie]).unwrap();
/// assert!((at.x - 1.0).abs() < 1e-12 && (at.y - 1.0).abs() < 1e-12);
/// ```
pub fn first_crossing(rings: &[&[Coord<f64>]]) -> Option<Coord<f64>> {
    let mut edges = Vec::with_capacity(rings.iter().map(|r| r.len()).sum());
    for (ring, coords) in rings.iter().enumerate() {
        let ring_len = coords.len().saturating_sub(1);
        for (index, pair) in coords.windows(2).enumerate() {
            let line = Line::new(pair[0], pair[1]);
            let (min_x, max_x) = if pair[0].x <= pair[1].x {
                (pair[0].x, pair[1].x)
            } else {
                (pair[1].x, pair[0].x)
            };
            let (min_y, max_y) = min_max(pair[0].y, pair[1].y);
            edges.push(Edge {
                ring,
                index,
                ring_len,
                line,
                min_x,
                max_x,
                min_y,
                max_y,
            });
        }
    }
    // A few dozen edges (most districts) are quicker to test pair by pair than to sort.
    if edges.len() <= SMALL_POLYGON_EDGES {
        for (i, a) in edges.iter().enumerate() {
            for b in &edges[i + 1..] {
                if a.max_x >= b.min_x
                    && b.max_x >= a.min_x
                    && a.max_y >= b.min_y
                    && b.max_y >= a.min_y
                    && let Some(at) = crossing(a, b)
                {
                    return Some(at);
                }
            }
        }
        return None;
    }
    edges.sort_unstable_by(|a, b| a.min_x.total_cmp(&b.min_x));
    let mut active: Vec<Edge> = Vec::new();
    for edge in edges {
        active.retain(|a| a.max_x >= edge.min_x);
        for other in &active {
            if let Some(at) = crossing(other, &edge) {
                return Some(at);
            }
        }
        active.push(edge);
    }
    None
}

fn are_neighbours(a: &Edge, b: &Edge) -> bool {
    if a.ring != b.ring {
        return false;
    }
    let d = a.index.abs_diff(b.index);
    d == 1 || d + 1 == a.ring_len
}

fn crossing(a: &Edge, b: &Edge) -> Option<Coord<f64>> {
    if a.max_y < b.min_y || b.max_y < a.min_y {
        return None;
    }
    // Most pairs are settled by orientation signs alone; only touching or collinear pairs need
    // the full intersection.
    let side = |l: Line<f64>, p: Coord<f64>| RobustKernel::orient2d(l.start, l.end, p);
    // Neighbours in a ring share a vertex; they can only overlap, and only when the far end of
    // one lies on the line of the other. One orientation settles nearly every such pair.
    if are_neighbours(a, b) {
        let far = if b.line.start == a.line.start || b.line.start == a.line.end {
            Some(b.line.end)
        } else if b.line.end == a.line.start || b.line.end == a.line.end {
            Some(b.line.start)
        } else {
            None
        };
        if far.is_some_and(|p| side(a.line, p) != Orientation::Collinear) {
            return None;
        }
    }
    let (o1, o2) = (side(a.line, b.line.start), side(a.line, b.line.end));
    let (o3, o4) = (side(b.line, a.line.start), side(b.line, a.line.end));
    let collinear = Orientation::Collinear;
    if ![o1, o2, o3, o4].contains(&collinear) {
        return (o1 != o2 && o3 != o4).then(|| crossing_point(a.line, b.line)).flatten();
    }
    match line_intersection(a.line, b.line)? {
        LineIntersection::SinglePoint {
            intersection,
            is_proper,
        } => {
            // Two edges meeting end to end are how rings are made; a vertex of one ring lying on
            // the middle of another edge is a touch that OGC allows between rings, not within one.
            let touches_inside_ring = !is_proper && a.ring == b.ring && !are_neighbours(a, b) && {
                let ends = [a.line.start, a.line.end];
                !(ends.contains(&b.line.start) || ends.contains(&b.line.end))
            };
            (is_proper || touches_inside_ring).then_some(intersection)
        }
        LineIntersection::Collinear { intersection } => {
            (intersection.start != intersection.end).then_some(intersection.start)
        }
    }
}

fn crossing_point(a: Line<f64>, b: Line<f64>) -> Option<Coord<f64>> {
    match line_intersection(a, b)? {
        LineIntersection::SinglePoint { intersection, .. } => Some(intersection),
        LineIntersection::Collinear { intersection } => Some(intersection.start),
    }
}

fn min_max(a: f64, b: f64) -> (f64, f64) {
    if a <= b { (a, b) } else { (b, a) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    fn ring(points: &[(f64, f64)]) -> Vec<Coord<f64>> {
        points.iter().map(|&(x, y)| coord! {x: x, y: y}).collect()
    }

    #[test]
    fn simple_shapes_do_not_cross() {
        let square = ring(&[(0., 0.), (4., 0.), (4., 4.), (0., 4.), (0., 0.)]);
        let hole = ring(&[(1., 1.), (1., 2.), (2., 2.), (2., 1.), (1., 1.)]);
        assert_eq!(first_crossing(&[&square, &hole]), None);
        let concave = ring(&[(0., 0.), (4., 0.), (4., 4.), (2., 1.), (0., 4.), (0., 0.)]);
        assert_eq!(first_crossing(&[&concave]), None);
    }

    #[test]
    fn hole_crossing_the_shell_is_found() {
        let square = ring(&[(0., 0.), (4., 0.), (4., 4.), (0., 4.), (0., 0.)]);
        let hole = ring(&[(3., 1.), (5., 1.), (5., 2.), (3., 2.), (3., 1.)]);
        assert!(first_crossing(&[&square, &hole]).is_some());
    }

    #[test]
    fn spike_back_along_an_edge_is_an_overlap() {
        let spiky = ring(&[(0., 0.), (4., 0.), (2., 0.), (2., 3.), (0., 0.)]);
        assert!(first_crossing(&[&spiky]).is_some());
    }

    #[test]
    fn ring_touching_itself_at_an_edge_counts() {
        // The vertex (2,0) of the notch lies on the middle of the bottom edge.
        let pinched = ring(&[(0., 0.), (4., 0.), (4., 4.), (2., 0.5), (2., 0.), (1., 3.), (0., 0.)]);
        assert!(first_crossing(&[&pinched]).is_some());
    }

    /// The sweep alone, for comparing with the pairwise test on the same rings.
    fn sweep_finds(rings: &[&[Coord<f64>]]) -> bool {
        let mut big: Vec<Vec<Coord<f64>>> = rings.iter().map(|r| r.to_vec()).collect();
        // Pad with a far-away square ring so the edge count passes the pairwise limit.
        let mut far = Vec::new();
        for k in 0..=SMALL_POLYGON_EDGES {
            far.push(coord! {x: 1000.0 + k as f64, y: 1000.0});
        }
        far.push(coord! {x: 1000.0 + SMALL_POLYGON_EDGES as f64, y: 1001.0});
        far.push(coord! {x: 1000.0, y: 1001.0});
        far.push(coord! {x: 1000.0, y: 1000.0});
        big.push(far);
        let refs: Vec<&[Coord<f64>]> = big.iter().map(|r| r.as_slice()).collect();
        first_crossing(&refs).is_some()
    }

    proptest::proptest! {
        /// The pairwise test for small polygons and the sweep agree on random rings.
        #[test]
        fn pairwise_and_sweep_agree(points in proptest::collection::vec((0i32..8, 0i32..8), 3..14)) {
            let mut r: Vec<Coord<f64>> = points.iter().map(|&(x, y)| coord! {x: f64::from(x), y: f64::from(y)}).collect();
            r.dedup();
            if r.len() < 3 {
                return Ok(());
            }
            r.push(r[0]);
            proptest::prop_assert_eq!(first_crossing(&[&r]).is_some(), sweep_finds(&[&r]));
        }
    }
}
