//! District labels on the map: placed at each district's label anchor, largest districts first,
//! skipped where they would overlap a label already placed or not fit the district on screen.
//! Each sits on a translucent plate rather than a many-times-drawn halo: as readable on a
//! projector, and a fifth of the text to rasterise on software GL.

use egui::{Align2, FontFamily, FontId, Rect, Vec2, vec2};

use super::camera::Camera;
use super::scene::MapScene;
use super::style::colors;
use crate::text::BaseDirection;
use crate::ui::bidi_text::bidi_layout_job;
use crate::ui::fonts::BOLD_FAMILY;

/// Labels drawn at most per frame; the largest districts win.
const MAX_LABELS: usize = 300;
/// A district narrower than this fraction of its label's width gets no label.
const MIN_FIT: f32 = 0.7;

/// Paints labels for the `visible` districts. `font_size` in points (larger for projectors).
pub fn paint_labels(
    painter: &egui::Painter,
    scene: &MapScene,
    camera: &Camera,
    rect: Rect,
    visible: &[usize],
    font_size: f32,
) {
    let inv = 1.0 / camera.m_per_point;
    let drawing = &scene.layer.drawing;
    // Screen width of each candidate's bounding box; small ones cannot hold a label anyway.
    let min_width = font_size * 2.0;
    let mut candidates: Vec<(f32, usize)> = visible
        .iter()
        .filter_map(|&i| {
            let b = drawing.districts[i].bbox_m;
            let width = ((b[1][0] - b[0][0]) * inv) as f32;
            (width >= min_width).then_some((width, i))
        })
        .collect();
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    candidates.truncate(MAX_LABELS);

    let font = FontId::new(font_size, FontFamily::Name(BOLD_FAMILY.into()));
    let mut placed: Vec<Rect> = Vec::new();
    for (width, i) in candidates {
        let label = scene.layer.label(i);
        // A label needs at least about 0.4 of its font size per character; skip the layout when
        // even that cannot fit.
        if label.chars().count() as f32 * font_size * 0.4 * MIN_FIT > width {
            continue;
        }
        let job = bidi_layout_job(&label, font.clone(), colors::LABEL, BaseDirection::Auto);
        let galley = painter.layout_job(job);
        if galley.size().x * MIN_FIT > width {
            continue;
        }
        let anchor = camera.screen_from_map(rect, drawing.districts[i].label_anchor_m);
        let text_rect = Align2::CENTER_CENTER.anchor_size(anchor, galley.size());
        if !rect.contains_rect(text_rect) {
            continue;
        }
        let padded = text_rect.expand(2.0);
        if placed.iter().any(|r| r.intersects(padded)) {
            continue;
        }
        placed.push(padded);
        painter.rect_filled(text_rect.expand2(vec2(3.0, 0.0)), 3.0, colors::LABEL_PLATE);
        painter.galley(text_rect.min + Vec2::ZERO, galley, colors::LABEL);
    }
}
