//! The plan's basemap: a tile file drawn under everything, in the window and in layouts.

use std::path::PathBuf;

/// How opaque district fills are over a basemap unless the user says otherwise: the streets
/// under a neighbourhood stay readable and its colour still tells.
pub const DEFAULT_DISTRICTS_OPACITY: f32 = 0.55;

/// A basemap chosen for the plan.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Basemap {
    /// The MBTiles or PMTiles file (stored relative to the plan file).
    pub path: PathBuf,
    /// Whether it is drawn.
    pub visible: bool,
    /// Opacity of the district fills over it, 0 (outlines only) to 1 (hiding it).
    pub districts_opacity: f32,
}

impl Basemap {
    /// The basemap in `path`, shown, with the default opacity of the fills over it.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            visible: true,
            districts_opacity: DEFAULT_DISTRICTS_OPACITY,
        }
    }

    /// The opacity the district fills get this frame: theirs over a shown basemap, else 1.
    pub fn fill_opacity(basemap: Option<&Self>) -> f32 {
        basemap.filter(|b| b.visible).map_or(1.0, |b| b.districts_opacity)
    }
}
