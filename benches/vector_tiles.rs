//! Vector basemap drawing speed: a screen of tiles (1600 × 1000 pixels: 7 × 5 tiles) drawn from
//! an MBTiles file GDAL makes from the OpenStreetMap extract in `../shared/data/osm`, at the
//! file's last zoom and two and four levels past it, by one reader (as the window reads a
//! file) and by one per core. Needs `ogr2ogr`; says so and stops without it.
//!
//! `cargo bench --bench vector_tiles`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use mahalleh::basemap::{TileId, TileSource, tiles_covering};

fn main() {
    let osm = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/osm/test.osm.pbf");
    if !osm.exists() {
        println!("skipped: {} is not here", osm.display());
        return;
    }
    let Some(tiles) = vector_mbtiles(&osm) else {
        println!("skipped: ogr2ogr (gdal-bin) is not installed");
        return;
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
    let centre = mahalleh::map::mercator_from_lon_lat(26.95, 60.53);
    println!("file: {} (zooms 10-14), {cores} cores", tiles.display());
    for z in [14u8, 16, 18] {
        let size_m = TileId { z, x: 0, y: 0 }.size_m();
        let view = [
            [centre[0] - 3.0 * size_m, centre[1] - 2.0 * size_m],
            [centre[0] + 3.0 * size_m, centre[1] + 2.0 * size_m],
        ];
        let ids = tiles_covering(view, z, 100);
        let one = draw_all(&tiles, &ids, 1);
        let all = draw_all(&tiles, &ids, cores);
        println!(
            "zoom {z}: {} tiles, one reader {:.0} ms ({:.1} ms a tile), {cores} readers {:.0} ms",
            ids.len(),
            one,
            one / ids.len() as f64,
            all
        );
    }
}

/// Milliseconds to draw `ids` from fresh handles of `path` shared out among `readers` threads.
fn draw_all(path: &Path, ids: &[TileId], readers: usize) -> f64 {
    let started = Instant::now();
    std::thread::scope(|scope| {
        for k in 0..readers {
            scope.spawn(move || {
                let (mut source, _) = TileSource::open(path).unwrap();
                for id in ids.iter().skip(k).step_by(readers) {
                    source.tile(*id).unwrap();
                }
            });
        }
    });
    started.elapsed().as_secs_f64() * 1000.0
}

/// The extract as vector tiles, zooms 10-14, in the target folder; `None` without ogr2ogr.
fn vector_mbtiles(osm: &Path) -> Option<PathBuf> {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("osm-vector.mbtiles");
    if out.exists() {
        return Some(out);
    }
    let made = std::process::Command::new("ogr2ogr")
        .args(["-f", "MBTiles"])
        .arg(&out)
        .arg(osm)
        .args([
            "points",
            "lines",
            "multipolygons",
            "-dsco",
            "MINZOOM=10",
            "-dsco",
            "MAXZOOM=14",
        ])
        .output()
        .ok()?;
    made.status.success().then_some(out)
}
