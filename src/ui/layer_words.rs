//! The words of the layer panel, in Persian and English.

use super::i18n::Language;
use crate::model::{LineDash, PointSymbol};

/// The panel's own words.
#[allow(missing_docs)]
pub struct LayerWords {
    pub tab: &'static str,
    pub add: &'static str,
    pub add_menu: &'static str,
    pub drop_hint: &'static str,
    pub districts: &'static str,
    pub none_yet: &'static str,
    pub show: &'static str,
    pub hide: &'static str,
    pub drag: &'static str,
    pub move_up: &'static str,
    pub move_down: &'static str,
    pub zoom_to: &'static str,
    pub remove: &'static str,
    pub reading: &'static str,
    pub failed: &'static str,
    pub name: &'static str,
    pub opacity: &'static str,
    pub stroke: &'static str,
    pub width: &'static str,
    pub dash: &'static str,
    pub fill: &'static str,
    pub symbol: &'static str,
    pub size: &'static str,
    pub label_field: &'static str,
    pub no_label: &'static str,
    pub label_size: &'static str,
    pub points: &'static str,
    pub lines: &'static str,
    pub polygons: &'static str,
    pub skipped: &'static str,
}

const FA: LayerWords = LayerWords {
    tab: "لایه‌ها",
    add: "+ افزودن لایه…",
    add_menu: "افزودن لایه…",
    drop_hint: "پرونده‌ای که در این زبانه رها شود لایه‌ی مرجع می‌شود",
    districts: "محدوده‌ها",
    none_yet: "هنوز لایه‌ی مرجعی نیست: خیابان‌ها، مدرسه‌ها، مسجدها، درمانگاه‌ها…",
    show: "نمایش لایه",
    hide: "پنهان کردن لایه",
    drag: "بکشید تا جابه‌جا شود",
    move_up: "بالاتر",
    move_down: "پایین‌تر",
    zoom_to: "بزرگ‌نمایی روی لایه",
    remove: "حذف لایه",
    reading: "در حال خواندن…",
    failed: "باز نشد",
    name: "نام",
    opacity: "کدری",
    stroke: "رنگ خط",
    width: "پهنای خط",
    dash: "خط‌چین",
    fill: "رنگ پر",
    symbol: "نماد نقطه",
    size: "اندازه‌ی نماد",
    label_field: "برچسب",
    no_label: "بدون برچسب",
    label_size: "اندازه‌ی برچسب",
    points: "نقطه",
    lines: "خط",
    polygons: "چندضلعی",
    skipped: "کنار گذاشته",
};

const EN: LayerWords = LayerWords {
    tab: "Layers",
    add: "+ Add layer…",
    add_menu: "Add layer…",
    drop_hint: "A file dropped while this tab shows is added as a reference layer",
    districts: "Districts",
    none_yet: "No reference layers yet: streets, schools, mosques, clinics…",
    show: "Show layer",
    hide: "Hide layer",
    drag: "Drag to reorder",
    move_up: "Move up",
    move_down: "Move down",
    zoom_to: "Zoom to layer",
    remove: "Remove layer",
    reading: "reading…",
    failed: "did not open",
    name: "Name",
    opacity: "Opacity",
    stroke: "Line colour",
    width: "Line width",
    dash: "Dashes",
    fill: "Fill",
    symbol: "Point symbol",
    size: "Symbol size",
    label_field: "Label",
    no_label: "No label",
    label_size: "Label size",
    points: "points",
    lines: "lines",
    polygons: "polygons",
    skipped: "skipped",
};

/// The panel's words in `lang`.
pub fn layer_words(lang: Language) -> &'static LayerWords {
    match lang {
        Language::Fa => &FA,
        Language::En => &EN,
    }
}

/// A dash style's name.
pub fn dash_name(dash: LineDash, lang: Language) -> &'static str {
    match (dash, lang) {
        (LineDash::Solid, Language::Fa) => "پیوسته",
        (LineDash::Dashed, Language::Fa) => "خط‌چین",
        (LineDash::Dotted, Language::Fa) => "نقطه‌چین",
        (LineDash::Solid, Language::En) => "Solid",
        (LineDash::Dashed, Language::En) => "Dashed",
        (LineDash::Dotted, Language::En) => "Dotted",
    }
}

/// A point symbol's name.
pub fn symbol_name(symbol: PointSymbol, lang: Language) -> &'static str {
    match (symbol, lang) {
        (PointSymbol::Circle, Language::Fa) => "دایره",
        (PointSymbol::Square, Language::Fa) => "مربع",
        (PointSymbol::Triangle, Language::Fa) => "مثلث",
        (PointSymbol::Circle, Language::En) => "Circle",
        (PointSymbol::Square, Language::En) => "Square",
        (PointSymbol::Triangle, Language::En) => "Triangle",
    }
}
