//! The p-median problem: choose `p` sites so that the demand-weighted cost to the nearest chosen
//! site is least. Answers come from greedy construction and fast vertex substitution (Whitaker's
//! interchange: every swap evaluated in one pass over the demand points) from several starts on
//! both cores, with a lower bound from Lagrangian relaxation, so the reported gap is honest.

use rayon::prelude::*;

use super::lagrangian::{bound_with_rows, rows_by_cost};
use super::moves::{combinations, kick, random_start};
use super::{Cancelled, Problem, SolveControl};
use crate::synth::rng::Rng as SplitMix64;

/// Settings of a solve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SolveOptions {
    /// Seed of the random starts: the same seed gives the same answer.
    pub seed: u64,
    /// Random starts besides the greedy one.
    pub random_starts: usize,
    /// Subgradient iterations of the lower bound.
    pub bound_iterations: usize,
    /// Kicks of the iterated local search after the starts.
    pub kicks: usize,
}

impl Default for SolveOptions {
    fn default() -> Self {
        Self {
            seed: 1,
            random_starts: 7,
            bound_iterations: 2000,
            kicks: 2000,
        }
    }
}

/// An answer with its quality.
#[derive(Clone, Debug, PartialEq)]
pub struct Solution {
    /// Chosen candidate sites, sorted.
    pub chosen: Vec<usize>,
    /// The objective of `chosen`.
    pub objective: f64,
    /// A lower bound on the best objective any choice can reach.
    pub bound: f64,
}

impl Solution {
    /// (objective − bound) / objective: how far from optimal the answer can at most be.
    pub fn gap(&self) -> f64 {
        if self.objective <= 0.0 {
            0.0
        } else {
            ((self.objective - self.bound) / self.objective).max(0.0)
        }
    }
}

/// Solves the p-median problem with `p` sites (required sites count among them), reporting
/// progress to `control` and stopping with [`Cancelled`] when it is cancelled.
pub fn solve_p_median(
    problem: &Problem,
    p: usize,
    options: &SolveOptions,
    control: &SolveControl,
) -> Result<Solution, Cancelled> {
    let p = p.clamp(problem.required().len(), problem.candidates());
    // Large tables get fewer starts, kicks and bound steps: the work, not the count, is capped.
    let cells = (problem.demands() * problem.candidates()).max(1);
    let options = &SolveOptions {
        // More sites make more local optima: they get more kicks for the same work, up to four
        // times as many (each kick's search also takes longer with more sites).
        kicks: options.kicks.min(KICK_WORK / cells * p.clamp(5, 40) / 10),
        random_starts: options.random_starts.min(START_WORK / cells),
        ..*options
    };
    control.plan(((options.random_starts + 1) * START_UNITS + options.kicks + options.bound_iterations / 10) as u64);
    let mut starts: Vec<Vec<usize>> = vec![greedy(problem, p)];
    let mut rng = SplitMix64::new(options.seed);
    for _ in 0..options.random_starts {
        starts.push(random_start(problem, p, &mut rng));
    }
    // The starts' local searches beside the bound's row sorting, then the kicks beside the
    // bound's steps, aimed at the best start (both orders deterministic).
    let (best_start, rows) = rayon::join(
        || {
            starts
                .into_par_iter()
                .map(|start| {
                    let chosen = interchange(problem, start, control);
                    control.advance(START_UNITS as u64);
                    (problem.p_median_objective(&chosen), chosen)
                })
                .min_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)))
                .unwrap_or((f64::INFINITY, Vec::new()))
        },
        || rows_by_cost(problem),
    );
    control.check()?;
    let (best, bound) = rayon::join(
        || perturb(problem, best_start.0, best_start.1.clone(), options, control),
        || {
            bound_with_rows(
                problem,
                p,
                &rows,
                &best_start.1,
                options.bound_iterations,
                best_start.0,
                control,
            )
        },
    );
    let (mut objective, mut chosen) = best?;
    let mut bound = bound.min(objective);
    // Small enough to try every choice: the answer is then proven optimal.
    if objective - bound > 1e-9 * objective.abs().max(1.0)
        && combinations(
            problem.candidates() - problem.required().len(),
            p - problem.required().len(),
        ) <= ENUMERATE_LIMIT
        && let Some((o, c)) = enumerate(problem, p, control)?
    {
        (objective, chosen, bound) = (o, c, o);
    }
    chosen.sort_unstable();
    control.finish();
    Ok(Solution {
        chosen,
        objective,
        bound,
    })
}

