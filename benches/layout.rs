//! Layout export speed and size: an A3 landscape page at 300 dpi (PNG) and as PDF, for a layer
//! of counties with 100 offices and their coverage.
//!
//! `cargo bench --bench layout -- [COUNTIES.geojson]`
//!
//! The reference file is the 3,231 US counties of npm `us-atlas` (counties-10m, converted with
//! `topojson-client`'s `topo2geo`; see README). Without a file a generated layer of 3,231
//! districts is used instead, and the output says so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use mahalleh::analysis::CoverageModel;
use mahalleh::export::layout::{LayoutFormat, LayoutScene, compose_svg, export_layout};
use mahalleh::io::{LoadOptions, load_district_layer, load_district_layer_from_bytes, no_progress};
use mahalleh::model::layout::{Layout, MapExtent, Paper};
use mahalleh::model::{Office, OfficeId, Plan};
use mahalleh::text::dates::GregorianDate;

fn main() {
    let path = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .or_else(|| Some(PathBuf::from("/tmp/us/counties.geojson")).filter(|p| p.exists()));
    let (what, layer) = match &path {
        Some(p) => (
            p.display().to_string(),
            load_district_layer(p, &LoadOptions::default(), &no_progress).unwrap(),
        ),
        None => {
            let text = mahalleh::synth::bench_layer_geojson(3231);
            let layer = load_district_layer_from_bytes(
                text.as_bytes(),
                "bench".as_ref(),
                &LoadOptions::default(),
                &no_progress,
            )
            .unwrap();
            ("generated 3,231 districts (no counties file given)".to_string(), layer)
        }
    };
    let layer = Arc::new(layer);
    let step = (layer.districts.len() / 100).max(1);
    let offices: Vec<Office> = (0..100)
        .map(|k| {
            let d = &layer.drawing().districts[(k * step) % layer.districts.len()];
            Office::proposed(OfficeId(k as u64 + 1), format!("Office {k}"), d.label_anchor_lon_lat)
        })
        .collect();
    let plan = Plan {
        offices,
        next_id: 101,
        radius_m: 20_000.0,
        ..Plan::default()
    };
    let coverage = CoverageModel::new(Arc::clone(&layer), None).compute(&plan.offices, plan.radius_m);
    let scene = LayoutScene {
        layer: &layer,
        plan: &plan,
        coverage: Some(&coverage),
        view_bbox_m: None,
        selected: &[],
        theme: None,
        basemap: None,
        reference: &[],
        reference_under: 0,
    };
    let layout = Layout {
        paper: Paper::A3,
        title: "Counties and offices".into(),
        extent: MapExtent::AllDistricts,
        ..Layout::default()
    };
    let today = GregorianDate::today();
    println!(
        "layer: {what}: {} districts, {} offices",
        layer.districts.len(),
        plan.offices.len()
    );
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let time = |f: &dyn Fn() -> usize| {
        let mut seconds = Vec::new();
        let mut bytes = 0;
        for _ in 0..3 {
            let t = Instant::now();
            bytes = f();
            seconds.push(t.elapsed().as_secs_f64());
        }
        (median(seconds), bytes)
    };
    let (svg_s, svg_bytes) = time(&|| compose_svg(&scene, &layout, today).len());
    println!("compose SVG:      {svg_s:.3} s, {:.2} MB", svg_bytes as f64 / 1e6);
    let (png_s, png_bytes) = time(&|| {
        export_layout(&scene, &layout, LayoutFormat::Png, 300.0, today)
            .unwrap()
            .len()
    });
    println!(
        "A3 PNG 300 dpi:   {png_s:.3} s, {:.2} MB (4961 x 3508 px)",
        png_bytes as f64 / 1e6
    );
    let (pdf_s, pdf_bytes) = time(&|| {
        export_layout(&scene, &layout, LayoutFormat::Pdf, 300.0, today)
            .unwrap()
            .len()
    });
    println!("A3 PDF:           {pdf_s:.3} s, {:.2} MB", pdf_bytes as f64 / 1e6);
}
