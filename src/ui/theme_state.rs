//! The window's thematic colours: the [`Theme`] the plan's district style gives the layer shown,
//! made again only when the style, the layer or the population field changes, and the fields
//! the style panel offers. The map's colour table is rebuilt from it in one pass.

use std::sync::Arc;

use crate::model::{FieldInfo, FieldPath, field_catalogue};
use crate::style::{StyleError, ThematicStyle, Theme};
use crate::workspace::DistrictLayer;

/// What a theme was made for.
#[derive(Clone, Debug, PartialEq)]
struct ThemeKey {
    style: ThematicStyle,
    /// The layer, by address.
    layer: usize,
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
    fields: Option<(usize, Arc<Vec<FieldInfo>>)>,
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
            layer: Arc::as_ptr(layer) as usize,
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
        let id = Arc::as_ptr(layer) as usize;
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
