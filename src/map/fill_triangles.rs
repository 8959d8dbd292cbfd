//! Triangles that fill one polygon with holes. A ring without holes that is star-shaped about
//! its middle is fanned from there (`star_fan.rs`); other ordinary shapes go straight to earcut. A shape
//! with many holes or a very long outline (a country with thousands of lakes) is first cut into
//! pieces along lines that pass between its holes, each piece triangulated alone: earcut joins
//! every hole to the outline by a search along the whole outline, so its cost grows with holes ×
//! vertices (a million-vertex polygon with 191,000 lakes never finished), while a piece holds at
//! most a few holes. The pieces are done on all cores and the work can be stopped between them.
//!
//! A cut keeps the part of the outline on each side of the line (Sutherland-Hodgman against a
//! half-plane). Where the outline leaves and re-enters the side, the kept part runs along the cut
//! line and back: zero-width spurs that add no area, the same kind of rings vector tiles clip to
//! and earcut fills. Holes lie wholly on one side whenever the cut passes between them, which is
//! the case the cut position is chosen for; when no such line exists holes are cut too.

use earcut::Earcut;

use super::star_fan::star_fan;

/// At most this many holes go to earcut together.
const MAX_HOLES_PER_PIECE: usize = 4;
/// A piece with more vertices than this is cut even without holes (spreads a long outline over
/// the cores and bounds the time between checks for a stop).
const MAX_VERTICES_PER_PIECE: usize = 8_192;
/// Pieces larger than this are cut on two cores at once.
const PARALLEL_VERTICES: usize = 65_536;
/// Cuts deeper than this stop: every cut halves the holes, so only degenerate input gets there.
const MAX_DEPTH: u32 = 48;
/// Marks a vertex made by a cut (not one of the polygon's own).
const NEW: u32 = u32::MAX;

/// The triangles of one polygon. Corner indices below the polygon's vertex count are its own
/// vertices (exterior first, then each hole, as given); higher ones are `extra_vertices`, points
/// where a cut crossed an edge, in order after them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolygonFill {
    /// Triangle corners, three per triangle.
    pub triangles: Vec<u32>,
    /// Vertices added by cuts, in the polygon's coordinates.
    pub extra_vertices: Vec<[f64; 2]>,
}

impl PolygonFill {
    /// The position of triangle corner `i`, given the polygon's own `vertices` (NaN for an index
    /// that is neither theirs nor an extra one).
    pub fn vertex(&self, vertices: &[[f64; 2]], i: u32) -> [f64; 2] {
        let i = i as usize;
        match vertices.get(i) {
            Some(&v) => v,
            None => self
                .extra_vertices
                .get(i - vertices.len())
                .copied()
                .unwrap_or([f64::NAN; 2]),
        }
    }
}

/// Fills the polygon whose rings are `vertices` (exterior from 0, hole `k` from `hole_starts[k]`,
/// rings not closed) with triangles, reusing `earcut`'s buffers. Returns `None` when `keep_going`
/// answers false, which it is asked between pieces of a big polygon.
pub fn fill_polygon(
    vertices: &[[f64; 2]],
    hole_starts: &[u32],
    earcut: &mut Earcut<f64>,
    keep_going: &(dyn Fn() -> bool + Sync),
) -> Option<PolygonFill> {
    if hole_starts.is_empty()
        && let Some(fan) = star_fan(vertices)
    {
        return Some(PolygonFill {
            triangles: fan.triangles,
            extra_vertices: fan.centre.into_iter().collect(),
        });
    }
    fill_without_fan(vertices, hole_starts, earcut, keep_going)
}

