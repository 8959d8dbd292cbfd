//! The workbench: the loaded layer, the map, the list and attribute panels, the load in progress
//! and the selection, with the UI that shows them. Independent of eframe, so tests drive it
//! through egui_kittest exactly as the window does.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use egui::{Key, KeyboardShortcut, Modifiers};

use super::attributes::attributes_ui;
use super::basemap_menu::{BasemapAction, BasemapMenu, basemap_menu_ui, basemap_words};
use super::bidi_text::{BidiLabel, bidi_widget_text};
use super::district_list::{DistrictListState, district_list_ui};
use super::file_dialog::{FileDialogs, FilePurpose};
use super::i18n::{Language, Msg, refusal_text};
use super::join_panel::{JoinPanelState, join_panel_ui, join_words};
use super::layer_panel::{LayerPanelAction, LayerPanelState, layer_panel_ui};
use super::layer_words::layer_words;
use super::layout_dialog::{LayoutDialog, MapContext, layout_dialog_ui};
use super::legend::legend_ui;
use super::loader::{LoadJob, PendingModel};
use super::map::{MapOverlay, MapScene, MapState, OverlayStack, map_ui};
use super::measure_tool::{MeasureOverlay, MeasureState, measure_readout_ui};
use super::number_field::number_drag;
use super::office_panel::{commit_office_drafts, indicators_ui, office_editor_ui, office_list_ui};
use super::offices_overlay::OfficesOverlay;
use super::plan_state::{PlanState, Tool};
use super::read_question::{ReadAnswer, ReadQuestion, read_question_ui};
use super::reference_layers::ReferenceLayers;
use super::reference_overlay::ReferenceOverlay;
use super::style_panel::{StylePanelState, style_panel_ui};
use super::style_words::style_words;
use super::suggest_panel::{SuggestPanel, suggest_panel_ui};
use super::theme_state::ThemeState;
use super::warnings::warnings_ui;
use crate::basemap::is_basemap_file;
use crate::io::{LoadOptions, load_options};
use crate::model::{Command, DistrictsSource, FieldPath, LabelFieldReason, ReadChoices, TableJoin};

/// Recent files remembered.
const MAX_RECENT: usize = 10;

/// Ctrl+Q.
pub const QUIT_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);
/// Ctrl+O.
pub const OPEN_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);

/// Everything the window shows.
pub struct Workbench {
    /// The plan's district layer, prepared for the map (its file is `scene.layer.source`).
    pub scene: Option<MapScene>,
    /// Map camera, hover and renderer.
    pub map: MapState,
    /// Selected districts.
    pub selection: BTreeSet<usize>,
    /// The district list's search and sort.
    pub list: DistrictListState,
    /// A load in progress.
    pub load: Option<LoadJob>,
    /// The last error, in plain words, until dismissed.
    pub error: Option<String>,
    /// Recently opened files, newest first.
    pub recent: Vec<PathBuf>,
    /// Interface language.
    pub lang: Language,
    /// Whether the load warnings panel is open.
    pub show_warnings: bool,
    /// Set when the user asked to quit; the window closes.
    pub quit_requested: bool,
    /// The plan: offices, undo history, coverage.
    pub plan: PlanState,
    /// Which list the left panel shows.
    pub left_tab: LeftTab,
    /// The print layout dialog.
    pub layout_dialog: LayoutDialog,
    /// The "Suggest sites" panel.
    pub suggest: SuggestPanel,
    /// The measure tool's points.
    pub measure: MeasureState,
    /// The radius being typed, until it is committed.
    radius_edit: Option<f64>,
    /// The scale being typed in the status bar, until Enter.
    pub scale_edit: Option<String>,
    /// Where unsaved changes are kept against a crash (none: no autosave).
    pub recovery_path: Option<PathBuf>,
    /// Seconds between autosaves while there are unsaved changes.
    pub autosave_every_s: f64,
    /// When the last autosave (or the start) happened, in egui time.
    pub(super) last_autosave_s: Option<f64>,
    /// A recovery file found at start, offered for restoring.
    pub recovery_offer: Option<PathBuf>,
    /// The "save before quitting?" question is showing.
    pub confirm_quit: bool,
    /// The user has answered it: the window may close.
    pub(super) quit_confirmed: bool,
    /// What the map's colour table was last made for: coverage generation, shading on/off and
    /// theme generation.
    colors_made_for: Option<(u64, bool, u64, u32)>,
    /// The thematic colours of the plan's district style.
    pub themes: ThemeState,
    /// The style panel's text being typed.
    style_panel: StylePanelState,
    /// The joined-tables panel.
    pub(super) join_panel: JoinPanelState,
    /// The file dialogs.
    pub files: FileDialogs,
    /// The plan's district layer could not be opened: which, and why.
    pub layer_problem: Option<LayerProblem>,
    /// A file waiting for the planner to say which layer or coordinate system to read.
    pub read_question: Option<ReadQuestion>,
    /// Data files being written on their threads.
    pub(super) data_exports: Vec<super::data_export::DataExportJob>,
    /// The basemap's menu state and the file that did not open.
    pub basemap_menu: BasemapMenu,
    /// The plan's reference layers as read.
    pub reference: ReferenceLayers,
    /// The layer panel's state.
    pub layer_panel: LayerPanelState,
}

