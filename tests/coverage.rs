//! Coverage against independent computations: on the bundled sample map, a grid of geodesic point
//! tests and every ring reversed; on real files whose rings are clockwise (a Shapefile turned into
//! GeoJSON by GDAL, TopoJSON turned into GeoJSON by topojson-client), the numbers a planner quotes
//! (district areas, covered shares, distances to the nearest office) from `mahalleh coverage`
//! against GEOS through shapely and PROJ/GeographicLib through pyproj
//! (tests/reference/coverage_geos.py). Every district is compared, whatever its value, and each
//! file is run again with every ring reversed. The reference checks skip with a message when
//! python3 with shapely and pyproj, ogr2ogr or a file is missing (`.ci/run` installs and fetches
//! them).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::sync::Arc;

use mahalleh::analysis::CoverageModel;
use mahalleh::model::{District, Office, OfficeId};
use mahalleh::workspace::DistrictLayer;
use proptest::prelude::*;

#[test]
fn coverage_matches_a_fine_grid() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
    let layer = Arc::new(common::load(&path).unwrap());
    let fahadan = layer
        .districts
        .iter()
        .position(|d| d.properties["name_en"] == "Fahadan")
        .unwrap();
    let anchor = layer.drawing().districts[fahadan].label_anchor_lon_lat;
    let offices = [
        Office::proposed(OfficeId(1), "a", anchor),
        Office::proposed(OfficeId(2), "b", [anchor[0] + 0.012, anchor[1] + 0.004]),
    ];
    let coverage = CoverageModel::new(Arc::clone(&layer), None).compute(&offices, 800.0);
    // Districts are chosen by where the offices are, not by the value under test: one wrongly
    // at 0 fails as surely as one wrongly at 1.
    let near = common::districts_near(&layer, &offices, 800.0);
    let mut reached = 0;
    for &i in &near {
        let c = &coverage.districts[i];
        let grid = common::grid_covered_fraction(&layer, i, &offices, 800.0, 220);
        assert!(
            (c.covered_fraction - grid).abs() < 0.01,
            "district {i}: {} vs grid {grid}",
            c.covered_fraction
        );
        reached += usize::from(grid > 0.0);
    }
    assert!(reached >= 3, "{reached}");
    for (i, c) in coverage.districts.iter().enumerate().filter(|(i, _)| !near.contains(i)) {
        assert_eq!(c.covered_fraction, 0.0, "district {i} is out of every catchment's box");
    }
    let f = &coverage.districts[fahadan];
    assert_eq!(f.nearest_office, Some(OfficeId(1)));
    assert!(f.nearest_office_m.unwrap() < 0.01);
    assert!(f.population_reached.unwrap() > 0.0);
}

/// The sample map with every ring's positions reversed, as every Shapefile and TopoJSON file has
/// them: the same districts.
fn reversed_layer(layer: &DistrictLayer) -> DistrictLayer {
    let districts = layer
        .districts
        .iter()
        .map(|d| {
            let mut shape = d.shape_lon_lat.clone();
            for p in &mut shape.0 {
                p.exterior_mut(|r| r.0.reverse());
                p.interiors_mut(|holes| holes.iter_mut().for_each(|h| h.0.reverse()));
            }
            District::new(d.feature_index, shape, d.properties.clone()).unwrap()
        })
        .collect();
    DistrictLayer::from_districts(layer.source.clone(), districts)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    /// Reversing every ring of a layer changes no number a planner reads: areas, covered shares,
    /// people reached, nearest offices and distances, and the summary.
    #[test]
    fn reversing_every_ring_changes_no_reported_number(
        spots in prop::collection::vec((0usize..59, -0.004f64..0.004, -0.004f64..0.004), 1..6),
        radius_m in 300.0f64..2500.0,
    ) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
        let layer = Arc::new(common::load(&path).unwrap());
        let reversed = Arc::new(reversed_layer(&layer));
        let offices: Vec<Office> = spots
            .iter()
            .enumerate()
            .map(|(k, &(d, dx, dy))| {
                let [lon, lat] = layer.drawing().districts[d % layer.districts.len()].label_anchor_lon_lat;
                Office::proposed(OfficeId(k as u64 + 1), "o", [lon + dx, lat + dy])
            })
            .collect();
        let a = CoverageModel::new(Arc::clone(&layer), None).compute(&offices, radius_m);
        let b = CoverageModel::new(Arc::clone(&reversed), None).compute(&offices, radius_m);
        for (x, y) in a.districts.iter().zip(&b.districts) {
            prop_assert!((x.area_m2 - y.area_m2).abs() <= 1e-6 * x.area_m2);
            prop_assert!((x.covered_fraction - y.covered_fraction).abs() < 1e-9, "{x:?} vs {y:?}");
            prop_assert_eq!(x.nearest_office, y.nearest_office);
            prop_assert!((x.nearest_office_m.unwrap() - y.nearest_office_m.unwrap()).abs() < 1e-6);
        }
        let (s, t) = (&a.summary, &b.summary);
        prop_assert!((s.population_reached - t.population_reached).abs() < 1e-6 * s.population_total.max(1.0));
        prop_assert_eq!((s.marginal_reached, s.marginal_total), (t.marginal_reached, t.marginal_total));
        prop_assert!((s.mean_nearest_m.unwrap() - t.mean_nearest_m.unwrap()).abs() < 1e-6);
    }
}