/// [`fill_polygon`] for a polygon already known not to be a star-shaped ring (no fan is tried).
pub(crate) fn fill_without_fan(
    vertices: &[[f64; 2]],
    hole_starts: &[u32],
    earcut: &mut Earcut<f64>,
    keep_going: &(dyn Fn() -> bool + Sync),
) -> Option<PolygonFill> {
    let mut fill = PolygonFill::default();
    if hole_starts.len() <= MAX_HOLES_PER_PIECE && vertices.len() <= MAX_VERTICES_PER_PIECE {
        earcut_within_outline(earcut, vertices, hole_starts, &mut fill.triangles);
        return Some(fill);
    }
    let polygon = Polygon::new(vertices, hole_starts);
    let exterior: Vec<Corner> = polygon.rings[0].clone().map(|i| (vertices[i], i as u32)).collect();
    let piece = Piece {
        exterior,
        holes: (1..polygon.rings.len()).map(Hole::Whole).collect(),
    };
    let mut pieces = Vec::new();
    cut_into_pieces(&polygon, piece, 0, keep_going, &mut pieces)?;
    let own = vertices.len() as u32;
    for part in pieces {
        let offset = own + fill.extra_vertices.len() as u32;
        fill.triangles.extend(
            part.triangles
                .iter()
                .map(|&i| if i < own { i } else { i + offset - own }),
        );
        fill.extra_vertices.extend_from_slice(&part.extra_vertices);
    }
    Some(fill)
}

/// A vertex of a piece: its position and its index in the polygon, or [`NEW`].
type Corner = ([f64; 2], u32);

/// The polygon being cut: its vertices, the range of each ring and each ring's bounding box
/// (`[min_x, min_y, max_x, max_y]`).
struct Polygon<'a> {
    vertices: &'a [[f64; 2]],
    rings: Vec<std::ops::Range<usize>>,
    boxes: Vec<[f64; 4]>,
}

impl<'a> Polygon<'a> {
    fn new(vertices: &'a [[f64; 2]], hole_starts: &[u32]) -> Self {
        let rings = ring_ranges(vertices.len(), hole_starts);
        let boxes = rings.iter().map(|r| bounding_box(vertices[r.clone()].iter())).collect();
        Self { vertices, rings, boxes }
    }
}

fn bounding_box<'p>(points: impl Iterator<Item = &'p [f64; 2]>) -> [f64; 4] {
    points.fold(
        [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY],
        |b, p| [b[0].min(p[0]), b[1].min(p[1]), b[2].max(p[0]), b[3].max(p[1])],
    )
}

/// A hole of a piece: one of the polygon's rings untouched, or the part of one a cut left.
enum Hole {
    Whole(usize),
    Cut(Vec<Corner>),
}

/// A part of the polygon between cuts.
struct Piece {
    exterior: Vec<Corner>,
    holes: Vec<Hole>,
}

fn ring_ranges(len: usize, hole_starts: &[u32]) -> Vec<std::ops::Range<usize>> {
    let mut starts: Vec<usize> = std::iter::once(0)
        .chain(hole_starts.iter().map(|&s| s as usize))
        .collect();
    starts.push(len);
    starts.windows(2).map(|w| w[0]..w[1].max(w[0])).collect()
}

impl Hole {
    /// The hole's extent along `axis`.
    fn span(&self, polygon: &Polygon<'_>, axis: usize) -> [f64; 2] {
        let b = match self {
            Hole::Whole(r) => polygon.boxes[*r],
            Hole::Cut(corners) => bounding_box(corners.iter().map(|(p, _)| p)),
        };
        [b[axis], b[axis + 2]]
    }

    fn len(&self, polygon: &Polygon<'_>) -> usize {
        match self {
            Hole::Whole(r) => polygon.rings[*r].len(),
            Hole::Cut(corners) => corners.len(),
        }
    }
}

impl Piece {
    fn vertex_count(&self, polygon: &Polygon<'_>) -> usize {
        self.exterior.len() + self.holes.iter().map(|h| h.len(polygon)).sum::<usize>()
    }
}

