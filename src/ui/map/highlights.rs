//! The hovered and selected districts drawn again over the map, brighter and outlined, as egui
//! meshes rebuilt each frame. They are built from the level of detail the map shows, so a
//! highlighted country of a million vertices costs what it costs on screen (a few thousand at
//! world scale), not a million vertex transforms per frame; from full detail when the map draws
//! full detail (close zooms, the CPU renderer).

use std::collections::BTreeSet;

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, Pos2, Rect, Shape, pos2};

use super::camera::Camera;
use super::cpu_paint;
use super::levels::GpuLevel;
use super::scene::{DistrictSpan, MapScene, RESTART};
use super::style::colors;

/// Outline width of a selected district, points.
const SELECTED_WIDTH: f32 = 2.5;
/// Outline width of the hovered district, points.
const HOVER_WIDTH: f32 = 1.5;
/// Outline colour of the hovered district.
const HOVER_OUTLINE: Color32 = Color32::from_rgb(0x20, 0x40, 0x80);

/// The levels the map drew this frame, when it drew from GPU buffers: highlights use the same
/// geometry. `None` means full detail.
#[derive(Clone, Copy)]
pub struct DrawnLevels<'a> {
    /// The level of the fills.
    pub fills: &'a GpuLevel,
    /// The level of the outlines.
    pub lines: &'a GpuLevel,
}

/// Paints the `selection` and the `hovered` district over the map.
pub fn paint_highlights(
    painter: &egui::Painter,
    scene: &MapScene,
    camera: &Camera,
    rect: Rect,
    levels: Option<DrawnLevels<'_>>,
    selection: &BTreeSet<usize>,
    hovered: Option<usize>,
) {
    let mut fills = Mesh::default();
    let mut outlines = Mesh::default();
    let mut points = Vec::new();
    let count = scene.layer.districts.len();
    let looks = selection
        .iter()
        .filter(|&&i| i < count)
        .map(|&i| (i, colors::SELECTED_FILL, SELECTED_WIDTH, colors::SELECTED_OUTLINE))
        .chain(
            hovered
                .filter(|&i| i < count)
                .map(|i| (i, colors::HOVER, HOVER_WIDTH, HOVER_OUTLINE)),
        );
    for (i, fill, width, outline) in looks {
        match levels {
            Some(levels) => {
                level_screen_points(levels.fills, camera, rect, i, &mut points);
                add_level_fill(&mut fills, levels.fills, i, fill, &points);
                // Outlines usually come from the same level: its screen points serve both.
                if !std::ptr::eq(levels.fills, levels.lines) {
                    level_screen_points(levels.lines, camera, rect, i, &mut points);
                }
                add_level_outline(&mut outlines, levels.lines, i, width, outline, &points);
            }
            None => {
                cpu_paint::district_screen_points(scene, camera, rect, i, &mut points);
                cpu_paint::add_fill(&mut fills, scene, i, &points, fill);
                cpu_paint::add_outline(&mut outlines, scene, i, &points, width, outline);
            }
        }
    }
    painter.add(Shape::mesh(fills));
    painter.add(Shape::mesh(outlines));
}

/// Screen positions of district `i`'s vertices in `level`, into `out`.
fn level_screen_points(level: &GpuLevel, camera: &Camera, rect: Rect, i: usize, out: &mut Vec<Pos2>) {
    let buffers = &level.buffers;
    out.clear();
    let Some(span) = buffers.district_spans.get(i) else {
        return;
    };
    let inv = 1.0 / camera.m_per_point;
    let c = rect.center();
    // In f64, with each position's remainder, as exact as the shader at any zoom.
    let d = [
        buffers.origin_m[0] - camera.center_m[0],
        buffers.origin_m[1] - camera.center_m[1],
    ];
    let range = span.positions.start as usize..span.positions.end as usize;
    if let (Some(positions), Some(lo)) = (buffers.positions.get(range.clone()), buffers.positions_lo.get(range)) {
        out.extend(positions.iter().zip(lo).map(|(v, l)| {
            let x = d[0] + f64::from(v[0]) + f64::from(l[0]);
            let y = d[1] + f64::from(v[1]) + f64::from(l[1]);
            pos2(c.x + (x * inv) as f32, c.y - (y * inv) as f32)
        }));
    }
}

