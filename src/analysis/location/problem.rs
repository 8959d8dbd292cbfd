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
}

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
