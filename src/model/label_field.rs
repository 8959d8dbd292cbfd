//! Choosing which property names a district: Persian names first, then English, then anything;
//! among candidates, fields whose values decode cleanly (no U+FFFD) and mostly differ from each
//! other win over broken or repetitive ones. Beside Persian labels, an English name field for
//! the English interface and English layouts.

use std::collections::HashMap;
use std::fmt;

use serde_json::{Map, Value};

use super::FieldPath;
use crate::text::is_mostly_arabic_script;

/// Why a label field was chosen, so the user can be told (and disagree).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelFieldReason {
    /// The caller named the field.
    Requested,
    /// A field named for Persian names (`name:fa`, `name_fa`, ...).
    PersianNameField,
    /// A general name field (`name`, `tags.name`, ...) whose values are mostly Persian.
    PersianNames,
    /// A field named for English names (`name:en`, `name_en`, ...).
    EnglishNameField,
    /// A general name field whose values are not mostly Persian.
    NameField,
    /// No name-like field: the first string property.
    FirstStringProperty,
}

impl fmt::Display for LabelFieldReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Requested => "requested",
            Self::PersianNameField => "Persian name field",
            Self::PersianNames => "name field with Persian names",
            Self::EnglishNameField => "English name field",
            Self::NameField => "name field",
            Self::FirstStringProperty => "first text property",
        })
    }
}

/// The field chosen to label districts, and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LabelField {
    /// Path of the chosen property.
    pub path: FieldPath,
    /// Why it was chosen.
    pub reason: LabelFieldReason,
}

/// How often a string-valued path occurs, for choosing a label field.
#[derive(Default)]
struct PathStats {
    first_seen: usize,
    depth: usize,
    count: usize,
    arabic: usize,
    /// Values holding U+FFFD: text that did not decode, or was cut inside a character.
    broken: usize,
    /// Distinct values seen, by [`crate::text::match_key`].
    distinct: std::collections::HashSet<String>,
}

/// A key that names things: a general name key, or one made with "name" or "mahal"
/// (`NAME_MAHAL`, `nam_mahale`).
fn name_like(key: &str) -> bool {
    NAME_KEYS.contains(&key)
        || key.starts_with("name")
        || key.starts_with("nam_")
        || key.ends_with("_name")
        || key.contains("mahal")
}

const PERSIAN_KEYS: &[&str] = &["name:fa", "name_fa", "namefa", "name-fa", "name_farsi", "نام"];
const ENGLISH_KEYS: &[&str] = &["name:en", "name_en", "nameen", "name-en", "name_eng", "english_name"];
const NAME_KEYS: &[&str] = &["name", "nam", "title", "label", "mahalleh", "mahalle", "district"];

/// At most this many features are looked at when choosing; spread over the whole layer.
const SAMPLE_SIZE: usize = 4000;

/// The fields chosen to name a layer's districts: the label field, and beside Persian labels
/// the English names for the English interface and English layouts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelChoice {
    /// The label field, `None` when no feature has any string property.
    pub label: Option<LabelField>,
    /// A field named for English names (`name_en`, `tags.name:en`, ...) whose values decode
    /// cleanly, are mostly not Persian and fill at least half the districts; `None` when the
    /// labels are already English or no such field exists.
    pub english: Option<FieldPath>,
}

/// Chooses the label field and the English name field for a layer from one sample of its
/// features' properties.
///
/// ```
/// use mahalleh::model::{choose_label_fields, LabelFieldReason};
/// let a = serde_json::json!({"code": "A1", "tags": {"name": "میبد", "name:en": "Meybod"}});
/// let b = serde_json::json!({"code": "A2", "tags": {"name": "اسکان", "name:en": "Eskan"}});
/// let choice = choose_label_fields(&[a.as_object().unwrap(), b.as_object().unwrap()]);
/// let label = choice.label.unwrap();
/// assert_eq!(label.path.as_str(), "tags.name");
/// assert_eq!(label.reason, LabelFieldReason::PersianNames);
/// assert_eq!(choice.english.unwrap().as_str(), "tags.name:en");
/// ```
pub fn choose_label_fields(properties: &[&Map<String, Value>]) -> LabelChoice {
    let (stats, sampled) = sample_stats(properties);
    let label = pick_label(&stats);
    let english = label.as_ref().and_then(|l| pick_english(&stats, sampled, &l.path));
    LabelChoice { label, english }
}

