//! Readers of the formats other than GeoJSON, and the one pipeline after them: each reader yields
//! a [`SourceLayer`] (flat coordinates in the file's own coordinate system, properties, per-feature
//! skip reasons and warnings); [`districts_from_source`] reprojects to WGS 84, validates rings,
//! orients them and makes districts, the same for every format.

/// District tables as CSV or TSV with a WKT column.
pub mod csv;
/// Delimited text tables as spreadsheets save them.
pub mod csv_table;
/// dBASE tables and their text encodings.
pub mod dbf;
/// FlatGeobuf.
pub mod flatgeobuf;
/// GeoPackage.
pub mod geopackage;
/// KML and KMZ.
pub mod kml;
/// Rings into polygons by containment.
mod rings;
/// Shapefiles: the files that belong together.
pub mod shapefile;
/// The `.shp` geometry.
pub mod shp;
/// A layer's features in the runs its reader filled.
mod source_features;
/// Tables from spreadsheets (xlsx, xls, ods).
pub mod spreadsheet_table;
/// Well-known binary geometry.
pub mod wkb;

use serde_json::{Map, Value};

use super::crs::{CrsDefinition, Reprojector, wgs84};
use super::object::Coordinates;
use super::validate::polygons_from_owned;
use crate::model::{District, FeatureWarning, LoadReport, LoadWarning, SkipReason, SkippedFeature, SourceInfo};
use geo::MultiPolygon;
pub use source_features::SourceFeatures;

/// One feature as its reader found it.
#[derive(Debug)]
pub struct SourceFeature {
    /// Its position in the file (record, row, placemark), 0-based.
    pub index: usize,
    /// The 1-based line it starts on in a text format; 0 when the format has no lines.
    pub line: usize,
    /// Its id in a database (GeoPackage's `fid`).
    pub fid: Option<i64>,
    /// The geometry type found, for the report's counts.
    pub geometry_type: String,
    /// Polygons in the file's coordinate system, or why there are none.
    pub(crate) geometry: Result<Coordinates, SkipReason>,
    /// Every attribute.
    pub properties: Map<String, Value>,
    /// Oddities found while reading it.
    pub warnings: Vec<LoadWarning>,
}

impl SourceFeature {
    /// The feature taken apart: its note (place, geometry type and warnings, nothing skipped
    /// yet), its geometry and its properties.
    pub(crate) fn into_parts(self) -> (FeatureNote, Result<Coordinates, SkipReason>, Map<String, Value>) {
        let note = FeatureNote {
            index: self.index,
            line: self.line,
            fid: self.fid,
            geometry_type: self.geometry_type,
            skipped: None,
            warnings: self.warnings,
        };
        (note, self.geometry, self.properties)
    }
}

/// A layer as its reader found it.
#[derive(Debug)]
pub struct SourceLayer {
    /// The format's name ("Shapefile").
    pub format: &'static str,
    /// The features, in file order.
    pub features: SourceFeatures,
    /// The coordinate system the file names, if it names one.
    pub crs: Option<CrsDefinition>,
    /// The text encoding used and why, when the format has a choice.
    pub encoding: Option<String>,
    /// Things about the whole file worth saying (a table shorter than its header, …).
    pub notes: Vec<String>,
    /// Size of the main file in bytes.
    pub bytes: u64,
}

/// Why a source layer's coordinates cannot be placed.
#[derive(Debug, PartialEq)]
pub enum PlacementError {
    /// No coordinate system, and the coordinates are not longitude/latitude.
    NoCrs {
        /// Range of x.
        x: [f64; 2],
        /// Range of y.
        y: [f64; 2],
    },
    /// The coordinate system cannot be used.
    Crs(String),
}

