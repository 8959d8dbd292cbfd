//! The maximal covering problem (MCLP): choose `p` sites so that the most demand weight lies
//! within the service radius of at least one of them. Greedy construction and swap search with
//! coverage counts, iterated on both cores; an upper bound from Lagrangian relaxation of the
//! coverage constraints tells how far from the best the answer can be.

use rayon::prelude::*;

use super::moves::{kick, random_start};
use super::{Cancelled, Problem, SolveControl, SolveOptions};
use crate::synth::rng::Rng;

/// A covering answer: the weight covered and a bound no choice can exceed.
#[derive(Clone, Debug, PartialEq)]
pub struct CoveringSolution {
    /// Chosen candidate sites, sorted.
    pub chosen: Vec<usize>,
    /// Demand weight within the radius of a chosen site.
    pub covered: f64,
    /// An upper bound on the weight any choice of `p` sites can cover.
    pub bound: f64,
}

impl CoveringSolution {
    /// (bound − covered) / bound: how far from the best the answer can at most be.
    pub fn gap(&self) -> f64 {
        if self.bound <= 0.0 {
            0.0
        } else {
            ((self.bound - self.covered) / self.bound).max(0.0)
        }
    }
}

/// Who covers whom: for each demand point the candidates within the radius, and back.
pub struct Coverage {
    /// Candidates within reach of each demand point.
    pub of_demand: Vec<Vec<usize>>,
    /// Demand points within reach of each candidate.
    pub of_candidate: Vec<Vec<usize>>,
}

impl Coverage {
    /// Pairs with a cost of at most `radius`.
    pub fn within(problem: &Problem, radius: f64) -> Self {
        let of_demand: Vec<Vec<usize>> = (0..problem.demands())
            .map(|i| {
                let row = problem.row(i);
                (0..problem.candidates()).filter(|&j| row[j] <= radius).collect()
            })
            .collect();
        let mut of_candidate = vec![Vec::new(); problem.candidates()];
        for (i, js) in of_demand.iter().enumerate() {
            for &j in js {
                of_candidate[j].push(i);
            }
        }
        Self {
            of_demand,
            of_candidate,
        }
    }
}

/// Solves the maximal covering problem with `p` sites within `radius` (required sites count
/// among them), reporting progress to `control` and stopping with [`Cancelled`] when it is
/// cancelled.
pub fn solve_max_covering(
    problem: &Problem,
    p: usize,
    radius: f64,
    options: &SolveOptions,
    control: &SolveControl,
) -> Result<CoveringSolution, Cancelled> {
    let p = p.clamp(problem.required().len(), problem.candidates());
    let reach = Coverage::within(problem, radius);
    let chains = 4usize;
    control.plan((options.kicks.div_ceil(chains) * chains + options.bound_iterations / 10) as u64);
    let (best, bound) = rayon::join(
        || {
            (0..chains)
                .into_par_iter()
                .map(|c| {
                    let mut rng = Rng::new(options.seed ^ (0xC0FE + c as u64));
                    let start = if c == 0 {
                        greedy(problem, &reach, p)
                    } else {
                        random_start(problem, p, &mut rng)
                    };
                    let mut best = local_search(problem, &reach, start);
                    for _ in 0..options.kicks.div_ceil(chains) {
                        if control.is_cancelled() {
                            break;
                        }
                        control.advance(1);
                        let kicked = kick(problem, &best.1, &mut rng);
                        let candidate = local_search(problem, &reach, kicked);
                        if candidate.0 > best.0 + 1e-9 {
                            best = candidate;
                        }
                    }
                    best
                })
                .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(&a.1)))
        },
        || upper_bound(problem, &reach, p, options.bound_iterations, control),
    );
    control.check()?;
    let (covered, mut chosen) = best.unwrap_or((0.0, Vec::new()));
    chosen.sort_unstable();
    control.finish();
    Ok(CoveringSolution {
        chosen,
        covered,
        bound: bound.max(covered),
    })
}

/// Weight covered by `chosen`.
fn covered_weight(problem: &Problem, reach: &Coverage, chosen: &[usize]) -> f64 {
    let mut hit = vec![false; problem.demands()];
    for &j in chosen {
        for &i in &reach.of_candidate[j] {
            hit[i] = true;
        }
    }
    (0..problem.demands())
        .filter(|&i| hit[i])
        .map(|i| problem.weight(i))
        .sum()
}

