//! Drawing districts as egui meshes built on the CPU each frame: the path for tests, for machines
//! without OpenGL, and for close zooms where the GPU buffer's f32 positions would be too coarse.
//! Each district's vertices are offsets from its own f64 origin, so nothing jitters.

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, Pos2, Rect, Shape, pos2};

use super::camera::Camera;
use super::scene::MapScene;

/// Districts smaller than this on screen (points) are not filled.
const MIN_SCREEN_SIZE: f32 = 0.5;

/// Screen positions of one district's vertices, in its vertex order.
pub fn district_screen_points(scene: &MapScene, camera: &Camera, rect: Rect, district: usize, out: &mut Vec<Pos2>) {
    let drawing = scene.layer.drawing();
    let d = &drawing.districts[district];
    let inv = 1.0 / camera.m_per_point;
    let c = rect.center();
    let ox = c.x + ((d.origin_m[0] - camera.center_m[0]) * inv) as f32;
    let oy = c.y - ((d.origin_m[1] - camera.center_m[1]) * inv) as f32;
    let inv = inv as f32;
    out.clear();
    out.extend(
        drawing
            .vertices_of(district)
            .iter()
            .map(|v| pos2(ox + v[0] * inv, oy - v[1] * inv)),
    );
}

/// Adds filled triangles of `district` in `color` to `mesh`.
pub fn add_fill(mesh: &mut Mesh, scene: &MapScene, district: usize, points: &[Pos2], color: Color32) {
    let drawing = scene.layer.drawing();
    let base = mesh.vertices.len() as u32;
    mesh.vertices.extend(points.iter().map(|&pos| Vertex {
        pos,
        uv: WHITE_UV,
        color,
    }));
    mesh.indices
        .extend(drawing.triangles_of(district).iter().map(|t| t + base));
}

/// Adds the outline of `district` to `mesh` as quads `width` points wide, skipping vertices
/// closer than a fraction of a point to the last one kept.
pub fn add_outline(mesh: &mut Mesh, scene: &MapScene, district: usize, points: &[Pos2], width: f32, color: Color32) {
    let drawing = scene.layer.drawing();
    for ring in drawing.rings_of(district) {
        let ring_points = &points[ring];
        let Some(&first) = ring_points.first() else { continue };
        add_polyline(
            mesh,
            ring_points.iter().copied().chain(std::iter::once(first)),
            width,
            color,
        );
    }
}

/// Adds a polyline through `points` to `mesh` as quads `width` points wide, skipping points
/// closer than a fraction of a point to the last one kept (but never the last).
pub fn add_polyline(mesh: &mut Mesh, points: impl IntoIterator<Item = Pos2>, width: f32, color: Color32) {
    let half = width / 2.0;
    let mut points = points.into_iter().peekable();
    let Some(mut last) = points.next() else { return };
    while let Some(p) = points.next() {
        if (p - last).length_sq() < 0.36 && points.peek().is_some() {
            continue;
        }
        let dir = (p - last).normalized();
        let n = egui::vec2(-dir.y, dir.x) * half;
        let i = mesh.vertices.len() as u32;
        for q in [last + n, last - n, p - n, p + n] {
            mesh.vertices.push(Vertex {
                pos: q,
                uv: WHITE_UV,
                color,
            });
        }
        mesh.indices.extend_from_slice(&[i, i + 1, i + 2, i, i + 2, i + 3]);
        last = p;
    }
}

/// Paints the fills and outlines of `visible` districts.
pub fn paint_districts(
    painter: &egui::Painter,
    scene: &MapScene,
    colors: &[[u8; 4]],
    camera: &Camera,
    rect: Rect,
    visible: &[usize],
) {
    let mut fills = Mesh::default();
    let mut outlines = Mesh::default();
    let mut points = Vec::new();
    let inv = 1.0 / camera.m_per_point;
    for &i in visible {
        let b = scene.layer.drawing().districts[i].bbox_m;
        let size = ((b[1][0] - b[0][0]).max(b[1][1] - b[0][1]) * inv) as f32;
        if size < MIN_SCREEN_SIZE {
            continue;
        }
        district_screen_points(scene, camera, rect, i, &mut points);
        let color = colors.get(i).map_or(scene.fills[i], |&[r, g, b, a]| {
            Color32::from_rgba_premultiplied(r, g, b, a)
        });
        add_fill(&mut fills, scene, i, &points, color);
        add_outline(&mut outlines, scene, i, &points, 1.0, super::style::colors::OUTLINE);
    }
    painter.add(Shape::mesh(fills));
    painter.add(Shape::mesh(outlines));
}
