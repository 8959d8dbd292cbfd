//! Errors that make a whole file unusable. Problems with single features are not errors: they are
//! collected in the [`crate::model::LoadReport`] and the rest of the file loads.

use std::path::PathBuf;

/// Why a file could not be loaded at all. Each message names the file last.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The operating system could not read the file.
    #[error("cannot read the file ({source}): {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The file holds nothing but white space.
    #[error("the file is empty: {}", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The text is not valid JSON.
    #[error("not valid JSON at line {line}, column {column} (byte {offset}): {message}: {}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// Byte offset from the start of the file.
        offset: usize,
        /// What the parser expected or found.
        message: String,
    },
    /// The text stops in the middle of a value: an interrupted download or copy.
    #[error("the file ends too early, at line {line} (byte {offset}){}; was it cut off?: {}",
        feature.map(|f| format!(", inside feature {f}")).unwrap_or_default(), path.display())]
    Truncated {
        /// The file.
        path: PathBuf,
        /// 1-based line of the end.
        line: usize,
        /// Byte offset of the end.
        offset: usize,
        /// The feature the text ends in, if inside `features`.
        feature: Option<usize>,
    },
    /// Valid JSON that is not a GeoJSON object we can use.
    #[error("not GeoJSON: {found}: {}", path.display())]
    NotGeoJson {
        /// What was found instead.
        found: String,
        /// The file.
        path: PathBuf,
    },
    /// A `crs` member naming a system no definition is known for.
    #[error("unsupported coordinate system {crs}: no definition of it is known; give the system the coordinates are in (--crs EPSG:N): {}", path.display())]
    UnsupportedCrs {
        /// The system named by the file.
        crs: String,
        /// The file.
        path: PathBuf,
    },
    /// The file was read but not one feature became a district.
    #[error("no district could be loaded: {features} feature(s), {skipped} skipped{}: {}",
        first_reason.as_ref().map(|r| format!(" (first: {r})")).unwrap_or_default(), path.display())]
    NoDistricts {
        /// Features found.
        features: usize,
        /// Features skipped.
        skipped: usize,
        /// The first skipped feature's reason, as text.
        first_reason: Option<String>,
        /// The file.
        path: PathBuf,
    },
    /// A reference layer was read but not one feature could be drawn.
    #[error("no feature could be loaded: {features} feature(s), {skipped} skipped{}: {}",
        first_reason.as_ref().map(|r| format!(" (first: {r})")).unwrap_or_default(), path.display())]
    NoFeatures {
        /// Features found.
        features: usize,
        /// Features skipped.
        skipped: usize,
        /// The first skipped feature's reason, as text.
        first_reason: Option<String>,
        /// The file.
        path: PathBuf,
    },
    /// The requested label field is in no feature.
    #[error("no feature has the field '{field}' (fields found: {available}): {}", path.display())]
    NoSuchField {
        /// The field asked for.
        field: String,
        /// Text fields that do exist, comma separated.
        available: String,
        /// The file.
        path: PathBuf,
    },
    /// The caller asked to stop.
    #[error("loading was cancelled: {}", path.display())]
    Cancelled {
        /// The file.
        path: PathBuf,
    },
    /// A file of a multi-file format is missing (a Shapefile's `.shp`).
    #[error("the {part} file of this layer is missing: {}", path.display())]
    MissingPart {
        /// Which part.
        part: &'static str,
        /// The file given.
        path: PathBuf,
    },
    /// A file of another format that cannot be read at all.
    #[error("{message}: {}", path.display())]
    Unreadable {
        /// What is wrong.
        message: String,
        /// The file.
        path: PathBuf,
    },
    /// The file holds several layers and none was chosen (`--layer`, or the window's picker).
    #[error("the file holds {} layers; choose one with --layer: {}: {}", layers.len(), layers.join(", "), path.display())]
    ChooseLayer {
        /// The layers that can be read, in file order.
        layers: Vec<String>,
        /// The file.
        path: PathBuf,
    },
    /// The layer asked for is not in the file.
    #[error("the file has no layer {layer}; it has: {}: {}", if layers.is_empty() { "none".to_string() } else { layers.join(", ") }, path.display())]
    NoSuchLayer {
        /// The layer asked for.
        layer: String,
        /// The layers it has.
        layers: Vec<String>,
        /// The file.
        path: PathBuf,
    },
    /// The file's coordinate system definition cannot be used.
    #[error("{message}: {}", path.display())]
    BadCrs {
        /// What is wrong.
        message: String,
        /// The definition's file.
        path: PathBuf,
    },
    /// No coordinate system, and the coordinates are not longitude/latitude.
    #[error("the coordinates look projected (x {}..{}, y {}..{}) and the file names no coordinate system; give one with --crs EPSG:NNNN: {}",
        grouped(x[0]), grouped(x[1]), grouped(y[0]), grouped(y[1]), path.display())]
    NoCrs {
        /// Range of x.
        x: [f64; 2],
        /// Range of y.
        y: [f64; 2],
        /// The file.
        path: PathBuf,
    },
}

/// A coordinate in whole units with thousands separators, as GIS tools show them.
fn grouped(value: f64) -> String {
    crate::text::Numbers::Latin.fixed(value, 0)
}
