//! The district layer kept as an image of district ids, a margin larger than the view, so that
//! panning and zooming redraw a screen of pixels instead of every district's triangles and
//! outlines (which software GL pays for on the UI thread). The ids are coloured from the
//! district colour table into a second image, which is copied to the screen (one nearest sample
//! per pixel; a framebuffer blit was tried and stalled the UI thread in Mesa); while the colours change every frame (an office being dragged) the ids are coloured
//! straight onto the screen instead, so live coverage shading never redraws the geometry. The
//! id image is redrawn when the view leaves it, when the camera rests at another zoom or level
//! of detail, or when the window's size changes. While the camera moves, the image is shown
//! shifted and scaled (up to twice either way) instead of redrawn.
#![allow(unsafe_code)]
// SAFETY (whole module): every `unsafe` block is a glow call on the context eframe hands to the
// paint callback, on eframe's render thread, with objects this module created on that context.

use eframe::glow::{self, HasContext};

use super::gl_paint::compile_program;

/// Share of the view's width (and height) the image extends beyond it on each side.
pub(super) const MARGIN: f64 = 0.25;
/// While moving, the held image is shown at most this much magnified or reduced.
const MAX_SCALE: f64 = 2.0;

/// Draws the layer's triangles into the id image: the map's vertex layout, district id out.
const ID_VERTEX_SHADER: &str = r#"
in vec2 a_pos;
in uint a_district;
in vec2 a_pos_lo;
uniform vec2 u_offset;
uniform vec2 u_offset_lo;
uniform vec2 u_scale;
flat out uint v_district;
void main() {
    gl_Position = vec4(((a_pos + u_offset) + (a_pos_lo + u_offset_lo)) * u_scale, 0.0, 1.0);
    v_district = a_district;
}
"#;

/// District id + 1 in red, green and blue (0: no district); alpha 1 on outlines.
const ID_FRAGMENT_SHADER: &str = r#"
flat in uint v_district;
uniform float u_is_line;
out vec4 out_color;
void main() {
    uint id = v_district + 1u;
    out_color = vec4(float(id & 255u), float((id >> 8u) & 255u), float((id >> 16u) & 255u), 255.0 * u_is_line) / 255.0;
}
"#;

/// One rectangle over the callback's viewport.
const SHOW_VERTEX_SHADER: &str = r#"
void main() {
    vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1)) * 2.0 - 1.0;
    gl_Position = vec4(corner, 0.0, 1.0);
}
"#;

/// Each screen pixel's texel of the id image, coloured from the district table.
const SHOW_FRAGMENT_SHADER: &str = r#"
uniform sampler2D u_ids;
uniform sampler2D u_colors;
uniform vec2 u_texel_scale;
uniform vec2 u_texel_offset;
uniform ivec2 u_size;
uniform vec4 u_line_color;
uniform vec4 u_background;
out vec4 out_color;
void main() {
    ivec2 t = ivec2(floor(gl_FragCoord.xy * u_texel_scale + u_texel_offset));
    if (any(lessThan(t, ivec2(0))) || any(greaterThanEqual(t, u_size))) {
        discard;
    }
    vec4 texel = texelFetch(u_ids, t, 0);
    ivec3 b = ivec3(round(texel.rgb * 255.0));
    int id = b.r + b.g * 256 + b.b * 65536;
    if (id == 0) {
        if (u_background.a == 0.0) {
            discard;
        }
        out_color = u_background;
        return;
    }
    if (texel.a > 0.5) {
        out_color = u_line_color;
    } else {
        int d = id - 1;
        out_color = texelFetch(u_colors, ivec2(d % COLOR_TABLE_WIDTH, d / COLOR_TABLE_WIDTH), 0);
    }
}
"#;

/// The rectangle over the viewport with the coloured image's coordinates at its corners.
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

/// One nearest sample per pixel and nothing else: the shape Mesa's llvmpipe copies on its fast
/// linear path.
const COPY_FRAGMENT_SHADER: &str = r#"
uniform sampler2D u_image;
in vec2 v_uv;
out vec4 out_color;
void main() {
    out_color = texture(u_image, v_uv);
}
"#;

