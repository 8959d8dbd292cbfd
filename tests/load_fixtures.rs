//! Loading hand-written GeoJSON files (every kind of bad feature is skipped with its index and
//! reason, every unusable file gets one clear error) and Shapefiles GDAL writes from the sample in
//! the encodings and coordinate systems municipal files come in, damaged in the ways real ones
//! are.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{fixture, labels, load};
use mahalleh::io::{LoadError, LoadOptions, load_district_layer, load_district_layer_from_bytes, no_progress};
use mahalleh::model::{FieldPath, LabelFieldReason, LoadStage, LoadWarning, SkipReason};

#[test]
fn mixed_file_loads_good_features_and_explains_the_rest() {
    let layer = load(&fixture("mixed.geojson")).unwrap();
    let r = &layer.report;
    assert_eq!(r.features_total, 14);
    assert_eq!(labels(&layer), ["میدان", "کوچه U", "باز", "پاپیون", "مجموعه", "دوپاره"]);
    let feature_indices: Vec<usize> = layer.districts.iter().map(|d| d.feature_index).collect();
    assert_eq!(feature_indices, [0, 1, 2, 3, 10, 11]);

    let skipped: Vec<(usize, String)> = r.skipped.iter().map(|s| (s.index, s.reason.to_string())).collect();
    let expect = [
        (4, "polygon 0 ring 0 has 3 positions; a ring needs at least 4"),
        (
            5,
            "invalid type: string \"54.74\", expected a coordinate number or an array of coordinates",
        ),
        (
            6,
            "polygon 0 ring 0 position 1 (54.74, 91.5) is outside longitude -180..180 / latitude -90..90",
        ),
        (7, "the geometry is null"),
        (8, "a Point is not an area"),
        (9, "a LineString is not an area"),
        (12, "the feature has no geometry member"),
        (13, "projected coordinates?"),
    ];
    assert_eq!(skipped.len(), expect.len(), "{skipped:?}");
    for ((index, reason), (want_index, want)) in skipped.iter().zip(expect) {
        assert_eq!(*index, want_index);
        assert!(reason.contains(want), "feature {index}: {reason}");
    }
    // Lines point at the feature in the file.
    assert_eq!(r.skipped[0].line, 13);
    assert_eq!(r.skipped[3].line, 19);

    let warnings: Vec<(usize, &LoadWarning)> = r.warnings.iter().map(|w| (w.index, &w.warning)).collect();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert_eq!(warnings[0], (2, &LoadWarning::RingClosed { polygon: 0, ring: 0 }));
    assert!(
        matches!(warnings[1], (3, LoadWarning::SelfIntersection { polygon: 0, lon, lat })
        if (lon - 54.62).abs() < 1e-9 && (lat - 31.82).abs() < 1e-9)
    );
    assert_eq!(warnings[2], (10, &LoadWarning::CollectionMembersIgnored { count: 1 }));

    assert_eq!(r.geometry_types.get("Polygon"), Some(&7));
    assert_eq!(r.geometry_types.get("invalid"), Some(&1));
    assert_eq!(r.geometry_types.get("null"), Some(&1));
    assert_eq!(r.geometry_types.get("missing"), Some(&1));
    let label = r.label_field.as_ref().unwrap();
    assert_eq!(
        (label.path.as_str(), label.reason),
        ("tags.name", LabelFieldReason::PersianNames)
    );
    for stage in [
        LoadStage::Read,
        LoadStage::Scan,
        LoadStage::Parse,
        LoadStage::Index,
        LoadStage::Prepare,
    ] {
        assert!(r.timings_ms.contains_key(&stage), "{stage}");
    }
    // Holes, concave shapes and the two-part district answer point queries correctly.
    assert_eq!(layer.district_at(54.32, 31.805), Some(0));
    assert_eq!(layer.district_at(54.32, 31.82), None, "inside the hole");
    assert_eq!(layer.district_at(54.42, 31.83), None, "inside the U's notch");
    assert_eq!(layer.district_at(54.405, 31.83), Some(1));
    assert_eq!(layer.district_at(54.44, 31.91), Some(5));
}

