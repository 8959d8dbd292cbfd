//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use mahalleh::io::{LoadError, LoadOptions, load_district_layer, no_progress};
use mahalleh::model::DistrictLayer;

/// A file under tests/fixtures.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// A file under ../shared/data, or `None` (with a message) when that folder is absent.
pub fn shared_data(name: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data").join(name);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipping: {} is not present", path.display());
        None
    }
}

/// Loads with default options.
pub fn load(path: &Path) -> Result<DistrictLayer, LoadError> {
    load_district_layer(path, &LoadOptions::default(), &no_progress)
}

/// The layer's labels in order.
pub fn labels(layer: &DistrictLayer) -> Vec<String> {
    (0..layer.districts.len())
        .map(|i| layer.label(i).into_owned())
        .collect()
}
