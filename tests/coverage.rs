//! Coverage on the bundled sample map against an independent grid computation.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::sync::Arc;

use mahalleh::analysis::CoverageModel;
use mahalleh::model::{District, DistrictLayer, Office, OfficeId};
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
    let anchor = layer.drawing.districts[fahadan].label_anchor_lon_lat;
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
                let [lon, lat] = layer.drawing.districts[d % layer.districts.len()].label_anchor_lon_lat;
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
