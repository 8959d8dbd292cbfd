//! The plan's reference layers on the map, as an overlay under the offices: drawn over the
//! districts in the plan's order (those the plan puts under the districts, under them),
//! labelled by their label fields, and identified under the pointer with a tooltip of the
//! feature's attributes.

use std::sync::{Arc, Mutex};

use egui::{Color32, FontId, Pos2, RichText};

use super::bidi_text::BidiLabel;
use super::map::gl_lines::paint_lines;
use super::map::gl_paint::GlMapRenderer;
use super::map::labels::PointLabel;
use super::map::reference_paint::{Parts, paint_reference_layer};
use super::map::{MapOverlay, MapScene, Mark, Projector};
use crate::model::{LayerId, LineDash, ReferenceLayer};
use crate::text::{Language, Numbers};
use crate::workspace::FeatureLayer;

/// A shown layer: the plan's settings and the data read.
type ShownLayer = (ReferenceLayer, Arc<FeatureLayer>);

/// How near the pointer a feature counts as under it, screen points.
const PICK_POINTS: f64 = 5.0;
/// Labels asked of one layer at most per frame: a dense point layer at an overview zoom would
/// otherwise lay out thousands that the placement drops anyway.
const MAX_LABELS_PER_LAYER: usize = 400;
/// Attributes shown in a feature's tooltip at most.
const MAX_TOOLTIP_FIELDS: usize = 12;

/// The shown reference layers, bottom first, and the feature under the pointer.
pub struct ReferenceOverlay<'a> {
    /// The layers drawn, bottom first, with their data.
    pub layers: Vec<ShownLayer>,
    /// How many of `layers`, its first ones, are drawn under the districts.
    pub under: usize,
    /// The districts as drawn (none when hidden): a layer under them is not picked where a
    /// district covers it, so hovering a district still names the district.
    pub districts: Option<&'a crate::workspace::DistrictLayer>,
    /// The feature under the pointer: set by `interact`.
    pub hovered: &'a mut Option<(LayerId, usize)>,
    /// The interface language (digits in tooltips).
    pub lang: Language,
    /// The map's OpenGL renderer: solid lines are drawn with it when the map is.
    pub gl: Option<Arc<Mutex<GlMapRenderer>>>,
}

impl ReferenceOverlay<'_> {
    /// The feature under `pos`, topmost layer first.
    fn feature_at(&self, projector: &Projector, pos: Pos2) -> Option<(LayerId, usize)> {
        let at_m = projector.camera.map_from_screen(projector.rect, pos);
        let tolerance_m = PICK_POINTS * projector.camera.m_per_point;
        let [lon, lat] = projector.lon_lat_from_screen(pos);
        let covered = || self.districts.is_some_and(|d| d.district_at(lon, lat).is_some());
        let (below, above) = self.under_and_over();
        let pick = |(layer, data): &ShownLayer| {
            let feature = data.index.nearest_within(&data.drawing, at_m, tolerance_m)?;
            Some((layer.id, feature))
        };
        above.iter().rev().find_map(pick).or_else(|| {
            if below.is_empty() || covered() {
                None
            } else {
                below.iter().rev().find_map(pick)
            }
        })
    }
}

