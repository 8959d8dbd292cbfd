//! A reference layer as loaded: features of any geometry (points, lines, polygons, or a mix
//! of them in one feature) in WGS 84 longitude/latitude with their properties, the R-tree and
//! drawing data over them, the label field chosen and the report of how the load went.

use std::path::PathBuf;

use crate::index::FeatureIndex;
use crate::map::FeatureDrawing;
use crate::model::{Feature, FieldPath, LoadReport};

use super::{DataId, OwnDataId};

/// What kinds of geometry a layer holds, by how many features have each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GeometryCounts {
    /// Features with points.
    pub points: usize,
    /// Features with lines.
    pub lines: usize,
    /// Features with polygons.
    pub polygons: usize,
}

/// A loaded reference layer, ready to draw and query.
#[derive(Clone, Debug)]
pub struct FeatureLayer {
    /// Where it was read from.
    pub source: PathBuf,
    /// The features, in file order (skipped ones leave no gap: see [`Feature::file_index`]).
    pub features: Vec<Feature>,
    /// Web Mercator paths, points and fill triangles of `features`.
    pub drawing: FeatureDrawing,
    /// The R-tree over `features`.
    pub index: FeatureIndex,
    /// The property that names features, chosen as a district layer's is.
    pub label_field: Option<FieldPath>,
    /// How the load went.
    pub report: LoadReport,
    /// How many features have each kind of geometry.
    counts: GeometryCounts,
    /// The properties' names, in the order they first appear.
    fields: Vec<FieldPath>,
    /// Which loaded copy this is, for caches.
    data_id: OwnDataId,
}

impl FeatureLayer {
    /// The layer of `features`: drawing data and index built, a label field chosen.
    pub fn new(source: PathBuf, features: Vec<Feature>, mut report: LoadReport) -> Self {
        let drawing = FeatureDrawing::new(&features);
        let index = FeatureIndex::new(&drawing);
        let props: Vec<_> = features.iter().map(|f| &f.properties).collect();
        let label_field = crate::model::choose_label_fields(&props).label.map(|l| l.path);
        report.label_field = None;
        let mut counts = GeometryCounts::default();
        for f in &features {
            counts.points += usize::from(!f.points.is_empty());
            counts.lines += usize::from(!f.lines.is_empty());
            counts.polygons += usize::from(!f.polygons.0.is_empty());
        }
        let fields = field_names_of(&features);
        Self {
            counts,
            fields,
            source,
            features,
            drawing,
            index,
            label_field,
            report,
            data_id: OwnDataId::default(),
        }
    }

    /// Which loaded copy of the features this is: caches of anything made from the layer (GPU
    /// buffers, a picture) are keyed by it, never by the layer's address.
    pub fn data_id(&self) -> DataId {
        self.data_id.id()
    }

    /// How many features have points, lines and polygons.
    ///
    /// ```
    /// use mahalleh::model::LoadReport;
    /// use mahalleh::model::Feature;
    /// use mahalleh::workspace::FeatureLayer;
    /// let school = Feature {
    ///     file_index: 0,
    ///     points: vec![[54.36, 31.89]],
    ///     lines: Vec::new(),
    ///     polygons: geo::MultiPolygon::new(Vec::new()),
    ///     properties: Default::default(),
    /// };
    /// let layer = FeatureLayer::new("schools.geojson".into(), vec![school], LoadReport::default());
    /// assert_eq!(layer.geometry_counts().points, 1);
    /// assert_eq!(layer.geometry_counts().lines, 0);
    /// ```
    pub fn geometry_counts(&self) -> GeometryCounts {
        self.counts
    }

    /// The text of `field` for feature `i`, trimmed; `None` when it has none.
    pub fn text_of(&self, i: usize, field: &FieldPath) -> Option<String> {
        let text = field.text_in(&self.features.get(i)?.properties)?;
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_string())
    }

    /// The names of the features' properties, in the order they first appear: found once,
    /// at load (panels list them every frame).
    pub fn field_names(&self) -> &[FieldPath] {
        &self.fields
    }

    /// The Web Mercator box of every feature together; `None` for a layer without features.
    pub fn bbox_m(&self) -> Option<[[f64; 2]; 2]> {
        self.drawing.bbox_m.iter().copied().reduce(|a, b| {
            [
                [a[0][0].min(b[0][0]), a[0][1].min(b[0][1])],
                [a[1][0].max(b[1][0]), a[1][1].max(b[1][1])],
            ]
        })
    }
}

/// The names of `features`' properties, in the order they first appear.
fn field_names_of(features: &[Feature]) -> Vec<FieldPath> {
    let mut seen = std::collections::HashSet::new();
    let mut names = Vec::new();
    for f in features {
        for key in f.properties.keys() {
            if seen.insert(key.as_str()) {
                names.push(FieldPath::new(key.clone()));
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feature(i: usize, properties: serde_json::Value) -> Feature {
        Feature {
            file_index: i,
            points: vec![[54.36, 31.89]],
            lines: Vec::new(),
            polygons: geo::MultiPolygon::new(Vec::new()),
            properties: properties.as_object().cloned().unwrap_or_default(),
        }
    }

    #[test]
    fn field_names_are_every_feature_s_in_first_appearance_order() {
        let mut features: Vec<Feature> = (0..12_000)
            .map(|i| feature(i, serde_json::json!({"name": "مدرسه", "kind": "school"})))
            .collect();
        // A field only the last feature has still makes the list (once found at load).
        features.push(feature(12_000, serde_json::json!({"pupils": 300, "name": "x"})));
        let layer = FeatureLayer::new("schools.geojson".into(), features, LoadReport::default());
        let names: Vec<&str> = layer.field_names().iter().map(FieldPath::as_str).collect();
        assert_eq!(names, ["name", "kind", "pupils"]);
    }
}
