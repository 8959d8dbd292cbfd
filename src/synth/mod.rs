//! Synthetic layers: the bundled, illustrative sample map of Yazd and Meybod neighbourhoods and
//! large generated layers for benchmarks. Deterministic: the same call writes the same bytes.

/// Large layers for benchmarks.
pub mod bench_layer;
/// A tiny deterministic random number generator.
pub mod rng;
/// The Yazd and Meybod sample map.
pub mod sample_map;

pub use bench_layer::bench_layer_geojson;
pub use rng::Rng;
pub use sample_map::sample_map_geojson;
