//! Reference layers from files nobody here wrote: OpenStreetMap streets and points through GDAL's
//! OSM driver into a GeoPackage, the Tehran neighbourhoods (UTM 39N Shapefile) as a boundary
//! layer, and the OSM counties of Yazd with their stray points. Counts, vertex totals and
//! extents are checked against GDAL's own answers; a plan with three layers round-trips.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use mahalleh::io::{LoadOptions, PlanDocument, load_feature_layer, load_plan, save_plan};
use mahalleh::map::lon_lat_from_mercator;
use mahalleh::model::{
    Command as PlanCommand, DistrictsSource, LayerEdit, LayerId, LayerStyle, LineDash, Plan, PointSymbol, ReadChoices,
    ReferenceLayer,
};
use mahalleh::workspace::FeatureLayer;
use mahalleh::workspace::ReferenceData;

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reference-layers");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A number after `key` in ogrinfo's output ("Feature Count: 339").
fn ogrinfo_number(text: &str, key: &str) -> f64 {
    let line = text
        .lines()
        .find(|l| l.contains(key))
        .unwrap_or_else(|| panic!("no {key} in {text}"));
    line.rsplit(['=', ':']).next().unwrap().trim().parse().unwrap()
}

/// ogrinfo's extent of a layer: min lon, min lat, max lon, max lat.
fn ogrinfo_extent(text: &str) -> [f64; 4] {
    let line = text.lines().find(|l| l.starts_with("Extent:")).unwrap();
    let numbers: Vec<f64> = line
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter_map(|s| s.parse().ok())
        .collect();
    [numbers[0], numbers[1], numbers[2], numbers[3]]
}

fn extent_lon_lat(layer: &FeatureLayer) -> [f64; 4] {
    let [min, max] = layer.bbox_m().unwrap();
    let a = lon_lat_from_mercator(min[0], min[1]);
    let b = lon_lat_from_mercator(max[0], max[1]);
    [a[0], a[1], b[0], b[1]]
}

fn layer_of(path: &Path, layer: Option<&str>) -> FeatureLayer {
    let options = LoadOptions {
        layer: layer.map(str::to_string),
        ..LoadOptions::default()
    };
    load_feature_layer(path, &options).unwrap()
}

