//! Thematic styles: districts coloured by their data (graduated colours by classes of a number,
//! or a colour per category), the class breaks as mapclassify computes them, the ColorBrewer
//! schemes, and the legend that goes with them. No UI types: the window and the layouts both
//! draw the [`Theme`] made here.

/// ColorBrewer schemes and category colours.
pub mod brewer;
/// The schemes' colours, as published.
mod brewer_table;
/// Class breaks: quantile, equal interval, natural breaks, standard deviation, manual.
pub mod classify;
/// Exact natural breaks.
mod fisher_jenks;
/// Styles as a plan saves them, and the fills and legend they give a layer.
pub mod thematic;

pub use brewer::{DEFAULT_PALETTE, MAX_CLASSES, MIN_CLASSES, NO_DATA, Palette, PaletteKind, palette_named, palettes};
pub use classify::{ClassMethod, Classes, ClassifyError, classify};
pub use thematic::{
    Graduated, Legend, LegendEntry, LegendLabel, StyleError, StyleValue, ThematicStyle, Theme, style_values,
};
