//! A table of features to write in any vector format: shapes in WGS 84 longitude/latitude and
//! one property map per row, with its columns' types inferred once for the formats that declare
//! them (GeoPackage, dBASE).

use geo::MultiPolygon;
use serde_json::{Map, Value};

use crate::analysis::Coverage;
use crate::model::{Office, Plan};
use crate::workspace::DistrictLayer;

/// One row's shape, WGS 84 longitude/latitude.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// An area, exteriors counter-clockwise and holes clockwise.
    Polygons(MultiPolygon<f64>),
    /// A position.
    Point([f64; 2]),
}

/// The type a column is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// True/false.
    Boolean,
    /// Whole numbers that fit 64 bits.
    Integer,
    /// Other numbers.
    Real,
    /// Text, and everything that is not one of the above (nested objects as JSON).
    Text,
}

/// A column: its property name and type.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// The property's name.
    pub name: String,
    /// Its type over every row.
    pub kind: ColumnKind,
}

/// Features to write.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VectorTable {
    /// The layer's name (a GeoPackage table, a GeoJSON `name`).
    pub name: String,
    /// One shape per row.
    pub shapes: Vec<Shape>,
    /// One property map per row.
    pub properties: Vec<Map<String, Value>>,
}

impl VectorTable {
    /// The districts of `layer` with every property they were read with.
    pub fn districts(layer: &DistrictLayer, name: &str) -> Self {
        Self {
            name: name.to_string(),
            shapes: layer
                .districts
                .iter()
                .map(|d| Shape::Polygons(d.shape_lon_lat.clone()))
                .collect(),
            properties: layer.districts.iter().map(|d| d.properties.clone()).collect(),
        }
    }

    /// The offices as points with their attributes (services joined by «; »).
    pub fn offices(offices: &[Office]) -> Self {
        let properties = offices
            .iter()
            .map(|o| {
                let services: Vec<String> = o
                    .services
                    .iter()
                    .map(crate::io::offices_geojson::service_text)
                    .collect();
                let mut p = Map::new();
                p.insert("id".into(), Value::from(o.id.0));
                p.insert("name".into(), Value::from(o.name.clone()));
                p.insert("status".into(), serde_json::to_value(o.status).unwrap_or(Value::Null));
                p.insert("services".into(), Value::from(services.join("; ")));
                p.insert("operator".into(), Value::from(o.operator.clone()));
                p.insert("notes".into(), Value::from(o.notes.clone()));
                p
            })
            .collect();
        Self {
            name: "offices".into(),
            shapes: offices.iter().map(|o| Shape::Point(o.lon_lat)).collect(),
            properties,
        }
    }

    /// The coverage table's columns (as the CSV has them) on each district's shape, so the
    /// coverage can be mapped in any GIS.
    pub fn coverage(layer: &DistrictLayer, coverage: &Coverage, plan: &Plan) -> Self {
        let mut shapes = Vec::with_capacity(coverage.districts.len());
        let mut properties = Vec::with_capacity(coverage.districts.len());
        for c in &coverage.districts {
            let Some(district) = layer.districts.get(c.district) else {
                continue;
            };
            let office = c.nearest_office.and_then(|id| plan.office(id)).map(|o| o.name.clone());
            let number = |v: Option<f64>| {
                v.and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            };
            let mut p = Map::new();
            p.insert("index".into(), Value::from(district.feature_index));
            p.insert("name".into(), Value::from(layer.label(c.district).into_owned()));
            p.insert("area_m2".into(), number(Some(c.area_m2.round())));
            p.insert(
                "covered_fraction".into(),
                number(Some((c.covered_fraction * 1e4).round() / 1e4)),
            );
            p.insert(
                "population_reached".into(),
                number(c.population_reached.map(f64::round)),
            );
            p.insert("nearest_office".into(), office.map_or(Value::Null, Value::from));
            p.insert(
                "nearest_office_m".into(),
                number(c.nearest_office_m.map(|m| (m * 10.0).round() / 10.0)),
            );
            shapes.push(Shape::Polygons(district.shape_lon_lat.clone()));
            properties.push(p);
        }
        Self {
            name: "coverage".into(),
            shapes,
            properties,
        }
    }

