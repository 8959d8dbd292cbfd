//! Writing a Shapefile: `.shp` and `.shx` (polygons with exteriors clockwise, as the format
//! wants, or points), `.dbf` in UTF-8 with typed fields, `.cpg` saying so and the `.prj`.
//! dBASE field names hold 10 bytes: longer names are cut, kept unique, and the mapping is
//! returned so the caller can report it.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::table::{ColumnKind, Shape, VectorTable, value_text};
use super::{OutputCrs, VectorWriteError, WriteReport};
use crate::io::write_atomically;

/// The `.prj` of WGS 84 longitude/latitude, in the Esri form ArcGIS and QGIS both read.
const WGS84_PRJ: &str = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;

/// The longest a `.shp` or `.dbf` may be: offsets are signed 32-bit counts of 16-bit words in
/// the `.shx`, and readers take 2 GiB as the limit.
const MAX_FILE_BYTES: usize = i32::MAX as usize;

/// dBASE text fields hold at most this many bytes.
const MAX_TEXT_BYTES: usize = 254;

/// Writes `table` (already in `crs`) as the Shapefile `path` (`.shp`) and its `.shx`, `.dbf`,
/// `.cpg` and `.prj`. Every row must have the same kind of shape (all polygons or all points).
pub fn write_shapefile(table: &VectorTable, path: &Path, crs: &OutputCrs) -> Result<WriteReport, VectorWriteError> {
    let mut report = WriteReport::default();
    let points = match table.shapes.first() {
        Some(Shape::Point(_)) => true,
        Some(Shape::Polygons(_)) | None => false,
    };
    if table.shapes.iter().any(|s| matches!(s, Shape::Point(_)) != points) {
        return Err(VectorWriteError::MixedShapes {
            path: path.to_path_buf(),
        });
    }
    let (shp, shx) = shp_and_shx(&table.shapes, points);
    let dbf = dbf(table, &mut report).ok_or_else(|| VectorWriteError::TooManyFields {
        fields: table.columns().len(),
        path: path.to_path_buf(),
    })?;
    for (bytes, ext) in [(&shp, "shp"), (&dbf, "dbf")] {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(VectorWriteError::TooLarge {
                part: ext,
                bytes: bytes.len() as u64,
                path: path.to_path_buf(),
            });
        }
    }
    let with = |ext: &str| -> PathBuf { path.with_extension(ext) };
    let prj = if crs.is_wgs84() { WGS84_PRJ } else { crs.wkt.as_str() };
    for (bytes, ext) in [
        (shp.as_slice(), "shp"),
        (shx.as_slice(), "shx"),
        (dbf.as_slice(), "dbf"),
        (b"UTF-8".as_slice(), "cpg"),
        (prj.as_bytes(), "prj"),
    ] {
        let target = with(ext);
        write_atomically(&target, bytes).map_err(|source| VectorWriteError::Io { path: target, source })?;
    }
    Ok(report)
}

