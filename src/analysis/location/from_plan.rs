//! A location problem from the plan's map: demand at district label anchors weighted by
//! population times a priority (marginal settlements count more), candidates at district anchors,
//! on a regular grid over the districts, or at the placed offices; approved and operating offices
//! are required to stay. Costs are geodesic metres on the WGS 84 ellipsoid.

use geo::{Distance, Geodesic, Point};
use rayon::prelude::*;

use super::{Problem, ProblemError};
use crate::analysis::is_marginal;
use crate::model::{DistrictLayer, FieldPath, Office, OfficeStatus};

/// Where candidate sites come from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CandidateSource {
    /// Every district's label anchor.
    DistrictAnchors,
    /// A square grid over the districts, this many metres apart, points inside a district only.
    Grid {
        /// Spacing, metres.
        spacing_m: f64,
    },
    /// The offices already placed (proposed ones are the choice; others stay).
    Offices,
}

/// How demand is weighted.
#[derive(Clone, Debug, PartialEq)]
pub struct DemandWeights {
    /// The population field (`None`: a field named `population`; districts without a number
    /// count 1).
    pub population_field: Option<FieldPath>,
    /// Factor for marginal settlements (2: they count double).
    pub marginal_priority: f64,
}

impl Default for DemandWeights {
    fn default() -> Self {
        Self {
            population_field: None,
            marginal_priority: 2.0,
        }
    }
}

/// A problem built from a plan, with where its candidates are.
#[derive(Clone, Debug, PartialEq)]
pub struct MapProblem {
    /// The numbers.
    pub problem: Problem,
    /// Longitude/latitude of each candidate.
    pub candidates_lon_lat: Vec<[f64; 2]>,
    /// The district of each demand point (its position in the layer).
    pub demand_districts: Vec<usize>,
    /// Marginal settlement, per demand point: what set covering must cover.
    pub marginal: Vec<bool>,
}

/// Builds the problem: demand from `layer`, candidates from `source`, approved and operating
/// `offices` required (added as candidates when the source does not hold them).
pub fn problem_from_plan(
    layer: &DistrictLayer,
    offices: &[Office],
    source: CandidateSource,
    weights: &DemandWeights,
) -> Result<MapProblem, ProblemError> {
    let field = weights
        .population_field
        .clone()
        .unwrap_or_else(|| FieldPath::new("population"));
    let demand_districts: Vec<usize> = (0..layer.districts.len()).collect();
    let demand_lon_lat: Vec<[f64; 2]> = layer.drawing.districts.iter().map(|d| d.label_anchor_lon_lat).collect();
    let marginal: Vec<bool> = layer.districts.iter().map(|d| is_marginal(&d.properties)).collect();
    let demand_weights: Vec<f64> = layer
        .districts
        .iter()
        .zip(&marginal)
        .map(|(d, &m)| {
            let population = field.number_in(&d.properties).filter(|p| *p >= 0.0).unwrap_or(1.0);
            population * if m { weights.marginal_priority.max(0.0) } else { 1.0 }
        })
        .collect();
    let mut candidates: Vec<[f64; 2]> = match source {
        CandidateSource::DistrictAnchors => demand_lon_lat.clone(),
        CandidateSource::Grid { spacing_m } => grid(layer, spacing_m),
        CandidateSource::Offices => offices.iter().map(|o| o.lon_lat).collect(),
    };
    let mut required = Vec::new();
    for o in offices.iter().filter(|o| o.status != OfficeStatus::Proposed) {
        match candidates.iter().position(|c| *c == o.lon_lat) {
            Some(k) => required.push(k),
            None => {
                candidates.push(o.lon_lat);
                required.push(candidates.len() - 1);
            }
        }
    }
    let costs: Vec<f64> = demand_lon_lat
        .par_iter()
        .flat_map_iter(|&a| {
            let from = Point::new(a[0], a[1]);
            candidates
                .iter()
                .map(move |&b| Geodesic.distance(from, Point::new(b[0], b[1])))
        })
        .collect();
    let problem = Problem::new(costs, demand_weights, candidates.len(), required)?;
    Ok(MapProblem {
        problem,
        candidates_lon_lat: candidates,
        demand_districts,
        marginal,
    })
}

/// Grid points `spacing_m` apart (at the layer's middle latitude) that fall inside a district.
fn grid(layer: &DistrictLayer, spacing_m: f64) -> Vec<[f64; 2]> {
    let Some(b) = layer
        .districts
        .iter()
        .map(|d| d.bbox_lon_lat)
        .reduce(crate::model::union_rect)
    else {
        return Vec::new();
    };
    let spacing_m = spacing_m.max(10.0);
    let mid_lat = (b.min().y + b.max().y) / 2.0;
    let step_lat = spacing_m / 111_320.0;
    let step_lon = spacing_m / (111_320.0 * mid_lat.to_radians().cos().max(0.01));
    let columns = ((b.max().x - b.min().x) / step_lon).ceil() as usize + 1;
    let rows = ((b.max().y - b.min().y) / step_lat).ceil() as usize + 1;
    // A planner's grid of tens of thousands of points is already too fine to read.
    if columns.saturating_mul(rows) > 200_000 {
        return grid(layer, spacing_m * 2.0);
    }
    (0..rows)
        .flat_map(|r| (0..columns).map(move |c| [b.min().x + c as f64 * step_lon, b.min().y + r as f64 * step_lat]))
        .filter(|p| layer.district_at(p[0], p[1]).is_some())
        .collect()
}
