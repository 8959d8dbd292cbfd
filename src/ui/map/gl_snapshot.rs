//! The map as last drawn in full (background, basemap, reference layers and districts, without
//! labels and marks), copied into a picture: while the camera moves it is shown shifted and
//! scaled, and only the strips of the view it does not cover are drawn again. With a basemap and
//! a heavy reference layer, a frame drawn in full is three screens of blended texture samples
//! and triangles for software GL; the picture is one unblended copy.
//!
//! The window keeps the bookkeeping ([`SnapshotTaken`]: which capture, for which camera and look)
//! and decides when a picture serves; this module holds the texture and draws it.
#![allow(unsafe_code)]
// SAFETY (whole module): every `unsafe` block is a glow call on the context eframe hands to the
// paint callback, on eframe's render thread, with objects this module created on that context.

use std::sync::{Arc, Mutex};

use eframe::glow::{self, HasContext};
use egui::{Pos2, Rect};

use super::camera::Camera;
use super::gl_image::{ImageCopy, ImageFrame, PixelView, new_texture, set_filter};
use super::gl_paint::{GlMapRenderer, add_gl_callback};

/// A held picture is shown magnified or reduced at most this much; beyond, the map is drawn in
/// full again (and copied again). Reduced, it covers too little of the view well before this
/// (see [`MIN_SNAPSHOT_COVER`]); magnified, a wheel flick of six clicks stays within it.
pub const MAX_SNAPSHOT_SCALE: f64 = 4.0;

/// Least share of the view the picture must cover to be shown: strips are drawn in full
/// detail's stead, and wide ones cost nearly what a full frame does.
pub const MIN_SNAPSHOT_COVER: f32 = 0.3;

/// What the window knows of the picture it asked for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SnapshotTaken {
    /// Which capture (the renderer holds one at a time and says which).
    pub id: u64,
    /// The camera it was drawn with.
    pub camera: Camera,
    /// The map's rectangle then, points.
    pub rect: Rect,
    /// What the map showed: a picture taken of another look does not serve.
    pub look: SnapshotLook,
}

/// What, apart from the camera, a frame drawn in full depends on. Tiles that arrive and the
/// hovered district are left out (they change as the camera moves): they are drawn once the
/// camera settles, when the map is drawn in full and copied again.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SnapshotLook {
    /// The district colour table's address.
    pub colors: usize,
    /// The districts' data.
    pub layer: crate::workspace::DataId,
    /// Districts and basemap shown.
    pub shown: (bool, bool),
    /// Physical pixels per point.
    pub pixels_per_point: f32,
    /// A hash of the rest: the selection (its highlights are in the picture) and the overlays'
    /// layers ([`MapOverlay::content_hash`](super::MapOverlay::content_hash)).
    pub content: u64,
}

impl SnapshotTaken {
    /// Where the picture lies on the screen under `camera` in `rect`, points.
    pub fn footprint(&self, camera: &Camera, rect: Rect) -> Rect {
        let at = |p: Pos2| camera.screen_from_map(rect, self.camera.map_from_screen(self.rect, p));
        Rect::from_two_pos(at(self.rect.min), at(self.rect.max))
    }

    /// The parts of `rect` the picture leaves uncovered under `camera`, when it serves that view:
    /// same look and map size, scale within [`MAX_SNAPSHOT_SCALE`] and at least
    /// [`MIN_SNAPSHOT_COVER`] of the view covered. `None` when it does not serve.
    pub fn strips(&self, camera: &Camera, rect: Rect, look: &SnapshotLook) -> Option<Vec<Rect>> {
        let ratio = camera.m_per_point / self.camera.m_per_point;
        let near = (1.0 / MAX_SNAPSHOT_SCALE..=MAX_SNAPSHOT_SCALE).contains(&ratio);
        if *look != self.look || self.rect.size() != rect.size() || !near {
            return None;
        }
        let covered = self.footprint(camera, rect).intersect(rect);
        if !covered.is_positive() || covered.area() < MIN_SNAPSHOT_COVER * rect.area() {
            return None;
        }
        Some(uncovered(rect, covered))
    }
}

/// `rect` less `inner` (which lies inside it) as at most four rectangles: full-width bands above
/// and below, and the parts left and right of `inner` between them.
fn uncovered(rect: Rect, inner: Rect) -> Vec<Rect> {
    let bands = [
        Rect::from_min_max(rect.min, Pos2::new(rect.max.x, inner.min.y)),
        Rect::from_min_max(Pos2::new(rect.min.x, inner.max.y), rect.max),
        Rect::from_min_max(Pos2::new(rect.min.x, inner.min.y), Pos2::new(inner.min.x, inner.max.y)),
        Rect::from_min_max(Pos2::new(inner.max.x, inner.min.y), Pos2::new(rect.max.x, inner.max.y)),
    ];
    bands.into_iter().filter(Rect::is_positive).collect()
}

