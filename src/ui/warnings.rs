//! The load warnings list: skipped features and warnings from the core; clicking a warning about
//! a loaded feature zooms to it. Only the rows in view are laid out.

use super::bidi_text::BidiLabel;

use super::i18n::{Language, Msg};
use super::load_words::{skip_reason_text, warning_text};
use super::map::MapScene;

/// Shows the list; returns the district to zoom to when a row is clicked.
pub fn warnings_ui(ui: &mut egui::Ui, scene: &MapScene, lang: Language) -> Option<usize> {
    let report = &scene.layer.report;
    if report.skipped.is_empty() && report.warnings.is_empty() {
        ui.label(lang.tr(Msg::NoWarnings));
        return None;
    }
    let mut target = None;
    // One line per row, laid out only for the rows in view: a damaged file can have 100,000.
    let row_height = ui.text_style_height(&egui::TextStyle::Body);
    let rows = report.warnings.len() + report.skipped.len();
    egui::ScrollArea::vertical()
        .max_height(180.0)
        .auto_shrink([false, true])
        .show_rows(ui, row_height, rows, |ui, range| {
            for row in range {
                if let Some(w) = report.warnings.get(row) {
                    let place = lang
                        .tr(Msg::FileRow)
                        .replace("{}", &lang.numbers().count(w.index as u64 + 1));
                    let text = format!(
                        "! {place}{}: {}",
                        place_text(w.line, w.fid, lang),
                        warning_text(&w.warning, lang)
                    );
                    let link = BidiLabel::new(&text)
                        .color(ui.visuals().hyperlink_color)
                        .sense(egui::Sense::click());
                    if ui.add(link).clicked() {
                        target = scene.layer.districts.iter().position(|d| d.feature_index == w.index);
                    }
                } else if let Some(s) = report.skipped.get(row - report.warnings.len()) {
                    let place = lang
                        .tr(Msg::FileRow)
                        .replace("{}", &lang.numbers().count(s.index as u64 + 1));
                    let text = format!(
                        "× {place}{}: {} — {}",
                        place_text(s.line, s.fid, lang),
                        skip_reason_text(&s.reason, lang),
                        lang.tr(Msg::Skipped)
                    );
                    ui.add(BidiLabel::new(&text).color(ui.visuals().warn_fg_color));
                }
            }
        });
    target
}

/// ", line N" or ", fid N" in the interface language; nothing when the format has neither (a
/// Shapefile, whose record is the row).
fn place_text(line: usize, fid: Option<i64>, lang: Language) -> String {
    let comma = match lang {
        Language::Fa => "،",
        Language::En => ",",
    };
    match (line, fid) {
        (_, Some(fid)) => format!(
            "{comma} {}",
            lang.tr(Msg::FileFid)
                .replace("{}", &lang.numbers().digits(&fid.to_string()))
        ),
        (0, None) => String::new(),
        (line, None) => format!(
            "{comma} {}",
            lang.tr(Msg::FileLine).replace("{}", &lang.numbers().count(line as u64))
        ),
    }
}
