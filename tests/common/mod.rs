//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, Write};

use std::path::{Path, PathBuf};

use mahalleh::io::{LoadError, LoadOptions, load_district_layer, no_progress};
use mahalleh::workspace::DistrictLayer;

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

/// Whether python3 can import every one of `modules` (the reference computations); says what to
/// install when it cannot, for a test that then skips.
pub fn python_has(modules: &[&str]) -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", &format!("import {}", modules.join(", "))])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!(
            "skipping: python3 with {} is not available (pip install {})",
            modules.join(" and "),
            modules.join(" ")
        );
    }
    ok
}

/// Loads with default options.
pub fn load(path: &Path) -> Result<DistrictLayer, LoadError> {
    load_district_layer(path, &LoadOptions::default(), &no_progress)
}

/// The text of property `field` of every district, in order (panics where one has none).
pub fn texts_of(layer: &DistrictLayer, field: &str) -> Vec<String> {
    let path = mahalleh::model::FieldPath::new(field);
    layer
        .districts
        .iter()
        .map(|d| path.text_in(&d.properties).unwrap().into_owned())
        .collect()
}

/// The layer's labels in order.
pub fn labels(layer: &DistrictLayer) -> Vec<String> {
    (0..layer.districts.len())
        .map(|i| layer.label(i).into_owned())
        .collect()
}

/// Share of district `i` within `radius_m` of an office, by an `n`x`n` grid of points over its
/// bounding box, weighted by cos(latitude) and tested one by one with geodesic distances: a check
/// independent of the polygon clipping the core does.
pub fn grid_covered_fraction(
    layer: &DistrictLayer,
    i: usize,
    offices: &[mahalleh::model::Office],
    radius_m: f64,
    n: usize,
) -> f64 {
    use geo::{Distance, Geodesic, Point};
    let b = layer.districts[i].bbox_lon_lat;
    let (mut inside, mut reached) = (0.0, 0.0);
    for gx in 0..n {
        for gy in 0..n {
            let lon = b.min().x + (gx as f64 + 0.5) / n as f64 * b.width();
            let lat = b.min().y + (gy as f64 + 0.5) / n as f64 * b.height();
            if layer.district_at(lon, lat) != Some(i) {
                continue;
            }
            let w = lat.to_radians().cos();
            inside += w;
            let p = Point::new(lon, lat);
            if offices
                .iter()
                .any(|o| Geodesic.distance(p, Point::new(o.lon_lat[0], o.lon_lat[1])) <= radius_m)
            {
                reached += w;
            }
        }
    }
    reached / inside
}

/// Districts whose bounding box meets the box around some office's catchment: the ones that can
/// be reached at all, chosen without looking at any computed coverage.
pub fn districts_near(layer: &DistrictLayer, offices: &[mahalleh::model::Office], radius_m: f64) -> Vec<usize> {
    (0..layer.districts.len())
        .filter(|&i| {
            let b = layer.districts[i].bbox_lon_lat;
            offices.iter().any(|o| {
                let [lon, lat] = o.lon_lat;
                let dlat = radius_m / 110_000.0 * 1.05;
                let dlon = radius_m / (111_000.0 * lat.to_radians().cos()) * 1.05;
                b.min().x <= lon + dlon && b.max().x >= lon - dlon && b.min().y <= lat + dlat && b.max().y >= lat - dlat
            })
        })
        .collect()
}

/// Whether the command-line tool `name` runs (`name --version`); says so when not, for a test that
/// then skips.
pub fn tool_available(name: &str) -> bool {
    let ok = std::process::Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipping: {name} is not available (Debian: gdal-bin)");
    }
    ok
}

/// A PNG of `width` × `height` pixels of one colour.
pub fn png_of(width: u32, height: u32, rgba: [u8; 4]) -> Vec<u8> {
    let mut png = Vec::new();
    image::RgbaImage::from_pixel(width, height, image::Rgba(rgba))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

/// Writes an MBTiles file at `path` holding `tiles` (XYZ ids, bytes as given) with this
/// `format` and `attribution` in its metadata.
pub fn write_mbtiles(path: &Path, format: &str, attribution: &str, tiles: &[(mahalleh::basemap::TileId, Vec<u8>)]) {
    let _ = std::fs::remove_file(path);
    let db = rusqlite::Connection::open(path).unwrap();
    db.execute_batch(
        "CREATE TABLE metadata (name TEXT, value TEXT);
         CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);",
    )
    .unwrap();
    let zooms = tiles.iter().map(|(t, _)| t.z);
    let (min, max) = (zooms.clone().min().unwrap_or(0), zooms.max().unwrap_or(0));
    for (name, value) in [
        ("name", "test tiles".to_owned()),
        ("format", format.to_owned()),
        ("attribution", attribution.to_owned()),
        ("minzoom", min.to_string()),
        ("maxzoom", max.to_string()),
    ] {
        db.execute("INSERT INTO metadata VALUES (?1, ?2)", [name, value.as_str()])
            .unwrap();
    }
    for (t, bytes) in tiles {
        let row = (1i64 << t.z) - 1 - i64::from(t.y);
        db.execute(
            "INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![t.z, t.x, row, bytes],
        )
        .unwrap();
    }
}

/// The (path, User-Agent) of each request a test server answered.
pub type RequestLog = std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>;

/// A tile server on 127.0.0.1: `/tiles/{z}/{x}/{y}.png` is a green tile, except at zoom 5
/// (404) and zoom 6 (500). Returns its address and the (path, User-Agent) of each request.
pub fn serve_tiles() -> (String, RequestLog) {
    let green = png_of(256, 256, [20, 160, 60, 255]);
    serve(move |request| {
        if request.starts_with("/tiles/5/") {
            ("404 Not Found", Vec::new())
        } else if request.starts_with("/tiles/6/") {
            ("500 Internal Server Error", b"busy".to_vec())
        } else {
            ("200 OK", green.clone())
        }
    })
}

/// A server on 127.0.0.1 answering each request's path with `answer`'s status and body.
/// Returns its address and the (path, User-Agent) of each request.
pub fn serve(answer: impl Fn(&str) -> (&'static str, Vec<u8>) + Send + 'static) -> (String, RequestLog) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = std::sync::Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            let mut agent = String::new();
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
                if request.is_empty() {
                    request = line.split_whitespace().nth(1).unwrap_or("").to_owned();
                } else if let Some(v) = line.to_ascii_lowercase().strip_prefix("user-agent:") {
                    agent = v.trim().to_owned();
                }
                line.clear();
            }
            log.lock().unwrap().push((request.clone(), agent));
            let (status, body) = answer(&request);
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body));
        }
    });
    (address, seen)
}