// The numbers against GEOS and PROJ on real files.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value, json};

/// One district's figures.
#[derive(Clone, Debug)]
struct Row {
    area_m2: f64,
    covered_fraction: f64,
    nearest_office_m: Option<f64>,
    anchor_lon_lat: Option<[f64; 2]>,
    inside_lon_lat: Option<[f64; 2]>,
}

fn work_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mahalleh-reference-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn ogr2ogr_available() -> bool {
    let ok = Command::new("ogr2ogr")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipping: ogr2ogr (gdal-bin) is not available");
    }
    ok
}

fn pair(v: &Value) -> Option<[f64; 2]> {
    Some([v.get(0)?.as_f64()?, v.get(1)?.as_f64()?])
}

/// `mahalleh coverage --json`, by feature index.
fn ours(districts: &Path, offices: &Path, radius_m: f64) -> BTreeMap<u64, Row> {
    let out = Command::new(env!("CARGO_BIN_EXE_mahalleh"))
        .arg("coverage")
        .arg("--districts")
        .arg(districts)
        .arg("--offices")
        .arg(offices)
        .args(["--radius-m", &radius_m.to_string(), "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    rows(&out.stdout)
}

/// The `districts` rows of a JSON answer, by feature index.
fn rows(stdout: &[u8]) -> BTreeMap<u64, Row> {
    let v: Value = serde_json::from_slice(stdout).unwrap();
    v["districts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let row = Row {
                area_m2: d["area_m2"].as_f64().unwrap(),
                covered_fraction: d["covered_fraction"].as_f64().unwrap(),
                nearest_office_m: d["nearest_office_m"].as_f64(),
                anchor_lon_lat: pair(&d["anchor_lon_lat"]),
                inside_lon_lat: pair(&d["inside_lon_lat"]),
            };
            (d["index"].as_u64().unwrap(), row)
        })
        .collect()
}

/// The reference script's figures, by feature index; `anchors` are where distances start.
fn reference(districts: &Path, offices: Option<&Path>, radius_m: f64, anchors: Option<&Path>) -> BTreeMap<u64, Row> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/coverage_geos.py");
    let mut command = Command::new("python3");
    command
        .arg(script)
        .arg(districts)
        .arg(offices.map_or(Path::new("-"), |p| p))
        .arg(radius_m.to_string());
    if let Some(a) = anchors {
        command.arg(a);
    }
    let out = command.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    rows(&out.stdout)
}

/// Offices as a GeoJSON file.
fn write_offices(dir: &Path, points: &[[f64; 2]]) -> PathBuf {
    let offices: Vec<mahalleh::model::Office> = points
        .iter()
        .enumerate()
        .map(|(k, &p)| mahalleh::model::Office::proposed(mahalleh::model::OfficeId(k as u64 + 1), format!("o{k}"), p))
        .collect();
    let path = dir.join("offices.geojson");
    std::fs::write(&path, mahalleh::io::offices_to_geojson(&offices)).unwrap();
    path
}

/// A copy of a GeoJSON file with every ring's positions in the opposite order.
fn reversed_copy(path: &Path, dir: &Path) -> PathBuf {
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for f in v["features"].as_array_mut().unwrap() {
        let geometry = &mut f["geometry"];
        let depth = match geometry["type"].as_str() {
            Some("Polygon") => 1,
            Some("MultiPolygon") => 2,
            _ => continue,
        };
        let coords = &mut geometry["coordinates"];
        let rings: Vec<&mut Value> = if depth == 1 {
            coords.as_array_mut().unwrap().iter_mut().collect()
        } else {
            coords
                .as_array_mut()
                .unwrap()
                .iter_mut()
                .flat_map(|p| p.as_array_mut().unwrap().iter_mut())
                .collect()
        };
        for ring in rings {
            ring.as_array_mut().unwrap().reverse();
        }
    }
    let out = dir.join("reversed.geojson");
    std::fs::write(&out, v.to_string()).unwrap();
    out
}

