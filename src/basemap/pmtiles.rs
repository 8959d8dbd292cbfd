//! PMTiles (version 3): one file with a 127-byte header, a root directory, leaf directories and
//! the tiles, each tile found by its id on a Hilbert curve through every zoom level. Directories
//! may be gzip-compressed (as the standard tools write them); tiles are read as stored.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::{BasemapError, BasemapInfo, TileFormat, TileId};

/// The header's length in bytes.
const HEADER_LEN: usize = 127;
/// Directories nest at most this deep (the format's writers use one level of leaves).
const MAX_DEPTH: usize = 4;
/// A directory or tile longer than this is taken as damage, not read.
const MAX_READ_BYTES: u64 = 64 << 20;
/// Leaf directories kept decoded.
const LEAF_CACHE: usize = 64;

/// One directory entry: a run of tiles with the same bytes, or (run 0) a leaf directory.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Entry {
    tile_id: u64,
    offset: u64,
    length: u64,
    run_length: u64,
}

/// Where the parts of the file are, from its header.
#[derive(Clone, Copy, Debug)]
struct Header {
    root: (u64, u64),
    metadata: (u64, u64),
    leaves_offset: u64,
    tiles_offset: u64,
    internal_gzip: bool,
    tiles_gzip: bool,
}

/// An open PMTiles file.
pub struct PmtilesFile {
    file: File,
    path: PathBuf,
    header: Header,
    root: Vec<Entry>,
    leaves: HashMap<(u64, u64), Vec<Entry>>,
}