/// What the frame shows: the camera, the viewport, and the layer's identity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct CacheView {
    /// Centre of the view, Web Mercator metres.
    pub center_m: [f64; 2],
    /// Metres per physical pixel.
    pub m_per_px: f64,
    /// The viewport in physical pixels: left, bottom, width, height (GL convention).
    pub viewport_px: [i32; 4],
    /// The camera is moving: a shifted or scaled image will do.
    pub moving: bool,
    /// What is drawn: the layer, its two levels of detail, outlines or not.
    pub content: CacheContent,
}

/// What the image holds: a layer at levels of detail (by identity), with or without outlines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct CacheContent {
    /// The layer.
    pub layer: usize,
    /// The fill level's buffers.
    pub fill: usize,
    /// The outline level's buffers.
    pub line: usize,
    /// Outlines drawn.
    pub outline: bool,
}

/// The images on the GPU and what they show.
pub(super) struct LayerCache {
    framebuffer: glow::Framebuffer,
    texture: glow::Texture,
    /// The id image coloured, with the map's background where there is no district.
    color_framebuffer: glow::Framebuffer,
    color_texture: glow::Texture,
    /// The colour table (by identity) the coloured image was made with; `None`: out of date.
    colored_with: Option<usize>,
    /// The colour table of the previous frame.
    last_colors: usize,
    empty_vertex_array: glow::VertexArray,
    id_program: glow::Program,
    id_offset: Option<glow::UniformLocation>,
    id_offset_lo: Option<glow::UniformLocation>,
    id_scale: Option<glow::UniformLocation>,
    id_is_line: Option<glow::UniformLocation>,
    show_program: glow::Program,
    show: [Option<glow::UniformLocation>; 7],
    copy_program: glow::Program,
    copy: [Option<glow::UniformLocation>; 3],
    /// The image's size in pixels, centre and scale, and content, once drawn.
    held: Option<Held>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Held {
    size_px: [i32; 2],
    center_m: [f64; 2],
    m_per_px: f64,
    content: CacheContent,
}

/// The size of the image for a viewport of `width` × `height` pixels.
fn image_size(viewport_px: [i32; 4]) -> [i32; 2] {
    let grow = |v: i32| (f64::from(v.max(1)) * (1.0 + 2.0 * MARGIN)).ceil() as i32;
    [grow(viewport_px[2]), grow(viewport_px[3])]
}

impl Held {
    /// True when the view lies inside the image.
    fn covers(&self, view: &CacheView) -> bool {
        (0..2).all(|k| {
            let view_half = f64::from(view.viewport_px[2 + k]) / 2.0 * view.m_per_px;
            let held_half = f64::from(self.size_px[k]) / 2.0 * self.m_per_px;
            (view.center_m[k] - self.center_m[k]).abs() + view_half <= held_half
        })
    }

