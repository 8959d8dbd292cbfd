//! The R-tree over district bounding boxes, with exact geometry tests on the candidates it yields:
//! which district holds a point, which districts meet a rectangle, which are nearest a point.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use geo::{Coord, Distance, Geodesic, Intersects, Point, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree, RTreeNode, RTreeObject};

use crate::model::District;

type Entry = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// Metres per degree of latitude on a sphere of the WGS 84 mean radius; only used to rank
/// candidates in a local frame, never to report a distance.
const M_PER_DEG: f64 = 6_371_008.8 * std::f64::consts::PI / 180.0;

/// A spatial index over a layer's districts, in longitude/latitude.
///
/// Queries take the same district slice the index was built from; answers are positions in it.
#[derive(Clone, Debug, Default)]
pub struct DistrictIndex {
    tree: RTree<Entry>,
}

/// A district near a point, with its distance.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NearbyDistrict {
    /// Position of the district in the layer.
    pub district: usize,
    /// Geodesic distance on the WGS 84 ellipsoid from the point to the district's nearest
    /// boundary point, in metres; 0 when the district holds the point.
    pub distance_m: f64,
}

impl DistrictIndex {
    /// Bulk-loads the index over `districts`' bounding boxes.
    pub fn new(districts: &[District]) -> Self {
        let entries = districts
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let r = d.bbox_lon_lat;
                GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    i as u32,
                )
            })
            .collect();
        Self {
            tree: RTree::bulk_load(entries),
        }
    }

    /// Number of districts indexed.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// The district holding the point (its boundary counts as inside). Where districts overlap
    /// or share the boundary the point is on, the one earliest in the layer wins.
    pub fn district_at(&self, districts: &[District], lon: f64, lat: f64) -> Option<usize> {
        let point = Coord { x: lon, y: lat };
        self.tree
            .locate_all_at_point(&[lon, lat])
            .map(|e| e.data as usize)
            .filter(|&i| covers(&districts[i].shape_lon_lat, point))
            .min()
    }

    /// The districts whose shape meets `rect` (longitude/latitude), in layer order.
    pub fn districts_in_rect(&self, districts: &[District], rect: Rect<f64>) -> Vec<usize> {
        let envelope = AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]);
        let mut found: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(&envelope)
            .map(|e| e.data as usize)
            .filter(|&i| districts[i].shape_lon_lat.intersects(&rect))
            .collect();
        found.sort_unstable();
        found
    }

    /// The districts whose bounding box meets the longitude/latitude box, in no particular order,
    /// without testing their shapes: for culling what to draw.
    pub fn districts_in_bbox(&self, min: [f64; 2], max: [f64; 2]) -> Vec<usize> {
        let envelope = AABB::from_corners(min, max);
        self.tree
            .locate_in_envelope_intersecting(&envelope)
            .map(|e| e.data as usize)
            .collect()
    }

    /// The `k` districts nearest the point, nearest first (ties in layer order).
    ///
    /// Candidates are ranked in an equirectangular frame centred on the point, which matches the
    /// ellipsoid to well under 1% over a city; the distances returned are geodesic. Not meant for
    /// layers that cross the antimeridian.
    pub fn nearest(&self, districts: &[District], lon: f64, lat: f64, k: usize) -> Vec<NearbyDistrict> {
        let frame = LocalFrame::new(lon, lat);
        let mut heap = BinaryHeap::new();
        let mut out = Vec::with_capacity(k);
        if k == 0 || self.tree.size() == 0 {
            return out;
        }
        heap.push(Candidate {
            rank: frame.rect_distance(&self.tree.root().envelope()),
            item: Item::Node(self.tree.root()),
        });
        while let Some(Candidate { rank, item }) = heap.pop() {
            match item {
                Item::Node(node) => {
                    for child in node.children() {
                        let item = match child {
                            RTreeNode::Leaf(e) => Item::Bounded(e.data),
                            RTreeNode::Parent(p) => Item::Node(p),
                        };
                        let rank = match child {
                            RTreeNode::Leaf(e) => frame.rect_distance(&e.geom().envelope()),
                            RTreeNode::Parent(p) => frame.rect_distance(&p.envelope()),
                        };
                        heap.push(Candidate { rank, item });
                    }
                }
                Item::Bounded(i) => {
                    let (rank, nearest) = frame.district_distance(&districts[i as usize]);
                    heap.push(Candidate {
                        rank,
                        item: Item::Exact(i, nearest),
                    });
                }
                Item::Exact(i, nearest) => {
                    let distance_m = if rank == 0.0 {
                        0.0
                    } else {
                        Geodesic.distance(Point::new(lon, lat), Point::from(nearest))
                    };
                    out.push(NearbyDistrict {
                        district: i as usize,
                        distance_m,
                    });
                    if out.len() == k {
                        break;
                    }
                }
            }
        }
        out
    }
}

/// What a heap entry stands for. Variant order matters: at equal rank a bound is expanded before
/// an exact answer is taken, and exact answers come out in layer order.
enum Item<'a> {
    Node(&'a rstar::ParentNode<Entry>),
    Bounded(u32),
    Exact(u32, Coord<f64>),
}

