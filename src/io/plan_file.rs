//! The plan file (`.mahalleh`, JSON; documented in docs/plan-format.md): the district layer it
//! works on, the chosen fields, the offices, the radius and the view. Members this build does
//! not know (written by a newer one) are kept through a load and a save.

use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value};

use super::atomic_write::write_atomically;
use crate::model::{
    Basemap, BasemapSource, DistrictsSource, FieldPath, Office, Plan, ReadChoices, ReferenceLayer, TableJoin,
};

/// The schema version this build writes. Files with a higher version are read for the members
/// this build knows; the others are kept as they were when the plan is saved again.
pub const PLAN_SCHEMA_VERSION: u32 = 7;

/// The `format` member of every plan file.
pub const PLAN_FORMAT: &str = "mahalleh-plan";

/// A plan as stored: the plan itself (its districts path resolved against the plan file's
/// folder), the view and what this build could not read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanDocument {
    /// Districts, offices, radius and layout.
    pub plan: Plan,
    /// The map view when saved: centre longitude/latitude and web-map zoom.
    pub view: Option<SavedView>,
    /// The schema version the file was written with (0 for a plan not read from a file).
    pub schema_version: u32,
    /// Members of the file this build does not know, in the file's own nesting (offices matched
    /// by id), written back on save so that an older build does not lose a newer one's data.
    pub unknown: Map<String, Value>,
}

impl PlanDocument {
    /// A document for `plan` and `view` that was not read from a file.
    pub fn new(plan: Plan, view: Option<SavedView>) -> Self {
        Self {
            plan,
            view,
            schema_version: 0,
            unknown: Map::new(),
        }
    }
}

/// A saved map view.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SavedView {
    /// Centre, longitude and latitude in degrees.
    pub center_lon_lat: [f64; 2],
    /// Web-map zoom level.
    pub zoom: f64,
    /// The map's size on screen in points, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_points: Option<[f64; 2]>,
}

/// The map size assumed for a view saved without one, points.
const DEFAULT_VIEW_POINTS: [f64; 2] = [1200.0, 800.0];

impl SavedView {
    /// Web Mercator metres per screen point at this zoom.
    pub fn m_per_point(&self) -> f64 {
        2.0 * std::f64::consts::PI * crate::map::EARTH_RADIUS_M / 256.0 / 2f64.powf(self.zoom)
    }

