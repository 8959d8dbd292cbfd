//! The load warnings list: skipped features and warnings from the core; clicking a warning about
//! a loaded feature zooms to it.

use egui::RichText;

use super::i18n::{Language, Msg};
use super::map::MapScene;

/// Shows the list; returns the district to zoom to when a row is clicked.
pub fn warnings_ui(ui: &mut egui::Ui, scene: &MapScene, lang: Language) -> Option<usize> {
    let report = &scene.layer.report;
    if report.skipped.is_empty() && report.warnings.is_empty() {
        ui.label(lang.tr(Msg::NoWarnings));
        return None;
    }
    let mut target = None;
    egui::ScrollArea::vertical()
        .max_height(180.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for w in &report.warnings {
                let text = format!("! feature {} (line {}): {}", w.index, w.line, w.warning);
                if ui.link(text).clicked() {
                    target = scene.layer.districts.iter().position(|d| d.feature_index == w.index);
                }
            }
            for s in &report.skipped {
                ui.label(
                    RichText::new(format!(
                        "× feature {} (line {}): {} — {}",
                        s.index,
                        s.line,
                        s.reason,
                        lang.tr(Msg::Skipped)
                    ))
                    .color(ui.visuals().warn_fg_color),
                );
            }
        });
    target
}
