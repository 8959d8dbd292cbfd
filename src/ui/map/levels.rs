//! A layer's levels of detail: the full detail at once, the simplified ones either all up front
//! or on a named thread, coarsest first, adopted by the map as they arrive. A world map's coarse
//! levels took longer than its load (10 s on two cores); the window shows the full detail
//! meanwhile and switches to a coarser level the moment it is there.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use super::scene::GpuBuffers;
use crate::map::LayerDrawing;
use crate::workspace::DistrictLayer;

/// One level of detail on the GPU.
#[derive(Clone)]
pub struct GpuLevel {
    /// Rings were simplified to this many Web Mercator metres (0 for full detail).
    pub tolerance_m: f64,
    /// The buffers.
    pub buffers: Arc<GpuBuffers>,
}

/// Simplification tolerances of the coarse levels, as fractions of the metres per point at which
/// the whole layer fits in 1000 points; coarsest first.
const LEVEL_TOLERANCES: [f64; 10] = [
    4.0,
    2.0,
    1.0,
    0.5,
    0.25,
    0.125,
    0.0625,
    0.031_25,
    0.015_625,
    0.007_812_5,
];

/// What a level is built from.
#[derive(Clone)]
struct LevelSource {
    layer: Arc<DistrictLayer>,
    bbox_m: [[f64; 2]; 2],
    order: Arc<Vec<usize>>,
}

impl LevelSource {
    fn tolerance_m(&self, fraction: f64) -> f64 {
        let b = self.bbox_m;
        (b[1][0] - b[0][0]).max(b[1][1] - b[0][1]) / 1000.0 * fraction
    }

    fn build(&self, fraction: f64, keep_going: &(dyn Fn(usize) -> bool + Sync)) -> Option<GpuLevel> {
        let tolerance_m = self.tolerance_m(fraction);
        let drawing = LayerDrawing::prepare_simplified(&self.layer.districts, tolerance_m, keep_going)?;
        let buffers = Arc::new(GpuBuffers::new(&drawing, self.bbox_m, &self.order));
        Some(GpuLevel { tolerance_m, buffers })
    }
}

/// The levels of one scene.
pub struct LevelsOfDetail {
    full: GpuLevel,
    /// Coarsest first.
    coarse: Mutex<Vec<GpuLevel>>,
    arriving: Mutex<Option<Receiver<GpuLevel>>>,
    stop: Arc<AtomicBool>,
}

impl LevelsOfDetail {
    /// Every level, built now on all cores.
    pub fn all_now(layer: Arc<DistrictLayer>, bbox_m: [[f64; 2]; 2], order: Arc<Vec<usize>>) -> Self {
        let source = LevelSource { layer, bbox_m, order };
        let full = full_level(&source);
        let coarse: Vec<GpuLevel> = LEVEL_TOLERANCES
            .par_iter()
            .filter_map(|&fraction| source.build(fraction, &|_| true))
            .collect();
        let levels = Self::only(full);
        for level in coarse {
            levels.adopt(level);
        }
        levels
    }

    /// The full detail now; the coarse levels on a thread, coarsest first, each adopted by the
    /// next [`Self::level_for`] after it is done. The thread stops when these levels are dropped.
    pub fn full_now_coarse_later(layer: Arc<DistrictLayer>, bbox_m: [[f64; 2]; 2], order: Arc<Vec<usize>>) -> Self {
        let source = LevelSource { layer, bbox_m, order };
        let mut levels = Self::only(full_level(&source));
        let (sender, receiver) = std::sync::mpsc::channel();
        let stop = Arc::clone(&levels.stop);
        let spawned = std::thread::Builder::new()
            .name("mahalleh-levels".into())
            .spawn(move || {
                let keep_going = |_: usize| !stop.load(Ordering::Relaxed);
                for fraction in LEVEL_TOLERANCES {
                    let Some(level) = source.build(fraction, &keep_going) else {
                        return;
                    };
                    if sender.send(level).is_err() {
                        return;
                    }
                }
            });
        // Without a thread the map still draws, at full detail.
        if spawned.is_ok() {
            levels.arriving = Mutex::new(Some(receiver));
        }
        levels
    }