    /// The Web Mercator box the view showed (a 1200 × 800 point map if its size was not saved).
    ///
    /// ```
    /// let view = mahalleh::io::SavedView { center_lon_lat: [0.0, 0.0], zoom: 0.0, size_points: Some([256.0, 128.0]) };
    /// let [min, max] = view.bbox_m();
    /// assert!((max[0] - min[0] - 2.0 * std::f64::consts::PI * 6_378_137.0).abs() < 1e-6);
    /// assert!((max[1] + min[1]).abs() < 1e-6);
    /// ```
    pub fn bbox_m(&self) -> [[f64; 2]; 2] {
        let [w, h] = self.size_points.unwrap_or(DEFAULT_VIEW_POINTS);
        let [x, y] = crate::map::mercator_from_lon_lat(self.center_lon_lat[0], self.center_lon_lat[1]);
        let [hw, hh] = [w / 2.0 * self.m_per_point(), h / 2.0 * self.m_per_point()];
        [[x - hw, y - hh], [x + hw, y + hh]]
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct FileForm {
    format: String,
    schema_version: u32,
    districts: DistrictsForm,
    radius_m: f64,
    #[serde(default)]
    offices: Vec<Office>,
    #[serde(default)]
    next_office_id: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    view: Option<SavedView>,
    /// Read leniently: a layout this build cannot read must not keep the plan from opening.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    layout: Option<Value>,
    /// Since version 4. Its path relative to the plan file, with `/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    basemap: Option<Basemap>,
    /// Since version 5: reference layers, top first, paths relative to the plan file with `/`.
    /// Each is read leniently: one this build cannot read is left out, the others open.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    layers: Vec<Value>,
    #[serde(default, skip_serializing_if = "is_zero")]
    next_layer_id: u64,
    /// Since version 7: how many of `layers`, from the bottom, are drawn under the districts.
    #[serde(default, skip_serializing_if = "is_zero_count")]
    layers_under_districts: usize,
}

fn is_zero_count(n: &usize) -> bool {
    *n == 0
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(serde::Serialize, serde::Deserialize)]
struct DistrictsForm {
    path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    label_field: Option<FieldPath>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    population_field: Option<FieldPath>,
    #[serde(default, flatten)]
    read: ReadChoices,
    /// Read leniently, as the layout is: a style this build cannot read leaves the districts
    /// plain and is kept for a newer build.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    style: Option<Value>,
    /// Table paths relative to the plan file, with `/`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    joins: Vec<TableJoin>,
    /// The districts are not drawn (written only then; older builds draw them).
    #[serde(default, skip_serializing_if = "is_false")]
    hidden: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Why a plan file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum PlanFileError {
    /// The operating system refused.
    #[error("cannot {action} the plan ({source}): {}", path.display())]
    Io {
        /// "read" or "write".
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// Not a plan file, or damaged.
    #[error("not a mahalleh plan at line {line}, column {column} ({message}): {}", path.display())]
    Invalid {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What was wrong.
        message: String,
        /// The file.
        path: PathBuf,
    },
}

/// Serialises a plan document; the districts path is written relative to the plan file's
/// folder when it can be, and members this build does not know go back where they were.
pub fn plan_to_json(doc: &PlanDocument, plan_path: &Path) -> String {
    let mut value = known_members_json(doc, plan_path);
    merge_unknown(&mut value, &doc.unknown);
    serde_json::to_string_pretty(&Value::Object(value)).unwrap_or_default() + "\n"
}

/// The members this build writes, as a JSON object.
fn known_members_json(doc: &PlanDocument, plan_path: &Path) -> Map<String, Value> {
    let base = plan_path.parent().unwrap_or(Path::new(""));
    let districts = doc.plan.districts.clone().unwrap_or_else(|| DistrictsSource::file(""));
    let form = FileForm {
        format: PLAN_FORMAT.to_string(),
        // A file is never marked older than it was: its newer members are still in it.
        schema_version: PLAN_SCHEMA_VERSION.max(doc.schema_version),
        districts: DistrictsForm {
            path: stored_path(&districts.path, base),
            label_field: districts.label_field,
            population_field: districts.population_field,
            read: districts.read,
            style: districts.style.as_ref().and_then(|s| serde_json::to_value(s).ok()),
            joins: districts
                .joins
                .iter()
                .map(|j| TableJoin {
                    table: stored_path(&j.table, base).into(),
                    ..j.clone()
                })
                .collect(),
            hidden: !districts.visible,
        },
        radius_m: doc.plan.radius_m,
        offices: doc.plan.offices.clone(),
        next_office_id: doc.plan.next_id,
        view: doc.view,
        layout: doc.plan.layout.as_ref().and_then(|l| serde_json::to_value(l).ok()),
        basemap: doc.plan.basemap.as_ref().map(|b| Basemap {
            source: match &b.source {
                BasemapSource::File { path } => BasemapSource::File {
                    path: stored_path(path, base).into(),
                },
                online => online.clone(),
            },
            ..b.clone()
        }),
        layers: doc
            .plan
            .layers
            .iter()
            .filter_map(|l| {
                serde_json::to_value(ReferenceLayer {
                    path: stored_path(&l.path, base).into(),
                    ..l.clone()
                })
                .ok()
            })
            .collect(),
        layers_under_districts: doc.plan.layers_under_districts.min(doc.plan.layers.len()),
        next_layer_id: if doc.plan.layers.is_empty() {
            0
        } else {
            doc.plan.next_layer_id
        },
    };
    match serde_json::to_value(&form) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// Whether `path` names a plan file by its extension (`.mahalleh`, any case), rather than a
/// district, reference or basemap file: how the window, a drop and the verbs tell them apart.
///
/// ```
/// use std::path::Path;
/// assert!(mahalleh::io::is_plan_file(Path::new("طرح یزد.MAHALLEH")));
/// assert!(!mahalleh::io::is_plan_file(Path::new("mahalat.shp")));
/// ```
pub fn is_plan_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("mahalleh"))
}

/// Saves atomically: a crash mid-save leaves the previous file intact.
pub fn save_plan(doc: &PlanDocument, path: &Path) -> Result<(), PlanFileError> {
    write_atomically(path, plan_to_json(doc, path).as_bytes()).map_err(|source| PlanFileError::Io {
        action: "write",
        path: path.into(),
        source,
    })
}

/// Reads a plan; its districts path comes back resolved against the plan file's folder.
pub fn load_plan(path: &Path) -> Result<PlanDocument, PlanFileError> {
    let text = std::fs::read_to_string(path).map_err(|source| PlanFileError::Io {
        action: "read",
        path: path.into(),
        source,
    })?;
    plan_from_json(&text, path)
}

/// Parses plan text; `path` is used to resolve the districts path and in messages.
pub fn plan_from_json(text: &str, path: &Path) -> Result<PlanDocument, PlanFileError> {
    let invalid = |line: usize, column: usize, message: String| PlanFileError::Invalid {
        line,
        column,
        message,
        path: path.into(),
    };
    let raw: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        let message = e.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.clone(), |(m, _)| m.to_string());
        invalid(e.line(), e.column(), message)
    })?;
    let form: FileForm = serde_json::from_value(raw.clone()).map_err(|e| {
        // The text parsed, so the place is the member's, found by parsing the text again.
        let (line, column) = serde_json::from_str::<FileForm>(text.trim_start_matches('\u{feff}'))
            .err()
            .map_or((1, 1), |e| (e.line(), e.column()));
        let message = e.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.clone(), |(m, _)| m.to_string());
        invalid(line, column, message)
    })?;
    if form.format != PLAN_FORMAT {
        return Err(invalid(
            1,
            1,
            format!("format is \"{}\", expected \"{PLAN_FORMAT}\"", form.format),
        ));
    }
    let base = path.parent().unwrap_or(Path::new(""));
    let next_id = form
        .offices
        .iter()
        .map(|o| o.id.0 + 1)
        .max()
        .unwrap_or(1)
        .max(form.next_office_id);
    // Layers this build cannot read are left out; those under the districts are counted among
    // the ones kept.
    let first_under = form.layers.len().saturating_sub(form.layers_under_districts);
    let mut layers_under_districts = 0;
    let layers: Vec<ReferenceLayer> = form
        .layers
        .into_iter()
        .enumerate()
        .filter_map(|(k, v)| {
            let layer = serde_json::from_value::<ReferenceLayer>(v).ok()?;
            layers_under_districts += usize::from(k >= first_under);
            Some(layer)
        })
        .map(|l| ReferenceLayer {
            path: resolve(base, &l.path.to_string_lossy()),
            ..l
        })
        .collect();
    let mut doc = PlanDocument {
        plan: Plan {
            districts: Some(DistrictsSource {
                path: resolve(base, &form.districts.path),
                label_field: form.districts.label_field,
                population_field: form.districts.population_field,
                read: form.districts.read,
                style: form.districts.style.and_then(|v| serde_json::from_value(v).ok()),
                joins: form
                    .districts
                    .joins
                    .into_iter()
                    .map(|j| TableJoin {
                        table: resolve(base, &j.table.to_string_lossy()),
                        ..j
                    })
                    .collect(),
                visible: !form.districts.hidden,
            }),
            offices: form.offices,
            radius_m: form.radius_m,
            next_id,
            layout: form.layout.and_then(|v| serde_json::from_value(v).ok()),
            basemap: form.basemap.map(|b| Basemap {
                source: match b.source {
                    BasemapSource::File { path } => BasemapSource::File {
                        path: resolve(base, &path.to_string_lossy()),
                    },
                    online => online,
                },
                ..b
            }),
            next_layer_id: layers
                .iter()
                .map(|l| l.id.0 + 1)
                .max()
                .unwrap_or(1)
                .max(form.next_layer_id),
            layers_under_districts,
            layers,
        },
        view: form.view,
        schema_version: form.schema_version,
        unknown: Map::new(),
    };
    // Whatever does not survive being read and written again is what this build does not know.
    let known = known_members_json(&doc, path);
    if let Value::Object(raw) = &raw {
        doc.unknown = unknown_members(raw, &known);
    }
    Ok(doc)
}

