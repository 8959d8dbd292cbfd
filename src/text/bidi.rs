//! The Unicode bidirectional algorithm for one line of text: which runs go left to right and which
//! right to left, and in what visual order. Renderers that shape runs but do not reorder them (egui
//! today) draw these runs one after another. Text stays in logical order everywhere else.

use unicode_bidi::ParagraphBidiInfo;

use super::script::is_arabic_script_char;

/// A stretch of a line with one direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BidiRun<'a> {
    /// The run's text, in logical (typing) order.
    pub text: &'a str,
    /// True when the run reads right to left.
    pub rtl: bool,
}

/// The direction a line reads in as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaseDirection {
    /// From the first strong character (Persian letter: right to left; Latin: left to right).
    Auto,
    /// Left to right, as in an English layout.
    Ltr,
    /// Right to left, as in a Persian layout.
    Rtl,
}

/// Splits one line (no `\n`) into runs in visual order, left to right on the screen.
///
/// ```
/// use mahalleh::text::{visual_runs, BaseDirection};
/// let runs = visual_runs("ناحیه 12 یزد", BaseDirection::Auto);
/// let texts: Vec<&str> = runs.iter().map(|r| r.text).collect();
/// // The last Persian word is leftmost; the number stays a left-to-right run.
/// assert_eq!(texts, [" یزد", "12", "ناحیه "]);
/// assert!(runs[0].rtl && !runs[1].rtl && runs[2].rtl);
/// ```
pub fn visual_runs(line: &str, base: BaseDirection) -> Vec<BidiRun<'_>> {
    if line.is_empty() {
        return Vec::new();
    }
    let level = match base {
        BaseDirection::Auto => None,
        BaseDirection::Ltr => Some(unicode_bidi::Level::ltr()),
        BaseDirection::Rtl => Some(unicode_bidi::Level::rtl()),
    };
    let info = ParagraphBidiInfo::new(line, level);
    if info.is_pure_ltr && base != BaseDirection::Rtl {
        return vec![BidiRun { text: line, rtl: false }];
    }
    let (levels, runs) = info.visual_runs(0..line.len());
    runs.into_iter()
        .filter(|r| !r.is_empty())
        .map(|r| BidiRun {
            rtl: levels[r.start].is_rtl(),
            text: &line[r],
        })
        .collect()
}

/// The text of `line` in visual order, left to right, with each right-to-left run's characters
/// reversed. For tests and for renderers that neither shape nor reorder; shaping engines want
/// [`visual_runs`] instead.
///
/// ```
/// assert_eq!(mahalleh::text::visual_order("یزد 12", mahalleh::text::BaseDirection::Auto), "12 دزی");
/// ```
pub fn visual_order(line: &str, base: BaseDirection) -> String {
    visual_runs(line, base)
        .iter()
        .map(|r| {
            if r.rtl {
                r.text.chars().rev().collect::<String>()
            } else {
                r.text.to_string()
            }
        })
        .collect()
}

/// True when a line's first strong character is right to left (a Persian or Arabic letter).
///
/// ```
/// assert!(mahalleh::text::starts_rtl("۱۲ یزد"));
/// assert!(!mahalleh::text::starts_rtl("Yazd یزد"));
/// ```
pub fn starts_rtl(line: &str) -> bool {
    line.chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(is_arabic_script_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str, base: BaseDirection) -> Vec<(&str, bool)> {
        visual_runs(line, base).iter().map(|r| (r.text, r.rtl)).collect()
    }

    #[test]
    fn pure_latin_is_one_run() {
        assert_eq!(texts("Main St. 45", BaseDirection::Auto), [("Main St. 45", false)]);
    }

    #[test]
    fn persian_digits_form_their_own_ltr_run() {
        assert_eq!(
            texts("ناحیه ۱۲", BaseDirection::Auto),
            [("۱۲", false), ("ناحیه ", true)]
        );
    }

    #[test]
    fn latin_first_keeps_persian_runs_rtl() {
        assert_eq!(
            texts("Main St یزد", BaseDirection::Auto),
            [("Main St ", false), ("یزد", true)]
        );
    }

    #[test]
    fn forced_rtl_base_puts_latin_on_the_right() {
        assert_eq!(texts("Yazd یزد", BaseDirection::Rtl), [(" یزد", true), ("Yazd", false)]);
    }

    #[test]
    fn zwnj_stays_inside_the_word() {
        assert_eq!(
            texts("حسن\u{200c}آباد", BaseDirection::Auto),
            [("حسن\u{200c}آباد", true)]
        );
    }
}
