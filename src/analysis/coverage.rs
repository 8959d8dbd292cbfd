//! Coverage: for each district, the share of its area within the service radius of at least one
//! office (from the true intersection of the district with the geodesic circles), the population
//! that reaches an office, and the nearest office from the district's label anchor. Areas and
//! distances are measured on the WGS 84 ellipsoid.

use std::sync::Arc;

use geo::{BooleanOps, BoundingRect, Distance, Geodesic, Haversine, MultiPolygon, Point, Rect};
use rayon::prelude::*;

use super::geodesic_area::area_m2;
use super::geodesic_circle::{CIRCLE_SEGMENTS, geodesic_circle};
use crate::model::{FieldPath, Office, OfficeId, is_marginal, union_rect};
use crate::workspace::DistrictLayer;

/// A district is "reached" when at least this share of its area is covered.
pub const REACHED_FRACTION: f64 = 0.5;

/// What is known of each district before any office is placed: computed once per layer.
pub struct CoverageModel {
    layer: Arc<DistrictLayer>,
    /// Geodesic area of each district, m².
    pub areas_m2: Vec<f64>,
    /// Population of each district, when the population field has a number.
    pub populations: Vec<Option<f64>>,
    /// Whether each district is a marginal settlement.
    pub marginal: Vec<bool>,
    /// The population field asked for (`None`: a field named `population`).
    population_field: Option<FieldPath>,
}

/// Coverage of one district.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DistrictCoverage {
    /// Position of the district in the layer.
    pub district: usize,
    /// The district's area on the WGS 84 ellipsoid, m².
    pub area_m2: f64,
    /// Share of the district's area within reach of an office, 0..1.
    pub covered_fraction: f64,
    /// Population living within reach, area-weighted; `None` without a population figure.
    pub population_reached: Option<f64>,
    /// The office nearest the district's label anchor.
    pub nearest_office: Option<OfficeId>,
    /// Geodesic distance from the label anchor to that office, metres.
    pub nearest_office_m: Option<f64>,
}

/// The plan's indicators.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct CoverageSummary {
    /// Offices in the plan.
    pub offices: usize,
    /// Population of all districts with a population figure.
    pub population_total: f64,
    /// Population within reach of an office.
    pub population_reached: f64,
    /// `population_reached / population_total`, when there is a population.
    pub population_share: Option<f64>,
    /// Marginal districts in the layer.
    pub marginal_total: usize,
    /// Marginal districts with at least half their area within reach.
    pub marginal_reached: usize,
    /// Mean distance from a district's label anchor to its nearest office, metres.
    pub mean_nearest_m: Option<f64>,
    /// Largest such distance, metres.
    pub worst_nearest_m: Option<f64>,
}

/// Coverage of every district, and the indicators.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Coverage {
    /// Per district, in layer order.
    pub districts: Vec<DistrictCoverage>,
    /// The indicators.
    pub summary: CoverageSummary,
}

impl CoverageModel {
    /// The layer this model measures.
    pub fn layer(&self) -> &Arc<DistrictLayer> {
        &self.layer
    }

    /// Prepares `layer`; populations come from `population_field` (or a field named
    /// `population` when `None`).
    pub fn new(layer: Arc<DistrictLayer>, population_field: Option<&FieldPath>) -> Self {
        let field = population_field
            .cloned()
            .unwrap_or_else(|| FieldPath::new("population"));
        let areas_m2 = layer.districts.par_iter().map(|d| area_m2(&d.shape_lon_lat)).collect();
        let populations = layer.districts.iter().map(|d| field.number_in(&d.properties)).collect();
        let marginal = layer.districts.iter().map(|d| is_marginal(&d.properties)).collect();
        Self {
            layer,
            areas_m2,
            populations,
            marginal,
            population_field: population_field.cloned(),
        }
    }

    /// The population field the model was made with (`None`: a field named `population`).
    pub fn population_field(&self) -> Option<&FieldPath> {
        self.population_field.as_ref()
    }

    /// The same layer with populations from `population_field`; the areas (the costly part)
    /// are kept.
    pub fn with_population_field(&self, population_field: Option<&FieldPath>) -> Self {
        let field = population_field
            .cloned()
            .unwrap_or_else(|| FieldPath::new("population"));
        Self {
            layer: Arc::clone(&self.layer),
            areas_m2: self.areas_m2.clone(),
            populations: self
                .layer
                .districts
                .iter()
                .map(|d| field.number_in(&d.properties))
                .collect(),
            marginal: self.marginal.clone(),
            population_field: population_field.cloned(),
        }
    }

