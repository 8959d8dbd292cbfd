//! Natural breaks, exactly: Fisher's optimal partition of sorted values into classes with the
//! least total squared deviation from the class means (what Jenks' method approximates). The
//! dynamic programme over "first `c` classes end at value `j`" is solved row by row with divide
//! and conquer, valid because the best start of the last class never moves left as `j` grows
//! (the cost is a Monge array), so `k` classes of `n` values take O(k·n·log n), not O(k·n²):
//! 100,000 districts classify in milliseconds.

/// The upper bound of each class (the largest value in it), `classes` of them, for `sorted`
/// values in ascending order. Fewer when there are fewer distinct values than classes.
pub(super) fn fisher_jenks_upper_bounds(sorted: &[f64], classes: usize) -> Vec<f64> {
    let n = sorted.len();
    let distinct = 1 + sorted.windows(2).filter(|w| w[0] != w[1]).count();
    let classes = classes.min(distinct).max(1);
    if n == 0 {
        return Vec::new();
    }
    let costs = Costs::new(sorted);
    // best[j]: least cost of the first j values in `c` classes; start[c][j]: where the last of
    // those classes starts.
    let mut best: Vec<f64> = (0..=n).map(|j| if j == 0 { 0.0 } else { costs.of(0, j) }).collect();
    let mut starts: Vec<Vec<u32>> = vec![vec![0; n + 1]];
    for c in 2..=classes {
        let mut next = vec![f64::INFINITY; n + 1];
        let mut start = vec![0u32; n + 1];
        let mut row = Row {
            previous: &best,
            costs: &costs,
            best: &mut next,
            start: &mut start,
        };
        row.solve(c, n, c - 1, n - 1);
        best = next;
        starts.push(start);
    }
    let mut bounds = vec![0.0; classes];
    let mut end = n;
    for c in (1..=classes).rev() {
        bounds[c - 1] = sorted[end - 1];
        end = starts[c - 1][end] as usize;
    }
    bounds
}

/// Squared deviations of runs of the sorted values, from prefix sums taken about the median so
/// that large values (populations, square metres) keep their precision.
struct Costs {
    sum: Vec<f64>,
    sum_sq: Vec<f64>,
}

impl Costs {
    fn new(sorted: &[f64]) -> Self {
        let shift = sorted[sorted.len() / 2];
        let mut sum = Vec::with_capacity(sorted.len() + 1);
        let mut sum_sq = Vec::with_capacity(sorted.len() + 1);
        let (mut s, mut q) = (0.0, 0.0);
        sum.push(0.0);
        sum_sq.push(0.0);
        for &v in sorted {
            let d = v - shift;
            s += d;
            q += d * d;
            sum.push(s);
            sum_sq.push(q);
        }
        Self { sum, sum_sq }
    }

    /// Squared deviation from their mean of values `a..b` (`a < b`).
    fn of(&self, a: usize, b: usize) -> f64 {
        let s = self.sum[b] - self.sum[a];
        let q = self.sum_sq[b] - self.sum_sq[a];
        (q - s * s / (b - a) as f64).max(0.0)
    }
}

/// One row of the programme: the best split of the first `j` values into `c` classes for every
/// `j`, given the best splits into `c - 1` classes.
struct Row<'a> {
    previous: &'a [f64],
    costs: &'a Costs,
    best: &'a mut [f64],
    start: &'a mut [u32],
}

impl Row<'_> {
    /// Fills `j` in `lo..=hi` (each at least `c`), knowing the last class starts within
    /// `from..=to`. Ties go to the earliest start, as mapclassify's loop breaks them.
    fn solve(&mut self, lo: usize, hi: usize, from: usize, to: usize) {
        let mut stack = vec![(lo, hi, from, to)];
        while let Some((lo, hi, from, to)) = stack.pop() {
            if lo > hi {
                continue;
            }
            let j = (lo + hi) / 2;
            let (mut best, mut at) = (f64::INFINITY, from);
            for i in from..=to.min(j - 1) {
                let cost = self.previous[i] + self.costs.of(i, j);
                if cost < best {
                    (best, at) = (cost, i);
                }
            }
            self.best[j] = best;
            self.start[j] = at as u32;
            if j > lo {
                stack.push((lo, j - 1, from, at));
            }
            stack.push((j + 1, hi, at, to));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every split of `sorted` into `k` non-empty runs, the cheapest (earliest on ties).
    fn brute_force(sorted: &[f64], k: usize) -> Vec<f64> {
        fn cost(v: &[f64]) -> f64 {
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            v.iter().map(|x| (x - mean).powi(2)).sum()
        }
        fn go(v: &[f64], k: usize) -> (f64, Vec<usize>) {
            if k == 1 {
                return (cost(v), vec![v.len()]);
            }
            let mut best = (f64::INFINITY, Vec::new());
            for cut in (k - 1)..v.len() {
                let (c, mut ends) = go(&v[..cut], k - 1);
                let total = c + cost(&v[cut..]);
                if total < best.0 - 1e-9 {
                    ends.push(v.len());
                    best = (total, ends);
                }
            }
            best
        }
        go(sorted, k).1.iter().map(|&e| sorted[e - 1]).collect()
    }

    #[test]
    fn matches_every_split_tried_on_small_sets() {
        let mut rng = crate::synth::Rng::new(7);
        for trial in 0..300 {
            let n = 4 + trial % 9;
            let mut v: Vec<f64> = (0..n).map(|_| (rng.range(0.0, 50.0)).round()).collect();
            v.sort_by(f64::total_cmp);
            let distinct = 1 + v.windows(2).filter(|w| w[0] != w[1]).count();
            for k in 2..=4.min(distinct) {
                let ours = fisher_jenks_upper_bounds(&v, k);
                let cost_of = |bounds: &[f64]| {
                    let mut total = 0.0;
                    let mut lo = f64::NEG_INFINITY;
                    for &b in bounds {
                        let class: Vec<f64> = v.iter().copied().filter(|&x| x > lo && x <= b).collect();
                        let mean = class.iter().sum::<f64>() / class.len().max(1) as f64;
                        total += class.iter().map(|x| (x - mean).powi(2)).sum::<f64>();
                        lo = b;
                    }
                    total
                };
                let brute = brute_force(&v, k);
                assert!(
                    (cost_of(&ours) - cost_of(&brute)).abs() < 1e-6,
                    "{v:?} k={k}: ours {ours:?} ({}) brute {brute:?} ({})",
                    cost_of(&ours),
                    cost_of(&brute)
                );
            }
        }
    }

    #[test]
    fn obvious_clusters_are_found() {
        let v = [1.0, 2.0, 3.0, 10.0, 11.0, 12.0, 50.0, 51.0];
        assert_eq!(fisher_jenks_upper_bounds(&v, 3), vec![3.0, 12.0, 51.0]);
        // Fewer distinct values than classes: one class per value.
        assert_eq!(fisher_jenks_upper_bounds(&[5.0, 5.0, 7.0], 4), vec![5.0, 7.0]);
        assert_eq!(fisher_jenks_upper_bounds(&[4.0], 5), vec![4.0]);
    }
}
