//! The "Suggest sites" panel: the planner's question (model, number of new offices, radius,
//! weights, where candidates and residents are), a search on a named thread with progress and
//! cancel, and the answer as suggested sites on the map, each with what it adds. Accepting turns
//! sites into proposed offices through one `Command::Batch` (one undo step).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use egui::{Color32, Pos2, Shape, Stroke};

use super::bidi_text::{BidiLabel, bidi_widget_text};
use super::i18n::{Language, Msg};
use super::map::{MapScene, Projector};
use super::number_field::number_drag;
use super::plan_state::PlanState;
use super::suggest_words::{contribution_text, near_office_text, summary_lines};
use crate::analysis::location::{
    CandidateSource, DemandPoints, DemandWeights, Model, SiteCount, SolveControl, SolveOptions, SuggestError,
    SuggestRequest, SuggestedSite, Suggestion, demand_from_layer, sites_from_layer, suggest_sites,
};
use crate::model::{Command, FieldPath, LayerId, Office, OfficeId, OfficeStatus};
use crate::workspace::{DistrictLayer, FeatureLayer, district_groups};

/// Where the candidate sites come from, as the panel offers it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CandidateKind {
    /// District label anchors.
    #[default]
    DistrictCentres,
    /// A regular grid over the districts.
    Grid,
    /// The offices already placed.
    PlacedOffices,
    /// The points of a reference layer (municipal buildings).
    Layer(LayerId),
}

/// A reference layer with points that the panel offers as candidates or demand.
#[derive(Clone, Debug)]
pub struct PointLayerChoice {
    /// The layer.
    pub id: LayerId,
    /// Its name.
    pub name: String,
    /// Its data.
    pub data: Arc<FeatureLayer>,
}

/// Which districts give demand and candidate sites.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum AreaChoice {
    /// All of them.
    #[default]
    All,
    /// The districts selected on the map or in the list.
    Selected,
    /// The districts with this value of this property (e.g. city = میبد).
    Group {
        /// The property.
        field: String,
        /// Its value.
        value: String,
    },
}

/// The panel's state between frames: the question as set, the search running, and the answer.
pub struct SuggestPanel {
    /// Shown.
    pub open: bool,
    /// The model.
    pub model: Model,
    /// New offices to suggest (p-median and maximal covering).
    pub new_sites: usize,
    /// Service radius, metres; `None` follows the plan's radius.
    pub radius_m: Option<f64>,
    /// Whether a maximum distance applies.
    pub max_distance_on: bool,
    /// The maximum distance, metres.
    pub max_distance_m: f64,
    /// Weight factor of marginal settlements.
    pub marginal_priority: f64,
    /// Spread each district's residents over points inside it instead of its centre.
    pub spread_demand: bool,
    /// Spacing of those points, metres.
    pub demand_spacing_m: f64,
    /// Demand at the points of this reference layer instead of the districts' (households).
    pub demand_layer: Option<LayerId>,
    /// The demand layer's population field (each point counts 1 without one).
    pub demand_field: Option<FieldPath>,
    /// The plan's loaded reference layers that have points, set by the window each frame.
    pub point_layers: Vec<PointLayerChoice>,
    /// Where candidates come from.
    pub candidates: CandidateKind,
    /// Grid spacing for grid candidates, metres.
    pub grid_spacing_m: f64,
    /// Approved and operating offices stay.
    pub keep_offices: bool,
    /// The selected offices stay too, whatever their status.
    pub keep_selected: bool,
    /// Proposed offices stay too.
    pub keep_proposed: bool,
    /// Where demand and candidates come from.
    pub area: AreaChoice,
    job: Option<SuggestJob>,
    /// The last answer, until discarded or replaced.
    pub result: Option<Suggestion>,
    /// Sites of the answer already accepted, with the office each became.
    accepted: BTreeMap<usize, OfficeId>,
    /// A message about the last search (cancelled, failed).
    pub message: Option<String>,
}

