//! Persian and mixed text for egui, which shapes runs but does not yet reorder them (no bidi).
//! One function builds a layout job with one section per bidi run in visual order; delete it when
//! egui gains bidi. Text given to it stays in logical order.

use egui::text::{ByteIndex, LayoutJob, LayoutSection};
use egui::{Color32, FontId, TextFormat};

use crate::text::{BaseDirection, is_arabic_script_char, visual_runs};

/// A layout job that egui draws in correct visual order: Persian joined and right to left,
/// numbers and Latin left to right, mixed text in bidi order. `\n` starts a new line.
pub fn bidi_layout_job(text: &str, font_id: FontId, color: Color32, base: BaseDirection) -> LayoutJob {
    let mut job = LayoutJob::default();
    let format = TextFormat {
        font_id,
        color,
        ..TextFormat::default()
    };
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            push_section(&mut job, "\n", &format);
        }
        for run in visual_runs(line, base) {
            if run.rtl {
                push_rtl_run(&mut job, run.text, &format);
                continue;
            }
            // egui's shaper picks each section's direction from its first character with a
            // script of its own; where that is right to left in a left-to-right run (Persian
            // digits in a number), pre-reverse the run so the shaper's reversal puts it back,
            // and pre-mirror its brackets, which the shaper mirrors in right-to-left text.
            let shaper_rtl = run
                .text
                .chars()
                .find(|c| c.is_alphanumeric())
                .is_some_and(is_arabic_script_char);
            if shaper_rtl {
                let reversed: String = run.text.chars().rev().map(mirrored).collect();
                push_section(&mut job, &reversed, &format);
            } else {
                push_section(&mut job, run.text, &format);
            }
        }
    }
    job
}

/// A right-to-left run: words (Persian letters with their spaces and joiners) go to egui's shaper,
/// which joins and reverses them; the other pieces (brackets, punctuation) are reversed and
/// mirrored here, since the shaper would lay them out left to right. Pieces go in visual order.
fn push_rtl_run(job: &mut LayoutJob, text: &str, format: &TextFormat) {
    let is_word_char = |c: char| {
        (c.is_alphabetic() && is_arabic_script_char(c)) || c.is_whitespace() || matches!(c, '\u{200C}' | '\u{200D}')
    };
    let mut pieces: Vec<(bool, &str)> = Vec::new();
    let mut start = 0;
    let mut current: Option<bool> = None;
    for (i, c) in text.char_indices() {
        let word = is_word_char(c);
        if current.is_some_and(|w| w != word) {
            pieces.push((current.unwrap_or(word), &text[start..i]));
            start = i;
        }
        current = Some(word);
    }
    if let Some(word) = current {
        pieces.push((word, &text[start..]));
    }
    for (word, piece) in pieces.into_iter().rev() {
        if word {
            push_section(job, piece, format);
        } else {
            let shown: String = piece.chars().rev().map(mirrored).collect();
            push_section(job, &shown, format);
        }
    }
}

/// The mirror image of a paired bracket, as shown in right-to-left text.
fn mirrored(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        c => c,
    }
}

/// Text for any widget (buttons, menu entries, checkboxes) in bidi order, in the body font and the
/// widget's own colour: use it where Persian may meet Latin or digits ("ذخیره (Ctrl+S)").
pub fn bidi_widget_text(ui: &egui::Ui, text: &str) -> egui::WidgetText {
    let font_id = egui::TextStyle::Body.resolve(ui.style());
    egui::WidgetText::LayoutJob(std::sync::Arc::new(bidi_layout_job(
        text,
        font_id,
        Color32::PLACEHOLDER,
        BaseDirection::Auto,
    )))
}

/// Appends a section without letting egui merge it into the previous one of equal format, which
/// would make both one shaping run with one direction.
/// Appends `text` as a section; the invisible bidi controls (marks, embeddings, isolates) have
/// done their work in the run order and are left out, as fonts draw them as boxes.
fn push_section(job: &mut LayoutJob, text: &str, format: &TextFormat) {
    let start = job.text.len();
    job.text.extend(
        text.chars()
            .filter(|c| !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')),
    );
    job.sections.push(LayoutSection {
        leading_space: 0.0,
        byte_range: ByteIndex(start)..ByteIndex(job.text.len()),
        format: format.clone(),
    });
}

/// A label widget for text that may be Persian: shaped and in bidi order. Builder style:
/// `ui.add(BidiLabel::new(&name))`.
pub struct BidiLabel<'a> {
    text: &'a str,
    font_id: Option<FontId>,
    color: Option<Color32>,
    sense: egui::Sense,
    wrap: bool,
}

