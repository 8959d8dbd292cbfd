//! KML from Google Earth (and KMZ, a zip holding one): each Placemark with a Polygon or a
//! MultiGeometry of polygons is a district; its `name`, `description` and ExtendedData (`Data`
//! values and `SchemaData` fields, typed as the `Schema` declares) and the name of its folder are
//! its properties. KML is WGS 84 longitude/latitude. A
//! placemark that is not an area is skipped with its number.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use roxmltree::{Document, Node, ParsingOptions};
use serde_json::{Map, Value};

use super::{SourceFeature, SourceLayer};
use crate::io::LoadError;
use crate::io::crs::wgs84;
use crate::io::object::Coordinates;
use crate::model::SkipReason;

/// Reads a `.kml`, or the first `.kml` inside a `.kmz`: every placemark, or with `folder` only
/// those whose nearest folder has that name (GDAL reads each folder as a layer).
pub fn read_kml(path: &Path, folder: Option<&str>) -> Result<SourceLayer, LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    kml_from_bytes(&bytes, path, folder)
}

/// [`read_kml`] on bytes already read; `path` is for messages.
pub fn kml_from_bytes(bytes: &[u8], path: &Path, folder: Option<&str>) -> Result<SourceLayer, LoadError> {
    let unreadable = |message: String| LoadError::Unreadable {
        message,
        path: path.to_path_buf(),
    };
    let is_kmz = bytes.starts_with(b"PK");
    let text = if is_kmz {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|e| unreadable(format!("not a readable KMZ ({e})")))?;
        let name = archive
            .file_names()
            .filter_map(|n| n.ok())
            .find(|n| n.to_ascii_lowercase().ends_with(".kml"))
            .map(|n| n.into_owned())
            .ok_or_else(|| unreadable("the KMZ holds no .kml".into()))?;
        let mut text = String::new();
        archive
            .by_name(&name)
            .and_then(|mut f| f.read_to_string(&mut text).map_err(Into::into))
            .map_err(|e| unreadable(format!("cannot unpack {name} ({e})")))?;
        text
    } else {
        String::from_utf8(bytes.to_vec()).map_err(|e| {
            unreadable(format!(
                "KML is UTF-8 text; byte {} is not",
                e.utf8_error().valid_up_to()
            ))
        })?
    };
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text.trim_start_matches('\u{feff}'), options)
        .map_err(|e| unreadable(format!("not valid KML (XML error: {e})")))?;
    if doc.root_element().tag_name().name() != "kml" {
        return Err(unreadable(format!(
            "not KML: the document is <{}>",
            doc.root_element().tag_name().name()
        )));
    }
    let types = schema_types(&doc);
    let placemarks = doc
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "Placemark");
    let features: Vec<SourceFeature> = placemarks
        .enumerate()
        .filter(|(_, placemark)| folder.is_none_or(|wanted| folder_name(*placemark).as_deref() == Some(wanted)))
        .map(|(index, placemark)| {
            let line = doc.text_pos_at(placemark.range().start).row as usize;
            placemark_feature(index, line, placemark, &types)
        })
        .collect();
    if let (Some(wanted), true) = (folder, features.is_empty()) {
        let mut names: Vec<String> = doc
            .descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == "Folder")
            .filter_map(|f| child(f, "name").map(text_of))
            .collect();
        names.dedup();
        return Err(LoadError::NoSuchLayer {
            layer: wanted.to_string(),
            layers: names,
            path: path.to_path_buf(),
        });
    }
    Ok(SourceLayer {
        format: if is_kmz { "KMZ" } else { "KML" },
        features: features.into(),
        crs: Some(wgs84()),
        encoding: None,
        notes: Vec::new(),
        bytes: bytes.len() as u64,
    })
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| c.is_element() && c.tag_name().name() == name)
}

fn text_of(node: Node<'_, '_>) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<String>()
        .trim()
        .to_string()
}

/// The name of the folder nearest around `placemark`.
fn folder_name(placemark: Node<'_, '_>) -> Option<String> {
    placemark
        .ancestors()
        .skip(1)
        .find(|n| n.is_element() && n.tag_name().name() == "Folder")
        .and_then(|f| child(f, "name"))
        .map(text_of)
}

/// The declared type of each `SimpleField` by field name, over every `Schema` in the document
/// (GDAL and Google Earth write one per layer; a name declared twice keeps the first type).
fn schema_types(doc: &Document<'_>) -> HashMap<String, String> {
    let mut types = HashMap::new();
    for field in doc
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "SimpleField")
    {
        if let (Some(name), Some(kind)) = (field.attribute("name"), field.attribute("type")) {
            types
                .entry(name.to_string())
                .or_insert_with(|| kind.to_ascii_lowercase());
        }
    }
    types
}

/// `text` as the JSON value its declared type calls for; text that does not parse stays text.
fn typed_value(text: String, kind: Option<&String>) -> Value {
    let trimmed = text.trim();
    match kind.map(String::as_str) {
        Some("int" | "uint" | "short" | "ushort") => {
            trimmed.parse::<i64>().map(Value::from).unwrap_or(Value::String(text))
        }
        Some("float" | "double") => match trimmed.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
            Some(n) => Value::Number(n),
            None => Value::String(text),
        },
        Some("bool") => match trimmed {
            "1" | "true" => Value::Bool(true),
            "0" | "false" => Value::Bool(false),
            _ => Value::String(text),
        },
        _ => Value::String(text),
    }
}

