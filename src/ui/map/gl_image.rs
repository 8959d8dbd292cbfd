//! A picture of part of the map held on the GPU, a margin larger than the view it was drawn
//! for: where it lies, whether a later view can be cut from it (shifted, perhaps scaled), and
//! the program that copies that cut onto the screen. The district id image (`gl_cache`) and
//! the reference lines' images (`gl_lines_image`) are both such pictures.
#![allow(unsafe_code)]
// SAFETY (whole module): every `unsafe` block is a glow call on the context eframe hands to the
// paint callback, on eframe's render thread, with objects this module created on that context.

use eframe::glow::{self, HasContext};

use super::gl_paint::compile_program;

/// Share of the view's width (and height) the image extends beyond it on each side.
pub(super) const MARGIN: f64 = 0.25;
/// While moving, a held image is shown at most this much magnified or reduced.
pub(super) const MAX_SCALE: f64 = 2.0;

/// A view of the map in physical pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct PixelView {
    /// Centre of the view, Web Mercator metres.
    pub center_m: [f64; 2],
    /// Metres per physical pixel.
    pub m_per_px: f64,
    /// The viewport in physical pixels: left, bottom, width, height (GL convention).
    pub viewport_px: [i32; 4],
}

/// Where a held image lies on the map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct ImageFrame {
    /// Its size in pixels.
    pub size_px: [i32; 2],
    /// The map point at its centre, Web Mercator metres.
    pub center_m: [f64; 2],
    /// Metres per pixel of the image.
    pub m_per_px: f64,
}

/// The size of the image for a viewport of `width` × `height` pixels.
pub(super) fn image_size(viewport_px: [i32; 4]) -> [i32; 2] {
    let grow = |v: i32| (f64::from(v.max(1)) * (1.0 + 2.0 * MARGIN)).ceil() as i32;
    [grow(viewport_px[2]), grow(viewport_px[3])]
}

impl ImageFrame {
    /// The frame of an image drawn for `view`: its centre and scale, a margin larger.
    pub(super) fn around(view: &PixelView) -> Self {
        Self {
            size_px: image_size(view.viewport_px),
            center_m: view.center_m,
            m_per_px: view.m_per_px,
        }
    }

    /// True when `view` lies inside the image.
    pub(super) fn covers(&self, view: &PixelView) -> bool {
        (0..2).all(|k| {
            let view_half = f64::from(view.viewport_px[2 + k]) / 2.0 * view.m_per_px;
            let held_half = f64::from(self.size_px[k]) / 2.0 * self.m_per_px;
            (view.center_m[k] - self.center_m[k]).abs() + view_half <= held_half
        })
    }

    /// True when the image is exactly what [`ImageFrame::around`] would draw for `view`'s
    /// scale and size (its centre may differ: it is then shown shifted, pixel for pixel).
    pub(super) fn same_scale(&self, view: &PixelView) -> bool {
        self.same_m_per_px(view) && self.size_px == image_size(view.viewport_px)
    }

    /// True when `view` has the image's metres per pixel: it is shown pixel for pixel.
    pub(super) fn same_m_per_px(&self, view: &PixelView) -> bool {
        (view.m_per_px / self.m_per_px - 1.0).abs() < 1e-9
    }

    /// True when `view`'s scale is within [`MAX_SCALE`] of the image's either way.
    pub(super) fn near_scale(&self, view: &PixelView) -> bool {
        (1.0 / MAX_SCALE..=MAX_SCALE).contains(&(view.m_per_px / self.m_per_px))
    }

    /// Texel = fragment pixel × `[0]` + (`[1]`, `[2]`): the image's pixels under `view`'s.
    pub(super) fn texel_map(&self, view: &PixelView) -> [f64; 3] {
        let scale = view.m_per_px / self.m_per_px;
        let offset = |k: usize| {
            let viewport_middle = f64::from(view.viewport_px[k]) + f64::from(view.viewport_px[2 + k]) / 2.0;
            (view.center_m[k] - self.center_m[k] - viewport_middle * view.m_per_px) / self.m_per_px
                + f64::from(self.size_px[k]) / 2.0
        };
        [scale, offset(0), offset(1)]
    }

    /// The image coordinates (0..1) of `view`'s viewport corners: bottom left and top right.
    pub(super) fn viewport_uv(&self, view: &PixelView) -> [[f32; 2]; 2] {
        let [scale, x, y] = self.texel_map(view);
        let offset = [x, y];
        let v = view.viewport_px;
        let uv = |k: usize, edge: i32| ((f64::from(edge) * scale + offset[k]) / f64::from(self.size_px[k])) as f32;
        [[uv(0, v[0]), uv(1, v[1])], [uv(0, v[0] + v[2]), uv(1, v[1] + v[3])]]
    }
}