    /// Coverage of all districts by `offices` with catchments of `radius_m`.
    ///
    /// ```
    /// # let layer = std::sync::Arc::new(mahalleh::workspace::DistrictLayer::from_districts("x".into(), vec![]));
    /// use mahalleh::analysis::CoverageModel;
    /// let coverage = CoverageModel::new(layer, None).compute(&[], 800.0);
    /// assert_eq!(coverage.summary.offices, 0);
    /// ```
    pub fn compute(&self, offices: &[Office], radius_m: f64) -> Coverage {
        let circles = Circles::new(offices, radius_m);
        let districts = (0..self.layer.districts.len())
            .into_par_iter()
            .map(|i| self.district_coverage(i, offices, &circles))
            .collect();
        let mut coverage = Coverage {
            districts,
            summary: CoverageSummary::default(),
        };
        coverage.summary = self.summarise(&coverage.districts, offices.len());
        coverage
    }

    /// Recomputes only what office moves can have changed, for live feedback while an office is
    /// dragged. `moved` lists each office that moved, was added or was removed, with its old
    /// position (`None` for a new office); `offices` is the plan after the change.
    pub fn update(
        &self,
        coverage: &mut Coverage,
        offices: &[Office],
        radius_m: f64,
        moved: &[(OfficeId, Option<[f64; 2]>)],
    ) {
        if coverage.districts.len() != self.layer.districts.len() {
            *coverage = self.compute(offices, radius_m);
            return;
        }
        // Areas: only districts near an old or new position.
        let mut touched: Vec<usize> = Vec::new();
        let new_positions = moved
            .iter()
            .filter_map(|(id, _)| offices.iter().find(|o| o.id == *id).map(|o| o.lon_lat));
        for at in moved.iter().filter_map(|(_, old)| *old).chain(new_positions) {
            let reach = catchment_bbox(at, radius_m);
            touched.extend(
                self.layer
                    .index
                    .districts_in_bbox([reach.min().x, reach.min().y], [reach.max().x, reach.max().y]),
            );
        }
        touched.sort_unstable();
        touched.dedup();
        // Only circles that can reach a touched district matter; building all of them would cost
        // more than the clipping.
        let reach = touched
            .iter()
            .map(|&i| self.layer.districts[i].bbox_lon_lat)
            .reduce(union_rect);
        let nearby: Vec<Office> = match reach {
            Some(r) => offices
                .iter()
                .filter(|o| rects_meet(catchment_bbox(o.lon_lat, radius_m), r))
                .cloned()
                .collect(),
            None => Vec::new(),
        };
        let circles = Circles::new(&nearby, radius_m);
        let fresh: Vec<(usize, f64)> = touched
            .par_iter()
            .map(|&i| {
                let d = &self.layer.districts[i];
                (
                    i,
                    circles.covered_fraction(&d.shape_lon_lat, d.bbox_lon_lat, self.areas_m2[i]),
                )
            })
            .collect();
        for (i, fraction) in fresh {
            let c = &mut coverage.districts[i];
            c.covered_fraction = fraction;
            c.population_reached = self.populations[i].map(|p| p * fraction);
        }
        // Nearest offices: a district whose nearest office moved looks again at all offices;
        // any other only asks whether a moved office is now nearer.
        let moved_ids: Vec<OfficeId> = moved.iter().map(|(id, _)| *id).collect();
        let moved_now: Vec<&Office> = offices.iter().filter(|o| moved_ids.contains(&o.id)).collect();
        coverage.districts.par_iter_mut().for_each(|c| {
            let anchor = self.layer.anchor_lon_lat(c.district);
            if c.nearest_office.is_none_or(|id| moved_ids.contains(&id)) {
                (c.nearest_office, c.nearest_office_m) = nearest_office(anchor, offices);
                return;
            }
            let here = Point::new(anchor[0], anchor[1]);
            let current = c.nearest_office_m.unwrap_or(f64::INFINITY);
            for o in &moved_now {
                let there = Point::new(o.lon_lat[0], o.lon_lat[1]);
                if Haversine.distance(here, there) > current * 1.01 + 1.0 {
                    continue;
                }
                let m = Geodesic.distance(here, there);
                if m < c.nearest_office_m.unwrap_or(f64::INFINITY) {
                    c.nearest_office = Some(o.id);
                    c.nearest_office_m = Some(m);
                }
            }
        });
        coverage.summary = self.summarise(&coverage.districts, offices.len());
    }

