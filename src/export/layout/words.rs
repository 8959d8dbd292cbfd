//! The words a layout prints by itself, in Persian and English.

use crate::model::layout::LayoutLanguage;

/// A layout's own words; `{}` marks where a number goes.
#[allow(missing_docs)]
pub struct Words {
    /// The language these words are in; district names follow it.
    pub language: crate::text::Language,
    pub default_title: &'static str,
    pub default_attribution: &'static str,
    /// Before the basemap's attribution.
    pub basemap: &'static str,
    pub author: &'static str,
    pub legend: &'static str,
    pub district: &'static str,
    pub formal: &'static str,
    pub marginal: &'static str,
    pub covered: &'static str,
    pub catchment: &'static str,
    pub proposed: &'static str,
    pub approved: &'static str,
    pub operating: &'static str,
    pub north: &'static str,
    pub indicators: &'static str,
    pub offices: &'static str,
    pub population_reached: &'static str,
    pub marginal_reached: &'static str,
    pub mean_distance: &'static str,
    pub worst_distance: &'static str,
    pub metres: &'static str,
    pub more: &'static str,
    pub no_data: &'static str,
    pub other_categories: &'static str,
    pub area_km2: &'static str,
    pub density_per_km2: &'static str,
}

const FA: Words = Words {
    language: crate::text::Language::Fa,
    default_title: "دفاتر تسهیلگری توسعه محلی",
    default_attribution: "تهیه‌شده با mahalleh",
    basemap: "نقشه‌ی پایه",
    author: "تهیه‌کننده",
    legend: "راهنما",
    district: "محله",
    formal: "بافت رسمی",
    marginal: "سکونتگاه حاشیه‌ای",
    covered: "پوشش‌یافته (پررنگ‌تر: بیشتر)",
    catchment: "شعاع دسترسی پیاده ({} متر)",
    proposed: "دفتر پیشنهادی",
    approved: "دفتر مصوب",
    operating: "دفتر فعال",
    north: "ش",
    indicators: "شاخص‌ها",
    offices: "دفترها",
    population_reached: "جمعیت پوشش‌یافته",
    marginal_reached: "محله‌های حاشیه‌ای پوشش‌یافته",
    mean_distance: "میانگین فاصله تا دفتر",
    worst_distance: "بیشترین فاصله تا دفتر",
    metres: "متر",
    more: "و {} دفتر دیگر",
    no_data: "بدون داده",
    other_categories: "سایر",
    area_km2: "مساحت (کیلومتر مربع)",
    density_per_km2: "تراکم جمعیت (نفر در کیلومتر مربع)",
};

const EN: Words = Words {
    language: crate::text::Language::En,
    default_title: "Local development facilitation offices",
    default_attribution: "Made with mahalleh",
    basemap: "Basemap",
    author: "Prepared by",
    legend: "Legend",
    district: "District",
    formal: "Formal district",
    marginal: "Marginal settlement",
    covered: "Reached by an office (darker: more)",
    catchment: "Walking catchment ({} m)",
    proposed: "Proposed office",
    approved: "Approved office",
    operating: "Operating office",
    north: "N",
    indicators: "Indicators",
    offices: "Offices",
    population_reached: "Population reached",
    marginal_reached: "Marginal districts reached",
    mean_distance: "Mean distance to an office",
    worst_distance: "Worst distance to an office",
    metres: "m",
    more: "and {} more",
    no_data: "No data",
    other_categories: "Other",
    area_km2: "Area (km²)",
    density_per_km2: "Population density (per km²)",
};

/// The words of `language`.
pub fn words(language: LayoutLanguage) -> &'static Words {
    match language {
        LayoutLanguage::Fa => &FA,
        LayoutLanguage::En => &EN,
    }
}
