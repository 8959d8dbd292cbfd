//! A fast fill for rings without holes that are star-shaped about a point near their middle
//! (every convex ring, and about half of real neighbourhood and county outlines): a fan of
//! triangles from that point, found and built in one pass each, where earcut tests every
//! candidate ear against the ring's other vertices.
//!
//! The fan is only used when it is exactly right: the point lies strictly on the inner side of
//! every edge's line and the ring winds around it once, so the triangles cover the ring without
//! overlapping and share their edges exactly.

/// A fan filling a ring: a convex ring is fanned from its first vertex, a star-shaped one from
/// its centre, which then becomes one added vertex.
#[derive(Clone, Debug, PartialEq)]
pub struct StarFan {
    /// The added centre, when the fan is about one; corner index `ring.len()` stands for it.
    pub centre: Option<[f64; 2]>,
    /// Triangle corners, three per triangle, indexing the ring's vertices.
    pub triangles: Vec<u32>,
}

/// Where a fan over a ring starts: its first vertex (a strictly convex ring), or a centre added
/// after the ring's vertices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FanFrom {
    /// Triangles `(0, t + 1, t + 2)` for `t` in `0..n - 2`.
    FirstVertex,
    /// Triangles `(n, t, t + 1)` for `t` in `0..n`, the last wrapping to 0; the centre is
    /// corner `n`.
    Centre,
}

/// Where `ring` (not closed) can be fanned from, as [`star_fan`] fans it, and the centre it is
/// star-shaped about (the vertex to add when the fan starts from the centre), without building
/// the triangles; `None` when it cannot be fanned.
pub fn star_fan_from(ring: &[[f64; 2]]) -> Option<(FanFrom, [f64; 2])> {
    let n = ring.len();
    if n > u32::MAX as usize - 1 {
        return None;
    }
    let centre = star_centre(n, |i| ring[i])?;
    let turn = |i: usize| {
        let [a, b, c] = [ring[i], ring[(i + 1) % n], ring[(i + 2) % n]];
        (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0])
    };
    let first = turn(0).signum();
    let convex = first != 0.0 && (1..n).all(|i| turn(i).signum() == first);
    Some((if convex { FanFrom::FirstVertex } else { FanFrom::Centre }, centre))
}

/// Number of triangles in the fan over a ring of `n` vertices.
pub fn fan_triangle_count(from: FanFrom, n: u32) -> u32 {
    match from {
        FanFrom::FirstVertex => n.saturating_sub(2),
        FanFrom::Centre => n,
    }
}

/// Corner `j` of the fan over a ring of `n` vertices (`j < 3 *` [`fan_triangle_count`]).
pub fn fan_corner(from: FanFrom, n: u32, j: u32) -> u32 {
    let (t, slot) = (j / 3, j % 3);
    match (from, slot) {
        (FanFrom::FirstVertex, 0) => 0,
        (FanFrom::FirstVertex, _) => t + slot,
        (FanFrom::Centre, 0) => n,
        (FanFrom::Centre, 1) => t,
        (FanFrom::Centre, _) => {
            if t + 1 == n {
                0
            } else {
                t + 1
            }
        }
    }
}

/// The fan of `ring` (not closed) about its vertex mean or its bounding-box centre, whichever it
/// is star-shaped about first; from its first vertex when it is also strictly convex (no added
/// vertex and two triangles fewer). `None` when neither point sees every edge.
pub fn star_fan(ring: &[[f64; 2]]) -> Option<StarFan> {
    let (from, centre) = star_fan_from(ring)?;
    let n = ring.len() as u32;
    let triangles = (0..3 * fan_triangle_count(from, n))
        .map(|j| fan_corner(from, n, j))
        .collect();
    Some(StarFan {
        centre: (from == FanFrom::Centre).then_some(centre),
        triangles,
    })
}

/// The vertex mean or bounding-box centre of the ring of `n` vertices `at(0)..at(n - 1)` (not
/// closed), whichever the ring is strictly star-shaped about: it lies strictly on the inner side
/// of every edge's line and the ring winds around it once. Such a ring is simple (every ray from
/// the centre meets it once), which spares the load its crossing test.
pub fn star_centre(n: usize, at: impl Fn(usize) -> [f64; 2]) -> Option<[f64; 2]> {
    if n < 3 {
        return None;
    }
    let first = at(0);
    let (mut sum, mut lo, mut hi) = ([0.0, 0.0], first, first);
    for i in 0..n {
        let p = at(i);
        sum = [sum[0] + p[0], sum[1] + p[1]];
        lo = [lo[0].min(p[0]), lo[1].min(p[1])];
        hi = [hi[0].max(p[0]), hi[1].max(p[1])];
    }
    let mean = [sum[0] / n as f64, sum[1] / n as f64];
    let middle = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
    [mean, middle].into_iter().find(|&q| sees_every_edge(n, &at, q))
}

