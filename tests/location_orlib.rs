//! The p-median solver on OR-Library instances (../shared/data/orlib, skipped with a message when
//! absent): the published optima reached, and the lower bound never above them. The release-build
//! table of all twenty with times is `cargo bench --bench location`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use mahalleh::analysis::location::{SolveControl, SolveOptions, solve_p_median};
use mahalleh::io::read_orlib;

fn optimum(name: &str) -> Option<f64> {
    let text = std::fs::read_to_string(common::shared_data("orlib/optimal.txt")?).ok()?;
    text.lines()
        .filter_map(|l| l.split_once(' '))
        .find(|(n, _)| *n == name)
        .and_then(|(_, v)| v.trim().parse().ok())
}

#[test]
fn the_first_instances_reach_their_published_optimum() {
    for name in ["pmed1", "pmed2", "pmed3", "pmed4", "pmed5"] {
        let Some(path) = common::shared_data(&format!("orlib/{name}.txt")) else {
            eprintln!("skipping: ../shared/data/orlib is not here");
            return;
        };
        let instance = read_orlib(&path).unwrap();
        let best = optimum(name).unwrap();
        let s = solve_p_median(
            &instance.problem,
            instance.p,
            &SolveOptions::default(),
            &SolveControl::default(),
        )
        .unwrap();
        assert_eq!(s.chosen.len(), instance.p);
        assert!(
            (s.objective - best).abs() < 1e-6,
            "{name}: {} vs the optimum {best}",
            s.objective
        );
        assert!(
            s.bound <= best + 1e-6,
            "{name}: bound {} above the optimum {best}",
            s.bound
        );
        assert!(s.gap() < 0.05, "{name}: gap {}", s.gap());
    }
}
