//! GeoPackage (`.gpkg`): its feature layers from `gpkg_contents`, the chosen layer's coordinate
//! system from `gpkg_spatial_ref_sys`, each row's geometry blob (header, then WKB) and every
//! attribute column, typed. The database is opened read-only through the bundled SQLite, which
//! reports a damaged file as an error rather than failing.

use std::path::Path;

use rayon::prelude::*;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use serde_json::{Map, Value};

use super::wkb::coordinates_from_wkb;
use super::{SourceFeature, SourceFeatures, SourceLayer};
use crate::io::LoadError;
use crate::io::crs::{CrsDefinition, crs_from_epsg, crs_from_wkt};
use crate::model::{LoadWarning, SkipReason};

/// One feature table of a GeoPackage.
#[derive(Clone, Debug, PartialEq)]
pub struct GeoPackageLayer {
    /// The table's name, which is the layer's name.
    pub name: String,
    /// Its geometry column.
    pub geometry_column: String,
    /// The geometry type it declares (`MULTIPOLYGON`, `POINT`, `GEOMETRY`, …).
    pub geometry_type: String,
    /// Its spatial reference system id in `gpkg_spatial_ref_sys`.
    pub srs_id: i64,
}

impl GeoPackageLayer {
    /// Whether the layer can hold polygons (a generic `GEOMETRY` layer can).
    pub fn may_hold_polygons(&self) -> bool {
        matches!(
            self.geometry_type.to_ascii_uppercase().as_str(),
            "POLYGON"
                | "MULTIPOLYGON"
                | "CURVEPOLYGON"
                | "MULTISURFACE"
                | "SURFACE"
                | "GEOMETRY"
                | "GEOMETRYCOLLECTION"
                | "TRIANGLE"
                | "TIN"
                | "POLYHEDRALSURFACE"
        )
    }
}

/// The feature layers of the GeoPackage `path`, in the order `gpkg_contents` lists them.
pub fn geopackage_layers(path: &Path) -> Result<Vec<GeoPackageLayer>, LoadError> {
    let db = open(path)?;
    layers_of(&db, path)
}

/// Reads the polygon layer `layer` of the GeoPackage `path`, or its only polygon layer.
pub fn read_geopackage(path: &Path, layer: Option<&str>) -> Result<SourceLayer, LoadError> {
    read_layer(path, layer, true)
}

/// Reads the feature layer `layer` of the GeoPackage `path` whatever its geometry, or its only
/// feature layer: for reference layers (points, lines, polygons).
pub fn read_geopackage_any(path: &Path, layer: Option<&str>) -> Result<SourceLayer, LoadError> {
    read_layer(path, layer, false)
}

