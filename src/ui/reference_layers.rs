//! The plan's reference layers in the window: their data (the core's [`ReferenceData`]) read
//! on named threads whenever the plan asks for a layer it does not have yet, and the feature
//! under the pointer.

use std::sync::mpsc::{Receiver, Sender, channel};

use crate::model::{LayerId, Plan};
use crate::workspace::FeatureLayer;
use crate::workspace::{LoadRequest, ReferenceData};

/// Reference layers being read and read.
pub struct ReferenceLayers {
    /// What has been read, by layer id.
    pub data: ReferenceData,
    sender: Sender<(LoadRequest, Result<FeatureLayer, String>)>,
    receiver: Receiver<(LoadRequest, Result<FeatureLayer, String>)>,
    /// The feature under the pointer last frame: layer and feature.
    pub hovered: Option<(LayerId, usize)>,
}

impl Default for ReferenceLayers {
    fn default() -> Self {
        let (sender, receiver) = channel();
        Self {
            data: ReferenceData::default(),
            sender,
            receiver,
            hovered: None,
        }
    }
}

impl ReferenceLayers {
    /// Takes in finished reads and starts those the plan now needs; each thread wakes the
    /// window when it is done.
    pub fn sync(&mut self, plan: &Plan, ctx: &egui::Context) {
        while let Ok((request, result)) = self.receiver.try_recv() {
            self.data.finish(request, result);
        }
        for request in self.data.requests(plan) {
            let sender = self.sender.clone();
            let ctx = ctx.clone();
            let job = request.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("read-layer-{}", request.id))
                .spawn(move || {
                    let result = job.load();
                    let _ = sender.send((job, result));
                    ctx.request_repaint();
                });
            if let Err(e) = spawned {
                self.data
                    .finish(request, Err(format!("cannot start a thread to read the layer ({e})")));
            }
        }
        if self.hovered.is_some_and(|(id, _)| self.data.layer(id).is_none()) {
            self.hovered = None;
        }
    }

    /// Waits for every read in progress (tests and the headless runs only: the window never
    /// waits).
    pub fn wait_for_reads(&mut self) {
        while self.data.loading() {
            match self.receiver.recv() {
                Ok((request, result)) => self.data.finish(request, result),
                Err(_) => break,
            }
        }
    }
}