/// A piece's triangles, indices as in [`PolygonFill`] but counting extras from this piece's own.
fn cut_into_pieces(
    polygon: &Polygon<'_>,
    piece: Piece,
    depth: u32,
    keep_going: &(dyn Fn() -> bool + Sync),
    out: &mut Vec<PolygonFill>,
) -> Option<()> {
    let vertex_count = piece.vertex_count(polygon);
    if vertex_count >= 1024 && !keep_going() {
        return None;
    }
    let small = piece.holes.len() <= MAX_HOLES_PER_PIECE && vertex_count <= MAX_VERTICES_PER_PIECE;
    if small || depth >= MAX_DEPTH {
        out.push(triangulate_piece(polygon, &piece));
        return Some(());
    }
    let Some((axis, at)) = choose_cut(polygon, &piece) else {
        out.push(triangulate_piece(polygon, &piece));
        return Some(());
    };
    let (low, high) = split(polygon, piece, axis, at);
    if vertex_count >= PARALLEL_VERTICES {
        let mut high_out = Vec::new();
        let (a, b) = rayon::join(
            || cut_into_pieces(polygon, low, depth + 1, keep_going, out),
            || cut_into_pieces(polygon, high, depth + 1, keep_going, &mut high_out),
        );
        a?;
        b?;
        out.append(&mut high_out);
    } else {
        cut_into_pieces(polygon, low, depth + 1, keep_going, out)?;
        cut_into_pieces(polygon, high, depth + 1, keep_going, out)?;
    }
    Some(())
}

/// Where to cut: along the piece's longer side, at the line between holes that shares them out
/// most evenly; the other axis if that one has no such line; through holes at their middle
/// if neither has.
fn choose_cut(polygon: &Polygon<'_>, piece: &Piece) -> Option<(usize, f64)> {
    let mut lo = [f64::INFINITY; 2];
    let mut hi = [f64::NEG_INFINITY; 2];
    for (p, _) in &piece.exterior {
        for a in 0..2 {
            lo[a] = lo[a].min(p[a]);
            hi[a] = hi[a].max(p[a]);
        }
    }
    let longer = if hi[0] - lo[0] >= hi[1] - lo[1] { 0 } else { 1 };
    if piece.holes.is_empty() {
        let at = (lo[longer] + hi[longer]) / 2.0;
        return (at > lo[longer] && at < hi[longer]).then_some((longer, at));
    }
    let mut fallback = None;
    for axis in [longer, 1 - longer] {
        let mut spans: Vec<[f64; 2]> = piece.holes.iter().map(|h| h.span(polygon, axis)).collect();
        spans.sort_unstable_by(|a, b| a[0].total_cmp(&b[0]));
        let n = spans.len();
        // A gap after the first `k` holes (by their start) when none of them reaches the next.
        let mut reach = f64::NEG_INFINITY;
        let mut best: Option<(usize, f64)> = None;
        for k in 0..n {
            reach = reach.max(spans[k][1]);
            if k + 1 < n && reach < spans[k + 1][0] {
                let balance = (k + 1).min(n - k - 1);
                if best.is_none_or(|(b, _)| balance > b) {
                    best = Some((balance, (reach + spans[k + 1][0]) / 2.0));
                }
            }
        }
        if let Some((balance, at)) = best
            && balance * 8 >= n
        {
            return Some((axis, at));
        }
        if axis == longer {
            let middle = (spans[n / 2][0] + spans[n / 2][1]) / 2.0;
            if middle > lo[axis] && middle < hi[axis] {
                fallback = Some((axis, middle));
            }
        }
    }
    fallback
}

/// The two sides of `piece` at `at` along `axis`: below and above.
fn split(polygon: &Polygon<'_>, piece: Piece, axis: usize, at: f64) -> (Piece, Piece) {
    let mut low = Piece {
        exterior: clip_ring(&piece.exterior, axis, at, false),
        holes: Vec::new(),
    };
    let mut high = Piece {
        exterior: clip_ring(&piece.exterior, axis, at, true),
        holes: Vec::new(),
    };
    for hole in piece.holes {
        let [min, max] = hole.span(polygon, axis);
        if max <= at {
            low.holes.push(hole);
        } else if min >= at {
            high.holes.push(hole);
        } else {
            let corners: Vec<Corner> = match &hole {
                Hole::Whole(r) => polygon.rings[*r]
                    .clone()
                    .map(|i| (polygon.vertices[i], i as u32))
                    .collect(),
                Hole::Cut(c) => c.clone(),
            };
            for (side, above) in [(&mut low, false), (&mut high, true)] {
                let part = clip_ring(&corners, axis, at, above);
                if part.len() >= 3 {
                    side.holes.push(Hole::Cut(part));
                }
            }
        }
    }
    (low, high)
}

