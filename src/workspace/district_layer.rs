//! A district layer: the districts of one boundary file, their index, their drawing data, the
//! label field and the report of how they were loaded.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::OnceLock;

use geo::Rect;

use crate::index::{DistrictIndex, NearbyDistrict};
use crate::map::{LayerDrawing, label_anchors_lon_lat, mercator_from_lon_lat};
use crate::model::{District, FieldPath, LabelChoice, LabelField, LabelFieldReason, LoadReport, choose_label_fields};
use crate::text::Language;

use super::{DataId, OwnDataId};

/// The districts of one file, ready to query and draw.
#[derive(Clone, Debug)]
pub struct DistrictLayer {
    /// Where the layer was read from.
    pub source: PathBuf,
    /// The districts, in file order (skipped features leave no gap; see
    /// [`District::feature_index`]).
    pub districts: Vec<District>,
    /// The R-tree over `districts`.
    pub index: DistrictIndex,
    /// Fills, outlines and label anchors for `districts`: built by the load for the window and
    /// `info`, otherwise on first use ([`DistrictLayer::drawing`]).
    drawing: OnceLock<LayerDrawing>,
    /// Label anchors alone, for analysis on a layer that is not drawn.
    anchors: OnceLock<Vec<[f64; 2]>>,
    /// How the load went.
    pub report: LoadReport,
    /// Which loaded copy this is, for caches.
    data_id: OwnDataId,
}

impl DistrictLayer {
    /// Builds the index and drawing data for `districts` and chooses a label field (all on
    /// the calling thread and the rayon pool); for tests and generated layers. Files go through
    /// [`crate::io::load_district_layer`], which also reports progress and timings.
    pub fn from_districts(source: PathBuf, districts: Vec<District>) -> Self {
        let index = DistrictIndex::new(&districts);
        let drawing = LayerDrawing::prepare(&districts, &|_| true).unwrap_or_default();
        let props: Vec<_> = districts.iter().map(|d| &d.properties).collect();
        let LabelChoice {
            label: label_field,
            english: english_label_field,
        } = choose_label_fields(&props);
        let report = LoadReport {
            features_total: districts.len(),
            label_field,
            english_label_field,
            ..LoadReport::default()
        };
        Self::new(source, districts, index, Some(drawing), report)
    }

    /// A layer from its parts; `drawing` is `None` when it is to be built on first use.
    pub fn new(
        source: PathBuf,
        districts: Vec<District>,
        index: DistrictIndex,
        drawing: Option<LayerDrawing>,
        report: LoadReport,
    ) -> Self {
        Self {
            source,
            districts,
            index,
            drawing: drawing.map_or_else(OnceLock::new, OnceLock::from),
            anchors: OnceLock::new(),
            report,
            data_id: OwnDataId::default(),
        }
    }

    /// Which loaded copy of the districts this is: caches of anything made from the layer (a
    /// theme, GPU buffers, a picture) are keyed by it, never by the layer's address.
    pub fn data_id(&self) -> DataId {
        self.data_id.id()
    }

    /// Fills, outlines and label anchors for the districts, built now if the load left them
    /// (verbs that draw nothing do).
    pub fn drawing(&self) -> &LayerDrawing {
        self.drawing
            .get_or_init(|| LayerDrawing::prepare(&self.districts, &|_| true).unwrap_or_default())
    }

    /// Whether the drawing data is built.
    pub fn is_drawing_prepared(&self) -> bool {
        self.drawing.get().is_some()
    }

    /// Where district `i`'s label sits, longitude/latitude: the point distances to the district
    /// are measured from. Taken from the drawing when it is built, else computed alone (the
    /// same point, without triangulating).
    pub fn anchor_lon_lat(&self, i: usize) -> [f64; 2] {
        if let Some(drawing) = self.drawing.get() {
            return drawing.districts[i].label_anchor_lon_lat;
        }
        self.anchors.get_or_init(|| label_anchors_lon_lat(&self.districts))[i]
    }

    /// District `i`'s label anchor in Web Mercator metres (see [`Self::anchor_lon_lat`]).
    pub fn anchor_m(&self, i: usize) -> [f64; 2] {
        if let Some(drawing) = self.drawing.get() {
            return drawing.districts[i].label_anchor_m;
        }
        let [lon, lat] = self.anchor_lon_lat(i);
        mercator_from_lon_lat(lon, lat)
    }

    /// District `i`'s bounding box in Web Mercator metres, `[[min_x, min_y], [max_x, max_y]]`:
    /// the corners of its longitude/latitude box projected, as the drawing has it.
    pub fn bbox_m(&self, i: usize) -> [[f64; 2]; 2] {
        let r = self.districts[i].bbox_lon_lat;
        [
            mercator_from_lon_lat(r.min().x, r.min().y),
            mercator_from_lon_lat(r.max().x, r.max().y),
        ]
    }