/// The plan names a district layer that could not be opened.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerProblem {
    /// What the plan asked for.
    pub source: DistrictsSource,
    /// Why it did not open.
    pub message: String,
}

/// Seconds between autosaves.
pub const AUTOSAVE_EVERY_S: f64 = 30.0;

impl Default for Workbench {
    fn default() -> Self {
        Self {
            scene: None,
            reference: ReferenceLayers::default(),
            layer_panel: LayerPanelState::default(),
            map: MapState::default(),
            selection: BTreeSet::new(),
            list: DistrictListState::default(),
            load: None,
            error: None,
            recent: Vec::new(),
            lang: Language::default(),
            show_warnings: false,
            quit_requested: false,
            plan: PlanState::default(),
            left_tab: LeftTab::default(),
            layout_dialog: LayoutDialog::default(),
            suggest: SuggestPanel::default(),
            measure: MeasureState::default(),
            radius_edit: None,
            scale_edit: None,
            recovery_path: None,
            autosave_every_s: AUTOSAVE_EVERY_S,
            last_autosave_s: None,
            recovery_offer: None,
            confirm_quit: false,
            quit_confirmed: false,
            colors_made_for: None,
            themes: ThemeState::default(),
            style_panel: StylePanelState::default(),
            join_panel: JoinPanelState::default(),
            files: FileDialogs::default(),
            layer_problem: None,
            read_question: None,
            data_exports: Vec::new(),
            basemap_menu: BasemapMenu::default(),
        }
    }
}

/// The lists of the left panel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LeftTab {
    /// Districts.
    #[default]
    Districts,
    /// Offices.
    Offices,
    /// Reference layers.
    Layers,
}

/// Ctrl+Z.
pub const UNDO_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
/// Ctrl+Shift+Z.
pub const REDO_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
/// Ctrl+Y.
pub const REDO_SHORTCUT_Y: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
/// Ctrl+J (as in QGIS).
pub const ZOOM_TO_SELECTION_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::J);
/// Ctrl+S.
pub const SAVE_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);

impl Workbench {
    /// Starts loading a district layer the user chose; once it has loaded, the plan works on
    /// it (one undoable step when the plan has work in it). The current layer stays until then.
    pub fn open(&mut self, path: PathBuf, ctx: &egui::Context) {
        self.start_load(path, ReadChoices::default(), None, Vec::new(), true, ctx);
    }

    fn start_load(
        &mut self,
        path: PathBuf,
        read: ReadChoices,
        label_field: Option<FieldPath>,
        joins: Vec<TableJoin>,
        adopt: bool,
        ctx: &egui::Context,
    ) {
        if let Some(job) = self.load.take() {
            job.cancel();
        }
        self.read_question = None;
        let options = match load_options(&read, label_field) {
            Ok(options) => LoadOptions { joins, ..options },
            Err(e) => return self.load_failed(path, e.to_string(), adopt),
        };
        let repaint_ctx = ctx.clone();
        // A file the planner opens becomes the plan's layer with no population field chosen
        // yet; the plan's own layer keeps the plan's.
        let population_field = if adopt { None } else { self.plan.population_field() };
        match LoadJob::start(path.clone(), options, read, population_field, adopt, move || {
            repaint_ctx.request_repaint()
        }) {
            Ok(job) => self.load = Some(job),
            Err(e) => self.load_failed(path, e.to_string(), adopt),
        }
    }

    /// A load could not start: said in the error line for a file the planner opened, kept as
    /// the plan's layer problem otherwise.
    fn load_failed(&mut self, path: PathBuf, reason: String, adopt: bool) {
        let message = format!("{reason}: {}", path.display());
        if adopt {
            self.error = Some(format!("{}: {message}", self.lang.tr(Msg::CouldNotOpen)));
        } else {
            self.plan_layer_failed(path, message);
        }
    }

    /// The plan's own layer (at `path`) did not open: say so, and do not try it again until the
    /// plan or the user asks.
    fn plan_layer_failed(&mut self, path: PathBuf, message: String) {
        let source = self
            .plan
            .plan
            .districts
            .clone()
            .unwrap_or_else(|| DistrictsSource::file(path));
        self.layer_problem = Some(LayerProblem { source, message });
    }

    /// Shows a loaded layer and makes it the plan's district layer (see [`Workbench::open`]).
    pub fn set_scene(&mut self, scene: MapScene) {
        self.set_scene_with_model(scene, None);
    }