/// The members of `raw` missing from `known`, recursively; arrays of objects with an `id` are
/// matched by id.
fn unknown_members(raw: &Map<String, Value>, known: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in raw {
        match (value, known.get(key)) {
            (_, None) => {
                out.insert(key.clone(), value.clone());
            }
            (Value::Object(r), Some(Value::Object(k))) => {
                let inner = unknown_members(r, k);
                if !inner.is_empty() {
                    out.insert(key.clone(), Value::Object(inner));
                }
            }
            (Value::Array(r), Some(Value::Array(k))) => {
                let twins = by_id(k);
                let inner: Vec<Value> = r
                    .iter()
                    .filter_map(|item| {
                        let (Value::Object(item), Some(id)) = (item, item.get("id")) else {
                            return None;
                        };
                        let twin = twins.get(&id.to_string())?;
                        let mut extra = unknown_members(item, twin);
                        (!extra.is_empty()).then(|| {
                            extra.insert("id".into(), id.clone());
                            Value::Object(extra)
                        })
                    })
                    .collect();
                if !inner.is_empty() {
                    out.insert(key.clone(), Value::Array(inner));
                }
            }
            _ => {}
        }
    }
    out
}

/// The objects of `items` by their `id` member (as JSON text, so `1` and `"1"` stay apart).
fn by_id(items: &[Value]) -> std::collections::HashMap<String, &Map<String, Value>> {
    items
        .iter()
        .filter_map(|item| match item {
            Value::Object(o) => o.get("id").map(|id| (id.to_string(), o)),
            _ => None,
        })
        .collect()
}

