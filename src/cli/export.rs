//! `mahalleh export`: a map layout as PDF, SVG or PNG without a window, from a plan or from a
//! district file with offices. The plan's saved layout is the starting point; options override it.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use super::plan_input::{PlanFieldArgs, PlanInput, PlanSource};
use super::style_args::StyleArgs;
use mahalleh::export::layout::{BasemapOnPage, LayoutBasemap, LayoutFormat, LayoutScene, basemap_dpi, export_layout};
use mahalleh::model::Basemap;
use mahalleh::model::layout::{Calendar, Layout, LayoutLanguage, MapExtent, Orientation, Paper};
use mahalleh::text::dates::GregorianDate;

/// Options of `mahalleh export`.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// A saved plan (.mahalleh), or a district file (read as --districts); or give --districts
    /// (and optionally --offices).
    #[arg(required_unless_present = "districts")]
    pub plan: Option<PathBuf>,
    /// The district layer: GeoJSON, Shapefile, KML, CSV with WKT, FlatGeobuf.
    #[arg(long, conflicts_with = "plan")]
    pub districts: Option<PathBuf>,
    /// The offices: GeoJSON points, or a CSV with lon/lat («طول», «عرض») or WKT POINT columns.
    #[arg(long, conflicts_with = "plan", requires = "districts")]
    pub offices: Option<PathBuf>,
    /// The file to write; its extension (.pdf, .svg, .png) chooses the format.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Paper: A0..A4, or WIDTHxHEIGHT in millimetres.
    #[arg(long, value_name = "PAPER")]
    pub page: Option<String>,
    /// Turn the sheet sideways.
    #[arg(long, conflicts_with = "portrait")]
    pub landscape: bool,
    /// Keep the sheet upright.
    #[arg(long)]
    pub portrait: bool,
    /// PNG resolution in dots per inch.
    #[arg(long, default_value_t = 300.0)]
    pub dpi: f64,
    /// The title.
    #[arg(long)]
    pub title: Option<String>,
    /// A line under the title.
    #[arg(long)]
    pub subtitle: Option<String>,
    /// Language of the layout's own words: fa (right to left, Persian digits) or en.
    #[arg(long, value_parser = ["fa", "en"])]
    pub lang: Option<String>,
    /// Calendar of the printed date (default: Solar Hijri in Persian layouts, Gregorian in English).
    #[arg(long, value_parser = ["solar-hijri", "gregorian"])]
    pub calendar: Option<String>,
    /// What the map shows: all (every district and office, the default), view (the plan's saved
    /// view), districts (all districts) or offices (all offices).
    #[arg(long, value_parser = ["all", "view", "districts", "offices"])]
    pub extent: Option<String>,
    /// A basemap under the map, instead of the plan's: an MBTiles or PMTiles file, or an online
    /// XYZ template (`https://…/{z}/{x}/{y}.png`, a server you may use; tiles are cached).
    #[arg(long, value_name = "FILE|URL", conflicts_with = "no_basemap")]
    pub basemap: Option<String>,
    /// The attribution an online basemap's licence asks for.
    #[arg(long, value_name = "TEXT", requires = "basemap")]
    pub basemap_attribution: Option<String>,
    /// Leave the plan's basemap off.
    #[arg(long)]
    pub no_basemap: bool,
    /// A reference layer to draw over the districts (streets, schools…), on top of the plan's
    /// own; repeat for more, the last on top.
    #[arg(long = "reference-layer", value_name = "FILE")]
    pub layers: Vec<std::path::PathBuf>,
    /// A reference layer to draw under the districts (a land-use map, other boundaries), on top
    /// of the plan's layers there; repeat for more, the last on top.
    #[arg(long = "reference-layer-under", value_name = "FILE")]
    pub layers_under: Vec<std::path::PathBuf>,
    /// Radius and fields.
    #[command(flatten)]
    pub fields: PlanFieldArgs,
    /// Thematic colours.
    #[command(flatten)]
    pub style: StyleArgs,
}