impl Default for SuggestPanel {
    fn default() -> Self {
        Self {
            open: false,
            model: Model::MaxCovering,
            new_sites: 5,
            radius_m: None,
            max_distance_on: false,
            max_distance_m: 2_000.0,
            marginal_priority: 2.0,
            spread_demand: false,
            demand_spacing_m: 250.0,
            demand_layer: None,
            demand_field: None,
            point_layers: Vec::new(),
            candidates: CandidateKind::DistrictCentres,
            grid_spacing_m: 300.0,
            keep_offices: true,
            keep_selected: false,
            keep_proposed: false,
            area: AreaChoice::All,
            job: None,
            result: None,
            accepted: BTreeMap::new(),
            message: None,
        }
    }
}

/// A search running on its thread.
struct SuggestJob {
    control: SolveControl,
    receiver: Receiver<Result<Suggestion, SuggestError>>,
}

impl SuggestPanel {
    /// The data of point layer `id`, when the plan still has it loaded.
    fn point_layer(&self, id: LayerId) -> Option<&FeatureLayer> {
        self.point_layers.iter().find(|l| l.id == id).map(|l| l.data.as_ref())
    }

    /// Takes the plan's loaded point layers (bottom first as given); a choice of a layer that
    /// is gone falls back to the districts.
    pub fn set_point_layers(&mut self, layers: Vec<PointLayerChoice>) {
        self.point_layers = layers;
        if let CandidateKind::Layer(id) = self.candidates
            && self.point_layer(id).is_none()
        {
            self.candidates = CandidateKind::DistrictCentres;
        }
        if self.demand_layer.is_some_and(|id| self.point_layer(id).is_none()) {
            self.demand_layer = None;
        }
    }

    /// The question as the core takes it, with the plan's radius, population field and selected
    /// offices; `selection` holds the selected districts.
    pub fn request(&self, plan: &PlanState, layer: &DistrictLayer, selection: &BTreeSet<usize>) -> SuggestRequest {
        let (plan_radius_m, population_field) = (plan.plan.radius_m, plan.population_field());
        SuggestRequest {
            model: self.model,
            sites: SiteCount::New(self.new_sites),
            radius_m: self.radius_m.unwrap_or(plan_radius_m),
            max_distance_m: self.max_distance_on.then_some(self.max_distance_m),
            candidates: match self.candidates {
                CandidateKind::DistrictCentres => CandidateSource::DistrictAnchors,
                CandidateKind::Grid => CandidateSource::Grid {
                    spacing_m: self.grid_spacing_m,
                },
                CandidateKind::PlacedOffices => CandidateSource::Offices,
                CandidateKind::Layer(id) => {
                    CandidateSource::Sites(self.point_layer(id).map(sites_from_layer).unwrap_or_default().into())
                }
            },
            demand: match self.demand_layer.and_then(|id| self.point_layer(id)) {
                Some(data) => DemandPoints::Given(demand_from_layer(data, self.demand_field.as_ref()).into()),
                None if self.spread_demand => DemandPoints::Spread {
                    spacing_m: self.demand_spacing_m,
                },
                None => DemandPoints::Anchors,
            },
            weights: DemandWeights {
                population_field,
                marginal_priority: self.marginal_priority,
            },
            keep_offices: self.keep_offices,
            keep_proposed: self.keep_proposed,
            also_keep: if self.keep_selected {
                plan.selected_offices.iter().copied().collect()
            } else {
                Vec::new()
            },
            area: match &self.area {
                AreaChoice::All => None,
                AreaChoice::Selected => Some(selection.iter().copied().collect()),
                AreaChoice::Group { field, value } => district_groups(layer)
                    .into_iter()
                    .find(|g| &g.field == field && &g.value == value)
                    .map(|g| g.districts),
            },
            indicator_radius_m: Some(plan_radius_m),
            options: SolveOptions::default(),
        }
    }

