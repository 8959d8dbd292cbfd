//! Districts prepared for drawing, with no UI types: triangulated fills (concave shapes and holes
//! correct), ring outlines and label anchors, in Web Mercator metres stored as f32 offsets from an
//! f64 origin per district, so zooming into one neighbourhood does not jitter.

use std::ops::Range;

use rayon::prelude::*;

use super::fill_triangles::fill_polygon;
use super::label_anchor::label_anchor;
use super::projection::{LocalMercator, lon_lat_from_mercator, mercator_from_lon_lat};
use super::simplify::simplify_ring;
use crate::model::{District, twice_signed_area};

/// One ring's vertices: a run of [`LayerDrawing::vertices_m`], not repeating the first vertex.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RingSpan {
    /// Index of the ring's first vertex.
    pub start: u32,
    /// Number of vertices.
    pub len: u32,
}

/// Where one district's drawing data lies in the layer's buffers.
#[derive(Clone, Debug, PartialEq)]
pub struct DistrictDrawing {
    /// The Web Mercator point (metres) that this district's vertices are offsets from.
    pub origin_m: [f64; 2],
    /// The district's vertices in [`LayerDrawing::vertices_m`]: those of its rings, then any
    /// that cutting a big polygon into pieces added for its triangles.
    pub vertices: Range<u32>,
    /// The district's triangle corners in [`LayerDrawing::triangles`]; each value indexes
    /// the district's own vertices (add `vertices.start` for the layer buffer).
    pub triangles: Range<u32>,
    /// The district's rings in [`LayerDrawing::rings`].
    pub rings: Range<u32>,
    /// Where its label goes, in Web Mercator metres: inside the largest polygon.
    pub label_anchor_m: [f64; 2],
    /// The same point in longitude/latitude degrees.
    pub label_anchor_lon_lat: [f64; 2],
    /// Bounding box in Web Mercator metres: `[[min_x, min_y], [max_x, max_y]]`.
    pub bbox_m: [[f64; 2]; 2],
}

/// Every district of a layer, ready to draw.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LayerDrawing {
    /// Vertex positions, in metres from their district's `origin_m`.
    pub vertices_m: Vec<[f32; 2]>,
    /// Triangle corners, three per triangle, local to each district (see [`DistrictDrawing`]).
    pub triangles: Vec<u32>,
    /// Outline rings of all districts.
    pub rings: Vec<RingSpan>,
    /// Per district, in layer order.
    pub districts: Vec<DistrictDrawing>,
}

/// Districts per parallel work item: large enough to amortise buffers, small enough to balance.
const CHUNK: usize = 512;
/// Vertices per parallel work item: a few countries of a world map are a chunk on their own.
const CHUNK_VERTICES: usize = 65_536;

/// Consecutive runs of districts, each at most [`CHUNK`] districts or about [`CHUNK_VERTICES`]
/// vertices, so that both cores get work when a few districts hold most of the vertices.
fn chunks_by_work(districts: &[District]) -> Vec<Range<usize>> {
    let mut chunks = Vec::with_capacity(districts.len() / CHUNK + 1);
    let (mut start, mut vertices) = (0, 0);
    for (i, district) in districts.iter().enumerate() {
        vertices += district.vertex_count();
        if i + 1 - start >= CHUNK || vertices >= CHUNK_VERTICES {
            chunks.push(start..i + 1);
            (start, vertices) = (i + 1, 0);
        }
    }
    if start < districts.len() {
        chunks.push(start..districts.len());
    }
    chunks
}

impl LayerDrawing {
    /// Prepares `districts` on all cores. `keep_going` is asked between chunks and stops the
    /// work (returning `None`) when it answers false.
    pub fn prepare(districts: &[District], keep_going: &(dyn Fn(usize) -> bool + Sync)) -> Option<Self> {
        Self::prepare_simplified(districts, 0.0, keep_going)
    }

