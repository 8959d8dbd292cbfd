//! How districts look: a default palette that tells marginal settlements apart when the layer has a
//! `settlement` field, and the colours of outlines, hover and selection.

use egui::Color32;

use crate::map::palette::{self, Rgb};
use crate::workspace::DistrictLayer;

/// An egui colour from a palette colour.
pub const fn color(rgb: Rgb) -> Color32 {
    Color32::from_rgb(rgb[0], rgb[1], rgb[2])
}

/// Colours of the map.
pub mod colors {
    use egui::Color32;

    use super::color;
    use crate::map::palette;

    /// Map background: a pale, paper-like grey.
    pub const BACKGROUND: Color32 = color(palette::BACKGROUND);
    /// District outlines.
    pub const OUTLINE: Color32 = color(palette::OUTLINE);
    /// A formal (or unclassified) district.
    pub const FORMAL: Color32 = color(palette::FORMAL);
    /// A marginal or informal settlement.
    pub const MARGINAL: Color32 = color(palette::MARGINAL);
    /// Catchment circles.
    pub const CATCHMENT: Color32 = color(palette::CATCHMENT);
    /// Hover overlay (premultiplied, translucent).
    pub const HOVER: Color32 = Color32::from_rgba_premultiplied(0x30, 0x50, 0x90, 0x40);
    /// Selection fill (premultiplied, translucent).
    pub const SELECTED_FILL: Color32 = Color32::from_rgba_premultiplied(0x10, 0x50, 0xB0, 0x60);
    /// Selection outline.
    pub const SELECTED_OUTLINE: Color32 = Color32::from_rgb(0x0B, 0x4F, 0xC0);
    /// Label text.
    pub const LABEL: Color32 = color(palette::LABEL);
    /// Plate behind label text (premultiplied, translucent white).
    pub const LABEL_PLATE: Color32 = Color32::from_rgba_premultiplied(0xC8, 0xC8, 0xC6, 0xC8);
    /// Plate behind office names: nearly opaque white, so they read over anything.
    pub const OFFICE_LABEL_PLATE: Color32 = Color32::from_rgba_premultiplied(0xF0, 0xF0, 0xF0, 0xF0);
}

/// The fill colour of every district of `layer`, in layer order.
pub fn district_fills(layer: &DistrictLayer) -> Vec<Color32> {
    (0..layer.districts.len())
        .map(|i| color(palette::district_fill(&layer.districts, i)))
        .collect()
}

/// True when some district of the layer is marked marginal, so the legend should say so.
pub fn has_marginal(fills: &[Color32]) -> bool {
    fills.contains(&colors::MARGINAL)
}
