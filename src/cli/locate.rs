//! `mahalleh locate FILE LON LAT`: which district holds a point; `--points CSV` for many.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use mahalleh::model::DistrictLayer;
use rayon::prelude::*;
use serde_json::json;

/// Options of `mahalleh locate`.
#[derive(clap::Args)]
#[command(allow_negative_numbers = true)]
pub struct LocateArgs {
    /// The GeoJSON district file.
    pub file: PathBuf,
    /// Longitude in degrees (WGS 84).
    #[arg(required_unless_present = "points")]
    pub lon: Option<f64>,
    /// Latitude in degrees (WGS 84).
    #[arg(required_unless_present = "points")]
    pub lat: Option<f64>,
    /// A CSV file of `lon,lat` lines (`-` for standard input). One output line per point: the
    /// label, or an empty line when no district holds it. A header line is allowed.
    #[arg(long, value_name = "CSV", conflicts_with_all = ["lon", "lat"])]
    pub points: Option<PathBuf>,
    /// Print JSON (one object per line with --points).
    #[arg(long)]
    pub json: bool,
    /// How the layer is read.
    #[command(flatten)]
    pub read: super::ReadArgs,
}

/// Runs the verb. Exit status: 0 found (or every CSV line read), 1 no district holds the
/// single point, 2 an error (a bad file, or CSV lines that are not points).
pub fn run(args: &LocateArgs) -> anyhow::Result<ExitCode> {
    let layer = super::load_layer_undrawn(&args.file, &args.read)?;
    if let Some(csv) = &args.points {
        return locate_many(&layer, csv, args.json);
    }
    let (Some(lon), Some(lat)) = (args.lon, args.lat) else {
        anyhow::bail!("give LON and LAT, or --points CSV");
    };
    let found = layer.district_at(lon, lat);
    if args.json {
        println!("{}", answer_json(&layer, lon, lat, found));
    }
    match found {
        Some(i) => {
            if !args.json {
                println!("{}", layer.label(i));
            }
            Ok(ExitCode::SUCCESS)
        }
        None => {
            eprintln!("mahalleh: no district contains {lon}, {lat}");
            Ok(ExitCode::from(1))
        }
    }
}

fn answer_json(layer: &DistrictLayer, lon: f64, lat: f64, found: Option<usize>) -> serde_json::Value {
    match found {
        Some(i) => {
            let d = &layer.districts[i];
            json!({"lon": lon, "lat": lat, "district": i, "feature_index": d.feature_index,
                   "label": layer.label(i), "properties": d.properties})
        }
        None => json!({"lon": lon, "lat": lat, "district": null, "feature_index": null, "label": null}),
    }
}

fn locate_many(layer: &DistrictLayer, csv: &PathBuf, json: bool) -> anyhow::Result<ExitCode> {
    // The whole table in memory (a million points is about 20 MB), then its lines parsed on
    // all cores.
    let mut bytes = Vec::new();
    if csv.as_os_str() == "-" {
        std::io::stdin().lock().read_to_end(&mut bytes)
    } else {
        std::fs::File::open(csv).and_then(|mut f| f.read_to_end(&mut bytes))
    }
    .with_context(|| format!("cannot read {}", csv.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<(usize, &str)> = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).collect();
    let rows: Vec<CsvRow> = lines
        .par_iter()
        .filter_map(|&(n, line)| {
            let point = parse_point(line);
            // A first line that is not a point is a header.
            (n > 0 || point.is_ok()).then(|| CsvRow {
                line: n + 1,
                point: point.map_err(|_| line.to_string()),
            })
        })
        .collect();
    let answers: Vec<String> = rows
        .par_iter()
        .map(|row| match &row.point {
            Ok((lon, lat)) => {
                let found = layer.district_at(*lon, *lat);
                if json {
                    answer_json(layer, *lon, *lat, found).to_string()
                } else {
                    found.map(|i| layer.label(i).into_owned()).unwrap_or_default()
                }
            }
            Err(_) if json => json!({"error": "not a lon,lat point"}).to_string(),
            Err(_) => String::new(),
        })
        .collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for answer in &answers {
        writeln!(out, "{answer}")?;
    }
    out.flush()?;
    let bad: Vec<_> = rows
        .iter()
        .filter_map(|r| r.point.as_ref().err().map(|text| (r.line, text)))
        .collect();
    for (n, text) in &bad {
        eprintln!("mahalleh: line {n} of {}: '{text}' is not lon,lat", csv.display());
    }
    Ok(if bad.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// One non-blank line of a points file: its number and the point, or its text when it is not one.
struct CsvRow {
    line: usize,
    point: Result<(f64, f64), String>,
}

/// Reads `lon,lat` (extra columns ignored; semicolons and tabs also separate).
fn parse_point(line: &str) -> Result<(f64, f64), ()> {
    let mut parts = line.split([',', ';', '\t']).map(str::trim);
    let lon: f64 = parts.next().ok_or(())?.parse().map_err(|_| ())?;
    let lat: f64 = parts.next().ok_or(())?.parse().map_err(|_| ())?;
    if lon.is_finite() && lat.is_finite() {
        Ok((lon, lat))
    } else {
        Err(())
    }
}