/// One placemark: its properties and polygons (or why it has none).
fn placemark_feature(
    index: usize,
    line: usize,
    placemark: Node<'_, '_>,
    types: &HashMap<String, String>,
) -> SourceFeature {
    let mut properties = Map::new();
    for key in ["name", "description"] {
        if let Some(n) = child(placemark, key) {
            properties.insert(key.to_string(), Value::String(text_of(n)));
        }
    }
    // Google Earth users sort placemarks into folders (by city, by survey); keep the nearest.
    if let Some(folder) = folder_name(placemark) {
        properties.insert("folder".into(), Value::String(folder));
    }
    if let Some(extended) = child(placemark, "ExtendedData") {
        for d in extended.descendants().filter(|n| n.is_element()) {
            match d.tag_name().name() {
                "Data" => {
                    if let (Some(name), Some(value)) = (d.attribute("name"), child(d, "value")) {
                        properties.insert(name.to_string(), Value::String(text_of(value)));
                    }
                }
                "SimpleData" => {
                    if let Some(name) = d.attribute("name") {
                        properties.insert(name.to_string(), typed_value(text_of(d), types.get(name)));
                    }
                }
                _ => {}
            }
        }
    }
    let polygons: Vec<Node> = placemark
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "Polygon")
        .collect();
    let other = placemark
        .descendants()
        .find(|n| n.is_element() && matches!(n.tag_name().name(), "Point" | "LineString" | "LinearRing" | "Model"));
    let (geometry_type, geometry) = if polygons.is_empty() {
        let kind = other.map_or("placemark without geometry", |n| n.tag_name().name());
        let geometry = match other {
            Some(_) => lines_and_points_of(placemark).and_then(|c| {
                if c.is_empty() {
                    Err(SkipReason::NotPolygon {
                        geometry_type: kind.to_string(),
                    })
                } else {
                    Ok(c)
                }
            }),
            None => Err(SkipReason::MissingGeometry),
        };
        (kind.to_string(), geometry)
    } else {
        let kind = if polygons.len() > 1 { "MultiPolygon" } else { "Polygon" };
        (kind.to_string(), polygons_of(&polygons))
    };
    SourceFeature {
        index,
        fid: None,
        line,
        geometry_type,
        geometry,
        properties,
        warnings: Vec::new(),
    }
}

/// The points and lines of a placemark without polygons, for reference layers.
fn lines_and_points_of(placemark: Node<'_, '_>) -> Result<Coordinates, SkipReason> {
    let mut out = Coordinates::default();
    for node in placemark.descendants().filter(Node::is_element) {
        let kind = node.tag_name().name();
        if !matches!(kind, "Point" | "LineString" | "LinearRing") {
            continue;
        }
        let Some(coordinates) = child(node, "coordinates") else {
            continue;
        };
        let positions = tuples_of(&text_of(coordinates))?;
        if kind == "Point" {
            out.points.extend(positions.first());
        } else if positions.len() >= 2 {
            out.lines.push(positions);
        }
    }
    Ok(out)
}

/// The `lon,lat[,alt]` tuples of a `coordinates` element.
fn tuples_of(text: &str) -> Result<Vec<[f64; 2]>, SkipReason> {
    text.split_whitespace()
        .map(|tuple| {
            let mut parts = tuple.split(',');
            let number = |p: Option<&str>| p.and_then(|t| t.trim().parse::<f64>().ok());
            match (number(parts.next()), number(parts.next())) {
                (Some(lon), Some(lat)) => Ok([lon, lat]),
                _ => Err(SkipReason::Malformed {
                    message: format!("a coordinate «{tuple}» is not lon,lat"),
                }),
            }
        })
        .collect()
}

/// Flat coordinates of KML polygons: each the outer boundary, then the inner ones.
fn polygons_of(polygons: &[Node<'_, '_>]) -> Result<Coordinates, SkipReason> {
    let mut out = Coordinates {
        height: Some(3),
        ..Coordinates::default()
    };
    for polygon in polygons {
        let rings = ["outerBoundaryIs", "innerBoundaryIs"].into_iter().flat_map(|boundary| {
            polygon
                .children()
                .filter(move |c| c.is_element() && c.tag_name().name() == boundary)
                .filter_map(|b| child(b, "LinearRing"))
                .filter_map(|r| child(r, "coordinates"))
        });
        let mut any = false;
        for coordinates in rings {
            out.positions.extend(tuples_of(&text_of(coordinates))?);
            out.ring_ends.push(out.positions.len());
            any = true;
        }
        if any {
            out.polygon_ends.push(out.ring_ends.len());
        }
    }
    if out.polygon_ends.is_empty() {
        return Err(SkipReason::EmptyGeometry {
            geometry_type: "Polygon".into(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KML: &str = include_str!("../../../tests/fixtures/google-earth.kml");

    proptest::proptest! {
        /// A KML cut anywhere or with any byte changed reads or fails; it never panics.
        #[test]
        fn damaged_kml_never_panics(cut in 0usize..3000, at in 0usize..3000, byte: u8) {
            let mut bytes = KML.as_bytes().to_vec();
            if at < bytes.len() {
                bytes[at] = byte;
            }
            bytes.truncate(cut.min(bytes.len()));
            let _ = kml_from_bytes(&bytes, Path::new("damaged.kml"), None);
        }
    }
}
