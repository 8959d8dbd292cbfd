//! Suggesting office sites on the plan's map: builds the problem from the districts and offices,
//! runs the chosen model, and reports the new sites with what each adds, the answer's quality,
//! and the figures a planner reads (residents within the radius, mean distance) before and after.

use std::sync::Arc;

use super::{
    Cancelled, CandidateSource, DemandPoints, DemandWeights, MapProblem, Problem, ProblemError, SolveControl,
    SolveOptions, problem_from_plan, solve_max_covering, solve_p_median, solve_set_covering,
};
use crate::analysis::coverage::nearest_office;
use crate::analysis::{CoverageModel, CoverageSummary};
use crate::model::{Office, OfficeId, OfficeStatus};
use crate::workspace::DistrictLayer;

/// The question asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Model {
    /// Least demand-weighted distance to the nearest office.
    PMedian,
    /// Most demand weight within the radius of the offices.
    MaxCovering,
    /// Fewest offices with every marginal settlement (every district when none is marked) within
    /// the radius.
    SetCovering,
}

impl Model {
    /// Every model, in menu order.
    pub const ALL: [Model; 3] = [Model::MaxCovering, Model::PMedian, Model::SetCovering];

    /// The command-line name: `p-median`, `mclp` or `lscp`.
    pub fn name(self) -> &'static str {
        match self {
            Model::PMedian => "p-median",
            Model::MaxCovering => "mclp",
            Model::SetCovering => "lscp",
        }
    }

    /// The model with a command-line name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// Everything the suggestion needs besides the map.
#[derive(Clone, Debug, PartialEq)]
pub struct SuggestRequest {
    /// The model.
    pub model: Model,
    /// How many offices to choose (p-median and maximal covering; set covering finds its own
    /// number).
    pub sites: SiteCount,
    /// Service radius, metres on the ellipsoid (covering models).
    pub radius_m: f64,
    /// Optional maximum distance, metres: p-median charges demand farther than this from every
    /// office as unserved (ten times the distance), so it serves as many as it can first; the
    /// covering models use it as their radius when it is shorter.
    pub max_distance_m: Option<f64>,
    /// Where candidate sites come from.
    pub candidates: CandidateSource,
    /// Where each district's demand sits.
    pub demand: DemandPoints,
    /// Population field and priority of marginal settlements.
    pub weights: DemandWeights,
    /// Approved and operating offices stay and count as chosen.
    pub keep_offices: bool,
    /// Proposed offices stay too and count as chosen.
    pub keep_proposed: bool,
    /// These offices stay too, whatever their status (e.g. the ones the planner selected).
    pub also_keep: Vec<OfficeId>,
    /// Only these districts (positions in the layer, sorted) give demand and candidate sites: the
    /// selected districts, or one city. `None`: all.
    pub area: Option<Vec<usize>>,
    /// The radius the plan's indicators use, metres (`None`: `radius_m`), so that the figures
    /// before and after are the indicator panel's own.
    pub indicator_radius_m: Option<f64>,
    /// Seed and effort of the search.
    pub options: SolveOptions,
}

impl Default for SuggestRequest {
    fn default() -> Self {
        Self {
            model: Model::MaxCovering,
            sites: SiteCount::New(5),
            radius_m: 800.0,
            max_distance_m: None,
            candidates: CandidateSource::DistrictAnchors,
            demand: DemandPoints::Anchors,
            weights: DemandWeights::default(),
            keep_offices: true,
            keep_proposed: false,
            also_keep: Vec::new(),
            area: None,
            indicator_radius_m: None,
            options: SolveOptions::default(),
        }
    }
}

/// How many offices the suggestion chooses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteCount {
    /// This many new ones besides the kept offices.
    New(usize),
    /// This many in all, kept offices included (never fewer than those).
    Total(usize),
}

