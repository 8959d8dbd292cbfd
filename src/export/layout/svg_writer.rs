//! Writing the layout's SVG: escaped text in logical order with the bidi isolation that makes
//! usvg (and browsers) lay Persian out right to left, and compact path data.

use std::fmt::Write;

use crate::text::markup::{escape_into, svg_text_into};
use crate::text::starts_rtl;

/// Font families for layout text: the bundled Vazirmatn first (loaded by the PNG and PDF
/// renderers), then fonts a browser or Inkscape is likely to have.
pub const FONT_FAMILY: &str = "Vazirmatn, 'Noto Sans Arabic', Tahoma, sans-serif";

/// Where a text line hangs from its point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// The point is the line's left end.
    Left,
    /// The point is the line's middle.
    Middle,
    /// The point is the line's right end.
    Right,
}

/// How right-to-left text is marked up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BidiMarkup {
    /// Isolate characters (U+2067 … U+2069) around mixed Persian text: for usvg, which ignores
    /// `direction` (our PNG and PDF).
    #[default]
    Isolates,
    /// `direction="rtl"` on Persian text, with the anchor mirrored as SVG defines it: for SVG
    /// files opened in browsers and Inkscape (whose text engine does not read isolates).
    DirectionAttribute,
}

/// One line of text.
#[derive(Clone, Copy, Debug)]
pub struct TextStyle {
    /// Font size, points.
    pub size_pt: f64,
    /// Bold.
    pub bold: bool,
    /// Fill colour, `#rrggbb`.
    pub color: &'static str,
    /// A white halo around the glyphs (for names over the map).
    pub halo: bool,
}

/// An SVG document being written; page units are points.
pub struct SvgWriter {
    out: String,
    bidi: BidiMarkup,
}

impl SvgWriter {
    /// Starts a page `width_mm` × `height_mm`, one user unit per point.
    pub fn new(width_mm: f64, height_mm: f64, bidi: BidiMarkup) -> Self {
        let [w_pt, h_pt] = [width_mm, height_mm].map(pt_from_mm);
        let mut out = String::with_capacity(1 << 20);
        let _ = write!(
            out,
            r#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{width_mm}mm" height="{height_mm}mm" viewBox="0 0 {} {}">
"#,
            num(w_pt),
            num(h_pt)
        );
        Self { out, bidi }
    }

    /// Appends raw SVG markup.
    pub fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    /// A line of text with its logical-order content. Text that starts in Persian and mixes in
    /// digits, Latin or punctuation is isolated as right-to-left (U+2067 … U+2069), since usvg
    /// ignores `direction`; plain Persian words are left alone, so text copied from a PDF carries
    /// no invisible marks.
    pub fn text(&mut self, at: [f64; 2], anchor: Anchor, style: TextStyle, content: &str) {
        let rtl_attribute = self.bidi == BidiMarkup::DirectionAttribute && starts_rtl(content);
        // In right-to-left text SVG's "start" is the right end.
        let anchor = match (anchor, rtl_attribute) {
            (Anchor::Middle, _) => "middle",
            (Anchor::Left, false) | (Anchor::Right, true) => "start",
            (Anchor::Right, false) | (Anchor::Left, true) => "end",
        };
        let direction = if rtl_attribute {
            r#" direction="rtl" unicode-bidi="embed""#
        } else {
            ""
        };
        let weight = if style.bold { r#" font-weight="bold""# } else { "" };
        let halo = if style.halo {
            r##" stroke="#ffffff" stroke-width="2" stroke-linejoin="round" paint-order="stroke""##
        } else {
            ""
        };
        let _ = write!(
            self.out,
            r#"<text x="{}" y="{}" font-family="{FONT_FAMILY}" font-size="{}" fill="{}" text-anchor="{anchor}"{direction}{weight}{halo}>"#,
            num(at[0]),
            num(at[1]),
            num(style.size_pt),
            style.color
        );
        if self.bidi == BidiMarkup::Isolates {
            svg_text_into(&mut self.out, content);
        } else {
            escape_into(&mut self.out, content);
        }
        self.out.push_str("</text>\n");
    }

    /// A rectangle.
    pub fn rect(&mut self, min: [f64; 2], size: [f64; 2], fill: &str, stroke: Option<(&str, f64)>) {
        let _ = writeln!(
            self.out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}"{}/>"#,
            num(min[0]),
            num(min[1]),
            num(size[0]),
            num(size[1]),
            stroke_attributes(stroke)
        );
    }

    /// A circle.
    pub fn circle(&mut self, centre: [f64; 2], radius: f64, fill: &str, stroke: Option<(&str, f64)>) {
        let _ = writeln!(
            self.out,
            r#"<circle cx="{}" cy="{}" r="{}" fill="{fill}"{}/>"#,
            num(centre[0]),
            num(centre[1]),
            num(radius),
            stroke_attributes(stroke)
        );
    }