    /// Like [`Self::prepare`], with every ring simplified to `tolerance_m` Web Mercator metres
    /// (Douglas-Peucker) and triangulated again: a level of detail for zoomed-out views. Rings
    /// smaller than the tolerance are left out, and so are districts with nothing left; their
    /// entries stay, empty, so indices still match the layer.
    pub fn prepare_simplified(
        districts: &[District],
        tolerance_m: f64,
        keep_going: &(dyn Fn(usize) -> bool + Sync),
    ) -> Option<Self> {
        let parts: Vec<Option<LayerDrawing>> = chunks_by_work(districts)
            .into_par_iter()
            .map(|range| {
                let chunk = &districts[range];
                if !keep_going(chunk.len()) {
                    return None;
                }
                let mut part = LayerDrawing::default();
                if tolerance_m == 0.0 {
                    // Full detail keeps every vertex: size the buffers once rather than let
                    // them double (and fragment the heap) on a map of millions of vertices.
                    let vertices: usize = chunk.iter().map(District::vertex_count).sum();
                    let rings: usize = chunk.iter().map(District::ring_count).sum();
                    part.vertices_m.reserve(vertices + vertices / 16);
                    part.triangles.reserve(3 * (vertices + 2 * rings));
                    part.rings.reserve(rings);
                }
                let mut scratch = Scratch::default();
                let check = || keep_going(0);
                for district in chunk {
                    part.push(district, tolerance_m, &mut scratch, &check)?;
                }
                Some(part)
            })
            .collect();
        let parts: Vec<LayerDrawing> = parts.into_iter().collect::<Option<_>>()?;
        Some(Self::concatenate(parts))
    }

    /// One drawing of `parts` in order, copied on all cores (the buffers of a big layer are
    /// hundreds of megabytes, too much to copy and fault in on one), each part freed as soon as
    /// it is copied so the layer is not held twice at the peak.
    fn concatenate(parts: Vec<LayerDrawing>) -> Self {
        let vertex_total: usize = parts.iter().map(|p| p.vertices_m.len()).sum();
        let triangle_total: usize = parts.iter().map(|p| p.triangles.len()).sum();
        let ring_total: usize = parts.iter().map(|p| p.rings.len()).sum();
        let mut all = LayerDrawing {
            vertices_m: Vec::with_capacity(vertex_total),
            triangles: Vec::with_capacity(triangle_total),
            rings: Vec::with_capacity(ring_total),
            districts: Vec::with_capacity(parts.iter().map(|p| p.districts.len()).sum()),
        };
        let mut jobs = Vec::with_capacity(parts.len());
        {
            // Unwritten room, cut into one run per part; every run is written below.
            let (mut vertices, mut triangles, mut rings) = (
                &mut all.vertices_m.spare_capacity_mut()[..vertex_total],
                &mut all.triangles.spare_capacity_mut()[..triangle_total],
                &mut all.rings.spare_capacity_mut()[..ring_total],
            );
            let (mut dv, mut dt, mut dr) = (0u32, 0u32, 0u32);
            for part in parts {
                let (v, rest_v) = vertices.split_at_mut(part.vertices_m.len());
                let (t, rest_t) = triangles.split_at_mut(part.triangles.len());
                let (r, rest_r) = rings.split_at_mut(part.rings.len());
                (vertices, triangles, rings) = (rest_v, rest_t, rest_r);
                all.districts.extend(part.districts.iter().map(|d| DistrictDrawing {
                    vertices: d.vertices.start + dv..d.vertices.end + dv,
                    triangles: d.triangles.start + dt..d.triangles.end + dt,
                    rings: d.rings.start + dr..d.rings.end + dr,
                    ..d.clone()
                }));
                let shift = dv;
                dv += part.vertices_m.len() as u32;
                dt += part.triangles.len() as u32;
                dr += part.rings.len() as u32;
                jobs.push((part, v, t, r, shift));
            }
            jobs.into_par_iter().for_each(|(part, v, t, r, dv)| {
                for (out, &x) in v.iter_mut().zip(&part.vertices_m) {
                    out.write(x);
                }
                for (out, &x) in t.iter_mut().zip(&part.triangles) {
                    out.write(x);
                }
                for (out, ring) in r.iter_mut().zip(&part.rings) {
                    out.write(RingSpan {
                        start: ring.start + dv,
                        len: ring.len,
                    });
                }
            });
        }
        // SAFETY: the runs cut from the first `*_total` elements of each buffer's spare capacity
        // cover them exactly (their lengths are the parts' lengths, which sum to the totals), and
        // every element of every run was written by the loop above.
        unsafe {
            all.vertices_m.set_len(vertex_total);
            all.triangles.set_len(triangle_total);
            all.rings.set_len(ring_total);
        }
        all
    }