/// The rectangle over the viewport with the image's coordinates at its corners.
const COPY_VERTEX_SHADER: &str = r#"
uniform vec2 u_uv0;
uniform vec2 u_uv1;
out vec2 v_uv;
void main() {
    vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
    gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
    v_uv = mix(u_uv0, u_uv1, corner);
}
"#;

/// One sample per pixel and nothing else: with nearest sampling, the shape Mesa's llvmpipe
/// copies on its fast linear path.
const COPY_FRAGMENT_SHADER: &str = r#"
uniform sampler2D u_image;
in vec2 v_uv;
out vec4 out_color;
void main() {
    out_color = texture(u_image, v_uv);
}
"#;

/// The program that copies part of an image over the viewport.
pub(super) struct ImageCopy {
    program: glow::Program,
    u_image: Option<glow::UniformLocation>,
    u_uv0: Option<glow::UniformLocation>,
    u_uv1: Option<glow::UniformLocation>,
    empty_vertex_array: glow::VertexArray,
}

impl ImageCopy {
    /// Compiles the program.
    pub(super) unsafe fn new(gl: &glow::Context) -> Result<Self, String> {
        unsafe {
            let program = compile_program(gl, "map copy", COPY_VERTEX_SHADER, COPY_FRAGMENT_SHADER, &[])?;
            Ok(Self {
                u_image: gl.get_uniform_location(program, "u_image"),
                u_uv0: gl.get_uniform_location(program, "u_uv0"),
                u_uv1: gl.get_uniform_location(program, "u_uv1"),
                program,
                empty_vertex_array: gl.create_vertex_array()?,
            })
        }
    }

    /// Draws the rectangle over the viewport with the program in use, when that program
    /// makes its corners from the vertex id (as the copy program does).
    pub(super) unsafe fn draw_viewport_rect(&self, gl: &glow::Context) {
        unsafe {
            gl.bind_vertex_array(Some(self.empty_vertex_array));
            gl.draw_arrays(glow::TRIANGLE_STRIP, 0, 4);
            gl.bind_vertex_array(None);
        }
    }

    /// Copies the part `uv` of `texture` over the bound viewport, blended (premultiplied) or
    /// not. Leaves blending on, as egui expects.
    pub(super) unsafe fn copy(&self, gl: &glow::Context, texture: glow::Texture, uv: [[f32; 2]; 2], blend: bool) {
        unsafe {
            gl.use_program(Some(self.program));
            super::gl_paint::set_blending(gl, blend);
            gl.active_texture(glow::TEXTURE0);
            gl.bind_texture(glow::TEXTURE_2D, Some(texture));
            gl.uniform_1_i32(self.u_image.as_ref(), 0);
            gl.uniform_2_f32(self.u_uv0.as_ref(), uv[0][0], uv[0][1]);
            gl.uniform_2_f32(self.u_uv1.as_ref(), uv[1][0], uv[1][1]);
            self.draw_viewport_rect(gl);
            gl.bind_texture(glow::TEXTURE_2D, None);
            gl.use_program(None);
            gl.enable(glow::BLEND);
        }
    }

    /// Frees the GL objects.
    pub(super) unsafe fn destroy(self, gl: &glow::Context) {
        unsafe {
            gl.delete_vertex_array(self.empty_vertex_array);
            gl.delete_program(self.program);
        }
    }
}

/// Makes `texture` an RGBA image of `size_px` attached to `framebuffer`.
pub(super) unsafe fn attach_image(
    gl: &glow::Context,
    framebuffer: glow::Framebuffer,
    texture: glow::Texture,
    size_px: [i32; 2],
) -> Result<(), String> {
    unsafe {
        gl.bind_texture(glow::TEXTURE_2D, Some(texture));
        gl.tex_image_2d(
            glow::TEXTURE_2D,
            0,
            glow::RGBA8 as i32,
            size_px[0],
            size_px[1],
            0,
            glow::RGBA,
            glow::UNSIGNED_BYTE,
            glow::PixelUnpackData::Slice(None),
        );
        gl.bind_texture(glow::TEXTURE_2D, None);
        gl.bind_framebuffer(glow::FRAMEBUFFER, Some(framebuffer));
        gl.framebuffer_texture_2d(
            glow::FRAMEBUFFER,
            glow::COLOR_ATTACHMENT0,
            glow::TEXTURE_2D,
            Some(texture),
            0,
        );
        if gl.check_framebuffer_status(glow::FRAMEBUFFER) != glow::FRAMEBUFFER_COMPLETE {
            return Err("a map image framebuffer is incomplete".to_owned());
        }
    }
    Ok(())
}

