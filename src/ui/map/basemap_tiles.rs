//! The basemap in the window: tiles read and decoded on their own thread, kept as egui textures,
//! drawn under the districts. A tile not yet there is stood in for by the nearest coarser one
//! already loaded, enlarged, so panning never shows holes that were filled a moment ago.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use egui::{Color32, ColorImage, Rect, TextureHandle, TextureOptions, pos2};

use super::Camera;
use crate::basemap::{BasemapError, BasemapInfo, RgbaTile, TileId, TileSource, plain_attribution, tiles_covering};
use crate::model::BasemapSource;

/// Tiles kept as textures (256 × 256 × 4 bytes each: about 128 MB at most; fewer vector tiles
/// drawn for a dense screen): a few screens at three or four zooms, so zooming in and out again
/// finds its tiles.
const MAX_TEXTURES: usize = 512;
/// Requests kept waiting; older ones (the view has moved on) are dropped.
const MAX_QUEUED: usize = 96;
/// A tile a server failed to give is asked again after this long.
const RETRY_AFTER: Duration = Duration::from_secs(30);
/// Readers of an online server: two connections, as tile servers' usage policies allow.
const ONLINE_READERS: usize = 2;
/// At most this many tiles are drawn for a view (a wrong zoom is drawn coarser instead).
const MAX_VIEW_TILES: usize = 160;

/// What a reader thread sends back for one tile, and the pixel ratio it was drawn at.
struct TileAnswer(TileId, Result<Option<(ColorImage, bool)>, BasemapError>, u32);

/// Tiles asked for, newest last, shared by the window and the reader threads; `closed` once the
/// window drops the basemap.
#[derive(Default)]
struct Requests {
    queue: Mutex<(Vec<TileId>, bool)>,
    ready: Condvar,
    /// Physical pixels per point for vector tiles (f32 bits; 0 is 1): they are drawn that much
    /// larger, so roads and names keep their size when the interface is zoomed or on a dense
    /// screen.
    pixel_ratio_bits: AtomicU32,
}

impl Requests {
    fn pixel_ratio(&self) -> f32 {
        match self.pixel_ratio_bits.load(Ordering::Relaxed) {
            0 => 1.0,
            bits => f32::from_bits(bits),
        }
    }
}

/// A tile on the GPU.
struct TileTexture {
    texture: TextureHandle,
    /// No pixel is transparent: nothing needs drawing under it.
    opaque: bool,
    /// The frame it was last drawn in.
    used: u64,
}

/// The open basemap of the window.
pub struct BasemapTiles {
    /// Where the tiles come from.
    pub source: BasemapSource,
    /// What the file says about itself.
    pub info: BasemapInfo,
    /// Its attribution as plain text.
    pub attribution: String,
    requests: Arc<Requests>,
    answers: Receiver<TileAnswer>,
    textures: HashMap<TileId, TileTexture>,
    /// Tiles asked for and not yet answered.
    pending: HashSet<TileId>,
    /// Tiles the file (or server) does not have, or that are damaged.
    absent: HashSet<TileId>,
    /// Tiles a server failed to give, and when.
    failed_at: HashMap<TileId, Instant>,
    /// The first tile that could not be read or decoded, and how many could not.
    pub tile_errors: (Option<String>, usize),
    frame: u64,
}

impl BasemapTiles {
    /// Opens `source` (online tiles go through the tile cache in `cache`) and starts its
    /// reader threads; `wake` is called when a tile arrives.
    pub fn open(
        source: &BasemapSource,
        cache: Option<&Path>,
        wake: impl Fn() + Send + Sync + 'static,
    ) -> Result<Self, BasemapError> {
        let (tiles, info) = TileSource::open_source(source, cache)?;
        // A file is read by one thread (its own handle); an online server by two.
        let readers = tiles.more_readers(ONLINE_READERS);
        let requests = Arc::new(Requests::default());
        let (answers_out, answers) = channel::<TileAnswer>();
        let wake = Arc::new(wake);
        for mut reader in std::iter::once(tiles).chain(readers) {
            let (requests, answers_out, wake) = (Arc::clone(&requests), answers_out.clone(), Arc::clone(&wake));
            let spawned = std::thread::Builder::new()
                .name("basemap tiles".into())
                .spawn(move || read_tiles(&mut reader, &requests, &answers_out, &*wake));
            if let Err(e) = spawned {
                return Err(BasemapError::Io {
                    path: PathBuf::from(source.describe()),
                    source: e,
                });
            }
        }
        Ok(Self {
            source: source.clone(),
            attribution: plain_attribution(&info.attribution),
            info,
            requests,
            answers,
            textures: HashMap::new(),
            pending: HashSet::new(),
            absent: HashSet::new(),
            failed_at: HashMap::new(),
            tile_errors: (None, 0),
            frame: 0,
        })
    }

