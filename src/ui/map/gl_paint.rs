//! Drawing districts with OpenGL from buffers uploaded once per layer: per frame only two small
//! uniforms change, so panning and zooming cost almost nothing on the CPU, even with software GL.
#![allow(unsafe_code)]
// SAFETY (whole module): every `unsafe` block is a glow call on the context eframe hands to the
// paint callback, on eframe's render thread, with buffers and programs this module created on that
// same context; slices passed to GL outlive the calls.

use std::ops::Range;
use std::sync::{Arc, Mutex};

use eframe::egui_glow;
use eframe::glow::{self, HasContext};
use egui::{Color32, Rect};

use super::camera::Camera;
use super::gl_cache::{CacheContent, CacheView, LayerCache};
use super::scene::GpuBuffers;
use crate::workspace::DataId;

/// The shader program, shared by all layers.
struct GlProgram {
    program: glow::Program,
    u_offset: Option<glow::UniformLocation>,
    u_offset_lo: Option<glow::UniformLocation>,
    u_scale: Option<glow::UniformLocation>,
    u_line_color: Option<glow::UniformLocation>,
    u_use_line_color: Option<glow::UniformLocation>,
    u_colors: Option<glow::UniformLocation>,
}

/// One level of detail's buffers on the GPU.
struct GlBuffers {
    source: Arc<GpuBuffers>,
    vertex_array: glow::VertexArray,
    positions: glow::Buffer,
    positions_lo: glow::Buffer,
    district_ids: glow::Buffer,
    fill_indices: glow::Buffer,
    line_indices: glow::Buffer,
}

/// The GPU side of the map, shared between frames and the paint callbacks.
#[derive(Default)]
pub struct GlMapRenderer {
    program: Option<GlProgram>,
    /// The district colour table on the GPU, and the table it holds.
    colors: Option<(glow::Texture, Arc<Vec<[u8; 4]>>)>,
    uploaded: Vec<GlBuffers>,
    /// The program and buffer of round marks, made at their first use.
    pub(super) marks: Option<super::gl_marks::GlMarks>,
    /// The layer as an image of district ids, made at its first use.
    cache: Option<LayerCache>,
    /// The basemap's tile program, made at its first use.
    tiles: Option<super::gl_tiles::GlTiles>,
    /// Reference layers' lines: the program and each layer's quads, made at their first use.
    pub(super) lines: Option<super::gl_lines::GlLines>,
    /// Why the image could not be used (the layer is then drawn directly each frame).
    pub cache_failure: Option<String>,
    /// The map as last drawn in full, made at its first capture.
    pub(super) snapshot: Option<super::gl_snapshot::MapSnapshot>,
    /// Why the map could not be copied (frames are then drawn in full).
    pub snapshot_failure: Option<String>,
    /// The last paint drew the district image again (for `--frame-stats`; cleared by whoever
    /// reads it).
    pub image_redrawn: bool,
    /// Set when GL refused a shader or buffer; the map then draws on the CPU.
    pub failure: Option<String>,
}

/// One frame's drawing request.
struct FrameRequest {
    colors: Arc<Vec<[u8; 4]>>,
    fill_buffers: Arc<GpuBuffers>,
    line_buffers: Arc<GpuBuffers>,
    /// Index ranges in view, and in view with the image's margin.
    fills: Vec<Range<u32>>,
    lines: Vec<Range<u32>>,
    image_fills: Vec<Range<u32>>,
    image_lines: Vec<Range<u32>>,
    /// The layer origin's offset from the camera, split into f32 and what that leaves out.
    offset: [[f32; 2]; 2],
    scale: [f32; 2],
    outline: Color32,
    center_m: [f64; 2],
    m_per_point: f64,
    moving: bool,
    layer: DataId,
    over_basemap: bool,
    background_drawn: bool,
    tiles: Vec<super::gl_tiles::TileQuad>,
}

