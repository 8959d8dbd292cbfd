//! The plan's basemap: a tile file, or an online tile server, drawn under everything, in the
//! window and in layouts.

use std::path::PathBuf;

/// How opaque district fills are over a basemap unless the user says otherwise: the streets
/// under a neighbourhood stay readable and its colour still tells.
pub const DEFAULT_DISTRICTS_OPACITY: f32 = 0.55;

/// The deepest zoom asked of an online server unless its settings say (street level).
pub const DEFAULT_ONLINE_MAX_ZOOM: u8 = 19;

/// Where a basemap's tiles come from.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum BasemapSource {
    /// An MBTiles or PMTiles file (stored relative to the plan file).
    File {
        /// The file.
        path: PathBuf,
    },
    /// An online XYZ server the user may use.
    Online {
        /// Its URL template, with `{z}`, `{x}` and `{y}` (or `{-y}`).
        url: String,
        /// What its licence asks to be shown with it.
        #[serde(default)]
        attribution: String,
        /// The deepest zoom it serves.
        #[serde(default = "default_online_max_zoom")]
        max_zoom: u8,
    },
}

fn default_online_max_zoom() -> u8 {
    DEFAULT_ONLINE_MAX_ZOOM
}

/// A basemap chosen for the plan.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Basemap {
    /// Where its tiles come from.
    #[serde(flatten)]
    pub source: BasemapSource,
    /// Whether it is drawn.
    pub visible: bool,
    /// Opacity of the district fills over it, 0 (outlines only) to 1 (hiding it).
    pub districts_opacity: f32,
}

impl Basemap {
    /// The basemap in `path`, shown, with the default opacity of the fills over it.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Self::from_source(BasemapSource::File { path: path.into() })
    }

    /// The online server `url` (an XYZ template) with its attribution, shown.
    pub fn online(url: impl Into<String>, attribution: impl Into<String>) -> Self {
        Self::from_source(BasemapSource::Online {
            url: url.into(),
            attribution: attribution.into(),
            max_zoom: DEFAULT_ONLINE_MAX_ZOOM,
        })
    }

    fn from_source(source: BasemapSource) -> Self {
        Self {
            source,
            visible: true,
            districts_opacity: DEFAULT_DISTRICTS_OPACITY,
        }
    }

    /// The opacity the district fills get this frame: theirs over a shown basemap, else 1.
    pub fn fill_opacity(basemap: Option<&Self>) -> f32 {
        basemap.filter(|b| b.visible).map_or(1.0, |b| b.districts_opacity)
    }
}

impl BasemapSource {
    /// Its file or address, for messages.
    pub fn describe(&self) -> String {
        match self {
            Self::File { path } => path.display().to_string(),
            Self::Online { url, .. } => url.clone(),
        }
    }
}
