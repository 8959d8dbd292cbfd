//! Colour schemes for thematic maps: ColorBrewer's sequential and diverging schemes for graduated
//! colours (each designed for a given number of classes, not interpolated), and a qualitative set
//! for categories.

use super::brewer_table::PALETTES;
use crate::map::palette::Rgb;

/// What a scheme is designed to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaletteKind {
    /// Low to high: light to dark.
    Sequential,
    /// Two extremes around a middle value.
    Diverging,
}

/// One ColorBrewer scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Palette {
    /// ColorBrewer's name (`YlOrRd`, `RdBu`).
    pub name: &'static str,
    /// Sequential or diverging.
    pub kind: PaletteKind,
    /// Marked safe for the common colour-vision deficiencies by ColorBrewer.
    pub colour_blind_safe: bool,
    /// The colours for 3, 4, …, 9 classes, as `0xRRGGBB`.
    pub(super) colours_by_classes: [&'static [u32]; 7],
}

/// Fewest classes a scheme has colours for.
pub const MIN_CLASSES: usize = 3;
/// Most classes a scheme has colours for.
pub const MAX_CLASSES: usize = 9;
/// The scheme used when none is named: sequential, colour-blind safe, prints well.
pub const DEFAULT_PALETTE: &str = "YlOrRd";

impl Palette {
    /// The scheme's colours for `classes` classes, light to dark (or one extreme to the other).
    /// Fewer than three classes take the first and last of the three-class colours; more than
    /// nine are not offered.
    ///
    /// ```
    /// use mahalleh::style::palette_named;
    /// let blues = palette_named("blues").unwrap();
    /// assert_eq!(blues.colours(3), vec![[0xde, 0xeb, 0xf7], [0x9e, 0xca, 0xe1], [0x31, 0x82, 0xbd]]);
    /// assert_eq!(blues.colours(9).len(), 9);
    /// ```
    pub fn colours(&self, classes: usize) -> Vec<Rgb> {
        let rgb = |c: u32| [(c >> 16) as u8, (c >> 8) as u8, c as u8];
        let three = self.colours_by_classes[0];
        match classes {
            0 => Vec::new(),
            1 => vec![rgb(three[2])],
            2 => vec![rgb(three[0]), rgb(three[2])],
            n => {
                let row = self.colours_by_classes[n.min(MAX_CLASSES) - MIN_CLASSES];
                row.iter().map(|&c| rgb(c)).collect()
            }
        }
    }
}

/// Every scheme offered for graduated colours, sequential first.
pub fn palettes() -> &'static [Palette] {
    PALETTES
}

/// The scheme called `name`, in any letter case.
pub fn palette_named(name: &str) -> Option<&'static Palette> {
    PALETTES.iter().find(|p| p.name.eq_ignore_ascii_case(name.trim()))
}

/// Colours for categories (ColorBrewer's 12-class `Set3`, then `Dark2`): distinct hues of similar
/// lightness, so no category looks more important than another. Category `i` takes colour
/// `i % len`.
pub const CATEGORY_COLOURS: [Rgb; 20] = [
    [0x8d, 0xd3, 0xc7],
    [0xff, 0xff, 0xb3],
    [0xbe, 0xba, 0xda],
    [0xfb, 0x80, 0x72],
    [0x80, 0xb1, 0xd3],
    [0xfd, 0xb4, 0x62],
    [0xb3, 0xde, 0x69],
    [0xfc, 0xcd, 0xe5],
    [0xd9, 0xd9, 0xd9],
    [0xbc, 0x80, 0xbd],
    [0xcc, 0xeb, 0xc5],
    [0xff, 0xed, 0x6f],
    [0x1b, 0x9e, 0x77],
    [0xd9, 0x5f, 0x02],
    [0x75, 0x70, 0xb3],
    [0xe7, 0x29, 0x8a],
    [0x66, 0xa6, 0x1e],
    [0xe6, 0xab, 0x02],
    [0xa6, 0x76, 0x1d],
    [0x66, 0x66, 0x66],
];

/// The colour of districts with no value: a light grey that no scheme uses.
pub const NO_DATA: Rgb = [0xC8, 0xC8, 0xC8];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scheme_has_the_right_number_of_colours_for_each_class_count() {
        assert_eq!(palettes().len(), 27);
        for p in palettes() {
            for k in MIN_CLASSES..=MAX_CLASSES {
                assert_eq!(p.colours(k).len(), k, "{} {k}", p.name);
            }
        }
    }

    #[test]
    fn sequential_schemes_get_darker_class_by_class() {
        let lightness = |[r, g, b]: Rgb| 0.2126 * f64::from(r) + 0.7152 * f64::from(g) + 0.0722 * f64::from(b);
        for p in palettes().iter().filter(|p| p.kind == PaletteKind::Sequential) {
            let c = p.colours(7);
            assert!(c.windows(2).all(|w| lightness(w[0]) > lightness(w[1])), "{}", p.name);
        }
    }

    #[test]
    fn names_are_found_in_any_case_and_unknown_ones_are_not() {
        assert_eq!(palette_named("rdylbu").map(|p| p.kind), Some(PaletteKind::Diverging));
        assert!(palette_named("Spectral").is_some_and(|p| !p.colour_blind_safe));
        assert!(palette_named("viridis").is_none());
        assert!(palette_named(DEFAULT_PALETTE).is_some());
    }
}
