//! District tables as CSV or TSV: one row a district, its shape in a WKT column (GDAL's `WKT`,
//! QGIS's `wkt_geom`, `geometry`, or any column whose values are WKT polygons; EWKT's `SRID=N;`
//! gives the coordinate system), every other column a property, numbers typed when a whole
//! column is numbers (Persian digits and «٫» too). A table of points (longitude and latitude
//! columns) is offices, not districts, and is refused with that said.

use std::path::Path;

use serde_json::{Map, Value};
use wkt::Wkt;

use super::csv_table::{CsvTable, read_csv_table};
use super::{SourceFeature, SourceLayer};
use crate::io::LoadError;
use crate::io::crs::crs_from_epsg;
use crate::io::object::Coordinates;
use crate::model::SkipReason;
use crate::text::numbers::{is_zero_padded, parse_number};

/// Names a WKT geometry column goes by.
const GEOMETRY_COLUMNS: &[&str] = &["WKT", "wkt_geom", "geometry", "geom", "the_geom", "shape", "هندسه"];

/// Names of longitude and latitude columns (and projected x, y), English and Persian.
pub const LON_COLUMNS: &[&str] = &["lon", "lng", "long", "longitude", "x", "طول", "طول جغرافیایی"];
/// See [`LON_COLUMNS`].
pub const LAT_COLUMNS: &[&str] = &["lat", "latitude", "y", "عرض", "عرض جغرافیایی"];

/// Reads a district table; `encoding` overrides the text encoding.
pub fn read_csv(path: &Path, encoding: Option<&'static encoding_rs::Encoding>) -> Result<SourceLayer, LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let tab = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv") || e.eq_ignore_ascii_case("tab"));
    csv_from_bytes(&bytes, path, encoding, tab)
}

/// [`read_csv`] on bytes already read; `path` is for messages.
pub fn csv_from_bytes(
    bytes: &[u8],
    path: &Path,
    encoding: Option<&'static encoding_rs::Encoding>,
    tab: bool,
) -> Result<SourceLayer, LoadError> {
    let unreadable = |message: String| LoadError::Unreadable {
        message,
        path: path.to_path_buf(),
    };
    let table = read_csv_table(bytes, encoding, tab).map_err(unreadable)?;
    let geometry_at = geometry_column(&table).ok_or_else(|| {
        unreadable(match (table.column(LON_COLUMNS), table.column(LAT_COLUMNS)) {
            (Some(_), Some(_)) => format!(
                "this table holds points (longitude and latitude columns), not areas: read it as offices (--offices); its columns are: {}",
                table.header_list()
            ),
            _ => format!(
                "the table has no geometry column: districts need a WKT column (WKT, wkt_geom, geometry) of polygons; its columns are: {}",
                table.header_list()
            ),
        })
    })?;
    let kinds: Vec<ColumnKind> = (0..table.headers.len())
        .map(|c| {
            if c == geometry_at {
                ColumnKind::Text
            } else {
                column_kind(&table, c)
            }
        })
        .collect();
    let mut srids = std::collections::BTreeSet::new();
    let features: Vec<SourceFeature> = table
        .rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let (text, srid) = split_ewkt(&row.fields[geometry_at]);
            srids.extend(srid);
            let (geometry_type, geometry) = polygons_of_wkt(text);
            let properties: Map<String, Value> = table
                .headers
                .iter()
                .zip(&row.fields)
                .zip(&kinds)
                .enumerate()
                .filter(|(c, _)| *c != geometry_at)
                .map(|(_, ((name, value), kind))| (name.clone(), kind.value(value)))
                .collect();
            SourceFeature {
                index,
                fid: None,
                line: row.line,
                geometry_type,
                geometry,
                properties,
                warnings: Vec::new(),
            }
        })
        .collect();
    let mut notes = Vec::new();
    if !table.long_rows.is_empty() {
        notes.push(format!(
            "{} row(s) have more fields than the header names (first on line {}); the extra fields are left out",
            table.long_rows.len(),
            table.long_rows[0]
        ));
    }
    let crs = match srids.len() {
        0 => None,
        1 => {
            let srid = srids.first().copied().unwrap_or(4326);
            Some(crs_from_epsg(srid).map_err(|e| unreadable(format!("the WKT says SRID={srid}: {e}")))?)
        }
        _ => {
            return Err(unreadable(format!(
                "the WKT names several coordinate systems (SRID {}); one table needs one",
                srids.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
            )));
        }
    };
    Ok(SourceLayer {
        format: if table.delimiter == b'\t' { "TSV" } else { "CSV" },
        features: features.into(),
        crs,
        encoding: Some(table.encoding),
        notes,
        bytes: bytes.len() as u64,
    })
}

/// The WKT column: by name, else the first whose first filled value is WKT.
fn geometry_column(table: &CsvTable) -> Option<usize> {
    table.column(GEOMETRY_COLUMNS).or_else(|| {
        let first = table
            .rows
            .iter()
            .find(|r| r.fields.iter().any(|f| !f.trim().is_empty()))?;
        first.fields.iter().position(|f| {
            let upper = split_ewkt(f).0.trim_start().to_ascii_uppercase();
            ["POLYGON", "MULTIPOLYGON", "GEOMETRYCOLLECTION"]
                .iter()
                .any(|k| upper.starts_with(k))
        })
    })
}

