//! Reference layers' lines and outlines with OpenGL: every segment is a quad whose corners sit
//! on the segment's ends and are pushed sideways (and half a width past each end, so that
//! segments meet without notches) by the line's half width in the vertex shader. The quads of a
//! layer are uploaded once, in Web Mercator metres from the layer's first vertex (an f32 and its
//! remainder, as the districts' are), paths in Hilbert order through their boxes' centres and
//! cut into chunks with bounding boxes; each frame draws the runs of chunks in view with the
//! camera as uniforms: panning and zooming a 10,000-road layer builds nothing on the CPU, and at
//! street zoom the GPU (llvmpipe: the CPU) sees only the roads near the view.
#![allow(unsafe_code)]
// SAFETY (whole module): every `unsafe` block is a glow call on the context eframe hands to the
// paint callback, on eframe's render thread, with the buffers and program this module created on
// that same context; slices passed to GL outlive the calls.

use std::sync::{Arc, Mutex};

use eframe::glow::{self, HasContext};
use egui::{Color32, Rect};

use super::camera::Camera;
use super::gl_image::PixelView;
use super::gl_lines_image::{LinesImages, LinesLook};
use super::gl_paint::{GlMapRenderer, compile_program, split_offset};
use super::scene::{hilbert_order, split_f32};
use crate::map::FeatureDrawing;
use crate::workspace::{DataId, FeatureLayer};

/// Levels of detail (of all layers) kept on the GPU at most; the least recently drawn goes
/// first.
const MAX_LEVELS: usize = 32;
/// Lines are simplified to at most this many screen points from their true course (the
/// coarsest level of detail below it is drawn): llvmpipe's cost is the vertices.
const TOLERANCE_POINTS: f64 = 0.6;

/// One corner of a segment's quad.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub struct LineVertex {
    /// The segment end, metres from the layer's origin (f32).
    pos: [f32; 2],
    /// What the f32 left out.
    pos_lo: [f32; 2],
    /// The way the corner is pushed, in half widths: sideways and past the end (y up).
    offset: [f32; 2],
}

/// Visible indices (six per segment) above which a layer is shown from a picture while the
/// camera moves; the same measure as the district layer's (`gl_paint::HEAVY_INDICES`).
const HEAVY_LINE_INDICES: usize = 50_000;

/// Segments per chunk: small enough that a street view draws little beyond it, large enough
/// that a whole-layer view is a few draw calls.
const CHUNK_SEGMENTS: usize = 1024;

/// A run of quads that lie together on the map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LineChunk {
    /// Box of its segments' ends, metres from the layer's origin: `[[min_x, min_y], [max_x, max_y]]`.
    pub bbox_m: [[f64; 2]; 2],
    /// Its first index in the index buffer.
    pub first_index: u32,
    /// Its indices.
    pub index_count: u32,
}

/// The quads of a layer at one level of detail.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineQuads {
    /// Four corners per segment.
    pub vertices: Vec<LineVertex>,
    /// Six indices per segment, chunk by chunk.
    pub indices: Vec<u32>,
    /// The chunks, in index order.
    pub chunks: Vec<LineChunk>,
}

/// The level of detail for a view at `m_per_point`: its tolerance is `2^level` metres.
pub fn level_for(m_per_point: f64) -> u32 {
    (TOLERANCE_POINTS * m_per_point)
        .max(1.0)
        .log2()
        .floor()
        .clamp(0.0, 30.0) as u32
}

