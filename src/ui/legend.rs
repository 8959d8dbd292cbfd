//! The legend beside the map: what the map draws, and only that: the theme's classes or
//! categories when the plan has a style, else district kinds and their reached shades when
//! coverage is shown and some district is reached; then catchments and the office statuses
//! present.

use super::bidi_text::BidiLabel;
use super::i18n::{Language, Msg};
use super::map::MapScene;
use super::map::style::{color, colors, has_marginal};
use super::plan_state::PlanState;
use super::style_words::{style_words, value_text};
use std::sync::Arc;

use crate::model::ReferenceLayer;
use crate::style::{StyleValue, Theme};
use crate::workspace::{DataId, FeatureLayer};

/// The legend of what the map draws: the theme's rows (or district kinds and their reached
/// shades when coverage is shown and some district is reached), catchments, the office
/// statuses present and the shown reference layers (`reference`, bottom first), top one first.
pub fn legend_ui(
    ui: &mut egui::Ui,
    scene: &MapScene,
    plan: &PlanState,
    theme: Option<&Theme>,
    reference: &[(ReferenceLayer, Arc<FeatureLayer>)],
    lang: Language,
) {
    ui.strong(lang.tr(Msg::Legend));
    // Hidden districts have no entry, as hidden reference layers have none.
    if plan.plan.districts_shown() {
        match theme {
            Some(theme) => theme_legend_ui(ui, theme, lang),
            None => districts_legend_ui(ui, scene, plan, lang),
        }
    }
    offices_legend_ui(ui, plan, lang);
    for (layer, data) in reference.iter().rev() {
        reference_row_ui(ui, layer, data);
    }
}

/// A reference layer's row: its point symbol, a stretch of its line, or a box of its fill.
fn reference_row_ui(ui: &mut egui::Ui, layer: &ReferenceLayer, data: &FeatureLayer) {
    let style = &layer.style;
    let [r, g, b] = style.stroke;
    let stroke = egui::Color32::from_rgb(r, g, b);
    let counts = data.geometry_counts();
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(18.0, 12.0), egui::Sense::hover());
        let painter = ui.painter();
        if counts.points > 0 {
            painter.circle_filled(rect.center(), (style.symbol_size_pt / 2.0).min(6.0), stroke);
        } else if counts.lines > 0 {
            let y = rect.center().y;
            painter.line_segment(
                [egui::pos2(rect.left(), y), egui::pos2(rect.right(), y)],
                egui::Stroke::new(style.stroke_width_pt, stroke),
            );
        } else {
            let fill = style
                .fill
                .map_or(egui::Color32::TRANSPARENT, |[r, g, b]| egui::Color32::from_rgb(r, g, b));
            painter.rect_filled(rect, 2.0, fill);
            painter.rect_stroke(
                rect,
                2.0,
                egui::Stroke::new(style.stroke_width_pt, stroke),
                egui::StrokeKind::Inside,
            );
        }
        ui.add(BidiLabel::new(&layer.name));
    });
}

/// A theme's title and a row per class or category, with how many districts each has.
fn theme_legend_ui(ui: &mut egui::Ui, theme: &Theme, lang: Language) {
    let words = style_words(lang);
    let title = match StyleValue::parse(&theme.legend.title) {
        StyleValue::Field(_) => theme.legend.title.clone(),
        builtin => value_text(&builtin, lang),
    };
    ui.add(BidiLabel::new(&title).color(ui.visuals().strong_text_color()));
    let numbers = lang.numbers();
    for entry in &theme.legend.entries {
        let text = entry.text(numbers, theme.legend.places, words.no_data, words.other);
        let count = numbers.count(entry.districts as u64);
        swatch_ui(ui, color(entry.fill), &format!("{text}  ({count})"));
    }
}

/// A swatch of `fill` with its text.
fn swatch_ui(ui: &mut egui::Ui, fill: egui::Color32, text: &str) {
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(18.0, 12.0), egui::Sense::hover());
        ui.painter().rect_filled(rect, 2.0, fill);
        ui.painter().rect_stroke(
            rect,
            2.0,
            egui::Stroke::new(1.0, colors::OUTLINE),
            egui::StrokeKind::Inside,
        );
        ui.add(BidiLabel::new(text));
    });
}