/// The `.shp` and `.shx` bytes.
fn shp_and_shx(shapes: &[Shape], points: bool) -> (Vec<u8>, Vec<u8>) {
    let shape_type: i32 = if points { 1 } else { 5 };
    let mut shp = vec![0u8; 100];
    let mut shx = vec![0u8; 100];
    let mut bbox = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
    for (i, shape) in shapes.iter().enumerate() {
        let mut content = Vec::new();
        content.extend(shape_type.to_le_bytes());
        match shape {
            Shape::Point([x, y]) => {
                content.extend(x.to_le_bytes());
                content.extend(y.to_le_bytes());
                bbox = [bbox[0].min(*x), bbox[1].min(*y), bbox[2].max(*x), bbox[3].max(*y)];
            }
            Shape::Polygons(polygons) => {
                // Exteriors clockwise and holes counter-clockwise: the reverse of RFC 7946.
                let rings: Vec<Vec<[f64; 2]>> = polygons
                    .iter()
                    .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                    .map(|r| r.0.iter().rev().map(|c| [c.x, c.y]).collect())
                    .collect();
                let mut b = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
                for p in rings.iter().flatten() {
                    b = [b[0].min(p[0]), b[1].min(p[1]), b[2].max(p[0]), b[3].max(p[1])];
                }
                for v in b {
                    content.extend(v.to_le_bytes());
                }
                let total: usize = rings.iter().map(Vec::len).sum();
                content.extend((rings.len() as i32).to_le_bytes());
                content.extend((total as i32).to_le_bytes());
                let mut start = 0i32;
                for ring in &rings {
                    content.extend(start.to_le_bytes());
                    start += ring.len() as i32;
                }
                for p in rings.iter().flatten() {
                    content.extend(p[0].to_le_bytes());
                    content.extend(p[1].to_le_bytes());
                }
                if total > 0 {
                    bbox = [
                        bbox[0].min(b[0]),
                        bbox[1].min(b[1]),
                        bbox[2].max(b[2]),
                        bbox[3].max(b[3]),
                    ];
                }
            }
        }
        shx.extend(((shp.len() / 2) as i32).to_be_bytes());
        shx.extend(((content.len() / 2) as i32).to_be_bytes());
        shp.extend(((i + 1) as i32).to_be_bytes());
        shp.extend(((content.len() / 2) as i32).to_be_bytes());
        shp.extend(content);
    }
    if !bbox[0].is_finite() {
        bbox = [0.0; 4];
    }
    for (file, _) in [(&mut shp, ()), (&mut shx, ())] {
        let words = (file.len() / 2) as i32;
        file[0..4].copy_from_slice(&9994i32.to_be_bytes());
        file[24..28].copy_from_slice(&words.to_be_bytes());
        file[28..32].copy_from_slice(&1000i32.to_le_bytes());
        file[32..36].copy_from_slice(&shape_type.to_le_bytes());
        for (k, v) in bbox.iter().enumerate() {
            file[36 + 8 * k..44 + 8 * k].copy_from_slice(&v.to_le_bytes());
        }
    }
    (shp, shx)
}

/// A dBASE field as written.
struct Field {
    /// The property it holds.
    property: String,
    /// The kind of values.
    kind: ColumnKind,
    /// dBASE type letter.
    letter: u8,
    /// Width in bytes.
    width: usize,
    /// Decimal places (numbers).
    decimals: usize,
}

/// Names of at most 10 bytes, cut at a character boundary and made unique ignoring case
/// (`population_density` → `population`, then `populati_1`).
pub fn dbf_field_names(names: &[String]) -> Vec<String> {
    let cut = |name: &str, bytes: usize| -> String {
        let mut end = bytes.min(name.len());
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name[..end].to_string()
    };
    let mut taken: Vec<String> = Vec::new();
    names
        .iter()
        .map(|name| {
            let clean: String = name.chars().map(|c| if c == '\0' { '_' } else { c }).collect();
            let mut candidate = cut(&clean, 10);
            let mut n = 1;
            while candidate.is_empty() || taken.iter().any(|t| t.eq_ignore_ascii_case(&candidate)) {
                let suffix = format!("_{n}");
                candidate = format!("{}{suffix}", cut(&clean, 10 - suffix.len()));
                n += 1;
            }
            taken.push(candidate.clone());
            candidate
        })
        .collect()
}

/// Decimal places a real column needs for its values to come back the same (at most 15).
fn decimals_needed(values: impl Iterator<Item = f64>) -> (usize, usize) {
    let (mut int_width, mut decimals) = (1usize, 0usize);
    for v in values {
        let text = format!("{v}");
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        int_width = int_width.max(whole.len());
        decimals = decimals.max(fraction.len().min(15));
    }
    (int_width, decimals)
}

