//! `mahalleh convert IN OUT`: a district layer, read as every verb reads it (any format, its
//! own coordinate system), written to GeoJSON, GeoPackage or Shapefile in WGS 84 or, with
//! `--to EPSG:N`, projected into the system the municipality works in.

use std::path::PathBuf;
use std::process::ExitCode;

use mahalleh::export::vector::{OutputCrs, VectorTable, write_vector_in};

/// Options of `mahalleh convert`.
#[derive(clap::Args)]
pub struct ConvertArgs {
    /// The district file to read (GeoJSON, Shapefile, GeoPackage, KML, CSV, FlatGeobuf).
    pub input: PathBuf,
    /// The file to write, its format by extension: .geojson, .gpkg or .shp.
    pub output: PathBuf,
    /// Write the coordinates in this system (e.g. EPSG:32639) instead of WGS 84.
    #[arg(long, value_name = "EPSG:N")]
    pub to: Option<String>,
    /// The output layer's name (a GeoPackage table); by default the input's file name.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// How the input is read.
    #[command(flatten)]
    pub read: super::ReadArgs,
}

/// Runs the verb.
pub fn run(args: &ConvertArgs) -> anyhow::Result<ExitCode> {
    if mahalleh::export::vector::VectorFormat::of(&args.output).is_none() {
        anyhow::bail!(
            "cannot tell the output format from its extension; use .geojson, .gpkg or .shp: {}",
            args.output.display()
        );
    }
    let crs = match &args.to {
        None => OutputCrs::wgs84(),
        Some(text) => {
            let code = text
                .trim()
                .to_ascii_uppercase()
                .trim_start_matches("EPSG:")
                .parse::<u32>()
                .map_err(|_| anyhow::anyhow!("--to takes EPSG:NNNN, not {text}"))?;
            OutputCrs::epsg(code)?
        }
    };
    let layer = super::load_layer_undrawn(&args.input, &args.read)?;
    let name = args
        .name
        .clone()
        .or_else(|| args.read.layer.clone())
        .or_else(|| args.input.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "districts".into());
    let table = VectorTable::districts(&layer, &name);
    let report = write_vector_in(&table, &args.output, &crs)?;
    let skipped = layer.report.skipped.len();
    println!(
        "{}: {} district(s) written in {}{}",
        args.output.display(),
        table.shapes.len(),
        crs.name,
        if skipped > 0 {
            format!("; {skipped} feature(s) of the input were skipped (see mahalleh info)")
        } else {
            String::new()
        }
    );
    if !report.renamed_fields.is_empty() {
        println!("fields renamed (dBASE names hold 10 bytes):");
        for (from, to) in &report.renamed_fields {
            println!("  {from} -> {to}");
        }
    }
    for note in &report.notes {
        println!("note: {note}");
    }
    Ok(ExitCode::SUCCESS)
}