#[test]
fn osm_streets_and_points_through_gdal_match_gdals_counts_vertices_and_extent() {
    let Some(pbf) = common::shared_data("osm/test.osm.pbf") else {
        return;
    };
    if !common::tool_available("ogr2ogr") {
        return;
    }
    let gpkg = tmp("osm.gpkg");
    let _ = std::fs::remove_file(&gpkg);
    run(
        "ogr2ogr",
        &[
            "-f",
            "GPKG",
            gpkg.to_str().unwrap(),
            pbf.to_str().unwrap(),
            "lines",
            "points",
        ],
    );
    let gpkg_s = gpkg.to_str().unwrap();

    let lines = layer_of(&gpkg, Some("lines"));
    let info = run("ogrinfo", &["-so", gpkg_s, "lines"]);
    let count = ogrinfo_number(&info, "Feature Count") as usize;
    assert_eq!(lines.features.len() + lines.report.skipped.len(), count);
    assert!(lines.report.skipped.is_empty(), "{:?}", lines.report.skipped.first());
    assert_eq!(lines.geometry_counts().lines, count);
    let vertices: usize = lines.features.iter().flat_map(|f| &f.lines).map(|l| l.0.len()).sum();
    let sql = run(
        "ogrinfo",
        &[
            gpkg_s,
            "-dialect",
            "SQLite",
            "-sql",
            "SELECT SUM(ST_NumPoints(geom)) AS n FROM lines",
        ],
    );
    assert_eq!(
        vertices,
        ogrinfo_number(&sql, " n ") as usize,
        "every vertex of every street"
    );
    for (ours, gdal) in extent_lon_lat(&lines).iter().zip(ogrinfo_extent(&info)) {
        assert!((ours - gdal).abs() < 1e-6, "{ours} vs {gdal}");
    }
    // Street names are the labels, as in the file.
    assert_eq!(lines.label_field.as_ref().map(|f| f.as_str()), Some("name"));

    // The same streets in every format GDAL writes that mahalleh reads: every one of them
    // read back with the same features and vertices.
    for (name, driver, extra) in [
        ("lines.shp", "ESRI Shapefile", &["-lco", "ENCODING=UTF-8"][..]),
        ("lines.fgb", "FlatGeobuf", &[][..]),
        ("lines.kml", "KML", &[][..]),
        ("lines.csv", "CSV", &["-lco", "GEOMETRY=AS_WKT"][..]),
    ] {
        let out = tmp(name);
        let _ = std::fs::remove_file(&out);
        let mut args = vec!["-f", driver, out.to_str().unwrap(), gpkg_s, "lines"];
        args.extend(extra);
        run("ogr2ogr", &args);
        let again = layer_of(&out, None);
        assert_eq!(again.geometry_counts().lines, count, "{name}");
        let again_vertices: usize = again.features.iter().flat_map(|f| &f.lines).map(|l| l.0.len()).sum();
        assert_eq!(again_vertices, vertices, "{name}");
    }

    // `mahalleh info --reference` says the same.
    let info: serde_json::Value = serde_json::from_str(&run(
        env!("CARGO_BIN_EXE_mahalleh"),
        &["info", "--reference", "--json", "--layer", "lines", gpkg_s],
    ))
    .unwrap();
    assert_eq!(
        (info["lines"].as_u64(), info["points"].as_u64()),
        (Some(count as u64), Some(0))
    );

    // Added to a plan, the GeoPackage becomes one layer per table, and both load.
    let mut plan = Plan::default();
    let add = mahalleh::workspace::add_layers_command(&mut plan, &gpkg, false);
    plan.apply(add).unwrap();
    let names: Vec<&str> = plan.layers.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["osm: points", "osm: lines"]);
    let data = ReferenceData::load_all(&plan);
    assert!(data.failures().is_empty(), "{:?}", data.failures());
    assert_eq!(data.layer(plan.layers[1].id).unwrap().features.len(), count);

    let points = layer_of(&gpkg, Some("points"));
    let info = run("ogrinfo", &["-so", gpkg_s, "points"]);
    assert_eq!(
        points.geometry_counts().points,
        ogrinfo_number(&info, "Feature Count") as usize
    );
    for (ours, gdal) in extent_lon_lat(&points).iter().zip(ogrinfo_extent(&info)) {
        assert!((ours - gdal).abs() < 1e-6, "{ours} vs {gdal}");
    }
}

#[test]
fn the_tehran_shapefile_in_utm_as_a_boundary_layer_lands_where_gdal_puts_it() {
    let Some(shp) = common::shared_data("tehran-mahalat/Mahalat_Tehran.shp") else {
        return;
    };
    if !common::tool_available("ogr2ogr") {
        return;
    }
    let layer = layer_of(&shp, None);
    assert_eq!(layer.report.source.format, "Shapefile");
    assert_eq!(layer.features.len() + layer.report.skipped.len(), 375);
    assert_eq!(layer.geometry_counts().polygons, layer.features.len());
    let wgs84 = tmp("tehran-wgs84.gpkg");
    let _ = std::fs::remove_file(&wgs84);
    run(
        "ogr2ogr",
        &[
            "-f",
            "GPKG",
            "-t_srs",
            "EPSG:4326",
            wgs84.to_str().unwrap(),
            shp.to_str().unwrap(),
        ],
    );
    let info = run("ogrinfo", &["-so", "-al", wgs84.to_str().unwrap()]);
    for (ours, gdal) in extent_lon_lat(&layer).iter().zip(ogrinfo_extent(&info)) {
        assert!((ours - gdal).abs() < 1e-6, "{ours} vs {gdal}");
    }
}

