//! No verb: the desktop window.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use mahalleh::ui::{WindowOptions, run_window};

/// The bundled sample map, opened when no file is named.
pub const SAMPLE_MAP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/maps/yazd-neighbourhoods.geojson");

/// Opens the window on `file` (or the sample map) and returns when it closes.
pub fn run(file: Option<PathBuf>, frame_stats: Option<PathBuf>, window_size: Option<&str>) -> anyhow::Result<ExitCode> {
    let size = window_size.map(parse_size).transpose()?;
    let options = WindowOptions {
        file,
        frame_stats,
        size,
    };
    run_window(options, PathBuf::from(SAMPLE_MAP)).map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

/// Reads `WIDTHxHEIGHT` in points.
fn parse_size(text: &str) -> anyhow::Result<[f32; 2]> {
    let (w, h) = text
        .split_once(['x', 'X'])
        .context("the window size is WIDTHxHEIGHT, e.g. 1600x1000")?;
    Ok([
        w.trim().parse().context("window width")?,
        h.trim().parse().context("window height")?,
    ])
}