    /// The same rows with nested objects spread into dotted columns (`tags.name`,
    /// `tags.name:en`), as GIS tables want them; arrays stay JSON text. GeoJSON keeps the
    /// nesting; GeoPackage and Shapefile are written from this.
    pub fn flattened(&self) -> Self {
        fn spread(prefix: &str, value: &Value, out: &mut Map<String, Value>) {
            match value {
                Value::Object(inner) if !inner.is_empty() => {
                    for (key, v) in inner {
                        spread(&format!("{prefix}.{key}"), v, out);
                    }
                }
                other => {
                    out.insert(prefix.to_string(), other.clone());
                }
            }
        }
        let properties = self
            .properties
            .iter()
            .map(|row| {
                let mut out = Map::new();
                for (key, value) in row {
                    spread(key, value, &mut out);
                }
                out
            })
            .collect();
        Self {
            name: self.name.clone(),
            shapes: self.shapes.clone(),
            properties,
        }
    }

    /// Every property name in the order rows first use them, with the type that holds all of
    /// its values (a column mixing numbers and text is text).
    pub fn columns(&self) -> Vec<Column> {
        let mut columns: Vec<(String, Option<ColumnKind>)> = Vec::new();
        let mut position = std::collections::HashMap::new();
        for row in &self.properties {
            for (name, value) in row {
                let i = *position.entry(name.clone()).or_insert_with(|| {
                    columns.push((name.clone(), None));
                    columns.len() - 1
                });
                let kind = match value {
                    Value::Null => continue,
                    Value::Bool(_) => ColumnKind::Boolean,
                    Value::Number(n) if n.is_i64() => ColumnKind::Integer,
                    Value::Number(n) if n.is_u64() => ColumnKind::Real,
                    Value::Number(_) => ColumnKind::Real,
                    _ => ColumnKind::Text,
                };
                let slot = &mut columns[i].1;
                *slot = Some(match (*slot, kind) {
                    (None, k) => k,
                    (Some(a), b) if a == b => a,
                    (Some(ColumnKind::Integer), ColumnKind::Real) | (Some(ColumnKind::Real), ColumnKind::Integer) => {
                        ColumnKind::Real
                    }
                    _ => ColumnKind::Text,
                });
            }
        }
        columns
            .into_iter()
            .map(|(name, kind)| Column {
                name,
                kind: kind.unwrap_or(ColumnKind::Text),
            })
            .collect()
    }
}

/// A value as text for a text column: strings as they are, everything else as JSON.
pub fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn column_types_hold_every_value() {
        let rows = [
            json!({"code": 1, "share": 1, "flag": true, "name": "حسن‌آباد", "tags": {"a": 1}, "mixed": 3}),
            json!({"code": 2, "share": 0.5, "flag": null, "name": null, "mixed": "x", "late": 7}),
        ];
        let table = VectorTable {
            name: "t".into(),
            shapes: vec![Shape::Point([0.0, 0.0]); 2],
            properties: rows.iter().map(|r| r.as_object().unwrap().clone()).collect(),
        };
        let kinds: Vec<(String, ColumnKind)> = table.columns().into_iter().map(|c| (c.name, c.kind)).collect();
        use ColumnKind::*;
        let expected = [
            ("code", Integer),
            ("share", Real),
            ("flag", Boolean),
            ("name", Text),
            ("tags", Text),
            ("mixed", Text),
            ("late", Integer),
        ];
        assert_eq!(kinds.len(), expected.len());
        for ((name, kind), (e_name, e_kind)) in kinds.iter().zip(expected) {
            assert_eq!((name.as_str(), *kind), (e_name, e_kind));
        }
        assert_eq!(value_text(&json!({"a": 1})).unwrap(), "{\"a\":1}");
        let flat = table.flattened();
        assert_eq!(flat.properties[0]["tags.a"], 1);
        assert!(!flat.properties[0].contains_key("tags"));
    }
}