    /// Tiles held as textures.
    pub fn loaded(&self) -> usize {
        self.textures.len()
    }

    /// Tiles asked for and not yet arrived.
    pub fn waiting(&self) -> usize {
        self.pending.len()
    }

    /// Takes the tiles that arrived into textures.
    fn receive(&mut self, ctx: &egui::Context) {
        while let Ok(TileAnswer(id, answer, ratio_bits)) = self.answers.try_recv() {
            self.pending.remove(&id);
            if ratio_bits != self.requests.pixel_ratio().to_bits() {
                // Drawn for a scale the window has left; asked again when in view.
                continue;
            }
            match answer {
                Ok(Some((image, opaque))) => {
                    let name = format!("basemap {}/{}/{}", id.z, id.x, id.y);
                    // Nearest texels, as QGIS resamples rasters by default: on software GL
                    // bilinear filtering of a screen of tiles costs about 5 ms a frame.
                    let texture = ctx.load_texture(name, image, TextureOptions::NEAREST);
                    let used = self.frame;
                    self.textures.insert(id, TileTexture { texture, opaque, used });
                }
                Ok(None) => {
                    self.absent.insert(id);
                }
                Err(e) => {
                    // A server that failed may answer later; a damaged file will not.
                    if matches!(e, BasemapError::Http { .. }) {
                        self.failed_at.insert(id, Instant::now());
                    } else {
                        self.absent.insert(id);
                    }
                    let (first, count) = &mut self.tile_errors;
                    first.get_or_insert_with(|| e.to_string());
                    *count += 1;
                }
            }
        }
        // Vector tiles drawn for a dense screen are larger: fewer are kept.
        let ratio = self.requests.pixel_ratio();
        let max_textures = ((MAX_TEXTURES as f32 / (ratio * ratio)) as usize).max(64);
        if self.textures.len() > max_textures {
            let mut by_age: Vec<(u64, TileId)> = self.textures.iter().map(|(id, t)| (t.used, *id)).collect();
            by_age.sort_unstable();
            for (_, id) in by_age.into_iter().take(self.textures.len() - max_textures) {
                self.textures.remove(&id);
            }
        }
    }

    /// The tiles to draw for the camera's view of `rect`, in order, asking for the ones
    /// missing; each is the tile itself or the nearest coarser one loaded (a part of it,
    /// enlarged), or a gap (`None`).
    pub fn visible_tiles(&mut self, ctx: &egui::Context, camera: &Camera, rect: Rect) -> Vec<VisibleTile> {
        self.frame += 1;
        self.set_pixel_ratio(ctx.pixels_per_point());
        self.receive(ctx);
        let m_per_px = camera.m_per_point / f64::from(ctx.pixels_per_point());
        // Vector tiles are drawn for points, at the screen's pixel ratio; raster tiles as
        // stored, for physical pixels.
        let m_per_px = m_per_px * f64::from(self.requests.pixel_ratio());
        let (min_z, max_z) = (self.info.min_zoom, self.info.drawn_max_zoom());
        let mut zoom = crate::basemap::zoom_for_m_per_px(m_per_px).clamp(min_z, max_z);
        let view_m = camera.visible_m(rect);
        let mut wanted = tiles_covering(view_m, zoom, MAX_VIEW_TILES + 1);
        while wanted.len() > MAX_VIEW_TILES && zoom > min_z {
            zoom -= 1;
            wanted = tiles_covering(view_m, zoom, MAX_VIEW_TILES + 1);
        }
        let mut visible = Vec::with_capacity(wanted.len());
        for id in wanted {
            let resting = self.failed_at.get(&id).is_some_and(|t| t.elapsed() < RETRY_AFTER);
            if !self.textures.contains_key(&id) && !self.absent.contains(&id) && !resting && self.pending.insert(id) {
                self.failed_at.remove(&id);
                self.ask(id);
            }
            let [[w, s], [e, n]] = id.bounds_m();
            let screen = Rect::from_min_max(
                camera.screen_from_map(rect, [w, n]),
                camera.screen_from_map(rect, [e, s]),
            );
            let shown = (0..=(id.z - min_z)).find_map(|levels| {
                let (from, [[u0, v0], [u1, v1]]) = id.ancestor(levels);
                let tile = self.textures.get_mut(&from)?;
                tile.used = self.frame;
                Some(ShownTile {
                    texture: tile.texture.id(),
                    uv: Rect::from_min_max(pos2(u0, v0), pos2(u1, v1)),
                    opaque: tile.opaque,
                })
            });
            visible.push(VisibleTile { screen, shown });
        }
        visible
    }
}

