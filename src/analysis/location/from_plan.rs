//! A location problem from the plan's map: demand at district label anchors (or spread over each
//! district on a grid) weighted by population times a priority (marginal settlements count
//! more), candidates at district anchors,
//! on a regular grid over the districts, or at the placed offices; approved and operating offices
//! are required to stay. Costs are geodesic metres on the WGS 84 ellipsoid (by `EarthPoint`,
//! within a millimetre at city scale).

use std::sync::Arc;

use geo::{Contains, Point};
use rayon::prelude::*;

use super::{Problem, SolveControl, SuggestError};
use crate::analysis::EarthPoint;
use crate::model::is_marginal;
use crate::model::{FieldPath, Office, OfficeStatus};
use crate::workspace::{DistrictLayer, FeatureLayer};

/// Where candidate sites come from.
#[derive(Clone, Debug, PartialEq)]
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
    /// Given sites, longitude/latitude: a point layer's (municipal buildings, the only places
    /// that may host an office). With an area, only those inside its districts.
    Sites(Arc<[[f64; 2]]>),
}

/// A point of demand given by a point layer: households, buildings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DemandPoint {
    /// Where, longitude/latitude.
    pub lon_lat: [f64; 2],
    /// How many people (or how much demand) it stands for.
    pub weight: f64,
}

/// Where each district's demand sits.
#[derive(Clone, Debug, PartialEq)]
pub enum DemandPoints {
    /// One point at the district's label anchor carrying all its population.
    Anchors,
    /// Points on a square grid this many metres apart inside the district, sharing its
    /// population equally (by area: no finer population data is known); a district too small
    /// for any grid point keeps its anchor, and a large one gets a coarser grid of at most
    /// [`MAX_POINTS_PER_DISTRICT`] points.
    Spread {
        /// Spacing, metres.
        spacing_m: f64,
    },
    /// Given points (a point layer's, with a population field), each in the district that holds
    /// it, weighted by its own number times its district's priority; points outside every
    /// district (or outside the area) are left out.
    Given(Arc<[DemandPoint]>),
}

/// The points of a point layer as candidate sites (its lines and polygons are not sites).
pub fn sites_from_layer(layer: &FeatureLayer) -> Vec<[f64; 2]> {
    layer.features.iter().flat_map(|f| f.points.iter().copied()).collect()
}

/// The points of a point layer as demand, each weighing its `field`'s number (1 when the
/// field is not given or the feature has no number there, as districts without a population
/// count 1).
///
/// ```
/// use mahalleh::analysis::location::demand_from_layer;
/// use mahalleh::model::{FieldPath, LoadReport};
/// use mahalleh::model::Feature;
/// use mahalleh::workspace::FeatureLayer;
/// let home = |pop: u32| Feature {
///     file_index: 0,
///     points: vec![[54.36, 31.89]],
///     lines: Vec::new(),
///     polygons: geo::MultiPolygon::new(Vec::new()),
///     properties: serde_json::json!({ "pop": pop }).as_object().unwrap().clone(),
/// };
/// let layer = FeatureLayer::new("homes.geojson".into(), vec![home(5), home(3)], LoadReport::default());
/// let demand = demand_from_layer(&layer, Some(&FieldPath::new("pop")));
/// assert_eq!(demand.iter().map(|d| d.weight).sum::<f64>(), 8.0);
/// ```
pub fn demand_from_layer(layer: &FeatureLayer, field: Option<&FieldPath>) -> Vec<DemandPoint> {
    layer
        .features
        .iter()
        .flat_map(|f| {
            let weight = field
                .and_then(|field| field.number_in(&f.properties))
                .filter(|w| w.is_finite() && *w >= 0.0)
                .unwrap_or(1.0);
            f.points.iter().map(move |&lon_lat| DemandPoint { lon_lat, weight })
        })
        .collect()
}

/// The most demand points one district is spread over.
pub const MAX_POINTS_PER_DISTRICT: usize = 16;

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
    /// Longitude/latitude of each demand point.
    pub demand_lon_lat: Vec<[f64; 2]>,
    /// The district of each demand point (its position in the layer).
    pub demand_districts: Vec<usize>,
    /// Marginal settlement, per demand point: what set covering must cover.
    pub marginal: Vec<bool>,
}

