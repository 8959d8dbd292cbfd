//! The thematic style panel: what districts are coloured by (plain, a number in classes, the
//! texts of a field), the class method and count, the colour scheme and manual bounds. Every
//! change is one [`Command::SetDistrictStyle`], so it is undone with Ctrl+Z and saved in the plan.

use super::bidi_text::{BidiLabel, bidi_widget_text};
use super::i18n::Language;
use super::map::style::color;
use super::plan_state::PlanState;
use super::style_words::{method_text, style_error_text, style_words, value_text};
use super::theme_state::ThemeState;
use crate::model::{Command, FieldPath};
use crate::style::{
    ClassMethod, DEFAULT_PALETTE, Graduated, MAX_CLASSES, MIN_CLASSES, Palette, StyleValue, ThematicStyle,
    palette_named, palettes,
};
use crate::text::numbers::parse_number;
use crate::workspace::DistrictLayer;

/// What the districts are coloured by, as the first menu offers it.
#[derive(Clone, Debug, PartialEq)]
enum ColourBy {
    Plain,
    Number(StyleValue),
    Categories(FieldPath),
}

impl ColourBy {
    fn of(style: Option<&ThematicStyle>) -> Self {
        match style {
            None => Self::Plain,
            Some(ThematicStyle::Graduated(g)) => Self::Number(g.value.clone()),
            Some(ThematicStyle::Categorised { field }) => Self::Categories(field.clone()),
        }
    }

    fn text(&self, lang: Language) -> String {
        let words = style_words(lang);
        match self {
            Self::Plain => words.plain.to_string(),
            Self::Number(value) => value_text(value, lang),
            Self::Categories(field) => format!("{field} ({})", words.categories),
        }
    }
}

/// The panel's text being typed between frames (the manual bounds commit on Enter or when the
/// field loses focus).
#[derive(Default)]
pub struct StylePanelState {
    breaks_text: Option<String>,
    breaks_error: bool,
}

/// The style panel for the districts of `layer`.
pub fn style_panel_ui(
    ui: &mut egui::Ui,
    state: &mut StylePanelState,
    plan: &mut PlanState,
    themes: &mut ThemeState,
    layer: &std::sync::Arc<DistrictLayer>,
    lang: Language,
) {
    let words = style_words(lang);
    let current = plan.district_style().cloned();
    let chosen = ColourBy::of(current.as_ref());
    let fields = themes.fields(layer);
    let mut choices = vec![ColourBy::Plain, ColourBy::Number(StyleValue::AreaKm2)];
    let has_population = {
        let field = plan.population_field().unwrap_or_else(|| FieldPath::new("population"));
        fields.iter().any(|f| f.path == field && f.numbers > 0)
    };
    if has_population {
        choices.push(ColourBy::Number(StyleValue::DensityPerKm2));
    }
    choices.extend(
        fields
            .iter()
            .filter(|f| f.is_numeric())
            .map(|f| ColourBy::Number(StyleValue::Field(f.path.clone()))),
    );
    choices.extend(
        fields
            .iter()
            .filter(|f| !f.is_numeric() && f.texts > 0)
            .map(|f| ColourBy::Categories(f.path.clone())),
    );

    let mut next: Option<Option<ThematicStyle>> = None;
    ui.horizontal(|ui| {
        ui.add(BidiLabel::new(words.colour_by));
        egui::ComboBox::from_id_salt("style-colour-by")
            .selected_text(bidi_widget_text(ui, &chosen.text(lang)))
            .width(190.0)
            .show_ui(ui, |ui| {
                for choice in &choices {
                    let text = bidi_widget_text(ui, &choice.text(lang));
                    if ui.selectable_label(*choice == chosen, text).clicked() && *choice != chosen {
                        next = Some(style_for(choice, current.as_ref()));
                    }
                }
            });
    });
    if let Some(ThematicStyle::Graduated(g)) = &current
        && let Some(changed) = graduated_ui(ui, state, g, lang)
    {
        next = Some(Some(ThematicStyle::Graduated(changed)));
    }
    if let Some(error) = &themes.error {
        let colour = ui.visuals().error_fg_color;
        ui.add(BidiLabel::new(&style_error_text(error, lang)).color(colour).wrap());
    }
    if let Some(style) = next {
        state.breaks_text = None;
        state.breaks_error = false;
        plan.send(Command::SetDistrictStyle(style.map(Box::new)));
    }
}

