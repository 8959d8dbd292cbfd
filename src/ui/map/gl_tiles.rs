//! Basemap tiles drawn inside the map's paint callback, from the textures egui already holds:
//! one textured quad per tile, blending only for tiles with transparent pixels. egui's own image
//! pass blends and dithers every texel, which on software GL costs a screen of work per frame.
#![allow(unsafe_code)]
// SAFETY (whole module): every `unsafe` block is a glow call on the context eframe hands to the
// paint callback, on eframe's render thread, with the program and vertex array this module
// created on that same context and textures egui's painter owns for the frame.

use eframe::egui_glow;
use eframe::glow::{self, HasContext};

/// One tile to draw: egui's texture, where it goes and which part of it.
#[derive(Clone, Copy, Debug)]
pub struct TileQuad {
    /// The tile's egui texture.
    pub texture: egui::TextureId,
    /// Its corners in the map's normalised device coordinates, `[x0, y0, x1, y1]` (top-left,
    /// bottom-right).
    pub ndc: [f32; 4],
    /// The part of the texture shown, `[u0, v0, u1, v1]`.
    pub uv: [f32; 4],
    /// No pixel of it is transparent.
    pub opaque: bool,
}

const VERTEX_SHADER: &str = r#"
uniform vec4 u_ndc;
uniform vec4 u_uv;
out vec2 v_uv;
void main() {
    vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
    gl_Position = vec4(mix(u_ndc.xy, u_ndc.zw, corner), 0.0, 1.0);
    v_uv = mix(u_uv.xy, u_uv.zw, corner);
}
"#;

/// One sample per pixel: the shape llvmpipe copies fastest.
const FRAGMENT_SHADER: &str = r#"
uniform sampler2D u_tile;
in vec2 v_uv;
out vec4 out_color;
void main() {
    out_color = texture(u_tile, v_uv);
}
"#;

/// The tile program and its empty vertex array.
pub struct GlTiles {
    program: glow::Program,
    vertex_array: glow::VertexArray,
    uniforms: [Option<glow::UniformLocation>; 3],
}

impl GlTiles {
    /// Compiles the program.
    pub(super) unsafe fn new(gl: &glow::Context) -> Result<Self, String> {
        unsafe {
            let program = super::gl_paint::compile_program(gl, "basemap", VERTEX_SHADER, FRAGMENT_SHADER, &[])?;
            let uniforms = ["u_ndc", "u_uv", "u_tile"].map(|name| gl.get_uniform_location(program, name));
            let vertex_array = gl.create_vertex_array()?;
            Ok(Self {
                program,
                vertex_array,
                uniforms,
            })
        }
    }

    /// Draws `tiles` in order into the bound target and viewport.
    pub(super) unsafe fn draw(&self, gl: &glow::Context, painter: &egui_glow::Painter, tiles: &[TileQuad]) {
        let [u_ndc, u_uv, u_tile] = &self.uniforms;
        unsafe {
            gl.use_program(Some(self.program));
            gl.bind_vertex_array(Some(self.vertex_array));
            gl.active_texture(glow::TEXTURE0);
            gl.uniform_1_i32(u_tile.as_ref(), 0);
            for tile in tiles {
                let Some(texture) = painter.texture(tile.texture) else {
                    continue;
                };
                super::gl_paint::set_blending(gl, !tile.opaque);
                gl.bind_texture(glow::TEXTURE_2D, Some(texture));
                let [x0, y0, x1, y1] = tile.ndc;
                gl.uniform_4_f32(u_ndc.as_ref(), x0, y0, x1, y1);
                let [u0, v0, u1, v1] = tile.uv;
                gl.uniform_4_f32(u_uv.as_ref(), u0, v0, u1, v1);
                gl.draw_arrays(glow::TRIANGLE_STRIP, 0, 4);
            }
            gl.bind_texture(glow::TEXTURE_2D, None);
            gl.bind_vertex_array(None);
            gl.use_program(None);
            gl.enable(glow::BLEND);
        }
    }

