//! Basemaps: raster tiles drawn under the districts, from an offline MBTiles or PMTiles file,
//! read and decoded without any UI type. The window asks for the tiles of its view
//! (`ui/map/basemap_tiles.rs`), layouts for one picture of their map frame ([`basemap_picture`]).

mod decode;
mod error;
mod mbtiles;
mod picture;
mod pmtiles;
mod tile_id;
mod vector;
mod xyz;

use std::path::Path;

pub use decode::{RgbaTile, decode_tile};
pub use error::BasemapError;
pub use mbtiles::MbtilesFile;
pub use picture::{BasemapPicture, basemap_picture};
pub use pmtiles::{PmtilesFile, tile_id_of as pmtiles_tile_id};
pub use tile_id::{MAX_ZOOM, TILE_SIZE_PX, TileId, WORLD_HALF_M, tiles_covering, zoom_for_m_per_px};
pub use vector::{OVERZOOM_LEVELS, hstore_value, vector_layer_ids};
pub use xyz::{CACHE_ENV, USER_AGENT, XyzSource, check_xyz_template, default_tile_cache};

/// The kind of image a tile set says it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TileFormat {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// WebP.
    Webp,
    /// Mapbox vector tiles, drawn with the built-in style.
    Vector,
    /// Not said; each tile's bytes tell.
    Unknown,
}

impl TileFormat {
    /// Its usual name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Png => "PNG",
            Self::Jpeg => "JPEG",
            Self::Webp => "WebP",
            Self::Vector => "vector (MVT)",
            Self::Unknown => "unstated",
        }
    }
}

/// What a basemap file says about itself.
#[derive(Clone, Debug, PartialEq)]
pub struct BasemapInfo {
    /// Its name (may be empty).
    pub name: String,
    /// Its attribution as the file has it (may hold HTML); [`plain_attribution`] for showing.
    pub attribution: String,
    /// Its tiles' format.
    pub format: TileFormat,
    /// The lowest zoom with tiles.
    pub min_zoom: u8,
    /// The highest zoom with tiles; raster views closer in enlarge these (see
    /// [`BasemapInfo::drawn_max_zoom`]).
    pub max_zoom: u8,
    /// Its extent, `[[west, south], [east, north]]` in degrees, when it says.
    pub bounds_lon_lat: Option<[[f64; 2]; 2]>,
    /// The layers a vector tile set says it holds (its metadata's `vector_layers`), to tell a
    /// planner what the style has to draw; empty when it does not say.
    pub vector_layers: Vec<String>,
}

impl BasemapInfo {
    /// The deepest zoom whose tiles are drawn sharp: the file's last for raster tiles, a few
    /// more for vector tiles, which are drawn again from the last ones.
    pub fn drawn_max_zoom(&self) -> u8 {
        match self.format {
            TileFormat::Vector => self.max_zoom.saturating_add(OVERZOOM_LEVELS).min(MAX_ZOOM),
            _ => self.max_zoom,
        }
        .max(self.min_zoom)
    }
}

/// Where a basemap's tiles are stored.
enum TileStore {
    /// An MBTiles (SQLite) file.
    Mbtiles(MbtilesFile),
    /// A PMTiles file.
    Pmtiles(PmtilesFile),
    /// An online XYZ server, through the tile cache.
    Xyz(XyzSource),
}

impl TileStore {
    fn bytes(&mut self, tile: TileId) -> Result<Option<Vec<u8>>, BasemapError> {
        match self {
            Self::Mbtiles(f) => f.tile_bytes(tile),
            Self::Pmtiles(f) => f.tile_bytes(tile),
            Self::Xyz(s) => s.tile_bytes(tile),
        }
    }
}

/// An open basemap: a file of either kind or an online server, and for vector tiles what
/// drawing them needs.
pub struct TileSource {
    store: TileStore,
    /// Set for vector tiles (MVT), which are drawn here into pictures.
    vector: Option<vector::VectorTiles>,
}

impl TileSource {
    /// Opens `path`, telling the two formats apart by their first bytes (not the name).
    pub fn open(path: &Path) -> Result<(Self, BasemapInfo), BasemapError> {
        use std::io::Read;
        let io = |source| BasemapError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut magic = [0u8; 16];
        let mut file = std::fs::File::open(path).map_err(io)?;
        let n = file.read(&mut magic).map_err(io)?;
        if magic[..n].starts_with(b"PMTiles") {
            let (file, info) = PmtilesFile::open(path)?;
            Ok((Self::new(TileStore::Pmtiles(file), &info), info))
        } else if magic[..n].starts_with(b"SQLite format 3\0") {
            let (file, info) = MbtilesFile::open(path)?;
            Ok((Self::new(TileStore::Mbtiles(file), &info), info))
        } else {
            Err(BasemapError::NotTiles {
                path: path.to_path_buf(),
            })
        }
    }

