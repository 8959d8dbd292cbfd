//! What can go wrong with a basemap file.

use std::path::PathBuf;

/// Why a basemap could not be opened or a tile read. Opening errors name the file; a tile's
/// error names the tile, and only that tile is left blank.
#[derive(Debug, thiserror::Error)]
pub enum BasemapError {
    /// The file could not be read at all.
    #[error("cannot read the basemap {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// Neither an MBTiles (SQLite) nor a PMTiles file.
    #[error("{} is not a basemap: expected an MBTiles (.mbtiles) or PMTiles (.pmtiles) file", path.display())]
    NotTiles {
        /// The file.
        path: PathBuf,
    },
    /// An MBTiles database without what the format requires, or one SQLite cannot read.
    #[error("the MBTiles file {} cannot be used: {message}", path.display())]
    BadMbtiles {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A PMTiles file whose header or directories do not follow the format.
    #[error("the PMTiles file {} cannot be used: {message}", path.display())]
    BadPmtiles {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A compression this reader does not have.
    #[error("the PMTiles file {} uses {method} compression, which mahalleh cannot read (gzip or none)", path.display())]
    Compression {
        /// The file.
        path: PathBuf,
        /// The method's name.
        method: &'static str,
    },
    /// An online tile template that is not one.
    #[error("not a tile address: {message}")]
    BadUrl {
        /// What is wrong with it.
        message: String,
    },
    /// A tile server did not give a tile.
    #[error("cannot fetch {url}: {message}")]
    Http {
        /// The tile's address.
        url: String,
        /// Why.
        message: String,
    },
    /// A picture of the basemap could not be encoded as PNG.
    #[error("cannot encode the basemap picture: {0}")]
    Encode(String),
    /// One tile's bytes are not an image (or vector tile) this reader decodes.
    #[error("tile {z}/{x}/{y} is {message}")]
    BadTile {
        /// Zoom.
        z: u8,
        /// Column.
        x: u32,
        /// Row from the north.
        y: u32,
        /// The decoder's reason.
        message: String,
    },
}