/// Puts `unknown` members back into `value` where it has none of its own; array items are
/// matched by `id` (an office deleted since is not brought back).
fn merge_unknown(value: &mut Map<String, Value>, unknown: &Map<String, Value>) {
    for (key, extra) in unknown {
        match (value.get_mut(key), extra) {
            (None, _) => {
                value.insert(key.clone(), extra.clone());
            }
            (Some(Value::Object(v)), Value::Object(e)) => merge_unknown(v, e),
            (Some(Value::Array(items)), Value::Array(extras)) => {
                let extras = by_id(extras);
                for item in items.iter_mut() {
                    let Value::Object(item) = item else { continue };
                    if let Some(extra) = item.get("id").and_then(|id| extras.get(&id.to_string())) {
                        merge_unknown(item, extra);
                    }
                }
            }
            _ => {}
        }
    }
}

/// A path stored in a plan, against the plan's folder: the real file's path when it exists
/// (no `..` left in it), else the joined path as written.
fn resolve(base: &Path, stored: &str) -> PathBuf {
    let joined = base.join(native_from_stored(stored, cfg!(windows)));
    joined.canonicalize().unwrap_or(joined)
}

/// A stored path in the separators of the system reading it: plans store `/`, which Windows also
/// reads, but a plan written by hand or by an early Windows build may hold `\`, which elsewhere
/// would be part of a file name.
fn native_from_stored(stored: &str, windows: bool) -> String {
    if windows {
        stored.to_string()
    } else {
        stored.replace('\\', "/")
    }
}

/// `target` as the plan stores it: relative to `base` when it can be, with `/` as separator.
fn stored_path(target: &Path, base: &Path) -> String {
    relative_path(target, base).to_string_lossy().replace('\\', "/")
}

