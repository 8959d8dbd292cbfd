//! The points of a vector tile drawn over its shapes: marks for the services a planner looks
//! for, then names (places, and those services close in), placed greedily by priority without
//! overlaps and only where they fit inside the tile, so no name is cut at a tile's edge. Names
//! go through usvg with the bundled fonts, which shapes Persian and lays it out right to left.

use std::fmt::Write;

use resvg::tiny_skia::{FillRule, PathBuilder, Pixmap, Stroke, Transform};

use super::paint::paint;
use super::style::{PointStyle, Rgba};
use crate::text::markup::svg_text_into;

/// Names placed at most on one tile.
const MAX_LABELS: usize = 40;

/// A point of the tile with its style and name.
pub struct TilePoint {
    /// Where, in fractions of the tile from its top left (may lie in the tile's buffer).
    pub at: [f32; 2],
    /// How it is drawn.
    pub style: PointStyle,
    /// Its name, if it has one.
    pub name: Option<String>,
}

/// Draws `points` onto `pixmap`, the part `uv` of their tile at zoom `z`, sizes in pixels times
/// `pixel_ratio`.
pub fn draw_points(pixmap: &mut Pixmap, points: &[TilePoint], uv: [[f32; 2]; 2], z: u8, pixel_ratio: f32) {
    let size = pixmap.width() as f32;
    let [[u0, v0], [u1, _]] = uv;
    let scale = size / (u1 - u0).max(f32::EPSILON);
    let to_px = |at: [f32; 2]| [(at[0] - u0) * scale, (at[1] - v0) * scale];
    for point in points {
        let (Some((color, _)), Some(radius)) = (point.style.mark, mark_radius_px(&point.style, z)) else {
            continue;
        };
        let radius = radius * pixel_ratio;
        let [x, y] = to_px(point.at);
        if !(-radius..size + radius).contains(&x) || !(-radius..size + radius).contains(&y) {
            continue;
        }
        let Some(circle) = PathBuilder::from_circle(x, y, radius) else {
            continue;
        };
        pixmap.fill_path(&circle, &paint(color), FillRule::Winding, Transform::identity(), None);
        let stroke = Stroke {
            width: pixel_ratio,
            ..Stroke::default()
        };
        let white = paint(Rgba([255, 255, 255, 255]));
        pixmap.stroke_path(&circle, &white, &stroke, Transform::identity(), None);
    }
    let svg = names_svg(points, size, z, pixel_ratio, to_px);
    if let Some(svg) = svg
        && let Ok(tree) = resvg::usvg::Tree::from_str(&svg, &crate::text::fonts::svg_options())
    {
        resvg::render(&tree, Transform::identity(), &mut pixmap.as_mut());
    }
}

/// The radius of `style`'s mark at zoom `z` in screen pixels (a little larger close in), or
/// `None` when it has none there.
fn mark_radius_px(style: &PointStyle, z: u8) -> Option<f32> {
    let (_, radius) = style.mark.filter(|_| z >= style.min_zoom)?;
    Some(if z >= 17 { radius + 1.0 } else { radius })
}

/// The names that fit, as an SVG document `size` pixels square; `None` when none does.
fn names_svg(
    points: &[TilePoint],
    size: f32,
    z: u8,
    pixel_ratio: f32,
    to_px: impl Fn([f32; 2]) -> [f32; 2],
) -> Option<String> {
    let mut candidates: Vec<(&TilePoint, &str)> = points
        .iter()
        .filter(|p| p.style.label.is_some() && z >= p.style.label_min_zoom)
        .filter_map(|p| Some((p, p.name.as_deref().map(str::trim).filter(|n| !n.is_empty())?)))
        .collect();
    candidates.sort_by_key(|(p, _)| p.style.label.map_or(u8::MAX, |l| l.priority));
    let mut placed: Vec<[f32; 4]> = Vec::new();
    let mut svg = String::new();
    for (point, name) in candidates {
        let Some(label) = point.style.label else { continue };
        let font_px = label.size_px * pixel_ratio;
        let [x, y] = to_px(point.at);
        // Under a mark, centred on a place. The width is estimated from the characters
        // (Vazirmatn averages about half the font size per character).
        let baseline = match mark_radius_px(&point.style, z) {
            Some(radius) => y + (radius + label.size_px + 1.0) * pixel_ratio,
            _ => y + font_px * 0.35,
        };
        let half_width = name.chars().count() as f32 * font_px * 0.28 + 2.0 * pixel_ratio;
        let bounds = [
            x - half_width,
            baseline - font_px,
            x + half_width,
            baseline + font_px * 0.35,
        ];
        let inside = bounds[0] >= 1.0 && bounds[1] >= 1.0 && bounds[2] <= size - 1.0 && bounds[3] <= size - 1.0;
        let overlaps = placed
            .iter()
            .any(|b| bounds[0] < b[2] && b[0] < bounds[2] && bounds[1] < b[3] && b[1] < bounds[3]);
        if !inside || overlaps {
            continue;
        }
        placed.push(bounds);
        let [r, g, b, _] = label.color.0;
        let weight = if label.bold { r#" font-weight="bold""# } else { "" };
        let _ = write!(
            svg,
            r##"<text x="{x:.1}" y="{baseline:.1}" font-size="{font_px:.1}" fill="#{r:02x}{g:02x}{b:02x}" text-anchor="middle" stroke="#ffffff" stroke-width="{:.1}" stroke-linejoin="round" paint-order="stroke"{weight}>"##,
            2.5 * pixel_ratio
        );
        svg_text_into(&mut svg, name);
        svg.push_str("</text>\n");
        if placed.len() >= MAX_LABELS {
            break;
        }
    }
    if placed.is_empty() {
        return None;
    }
    Some(format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}" font-family="Vazirmatn">{svg}</svg>"#
    ))
}
