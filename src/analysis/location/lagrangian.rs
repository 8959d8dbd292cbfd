//! A lower bound for the p-median problem by Lagrangian relaxation of the assignment constraints
//! (each demand point served once), maximised by subgradient steps. Any multipliers give a valid
//! bound, so the best one seen is kept; a greedy answer gives the target for the step size.

use super::{Problem, SolveControl};

/// A lower bound on the p-median objective with `p` sites (required sites count among them).
/// A cancelled `control` stops the steps early; the bound is then still valid, only weaker.
pub fn p_median_lower_bound(problem: &Problem, p: usize, iterations: usize, control: &SolveControl) -> f64 {
    let n = problem.demands();
    let m = problem.candidates();
    if n == 0 || m == 0 {
        return 0.0;
    }
    // Start from each point's cost to its nearest candidate: the bound is then already
    // Σ w·nearest, which no choice can beat.
    let mut lambda: Vec<f64> = (0..n)
        .map(|i| {
            let nearest = problem.row(i).iter().copied().fold(f64::INFINITY, f64::min);
            if nearest.is_finite() {
                problem.weight(i) * nearest
            } else {
                0.0
            }
        })
        .collect();
    // A good choice's objective (greedy, no local search) is the target of the steps.
    let target = problem.p_median_objective(&super::p_median::greedy(problem, p));
    let required = problem.required();
    let mut best = f64::NEG_INFINITY;
    let mut step_scale = 2.0;
    let mut since_better = 0;
    // Each row's candidates from nearest to farthest: a row stops adding to ρ at the first
    // candidate no cheaper than its multiplier, which is usually among the first few.
    let by_cost: Vec<Vec<u32>> = {
        use rayon::prelude::*;
        (0..n)
            .into_par_iter()
            .map(|i| {
                let row = problem.row(i);
                let mut order: Vec<u32> = (0..m as u32).collect();
                order.sort_unstable_by(|&a, &b| row[a as usize].total_cmp(&row[b as usize]));
                order
            })
            .collect()
    };
    let mut rho = vec![0.0; m];
    let mut open = vec![false; m];
    let mut order: Vec<usize> = (0..m).collect();
    for step in 0..iterations.max(1) {
        if control.is_cancelled() {
            break;
        }
        if step % 10 == 9 {
            control.advance(1);
        }
        // ρ_j: what opening j saves against the multipliers.
        rho.iter_mut().for_each(|r| *r = 0.0);
        for (i, &l) in lambda.iter().enumerate() {
            let w = problem.weight(i);
            let row = problem.row(i);
            for &j in &by_cost[i] {
                let reduced = w * row[j as usize] - l;
                if reduced >= 0.0 {
                    break;
                }
                rho[j as usize] += reduced;
            }
        }
        // Open the required sites and the p − |required| others with the most negative ρ.
        open.iter_mut().for_each(|o| *o = false);
        for &j in required {
            open[j] = true;
        }
        order.sort_unstable_by(|&a, &b| rho[a].total_cmp(&rho[b]).then(a.cmp(&b)));
        let mut opened = required.len();
        for &j in &order {
            if opened >= p {
                break;
            }
            if !open[j] {
                open[j] = true;
                opened += 1;
            }
        }
        let value: f64 = lambda.iter().sum::<f64>() + (0..m).filter(|&j| open[j]).map(|j| rho[j]).sum::<f64>();
        if value > best {
            best = value;
            since_better = 0;
        } else {
            since_better += 1;
            if since_better >= 30 {
                step_scale /= 2.0;
                since_better = 0;
            }
        }
        if step_scale < 1e-4 || target - best <= 1e-9 * target.abs().max(1.0) {
            break;
        }
        // Subgradient: 1 − (how many open sites serve i under the multipliers).
        let opened: Vec<usize> = (0..m).filter(|&j| open[j]).collect();
        let mut g = vec![1.0; n];
        let mut norm = 0.0;
        for (i, gi) in g.iter_mut().enumerate() {
            let w = problem.weight(i);
            let row = problem.row(i);
            for &j in &opened {
                if w * row[j] - lambda[i] < 0.0 {
                    *gi -= 1.0;
                }
            }
            norm += *gi * *gi;
        }
        if norm == 0.0 {
            break;
        }
        let step = step_scale * (target - value).max(1e-9) / norm;
        for (l, gi) in lambda.iter_mut().zip(&g) {
            *l = (*l + step * gi).max(0.0);
        }
    }
    best.max(0.0)
}
