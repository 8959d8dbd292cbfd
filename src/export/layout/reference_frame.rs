//! Reference layers in a layout's map frame, as vectors over the districts: fills, lines (with
//! their dashes) and point symbols, each layer in one group at its opacity, and what was drawn
//! for the legend.

use std::sync::Arc;

use super::map_frame::{MapFrame, estimated_width_pt};
use super::svg_writer::{Anchor, PathData, SvgWriter, TextStyle, hex};
use crate::model::{LayerStyle, PointSymbol, ReferenceLayer};
use crate::workspace::FeatureLayer;

/// Vertices of a line closer than this on the page to the last one kept are left out, points.
const MIN_STEP_PT: f64 = 0.15;

/// A reference layer that put something on the page, for the legend.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawnLayer {
    /// Its name.
    pub name: String,
    /// Its style.
    pub style: LayerStyle,
    /// It drew points, lines, polygons.
    pub kinds: [bool; 3],
}

/// Draws the shown `layers` (bottom first) into `frame`; returns those that drew something.
pub fn draw_reference_layers(
    svg: &mut SvgWriter,
    layers: &[(ReferenceLayer, Arc<FeatureLayer>)],
    frame: &MapFrame,
) -> Vec<DrawnLayer> {
    let [min, max] = frame.visible_m();
    let mut drawn = Vec::new();
    for (layer, data) in layers.iter().filter(|(l, _)| l.visible && l.opacity > 0.0) {
        let features = data.index.in_box(min, max);
        if features.is_empty() {
            continue;
        }
        let style = &layer.style;
        let mut fills = PathData::default();
        let mut lines = PathData::default();
        let mut symbols = PathData::default();
        let mut kinds = [false; 3];
        for &i in &features {
            for (path, ring) in data.drawing.paths(i) {
                let page = thinned(path.iter().map(|&p| frame.page_from_m(p)));
                if ring {
                    kinds[2] = true;
                    fills.ring(&page);
                    lines.ring(&page);
                } else {
                    kinds[1] = true;
                    lines.line(&page);
                }
            }
            for &p in data.drawing.points(i) {
                kinds[0] = true;
                symbol_path(
                    &mut symbols,
                    style.symbol,
                    frame.page_from_m(p),
                    f64::from(style.symbol_size_pt) / 2.0,
                );
            }
        }
        svg.raw(&format!("<g opacity=\"{}\">\n", layer.opacity));
        if let Some(fill) = style.fill {
            svg.path(&fills, &hex(fill), None);
        }
        let dash = style.dash.pattern().map(|[on, off]| {
            [
                on * f64::from(style.stroke_width_pt),
                off * f64::from(style.stroke_width_pt),
            ]
        });
        svg.stroked_path(&lines, &hex(style.stroke), f64::from(style.stroke_width_pt), dash);
        svg.path(&symbols, &hex(style.stroke), Some(("#ffffff", 0.6)));
        svg.raw("</g>\n");
        drawn.push(DrawnLayer {
            name: layer.name.clone(),
            style: style.clone(),
            kinds,
        });
    }
    drawn
}

/// Labels asked of one layer at most.
const MAX_LABELS_PER_LAYER: usize = 500;

/// Writes the labels of the shown `layers` that have a label field, by each feature's first
/// point (or the middle vertex of its first path), at the layer's label size, where they fit in
/// the frame without touching `keep_clear` or each other; returns the boxes they took.
pub fn draw_reference_labels(
    svg: &mut SvgWriter,
    layers: &[(ReferenceLayer, Arc<FeatureLayer>)],
    frame: &MapFrame,
    keep_clear: &[[[f64; 2]; 2]],
) -> Vec<[[f64; 2]; 2]> {
    let [min, max] = frame.visible_m();
    let mut taken: Vec<[[f64; 2]; 2]> = Vec::new();
    let inside = |p: [f64; 2]| {
        (frame.min_pt[0]..=frame.min_pt[0] + frame.size_pt[0]).contains(&p[0])
            && (frame.min_pt[1]..=frame.min_pt[1] + frame.size_pt[1]).contains(&p[1])
    };
    for (layer, data) in layers.iter().rev().filter(|(l, _)| l.visible && l.opacity > 0.0) {
        let Some(field) = &layer.style.label_field else {
            continue;
        };
        let size = f64::from(layer.style.label_size_pt);
        let clear = f64::from(layer.style.symbol_size_pt) / 2.0 + 1.0;
        let style = TextStyle {
            size_pt: size,
            bold: false,
            color: "#202028",
            halo: true,
        };
        for i in data.index.in_box(min, max).into_iter().take(MAX_LABELS_PER_LAYER) {
            let Some(text) = data.text_of(i, field) else { continue };
            let anchor = data.drawing.points(i).first().copied().or_else(|| {
                let (path, _) = data.drawing.paths(i).next()?;
                path.get(path.len() / 2).copied()
            });
            let Some(at) = anchor.map(|p| frame.page_from_m(p)) else {
                continue;
            };
            let width = estimated_width_pt(&text, size);
            let base = [at[0], at[1] - clear - size * 0.3];
            let b = [
                [base[0] - width / 2.0, base[1] - size],
                [base[0] + width / 2.0, base[1] + size * 0.35],
            ];
            let free =
                |p: &[[f64; 2]; 2]| b[1][0] < p[0][0] || b[0][0] > p[1][0] || b[1][1] < p[0][1] || b[0][1] > p[1][1];
            if inside(b[0]) && inside(b[1]) && taken.iter().chain(keep_clear).all(free) {
                svg.text(base, Anchor::Middle, style, &text);
                taken.push(b);
            }
        }
    }
    taken
}

/// `points` without those closer than [`MIN_STEP_PT`] to the one before (the last one is kept).
fn thinned(points: impl Iterator<Item = [f64; 2]>) -> Vec<[f64; 2]> {
    let mut out: Vec<[f64; 2]> = Vec::new();
    let mut last = None;
    for p in points {
        last = Some(p);
        if out
            .last()
            .is_none_or(|q| (p[0] - q[0]).hypot(p[1] - q[1]) >= MIN_STEP_PT)
        {
            out.push(p);
        }
    }
    if let (Some(p), Some(q)) = (last, out.last())
        && p != *q
    {
        out.push(p);
    }
    out
}

/// Adds a point symbol of radius `r` at `c` (page points) to `data`.
pub fn symbol_path(data: &mut PathData, symbol: PointSymbol, c: [f64; 2], r: f64) {
    let corners = symbol.corners(c, r);
    data.ring(&corners);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thinning_keeps_the_ends_and_drops_what_print_cannot_show() {
        let points = [[0.0, 0.0], [0.05, 0.0], [0.1, 0.0], [1.0, 0.0], [1.01, 0.0]];
        assert_eq!(thinned(points.into_iter()), [[0.0, 0.0], [1.0, 0.0], [1.01, 0.0]]);
    }
}
