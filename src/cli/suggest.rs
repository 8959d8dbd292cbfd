//! `mahalleh suggest`: where offices should go, with the quality of the answer. On a plan or a
//! district layer it runs the same core as the window's "Suggest sites" panel; the research
//! inputs (an OR-Library p-median file, or a cost table with weights) go to the solvers directly.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use mahalleh::analysis::location::{
    CandidateSource, DemandPoints, DemandWeights, Model, Problem, SiteCount, SolveControl, SolveOptions,
    SuggestRequest, Suggestion, demand_from_layer, sites_from_layer, solve_max_covering, solve_p_median,
    solve_set_covering, suggest_sites,
};

use super::plan_input::{PlanFieldArgs, PlanInput, PlanSource};
use mahalleh::io::{read_number_table, read_orlib};
use serde_json::json;

/// Options of `mahalleh suggest`.
#[derive(clap::Args)]
pub struct SuggestArgs {
    /// The model: p-median (least demand-weighted cost to the nearest site), mclp (most demand
    /// weight within --radius of p sites) or lscp (fewest sites with every demand point within
    /// --radius; points no candidate reaches are listed).
    #[arg(long, default_value = "p-median", value_parser = ["p-median", "mclp", "lscp"])]
    pub model: String,
    /// Service radius for mclp and lscp, in the cost table's units (metres for a plan; default:
    /// the plan's radius).
    #[arg(long, alias = "radius-m")]
    pub radius: Option<f64>,
    /// A saved plan (.mahalleh): demand at its districts, candidates from --candidates.
    #[arg(conflicts_with_all = ["orlib", "matrix", "districts"])]
    pub plan: Option<PathBuf>,
    /// A district layer (GeoJSON, Shapefile, KML, CSV with WKT, FlatGeobuf), instead of a plan.
    #[arg(long, conflicts_with_all = ["orlib", "matrix"])]
    pub districts: Option<PathBuf>,
    /// Offices (GeoJSON points, or a CSV of positions) with --districts: approved and operating ones stay.
    #[arg(long, requires = "districts")]
    pub offices: Option<PathBuf>,
    /// Candidate sites on the map: anchors (district label points), grid, or offices.
    #[arg(long, default_value = "anchors", value_parser = ["anchors", "grid", "offices"])]
    pub candidates: String,
    /// Grid spacing in metres for --candidates grid.
    #[arg(long, default_value_t = 500.0)]
    pub grid_spacing_m: f64,
    /// Where each district's demand sits: anchors (its label point) or spread (grid points inside
    /// it sharing its population).
    #[arg(long, default_value = "anchors", value_parser = ["anchors", "spread"])]
    pub demand: String,
    /// Grid spacing in metres for --demand spread.
    #[arg(long, default_value_t = 250.0)]
    pub demand_spacing_m: f64,
    /// Candidate sites are the points of this layer (municipal buildings, the only places that
    /// may host an office), instead of --candidates.
    #[arg(long, value_name = "FILE", conflicts_with = "candidates")]
    pub candidates_layer: Option<PathBuf>,
    /// Demand sits at the points of this layer (households, buildings), each in its district,
    /// instead of --demand.
    #[arg(long, value_name = "FILE", conflicts_with = "demand")]
    pub demand_layer: Option<PathBuf>,
    /// The --demand-layer's field holding each point's population (else each point counts 1).
    #[arg(long, value_name = "FIELD", requires = "demand_layer")]
    pub demand_field: Option<String>,
    /// Maximum distance (the cost table's units; metres for a plan): p-median charges demand
    /// farther than this from every site ten times this distance; covering models use it as the
    /// radius when it is shorter.
    #[arg(long, alias = "max-distance-m")]
    pub max_distance: Option<f64>,
    /// On a plan: approved and operating offices are candidates like any other instead of staying.
    #[arg(long)]
    pub no_keep: bool,
    /// On a plan: this office (by id) stays whatever its status; repeat for more.
    #[arg(long, value_name = "ID")]
    pub keep: Vec<u64>,
    /// On a plan: proposed offices stay too (as approved and operating ones do).
    #[arg(long)]
    pub keep_proposed: bool,
    /// On a plan: demand and candidates only from the districts whose FIELD is VALUE (e.g.
    /// `--only city=میبد`).
    #[arg(long, value_name = "FIELD=VALUE")]
    pub only: Option<String>,
    /// Weight factor of marginal settlements (their population counts this many times).
    #[arg(long, default_value_t = 2.0)]
    pub marginal_priority: f64,
    /// Property holding each district's population (dotted path).
    #[arg(long, value_name = "PATH")]
    pub population_field: Option<String>,
    /// How the district file is read (label field, coordinate system, encoding, layer).
    #[command(flatten)]
    pub read: super::ReadArgs,
    /// Sites to choose, kept offices included (default: the OR-Library file's p; 5 on a map).
    #[arg(long)]
    pub p: Option<usize>,
    /// An OR-Library p-median file.
    #[arg(long, conflicts_with_all = ["matrix", "weights"])]
    pub orlib: Option<PathBuf>,
    /// A cost table as CSV without a header: rows are demand points, columns candidate sites.
    #[arg(long, requires = "weights")]
    pub matrix: Option<PathBuf>,
    /// Demand weights as CSV, one per row of the cost table.
    #[arg(long, requires = "matrix")]
    pub weights: Option<PathBuf>,
    /// Seed of the random starts.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print one JSON object: {model, p, chosen, objective, bound, gap, seconds}.
    #[arg(long)]
    pub json: bool,
}

