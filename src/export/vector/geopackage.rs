//! Writing a GeoPackage (OGC 12-128r18): one feature table in its system with typed columns, its
//! geometries as GeoPackage blobs (header, envelope, little-endian WKB), registered in
//! `gpkg_contents` and `gpkg_geometry_columns`. Written to a temporary file and renamed over
//! the target, so a failed write leaves no half database.

use std::path::Path;

use rusqlite::{Connection, params_from_iter, types::Value as SqlValue};
use serde_json::Value;

use super::table::{ColumnKind, Shape, VectorTable, value_text};
use super::{OutputCrs, VectorWriteError, WriteReport};
use crate::io::read::geopackage::quoted;

/// EPSG:4326 as GeoPackage's `gpkg_spatial_ref_sys` defines it.
pub(crate) const WGS84_WKT: &str = r#"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]"#;

/// The tables every GeoPackage has, and the three systems it must define.
const SCHEMA: &str = r#"
PRAGMA application_id = 1196444487;
PRAGMA user_version = 10200;
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
INSERT INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
"#;

/// Column names SQLite accepts side by side (it compares them ignoring case), clear of the
/// `fid` and `geom` columns.
fn column_names(names: &[String]) -> Vec<String> {
    let mut taken: Vec<String> = vec!["fid".into(), "geom".into()];
    names
        .iter()
        .map(|name| {
            let mut candidate = if name.is_empty() {
                "field".to_string()
            } else {
                name.clone()
            };
            let mut n = 1;
            while taken.iter().any(|t| t.eq_ignore_ascii_case(&candidate)) {
                candidate = format!("{name}_{n}");
                n += 1;
            }
            taken.push(candidate.clone());
            candidate
        })
        .collect()
}

/// The GeoPackage blob of a shape in system `srs_id`, with its envelope, and that envelope.
fn blob(shape: &Shape, srs_id: i32) -> (Vec<u8>, [f64; 4]) {
    let mut wkb = Vec::new();
    let mut bbox = [f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY];
    let mut grow = |x: f64, y: f64| {
        bbox = [bbox[0].min(x), bbox[1].max(x), bbox[2].min(y), bbox[3].max(y)];
    };
    match shape {
        Shape::Point([x, y]) => {
            wkb.push(1);
            wkb.extend(1u32.to_le_bytes());
            wkb.extend(x.to_le_bytes());
            wkb.extend(y.to_le_bytes());
            grow(*x, *y);
        }
        Shape::Polygons(polygons) => {
            wkb.push(1);
            wkb.extend(6u32.to_le_bytes());
            wkb.extend((polygons.0.len() as u32).to_le_bytes());
            for p in polygons {
                wkb.push(1);
                wkb.extend(3u32.to_le_bytes());
                wkb.extend((1 + p.interiors().len() as u32).to_le_bytes());
                for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                    wkb.extend((ring.0.len() as u32).to_le_bytes());
                    for c in &ring.0 {
                        wkb.extend(c.x.to_le_bytes());
                        wkb.extend(c.y.to_le_bytes());
                        grow(c.x, c.y);
                    }
                }
            }
        }
    }
    let empty = !bbox[0].is_finite();
    // Flags: little-endian; an [minx, maxx, miny, maxy] envelope, or the empty flag.
    let flags: u8 = if empty { 0b0001_0001 } else { 0b0000_0011 };
    let mut out = Vec::with_capacity(8 + 32 + wkb.len());
    out.extend(b"GP\x00");
    out.push(flags);
    out.extend(srs_id.to_le_bytes());
    if !empty {
        for v in bbox {
            out.extend(v.to_le_bytes());
        }
    }
    out.extend(wkb);
    (out, bbox)
}