/// The quads of every path of `drawing`, simplified (Douglas-Peucker) to `tolerance_m`, metres
/// from `origin_m`: four vertices and six indices per segment, paths in Hilbert order through
/// their boxes' centres, cut into chunks of [`CHUNK_SEGMENTS`] (the last one fewer). A path that simplifies to
/// less than the tolerance is left out.
pub fn line_quads(drawing: &FeatureDrawing, origin_m: [f64; 2], tolerance_m: f64) -> LineQuads {
    use geo::Simplify;
    let mut quads = LineQuads::default();
    let mut chunk_box = EMPTY_BOX;
    let mut chunk_start = 0usize;
    for p in spatial_order(drawing) {
        let path = drawing.path(p);
        let simplified: Vec<[f64; 2]> = if tolerance_m > 0.0 && path.len() > 2 {
            let line: geo::LineString<f64> = path.iter().map(|&[x, y]| geo::coord! { x: x, y: y }).collect();
            line.simplify(tolerance_m).0.iter().map(|c| [c.x, c.y]).collect()
        } else {
            path.to_vec()
        };
        if let [a, b] = simplified.as_slice()
            && (b[0] - a[0]).hypot(b[1] - a[1]) < tolerance_m
        {
            continue;
        }
        for w in simplified.windows(2) {
            let (a, b) = (w[0], w[1]);
            let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
            let len = dx.hypot(dy);
            if len.is_nan() || len <= 0.0 {
                continue;
            }
            let (ux, uy) = ((dx / len) as f32, (dy / len) as f32);
            let (nx, ny) = (-uy, ux);
            let base = quads.vertices.len() as u32;
            for (end, along, side) in [(a, -1.0f32, 1.0f32), (a, -1.0, -1.0), (b, 1.0, -1.0), (b, 1.0, 1.0)] {
                let local = [end[0] - origin_m[0], end[1] - origin_m[1]];
                let (x, x_lo) = split_f32(local[0]);
                let (y, y_lo) = split_f32(local[1]);
                quads.vertices.push(LineVertex {
                    pos: [x, y],
                    pos_lo: [x_lo, y_lo],
                    offset: [nx * side + ux * along, ny * side + uy * along],
                });
                chunk_box = grow(chunk_box, local);
            }
            quads
                .indices
                .extend_from_slice(&[base, base + 1, base + 2, base, base + 2, base + 3]);
            // Every segment is a quad of its own, so a chunk may end inside a path: a river or
            // coastline of 100,000 vertices is cut into local pieces too.
            if quads.indices.len() - chunk_start >= 6 * CHUNK_SEGMENTS {
                push_chunk(&mut quads, &mut chunk_start, &mut chunk_box);
            }
        }
    }
    if quads.indices.len() > chunk_start {
        push_chunk(&mut quads, &mut chunk_start, &mut chunk_box);
    }
    quads
}

const EMPTY_BOX: [[f64; 2]; 2] = [[f64::INFINITY; 2], [f64::NEG_INFINITY; 2]];

fn grow([lo, hi]: [[f64; 2]; 2], p: [f64; 2]) -> [[f64; 2]; 2] {
    [[lo[0].min(p[0]), lo[1].min(p[1])], [hi[0].max(p[0]), hi[1].max(p[1])]]
}

fn push_chunk(quads: &mut LineQuads, chunk_start: &mut usize, chunk_box: &mut [[f64; 2]; 2]) {
    quads.chunks.push(LineChunk {
        bbox_m: *chunk_box,
        first_index: *chunk_start as u32,
        index_count: (quads.indices.len() - *chunk_start) as u32,
    });
    *chunk_start = quads.indices.len();
    *chunk_box = EMPTY_BOX;
}

/// The paths of `drawing` along a Hilbert curve through their bounding boxes' centres.
fn spatial_order(drawing: &FeatureDrawing) -> Vec<u32> {
    let centres_m: Vec<[f64; 2]> = (0..drawing.path_ends.len() as u32)
        .map(|p| {
            let b = drawing.path(p).iter().fold(EMPTY_BOX, |b, &q| grow(b, q));
            [(b[0][0] + b[1][0]) / 2.0, (b[0][1] + b[1][1]) / 2.0]
        })
        .collect();
    let all = centres_m.iter().fold(EMPTY_BOX, |b, &c| grow(b, c));
    hilbert_order(&centres_m, all).into_iter().map(|p| p as u32).collect()
}

/// The runs of consecutive chunks that meet the box `view_m` (metres from the layer's origin),
/// as (first index, index count).
pub fn visible_runs(chunks: &[LineChunk], view_m: [[f64; 2]; 2]) -> Vec<(u32, u32)> {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    let meets = |b: &[[f64; 2]; 2]| {
        b[0][0] <= view_m[1][0] && b[1][0] >= view_m[0][0] && b[0][1] <= view_m[1][1] && b[1][1] >= view_m[0][1]
    };
    for chunk in chunks.iter().filter(|c| meets(&c.bbox_m)) {
        match runs.last_mut() {
            Some((first, count)) if *first + *count == chunk.first_index => *count += chunk.index_count,
            _ => runs.push((chunk.first_index, chunk.index_count)),
        }
    }
    runs
}