struct Candidate<'a> {
    rank: f64,
    item: Item<'a>,
}

impl Candidate<'_> {
    fn key(&self) -> (f64, u8, u32) {
        match self.item {
            Item::Node(_) => (self.rank, 0, 0),
            Item::Bounded(i) => (self.rank, 1, i),
            Item::Exact(i, _) => (self.rank, 2, i),
        }
    }
}

impl PartialEq for Candidate<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Candidate<'_> {}
impl PartialOrd for Candidate<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate<'_> {
    /// Reversed, so the max-heap pops the smallest key.
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (self.key(), other.key());
        b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2))
    }
}

/// Planar metres around a query point: x east, y north.
struct LocalFrame {
    lon: f64,
    lat: f64,
    kx: f64,
}

impl LocalFrame {
    fn new(lon: f64, lat: f64) -> Self {
        Self {
            lon,
            lat,
            kx: lat.to_radians().cos() * M_PER_DEG,
        }
    }

    fn local(&self, c: Coord<f64>) -> [f64; 2] {
        [(c.x - self.lon) * self.kx, (c.y - self.lat) * M_PER_DEG]
    }

    fn rect_distance(&self, r: &AABB<[f64; 2]>) -> f64 {
        let [lo, hi] = [r.lower(), r.upper()];
        let dx = (lo[0] - self.lon).max(self.lon - hi[0]).max(0.0) * self.kx;
        let dy = (lo[1] - self.lat).max(self.lat - hi[1]).max(0.0) * M_PER_DEG;
        dx.hypot(dy)
    }

    /// Distance in this frame to the district (0 inside) and the district's nearest point.
    fn district_distance(&self, d: &District) -> (f64, Coord<f64>) {
        let here = Coord {
            x: self.lon,
            y: self.lat,
        };
        if d.shape_lon_lat.intersects(&here) {
            return (0.0, here);
        }
        let mut best = (f64::INFINITY, here);
        for polygon in &d.shape_lon_lat {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for line in ring.lines() {
                    let (a, b) = (self.local(line.start), self.local(line.end));
                    let (ab, ap) = ([b[0] - a[0], b[1] - a[1]], [-a[0], -a[1]]);
                    let len2 = ab[0] * ab[0] + ab[1] * ab[1];
                    let t = if len2 > 0.0 {
                        ((ap[0] * ab[0] + ap[1] * ab[1]) / len2).clamp(0.0, 1.0)
                    } else {
                        0.0
                    };
                    let p = [a[0] + t * ab[0], a[1] + t * ab[1]];
                    let dist = p[0].hypot(p[1]);
                    if dist < best.0 {
                        let on = line.start + (line.end - line.start) * t;
                        best = (dist, on);
                    }
                }
            }
        }
        best
    }
}