    /// [`Workbench::set_scene`] with the coverage model the load is measuring.
    fn set_scene_with_model(&mut self, scene: MapScene, model: Option<PendingModel>) {
        let source = DistrictsSource {
            read: scene.read.clone(),
            joins: scene.joins.clone(),
            ..DistrictsSource::file(scene.layer.source.clone())
        };
        self.show_scene(scene, model);
        self.adopt_layer(source);
    }

    /// Shows a loaded layer without changing the plan.
    fn show_scene(&mut self, scene: MapScene, model: Option<PendingModel>) {
        self.selection.clear();
        self.list = DistrictListState::default();
        self.map.reset_view();
        let report = &scene.layer.report;
        self.show_warnings = !report.skipped.is_empty() || !report.warnings.is_empty();
        self.remember(&scene.layer.source.clone());
        match model {
            Some(pending) => self.plan.set_pending_model(pending),
            None => self.plan.set_layer(std::sync::Arc::clone(&scene.layer)),
        }
        // Suggestions were for the previous layer's districts.
        self.suggest.cancel();
        self.suggest.discard();
        // A table that could not be joined leaves its fields out: said, not hidden.
        self.error = scene.layer.report.failed_joins.first().map(|f| f.message.clone());
        self.scene = Some(scene);
        self.layer_problem = None;
    }

    /// The plan works on `source` from now on: silently for a plan with nothing in it yet, as
    /// an undoable step otherwise.
    fn adopt_layer(&mut self, source: DistrictsSource) {
        if self
            .plan
            .plan
            .districts
            .as_ref()
            .is_some_and(|d| same_file(&d.path, &source.path) && d.read == source.read && d.joins == source.joins)
        {
            return;
        }
        if self.plan.is_pristine() {
            self.plan.plan.districts = Some(source);
            self.plan.revision += 1;
        } else {
            self.plan.submit(Command::SetDistricts(Some(source)));
        }
    }

    /// Shows the plan's own district layer: when the plan names another file (a plan was opened,
    /// an undo went back to another layer) or another label field than the one shown, that
    /// layer is loaded. What failed once is not tried again until the plan changes or the user
    /// asks.
    fn sync_layer_with_plan(&mut self, ctx: &egui::Context) {
        let Some(wanted) = self.plan.plan.districts.clone() else {
            return;
        };
        if self.load.is_some() {
            return;
        }
        if self.scene.as_ref().is_some_and(|s| shows(s, &wanted)) {
            self.layer_problem = None;
            return;
        }
        if self.layer_problem.as_ref().is_some_and(|p| p.source == wanted) {
            return;
        }
        let same_file_again = self
            .scene
            .as_ref()
            .is_some_and(|s| s.read == wanted.read && same_file(&s.layer.source, &wanted.path));
        if same_file_again {
            // The same districts read again (a table joined, another label field): they stay
            // on screen, and the view stays, until the new reading replaces them.
            self.map.keep_view_on_next_load();
        } else if self.scene.take().is_some() {
            // Never the plan's offices over another plan's districts.
            self.plan.clear_layer();
            self.selection.clear();
        }
        self.start_load(
            wanted.path.clone(),
            wanted.read.clone(),
            wanted.label_field.clone(),
            wanted.joins.clone(),
            false,
            ctx,
        );
    }

    /// Selects `district` (or clears the selection for `None`); with `add`, toggles it in the
    /// selection instead.
    pub fn select(&mut self, district: Option<usize>, add: bool) {
        match (district, add) {
            (Some(i), true) => {
                if !self.selection.remove(&i) {
                    self.selection.insert(i);
                }
            }
            (Some(i), false) => {
                self.selection.clear();
                self.selection.insert(i);
            }
            (None, true) => {}
            (None, false) => self.selection.clear(),
        }
    }

    fn remember(&mut self, path: &Path) {
        let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        self.recent.retain(|p| p != &path);
        self.recent.insert(0, path);
        self.recent.truncate(MAX_RECENT);
    }

    fn poll_load(&mut self) {
        let Some(job) = &mut self.load else { return };
        let Some(result) = job.poll() else { return };
        let (adopt, path, read) = (job.adopt, job.path.clone(), job.read.clone());
        self.load = None;
        if let Err(e) = &result {
            self.read_question = ReadQuestion::from_error(e, path.clone(), &read, adopt);
        }
        match (result, adopt) {
            (Ok((scene, model)), true) => self.set_scene_with_model(scene, Some(model)),
            (Ok((scene, model)), false) => self.show_scene(scene, Some(model)),
            (Err(crate::io::LoadError::Cancelled { .. }), true) => {}
            (Err(_), true) if self.read_question.is_some() => {}
            (Err(e), true) => self.error = Some(format!("{}: {e}", self.lang.tr(Msg::CouldNotOpen))),
            (Err(e), false) => self.plan_layer_failed(path, e.to_string()),
        }
    }

