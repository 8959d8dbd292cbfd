//! A Shapefile as one source layer: the `.shp` geometry, the `.dbf` attributes (decoded as
//! `dbf.rs` decides), the `.prj` coordinate system and the `.cpg` code page, found beside the file
//! given (`.shp`, `.dbf` or `.shx`, any letter case).

use std::path::{Path, PathBuf};

use serde_json::Map;

use super::dbf::read_dbf;
use super::rings::polygons_by_containment;
use super::shp::{Shape, read_shp, shape_type_name};
use super::{SourceFeature, SourceLayer};
use crate::io::LoadError;
use crate::io::crs::crs_from_wkt;
use crate::model::{LoadWarning, SkipReason};

/// The files of one Shapefile.
#[derive(Clone, Debug, PartialEq)]
pub struct ShapefileParts {
    /// The geometry.
    pub shp: PathBuf,
    /// The attributes, when there.
    pub dbf: Option<PathBuf>,
    /// The coordinate system, when there.
    pub prj: Option<PathBuf>,
    /// The code page, when there.
    pub cpg: Option<PathBuf>,
}

/// The Shapefile `path` belongs to: the file itself may be the `.shp`, `.dbf` or `.shx`.
pub fn shapefile_parts(path: &Path) -> Result<ShapefileParts, LoadError> {
    let sibling = |ext: &str| -> Option<PathBuf> {
        let stem = path.file_stem()?;
        let dir = path.parent().unwrap_or(Path::new(""));
        let exact = dir.join(stem).with_extension(ext);
        if exact.exists() {
            return Some(exact);
        }
        // Windows tools write `.SHP`, `.CPG` and the like.
        std::fs::read_dir(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        })
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_stem() == Some(stem)
                && p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| e.eq_ignore_ascii_case(ext))
        })
    };
    let shp = sibling("shp").ok_or_else(|| LoadError::MissingPart {
        part: ".shp",
        path: path.to_path_buf(),
    })?;
    Ok(ShapefileParts {
        shp,
        dbf: sibling("dbf"),
        prj: sibling("prj"),
        cpg: sibling("cpg"),
    })
}

/// Reads the Shapefile `path` belongs to. `encoding` overrides the `.cpg` and the guess.
pub fn read_shapefile(path: &Path, encoding: Option<&'static encoding_rs::Encoding>) -> Result<SourceLayer, LoadError> {
    let parts = shapefile_parts(path)?;
    let read = |p: &Path| {
        std::fs::read(p).map_err(|source| LoadError::Io {
            path: p.to_path_buf(),
            source,
        })
    };
    let shp_bytes = read(&parts.shp)?;
    let shp = read_shp(&shp_bytes).map_err(|e| LoadError::Unreadable {
        message: e.to_string(),
        path: parts.shp.clone(),
    })?;
    let mut notes = Vec::new();
    if let Some(stopped) = &shp.stopped {
        notes.push(format!("the .shp: {stopped}"));
    }
    let table = match &parts.dbf {
        Some(dbf) => {
            let cpg = match &parts.cpg {
                Some(p) => Some(String::from_utf8_lossy(&read(p)?).into_owned()),
                None => None,
            };
            let t = read_dbf(&read(dbf)?, cpg.as_deref(), encoding).map_err(|e| LoadError::Unreadable {
                message: e.to_string(),
                path: dbf.clone(),
            })?;
            if let Some(n) = t.short_by {
                notes.push(format!("the .dbf holds {n} records, fewer than its header says"));
            }
            if t.records.len() != shp.records.len() {
                notes.push(format!(
                    "the .shp has {} records and the .dbf {}; records are paired in order",
                    shp.records.len(),
                    t.records.len()
                ));
            }
            Some(t)
        }
        None => {
            notes.push("no .dbf beside the .shp: the districts have no attributes".into());
            None
        }
    };
    let crs = match &parts.prj {
        Some(p) => {
            let text = String::from_utf8_lossy(&read(p)?).into_owned();
            Some(crs_from_wkt(&text).map_err(|e| LoadError::BadCrs {
                message: e.to_string(),
                path: p.clone(),
            })?)
        }
        None => None,
    };
    let encoding_text = table.as_ref().map(|t| t.encoding.to_string());
    let mut undecodable = table.as_ref().map_or_else(Vec::new, |t| t.undecodable.clone());
    undecodable.sort();
    let mut records = table.map(|t| t.records).unwrap_or_default().into_iter();
    let features = shp
        .records
        .into_iter()
        .enumerate()
        .map(|(index, shape)| {
            let properties = records.next().flatten().unwrap_or_else(Map::new);
            let warnings: Vec<LoadWarning> = undecodable
                .iter()
                .filter(|(r, _)| *r == index)
                .map(|(_, field)| LoadWarning::UndecodableText { field: field.clone() })
                .collect();
            let (geometry_type, geometry) = match shape {
                Ok(Shape::Polygon { parts, points }) => {
                    ("Polygon".to_string(), Ok(polygons_by_containment(&parts, &points)))
                }
                Ok(Shape::Null) => ("null".to_string(), Err(SkipReason::NullGeometry)),
                Ok(Shape::Other(t)) => (
                    shape_type_name(t).to_string(),
                    Err(SkipReason::NotPolygon {
                        geometry_type: shape_type_name(t).to_string(),
                    }),
                ),
                Err(message) => ("invalid".to_string(), Err(SkipReason::Malformed { message })),
            };
            SourceFeature {
                index,
                geometry_type,
                geometry,
                properties,
                warnings,
            }
        })
        .collect();
    Ok(SourceLayer {
        format: "Shapefile",
        features,
        crs,
        encoding: encoding_text,
        notes,
        bytes: shp_bytes.len() as u64,
    })
}
