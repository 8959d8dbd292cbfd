//! Finding where the edges of a polygon cross or overlap. Each ring is cut into x-monotone
//! chains (runs of edges all heading left, or all heading right): two edges of one chain can
//! only meet at a shared vertex, so only edges of different chains are tested, and two chains
//! are walked side by side in x, testing just the edges whose x ranges overlap. A district of
//! forty edges makes a handful of chains, so the check costs about as much as reading it; a
//! coastline of a million edges costs about n log n (a sweep over the chains).

use geo::kernels::RobustKernel;
use geo::{Coord, Kernel, Line, LineIntersection, Orientation, line_intersection::line_intersection};

/// An edge of a polygon: its ring, and its index within the ring (from that vertex to the next).
/// Eight bytes, its ends looked up in the rings when tested: the edges of a country with a
/// million vertices are held at once, and with their ends and boxes copied in (88 bytes each)
/// they were the biggest allocation of a world map's load.
#[derive(Clone, Copy)]
struct Edge {
    ring: u32,
    index: u32,
}

/// An edge with its ends: what the tests work on.
#[derive(Clone, Copy)]
struct EdgeLine {
    ring: u32,
    index: u32,
    /// Vertices in its ring (the closing one not counted).
    ring_len: usize,
    line: Line<f64>,
}

impl EdgeLine {
    /// Edge `e` of `rings`.
    fn of(rings: &[&[Coord<f64>]], e: Edge) -> Self {
        let coords = rings[e.ring as usize];
        let i = e.index as usize;
        Self {
            ring: e.ring,
            index: e.index,
            ring_len: coords.len().saturating_sub(1),
            line: Line::new(coords[i], coords[i + 1]),
        }
    }

    fn min_x(&self) -> f64 {
        self.line.start.x.min(self.line.end.x)
    }

    fn max_x(&self) -> f64 {
        self.line.start.x.max(self.line.end.x)
    }

    fn min_y(&self) -> f64 {
        self.line.start.y.min(self.line.end.y)
    }

    fn max_y(&self) -> f64 {
        self.line.start.y.max(self.line.end.y)
    }
}

/// A run of edges of one ring that all head the same way in x, stored by increasing x (a
/// vertical edge is a chain of its own). Its edges' x ranges follow one another without
/// overlapping, except at shared ends.
#[derive(Clone, Copy)]
struct Chain {
    /// The ring its edges are in.
    ring: u32,
    edges: (usize, usize),
    min_x: f64,
    max_x: f64,
    min_y: f64,
    max_y: f64,
}

/// Most edges whose buffers a thread keeps for the next polygon.
const KEPT_EDGES: usize = 1 << 16;

/// The first place found where two edges of the polygon made of `rings` cross, or overlap
/// along a stretch. Rings are closed coordinate lists. Edges that only share an end
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
    first_crossing_sparing(rings, &[])
}

/// [`first_crossing`] for rings of which those flagged in `simple` (by index; missing flags are
/// false) are known not to cross or touch themselves, for instance because they are star-shaped
/// (see [`crate::map::star_centre`]): their edges are then only tested against other rings'.
/// A district with a hole spares most of its pairs that way.
pub(crate) fn first_crossing_sparing(rings: &[&[Coord<f64>]], simple: &[bool]) -> Option<Coord<f64>> {
    thread_local! {
        /// Edge and chain buffers kept from one polygon to the next: a load checks millions.
        static SCRATCH: std::cell::RefCell<(Vec<Edge>, Vec<Chain>)> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
    }
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => {
            let (edges, chains) = &mut *scratch;
            monotone_chains(rings, edges, chains);
            let found = crossing_of_chains(rings, edges, chains, simple);
            // A country with thousands of lakes needs tens of megabytes of them, which later
            // polygons do not; kept, they stayed allocated on every thread to the end of the load.
            if edges.capacity() > KEPT_EDGES {
                *edges = Vec::new();
                *chains = Vec::new();
            }
            found
        }
        // Only reached if checking a polygon ever checked another on the same thread.
        Err(_) => {
            let (mut edges, mut chains) = (Vec::new(), Vec::new());
            monotone_chains(rings, &mut edges, &mut chains);
            crossing_of_chains(rings, &edges, &mut chains, simple)
        }
    })
}

