//! The map widget: pan, zoom, hover and click over a district layer. State that lives between
//! frames is in [`MapState`]; the widget reports clicks in [`MapOutput`] and the caller decides
//! what they mean.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use egui::{Key, PointerButton, Pos2, Rect, Sense, Vec2};

use super::camera::Camera;
use super::cpu_paint;
use super::gl_marks;
use super::gl_paint::{self, GlMapRenderer};
use super::gl_snapshot::{self, SnapshotLook, SnapshotTaken};
use super::highlights::{DrawnLevels, paint_highlights};
use super::labels::{DistrictNames, PointLabel, paint_labels, paint_point_labels, place_point_labels};
use super::levels::GpuLevel;
use super::marks::{self, Mark};
use super::scale_bar::paint_scale_bar;
use super::scene::{GpuBuffers, MapScene};
use super::style::colors;
use crate::map::lon_lat_from_mercator;
use crate::text::Language;
use crate::workspace::DataId;

/// How districts are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapRenderer {
    /// Buffers on the GPU, drawn by OpenGL (the window).
    Gl,
    /// Meshes built on the CPU every frame (tests, no GL).
    Cpu,
}

/// A camera move in progress.
#[derive(Clone, Copy, Debug)]
struct Flight {
    from: Camera,
    to: Camera,
    start_s: f64,
    duration_s: f64,
}

/// Map state kept between frames.
pub struct MapState {
    /// Where the map looks.
    pub camera: Camera,
    /// The district under the pointer.
    pub hovered: Option<usize>,
    /// Longitude/latitude under the pointer.
    pub pointer_lon_lat: Option<[f64; 2]>,
    /// How districts are drawn.
    pub renderer: MapRenderer,
    /// The OpenGL side, when drawing with [`MapRenderer::Gl`].
    pub gl: Arc<Mutex<GlMapRenderer>>,
    /// Colour of each district (RGBA, premultiplied), drawn by both renderers; replaced whole
    /// when the styling or coverage changes.
    pub district_colors: Arc<Vec<[u8; 4]>>,
    /// The basemap's tiles, when the plan has a basemap that opened.
    pub basemap: Option<super::basemap_tiles::BasemapTiles>,
    /// Whether the basemap is drawn.
    pub show_basemap: bool,
    /// Draw the districts (the plan can hide them; offices and other layers stay).
    pub show_districts: bool,
    /// Label size in points.
    pub label_size: f32,
    /// Whether labels are shown.
    pub show_labels: bool,
    /// The rectangle the map had last frame.
    pub last_rect: Option<Rect>,
    /// The camera of the last frame, to tell when it has come to rest.
    last_camera: Option<Camera>,
    /// When the camera last changed (egui time, seconds).
    camera_changed_s: f64,
    /// The current drag took hold of an overlay item.
    grabbed: bool,
    /// A restored view that the next layer load must not replace.
    keep_view: bool,
    flight: Option<Flight>,
    fit_pending: bool,
    /// The districts in view, kept while the camera, map size and layer stay the same.
    visible: Option<VisibleDistricts>,
    /// What the last drawn frame did, for `--frame-stats`.
    pub frame_kind: crate::ui::frame_stats::FrameKind,
    /// District labels the last drawn frame placed (none until the camera settles).
    pub district_labels_shown: usize,
    /// The picture of the map the last frame drawn in full asked the GL renderer to keep.
    pub snapshot: Option<SnapshotTaken>,
    /// Pictures asked for so far (the last one's id).
    snapshots_taken: u64,
}

/// The districts in view for one camera, map rectangle and layer, in layer order, with the
/// candidates for labels among them: the frames of a map at rest (hovering, typing in a panel)
/// reuse them instead of querying the index and sorting every frame.
struct VisibleDistricts {
    camera: Camera,
    rect: Rect,
    layer: DataId,
    districts: Vec<usize>,
    label_candidates: Option<(f32, Vec<(f32, usize)>)>,
}

impl Default for MapState {
    fn default() -> Self {
        Self {
            camera: Camera::default(),
            hovered: None,
            pointer_lon_lat: None,
            renderer: MapRenderer::Cpu,
            gl: Arc::new(Mutex::new(GlMapRenderer::default())),
            district_colors: Arc::new(Vec::new()),
            basemap: None,
            show_basemap: false,
            show_districts: true,
            label_size: 15.0,
            show_labels: true,
            last_rect: None,
            last_camera: None,
            camera_changed_s: 0.0,
            grabbed: false,
            keep_view: false,
            flight: None,
            fit_pending: true,
            visible: None,
            frame_kind: crate::ui::frame_stats::FrameKind::default(),
            district_labels_shown: 0,
            snapshot: None,
            snapshots_taken: 0,
        }
    }
}

