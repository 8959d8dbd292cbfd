//! A layer as the map draws it: the core layer, each district's colour, and one vertex buffer for
//! the whole layer relative to a layer origin, ready to upload to the GPU once.

use std::ops::Range;
use std::sync::Arc;

use egui::Color32;
use rayon::prelude::*;

use super::levels::{GpuLevel, LevelsOfDetail};
use super::style::district_fills;
use crate::map::LayerDrawing;
use crate::text::match_key;
use crate::workspace::DistrictLayer;

/// Everything the map needs to draw one layer. Built off the UI thread when a file loads.
pub struct MapScene {
    /// The layer itself.
    pub layer: Arc<DistrictLayer>,
    /// The reading choices it was loaded with (layer, coordinate system, encoding).
    pub read: crate::model::ReadChoices,
    /// The tables joined to it when it loaded.
    pub joins: Vec<crate::model::TableJoin>,
    /// Fill colour per district.
    pub fills: Vec<Color32>,
    /// GPU buffers per level of detail.
    pub levels: LevelsOfDetail,
    /// Bounding box of the layer in Web Mercator metres.
    pub bbox_m: [[f64; 2]; 2],
    /// The box "zoom to layer" shows: the districts whose label anchors are not among the 0.5%
    /// farthest out on either side in either direction. A layer with far-flung outliers (US
    /// counties with Guam and American Samoa, across the antimeridian) then opens on its main
    /// area instead of the whole world.
    pub fit_bbox_m: [[f64; 2]; 2],
    /// The median width or height of a district, whichever is larger, in Web Mercator metres:
    /// below a few points on screen, outlines would only grey the map, so they are left out.
    pub median_size_m: f64,
    /// Text each district is searched by: its label and text properties, folded (see
    /// [`match_key`]); made on the first search (a third of a second on 100,000 districts,
    /// which the first map does not wait for).
    search_keys: std::sync::OnceLock<Vec<String>>,
}

/// A layer's geometry in one buffer, relative to `origin_m`, in spatially sorted chunks so that a
/// zoomed-in view draws only the chunks it sees.
pub struct GpuBuffers {
    /// The Web Mercator point the positions are relative to.
    pub origin_m: [f64; 2],
    /// Largest distance of any vertex from the origin, in metres: bounds the rounding.
    pub max_offset_m: f64,
    /// Vertex positions, metres from `origin_m`, rounded to f32.
    pub positions: Vec<[f32; 2]>,
    /// What that rounding left out, per vertex: `positions + positions_lo` is the position to
    /// about 2^-48 of the layer's extent. The shader subtracts the camera's position split the
    /// same way, so a world-sized layer stays exact to a fraction of a point at street zoom.
    pub positions_lo: Vec<[f32; 2]>,
    /// The district (position in the layer) of each vertex; its colour comes from the colour
    /// table the map passes each frame, so restyling uploads one texel per district.
    pub district_ids: Vec<u32>,
    /// Fill triangles, indices into `positions`, chunk after chunk.
    pub fill_indices: Vec<u32>,
    /// Outline rings as line strips, indices into `positions` with [`RESTART`] between rings,
    /// chunk after chunk.
    pub line_indices: Vec<u32>,
    /// The chunks.
    pub chunks: Vec<GpuChunk>,
    /// Per district, in layer order: its positions, fill indices and line indices (ranges of
    /// the buffers above), so that one district can be drawn again on its own (highlights) at
    /// this level's detail.
    pub district_spans: Vec<DistrictSpan>,
}

/// Where one district lies in a level's buffers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DistrictSpan {
    /// Range of `positions`.
    pub positions: Range<u32>,
    /// Range of `fill_indices`.
    pub fills: Range<u32>,
    /// Range of `line_indices`.
    pub lines: Range<u32>,
}

/// A run of nearby districts in the index buffers.
#[derive(Clone, Debug, PartialEq)]
pub struct GpuChunk {
    /// Bounding box in Web Mercator metres.
    pub bbox_m: [[f64; 2]; 2],
    /// Range of `fill_indices`.
    pub fills: Range<u32>,
    /// Range of `line_indices`.
    pub lines: Range<u32>,
}

/// The index that ends one line strip and starts the next (OpenGL's fixed restart index).
pub const RESTART: u32 = u32::MAX;

/// Districts per chunk.
const CHUNK_DISTRICTS: usize = 128;
/// How a scene gets its levels: from the layer, its box in Web Mercator metres and the
/// districts' spatial order.
type BuildLevels = fn(Arc<DistrictLayer>, [[f64; 2]; 2], Arc<Vec<usize>>) -> LevelsOfDetail;

