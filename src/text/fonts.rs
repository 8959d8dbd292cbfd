//! The bundled fonts, for the window and for exported layouts.

/// Vazirmatn Regular (SIL OFL 1.1), covering Persian letters, both digit sets, ZWNJ and Latin.
pub const VAZIRMATN_REGULAR: &[u8] = include_bytes!("../../assets/fonts/Vazirmatn-Regular.ttf");
/// Vazirmatn Bold, for labels and headings.
pub const VAZIRMATN_BOLD: &[u8] = include_bytes!("../../assets/fonts/Vazirmatn-Bold.ttf");

/// usvg options with the bundled fonts (Vazirmatn as the sans-serif family), for SVG that
/// layouts and vector basemap labels render. The font database is built once per process.
pub fn svg_options() -> resvg::usvg::Options<'static> {
    static FONTS: std::sync::OnceLock<std::sync::Arc<resvg::usvg::fontdb::Database>> = std::sync::OnceLock::new();
    let fontdb = FONTS.get_or_init(|| {
        let mut fonts = resvg::usvg::fontdb::Database::new();
        fonts.load_font_data(VAZIRMATN_REGULAR.to_vec());
        fonts.load_font_data(VAZIRMATN_BOLD.to_vec());
        fonts.set_sans_serif_family("Vazirmatn");
        std::sync::Arc::new(fonts)
    });
    resvg::usvg::Options {
        fontdb: std::sync::Arc::clone(fontdb),
        font_family: "Vazirmatn".into(),
        ..resvg::usvg::Options::default()
    }
}
