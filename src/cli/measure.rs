//! `mahalleh measure`: the geodesic length of a path and the area of the polygon it closes,
//! the figures the window's measure tool shows.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use mahalleh::analysis::measure;
use mahalleh::text::Numbers;
use mahalleh::text::numbers::parse_number;

/// Options of `mahalleh measure`.
#[derive(clap::Args)]
pub struct MeasureArgs {
    /// The path's points as LON,LAT in degrees (WGS 84), in order; three or more also give the
    /// area of the polygon they close.
    #[arg(required = true, value_name = "LON,LAT", allow_hyphen_values = true)]
    pub points: Vec<String>,
    /// Write the readable column in this language: fa (Persian digits and units) or en.
    #[arg(long, value_name = "fa|en", default_value = "en")]
    pub lang: String,
}

/// Runs the verb: tab-separated lines of name, metres (or m²) and the figure as people read it.
pub fn run(args: &MeasureArgs) -> anyhow::Result<ExitCode> {
    let numbers = match args.lang.as_str() {
        "fa" => Numbers::Persian,
        "en" => Numbers::Latin,
        other => anyhow::bail!("--lang takes fa or en, not '{other}'"),
    };
    let points = args
        .points
        .iter()
        .enumerate()
        .map(|(i, text)| parse_lon_lat(text).with_context(|| format!("point {} ('{text}')", i + 1)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let m = measure(&points);
    let mut out = std::io::stdout().lock();
    writeln!(out, "points\t{}", m.vertices)?;
    writeln!(out, "length_m\t{:.3}\t{}", m.length_m, numbers.length(m.length_m))?;
    if m.vertices > 2 {
        writeln!(
            out,
            "perimeter_m\t{:.3}\t{}",
            m.perimeter_m,
            numbers.length(m.perimeter_m)
        )?;
        writeln!(out, "area_m2\t{:.3}\t{}", m.area_m2, numbers.area(m.area_m2))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `LON,LAT` (Persian digits and «٫» allowed) as checked degrees.
fn parse_lon_lat(text: &str) -> anyhow::Result<[f64; 2]> {
    let (lon, lat) = text
        .split_once([',', '،'])
        .context("expected LON,LAT, e.g. 54.367,31.897")?;
    let lon = parse_number(lon).with_context(|| format!("the longitude '{lon}' is not a number"))?;
    let lat = parse_number(lat).with_context(|| format!("the latitude '{lat}' is not a number"))?;
    anyhow::ensure!(
        (-180.0..=180.0).contains(&lon),
        "the longitude {lon} is outside -180..180"
    );
    anyhow::ensure!((-90.0..=90.0).contains(&lat), "the latitude {lat} is outside -90..90");
    Ok([lon, lat])
}