/// A texture with `filter` sampling, clamped at its edges.
pub(super) unsafe fn new_texture(gl: &glow::Context, filter: u32) -> Result<glow::Texture, String> {
    unsafe {
        let texture = gl.create_texture()?;
        set_filter(gl, texture, filter);
        for parameter in [glow::TEXTURE_WRAP_S, glow::TEXTURE_WRAP_T] {
            gl.tex_parameter_i32(glow::TEXTURE_2D, parameter, glow::CLAMP_TO_EDGE as i32);
        }
        gl.bind_texture(glow::TEXTURE_2D, None);
        Ok(texture)
    }
}

/// Sets `texture`'s sampling (leaves it bound).
pub(super) unsafe fn set_filter(gl: &glow::Context, texture: glow::Texture, filter: u32) {
    unsafe {
        gl.bind_texture(glow::TEXTURE_2D, Some(texture));
        gl.tex_parameter_i32(glow::TEXTURE_2D, glow::TEXTURE_MIN_FILTER, filter as i32);
        gl.tex_parameter_i32(glow::TEXTURE_2D, glow::TEXTURE_MAG_FILTER, filter as i32);
    }
}

/// Puts egui's target back: its framebuffer, the callback's viewport and clip rectangle.
pub(super) unsafe fn restore_target(
    gl: &glow::Context,
    info: &egui::PaintCallbackInfo,
    target: Option<glow::Framebuffer>,
) {
    let v = info.viewport_in_pixels();
    let c = info.clip_rect_in_pixels();
    unsafe {
        gl.bind_framebuffer(glow::FRAMEBUFFER, target);
        gl.viewport(v.left_px, v.from_bottom_px, v.width_px, v.height_px);
        gl.enable(glow::SCISSOR_TEST);
        gl.scissor(c.left_px, c.from_bottom_px, c.width_px, c.height_px);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(center_m: [f64; 2], m_per_px: f64) -> PixelView {
        PixelView {
            center_m,
            m_per_px,
            viewport_px: [0, 0, 1000, 800],
        }
    }

    #[test]
    fn an_image_covers_views_within_its_margin() {
        let frame = ImageFrame::around(&view([0.0, 0.0], 10.0));
        assert_eq!(frame.size_px, [1500, 1200]);
        // 250 px of margin each side at 10 m per pixel: 2,500 m of panning either way.
        assert!(frame.covers(&view([2_400.0, 0.0], 10.0)));
        assert!(!frame.covers(&view([2_600.0, 0.0], 10.0)));
        assert!(frame.covers(&view([0.0, -1_900.0], 10.0)));
        assert!(!frame.covers(&view([0.0, -2_100.0], 10.0)));
        // Zoomed out, the view soon leaves the image.
        assert!(frame.covers(&view([0.0, 0.0], 14.0)));
        assert!(!frame.covers(&view([0.0, 0.0], 16.0)));
        assert!(frame.same_scale(&view([100.0, 0.0], 10.0)));
        assert!(!frame.same_scale(&view([0.0, 0.0], 8.0)));
        assert!(frame.near_scale(&view([0.0, 0.0], 5.0)) && !frame.near_scale(&view([0.0, 0.0], 4.9)));
    }

    #[test]
    fn the_viewport_maps_to_the_middle_of_an_image_drawn_for_it() {
        let v = view([500.0, -300.0], 2.0);
        let frame = ImageFrame::around(&v);
        let [[u0, v0], [u1, v1]] = frame.viewport_uv(&v);
        // The margin is a quarter of the view each side: a sixth of the image.
        for (got, want) in [(u0, 1.0 / 6.0), (v0, 1.0 / 6.0), (u1, 5.0 / 6.0), (v1, 5.0 / 6.0)] {
            assert!((f64::from(got) - want).abs() < 1e-6, "{got} vs {want}");
        }
        // Panned right by 100 px: the cut moves right by 100 of the image's 1500 px.
        let panned = view([700.0, -300.0], 2.0);
        let [[u0, _], _] = frame.viewport_uv(&panned);
        assert!((f64::from(u0) - (250.0 + 100.0) / 1500.0).abs() < 1e-6);
    }
}
