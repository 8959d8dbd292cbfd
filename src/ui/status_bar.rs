//! The status bar: cursor position, zoom, district count, load warnings, the hovered district,
//! and a notice when the map is drawn without OpenGL.

use super::bidi_text::BidiLabel;
use super::i18n::{Language, Msg};
use super::workbench::Workbench;
use crate::text::persian_digits;

impl Workbench {
    /// The status bar's contents.
    pub(super) fn status_ui(&mut self, ui: &mut egui::Ui) {
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