/// Positions and the camera offset come in two parts each (an f32 and its remainder): the big
/// parts cancel exactly near the camera, so far from the layer's origin nothing is lost.
const VERTEX_SHADER: &str = r#"
in vec2 a_pos;
in uint a_district;
in vec2 a_pos_lo;
uniform sampler2D u_colors;
uniform vec2 u_offset;
uniform vec2 u_offset_lo;
uniform vec2 u_scale;
uniform vec4 u_line_color;
uniform float u_use_line_color;
out vec4 v_color;
void main() {
    gl_Position = vec4(((a_pos + u_offset) + (a_pos_lo + u_offset_lo)) * u_scale, 0.0, 1.0);
    int d = int(a_district);
    vec4 fill = texelFetch(u_colors, ivec2(d % COLOR_TABLE_WIDTH, d / COLOR_TABLE_WIDTH), 0);
    v_color = mix(fill, u_line_color, u_use_line_color);
}
"#;

const FRAGMENT_SHADER: &str = r#"
in vec4 v_color;
out vec4 out_color;
void main() {
    out_color = v_color;
}
"#;

/// What to draw of a layer this frame.
pub struct LayerLook<'a> {
    /// Colour of each district (premultiplied RGBA).
    pub colors: &'a Arc<Vec<[u8; 4]>>,
    /// The level of detail for fills.
    pub fill_buffers: &'a Arc<GpuBuffers>,
    /// The level of detail for outlines (may be coarser: outlines cost software GL more per
    /// vertex than fills). Both levels share the layer's origin, so one offset serves both.
    pub line_buffers: &'a Arc<GpuBuffers>,
    /// Outline colour, or no outlines.
    pub outline: Option<Color32>,
    /// Which copy of the layer's data this is (while the camera moves, an image of it at
    /// another level of detail or zoom may be shown).
    pub layer: DataId,
    /// The camera is moving.
    pub moving: bool,
    /// A basemap is drawn under the layer: fills are blended.
    pub over_basemap: bool,
    /// The basemap's tiles, drawn first.
    pub tiles: Vec<super::gl_tiles::TileQuad>,
    /// The background and the basemap were drawn by [`paint_background`], with layers over them:
    /// nothing is cleared, `tiles` are not drawn, and the districts are blended over what is
    /// there.
    pub background_drawn: bool,
    /// The districts are hidden: only the background and the basemap are drawn.
    pub hidden: bool,
}

/// Turns premultiplied blending on (as egui paints) or off.
pub(super) unsafe fn set_blending(gl: &glow::Context, on: bool) {
    unsafe {
        if on {
            gl.enable(glow::BLEND);
            gl.blend_func_separate(
                glow::ONE,
                glow::ONE_MINUS_SRC_ALPHA,
                glow::ONE_MINUS_DST_ALPHA,
                glow::ONE,
            );
        } else {
            gl.disable(glow::BLEND);
        }
    }
}

/// Adds a paint callback that draws `look` as seen by `camera` into `rect`.
pub fn paint_districts(
    painter: &egui::Painter,
    renderer: &Arc<Mutex<GlMapRenderer>>,
    look: &LayerLook<'_>,
    camera: &Camera,
    rect: Rect,
) {
    let LayerLook {
        colors,
        fill_buffers,
        line_buffers,
        outline,
        layer,
        moving,
        over_basemap,
        ref tiles,
        background_drawn,
        hidden,
    } = *look;
    let span_x = camera.m_per_point * f64::from(rect.width()) / 2.0;
    let span_y = camera.m_per_point * f64::from(rect.height()) / 2.0;
    // What an image of the layer with its margin holds, for when one is drawn this frame.
    let [[x0, y0], [x1, y1]] = camera.visible_m(rect);
    let grow = super::gl_image::MARGIN;
    let (gx, gy) = ((x1 - x0) * grow, (y1 - y0) * grow);
    let ranges = |view_m: [[f64; 2]; 2]| {
        if hidden {
            return (Vec::new(), Vec::new());
        }
        let (fills, _) = fill_buffers.visible_ranges(view_m);
        let lines = if outline.is_some() {
            line_buffers.visible_ranges(view_m).1
        } else {
            Vec::new()
        };
        (fills, lines)
    };
    // Only what falls inside the painter's clip is drawn: a strip the held picture of the map
    // leaves uncovered (`gl_snapshot`) costs software GL its own districts, not the view's.
    let clip = painter.clip_rect().intersect(rect);
    let (fills, lines) = if clip == rect {
        ranges([[x0, y0], [x1, y1]])
    } else {
        ranges([
            camera.map_from_screen(rect, clip.left_bottom()),
            camera.map_from_screen(rect, clip.right_top()),
        ])
    };
    let (image_fills, image_lines) = ranges([[x0 - gx, y0 - gy], [x1 + gx, y1 + gy]]);
    let request = FrameRequest {
        colors: Arc::clone(colors),
        fill_buffers: Arc::clone(fill_buffers),
        line_buffers: Arc::clone(line_buffers),
        fills,
        lines,
        image_fills,
        image_lines,
        offset: split_offset(fill_buffers.origin_m, camera.center_m),
        scale: [(1.0 / span_x) as f32, (1.0 / span_y) as f32],
        outline: outline.unwrap_or(Color32::TRANSPARENT),
        center_m: camera.center_m,
        m_per_point: camera.m_per_point,
        moving,
        layer,
        over_basemap,
        background_drawn,
        tiles: tiles.clone(),
    };
    add_gl_callback(painter, renderer, rect, move |renderer, info, painter| {
        renderer.paint(painter, info, &request);
    });
}

