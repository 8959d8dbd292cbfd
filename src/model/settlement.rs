//! What kind of settlement a district is, from its `settlement` property: the distinction the
//! facilitation offices exist for (marginal and informal areas first), read the same way by
//! analysis (indicators, suggestions) and by the map's fills.

use serde_json::{Map, Value};

use super::FieldPath;

/// Values of a `settlement` field that mean a marginal or informal area.
const MARGINAL_VALUES: &[&str] = &["marginal", "informal", "حاشیه‌ای", "حاشیه ای", "غیررسمی"];

/// True when a district's `settlement` property marks it as a marginal or informal settlement.
///
/// ```
/// let p = serde_json::json!({"settlement": "marginal"});
/// assert!(mahalleh::model::is_marginal(p.as_object().unwrap()));
/// let formal = serde_json::json!({"settlement": "رسمی"});
/// assert!(!mahalleh::model::is_marginal(formal.as_object().unwrap()));
/// ```
pub fn is_marginal(properties: &Map<String, Value>) -> bool {
    FieldPath::new("settlement")
        .text_in(properties)
        .is_some_and(|v| MARGINAL_VALUES.iter().any(|m| v.trim().eq_ignore_ascii_case(m)))
}