/// The best label field among the sampled paths.
fn pick_label(stats: &HashMap<String, PathStats>) -> Option<LabelField> {
    let mut best: Option<(u8, usize, usize, usize, &String)> = None;
    for (path, s) in stats {
        let last = path.rsplit('.').next().unwrap_or(path).to_lowercase();
        let mostly_persian = s.arabic * 2 >= s.count;
        let distinct = s.distinct.len() * 2 >= s.count;
        let base = if PERSIAN_KEYS.contains(&last.as_str()) {
            0
        } else if name_like(&last) && mostly_persian && distinct {
            1
        } else if ENGLISH_KEYS.contains(&last.as_str()) {
            2
        } else if NAME_KEYS.contains(&last.as_str()) {
            3
        } else {
            4
        };
        // A field with broken text comes after every clean one.
        let tier = if s.broken > 0 { base + 5 } else { base };
        // Lower is better: tier, then most features covered, then shallower, then earlier.
        let key = (tier, usize::MAX - s.count, s.depth, s.first_seen, path);
        if best.as_ref().is_none_or(|b| key < *b) {
            best = Some(key);
        }
    }
    let (tier, _, _, _, path) = best?;
    let reason = match tier % 5 {
        0 => LabelFieldReason::PersianNameField,
        1 => LabelFieldReason::PersianNames,
        2 => LabelFieldReason::EnglishNameField,
        3 => LabelFieldReason::NameField,
        _ => LabelFieldReason::FirstStringProperty,
    };
    Some(LabelField {
        path: FieldPath::new(path.clone()),
        reason,
    })
}

/// The English name field beside the label field `primary`, out of `sampled` features.
fn pick_english(stats: &HashMap<String, PathStats>, sampled: usize, primary: &FieldPath) -> Option<FieldPath> {
    let primary_is_english = stats.get(primary.as_str()).is_some_and(|s| s.arabic * 2 < s.count);
    if primary_is_english {
        return None;
    }
    let mut best: Option<(usize, usize, &String)> = None;
    for (path, s) in stats {
        let last = path.rsplit('.').next().unwrap_or(path).to_lowercase();
        let usable = ENGLISH_KEYS.contains(&last.as_str())
            && path != primary.as_str()
            && s.broken == 0
            && s.arabic * 2 < s.count
            && s.count * 2 >= sampled;
        let key = (usize::MAX - s.count, s.first_seen, path);
        if usable && best.as_ref().is_none_or(|b| key < *b) {
            best = Some(key);
        }
    }
    best.map(|(_, _, path)| FieldPath::new(path.clone()))
}

/// The string-valued paths of a sample of `properties` spread over the whole layer, and how
/// many features the sample holds.
fn sample_stats(properties: &[&Map<String, Value>]) -> (HashMap<String, PathStats>, usize) {
    let step = properties.len().div_ceil(SAMPLE_SIZE).max(1);
    let mut stats: HashMap<String, PathStats> = HashMap::new();
    let mut prefix = String::new();
    let mut sampled = 0;
    for props in properties.iter().step_by(step) {
        collect_string_paths(props, &mut prefix, 0, &mut stats);
        sampled += 1;
    }
    (stats, sampled)
}

