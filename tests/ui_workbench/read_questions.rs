//! Files that ask before they can be read: a projected file without a coordinate system asks
//! which one, a GeoPackage with several layers asks which; the answer goes into the plan.

use super::*;
use mahalleh::model::ReadChoices;

fn english_bench() -> Workbench {
    let mut bench = Workbench::default();
    bench.lang = Language::En;
    bench
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mahalleh-ui-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_projected_file_without_a_crs_asks_for_one_and_the_plan_keeps_it() {
    let text = std::fs::read_to_string(common::fixture("utm.geojson")).unwrap();
    let bare = text.replace(
        r#""crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32640"}},"#,
        "",
    );
    let path = temp_dir("crs").join("no-crs.geojson");
    std::fs::write(&path, bare).unwrap();
    let mut harness = harness(english_bench());
    let ctx = harness.ctx.clone();
    harness.state_mut().open(path.clone(), &ctx);
    wait_for_load(&mut harness);
    assert!(harness.state().scene.is_none());
    assert!(harness.state().error.is_none(), "{:?}", harness.state().error);
    assert!(
        harness
            .query_by_label_contains("look projected (x 230,000..231,000")
            .is_some()
    );

    // A code that is not one is refused in the window, which stays open.
    let code = || {
        egui_kittest::kittest::By::new()
            .role(egui::accesskit::Role::TextInput)
            .label("Other EPSG code:")
    };
    harness.get(code()).focus();
    harness.run_steps(1);
    harness.get(code()).type_text("UTM 40");
    harness.run_steps(2);
    harness.get_by_label("Use").click();
    harness.run_steps(2);
    assert!(
        harness.query_by_label_contains("EPSG:NNNN, not UTM 40").is_some(),
        "{:?}",
        harness.state().read_question
    );
    assert!(harness.state().read_question.is_some());

    // The offered systems say where the file's centre would land.
    harness
        .get_by_label_contains("WGS 84 / UTM zone 40N (EPSG:32640) — centre at 54.15°E 31.88°N")
        .click();
    harness.run_steps(2);
    wait_for_load(&mut harness);
    let bench = harness.state();
    assert!(bench.read_question.is_none());
    let scene = bench.scene.as_ref().unwrap();
    assert!(scene.layer.report.source.crs.contains("32640"));
    let area = mahalleh::analysis::area_m2(&scene.layer.districts[0].shape_lon_lat);
    assert!((area - 499_506.19).abs() < 0.5, "{area}");
    let source = bench.plan.plan.districts.as_ref().unwrap();
    assert_eq!(source.read.crs.as_deref(), Some("EPSG:32640"));
}

#[test]
fn a_geopackage_with_two_layers_asks_which() {
    let dir = temp_dir("gpkg");
    let gpkg = dir.join("two.gpkg");
    let _ = std::fs::remove_file(&gpkg);
    let sample = sample_path();
    for (name, update) in [("محله‌ها", false), ("zones", true)] {
        let mut args = vec!["-f", "GPKG", "-nln", name];
        if update {
            args.push("-update");
        }
        args.extend([gpkg.to_str().unwrap(), sample.to_str().unwrap()]);
        match std::process::Command::new("ogr2ogr").args(&args).status() {
            Ok(s) => assert!(s.success()),
            Err(_) => {
                eprintln!("skipping: ogr2ogr (gdal-bin) is not installed");
                return;
            }
        }
    }
    let mut harness = harness(english_bench());
    let ctx = harness.ctx.clone();
    harness.state_mut().open(gpkg.clone(), &ctx);
    wait_for_load(&mut harness);
    assert!(
        harness
            .query_by_label("This file holds several layers. Which one holds the districts?")
            .is_some()
    );
    harness.get_by_label("zones").click();
    harness.run_steps(2);
    wait_for_load(&mut harness);
    harness.run_steps(2);
    assert!(
        harness.query_by_label("GeoPackage · zones").is_some(),
        "the status bar names the layer"
    );
    let bench = harness.state();
    assert_eq!(bench.scene.as_ref().unwrap().layer.districts.len(), 59);
    assert_eq!(
        bench.plan.plan.districts.as_ref().unwrap().read,
        ReadChoices {
            layer: Some("zones".into()),
            ..ReadChoices::default()
        }
    );

    // Cancelled, the question goes and the shown layer stays.
    harness.state_mut().open(gpkg, &ctx);
    wait_for_load(&mut harness);
    harness.get_by_label("Cancel").click();
    harness.run_steps(2);
    assert!(harness.state().read_question.is_none());
    assert_eq!(harness.state().scene.as_ref().unwrap().layer.districts.len(), 59);
}

#[test]
fn offices_and_coverage_export_as_geopackage_and_shapefile_by_extension() {
    use mahalleh::ui::file_dialog::FilePurpose;
    let mut harness = harness(workbench(&sample_path()));
    let ctx = harness.ctx.clone();
    let anchor = {
        let scene = harness.state().scene.as_ref().unwrap();
        scene.layer.drawing().districts[0].label_anchor_lon_lat
    };
    harness
        .state_mut()
        .plan
        .submit(mahalleh::model::Command::AddOffice(mahalleh::model::Office::proposed(
            mahalleh::model::OfficeId(1),
            "دفتر آزمایشی",
            anchor,
        )));
    harness.run_steps(2);
    let dir = temp_dir("exports");
    for ext in ["gpkg", "shp"] {
        let offices = dir.join(format!("offices.{ext}"));
        let coverage = dir.join(format!("coverage.{ext}"));
        harness
            .state_mut()
            .file_chosen(FilePurpose::ExportOffices, offices.clone(), &ctx);
        harness
            .state_mut()
            .file_chosen(FilePurpose::ExportCoverage, coverage.clone(), &ctx);
        wait_for_exports(&mut harness);
        assert!(harness.state().error.is_none(), "{:?}", harness.state().error);
        // The coverage layer is districts again, with the coverage columns.
        let layer = common::load(&coverage).unwrap();
        assert_eq!(layer.districts.len(), 59, "{ext}");
        let covered = if ext == "shp" { "covered_fr" } else { "covered_fraction" };
        assert!(
            layer
                .districts
                .iter()
                .any(|d| d.properties[covered].as_f64().unwrap_or(0.0) > 0.5),
            "{ext}: the office's own district is covered"
        );
        assert!(std::fs::metadata(&offices).unwrap().len() > 100, "{ext}");
    }
    // A folder that does not exist is said, not a crash.
    harness
        .state_mut()
        .file_chosen(FilePurpose::ExportOffices, dir.join("missing/offices.gpkg"), &ctx);
    wait_for_exports(&mut harness);
    assert!(
        harness
            .state()
            .error
            .as_deref()
            .unwrap_or_default()
            .contains("offices.gpkg")
    );
}

/// Runs frames until the data files being written are done.
fn wait_for_exports(harness: &mut Harness<'_, Workbench>) {
    for _ in 0..400 {
        harness.run_steps(1);
        if harness.state().data_exports_pending() == 0 {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the export did not finish within 4 s");
}
