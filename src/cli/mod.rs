//! Command handlers: each verb parses its options, calls the core and prints. Errors become
//! `anyhow` here, at the edge, and `main` prints them once.

/// `mahalleh coverage`.
pub mod coverage;
/// `mahalleh export`.
pub mod export;
/// `mahalleh generate`.
pub mod generate;
/// `mahalleh info`.
pub mod info;
/// `mahalleh locate`.
pub mod locate;
/// Reading the plan a command works on.
pub mod plan_input;
/// `mahalleh suggest`.
pub mod suggest;
/// No verb: the window.
pub mod window;

use std::path::Path;

use anyhow::Context;
use mahalleh::io::crs::crs_from_epsg;
use mahalleh::io::read::dbf::encoding_from_label;
use mahalleh::io::{LoadOptions, load_district_layer, no_progress};
use mahalleh::model::{DistrictLayer, FieldPath};

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
    /// The layer to read from a file holding several: a Shapefile in a .zip, a KML folder.
    #[arg(long, value_name = "NAME")]
    pub layer: Option<String>,
}

impl ReadArgs {
    /// The load options these arguments ask for.
    pub fn options(&self) -> anyhow::Result<LoadOptions> {
        let crs = match &self.crs {
            None => None,
            Some(text) => {
                let code = text
                    .trim()
                    .to_ascii_uppercase()
                    .trim_start_matches("EPSG:")
                    .parse::<u32>()
                    .with_context(|| format!("--crs takes EPSG:NNNN, not {text}"))?;
                Some(crs_from_epsg(code)?)
            }
        };
        let encoding = match &self.encoding {
            None => None,
            Some(name) => Some(encoding_from_label(name).with_context(|| format!("unknown --encoding {name}"))?),
        };
        Ok(LoadOptions {
            label_field: self.name_field.as_deref().map(FieldPath::new),
            crs,
            encoding,
            layer: self.layer.clone(),
        })
    }
}

/// Loads a layer for a command, read as the user asked.
pub fn load_layer(path: &Path, read: &ReadArgs) -> anyhow::Result<DistrictLayer> {
    Ok(load_district_layer(path, &read.options()?, &no_progress)?)
}
