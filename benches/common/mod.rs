//! What the load benches share: timing `mahalleh info` and GDAL on a file, the window's time to
//! its first map, and how results are printed.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use mahalleh::analysis::CoverageModel;
use mahalleh::io::{LoadOptions, load_district_layer, no_progress};
use mahalleh::ui::map::MapScene;

/// Seconds from nothing to what the window's loading thread hands the map: the layer loaded
/// with drawing data and the scene with its full detail (coarse levels follow on a thread, and
/// the coverage model's district areas after the map, as in `ui/loader.rs`). The GL upload and
/// the first frame are not counted. Also the seconds the areas take after that.
pub fn first_map_seconds(path: &Path) -> (f64, f64) {
    let t = Instant::now();
    let layer = Arc::new(load_district_layer(path, &LoadOptions::default(), &no_progress).unwrap());
    let scene = MapScene::with_coarse_levels_later(Arc::clone(&layer));
    let first_map = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let model = CoverageModel::new(layer, None);
    let areas = t.elapsed().as_secs_f64();
    drop((model, scene));
    (first_map, areas)
}

/// Wall time of a `mahalleh info` process on the file.
pub fn info_seconds(path: &Path) -> f64 {
    let t = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_mahalleh"))
        .arg("info")
        .arg(path)
        .output()
        .unwrap()
        .status;
    assert!(status.success());
    t.elapsed().as_secs_f64()
}

/// Peak resident memory in MiB that `mahalleh info --json` reports for itself.
pub fn info_peak_mb(path: &Path) -> f64 {
    let out = Command::new(env!("CARGO_BIN_EXE_mahalleh"))
        .arg("info")
        .arg("--json")
        .arg(path)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["peak_rss_mib"].as_f64().unwrap_or(f64::NAN)
}

/// Median seconds of `runs` reads of the file by GDAL into a data frame, timed inside Python so
/// that interpreter start-up and imports are not counted against it. GeoJSON objects of any
/// size are allowed (`OGR_GEOJSON_MAX_OBJ_SIZE=0`; a world map's countries exceed the default).
pub fn gdal_seconds(path: &Path, runs: usize) -> Option<f64> {
    let script = "import sys, time, pyogrio\n\
                  times = []\n\
                  for _ in range(int(sys.argv[2])):\n    t = time.perf_counter(); pyogrio.read_dataframe(sys.argv[1]); times.append(time.perf_counter() - t)\n\
                  print(sorted(times)[len(times) // 2])";
    let out = Command::new("python3")
        .env("OGR_GEOJSON_MAX_OBJ_SIZE", "0")
        .arg("-c")
        .arg(script)
        .arg(path)
        .arg(runs.to_string())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

/// The load's stage timings, as the bench prints them.
pub fn stages_text(layer: &mahalleh::workspace::DistrictLayer) -> String {
    let stages: Vec<String> = layer
        .report
        .timings_ms
        .iter()
        .map(|(stage, ms)| format!("{stage} {ms:.0} ms"))
        .collect();
    stages.join(", ")
}

pub fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The bench's table of measures against their bars, printed as Markdown as it goes.
pub struct ResultTable {
    missed: bool,
}

impl ResultTable {
    /// Prints the table's head.
    pub fn start() -> Self {
        println!("\n| measure | value | bar | |\n|---|---|---|---|");
        Self { missed: false }
    }

    /// One measure; `ok` says whether it meets its bar.
    pub fn row(&mut self, what: &str, value: String, bar: String, ok: bool) {
        self.missed |= !ok;
        println!("| {what} | {value} | {bar} | {} |", if ok { "ok" } else { "MISSED" });
    }

    /// Ends the bench: a non-zero exit when a bar was missed.
    pub fn finish(self) {
        if self.missed {
            std::process::exit(1);
        }
    }
}
