//! The workbench: the loaded layer, the map, the list and attribute panels, the load in progress
//! and the selection, with the UI that shows them. Independent of eframe, so tests drive it
//! through egui_kittest exactly as the window does.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use egui::{Key, KeyboardShortcut, Modifiers};

use super::attributes::attributes_ui;
use super::bidi_text::BidiLabel;
use super::district_list::{DistrictListState, district_list_ui};
use super::i18n::{Language, Msg};
use super::loader::LoadJob;
use super::map::scale_bar::persian_digits;
use super::map::style::{colors, has_marginal};
use super::map::{MapScene, MapState, map_ui};
use super::warnings::warnings_ui;

/// Recent files remembered.
const MAX_RECENT: usize = 10;

/// Ctrl+Q.
pub const QUIT_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);
/// Ctrl+O.
pub const OPEN_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);

/// Everything the window shows.
#[derive(Default)]
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
}

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
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if let Some(path) = dropped.into_iter().next() {
            self.open(path, &ctx);
        }
        let lang = self.lang;

        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| self.menu_ui(ui, &ctx));
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
        let now_s = ctx.input(|i| i.time);
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
                district_list_ui(ui, &mut self.list, scene, &self.selection, lang)
            })
            .inner;
        egui::Panel::right("attributes")
            .resizable(true)
            .default_size(300.0)
            .show(ui, |ui| {
                attributes_ui(ui, scene, &self.selection, lang);
                ui.separator();
                legend_ui(ui, scene, lang);
            });
        let map_output = egui::CentralPanel::no_frame()
            .show(ui, |ui| {
                map_ui(ui, &mut self.map, scene, &self.selection, lang == Language::Fa)
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
    }

    fn menu_ui(&mut self, ui: &mut egui::Ui, ctx: &egui::Context) {
        let lang = self.lang;
        ui.menu_button(lang.tr(Msg::File), |ui| {
            if ui.button(lang.tr(Msg::Open)).clicked() {
                self.open_dialog(ctx);
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
            if ui.button(format!("{}  (Ctrl+Q)", lang.tr(Msg::Quit))).clicked() {
                self.quit_requested = true;
            }
        });
        ui.menu_button(lang.tr(Msg::View), |ui| {
            if ui.button(format!("{}  (Home)", lang.tr(Msg::ZoomToLayer))).clicked()
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

    fn status_ui(&mut self, ui: &mut egui::Ui) {
        let persian = self.lang == Language::Fa;
        ui.horizontal(|ui| {
            if let Some([lon, lat]) = self.map.pointer_lon_lat {
                let text = format!(
                    "{:.5}°{} {:.5}°{}",
                    lat.abs(),
                    if lat >= 0.0 { "N" } else { "S" },
                    lon.abs(),
                    if lon >= 0.0 { "E" } else { "W" }
                );
                ui.monospace(text);
                ui.separator();
            }
            let zoom = format!("z {:.1}", self.map.camera.zoom_level());
            ui.add(BidiLabel::new(&if persian { persian_digits(&zoom) } else { zoom }));
            if let Some(scene) = &self.scene {
                ui.separator();
                let r = &scene.layer.report;
                let count = format!("{} {}", scene.layer.districts.len(), self.lang.tr(Msg::Districts));
                ui.add(BidiLabel::new(&if persian { persian_digits(&count) } else { count }));
                if !r.skipped.is_empty() || !r.warnings.is_empty() {
                    ui.separator();
                    let text = format!(
                        "{} {} · {} {}",
                        r.skipped.len(),
                        self.lang.tr(Msg::Skipped),
                        r.warnings.len(),
                        self.lang.tr(Msg::Warnings)
                    );
                    let text = if persian { persian_digits(&text) } else { text };
                    if ui.add(BidiLabel::new(&text).sense(egui::Sense::click())).clicked() {
                        self.show_warnings = true;
                    }
                }
                if let Some(i) = self.map.hovered {
                    ui.separator();
                    ui.add(BidiLabel::new(&scene.layer.label(i)));
                }
            }
        });
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
