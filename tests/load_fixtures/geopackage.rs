//! GeoPackages GDAL writes: several layers (one chosen, or the caller asked), coordinate systems
//! from gpkg_spatial_ref_sys, rows located by fid, damaged geometry blobs and files that are not
//! GeoPackages at all.

use super::*;

fn options(layer: &str) -> LoadOptions {
    LoadOptions {
        layer: Some(layer.into()),
        ..LoadOptions::default()
    }
}

/// The sample as the layer `neighbourhoods` in UTM 40N, again as `mercator` in Web Mercator, and
/// the sample offices as the point layer `offices`; `None` without GDAL.
fn gdal_geopackage(dir: &Path) -> Option<PathBuf> {
    let gpkg = dir.join("yazd.gpkg");
    let _ = std::fs::remove_file(&gpkg);
    let (out, sample) = (gpkg.to_str().unwrap().to_string(), sample());
    let sample = sample.to_str().unwrap();
    let offices = fixture("yazd-offices.geojson");
    let layers: [&[&str]; 3] = [
        &[
            "-t_srs",
            "EPSG:32640",
            "-nlt",
            "MULTIPOLYGON",
            "-nln",
            "neighbourhoods",
            &out,
            sample,
        ],
        &["-update", "-t_srs", "EPSG:3857", "-nln", "mercator", &out, sample],
        &["-update", "-nln", "offices", &out, offices.to_str().unwrap()],
    ];
    for args in layers {
        if !ogr2ogr(&[&["-f", "GPKG"], args].concat()) {
            return None;
        }
    }
    Some(gpkg)
}

#[test]
fn gdal_geopackage_with_several_layers_asks_which_and_reads_each_as_the_sample() {
    let dir = work_dir("gpkg");
    let Some(gpkg) = gdal_geopackage(&dir) else {
        return;
    };
    match load(&gpkg) {
        Err(LoadError::ChooseLayer { layers, .. }) => assert_eq!(layers, ["neighbourhoods", "mercator"]),
        other => panic!("expected a choice of layers, got {other:?}"),
    }
    let layers = mahalleh::io::read::geopackage::geopackage_layers(&gpkg).unwrap();
    let names: Vec<(&str, &str)> = layers
        .iter()
        .map(|l| (l.name.as_str(), l.geometry_type.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("neighbourhoods", "MULTIPOLYGON"),
            ("mercator", "GEOMETRY"),
            ("offices", "POINT")
        ]
    );

    let reference = load(&sample()).unwrap();
    for (layer, code) in [("neighbourhoods", "32640"), ("mercator", "3857")] {
        let read = load_district_layer(&gpkg, &options(layer), &no_progress).unwrap();
        assert_eq!(read.report.source.format, "GeoPackage");
        assert!(read.report.source.crs.contains(code), "{}", read.report.source.crs);
        assert!(
            read.report.source.notes.iter().any(|n| n.contains("also holds")),
            "{:?}",
            read.report.source.notes
        );
        let worst = same_districts(&read, &reference);
        assert!(worst < 0.01, "{layer}: {worst} m");
        let population = FieldPath::new("population");
        for (a, b) in read.districts.iter().zip(&reference.districts) {
            assert_eq!(population.number_in(&a.properties), population.number_in(&b.properties));
        }
    }

    match load_district_layer(&gpkg, &options("roads"), &no_progress) {
        Err(e @ LoadError::NoSuchLayer { .. }) => {
            assert!(
                e.to_string().contains("it has: neighbourhoods, mercator, offices"),
                "{e}"
            )
        }
        other => panic!("expected no such layer, got {other:?}"),
    }
    // Asked for the point layer, every feature is explained and none loads.
    let e = load_district_layer(&gpkg, &options("offices"), &no_progress).unwrap_err();
    assert!(e.to_string().contains("a Point is not an area"), "{e}");
}

