//! Vector basemaps (MVT tiles in MBTiles or PMTiles, as planetiler, tilemaker or GDAL write
//! them) drawn into raster tiles with a built-in style, so the window and layouts use them like
//! any raster basemap. Views closer in than the file's last zoom are drawn again from the
//! deepest tile, sharp, rather than enlarged.

mod labels;
mod paint;
mod style;

use std::sync::Arc;

pub use paint::DecodedTile;
pub use style::hstore_value;

use super::{RgbaTile, TileId};

/// How many zoom levels past the file's last a vector basemap is drawn from its deepest tiles
/// (zoom 14 tiles, the usual last level, serve up to zoom 20: a street and its buildings).
pub const OVERZOOM_LEVELS: u8 = 6;

/// Decoded tiles kept: a view deeper than the file's last zoom draws many tiles from one.
const DECODED_KEPT: usize = 16;

/// What a vector tile set needs besides its bytes: its deepest zoom and the tiles decoded
/// lately.
pub struct VectorTiles {
    /// The file's last zoom level.
    data_max_zoom: u8,
    /// Recently decoded tiles, newest last.
    decoded: Vec<(TileId, Arc<DecodedTile>)>,
}

impl VectorTiles {
    /// For a tile set whose deepest tiles are at `data_max_zoom`.
    pub fn new(data_max_zoom: u8) -> Self {
        Self {
            data_max_zoom,
            decoded: Vec::new(),
        }
    }

    /// The stored tile that `tile` is drawn from (itself, or its ancestor at the file's last
    /// zoom) and the part of it `tile` covers.
    pub fn source_of(&self, tile: TileId) -> (TileId, [[f32; 2]; 2]) {
        tile.ancestor(tile.z.saturating_sub(self.data_max_zoom))
    }

    /// The decoded stored tile `from`, when it was decoded lately.
    pub fn cached(&mut self, from: TileId) -> Option<Arc<DecodedTile>> {
        let at = self.decoded.iter().position(|(id, _)| *id == from)?;
        let entry = self.decoded.remove(at);
        let decoded = Arc::clone(&entry.1);
        self.decoded.push(entry);
        Some(decoded)
    }

    /// Decodes the stored tile `from` from its `bytes` (gzipped or not) and keeps it; the
    /// error says why they are not a vector tile.
    pub fn decode(&mut self, from: TileId, bytes: &[u8]) -> Result<Arc<DecodedTile>, String> {
        let decoded = Arc::new(DecodedTile::decode(&gunzipped(bytes)?)?);
        if self.decoded.len() >= DECODED_KEPT {
            self.decoded.remove(0);
        }
        self.decoded.push((from, Arc::clone(&decoded)));
        Ok(decoded)
    }
}

/// Draws `tile` from `decoded`, the stored tile `part` of which it covers, 256 pixels times
/// `pixel_ratio` wide.
pub fn draw_tile(
    decoded: &DecodedTile,
    tile: TileId,
    part: [[f32; 2]; 2],
    pixel_ratio: f32,
) -> Result<RgbaTile, String> {
    decoded.draw(part, tile.z, pixel_ratio)
}

/// `bytes` gunzipped when they are gzip (MBTiles stores vector tiles so), else as they are.
fn gunzipped(bytes: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, String> {
    use std::io::Read;
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(std::borrow::Cow::Borrowed(bytes));
    }
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|e| format!("a gzipped vector tile that does not unzip: {e}"))?;
    Ok(std::borrow::Cow::Owned(out))
}
