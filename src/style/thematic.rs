//! Thematic styles of the district layer, as a plan saves them, and the [`Theme`] they make: one
//! fill per district and the legend that explains them. The window, the layouts and the command
//! line all colour districts from the same theme, so a printed choropleth matches the screen.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::brewer::{CATEGORY_COLOURS, DEFAULT_PALETTE, MAX_CLASSES, NO_DATA, palette_named};
use super::classify::{ClassMethod, Classes, ClassifyError, classify};
use crate::analysis::geodesic_area::area_m2;
use crate::map::palette::Rgb;
use crate::model::FieldPath;
use crate::text::{Numbers, match_key};
use crate::workspace::DistrictLayer;

/// What a graduated style measures in each district.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StyleValue {
    /// A numeric property (numbers in text, with Persian digits, count too).
    Field(FieldPath),
    /// The district's area on the WGS 84 ellipsoid, km².
    AreaKm2,
    /// Population per km² of ellipsoidal area, from the plan's population field.
    DensityPerKm2,
}

impl StyleValue {
    /// The value a name means: `area_km2` and `density_per_km2` are built in, anything else is
    /// a property.
    ///
    /// ```
    /// use mahalleh::style::StyleValue;
    /// assert_eq!(StyleValue::parse("area_km2"), StyleValue::AreaKm2);
    /// assert_eq!(StyleValue::parse("pop").name(), "pop");
    /// ```
    pub fn parse(name: &str) -> Self {
        match name.trim() {
            "area_km2" => Self::AreaKm2,
            "density_per_km2" => Self::DensityPerKm2,
            other => Self::Field(FieldPath::new(other)),
        }
    }

    /// The name [`Self::parse`] reads back, shown as the legend's title.
    pub fn name(&self) -> &str {
        match self {
            Self::Field(f) => f.as_str(),
            Self::AreaKm2 => "area_km2",
            Self::DensityPerKm2 => "density_per_km2",
        }
    }
}

/// Graduated colours: districts classed by a number, each class a colour of one scheme.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Graduated {
    /// What is classified.
    pub value: StyleValue,
    /// How the classes are found.
    pub method: ClassMethod,
    /// How many classes (2-9, menus offer 3-9; the standard deviation and manual breaks decide
    /// their own, at most 9).
    pub classes: usize,
    /// The bounds of manual classes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breaks: Vec<f64>,
    /// The ColorBrewer scheme's name.
    pub palette: String,
    /// Colours in the scheme's reverse order (dark for low values).
    #[serde(default)]
    pub reversed: bool,
}

impl Graduated {
    /// Natural breaks of `value` into five classes of the default scheme.
    pub fn new(value: StyleValue) -> Self {
        Self {
            value,
            method: ClassMethod::NaturalBreaks,
            classes: 5,
            breaks: Vec::new(),
            palette: DEFAULT_PALETTE.to_string(),
            reversed: false,
        }
    }
}

/// How the district layer is coloured beyond its plain fills.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ThematicStyle {
    /// By classes of a number.
    Graduated(Graduated),
    /// A colour per distinct text value of a field (the same after Persian normalisation).
    Categorised {
        /// The field.
        field: FieldPath,
    },
}

/// Why a style could not make a theme.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum StyleError {
    /// The scheme's name is not one of ours.
    #[error("no colour scheme is called \"{0}\" (try YlOrRd, Blues, RdBu, ...)")]
    NoSuchPalette(String),
    /// The values could not be classified.
    #[error("cannot class {field}: {source}")]
    Classify {
        /// The value's name.
        field: String,
        /// Why.
        source: ClassifyError,
    },
    /// A class count outside what the schemes have colours for.
    #[error("{0} classes: a map can show 2 to 9")]
    ClassCount(usize),
    /// No district has a value in the categorised field.
    #[error("no district has a value in {0}")]
    NoCategories(String),
}

/// What one legend row stands for.
#[derive(Clone, Debug, PartialEq)]
pub enum LegendLabel {
    /// Values from `low` to `high` (the first class includes `low`; later ones start above it).
    Range {
        /// Lower end.
        low: f64,
        /// Upper end, inclusive.
        high: f64,
    },
    /// One category, as the file writes it.
    Category(String),
    /// The categories beyond the colours there are, together.
    OtherCategories,
    /// Districts with no value.
    NoData,
}

/// One legend row.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    /// The fill of the districts it stands for.
    pub fill: Rgb,
    /// What it stands for.
    pub label: LegendLabel,
    /// How many districts have it.
    pub districts: usize,
}

/// The legend of a theme.
#[derive(Clone, Debug, PartialEq)]
pub struct Legend {
    /// The field (or built-in value) the colours show.
    pub title: String,
    /// Rows in order: classes low to high, or categories, then no data when any.
    pub entries: Vec<LegendEntry>,
    /// Decimal places that tell the class bounds apart.
    pub places: usize,
}