    fn district_coverage(&self, i: usize, offices: &[Office], circles: &Circles) -> DistrictCoverage {
        let d = &self.layer.districts[i];
        let covered_fraction = circles.covered_fraction(&d.shape_lon_lat, d.bbox_lon_lat, self.areas_m2[i]);
        let (nearest_office, nearest_office_m) = nearest_office(self.layer.anchor_lon_lat(i), offices);
        DistrictCoverage {
            district: i,
            area_m2: self.areas_m2[i],
            covered_fraction,
            population_reached: self.populations[i].map(|p| p * covered_fraction),
            nearest_office,
            nearest_office_m,
        }
    }

    fn summarise(&self, districts: &[DistrictCoverage], offices: usize) -> CoverageSummary {
        let population_total: f64 = self.populations.iter().flatten().sum();
        let population_reached: f64 = districts.iter().filter_map(|c| c.population_reached).sum();
        let marginal_total = self.marginal.iter().filter(|&&m| m).count();
        let marginal_reached = districts
            .iter()
            .filter(|c| self.marginal[c.district] && c.covered_fraction >= REACHED_FRACTION)
            .count();
        let distances: Vec<f64> = districts.iter().filter_map(|c| c.nearest_office_m).collect();
        CoverageSummary {
            offices,
            population_total,
            population_reached,
            population_share: (population_total > 0.0).then(|| population_reached / population_total),
            marginal_total,
            marginal_reached,
            mean_nearest_m: (!distances.is_empty()).then(|| distances.iter().sum::<f64>() / distances.len() as f64),
            worst_nearest_m: distances.iter().copied().reduce(f64::max),
        }
    }
}

/// The catchment circles of a plan, with their bounding boxes for quick rejection.
struct Circles {
    polygons: Vec<(Rect<f64>, MultiPolygon<f64>)>,
}

impl Circles {
    fn new(offices: &[Office], radius_m: f64) -> Self {
        let polygons = offices
            .par_iter()
            .map(|o| {
                let circle = geodesic_circle(o.lon_lat, radius_m, CIRCLE_SEGMENTS);
                let bbox = circle
                    .bounding_rect()
                    .unwrap_or_else(|| catchment_bbox(o.lon_lat, radius_m));
                (bbox, MultiPolygon::new(vec![circle]))
            })
            .collect();
        Self { polygons }
    }

    fn covered_fraction(&self, shape: &MultiPolygon<f64>, bbox: Rect<f64>, district_m2: f64) -> f64 {
        if district_m2 <= 0.0 {
            return 0.0;
        }
        let mut union: Option<MultiPolygon<f64>> = None;
        for (circle_bbox, circle) in &self.polygons {
            if !rects_meet(*circle_bbox, bbox) {
                continue;
            }
            union = Some(match union {
                None => circle.clone(),
                Some(u) => u.union(circle),
            });
        }
        let Some(union) = union else { return 0.0 };
        let covered = area_m2(&shape.intersection(&union));
        (covered / district_m2).clamp(0.0, 1.0)
    }
}

fn rects_meet(a: Rect<f64>, b: Rect<f64>) -> bool {
    a.min().x <= b.max().x && b.min().x <= a.max().x && a.min().y <= b.max().y && b.min().y <= a.max().y
}

/// A longitude/latitude box safely containing the catchment of radius `radius_m` around `at`.
fn catchment_bbox(at: [f64; 2], radius_m: f64) -> Rect<f64> {
    let dlat = radius_m / 110_000.0 * 1.02;
    let dlon = radius_m / (111_000.0 * at[1].to_radians().cos().max(0.01)) * 1.02;
    Rect::new(
        geo::coord! {x: at[0] - dlon, y: at[1] - dlat},
        geo::coord! {x: at[0] + dlon, y: at[1] + dlat},
    )
}

