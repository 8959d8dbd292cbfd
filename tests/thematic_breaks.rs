#![allow(clippy::unwrap_used, clippy::panic)]
//! Class breaks against PySAL's mapclassify on real values: the Tehran municipality's 375
//! neighbourhoods (their `Shape_Area` field as the Shapefile holds it, and our ellipsoidal areas),
//! and the 3,231 US counties' areas when fetched. Skipped with a message when the data or
//! python3 with mapclassify is missing.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use mahalleh::style::{ClassMethod, StyleValue, classify, style_values};
use mahalleh::workspace::DistrictLayer;

/// mapclassify's bins for `values`, one line per method: quantile, equal, jenks, stddev.
fn mapclassify_bins(values: &[f64], k: usize) -> Option<Vec<Vec<f64>>> {
    let script = format!(
        "import sys, json, numpy as np, mapclassify as mc\n\
         y = np.array(json.load(sys.stdin))\n\
         out = [mc.Quantiles(y, k={k}).bins, mc.EqualInterval(y, k={k}).bins,\n\
                mc.FisherJenks(y, k={k}).bins, mc.StdMean(y).bins]\n\
         print(json.dumps([[float(b) for b in bins] for bins in out]))\n"
    );
    let mut child = Command::new("python3")
        .args(["-W", "ignore", "-c", &script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let input = serde_json::to_vec(values).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().ok()?;
    if !out.status.success() {
        eprintln!("mapclassify failed: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    serde_json::from_slice(&out.stdout).ok()
}

/// Our breaks equal mapclassify's, method by method, within 1e-9 of the value's size, for each
/// class count of `ks`.
fn assert_breaks_match(what: &str, values: &[f64], ks: &[usize]) {
    for &k in ks {
        let Some(theirs) = mapclassify_bins(values, k) else {
            panic!("mapclassify did not answer for {what}");
        };
        let methods = [
            ClassMethod::Quantile,
            ClassMethod::EqualInterval,
            ClassMethod::NaturalBreaks,
            ClassMethod::StandardDeviation,
        ];
        for (method, theirs) in methods.iter().zip(&theirs) {
            let ours = classify(values, *method, k, &[]).unwrap().upper_bounds;
            let scale = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            let same =
                ours.len() == theirs.len() && ours.iter().zip(theirs).all(|(a, b)| (a - b).abs() <= 1e-9 * scale);
            assert!(same, "{what}, {method:?}, k={k}:\n ours   {ours:?}\n theirs {theirs:?}");
        }
    }
}

fn values_of(layer: &DistrictLayer, value: &StyleValue) -> Vec<f64> {
    style_values(value, layer, None, None).into_iter().flatten().collect()
}

#[test]
fn tehran_breaks_equal_mapclassify() {
    let Some(path) = common::shared_data("tehran-mahalat/Mahalat_Tehran.shp") else {
        return;
    };
    if !common::python_has(&["mapclassify"]) {
        return;
    }
    let layer = common::load(&path).unwrap();
    let shape_area = values_of(&layer, &StyleValue::parse("Shape_Area"));
    assert_eq!(shape_area.len(), 375);
    assert_breaks_match("Tehran Shape_Area", &shape_area, &[3, 5, 7, 9]);
    let area_km2 = values_of(&layer, &StyleValue::AreaKm2);
    assert_breaks_match("Tehran area_km2", &area_km2, &[3, 5, 7, 9]);
    // The ellipsoidal areas agree with the file's own planar UTM areas to within the UTM scale
    // error (under 0.2% this close to the central meridian).
    let total_ours: f64 = area_km2.iter().sum();
    let total_file: f64 = shape_area.iter().sum::<f64>() / 1e6;
    assert!(
        (total_ours / total_file - 1.0).abs() < 0.002,
        "{total_ours} vs {total_file}"
    );
}

#[test]
fn us_county_area_breaks_equal_mapclassify() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/reference-data/us-counties.geojson");
    if !path.exists() {
        eprintln!("skipping: run tests/reference/fetch_us_counties.sh for the US counties");
        return;
    }
    if !common::python_has(&["mapclassify"]) {
        return;
    }
    let layer = common::load(&path).unwrap();
    let area_km2 = values_of(&layer, &StyleValue::AreaKm2);
    assert_eq!(area_km2.len(), 3231);
    // One class count: mapclassify's natural breaks without numba take half a minute here.
    assert_breaks_match("US counties area_km2", &area_km2, &[6]);
}
