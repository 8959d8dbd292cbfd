//! The reference layers of a plan as loaded: one slot per layer id holding the layer, the
//! reason it failed, or the fact that it is being read, together with the source it was read
//! from, so that a command changing a layer's file or reading choices reloads exactly that layer.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::io::{load_feature_layer, load_options};
use crate::model::{LayerId, Plan, ReadChoices, ReferenceLayer};
use crate::workspace::FeatureLayer;

/// What a layer's data was read from: a change to either means reading it again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadRequest {
    /// The layer.
    pub id: LayerId,
    /// Its file.
    pub path: PathBuf,
    /// How the file is read.
    pub read: ReadChoices,
}

impl LoadRequest {
    /// The request for `layer` as the plan has it.
    pub fn of(layer: &ReferenceLayer) -> Self {
        Self {
            id: layer.id,
            path: layer.path.clone(),
            read: layer.read.clone(),
        }
    }

    /// Reads the layer on the calling thread; the error is a message naming the file.
    pub fn load(&self) -> Result<FeatureLayer, String> {
        let options = load_options(&self.read, None).map_err(|e| format!("{e}: {}", self.path.display()))?;
        load_feature_layer(&self.path, &options).map_err(|e| e.to_string())
    }
}

/// One layer's data.
#[derive(Clone, Debug)]
pub enum LayerSlot {
    /// Being read.
    Loading(LoadRequest),
    /// Read.
    Loaded(LoadRequest, Arc<FeatureLayer>),
    /// It could not be read, and why.
    Failed(LoadRequest, String),
}

impl LayerSlot {
    fn request(&self) -> &LoadRequest {
        match self {
            Self::Loading(r) | Self::Loaded(r, _) | Self::Failed(r, _) => r,
        }
    }
}

/// The reference layers' data, by layer id.
#[derive(Clone, Debug, Default)]
pub struct ReferenceData {
    slots: BTreeMap<LayerId, LayerSlot>,
}

impl ReferenceData {
    /// Every layer of `plan` read on the calling thread (the command line's way).
    pub fn load_all(plan: &Plan) -> Self {
        let mut data = Self::default();
        for request in data.requests(plan) {
            let result = request.load();
            data.finish(request, result);
        }
        data
    }

    /// Forgets layers the plan no longer has and returns the loads the plan now needs (new
    /// layers, or a file or its reading choices changed), marking them as being read.
    ///
    /// ```
    /// use mahalleh::model::{Command, LayerId, Plan, ReferenceLayer};
    /// use mahalleh::workspace::ReferenceData;
    /// let mut plan = Plan::default();
    /// let layer = Box::new(ReferenceLayer::file(LayerId(1), "roads.geojson"));
    /// plan.apply(Command::AddLayer { index: 0, layer, under_districts: false }).unwrap();
    /// let mut data = ReferenceData::default();
    /// assert_eq!(data.requests(&plan).len(), 1);
    /// assert!(data.requests(&plan).is_empty(), "already being read");
    /// ```
    pub fn requests(&mut self, plan: &Plan) -> Vec<LoadRequest> {
        self.slots.retain(|id, _| plan.layer(*id).is_some());
        let mut wanted = Vec::new();
        for layer in &plan.layers {
            let request = LoadRequest::of(layer);
            if self.slots.get(&layer.id).is_none_or(|s| *s.request() != request) {
                self.slots.insert(layer.id, LayerSlot::Loading(request.clone()));
                wanted.push(request);
            }
        }
        wanted
    }

    /// Takes in the outcome of `request`; one the plan has moved on from since (another file
    /// asked for meanwhile) is dropped.
    pub fn finish(&mut self, request: LoadRequest, result: Result<FeatureLayer, String>) {
        let current = self.slots.get(&request.id).is_some_and(|s| *s.request() == request);
        if !current {
            return;
        }
        let slot = match result {
            Ok(layer) => LayerSlot::Loaded(request.clone(), Arc::new(layer)),
            Err(message) => LayerSlot::Failed(request.clone(), message),
        };
        self.slots.insert(request.id, slot);
    }

    /// The slot of layer `id`.
    pub fn slot(&self, id: LayerId) -> Option<&LayerSlot> {
        self.slots.get(&id)
    }

    /// The data of layer `id`, once read.
    pub fn layer(&self, id: LayerId) -> Option<&Arc<FeatureLayer>> {
        match self.slots.get(&id) {
            Some(LayerSlot::Loaded(_, layer)) => Some(layer),
            _ => None,
        }
    }

    /// Whether some layer is still being read.
    pub fn loading(&self) -> bool {
        self.slots.values().any(|s| matches!(s, LayerSlot::Loading(_)))
    }

    /// The layers that failed, with their messages, in id order.
    pub fn failures(&self) -> Vec<(LayerId, &str)> {
        self.slots
            .iter()
            .filter_map(|(id, s)| match s {
                LayerSlot::Failed(_, m) => Some((*id, m.as_str())),
                _ => None,
            })
            .collect()
    }

    /// The plan's shown layers that are loaded, bottom first (the order they are drawn in),
    /// with their settings as the plan has them now.
    pub fn shown_bottom_up(&self, plan: &Plan) -> Vec<(ReferenceLayer, Arc<FeatureLayer>)> {
        plan.layers
            .iter()
            .rev()
            .filter(|l| self.is_shown(l))
            .filter_map(|l| Some((l.clone(), Arc::clone(self.layer(l.id)?))))
            .collect()
    }

    /// How many of [`Self::shown_bottom_up`]'s layers, its first ones, are drawn under the
    /// districts.
    pub fn shown_under_districts(&self, plan: &Plan) -> usize {
        plan.layers[plan.districts_position()..]
            .iter()
            .filter(|l| self.is_shown(l))
            .count()
    }

    /// Whether `layer` is drawn: shown, not wholly transparent, and read.
    fn is_shown(&self, layer: &ReferenceLayer) -> bool {
        layer.visible && layer.opacity > 0.0 && self.layer(layer.id).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Command, LayerEdit};

    #[test]
    fn a_changed_file_is_read_again_and_a_stale_result_is_dropped() {
        let mut plan = Plan::default();
        let layer = Box::new(ReferenceLayer::file(LayerId(1), "a.geojson"));
        plan.apply(Command::AddLayer {
            index: 0,
            layer,
            under_districts: false,
        })
        .unwrap();
        let mut data = ReferenceData::default();
        let first = data.requests(&plan).remove(0);
        // The planner reads the file with another coordinate system before the first read ends.
        let read = ReadChoices {
            crs: Some("EPSG:32639".into()),
            ..ReadChoices::default()
        };
        plan.apply(Command::EditLayer(LayerId(1), LayerEdit::Read(read)))
            .unwrap();
        let second = data.requests(&plan);
        assert_eq!(second.len(), 1);
        data.finish(first, Err("stale".into()));
        assert!(data.failures().is_empty(), "the stale outcome is dropped");
        data.finish(second[0].clone(), Err("no such file".into()));
        assert_eq!(data.failures(), [(LayerId(1), "no such file")]);
        plan.apply(Command::RemoveLayer(LayerId(1))).unwrap();
        assert!(data.requests(&plan).is_empty());
        assert!(data.slot(LayerId(1)).is_none(), "removed layers are forgotten");
    }
}