#[test]
fn requested_name_field_is_used_and_a_missing_one_is_an_error() {
    let options = LoadOptions {
        label_field: Some(FieldPath::new("tags.name:en")),
        ..LoadOptions::default()
    };
    let layer = load_district_layer(&fixture("mixed.geojson"), &options, &no_progress).unwrap();
    assert_eq!(layer.label(0), "Square");
    assert_eq!(layer.label(2), "Open");
    let options = LoadOptions {
        label_field: Some(FieldPath::new("nom")),
        ..LoadOptions::default()
    };
    let err = load_district_layer(&fixture("mixed.geojson"), &options, &no_progress).unwrap_err();
    assert!(
        matches!(err, LoadError::NoSuchField { ref field, .. } if field == "nom"),
        "{err}"
    );
    assert!(err.to_string().contains("fields found: population, tags"), "{err}");
}

#[test]
fn bom_single_feature_and_bare_geometry_load() {
    let layer = load(&fixture("bom.geojson")).unwrap();
    assert_eq!(labels(&layer), ["با BOM"]);
    assert_eq!(layer.report.warnings.len(), 0);
    let layer = load(&fixture("bare-geometry.geojson")).unwrap();
    assert_eq!(layer.districts.len(), 1);
    assert_eq!(layer.districts[0].shape_lon_lat.0.len(), 2);
    assert_eq!(layer.label(0), "#0");
    assert_eq!(layer.report.label_field, None);
}

#[test]
fn unusable_files_get_one_clear_error() {
    let truncated_len = std::fs::metadata(fixture("truncated.geojson")).unwrap().len();
    let truncated =
        format!("the file ends too early, at line 4 (byte {truncated_len}), inside feature 1; was it cut off?");
    let cases: [(&str, &str); 7] = [
        ("truncated.geojson", &truncated),
        (
            "not-json.geojson",
            "not valid JSON at line 1, column 1 (byte 0): expected '{' (a GeoJSON object), found 'd'",
        ),
        ("unknown-crs.geojson", "unsupported coordinate system EPSG:999999"),
        (
            "points-only.geojson",
            "no district could be loaded: 2 feature(s), 2 skipped (first: feature 0: a Point is not an area)",
        ),
        (
            "syntax-error.geojson",
            "not valid JSON at line 4, column 50 (byte 262): expected `,` or `}`",
        ),
        ("topology.json", "not GeoJSON: a TopoJSON Topology"),
        ("no-such-file.geojson", "cannot read the file"),
    ];
    for (name, want) in cases {
        let path = fixture(name);
        let err = load(&path).unwrap_err().to_string();
        assert!(err.contains(want), "{name}: {err}");
        assert!(
            err.ends_with(&path.display().to_string()),
            "{name}: the path goes last: {err}"
        );
    }
}

#[test]
fn odd_documents_never_panic() {
    let cases: &[&[u8]] = &[
        b"", b"   ", b"{", b"[]", b"null", b"{}", b"{\"type\":\"FeatureCollection\"}",
        b"{\"type\":\"FeatureCollection\",\"features\":[]}", b"{\"type\":\"FeatureCollection\",\"features\":[1,\"x\",null]}",
        b"{\"type\":\"Feature\"}", b"{\"type\":\"Polygon\",\"coordinates\":[[[1e999,0],[1,0],[1,1],[1e999,0]]]}",
        b"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}}]} trailing",
        b"\xff\xfe{\x00", b"{\"type\":\"FeatureCollection\",\"features\":[{\"a\":\"\\",
    ];
    for bytes in cases {
        let result = load_district_layer_from_bytes(bytes, "x.geojson".as_ref(), &LoadOptions::default(), &no_progress);
        assert!(result.is_err(), "{:?}", String::from_utf8_lossy(bytes));
    }
}

#[test]
fn progress_is_reported_and_cancel_stops_the_load() {
    let calls = AtomicUsize::new(0);
    let text = mahalleh::synth::bench_layer_geojson(3000);
    let layer = load_district_layer_from_bytes(text.as_bytes(), "bench".as_ref(), &LoadOptions::default(), &|p| {
        assert!(p.done <= p.total, "{p:?}");
        calls.fetch_add(1, Ordering::Relaxed);
        true
    })
    .unwrap();
    assert_eq!(layer.districts.len(), 3000);
    assert!(calls.load(Ordering::Relaxed) >= 3);
    let err = load_district_layer_from_bytes(text.as_bytes(), "bench".as_ref(), &LoadOptions::default(), &|p| {
        p.stage != LoadStage::Parse
    })
    .unwrap_err();
    assert!(matches!(err, LoadError::Cancelled { .. }), "{err}");
}

