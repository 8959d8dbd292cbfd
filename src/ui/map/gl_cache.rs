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

use super::gl_image::{ImageCopy, ImageFrame, PixelView, attach_image, new_texture, restore_target};
use super::gl_paint::compile_program;
use crate::workspace::DataId;

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

/// What the frame shows: the camera, the viewport, and the layer's identity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct CacheView {
    /// The camera and viewport in physical pixels.
    pub pixels: PixelView,
    /// The camera is moving: a shifted or scaled image will do.
    pub moving: bool,
    /// What is drawn: the layer, its two levels of detail, outlines or not.
    pub content: CacheContent,
}

/// What the image holds: a layer at levels of detail (by identity), with or without outlines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct CacheContent {
    /// The layer's data.
    pub layer: DataId,
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
    id_program: glow::Program,
    id_offset: Option<glow::UniformLocation>,
    id_offset_lo: Option<glow::UniformLocation>,
    id_scale: Option<glow::UniformLocation>,
    id_is_line: Option<glow::UniformLocation>,
    show_program: glow::Program,
    show: [Option<glow::UniformLocation>; 7],
    copy: ImageCopy,
    /// The image's size in pixels, centre and scale, and content, once drawn.
    held: Option<Held>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Held {
    frame: ImageFrame,
    content: CacheContent,
}

impl Held {
    /// True when the image can be shown for `view` as it is (shifted, perhaps scaled).
    fn serves(&self, view: &CacheView) -> bool {
        let exact = self.content == view.content && self.frame.same_scale(&view.pixels);
        let close_enough =
            view.moving && self.content.layer == view.content.layer && self.frame.near_scale(&view.pixels);
        (exact || close_enough) && self.frame.covers(&view.pixels)
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
            let [texture, color_texture] = [new_texture(gl, glow::NEAREST)?, new_texture(gl, glow::NEAREST)?];
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
                id_offset: gl.get_uniform_location(id_program, "u_offset"),
                id_offset_lo: gl.get_uniform_location(id_program, "u_offset_lo"),
                id_scale: gl.get_uniform_location(id_program, "u_scale"),
                id_is_line: gl.get_uniform_location(id_program, "u_is_line"),
                id_program,
                show_program,
                show,
                copy: ImageCopy::new(gl)?,
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
        let frame = ImageFrame::around(&view.pixels);
        let size_px = frame.size_px;
        unsafe {
            self.colored_with = None;
            if self.held.is_none_or(|h| h.frame.size_px != size_px) {
                for (framebuffer, texture) in [
                    (self.color_framebuffer, self.color_texture),
                    (self.framebuffer, self.texture),
                ] {
                    if let Err(e) = attach_image(gl, framebuffer, texture, size_px) {
                        self.held = None;
                        return Err(e);
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
                f64::from(size_px[0]) / 2.0 * frame.m_per_px,
                f64::from(size_px[1]) / 2.0 * frame.m_per_px,
            ];
            let [offset, offset_lo] = super::gl_paint::split_offset(origin_m, frame.center_m);
            gl.uniform_2_f32(self.id_offset.as_ref(), offset[0], offset[1]);
            gl.uniform_2_f32(self.id_offset_lo.as_ref(), offset_lo[0], offset_lo[1]);
            gl.uniform_2_f32(self.id_scale.as_ref(), (1.0 / half[0]) as f32, (1.0 / half[1]) as f32);
            gl.uniform_1_f32(self.id_is_line.as_ref(), 0.0);
        }
        self.held = Some(Held {
            frame,
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
        unsafe { restore_target(gl, info, target) };
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
        unsafe {
            if self.colored_with == Some(colors_id) || !changing {
                if self.colored_with != Some(colors_id) {
                    // Colour the whole id image once; texel = fragment pixel.
                    gl.bind_framebuffer(glow::FRAMEBUFFER, Some(self.color_framebuffer));
                    gl.disable(glow::SCISSOR_TEST);
                    gl.viewport(0, 0, held.frame.size_px[0], held.frame.size_px[1]);
                    if over_basemap {
                        // Pixels without a district are left alone: make them transparent.
                        gl.clear_color(0.0, 0.0, 0.0, 0.0);
                        gl.clear(glow::COLOR_BUFFER_BIT);
                    }
                    self.colour_ids(gl, held, colors, [1.0, 0.0, 0.0], line_color, background, false);
                    self.finish_drawing(gl, info, target);
                    self.colored_with = Some(colors_id);
                }
                // The view lies inside the image.
                let uv = held.frame.viewport_uv(&view.pixels);
                self.copy.copy(gl, self.color_texture, uv, over_basemap);
            } else {
                self.colored_with = None;
                let transparent = [0.0; 4];
                let map = held.frame.texel_map(&view.pixels);
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
            gl.uniform_2_i32(u_size.as_ref(), held.frame.size_px[0], held.frame.size_px[1]);
            let [r, g, b, a] = line_color;
            gl.uniform_4_f32(u_line.as_ref(), r, g, b, a);
            let [r, g, b, a] = background;
            gl.uniform_4_f32(u_background.as_ref(), r, g, b, a);
            self.copy.draw_viewport_rect(gl);
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
            gl.delete_program(self.id_program);
            gl.delete_program(self.show_program);
            self.copy.destroy(gl);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one layer every view in these tests shows.
    static LAYER: std::sync::LazyLock<DataId> = std::sync::LazyLock::new(DataId::fresh);

    fn view(center_m: [f64; 2], m_per_px: f64, moving: bool) -> CacheView {
        CacheView {
            pixels: PixelView {
                center_m,
                m_per_px,
                viewport_px: [0, 0, 1000, 800],
            },
            moving,
            content: CacheContent {
                layer: *LAYER,
                fill: 2,
                line: 3,
                outline: true,
            },
        }
    }

    #[test]
    fn the_image_serves_shifted_views_within_its_margin_and_scaled_ones_only_while_moving() {
        let held = Held {
            frame: ImageFrame::around(&view([0.0, 0.0], 10.0, false).pixels),
            content: view([0.0, 0.0], 10.0, false).content,
        };
        assert!(held.serves(&view([2_400.0, 0.0], 10.0, false)));
        assert!(!held.serves(&view([2_600.0, 0.0], 10.0, false)));
        assert!(held.serves(&view([0.0, -1_900.0], 10.0, true)));
        // Zoomed: only while moving, and not further than twice.
        assert!(!held.serves(&view([0.0, 0.0], 8.0, false)));
        assert!(held.serves(&view([0.0, 0.0], 8.0, true)));
        assert!(!held.serves(&view([0.0, 0.0], 4.0, true)));
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
