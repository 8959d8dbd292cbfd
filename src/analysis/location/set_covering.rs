//! The set covering problem (LSCP): the fewest sites that put every demand point that must be
//! covered within the service radius of one of them. Points no candidate reaches are reported,
//! not hidden. A greedy cover, and covers built from the Lagrangian relaxation's sites as its
//! subgradient steps go (Beasley's heuristic), each with redundant sites dropped; the relaxation's
//! bound says how many sites any cover needs at least, and small instances are settled by trying
//! every smaller cover.

use super::max_covering::Coverage;
use super::moves::combinations;
use super::{Cancelled, Problem, SolveControl};

/// A cover and its quality.
#[derive(Clone, Debug, PartialEq)]
pub struct SetCoverSolution {
    /// Chosen candidate sites, sorted (required ones included).
    pub chosen: Vec<usize>,
    /// Demand points that must be covered but that no candidate reaches.
    pub uncoverable: Vec<usize>,
    /// No cover of the coverable points has fewer sites than this.
    pub bound: usize,
}

impl SetCoverSolution {
    /// (sites − bound) / sites.
    pub fn gap(&self) -> f64 {
        if self.chosen.is_empty() {
            0.0
        } else {
            (self.chosen.len() - self.bound.min(self.chosen.len())) as f64 / self.chosen.len() as f64
        }
    }
}

/// Covers every demand point with `must_cover[i]` that some candidate reaches within `radius`,
/// reporting progress to `control` and stopping with [`Cancelled`] when it is cancelled.
pub fn solve_set_covering(
    problem: &Problem,
    radius: f64,
    must_cover: &[bool],
    iterations: usize,
    control: &SolveControl,
) -> Result<SetCoverSolution, Cancelled> {
    control.plan(iterations as u64 / 10 + 1);
    let reach = Coverage::within(problem, radius);
    let n = problem.demands();
    let must = |i: usize| must_cover.get(i).copied().unwrap_or(true);
    let uncoverable: Vec<usize> = (0..n).filter(|&i| must(i) && reach.of_demand[i].is_empty()).collect();
    let required = problem.required();
    let mut covered = vec![false; n];
    for &j in required {
        for &i in &reach.of_candidate[j] {
            covered[i] = true;
        }
    }
    // What is left to cover after the required sites.
    let open: Vec<usize> = (0..n)
        .filter(|&i| must(i) && !covered[i] && !reach.of_demand[i].is_empty())
        .collect();
    let mut is_open = vec![false; n];
    for &i in &open {
        is_open[i] = true;
    }
    let mut allowed = vec![true; problem.candidates()];
    for &j in required {
        allowed[j] = false;
    }
    let greedy = complete_cover(&reach, &is_open, &allowed, &[], &vec![0.0; problem.candidates()]);
    let (lower, lagrangian) = lower_bound(&reach, &open, &allowed, greedy.clone(), iterations, control);
    control.check()?;
    let mut chosen = if lagrangian.len() < greedy.len() {
        lagrangian
    } else {
        greedy
    };
    let mut bound = required.len() + lower;
    let mut all: Vec<usize> = required.iter().copied().chain(chosen.iter().copied()).collect();
    // Small instances: look for a smaller cover by trying every one.
    let free: Vec<usize> = (0..problem.candidates()).filter(|j| !required.contains(j)).collect();
    while all.len() > bound && chosen.len() > 1 && combinations(free.len(), chosen.len() - 1) <= 200_000 {
        control.check()?;
        match cover_of_size(&reach, &open, &free, chosen.len() - 1) {
            Some(smaller) => {
                chosen = smaller;
                all = required.iter().copied().chain(chosen.iter().copied()).collect();
            }
            None => bound = all.len(),
        }
    }
    all.sort_unstable();
    control.finish();
    Ok(SetCoverSolution {
        chosen: all,
        uncoverable,
        bound: bound.min(required.len() + chosen.len()),
    })
}

