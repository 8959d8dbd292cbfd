//! Drawing round [`Mark`]s with OpenGL: each disc is one quad and each ring a thin band of a few
//! dozen triangles hugging the circle; the fragment shader cuts the exact, antialiased circle out
//! of them. Hundreds of marks are one buffer upload and one draw call.
#![allow(unsafe_code)]
// SAFETY (whole module): every `unsafe` block is a glow call on the context eframe hands to the
// paint callback, on eframe's render thread, with the buffer and program this module created on
// that same context; slices passed to GL outlive the calls.

use std::f32::consts::PI;
use std::sync::{Arc, Mutex};

use eframe::glow::{self, HasContext};
use egui::{Pos2, Rect, Vec2};

use super::gl_paint::{GlMapRenderer, compile_program};
use super::marks::Mark;

/// One vertex of a mark's geometry.
#[repr(C)]
#[derive(Clone, Copy, Debug, bytemuck::Pod, bytemuck::Zeroable)]
struct MarkVertex {
    /// Position, points from the map rectangle's top-left corner.
    pos: [f32; 2],
    /// The same position relative to the mark's centre, points.
    offset: [f32; 2],
    radius: f32,
    stroke_width: f32,
    fill: [u8; 4],
    stroke: [u8; 4],
}

/// The marks program and its streaming vertex buffer.
pub(super) struct GlMarks {
    program: glow::Program,
    vertex_array: glow::VertexArray,
    buffer: glow::Buffer,
    u_rect_size: Option<glow::UniformLocation>,
    u_px_per_point: Option<glow::UniformLocation>,
}

const VERTEX_SHADER: &str = r#"
in vec2 a_pos;
in vec2 a_offset;
in float a_radius;
in float a_stroke_width;
in vec4 a_fill;
in vec4 a_stroke;
uniform vec2 u_rect_size;
out vec2 v_offset;
out float v_radius;
out float v_stroke_width;
out vec4 v_fill;
out vec4 v_stroke;
void main() {
    vec2 ndc = a_pos / u_rect_size * 2.0 - 1.0;
    gl_Position = vec4(ndc.x, -ndc.y, 0.0, 1.0);
    v_offset = a_offset;
    v_radius = a_radius;
    v_stroke_width = a_stroke_width;
    v_fill = a_fill;
    v_stroke = a_stroke;
}
"#;

// Coverage of the disc and of the stroke band, antialiased over one pixel; colours are
// premultiplied, so mixing and scaling them is blending.
const FRAGMENT_SHADER: &str = r#"
in vec2 v_offset;
in float v_radius;
in float v_stroke_width;
in vec4 v_fill;
in vec4 v_stroke;
uniform float u_px_per_point;
out vec4 out_color;
void main() {
    float d = length(v_offset) * u_px_per_point;
    float r = v_radius * u_px_per_point;
    float w = v_stroke_width * u_px_per_point;
    float inside = clamp(r - d + 0.5, 0.0, 1.0);
    float in_band = clamp(d - (r - w) + 0.5, 0.0, 1.0);
    vec4 color = mix(v_fill, v_stroke, in_band) * inside;
    if (color.a <= 0.0) {
        discard;
    }
    out_color = color;
}
"#;

/// Adds a paint callback that draws `marks`, in order, over the map in `rect`.
pub fn paint_marks(painter: &egui::Painter, renderer: &Arc<Mutex<GlMapRenderer>>, marks: &[Mark], rect: Rect) {
    let mut vertices = Vec::new();
    for mark in marks.iter().filter(|m| m.touches(rect)) {
        push_mark(&mut vertices, mark, rect.min);
    }
    if vertices.is_empty() {
        return;
    }
    let rect_size = [rect.width(), rect.height()];
    super::gl_paint::add_gl_callback(painter, renderer, rect, move |renderer, info, painter| {
        renderer.paint_marks(painter.gl(), &vertices, rect_size, info.pixels_per_point);
    });
}

/// Appends the triangles of one mark.
fn push_mark(out: &mut Vec<MarkVertex>, mark: &Mark, origin: Pos2) {
    // One point of margin so the antialiased edge is inside the geometry.
    let outer = mark.radius + 1.0;
    let inner = mark.radius - mark.stroke_width - 1.0;
    let vertex = |offset: Vec2| {
        let pos = mark.centre + offset - origin;
        MarkVertex {
            pos: [pos.x, pos.y],
            offset: [offset.x, offset.y],
            radius: mark.radius,
            stroke_width: mark.stroke_width,
            fill: mark.fill.to_array(),
            stroke: mark.stroke.to_array(),
        }
    };
    let mut quad = |a: Vec2, b: Vec2, c: Vec2, d: Vec2| {
        out.extend([vertex(a), vertex(b), vertex(c), vertex(a), vertex(c), vertex(d)]);
    };
    if !mark.is_ring() || inner <= 0.0 {
        quad(
            Vec2::new(-outer, -outer),
            Vec2::new(outer, -outer),
            Vec2::new(outer, outer),
            Vec2::new(-outer, outer),
        );
        return;
    }
    // A band of `n` quads whose outer chords stay outside the circle by at most 1.5 points.
    let n = (PI / (outer / (outer + 1.5)).acos()).ceil().clamp(16.0, 512.0) as usize;
    let step = 2.0 * PI / n as f32;
    let outer_vertex = outer / (step / 2.0).cos();
    let at = |k: usize, r: f32| Vec2::angled(k as f32 * step) * r;
    for k in 0..n {
        quad(
            at(k, inner),
            at(k, outer_vertex),
            at(k + 1, outer_vertex),
            at(k + 1, inner),
        );
    }
}

