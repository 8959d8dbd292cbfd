//! The 168 MB world countries map (issue 13): full load against GDAL's read in the same run,
//! peak memory, a layout export, the window's time to its first map and to its last level of
//! detail, a cancel answered inside the biggest polygon, and fills that cover exactly the
//! polygons' area.
//!
//! `tests/reference/fetch_world.sh` fetches the file (npm); without it the bench says so and
//! stops. `cargo bench --bench world` prints a table and exits non-zero when a bar is missed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use mahalleh::io::{LoadOptions, LoadProgress, load_district_layer, no_progress};
use mahalleh::model::LoadStage;
use mahalleh::ui::map::MapScene;

mod common;
use common::{ResultTable, first_map_seconds, gdal_seconds, info_peak_mb, info_seconds, median, stages_text};

fn main() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/reference-data/countries-land-10m.geo.json");
    if !path.exists() {
        println!(
            "{} is missing: run tests/reference/fetch_world.sh first",
            path.display()
        );
        return;
    }
    let bytes = std::fs::metadata(&path).unwrap().len();
    println!("file: {} ({:.1} MB)", path.display(), bytes as f64 / 1e6);

    let ours = median(&(0..3).map(|_| info_seconds(&path)).collect::<Vec<_>>());
    let gdal = gdal_seconds(&path, 1);
    let peak_mib = info_peak_mb(&path);
    let export_s = export_seconds(&path);
    let (first_map_s, areas_s) = first_map_seconds(&path);
    let (levels_s, level_count) = all_levels_seconds(&path);
    let cancel_s = cancel_seconds(&path);
    let layer = load_district_layer(&path, &LoadOptions::default(), &no_progress).unwrap();
    println!("in-process stages: {}", stages_text(&layer));
    let (filled_m2, rings_m2) = filled_and_ring_areas_m2(&layer);

    let mut table = ResultTable::start();
    let mut row = |what: &str, value: String, bar: String, ok: bool| table.row(what, value, bar, ok);
    row(
        "`mahalleh info` wall time (median of 3)",
        format!("{ours:.2} s"),
        "-".into(),
        true,
    );
    match gdal {
        Some(g) => row(
            "GDAL `pyogrio.read_dataframe`",
            format!("{g:.2} s"),
            format!("ours <= {:.2} s (0.3x)", g * 0.3),
            ours <= g * 0.3,
        ),
        None => println!("| GDAL | not measured: `pip install pyogrio` to compare | | |"),
    }
    row(
        "peak memory of `mahalleh info`",
        format!("{peak_mib:.0} MiB ({:.1}x file)", peak_mib * 1_048_576.0 / bytes as f64),
        "<= 3x file".into(),
        peak_mib * 1_048_576.0 <= 3.0 * bytes as f64,
    );
    row(
        "`mahalleh export --districts FILE --out map.png` (whole process)",
        format!("{export_s:.2} s"),
        "< 5 s".into(),
        export_s < 5.0,
    );
    row(
        "window: file to first map (load, full-detail scene)",
        format!("{first_map_s:.2} s"),
        "-".into(),
        true,
    );
    row(
        "window: district areas for coverage, after the first map",
        format!("{areas_s:.2} s"),
        "-".into(),
        true,
    );
    row(
        "window: coarse levels of detail done, after the first map",
        format!("{levels_s:.2} s ({level_count} levels)"),
        "-".into(),
        true,
    );
    row(
        "cancel answered while drawing data is prepared",
        format!("{:.0} ms", cancel_s * 1000.0),
        "<= 200 ms".into(),
        cancel_s <= 0.2,
    );
    let off = (filled_m2 - rings_m2).abs() / rings_m2;
    row(
        "fills' area against the rings' (all polygons; invalid ones differ)",
        format!("{off:.1e} relative"),
        "<= 1e-3".into(),
        off <= 1e-3,
    );
    table.finish();
}

/// Wall time of a whole `mahalleh export` process writing a PNG layout of the file.
fn export_seconds(path: &Path) -> f64 {
    let out = std::env::temp_dir().join("mahalleh-world-bench.png");
    let t = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_mahalleh"))
        .arg("export")
        .arg("--districts")
        .arg(path)
        .arg("--out")
        .arg(&out)
        .status()
        .unwrap();
    let seconds = t.elapsed().as_secs_f64();
    assert!(status.success());
    let _ = std::fs::remove_file(&out);
    seconds
}

/// Seconds from the first map until every coarse level has arrived, and how many there are.
fn all_levels_seconds(path: &Path) -> (f64, usize) {
    let layer = Arc::new(load_district_layer(path, &LoadOptions::default(), &no_progress).unwrap());
    let scene = MapScene::with_coarse_levels_later(layer);
    let t = Instant::now();
    while scene.levels.pending() {
        std::thread::sleep(Duration::from_millis(10));
    }
    (t.elapsed().as_secs_f64(), scene.levels.ready().len())
}

/// Seconds from the moment the progress callback first answers "stop", half a second into
/// preparing drawing data (inside the biggest countries), to the load returning.
fn cancel_seconds(path: &Path) -> f64 {
    let asked_at: std::sync::Mutex<Option<Instant>> = std::sync::Mutex::new(None);
    let preparing_since: std::sync::Mutex<Option<Instant>> = std::sync::Mutex::new(None);
    let stopped = AtomicBool::new(false);
    let progress = |p: LoadProgress| {
        if p.stage != LoadStage::Prepare {
            return true;
        }
        let since = *preparing_since.lock().unwrap().get_or_insert_with(Instant::now);
        if since.elapsed() < Duration::from_millis(500) {
            return true;
        }
        if !stopped.swap(true, Ordering::Relaxed) {
            *asked_at.lock().unwrap() = Some(Instant::now());
        }
        false
    };
    let result = load_district_layer(path, &LoadOptions::default(), &progress);
    let returned = Instant::now();
    assert!(result.is_err(), "the load finished before it was asked to stop");
    let asked = asked_at.lock().unwrap().expect("asked to stop");
    returned.duration_since(asked).as_secs_f64()
}

/// The summed area of every fill triangle and of every polygon's rings (exterior less holes),
/// in square Web Mercator metres, from the drawing's own f32 vertices.
fn filled_and_ring_areas_m2(layer: &mahalleh::workspace::DistrictLayer) -> (f64, f64) {
    let drawing = layer.drawing();
    let (mut filled, mut rings) = (0.0, 0.0);
    for i in 0..drawing.districts.len() {
        let v = drawing.vertices_of(i);
        let at = |i: u32| [f64::from(v[i as usize][0]), f64::from(v[i as usize][1])];
        for t in drawing.triangles_of(i).to_vec().chunks(3) {
            let [a, b, c] = [at(t[0]), at(t[1]), at(t[2])];
            filled += ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs() / 2.0;
        }
        for ring in drawing.rings_of(i) {
            let ring = &v[ring];
            let n = ring.len();
            let twice: f64 = (0..n)
                .map(|k| {
                    let (p, q) = (ring[k], ring[(k + 1) % n]);
                    f64::from(p[0]) * f64::from(q[1]) - f64::from(q[0]) * f64::from(p[1])
                })
                .sum();
            rings += twice / 2.0;
        }
    }
    (filled, rings)
}