/// The style a menu choice makes, keeping the current scheme and class settings when it changes
/// only the value.
fn style_for(choice: &ColourBy, current: Option<&ThematicStyle>) -> Option<ThematicStyle> {
    match choice {
        ColourBy::Plain => None,
        ColourBy::Categories(field) => Some(ThematicStyle::Categorised { field: field.clone() }),
        ColourBy::Number(value) => {
            let g = match current {
                // Manual bounds belong to the value they were typed for.
                Some(ThematicStyle::Graduated(g)) if g.method != ClassMethod::Manual => Graduated {
                    value: value.clone(),
                    ..g.clone()
                },
                _ => Graduated::new(value.clone()),
            };
            Some(ThematicStyle::Graduated(g))
        }
    }
}

/// The controls of a graduated style; the changed style when one was changed.
fn graduated_ui(ui: &mut egui::Ui, state: &mut StylePanelState, g: &Graduated, lang: Language) -> Option<Graduated> {
    let words = style_words(lang);
    let mut changed = g.clone();
    ui.horizontal(|ui| {
        ui.add(BidiLabel::new(words.method));
        egui::ComboBox::from_id_salt("style-method")
            .selected_text(bidi_widget_text(ui, method_text(g.method, lang)))
            .show_ui(ui, |ui| {
                for method in ClassMethod::ALL {
                    let text = bidi_widget_text(ui, method_text(method, lang));
                    ui.selectable_value(&mut changed.method, method, text);
                }
            });
    });
    let automatic = !matches!(changed.method, ClassMethod::Manual | ClassMethod::StandardDeviation);
    if automatic {
        ui.horizontal(|ui| {
            ui.add(BidiLabel::new(words.classes));
            let mut k = changed.classes.clamp(MIN_CLASSES, MAX_CLASSES);
            let numbers = lang.numbers();
            let slider = egui::Slider::new(&mut k, MIN_CLASSES..=MAX_CLASSES)
                .integer()
                .custom_formatter(move |v, _| numbers.count(v.round().max(0.0) as u64));
            if ui.add(slider).changed() {
                changed.classes = k;
            }
        });
    }
    if changed.method == ClassMethod::Manual {
        manual_breaks_ui(ui, state, &mut changed, lang);
    }
    ui.horizontal(|ui| {
        ui.add(BidiLabel::new(words.palette));
        let selected = palette_named(&changed.palette).or_else(|| palette_named(DEFAULT_PALETTE));
        egui::ComboBox::from_id_salt("style-palette")
            .selected_text(changed.palette.clone())
            .width(110.0)
            .show_ui(ui, |ui| {
                for p in palettes() {
                    ui.horizontal(|ui| {
                        palette_swatch_ui(ui, p, g.classes, g.reversed);
                        let text = if p.colour_blind_safe {
                            format!("{} ({})", p.name, words.colour_blind_safe)
                        } else {
                            p.name.to_string()
                        };
                        let text = bidi_widget_text(ui, &text);
                        if ui.selectable_label(Some(p) == selected, text).clicked() {
                            changed.palette = p.name.to_string();
                        }
                    });
                }
            });
        ui.checkbox(&mut changed.reversed, bidi_widget_text(ui, words.reversed));
    });
    if let Some(p) = palette_named(&changed.palette) {
        palette_swatch_ui(ui, p, changed.classes, changed.reversed);
    }
    (changed != *g).then_some(changed)
}