/// Whether `q` lies strictly on the same side of every edge's line and the ring goes around it
/// exactly once (a ring winding twice also keeps `q` on one side of every edge).
fn sees_every_edge(n: usize, at: &impl Fn(usize) -> [f64; 2], q: [f64; 2]) -> bool {
    if !(q[0].is_finite() && q[1].is_finite()) {
        return false;
    }
    let mut side = 0.0_f64;
    let mut crossings = 0u32;
    let mut a = at(n - 1);
    for i in 0..n {
        let b = at(i);
        let cross = (b[0] - a[0]) * (q[1] - a[1]) - (b[1] - a[1]) * (q[0] - a[0]);
        if cross == 0.0 || cross.is_nan() || (side != 0.0 && cross.signum() != side) {
            return false;
        }
        side = cross.signum();
        // Edges crossing the ray from q towards +x (half-open in y so a vertex counts once).
        if (a[1] > q[1]) != (b[1] > q[1]) {
            let x = a[0] + (q[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1]);
            if x > q[0] {
                crossings += 1;
            }
        }
        a = b;
    }
    crossings == 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::PolygonFill;
    use crate::map::fill_triangles::tests::{area_of_triangles, shoelace};

    /// The area the fan's triangles cover.
    fn area_of_fan(ring: &[[f64; 2]], fan: &StarFan) -> f64 {
        let fill = PolygonFill {
            triangles: fan.triangles.clone(),
            extra_vertices: fan.centre.into_iter().collect(),
        };
        area_of_triangles(ring, &fill)
    }

    #[test]
    fn a_star_shaped_ring_is_fanned_and_its_area_kept_in_either_winding() {
        // A twelve-pointed star: concave, yet every edge sees the middle.
        let mut ring: Vec<[f64; 2]> = (0..24)
            .map(|k| {
                let angle = k as f64 / 24.0 * std::f64::consts::TAU;
                let r = if k % 2 == 0 { 10.0 } else { 4.0 };
                [3.0 + r * angle.cos(), -2.0 + r * angle.sin()]
            })
            .collect();
        for _ in 0..2 {
            let fan = star_fan(&ring).unwrap();
            let (centre, triangles) = (fan.centre.unwrap(), &fan.triangles);
            assert_eq!(triangles.len(), 3 * 24);
            assert!((centre[0] - 3.0).abs() < 1e-9 && (centre[1] + 2.0).abs() < 1e-9);
            // Every triangle turns the ring's way, so none overlaps another.
            let sign = shoelace(&ring).signum();
            let at = |i: u32| ring.get(i as usize).copied().unwrap_or(centre);
            for t in triangles.chunks(3) {
                let [a, b, c] = [at(t[0]), at(t[1]), at(t[2])];
                let twice = (b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1]);
                assert_eq!(twice.signum(), sign);
            }
            assert!((area_of_fan(&ring, &fan) - shoelace(&ring).abs()).abs() < 1e-9);
            ring.reverse();
        }
    }

    #[test]
    fn a_convex_ring_is_fanned_from_its_first_vertex() {
        let hexagon: Vec<[f64; 2]> = (0..6)
            .map(|k| {
                let angle = k as f64 / 6.0 * std::f64::consts::TAU;
                [angle.cos(), angle.sin()]
            })
            .collect();
        let fan = star_fan(&hexagon).unwrap();
        assert_eq!(fan.centre, None);
        assert_eq!(fan.triangles, vec![0, 1, 2, 0, 2, 3, 0, 3, 4, 0, 4, 5]);
        assert!((area_of_fan(&hexagon, &fan) - shoelace(&hexagon)).abs() < 1e-12);
    }

    #[test]
    fn a_ring_not_star_shaped_about_its_middle_is_left_to_earcut() {
        // A U: the middle of its box lies in the gap between the arms.
        let u = [
            [0.0, 0.0],
            [3.0, 0.0],
            [3.0, 3.0],
            [2.0, 3.0],
            [2.0, 1.0],
            [1.0, 1.0],
            [1.0, 3.0],
            [0.0, 3.0],
        ];
        assert!(star_fan(&u).is_none());
        // A ring that winds twice around its middle keeps it on one side of every edge.
        let twice: Vec<[f64; 2]> = (0..10)
            .map(|k| {
                let angle = k as f64 / 5.0 * std::f64::consts::TAU;
                [angle.cos(), angle.sin()]
            })
            .collect();
        assert!(star_fan(&twice).is_none());
        // Too few vertices, a middle on an edge's line, and NaN.
        assert!(star_fan(&[[0.0, 0.0], [1.0, 0.0]]).is_none());
        assert!(star_fan(&[[0.0, 0.0], [2.0, 0.0], [1.0, 0.0], [1.0, 1.0]]).is_none());
        assert!(star_fan(&[[0.0, 0.0], [f64::NAN, 0.0], [1.0, 1.0]]).is_none());
    }

    proptest::proptest! {
        /// The load skips the crossing test for rings with a star centre: none of them crosses.
        #[test]
        fn a_ring_with_a_star_centre_never_crosses_itself(
            points in proptest::collection::vec((-8i32..8, -8i32..8), 3..12)
        ) {
            let ring: Vec<[f64; 2]> = points.iter().map(|&(x, y)| [f64::from(x), f64::from(y)]).collect();
            if star_centre(ring.len(), |i| ring[i]).is_some() {
                let closed: Vec<geo::Coord<f64>> = ring
                    .iter()
                    .chain(ring.first())
                    .map(|&[x, y]| geo::Coord { x, y })
                    .collect();
                proptest::prop_assert_eq!(crate::io::first_crossing(&[&closed]), None);
            }
        }
    }
}
