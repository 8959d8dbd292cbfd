//! The status bar: cursor position, zoom, district count, load warnings, the hovered district,
//! and a notice when the map is drawn without OpenGL.

use super::bidi_text::BidiLabel;
use super::i18n::{Language, Msg};
use super::workbench::Workbench;

impl Workbench {
    /// The status bar's contents.
    pub(super) fn status_ui(&mut self, ui: &mut egui::Ui) {
        let persian = self.lang == Language::Fa;
        let numbers = self.lang.numbers();
        ui.horizontal(|ui| {
            if let Some([lon, lat]) = self.map.pointer_lon_lat {
                let (north, east) = if persian {
                    (" شمالی", " شرقی")
                } else {
                    ("N", "E")
                };
                let (south, west) = if persian {
                    (" جنوبی", " غربی")
                } else {
                    ("S", "W")
                };
                let text = format!(
                    "{}°{} {}°{}",
                    numbers.fixed(lat.abs(), 5),
                    if lat >= 0.0 { north } else { south },
                    numbers.fixed(lon.abs(), 5),
                    if lon >= 0.0 { east } else { west }
                );
                ui.add(BidiLabel::new(&text));
                ui.separator();
            }
            let zoom = format!("z {}", numbers.fixed(self.map.camera.zoom_level(), 1));
            ui.add(BidiLabel::new(&zoom));
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
        });
    }
}
