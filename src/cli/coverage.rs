//! `mahalleh coverage`: the per-district coverage table and the plan's indicators, by the same
//! code as the indicator panel.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use super::plan_input::{PlanFieldArgs, PlanInput, PlanSource};
use serde_json::json;

/// Options of `mahalleh coverage`.
#[derive(clap::Args)]
pub struct CoverageArgs {
    /// A saved plan (.mahalleh), or a district file (read as --districts, with no offices); or
    /// give --districts and --offices.
    #[arg(required_unless_present_all = ["districts", "offices"])]
    pub plan: Option<PathBuf>,
    /// The district layer: GeoJSON, Shapefile, KML, CSV with WKT, FlatGeobuf.
    #[arg(long, conflicts_with = "plan", requires = "offices")]
    pub districts: Option<PathBuf>,
    /// The offices: GeoJSON points, or a CSV with lon/lat («طول», «عرض») or WKT POINT columns.
    #[arg(long, conflicts_with = "plan", requires = "districts")]
    pub offices: Option<PathBuf>,
    /// Radius and fields.
    #[command(flatten)]
    pub fields: PlanFieldArgs,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    /// Also write the table as CSV (UTF-8) to this file.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
}

/// Runs the verb.
pub fn run(args: &CoverageArgs) -> anyhow::Result<ExitCode> {
    let input = PlanInput::read(&PlanSource {
        plan: args.plan.as_deref(),
        districts: args.districts.as_deref(),
        offices: args.offices.as_deref(),
        fields: &args.fields,
    })?;
    let layer = input.load_layer_undrawn()?;
    let coverage = input.coverage(&layer);
    let plan = &input.plan;
    if let Some(csv) = &args.csv {
        mahalleh::io::write_atomically(csv, mahalleh::export::coverage_csv(&layer, &coverage, plan).as_bytes())
            .with_context(|| format!("cannot write {}", csv.display()))?;
    }
    let office_name = |id| plan.office(id).map(|o| o.name.clone());
    if args.json {
        let rows: Vec<_> = coverage
            .districts
            .iter()
            .map(|c| {
                json!({
                    "index": layer.districts[c.district].feature_index,
                    "name": layer.label(c.district),
                    "area_m2": c.area_m2,
                    "covered_fraction": c.covered_fraction,
                    "anchor_lon_lat": layer.anchor_lon_lat(c.district),
                    "population_reached": c.population_reached,
                    "nearest_office": c.nearest_office.and_then(office_name),
                    "nearest_office_m": c.nearest_office_m,
                })
            })
            .collect();
        println!(
            "{}",
            json!({"radius_m": plan.radius_m, "districts": rows, "summary": coverage.summary})
        );
    } else {
        println!(
            "{:>6}  {:>8}  {:>10}  {:>9}  name",
            "index", "covered", "reached", "nearest_m"
        );
        for c in &coverage.districts {
            println!(
                "{:>6}  {:>7.1}%  {:>10}  {:>9}  {}",
                layer.districts[c.district].feature_index,
                c.covered_fraction * 100.0,
                c.population_reached
                    .map(|p| format!("{p:.0}"))
                    .unwrap_or_else(|| "-".into()),
                c.nearest_office_m
                    .map(|m| format!("{m:.0}"))
                    .unwrap_or_else(|| "-".into()),
                layer.label(c.district)
            );
        }
        let s = &coverage.summary;
        println!();
        println!("offices: {}, radius: {} m", s.offices, plan.radius_m);
        if let Some(share) = s.population_share {
            println!(
                "population reached: {:.0} of {:.0} ({:.1}%)",
                s.population_reached,
                s.population_total,
                share * 100.0
            );
        }
        println!(
            "marginal districts reached (at least half covered): {} of {}",
            s.marginal_reached, s.marginal_total
        );
        if let (Some(mean), Some(worst)) = (s.mean_nearest_m, s.worst_nearest_m) {
            println!("distance to the nearest office: mean {mean:.0} m, worst {worst:.0} m");
        }
    }
    Ok(ExitCode::SUCCESS)
}
