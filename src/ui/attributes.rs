//! The attribute panel: every property of the selected district, nested objects as indented rows.

use std::collections::BTreeSet;

use egui::{FontId, RichText};
use serde_json::Value;

use super::bidi_text::BidiLabel;
use super::i18n::{Language, Msg};
use super::map::MapScene;
use crate::model::FieldPath;

/// Shows the selection's attributes.
pub fn attributes_ui(ui: &mut egui::Ui, scene: &MapScene, selection: &BTreeSet<usize>, lang: Language) {
    ui.heading(lang.tr(Msg::Attributes));
    let selected: Vec<usize> = selection
        .iter()
        .copied()
        .filter(|&i| i < scene.layer.districts.len())
        .collect();
    match selected.as_slice() {
        [] => {
            let weak = ui.visuals().weak_text_color();
            ui.add(BidiLabel::new(lang.tr(Msg::NothingSelected)).color(weak).wrap());
        }
        [i] => {
            let label = scene.layer.label_in(*i, lang);
            ui.add(BidiLabel::new(&label).font(FontId::proportional(18.0)));
            let d = &scene.layer.districts[*i];
            // Counted from 1, as a planner counts the rows of a file (messages say the same).
            let row = lang.numbers().count(d.feature_index as u64 + 1);
            let weak = ui.visuals().weak_text_color();
            ui.add(BidiLabel::new(&lang.tr(Msg::FileRow).replace("{}", &row)).color(weak));
            ui.separator();
            egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
                egui::Grid::new("attributes")
                    .num_columns(2)
                    .striped(true)
                    .show(ui, |ui| {
                        for (key, value) in &d.properties {
                            property_rows_ui(ui, key, value, 0, lang);
                        }
                    });
            });
        }
        many => {
            let numbers = lang.numbers();
            ui.add(BidiLabel::new(&format!(
                "{} {}",
                numbers.count(many.len() as u64),
                lang.tr(Msg::SelectedCount)
            )));
            let population = FieldPath::new("population");
            let total: f64 = many
                .iter()
                .filter_map(|&i| population.number_in(&scene.layer.districts[i].properties))
                .sum();
            if total > 0.0 {
                ui.add(BidiLabel::new(&format!(
                    "{}: {}",
                    lang.tr(Msg::TotalPopulation),
                    numbers.fixed(total, 0)
                )));
            }
            ui.separator();
            egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
                for &i in many {
                    ui.add(BidiLabel::new(&scene.layer.label_in(i, lang)));
                }
            });
        }
    }
}

fn property_rows_ui(ui: &mut egui::Ui, key: &str, value: &Value, depth: usize, lang: Language) {
    let indent = "    ".repeat(depth);
    match value {
        Value::Object(map) => {
            ui.label(RichText::new(format!("{indent}{key}")).strong());
            ui.label("");
            ui.end_row();
            for (k, v) in map {
                property_rows_ui(ui, k, v, depth + 1, lang);
            }
        }
        _ => {
            ui.label(format!("{indent}{key}"));
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Null => "—".to_string(),
                Value::Number(n) => lang.numbers().value_text(&n.to_string()),
                other => other.to_string(),
            };
            ui.add(BidiLabel::new(&text));
            ui.end_row();
        }
    }
}
