//! Writing GeoJSON (RFC 7946): a FeatureCollection with every property as it was read.

use std::path::Path;

use serde_json::{Map, Value, json};

use super::table::{Shape, VectorTable};
use super::{OutputCrs, VectorWriteError, WriteReport};
use crate::io::write_atomically;

/// The GeoJSON geometry of a shape.
fn geometry(shape: &Shape) -> Value {
    match shape {
        Shape::Point(p) => json!({"type": "Point", "coordinates": p}),
        Shape::Polygons(polygons) => {
            let polygon = |p: &geo::Polygon<f64>| -> Vec<Vec<[f64; 2]>> {
                std::iter::once(p.exterior())
                    .chain(p.interiors())
                    .map(|r| r.0.iter().map(|c| [c.x, c.y]).collect())
                    .collect()
            };
            match polygons.0.as_slice() {
                [one] => json!({"type": "Polygon", "coordinates": polygon(one)}),
                many => json!({"type": "MultiPolygon", "coordinates": many.iter().map(polygon).collect::<Vec<_>>()}),
            }
        }
    }
}

/// `table` as GeoJSON text; outside WGS 84, with the 2008 `crs` member naming the system, as
/// GDAL writes and reads it.
pub fn geojson_text(table: &VectorTable, crs: &OutputCrs) -> String {
    let features: Vec<Value> = table
        .shapes
        .iter()
        .zip(&table.properties)
        .map(|(shape, properties)| {
            let mut feature = Map::new();
            feature.insert("type".into(), "Feature".into());
            feature.insert("properties".into(), Value::Object(properties.clone()));
            feature.insert("geometry".into(), geometry(shape));
            Value::Object(feature)
        })
        .collect();
    let mut collection = json!({"type": "FeatureCollection", "name": table.name});
    if !crs.is_wgs84() {
        collection["crs"] =
            json!({"type": "name", "properties": {"name": format!("urn:ogc:def:crs:EPSG::{}", crs.epsg)}});
    }
    collection["features"] = Value::Array(features);
    collection.to_string() + "\n"
}

/// Writes `table` (already in `crs`) as the GeoJSON file `path`.
pub fn write_geojson(table: &VectorTable, path: &Path, crs: &OutputCrs) -> Result<WriteReport, VectorWriteError> {
    write_atomically(path, geojson_text(table, crs).as_bytes()).map_err(|source| VectorWriteError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(WriteReport::default())
}