fn read_layer(path: &Path, layer: Option<&str>, polygons_only: bool) -> Result<SourceLayer, LoadError> {
    let unreadable = |message: String| LoadError::Unreadable {
        message,
        path: path.to_path_buf(),
    };
    let bytes = std::fs::metadata(path)
        .map_err(|source| LoadError::Io {
            path: path.to_path_buf(),
            source,
        })?
        .len();
    let db = open(path)?;
    let layers = layers_of(&db, path)?;
    let polygon_layers: Vec<&GeoPackageLayer> = layers
        .iter()
        .filter(|l| !polygons_only || l.may_hold_polygons())
        .collect();
    let chosen = match (layer, polygon_layers.as_slice()) {
        (Some(name), _) => layers
            .iter()
            .find(|l| l.name == name)
            .or_else(|| layers.iter().find(|l| l.name.eq_ignore_ascii_case(name)))
            .ok_or_else(|| LoadError::NoSuchLayer {
                layer: name.to_string(),
                layers: layers.iter().map(|l| l.name.clone()).collect(),
                path: path.to_path_buf(),
            })?,
        (None, [one]) => *one,
        (None, []) => {
            return Err(unreadable(if layers.is_empty() {
                "the GeoPackage holds no feature layer".to_string()
            } else {
                format!(
                    "the GeoPackage holds no polygon layer; it has: {}",
                    layers
                        .iter()
                        .map(|l| format!("{} ({})", l.name, l.geometry_type))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }));
        }
        (None, many) => {
            return Err(LoadError::ChooseLayer {
                layers: many.iter().map(|l| l.name.clone()).collect(),
                path: path.to_path_buf(),
            });
        }
    };
    let mut notes = Vec::new();
    let others: Vec<&str> = layers
        .iter()
        .filter(|l| l.name != chosen.name)
        .map(|l| l.name.as_str())
        .collect();
    if !others.is_empty() {
        notes.push(format!(
            "read the layer {}; the GeoPackage also holds: {}",
            chosen.name,
            others.join(", ")
        ));
    }
    let crs = crs_of(&db, chosen.srs_id, path)?;
    let features = features_of(&db, path, chosen)
        .map_err(|e| unreadable(format!("cannot read the layer {} ({e})", chosen.name)))?;
    Ok(SourceLayer {
        format: "GeoPackage",
        features,
        crs,
        encoding: None,
        notes,
        bytes,
    })
}

fn open(path: &Path) -> Result<Connection, LoadError> {
    if !path.is_file() {
        let source = std::fs::metadata(path)
            .err()
            .unwrap_or_else(|| std::io::Error::other("not a file"));
        return Err(LoadError::Io {
            path: path.to_path_buf(),
            source,
        });
    }
    read_only(path).map_err(|e| LoadError::Unreadable {
        message: format!("not a readable GeoPackage ({e})"),
        path: path.to_path_buf(),
    })
}

/// Pages each reading connection caches. A scan reads every page once, so SQLite's default
/// (2 MB a connection) only filled fresh memory that was never read again: with eight readers
/// on the 100,000-row bench that cost about 0.05 s of system time in page faults.
const READ_CACHE_PAGES: i64 = 64;

/// A read-only connection to `path`, for one thread at a time. Opening reads nothing yet: the
/// first query says whether the file is a database.
fn read_only(path: &Path) -> Result<Connection, rusqlite::Error> {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
}

/// A read-only connection for one of the parallel row readers, with a small page cache
/// ([`READ_CACHE_PAGES`]).
fn connect_reader(path: &Path) -> Result<Connection, rusqlite::Error> {
    let db = read_only(path)?;
    db.pragma_update(None, "cache_size", READ_CACHE_PAGES)?;
    Ok(db)
}

/// SQL text quoting an identifier (a table or column name), for reading and writing.
pub(crate) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn layers_of(db: &Connection, path: &Path) -> Result<Vec<GeoPackageLayer>, LoadError> {
    let not_geopackage = |e: rusqlite::Error| LoadError::Unreadable {
        message: match &e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
                "not a GeoPackage: the file is not an SQLite database".to_string()
            }
            rusqlite::Error::SqliteFailure(_, Some(m)) if m.contains("no such table") => {
                "not a GeoPackage: the SQLite database has no gpkg_contents or gpkg_geometry_columns table".to_string()
            }
            _ => format!("not a readable GeoPackage ({e})"),
        },
        path: path.to_path_buf(),
    };
    let mut statement = db
        .prepare(
            "SELECT c.table_name, g.column_name, g.geometry_type_name, g.srs_id \
             FROM gpkg_contents c JOIN gpkg_geometry_columns g ON c.table_name = g.table_name \
             WHERE lower(c.data_type) = 'features' ORDER BY c.rowid",
        )
        .map_err(not_geopackage)?;
    let rows = statement
        .query_map([], |row| {
            Ok(GeoPackageLayer {
                name: row.get(0)?,
                geometry_column: row.get(1)?,
                geometry_type: row.get(2)?,
                srs_id: row.get::<_, Option<i64>>(3)?.unwrap_or(-1),
            })
        })
        .map_err(not_geopackage)?;
    rows.collect::<Result<Vec<_>, _>>().map_err(not_geopackage)
}