/// Why no suggestion came.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SuggestError {
    /// The map has no districts.
    #[error("the map has no districts to serve")]
    NoDistricts,
    /// No candidate site to choose from.
    #[error("there are no candidate sites (for placed offices as candidates, place some first)")]
    NoCandidates,
    /// The numbers could not make a problem.
    #[error(transparent)]
    Problem(#[from] ProblemError),
    /// Cancelled before the answer was ready.
    #[error(transparent)]
    Cancelled(#[from] Cancelled),
}

/// One suggested new office.
#[derive(Clone, Debug, PartialEq)]
pub struct SuggestedSite {
    /// Its candidate index in the problem.
    pub candidate: usize,
    /// Where, WGS 84 longitude and latitude.
    pub lon_lat: [f64; 2],
    /// The district it stands in.
    pub district: Option<usize>,
    /// The placed office at this site, when candidates are the placed offices.
    pub existing_office: Option<OfficeId>,
    /// The nearest office already in the plan (kept or not) and its geodesic distance, metres:
    /// a suggestion within the radius of one lands next to it.
    pub nearest_office: Option<(OfficeId, f64)>,
    /// What it adds. p-median: how much the demand-weighted geodesic distance (weight × metres)
    /// would grow without it; covering models: the demand weight only it reaches within the radius.
    pub contribution: f64,
}

/// Reach of a set of offices, in the planner's terms.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Reach {
    /// Demand weight within the radius of an office.
    pub within_radius: f64,
    /// Demand-weighted mean distance to the nearest office, metres (infinite with no office).
    pub mean_distance_m: f64,
}

/// The answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// The model that answered.
    pub model: Model,
    /// Every chosen candidate (kept and new), sorted.
    pub chosen: Vec<usize>,
    /// Where each candidate is, WGS 84 longitude and latitude.
    pub candidates_lon_lat: Vec<[f64; 2]>,
    /// New sites, in the order the solver returned them (by candidate index).
    pub sites: Vec<SuggestedSite>,
    /// Offices kept as they are (approved and operating ones).
    pub kept: usize,
    /// p-median: demand-weighted distance (with unserved penalties); maximal covering: covered
    /// weight; set covering: number of offices.
    pub objective: f64,
    /// The bound on the best possible objective (below it for p-median and set covering, above
    /// for maximal covering).
    pub bound: f64,
    /// How far from the best possible the answer can at most be, 0..1.
    pub gap: f64,
    /// The radius the reach figures use, metres.
    pub radius_m: f64,
    /// Set covering covered the marginal settlements (false: none is marked, so every district).
    pub marginal_only: bool,
    /// The maximum distance applied, metres (p-median objectives then include penalties).
    pub max_distance_m: Option<f64>,
    /// All demand weight.
    pub total_weight: f64,
    /// Reach of the kept offices alone, in the problem's weighted demand.
    pub before: Reach,
    /// Reach of the kept offices with the new sites, in the problem's weighted demand.
    pub after: Reach,
    /// The plan's indicators now (every office in the plan), as the indicator panel shows them.
    pub indicators_before: CoverageSummary,
    /// The plan's indicators once every new site is accepted as an office.
    pub indicators_after: CoverageSummary,
    /// The radius of those indicators, metres.
    pub indicator_radius_m: f64,
    /// Districts the answer leaves out of reach: for set covering, those that must be covered but
    /// no candidate reaches; with a maximum distance, those beyond it from every office.
    pub unreached_districts: Vec<usize>,
    /// Demand points and candidate sites of the problem.
    pub size: (usize, usize),
}