/// Adds a paint callback over `rect` that runs `f` with the renderer (when its lock is not
/// poisoned), the callback's viewport and clip, and egui's GL painter.
pub(super) fn add_gl_callback(
    painter: &egui::Painter,
    renderer: &Arc<Mutex<GlMapRenderer>>,
    rect: Rect,
    f: impl Fn(&mut GlMapRenderer, &egui::PaintCallbackInfo, &egui_glow::Painter) + Send + Sync + 'static,
) {
    let renderer = Arc::clone(renderer);
    let callback = egui_glow::CallbackFn::new(move |info, painter| {
        if let Ok(mut renderer) = renderer.lock() {
            f(&mut renderer, &info, painter);
        }
    });
    painter.add(egui::PaintCallback {
        rect,
        callback: Arc::new(callback),
    });
}

/// Adds a paint callback that clears the map to its background and draws the basemap's `tiles`
/// into `rect`: what [`paint_districts`] does first, for a frame that draws layers between the
/// basemap and the districts.
pub fn paint_background(
    painter: &egui::Painter,
    renderer: &Arc<Mutex<GlMapRenderer>>,
    tiles: Vec<super::gl_tiles::TileQuad>,
    rect: Rect,
) {
    add_gl_callback(painter, renderer, rect, move |renderer, _info, painter| {
        if renderer.failure.is_none() {
            renderer.draw_background(painter, &tiles);
        }
    });
}

/// Visible fill and outline indices above which the district image is shown instead of the
/// geometry. Measured with benches/frame_times.sh on Mesa llvmpipe (3,000 districts, 200
/// offices), p95: 100,000 gave 16.4-17.1 ms, 50,000 15.2-15.7 ms, 25,000 15.5-16.8 ms.
const HEAVY_INDICES: usize = 50_000;

/// Buffer sets kept on the GPU; older ones whose layer is gone are freed.
const MAX_UPLOADED: usize = 16;

impl GlMapRenderer {
    /// Clears the map's rectangle to its background and draws the basemap's `tiles`; false
    /// when GL refused the tile program (then `failure` says why).
    fn draw_background(&mut self, painter: &egui_glow::Painter, tiles: &[super::gl_tiles::TileQuad]) -> bool {
        let gl = painter.gl().as_ref();
        // The map's background (the window's clear colour is the panels'), within the scissor
        // egui set to the map's rectangle: a clear, far cheaper on software GL than a quad.
        let [br, bg, bb, ba] = super::style::colors::BACKGROUND.to_normalized_gamma_f32();
        unsafe {
            gl.clear_color(br, bg, bb, ba);
            gl.clear(glow::COLOR_BUFFER_BIT);
        }
        if tiles.is_empty() {
            return true;
        }
        if self.tiles.is_none() {
            match unsafe { super::gl_tiles::GlTiles::new(gl) } {
                Ok(t) => self.tiles = Some(t),
                Err(e) => {
                    self.failure = Some(e);
                    return false;
                }
            }
        }
        if let Some(program) = &self.tiles {
            unsafe { program.draw(gl, painter, tiles) };
        }
        true
    }

