//! The hover tooltip: a district's label and its key attributes.

use egui::{FontId, RichText};

use super::scene::MapScene;
use crate::model::FieldPath;
use crate::ui::bidi_text::BidiLabel;

/// Attributes shown in the tooltip when present, with their English and Persian captions.
const KEY_FIELDS: &[(&str, &str, &str)] = &[
    ("name_en", "English name", "نام انگلیسی"),
    ("population", "Population", "جمعیت"),
    ("settlement", "Settlement", "سکونتگاه"),
    ("city", "City", "شهر"),
    ("tags.name:en", "English name", "نام انگلیسی"),
    ("tags.admin_level", "Admin level", "سطح اداری"),
];

/// Shows the tooltip of district `i`.
pub fn district_tooltip_ui(ui: &mut egui::Ui, scene: &MapScene, i: usize, persian: bool) {
    let label = scene.layer.label(i);
    ui.add(BidiLabel::new(&label).font(FontId::proportional(17.0)));
    let props = &scene.layer.districts[i].properties;
    let label_field = scene.layer.label_field().map(|f| f.path.as_str().to_string());
    egui::Grid::new("district_tooltip").num_columns(2).show(ui, |ui| {
        for &(path, en, fa) in KEY_FIELDS {
            if label_field.as_deref() == Some(path) {
                continue;
            }
            if let Some(value) = FieldPath::new(path).text_in(props) {
                ui.label(RichText::new(if persian { fa } else { en }).weak());
                ui.add(BidiLabel::new(&value));
                ui.end_row();
            }
        }
    });
}