#[test]
fn damaged_rows_are_skipped_with_their_fid() {
    let dir = work_dir("gpkg-damaged");
    let Some(gpkg) = gdal_geopackage(&dir) else {
        return;
    };
    let db = rusqlite::Connection::open(&gpkg).unwrap();
    // GDAL's spatial-index triggers call functions only GDAL's SQLite has.
    let triggers: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for trigger in triggers {
        db.execute_batch(&format!("DROP TRIGGER \"{trigger}\"")).unwrap();
    }
    // GDAL numbers rows from 1; remove one so file order and fid part ways.
    db.execute_batch(
        "DELETE FROM neighbourhoods WHERE fid = 2;
         UPDATE neighbourhoods SET geom = NULL WHERE fid = 4;
         UPDATE neighbourhoods SET geom = X'47500003' WHERE fid = 5;
         UPDATE neighbourhoods SET geom = substr(geom, 1, 60) WHERE fid = 6;",
    )
    .unwrap();
    drop(db);
    let layer = load_district_layer(&gpkg, &options("neighbourhoods"), &no_progress).unwrap();
    let skipped: Vec<(usize, Option<i64>, String)> = layer
        .report
        .skipped
        .iter()
        .map(|s| (s.index, s.fid, s.reason.to_string()))
        .collect();
    assert_eq!(skipped.len(), 3, "{skipped:?}");
    assert_eq!(skipped[0].0, 2);
    assert_eq!(skipped[0].1, Some(4));
    assert_eq!(skipped[0].2, "the geometry is null");
    assert_eq!(skipped[1].1, Some(5));
    assert!(skipped[1].2.contains("GeoPackage geometry blob"), "{}", skipped[1].2);
    assert_eq!(skipped[2].1, Some(6));
    let cut = &skipped[2].2;
    assert!(cut.contains("ends early") || cut.contains("remaining bytes"), "{cut}");
    let reference = load(&sample()).unwrap();
    assert_eq!(layer.districts.len(), reference.districts.len() - 4);
}