/// Completes `start` to a cover of the open points (those with `is_open`): adds the `allowed`
/// site reaching the most uncovered points (ties: lower `priority`, then lower index) until all
/// are covered, then drops sites whose points the others still cover, those reaching the fewest
/// open points first. Returns the sites, sorted.
fn complete_cover(
    reach: &Coverage,
    is_open: &[bool],
    allowed: &[bool],
    start: &[usize],
    priority: &[f64],
) -> Vec<usize> {
    let m = allowed.len();
    let mut count = vec![0u32; is_open.len()];
    let mut in_cover = vec![false; m];
    let mut chosen: Vec<usize> = Vec::new();
    let add = |j: usize, count: &mut [u32], in_cover: &mut [bool], chosen: &mut Vec<usize>| {
        in_cover[j] = true;
        chosen.push(j);
        for &i in &reach.of_candidate[j] {
            count[i] += 1;
        }
    };
    for &j in start.iter().filter(|&&j| allowed[j]) {
        if !in_cover[j] {
            add(j, &mut count, &mut in_cover, &mut chosen);
        }
    }
    let mut left = (0..is_open.len()).filter(|&i| is_open[i] && count[i] == 0).count();
    while left > 0 {
        let best = (0..m)
            .filter(|&j| allowed[j] && !in_cover[j])
            .map(|j| {
                let gain = reach.of_candidate[j]
                    .iter()
                    .filter(|&&i| is_open[i] && count[i] == 0)
                    .count();
                (gain, j)
            })
            .max_by(|a, b| {
                a.0.cmp(&b.0)
                    .then(priority[b.1].total_cmp(&priority[a.1]))
                    .then(b.1.cmp(&a.1))
            });
        let Some((gain, j)) = best else { break };
        if gain == 0 {
            break;
        }
        left -= gain;
        add(j, &mut count, &mut in_cover, &mut chosen);
    }
    // Redundant sites: every open point they reach is reached by another chosen site.
    let open_degree = |j: usize| reach.of_candidate[j].iter().filter(|&&i| is_open[i]).count();
    chosen.sort_by_key(|&j| (open_degree(j), j));
    let mut kept = Vec::with_capacity(chosen.len());
    for j in chosen {
        let redundant = reach.of_candidate[j].iter().all(|&i| !is_open[i] || count[i] >= 2);
        if redundant {
            for &i in &reach.of_candidate[j] {
                count[i] -= 1;
            }
        } else {
            kept.push(j);
        }
    }
    kept.sort_unstable();
    kept
}

fn covers_all(reach: &Coverage, open: &[usize], sites: &[usize]) -> bool {
    open.iter()
        .all(|&i| reach.of_demand[i].iter().any(|j| sites.contains(j)))
}

/// A cover of `open` by `k` sites of `free`, if there is one.
fn cover_of_size(reach: &Coverage, open: &[usize], free: &[usize], k: usize) -> Option<Vec<usize>> {
    if k == 0 {
        return open.is_empty().then(Vec::new);
    }
    let mut pick: Vec<usize> = (0..k).collect();
    loop {
        let sites: Vec<usize> = pick.iter().map(|&x| free[x]).collect();
        if covers_all(reach, open, &sites) {
            return Some(sites);
        }
        let at = (0..k).rev().find(|&x| pick[x] < free.len() - k + x)?;
        pick[at] += 1;
        for x in at + 1..k {
            pick[x] = pick[x - 1] + 1;
        }
    }
}