#[test]
fn the_yazd_counties_keep_their_stray_points_as_a_reference_layer() {
    let Some(path) = common::shared_data("yazd-counties-osm.geojson") else {
        return;
    };
    let layer = layer_of(&path, None);
    let text = std::fs::read_to_string(&path).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let features = doc["features"].as_array().unwrap();
    let of_type = |t: &str| features.iter().filter(|f| f["geometry"]["type"] == t).count();
    let counts = layer.geometry_counts();
    assert_eq!(counts.points, of_type("Point") + of_type("MultiPoint"));
    assert_eq!(counts.polygons, of_type("Polygon") + of_type("MultiPolygon"));
    assert!(counts.points > 0 && counts.polygons > 0, "{counts:?}");
}

#[test]
fn a_plan_with_three_layers_round_trips_and_loads_them_all() {
    let dir = tmp("three");
    std::fs::create_dir_all(&dir).unwrap();
    let roads = dir.join("roads.geojson");
    std::fs::write(
        &roads,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"خیابان امام"},"geometry":{"type":"LineString","coordinates":[[54.35,31.89],[54.37,31.9]]}}]}"#,
    )
    .unwrap();
    let schools = dir.join("schools.csv");
    std::fs::write(&schools, "name,WKT\nدبستان,POINT (54.36 31.895)\n").unwrap();
    let parks = dir.join("parks.kml");
    std::fs::write(
        &parks,
        r#"<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>باغ دولت‌آباد</name>
        <Polygon><outerBoundaryIs><LinearRing><coordinates>54.33,31.88 54.34,31.88 54.34,31.89 54.33,31.88</coordinates></LinearRing></outerBoundaryIs></Polygon>
        </Placemark></Document></kml>"#,
    )
    .unwrap();
    let mut plan = Plan {
        districts: Some(DistrictsSource::file(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson"),
        )),
        ..Plan::default()
    };
    for path in [&parks, &schools, &roads] {
        let id = plan.new_layer_id();
        let layer = Box::new(ReferenceLayer::file(id, path));
        plan.apply(PlanCommand::AddLayer {
            index: 0,
            layer,
            under_districts: false,
        })
        .unwrap();
    }
    let style = LayerStyle {
        dash: LineDash::Dashed,
        symbol: PointSymbol::Triangle,
        fill: Some([10, 20, 30]),
        ..LayerStyle::default()
    };
    plan.apply(PlanCommand::EditLayer(LayerId(1), LayerEdit::Style(Box::new(style))))
        .unwrap();
    plan.apply(PlanCommand::EditLayer(LayerId(2), LayerEdit::Opacity(0.4)))
        .unwrap();
    plan.apply(PlanCommand::MoveLayer { id: LayerId(1), to: 0 }).unwrap();
    let file = dir.join("plan.mahalleh");
    save_plan(&PlanDocument::new(plan.clone(), None), &file).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("\"path\": \"roads.geojson\"") || text.contains("\"path\":\"roads.geojson\""),
        "{text}"
    );
    let back = load_plan(&file).unwrap();
    assert_eq!(back.plan.layers, plan.layers);
    assert_eq!(back.plan.next_layer_id, 4);
    let names: Vec<&str> = back.plan.layers.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["parks", "roads", "schools"]);

    let data = ReferenceData::load_all(&back.plan);
    assert!(data.failures().is_empty(), "{:?}", data.failures());
    let kinds: Vec<_> = back
        .plan
        .layers
        .iter()
        .map(|l| data.layer(l.id).unwrap().geometry_counts())
        .map(|c| (c.points, c.lines, c.polygons))
        .collect();
    assert_eq!(kinds, [(0, 0, 1), (0, 1, 0), (1, 0, 0)]);
    let park = data.layer(LayerId(1)).unwrap();
    assert_eq!(
        park.text_of(0, park.label_field.as_ref().unwrap()).as_deref(),
        Some("باغ دولت‌آباد")
    );
}