impl MapOverlay for ReferenceOverlay<'_> {
    fn grabs(&self, _projector: &Projector, _pos: Pos2, _modifiers: egui::Modifiers) -> bool {
        false
    }

    fn interact(&mut self, _ui: &egui::Ui, projector: &Projector, response: &egui::Response, _grabbed: bool) -> bool {
        *self.hovered = match response.hover_pos() {
            Some(pos) if !response.dragged() => self.feature_at(projector, pos),
            _ => None,
        };
        if let Some((id, i)) = *self.hovered
            && let Some((layer, data)) = self.layers.iter().find(|(l, _)| l.id == id)
        {
            let persian = self.lang == Language::Fa;
            response
                .clone()
                .on_hover_ui_at_pointer(|ui| feature_tooltip_ui(ui, layer, data, i, persian));
        }
        false
    }

    fn marks(&self, _projector: &Projector) -> Vec<Mark> {
        Vec::new()
    }

    fn labels(&self, projector: &Projector) -> Vec<PointLabel> {
        let [min, max] = projector.camera.visible_m(projector.rect);
        let mut labels = Vec::new();
        for (layer, data) in &self.layers {
            let Some(field) = &layer.style.label_field else {
                continue;
            };
            let clear = layer.style.symbol_size_pt / 2.0 + 1.0;
            for i in data.index.in_box(min, max).into_iter().take(MAX_LABELS_PER_LAYER) {
                let Some(text) = data.text_of(i, field) else {
                    continue;
                };
                let anchor = data.drawing.label_anchor_m(i);
                if let Some(p) = anchor {
                    labels.push(PointLabel {
                        at: projector.camera.screen_from_map(projector.rect, p),
                        clear,
                        text,
                        size: Some(layer.style.label_size_pt),
                    });
                }
            }
        }
        labels
    }

    fn paint_under(&self, painter: &egui::Painter, projector: &Projector) {
        self.paint_layers(self.under_and_over().1, painter, projector);
    }

    fn draws_under_districts(&self) -> bool {
        !self.under_and_over().0.is_empty()
    }

    fn paint_under_districts(&self, painter: &egui::Painter, projector: &Projector) {
        self.paint_layers(self.under_and_over().0, painter, projector);
    }

    fn paint(&self, _painter: &egui::Painter, _projector: &Projector, _scene: &MapScene) {}

    fn hides_tooltips(&self) -> bool {
        self.hovered.is_some()
    }

    fn content_hash(&self, mut hasher: &mut dyn std::hash::Hasher) {
        use std::hash::Hash;
        // Styles hold floats (no `Hash`); their debug text says every setting.
        self.under.hash(&mut hasher);
        for (layer, data) in &self.layers {
            format!("{layer:?}").hash(&mut hasher);
            data.data_id().hash(&mut hasher);
        }
    }
}

impl ReferenceOverlay<'_> {
    /// The layers under the districts and those over them, each bottom first.
    fn under_and_over(&self) -> (&[ShownLayer], &[ShownLayer]) {
        self.layers.split_at(self.under.min(self.layers.len()))
    }

    /// Paints `layers` (bottom first): fills, then lines, then points.
    fn paint_layers(&self, layers: &[ShownLayer], painter: &egui::Painter, projector: &Projector) {
        let (camera, rect) = (&projector.camera, projector.rect);
        for (layer, data) in layers {
            let style = &layer.style;
            // Solid lines come from buffers uploaded once; dashes are cut on the CPU.
            let gl = self
                .gl
                .as_ref()
                .filter(|_| projector.gl && style.dash == LineDash::Solid);
            if let Some(renderer) = gl {
                // Fills under the lines, points over them.
                let fills = Parts {
                    paths: false,
                    points: false,
                    ..Parts::ALL
                };
                paint_reference_layer(painter, camera, rect, data, style, layer.opacity, fills);
                let [r, g, b] = style.stroke;
                let alpha = (layer.opacity.clamp(0.0, 1.0) * 255.0).round() as u8;
                let colour = Color32::from_rgba_unmultiplied(r, g, b, alpha);
                let width = style.stroke_width_pt;
                paint_lines(
                    painter,
                    renderer,
                    data,
                    colour,
                    width,
                    camera,
                    rect,
                    (!projector.settled, projector.settled),
                );
                let points = Parts {
                    fills: false,
                    paths: false,
                    ..Parts::ALL
                };
                paint_reference_layer(painter, camera, rect, data, style, layer.opacity, points);
            } else {
                paint_reference_layer(painter, camera, rect, data, style, layer.opacity, Parts::ALL);
            }
        }
    }
}

/// A feature's tooltip: its layer, its label and its first attributes.
fn feature_tooltip_ui(ui: &mut egui::Ui, layer: &ReferenceLayer, data: &FeatureLayer, i: usize, persian: bool) {
    ui.label(RichText::new(&layer.name).weak());
    let label_field = layer.style.label_field.as_ref().or(data.label_field.as_ref());
    if let Some(text) = label_field.and_then(|f| data.text_of(i, f)) {
        ui.add(BidiLabel::new(&text).font(FontId::proportional(17.0)));
    }
    let Some(feature) = data.features.get(i) else {
        return;
    };
    let numbers = Numbers::for_persian(persian);
    egui::Grid::new("feature_tooltip").num_columns(2).show(ui, |ui| {
        for (key, value) in feature.properties.iter().take(MAX_TOOLTIP_FIELDS) {
            let text = match value {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => numbers.value_text(s),
                other => numbers.value_text(&other.to_string()),
            };
            ui.add(BidiLabel::new(key));
            ui.add(BidiLabel::new(&text));
            ui.end_row();
        }
    });
}