    /// Starts a search on the thread "suggest-sites"; `done` is called from it when the answer
    /// is ready (to ask for a repaint). A search already running is cancelled.
    pub fn start(
        &mut self,
        layer: Arc<DistrictLayer>,
        plan: &PlanState,
        selection: &BTreeSet<usize>,
        done: impl Fn() + Send + 'static,
    ) {
        self.cancel();
        let request = self.request(plan, &layer, selection);
        let offices = plan.plan.offices.clone();
        let control = SolveControl::default();
        let worker_control = control.clone();
        let (sender, receiver) = channel();
        let spawned = std::thread::Builder::new().name("suggest-sites".into()).spawn(move || {
            let answer = suggest_sites(&layer, &offices, &request, &worker_control);
            let _ = sender.send(answer);
            done();
        });
        match spawned {
            Ok(_) => {
                self.job = Some(SuggestJob { control, receiver });
                self.message = None;
            }
            Err(e) => self.message = Some(e.to_string()),
        }
    }

    /// True while a search runs.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// Share of the running search done, 0..1.
    pub fn progress(&self) -> Option<f32> {
        self.job.as_ref().map(|j| j.control.progress())
    }

    /// Stops the running search (its answer is dropped).
    pub fn cancel(&mut self) {
        if let Some(job) = self.job.take() {
            job.control.cancel();
        }
    }

    /// Takes the search's answer when it has come; true when something changed.
    pub fn poll(&mut self, lang: Language) -> bool {
        let Some(job) = &self.job else { return false };
        match job.receiver.try_recv() {
            Err(TryRecvError::Empty) => false,
            Ok(Ok(answer)) => {
                self.job = None;
                self.result = Some(answer);
                self.accepted.clear();
                true
            }
            Ok(Err(SuggestError::Cancelled(_))) => {
                self.job = None;
                self.message = Some(lang.tr(Msg::WasCancelled).to_owned());
                true
            }
            Ok(Err(e)) => {
                self.job = None;
                self.message = Some(e.to_string());
                true
            }
            Err(TryRecvError::Disconnected) => {
                self.job = None;
                self.message = Some("the search stopped without an answer".to_owned());
                true
            }
        }
    }

    /// Drops the answer.
    pub fn discard(&mut self) {
        self.result = None;
        self.accepted.clear();
    }

    /// Sites of the answer still waiting: not accepted (or accepted and undone), not a placed
    /// office already. With their position in the answer.
    pub fn pending_sites<'a>(&'a self, plan: &PlanState) -> Vec<(usize, &'a SuggestedSite)> {
        let Some(result) = &self.result else {
            return Vec::new();
        };
        result
            .sites
            .iter()
            .enumerate()
            .filter(|(_, s)| s.existing_office.is_none())
            .filter(|(k, _)| self.accepted.get(k).is_none_or(|id| plan.plan.office(*id).is_none()))
            .collect()
    }

    /// Turns the pending sites among `which` (positions in the answer) into proposed offices in
    /// one undoable step and selects them. Names say they were suggested and which (the office
    /// list and the map say where).
    pub fn accept(&mut self, plan: &mut PlanState, which: &[usize], lang: Language) {
        let Some(result) = &self.result else { return };
        let pending: Vec<usize> = self.pending_sites(plan).iter().map(|(k, _)| *k).collect();
        let mut commands = Vec::new();
        let mut made = Vec::new();
        for &k in which.iter().filter(|k| pending.contains(k)) {
            let Some(site) = result.sites.get(k) else { continue };
            let id = plan.plan.new_office_id();
            let name = format!("{} {}", lang.tr(Msg::SuggestedSite), count_in(k + 1, lang));
            let mut office = Office::proposed(id, name, site.lon_lat);
            office.status = OfficeStatus::Proposed;
            office.notes = format!(
                "{} ({}): {}",
                lang.tr(Msg::SuggestTitle),
                result.model.name(),
                contribution_text(result, site, lang)
            );
            commands.push(Command::AddOffice(office));
            made.push((k, id));
        }
        if commands.is_empty() {
            return;
        }
        match plan.apply(Command::Batch(commands)) {
            Ok(()) => {
                plan.selected_offices = made.iter().map(|(_, id)| *id).collect();
                self.accepted.extend(made);
            }
            Err(e) => self.message = Some(e.to_string()),
        }
    }

    /// The pending sites as map symbols, numbered as in the panel.
    pub fn marks(&self, plan: &PlanState, lang: Language) -> Vec<SuggestionMark> {
        self.pending_sites(plan)
            .into_iter()
            .map(|(k, s)| SuggestionMark {
                lon_lat: s.lon_lat,
                label: count_in(k + 1, lang),
            })
            .collect()
    }
}