    /// The layer's main area in Web Mercator metres: the union of the district boxes without
    /// the 0.5% of districts farthest out on each side (islands across the antimeridian).
    /// Needs no drawing data.
    pub fn main_area_m(&self) -> Option<[[f64; 2]; 2]> {
        let anchors: Vec<[f64; 2]> = (0..self.districts.len()).map(|i| self.anchor_m(i)).collect();
        let boxes: Vec<[[f64; 2]; 2]> = (0..self.districts.len()).map(|i| self.bbox_m(i)).collect();
        crate::map::extent::main_area_m(&anchors, &boxes)
    }

    /// The field labels come from, if any.
    pub fn label_field(&self) -> Option<&LabelField> {
        self.report.label_field.as_ref()
    }

    /// Uses `path` for labels from now on, in both languages.
    pub fn set_label_field(&mut self, path: FieldPath) {
        self.report.label_field = Some(LabelField {
            path,
            reason: LabelFieldReason::Requested,
        });
        self.report.english_label_field = None;
    }

    /// The field labels come from in `language`: the English name field in English when the
    /// layer has one, else [`Self::label_field`]'s.
    pub fn label_field_in(&self, language: Language) -> Option<&FieldPath> {
        match (language, &self.report.english_label_field) {
            (Language::En, Some(english)) => Some(english),
            _ => self.label_field().map(|f| &f.path),
        }
    }

    /// The label of district `i` in `language`: in English its English name when the layer has
    /// an English name field and the district a value there, else [`Self::label`].
    ///
    /// ```
    /// use mahalleh::model::District;
    /// use mahalleh::workspace::DistrictLayer;
    /// use mahalleh::text::Language;
    /// let square = geo::MultiPolygon(vec![geo::Polygon::new(
    ///     vec![(54.0, 31.0), (54.01, 31.0), (54.01, 31.01), (54.0, 31.0)].into(), vec![])]);
    /// let props = |fa: &str, en: &str| serde_json::json!({"name": fa, "name_en": en}).as_object().unwrap().clone();
    /// let districts = vec![
    ///     District::new(0, square.clone(), props("اسکان", "Eskan")).unwrap(),
    ///     District::new(1, square, props("میبد", "")).unwrap(),
    /// ];
    /// let layer = DistrictLayer::from_districts("t.geojson".into(), districts);
    /// assert_eq!(layer.label_in(0, Language::En), "Eskan");
    /// assert_eq!(layer.label_in(0, Language::Fa), "اسکان");
    /// assert_eq!(layer.label_in(1, Language::En), "میبد", "no English name: the label");
    /// ```
    pub fn label_in(&self, i: usize, language: Language) -> Cow<'_, str> {
        if language == Language::En
            && let Some(english) = &self.report.english_label_field
            && let Some(text) = english.text_in(&self.districts[i].properties)
            && !text.trim().is_empty()
        {
            return text;
        }
        self.label(i)
    }

    /// The label of district `i`: its label field's text, or `#N` with its feature index when
    /// that is missing.
    pub fn label(&self, i: usize) -> Cow<'_, str> {
        let d = &self.districts[i];
        self.label_field()
            .and_then(|f| f.path.text_in(&d.properties))
            .unwrap_or_else(|| Cow::Owned(format!("#{}", d.feature_index)))
    }

    /// The district holding the point, if any (see [`DistrictIndex::district_at`]).
    pub fn district_at(&self, lon: f64, lat: f64) -> Option<usize> {
        self.index.district_at(&self.districts, lon, lat)
    }

    /// The districts meeting a longitude/latitude rectangle, in layer order.
    pub fn districts_in_rect(&self, rect: Rect<f64>) -> Vec<usize> {
        self.index.districts_in_rect(&self.districts, rect)
    }

    /// The `k` districts nearest a point, nearest first.
    pub fn nearest(&self, lon: f64, lat: f64, k: usize) -> Vec<NearbyDistrict> {
        self.index.nearest(&self.districts, lon, lat, k)
    }

    /// Bounding box of all districts, `None` for an empty layer.
    pub fn bbox_lon_lat(&self) -> Option<Rect<f64>> {
        self.districts
            .iter()
            .map(|d| d.bbox_lon_lat)
            .reduce(crate::model::union_rect)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_anchors_and_main_area_need_no_drawing_and_match_it() {
        let drawn = crate::synth::bench_layer::loaded_bench_layer(500);
        let undrawn = DistrictLayer::new(
            drawn.source.clone(),
            drawn.districts.clone(),
            DistrictIndex::new(&drawn.districts),
            None,
            LoadReport::default(),
        );
        assert!(!undrawn.is_drawing_prepared());
        for i in [0, 17, 499] {
            assert_eq!(undrawn.bbox_m(i), drawn.drawing().districts[i].bbox_m);
            let (a, b) = (undrawn.anchor_m(i), drawn.drawing().districts[i].label_anchor_m);
            assert!(
                (a[0] - b[0]).abs() < 1e-6 && (a[1] - b[1]).abs() < 1e-6,
                "{a:?} vs {b:?}"
            );
        }
        let area = undrawn.main_area_m().expect("districts");
        assert_eq!(Some(area), drawn.main_area_m());
        assert!(!undrawn.is_drawing_prepared(), "asking for boxes built the drawing");
        assert!(area[1][0] > area[0][0] && area[1][1] > area[0][1]);
    }
}