/// `target` relative to `base` when both are absolute or both relative; else `target` itself.
fn relative_path(target: &Path, base: &Path) -> PathBuf {
    let (t, b) = (normalise(target), normalise(base));
    if t.is_absolute() != b.is_absolute() {
        return target.to_path_buf();
    }
    let (tc, bc): (Vec<Component>, Vec<Component>) = (t.components().collect(), b.components().collect());
    let common = tc.iter().zip(&bc).take_while(|(a, b)| a == b).count();
    if common == 0 && t.is_absolute() {
        return target.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in common..bc.len() {
        out.push("..");
    }
    for c in &tc[common..] {
        out.push(c.as_os_str());
    }
    out
}

/// Drops `.` components.
fn normalise(p: &Path) -> PathBuf {
    p.components().filter(|c| !matches!(c, Component::CurDir)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OfficeId, OfficeStatus};

    fn doc() -> PlanDocument {
        let mut plan = Plan::default();
        let mut o = Office::proposed(OfficeId(4), "کشتارگاه", [54.3, 31.87]);
        o.status = OfficeStatus::Approved;
        plan.offices.push(o);
        plan.radius_m = 650.0;
        plan.next_id = 9;
        plan.layout = Some(crate::model::layout::Layout {
            title: "دفاتر پیشنهادی حسن‌آباد".into(),
            paper: crate::model::layout::Paper::A2,
            ..crate::model::layout::Layout::default()
        });
        plan.districts = Some(DistrictsSource {
            path: PathBuf::from("/data/yazd/maps/districts.geojson"),
            label_field: Some(FieldPath::new("name")),
            population_field: None,
            read: ReadChoices {
                layer: Some("محله‌ها".into()),
                crs: Some("EPSG:32640".into()),
                encoding: None,
            },
            style: Some(crate::style::ThematicStyle::Graduated(crate::style::Graduated {
                breaks: vec![1000.0, 5000.0],
                ..crate::style::Graduated::new(crate::style::StyleValue::DensityPerKm2)
            })),
            joins: vec![TableJoin {
                key_match: crate::model::KeyMatch::Number,
                ..TableJoin::with_key_text("/data/yazd/census/سرشماری ۱۳۹۵.csv", "code=کد")
            }],
            visible: false,
        });
        plan.basemap = Some(Basemap {
            visible: false,
            districts_opacity: 0.4,
            ..Basemap::file("/data/yazd/tiles/یزد.pmtiles")
        });
        PlanDocument::new(
            plan,
            Some(SavedView {
                center_lon_lat: [54.37, 31.9],
                zoom: 13.5,
                size_points: Some([1100.0, 760.0]),
            }),
        )
    }

    #[test]
    fn round_trip_is_identical() {
        let path = Path::new("/data/yazd/plans/first.mahalleh");
        let text = plan_to_json(&doc(), path);
        assert!(text.contains("\"path\": \"../maps/districts.geojson\""), "{text}");
        assert!(text.contains("\"layer\": \"محله‌ها\""), "{text}");
        assert!(text.contains("\"crs\": \"EPSG:32640\""), "{text}");
        assert!(text.contains("\"table\": \"../census/سرشماری ۱۳۹۵.csv\""), "{text}");
        assert!(text.contains("\"key_match\": \"number\""), "{text}");
        assert!(!text.contains("encoding"), "{text}");
        assert!(text.contains("\"path\": \"../tiles/یزد.pmtiles\""), "{text}");
        let back = plan_from_json(&text, path).unwrap();
        let basemap = back.plan.basemap.as_ref().unwrap();
        assert_eq!(
            basemap.source,
            BasemapSource::File {
                path: "/data/yazd/plans/../tiles/یزد.pmtiles".into()
            }
        );
        assert_eq!((basemap.visible, basemap.districts_opacity), (false, 0.4));
        assert_eq!(
            back.plan.districts.as_ref().unwrap().path,
            Path::new("/data/yazd/plans/../maps/districts.geojson")
        );
        let joins = &back.plan.districts.as_ref().unwrap().joins;
        assert_eq!(joins[0].table, Path::new("/data/yazd/plans/../census/سرشماری ۱۳۹۵.csv"));
        assert_eq!(
            (joins[0].district_key.as_str(), joins[0].table_column()),
            ("code", "کد")
        );
        assert!(back.unknown.is_empty(), "{:?}", back.unknown);
        assert_eq!(plan_to_json(&back, path), text);
        let mut expected = doc().plan;
        expected.districts = back.plan.districts.clone();
        expected.basemap = back.plan.basemap.clone();
        assert_eq!(back.plan, expected);
    }

    #[test]
    fn layers_under_the_districts_stay_there_when_one_cannot_be_read() {
        use crate::model::{Command, LayerId};
        let path = Path::new("/data/yazd/plans/first.mahalleh");
        let mut plan = Plan::default();
        for (id, under_districts) in [(1, false), (2, true), (3, true)] {
            let layer = ReferenceLayer::file(LayerId(id), format!("/data/yazd/maps/{id}.geojson"));
            plan.apply(Command::AddLayer {
                index: 0,
                layer: Box::new(layer),
                under_districts,
            })
            .unwrap();
        }
        let text = plan_to_json(&PlanDocument::new(plan, None), path);
        assert!(text.contains("\"layers_under_districts\": 2"), "{text}");
        let ids = |p: &Plan| p.layers.iter().map(|l| l.id.0).collect::<Vec<_>>();
        let back = plan_from_json(&text, path).unwrap();
        assert_eq!((ids(&back.plan), back.plan.layers_under_districts), (vec![1, 3, 2], 2));
        // The layer just under the districts is one this build cannot read: the other stays under.
        let mut value: Value = serde_json::from_str(&text).unwrap();
        value["layers"][1]["style"] = Value::from("not a style");
        let back = plan_from_json(&value.to_string(), path).unwrap();
        assert_eq!((ids(&back.plan), back.plan.layers_under_districts), (vec![1, 2], 1));
    }

    #[test]
    fn online_basemaps_keep_their_address() {
        let mut d = doc();
        d.plan.basemap = Some(Basemap::online("https://t.example.org/{z}/{x}/{y}.png", "© OSM"));
        let path = Path::new("/data/yazd/plans/first.mahalleh");
        let text = plan_to_json(&d, path);
        assert!(
            text.contains("\"url\": \"https://t.example.org/{z}/{x}/{y}.png\""),
            "{text}"
        );
        let back = plan_from_json(&text, path).unwrap();
        assert_eq!(back.plan.basemap, d.plan.basemap);
    }

    #[test]
    fn newer_versions_and_unknown_members_are_read() {
        let text = r#"{"format":"mahalleh-plan","schema_version":8,"districts":{"path":"d.geojson","colour":"red"},
            "radius_m":800,"offices":[],"coverage_style":{"x":1}}"#;
        let d = plan_from_json(text, Path::new("p.mahalleh")).unwrap();
        assert_eq!((d.schema_version, d.plan.radius_m), (8, 800.0));
    }

    #[test]
    fn members_a_newer_build_wrote_survive_a_load_and_a_save() {
        let text = r#"{"format":"mahalleh-plan","schema_version":9,
            "districts":{"path":"d.geojson","label_field":"name","colour":"red","style":{"kind":"bivariate","x":"pop"}},
            "layers":[{"id":"roads","source":"roads.gpkg"}],
            "radius_m":800,
            "offices":[{"id":1,"name":"a","lon_lat":[54.3,31.9],"photo":"a.jpg"},
                       {"id":2,"name":"b","lon_lat":[54.4,31.9],"photo":"b.jpg","status":"approved"}],
            "next_office_id":3,
            "layout":{"paper":"a3","title":"t","legend_columns":2}}"#;
        let path = Path::new("plans/p.mahalleh");
        let mut d = plan_from_json(text, path).unwrap();
        // Edit what this build knows: rename one office, delete the other, change the title.
        d.plan.offices[0].name = "اسکان".into();
        d.plan.offices.remove(1);
        if let Some(layout) = &mut d.plan.layout {
            layout.title = "عنوان".into();
        }
        let saved: Value = serde_json::from_str(&plan_to_json(&d, path)).unwrap();
        assert_eq!(saved["schema_version"], 9, "never marked older than it was");
        assert_eq!(
            saved["districts"]["style"]["kind"], "bivariate",
            "a style this build cannot read is kept"
        );
        assert_eq!(d.plan.districts.as_ref().unwrap().style, None);
        assert_eq!(saved["layers"][0]["source"], "roads.gpkg");
        assert_eq!(saved["districts"]["colour"], "red");
        assert_eq!(saved["districts"]["label_field"], "name");
        assert_eq!(
            saved["offices"].as_array().unwrap().len(),
            1,
            "a deleted office stays deleted"
        );
        assert_eq!(
            (&saved["offices"][0]["name"], &saved["offices"][0]["photo"]),
            (&Value::from("اسکان"), &Value::from("a.jpg"))
        );
        assert_eq!(
            (&saved["layout"]["title"], &saved["layout"]["legend_columns"]),
            (&Value::from("عنوان"), &Value::from(2))
        );
        // And once more: nothing is doubled or lost.
        let again = plan_from_json(&saved.to_string(), path).unwrap();
        assert_eq!(plan_to_json(&again, path), plan_to_json(&d, path));
    }

    #[test]
    fn a_layout_this_build_cannot_read_is_kept_whole() {
        let text = r#"{"format":"mahalleh-plan","schema_version":2,"districts":{"path":"d.geojson"},
            "radius_m":800,"layout":{"paper":{"roll":{"width_mm":914}},"title":"t"}}"#;
        let path = Path::new("p.mahalleh");
        let d = plan_from_json(text, path).unwrap();
        assert_eq!(d.plan.layout, None);
        let saved: Value = serde_json::from_str(&plan_to_json(&d, path)).unwrap();
        assert_eq!(saved["layout"]["paper"]["roll"]["width_mm"], 914);
    }

    #[test]
    fn damaged_files_name_the_place() {
        let err = plan_from_json(
            "{\"format\": \"mahalleh-plan\",\n \"schema_version\": \"one\"}",
            Path::new("p.mahalleh"),
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("not a mahalleh plan at line 2"), "{err}");
        let err = plan_from_json(
            r#"{"format":"other","schema_version":1,"districts":{"path":"d"},"radius_m":1}"#,
            Path::new("p"),
        )
        .unwrap_err();
        assert!(err.to_string().contains("expected \"mahalleh-plan\""), "{err}");
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_path(Path::new("/a/b/c.geojson"), Path::new("/a/d")),
            Path::new("../b/c.geojson")
        );
        assert_eq!(
            relative_path(Path::new("maps/x.geojson"), Path::new("")),
            Path::new("maps/x.geojson")
        );
        assert_eq!(
            relative_path(Path::new("./maps/x.geojson"), Path::new(".")),
            Path::new("maps/x.geojson")
        );
    }

    #[test]
    fn paths_written_on_windows_open_here() {
        assert_eq!(native_from_stored(r"..\نقشه‌ها\محلات.shp", false), "../نقشه‌ها/محلات.shp");
        assert_eq!(native_from_stored(r"..\نقشه‌ها\محلات.shp", true), r"..\نقشه‌ها\محلات.shp");
        assert_eq!(native_from_stored("maps/x.geojson", false), "maps/x.geojson");
        let dir = std::env::temp_dir().join(format!("mahalleh-plan-paths-{}", std::process::id()));
        let folder = dir.join("نقشه‌ها");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("محلات.geojson"), "{}").unwrap();
        let plans = dir.join("plans");
        std::fs::create_dir_all(&plans).unwrap();
        let found = resolve(&plans, r"..\نقشه‌ها\محلات.geojson");
        assert_eq!(found, folder.join("محلات.geojson").canonicalize().unwrap());
        assert_eq!(
            stored_path(&folder.join("محلات.geojson"), &plans),
            "../نقشه‌ها/محلات.geojson"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