    fn paint(&mut self, painter: &egui_glow::Painter, info: &egui::PaintCallbackInfo, r: &FrameRequest) {
        let (gl, target) = (painter.gl().as_ref(), painter.intermediate_fbo());
        if self.failure.is_some() || !(r.background_drawn || self.draw_background(painter, &r.tiles)) {
            return;
        }
        // Fills are blended over what lies under the districts (translucent over a basemap,
        // opaque over reference layers), and pixels without a district are left alone.
        let see_through = r.over_basemap || r.background_drawn;
        if self.program.is_none() {
            match unsafe { create_program(gl) } {
                Ok(p) => self.program = Some(p),
                Err(e) => {
                    self.failure = Some(e);
                    return;
                }
            }
        }
        let (Some(fill_index), Some(line_index)) = (
            self.ensure_uploaded(gl, &r.fill_buffers),
            self.ensure_uploaded(gl, &r.line_buffers),
        ) else {
            return;
        };
        if !self
            .colors
            .as_ref()
            .is_some_and(|(_, table)| Arc::ptr_eq(table, &r.colors))
        {
            match unsafe { upload_colors(gl, self.colors.take().map(|(t, _)| t), &r.colors) } {
                Ok(texture) => self.colors = Some((texture, Arc::clone(&r.colors))),
                Err(e) => {
                    self.failure = Some(e);
                    return;
                }
            }
        }
        let (Some(p), Some(fb), Some(lb), Some((color_texture, _))) = (
            &self.program,
            self.uploaded.get(fill_index),
            self.uploaded.get(line_index),
            &self.colors,
        ) else {
            return;
        };
        let line_color = r.outline.to_normalized_gamma_f32();
        if self.cache.is_none() && self.cache_failure.is_none() {
            match unsafe { LayerCache::new(gl, COLOR_TABLE_WIDTH) } {
                Ok(cache) => self.cache = Some(cache),
                Err(e) => self.cache_failure = Some(e),
            }
        }
        if let Some(cache) = &mut self.cache {
            let v = info.viewport_in_pixels();
            let view = CacheView {
                pixels: super::gl_image::PixelView {
                    center_m: r.center_m,
                    m_per_px: r.m_per_point / f64::from(info.pixels_per_point),
                    viewport_px: [v.left_px, v.from_bottom_px, v.width_px, v.height_px],
                },
                moving: r.moving,
                content: CacheContent {
                    layer: r.layer,
                    fill: Arc::as_ptr(&r.fill_buffers) as usize,
                    line: Arc::as_ptr(&r.line_buffers) as usize,
                    outline: r.outline != Color32::TRANSPARENT,
                },
            };
            // Light views are drawn directly: on software GL a screen of texture samples costs
            // more than a few tens of thousands of indices of flat triangles and lines. Heavy ones come from the
            // image; while the camera moves it is not redrawn (a screen and its margins of full
            // detail at once would stall the motion), and the coarse geometry is drawn instead.
            let indices: usize = r.fills.iter().chain(&r.lines).map(|x| x.len()).sum();
            let draw_directly = indices < HEAVY_INDICES || (view.moving && cache.needs_drawing(&view));
            if !draw_directly && cache.needs_drawing(&view) {
                let started = unsafe { cache.start_drawing(gl, &view, r.fill_buffers.origin_m) };
                if let Err(e) = started {
                    unsafe { cache.finish_drawing(gl, info, target) };
                    if let Some(cache) = self.cache.take() {
                        unsafe { cache.destroy(gl) };
                    }
                    self.cache_failure = Some(e);
                    return self.paint(painter, info, r);
                }
                unsafe {
                    draw_layer(gl, fb, lb, &r.image_fills, &r.image_lines, || {
                        cache.drawing_lines(gl, true)
                    });
                    cache.finish_drawing(gl, info, target);
                }
                self.image_redrawn = true;
            }
            let colors = (*color_texture, Arc::as_ptr(&r.colors) as usize);
            let background = if see_through {
                [0.0; 4]
            } else {
                super::style::colors::BACKGROUND.to_normalized_gamma_f32()
            };
            if !draw_directly {
                unsafe { cache.show(gl, info, target, &view, colors, line_color, background) };
                return;
            }
        }
        let [red, green, blue, alpha] = line_color;
        unsafe {
            gl.use_program(Some(p.program));
            gl.active_texture(glow::TEXTURE0);
            gl.bind_texture(glow::TEXTURE_2D, Some(*color_texture));
            gl.uniform_1_i32(p.u_colors.as_ref(), 0);
            // Fills and outlines are opaque: no blending, which saves software GL a read per
            // pixel; over a basemap fills are translucent (premultiplied colours).
            set_blending(gl, see_through);
            gl.uniform_2_f32(p.u_offset.as_ref(), r.offset[0][0], r.offset[0][1]);
            gl.uniform_2_f32(p.u_offset_lo.as_ref(), r.offset[1][0], r.offset[1][1]);
            gl.uniform_2_f32(p.u_scale.as_ref(), r.scale[0], r.scale[1]);
            gl.uniform_4_f32(p.u_line_color.as_ref(), red, green, blue, alpha);
            gl.uniform_1_f32(p.u_use_line_color.as_ref(), 0.0);
            draw_layer(gl, fb, lb, &r.fills, &r.lines, || {
                gl.uniform_1_f32(p.u_use_line_color.as_ref(), 1.0)
            });
            gl.bind_texture(glow::TEXTURE_2D, None);
            gl.use_program(None);
            gl.enable(glow::BLEND);
        }
    }