#[test]
fn skip_reasons_serialise_with_their_kind() {
    let layer = load(&fixture("mixed.geojson")).unwrap();
    let v = serde_json::to_value(&layer.report.skipped[0]).unwrap();
    assert_eq!(v["reason"]["kind"], "ring_too_short");
    assert_eq!(v["reason"]["positions"], 3);
    assert!(matches!(
        layer.report.skipped[0].reason,
        SkipReason::RingTooShort { .. }
    ));
}

mod robustness {
    use super::*;
    use proptest::prelude::*;

    fn sample_bytes() -> Vec<u8> {
        std::fs::read(fixture("mixed.geojson")).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// A file cut anywhere, or with any byte changed, loads or fails cleanly: no panic, no hang.
        #[test]
        fn damaged_files_never_panic(cut in 0usize..4000, at in 0usize..4000, byte in any::<u8>()) {
            let mut bytes = sample_bytes();
            let at = at % bytes.len();
            bytes[at] = byte;
            bytes.truncate(cut.min(bytes.len()));
            let result = load_district_layer_from_bytes(&bytes, "damaged.geojson".as_ref(), &LoadOptions::default(), &no_progress);
            if let Ok(layer) = result {
                prop_assert!(!layer.districts.is_empty());
            }
        }

        /// Values serde_json refuses (a number past f64, a byte that is not UTF-8, nesting past
        /// its limit) put anywhere: no panic, no hang, and a value inside one feature costs at
        /// most that feature.
        #[test]
        fn refused_values_anywhere_never_panic(at in 0usize..4000, kind in 0usize..3) {
            let mut bytes = sample_bytes();
            let at = at % bytes.len();
            let insert: Vec<u8> = match kind {
                0 => b"1e400".to_vec(),
                1 => vec![0xE9],
                _ => [b"[".repeat(200), b"]".repeat(200)].concat(),
            };
            bytes.splice(at..at, insert);
            let result = load_district_layer_from_bytes(&bytes, "refused.geojson".as_ref(), &LoadOptions::default(), &no_progress);
            if let Ok(layer) = result {
                prop_assert!(!layer.districts.is_empty());
            }
        }
    }

    #[test]
    fn a_refused_value_stays_local_to_its_feature() {
        let text = std::fs::read_to_string(fixture("mixed.geojson")).unwrap();
        let reference = load(&fixture("mixed.geojson")).unwrap();
        // The first coordinate of the first district, made too large for a double.
        let first_coordinates = text.find("\"coordinates\"").unwrap();
        let number_at = first_coordinates + text[first_coordinates..].find(|c: char| c.is_ascii_digit()).unwrap();
        let number_end = number_at
            + text[number_at..]
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap();
        let damaged = format!("{}1e400{}", &text[..number_at], &text[number_end..]);
        let layer = load_district_layer_from_bytes(
            damaged.as_bytes(),
            "huge.geojson".as_ref(),
            &LoadOptions::default(),
            &no_progress,
        )
        .unwrap();
        assert_eq!(layer.districts.len(), reference.districts.len() - 1);
        let skipped = layer.report.skipped.iter().find(|s| s.index == 0).unwrap();
        assert!(
            skipped.reason.to_string().contains("not a finite number"),
            "{}",
            skipped.reason
        );
        assert!(skipped.line > 0);

        // features that is not an array is said so.
        let e = load_district_layer_from_bytes(
            br#"{"type": "FeatureCollection", "features": {"type": "Feature"}}"#,
            "object.geojson".as_ref(),
            &LoadOptions::default(),
            &no_progress,
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("features must be an array, found an object"),
            "{e}"
        );
    }
}

// Files written by GDAL from the sample, and how to compare them.

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson")
}

fn work_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mahalleh-load-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// ogr2ogr with `args`; false (with a note) when GDAL is not installed.
fn ogr2ogr(args: &[&str]) -> bool {
    match Command::new("ogr2ogr").args(args).output() {
        Ok(o) if o.status.success() => true,
        Ok(o) => panic!("ogr2ogr failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(_) => {
            eprintln!("skipping: ogr2ogr (gdal-bin) is not installed");
            false
        }
    }
}

