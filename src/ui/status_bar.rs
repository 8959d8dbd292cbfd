//! The status bar: cursor position, zoom, district count, load warnings, the hovered district,
//! and a notice when the map is drawn without OpenGL.

use super::bidi_text::BidiLabel;
use super::i18n::Msg;
use super::workbench::Workbench;
use crate::map::scale::{STANDARD_SCALES, parse_scale, scale_text};
use crate::text::Numbers;

impl Workbench {
    /// The map's scale, typed (`1:10,000`, Enter) or picked from the standard ones; the web-map
    /// zoom level on hover. Latin digits: egui lays Persian digit runs out backwards in editable
    /// text.
    fn scale_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let now_s = ui.input(|i| i.time);
        let shown = scale_text(self.map.scale_denominator(), Numbers::Latin);
        let mut text = self.scale_edit.clone().unwrap_or(shown);
        let bad = self.scale_edit.as_deref().is_some_and(|t| parse_scale(t).is_none());
        let mut edit = egui::TextEdit::singleline(&mut text).desired_width(84.0);
        if bad {
            edit = edit.text_color(ui.visuals().error_fg_color);
        }
        let label = ui.label(lang.tr(Msg::Scale));
        let zoom = format!("z {}", lang.numbers().fixed(self.map.camera.zoom_level(), 1));
        let response = ui.add(edit).labelled_by(label.id).on_hover_text(format!(
            "{}\n{zoom}",
            lang.tr(if bad { Msg::NotAScale } else { Msg::ScaleHint })
        ));
        if response.changed() {
            self.scale_edit = Some(text.clone());
        }
        if response.lost_focus() {
            let entered = ui.input(|i| i.key_pressed(egui::Key::Enter));
            if let Some(n) = self.scale_edit.as_deref().and_then(parse_scale)
                && entered
            {
                self.map.zoom_to_scale(n, now_s);
                self.scale_edit = None;
            } else if !entered && self.scale_edit.as_deref().is_none_or(|t| parse_scale(t).is_some()) {
                // Leaving the field without Enter puts the view's scale back; text that is not
                // a scale stays (in red) to be corrected.
                self.scale_edit = None;
            }
        }
        // A combo box for its painted arrow; the standard scales are its choices.
        let standard = lang.tr(Msg::StandardScales);
        egui::ComboBox::from_id_salt("standard_scales")
            .selected_text("")
            .width(12.0)
            .show_ui(ui, |ui| {
                for n in STANDARD_SCALES {
                    if ui.button(scale_text(n, Numbers::Latin)).clicked() {
                        self.map.zoom_to_scale(n, now_s);
                        self.scale_edit = None;
                    }
                }
            })
            .response
            .on_hover_text(standard)
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, standard));
    }

    /// The status bar's contents.
    pub(super) fn status_ui(&mut self, ui: &mut egui::Ui) {
        let numbers = self.lang.numbers();
        ui.horizontal(|ui| {
            if let Some(lon_lat) = self.map.pointer_lon_lat {
                let text = self.lang.lat_lon_text(lon_lat, 5);
                ui.add(BidiLabel::new(&text));
                ui.separator();
            }
            self.scale_ui(ui);
            if let Some(scene) = &self.scene {
                ui.separator();
                let r = &scene.layer.report;
                let count = format!(
                    "{} {}",
                    numbers.count(scene.layer.districts.len() as u64),
                    self.lang.tr(Msg::Districts)
                );
                ui.add(BidiLabel::new(&count));
                // The file's format; how it was read (coordinate system, text encoding) on hover.
                ui.separator();
                let source = &r.source;
                let mut how = format!("{}\n{}", source.format, source.crs);
                if let Some(encoding) = &source.encoding {
                    how.push('\n');
                    how.push_str(encoding);
                }
                for note in &source.notes {
                    how.push('\n');
                    how.push_str(note);
                }
                // The layer read, for files that hold several.
                let shown = match &scene.read.layer {
                    Some(layer) => format!("{} · {layer}", source.format),
                    None => source.format.clone(),
                };
                ui.add(BidiLabel::new(&shown)).on_hover_text(how);
                if !r.skipped.is_empty() || !r.warnings.is_empty() {
                    ui.separator();
                    let text = format!(
                        "{} {} · {} {}",
                        numbers.count(r.skipped.len() as u64),
                        self.lang.tr(Msg::Skipped),
                        numbers.count(r.warnings.len() as u64),
                        self.lang.tr(Msg::Warnings)
                    );
                    if ui.add(BidiLabel::new(&text).sense(egui::Sense::click())).clicked() {
                        self.show_warnings = true;
                    }
                }
                if let Some(i) = self.map.hovered {
                    ui.separator();
                    ui.add(BidiLabel::new(&scene.layer.label_in(i, self.lang)));
                }
            }
            // OpenGL refused a shader or buffer: the map still draws, on the CPU, more slowly.
            let gl_failure = self.map.gl.lock().ok().and_then(|g| g.failure.clone());
            if let Some(reason) = gl_failure {
                ui.separator();
                let color = ui.visuals().warn_fg_color;
                ui.add(BidiLabel::new(self.lang.tr(Msg::NoGl)).color(color))
                    .on_hover_text(reason);
            }
            self.basemap_status_ui(ui);
        });
    }

    /// The basemap's attribution (its licence asks for it wherever it shows), or why it did
    /// not open, and tiles that could not be read.
    fn basemap_status_ui(&self, ui: &mut egui::Ui) {
        let words = super::basemap_menu::basemap_words(self.lang);
        if let Some((path, reason)) = &self.basemap_menu.problem {
            ui.separator();
            let color = ui.visuals().warn_fg_color;
            let text = format!("{}: {}", words.cannot_open, path.describe());
            ui.add(BidiLabel::new(&text).color(color)).on_hover_text(reason);
            return;
        }
        let Some(tiles) = self.map.basemap.as_ref().filter(|_| self.map.show_basemap) else {
            return;
        };
        if !tiles.attribution.is_empty() {
            ui.separator();
            // Isolated, so a Latin attribution keeps its order in a Persian line (© first).
            let text = format!("{} \u{2068}{}\u{2069}", words.attribution, tiles.attribution);
            ui.add(BidiLabel::new(&text)).on_hover_text(tiles.source.describe());
        }
        if let (Some(first), count) = &tiles.tile_errors {
            ui.separator();
            let color = ui.visuals().warn_fg_color;
            let text = format!("{} {}", self.lang.numbers().count(*count as u64), words.bad_tiles);
            ui.add(BidiLabel::new(&text).color(color)).on_hover_text(first);
        }
    }
}