    /// Total number of triangles.
    pub fn triangle_count(&self) -> usize {
        self.triangles.len() / 3
    }

    /// Adds one district; `None` when `keep_going` answered false inside a big polygon.
    fn push(
        &mut self,
        district: &District,
        tolerance_m: f64,
        scratch: &mut Scratch,
        keep_going: &(dyn Fn() -> bool + Sync),
    ) -> Option<()> {
        let r = district.bbox_lon_lat;
        let local = local_frame(district);
        let origin = local.origin_m();
        let lo = mercator_from_lon_lat(r.min().x, r.min().y);
        let hi = mercator_from_lon_lat(r.max().x, r.max().y);
        let vertex_start = self.vertices_m.len() as u32;
        let triangle_start = self.triangles.len() as u32;
        let ring_start = self.rings.len() as u32;
        let mut anchor = LargestPolygonAnchor::default();
        for polygon in &district.shape_lon_lat {
            scratch.local.clear();
            scratch.holes.clear();
            scratch.ring_bounds.clear();
            for (i, ring) in std::iter::once(polygon.exterior())
                .chain(polygon.interiors())
                .enumerate()
            {
                if i > 0 {
                    scratch.holes.push(scratch.local.len() as u32);
                }
                scratch.ring.clear();
                scratch.ring.extend(offsets_m(ring, &local));
                if tolerance_m > 0.0 {
                    let kept = simplify_ring(&scratch.ring, tolerance_m);
                    if kept.len() < 3 {
                        if i == 0 {
                            break;
                        }
                        if let Some(hole) = scratch.holes.pop() {
                            debug_assert_eq!(hole as usize, scratch.local.len());
                        }
                        continue;
                    }
                    scratch.ring = kept;
                }
                let start = scratch.local.len();
                scratch.local.extend_from_slice(&scratch.ring);
                scratch.ring_bounds.push(start..scratch.local.len());
            }
            if scratch.ring_bounds.is_empty() {
                continue;
            }
            let base = self.vertices_m.len() as u32 - vertex_start;
            for bounds in &scratch.ring_bounds {
                self.rings.push(RingSpan {
                    start: vertex_start + base + bounds.start as u32,
                    len: bounds.len() as u32,
                });
            }
            let fill = fill_polygon(&scratch.local, &scratch.holes, &mut scratch.earcut, keep_going)?;
            self.triangles.extend(fill.triangles.iter().map(|&i| base + i));
            self.vertices_m.extend(
                scratch
                    .local
                    .iter()
                    .chain(&fill.extra_vertices)
                    .map(|&[x, y]| [x as f32, y as f32]),
            );
            anchor.offer(&scratch.local[scratch.ring_bounds[0].clone()], || {
                let rings: Vec<&[[f64; 2]]> = scratch.ring_bounds.iter().map(|b| &scratch.local[b.clone()]).collect();
                label_anchor(&rings)
            });
        }
        let label_anchor_m = anchor.anchor_m(origin);
        self.districts.push(DistrictDrawing {
            origin_m: origin,
            vertices: vertex_start..self.vertices_m.len() as u32,
            triangles: triangle_start..self.triangles.len() as u32,
            rings: ring_start..self.rings.len() as u32,
            label_anchor_m,
            label_anchor_lon_lat: lon_lat_from_mercator(label_anchor_m[0], label_anchor_m[1]),
            bbox_m: [lo, hi],
        });
        Some(())
    }
}

/// The label anchor of every district, longitude/latitude, exactly as [`LayerDrawing::prepare`]
/// places them, without triangulating: for analysis on a layer nobody draws (the anchor is where
/// an office's distance to a district is measured from). On all cores.
pub fn label_anchors_lon_lat(districts: &[District]) -> Vec<[f64; 2]> {
    districts
        .par_iter()
        .map(|district| {
            let local = local_frame(district);
            let mut anchor = LargestPolygonAnchor::default();
            for polygon in &district.shape_lon_lat {
                let rings: Vec<Vec<[f64; 2]>> = std::iter::once(polygon.exterior())
                    .chain(polygon.interiors())
                    .map(|ring| offsets_m(ring, &local).collect())
                    .collect();
                anchor.offer(&rings[0], || {
                    let refs: Vec<&[[f64; 2]]> = rings.iter().map(Vec::as_slice).collect();
                    label_anchor(&refs)
                });
            }
            let [x, y] = anchor.anchor_m(local.origin_m());
            lon_lat_from_mercator(x, y)
        })
        .collect()
}

