//! A Shapefile as one source layer: the `.shp` geometry, the `.dbf` attributes (decoded as
//! `dbf.rs` decides), the `.prj` coordinate system and the `.cpg` code page, found beside the file
//! given (`.shp`, `.dbf` or `.shx`, any letter case) or inside a `.zip`, as Shapefiles are mailed.

use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::{Map, Value};

use super::dbf::read_dbf;
use super::rings::{lines_of_parts, polygons_by_containment};
use super::shp::{Shape, read_shp, read_shp_from, shape_type_name};
use super::{SourceFeature, SourceLayer};
use crate::io::LoadError;
use crate::io::crs::crs_from_wkt;
use crate::io::object::Coordinates;
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

/// Where a Shapefile's geometry is read from.
enum ShpSource {
    /// A file in a folder, opened, with its length: read a block at a time, as it can be far
    /// bigger than the memory its shapes need at once.
    File(PathBuf, std::fs::File, u64),
    /// Bytes unpacked from an archive, with the name messages use for them.
    Unpacked(PathBuf, Vec<u8>),
}

/// The bytes of a Shapefile's files, with the names messages use for them.
struct ShapefileBytes {
    shp: ShpSource,
    dbf: Option<(PathBuf, Vec<u8>)>,
    prj: Option<(PathBuf, Vec<u8>)>,
    cpg: Option<Vec<u8>>,
}

/// The files of the Shapefile `path` belongs to, from the folder.
fn from_folder(path: &Path) -> Result<ShapefileBytes, LoadError> {
    let parts = shapefile_parts(path)?;
    let read = |p: &Path| {
        std::fs::read(p).map_err(|source| LoadError::Io {
            path: p.to_path_buf(),
            source,
        })
    };
    let with_name = |p: &Option<PathBuf>| -> Result<Option<(PathBuf, Vec<u8>)>, LoadError> {
        p.as_ref().map(|p| read(p).map(|b| (p.clone(), b))).transpose()
    };
    let io_error = |source| LoadError::Io {
        path: parts.shp.clone(),
        source,
    };
    let file = std::fs::File::open(&parts.shp).map_err(io_error)?;
    let len = file.metadata().map_err(io_error)?.len();
    Ok(ShapefileBytes {
        shp: ShpSource::File(parts.shp.clone(), file, len),
        dbf: with_name(&parts.dbf)?,
        prj: with_name(&parts.prj)?,
        cpg: parts.cpg.as_deref().map(read).transpose()?,
    })
}

/// The files of the Shapefile inside the archive `path`: the one named `layer` (its file name
/// without extension), or the only one.
fn from_zip(path: &Path, layer: Option<&str>) -> Result<ShapefileBytes, LoadError> {
    let unreadable = |message: String| LoadError::Unreadable {
        message,
        path: path.to_path_buf(),
    };
    let file = std::fs::File::open(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| unreadable(format!("not a readable .zip ({e})")))?;
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    let stem_of = |n: &str| n.rsplit_once('.').map_or(n, |(s, _)| s).to_string();
    let shps: Vec<&String> = names
        .iter()
        .filter(|n| n.to_ascii_lowercase().ends_with(".shp") && !n.starts_with("__MACOSX"))
        .collect();
    let chosen = match (layer, shps.as_slice()) {
        (Some(l), _) => shps
            .iter()
            .find(|n| stem_of(n).rsplit('/').next() == Some(l))
            .ok_or_else(|| LoadError::NoSuchLayer {
                layer: l.to_string(),
                layers: layer_names(&shps),
                path: path.to_path_buf(),
            })?,
        (None, [one]) => *one,
        (None, []) => return Err(unreadable("the .zip holds no .shp".into())),
        (None, many) => {
            return Err(LoadError::ChooseLayer {
                layers: layer_names(many),
                path: path.to_path_buf(),
            });
        }
    };
    let stem = stem_of(chosen);
    let mut entry = |ext: &str| -> Result<Option<(PathBuf, Vec<u8>)>, LoadError> {
        let Some(name) = names
            .iter()
            .find(|n| stem_of(n) == stem && n.rsplit('.').next().is_some_and(|e| e.eq_ignore_ascii_case(ext)))
        else {
            return Ok(None);
        };
        let mut bytes = Vec::new();
        archive
            .by_name(name)
            .and_then(|mut f| f.read_to_end(&mut bytes).map_err(Into::into))
            .map_err(|e| unreadable(format!("cannot unpack {name} ({e})")))?;
        Ok(Some((path.join(name), bytes)))
    };
    let (shp_path, shp_bytes) = entry("shp")?.ok_or_else(|| unreadable(format!("cannot find {chosen}")))?;
    Ok(ShapefileBytes {
        shp: ShpSource::Unpacked(shp_path, shp_bytes),
        dbf: entry("dbf")?,
        prj: entry("prj")?,
        cpg: entry("cpg")?.map(|(_, b)| b),
    })
}