const VERTEX_SHADER: &str = r#"
in vec2 a_pos;
in vec2 a_pos_lo;
in vec2 a_offset;
uniform vec2 u_offset;
uniform vec2 u_offset_lo;
uniform vec2 u_scale;
uniform vec2 u_ndc_per_point;
uniform float u_half_width;
void main() {
    vec2 p = ((a_pos + u_offset) + (a_pos_lo + u_offset_lo)) * u_scale;
    gl_Position = vec4(p + a_offset * u_half_width * u_ndc_per_point, 0.0, 1.0);
}
"#;

const FRAGMENT_SHADER: &str = r#"
uniform vec4 u_color;
out vec4 out_color;
void main() {
    out_color = u_color;
}
"#;

/// A layer's quads on the GPU.
struct LayerLines {
    /// Identity of the layer data (its `Arc`) and the level of detail.
    layer: (DataId, u32),
    vertex_array: glow::VertexArray,
    vertices: glow::Buffer,
    indices: glow::Buffer,
    chunks: Vec<LineChunk>,
    origin_m: [f64; 2],
    last_used: u64,
}

/// The lines program and the layers uploaded.
pub(super) struct GlLines {
    program: glow::Program,
    u_offset: Option<glow::UniformLocation>,
    u_offset_lo: Option<glow::UniformLocation>,
    u_scale: Option<glow::UniformLocation>,
    u_ndc_per_point: Option<glow::UniformLocation>,
    u_half_width: Option<glow::UniformLocation>,
    u_color: Option<glow::UniformLocation>,
    layers: Vec<LayerLines>,
    uses: u64,
    /// Heavy layers as pictures, for a moving camera.
    images: LinesImages,
}

/// What one call draws.
struct LinesRequest {
    layer: Arc<FeatureLayer>,
    level: u32,
    /// The level of detail once the camera rests (pictures are drawn at it).
    rest_level: u32,
    /// The camera has rested a while: a heavy layer's picture is brought up to date.
    settled: bool,
    color: Color32,
    half_width_pt: f32,
    center_m: [f64; 2],
    m_per_point: f64,
    rect_size: [f32; 2],
}

/// How much coarser lines are drawn while the camera moves (as the districts are).
const MOVING_COARSER: f64 = 4.0;

/// Adds a paint callback that draws every line and polygon outline of `layer` in `color`
/// (premultiplied), `width_pt` wide, over the map in `rect` seen by `camera`; coarser while
/// `moving`, and from a picture (`gl_lines_image`) for a heavy layer until the camera has
/// `settled`.
#[allow(clippy::too_many_arguments)]
pub fn paint_lines(
    painter: &egui::Painter,
    renderer: &Arc<Mutex<GlMapRenderer>>,
    layer: &Arc<FeatureLayer>,
    color: Color32,
    width_pt: f32,
    camera: &Camera,
    rect: Rect,
    (moving, settled): (bool, bool),
) {
    if layer.drawing.path_ends.is_empty() {
        return;
    }
    let request = LinesRequest {
        layer: Arc::clone(layer),
        level: level_for(camera.m_per_point * if moving { MOVING_COARSER } else { 1.0 }),
        rest_level: level_for(camera.m_per_point),
        settled,
        color,
        half_width_pt: width_pt.max(0.5) / 2.0,
        center_m: camera.center_m,
        m_per_point: camera.m_per_point,
        rect_size: [rect.width(), rect.height()],
    };
    super::gl_paint::add_gl_callback(painter, renderer, rect, move |renderer, info, painter| {
        renderer.paint_lines(painter.gl(), info, painter.intermediate_fbo(), &request);
    });
}

impl GlLines {
    unsafe fn new(gl: &glow::Context) -> Result<Self, String> {
        unsafe {
            let program = compile_program(
                gl,
                "reference lines",
                VERTEX_SHADER,
                FRAGMENT_SHADER,
                &["a_pos", "a_pos_lo", "a_offset"],
            )?;
            Ok(Self {
                u_offset: gl.get_uniform_location(program, "u_offset"),
                u_offset_lo: gl.get_uniform_location(program, "u_offset_lo"),
                u_scale: gl.get_uniform_location(program, "u_scale"),
                u_ndc_per_point: gl.get_uniform_location(program, "u_ndc_per_point"),
                u_half_width: gl.get_uniform_location(program, "u_half_width"),
                u_color: gl.get_uniform_location(program, "u_color"),
                program,
                layers: Vec::new(),
                uses: 0,
                images: LinesImages::new(gl)?,
            })
        }
    }

