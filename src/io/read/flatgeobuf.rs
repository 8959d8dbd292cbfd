//! FlatGeobuf (`.fgb`): the header's columns and coordinate system, each feature's polygons
//! from its flat coordinate arrays. The `flatgeobuf` crate reads and verifies the flatbuffers;
//! the property bytes are decoded here, with every length checked, so a damaged file is a
//! per-feature skip or one error and never a panic.

use std::io::{BufReader, Read};
use std::path::Path;

use flatgeobuf::{ColumnType, FallibleStreamingIterator, FgbReader, Geometry, GeometryType};
use serde_json::{Map, Value};

use super::{SourceFeature, SourceLayer};
use crate::io::LoadError;
use crate::io::crs::{crs_from_epsg, crs_from_wkt};
use crate::io::object::Coordinates;
use crate::model::SkipReason;

/// Reads a FlatGeobuf file.
pub fn read_flatgeobuf(path: &Path) -> Result<SourceLayer, LoadError> {
    let file = std::fs::File::open(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let bytes = file.metadata().map_or(0, |m| m.len());
    flatgeobuf_from_reader(BufReader::new(file), bytes, path)
}

/// [`read_flatgeobuf`] from any reader of `bytes` bytes; `path` is for messages.
pub fn flatgeobuf_from_reader(reader: impl Read, bytes: u64, path: &Path) -> Result<SourceLayer, LoadError> {
    let unreadable = |message: String| LoadError::Unreadable {
        message,
        path: path.to_path_buf(),
    };
    let reader = FgbReader::open(reader).map_err(|e| unreadable(format!("not a readable FlatGeobuf ({e})")))?;
    let header = reader.header();
    let layer_type = header.geometry_type();
    let columns: Vec<(String, ColumnType)> = header
        .columns()
        .map(|cs| cs.iter().map(|c| (c.name().to_string(), c.type_())).collect())
        .unwrap_or_default();
    let mut notes = Vec::new();
    let crs = match header.crs() {
        None => None,
        Some(crs) => {
            let (org, code, wkt) = (crs.org().unwrap_or("EPSG"), crs.code(), crs.wkt());
            let by_code = (code > 0 && org.eq_ignore_ascii_case("EPSG")).then(|| crs_from_epsg(code as u32));
            match (by_code, wkt) {
                (Some(Ok(def)), _) => Some(def),
                (_, Some(wkt)) if !wkt.trim().is_empty() => {
                    Some(crs_from_wkt(wkt).map_err(|e| unreadable(e.to_string()))?)
                }
                (Some(Err(e)), None) => return Err(unreadable(e.to_string())),
                _ => {
                    notes.push(format!(
                        "the header names coordinate system {org}:{code}, which is not used"
                    ));
                    None
                }
            }
        }
    };
    // The crate sizes the spatial index from these two header fields with unchecked arithmetic
    // and asserts; check them first so a damaged header is an error, not a panic.
    let (count, node_size) = (header.features_count(), header.index_node_size());
    if node_size > 0 && count > 0 {
        match index_bytes(count, node_size) {
            Some(size) if size <= bytes => {}
            _ => {
                return Err(unreadable(format!(
                    "the header claims {count} features indexed in nodes of {node_size}, more than the file's {bytes} bytes can hold"
                )));
            }
        }
    }
    let mut iter = reader
        .select_all_seq()
        .map_err(|e| unreadable(format!("cannot read the features ({e})")))?;
    let mut features = Vec::new();
    loop {
        let index = features.len();
        let feature = match iter.next() {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                notes.push(format!(
                    "the file ends in a damaged feature {index} ({e}); the {index} features before it are read"
                ));
                break;
            }
        };
        let fbs = feature.fbs_feature();
        let (geometry_type, geometry) = match fbs.geometry() {
            None => ("no geometry".to_string(), Err(SkipReason::MissingGeometry)),
            Some(g) => polygons_of(g, layer_type),
        };
        // Damaged attributes skip the feature: a district with a wrong population is worse than
        // one left out and named.
        let (properties, geometry) = match properties_of(fbs.properties().map_or(&[][..], |p| p.bytes()), &columns) {
            Ok(p) => (p, geometry),
            Err(message) => (
                Map::new(),
                Err(SkipReason::Malformed {
                    message: format!("the attributes are damaged: {message}"),
                }),
            ),
        };
        features.push(SourceFeature {
            index,
            fid: None,
            line: 0,
            geometry_type,
            geometry,
            properties,
            warnings: Vec::new(),
        });
    }
    Ok(SourceLayer {
        format: "FlatGeobuf",
        features: features.into(),
        crs,
        encoding: None,
        notes,
        bytes,
    })
}

/// Bytes of a packed Hilbert R-tree over `count` items in nodes of `node_size` (40 bytes a
/// node), or `None` when the sizes make no sense.
fn index_bytes(count: u64, node_size: u16) -> Option<u64> {
    if node_size < 2 {
        return None;
    }
    let (mut n, mut nodes) = (count, count);
    while n > 1 {
        n = n.div_ceil(u64::from(node_size));
        nodes = nodes.checked_add(n)?;
    }
    if count == 1 {
        nodes = nodes.checked_add(1)?;
    }
    nodes.checked_mul(40)
}