impl MapScene {
    /// Prepares a loaded layer for the map, every level of detail built before it returns.
    pub fn new(layer: Arc<DistrictLayer>) -> Self {
        Self::with_levels(layer, LevelsOfDetail::all_now)
    }

    /// Prepares a loaded layer for the map with the full detail only; the coarse levels follow
    /// on a thread (see [`LevelsOfDetail::full_now_coarse_later`]). For the window: the map
    /// shows as soon as the file is read.
    pub fn with_coarse_levels_later(layer: Arc<DistrictLayer>) -> Self {
        Self::with_levels(layer, LevelsOfDetail::full_now_coarse_later)
    }

    fn with_levels(layer: Arc<DistrictLayer>, levels: BuildLevels) -> Self {
        let fills = district_fills(&layer);
        let bbox_m = crate::map::extent::union_boxes_m(layer.drawing().districts.iter().map(|d| d.bbox_m))
            .unwrap_or([[0.0; 2]; 2]);
        let fit_bbox_m = layer.main_area_m().unwrap_or(bbox_m);
        let order = Arc::new(spatial_order(layer.drawing(), bbox_m));
        let mut sizes: Vec<f64> = layer
            .drawing()
            .districts
            .iter()
            .map(|d| (d.bbox_m[1][0] - d.bbox_m[0][0]).max(d.bbox_m[1][1] - d.bbox_m[0][1]))
            .collect();
        sizes.sort_by(f64::total_cmp);
        let median_size_m = sizes.get(sizes.len() / 2).copied().unwrap_or(0.0);
        let levels = levels(Arc::clone(&layer), bbox_m, order);
        Self {
            layer,
            read: crate::model::ReadChoices::default(),
            joins: Vec::new(),
            fills,
            levels,
            bbox_m,
            fit_bbox_m,
            median_size_m,
            search_keys: std::sync::OnceLock::new(),
        }
    }

    /// The text each district is searched by, in layer order (made on all cores the first time).
    pub fn search_keys(&self) -> &[String] {
        self.search_keys.get_or_init(|| {
            let layer = &self.layer;
            (0..layer.districts.len())
                .into_par_iter()
                .map(|i| {
                    let mut key = match_key(&layer.label(i));
                    for value in layer.districts[i].properties.values() {
                        if let Some(s) = value.as_str() {
                            key.push('\u{1}');
                            key.push_str(&match_key(s));
                        }
                    }
                    key
                })
                .collect()
        })
    }

    /// The coarsest level there is simplified to at most `points` screen points at `m_per_point`.
    pub fn level_for(&self, m_per_point: f64, points: f64) -> GpuLevel {
        self.levels.level_for(m_per_point, points)
    }
}

/// District indices sorted along a Hilbert curve through their bounding-box centres, so that
/// runs of the order are compact on the map.
fn spatial_order(drawing: &LayerDrawing, bbox_m: [[f64; 2]; 2]) -> Vec<usize> {
    let centres_m: Vec<[f64; 2]> = drawing
        .districts
        .iter()
        .map(|d| {
            [
                (d.bbox_m[0][0] + d.bbox_m[1][0]) / 2.0,
                (d.bbox_m[0][1] + d.bbox_m[1][1]) / 2.0,
            ]
        })
        .collect();
    hilbert_order(&centres_m, bbox_m)
}