    /// Frees the program.
    pub(super) unsafe fn destroy(self, gl: &glow::Context) {
        unsafe {
            gl.delete_program(self.program);
            gl.delete_vertex_array(self.vertex_array);
        }
    }
}

/// The quads of `quads` (made by [`quads_in`] for `rect`) that reach into `clip`: a strip of the
/// map drawn alone costs software GL a draw call per tile, seen or not.
pub fn quads_touching(quads: &[TileQuad], rect: egui::Rect, clip: egui::Rect) -> Vec<TileQuad> {
    let ndc_x = |x: f32| (x - rect.left()) / rect.width() * 2.0 - 1.0;
    let ndc_y = |y: f32| 1.0 - (y - rect.top()) / rect.height() * 2.0;
    let [left, top, right, bottom] = [
        ndc_x(clip.left()),
        ndc_y(clip.top()),
        ndc_x(clip.right()),
        ndc_y(clip.bottom()),
    ];
    quads
        .iter()
        .filter(|q| {
            let [x0, y0, x1, y1] = q.ndc;
            x0.min(x1) < right && x0.max(x1) > left && y0.min(y1) < top && y0.max(y1) > bottom
        })
        .copied()
        .collect()
}

/// The drawable tiles of `tiles` as quads in the normalised device coordinates of the map's
/// rectangle `rect` (the paint callback's viewport).
pub fn quads_in(rect: egui::Rect, tiles: &[super::basemap_tiles::VisibleTile]) -> Vec<TileQuad> {
    let ndc_x = |x: f32| (x - rect.left()) / rect.width() * 2.0 - 1.0;
    let ndc_y = |y: f32| 1.0 - (y - rect.top()) / rect.height() * 2.0;
    tiles
        .iter()
        .filter_map(|t| {
            let shown = t.shown?;
            Some(TileQuad {
                texture: shown.texture,
                ndc: [
                    ndc_x(t.screen.left()),
                    ndc_y(t.screen.top()),
                    ndc_x(t.screen.right()),
                    ndc_y(t.screen.bottom()),
                ],
                uv: [shown.uv.left(), shown.uv.top(), shown.uv.right(), shown.uv.bottom()],
                opaque: shown.opaque,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_strip_keeps_the_tiles_that_reach_into_it() {
        let rect = egui::Rect::from_min_size(egui::pos2(100.0, 50.0), egui::vec2(400.0, 200.0));
        // Four tiles in a row across the map, each a quarter of its width.
        let quads: Vec<TileQuad> = (0..4)
            .map(|k| {
                let x0 = -1.0 + 0.5 * k as f32;
                TileQuad {
                    texture: egui::TextureId::User(k),
                    ndc: [x0, 1.0, x0 + 0.5, -1.0],
                    uv: [0.0, 0.0, 1.0, 1.0],
                    opaque: true,
                }
            })
            .collect();
        let ids = |clip: egui::Rect| -> Vec<u64> {
            quads_touching(&quads, rect, clip)
                .iter()
                .map(|q| match q.texture {
                    egui::TextureId::User(k) => k,
                    egui::TextureId::Managed(_) => u64::MAX,
                })
                .collect()
        };
        // The left 30 points: the first tile only.
        assert_eq!(ids(egui::Rect::from_min_size(rect.min, egui::vec2(30.0, 200.0))), [0]);
        // A band across the top touches every tile.
        assert_eq!(
            ids(egui::Rect::from_min_size(rect.min, egui::vec2(400.0, 10.0))),
            [0, 1, 2, 3]
        );
        // From 150 to 260 points in: the second and third.
        let middle = egui::Rect::from_min_max(egui::pos2(250.0, 60.0), egui::pos2(360.0, 70.0));
        assert_eq!(ids(middle), [1, 2]);
    }
}