/// Lagrangian bound on the sites needed for `open`: L(u) = Σ u_i + Σ_j min(0, 1 − Σ_{i ∈ j} u_i),
/// maximised by subgradient steps, rounded up. Every few steps the sites with negative reduced
/// cost, completed greedily, give a cover (Beasley's heuristic); the smallest seen, starting with
/// `best`, is returned with the bound and aims the steps.
fn lower_bound(
    reach: &Coverage,
    open: &[usize],
    allowed: &[bool],
    mut best_cover: Vec<usize>,
    iterations: usize,
    control: &SolveControl,
) -> (usize, Vec<usize>) {
    if open.is_empty() {
        return (0, best_cover);
    }
    let m = allowed.len();
    let n = reach.of_demand.len();
    let mut position = vec![usize::MAX; n];
    let mut is_open = vec![false; n];
    for (k, &i) in open.iter().enumerate() {
        position[i] = k;
        is_open[i] = true;
    }
    let mut u: Vec<f64> = open
        .iter()
        .map(|&i| 1.0 / reach.of_demand[i].len().max(1) as f64)
        .collect();
    let mut best = 0.0f64;
    let mut scale = 1.0;
    let mut reduced = vec![0.0; m];
    for step in 0..iterations.max(1) {
        if control.is_cancelled() {
            break;
        }
        if step % 10 == 9 {
            control.advance(1);
        }
        let mut value: f64 = u.iter().sum();
        let mut take = vec![false; m];
        for j in (0..m).filter(|&j| allowed[j]) {
            reduced[j] = 1.0
                - reach.of_candidate[j]
                    .iter()
                    .filter(|&&i| is_open[i])
                    .map(|&i| u[position[i]])
                    .sum::<f64>();
            if reduced[j] < 0.0 {
                value += reduced[j];
                take[j] = true;
            }
        }
        if value > best {
            best = value;
        } else {
            scale *= 0.95;
        }
        if step % 5 == 0 {
            let start: Vec<usize> = (0..m).filter(|&j| take[j]).collect();
            let cover = complete_cover(reach, &is_open, allowed, &start, &reduced);
            if cover.len() < best_cover.len() {
                best_cover = cover;
            }
        }
        let bound = (best - 1e-6).ceil().max(1.0);
        if bound >= best_cover.len() as f64 {
            break;
        }
        let g: Vec<f64> = open
            .iter()
            .map(|&i| 1.0 - reach.of_demand[i].iter().filter(|&&j| take[j]).count() as f64)
            .collect();
        let norm: f64 = g.iter().map(|x| x * x).sum();
        if norm == 0.0 || scale < 1e-4 {
            break;
        }
        let step = scale * (best_cover.len() as f64 - value).max(1e-6) / norm;
        for (x, gi) in u.iter_mut().zip(&g) {
            *x = (*x + step * gi).max(0.0);
        }
    }
    ((best - 1e-6).ceil().max(1.0) as usize, best_cover)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::rng::Rng;

    fn random_problem(seed: u64, demands: usize, candidates: usize, required: Vec<usize>) -> Problem {
        let costs = super::super::moves::plane_costs(&mut Rng::new(seed), demands, candidates);
        Problem::new(costs, vec![1.0; demands], candidates, required).unwrap()
    }

    #[test]
    fn the_fewest_sites_that_cover_everything_coverable() {
        for seed in 0..12 {
            let required = if seed % 4 == 0 { vec![3] } else { Vec::new() };
            let problem = random_problem(seed, 30, 12, required.clone());
            let must: Vec<bool> = (0..30).map(|i| i % 3 != 0).collect();
            let s = solve_set_covering(&problem, 30.0, &must, 300, &SolveControl::default()).unwrap();
            let reach = Coverage::within(&problem, 30.0);
            // Everything coverable that must be covered is covered; the rest is reported.
            for i in (0..30).filter(|&i| must[i]) {
                let reached = reach.of_demand[i].iter().any(|j| s.chosen.contains(j));
                assert_eq!(reached, !s.uncoverable.contains(&i), "seed {seed} point {i}");
            }
            assert!(required.iter().all(|r| s.chosen.contains(r)));
            // No smaller cover exists (brute force), and the bound is not above the answer.
            let open: Vec<usize> = (0..30)
                .filter(|&i| must[i] && !reach.of_demand[i].is_empty())
                .filter(|&i| !reach.of_demand[i].iter().any(|j| required.contains(j)))
                .collect();
            let free: Vec<usize> = (0..12).filter(|j| !required.contains(j)).collect();
            let own = s.chosen.len() - required.len();
            if own > 0 {
                assert!(
                    cover_of_size(&reach, &open, &free, own - 1).is_none(),
                    "seed {seed}: a smaller cover exists"
                );
            }
            assert!(s.bound <= s.chosen.len());
            assert_eq!(s.gap(), 0.0, "small instances are settled");
        }
    }

    #[test]
    fn lagrangian_covers_beat_greedy_and_cover_everything() {
        let mut better = 0;
        for seed in 0..6 {
            let problem = random_problem(100 + seed, 300, 90, Vec::new());
            let reach = Coverage::within(&problem, 18.0);
            let is_open: Vec<bool> = (0..300).map(|i| !reach.of_demand[i].is_empty()).collect();
            let greedy = complete_cover(&reach, &is_open, &[true; 90], &[], &[0.0; 90]);
            let s = solve_set_covering(&problem, 18.0, &[], 500, &SolveControl::default()).unwrap();
            assert!(
                s.chosen.len() <= greedy.len(),
                "seed {seed}: {} > {}",
                s.chosen.len(),
                greedy.len()
            );
            better += usize::from(s.chosen.len() < greedy.len());
            assert!(s.bound <= s.chosen.len());
            let open: Vec<usize> = (0..300).filter(|&i| is_open[i]).collect();
            assert!(covers_all(&reach, &open, &s.chosen), "seed {seed}");
        }
        // Measured: 15 against 17, 18/19, 16/18, 15/19, 16/19, 15/17.
        assert_eq!(better, 6, "the Lagrangian heuristic found smaller covers than greedy");
    }
}