/// A count in the language's digits.
fn count_in(n: usize, lang: Language) -> String {
    lang.numbers().count(n as u64)
}

/// A suggested site on the map.
#[derive(Clone, Debug, PartialEq)]
pub struct SuggestionMark {
    /// Where, WGS 84 longitude and latitude.
    pub lon_lat: [f64; 2],
    /// Its number in the panel.
    pub label: String,
}

/// Violet of suggested sites: apart from the office status colours and the coverage greens.
pub const SUGGESTION_COLOR: Color32 = Color32::from_rgb(0x7B, 0x2C, 0xBF);

/// Draws suggested sites as numbered violet diamonds, with dashed catchment circles of
/// `radius_m` when given.
pub fn paint_suggestions(
    painter: &egui::Painter,
    projector: &Projector,
    marks: &[SuggestionMark],
    radius_m: Option<f64>,
) {
    for mark in marks {
        let centre = projector.screen_from_lon_lat(mark.lon_lat);
        if let Some(r) = radius_m {
            let radius = r as f32 * projector.points_per_m(mark.lon_lat);
            if radius > 6.0 {
                let points: Vec<Pos2> = (0..=96)
                    .map(|k| {
                        let a = k as f32 / 96.0 * std::f32::consts::TAU;
                        centre + radius * egui::vec2(a.cos(), a.sin())
                    })
                    .collect();
                painter.extend(Shape::dashed_line(
                    &points,
                    Stroke::new(1.5, SUGGESTION_COLOR),
                    6.0,
                    4.0,
                ));
            }
        }
        let h = 10.0;
        let diamond = vec![
            centre + egui::vec2(0.0, -h),
            centre + egui::vec2(h, 0.0),
            centre + egui::vec2(0.0, h),
            centre + egui::vec2(-h, 0.0),
        ];
        painter.add(Shape::convex_polygon(
            diamond,
            SUGGESTION_COLOR,
            Stroke::new(1.5, Color32::WHITE),
        ));
        // Through the bidi layout: egui alone shows a run of Persian digits backwards.
        let job = super::bidi_text::bidi_layout_job(
            &mark.label,
            egui::FontId::proportional(10.0),
            Color32::WHITE,
            crate::text::BaseDirection::Auto,
        );
        let galley = painter.layout_job(job);
        painter.galley(
            egui::Align2::CENTER_CENTER.anchor_size(centre, galley.size()).min,
            galley,
            Color32::WHITE,
        );
    }
}

/// Shows the panel when open; returns a site to fly the map to (a clicked row). `selection`
/// holds the selected districts.
pub fn suggest_panel_ui(
    ctx: &egui::Context,
    panel: &mut SuggestPanel,
    plan: &mut PlanState,
    scene: &MapScene,
    selection: &BTreeSet<usize>,
    lang: Language,
) -> Option<[f64; 2]> {
    if panel.poll(lang) {
        ctx.request_repaint();
    }
    if !panel.open {
        return None;
    }
    if panel.busy() {
        ctx.request_repaint_after(std::time::Duration::from_millis(100));
    }
    let mut open = panel.open;
    let mut fly_to = None;
    // Beside the right-hand panel, clear of the toolbar and the district list.
    let top_right = ctx.content_rect().right_top() + egui::vec2(-320.0, 70.0);
    egui::Window::new(lang.tr(Msg::SuggestTitle))
        .open(&mut open)
        .default_width(380.0)
        .pivot(egui::Align2::RIGHT_TOP)
        .default_pos(top_right)
        .show(ctx, |ui| {
            question_ui(ui, panel, plan, scene, selection, lang);
            ui.separator();
            run_ui(ui, panel, plan, scene, selection, lang);
            if let Some(message) = &panel.message {
                ui.add(BidiLabel::new(message).color(ui.visuals().warn_fg_color).wrap());
            }
            if panel.result.is_some() {
                ui.separator();
                fly_to = answer_ui(ui, panel, plan, scene, lang);
            }
        });
    panel.open = open;
    fly_to
}