/// The coordinate system to read `layer` in: `requested`, else the file's, else WGS 84 when every
/// coordinate is in longitude/latitude range (with a note), else an error with the ranges found.
pub fn placement(
    layer: &SourceLayer,
    requested: Option<&CrsDefinition>,
) -> Result<(CrsDefinition, Option<String>), PlacementError> {
    if let Some(crs) = requested {
        return Ok((crs.clone(), None));
    }
    if let Some(crs) = &layer.crs {
        return Ok((crs.clone(), None));
    }
    let mut x = [f64::INFINITY, f64::NEG_INFINITY];
    let mut y = [f64::INFINITY, f64::NEG_INFINITY];
    for c in layer.features.iter().filter_map(|f| f.geometry.as_ref().ok()) {
        for p in c.positions.iter().chain(&c.points).chain(c.lines.iter().flatten()) {
            x = [x[0].min(p[0]), x[1].max(p[0])];
            y = [y[0].min(p[1]), y[1].max(p[1])];
        }
    }
    let lon_lat = x[0] >= -180.0 && x[1] <= 180.0 && y[0] >= -90.0 && y[1] <= 90.0;
    if lon_lat || x[0] > x[1] {
        Ok((
            wgs84(),
            Some("the file names no coordinate system; its coordinates are in longitude/latitude range, so they are read as WGS 84".into()),
        ))
    } else {
        Err(PlacementError::NoCrs { x, y })
    }
}

/// The coordinate system to read `source` in (as [`placement`] finds it) and the report of
/// its load so far: format, coordinate system, encoding and notes. `path` is for messages.
pub(crate) fn placed_report(
    source: &SourceLayer,
    requested: Option<&CrsDefinition>,
    path: &std::path::Path,
) -> Result<(CrsDefinition, LoadReport), crate::io::LoadError> {
    use crate::io::LoadError;
    let (crs, note) = placement(source, requested).map_err(|e| match e {
        PlacementError::NoCrs { x, y } => LoadError::NoCrs {
            x,
            y,
            path: path.to_path_buf(),
        },
        PlacementError::Crs(message) => LoadError::BadCrs {
            message,
            path: path.to_path_buf(),
        },
    })?;
    let report = LoadReport {
        bytes: source.bytes,
        source: SourceInfo {
            format: source.format.to_string(),
            crs: crs.to_string(),
            encoding: source.encoding.clone(),
            notes: source.notes.iter().cloned().chain(note).collect(),
        },
        ..LoadReport::default()
    };
    Ok((crs, report))
}

/// What became of one feature, apart from the item made of it: where it is, its geometry type,
/// why it was skipped (when it was) and its warnings.
#[derive(Debug, Default)]
pub(crate) struct FeatureNote {
    /// Its position in the file, 0-based.
    pub index: usize,
    /// The line it starts on in a text format, else 0.
    pub line: usize,
    /// Its id in a database.
    pub fid: Option<i64>,
    /// The geometry type found.
    pub geometry_type: String,
    /// Why no item was made of it (boxed: a note is made for every feature, a skip for few).
    pub skipped: Option<Box<SkipReason>>,
    /// Oddities found in it.
    pub warnings: Vec<LoadWarning>,
}

/// The item made of a feature (or why none was, which goes into its `note`) split from the
/// note, so that a parallel map can put the items in a vector of their own, which
/// [`kept_items`] keeps.
pub(crate) fn outcome<T>(item: Result<T, SkipReason>, mut note: FeatureNote) -> (Option<T>, FeatureNote) {
    match item {
        Ok(item) => (Some(item), note),
        Err(reason) => {
            note.skipped = Some(Box::new(reason));
            (None, note)
        }
    }
}

