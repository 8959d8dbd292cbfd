//! The window's thematic colours: the [`Theme`] the plan's district style gives the layer shown,
//! made again only when the style, the layer or the population field changes, and the fields
//! the style panel offers. The map's colour table is rebuilt from it in one pass.

use std::sync::Arc;

use crate::model::{FieldInfo, FieldPath, field_catalogue};
use crate::style::{StyleError, ThematicStyle, Theme};
use crate::workspace::{DataId, DistrictLayer};

/// What a theme was made for.
#[derive(Clone, Debug, PartialEq)]
struct ThemeKey {
    style: ThematicStyle,
    /// The layer's data.
    layer: DataId,
    population_field: Option<FieldPath>,
}

/// The theme of the plan's style on the layer shown.
#[derive(Default)]
pub struct ThemeState {
    made_for: Option<ThemeKey>,
    /// The theme, when the plan has a style that could be applied.
    pub theme: Option<Arc<Theme>>,
    /// Why the plan's style could not be applied (the districts are drawn plain meanwhile).
    pub error: Option<StyleError>,
    /// Counts changes of [`Self::theme`], so colour tables know when to follow.
    pub generation: u64,
    /// The layer's fields, listed once per layer.
    fields: Option<(DataId, Arc<Vec<FieldInfo>>)>,
}

impl ThemeState {
    /// Makes the theme again if the style, layer or population field changed since it was made.
    /// `areas_m2` are the districts' areas when the coverage model has measured them. True when
    /// the theme changed.
    pub fn refresh(
        &mut self,
        style: Option<&ThematicStyle>,
        layer: &Arc<DistrictLayer>,
        areas_m2: Option<&[f64]>,
        population_field: Option<&FieldPath>,
    ) -> bool {
        let Some(style) = style else {
            let changed = self.made_for.is_some() || self.theme.is_some() || self.error.is_some();
            if changed {
                *self = Self {
                    generation: self.generation + 1,
                    fields: self.fields.take(),
                    ..Self::default()
                };
            }
            return changed;
        };
        let key = ThemeKey {
            style: style.clone(),
            layer: layer.data_id(),
            population_field: population_field.cloned(),
        };
        if self.made_for.as_ref() == Some(&key) {
            return false;
        }
        match style.theme(layer, areas_m2, population_field) {
            Ok(theme) => {
                self.theme = Some(Arc::new(theme));
                self.error = None;
            }
            Err(e) => {
                self.theme = None;
                self.error = Some(e);
            }
        }
        self.made_for = Some(key);
        self.generation += 1;
        true
    }

    /// The fields of `layer` (listed on first ask for each layer).
    pub fn fields(&mut self, layer: &Arc<DistrictLayer>) -> Arc<Vec<FieldInfo>> {
        let id = layer.data_id();
        match &self.fields {
            Some((made_for, fields)) if *made_for == id => Arc::clone(fields),
            _ => {
                let fields = Arc::new(field_catalogue(&layer.districts));
                self.fields = Some((id, Arc::clone(&fields)));
                fields
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::District;
    use crate::style::{Graduated, StyleValue};
    use geo::{LineString, MultiPolygon, Polygon};

    /// Districts near Yazd whose field `field` holds `values`: what a file read again after an
    /// edit in another program gives.
    fn layer(field: &str, values: &[f64]) -> Arc<DistrictLayer> {
        let districts = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let x = 54.0 + i as f64 * 0.1;
                let ring = LineString::from(vec![(x, 31.0), (x + 0.05, 31.0), (x + 0.05, 31.05), (x, 31.0)]);
                let mut properties = serde_json::Map::new();
                properties.insert(field.into(), serde_json::json!(v));
                District::new(i, MultiPolygon(vec![Polygon::new(ring, vec![])]), properties).unwrap()
            })
            .collect();
        Arc::new(DistrictLayer::from_districts("t.geojson".into(), districts))
    }

    /// The layer's address may be the old layer's (the allocator hands the freed block back):
    /// the theme and the field list are still made again for the new data.
    #[test]
    fn a_layer_read_again_gets_its_own_theme_and_fields() {
        let mut graduated = Graduated::new(StyleValue::parse("pop"));
        graduated.classes = 2;
        let style = ThematicStyle::Graduated(graduated);
        let mut state = ThemeState::default();
        let first = layer("pop", &[1.0, 2.0, 3.0, 4.0]);
        assert!(state.refresh(Some(&style), &first, None, None));
        assert_eq!(state.fields(&first)[0].path.to_string(), "pop");
        let first_fills = state.theme.as_ref().unwrap().fills.clone();
        assert!(!state.refresh(Some(&style), &first, None, None), "nothing changed");
        drop(first);

        let again = layer("pop", &[4.0, 3.0, 2.0, 1.0]);
        assert!(state.refresh(Some(&style), &again, None, None));
        let fills = &state.theme.as_ref().unwrap().fills;
        assert_eq!(fills.iter().rev().cloned().collect::<Vec<_>>(), first_fills);
        assert_ne!(*fills, first_fills);
        drop(again);

        let renamed = layer("population", &[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(state.fields(&renamed)[0].path.to_string(), "population");
    }
}