/// The settings of the question.
fn question_ui(
    ui: &mut egui::Ui,
    panel: &mut SuggestPanel,
    plan: &PlanState,
    scene: &MapScene,
    selection: &BTreeSet<usize>,
    lang: Language,
) {
    ui.add(BidiLabel::new(lang.tr(Msg::Question)));
    for (model, msg) in [
        (Model::MaxCovering, Msg::ModelCovering),
        (Model::PMedian, Msg::ModelMedian),
        (Model::SetCovering, Msg::ModelSetCover),
    ] {
        ui.radio_value(&mut panel.model, model, bidi_widget_text(ui, lang.tr(msg)));
    }
    egui::Grid::new("suggest_settings").num_columns(2).show(ui, |ui| {
        let label = ui.label(lang.tr(Msg::NewSites));
        ui.add_enabled(
            panel.model != Model::SetCovering,
            number_drag(&mut panel.new_sites, lang, 0).range(1..=100),
        )
        .labelled_by(label.id);
        ui.end_row();
        let label = ui.label(lang.tr(Msg::RadiusM));
        let mut radius = panel.radius_m.unwrap_or(plan.plan.radius_m);
        if ui
            .add(number_drag(&mut radius, lang, 0).range(50.0..=50_000.0).speed(10.0))
            .labelled_by(label.id)
            .changed()
        {
            panel.radius_m = Some(radius);
        }
        ui.end_row();
        let label = ui.checkbox(&mut panel.max_distance_on, lang.tr(Msg::MaxDistanceM));
        metres_ui(
            ui,
            panel.max_distance_on,
            &mut panel.max_distance_m,
            100_000.0,
            label.id,
            lang,
        );
        ui.end_row();
        let label = ui.label(lang.tr(Msg::MarginalWeight));
        ui.add(
            number_drag(&mut panel.marginal_priority, lang, 1)
                .range(0.0..=10.0)
                .speed(0.1),
        )
        .labelled_by(label.id);
        ui.end_row();
        ui.label(lang.tr(Msg::DemandAt));
        ui.vertical(|ui| {
            let from_districts = panel.demand_layer.is_none();
            if ui
                .radio(from_districts && !panel.spread_demand, lang.tr(Msg::DistrictCentres))
                .clicked()
            {
                (panel.spread_demand, panel.demand_layer) = (false, None);
            }
            ui.horizontal(|ui| {
                let label = ui.radio(from_districts && panel.spread_demand, lang.tr(Msg::SpreadEvery));
                if label.clicked() {
                    (panel.spread_demand, panel.demand_layer) = (true, None);
                }
                metres_ui(
                    ui,
                    from_districts && panel.spread_demand,
                    &mut panel.demand_spacing_m,
                    5_000.0,
                    label.id,
                    lang,
                );
            });
            let choices: Vec<(LayerId, String, Vec<FieldPath>)> = panel
                .point_layers
                .iter()
                .map(|l| (l.id, l.name.clone(), l.data.field_names().to_vec()))
                .collect();
            for (id, name, fields) in choices {
                let chosen = panel.demand_layer == Some(id);
                ui.horizontal(|ui| {
                    let text = format!("{} «{name}»", lang.tr(Msg::PointsOf));
                    if ui.radio(chosen, text).clicked() && !chosen {
                        panel.demand_layer = Some(id);
                        panel.demand_field = None;
                    }
                    if chosen {
                        let shown = panel
                            .demand_field
                            .as_ref()
                            .map_or(lang.tr(Msg::EachCountsOne).to_string(), |f| f.as_str().to_string());
                        egui::ComboBox::from_id_salt(("suggest-demand-field", id.0))
                            .selected_text(shown)
                            .show_ui(ui, |ui| {
                                ui.selectable_value(&mut panel.demand_field, None, lang.tr(Msg::EachCountsOne));
                                for f in fields {
                                    let text = f.as_str().to_string();
                                    ui.selectable_value(&mut panel.demand_field, Some(f), text);
                                }
                            });
                    }
                });
            }
        });
        ui.end_row();
        ui.label(lang.tr(Msg::CandidateSites));
        ui.vertical(|ui| {
            ui.radio_value(
                &mut panel.candidates,
                CandidateKind::DistrictCentres,
                lang.tr(Msg::DistrictCentres),
            );
            ui.horizontal(|ui| {
                let label = ui.radio_value(&mut panel.candidates, CandidateKind::Grid, lang.tr(Msg::GridEvery));
                let grid = panel.candidates == CandidateKind::Grid;
                metres_ui(ui, grid, &mut panel.grid_spacing_m, 20_000.0, label.id, lang);
            });
            ui.radio_value(
                &mut panel.candidates,
                CandidateKind::PlacedOffices,
                lang.tr(Msg::PlacedOffices),
            );
            for layer in &panel.point_layers {
                let text = format!("{} «{}»", lang.tr(Msg::PointsOf), layer.name);
                ui.radio_value(&mut panel.candidates, CandidateKind::Layer(layer.id), text);
            }
        });
        ui.end_row();
    });
    let fixed = count_in(
        plan.plan
            .offices
            .iter()
            .filter(|o| o.status != OfficeStatus::Proposed)
            .count(),
        lang,
    );
    ui.checkbox(
        &mut panel.keep_offices,
        bidi_widget_text(ui, &format!("{} ({fixed})", lang.tr(Msg::KeepOffices))),
    );
    let proposed = count_in(
        plan.plan
            .offices
            .iter()
            .filter(|o| o.status == OfficeStatus::Proposed)
            .count(),
        lang,
    );
    ui.checkbox(
        &mut panel.keep_proposed,
        bidi_widget_text(ui, &format!("{} ({proposed})", lang.tr(Msg::KeepProposed))),
    );
    area_ui(ui, panel, scene, selection, lang);
    if !plan.selected_offices.is_empty() {
        let selected = count_in(plan.selected_offices.len(), lang);
        ui.checkbox(
            &mut panel.keep_selected,
            bidi_widget_text(ui, &format!("{} ({selected})", lang.tr(Msg::KeepSelected))),
        );
    }
}