fn greedy(problem: &Problem, reach: &Coverage, p: usize) -> Vec<usize> {
    let mut chosen = problem.required().to_vec();
    let mut hit = vec![false; problem.demands()];
    for &j in &chosen {
        for &i in &reach.of_candidate[j] {
            hit[i] = true;
        }
    }
    while chosen.len() < p {
        let pick = (0..problem.candidates())
            .filter(|j| !chosen.contains(j))
            .map(|j| {
                let gain: f64 = reach.of_candidate[j]
                    .iter()
                    .filter(|&&i| !hit[i])
                    .map(|&i| problem.weight(i))
                    .sum();
                (gain, j)
            })
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
        let Some((_, j)) = pick else { break };
        chosen.push(j);
        for &i in &reach.of_candidate[j] {
            hit[i] = true;
        }
    }
    chosen
}

/// Swaps a chosen site for an unchosen one while that covers more. Coverage counts, and for
/// points covered once the XOR of their covering sites (which is then the one site), make each
/// candidate's best swap one walk over its own points plus one look at every chosen site.
fn local_search(problem: &Problem, reach: &Coverage, mut chosen: Vec<usize>) -> (f64, Vec<usize>) {
    let m = problem.candidates();
    let n = problem.demands();
    let mut count = vec![0u32; n];
    let mut xor = vec![0usize; n];
    let mut slot_of = vec![usize::MAX; m];
    for (slot, &j) in chosen.iter().enumerate() {
        slot_of[j] = slot;
        for &i in &reach.of_candidate[j] {
            count[i] += 1;
            xor[i] ^= j;
        }
    }
    let mut fixed = vec![false; chosen.len()];
    for &j in problem.required() {
        if let Some(f) = fixed.get_mut(slot_of[j]) {
            *f = true;
        }
    }
    // What removing each chosen site loses: the weight of points it alone covers.
    let slots = chosen.len();
    let losses = |count: &[u32], xor: &[usize], slot_of: &[usize]| -> Vec<f64> {
        let mut loss = vec![0.0; slots];
        for i in (0..n).filter(|&i| count[i] == 1) {
            loss[slot_of[xor[i]]] += problem.weight(i);
        }
        loss
    };
    let mut loss = losses(&count, &xor, &slot_of);
    // What j_in would take over from each chosen site if that one left.
    let mut bonus = vec![0.0; chosen.len()];
    let mut touched: Vec<usize> = Vec::new();
    let mut improved = true;
    while improved {
        improved = false;
        for j_in in 0..m {
            if slot_of[j_in] != usize::MAX {
                continue;
            }
            let mut gain = 0.0;
            for &i in &reach.of_candidate[j_in] {
                match count[i] {
                    0 => gain += problem.weight(i),
                    1 => {
                        let slot = slot_of[xor[i]];
                        bonus[slot] += problem.weight(i);
                        touched.push(slot);
                    }
                    _ => {}
                }
            }
            let mut best: Option<(f64, usize)> = None;
            for slot in (0..chosen.len()).filter(|&s| !fixed[s]) {
                let delta = gain + bonus[slot] - loss[slot];
                if delta > 1e-9 && best.is_none_or(|(d, _)| delta > d) {
                    best = Some((delta, slot));
                }
            }
            for slot in touched.drain(..) {
                bonus[slot] = 0.0;
            }
            if let Some((_, slot)) = best {
                let j_out = chosen[slot];
                for &i in &reach.of_candidate[j_out] {
                    count[i] -= 1;
                    xor[i] ^= j_out;
                }
                for &i in &reach.of_candidate[j_in] {
                    count[i] += 1;
                    xor[i] ^= j_in;
                }
                slot_of[j_out] = usize::MAX;
                slot_of[j_in] = slot;
                chosen[slot] = j_in;
                loss = losses(&count, &xor, &slot_of);
                improved = true;
            }
        }
    }
    (covered_weight(problem, reach, &chosen), chosen)
}

