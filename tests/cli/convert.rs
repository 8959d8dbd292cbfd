//! `mahalleh convert`: what it writes opens in GDAL (ogrinfo, ogr2ogr) with the same count,
//! names and coordinates as the input read by mahalleh, and reads back through mahalleh itself.

use super::*;
use std::path::{Path, PathBuf};

fn out_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mahalleh-convert-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The features of `path` as GDAL reads them, in WGS 84, as GeoJSON; `None` without GDAL.
fn gdal_features(path: &Path) -> Option<Vec<Value>> {
    let output = match Command::new("ogr2ogr")
        .args([
            "-f",
            "GeoJSON",
            "-t_srs",
            "EPSG:4326",
            "-lco",
            "COORDINATE_PRECISION=12",
            "/vsistdout/",
        ])
        .arg(path)
        .output()
    {
        Ok(o) => o,
        Err(_) => {
            eprintln!("skipping: ogr2ogr (gdal-bin) is not installed");
            return None;
        }
    };
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let v: Value = serde_json::from_slice(&output.stdout).unwrap();
    Some(v["features"].as_array().unwrap().clone())
}

/// Every x, y of a GeoJSON geometry, in order.
fn positions(geometry: &Value) -> Vec<[f64; 2]> {
    fn walk(v: &Value, out: &mut Vec<[f64; 2]>) {
        match v.as_array() {
            Some(a) if a.first().is_some_and(Value::is_number) => {
                out.push([a[0].as_f64().unwrap(), a[1].as_f64().unwrap()]);
            }
            Some(a) => a.iter().for_each(|x| walk(x, out)),
            None => {}
        }
    }
    let mut out = Vec::new();
    walk(&geometry["coordinates"], &mut out);
    out
}

/// Every vertex of a district, exteriors and holes in order.
fn vertices(d: &mahalleh::model::District) -> Vec<[f64; 2]> {
    d.shape_lon_lat
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .flat_map(|r| r.0.iter().map(|c| [c.x, c.y]))
        .collect()
}

#[test]
fn tehran_converts_to_every_format_and_gdal_reads_the_same_districts() {
    let Some(shp) = common::shared_data("tehran-mahalat/Mahalat_Tehran.shp") else {
        return;
    };
    let source = common::load(&shp).unwrap();
    let dir = out_dir("tehran");
    for ext in ["geojson", "gpkg", "shp"] {
        let out = dir.join(format!("tehran.{ext}"));
        let o = mahalleh(&["convert", shp.to_str().unwrap(), out.to_str().unwrap()]);
        assert!(o.status.success(), "{ext}: {}", stderr(&o));
        assert!(stdout(&o).contains("375 district(s) written"), "{}", stdout(&o));

        // mahalleh reads its own output back as the same layer.
        let back = common::load(&out).unwrap();
        assert_eq!(common::labels(&back), common::labels(&source), "{ext}");
        assert_eq!(back.label_field().unwrap().path.as_str(), "NAME_MAHAL");
        for (a, b) in back.districts.iter().zip(&source.districts) {
            // serde_json's default float parsing can be one ulp off (1e-14 degrees).
            let (pa, pb) = (vertices(a), vertices(b));
            assert_eq!(pa.len(), pb.len(), "{ext}");
            let worst = pa
                .iter()
                .zip(&pb)
                .map(|(p, q)| (p[0] - q[0]).abs().max((p[1] - q[1]).abs()))
                .fold(0.0, f64::max);
            assert!(worst < 1e-12, "{ext}: {worst}");
            assert_eq!(a.properties["code"], b.properties["code"], "{ext}");
        }

        // GDAL reads the same count, names and vertices.
        let Some(features) = gdal_features(&out) else {
            return;
        };
        assert_eq!(features.len(), 375, "{ext}");
        let mut worst = 0.0f64;
        for (i, (feature, district)) in features.iter().zip(&source.districts).enumerate() {
            assert_eq!(
                feature["properties"]["NAME_MAHAL"].as_str(),
                district.properties["NAME_MAHAL"].as_str(),
                "{ext} feature {i}"
            );
            let theirs = positions(&feature["geometry"]);
            let ours = vertices(district);
            assert_eq!(theirs.len(), ours.len(), "{ext} feature {i}");
            // A Shapefile's rings run the other way round; compare as sets of vertices.
            for p in &ours {
                let nearest = theirs
                    .iter()
                    .map(|q| (p[0] - q[0]).abs().max((p[1] - q[1]).abs()))
                    .fold(f64::INFINITY, f64::min);
                worst = worst.max(nearest);
            }
        }
        assert!(worst < 1e-9, "{ext}: {worst} degrees");
    }
    // The Shapefile says its encoding and its coordinate system.
    assert_eq!(std::fs::read_to_string(dir.join("tehran.cpg")).unwrap(), "UTF-8");
    assert!(
        std::fs::read_to_string(dir.join("tehran.prj"))
            .unwrap()
            .contains("GCS_WGS_1984")
    );
}