fn collect_string_paths(
    map: &Map<String, Value>,
    prefix: &mut String,
    depth: usize,
    stats: &mut HashMap<String, PathStats>,
) {
    for (key, value) in map {
        let len = prefix.len();
        if depth > 0 {
            prefix.push('.');
        }
        prefix.push_str(key);
        match value {
            Value::String(s) if !s.trim().is_empty() => {
                let next = stats.len();
                let entry = stats.entry(prefix.clone()).or_insert_with(|| PathStats {
                    first_seen: next,
                    depth,
                    ..PathStats::default()
                });
                entry.count += 1;
                entry.arabic += usize::from(is_mostly_arabic_script(s));
                entry.broken += usize::from(s.contains('\u{FFFD}'));
                if entry.distinct.len() < SAMPLE_SIZE {
                    entry.distinct.insert(crate::text::match_key(s));
                }
            }
            Value::Object(inner) if depth < 3 => collect_string_paths(inner, prefix, depth + 1, stats),
            _ => {}
        }
        prefix.truncate(len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn english_names_beside_persian_ones_only_when_clean_and_mostly_there() {
        let rows = [
            json!({"name": "اسکان", "tags": {"name:en": "Eskan"}, "name_en": "x"}),
            json!({"name": "حسن‌آباد", "tags": {"name:en": "Hassanabad"}}),
            json!({"name": "کشتارگاه", "tags": {"name:en": "Koshtargah"}}),
        ];
        let maps: Vec<&Map<String, Value>> = rows.iter().filter_map(Value::as_object).collect();
        let english = choose_label_fields(&maps).english;
        assert_eq!(english.as_ref().map(FieldPath::as_str), Some("tags.name:en"));
        // In one district of three: too sparse to label by.
        let sparse: Vec<&Map<String, Value>> = rows.iter().filter_map(Value::as_object).collect();
        let only_first = [sparse[0], sparse[1], sparse[2]].map(|m| {
            let mut m = m.clone();
            m.remove("tags");
            m
        });
        let refs: Vec<&Map<String, Value>> = only_first.iter().collect();
        assert_eq!(choose_label_fields(&refs).english, None);
        // Broken text, or Persian text in an "English" field, is not used.
        let broken = [
            json!({"name": "اسکان", "name_en": "Esk\u{FFFD}"}),
            json!({"name": "میبد", "name_en": "میبد"}),
        ];
        let maps: Vec<&Map<String, Value>> = broken.iter().filter_map(Value::as_object).collect();
        assert_eq!(choose_label_fields(&maps).english, None);
    }

    #[test]
    fn english_labels_need_no_english_names_beside_them() {
        let rows = [
            json!({"name_en": "Eskan", "code": "1"}),
            json!({"name_en": "Meybod", "code": "2"}),
        ];
        let maps: Vec<&Map<String, Value>> = rows.iter().filter_map(Value::as_object).collect();
        let choice = choose_label_fields(&maps);
        assert_eq!(choice.label.map(|l| l.reason), Some(LabelFieldReason::EnglishNameField));
        assert_eq!(choice.english, None);
    }

    fn choose(values: &[Value]) -> Option<LabelField> {
        let maps: Vec<&Map<String, Value>> = values.iter().filter_map(Value::as_object).collect();
        choose_label_fields(&maps).label
    }

    #[test]
    fn persian_field_beats_everything() {
        let c = choose(&[json!({"name_en": "Eskan", "name": "Eskan", "name:fa": "اسکان"})]).unwrap();
        assert_eq!(
            (c.path.as_str(), c.reason),
            ("name:fa", LabelFieldReason::PersianNameField)
        );
    }

    #[test]
    fn english_when_no_persian() {
        let c = choose(&[json!({"code": "x", "name_en": "Eskan", "name": "Eskan"})]).unwrap();
        assert_eq!(
            (c.path.as_str(), c.reason),
            ("name_en", LabelFieldReason::EnglishNameField)
        );
    }

    #[test]
    fn first_string_property_as_last_resort() {
        let c = choose(&[json!({"pop": 3, "code": "A", "zone": "B"})]).unwrap();
        assert_eq!(
            (c.path.as_str(), c.reason),
            ("code", LabelFieldReason::FirstStringProperty)
        );
    }

    #[test]
    fn no_strings_no_field() {
        assert_eq!(choose(&[json!({"pop": 3})]), None);
        assert_eq!(choose(&[]), None);
    }

    #[test]
    fn a_clean_persian_name_field_beats_a_broken_one_and_a_repetitive_one() {
        // As in Tehran's neighbourhood layer: `name` cut inside characters, NAME_MAHAL clean.
        let rows: Vec<Value> = (0..10)
            .map(|k| {
                json!({"NAME_MAHAL": format!("محله {k}"), "name": if k % 3 == 0 { format!("مح\u{FFFD} {k}") } else { format!("محله {k}") },
                       "region": "منطقه ۱"})
            })
            .collect();
        let c = choose(&rows).unwrap();
        assert_eq!(
            (c.path.as_str(), c.reason),
            ("NAME_MAHAL", LabelFieldReason::PersianNames)
        );
    }

    #[test]
    fn wider_coverage_wins_within_a_tier() {
        let c = choose(&[
            json!({"name": "یزد"}),
            json!({"tags": {"name": "میبد"}}),
            json!({"tags": {"name": "اردکان"}}),
        ])
        .unwrap();
        assert_eq!(c.path.as_str(), "tags.name");
    }
}