/// Converts between the map's longitude/latitude and the screen, for overlays.
#[derive(Clone, Copy, Debug)]
pub struct Projector {
    /// The camera this frame.
    pub camera: Camera,
    /// The map's rectangle on screen.
    pub rect: Rect,
    /// The camera has rested a while (a burst of wheel clicks or drags is over): overlays
    /// draw in full detail, with labels, and pictures held for motion are brought up to date.
    /// Until then they may draw less.
    pub settled: bool,
    /// The map is drawn with OpenGL this frame: overlays may add GL paint callbacks.
    pub gl: bool,
}

impl Projector {
    /// Screen position of a longitude/latitude.
    pub fn screen_from_lon_lat(&self, lon_lat: [f64; 2]) -> Pos2 {
        self.camera
            .screen_from_map(self.rect, crate::map::mercator_from_lon_lat(lon_lat[0], lon_lat[1]))
    }

    /// Longitude/latitude under a screen position.
    pub fn lon_lat_from_screen(&self, p: Pos2) -> [f64; 2] {
        lon_lat_at(&self.camera, self.rect, p)
    }

    /// Screen points per ground metre near `lon_lat` (Web Mercator's scale, 1/cos(latitude)).
    pub fn points_per_m(&self, lon_lat: [f64; 2]) -> f32 {
        (1.0 / (lon_lat[1].to_radians().cos().max(1e-6) * self.camera.m_per_point)) as f32
    }
}

/// Something drawn over the districts that can be clicked and dragged (offices).
pub trait MapOverlay {
    /// True when a press at `pos`, with these modifier keys held, takes hold of an overlay item
    /// (or starts an overlay gesture) instead of panning the map.
    fn grabs(&self, projector: &Projector, pos: Pos2, modifiers: egui::Modifiers) -> bool;
    /// Handles this frame's input on the map; returns true when it used a click.
    fn interact(&mut self, ui: &egui::Ui, projector: &Projector, response: &egui::Response, grabbed: bool) -> bool;
    /// Round marks to draw over the districts and their labels, in order; the map draws them in
    /// one go.
    fn marks(&self, projector: &Projector) -> Vec<Mark>;
    /// Names of the overlay's points (offices), drawn above everything; district labels keep
    /// clear of them and of the points.
    fn labels(&self, projector: &Projector) -> Vec<PointLabel>;
    /// Paints over the districts and their highlights, under the district labels and marks
    /// (reference layers).
    fn paint_under(&self, _painter: &egui::Painter, _projector: &Projector) {}
    /// Whether [`Self::paint_under_districts`] paints anything.
    fn draws_under_districts(&self) -> bool {
        false
    }
    /// Paints over the background and the basemap, under the districts (reference layers the
    /// plan puts there).
    fn paint_under_districts(&self, _painter: &egui::Painter, _projector: &Projector) {}
    /// Paints over the marks, under the point labels.
    fn paint(&self, painter: &egui::Painter, projector: &Projector, scene: &MapScene);
    /// True when a double-click is the overlay's (ends a measured path) rather than the map's
    /// zoom in.
    fn takes_double_click(&self) -> bool {
        false
    }
    /// True when district tooltips would get in the way (while measuring).
    fn hides_tooltips(&self) -> bool {
        false
    }
    /// Feeds `hasher` what [`Self::paint_under_districts`] and [`Self::paint_under`] draw
    /// apart from the camera (layers, their data and style): a held picture of the map made
    /// with other content is not shown while the camera moves.
    fn content_hash(&self, _hasher: &mut dyn std::hash::Hasher) {}
}

/// Overlays drawn one over the other: the last is on top, draws last and is asked about input
/// first.
pub struct OverlayStack<'a>(pub Vec<&'a mut dyn MapOverlay>);