/// Share of exterior rings wound clockwise in longitude/latitude.
fn clockwise_share(path: &Path) -> f64 {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let (mut cw, mut all) = (0usize, 0usize);
    for f in v["features"].as_array().unwrap() {
        let g = &f["geometry"];
        let polygons: Vec<&Value> = match g["type"].as_str() {
            Some("Polygon") => vec![&g["coordinates"]],
            Some("MultiPolygon") => g["coordinates"].as_array().unwrap().iter().collect(),
            _ => continue,
        };
        for p in polygons {
            let ring = p[0].as_array().unwrap();
            let twice: f64 = ring
                .windows(2)
                .map(|w| {
                    let (a, b) = (pair(&w[0]).unwrap(), pair(&w[1]).unwrap());
                    a[0] * b[1] - b[0] * a[1]
                })
                .sum();
            all += 1;
            cw += usize::from(twice < 0.0);
        }
    }
    cw as f64 / all as f64
}

/// Compares every district the reference measured; returns the sums of covered shares.
fn compare(ours: &BTreeMap<u64, Row>, reference: &BTreeMap<u64, Row>, what: &str) -> (f64, f64) {
    let (mut sum_ours, mut sum_reference, mut compared) = (0.0, 0.0, 0);
    for (index, r) in reference.iter().filter(|(_, r)| r.area_m2 > 0.0) {
        let Some(o) = ours.get(index) else {
            panic!("{what}: feature {index} measured by the reference is missing from mahalleh's table");
        };
        let area_error = (o.area_m2 - r.area_m2).abs() / r.area_m2;
        assert!(
            area_error < 1e-4,
            "{what}: feature {index} area {} m² vs reference {} m²",
            o.area_m2,
            r.area_m2
        );
        assert!(
            (o.covered_fraction - r.covered_fraction).abs() < 0.005,
            "{what}: feature {index} covered {} vs reference {}",
            o.covered_fraction,
            r.covered_fraction
        );
        if let (Some(a), Some(b)) = (o.nearest_office_m, r.nearest_office_m) {
            assert!(
                (a - b).abs() < 0.01,
                "{what}: feature {index} nearest office {a} m vs {b} m"
            );
        }
        sum_ours += o.covered_fraction;
        sum_reference += r.covered_fraction;
        compared += 1;
    }
    assert!(compared > 0, "{what}: nothing compared");
    assert!(
        (sum_ours - sum_reference).abs() <= 0.005 * sum_reference.max(1.0),
        "{what}: covered shares sum to {sum_ours}, the reference's to {sum_reference}"
    );
    (sum_ours, sum_reference)
}

/// The anchors mahalleh measured distances from, for the reference to measure from too.
fn write_anchors(ours: &BTreeMap<u64, Row>, dir: &Path) -> PathBuf {
    let map: serde_json::Map<String, Value> = ours
        .iter()
        .filter_map(|(k, r)| r.anchor_lon_lat.map(|a| (k.to_string(), json!(a))))
        .collect();
    let path = dir.join("anchors.json");
    std::fs::write(&path, Value::Object(map).to_string()).unwrap();
    path
}

/// Runs the whole comparison on `districts` with offices at `offices`, and again with every ring
/// reversed; returns the sums of covered shares (mahalleh's, the reference's).
fn check_file(districts: &Path, offices: &[[f64; 2]], radius_m: f64, dir: &Path, what: &str) -> (f64, f64) {
    let offices_path = write_offices(dir, offices);
    let ours_rows = ours(districts, &offices_path, radius_m);
    let anchors = write_anchors(&ours_rows, dir);
    let reference_rows = reference(districts, Some(&offices_path), radius_m, Some(&anchors));
    let sums = compare(&ours_rows, &reference_rows, what);
    eprintln!(
        "{what}: {} districts, {} offices at {radius_m} m: covered shares sum to {:.4} (GEOS/PROJ {:.4})",
        reference_rows.len(),
        offices.len(),
        sums.0,
        sums.1
    );
    // Reversing every ring changes no number.
    let reversed = reversed_copy(districts, dir);
    let reversed_rows = ours(&reversed, &offices_path, radius_m);
    assert_eq!(reversed_rows.len(), ours_rows.len());
    for (index, a) in &ours_rows {
        let b = &reversed_rows[index];
        assert!(
            (a.area_m2 - b.area_m2).abs() <= 1e-6 * a.area_m2.max(1.0)
                && (a.covered_fraction - b.covered_fraction).abs() < 1e-9,
            "{what} reversed: feature {index}: {a:?} vs {b:?}"
        );
        assert_eq!(a.nearest_office_m.is_some(), b.nearest_office_m.is_some());
    }
    sums
}

/// Where the reference puts a point inside each district, moved `north_m` north.
fn inside_points(reference_rows: &BTreeMap<u64, Row>, every: usize, north_m: f64) -> Vec<[f64; 2]> {
    reference_rows
        .values()
        .filter_map(|r| r.inside_lon_lat)
        .step_by(every)
        .map(|[lon, lat]| [lon, lat + north_m / 111_000.0])
        .collect()
}