/// Suggests sites for new offices on `layer` around the placed `offices`.
pub fn suggest_sites(
    layer: &Arc<DistrictLayer>,
    offices: &[Office],
    request: &SuggestRequest,
    control: &SolveControl,
) -> Result<Suggestion, SuggestError> {
    if layer.districts.is_empty() {
        return Err(SuggestError::NoDistricts);
    }
    let plan_offices = offices;
    // The problem keeps offices that are not proposed: a kept office counts as chosen, any other
    // is just a candidate like the others.
    let offices: Vec<Office> = offices
        .iter()
        .map(|o| {
            let kept = request.also_keep.contains(&o.id)
                || (request.keep_offices && o.status != OfficeStatus::Proposed)
                || (request.keep_proposed && o.status == OfficeStatus::Proposed);
            let mut o = o.clone();
            o.status = if kept {
                OfficeStatus::Approved
            } else {
                OfficeStatus::Proposed
            };
            o
        })
        .collect();
    let map = problem_from_plan(
        layer,
        &offices,
        request.candidates.clone(),
        request.demand.clone(),
        &request.weights,
        request.area.as_deref(),
        control,
    )?;
    let geodesic = &map.problem;
    if geodesic.candidates() == 0 {
        return Err(SuggestError::NoCandidates);
    }
    let radius_m = match request.max_distance_m {
        Some(max) if max > 0.0 => request.radius_m.min(max),
        _ => request.radius_m,
    };
    let required = geodesic.required().to_vec();
    let p = match request.sites {
        SiteCount::New(n) => required.len() + n,
        SiteCount::Total(p) => p.max(required.len()),
    }
    .min(geodesic.candidates());
    // p-median with a maximum distance works on costs where being out of reach is a penalty.
    let capped = match (request.model, request.max_distance_m) {
        (Model::PMedian, Some(max)) if max > 0.0 => Some(geodesic.with_max_cost(max, max * UNSERVED_FACTOR)),
        _ => None,
    };
    let p_median_costs = capped.as_ref().unwrap_or(geodesic);
    let (chosen, objective, bound, gap, uncoverable) = match request.model {
        Model::PMedian => {
            let s = solve_p_median(p_median_costs, p, &request.options, control)?;
            let gap = s.gap();
            (s.chosen, s.objective, s.bound, gap, Vec::new())
        }
        Model::MaxCovering => {
            let s = solve_max_covering(geodesic, p, radius_m, &request.options, control)?;
            let gap = s.gap();
            (s.chosen, s.covered, s.bound, gap, Vec::new())
        }
        Model::SetCovering => {
            let must = must_cover(&map);
            let s = solve_set_covering(geodesic, radius_m, &must, request.options.bound_iterations, control)?;
            let gap = s.gap();
            (
                s.chosen.clone(),
                s.chosen.len() as f64,
                s.bound as f64,
                gap,
                s.uncoverable,
            )
        }
    };
    let distance_with_all = geodesic.p_median_objective(&chosen);
    let contribution = |j: usize| -> f64 {
        let without: Vec<usize> = chosen.iter().copied().filter(|&k| k != j).collect();
        match request.model {
            // On the true distances, also under a maximum distance: what a resident walks.
            Model::PMedian => geodesic.p_median_objective(&without) - distance_with_all,
            _ => only_reached_by(geodesic, &chosen, j, radius_m),
        }
    };
    let sites: Vec<SuggestedSite> = chosen
        .iter()
        .copied()
        .filter(|j| !required.contains(j))
        .map(|j| {
            let lon_lat = map.candidates_lon_lat[j];
            let (nearest, nearest_m) = nearest_office(lon_lat, plan_offices);
            SuggestedSite {
                candidate: j,
                lon_lat,
                district: layer.district_at(lon_lat[0], lon_lat[1]),
                existing_office: offices.iter().find(|o| o.lon_lat == lon_lat).map(|o| o.id),
                nearest_office: nearest.zip(nearest_m),
                contribution: contribution(j),
            }
        })
        .collect();
    let mut unreached: Vec<usize> = uncoverable.iter().map(|&i| map.demand_districts[i]).collect();
    if let Some(max) = request.max_distance_m.filter(|m| *m > 0.0) {
        unreached.extend(
            (0..geodesic.demands())
                .filter(|&i| chosen.iter().all(|&j| geodesic.cost(i, j) > max))
                .map(|i| map.demand_districts[i]),
        );
    }
    unreached.sort_unstable();
    unreached.dedup();
    let before = reach(geodesic, &required, radius_m);
    let after = reach(geodesic, &chosen, radius_m);
    // The indicator panel's figures, by its own code: every office of the plan, then with the
    // new sites as offices.
    let indicator_radius_m = request.indicator_radius_m.unwrap_or(request.radius_m);
    let coverage = CoverageModel::new(Arc::clone(layer), request.weights.population_field.as_ref());
    let indicators_before = coverage.compute(plan_offices, indicator_radius_m).summary;
    let first_new_id = plan_offices.iter().map(|o| o.id.0 + 1).max().unwrap_or(1);
    let with_sites: Vec<Office> = plan_offices
        .iter()
        .cloned()
        .chain(
            sites
                .iter()
                .filter(|s| s.existing_office.is_none())
                .enumerate()
                .map(|(k, s)| Office::proposed(OfficeId(first_new_id + k as u64), "", s.lon_lat)),
        )
        .collect();
    let indicators_after = coverage.compute(&with_sites, indicator_radius_m).summary;
    Ok(Suggestion {
        model: request.model,
        chosen,
        candidates_lon_lat: map.candidates_lon_lat,
        sites,
        kept: required.len(),
        objective,
        bound,
        gap,
        radius_m,
        marginal_only: map.marginal.iter().any(|&m| m),
        max_distance_m: request.max_distance_m.filter(|m| *m > 0.0),
        total_weight: (0..geodesic.demands()).map(|i| geodesic.weight(i)).sum(),
        before,
        after,
        indicators_before,
        indicators_after,
        indicator_radius_m,
        unreached_districts: unreached,
        size: (geodesic.demands(), geodesic.candidates()),
    })
}