impl MapOverlay for OverlayStack<'_> {
    fn grabs(&self, projector: &Projector, pos: Pos2, modifiers: egui::Modifiers) -> bool {
        self.0.iter().any(|o| o.grabs(projector, pos, modifiers))
    }

    fn interact(&mut self, ui: &egui::Ui, projector: &Projector, response: &egui::Response, grabbed: bool) -> bool {
        self.0
            .iter_mut()
            .rev()
            .any(|o| o.interact(ui, projector, response, grabbed))
    }

    fn marks(&self, projector: &Projector) -> Vec<Mark> {
        self.0.iter().flat_map(|o| o.marks(projector)).collect()
    }

    fn labels(&self, projector: &Projector) -> Vec<PointLabel> {
        self.0.iter().flat_map(|o| o.labels(projector)).collect()
    }

    fn paint_under(&self, painter: &egui::Painter, projector: &Projector) {
        for o in &self.0 {
            o.paint_under(painter, projector);
        }
    }

    fn draws_under_districts(&self) -> bool {
        self.0.iter().any(|o| o.draws_under_districts())
    }

    fn paint_under_districts(&self, painter: &egui::Painter, projector: &Projector) {
        for o in &self.0 {
            o.paint_under_districts(painter, projector);
        }
    }

    fn paint(&self, painter: &egui::Painter, projector: &Projector, scene: &MapScene) {
        for o in &self.0 {
            o.paint(painter, projector, scene);
        }
    }

    fn takes_double_click(&self) -> bool {
        self.0.iter().any(|o| o.takes_double_click())
    }

    fn hides_tooltips(&self) -> bool {
        self.0.iter().any(|o| o.hides_tooltips())
    }

    fn content_hash(&self, hasher: &mut dyn std::hash::Hasher) {
        for o in &self.0 {
            o.content_hash(hasher);
        }
    }
}

/// What happened on the map this frame.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MapOutput {
    /// A click: the district under it (if any) and whether shift was held (add to selection).
    pub clicked: Option<(Option<usize>, bool)>,
}

/// Room left around a district zoomed to, on each side, as a share of its size.
const DISTRICT_MARGIN: f64 = 0.5;
/// Seconds a camera flight takes.
const FLIGHT_S: f64 = 0.25;
/// Zoom factor per point of wheel scroll.
const WHEEL_ZOOM_PER_POINT: f64 = 1.0 / 240.0;
/// Fills are simplified to at most this many screen points.
const FILL_TOLERANCE_POINTS: f64 = 1.0;
/// Outlines are simplified to at most this many screen points.
const LINE_TOLERANCE_POINTS: f64 = 2.0;
/// Until the camera settles, fill simplification tolerances are multiplied by this. Measured
/// with benches/frame_times.sh on the US counties (wheel clicks 0.15 s apart, Mesa llvmpipe),
/// p95: 2 gave 16.3-17.6 ms with about 41,000 fill indices a frame, 4 gave 12.7-14.9 ms with
/// about 21,000; software GL pays per triangle, and a fill's edges are ragged only in motion.
const MOVING_FILL_DETAIL_FACTOR: f64 = 4.0;
/// The same for outlines, which show their simplification more than fills do.
const MOVING_LINE_DETAIL_FACTOR: f64 = 2.0;
/// Seconds without camera change after which the camera counts as settled.
const SETTLE_S: f64 = 0.15;
/// Below this median district size on screen (points) outlines are not drawn.
const MIN_OUTLINED_POINTS: f64 = 4.0;
/// The same until the camera settles. Software GL draws outlines slowly whatever their detail:
/// on the US counties the frames with outlines were the slow ones, and 32 rather than 16 gave
/// p95 10.7-14.9 ms rather than 12.3-14.5 ms over two runs at each pace
/// (benches/frame_times.sh).
const MOVING_MIN_OUTLINED_POINTS: f64 = 32.0;
/// Share of the view drawn around the held picture of the map above which the whole is copied
/// again, so that the next frame's strips are only what moved in since.
const RECAPTURE_UNCOVERED: f32 = 0.15;
/// Arrow-key panning speed in view widths per second.
const KEY_PAN_PER_S: f32 = 0.8;

impl MapState {
    /// Flies the camera to show the whole scene (now, if the map's size is known; else at the
    /// next frame).
    pub fn zoom_to_all(&mut self, scene: &MapScene, now_s: f64) {
        match self.last_rect {
            Some(rect) => self.fly_to(Camera::fitting(rect, scene.fit_bbox_m), now_s),
            None => self.fit_pending = true,
        }
    }