/// Progress units of one start's local search (a kick's search counts one).
const START_UNITS: usize = 10;

/// Demand × candidate cells the iterated local search may visit in its kicks, times p / 10 up
/// to 4 (more sites make more local optima): 625 kicks on a 400 × 400 table with ten sites
/// (2,000 with 40 or more), 77 on 3,231 × 404 with ten, 44 on 3,000 × 3,000 with 40 or more.
const KICK_WORK: usize = 100_000_000;
/// Table cells that buy one random start: seven on tables up to 570,000 cells, three on
/// 3,231 × 404 (the greedy start is always made).
const START_WORK: usize = 4_000_000;

/// Instances with at most this many choices are solved by trying them all.
const ENUMERATE_LIMIT: u128 = 200_000;

/// The best of every choice of `p` sites that includes the required ones.
fn enumerate(problem: &Problem, p: usize, control: &SolveControl) -> Result<Option<(f64, Vec<usize>)>, Cancelled> {
    let required = problem.required();
    let free: Vec<usize> = (0..problem.candidates()).filter(|j| !required.contains(j)).collect();
    let k = p - required.len();
    let mut best: Option<(f64, Vec<usize>)> = None;
    let mut pick: Vec<usize> = (0..k).collect();
    for tried in 0u64.. {
        if tried % 1024 == 0 {
            control.check()?;
        }
        let mut chosen = required.to_vec();
        chosen.extend(pick.iter().map(|&x| free[x]));
        let objective = problem.p_median_objective(&chosen);
        if best.as_ref().is_none_or(|(b, _)| objective < *b) {
            best = Some((objective, chosen));
        }
        // Next combination in lexicographic order.
        let Some(at) = (0..k).rev().find(|&x| pick[x] < free.len() - k + x) else {
            break;
        };
        pick[at] += 1;
        for x in at + 1..k {
            pick[x] = pick[x - 1] + 1;
        }
    }
    Ok(best)
}

/// Iterated local search on both cores: independent chains kick their best answer (one to three
/// sites swapped for random others), search again and keep what is better; the best chain wins.
/// Deterministic for a seed.
fn perturb(
    problem: &Problem,
    objective: f64,
    chosen: Vec<usize>,
    options: &SolveOptions,
    control: &SolveControl,
) -> Result<(f64, Vec<usize>), Cancelled> {
    let start = (objective, chosen);
    let required = problem.required();
    let movable: Vec<usize> = (0..start.1.len())
        .filter(|&s| !required.contains(&start.1[s]))
        .collect();
    if movable.is_empty() || problem.candidates() <= start.1.len() || options.kicks == 0 {
        return Ok(start);
    }
    let chains = CHAINS.min(options.kicks);
    let chain = |c: usize| {
        let mut best = start.clone();
        let mut rng = SplitMix64::new(options.seed ^ (0x5EED + c as u64));
        for _ in 0..options.kicks.div_ceil(chains) {
            if control.is_cancelled() {
                break;
            }
            control.advance(1);
            let kicked = kick(problem, &best.1, &mut rng);
            let searched = interchange(problem, kicked, control);
            let o = problem.p_median_objective(&searched);
            if o < best.0 - 1e-9 * best.0.abs().max(1.0) {
                best = (o, searched);
            }
        }
        best
    };
    let best = (0..chains)
        .into_par_iter()
        .map(chain)
        .min_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)))
        .unwrap_or(start);
    control.check()?;
    Ok(best)
}

/// Independent chains of the iterated local search.
const CHAINS: usize = 4;