/// The coordinate system of `srs_id`: by its EPSG code when it has one, else its WKT; none for
/// the GeoPackage's "undefined" systems (-1 and 0).
fn crs_of(db: &Connection, srs_id: i64, path: &Path) -> Result<Option<CrsDefinition>, LoadError> {
    if srs_id == -1 || srs_id == 0 {
        return Ok(None);
    }
    let bad = |message: String| LoadError::BadCrs {
        message,
        path: path.to_path_buf(),
    };
    let row: Option<(String, i64, String)> = db
        .query_row(
            "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
            [srs_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .ok();
    let Some((organization, code, definition)) = row else {
        return Err(bad(format!(
            "the layer's coordinate system {srs_id} is not in gpkg_spatial_ref_sys"
        )));
    };
    let by_code = u32::try_from(code).ok().and_then(|c| crs_from_epsg(c).ok());
    if let (true, Some(def)) = (organization.eq_ignore_ascii_case("EPSG"), by_code) {
        return Ok(Some(def));
    }
    if definition.trim().is_empty() || definition.trim().eq_ignore_ascii_case("undefined") {
        return Err(bad(format!(
            "the layer's coordinate system {organization}:{code} is not known and the GeoPackage gives no definition"
        )));
    }
    crs_from_wkt(&definition).map(Some).map_err(|e| bad(e.to_string()))
}

/// How a column's values become JSON, from its declared type.
#[derive(Clone, Copy, PartialEq)]
enum ColumnKind {
    Boolean,
    Other,
}

fn features_of(db: &Connection, path: &Path, layer: &GeoPackageLayer) -> Result<SourceFeatures, rusqlite::Error> {
    let table = quoted(&layer.name);
    let mut columns: Vec<(String, ColumnKind)> = Vec::new();
    {
        let mut info = db.prepare(&format!("PRAGMA table_info({table})"))?;
        let rows = info.query_map([], |row| {
            Ok((
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?.unwrap_or_default(),
                row.get::<_, i64>(5)?,
            ))
        })?;
        for row in rows {
            let (name, declared, pk) = row?;
            let integer_key = pk > 0 && declared.eq_ignore_ascii_case("INTEGER");
            if name == layer.geometry_column || integer_key {
                continue;
            }
            let kind = if declared.eq_ignore_ascii_case("BOOLEAN") {
                ColumnKind::Boolean
            } else {
                ColumnKind::Other
            };
            columns.push((name, kind));
        }
    }
    let select: Vec<String> = columns.iter().map(|(name, _)| quoted(name)).collect();
    let sql = format!(
        "SELECT rowid, {}{}{} FROM {table} WHERE rowid >= ?1 AND rowid <= ?2 ORDER BY rowid",
        quoted(&layer.geometry_column),
        if select.is_empty() { "" } else { ", " },
        select.join(", ")
    );
    // Two subqueries: SQLite answers a lone min() or max() of the rowid from the end of the
    // table's tree, but scans every row for both in one (23 ms on the 100,000-row bench).
    let (first, last): (Option<i64>, Option<i64>) = db.query_row(
        &format!("SELECT (SELECT min(rowid) FROM {table}), (SELECT max(rowid) FROM {table})"),
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(SourceFeatures::default());
    };
    // Rows decode independently: runs of rowids are read side by side, each on its own
    // read-only connection (SQLite allows any number of readers), and joined in rowid order.
    let span = last.saturating_sub(first).saturating_add(1);
    let pieces = if span < ROWS_PER_PIECE {
        1
    } else {
        (rayon::current_num_threads() as i64 * 4)
            .min(span / ROWS_PER_PIECE)
            .max(1)
    };
    let ranges: Vec<(i64, i64)> = (0..pieces)
        .map(|p| {
            let from = first.saturating_add(span / pieces * p);
            let to = if p + 1 == pieces {
                last
            } else {
                first.saturating_add(span / pieces * (p + 1)) - 1
            };
            (from, to)
        })
        .collect();
    if pieces == 1 {
        let mut statement = db.prepare(&sql)?;
        return Ok(features_of_rows(statement.query([first, last])?, &columns, (first, last))?.into());
    }
    let read_piece = |(from, to): (i64, i64)| -> Result<Vec<SourceFeature>, rusqlite::Error> {
        let db = connect_reader(path)?;
        let mut statement = db.prepare(&sql)?;
        features_of_rows(statement.query([from, to])?, &columns, (from, to))
    };
    let pieces: Vec<Vec<SourceFeature>> = ranges.into_par_iter().map(read_piece).collect::<Result<_, _>>()?;
    Ok(SourceFeatures::from_runs(pieces))
}

/// Most rows a reader makes room for before it has read them (a table whose rowids jump by
/// millions has far fewer rows than its rowid range).
const MOST_ROWS_RESERVED: usize = 1 << 20;

/// Rows per parallel piece, at least: fewer are not worth a connection of their own.
const ROWS_PER_PIECE: i64 = 4096;

/// The features of `rows` (rowid, geometry, then `columns`), indexed from 0. `rowids` is the
/// range they were asked for: room for that many (as most tables number rows without gaps) is
/// made at once, rather than the vector growing to twice what it holds.
fn features_of_rows(
    mut rows: rusqlite::Rows<'_>,
    columns: &[(String, ColumnKind)],
    rowids: (i64, i64),
) -> Result<Vec<SourceFeature>, rusqlite::Error> {
    let span = rowids.1.saturating_sub(rowids.0).saturating_add(1);
    let mut features = Vec::with_capacity(usize::try_from(span).unwrap_or(0).min(MOST_ROWS_RESERVED));
    while let Some(row) = rows.next()? {
        let index = features.len();
        let fid: i64 = row.get(0)?;
        let mut warnings = Vec::new();
        let (geometry_type, geometry) = match row.get_ref(1)? {
            ValueRef::Null => ("null".to_string(), Err(SkipReason::NullGeometry)),
            ValueRef::Blob(blob) => match wkb_of(blob) {
                Ok(wkb) => {
                    let (kind, result, ignored) = coordinates_from_wkb(wkb);
                    if ignored > 0 && result.is_ok() {
                        warnings.push(LoadWarning::CollectionMembersIgnored { count: ignored });
                    }
                    (kind, result)
                }
                Err(reason) => ("unreadable".to_string(), Err(reason)),
            },
            other => (
                "unreadable".to_string(),
                Err(SkipReason::Malformed {
                    message: format!("the geometry column holds {:?}, not a geometry blob", other.data_type()),
                }),
            ),
        };
        let mut properties = Map::with_capacity(columns.len());
        for (i, (name, kind)) in columns.iter().enumerate() {
            let value = match row.get_ref(i + 2)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(v) if *kind == ColumnKind::Boolean => Value::Bool(v != 0),
                ValueRef::Integer(v) => Value::from(v),
                ValueRef::Real(v) => serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number),
                ValueRef::Text(bytes) => match std::str::from_utf8(bytes) {
                    Ok(text) => Value::String(text.to_string()),
                    Err(_) => {
                        warnings.push(LoadWarning::UndecodableText { field: name.clone() });
                        Value::String(String::from_utf8_lossy(bytes).into_owned())
                    }
                },
                // Binary columns (photos, documents) are nothing to label or count by.
                ValueRef::Blob(_) => continue,
            };
            properties.insert(name.clone(), value);
        }
        features.push(SourceFeature {
            index,
            line: 0,
            fid: Some(fid),
            geometry_type,
            geometry,
            properties,
            warnings,
        });
    }
    Ok(features)
}

