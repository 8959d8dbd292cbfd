//! The workbench: the loaded layer, the map, the list and attribute panels, the load in progress
//! and the selection, with the UI that shows them. Independent of eframe, so tests drive it
//! through egui_kittest exactly as the window does.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use egui::{Key, KeyboardShortcut, Modifiers};

use super::attributes::attributes_ui;
use super::bidi_text::{BidiLabel, bidi_widget_text};
use super::district_list::{DistrictListState, district_list_ui};
use super::i18n::{Language, Msg};
use super::layout_dialog::{LayoutDialog, MapContext, layout_dialog_ui};
use super::loader::LoadJob;
use super::map::style::{colors, has_marginal};
use super::map::{MapScene, MapState, map_ui};
use super::office_panel::{indicators_ui, office_editor_ui, office_list_ui};
use super::offices_overlay::OfficesOverlay;
use super::plan_state::{PlanState, Tool};
use super::suggest_panel::{SuggestPanel, suggest_panel_ui};
use super::warnings::warnings_ui;

/// Recent files remembered.
const MAX_RECENT: usize = 10;

/// Ctrl+Q.
pub const QUIT_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);
/// Ctrl+O.
pub const OPEN_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);

/// Everything the window shows.
pub struct Workbench {
    /// The loaded layer, prepared for the map.
    pub scene: Option<MapScene>,
    /// The file the layer came from.
    pub path: Option<PathBuf>,
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
    /// The radius being typed, until it is committed.
    radius_edit: Option<f64>,
    /// Where unsaved changes are kept against a crash (none: no autosave).
    pub recovery_path: Option<PathBuf>,
    /// Seconds between autosaves while there are unsaved changes.
    pub autosave_every_s: f64,
    /// When the last autosave (or the start) happened, in egui time.
    last_autosave_s: Option<f64>,
    /// A recovery file found at start, offered for restoring.
    pub recovery_offer: Option<PathBuf>,
    /// The "save before quitting?" question is showing.
    pub confirm_quit: bool,
    /// The user has answered it: the window may close.
    quit_confirmed: bool,
    /// What the map's colour table was last made for: coverage generation and shading on/off.
    colors_made_for: Option<(u64, bool)>,
}

/// Seconds between autosaves.
pub const AUTOSAVE_EVERY_S: f64 = 30.0;

impl Default for Workbench {
    fn default() -> Self {
        Self {
            scene: None,
            path: None,
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
            radius_edit: None,
            recovery_path: None,
            autosave_every_s: AUTOSAVE_EVERY_S,
            last_autosave_s: None,
            recovery_offer: None,
            confirm_quit: false,
            quit_confirmed: false,
            colors_made_for: None,
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
}

/// Ctrl+Z.
pub const UNDO_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
/// Ctrl+Shift+Z.
pub const REDO_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
/// Ctrl+Y.
pub const REDO_SHORTCUT_Y: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
/// Ctrl+S.
pub const SAVE_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);

impl Workbench {
    /// Starts loading `path` in the background; the current layer stays until the new one is ready.
    pub fn open(&mut self, path: PathBuf, ctx: &egui::Context) {
        if let Some(job) = self.load.take() {
            job.cancel();
        }
        let repaint_ctx = ctx.clone();
        match LoadJob::start(path.clone(), move || repaint_ctx.request_repaint()) {
            Ok(job) => self.load = Some(job),
            Err(e) => self.error = Some(format!("{}: {e}: {}", self.lang.tr(Msg::CouldNotOpen), path.display())),
        }
    }

    /// Shows a newly loaded layer.
    pub fn set_scene(&mut self, scene: MapScene, path: PathBuf) {
        self.selection.clear();
        self.list = DistrictListState::default();
        self.map.reset_view();
        let report = &scene.layer.report;
        self.show_warnings = !report.skipped.is_empty() || !report.warnings.is_empty();
        self.remember(&path);
        self.path = Some(path);
        self.plan.set_layer(std::sync::Arc::clone(&scene.layer));
        // Suggestions were for the previous layer's districts.
        self.suggest.cancel();
        self.suggest.discard();
        self.scene = Some(scene);
        self.error = None;
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
        if let Some(result) = job.poll() {
            let path = job.path.clone();
            self.load = None;
            match result {
                Ok(scene) => self.set_scene(scene, path),
                Err(crate::io::LoadError::Cancelled { .. }) => {}
                Err(e) => self.error = Some(format!("{}: {e}", self.lang.tr(Msg::CouldNotOpen))),
            }
        }
    }

