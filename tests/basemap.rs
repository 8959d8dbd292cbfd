//! Basemaps read from files other tools wrote: GDAL's MBTiles driver (with overviews from
//! gdaladdo) and the reference PMTiles converter (Python `pmtiles`), checked pixel by pixel
//! against the raster they were made from; and damaged files, each a clear error.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use mahalleh::basemap::{BasemapError, TileFormat, TileId, TileSource, basemap_picture, plain_attribution};
use mahalleh::map::lon_lat_from_mercator;

/// The raster: 8 × 8 cells of 64 pixels, 10 m each, from this Web Mercator corner (Yazd).
const WEST_M: f64 = 6_050_000.0;
const NORTH_M: f64 = 3_752_000.0;
const CELL_M: f64 = 640.0;

fn cell_color(row: u32, col: u32) -> [u8; 4] {
    [
        (30 * col % 256) as u8,
        (30 * row % 256) as u8,
        ((row * 8 + col) * 3 % 256) as u8,
        255,
    ]
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("basemap");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The grid as an MBTiles file `name` written by GDAL, with overviews two zooms down; `None`
/// without GDAL.
fn gdal_mbtiles(name: &str) -> Option<PathBuf> {
    if !common::tool_available("gdal_translate") || !common::tool_available("gdaladdo") {
        return None;
    }
    let png = scratch(&format!("{name}.png"));
    let image = image::RgbaImage::from_fn(512, 512, |x, y| image::Rgba(cell_color(y / 64, x / 64)));
    image.save(&png).unwrap();
    let out = scratch(&format!("{name}.mbtiles"));
    let _ = std::fs::remove_file(&out);
    let (east, south) = (WEST_M + 8.0 * CELL_M, NORTH_M - 8.0 * CELL_M);
    let ok = Command::new("gdal_translate")
        .args(["-q", "-of", "MBTILES", "-a_srs", "EPSG:3857", "-a_ullr"])
        .args([WEST_M, NORTH_M, east, south].map(|v| v.to_string()))
        .arg(&png)
        .arg(&out)
        .status()
        .unwrap()
        .success();
    assert!(ok, "gdal_translate failed");
    let ok = Command::new("gdaladdo")
        .args(["-q", "-r", "nearest"])
        .arg(&out)
        .args(["2", "4"])
        .status()
        .unwrap()
        .success();
    assert!(ok, "gdaladdo failed");
    Some(out)
}

/// The colour of the basemap at Web Mercator `at_m`, drawn at `m_per_px`.
fn color_at(
    source: &mut TileSource,
    info: &mahalleh::basemap::BasemapInfo,
    [x, y]: [f64; 2],
    m_per_px: f64,
) -> [u8; 4] {
    let half = 5.0 * m_per_px;
    let picture = basemap_picture(
        source,
        info,
        [[x - half, y - half], [x + half, y + half]],
        [10, 10],
        1.0,
    )
    .unwrap();
    assert!(picture.bad_tiles.is_empty(), "{:?}", picture.bad_tiles);
    let at = 4 * (5 * 10 + 5);
    picture.pixels[at..at + 4].try_into().unwrap()
}

/// Every cell's centre has the cell's colour at the file's full resolution, at its coarsest
/// overview and enlarged past its last zoom.
fn check_grid(path: &Path) {
    let (mut source, info) = TileSource::open(path).unwrap();
    assert_eq!(info.format, TileFormat::Png);
    assert_eq!((info.min_zoom, info.max_zoom), (12, 14), "{info:?}");
    let [[w, s], [e, n]] = info.bounds_lon_lat.unwrap();
    let [w_ref, s_ref] = lon_lat_from_mercator(WEST_M, NORTH_M - 8.0 * CELL_M);
    let [e_ref, n_ref] = lon_lat_from_mercator(WEST_M + 8.0 * CELL_M, NORTH_M);
    // GDAL snaps the raster to zoom 14's pixels (9.55 m), so its bounds may grow by one.
    for (got, want) in [(w, w_ref), (s, s_ref), (e, e_ref), (n, n_ref)] {
        assert!((got - want).abs() < 1.2e-4, "bounds {:?}", info.bounds_lon_lat);
    }
    for (m_per_px, zoom) in [(10.0, 14), (40.0, 12), (1.0, 14)] {
        let mut wrong = Vec::new();
        for row in 0..8 {
            for col in 0..8 {
                let centre = [
                    WEST_M + (f64::from(col) + 0.5) * CELL_M,
                    NORTH_M - (f64::from(row) + 0.5) * CELL_M,
                ];
                let got = color_at(&mut source, &info, centre, m_per_px);
                let want = cell_color(row, col);
                if got.iter().zip(want).any(|(g, w)| g.abs_diff(w) > 2) {
                    wrong.push((row, col, got, want));
                }
            }
        }
        assert!(wrong.is_empty(), "{} m/px (zoom {zoom}): {wrong:?}", m_per_px);
    }
    // Away from the raster there is nothing.
    let far = basemap_picture(&mut source, &info, [[0.0, 0.0], [1000.0, 1000.0]], [8, 8], 1.0).unwrap();
    assert!(far.is_empty());
}

#[test]
fn gdal_mbtiles_draw_the_raster_they_were_made_from() {
    let Some(mbtiles) = gdal_mbtiles("gdal-grid") else {
        return;
    };
    check_grid(&mbtiles);
}

/// `mbtiles` converted by the reference PMTiles converter into the scratch file `name`; `None`
/// without Python's `pmtiles`.
fn reference_pmtiles(mbtiles: &Path, name: &str) -> Option<PathBuf> {
    if !common::python_has(&["pmtiles"]) {
        return None;
    }
    let pmtiles = scratch(name);
    let script =
        "import sys\nfrom pmtiles.convert import mbtiles_to_pmtiles\nmbtiles_to_pmtiles(sys.argv[1], sys.argv[2], 14)";
    let ok = Command::new("python3")
        .args(["-c", script])
        .arg(mbtiles)
        .arg(&pmtiles)
        .status()
        .unwrap()
        .success();
    assert!(ok, "pmtiles convert failed");
    Some(pmtiles)
}

#[test]
fn pmtiles_from_the_reference_converter_draw_the_same() {
    let Some(mbtiles) = gdal_mbtiles("converted-grid") else {
        return;
    };
    let Some(pmtiles) = reference_pmtiles(&mbtiles, "grid.pmtiles") else {
        return;
    };
    check_grid(&pmtiles);
}

#[test]
fn pmtiles_with_leaf_directories_find_every_tile() {
    if !common::python_has(&["pmtiles"]) {
        return;
    }
    // 30,000 distinct tiles at zoom 8 and 40,000 scattered ones of varied sizes at zoom 12: too
    // many entries for the root, so the reference writer puts them in leaf directories.
    let path = scratch("leaves.pmtiles");
    let script = r#"
import sys
from pmtiles.writer import Writer
from pmtiles.tile import zxy_to_tileid, TileType, Compression
with open(sys.argv[1], "wb") as f:
    w = Writer(f)
    import random
    rng = random.Random(7)
    ids = [zxy_to_tileid(8, x, y) for x in range(0, 256, 1) for y in range(0, 118)]
    ids += [zxy_to_tileid(12, x, y) for x, y in {(rng.randrange(4096), rng.randrange(4096)) for _ in range(40000)}]
    for i in sorted(ids):
        w.write_tile(i, b"tile %d" % i + b"." * rng.randrange(300))
    w.finalize({"tile_type": TileType.PNG, "tile_compression": Compression.NONE,
                "min_zoom": 8, "max_zoom": 8, "min_lon_e7": -1800000000, "min_lat_e7": -850000000,
                "max_lon_e7": 1800000000, "max_lat_e7": 850000000, "center_zoom": 8,
                "center_lon_e7": 0, "center_lat_e7": 0},
               {"attribution": "<a href='x'>&copy; test</a>"})
"#;
    let ok = Command::new("python3")
        .args(["-c", script])
        .arg(&path)
        .status()
        .unwrap()
        .success();
    assert!(ok, "pmtiles writer failed");
    let header = std::fs::read(&path).unwrap();
    let leaves_len = u64::from_le_bytes(header[48..56].try_into().unwrap());
    assert!(leaves_len > 0, "the file has no leaf directories");
    let (mut source, info) = TileSource::open(&path).unwrap();
    assert_eq!(plain_attribution(&info.attribution), "© test");
    for (x, y) in [(0, 0), (255, 117), (100, 50), (7, 93)] {
        let id = TileId::new(8, x, y).unwrap();
        let want = format!("tile {}", mahalleh::basemap::pmtiles_tile_id(id));
        let got = source.tile_bytes(id).unwrap().unwrap();
        assert_eq!(String::from_utf8_lossy(&got).trim_end_matches('.'), want, "{x},{y}");
    }
    assert_eq!(source.tile_bytes(TileId::new(8, 3, 200).unwrap()).unwrap(), None);
    assert_eq!(source.tile_bytes(TileId::new(7, 3, 20).unwrap()).unwrap(), None);
    // Bytes that are no image are that tile's error only.
    let err = source.tile(TileId::new(8, 0, 0).unwrap()).unwrap_err();
    assert!(err.to_string().starts_with("tile 8/0/0 is not a PNG"), "{err}");
}

#[test]
fn damaged_basemaps_are_clear_errors() {
    let text = scratch("notes.mbtiles");
    std::fs::write(&text, "these are not tiles").unwrap();
    assert!(matches!(TileSource::open(&text), Err(BasemapError::NotTiles { .. })));
    assert!(matches!(
        TileSource::open(&scratch("missing.pmtiles")),
        Err(BasemapError::Io { .. })
    ));

    let vector = scratch("vector.mbtiles");
    common::write_mbtiles(&vector, "pbf", "", &[(TileId::new(0, 0, 0).unwrap(), vec![1, 2, 3])]);
    let (mut source, info) = TileSource::open(&vector).unwrap();
    assert_eq!(info.format, mahalleh::basemap::TileFormat::Vector);
    let err = source.tile(TileId::new(0, 0, 0).unwrap()).unwrap_err();
    assert!(matches!(err, BasemapError::BadTile { .. }), "{err}");
    assert!(err.to_string().contains("not a vector tile"), "{err}");

    let no_tiles = scratch("empty.mbtiles");
    let _ = std::fs::remove_file(&no_tiles);
    rusqlite::Connection::open(&no_tiles)
        .unwrap()
        .execute_batch("CREATE TABLE other (a);")
        .unwrap();
    let err = TileSource::open(&no_tiles).err().unwrap();
    assert!(matches!(err, BasemapError::BadMbtiles { .. }), "{err}");
    assert!(err.to_string().contains("no such table"), "{err}");

    // A PMTiles header whose root directory lies past the end of the file.
    let mut header = vec![0u8; 127];
    header[..7].copy_from_slice(b"PMTiles");
    header[7] = 3;
    header[8..16].copy_from_slice(&127u64.to_le_bytes());
    header[16..24].copy_from_slice(&500u64.to_le_bytes());
    header[97] = 1;
    header[99] = 2;
    let short = scratch("short.pmtiles");
    std::fs::write(&short, &header).unwrap();
    let err = TileSource::open(&short).err().unwrap();
    assert!(err.to_string().contains("runs past the end"), "{err}");
    std::fs::write(&short, &header[..60]).unwrap();
    let err = TileSource::open(&short).err().unwrap();
    assert!(err.to_string().contains("header"), "{err}");
    header[97] = 3;
    std::fs::write(&short, &header).unwrap();
    let err = TileSource::open(&short).err().unwrap();
    assert!(
        matches!(err, BasemapError::Compression { method: "brotli", .. }),
        "{err}"
    );

    // One damaged tile among good ones: the picture is drawn, the tile reported.
    let mixed = scratch("mixed.mbtiles");
    let red = common::png_of(256, 256, [200, 0, 0, 255]);
    common::write_mbtiles(
        &mixed,
        "png",
        "",
        &[
            (TileId::new(1, 0, 0).unwrap(), red.clone()),
            (TileId::new(1, 1, 0).unwrap(), b"garbage".to_vec()),
        ],
    );
    let (mut source, info) = TileSource::open(&mixed).unwrap();
    let half = mahalleh::basemap::WORLD_HALF_M;
    let picture = basemap_picture(&mut source, &info, [[-half, 0.0], [half, half]], [4, 2], 1.0).unwrap();
    assert_eq!(picture.bad_tiles.len(), 1, "{:?}", picture.bad_tiles);
    assert_eq!(&picture.pixels[0..4], &[200, 0, 0, 255]);
    assert_eq!(&picture.pixels[12..16], &[0, 0, 0, 0]);
}

/// An MBTiles file of solid blue tiles over the sample map, zooms 8 to 11.
fn blue_basemap(name: &str) -> PathBuf {
    let path = scratch(name);
    let [x, y] = mahalleh::map::mercator_from_lon_lat(54.2, 32.05);
    let blue = common::png_of(256, 256, [0, 0, 255, 255]);
    let mut tiles = Vec::new();
    for z in 8..=11 {
        let centre = TileId::at_m(z, [x, y]);
        let reach = 2 << (z - 8);
        for tx in centre.x - reach..=centre.x + reach {
            for ty in centre.y - reach..=centre.y + reach {
                tiles.push((TileId::new(z, tx, ty).unwrap(), blue.clone()));
            }
        }
    }
    common::write_mbtiles(&path, "png", "&copy; Test tiles", &tiles);
    path
}

mod layouts {
    use super::*;
    use mahalleh::export::layout::{BasemapOnPage, LayoutBasemap, LayoutFormat, LayoutScene, compose, export_layout};
    use mahalleh::model::layout::{Layout, LayoutLanguage, MapExtent};
    use mahalleh::model::{Basemap, Plan};
    use mahalleh::text::dates::GregorianDate;

    const TODAY: GregorianDate = GregorianDate {
        year: 2026,
        month: 12,
        day: 4,
    };

    fn sample() -> mahalleh::workspace::DistrictLayer {
        common::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson")).unwrap()
    }

    fn layout() -> Layout {
        Layout {
            language: LayoutLanguage::En,
            extent: MapExtent::AllDistricts,
            ..Layout::default()
        }
    }

    /// Pixels of the map region that are exactly `rgb`, and those within 40 of it per channel.
    fn count(png: &[u8], region: [[f64; 2]; 2], page_w_pt: f64, rgb: [u8; 3]) -> (usize, usize) {
        let image = image::load_from_memory(png).unwrap().into_rgb8();
        let px_per_pt = f64::from(image.width()) / page_w_pt;
        let (mut exact, mut near) = (0, 0);
        let [[x0, y0], [x1, y1]] = region.map(|p| p.map(|v| (v * px_per_pt) as u32));
        for y in y0 + 2..y1 - 2 {
            for x in x0 + 2..x1 - 2 {
                let p = image.get_pixel(x, y).0;
                exact += usize::from(p == rgb);
                near += usize::from(p.iter().zip(rgb).all(|(a, b)| a.abs_diff(b) <= 40));
            }
        }
        (exact, near)
    }

    #[test]
    fn previews_share_one_opened_basemap_until_the_plan_s_changes() {
        use mahalleh::export::layout::OpenedBasemap;
        let path = blue_basemap("opened-blue.mbtiles");
        let mut plan = Plan {
            basemap: Some(Basemap::file(&path)),
            ..Plan::default()
        };
        let opened = OpenedBasemap::default();
        let first = opened.of_plan(&plan).unwrap().unwrap();
        let again = opened.of_plan(&plan).unwrap().unwrap();
        assert!(
            std::sync::Arc::ptr_eq(&first, &again),
            "the same plan: the file is not opened again"
        );
        plan.basemap.as_mut().unwrap().districts_opacity = 0.3;
        let changed = opened.of_plan(&plan).unwrap().unwrap();
        assert!(!std::sync::Arc::ptr_eq(&first, &changed));
        assert!((changed.districts_opacity - 0.3).abs() < 1e-6);
        plan.basemap.as_mut().unwrap().visible = false;
        assert!(opened.of_plan(&plan).is_none(), "a hidden basemap is not drawn");
        plan.basemap = Some(Basemap::file(path.with_file_name("no-such.mbtiles")));
        assert!(opened.of_plan(&plan).unwrap().is_err());
    }

    #[test]
    fn a_layout_draws_the_basemap_under_translucent_districts_and_credits_it() {
        let layer = sample();
        let path = blue_basemap("layout-blue.mbtiles");
        let plan = Plan {
            basemap: Some(Basemap::file(&path)),
            ..Plan::default()
        };
        let basemap = LayoutBasemap::of_plan(&plan).unwrap().unwrap();
        assert_eq!(basemap.attribution, "© Test tiles");
        let scene = |dpi: Option<f64>| LayoutScene {
            layer: &layer,
            plan: &plan,
            coverage: None,
            view_bbox_m: None,
            selected: &[],
            theme: None,
            basemap: dpi.map(|dpi| BasemapOnPage { basemap: &basemap, dpi }),
            reference: &[],
            reference_under: 0,
        };
        let layout = layout();
        let page_w_pt = layout.page_mm()[0] / 25.4 * 72.0;
        let composed = compose(&scene(Some(100.0)), &layout, TODAY);
        assert_eq!(composed.basemap_problem, None);
        assert!(
            composed.svg.contains("Basemap: \u{2068}© Test tiles\u{2069}"),
            "credited in the foot line"
        );
        let map = composed.regions.map;

        let with = export_layout(&scene(Some(100.0)), &layout, LayoutFormat::Png, 100.0, TODAY).unwrap();
        let (blue, _) = count(&with, map, page_w_pt, [0, 0, 255]);
        // Blue-tinted but not blue: district fills at 55 % over the basemap.
        let (_, tinted) = count(&with, map, page_w_pt, [102, 115, 216]);
        let without = export_layout(&scene(None), &layout, LayoutFormat::Png, 100.0, TODAY).unwrap();
        let (blue_without, tinted_without) = count(&without, map, page_w_pt, [0, 0, 255]);
        assert!(blue > 10_000, "the basemap shows around the districts: {blue} px");
        assert!(tinted > 10_000, "and through them: {tinted} px");
        assert_eq!((blue_without, tinted_without), (0, 0));

        // The SVG carries the picture; the PDF embeds it at print resolution.
        let svg = export_layout(&scene(Some(72.0)), &layout, LayoutFormat::Svg, 72.0, TODAY).unwrap();
        let svg = String::from_utf8(svg).unwrap();
        assert_eq!(svg.matches("<image ").count(), 1);
        assert!(svg.contains("href=\"data:image/png;base64,"));
        assert!(svg.contains("<g fill-opacity=\"0.55\">"));
        let pdf = export_layout(&scene(Some(200.0)), &layout, LayoutFormat::Pdf, 200.0, TODAY).unwrap();
        let pdf_path = scratch("layout-basemap.pdf");
        std::fs::write(&pdf_path, pdf).unwrap();
        match Command::new("pdfimages").arg("-list").arg(&pdf_path).output() {
            Ok(out) => {
                let list = String::from_utf8_lossy(&out.stdout);
                let widths: Vec<u32> = list
                    .lines()
                    .skip(2)
                    .filter_map(|l| l.split_whitespace().nth(3)?.parse().ok())
                    .collect();
                let expected = ((map[1][0] - map[0][0]) / 72.0 * 200.0).round() as u32;
                assert!(
                    widths.iter().any(|w| w.abs_diff(expected) <= 1),
                    "an image {expected} px wide: {list}"
                );
            }
            Err(_) => eprintln!("skipping the PDF image check: pdfimages (poppler-utils) is not available"),
        }
    }

    #[test]
    fn export_on_the_command_line_takes_a_basemap_and_names_a_bad_one() {
        let districts = Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
        let basemap = blue_basemap("cli-blue.mbtiles");
        let out = scratch("cli-basemap.svg");
        let run = |basemap: &Path| {
            Command::new(env!("CARGO_BIN_EXE_mahalleh"))
                .arg("export")
                .arg("--districts")
                .arg(&districts)
                .arg("--basemap")
                .arg(basemap)
                .args(["--lang", "en", "--out"])
                .arg(&out)
                .output()
                .unwrap()
        };
        let ok = run(&basemap);
        assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
        let svg = std::fs::read_to_string(&out).unwrap();
        assert!(svg.contains("data:image/png;base64,") && svg.contains("© Test tiles"));

        // `info` on a basemap: what it holds, as JSON.
        let info = Command::new(env!("CARGO_BIN_EXE_mahalleh"))
            .arg("info")
            .arg(&basemap)
            .arg("--json")
            .output()
            .unwrap();
        assert!(info.status.success(), "{}", String::from_utf8_lossy(&info.stderr));
        let info: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
        assert_eq!(
            (&info["format"], &info["tiles"], &info["min_zoom"], &info["max_zoom"]),
            (&"MBTiles".into(), &"PNG".into(), &8.into(), &11.into())
        );
        assert_eq!(info["attribution"], "© Test tiles");

        let bad = scratch("cli-bad.mbtiles");
        std::fs::write(&bad, "not tiles").unwrap();
        let failed = run(&bad);
        assert!(!failed.status.success());
        let stderr = String::from_utf8_lossy(&failed.stderr);
        assert!(
            stderr.contains("cli-bad.mbtiles") && stderr.contains("is not a basemap"),
            "{stderr}"
        );
    }
}

mod online {
    use super::*;
    use common::serve_tiles as serve;
    use mahalleh::basemap::{USER_AGENT, XyzSource};
    use std::net::TcpListener;

    #[test]
    fn online_tiles_are_fetched_once_politely_and_then_read_from_the_cache() {
        let (address, seen) = serve();
        let cache = scratch("tile-cache");
        let _ = std::fs::remove_dir_all(&cache);
        let template = format!("{address}/tiles/{{z}}/{{x}}/{{y}}.png");
        let source = XyzSource::new(&template, Some(&cache)).unwrap();
        let tile = TileId::new(12, 2666, 1664).unwrap();
        let first = source.tile_bytes(tile).unwrap().unwrap();
        assert_eq!(first, common::png_of(256, 256, [20, 160, 60, 255]));
        assert_eq!(
            seen.lock().unwrap().clone(),
            [("/tiles/12/2666/1664.png".to_owned(), USER_AGENT.to_ascii_lowercase())]
        );
        // Again, and from a new source on the same cache (the next session): no request.
        assert_eq!(source.tile_bytes(tile).unwrap().unwrap(), first);
        let later = XyzSource::new(&template, Some(&cache)).unwrap();
        assert_eq!(later.tile_bytes(tile).unwrap().unwrap(), first);
        assert_eq!(seen.lock().unwrap().len(), 1);

        // No tile there: none; a server error: that tile's error, naming its address.
        assert_eq!(source.tile_bytes(TileId::new(5, 1, 1).unwrap()).unwrap(), None);
        let err = source.tile_bytes(TileId::new(6, 1, 1).unwrap()).unwrap_err();
        assert!(
            err.to_string().contains("/tiles/6/1/1.png") && err.to_string().contains("500"),
            "{err}"
        );

        // Drawn like a file's tiles.
        let basemap = mahalleh::model::Basemap::online(template.as_str(), "© Test server");
        let (mut tiles, info) = TileSource::open_source(&basemap.source, Some(&cache)).unwrap();
        assert_eq!(info.attribution, "© Test server");
        let [x, y] = mahalleh::map::mercator_from_lon_lat(54.367, 31.897);
        let colour = color_at(&mut tiles, &info, [x, y], 38.0);
        assert_eq!(colour, [20, 160, 60, 255]);
    }

    #[test]
    fn an_online_vector_server_is_drawn_like_a_vector_file() {
        // The fixture's tiles, served as a tile server serves them (gzipped, by {z}/{x}/{y}).
        let db = rusqlite::Connection::open(common::fixture("yazd-vector.mbtiles")).unwrap();
        let mut statement = db
            .prepare("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles")
            .unwrap();
        let tiles: std::collections::HashMap<String, Vec<u8>> = statement
            .query_map([], |r| {
                let (z, x, row): (u32, u32, u32) = (r.get(0)?, r.get(1)?, r.get(2)?);
                let y = (1u32 << z) - 1 - row;
                Ok((format!("/v/{z}/{x}/{y}.pbf"), r.get::<_, Vec<u8>>(3)?))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let (address, seen) = common::serve(move |path| match tiles.get(path) {
            Some(bytes) => ("200 OK", bytes.clone()),
            None => ("404 Not Found", Vec::new()),
        });
        let cache = scratch("vector-tile-cache");
        let _ = std::fs::remove_dir_all(&cache);
        let basemap = mahalleh::model::Basemap::online(format!("{address}/v/{{z}}/{{x}}/{{y}}.pbf"), "© test");
        let (mut source, info) = TileSource::open_source(&basemap.source, Some(&cache)).unwrap();
        assert_eq!(info.format, TileFormat::Vector);
        assert_eq!(info.max_zoom, 14, "a vector server's maximum left at the default is 14");
        for z in [14, 18] {
            let id = super::tile_at(z, super::POND_CENTRE);
            let tile = source.tile(id).unwrap().unwrap();
            assert_eq!(
                super::pixel_at(&tile, id, super::POND_CENTRE),
                super::WATER_RGB,
                "zoom {z}"
            );
        }
        // Zoom 18 was drawn from the zoom-14 tile: nothing past 14 was asked for.
        assert!(seen.lock().unwrap().iter().all(|(path, _)| path.starts_with("/v/14/")));
    }

    #[test]
    fn an_unreachable_server_names_the_tile() {
        // A port nothing listens on.
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let source = XyzSource::new(&format!("http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png"), None).unwrap();
        let err = source.tile_bytes(TileId::new(1, 0, 0).unwrap()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with(&format!("cannot fetch http://127.0.0.1:{port}/1/0/0.png")),
            "{err}"
        );
        assert!(XyzSource::new("https://t.example.org/{z}/{y}.png", None).is_err());
    }
}

/// The vector fixture: `tests/fixtures/yazd-vector.mbtiles`, written by GDAL 3.6's MVT driver
/// (zooms 12-14, gzipped tiles) from three layers near Yazd: `transportation` (a primary road
/// along 31.89°N, a minor road along 54.36°E, a path), `water` (a pond, class lake) and
/// `building` (three small squares).
const POND_CENTRE: [f64; 2] = [54.3626, 31.8926];
const ROAD_POINT: [f64; 2] = [54.3580, 31.8900];
const BARE_POINT: [f64; 2] = [54.3625, 31.8870];
const WATER_RGB: [u8; 3] = [170, 211, 223];
const LAND_RGB: [u8; 3] = [242, 239, 233];
const MAJOR_ROAD_RGB: [u8; 3] = [252, 236, 196];

/// The pixel of `tile` (256 pixels wide) at `lon_lat`.
fn pixel_at(tile: &mahalleh::basemap::RgbaTile, id: TileId, lon_lat: [f64; 2]) -> [u8; 3] {
    let [x, y] = mahalleh::map::mercator_from_lon_lat(lon_lat[0], lon_lat[1]);
    let [[w, s], [e, n]] = id.bounds_m();
    let p = tile.sample((x - w) / (e - w), (n - y) / (n - s));
    assert_eq!(p[3], 255, "vector tiles are drawn opaque");
    [p[0], p[1], p[2]]
}

fn tile_at(z: u8, lon_lat: [f64; 2]) -> TileId {
    TileId::at_m(z, mahalleh::map::mercator_from_lon_lat(lon_lat[0], lon_lat[1]))
}

#[test]
fn a_vector_basemap_gdal_wrote_is_drawn_in_its_style_and_sharp_past_its_last_zoom() {
    check_vector(&common::fixture("yazd-vector.mbtiles"));
    // `info` says what it holds and how far it is drawn.
    let info = Command::new(env!("CARGO_BIN_EXE_mahalleh"))
        .arg("info")
        .arg(common::fixture("yazd-vector.mbtiles"))
        .arg("--json")
        .output()
        .unwrap();
    assert!(info.status.success(), "{}", String::from_utf8_lossy(&info.stderr));
    let info: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
    assert_eq!(info["tiles"], "vector (MVT)");
    assert_eq!((&info["max_zoom"], &info["drawn_max_zoom"]), (&14.into(), &20.into()));
    assert_eq!(
        info["vector_layers"],
        serde_json::json!(["transportation", "water", "building"])
    );
}

#[test]
fn a_vector_mbtiles_that_does_not_say_its_format_is_told_by_its_tiles() {
    let copy = scratch("yazd-vector-no-format.mbtiles");
    std::fs::copy(common::fixture("yazd-vector.mbtiles"), &copy).unwrap();
    rusqlite::Connection::open(&copy)
        .unwrap()
        .execute("DELETE FROM metadata WHERE name = 'format'", [])
        .unwrap();
    check_vector(&copy);
}

#[test]
fn a_vector_basemap_as_pmtiles_from_the_reference_converter_draws_the_same() {
    if let Some(pmtiles) = reference_pmtiles(&common::fixture("yazd-vector.mbtiles"), "yazd-vector.pmtiles") {
        check_vector(&pmtiles);
    }
}

/// The vector fixture's colours at known places, at every zoom of the file and four past it,
/// in tiles and in a layout's picture.
fn check_vector(path: &Path) {
    let (mut source, info) = TileSource::open(path).unwrap();
    assert_eq!(info.format, TileFormat::Vector);
    assert_eq!((info.min_zoom, info.max_zoom), (12, 14));
    assert_eq!(info.drawn_max_zoom(), 14 + mahalleh::basemap::OVERZOOM_LEVELS);
    assert_eq!(info.vector_layers, ["transportation", "water", "building"]);

    for z in [12, 13, 14] {
        let id = tile_at(z, POND_CENTRE);
        let tile = source.tile(id).unwrap().unwrap();
        assert_eq!((tile.width, tile.height), (256, 256));
        assert_eq!(pixel_at(&tile, id, POND_CENTRE), WATER_RGB, "pond at zoom {z}");
        assert_eq!(pixel_at(&tile, id, BARE_POINT), LAND_RGB, "land at zoom {z}");
    }
    let id = tile_at(14, ROAD_POINT);
    let tile = source.tile(id).unwrap().unwrap();
    assert_eq!(pixel_at(&tile, id, ROAD_POINT), MAJOR_ROAD_RGB, "the primary road");

    // Zoom 18 is drawn again from the zoom-14 tile: the pond's edge stays one pixel sharp
    // (an enlarged raster would smear it over 16 pixels), and zoom 18 has a tile where the
    // file has none.
    let pond_west_lon = 54.3620;
    let id = tile_at(18, [pond_west_lon, POND_CENTRE[1]]);
    assert!(source.tile_bytes(id).unwrap().is_none());
    let tile = source.tile(id).unwrap().unwrap();
    let [[w, _], [e, _]] = id.bounds_m();
    let m_per_px = (e - w) / 256.0;
    let edge_m = mahalleh::map::mercator_from_lon_lat(pond_west_lon, POND_CENTRE[1]);
    let lon_off = |px: f64| mahalleh::map::lon_lat_from_mercator(edge_m[0] + px * m_per_px, edge_m[1]);
    assert_eq!(
        pixel_at(&tile, id, lon_off(2.0)),
        WATER_RGB,
        "two pixels inside the pond"
    );
    assert_eq!(pixel_at(&tile, id, lon_off(-2.0)), LAND_RGB, "two pixels outside it");
    // Past the drawn zooms there is nothing more to draw.
    assert!(
        source.tile(tile_at(14, [0.0, 0.0])).unwrap().is_none(),
        "no tile off the data"
    );

    // Layouts take the same pictures: the pond in a page's basemap.
    let [x, y] = mahalleh::map::mercator_from_lon_lat(POND_CENTRE[0], POND_CENTRE[1]);
    let half = 600.0;
    let view_m = [[x - half, y - half], [x + half, y + half]];
    let picture = basemap_picture(&mut source, &info, view_m, [400, 400], 1.0).unwrap();
    let centre = 4 * (200 * 400 + 200);
    assert_eq!(&picture.pixels[centre..centre + 3], &WATER_RGB);
    assert!(
        picture.zoom > 14,
        "the page's zoom {} is drawn, not enlarged",
        picture.zoom
    );
    // Print: three times the pixels for the same view is the same zoom drawn three times
    // larger (a screen's line widths on paper), not a zoom one and a half levels deeper.
    let print = basemap_picture(&mut source, &info, view_m, [1200, 1200], 3.0).unwrap();
    assert_eq!(print.zoom, picture.zoom);
    let centre = 4 * (600 * 1200 + 600);
    assert_eq!(&print.pixels[centre..centre + 3], &WATER_RGB);
}