#[test]
fn files_that_are_not_geopackages_get_one_clear_error() {
    let dir = work_dir("gpkg-not");
    let text = dir.join("notes.gpkg");
    std::fs::write(&text, "this is a text file, not a database\n".repeat(200)).unwrap();
    let e = load(&text).unwrap_err().to_string();
    assert!(
        e.contains("not a GeoPackage: the file is not an SQLite database"),
        "{e}"
    );

    let plain = dir.join("plain.gpkg");
    let _ = std::fs::remove_file(&plain);
    let db = rusqlite::Connection::open(&plain).unwrap();
    db.execute_batch("CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(db);
    let e = load(&plain).unwrap_err().to_string();
    assert!(e.contains("has no gpkg_contents"), "{e}");

    let missing = load(&dir.join("absent.gpkg")).unwrap_err();
    assert!(matches!(missing, LoadError::Io { .. }), "{missing:?}");

    // Found by its first bytes when the extension says nothing.
    let renamed = dir.join("plain.dat");
    std::fs::copy(&plain, &renamed).unwrap();
    let e = load(&renamed).unwrap_err().to_string();
    assert!(e.contains("has no gpkg_contents"), "{e}");
}

#[test]
fn tehran_through_a_geopackage_is_the_same_as_its_shapefile() {
    let Some(shp) = common::shared_data("tehran-mahalat/Mahalat_Tehran.shp") else {
        return;
    };
    let dir = work_dir("gpkg-tehran");
    let gpkg = dir.join("tehran.gpkg");
    let _ = std::fs::remove_file(&gpkg);
    if !ogr2ogr(&["-f", "GPKG", gpkg.to_str().unwrap(), shp.to_str().unwrap()]) {
        return;
    }
    let from_gpkg = load(&gpkg).unwrap();
    let from_shp = load(&shp).unwrap();
    assert_eq!(from_gpkg.districts.len(), 375);
    assert!(
        from_gpkg.report.source.crs.contains("32639"),
        "{}",
        from_gpkg.report.source.crs
    );
    assert_eq!(from_gpkg.label_field().unwrap().path.as_str(), "NAME_MAHAL");
    assert_eq!(labels(&from_gpkg), labels(&from_shp));
    let (a, b) = (from_gpkg.bbox_lon_lat().unwrap(), from_shp.bbox_lon_lat().unwrap());
    assert!((a.min().x - b.min().x).abs() < 1e-9 && (a.max().y - b.max().y).abs() < 1e-9);
}

#[test]
fn a_system_without_an_epsg_code_is_read_from_its_definition() {
    let dir = work_dir("gpkg-lcc");
    let gpkg = dir.join("lambert.gpkg");
    let _ = std::fs::remove_file(&gpkg);
    let lambert = "+proj=lcc +lat_1=30 +lat_2=36 +lat_0=24 +lon_0=54 +x_0=2000000 +y_0=0 +ellps=WGS84 +units=m";
    let sample = sample();
    if !ogr2ogr(&[
        "-f",
        "GPKG",
        "-t_srs",
        lambert,
        gpkg.to_str().unwrap(),
        sample.to_str().unwrap(),
    ]) {
        return;
    }
    let layer = load(&gpkg).unwrap();
    assert!(
        layer.report.source.crs.contains("read as WKT"),
        "{}",
        layer.report.source.crs
    );
    let worst = same_districts(&layer, &load(&sample).unwrap());
    assert!(worst < 0.01, "{worst} m");
}

mod damaged {
    use super::*;
    use proptest::prelude::*;

    /// The sample as a GeoPackage written by mahalleh (no GDAL needed), once per test run.
    fn pristine() -> &'static [u8] {
        static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        BYTES.get_or_init(|| {
            let path = work_dir("gpkg-pristine").join("sample.gpkg");
            let layer = load(&sample()).unwrap();
            let table = mahalleh::export::vector::VectorTable::districts(&layer, "districts");
            mahalleh::export::vector::write_vector(&table, &path).unwrap();
            std::fs::read(&path).unwrap()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Bytes changed anywhere and the file cut anywhere: a layer, skipped rows or one
        /// error, never a panic or a hang.
        #[test]
        fn damaged_geopackages_never_panic(changes in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..40), cut in any::<usize>()) {
            let mut bytes = pristine().to_vec();
            for (at, byte) in changes {
                let at = at % bytes.len();
                bytes[at] = byte;
            }
            bytes.truncate(bytes.len() - cut % (bytes.len() / 2));
            let path = work_dir("gpkg-damaged-prop").join(format!("case-{}.gpkg", COUNTER.fetch_add(1, Ordering::Relaxed)));
            std::fs::write(&path, &bytes).unwrap();
            if let Ok(layer) = load(&path) {
                prop_assert!(!layer.districts.is_empty());
            }
            let _ = std::fs::remove_file(&path);
        }
    }

    static COUNTER: AtomicUsize = AtomicUsize::new(0);

    #[test]
    fn the_pristine_file_reads_as_the_sample() {
        let path = work_dir("gpkg-pristine-check").join("sample.gpkg");
        std::fs::write(&path, pristine()).unwrap();
        let layer = load(&path).unwrap();
        assert_eq!(labels(&layer), labels(&load(&sample()).unwrap()));
    }
}

/// A layer big enough to be read in parallel pieces of rowids, with a gap in its fids: every
/// row comes back once, in fid order, indexed from 0, and the districts are those of the source.
#[test]
fn a_large_layer_read_in_pieces_keeps_every_row_in_order() {
    let dir = work_dir("gpkg-pieces");
    let geojson = dir.join("bench.geojson");
    std::fs::write(&geojson, mahalleh::synth::bench_layer_geojson(20_000)).unwrap();
    let source = load(&geojson).unwrap();
    let path = dir.join("bench.gpkg");
    let _ = std::fs::remove_file(&path);
    let table = mahalleh::export::vector::VectorTable::districts(&source, "districts");
    mahalleh::export::vector::write_vector(&table, &path).unwrap();
    // Rows 7,001..=7,500 deleted: a gap inside one piece's run of rowids.
    let db = rusqlite::Connection::open(&path).unwrap();
    let deleted = db
        .execute("DELETE FROM districts WHERE fid > 7000 AND fid <= 7500", [])
        .unwrap();
    assert_eq!(deleted, 500);
    drop(db);
    let layer = load(&path).unwrap();
    assert_eq!(layer.districts.len(), 19_500);
    assert_eq!(layer.report.features_total, 19_500);
    let expected: Vec<String> = labels(&source)
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !(7000..7500).contains(i))
        .map(|(_, l)| l)
        .collect();
    assert_eq!(labels(&layer), expected);
    assert!(layer.districts.iter().enumerate().all(|(i, d)| d.feature_index == i));
    assert_eq!(layer.districts[7000].bbox_lon_lat, source.districts[7500].bbox_lon_lat);
}