/// The first crossing between edges of different chains, not both of one ring flagged in
/// `simple`.
fn crossing_of_chains(
    rings: &[&[Coord<f64>]],
    edges: &[Edge],
    chains: &mut [Chain],
    simple: &[bool],
) -> Option<Coord<f64>> {
    let spared = |a: &Chain, b: &Chain| a.ring == b.ring && simple.get(a.ring as usize).copied().unwrap_or(false);
    if chains.len() > SORTED_CHAINS {
        chains.sort_unstable_by(|a, b| a.min_x.total_cmp(&b.min_x));
    } else {
        // A few chains: every pair is cheaper than sorting them.
        for (i, a) in chains.iter().enumerate() {
            for b in &chains[i + 1..] {
                if spared(a, b) {
                    continue;
                }
                if let Some(at) = chains_crossing(rings, edges, a, b) {
                    return Some(at);
                }
            }
        }
        return None;
    }
    let mut active: Vec<Chain> = Vec::new();
    for &chain in chains.iter() {
        active.retain(|a| a.max_x >= chain.min_x);
        for other in &active {
            if spared(other, &chain) {
                continue;
            }
            if let Some(at) = chains_crossing(rings, edges, other, &chain) {
                return Some(at);
            }
        }
        active.push(chain);
    }
    None
}

/// Above this many chains they are swept in x order rather than tested pair by pair.
const SORTED_CHAINS: usize = 24;

/// The edges of `rings` into `edges`, grouped into x-monotone `chains` (each chain's edges by
/// increasing x); both buffers are cleared first.
fn monotone_chains(rings: &[&[Coord<f64>]], edges: &mut Vec<Edge>, chains: &mut Vec<Chain>) {
    edges.clear();
    chains.clear();
    for (ring, coords) in rings.iter().enumerate() {
        let mut chain_start = edges.len();
        let mut heading = 0i8;
        for (index, pair) in coords.windows(2).enumerate() {
            let [a, b] = [pair[0], pair[1]];
            let edge_heading = if b.x > a.x {
                1
            } else if b.x < a.x {
                -1
            } else {
                0
            };
            if edges.len() > chain_start && (edge_heading != heading || edge_heading == 0) {
                close_chain(rings, edges, chains, chain_start, heading);
                chain_start = edges.len();
            }
            heading = edge_heading;
            edges.push(Edge {
                ring: ring as u32,
                index: index as u32,
            });
        }
        if edges.len() > chain_start {
            close_chain(rings, edges, chains, chain_start, heading);
        }
    }
}

/// Ends the chain of `edges[start..]`, putting a leftward one in increasing x.
fn close_chain(rings: &[&[Coord<f64>]], edges: &mut [Edge], chains: &mut Vec<Chain>, start: usize, heading: i8) {
    let run = &mut edges[start..];
    if heading < 0 {
        run.reverse();
    }
    let mut chain = Chain {
        ring: run.first().map_or(0, |e| e.ring),
        edges: (start, edges.len()),
        min_x: f64::INFINITY,
        max_x: f64::NEG_INFINITY,
        min_y: f64::INFINITY,
        max_y: f64::NEG_INFINITY,
    };
    for &e in &edges[start..] {
        let e = EdgeLine::of(rings, e);
        chain.min_x = chain.min_x.min(e.min_x());
        chain.max_x = chain.max_x.max(e.max_x());
        chain.min_y = chain.min_y.min(e.min_y());
        chain.max_y = chain.max_y.max(e.max_y());
    }
    chains.push(chain);
}

/// Where an edge of chain `a` meets an edge of chain `b`: every pair whose x ranges overlap
/// is tested, found by walking both chains in x.
fn chains_crossing(rings: &[&[Coord<f64>]], edges: &[Edge], a: &Chain, b: &Chain) -> Option<Coord<f64>> {
    if a.max_x < b.min_x || b.max_x < a.min_x || a.max_y < b.min_y || b.max_y < a.min_y {
        return None;
    }
    let a_edges = &edges[a.edges.0..a.edges.1];
    let b_edges = &edges[b.edges.0..b.edges.1];
    // Both chains run left to right, so the `b` edges wholly left of an `a` edge are a prefix
    // that only grows as `a` moves right: it is skipped for good.
    let mut first_b = 0;
    for &ea in a_edges {
        let ea = EdgeLine::of(rings, ea);
        for (k, &eb) in b_edges.iter().enumerate().skip(first_b) {
            let eb = EdgeLine::of(rings, eb);
            if eb.max_x() < ea.min_x() {
                if k == first_b {
                    first_b += 1;
                }
                continue;
            }
            if eb.min_x() > ea.max_x() {
                break;
            }
            if let Some(at) = crossing(&ea, &eb) {
                return Some(at);
            }
        }
    }
    None
}

fn are_neighbours(a: &EdgeLine, b: &EdgeLine) -> bool {
    if a.ring != b.ring {
        return false;
    }
    let d = a.index.abs_diff(b.index) as usize;
    d == 1 || d + 1 == a.ring_len
}

