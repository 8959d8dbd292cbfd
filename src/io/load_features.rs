//! Loading a reference layer: any file the districts can come from, with points and lines kept
//! as well as polygons. Every format yields a `SourceLayer` (GeoJSON through the `geojson`
//! crate here: reference layers are small next to district layers, and they need every geometry
//! type), and one pipeline reprojects it to WGS 84, checks it and orients rings; bad features are
//! skipped and reported, never fatal.

use std::path::Path;

use geo::{LineString, MultiPolygon};
use geojson::{GeoJson, GeometryValue};

use super::LoadOptions;
use super::crs::{CrsDefinition, Reprojector, crs_of_member};
use super::error::LoadError;
use super::load::SourceFormat;
use super::object::Coordinates;
use super::read::csv::read_csv;
use super::read::flatgeobuf::read_flatgeobuf;
use super::read::geopackage::read_geopackage_any;
use super::read::kml::read_kml;
use super::read::shapefile::read_shapefile;
use super::read::{SourceFeature, SourceLayer, kept_items, outcome, placed_report};
use super::validate::polygons_from;
use crate::model::Feature;
use crate::model::{LoadWarning, SkipReason, orient_rings};
use crate::workspace::FeatureLayer;

/// Reads the reference layer in `path` (any format [`SourceFormat::of`] knows) with the layer,
/// coordinate system and encoding of `options`.
///
/// ```no_run
/// use mahalleh::io::{load_feature_layer, LoadOptions};
/// let roads = load_feature_layer("roads.gpkg".as_ref(), &LoadOptions::default())?;
/// println!("{} roads", roads.features.len());
/// # Ok::<(), mahalleh::io::LoadError>(())
/// ```
pub fn load_feature_layer(path: &Path, options: &LoadOptions) -> Result<FeatureLayer, LoadError> {
    let source = match SourceFormat::of(path) {
        SourceFormat::GeoJson => read_geojson(path)?,
        SourceFormat::Shapefile => read_shapefile(path, options.layer.as_deref(), options.encoding)?,
        SourceFormat::Kml => read_kml(path, options.layer.as_deref())?,
        SourceFormat::Csv => read_csv(path, options.encoding)?,
        SourceFormat::FlatGeobuf => read_flatgeobuf(path)?,
        SourceFormat::GeoPackage => read_geopackage_any(path, options.layer.as_deref())?,
    };
    feature_layer_from_source(source, path, options.crs.as_ref())
}

/// The layer of `source`, read from `path`, reprojected from `requested` (else the file's own
/// coordinate system, else WGS 84 when the coordinates are longitude/latitude).
pub fn feature_layer_from_source(
    source: SourceLayer,
    path: &Path,
    requested: Option<&CrsDefinition>,
) -> Result<FeatureLayer, LoadError> {
    let (crs, mut report) = placed_report(&source, requested, path)?;
    let reprojector = Reprojector::new(&crs).map_err(|e| LoadError::BadCrs {
        message: e.to_string(),
        path: path.to_path_buf(),
    })?;
    let (items, notes) = source.features.map_into(|f| {
        let (mut note, geometry, properties) = f.into_parts();
        let feature =
            geometry.and_then(|coords| feature_from(coords, &reprojector, note.index, properties, &mut note.warnings));
        outcome(feature, note)
    });
    let features = kept_items(items, notes, &mut report);
    if features.is_empty() {
        return Err(LoadError::NoFeatures {
            features: report.features_total,
            skipped: report.skipped.len(),
            first_reason: report.skipped.first().map(|s| s.reason.to_string()),
            path: path.to_path_buf(),
        });
    }
    Ok(FeatureLayer::new(path.to_path_buf(), features, report))
}

/// One feature in longitude/latitude, or why it cannot be drawn.
fn feature_from(
    mut coords: Coordinates,
    reprojector: &Reprojector,
    file_index: usize,
    properties: serde_json::Map<String, serde_json::Value>,
    warnings: &mut Vec<LoadWarning>,
) -> Result<Feature, SkipReason> {
    let reproject = |positions: &mut Vec<[f64; 2]>| {
        if let Some(position) = positions.iter().position(|p| !(p[0].is_finite() && p[1].is_finite())) {
            return Err(SkipReason::Malformed {
                message: format!("position {position} is not a finite number"),
            });
        }
        let before = positions.clone();
        reprojector
            .lon_lat_in_place(positions)
            .map_err(|position| SkipReason::CannotReproject {
                position,
                x: before[position][0],
                y: before[position][1],
            })?;
        match positions
            .iter()
            .position(|p| !(p[0].abs() <= 180.0 && p[1].abs() <= 90.0))
        {
            Some(position) => Err(SkipReason::Malformed {
                message: format!(
                    "position {position} ({}, {}) is outside longitude -180..180 / latitude -90..90",
                    positions[position][0], positions[position][1]
                ),
            }),
            None => Ok(()),
        }
    };
    reproject(&mut coords.positions)?;
    reproject(&mut coords.points)?;
    for line in &mut coords.lines {
        reproject(line)?;
    }
    let mut polygons = MultiPolygon::new(polygons_from(&coords, 0, warnings)?);
    orient_rings(&mut polygons);
    let feature = Feature {
        file_index,
        points: coords.points,
        lines: coords.lines.into_iter().map(LineString::from).collect(),
        polygons,
        properties,
    };
    if feature.points.is_empty() && feature.lines.is_empty() && feature.polygons.0.is_empty() {
        return Err(SkipReason::EmptyGeometry {
            geometry_type: "geometry".into(),
        });
    }
    Ok(feature)
}