impl LegendEntry {
    /// The row's text: class ranges with grouped thousands and `numbers`' digits ("1,200 – 3,400",
    /// "۱٬۲۰۰ – ۳٬۴۰۰"), categories as written. `no_data` and `other` are the words for those
    /// rows in the reader's language.
    pub fn text(&self, numbers: Numbers, places: usize, no_data: &str, other: &str) -> String {
        match &self.label {
            LegendLabel::Range { low, high } => {
                format!("{} – {}", numbers.fixed(*low, places), numbers.fixed(*high, places))
            }
            LegendLabel::Category(c) => numbers.value_text(c),
            LegendLabel::OtherCategories => other.to_string(),
            LegendLabel::NoData => no_data.to_string(),
        }
    }
}

/// A style applied to a layer: each district's fill, and the legend.
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    /// Per district, in layer order.
    pub fills: Vec<Rgb>,
    /// The rows that explain the fills.
    pub legend: Legend,
    /// The classes, for a graduated style.
    pub classes: Option<Classes>,
}

/// Colour of categories past the last distinct colour.
const OTHER: Rgb = [0x9A, 0x9A, 0x9A];

impl ThematicStyle {
    /// The theme this style gives `layer`. `areas_m2` are the districts' ellipsoidal areas when
    /// already known (the coverage model has them); otherwise they are measured when the value
    /// needs them. Densities take populations from `population_field` (or `population`).
    pub fn theme(
        &self,
        layer: &DistrictLayer,
        areas_m2: Option<&[f64]>,
        population_field: Option<&FieldPath>,
    ) -> Result<Theme, StyleError> {
        match self {
            Self::Graduated(g) => graduated_theme(g, layer, areas_m2, population_field),
            Self::Categorised { field } => categorised_theme(field, layer),
        }
    }
}

/// Each district's value of `value` (`None` when it has none).
pub fn style_values(
    value: &StyleValue,
    layer: &DistrictLayer,
    areas_m2: Option<&[f64]>,
    population_field: Option<&FieldPath>,
) -> Vec<Option<f64>> {
    let areas = || -> Vec<f64> {
        match areas_m2 {
            Some(a) if a.len() == layer.districts.len() => a.to_vec(),
            _ => layer.districts.par_iter().map(|d| area_m2(&d.shape_lon_lat)).collect(),
        }
    };
    match value {
        StyleValue::Field(f) => layer.districts.iter().map(|d| f.number_in(&d.properties)).collect(),
        StyleValue::AreaKm2 => areas().into_iter().map(|a| Some(a / 1e6)).collect(),
        StyleValue::DensityPerKm2 => {
            let field = population_field
                .cloned()
                .unwrap_or_else(|| FieldPath::new("population"));
            layer
                .districts
                .iter()
                .zip(areas())
                .map(|(d, a)| {
                    let pop = field.number_in(&d.properties)?;
                    (a > 0.0).then(|| pop / (a / 1e6))
                })
                .collect()
        }
    }
}

fn graduated_theme(
    g: &Graduated,
    layer: &DistrictLayer,
    areas_m2: Option<&[f64]>,
    population_field: Option<&FieldPath>,
) -> Result<Theme, StyleError> {
    let palette = palette_named(&g.palette).ok_or_else(|| StyleError::NoSuchPalette(g.palette.clone()))?;
    let automatic = !matches!(g.method, ClassMethod::Manual | ClassMethod::StandardDeviation);
    if automatic && !(2..=MAX_CLASSES).contains(&g.classes) {
        return Err(StyleError::ClassCount(g.classes));
    }
    let values = style_values(&g.value, layer, areas_m2, population_field);
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let classes = classify(&present, g.method, g.classes, &g.breaks).map_err(|source| StyleError::Classify {
        field: g.value.name().to_string(),
        source,
    })?;
    if classes.len() > MAX_CLASSES {
        return Err(StyleError::ClassCount(classes.len()));
    }
    let mut colours = palette.colours(classes.len());
    if g.reversed {
        colours.reverse();
    }
    let mut counts = vec![0usize; classes.len()];
    let mut no_data = 0;
    let fills = values
        .iter()
        .map(|v| match v {
            Some(v) if v.is_finite() => {
                let c = classes.class_of(*v);
                counts[c] += 1;
                colours[c]
            }
            _ => {
                no_data += 1;
                NO_DATA
            }
        })
        .collect();
    let mut entries: Vec<LegendEntry> = (0..classes.len())
        .map(|i| {
            let (low, high) = classes.range(i);
            LegendEntry {
                fill: colours[i],
                label: LegendLabel::Range { low, high },
                districts: counts[i],
            }
        })
        .collect();
    push_no_data(&mut entries, no_data);
    Ok(Theme {
        fills,
        legend: Legend {
            title: g.value.name().to_string(),
            entries,
            places: places_for(&classes),
        },
        classes: Some(classes),
    })
}