impl<'a> BidiLabel<'a> {
    /// A label for `text` in the body font.
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            font_id: None,
            color: None,
            sense: egui::Sense::hover(),
            wrap: false,
        }
    }

    /// Uses this font.
    pub fn font(mut self, font_id: FontId) -> Self {
        self.font_id = Some(font_id);
        self
    }

    /// Uses this colour.
    pub fn color(mut self, color: Color32) -> Self {
        self.color = Some(color);
        self
    }

    /// Breaks the text into lines that fit the available width. Lines are broken in logical order
    /// and each is then laid out in bidi order, so a wrapped Persian sentence reads on correctly
    /// from one line to the next (egui's own wrapping cuts the visual line).
    pub fn wrap(mut self) -> Self {
        self.wrap = true;
        self
    }

    /// Makes the label clickable.
    pub fn sense(mut self, sense: egui::Sense) -> Self {
        self.sense = sense;
        self
    }
}

impl egui::Widget for BidiLabel<'_> {
    fn ui(self, ui: &mut egui::Ui) -> egui::Response {
        let font_id = self
            .font_id
            .unwrap_or_else(|| egui::TextStyle::Body.resolve(ui.style()));
        let color = self.color.unwrap_or_else(|| ui.visuals().text_color());
        let text = if self.wrap {
            wrap_logical(ui, self.text, &font_id, ui.available_width())
        } else {
            self.text.to_string()
        };
        let job = bidi_layout_job(&text, font_id, color, BaseDirection::Auto);
        let galley = ui.fonts_mut(|f| f.layout_job(job));
        let (rect, response) = ui.allocate_exact_size(galley.size(), self.sense);
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, self.text));
        if ui.is_rect_visible(rect) {
            ui.painter().galley(rect.min, galley, color);
        }
        response
    }
}

