//! One feature's text that serde_json refuses, made readable where the fault is one value: a
//! number too large for a double (quoted, so a coordinate becomes non-finite and the feature is
//! skipped for it, and a property keeps its text), bytes that are not UTF-8 (decoded lossily),
//! a property nested deeper than the parser's limit (dropped to null). Each repair leaves a
//! warning; the rest of the file never pays for this, since it runs only after a refusal.

use std::borrow::Cow;
use std::ops::Range;

use super::object::RawObject;
use super::scan::object_members;
use crate::model::{LoadWarning, SkipReason};

/// Repairs tried on one feature before giving up.
const MAX_REPAIRS: usize = 64;

/// What the lenient parse made of a feature the strict one refused.
pub(crate) enum Repaired {
    /// Parsed after repairs, with a warning for each.
    Parsed(Box<RawObject>, Vec<LoadWarning>),
    /// The fault is in the geometry and cannot be repaired: skip the feature for it.
    Skip(SkipReason),
    /// Not a fault this module repairs: the strict parser's error stands.
    Unrepairable(serde_json::Error),
}

/// Parses `text`, repairing the faults the module describes; `first` is the strict parse's
/// error, and stays the answer (with its place in the original text) when repairs fail.
pub(crate) fn parse_repaired(text: &[u8], first: serde_json::Error) -> Repaired {
    let mut bytes: Cow<'_, [u8]> = Cow::Borrowed(text);
    let mut warnings = Vec::new();
    let mut latest: Option<serde_json::Error> = None;
    for _ in 0..MAX_REPAIRS {
        let error = latest.as_ref().unwrap_or(&first);
        let offset = offset_of(&bytes, error.line(), error.column());
        let message = error.to_string();
        if message.starts_with("number out of range") {
            let Some(token) = number_around(&bytes, offset) else {
                return Repaired::Unrepairable(first);
            };
            if let Some(field) = property_at(&bytes, token.start) {
                warnings.push(LoadWarning::NumberOutOfRange { field });
            }
            let mut fixed = Vec::with_capacity(bytes.len() + 2);
            fixed.extend_from_slice(&bytes[..token.start]);
            fixed.push(b'"');
            fixed.extend_from_slice(&bytes[token.clone()]);
            fixed.push(b'"');
            fixed.extend_from_slice(&bytes[token.end..]);
            bytes = Cow::Owned(fixed);
        } else if message.starts_with("invalid unicode code point") || message.contains("UTF-8") {
            if std::str::from_utf8(&bytes).is_ok() {
                return Repaired::Unrepairable(first);
            }
            let lossy = String::from_utf8_lossy(&bytes).into_owned().into_bytes();
            bytes = Cow::Owned(lossy);
            // The fields are named once the feature parses.
            warnings.push(LoadWarning::UndecodableText { field: String::new() });
        } else if message.starts_with("recursion limit exceeded") {
            let Some((field, value)) = property_member_at(&bytes, offset) else {
                return Repaired::Skip(SkipReason::Malformed {
                    message: "the geometry is nested deeper than 128 levels".into(),
                });
            };
            warnings.push(LoadWarning::PropertyTooDeep { field });
            let mut fixed = Vec::with_capacity(bytes.len());
            fixed.extend_from_slice(&bytes[..value.start]);
            fixed.extend_from_slice(b"null");
            fixed.extend_from_slice(&bytes[value.end..]);
            bytes = Cow::Owned(fixed);
        } else {
            return Repaired::Unrepairable(first);
        }
        match serde_json::from_slice::<RawObject>(&bytes) {
            Ok(raw) => return Repaired::Parsed(Box::new(raw.with_fields_named(&mut warnings)), warnings),
            Err(e) if e.is_data() => {
                return Repaired::Skip(SkipReason::Malformed { message: e.to_string() });
            }
            Err(e) => latest = Some(e),
        }
    }
    Repaired::Unrepairable(first)
}

impl RawObject {
    /// Names the fields behind a lossy decode: the properties holding U+FFFD.
    fn with_fields_named(self, warnings: &mut Vec<LoadWarning>) -> Self {
        let Some(at) = warnings
            .iter()
            .position(|w| matches!(w, LoadWarning::UndecodableText { field } if field.is_empty()))
        else {
            return self;
        };
        warnings.remove(at);
        let properties = match &self.properties {
            Some(serde_json::Value::Object(map)) => Some(map),
            _ => None,
        };
        let mut named: Vec<String> = properties
            .into_iter()
            .flatten()
            .filter(|(_, v)| v.as_str().is_some_and(|s| s.contains('\u{FFFD}')))
            .map(|(k, _)| k.clone())
            .collect();
        if named.is_empty() {
            named.push("(a member name or value outside the properties)".into());
        }
        warnings.extend(named.into_iter().map(|field| LoadWarning::UndecodableText { field }));
        self
    }
}