/// EWKT's `SRID=N;` prefix split off.
fn split_ewkt(text: &str) -> (&str, Option<u32>) {
    let trimmed = text.trim();
    let Some(rest) = trimmed.strip_prefix("SRID=").or_else(|| trimmed.strip_prefix("srid=")) else {
        return (trimmed, None);
    };
    match rest.split_once(';') {
        Some((code, wkt)) => (wkt, code.trim().parse().ok()),
        None => (trimmed, None),
    }
}

/// How a column's values become properties.
#[derive(Clone, Copy, Debug, PartialEq)]
enum ColumnKind {
    /// Kept as written.
    Text,
    /// Every filled value an integer (no leading zeros: codes like «0012» stay text).
    Integer,
    /// Every filled value a number.
    Number,
}

impl ColumnKind {
    fn value(self, text: &str) -> Value {
        let parsed = || parse_number(text);
        match self {
            _ if text.trim().is_empty() => Value::Null,
            Self::Integer => parsed().map_or_else(|| Value::String(text.into()), |n| Value::from(n as i64)),
            Self::Number => parsed()
                .and_then(serde_json::Number::from_f64)
                .map_or_else(|| Value::String(text.into()), Value::Number),
            Self::Text => Value::String(text.into()),
        }
    }
}

fn column_kind(table: &CsvTable, column: usize) -> ColumnKind {
    let mut kind = None;
    for row in &table.rows {
        let text = row.fields[column].trim();
        if text.is_empty() {
            continue;
        }
        let ascii = crate::text::match_key(text);
        let Some(n) = parse_number(text).filter(|_| !is_zero_padded(text)) else {
            return ColumnKind::Text;
        };
        let this = if n.fract() == 0.0 && n.abs() < 9e15 && !ascii.contains(['.', '٫', 'e']) {
            ColumnKind::Integer
        } else {
            ColumnKind::Number
        };
        kind = Some(match (kind, this) {
            (Some(ColumnKind::Number), _) | (_, ColumnKind::Number) => ColumnKind::Number,
            _ => ColumnKind::Integer,
        });
    }
    kind.unwrap_or(ColumnKind::Text)
}

/// The polygons of a WKT text in flat buffers, with the geometry type named for the report.
fn polygons_of_wkt(text: &str) -> (String, Result<Coordinates, SkipReason>) {
    if text.trim().is_empty() {
        return ("no geometry".into(), Err(SkipReason::MissingGeometry));
    }
    let wkt: Wkt<f64> = match text.parse() {
        Ok(w) => w,
        Err(e) => {
            let kind = text.split(['(', ' ']).next().unwrap_or_default().to_ascii_uppercase();
            return (
                kind,
                Err(SkipReason::Malformed {
                    message: format!("the WKT does not parse: {e}"),
                }),
            );
        }
    };
    let mut polygons = Vec::new();
    let kind = collect_polygons(&wkt, &mut polygons);
    let mut out = Coordinates {
        height: Some(3),
        ..Coordinates::default()
    };
    collect_lines_and_points(&wkt, &mut out);
    if polygons.is_empty() && out.is_empty() {
        let reason = match &wkt {
            Wkt::Polygon(_) | Wkt::MultiPolygon(_) | Wkt::GeometryCollection(_) => SkipReason::EmptyGeometry {
                geometry_type: kind.clone(),
            },
            _ => SkipReason::NotPolygon {
                geometry_type: kind.clone(),
            },
        };
        return (kind, Err(reason));
    }
    for polygon in polygons {
        for ring in polygon.rings() {
            out.positions.extend(ring.coords().iter().map(|c| [c.x, c.y]));
            out.ring_ends.push(out.positions.len());
        }
        out.polygon_ends.push(out.ring_ends.len());
    }
    (kind, Ok(out))
}

/// The lines and points in `wkt` (inside collections too), for reference layers.
fn collect_lines_and_points(wkt: &Wkt<f64>, out: &mut Coordinates) {
    let xy = |c: &wkt::types::Coord<f64>| [c.x, c.y];
    match wkt {
        Wkt::Point(p) => out.points.extend(p.coord().map(xy)),
        Wkt::MultiPoint(m) => out.points.extend(m.points().iter().filter_map(|p| p.coord().map(xy))),
        Wkt::LineString(l) => out.lines.push(l.coords().iter().map(xy).collect()),
        Wkt::MultiLineString(m) => out
            .lines
            .extend(m.line_strings().iter().map(|l| l.coords().iter().map(xy).collect())),
        Wkt::GeometryCollection(c) => {
            for g in c.geometries() {
                collect_lines_and_points(g, out);
            }
        }
        Wkt::Polygon(_) | Wkt::MultiPolygon(_) => {}
    }
    out.lines.retain(|l: &Vec<[f64; 2]>| l.len() >= 2);
}

