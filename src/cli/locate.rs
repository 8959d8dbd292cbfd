//! `mahalleh locate FILE LON LAT`: which district holds a point; `--points CSV` for many.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use mahalleh::index::PointLocator;
use mahalleh::workspace::DistrictLayer;
use rayon::prelude::*;
use serde_json::json;

/// Options of `mahalleh locate`.
#[derive(clap::Args)]
#[command(allow_negative_numbers = true)]
pub struct LocateArgs {
    /// The district file: GeoJSON, Shapefile, GeoPackage, KML, CSV with WKT, FlatGeobuf.
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
    let mut input: Box<dyn Read> = if csv.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(csv).with_context(|| format!("cannot read {}", csv.display()))?)
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let bad = locate_stream(layer, &mut input, &mut out, json, BLOCK_BYTES, csv)?;
    out.flush().context("cannot write the answers")?;
    for (n, text) in &bad {
        eprintln!("mahalleh: line {n} of {}: '{text}' is not lon,lat", csv.display());
    }
    Ok(if bad.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// Answers every line of `input` into `out`, `block_bytes` of input at a time; returns the lines
/// that are not points (line number from 1, text).
fn locate_stream(
    layer: &DistrictLayer,
    input: &mut dyn Read,
    out: &mut dyn Write,
    json: bool,
    block_bytes: usize,
    csv: &Path,
) -> anyhow::Result<Vec<(usize, String)>> {
    let locator = PointLocator::new(&layer.districts);
    // Looked up once rather than per point (a property map lookup each).
    let labels: Vec<_> = if json {
        Vec::new()
    } else {
        (0..layer.districts.len()).map(|i| layer.label(i)).collect()
    };
    let answer = |point: Option<(f64, f64)>, out: &mut Vec<u8>| match point {
        Some((lon, lat)) => {
            let found = locator.district_at(lon, lat);
            if json {
                let _ = write!(out, "{}", answer_json(layer, lon, lat, found));
            } else if let Some(i) = found {
                out.extend_from_slice(labels[i].as_bytes());
            }
        }
        None if json => out.extend_from_slice(br#"{"error":"not a lon,lat point"}"#),
        None => {}
    };
    let mut bad: Vec<(usize, String)> = Vec::new();
    // Blocks of whole lines, each cut into pieces answered on all cores, written in order: memory
    // stays at a few blocks however long the table, and reading overlaps nothing but is cheap.
    let mut block: Vec<u8> = Vec::with_capacity(block_bytes);
    let mut lines_before = 0usize;
    let mut want = block_bytes;
    loop {
        let at_end = fill_block(input, &mut block, want).with_context(|| format!("cannot read {}", csv.display()))?;
        let cut = match block.iter().rposition(|&b| b == b'\n') {
            _ if at_end => block.len(),
            Some(i) => i + 1,
            None => {
                // One line longer than a block: read on until it ends.
                want = block.len() * 2;
                continue;
            }
        };
        want = block_bytes;
        let pieces = split_at_lines(&block[..cut], rayon::current_num_threads() * 4);
        let answered: Vec<Piece> = pieces
            .par_iter()
            .enumerate()
            .map(|(k, bytes)| answer_piece(bytes, lines_before == 0 && k == 0, &answer))
            .collect();
        for piece in answered {
            out.write_all(&piece.out).context("cannot write the answers")?;
            bad.extend(piece.bad.into_iter().map(|(n, text)| (lines_before + n, text)));
            lines_before += piece.lines;
        }
        block.drain(..cut);
        if at_end {
            break;
        }
    }
    Ok(bad)
}

/// Bytes of input taken at a time.
const BLOCK_BYTES: usize = 8 << 20;

/// Reads until `block` holds `want` bytes or the input ends; true at the end.
fn fill_block(input: &mut dyn Read, block: &mut Vec<u8>, want: usize) -> std::io::Result<bool> {
    while block.len() < want {
        let len = block.len();
        block.resize(want, 0);
        match input.read(&mut block[len..]) {
            Ok(0) => {
                block.truncate(len);
                return Ok(true);
            }
            Ok(n) => block.truncate(len + n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => block.truncate(len),
            Err(e) => return Err(e),
        }
    }
    Ok(false)
}

/// Cuts `bytes` into about `count` pieces, each ending after a newline (the last at the end).
fn split_at_lines(bytes: &[u8], count: usize) -> Vec<&[u8]> {
    let target = bytes.len().div_ceil(count.max(1)).max(1);
    let mut pieces = Vec::with_capacity(count + 1);
    let mut rest = bytes;
    while !rest.is_empty() {
        let end = if rest.len() <= target {
            rest.len()
        } else {
            rest[target..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(rest.len(), |i| target + i + 1)
        };
        pieces.push(&rest[..end]);
        rest = &rest[end..];
    }
    pieces
}

/// The answers for one piece of whole lines.
struct Piece {
    /// One line per non-blank input line (not the header).
    out: Vec<u8>,
    /// Lines that are not points: line number counted from the piece's first line as 1, text.
    bad: Vec<(usize, String)>,
    /// Lines in the piece.
    lines: usize,
}

/// Writes the answer line (without its newline) for a point, or for a line that is not one.
type Answer<'a> = dyn Fn(Option<(f64, f64)>, &mut Vec<u8>) + Sync + 'a;

fn answer_piece(bytes: &[u8], starts_file: bool, answer: &Answer) -> Piece {
    let mut piece = Piece {
        out: Vec::with_capacity(bytes.len()),
        bad: Vec::new(),
        lines: 0,
    };
    for raw in bytes.split_inclusive(|&b| b == b'\n') {
        piece.lines += 1;
        let text = String::from_utf8_lossy(raw.strip_suffix(b"\n").unwrap_or(raw));
        let line = text.strip_suffix('\r').unwrap_or(&text);
        if line.trim().is_empty() {
            continue;
        }
        let point = parse_point(line).ok();
        if point.is_none() {
            // A first line that is not a point is a header.
            if starts_file && piece.lines == 1 {
                continue;
            }
            piece.bad.push((piece.lines, line.to_string()));
        }
        answer(point, &mut piece.out);
        piece.out.push(b'\n');
    }
    piece
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

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;
    use mahalleh::model::District;

    fn layer() -> DistrictLayer {
        let square = |x: f64, name: &str| {
            let shape = geo::MultiPolygon::new(vec![polygon![
                (x: x, y: 31.0), (x: x + 0.1, y: 31.0), (x: x + 0.1, y: 31.1), (x: x, y: 31.1)]]);
            let props = serde_json::json!({"name": name})
                .as_object()
                .cloned()
                .unwrap_or_default();
            District::new(0, shape, props).expect("a square")
        };
        DistrictLayer::from_districts("t".into(), vec![square(54.0, "الف"), square(54.1, "ب")])
    }

    #[test]
    fn answers_and_line_numbers_do_not_depend_on_block_size() {
        let mut table = String::from("lon,lat\r\n");
        for k in 0..300 {
            match k % 7 {
                3 => table.push('\n'),
                5 => table.push_str("x,y\r\n"),
                _ => table.push_str(&format!("{},31.05\n", 53.955 + f64::from(k % 30) * 0.01)),
            }
        }
        table.push_str("54.15,31.05");
        let layer = layer();
        let run = |block: usize| {
            let mut out = Vec::new();
            let bad = locate_stream(
                &layer,
                &mut table.as_bytes(),
                &mut out,
                false,
                block,
                Path::new("t.csv"),
            )
            .expect("reads from memory");
            (String::from_utf8(out).expect("labels are UTF-8"), bad)
        };
        let (whole, bad) = run(1 << 20);
        assert_eq!(
            whole.lines().count(),
            214 + 43 + 1,
            "one line per non-blank line but the header"
        );
        assert_eq!(whole.lines().filter(|l| *l == "الف").count(), 72, "{whole}");
        assert_eq!(whole.lines().filter(|l| *l == "ب").count(), 70 + 1, "{whole}");
        assert_eq!(whole.lines().last(), Some("ب"));
        assert_eq!(bad.len(), 43);
        assert_eq!(bad[0], (7, "x,y".to_string()), "line 7 of the file is k = 5");
        for block in [1, 7, 64, 1000] {
            assert_eq!(run(block), (whole.clone(), bad.clone()), "block of {block} bytes");
        }
    }
}