/// Runs the verb.
pub fn run(args: &SuggestArgs) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    let model = Model::parse(&args.model).context("unknown --model")?;
    let options = SolveOptions {
        seed: args.seed,
        ..SolveOptions::default()
    };
    let control = SolveControl::default();
    let (problem, file_p) = match (&args.orlib, &args.matrix, &args.weights) {
        (Some(path), _, _) => {
            let instance = read_orlib(path).with_context(|| format!("in {}", path.display()))?;
            (instance.problem, Some(instance.p))
        }
        (None, None, _) if args.plan.is_some() || args.districts.is_some() => {
            return run_on_map(args, model, options, start);
        }
        (None, Some(matrix), Some(weights)) => {
            let costs = read_number_table(matrix)?;
            let w = read_number_table(weights)?;
            anyhow::ensure!(
                w.values.len() == costs.rows,
                "{} weights for {} rows of costs: {}",
                w.values.len(),
                costs.rows,
                weights.display()
            );
            (Problem::new(costs.values, w.values, costs.columns, Vec::new())?, None)
        }
        _ => anyhow::bail!("give a plan, --districts FILE, --orlib FILE, or --matrix COST.csv --weights W.csv"),
    };
    let max = args.max_distance.filter(|m| *m > 0.0);
    let radius = match (args.radius, max) {
        (Some(r), Some(m)) => Some(r.min(m)),
        (r, m) => r.or(m),
    };
    anyhow::ensure!(
        model == Model::PMedian || radius.is_some_and(|r| r.is_finite() && r > 0.0),
        "{} needs a positive --radius",
        args.model
    );
    if let (Model::SetCovering, Some(radius)) = (model, radius) {
        let s = solve_set_covering(&problem, radius, &[], options.bound_iterations, &control)?;
        let seconds = start.elapsed().as_secs_f64();
        let sites = s.chosen.len();
        if args.json {
            println!(
                "{}",
                json!({"model": "lscp", "p": sites, "chosen": s.chosen, "objective": sites, "bound": s.bound,
                       "gap": s.gap(), "uncoverable": s.uncoverable, "seconds": seconds})
            );
        } else {
            println!(
                "lscp: {sites} sites cover every reachable demand point; at least {} are needed",
                s.bound
            );
            println!("chosen (0-based): {:?}", s.chosen);
            if !s.uncoverable.is_empty() {
                println!(
                    "no candidate within the radius of demand points (0-based): {:?}",
                    s.uncoverable
                );
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let p = args.p.or(file_p).context("give --p, the number of sites to choose")?;
    anyhow::ensure!(
        (1..=problem.candidates()).contains(&p),
        "p must be between 1 and the {} candidates, not {p}",
        problem.candidates()
    );
    // For mclp the objective is the covered weight and the bound an upper bound.
    let (chosen, objective, bound, gap) = match (model, radius) {
        (Model::MaxCovering, Some(radius)) => {
            let s = solve_max_covering(&problem, p, radius, &options, &control)?;
            let gap = s.gap();
            (s.chosen, s.covered, s.bound, gap)
        }
        _ => {
            let capped = max.map(|m| problem.with_max_cost(m, 10.0 * m));
            let s = solve_p_median(capped.as_ref().unwrap_or(&problem), p, &options, &control)?;
            let gap = s.gap();
            (s.chosen, s.objective, s.bound, gap)
        }
    };
    let seconds = start.elapsed().as_secs_f64();
    if args.json {
        println!(
            "{}",
            json!({"model": args.model, "p": p, "chosen": chosen, "objective": objective,
                   "bound": bound, "gap": gap, "seconds": seconds})
        );
    } else {
        println!(
            "{}: {p} sites of {} candidates for {} demand points",
            args.model,
            problem.candidates(),
            problem.demands()
        );
        println!("chosen (0-based): {chosen:?}");
        println!(
            "objective {objective:.3}, bound {bound:.3}: at most {:.2}% from the best possible ({seconds:.2} s)",
            gap * 100.0
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Suggests sites on a plan or district layer through the core's `suggest_sites`.
fn run_on_map(args: &SuggestArgs, model: Model, options: SolveOptions, start: Instant) -> anyhow::Result<ExitCode> {
    let fields = PlanFieldArgs {
        radius_m: None,
        population_field: args.population_field.clone(),
        read: args.read.clone(),
    };
    let input = PlanInput::read(&PlanSource {
        plan: args.plan.as_deref(),
        districts: args.districts.as_deref(),
        offices: args.offices.as_deref(),
        fields: &fields,
    })?;
    let layer = input.load_layer_undrawn()?;
    let radius_m = args.radius.unwrap_or(input.plan.radius_m);
    anyhow::ensure!(
        radius_m.is_finite() && radius_m > 0.0,
        "--radius must be a positive number of metres, not {radius_m}"
    );
    let area = match &args.only {
        None => None,
        Some(only) => {
            let (field, value) = only
                .split_once('=')
                .context("--only takes FIELD=VALUE, e.g. city=میبد")?;
            let groups = mahalleh::workspace::district_groups(&layer);
            let group = groups
                .iter()
                .find(|g| g.field == field.trim() && g.value == value.trim())
                .with_context(|| {
                    let known: Vec<String> = groups.iter().map(|g| format!("{}={}", g.field, g.value)).collect();
                    format!("no districts with {only}; the layer groups by: {}", known.join(", "))
                })?;
            Some(group.districts.clone())
        }
    };
    let request = SuggestRequest {
        model,
        sites: SiteCount::Total(args.p.unwrap_or(5)),
        radius_m,
        max_distance_m: args.max_distance,
        candidates: match &args.candidates_layer {
            Some(path) => {
                let sites = sites_from_layer(&point_layer(path)?);
                anyhow::ensure!(
                    !sites.is_empty(),
                    "the candidates layer has no points: {}",
                    path.display()
                );
                CandidateSource::Sites(sites.into())
            }
            None => match args.candidates.as_str() {
                "grid" => CandidateSource::Grid {
                    spacing_m: args.grid_spacing_m,
                },
                "offices" => CandidateSource::Offices,
                _ => CandidateSource::DistrictAnchors,
            },
        },
        demand: match &args.demand_layer {
            Some(path) => {
                let layer = point_layer(path)?;
                let field = args.demand_field.as_deref().map(mahalleh::model::FieldPath::new);
                if let Some(f) = &field {
                    anyhow::ensure!(
                        layer.features.iter().any(|x| f.number_in(&x.properties).is_some()),
                        "no point of the demand layer has a number in {}: {}",
                        f.as_str(),
                        path.display()
                    );
                }
                let points = demand_from_layer(&layer, field.as_ref());
                anyhow::ensure!(!points.is_empty(), "the demand layer has no points: {}", path.display());
                DemandPoints::Given(points.into())
            }
            None => match args.demand.as_str() {
                "spread" => DemandPoints::Spread {
                    spacing_m: args.demand_spacing_m,
                },
                _ => DemandPoints::Anchors,
            },
        },
        weights: DemandWeights {
            population_field: input.population_field(),
            marginal_priority: args.marginal_priority,
        },
        keep_offices: !args.no_keep,
        keep_proposed: args.keep_proposed,
        also_keep: args.keep.iter().map(|&id| mahalleh::model::OfficeId(id)).collect(),
        area,
        indicator_radius_m: Some(input.plan.radius_m),
        options,
    };
    let s = suggest_sites(&layer, &input.plan.offices, &request, &SolveControl::default())?;
    let seconds = start.elapsed().as_secs_f64();
    if args.json {
        println!("{}", suggestion_json(&s, &layer, seconds));
    } else {
        print_suggestion(&s, &layer, seconds);
    }
    Ok(ExitCode::SUCCESS)
}

/// The JSON report of a suggestion on a map.
fn suggestion_json(s: &Suggestion, layer: &mahalleh::workspace::DistrictLayer, seconds: f64) -> serde_json::Value {
    let sites: Vec<serde_json::Value> = s
        .sites
        .iter()
        .map(|site| {
            json!({"candidate": site.candidate, "lon_lat": site.lon_lat,
                   "district": site.district.map(|d| layer.label(d).into_owned()),
                   "contribution": site.contribution,
                   "nearest_office": site.nearest_office.map(|(id, _)| id.0),
                   "nearest_office_m": site.nearest_office.map(|(_, m)| m)})
        })
        .collect();
    let chosen_lon_lat: Vec<[f64; 2]> = s.chosen.iter().map(|&j| s.candidates_lon_lat[j]).collect();
    json!({"model": s.model.name(), "p": s.chosen.len(), "chosen": s.chosen, "objective": s.objective,
           "bound": s.bound, "gap": s.gap, "seconds": seconds, "chosen_lon_lat": chosen_lon_lat,
           "kept": s.kept, "new_sites": sites, "radius_m": s.radius_m, "total_weight": s.total_weight,
           "within_radius_before": s.before.within_radius, "within_radius_after": s.after.within_radius,
           "mean_distance_m_after": s.after.mean_distance_m,
           "indicator_radius_m": s.indicator_radius_m,
           "indicators_before": s.indicators_before, "indicators_after": s.indicators_after,
           "unreached_districts": s.unreached_districts.iter().map(|&d| layer.label(d).into_owned()).collect::<Vec<_>>(),
           "demand_points": s.size.0, "candidates": s.size.1})
}

/// The text report of a suggestion on a map.
fn print_suggestion(s: &Suggestion, layer: &mahalleh::workspace::DistrictLayer, seconds: f64) {
    println!(
        "{}: {} new sites besides {} kept, from {} candidates for {} demand points ({seconds:.2} s)",
        s.model.name(),
        s.sites.len(),
        s.kept,
        s.size.1,
        s.size.0
    );
    for site in &s.sites {
        println!(
            "  candidate {} at {:.6}, {:.6} in {}: adds {:.1}",
            site.candidate,
            site.lon_lat[0],
            site.lon_lat[1],
            site.district
                .map_or_else(|| "no district".to_owned(), |d| layer.label(d).into_owned()),
            site.contribution
        );
    }
    let share = |w: f64| {
        if s.total_weight > 0.0 {
            100.0 * w / s.total_weight
        } else {
            0.0
        }
    };
    let (before, after) = (&s.indicators_before, &s.indicators_after);
    if let (Some(was), Some(will)) = (before.population_share, after.population_share) {
        println!(
            "population reached (the plan's indicator, {:.0} m): {:.1}% now, {:.1}% with the new sites",
            s.indicator_radius_m,
            was * 100.0,
            will * 100.0
        );
    }
    println!(
        "marginal districts reached: {} of {} now, {} after",
        before.marginal_reached, before.marginal_total, after.marginal_reached
    );
    println!(
        "the search's own terms, within {:.0} m: {:.1}% of the weighted demand before, {:.1}% after; mean distance {:.0} m",
        s.radius_m,
        share(s.before.within_radius),
        share(s.after.within_radius),
        s.after.mean_distance_m
    );
    println!(
        "objective {:.3}, bound {:.3}: at most {:.2}% from the best possible",
        s.objective,
        s.bound,
        s.gap * 100.0
    );
    if !s.unreached_districts.is_empty() {
        let names: Vec<String> = s
            .unreached_districts
            .iter()
            .map(|&d| layer.label(d).into_owned())
            .collect();
        println!("out of reach: {}", names.join(", "));
    }
}

/// A point layer for --candidates-layer or --demand-layer.
fn point_layer(path: &std::path::Path) -> anyhow::Result<mahalleh::workspace::FeatureLayer> {
    Ok(mahalleh::io::load_feature_layer(
        path,
        &mahalleh::io::LoadOptions::default(),
    )?)
}