/// The byte offset of a 1-based line and column, as serde_json reports them.
fn offset_of(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0usize;
    for _ in 1..line {
        match bytes[start..].iter().position(|&b| b == b'\n') {
            Some(p) => start += p + 1,
            None => break,
        }
    }
    (start + column.saturating_sub(1)).min(bytes.len())
}

/// The number token at or just before `offset`.
fn number_around(bytes: &[u8], offset: usize) -> Option<Range<usize>> {
    let is_number = |b: u8| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E');
    let mut end = offset.min(bytes.len());
    while end < bytes.len() && is_number(bytes[end]) {
        end += 1;
    }
    let mut start = end;
    while start > 0 && is_number(bytes[start - 1]) {
        start -= 1;
    }
    (start < end).then_some(start..end)
}

/// The member of `properties` whose value holds `offset`, with that value's range.
fn property_member_at(bytes: &[u8], offset: usize) -> Option<(String, Range<usize>)> {
    let members = object_members(bytes)?;
    let (_, properties) = members.iter().find(|(k, r)| k == "properties" && r.contains(&offset))?;
    let inner = object_members(&bytes[properties.clone()])?;
    inner.into_iter().find_map(|(key, r)| {
        let r = properties.start + r.start..properties.start + r.end;
        r.contains(&offset).then_some((key, r))
    })
}

/// The name of the property whose value holds `offset`, if it is in the properties.
fn property_at(bytes: &[u8], offset: usize) -> Option<String> {
    property_member_at(bytes, offset).map(|(key, _)| key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repaired(text: &str) -> Repaired {
        let first = serde_json::from_slice::<RawObject>(text.as_bytes()).err().unwrap();
        parse_repaired(text.as_bytes(), first)
    }

    const SQUARE: &str = r#""geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#;

    #[test]
    fn a_huge_coordinate_becomes_infinite_and_a_huge_property_stays_text() {
        let text = r#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1e400,0],[1,1],[0,0]]]}}"#;
        let Repaired::Parsed(raw, warnings) = repaired(text) else {
            panic!("repairable");
        };
        assert!(warnings.is_empty());
        let geometry = raw.geometry.unwrap().unwrap();
        assert!(geometry.coordinates.unwrap().positions[1][0].is_infinite());

        let text = format!(r#"{{"type":"Feature","properties":{{"pop":1e999,"n":2e999}},{SQUARE}}}"#);
        let Repaired::Parsed(raw, warnings) = repaired(&text) else {
            panic!("repairable");
        };
        assert_eq!(raw.properties.unwrap()["pop"], "1e999");
        assert_eq!(
            warnings,
            [
                LoadWarning::NumberOutOfRange { field: "pop".into() },
                LoadWarning::NumberOutOfRange { field: "n".into() }
            ]
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_decode_lossily_with_the_field_named() {
        let mut text = br#"{"type":"Feature","properties":{"name":"caf"#.to_vec();
        text.push(0xE9);
        text.extend(format!(r#"","code":"a"}},{SQUARE}}}"#).as_bytes());
        let first = serde_json::from_slice::<RawObject>(&text).err().unwrap();
        let Repaired::Parsed(raw, warnings) = parse_repaired(&text, first) else {
            panic!("repairable");
        };
        assert_eq!(raw.properties.unwrap()["name"], "caf\u{FFFD}");
        assert_eq!(warnings, [LoadWarning::UndecodableText { field: "name".into() }]);
    }

    #[test]
    fn a_property_nested_too_deep_is_dropped_and_a_deep_geometry_is_a_skip() {
        let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
        let text = format!(r#"{{"type":"Feature","properties":{{"name":"x","tree":{deep}}},{SQUARE}}}"#);
        let Repaired::Parsed(raw, warnings) = repaired(&text) else {
            panic!("repairable");
        };
        let properties = raw.properties.unwrap();
        assert_eq!(properties["name"], "x");
        assert!(properties["tree"].is_null());
        assert_eq!(warnings, [LoadWarning::PropertyTooDeep { field: "tree".into() }]);

        let text =
            format!(r#"{{"type":"Feature","properties":{{}},"geometry":{{"type":"Polygon","coordinates":{deep}}}}}"#);
        assert!(matches!(repaired(&text), Repaired::Skip(SkipReason::Malformed { .. })));
    }

    #[test]
    fn other_faults_are_left_to_the_strict_error() {
        let text = r#"{"type":"Feature","properties":{"a":1 "b":2}}"#;
        assert!(matches!(repaired(text), Repaired::Unrepairable(_)));
    }
}