#[test]
fn a_bad_reference_file_is_a_message_naming_it_and_the_others_still_load() {
    let dir = tmp("bad");
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.geojson");
    std::fs::write(
        &good,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[54.3,31.9]}},{"type":"Feature","properties":{},"geometry":null},{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[54.3,31.9]]}}]}"#,
    )
    .unwrap();
    let bad = dir.join("bad.geojson");
    std::fs::write(&bad, "{\"type\": \"FeatureCollection\", \"features\": [").unwrap();
    let mut plan = Plan::default();
    for (id, path) in [(1, &good), (2, &bad)] {
        let layer = Box::new(ReferenceLayer {
            read: ReadChoices::default(),
            ..ReferenceLayer::file(LayerId(id), path)
        });
        plan.apply(PlanCommand::AddLayer {
            index: 0,
            layer,
            under_districts: false,
        })
        .unwrap();
    }
    let data = ReferenceData::load_all(&plan);
    let failures = data.failures();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].0, LayerId(2));
    assert!(failures[0].1.contains("bad.geojson"), "{}", failures[0].1);
    let good = data.layer(LayerId(1)).unwrap();
    // The feature without geometry and the line of one position are skipped by their index.
    assert_eq!(good.features.len(), 1);
    let skipped: Vec<usize> = good.report.skipped.iter().map(|s| s.index).collect();
    assert_eq!(skipped, [1, 2]);

    // Points in metres with no coordinate system: one error saying so, not points off the earth.
    let utm = dir.join("utm-points.csv");
    std::fs::write(&utm, "name,WKT\na,POINT (540000 3530000)\n").unwrap();
    let error = load_feature_layer(&utm, &LoadOptions::default()).unwrap_err();
    assert!(matches!(error, mahalleh::io::LoadError::NoCrs { .. }), "{error}");
}

/// Pixels of `png` within `tolerance` of `rgb` in each channel.
fn pixels_of(png: &[u8], rgb: [u8; 3], tolerance: u8) -> usize {
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(png).unwrap();
    pixmap
        .pixels()
        .iter()
        .filter(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue()]
                .iter()
                .zip(rgb)
                .all(|(a, b)| a.abs_diff(b) <= tolerance)
        })
        .count()
}

