//! A large layer for benchmarks: a grid of irregular, concave neighbourhoods of about forty
//! vertices, one in ten with a courtyard hole, with Persian and English names. About 1 kB of
//! GeoJSON per polygon, so 100,000 polygons make about 100 MB.

use std::f64::consts::TAU;
use std::fmt::Write;

use super::rng::Rng;

/// Vertices on each exterior ring.
const RING_VERTICES: usize = 40;
/// Cell size in degrees (about 500 m).
const CELL_DEG: f64 = 0.005;

/// GeoJSON text of a FeatureCollection of `polygons` generated neighbourhoods, south-west corner
/// at 44°E 25°N.
///
/// ```
/// let text = mahalleh::synth::bench_layer_geojson(3);
/// let v: serde_json::Value = serde_json::from_str(&text).unwrap();
/// assert_eq!(v["features"].as_array().unwrap().len(), 3);
/// ```
pub fn bench_layer_geojson(polygons: usize) -> String {
    let columns = (polygons as f64).sqrt().ceil().max(1.0) as usize;
    let mut rng = Rng::new(0x6d61_6861_6c6c_6568);
    let mut out = String::with_capacity(polygons * 1100 + 100);
    out.push_str("{\"type\":\"FeatureCollection\",\"features\":[\n");
    for i in 0..polygons {
        let (cx, cy) = (
            44.0 + (i % columns) as f64 * CELL_DEG + CELL_DEG / 2.0,
            25.0 + (i / columns) as f64 * CELL_DEG + CELL_DEG / 2.0,
        );
        let radius = CELL_DEG * 0.48;
        if i > 0 {
            out.push_str(",\n");
        }
        let settlement = if rng.next_u64().is_multiple_of(5) {
            "marginal"
        } else {
            "formal"
        };
        let population = 500 + rng.next_u64() % 20_000;
        let _ = write!(
            out,
            "{{\"type\":\"Feature\",\"properties\":{{\"name\":\"محله {i}\",\"name_en\":\"Neighbourhood {i}\",\"population\":{population},\"settlement\":\"{settlement}\"}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[["
        );
        let phase = rng.range(0.0, TAU);
        let mut first = None;
        for k in 0..RING_VERTICES {
            let angle = phase + TAU * k as f64 / RING_VERTICES as f64;
            let r = radius * rng.range(0.55, 1.0);
            let p = (cx + r * angle.cos(), cy + r * angle.sin());
            first.get_or_insert(p);
            let _ = write!(out, "[{:.6},{:.6}],", p.0, p.1);
        }
        if let Some((x, y)) = first {
            let _ = write!(out, "[{x:.6},{y:.6}]]");
        }
        if i % 10 == 0 {
            let h = radius * 0.2;
            let _ = write!(
                out,
                ",[[{:.6},{:.6}],[{:.6},{:.6}],[{:.6},{:.6}],[{:.6},{:.6}],[{:.6},{:.6}]]",
                cx - h,
                cy - h,
                cx - h,
                cy + h,
                cx + h,
                cy + h,
                cx + h,
                cy - h,
                cx - h,
                cy - h
            );
        }
        out.push_str("]}}");
    }
    out.push_str("\n]}\n");
    out
}

/// The benchmark layer of `polygons` districts, loaded with drawing data: for tests.
#[cfg(test)]
pub(crate) fn loaded_bench_layer(polygons: usize) -> crate::workspace::DistrictLayer {
    let text = bench_layer_geojson(polygons);
    let loaded = crate::io::load_district_layer_from_bytes(
        text.as_bytes(),
        "bench".as_ref(),
        &Default::default(),
        &crate::io::no_progress,
    );
    loaded.unwrap_or_else(|e| panic!("the bench layer loads: {e}"))
}