fn type_name(t: GeometryType) -> String {
    match t {
        GeometryType::Polygon => "Polygon".into(),
        GeometryType::MultiPolygon => "MultiPolygon".into(),
        GeometryType::Point => "Point".into(),
        GeometryType::LineString => "LineString".into(),
        GeometryType::MultiPoint => "MultiPoint".into(),
        GeometryType::MultiLineString => "MultiLineString".into(),
        GeometryType::GeometryCollection => "GeometryCollection".into(),
        other => format!("{other:?}"),
    }
}

/// The polygons of one feature's geometry in flat buffers.
fn polygons_of(g: Geometry<'_>, layer_type: GeometryType) -> (String, Result<Coordinates, SkipReason>) {
    let kind = if layer_type == GeometryType::Unknown {
        g.type_()
    } else {
        layer_type
    };
    let mut out = Coordinates {
        height: Some(3),
        ..Coordinates::default()
    };
    let result = add_geometry(g, kind, &mut out);
    let name = type_name(kind);
    let result = match result {
        Err(reason) => Err(reason),
        Ok(()) if out.is_empty() => match kind {
            GeometryType::Polygon | GeometryType::MultiPolygon | GeometryType::GeometryCollection => {
                Err(SkipReason::EmptyGeometry {
                    geometry_type: name.clone(),
                })
            }
            _ => Err(SkipReason::NotPolygon {
                geometry_type: name.clone(),
            }),
        },
        Ok(()) => Ok(out),
    };
    (name, result)
}

