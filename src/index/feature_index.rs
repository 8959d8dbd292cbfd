//! The R-tree over a reference layer's features, in Web Mercator metres: which features meet a
//! box (what to draw) and which feature is under the pointer (identify), measured exactly on
//! the candidates the tree yields.

use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use crate::map::FeatureDrawing;

type Entry = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// A spatial index over a reference layer's features; queries take the drawing it was built
/// from and answer positions in it.
#[derive(Clone, Debug, Default)]
pub struct FeatureIndex {
    tree: RTree<Entry>,
}

impl FeatureIndex {
    /// Bulk-loads the index over `drawing`'s feature boxes (features without a box are left out).
    pub fn new(drawing: &FeatureDrawing) -> Self {
        let entries = drawing
            .bbox_m
            .iter()
            .enumerate()
            .filter(|(_, b)| b[0][0] <= b[1][0] && b[0][1] <= b[1][1])
            .map(|(i, b)| GeomWithData::new(Rectangle::from_corners(b[0], b[1]), i as u32))
            .collect();
        Self {
            tree: RTree::bulk_load(entries),
        }
    }

    /// Features whose boxes meet the box `min`..`max`, in layer order.
    pub fn in_box(&self, min: [f64; 2], max: [f64; 2]) -> Vec<usize> {
        let mut hits: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(&AABB::from_corners(min, max))
            .map(|e| e.data as usize)
            .collect();
        hits.sort_unstable();
        hits
    }

    /// The feature nearest `at_m` within `tolerance_m` (planar Web Mercator metres, as a pointer
    /// tolerance is): inside a polygon counts as 0. Ties go to the later feature, which is drawn
    /// on top.
    ///
    /// ```
    /// use mahalleh::index::FeatureIndex;
    /// use mahalleh::map::{FeatureDrawing, mercator_from_lon_lat};
    /// use mahalleh::model::Feature;
    /// let road = Feature {
    ///     file_index: 0,
    ///     points: Vec::new(),
    ///     lines: vec![geo::LineString::from(vec![(54.0, 31.0), (54.1, 31.0)])],
    ///     polygons: geo::MultiPolygon::new(Vec::new()),
    ///     properties: Default::default(),
    /// };
    /// let drawing = FeatureDrawing::new(&[road]);
    /// let index = FeatureIndex::new(&drawing);
    /// let [x, y] = mercator_from_lon_lat(54.05, 31.0);
    /// assert_eq!(index.nearest_within(&drawing, [x, y + 20.0], 30.0), Some(0));
    /// assert_eq!(index.nearest_within(&drawing, [x, y + 40.0], 30.0), None);
    /// ```
    pub fn nearest_within(&self, drawing: &FeatureDrawing, at_m: [f64; 2], tolerance_m: f64) -> Option<usize> {
        let [x, y] = at_m;
        let envelope = AABB::from_corners([x - tolerance_m, y - tolerance_m], [x + tolerance_m, y + tolerance_m]);
        self.tree
            .locate_in_envelope_intersecting(&envelope)
            .map(|e| e.data as usize)
            .filter_map(|i| {
                let d = distance_m(drawing, i, at_m);
                (d <= tolerance_m).then_some((d, i))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
            .map(|(_, i)| i)
    }

    /// Number of features indexed.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// Whether no feature is indexed.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }
}

/// Planar distance from `p` to feature `i`: to its nearest point or segment, 0 inside its
/// polygons (by the even-odd rule over all its rings).
fn distance_m(drawing: &FeatureDrawing, i: usize, p: [f64; 2]) -> f64 {
    let mut best = f64::INFINITY;
    let mut inside = false;
    for (path, ring) in drawing.paths(i) {
        for w in path.windows(2) {
            best = best.min(segment_distance(p, w[0], w[1]));
            if ring && (w[0][1] > p[1]) != (w[1][1] > p[1]) {
                let x = w[0][0] + (p[1] - w[0][1]) / (w[1][1] - w[0][1]) * (w[1][0] - w[0][0]);
                if p[0] < x {
                    inside = !inside;
                }
            }
        }
        if let [only] = path {
            best = best.min(((p[0] - only[0]).powi(2) + (p[1] - only[1]).powi(2)).sqrt());
        }
    }
    for q in drawing.points(i) {
        best = best.min(((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt());
    }
    if inside { 0.0 } else { best }
}

fn segment_distance(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (cx, cy) = (a[0] + t * dx, a[1] + t * dy);
    ((p[0] - cx).powi(2) + (p[1] - cy).powi(2)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Feature;
    use geo::{LineString, MultiPolygon, polygon};
    use proptest::prelude::*;

    fn point_feature(lon: f64, lat: f64) -> Feature {
        Feature {
            file_index: 0,
            points: vec![[lon, lat]],
            lines: Vec::new(),
            polygons: MultiPolygon::new(Vec::new()),
            properties: Default::default(),
        }
    }

    #[test]
    fn inside_a_polygon_is_distance_zero_and_its_hole_is_not() {
        let park = Feature {
            polygons: MultiPolygon::new(vec![polygon![
                exterior: [(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0), (x: 0.0, y: 0.0)],
                interiors: [[(x: 0.4, y: 0.4), (x: 0.6, y: 0.4), (x: 0.6, y: 0.6), (x: 0.4, y: 0.6), (x: 0.4, y: 0.4)]],
            ]]),
            ..point_feature(0.0, 0.0)
        };
        let park = Feature {
            points: Vec::new(),
            ..park
        };
        let drawing = FeatureDrawing::new(&[park]);
        let index = FeatureIndex::new(&drawing);
        let at = |lon, lat| crate::map::mercator_from_lon_lat(lon, lat);
        assert_eq!(index.nearest_within(&drawing, at(0.2, 0.2), 1.0), Some(0));
        assert_eq!(
            index.nearest_within(&drawing, at(0.5, 0.5), 1.0),
            None,
            "the hole is outside"
        );
    }

    #[test]
    fn lines_are_found_along_their_segments_not_only_at_vertices() {
        let road = Feature {
            points: Vec::new(),
            lines: vec![LineString::from(vec![(0.0, 0.0), (1.0, 0.0)])],
            ..point_feature(0.0, 0.0)
        };
        let drawing = FeatureDrawing::new(&[road]);
        let index = FeatureIndex::new(&drawing);
        let [x, y] = crate::map::mercator_from_lon_lat(0.5, 0.0);
        assert_eq!(index.nearest_within(&drawing, [x, y - 5.0], 10.0), Some(0));
    }

    proptest! {
        #[test]
        fn box_queries_equal_a_linear_scan(
            points in proptest::collection::vec((-10.0f64..10.0, -10.0f64..10.0), 1..60),
            (x0, y0, w, h) in (-12.0f64..12.0, -12.0f64..12.0, 0.0f64..8.0, 0.0f64..8.0),
        ) {
            let features: Vec<Feature> = points.iter().map(|&(lon, lat)| point_feature(lon, lat)).collect();
            let drawing = FeatureDrawing::new(&features);
            let index = FeatureIndex::new(&drawing);
            let min = crate::map::mercator_from_lon_lat(x0, y0);
            let max = crate::map::mercator_from_lon_lat(x0 + w, y0 + h);
            let scan: Vec<usize> = (0..features.len())
                .filter(|&i| {
                    let b = drawing.bbox_m[i];
                    b[0][0] <= max[0] && b[1][0] >= min[0] && b[0][1] <= max[1] && b[1][1] >= min[1]
                })
                .collect();
            prop_assert_eq!(index.in_box(min, max), scan);
        }
    }
}