    /// Flies the camera to show a district among its neighbours: it fills about half the view.
    pub fn zoom_to_district(&mut self, scene: &MapScene, district: usize, now_s: f64) {
        if let Some(d) = scene.layer.drawing().districts.get(district) {
            self.zoom_to_bbox_m(d.bbox_m, now_s);
        }
    }

    /// Flies the camera to show a Web Mercator box with room around it (a point or a tiny box
    /// is shown at street scale, not as close as the camera goes).
    pub fn zoom_to_bbox_m(&mut self, bbox_m: [[f64; 2]; 2], now_s: f64) {
        let Some(rect) = self.last_rect else { return };
        let [[x0, y0], [x1, y1]] = bbox_m;
        if ![x0, y0, x1, y1].iter().all(|v| v.is_finite()) {
            return;
        }
        let (mx, my) = ((x1 - x0) * DISTRICT_MARGIN, (y1 - y0) * DISTRICT_MARGIN);
        let mut target = Camera::fitting(rect, [[x0 - mx, y0 - my], [x1 + mx, y1 + my]]);
        target.m_per_point = target.m_per_point.max(0.5);
        self.fly_to(target, now_s);
    }

    /// The scale (N of 1:N) at the centre of the view, taking a screen point as 1/96 inch.
    pub fn scale_denominator(&self) -> f64 {
        let [x, y] = self.camera.center_m;
        crate::map::scale::scale_denominator(self.camera.m_per_point, lon_lat_from_mercator(x, y)[1])
    }

    /// Flies to 1:`denominator` at the centre of the view, keeping the centre.
    pub fn zoom_to_scale(&mut self, denominator: f64, now_s: f64) {
        let [x, y] = self.camera.center_m;
        let lat = lon_lat_from_mercator(x, y)[1];
        let to = self
            .camera
            .with_m_per_point(crate::map::scale::mercator_m_per_point_for_scale(denominator, lat));
        self.fly_to(to, now_s);
    }

    /// The view to store in a plan file.
    pub fn saved_view(&self) -> crate::io::SavedView {
        let [x, y] = self.camera.center_m;
        crate::io::SavedView {
            center_lon_lat: lon_lat_from_mercator(x, y),
            zoom: self.camera.zoom_level(),
            size_points: self.last_rect.map(|r| [f64::from(r.width()), f64::from(r.height())]),
        }
    }

    /// Shows a stored view (and keeps it when a layer loads afterwards).
    pub fn restore_view(&mut self, view: crate::io::SavedView) {
        let [lon, lat] = view.center_lon_lat;
        let m_per_point = view.m_per_point();
        if lon.is_finite() && lat.is_finite() && m_per_point.is_finite() && m_per_point > 0.0 {
            self.camera = Camera {
                center_m: crate::map::mercator_from_lon_lat(lon, lat),
                m_per_point,
            };
            self.flight = None;
            self.fit_pending = false;
            self.keep_view = true;
        }
    }

    /// Keeps the camera where it is when the next layer arrives: for the same file read again
    /// (a table joined, another label field), where a jump to the whole layer would lose the
    /// planner's place.
    pub fn keep_view_on_next_load(&mut self) {
        self.keep_view = true;
    }

    /// Flies the camera to centre a longitude/latitude, keeping the scale.
    pub fn fly_to_lon_lat(&mut self, lon_lat: [f64; 2], now_s: f64) {
        let mut to = self.camera;
        to.center_m = crate::map::mercator_from_lon_lat(lon_lat[0], lon_lat[1]);
        self.fly_to(to, now_s);
    }

    /// Shows the whole scene at once, without flying; for a newly loaded layer (unless a plan's
    /// stored view was just restored).
    pub fn reset_view(&mut self) {
        self.flight = None;
        self.fit_pending = !std::mem::take(&mut self.keep_view);
        self.hovered = None;
    }

    fn fly_to(&mut self, to: Camera, now_s: f64) {
        let from = self.camera;
        self.flight = Some(Flight {
            from,
            to,
            start_s: now_s,
            duration_s: FLIGHT_S,
        });
    }

    fn advance_flight(&mut self, now_s: f64) -> bool {
        let Some(f) = self.flight else { return false };
        let t = ((now_s - f.start_s) / f.duration_s).clamp(0.0, 1.0);
        let eased = t * t * (3.0 - 2.0 * t);
        self.camera = f.from.lerp(&f.to, eased);
        if t >= 1.0 {
            self.flight = None;
        }
        true
    }
}

