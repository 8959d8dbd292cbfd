//! A point inside a polygon for its label: the middle of the widest horizontal run through the
//! shape, found on a few scan lines. Linear in the number of edges, so 100,000 districts take
//! milliseconds, and the point is inside by construction (unlike a centroid).

/// The scan lines tried across the polygon's height.
const SCAN_LINES: usize = 9;

/// A point inside the polygon made of `rings` (exterior first, closed or not), in the same
/// planar coordinates. Prefers wide runs near the vertical middle. Falls back to the first
/// vertex for a shape with no area.
///
/// ```
/// // An L shape: the anchor is inside it, not in the missing corner.
/// let l = vec![[0., 0.], [4., 0.], [4., 1.], [1., 1.], [1., 4.], [0., 4.]];
/// let [x, y] = mahalleh::map::label_anchor(&[&l]);
/// assert!(y < 1.0 || x < 1.0);
/// ```
pub fn label_anchor(rings: &[&[[f64; 2]]]) -> [f64; 2] {
    let Some(first) = rings.first().and_then(|r| r.first()) else {
        return [0.0, 0.0];
    };
    let (min_y, max_y) = rings[0]
        .iter()
        .fold((first[1], first[1]), |(lo, hi), p| (lo.min(p[1]), hi.max(p[1])));
    let height = max_y - min_y;
    if height <= 0.0 {
        return *first;
    }
    thread_local! {
        /// Crossing buffers kept between calls: a load places a label in every district.
        static CROSSINGS: std::cell::RefCell<Crossings> = std::cell::RefCell::default();
    }
    let best = CROSSINGS.with(|buffers| match buffers.try_borrow_mut() {
        Ok(mut crossings) => widest_run(rings, min_y, height, &mut crossings),
        Err(_) => widest_run(rings, min_y, height, &mut Crossings::default()),
    });
    best.map_or(*first, |(p, _)| p)
}

/// Where the rings' edges cross each scan line: `xs[k][..counts[k]]` for line `k`; a value past
/// the count is scratch (see [`Crossings::write`]).
#[derive(Default)]
struct Crossings {
    xs: [Vec<f64>; SCAN_LINES],
    counts: [usize; SCAN_LINES],
}

impl Crossings {
    /// Writes `x` as the next crossing of line `k` and counts it only when `real`: an edge's
    /// crossing is written before it is known whether there is one, which spares the branch that
    /// real outlines make unpredictable. The buffers grow to the most crossings a line has had,
    /// plus one, not to the number of edges (a world map's million-vertex outlines).
    fn write(&mut self, k: usize, x: f64, real: bool) {
        let (xs, count) = (&mut self.xs[k], &mut self.counts[k]);
        match xs.get_mut(*count) {
            Some(slot) => *slot = x,
            None => xs.push(x),
        }
        *count += usize::from(real);
    }
}

