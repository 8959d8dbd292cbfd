//! Offices as GeoJSON points (RFC 7946): written with every attribute, read back from this
//! format or from any point layer with a name.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use geojson::{Feature, FeatureCollection, GeoJson, Geometry, GeometryValue, JsonObject};
use serde_json::{Value, json};

use crate::model::{Office, OfficeId, OfficeStatus, Service};

/// Why an offices file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum OfficesError {
    /// The operating system could not read the file.
    #[error("cannot read the offices file ({source}): {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// Not GeoJSON.
    #[error("the offices file is not GeoJSON ({message}): {}", path.display())]
    NotGeoJson {
        /// The parser's message.
        message: String,
        /// The file.
        path: PathBuf,
    },
    /// A table that cannot be read as offices.
    #[error("the offices table cannot be read: {message}: {}", path.display())]
    Table {
        /// What is wrong.
        message: String,
        /// The file.
        path: PathBuf,
    },
    /// A row of an offices table that is not an office.
    #[error("line {line} of the offices file: {message}: {}", path.display())]
    BadRow {
        /// The 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
        /// The file.
        path: PathBuf,
    },
    /// A feature that is not a point with a valid longitude/latitude.
    #[error("feature {index} of the offices file is not a longitude/latitude point: {}", path.display())]
    NotAPoint {
        /// Feature index, 0-based.
        index: usize,
        /// The file.
        path: PathBuf,
    },
}

/// The offices as a GeoJSON FeatureCollection of points with all attributes.
///
/// ```
/// use mahalleh::model::{Office, OfficeId};
/// let text = mahalleh::io::offices_to_geojson(&[Office::proposed(OfficeId(3), "اسکان", [54.43, 31.94])]);
/// let back = mahalleh::io::offices_from_geojson(&text, "x.geojson".as_ref()).unwrap();
/// assert_eq!(back[0].name, "اسکان");
/// assert_eq!(back[0].id, OfficeId(3));
/// ```
pub fn offices_to_geojson(offices: &[Office]) -> String {
    let features = offices.iter().map(|o| {
        let mut properties = JsonObject::new();
        properties.insert("id".into(), json!(o.id.0));
        properties.insert("name".into(), json!(o.name));
        properties.insert("status".into(), json!(o.status));
        properties.insert(
            "services".into(),
            json!(o.services.iter().map(service_text).collect::<Vec<_>>()),
        );
        properties.insert("operator".into(), json!(o.operator));
        properties.insert("notes".into(), json!(o.notes));
        Feature {
            bbox: None,
            geometry: Some(Geometry::new(GeometryValue::new_point(o.lon_lat))),
            id: None,
            properties: Some(properties),
            foreign_members: None,
        }
    });
    GeoJson::FeatureCollection(FeatureCollection::new(features)).to_string()
}

/// Reads offices from GeoJSON points. Attributes written by [`offices_to_geojson`] come back;
/// other point files need only a `name` (else the office is named by its position in the file).
pub fn offices_from_geojson(text: &str, path: &Path) -> Result<Vec<Office>, OfficesError> {
    let geojson: GeoJson = text.parse().map_err(|e: geojson::Error| OfficesError::NotGeoJson {
        message: e.to_string(),
        path: path.into(),
    })?;
    let features: Vec<Feature> = match geojson {
        GeoJson::FeatureCollection(fc) => fc.features,
        GeoJson::Feature(f) => vec![f],
        GeoJson::Geometry(g) => vec![Feature {
            bbox: None,
            geometry: Some(g),
            id: None,
            properties: None,
            foreign_members: None,
        }],
    };
    let mut offices = Vec::with_capacity(features.len());
    let mut ids = OfficeIds::default();
    for (index, feature) in features.into_iter().enumerate() {
        let not_a_point = || OfficesError::NotAPoint {
            index,
            path: path.into(),
        };
        let lon_lat = match feature.geometry.map(|g| g.value) {
            Some(GeometryValue::Point { coordinates }) if coordinates.as_slice().len() >= 2 => {
                [coordinates[0], coordinates[1]]
            }
            _ => return Err(not_a_point()),
        };
        if !(-180.0..=180.0).contains(&lon_lat[0]) || !(-90.0..=90.0).contains(&lon_lat[1]) {
            return Err(not_a_point());
        }
        let props = feature.properties.unwrap_or_default();
        let text_of = |key: &str| props.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
        offices.push(Office {
            id: ids.take(props.get("id").and_then(Value::as_u64)),
            name: name_or_number(text_of("name"), index),
            lon_lat,
            status: props
                .get("status")
                .and_then(|s| serde_json::from_value::<OfficeStatus>(s.clone()).ok())
                .unwrap_or_default(),
            services: props
                .get("services")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).map(service_from_text).collect())
                .unwrap_or_default(),
            operator: text_of("operator"),
            notes: text_of("notes"),
        });
    }
    Ok(offices)
}

