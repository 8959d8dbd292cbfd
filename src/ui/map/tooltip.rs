//! The hover tooltip: a district's label and its key attributes.

use egui::{FontId, RichText};

use super::scene::MapScene;
use crate::model::FieldPath;
use crate::text::{Language, Numbers};
use crate::ui::bidi_text::BidiLabel;
use crate::ui::i18n::Msg;

/// Attributes shown in the tooltip when present, with their English and Persian captions.
const KEY_FIELDS: &[(&str, &str, &str)] = &[
    ("name_en", "English name", "نام انگلیسی"),
    ("population", "Population", "جمعیت"),
    ("settlement", "Settlement", "سکونتگاه"),
    ("city", "City", "شهر"),
    ("tags.name:en", "English name", "نام انگلیسی"),
    ("tags.admin_level", "Admin level", "سطح اداری"),
];

/// A value of the `settlement` field in words of the interface (the file's own value otherwise).
fn settlement_words(value: &str, persian: bool) -> Option<&'static str> {
    let words = match value.trim().to_lowercase().as_str() {
        "formal" | "رسمی" => ("Formal", "رسمی"),
        "marginal" | "حاشیه‌ای" | "حاشیه ای" => ("Marginal settlement", "سکونتگاه حاشیه‌ای"),
        "informal" | "غیررسمی" => ("Informal settlement", "سکونتگاه غیررسمی"),
        _ => return None,
    };
    Some(if persian { words.1 } else { words.0 })
}

/// Shows the tooltip of district `i`.
pub fn district_tooltip_ui(ui: &mut egui::Ui, scene: &MapScene, i: usize, lang: Language) {
    let persian = lang == Language::Fa;
    let label = scene.layer.label_in(i, lang);
    ui.add(BidiLabel::new(&label).font(FontId::proportional(17.0)));
    let props = &scene.layer.districts[i].properties;
    let label_field = scene.layer.label_field_in(lang).map(|f| f.as_str().to_string());
    // In English with English names, the Persian name the file labels by comes first.
    let persian_name =
        (label_field.as_deref() != scene.layer.label_field().map(|f| f.path.as_str())).then(|| scene.layer.label(i));
    egui::Grid::new("district_tooltip").num_columns(2).show(ui, |ui| {
        if let Some(name) = &persian_name {
            ui.label(RichText::new(lang.tr(Msg::PersianName)).weak());
            ui.add(BidiLabel::new(name));
            ui.end_row();
        }
        for &(path, en, fa) in KEY_FIELDS {
            if label_field.as_deref() == Some(path) {
                continue;
            }
            if let Some(value) = FieldPath::new(path).text_in(props) {
                ui.label(RichText::new(if persian { fa } else { en }).weak());
                let shown = match path {
                    "settlement" => settlement_words(&value, persian).map_or(value.to_string(), str::to_string),
                    _ => Numbers::for_persian(persian).value_text(&value),
                };
                ui.add(BidiLabel::new(&shown));
                ui.end_row();
            }
        }
    });
}