/// The middle of the widest run inside the rings on the scan lines across `min_y..min_y +
/// height`, weighted towards the middle line, with its score; `crossings` is scratch space.
fn widest_run(rings: &[&[[f64; 2]]], min_y: f64, height: f64, crossings: &mut Crossings) -> Option<([f64; 2], f64)> {
    // Every vertex gets the number of the last scan line at or below it (-1 below the first),
    // once; an edge then crosses exactly the lines numbered between its ends' numbers. Both edges
    // at a vertex see the same number, so every crossing is counted once, whatever the rounding.
    let step = height / SCAN_LINES as f64;
    let per_step = SCAN_LINES as f64 / height;
    let line_y = |k: usize| min_y + step * (k as f64 + 0.5);
    // Vertices outside the exterior's height (a hole sticking out, in a damaged file) are clamped.
    let line_below = |y: f64| ((((y - min_y) * per_step + 0.5).max(0.0)) as i64 - 1).min(SCAN_LINES as i64 - 1);
    crossings.counts = [0; SCAN_LINES];
    for ring in rings {
        let Some(&last) = ring.last() else { continue };
        let mut a = last;
        let mut a_line = line_below(a[1]);
        for &b in ring.iter() {
            let b_line = line_below(b[1]);
            let (from, to) = if a_line < b_line {
                (a_line, b_line)
            } else {
                (b_line, a_line)
            };
            let slope = (b[0] - a[0]) / (b[1] - a[1]);
            if to - from <= 1 {
                // Nearly every edge crosses one line (`to`) or none.
                if let Ok(k) = usize::try_from(to) {
                    crossings.write(k, a[0] + (line_y(k) - a[1]) * slope, to != from);
                }
            } else {
                for k in (from + 1) as usize..=to as usize {
                    crossings.write(k, a[0] + (line_y(k) - a[1]) * slope, true);
                }
            }
            (a, a_line) = (b, b_line);
        }
    }
    let Crossings { xs, counts } = crossings;
    let mut best: Option<([f64; 2], f64)> = None;
    for (k, (xs, &count)) in xs.iter_mut().zip(counts.iter()).enumerate() {
        let xs = &mut xs[..count];
        xs.sort_unstable_by(f64::total_cmp);
        // Wide runs win; a run off the middle needs to be wider to beat a central one.
        let t = (k as f64 + 0.5) / SCAN_LINES as f64;
        let centrality = 1.0 - (t - 0.5).abs();
        for pair in xs.chunks_exact(2) {
            let score = (pair[1] - pair[0]) * centrality;
            if best.is_none_or(|(_, s)| score > s) {
                best = Some(([(pair[0] + pair[1]) / 2.0, line_y(k)], score));
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Contains, LineString, Polygon, coord};

    fn polygon(rings: &[&[[f64; 2]]]) -> Polygon<f64> {
        let ls = |r: &[[f64; 2]]| LineString::from(r.iter().map(|&[x, y]| coord! {x: x, y: y}).collect::<Vec<_>>());
        Polygon::new(ls(rings[0]), rings[1..].iter().map(|r| ls(r)).collect())
    }

    #[test]
    fn square_anchor_is_central() {
        let sq = [[0., 0.], [2., 0.], [2., 2.], [0., 2.], [0., 0.]];
        assert_eq!(label_anchor(&[&sq]), [1.0, 1.0]);
    }

    #[test]
    fn anchor_avoids_holes_and_concavities() {
        let outer = [[0., 0.], [10., 0.], [10., 10.], [0., 10.]];
        let hole = [[2., 2.], [8., 2.], [8., 8.], [2., 8.]];
        let a = label_anchor(&[&outer, &hole]);
        assert!(polygon(&[&outer, &hole]).contains(&coord! {x: a[0], y: a[1]}), "{a:?}");
        let c = [
            [0., 0.],
            [10., 0.],
            [10., 10.],
            [9., 10.],
            [9., 1.],
            [1., 1.],
            [1., 10.],
            [0., 10.],
        ];
        let a = label_anchor(&[&c]);
        assert!(polygon(&[&c]).contains(&coord! {x: a[0], y: a[1]}), "{a:?}");
    }

    /// The widest run by the plain rule: each edge tested against each scan line.
    fn naive_anchor(rings: &[&[[f64; 2]]]) -> [f64; 2] {
        let ys = rings[0].iter().map(|p| p[1]);
        let (min_y, max_y) = (
            ys.clone().fold(f64::INFINITY, f64::min),
            ys.fold(f64::NEG_INFINITY, f64::max),
        );
        let step = (max_y - min_y) / SCAN_LINES as f64;
        let mut best: Option<([f64; 2], f64)> = None;
        for k in 0..SCAN_LINES {
            let y = min_y + step * (k as f64 + 0.5);
            let mut xs = Vec::new();
            for ring in rings {
                for (i, &b) in ring.iter().enumerate() {
                    let a = ring[(i + ring.len() - 1) % ring.len()];
                    if (a[1] <= y) != (b[1] <= y) {
                        xs.push(a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1]));
                    }
                }
            }
            xs.sort_by(f64::total_cmp);
            let centrality = 1.0 - ((k as f64 + 0.5) / SCAN_LINES as f64 - 0.5).abs();
            for pair in xs.chunks_exact(2) {
                let score = (pair[1] - pair[0]) * centrality;
                if best.is_none_or(|(_, s)| score > s) {
                    best = Some(([(pair[0] + pair[1]) / 2.0, y], score));
                }
            }
        }
        best.map_or(rings[0][0], |(p, _)| p)
    }

    proptest::proptest! {
        /// Jagged star-shaped outlines, some with a hole: the anchor is the plain rule's and lies
        /// inside the polygon.
        #[test]
        fn anchor_is_the_widest_run_and_inside(
            radii in proptest::collection::vec(0.3f64..1.0, 3..80),
            phase in 0.0f64..6.3,
            hole in 0.0f64..0.2,
        ) {
            let n = radii.len() as f64;
            let outer: Vec<[f64; 2]> = radii
                .iter()
                .enumerate()
                .map(|(k, r)| {
                    let a = phase + std::f64::consts::TAU * k as f64 / n;
                    [100.0 * r * a.cos(), 100.0 * r * a.sin()]
                })
                .collect();
            let square = [[-hole * 100.0, -hole * 100.0], [-hole * 100.0, hole * 100.0], [hole * 100.0, hole * 100.0], [hole * 100.0, -hole * 100.0]];
            let rings: Vec<&[[f64; 2]]> = if hole > 0.01 { vec![&outer, &square] } else { vec![&outer] };
            let got = label_anchor(&rings);
            let want = naive_anchor(&rings);
            proptest::prop_assert!((got[0] - want[0]).abs() < 1e-9 && (got[1] - want[1]).abs() < 1e-9, "{got:?} vs {want:?}");
            proptest::prop_assert!(polygon(&rings).contains(&coord! {x: got[0], y: got[1]}), "{got:?} outside");
        }
    }
}