/// Decimal places enough to tell the narrowest class's bounds apart, at most 3.
/// The legend's no-data row, when some districts have no value.
fn push_no_data(entries: &mut Vec<LegendEntry>, no_data: usize) {
    if no_data > 0 {
        entries.push(LegendEntry {
            fill: NO_DATA,
            label: LegendLabel::NoData,
            districts: no_data,
        });
    }
}

fn places_for(classes: &Classes) -> usize {
    let narrowest = (0..classes.len())
        .map(|i| {
            let (lo, hi) = classes.range(i);
            hi - lo
        })
        .filter(|w| *w > 0.0)
        .fold(f64::INFINITY, f64::min);
    match narrowest {
        w if w >= 10.0 || !w.is_finite() => 0,
        w if w >= 1.0 => 1,
        w if w >= 0.1 => 2,
        _ => 3,
    }
}

fn categorised_theme(field: &FieldPath, layer: &DistrictLayer) -> Result<Theme, StyleError> {
    // Categories by normalised key, each shown as first written, in key order.
    let keys: Vec<Option<String>> = layer
        .districts
        .iter()
        .map(|d| field.text_in(&d.properties).map(|t| match_key(t.trim())))
        .collect();
    let mut categories: BTreeMap<&str, (String, usize)> = BTreeMap::new();
    for (d, key) in layer.districts.iter().zip(&keys) {
        if let Some(key) = key {
            let entry = categories.entry(key.as_str()).or_insert_with(|| {
                let shown = field
                    .text_in(&d.properties)
                    .map(|t| t.trim().to_string())
                    .unwrap_or_default();
                (shown, 0)
            });
            entry.1 += 1;
        }
    }
    if categories.is_empty() {
        return Err(StyleError::NoCategories(field.to_string()));
    }
    let coloured = categories.len().min(CATEGORY_COLOURS.len() - 1);
    let colour_of: BTreeMap<&str, Rgb> = categories
        .keys()
        .enumerate()
        .map(|(i, k)| {
            let c = if categories.len() <= CATEGORY_COLOURS.len() || i < coloured {
                CATEGORY_COLOURS[i]
            } else {
                OTHER
            };
            (*k, c)
        })
        .collect();
    let fills = keys
        .iter()
        .map(|k| k.as_deref().and_then(|k| colour_of.get(k).copied()).unwrap_or(NO_DATA))
        .collect();
    let all_coloured = categories.len() <= CATEGORY_COLOURS.len();
    let mut entries = Vec::new();
    let mut other = 0;
    for (i, (shown, n)) in categories.values().enumerate() {
        if all_coloured || i < coloured {
            entries.push(LegendEntry {
                fill: CATEGORY_COLOURS[i],
                label: LegendLabel::Category(shown.clone()),
                districts: *n,
            });
        } else {
            other += n;
        }
    }
    if other > 0 {
        entries.push(LegendEntry {
            fill: OTHER,
            label: LegendLabel::OtherCategories,
            districts: other,
        });
    }
    let no_data = keys.iter().filter(|k| k.is_none()).count();
    push_no_data(&mut entries, no_data);
    Ok(Theme {
        fills,
        legend: Legend {
            title: field.to_string(),
            entries,
            places: 0,
        },
        classes: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::District;
    use crate::workspace::DistrictLayer;
    use geo::{LineString, MultiPolygon, Polygon};
    use serde_json::json;

    /// Square districts of `side_deg` degrees near Yazd with the given properties.
    fn layer(props: &[serde_json::Value], side_deg: &[f64]) -> DistrictLayer {
        let districts = props
            .iter()
            .zip(side_deg)
            .enumerate()
            .map(|(i, (p, &s))| {
                let x = 54.0 + i as f64 * 0.1;
                let ring = LineString::from(vec![
                    (x, 31.0),
                    (x + s, 31.0),
                    (x + s, 31.0 + s),
                    (x, 31.0 + s),
                    (x, 31.0),
                ]);
                District::new(
                    i,
                    MultiPolygon(vec![Polygon::new(ring, vec![])]),
                    p.as_object().cloned().unwrap_or_default(),
                )
                .unwrap()
            })
            .collect();
        DistrictLayer::from_districts("t.geojson".into(), districts)
    }

    #[test]
    fn graduated_fills_follow_the_classes_and_missing_values_are_no_data() {
        let props: Vec<_> = [Some(10), Some(20), Some(300), None, Some(310)]
            .iter()
            .map(|v| v.map_or(json!({"name": "x"}), |v| json!({ "pop": v })))
            .collect();
        let l = layer(&props, &[0.01; 5]);
        let mut g = Graduated::new(StyleValue::parse("pop"));
        g.classes = 2;
        g.palette = "Blues".into();
        let theme = ThematicStyle::Graduated(g.clone()).theme(&l, None, None).unwrap();
        let blues = palette_named("Blues").unwrap().colours(2);
        assert_eq!(theme.fills, vec![blues[0], blues[0], blues[1], NO_DATA, blues[1]]);
        let counts: Vec<usize> = theme.legend.entries.iter().map(|e| e.districts).collect();
        assert_eq!(counts, vec![2, 2, 1]);
        assert_eq!(
            theme.legend.entries[1].label,
            LegendLabel::Range { low: 20.0, high: 310.0 }
        );
        assert_eq!(
            theme.legend.entries[1].text(Numbers::Persian, 0, "بدون داده", ""),
            "۲۰ – ۳۱۰"
        );
        g.reversed = true;
        let reversed = ThematicStyle::Graduated(g).theme(&l, None, None).unwrap();
        assert_eq!(reversed.fills[0], blues[1]);
    }

    #[test]
    fn density_divides_population_by_ellipsoidal_area() {
        let l = layer(
            &[json!({"population": 1000}), json!({"population": "۲۰۰۰"})],
            &[0.01, 0.02],
        );
        let v = style_values(&StyleValue::DensityPerKm2, &l, None, None);
        let areas = style_values(&StyleValue::AreaKm2, &l, None, None);
        // 0.01° at 31° N: about 1.11 km × 0.95 km.
        let a0 = areas[0].unwrap();
        assert!((a0 - 1.0556).abs() < 0.01, "{a0}");
        assert!((v[0].unwrap() - 1000.0 / a0).abs() < 1e-9);
        assert!((v[1].unwrap() - 2000.0 / areas[1].unwrap()).abs() < 1e-9);
    }

    #[test]
    fn categories_match_after_persian_normalisation() {
        let props = [
            json!({"kind": "مسكوني"}),
            json!({"kind": "مسکونی"}),
            json!({"kind": "تجاری"}),
            json!({}),
        ];
        let l = layer(&props, &[0.01; 4]);
        let theme = ThematicStyle::Categorised {
            field: FieldPath::new("kind"),
        }
        .theme(&l, None, None)
        .unwrap();
        assert_eq!(theme.fills[0], theme.fills[1], "ك/ي and ک/ی are one category");
        assert_ne!(theme.fills[0], theme.fills[2]);
        assert_eq!(theme.fills[3], NO_DATA);
        let counts: Vec<usize> = theme.legend.entries.iter().map(|e| e.districts).collect();
        assert_eq!(counts.iter().sum::<usize>(), 4);
        assert_eq!(theme.legend.entries.len(), 3);
    }

    #[test]
    fn bad_styles_say_what_is_wrong() {
        let l = layer(&[json!({"name": "a"})], &[0.01]);
        let mut g = Graduated::new(StyleValue::parse("pop"));
        let err = ThematicStyle::Graduated(g.clone()).theme(&l, None, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot class pop: no district has a number to classify"
        );
        g.palette = "Rainbow".into();
        let err = ThematicStyle::Graduated(g).theme(&l, None, None).unwrap_err();
        assert!(err.to_string().contains("Rainbow"), "{err}");
        let err = ThematicStyle::Categorised {
            field: FieldPath::new("kind"),
        }
        .theme(&l, None, None)
        .unwrap_err();
        assert_eq!(err, StyleError::NoCategories("kind".into()));
    }

    #[test]
    fn class_counts_past_the_schemes_are_refused_not_overrun() {
        let props: Vec<_> = (0..20).map(|v| json!({ "pop": v })).collect();
        let l = layer(&props, &[0.01; 20]);
        let mut g = Graduated::new(StyleValue::parse("pop"));
        g.classes = 12;
        let theme = |g: &Graduated| ThematicStyle::Graduated(g.clone()).theme(&l, None, None);
        assert_eq!(theme(&g), Err(StyleError::ClassCount(12)));
        g.method = ClassMethod::Manual;
        g.breaks = (1..=10).map(f64::from).collect();
        assert_eq!(theme(&g), Err(StyleError::ClassCount(11)), "ten breaks and the maximum");
        g.breaks.truncate(8);
        assert_eq!(theme(&g).unwrap().legend.entries.len(), 9);
    }

    #[test]
    fn styles_round_trip_through_json() {
        let mut g = Graduated::new(StyleValue::DensityPerKm2);
        g.method = ClassMethod::Manual;
        g.breaks = vec![100.0, 1000.0];
        for style in [
            ThematicStyle::Graduated(g),
            ThematicStyle::Categorised {
                field: FieldPath::new("settlement"),
            },
        ] {
            let text = serde_json::to_string(&style).unwrap();
            assert_eq!(serde_json::from_str::<ThematicStyle>(&text).unwrap(), style, "{text}");
        }
    }
}