/// The bounds of manual classes, typed as a list.
fn manual_breaks_ui(ui: &mut egui::Ui, state: &mut StylePanelState, g: &mut Graduated, lang: Language) {
    let words = style_words(lang);
    let numbers = lang.numbers();
    let separator = if lang == Language::Fa { "، " } else { ", " };
    let shown = || {
        g.breaks
            .iter()
            .map(|b| numbers.fixed(*b, if b.fract() == 0.0 { 0 } else { 2 }))
            .collect::<Vec<_>>()
            .join(separator)
    };
    let mut text = state.breaks_text.clone().unwrap_or_else(shown);
    ui.add(BidiLabel::new(words.breaks));
    let response = ui.add(
        egui::TextEdit::singleline(&mut text)
            .hint_text(words.breaks_hint)
            .desired_width(220.0),
    );
    if response.changed() {
        state.breaks_text = Some(text.clone());
    }
    let commit = response.lost_focus() && state.breaks_text.is_some();
    if commit {
        match parse_bounds(&text) {
            Some(bounds) => {
                g.breaks = bounds;
                state.breaks_text = None;
                state.breaks_error = false;
            }
            None => state.breaks_error = true,
        }
    }
    if state.breaks_error {
        let colour = ui.visuals().error_fg_color;
        ui.add(BidiLabel::new(words.not_numbers).color(colour).wrap());
    }
}

/// `1000, 5000` (Persian digits and «،» too) as rising numbers; `None` when not.
pub fn parse_bounds(text: &str) -> Option<Vec<f64>> {
    let items: Vec<&str> = text
        .split(['،', ';', '\n', ' '])
        .flat_map(split_commas)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let bounds: Vec<f64> = items.iter().map(|s| parse_number(s)).collect::<Option<_>>()?;
    (!bounds.is_empty() && bounds.windows(2).all(|w| w[0] < w[1])).then_some(bounds)
}

/// An item split at its commas, unless they group thousands (`12,500`, `۱۲,۵۰۰.۵`).
fn split_commas(item: &str) -> Vec<&str> {
    let item = item.trim_matches(',');
    let is_digits =
        |s: &str, n: std::ops::RangeInclusive<usize>| n.contains(&s.chars().count()) && s.chars().all(char::is_numeric);
    let mut parts = item.split(',');
    let first = parts.next().unwrap_or_default();
    let grouping = item.contains(',')
        && is_digits(first.trim_start_matches('-'), 1..=3)
        && parts.all(|p| {
            let whole = p.split(['.', '٫']).next().unwrap_or_default();
            is_digits(whole, 3..=3)
        });
    if grouping {
        vec![item]
    } else {
        item.split(',').collect()
    }
}

/// A strip of a scheme's colours.
fn palette_swatch_ui(ui: &mut egui::Ui, palette: &Palette, classes: usize, reversed: bool) {
    let mut colours = palette.colours(classes.clamp(MIN_CLASSES, MAX_CLASSES));
    if reversed {
        colours.reverse();
    }
    let cell = egui::vec2(12.0, 12.0);
    let (rect, _) = ui.allocate_exact_size(egui::vec2(cell.x * colours.len() as f32, cell.y), egui::Sense::hover());
    for (k, rgb) in colours.iter().enumerate() {
        let min = rect.min + egui::vec2(cell.x * k as f32, 0.0);
        ui.painter()
            .rect_filled(egui::Rect::from_min_size(min, cell), 0.0, color(*rgb));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_read_as_typed_in_either_language() {
        assert_eq!(parse_bounds("1000, 5000, 20000"), Some(vec![1000.0, 5000.0, 20000.0]));
        assert_eq!(parse_bounds("۱٬۰۰۰، ۵٬۰۰۰"), Some(vec![1000.0, 5000.0]));
        assert_eq!(parse_bounds("0.5 1.5"), Some(vec![0.5, 1.5]));
        assert_eq!(parse_bounds("1000,5000"), Some(vec![1000.0, 5000.0]));
        assert_eq!(parse_bounds("12,500, 40,000.5"), Some(vec![12500.0, 40000.5]));
        assert_eq!(parse_bounds("5000, 1000"), None, "falling");
        assert_eq!(parse_bounds("ده، بیست"), None);
        assert_eq!(parse_bounds(""), None);
    }
}
