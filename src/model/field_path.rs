//! Dotted paths to property values, such as `tags.name:en` for OpenStreetMap extracts.

use std::borrow::Cow;
use std::fmt;

use serde_json::{Map, Value};

/// A path to a property of a feature, with `.` stepping into nested objects.
///
/// A key that itself contains dots (`addr.city` stored flat) is still found: at each level the
/// longest key that matches wins, so `FieldPath` never needs escaping.
///
/// ```
/// use mahalleh::model::FieldPath;
/// let props = serde_json::json!({"tags": {"name:en": "Yazd", "name": "یزد"}});
/// let path = FieldPath::new("tags.name:en");
/// assert_eq!(path.text_in(props.as_object().unwrap()).as_deref(), Some("Yazd"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct FieldPath(String);

impl FieldPath {
    /// A path from its dotted text form.
    pub fn new(path: impl Into<String>) -> Self {
        Self(path.into())
    }

    /// The dotted text form, as a user types it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value at this path in `properties`, if there is one.
    pub fn value_in<'a>(&self, properties: &'a Map<String, Value>) -> Option<&'a Value> {
        value_at(properties, &self.0)
    }

    /// The value at this path as display text: strings as they are, numbers and booleans
    /// formatted; `None` for a missing value, `null`, an empty string, an array or an object.
    pub fn text_in<'a>(&self, properties: &'a Map<String, Value>) -> Option<Cow<'a, str>> {
        match self.value_in(properties)? {
            Value::String(s) if !s.trim().is_empty() => Some(Cow::Borrowed(s.as_str())),
            Value::Number(n) => Some(Cow::Owned(n.to_string())),
            Value::Bool(b) => Some(Cow::Owned(b.to_string())),
            _ => None,
        }
    }

    /// The value at this path as a number: JSON numbers, and strings that parse as one (with
    /// Persian or Arabic-Indic digits too), as population fields often are.
    pub fn number_in(&self, properties: &Map<String, Value>) -> Option<f64> {
        match self.value_in(properties)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => crate::text::numbers::parse_number(s),
            _ => None,
        }
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn value_at<'a>(map: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    if let Some(v) = map.get(path) {
        return Some(v);
    }
    // Try splitting at each dot, longest prefix first.
    for (dot, _) in path.rmatch_indices('.') {
        let (head, rest) = (&path[..dot], &path[dot + 1..]);
        if let Some(Value::Object(inner)) = map.get(head)
            && let Some(v) = value_at(inner, rest)
        {
            return Some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn finds_flat_nested_and_dotted_keys() {
        let p = obj(json!({"name": "یزد", "tags": {"name:en": "Yazd", "a.b": 3}, "x.y": "flat"}));
        assert_eq!(FieldPath::new("name").text_in(&p).as_deref(), Some("یزد"));
        assert_eq!(FieldPath::new("tags.name:en").text_in(&p).as_deref(), Some("Yazd"));
        assert_eq!(FieldPath::new("tags.a.b").text_in(&p).as_deref(), Some("3"));
        assert_eq!(FieldPath::new("x.y").text_in(&p).as_deref(), Some("flat"));
        assert_eq!(FieldPath::new("tags.missing").value_in(&p), None);
    }

    #[test]
    fn blank_and_structured_values_have_no_text() {
        let p = obj(json!({"a": "  ", "b": null, "c": [1], "d": {"e": 1}}));
        for k in ["a", "b", "c", "d"] {
            assert_eq!(FieldPath::new(k).text_in(&p), None, "{k}");
        }
    }

    #[test]
    fn numbers_from_strings_in_any_digits() {
        let p = obj(json!({"pop": "12,345", "fa": "۴۵۶", "n": 7.5, "bad": "many"}));
        assert_eq!(FieldPath::new("pop").number_in(&p), Some(12345.0));
        assert_eq!(FieldPath::new("fa").number_in(&p), Some(456.0));
        assert_eq!(FieldPath::new("n").number_in(&p), Some(7.5));
        assert_eq!(FieldPath::new("bad").number_in(&p), None);
    }
}