#[test]
fn exported_layouts_draw_reference_layers_and_name_them_in_the_legend() {
    let dir = tmp("layout");
    std::fs::create_dir_all(&dir).unwrap();
    let roads = dir.join("streets.geojson");
    std::fs::write(
        &roads,
        r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[54.30,31.87],[54.42,31.93]]}},
        {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[54.30,31.93],[54.42,31.87]]}}]}"#,
    )
    .unwrap();
    let districts = Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
    let export = |extra: &[&str], out: &Path| {
        let mut args = vec![
            "export",
            "--districts",
            districts.to_str().unwrap(),
            "--lang",
            "en",
            "--dpi",
            "60",
        ];
        args.extend(extra);
        args.extend(["--out", out.to_str().unwrap()]);
        run(env!("CARGO_BIN_EXE_mahalleh"), &args);
        std::fs::read(out).unwrap()
    };
    let with = export(&["--reference-layer", roads.to_str().unwrap()], &dir.join("with.png"));
    let without = export(&[], &dir.join("without.png"));
    // The first layer's colour (ColorBrewer Dark2's green) is the streets' and nothing else's.
    let green = mahalleh::model::LAYER_COLOURS[0];
    let (on, off) = (pixels_of(&with, green, 12), pixels_of(&without, green, 12));
    assert_eq!(off, 0);
    assert!(on > 100, "{on} street pixels");
    let svg = String::from_utf8(export(
        &["--reference-layer", roads.to_str().unwrap()],
        &dir.join("with.svg"),
    ))
    .unwrap();
    assert!(svg.contains(">streets<"), "the legend names the layer");
    assert!(svg.contains(&format!(
        "stroke=\"{}\"",
        mahalleh::export::layout::svg_writer::hex(green)
    )));

    // A point layer with a label field prints its names by the symbols.
    let schools = dir.join("schools.geojson");
    std::fs::write(
        &schools,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"دبستان فردوسی"},"geometry":{"type":"Point","coordinates":[54.36,31.9]}}]}"#,
    )
    .unwrap();
    let mut plan = Plan {
        districts: Some(DistrictsSource::file(&districts)),
        ..Plan::default()
    };
    let layer = ReferenceLayer {
        style: LayerStyle {
            label_field: Some(mahalleh::model::FieldPath::new("name")),
            ..LayerStyle::default()
        },
        ..ReferenceLayer::file(LayerId(1), &schools)
    };
    plan.apply(PlanCommand::AddLayer {
        index: 0,
        layer: Box::new(layer),
        under_districts: false,
    })
    .unwrap();
    let plan_file = dir.join("labelled.mahalleh");
    save_plan(&PlanDocument::new(plan, None), &plan_file).unwrap();
    let svg_path = dir.join("labelled.svg");
    run(
        env!("CARGO_BIN_EXE_mahalleh"),
        &[
            "export",
            plan_file.to_str().unwrap(),
            "--out",
            svg_path.to_str().unwrap(),
        ],
    );
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    assert!(svg.contains("دبستان فردوسی"), "the school's name is printed");

    // A missing layer file is a warning naming it; the layout is still made.
    let out = Command::new(env!("CARGO_BIN_EXE_mahalleh"))
        .args([
            "export",
            "--districts",
            districts.to_str().unwrap(),
            "--reference-layer",
            "nowhere.gpkg",
        ])
        .args(["--out", dir.join("missing.svg").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nowhere"), "{stderr}");
}

#[test]
fn a_layer_under_the_districts_shows_only_where_no_district_covers_it() {
    let dir = tmp("under");
    std::fs::create_dir_all(&dir).unwrap();
    // A land-use polygon over the whole sample city, filled in a colour nothing else uses.
    let land_use = dir.join("land-use.geojson");
    std::fs::write(
        &land_use,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
        "geometry":{"type":"Polygon","coordinates":[[[54.0,31.6],[54.7,31.6],[54.7,32.2],[54.0,32.2],[54.0,31.6]]]}}]}"#,
    )
    .unwrap();
    let districts = Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
    let magenta = [255, 0, 255];
    let export = |under_districts: bool| {
        let mut plan = Plan {
            districts: Some(DistrictsSource::file(&districts)),
            ..Plan::default()
        };
        let layer = ReferenceLayer {
            style: LayerStyle {
                fill: Some(magenta),
                stroke: magenta,
                ..LayerStyle::default()
            },
            ..ReferenceLayer::file(LayerId(1), &land_use)
        };
        plan.apply(PlanCommand::AddLayer {
            index: 0,
            layer: Box::new(layer),
            under_districts,
        })
        .unwrap();
        let plan_file = dir.join(format!("under-{under_districts}.mahalleh"));
        save_plan(&PlanDocument::new(plan, None), &plan_file).unwrap();
        let mut files = Vec::new();
        for ext in ["png", "svg"] {
            let out = dir.join(format!("under-{under_districts}.{ext}"));
            run(
                env!("CARGO_BIN_EXE_mahalleh"),
                &[
                    "export",
                    plan_file.to_str().unwrap(),
                    "--dpi",
                    "60",
                    "--out",
                    out.to_str().unwrap(),
                ],
            );
            files.push(std::fs::read(out).unwrap());
        }
        files
    };
    let (over, under) = (export(false), export(true));
    // Over the districts the layer hides them; under them it shows around them and they keep
    // every pixel of their fills.
    let formal = mahalleh::map::palette::FORMAL;
    let (over_px, under_px) = (pixels_of(&over[0], magenta, 8), pixels_of(&under[0], magenta, 8));
    let (formal_over, formal_under) = (pixels_of(&over[0], formal, 4), pixels_of(&under[0], formal, 4));
    assert!(
        under_px > 1000,
        "the layer shows around the districts: {under_px} pixels"
    );
    assert!(
        over_px > under_px + 5000,
        "{under_px} magenta pixels under, {over_px} over"
    );
    // (The legend's swatch of formal districts shows in both.)
    assert!(
        formal_under > formal_over + 5000,
        "formal district pixels: {formal_under} with the layer under them, {formal_over} over"
    );
    // In the SVG the layer's fill comes before the districts' paths, or after them.
    let first = |svg: &[u8], what: &str| String::from_utf8_lossy(svg).find(what).unwrap();
    let (fill, district) = ("fill=\"#ff00ff\"", "stroke=\"#5a5a66\"");
    assert!(first(&under[1], fill) < first(&under[1], district));
    assert!(first(&over[1], fill) > first(&over[1], district));
}