/// The office nearest `at` on the ellipsoid, and its distance in metres. Candidates are
/// screened on the sphere (within 1% of the nearest there), then measured geodesically.
pub fn nearest_office(at: [f64; 2], offices: &[Office]) -> (Option<OfficeId>, Option<f64>) {
    let here = Point::new(at[0], at[1]);
    let spherical: Vec<f64> = offices
        .iter()
        .map(|o| Haversine.distance(here, Point::new(o.lon_lat[0], o.lon_lat[1])))
        .collect();
    let Some(best) = spherical.iter().copied().reduce(f64::min) else {
        return (None, None);
    };
    let mut nearest: Option<(OfficeId, f64)> = None;
    for (o, s) in offices.iter().zip(&spherical) {
        if *s > best * 1.01 + 1.0 {
            continue;
        }
        let m = Geodesic.distance(here, Point::new(o.lon_lat[0], o.lon_lat[1]));
        if nearest.is_none_or(|(_, b)| m < b) {
            nearest = Some((o.id, m));
        }
    }
    (nearest.map(|n| n.0), nearest.map(|n| n.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_population_field_keeps_the_areas_and_reads_the_new_field() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
        let layer =
            Arc::new(crate::io::load_district_layer(&path, &Default::default(), &crate::io::no_progress).unwrap());
        let households = FieldPath::new("households");
        let fresh = CoverageModel::new(Arc::clone(&layer), Some(&households));
        let switched = CoverageModel::new(Arc::clone(&layer), None).with_population_field(Some(&households));
        assert_eq!(switched.areas_m2, fresh.areas_m2);
        assert_eq!(switched.populations, fresh.populations);
        assert_eq!(switched.population_field(), Some(&households));
    }
    use crate::model::Office;

    fn sample() -> Arc<DistrictLayer> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
        Arc::new(crate::io::load_district_layer(&path, &Default::default(), &crate::io::no_progress).unwrap())
    }

    fn office(id: u64, lon_lat: [f64; 2]) -> Office {
        Office::proposed(OfficeId(id), format!("o{id}"), lon_lat)
    }

    #[test]
    fn summary_counts_marginal_districts_and_people() {
        let layer = sample();
        let model = CoverageModel::new(Arc::clone(&layer), None);
        assert_eq!(model.marginal.iter().filter(|&&m| m).count(), 5);
        let eskan = layer
            .districts
            .iter()
            .position(|d| d.properties["name_en"] == "Eskan")
            .unwrap();
        let offices = [office(1, layer.anchor_lon_lat(eskan))];
        // A 5 km radius swallows Eskan whole.
        let coverage = model.compute(&offices, 5000.0);
        assert!((coverage.districts[eskan].covered_fraction - 1.0).abs() < 1e-6);
        let s = &coverage.summary;
        assert_eq!((s.offices, s.marginal_total), (1, 5));
        assert!(s.marginal_reached >= 1);
        let expected: f64 = coverage.districts.iter().filter_map(|c| c.population_reached).sum();
        assert!((s.population_reached - expected).abs() < 1e-6);
        assert!(s.population_share.unwrap() > 0.0 && s.population_share.unwrap() < 1.0);
        assert!(s.worst_nearest_m.unwrap() >= s.mean_nearest_m.unwrap());
    }

    #[test]
    fn incremental_update_equals_full_recompute() {
        let layer = sample();
        let model = CoverageModel::new(Arc::clone(&layer), None);
        let a = layer.anchor_lon_lat(3);
        let b = layer.anchor_lon_lat(30);
        let mut offices = vec![office(1, a), office(2, b)];
        let mut coverage = model.compute(&offices, 900.0);
        let old = offices[1].lon_lat;
        offices[1].lon_lat = [b[0] + 0.01, b[1] - 0.006];
        model.update(&mut coverage, &offices, 900.0, &[(OfficeId(2), Some(old))]);
        assert_eq!(coverage, model.compute(&offices, 900.0));
    }

    #[test]
    fn nearest_office_matches_brute_force() {
        let offices: Vec<Office> = (0..40)
            .map(|k| office(k, [54.2 + (k % 7) as f64 * 0.03, 31.8 + (k / 7) as f64 * 0.025]))
            .collect();
        for k in 0..200 {
            let at = [54.15 + (k % 20) as f64 * 0.013, 31.78 + (k / 20) as f64 * 0.017];
            let brute = offices
                .iter()
                .map(|o| {
                    (
                        Geodesic.distance(Point::new(at[0], at[1]), Point::new(o.lon_lat[0], o.lon_lat[1])),
                        o.id,
                    )
                })
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .unwrap();
            let (id, m) = nearest_office(at, &offices);
            assert_eq!((id, m), (Some(brute.1), Some(brute.0)));
        }
    }
}