/// The frame a district is drawn in: Web Mercator metres from a point of its bounding box.
fn local_frame(district: &District) -> LocalMercator {
    let r = district.bbox_lon_lat;
    LocalMercator::new([r.min().x, r.min().y], [r.max().x, r.max().y])
}

/// The vertices of a closed ring in `local`'s metres, without repeating the first.
fn offsets_m<'a>(ring: &'a geo::LineString<f64>, local: &'a LocalMercator) -> impl Iterator<Item = [f64; 2]> + 'a {
    ring.0[..ring.0.len().saturating_sub(1)]
        .iter()
        .map(|c| local.offset_m(c.x, c.y))
}

/// Where a district's label goes, as its polygons are offered one by one (in local metres):
/// inside the one with the largest exterior, the first of equals.
#[derive(Default)]
struct LargestPolygonAnchor(Option<([f64; 2], f64)>);

impl LargestPolygonAnchor {
    /// Offers the polygon with `exterior`; `anchor` places the label in it, and is called only
    /// when the polygon is the largest so far.
    fn offer(&mut self, exterior: &[[f64; 2]], anchor: impl FnOnce() -> [f64; 2]) {
        let area = ring_area(exterior);
        if self.0.is_none_or(|(_, a)| area > a) {
            self.0 = Some((anchor(), area));
        }
    }

    /// The anchor in Web Mercator metres, given the frame's origin (the origin itself for a
    /// district with nothing offered).
    fn anchor_m(&self, origin_m: [f64; 2]) -> [f64; 2] {
        let [x, y] = self.0.map_or([0.0, 0.0], |(p, _)| p);
        [origin_m[0] + x, origin_m[1] + y]
    }
}

/// Buffers reused from one polygon to the next.
#[derive(Default)]
struct Scratch {
    ring: Vec<[f64; 2]>,
    local: Vec<[f64; 2]>,
    holes: Vec<u32>,
    ring_bounds: Vec<Range<usize>>,
    earcut: earcut::Earcut<f64>,
}