/// The `.dbf` bytes; `None` when the fields do not fit dBASE's 16-bit header and record sizes.
fn dbf(table: &VectorTable, report: &mut WriteReport) -> Option<Vec<u8>> {
    let columns = table.columns();
    let names = dbf_field_names(&columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>());
    for (column, name) in columns.iter().zip(&names) {
        if &column.name != name {
            report.renamed_fields.push((column.name.clone(), name.clone()));
        }
    }
    fn values_of<'a>(table: &'a VectorTable, property: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
        table.properties.iter().filter_map(move |p| p.get(property))
    }
    let mut fields: Vec<Field> = columns
        .iter()
        .map(|c| {
            let (letter, width, decimals) = match c.kind {
                ColumnKind::Boolean => (b'L', 1, 0),
                ColumnKind::Integer => {
                    let width = values_of(table, &c.name)
                        .filter_map(Value::as_i64)
                        .map(|v| v.to_string().len())
                        .max()
                        .unwrap_or(1);
                    (b'N', width.max(1), 0)
                }
                ColumnKind::Real => {
                    let (int_width, decimals) = decimals_needed(values_of(table, &c.name).filter_map(Value::as_f64));
                    if int_width > 20 {
                        (b'C', 0, 0)
                    } else {
                        let decimals = decimals.min(24 - int_width - 1);
                        let width = int_width + if decimals > 0 { decimals + 1 } else { 0 };
                        (b'N', width, decimals)
                    }
                }
                ColumnKind::Text => (b'C', 0, 0),
            };
            Field {
                property: c.name.clone(),
                kind: c.kind,
                letter,
                width,
                decimals,
            }
        })
        .collect();
    for field in fields.iter_mut().filter(|f| f.letter == b'C') {
        let longest = values_of(table, &field.property)
            .filter_map(value_text)
            .map(|t| t.len())
            .max()
            .unwrap_or(1);
        if longest > MAX_TEXT_BYTES {
            let cut = values_of(table, &field.property)
                .filter_map(value_text)
                .filter(|t| t.len() > MAX_TEXT_BYTES)
                .count();
            report.notes.push(format!(
                "{cut} value(s) of {} were longer than dBASE's {MAX_TEXT_BYTES} bytes and were cut",
                field.property
            ));
        }
        field.width = longest.clamp(1, MAX_TEXT_BYTES);
        field.kind = ColumnKind::Text;
    }
    let record_len = 1 + fields.iter().map(|f| f.width).sum::<usize>();
    let header_len = 32 + 32 * fields.len() + 1;
    if record_len > usize::from(u16::MAX) || header_len > usize::from(u16::MAX) {
        return None;
    }
    let mut out = Vec::with_capacity(header_len + record_len * table.properties.len() + 1);
    out.push(0x03);
    out.extend([126u8, 1, 1]); // 2026-01-01: a fixed date keeps exports byte-identical
    out.extend((table.properties.len() as u32).to_le_bytes());
    out.extend((header_len as u16).to_le_bytes());
    out.extend((record_len as u16).to_le_bytes());
    out.extend([0u8; 20]);
    for (field, name) in fields.iter().zip(&names) {
        let mut descriptor = [0u8; 32];
        descriptor[..name.len()].copy_from_slice(name.as_bytes());
        descriptor[11] = field.letter;
        descriptor[16] = field.width as u8;
        descriptor[17] = field.decimals as u8;
        out.extend(descriptor);
    }
    out.push(0x0D);
    for row in &table.properties {
        out.push(b' ');
        for field in &fields {
            let value = row.get(&field.property).unwrap_or(&Value::Null);
            let text = match (field.letter, value) {
                (_, Value::Null) => String::new(),
                (b'L', Value::Bool(b)) => if *b { "T" } else { "F" }.to_string(),
                (b'N', Value::Number(n)) if field.decimals == 0 => n
                    .as_i64()
                    .map_or_else(|| format!("{:.0}", n.as_f64().unwrap_or(0.0)), |v| v.to_string()),
                (b'N', Value::Number(n)) => format!("{:.*}", field.decimals, n.as_f64().unwrap_or(0.0)),
                (_, other) => value_text(other).unwrap_or_default(),
            };
            let mut bytes = text.into_bytes();
            if bytes.len() > field.width {
                let mut end = field.width;
                while end > 0 && (bytes[end] & 0xC0) == 0x80 {
                    end -= 1;
                }
                bytes.truncate(end);
            }
            let pad = field.width - bytes.len();
            if field.letter == b'N' {
                out.extend(std::iter::repeat_n(b' ', pad));
                out.extend(bytes);
            } else {
                out.extend(bytes);
                out.extend(std::iter::repeat_n(b' ', pad));
            }
        }
    }
    out.push(0x1A);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_cut_and_kept_unique() {
        let names: Vec<String> = [
            "population_density",
            "population_2016",
            "NAME",
            "name",
            "نام_محله_فارسی",
            "",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let cut = dbf_field_names(&names);
        assert_eq!(cut[0], "population");
        assert_eq!(cut[1], "populati_1");
        assert_eq!(cut[2], "NAME");
        assert_eq!(cut[3], "name_1");
        assert!(
            cut[4].len() <= 10 && "نام_محله_فارسی".starts_with(&cut[4]),
            "{}",
            cut[4]
        );
        assert_eq!(cut[5], "_1");
        assert!(cut.iter().all(|n| n.len() <= 10));
    }

    #[test]
    fn decimals_are_what_the_values_need() {
        assert_eq!(decimals_needed([1.5, 120.25].into_iter()), (3, 2));
        assert_eq!(decimals_needed([0.1 + 0.2].into_iter()).1, 15);
    }
}
