//! Ring simplification for levels of detail (Douglas-Peucker), so a zoomed-out map draws about as
//! many vertices as the screen can show rather than as many as the file has.

/// The vertices of a closed ring (first vertex not repeated at the end) that Douglas-Peucker keeps
/// at `tolerance`, in order. Returns fewer than 3 points when the ring is smaller than the
/// tolerance; callers drop such rings.
///
/// ```
/// // A square with a vertex in the middle of each side keeps only its corners.
/// let ring = [[0., 0.], [1., 0.], [2., 0.], [2., 1.], [2., 2.], [1., 2.], [0., 2.], [0., 1.]];
/// assert_eq!(mahalleh::map::simplify_ring(&ring, 0.1), vec![[0., 0.], [2., 0.], [2., 2.], [0., 2.]]);
/// ```
pub fn simplify_ring(ring: &[[f64; 2]], tolerance: f64) -> Vec<[f64; 2]> {
    let n = ring.len();
    if n < 3 || tolerance <= 0.0 {
        return ring.to_vec();
    }
    // Split the ring at its first vertex and the vertex farthest from it, then simplify both halves.
    let far = (1..n)
        .max_by(|&a, &b| dist2(ring[0], ring[a]).total_cmp(&dist2(ring[0], ring[b])))
        .unwrap_or(n / 2);
    if dist2(ring[0], ring[far]) <= tolerance * tolerance {
        return vec![ring[0]];
    }
    let mut keep = vec![false; n];
    keep[0] = true;
    keep[far] = true;
    let tol2 = tolerance * tolerance;
    let mut stack = vec![(0usize, far), (far, n)];
    while let Some((a, b)) = stack.pop() {
        if b - a < 2 {
            continue;
        }
        let (p, q) = (ring[a], ring[b % n]);
        let (mut worst, mut worst_d2) = (0usize, -1.0f64);
        for (i, &r) in ring.iter().enumerate().take(b).skip(a + 1) {
            let d2 = segment_dist2(r, p, q);
            if d2 > worst_d2 {
                worst = i;
                worst_d2 = d2;
            }
        }
        if worst_d2 > tol2 {
            keep[worst] = true;
            stack.push((a, worst));
            stack.push((worst, b));
        }
    }
    ring.iter().zip(keep).filter_map(|(p, k)| k.then_some(*p)).collect()
}

fn dist2(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)
}

fn segment_dist2(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let ab = [b[0] - a[0], b[1] - a[1]];
    let len2 = ab[0] * ab[0] + ab[1] * ab[1];
    let t = if len2 > 0.0 {
        (((p[0] - a[0]) * ab[0] + (p[1] - a[1]) * ab[1]) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    dist2(p, [a[0] + t * ab[0], a[1] + t * ab[1]])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Every dropped vertex lies within the tolerance of the simplified ring.
        #[test]
        fn dropped_vertices_stay_within_tolerance(
            radii in prop::collection::vec(50.0f64..100.0, 5..80), tolerance in 0.1f64..20.0
        ) {
            let n = radii.len();
            let ring: Vec<[f64; 2]> = radii.iter().enumerate().map(|(i, r)| {
                let a = std::f64::consts::TAU * i as f64 / n as f64;
                [r * a.cos(), r * a.sin()]
            }).collect();
            let kept = simplify_ring(&ring, tolerance);
            prop_assert!(kept.len() <= ring.len());
            prop_assert_eq!(kept[0], ring[0]);
            for p in &ring {
                let d = (0..kept.len())
                    .map(|i| segment_dist2(*p, kept[i], kept[(i + 1) % kept.len()]).sqrt())
                    .fold(f64::INFINITY, f64::min);
                prop_assert!(d <= tolerance + 1e-9, "{d} > {tolerance}");
            }
        }
    }
}
