//! One picture of a basemap over a rectangle of Web Mercator, at a given pixel size: what a
//! layout puts under its vector map, at the page's resolution.

use std::collections::HashMap;

use super::{BasemapError, BasemapInfo, RgbaTile, TileId, TileSource, zoom_for_m_per_px};

/// More tiles than this for one picture means a wrong zoom; the picture is left coarser.
const MAX_TILES: usize = 4096;

/// A basemap drawn into a rectangle.
#[derive(Clone, Debug, PartialEq)]
pub struct BasemapPicture {
    /// Width in pixels.
    pub width_px: u32,
    /// Height in pixels.
    pub height_px: u32,
    /// Straight RGBA, rows from the top; transparent where the file has no tile.
    pub pixels: Vec<u8>,
    /// The zoom level its tiles came from.
    pub zoom: u8,
    /// Tiles that could not be decoded (each left transparent), with the reason.
    pub bad_tiles: Vec<String>,
}

impl BasemapPicture {
    /// The picture as PNG bytes.
    pub fn png_bytes(&self) -> Result<Vec<u8>, String> {
        let image = image::RgbaImage::from_raw(self.width_px, self.height_px, self.pixels.clone())
            .ok_or_else(|| "the picture's size does not match its pixels".to_owned())?;
        let mut png = Vec::new();
        image
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .map_err(|e| e.to_string())?;
        Ok(png)
    }

    /// Whether no pixel came from a tile.
    pub fn is_empty(&self) -> bool {
        self.pixels.chunks_exact(4).all(|p| p[3] == 0)
    }
}

/// Draws `source` over `view_m` (`[[west, south], [east, north]]`, Web Mercator metres) into
/// `width_px` × `height_px` pixels, from the zoom level closest to that resolution within the
/// file's zooms; where a tile is missing, the nearest coarser one present is enlarged.
/// `pixel_ratio` is the picture's pixels per screen pixel (a page's dpi over 96): vector tiles
/// are drawn at the zoom a screen would show and that much larger, so their lines and names
/// keep their size on paper; raster tiles take the zoom of the picture's own resolution.
pub fn basemap_picture(
    source: &mut TileSource,
    info: &BasemapInfo,
    view_m: [[f64; 2]; 2],
    [width_px, height_px]: [u32; 2],
    pixel_ratio: f64,
) -> Result<BasemapPicture, BasemapError> {
    let [[west, south], [east, north]] = view_m;
    let (width_px, height_px) = (width_px.max(1), height_px.max(1));
    let m_per_px = (east - west) / f64::from(width_px);
    let vector = info.format == super::TileFormat::Vector;
    let pixel_ratio = if vector && pixel_ratio.is_finite() {
        pixel_ratio.clamp(0.25, 16.0)
    } else {
        1.0
    };
    let mut zoom = zoom_for_m_per_px(m_per_px * pixel_ratio).clamp(info.min_zoom, info.drawn_max_zoom());
    while zoom > info.min_zoom && super::tiles_covering(view_m, zoom, MAX_TILES + 1).len() > MAX_TILES {
        zoom -= 1;
    }
    let mut tiles: HashMap<TileId, Option<RgbaTile>> = HashMap::new();
    let mut bad_tiles = Vec::new();
    let mut fetch = |source: &mut TileSource, id: TileId| -> Result<bool, BasemapError> {
        if let Some(t) = tiles.get(&id) {
            return Ok(t.is_some());
        }
        let tile = match source.tile_at_ratio(id, pixel_ratio as f32) {
            Ok(t) => t,
            Err(e @ BasemapError::BadTile { .. }) => {
                bad_tiles.push(e.to_string());
                None
            }
            Err(e) => return Err(e),
        };
        let present = tile.is_some();
        tiles.insert(id, tile);
        Ok(present)
    };
    // For each tile of the view, the tile drawn there and the part of it that covers it.
    let mut drawn: HashMap<TileId, (TileId, [[f32; 2]; 2])> = HashMap::new();
    for id in super::tiles_covering(view_m, zoom, MAX_TILES) {
        for levels in 0..=(zoom - info.min_zoom) {
            let (from, uv) = id.ancestor(levels);
            if fetch(source, from)? {
                drawn.insert(id, (from, uv));
                break;
            }
        }
    }
    let mut pixels = vec![0u8; 4 * width_px as usize * height_px as usize];
    let size_m = TileId { z: zoom, x: 0, y: 0 }.size_m();
    for row in 0..height_px {
        let y = north - (f64::from(row) + 0.5) / f64::from(height_px) * (north - south);
        for col in 0..width_px {
            let x = west + (f64::from(col) + 0.5) / f64::from(width_px) * (east - west);
            let id = TileId::at_m(zoom, [x, y]);
            let Some((from, [[u0, v0], [u1, v1]])) = drawn.get(&id) else {
                continue;
            };
            let Some(Some(tile)) = tiles.get(from) else { continue };
            let [[tw, _], [_, tn]] = id.bounds_m();
            let (fu, fv) = ((x - tw) / size_m, (tn - y) / size_m);
            let u = f64::from(*u0) + fu * f64::from(u1 - u0);
            let v = f64::from(*v0) + fv * f64::from(v1 - v0);
            let at = 4 * (row as usize * width_px as usize + col as usize);
            pixels[at..at + 4].copy_from_slice(&tile.sample(u, v));
        }
    }
    Ok(BasemapPicture {
        width_px,
        height_px,
        pixels,
        zoom,
        bad_tiles,
    })
}