    /// The uploaded quads of `layer` at `level`, uploading them (and dropping the least
    /// recently used level beyond [`MAX_LEVELS`]) the first time.
    unsafe fn layer(&mut self, gl: &glow::Context, layer: &Arc<FeatureLayer>, level: u32) -> Result<usize, String> {
        self.uses += 1;
        let key = (layer.data_id(), level);
        if let Some(k) = self.layers.iter().position(|l| l.layer == key) {
            self.layers[k].last_used = self.uses;
            return Ok(k);
        }
        if self.layers.len() >= MAX_LEVELS
            && let Some(oldest) = (0..self.layers.len()).min_by_key(|&k| self.layers[k].last_used)
        {
            let old = self.layers.swap_remove(oldest);
            unsafe { delete_layer(gl, old) };
        }
        let origin_m = layer.drawing.path_positions_m.first().copied().unwrap_or([0.0; 2]);
        let tolerance_m = if level == 0 { 0.0 } else { f64::from(1u32 << level) };
        let LineQuads {
            vertices,
            indices,
            chunks,
        } = line_quads(&layer.drawing, origin_m, tolerance_m);
        unsafe {
            let vertex_array = gl.create_vertex_array()?;
            let vertex_buffer = gl.create_buffer()?;
            let index_buffer = gl.create_buffer()?;
            gl.bind_vertex_array(Some(vertex_array));
            gl.bind_buffer(glow::ARRAY_BUFFER, Some(vertex_buffer));
            gl.buffer_data_u8_slice(glow::ARRAY_BUFFER, bytemuck::cast_slice(&vertices), glow::STATIC_DRAW);
            gl.bind_buffer(glow::ELEMENT_ARRAY_BUFFER, Some(index_buffer));
            gl.buffer_data_u8_slice(
                glow::ELEMENT_ARRAY_BUFFER,
                bytemuck::cast_slice(&indices),
                glow::STATIC_DRAW,
            );
            let stride = size_of::<LineVertex>() as i32;
            for (location, offset) in [(0, 0), (1, 8), (2, 16)] {
                gl.enable_vertex_attrib_array(location);
                gl.vertex_attrib_pointer_f32(location, 2, glow::FLOAT, false, stride, offset);
            }
            gl.bind_vertex_array(None);
            gl.bind_buffer(glow::ARRAY_BUFFER, None);
            gl.bind_buffer(glow::ELEMENT_ARRAY_BUFFER, None);
            self.layers.push(LayerLines {
                layer: key,
                vertex_array,
                vertices: vertex_buffer,
                indices: index_buffer,
                chunks,
                origin_m,
                last_used: self.uses,
            });
        }
        Ok(self.layers.len() - 1)
    }

