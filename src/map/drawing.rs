//! Districts prepared for drawing, with no UI types: triangulated fills (concave shapes and holes
//! correct), ring outlines and label anchors, in Web Mercator metres stored as f32 offsets from an
//! f64 origin per district, so zooming into one neighbourhood does not jitter.

use std::ops::Range;

use rayon::prelude::*;

use super::fill_triangles::{fill_polygon, fill_without_fan};
use super::label_anchor::label_anchor;
use super::projection::{LocalMercator, lon_lat_from_mercator, mercator_from_lon_lat};
use super::simplify::simplify_ring;
use super::star_fan::{FanFrom, fan_corner, fan_triangle_count, star_fan_from};
use crate::model::{District, twice_signed_area};
use crate::slots::runs_mut;

/// One ring's vertices: a run of its part's vertices, not repeating the first vertex.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RingSpan {
    /// Index of the ring's first vertex in its part.
    pub start: u32,
    /// Number of vertices.
    pub len: u32,
}

/// Where one district's drawing data lies: a part of the layer's drawing, and runs of it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DistrictDrawing {
    /// The Web Mercator point (metres) that this district's vertices are offsets from.
    pub origin_m: [f64; 2],
    /// The part of [`LayerDrawing`] that holds this district's vertices, triangles and rings.
    pub part: u32,
    /// The district's vertices in its part: those of its rings, then any that cutting a big
    /// polygon into pieces added for its triangles.
    pub vertices: Range<u32>,
    /// The district's triangle corners in its part; each value indexes the district's own
    /// vertices (see [`LayerDrawing::vertices_of`]). Empty for a fan.
    pub triangles: Range<u32>,
    /// For a district of one ring filled by a fan: where the fan starts. Its triangles are not
    /// stored but made when asked for ([`LayerDrawing::triangles_of`]): on the 100,000-polygon
    /// bench, whose rings without holes are all star-shaped, the stored corners went from 48 MB
    /// to 5 MB.
    pub fan: Option<FanFrom>,
    /// The district's rings in its part.
    pub rings: Range<u32>,
    /// Where its label goes, in Web Mercator metres: inside the largest polygon.
    pub label_anchor_m: [f64; 2],
    /// The same point in longitude/latitude degrees.
    pub label_anchor_lon_lat: [f64; 2],
    /// Bounding box in Web Mercator metres: `[[min_x, min_y], [max_x, max_y]]`.
    pub bbox_m: [[f64; 2]; 2],
}

/// The buffers of a run of consecutive districts, as one worker built them.
#[derive(Clone, Debug, Default, PartialEq)]
struct DrawingPart {
    /// Vertex positions, in metres from their district's `origin_m`.
    vertices_m: Vec<[f32; 2]>,
    /// Triangle corners, three per triangle, local to each district.
    triangles: Vec<u32>,
    /// Outline rings of the part's districts.
    rings: Vec<RingSpan>,
    /// Triangles of the part's fans, which `triangles` does not hold.
    fan_triangles: usize,
}