    /// True when the image can be shown for `view` as it is (shifted, perhaps scaled).
    fn serves(&self, view: &CacheView) -> bool {
        let ratio = view.m_per_px / self.m_per_px;
        let exact =
            self.content == view.content && (ratio - 1.0).abs() < 1e-9 && self.size_px == image_size(view.viewport_px);
        let close_enough =
            view.moving && self.content.layer == view.content.layer && (1.0 / MAX_SCALE..=MAX_SCALE).contains(&ratio);
        (exact || close_enough) && self.covers(view)
    }
}

impl LayerCache {
    /// Makes the framebuffer, texture and programs.
    pub(super) unsafe fn new(gl: &glow::Context, color_table_width: usize) -> Result<Self, String> {
        unsafe {
            let id_program = compile_program(
                gl,
                "map id",
                ID_VERTEX_SHADER,
                ID_FRAGMENT_SHADER,
                &["a_pos", "a_district", "a_pos_lo"],
            )?;
            let show_program = compile_program(
                gl,
                "map image",
                SHOW_VERTEX_SHADER,
                &format!("#define COLOR_TABLE_WIDTH {color_table_width}\n{SHOW_FRAGMENT_SHADER}"),
                &[],
            )?;
            let copy_program = compile_program(gl, "map copy", COPY_VERTEX_SHADER, COPY_FRAGMENT_SHADER, &[])?;
            let copy = ["u_image", "u_uv0", "u_uv1"].map(|name| gl.get_uniform_location(copy_program, name));
            let [texture, color_texture] = [gl.create_texture()?, gl.create_texture()?];
            for t in [texture, color_texture] {
                gl.bind_texture(glow::TEXTURE_2D, Some(t));
                for (parameter, value) in [
                    (glow::TEXTURE_MIN_FILTER, glow::NEAREST),
                    (glow::TEXTURE_MAG_FILTER, glow::NEAREST),
                    (glow::TEXTURE_WRAP_S, glow::CLAMP_TO_EDGE),
                    (glow::TEXTURE_WRAP_T, glow::CLAMP_TO_EDGE),
                ] {
                    gl.tex_parameter_i32(glow::TEXTURE_2D, parameter, value as i32);
                }
            }
            gl.bind_texture(glow::TEXTURE_2D, None);
            let show = [
                "u_ids",
                "u_colors",
                "u_texel_scale",
                "u_texel_offset",
                "u_size",
                "u_line_color",
                "u_background",
            ]
            .map(|name| gl.get_uniform_location(show_program, name));
            Ok(Self {
                framebuffer: gl.create_framebuffer()?,
                texture,
                color_framebuffer: gl.create_framebuffer()?,
                color_texture,
                colored_with: None,
                last_colors: 0,
                empty_vertex_array: gl.create_vertex_array()?,
                id_offset: gl.get_uniform_location(id_program, "u_offset"),
                id_offset_lo: gl.get_uniform_location(id_program, "u_offset_lo"),
                id_scale: gl.get_uniform_location(id_program, "u_scale"),
                id_is_line: gl.get_uniform_location(id_program, "u_is_line"),
                id_program,
                show_program,
                show,
                copy_program,
                copy,
                held: None,
            })
        }
    }

    /// True when the image must be drawn again before it can show `view`.
    pub(super) fn needs_drawing(&self, view: &CacheView) -> bool {
        !self.held.is_some_and(|h| h.serves(view))
    }

    /// Binds the image as the render target for `view`, cleared, with the id program in use.
    /// Returns the offset and scale the vertex shader needs for buffers whose origin is
    /// `origin_m`, and a setter for lines or fills. Call [`LayerCache::finish_drawing`] after.
    pub(super) unsafe fn start_drawing(
        &mut self,
        gl: &glow::Context,
        view: &CacheView,
        origin_m: [f64; 2],
    ) -> Result<(), String> {
        let size_px = image_size(view.viewport_px);
        unsafe {
            self.colored_with = None;
            if self.held.is_none_or(|h| h.size_px != size_px) {
                for (framebuffer, texture) in [
                    (self.color_framebuffer, self.color_texture),
                    (self.framebuffer, self.texture),
                ] {
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
                        self.held = None;
                        return Err("the map image framebuffer is incomplete".to_owned());
                    }
                }
            }
            gl.bind_framebuffer(glow::FRAMEBUFFER, Some(self.framebuffer));
            gl.disable(glow::SCISSOR_TEST);
            gl.disable(glow::BLEND);
            gl.viewport(0, 0, size_px[0], size_px[1]);
            gl.clear_color(0.0, 0.0, 0.0, 0.0);
            gl.clear(glow::COLOR_BUFFER_BIT);
            gl.use_program(Some(self.id_program));
            let half = [
                f64::from(size_px[0]) / 2.0 * view.m_per_px,
                f64::from(size_px[1]) / 2.0 * view.m_per_px,
            ];
            let [offset, offset_lo] = super::gl_paint::split_offset(origin_m, view.center_m);
            gl.uniform_2_f32(self.id_offset.as_ref(), offset[0], offset[1]);
            gl.uniform_2_f32(self.id_offset_lo.as_ref(), offset_lo[0], offset_lo[1]);
            gl.uniform_2_f32(self.id_scale.as_ref(), (1.0 / half[0]) as f32, (1.0 / half[1]) as f32);
            gl.uniform_1_f32(self.id_is_line.as_ref(), 0.0);
        }
        self.held = Some(Held {
            size_px,
            center_m: view.center_m,
            m_per_px: view.m_per_px,
            content: view.content,
        });
        Ok(())
    }

    /// Switches the id program between fills (false) and outlines (true).
    pub(super) unsafe fn drawing_lines(&self, gl: &glow::Context, lines: bool) {
        unsafe { gl.uniform_1_f32(self.id_is_line.as_ref(), if lines { 1.0 } else { 0.0 }) };
    }