    /// The position in `uploaded` of `buffers`, uploading them first if needed.
    fn ensure_uploaded(&mut self, gl: &glow::Context, buffers: &Arc<GpuBuffers>) -> Option<usize> {
        if let Some(i) = self.uploaded.iter().position(|u| Arc::ptr_eq(&u.source, buffers)) {
            return Some(i);
        }
        self.free_unused(gl);
        match unsafe { upload(gl, buffers) } {
            Ok(u) => {
                self.uploaded.push(u);
                Some(self.uploaded.len() - 1)
            }
            Err(e) => {
                self.failure = Some(e);
                None
            }
        }
    }

    /// Frees buffer sets of layers nobody draws any more.
    fn free_unused(&mut self, gl: &glow::Context) {
        let (keep, drop): (Vec<GlBuffers>, Vec<GlBuffers>) = std::mem::take(&mut self.uploaded)
            .into_iter()
            .partition(|u| Arc::strong_count(&u.source) > 1);
        self.uploaded = keep;
        for u in drop {
            unsafe { delete_buffers(gl, u) };
        }
        while self.uploaded.len() >= MAX_UPLOADED {
            let u = self.uploaded.remove(0);
            unsafe { delete_buffers(gl, u) };
        }
    }

    /// Frees every GL object; call with the context that made them, at exit.
    pub fn destroy(&mut self, gl: &glow::Context) {
        if let Some((texture, _)) = self.colors.take() {
            unsafe { gl.delete_texture(texture) };
        }
        for u in std::mem::take(&mut self.uploaded) {
            unsafe { delete_buffers(gl, u) };
        }
        if let Some(p) = self.program.take() {
            unsafe { gl.delete_program(p.program) };
        }
        if let Some(marks) = self.marks.take() {
            unsafe { marks.destroy(gl) };
        }
        if let Some(cache) = self.cache.take() {
            unsafe { cache.destroy(gl) };
        }
        if let Some(tiles) = self.tiles.take() {
            unsafe { tiles.destroy(gl) };
        }
        if let Some(lines) = self.lines.take() {
            unsafe { lines.destroy(gl) };
        }
        self.destroy_snapshot(gl);
    }
}

