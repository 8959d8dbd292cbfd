//! The command-line contracts: `info` and `locate`, their output, JSON and exit status.
#![allow(clippy::unwrap_used)]

mod common;

use std::process::{Command, Output};

use common::fixture;
use serde_json::Value;

fn mahalleh(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mahalleh"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn info_json_has_the_contract_fields() {
    let path = fixture("mixed.geojson");
    let o = mahalleh(&["info", path.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["features_loaded"], 6);
    assert_eq!(v["features_skipped"], 8);
    assert_eq!(v["skipped"].as_array().unwrap().len(), 8);
    assert_eq!(v["skipped"][0]["index"], 4);
    assert!(v["skipped"][0]["reason"].as_str().unwrap().contains("at least 4"));
    assert_eq!(v["warnings"].as_array().unwrap().len(), 3);
    assert_eq!(v["bbox"], serde_json::json!([54.3, 31.8, 54.64, 31.94]));
    assert_eq!(v["name_field"], "tags.name");
    assert_eq!(v["geometry_types"]["Polygon"], 7);
    assert_eq!(v["geometry_types"]["Point"], 1);
    for stage in ["read", "scan", "parse", "index", "prepare", "total"] {
        assert!(v["timings_ms"][stage].as_f64().is_some(), "{stage}");
    }
}

#[test]
fn info_text_and_name_field() {
    let path = fixture("mixed.geojson");
    let o = mahalleh(&["info", path.to_str().unwrap(), "--name-field", "tags.name:en"]);
    let text = stdout(&o);
    assert!(o.status.success());
    assert!(
        text.contains("6 district(s) loaded, 8 feature(s) skipped, of 14"),
        "{text}"
    );
    assert!(text.contains("label field: tags.name:en (requested)"), "{text}");
    assert!(
        text.contains("feature 13 (line 31): polygon 0 ring 0 position 0 (230000, 3530000)"),
        "{text}"
    );
}

#[test]
fn info_fails_with_one_line_and_nonzero_status() {
    for name in [
        "truncated.geojson",
        "not-json.geojson",
        "unknown-crs.geojson",
        "points-only.geojson",
        "missing.geojson",
    ] {
        let o = mahalleh(&["info", fixture(name).to_str().unwrap()]);
        assert!(!o.status.success(), "{name}");
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert!(err.starts_with("mahalleh: "), "{name}: {err}");
        assert!(stdout(&o).is_empty());
    }
}

#[test]
fn locate_one_point() {
    let path = fixture("mixed.geojson");
    let p = path.to_str().unwrap();
    let o = mahalleh(&["locate", p, "54.32", "31.805"]);
    assert!(o.status.success());
    assert_eq!(stdout(&o), "میدان\n");
    let o = mahalleh(&["locate", p, "54.32", "31.82"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no district contains 54.32, 31.82"));
    let o = mahalleh(&["locate", p, "54.405", "31.83", "--json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        (v["label"].as_str(), v["feature_index"].as_u64()),
        (Some("کوچه U"), Some(1))
    );
    assert_eq!(v["properties"]["tags"]["name:en"], "U lane");
    // Negative coordinates are numbers, not options.
    let o = mahalleh(&["locate", p, "-73.9", "-40.7"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn locate_many_points_one_line_each() {
    let path = fixture("mixed.geojson");
    let csv = fixture("points.csv");
    let o = mahalleh(&["locate", path.to_str().unwrap(), "--points", csv.to_str().unwrap()]);
    assert_eq!(stdout(&o), "میدان\n\nکوچه U\n\n\nدوپاره\n");
    assert_eq!(o.status.code(), Some(2), "a line that is not a point");
    assert!(stderr(&o).contains("line 6 of"), "{}", stderr(&o));
}

#[test]
fn help_documents_the_verbs() {
    let text = stdout(&mahalleh(&["--help"]));
    for verb in ["info", "locate", "generate", "coverage", "export"] {
        assert!(text.contains(verb), "{text}");
    }
}

#[test]
fn coverage_json_from_districts_and_offices() {
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
    let offices = fixture("yazd-offices.geojson");
    let csv = std::env::temp_dir().join(format!("mahalleh-coverage-{}.csv", std::process::id()));
    let o = mahalleh(&[
        "coverage",
        "--districts",
        sample.to_str().unwrap(),
        "--offices",
        offices.to_str().unwrap(),
        "--radius-m",
        "1000",
        "--json",
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["radius_m"], 1000.0);
    let rows = v["districts"].as_array().unwrap();
    assert_eq!(rows.len(), 59);
    let eskan = rows.iter().find(|r| r["name"] == "اسکان").unwrap();
    assert!(eskan["covered_fraction"].as_f64().unwrap() > 0.3, "{eskan}");
    assert_eq!(eskan["nearest_office"], "دفتر اسکان");
    assert!(eskan["nearest_office_m"].as_f64().unwrap() < 1000.0);
    let s = &v["summary"];
    assert_eq!(
        (s["offices"].as_u64(), s["marginal_total"].as_u64()),
        (Some(3), Some(5))
    );
    let share = s["population_share"].as_f64().unwrap();
    assert!(share > 0.0 && share < 0.5, "{share}");
    // The CSV holds the same rows, Persian names intact, with a BOM for spreadsheets.
    let text = std::fs::read_to_string(&csv).unwrap();
    std::fs::remove_file(&csv).unwrap();
    assert!(text.starts_with("\u{feff}index,name,area_m2,covered_fraction"));
    assert_eq!(text.lines().count(), 60);
    assert!(text.contains(",اسکان,"));
}

#[test]
fn coverage_from_a_saved_plan() {
    let dir = std::env::temp_dir().join(format!("mahalleh-plan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
    let plan = dir.join("first.mahalleh");
    let text = format!(
        r#"{{"format": "mahalleh-plan", "schema_version": 1, "districts": {{"path": {:?}}}, "radius_m": 5000,
            "offices": [{{"id": 1, "name": "A", "lon_lat": [54.37, 31.9]}}]}}"#,
        sample.to_str().unwrap()
    );
    std::fs::write(&plan, text).unwrap();
    let o = mahalleh(&["coverage", plan.to_str().unwrap(), "--json"]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["radius_m"], 5000.0);
    let fully = v["districts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["covered_fraction"].as_f64() == Some(1.0))
        .count();
    assert!(
        fully >= 5,
        "a 5 km radius from the centre covers several districts whole: {fully}"
    );
}

#[test]
fn export_writes_a_layout_from_a_plan_with_its_saved_layout() {
    let dir = std::env::temp_dir().join(format!("mahalleh-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
    let plan = dir.join("first.mahalleh");
    // The plan's layout says A2 portrait in English; the command line changes the paper only.
    let text = format!(
        r#"{{"format": "mahalleh-plan", "schema_version": 1, "districts": {{"path": {:?}}}, "radius_m": 900,
            "offices": [{{"id": 1, "name": "Office A", "lon_lat": [54.37, 31.9]}}],
            "layout": {{"paper": "a2", "orientation": "portrait", "language": "en", "title": "Saved title"}}}}"#,
        sample.to_str().unwrap()
    );
    std::fs::write(&plan, text).unwrap();
    let svg = dir.join("out.svg");
    let o = mahalleh(&[
        "export",
        plan.to_str().unwrap(),
        "--out",
        svg.to_str().unwrap(),
        "--page",
        "a4",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_to_string(&svg).unwrap();
    assert!(written.contains(r#"width="210mm" height="297mm""#), "A4 portrait");
    assert!(written.contains(">Saved title</text>"));
    assert!(written.contains(">Walking catchment (900 m)</text>"));
    let png = dir.join("out.png");
    let o = mahalleh(&[
        "export",
        "--districts",
        sample.to_str().unwrap(),
        "--out",
        png.to_str().unwrap(),
        "--page",
        "A4",
        "--landscape",
        "--dpi",
        "72",
        "--title",
        "نقشه محله‌ها",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(&png).unwrap();
    // The PNG header holds the size: 297 × 210 mm at 72 dpi.
    assert_eq!(&bytes[1..4], b"PNG");
    let width = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    let height = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
    assert_eq!((width, height), (842, 595));
    let bad = mahalleh(&[
        "export",
        plan.to_str().unwrap(),
        "--out",
        dir.join("out.jpg").to_str().unwrap(),
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("must end in .pdf, .svg or .png"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn a_district_file_given_where_the_plan_goes_is_read_as_the_districts() {
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
    let svg = std::env::temp_dir().join(format!("mahalleh-districts-as-plan-{}.svg", std::process::id()));
    let o = mahalleh(&["export", sample.to_str().unwrap(), "--out", svg.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_to_string(&svg).unwrap();
    std::fs::remove_file(&svg).ok();
    assert!(written.contains("اسکان"), "the sample's districts are drawn and named");
    let o = mahalleh(&["coverage", sample.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["districts"].as_array().unwrap().len(), 59);
    // A real plan file that is broken is still reported as a plan.
    let plan = std::env::temp_dir().join(format!("mahalleh-broken-{}.mahalleh", std::process::id()));
    std::fs::write(&plan, "{").unwrap();
    let o = mahalleh(&["coverage", plan.to_str().unwrap()]);
    std::fs::remove_file(&plan).ok();
    assert!(!o.status.success());
    assert!(stderr(&o).contains("not a mahalleh plan"), "{}", stderr(&o));
}

#[test]
fn suggest_p_median_from_a_cost_table_and_an_orlib_file() {
    let dir = std::env::temp_dir().join(format!("mahalleh-suggest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Three demand points, three candidates: candidate 1 is best alone; 0 and 2 together.
    let matrix = dir.join("cost.csv");
    std::fs::write(&matrix, "0,5,9\n5,1,5\n9,5,0\n").unwrap();
    let weights = dir.join("w.csv");
    std::fs::write(&weights, "1\n1\n1\n").unwrap();
    let (m, w) = (matrix.to_str().unwrap(), weights.to_str().unwrap());
    let suggest = |extra: &[&str]| mahalleh(&[&["suggest", "--matrix", m, "--weights", w][..], extra].concat());
    let run = |p: &str| {
        let o = suggest(&["--p", p, "--json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_str::<Value>(&stdout(&o)).unwrap()
    };
    let one = run("1");
    assert_eq!(one["chosen"], serde_json::json!([1]));
    assert_eq!(one["objective"], 11.0);
    assert_eq!(one["model"], "p-median");
    assert_eq!(one["gap"], 0.0, "proven optimal");
    let two = run("2");
    assert_eq!(two["chosen"], serde_json::json!([0, 2]));
    assert_eq!(two["objective"], 5.0);
    assert!(two["seconds"].as_f64().unwrap() >= 0.0);
    // Maximal covering within 5: one site covers at most two points (1 reaches all three).
    let o = suggest(&["--model", "mclp", "--radius", "5", "--p", "1", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mclp: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(mclp["chosen"], serde_json::json!([1]));
    assert_eq!(mclp["objective"], 3.0, "covered weight");
    assert_eq!(mclp["gap"], 0.0);
    // Set covering within 5: site 1 reaches all three points.
    let o = suggest(&["--model", "lscp", "--radius", "5", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lscp: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(lscp["chosen"], serde_json::json!([1]));
    assert_eq!((lscp["objective"].as_u64(), lscp["bound"].as_u64()), (Some(1), Some(1)));
    // Within 0.5 only a site on the point itself covers it: 0 and 2 for points 0 and 2, and
    // point 1 is reached by site 1 only.
    let o = suggest(&["--model", "lscp", "--radius", "0.5", "--json"]);
    let tight: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(tight["chosen"], serde_json::json!([0, 2]), "{tight}");
    assert_eq!(tight["uncoverable"], serde_json::json!([1]));
    // A bad cell is named by line and column.
    std::fs::write(&matrix, "0,5,9\n5,x,5\n9,5,0\n").unwrap();
    let bad = suggest(&["--p", "1"]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("line 2, column 2"), "{}", stderr(&bad));
    let Some(pmed1) = common::shared_data("orlib/pmed1.txt") else {
        return;
    };
    let o = mahalleh(&["suggest", "--orlib", pmed1.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["p"], 5);
    assert_eq!(v["objective"], 5819.0);
    assert_eq!(v["chosen"].as_array().unwrap().len(), 5);
}

#[test]
fn suggest_on_the_sample_map_covers_the_marginal_settlements() {
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
    let sample = sample.to_str().unwrap();
    let run = |args: &[&str]| {
        let o = mahalleh(&[&["suggest", "--districts", sample, "--json"][..], args].concat());
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_str::<Value>(&stdout(&o)).unwrap()
    };
    // Set covering: every marginal settlement's anchor within 800 m of a chosen site.
    let lscp = run(&["--model", "lscp", "--radius", "800"]);
    assert_eq!(lscp["unreached_districts"], serde_json::json!([]));
    let sites: Vec<[f64; 2]> = serde_json::from_value(lscp["chosen_lon_lat"].clone()).unwrap();
    let layer = common::load(std::path::Path::new(sample)).unwrap();
    let marginal: Vec<usize> = (0..layer.districts.len())
        .filter(|&i| mahalleh::model::is_marginal(&layer.districts[i].properties))
        .collect();
    assert_eq!(marginal.len(), 5);
    for i in marginal {
        let [lon, lat] = layer.drawing().districts[i].label_anchor_lon_lat;
        let near = sites.iter().any(|s| {
            use geo::Distance;
            geo::Geodesic.distance(geo::Point::new(lon, lat), geo::Point::new(s[0], s[1])) <= 800.0
        });
        assert!(near, "marginal district {i} is not covered");
    }
    // Maximal covering with 3 sites covers less than with 5, and both are proven.
    let three = run(&["--model", "mclp", "--p", "3", "--radius", "800"]);
    let five = run(&["--model", "mclp", "--p", "5", "--radius", "800"]);
    assert!(three["objective"].as_f64() < five["objective"].as_f64());
    assert!(five["gap"].as_f64().unwrap() < 1e-6);
    // Each new site says what it adds, and the report compares before and after.
    let new_sites = five["new_sites"].as_array().unwrap();
    assert_eq!(new_sites.len(), 5);
    assert!(
        new_sites.iter().all(|s| s["contribution"].as_f64().unwrap() > 0.0),
        "{five}"
    );
    assert_eq!(five["within_radius_before"], 0.0);
    assert_eq!(five["within_radius_after"], five["objective"]);
    // Demand spread inside the districts: more demand points, the same total weight.
    let spread = run(&[
        "--model",
        "mclp",
        "--p",
        "5",
        "--demand",
        "spread",
        "--demand-spacing-m",
        "300",
    ]);
    assert!(
        spread["demand_points"].as_u64() > five["demand_points"].as_u64(),
        "{spread}"
    );
    let total = |v: &Value| v["total_weight"].as_f64().unwrap();
    assert!((total(&spread) - total(&five)).abs() < 1e-6 * total(&five));
    // The plan's own indicators come with the answer: none before, some after.
    assert_eq!(five["indicators_before"]["population_reached"], 0.0);
    let after = five["indicators_after"]["population_share"].as_f64().unwrap();
    assert!(after > 0.0 && after < 1.0, "{five}");
    // Only Meybod: every new site is in a Meybod district.
    let meybod = run(&["--model", "mclp", "--p", "2", "--only", "city=میبد"]);
    for site in meybod["new_sites"].as_array().unwrap() {
        let [lon, lat]: [f64; 2] = serde_json::from_value(site["lon_lat"].clone()).unwrap();
        let d = layer.district_at(lon, lat).unwrap();
        assert_eq!(layer.districts[d].properties["city"], "میبد");
    }
    let unknown = mahalleh(&["suggest", "--districts", sample, "--only", "city=Tehran"]);
    assert!(!unknown.status.success());
    assert!(stderr(&unknown).contains("city=یزد"), "{}", stderr(&unknown));
    // p-median with one site and a 1 km maximum distance leaves named districts out of reach.
    let far = run(&["--p", "1", "--max-distance-m", "1000"]);
    let unreached = far["unreached_districts"].as_array().unwrap();
    assert!(
        !unreached.is_empty() && unreached.iter().all(|n| n.as_str().is_some_and(|n| !n.is_empty())),
        "{far}"
    );
}

#[test]
fn an_unknown_verb_or_a_missing_file_is_said_at_once_without_a_window() {
    let o = mahalleh(&["transform", "districts.shp", "out.geojson"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("unknown command 'transform'"), "{e}");
    for verb in ["info", "locate", "coverage", "export", "suggest", "convert"] {
        assert!(e.contains(verb), "the verbs are listed: {e}");
    }
    let o = mahalleh(&["/nowhere/districts.geojson"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no such file: /nowhere/districts.geojson"),
        "{}",
        stderr(&o)
    );
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    use std::io::Read;
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
    let mut child = Command::new(env!("CARGO_BIN_EXE_mahalleh"))
        .arg("info")
        .arg(&sample)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end before the child writes.
    drop(child.stdout.take());
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    child.wait().unwrap();
    assert!(!err.contains("panicked"), "{err}");
}

/// `mahalleh convert`.
#[path = "cli/convert.rs"]
mod convert;
