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

use mahalleh::io::{LoadOptions, load_district_layer, no_progress};
use mahalleh::model::{DistrictLayer, FieldPath};

/// Loads a layer for a command, with the label field the user asked for.
pub fn load_layer(path: &Path, name_field: Option<&str>) -> anyhow::Result<DistrictLayer> {
    let options = LoadOptions {
        label_field: name_field.map(FieldPath::new),
    };
    Ok(load_district_layer(path, &options, &no_progress)?)
}