/// Draws the fill triangles in `fills` of `fb`, then (after `before_lines`) the outline strips
/// in `lines` of `lb`, with the program and uniforms already set.
unsafe fn draw_layer(
    gl: &glow::Context,
    fb: &GlBuffers,
    lb: &GlBuffers,
    fills: &[Range<u32>],
    lines: &[Range<u32>],
    before_lines: impl FnOnce(),
) {
    let draw = |mode: u32, ranges: &[Range<u32>]| {
        for range in ranges {
            unsafe { gl.draw_elements(mode, range.len() as i32, glow::UNSIGNED_INT, range.start as i32 * 4) };
        }
    };
    unsafe {
        gl.bind_vertex_array(Some(fb.vertex_array));
        gl.bind_buffer(glow::ELEMENT_ARRAY_BUFFER, Some(fb.fill_indices));
        draw(glow::TRIANGLES, fills);
        if !lines.is_empty() {
            before_lines();
            gl.bind_vertex_array(Some(lb.vertex_array));
            gl.bind_buffer(glow::ELEMENT_ARRAY_BUFFER, Some(lb.line_indices));
            gl.enable(glow::PRIMITIVE_RESTART_FIXED_INDEX);
            draw(glow::LINE_STRIP, lines);
            gl.disable(glow::PRIMITIVE_RESTART_FIXED_INDEX);
        }
        gl.bind_vertex_array(None);
    }
}

unsafe fn create_program(gl: &glow::Context) -> Result<GlProgram, String> {
    unsafe {
        let program = compile_program(
            gl,
            "map",
            &format!("#define COLOR_TABLE_WIDTH {COLOR_TABLE_WIDTH}\n{VERTEX_SHADER}"),
            FRAGMENT_SHADER,
            &["a_pos", "a_district", "a_pos_lo"],
        )?;
        Ok(GlProgram {
            u_offset: gl.get_uniform_location(program, "u_offset"),
            u_offset_lo: gl.get_uniform_location(program, "u_offset_lo"),
            u_scale: gl.get_uniform_location(program, "u_scale"),
            u_line_color: gl.get_uniform_location(program, "u_line_color"),
            u_use_line_color: gl.get_uniform_location(program, "u_use_line_color"),
            u_colors: gl.get_uniform_location(program, "u_colors"),
            program,
        })
    }
}

/// Compiles and links a GLSL 3.30 program whose vertex attributes are `attributes`, in order of
/// location. `what` names it in error messages.
pub(super) unsafe fn compile_program(
    gl: &glow::Context,
    what: &str,
    vertex: &str,
    fragment: &str,
    attributes: &[&str],
) -> Result<glow::Program, String> {
    unsafe {
        let program = gl.create_program()?;
        let mut shaders = Vec::new();
        for (kind, source) in [(glow::VERTEX_SHADER, vertex), (glow::FRAGMENT_SHADER, fragment)] {
            let shader = gl.create_shader(kind)?;
            gl.shader_source(shader, &format!("#version 330\n{source}"));
            gl.compile_shader(shader);
            if !gl.get_shader_compile_status(shader) {
                return Err(format!(
                    "{what} shader did not compile: {}",
                    gl.get_shader_info_log(shader)
                ));
            }
            gl.attach_shader(program, shader);
            shaders.push(shader);
        }
        for (location, name) in attributes.iter().enumerate() {
            gl.bind_attrib_location(program, location as u32, name);
        }
        gl.link_program(program);
        if !gl.get_program_link_status(program) {
            return Err(format!(
                "{what} shader did not link: {}",
                gl.get_program_info_log(program)
            ));
        }
        for shader in shaders {
            gl.detach_shader(program, shader);
            gl.delete_shader(shader);
        }
        Ok(program)
    }
}

/// `origin_m - center_m` as the shaders take it: an f32 per axis and the f32 of what it leaves
/// out (`[[x, y], [x_lo, y_lo]]`).
pub(super) fn split_offset(origin_m: [f64; 2], center_m: [f64; 2]) -> [[f32; 2]; 2] {
    let (x, x_lo) = super::scene::split_f32(origin_m[0] - center_m[0]);
    let (y, y_lo) = super::scene::split_f32(origin_m[1] - center_m[1]);
    [[x, y], [x_lo, y_lo]]
}