    /// A path from prepared path data (see [`PathData`]).
    pub fn path(&mut self, data: &PathData, fill: &str, stroke: Option<(&str, f64)>) {
        if data.is_empty() {
            return;
        }
        let _ = writeln!(
            self.out,
            r#"<path fill="{fill}" fill-rule="evenodd"{} d="{}"/>"#,
            stroke_attributes(stroke),
            data.0
        );
    }

    /// Lines of `data`, unfilled, `width` wide, with `dash` (drawn and blank lengths) if any:
    /// round ends and joins when solid, square-cut dashes otherwise.
    pub fn stroked_path(&mut self, data: &PathData, color: &str, width: f64, dash: Option<[f64; 2]>) {
        if data.is_empty() {
            return;
        }
        let ends = match dash {
            Some([on, off]) => format!(r#" stroke-linecap="butt" stroke-dasharray="{} {}""#, num(on), num(off)),
            None => r#" stroke-linecap="round""#.to_string(),
        };
        let _ = writeln!(
            self.out,
            r#"<path fill="none"{}{ends} d="{}"/>"#,
            stroke_attributes(Some((color, width))),
            data.0
        );
    }

    /// Ends the document.
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

/// Path data built ring by ring, with coordinates to a tenth of a point (0.035 mm).
#[derive(Clone, Debug, Default)]
pub struct PathData(String);

impl PathData {
    /// Adds a closed ring (at least three points).
    pub fn ring(&mut self, points: &[[f64; 2]]) {
        if points.len() < 3 {
            return;
        }
        self.line(points);
        self.0.push('Z');
    }

    /// Adds an open line.
    pub fn line(&mut self, points: &[[f64; 2]]) {
        for (k, p) in points.iter().enumerate() {
            let _ = write!(
                self.0,
                "{}{} {}",
                if k == 0 { "M" } else { "L" },
                tenth(p[0]),
                tenth(p[1])
            );
        }
    }

    /// True when nothing was added.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Points from millimetres.
pub fn pt_from_mm(mm: f64) -> f64 {
    mm * 72.0 / 25.4
}

/// `#rrggbb`.
pub fn hex(rgb: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])
}

fn stroke_attributes(stroke: Option<(&str, f64)>) -> String {
    match stroke {
        Some((color, width)) => format!(
            r#" stroke="{color}" stroke-width="{}" stroke-linejoin="round""#,
            num(width)
        ),
        None => String::new(),
    }
}

/// A number with at most two decimals and no trailing zeros.
fn num(v: f64) -> String {
    let s = format!("{:.2}", if v.is_finite() { v } else { 0.0 });
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// A number to one decimal, as path data needs no more.
fn tenth(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_text_is_isolated_right_to_left_and_escaped() {
        let mut w = SvgWriter::new(210.0, 297.0, BidiMarkup::Isolates);
        let style = TextStyle {
            size_pt: 12.0,
            bold: false,
            color: "#000000",
            halo: false,
        };
        w.text([10.0, 20.0], Anchor::Right, style, "محله <حسن‌آباد> & ۱۲");
        w.text([10.0, 40.0], Anchor::Left, style, "Eskan 3");
        w.text([10.0, 60.0], Anchor::Left, style, "حسن‌آباد");
        let svg = w.finish();
        assert!(
            svg.contains("\u{2067}محله &lt;حسن‌آباد&gt; &amp; ۱۲\u{2069}</text>"),
            "{svg}"
        );
        assert!(svg.contains(">Eskan 3</text>"));
        assert!(svg.contains(">حسن‌آباد</text>"), "plain Persian is not isolated");
        assert!(svg.contains(r#"viewBox="0 0 595.28 841.89""#));
    }

    #[test]
    fn files_for_other_programs_mark_direction_and_mirror_the_anchor() {
        let mut w = SvgWriter::new(210.0, 297.0, BidiMarkup::DirectionAttribute);
        let style = TextStyle {
            size_pt: 12.0,
            bold: false,
            color: "#000000",
            halo: false,
        };
        w.text([10.0, 20.0], Anchor::Right, style, "دفتر ۱۲");
        w.text([10.0, 40.0], Anchor::Right, style, "Office 12");
        let svg = w.finish();
        assert!(
            svg.contains(r#"text-anchor="start" direction="rtl" unicode-bidi="embed">دفتر ۱۲</text>"#),
            "{svg}"
        );
        assert!(svg.contains(r#"text-anchor="end">Office 12</text>"#), "{svg}");
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(2.346), "2.35");
        assert_eq!(tenth(12.04), "12");
        assert_eq!(tenth(-3.26), "-3.3");
        let mut d = PathData::default();
        d.ring(&[[0.0, 0.0], [10.0, 0.0], [10.0, 5.55]]);
        assert_eq!(d.0, "M0 0L10 0L10 5.6Z");
    }
}
