//! Moves shared by the searches of every model: random starting choices and the kicks of the
//! iterated local search. Deterministic for a random sequence.

use super::Problem;
use crate::synth::rng::Rng;

/// The required sites plus random others, `p` in all.
pub(crate) fn random_start(problem: &Problem, p: usize, rng: &mut Rng) -> Vec<usize> {
    let mut chosen = problem.required().to_vec();
    let mut free: Vec<usize> = (0..problem.candidates()).filter(|j| !chosen.contains(j)).collect();
    while chosen.len() < p && !free.is_empty() {
        let k = (rng.next_u64() % free.len() as u64) as usize;
        chosen.push(free.swap_remove(k));
    }
    chosen
}

/// `chosen` with one to three of its non-required sites swapped for random unchosen ones.
pub(crate) fn kick(problem: &Problem, chosen: &[usize], rng: &mut Rng) -> Vec<usize> {
    let mut kicked = chosen.to_vec();
    let movable: Vec<usize> = (0..kicked.len())
        .filter(|&s| !problem.required().contains(&kicked[s]))
        .collect();
    if movable.is_empty() {
        return kicked;
    }
    for _ in 0..1 + (rng.next_u64() % 3) as usize {
        let slot = movable[(rng.next_u64() % movable.len() as u64) as usize];
        let outside: Vec<usize> = (0..problem.candidates()).filter(|j| !kicked.contains(j)).collect();
        if outside.is_empty() {
            break;
        }
        kicked[slot] = outside[(rng.next_u64() % outside.len() as u64) as usize];
    }
    kicked
}

/// n choose k, saturating: how many choices a search by trying them all would meet.
pub(crate) fn combinations(n: usize, k: usize) -> u128 {
    if k > n {
        return 0;
    }
    let k = k.min(n - k);
    (0..k).fold(1u128, |acc, i| acc.saturating_mul((n - i) as u128) / (i as u128 + 1))
}

/// For tests: random demand points and candidates on a 100 × 100 plane, costs their distances.
#[cfg(test)]
pub(crate) fn plane_costs(rng: &mut Rng, demands: usize, candidates: usize) -> Vec<f64> {
    let mut point = || [rng.range(0.0, 100.0), rng.range(0.0, 100.0)];
    let d: Vec<[f64; 2]> = (0..demands).map(|_| point()).collect();
    let c: Vec<[f64; 2]> = (0..candidates).map(|_| point()).collect();
    d.iter()
        .flat_map(|a| {
            c.iter()
                .map(move |b| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt())
        })
        .collect()
}
