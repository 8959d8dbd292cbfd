//! The plan and its files in the window: opening and saving plans (Ctrl+S to the plan's own file
//! without a dialog), the answers of file dialogs, exports, autosave and the recovery file, the
//! quit question, and the window title.

use std::path::{Path, PathBuf};

use super::bidi_text::BidiLabel;
use super::data_export::DataExportJob;
use super::file_dialog::{FilePurpose, documents_folder, program_folders, save_start_folder};
use super::i18n::Msg;
use super::workbench::Workbench;
use crate::export::vector::{VectorFormat, VectorTable, VectorWriteError, write_vector};
use crate::io::{PlanDocument, PlanFileError};

impl Workbench {
    /// The window title: the plan's name (or the districts file's), with `*` when unsaved.
    pub fn title(&self) -> String {
        let name = |p: &Path| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let mut title = String::from("mahalleh");
        let districts = self.plan.plan.districts.as_ref().map(|d| d.path.as_path());
        if let Some(p) = self.plan.path.as_deref().or(districts) {
            title.push_str(" — ");
            title.push_str(&name(p));
        }
        if self.plan.dirty {
            title.push_str(" *");
        }
        title
    }

    /// Opens a dialog for `purpose`, starting where the plan or its districts are.
    pub fn ask_file(&mut self, purpose: FilePurpose) {
        let districts = self.plan.plan.districts.as_ref().map(|d| d.path.clone());
        let folder = self
            .plan
            .path
            .as_deref()
            .or(districts.as_deref())
            .and_then(Path::parent)
            .map(Path::to_path_buf);
        let stem = self
            .plan
            .path
            .as_deref()
            .or(districts.as_deref())
            .and_then(Path::file_stem)
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "mahalleh".into());
        let file_name = match purpose {
            FilePurpose::OpenLayer
            | FilePurpose::OpenPlan
            | FilePurpose::JoinTable
            | FilePurpose::OpenBasemap
            | FilePurpose::AddLayer => None,
            FilePurpose::SavePlan | FilePurpose::SavePlanThenQuit => Some(format!("{stem}.mahalleh")),
            FilePurpose::ExportOffices => Some(format!("{stem}-offices.geojson")),
            FilePurpose::ExportCoverage => Some(format!("{stem}-coverage.csv")),
            FilePurpose::ExportLayout(format) => Some(
                FilePurpose::ExportLayout(format)
                    .with_extension(PathBuf::from(format!("{stem}-layout")))
                    .to_string_lossy()
                    .into_owned(),
            ),
        };
        // A new plan on the sample map would otherwise be saved beside the program or in the
        // temporary folder.
        let folder = if purpose.saves() && self.plan.path.is_none() {
            save_start_folder(folder.as_deref(), &program_folders(), documents_folder())
        } else {
            folder
        };
        self.files
            .ask(purpose, folder.as_deref(), file_name.as_deref(), self.lang);
    }

    /// Does what a file was chosen for.
    pub fn file_chosen(&mut self, purpose: FilePurpose, path: PathBuf, ctx: &egui::Context) {
        match purpose {
            FilePurpose::OpenLayer => self.open(path, ctx),
            FilePurpose::AddLayer => self.add_reference_layer(path),
            FilePurpose::OpenPlan => self.open_plan(path, ctx),
            FilePurpose::SavePlan => self.save_and_report(path),
            FilePurpose::SavePlanThenQuit => {
                self.save_and_report(path);
                if !self.plan.dirty {
                    self.confirm_quit = false;
                    self.quit_requested = true;
                }
            }
            FilePurpose::ExportOffices => {
                let offices = self.plan.plan.offices.clone();
                self.export_data(ctx, move || {
                    match VectorFormat::of(&path) {
                        Some(VectorFormat::GeoPackage | VectorFormat::Shapefile) => {
                            write_vector(&VectorTable::offices(&offices), &path).map(drop)
                        }
                        // GeoJSON keeps the services as a list, as the offices file reads them back.
                        _ => {
                            let text = crate::io::offices_to_geojson(&offices);
                            crate::io::write_atomically(&path, text.as_bytes()).map_err(|source| VectorWriteError::Io {
                                path: path.clone(),
                                source,
                            })
                        }
                    }
                    .map_err(|e| e.to_string())
                });
            }
            FilePurpose::ExportCoverage => {
                let Some(scene) = &self.scene else { return };
                let (layer, coverage, plan) = (
                    std::sync::Arc::clone(&scene.layer),
                    self.plan.coverage.clone(),
                    self.plan.plan.clone(),
                );
                self.export_data(ctx, move || {
                    match VectorFormat::of(&path) {
                        Some(VectorFormat::GeoPackage | VectorFormat::Shapefile) => {
                            write_vector(&VectorTable::coverage(&layer, &coverage, &plan), &path).map(drop)
                        }
                        _ => {
                            let csv = crate::export::coverage_csv(&layer, &coverage, &plan);
                            crate::io::write_atomically(&path, csv.as_bytes()).map_err(|source| VectorWriteError::Io {
                                path: path.clone(),
                                source,
                            })
                        }
                    }
                    .map_err(|e| e.to_string())
                });
            }
            FilePurpose::ExportLayout(format) => self.layout_dialog.export_to(format, path),
            FilePurpose::JoinTable => {
                if self.scene.is_some() {
                    self.join_panel.table_chosen(path, ctx);
                }
            }
            FilePurpose::OpenBasemap => self.set_basemap_file(path),
        }
    }

    /// Makes `path` the plan's basemap, shown, keeping the fills' opacity over the one before.
    pub fn set_basemap_file(&mut self, path: PathBuf) {
        let basemap = match &self.plan.plan.basemap {
            Some(old) => crate::model::Basemap {
                source: crate::model::BasemapSource::File { path },
                visible: true,
                ..old.clone()
            },
            None => crate::model::Basemap::file(path),
        };
        self.plan.submit(crate::model::Command::SetBasemap(Some(basemap)));
    }

    /// Writes a data file on a thread; a failure shows as the window's error when it is known.
    fn export_data(&mut self, ctx: &egui::Context, write: impl FnOnce() -> Result<(), String> + Send + 'static) {
        let repaint = ctx.clone();
        match DataExportJob::start(write, move || repaint.request_repaint()) {
            Ok(job) => self.data_exports.push(job),
            Err(e) => self.error = Some(format!("{}: {e}", self.lang.tr(Msg::CouldNotSave))),
        }
    }

    /// Takes the outcomes of finished data exports; a failure becomes the window's error.
    pub(super) fn poll_data_exports(&mut self) {
        let mut failed = None;
        self.data_exports.retain(|job| match job.poll() {
            None => true,
            Some(Ok(())) => false,
            Some(Err(message)) => {
                failed = Some(message);
                false
            }
        });
        if let Some(message) = failed {
            self.error = Some(format!("{}: {message}", self.lang.tr(Msg::CouldNotSave)));
        }
    }

    /// Data files still being written.
    pub fn data_exports_pending(&self) -> usize {
        self.data_exports.len()
    }

    /// Saves the plan: to its own file without asking (unless `choose`), else where the user
    /// says. With `then_quit`, the window closes once the plan is saved, and only then.
    pub fn save_plan_ui(&mut self, choose: bool, then_quit: bool) {
        match (self.plan.path.clone(), choose) {
            (Some(path), false) => {
                self.save_and_report(path);
                if then_quit && !self.plan.dirty {
                    self.confirm_quit = false;
                    self.quit_requested = true;
                }
            }
            _ if then_quit => {
                // The dialog's answer carries the quitting; the question is answered.
                self.confirm_quit = false;
                self.ask_file(FilePurpose::SavePlanThenQuit);
            }
            _ => self.ask_file(FilePurpose::SavePlan),
        }
    }

    fn save_and_report(&mut self, path: PathBuf) {
        if let Err(e) = self.save_plan_to(path) {
            self.error = Some(format!("{}: {e}", self.lang.tr(Msg::CouldNotSave)));
        }
    }

    /// The plan as it would be saved: what the plan says it is made of, the view, and what the
    /// file it came from held that this build does not know.
    pub fn plan_document(&self) -> PlanDocument {
        PlanDocument {
            plan: self.plan.plan.clone(),
            view: Some(self.map.saved_view()),
            schema_version: self.plan.file_schema_version,
            unknown: self.plan.file_unknown.clone(),
        }
    }

    /// Saves the plan to `path` (atomically) and remembers the path.
    pub fn save_plan_to(&mut self, path: PathBuf) -> Result<(), PlanFileError> {
        crate::io::save_plan(&self.plan_document(), &path)?;
        self.plan.path = Some(path);
        self.plan.dirty = false;
        self.discard_recovery();
        Ok(())
    }

    /// Opens a plan: its offices now, its district layer (with its label field) in the
    /// background. Until that layer has loaded no other layer is shown under the offices.
    pub fn open_plan(&mut self, path: PathBuf, _ctx: &egui::Context) {
        match crate::io::load_plan(&path) {
            Ok(doc) => {
                self.plan.replace(doc.plan, Some(path));
                self.plan.file_schema_version = doc.schema_version;
                self.plan.file_unknown = doc.unknown;
                self.layer_problem = None;
                if let Some(view) = doc.view {
                    self.map.restore_view(view);
                }
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    pub(super) fn autosave_if_due(&mut self, now_s: f64) {
        let last = *self.last_autosave_s.get_or_insert(now_s);
        if !self.plan.dirty || now_s - last < self.autosave_every_s {
            return;
        }
        self.last_autosave_s = Some(now_s);
        if let Some(path) = self.recovery_path.clone() {
            let doc = self.plan_document();
            if let Some(dir) = path.parent()
                && let Err(e) = std::fs::create_dir_all(dir)
            {
                self.error = Some(format!("{e}: {}", dir.display()));
                return;
            }
            if let Err(e) = crate::io::save_plan(&doc, &path) {
                self.error = Some(e.to_string());
            }
        }
    }

    fn discard_recovery(&mut self) {
        if let Some(path) = &self.recovery_path
            && path.exists()
            && let Err(e) = std::fs::remove_file(path)
        {
            self.error = Some(format!("{e}: {}", path.display()));
        }
    }

    /// The recovery offer and the quit question.
    pub(super) fn dialogs_ui(&mut self, ctx: &egui::Context) {
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
                            self.save_plan_ui(false, true);
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

    /// The central panel when no layer is shown: the plan's layer failed (with ways out), or
    /// nothing is open yet.
    pub(super) fn no_layer_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let Some(problem) = self.layer_problem.clone() else {
            ui.centered_and_justified(|ui| {
                ui.add(
                    BidiLabel::new(lang.tr(Msg::DropHint))
                        .font(egui::FontId::proportional(18.0))
                        .wrap(),
                )
            });
            return;
        };
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() * 0.3);
            ui.add(
                BidiLabel::new(lang.tr(Msg::PlanLayerFailed))
                    .font(egui::FontId::proportional(18.0))
                    .wrap(),
            );
            let color = ui.visuals().error_fg_color;
            ui.add(BidiLabel::new(&problem.message).color(color).wrap());
            ui.add(BidiLabel::new(&problem.source.path.display().to_string()).wrap());
            ui.horizontal(|ui| {
                if ui.button(lang.tr(Msg::LocateLayer)).clicked() {
                    self.ask_file(FilePurpose::OpenLayer);
                }
                if ui.button(lang.tr(Msg::Retry)).clicked() {
                    self.layer_problem = None;
                }
            });
        });
    }
}
