//! Text put into SVG markup for usvg (layouts, and the labels of vector basemaps): XML escaping,
//! and the bidi isolation usvg needs to lay mixed Persian text out right to left.

use super::{is_arabic_script_char, starts_rtl};

/// Appends `text` escaped for XML. Control characters (not allowed in XML 1.0) become spaces, so
/// a stray one cannot break the document.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
}

/// Appends `text` escaped, isolated as right-to-left (U+2067 … U+2069) when it starts in Persian
/// and mixes in digits, Latin or punctuation: usvg ignores `direction`, and a left-to-right
/// paragraph would misplace those. Plain Persian words are left alone, so text copied from a PDF
/// carries no invisible marks.
///
/// ```
/// let mut out = String::new();
/// mahalleh::text::markup::svg_text_into(&mut out, "محله ۳ <A>");
/// assert_eq!(out, "\u{2067}محله ۳ &lt;A&gt;\u{2069}");
/// out.clear();
/// mahalleh::text::markup::svg_text_into(&mut out, "حسن‌آباد");
/// assert_eq!(out, "حسن‌آباد");
/// ```
pub fn svg_text_into(out: &mut String, text: &str) {
    if needs_rtl_isolation(text) {
        out.push('\u{2067}');
        escape_into(out, text);
        out.push('\u{2069}');
    } else {
        escape_into(out, text);
    }
}

/// True for text that starts in Persian and holds anything but Arabic-script letters, spaces and
/// joiners.
fn needs_rtl_isolation(text: &str) -> bool {
    starts_rtl(text)
        && text
            .chars()
            .any(|c| !((c.is_alphabetic() && is_arabic_script_char(c)) || matches!(c, ' ' | '\u{200C}' | '\u{200D}')))
}
