//! From one parsed GeoJSON object to a district, or to the reason it cannot be one.

use geo::{MultiPolygon, Polygon};
use serde_json::{Map, Value};

use super::crs::Reprojector;
use super::object::RawObject;
use super::validate::polygons_from;
use crate::model::{District, LoadWarning, SkipReason};

/// What became of one feature.
pub(crate) struct FeatureOutcome {
    /// The geometry type, for the report's counts (`null` and `missing` included).
    pub geometry_type: String,
    /// The district, or why there is none.
    pub district: Result<District, SkipReason>,
    /// Oddities found on the way.
    pub warnings: Vec<LoadWarning>,
}

const GEOMETRY_TYPES: &[&str] = &[
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
];

/// Turns a parsed object into a district. `in_collection` tells whether it was an element of a
/// FeatureCollection's `features`, where a bare geometry deserves a warning; `reprojector`, when
/// the file is in another system than WGS 84, brings its coordinates to longitude/latitude
/// before they are checked.
pub(crate) fn district_from(
    index: usize,
    raw: RawObject,
    in_collection: bool,
    reprojector: Option<&Reprojector>,
) -> FeatureOutcome {
    let mut warnings = Vec::new();
    let type_name = raw.type_name.clone().unwrap_or_default();
    let (geometry, properties, id) = if type_name == "Feature" {
        let properties = match raw.properties {
            Some(Value::Object(map)) => map,
            None | Some(Value::Null) => Map::new(),
            Some(_) => {
                warnings.push(LoadWarning::PropertiesNotObject);
                Map::new()
            }
        };
        let geometry = match raw.geometry {
            None => return outcome("missing", Err(SkipReason::MissingGeometry), warnings),
            Some(None) => return outcome("null", Err(SkipReason::NullGeometry), warnings),
            Some(Some(g)) => *g,
        };
        (geometry, properties, raw.id)
    } else if GEOMETRY_TYPES.contains(&type_name.as_str()) {
        if in_collection {
            warnings.push(LoadWarning::BareGeometry);
        }
        (raw, Map::new(), None)
    } else {
        let message = if type_name.is_empty() {
            "the object has no \"type\" member".to_string()
        } else {
            format!("type \"{type_name}\" is not a Feature")
        };
        return outcome("unknown", Err(SkipReason::Malformed { message }), warnings);
    };
    let mut geometry = geometry;
    let geometry_type = geometry.type_name.clone().unwrap_or_else(|| "unknown".to_string());
    if let Some(reprojector) = reprojector
        && let Err(reason) = reproject(&mut geometry, reprojector)
    {
        return outcome(&geometry_type, Err(reason), warnings);
    }
    let mut polygons = Vec::new();
    let mut ignored = 0usize;
    if let Err(reason) = collect_polygons(&geometry, true, &mut polygons, &mut ignored, &mut warnings) {
        return outcome(&geometry_type, Err(reason), warnings);
    }
    if ignored > 0 {
        warnings.push(LoadWarning::CollectionMembersIgnored { count: ignored });
    }
    if polygons.is_empty() {
        let reason = if ignored > 0 {
            SkipReason::NotPolygon {
                geometry_type: "GeometryCollection without polygons".to_string(),
            }
        } else {
            SkipReason::EmptyGeometry {
                geometry_type: geometry_type.clone(),
            }
        };
        return outcome(&geometry_type, Err(reason), warnings);
    }
    let district = District::new(index, MultiPolygon::new(polygons), properties)
        .map(|mut d| {
            d.id = id.map(Box::new);
            d
        })
        .ok_or(SkipReason::EmptyGeometry {
            geometry_type: geometry_type.clone(),
        });
    outcome(&geometry_type, district, warnings)
}

fn outcome(geometry_type: &str, district: Result<District, SkipReason>, warnings: Vec<LoadWarning>) -> FeatureOutcome {
    FeatureOutcome {
        geometry_type: geometry_type.to_string(),
        district,
        warnings,
    }
}

