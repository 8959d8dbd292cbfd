//! Real OpenStreetMap files from ../shared/data (skipped with a message when absent).
#![allow(clippy::unwrap_used)]

mod common;

use common::{load, shared_data};
use mahalleh::model::{LabelFieldReason, SkipReason};

#[test]
fn yazd_counties_load_with_points_skipped() {
    let Some(path) = shared_data("yazd-counties-osm.geojson") else {
        return;
    };
    let layer = load(&path).unwrap();
    assert_eq!(layer.districts.len(), 12);
    let skipped: Vec<(usize, &SkipReason)> = layer.report.skipped.iter().map(|s| (s.index, &s.reason)).collect();
    assert_eq!(skipped.len(), 4, "{skipped:?}");
    for (_, reason) in &skipped {
        assert_eq!(
            **reason,
            SkipReason::NotPolygon {
                geometry_type: "Point".into()
            }
        );
    }
    assert_eq!(layer.report.geometry_types.get("Point"), Some(&4));
    let field = layer.label_field().unwrap();
    assert_eq!(
        (field.path.as_str(), field.reason),
        ("tags.name", LabelFieldReason::PersianNames)
    );

    let yazd = layer.district_at(54.367, 31.897).unwrap();
    assert_eq!(layer.label(yazd), "شهرستان یزد");
    let meybod = layer.district_at(54.01, 32.25).unwrap();
    assert_eq!(layer.label(meybod), "شهرستان میبد");
    // The nearest district to a point inside Yazd county is Yazd county itself, at 0 m.
    let near = layer.nearest(54.367, 31.897, 3);
    assert_eq!((near[0].district, near[0].distance_m), (yazd, 0.0));
    assert!(near[1].distance_m > 0.0 && near[1].distance_m <= near[2].distance_m);

    let bbox = layer.bbox_lon_lat().unwrap();
    assert!(
        bbox.min().x > 52.0 && bbox.max().x < 57.0 && bbox.min().y > 29.0 && bbox.max().y < 34.0,
        "{bbox:?}"
    );
    // Every label anchor is inside its own district.
    for (i, d) in layer.drawing().districts.iter().enumerate() {
        let [lon, lat] = d.label_anchor_lon_lat;
        assert_eq!(layer.district_at(lon, lat), Some(i), "anchor of {}", layer.label(i));
    }
}

#[test]
fn iran_provinces_load_with_flat_persian_names() {
    let Some(path) = shared_data("iran-provinces-osm.geojson") else {
        return;
    };
    let layer = load(&path).unwrap();
    assert_eq!(layer.districts.len(), 31);
    assert!(layer.report.skipped.is_empty());
    assert_eq!(layer.label_field().unwrap().path.as_str(), "name:fa");
    let yazd = layer.district_at(54.367, 31.897).unwrap();
    assert!(layer.label(yazd).contains("یزد"), "{}", layer.label(yazd));
    let tehran = layer.district_at(51.389, 35.689).unwrap();
    assert!(layer.label(tehran).contains("تهران"), "{}", layer.label(tehran));
}

/// Coverage of real county shapes by 25 km catchments around Yazd and Meybod, against a grid of
/// geodesic point tests: within 1% of each county's area.
#[test]
fn coverage_of_real_counties_matches_a_grid() {
    use mahalleh::analysis::CoverageModel;
    use mahalleh::model::{Office, OfficeId};

    let Some(path) = shared_data("yazd-counties-osm.geojson") else {
        return;
    };
    let layer = std::sync::Arc::new(load(&path).unwrap());
    let offices = [
        Office::proposed(OfficeId(1), "Yazd", [54.367, 31.897]),
        Office::proposed(OfficeId(2), "Meybod", [54.01, 32.25]),
    ];
    let radius_m = 25_000.0;
    let coverage = CoverageModel::new(std::sync::Arc::clone(&layer), None).compute(&offices, radius_m);
    // Every county is checked, whatever its value: a county wrongly at 0 must fail too.
    let mut reached = 0;
    for c in &coverage.districts {
        let grid = common::grid_covered_fraction(&layer, c.district, &offices, radius_m, 160);
        assert!(
            (c.covered_fraction - grid).abs() < 0.01,
            "{}: {} vs grid {grid}",
            layer.label(c.district),
            c.covered_fraction
        );
        reached += usize::from(grid > 0.02);
    }
    assert!(reached >= 2, "{reached}");
}