    /// Reads a file again as the planner answered: a file they opened is loaded with the
    /// choice; the plan's own layer changes its reading choices (undoably) and reloads.
    fn answer_read(&mut self, answer: ReadAnswer, ctx: &egui::Context) {
        if answer.adopt {
            self.start_load(answer.path, answer.read, None, Vec::new(), true, ctx);
            return;
        }
        let mut source = self
            .plan
            .plan
            .districts
            .clone()
            .unwrap_or_else(|| DistrictsSource::file(answer.path));
        source.read = answer.read;
        self.plan.submit(Command::SetDistricts(Some(source)));
    }

    /// Shows the whole workbench in `ui`.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        self.poll_load();
        if self.plan.poll_model() {
            // The loading thread wakes the window when the model is there; this is a fallback.
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(200));
        }
        if self.plan.poll_coverage() {
            // Coverage of a big layer is being computed on a thread; look again soon.
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(50));
        }
        self.poll_data_exports();
        let ctx = ui.ctx().clone();
        self.sync_layer_with_plan(&ctx);
        self.reference.sync(&self.plan.plan, &ctx);
        self.basemap_menu
            .sync(&mut self.map, self.plan.plan.basemap.as_ref(), &ctx);
        if ctx.input_mut(|i| i.consume_shortcut(&QUIT_SHORTCUT)) {
            self.quit_requested = true;
        }
        if ctx.input_mut(|i| i.consume_shortcut(&OPEN_SHORTCUT)) {
            self.ask_file(FilePurpose::OpenLayer);
        }
        if ctx.input_mut(|i| i.consume_shortcut(&ZOOM_TO_SELECTION_SHORTCUT)) {
            self.zoom_to_selection(ctx.input(|i| i.time));
        }
        if ctx.input_mut(|i| i.consume_shortcut(&SAVE_SHORTCUT)) {
            // Typing not yet committed goes into the file too.
            commit_office_drafts(ui, &mut self.plan);
            self.save_plan_ui(false, false);
        }
        // Redo before undo: Ctrl+Shift+Z also matches a plain Ctrl+Z shortcut check.
        if ctx.input_mut(|i| i.consume_shortcut(&REDO_SHORTCUT) || i.consume_shortcut(&REDO_SHORTCUT_Y)) {
            self.plan.redo();
        } else if ctx.input_mut(|i| i.consume_shortcut(&UNDO_SHORTCUT)) {
            self.plan.undo();
        }
        if self.plan.tool == Tool::Measure {
            self.measure.keys_ui(&ctx);
        }
        if !ctx.egui_wants_keyboard_input() {
            if ctx.input(|i| i.key_pressed(Key::Delete)) {
                let outcome = self.plan.remove_selected_offices();
                self.plan.report(outcome);
            }
            if ctx.input(|i| i.key_pressed(Key::Escape)) {
                self.plan.selected_offices.clear();
            }
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if let Some(path) = dropped.into_iter().next() {
            if crate::io::is_plan_file(&path) {
                self.open_plan(path, &ctx);
            } else if is_basemap_file(&path) {
                self.set_basemap_file(path);
            } else if self.left_tab == LeftTab::Layers && self.scene.is_some() {
                self.add_reference_layer(path);
            } else {
                self.open(path, &ctx);
            }
        }
        let lang = self.lang;
        let now_s = ctx.input(|i| i.time);
        if self.quit_requested && self.plan.dirty && !self.quit_confirmed {
            self.quit_requested = false;
            self.confirm_quit = true;
        }
        self.autosave_if_due(now_s);
        self.dialogs_ui(&ctx);
        if let Some(answer) = read_question_ui(&ctx, &mut self.read_question, lang) {
            self.answer_read(answer, &ctx);
        }
        if let Some((purpose, path)) = self.files.ui(&ctx, lang) {
            self.file_chosen(purpose, path, &ctx);
        }
        if let Some(failure) = self.files.take_failure() {
            self.error = Some(failure);
        }
        if let Some(refusal) = self.plan.refused.take() {
            self.error = Some(format!(
                "{}: {}",
                lang.tr(Msg::EditRefused),
                refusal_text(&refusal, lang)
            ));
        }
        self.restyle_if_needed();

        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| self.menu_ui(ui, &ctx));
            if self.scene.is_some() {
                self.toolbar_ui(ui);
            }
            self.progress_ui(ui);
            if let Some(error) = self.error.clone() {
                ui.horizontal(|ui| {
                    let color = ui.visuals().error_fg_color;
                    ui.add(BidiLabel::new(&format!("! {error}")).color(color).wrap());
                    if ui.button(lang.tr(Msg::Dismiss)).clicked() {
                        self.error = None;
                    }
                });
            }
        });
        // A fixed height, from the first frame on: the scale field is taller than a line of text,
        // and a bar that grew after the first frame would change the map's size under the
        // first fit.
        let row_h = ui
            .spacing()
            .interact_size
            .y
            .max(ui.text_style_height(&egui::TextStyle::Body) + 4.0);
        egui::Panel::bottom("status")
            .exact_size(row_h + 8.0)
            .show(ui, |ui| self.status_ui(ui));
        let Some(scene) = &self.scene else {
            egui::CentralPanel::default().show(ui, |ui| self.no_layer_ui(ui));
            self.plan.apply_queued();
            return;
        };
        if self.show_warnings {
            let mut target = None;
            egui::Panel::bottom("warnings").resizable(true).show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.strong(lang.tr(Msg::LoadWarnings));
                    if ui.small_button("×").clicked() {
                        self.show_warnings = false;
                    }
                });
                target = warnings_ui(ui, scene, lang);
            });
            if let Some(i) = target {
                self.selection = BTreeSet::from([i]);
                self.map.zoom_to_district(scene, i, now_s);
            }
        }
        // The shown reference layers with their data, for the map, the legend and layouts.
        let shown_layers = self.reference.data.shown_bottom_up(&self.plan.plan);
        let layers_under = self.reference.data.shown_under_districts(&self.plan.plan);
        let mut layer_action = None;
        let row_click = egui::Panel::left("districts")
            .resizable(true)
            .default_size(260.0)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut self.left_tab, LeftTab::Districts, lang.tr(Msg::Districts));
                    ui.selectable_value(&mut self.left_tab, LeftTab::Offices, lang.tr(Msg::Offices));
                    ui.selectable_value(&mut self.left_tab, LeftTab::Layers, layer_words(lang).tab);
                });
                ui.separator();
                match self.left_tab {
                    LeftTab::Districts => district_list_ui(ui, &mut self.list, scene, &self.selection, lang),
                    LeftTab::Offices => {
                        if let Some(click) = office_list_ui(ui, &mut self.plan, scene, lang) {
                            self.map.fly_to_lon_lat(click.lon_lat, now_s);
                        }
                        None
                    }
                    LeftTab::Layers => {
                        let districts_name = scene.layer.source.file_name().map(|n| n.to_string_lossy());
                        layer_action = layer_panel_ui(
                            ui,
                            &mut self.layer_panel,
                            &mut self.plan,
                            &self.reference,
                            districts_name.as_deref(),
                            lang,
                        );
                        None
                    }
                }
            })
            .inner;
        let mut ask_join = false;
        egui::Panel::right("attributes")
            .resizable(true)
            .default_size(300.0)
            .show(ui, |ui| {
                indicators_ui(ui, &self.plan, lang);
                ui.separator();
                if !self.plan.selected_offices.is_empty() {
                    office_editor_ui(ui, &mut self.plan, scene, lang);
                } else {
                    attributes_ui(ui, scene, &self.selection, lang);
                }
                ui.separator();
                egui::CollapsingHeader::new(bidi_widget_text(ui, style_words(lang).heading))
                    .id_salt("style-panel")
                    .show(ui, |ui| {
                        style_panel_ui(
                            ui,
                            &mut self.style_panel,
                            &mut self.plan,
                            &mut self.themes,
                            &scene.layer,
                            lang,
                        );
                    });
                ui.separator();
                egui::CollapsingHeader::new(bidi_widget_text(ui, join_words(lang).heading))
                    .id_salt("join-panel")
                    .open(self.join_panel.is_setting_up().then_some(true))
                    .show(ui, |ui| {
                        ask_join |= join_panel_ui(ui, &mut self.join_panel, &mut self.plan, &scene.layer, lang);
                    });
                ui.separator();
                legend_ui(ui, scene, &self.plan, self.themes.theme.as_deref(), &shown_layers, lang);
            });
        let map_output = egui::CentralPanel::no_frame()
            .show(ui, |ui| {
                let suggestions = self.suggest.marks(&self.plan, lang);
                let measuring = self.plan.tool == Tool::Measure;
                self.map.show_districts = self.plan.plan.districts_shown();
                let mut offices = OfficesOverlay {
                    plan: &mut self.plan,
                    new_office_name: lang.tr(Msg::NewOffice).to_string(),
                    suggestions,
                };
                let mut measure = MeasureOverlay {
                    state: &mut self.measure,
                };
                let mut reference = ReferenceOverlay {
                    layers: shown_layers.clone(),
                    under: layers_under,
                    districts: self.map.show_districts.then_some(&*scene.layer),
                    hovered: &mut self.reference.hovered,
                    lang,
                    gl: (self.map.renderer == super::map::MapRenderer::Gl).then(|| std::sync::Arc::clone(&self.map.gl)),
                };
                let mut overlays: Vec<&mut dyn MapOverlay> = vec![&mut reference, &mut offices];
                if measuring {
                    overlays.push(&mut measure);
                }
                let output = map_ui(
                    ui,
                    &mut self.map,
                    scene,
                    &self.selection,
                    lang,
                    &mut OverlayStack(overlays),
                );
                if measuring && let Some(rect) = self.map.last_rect {
                    // In the map's top corner on the side the interface starts from.
                    let (pivot, corner) = match lang {
                        Language::Fa => (egui::Align2::RIGHT_TOP, rect.right_top() + egui::vec2(-8.0, 8.0)),
                        Language::En => (egui::Align2::LEFT_TOP, rect.left_top() + egui::vec2(8.0, 8.0)),
                    };
                    egui::Area::new(egui::Id::unique("measure_readout"))
                        .pivot(pivot)
                        .fixed_pos(corner)
                        .show(ui.ctx(), |ui| measure_readout_ui(ui, &mut self.measure, lang));
                }
                output
            })
            .inner;
        if let Some(click) = row_click {
            self.select(Some(click.district), click.add);
            if let Some(scene) = &self.scene {
                self.map.zoom_to_district(scene, click.district, now_s);
            }
        }
        if let Some((district, add)) = map_output.clicked {
            self.select(district, add);
            if let Some(i) = district {
                self.list.scroll_to(i);
            }
        }
        let mut export = None;
        if let Some(scene) = &self.scene {
            let map = MapContext {
                view_bbox_m: self.map.last_rect.map(|r| self.map.camera.visible_m(r)),
                selected: self.selection.iter().copied().collect(),
                theme: self.themes.theme.clone(),
                theme_generation: self.themes.generation,
                reference: shown_layers,
                reference_under: layers_under,
            };
            export = layout_dialog_ui(&ctx, &mut self.layout_dialog, &mut self.plan, scene, map, lang);
            let point_layers = self
                .plan
                .plan
                .layers
                .iter()
                .filter_map(|l| {
                    let data = self.reference.data.layer(l.id)?;
                    (data.geometry_counts().points > 0).then(|| super::suggest_panel::PointLayerChoice {
                        id: l.id,
                        name: l.name.clone(),
                        data: std::sync::Arc::clone(data),
                    })
                })
                .collect();
            self.suggest.set_point_layers(point_layers);
            if let Some(lon_lat) =
                suggest_panel_ui(&ctx, &mut self.suggest, &mut self.plan, scene, &self.selection, lang)
            {
                self.map.fly_to_lon_lat(lon_lat, now_s);
            }
        }
        if let Some(format) = export {
            self.ask_file(FilePurpose::ExportLayout(format));
        }
        if ask_join {
            self.ask_file(FilePurpose::JoinTable);
        }
        match layer_action {
            Some(LayerPanelAction::Add) => self.ask_file(FilePurpose::AddLayer),
            Some(LayerPanelAction::ZoomTo(bbox_m)) => self.map.zoom_to_bbox_m(bbox_m, now_s),
            None => {}
        }
        // Panels sent their commands while they were drawn; they all change the plan here, so
        // every panel of a frame showed the same plan.
        self.plan.apply_queued();
    }

    /// Adds the file `path` as reference layers on top of the others (one per feature layer
    /// of a GeoPackage holding several).
    pub fn add_reference_layer(&mut self, path: PathBuf) {
        let add = crate::workspace::add_layers_command(&mut self.plan.plan, &path, false);
        self.plan.send(add);
        self.left_tab = LeftTab::Layers;
    }

    fn menu_ui(&mut self, ui: &mut egui::Ui, ctx: &egui::Context) {
        let lang = self.lang;
        ui.menu_button(lang.tr(Msg::File), |ui| {
            if ui.button(bidi_widget_text(ui, lang.tr(Msg::Open))).clicked() {
                self.ask_file(FilePurpose::OpenLayer);
            }
            if ui.button(bidi_widget_text(ui, lang.tr(Msg::OpenPlan))).clicked() {
                self.ask_file(FilePurpose::OpenPlan);
            }
            if ui
                .add_enabled(
                    self.scene.is_some(),
                    egui::Button::new(bidi_widget_text(ui, layer_words(lang).add_menu)),
                )
                .clicked()
            {
                self.ask_file(FilePurpose::AddLayer);
            }
            if ui
                .button(bidi_widget_text(ui, &format!("{}  (Ctrl+S)", lang.tr(Msg::SavePlan))))
                .clicked()
            {
                self.save_plan_ui(false, false);
            }
            if ui.button(bidi_widget_text(ui, lang.tr(Msg::SavePlanAs))).clicked() {
                self.save_plan_ui(true, false);
            }
            ui.separator();
            if ui
                .add_enabled(
                    self.scene.is_some(),
                    egui::Button::new(bidi_widget_text(ui, lang.tr(Msg::PrintLayout))),
                )
                .clicked()
            {
                self.layout_dialog.show(&self.plan);
            }
            if ui
                .add_enabled(
                    self.scene.is_some(),
                    egui::Button::new(bidi_widget_text(ui, lang.tr(Msg::SuggestSites))),
                )
                .clicked()
            {
                self.suggest.open = true;
            }
            if ui
                .add_enabled(
                    self.scene.is_some(),
                    egui::Button::new(bidi_widget_text(ui, join_words(lang).join_table)),
                )
                .clicked()
            {
                self.ask_file(FilePurpose::JoinTable);
            }
            if ui.button(bidi_widget_text(ui, lang.tr(Msg::ExportOffices))).clicked() {
                self.ask_file(FilePurpose::ExportOffices);
            }
            if ui
                .add_enabled(
                    self.scene.is_some(),
                    egui::Button::new(bidi_widget_text(ui, lang.tr(Msg::ExportCoverage))),
                )
                .clicked()
            {
                self.ask_file(FilePurpose::ExportCoverage);
            }
            ui.menu_button(lang.tr(Msg::OpenRecent), |ui| {
                if self.recent.is_empty() {
                    ui.label(lang.tr(Msg::NoRecent));
                }
                for path in self.recent.clone() {
                    if ui.button(path.display().to_string()).clicked() {
                        self.open(path, ctx);
                    }
                }
            });
            ui.separator();
            if ui
                .button(bidi_widget_text(ui, &format!("{}  (Ctrl+Q)", lang.tr(Msg::Quit))))
                .clicked()
            {
                self.quit_requested = true;
            }
        });
        ui.menu_button(lang.tr(Msg::View), |ui| {
            if ui
                .button(bidi_widget_text(ui, &format!("{}  (Home)", lang.tr(Msg::ZoomToLayer))))
                .clicked()
                && let Some(scene) = &self.scene
            {
                self.map.zoom_to_all(scene, ctx.input(|i| i.time));
            }
            let selected = !self.selection.is_empty() || !self.plan.selected_offices.is_empty();
            if ui
                .add_enabled(
                    selected,
                    egui::Button::new(bidi_widget_text(
                        ui,
                        &format!("{}  (Ctrl+J)", lang.tr(Msg::ZoomToSelection)),
                    )),
                )
                .clicked()
            {
                self.zoom_to_selection(ctx.input(|i| i.time));
            }
            ui.menu_button(
                bidi_widget_text(ui, basemap_words(lang).menu),
                |ui| match basemap_menu_ui(ui, &mut self.basemap_menu, self.plan.plan.basemap.as_ref(), lang) {
                    Some(BasemapAction::ChooseFile) => self.ask_file(FilePurpose::OpenBasemap),
                    Some(BasemapAction::Apply(command)) => {
                        self.plan.send(*command);
                    }
                    Some(BasemapAction::Refused(why)) => self.error = Some(why),
                    None => {}
                },
            );
            ui.checkbox(&mut self.map.show_labels, lang.tr(Msg::Labels));
            ui.add(egui::Slider::new(&mut self.map.label_size, 10.0..=32.0).text("pt"));
            ui.checkbox(&mut self.show_warnings, lang.tr(Msg::LoadWarnings));
        });
        ui.menu_button(lang.tr(Msg::Language), |ui| {
            ui.radio_value(&mut self.lang, Language::Fa, "فارسی");
            ui.radio_value(&mut self.lang, Language::En, "English");
        });
    }

    /// Flies the map to the selected districts and offices together (nothing when none is).
    pub fn zoom_to_selection(&mut self, now_s: f64) {
        let Some(scene) = &self.scene else { return };
        let districts = &scene.layer.drawing().districts;
        let boxes = self
            .selection
            .iter()
            .filter_map(|&i| districts.get(i))
            .map(|d| d.bbox_m);
        let offices = self
            .plan
            .plan
            .offices
            .iter()
            .filter(|o| self.plan.selected_offices.contains(&o.id))
            .map(|o| {
                let p = crate::map::mercator_from_lon_lat(o.lon_lat[0], o.lon_lat[1]);
                [p, p]
            });
        let bbox_m = boxes
            .chain(offices)
            .reduce(|[lo, hi], [a, b]| [[lo[0].min(a[0]), lo[1].min(a[1])], [hi[0].max(b[0]), hi[1].max(b[1])]]);
        if let Some(bbox_m) = bbox_m {
            self.map.zoom_to_bbox_m(bbox_m, now_s);
        }
    }

    fn toolbar_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.plan.tool, Tool::Select, lang.tr(Msg::SelectTool))
                .on_hover_text(lang.tr(Msg::SelectToolHint));
            ui.selectable_value(&mut self.plan.tool, Tool::PlaceOffice, lang.tr(Msg::PlaceOfficeTool));
            ui.selectable_value(&mut self.plan.tool, Tool::Measure, lang.tr(Msg::MeasureTool));
            ui.separator();
            if ui
                .add_enabled(self.plan.history.can_undo(), egui::Button::new(lang.tr(Msg::Undo)))
                .clicked()
            {
                self.plan.undo();
            }
            if ui
                .add_enabled(self.plan.history.can_redo(), egui::Button::new(lang.tr(Msg::Redo)))
                .clicked()
            {
                self.plan.redo();
            }
            ui.separator();
            ui.checkbox(&mut self.plan.show_coverage, lang.tr(Msg::Coverage));
            let label = ui.label(lang.tr(Msg::RadiusM));
            let mut radius = self.radius_edit.unwrap_or(self.plan.plan.radius_m);
            let response = ui
                .add(number_drag(&mut radius, lang, 0).range(50.0..=20_000.0).speed(10.0))
                .labelled_by(label.id);
            if response.changed() {
                self.radius_edit = Some(radius);
            }
            // One undo step per edit, not one per frame of dragging.
            if (response.drag_stopped()
                || response.lost_focus()
                || (response.changed() && !response.dragged() && !response.has_focus()))
                && let Some(r) = self.radius_edit.take()
                && r != self.plan.plan.radius_m
            {
                self.plan.send(Command::SetRadius(r));
            }
            ui.separator();
            if ui
                .selectable_label(self.suggest.open, bidi_widget_text(ui, lang.tr(Msg::SuggestSites)))
                .clicked()
            {
                self.suggest.open = !self.suggest.open;
            }
        });
    }

    /// Rebuilds the map's district colours when coverage, its toggle or the theme changed: the
    /// theme's fills when the plan has a style, else each district's fill tinted by the share
    /// of it that an office reaches.
    fn restyle_if_needed(&mut self) {
        let Some(scene) = &self.scene else { return };
        let population_field = self.plan.population_field();
        self.themes.refresh(
            self.plan.district_style(),
            &scene.layer,
            self.plan.areas_m2(),
            population_field.as_ref(),
        );
        // Fills are translucent only over a basemap really drawn (not one that did not open).
        let opacity = if self.map.show_basemap && self.map.basemap.is_some() {
            self.basemap_menu.fill_opacity(self.plan.plan.basemap.as_ref())
        } else {
            1.0
        };
        let key = (
            self.plan.coverage_generation,
            self.plan.show_coverage,
            self.themes.generation,
            (opacity * 1000.0).round() as u32,
        );
        if self.colors_made_for == Some(key) && self.map.district_colors.len() == scene.fills.len() {
            return;
        }
        if let Some(theme) = self
            .themes
            .theme
            .as_ref()
            .filter(|t| t.fills.len() == scene.fills.len())
        {
            // A theme's colours are the data: coverage shading would change what they say.
            let colors = theme
                .fills
                .iter()
                .map(|&[r, g, b]| premultiplied([r, g, b], opacity))
                .collect();
            self.map.district_colors = std::sync::Arc::new(colors);
            self.colors_made_for = Some(key);
            return;
        }
        let colors = scene
            .fills
            .iter()
            .enumerate()
            .map(|(i, fill)| {
                let covered = if self.plan.show_coverage {
                    self.plan.coverage.districts.get(i).map_or(0.0, |c| c.covered_fraction)
                } else {
                    0.0
                };
                let rgb = crate::map::palette::covered_fill([fill.r(), fill.g(), fill.b()], covered);
                premultiplied(rgb, opacity)
            })
            .collect();
        self.map.district_colors = std::sync::Arc::new(colors);
        self.colors_made_for = Some(key);
    }

    /// True when the window should close now: quitting was asked for and nothing unsaved is
    /// lost without the user's word.
    pub fn wants_to_close(&self) -> bool {
        self.quit_requested && (!self.plan.dirty || self.quit_confirmed)
    }

    /// Asks to quit, as Ctrl+Q does (the window's close button goes through here too).
    pub fn request_quit(&mut self) {
        self.quit_requested = true;
    }

    fn progress_ui(&mut self, ui: &mut egui::Ui) {
        let Some(job) = &self.load else { return };
        let lang = self.lang;
        let mut cancel = false;
        ui.horizontal(|ui| {
            let name = job
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = format!("{} {name}", lang.tr(Msg::Loading));
            ui.label(bidi_widget_text(ui, &text));
            ui.add(
                egui::ProgressBar::new(job.fraction())
                    .desired_width(240.0)
                    .show_percentage(),
            );
            cancel = ui.button(lang.tr(Msg::Cancel)).clicked();
        });
        if cancel && let Some(job) = self.load.take() {
            job.cancel();
        }
    }
}

/// True when `scene` is the layer `source` asks for: the same file, labelled by the field it
/// names (or by the field chosen on load when it names none).
/// An opaque colour made `opacity` transparent, premultiplied as the map's colour table is.
fn premultiplied(rgb: [u8; 3], opacity: f32) -> [u8; 4] {
    let scale = |c: u8| (f32::from(c) * opacity).round() as u8;
    [scale(rgb[0]), scale(rgb[1]), scale(rgb[2]), scale(255)]
}

fn shows(scene: &MapScene, source: &DistrictsSource) -> bool {
    let field = scene.layer.label_field();
    let labels_right = match &source.label_field {
        Some(wanted) => field.is_some_and(|f| &f.path == wanted),
        None => field.is_none_or(|f| f.reason != LabelFieldReason::Requested),
    };
    labels_right
        && scene.read == source.read
        && scene.joins == source.joins
        && same_file(&scene.layer.source, &source.path)
}

/// True when two paths name the same file (compared as written when either cannot be resolved).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