/// The sample written by GDAL as a UTF-8 Shapefile in `crs`; false when GDAL is missing.
fn sample_as_utf8_shapefile(shp: &Path, crs: &str) -> bool {
    let args = ["-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", "-t_srs", crs];
    let (shp, sample) = (shp.to_str().unwrap(), sample());
    ogr2ogr(&[&args[..], &[shp, sample.to_str().unwrap()]].concat())
}

/// The largest distance in metres between a vertex of `a` and the nearest of `b`, district by
/// district, and that the labels agree.
fn same_districts(a: &mahalleh::workspace::DistrictLayer, b: &mahalleh::workspace::DistrictLayer) -> f64 {
    assert_eq!(a.districts.len(), b.districts.len());
    let mut worst = 0.0f64;
    for (i, (da, db)) in a.districts.iter().zip(&b.districts).enumerate() {
        assert_eq!(a.label(i), b.label(i), "district {i}");
        let pts = |d: &mahalleh::model::District| -> Vec<[f64; 2]> {
            d.shape_lon_lat
                .iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .flat_map(|r| r.0.iter().map(|c| [c.x, c.y]))
                .collect()
        };
        let theirs = pts(db);
        for p in pts(da) {
            let d = theirs
                .iter()
                .map(|q| ((p[0] - q[0]) * 94_500.0).hypot((p[1] - q[1]) * 110_900.0))
                .fold(f64::INFINITY, f64::min);
            worst = worst.max(d);
        }
    }
    worst
}

/// Shapefiles written by GDAL from the bundled sample, in the encodings and coordinate systems
/// municipal files come in; each must give the sample's districts back: the same names, and
/// vertices within a centimetre (WGS 84 UTM) or a metre (ED50, whose shift is a mean).
mod shapefiles {
    use super::*;

