//! District labels on the map: placed at each district's label anchor, largest districts first,
//! skipped where they would overlap a label already placed or not fit the district on screen.
//! Each sits on a translucent plate rather than a many-times-drawn halo: as readable on a
//! projector, and a fifth of the text to rasterise on software GL.

use egui::{Align2, FontFamily, FontId, Rect, Vec2, vec2};

use super::camera::Camera;
use super::scene::MapScene;
use super::style::colors;
use crate::text::{BaseDirection, Language};
use crate::ui::bidi_text::bidi_layout_job;
use crate::ui::fonts::BOLD_FAMILY;

/// Labels drawn at most per frame; the largest districts win.
pub(super) const MAX_LABELS: usize = 300;
/// A district narrower than this fraction of its label's width gets no label.
const MIN_FIT: f32 = 0.7;

/// A name to put beside a point of an overlay (an office), kept clear of its symbol.
#[derive(Clone, Debug, PartialEq)]
pub struct PointLabel {
    /// The point on screen.
    pub at: egui::Pos2,
    /// Radius around the point the name keeps clear of (the symbol), points.
    pub clear: f32,
    /// The name.
    pub text: String,
    /// Its font size, points; `None`: the map's label size.
    pub size: Option<f32>,
}

/// A point label with its place found.
pub struct PlacedLabel {
    /// Where the text goes.
    pub rect: Rect,
    /// The laid-out text.
    pub galley: std::sync::Arc<egui::Galley>,
}

/// Places point labels (bold, `font_size`): points closer than their clear radius share one
/// label; each label tries above its point, then below, right and left, and is left out when
/// every place overlaps a label placed before it or leaves the map.
pub fn place_point_labels(
    painter: &egui::Painter,
    labels: &[PointLabel],
    rect: Rect,
    font_size: f32,
) -> Vec<PlacedLabel> {
    let mut groups: Vec<(egui::Pos2, f32, Vec<&str>, Option<f32>)> = Vec::new();
    for label in labels.iter().filter(|l| !l.text.trim().is_empty()) {
        match groups
            .iter_mut()
            .find(|(at, clear, _, _)| at.distance(label.at) < clear.max(label.clear))
        {
            Some((_, _, names, _)) => names.push(&label.text),
            None => groups.push((label.at, label.clear, vec![&label.text], label.size)),
        }
    }
    let mut placed: Vec<PlacedLabel> = Vec::new();
    for (at, clear, names, size) in groups {
        let font = FontId::new(size.unwrap_or(font_size), FontFamily::Name(BOLD_FAMILY.into()));
        let persian = names.iter().any(|n| crate::text::is_mostly_arabic_script(n));
        let text = names.join(if persian { "، " } else { ", " });
        let galley = painter.layout_job(bidi_layout_job(&text, font.clone(), colors::LABEL, BaseDirection::Auto));
        let size = galley.size();
        let gap = clear + 2.0;
        let candidates = [
            Align2::CENTER_BOTTOM.anchor_size(at - vec2(0.0, gap), size),
            Align2::CENTER_TOP.anchor_size(at + vec2(0.0, gap), size),
            Align2::LEFT_CENTER.anchor_size(at + vec2(gap, 0.0), size),
            Align2::RIGHT_CENTER.anchor_size(at - vec2(gap, 0.0), size),
        ];
        if let Some(spot) = candidates
            .into_iter()
            .find(|r| rect.contains_rect(*r) && placed.iter().all(|p| !p.rect.intersects(r.expand(2.0))))
        {
            placed.push(PlacedLabel { rect: spot, galley });
        }
    }
    placed
}

/// Paints placed point labels on plates.
pub fn paint_point_labels(painter: &egui::Painter, placed: &[PlacedLabel]) {
    for label in placed {
        painter.rect_filled(label.rect.expand2(vec2(3.0, 1.0)), 3.0, colors::OFFICE_LABEL_PLATE);
        painter.galley(label.rect.min, label.galley.clone(), colors::LABEL);
    }
}

/// The `visible` districts whose box is wide enough on screen to hold a label of `font_size`,
/// widest first, at most [`MAX_LABELS`], with their widths in points.
pub fn label_candidates(scene: &MapScene, camera: &Camera, visible: &[usize], font_size: f32) -> Vec<(f32, usize)> {
    let inv = 1.0 / camera.m_per_point;
    let drawing = scene.layer.drawing();
    // Small boxes cannot hold a label anyway.
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
    candidates
}

/// Which districts to name on the map, and how.
#[derive(Clone, Copy, Debug)]
pub struct DistrictNames<'a> {
    /// Districts that may get a name, widest first (from [`label_candidates`]).
    pub candidates: &'a [(f32, usize)],
    /// Font size in points (larger for projectors).
    pub font_size: f32,
    /// The language names are shown in.
    pub lang: Language,
}

/// Paints the districts' names, keeping clear of the `keep_clear` boxes (office symbols and
/// names). Returns how many it placed.
pub fn paint_labels(
    painter: &egui::Painter,
    scene: &MapScene,
    camera: &Camera,
    rect: Rect,
    names: DistrictNames<'_>,
    keep_clear: &[Rect],
) -> usize {
    let DistrictNames {
        candidates,
        font_size,
        lang,
    } = names;
    let drawing = scene.layer.drawing();
    let font = FontId::new(font_size, FontFamily::Name(BOLD_FAMILY.into()));
    let mut placed: Vec<Rect> = Vec::new();
    for &(width, i) in candidates {
        let label = scene.layer.label_in(i, lang);
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
        if placed.iter().chain(keep_clear).any(|r| r.intersects(padded)) {
            continue;
        }
        placed.push(padded);
        painter.rect_filled(text_rect.expand2(vec2(3.0, 0.0)), 3.0, colors::LABEL_PLATE);
        painter.galley(text_rect.min + Vec2::ZERO, galley, colors::LABEL);
    }
    placed.len()
}