impl PmtilesFile {
    /// Opens `path`, reads its header, metadata and root directory.
    pub fn open(path: &Path) -> Result<(Self, BasemapInfo), BasemapError> {
        let bad = |message: String| BasemapError::BadPmtiles {
            path: path.to_path_buf(),
            message,
        };
        let mut file = File::open(path).map_err(|source| BasemapError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut h = [0u8; HEADER_LEN];
        file.read_exact(&mut h)
            .map_err(|_| bad(format!("shorter than its {HEADER_LEN}-byte header")))?;
        if &h[0..7] != b"PMTiles" {
            return Err(BasemapError::NotTiles {
                path: path.to_path_buf(),
            });
        }
        if h[7] != 3 {
            return Err(bad(format!("version {} (only version 3 is read)", h[7])));
        }
        let u64_at = |at: usize| u64::from_le_bytes(h[at..at + 8].try_into().unwrap_or([0; 8]));
        let i32_at = |at: usize| i32::from_le_bytes(h[at..at + 4].try_into().unwrap_or([0; 4]));
        let gzip = |byte: u8, part: &str| match byte {
            0 | 1 => Ok(false),
            2 => Ok(true),
            3 => Err(("brotli", part.to_owned())),
            4 => Err(("zstd", part.to_owned())),
            _ => Err(("an unknown", part.to_owned())),
        };
        let compression = |byte: u8, part: &str| {
            gzip(byte, part).map_err(|(method, _)| BasemapError::Compression {
                path: path.to_path_buf(),
                method,
            })
        };
        let header = Header {
            root: (u64_at(8), u64_at(16)),
            metadata: (u64_at(24), u64_at(32)),
            leaves_offset: u64_at(40),
            tiles_offset: u64_at(56),
            internal_gzip: compression(h[97], "directories")?,
            tiles_gzip: compression(h[98], "tiles")?,
        };
        let format = match h[99] {
            1 => TileFormat::Vector,
            2 => TileFormat::Png,
            3 => TileFormat::Jpeg,
            4 => TileFormat::Webp,
            _ => TileFormat::Unknown,
        };
        let e7 = |v: i32| f64::from(v) / 1e7;
        let mut pm = Self {
            file,
            path: path.to_path_buf(),
            header,
            root: Vec::new(),
            leaves: HashMap::new(),
        };
        pm.root = pm.directory(header.root.0, header.root.1)?;
        let metadata = pm
            .read_part(header.metadata.0, header.metadata.1, header.internal_gzip, "metadata")
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok());
        let text = |key: &str| {
            metadata
                .as_ref()
                .and_then(|m| m.get(key))
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let info = BasemapInfo {
            name: text("name"),
            attribution: text("attribution"),
            format,
            min_zoom: h[100].min(super::MAX_ZOOM),
            max_zoom: h[101].min(super::MAX_ZOOM),
            bounds_lon_lat: Some([[e7(i32_at(102)), e7(i32_at(106))], [e7(i32_at(110)), e7(i32_at(114))]]),
            vector_layers: metadata.as_ref().map(super::vector_layer_ids).unwrap_or_default(),
        };
        Ok((pm, info))
    }

    fn bad(&self, message: String) -> BasemapError {
        BasemapError::BadPmtiles {
            path: self.path.clone(),
            message,
        }
    }

    /// `length` bytes at `offset`, gunzipped when `gzip`.
    fn read_part(&mut self, offset: u64, length: u64, gzip: bool, what: &str) -> Result<Vec<u8>, BasemapError> {
        if length > MAX_READ_BYTES {
            return Err(self.bad(format!("{what} claims {length} bytes")));
        }
        let mut bytes = vec![0u8; length as usize];
        let read = self
            .file
            .seek(SeekFrom::Start(offset))
            .and_then(|_| self.file.read_exact(&mut bytes));
        if read.is_err() {
            return Err(self.bad(format!("{what} at byte {offset} runs past the end of the file")));
        }
        if !gzip {
            return Ok(bytes);
        }
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .take(MAX_READ_BYTES)
            .read_to_end(&mut out)
            .map_err(|e| self.bad(format!("{what} at byte {offset} does not gunzip: {e}")))?;
        Ok(out)
    }

    fn directory(&mut self, offset: u64, length: u64) -> Result<Vec<Entry>, BasemapError> {
        let bytes = self.read_part(offset, length, self.header.internal_gzip, "a directory")?;
        decode_directory(&bytes).ok_or_else(|| self.bad(format!("the directory at byte {offset} is damaged")))
    }

    /// The bytes of `tile`, or `None` when the file has no such tile.
    pub fn tile_bytes(&mut self, tile: TileId) -> Result<Option<Vec<u8>>, BasemapError> {
        let id = tile_id_of(tile);
        let mut entries = self.root.clone();
        for _ in 0..MAX_DEPTH {
            let Some(entry) = find(&entries, id) else {
                return Ok(None);
            };
            if entry.run_length > 0 {
                let at = self.header.tiles_offset.saturating_add(entry.offset);
                let bytes = self.read_part(at, entry.length, self.header.tiles_gzip, "a tile")?;
                return Ok(Some(bytes));
            }
            let key = (self.header.leaves_offset.saturating_add(entry.offset), entry.length);
            entries = match self.leaves.get(&key) {
                Some(leaf) => leaf.clone(),
                None => {
                    let leaf = self.directory(key.0, key.1)?;
                    if self.leaves.len() >= LEAF_CACHE {
                        self.leaves.clear();
                    }
                    self.leaves.insert(key, leaf.clone());
                    leaf
                }
            };
        }
        Err(self.bad(format!("directories nest deeper than {MAX_DEPTH} levels")))
    }
}

/// The entry that holds tile `id`: the last with a tile id at most `id`, if its run (or leaf)
/// reaches it.
fn find(entries: &[Entry], id: u64) -> Option<Entry> {
    let at = entries.partition_point(|e| e.tile_id <= id).checked_sub(1)?;
    let e = entries[at];
    (e.run_length == 0 || id < e.tile_id.saturating_add(e.run_length)).then_some(e)
}

/// An unsigned LEB128 number from `bytes` at `*at`.
fn varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// A directory: the entry count, then the tile ids (as differences), run lengths, lengths and
/// offsets (0 after the first: right after the entry before).
fn decode_directory(bytes: &[u8]) -> Option<Vec<Entry>> {
    let mut at = 0;
    let n = varint(bytes, &mut at)?;
    // Every entry takes at least four bytes.
    if n > bytes.len() as u64 {
        return None;
    }
    let n = n as usize;
    let mut entries = vec![
        Entry {
            tile_id: 0,
            offset: 0,
            length: 0,
            run_length: 0
        };
        n
    ];
    let mut last = 0u64;
    for e in &mut entries {
        last = last.checked_add(varint(bytes, &mut at)?)?;
        e.tile_id = last;
    }
    for e in &mut entries {
        e.run_length = varint(bytes, &mut at)?;
    }
    for e in &mut entries {
        e.length = varint(bytes, &mut at)?;
    }
    for i in 0..n {
        let v = varint(bytes, &mut at)?;
        entries[i].offset = if v == 0 && i > 0 {
            entries[i - 1].offset.checked_add(entries[i - 1].length)?
        } else {
            v.checked_sub(1)?
        };
    }
    Some(entries)
}

/// The PMTiles id of a tile: the tiles of all lower zooms, then its position on the Hilbert curve
/// through its own zoom's grid.
///
/// ```
/// use mahalleh::basemap::{TileId, pmtiles_tile_id};
/// assert_eq!(pmtiles_tile_id(TileId::new(0, 0, 0).unwrap()), 0);
/// assert_eq!(pmtiles_tile_id(TileId::new(1, 0, 0).unwrap()), 1);
/// assert_eq!(pmtiles_tile_id(TileId::new(1, 1, 0).unwrap()), 4);
/// ```
pub fn tile_id_of(tile: TileId) -> u64 {
    let z = u32::from(tile.z);
    let before = ((1u64 << (2 * z)) - 1) / 3;
    let n = 1u64 << z;
    let (mut x, mut y) = (u64::from(tile.x), u64::from(tile.y));
    let mut d = 0u64;
    let mut s = n / 2;
    while s > 0 {
        let rx = u64::from(x & s > 0);
        let ry = u64::from(y & s > 0);
        d += s * s * ((3 * rx) ^ ry);
        if ry == 0 {
            if rx == 1 {
                x = n - 1 - x;
                y = n - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    before + d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_ids_follow_the_hilbert_curve() {
        let id = |z, x, y| tile_id_of(TileId::new(z, x, y).unwrap());
        // Zoom 1 in curve order: (0,0), (0,1), (1,1), (1,0).
        assert_eq!([id(1, 0, 0), id(1, 0, 1), id(1, 1, 1), id(1, 1, 0)], [1, 2, 3, 4]);
        // Zoom 2 starts after the 5 tiles of zooms 0 and 1 and visits all 16 once.
        let mut ids: Vec<u64> = (0..4).flat_map(|x| (0..4).map(move |y| id(2, x, y))).collect();
        ids.sort_unstable();
        assert_eq!(ids, (5..21).collect::<Vec<_>>());
        // Ids from the reference implementation (Python `pmtiles.tile.zxy_to_tileid`).
        assert_eq!(id(12, 2666, 1664), 19_409_473);
        assert_eq!(id(5, 17, 9), 1213);
        assert_eq!(id(20, 654_321, 412_345), 1_293_229_133_719);
        // Neighbours on the curve are neighbours on the grid.
        let mut at: Vec<(u64, (u32, u32))> = (0..8)
            .flat_map(|x| (0..8).map(move |y| (id(3, x, y), (x, y))))
            .collect();
        at.sort_unstable();
        for w in at.windows(2) {
            let ((_, (x0, y0)), (_, (x1, y1))) = (w[0], w[1]);
            assert_eq!(x0.abs_diff(x1) + y0.abs_diff(y1), 1, "{w:?}");
        }
    }

    #[test]
    fn directories_decode_runs_and_implicit_offsets() {
        // Three entries: ids 0, 1, 5; runs 1, 1, 0 (a leaf); lengths 10, 20, 30; offsets 0, next, 100.
        let bytes = [3, 0, 1, 4, 1, 1, 0, 10, 20, 30, 1, 0, 101];
        let d = decode_directory(&bytes).unwrap();
        assert_eq!(d.iter().map(|e| e.tile_id).collect::<Vec<_>>(), [0, 1, 5]);
        assert_eq!(d.iter().map(|e| e.offset).collect::<Vec<_>>(), [0, 10, 100]);
        assert_eq!(find(&d, 1).map(|e| e.length), Some(20));
        assert_eq!(find(&d, 3), None);
        assert_eq!(find(&d, 9).map(|e| e.run_length), Some(0));
        assert_eq!(decode_directory(&[200, 1]), None);
        assert_eq!(decode_directory(&[3, 0, 1]), None);
    }
}
