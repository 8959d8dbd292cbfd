//! Loading a district layer: GeoJSON is read, scanned, parsed and validated on all cores (the fast
//! path); other formats go through their reader and the shared reprojection pipeline
//! (`read/`). Then, for every format, the label field is chosen and the layer indexed and
//! prepared for drawing. Reports progress and can be cancelled; bad features are skipped and
//! reported, never fatal.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use serde_json::Value;

use super::crs::{CrsDefinition, Reprojector, crs_of_member};
use super::error::LoadError;
use super::feature::{FeatureOutcome, district_from};
use super::object::RawObject;
use super::read::csv::read_csv;
use super::read::flatgeobuf::read_flatgeobuf;
use super::read::geopackage::read_geopackage;
use super::read::kml::read_kml;
use super::read::shapefile::read_shapefile;
use super::read::{SourceLayer, districts_from_source, placed_report};
use super::repair::{Repaired, parse_repaired};
use super::scan::{ScanErrorKind, line_column, lines_of_sorted, scan_document};
use crate::index::DistrictIndex;
use crate::map::LayerDrawing;
use crate::model::{
    District, FailedJoin, FeatureWarning, FieldPath, LabelField, LabelFieldReason, LoadReport, LoadStage,
    SkippedFeature, SourceInfo, TableJoin, choose_label_fields,
};
use crate::workspace::DistrictLayer;

/// Choices the caller can make about a load.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Label districts with this property instead of choosing one.
    pub label_field: Option<FieldPath>,
    /// Read the coordinates in this system, whatever the file says (`--crs`).
    pub crs: Option<CrsDefinition>,
    /// Decode attribute text with this encoding, whatever the file says (`--encoding`).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The layer to read from a file that holds several: a Shapefile in a `.zip`, a KML folder.
    pub layer: Option<String>,
    /// Leave the drawing data (triangles, outlines, label anchors) to be built when something
    /// first draws the layer: for verbs that draw nothing (`locate`, `coverage`, `suggest`,
    /// `convert`).
    pub skip_drawing: bool,
    /// Tables to join to the districts before anything else sees them; one that cannot be
    /// joined is reported in [`LoadReport::failed_joins`] and the layer loads without it.
    pub joins: Vec<TableJoin>,
}

/// The formats a district layer is read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceFormat {
    /// GeoJSON (RFC 7946, and the 2008 form with a `crs` member).
    GeoJson,
    /// An Esri Shapefile (`.shp` with `.dbf`, `.prj`, `.cpg`), or a `.zip` holding one.
    Shapefile,
    /// KML from Google Earth, or a `.kmz` holding it.
    Kml,
    /// A CSV or TSV table with a WKT column.
    Csv,
    /// FlatGeobuf.
    FlatGeobuf,
    /// A GeoPackage (one of its polygon layers).
    GeoPackage,
}

impl SourceFormat {
    /// The format of `path`, by its extension and, failing that, its first bytes.
    pub fn of(path: &Path) -> Self {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        match ext.as_str() {
            "shp" | "shx" | "dbf" | "zip" => Self::Shapefile,
            "kml" | "kmz" => Self::Kml,
            "csv" | "tsv" | "tab" | "txt" => Self::Csv,
            "fgb" => Self::FlatGeobuf,
            "gpkg" => Self::GeoPackage,
            _ => {
                let mut head = [0u8; 4];
                let read = std::fs::File::open(path)
                    .and_then(|mut f| f.read_exact(&mut head))
                    .is_ok();
                match head {
                    _ if !read => Self::GeoJson,
                    _ if i32::from_be_bytes(head) == 9994 => Self::Shapefile,
                    [b'f', b'g', b'b', _] => Self::FlatGeobuf,
                    [b'S', b'Q', b'L', b'i'] => Self::GeoPackage,
                    _ => Self::GeoJson,
                }
            }
        }
    }
}