/// Runs the verb.
pub fn run(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let format = LayoutFormat::from_path(&args.out)
        .with_context(|| format!("the output must end in .pdf, .svg or .png: {}", args.out.display()))?;
    let input = PlanInput::read(&PlanSource {
        plan: args.plan.as_deref(),
        districts: args.districts.as_deref(),
        offices: args.offices.as_deref(),
        fields: &args.fields,
    })?;
    let layout = layout_from_args(input.plan.layout.clone().unwrap_or_default(), args)?;
    let layer = input.load_layer_undrawn()?;
    let coverage = (!input.plan.offices.is_empty()).then(|| input.coverage(&layer));
    let saved = input.plan.districts.as_ref().and_then(|d| d.style.as_ref());
    let theme = match args.style.style(saved)? {
        Some(style) => Some(StyleArgs::theme(&style, &layer, input.population_field().as_ref())?),
        None => None,
    };
    let mut plan = input.plan.clone();
    if let Some(given) = &args.basemap {
        let chosen = if given.starts_with("http://") || given.starts_with("https://") {
            Basemap::online(given.as_str(), args.basemap_attribution.clone().unwrap_or_default())
        } else {
            Basemap::file(given)
        };
        let old = plan.basemap.take();
        plan.basemap = Some(Basemap {
            source: chosen.source,
            visible: true,
            districts_opacity: old.map_or(chosen.districts_opacity, |b| b.districts_opacity),
        });
    }
    if args.no_basemap {
        plan.basemap = None;
    }
    for (path, under_districts) in args
        .layers
        .iter()
        .map(|p| (p, false))
        .chain(args.layers_under.iter().map(|p| (p, true)))
    {
        let add = mahalleh::workspace::add_layers_command(&mut plan, path, under_districts);
        plan.apply(add)?;
    }
    let reference_data = mahalleh::workspace::ReferenceData::load_all(&plan);
    for (id, message) in reference_data.failures() {
        let name = plan.layer(id).map_or(String::new(), |l| l.name.clone());
        eprintln!("warning: the layer {name} is left out: {message}");
    }
    let reference = reference_data.shown_bottom_up(&plan);
    let reference_under = reference_data.shown_under_districts(&plan);
    let basemap = LayoutBasemap::of_plan(&plan).transpose()?;
    let scene = LayoutScene {
        basemap: basemap.as_ref().map(|basemap| BasemapOnPage {
            basemap,
            dpi: basemap_dpi(format, args.dpi),
        }),
        layer: &layer,
        plan: &input.plan,
        coverage: coverage.as_ref(),
        view_bbox_m: input.view.map(|v| v.bbox_m()),
        selected: &[],
        theme: theme.as_ref(),
        reference: &reference,
        reference_under,
    };
    let bytes = export_layout(&scene, &layout, format, args.dpi, GregorianDate::today())?;
    mahalleh::io::write_atomically(&args.out, &bytes)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    Ok(ExitCode::SUCCESS)
}

/// The layout with the command line's choices applied.
fn layout_from_args(mut layout: Layout, args: &ExportArgs) -> anyhow::Result<Layout> {
    if let Some(page) = &args.page {
        layout.paper = Paper::parse(page)
            .with_context(|| format!("unknown page \"{page}\": use A0..A4 or WIDTHxHEIGHT in millimetres"))?;
    }
    if args.landscape {
        layout.orientation = Orientation::Landscape;
    }
    if args.portrait {
        layout.orientation = Orientation::Portrait;
    }
    if let Some(title) = &args.title {
        layout.title = title.clone();
    }
    if let Some(subtitle) = &args.subtitle {
        layout.subtitle = subtitle.clone();
    }
    match args.lang.as_deref() {
        Some("en") => layout.language = LayoutLanguage::En,
        Some("fa") => layout.language = LayoutLanguage::Fa,
        _ => {}
    }
    match args.calendar.as_deref() {
        Some("solar-hijri") => layout.calendar = Some(Calendar::SolarHijri),
        Some("gregorian") => layout.calendar = Some(Calendar::Gregorian),
        _ => {}
    }
    match args.extent.as_deref() {
        Some("all") => layout.extent = MapExtent::Everything,
        Some("view") => layout.extent = MapExtent::CurrentView,
        Some("districts") => layout.extent = MapExtent::AllDistricts,
        Some("offices") => layout.extent = MapExtent::AllOffices,
        _ => {}
    }
    Ok(layout)
}
