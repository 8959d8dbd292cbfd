//! `mahalleh convert IN OUT`: a district layer, read as every verb reads it (any format, its
//! own coordinate system), written to GeoJSON, GeoPackage or Shapefile in WGS 84.

use std::path::PathBuf;
use std::process::ExitCode;

use mahalleh::export::vector::{VectorTable, write_vector};

/// Options of `mahalleh convert`.
#[derive(clap::Args)]
pub struct ConvertArgs {
    /// The district file to read (GeoJSON, Shapefile, GeoPackage, KML, CSV, FlatGeobuf).
    pub input: PathBuf,
    /// The file to write, its format by extension: .geojson, .gpkg or .shp.
    pub output: PathBuf,
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
    let layer = super::load_layer(&args.input, &args.read)?;
    let name = args
        .name
        .clone()
        .or_else(|| args.read.layer.clone())
        .or_else(|| args.input.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "districts".into());
    let table = VectorTable::districts(&layer, &name);
    let report = write_vector(&table, &args.output)?;
    let skipped = layer.report.skipped.len();
    println!(
        "{}: {} district(s) written in WGS 84 longitude/latitude{}",
        args.output.display(),
        table.shapes.len(),
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