    /// Puts egui's target back: its framebuffer, the callback's viewport and clip rectangle.
    pub(super) unsafe fn finish_drawing(
        &self,
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

    /// Shows the image for `view` over the callback's viewport: copies the coloured image, or
    /// colours the ids straight onto the screen while the colour table changes every frame.
    /// `colors_id` identifies the table in `colors`; `background` is the map's clear colour.
    #[allow(clippy::too_many_arguments)]
    pub(super) unsafe fn show(
        &mut self,
        gl: &glow::Context,
        info: &egui::PaintCallbackInfo,
        target: Option<glow::Framebuffer>,
        view: &CacheView,
        colors: (glow::Texture, usize),
        line_color: [f32; 4],
        background: [f32; 4],
    ) {
        let Some(held) = self.held else { return };
        // A transparent background: a basemap is under the map, and translucent fills blend.
        let over_basemap = background[3] == 0.0;
        let (colors, colors_id) = colors;
        let changing = colors_id != self.last_colors;
        self.last_colors = colors_id;
        // Texel = fragment pixel × scale + offset, from the two cameras.
        let scale = view.m_per_px / held.m_per_px;
        let offset = |k: usize| {
            let viewport_middle = f64::from(view.viewport_px[k]) + f64::from(view.viewport_px[2 + k]) / 2.0;
            (view.center_m[k] - held.center_m[k] - viewport_middle * view.m_per_px) / held.m_per_px
                + f64::from(held.size_px[k]) / 2.0
        };
        let offset = [offset(0), offset(1)];
        unsafe {
            if self.colored_with == Some(colors_id) || !changing {
                if self.colored_with != Some(colors_id) {
                    // Colour the whole id image once; texel = fragment pixel.
                    gl.bind_framebuffer(glow::FRAMEBUFFER, Some(self.color_framebuffer));
                    gl.disable(glow::SCISSOR_TEST);
                    gl.viewport(0, 0, held.size_px[0], held.size_px[1]);
                    if over_basemap {
                        // Pixels without a district are left alone: make them transparent.
                        gl.clear_color(0.0, 0.0, 0.0, 0.0);
                        gl.clear(glow::COLOR_BUFFER_BIT);
                    }
                    self.colour_ids(gl, held, colors, [1.0, 0.0, 0.0], line_color, background, false);
                    self.finish_drawing(gl, info, target);
                    self.colored_with = Some(colors_id);
                }
                // The image coordinates of the viewport's corners (the view lies inside it).
                let v = view.viewport_px;
                let uv =
                    |k: usize, edge: i32| ((f64::from(edge) * scale + offset[k]) / f64::from(held.size_px[k])) as f32;
                let [u_image, u_uv0, u_uv1] = &self.copy;
                gl.use_program(Some(self.copy_program));
                super::gl_paint::set_blending(gl, over_basemap);
                gl.active_texture(glow::TEXTURE0);
                gl.bind_texture(glow::TEXTURE_2D, Some(self.color_texture));
                gl.uniform_1_i32(u_image.as_ref(), 0);
                gl.uniform_2_f32(u_uv0.as_ref(), uv(0, v[0]), uv(1, v[1]));
                gl.uniform_2_f32(u_uv1.as_ref(), uv(0, v[0] + v[2]), uv(1, v[1] + v[3]));
                gl.bind_vertex_array(Some(self.empty_vertex_array));
                gl.draw_arrays(glow::TRIANGLE_STRIP, 0, 4);
                gl.bind_vertex_array(None);
                gl.bind_texture(glow::TEXTURE_2D, None);
                gl.use_program(None);
                gl.enable(glow::BLEND);
            } else {
                self.colored_with = None;
                let transparent = [0.0; 4];
                let map = [scale, offset[0], offset[1]];
                self.colour_ids(gl, held, colors, map, line_color, transparent, over_basemap);
            }
        }
    }

    /// Draws the id image coloured into the bound target and viewport: texel = fragment pixel ×
    /// `map[0]` + (`map[1]`, `map[2]`); pixels without a district get `background`, or are left
    /// alone when it is transparent; `blend` blends the colours over what is there.
    #[allow(clippy::too_many_arguments)]
    unsafe fn colour_ids(
        &self,
        gl: &glow::Context,
        held: Held,
        colors: glow::Texture,
        map: [f64; 3],
        line_color: [f32; 4],
        background: [f32; 4],
        blend: bool,
    ) {
        let [u_ids, u_colors, u_scale, u_offset, u_size, u_line, u_background] = &self.show;
        unsafe {
            gl.use_program(Some(self.show_program));
            super::gl_paint::set_blending(gl, blend);
            gl.active_texture(glow::TEXTURE0);
            gl.bind_texture(glow::TEXTURE_2D, Some(self.texture));
            gl.uniform_1_i32(u_ids.as_ref(), 0);
            gl.active_texture(glow::TEXTURE1);
            gl.bind_texture(glow::TEXTURE_2D, Some(colors));
            gl.uniform_1_i32(u_colors.as_ref(), 1);
            gl.uniform_2_f32(u_scale.as_ref(), map[0] as f32, map[0] as f32);
            gl.uniform_2_f32(u_offset.as_ref(), map[1] as f32, map[2] as f32);
            gl.uniform_2_i32(u_size.as_ref(), held.size_px[0], held.size_px[1]);
            let [r, g, b, a] = line_color;
            gl.uniform_4_f32(u_line.as_ref(), r, g, b, a);
            let [r, g, b, a] = background;
            gl.uniform_4_f32(u_background.as_ref(), r, g, b, a);
            gl.bind_vertex_array(Some(self.empty_vertex_array));
            gl.draw_arrays(glow::TRIANGLE_STRIP, 0, 4);
            gl.bind_vertex_array(None);
            gl.bind_texture(glow::TEXTURE_2D, None);
            gl.active_texture(glow::TEXTURE0);
            gl.bind_texture(glow::TEXTURE_2D, None);
            gl.use_program(None);
            gl.enable(glow::BLEND);
        }
    }

    /// Frees the GL objects.
    pub(super) unsafe fn destroy(self, gl: &glow::Context) {
        unsafe {
            gl.delete_framebuffer(self.framebuffer);
            gl.delete_texture(self.texture);
            gl.delete_framebuffer(self.color_framebuffer);
            gl.delete_texture(self.color_texture);
            gl.delete_vertex_array(self.empty_vertex_array);
            gl.delete_program(self.id_program);
            gl.delete_program(self.show_program);
            gl.delete_program(self.copy_program);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(center_m: [f64; 2], m_per_px: f64, moving: bool) -> CacheView {
        CacheView {
            center_m,
            m_per_px,
            viewport_px: [0, 0, 1000, 800],
            moving,
            content: CacheContent {
                layer: 1,
                fill: 2,
                line: 3,
                outline: true,
            },
        }
    }

    #[test]
    fn the_image_serves_shifted_views_within_its_margin_and_scaled_ones_only_while_moving() {
        let held = Held {
            size_px: image_size([0, 0, 1000, 800]),
            center_m: [0.0, 0.0],
            m_per_px: 10.0,
            content: view([0.0, 0.0], 10.0, false).content,
        };
        assert_eq!(held.size_px, [1500, 1200]);
        // 250 px of margin each side at 10 m per pixel: 2,500 m of panning either way.
        assert!(held.serves(&view([2_400.0, 0.0], 10.0, false)));
        assert!(!held.serves(&view([2_600.0, 0.0], 10.0, false)));
        assert!(held.serves(&view([0.0, -1_900.0], 10.0, true)));
        assert!(!held.serves(&view([0.0, -2_100.0], 10.0, true)));
        // Zoomed: only while moving, and not further than twice.
        assert!(!held.serves(&view([0.0, 0.0], 8.0, false)));
        assert!(held.serves(&view([0.0, 0.0], 8.0, true)));
        assert!(!held.serves(&view([0.0, 0.0], 4.0, true)));
        // Zoomed out, the view soon leaves the image.
        assert!(held.serves(&view([0.0, 0.0], 14.0, true)));
        assert!(!held.serves(&view([0.0, 0.0], 16.0, true)));
        // Another level of detail will do while moving, not at rest.
        let mut coarse = view([0.0, 0.0], 10.0, false);
        coarse.content.fill = 9;
        assert!(!held.serves(&coarse));
        coarse.moving = true;
        assert!(held.serves(&coarse));
    }
}
