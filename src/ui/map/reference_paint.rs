//! Reference layers drawn with egui: the features in view (from the layer's R-tree) turned into
//! one mesh per layer each frame, lines as quads per screen segment with vertices closer than a
//! fraction of a point dropped (so a road layer costs what is visible at the screen's
//! resolution, not its vertex count), fills from the triangles made at load, points as small
//! filled symbols with a pale rim.

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, Pos2, Rect, Vec2};

use super::camera::Camera;
use crate::model::LayerStyle;
use crate::workspace::FeatureLayer;

/// Vertices of a path closer than this to the last one kept are dropped, screen points.
const MIN_STEP_POINTS: f32 = 0.6;

/// Which parts of a layer a mesh holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts {
    /// Polygon fills (when the style has a fill).
    pub fills: bool,
    /// Lines and polygon outlines.
    pub paths: bool,
    /// Point symbols.
    pub points: bool,
}

impl Parts {
    /// Everything.
    pub const ALL: Self = Self {
        fills: true,
        paths: true,
        points: true,
    };
}

/// Paints the `parts` of `layer` in `style` at `opacity` over the map in `rect` seen by
/// `camera`.
pub fn paint_reference_layer(
    painter: &egui::Painter,
    camera: &Camera,
    rect: Rect,
    layer: &FeatureLayer,
    style: &LayerStyle,
    opacity: f32,
    parts: Parts,
) {
    let [min, max] = camera.visible_m(rect);
    // Symbols and wide lines reach into the view from just outside it.
    let margin = f64::from(style.symbol_size_pt.max(style.stroke_width_pt)) * camera.m_per_point;
    let in_view = layer
        .index
        .in_box([min[0] - margin, min[1] - margin], [max[0] + margin, max[1] + margin]);
    let mesh = reference_mesh(camera, rect, layer, &in_view, style, opacity, parts);
    if !mesh.is_empty() {
        painter.add(egui::Shape::mesh(mesh));
    }
}

/// The mesh of the `parts` of features `features` of `layer`, in screen points.
pub fn reference_mesh(
    camera: &Camera,
    rect: Rect,
    layer: &FeatureLayer,
    features: &[usize],
    style: &LayerStyle,
    opacity: f32,
    parts: Parts,
) -> Mesh {
    let alpha = (opacity.clamp(0.0, 1.0) * 255.0).round() as u8;
    let colour = |[r, g, b]: [u8; 3]| Color32::from_rgba_unmultiplied(r, g, b, alpha);
    let stroke = colour(style.stroke);
    let mut mesh = Mesh::default();
    let drawing = &layer.drawing;
    let to_screen = |p: &[f64; 2]| camera.screen_from_map(rect, *p);
    if let Some(fill) = style.fill.map(colour).filter(|_| parts.fills) {
        for &i in features {
            for corner in drawing.fill(i) {
                let index = mesh.vertices.len() as u32;
                mesh.vertices.push(Vertex {
                    pos: to_screen(corner),
                    uv: WHITE_UV,
                    color: fill,
                });
                mesh.indices.push(index);
            }
        }
    }
    let half_width = style.stroke_width_pt.max(0.5) / 2.0;
    let dash = style.dash.pattern().map(|[on, off]| {
        let w = style.stroke_width_pt.max(0.5);
        [on as f32 * w, off as f32 * w]
    });
    let mut screen: Vec<Pos2> = Vec::new();
    for &i in features.iter().filter(|_| parts.paths) {
        for (path, _ring) in drawing.paths(i) {
            screen.clear();
            for p in path {
                let s = to_screen(p);
                if screen.last().is_none_or(|last| (s - *last).length() >= MIN_STEP_POINTS) {
                    screen.push(s);
                }
            }
            if let (Some(&last_kept), Some(last)) = (screen.last(), path.last()) {
                let end = to_screen(last);
                if end != last_kept {
                    screen.push(end);
                }
            }
            match dash {
                None => {
                    for w in screen.windows(2) {
                        add_segment(&mut mesh, w[0], w[1], half_width, stroke, true);
                    }
                }
                Some(pattern) => add_dashed(&mut mesh, &screen, pattern, half_width, stroke),
            }
        }
    }
    if !parts.points {
        return mesh;
    }
    let radius = style.symbol_size_pt / 2.0;
    let rim = Color32::from_rgba_unmultiplied(255, 255, 255, alpha);
    // A symbol within a quarter of a symbol of one already drawn adds nothing one can see: a
    // layer of 100,000 buildings seen whole costs the screen's cells, not its points.
    let mut taken = TakenCells::new(rect.expand(radius + 1.0), (radius / 2.0).max(0.5));
    // The symbol's outline once, for a radius of one point: no trigonometry per point.
    let unit: Vec<Vec2> = style
        .symbol
        .corners([0.0, 0.0], 1.0)
        .into_iter()
        .map(|[x, y]| Vec2::new(x as f32, y as f32))
        .collect();
    for &i in features {
        for p in drawing.points(i) {
            let c = to_screen(p);
            if !taken.take(c) {
                continue;
            }
            add_symbol(&mut mesh, &unit, c, radius + 1.0, rim);
            add_symbol(&mut mesh, &unit, c, radius, stroke);
        }
    }
    mesh
}

/// Square cells over a screen rectangle, each marked once something is drawn in it.
struct TakenCells {
    rect: Rect,
    cell_points: f32,
    columns: usize,
    rows: usize,
    bits: Vec<u64>,
}

