//! The words of the thematic style panel and legend, in Persian and English.

use super::i18n::Language;
use crate::style::{ClassMethod, ClassifyError, StyleError, StyleValue};

/// The panel's own words.
#[allow(missing_docs)]
pub struct StyleWords {
    pub heading: &'static str,
    pub colour_by: &'static str,
    pub plain: &'static str,
    pub area_km2: &'static str,
    pub density_per_km2: &'static str,
    pub categories: &'static str,
    pub method: &'static str,
    pub classes: &'static str,
    pub palette: &'static str,
    pub reversed: &'static str,
    pub breaks: &'static str,
    pub breaks_hint: &'static str,
    pub colour_blind_safe: &'static str,
    pub no_data: &'static str,
    pub other: &'static str,
    pub not_numbers: &'static str,
}

const FA: StyleWords = StyleWords {
    heading: "نقشه‌ی موضوعی",
    colour_by: "رنگ بر پایه‌ی",
    plain: "ساده (رسمی / حاشیه‌ای)",
    area_km2: "مساحت (کیلومتر مربع)",
    density_per_km2: "تراکم جمعیت (نفر در کیلومتر مربع)",
    categories: "دسته‌ها",
    method: "روش طبقه‌بندی",
    classes: "شمار طبقه‌ها",
    palette: "طیف رنگ",
    reversed: "وارونه",
    breaks: "مرز طبقه‌ها",
    breaks_hint: "مثلاً ۱۰۰۰، ۵۰۰۰، ۲۰۰۰۰",
    colour_blind_safe: "مناسب کوررنگی",
    no_data: "بدون داده",
    other: "سایر",
    not_numbers: "مرزها باید عددهایی فزاینده باشند، جداشده با «،»",
};

const EN: StyleWords = StyleWords {
    heading: "Thematic map",
    colour_by: "Colour by",
    plain: "Plain (formal / marginal)",
    area_km2: "Area (km²)",
    density_per_km2: "Population density (per km²)",
    categories: "categories",
    method: "Classes by",
    classes: "Classes",
    palette: "Colours",
    reversed: "Reversed",
    breaks: "Class bounds",
    breaks_hint: "e.g. 1000, 5000, 20000",
    colour_blind_safe: "colour-blind safe",
    no_data: "No data",
    other: "Other",
    not_numbers: "bounds must be rising numbers, separated by commas",
};

/// The words of `lang`.
pub fn style_words(lang: Language) -> &'static StyleWords {
    match lang {
        Language::Fa => &FA,
        Language::En => &EN,
    }
}

/// A class method's name in `lang`.
pub fn method_text(method: ClassMethod, lang: Language) -> &'static str {
    match (lang, method) {
        (Language::Fa, ClassMethod::NaturalBreaks) => "شکست‌های طبیعی (جنکس)",
        (Language::Fa, ClassMethod::Quantile) => "چندک (شمار برابر)",
        (Language::Fa, ClassMethod::EqualInterval) => "بازه‌های برابر",
        (Language::Fa, ClassMethod::StandardDeviation) => "انحراف معیار",
        (Language::Fa, ClassMethod::Manual) => "دستی",
        (Language::En, ClassMethod::NaturalBreaks) => "Natural breaks (Jenks)",
        (Language::En, ClassMethod::Quantile) => "Quantile (equal count)",
        (Language::En, ClassMethod::EqualInterval) => "Equal interval",
        (Language::En, ClassMethod::StandardDeviation) => "Standard deviation",
        (Language::En, ClassMethod::Manual) => "Manual",
    }
}

/// What a graduated style measures, as the panel and the legend name it.
pub fn value_text(value: &StyleValue, lang: Language) -> String {
    let words = style_words(lang);
    match value {
        StyleValue::AreaKm2 => words.area_km2.to_string(),
        StyleValue::DensityPerKm2 => words.density_per_km2.to_string(),
        StyleValue::Field(f) => f.to_string(),
    }
}

/// Why a style could not be applied, in `lang`.
pub fn style_error_text(error: &StyleError, lang: Language) -> String {
    match lang {
        Language::En => error.to_string(),
        Language::Fa => match error {
            StyleError::NoSuchPalette(name) => format!("طیف رنگی به نام «{name}» نیست"),
            StyleError::ClassCount(n) => format!("{n} طبقه: نقشه ۲ تا ۹ طبقه را نشان می‌دهد"),
            StyleError::NoCategories(field) => format!("هیچ محله‌ای در «{field}» مقداری ندارد"),
            StyleError::Classify { field, source } => {
                let why = match source {
                    ClassifyError::NoValues => "هیچ محله‌ای عددی ندارد".to_string(),
                    ClassifyError::NoBreaks => "طبقه‌بندی دستی دست‌کم یک مرز می‌خواهد".to_string(),
                    ClassifyError::BadBreak { index } => format!("مرز {index} عدد نیست"),
                };
                format!("«{field}» طبقه‌بندی نشد: {why}")
            }
        },
    }
}
