//! The p-median solver on OR-Library pmed1-pmed20: objective against the published optimum, the
//! lower bound, the gap it proves and the time, one line per instance.
//!
//! `cargo bench --bench location [-- DIR]` (default: ../shared/data/orlib)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::Instant;

use mahalleh::analysis::location::{SolveOptions, solve_p_median};
use mahalleh::io::read_orlib;

fn main() {
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
        let s = solve_p_median(&instance.problem, instance.p, &SolveOptions::default());
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
}
