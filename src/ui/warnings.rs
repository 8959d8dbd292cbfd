//! The load warnings list: skipped features and warnings from the core; clicking a warning about
//! a loaded feature zooms to it.

use super::bidi_text::BidiLabel;

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
                let row = lang
                    .tr(Msg::FileRow)
                    .replace("{}", &lang.numbers().count(w.index as u64 + 1));
                let text = format!("! {row}{}: {}", line_text(w.line, lang), w.warning);
                if ui
                    .add(
                        BidiLabel::new(&text)
                            .color(ui.visuals().hyperlink_color)
                            .sense(egui::Sense::click()),
                    )
                    .clicked()
                {
                    target = scene.layer.districts.iter().position(|d| d.feature_index == w.index);
                }
            }
            for s in &report.skipped {
                let row = lang
                    .tr(Msg::FileRow)
                    .replace("{}", &lang.numbers().count(s.index as u64 + 1));
                let text = format!(
                    "× {row}, {}: {} — {}",
                    line_text(s.line, lang),
                    s.reason,
                    lang.tr(Msg::Skipped)
                );
                ui.add(BidiLabel::new(&text).color(ui.visuals().warn_fg_color));
            }
        });
    target
}

/// ", line N" in the interface language; nothing for formats without lines (a Shapefile).
fn line_text(line: usize, lang: Language) -> String {
    if line == 0 {
        return String::new();
    }
    format!(
        ", {}",
        lang.tr(Msg::FileLine).replace("{}", &lang.numbers().count(line as u64))
    )
}