/// The non-empty polygons in `wkt` (inside collections too); returns its type name.
fn collect_polygons<'a>(wkt: &'a Wkt<f64>, out: &mut Vec<&'a wkt::types::Polygon<f64>>) -> String {
    match wkt {
        Wkt::Polygon(p) => {
            if !p.rings().is_empty() {
                out.push(p);
            }
            "Polygon".into()
        }
        Wkt::MultiPolygon(m) => {
            out.extend(m.polygons().iter().filter(|p| !p.rings().is_empty()));
            "MultiPolygon".into()
        }
        Wkt::GeometryCollection(c) => {
            for g in c.geometries() {
                collect_polygons(g, out);
            }
            "GeometryCollection".into()
        }
        Wkt::Point(_) => "Point".into(),
        Wkt::LineString(_) => "LineString".into(),
        Wkt::MultiPoint(_) => "MultiPoint".into(),
        Wkt::MultiLineString(_) => "MultiLineString".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(text: &str) -> Result<SourceLayer, LoadError> {
        csv_from_bytes(text.as_bytes(), Path::new("t.csv"), None, false)
    }

    #[test]
    fn wkt_rows_become_features_with_typed_columns() {
        let text = "id,name,جمعیت,code,WKT\n\
            1,حسن‌آباد,۱۲٬۵۰۰,0012,\"POLYGON ((54 31,55 31,55 32,54 32,54 31),(54.2 31.2,54.4 31.2,54.4 31.4,54.2 31.2))\"\n\
            2,اسکان,3400,0013,\"MULTIPOLYGON (((54 31,55 31,55 32,54 31)),((56 31,57 31,57 32,56 31)))\"\n\
            3,نقطه,1,0014,POINT (54 31)\n\
            4,خراب,2,0015,POLYGON ((54 31,\n\
            5,خالی,,0016,\n";
        let l = layer(text).unwrap();
        assert_eq!(l.format, "CSV");
        assert!(l.crs.is_none());
        let f: Vec<_> = l.features.iter().collect();
        assert_eq!(f.len(), 5);
        let c = f[0].geometry.as_ref().unwrap();
        assert_eq!((c.ring_ends.len(), c.polygon_ends.as_slice()), (2, &[2][..]));
        assert_eq!(f[1].geometry.as_ref().unwrap().polygon_ends, [1, 2]);
        assert_eq!(
            f[2].geometry.as_ref().unwrap().points,
            [[54.0, 31.0]],
            "points are kept for reference layers"
        );
        assert!(matches!(f[3].geometry, Err(SkipReason::Malformed { .. })));
        assert!(matches!(f[4].geometry, Err(SkipReason::MissingGeometry)));
        assert_eq!((f[3].line, f[4].line), (5, 6));
        assert_eq!(f[0].properties["جمعیت"], 12_500);
        assert_eq!(f[4].properties["جمعیت"], Value::Null);
        assert_eq!(f[0].properties["code"], "0012", "codes keep their zeros");
        assert_eq!(f[0].properties["id"], 1);
        assert!(!f[0].properties.contains_key("WKT"));
    }

    #[test]
    fn ewkt_names_the_crs_and_points_tables_are_sent_to_offices() {
        let l = layer(
            "name,geom\na,\"SRID=32639;POLYGON ((500000 3900000,501000 3900000,501000 3901000,500000 3900000))\"\n",
        )
        .unwrap();
        assert!(l.crs.unwrap().to_string().contains("32639"));
        let e = layer("نام,طول جغرافیایی,عرض جغرافیایی\nدفتر,54.3,31.9\n").unwrap_err();
        assert!(e.to_string().contains("holds points"), "{e}");
        let e = layer("a,b\n1,2\n").unwrap_err();
        assert!(e.to_string().contains("its columns are: a, b"), "{e}");
    }

    #[test]
    fn numbers_with_persian_decimal_separators_are_numbers() {
        let l = layer("name,area,WKT\na,۱۲٫۵,\"POLYGON ((0 0,1 0,1 1,0 0))\"\nb,3,\"POLYGON ((0 0,1 0,1 1,0 0))\"\n")
            .unwrap();
        assert_eq!(l.features.iter().next().unwrap().properties["area"], 12.5);
        assert_eq!(l.features.iter().nth(1).unwrap().properties["area"], 3.0);
    }

    proptest::proptest! {
        /// A table cut anywhere or with any byte changed reads or fails; it never panics.
        #[test]
        fn damaged_csv_never_panics(cut in 0usize..300, at in 0usize..300, byte: u8) {
            let mut bytes = "name,WKT\nحسن,\"MULTIPOLYGON (((54 31,55 31,55 32,54 31)),((56 31,57 31,57 32,56 31)))\"\nb,\"POLYGON ((0 0,1 0,1 1,0 0),(0.1 0.1,0.2 0.1,0.2 0.2,0.1 0.1))\"\n".as_bytes().to_vec();
            if at < bytes.len() {
                bytes[at] = byte;
            }
            bytes.truncate(cut.min(bytes.len()));
            let _ = csv_from_bytes(&bytes, Path::new("damaged.csv"), None, false);
        }
    }
}