impl TakenCells {
    fn new(rect: Rect, cell_points: f32) -> Self {
        let count = |extent: f32| ((extent / cell_points).ceil().max(1.0) as usize).min(1 << 14);
        let (columns, rows) = (count(rect.width()), count(rect.height()));
        Self {
            rect,
            cell_points,
            columns,
            rows,
            bits: vec![0; (columns * rows).div_ceil(64)],
        }
    }

    /// Marks the cell of `p` and says whether it was free; a point outside the rectangle is
    /// always free (and marks nothing).
    fn take(&mut self, p: Pos2) -> bool {
        let column = ((p.x - self.rect.left()) / self.cell_points).floor();
        let row = ((p.y - self.rect.top()) / self.cell_points).floor();
        if !(column >= 0.0 && row >= 0.0 && (column as usize) < self.columns && (row as usize) < self.rows) {
            return true;
        }
        let k = row as usize * self.columns + column as usize;
        let (word, bit) = (k / 64, 1u64 << (k % 64));
        let free = self.bits[word] & bit == 0;
        self.bits[word] |= bit;
        free
    }
}

/// A quad along `a`..`b`; with `overlap`, each end reaches half a width past its vertex, so
/// that the segments of a solid line meet without a notch (dashes end where they end).
fn add_segment(mesh: &mut Mesh, a: Pos2, b: Pos2, half_width: f32, color: Color32, overlap: bool) {
    let d = b - a;
    let len = d.length();
    if len <= f32::EPSILON {
        return;
    }
    let n = Vec2::new(-d.y, d.x) / len * half_width;
    let t = if overlap { d / len * half_width } else { Vec2::ZERO };
    let base = mesh.vertices.len() as u32;
    for pos in [a - t + n, a - t - n, b + t - n, b + t + n] {
        mesh.vertices.push(Vertex {
            pos,
            uv: WHITE_UV,
            color,
        });
    }
    mesh.indices
        .extend_from_slice(&[base, base + 1, base + 2, base, base + 2, base + 3]);
}

/// The drawn parts of a dashed path: `pattern` is the drawn and blank lengths, points, and the
/// pattern runs on across vertices.
fn add_dashed(mesh: &mut Mesh, path: &[Pos2], [on, off]: [f32; 2], half_width: f32, color: Color32) {
    let period = on + off;
    let mut phase = 0.0f32;
    for w in path.windows(2) {
        let (a, b) = (w[0], w[1]);
        let len = (b - a).length();
        let mut at = 0.0f32;
        while at < len {
            let in_period = phase % period;
            let drawing = in_period < on;
            let left = if drawing { on - in_period } else { period - in_period };
            let step = left.min(len - at);
            if drawing {
                let (from, to) = (a + (b - a) * (at / len), a + (b - a) * ((at + step) / len));
                add_segment(mesh, from, to, half_width, color, false);
            }
            at += step;
            phase += step;
        }
    }
}

/// A filled symbol of radius `r` at `c`, its outline `unit` (corners for a radius of one).
fn add_symbol(mesh: &mut Mesh, unit: &[Vec2], c: Pos2, r: f32, color: Color32) {
    let base = mesh.vertices.len() as u32;
    mesh.vertices.push(Vertex {
        pos: c,
        uv: WHITE_UV,
        color,
    });
    for &corner in unit {
        mesh.vertices.push(Vertex {
            pos: c + corner * r,
            uv: WHITE_UV,
            color,
        });
    }
    let n = unit.len() as u32;
    for k in 0..n {
        mesh.indices
            .extend_from_slice(&[base, base + 1 + k, base + 1 + (k + 1) % n]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Feature;
    use crate::model::LoadReport;

    fn points_layer(lon_lats: &[[f64; 2]]) -> FeatureLayer {
        let features = lon_lats
            .iter()
            .enumerate()
            .map(|(i, &p)| Feature {
                file_index: i,
                points: vec![p],
                lines: Vec::new(),
                polygons: geo::MultiPolygon::new(Vec::new()),
                properties: Default::default(),
            })
            .collect();
        FeatureLayer::new("buildings.geojson".into(), features, LoadReport::default())
    }

    fn symbols_drawn(layer: &FeatureLayer) -> usize {
        let rect = Rect::from_min_size(Pos2::ZERO, Vec2::new(800.0, 600.0));
        // Yazd's old town, about 2 km across the view.
        let [a, b] = [
            crate::map::mercator_from_lon_lat(54.36, 31.89),
            crate::map::mercator_from_lon_lat(54.38, 31.91),
        ];
        let camera = Camera::fitting(rect, [a, b]);
        let all: Vec<usize> = (0..layer.features.len()).collect();
        let style = LayerStyle::default();
        let one = points_layer(&[[54.37, 31.9]]);
        let per_point = reference_mesh(&camera, rect, &one, &[0], &style, 1.0, Parts::ALL)
            .vertices
            .len();
        reference_mesh(&camera, rect, layer, &all, &style, 1.0, Parts::ALL)
            .vertices
            .len()
            / per_point
    }

    #[test]
    fn points_on_one_spot_draw_one_symbol_and_points_apart_each_their_own() {
        // 10,000 points within a few centimetres, and one 300 m away.
        let mut spot: Vec<[f64; 2]> = (0..10_000).map(|k| [54.37 + f64::from(k) * 1e-9, 31.9]).collect();
        spot.push([54.373, 31.9]);
        assert_eq!(symbols_drawn(&points_layer(&spot)), 2);
        // A grid of points 50 m apart: every one is drawn.
        let grid: Vec<[f64; 2]> = (0..20)
            .flat_map(|i| (0..20).map(move |j| [54.36 + f64::from(i) * 5e-4, 31.89 + f64::from(j) * 5e-4]))
            .collect();
        assert_eq!(symbols_drawn(&points_layer(&grid)), 400);
    }
}