#[test]
fn tehran_neighbourhoods_from_an_arcgis_shapefile_match_geos_and_proj() {
    let Some(shp) = common::shared_data("tehran-mahalat/Mahalat_Tehran.shp") else {
        return;
    };
    if !common::python_has(&["shapely", "pyproj"]) || !ogr2ogr_available() {
        return;
    }
    let dir = work_dir("tehran");
    let geojson = dir.join("tehran.geojson");
    let converted = Command::new("ogr2ogr")
        .args(["-f", "GeoJSON", "-t_srs", "EPSG:4326"])
        .arg(&geojson)
        .arg(&shp)
        .output()
        .unwrap();
    assert!(
        converted.status.success(),
        "{}",
        String::from_utf8_lossy(&converted.stderr)
    );
    assert!(
        clockwise_share(&geojson) > 0.99,
        "GDAL keeps the Shapefile's clockwise rings, so this test sees them"
    );
    let bare = reference(&geojson, None, 1.0, None);
    assert_eq!(bare.len(), 375);
    let offices = inside_points(&bare, 25, 300.0);
    let (sum, _) = check_file(&geojson, &offices, 1500.0, &dir, "Tehran");
    assert!(sum > 10.0, "the offices reach many neighbourhoods: {sum}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn us_counties_from_topojson_match_geos_and_proj() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/reference-data/us-counties.geojson");
    if !path.exists() {
        eprintln!(
            "skipping: {} is not there (tests/reference/fetch_us_counties.sh makes it)",
            path.display()
        );
        return;
    }
    if !common::python_has(&["shapely", "pyproj"]) {
        return;
    }
    let dir = work_dir("us");
    assert!(clockwise_share(&path) > 0.99, "topojson-client writes clockwise rings");
    let bare = reference(&path, None, 1.0, None);
    assert!(bare.len() >= 3_200, "{}", bare.len());
    // Forty offices, each 1 km from a point inside a county, Cook County's among them.
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let cook = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .position(|f| f["id"] == "17031")
        .expect("Cook County") as u64;
    let mut offices = inside_points(&bare, 83, 1000.0);
    offices.truncate(39);
    let [lon, lat] = bare[&cook].inside_lon_lat.unwrap();
    offices.push([lon, lat + 1000.0 / 111_000.0]);
    let offices_path = write_offices(&dir, &offices);
    let (sum, reference_sum) = check_file(&path, &offices, 30_000.0, &dir, "US counties");
    assert!(reference_sum > 20.0, "{reference_sum}");
    assert!(sum > 20.0, "{sum}");
    let cook_row = ours(&path, &offices_path, 30_000.0)[&cook].clone();
    assert!(cook_row.covered_fraction > 0.3, "Cook County: {cook_row:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn yazd_counties_from_openstreetmap_match_geos_and_proj() {
    let Some(path) = common::shared_data("yazd-counties-osm.geojson") else {
        return;
    };
    if !common::python_has(&["shapely", "pyproj"]) {
        return;
    }
    let dir = work_dir("yazd");
    let offices = [[54.367, 31.897], [54.01, 32.25], [55.1, 31.6]];
    let (sum, _) = check_file(&path, &offices, 25_000.0, &dir, "Yazd counties");
    assert!(sum > 0.1, "{sum}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn coverage_on_a_layer_nobody_draws_builds_no_triangles_and_is_the_same() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
    let drawn = Arc::new(common::load(&path).unwrap());
    let options = mahalleh::io::LoadOptions {
        skip_drawing: true,
        ..Default::default()
    };
    let undrawn = Arc::new(mahalleh::io::load_district_layer(&path, &options, &mahalleh::io::no_progress).unwrap());
    let offices = [
        Office::proposed(OfficeId(1), "a", drawn.anchor_lon_lat(5)),
        Office::proposed(OfficeId(2), "b", drawn.anchor_lon_lat(40)),
    ];
    let a = CoverageModel::new(Arc::clone(&drawn), None).compute(&offices, 800.0);
    let b = CoverageModel::new(Arc::clone(&undrawn), None).compute(&offices, 800.0);
    assert!(!undrawn.is_drawing_prepared(), "coverage needs no triangles");
    assert_eq!(a.districts.len(), b.districts.len());
    for (x, y) in a.districts.iter().zip(&b.districts) {
        assert_eq!(x.covered_fraction, y.covered_fraction);
        assert_eq!(x.nearest_office_m, y.nearest_office_m);
    }
    assert!(a.districts.iter().any(|c| c.covered_fraction > 0.5));
    // Asked for, the drawing is built then, the same as a drawn load's.
    assert_eq!(undrawn.drawing().triangle_count(), drawn.drawing().triangle_count());
}