/// How far a load has come, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LoadProgress {
    /// The stage under way.
    pub stage: LoadStage,
    /// Units done in this stage: bytes for reading and parsing, districts for preparing.
    pub done: u64,
    /// Units in this stage.
    pub total: u64,
}

/// A progress callback for callers that want none: it never cancels.
pub fn no_progress(_: LoadProgress) -> bool {
    true
}

/// The UTF-8 byte-order mark, which some Windows tools write and which JSON does not allow.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads `path` as a district layer. `progress` is called from worker threads now and then and
/// returns false to cancel the load.
///
/// ```no_run
/// use mahalleh::io::{load_district_layer, no_progress, LoadOptions};
/// let layer = load_district_layer("maps/yazd-neighbourhoods.geojson".as_ref(), &LoadOptions::default(), &no_progress)?;
/// println!("{} districts", layer.districts.len());
/// # Ok::<(), mahalleh::io::LoadError>(())
/// ```
pub fn load_district_layer(
    path: &Path,
    options: &LoadOptions,
    progress: &(dyn Fn(LoadProgress) -> bool + Sync),
) -> Result<DistrictLayer, LoadError> {
    match SourceFormat::of(path) {
        SourceFormat::GeoJson => {}
        SourceFormat::Shapefile => {
            let read = || read_shapefile(path, options.layer.as_deref(), options.encoding);
            return load_source(read, path, options, progress);
        }
        SourceFormat::Kml => {
            let read = || read_kml(path, options.layer.as_deref());
            return load_source(read, path, options, progress);
        }
        SourceFormat::Csv => return load_source(|| read_csv(path, options.encoding), path, options, progress),
        SourceFormat::FlatGeobuf => return load_source(|| read_flatgeobuf(path), path, options, progress),
        SourceFormat::GeoPackage => {
            let read = || read_geopackage(path, options.layer.as_deref());
            return load_source(read, path, options, progress);
        }
    }
    let started = Instant::now();
    let bytes = read_with_progress(path, progress)?;
    let read_ms = ms_since(started);
    let (districts, mut report) = geojson_districts(&bytes, path, options, progress)?;
    // The text is as big as the file; indexing and drawing go on without it.
    drop(bytes);
    report.timings_ms.insert(LoadStage::Read, read_ms);
    finish_layer(districts, report, options, path.to_path_buf(), progress)
}

/// Reads a district layer from GeoJSON text already in memory; `path` is used in messages.
pub fn load_district_layer_from_bytes(
    bytes: &[u8],
    path: &Path,
    options: &LoadOptions,
    progress: &(dyn Fn(LoadProgress) -> bool + Sync),
) -> Result<DistrictLayer, LoadError> {
    let (districts, report) = geojson_districts(bytes, path, options, progress)?;
    finish_layer(districts, report, options, path.to_path_buf(), progress)
}