    /// Shows the whole workbench in `ui`.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        self.poll_load();
        let ctx = ui.ctx().clone();
        if ctx.input_mut(|i| i.consume_shortcut(&QUIT_SHORTCUT)) {
            self.quit_requested = true;
        }
        if ctx.input_mut(|i| i.consume_shortcut(&OPEN_SHORTCUT)) {
            self.open_dialog(&ctx);
        }
        if ctx.input_mut(|i| i.consume_shortcut(&SAVE_SHORTCUT)) {
            self.save_plan_dialog(false);
        }
        // Redo before undo: Ctrl+Shift+Z also matches a plain Ctrl+Z shortcut check.
        if ctx.input_mut(|i| i.consume_shortcut(&REDO_SHORTCUT) || i.consume_shortcut(&REDO_SHORTCUT_Y)) {
            self.plan.redo();
        } else if ctx.input_mut(|i| i.consume_shortcut(&UNDO_SHORTCUT)) {
            self.plan.undo();
        }
        if !ctx.egui_wants_keyboard_input() {
            if ctx.input(|i| i.key_pressed(Key::Delete)) {
                let _ = self.plan.remove_selected_offices();
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
            if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("mahalleh")) {
                self.open_plan(path, &ctx);
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
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui));
        let Some(scene) = &self.scene else {
            egui::CentralPanel::default().show(ui, |ui| {
                ui.centered_and_justified(|ui| {
                    ui.add(
                        BidiLabel::new(lang.tr(Msg::DropHint))
                            .font(egui::FontId::proportional(18.0))
                            .wrap(),
                    )
                });
            });
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
        let row_click = egui::Panel::left("districts")
            .resizable(true)
            .default_size(260.0)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut self.left_tab, LeftTab::Districts, lang.tr(Msg::Districts));
                    ui.selectable_value(&mut self.left_tab, LeftTab::Offices, lang.tr(Msg::Offices));
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
                }
            })
            .inner;
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
                legend_ui(ui, scene, lang);
            });
        let map_output = egui::CentralPanel::no_frame()
            .show(ui, |ui| {
                let suggestions = self.suggest.marks(&self.plan, lang);
                let mut overlay = OfficesOverlay {
                    plan: &mut self.plan,
                    new_office_name: lang.tr(Msg::NewOffice).to_string(),
                    suggestions,
                };
                map_ui(
                    ui,
                    &mut self.map,
                    scene,
                    &self.selection,
                    lang == Language::Fa,
                    &mut overlay,
                )
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
        }
        if let Some(scene) = &self.scene {
            let map = MapContext {
                view_bbox_m: self.map.last_rect.map(|r| self.map.camera.visible_m(r)),
                selected: self.selection.iter().copied().collect(),
            };
            layout_dialog_ui(&ctx, &mut self.layout_dialog, &mut self.plan, scene, map, lang);
            if let Some(lon_lat) = suggest_panel_ui(&ctx, &mut self.suggest, &mut self.plan, scene, lang) {
                self.map.fly_to_lon_lat(lon_lat, now_s);
            }
        }
    }

    fn menu_ui(&mut self, ui: &mut egui::Ui, ctx: &egui::Context) {
        let lang = self.lang;
        ui.menu_button(lang.tr(Msg::File), |ui| {
            if ui.button(bidi_widget_text(ui, lang.tr(Msg::Open))).clicked() {
                self.open_dialog(ctx);
            }
            if ui.button(bidi_widget_text(ui, lang.tr(Msg::OpenPlan))).clicked()
                && let Some(path) = rfd::FileDialog::new().add_filter("mahalleh", &["mahalleh"]).pick_file()
            {
                self.open_plan(path, ctx);
            }
            if ui
                .button(bidi_widget_text(ui, &format!("{}  (Ctrl+S)", lang.tr(Msg::SavePlan))))
                .clicked()
            {
                self.save_plan_dialog(false);
            }
            if ui.button(bidi_widget_text(ui, lang.tr(Msg::SavePlanAs))).clicked() {
                self.save_plan_dialog(true);
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
            if ui.button(bidi_widget_text(ui, lang.tr(Msg::ExportOffices))).clicked()
                && let Some(path) = rfd::FileDialog::new().add_filter("GeoJSON", &["geojson"]).save_file()
                && let Err(e) = crate::io::write_atomically(
                    &path,
                    crate::io::offices_to_geojson(&self.plan.plan.offices).as_bytes(),
                )
            {
                self.error = Some(format!("{e}: {}", path.display()));
            }
            if ui.button(bidi_widget_text(ui, lang.tr(Msg::ExportCoverage))).clicked()
                && let Some(scene) = &self.scene
                && let Some(path) = rfd::FileDialog::new().add_filter("CSV", &["csv"]).save_file()
            {
                let csv = crate::export::coverage_csv(&scene.layer, &self.plan.coverage, &self.plan.plan);
                if let Err(e) = crate::io::write_atomically(&path, csv.as_bytes()) {
                    self.error = Some(format!("{e}: {}", path.display()));
                }
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
            ui.checkbox(&mut self.map.show_labels, lang.tr(Msg::Labels));
            ui.add(egui::Slider::new(&mut self.map.label_size, 10.0..=32.0).text("pt"));
            ui.checkbox(&mut self.show_warnings, lang.tr(Msg::LoadWarnings));
        });
        ui.menu_button(lang.tr(Msg::Language), |ui| {
            ui.radio_value(&mut self.lang, Language::Fa, "فارسی");
            ui.radio_value(&mut self.lang, Language::En, "English");
        });
    }

    fn toolbar_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.plan.tool, Tool::Select, lang.tr(Msg::SelectTool))
                .on_hover_text(lang.tr(Msg::SelectToolHint));
            ui.selectable_value(&mut self.plan.tool, Tool::PlaceOffice, lang.tr(Msg::PlaceOfficeTool));
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
                .add(egui::DragValue::new(&mut radius).range(50.0..=20_000.0).speed(10.0))
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
                let _ = self.plan.apply(crate::model::Command::SetRadius(r));
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

    /// Rebuilds the map's district colours when coverage or its toggle changed: each district's
    /// fill, tinted towards green by the share of it that an office reaches.
    fn restyle_if_needed(&mut self) {
        let Some(scene) = &self.scene else { return };
        let key = (self.plan.coverage_generation, self.plan.show_coverage);
        if self.colors_made_for == Some(key) && self.map.district_colors.len() == scene.fills.len() {
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
                let [r, g, b] = crate::map::palette::covered_fill([fill.r(), fill.g(), fill.b()], covered);
                [r, g, b, 255]
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

    /// The window title: the plan's name (or the districts file's), with `*` when unsaved.
    pub fn title(&self) -> String {
        let name = |p: &Path| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let mut title = String::from("mahalleh");
        if let Some(p) = self.plan.path.as_deref().or(self.path.as_deref()) {
            title.push_str(" — ");
            title.push_str(&name(p));
        }
        if self.plan.dirty {
            title.push_str(" *");
        }
        title
    }

    fn autosave_if_due(&mut self, now_s: f64) {
        let last = *self.last_autosave_s.get_or_insert(now_s);
        if !self.plan.dirty || now_s - last < self.autosave_every_s || self.scene.is_none() {
            return;
        }
        self.last_autosave_s = Some(now_s);
        if let Some(path) = self.recovery_path.clone() {
            let doc = self.plan_document();
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            if let Err(e) = crate::io::save_plan(&doc, &path) {
                self.error = Some(e.to_string());
            }
        }
    }

    fn discard_recovery(&mut self) {
        if let Some(path) = &self.recovery_path {
            let _ = std::fs::remove_file(path);
        }
    }

    fn dialogs_ui(&mut self, ctx: &egui::Context) {
        let lang = self.lang;
        if let Some(path) = self.recovery_offer.clone() {
            egui::Window::new(lang.tr(Msg::RecoverTitle))
                .collapsible(false)
                .resizable(false)
                .show(ctx, |ui| {
                    ui.add(BidiLabel::new(lang.tr(Msg::RecoverQuestion)).wrap());
                    ui.horizontal(|ui| {
                        if ui.button(lang.tr(Msg::Restore)).clicked() {
                            self.recovery_offer = None;
                            self.open_plan(path.clone(), ctx);
                            // Restored work is not saved anywhere yet.
                            self.plan.path = None;
                            self.plan.dirty = true;
                        }
                        if ui.button(lang.tr(Msg::Discard)).clicked() {
                            self.recovery_offer = None;
                            self.discard_recovery();
                        }
                    });
                });
        }
        if self.confirm_quit {
            egui::Window::new(lang.tr(Msg::Quit))
                .collapsible(false)
                .resizable(false)
                .show(ctx, |ui| {
                    ui.add(BidiLabel::new(lang.tr(Msg::SaveBeforeQuit)).wrap());
                    ui.horizontal(|ui| {
                        if ui.button(lang.tr(Msg::SaveAndQuit)).clicked() {
                            self.save_plan_dialog(false);
                            if !self.plan.dirty {
                                self.confirm_quit = false;
                                self.quit_requested = true;
                            }
                        }
                        if ui.button(lang.tr(Msg::QuitWithoutSaving)).clicked() {
                            self.confirm_quit = false;
                            self.quit_confirmed = true;
                            self.quit_requested = true;
                            self.discard_recovery();
                        }
                        if ui.button(lang.tr(Msg::Cancel)).clicked() {
                            self.confirm_quit = false;
                        }
                    });
                });
        }
    }

    fn plan_document(&self) -> crate::io::PlanDocument {
        crate::io::PlanDocument {
            districts_path: self.path.clone().unwrap_or_default(),
            label_field: self
                .scene
                .as_ref()
                .and_then(|s| s.layer.label_field().map(|f| f.path.clone())),
            population_field: self.plan.population_field.clone(),
            plan: self.plan.plan.clone(),
            view: Some(self.map.saved_view()),
            schema_version: crate::io::PLAN_SCHEMA_VERSION,
        }
    }

    /// Saves the plan to `path` (atomically) and remembers the path.
    pub fn save_plan_to(&mut self, path: PathBuf) -> Result<(), crate::io::PlanFileError> {
        crate::io::save_plan(&self.plan_document(), &path)?;
        self.plan.path = Some(path);
        self.plan.dirty = false;
        self.discard_recovery();
        Ok(())
    }

    /// Opens a plan: its offices now, its district layer in the background.
    pub fn open_plan(&mut self, path: PathBuf, ctx: &egui::Context) {
        match crate::io::load_plan(&path) {
            Ok(doc) => {
                self.plan.plan = doc.plan;
                self.plan.history = crate::model::History::default();
                self.plan.population_field = doc.population_field;
                self.plan.path = Some(path);
                self.plan.dirty = false;
                self.plan.selected_offices.clear();
                self.plan.recompute();
                if self.path.as_deref() != Some(doc.districts_path.as_path()) {
                    self.open(doc.districts_path, ctx);
                }
                if let Some(view) = doc.view {
                    self.map.restore_view(view);
                }
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    fn save_plan_dialog(&mut self, choose: bool) {
        let path = match (&self.plan.path, choose) {
            (Some(p), false) => Some(p.clone()),
            _ => rfd::FileDialog::new().add_filter("mahalleh", &["mahalleh"]).save_file(),
        };
        if let Some(path) = path
            && let Err(e) = self.save_plan_to(path)
        {
            self.error = Some(e.to_string());
        }
    }

    fn open_dialog(&mut self, ctx: &egui::Context) {
        let picked = rfd::FileDialog::new()
            .add_filter("GeoJSON", &["geojson", "json"])
            .pick_file();
        if let Some(path) = picked {
            self.open(path, ctx);
        }
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
            ui.label(format!("{} {name}", lang.tr(Msg::Loading)));
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

fn legend_ui(ui: &mut egui::Ui, scene: &MapScene, lang: Language) {
    ui.strong(lang.tr(Msg::Legend));
    let swatch = |ui: &mut egui::Ui, color: egui::Color32, text: &str| {
        ui.horizontal(|ui| {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(18.0, 12.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, color);
            ui.painter().rect_stroke(
                rect,
                2.0,
                egui::Stroke::new(1.0, colors::OUTLINE),
                egui::StrokeKind::Inside,
            );
            ui.label(text);
        });
    };
    if has_marginal(&scene.fills) {
        swatch(ui, colors::MARGINAL, lang.tr(Msg::Marginal));
        swatch(ui, colors::FORMAL, lang.tr(Msg::Formal));
    } else {
        swatch(ui, colors::FORMAL, lang.tr(Msg::Districts));
    }
}
