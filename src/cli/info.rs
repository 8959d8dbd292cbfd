//! `mahalleh info FILE`: load a district file as the app does and summarise what happened.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use mahalleh::workspace::DistrictLayer;
use serde_json::{Value, json};

/// Options of `mahalleh info`.
#[derive(clap::Args)]
pub struct InfoArgs {
    /// The district file (GeoJSON, Shapefile, GeoPackage, KML, CSV, FlatGeobuf), or a basemap
    /// (.mbtiles, .pmtiles).
    pub file: PathBuf,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    /// Read the file as a reference layer (streets, points of interest: any geometry) and say
    /// what it holds, as the Layers tab reads it.
    #[arg(long)]
    pub reference: bool,
    /// How the layer is read.
    #[command(flatten)]
    pub read: super::ReadArgs,
}

/// Entries of each list shown in the text summary; `--json` shows all.
const TEXT_LIST_LIMIT: usize = 20;

/// Runs the verb.
pub fn run(args: &InfoArgs) -> anyhow::Result<ExitCode> {
    if mahalleh::basemap::is_basemap_file(&args.file) {
        return basemap_info(args);
    }
    if args.reference {
        return reference_info(args);
    }
    let started = Instant::now();
    let layer = super::load_layer(&args.file, &args.read)?;
    let total_ms = started.elapsed().as_secs_f64() * 1000.0;
    let summary = summary_json(&layer, total_ms);
    if args.json {
        println!("{summary}");
    } else {
        print_text(&layer, &summary);
    }
    // The process ends here: handing the memory back piece by piece would only delay the exit
    // (about a tenth of a second on a 100,000-district layer).
    std::mem::forget(layer);
    Ok(ExitCode::SUCCESS)
}

/// What a reference layer holds: features of each geometry, skipped ones, fields, extent.
fn reference_info(args: &InfoArgs) -> anyhow::Result<ExitCode> {
    let layer = mahalleh::io::load_feature_layer(&args.file, &args.read.options()?)?;
    let counts = layer.geometry_counts();
    let extent: Option<[f64; 4]> = layer.bbox_m().map(|[min, max]| {
        let a = mahalleh::map::lon_lat_from_mercator(min[0], min[1]);
        let b = mahalleh::map::lon_lat_from_mercator(max[0], max[1]);
        [a[0], a[1], b[0], b[1]]
    });
    let fields: Vec<String> = layer.field_names().iter().map(|f| f.as_str().to_string()).collect();
    let skipped: Vec<Value> = layer
        .report
        .skipped
        .iter()
        .map(|s| json!({"index": s.index, "line": s.line, "reason": s.reason.to_string()}))
        .collect();
    let summary = json!({
        "file": args.file.display().to_string(),
        "format": layer.report.source.format,
        "crs": layer.report.source.crs,
        "features": layer.features.len(),
        "points": counts.points,
        "lines": counts.lines,
        "polygons": counts.polygons,
        "skipped": skipped,
        "label_field": layer.label_field.as_ref().map(|f| f.as_str()),
        "fields": fields,
        "extent_lon_lat": extent,
    });
    if args.json {
        println!("{summary}");
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}", args.file.display());
    println!(
        "reference layer ({}, read in {}): {} features: {} with points, {} with lines, {} with polygons",
        layer.report.source.format,
        layer.report.source.crs,
        layer.features.len(),
        counts.points,
        counts.lines,
        counts.polygons
    );
    if let Some(field) = &layer.label_field {
        println!("labels    {}", field.as_str());
    }
    println!("fields    {}", fields.join(", "));
    if let Some([w, s, e, n]) = extent {
        println!("extent (lon, lat): {w:.6}, {s:.6} to {e:.6}, {n:.6}");
    }
    for s in layer.report.skipped.iter().take(TEXT_LIST_LIMIT) {
        println!("skipped   feature {}: {}", s.index, s.reason);
    }
    if layer.report.skipped.len() > TEXT_LIST_LIMIT {
        println!("skipped   … and {} more", layer.report.skipped.len() - TEXT_LIST_LIMIT);
    }
    Ok(ExitCode::SUCCESS)
}