/// The WKB inside a GeoPackage geometry blob: after the magic `GP`, version, flags, srs id and
/// the envelope the flags announce.
fn wkb_of(blob: &[u8]) -> Result<&[u8], SkipReason> {
    let malformed = |message: String| SkipReason::Malformed { message };
    if blob.len() < 8 || &blob[..2] != b"GP" {
        return Err(malformed(
            "the geometry is not a GeoPackage geometry blob (no GP header)".to_string(),
        ));
    }
    let flags = blob[3];
    if flags & 0x20 != 0 {
        return Err(malformed(
            "the geometry is of an extension's own type, which is not read".to_string(),
        ));
    }
    let envelope_bytes = match (flags >> 1) & 0x7 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        other => return Err(malformed(format!("the geometry header names unknown envelope {other}"))),
    };
    if flags & 0x10 != 0 {
        return Err(SkipReason::EmptyGeometry {
            geometry_type: "empty geometry".to_string(),
        });
    }
    blob.get(8 + envelope_bytes..).ok_or_else(|| {
        malformed(format!(
            "the geometry blob ends inside its header ({} bytes)",
            blob.len()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometry_blob_headers() {
        let mut blob = b"GP\x00\x03".to_vec(); // little-endian, 32-byte envelope
        blob.extend(4326i32.to_le_bytes());
        blob.extend([0u8; 32]);
        blob.extend([1, 3, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(wkb_of(&blob).unwrap(), [1, 3, 0, 0, 0, 0, 0, 0, 0]);
        assert!(wkb_of(b"GP\x00\x03\0\0\0\0").is_err(), "envelope announced but missing");
        assert!(matches!(
            wkb_of(b"GP\x00\x11\0\0\0\0"),
            Err(SkipReason::EmptyGeometry { .. })
        ));
        assert!(wkb_of(b"XY\x00\x01\0\0\0\0").is_err());
        assert!(wkb_of(b"GP\x00\x0f\0\0\0\0").is_err(), "envelope code 7");
        assert!(wkb_of(b"GP").is_err());
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quoted("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn reading_connections_are_read_only_with_a_small_cache() {
        let dir = std::env::temp_dir().join(format!("mahalleh-gpkg-cache-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.gpkg");
        let _ = std::fs::remove_file(&path);
        Connection::open(&path)
            .unwrap()
            .execute("CREATE TABLE t (x)", [])
            .unwrap();
        let db = connect_reader(&path).unwrap();
        let pages: i64 = db.query_row("PRAGMA cache_size", [], |row| row.get(0)).unwrap();
        assert_eq!(pages, READ_CACHE_PAGES);
        assert!(db.execute("INSERT INTO t VALUES (1)", []).is_err(), "a reader wrote");
        drop(db);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
