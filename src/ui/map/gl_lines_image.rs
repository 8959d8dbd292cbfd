//! Heavy reference layers (10,000 roads seen from a country away) kept as pictures: a layer
//! whose lines in view run to many quads is drawn into an image a margin larger than the view,
//! which is then shown shifted and scaled (up to twice either way) while the camera moves;
//! it is drawn again when the view leaves it (at the moving camera's coarser level of detail)
//! and once the camera has settled (at full detail). Software GL pays per triangle on the
//! UI thread, and a screen of texture samples costs it far less than that many thin quads.
#![allow(unsafe_code)]
// SAFETY (whole module): every `unsafe` block is a glow call on the context eframe hands to the
// paint callback, on eframe's render thread, with objects this module created on that context.

use eframe::glow::{self, HasContext};

use super::gl_image::{ImageCopy, ImageFrame, PixelView, attach_image, new_texture, set_filter};
use crate::workspace::DataId;

/// Pictures kept at most (one per layer and look); the least recently shown goes first.
const MAX_IMAGES: usize = 4;

/// What a picture shows: a layer's data (by identity) in one colour and width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct LinesLook {
    /// The layer's data.
    pub layer: DataId,
    /// Premultiplied colour.
    pub color: [u8; 4],
    /// Half the line width in points, as bits.
    pub half_width_bits: u32,
}

struct LinesImage {
    look: LinesLook,
    framebuffer: glow::Framebuffer,
    texture: glow::Texture,
    /// Where the picture lies, once drawn.
    frame: Option<ImageFrame>,
    /// The level of detail it was drawn at.
    level: u32,
    last_used: u64,
}

/// The pictures and the program that shows them.
pub(super) struct LinesImages {
    copy: ImageCopy,
    images: Vec<LinesImage>,
    uses: u64,
}

impl LinesImages {
    /// Compiles the program; pictures are made as layers need them.
    pub(super) unsafe fn new(gl: &glow::Context) -> Result<Self, String> {
        Ok(Self {
            copy: unsafe { ImageCopy::new(gl)? },
            images: Vec::new(),
            uses: 0,
        })
    }

    /// True when the picture of `look` is what a settled camera at `view` would draw at
    /// `level`.
    pub(super) fn is_current(&self, look: LinesLook, view: &PixelView, level: u32) -> bool {
        self.images.iter().any(|i| {
            i.look == look && i.level == level && i.frame.is_some_and(|f| f.same_scale(view) && f.covers(view))
        })
    }

    /// True when the picture of `look` can be shown for `view`: it covers the view, at its
    /// own scale, or within twice of it while the camera has not `settled`.
    pub(super) fn serves(&self, look: LinesLook, view: &PixelView, settled: bool) -> bool {
        self.serving(look, view, settled).is_some()
    }

    /// The picture of `look` that [serves](Self::serves) `view`, with its frame.
    fn serving(&self, look: LinesLook, view: &PixelView, settled: bool) -> Option<(usize, ImageFrame)> {
        self.images.iter().enumerate().find_map(|(k, i)| {
            let frame = i.frame.filter(|_| i.look == look)?;
            let scale_ok = frame.same_scale(view) || (!settled && frame.near_scale(view));
            (frame.covers(view) && scale_ok).then_some((k, frame))
        })
    }

    /// Shows the picture of `look` over the bound viewport when it [serves](Self::serves)
    /// `view`. False when it cannot.
    pub(super) unsafe fn show(&mut self, gl: &glow::Context, look: LinesLook, view: &PixelView, settled: bool) -> bool {
        self.uses += 1;
        let Some((k, frame)) = self.serving(look, view, settled) else {
            return false;
        };
        let image = &mut self.images[k];
        image.last_used = self.uses;
        // Pixel for pixel, nearest sampling is a plain copy; scaled, lines stay smooth.
        let filter = if frame.same_scale(view) {
            glow::NEAREST
        } else {
            glow::LINEAR
        };
        unsafe {
            set_filter(gl, image.texture, filter);
            self.copy.copy(gl, image.texture, frame.viewport_uv(view), true);
        }
        true
    }

    /// Binds a picture of `look` for `view` (a margin larger) at `level` as the render
    /// target, cleared to transparent, and returns where it lies. Draw the lines into it, then put egui's target
    /// back (`gl_image::restore_target`).
    pub(super) unsafe fn start_drawing(
        &mut self,
        gl: &glow::Context,
        look: LinesLook,
        view: &PixelView,
        level: u32,
    ) -> Result<ImageFrame, String> {
        self.uses += 1;
        let frame = ImageFrame::around(view);
        let k = match self.images.iter().position(|i| i.look.layer == look.layer) {
            Some(k) => k,
            None => {
                if self.images.len() >= MAX_IMAGES
                    && let Some(oldest) = (0..self.images.len()).min_by_key(|&k| self.images[k].last_used)
                {
                    let old = self.images.swap_remove(oldest);
                    unsafe { delete_image(gl, old) };
                }
                let image = unsafe {
                    LinesImage {
                        look,
                        framebuffer: gl.create_framebuffer()?,
                        texture: new_texture(gl, glow::NEAREST)?,
                        frame: None,
                        level,
                        last_used: self.uses,
                    }
                };
                self.images.push(image);
                self.images.len() - 1
            }
        };
        let image = &mut self.images[k];
        unsafe {
            if image.frame.is_none_or(|f| f.size_px != frame.size_px) {
                image.frame = None;
                attach_image(gl, image.framebuffer, image.texture, frame.size_px)?;
            }
            gl.bind_framebuffer(glow::FRAMEBUFFER, Some(image.framebuffer));
            gl.disable(glow::SCISSOR_TEST);
            gl.viewport(0, 0, frame.size_px[0], frame.size_px[1]);
            gl.clear_color(0.0, 0.0, 0.0, 0.0);
            gl.clear(glow::COLOR_BUFFER_BIT);
        }
        image.look = look;
        image.level = level;
        image.frame = Some(frame);
        image.last_used = self.uses;
        Ok(frame)
    }

    /// Frees the GL objects.
    pub(super) unsafe fn destroy(self, gl: &glow::Context) {
        unsafe {
            for image in self.images {
                delete_image(gl, image);
            }
            self.copy.destroy(gl);
        }
    }
}

unsafe fn delete_image(gl: &glow::Context, image: LinesImage) {
    unsafe {
        gl.delete_framebuffer(image.framebuffer);
        gl.delete_texture(image.texture);
    }
}
