//! The bundled sample map: it is what the generator writes, and it holds what the issue promised.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::{labels, load};

fn sample_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson")
}

#[test]
fn sample_file_matches_its_generator() {
    let on_disk = std::fs::read_to_string(sample_path()).unwrap();
    if std::env::var_os("MAHALLEH_REGENERATE").is_some() {
        std::fs::write(sample_path(), mahalleh::synth::sample_map_geojson()).unwrap();
        return;
    }
    assert!(
        on_disk == mahalleh::synth::sample_map_geojson(),
        "maps/yazd-neighbourhoods.geojson differs from the generator; run MAHALLEH_REGENERATE=1 cargo test --test sample_map"
    );
}

#[test]
fn sample_has_the_named_areas_shared_borders_and_no_warnings() {
    let layer = load(&sample_path()).unwrap();
    let n = layer.districts.len();
    assert!((40..=80).contains(&n), "{n}");
    assert!(
        layer.report.skipped.is_empty() && layer.report.warnings.is_empty(),
        "{:?}",
        layer.report
    );
    assert_eq!(layer.label_field().unwrap().path.as_str(), "name");
    let names = labels(&layer);
    for want in ["حسن\u{200c}آباد", "اسکان", "کشتارگاه"] {
        assert!(names.iter().any(|n| n == want), "{want} missing");
    }
    let marginal: Vec<&str> = layer
        .districts
        .iter()
        .filter(|d| d.properties["settlement"] == "marginal")
        .map(|d| d.properties["name_en"].as_str().unwrap())
        .collect();
    assert_eq!(
        marginal,
        [
            "Koshtargah",
            "Hassanabad",
            "Eskan",
            "Meybod: marginal area B",
            "Meybod: marginal area A"
        ]
    );
    assert!(
        layer
            .districts
            .iter()
            .all(|d| d.properties["population"].as_u64().is_some_and(|p| p > 0))
    );

    // Yazd's historic core and Meybod.
    let core = layer.district_at(54.37, 31.90).unwrap();
    assert_eq!(layer.districts[core].properties["city"], "یزد");
    let meybod = layer.district_at(54.01, 32.25).unwrap();
    assert_eq!(layer.districts[meybod].properties["city"], "میبد");
    // The garden enclave fills the hole of Dowlatabad exactly.
    let garden = names.iter().position(|n| n == "باغ دولت\u{200c}آباد").unwrap();
    let [lon, lat] = layer.drawing().districts[garden].label_anchor_lon_lat;
    assert_eq!(layer.district_at(lon, lat), Some(garden));

    // Neighbours share borders: many districts touch at least three others.
    let touching = (0..n)
        .filter(|&i| {
            let b = layer.districts[i].bbox_lon_lat;
            layer.districts_in_rect(b).len() >= 4
        })
        .count();
    assert!(touching > n / 2, "{touching} of {n}");
}
