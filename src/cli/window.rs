//! No verb: the desktop window.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use mahalleh::ui::{WindowOptions, run_window};

/// The bundled sample map's file name, under `maps/`.
const SAMPLE_MAP_NAME: &str = "yazd-neighbourhoods.geojson";
/// The sample map inside the program, for a copied binary with no `maps/` folder beside it.
const SAMPLE_MAP_BYTES: &[u8] = include_bytes!("../../maps/yazd-neighbourhoods.geojson");

/// The sample map opened when no file is named: `maps/` beside the program (as the Windows
/// release ships it), else the source tree it was built from, else the copy inside the program
/// written to the temporary folder.
fn sample_map_path() -> PathBuf {
    let beside_exe = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("maps").join(SAMPLE_MAP_NAME)));
    let source_tree = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/maps")).join(SAMPLE_MAP_NAME);
    if let Some(found) = beside_exe.into_iter().chain([source_tree]).find(|p| p.is_file()) {
        return found;
    }
    let copy = std::env::temp_dir().join("mahalleh-sample").join(SAMPLE_MAP_NAME);
    let written =
        std::fs::create_dir_all(copy.parent().unwrap_or(&copy)).and_then(|()| std::fs::write(&copy, SAMPLE_MAP_BYTES));
    if let Err(e) = written {
        eprintln!("mahalleh: cannot write the sample map to {} ({e})", copy.display());
    }
    copy
}

/// Opens the window on `file` (or the sample map) and returns when it closes.
pub fn run(file: Option<PathBuf>, frame_stats: Option<PathBuf>, window_size: Option<&str>) -> anyhow::Result<ExitCode> {
    let size = window_size.map(parse_size).transpose()?;
    let options = WindowOptions {
        file,
        frame_stats,
        size,
    };
    run_window(options, sample_map_path()).map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))?;
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
