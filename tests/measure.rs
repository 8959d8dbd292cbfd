//! The measure tool's figures against PROJ/GeographicLib through pyproj (`Geod(ellps="WGS84")`
//! `line_length` and `polygon_area_perimeter`) on real outlines: the Tehran municipality's
//! neighbourhoods (a Shapefile in UTM 39N) and the OpenStreetMap counties of Yazd province, and
//! `mahalleh measure` on the command line. Skips with a message when python3 with pyproj or the
//! shared data is missing.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use mahalleh::analysis::measure;

/// pyproj's length, perimeter and area of each path, in order.
fn pyproj_figures(paths: &[Vec<[f64; 2]>]) -> Vec<[f64; 3]> {
    const SCRIPT: &str = r#"
import json, sys
from pyproj import Geod
g = Geod(ellps="WGS84")
for path in json.load(sys.stdin):
    lons = [p[0] for p in path]
    lats = [p[1] for p in path]
    area, perimeter = g.polygon_area_perimeter(lons, lats)
    print(g.line_length(lons, lats), perimeter, abs(area))
"#;
    let mut child = Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let input = serde_json::to_vec(paths).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Vec<f64> = l.split_whitespace().map(|x| x.parse().unwrap()).collect();
            [v[0], v[1], v[2]]
        })
        .collect()
}

/// Each district's exterior ring without its closing vertex, as a path to measure.
fn outlines(path: &std::path::Path, count: usize) -> Vec<Vec<[f64; 2]>> {
    let layer = common::load(path).unwrap();
    layer
        .districts
        .iter()
        .take(count)
        .map(|d| {
            let ring = &d.shape_lon_lat.0[0].exterior().0;
            ring[..ring.len() - 1].iter().map(|c| [c.x, c.y]).collect()
        })
        .collect()
}

#[test]
fn lengths_perimeters_and_areas_agree_with_pyproj_on_real_outlines() {
    if !common::python_has(&["pyproj"]) {
        return;
    }
    let mut paths = Vec::new();
    if let Some(tehran) = common::shared_data("tehran-mahalat/Mahalat_Tehran.shp") {
        paths.extend(outlines(&tehran, 60));
    }
    if let Some(yazd) = common::shared_data("yazd-counties-osm.geojson") {
        // Whole counties: outlines of hundreds of kilometres.
        paths.extend(outlines(&yazd, 12));
    }
    if paths.is_empty() {
        return;
    }
    // Shapefile rings wind clockwise: their order is kept, and the area must not care.
    let reference = pyproj_figures(&paths);
    assert_eq!(reference.len(), paths.len());
    for (i, (path, [length_m, perimeter_m, area_m2])) in paths.iter().zip(reference).enumerate() {
        let m = measure(path);
        assert_eq!(m.vertices, path.len());
        let close = |ours: f64, theirs: f64| (ours - theirs).abs() <= 1e-6 * theirs.max(1.0);
        assert!(
            close(m.length_m, length_m),
            "path {i}: length {} vs {length_m}",
            m.length_m
        );
        assert!(
            close(m.perimeter_m, perimeter_m),
            "path {i}: perimeter {} vs {perimeter_m}",
            m.perimeter_m
        );
        assert!(close(m.area_m2, area_m2), "path {i}: area {} vs {area_m2}", m.area_m2);
        assert!(m.area_m2 > 10_000.0, "path {i}: a real neighbourhood, not a sliver");
    }
}

#[test]
fn the_measure_verb_prints_the_figures_and_names_a_bad_point() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_mahalleh"))
            .arg("measure")
            .args(args)
            .output()
            .unwrap()
    };
    let o = run(&["54.36,31.89", "54.37,31.89", "54.37,31.90", "54.36,31.90"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    let value = |name: &str| -> f64 {
        let line = text.lines().find(|l| l.starts_with(&format!("{name}\t"))).unwrap();
        line.split('\t').nth(1).unwrap().parse().unwrap()
    };
    // pyproj Geod(ellps="WGS84") on the same points.
    assert!((value("length_m") - 3000.863).abs() < 1e-3, "{text}");
    assert!((value("perimeter_m") - 4109.713).abs() < 1e-3, "{text}");
    assert!((value("area_m2") - 1_048_979.259).abs() < 1e-2, "{text}");
    assert!(text.contains("1.0 km²"), "{text}");
    // Persian digits, a Persian comma between the numbers, a negative longitude.
    let o = run(&["--lang", "fa", "-73.9,40.7", "۵۴٫۳۶،۳۱٫۸۹"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("points\t2") && text.contains("کیلومتر"), "{text}");
    assert!(!text.contains("area_m2"), "two points close no polygon: {text}");
    let o = run(&["54,32", "54;32.1"]);
    assert!(!o.status.success());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("point 2") && stderr.contains("54;32.1"), "{stderr}");
    let o = run(&["54,32", "54,95"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("latitude 95"));
}