/// The part of a ring on one side of the line at `at` along `axis` (Sutherland-Hodgman), with
/// the crossings as new vertices. Empty when nothing of it is on that side.
fn clip_ring(ring: &[Corner], axis: usize, at: f64, above: bool) -> Vec<Corner> {
    let inside = |p: &[f64; 2]| if above { p[axis] >= at } else { p[axis] <= at };
    let mut out: Vec<Corner> = Vec::with_capacity(ring.len() / 2 + 4);
    let Some(&last) = ring.last() else { return out };
    let mut previous = last;
    let push = |c: Corner, out: &mut Vec<Corner>| {
        if out.last().is_none_or(|l| l.0 != c.0) {
            out.push(c);
        }
    };
    for &current in ring {
        let (p, q) = (previous.0, current.0);
        match (inside(&p), inside(&q)) {
            (true, true) => push(current, &mut out),
            (true, false) => push((crossing(p, q, axis, at), NEW), &mut out),
            (false, true) => {
                push((crossing(p, q, axis, at), NEW), &mut out);
                push(current, &mut out);
            }
            (false, false) => {}
        }
        previous = current;
    }
    if out.len() > 1 && out.first().map(|f| f.0) == out.last().map(|l| l.0) {
        out.pop();
    }
    out
}

/// Where the edge `p`–`q` meets the line at `at` along `axis`; the edge crosses it.
fn crossing(p: [f64; 2], q: [f64; 2], axis: usize, at: f64) -> [f64; 2] {
    let other = 1 - axis;
    let t = (at - p[axis]) / (q[axis] - p[axis]);
    let mut point = [0.0; 2];
    point[axis] = at;
    point[other] = p[other] + t * (q[other] - p[other]);
    point
}

/// Earcut, with hole vertices that stray outside the exterior's bounding box (invalid data, such as
/// a lake drawn a little past the coast) moved onto it first: earcut hashes vertices by their place
/// in that box and panics on one before its corner.
fn earcut_within_outline(earcut: &mut Earcut<f64>, vertices: &[[f64; 2]], hole_starts: &[u32], out: &mut Vec<u32>) {
    let outer_len = hole_starts
        .first()
        .map_or(vertices.len(), |&s| s as usize)
        .min(vertices.len());
    let Some(&first) = vertices.first() else {
        out.clear();
        return;
    };
    let (lo, hi) = vertices[..outer_len].iter().fold((first, first), |(lo, hi), p| {
        ([lo[0].min(p[0]), lo[1].min(p[1])], [hi[0].max(p[0]), hi[1].max(p[1])])
    });
    let strays = vertices[outer_len..]
        .iter()
        .any(|p| p[0] < lo[0] || p[1] < lo[1] || p[0] > hi[0] || p[1] > hi[1]);
    if strays {
        let clamped = vertices
            .iter()
            .map(|p| [p[0].clamp(lo[0], hi[0]), p[1].clamp(lo[1], hi[1])]);
        earcut.earcut(clamped, hole_starts, out);
    } else {
        earcut.earcut(vertices.iter().copied(), hole_starts, out);
    }
}