    unsafe fn draw(
        &mut self,
        gl: &glow::Context,
        info: &egui::PaintCallbackInfo,
        target: Option<glow::Framebuffer>,
        request: &LinesRequest,
    ) -> Result<(), String> {
        let k = unsafe { self.layer(gl, &request.layer, request.level)? };
        let screen = LinesView {
            center_m: request.center_m,
            m_per_point: request.m_per_point,
            size_points: request.rect_size,
        };
        let runs = visible_runs(
            &self.layers[k].chunks,
            screen.reach_m(self.layers[k].origin_m, request.half_width_pt),
        );
        let indices: u32 = runs.iter().map(|r| r.1).sum();
        if (indices as usize) < HEAVY_LINE_INDICES {
            unsafe { self.draw_runs(gl, k, &runs, &screen, request) };
            return Ok(());
        }
        let ppp = f64::from(info.pixels_per_point);
        let v = info.viewport_in_pixels();
        let pixels = PixelView {
            center_m: request.center_m,
            m_per_px: request.m_per_point / ppp,
            viewport_px: [v.left_px, v.from_bottom_px, v.width_px, v.height_px],
        };
        let look = LinesLook {
            layer: request.layer.data_id(),
            color: request.color.to_array(),
            half_width_bits: request.half_width_pt.to_bits(),
        };
        // A strip around the map's held picture (`gl_snapshot`) that the lines' picture no longer
        // serves: when few lines cross it they are drawn as they are, rather than a picture of
        // the whole view and its margin drawn again.
        let c = info.clip_rect_in_pixels();
        let strip_only =
            i64::from(c.width_px) * i64::from(c.height_px) < i64::from(v.width_px) * i64::from(v.height_px);
        if strip_only && !request.settled && !self.images.serves(look, &pixels, false) {
            let middle = |start: i32, length: i32| f64::from(start) + f64::from(length) / 2.0;
            let offset_m = |clip: f64, view: f64| (clip - view) / ppp * request.m_per_point;
            let strip = LinesView {
                center_m: [
                    request.center_m[0] + offset_m(middle(c.left_px, c.width_px), middle(v.left_px, v.width_px)),
                    request.center_m[1]
                        + offset_m(
                            middle(c.from_bottom_px, c.height_px),
                            middle(v.from_bottom_px, v.height_px),
                        ),
                ],
                m_per_point: request.m_per_point,
                size_points: [c.width_px, c.height_px].map(|px| (f64::from(px) / ppp) as f32),
            };
            let strip_runs = visible_runs(
                &self.layers[k].chunks,
                strip.reach_m(self.layers[k].origin_m, request.half_width_pt),
            );
            if (strip_runs.iter().map(|r| r.1 as usize).sum::<usize>()) < HEAVY_LINE_INDICES {
                unsafe { self.draw_runs(gl, k, &strip_runs, &screen, request) };
                return Ok(());
            }
        }
        // Settled: the picture at full detail. Moving: a picture at the coarse level when the
        // held one no longer serves (one heavier frame, then many light ones).
        let redraw_level = if request.settled {
            (!self.images.is_current(look, &pixels, request.rest_level)).then_some(request.rest_level)
        } else {
            (!self.images.serves(look, &pixels, false)).then_some(request.level)
        };
        if let Some(level) = redraw_level {
            let at = unsafe { self.layer(gl, &request.layer, level)? };
            let frame = unsafe { self.images.start_drawing(gl, look, &pixels, level)? };
            let whole = LinesView {
                center_m: frame.center_m,
                m_per_point: frame.m_per_px * ppp,
                size_points: frame.size_px.map(|px| (f64::from(px) / ppp) as f32),
            };
            let runs = visible_runs(
                &self.layers[at].chunks,
                whole.reach_m(self.layers[at].origin_m, request.half_width_pt),
            );
            unsafe {
                self.draw_runs(gl, at, &runs, &whole, request);
                super::gl_image::restore_target(gl, info, target);
            }
        }
        if !unsafe { self.images.show(gl, look, &pixels, request.settled) } {
            // Uploading the picture's level may have evicted another and moved this one's slot.
            let k = unsafe { self.layer(gl, &request.layer, request.level)? };
            unsafe { self.draw_runs(gl, k, &runs, &screen, request) };
        }
        Ok(())
    }

    /// Draws the index `runs` of uploaded layer `k` into the bound viewport, which shows `view`.
    unsafe fn draw_runs(
        &self,
        gl: &glow::Context,
        k: usize,
        runs: &[(u32, u32)],
        view: &LinesView,
        request: &LinesRequest,
    ) {
        let layer = &self.layers[k];
        let [w, h] = view.size_points;
        let [[x, y], [x_lo, y_lo]] = split_offset(layer.origin_m, view.center_m);
        let rgba = request.color.to_normalized_gamma_f32();
        unsafe {
            gl.use_program(Some(self.program));
            gl.uniform_2_f32(self.u_offset.as_ref(), x, y);
            gl.uniform_2_f32(self.u_offset_lo.as_ref(), x_lo, y_lo);
            let scale = |points: f32| (2.0 / (f64::from(points) * view.m_per_point)) as f32;
            gl.uniform_2_f32(self.u_scale.as_ref(), scale(w), scale(h));
            gl.uniform_2_f32(self.u_ndc_per_point.as_ref(), 2.0 / w, 2.0 / h);
            gl.uniform_1_f32(self.u_half_width.as_ref(), request.half_width_pt);
            gl.uniform_4_f32(self.u_color.as_ref(), rgba[0], rgba[1], rgba[2], rgba[3]);
            super::gl_paint::set_blending(gl, true);
            gl.bind_vertex_array(Some(layer.vertex_array));
            for &(first, count) in runs {
                gl.draw_elements(glow::TRIANGLES, count as i32, glow::UNSIGNED_INT, 4 * first as i32);
            }
            gl.bind_vertex_array(None);
            gl.use_program(None);
        }
    }