/// Unserved demand (beyond the maximum distance) costs this many times the maximum distance.
const UNSERVED_FACTOR: f64 = 10.0;

/// What set covering must cover: marginal settlements, or every point when none is marked.
fn must_cover(map: &MapProblem) -> Vec<bool> {
    if map.marginal.iter().any(|&m| m) {
        map.marginal.clone()
    } else {
        vec![true; map.marginal.len()]
    }
}

/// Demand weight within `radius_m` of `j` and of no other chosen site.
fn only_reached_by(problem: &Problem, chosen: &[usize], j: usize, radius_m: f64) -> f64 {
    (0..problem.demands())
        .filter(|&i| problem.cost(i, j) <= radius_m)
        .filter(|&i| chosen.iter().all(|&k| k == j || problem.cost(i, k) > radius_m))
        .map(|i| problem.weight(i))
        .sum()
}

/// Weight within `radius_m` of `sites` and the weighted mean distance to the nearest one.
fn reach(problem: &Problem, sites: &[usize], radius_m: f64) -> Reach {
    let mut within = 0.0;
    let mut weighted_m = 0.0;
    let mut weight = 0.0;
    for i in 0..problem.demands() {
        let nearest = sites.iter().map(|&j| problem.cost(i, j)).fold(f64::INFINITY, f64::min);
        let w = problem.weight(i);
        if nearest <= radius_m {
            within += w;
        }
        weighted_m += w * nearest;
        weight += w;
    }
    Reach {
        within_radius: within,
        mean_distance_m: if weight > 0.0 {
            weighted_m / weight
        } else {
            f64::INFINITY
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::District;
    use geo::{MultiPolygon, polygon};
    use serde_json::{Map, Value, json};
    use std::path::PathBuf;

    /// A row of `n` square districts 0.01° wide (about 1 km at 32° N), population 100 each, the
    /// first two marginal.
    fn row_of_districts(n: usize) -> Arc<DistrictLayer> {
        let districts = (0..n)
            .filter_map(|k| {
                let x = 54.0 + k as f64 * 0.01;
                let shape = MultiPolygon(vec![polygon![
                    (x: x, y: 32.0), (x: x + 0.01, y: 32.0), (x: x + 0.01, y: 32.01), (x: x, y: 32.01)
                ]]);
                let mut properties = Map::new();
                properties.insert("name".into(), Value::String(format!("d{k}")));
                properties.insert("population".into(), json!(100));
                if k < 2 {
                    properties.insert("settlement".into(), json!("marginal"));
                }
                District::new(k, shape, properties)
            })
            .collect();
        Arc::new(DistrictLayer::from_districts(PathBuf::from("row.geojson"), districts))
    }

    #[test]
    fn covering_one_site_reaches_the_heaviest_neighbourhood_and_reports_quality() {
        let layer = row_of_districts(6);
        let request = SuggestRequest {
            model: Model::MaxCovering,
            sites: SiteCount::New(1),
            radius_m: 1_200.0,
            ..SuggestRequest::default()
        };
        let s = suggest_sites(&layer, &[], &request, &SolveControl::default()).unwrap();
        assert_eq!(s.sites.len(), 1);
        // Districts 0 and 1 weigh 200 each: a site in 0 or 1 reaches both (940 m apart) and one
        // neighbour more at most.
        let site = &s.sites[0];
        assert!(matches!(site.district, Some(0..=2)), "{site:?}");
        assert!((s.objective - 500.0).abs() < 1e-6, "{}", s.objective);
        assert!(s.gap < 1e-9);
        assert_eq!(s.before.within_radius, 0.0);
        assert!((s.after.within_radius - 500.0).abs() < 1e-6);
        assert!(
            (site.contribution - 500.0).abs() < 1e-6,
            "alone, it reaches all it covers"
        );
        assert_eq!(s.total_weight, 800.0);
    }

    #[test]
    fn approved_offices_stay_and_set_covering_reaches_the_marginal_districts() {
        let layer = row_of_districts(6);
        let mut approved = Office::proposed(OfficeId(1), "far", [54.055, 32.005]);
        approved.status = OfficeStatus::Approved;
        let request = SuggestRequest {
            model: Model::SetCovering,
            radius_m: 600.0,
            ..SuggestRequest::default()
        };
        let s = suggest_sites(&layer, &[approved], &request, &SolveControl::default()).unwrap();
        assert_eq!(s.kept, 1);
        // The two marginal districts' anchors are ~940 m apart: one site cannot reach both
        // within 600 m.
        assert_eq!(s.sites.len(), 2, "{:?}", s.sites);
        assert_eq!(s.objective, 3.0, "two new and the approved one");
        assert!(s.marginal_only, "the two marked districts were what had to be covered");
        assert!(s.unreached_districts.is_empty());
    }

    #[test]
    fn an_office_kept_by_name_stays_whatever_its_status() {
        let layer = row_of_districts(6);
        let proposed = Office::proposed(OfficeId(7), "here", [54.005, 32.005]);
        let request = SuggestRequest {
            model: Model::MaxCovering,
            sites: SiteCount::New(1),
            radius_m: 1_200.0,
            ..SuggestRequest::default()
        };
        let free = suggest_sites(
            &layer,
            std::slice::from_ref(&proposed),
            &request,
            &SolveControl::default(),
        )
        .unwrap();
        assert_eq!(free.kept, 0);
        let kept = SuggestRequest {
            also_keep: vec![OfficeId(7)],
            ..request
        };
        let s = suggest_sites(&layer, &[proposed], &kept, &SolveControl::default()).unwrap();
        assert_eq!(s.kept, 1);
        assert_eq!(s.chosen.len(), 2, "the kept office and one new site");
        // The office in district 0 reaches 0 and 1 (400); the best partner reaches 2..4 (300).
        assert!(
            (s.after.within_radius - 700.0).abs() < 1e-6,
            "{}",
            s.after.within_radius
        );
        assert!((s.before.within_radius - 400.0).abs() < 1e-6);
        assert!(matches!(s.sites[0].district, Some(3)), "{:?}", s.sites);
    }

    #[test]
    fn spread_demand_splits_each_district_and_a_cancelled_solve_says_so() {
        let layer = row_of_districts(3);
        let map = problem_from_plan(
            &layer,
            &[],
            CandidateSource::DistrictAnchors,
            DemandPoints::Spread { spacing_m: 300.0 },
            &DemandWeights::default(),
            None,
            &SolveControl::default(),
        )
        .unwrap();
        assert!(
            map.problem.demands() > 3 && map.problem.demands() <= 3 * 16,
            "{}",
            map.problem.demands()
        );
        let weight: f64 = (0..map.problem.demands()).map(|i| map.problem.weight(i)).sum();
        assert!((weight - 500.0).abs() < 1e-9, "marginal ones double: {weight}");
        let control = SolveControl::default();
        control.cancel();
        let request = SuggestRequest {
            model: Model::PMedian,
            ..SuggestRequest::default()
        };
        let got = suggest_sites(&layer, &[], &request, &control);
        assert_eq!(got, Err(SuggestError::Cancelled(Cancelled)));
    }

    #[test]
    fn a_maximum_distance_lists_districts_beyond_it() {
        let layer = row_of_districts(8);
        let request = SuggestRequest {
            model: Model::PMedian,
            sites: SiteCount::New(1),
            max_distance_m: Some(2_000.0),
            ..SuggestRequest::default()
        };
        let s = suggest_sites(&layer, &[], &request, &SolveControl::default()).unwrap();
        // One site reaches at most five anchors (two each side) within 2 km; the rest are listed.
        assert_eq!(s.unreached_districts.len(), 3, "{:?}", s.unreached_districts);
        assert!(s.sites[0].contribution > 0.0);
    }

    #[test]
    fn the_indicators_before_and_after_are_the_coverage_models_own() {
        let layer = row_of_districts(6);
        let proposed = Office::proposed(OfficeId(3), "there", [54.025, 32.005]);
        let request = SuggestRequest {
            model: Model::MaxCovering,
            sites: SiteCount::New(2),
            radius_m: 700.0,
            indicator_radius_m: Some(900.0),
            ..SuggestRequest::default()
        };
        let s = suggest_sites(
            &layer,
            std::slice::from_ref(&proposed),
            &request,
            &SolveControl::default(),
        )
        .unwrap();
        let model = CoverageModel::new(Arc::clone(&layer), None);
        assert_eq!(
            s.indicators_before,
            model.compute(std::slice::from_ref(&proposed), 900.0).summary
        );
        let mut all = vec![proposed.clone()];
        all.extend(
            s.sites
                .iter()
                .enumerate()
                .map(|(k, site)| Office::proposed(OfficeId(10 + k as u64), "n", site.lon_lat)),
        );
        assert_eq!(s.indicators_after, model.compute(&all, 900.0).summary);
        assert_eq!(s.indicator_radius_m, 900.0);
        // Every site knows how far the plan's office is.
        for site in &s.sites {
            let (id, m) = site.nearest_office.unwrap();
            assert_eq!(id, OfficeId(3));
            assert!(m > 0.0, "{site:?}");
        }
    }

    #[test]
    fn keeping_proposed_offices_and_limiting_to_an_area() {
        let layer = row_of_districts(6);
        let proposed = Office::proposed(OfficeId(3), "there", [54.005, 32.005]);
        let request = SuggestRequest {
            model: Model::MaxCovering,
            sites: SiteCount::New(1),
            radius_m: 1_200.0,
            ..SuggestRequest::default()
        };
        let free = suggest_sites(
            &layer,
            std::slice::from_ref(&proposed),
            &request,
            &SolveControl::default(),
        )
        .unwrap();
        assert_eq!(free.kept, 0, "a proposed office is only a candidate by default");
        let kept = SuggestRequest {
            keep_proposed: true,
            ..request.clone()
        };
        let s = suggest_sites(&layer, std::slice::from_ref(&proposed), &kept, &SolveControl::default()).unwrap();
        assert_eq!(s.kept, 1);
        assert!(
            matches!(s.sites[0].district, Some(3)),
            "the new site goes where the kept one does not reach"
        );
        // Only districts 4 and 5: demand and candidates from there alone.
        let area = SuggestRequest {
            area: Some(vec![4, 5]),
            ..request
        };
        let s = suggest_sites(&layer, &[], &area, &SolveControl::default()).unwrap();
        assert_eq!(s.size, (2, 2));
        assert!(matches!(s.sites[0].district, Some(4 | 5)), "{:?}", s.sites);
    }
}