/// The layer names of `.shp` entries: their file names without folder or extension.
fn layer_names(shps: &[&String]) -> Vec<String> {
    shps.iter()
        .map(|n| {
            let name = n.rsplit('/').next().unwrap_or(n);
            name.rsplit_once('.').map_or(name, |(s, _)| s).to_string()
        })
        .collect()
}

/// Reads the Shapefile `path` belongs to (or the one inside the `.zip` `path`, `layer` choosing
/// among several). `encoding` overrides the `.cpg` and the guess.
pub fn read_shapefile(
    path: &Path,
    layer: Option<&str>,
    encoding: Option<&'static encoding_rs::Encoding>,
) -> Result<SourceLayer, LoadError> {
    let is_zip = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    let files = if is_zip {
        from_zip(path, layer)?
    } else {
        from_folder(path)?
    };
    let (shp_path, shp_len) = match &files.shp {
        ShpSource::File(p, _, len) => (p.clone(), *len),
        ShpSource::Unpacked(p, bytes) => (p.clone(), bytes.len() as u64),
    };
    let cpg = files.cpg.as_ref().map(|b| String::from_utf8_lossy(b).into_owned());
    // The geometry and the table are independent: read them side by side.
    let (shp, dbf) = rayon::join(
        || match &files.shp {
            ShpSource::File(_, file, len) => read_shp_from(file, *len),
            ShpSource::Unpacked(_, bytes) => read_shp(bytes),
        },
        || {
            files
                .dbf
                .as_ref()
                .map(|(_, bytes)| read_dbf(bytes, cpg.as_deref(), encoding))
        },
    );
    let shp = shp.map_err(|e| LoadError::Unreadable {
        message: e.to_string(),
        path: shp_path.clone(),
    })?;
    let mut notes = Vec::new();
    if let Some(stopped) = &shp.stopped {
        notes.push(format!("the .shp: {stopped}"));
    }
    let table = match (&files.dbf, dbf) {
        (Some((dbf_path, _)), Some(t)) => {
            let t = t.map_err(|e| LoadError::Unreadable {
                message: e.to_string(),
                path: dbf_path.clone(),
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
        _ => {
            notes.push("no .dbf beside the .shp: the districts have no attributes".into());
            None
        }
    };
    let crs = match &files.prj {
        Some((p, bytes)) => Some(
            crs_from_wkt(&String::from_utf8_lossy(bytes)).map_err(|e| LoadError::BadCrs {
                message: e.to_string(),
                path: p.clone(),
            })?,
        ),
        None => None,
    };
    let encoding_text = table.as_ref().map(|t| t.encoding.to_string());
    let mut undecodable = table.as_ref().map_or_else(Vec::new, |t| t.undecodable.clone());
    undecodable.sort();
    let mut properties: Vec<Option<Map<String, Value>>> = table.map(|t| t.records).unwrap_or_default();
    properties.resize(shp.records.len(), None);
    // Each record's undecodable fields, from the sorted list, without a scan per record.
    let mut warnings: Vec<Vec<LoadWarning>> = vec![Vec::new(); shp.records.len()];
    for (r, field) in undecodable {
        if let Some(w) = warnings.get_mut(r) {
            w.push(LoadWarning::UndecodableText { field });
        }
    }
    let features: Vec<SourceFeature> = shp
        .records
        .into_par_iter()
        .zip(properties)
        .zip(warnings)
        .enumerate()
        .map(|(index, ((shape, properties), warnings))| {
            let (geometry_type, geometry) = match shape {
                Ok(Shape::Polygon { parts, points }) => {
                    ("Polygon".to_string(), Ok(polygons_by_containment(&parts, points)))
                }
                Ok(Shape::Lines { parts, points }) => ("PolyLine".to_string(), Ok(lines_of_parts(&parts, &points))),
                Ok(Shape::Points(points)) => {
                    let kind = if points.len() == 1 { "Point" } else { "MultiPoint" };
                    (
                        kind.to_string(),
                        Ok(Coordinates {
                            points,
                            ..Coordinates::default()
                        }),
                    )
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
                line: 0,
                fid: None,
                index,
                geometry_type,
                geometry,
                properties: properties.unwrap_or_default(),
                warnings,
            }
        })
        .collect();
    Ok(SourceLayer {
        format: "Shapefile",
        features: features.into(),
        crs,
        encoding: encoding_text,
        notes,
        bytes: shp_len,
    })
}
