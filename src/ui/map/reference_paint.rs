//! Reference layers drawn with egui: the features in view (from the layer's R-tree) turned into
//! one mesh per layer each frame, lines as quads per screen segment with vertices closer than a
//! fraction of a point dropped (so a road layer costs what is visible at the screen's
//! resolution, not its vertex count), fills from the triangles made at load, points as small
//! filled symbols with a pale rim.

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, Pos2, Rect, Vec2};

use super::camera::Camera;
use crate::model::{FeatureLayer, LayerStyle, PointSymbol};

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
    let radius = style.symbol_size_pt / 2.0;
    let rim = Color32::from_rgba_unmultiplied(255, 255, 255, alpha);
    for &i in features.iter().filter(|_| parts.points) {
        for p in drawing.points(i) {
            let c = to_screen(p);
            add_symbol(&mut mesh, style.symbol, c, radius + 1.0, rim);
            add_symbol(&mut mesh, style.symbol, c, radius, stroke);
        }
    }
    mesh
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

fn add_symbol(mesh: &mut Mesh, symbol: PointSymbol, c: Pos2, r: f32, color: Color32) {
    let corners: Vec<Pos2> = symbol
        .corners([f64::from(c.x), f64::from(c.y)], f64::from(r))
        .into_iter()
        .map(|[x, y]| Pos2::new(x as f32, y as f32))
        .collect();
    let base = mesh.vertices.len() as u32;
    mesh.vertices.push(Vertex {
        pos: c,
        uv: WHITE_UV,
        color,
    });
    for &pos in &corners {
        mesh.vertices.push(Vertex {
            pos,
            uv: WHITE_UV,
            color,
        });
    }
    let n = corners.len() as u32;
    for k in 0..n {
        mesh.indices
            .extend_from_slice(&[base, base + 1 + k, base + 1 + (k + 1) % n]);
    }
}
