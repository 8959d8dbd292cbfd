//! The fields of a layer's districts, as a planner picks from them: each property path (nested
//! objects one level down, as `tags.name`), how many districts hold a number in it and how many
//! hold text, so that menus offer numbers for graduated colours and texts for categories.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{District, FieldPath};

/// What the districts hold in one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldInfo {
    /// The field.
    pub path: FieldPath,
    /// Districts whose value is a number (or text that reads as one: `"۱۲٬۵۰۰"`).
    pub numbers: usize,
    /// Districts whose value is text that is not a number.
    pub texts: usize,
}

impl FieldInfo {
    /// Numbers in most of the districts that have a value: a field to graduate.
    pub fn is_numeric(&self) -> bool {
        self.numbers > 0 && self.numbers >= self.texts
    }
}

/// Every field of `districts` in the order first met, nested objects' keys as dotted paths (one
/// level down: OpenStreetMap's `tags`); fields that are objects themselves are not listed.
///
/// ```
/// use mahalleh::model::{District, field_catalogue};
/// use serde_json::json;
/// let square = geo::MultiPolygon(vec![geo::Polygon::new(
///     geo::LineString::from(vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]), vec![])]);
/// let props = json!({"name": "اسکان", "pop": "۱۲۰۰", "tags": {"admin_level": 8}});
/// let d = District::new(0, square, props.as_object().unwrap().clone()).unwrap();
/// let fields = field_catalogue(&[d]);
/// let names: Vec<&str> = fields.iter().map(|f| f.path.as_str()).collect();
/// assert_eq!(names, ["name", "pop", "tags.admin_level"]);
/// assert!(fields[1].is_numeric() && !fields[0].is_numeric());
/// ```
pub fn field_catalogue(districts: &[District]) -> Vec<FieldInfo> {
    let mut order: Vec<String> = Vec::new();
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut note = |path: String, value: &Value| {
        let kind = match value {
            Value::Number(_) => Some(true),
            Value::String(s) if !s.trim().is_empty() => Some(crate::text::numbers::parse_number(s).is_some()),
            Value::Bool(_) => Some(false),
            _ => None,
        };
        let entry = counts.entry(path).or_insert_with_key(|p| {
            order.push(p.clone());
            (0, 0)
        });
        match kind {
            Some(true) => entry.0 += 1,
            Some(false) => entry.1 += 1,
            None => {}
        }
    };
    for d in districts {
        visit(&d.properties, &mut note);
    }
    order
        .into_iter()
        .filter_map(|path| {
            let (numbers, texts) = counts.get(&path).copied()?;
            Some(FieldInfo {
                path: FieldPath::new(path),
                numbers,
                texts,
            })
        })
        .collect()
}

fn visit(properties: &Map<String, Value>, note: &mut impl FnMut(String, &Value)) {
    for (key, value) in properties {
        match value {
            Value::Object(inner) => {
                for (k, v) in inner {
                    if !v.is_object() {
                        note(format!("{key}.{k}"), v);
                    }
                }
            }
            _ => note(key.clone(), value),
        }
    }
}