/// Every district of a layer, ready to draw. The buffers stay in the parts the workers built
/// (a run of districts each) rather than being copied into one: on a world map that copy held
/// the drawing twice at the load's peak. Read a district's data through [`Self::vertices_of`],
/// [`Self::triangles_of`] and [`Self::rings_of`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LayerDrawing {
    parts: Vec<DrawingPart>,
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
        // Each chunk writes its districts' entries straight into their places in the layer's
        // list: gathered from the chunks, they were copied into fresh memory once more.
        let chunks = chunks_by_work(districts);
        let mut drawn = Vec::with_capacity(districts.len());
        drawn.resize_with(districts.len(), DistrictDrawing::default);
        let slots = runs_mut(&mut drawn, chunks.iter().map(ExactSizeIterator::len));
        let parts: Vec<Option<DrawingPart>> = chunks
            .into_par_iter()
            .zip(slots)
            .enumerate()
            .map(|(part_index, (range, slots))| {
                let chunk = &districts[range];
                if !keep_going(chunk.len()) {
                    return None;
                }
                let mut part = DrawingPart::default();
                if tolerance_m == 0.0 {
                    // Full detail keeps every vertex: size the buffers once rather than let
                    // them double (and fragment the heap) on a map of millions of vertices.
                    // Triangles are not sized: fans store none, and room reserved but never
                    // written still costs fresh memory (pages shared with written data are
                    // zeroed whole).
                    let vertices: usize = chunk.iter().map(District::vertex_count).sum();
                    let rings: usize = chunk.iter().map(District::ring_count).sum();
                    part.vertices_m.reserve(vertices + vertices / 16);
                    part.rings.reserve(rings);
                }
                let mut scratch = Scratch::default();
                let check = || keep_going(0);
                for (district, slot) in chunk.iter().zip(slots) {
                    *slot = part.push(district, part_index as u32, tolerance_m, &mut scratch, &check)?;
                }
                Some(part)
            })
            .collect();
        Some(LayerDrawing {
            parts: parts.into_iter().collect::<Option<Vec<_>>>()?,
            districts: drawn,
        })
    }

    /// The vertices of district `i`, in metres from its `origin_m`.
    pub fn vertices_of(&self, i: usize) -> &[[f32; 2]] {
        let d = &self.districts[i];
        &self.parts[d.part as usize].vertices_m[d.vertices.start as usize..d.vertices.end as usize]
    }

    /// The triangle corners of district `i`, three per triangle, indexing [`Self::vertices_of`].
    pub fn triangles_of(&self, i: usize) -> Triangles<'_> {
        let d = &self.districts[i];
        let stored = &self.parts[d.part as usize].triangles[d.triangles.start as usize..d.triangles.end as usize];
        let fan = d.fan.map(|from| {
            let n = d.vertices.len() as u32 - u32::from(from == FanFrom::Centre);
            (from, n)
        });
        Triangles { stored, fan }
    }

    /// The outline rings of district `i`, as ranges of [`Self::vertices_of`] (the first vertex
    /// not repeated).
    pub fn rings_of(&self, i: usize) -> impl Iterator<Item = Range<usize>> + '_ {
        let d = &self.districts[i];
        let first = d.vertices.start;
        self.parts[d.part as usize].rings[d.rings.start as usize..d.rings.end as usize]
            .iter()
            .map(move |r| (r.start - first) as usize..(r.start - first + r.len) as usize)
    }

    /// Total number of vertices.
    pub fn vertex_count(&self) -> usize {
        self.parts.iter().map(|p| p.vertices_m.len()).sum()
    }

    /// Total number of triangles.
    pub fn triangle_count(&self) -> usize {
        self.parts.iter().map(|p| p.triangles.len() / 3 + p.fan_triangles).sum()
    }

    /// Total number of outline rings.
    pub fn ring_count(&self) -> usize {
        self.parts.iter().map(|p| p.rings.len()).sum()
    }
}

/// The triangle corners of one district, three per triangle: stored ones, or a fan's, made as
/// they are read.
#[derive(Clone, Copy, Debug)]
pub struct Triangles<'a> {
    stored: &'a [u32],
    /// Where the fan starts and its ring's vertex count.
    fan: Option<(FanFrom, u32)>,
}

impl<'a> Triangles<'a> {
    /// Number of corners (three times the triangles).
    pub fn len(&self) -> usize {
        match self.fan {
            Some((from, n)) => 3 * fan_triangle_count(from, n) as usize,
            None => self.stored.len(),
        }
    }

    /// Whether there is no triangle.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The corners in order.
    pub fn iter(&self) -> TriangleCorners<'a> {
        TriangleCorners {
            stored: self.stored,
            fan: self.fan,
            next: 0,
            len: self.len() as u32,
        }
    }

    /// The corners in a vector.
    pub fn to_vec(&self) -> Vec<u32> {
        self.iter().collect()
    }
}

/// The corners of [`Triangles`], in order.
#[derive(Clone, Debug)]
pub struct TriangleCorners<'a> {
    stored: &'a [u32],
    fan: Option<(FanFrom, u32)>,
    next: u32,
    len: u32,
}

impl Iterator for TriangleCorners<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        if self.next >= self.len {
            return None;
        }
        let j = self.next;
        self.next += 1;
        match self.fan {
            Some((from, n)) => Some(fan_corner(from, n, j)),
            None => self.stored.get(j as usize).copied(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.len - self.next) as usize;
        (left, Some(left))
    }
}

impl ExactSizeIterator for TriangleCorners<'_> {}