/// The items in order, without the skipped ones; counts, warnings and skips from `notes` go
/// into `report`. The items stay in the buffer they were made in: on a big layer a second
/// buffer of them costs more in fresh memory than the work that made them.
pub(crate) fn kept_items<T>(items: Vec<Option<T>>, notes: Vec<FeatureNote>, report: &mut LoadReport) -> Vec<T> {
    report.features_total = notes.len();
    // Counted per run of one geometry type (a layer is mostly one type), not looked up per
    // feature: this loop runs on one core.
    let mut run: Option<(String, usize)> = None;
    for note in notes {
        let FeatureNote {
            index,
            line,
            fid,
            geometry_type,
            skipped,
            warnings,
        } = note;
        match &mut run {
            Some((name, count)) if *name == geometry_type => *count += 1,
            _ => {
                if let Some((name, count)) = run.replace((geometry_type, 1)) {
                    *report.geometry_types.entry(name).or_default() += count;
                }
            }
        }
        report
            .warnings
            .extend(warnings.into_iter().map(|warning| FeatureWarning {
                index,
                line,
                fid,
                warning,
            }));
        if let Some(reason) = skipped {
            report.skipped.push(SkippedFeature {
                index,
                line,
                fid,
                reason: *reason,
            });
        }
    }
    if let Some((name, count)) = run {
        *report.geometry_types.entry(name).or_default() += count;
    }
    // `filter_map` with the identity is collected in place, where `flatten` is not.
    #[allow(clippy::filter_map_identity)]
    items.into_iter().filter_map(|item| item).collect()
}

/// Districts from a source layer: every feature reprojected from `crs` to WGS 84, its rings
/// checked and oriented; skips and warnings go into `report`. Runs on all cores.
pub fn districts_from_source(
    features: SourceFeatures,
    crs: &CrsDefinition,
    report: &mut LoadReport,
) -> Result<Vec<District>, String> {
    let reprojector = Reprojector::new(crs).map_err(|e| e.to_string())?;
    let (items, notes) = features.map_into(|f| {
        let (mut note, geometry, properties) = f.into_parts();
        let district = geometry.and_then(|mut coords| {
            if coords.polygon_ends.is_empty() && !coords.is_empty() {
                return Err(SkipReason::NotPolygon {
                    geometry_type: note.geometry_type.clone(),
                });
            }
            if let Err(position) = reprojector.lon_lat_in_place(&mut coords.positions) {
                return Err(SkipReason::CannotReproject {
                    position,
                    x: coords.positions[position][0],
                    y: coords.positions[position][1],
                });
            }
            let polygons = polygons_from_owned(coords, 0, &mut note.warnings)?;
            District::new(note.index, MultiPolygon::new(polygons), properties).ok_or_else(|| {
                SkipReason::EmptyGeometry {
                    geometry_type: note.geometry_type.clone(),
                }
            })
        });
        outcome(district, note)
    });
    Ok(kept_items(items, notes, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_items_keep_order_report_skips_and_reuse_their_buffer() {
        let (items, notes): (Vec<Option<String>>, Vec<FeatureNote>) = (0..5)
            .map(|i| {
                let item = if i == 2 {
                    Err(SkipReason::NullGeometry)
                } else {
                    Ok(format!("feature {i}"))
                };
                let warnings = if i == 4 {
                    vec![LoadWarning::RingClosed { polygon: 0, ring: 0 }]
                } else {
                    Vec::new()
                };
                let kind = if i == 3 { "MultiPolygon" } else { "Polygon" };
                let note = FeatureNote {
                    index: i,
                    line: i + 10,
                    geometry_type: kind.into(),
                    warnings,
                    ..FeatureNote::default()
                };
                outcome(item, note)
            })
            .unzip();
        let buffer = items.as_ptr() as usize;
        let mut report = LoadReport::default();
        let kept = kept_items(items, notes, &mut report);
        assert_eq!(kept, ["feature 0", "feature 1", "feature 3", "feature 4"]);
        assert_eq!(kept.as_ptr() as usize, buffer, "the items were copied");
        assert_eq!(report.features_total, 5);
        assert_eq!(report.geometry_types["Polygon"], 4);
        assert_eq!(report.geometry_types["MultiPolygon"], 1);
        assert_eq!(report.geometry_types.len(), 2);
        assert_eq!(
            (report.skipped.len(), report.skipped[0].index, report.skipped[0].line),
            (1, 2, 12)
        );
        assert_eq!((report.warnings.len(), report.warnings[0].index), (1, 4));
    }
}
