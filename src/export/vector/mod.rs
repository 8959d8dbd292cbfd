//! Features out in the formats QGIS and ArcGIS open: GeoJSON, GeoPackage and Shapefile, all in
//! WGS 84 longitude/latitude, from one [`VectorTable`] (districts, offices, coverage).

/// GeoJSON.
pub mod geojson;
/// GeoPackage.
pub mod geopackage;
/// Shapefile.
pub mod shapefile;
/// The rows to write and their column types.
pub mod table;

use std::path::{Path, PathBuf};

pub use geojson::write_geojson;
pub use geopackage::write_geopackage;
pub use shapefile::{dbf_field_names, write_shapefile};
pub use table::{Column, ColumnKind, Shape, VectorTable};

/// The vector formats written, chosen by the output's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VectorFormat {
    /// `.geojson`, `.json`.
    GeoJson,
    /// `.gpkg`.
    GeoPackage,
    /// `.shp` (with `.shx`, `.dbf`, `.cpg`, `.prj`).
    Shapefile,
}

impl VectorFormat {
    /// The format `path`'s extension names, if it names one written here.
    ///
    /// ```
    /// use mahalleh::export::vector::VectorFormat;
    /// assert_eq!(VectorFormat::of("out/districts.GPKG".as_ref()), Some(VectorFormat::GeoPackage));
    /// assert_eq!(VectorFormat::of("out/districts.kml".as_ref()), None);
    /// ```
    pub fn of(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "geojson" | "json" => Some(Self::GeoJson),
            "gpkg" => Some(Self::GeoPackage),
            "shp" => Some(Self::Shapefile),
            _ => None,
        }
    }
}

/// What a write changed on the way, for the user to know.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WriteReport {
    /// Columns written under another name (a dBASE name cut to 10 bytes): (property, field).
    pub renamed_fields: Vec<(String, String)>,
    /// Other things worth saying (values cut to a field's width).
    pub notes: Vec<String>,
}

/// Why a layer could not be written.
#[derive(Debug, thiserror::Error)]
pub enum VectorWriteError {
    /// The extension names no format written here.
    #[error("cannot tell the format from the extension; use .geojson, .gpkg or .shp: {}", path.display())]
    UnknownFormat {
        /// The output.
        path: PathBuf,
    },
    /// The operating system refused.
    #[error("cannot write the file ({source}): {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// SQLite refused (GeoPackage).
    #[error("cannot write the GeoPackage ({message}): {}", path.display())]
    Database {
        /// SQLite's message.
        message: String,
        /// The file.
        path: PathBuf,
    },
    /// A Shapefile holds one kind of shape.
    #[error("a Shapefile holds polygons or points, not both: {}", path.display())]
    MixedShapes {
        /// The file.
        path: PathBuf,
    },
    /// A part of a Shapefile would pass the format's 2 GiB limit.
    #[error("the .{part} would be {bytes} bytes, past the Shapefile limit of 2 GiB; write a GeoPackage instead: {}", path.display())]
    TooLarge {
        /// `shp` or `dbf`.
        part: &'static str,
        /// Its size.
        bytes: u64,
        /// The file.
        path: PathBuf,
    },
    /// More or wider fields than a dBASE table holds.
    #[error("{fields} fields do not fit a dBASE table; write a GeoPackage instead: {}", path.display())]
    TooManyFields {
        /// Fields asked for.
        fields: usize,
        /// The file.
        path: PathBuf,
    },
}

/// Writes `table` to `path` in the format its extension names; GeoPackage and Shapefile get
/// nested properties as dotted columns ([`VectorTable::flattened`]).
pub fn write_vector(table: &VectorTable, path: &Path) -> Result<WriteReport, VectorWriteError> {
    match VectorFormat::of(path) {
        Some(VectorFormat::GeoJson) => write_geojson(table, path),
        Some(VectorFormat::GeoPackage) => write_geopackage(&table.flattened(), path),
        Some(VectorFormat::Shapefile) => write_shapefile(&table.flattened(), path),
        None => Err(VectorWriteError::UnknownFormat {
            path: path.to_path_buf(),
        }),
    }
}