impl DrawingPart {
    /// Adds one district; `None` when `keep_going` answered false inside a big polygon.
    fn push(
        &mut self,
        district: &District,
        part: u32,
        tolerance_m: f64,
        scratch: &mut Scratch,
        keep_going: &(dyn Fn() -> bool + Sync),
    ) -> Option<DistrictDrawing> {
        let r = district.bbox_lon_lat;
        let local = local_frame(district);
        let origin = local.origin_m();
        let lo = mercator_from_lon_lat(r.min().x, r.min().y);
        let hi = mercator_from_lon_lat(r.max().x, r.max().y);
        let vertex_start = self.vertices_m.len() as u32;
        let triangle_start = self.triangles.len() as u32;
        let ring_start = self.rings.len() as u32;
        let mut anchor = LargestPolygonAnchor::default();
        let mut fan = None;
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
            let one_ring = district.shape_lon_lat.0.len() == 1 && scratch.holes.is_empty();
            if let Some((from, centre)) = one_ring.then(|| star_fan_from(&scratch.local)).flatten() {
                let centre = (from == FanFrom::Centre).then_some(centre);
                self.vertices_m
                    .extend(scratch.local.iter().chain(&centre).map(|&[x, y]| [x as f32, y as f32]));
                self.fan_triangles += fan_triangle_count(from, scratch.local.len() as u32) as usize;
                fan = Some(from);
            } else {
                // A lone ring that is not star-shaped was just tested: no second try at a fan.
                let fill = if one_ring {
                    fill_without_fan(&scratch.local, &scratch.holes, &mut scratch.earcut, keep_going)?
                } else {
                    fill_polygon(&scratch.local, &scratch.holes, &mut scratch.earcut, keep_going)?
                };
                self.triangles.extend(fill.triangles.iter().map(|&i| base + i));
                self.vertices_m.extend(
                    scratch
                        .local
                        .iter()
                        .chain(&fill.extra_vertices)
                        .map(|&[x, y]| [x as f32, y as f32]),
                );
            }
            anchor.offer(&scratch.local[scratch.ring_bounds[0].clone()], || {
                let rings: Vec<&[[f64; 2]]> = scratch.ring_bounds.iter().map(|b| &scratch.local[b.clone()]).collect();
                label_anchor(&rings)
            });
        }
        let label_anchor_m = anchor.anchor_m(origin);
        Some(DistrictDrawing {
            origin_m: origin,
            part,
            vertices: vertex_start..self.vertices_m.len() as u32,
            triangles: triangle_start..self.triangles.len() as u32,
            fan,
            rings: ring_start..self.rings.len() as u32,
            label_anchor_m,
            label_anchor_lon_lat: lon_lat_from_mercator(label_anchor_m[0], label_anchor_m[1]),
            bbox_m: [lo, hi],
        })
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
                // The holes are projected only for a polygon that is the largest so far.
                let exterior: Vec<[f64; 2]> = offsets_m(polygon.exterior(), &local).collect();
                anchor.offer(&exterior, || {
                    let holes: Vec<Vec<[f64; 2]>> = polygon
                        .interiors()
                        .iter()
                        .map(|ring| offsets_m(ring, &local).collect())
                        .collect();
                    let refs: Vec<&[[f64; 2]]> = std::iter::once(exterior.as_slice())
                        .chain(holes.iter().map(Vec::as_slice))
                        .collect();
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
    use geo::{LineString, MapCoords, MultiPolygon, Polygon, coord};
    use serde_json::Map;

    fn district(rings: &[&[(f64, f64)]]) -> District {
        let ls = |r: &[(f64, f64)]| LineString::from(r.iter().map(|&(x, y)| coord! {x: x, y: y}).collect::<Vec<_>>());
        let p = Polygon::new(ls(rings[0]), rings[1..].iter().map(|r| ls(r)).collect());
        District::new(0, MultiPolygon::new(vec![p]), Map::new()).unwrap()
    }

    /// Sum of triangle areas in the district's local metres.
    fn triangle_area(d: &LayerDrawing, i: usize) -> f64 {
        let v = d.vertices_of(i);
        d.triangles_of(i)
            .to_vec()
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
            let rings: Vec<Vec<[f64; 2]>> = d
                .rings_of(i)
                .map(|r| d.vertices_of(i)[r].iter().map(|p| [p[0] as f64, p[1] as f64]).collect())
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
    fn parts_keep_every_district_in_order() {
        let sq = [(54.0, 31.0), (54.01, 31.0), (54.01, 31.01), (54.0, 31.01), (54.0, 31.0)];
        let districts: Vec<District> = (0..CHUNK * 2 + 3).map(|_| district(&[&sq])).collect();
        let d = LayerDrawing::prepare(&districts, &|_| true).unwrap();
        assert_eq!(d.districts.len(), districts.len());
        assert_eq!(d.parts.len(), 3);
        let last = d.districts.len() - 1;
        assert_eq!(d.districts[last].part, 2);
        assert_eq!(d.districts[last].vertices, 8..12, "the third part's third district");
        assert_eq!(d.rings_of(last).collect::<Vec<_>>(), vec![0..4]);
        assert_eq!(d.vertices_of(last), d.vertices_of(0));
        assert_eq!(d.triangles_of(last).len(), 6);
        assert_eq!(d.triangle_count(), 2 * districts.len());
        assert_eq!(d.vertex_count(), 4 * districts.len());
        assert_eq!(d.ring_count(), districts.len());
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
    fn one_ring_districts_are_fans_made_when_read() {
        // A twelve-pointed star (concave: fanned from its centre), a square (convex: from its
        // first vertex), the square with a hole and two squares in one district (stored).
        let star: Vec<(f64, f64)> = (0..=24)
            .map(|k| {
                let a = f64::from(k % 24) / 24.0 * std::f64::consts::TAU;
                let r = if k % 2 == 0 { 0.01 } else { 0.004 };
                (54.0 + r * a.cos(), 31.0 + r * a.sin())
            })
            .collect();
        let sq = [(54.0, 31.0), (54.01, 31.0), (54.01, 31.01), (54.0, 31.01), (54.0, 31.0)];
        let hole = [
            (54.002, 31.002),
            (54.002, 31.004),
            (54.004, 31.004),
            (54.004, 31.002),
            (54.002, 31.002),
        ];
        let mut two = district(&[&sq]);
        let moved = two.shape_lon_lat.0[0]
            .clone()
            .map_coords(|c| coord! {x: c.x + 0.02, y: c.y});
        two.shape_lon_lat.0.push(moved);
        let districts = vec![district(&[&star]), district(&[&sq]), district(&[&sq, &hole]), two];
        let d = LayerDrawing::prepare(&districts, &|_| true).unwrap();
        let fans: Vec<Option<FanFrom>> = d.districts.iter().map(|x| x.fan).collect();
        assert_eq!(fans, [Some(FanFrom::Centre), Some(FanFrom::FirstVertex), None, None]);
        for i in 0..2 {
            assert!(d.districts[i].triangles.is_empty(), "district {i} stored its fan");
            let ring: Vec<[f64; 2]> = d.vertices_of(i)[d.rings_of(i).next().unwrap()]
                .iter()
                .map(|p| [f64::from(p[0]), f64::from(p[1])])
                .collect();
            let fan = crate::map::star_fan(&ring).unwrap();
            assert_eq!(d.triangles_of(i).to_vec(), fan.triangles, "district {i}");
            assert_eq!(d.triangles_of(i).iter().len(), fan.triangles.len());
        }
        assert_eq!(d.triangles_of(0).len(), 3 * 24);
        assert_eq!(d.vertices_of(0).len(), 25, "the star's centre follows its ring");
        assert_eq!(d.triangles_of(2).len(), d.districts[2].triangles.len());
        assert_eq!(d.triangles_of(3).len(), 12);
        assert_eq!(d.triangle_count(), 24 + 2 + d.districts[2].triangles.len() / 3 + 4);
        for i in 0..districts.len() {
            let rings: Vec<Vec<[f64; 2]>> = d
                .rings_of(i)
                .map(|r| d.vertices_of(i)[r].iter().map(|p| [p[0] as f64, p[1] as f64]).collect())
                .collect();
            let outer: f64 = if i == 3 {
                2.0 * ring_area(&rings[0])
            } else {
                ring_area(&rings[0])
            };
            let expected = outer - if i == 2 { ring_area(&rings[1]) } else { 0.0 };
            assert!(
                (triangle_area(&d, i) - expected).abs() / expected < 1e-4,
                "district {i}"
            );
        }
    }

    #[test]
    fn cancel_stops_preparation() {
        let sq = [(54.0, 31.0), (54.01, 31.0), (54.01, 31.01), (54.0, 31.01), (54.0, 31.0)];
        assert!(LayerDrawing::prepare(&[district(&[&sq])], &|_| false).is_none());
    }
}