/// A tile of the view on screen.
#[derive(Clone, Copy, Debug)]
pub struct VisibleTile {
    /// Where it goes, screen points.
    pub screen: Rect,
    /// What is drawn there, or nothing yet.
    pub shown: Option<ShownTile>,
}

/// A loaded texture standing for a tile of the view.
#[derive(Clone, Copy, Debug)]
pub struct ShownTile {
    /// The texture.
    pub texture: egui::TextureId,
    /// The part of it that covers the tile.
    pub uv: Rect,
    /// No pixel of it is transparent.
    pub opaque: bool,
}

/// Paints `tiles` with egui (the CPU renderer's path): the map's background only where no
/// opaque tile covers it, since every full-screen layer blended costs software GL a frame's
/// worth of work.
pub fn paint_tiles(painter: &egui::Painter, camera: &Camera, rect: Rect, tiles: &[VisibleTile]) {
    let background = super::style::colors::BACKGROUND;
    let world = crate::basemap::WORLD_HALF_M;
    let [[vw, vs], [ve, vn]] = camera.visible_m(rect);
    if vw < -world || vs < -world || ve > world || vn > world {
        painter.rect_filled(rect, 0.0, background);
    }
    for tile in tiles {
        match tile.shown {
            Some(shown) => {
                if !shown.opaque {
                    painter.rect_filled(tile.screen.intersect(rect), 0.0, background);
                }
                painter.image(shown.texture, tile.screen, shown.uv, Color32::WHITE);
            }
            None => {
                painter.rect_filled(tile.screen.intersect(rect), 0.0, background);
            }
        }
    }
}

impl BasemapTiles {
    /// Draws vector tiles for `pixels_per_point` from now on, forgetting the tiles drawn for
    /// another (raster tiles do not depend on it).
    fn set_pixel_ratio(&mut self, pixels_per_point: f32) {
        if self.info.format != crate::basemap::TileFormat::Vector || !pixels_per_point.is_finite() {
            return;
        }
        let ratio = pixels_per_point.clamp(0.5, 4.0);
        if ratio.to_bits() == self.requests.pixel_ratio().to_bits() {
            return;
        }
        self.requests.pixel_ratio_bits.store(ratio.to_bits(), Ordering::Relaxed);
        self.textures.clear();
        self.absent.clear();
    }

    /// Queues `id` for the readers; the oldest requests beyond [`MAX_QUEUED`] are dropped (the
    /// view they were for has moved on) and may be asked again.
    fn ask(&mut self, id: TileId) {
        let mut guard = self.requests.queue.lock().unwrap_or_else(PoisonError::into_inner);
        let queue = &mut guard.0;
        queue.push(id);
        if queue.len() > MAX_QUEUED {
            for stale in queue.drain(..queue.len() - MAX_QUEUED) {
                self.pending.remove(&stale);
            }
        }
        self.requests.ready.notify_one();
    }
}

impl Drop for BasemapTiles {
    fn drop(&mut self) {
        self.requests.queue.lock().unwrap_or_else(PoisonError::into_inner).1 = true;
        self.requests.ready.notify_all();
    }
}

/// The tile as an egui image (premultiplied), and whether it is wholly opaque.
fn color_image(tile: &RgbaTile) -> (ColorImage, bool) {
    let opaque = tile.pixels.chunks_exact(4).all(|p| p[3] == 255);
    let image = ColorImage::from_rgba_unmultiplied([tile.width as usize, tile.height as usize], &tile.pixels);
    (image, opaque)
}

/// A reader thread: takes the newest request first (the view it was asked for is the one on
/// screen) until the window drops the basemap.
fn read_tiles(source: &mut TileSource, requests: &Requests, answers: &Sender<TileAnswer>, wake: &dyn Fn()) {
    loop {
        let id = {
            let mut guard = requests.queue.lock().unwrap_or_else(PoisonError::into_inner);
            loop {
                if guard.1 {
                    return;
                }
                if let Some(id) = guard.0.pop() {
                    break id;
                }
                guard = requests.ready.wait(guard).unwrap_or_else(PoisonError::into_inner);
            }
        };
        // Premultiplied here, off the window's thread.
        let ratio = requests.pixel_ratio();
        let answer = source
            .tile_at_ratio(id, ratio)
            .map(|tile| tile.map(|t| color_image(&t)));
        if answers.send(TileAnswer(id, answer, ratio.to_bits())).is_err() {
            return;
        }
        wake();
    }
}