    /// Opens the plan's basemap source: a file by [`TileSource::open`], an online server with
    /// its tiles cached under `cache_root`.
    pub fn open_source(
        source: &crate::model::BasemapSource,
        cache_root: Option<&Path>,
    ) -> Result<(Self, BasemapInfo), BasemapError> {
        match source {
            crate::model::BasemapSource::File { path } => Self::open(path),
            crate::model::BasemapSource::Online {
                url,
                attribution,
                max_zoom,
            } => {
                let xyz = XyzSource::new(url, cache_root)?;
                // A vector tile server (`.../{z}/{x}/{y}.pbf`) mostly stops at zoom 14, where the
                // schemas end; a maximum left at the raster default is taken to mean that.
                let vector = is_vector_template(url);
                let max_zoom = if vector && *max_zoom == crate::model::DEFAULT_ONLINE_MAX_ZOOM {
                    VECTOR_SERVER_MAX_ZOOM
                } else {
                    (*max_zoom).min(MAX_ZOOM)
                };
                let info = BasemapInfo {
                    name: String::new(),
                    attribution: attribution.clone(),
                    format: if vector {
                        TileFormat::Vector
                    } else {
                        TileFormat::Unknown
                    },
                    min_zoom: 0,
                    max_zoom,
                    bounds_lon_lat: None,
                    vector_layers: Vec::new(),
                };
                Ok((Self::new(TileStore::Xyz(xyz), &info), info))
            }
        }
    }

    fn new(store: TileStore, info: &BasemapInfo) -> Self {
        let vector = (info.format == TileFormat::Vector).then(|| vector::VectorTiles::new(info.max_zoom));
        Self { store, vector }
    }

    /// More readers of the same online server, for `n` threads in all (a file is read by one:
    /// none more).
    pub fn more_readers(&self, n: usize) -> Vec<TileSource> {
        match &self.store {
            TileStore::Xyz(xyz) => (1..n)
                .map(|_| TileSource {
                    store: TileStore::Xyz(xyz.clone()),
                    vector: None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The stored bytes of `tile`, or `None` when the file (or server) has none for it.
    pub fn tile_bytes(&mut self, tile: TileId) -> Result<Option<Vec<u8>>, BasemapError> {
        self.store.bytes(tile)
    }

    /// The kind of source: "MBTiles", "PMTiles" or "XYZ".
    pub fn container_name(&self) -> &'static str {
        match self.store {
            TileStore::Mbtiles(_) => "MBTiles",
            TileStore::Pmtiles(_) => "PMTiles",
            TileStore::Xyz(_) => "XYZ",
        }
    }

    /// `tile` as a picture, or `None` when the file has none for it. Raster tiles are decoded;
    /// vector tiles are drawn, from the file's deepest tile for zooms beyond it.
    pub fn tile(&mut self, tile: TileId) -> Result<Option<RgbaTile>, BasemapError> {
        self.tile_at_ratio(tile, 1.0)
    }

    /// [`Self::tile`], vector tiles drawn `pixel_ratio` times larger (256 × `pixel_ratio`
    /// pixels, lines and names as large) for print; raster tiles are as stored.
    pub fn tile_at_ratio(&mut self, tile: TileId, pixel_ratio: f32) -> Result<Option<RgbaTile>, BasemapError> {
        let bad = |message: String| BasemapError::BadTile {
            z: tile.z,
            x: tile.x,
            y: tile.y,
            message,
        };
        let Some(vector) = &mut self.vector else {
            return match self.store.bytes(tile)? {
                None => Ok(None),
                Some(bytes) => decode_tile(&bytes)
                    .map(Some)
                    .map_err(|e| bad(format!("not a PNG, JPEG or WebP image: {e}"))),
            };
        };
        let (from, part) = vector.source_of(tile);
        let decoded = match vector.cached(from) {
            Some(decoded) => decoded,
            None => {
                let Some(bytes) = self.store.bytes(from)? else {
                    return Ok(None);
                };
                vector.decode(from, &bytes).map_err(bad)?
            }
        };
        decoded.draw(part, tile.z, pixel_ratio).map(Some).map_err(bad)
    }
}

/// The last zoom of an online vector tile server whose maximum the planner left at the default.
const VECTOR_SERVER_MAX_ZOOM: u8 = 14;

/// Whether an online template asks for vector tiles: its path ends in `.pbf` or `.mvt`.
///
/// ```
/// use mahalleh::basemap::is_vector_template;
/// assert!(is_vector_template("https://tiles.example.org/osm/{z}/{x}/{y}.pbf?key=k"));
/// assert!(!is_vector_template("https://tile.example.org/{z}/{x}/{y}.png"));
/// ```
pub fn is_vector_template(template: &str) -> bool {
    let path = template
        .split(['?', '#'])
        .next()
        .unwrap_or(template)
        .to_ascii_lowercase();
    path.ends_with(".pbf") || path.ends_with(".mvt")
}

/// Whether `path` names a basemap file by its extension (`.mbtiles`, `.pmtiles`): for drops,
/// dialogs and `mahalleh info`, which then open it by its bytes.
pub fn is_basemap_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("mbtiles") || e.eq_ignore_ascii_case("pmtiles"))
}

/// An attribution as plain text: HTML tags dropped, the common entities (`&copy;`, `&amp;`, …)
/// decoded and runs of white space made one space.
///
/// ```
/// use mahalleh::basemap::plain_attribution;
/// let html = r#"<a href="https://www.openstreetmap.org/copyright">&copy; OpenStreetMap</a> contributors"#;
/// assert_eq!(plain_attribution(html), "© OpenStreetMap contributors");
/// ```
pub fn plain_attribution(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&copy;", "©")
        .replace("&#169;", "©")
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
