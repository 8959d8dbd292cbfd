//! The colours of the map, shared by the window and the exported layouts so that a printed map
//! matches the screen: district fills, the coverage tint, outlines and office symbols. Colours are
//! sRGB bytes, opaque unless said.

use crate::model::{District, OfficeStatus, is_marginal};

/// An sRGB colour, red, green, blue.
pub type Rgb = [u8; 3];

/// Map background: a pale, paper-like grey.
pub const BACKGROUND: Rgb = [0xF2, 0xEF, 0xE9];
/// District outlines.
pub const OUTLINE: Rgb = [0x5A, 0x5A, 0x66];
/// A formal (or unclassified) district.
pub const FORMAL: Rgb = [0xD9, 0xE4, 0xD0];
/// A marginal or informal settlement.
pub const MARGINAL: Rgb = [0xF4, 0xB6, 0x8A];
/// The colour covered formal districts are tinted towards.
pub const COVERAGE_TINT: Rgb = [0x1F, 0x8A, 0x70];
/// The colour covered marginal settlements are tinted towards: a dark orange, so that a
/// marginal settlement stays orange at any coverage (hue tells the kind, darkness the share).
pub const MARGINAL_COVERAGE_TINT: Rgb = [0x9C, 0x36, 0x05];
/// Catchment circles.
pub const CATCHMENT: Rgb = [0x1F, 0x6A, 0x5A];
/// Label text.
pub const LABEL: Rgb = [0x20, 0x20, 0x28];

/// The fill of district `i` of `districts`: marginal settlements stand out from formal
/// districts.
pub fn district_fill(districts: &[District], i: usize) -> Rgb {
    match districts.get(i) {
        Some(d) if is_marginal(&d.properties) => MARGINAL,
        _ => FORMAL,
    }
}

/// A district's fill darkened towards its kind's tint by the share of it that offices reach:
/// untouched when nothing is covered, a visible step as soon as anything is, darkest when all
/// is. Formal districts go green, marginal settlements dark orange: coverage shading never
/// hides which districts are marginal.
///
/// ```
/// use mahalleh::map::palette::{covered_fill, FORMAL, MARGINAL, COVERAGE_TINT};
/// assert_eq!(covered_fill(FORMAL, 0.0), FORMAL);
/// let full = covered_fill(FORMAL, 1.0);
/// assert!(full[1].abs_diff(COVERAGE_TINT[1]) < full[1].abs_diff(FORMAL[1]));
/// // A fully reached marginal settlement is still orange: red well above green and blue.
/// let [r, g, b] = covered_fill(MARGINAL, 1.0);
/// assert!(r > g + 60 && g > b, "{r} {g} {b}");
/// ```
pub fn covered_fill(fill: Rgb, covered_fraction: f64) -> Rgb {
    if covered_fraction <= 0.0 {
        return fill;
    }
    let tint = if fill == MARGINAL {
        MARGINAL_COVERAGE_TINT
    } else {
        COVERAGE_TINT
    };
    let t = 0.15 + 0.55 * covered_fraction.min(1.0);
    let mix = |a: u8, b: u8| (f64::from(a) * (1.0 - t) + f64::from(b) * t).round() as u8;
    [mix(fill[0], tint[0]), mix(fill[1], tint[1]), mix(fill[2], tint[2])]
}

/// An office symbol's fill and ring colours by status.
pub fn office_colors(status: OfficeStatus) -> (Rgb, Rgb) {
    const WHITE: Rgb = [0xFF, 0xFF, 0xFF];
    match status {
        OfficeStatus::Proposed => (WHITE, [0xE0, 0x6C, 0x00]),
        OfficeStatus::Approved => ([0x1E, 0x5A, 0xC8], WHITE),
        OfficeStatus::Operating => ([0x1B, 0x8A, 0x3A], WHITE),
    }
}