/// The districts of a GeoJSON text and the report so far: everything before indexing and
/// drawing, which no longer need the text.
fn geojson_districts(
    bytes: &[u8],
    path: &Path,
    options: &LoadOptions,
    progress: &(dyn Fn(LoadProgress) -> bool + Sync),
) -> Result<(Vec<District>, LoadReport), LoadError> {
    let file_bytes = bytes.len() as u64;
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let path_buf = path.to_path_buf();
    let mut report = LoadReport {
        bytes: file_bytes,
        source: SourceInfo {
            format: "GeoJSON".into(),
            crs: "WGS 84 longitude/latitude (GeoJSON)".into(),
            ..SourceInfo::default()
        },
        ..LoadReport::default()
    };

    let t = Instant::now();
    let doc = scan_document(bytes).map_err(|e| {
        let (line, column) = line_column(bytes, e.offset);
        let path = path_buf.clone();
        match e.kind {
            ScanErrorKind::Empty => LoadError::Empty { path },
            ScanErrorKind::Truncated { feature } => LoadError::Truncated {
                path,
                line,
                offset: e.offset,
                feature,
            },
            ScanErrorKind::Unexpected { expected, found } => LoadError::Syntax {
                path,
                line,
                column,
                offset: e.offset,
                message: format!("expected {expected}, found {}", describe_byte(found)),
            },
            ScanErrorKind::BadKey => LoadError::Syntax {
                path,
                line,
                column,
                offset: e.offset,
                message: "a member name is not valid text".into(),
            },
            ScanErrorKind::TrailingText => LoadError::Syntax {
                path,
                line,
                column,
                offset: e.offset,
                message: "text after the end of the GeoJSON object".into(),
            },
            ScanErrorKind::FeaturesNotArray { found } => LoadError::NotGeoJson {
                found: format!("features must be an array, found {found} at line {line}, column {column}"),
                path,
            },
        }
    })?;
    report.timings_ms.insert(LoadStage::Scan, ms_since(t));

    // The file's own system (the 2008 `crs` member), unless the caller named one.
    let mut file_crs = None;
    if let Some(range) = doc.crs.clone() {
        let crs: Value = serde_json::from_slice(&bytes[range.clone()])
            .map_err(|e| syntax_error(bytes, range.start, &e, &path_buf))?;
        file_crs = crs_of_member(&crs).or_else(|crs| match options.crs {
            Some(_) => Ok(None),
            None => Err(LoadError::UnsupportedCrs {
                crs,
                path: path_buf.clone(),
            }),
        })?;
    }
    let crs = options.crs.clone().or(file_crs);
    let reprojector = match &crs {
        None => None,
        Some(crs) => {
            report.source.crs = crs.to_string();
            let reprojector = Reprojector::new(crs).map_err(|e| LoadError::BadCrs {
                message: e.to_string(),
                path: path_buf.clone(),
            })?;
            (!reprojector.is_identity()).then_some(reprojector)
        }
    };
    check_document_type(
        doc.type_name.as_deref(),
        doc.is_collection,
        doc.objects.is_empty(),
        &path_buf,
    )?;
    report.features_total = doc.objects.len();

    let t = Instant::now();
    let outcomes = parse_features(bytes, &doc.objects, doc.is_collection, reprojector.as_ref(), progress)
        .ok_or_else(|| LoadError::Cancelled { path: path_buf.clone() })?;
    let mut districts = Vec::with_capacity(outcomes.len());
    let mut noted_offsets = Vec::new();
    for (index, outcome) in outcomes.into_iter().enumerate() {
        let start = doc.objects[index].start;
        let outcome = outcome.map_err(|(offset, e)| syntax_error(bytes, offset, &e, &path_buf))?;
        *report.geometry_types.entry(outcome.geometry_type).or_default() += 1;
        if !outcome.warnings.is_empty() {
            noted_offsets.push(start);
        }
        report
            .warnings
            .extend(outcome.warnings.into_iter().map(|warning| FeatureWarning {
                index,
                line: 0,
                fid: None,
                warning,
            }));
        match outcome.district {
            Ok(d) => districts.push(d),
            Err(reason) => {
                noted_offsets.push(start);
                report.skipped.push(SkippedFeature {
                    index,
                    line: 0,
                    fid: None,
                    reason,
                });
            }
        }
    }
    fill_lines(bytes, &doc.objects, &mut report, &mut noted_offsets);
    report.timings_ms.insert(LoadStage::Parse, ms_since(t));
    if districts.is_empty() && crs.is_none() && looks_projected(&report.skipped) {
        let (x, y) = coordinate_ranges(bytes, &doc.objects);
        return Err(LoadError::NoCrs { x, y, path: path_buf });
    }
    Ok((districts, report))
}

/// True when most features were skipped for coordinates outside longitude/latitude range: the
/// file is most likely projected and names no system.
fn looks_projected(skipped: &[SkippedFeature]) -> bool {
    let out_of_range = skipped
        .iter()
        .filter(|s| matches!(s.reason, crate::model::SkipReason::OutOfRange { .. }))
        .count();
    out_of_range > 0 && out_of_range * 2 > skipped.len()
}

