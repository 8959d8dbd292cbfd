//! `mahalleh suggest`: where offices should go, with the quality of the answer. For now the
//! research inputs (an OR-Library p-median file, or a cost table with weights) and the p-median
//! and maximal covering models.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use mahalleh::analysis::location::{
    CandidateSource, DemandWeights, Problem, SolveOptions, problem_from_plan, solve_max_covering, solve_p_median,
    solve_set_covering,
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
    /// A district layer (GeoJSON), instead of a plan.
    #[arg(long, conflicts_with_all = ["orlib", "matrix"])]
    pub districts: Option<PathBuf>,
    /// Offices (GeoJSON points) with --districts: approved and operating ones stay.
    #[arg(long, requires = "districts")]
    pub offices: Option<PathBuf>,
    /// Candidate sites on the map: anchors (district label points), grid, or offices.
    #[arg(long, default_value = "anchors", value_parser = ["anchors", "grid", "offices"])]
    pub candidates: String,
    /// Grid spacing in metres for --candidates grid.
    #[arg(long, default_value_t = 500.0)]
    pub grid_spacing_m: f64,
    /// Weight factor of marginal settlements (their population counts this many times).
    #[arg(long, default_value_t = 2.0)]
    pub marginal_priority: f64,
    /// Property holding each district's population (dotted path).
    #[arg(long, value_name = "PATH")]
    pub population_field: Option<String>,
    /// Sites to choose (default: the OR-Library file's p).
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
    let mut map = None;
    let mut plan_radius = None;
    let (problem, file_p) = match (&args.orlib, &args.matrix, &args.weights) {
        (Some(path), _, _) => {
            let instance = read_orlib(path).with_context(|| format!("in {}", path.display()))?;
            (instance.problem, Some(instance.p))
        }
        (None, None, _) if args.plan.is_some() || args.districts.is_some() => {
            let fields = PlanFieldArgs {
                radius_m: None,
                population_field: args.population_field.clone(),
                name_field: None,
            };
            let input = PlanInput::read(&PlanSource {
                plan: args.plan.as_deref(),
                districts: args.districts.as_deref(),
                offices: args.offices.as_deref(),
                fields: &fields,
            })?;
            let layer = input.load_layer()?;
            let source = match args.candidates.as_str() {
                "grid" => CandidateSource::Grid {
                    spacing_m: args.grid_spacing_m,
                },
                "offices" => CandidateSource::Offices,
                _ => CandidateSource::DistrictAnchors,
            };
            let weights = DemandWeights {
                population_field: input.population_field.clone(),
                marginal_priority: args.marginal_priority,
            };
            let built = problem_from_plan(&layer, &input.plan.offices, source, &weights)?;
            plan_radius = Some(input.plan.radius_m);
            let problem = built.problem.clone();
            map = Some(built);
            (problem, None)
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
    let radius = args.radius.or(plan_radius);
    anyhow::ensure!(
        args.model == "p-median" || radius.is_some_and(|r| r.is_finite() && r > 0.0),
        "{} needs a positive --radius",
        args.model
    );
    let lon_lat = |chosen: &[usize]| -> Option<Vec<[f64; 2]>> {
        map.as_ref()
            .map(|m| chosen.iter().map(|&j| m.candidates_lon_lat[j]).collect())
    };
    let options = SolveOptions {
        seed: args.seed,
        ..SolveOptions::default()
    };
    if let ("lscp", Some(radius)) = (args.model.as_str(), radius) {
        // On a map, the marginal settlements must be covered (all districts when none is).
        let must: Vec<bool> = map
            .as_ref()
            .filter(|m| m.marginal.iter().any(|&x| x))
            .map(|m| m.marginal.clone())
            .unwrap_or_default();
        let s = solve_set_covering(&problem, radius, &must, options.bound_iterations);
        let seconds = start.elapsed().as_secs_f64();
        let sites = s.chosen.len();
        if args.json {
            println!(
                "{}",
                json!({"model": "lscp", "p": sites, "chosen": s.chosen, "objective": sites, "bound": s.bound,
                       "gap": s.gap(), "uncoverable": s.uncoverable, "seconds": seconds,
                       "chosen_lon_lat": lon_lat(&s.chosen)})
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
    let (chosen, objective, bound, gap) = match (args.model.as_str(), radius) {
        ("mclp", Some(radius)) => {
            let s = solve_max_covering(&problem, p, radius, &options);
            let gap = s.gap();
            (s.chosen, s.covered, s.bound, gap)
        }
        _ => {
            let s = solve_p_median(&problem, p, &options);
            let gap = s.gap();
            (s.chosen, s.objective, s.bound, gap)
        }
    };
    let seconds = start.elapsed().as_secs_f64();
    if args.json {
        println!(
            "{}",
            json!({"model": args.model, "p": p, "chosen": chosen, "objective": objective,
                   "bound": bound, "gap": gap, "seconds": seconds, "chosen_lon_lat": lon_lat(&chosen)})
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
