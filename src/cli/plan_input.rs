//! The plan a command works on: a saved plan, or a district file with offices, with the
//! command line's radius and fields applied.

use std::path::Path;
use std::sync::Arc;

use mahalleh::analysis::{Coverage, CoverageModel};
use mahalleh::io::{SavedView, is_plan_file, load_district_layer, load_options, load_plan, no_progress, read_offices};
use mahalleh::model::{DistrictsSource, FieldPath, Plan, ReadChoices};
use mahalleh::workspace::DistrictLayer;

/// Command-line options that change a plan's radius and fields.
#[derive(clap::Args)]
pub struct PlanFieldArgs {
    /// Service radius in metres (default: the plan's, or 800).
    #[arg(long)]
    pub radius_m: Option<f64>,
    /// Property holding each district's population (dotted path).
    #[arg(long, value_name = "PATH")]
    pub population_field: Option<String>,
    /// How the district file is read (label field, coordinate system, encoding).
    #[command(flatten)]
    pub read: super::ReadArgs,
}

/// Where the plan comes from and what the command line changes in it.
pub struct PlanSource<'a> {
    /// A saved plan.
    pub plan: Option<&'a Path>,
    /// Or a district layer…
    pub districts: Option<&'a Path>,
    /// …with offices (none when absent).
    pub offices: Option<&'a Path>,
    /// Radius and fields given on the command line.
    pub fields: &'a PlanFieldArgs,
}

/// A plan ready to work on.
pub struct PlanInput {
    /// Districts (always set), offices, radius and layout.
    pub plan: Plan,
    /// The saved view, if the plan had one.
    pub view: Option<SavedView>,
}

impl PlanInput {
    /// Reads the plan (or the offices) and applies the command line's choices.
    pub fn read(source: &PlanSource<'_>) -> anyhow::Result<Self> {
        // `mahalleh export districts.shp --out map.pdf`: a district file where the plan goes is
        // read as the districts, rather than refused as a plan with a JSON syntax error.
        let (plan, districts) = match (source.plan, source.districts) {
            (Some(path), None) if !is_plan_file(path) => (None, Some(path)),
            other => other,
        };
        let mut input = match (plan, districts) {
            (Some(path), _) => {
                let doc = load_plan(path)?;
                Self {
                    plan: doc.plan,
                    view: doc.view,
                }
            }
            (None, Some(districts)) => {
                let offices = match source.offices {
                    Some(path) => read_offices(path)?,
                    None => Vec::new(),
                };
                let next_id = offices.iter().map(|o| o.id.0 + 1).max().unwrap_or(1);
                Self {
                    plan: Plan {
                        districts: Some(DistrictsSource::file(districts)),
                        offices,
                        next_id,
                        ..Plan::default()
                    },
                    view: None,
                }
            }
            (None, None) => anyhow::bail!("give a plan file, or --districts"),
        };
        let fields = source.fields;
        if let Some(r) = fields.radius_m {
            anyhow::ensure!(
                r.is_finite() && r > 0.0,
                "the radius must be a positive number of metres, not {r}"
            );
            input.plan.radius_m = r;
        }
        let source = input.plan.districts.get_or_insert_with(|| DistrictsSource::file(""));
        if let Some(f) = &fields.read.name_field {
            source.label_field = Some(FieldPath::new(f.clone()));
        }
        if let Some(f) = &fields.population_field {
            source.population_field = Some(FieldPath::new(f.clone()));
        }
        // The command line's reading choices go before the plan's, each on its own.
        let given = fields.read.choices();
        source.read = ReadChoices {
            layer: given.layer.or(source.read.layer.take()),
            crs: given.crs.or(source.read.crs.take()),
            encoding: given.encoding.or(source.read.encoding.take()),
        };
        // Tables joined on the command line come after the plan's own.
        source.joins.extend(fields.read.joins.joins()?);
        Ok(input)
    }

    /// Where the districts come from (a plan file always names them).
    pub fn districts(&self) -> DistrictsSource {
        self.plan.districts.clone().unwrap_or_else(|| DistrictsSource::file(""))
    }

    /// Property holding population.
    pub fn population_field(&self) -> Option<FieldPath> {
        self.districts().population_field
    }

    /// Loads the district layer with the chosen label field, without drawing data: no verb that
    /// takes a plan needs triangles (layouts are vector paths), and the layer builds them on
    /// first use if anything asks.
    pub fn load_layer_undrawn(&self) -> anyhow::Result<Arc<DistrictLayer>> {
        let source = self.districts();
        let mut options = load_options(&source.read, source.label_field)?;
        options.skip_drawing = true;
        options.joins = source.joins;
        let layer = load_district_layer(&source.path, &options, &no_progress)?;
        super::join_args::report_joins(&layer.report)?;
        Ok(Arc::new(layer))
    }

    /// Coverage of the plan's offices on `layer`, by the same code as the indicator panel.
    pub fn coverage(&self, layer: &Arc<DistrictLayer>) -> Coverage {
        CoverageModel::new(Arc::clone(layer), self.population_field().as_ref())
            .compute(&self.plan.offices, self.plan.radius_m)
    }
}
