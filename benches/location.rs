//! The p-median solver on OR-Library pmed1-pmed20: objective against the published optimum, the
//! lower bound, the gap it proves and the time, one line per instance.
//!
//! Then the 3,231 US counties (when /tmp/us/counties.geojson is there) and suggestions on a
//! generated 3,000-district map through `suggest_sites`, the window's path.
//!
//! `cargo bench --bench location [-- DIR]` (default: ../shared/data/orlib); `-- map` runs only
//! the map part.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::Instant;

use mahalleh::analysis::location::{SolveControl, SolveOptions, solve_p_median};
use mahalleh::io::read_orlib;

fn main() {
    if std::env::args().any(|a| a == "map") {
        map_suggestions();
        return;
    }
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/orlib"));
    let Ok(optima) = std::fs::read_to_string(dir.join("optimal.txt")) else {
        println!(
            "no OR-Library files in {}; give the folder as an argument",
            dir.display()
        );
        return;
    };
    println!("| instance | n | p | objective | optimum | bound | gap | seconds |");
    println!("|---|---|---|---|---|---|---|---|");
    let (mut reached, mut worst_excess, mut total) = (0, 0.0f64, 0);
    for line in optima.lines() {
        let Some((name, value)) = line.split_once(' ') else {
            continue;
        };
        let optimum: f64 = value.trim().parse().unwrap();
        let t = Instant::now();
        let instance = read_orlib(&dir.join(format!("{name}.txt"))).unwrap();
        let s = solve_p_median(
            &instance.problem,
            instance.p,
            &SolveOptions::default(),
            &SolveControl::default(),
        )
        .unwrap();
        let seconds = t.elapsed().as_secs_f64();
        total += 1;
        if (s.objective - optimum).abs() < 1e-6 {
            reached += 1;
        }
        worst_excess = worst_excess.max((s.objective - optimum) / optimum);
        println!(
            "| {name} | {} | {} | {} | {optimum} | {:.1} | {:.2}% | {seconds:.2} |",
            instance.problem.demands(),
            instance.p,
            s.objective,
            s.bound,
            s.gap() * 100.0
        );
    }
    println!(
        "\noptimum reached on {reached} of {total}; worst excess over the optimum {:.3}%",
        worst_excess * 100.0
    );
    counties();
    map_suggestions();
}

/// The three models on a generated map of 3,000 districts (anchors as demand and candidates,
/// 9 million geodesic pairs), ten new sites, 800 m: the time a planner waits in the window.
fn map_suggestions() {
    use mahalleh::analysis::location::{
        CandidateSource, DemandPoints, DemandWeights, Model, SiteCount, SuggestRequest, problem_from_plan,
        suggest_sites,
    };
    let path = std::env::temp_dir().join("mahalleh-bench-3000.geojson");
    std::fs::write(&path, mahalleh::synth::bench_layer_geojson(3000)).unwrap();
    let layer = std::sync::Arc::new(
        mahalleh::io::load_district_layer(&path, &Default::default(), &mahalleh::io::no_progress).unwrap(),
    );
    let t = Instant::now();
    let map = problem_from_plan(
        &layer,
        &[],
        CandidateSource::DistrictAnchors,
        DemandPoints::Anchors,
        &DemandWeights::default(),
        None,
        &SolveControl::default(),
    )
    .unwrap();
    println!(
        "
map of {} districts: cost table {} x {} in {:.2} s",
        layer.districts.len(),
        map.problem.demands(),
        map.problem.candidates(),
        t.elapsed().as_secs_f64()
    );
    for model in [Model::PMedian, Model::MaxCovering, Model::SetCovering] {
        let request = SuggestRequest {
            model,
            sites: SiteCount::New(10),
            ..SuggestRequest::default()
        };
        let t = Instant::now();
        let s = suggest_sites(&layer, &[], &request, &SolveControl::default()).unwrap();
        println!(
            "map {}: {} sites, gap {:.2}%, {:.2} s (table included)",
            model.name(),
            s.chosen.len(),
            s.gap * 100.0,
            t.elapsed().as_secs_f64()
        );
    }
}

/// 3,231 US county points as demand (weight 1), every eighth as a candidate (404), great-circle
/// kilometres: p-median and maximal covering (100 km) with p = 10.
fn counties() {
    let path = PathBuf::from("/tmp/us/counties.geojson");
    let Ok(layer) = mahalleh::io::load_district_layer(&path, &Default::default(), &mahalleh::io::no_progress) else {
        println!("\n(no {}: the counties instance is skipped)", path.display());
        return;
    };
    let points: Vec<[f64; 2]> = layer
        .drawing()
        .districts
        .iter()
        .map(|d| d.label_anchor_lon_lat)
        .collect();
    let candidates: Vec<[f64; 2]> = points.iter().step_by(8).copied().collect();
    let km = |a: [f64; 2], b: [f64; 2]| {
        let (la1, la2) = (a[1].to_radians(), b[1].to_radians());
        let h = ((la2 - la1) / 2.0).sin().powi(2)
            + la1.cos() * la2.cos() * ((b[0] - a[0]).to_radians() / 2.0).sin().powi(2);
        2.0 * 6371.0 * h.sqrt().asin()
    };
    let costs: Vec<f64> = points
        .iter()
        .flat_map(|&a| candidates.iter().map(move |&b| km(a, b)))
        .collect();
    let problem =
        mahalleh::analysis::location::Problem::new(costs, vec![1.0; points.len()], candidates.len(), Vec::new())
            .unwrap();
    let t = Instant::now();
    let s = solve_p_median(&problem, 10, &SolveOptions::default(), &SolveControl::default()).unwrap();
    println!(
        "\ncounties {} x {} p-median p=10: objective {:.1} km, bound {:.1}, gap {:.2}%, {:.2} s",
        points.len(),
        candidates.len(),
        s.objective,
        s.bound,
        s.gap() * 100.0,
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let c = mahalleh::analysis::location::solve_max_covering(
        &problem,
        10,
        100.0,
        &SolveOptions::default(),
        &SolveControl::default(),
    )
    .unwrap();
    println!(
        "counties MCLP p=10, 100 km: covered {} of {}, bound {:.1}, gap {:.2}%, {:.2} s",
        c.covered,
        points.len(),
        c.bound,
        c.gap() * 100.0,
        t.elapsed().as_secs_f64()
    );
}
