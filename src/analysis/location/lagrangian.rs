//! A lower bound for the p-median problem by Lagrangian relaxation of the assignment constraints
//! (each demand point served once), maximised by subgradient steps. Any multipliers give a valid
//! bound, so the best one seen is kept; a greedy answer gives the target for the step size.

use super::{Problem, SolveControl};

/// Row entries the subgradient steps may visit in all (with `n × p` per step for the
/// subgradient): about half a second on one core.
const VISIT_BUDGET: usize = 200_000_000;

/// Past [`SETTLE_VISITS`], the steps stop once [`STALL_STEPS`] steps have raised the bound by
/// less than this share of it; before, they go on towards a proof of optimality, which small
/// instances reach in milliseconds. (Stalling, not closeness to the search's best, so the
/// bound does not depend on how the threads ran.)
const STALL_GAIN: f64 = 1e-4;
/// Steps over which a stall is measured.
const STALL_STEPS: usize = 50;
/// Row entries visited before a stall may stop the steps.
const SETTLE_VISITS: usize = 30_000_000;

/// A lower bound on the p-median objective with `p` sites (required sites count among them).
/// The multipliers start from each point's cost in `start` (a good choice, e.g. greedy), and the
/// steps aim at `target`, the objective of a good choice. A cancelled `control` stops the steps
/// early; the bound is then still valid, only weaker.
pub fn p_median_lower_bound(
    problem: &Problem,
    p: usize,
    start: &[usize],
    iterations: usize,
    target: f64,
    control: &SolveControl,
) -> f64 {
    bound_with_rows(problem, p, &rows_by_cost(problem), start, iterations, target, control)
}

/// Each row's candidates from nearest to farthest: in the bound's steps a row stops adding to ρ
/// at the first candidate no cheaper than its multiplier. (Keeping only the nearest few sorted
/// was tried: with few sites among many candidates the multipliers pass hundreds of them, and
/// the rows that fall back to scanning cost more than the sort saves.)
pub(super) fn rows_by_cost(problem: &Problem) -> Vec<Vec<u32>> {
    use rayon::prelude::*;
    let m = problem.candidates();
    (0..problem.demands())
        .into_par_iter()
        .map(|i| {
            let row = problem.row(i);
            let mut order: Vec<u32> = (0..m as u32).collect();
            order.sort_unstable_by(|&a, &b| row[a as usize].total_cmp(&row[b as usize]));
            order
        })
        .collect()
}

/// [`p_median_lower_bound`] with the rows already sorted by [`rows_by_cost`].
pub(super) fn bound_with_rows(
    problem: &Problem,
    p: usize,
    by_cost: &[Vec<u32>],
    start: &[usize],
    iterations: usize,
    target: f64,
    control: &SolveControl,
) -> f64 {
    let n = problem.demands();
    let m = problem.candidates();
    if n == 0 || m == 0 || by_cost.len() != n {
        return 0.0;
    }
    // Each point's cost in a good choice is the first multiplier, close to where the steps end.
    let mut lambda: Vec<f64> = (0..n)
        .map(|i| {
            let row = problem.row(i);
            let assigned = start.iter().map(|&j| row[j]).fold(f64::INFINITY, f64::min);
            if assigned.is_finite() {
                problem.weight(i) * assigned
            } else {
                0.0
            }
        })
        .collect();
    let required = problem.required();
    let mut best = f64::NEG_INFINITY;
    let mut step_scale = 2.0;
    let mut since_better = 0;
    let mut best_before_steps = f64::NEG_INFINITY;
    let mut rho = vec![0.0; m];
    let mut open = vec![false; m];
    let mut order: Vec<usize> = (0..m).collect();
    let mut visits = 0usize;
    for step in 0..iterations.max(1) {
        if control.is_cancelled() || visits > VISIT_BUDGET {
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
                visits += 1;
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
        if step % STALL_STEPS == 0 {
            let stalled = best - best_before_steps < STALL_GAIN * best.abs();
            if visits > SETTLE_VISITS && stalled {
                break;
            }
            best_before_steps = best;
        }
        if step_scale < 1e-4 || target - best <= 1e-9 * target.abs().max(1.0) {
            break;
        }
        // Subgradient: 1 − (how many open sites serve i under the multipliers).
        let opened: Vec<usize> = (0..m).filter(|&j| open[j]).collect();
        visits += n * opened.len();
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