impl GlMarks {
    unsafe fn new(gl: &glow::Context) -> Result<Self, String> {
        unsafe {
            let program = compile_program(
                gl,
                "marks",
                VERTEX_SHADER,
                FRAGMENT_SHADER,
                &["a_pos", "a_offset", "a_radius", "a_stroke_width", "a_fill", "a_stroke"],
            )?;
            let vertex_array = gl.create_vertex_array()?;
            let buffer = gl.create_buffer()?;
            gl.bind_vertex_array(Some(vertex_array));
            gl.bind_buffer(glow::ARRAY_BUFFER, Some(buffer));
            let stride = size_of::<MarkVertex>() as i32;
            let floats: [(u32, i32, i32); 4] = [(0, 2, 0), (1, 2, 8), (2, 1, 16), (3, 1, 20)];
            for (location, size, offset) in floats {
                gl.enable_vertex_attrib_array(location);
                gl.vertex_attrib_pointer_f32(location, size, glow::FLOAT, false, stride, offset);
            }
            for (location, offset) in [(4, 24), (5, 28)] {
                gl.enable_vertex_attrib_array(location);
                gl.vertex_attrib_pointer_f32(location, 4, glow::UNSIGNED_BYTE, true, stride, offset);
            }
            gl.bind_vertex_array(None);
            gl.bind_buffer(glow::ARRAY_BUFFER, None);
            Ok(Self {
                u_rect_size: gl.get_uniform_location(program, "u_rect_size"),
                u_px_per_point: gl.get_uniform_location(program, "u_px_per_point"),
                program,
                vertex_array,
                buffer,
            })
        }
    }

    unsafe fn draw(&self, gl: &glow::Context, vertices: &[MarkVertex], rect_size: [f32; 2], px_per_point: f32) {
        unsafe {
            gl.use_program(Some(self.program));
            gl.uniform_2_f32(self.u_rect_size.as_ref(), rect_size[0], rect_size[1]);
            gl.uniform_1_f32(self.u_px_per_point.as_ref(), px_per_point);
            super::gl_paint::set_blending(gl, true);
            gl.bind_vertex_array(Some(self.vertex_array));
            gl.bind_buffer(glow::ARRAY_BUFFER, Some(self.buffer));
            gl.buffer_data_u8_slice(glow::ARRAY_BUFFER, bytemuck::cast_slice(vertices), glow::STREAM_DRAW);
            gl.draw_arrays(glow::TRIANGLES, 0, vertices.len() as i32);
            gl.bind_vertex_array(None);
            gl.bind_buffer(glow::ARRAY_BUFFER, None);
            gl.use_program(None);
        }
    }

    /// Frees the program and buffer; call with the context that made them.
    pub(super) unsafe fn destroy(self, gl: &glow::Context) {
        unsafe {
            gl.delete_vertex_array(self.vertex_array);
            gl.delete_buffer(self.buffer);
            gl.delete_program(self.program);
        }
    }
}

impl GlMapRenderer {
    fn paint_marks(&mut self, gl: &glow::Context, vertices: &[MarkVertex], rect_size: [f32; 2], px_per_point: f32) {
        if self.failure.is_some() {
            return;
        }
        if self.marks.is_none() {
            match unsafe { GlMarks::new(gl) } {
                Ok(m) => self.marks = Some(m),
                Err(e) => {
                    self.failure = Some(e);
                    return;
                }
            }
        }
        if let Some(marks) = &self.marks {
            unsafe { marks.draw(gl, vertices, rect_size, px_per_point) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Color32, Stroke};

    #[test]
    fn a_disc_is_one_quad_and_a_ring_a_band_that_encloses_its_circle() {
        let mut v = Vec::new();
        let disc = Mark::disc(
            Pos2::new(50.0, 50.0),
            8.0,
            Color32::WHITE,
            Stroke::new(2.0, Color32::RED),
        );
        push_mark(&mut v, &disc, Pos2::ZERO);
        assert_eq!(v.len(), 6);
        v.clear();
        let ring = Mark::ring(Pos2::new(50.0, 50.0), 300.0, Stroke::new(1.5, Color32::RED));
        push_mark(&mut v, &ring, Pos2::new(10.0, 10.0));
        assert!(v.len() % 6 == 0 && v.len() / 6 >= 16);
        // Every pixel of the stroke band lies inside the band geometry: the chords stay outside
        // the outer edge and the inner vertices inside the inner edge, by at most a few points.
        let distances: Vec<f32> = v.iter().map(|p| Vec2::from(p.offset).length()).collect();
        let outer_chord = distances.iter().copied().fold(0.0, f32::max) * (PI / (v.len() / 6) as f32).cos();
        let inner = distances.iter().copied().fold(f32::MAX, f32::min);
        assert!(
            outer_chord >= ring.radius && outer_chord <= ring.radius + 2.5,
            "{outer_chord}"
        );
        assert!(inner <= ring.radius - ring.stroke_width && inner >= ring.radius - ring.stroke_width - 1.5);
        assert_eq!(
            v[0].pos[0] - v[0].offset[0],
            40.0,
            "positions are relative to the map's corner"
        );
    }
}