/// District kinds and their reached shades.
fn districts_legend_ui(ui: &mut egui::Ui, scene: &MapScene, plan: &PlanState, lang: Language) {
    use crate::map::palette;
    let swatch = swatch_ui;
    let facts = legend_facts(ui, scene, plan);
    let reached = |marginal: bool| facts.reached[usize::from(marginal)];
    let shade = |rgb: palette::Rgb| crate::ui::map::style::color(palette::covered_fill(rgb, 1.0));
    if facts.has_marginal {
        swatch(ui, colors::FORMAL, lang.tr(Msg::Formal));
        swatch(ui, colors::MARGINAL, lang.tr(Msg::Marginal));
    } else {
        swatch(ui, colors::FORMAL, lang.tr(Msg::Districts));
    }
    // Reached districts: a shade per kind drawn reached, side by side.
    let shades: Vec<egui::Color32> = [(reached(false), palette::FORMAL), (reached(true), palette::MARGINAL)]
        .into_iter()
        .filter(|(drawn, _)| *drawn)
        .map(|(_, kind)| shade(kind))
        .collect();
    if !shades.is_empty() {
        ui.horizontal(|ui| {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(18.0, 12.0), egui::Sense::hover());
            let w = rect.width() / shades.len() as f32;
            for (k, color) in shades.iter().enumerate() {
                let part =
                    egui::Rect::from_min_size(rect.min + egui::vec2(w * k as f32, 0.0), egui::vec2(w, rect.height()));
                ui.painter().rect_filled(part, 0.0, *color);
            }
            ui.painter().rect_stroke(
                rect,
                2.0,
                egui::Stroke::new(1.0, colors::OUTLINE),
                egui::StrokeKind::Inside,
            );
            ui.add(BidiLabel::new(lang.tr(Msg::DistrictReached)));
        });
    }
}

/// Catchments and the office statuses present.
fn offices_legend_ui(ui: &mut egui::Ui, plan: &PlanState, lang: Language) {
    use crate::map::palette;
    let symbol = |ui: &mut egui::Ui, draw: &dyn Fn(&egui::Painter, egui::Pos2), text: &str| {
        ui.horizontal(|ui| {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(18.0, 16.0), egui::Sense::hover());
            draw(ui.painter(), rect.center());
            ui.add(BidiLabel::new(text));
        });
    };
    if plan.show_coverage && !plan.plan.offices.is_empty() {
        let radius = lang.numbers().metres(plan.plan.radius_m);
        symbol(
            ui,
            &|p, c| {
                p.circle_stroke(c, 7.0, egui::Stroke::new(1.5, colors::CATCHMENT));
            },
            &format!("{} ({radius})", lang.tr(Msg::Catchment)),
        );
    }
    for status in crate::model::OfficeStatus::ALL {
        if !plan.plan.offices.iter().any(|o| o.status == status) {
            continue;
        }
        let (fill, ring) = palette::office_colors(status);
        let (fill, ring) = (crate::ui::map::style::color(fill), crate::ui::map::style::color(ring));
        let name = lang.tr(match status {
            crate::model::OfficeStatus::Proposed => Msg::Proposed,
            crate::model::OfficeStatus::Approved => Msg::Approved,
            crate::model::OfficeStatus::Operating => Msg::Operating,
        });
        symbol(
            ui,
            &|p, c| {
                p.circle(c, 6.0, fill, egui::Stroke::new(2.0, ring));
                p.circle_stroke(c, 7.5, egui::Stroke::new(1.0, egui::Color32::from_gray(40)));
                if status == crate::model::OfficeStatus::Operating {
                    p.circle_filled(c, 2.0, egui::Color32::WHITE);
                }
            },
            name,
        );
    }
}

/// What the legend shows about the districts, found by a pass over all of them and kept (in
/// egui's memory) until the scene or the coverage changes: a layer of 100,000 districts made
/// that pass a good share of every frame.
#[derive(Clone, Copy)]
struct LegendFacts {
    /// The layer (its fills are made once per layer), the coverage generation and whether
    /// coverage is shown. Not the fills' address: a layer opened after two others can get the
    /// first one's block back, and its legend would then say what the first one's did.
    key: (DataId, u64, bool),
    /// Some district is drawn marginal.
    has_marginal: bool,
    /// Some formal (`[0]`) or marginal (`[1]`) district is drawn reached.
    reached: [bool; 2],
}

fn legend_facts(ui: &egui::Ui, scene: &MapScene, plan: &PlanState) -> LegendFacts {
    let key = (scene.layer.data_id(), plan.coverage_generation, plan.show_coverage);
    let id = ui.scope_id().with("legend_facts");
    if let Some(facts) = ui
        .ctx()
        .data(|d| d.get_temp::<LegendFacts>(id))
        .filter(|f| f.key == key)
    {
        return facts;
    }
    let mut reached = [false; 2];
    if plan.show_coverage {
        for c in plan.coverage.districts.iter().filter(|c| c.covered_fraction > 0.0) {
            reached[usize::from(scene.fills.get(c.district) == Some(&colors::MARGINAL))] = true;
        }
    }
    let facts = LegendFacts {
        key,
        has_marginal: has_marginal(&scene.fills),
        reached,
    };
    ui.ctx().data_mut(|d| d.insert_temp(id, facts));
    facts
}
