//! The plan file (`.mahalleh`, JSON; documented in docs/plan-format.md): the district layer it
//! works on, the chosen fields, the offices, the radius and the view.

use std::path::{Component, Path, PathBuf};

use super::atomic_write::write_atomically;
use crate::model::{FieldPath, Office, Plan};

/// The schema version this build writes. Files with a higher version are read for the members
/// this build knows; unknown members are ignored.
pub const PLAN_SCHEMA_VERSION: u32 = 1;

/// The `format` member of every plan file.
pub const PLAN_FORMAT: &str = "mahalleh-plan";

/// A plan as stored: the plan itself plus where its districts come from and how they were read.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanDocument {
    /// The district layer, absolute or relative to the working directory once loaded.
    pub districts_path: PathBuf,
    /// The label field chosen by the user, if any.
    pub label_field: Option<FieldPath>,
    /// The population field chosen by the user, if any.
    pub population_field: Option<FieldPath>,
    /// Offices and radius.
    pub plan: Plan,
    /// The map view when saved: centre longitude/latitude and web-map zoom.
    pub view: Option<SavedView>,
    /// The schema version the file was written with.
    pub schema_version: u32,
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
    layout: Option<serde_json::Value>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct DistrictsForm {
    path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    label_field: Option<FieldPath>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    population_field: Option<FieldPath>,
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

/// Serialises a plan document; `districts_path` is written relative to the plan file's folder
/// when it can be.
pub fn plan_to_json(doc: &PlanDocument, plan_path: &Path) -> String {
    let base = plan_path.parent().unwrap_or(Path::new(""));
    let form = FileForm {
        format: PLAN_FORMAT.to_string(),
        schema_version: PLAN_SCHEMA_VERSION,
        districts: DistrictsForm {
            path: relative_path(&doc.districts_path, base)
                .to_string_lossy()
                .replace('\\', "/"),
            label_field: doc.label_field.clone(),
            population_field: doc.population_field.clone(),
        },
        radius_m: doc.plan.radius_m,
        offices: doc.plan.offices.clone(),
        next_office_id: doc.plan.next_id,
        view: doc.view,
        layout: doc.plan.layout.as_ref().and_then(|l| serde_json::to_value(l).ok()),
    };
    serde_json::to_string_pretty(&serde_json::to_value(&form).unwrap_or_default()).unwrap_or_default() + "\n"
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
    let form: FileForm = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        let message = e.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.clone(), |(m, _)| m.to_string());
        invalid(e.line(), e.column(), message)
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
    Ok(PlanDocument {
        districts_path: base.join(&form.districts.path),
        label_field: form.districts.label_field,
        population_field: form.districts.population_field,
        plan: Plan {
            offices: form.offices,
            radius_m: form.radius_m,
            next_id,
            layout: form.layout.and_then(|v| serde_json::from_value(v).ok()),
        },
        view: form.view,
        schema_version: form.schema_version,
    })
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
        PlanDocument {
            districts_path: PathBuf::from("/data/yazd/maps/districts.geojson"),
            label_field: Some(FieldPath::new("name")),
            population_field: None,
            plan,
            view: Some(SavedView {
                center_lon_lat: [54.37, 31.9],
                zoom: 13.5,
                size_points: Some([1100.0, 760.0]),
            }),
            schema_version: PLAN_SCHEMA_VERSION,
        }
    }

    #[test]
    fn round_trip_is_identical() {
        let path = Path::new("/data/yazd/plans/first.mahalleh");
        let text = plan_to_json(&doc(), path);
        assert!(text.contains("\"path\": \"../maps/districts.geojson\""), "{text}");
        let back = plan_from_json(&text, path).unwrap();
        assert_eq!(
            back.districts_path,
            Path::new("/data/yazd/plans/../maps/districts.geojson")
        );
        assert_eq!(plan_to_json(&back, path), text);
        assert_eq!(back.plan, doc().plan);
    }

    #[test]
    fn newer_versions_and_unknown_members_are_read() {
        let text = r#"{"format":"mahalleh-plan","schema_version":7,"districts":{"path":"d.geojson","colour":"red"},
            "radius_m":800,"offices":[],"coverage_style":{"x":1}}"#;
        let d = plan_from_json(text, Path::new("p.mahalleh")).unwrap();
        assert_eq!((d.schema_version, d.plan.radius_m), (7, 800.0));
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
}