/// Shows the map of `scene` filling the available space. `selection` is drawn highlighted.
pub fn map_ui(
    ui: &mut egui::Ui,
    state: &mut MapState,
    scene: &MapScene,
    selection: &BTreeSet<usize>,
    lang: Language,
    overlay: &mut dyn MapOverlay,
) -> MapOutput {
    let (rect, response) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    let now_s = ui.input(|i| i.time);
    if state.fit_pending {
        state.camera = Camera::fitting(rect, scene.fit_bbox_m);
        state.fit_pending = false;
    }
    state.last_rect = Some(rect);
    let mut output = MapOutput::default();

    // Input.
    if response.drag_started() {
        let projector = Projector {
            camera: state.camera,
            rect,
            settled: true,
            gl: false,
        };
        // Where the button went down, not where the pointer is once it has moved far enough to
        // count as a drag.
        let (origin, modifiers) = ui.input(|i| (i.pointer.press_origin(), i.modifiers));
        state.grabbed = origin.is_some_and(|p| overlay.grabs(&projector, p, modifiers))
            && response.dragged_by(PointerButton::Primary);
    }
    if !response.dragged() && !response.drag_stopped() {
        state.grabbed = false;
    }
    let grabbed = state.grabbed;
    if !grabbed && (response.dragged_by(PointerButton::Primary) || response.dragged_by(PointerButton::Middle)) {
        state.flight = None;
        state.camera.pan_by_screen(response.drag_delta());
    }
    if response.hovered() {
        let (scroll, zoom, pointer) = ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta(), i.pointer.hover_pos()));
        let factor = f64::from(zoom) * (f64::from(scroll.y) * WHEEL_ZOOM_PER_POINT).exp();
        if (factor - 1.0).abs() > 1e-6 {
            state.flight = None;
            state.camera.zoom_at(rect, pointer.unwrap_or(rect.center()), factor);
        }
    }
    if response.double_clicked()
        && !overlay.takes_double_click()
        && let Some(p) = response.interact_pointer_pos()
    {
        let mut to = state.camera;
        to.zoom_at(rect, p, 2.0);
        state.fly_to(to, now_s);
    }
    let used_click = overlay.interact(
        ui,
        &Projector {
            camera: state.camera,
            rect,
            settled: true,
            gl: false,
        },
        &response,
        grabbed,
    );
    if response.clicked()
        && !used_click
        && !response.double_clicked()
        && let Some(p) = response.interact_pointer_pos()
    {
        let [lon, lat] = lon_lat_at(&state.camera, rect, p);
        let shift = ui.input(|i| i.modifiers.shift);
        let district = scene.layer.district_at(lon, lat).filter(|_| state.show_districts);
        output.clicked = Some((district, shift));
    }
    if !ui.ctx().egui_wants_keyboard_input() {
        keyboard_navigation(ui, state, scene, rect, now_s);
    }
    if state.advance_flight(now_s) {
        ui.ctx().request_repaint();
    }

    // Hover.
    let pointer = response.hover_pos();
    state.pointer_lon_lat = pointer.map(|p| lon_lat_at(&state.camera, rect, p));
    state.hovered = match (state.pointer_lon_lat, response.dragged()) {
        (Some([lon, lat]), false) if state.show_districts => scene.layer.district_at(lon, lat),
        _ => None,
    };

    // Drawing.
    let painter = ui.painter_at(rect);
    // The background is cleared by the GL paint callback (no full-map quad is blended).
    // Until the camera has settled, draw coarser and without labels; the frame after it settles
    // is drawn in full. Software GL keeps up with interaction that way: a person zooming clicks
    // the wheel every 0.1-0.2 s, and drawing full detail at every pause between clicks made
    // those frames the slowest (benches/frame_times.sh, `resting` frames).
    let moving = state.last_camera != Some(state.camera) || state.flight.is_some();
    let now_s = ui.input(|i| i.time);
    if moving {
        state.camera_changed_s = now_s;
    }
    // The camera has not changed for a while: wheel clicks and drags come in bursts, and the
    // district image (`gl_cache`) is redrawn in full only once a burst is over.
    let settled = now_s - state.camera_changed_s >= SETTLE_S;
    state.frame_kind = match (moving, settled) {
        (true, _) => crate::ui::frame_stats::FrameKind::Moving,
        (false, false) => crate::ui::frame_stats::FrameKind::Resting,
        (false, true) => crate::ui::frame_stats::FrameKind::Settled,
    };
    let (fill_detail, line_detail) = if settled {
        (1.0, 1.0)
    } else {
        (MOVING_FILL_DETAIL_FACTOR, MOVING_LINE_DETAIL_FACTOR)
    };
    if scene.levels.pending() {
        // Coarse levels are on their way; look again soon to adopt them.
        ui.ctx().request_repaint_after(std::time::Duration::from_millis(250));
    }
    let fill_level = scene.level_for(state.camera.m_per_point, FILL_TOLERANCE_POINTS * fill_detail);
    let line_level = scene.level_for(state.camera.m_per_point, LINE_TOLERANCE_POINTS * line_detail);
    let gl_ok = state.renderer == MapRenderer::Gl
        && state.gl.lock().map(|g| g.failure.is_none()).unwrap_or(false)
        && gl_precise_enough(&fill_level.buffers, &state.camera);
    // The basemap's tiles (its reader threads wake the window as they arrive): drawn in the GL
    // callback under the districts, or here with egui.
    let over_basemap = state.show_basemap && state.basemap.is_some();
    let projector = Projector {
        camera: state.camera,
        rect,
        settled,
        gl: gl_ok,
    };
    let mut tile_quads = Vec::new();
    if over_basemap && let Some(basemap) = &mut state.basemap {
        let tiles = basemap.visible_tiles(ui.ctx(), &state.camera, rect);
        if gl_ok {
            tile_quads = super::gl_tiles::quads_in(rect, &tiles);
        } else {
            super::basemap_tiles::paint_tiles(&painter, &state.camera, rect, &tiles);
        }
    }
    let pass = LayerPass {
        scene,
        selection,
        projector,
        fill_level: &fill_level,
        line_level: &line_level,
        over_basemap,
        tiles: tile_quads,
    };
    // While the camera moves, the map as last drawn in full is shown shifted or scaled, and only
    // what it leaves uncovered is drawn (see `gl_snapshot`).
    let look = SnapshotLook {
        colors: Arc::as_ptr(&state.district_colors) as usize,
        layer: scene.layer.data_id(),
        shown: (state.show_districts, over_basemap),
        pixels_per_point: ui.ctx().pixels_per_point(),
        content: {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            selection.hash(&mut hasher);
            overlay.content_hash(&mut hasher);
            hasher.finish()
        },
    };
    let held = state
        .snapshot
        .filter(|s| gl_ok && !settled && state.gl.lock().is_ok_and(|g| g.holds_snapshot(s.id)));
    match held.and_then(|s| Some((s.id, s.strips(&state.camera, rect, &look)?))) {
        Some((id, strips)) => {
            gl_snapshot::paint_snapshot(&painter, &state.gl, state.camera, rect, id);
            let uncovered: f32 = strips.iter().map(Rect::area).sum();
            let recapture = uncovered > RECAPTURE_UNCOVERED * rect.area();
            for strip in strips {
                paint_layers(&painter.with_clip_rect(strip), state, &pass, overlay);
            }
            if recapture {
                take_snapshot(&painter, state, rect, look);
            }
            state.frame_kind = crate::ui::frame_stats::FrameKind::FromSnapshot;
        }
        None => {
            paint_layers(&painter, state, &pass, overlay);
            if gl_ok {
                take_snapshot(&painter, state, rect, look);
            }
        }
    }
    // Office names first, so that district labels keep clear of them and of the symbols; the
    // symbols and names are then drawn over the district labels. Like district labels, names
    // wait until the camera settles (software GL keeps up that way).
    state.district_labels_shown = 0;
    let placed = if settled && state.show_labels {
        let point_labels = overlay.labels(&projector);
        let placed = place_point_labels(&painter, &point_labels, rect, state.label_size * 0.95);
        // Office names keep their plates' margin and a gap from district labels.
        let keep_clear: Vec<Rect> = placed
            .iter()
            .map(|p| p.rect.expand2(egui::vec2(6.0, 3.0)))
            .chain(
                point_labels
                    .iter()
                    .map(|l| Rect::from_center_size(l.at, egui::Vec2::splat(2.0 * l.clear))),
            )
            .collect();
        if state.show_districts {
            let (camera, label_size) = (state.camera, state.label_size);
            let candidates =
                visible_districts(&mut state.visible, scene, camera, rect).label_candidates(scene, &camera, label_size);
            state.district_labels_shown = paint_labels(
                &painter,
                scene,
                &camera,
                rect,
                DistrictNames {
                    candidates,
                    font_size: label_size,
                    lang,
                },
                &keep_clear,
            );
        }
        placed
    } else {
        Vec::new()
    };
    let marks = overlay.marks(&projector);
    if gl_ok {
        gl_marks::paint_marks(&painter, &state.gl, &marks, rect);
    } else {
        marks::paint_marks_cpu(&painter, &marks);
    }
    overlay.paint(&painter, &projector, scene);
    paint_point_labels(&painter, &placed);
    if !settled {
        // One more frame once the camera has settled: full detail, labels, and the district
        // image redrawn.
        let wait_s = (state.camera_changed_s + SETTLE_S - now_s).max(0.0);
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64(wait_s + 0.001));
    }
    paint_scale_bar(&painter, &state.camera, rect, lang == Language::Fa);
    state.last_camera = Some(state.camera);

    if let Some(i) = state.hovered
        && !response.dragged()
        && !overlay.hides_tooltips()
    {
        response.on_hover_ui_at_pointer(|ui| super::tooltip::district_tooltip_ui(ui, scene, i, lang));
    }
    output
}

