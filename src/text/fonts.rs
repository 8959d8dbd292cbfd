//! The bundled fonts, for the window and for exported layouts.

/// Vazirmatn Regular (SIL OFL 1.1), covering Persian letters, both digit sets, ZWNJ and Latin.
pub const VAZIRMATN_REGULAR: &[u8] = include_bytes!("../../assets/fonts/Vazirmatn-Regular.ttf");
/// Vazirmatn Bold, for labels and headings.
pub const VAZIRMATN_BOLD: &[u8] = include_bytes!("../../assets/fonts/Vazirmatn-Bold.ttf");