/// The Tehran municipality's 375 neighbourhoods as the ArcGIS Shapefile it hands out (UTM zone
/// 39N, UTF-8 DBF with values cut inside characters): read directly, labelled by the clean
/// Persian name field, placed where PROJ (through GDAL's ogr2ogr) places them.
#[test]
fn the_tehran_shapefile_opens_in_its_own_coordinate_system() {
    let Some(shp) = shared_data("tehran-mahalat/Mahalat_Tehran.shp") else {
        return;
    };
    let layer = load(&shp).unwrap();
    assert_eq!(layer.districts.len(), 375);
    assert!(layer.report.skipped.is_empty(), "{:?}", layer.report.skipped);
    let source = &layer.report.source;
    assert_eq!(source.format, "Shapefile");
    assert!(source.crs.contains("EPSG:32639"), "{}", source.crs);
    assert!(
        source
            .encoding
            .as_deref()
            .unwrap_or("")
            .contains("the .cpg says \"UTF-8\""),
        "{source:?}"
    );
    // The `name` field is cut inside characters; NAME_MAHAL is clean.
    assert_eq!(layer.label_field().unwrap().path.as_str(), "NAME_MAHAL");
    let f10 = layer.districts.iter().position(|d| d.feature_index == 10).unwrap();
    assert_eq!(layer.label(f10), "شهرک رسالت");
    assert!(
        layer.districts[f10].properties["name"]
            .as_str()
            .unwrap()
            .contains('\u{FFFD}')
    );
    let [lon, lat] = layer.drawing().districts[f10].label_anchor_lon_lat;
    assert_eq!(layer.district_at(lon, lat), Some(f10));
    // Codes are numbers, as the DBF types them.
    assert_eq!(layer.districts[f10].properties["code"], 1914);
    let b = layer.bbox_lon_lat().unwrap();
    for (got, gdal) in [
        (b.min().x, 51.089010),
        (b.min().y, 35.568217),
        (b.max().x, 51.606078),
        (b.max().y, 35.828525),
    ] {
        assert!((got - gdal).abs() < 1e-6, "{got} vs GDAL's {gdal}");
    }
    // Every vertex within a centimetre of PROJ's, through ogr2ogr when it is there.
    let out = std::env::temp_dir().join(format!("mahalleh-tehran-{}.geojson", std::process::id()));
    let converted = std::process::Command::new("ogr2ogr")
        .args([
            "-f",
            "GeoJSON",
            "-t_srs",
            "EPSG:4326",
            "-lco",
            "COORDINATE_PRECISION=10",
        ])
        .arg(&out)
        .arg(&shp)
        .output();
    match converted {
        Ok(o) if o.status.success() => {}
        _ => {
            eprintln!("skipping the comparison with PROJ: ogr2ogr (gdal-bin) is not available");
            return;
        }
    }
    let gdal = load(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
    assert_eq!(gdal.districts.len(), 375);
    let mut worst_m = 0.0f64;
    for (ours, theirs) in layer.districts.iter().zip(&gdal.districts) {
        assert_eq!(ours.feature_index, theirs.feature_index);
        let points = |d: &mahalleh::model::District| -> Vec<[f64; 2]> {
            d.shape_lon_lat
                .iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .flat_map(|r| r.0.iter().map(|c| [c.x, c.y]))
                .collect()
        };
        let theirs = points(theirs);
        for p in points(ours) {
            let nearest = theirs
                .iter()
                .map(|q| {
                    let dx = (p[0] - q[0]) * 111_320.0 * p[1].to_radians().cos();
                    let dy = (p[1] - q[1]) * 110_574.0;
                    dx.hypot(dy)
                })
                .fold(f64::INFINITY, f64::min);
            worst_m = worst_m.max(nearest);
        }
    }
    assert!(worst_m < 0.01, "a vertex is {worst_m} m from PROJ's");
}

/// The same Shapefile as planners get it by e-mail: in a .zip, in a folder, with a second layer
/// beside it.
#[test]
fn a_zipped_shapefile_opens_by_its_archive() {
    use std::io::Write;
    let Some(shp) = shared_data("tehran-mahalat/Mahalat_Tehran.shp") else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("mahalleh-zip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let zip_path = dir.join("محلات تهران.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for ext in ["shp", "shx", "dbf", "prj", "CPG"] {
        zip.start_file(format!("Tehran/Mahalat_Tehran.{ext}"), options).unwrap();
        zip.write_all(&std::fs::read(shp.with_extension(ext)).unwrap()).unwrap();
    }
    zip.finish().unwrap();
    let layer = load(&zip_path).unwrap();
    assert_eq!(layer.districts.len(), 375);
    assert_eq!(layer.label_field().unwrap().path.as_str(), "NAME_MAHAL");
    assert!(layer.report.source.crs.contains("32639"));
    // Two layers in one archive: the error names them, --layer chooses.
    let two = dir.join("two.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&two).unwrap());
    for stem in ["a", "b"] {
        for ext in ["shp", "dbf", "prj"] {
            zip.start_file(format!("{stem}.{ext}"), options).unwrap();
            zip.write_all(&std::fs::read(shp.with_extension(ext)).unwrap()).unwrap();
        }
    }
    zip.finish().unwrap();
    let err = load(&two).unwrap_err().to_string();
    assert!(err.contains("choose one with --layer: a, b"), "{err}");
    let options = mahalleh::io::LoadOptions {
        layer: Some("b".into()),
        ..Default::default()
    };
    let b = mahalleh::io::load_district_layer(&two, &options, &mahalleh::io::no_progress).unwrap();
    assert_eq!(b.districts.len(), 375);
    // Not a zip at all.
    std::fs::write(dir.join("bad.zip"), b"not an archive").unwrap();
    let err = load(&dir.join("bad.zip")).unwrap_err().to_string();
    assert!(err.contains("not a readable .zip"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Which Tehran neighbourhood holds each of 20,000 points, and each of 2,000 of its vertices:
/// `PointLocator` against shapely (GEOS) on the same longitude/latitude rings, `intersects` so
/// the boundary counts as inside, the lowest district index where several hold a point.
#[test]
fn tehran_points_are_located_as_geos_locates_them() {
    let Some(shp) = shared_data("tehran-mahalat/Mahalat_Tehran.shp") else {
        return;
    };
    if !common::python_has(&["shapely"]) {
        return;
    }
    let layer = load(&shp).unwrap();
    let bbox = layer.bbox_lon_lat().unwrap();
    let mut rng = mahalleh::synth::Rng::new(11);
    let mut points: Vec<[f64; 2]> = (0..20_000)
        .map(|_| {
            [
                rng.range(bbox.min().x, bbox.max().x),
                rng.range(bbox.min().y, bbox.max().y),
            ]
        })
        .collect();
    let vertices: Vec<[f64; 2]> = layer
        .districts
        .iter()
        .flat_map(|d| d.shape_lon_lat.iter().flat_map(|p| p.exterior().0.iter()))
        .map(|c| [c.x, c.y])
        .collect();
    points.extend(vertices.iter().step_by((vertices.len() / 2000).max(1)).copied());

    let shapes: Vec<serde_json::Value> = layer
        .districts
        .iter()
        .map(|d| {
            let ring = |r: &geo::LineString<f64>| r.0.iter().map(|c| [c.x, c.y]).collect::<Vec<_>>();
            serde_json::json!(
                d.shape_lon_lat
                    .iter()
                    .map(|p| std::iter::once(p.exterior())
                        .chain(p.interiors())
                        .map(ring)
                        .collect::<Vec<_>>())
                    .collect::<Vec<_>>()
            )
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("mahalleh-tehran-locate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("input.json");
    std::fs::write(
        &input,
        serde_json::json!({"shapes": shapes, "points": points}).to_string(),
    )
    .unwrap();
    let script = r#"
import json, sys
import numpy as np
import shapely
data = json.load(open(sys.argv[1]))
polys = [shapely.MultiPolygon([(rings[0], rings[1:]) for rings in shape]) for shape in data["shapes"]]
pts = shapely.points(np.array(data["points"]))
tree = shapely.STRtree(polys)
p, d = tree.query(pts, predicate="intersects")
best = np.full(len(pts), -1)
for i, j in zip(p, d):
    if best[i] < 0 or j < best[i]:
        best[i] = j
print(json.dumps(best.tolist()))
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script, input.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let geos: Vec<i64> = serde_json::from_slice(&out.stdout).unwrap();
    let _ = std::fs::remove_dir_all(&dir);

    let locator = mahalleh::index::PointLocator::new(&layer.districts);
    let ours: Vec<i64> = points
        .iter()
        .map(|&[x, y]| locator.district_at(x, y).map_or(-1, |i| i as i64))
        .collect();
    assert_eq!(ours.len(), geos.len());
    let differ: Vec<usize> = (0..ours.len()).filter(|&k| ours[k] != geos[k]).collect();
    assert!(
        differ.is_empty(),
        "{} differ, first at {:?}",
        differ.len(),
        differ.first().map(|&k| (points[k], ours[k], geos[k]))
    );
    let inside = ours.iter().filter(|&&i| i >= 0).count();
    assert!(inside > 8_000, "{inside} of {} inside", ours.len());
    assert!(
        ours[20_000..].iter().all(|&i| i >= 0),
        "every vertex is on some neighbourhood's boundary"
    );
}
