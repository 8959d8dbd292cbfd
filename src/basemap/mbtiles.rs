//! MBTiles (1.3): tiles in an SQLite database, `tiles(zoom_level, tile_column, tile_row,
//! tile_data)` with rows counted from the south (TMS), and a `metadata(name, value)` table.
//! Opened read-only through the bundled SQLite.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::{BasemapError, BasemapInfo, TileFormat, TileId};

/// An open MBTiles file.
pub struct MbtilesFile {
    db: Connection,
    path: PathBuf,
}

impl MbtilesFile {
    /// Opens `path` and reads its metadata.
    pub fn open(path: &Path) -> Result<(Self, BasemapInfo), BasemapError> {
        let bad = |message: String| BasemapError::BadMbtiles {
            path: path.to_path_buf(),
            message,
        };
        let db = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| bad(e.to_string()))?;
        let file = Self {
            db,
            path: path.to_path_buf(),
        };
        let info = file.info().map_err(|e| bad(e.to_string()))?;
        Ok((file, info))
    }

    fn metadata(&self, name: &str) -> rusqlite::Result<Option<String>> {
        self.db
            .query_row("SELECT value FROM metadata WHERE name = ?1", [name], |r| {
                r.get::<_, String>(0)
            })
            .optional()
    }

    fn info(&self) -> rusqlite::Result<BasemapInfo> {
        // Zooms the file really holds, when its metadata does not say.
        let (min_found, max_found): (Option<i64>, Option<i64>) =
            self.db
                .query_row("SELECT min(zoom_level), max(zoom_level) FROM tiles", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
        let zoom = |name: &str, found: Option<i64>| -> rusqlite::Result<u8> {
            let given = self.metadata(name)?.and_then(|v| v.trim().parse::<i64>().ok());
            Ok(given.or(found).unwrap_or(0).clamp(0, i64::from(super::MAX_ZOOM)) as u8)
        };
        let format = match self.metadata("format")?.as_deref().map(str::trim) {
            Some("pbf" | "mvt") => TileFormat::Vector,
            Some("jpg" | "jpeg") => TileFormat::Jpeg,
            Some("webp") => TileFormat::Webp,
            Some("png") => TileFormat::Png,
            // Not said (older tools leave it out): a vector tile set is told by its tiles.
            _ => {
                let first: Option<Vec<u8>> = self
                    .db
                    .query_row("SELECT tile_data FROM tiles LIMIT 1", [], |r| r.get(0))
                    .optional()?;
                if first.is_some_and(|bytes| super::vector::looks_like_vector_tile(&bytes)) {
                    TileFormat::Vector
                } else {
                    TileFormat::Unknown
                }
            }
        };
        let bounds_lon_lat = self.metadata("bounds")?.and_then(|b| {
            let v: Vec<f64> = b.split(',').filter_map(|t| t.trim().parse().ok()).collect();
            (v.len() == 4).then(|| [[v[0], v[1]], [v[2], v[3]]])
        });
        Ok(BasemapInfo {
            name: self.metadata("name")?.unwrap_or_default(),
            attribution: self.metadata("attribution")?.unwrap_or_default(),
            format,
            min_zoom: zoom("minzoom", min_found)?,
            max_zoom: zoom("maxzoom", max_found)?,
            bounds_lon_lat,
            vector_layers: self
                .metadata("json")?
                .map(|json| super::vector_layer_ids(&serde_json::json!({ "json": json })))
                .unwrap_or_default(),
        })
    }

    /// The bytes of `tile`, or `None` when the file has no such tile.
    pub fn tile_bytes(&self, tile: TileId) -> Result<Option<Vec<u8>>, BasemapError> {
        let tms_row = (1i64 << tile.z) - 1 - i64::from(tile.y);
        self.db
            .query_row(
                "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
                rusqlite::params![tile.z, tile.x, tms_row],
                |r| r.get::<_, Vec<u8>>(0),
            )
            .optional()
            .map_err(|e| BasemapError::BadMbtiles {
                path: self.path.clone(),
                message: format!("tile {}/{}/{}: {e}", tile.z, tile.x, tile.y),
            })
    }
}
