//! Tile images decoded to RGBA, whatever the tile set claims: PNG, JPEG or WebP are told apart
//! by their bytes.

use std::io::Cursor;

/// The largest tile side accepted (tiles are 256 or 512 pixels; more is damage).
const MAX_SIDE_PX: u32 = 4096;

/// A decoded tile: straight (not premultiplied) RGBA, rows from the top.
#[derive(Clone, Debug, PartialEq)]
pub struct RgbaTile {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Four bytes per pixel, red first.
    pub pixels: Vec<u8>,
}

impl RgbaTile {
    /// The pixel at `(u, v)` as fractions of the width and height from the top-left (clamped).
    pub fn sample(&self, u: f64, v: f64) -> [u8; 4] {
        let px = ((u * f64::from(self.width)).floor().max(0.0) as u32).min(self.width.saturating_sub(1));
        let py = ((v * f64::from(self.height)).floor().max(0.0) as u32).min(self.height.saturating_sub(1));
        let at = 4 * (py as usize * self.width as usize + px as usize);
        match self.pixels.get(at..at + 4) {
            Some(p) => [p[0], p[1], p[2], p[3]],
            None => [0; 4],
        }
    }
}

/// Decodes one tile's bytes; the error says why they are not a usable image.
pub fn decode_tile(bytes: &[u8]) -> Result<RgbaTile, String> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    if reader.format().is_none() {
        return Err(format!(
            "unknown image format (starts with {:02x?})",
            &bytes[..bytes.len().min(4)]
        ));
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE_PX);
    limits.max_image_height = Some(MAX_SIDE_PX);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| e.to_string())?.into_rgba8();
    Ok(RgbaTile {
        width: image.width(),
        height: image.height(),
        pixels: image.into_raw(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_decodes_and_garbage_says_why() {
        let mut png = Vec::new();
        let img = image::RgbaImage::from_pixel(2, 2, image::Rgba([10, 20, 30, 255]));
        img.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let tile = decode_tile(&png).unwrap();
        assert_eq!((tile.width, tile.height), (2, 2));
        assert_eq!(tile.sample(0.9, 0.9), [10, 20, 30, 255]);
        let err = decode_tile(b"not an image").unwrap_err();
        assert!(err.contains("unknown image format"), "{err}");
        assert!(decode_tile(&png[..20]).is_err());
    }
}