fn add_geometry(g: Geometry<'_>, kind: GeometryType, out: &mut Coordinates) -> Result<(), SkipReason> {
    match kind {
        GeometryType::Polygon => add_polygon(g, out),
        GeometryType::MultiPolygon | GeometryType::GeometryCollection => {
            for part in g.parts().into_iter().flatten() {
                let part_kind = if kind == GeometryType::MultiPolygon {
                    GeometryType::Polygon
                } else {
                    part.type_()
                };
                add_geometry(part, part_kind, out)?;
            }
            // A single-part MultiPolygon may be written without parts, as a polygon.
            if kind == GeometryType::MultiPolygon && g.parts().is_none() {
                add_polygon(g, out)?;
            }
            Ok(())
        }
        GeometryType::Point | GeometryType::MultiPoint => {
            out.points.extend(
                pairs_of(&g)?
                    .into_iter()
                    .filter(|p| p[0].is_finite() && p[1].is_finite()),
            );
            Ok(())
        }
        GeometryType::LineString | GeometryType::MultiLineString => {
            let pairs = pairs_of(&g)?;
            let ends: Vec<usize> = g
                .ends()
                .map(|e| e.iter().map(|v| v as usize).collect())
                .unwrap_or_else(|| vec![pairs.len()]);
            let mut start = 0;
            for end in ends {
                let line = pairs.get(start..end).ok_or_else(|| SkipReason::Malformed {
                    message: format!("a line ends at coordinate {end}, outside {start}..={}", pairs.len()),
                })?;
                if line.len() >= 2 {
                    out.lines.push(line.to_vec());
                }
                start = end;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A geometry's coordinates as x, y pairs.
fn pairs_of(g: &Geometry<'_>) -> Result<Vec<[f64; 2]>, SkipReason> {
    let Some(xy) = g.xy() else {
        return Ok(Vec::new());
    };
    if xy.len() % 2 != 0 {
        return Err(SkipReason::Malformed {
            message: format!("{} coordinate values is not a whole number of x, y pairs", xy.len()),
        });
    }
    Ok((0..xy.len() / 2).map(|i| [xy.get(2 * i), xy.get(2 * i + 1)]).collect())
}

fn add_polygon(g: Geometry<'_>, out: &mut Coordinates) -> Result<(), SkipReason> {
    let Some(xy) = g.xy() else {
        return Ok(());
    };
    if xy.len() % 2 != 0 {
        return Err(SkipReason::Malformed {
            message: format!("{} coordinate values is not a whole number of x, y pairs", xy.len()),
        });
    }
    let start = out.positions.len();
    let pairs = xy.len() / 2;
    out.positions
        .extend((0..pairs).map(|i| [xy.get(2 * i), xy.get(2 * i + 1)]));
    let ends: Vec<usize> = g
        .ends()
        .map(|e| e.iter().map(|v| v as usize).collect())
        .unwrap_or_default();
    if ends.is_empty() {
        out.ring_ends.push(start + pairs);
    } else {
        let mut previous = 0;
        for end in ends {
            if end <= previous || end > pairs {
                return Err(SkipReason::Malformed {
                    message: format!(
                        "a ring ends at coordinate {end}, outside 1..={pairs} or before the ring before it"
                    ),
                });
            }
            out.ring_ends.push(start + end);
            previous = end;
        }
    }
    out.polygon_ends.push(out.ring_ends.len());
    Ok(())
}

/// The property bytes of a feature: repeated (column index u16, value), values little-endian,
/// strings, JSON, dates and binaries with a u32 length first.
fn properties_of(bytes: &[u8], columns: &[(String, ColumnType)]) -> Result<Map<String, Value>, String> {
    let mut map = Map::with_capacity(columns.len());
    let mut at = 0usize;
    let take = |at: &mut usize, n: usize| -> Result<&[u8], String> {
        let slice = bytes
            .get(*at..at.saturating_add(n))
            .ok_or_else(|| format!("the properties end inside a value (byte {at} of {})", bytes.len()))?;
        *at += n;
        Ok(slice)
    };
    fn array<const N: usize>(s: &[u8]) -> [u8; N] {
        let mut a = [0u8; N];
        a.copy_from_slice(&s[..N]);
        a
    }
    // A trailing byte is tolerated, as the reference reader tolerates it.
    while at + 1 < bytes.len() {
        let column = u16::from_le_bytes(array(take(&mut at, 2)?)) as usize;
        let (name, kind) = columns
            .get(column)
            .ok_or_else(|| format!("a value is for column {column}; the header has {}", columns.len()))?;
        let value = match *kind {
            ColumnType::Bool => Value::Bool(take(&mut at, 1)?[0] != 0),
            ColumnType::Byte => Value::from(take(&mut at, 1)?[0] as i8),
            ColumnType::UByte => Value::from(take(&mut at, 1)?[0]),
            ColumnType::Short => Value::from(i16::from_le_bytes(array(take(&mut at, 2)?))),
            ColumnType::UShort => Value::from(u16::from_le_bytes(array(take(&mut at, 2)?))),
            ColumnType::Int => Value::from(i32::from_le_bytes(array(take(&mut at, 4)?))),
            ColumnType::UInt => Value::from(u32::from_le_bytes(array(take(&mut at, 4)?))),
            ColumnType::Long => Value::from(i64::from_le_bytes(array(take(&mut at, 8)?))),
            ColumnType::ULong => Value::from(u64::from_le_bytes(array(take(&mut at, 8)?))),
            ColumnType::Float => number(f32::from_le_bytes(array(take(&mut at, 4)?)) as f64),
            ColumnType::Double => number(f64::from_le_bytes(array(take(&mut at, 8)?))),
            ColumnType::String | ColumnType::Json | ColumnType::DateTime | ColumnType::Binary => {
                let len = u32::from_le_bytes(array(take(&mut at, 4)?)) as usize;
                let raw = take(&mut at, len)?;
                match *kind {
                    ColumnType::Binary => Value::String(format!("({len} bytes)")),
                    ColumnType::Json => serde_json::from_slice(raw)
                        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(raw).into_owned())),
                    _ => Value::String(String::from_utf8_lossy(raw).into_owned()),
                }
            }
            other => {
                return Err(format!(
                    "column {name} has a type this reader does not know ({other:?})"
                ));
            }
        };
        map.insert(name.clone(), value);
    }
    Ok(map)
}

fn number(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FGB: &[u8] = include_bytes!("../../../tests/fixtures/small.fgb");

    #[test]
    fn properties_are_typed_and_bad_lengths_are_errors() {
        let layer = flatgeobuf_from_reader(FGB, FGB.len() as u64, Path::new("small.fgb")).unwrap();
        let hassanabad = layer
            .features
            .iter()
            .find(|f| f.properties["name"] == "حسن‌آباد")
            .unwrap();
        assert_eq!(hassanabad.properties["population"], 12500);
        assert_eq!(hassanabad.properties["share"], 0.25);
        assert_eq!(hassanabad.properties["code"], "0012");
        let rings = &hassanabad.geometry.as_ref().unwrap().ring_ends;
        assert_eq!(rings.len(), 2, "outer ring and hole");

        let columns = [("name".to_string(), ColumnType::String)];
        let cut = [0u8, 0, 10, 0, 0, 0, b'a'];
        assert!(
            properties_of(&cut, &columns)
                .unwrap_err()
                .contains("end inside a value")
        );
        let wrong_column = [3u8, 0, 1, 0, 0, 0, b'a'];
        assert!(properties_of(&wrong_column, &columns).unwrap_err().contains("column 3"));
    }

    proptest::proptest! {
        /// A FlatGeobuf cut anywhere or with any byte changed reads or fails; it never panics.
        #[test]
        fn damaged_flatgeobuf_never_panics(cut in 0usize..1700, at in 0usize..1700, byte: u8) {
            let mut bytes = FGB.to_vec();
            if at < bytes.len() {
                bytes[at] = byte;
            }
            bytes.truncate(cut.min(bytes.len()));
            let _ = flatgeobuf_from_reader(bytes.as_slice(), bytes.len() as u64, Path::new("damaged.fgb"));
        }
    }
}