    /// Frees the program and every layer's buffers; call with the context that made them.
    pub(super) unsafe fn destroy(self, gl: &glow::Context) {
        unsafe {
            for layer in self.layers {
                delete_layer(gl, layer);
            }
            self.images.destroy(gl);
            gl.delete_program(self.program);
        }
    }
}

/// A view lines are drawn for: the screen, or a picture of the map.
struct LinesView {
    center_m: [f64; 2],
    m_per_point: f64,
    size_points: [f32; 2],
}

impl LinesView {
    /// The view around its centre, a line's half width (and its overshoot past the ends) wider,
    /// in metres from `origin_m`.
    fn reach_m(&self, origin_m: [f64; 2], half_width_pt: f32) -> [[f64; 2]; 2] {
        let reach = |points: f32| (f64::from(points / 2.0) + 2.0 * f64::from(half_width_pt)) * self.m_per_point;
        let centre = [self.center_m[0] - origin_m[0], self.center_m[1] - origin_m[1]];
        let [w, h] = self.size_points;
        [
            [centre[0] - reach(w), centre[1] - reach(h)],
            [centre[0] + reach(w), centre[1] + reach(h)],
        ]
    }
}

unsafe fn delete_layer(gl: &glow::Context, layer: LayerLines) {
    unsafe {
        gl.delete_vertex_array(layer.vertex_array);
        gl.delete_buffer(layer.vertices);
        gl.delete_buffer(layer.indices);
    }
}

