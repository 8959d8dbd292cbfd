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
    for (i, d) in layer.drawing.districts.iter().enumerate() {
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