/// The ranges of x and y over every feature's coordinates, parsed again: only for the message
/// of a file that could not be placed, so the second pass costs nothing in a good load.
fn coordinate_ranges(bytes: &[u8], objects: &[std::ops::Range<usize>]) -> ([f64; 2], [f64; 2]) {
    fn visit(raw: &RawObject, x: &mut [f64; 2], y: &mut [f64; 2]) {
        for p in raw.coordinates.iter().flat_map(|c| &c.positions) {
            *x = [x[0].min(p[0]), x[1].max(p[0])];
            *y = [y[0].min(p[1]), y[1].max(p[1])];
        }
        for member in raw
            .geometry
            .iter()
            .flatten()
            .map(|g| &**g)
            .chain(raw.geometries.iter().flatten())
        {
            visit(member, x, y);
        }
    }
    let mut x = [f64::INFINITY, f64::NEG_INFINITY];
    let mut y = [f64::INFINITY, f64::NEG_INFINITY];
    for range in objects {
        if let Ok(raw) = serde_json::from_slice::<RawObject>(&bytes[range.clone()]) {
            visit(&raw, &mut x, &mut y);
        }
    }
    (x, y)
}

/// A layer read by `read` (any format but GeoJSON) through the shared pipeline.
fn load_source(
    read: impl FnOnce() -> Result<SourceLayer, LoadError>,
    path: &Path,
    options: &LoadOptions,
    progress: &(dyn Fn(LoadProgress) -> bool + Sync),
) -> Result<DistrictLayer, LoadError> {
    let t = Instant::now();
    let source = read()?;
    let read_ms = ms_since(t);
    if !progress(LoadProgress {
        stage: LoadStage::Parse,
        done: 0,
        total: 1,
    }) {
        return Err(LoadError::Cancelled {
            path: path.to_path_buf(),
        });
    }
    let t = Instant::now();
    let (crs, mut report) = placed_report(&source, options.crs.as_ref(), path)?;
    let districts = districts_from_source(source.features, &crs, &mut report).map_err(|message| LoadError::BadCrs {
        message,
        path: path.to_path_buf(),
    })?;
    report.timings_ms.insert(LoadStage::Read, read_ms);
    report.timings_ms.insert(LoadStage::Parse, ms_since(t));
    finish_layer(districts, report, options, path.to_path_buf(), progress)
}

