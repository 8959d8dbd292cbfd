//! A location problem as numbers: demand points with weights, candidate sites, the cost (distance
//! or travel time) from every demand point to every candidate, and the sites that must stay.

/// Why a problem cannot be built.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ProblemError {
    /// The cost table is not demands × candidates long.
    #[error("the cost table has {got} entries, expected {demands} demand points × {candidates} candidates")]
    Shape {
        /// Demand points.
        demands: usize,
        /// Candidate sites.
        candidates: usize,
        /// Entries given.
        got: usize,
    },
    /// A weight that is negative or not a number.
    #[error("the weight of demand point {index} is {value}, not a number of at least 0")]
    BadWeight {
        /// Demand point (0-based).
        index: usize,
        /// The weight given.
        value: f64,
    },
    /// A cost that is negative or NaN (infinity means unreachable and is allowed).
    #[error("the cost from demand point {demand} to candidate {candidate} is {value}")]
    BadCost {
        /// Demand point (0-based).
        demand: usize,
        /// Candidate (0-based).
        candidate: usize,
        /// The cost given.
        value: f64,
    },
    /// A required site that is not a candidate.
    #[error("required site {0} is not one of the candidates")]
    BadRequired(usize),
    /// More demand × candidate pairs than the table may hold in memory.
    #[error(
        "{demands} demand points × {candidates} candidates is too many pairs (at most {limit}); \
         use a wider candidate grid or fewer demand points"
    )]
    TooLarge {
        /// Demand points.
        demands: usize,
        /// Candidate sites.
        candidates: usize,
        /// The most pairs allowed.
        limit: usize,
    },
}

/// The most demand × candidate pairs a problem may hold: two tables of 8-byte costs, 640 MB.
pub const MAX_PAIRS: usize = 40_000_000;

/// Demand points × candidate sites.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    demands: usize,
    candidates: usize,
    /// Row-major: the cost from demand `i` to candidate `j` is at `i * candidates + j`.
    costs: Vec<f64>,
    /// The same costs column by column, for passes over all demand points of one candidate.
    by_candidate: Vec<f64>,
    weights: Vec<f64>,
    required: Vec<usize>,
}

impl Problem {
    /// A problem from a row-major cost table (`demands` rows of `candidates` costs), one weight per
    /// demand point, and the candidates that must be chosen.
    pub fn new(
        costs: Vec<f64>,
        weights: Vec<f64>,
        candidates: usize,
        required: Vec<usize>,
    ) -> Result<Self, ProblemError> {
        let demands = weights.len();
        Self::check_size(demands, candidates)?;
        if costs.len() != demands * candidates {
            return Err(ProblemError::Shape {
                demands,
                candidates,
                got: costs.len(),
            });
        }
        if let Some((index, &value)) = weights.iter().enumerate().find(|(_, w)| !(**w >= 0.0 && w.is_finite())) {
            return Err(ProblemError::BadWeight { index, value });
        }
        if let Some((k, &value)) = costs.iter().enumerate().find(|(_, c)| c.is_nan() || **c < 0.0) {
            return Err(ProblemError::BadCost {
                demand: k / candidates.max(1),
                candidate: k % candidates.max(1),
                value,
            });
        }
        let mut required = required;
        required.sort_unstable();
        required.dedup();
        if let Some(&bad) = required.iter().find(|&&r| r >= candidates) {
            return Err(ProblemError::BadRequired(bad));
        }
        let mut by_candidate = vec![0.0; costs.len()];
        for i in 0..demands {
            for j in 0..candidates {
                by_candidate[j * demands + i] = costs[i * candidates + j];
            }
        }
        Ok(Self {
            demands,
            candidates,
            costs,
            by_candidate,
            weights,
            required,
        })
    }

    /// `Err(TooLarge)` when a table of `demands` × `candidates` would exceed [`MAX_PAIRS`]: check
    /// before computing the costs.
    pub fn check_size(demands: usize, candidates: usize) -> Result<(), ProblemError> {
        if demands.saturating_mul(candidates) > MAX_PAIRS {
            Err(ProblemError::TooLarge {
                demands,
                candidates,
                limit: MAX_PAIRS,
            })
        } else {
            Ok(())
        }
    }

    /// Number of demand points.
    pub fn demands(&self) -> usize {
        self.demands
    }

    /// Number of candidate sites.
    pub fn candidates(&self) -> usize {
        self.candidates
    }

    /// The cost from demand `i` to candidate `j`.
    pub fn cost(&self, i: usize, j: usize) -> f64 {
        self.costs[i * self.candidates + j]
    }

    /// The costs from demand `i` to every candidate.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.costs[i * self.candidates..(i + 1) * self.candidates]
    }

    /// The costs from every demand point to candidate `j`.
    pub fn column(&self, j: usize) -> &[f64] {
        &self.by_candidate[j * self.demands..(j + 1) * self.demands]
    }

    /// The weight of demand `i`.
    pub fn weight(&self, i: usize) -> f64 {
        self.weights[i]
    }

    /// Candidates that must be chosen, sorted.
    pub fn required(&self) -> &[usize] {
        &self.required
    }

    /// The same problem where a pair farther apart than `max_cost` costs `unserved_cost` instead:
    /// a maximum distance for the p-median model, with being out of reach charged as a penalty
    /// (pick `unserved_cost` well above `max_cost` so serving someone always beats not).
    ///
    /// ```
    /// use mahalleh::analysis::location::Problem;
    /// let problem = Problem::new(vec![1.0, 5.0, 9.0, 2.0], vec![1.0, 1.0], 2, vec![]).unwrap();
    /// let capped = problem.with_max_cost(4.0, 100.0);
    /// assert_eq!(capped.row(0), &[1.0, 100.0]);
    /// assert_eq!(capped.column(0), &[1.0, 100.0]);
    /// ```
    pub fn with_max_cost(&self, max_cost: f64, unserved_cost: f64) -> Self {
        let cap = |c: &f64| if *c > max_cost { unserved_cost } else { *c };
        Self {
            costs: self.costs.iter().map(cap).collect(),
            by_candidate: self.by_candidate.iter().map(cap).collect(),
            weights: self.weights.clone(),
            required: self.required.clone(),
            ..*self
        }
    }

    /// The demand-weighted cost of serving everyone from the nearest of `sites`.
    pub fn p_median_objective(&self, sites: &[usize]) -> f64 {
        (0..self.demands)
            .map(|i| {
                let row = self.row(i);
                let nearest = sites.iter().map(|&j| row[j]).fold(f64::INFINITY, f64::min);
                self.weights[i] * nearest
            })
            .sum()
    }
}