/// What a basemap file holds: its format, zooms, extent and attribution.
fn basemap_info(args: &InfoArgs) -> anyhow::Result<ExitCode> {
    let (source, info) = mahalleh::basemap::TileSource::open(&args.file)?;
    let bounds = info.bounds_lon_lat.map(|[[w, s], [e, n]]| json!([w, s, e, n]));
    let summary = json!({
        "file": args.file.display().to_string(),
        "format": source.container_name(),
        "tiles": info.format.name(),
        "name": info.name,
        "min_zoom": info.min_zoom,
        "max_zoom": info.max_zoom,
        "drawn_max_zoom": info.drawn_max_zoom(),
        "vector_layers": info.vector_layers,
        "bounds_lon_lat": bounds,
        "attribution": mahalleh::basemap::plain_attribution(&info.attribution),
    });
    if args.json {
        println!("{summary}");
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}", args.file.display());
    println!(
        "basemap   {} of {} tiles, zoom {} to {}",
        source.container_name(),
        info.format.name(),
        info.min_zoom,
        info.max_zoom
    );
    if info.drawn_max_zoom() > info.max_zoom {
        println!(
            "          drawn with the built-in style, sharp to zoom {}",
            info.drawn_max_zoom()
        );
    }
    if !info.vector_layers.is_empty() {
        println!("layers    {}", info.vector_layers.join(", "));
    }
    if !info.name.is_empty() {
        println!("name      {}", info.name);
    }
    if let Some([[w, s], [e, n]]) = info.bounds_lon_lat {
        println!("extent (lon, lat): {w:.6}, {s:.6} to {e:.6}, {n:.6}");
    }
    let attribution = mahalleh::basemap::plain_attribution(&info.attribution);
    println!(
        "attribution {}",
        if attribution.is_empty() {
            "(none given)"
        } else {
            &attribution
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn summary_json(layer: &DistrictLayer, total_ms: f64) -> Value {
    let report = &layer.report;
    let mut timings: serde_json::Map<String, Value> = report
        .timings_ms
        .iter()
        .map(|(stage, ms)| (stage.to_string(), json!(round2(*ms))))
        .collect();
    timings.insert("total".into(), json!(round2(total_ms)));
    let bbox = layer
        .bbox_lon_lat()
        .map(|r| json!([r.min().x, r.min().y, r.max().x, r.max().y]));
    json!({
        "file": layer.source.display().to_string(),
        "format": report.source.format,
        "crs": report.source.crs,
        "encoding": report.source.encoding,
        "notes": report.source.notes,
        "bytes": report.bytes,
        "features_total": report.features_total,
        "features_loaded": layer.districts.len(),
        "features_skipped": report.skipped.len(),
        "skipped": report.skipped.iter().map(|s| json!({
            "index": s.index, "line": s.line, "fid": s.fid, "reason": s.reason.to_string(), "detail": s.reason,
        })).collect::<Vec<_>>(),
        "warnings": report.warnings.iter().map(|w| json!({
            "index": w.index, "line": w.line, "fid": w.fid, "message": w.warning.to_string(), "detail": w.warning,
        })).collect::<Vec<_>>(),
        "bbox": bbox,
        "name_field": report.label_field.as_ref().map(|f| f.path.as_str()),
        "name_field_reason": report.label_field.as_ref().map(|f| f.reason),
        "english_name_field": report.english_label_field.as_ref().map(|f| f.as_str()),
        "geometry_types": report.geometry_types,
        "vertices": layer.districts.iter().map(|d| d.vertex_count()).sum::<usize>(),
        "triangles": layer.drawing().triangle_count(),
        "timings_ms": timings,
        "peak_rss_mib": peak_rss_mib(),
    })
}

fn print_text(layer: &DistrictLayer, summary: &Value) {
    let report = &layer.report;
    println!(
        "{}: {} district(s) loaded, {} feature(s) skipped, of {} ({:.1} MB)",
        layer.source.display(),
        layer.districts.len(),
        report.skipped.len(),
        report.features_total,
        report.bytes as f64 / 1e6
    );
    println!("format: {}; coordinates: {}", report.source.format, report.source.crs);
    if let Some(encoding) = &report.source.encoding {
        println!("text: {encoding}");
    }
    for note in &report.source.notes {
        println!("note: {note}");
    }
    match &report.label_field {
        Some(f) => println!("label field: {} ({})", f.path, f.reason),
        None => println!("label field: none (no text properties)"),
    }
    if let Some(f) = &report.english_label_field {
        println!("English names (English interface and layouts): {f}");
    }
    let types: Vec<String> = report.geometry_types.iter().map(|(t, n)| format!("{t} {n}")).collect();
    println!("geometry types: {}", types.join(", "));
    if let Some(r) = layer.bbox_lon_lat() {
        println!(
            "extent (lon, lat): {:.6}, {:.6} to {:.6}, {:.6}",
            r.min().x,
            r.min().y,
            r.max().x,
            r.max().y
        );
    }
    println!("vertices: {}, triangles: {}", summary["vertices"], summary["triangles"]);
    let skipped: Vec<String> = report
        .skipped
        .iter()
        .map(|s| format!("feature {}{}: {}", s.index, place_text(s.line, s.fid), s.reason))
        .collect();
    print_list("skipped", &skipped);
    let warnings: Vec<String> = report
        .warnings
        .iter()
        .map(|w| format!("feature {}{}: {}", w.index, place_text(w.line, w.fid), w.warning))
        .collect();
    print_list("warnings", &warnings);
    if let Some(t) = summary["timings_ms"].as_object() {
        let parts: Vec<String> = t.iter().map(|(k, v)| format!("{k} {v} ms")).collect();
        println!("timings: {}", parts.join(", "));
    }
}

/// " (line N)", or nothing for formats without lines.
/// " (line N)" or " (fid N)", where the format has one.
fn place_text(line: usize, fid: Option<i64>) -> String {
    match (line, fid) {
        (_, Some(fid)) => format!(" (fid {fid})"),
        (0, None) => String::new(),
        (line, None) => format!(" (line {line})"),
    }
}

fn print_list(title: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    println!("{title}:");
    for line in lines.iter().take(TEXT_LIST_LIMIT) {
        println!("  {line}");
    }
    if lines.len() > TEXT_LIST_LIMIT {
        println!("  ... and {} more (--json lists all)", lines.len() - TEXT_LIST_LIMIT);
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The process's peak resident memory in MiB, where the system tells (Linux).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(round2(kb / 1024.0))
}
