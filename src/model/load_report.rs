//! What happened while a layer was loaded: skipped features, warnings, counts and timings.

use std::collections::BTreeMap;
use std::fmt;

use super::{FieldPath, JoinReport, LabelField};

/// Why a feature could not become a district. Indices of polygons, rings and positions are
/// 0-based; ring 0 is a polygon's exterior.
#[derive(Clone, Debug, PartialEq, thiserror::Error, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SkipReason {
    /// `"geometry": null`.
    #[error("the geometry is null")]
    NullGeometry,
    /// No `geometry` member at all.
    #[error("the feature has no geometry member")]
    MissingGeometry,
    /// A point, line or other non-areal geometry.
    #[error("a {geometry_type} is not an area")]
    NotPolygon {
        /// The GeoJSON type found.
        geometry_type: String,
    },
    /// A polygon type with no rings.
    #[error("the {geometry_type} has no coordinates")]
    EmptyGeometry {
        /// The GeoJSON type found.
        geometry_type: String,
    },
    /// A ring with fewer than four positions.
    #[error("polygon {polygon} ring {ring} has {positions} positions; a ring needs at least 4")]
    RingTooShort {
        /// Polygon within the feature.
        polygon: usize,
        /// Ring within the polygon.
        ring: usize,
        /// Positions found.
        positions: usize,
    },
    /// A coordinate that is infinite or not a number.
    #[error("polygon {polygon} ring {ring} position {position} is not a finite number")]
    NonFiniteCoordinate {
        /// Polygon within the feature.
        polygon: usize,
        /// Ring within the polygon.
        ring: usize,
        /// Position within the ring.
        position: usize,
    },
    /// Longitude outside -180..180 or latitude outside -90..90.
    #[error(
        "polygon {polygon} ring {ring} position {position} ({lon}, {lat}) is outside longitude -180..180 / latitude -90..90{}",
        if lon.abs() > 1000.0 || lat.abs() > 1000.0 { "; projected coordinates? give the file's coordinate system (--crs EPSG:N)" } else { "" }
    )]
    OutOfRange {
        /// Polygon within the feature.
        polygon: usize,
        /// Ring within the polygon.
        ring: usize,
        /// Position within the ring.
        position: usize,
        /// The longitude found.
        lon: f64,
        /// The latitude found.
        lat: f64,
    },
    /// The feature's JSON is valid but not a usable GeoJSON object (a string where a number
    /// belongs, an unknown type, wrongly nested coordinates), or a record of another format
    /// that cannot be read.
    #[error("{message}")]
    Malformed {
        /// What was wrong, from the parser.
        message: String,
    },
    /// A position the file's coordinate system cannot place on the earth.
    #[error("position {position} ({x}, {y}) cannot be turned into longitude/latitude in the file's coordinate system")]
    CannotReproject {
        /// Position within the feature's coordinates.
        position: usize,
        /// Its x in the file's system.
        x: f64,
        /// Its y in the file's system.
        y: f64,
    },
}

/// Something odd about a feature that was loaded anyway.
#[derive(Clone, Debug, PartialEq, thiserror::Error, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LoadWarning {
    /// A ring whose last position differed from its first; it was closed.
    #[error("polygon {polygon} ring {ring} was not closed; closed it")]
    RingClosed {
        /// Polygon within the feature.
        polygon: usize,
        /// Ring within the polygon.
        ring: usize,
    },
    /// Edges of a polygon cross or overlap; it is drawn as it is.
    #[error("polygon {polygon} crosses itself near {lon:.6}, {lat:.6}")]
    SelfIntersection {
        /// Polygon within the feature.
        polygon: usize,
        /// Longitude of a crossing.
        lon: f64,
        /// Latitude of a crossing.
        lat: f64,
    },
    /// Non-areal members of a geometry collection were left out.
    #[error("left out {count} non-polygon member(s) of the geometry collection")]
    CollectionMembersIgnored {
        /// How many members were left out.
        count: usize,
    },
    /// `properties` was neither an object nor null.
    #[error("properties is not an object; ignored it")]
    PropertiesNotObject,
    /// An element of `features` was a bare geometry rather than a Feature.
    #[error("a bare geometry stands where a Feature belongs; read it as a feature without properties")]
    BareGeometry,
    /// A property's number too large for a double (`1e400`); its text is kept.
    #[error("the field {field} holds a number too large to use; kept as text")]
    NumberOutOfRange {
        /// The field.
        field: String,
    },
    /// A property nested deeper than the parser allows (128 levels); it was left out.
    #[error("the field {field} is nested deeper than 128 levels; left out")]
    PropertyTooDeep {
        /// The field.
        field: String,
    },
    /// Text bytes of a field that are not valid in the table's encoding (a value cut inside a
    /// character by the field's width, say); shown as U+FFFD.
    #[error("the field {field} holds bytes that do not decode; shown as �")]
    UndecodableText {
        /// The field.
        field: String,
    },
}