/// Where demand and candidates come from: all districts, the selected ones, or one group (city).
fn area_ui(ui: &mut egui::Ui, panel: &mut SuggestPanel, scene: &MapScene, selection: &BTreeSet<usize>, lang: Language) {
    let groups = district_groups(&scene.layer);
    if panel.area == AreaChoice::Selected && selection.is_empty() {
        panel.area = AreaChoice::All;
    }
    let text = |area: &AreaChoice| match area {
        AreaChoice::All => lang.tr(Msg::AllDistricts).to_string(),
        AreaChoice::Selected => format!(
            "{} ({})",
            lang.tr(Msg::SelectedDistricts),
            count_in(selection.len(), lang)
        ),
        AreaChoice::Group { field, value } => format!("{value} ({field})"),
    };
    ui.horizontal(|ui| {
        let label = ui.label(lang.tr(Msg::OnlyIn));
        egui::ComboBox::from_id_salt("suggest_area")
            .selected_text(bidi_widget_text(ui, &text(&panel.area)))
            .show_ui(ui, |ui| {
                let mut choices = vec![AreaChoice::All];
                if !selection.is_empty() {
                    choices.push(AreaChoice::Selected);
                }
                choices.extend(groups.iter().map(|g| AreaChoice::Group {
                    field: g.field.clone(),
                    value: g.value.clone(),
                }));
                for choice in choices {
                    let label = bidi_widget_text(ui, &text(&choice));
                    if ui.selectable_label(panel.area == choice, label).clicked() {
                        panel.area = choice;
                    }
                }
            })
            .response
            .labelled_by(label.id);
    });
}