/// Writes `table` (already in `crs`) as the GeoPackage `path` (replacing it), one table named
/// `table.name`.
pub fn write_geopackage(table: &VectorTable, path: &Path, crs: &OutputCrs) -> Result<WriteReport, VectorWriteError> {
    let temp = crate::io::atomic_write::temporary_beside(path);
    let _ = std::fs::remove_file(&temp);
    let result = fill(table, &temp, path, crs).and_then(|report| {
        std::fs::rename(&temp, path).map_err(|source| VectorWriteError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(report)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

fn fill(table: &VectorTable, temp: &Path, path: &Path, crs: &OutputCrs) -> Result<WriteReport, VectorWriteError> {
    let failed = |e: rusqlite::Error| VectorWriteError::Database {
        message: e.to_string(),
        path: path.to_path_buf(),
    };
    let mut report = WriteReport::default();
    let mut db = Connection::open(temp).map_err(failed)?;
    db.execute_batch(SCHEMA).map_err(failed)?;
    db.execute(
        "INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?1, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')",
        [WGS84_WKT],
    )
    .map_err(failed)?;
    let srs_id = i32::try_from(crs.epsg).unwrap_or(-1);
    if !crs.is_wgs84() {
        db.execute(
            "INSERT INTO gpkg_spatial_ref_sys VALUES (?1, ?2, 'EPSG', ?2, ?3, NULL)",
            rusqlite::params![crs.name, srs_id, crs.wkt],
        )
        .map_err(failed)?;
    }

    let layer = if table.name.is_empty() {
        "layer"
    } else {
        table.name.as_str()
    };
    let columns = table.columns();
    let names = column_names(&columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>());
    for (column, name) in columns.iter().zip(&names) {
        if &column.name != name {
            report.renamed_fields.push((column.name.clone(), name.clone()));
        }
    }
    let points = matches!(table.shapes.first(), Some(Shape::Point(_)));
    let geometry_type = if points { "POINT" } else { "MULTIPOLYGON" };
    let declared: Vec<String> = columns
        .iter()
        .zip(&names)
        .map(|(c, name)| {
            let kind = match c.kind {
                ColumnKind::Boolean => "BOOLEAN",
                ColumnKind::Integer => "INTEGER",
                ColumnKind::Real => "REAL",
                ColumnKind::Text => "TEXT",
            };
            format!(", {} {kind}", quoted(name))
        })
        .collect();
    db.execute_batch(&format!(
        "CREATE TABLE {} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {geometry_type}{});",
        quoted(layer),
        declared.concat()
    ))
    .map_err(failed)?;

    let transaction = db.transaction().map_err(failed)?;
    let mut extent = [f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY];
    {
        let placeholders = "?, ".repeat(columns.len() + 1);
        let insert = format!(
            "INSERT INTO {} (geom{}) VALUES ({})",
            quoted(layer),
            names.iter().map(|n| format!(", {}", quoted(n))).collect::<String>(),
            placeholders.trim_end_matches(", ")
        );
        let mut statement = transaction.prepare(&insert).map_err(failed)?;
        for (shape, properties) in table.shapes.iter().zip(&table.properties) {
            let (geometry, bbox) = blob(shape, srs_id);
            if bbox[0].is_finite() {
                extent = [
                    extent[0].min(bbox[0]),
                    extent[1].max(bbox[1]),
                    extent[2].min(bbox[2]),
                    extent[3].max(bbox[3]),
                ];
            }
            let mut values = vec![SqlValue::Blob(geometry)];
            values.extend(columns.iter().map(|c| sql_value(properties.get(&c.name), c.kind)));
            statement.execute(params_from_iter(values)).map_err(failed)?;
        }
    }
    let bounds: [Option<f64>; 4] = if extent[0].is_finite() {
        [Some(extent[0]), Some(extent[2]), Some(extent[1]), Some(extent[3])]
    } else {
        [None; 4]
    };
    transaction
        .execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id) \
             VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![layer, bounds[0], bounds[1], bounds[2], bounds[3], srs_id],
        )
        .map_err(failed)?;
    transaction
        .execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, ?3, 0, 0)",
            rusqlite::params![layer, geometry_type, srs_id],
        )
        .map_err(failed)?;
    transaction.commit().map_err(failed)?;
    db.close().map_err(|(_, e)| failed(e))?;
    Ok(report)
}

/// A property as SQLite stores it in a column of `kind`.
fn sql_value(value: Option<&Value>, kind: ColumnKind) -> SqlValue {
    match (value, kind) {
        (None | Some(Value::Null), _) => SqlValue::Null,
        (Some(Value::Bool(b)), ColumnKind::Boolean) => SqlValue::Integer(i64::from(*b)),
        (Some(Value::Number(n)), ColumnKind::Integer) => n.as_i64().map_or(SqlValue::Null, SqlValue::Integer),
        (Some(Value::Number(n)), ColumnKind::Real) => n.as_f64().map_or(SqlValue::Null, SqlValue::Real),
        (Some(other), _) => value_text(other).map_or(SqlValue::Null, SqlValue::Text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_clear_of_each_other_and_of_fid_and_geom() {
        let names: Vec<String> = ["name", "NAME", "fid", "geom", ""]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(column_names(&names), ["name", "NAME_1", "fid_1", "geom_1", "field"]);
    }

    #[test]
    fn blobs_read_back_through_the_reader() {
        let ring = geo::LineString::from(vec![(54.0, 32.0), (54.1, 32.0), (54.1, 32.1), (54.0, 32.0)]);
        let square = geo::Polygon::new(ring, vec![]);
        let (bytes, bbox) = blob(&Shape::Polygons(geo::MultiPolygon::new(vec![square])), 4326);
        assert_eq!(bbox, [54.0, 54.1, 32.0, 32.1]);
        assert_eq!(&bytes[..4], b"GP\x00\x03");
        let (kind, polygons) = crate::io::read::wkb::polygons_from_wkb(&bytes[40..]);
        assert_eq!((kind.as_str(), polygons.unwrap()), ("MultiPolygon", 1));
    }
}