/// A feature left out of the layer.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SkippedFeature {
    /// Position of the feature in the file's feature list (record, row), 0-based.
    pub index: usize,
    /// Line of the file where the feature starts, 1-based; 0 for formats without lines.
    pub line: usize,
    /// The feature id a database gives it (GeoPackage's `fid`), as QGIS shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fid: Option<i64>,
    /// Why it was left out.
    pub reason: SkipReason,
}

/// A warning about a feature that was loaded.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FeatureWarning {
    /// Position of the feature in the file's feature list (record, row), 0-based.
    pub index: usize,
    /// Line of the file where the feature starts, 1-based; 0 for formats without lines.
    pub line: usize,
    /// The feature id a database gives it (GeoPackage's `fid`), as QGIS shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fid: Option<i64>,
    /// What was odd.
    pub warning: LoadWarning,
}

/// A stage of loading, for timings and progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LoadStage {
    /// Reading bytes from disk.
    Read,
    /// Finding feature boundaries in the text.
    Scan,
    /// Parsing and validating features.
    Parse,
    /// Building the spatial index.
    Index,
    /// Triangulating fills, laying out outlines and label anchors.
    Prepare,
}

impl fmt::Display for LoadStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Read => "read",
            Self::Scan => "scan",
            Self::Parse => "parse",
            Self::Index => "index",
            Self::Prepare => "prepare",
        })
    }
}

/// What kind of file a layer came from and how it was read.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct SourceInfo {
    /// The format ("GeoJSON", "Shapefile").
    pub format: String,
    /// The coordinate system the coordinates were in, and how it was found.
    pub crs: String,
    /// The text encoding and why, for formats that have a choice.
    pub encoding: Option<String>,
    /// Things about the whole file worth saying (a table shorter than its header, no coordinate
    /// system named, …).
    pub notes: Vec<String>,
}

/// The report of one load, shown to the user and printed by `mahalleh info`.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct LoadReport {
    /// Format, coordinate system and encoding of the file.
    pub source: SourceInfo,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// Features (or the one feature or geometry) found in the file.
    pub features_total: usize,
    /// Features that did not become districts, in file order.
    pub skipped: Vec<SkippedFeature>,
    /// Warnings about loaded features, in file order.
    pub warnings: Vec<FeatureWarning>,
    /// How many features had each GeoJSON geometry type (`null` for a null geometry).
    pub geometry_types: BTreeMap<String, usize>,
    /// The label field in use, if any string property exists.
    pub label_field: Option<LabelField>,
    /// English names shown instead of the labels in English (interface and layouts), when the
    /// label field was chosen automatically and the file has one (`name_en`, `name:en`, ...).
    pub english_label_field: Option<FieldPath>,
    /// Wall-clock milliseconds per stage, in stage order.
    pub timings_ms: BTreeMap<LoadStage, f64>,
    /// Tables joined to the districts, in the plan's order.
    pub joins: Vec<JoinReport>,
    /// Tables that could not be joined; the layer loaded without them.
    pub failed_joins: Vec<FailedJoin>,
}

/// A table that could not be joined, and why.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FailedJoin {
    /// The table.
    pub table: std::path::PathBuf,
    /// The reason, naming the column or line.
    pub message: String,
}
