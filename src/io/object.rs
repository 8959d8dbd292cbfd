//! Typed reading of one GeoJSON object (a Feature or a geometry) from its text, with coordinates
//! collected into flat buffers instead of nested vectors, whatever order the members come in.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// Coordinates of one geometry, flattened. Rings are runs of `positions` ending at each entry
/// of `ring_ends`; polygons are runs of rings ending at each entry of `polygon_ends`.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Coordinates {
    /// Every position, longitude then latitude; altitude is dropped.
    pub positions: Vec<[f64; 2]>,
    /// Exclusive end index into `positions` of each ring (or line).
    pub ring_ends: Vec<usize>,
    /// Exclusive end index into `ring_ends` of each polygon.
    pub polygon_ends: Vec<usize>,
    /// Nesting of the outermost array: 0 a position, 1 a ring or line, 2 a polygon, 3 a
    /// multipolygon; `None` for an empty array.
    pub height: Option<u8>,
    /// Lines met beside or instead of polygons, each its positions: reference layers draw
    /// them, district layers skip a feature that has no polygon.
    pub lines: Vec<Vec<[f64; 2]>>,
    /// Points met beside or instead of polygons.
    pub points: Vec<[f64; 2]>,
}

impl Coordinates {
    /// Whether nothing was found: no polygon, line or point.
    pub fn is_empty(&self) -> bool {
        self.polygon_ends.is_empty() && self.lines.is_empty() && self.points.is_empty()
    }
}

/// A GeoJSON object as read: Feature and geometry members side by side, sorted out later.
#[derive(Debug, Default)]
pub(crate) struct RawObject {
    /// The `type` member.
    pub type_name: Option<String>,
    /// `geometry`: absent (`None`), null (`Some(None)`) or an object.
    pub geometry: Option<Option<Box<RawObject>>>,
    /// `properties` as found.
    pub properties: Option<Value>,
    /// `id` as found.
    pub id: Option<Value>,
    /// `coordinates` of a geometry.
    pub coordinates: Option<Coordinates>,
    /// `geometries` of a GeometryCollection.
    pub geometries: Option<Vec<RawObject>>,
}

impl<'de> de::Deserialize<'de> for RawObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ObjectVisitor)
    }
}

struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = RawObject;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a GeoJSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawObject, A::Error> {
        let mut out = RawObject::default();
        while let Some(key) = map.next_key::<KeyName>()? {
            match key {
                KeyName::Type => out.type_name = Some(map.next_value()?),
                KeyName::Geometry => out.geometry = Some(map.next_value::<Option<RawObject>>()?.map(Box::new)),
                KeyName::Properties => out.properties = Some(map.next_value()?),
                KeyName::Id => out.id = Some(map.next_value()?),
                KeyName::Coordinates => {
                    let mut coords = Coordinates::default();
                    coords.height = map.next_value_seed(ElementSeed(&mut coords))?.height()?;
                    out.coordinates = Some(coords);
                }
                KeyName::Geometries => out.geometries = Some(map.next_value()?),
                KeyName::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }
}

/// Member names that matter; anything else is skipped without being stored.
enum KeyName {
    Type,
    Geometry,
    Properties,
    Id,
    Coordinates,
    Geometries,
    Other,
}

impl<'de> de::Deserialize<'de> for KeyName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = KeyName;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyName, E> {
                Ok(match v {
                    "type" => KeyName::Type,
                    "geometry" => KeyName::Geometry,
                    "properties" => KeyName::Properties,
                    "id" => KeyName::Id,
                    "coordinates" => KeyName::Coordinates,
                    "geometries" => KeyName::Geometries,
                    _ => KeyName::Other,
                })
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// One element of a coordinate array: a number, or an array of the given height.
enum Element {
    Number(f64),
    Array(Option<u8>),
}

impl Element {
    fn height<E: de::Error>(self) -> Result<Option<u8>, E> {
        match self {
            Element::Array(h) => Ok(h),
            Element::Number(_) => Err(E::custom("coordinates must be an array, found a number")),
        }
    }
}

struct ElementSeed<'b>(&'b mut Coordinates);

impl<'de> DeserializeSeed<'de> for ElementSeed<'_> {
    type Value = Element;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Element, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ElementSeed<'_> {
    type Value = Element;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a coordinate number or an array of coordinates")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Element, E> {
        Ok(Element::Number(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Element, E> {
        Ok(Element::Number(v as f64))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Element, E> {
        Ok(Element::Number(v as f64))
    }

    /// A number too large for a double, which the lenient reparse quotes (`"1e400"`), stands as
    /// infinity so the feature is skipped as non-finite; other text is no coordinate.
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Element, E> {
        match v.parse::<f64>() {
            Ok(n) if !n.is_finite() => Ok(Element::Number(n)),
            _ => Err(E::invalid_type(de::Unexpected::Str(v), &self)),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Element, A::Error> {
        let coords = self.0;
        let mut numbers = 0usize;
        let mut position = [0.0f64; 2];
        let mut child_height: Option<u8> = None;
        let mut children = 0usize;
        while let Some(element) = seq.next_element_seed(ElementSeed(coords))? {
            match element {
                Element::Number(v) if children == 0 => {
                    if numbers < 2 {
                        position[numbers] = v;
                    }
                    numbers += 1;
                }
                Element::Array(Some(h)) if numbers == 0 => {
                    if child_height.is_some_and(|c| c != h) {
                        return Err(de::Error::custom("coordinate arrays are nested unevenly"));
                    }
                    child_height = Some(h);
                    children += 1;
                }
                Element::Array(None) => return Err(de::Error::custom("an empty array inside coordinates")),
                _ => {
                    return Err(de::Error::custom(
                        "numbers and arrays are mixed in one coordinate array",
                    ));
                }
            }
        }
        if numbers > 0 {
            if numbers < 2 {
                return Err(de::Error::custom("a position needs a longitude and a latitude"));
            }
            coords.positions.push(position);
            return Ok(Element::Array(Some(0)));
        }
        let Some(child) = child_height else {
            return Ok(Element::Array(None));
        };
        let height = child + 1;
        match height {
            1 => coords.ring_ends.push(coords.positions.len()),
            2 => coords.polygon_ends.push(coords.ring_ends.len()),
            3 => {}
            _ => return Err(de::Error::custom("coordinates are nested too deeply")),
        }
        Ok(Element::Array(Some(height)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> RawObject {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn polygon_coordinates_flatten() {
        let o = parse(
            r#"{"coordinates": [[[0,0],[1,0],[1,1],[0,0]],[[0.2,0.2,9],[0.3,0.2],[0.3,0.3],[0.2,0.2]]], "type": "Polygon"}"#,
        );
        let c = o.coordinates.unwrap();
        assert_eq!(o.type_name.as_deref(), Some("Polygon"));
        assert_eq!(c.height, Some(2));
        assert_eq!(c.positions.len(), 8);
        assert_eq!(c.positions[4], [0.2, 0.2]);
        assert_eq!(c.ring_ends, vec![4, 8]);
        assert_eq!(c.polygon_ends, vec![2]);
    }

    #[test]
    fn multipolygon_keeps_polygon_boundaries() {
        let o =
            parse(r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}"#);
        let c = o.coordinates.unwrap();
        assert_eq!(
            (c.height, c.ring_ends, c.polygon_ends),
            (Some(3), vec![4, 8], vec![1, 2])
        );
    }

    #[test]
    fn feature_members_in_any_order() {
        let o = parse(
            r#"{"properties":{"name":"یزد","tags":{"a":1}},"geometry":null,"id":7,"type":"Feature","bbox":[1,2,3,4]}"#,
        );
        assert_eq!(o.type_name.as_deref(), Some("Feature"));
        assert!(matches!(o.geometry, Some(None)));
        assert_eq!(o.id, Some(serde_json::json!(7)));
        assert_eq!(o.properties.unwrap()["tags"]["a"], 1);
    }

    #[test]
    fn bad_coordinates_are_data_errors() {
        for (text, needle) in [
            (r#"{"coordinates":[[["a",1]]]}"#, "expected a coordinate number"),
            (r#"{"coordinates":[[[1]]]}"#, "longitude and a latitude"),
            (r#"{"coordinates":[[[1,2],[[3,4]]]]}"#, "nested unevenly"),
            (r#"{"coordinates":[[[1,2],3]]}"#, "mixed"),
            (r#"{"coordinates":[[]]}"#, "empty array"),
        ] {
            let err = serde_json::from_str::<RawObject>(text).unwrap_err();
            assert_eq!(err.classify(), serde_json::error::Category::Data, "{text}");
            assert!(err.to_string().contains(needle), "{text}: {err}");
        }
    }

    #[test]
    fn huge_numbers_quoted_by_the_reparse_are_infinite_coordinates() {
        // serde_json refuses the bare number; the lenient reparse quotes it.
        assert!(serde_json::from_str::<RawObject>(r#"{"coordinates":[1e999,2]}"#).is_err());
        let raw = serde_json::from_str::<RawObject>(r#"{"coordinates":["1e999",2]}"#).unwrap();
        assert!(raw.coordinates.unwrap().positions[0][0].is_infinite());
        let err = serde_json::from_str::<RawObject>(r#"{"coordinates":["54.7",2]}"#).unwrap_err();
        assert!(err.to_string().contains("invalid type: string"), "{err}");
    }
}