impl GlMapRenderer {
    fn paint_lines(
        &mut self,
        gl: &glow::Context,
        info: &egui::PaintCallbackInfo,
        target: Option<glow::Framebuffer>,
        request: &LinesRequest,
    ) {
        if self.failure.is_some() {
            return;
        }
        if self.lines.is_none() {
            match unsafe { GlLines::new(gl) } {
                Ok(lines) => self.lines = Some(lines),
                Err(e) => {
                    self.failure = Some(e);
                    return;
                }
            }
        }
        if let Some(lines) = &mut self.lines
            && let Err(e) = unsafe { lines.draw(gl, info, target, request) }
        {
            self.failure = Some(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Feature;

    #[test]
    fn each_segment_is_a_quad_reaching_half_a_width_sideways_and_past_its_ends() {
        let road = Feature {
            file_index: 0,
            points: Vec::new(),
            lines: vec![geo::LineString::from(vec![
                (54.0, 31.0),
                (54.01, 31.0),
                (54.01, 31.0),
                (54.01, 31.01),
            ])],
            polygons: geo::MultiPolygon::new(Vec::new()),
            properties: Default::default(),
        };
        let drawing = FeatureDrawing::new(&[road]);
        let origin = drawing.path_positions_m[0];
        let LineQuads {
            vertices: v,
            indices: i,
            chunks,
        } = line_quads(&drawing, origin, 0.0);
        // Three segments, one of them of no length: two quads.
        assert_eq!((v.len(), i.len()), (8, 12));
        // The first segment runs east: its corners go north and south, and west/east past its ends.
        assert_eq!(v[0].offset, [-1.0, 1.0]);
        assert_eq!(v[1].offset, [-1.0, -1.0]);
        assert_eq!(v[2].offset, [1.0, -1.0]);
        assert_eq!(v[0].pos, [0.0, 0.0]);
        let east = crate::map::mercator_from_lon_lat(54.01, 31.0);
        let x = f64::from(v[2].pos[0]) + f64::from(v[2].pos_lo[0]);
        assert!((x - (east[0] - origin[0])).abs() < 1e-6, "{x}");
        // Simplified beyond the road's size it is left out; a little, its corner stays.
        assert_eq!(chunks.len(), 1);
        assert_eq!((chunks[0].first_index, chunks[0].index_count), (0, 12));
        assert!(line_quads(&drawing, origin, 10_000.0).vertices.is_empty());
        assert_eq!(line_quads(&drawing, origin, 1.0).vertices.len(), 8);
        assert_eq!(level_for(0.5), 0);
        assert_eq!(level_for(1000.0), 9, "600 m: 512 m is the coarsest level within it");
    }

    /// A single long line (a river) is cut into chunks as a layer of many lines is.
    #[test]
    fn a_long_line_is_cut_into_chunks() {
        let river = Feature {
            file_index: 0,
            points: Vec::new(),
            lines: vec![geo::LineString::from(
                (0..5000)
                    .map(|k| (50.0 + f64::from(k) * 0.001, 30.0 + f64::from(k % 2) * 0.0005))
                    .collect::<Vec<_>>(),
            )],
            polygons: geo::MultiPolygon::new(Vec::new()),
            properties: Default::default(),
        };
        let drawing = FeatureDrawing::new(&[river]);
        let quads = line_quads(&drawing, drawing.path_positions_m[0], 0.0);
        let sizes: Vec<u32> = quads.chunks.iter().map(|c| c.index_count / 6).collect();
        assert_eq!(sizes, [1024, 1024, 1024, 1024, 903]);
        let widths: Vec<f64> = quads.chunks.iter().map(|c| c.bbox_m[1][0] - c.bbox_m[0][0]).collect();
        assert!(widths.iter().all(|&w| w < 120_000.0), "{widths:?}");
    }

    /// A street view draws only the chunks near it, and never leaves out a segment in it.
    #[test]
    fn a_small_view_draws_the_chunks_it_meets_and_every_segment_in_it() {
        // 4,000 short east-west roads on a 80 x 50 grid, 0.01 degrees apart, in file order by rows.
        let roads: Vec<Feature> = (0..4000)
            .map(|k| {
                let (lon, lat) = (54.0 + f64::from(k % 80) * 0.01, 31.0 + f64::from(k / 80) * 0.01);
                Feature {
                    file_index: k as usize,
                    points: Vec::new(),
                    lines: vec![geo::LineString::from(vec![
                        (lon, lat),
                        (lon + 0.004, lat),
                        (lon + 0.008, lat + 0.002),
                    ])],
                    polygons: geo::MultiPolygon::new(Vec::new()),
                    properties: Default::default(),
                }
            })
            .collect();
        let drawing = FeatureDrawing::new(&roads);
        let origin = drawing.path_positions_m[0];
        let quads = line_quads(&drawing, origin, 0.0);
        assert_eq!(quads.indices.len(), 4000 * 2 * 6);
        assert!(quads.chunks.len() >= 7, "{} chunks", quads.chunks.len());
        let all = visible_runs(&quads.chunks, [[-1e9; 2], [1e9; 2]]);
        assert_eq!(all, [(0, quads.indices.len() as u32)], "one run for the whole layer");
        // A view of about 3 x 3 km inside the grid, off the middle (where Hilbert quadrants meet).
        let middle = crate::map::mercator_from_lon_lat(54.2, 31.12);
        let c = [middle[0] - origin[0], middle[1] - origin[1]];
        let view = [[c[0] - 1500.0, c[1] - 1500.0], [c[0] + 1500.0, c[1] + 1500.0]];
        let runs = visible_runs(&quads.chunks, view);
        let drawn: u32 = runs.iter().map(|r| r.1).sum();
        assert!(
            drawn * 3 < quads.indices.len() as u32,
            "{drawn} of {} indices",
            quads.indices.len()
        );
        let at = |v: &LineVertex| [f64::from(v.pos[0] + v.pos_lo[0]), f64::from(v.pos[1] + v.pos_lo[1])];
        let inside =
            |p: [f64; 2]| (view[0][0]..=view[1][0]).contains(&p[0]) && (view[0][1]..=view[1][1]).contains(&p[1]);
        let drawn_index = |i: usize| {
            runs.iter()
                .any(|&(first, count)| (first as usize..(first + count) as usize).contains(&i))
        };
        let mut in_view = 0;
        for (i, &corner) in quads.indices.iter().enumerate() {
            if inside(at(&quads.vertices[corner as usize])) {
                in_view += 1;
                assert!(drawn_index(i), "index {i} is in view but not drawn");
            }
        }
        assert!(in_view > 0);
    }
}
