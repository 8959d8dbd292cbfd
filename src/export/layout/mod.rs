//! Map layouts for meetings and officials: one SVG page composed from the plan (map frame as
//! vectors, title block, legend, scale bar, north arrow, indicators), written as SVG or rendered to
//! PNG and PDF from the same tree.

/// The basemap under the map frame.
pub mod basemap_image;
/// The page and its items.
pub mod compose;
/// The map frame.
pub mod map_frame;
/// Reference layers in the map frame.
pub mod reference_frame;
/// SVG to PNG and PDF.
pub mod render;
/// Writing SVG.
pub mod svg_writer;
/// The layout's own words.
pub mod words;

use std::path::Path;

use crate::analysis::Coverage;
use crate::model::Plan;
use crate::model::layout::Layout;
use crate::style::Theme;
use crate::text::dates::GregorianDate;
use crate::workspace::DistrictLayer;

pub use basemap_image::{BasemapOnPage, LayoutBasemap, OpenedBasemap, PRINT_BASEMAP_DPI, basemap_dpi};
pub use compose::{Composed, Regions, compose, compose_file, compose_svg, compose_svg_file};
pub use render::{PageImage, pixel_size, render_image, render_pdf, render_png};

/// What a layout shows.
#[derive(Clone, Copy, Debug)]
pub struct LayoutScene<'a> {
    /// The districts.
    pub layer: &'a DistrictLayer,
    /// Offices and radius.
    pub plan: &'a Plan,
    /// Coverage of the plan on the layer (shading, indicators); none shows plain districts.
    pub coverage: Option<&'a Coverage>,
    /// The box of the current view in Web Mercator metres, for [`MapExtent::CurrentView`](crate::model::layout::MapExtent).
    pub view_bbox_m: Option<[[f64; 2]; 2]>,
    /// Selected districts, for [`MapExtent::SelectedDistricts`](crate::model::layout::MapExtent).
    pub selected: &'a [usize],
    /// The thematic colours of the districts and their legend; none draws the plain fills
    /// shaded by coverage.
    pub theme: Option<&'a Theme>,
    /// The basemap under the map, and its resolution.
    pub basemap: Option<BasemapOnPage<'a>>,
    /// Reference layers, bottom first, with their data (hidden ones are left out when drawn).
    pub reference: &'a [(
        crate::model::ReferenceLayer,
        std::sync::Arc<crate::workspace::FeatureLayer>,
    )],
    /// How many of `reference`, its first ones, are drawn under the districts; the others over.
    pub reference_under: usize,
}

/// The file kinds a layout is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LayoutFormat {
    /// Standalone SVG.
    Svg,
    /// PNG at a resolution.
    Png,
    /// One-page PDF with real text.
    Pdf,
}

impl LayoutFormat {
    /// The format a file name asks for by its extension.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "svg" => Some(Self::Svg),
            "png" => Some(Self::Png),
            "pdf" => Some(Self::Pdf),
            _ => None,
        }
    }
}

/// Why a layout could not be made.
#[derive(Debug, thiserror::Error)]
pub enum LayoutError {
    /// The composed SVG did not parse (a bug, reported rather than hidden).
    #[error("the layout's SVG is invalid: {0}")]
    Svg(String),
    /// A resolution outside 10..1200 dpi.
    #[error("the resolution {0} dpi is not between 10 and 1200")]
    BadDpi(f64),
    /// The page in pixels is too large to hold in memory.
    #[error("a {width} × {height} image is too large")]
    TooLarge {
        /// Width asked for.
        width: u32,
        /// Height asked for.
        height: u32,
    },
    /// The basemap could not be drawn.
    #[error("the basemap could not be drawn: {0}")]
    Basemap(String),
    /// The PNG or PDF writer failed.
    #[error("cannot encode the layout: {0}")]
    Encode(String),
}

/// The layout as the bytes of a file of `format` (`dpi` matters for PNG only), dated `today`
/// unless the layout carries its own date.
pub fn export_layout(
    scene: &LayoutScene<'_>,
    layout: &Layout,
    format: LayoutFormat,
    dpi: f64,
    today: GregorianDate,
) -> Result<Vec<u8>, LayoutError> {
    let composed = match format {
        LayoutFormat::Svg => compose::compose_file(scene, layout, today),
        LayoutFormat::Png | LayoutFormat::Pdf => compose(scene, layout, today),
    };
    // A basemap that cannot be read is said, not silently left off an official's map.
    if let Some(problem) = composed.basemap_problem {
        return Err(LayoutError::Basemap(problem));
    }
    match format {
        LayoutFormat::Svg => Ok(composed.svg.into_bytes()),
        LayoutFormat::Png => render_png(&composed.svg, layout.page_mm(), dpi),
        LayoutFormat::Pdf => render_pdf(&composed.svg, layout.page_mm()),
    }
}
