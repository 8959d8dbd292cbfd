//! The basemap on a layout: one raster picture of the map frame at the page's resolution,
//! embedded under the vector map as a PNG, and the basemap's attribution for the foot line.

use std::sync::{Arc, Mutex};

use base64::Engine;

use crate::basemap::{BasemapError, BasemapInfo, TileSource, basemap_picture, plain_attribution};
use crate::model::{Basemap, Plan};

/// Resolution of the basemap in PDF and SVG layouts, which have no pixels of their own: fine
/// enough for print, small enough to mail.
pub const PRINT_BASEMAP_DPI: f64 = 200.0;

/// The resolution of the basemap picture on a page of `format`: a PNG's own `page_dpi`, else
/// [`PRINT_BASEMAP_DPI`] (PDF and SVG have no pixels of their own).
pub fn basemap_dpi(format: super::LayoutFormat, page_dpi: f64) -> f64 {
    if format == super::LayoutFormat::Png {
        page_dpi
    } else {
        PRINT_BASEMAP_DPI
    }
}

/// The longest side of a basemap picture, pixels (an A0 sheet at 200 dpi is about 9,400).
const MAX_SIDE_PX: f64 = 10_000.0;

/// A plan's basemap opened for layouts.
pub struct LayoutBasemap {
    source: Mutex<TileSource>,
    info: BasemapInfo,
    /// The attribution as plain text (empty when the file has none).
    pub attribution: String,
    /// Opacity of the district fills over it.
    pub districts_opacity: f32,
}

impl std::fmt::Debug for LayoutBasemap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LayoutBasemap")
            .field("info", &self.info)
            .field("districts_opacity", &self.districts_opacity)
            .finish_non_exhaustive()
    }
}

/// A layout's basemap and the resolution to draw it at.
#[derive(Clone, Copy, Debug)]
pub struct BasemapOnPage<'a> {
    /// The basemap.
    pub basemap: &'a LayoutBasemap,
    /// Pixels per inch of its picture.
    pub dpi: f64,
}

impl LayoutBasemap {
    /// Opens `basemap`'s file.
    pub fn open(basemap: &Basemap) -> Result<Self, BasemapError> {
        let cache = crate::basemap::default_tile_cache();
        let (source, info) = TileSource::open_source(&basemap.source, cache.as_deref())?;
        Ok(Self {
            source: Mutex::new(source),
            attribution: plain_attribution(&info.attribution),
            info,
            districts_opacity: basemap.districts_opacity.clamp(0.0, 1.0),
        })
    }

    /// The plan's basemap when it is shown, opened; `None` when it has none or it is hidden.
    pub fn of_plan(plan: &Plan) -> Option<Result<Self, BasemapError>> {
        plan.basemap.as_ref().filter(|b| b.visible).map(Self::open)
    }

    /// The `href` of an image of `view_m` (Web Mercator metres) drawn `size_pt` large at `dpi`:
    /// a PNG data URI, or `None` when no tile falls in it. Tiles that cannot be read are left
    /// out (and counted in the second value).
    pub fn image_href(
        &self,
        view_m: [[f64; 2]; 2],
        size_pt: [f64; 2],
        dpi: f64,
    ) -> Result<Option<(String, usize)>, BasemapError> {
        let scale = (dpi / 72.0).min(MAX_SIDE_PX / size_pt[0].max(size_pt[1]).max(1.0));
        let [w, h] = size_pt.map(|s| (s * scale).round().clamp(1.0, MAX_SIDE_PX) as u32);
        let picture = {
            // A render that panicked holding the file leaves it readable all the same.
            let mut source = self.source.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            // A CSS pixel is three quarters of a point: the picture's pixels per screen pixel.
            basemap_picture(&mut source, &self.info, view_m, [w, h], scale * 0.75)?
        };
        if picture.is_empty() {
            return Ok(None);
        }
        let png = picture.png_bytes().map_err(BasemapError::Encode)?;
        let href = format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(png)
        );
        Ok(Some((href, picture.bad_tiles.len())))
    }
}

/// The plan's basemap for layouts, opened once and kept while the plan's basemap stays the
/// same: the window's layout previews (one per edit) share it instead of opening the file again.
#[derive(Debug, Default)]
pub struct OpenedBasemap {
    held: Mutex<Option<(Basemap, Arc<LayoutBasemap>)>>,
}

impl OpenedBasemap {
    /// [`LayoutBasemap::of_plan`], from the one held when `plan`'s basemap is the one it was
    /// opened for.
    pub fn of_plan(&self, plan: &Plan) -> Option<Result<Arc<LayoutBasemap>, BasemapError>> {
        let wanted = plan.basemap.as_ref().filter(|b| b.visible)?;
        // A preview that panicked holding the lock leaves what it held usable all the same.
        let mut held = self.held.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((basemap, opened)) = held.as_ref()
            && basemap == wanted
        {
            return Some(Ok(Arc::clone(opened)));
        }
        let opened = match LayoutBasemap::open(wanted) {
            Ok(opened) => Arc::new(opened),
            Err(e) => return Some(Err(e)),
        };
        *held = Some((wanted.clone(), Arc::clone(&opened)));
        Some(Ok(opened))
    }
}
