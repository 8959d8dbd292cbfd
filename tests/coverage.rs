//! Coverage on the bundled sample map against an independent grid computation.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::sync::Arc;

use mahalleh::analysis::CoverageModel;
use mahalleh::model::{Office, OfficeId};

#[test]
fn coverage_matches_a_fine_grid() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
    let layer = Arc::new(common::load(&path).unwrap());
    let fahadan = layer
        .districts
        .iter()
        .position(|d| d.properties["name_en"] == "Fahadan")
        .unwrap();
    let anchor = layer.drawing.districts[fahadan].label_anchor_lon_lat;
    let offices = [
        Office::proposed(OfficeId(1), "a", anchor),
        Office::proposed(OfficeId(2), "b", [anchor[0] + 0.012, anchor[1] + 0.004]),
    ];
    let coverage = CoverageModel::new(Arc::clone(&layer), None).compute(&offices, 800.0);
    let mut checked = 0;
    for c in coverage.districts.iter().filter(|c| c.covered_fraction > 0.0) {
        let grid = common::grid_covered_fraction(&layer, c.district, &offices, 800.0, 220);
        assert!(
            (c.covered_fraction - grid).abs() < 0.01,
            "district {}: {} vs grid {grid}",
            c.district,
            c.covered_fraction
        );
        checked += 1;
    }
    assert!(checked >= 3, "{checked}");
    let f = &coverage.districts[fahadan];
    assert_eq!(f.nearest_office, Some(OfficeId(1)));
    assert!(f.nearest_office_m.unwrap() < 0.01);
    assert!(f.population_reached.unwrap() > 0.0);
}
