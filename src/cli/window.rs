//! The desktop window. Until the map workbench lands, this says so and summarises the file.

use std::path::PathBuf;
use std::process::ExitCode;

/// The bundled sample map, opened when no file is named.
pub const SAMPLE_MAP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/maps/yazd-neighbourhoods.geojson");

/// Opens `file` (or the sample map).
pub fn run(file: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let path = file.unwrap_or_else(|| PathBuf::from(SAMPLE_MAP));
    let layer = super::load_layer(&path, None)?;
    println!(
        "The map window is not built yet; {} district(s) of {} are ready for it. Try `mahalleh info {}`.",
        layer.districts.len(),
        path.display(),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}
