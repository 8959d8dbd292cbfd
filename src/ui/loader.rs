//! Loading a file on a named background thread: progress and the result come back over a channel,
//! the UI thread never waits, and the user can cancel.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};

use super::map::MapScene;
use crate::analysis::CoverageModel;
use crate::io::{LoadError, LoadOptions, LoadProgress, load_district_layer};
use crate::model::{FieldPath, ReadChoices};

/// A message from the loading thread.
pub enum LoadMessage {
    /// How far it has come.
    Progress(LoadProgress),
    /// The layer, prepared for the map, with its coverage model still being measured; or why
    /// there is none.
    Done(Box<Result<(MapScene, PendingModel), LoadError>>),
}

/// A coverage model the loading thread is still measuring after it handed over the map: every
/// district's area on the ellipsoid takes as long as the load itself on a big layer, and the
/// map need not wait for it.
pub struct PendingModel {
    receiver: Receiver<CoverageModel>,
}

impl PendingModel {
    /// The model another thread sends on `receiver`.
    pub fn from_receiver(receiver: Receiver<CoverageModel>) -> Self {
        Self { receiver }
    }

    /// The model once it is measured: `Some(Ok)` then, `Some(Err(()))` if the thread ended
    /// without one, `None` while it is still at work.
    pub fn try_take(&self) -> Option<Result<CoverageModel, ()>> {
        match self.receiver.try_recv() {
            Ok(model) => Some(Ok(model)),
            Err(std::sync::mpsc::TryRecvError::Empty) => None,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => Some(Err(())),
        }
    }
}

/// A load in progress.
pub struct LoadJob {
    /// The file being loaded.
    pub path: PathBuf,
    /// The user chose this file: once loaded, the plan works on it. Otherwise the plan named
    /// it, and it is only shown.
    pub adopt: bool,
    /// The reading choices the options came from, kept with the scene and the plan.
    pub read: ReadChoices,
    /// The latest progress.
    pub progress: Option<LoadProgress>,
    cancel: Arc<AtomicBool>,
    receiver: Receiver<LoadMessage>,
}

impl LoadJob {
    /// Starts loading `path` with `options` (made from `read`), its coverage model made with
    /// `population_field`; `repaint` is called whenever there is news.
    pub fn start(
        path: PathBuf,
        options: LoadOptions,
        read: ReadChoices,
        population_field: Option<FieldPath>,
        adopt: bool,
        repaint: impl Fn() + Send + Sync + 'static,
    ) -> std::io::Result<Self> {
        let (sender, receiver) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let thread_cancel = Arc::clone(&cancel);
        let thread_path = path.clone();
        let thread_read = read.clone();
        let thread_joins = options.joins.clone();
        std::thread::Builder::new()
            .name("mahalleh-load".into())
            .spawn(move || {
                let progress_sender = sender.clone();
                let progress = |p: LoadProgress| {
                    let _ = progress_sender.send(LoadMessage::Progress(p));
                    repaint();
                    !thread_cancel.load(Ordering::Relaxed)
                };
                let layer = match load_district_layer(&thread_path, &options, &progress) {
                    Ok(layer) => Arc::new(layer),
                    Err(e) => {
                        let _ = sender.send(LoadMessage::Done(Box::new(Err(e))));
                        repaint();
                        return;
                    }
                };
                // The scene takes a moment on a big layer; a cancel during it is answered after.
                let cancelled = || {
                    let cancelled = thread_cancel.load(Ordering::Relaxed);
                    if cancelled {
                        let path = thread_path.clone();
                        let _ = sender.send(LoadMessage::Done(Box::new(Err(LoadError::Cancelled { path }))));
                        repaint();
                    }
                    cancelled
                };
                if cancelled() {
                    return;
                }
                let mut scene = MapScene::with_coarse_levels_later(Arc::clone(&layer));
                scene.read = thread_read;
                scene.joins = thread_joins;
                if cancelled() {
                    return;
                }
                let (model_sender, model_receiver) = channel();
                let pending = PendingModel::from_receiver(model_receiver);
                let _ = sender.send(LoadMessage::Done(Box::new(Ok((scene, pending)))));
                repaint();
                // The areas of every district, measured here rather than on the UI thread, while
                // the map already shows.
                if !thread_cancel.load(Ordering::Relaxed) {
                    let _ = model_sender.send(CoverageModel::new(layer, population_field.as_ref()));
                    repaint();
                }
            })?;
        Ok(Self {
            path,
            adopt,
            read,
            progress: None,
            cancel,
            receiver,
        })
    }

    /// Asks the thread to stop; it reports `Cancelled` soon after.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Takes the news so far: the latest progress is kept, a finished result is returned.
    pub fn poll(&mut self) -> Option<Result<(MapScene, PendingModel), LoadError>> {
        while let Ok(message) = self.receiver.try_recv() {
            match message {
                LoadMessage::Progress(p) => self.progress = Some(p),
                LoadMessage::Done(result) => return Some(*result),
            }
        }
        None
    }

    /// Progress as a fraction, stages weighted by their usual share of the time.
    pub fn fraction(&self) -> f32 {
        use crate::model::LoadStage::*;
        let Some(p) = self.progress else { return 0.0 };
        let within = if p.total == 0 {
            0.0
        } else {
            p.done as f32 / p.total as f32
        };
        let (start, width) = match p.stage {
            Read => (0.0, 0.05),
            Scan => (0.05, 0.1),
            Parse => (0.15, 0.45),
            Index | Prepare => (0.6, 0.4),
        };
        start + width * within.clamp(0.0, 1.0)
    }
}