/// The area of a ring (not closed), in its coordinates' square units.
fn ring_area(ring: &[[f64; 2]]) -> f64 {
    twice_signed_area(ring.len(), |i| ring[i]).abs() / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, MultiPolygon, Polygon, coord};
    use serde_json::Map;

    fn district(rings: &[&[(f64, f64)]]) -> District {
        let ls = |r: &[(f64, f64)]| LineString::from(r.iter().map(|&(x, y)| coord! {x: x, y: y}).collect::<Vec<_>>());
        let p = Polygon::new(ls(rings[0]), rings[1..].iter().map(|r| ls(r)).collect());
        District::new(0, MultiPolygon::new(vec![p]), Map::new()).unwrap()
    }

    /// Sum of triangle areas in the district's local metres.
    fn triangle_area(d: &LayerDrawing, i: usize) -> f64 {
        let dd = &d.districts[i];
        let v = &d.vertices_m[dd.vertices.start as usize..dd.vertices.end as usize];
        d.triangles[dd.triangles.start as usize..dd.triangles.end as usize]
            .chunks_exact(3)
            .map(|t| {
                let [a, b, c] =
                    [v[t[0] as usize], v[t[1] as usize], v[t[2] as usize]].map(|p| [p[0] as f64, p[1] as f64]);
                ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs() / 2.0
            })
            .sum()
    }

    #[test]
    fn anchors_without_drawing_are_the_drawings_anchors() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
        let layer = crate::io::load_district_layer(&path, &Default::default(), &crate::io::no_progress).unwrap();
        let anchors = label_anchors_lon_lat(&layer.districts);
        let drawn: Vec<[f64; 2]> = layer
            .drawing()
            .districts
            .iter()
            .map(|d| d.label_anchor_lon_lat)
            .collect();
        assert_eq!(anchors, drawn);
    }

    #[test]
    fn holes_and_concave_shapes_fill_exactly() {
        let outer = [(54.0, 31.0), (54.01, 31.0), (54.01, 31.01), (54.0, 31.01), (54.0, 31.0)];
        let hole = [
            (54.002, 31.002),
            (54.004, 31.002),
            (54.004, 31.004),
            (54.002, 31.004),
            (54.002, 31.002),
        ];
        let u = [
            (54.0, 31.0),
            (54.01, 31.0),
            (54.01, 31.01),
            (54.009, 31.01),
            (54.009, 31.001),
            (54.001, 31.001),
            (54.001, 31.01),
            (54.0, 31.01),
            (54.0, 31.0),
        ];
        let districts = vec![district(&[&outer, &hole]), district(&[&u])];
        let d = LayerDrawing::prepare(&districts, &|_| true).unwrap();
        for (i, src) in districts.iter().enumerate() {
            let dd = &d.districts[i];
            let rings: Vec<Vec<[f64; 2]>> = d.rings[dd.rings.start as usize..dd.rings.end as usize]
                .iter()
                .map(|r| {
                    d.vertices_m[r.start as usize..(r.start + r.len) as usize]
                        .iter()
                        .map(|p| [p[0] as f64, p[1] as f64])
                        .collect()
                })
                .collect();
            let expected = ring_area(&rings[0]) - rings[1..].iter().map(|r| ring_area(r)).sum::<f64>();
            let got = triangle_area(&d, i);
            assert!(
                (got - expected).abs() / expected < 1e-4,
                "district {i}: {got} vs {expected}"
            );
            assert_eq!(rings.len(), src.shape_lon_lat.0[0].interiors().len() + 1);
        }
        // The label of the square with a hole is not in the hole.
        let [lon, lat] = d.districts[0].label_anchor_lon_lat;
        assert!(!(54.002..54.004).contains(&lon) || !(31.002..31.004).contains(&lat));
    }

    #[test]
    fn chunks_join_with_correct_offsets() {
        let sq = [(54.0, 31.0), (54.01, 31.0), (54.01, 31.01), (54.0, 31.01), (54.0, 31.0)];
        let districts: Vec<District> = (0..CHUNK * 2 + 3).map(|_| district(&[&sq])).collect();
        let d = LayerDrawing::prepare(&districts, &|_| true).unwrap();
        assert_eq!(d.districts.len(), districts.len());
        let last = d.districts.last().unwrap();
        assert_eq!(
            last.vertices,
            (4 * (districts.len() as u32 - 1))..(4 * districts.len() as u32)
        );
        assert_eq!(d.rings[last.rings.start as usize].start, last.vertices.start);
        assert_eq!(d.triangle_count(), 2 * districts.len());
    }

    #[test]
    fn simplified_levels_keep_indices_and_drop_detail() {
        // A ring with 400 vertices on a circle of about 1 km.
        let ring: Vec<(f64, f64)> = (0..=400)
            .map(|k| {
                let a = std::f64::consts::TAU * f64::from(k % 400) / 400.0;
                (54.0 + 0.01 * a.cos(), 31.0 + 0.01 * a.sin())
            })
            .collect();
        let tiny = [(55.0, 31.0), (55.00001, 31.0), (55.00001, 31.00001), (55.0, 31.0)];
        let districts = vec![district(&[&ring]), district(&[&tiny])];
        let full = LayerDrawing::prepare(&districts, &|_| true).unwrap();
        let coarse = LayerDrawing::prepare_simplified(&districts, 20.0, &|_| true).unwrap();
        assert_eq!(coarse.districts.len(), 2);
        let n = |d: &LayerDrawing, i: usize| d.districts[i].vertices.len();
        assert_eq!(n(&full, 0), 400);
        assert!(n(&coarse, 0) < 100 && n(&coarse, 0) >= 8, "{}", n(&coarse, 0));
        assert_eq!(n(&coarse, 1), 0, "a 1 m district vanishes at 20 m");
        assert!(coarse.triangle_count() >= n(&coarse, 0) - 2);
    }

    #[test]
    fn cancel_stops_preparation() {
        let sq = [(54.0, 31.0), (54.01, 31.0), (54.01, 31.01), (54.0, 31.01), (54.0, 31.0)];
        assert!(LayerDrawing::prepare(&[district(&[&sq])], &|_| false).is_none());
    }
}