/// The indices of `centres_m` sorted along a Hilbert curve over `bbox_m` (the same space), so that
/// runs of consecutive items lie close together; ties keep index order.
pub(super) fn hilbert_order(centres_m: &[[f64; 2]], bbox_m: [[f64; 2]; 2]) -> Vec<usize> {
    let span = [
        (bbox_m[1][0] - bbox_m[0][0]).max(1.0),
        (bbox_m[1][1] - bbox_m[0][1]).max(1.0),
    ];
    let scale = f64::from(u16::MAX);
    let mut keyed: Vec<(u64, usize)> = centres_m
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let x = (c[0] - bbox_m[0][0]) / span[0] * scale;
            let y = (c[1] - bbox_m[0][1]) / span[1] * scale;
            (hilbert_key(x as u32, y as u32), i)
        })
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// Position of (x, y) on a Hilbert curve over a 2^16 grid.
pub(super) fn hilbert_key(x: u32, y: u32) -> u64 {
    let (mut x, mut y) = (x & 0xFFFF, y & 0xFFFF);
    let mut key = 0u64;
    let mut s = 1u32 << 15;
    while s > 0 {
        let rx = u32::from(x & s > 0);
        let ry = u32::from(y & s > 0);
        key += u64::from(s) * u64::from(s) * u64::from((3 * rx) ^ ry);
        if ry == 0 {
            if rx == 1 {
                x = 0xFFFF - x;
                y = 0xFFFF - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    key
}

impl GpuBuffers {
    /// The buffers of `drawing`, relative to the middle of `bbox_m`, districts in `order`.
    pub fn new(drawing: &LayerDrawing, bbox_m: [[f64; 2]; 2], order: &[usize]) -> Self {
        let origin_m = [(bbox_m[0][0] + bbox_m[1][0]) / 2.0, (bbox_m[0][1] + bbox_m[1][1]) / 2.0];
        let max_offset_m = (bbox_m[1][0] - bbox_m[0][0]).max(bbox_m[1][1] - bbox_m[0][1]) / 2.0;
        let vertex_count = drawing.vertex_count();
        let mut positions = Vec::with_capacity(vertex_count);
        let mut positions_lo = Vec::with_capacity(vertex_count);
        let mut district_ids = Vec::with_capacity(vertex_count);
        let mut district_spans = vec![DistrictSpan::default(); drawing.districts.len()];
        for (i, d) in drawing.districts.iter().enumerate() {
            let start = positions.len() as u32;
            let shift = [d.origin_m[0] - origin_m[0], d.origin_m[1] - origin_m[1]];
            let vertices = drawing.vertices_of(i);
            for v in vertices {
                let (x, y) = (shift[0] + f64::from(v[0]), shift[1] + f64::from(v[1]));
                let ((x_hi, x_lo), (y_hi, y_lo)) = (split_f32(x), split_f32(y));
                positions.push([x_hi, y_hi]);
                positions_lo.push([x_lo, y_lo]);
            }
            district_ids.extend(std::iter::repeat_n(i as u32, vertices.len()));
            district_spans[i].positions = start..positions.len() as u32;
        }
        let mut fill_indices = Vec::with_capacity(3 * drawing.triangle_count());
        let mut line_indices = Vec::with_capacity(vertex_count + 2 * drawing.ring_count());
        let mut chunks = Vec::with_capacity(order.len() / CHUNK_DISTRICTS + 1);
        for run in order.chunks(CHUNK_DISTRICTS) {
            let (fill_start, line_start) = (fill_indices.len() as u32, line_indices.len() as u32);
            let mut bbox = [[f64::INFINITY; 2], [f64::NEG_INFINITY; 2]];
            for &i in run {
                let d = &drawing.districts[i];
                if d.vertices.is_empty() {
                    continue;
                }
                bbox = [
                    [bbox[0][0].min(d.bbox_m[0][0]), bbox[0][1].min(d.bbox_m[0][1])],
                    [bbox[1][0].max(d.bbox_m[1][0]), bbox[1][1].max(d.bbox_m[1][1])],
                ];
                let base = district_spans[i].positions.start;
                let (fills_from, lines_from) = (fill_indices.len() as u32, line_indices.len() as u32);
                fill_indices.extend(drawing.triangles_of(i).iter().map(|t| t + base));
                for ring in drawing.rings_of(i) {
                    let (start, end) = (base + ring.start as u32, base + ring.end as u32);
                    line_indices.extend(start..end);
                    line_indices.push(start);
                    line_indices.push(RESTART);
                }
                district_spans[i].fills = fills_from..fill_indices.len() as u32;
                district_spans[i].lines = lines_from..line_indices.len() as u32;
            }
            if fill_indices.len() as u32 > fill_start || line_indices.len() as u32 > line_start {
                chunks.push(GpuChunk {
                    bbox_m: bbox,
                    fills: fill_start..fill_indices.len() as u32,
                    lines: line_start..line_indices.len() as u32,
                });
            }
        }
        Self {
            origin_m,
            max_offset_m,
            positions,
            positions_lo,
            district_ids,
            fill_indices,
            line_indices,
            chunks,
            district_spans,
        }
    }

    /// Index ranges of the chunks meeting `view_m`, with neighbouring ranges merged: what one
    /// frame draws. Returns (fill ranges, line ranges).
    pub fn visible_ranges(&self, view_m: [[f64; 2]; 2]) -> (Vec<Range<u32>>, Vec<Range<u32>>) {
        let mut fills: Vec<Range<u32>> = Vec::new();
        let mut lines: Vec<Range<u32>> = Vec::new();
        for c in &self.chunks {
            let meets = c.bbox_m[0][0] <= view_m[1][0]
                && c.bbox_m[1][0] >= view_m[0][0]
                && c.bbox_m[0][1] <= view_m[1][1]
                && c.bbox_m[1][1] >= view_m[0][1];
            if meets {
                extend_ranges(&mut fills, c.fills.clone());
                extend_ranges(&mut lines, c.lines.clone());
            }
        }
        (fills, lines)
    }
}

/// `x` as an f32 and the f32 nearest to what that rounding left out.
pub fn split_f32(x: f64) -> (f32, f32) {
    let hi = x as f32;
    (hi, (x - f64::from(hi)) as f32)
}

fn extend_ranges(ranges: &mut Vec<Range<u32>>, next: Range<u32>) {
    match ranges.last_mut() {
        Some(last) if last.end == next.start => last.end = next.end,
        _ if next.is_empty() => {}
        _ => ranges.push(next),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hilbert_keys_are_distinct_and_local() {
        // Along the curve, consecutive keys are neighbouring cells; every cell has its own key.
        let mut cells: Vec<(u64, (i32, i32))> = (0..16)
            .flat_map(|x| (0..16).map(move |y| (hilbert_key(x as u32, y as u32), (x, y))))
            .collect();
        cells.sort_unstable();
        cells.dedup_by_key(|c| c.0);
        assert_eq!(cells.len(), 256);
        for w in cells.windows(2) {
            let ((x0, y0), (x1, y1)) = (w[0].1, w[1].1);
            assert_eq!((x0 - x1).abs() + (y0 - y1).abs(), 1, "{:?} then {:?}", w[0], w[1]);
        }
    }

    fn sample_scene() -> MapScene {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
        let layer = crate::io::load_district_layer(&path, &Default::default(), &crate::io::no_progress).unwrap();
        MapScene::new(Arc::new(layer))
    }

    #[test]
    fn culling_keeps_what_is_in_view_and_only_that() {
        let scene = MapScene::new(Arc::new(crate::synth::bench_layer::loaded_bench_layer(2000)));
        let full = &scene.levels.full().buffers;
        let total = |ranges: &[Range<u32>]| ranges.iter().map(|r| r.end - r.start).sum::<u32>() as usize;
        let (fills, lines) = full.visible_ranges(scene.bbox_m);
        assert_eq!(
            (total(&fills), total(&lines)),
            (full.fill_indices.len(), full.line_indices.len())
        );
        assert_eq!(fills.len(), 1, "neighbouring chunks merge into one draw");
        assert_eq!(full.visible_ranges([[0.0, 0.0], [1000.0, 1000.0]]), (vec![], vec![]));
        // One district's box needs a chunk or two, not the whole layer.
        let (fills, _) = full.visible_ranges(scene.layer.drawing().districts[0].bbox_m);
        assert!(
            total(&fills) > 0 && total(&fills) * 4 < full.fill_indices.len(),
            "{}",
            total(&fills)
        );
    }

    /// Far from the layer's origin (a world-sized layer), an f32 alone is off by metres; with its
    /// remainder the position is exact to well under a millimetre.
    #[test]
    fn positions_keep_their_remainder() {
        let (hi, lo) = split_f32(12_345_678.901_234);
        assert!((f64::from(hi) - 12_345_678.901_234).abs() > 0.05);
        assert!((f64::from(hi) + f64::from(lo) - 12_345_678.901_234).abs() < 1e-6);
        let layer = crate::synth::bench_layer::loaded_bench_layer(50);
        let drawing = layer.drawing();
        // An origin 10,000 km away, as the middle of a world map is from a city.
        let far = [[-1.0e7, -1.0e7], [-1.0e7, -1.0e7]];
        let buffers = GpuBuffers::new(drawing, far, &(0..50).collect::<Vec<_>>());
        let mut worst_hi: f64 = 0.0;
        for (i, d) in drawing.districts.iter().enumerate() {
            let span = &buffers.district_spans[i];
            for (k, v) in drawing.vertices_of(i).iter().enumerate() {
                let p = span.positions.start as usize + k;
                for (axis, &offset) in v.iter().enumerate() {
                    let want = d.origin_m[axis] + f64::from(offset) - buffers.origin_m[axis];
                    let hi = f64::from(buffers.positions[p][axis]);
                    let lo = f64::from(buffers.positions_lo[p][axis]);
                    worst_hi = worst_hi.max((hi - want).abs());
                    assert!((hi + lo - want).abs() < 1e-6, "{} vs {want}", hi + lo);
                }
            }
        }
        assert!(worst_hi > 0.1, "the f32 part alone should be coarse here: {worst_hi}");
    }

    #[test]
    fn coarser_levels_for_smaller_scales() {
        let scene = sample_scene();
        let fine = scene.level_for(0.1, 1.0);
        assert_eq!(fine.tolerance_m, 0.0);
        let coarse = scene.level_for(1e6, 1.0);
        assert!(coarse.tolerance_m > 0.0);
        assert!(coarse.buffers.positions.len() < fine.buffers.positions.len());
    }
}