/// Texels per row of the district colour table.
const COLOR_TABLE_WIDTH: usize = 2048;

/// Uploads the district colour table into `texture` (made if `None`).
unsafe fn upload_colors(
    gl: &glow::Context,
    texture: Option<glow::Texture>,
    table: &[[u8; 4]],
) -> Result<glow::Texture, String> {
    unsafe {
        let texture = match texture {
            Some(t) => t,
            None => gl.create_texture()?,
        };
        let rows = table.len().div_ceil(COLOR_TABLE_WIDTH).max(1);
        let mut texels = table.to_vec();
        texels.resize(rows * COLOR_TABLE_WIDTH, [0, 0, 0, 255]);
        gl.bind_texture(glow::TEXTURE_2D, Some(texture));
        gl.tex_parameter_i32(glow::TEXTURE_2D, glow::TEXTURE_MIN_FILTER, glow::NEAREST as i32);
        gl.tex_parameter_i32(glow::TEXTURE_2D, glow::TEXTURE_MAG_FILTER, glow::NEAREST as i32);
        gl.tex_image_2d(
            glow::TEXTURE_2D,
            0,
            glow::RGBA8 as i32,
            COLOR_TABLE_WIDTH as i32,
            rows as i32,
            0,
            glow::RGBA,
            glow::UNSIGNED_BYTE,
            glow::PixelUnpackData::Slice(Some(bytemuck::cast_slice(&texels))),
        );
        gl.bind_texture(glow::TEXTURE_2D, None);
        Ok(texture)
    }
}

unsafe fn upload(gl: &glow::Context, b: &Arc<GpuBuffers>) -> Result<GlBuffers, String> {
    unsafe {
        let vertex_array = gl.create_vertex_array()?;
        let positions = gl.create_buffer()?;
        let positions_lo = gl.create_buffer()?;
        let district_ids = gl.create_buffer()?;
        let fill_indices = gl.create_buffer()?;
        let line_indices = gl.create_buffer()?;
        gl.bind_vertex_array(Some(vertex_array));
        let fill = |target: u32, buffer: glow::Buffer, bytes: &[u8]| {
            gl.bind_buffer(target, Some(buffer));
            gl.buffer_data_u8_slice(target, bytes, glow::STATIC_DRAW);
        };
        fill(glow::ARRAY_BUFFER, positions, bytemuck::cast_slice(&b.positions));
        gl.enable_vertex_attrib_array(0);
        gl.vertex_attrib_pointer_f32(0, 2, glow::FLOAT, false, 8, 0);
        fill(glow::ARRAY_BUFFER, district_ids, bytemuck::cast_slice(&b.district_ids));
        gl.enable_vertex_attrib_array(1);
        gl.vertex_attrib_pointer_i32(1, 1, glow::UNSIGNED_INT, 4, 0);
        fill(glow::ARRAY_BUFFER, positions_lo, bytemuck::cast_slice(&b.positions_lo));
        gl.enable_vertex_attrib_array(2);
        gl.vertex_attrib_pointer_f32(2, 2, glow::FLOAT, false, 8, 0);
        fill(
            glow::ELEMENT_ARRAY_BUFFER,
            fill_indices,
            bytemuck::cast_slice(&b.fill_indices),
        );
        fill(
            glow::ELEMENT_ARRAY_BUFFER,
            line_indices,
            bytemuck::cast_slice(&b.line_indices),
        );
        gl.bind_vertex_array(None);
        gl.bind_buffer(glow::ARRAY_BUFFER, None);
        Ok(GlBuffers {
            source: Arc::clone(b),
            vertex_array,
            positions,
            positions_lo,
            district_ids,
            fill_indices,
            line_indices,
        })
    }
}

unsafe fn delete_buffers(gl: &glow::Context, u: GlBuffers) {
    unsafe {
        gl.delete_vertex_array(u.vertex_array);
        for b in [
            u.positions,
            u.positions_lo,
            u.district_ids,
            u.fill_indices,
            u.line_indices,
        ] {
            gl.delete_buffer(b);
        }
    }
}