/// The picture on the GPU and the program that shows it.
pub(super) struct MapSnapshot {
    copy: ImageCopy,
    texture: glow::Texture,
    /// Where the picture lies and which capture it is, once taken.
    held: Option<(ImageFrame, u64)>,
}

impl MapSnapshot {
    unsafe fn new(gl: &glow::Context) -> Result<Self, String> {
        unsafe {
            Ok(Self {
                copy: ImageCopy::new(gl)?,
                texture: new_texture(gl, glow::NEAREST)?,
                held: None,
            })
        }
    }

    /// Copies the viewport of the bound framebuffer into the picture.
    unsafe fn capture(&mut self, gl: &glow::Context, view: &PixelView, id: u64) {
        let [left, bottom, width, height] = view.viewport_px;
        let frame = ImageFrame {
            size_px: [width.max(1), height.max(1)],
            center_m: view.center_m,
            m_per_px: view.m_per_px,
        };
        unsafe {
            gl.bind_texture(glow::TEXTURE_2D, Some(self.texture));
            if self.held.is_none_or(|(held, _)| held.size_px != frame.size_px) {
                gl.tex_image_2d(
                    glow::TEXTURE_2D,
                    0,
                    glow::RGBA8 as i32,
                    frame.size_px[0],
                    frame.size_px[1],
                    0,
                    glow::RGBA,
                    glow::UNSIGNED_BYTE,
                    glow::PixelUnpackData::Slice(None),
                );
            }
            gl.copy_tex_sub_image_2d(glow::TEXTURE_2D, 0, 0, 0, left, bottom, width, height);
            gl.bind_texture(glow::TEXTURE_2D, None);
        }
        self.held = Some((frame, id));
    }

    /// Copies the picture where it lies under `view` (the strips around it are the caller's to
    /// draw). False when the picture held is not capture `id`.
    unsafe fn show(&self, gl: &glow::Context, info: &egui::PaintCallbackInfo, view: &PixelView, id: u64) -> bool {
        let Some((frame, held_id)) = self.held else {
            return false;
        };
        if held_id != id {
            return false;
        }
        // Where the picture's edges fall, in the viewport's pixels (texel = pixel × scale + offset).
        let [scale, offset_x, offset_y] = frame.texel_map(view);
        let edge = |texel: f64, offset: f64| (texel - offset) / scale;
        let x = [edge(0.0, offset_x), edge(f64::from(frame.size_px[0]), offset_x)];
        let y = [edge(0.0, offset_y), edge(f64::from(frame.size_px[1]), offset_y)];
        // Rounded outwards: the strips drawn after the picture cover what it does not, and no
        // pixel between the two is left as the last frame had it.
        let c = info.clip_rect_in_pixels();
        let left = (x[0].floor() as i32).max(c.left_px);
        let right = (x[1].ceil() as i32).min(c.left_px + c.width_px);
        let bottom = (y[0].floor() as i32).max(c.from_bottom_px);
        let top = (y[1].ceil() as i32).min(c.from_bottom_px + c.height_px);
        // Pixel for pixel, nearest sampling is a plain copy; scaled, edges stay smooth.
        let filter = if frame.same_m_per_px(view) {
            glow::NEAREST
        } else {
            glow::LINEAR
        };
        if right > left && top > bottom {
            unsafe {
                gl.scissor(left, bottom, right - left, top - bottom);
                set_filter(gl, self.texture, filter);
                self.copy.copy(gl, self.texture, frame.viewport_uv(view), false);
                gl.scissor(c.left_px, c.from_bottom_px, c.width_px, c.height_px);
            }
        }
        true
    }

    unsafe fn destroy(self, gl: &glow::Context) {
        unsafe {
            gl.delete_texture(self.texture);
            self.copy.destroy(gl);
        }
    }
}

/// The viewport of a callback at `camera` as pixels.
fn pixel_view(info: &egui::PaintCallbackInfo, camera: &Camera) -> PixelView {
    let v = info.viewport_in_pixels();
    PixelView {
        center_m: camera.center_m,
        m_per_px: camera.m_per_point / f64::from(info.pixels_per_point),
        viewport_px: [v.left_px, v.from_bottom_px, v.width_px, v.height_px],
    }
}

/// Adds a paint callback that copies what the map's rectangle holds so far (everything painted
/// before it) as capture `id`, seen by `camera`.
pub fn capture_snapshot(
    painter: &egui::Painter,
    renderer: &Arc<Mutex<GlMapRenderer>>,
    camera: Camera,
    rect: Rect,
    id: u64,
) {
    add_gl_callback(painter, renderer, rect, move |renderer, info, painter| {
        let gl = painter.gl().as_ref();
        if renderer.failure.is_some() || renderer.snapshot_failure.is_some() {
            return;
        }
        if renderer.snapshot.is_none() {
            match unsafe { MapSnapshot::new(gl) } {
                Ok(s) => renderer.snapshot = Some(s),
                Err(e) => {
                    renderer.snapshot_failure = Some(e);
                    return;
                }
            }
        }
        if let Some(snapshot) = &mut renderer.snapshot {
            unsafe { snapshot.capture(gl, &pixel_view(info, &camera), id) };
        }
    });
}