/// `text` with `\n` inserted between words so that no line is wider than `max_width`.
fn wrap_logical(ui: &egui::Ui, text: &str, font_id: &FontId, max_width: f32) -> String {
    let width = |line: &str| {
        let job = bidi_layout_job(line, font_id.clone(), Color32::WHITE, BaseDirection::Auto);
        ui.fonts_mut(|f| f.layout_job(job)).size().x
    };
    let mut out = String::with_capacity(text.len() + 8);
    for (n, paragraph) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let mut line = String::new();
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && width(&candidate) > max_width {
                out.push_str(&line);
                out.push('\n');
                line = word.to_string();
            } else {
                line = candidate;
            }
        }
        out.push_str(&line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The characters of a laid-out line from left to right on screen, without egui's zero-width
    /// continuation glyphs.
    fn on_screen(text: &str) -> String {
        let ctx = egui::Context::default();
        super::super::fonts::install_fonts(&ctx);
        let mut out = ctx.run_ui(Default::default(), |_| {});
        out.textures_delta.clear();
        let job = bidi_layout_job(text, FontId::proportional(14.0), Color32::WHITE, BaseDirection::Auto);
        let galley = ctx.fonts_mut(|f| f.layout_job(job));
        let mut glyphs: Vec<(f32, char)> = galley
            .rows
            .iter()
            .flat_map(|r| {
                r.glyphs
                    .iter()
                    .filter(|g| g.advance_width > 0.0)
                    .map(|g| (g.pos.x, g.chr))
            })
            .collect();
        glyphs.sort_by(|a, b| a.0.total_cmp(&b.0));
        glyphs.iter().map(|g| g.1).collect()
    }

    #[test]
    fn persian_numbers_with_separators_and_percent_read_whole() {
        // Every glyph drawn, left to right as a number reads.
        assert_eq!(on_screen("۲۷٫۸٪"), "۲۷٫۸٪");
        assert_eq!(on_screen("۱۲٬۲۱۶٫۵"), "۱۲٬۲۱۶٫۵");
        assert_eq!(on_screen("۵۹ / ۵۹"), "۵۹ / ۵۹");
    }

    /// The glyph images of a laid-out line from left to right, as (character, its rectangle in
    /// the font atlas). One context for all calls, so that one glyph has one rectangle.
    fn glyph_images(ctx: &egui::Context, text: &str) -> Vec<(char, [u16; 4])> {
        let job = bidi_layout_job(text, FontId::proportional(14.0), Color32::WHITE, BaseDirection::Auto);
        let galley = ctx.fonts_mut(|f| f.layout_job(job));
        let mut glyphs: Vec<(f32, char, [u16; 4])> = galley
            .rows
            .iter()
            .flat_map(|r| r.glyphs.iter())
            .filter(|g| g.advance_width > 0.0 && !g.chr.is_whitespace())
            .map(|g| {
                let (min, max) = (g.uv_rect.min, g.uv_rect.max);
                (g.pos.x, g.chr, [min[0], min[1], max[0], max[1]])
            })
            .collect();
        glyphs.sort_by(|a, b| a.0.total_cmp(&b.0));
        glyphs.into_iter().map(|g| (g.1, g.2)).collect()
    }

    /// Whether a glyph drawn at `rect` (min x, min y, max x, max y) of the font atlas bulges to
    /// the left as "(" does: its ink in the middle rows lies left of its ink at the top and bottom.
    fn bulges_left(atlas: &egui::ColorImage, [x0, y0, x1, y1]: [u16; 4]) -> bool {
        let ink_x = |rows: std::ops::Range<usize>| {
            let (mut sum, mut weight) = (0.0, 0.0);
            for y in rows {
                for x in usize::from(x0)..usize::from(x1) {
                    let a = f32::from(atlas.pixels[y * atlas.size[0] + x].a());
                    sum += a * x as f32;
                    weight += a;
                }
            }
            sum / weight - f32::from(x0)
        };
        let (top, bottom) = (usize::from(y0), usize::from(y1));
        let third = (bottom - top) / 3;
        let middle = ink_x(top + third..bottom - third);
        let ends = (ink_x(top..top + third) + ink_x(bottom - third..bottom)) / 2.0;
        middle < ends
    }

    #[test]
    fn brackets_around_persian_digits_are_drawn_the_right_way_round() {
        // A legend row: no letters, so the line is left to right as a whole; the shaper sees the
        // Persian digits as right to left and mirrors brackets, which must not show.
        let ctx = egui::Context::default();
        super::super::fonts::install_fonts(&ctx);
        let mut out = ctx.run_ui(Default::default(), |_| {});
        out.textures_delta.clear();
        let texts = ["(10)", "۶۶۱ – ۱٬۶۳۳  (۱۰)", "۶۳۳ (۱۰)", "(۱۲)", "یزد (۱۲)", "(یزد)"];
        let shown: Vec<_> = texts.iter().map(|t| glyph_images(&ctx, t)).collect();
        let atlas = ctx.fonts(|f| f.image());
        for (text, glyphs) in texts.iter().zip(&shown) {
            let brackets: Vec<bool> = glyphs
                .iter()
                .filter(|g| matches!(g.0, '(' | ')'))
                .map(|g| bulges_left(&atlas, g.1))
                .collect();
            assert_eq!(brackets, [true, false], "{text}: the left bracket opens");
        }
    }

    #[test]
    fn persian_word_reads_right_to_left() {
        assert_eq!(on_screen("یزد"), "دزی");
    }

    #[test]
    fn digits_inside_persian_read_left_to_right() {
        assert_eq!(on_screen("ناحیه ۱۲"), "۱۲ هیحان");
        assert_eq!(on_screen("ناحیه 12"), "12 هیحان");
    }

    #[test]
    fn counts_before_persian_words_stay_at_the_right() {
        assert_eq!(on_screen("۳۲۳۱ محله\u{200c}ها"), "اههلحم ۳۲۳۱");
        assert_eq!(on_screen("۰ کنار گذاشته · ۱۳ هشدار"), "رادشه ۱۳ · هتشاذگ رانک ۰");
    }

    #[test]
    fn isolated_persian_names_in_an_english_list_keep_their_order() {
        // Without isolates the two names and their comma form one right-to-left run, reversed.
        assert_eq!(on_screen("in: یزد, بم"), "in: مب ,دزی");
        let listed = on_screen("in: \u{2068}یزد\u{2069}, \u{2068}بم\u{2069}");
        assert_eq!(listed, "in: دزی, مب", "and the isolates themselves are not drawn");
    }

    #[test]
    fn latin_then_persian_keeps_both_orders() {
        assert_eq!(on_screen("Main St یزد"), "Main St دزی");
        assert_eq!(on_screen("یزد Main"), "Main دزی");
    }
}
