//! Features out in the formats QGIS and ArcGIS open: GeoJSON, GeoPackage and Shapefile, from one
//! [`VectorTable`] (districts, offices, coverage), in WGS 84 longitude/latitude or projected into
//! the system a municipality works in ([`OutputCrs`]).

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

/// The coordinate system a file is written in: its EPSG code, WKT and the projection into it.
#[derive(Debug)]
pub struct OutputCrs {
    /// The EPSG code.
    pub epsg: u32,
    /// Its name ("WGS 84 / UTM zone 39N (EPSG:32639)").
    pub name: String,
    /// Its OGC WKT, for `.prj` and `gpkg_spatial_ref_sys`.
    pub wkt: String,
    projector: Option<crate::io::crs::Projector>,
}

impl OutputCrs {
    /// WGS 84 longitude/latitude (EPSG:4326), what mahalleh holds: nothing to project.
    pub fn wgs84() -> Self {
        Self {
            epsg: 4326,
            name: "WGS 84 longitude/latitude (EPSG:4326)".into(),
            wkt: geopackage::WGS84_WKT.into(),
            projector: None,
        }
    }

    /// The EPSG system `code`.
    pub fn epsg(code: u32) -> Result<Self, crate::io::crs::CrsError> {
        if code == 4326 {
            return Ok(Self::wgs84());
        }
        let crs = crate::io::crs::crs_from_epsg(code)?;
        let wkt = crate::io::crs::wkt_of_epsg(code).ok_or(crate::io::crs::CrsError::UnknownEpsg(code))?;
        Ok(Self {
            epsg: code,
            name: crs.name.clone(),
            wkt,
            projector: Some(crate::io::crs::Projector::new(&crs)?),
        })
    }

    /// True for WGS 84 longitude/latitude.
    pub fn is_wgs84(&self) -> bool {
        self.projector.is_none()
    }

    /// `table` with its shapes in this system; the first row that cannot be placed, as an error.
    fn project<'a>(&self, table: &'a VectorTable) -> Result<std::borrow::Cow<'a, VectorTable>, usize> {
        let Some(projector) = &self.projector else {
            return Ok(std::borrow::Cow::Borrowed(table));
        };
        let xy = |c: geo::Coord<f64>| {
            projector
                .xy(crate::io::crs::LonLat([c.x, c.y]))
                .map(|p| geo::Coord { x: p.0[0], y: p.0[1] })
        };
        let mut out = table.clone();
        for (row, shape) in out.shapes.iter_mut().enumerate() {
            match shape {
                Shape::Point(p) => {
                    let c = xy(geo::Coord { x: p[0], y: p[1] }).ok_or(row)?;
                    *p = [c.x, c.y];
                }
                Shape::Polygons(polygons) => {
                    for polygon in polygons.0.iter_mut() {
                        let mut failed = false;
                        polygon.exterior_mut(|ring| {
                            for c in ring.0.iter_mut() {
                                match xy(*c) {
                                    Some(p) => *c = p,
                                    None => failed = true,
                                }
                            }
                        });
                        polygon.interiors_mut(|rings| {
                            for ring in rings {
                                for c in ring.0.iter_mut() {
                                    match xy(*c) {
                                        Some(p) => *c = p,
                                        None => failed = true,
                                    }
                                }
                            }
                        });
                        if failed {
                            return Err(row);
                        }
                    }
                }
            }
        }
        Ok(std::borrow::Cow::Owned(out))
    }
}

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
    /// A row whose position the output system cannot hold.
    #[error("row {row} cannot be placed in {crs}: {}", path.display())]
    CannotProject {
        /// The row.
        row: usize,
        /// The output system.
        crs: String,
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

/// Writes `table` to `path` in WGS 84, in the format its extension names; GeoPackage and
/// Shapefile get nested properties as dotted columns ([`VectorTable::flattened`]).
pub fn write_vector(table: &VectorTable, path: &Path) -> Result<WriteReport, VectorWriteError> {
    write_vector_in(table, path, &OutputCrs::wgs84())
}

/// [`write_vector`] in the coordinate system `crs`.
pub fn write_vector_in(table: &VectorTable, path: &Path, crs: &OutputCrs) -> Result<WriteReport, VectorWriteError> {
    let format = VectorFormat::of(path).ok_or_else(|| VectorWriteError::UnknownFormat {
        path: path.to_path_buf(),
    })?;
    let projected = crs.project(table).map_err(|row| VectorWriteError::CannotProject {
        row,
        crs: crs.name.clone(),
        path: path.to_path_buf(),
    })?;
    match format {
        VectorFormat::GeoJson => write_geojson(&projected, path, crs),
        VectorFormat::GeoPackage => write_geopackage(&projected.flattened(), path, crs),
        VectorFormat::Shapefile => write_shapefile(&projected.flattened(), path, crs),
    }
}
