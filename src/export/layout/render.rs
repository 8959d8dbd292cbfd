//! The layout's SVG made into a PNG (resvg) or a PDF (krilla), both from one usvg tree parsed with
//! the bundled Vazirmatn fonts, so Persian is shaped the same way in both and PDF text stays real,
//! selectable text.

use super::LayoutError;

/// Parses the layout's SVG with the bundled fonts.
fn parse(svg: &str) -> Result<resvg::usvg::Tree, LayoutError> {
    resvg::usvg::Tree::from_str(svg, &crate::text::fonts::svg_options()).map_err(|e| LayoutError::Svg(e.to_string()))
}

/// Pixel size of a page of `width_mm` × `height_mm` at `dpi`.
pub fn pixel_size(width_mm: f64, height_mm: f64, dpi: f64) -> [u32; 2] {
    [width_mm, height_mm].map(|mm| (mm / 25.4 * dpi).round().max(1.0) as u32)
}

/// A rendered page: opaque RGBA pixels, row by row.
#[derive(Clone, Debug, PartialEq)]
pub struct PageImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Four bytes per pixel, red first; alpha is always 255 (the page is white paper).
    pub rgba: Vec<u8>,
}

/// The page rendered at `dpi`; its pixel size is the page size at that resolution.
pub fn render_image(svg: &str, page_mm: [f64; 2], dpi: f64) -> Result<PageImage, LayoutError> {
    Ok(render_pixmap(svg, page_mm, dpi)?.into())
}

/// The page as a PNG at `dpi`; its pixel size is the page size at that resolution.
pub fn render_png(svg: &str, page_mm: [f64; 2], dpi: f64) -> Result<Vec<u8>, LayoutError> {
    render_pixmap(svg, page_mm, dpi)?
        .encode_png()
        .map_err(|e| LayoutError::Encode(e.to_string()))
}

fn render_pixmap(svg: &str, page_mm: [f64; 2], dpi: f64) -> Result<resvg::tiny_skia::Pixmap, LayoutError> {
    if !(dpi.is_finite() && (10.0..=1200.0).contains(&dpi)) {
        return Err(LayoutError::BadDpi(dpi));
    }
    let tree = parse(svg)?;
    let [w, h] = pixel_size(page_mm[0], page_mm[1], dpi);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).ok_or(LayoutError::TooLarge { width: w, height: h })?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    let size = tree.size();
    let transform = resvg::tiny_skia::Transform::from_scale(w as f32 / size.width(), h as f32 / size.height());
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    Ok(pixmap)
}

impl From<resvg::tiny_skia::Pixmap> for PageImage {
    fn from(pixmap: resvg::tiny_skia::Pixmap) -> Self {
        // Opaque pixels: premultiplied and straight colours are the same.
        Self {
            width: pixmap.width(),
            height: pixmap.height(),
            rgba: pixmap.take(),
        }
    }
}

/// The page as a one-page PDF, `page_mm` in size, with fonts embedded and subset.
pub fn render_pdf(svg: &str, page_mm: [f64; 2]) -> Result<Vec<u8>, LayoutError> {
    use krilla_svg::SurfaceExt;
    let tree = parse(svg)?;
    let [w_pt, h_pt] = page_mm.map(|mm| (mm * 72.0 / 25.4) as f32);
    let size = krilla::geom::Size::from_wh(w_pt, h_pt).ok_or(LayoutError::TooLarge {
        width: w_pt as u32,
        height: h_pt as u32,
    })?;
    let mut document = krilla::Document::new();
    let mut page = document.start_page_with(krilla::page::PageSettings::new(size));
    let mut surface = page.surface();
    surface
        .draw_svg(&tree, size, krilla_svg::SvgSettings::default())
        .ok_or_else(|| LayoutError::Encode("the PDF writer could not draw the page".into()))?;
    surface.finish();
    page.finish();
    document.finish().map_err(|e| LayoutError::Encode(format!("{e:?}")))
}
