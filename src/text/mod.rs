//! Text helpers that do not depend on a renderer: script detection and bidirectional runs.

/// Bidirectional runs in visual order.
pub mod bidi;
/// Solar Hijri and Gregorian dates.
pub mod dates;
/// The bundled fonts.
pub mod fonts;
/// Persian or English.
pub mod language;
/// Text in SVG markup: escaping and right-to-left isolation for usvg.
pub mod markup;
/// One key for comparing Persian text typed in different ways.
pub mod matching;
/// Numbers with digits and separators by language.
pub mod numbers;
/// Persian digits.
pub mod numerals;
/// Which script a string is written in.
pub mod script;

pub use bidi::{BaseDirection, BidiRun, starts_rtl, visual_order, visual_runs};
pub use language::Language;
pub use matching::{match_key, same_text};
pub use numbers::Numbers;
pub use numerals::{ascii_digit, persian_digits};
pub use script::{is_arabic_script_char, is_mostly_arabic_script};