fn collect_polygons(
    geometry: &RawObject,
    top_level: bool,
    polygons: &mut Vec<Polygon<f64>>,
    ignored: &mut usize,
    warnings: &mut Vec<LoadWarning>,
) -> Result<(), SkipReason> {
    let type_name = geometry.type_name.as_deref().unwrap_or_default();
    match type_name {
        "Polygon" | "MultiPolygon" => {
            let expected = if type_name == "Polygon" { 2 } else { 3 };
            let Some(coords) = &geometry.coordinates else {
                return Err(malformed(format!("the {type_name} has no \"coordinates\" member")));
            };
            match coords.height {
                None => Ok(()),
                Some(h) if h == expected => {
                    polygons.extend(polygons_from(coords, polygons.len(), warnings)?);
                    Ok(())
                }
                Some(h) => Err(malformed(format!(
                    "the {type_name}'s coordinates are nested {} deep; a {type_name} needs {}",
                    h + 1,
                    expected + 1
                ))),
            }
        }
        "GeometryCollection" => {
            for member in geometry.geometries.iter().flatten() {
                collect_polygons(member, false, polygons, ignored, warnings)?;
            }
            Ok(())
        }
        "Point" | "MultiPoint" | "LineString" | "MultiLineString" if top_level => Err(SkipReason::NotPolygon {
            geometry_type: type_name.to_string(),
        }),
        "Point" | "MultiPoint" | "LineString" | "MultiLineString" => {
            *ignored += 1;
            Ok(())
        }
        "" => Err(malformed("the geometry has no \"type\" member".to_string())),
        other => Err(malformed(format!("unknown geometry type \"{other}\""))),
    }
}

/// Every position of `geometry` (and of its members) in longitude/latitude.
fn reproject(geometry: &mut RawObject, reprojector: &Reprojector) -> Result<(), SkipReason> {
    if let Some(coords) = &mut geometry.coordinates
        && let Err(position) = reprojector.lon_lat_in_place(&mut coords.positions)
    {
        let [x, y] = coords.positions[position];
        return Err(SkipReason::CannotReproject { position, x, y });
    }
    for member in geometry.geometries.iter_mut().flatten() {
        reproject(member, reprojector)?;
    }
    Ok(())
}

fn malformed(message: String) -> SkipReason {
    SkipReason::Malformed { message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(text: &str) -> FeatureOutcome {
        district_from(5, serde_json::from_str(text).unwrap(), true, None)
    }

    const SQUARE: &str = "[[0,0],[1,0],[1,1],[0,1],[0,0]]";

    #[test]
    fn feature_with_polygon_keeps_properties_and_id() {
        let o = from(&format!(
            r#"{{"type":"Feature","id":"a","properties":{{"name":"x"}},"geometry":{{"type":"Polygon","coordinates":[{SQUARE}]}}}}"#
        ));
        let d = o.district.unwrap();
        assert_eq!(
            (d.feature_index, d.properties["name"].as_str(), d.id),
            (5, Some("x"), Some(Box::new(Value::from("a"))))
        );
        assert_eq!(o.geometry_type, "Polygon");
        assert!(o.warnings.is_empty());
    }

    #[test]
    fn collection_takes_polygons_and_warns_about_the_rest() {
        let o = from(&format!(
            r#"{{"type":"Feature","properties":null,"geometry":{{"type":"GeometryCollection","geometries":[
            {{"type":"Point","coordinates":[0,0]}},{{"type":"Polygon","coordinates":[{SQUARE}]}},
            {{"type":"MultiPolygon","coordinates":[[{SQUARE}]]}}]}}}}"#
        ));
        assert_eq!(o.district.unwrap().shape_lon_lat.0.len(), 2);
        assert_eq!(o.warnings, vec![LoadWarning::CollectionMembersIgnored { count: 1 }]);
    }

    #[test]
    fn points_nulls_and_strangers_are_skipped() {
        let cases = [
            (
                r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]}}"#,
                "a Point is not an area",
            ),
            (r#"{"type":"Feature","geometry":null}"#, "the geometry is null"),
            (r#"{"type":"Feature","properties":{}}"#, "no geometry member"),
            (
                r#"{"type":"Feature","geometry":{"type":"Circle","coordinates":[1,2]}}"#,
                "unknown geometry type \"Circle\"",
            ),
            (
                r#"{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[0,0],[1,0],[1,1],[0,0]]}}"#,
                "nested 2 deep; a Polygon needs 3",
            ),
            (r#"{"type":"Topology"}"#, "type \"Topology\" is not a Feature"),
        ];
        for (text, needle) in cases {
            let reason = from(text).district.unwrap_err().to_string();
            assert!(reason.contains(needle), "{text}: {reason}");
        }
    }

    #[test]
    fn bare_geometry_in_a_collection_is_read_with_a_warning() {
        let o = from(&format!(r#"{{"type":"Polygon","coordinates":[{SQUARE}]}}"#));
        assert!(o.district.is_ok());
        assert_eq!(o.warnings, vec![LoadWarning::BareGeometry]);
    }
}
