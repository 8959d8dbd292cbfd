//! The per-district coverage table as CSV: UTF-8 with a byte-order mark so that spreadsheet
//! programs read Persian names correctly, fields quoted where needed, numbers with a dot.

use crate::analysis::Coverage;
use crate::model::Plan;
use crate::workspace::DistrictLayer;

/// The UTF-8 byte-order mark, which tells Excel the file is UTF-8.
const BOM: &str = "\u{feff}";

/// The coverage table: `index,name,area_m2,covered_fraction,population_reached,nearest_office,nearest_office_m`.
///
/// ```
/// # let layer = mahalleh::workspace::DistrictLayer::from_districts("x".into(), vec![]);
/// let csv = mahalleh::export::coverage_csv(&layer, &Default::default(), &Default::default());
/// assert_eq!(csv, "\u{feff}index,name,area_m2,covered_fraction,population_reached,nearest_office,nearest_office_m\r\n");
/// ```
pub fn coverage_csv(layer: &DistrictLayer, coverage: &Coverage, plan: &Plan) -> String {
    let mut out = String::from(BOM);
    out.push_str("index,name,area_m2,covered_fraction,population_reached,nearest_office,nearest_office_m\r\n");
    for c in &coverage.districts {
        let office = c
            .nearest_office
            .and_then(|id| plan.office(id))
            .map(|o| o.name.as_str())
            .unwrap_or_default();
        let fields = [
            layer.districts[c.district].feature_index.to_string(),
            quote(&layer.label(c.district)),
            format!("{:.0}", c.area_m2),
            format!("{:.4}", c.covered_fraction),
            c.population_reached.map(|p| format!("{p:.0}")).unwrap_or_default(),
            quote(office),
            c.nearest_office_m.map(|m| format!("{m:.1}")).unwrap_or_default(),
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A CSV field, quoted when it holds a comma, quote or line break.
fn quote(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote("حسن‌آباد"), "حسن‌آباد");
        assert_eq!(quote("a, b"), "\"a, b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