/// Builds the problem: demand from `layer` placed as `demand` says, candidates from `source`,
/// approved and operating `offices` required (added as candidates when the source does not hold
/// them). With an `area` (district positions, sorted), demand and candidates come from those
/// districts only; required offices stay wherever they are. The geodesic cost table is the long
/// part: it reports progress to `control` and stops when cancelled.
pub fn problem_from_plan(
    layer: &DistrictLayer,
    offices: &[Office],
    source: CandidateSource,
    demand: DemandPoints,
    weights: &DemandWeights,
    area: Option<&[usize]>,
    control: &SolveControl,
) -> Result<MapProblem, SuggestError> {
    let in_area = |k: usize| area.is_none_or(|a| a.binary_search(&k).is_ok());
    let field = weights
        .population_field
        .clone()
        .unwrap_or_else(|| FieldPath::new("population"));
    let per_district: Vec<Vec<([f64; 2], Option<f64>)>> = match &demand {
        DemandPoints::Given(points) => {
            let mut per: Vec<Vec<([f64; 2], Option<f64>)>> = vec![Vec::new(); layer.districts.len()];
            for p in points.iter().filter(|p| p.weight.is_finite() && p.weight >= 0.0) {
                if let Some(k) = layer.district_at(p.lon_lat[0], p.lon_lat[1]).filter(|&k| in_area(k)) {
                    per[k].push((p.lon_lat, Some(p.weight)));
                }
            }
            per
        }
        _ => district_points(layer, &demand, &in_area)
            .into_iter()
            .map(|points| points.into_iter().map(|p| (p, None)).collect())
            .collect(),
    };
    let mut demand_districts = Vec::new();
    let mut demand_lon_lat = Vec::new();
    let mut marginal = Vec::new();
    let mut demand_weights = Vec::new();
    for (k, (district, points)) in layer.districts.iter().zip(&per_district).enumerate() {
        let marginal_here = is_marginal(&district.properties);
        let population = field
            .number_in(&district.properties)
            .filter(|p| *p >= 0.0)
            .unwrap_or(1.0);
        let priority = if marginal_here {
            weights.marginal_priority.max(0.0)
        } else {
            1.0
        };
        let weight = population * priority;
        for &(point, own) in points {
            demand_districts.push(k);
            demand_lon_lat.push(point);
            marginal.push(marginal_here);
            // A given point carries its own number; a district's points share its population.
            let share = match own {
                Some(own) => own * priority,
                None => weight / points.len() as f64,
            };
            demand_weights.push(share);
        }
    }
    let inside = |p: &[f64; 2]| layer.district_at(p[0], p[1]).is_some_and(in_area);
    let mut candidates: Vec<[f64; 2]> = match source {
        CandidateSource::DistrictAnchors => demand_lon_lat.clone(),
        CandidateSource::Grid { spacing_m } => grid(layer, spacing_m).into_iter().filter(|p| inside(p)).collect(),
        CandidateSource::Offices => offices
            .iter()
            .map(|o| o.lon_lat)
            .filter(|p| area.is_none() || inside(p))
            .collect(),
        CandidateSource::Sites(sites) => sites.iter().copied().filter(|p| area.is_none() || inside(p)).collect(),
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
    Problem::check_size(demand_lon_lat.len(), candidates.len())?;
    control.plan(demand_lon_lat.len() as u64);
    let to: Vec<EarthPoint> = candidates.iter().map(|&c| EarthPoint::from_lon_lat(c)).collect();
    let costs: Vec<f64> = demand_lon_lat
        .par_iter()
        .flat_map_iter(|&a| {
            let from = EarthPoint::from_lon_lat(a);
            // A cancelled build fills the rest with zeros and is thrown away below.
            let cancelled = control.is_cancelled();
            control.advance(1);
            to.iter().map(move |b| if cancelled { 0.0 } else { from.distance_m(b) })
        })
        .collect();
    control.check()?;
    let problem = Problem::new(costs, demand_weights, candidates.len(), required)?;
    Ok(MapProblem {
        problem,
        candidates_lon_lat: candidates,
        demand_lon_lat,
        demand_districts,
        marginal,
    })
}

/// The demand points of each district by `demand` (anchors or spread), empty outside the area.
fn district_points(
    layer: &DistrictLayer,
    demand: &DemandPoints,
    in_area: &(dyn Fn(usize) -> bool + Sync),
) -> Vec<Vec<[f64; 2]>> {
    match *demand {
        DemandPoints::Spread { spacing_m } => (0..layer.districts.len())
            .into_par_iter()
            .map(|k| {
                if in_area(k) {
                    spread_points(layer, k, spacing_m)
                } else {
                    Vec::new()
                }
            })
            .collect(),
        _ => (0..layer.districts.len())
            .map(|k| {
                if in_area(k) {
                    vec![layer.anchor_lon_lat(k)]
                } else {
                    Vec::new()
                }
            })
            .collect(),
    }
}

/// Demand points of district `k`: grid points `spacing_m` apart inside it (coarsened until at most
/// [`MAX_POINTS_PER_DISTRICT`]), or its label anchor when none falls inside.
fn spread_points(layer: &DistrictLayer, k: usize, spacing_m: f64) -> Vec<[f64; 2]> {
    let anchor = (k < layer.districts.len()).then(|| layer.anchor_lon_lat(k));
    let Some(district) = layer.districts.get(k) else {
        return Vec::new();
    };
    let b = district.bbox_lon_lat;
    let mid_lat = (b.min().y + b.max().y) / 2.0;
    let m_per_deg_lat = 111_320.0;
    let m_per_deg_lon = 111_320.0 * mid_lat.to_radians().cos().max(0.01);
    let width_m = (b.max().x - b.min().x) * m_per_deg_lon;
    let height_m = (b.max().y - b.min().y) * m_per_deg_lat;
    // The box holds at most the cap's worth of cells, so the grid is coarsened up front.
    let mut spacing_m = spacing_m
        .max(10.0)
        .max((width_m * height_m / MAX_POINTS_PER_DISTRICT as f64).sqrt());
    for _ in 0..8 {
        let step_lon = spacing_m / m_per_deg_lon;
        let step_lat = spacing_m / m_per_deg_lat;
        let columns = (width_m / spacing_m).floor() as usize + 1;
        let rows = (height_m / spacing_m).floor() as usize + 1;
        // Cell centres, so a grid over the box is centred on it.
        let x0 = b.min().x + ((b.max().x - b.min().x) - (columns - 1) as f64 * step_lon) / 2.0;
        let y0 = b.min().y + ((b.max().y - b.min().y) - (rows - 1) as f64 * step_lat) / 2.0;
        let points: Vec<[f64; 2]> = (0..rows)
            .flat_map(|r| (0..columns).map(move |c| [x0 + c as f64 * step_lon, y0 + r as f64 * step_lat]))
            .filter(|p| district.shape_lon_lat.contains(&Point::new(p[0], p[1])))
            .collect();
        if points.len() <= MAX_POINTS_PER_DISTRICT {
            return if points.is_empty() {
                anchor.into_iter().collect()
            } else {
                points
            };
        }
        spacing_m *= 1.25;
    }
    anchor.into_iter().collect()
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