/// A GeoJSON file as a source layer: a FeatureCollection, a single Feature or a bare geometry.
fn read_geojson(path: &Path) -> Result<SourceLayer, LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        source,
        path: path.to_path_buf(),
    })?;
    let unreadable = |message: String| LoadError::Unreadable {
        message,
        path: path.to_path_buf(),
    };
    let text = std::str::from_utf8(&bytes).map_err(|e| unreadable(format!("not UTF-8 text ({e})")))?;
    let document: GeoJson = text
        .trim_start_matches('\u{feff}')
        .parse()
        .map_err(|e| unreadable(format!("not GeoJSON ({e})")))?;
    let (features, crs_member) = match document {
        GeoJson::FeatureCollection(fc) => {
            let crs = fc.foreign_members.as_ref().and_then(|m| m.get("crs").cloned());
            (fc.features, crs)
        }
        GeoJson::Feature(f) => (vec![f], None),
        GeoJson::Geometry(g) => (vec![geojson::Feature::from(g)], None),
    };
    let crs = match crs_member {
        Some(member) => crs_of_member(&member).map_err(|c| LoadError::UnsupportedCrs {
            crs: c,
            path: path.to_path_buf(),
        })?,
        None => None,
    };
    let features: Vec<SourceFeature> = features
        .into_iter()
        .enumerate()
        .map(|(index, f)| {
            let (geometry_type, geometry) = match &f.geometry {
                None => ("null".to_string(), Err(SkipReason::NullGeometry)),
                Some(g) => {
                    let mut out = Coordinates {
                        height: Some(3),
                        ..Coordinates::default()
                    };
                    add_geojson(&g.value, &mut out);
                    let kind = geometry_name(&g.value).to_string();
                    if out.is_empty() {
                        (kind.clone(), Err(SkipReason::EmptyGeometry { geometry_type: kind }))
                    } else {
                        (kind, Ok(out))
                    }
                }
            };
            SourceFeature {
                index,
                line: 0,
                fid: None,
                geometry_type,
                geometry,
                properties: f.properties.unwrap_or_default(),
                warnings: Vec::new(),
            }
        })
        .collect();
    Ok(SourceLayer {
        format: "GeoJSON",
        features: features.into(),
        crs,
        encoding: None,
        notes: Vec::new(),
        bytes: bytes.len() as u64,
    })
}

fn geometry_name(g: &GeometryValue) -> &'static str {
    match g {
        GeometryValue::Point { .. } => "Point",
        GeometryValue::MultiPoint { .. } => "MultiPoint",
        GeometryValue::LineString { .. } => "LineString",
        GeometryValue::MultiLineString { .. } => "MultiLineString",
        GeometryValue::Polygon { .. } => "Polygon",
        GeometryValue::MultiPolygon { .. } => "MultiPolygon",
        GeometryValue::GeometryCollection { .. } => "GeometryCollection",
    }
}

fn add_geojson(g: &GeometryValue, out: &mut Coordinates) {
    let xy = |p: &geojson::Position| {
        let s = p.as_slice();
        [
            s.first().copied().unwrap_or(f64::NAN),
            s.get(1).copied().unwrap_or(f64::NAN),
        ]
    };
    let polygon = |rings: &[Vec<geojson::Position>], out: &mut Coordinates| {
        let non_empty: Vec<_> = rings.iter().filter(|r| !r.is_empty()).collect();
        if non_empty.is_empty() {
            return;
        }
        for ring in non_empty {
            out.positions.extend(ring.iter().map(xy));
            out.ring_ends.push(out.positions.len());
        }
        out.polygon_ends.push(out.ring_ends.len());
    };
    match g {
        GeometryValue::Point { coordinates } => out.points.push(xy(coordinates)),
        GeometryValue::MultiPoint { coordinates } => out.points.extend(coordinates.iter().map(xy)),
        GeometryValue::LineString { coordinates } => out.lines.push(coordinates.iter().map(xy).collect()),
        GeometryValue::MultiLineString { coordinates } => {
            out.lines.extend(coordinates.iter().map(|l| l.iter().map(xy).collect()))
        }
        GeometryValue::Polygon { coordinates } => polygon(coordinates, out),
        GeometryValue::MultiPolygon { coordinates } => {
            for p in coordinates {
                polygon(p, out);
            }
        }
        GeometryValue::GeometryCollection { geometries } => {
            for member in geometries {
                add_geojson(&member.value, out);
            }
        }
    }
    out.lines.retain(|l| l.len() >= 2);
}
