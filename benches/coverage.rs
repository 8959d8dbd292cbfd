//! Coverage speed for the live indicator panel: 3,000 districts and 200 offices, the full
//! computation and the incremental update after one office moves (what a drag does each frame).
//!
//! `cargo bench --bench coverage`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Instant;

use mahalleh::analysis::CoverageModel;
use mahalleh::io::{LoadOptions, load_district_layer_from_bytes, no_progress};
use mahalleh::model::{Office, OfficeId};

fn main() {
    let text = mahalleh::synth::bench_layer_geojson(3000);
    let layer =
        load_district_layer_from_bytes(text.as_bytes(), "bench".as_ref(), &LoadOptions::default(), &no_progress)
            .unwrap();
    let layer = Arc::new(layer);
    let t = Instant::now();
    let model = CoverageModel::new(Arc::clone(&layer), None);
    let prepare_ms = t.elapsed().as_secs_f64() * 1000.0;
    // 200 offices spread over the layer, on district anchors.
    let mut offices: Vec<Office> = (0..200)
        .map(|k| {
            let d = &layer.drawing().districts[(k * 15) % layer.districts.len()];
            Office::proposed(OfficeId(k as u64 + 1), format!("o{k}"), d.label_anchor_lon_lat)
        })
        .collect();
    let radius_m = 800.0;
    let t = Instant::now();
    let mut coverage = model.compute(&offices, radius_m);
    let full_ms = t.elapsed().as_secs_f64() * 1000.0;
    let mut update_ms = Vec::new();
    for step in 0..100 {
        let old = offices[step % 200].lon_lat;
        offices[step % 200].lon_lat = [old[0] + 0.0004, old[1] + 0.0002];
        let t = Instant::now();
        model.update(
            &mut coverage,
            &offices,
            radius_m,
            &[(offices[step % 200].id, Some(old))],
        );
        update_ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    update_ms.sort_by(f64::total_cmp);
    println!(
        "districts: {}, offices: {}, radius: {radius_m} m",
        layer.districts.len(),
        offices.len()
    );
    println!("prepare (areas, populations): {prepare_ms:.1} ms");
    println!("full coverage: {full_ms:.1} ms");
    println!(
        "update after one office moves: median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        update_ms[50], update_ms[95], update_ms[99]
    );
    let reached = coverage.summary.population_share.unwrap_or_default();
    println!("population reached: {:.1}%", reached * 100.0);
}