    #[test]
    fn cp1256_with_a_cpg_and_utm_40n_reads_back_as_the_sample() {
        let dir = work_dir("cp1256");
        let shp = dir.join("yazd.shp");
        let (shp_s, sample_s) = (shp.to_str().unwrap(), sample());
        if !ogr2ogr(&[
            "-f",
            "ESRI Shapefile",
            "-lco",
            "ENCODING=CP1256",
            "-t_srs",
            "EPSG:32640",
            shp_s,
            sample_s.to_str().unwrap(),
        ]) {
            return;
        }
        let layer = load(&shp).unwrap();
        // Windows-1256 has no Persian ی and ک: the names to expect are the ones GDAL itself reads
        // back from the file, with the sample's geometry.
        let gdal_back = dir.join("back.geojson");
        assert!(ogr2ogr(&[
            "-f",
            "GeoJSON",
            "-t_srs",
            "EPSG:4326",
            gdal_back.to_str().unwrap(),
            shp_s
        ]));
        let reference = load(&gdal_back).unwrap();
        assert_eq!(layer.report.source.format, "Shapefile");
        assert!(layer.report.source.crs.contains("32640"), "{}", layer.report.source.crs);
        let encoding = layer.report.source.encoding.clone().unwrap();
        assert!(encoding.starts_with("windows-1256 (the .cpg says"), "{encoding}");
        let worst = same_districts(&layer, &reference);
        assert!(worst < 0.01, "{worst} m");
        // Without the .cpg the text is not UTF-8, so the Iranian default is used: the same names.
        let cpg = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("cpg")))
            .unwrap();
        std::fs::remove_file(cpg).unwrap();
        let guessed = load(&shp).unwrap();
        assert!(
            guessed
                .report
                .source
                .encoding
                .clone()
                .unwrap()
                .contains("Iranian default")
        );
        assert!(same_districts(&guessed, &reference) < 0.01);
        // --encoding wins over the guess: read as UTF-8, the names break (and say so).
        let forced = load_district_layer(
            &shp,
            &LoadOptions {
                encoding: Some(encoding_rs::UTF_8),
                ..LoadOptions::default()
            },
            &no_progress,
        )
        .unwrap();
        assert!(
            forced
                .report
                .warnings
                .iter()
                .any(|w| matches!(w.warning, LoadWarning::UndecodableText { .. })),
            "bytes that are not UTF-8 are reported"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn ed50_utm_40n_gets_the_iranian_datum_shift() {
        let dir = work_dir("ed50");
        let shp = dir.join("yazd-ed50.shp");
        if !sample_as_utf8_shapefile(&shp, "EPSG:2060") {
            return;
        }
        let layer = load(&shp).unwrap();
        let worst = same_districts(&layer, &load(&sample()).unwrap());
        // GDAL and proj4rs apply the same seven-parameter shift.
        assert!(worst < 0.05, "{worst} m");
        assert!(
            layer.report.source.crs.contains("2060") || layer.report.source.crs.contains("European_1950_ED77"),
            "{}",
            layer.report.source.crs
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_shapefile_without_prj_or_dbf_and_damaged_parts() {
        let dir = work_dir("damaged");
        let shp = dir.join("yazd.shp");
        if !sample_as_utf8_shapefile(&shp, "EPSG:32640") {
            return;
        }
        let part = |ext: &str| shp.with_extension(ext);
        // No .prj, projected coordinates: one clear error naming the ranges and --crs.
        let prj = std::fs::read(part("prj")).unwrap();
        std::fs::remove_file(part("prj")).unwrap();
        let err = load(&shp).unwrap_err().to_string();
        assert!(
            err.contains("look projected") && err.contains("--crs EPSG:NNNN"),
            "{err}"
        );
        // --crs assigns one.
        let options = LoadOptions {
            crs: Some(mahalleh::io::crs::crs_from_epsg(32640).unwrap()),
            ..LoadOptions::default()
        };
        assert_eq!(
            load_district_layer(&shp, &options, &no_progress)
                .unwrap()
                .districts
                .len(),
            59
        );
        // A .prj of garbage is an error about the .prj.
        std::fs::write(part("prj"), "this is not WKT").unwrap();
        let err = load(&shp).unwrap_err().to_string();
        assert!(err.contains("yazd.prj"), "{err}");
        std::fs::write(part("prj"), prj).unwrap();
        // Opening by the .dbf is opening the Shapefile.
        assert_eq!(load(&part("dbf")).unwrap().districts.len(), 59);
        // No .dbf: districts without attributes, and the report says so.
        std::fs::rename(part("dbf"), part("dbf.away")).unwrap();
        let bare = load(&shp).unwrap();
        assert_eq!(bare.districts.len(), 59);
        assert!(bare.report.source.notes.iter().any(|n| n.contains("no .dbf")));
        std::fs::rename(part("dbf.away"), part("dbf")).unwrap();
        // A .shp cut off in the middle: the records before the cut load, the report says where.
        let bytes = std::fs::read(&shp).unwrap();
        std::fs::write(&shp, &bytes[..bytes.len() / 2]).unwrap();
        let half = load(&shp).unwrap();
        assert!(
            half.districts.len() > 10 && half.districts.len() < 59,
            "{}",
            half.districts.len()
        );
        assert!(
            half.report.source.notes.iter().any(|n| n.contains("cut off")),
            "{:?}",
            half.report.source.notes
        );
        // No .shp at all.
        std::fs::remove_file(&shp).unwrap();
        let err = load(&part("dbf")).unwrap_err().to_string();
        assert!(err.contains("the .shp file of this layer is missing"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// KML and KMZ, from GDAL and as Google Earth writes them.
mod kml {
    use super::*;
    use mahalleh::io::LoadError;
    use serde_json::Value;

    #[test]
    fn kml_written_by_gdal_reads_back_as_the_sample_with_typed_fields() {
        let dir = work_dir("kml");
        let kml = dir.join("yazd.kml");
        if !ogr2ogr(&["-f", "KML", kml.to_str().unwrap(), sample().to_str().unwrap()]) {
            return;
        }
        let layer = load(&kml).unwrap();
        let reference = load(&sample()).unwrap();
        assert_eq!(layer.report.source.format, "KML");
        assert_eq!(layer.report.skipped.len(), 0);
        // GDAL writes six decimals, about 10 cm.
        let worst = same_districts(&layer, &reference);
        assert!(worst < 0.15, "{worst} m");
        let population = FieldPath::new("population");
        for (ours, theirs) in layer.districts.iter().zip(&reference.districts) {
            assert!(matches!(ours.properties.get("population"), Some(Value::Number(_))));
            assert_eq!(
                population.number_in(&ours.properties),
                population.number_in(&theirs.properties)
            );
            assert_eq!(ours.properties.get("name_en"), theirs.properties.get("name_en"));
        }

        // The same KML zipped as a KMZ, the way Google Earth saves one.
        let kmz = dir.join("yazd.kmz");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&kmz).unwrap());
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("doc.kml", stored).unwrap();
        std::io::Write::write_all(&mut zip, &std::fs::read(&kml).unwrap()).unwrap();
        zip.finish().unwrap();
        let from_kmz = load(&kmz).unwrap();
        assert_eq!(from_kmz.report.source.format, "KMZ");
        assert_eq!(labels(&from_kmz), labels(&layer));
    }

    #[test]
    fn google_earth_placemarks_keep_holes_parts_folders_and_persian_digits() {
        let layer = load(&fixture("google-earth.kml")).unwrap();
        assert_eq!(labels(&layer), ["حسن‌آباد", "اسکان"]);
        let r = &layer.report;
        assert_eq!(r.features_total, 4);
        let skipped: Vec<(usize, usize, String)> = r
            .skipped
            .iter()
            .map(|s| (s.index, s.line, s.reason.to_string()))
            .collect();
        assert_eq!(
            skipped,
            [
                (1, 24, "a Point is not an area".to_string()),
                (3, 38, "a coordinate «54.1,x» is not lon,lat".to_string())
            ]
        );
        let hassanabad = &layer.districts[0];
        assert_eq!(hassanabad.shape_lon_lat.0.len(), 1);
        assert_eq!(hassanabad.shape_lon_lat.0[0].interiors().len(), 1);
        assert_eq!(
            FieldPath::new("جمعیت").number_in(&hassanabad.properties),
            Some(12_500.0)
        );
        assert_eq!(hassanabad.properties["folder"], "محله‌ها");
        assert_eq!(hassanabad.properties["code"], "HS-1");
        let eskan = &layer.districts[1];
        assert_eq!(eskan.shape_lon_lat.0.len(), 2);
        assert_eq!(eskan.properties["folder"], "میبد");

        // --layer reads one folder, as GDAL reads each folder as a layer.
        let options = |folder: &str| LoadOptions {
            layer: Some(folder.into()),
            ..LoadOptions::default()
        };
        let meybod = load_district_layer(&fixture("google-earth.kml"), &options("میبد"), &no_progress).unwrap();
        assert_eq!(labels(&meybod), ["اسکان"]);
        assert_eq!(meybod.report.skipped[0].index, 3);
        let e = load_district_layer(&fixture("google-earth.kml"), &options("اردکان"), &no_progress).unwrap_err();
        assert!(e.to_string().contains("it has: محله‌ها, میبد"), "{e}");
        // The ring Google Earth drew clockwise is an outer ring all the same. The area less the
        // hole, by PROJ (pyproj `Geod("WGS84").geometry_area_perimeter` on GDAL's reading of the
        // file): 1,006,912.81 m².
        let area = mahalleh::analysis::area_m2(&hassanabad.shape_lon_lat);
        assert!((area - 1_006_912.81).abs() < 0.5, "{area}");
    }

    #[test]
    fn files_that_are_not_kml_say_so_with_the_place() {
        let message = |name: &str| match load(&fixture(name)) {
            Err(e @ LoadError::Unreadable { .. }) => e.to_string(),
            other => panic!("{name}: {other:?}"),
        };
        assert!(message("not-kml.kml").contains("not KML: the document is <html>"));
        let broken = message("broken.kml");
        assert!(broken.contains("XML error") && broken.contains("3:1"), "{broken}");
    }
}

/// CSV and TSV tables with a WKT column, as GDAL and QGIS write them and as Persian Excel saves
/// them; offices from tables of positions.
mod csv_tables {
    use super::*;
    use mahalleh::text::same_text;

    fn gdal_csv(dir: &Path, name: &str, extra: &[&str]) -> Option<PathBuf> {
        let out = dir.join(name);
        let _ = std::fs::remove_file(&out);
        let sample = sample();
        let args = [
            &["-f", "CSV", "-lco", "GEOMETRY=AS_WKT"],
            extra,
            &[out.to_str().unwrap(), sample.to_str().unwrap()],
        ]
        .concat();
        ogr2ogr(&args).then_some(out)
    }

    #[test]
    fn gdal_wkt_csv_reads_back_as_the_sample_in_any_encoding_and_crs() {
        let dir = work_dir("csv");
        let Some(csv) = gdal_csv(&dir, "yazd.csv", &["-lco", "WRITE_BOM=YES"]) else {
            return;
        };
        let reference = load(&sample()).unwrap();
        let layer = load(&csv).unwrap();
        assert_eq!(layer.report.source.format, "CSV");
        assert!(
            layer
                .report
                .source
                .encoding
                .as_deref()
                .unwrap()
                .contains("byte-order mark")
        );
        assert!(same_districts(&layer, &reference) < 0.001);
        let population = FieldPath::new("population");
        assert_eq!(
            population.number_in(&layer.districts[3].properties),
            population.number_in(&reference.districts[3].properties)
        );
        assert!(
            layer.districts[3].properties["population"].is_i64(),
            "typed as a number"
        );

        // Re-saved by Persian Excel: Windows-1256, which has only the Arabic yeh and kaf.
        let text = std::fs::read_to_string(&csv)
            .unwrap()
            .replace('ی', "ي")
            .replace('ک', "ك");
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1256.encode(text.trim_start_matches('\u{feff}'));
        assert!(!unmappable);
        let cp1256 = dir.join("yazd-1256.csv");
        std::fs::write(&cp1256, &bytes).unwrap();
        let excel = load(&cp1256).unwrap();
        assert!(
            excel
                .report
                .source
                .encoding
                .as_deref()
                .unwrap()
                .starts_with("windows-1256")
        );
        for (i, (a, b)) in labels(&excel).iter().zip(labels(&reference)).enumerate() {
            assert!(same_text(a, &b), "district {i}: {a} vs {b}");
        }

        // In UTM 40N, with no coordinate system named: refused with the ranges, read with --crs.
        let Some(utm) = gdal_csv(&dir, "yazd-utm.csv", &["-t_srs", "EPSG:32640"]) else {
            return;
        };
        let e = load(&utm).unwrap_err();
        assert!(matches!(e, LoadError::NoCrs { .. }), "{e}");
        let options = LoadOptions {
            crs: Some(mahalleh::io::crs::crs_from_epsg(32640).unwrap()),
            ..LoadOptions::default()
        };
        let projected = load_district_layer(&utm, &options, &no_progress).unwrap();
        let worst = same_districts(&projected, &reference);
        assert!(worst < 0.01, "{worst} m");
    }

    #[test]
    fn offices_from_a_persian_table_cover_what_the_same_geojson_offices_cover() {
        let dir = work_dir("csv-offices");
        let csv = dir.join("offices.csv");
        std::fs::write(
            &csv,
            "نام,طول جغرافیایی,عرض جغرافیایی,وضعیت\nدفتر زینبیه,۵۴٫۳۱۸,۳۱٫۸۴۷,فعال\nدفتر دوم,54.40,31.90,\n",
        )
        .unwrap();
        let offices = mahalleh::io::read_offices(&csv).unwrap();
        assert_eq!(offices.len(), 2);
        assert_eq!(offices[0].name, "دفتر زینبیه");
        assert_eq!(offices[0].lon_lat, [54.318, 31.847]);
        assert_eq!(offices[0].status, mahalleh::model::OfficeStatus::Operating);
        // A points table opened as districts says where it belongs.
        let e = load(&csv).unwrap_err();
        assert!(e.to_string().contains("read it as offices"), "{e}");
    }
}

/// FlatGeobuf as GDAL writes it: with its spatial index (features in Hilbert order) and the
/// coordinate system in the header.
mod flatgeobuf {
    use super::*;

    #[test]
    fn gdal_flatgeobuf_in_utm_reads_back_as_the_sample_and_tehran_as_its_shapefile() {
        let dir = work_dir("fgb");
        let fgb = dir.join("yazd-utm.fgb");
        let _ = std::fs::remove_file(&fgb);
        let sample = sample();
        if !ogr2ogr(&[
            "-f",
            "FlatGeobuf",
            "-t_srs",
            "EPSG:32640",
            fgb.to_str().unwrap(),
            sample.to_str().unwrap(),
        ]) {
            return;
        }
        let layer = load(&fgb).unwrap();
        assert_eq!(layer.report.source.format, "FlatGeobuf");
        assert!(layer.report.source.crs.contains("32640"), "{}", layer.report.source.crs);
        // The index reorders features; compare by name.
        let mut reference = load(&sample).unwrap();
        let order: Vec<usize> = labels(&layer)
            .iter()
            .map(|name| labels(&reference).iter().position(|n| n == name).unwrap())
            .collect();
        reference.districts = order.iter().map(|&i| reference.districts[i].clone()).collect();
        let worst = same_districts(&layer, &reference);
        assert!(worst < 0.01, "{worst} m");
        let population = FieldPath::new("population");
        for (a, b) in layer.districts.iter().zip(&reference.districts) {
            assert_eq!(population.number_in(&a.properties), population.number_in(&b.properties));
        }

        let Some(shp) = common::shared_data("tehran-mahalat/Mahalat_Tehran.shp") else {
            return;
        };
        let tehran_fgb = dir.join("tehran.fgb");
        let _ = std::fs::remove_file(&tehran_fgb);
        assert!(ogr2ogr(&[
            "-f",
            "FlatGeobuf",
            tehran_fgb.to_str().unwrap(),
            shp.to_str().unwrap()
        ]));
        let from_fgb = load(&tehran_fgb).unwrap();
        let from_shp = load(&shp).unwrap();
        assert_eq!(from_fgb.districts.len(), 375);
        assert_eq!(from_fgb.label_field().unwrap().path.as_str(), "NAME_MAHAL");
        let mut a = labels(&from_fgb);
        let mut b = labels(&from_shp);
        a.sort();
        b.sort();
        assert_eq!(a, b);
        let (ba, bb) = (from_fgb.bbox_lon_lat().unwrap(), from_shp.bbox_lon_lat().unwrap());
        assert!((ba.min().x - bb.min().x).abs() < 1e-9 && (ba.max().y - bb.max().y).abs() < 1e-9);
    }
}

#[test]
fn geojson_with_a_legacy_crs_member_is_reprojected() {
    let layer = load(&fixture("utm.geojson")).unwrap();
    assert!(layer.report.source.crs.contains("32640"), "{}", layer.report.source.crs);
    let ring = &layer.districts[0].shape_lon_lat.0[0].exterior().0;
    // pyproj: Transformer.from_crs(32640, 4326, always_xy=True).
    let expected = [
        [54.145935548812666, 31.87379709964277],
        [54.15649500826719, 31.87403387633357],
        [54.15621798817767, 31.88304471474203],
    ];
    for p in expected {
        let nearest = ring
            .iter()
            .map(|c| (c.x - p[0]).abs().max((c.y - p[1]).abs()))
            .fold(f64::INFINITY, f64::min);
        assert!(nearest < 1e-7, "{p:?}: {nearest}");
    }
    // pyproj Geod("WGS84").polygon_area_perimeter of those vertices: 499,506.19 m².
    let area = mahalleh::analysis::area_m2(&layer.districts[0].shape_lon_lat);
    assert!((area - 499_506.19).abs() < 0.5, "{area}");

    // Without the member the same coordinates are projected: one error saying so.
    let text = std::fs::read_to_string(fixture("utm.geojson")).unwrap();
    let bare = text.replace(
        r#""crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32640"}},"#,
        "",
    );
    assert_ne!(bare, text);
    let e = load_district_layer_from_bytes(
        bare.as_bytes(),
        "bare.geojson".as_ref(),
        &LoadOptions::default(),
        &no_progress,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("look projected (x 230,000..231,000, y 3,530,000..3,531,000)"),
        "{e}"
    );
    assert!(e.contains("--crs EPSG:NNNN"), "{e}");
    // --crs reads it; it also overrides a member that names a system nobody knows.
    let options = LoadOptions {
        crs: Some(mahalleh::io::crs_from_text("EPSG:32640").unwrap()),
        ..LoadOptions::default()
    };
    for (name, text) in [
        ("bare", bare),
        (
            "unknown",
            std::fs::read_to_string(fixture("unknown-crs.geojson")).unwrap(),
        ),
    ] {
        let layer = load_district_layer_from_bytes(text.as_bytes(), name.as_ref(), &options, &no_progress).unwrap();
        let area = mahalleh::analysis::area_m2(&layer.districts[0].shape_lon_lat);
        assert!((area - 499_506.19).abs() < 0.5, "{name}: {area}");
    }
}

/// GeoPackages, in their own file.
#[path = "load_fixtures/geopackage.rs"]
mod geopackage;
