//! Groups of districts that share a value of a property (the city, the county, the municipal
//! region): what a planner limits a question to ("only Meybod").

use std::collections::BTreeMap;

use super::DistrictLayer;

/// The districts with one value of one property.
#[derive(Clone, Debug, PartialEq)]
pub struct DistrictGroup {
    /// The property (a top-level key).
    pub field: String,
    /// Its value, as the file has it.
    pub value: String,
    /// The districts, by position in the layer, sorted.
    pub districts: Vec<usize>,
}

/// Most values a property may have to count as a grouping (more is a name or an id).
pub const MAX_GROUPS: usize = 30;

/// The groupings of a layer: top-level text properties that every district has, with between 2
/// and [`MAX_GROUPS`] values, other than the label field; by field, then value.
///
/// ```
/// let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/yazd-neighbourhoods.geojson");
/// let layer = mahalleh::io::load_district_layer(&path, &Default::default(), &mahalleh::io::no_progress).unwrap();
/// let groups = mahalleh::workspace::district_groups(&layer);
/// let cities: Vec<&str> = groups.iter().filter(|g| g.field == "city").map(|g| g.value.as_str()).collect();
/// assert_eq!(cities, ["میبد", "یزد"]);
/// ```
pub fn district_groups(layer: &DistrictLayer) -> Vec<DistrictGroup> {
    let label = layer.label_field().map(|f| f.path.as_str().to_string());
    let Some(first) = layer.districts.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for field in first.properties.keys() {
        if label.as_deref() == Some(field.as_str()) {
            continue;
        }
        let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut usable = true;
        for (i, d) in layer.districts.iter().enumerate() {
            match d.properties.get(field).and_then(|v| v.as_str()).map(str::trim) {
                Some(value) if !value.is_empty() => groups.entry(value.to_string()).or_default().push(i),
                _ => {
                    usable = false;
                    break;
                }
            }
            if groups.len() > MAX_GROUPS {
                usable = false;
                break;
            }
        }
        if usable && groups.len() >= 2 && groups.len() < layer.districts.len() {
            out.extend(groups.into_iter().map(|(value, districts)| DistrictGroup {
                field: field.clone(),
                value,
                districts,
            }));
        }
    }
    out.sort_by(|a, b| a.field.cmp(&b.field).then_with(|| a.value.cmp(&b.value)));
    out
}