#[test]
fn suggest_with_point_layers_as_demand_and_candidates_equals_a_brute_force_reference() {
    if !common::python_has(&["pyproj", "shapely"]) {
        return;
    }
    let dir = tmp("suggest");
    std::fs::create_dir_all(&dir).unwrap();
    // Households (with how many live there) and municipal buildings around the city's centre;
    // a deterministic scatter, some of it outside every district.
    let mut seed = 7u64;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let point = |lon: f64, lat: f64, props: String| {
        format!(
            r#"{{"type":"Feature","properties":{props},"geometry":{{"type":"Point","coordinates":[{lon},{lat}]}}}}"#
        )
    };
    let homes: Vec<String> = (0..80)
        .map(|k| {
            let (lon, lat) = (54.30 + 0.16 * next(), 31.84 + 0.13 * next());
            point(
                lon,
                lat,
                format!(r#"{{"household":{k},"pop":{}}}"#, 1 + (next() * 40.0) as u32),
            )
        })
        .collect();
    let sites: Vec<String> = (0..12)
        .map(|k| {
            point(
                54.32 + 0.12 * next(),
                31.86 + 0.09 * next(),
                format!(r#"{{"building":{k}}}"#),
            )
        })
        .collect();
    let write = |name: &str, features: &[String]| {
        let path = dir.join(name);
        std::fs::write(
            &path,
            format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(",")),
        )
        .unwrap();
        path
    };
    let (homes, sites) = (write("homes.geojson", &homes), write("sites.geojson", &sites));
    let districts = Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
    let ours: serde_json::Value = serde_json::from_str(&run(
        env!("CARGO_BIN_EXE_mahalleh"),
        &[
            "suggest",
            "--districts",
            districts.to_str().unwrap(),
            "--demand-layer",
            homes.to_str().unwrap(),
            "--demand-field",
            "pop",
            "--candidates-layer",
            sites.to_str().unwrap(),
            "--p",
            "3",
            "--marginal-priority",
            "1",
            "--json",
        ],
    ))
    .unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/p_median_points.py");
    let reference: serde_json::Value = serde_json::from_str(&run(
        "python3",
        &[
            script.to_str().unwrap(),
            districts.to_str().unwrap(),
            homes.to_str().unwrap(),
            sites.to_str().unwrap(),
            "3",
            "pop",
        ],
    ))
    .unwrap();
    assert_eq!(ours["candidates"], 12);
    assert_eq!(
        ours["demand_points"], reference["demand_points"],
        "the same households inside districts"
    );
    assert!(
        reference["demand_points"].as_u64().unwrap() < 80,
        "some households are outside"
    );
    let (a, b) = (
        ours["objective"].as_f64().unwrap(),
        reference["objective"].as_f64().unwrap(),
    );
    assert!(
        (a - b).abs() <= 1e-6 * b,
        "objective {a} vs the brute-force optimum {b}"
    );
    let mut chosen: Vec<String> = ours["chosen_lon_lat"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.to_string())
        .collect();
    let mut best: Vec<String> = reference["chosen_lon_lat"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.to_string())
        .collect();
    chosen.sort();
    best.sort();
    assert_eq!(chosen, best);
}