/// Adds, one at a time, the site that lowers the objective most, after the required ones.
pub(super) fn greedy(problem: &Problem, p: usize) -> Vec<usize> {
    let n = problem.demands();
    let mut chosen: Vec<usize> = problem.required().to_vec();
    let mut nearest = vec![f64::INFINITY; n];
    for &j in &chosen {
        for (i, d) in nearest.iter_mut().enumerate() {
            *d = d.min(problem.cost(i, j));
        }
    }
    let mut is_chosen = vec![false; problem.candidates()];
    for &j in &chosen {
        is_chosen[j] = true;
    }
    while chosen.len() < p {
        let gain = |j: usize| -> f64 {
            let column = problem.column(j);
            (0..n)
                .map(|i| {
                    let d = column[i];
                    if d < nearest[i] {
                        // An unserved point counts as a large, finite saving.
                        let before = if nearest[i].is_finite() { nearest[i] } else { d + 1e12 };
                        problem.weight(i) * (before - d)
                    } else {
                        0.0
                    }
                })
                .sum()
        };
        let best = (0..problem.candidates())
            .filter(|&j| !is_chosen[j])
            .map(|j| (gain(j), j))
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
        let Some((_, j)) = best else { break };
        is_chosen[j] = true;
        chosen.push(j);
        for (i, d) in nearest.iter_mut().enumerate() {
            *d = d.min(problem.cost(i, j));
        }
    }
    chosen
}

/// Nearest and second-nearest chosen site of every demand point.
struct Assignment {
    d1: Vec<f64>,
    c1: Vec<usize>,
    d2: Vec<f64>,
    c2: Vec<usize>,
}

/// Nearest and second-nearest of `chosen` (by slot) for demand point `i`.
fn nearest_two(problem: &Problem, chosen: &[usize], i: usize) -> (f64, usize, f64, usize) {
    let row = problem.row(i);
    let (mut d1, mut c1, mut d2, mut c2) = (f64::INFINITY, 0, f64::INFINITY, 0);
    for (slot, &j) in chosen.iter().enumerate() {
        let d = row[j];
        if d < d1 {
            (d2, c2) = (d1, c1);
            (d1, c1) = (d, slot);
        } else if d < d2 {
            (d2, c2) = (d, slot);
        }
    }
    (d1, c1, d2, c2)
}

fn assign(problem: &Problem, chosen: &[usize]) -> Assignment {
    let n = problem.demands();
    let mut a = Assignment {
        d1: vec![f64::INFINITY; n],
        c1: vec![0; n],
        d2: vec![f64::INFINITY; n],
        c2: vec![0; n],
    };
    for i in 0..n {
        (a.d1[i], a.c1[i], a.d2[i], a.c2[i]) = nearest_two(problem, chosen, i);
    }
    a
}

/// Brings `a` up to date after `chosen[slot]` was replaced: points that had the old site first
/// or second are assigned again, the others only compare the new site (one column walk).
fn reassign(problem: &Problem, chosen: &[usize], a: &mut Assignment, slot: usize) {
    let column = problem.column(chosen[slot]);
    for (i, &d) in column.iter().enumerate() {
        if a.c1[i] == slot || a.c2[i] == slot {
            (a.d1[i], a.c1[i], a.d2[i], a.c2[i]) = nearest_two(problem, chosen, i);
        } else if d < a.d1[i] {
            (a.d2[i], a.c2[i]) = (a.d1[i], a.c1[i]);
            (a.d1[i], a.c1[i]) = (d, slot);
        } else if d < a.d2[i] {
            (a.d2[i], a.c2[i]) = (d, slot);
        }
    }
}