/// Asks the GL renderer to copy what the map's rectangle holds so far, as seen by the camera now.
fn take_snapshot(painter: &egui::Painter, state: &mut MapState, rect: Rect, look: SnapshotLook) {
    state.snapshots_taken += 1;
    let id = state.snapshots_taken;
    gl_snapshot::capture_snapshot(painter, &state.gl, state.camera, rect, id);
    state.snapshot = Some(SnapshotTaken {
        id,
        camera: state.camera,
        rect,
        look,
    });
}

/// What [`paint_layers`] draws in one frame.
struct LayerPass<'a> {
    scene: &'a MapScene,
    selection: &'a BTreeSet<usize>,
    projector: Projector,
    fill_level: &'a GpuLevel,
    line_level: &'a GpuLevel,
    over_basemap: bool,
    /// The basemap's tiles for the GL callback (the CPU renderer has painted them already).
    tiles: Vec<super::gl_tiles::TileQuad>,
}

/// Paints what lies under the labels and marks: background, basemap, reference layers,
/// districts and their highlights, with `painter` (the map's, or one clipped to a strip that
/// the held picture of the map leaves uncovered).
fn paint_layers(painter: &egui::Painter, state: &mut MapState, pass: &LayerPass<'_>, overlay: &dyn MapOverlay) {
    let LayerPass {
        scene,
        selection,
        projector,
        fill_level,
        line_level,
        over_basemap,
        ..
    } = *pass;
    let (rect, settled) = (projector.rect, projector.settled);
    let under_districts = overlay.draws_under_districts();
    let clip = painter.clip_rect();
    let mut tile_quads = if clip.contains_rect(rect) {
        pass.tiles.clone()
    } else {
        super::gl_tiles::quads_touching(&pass.tiles, rect, clip)
    };
    if projector.gl {
        if under_districts {
            gl_paint::paint_background(painter, &state.gl, std::mem::take(&mut tile_quads), rect);
            overlay.paint_under_districts(painter, &projector);
        }
        // Until the camera settles, outlines of small districts are left out: at overview scales
        // they are most of software GL's work, and the fills alone read well for a moment.
        let min_outlined = if settled {
            MIN_OUTLINED_POINTS
        } else {
            MOVING_MIN_OUTLINED_POINTS
        };
        let outlines_visible = scene.median_size_m / state.camera.m_per_point >= min_outlined;
        let outline = outlines_visible.then_some(colors::OUTLINE);
        let look = gl_paint::LayerLook {
            colors: &state.district_colors,
            fill_buffers: &fill_level.buffers,
            line_buffers: &line_level.buffers,
            outline,
            layer: scene.layer.data_id(),
            moving: !settled,
            over_basemap,
            tiles: tile_quads,
            background_drawn: under_districts,
            hidden: !state.show_districts,
        };
        gl_paint::paint_districts(painter, &state.gl, &look, &state.camera, rect);
    } else {
        if !over_basemap {
            painter.rect_filled(rect, 0.0, colors::BACKGROUND);
        }
        overlay.paint_under_districts(painter, &projector);
        if state.show_districts {
            let visible = &visible_districts(&mut state.visible, scene, state.camera, rect).districts;
            cpu_paint::paint_districts(painter, scene, &state.district_colors, &state.camera, rect, visible);
        }
    }
    let drawn_levels = projector.gl.then_some(DrawnLevels {
        fills: fill_level,
        lines: line_level,
    });
    if state.show_districts {
        paint_highlights(
            painter,
            scene,
            &state.camera,
            rect,
            drawn_levels,
            selection,
            state.hovered,
        );
    }
    overlay.paint_under(painter, &projector);
}

