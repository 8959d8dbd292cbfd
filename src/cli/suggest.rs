//! `mahalleh suggest`: where offices should go, with the quality of the answer. For now the
//! research inputs (an OR-Library p-median file, or a cost table with weights) and the p-median
//! and maximal covering models.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use mahalleh::analysis::location::{Problem, SolveOptions, solve_max_covering, solve_p_median, solve_set_covering};
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
    /// Service radius for mclp and lscp, in the cost table's units.
    #[arg(long, required_if_eq_any([("model", "mclp"), ("model", "lscp")]))]
    pub radius: Option<f64>,
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
    let (problem, file_p) = match (&args.orlib, &args.matrix, &args.weights) {
        (Some(path), _, _) => {
            let instance = read_orlib(path).with_context(|| format!("in {}", path.display()))?;
            (instance.problem, Some(instance.p))
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
        _ => anyhow::bail!("give --orlib FILE, or --matrix COST.csv --weights W.csv"),
    };
    let options = SolveOptions {
        seed: args.seed,
        ..SolveOptions::default()
    };
    if let ("lscp", Some(radius)) = (args.model.as_str(), args.radius) {
        let s = solve_set_covering(&problem, radius, &[], options.bound_iterations);
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
    let (chosen, objective, bound, gap) = match (args.model.as_str(), args.radius) {
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
