//! Command handlers: each verb parses its options, calls the core and prints. Errors become
//! `anyhow` here, at the edge, and `main` prints them once.

/// `mahalleh convert`.
pub mod convert;
/// `mahalleh coverage`.
pub mod coverage;
/// `mahalleh export`.
pub mod export;
/// `mahalleh generate`.
pub mod generate;
/// `mahalleh info`.
pub mod info;
/// The table-join options.
pub mod join_args;
/// `mahalleh locate`.
pub mod locate;
/// `mahalleh measure`.
pub mod measure;
/// `mahalleh palettes`.
pub mod palettes;
/// Reading the plan a command works on.
pub mod plan_input;
/// The thematic-map options.
pub mod style_args;
/// `mahalleh suggest`.
pub mod suggest;
/// No verb: the window.
pub mod window;

use std::path::Path;

use mahalleh::io::{LoadOptions, load_district_layer, load_options, no_progress};
use mahalleh::model::{FieldPath, ReadChoices};
use mahalleh::workspace::DistrictLayer;

/// How a district layer is read: the options every verb that reads one shares.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct ReadArgs {
    /// Label districts with this property (dotted path into nested objects, e.g. tags.name:en).
    #[arg(long, value_name = "PATH")]
    pub name_field: Option<String>,
    /// Read the coordinates in this system whatever the file says, e.g. EPSG:32639 (for a
    /// Shapefile without a .prj).
    #[arg(long, value_name = "EPSG:N")]
    pub crs: Option<String>,
    /// Decode attribute text with this encoding whatever the file says (UTF-8, 1256, ...).
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// The layer to read from a file holding several: a GeoPackage table, a Shapefile in a
    /// .zip, a KML folder.
    #[arg(long, value_name = "NAME")]
    pub layer: Option<String>,
    /// Tables joined to the districts.
    #[command(flatten)]
    pub joins: join_args::JoinArgs,
}

impl ReadArgs {
    /// The load options these arguments ask for.
    pub fn options(&self) -> anyhow::Result<LoadOptions> {
        Ok(LoadOptions {
            joins: self.joins.joins()?,
            ..load_options(&self.choices(), self.name_field.as_deref().map(FieldPath::new))?
        })
    }

    /// The reading choices these arguments make, as a plan stores them.
    pub fn choices(&self) -> ReadChoices {
        ReadChoices {
            layer: self.layer.clone(),
            crs: self.crs.clone(),
            encoding: self.encoding.clone(),
        }
    }
}

/// Loads a layer for a command, read as the user asked, with its drawing data.
pub fn load_layer(path: &Path, read: &ReadArgs) -> anyhow::Result<DistrictLayer> {
    let layer = load_district_layer(path, &read.options()?, &no_progress)?;
    join_args::report_joins(&layer.report)?;
    Ok(layer)
}

/// Loads a layer for a command that draws nothing: no triangles are built.
pub fn load_layer_undrawn(path: &Path, read: &ReadArgs) -> anyhow::Result<DistrictLayer> {
    let options = LoadOptions {
        skip_drawing: true,
        ..read.options()?
    };
    let layer = load_district_layer(path, &options, &no_progress)?;
    join_args::report_joins(&layer.report)?;
    Ok(layer)
}