    fn only(full: GpuLevel) -> Self {
        Self {
            full,
            coarse: Mutex::new(Vec::new()),
            arriving: Mutex::new(None),
            stop: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Keeps a coarse level if it saves a good share of the vertices, in order of tolerance.
    fn adopt(&self, level: GpuLevel) {
        if level.buffers.positions.len() * 10 >= self.full.buffers.positions.len() * 8 {
            return;
        }
        let mut coarse = self.coarse.lock().unwrap_or_else(PoisonError::into_inner);
        let at = coarse.partition_point(|l| l.tolerance_m > level.tolerance_m);
        coarse.insert(at, level);
    }

    /// Takes the levels finished since the last call.
    fn receive(&self) {
        let mut arriving = self.arriving.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(receiver) = arriving.as_ref() else { return };
        loop {
            match receiver.try_recv() {
                Ok(level) => self.adopt(level),
                Err(TryRecvError::Empty) => return,
                Err(TryRecvError::Disconnected) => {
                    *arriving = None;
                    return;
                }
            }
        }
    }

    /// Whether coarse levels are still being built.
    pub fn pending(&self) -> bool {
        self.receive();
        self.arriving.lock().unwrap_or_else(PoisonError::into_inner).is_some()
    }

    /// The coarsest level there is simplified to at most `points` screen points at `m_per_point`.
    pub fn level_for(&self, m_per_point: f64, points: f64) -> GpuLevel {
        self.receive();
        let coarse = self.coarse.lock().unwrap_or_else(PoisonError::into_inner);
        let found = coarse.iter().find(|l| l.tolerance_m <= m_per_point * points);
        found.unwrap_or(&self.full).clone()
    }

    /// The full-detail level.
    pub fn full(&self) -> &GpuLevel {
        &self.full
    }

    /// Every level there is now, coarsest first, the full detail last.
    pub fn ready(&self) -> Vec<GpuLevel> {
        self.receive();
        let mut all = self.coarse.lock().unwrap_or_else(PoisonError::into_inner).clone();
        all.push(self.full.clone());
        all
    }
}

impl Drop for LevelsOfDetail {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn full_level(source: &LevelSource) -> GpuLevel {
    GpuLevel {
        tolerance_m: 0.0,
        buffers: Arc::new(GpuBuffers::new(source.layer.drawing(), source.bbox_m, &source.order)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bench_layer() -> Arc<DistrictLayer> {
        Arc::new(crate::synth::bench_layer::loaded_bench_layer(3000))
    }

    fn source(layer: &Arc<DistrictLayer>) -> ([[f64; 2]; 2], Arc<Vec<usize>>) {
        let bbox = crate::map::extent::union_boxes_m(layer.drawing().districts.iter().map(|d| d.bbox_m)).unwrap();
        (bbox, Arc::new((0..layer.districts.len()).collect()))
    }

    #[test]
    fn coarse_levels_built_later_are_the_ones_built_now() {
        let layer = bench_layer();
        let (bbox, order) = source(&layer);
        let now = LevelsOfDetail::all_now(Arc::clone(&layer), bbox, Arc::clone(&order));
        let later = LevelsOfDetail::full_now_coarse_later(layer, bbox, order);
        let started = std::time::Instant::now();
        while later.pending() {
            assert!(started.elapsed().as_secs() < 60, "levels never finished");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let summary = |levels: &LevelsOfDetail| -> Vec<(u64, usize, usize)> {
            levels
                .ready()
                .iter()
                .map(|l| {
                    (
                        l.tolerance_m.to_bits(),
                        l.buffers.positions.len(),
                        l.buffers.fill_indices.len(),
                    )
                })
                .collect()
        };
        assert!(summary(&now).len() >= 3, "{:?}", summary(&now));
        assert_eq!(summary(&later), summary(&now));
        let coarse = later.level_for(1e9, 1.0);
        assert!(coarse.tolerance_m > 0.0);
        assert!(coarse.buffers.positions.len() * 2 < later.full().buffers.positions.len());
    }

    #[test]
    fn dropping_the_levels_stops_the_thread() {
        let layer = bench_layer();
        let (bbox, order) = source(&layer);
        let levels = LevelsOfDetail::full_now_coarse_later(Arc::clone(&layer), bbox, order);
        drop(levels);
        // The thread holds the last other reference to the layer; it lets go once it stops.
        let started = std::time::Instant::now();
        while Arc::strong_count(&layer) > 1 {
            assert!(started.elapsed().as_secs() < 30, "the level thread kept running");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
}