fn lon_lat_at(camera: &Camera, rect: Rect, p: Pos2) -> [f64; 2] {
    let [x, y] = camera.map_from_screen(rect, p);
    lon_lat_from_mercator(x, y)
}

fn keyboard_navigation(ui: &egui::Ui, state: &mut MapState, scene: &MapScene, rect: Rect, now_s: f64) {
    let (dt, left, right, up, down, plus, minus, home) = ui.input(|i| {
        (
            i.stable_dt.min(0.1),
            i.key_down(Key::ArrowLeft),
            i.key_down(Key::ArrowRight),
            i.key_down(Key::ArrowUp),
            i.key_down(Key::ArrowDown),
            i.key_pressed(Key::Plus) || i.key_pressed(Key::Equals),
            i.key_pressed(Key::Minus),
            i.key_pressed(Key::Home),
        )
    });
    let step = rect.width() * KEY_PAN_PER_S * dt;
    let mut pan = Vec2::ZERO;
    if left {
        pan.x += step;
    }
    if right {
        pan.x -= step;
    }
    if up {
        pan.y += step;
    }
    if down {
        pan.y -= step;
    }
    if pan != Vec2::ZERO {
        state.flight = None;
        state.camera.pan_by_screen(pan);
        ui.ctx().request_repaint();
    }
    let zoom = if plus {
        2.0
    } else if minus {
        0.5
    } else {
        1.0
    };
    if zoom != 1.0 {
        let mut to = state.flight.map_or(state.camera, |f| f.to);
        to.zoom_at(rect, rect.center(), zoom);
        state.fly_to(to, now_s);
    }
    if home {
        state.fly_to(Camera::fitting(rect, scene.fit_bbox_m), now_s);
    }
}

