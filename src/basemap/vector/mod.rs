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

use super::TileId;

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

/// The ids of the `vector_layers` a tile set's metadata lists, in its order: in the metadata
/// object (PMTiles), or inside its `json` member as text (MBTiles' `json` row, and PMTiles
/// converted from MBTiles).
///
/// ```
/// let metadata = serde_json::json!({"vector_layers": [{"id": "transportation"}, {"id": "water"}]});
/// assert_eq!(mahalleh::basemap::vector_layer_ids(&metadata), ["transportation", "water"]);
/// let converted = serde_json::json!({"json": r#"{"vector_layers": [{"id": "building"}]}"#});
/// assert_eq!(mahalleh::basemap::vector_layer_ids(&converted), ["building"]);
/// ```
pub fn vector_layer_ids(metadata: &serde_json::Value) -> Vec<String> {
    let inner = metadata
        .get("json")
        .and_then(|j| j.as_str())
        .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok());
    let layers = metadata
        .get("vector_layers")
        .or_else(|| inner.as_ref()?.get("vector_layers"));
    layers
        .and_then(|v| v.as_array())
        .map(|layers| {
            layers
                .iter()
                .filter_map(|l| l.get("id")?.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The most a vector tile may unzip to (real tiles are under 1 MB; the limit stops a damaged or
/// hostile one from filling memory).
const MAX_UNZIPPED_BYTES: u64 = 64 << 20;

/// `bytes` gunzipped when they are gzip (MBTiles stores vector tiles so), else as they are.
fn gunzipped(bytes: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, String> {
    use std::io::Read;
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(std::borrow::Cow::Borrowed(bytes));
    }
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .take(MAX_UNZIPPED_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("a gzipped vector tile that does not unzip: {e}"))?;
    if out.len() as u64 > MAX_UNZIPPED_BYTES {
        return Err(format!(
            "a vector tile that unzips to more than {} MB",
            MAX_UNZIPPED_BYTES >> 20
        ));
    }
    Ok(std::borrow::Cow::Owned(out))
}

/// Whether stored tile bytes look like a vector tile rather than an image: gzip (images are not
/// gzipped), or a protobuf whose first field is a layer (field 3, length-delimited: byte 0x1a).
pub fn looks_like_vector_tile(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b]) || bytes.first() == Some(&0x1a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tile_that_unzips_too_large_is_refused_not_read() {
        use std::io::Write;
        let mut zipped = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..65 {
            zipped.write_all(&zeros).unwrap();
        }
        let bomb = zipped.finish().unwrap();
        assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
        let err = gunzipped(&bomb).unwrap_err();
        assert!(err.contains("more than 64 MB"), "{err}");
        assert!(looks_like_vector_tile(&bomb));
        assert!(!looks_like_vector_tile(b"\x89PNG\r\n"));
    }
}