/// Earcut on one piece; its own vertices keep their polygon indices, the rest count up from the
/// polygon's vertex count in this piece's `extra_vertices`.
fn triangulate_piece(polygon: &Polygon<'_>, piece: &Piece) -> PolygonFill {
    let mut fill = PolygonFill::default();
    if piece.exterior.len() < 3 {
        return fill;
    }
    let mut flat: Vec<[f64; 2]> = Vec::with_capacity(piece.vertex_count(polygon));
    let mut index: Vec<u32> = Vec::with_capacity(flat.capacity());
    let mut hole_starts = Vec::with_capacity(piece.holes.len());
    let own = polygon.vertices.len() as u32;
    let add = |(p, i): Corner, flat: &mut Vec<[f64; 2]>, index: &mut Vec<u32>, extra: &mut Vec<[f64; 2]>| {
        flat.push(p);
        index.push(if i == NEW {
            extra.push(p);
            own + extra.len() as u32 - 1
        } else {
            i
        });
    };
    for &c in &piece.exterior {
        add(c, &mut flat, &mut index, &mut fill.extra_vertices);
    }
    for hole in &piece.holes {
        hole_starts.push(flat.len() as u32);
        match hole {
            Hole::Whole(r) => {
                for i in polygon.rings[*r].clone() {
                    add(
                        (polygon.vertices[i], i as u32),
                        &mut flat,
                        &mut index,
                        &mut fill.extra_vertices,
                    );
                }
            }
            Hole::Cut(corners) => {
                for &c in corners {
                    add(c, &mut flat, &mut index, &mut fill.extra_vertices);
                }
            }
        }
    }
    let mut local = Vec::new();
    earcut_within_outline(&mut Earcut::new(), &flat, &hole_starts, &mut local);
    fill.triangles.extend(local.iter().map(|&i| index[i as usize]));
    fill
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The total area of a fill's triangles.
    pub(crate) fn area_of_triangles(vertices: &[[f64; 2]], fill: &PolygonFill) -> f64 {
        let at = |i: u32| fill.vertex(vertices, i);
        fill.triangles
            .chunks(3)
            .map(|t| {
                let [a, b, c] = [at(t[0]), at(t[1]), at(t[2])];
                ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs() / 2.0
            })
            .sum()
    }

    /// The signed area of a ring (not closed), positive counter-clockwise.
    pub(crate) fn shoelace(ring: &[[f64; 2]]) -> f64 {
        crate::model::twice_signed_area(ring.len(), |i| ring[i]) / 2.0
    }

    /// A wavy outline (concave everywhere) around a grid of square holes, `n` × `n`.
    fn lake_country(n: usize, outline_vertices: usize) -> (Vec<[f64; 2]>, Vec<u32>, f64) {
        let size = n as f64 * 3.0 + 2.0;
        let centre = size / 2.0;
        let mut vertices: Vec<[f64; 2]> = (0..outline_vertices)
            .map(|k| {
                let angle = k as f64 / outline_vertices as f64 * std::f64::consts::TAU;
                let r = centre * 1.6 * (1.0 + 0.08 * (angle * 23.0).sin());
                [centre + r * angle.cos(), centre + r * angle.sin()]
            })
            .collect();
        let mut area = shoelace(&vertices);
        let mut hole_starts = Vec::new();
        for i in 0..n {
            for j in 0..n {
                let (x, y) = (1.5 + i as f64 * 3.0, 1.5 + j as f64 * 3.0);
                hole_starts.push(vertices.len() as u32);
                let hole = [[x, y], [x, y + 1.0], [x + 1.0, y + 1.0], [x + 1.0, y]];
                area += shoelace(&hole);
                vertices.extend_from_slice(&hole);
            }
        }
        (vertices, hole_starts, area)
    }

    #[test]
    fn many_holes_are_cut_into_pieces_that_fill_the_exact_area() {
        let (vertices, holes, area) = lake_country(40, 4000);
        let fill = fill_polygon(&vertices, &holes, &mut Earcut::new(), &|| true).expect("not stopped");
        let filled = area_of_triangles(&vertices, &fill);
        assert!((filled - area).abs() < area * 1e-9, "filled {filled}, polygon {area}");
        assert!(!fill.extra_vertices.is_empty(), "the outline was cut");
        // No triangle may cover a hole's centre.
        let inside_hole = fill.triangles.chunks(3).any(|t| {
            let at = |i: u32| fill.vertex(&vertices, i);
            let [a, b, c] = [at(t[0]), at(t[1]), at(t[2])];
            let p = [2.0, 2.0];
            let side = |u: [f64; 2], v: [f64; 2]| (v[0] - u[0]) * (p[1] - u[1]) - (p[0] - u[0]) * (v[1] - u[1]);
            let (d1, d2, d3) = (side(a, b), side(b, c), side(c, a));
            (d1 > 0.0 && d2 > 0.0 && d3 > 0.0) || (d1 < 0.0 && d2 < 0.0 && d3 < 0.0)
        });
        assert!(!inside_hole, "a triangle covers the first hole");
    }

    #[test]
    fn holes_overlapping_in_both_directions_are_cut_through_and_still_fill_exactly() {
        // Slanted holes side by side: every line along x or y meets one, so cuts go through them.
        let mut vertices = vec![[0.0, 0.0], [130.0, 0.0], [130.0, 10.0], [0.0, 10.0]];
        let mut area = shoelace(&vertices);
        let mut holes = Vec::new();
        for k in 0..30 {
            let x = 1.0 + k as f64 * 4.0;
            holes.push(vertices.len() as u32);
            let hole = [[x, 0.5], [x + 1.0, 0.5], [x + 7.0, 9.5], [x + 6.0, 9.5]];
            area -= shoelace(&hole).abs();
            vertices.extend_from_slice(&hole);
        }
        let polygon = Polygon::new(&vertices, &holes);
        let whole = Piece {
            exterior: (0..4).map(|i| (vertices[i], i as u32)).collect(),
            holes: (1..=30).map(Hole::Whole).collect(),
        };
        let (axis, at) = choose_cut(&polygon, &whole).expect("a cut");
        assert_eq!(axis, 0);
        let crossed = (1..=30).filter(|&r| {
            let [lo, hi] = Hole::Whole(r).span(&polygon, 0);
            lo < at && hi > at
        });
        assert!(crossed.count() > 0, "the cut at {at} goes through holes");
        let fill = fill_polygon(&vertices, &holes, &mut Earcut::new(), &|| true).expect("not stopped");
        let filled = area_of_triangles(&vertices, &fill);
        assert!((filled - area).abs() < area * 1e-9, "filled {filled}, polygon {area}");
    }

    #[test]
    fn a_long_outline_without_holes_fills_exactly() {
        let (vertices, _, _) = lake_country(1, 100_000);
        let outline = &vertices[..100_000];
        let fill = fill_polygon(outline, &[], &mut Earcut::new(), &|| true).expect("not stopped");
        let area = shoelace(outline);
        assert!((area_of_triangles(outline, &fill) - area).abs() < area * 1e-9);
    }

    #[test]
    fn small_convex_polygons_are_fanned_without_added_vertices() {
        let square = [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0]];
        let fill = fill_polygon(&square, &[], &mut Earcut::new(), &|| true).expect("not stopped");
        assert_eq!(fill.triangles.len(), 6);
        assert!(fill.extra_vertices.is_empty());
    }

    #[test]
    fn a_hole_past_the_outline_is_filled_without_a_panic() {
        // Earcut hashes by the exterior's box; a hole vertex below it used to panic.
        let mut vertices: Vec<[f64; 2]> = (0..100)
            .map(|k| {
                let angle = k as f64 / 100.0 * std::f64::consts::TAU;
                [10.0 + 10.0 * angle.cos(), 10.0 + 10.0 * angle.sin()]
            })
            .collect();
        let holes = vec![vertices.len() as u32];
        vertices.extend_from_slice(&[[5.0, 5.0], [12.0, 5.0], [12.0, -1.0]]);
        let fill = fill_polygon(&vertices, &holes, &mut Earcut::new(), &|| true).expect("not stopped");
        assert!(fill.triangles.len() >= 3 * 90, "{} corners", fill.triangles.len());
    }

    #[test]
    fn a_stop_between_pieces_is_answered() {
        let (vertices, holes, _) = lake_country(30, 2000);
        assert_eq!(fill_polygon(&vertices, &holes, &mut Earcut::new(), &|| false), None);
    }
}
