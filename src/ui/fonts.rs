//! The bundled Persian font, first in the proportional family so that Persian and Latin text
//! share its spaces and metrics (see ../shared/notes/persian-text.md).

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

pub use crate::text::fonts::{VAZIRMATN_BOLD, VAZIRMATN_REGULAR};

/// The font family name for bold map labels.
pub const BOLD_FAMILY: &str = "vazirmatn-bold";

/// Installs Vazirmatn as the first proportional font and a bold family for labels.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    fonts
        .font_data
        .insert("vazirmatn".into(), Arc::new(FontData::from_static(VAZIRMATN_REGULAR)));
    fonts
        .font_data
        .insert(BOLD_FAMILY.into(), Arc::new(FontData::from_static(VAZIRMATN_BOLD)));
    fonts
        .families
        .entry(FontFamily::Proportional)
        .or_default()
        .insert(0, "vazirmatn".into());
    fonts
        .families
        .entry(FontFamily::Monospace)
        .or_default()
        .push("vazirmatn".into());
    let mut bold = vec![BOLD_FAMILY.to_string()];
    bold.extend(
        fonts
            .families
            .get(&FontFamily::Proportional)
            .cloned()
            .unwrap_or_default(),
    );
    fonts.families.insert(FontFamily::Name(BOLD_FAMILY.into()), bold);
    ctx.set_fonts(fonts);
}
