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

/// A named road: its lines in fractions of the tile, its name, and the first zoom it is named at.
pub struct StreetName {
    /// Its lines.
    pub parts: Vec<Vec<[f32; 2]>>,
    /// Its name.
    pub name: String,
    /// The first zoom its name is drawn at.
    pub min_zoom: u8,
}

/// Street names: size in screen pixels and colour.
const STREET_FONT_PX: f32 = 10.0;
const STREET_TEXT: &str = "#5a5048";
/// The most a street name's line may turn over its length, radians: names on sharp bends are
/// left out rather than drawn crumpled.
const MAX_TURN_RAD: f32 = 0.9;

/// Draws `points` and the names of `streets` onto `pixmap`, the part `uv` of their tile at zoom
/// `z`, sizes in pixels times `pixel_ratio`.
pub fn draw_points(
    pixmap: &mut Pixmap,
    points: &[TilePoint],
    streets: &[StreetName],
    uv: [[f32; 2]; 2],
    z: u8,
    pixel_ratio: f32,
) {
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
    let svg = names_svg(points, streets, size, z, pixel_ratio, to_px);
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
    streets: &[StreetName],
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
    // Street names along their roads, in the room the place and service names left.
    let font_px = STREET_FONT_PX * pixel_ratio;
    let mut defs = String::new();
    for (k, street) in streets.iter().filter(|s| z >= s.min_zoom).enumerate() {
        if placed.len() >= MAX_LABELS {
            break;
        }
        let width = street.name.chars().count() as f32 * font_px * 0.56 + 4.0 * pixel_ratio;
        let Some(line) = street
            .parts
            .iter()
            .filter_map(|part| {
                let px: Vec<[f32; 2]> = part.iter().map(|&p| to_px(p)).collect();
                name_span(&px, width)
            })
            .next()
        else {
            continue;
        };
        let inside = line
            .iter()
            .all(|p| p[0] >= font_px && p[1] >= font_px && p[0] <= size - font_px && p[1] <= size - font_px);
        let boxes: Vec<[f32; 4]> = line
            .iter()
            .map(|p| {
                [
                    p[0] - font_px * 0.6,
                    p[1] - font_px * 0.6,
                    p[0] + font_px * 0.6,
                    p[1] + font_px * 0.6,
                ]
            })
            .collect();
        let overlaps = boxes.iter().any(|a| {
            placed
                .iter()
                .any(|b| a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3])
        });
        if !inside || overlaps {
            continue;
        }
        placed.extend(boxes);
        let _ = write!(defs, r#"<path id="street{k}" d="M"#);
        for p in &line {
            let _ = write!(defs, " {:.1},{:.1}", p[0], p[1]);
        }
        defs.push_str(r#""/>"#);
        let _ = write!(
            svg,
            r##"<text font-size="{font_px:.1}" fill="{STREET_TEXT}" dominant-baseline="central" stroke="#ffffff" stroke-width="{:.1}" stroke-linejoin="round" paint-order="stroke"><textPath xlink:href="#street{k}" startOffset="50%" text-anchor="middle">"##,
            2.5 * pixel_ratio
        );
        svg_text_into(&mut svg, street.name.trim());
        svg.push_str("</textPath></text>\n");
    }
    if placed.is_empty() {
        return None;
    }
    Some(format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{size}" height="{size}" viewBox="0 0 {size} {size}" font-family="Vazirmatn"><defs>{defs}</defs>{svg}</svg>"#
    ))
}

/// The stretch of `line` (screen pixels), `width` long around the middle of its length, that a
/// name is set along: left to right (so the name is never upside down), and `None` when the line
/// is shorter or bends more than [`MAX_TURN_RAD`] there.
fn name_span(line: &[[f32; 2]], width: f32) -> Option<Vec<[f32; 2]>> {
    let lengths: Vec<f32> = line
        .windows(2)
        .map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]))
        .collect();
    let total: f32 = lengths.iter().sum();
    if !(total.is_finite() && total > width + 8.0) {
        return None;
    }
    let (from, to) = ((total - width) / 2.0, (total + width) / 2.0);
    let at = |s: f32| -> [f32; 2] {
        let mut run = 0.0;
        for (k, &len) in lengths.iter().enumerate() {
            if run + len >= s && len > 0.0 {
                let t = (s - run) / len;
                let (a, b) = (line[k], line[k + 1]);
                return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
            }
            run += len;
        }
        line[line.len() - 1]
    };
    let mut span = vec![at(from)];
    let mut run = 0.0;
    for (k, &len) in lengths.iter().enumerate() {
        run += len;
        if run > from && run < to {
            span.push(line[k + 1]);
        }
    }
    span.push(at(to));
    let turn: f32 = span
        .windows(3)
        .map(|w| {
            let a = (w[1][1] - w[0][1]).atan2(w[1][0] - w[0][0]);
            let b = (w[2][1] - w[1][1]).atan2(w[2][0] - w[1][0]);
            let d = (b - a).abs() % std::f32::consts::TAU;
            d.min(std::f32::consts::TAU - d)
        })
        .sum();
    if turn > MAX_TURN_RAD {
        return None;
    }
    if span[span.len() - 1][0] < span[0][0] {
        span.reverse();
    }
    Some(span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_follows_a_gentle_line_left_to_right_and_leaves_a_sharp_bend() {
        let right_to_left = [[200.0, 50.0], [100.0, 60.0], [0.0, 70.0]];
        let span = name_span(&right_to_left, 80.0).unwrap();
        assert!(span[0][0] < span[span.len() - 1][0], "{span:?}");
        assert!((span[0][0] - 60.0).abs() < 1.0 && (span[span.len() - 1][0] - 140.0).abs() < 1.0);
        let hairpin = [[0.0, 0.0], [100.0, 0.0], [0.0, 5.0]];
        assert!(name_span(&hairpin, 120.0).is_none());
        assert!(name_span(&right_to_left, 500.0).is_none(), "too short");
    }
}