/// The part of a load every format shares: the label field, the index and the drawing data.
fn finish_layer(
    mut districts: Vec<District>,
    mut report: LoadReport,
    options: &LoadOptions,
    path_buf: PathBuf,
    progress: &(dyn Fn(LoadProgress) -> bool + Sync),
) -> Result<DistrictLayer, LoadError> {
    if districts.is_empty() {
        return Err(LoadError::NoDistricts {
            features: report.features_total,
            skipped: report.skipped.len(),
            first_reason: report
                .skipped
                .first()
                .map(|s| format!("feature {}: {}", s.index, s.reason)),
            path: path_buf,
        });
    }

    // The label field is chosen among the file's own fields: a joined table's name column
    // must not take over the labels (districts without a row would have none).
    // So are English names for the English interface, beside automatically chosen labels (a
    // label field the user named is used in both languages).
    let automatic_label = options.label_field.is_none().then(|| {
        let props: Vec<_> = districts.iter().map(|d| &d.properties).collect();
        choose_label_fields(&props)
    });
    for join in &options.joins {
        match super::apply_join(&mut districts, join) {
            Ok(joined) => report.joins.push(joined),
            Err(e) => report.failed_joins.push(FailedJoin {
                table: join.table.clone(),
                message: e.to_string(),
            }),
        }
    }

    let props: Vec<_> = districts.iter().map(|d| &d.properties).collect();
    report.label_field = match &options.label_field {
        Some(path) if props.iter().any(|p| path.value_in(p).is_some()) => Some(LabelField {
            path: path.clone(),
            reason: LabelFieldReason::Requested,
        }),
        Some(path) => {
            let mut available: Vec<String> = props.iter().flat_map(|p| p.keys().cloned()).collect();
            available.sort();
            available.dedup();
            return Err(LoadError::NoSuchField {
                field: path.to_string(),
                available: available.join(", "),
                path: path_buf,
            });
        }
        None => automatic_label.as_ref().and_then(|choice| choice.label.clone()),
    };
    report.english_label_field = automatic_label.and_then(|choice| choice.english);
    drop(props);

    let total = districts.len() as u64;
    let done = AtomicU64::new(0);
    let cancelled = AtomicBool::new(false);
    let keep_going = |n: usize| {
        let d = done.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
        let go = !cancelled.load(Ordering::Relaxed)
            && progress(LoadProgress {
                stage: LoadStage::Prepare,
                done: d,
                total,
            });
        if !go {
            cancelled.store(true, Ordering::Relaxed);
        }
        go
    };
    if options.skip_drawing {
        let (index, index_ms) = timed(|| DistrictIndex::new(&districts));
        report.timings_ms.insert(LoadStage::Index, index_ms);
        return Ok(DistrictLayer::new(path_buf, districts, index, None, report));
    }
    let ((index, index_ms), (drawing, prepare_ms)) = rayon::join(
        || timed(|| DistrictIndex::new(&districts)),
        || timed(|| LayerDrawing::prepare(&districts, &keep_going)),
    );
    let drawing = drawing.ok_or_else(|| LoadError::Cancelled { path: path_buf.clone() })?;
    report.timings_ms.insert(LoadStage::Index, index_ms);
    report.timings_ms.insert(LoadStage::Prepare, prepare_ms);
    Ok(DistrictLayer::new(path_buf, districts, index, Some(drawing), report))
}

type ParsedFeature = Result<FeatureOutcome, (usize, serde_json::Error)>;

/// Parses every feature on all cores, in order. `None` when cancelled.
fn parse_features(
    bytes: &[u8],
    objects: &[std::ops::Range<usize>],
    in_collection: bool,
    reprojector: Option<&Reprojector>,
    progress: &(dyn Fn(LoadProgress) -> bool + Sync),
) -> Option<Vec<ParsedFeature>> {
    let total = objects.last().map_or(0, |r| r.end) as u64;
    let step = (total / 200).max(1 << 20);
    let done = AtomicU64::new(0);
    let cancelled = AtomicBool::new(false);
    let outcomes: Vec<Option<ParsedFeature>> = objects
        .par_iter()
        .enumerate()
        .map(|(index, range)| {
            if cancelled.load(Ordering::Relaxed) {
                return None;
            }
            let text = &bytes[range.clone()];
            let len = text.len() as u64;
            let before = done.fetch_add(len, Ordering::Relaxed);
            if (before + len) / step != before / step
                && !progress(LoadProgress {
                    stage: LoadStage::Parse,
                    done: range.end as u64,
                    total,
                })
            {
                cancelled.store(true, Ordering::Relaxed);
            }
            Some(match serde_json::from_slice::<RawObject>(text) {
                Ok(raw) => Ok(district_from(index, raw, in_collection, reprojector)),
                Err(e) if e.is_data() => Ok(FeatureOutcome {
                    geometry_type: "invalid".to_string(),
                    district: Err(crate::model::SkipReason::Malformed {
                        message: strip_position(&e),
                    }),
                    warnings: Vec::new(),
                }),
                Err(e) => match parse_repaired(text, e) {
                    Repaired::Parsed(raw, warnings) => {
                        let mut outcome = district_from(index, *raw, in_collection, reprojector);
                        outcome.warnings.splice(0..0, warnings);
                        Ok(outcome)
                    }
                    Repaired::Skip(reason) => Ok(FeatureOutcome {
                        geometry_type: "invalid".to_string(),
                        district: Err(reason),
                        warnings: Vec::new(),
                    }),
                    Repaired::Unrepairable(e) => Err((range.start + offset_in(text, e.line(), e.column()), e)),
                },
            })
        })
        .collect();
    if cancelled.load(Ordering::Relaxed) {
        return None;
    }
    outcomes.into_iter().collect()
}