/// Reads an offices file: GeoJSON points, or a CSV/TSV table (by its extension).
pub fn read_offices(path: &Path) -> Result<Vec<Office>, OfficesError> {
    let bytes = std::fs::read(path).map_err(|source| OfficesError::Io {
        path: path.into(),
        source,
    })?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if matches!(ext.as_str(), "csv" | "tsv" | "tab" | "txt") {
        return super::offices_csv::offices_from_csv(&bytes, path, ext != "csv");
    }
    let text = String::from_utf8(bytes).map_err(|e| OfficesError::NotGeoJson {
        message: format!("GeoJSON is UTF-8 text; byte {} is not", e.utf8_error().valid_up_to()),
        path: path.into(),
    })?;
    offices_from_geojson(text.trim_start_matches('\u{feff}'), path)
}

/// Ids for offices read from a file: the one asked for when free, else the lowest free one.
#[derive(Default)]
pub(crate) struct OfficeIds(BTreeSet<u64>);

impl OfficeIds {
    /// An id for the next office; `wanted` when it is free.
    pub(crate) fn take(&mut self, wanted: Option<u64>) -> OfficeId {
        let free = wanted.filter(|id| !self.0.contains(id));
        let id = free.unwrap_or_else(|| (1..).find(|id| !self.0.contains(id)).unwrap_or(u64::MAX));
        self.0.insert(id);
        OfficeId(id)
    }
}

/// `name`, or "office N" (1-based) when the file gives none.
pub(crate) fn name_or_number(name: String, index: usize) -> String {
    if name.is_empty() {
        format!("office {}", index + 1)
    } else {
        name
    }
}

pub(crate) fn service_text(s: &Service) -> String {
    match s {
        Service::Other(text) => text.clone(),
        named => serde_json::to_value(named)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
    }
}

fn service_from_text(text: &str) -> Service {
    serde_json::from_value(json!(text)).unwrap_or_else(|_| Service::Other(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_every_attribute() {
        let mut o = Office::proposed(OfficeId(7), "دفتر حسن‌آباد", [54.30123, 31.94567]);
        o.status = OfficeStatus::Operating;
        o.services = [Service::Sociology, Service::LegalAid, Service::Other("کلاس سواد".into())].into();
        o.operator = "سمن محلی".into();
        o.notes = "line 1\nline 2".into();
        let text = offices_to_geojson(std::slice::from_ref(&o));
        assert_eq!(offices_from_geojson(&text, "x".as_ref()).unwrap(), [o]);
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["features"][0]["geometry"]["type"], "Point");
        assert_eq!(
            v["features"][0]["properties"]["services"],
            json!(["sociology", "legal_aid", "کلاس سواد"])
        );
    }

    #[test]
    fn plain_point_files_and_bad_features() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Point","coordinates":[54.1,31.9]}},
            {"type":"Feature","properties":null,"geometry":{"type":"Point","coordinates":[54.2,31.9]}}]}"#;
        let offices = offices_from_geojson(text, "x".as_ref()).unwrap();
        assert_eq!(
            offices.iter().map(|o| (o.id.0, o.name.as_str())).collect::<Vec<_>>(),
            [(1, "A"), (2, "office 2")]
        );
        let bad = r#"{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}}"#;
        assert!(matches!(
            offices_from_geojson(bad, "x".as_ref()),
            Err(OfficesError::NotAPoint { index: 0, .. })
        ));
        assert!(matches!(
            offices_from_geojson("nope", "x".as_ref()),
            Err(OfficesError::NotGeoJson { .. })
        ));
    }
}