/// Fast vertex substitution: swap a chosen site for an unchosen one while that lowers the
/// objective; each candidate's best swap is found in one pass over the demand points. Returns
/// early, with a valid but unfinished choice, once `control` is cancelled.
fn interchange(problem: &Problem, mut chosen: Vec<usize>, control: &SolveControl) -> Vec<usize> {
    let n = problem.demands();
    let m = problem.candidates();
    let required: Vec<bool> = {
        let mut r = vec![false; m];
        for &j in problem.required() {
            r[j] = true;
        }
        r
    };
    let mut is_chosen = vec![false; m];
    for &j in &chosen {
        is_chosen[j] = true;
    }
    let mut a = assign(problem, &chosen);
    let mut extra = vec![0.0; chosen.len()];
    let mut since_improvement = 0;
    let mut j = 0;
    // Stop after a whole round of candidates without an improving swap.
    while since_improvement < m {
        if j % 64 == 0 && control.is_cancelled() {
            break;
        }
        if !is_chosen[j] {
            let mut profit = 0.0;
            extra.iter_mut().for_each(|e| *e = 0.0);
            let column = problem.column(j);
            for i in 0..n {
                let d = column[i];
                let w = problem.weight(i);
                if d < a.d1[i] {
                    profit += w * (a.d1[i] - d);
                } else {
                    extra[a.c1[i]] += w * (d.min(a.d2[i]) - a.d1[i]);
                }
            }
            let out = (0..chosen.len())
                .filter(|&slot| !required[chosen[slot]])
                .min_by(|&x, &y| extra[x].total_cmp(&extra[y]));
            if let Some(slot) = out
                && profit - extra[slot] > 1e-9 * (1.0 + profit.abs())
            {
                is_chosen[chosen[slot]] = false;
                is_chosen[j] = true;
                chosen[slot] = j;
                reassign(problem, &chosen, &mut a, slot);
                since_improvement = 0;
            }
        }
        since_improvement += 1;
        j = (j + 1) % m;
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every choice of `p` sites, for checking on small instances.
    fn exhaustive(problem: &Problem, p: usize) -> f64 {
        fn walk(problem: &Problem, p: usize, from: usize, chosen: &mut Vec<usize>, best: &mut f64) {
            if chosen.len() == p {
                if problem.required().iter().all(|r| chosen.contains(r)) {
                    *best = best.min(problem.p_median_objective(chosen));
                }
                return;
            }
            for j in from..problem.candidates() {
                chosen.push(j);
                walk(problem, p, j + 1, chosen, best);
                chosen.pop();
            }
        }
        let mut best = f64::INFINITY;
        walk(problem, p, 0, &mut Vec::new(), &mut best);
        best
    }

    fn random_problem(seed: u64, demands: usize, candidates: usize, required: Vec<usize>) -> Problem {
        let mut rng = SplitMix64::new(seed);
        let costs = super::super::moves::plane_costs(&mut rng, demands, candidates);
        let weights = (0..demands).map(|_| 1.0 + rng.range(0.0, 9.0).floor()).collect();
        Problem::new(costs, weights, candidates, required).unwrap()
    }

    #[test]
    fn agrees_with_exhaustive_search_and_the_bound_is_below_the_optimum() {
        for seed in 0..12 {
            let required = if seed % 3 == 0 {
                vec![seed as usize % 9]
            } else {
                Vec::new()
            };
            let problem = random_problem(seed, 25, 9, required.clone());
            for p in 1..=4 {
                let p = p.max(required.len());
                let best = exhaustive(&problem, p);
                let s = solve_p_median(&problem, p, &SolveOptions::default(), &SolveControl::default()).unwrap();
                assert!(
                    (s.objective - best).abs() < 1e-6,
                    "seed {seed} p {p}: {} vs {best}",
                    s.objective
                );
                assert!(s.bound <= best + 1e-6, "bound {} above the optimum {best}", s.bound);
                assert_eq!(s.chosen.len(), p);
                assert!(required.iter().all(|r| s.chosen.contains(r)), "required sites kept");
            }
        }
    }

    #[test]
    fn a_solve_cancelled_while_running_stops_and_a_finished_one_reports_all_done() {
        let problem = random_problem(5, 1500, 300, Vec::new());
        let control = SolveControl::default();
        let watcher = control.clone();
        let canceller = std::thread::spawn(move || {
            while watcher.progress() == 0.0 {
                std::thread::yield_now();
            }
            watcher.cancel();
        });
        let got = solve_p_median(&problem, 20, &SolveOptions::default(), &control);
        canceller.join().unwrap();
        assert_eq!(got, Err(Cancelled));
        let control = SolveControl::default();
        let small = random_problem(6, 40, 10, Vec::new());
        solve_p_median(&small, 3, &SolveOptions::default(), &control).unwrap();
        assert_eq!(control.progress(), 1.0);
    }

    #[test]
    fn the_same_seed_gives_the_same_answer() {
        let problem = random_problem(99, 60, 30, Vec::new());
        let solve = |problem: &Problem, p: usize| {
            solve_p_median(problem, p, &SolveOptions::default(), &SolveControl::default()).unwrap()
        };
        assert_eq!(solve(&problem, 5), solve(&problem, 5));
        // Large enough that the bound runs beside the kicks on both cores: its value must not
        // depend on how the threads ran.
        let problem = random_problem(98, 300, 150, Vec::new());
        assert_eq!(solve(&problem, 8), solve(&problem, 8));
    }
}