fn crossing(a: &EdgeLine, b: &EdgeLine) -> Option<Coord<f64>> {
    if a.max_y() < b.min_y() || b.max_y() < a.min_y() {
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

    /// Every pair of edges tested, the answer the chains must agree with.
    fn every_pair_finds(rings: &[&[Coord<f64>]]) -> bool {
        let (mut edges, mut chains) = (Vec::new(), Vec::new());
        monotone_chains(rings, &mut edges, &mut chains);
        let lines: Vec<EdgeLine> = edges.iter().map(|&e| EdgeLine::of(rings, e)).collect();
        lines.iter().enumerate().any(|(i, a)| {
            lines[i + 1..].iter().any(|b| {
                a.max_x() >= b.min_x()
                    && b.max_x() >= a.min_x()
                    && a.max_y() >= b.min_y()
                    && b.max_y() >= a.min_y()
                    && crossing(a, b).is_some()
            })
        })
    }

    fn closed(points: &[(i32, i32)]) -> Option<Vec<Coord<f64>>> {
        let mut r: Vec<Coord<f64>> = points
            .iter()
            .map(|&(x, y)| coord! {x: f64::from(x), y: f64::from(y)})
            .collect();
        r.dedup();
        if r.len() < 3 {
            return None;
        }
        r.push(r[0]);
        Some(r)
    }

    /// A random ring and, when it has enough distinct points, a random hole; `None` when the
    /// ring has too few.
    fn outer_and_hole(points: &[(i32, i32)], hole: &[(i32, i32)]) -> Option<Vec<Vec<Coord<f64>>>> {
        let mut rings = vec![closed(points)?];
        rings.extend(closed(hole));
        Some(rings)
    }

    #[test]
    fn many_chains_are_swept() {
        // A comb of 40 teeth (80 chains), then one tooth bent back across its neighbour.
        let mut teeth = vec![(0., -1.)];
        for k in 0..40 {
            let x = f64::from(k);
            teeth.extend([(x, 0.), (x + 0.5, 5.)]);
        }
        teeth.extend([(40., 0.), (40., -1.), (0., -1.)]);
        let comb = ring(&teeth);
        assert_eq!(first_crossing(&[&comb]), None);
        let mut bent = teeth.clone();
        bent[10] = (3.0, 5.0);
        let bent = ring(&bent);
        assert!(every_pair_finds(&[&bent]));
        assert!(first_crossing(&[&bent]).is_some());
    }

    proptest::proptest! {
        /// The chains find a crossing exactly when testing every pair of edges does, on random
        /// rings full of collinear and repeated points.
        #[test]
        fn chains_agree_with_every_pair(
            points in proptest::collection::vec((0i32..8, 0i32..8), 3..40),
            hole in proptest::collection::vec((0i32..8, 0i32..8), 0..8),
        ) {
            let Some(rings) = outer_and_hole(&points, &hole) else { return Ok(()) };
            let refs: Vec<&[Coord<f64>]> = rings.iter().map(|r| r.as_slice()).collect();
            let found = every_pair_finds(&refs);
            proptest::prop_assert_eq!(first_crossing(&refs).is_some(), found);
            // Sparing the pairs within star-shaped rings changes no answer.
            let simple: Vec<bool> = refs
                .iter()
                .map(|r| crate::map::star_centre(r.len() - 1, |i| [r[i].x, r[i].y]).is_some())
                .collect();
            proptest::prop_assert_eq!(first_crossing_sparing(&refs, &simple).is_some(), found);
        }

        /// Two chains meet exactly when an edge of one meets an edge of the other: the walk in x
        /// skips no pair that overlaps (a ring with a crossing usually has several, so the test
        /// above alone does not see one pair missed).
        #[test]
        fn chain_pairs_agree_with_their_edge_pairs(
            points in proptest::collection::vec((0i32..8, 0i32..8), 3..40),
            hole in proptest::collection::vec((0i32..8, 0i32..8), 0..8),
        ) {
            let Some(rings) = outer_and_hole(&points, &hole) else { return Ok(()) };
            let refs: Vec<&[Coord<f64>]> = rings.iter().map(|r| r.as_slice()).collect();
            let (mut edges, mut chains) = (Vec::new(), Vec::new());
            monotone_chains(&refs, &mut edges, &mut chains);
            let lines = |c: &Chain| -> Vec<EdgeLine> {
                edges[c.edges.0..c.edges.1].iter().map(|&e| EdgeLine::of(&refs, e)).collect()
            };
            for (i, a) in chains.iter().enumerate() {
                for b in &chains[i + 1..] {
                    let (la, lb) = (lines(a), lines(b));
                    let pairs = la.iter().any(|ea| lb.iter().any(|eb| crossing(ea, eb).is_some()));
                    proptest::prop_assert_eq!(chains_crossing(&refs, &edges, a, b).is_some(), pairs);
                }
            }
        }
    }
}