#[test]
fn long_field_names_are_cut_for_dbase_and_the_mapping_is_printed() {
    let input = out_dir("names").join("long.geojson");
    let text = std::fs::read_to_string(common::fixture("../../maps/yazd-neighbourhoods.geojson"))
        .unwrap()
        .replace("\"population\"", "\"population_2016\"")
        .replace("\"settlement\"", "\"settlement_kind_official\"");
    std::fs::write(&input, text).unwrap();
    let out = input.with_file_name("long.shp");
    let o = mahalleh(&["convert", input.to_str().unwrap(), out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let printed = stdout(&o);
    assert!(printed.contains("population_2016 -> population"), "{printed}");
    assert!(printed.contains("settlement_kind_official -> settlement"), "{printed}");
    let back = common::load(&out).unwrap();
    let original = common::load(&input).unwrap();
    for (a, b) in back.districts.iter().zip(&original.districts) {
        assert_eq!(a.properties["population"], b.properties["population_2016"]);
    }
    if let Ok(o) = Command::new("ogrinfo").args(["-so", "-al"]).arg(&out).output() {
        let info = String::from_utf8_lossy(&o.stdout);
        assert!(info.contains("population: Integer"), "{info}");
        assert!(info.contains("Feature Count: 59"), "{info}");
    }
}

#[test]
fn unknown_output_extensions_are_refused_before_reading() {
    let out = out_dir("ext").join("districts.kml");
    let o = mahalleh(&[
        "convert",
        fixture("mixed.geojson").to_str().unwrap(),
        out.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("use .geojson, .gpkg or .shp"), "{}", stderr(&o));
    assert!(!out.exists());
}

/// `ogrinfo -al` of `path` (every feature's attributes as text); `None` without GDAL.
fn ogrinfo_all(path: &Path) -> Option<String> {
    let o = Command::new("ogrinfo").args(["-al"]).arg(path).output().ok()?;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    Some(String::from_utf8_lossy(&o.stdout).into_owned())
}

#[test]
fn offices_and_coverage_as_geopackage_and_shapefile_open_in_gdal() {
    use mahalleh::analysis::CoverageModel;
    use mahalleh::export::vector::{VectorTable, write_vector};
    use mahalleh::model::{Office, OfficeId, Plan};
    use std::sync::Arc;

    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
    let layer = Arc::new(common::load(&sample).unwrap());
    let plan = Plan {
        offices: vec![
            Office::proposed(OfficeId(1), "دفتر حسن‌آباد", [54.3545, 31.8741]),
            Office::proposed(OfficeId(2), "دفتر اسکان", [54.43, 31.94]),
        ],
        ..Plan::default()
    };
    let coverage = CoverageModel::new(Arc::clone(&layer), None).compute(&plan.offices, 800.0);
    let dir = out_dir("exports");
    for ext in ["gpkg", "shp"] {
        let offices = dir.join(format!("offices.{ext}"));
        write_vector(&VectorTable::offices(&plan.offices), &offices).unwrap();
        let table = dir.join(format!("coverage.{ext}"));
        write_vector(&VectorTable::coverage(&layer, &coverage, &plan), &table).unwrap();

        // The coverage layer reads back as districts with their coverage columns.
        let districts = common::load(&table).unwrap();
        assert_eq!(districts.districts.len(), layer.districts.len(), "{ext}");
        let reached: f64 = districts
            .districts
            .iter()
            .filter_map(|d| d.properties[if ext == "shp" { "covered_fr" } else { "covered_fraction" }].as_f64())
            .sum();
        let expected: f64 = coverage
            .districts
            .iter()
            .map(|c| (c.covered_fraction * 1e4).round() / 1e4)
            .sum();
        assert!((reached - expected).abs() < 1e-9, "{ext}: {reached} vs {expected}");
        assert!(reached > 0.5, "{ext}: the offices reach something ({reached})");

        let Some(info) = ogrinfo_all(&offices) else {
            return;
        };
        assert!(info.contains("Feature Count: 2"), "{info}");
        assert!(info.contains("دفتر حسن‌آباد") && info.contains("دفتر اسکان"), "{info}");
        assert!(info.contains("POINT (54.3545 31.8741)"), "{info}");
        let info = ogrinfo_all(&table).unwrap();
        assert!(info.contains("Feature Count: 59"), "{info}");
        assert!(info.contains("nearest_of"), "{info}");
    }
}

#[test]
fn nested_osm_tags_become_dotted_columns_in_a_geopackage() {
    let Some(osm) = common::shared_data("yazd-counties-osm.geojson") else {
        return;
    };
    let out = out_dir("osm").join("yazd.gpkg");
    let o = mahalleh(&["convert", osm.to_str().unwrap(), out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let back = common::load(&out).unwrap();
    let original = common::load(&osm).unwrap();
    assert_eq!(common::labels(&back), common::labels(&original));
    assert_eq!(
        back.districts[0].properties["tags.name:en"],
        original.districts[0].properties["tags"]["name:en"]
    );
    if let Some(info) = ogrinfo_all(&out) {
        assert!(info.contains("tags.name:en (String) = Abarkuh County"), "{info}");
    }
}

/// GDAL's extent of the one layer in `path`, `[min_x, min_y, max_x, max_y]`; `None` without GDAL.
fn gdal_extent(path: &Path) -> Option<[f64; 4]> {
    let o = Command::new("ogrinfo").args(["-so", "-al"]).arg(path).output().ok()?;
    let text = String::from_utf8_lossy(&o.stdout);
    let line = text.lines().find(|l| l.starts_with("Extent:"))?;
    let numbers: Vec<f64> = line
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter_map(|t| t.parse().ok())
        .collect();
    Some([numbers[0], numbers[1], numbers[2], numbers[3]])
}

#[test]
fn converted_into_the_municipal_system_gdal_finds_the_original_coordinates() {
    // Tehran in UTM 39N, read to WGS 84 and written back into UTM 39N: GDAL sees the extent of
    // the original file within a centimetre, in every format.
    if let Some(shp) = common::shared_data("tehran-mahalat/Mahalat_Tehran.shp") {
        let original = gdal_extent(&shp);
        let dir = out_dir("to-utm");
        for ext in ["shp", "gpkg", "geojson"] {
            let out = dir.join(format!("tehran-39n.{ext}"));
            let o = mahalleh(&[
                "convert",
                shp.to_str().unwrap(),
                out.to_str().unwrap(),
                "--to",
                "EPSG:32639",
            ]);
            assert!(o.status.success(), "{}", stderr(&o));
            assert!(stdout(&o).contains("UTM zone 39N (EPSG:32639)"), "{}", stdout(&o));
            // mahalleh reads its own projected output back to the same places.
            let back = common::load(&out).unwrap();
            assert!(
                back.report.source.crs.contains("32639"),
                "{ext}: {}",
                back.report.source.crs
            );
            let (Some(original), Some(theirs)) = (original, gdal_extent(&out)) else {
                continue;
            };
            for (a, b) in original.iter().zip(theirs) {
                assert!((a - b).abs() < 0.01, "{ext}: {original:?} vs {theirs:?}");
            }
        }
    }
    // The sample into ED50(ED77) / UTM 40N: GDAL takes it back to WGS 84 within a millimetre
    // of the sample, so the datum shift written is the one PROJ uses for Iran.
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
    let source = common::load(&sample).unwrap();
    let dir = out_dir("to-ed50");
    for ext in ["shp", "gpkg"] {
        let out = dir.join(format!("yazd-ed77.{ext}"));
        let o = mahalleh(&[
            "convert",
            sample.to_str().unwrap(),
            out.to_str().unwrap(),
            "--to",
            "EPSG:2060",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let Some(features) = gdal_features(&out) else {
            return;
        };
        let mut worst = 0.0f64;
        for (feature, district) in features.iter().zip(&source.districts) {
            let theirs = positions(&feature["geometry"]);
            for p in vertices(district) {
                let nearest = theirs
                    .iter()
                    .map(|q| (p[0] - q[0]).abs().max((p[1] - q[1]).abs()))
                    .fold(f64::INFINITY, f64::min);
                worst = worst.max(nearest);
            }
        }
        assert!(worst < 1e-8, "{ext}: {worst} degrees");
    }
    let o = mahalleh(&[
        "convert",
        sample.to_str().unwrap(),
        dir.join("x.gpkg").to_str().unwrap(),
        "--to",
        "UTM39",
    ]);
    assert!(stderr(&o).contains("--to takes EPSG:NNNN, not UTM39"), "{}", stderr(&o));
}