/// District `i`'s place in `level`, with its fill and line indices.
fn district_indices(level: &GpuLevel, i: usize) -> Option<(&DistrictSpan, &[u32], &[u32])> {
    let buffers = &level.buffers;
    let span = buffers.district_spans.get(i)?;
    let fills = buffers
        .fill_indices
        .get(span.fills.start as usize..span.fills.end as usize)?;
    let lines = buffers
        .line_indices
        .get(span.lines.start as usize..span.lines.end as usize)?;
    Some((span, fills, lines))
}

/// District `i`'s fill in `level`, at its screen `points` (from [`level_screen_points`]).
fn add_level_fill(mesh: &mut Mesh, level: &GpuLevel, i: usize, color: Color32, points: &[Pos2]) {
    let (Some((span, indices, _)), false) = (district_indices(level, i), points.is_empty()) else {
        return;
    };
    let base = mesh.vertices.len() as u32;
    mesh.vertices.extend(points.iter().map(|&pos| Vertex {
        pos,
        uv: WHITE_UV,
        color,
    }));
    let first = span.positions.start;
    mesh.indices.extend(indices.iter().map(|&t| t - first + base));
}

/// District `i`'s outline in `level`, at its screen `points` (from [`level_screen_points`]).
fn add_level_outline(mesh: &mut Mesh, level: &GpuLevel, i: usize, width: f32, color: Color32, points: &[Pos2]) {
    let Some((span, _, indices)) = district_indices(level, i) else {
        return;
    };
    let first = span.positions.start;
    for strip in indices.split(|&k| k == RESTART) {
        let strip_points = strip
            .iter()
            .filter_map(|&k| points.get(k.wrapping_sub(first) as usize).copied());
        cpu_paint::add_polyline(mesh, strip_points, width, color);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn triangle_area(mesh: &Mesh) -> f32 {
        mesh.indices
            .chunks_exact(3)
            .map(|t| {
                let [a, b, c] = [0, 1, 2].map(|k| mesh.vertices[t[k] as usize].pos);
                ((b - a).x * (c - a).y - (c - a).x * (b - a).y).abs() / 2.0
            })
            .sum()
    }

    /// A coarse level's highlight covers the same area on screen as the full-detail one, with
    /// fewer vertices.
    #[test]
    fn coarse_highlight_matches_full_detail() {
        let scene = MapScene::new(Arc::new(crate::synth::bench_layer::loaded_bench_layer(400)));
        let rect = Rect::from_min_size(Pos2::ZERO, egui::vec2(800.0, 600.0));
        let camera = Camera::fitting(rect, scene.bbox_m);
        let coarse = scene.level_for(camera.m_per_point, 4.0);
        assert!(
            coarse.tolerance_m > 0.0,
            "the sample needs a coarse level at this scale"
        );
        let full = scene.levels.full().clone();
        let district = 7;
        let mesh_of = |level: &GpuLevel| {
            let (mut mesh, mut points) = (Mesh::default(), Vec::new());
            level_screen_points(level, &camera, rect, district, &mut points);
            add_level_fill(&mut mesh, level, district, Color32::RED, &points);
            mesh
        };
        let (coarse_mesh, full_mesh) = (mesh_of(&coarse), mesh_of(&full));
        let mut cpu = Mesh::default();
        let mut points = Vec::new();
        cpu_paint::district_screen_points(&scene, &camera, rect, district, &mut points);
        cpu_paint::add_fill(&mut cpu, &scene, district, &points, Color32::RED);
        let (a_full, a_cpu, a_coarse) = (
            triangle_area(&full_mesh),
            triangle_area(&cpu),
            triangle_area(&coarse_mesh),
        );
        assert!(a_full > 10.0, "{a_full}");
        assert!((a_full - a_cpu).abs() < a_cpu * 1e-4, "{a_full} vs {a_cpu}");
        assert!((a_coarse - a_full).abs() < a_full * 0.25, "{a_coarse} vs {a_full}");
        assert!(coarse_mesh.vertices.len() < full_mesh.vertices.len());
        // Outlines: one closed strip per ring, so as many quads as kept segments.
        let mut outline = Mesh::default();
        level_screen_points(&full, &camera, rect, district, &mut points);
        add_level_outline(&mut outline, &full, district, 1.0, Color32::RED, &points);
        assert!(outline.vertices.len() >= 4 * 3, "{}", outline.vertices.len());
    }
}
