//! Load and query benchmark on a generated layer of about 100,000 polygons / 100 MB.
//!
//! `cargo bench --bench load` generates the file under `target/bench-data/` (once), then measures:
//! the full load as `mahalleh info` does it (parse, validate, index, prepare for drawing), the same
//! file read by GDAL through `pyogrio.read_dataframe` in the same run when Python has pyogrio
//! (`pip install pyogrio`), the peak memory of `mahalleh info`, and point queries. It prints a
//! table and exits non-zero when a bar is missed (issue 13: the GeoJSON load at most 0.25x GDAL's). Then the same layer as a Shapefile
//! and a GeoPackage (written by `ogr2ogr` when it is installed), each against pyogrio's read of
//! it (issue 12: at most half). `MAHALLEH_BENCH_POLYGONS` changes the size.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;
use std::time::Instant;

mod common;
use common::{ResultTable, first_map_seconds, gdal_seconds, info_peak_mb, info_seconds, median, stages_text};

use mahalleh::io::{LoadOptions, load_district_layer, no_progress};
use mahalleh::synth::bench_layer_geojson;

const RUNS: usize = 5;
const MIB: f64 = 1_048_576.0;

fn main() {
    let polygons: usize = std::env::var("MAHALLEH_BENCH_POLYGONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("bench-{polygons}.geojson"));
    if !path.exists() {
        std::fs::write(&path, bench_layer_geojson(polygons)).unwrap();
    }
    let bytes = std::fs::metadata(&path).unwrap().len();
    println!(
        "file: {} ({} polygons, {:.1} MB)",
        path.display(),
        polygons,
        bytes as f64 / 1e6
    );

    let ours = median(&(0..RUNS).map(|_| info_seconds(&path)).collect::<Vec<_>>());
    let gdal = gdal_seconds(&path, 3);
    let peak_mb = info_peak_mb(&path);

    let first_maps: Vec<(f64, f64)> = (0..3).map(|_| first_map_seconds(&path)).collect();
    let first_map = median(&first_maps.iter().map(|t| t.0).collect::<Vec<_>>());
    let areas_s = median(&first_maps.iter().map(|t| t.1).collect::<Vec<_>>());
    let layer = load_district_layer(&path, &LoadOptions::default(), &no_progress).unwrap();
    println!("in-process stages: {}", stages_text(&layer));
    let bbox = layer.bbox_lon_lat().unwrap();
    let mut state = 0x1234_5678_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let points: Vec<(f64, f64)> = (0..1_000_000)
        .map(|_| {
            (
                bbox.min().x + next() * bbox.width(),
                bbox.min().y + next() * bbox.height(),
            )
        })
        .collect();
    let t = Instant::now();
    let hits = points
        .iter()
        .filter(|(x, y)| layer.district_at(*x, *y).is_some())
        .count();
    let hit_us = t.elapsed().as_secs_f64() * 1e6 / points.len() as f64;
    let t = Instant::now();
    let near: usize = points[..100_000]
        .iter()
        .map(|(x, y)| layer.nearest(*x, *y, 5).len())
        .sum();
    let nearest_us = t.elapsed().as_secs_f64() * 1e6 / 100_000.0;
    let t = Instant::now();
    let mut in_rect = 0;
    for &(x, y) in &points[..100_000] {
        let r = geo::Rect::new(geo::coord! {x: x, y: y}, geo::coord! {x: x + 0.02, y: y + 0.02});
        in_rect += layer.districts_in_rect(r).len();
    }
    let rect_us = t.elapsed().as_secs_f64() * 1e6 / 100_000.0;

    let mut table = ResultTable::start();
    let mut row = |what: &str, value: String, bar: String, ok: bool| table.row(what, value, bar, ok);
    row(
        "`mahalleh info` wall time (median of 5)",
        format!("{ours:.2} s"),
        "-".into(),
        true,
    );
    match gdal {
        Some(g) => row(
            "GDAL `pyogrio.read_dataframe` (median of 3)",
            format!("{g:.2} s"),
            format!("ours <= {:.2} s (issue 13: 0.25x)", g * 0.25),
            ours <= g * 0.25,
        ),
        None => println!("| GDAL | not measured: `pip install pyogrio` to compare | | |"),
    }
    row(
        "window: file to first map (load, scene; median of 3)",
        format!("{first_map:.2} s"),
        "< 2 s".into(),
        first_map < 2.0,
    );
    row(
        "window: district areas for coverage, after the first map",
        format!("{areas_s:.2} s"),
        "-".into(),
        true,
    );
    row(
        "peak memory of `mahalleh info`",
        format!("{peak_mb:.0} MiB ({:.1}x file)", peak_mb * MIB / bytes as f64),
        "< 10x file".into(),
        peak_mb * MIB < 10.0 * bytes as f64,
    );
    row(
        "hit test `district_at` (1M random points)",
        format!("{hit_us:.2} us ({hits} hits)"),
        "< 5 us".into(),
        hit_us < 5.0,
    );
    row(
        "`nearest` k=5",
        format!("{nearest_us:.2} us ({near} found)"),
        "-".into(),
        true,
    );
    row(
        "`districts_in_rect` 0.02 deg",
        format!("{rect_us:.2} us ({in_rect} found)"),
        "-".into(),
        true,
    );
    // The same layer as a Shapefile and a GeoPackage, written by GDAL, each against GDAL's own
    // read of it in the same run.
    for (format, ext, extra) in [
        ("ESRI Shapefile", "shp", &["-lco", "ENCODING=UTF-8"][..]),
        ("GPKG", "gpkg", &[][..]),
    ] {
        let converted = dir.join(format!("bench-{polygons}.{ext}"));
        if !converted.exists() {
            let made = Command::new("ogr2ogr")
                .args(["-f", format])
                .args(extra)
                .arg(&converted)
                .arg(&path)
                .status();
            if !made.is_ok_and(|s| s.success()) {
                println!("| {ext} | not measured: ogr2ogr (gdal-bin) is missing | | |");
                continue;
            }
        }
        let ours = median(&(0..RUNS).map(|_| info_seconds(&converted)).collect::<Vec<_>>());
        let layer = load_district_layer(&converted, &LoadOptions::default(), &no_progress).unwrap();
        row(
            &format!("`mahalleh info` on the .{ext} (median of 5; {})", stages_text(&layer)),
            format!("{ours:.2} s"),
            "-".into(),
            true,
        );
        match gdal_seconds(&converted, 3) {
            Some(g) => row(
                &format!("GDAL `pyogrio.read_dataframe` on the .{ext}"),
                format!("{g:.2} s"),
                format!("ours <= {:.2} s (half)", g / 2.0),
                ours <= g / 2.0,
            ),
            None => println!("| GDAL .{ext} | not measured: `pip install pyogrio` to compare | | |"),
        }
    }
    table.finish();
}
