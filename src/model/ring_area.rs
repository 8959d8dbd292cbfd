//! The planar area of a ring by the shoelace formula: the one place it is written, for the
//! winding of districts (longitude/latitude), the nesting of Shapefile rings (the file's own
//! coordinates) and the choice of the polygon a label goes in (Web Mercator metres).

/// Twice the signed area of the ring of `n` vertices `at(0)..at(n - 1)` in any planar
/// coordinates, positive when it runs counter-clockwise. The ring may repeat its first vertex
/// at the end or not: measured from the first vertex, the closing edge adds nothing either way,
/// and large coordinates (UTM metres, Web Mercator) do not cancel each other out.
///
/// ```
/// use mahalleh::model::twice_signed_area;
/// let square = [[500_000.0, 3_500_000.0], [500_002.0, 3_500_000.0], [500_002.0, 3_500_002.0], [500_000.0, 3_500_002.0]];
/// assert_eq!(twice_signed_area(square.len(), |i| square[i]), 8.0);
/// let closed = [square[3], square[2], square[1], square[0], square[3]];
/// assert_eq!(twice_signed_area(closed.len(), |i| closed[i]), -8.0);
/// ```
pub fn twice_signed_area(n: usize, at: impl Fn(usize) -> [f64; 2]) -> f64 {
    if n < 3 {
        return 0.0;
    }
    let o = at(0);
    let mut twice = 0.0;
    let mut a = [0.0, 0.0];
    for i in 1..n {
        let p = at(i);
        let b = [p[0] - o[0], p[1] - o[1]];
        twice += a[0] * b[1] - b[0] * a[1];
        a = b;
    }
    twice
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Against geo's signed area, on rings far from the origin, closed or not.
        #[test]
        fn matches_geo_closed_or_not(
            points in prop::collection::vec((-1000.0f64..1000.0, -1000.0f64..1000.0), 3..40),
            offset in prop::sample::select(vec![0.0, 500_000.0, 4_000_000.0]),
        ) {
            use geo::Area;
            let ring: Vec<[f64; 2]> = points.iter().map(|&(x, y)| [x + offset, y + offset]).collect();
            let polygon = geo::Polygon::new(
                geo::LineString::from(ring.iter().map(|&[x, y]| (x, y)).collect::<Vec<_>>()),
                vec![],
            );
            let expected = 2.0 * polygon.signed_area();
            let open = twice_signed_area(ring.len(), |i| ring[i]);
            let mut closed = ring.clone();
            closed.push(ring[0]);
            let closed = twice_signed_area(closed.len(), |i| closed[i]);
            let tolerance = 1e-9 * expected.abs().max(1.0) + 1e-6;
            prop_assert!((open - expected).abs() < tolerance, "{open} vs {expected}");
            prop_assert!((closed - expected).abs() < tolerance, "{closed} vs {expected}");
        }
    }

    #[test]
    fn fewer_than_three_vertices_have_no_area() {
        let line = [[0.0, 0.0], [1.0, 1.0]];
        assert_eq!(twice_signed_area(line.len(), |i| line[i]), 0.0);
        assert_eq!(twice_signed_area(0, |_| [0.0, 0.0]), 0.0);
    }
}