fn check_document_type(
    type_name: Option<&str>,
    is_collection: bool,
    empty: bool,
    path: &Path,
) -> Result<(), LoadError> {
    let not = |found: String| {
        Err(LoadError::NotGeoJson {
            found,
            path: path.to_path_buf(),
        })
    };
    match type_name {
        Some("FeatureCollection") if empty => Err(LoadError::NoDistricts {
            features: 0,
            skipped: 0,
            first_reason: None,
            path: path.to_path_buf(),
        }),
        Some("FeatureCollection") if is_collection => Ok(()),
        Some("Feature" | "Polygon" | "MultiPolygon" | "GeometryCollection") => Ok(()),
        Some(t @ ("Point" | "MultiPoint" | "LineString" | "MultiLineString")) => Err(LoadError::NoDistricts {
            features: 1,
            skipped: 1,
            first_reason: Some(format!("the file holds a single {t}, not an area")),
            path: path.to_path_buf(),
        }),
        Some("Topology") => {
            not("a TopoJSON Topology; convert it to GeoJSON first (e.g. topojson-client's topo2geo)".into())
        }
        Some(t) => not(format!("an object of type \"{t}\"")),
        None => not("a JSON object without a \"type\" member".into()),
    }
}

/// Puts the starting line of each noted feature into the report's entries.
fn fill_lines(bytes: &[u8], objects: &[std::ops::Range<usize>], report: &mut LoadReport, offsets: &mut Vec<usize>) {
    offsets.sort_unstable();
    offsets.dedup();
    let lines = lines_of_sorted(bytes, offsets);
    let line_of = |index: usize| {
        let start = objects[index].start;
        offsets.binary_search(&start).map_or(0, |i| lines[i])
    };
    for s in &mut report.skipped {
        s.line = line_of(s.index);
    }
    for w in &mut report.warnings {
        w.line = line_of(w.index);
    }
}

fn read_with_progress(path: &Path, progress: &(dyn Fn(LoadProgress) -> bool + Sync)) -> Result<Vec<u8>, LoadError> {
    let io = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let total = file.metadata().map_err(io)?.len();
    let mut bytes = Vec::with_capacity(total as usize + 1);
    loop {
        // Straight into the text's buffer, 8 MB between progress reports (no copy through a
        // chunk buffer: the kernel's copy is the only one).
        let n = (&mut file).take(8 << 20).read_to_end(&mut bytes).map_err(io)?;
        if n == 0 {
            return Ok(bytes);
        }
        if !progress(LoadProgress {
            stage: LoadStage::Read,
            done: bytes.len() as u64,
            total,
        }) {
            return Err(LoadError::Cancelled {
                path: path.to_path_buf(),
            });
        }
    }
}

fn syntax_error(bytes: &[u8], offset: usize, e: &serde_json::Error, path: &Path) -> LoadError {
    let (line, column) = line_column(bytes, offset);
    LoadError::Syntax {
        path: PathBuf::from(path),
        line,
        column,
        offset,
        message: strip_position(e),
    }
}

/// The byte offset within `text` of serde_json's 1-based line and byte column.
fn offset_in(text: &[u8], line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        memchr::memchr_iter(b'\n', text)
            .nth(line - 2)
            .map_or(text.len(), |i| i + 1)
    };
    (line_start + column.saturating_sub(1)).min(text.len())
}

/// serde_json's message without its " at line L column C", which is relative to one feature.
fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

fn describe_byte(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("'{}'", b as char)
    } else {
        format!("byte 0x{b:02X}")
    }
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let out = f();
    (out, ms_since(t))
}

fn ms_since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}
