//! A million points in the 3,231 US counties (issue 13): `mahalleh locate --points` against
//! geopandas' `sjoin` in the same run (points built beforehand, only the join timed), and the
//! answers compared point by point.
//!
//! `tests/reference/fetch_us_counties.sh` makes the counties (npm); without them, or without
//! geopandas, the bench says so and stops. `cargo bench --bench locate_points` prints a table and
//! exits non-zero when a bar is missed or an answer differs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

mod common;
use common::{ResultTable, median};

const POINTS: usize = 1_000_000;

/// Times geopandas' join of the points (first argument: counties, second: CSV) with `intersects`
/// (boundary inside, as ours) and writes, per point, the lowest county index that holds it or -1.
const SJOIN: &str = r#"
import sys, time
import numpy as np, pandas as pd, geopandas as gpd
counties = gpd.read_file(sys.argv[1])
table = pd.read_csv(sys.argv[2])
points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(table.lon, table.lat), crs=counties.crs)
times = []
for _ in range(3):
    t = time.perf_counter()
    joined = gpd.sjoin(points, counties[["geometry"]], how="left", predicate="intersects")
    times.append(time.perf_counter() - t)
first = joined.groupby(level=0)["index_right"].min().reindex(range(len(points)))
np.savetxt(sys.argv[3], first.fillna(-1).astype(int).values, fmt="%d")
print(sorted(times)[1])
"#;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let counties = root.join("target/reference-data/us-counties.geojson");
    if !counties.exists() {
        println!(
            "{} is missing: run tests/reference/fetch_us_counties.sh first",
            counties.display()
        );
        return;
    }
    let dir = root.join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("us-points-1m.csv");
    if !csv.exists() {
        write_points(&csv);
    }
    let ours_out = dir.join("us-points-1m.ours.jsonl");
    let theirs_out = dir.join("us-points-1m.sjoin.txt");

    let bin = env!("CARGO_BIN_EXE_mahalleh");
    let runs: Vec<f64> = (0..5)
        .map(|_| {
            let t = Instant::now();
            let out = Command::new(bin)
                .args(["locate", counties.to_str().unwrap(), "--points", csv.to_str().unwrap()])
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            t.elapsed().as_secs_f64()
        })
        .collect();
    let ours = median(&runs);
    let json = Command::new(bin)
        .args([
            "locate",
            counties.to_str().unwrap(),
            "--points",
            csv.to_str().unwrap(),
            "--json",
        ])
        .output()
        .unwrap();
    std::fs::write(&ours_out, &json.stdout).unwrap();
    let ours_answers: Vec<i64> = String::from_utf8_lossy(&json.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["feature_index"].as_i64().unwrap_or(-1)
        })
        .collect();

    let sjoin = Command::new("python3")
        .args([
            "-c",
            SJOIN,
            counties.to_str().unwrap(),
            csv.to_str().unwrap(),
            theirs_out.to_str().unwrap(),
        ])
        .output()
        .ok()
        .filter(|o| o.status.success());
    let Some(sjoin) = sjoin else {
        println!("ours: {ours:.3} s (runs {runs:.3?}); geopandas is missing (pip install geopandas): no comparison");
        return;
    };
    let sjoin_s: f64 = String::from_utf8_lossy(&sjoin.stdout).trim().parse().unwrap();
    let theirs: Vec<i64> = std::fs::read_to_string(&theirs_out)
        .unwrap()
        .lines()
        .map(|l| l.trim().parse().unwrap())
        .collect();
    let inside = ours_answers.iter().filter(|&&a| a >= 0).count();
    let differ = ours_answers.iter().zip(&theirs).filter(|(a, b)| a != b).count();
    println!("ours: runs {runs:.3?}");

    let mut table = ResultTable::start();
    table.row(
        "geopandas `sjoin` (median of 3)",
        format!("{sjoin_s:.3} s"),
        "-".into(),
        true,
    );
    table.row(
        "`mahalleh locate --points` wall time (median of 5)",
        format!("{ours:.3} s"),
        format!("<= {:.3} s (0.5x)", sjoin_s * 0.5),
        ours <= sjoin_s * 0.5,
    );
    table.row(
        "answers that differ from sjoin",
        format!("{differ} of {} ({inside} inside)", ours_answers.len()),
        "0".into(),
        differ == 0 && ours_answers.len() == theirs.len() && ours_answers.len() == POINTS,
    );
    table.finish();
}

/// A million points uniform over the lower 48 states' box, from a fixed seed.
fn write_points(path: &Path) {
    let mut rng = mahalleh::synth::Rng::new(7);
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(out, "lon,lat").unwrap();
    for _ in 0..POINTS {
        let lon = rng.range(-125.0, -66.0);
        let lat = rng.range(24.0, 50.0);
        writeln!(out, "{lon:.6},{lat:.6}").unwrap();
    }
    out.flush().unwrap();
}