/// Lagrangian upper bound: coverage constraints z_i ≤ Σ y_j relaxed with multipliers λ_i ≥ 0;
/// L(λ) = Σ max(0, w_i − λ_i) + the p best site values Σ_{i reached} λ_i, minimised by
/// subgradient steps.
fn upper_bound(problem: &Problem, reach: &Coverage, p: usize, iterations: usize, control: &SolveControl) -> f64 {
    let n = problem.demands();
    let m = problem.candidates();
    let total: f64 = (0..n)
        .filter(|&i| !reach.of_demand[i].is_empty())
        .map(|i| problem.weight(i))
        .sum();
    let mut lambda: Vec<f64> = (0..n).map(|i| problem.weight(i) / 2.0).collect();
    let mut best = total;
    let mut scale = 2.0;
    let mut since_better = 0;
    let target = covered_weight(problem, reach, &greedy(problem, reach, p));
    let required = problem.required();
    for step in 0..iterations.max(1) {
        if control.is_cancelled() {
            break;
        }
        if step % 10 == 9 {
            control.advance(1);
        }
        let value_of = |j: usize| -> f64 { reach.of_candidate[j].iter().map(|&i| lambda[i]).sum() };
        let mut values: Vec<(f64, usize)> = (0..m)
            .filter(|j| !required.contains(j))
            .map(|j| (value_of(j), j))
            .collect();
        values.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut open = vec![false; m];
        for &j in required {
            open[j] = true;
        }
        for &(_, j) in values.iter().take(p.saturating_sub(required.len())) {
            open[j] = true;
        }
        let sites: f64 = (0..m).filter(|&j| open[j]).map(value_of).sum();
        let mut value = sites;
        let mut g = vec![0.0; n];
        for i in 0..n {
            let z = if problem.weight(i) > lambda[i] { 1.0 } else { 0.0 };
            value += (problem.weight(i) - lambda[i]).max(0.0);
            let opened = reach.of_demand[i].iter().filter(|&&j| open[j]).count() as f64;
            g[i] = z - opened;
        }
        if value < best {
            best = value;
            since_better = 0;
        } else {
            since_better += 1;
            if since_better >= 30 {
                scale /= 2.0;
                since_better = 0;
            }
        }
        let norm: f64 = g.iter().map(|x| x * x).sum();
        if norm == 0.0 || scale < 1e-4 || best - target <= 1e-9 * best.abs().max(1.0) {
            break;
        }
        let step = scale * (value - target).max(1e-9) / norm;
        for (l, gi) in lambda.iter_mut().zip(&g) {
            *l = (*l + step * gi).max(0.0);
        }
    }
    best.min(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random_problem(seed: u64, demands: usize, candidates: usize) -> Problem {
        let costs = super::super::moves::plane_costs(&mut Rng::new(seed), demands, candidates);
        let weights = (0..demands).map(|k| 1.0 + (k % 7) as f64).collect();
        Problem::new(costs, weights, candidates, Vec::new()).unwrap()
    }

    fn exhaustive(problem: &Problem, reach: &Coverage, p: usize) -> f64 {
        let m = problem.candidates();
        let mut best = 0.0f64;
        let mut pick: Vec<usize> = (0..p).collect();
        loop {
            best = best.max(covered_weight(problem, reach, &pick));
            let Some(at) = (0..p).rev().find(|&x| pick[x] < m - p + x) else {
                break;
            };
            pick[at] += 1;
            for x in at + 1..p {
                pick[x] = pick[x - 1] + 1;
            }
        }
        best
    }

    #[test]
    fn agrees_with_exhaustive_search_and_the_bound_is_above_the_best() {
        for seed in 0..10 {
            let problem = random_problem(seed, 40, 12);
            let reach = Coverage::within(&problem, 25.0);
            for p in 1..=4 {
                let best = exhaustive(&problem, &reach, p);
                let s =
                    solve_max_covering(&problem, p, 25.0, &SolveOptions::default(), &SolveControl::default()).unwrap();
                assert!(
                    (s.covered - best).abs() < 1e-9,
                    "seed {seed} p {p}: {} vs {best}",
                    s.covered
                );
                assert!(s.bound >= best - 1e-9, "bound {} below the best {best}", s.bound);
                assert_eq!(s.chosen.len(), p);
            }
        }
    }
}