/// The districts whose bounding box is in view, from `cache` when camera, map rectangle and
/// layer are those of the frame it was made for.
fn visible_districts<'a>(
    cache: &'a mut Option<VisibleDistricts>,
    scene: &MapScene,
    camera: Camera,
    rect: Rect,
) -> &'a mut VisibleDistricts {
    let layer = scene.layer.data_id();
    if !cache
        .as_ref()
        .is_some_and(|v| v.camera == camera && v.rect == rect && v.layer == layer)
    {
        *cache = None;
    }
    cache.get_or_insert_with(|| {
        let [lo, hi] = camera.visible_m(rect);
        let min = lon_lat_from_mercator(lo[0], lo[1]);
        let max = lon_lat_from_mercator(hi[0], hi[1]);
        let mut districts = scene.layer.index.districts_in_bbox(min, max);
        districts.sort_unstable();
        VisibleDistricts {
            camera,
            rect,
            layer,
            districts,
            label_candidates: None,
        }
    })
}

impl VisibleDistricts {
    /// The districts wide enough on screen for a label of `font_size`, widest first (at most
    /// [`super::labels::MAX_LABELS`]), with their screen widths.
    fn label_candidates(&mut self, scene: &MapScene, camera: &Camera, font_size: f32) -> &[(f32, usize)] {
        if self
            .label_candidates
            .as_ref()
            .is_none_or(|(size, _)| *size != font_size)
        {
            let list = super::labels::label_candidates(scene, camera, &self.districts, font_size);
            self.label_candidates = Some((font_size, list));
        }
        self.label_candidates.as_ref().map_or(&[], |(_, list)| list.as_slice())
    }
}

/// True when the GPU buffer's positions, an f32 and its remainder each (about 48 bits), are
/// finer than a quarter of a screen point here: always, but for a layer the size of the solar
/// system at millimetre zoom.
fn gl_precise_enough(buffers: &GpuBuffers, camera: &Camera) -> bool {
    let error_m = buffers.max_offset_m * f64::from(f32::EPSILON).powi(2) * 4.0;
    error_m / camera.m_per_point < 0.25
}