/// Whether `point` is inside `shape` or on its boundary: geo's `intersects` for a point, without
/// the bounding box it computes from every vertex first (the R-tree has checked the box).
fn covers(shape: &geo::MultiPolygon<f64>, point: Coord<f64>) -> bool {
    use geo::coordinate_position::{CoordPos, coord_pos_relative_to_ring};
    shape
        .iter()
        .any(|polygon| match coord_pos_relative_to_ring(point, polygon.exterior()) {
            CoordPos::Outside => false,
            CoordPos::OnBoundary => true,
            CoordPos::Inside => polygon
                .interiors()
                .iter()
                .all(|hole| coord_pos_relative_to_ring(point, hole) != CoordPos::Inside),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_agrees_with_geo_on_boundaries_holes_and_parts() {
        use geo::{Intersects, LineString, MultiPolygon, Polygon};
        let square = |x0: f64, y0: f64, s: f64| {
            LineString::from(vec![(x0, y0), (x0 + s, y0), (x0 + s, y0 + s), (x0, y0 + s), (x0, y0)])
        };
        let shape = MultiPolygon::new(vec![
            Polygon::new(square(0.0, 0.0, 4.0), vec![square(1.0, 1.0, 1.0)]),
            Polygon::new(square(10.0, 0.0, 1.0), vec![]),
        ]);
        let mut checked = 0;
        for x in (-4..=48).map(|k| f64::from(k) * 0.25) {
            for y in (-4..=20).map(|k| f64::from(k) * 0.25) {
                let p = Coord { x, y };
                assert_eq!(covers(&shape, p), shape.intersects(&p), "{p:?}");
                checked += 1;
            }
        }
        assert!(checked > 1000);
        assert!(
            covers(&shape, Coord { x: 1.0, y: 1.5 }),
            "a hole's edge is the polygon's boundary"
        );
        assert!(!covers(&shape, Coord { x: 1.5, y: 1.5 }), "inside the hole");
    }
    use geo::{LineString, MultiPolygon, Polygon, coord};
    use proptest::prelude::*;
    use serde_json::Map;

    fn square(x: f64, y: f64, size: f64) -> District {
        let ring = LineString::from(vec![
            coord! {x: x, y: y},
            coord! {x: x + size, y: y},
            coord! {x: x + size, y: y + size},
            coord! {x: x, y: y + size},
            coord! {x: x, y: y},
        ]);
        District::new(0, MultiPolygon::new(vec![Polygon::new(ring, vec![])]), Map::new()).unwrap()
    }

    /// A jittered triangle-ish polygon near (x, y), concave when `notch`.
    fn blob(x: f64, y: f64, w: f64, h: f64, notch: bool) -> District {
        let mut pts = vec![(x, y), (x + w, y), (x + w, y + h)];
        if notch {
            pts.push((x + w / 2.0, y + h / 4.0));
        }
        pts.extend([(x, y + h), (x, y)]);
        let ring = LineString::from(pts.iter().map(|&(a, b)| coord! {x: a, y: b}).collect::<Vec<_>>());
        District::new(0, MultiPolygon::new(vec![Polygon::new(ring, vec![])]), Map::new()).unwrap()
    }

    #[test]
    fn point_in_squares_and_shared_border() {
        let ds = vec![square(54.0, 31.0, 0.1), square(54.1, 31.0, 0.1)];
        let idx = DistrictIndex::new(&ds);
        assert_eq!(idx.district_at(&ds, 54.05, 31.05), Some(0));
        assert_eq!(idx.district_at(&ds, 54.15, 31.05), Some(1));
        assert_eq!(
            idx.district_at(&ds, 54.1, 31.05),
            Some(0),
            "shared border goes to the first"
        );
        assert_eq!(idx.district_at(&ds, 54.25, 31.05), None);
    }

    #[test]
    fn nearest_distance_is_geodesic() {
        let ds = vec![square(54.0, 31.0, 0.1), square(55.0, 31.0, 0.1)];
        let idx = DistrictIndex::new(&ds);
        let near = idx.nearest(&ds, 54.2, 31.05, 2);
        assert_eq!(near.iter().map(|n| n.district).collect::<Vec<_>>(), vec![0, 1]);
        // 0.1 degrees of longitude at 31.05 N on the ellipsoid.
        let expected = Geodesic.distance(Point::new(54.1, 31.05), Point::new(54.2, 31.05));
        assert!((near[0].distance_m - expected).abs() < 0.01, "{near:?} vs {expected}");
        assert!((near[0].distance_m - 9_546.0).abs() < 10.0, "{near:?}");
        assert_eq!(idx.nearest(&ds, 54.05, 31.05, 1)[0].distance_m, 0.0);
    }

    fn layer_strategy() -> impl Strategy<Value = Vec<District>> {
        prop::collection::vec(
            (0.0f64..1.0, 0.0f64..1.0, 0.001f64..0.3, 0.001f64..0.3, any::<bool>()),
            1..60,
        )
        .prop_map(|v| {
            v.into_iter()
                .map(|(x, y, w, h, n)| blob(54.0 + x, 31.0 + y, w, h, n))
                .collect()
        })
    }

    proptest! {
        #[test]
        fn district_at_matches_linear_scan(ds in layer_strategy(), pts in prop::collection::vec((53.9f64..55.4, 30.9f64..32.4), 1..40)) {
            let idx = DistrictIndex::new(&ds);
            for (lon, lat) in pts {
                let brute = ds.iter().position(|d| d.shape_lon_lat.intersects(&coord! {x: lon, y: lat}));
                prop_assert_eq!(idx.district_at(&ds, lon, lat), brute);
            }
        }

        #[test]
        fn rect_query_matches_linear_scan(ds in layer_strategy(), x in 53.9f64..55.0, y in 30.9f64..32.0, w in 0.0f64..0.6, h in 0.0f64..0.6) {
            let idx = DistrictIndex::new(&ds);
            let rect = Rect::new(coord! {x: x, y: y}, coord! {x: x + w, y: y + h});
            let brute: Vec<usize> = (0..ds.len()).filter(|&i| ds[i].shape_lon_lat.intersects(&rect)).collect();
            prop_assert_eq!(idx.districts_in_rect(&ds, rect), brute);
        }

        #[test]
        fn nearest_matches_linear_scan(ds in layer_strategy(), lon in 53.5f64..55.5, lat in 30.5f64..32.5, k in 1usize..8) {
            let idx = DistrictIndex::new(&ds);
            let frame = LocalFrame::new(lon, lat);
            let mut brute: Vec<(f64, usize)> = ds.iter().enumerate().map(|(i, d)| (frame.district_distance(d).0, i)).collect();
            brute.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let got = idx.nearest(&ds, lon, lat, k);
            let want: Vec<usize> = brute.iter().take(k).map(|b| b.1).collect();
            prop_assert_eq!(got.iter().map(|n| n.district).collect::<Vec<_>>(), want);
            for n in &got {
                // Geodesic and local-frame distances agree to within 1% at this scale.
                let local = brute.iter().find(|b| b.1 == n.district).unwrap().0;
                prop_assert!((n.distance_m - local).abs() <= 0.01 * local + 1e-6, "{} vs {}", n.distance_m, local);
            }
        }
    }
}