/// Adds a paint callback that shows capture `id` where it lies under `camera` in `rect`.
/// The caller has checked that the renderer [holds](GlMapRenderer::holds_snapshot) it.
pub fn paint_snapshot(
    painter: &egui::Painter,
    renderer: &Arc<Mutex<GlMapRenderer>>,
    camera: Camera,
    rect: Rect,
    id: u64,
) {
    add_gl_callback(painter, renderer, rect, move |renderer, info, painter| {
        let gl = painter.gl().as_ref();
        let shown = renderer
            .snapshot
            .as_ref()
            .is_some_and(|s| unsafe { s.show(gl, info, &pixel_view(info, &camera), id) });
        if !shown {
            // Not what the window was told it holds: the background rather than the last frame.
            let [r, g, b, a] = super::style::colors::BACKGROUND.to_normalized_gamma_f32();
            unsafe {
                gl.clear_color(r, g, b, a);
                gl.clear(glow::COLOR_BUFFER_BIT);
            }
        }
    });
}

impl GlMapRenderer {
    /// True when the picture held is capture `id`.
    pub fn holds_snapshot(&self, id: u64) -> bool {
        self.snapshot
            .as_ref()
            .is_some_and(|s| s.held.is_some_and(|(_, held)| held == id))
    }

    /// Frees the picture.
    pub(super) fn destroy_snapshot(&mut self, gl: &glow::Context) {
        if let Some(snapshot) = self.snapshot.take() {
            unsafe { snapshot.destroy(gl) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taken(camera: Camera, rect: Rect) -> SnapshotTaken {
        SnapshotTaken {
            id: 1,
            camera,
            rect,
            look: look(),
        }
    }

    fn look() -> SnapshotLook {
        static LAYER: std::sync::OnceLock<crate::workspace::DataId> = std::sync::OnceLock::new();
        SnapshotLook {
            colors: 7,
            layer: *LAYER.get_or_init(crate::workspace::DataId::fresh),
            shown: (true, true),
            pixels_per_point: 1.0,
            content: 3,
        }
    }

    #[test]
    fn a_panned_view_leaves_a_band_and_a_side_uncovered() {
        let rect = Rect::from_min_size(Pos2::new(100.0, 50.0), egui::vec2(800.0, 600.0));
        let camera = Camera {
            center_m: [0.0, 0.0],
            m_per_point: 10.0,
        };
        let snapshot = taken(camera, rect);
        assert_eq!(snapshot.strips(&camera, rect, &look()), Some(Vec::new()));
        // The map dragged 30 points left and 20 up: so does the picture.
        let mut panned = camera;
        panned.pan_by_screen(egui::vec2(-30.0, -20.0));
        let strips = snapshot.strips(&panned, rect, &look()).unwrap();
        let footprint = snapshot.footprint(&panned, rect);
        assert!(
            (footprint.min.x - 70.0).abs() < 1e-3 && (footprint.min.y - 30.0).abs() < 1e-3,
            "{footprint:?}"
        );
        let area: f32 = strips.iter().map(Rect::area).sum();
        let covered = footprint.intersect(rect).area();
        assert!((area + covered - rect.area()).abs() < 1.0, "{area} + {covered}");
        assert_eq!(strips.len(), 2, "{strips:?}");
    }

    #[test]
    fn a_picture_serves_only_its_look_size_and_near_scales() {
        let rect = Rect::from_min_size(Pos2::ZERO, egui::vec2(800.0, 600.0));
        let camera = Camera {
            center_m: [500.0, 500.0],
            m_per_point: 10.0,
        };
        let snapshot = taken(camera, rect);
        let zoomed_out = |factor: f64| camera.with_m_per_point(camera.m_per_point * factor);
        // Zoomed out 1.3 times: a frame around the picture, on all four sides.
        assert_eq!(
            snapshot.strips(&zoomed_out(1.3), rect, &look()).map(|s| s.len()),
            Some(4)
        );
        // 1.9 times: the picture covers 28% of the view, too little.
        assert_eq!(snapshot.strips(&zoomed_out(1.9), rect, &look()), None);
        // Zoomed in: covered, up to four times.
        assert_eq!(snapshot.strips(&zoomed_out(0.3), rect, &look()), Some(Vec::new()));
        assert_eq!(snapshot.strips(&zoomed_out(0.2), rect, &look()), None);
        let other = SnapshotLook { colors: 8, ..look() };
        assert_eq!(snapshot.strips(&camera, rect, &other), None);
        let wider = Rect::from_min_size(Pos2::ZERO, egui::vec2(900.0, 600.0));
        assert_eq!(snapshot.strips(&camera, wider, &look()), None);
    }
}