/// A distance in metres (50 up to `max_m`), editable when `enabled`, named by the widget `label`.
fn metres_ui(ui: &mut egui::Ui, enabled: bool, value_m: &mut f64, max_m: f64, label: egui::Id, lang: Language) {
    ui.add_enabled(enabled, number_drag(value_m, lang, 0).range(50.0..=max_m).speed(10.0))
        .labelled_by(label);
}

/// The Suggest button, or the progress of the running search with Cancel.
fn run_ui(
    ui: &mut egui::Ui,
    panel: &mut SuggestPanel,
    plan: &PlanState,
    scene: &MapScene,
    selection: &BTreeSet<usize>,
    lang: Language,
) {
    ui.horizontal(|ui| match panel.progress() {
        Some(done) => {
            ui.add(
                egui::ProgressBar::new(done)
                    .desired_width(220.0)
                    .text(lang.tr(Msg::Searching)),
            );
            if ui.button(lang.tr(Msg::Cancel)).clicked() {
                panel.cancel();
                panel.message = Some(lang.tr(Msg::WasCancelled).to_owned());
            }
        }
        None => {
            if ui.button(lang.tr(Msg::Suggest)).clicked() {
                let ctx = ui.ctx().clone();
                panel.start(Arc::clone(&scene.layer), plan, selection, move || ctx.request_repaint());
            }
        }
    });
}

/// The answer in plain words and its sites with Accept buttons; returns a site to fly to.
fn answer_ui(
    ui: &mut egui::Ui,
    panel: &mut SuggestPanel,
    plan: &mut PlanState,
    scene: &MapScene,
    lang: Language,
) -> Option<[f64; 2]> {
    let result = panel.result.as_ref()?;
    for line in summary_lines(result, panel.marginal_priority, &scene.layer, lang) {
        ui.add(BidiLabel::new(&line).wrap());
    }
    // Suggestions within reach of an office the plan has already.
    for (k, site) in result.sites.iter().enumerate() {
        if let Some((id, m)) = site.nearest_office
            && m <= result.indicator_radius_m
            && site.existing_office.is_none()
            && let Some(office) = plan.plan.office(id)
        {
            let line = near_office_text(k + 1, &office.name, m, lang);
            ui.add(BidiLabel::new(&line).color(ui.visuals().warn_fg_color).wrap());
        }
    }
    let pending: Vec<usize> = panel.pending_sites(plan).iter().map(|(k, _)| *k).collect();
    let mut fly_to = None;
    let mut accept = Vec::new();
    egui::ScrollArea::vertical().max_height(240.0).show(ui, |ui| {
        egui::Grid::new("suggested_sites")
            .num_columns(4)
            .striped(true)
            .show(ui, |ui| {
                for (k, site) in result.sites.iter().enumerate() {
                    ui.add(BidiLabel::new(&count_in(k + 1, lang)).color(SUGGESTION_COLOR));
                    let place = site
                        .district
                        .map(|d| scene.layer.label_in(d, lang).into_owned())
                        .unwrap_or_else(|| lang.tr(Msg::OutsideDistricts).into());
                    if ui.add(BidiLabel::new(&place).sense(egui::Sense::click())).clicked() {
                        fly_to = Some(site.lon_lat);
                    }
                    ui.add(BidiLabel::new(&contribution_text(result, site, lang)));
                    if site.existing_office.is_some() {
                        ui.label(lang.tr(Msg::AlreadyPlaced));
                    } else if pending.contains(&k) {
                        if ui.button(lang.tr(Msg::Accept)).clicked() {
                            accept.push(k);
                        }
                    } else {
                        ui.label(lang.tr(Msg::Accepted));
                    }
                    ui.end_row();
                }
            });
    });
    let mut discard = false;
    ui.horizontal(|ui| {
        if ui
            .add_enabled(!pending.is_empty(), egui::Button::new(lang.tr(Msg::AcceptAll)))
            .clicked()
        {
            accept = pending.clone();
        }
        discard = ui.button(lang.tr(Msg::Discard)).clicked();
    });
    if !accept.is_empty() {
        panel.accept(plan, &accept, lang);
    }
    if discard {
        panel.discard();
    }
    fly_to
}
